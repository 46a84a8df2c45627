"""What the windows hold, against what AutoARIMA uses: least-squares windows of every length.

Every skrnn network sees one window of the last ``p`` values per row. For each window length
``p`` this script fits the least-squares autoregression of order ``p`` with an intercept (no
shrinkage, no scaling) on each test fold's training values of ``bench_quality.py``, forecasts
the fold one step ahead and prints the mean RMSE over the folds divided by persistence's
(with ``--calendar`` the windows also get the one-hot season of the forecast date, in place of
the intercept). The best length is chosen on the test folds, so it shows how much a longer or
shorter window could give at most; it is no bound on shrunk models (Ridge and the networks'
anchor shrink their coefficients and can do better). AutoARIMA runs as in ``bench_quality.py``
and its orders per fold are printed: its moving-average terms carry the whole history in their
state, which no window of a short series holds.

    PYTHONPATH=<statsforecast> python benchmarks/bench_window_ceiling.py
        [--series heartrate] [--orders 1,2,3,5,10,15,20,30] [--calendar]
"""

import argparse
import warnings
from functools import partial
from pathlib import Path

import numpy as np
from bench_quality import load, peer_forecasts, season_length, splits


def design(values, rows, order, calendar):
    """The window of the last `order` values of each row (row i ends at values[i]), then
    the row's calendar columns (the one-hot season of its forecast date) or an intercept."""
    windows = np.stack([values[i + 1 - order : i + 1] for i in rows])
    extra = calendar[rows] if calendar is not None else np.ones((len(rows), 1))
    return np.column_stack([windows, extra])


def ratio(values, forecasts_of_fold):
    """Mean RMSE over the test folds over persistence's (row i forecasts values[i + 1])."""
    model, persistence = [], []
    for fit, test in splits(len(values) - 1, "test", 1):
        target = values[test + 1]
        model.append(np.sqrt(np.mean((forecasts_of_fold(fit, test) - target) ** 2)))
        persistence.append(np.sqrt(np.mean((values[test] - target) ** 2)))
    return np.mean(model) / np.mean(persistence)


def window_forecasts(values, order, calendar=None):
    def forecast(fit, test):
        rows = np.arange(order - 1, fit[-1] + 1)
        train = design(values, rows, order, calendar)
        if len(rows) < train.shape[1]:  # fewer rows than coefficients: no fit
            return np.full(len(test), np.nan)
        coefficients = np.linalg.lstsq(train, values[rows + 1], rcond=None)[0]
        return design(values, test, order, calendar) @ coefficients
    return forecast


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(Path(__file__).parents[1].parent
                                              / "shared" / "data" / "quality"))
    parser.add_argument("--series", default="heartrate")
    parser.add_argument("--orders", default="1,2,3,5,10,15,20,30")
    parser.add_argument("--calendar", action="store_true",
                        help="give the windows the season calendar (bench_quality.py's)")
    args = parser.parse_args()
    for name in args.series.split(","):
        X, values, _ = load(name, Path(args.data), args.calendar)
        season = season_length(X)
        calendar = X.iloc[:, 1:].to_numpy(float) if X.shape[1] > 1 else None
        print(f"{name} ({len(values)} values, season {season}); RMSE / persistence, test folds")
        best = np.inf
        for order in (int(o) for o in args.orders.split(",")):
            score = ratio(values, window_forecasts(values, order, calendar))
            best = min(best, score) if np.isfinite(score) else best
            print(f"  least-squares window of {order:3d}: {score:.3f}"
                  + ("" if np.isfinite(score) else " (a fold holds fewer rows than coefficients)"))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            arima = ratio(values, partial(peer_forecasts, "arima", values, season=season))
            from statsforecast.models import AutoARIMA

            orders = []
            for fit, _ in splits(len(values) - 1, "test", 1):
                model = AutoARIMA(season_length=season).fit(values[: fit[-1] + 2]).model_
                arma, ma1 = model["arma"], model["coef"].get("ma1")
                orders.append(f"({arma[0]},{arma[5]},{arma[1]})"
                              + (f"({arma[2]},{arma[6]},{arma[3]})" if season > 1 else "")
                              + (f" ma1={ma1:.2f}" if ma1 is not None else ""))
        print(f"  AutoARIMA: {arima:.3f}, orders (p,d,q) per fold: {'; '.join(orders)}")
        print(f"  best window / AutoARIMA: {best / arima:.3f}")


if __name__ == "__main__":
    main()
