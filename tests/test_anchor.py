"""The closed-form part of the networks: standardisation, the linear and last-value anchors."""

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import TransformedTargetRegressor
from sklearn.linear_model import LinearRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, MinMaxScaler, StandardScaler

from conftest import TINY_NETWORK, ar2_series, linear_anchor_by_hand
from skrnn import GRURegressor, LSTMRegressor, PersistenceRegressor, RNNRegressor, WindowTransformer
from skrnn._anchor import (
    RELATIVE_ALPHAS,
    SMOOTHING_GRID,
    combination_weights,
    fit_anchor,
    next_value_map,
    ridge_on_windows,
    smoothing_weights,
    standardisation,
    validation_error,
)


def random_walk(n=300, seed=0):
    return 50 + np.cumsum(np.random.default_rng(seed).normal(size=n + 1))


def test_ridge_on_windows_reads_strided_windows_in_chunks_like_a_copy():
    rng = np.random.default_rng(0)
    series = rng.normal(size=(9000, 2))
    windows = np.lib.stride_tricks.sliding_window_view(series, 3, axis=0).transpose(0, 2, 1)
    y = rng.normal(size=(len(windows), 1))
    stats = dict(x_mean=np.zeros(2), x_scale=np.ones(2), y_mean=np.zeros(1), y_scale=np.ones(1))
    kernel, bias = ridge_on_windows(windows, y, **stats, relative_alphas=(1e-12,))
    expected = LinearRegression().fit(windows.reshape(len(windows), -1), y)
    np.testing.assert_allclose(kernel[:, 0], expected.coef_[0], atol=1e-8)
    np.testing.assert_allclose(bias, expected.intercept_, atol=1e-8)


def test_ridge_on_windows_keeps_the_penalty_with_the_least_leave_one_out_error():
    # Brute force: refit without each row in turn, for every penalty.
    rng = np.random.default_rng(0)
    n, width = 40, 12
    windows = rng.normal(size=(n, 6, 2))
    y = rng.normal(size=(n, 2)) + windows[:, -1, :1]
    prior = rng.normal(size=(width, 2)), rng.normal(size=2)
    stats = dict(x_mean=np.zeros(2), x_scale=np.ones(2), y_mean=np.zeros(2), y_scale=np.ones(2))
    design = np.hstack([windows.reshape(n, -1), np.ones((n, 1))])
    start = np.vstack([prior[0], prior[1][None]])
    unit = np.trace(design[:, :width].T @ design[:, :width]) / width

    def shrunk_fit(alpha, rows):
        penalty = np.diag(np.r_[np.full(width, alpha * unit), 0.0])  # intercept not shrunk
        residual = y[rows] - design[rows] @ start
        return start + np.linalg.solve(design[rows].T @ design[rows] + penalty,
                                       design[rows].T @ residual)

    errors = [sum(np.sum((design[i] @ shrunk_fit(alpha, np.arange(n) != i) - y[i]) ** 2)
                  for i in range(n)) for alpha in RELATIVE_ALPHAS]
    best = RELATIVE_ALPHAS[int(np.argmin(errors))]
    assert 1e-6 < best < 100  # an inner penalty, so that the choice is tested
    kernel, bias = ridge_on_windows(windows, y, **stats, prior=prior)
    expected = shrunk_fit(best, np.arange(n) >= 0)
    np.testing.assert_allclose(kernel, expected[:width], atol=1e-10)
    np.testing.assert_allclose(bias, expected[width], atol=1e-10)


@pytest.mark.parametrize("lag", [1, 3])
def test_next_value_map_finds_the_exact_scaling_between_x_and_y(lag):
    series = random_walk()
    last, target = 2.0 * series[:-lag] - 7.0, 0.5 * series[lag:] + 1.0  # y[t] = x[t + lag]
    slope, intercept = next_value_map(last, target[:, None])
    np.testing.assert_allclose(slope * last[lag:] + intercept, target[:-lag])
    assert next_value_map(last, np.random.default_rng(1).normal(size=(len(last), 1))) is None


def test_constant_columns_are_not_divided_by_zero():
    mean, scale = standardisation(np.column_stack([np.ones(5), np.arange(5.0)]))
    assert scale[0] == 1.0 and mean[0] == 1.0


X_SCALERS = {
    "none": "passthrough",
    "minmax": MinMaxScaler(),
    "standard": StandardScaler(),
    "log": FunctionTransformer(np.log, np.exp),
}
Y_SCALERS = {"none": None, "minmax": MinMaxScaler(), "standard": MinMaxScaler(),  # mixed
             "log": FunctionTransformer(np.log, np.exp)}


def readme_pipeline(model, scaling, window=5):
    return TransformedTargetRegressor(
        make_pipeline(X_SCALERS[scaling], WindowTransformer(window), model),
        transformer=Y_SCALERS[scaling])


@pytest.mark.parametrize("scaling", list(X_SCALERS))
def test_persistence_and_untrained_last_anchor_are_true_persistence_under_any_scalers(scaling):
    series = random_walk()
    X, y = series[:-1, None], series[1:]
    untrained = dict(TINY_NETWORK, epochs=1, learning_rate=1e-12, early_stopping=False,
                     random_state=0)
    for model in (PersistenceRegressor(), LSTMRegressor(**untrained, anchor="last")):
        fitted = readme_pipeline(model, scaling).fit(X[:200], y[:200])
        np.testing.assert_allclose(fitted.predict(X[200:]), X[200:, 0], rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("scaling", ["none", "minmax", "standard"])
def test_untrained_linear_anchor_is_the_closed_form_fit_under_affine_scalers(scaling):
    # The anchor is least squares on the window with its coefficients shrunk toward
    # persistence: the same fit in y's units, whatever the scalers.
    X, y = ar2_series()
    model = RNNRegressor(**{**TINY_NETWORK, "epochs": 1}, learning_rate=1e-12, anchor="linear",
                         random_state=0)
    fitted = readme_pipeline(model, scaling).fit(X[:200], y[:200])
    windows = np.asarray(WindowTransformer(5).fit_transform(X))
    by_hand, _ = linear_anchor_by_hand(windows, X, y, n_fit=200)
    np.testing.assert_allclose(fitted.predict(X[200:]), by_hand[200:], rtol=1e-5)


def test_auto_anchor_picks_persistence_on_a_random_walk_and_linear_on_structure():
    # 60 lags on 200 rows: the ridge overfits the walk's noise, persistence does not.
    walk = random_walk(n=200)
    auto = dict(TINY_NETWORK, random_state=0)
    on_walk = make_pipeline(WindowTransformer(60), GRURegressor(**auto)).fit(walk[:-1, None],
                                                                            walk[1:])
    t = np.arange(401.0)
    seasonal = np.sin(2 * np.pi * t / 12) * 10 + np.random.default_rng(0).normal(size=401)
    on_season = make_pipeline(WindowTransformer(24), GRURegressor(**auto)).fit(
        seasonal[:-1, None], seasonal[1:])
    assert (on_walk[-1].anchor_, on_season[-1].anchor_) == ("last", "linear")


def test_early_stopping_never_ends_worse_than_the_anchor_on_the_validation_rows():
    series = random_walk(n=400, seed=3)
    X, y = series[:-1, None], series[1:]
    # A huge learning rate ruins every epoch: the untrained network (the anchor) is restored.
    model = make_pipeline(WindowTransformer(5), LSTMRegressor(
        **{**TINY_NETWORK, "epochs": 3, "early_stopping": True}, learning_rate=5.0, patience=2,
        anchor="last", random_state=0)).fit(X, y)
    np.testing.assert_allclose(model.predict(X[-40:]), X[-40:, 0], rtol=1e-5)
    assert model[-1].kept_epoch_ == 0


@pytest.mark.parametrize("anchor", ["linear", "last"])
def test_target_feature_out_of_range_is_refused_for_either_anchor(anchor):
    # The linear anchor is shrunk toward that feature's last value: the index must exist.
    windows = np.random.default_rng(0).normal(size=(40, 5, 2))
    model = LSTMRegressor(**TINY_NETWORK, anchor=anchor, target_feature=2, random_state=0)
    with pytest.raises(ValueError, match="target_feature=2 is out of range"):
        model.fit(windows, windows[:, -1, 0])


def monthly_series(n=120, seed=0):
    """A trend, a season of 12 months and noise, dated: X (a frame) and y, the next value."""
    t = np.arange(n + 1.0)
    values = (50 + 0.3 * t + 8 * np.sin(2 * np.pi * t / 12)
              + np.random.default_rng(seed).normal(size=n + 1))
    dates = pd.date_range("2000-01-01", periods=n + 1, freq="MS")
    return pd.DataFrame({"v": values[:-1]}, index=dates[:-1]), values[1:]


def dated_readme_pipeline(model, window):
    """The README's pipeline: the scaler keeps the dates, from which the season is read."""
    return TransformedTargetRegressor(
        make_pipeline(MinMaxScaler().set_output(transform="pandas"), WindowTransformer(window),
                      model), transformer=MinMaxScaler())


UNTRAINED = dict(TINY_NETWORK, epochs=1, learning_rate=1e-12, random_state=0)


@pytest.mark.parametrize("anchor", ["seasonal", "seasonal_difference"])
def test_untrained_seasonal_anchors_are_their_closed_forms_under_the_readme_scalers(anchor):
    # Seasonal naive reads the value 12 months before the forecast time; the seasonal
    # difference adds to the last value its change over the last 12 months.
    X, y = monthly_series()
    fitted = dated_readme_pipeline(LSTMRegressor(**UNTRAINED, anchor=anchor), 13)
    fitted.fit(X[:90], y[:90])
    assert fitted.regressor_[-1].season_length_ == 12
    v, t = X["v"].to_numpy(), np.arange(90, len(X))
    expected = v[t - 11] if anchor == "seasonal" else v[t] + v[t - 11] - v[t - 12]
    np.testing.assert_allclose(fitted.predict(X[90:]), expected, rtol=1e-6)


def test_untrained_linear_anchor_with_a_season_is_shrunk_toward_the_best_of_three_priors():
    # Persistence, seasonal naive and the seasonal difference: the prior and the penalty of
    # least leave-one-out error, computed here with scikit-learn's Ridge.
    X, y = monthly_series(n=100)
    model = RNNRegressor(**UNTRAINED, anchor="linear")
    fitted = dated_readme_pipeline(model, 13).fit(X[:80], y[:80])
    windows = np.asarray(WindowTransformer(13, time_axis="positions").fit_transform(X))
    priors = ({0: 1.0}, {11: 1.0}, {0: 1.0, 11: 1.0, 12: -1.0})
    by_hand, _ = linear_anchor_by_hand(windows, X.to_numpy(), y, n_fit=80, priors=priors)
    np.testing.assert_allclose(fitted.predict(X[80:]), by_hand[80:], rtol=1e-5)


def test_auto_weighs_the_anchors_by_their_inverse_squared_rolling_origin_errors():
    weights = combination_weights({"linear": 1.0, "last": 2.0, "seasonal": 20.0,
                                   "seasonal_difference": np.inf})
    assert weights == pytest.approx({"linear": 0.8, "last": 0.2})  # 1/400 is under 1 %
    assert combination_weights(None) == {"last": 1.0}  # too few rows to compare anchors
    X, y = monthly_series()
    auto = dated_readme_pipeline(LSTMRegressor(**UNTRAINED), 13).fit(X[:90], y[:90])
    weights = auto.regressor_[-1].anchor_weights_
    assert len(weights) > 1 and auto.regressor_[-1].anchor_ == max(weights, key=weights.get)
    alone = {name: dated_readme_pipeline(LSTMRegressor(**UNTRAINED, anchor=name), 13)
             .fit(X[:90], y[:90]).predict(X[90:]) for name in weights}
    np.testing.assert_allclose(auto.predict(X[90:]),
                               sum(w * alone[name] for name, w in weights.items()), rtol=1e-5)


def test_seasons_the_windows_cannot_reach_are_refused_or_left_out():
    X, y = monthly_series(n=60)
    with pytest.raises(ValueError, match="season_length=13 reaches further back than the "
                                         "windows, of 12 steps"):
        dated_readme_pipeline(LSTMRegressor(**UNTRAINED, season_length=13), 12).fit(X, y)
    with pytest.raises(ValueError, match="anchor='seasonal_difference' reads the value one "
                                         "season before the last step"):
        dated_readme_pipeline(LSTMRegressor(**UNTRAINED, anchor="seasonal_difference"),
                              12).fit(X, y)
    with pytest.raises(ValueError, match="anchor='seasonal' needs a season"):
        dated_readme_pipeline(LSTMRegressor(**UNTRAINED, anchor="seasonal",
                                            season_length=None), 12).fit(X, y)
    # "auto" with windows shorter than the season of the dates: no seasonal anchor.
    short = dated_readme_pipeline(LSTMRegressor(**UNTRAINED), 6).fit(X, y).regressor_[-1]
    assert short.season_length_ is None and set(short.anchor_weights_) <= {"linear", "last"}


def holt_winters_by_hand(window, h, alpha, beta, gamma, m):
    """Additive Holt-Winters on one window, one scalar at a time (Hyndman and Athanasopoulos,
    8.3), from Hyndman's heuristic start: the first value, or the first season's mean, its
    deviations and a trend from the first two seasons' means."""
    seasonal = gamma is not None
    trend = 0.0
    if seasonal:
        first = window[:m].mean()
        if beta is not None:
            trend = (window[m : 2 * m].mean() - first) / m
        level = first + trend * (m - 1) / 2
        season = [window[k] - first - trend * (k - (m - 1) / 2) for k in range(m)]
    else:
        level = window[0]
    for t in range(m if seasonal else 1, len(window)):
        old_level, old_trend = level, trend
        old_season = season[t % m] if seasonal else 0.0
        level = alpha * (window[t] - old_season) + (1 - alpha) * (old_level + old_trend)
        if beta is not None:
            trend = beta * (level - old_level) + (1 - beta) * old_trend
        if seasonal:
            season[t % m] = gamma * (window[t] - old_level - old_trend) + (1 - gamma) * old_season
    return level + h * trend + (season[(len(window) - 1 + h) % m] if seasonal else 0.0)


@pytest.mark.parametrize("beta, gamma", [(None, None), (0.2, None), (None, 0.3), (0.05, 0.5)])
def test_smoothing_weights_are_the_holt_winters_recursion_as_a_linear_filter(beta, gamma):
    window = np.random.default_rng(1).normal(size=26).cumsum()
    weights = smoothing_weights(26, [1, 3], 0.3, beta, gamma, 12 if gamma else None)
    expected = [holt_winters_by_hand(window, h, 0.3, beta, gamma, 12) for h in (1, 3)]
    np.testing.assert_allclose(window @ weights, expected, rtol=1e-10)
    np.testing.assert_allclose(weights.sum(axis=0), 1.0)  # exact on a constant
    line = 5.0 + 0.5 * np.arange(29)  # with a trend started from two seasons, exact on a line
    if beta is not None and gamma is not None:
        np.testing.assert_allclose(line[:26] @ weights, line[[26, 28]], rtol=1e-10)


def test_untrained_smoothing_anchor_is_the_best_grid_filter_under_the_readme_scalers():
    # The grid point is chosen by the error on the training rows, which the affine maps of the
    # two MinMaxScalers only rescale: chosen here on the raw values.
    X, y = monthly_series()
    fitted = dated_readme_pipeline(LSTMRegressor(**UNTRAINED, anchor="exponential_smoothing"),
                                   25).fit(X[:90], y[:90])
    v = X["v"].to_numpy()
    padded = np.r_[np.full(24, v[0]), v]  # the first windows start with the first value
    windows = np.lib.stride_tricks.sliding_window_view(padded, 25)
    settings = [(a, b, g) for a in SMOOTHING_GRID["alpha"] for b in SMOOTHING_GRID["beta"]
                for g in SMOOTHING_GRID["gamma"]]
    forecasts = {s: np.array([holt_winters_by_hand(w, 1, *s, 12) for w in windows])
                 for s in settings}
    best = min(settings, key=lambda s: np.mean((forecasts[s][:90] - y[:90]) ** 2))
    np.testing.assert_allclose(fitted.predict(X[90:]), forecasts[best][90:], rtol=1e-6)


def test_smoothing_anchor_needs_y_to_be_a_later_value_of_the_target_feature():
    X, y = monthly_series(n=60)
    with pytest.raises(ValueError, match="anchor='exponential_smoothing' smooths the values "
                                         "of target_feature=0, but y is not a later value"):
        dated_readme_pipeline(LSTMRegressor(**UNTRAINED, anchor="exponential_smoothing"),
                              12).fit(X, np.sin(np.arange(60.0)) ** 2)


def test_the_smoothing_prior_lowers_the_linear_anchors_error_on_a_local_level():
    # A random walk seen through noise (ARIMA(0,1,1), Nile-like): exponential smoothing is its
    # best linear forecast, persistence and a free ridge are noisy.
    rng = np.random.default_rng(0)
    series = rng.normal(size=400).cumsum() * 0.3 + rng.normal(size=400) * 2.0
    X = np.lib.stride_tricks.sliding_window_view(series[:-1], 10)[:, :, None]
    y = series[10:, None]
    (x_mean, x_scale), (y_mean, y_scale) = standardisation(X[:, -1, :]), standardisation(y)
    stats = dict(x_mean=x_mean, x_scale=x_scale, y_mean=y_mean, y_scale=y_scale)
    errors = {}
    for priors in (("last",), ("last", "exponential_smoothing")):
        coefficients = fit_anchor("linear", X[:250], y[:250], 0, priors=priors, **stats)
        errors[priors] = validation_error("linear", coefficients, X[250:], y[250:], 0, **stats)
    assert errors[("last", "exponential_smoothing")] < 0.9 * errors[("last",)]
