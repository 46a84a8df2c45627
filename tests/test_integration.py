"""The user's whole job, end to end, with the sklearn tooling a time-series user reaches for."""

import pickle

import joblib
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.ensemble import StackingRegressor, VotingRegressor
from sklearn.linear_model import Ridge
from sklearn.metrics import root_mean_squared_error
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_validate
from sklearn.pipeline import Pipeline

from conftest import TINY_NETWORK, scaled_pipeline
from skrnn import GRURegressor, LSTMRegressor, PersistenceRegressor, RNNRegressor, WindowTransformer
from skrnn.datasets import load_msft, make_supervised

TINY = dict(TINY_NETWORK, random_state=0)


@pytest.fixture(scope="module")
def prices():
    X, y = make_supervised(load_msft().iloc[-300:], "Close")
    return X, y


def pipeline(model):
    return scaled_pipeline(model, window=5)


def test_grid_search_over_models_and_windows_then_predict(prices):
    X, y = prices
    search = GridSearchCV(
        pipeline(LSTMRegressor(**TINY)),
        {
            "regressor__window__window": [5, 10],
            "regressor__model": [RNNRegressor(**TINY), LSTMRegressor(**TINY),
                                 GRURegressor(**TINY), PersistenceRegressor()],
        },
        cv=TimeSeriesSplit(n_splits=2),
        scoring="neg_root_mean_squared_error",
    ).fit(X[:250], y[:250])
    assert len(search.cv_results_["params"]) == 8
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
    y_pred = search.predict(X[250:])
    assert y_pred.shape == (len(X) - 250,)
    # the score is the true RMSE in price units
    assert search.score(X[250:], y[250:]) == pytest.approx(
        -root_mean_squared_error(y[250:], y_pred)
    )


def test_persistence_on_raw_prices_is_exactly_tomorrow_equals_today(prices):
    X, y = prices
    model = Pipeline([("window", WindowTransformer(window=7)), ("model", PersistenceRegressor())])
    scores = cross_validate(model, X, y, cv=TimeSeriesSplit(n_splits=3),
                            scoring="neg_root_mean_squared_error", return_indices=True)
    for score, test in zip(scores["test_score"], scores["indices"]["test"], strict=True):
        expected = root_mean_squared_error(y.iloc[test], X["Close"].iloc[test])
        assert -score == pytest.approx(expected)


def test_cross_validate_with_process_workers(prices):
    X, y = prices
    kwargs = dict(cv=TimeSeriesSplit(n_splits=2), scoring="neg_root_mean_squared_error")
    serial = cross_validate(pipeline(GRURegressor(**TINY)), X, y, **kwargs)
    parallel = cross_validate(pipeline(GRURegressor(**TINY)), X, y, n_jobs=2, **kwargs)
    np.testing.assert_allclose(parallel["test_score"], serial["test_score"], rtol=1e-6)


def test_voting_mixes_lstm_pipeline_with_ridge(prices):
    X, y = prices
    ridge = Pipeline([("window", WindowTransformer(window=5)), ("ridge", Ridge())])
    voting = VotingRegressor([("lstm", pipeline(LSTMRegressor(**TINY))), ("ridge", ridge)])
    assert voting.fit(X[:200], y[:200]).predict(X[200:]).shape == (len(X) - 200,)


def test_stacking_on_dated_rows_refuses_its_shuffled_folds(prices):
    # StackingRegressor's folds (KFold) train around the rows they test: refused, naming the
    # FrozenEstimator route, instead of windows silently joined across the fold.
    X, y = prices
    ridge = Pipeline([("window", WindowTransformer(window=5)), ("ridge", Ridge())])
    stacking = StackingRegressor([("ridge", ridge)], final_estimator=Ridge(), cv=2)
    with pytest.raises(ValueError, match="cross_val_predict .*FrozenEstimator"):
        stacking.fit(X[:200], y[:200])


def test_clone_set_params_and_persistence_round_trips(prices, tmp_path):
    X, y = prices
    model = pipeline(RNNRegressor(**TINY))
    model.set_params(regressor__window__window=8, regressor__model__units=(3, 2))
    copy = clone(model)
    assert copy.get_params()["regressor__window__window"] == 8
    assert copy.get_params()["regressor__model__units"] == (3, 2)
    copy.fit(X[:200], y[:200])
    expected = copy.predict(X[200:])
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(copy)).predict(X[200:]), expected)
    joblib.dump(copy, tmp_path / "model.joblib")
    np.testing.assert_array_equal(joblib.load(tmp_path / "model.joblib").predict(X[200:]),
                                  expected)
