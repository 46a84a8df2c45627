"""Multi-step forecasts (direct and recursive), conformal intervals, anchored networks."""


import numpy as np
import pytest
from sklearn.compose import TransformedTargetRegressor
from sklearn.linear_model import LinearRegression, Ridge
from sklearn.metrics import root_mean_squared_error
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler

from conftest import TINY_NETWORK
from skrnn import (
    AdaptiveConformalRegressor,
    ConformalIntervalRegressor,
    GRURegressor,
    LSTMRegressor,
    PersistenceRegressor,
    WindowTransformer,
    forecast_recursive,
)
from skrnn.datasets import load_msft, make_supervised

TINY = dict(TINY_NETWORK, random_state=0)


def test_direct_multi_step_in_pipeline_grid_search():
    X, Y = make_supervised(load_msft().iloc[-260:], "Close", horizon=3, multi_output=True)
    model = TransformedTargetRegressor(
        make_pipeline(MinMaxScaler(), WindowTransformer(window=5), GRURegressor(**TINY)),
        transformer=MinMaxScaler(),
    )
    search = GridSearchCV(model, {"regressor__windowtransformer__window": [5, 8]},
                          cv=TimeSeriesSplit(2), scoring="neg_root_mean_squared_error")
    search.fit(X[:200], Y[:200])
    prediction = search.predict(X[200:])
    assert prediction.shape == (len(X) - 200, 3)
    assert search.score(X[200:], Y[200:]) == pytest.approx(
        -root_mean_squared_error(Y[200:], prediction))


def test_recursive_forecast_continues_a_learned_recurrence():
    series = np.arange(50.0).reshape(-1, 1)  # x[t+1] = x[t] + 1, learned exactly by OLS
    model = make_pipeline(WindowTransformer(window=3), LinearRegression())
    model.fit(series[:-1], series[1:, 0])
    np.testing.assert_allclose(forecast_recursive(model, series, steps=4), [50, 51, 52, 53])


def test_recursive_forecast_from_a_dated_series_after_the_fitted_span():
    # The series given may end long after the fitted span: each step's tail is windowed on
    # its own rows, so neither its dates nor a gap to the fitted span matter.
    X, y = make_supervised(load_msft().iloc[-200:], "Close")
    model = make_pipeline(WindowTransformer(window=5), LinearRegression()).fit(X[:100], y[:100])
    forecast = forecast_recursive(model, X, steps=2)
    last_window = X["Close"].to_numpy()[-5:][None, :]
    np.testing.assert_allclose(forecast[0], model[-1].predict(last_window)[0], rtol=1e-12)


def test_recursive_forecast_of_persistence_is_flat_and_keeps_frame_names():
    X, y = make_supervised(load_msft().iloc[-60:], "Close")
    model = make_pipeline(WindowTransformer(window=5), PersistenceRegressor()).fit(X, y)
    forecast = forecast_recursive(model, X, steps=3)
    np.testing.assert_array_equal(forecast, [X["Close"].iloc[-1]] * 3)


def test_recursive_forecast_refuses_a_model_with_several_outputs():
    series = np.arange(40.0).reshape(-1, 1)
    targets = np.column_stack([series[1:-1, 0], series[2:, 0]])  # t+1 and t+2
    model = make_pipeline(WindowTransformer(window=3), LinearRegression())
    model.fit(series[:-2], targets)
    with pytest.raises(ValueError, match="predicts 2 values per row"):
        forecast_recursive(model, series[:-2], steps=3)


def test_recursive_forecast_predicts_one_window_per_step_not_the_whole_history():
    series = np.arange(500.0).reshape(-1, 1)
    model = make_pipeline(WindowTransformer(window=4), LinearRegression())
    model.fit(series[:-1], series[1:, 0])
    rows_seen = []
    predict = model.predict
    model.predict = lambda X: rows_seen.append(len(X)) or predict(X)
    np.testing.assert_allclose(forecast_recursive(model, series, steps=3), [500, 501, 502])
    assert rows_seen == [4, 4, 4]


def test_recursive_forecast_of_a_searched_model_uses_the_chosen_window():
    series = np.cumsum(np.random.default_rng(0).normal(size=300)).reshape(-1, 1)
    search = GridSearchCV(make_pipeline(WindowTransformer(), LinearRegression()),
                          {"windowtransformer__window": [2, 6]}, cv=TimeSeriesSplit(2))
    search.fit(series[:-1], series[1:, 0])
    window = search.best_params_["windowtransformer__window"]
    expected = search.best_estimator_[-1].predict(series[-window:].reshape(1, -1))
    np.testing.assert_allclose(forecast_recursive(search, series, steps=1), expected)


@pytest.mark.parametrize("X, steps, match", [
    (np.ones((10, 2)), 2, "univariate"), (np.ones((10, 1)), 0, "steps"),
    (np.ones((1, 1)), 2, "fewer than the model's window of 2")])
def test_recursive_forecast_bad_input(X, steps, match):
    model = make_pipeline(WindowTransformer(window=2), PersistenceRegressor())
    with pytest.raises(ValueError, match=match):
        forecast_recursive(model.fit(np.ones((10, 1)), np.ones(10)), X, steps)


def test_conformal_interval_coverage_on_an_ar_process():
    rng = np.random.RandomState(0)
    x = np.zeros(3001)
    for t in range(1, len(x)):
        x[t] = 0.8 * x[t - 1] + rng.normal()
    X, y = x[:-1, None], x[1:]
    model = ConformalIntervalRegressor(make_pipeline(WindowTransformer(window=3), Ridge()),
                                       coverage=0.8, n_splits=5).fit(X[:2000], y[:2000])
    interval = model.predict_interval(X[2000:])
    covered = np.mean((interval[:, 0] <= y[2000:]) & (y[2000:] <= interval[:, 1]))
    assert abs(covered - 0.8) <= 0.08
    assert np.all(interval[:, 0] < model.predict(X[2000:]))


@pytest.mark.parametrize("n, coverage, lower, upper", [
    (9, 0.8, 1.0, 9.0),  # ranks floor(10 * 0.1) = 1 and ceil(10 * 0.9) = 9
    (19, 0.8, 2.0, 18.0),  # plain np.quantile would give 2.8 and 17.2: too narrow
    (5, 0.9, -np.inf, np.inf),  # too few errors for 90 %: an honest infinite interval
])
def test_conformal_quantiles_have_the_finite_sample_correction(n, coverage, lower, upper):
    from skrnn._forecast import _conformal_quantiles

    residuals = np.arange(1.0, n + 1)
    np.testing.assert_array_equal(_conformal_quantiles(residuals, coverage), [lower, upper])
    both = _conformal_quantiles(np.column_stack([residuals, 2 * residuals]), coverage)
    np.testing.assert_array_equal(both[:, 1], [2 * lower, 2 * upper])


def test_conformal_intervals_for_multi_output():
    X, Y = make_supervised(load_msft().iloc[-300:], "Close", horizon=2, multi_output=True)
    model = ConformalIntervalRegressor(
        make_pipeline(WindowTransformer(window=4), PersistenceRegressor()), n_splits=3)
    assert model.fit(X[:250], Y[:250]).predict_interval(X[250:]).shape == (len(X) - 250, 2, 2)


def volatility_jump(n=2400, seed=0):
    """A random walk whose steps are 4x larger in the second half: ``(X, y)``, next value."""
    rng = np.random.RandomState(seed)
    steps = rng.normal(size=n + 1) * np.where(np.arange(n + 1) < n // 2, 1.0, 4.0)
    walk = np.cumsum(steps)
    return walk[:-1, None], walk[1:]


def coverage_of(interval, y):
    return np.mean((interval[..., 0] <= y) & (y <= interval[..., 1]))


def test_adaptive_intervals_recover_coverage_after_a_volatility_jump():
    X, y = volatility_jump()
    persistence = make_pipeline(WindowTransformer(window=2), PersistenceRegressor())
    split = ConformalIntervalRegressor(persistence).fit(X[:1000], y[:1000])
    adaptive = AdaptiveConformalRegressor(persistence).fit(X[:1000], y[:1000])
    late = slice(1600, None)  # the volatile half, after the adaptive method has caught up
    split_coverage = coverage_of(split.predict_interval(X[1000:])[600:], y[late])
    adaptive_coverage = coverage_of(adaptive.predict_interval(X[1000:], y[1000:])[600:],
                                    y[late])
    assert split_coverage < 0.45  # constant width: far below the nominal 80 %
    assert abs(adaptive_coverage - 0.8) < 0.05


def test_adaptive_miss_rate_obeys_the_aci_bound_on_any_errors():
    # Gibbs & Candes (2021), Prop. 4.1: |miss rate - alpha| <= (max(a1, 1 - a1) + gamma) /
    # (gamma T), whatever the errors; here the errors switch scale and sign at random.
    rng = np.random.RandomState(1)
    errors = rng.normal(size=(3000, 1)) * rng.choice([0.1, 1, 10], size=(3000, 1))
    model = AdaptiveConformalRegressor(PersistenceRegressor(), gamma=0.02)
    model.residuals_ = errors[:100]
    bounds, _ = model._online_bounds(errors[:100], errors[100:], np.array([0.2]))
    missed = ~((bounds[:, 0, 0] <= errors[100:, 0]) & (errors[100:, 0] <= bounds[:, 1, 0]))
    assert abs(missed.mean() - 0.2) <= (0.8 + 0.02) / (0.02 * len(missed))


def test_adaptive_interval_of_a_row_never_sees_truths_not_yet_known():
    X, Y = make_supervised(load_msft().iloc[-400:], "Close", horizon=2, multi_output=True)
    model = AdaptiveConformalRegressor(
        make_pipeline(WindowTransformer(window=4), PersistenceRegressor()), n_splits=3,
        gamma=0.05, recent=50).fit(X[:250], Y[:250])
    truths = Y[250:].to_numpy()
    before = model.predict_interval(X[250:], truths)
    assert before.shape == (len(truths), 2, 2)
    changed = truths.copy()
    changed[100] += 100.0  # a shock at row 100: known for step 1 at row 101, step 2 at 102
    after = model.predict_interval(X[250:], changed)
    np.testing.assert_array_equal(after[:101], before[:101])
    np.testing.assert_array_equal(after[101, 1], before[101, 1])
    assert not np.array_equal(after[101, 0], before[101, 0])
    assert not np.array_equal(after[102, 1], before[102, 1])


def test_adaptive_intervals_without_truths_use_the_state_reached_in_fit():
    X, y = volatility_jump(600)
    model = AdaptiveConformalRegressor(
        make_pipeline(WindowTransformer(window=2), PersistenceRegressor())).fit(X, y)
    interval = model.predict_interval(X[-5:])
    np.testing.assert_allclose(interval - model.predict(X[-5:])[:, None],
                               np.tile(model.quantiles_, (5, 1)))
    assert 0 < model.alpha_[0] < 1
    with pytest.raises(ValueError, match="pass the truths of the rows of X"):
        model.predict_interval(X[-5:], np.ones((5, 2)))


def test_anchored_network_learns_the_change():
    X, y = make_supervised(load_msft().iloc[-400:], "Close")
    model = make_pipeline(WindowTransformer(window=5),
                          GRURegressor(**{**TINY, "epochs": 3}, anchor="last"))
    prediction = model.fit(X[:300], y[:300]).predict(X[300:])
    assert root_mean_squared_error(y[300:], prediction) < 1.2 * root_mean_squared_error(
        y[300:], X["Close"][300:])


def test_anchor_feature_out_of_range():
    with pytest.raises(ValueError, match="target_feature=3 is out of range"):
        LSTMRegressor(**TINY, anchor="last", target_feature=3).fit(np.ones((20, 4)), np.ones(20))
