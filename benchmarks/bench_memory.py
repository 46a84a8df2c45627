"""Peak memory of fitting and predicting on a long series, for several window lengths.

Each measurement runs in a fresh process: ``Pipeline([MinMaxScaler(), WindowTransformer(w),
RNNRegressor(...)])`` is fitted on a random-walk series of ``--steps`` values (one epoch, a tiny
network: memory, not accuracy, is measured) and then predicts every row. The script prints the
process's peak resident set size (RSS) against two references measured the same way: a process
that only imports Keras/TensorFlow, and the size one materialised ``(n, window, 1)`` array would
take.

    python benchmarks/bench_memory.py [--steps 1000000] [--windows 30,120,480]
"""

import argparse
import json
import subprocess
import sys
import time

CHILD = """
import json, resource, sys, time
import numpy as np
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler
from skrnn import RNNRegressor, WindowTransformer
from skrnn import _network  # imports Keras: the baseline below measures this much alone

steps, window = int(sys.argv[1]), int(sys.argv[2])
result = {}
if window:
    series = np.cumsum(np.random.default_rng(0).normal(size=steps + 1))
    X, y = series[:-1, None], series[1:]
    model = Pipeline([
        ("scale", MinMaxScaler()),
        ("window", WindowTransformer(window=window)),
        ("rnn", RNNRegressor(units=(4,), dense_units=(), epochs=1, batch_size=1024,
                             random_state=0, anchor=None, early_stopping=False)),
    ])
    start = time.perf_counter()
    model.fit(X, y)
    result["fit_s"] = time.perf_counter() - start
    result["fit_peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    assert model.predict(X).shape == (steps,)
    result["predict_s"] = time.perf_counter() - start
result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(result))
"""


def measure(steps, window):
    out = subprocess.run([sys.executable, "-c", CHILD, str(steps), str(window)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=1_000_000)
    parser.add_argument("--windows", default="30,120,480")
    args = parser.parse_args()
    assert sys.platform == "linux", "ru_maxrss is read in KiB, as Linux reports it"
    baseline = measure(args.steps, 0)["peak_mb"]
    print(f"{args.steps:,} steps; a process that only imports Keras peaks at {baseline:.0f} MB")
    print("window  peak RSS MB  minus baseline  one float32 window array MB  fit s  predict s")
    for window in map(int, args.windows.split(",")):
        started = time.perf_counter()
        result = measure(args.steps, window)
        materialised = args.steps * window * 4 / 2**20
        print(f"{window:6d}  {result['peak_mb']:11.0f}  {result['peak_mb'] - baseline:14.0f}"
              f"  {materialised:27.0f}  {result['fit_s']:5.0f}  {result['predict_s']:9.0f}"
              f"  ({time.perf_counter() - started:.0f} s with start-up)", flush=True)


if __name__ == "__main__":
    main()
