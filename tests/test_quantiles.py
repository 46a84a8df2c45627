"""Quantile networks: levels that never cross, the untrained spread, pipelines, bad levels."""

import pickle
from statistics import NormalDist

import numpy as np
import pytest
from sklearn.compose import TransformedTargetRegressor
from sklearn.linear_model import Ridge
from sklearn.metrics import make_scorer, mean_pinball_loss
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler

from conftest import TINY_NETWORK, ar2_series, linear_anchor_by_hand, sine_series
from skrnn import GRURegressor, LSTMRegressor, WindowTransformer, predict_quantiles

QUANTILE_NETWORK = dict(TINY_NETWORK, loss="quantile", random_state=0)


def random_walk(n=300, seed=0):
    walk = 50 + np.cumsum(np.random.RandomState(seed).normal(size=n + 1))
    return walk[:-1, None], walk[1:]


def test_untrained_quantiles_are_the_anchor_plus_a_normal_spread_of_its_errors():
    X, y = random_walk()
    windows = WindowTransformer(window=5).fit_transform(X)
    model = LSTMRegressor(**{**QUANTILE_NETWORK, "learning_rate": 1e-12}, anchor="last",
                          quantiles=(0.05, 0.1, 0.5, 0.9)).fit(windows, y)
    levels = model.predict_quantiles(windows)
    np.testing.assert_allclose(levels[:, 2], X[:, 0], atol=1e-4)  # persistence
    np.testing.assert_allclose(model.predict(windows), levels[:, 2])
    errors = np.sqrt(np.mean((y - X[:, 0]) ** 2))
    z = NormalDist().inv_cdf
    for j, level in enumerate((0.05, 0.1, 0.5, 0.9)):
        np.testing.assert_allclose(levels[:, j] - levels[:, 2], errors * z(level),
                                   rtol=1e-3, atol=1e-4)


def test_untrained_quantiles_of_a_linear_anchor_spread_its_leave_one_out_errors():
    # Errors on the rows the anchor was fitted to would give bands that are too narrow.
    X, y = ar2_series()
    windows = np.asarray(WindowTransformer(window=5).fit_transform(X))
    model = LSTMRegressor(**{**QUANTILE_NETWORK, "learning_rate": 1e-12}, anchor="linear",
                          quantiles=(0.1, 0.5, 0.9)).fit(windows, y)
    levels = model.predict_quantiles(windows)
    anchor, left_out = linear_anchor_by_hand(windows, X, y, n_fit=len(y))
    np.testing.assert_allclose(levels[:, 1], anchor, rtol=1e-5)
    assert left_out > np.sqrt(np.mean((anchor - y) ** 2)) * 1.01  # not the fitted rows' error
    np.testing.assert_allclose(levels[:, 2] - levels[:, 1], left_out * NormalDist().inv_cdf(0.9),
                               rtol=1e-3)


def test_levels_never_cross_even_far_from_the_training_data():
    X, y = random_walk()
    model = make_pipeline(WindowTransformer(window=5),
                          GRURegressor(**{**QUANTILE_NETWORK, "learning_rate": 0.05},
                                       quantiles=(0.1, 0.25, 0.5, 0.75, 0.9)))
    model.fit(X[:-1], y[:-1])
    far = np.random.RandomState(3).normal(scale=1e3, size=(200, 5))
    levels = model[-1].predict_quantiles(far)
    assert levels.shape == (200, 5)
    assert np.all(np.diff(levels, axis=1) >= 0)


def test_multi_step_quantiles_through_target_scaling_and_a_pipeline():
    X, _ = random_walk(260)
    series = X[:, 0]
    Y = np.column_stack([series[h:len(series) - 3 + h] for h in (1, 2, 3)])
    model = TransformedTargetRegressor(
        make_pipeline(MinMaxScaler(), WindowTransformer(window=5),
                      LSTMRegressor(**QUANTILE_NETWORK)),
        transformer=MinMaxScaler()).fit(X[:-3], Y)
    levels = predict_quantiles(model, X[-20:-3])
    assert levels.shape == (17, 3, 3)
    assert np.all(np.diff(levels, axis=-1) >= 0)
    np.testing.assert_allclose(levels[..., 1], model.predict(X[-20:-3]), rtol=1e-6)
    inner = model.regressor_[-1].predict_quantiles(model.regressor_[:-1].transform(X[-20:-3]))
    np.testing.assert_allclose(
        levels[..., 0], model.transformer_.inverse_transform(inner[..., 0]), rtol=1e-6)


def test_quantile_network_pickles_and_scores_with_pinball_loss_in_a_search():
    X, y = random_walk(200)
    search = GridSearchCV(
        make_pipeline(WindowTransformer(window=4), GRURegressor(**QUANTILE_NETWORK)),
        {"gruregressor__units": [(3,), (4,)]},
        cv=TimeSeriesSplit(2), scoring=make_scorer(mean_pinball_loss, alpha=0.5,
                                                   greater_is_better=False),
    ).fit(X, y)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    again = pickle.loads(pickle.dumps(search))
    np.testing.assert_array_equal(predict_quantiles(again, X[-10:]),
                                  predict_quantiles(search, X[-10:]))


@pytest.mark.parametrize("quantiles, message", [
    ((0.0, 0.5, 0.9), r"levels in \(0, 1\)"),
    ((0.9, 0.5, 0.1), "strictly increasing"),
    ((0.1, 0.9), "must include 0.5"),
    ((), "non-empty"),
])
def test_bad_quantiles_are_refused_at_fit(quantiles, message):
    X, y = random_walk(60)
    with pytest.raises(ValueError, match=message):
        GRURegressor(**QUANTILE_NETWORK, quantiles=quantiles).fit(X, y)


def test_quantiles_of_a_point_network_or_a_linear_model_are_refused():
    X, y = random_walk(60)
    with pytest.raises(ValueError, match="needs a network fitted with loss='quantile'"):
        GRURegressor(**TINY_NETWORK).fit(X, y).predict_quantiles(X)
    # what was fitted decides, not a parameter changed since, nor an earlier fit
    quantile = GRURegressor(**QUANTILE_NETWORK).fit(X, y)
    assert quantile.set_params(loss="mse").predict(X).shape == (len(X),)
    refitted = quantile.fit(X, y)
    assert refitted.predict(X).shape == (len(X),)
    with pytest.raises(ValueError, match="needs a network fitted with loss='quantile'"):
        refitted.predict_quantiles(X)
    with pytest.raises(TypeError, match="Ridge gives no quantiles"):
        predict_quantiles(make_pipeline(MinMaxScaler(), Ridge()).fit(X, y), X)


def test_the_median_alone_is_a_quantile_network():
    X, y = sine_series()
    windows = WindowTransformer(window=5, time_axis="positions").fit_transform(X)
    model = GRURegressor(**TINY_NETWORK, loss="quantile", quantiles=(0.5,),
                         random_state=0).fit(windows, y)
    levels = model.predict_quantiles(windows)
    assert levels.shape == (len(X), 1)
    np.testing.assert_array_equal(levels[:, 0], model.predict(windows))
