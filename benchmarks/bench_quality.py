"""Forecast quality of the default networks on the collection of real series, with losses.

For each series of ``../shared/data/quality`` (one-step forecast, X = series[:-1],
y = series[1:]), every model runs in the README's pipeline —
``TransformedTargetRegressor(make_pipeline(MinMaxScaler(), WindowTransformer(w), model),
transformer=MinMaxScaler())`` — under ``TimeSeriesSplit(5)``; the score is the mean RMSE over the
folds divided by persistence's (below 1 beats "tomorrow = today"). Networks run at their
defaults with ``random_state`` 0, 1, 2; the table shows the median over seeds, the worst seed
and the median fit time per fold. Ridge(alpha=1e-3) on the same windows and the window per
series are those of the collection's README.

    python benchmarks/bench_quality.py [--series lynx_annual,nile_annual] [--seeds 0,1,2]
        [--models rnn,lstm,gru] [--n-jobs 2] [--data ../shared/data/quality]
"""

import argparse
import time
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
from sklearn.compose import TransformedTargetRegressor
from sklearn.linear_model import Ridge
from sklearn.metrics import root_mean_squared_error
from sklearn.model_selection import TimeSeriesSplit
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler

from skrnn import GRURegressor, LSTMRegressor, PersistenceRegressor, RNNRegressor, WindowTransformer

WINDOWS = {
    "airpassengers_monthly": 24, "co2_weekly": 52, "elec_equip_monthly": 24,
    "elnino_monthly": 24, "heartrate": 10, "lynx_annual": 10, "msft_close_1996_2000": 20,
    "msft_close_2007_2011": 20, "nile_annual": 10, "taylor_halfhourly": 96,
    "wineind_monthly": 24,
}
PRICES = {"msft_close_1996_2000", "msft_close_2007_2011"}
NETWORKS = {"rnn": RNNRegressor, "lstm": LSTMRegressor, "gru": GRURegressor}


def readme_pipeline(model, window):
    return TransformedTargetRegressor(
        make_pipeline(MinMaxScaler(), WindowTransformer(window), model),
        transformer=MinMaxScaler())


def score(name, model_name, seed, data):
    """Mean RMSE over the folds and median fit seconds for one (series, model, seed)."""
    values = pd.read_csv(data / f"{name}.csv.gz")["value"].to_numpy(float)
    X, y = values[:-1, None], values[1:]
    if model_name == "persistence":
        model = PersistenceRegressor()
    elif model_name == "ridge":
        model = Ridge(alpha=1e-3)
    else:
        model = NETWORKS[model_name](random_state=seed)
    rmses, seconds = [], []
    for train, test in TimeSeriesSplit(5).split(X):
        estimator = readme_pipeline(model, WINDOWS[name])
        started = time.perf_counter()
        estimator.fit(X[train], y[train])
        seconds.append(time.perf_counter() - started)
        rmses.append(root_mean_squared_error(y[test], estimator.predict(X[test])))
    return name, model_name, seed, float(np.mean(rmses)), float(np.median(seconds))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(Path(__file__).parents[1].parent
                                                / "shared" / "data" / "quality"))
    parser.add_argument("--series", default=",".join(WINDOWS))
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--models", default="rnn,lstm,gru")
    parser.add_argument("--n-jobs", type=int, default=2)
    args = parser.parse_args()
    data = Path(args.data)
    series = args.series.split(",")
    seeds = [int(s) for s in args.seeds.split(",")]
    networks = args.models.split(",")
    tasks = [(name, m, 0) for name in series for m in ("persistence", "ridge")]
    tasks += [(name, m, seed) for name in series for m in networks for seed in seeds]
    # Longest series first, so that the two workers finish together.
    tasks.sort(key=lambda task: -WINDOWS[task[0]] * (task[1] in NETWORKS))
    results = joblib.Parallel(n_jobs=args.n_jobs, verbose=5)(
        joblib.delayed(score)(*task, data) for task in tasks)
    frame = pd.DataFrame(results, columns=["series", "model", "seed", "rmse", "fit_s"])
    persistence = frame[frame.model == "persistence"].set_index("series")["rmse"]
    frame["ratio"] = frame["rmse"] / frame["series"].map(persistence)
    rows = []
    for name in series:
        of = frame[frame.series == name]
        row = {"series": name, "persistence RMSE": persistence[name],
               "ridge": of[of.model == "ridge"]["ratio"].iloc[0]}
        for m in networks:
            nets = of[of.model == m]
            row[m] = nets["ratio"].median()
            row[f"{m} worst"] = nets["ratio"].max()
            row[f"{m} fit s"] = nets["fit_s"].median()
        row["best net"] = min(row[m] for m in networks)
        rows.append(row)
    table = pd.DataFrame(rows).set_index("series")
    print("\nRMSE / persistence (median over seeds; 'worst' = worst seed), TimeSeriesSplit(5):")
    print(table.to_string(float_format=lambda v: f"{v:.3f}"))
    structured = table[table["ridge"] < 0.9]
    prices = table[table.index.isin(PRICES)]
    if len(prices):
        print(f"\nprice series: best net / persistence max {prices['best net'].max():.3f}")
    if len(structured):
        versus = structured["best net"] / structured["ridge"]
        print(f"series with structure (ridge < 0.9x): best net / ridge median "
              f"{versus.median():.3f}, worst {versus.max():.3f} ({versus.idxmax()})")
    print("\nper seed:")
    print(frame.pivot_table(index=["series", "model"], columns="seed", values="ratio")
          .to_string(float_format=lambda v: f"{v:.3f}"))


if __name__ == "__main__":
    main()
