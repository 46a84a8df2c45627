"""skrnn's LSTM inside skforecast: lags read in time order versus read backwards.

skforecast hands its regressor lags newest first (``lag_1`` = the latest value). The issue's
set-up: ``ForecasterRecursive(estimator=LSTMRegressor(units=(16,), dense_units=(), epochs=5),
lags=30, transformer_y=MinMaxScaler())``, backtested one step ahead (``TimeSeriesFold(steps=1,
refit=False)``) over the last 251 of the last 1258 bundled MSFT closes, seeds 0-2. Rows:
``column_order="auto"`` (skrnn finds the order), ``"oldest_first"`` (what v0.1 did: the
window read backwards), and ``PersistenceRegressor`` as the reference. Needs the ``interop``
extra (``pip install -e ".[interop]"``).

    python benchmarks/bench_interop.py [--seeds 0,1,2]
"""

import argparse
import time

import numpy as np
import pandas as pd
from sklearn.preprocessing import MinMaxScaler

from skrnn import LSTMRegressor, PersistenceRegressor
from skrnn.datasets import load_msft


def backtest_rmse(estimator, closes):
    from skforecast.model_selection import TimeSeriesFold, backtesting_forecaster
    from skforecast.recursive import ForecasterRecursive

    forecaster = ForecasterRecursive(estimator=estimator, lags=30,
                                     transformer_y=MinMaxScaler())
    fold = TimeSeriesFold(steps=1, initial_train_size=len(closes) - 251, refit=False,
                          verbose=False)
    started = time.perf_counter()
    metric, _ = backtesting_forecaster(forecaster, closes, cv=fold,
                                       metric="mean_squared_error", show_progress=False)
    return float(np.sqrt(metric.iloc[0, 0])), time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="0,1,2")
    args = parser.parse_args()
    close = load_msft()["Close"].iloc[-1258:]
    closes = pd.Series(close.to_numpy(), index=pd.RangeIndex(len(close)), name="close")
    rows = []
    persistence, seconds = backtest_rmse(PersistenceRegressor(), closes)
    rows.append(("persistence", "-", persistence, persistence, seconds))
    for order in ("auto", "oldest_first"):
        results = [backtest_rmse(LSTMRegressor(units=(16,), dense_units=(), epochs=5,
                                               column_order=order, random_state=int(seed)),
                                 closes) for seed in args.seeds.split(",")]
        rmses = [rmse for rmse, _ in results]
        rows.append(("lstm", order, float(np.median(rmses)), float(np.max(rmses)),
                     float(np.median([s for _, s in results]))))
    frame = pd.DataFrame(rows, columns=["model", "column_order", "median RMSE", "worst RMSE",
                                        "seconds"])
    frame["median / persistence"] = frame["median RMSE"] / persistence
    print("skforecast backtest, one step ahead, last 251 of 1258 MSFT closes (USD)")
    print(frame.round(3).to_string(index=False))


if __name__ == "__main__":
    main()
