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
