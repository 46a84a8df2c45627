"""The README's pipeline under scikit-learn's and MAPIE's meta-estimators that subsample or
reorder rows: true windows, or a refusal naming the meta-estimator and what to use instead."""

import numpy as np
import pytest
from sklearn.compose import TransformedTargetRegressor
from sklearn.ensemble import BaggingRegressor, StackingRegressor
from sklearn.experimental import enable_halving_search_cv  # noqa: F401
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.model_selection import (
    GridSearchCV,
    HalvingGridSearchCV,
    KFold,
    TimeSeriesSplit,
    cross_validate,
    learning_curve,
)
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler

from conftest import TINY_NETWORK
from skrnn import LSTMRegressor, WindowTransformer
from skrnn.datasets import load_msft, make_supervised


@pytest.fixture(scope="module")
def prices():
    return make_supervised(load_msft().iloc[-300:], "Close")


def readme_pipeline(model=None, window=10):
    """The README's pipeline, with the documented pandas output that keeps the dates."""
    return TransformedTargetRegressor(
        Pipeline([("scale", MinMaxScaler().set_output(transform="pandas")),
                  ("window", WindowTransformer(window)),
                  ("model", Ridge(alpha=1e-3) if model is None else model)]),
        transformer=MinMaxScaler())


@pytest.mark.parametrize("model", [None, LSTMRegressor(**TINY_NETWORK, random_state=0)],
                         ids=["ridge", "lstm"])
def test_predicting_a_part_of_the_fitted_span_is_exact(prices, model):
    X, y = prices
    fitted = readme_pipeline(model).fit(X[:250], y[:250])
    np.testing.assert_allclose(fitted.predict(X[100:150]), fitted.predict(X[:250])[100:150],
                               rtol=1e-6)


def test_time_series_split_with_a_gap_is_refused(prices):
    X, y = prices
    with pytest.raises(ValueError, match="the rows in between are missing"):
        cross_validate(readme_pipeline(), X, y, cv=TimeSeriesSplit(2, gap=5),
                       error_score="raise")


def test_halving_search_on_samples_is_refused_naming_it_and_the_resource_fix(prices):
    X, y = prices
    search = HalvingGridSearchCV(readme_pipeline(), {"regressor__window__window": [5, 10]},
                                 cv=TimeSeriesSplit(2), min_resources=125, error_score="raise")
    with pytest.raises(ValueError, match=r"HalvingGridSearchCV .* resource='regressor__"):
        search.fit(X, y)


def test_learning_curve_is_refused_naming_the_time_series_alternative(prices):
    X, y = prices
    with pytest.raises(ValueError, match=r"learning_curve trains on the first rows .* "
                                         r"TimeSeriesSplit\(max_train_size=m\)"):
        learning_curve(readme_pipeline(), X, y, cv=TimeSeriesSplit(2), error_score="raise")


def test_stacking_frozen_models_with_kfold_gets_the_true_predictions(prices):
    X, y = prices
    a = readme_pipeline(window=5).fit(X[:250], y[:250])
    b = readme_pipeline(window=20).fit(X[:250], y[:250])
    stack = StackingRegressor([("a", FrozenEstimator(a)), ("b", FrozenEstimator(b))],
                              final_estimator=LinearRegression(), cv=KFold(5))
    stack.fit(X[:250], y[:250])
    truth = LinearRegression().fit(
        np.column_stack([a.predict(X[:250]), b.predict(X[:250])]), y[:250])
    np.testing.assert_allclose(stack.final_estimator_.coef_, truth.coef_, rtol=1e-6)
    unfrozen = StackingRegressor([("a", readme_pipeline(window=5))], cv=KFold(5))
    with pytest.raises(ValueError, match="cross_val_predict .*FrozenEstimator"):
        unfrozen.fit(X[:250], y[:250])


def test_bagging_is_refused_naming_it(prices):
    X, y = prices
    with pytest.raises(ValueError, match="BaggingRegressor fits each estimator on rows drawn"):
        BaggingRegressor(readme_pipeline(), n_estimators=2, random_state=0).fit(X, y)


def test_grid_search_with_time_series_folds_still_runs(prices):
    X, y = prices
    search = GridSearchCV(readme_pipeline(), {"regressor__window__window": [5, 10]},
                          cv=TimeSeriesSplit(3), scoring="neg_root_mean_squared_error",
                          error_score="raise").fit(X[:250], y[:250])
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()


def test_mapie_split_conformal_calibrates_on_the_next_rows_and_refuses_a_gap(prices):
    from mapie.regression import SplitConformalRegressor

    X, y = prices
    model = readme_pipeline().fit(X[:200], y[:200])
    conformal = SplitConformalRegressor(model, confidence_level=0.8, prefit=True)
    conformal.conformalize(X[200:250], y[200:250])
    with pytest.raises(ValueError, match="the rows in between are missing"):
        conformal.predict_interval(X[250:])
    # With the calibration rows in front, the later rows get their true windows.
    point, _ = conformal.predict_interval(X[200:])
    np.testing.assert_allclose(point[50:], model.predict(X[200:])[50:], rtol=1e-9)


def test_mapie_enbpi_bootstrap_is_refused_naming_mapie(prices):
    from mapie.regression import TimeSeriesRegressor
    from mapie.subsample import BlockBootstrap

    X, y = prices
    enbpi = TimeSeriesRegressor(readme_pipeline(), method="enbpi",
                                cv=BlockBootstrap(n_resamplings=3, n_blocks=5, random_state=0))
    with pytest.raises(ValueError, match="MAPIE resamples or refits"):
        enbpi.fit(X[:250], y[:250])


def test_without_dates_the_split_itself_is_checked_in_workers_too(prices):
    X, y = prices
    undated = TransformedTargetRegressor(
        Pipeline([("scale", MinMaxScaler()), ("window", WindowTransformer(10)),
                  ("model", Ridge(alpha=1e-3))]), transformer=MinMaxScaler())
    for cv, match in [(TimeSeriesSplit(3, gap=1), "start 1 row"),
                      (KFold(3), "rows of this cross-validation split")]:
        with pytest.raises(ValueError, match=match):
            cross_validate(undated, X.to_numpy(), y, cv=cv, error_score="raise", n_jobs=2)
    frozen = FrozenEstimator(undated.fit(X[:250].to_numpy(), y[:250]))
    with pytest.raises(ValueError, match="fitted outside it"):
        StackingRegressor([("a", frozen)], cv=KFold(5)).fit(X[:250].to_numpy(), y[:250])
