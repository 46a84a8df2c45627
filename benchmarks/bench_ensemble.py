"""Ensembles (``n_networks``): fit cost against one network, and RMSE against single seeds.

1. Cost: the reference work of issue #13 (last 1258 bundled MSFT closes, first 80 % for
   training, window 30, LSTM 50 -> Dense 25, 20 epochs of batch 32, no anchor, no early
   stopping), fitted with ``n_networks`` 1 and K in one process, alternately, `--repeats`
   times each: the median fit time of K networks trained together over one network's.
2. Quality: on the series of ``../shared/data/quality`` (README pipeline, collection windows,
   ``TimeSeriesSplit(5)``, GRU at its defaults), mean RMSE / persistence of the ensemble
   (``n_networks=K``, random_state 0) against single networks with random_state 0 .. K-1:
   their median and worst seed.

    python benchmarks/bench_ensemble.py [--k 3] [--repeats 3] [--series a,b] [--n-jobs 2]
"""

import argparse
import time
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
from bench_quality import WINDOWS, readme_pipeline
from sklearn.metrics import root_mean_squared_error
from sklearn.model_selection import TimeSeriesSplit
from sklearn.pipeline import make_pipeline

from skrnn import GRURegressor, LSTMRegressor, PersistenceRegressor, WindowTransformer
from skrnn.datasets import load_msft, make_supervised

QUICK_SERIES = [name for name in WINDOWS if name not in ("taylor_halfhourly", "co2_weekly")]


def fit_seconds(n_networks, X, y):
    model = make_pipeline(WindowTransformer(30), LSTMRegressor(
        units=(50,), dense_units=(25,), anchor=None, early_stopping=False,
        n_networks=n_networks, random_state=0))
    started = time.perf_counter()
    model.fit(X, y)
    return time.perf_counter() - started


def score(name, model, data):
    values = pd.read_csv(data / f"{name}.csv.gz")["value"].to_numpy(float)
    X, y = values[:-1, None], values[1:]
    rmses = []
    for train, test in TimeSeriesSplit(5).split(X):
        estimator = readme_pipeline(model, WINDOWS[name]).fit(X[train], y[train])
        rmses.append(root_mean_squared_error(y[test], estimator.predict(X[test])))
    return float(np.mean(rmses))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(Path(__file__).parents[1].parent
                                                / "shared" / "data" / "quality"))
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--series", default=",".join(QUICK_SERIES))
    parser.add_argument("--n-jobs", type=int, default=2)
    args = parser.parse_args()
    data, k = Path(args.data), args.k

    X, y = make_supervised(load_msft().iloc[-1258:], "Close")
    n_train = int(0.8 * len(X))
    X, y = X.to_numpy()[:n_train], y.to_numpy()[:n_train]
    fit_seconds(1, X, y)  # warm-up: first tracing in the process
    times = {1: [], k: []}
    for _ in range(args.repeats):
        for n in (1, k):
            times[n].append(fit_seconds(n, X, y))
    one, together = np.median(times[1]), np.median(times[k])
    print(f"fit, reference work: 1 network {one:.2f} s, {k} networks together {together:.2f} s:"
          f" {together / one:.2f}x (median of {args.repeats}; {k} separate fits: {k}x)")

    series = args.series.split(",")
    tasks = [(name, "persistence", PersistenceRegressor()) for name in series]
    tasks += [(name, f"seed {seed}", GRURegressor(random_state=seed))
              for name in series for seed in range(k)]
    tasks += [(name, "ensemble", GRURegressor(n_networks=k, random_state=0))
              for name in series]
    results = joblib.Parallel(n_jobs=args.n_jobs, verbose=5)(
        joblib.delayed(score)(name, model, data) for name, _, model in tasks)
    frame = pd.DataFrame([(name, label, rmse) for (name, label, _), rmse
                          in zip(tasks, results, strict=True)],
                         columns=["series", "model", "rmse"])
    table = frame.pivot(index="series", columns="model", values="rmse")
    table = table.div(table.pop("persistence"), axis=0)
    singles = table[[f"seed {seed}" for seed in range(k)]]
    table["median seed"], table["worst seed"] = singles.median(axis=1), singles.max(axis=1)
    table["ensemble / median seed"] = table["ensemble"] / table["median seed"]
    print(f"\nGRU, RMSE / persistence, TimeSeriesSplit(5); ensemble = n_networks={k}:")
    print(table.to_string(float_format=lambda v: f"{v:.3f}"))
    ratio = table["ensemble / median seed"]
    print(f"\nensemble / median single seed: median {ratio.median():.3f}, worst "
          f"{ratio.max():.3f} ({ratio.idxmax()}); ensemble <= median seed on "
          f"{(ratio <= 1).sum()}/{len(ratio)} series")


if __name__ == "__main__":
    main()
