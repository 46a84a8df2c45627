"""skrnn's fit + predict wall time relative to the same work written in raw Keras.

Reference workload (issue #4): 1258 daily closes, window 120, two stacked recurrent layers of 50
units, Dense(25), Dense(1), adam/mse, batch 32, a fixed number of epochs. Raw Keras builds the
windows with NumPy and calls ``model.fit`` on in-memory arrays; skrnn runs
``Pipeline([WindowTransformer(120), LSTMRegressor(...)])``. Runs alternate, and the script prints
the median of each and their ratio (skrnn / raw); absolute seconds depend on the machine.

    python benchmarks/bench_overhead.py [--epochs 5] [--repeats 3]
"""

import argparse
import statistics
import time

import numpy as np
from sklearn.pipeline import Pipeline

from skrnn import (
    LSTMRegressor,
    RNNRegressor,
    WindowTransformer,
    _network,  # noqa: F401  (imports Keras quietly, as skrnn does)
)
from skrnn.datasets import load_msft, make_supervised

WINDOW, BATCH = 120, 32


def data():
    X, y = make_supervised(load_msft().iloc[-1259:], "Close")
    low, high = X["Close"].min(), X["Close"].max()
    return (X.to_numpy() - low) / (high - low), (y.to_numpy() - low) / (high - low)


def raw_keras(cell, X, y, epochs):
    import keras

    padded = np.concatenate([np.repeat(X[:1], WINDOW - 1, axis=0), X])
    windows = np.lib.stride_tricks.sliding_window_view(padded[:, 0], WINDOW)
    windows = np.ascontiguousarray(windows[..., None], dtype=np.float32)
    layer = {"rnn": keras.layers.SimpleRNN, "lstm": keras.layers.LSTM}[cell]
    model = keras.Sequential([
        keras.Input((WINDOW, 1)), layer(50, return_sequences=True), layer(50),
        keras.layers.Dense(25, activation="relu"), keras.layers.Dense(1),
    ])
    model.compile(optimizer="adam", loss="mse")
    model.fit(windows, y.astype(np.float32), batch_size=BATCH, epochs=epochs, verbose=0)
    return model.predict(windows, verbose=0)


def skrnn_pipeline(cell, X, y, epochs):
    regressor = {"rnn": RNNRegressor, "lstm": LSTMRegressor}[cell]
    model = Pipeline([("window", WindowTransformer(window=WINDOW)),
                      ("model", regressor(units=(50, 50), dense_units=(25,), epochs=epochs,
                                          batch_size=BATCH,
                                          learning_rate=0.001,  # Keras' adam default
                                          anchor=None, early_stopping=False))])  # raw work
    return model.fit(X, y).predict(X)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    X, y = data()
    for cell in ("rnn", "lstm"):
        times = {"raw": [], "skrnn": []}
        for _ in range(args.repeats):
            for name, run in (("raw", raw_keras), ("skrnn", skrnn_pipeline)):
                started = time.perf_counter()
                run(cell, X, y, args.epochs)
                times[name].append(time.perf_counter() - started)
        raw, ours = statistics.median(times["raw"]), statistics.median(times["skrnn"])
        print(f"{cell:5s} raw Keras {raw:7.2f}s  skrnn {ours:7.2f}s  ratio skrnn/raw "
              f"{ours / raw:.3f}  (median of {args.repeats}, {args.epochs} epochs)")


if __name__ == "__main__":
    main()
