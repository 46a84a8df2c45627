"""Settings shared by the test modules: a headless plotting backend and tiny networks."""

import re

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

# Small, fast networks: the suite fits hundreds of them. Imported by test modules that build
# estimators at collection time (parametrize); others use the fixtures below.
TINY_NETWORK = dict(units=(4,), dense_units=(), epochs=2, batch_size=32, early_stopping=False)


@pytest.fixture
def tiny():
    """Parameters of a tiny, seeded network."""
    return dict(TINY_NETWORK, random_state=0)


def ar2_series(n=300):
    """A noisy AR(2) process of ``n + 2`` values, as X (one column) and the next value."""
    noise = np.random.default_rng(0).normal(size=n)
    x = [10.0, 11.0]
    for e in noise:
        x.append(1.2 * x[-1] - 0.5 * x[-2] + 12 + 2 * e)
    series = np.asarray(x)
    return series[:-1, None], series[1:]


def linear_anchor_by_hand(windows, X, y, n_fit, priors=({0: 1.0},)):
    """The networks' linear anchor, computed with scikit-learn on the first `n_fit` rows of a
    univariate series: in standardised units, a prior forecast (by default persistence, the
    window's last column) plus the ridge regression of what it misses, with the prior and the
    penalty of least leave-one-out error. Each prior maps steps before the last one to
    weights summing to one (seasonal naive for a season m: ``{m - 1: 1.0}``). Returns its
    forecasts for all rows and its leave-one-out RMSE, both in y's units."""
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import LeaveOneOut, cross_val_score

    from skrnn._anchor import RELATIVE_ALPHAS

    x_mean, x_scale = X[:n_fit, 0].mean(), X[:n_fit, 0].std()
    y_mean, y_scale = y[:n_fit].mean(), y[:n_fit].std()
    design, target = (windows - x_mean) / x_scale, (y - y_mean) / y_scale
    unit = np.trace(design[:n_fit].T @ design[:n_fit]) / design.shape[1]
    leave_one_out = {}
    for k, prior in enumerate(priors):
        forecast = sum(w * design[:, -1 - back] for back, w in prior.items()) * x_scale / y_scale
        forecast = forecast + (x_mean - y_mean) / y_scale
        missed = target[:n_fit] - forecast[:n_fit]
        for alpha in RELATIVE_ALPHAS:
            leave_one_out[k, alpha] = -cross_val_score(
                Ridge(alpha * unit), design[:n_fit], missed, cv=LeaveOneOut(),
                scoring="neg_mean_squared_error").mean()
    k, alpha = min(leave_one_out, key=leave_one_out.get)
    prior = priors[k]
    forecast = sum(w * design[:, -1 - back] for back, w in prior.items()) * x_scale / y_scale
    forecast = forecast + (x_mean - y_mean) / y_scale
    fit = Ridge(alpha * unit).fit(design[:n_fit], target[:n_fit] - forecast[:n_fit])
    forecasts = (forecast + fit.predict(design)) * y_scale + y_mean
    return forecasts, np.sqrt(leave_one_out[k, alpha]) * y_scale


def sine_series(n=160, n_features=1):
    """``n`` rows of ``n_features`` sines and the next value of the first one."""
    t = np.arange(n + 1, dtype=float)
    X = np.column_stack([np.sin(t / (8 + k)) for k in range(n_features)])
    return X[:-1], X[1:, 0]


@pytest.fixture
def sine():
    return sine_series()


def trend_series(n=160):
    """A sine on a trend: ``(X, y)`` with ``y[t] = x[t + 1]``."""
    t = np.arange(n + 1, dtype=float)
    s = np.sin(t / 8) + t / 50
    return s[:-1, None], s[1:]


def scaled_pipeline(model, window=6):
    """The README's pipeline: scalers on X and y fitted inside, windows, then `model`."""
    from sklearn.compose import TransformedTargetRegressor
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import MinMaxScaler

    from skrnn import WindowTransformer

    return TransformedTargetRegressor(
        Pipeline([("scale", MinMaxScaler()), ("window", WindowTransformer(window=window)),
                  ("model", model)]),
        transformer=MinMaxScaler(),
    )


_TENSORFLOW_NATIVE_LOG = re.compile(
    r"^(WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR"
    r"|[IWEF]\d{4} [\d:. ]+\d+ [\w.]+:\d+\] .*"
    r"|To enable the following instructions: .* with the appropriate compiler flags\.)$"
)


def without_tensorflow_startup(stderr):
    """`stderr` less the lines TensorFlow's C++ runtime prints when it starts (its own to print;
    skrnn neither adds nor hides them), so that a test can demand silence from the rest."""
    return "\n".join(
        line for line in stderr.splitlines() if not _TENSORFLOW_NATIVE_LOG.match(line)
    )
