"""Forecast quality of the default networks on the collection of real series, with losses.

For each series of ``../shared/data/quality`` (one-step forecasts, X = series[:-1] with its
dates, y = series[1:]), every skrnn model runs in the README's pipeline —
``TransformedTargetRegressor(make_pipeline(MinMaxScaler().set_output(transform="pandas"),
WindowTransformer(w), model), transformer=MinMaxScaler())`` — under ``TimeSeriesSplit(5)``;
the score is the mean RMSE over the folds divided by persistence's (below 1 beats "tomorrow =
today"). Networks run at their defaults with ``random_state`` 0, 1, 2; the table shows the
median over seeds, the worst seed, the median fit time per fold, how often the trained
correction was kept (not the anchor alone) and the anchor alone. Ridge(alpha=1e-3) on the
same windows and the window per series are those of the collection's README.

Peers (``--models ets,arima,snaive``; the optional ``bench`` extra, statsforecast): AutoETS,
AutoARIMA and SeasonalNaive with the season length of the series' frequency (the one skrnn
reads from the dates; 1 where they state none), fitted once per fold on the values the
fold's training rows hold, then run with those parameters across the test fold, one step
ahead (statsforecast's ``forward``). AutoARIMA is left out (a dash in the table) on series
whose season is longer than ``--max-arima-season`` (24 by default): with seasons of 48 and 52
steps (taylor, co2) its search ran for 81 minutes of CPU on one task without finishing.

``--span inner`` cuts each outer training fold in two (fit on its first 80 %, score on its
last 20 %) and never touches the test folds: the span on which designs and defaults are
chosen. ``--span test`` (the default) scores the test folds.

    python benchmarks/bench_quality.py [--series lynx_annual,nile_annual] [--seeds 0,1,2]
        [--models persistence,ridge,anchor,rnn,lstm,gru,ets,arima,snaive] [--span test]
        [--params '{"validation_fraction": 0.2}'] [--calendar] [--n-jobs 2]
        [--data ../shared/data/quality]
"""

import argparse
import json
import time
import warnings
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
from skrnn._anchor import flat_design
from skrnn._seasons import season_of_dates
from skrnn.datasets import make_supervised

WINDOWS = {
    "airpassengers_monthly": 24, "co2_weekly": 52, "elec_equip_monthly": 24,
    "elnino_monthly": 24, "heartrate": 10, "lynx_annual": 10, "msft_close_1996_2000": 20,
    "msft_close_2007_2011": 20, "nile_annual": 10, "taylor_halfhourly": 96,
    "wineind_monthly": 24,
}
PRICES = {"msft_close_1996_2000", "msft_close_2007_2011"}
NETWORKS = {"rnn": RNNRegressor, "lstm": LSTMRegressor, "gru": GRURegressor}
PEERS = ("ets", "arima", "snaive")


class AnchorAlone(GRURegressor):
    """The networks' closed-form part (standardisation and anchor, ``"auto"`` included)
    without the recurrent correction, in NumPy: what a default network is before training."""

    def _fit_sequences(self, X, y, sample_weight):
        if self.anchor is not None:
            self._check_target_feature()
        self.architecture_ = self._closed_form_part(X, y, (1,), (), sample_weight)

    def _predict_sequences(self, X):
        a = self.architecture_
        rows = (np.asarray(X, dtype=np.float64) - a.x_mean) / a.x_scale
        if a.anchor == "last":
            forecast = rows[:, -1, a.anchor_feature : a.anchor_feature + 1] * a.anchor_kernel
        else:
            forecast = flat_design(rows, a.n_covariates) @ a.anchor_kernel
        return (forecast + a.anchor_bias) * a.y_scale + a.y_mean


def load(name, data, calendar=False):
    """``(X, values, time_axis)``: X = the series but its last value, indexed by its dates
    (a DatetimeIndex, or a yearly PeriodIndex), the values, and the WindowTransformer's
    ``time_axis`` ("positions" for a series numbered by steps). With `calendar`, X also
    holds the one-hot position of each row's forecast date in its season
    (``make_supervised(calendar=["season"])``), where the dates have a season."""
    frame = pd.read_csv(data / f"{name}.csv.gz")
    values = frame["value"].to_numpy(float)
    first = frame.columns[0]
    if first == "date":
        index = pd.DatetimeIndex(pd.to_datetime(frame[first]))
    elif first == "year":
        index = pd.PeriodIndex(frame[first].astype(int), freq="Y")
    else:
        index = pd.RangeIndex(len(frame))
    X = pd.DataFrame({"value": values[:-1]}, index=index[:-1])
    if calendar and season_length(X) > 1:
        X = make_supervised(pd.DataFrame({"value": values}, index=index), "value",
                            calendar=["season"])[0]
    return X, values, "positions" if first == "step" else "auto"


def splits(n, span, window):
    """Row positions ``(fit, score)`` of each fold: the test folds, or the inner spans (but
    those whose fitting part is shorter than the window: airpassengers' first)."""
    for train, test in TimeSeriesSplit(5).split(np.arange(n)):
        if span == "test":
            yield train, test
        elif int(0.8 * len(train)) >= window:
            cut = int(0.8 * len(train))
            yield train[:cut], train[cut:]


def season_length(X):
    dates = X.index if isinstance(X.index, (pd.DatetimeIndex, pd.PeriodIndex)) else None
    season = season_of_dates(dates)
    return season if season is not None and season >= 2 else 1


def peer_forecasts(kind, values, fit, score, season):
    """One-step forecasts of a statsforecast model for the rows `score`, fitted on the values
    the rows `fit` hold (their X and y), then run forward with its fitted parameters."""
    from statsforecast.models import AutoARIMA, AutoETS, SeasonalNaive

    model = {"ets": lambda: AutoETS(season_length=season),
             "arima": lambda: AutoARIMA(season_length=season),
             "snaive": lambda: SeasonalNaive(season_length=season)}[kind]()
    model.fit(values[: fit[-1] + 2])
    fitted = model.forward(values[: score[-1] + 2], h=1, fitted=True)["fitted"]
    # fitted[j] is the forecast of values[j] from the values before it; row i forecasts i + 1
    return np.asarray(fitted)[score + 1]


def pipeline(model, window, time_axis, calendar=False):
    return TransformedTargetRegressor(
        make_pipeline(MinMaxScaler().set_output(transform="pandas"),
                      WindowTransformer(window, time_axis=time_axis,
                                        covariates="future" if calendar else None), model),
        transformer=MinMaxScaler())


def score(name, model_name, seed, data, span, params, calendar=False):
    """Mean RMSE over the folds, median fit seconds and the share of fits whose trained
    correction was kept, for one (series, model, seed); with `calendar`, the skrnn models
    and Ridge also read the calendar of the forecast date (see :func:`load`)."""
    calendar = calendar and model_name not in ("persistence", *PEERS)
    X, values, time_axis = load(name, data, calendar)
    calendar = X.shape[1] > 1
    y = values[1:]
    params = dict(params)
    if "keep_margin" in params:  # the correction rule's margin, not a parameter of the networks
        from skrnn._network import training

        training.KEEP_MARGIN = params.pop("keep_margin")
    if model_name == "persistence":
        model = PersistenceRegressor()
    elif model_name == "ridge":
        model = Ridge(alpha=1e-3)
    elif model_name == "anchor":
        model = AnchorAlone(**{k: v for k, v in params.items() if k in ANCHOR_PARAMS})
    elif model_name in NETWORKS:
        model = NETWORKS[model_name](random_state=seed, **params)
    rmses, seconds, kept = [], [], []
    for fit, test in splits(len(X), span, WINDOWS[name]):
        started = time.perf_counter()
        if model_name in PEERS:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                forecast = peer_forecasts(model_name, values, fit, test, season_length(X))
            seconds.append(time.perf_counter() - started)
        else:
            estimator = pipeline(model, WINDOWS[name], time_axis, calendar)
            estimator.fit(X.iloc[fit], y[fit])
            seconds.append(time.perf_counter() - started)
            forecast = estimator.predict(X.iloc[test])
            network = estimator.regressor_[-1]
            if hasattr(network, "kept_epoch_"):
                kept.append(network.kept_epoch_ > 0)
        rmses.append(root_mean_squared_error(y[test], forecast))
    return (name, model_name, seed, float(np.mean(rmses)), float(np.median(seconds)),
            float(np.mean(kept)) if kept else np.nan)


ANCHOR_PARAMS = {"anchor", "season_length", "normalization", "target_feature"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(Path(__file__).parents[1].parent
                                                / "shared" / "data" / "quality"))
    parser.add_argument("--series", default=",".join(WINDOWS))
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--models",
                        default="persistence,ridge,anchor,rnn,lstm,gru,ets,arima,snaive")
    parser.add_argument("--span", choices=("test", "inner"), default="test")
    parser.add_argument("--params", default="{}",
                        help="JSON of parameters for the networks and the anchor (and "
                             "keep_margin: the margin a trained correction must win by)")
    parser.add_argument("--calendar", action="store_true",
                        help="give the skrnn models and Ridge the one-hot position of the "
                             "forecast date in its season as covariates (the month of "
                             "monthly series, ...)")
    parser.add_argument("--n-jobs", type=int, default=2)
    parser.add_argument("--out", help="also write every result to this CSV file")
    parser.add_argument("--max-arima-season", type=int, default=24,
                        help="leave AutoARIMA out where the season is longer (its search "
                             "does not finish in an hour on seasons of 48 or 52)")
    args = parser.parse_args()
    data = Path(args.data)
    series = args.series.split(",")
    seeds = [int(s) for s in args.seeds.split(",")]
    models = args.models.split(",")
    params = json.loads(args.params)
    if "persistence" not in models:
        models.insert(0, "persistence")
    networks = [m for m in models if m in NETWORKS]
    others = [m for m in models if m not in NETWORKS]
    long_seasons = {name for name in series
                    if season_length(load(name, data)[0]) > args.max_arima_season}
    tasks = [(name, m, 0) for name in series for m in others
             if not (m == "arima" and name in long_seasons)]
    tasks += [(name, m, seed) for name in series for m in networks for seed in seeds]
    # Longest first, so that the workers finish together.
    tasks.sort(key=lambda task: -WINDOWS[task[0]] * (task[1] in NETWORKS or task[1] == "arima"))
    started = time.perf_counter()
    results = joblib.Parallel(n_jobs=args.n_jobs, verbose=5)(
        joblib.delayed(score)(*task, data, args.span, params, args.calendar)
        for task in tasks)
    frame = pd.DataFrame(results, columns=["series", "model", "seed", "rmse", "fit_s", "kept"])
    if args.out:
        frame.to_csv(args.out, index=False)
    persistence = frame[frame.model == "persistence"].set_index("series")["rmse"]
    frame["ratio"] = frame["rmse"] / frame["series"].map(persistence)
    rows = []
    for name in series:
        of = frame[frame.series == name]
        row = {"series": name, "persistence RMSE": persistence[name]}
        for m in others:
            if m != "persistence":
                row[m] = of[of.model == m]["ratio"].iloc[0] if (of.model == m).any() else np.nan
        for m in networks:
            nets = of[of.model == m]
            row[m] = nets["ratio"].median()
            row[f"{m} worst"] = nets["ratio"].max()
            row[f"{m} kept"] = nets["kept"].mean()
            row[f"{m} fit s"] = nets["fit_s"].median()
        if networks:
            row["best net"] = min(row[m] for m in networks)
        peers = [m for m in ("ets", "arima") if m in others]
        if peers:
            row["best stat"] = np.nanmin([row[m] for m in peers])
            row["best stat fit s"] = of[of.model.isin(peers)]["fit_s"].median()
        rows.append(row)
    table = pd.DataFrame(rows).set_index("series")
    print(f"\n{args.span} span, RMSE / persistence (median over seeds; 'worst' = worst seed; "
          f"'kept' = share of fits that kept the trained correction), params {params}, "
          f"{'calendar covariates, ' if args.calendar else ''}"
          f"{time.perf_counter() - started:.0f} s:")
    print(table.to_string(float_format=lambda v: f"{v:.3f}"))
    print("\nmedian over series:")
    print(table.drop(columns=[c for c in table if " " in c and c != "best net"
                              and c != "best stat"]).median().to_string(
        float_format=lambda v: f"{v:.3f}"))
    if networks and "best stat" in table:
        versus = table["best net"] / table["best stat"]
        print(f"\nbest net / best of AutoETS, AutoARIMA: median {versus.median():.3f}, worst "
              f"{versus.max():.3f} ({versus.idxmax()})")
    if networks and "anchor" in table:
        gain = table[networks].min(axis=1) / table["anchor"]
        print(f"best net / anchor alone: {gain.round(3).to_dict()}")
    prices = table[table.index.isin(PRICES)]
    if networks and len(prices):
        print(f"price series: best net / persistence max {prices['best net'].max():.3f}")
    if networks:
        print("\nper seed:")
        print(frame[frame.model.isin(networks)].pivot_table(
            index=["series", "model"], columns="seed", values="ratio")
            .to_string(float_format=lambda v: f"{v:.3f}"))


if __name__ == "__main__":
    main()
