"""skrnn's networks as the regressor of skforecast and sktime (the ``interop`` extra).

skforecast hands its regressor plain arrays of lags newest first (``lag_1`` is the latest
value); sktime's reductions hand them oldest first. Either way the network must see the same
sequences, in time order, as skrnn's own windows.
"""

import numpy as np
import pandas as pd
import pytest

from conftest import TINY_NETWORK
from skrnn import LSTMRegressor, PersistenceRegressor
from skrnn.datasets import load_msft

WINDOW = 5


@pytest.fixture(scope="module")
def closes():
    close = load_msft()["Close"].iloc[-160:]
    return pd.Series(close.to_numpy(), index=pd.RangeIndex(len(close)), name="y")


def own_windows(series):
    """skrnn's sequences for every row skforecast and sktime train on: oldest value first."""
    values = series.to_numpy()
    X = np.stack([values[t - WINDOW : t] for t in range(WINDOW, len(values) + 1)])
    return X[:, :, None], values[WINDOW:]


def network():
    return LSTMRegressor(**TINY_NETWORK, random_state=0)


def test_skforecast_lags_are_read_newest_first_and_match_skrnns_own_network(closes):
    from skforecast.recursive import ForecasterRecursive

    forecaster = ForecasterRecursive(estimator=network(), lags=WINDOW)
    forecaster.fit(closes)
    inner = forecaster.estimator
    assert inner.column_order_ == "newest_first"
    X, y = own_windows(closes)
    own = network().fit(X[:-1], y)
    np.testing.assert_allclose(forecaster.predict(steps=1).to_numpy(), own.predict(X[-1:]),
                               rtol=1e-6)


def test_skforecast_persistence_is_the_latest_value(closes):
    from skforecast.recursive import ForecasterRecursive

    forecaster = ForecasterRecursive(estimator=PersistenceRegressor(), lags=WINDOW)
    forecaster.fit(closes)
    np.testing.assert_array_equal(forecaster.predict(steps=3).to_numpy(),
                                  [closes.iloc[-1]] * 3)


def test_sktime_reduction_reads_oldest_first_and_matches_skrnns_own_network(closes):
    from sktime.forecasting.compose import make_reduction

    forecaster = make_reduction(network(), window_length=WINDOW, strategy="recursive")
    forecaster.fit(closes)
    X, y = own_windows(closes)
    own = network().fit(X[:-1], y)
    np.testing.assert_allclose(forecaster.predict(fh=[1]).to_numpy(), own.predict(X[-1:]),
                               rtol=1e-6)
    assert forecaster.estimator_.column_order_ == "oldest_first"
