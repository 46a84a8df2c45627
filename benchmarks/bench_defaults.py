"""skrnn's default training against the tutorial's (batch_size=1, one epoch): test RMSE and time.

The tutorial this replaces (the classic "predict stock prices with an LSTM" notebook): MinMaxScaler
fitted on *all* closes, windows of the previous 60 closes built in a Python loop, the first 80%
of the days for training, ``LSTM(50) -> LSTM(50) -> Dense(25) -> Dense(1)``, adam/mse,
``model.fit(batch_size=1, epochs=1)``, RMSE in dollars on the last 20%. It is reproduced as
written (its scaler leakage only flatters it).

skrnn: ``TransformedTargetRegressor(Pipeline([MinMaxScaler(), WindowTransformer(window=60),
LSTMRegressor()]), transformer=MinMaxScaler())`` with every setting at its default (one
``LSTM(50)`` layer, ``Dense(25)``, batch 32, 20 epochs at learning rate 0.003, shuffled), both
scalers fitted on the training days only. Both predict the same test days of the same series.
Runs alternate over seeds; the script prints each run and the medians.

``--span test`` (the default) uses the last 1258 MSFT closes, whose last 251 days are the test
days. ``--span validation`` uses the 1258 closes that end 251 days earlier, so its test days are
the 251 days before those of ``--span test``: candidate defaults were compared there, each given
as ``--candidate JSON`` (LSTMRegressor arguments; ``{}`` is the defaults).

    python benchmarks/bench_defaults.py [--seeds 0,1,2] [--span validation --candidate '{}' ...]
"""

import argparse
import json
import math
import statistics
import time

import numpy as np
from sklearn.compose import TransformedTargetRegressor
from sklearn.metrics import root_mean_squared_error
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler

from skrnn import LSTMRegressor, WindowTransformer
from skrnn.datasets import load_msft

WINDOW = 60


def tutorial(closes, seed):
    """The tutorial's code, kept as close to the original as Keras 3 allows."""
    import keras

    keras.utils.set_random_seed(seed)
    dataset = closes.reshape(-1, 1)
    training_data_len = math.ceil(len(dataset) * 0.8)
    scaler = MinMaxScaler(feature_range=(0, 1))
    scaled_data = scaler.fit_transform(dataset)
    train_data = scaled_data[0:training_data_len, :]
    x_train, y_train = [], []
    for i in range(WINDOW, len(train_data)):
        x_train.append(train_data[i - WINDOW:i, 0])
        y_train.append(train_data[i, 0])
    x_train, y_train = np.array(x_train), np.array(y_train)
    x_train = np.reshape(x_train, (x_train.shape[0], x_train.shape[1], 1))
    model = keras.Sequential([
        keras.Input((x_train.shape[1], 1)),
        keras.layers.LSTM(50, return_sequences=True),
        keras.layers.LSTM(50, return_sequences=False),
        keras.layers.Dense(25),
        keras.layers.Dense(1),
    ])
    model.compile(optimizer="adam", loss="mean_squared_error")
    model.fit(x_train, y_train, batch_size=1, epochs=1, verbose=0)
    test_data = scaled_data[training_data_len - WINDOW:, :]
    y_test = dataset[training_data_len:, :]
    x_test = np.array([test_data[i - WINDOW:i, 0] for i in range(WINDOW, len(test_data))])
    x_test = np.reshape(x_test, (x_test.shape[0], x_test.shape[1], 1))
    predictions = scaler.inverse_transform(model.predict(x_test, verbose=0))
    return np.sqrt(np.mean((predictions - y_test) ** 2)), len(y_test)


def skrnn_defaults(closes, seed, **params):
    X, y = closes[:-1, None], closes[1:]  # predict the next close from those up to today
    n_test = len(closes) - math.ceil(len(closes) * 0.8)  # the tutorial's test days
    model = TransformedTargetRegressor(
        Pipeline([("scale", MinMaxScaler()), ("window", WindowTransformer(window=WINDOW)),
                  ("lstm", LSTMRegressor(random_state=seed, **params))]),
        transformer=MinMaxScaler())
    model.fit(X[:-n_test], y[:-n_test])
    return root_mean_squared_error(y[-n_test:], model.predict(X[-n_test:])), n_test


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--span", choices=["test", "validation"], default="test")
    parser.add_argument("--candidate", action="append", type=json.loads,
                        help="LSTMRegressor arguments as JSON, repeatable; default: '{}'")
    args = parser.parse_args()
    closes = load_msft()["Close"].to_numpy()
    closes = closes[-1258:] if args.span == "test" else closes[-1258 - 251 : -251]
    candidates = {"tutorial": None}
    candidates.update({json.dumps(c) if c else "skrnn": c for c in args.candidate or [{}]})
    # Import Keras and trace a first network before timing, so that no run pays the process's
    # one-off start-up.
    skrnn_defaults(closes[:200], 0, units=(4,), dense_units=(), epochs=1)

    results = {name: [] for name in candidates}
    for seed in map(int, args.seeds.split(",")):
        for name, params in candidates.items():
            start = time.perf_counter()
            if params is None:
                rmse, n_test = tutorial(closes, seed)
            else:
                rmse, n_test = skrnn_defaults(closes, seed, **params)
            seconds = time.perf_counter() - start
            results[name].append((rmse, seconds))
            print(f"seed {seed}  {name:8s}  {args.span} RMSE {rmse:6.3f} USD on {n_test} days  "
                  f"fit+predict {seconds:5.1f} s", flush=True)
    rmse_t, time_t = (statistics.median(c) for c in zip(*results["tutorial"], strict=True))
    print(f"medians ({args.span} span): tutorial RMSE {rmse_t:.3f} USD in {time_t:.1f} s")
    for name, runs in list(results.items())[1:]:
        rmse_s, time_s = (statistics.median(c) for c in zip(*runs, strict=True))
        print(f"  {name}: RMSE {rmse_s:.3f} USD in {time_s:.1f} s; against the tutorial: "
              f"RMSE ratio {rmse_s / rmse_t:.2f}, time ratio {time_s / time_t:.2f}")


if __name__ == "__main__":
    main()
