"""The LSTM and SimpleRNN reference workloads on each Keras 3 backend that imports here.

Reference workload (issue #4): 1258 daily MSFT closes, window 120, two stacked recurrent layers of
50 units, Dense(25), Dense(1), adam/mse, batch 32, a fixed number of epochs, fit + predict through
``Pipeline([WindowTransformer(120), <cell>Regressor(...)])``. Keras picks its backend from
``KERAS_BACKEND`` when imported, so each run is a fresh process; runs alternate between backends
and the script prints median wall times and their ratio to TensorFlow (skrnn's default backend).
A backend whose package is missing is reported as such (``pip install jax`` or
``pip install torch`` to add one).

    python benchmarks/bench_backends.py [--epochs 3] [--repeats 3]
"""

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys

CHILD = """
import sys, time
from sklearn.pipeline import Pipeline
from skrnn import LSTMRegressor, RNNRegressor, WindowTransformer
from skrnn import _network  # noqa: F401  (import Keras before timing)
from skrnn.datasets import load_msft, make_supervised

cell, epochs = sys.argv[1], int(sys.argv[2])
X, y = make_supervised(load_msft().iloc[-1259:], "Close")
low, high = X["Close"].min(), X["Close"].max()
X, y = (X.to_numpy() - low) / (high - low), (y.to_numpy() - low) / (high - low)
regressor = {"rnn": RNNRegressor, "lstm": LSTMRegressor}[cell]
model = Pipeline([("window", WindowTransformer(window=120)),
                  ("model", regressor(units=(50, 50), dense_units=(25,), epochs=epochs,
                                      batch_size=32, random_state=0, anchor=None,
                                      early_stopping=False))])
start = time.perf_counter()
model.fit(X, y).predict(X)
import keras
print(keras.backend.backend(), time.perf_counter() - start)
"""

MODULES = {"tensorflow": "tensorflow", "jax": "jax", "torch": "torch"}


def timed(backend, cell, epochs):
    result = subprocess.run([sys.executable, "-c", CHILD, cell, str(epochs)], check=True,
                            capture_output=True, text=True,
                            env={**os.environ, "KERAS_BACKEND": backend})
    used, seconds = result.stdout.split()[-2:]
    assert used == backend, (used, backend)
    return float(seconds)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    backends = [name for name, module in MODULES.items() if importlib.util.find_spec(module)]
    missing = sorted(set(MODULES) - set(backends))
    print(f"{os.cpu_count()} cores, {args.epochs} epochs, median of {args.repeats}; "
          f"not installed: {', '.join(missing) or 'none'}")
    for cell in ("rnn", "lstm"):
        times = {backend: [] for backend in backends}
        for _ in range(args.repeats):
            for backend in backends:
                times[backend].append(timed(backend, cell, args.epochs))
        reference = statistics.median(times["tensorflow"])
        for backend, values in times.items():
            median = statistics.median(values)
            print(f"{cell:4s}  {backend:10s}  fit+predict {median:6.2f} s   "
                  f"ratio to tensorflow {median / reference:.2f}", flush=True)


if __name__ == "__main__":
    main()
