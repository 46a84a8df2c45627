"""Repeated fits on Keras' JAX backend, with and without JAX's persistent compilation cache.

Each configuration runs in a fresh process (``KERAS_BACKEND=jax``): ``--fits`` fits of the
default ``LSTMRegressor`` (20 epochs) with seeds 0, 1, ... on 1000 windows of 30 of the bundled
MSFT closes, as the folds of a search would repeat them, then one default ``GRURegressor``.
"no cache": JAX's defaults; "cache, empty": a new cache folder; "cache, filled": a second
process on the folder the first one filled. Prints each fit's seconds, the ratio of the later
fits' median to the uncached one, and checks that the predictions are identical.

    python benchmarks/bench_jax_cache.py
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

CHILD = """
import sys, time
import numpy as np
from skrnn import GRURegressor, LSTMRegressor
from skrnn.datasets import load_msft

close = load_msft()["Close"].to_numpy()[-1258:]
X = np.lib.stride_tricks.sliding_window_view(close[:-1], 30)[:, :, None][:1000]
y = close[30:][:1000]
seconds, predictions = [], []
for seed in range(int(sys.argv[2])):
    started = time.perf_counter()
    model = LSTMRegressor(random_state=seed).fit(X, y)
    predictions.append(model.predict(X[-300:]))
    seconds.append(time.perf_counter() - started)
started = time.perf_counter()
GRURegressor(random_state=0).fit(X, y)
seconds.append(time.perf_counter() - started)
np.save(sys.argv[1], np.array(predictions))
print(" ".join(f"{s:.2f}" for s in seconds))
"""

CACHE_SETTINGS = {"JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS": "0",
                  "JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES": "-1"}


def run(folder, name, fits, **variables):
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("JAX_")}
    env = {**inherited, "KERAS_BACKEND": "jax", **variables}
    out = Path(folder) / f"{name}.npy"
    done = subprocess.run([sys.executable, "-c", CHILD, str(out), str(fits)], env=env,
                          capture_output=True, text=True)
    if done.returncode:
        sys.exit(done.stderr[-3000:])
    seconds = [float(s) for s in done.stdout.split()]
    return seconds, np.load(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fits", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        cache = {"JAX_COMPILATION_CACHE_DIR": str(Path(folder) / "cache"), **CACHE_SETTINGS}
        runs = {"no cache": run(folder, "none", args.fits),
                "cache, empty": run(folder, "empty", args.fits, **cache),
                "cache, filled": run(folder, "filled", args.fits, **cache)}
    reference = np.median(runs["no cache"][0][1 : args.fits])
    print(f"LSTM fits 1-{args.fits} (seeds 0-{args.fits - 1}), then one GRU fit, seconds:")
    for name, (seconds, predictions) in runs.items():
        later = np.median(seconds[1 : args.fits])
        same = np.array_equal(predictions, runs["no cache"][1])
        print(f"  {name:14s} {' '.join(f'{s:6.2f}' for s in seconds)}   later LSTM fits "
              f"{later / reference:.2f}x of no cache's; predictions identical: {same}")


if __name__ == "__main__":
    main()
