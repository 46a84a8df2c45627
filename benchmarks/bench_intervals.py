"""Coverage and width of the prediction intervals, per series and method, losses included.

For each series of ``../shared/data/quality`` and the bundled MSFT closes (one-step forecast,
X = series[:-1], y = series[1:]), the first 60 % of the rows fit the interval method (its
errors come from ``TimeSeriesSplit(5)`` folds inside them; fewer folds where the first would
hold less than a window) and the last 40 % are the test span. The forecaster is the README's
pipeline with Ridge(alpha=1e-3) on the windows of the collection's README (fast; the
intervals wrap any regressor) and, with ``--network``, GRU at its defaults. Methods: split
conformal (``ConformalIntervalRegressor``, one width) and adaptive conformal
(``AdaptiveConformalRegressor``, fed each truth after its forecast, as a live user would);
with ``--quantile``, also a quantile network (``GRURegressor(loss="quantile")`` at its other
defaults, seed 0, levels 2.5/10/50/90/97.5 %, fitted once on the first 60 %) in the same
pipeline. Printed: empirical coverage of nominal 80 % and 95 % intervals on the test span,
and median width relative to split conformal's.

    python benchmarks/bench_intervals.py [--network] [--quantile] [--gamma 0.005]
        [--data ../shared/data/quality]
"""

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
from bench_quality import WINDOWS, readme_pipeline
from sklearn.linear_model import Ridge

from skrnn import (
    AdaptiveConformalRegressor,
    ConformalIntervalRegressor,
    GRURegressor,
    predict_quantiles,
)
from skrnn.datasets import load_msft


def series_collection(data):
    for name in WINDOWS:
        yield name, pd.read_csv(data / f"{name}.csv.gz")["value"].to_numpy(float), WINDOWS[name]
    yield "msft_bundled", load_msft()["Close"].to_numpy(float), 20


def evaluate(values, window, regressor, coverage, gamma):
    X, y = values[:-1, None], values[1:]
    split_at = int(0.6 * len(X))
    rows = {}
    for method, cls in (("split", ConformalIntervalRegressor),
                        ("adaptive", AdaptiveConformalRegressor)):
        # the first fold must hold a window and a few rows more: fewer folds on short series
        n_splits = int(np.clip(split_at // (window + 5) - 1, 2, 5))
        model = cls(readme_pipeline(regressor, window), coverage=coverage, n_splits=n_splits)
        if method == "adaptive":
            model.set_params(gamma=gamma)
        model.fit(X[:split_at], y[:split_at])
        if method == "adaptive":
            interval = model.predict_interval(X[split_at:], y[split_at:])
        else:
            interval = model.predict_interval(X[split_at:])
        inside = (interval[:, 0] <= y[split_at:]) & (y[split_at:] <= interval[:, 1])
        # median: an adaptive interval is infinite while its miss rate is below zero
        rows[method] = (inside.mean(), np.median(interval[:, 1] - interval[:, 0]))
    return rows


def quantile_network(values, window):
    """Coverage and median width of the 80 % and 95 % bands of one quantile network."""
    X, y = values[:-1, None], values[1:]
    split_at = int(0.6 * len(X))
    model = readme_pipeline(GRURegressor(loss="quantile", quantiles=(0.025, 0.1, 0.5, 0.9,
                                                                     0.975), random_state=0),
                            window).fit(X[:split_at], y[:split_at])
    bands = predict_quantiles(model, X[split_at:])
    truth = y[split_at:]
    return {nominal: (np.mean((bands[:, low] <= truth) & (truth <= bands[:, high])),
                      np.median(bands[:, high] - bands[:, low]))
            for nominal, low, high in ((80, 1, 3), (95, 0, 4))}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(Path(__file__).parents[1].parent
                                                / "shared" / "data" / "quality"))
    parser.add_argument("--network", action="store_true",
                        help="use GRURegressor(random_state=0) instead of Ridge")
    parser.add_argument("--gamma", type=float, default=0.005,
                        help="AdaptiveConformalRegressor's step size (default: its default)")
    parser.add_argument("--quantile", action="store_true",
                        help="also fit a quantile GRU per series (slow: minutes per series)")
    args = parser.parse_args()
    regressor = GRURegressor(random_state=0) if args.network else Ridge(alpha=1e-3)
    table = []
    for name, values, window in series_collection(Path(args.data)):
        row = {"series": name, "test rows": len(values) - 1 - int(0.6 * (len(values) - 1))}
        quantiles = quantile_network(values, window) if args.quantile else None
        for coverage in (0.8, 0.95):
            result = evaluate(values, window, regressor, coverage, args.gamma)
            nominal = round(100 * coverage)
            row[f"split {nominal}"] = round(100 * result["split"][0], 1)
            row[f"adaptive {nominal}"] = round(100 * result["adaptive"][0], 1)
            row[f"width a/s {nominal}"] = round(result["adaptive"][1] / result["split"][1], 3)
            if quantiles:
                row[f"quantile {nominal}"] = round(100 * quantiles[nominal][0], 1)
                row[f"width q/s {nominal}"] = round(quantiles[nominal][1] / result["split"][1],
                                                    3)
        table.append(row)
        print(pd.DataFrame([row]).to_string(index=False, header=len(table) == 1), flush=True)
    frame = pd.DataFrame(table)
    print(f"\nforecaster: {type(regressor).__name__}, gamma={args.gamma}; coverage in %, test "
          "span = last 40 %; width a/s = median width, adaptive / split")
    print(frame.to_string(index=False))
    for nominal in (80, 95):
        for method in ("split", "adaptive", "quantile")[: 3 if args.quantile else 2]:
            column = frame[f"{method} {nominal}"]
            print(f"{method:>8} {nominal} %: median coverage {column.median()}, series within "
                  f"5 points: {((column - nominal).abs() <= 5).sum()}/{len(frame)}")
        print(f"median width adaptive / split at {nominal} %: "
              f"{frame[f'width a/s {nominal}'].median():.3f}")
        if args.quantile:
            print(f"median width quantile / split at {nominal} %: "
                  f"{frame[f'width q/s {nominal}'].median():.3f}")


if __name__ == "__main__":
    main()
