"""skrnn's default training against the tutorial's (batch_size=1, one epoch): test RMSE and time.

The tutorial this replaces (the classic "predict stock prices with an LSTM" notebook): MinMaxScaler
fitted on *all* closes, windows of the previous 60 closes built in a Python loop, the first 80%
of the days for training, ``LSTM(50) -> LSTM(50) -> Dense(25) -> Dense(1)``, adam/mse,
``model.fit(batch_size=1, epochs=1)``, RMSE in dollars on the last 20%. It is reproduced as
written (its scaler leakage only flatters it).

skrnn: ``TransformedTargetRegressor(Pipeline([MinMaxScaler(), WindowTransformer(window=60),
LSTMRegressor()]), transformer=MinMaxScaler())`` with every training setting at its default
(the same layers; batch 32, 50 epochs, shuffled), both scalers fitted on the training days only.
Both predict the same test days from the same bundled series (the last 1258 MSFT closes).
Runs alternate over seeds; the script prints each run and the medians.

    python benchmarks/bench_defaults.py [--seeds 0,1,2]
"""

import argparse
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


def skrnn_defaults(closes, seed):
    X, y = closes[:-1, None], closes[1:]  # predict the next close from those up to today
    n_test = len(closes) - math.ceil(len(closes) * 0.8)  # the tutorial's test days
    model = TransformedTargetRegressor(
        Pipeline([("scale", MinMaxScaler()), ("window", WindowTransformer(window=WINDOW)),
                  ("lstm", LSTMRegressor(random_state=seed))]),
        transformer=MinMaxScaler())
    model.fit(X[:-n_test], y[:-n_test])
    return root_mean_squared_error(y[-n_test:], model.predict(X[-n_test:])), n_test


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="0,1,2")
    args = parser.parse_args()
    closes = load_msft()["Close"].to_numpy()[-1258:]
    from skrnn import _network  # noqa: F401  (import Keras before timing anything)

    results = {"tutorial": [], "skrnn": []}
    for seed in map(int, args.seeds.split(",")):
        for name, run in (("tutorial", tutorial), ("skrnn", skrnn_defaults)):
            start = time.perf_counter()
            rmse, n_test = run(closes, seed)
            seconds = time.perf_counter() - start
            results[name].append((rmse, seconds))
            print(f"seed {seed}  {name:8s}  test RMSE {rmse:6.3f} USD on {n_test} days  "
                  f"fit+predict {seconds:5.1f} s", flush=True)
    medians = {name: [statistics.median(column) for column in zip(*runs, strict=True)]
               for name, runs in results.items()}
    (rmse_t, time_t), (rmse_s, time_s) = medians["tutorial"], medians["skrnn"]
    print(f"medians: tutorial RMSE {rmse_t:.3f} USD in {time_t:.1f} s; skrnn defaults RMSE "
          f"{rmse_s:.3f} USD in {time_s:.1f} s")
    print(f"skrnn/tutorial: RMSE ratio {rmse_s / rmse_t:.2f}, time ratio {time_s / time_t:.2f}")


if __name__ == "__main__":
    main()
