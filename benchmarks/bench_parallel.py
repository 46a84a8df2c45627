"""GridSearchCV with n_jobs=2 against n_jobs=1 on the same 8-candidate grid.

The grid: ``Pipeline([MinMaxScaler(), WindowTransformer(), LSTMRegressor()])`` on the last 1258
bundled MSFT closes, window in {30, 60} x units in {(16,), (32,)} x learning_rate in {1e-3, 1e-2},
TimeSeriesSplit(3): 24 fits, then the refit of the best candidate (GridSearchCV's default).
Each configuration runs in a fresh Python process and fits the grid twice: "cold" pays for
starting the worker processes and importing TensorFlow in each (as a script would), "warm" reuses
them (as the next search in a notebook would). Runs alternate; the script prints median wall times
and the speed-up over n_jobs=1 measured in the same run. Three configurations: n_jobs=1; n_jobs=2
with skrnn's thread pools (each worker's TensorFlow sized from the OMP_NUM_THREADS joblib gives
it: cores // n_jobs); n_jobs=2 with TensorFlow's own default (every worker's pools sized to all
cores), forced through TF_NUM_INTRAOP_THREADS / TF_NUM_INTEROP_THREADS.

    python benchmarks/bench_parallel.py [--epochs 5] [--repeats 3] [--skip-tf-default-pools]
"""

import argparse
import os
import statistics
import subprocess
import sys

CHILD = """
import sys, time
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler
from skrnn import LSTMRegressor, WindowTransformer
from skrnn.datasets import load_msft, make_supervised

n_jobs, epochs = int(sys.argv[1]), int(sys.argv[2])
X, y = make_supervised(load_msft().iloc[-1259:], "Close")
model = Pipeline([("scale", MinMaxScaler().set_output(transform="pandas")),
                  ("window", WindowTransformer()),
                  ("lstm", LSTMRegressor(dense_units=(), epochs=epochs, random_state=0,
                                         anchor=None, early_stopping=False))])
grid = GridSearchCV(model, {"window__window": [30, 60], "lstm__units": [(16,), (32,)],
                            "lstm__learning_rate": [1e-3, 1e-2]},
                    cv=TimeSeriesSplit(n_splits=3), n_jobs=n_jobs)
for _ in ("cold", "warm"):
    start = time.perf_counter()
    grid.fit(X.to_numpy(), y.to_numpy())
    print(time.perf_counter() - start)
"""


def timed(n_jobs, epochs, env):
    out = subprocess.run([sys.executable, "-c", CHILD, str(n_jobs), str(epochs)], check=True,
                         capture_output=True, text=True, env={**os.environ, **env}).stdout
    cold, warm = map(float, out.split()[-2:])
    return cold, warm


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-tf-default-pools", action="store_true",
                        help="time only n_jobs=1 and n_jobs=2 with skrnn's pools")
    args = parser.parse_args()
    cores = os.cpu_count()
    configs = {
        "n_jobs=1": (1, {}),
        "n_jobs=2": (2, {}),
        # TensorFlow's own default: every worker sizes its pools to all cores.
        f"n_jobs=2, TF's default pools ({cores})": (
            2, {"TF_NUM_INTRAOP_THREADS": str(cores), "TF_NUM_INTEROP_THREADS": str(cores)}),
    }
    if args.skip_tf_default_pools:
        configs.popitem()
    times = {name: [] for name in configs}
    for _ in range(args.repeats):
        for name, (n_jobs, env) in configs.items():
            times[name].append(timed(n_jobs, args.epochs, env))
    print(f"{cores} cores, 8 candidates x 3 folds + refit, {args.epochs} epochs, "
          f"median of {args.repeats}")
    for phase, label in enumerate(("cold", "warm")):
        serial = statistics.median(run[phase] for run in times["n_jobs=1"])
        for name, runs in times.items():
            median = statistics.median(run[phase] for run in runs)
            print(f"{label}  {name:30s} {median:6.1f} s   speed-up over n_jobs=1: "
                  f"{serial / median:.2f}x")


if __name__ == "__main__":
    main()
