"""One global network on all series of the collection against one network per series.

For each of the eleven series of ``../shared/data/quality`` (one-step forecast, X = series[:-1],
y = series[1:]) the first 80 % of the rows train and the last 20 % test. Per series: a GRU at its
defaults fitted on that series alone (``normalization="global"``, the default, and
``"window"``), Ridge(alpha=1e-3) on the same windows, persistence. Global: one GRU fitted on the
training rows of all eleven series at once (``WindowTransformer(series_id=...)``), with
``normalization="window"`` (each window at its own scale) and, to show why, ``"global"``.
Every model reads the same window; networks run with the same epochs and batch size, so the
global network makes as many gradient updates as the eleven per-series networks together (the
same budget). "+ id" adds one-hot columns of the series as static covariates (Darts' static
covariates), so that the network can tell the series apart. The panel's rows are ordered by
each series' relative time, so that the rows held out for early stopping and the anchor choice
are the latest of every series.

Prints RMSE / persistence on each series' test span (median over seeds, and the worst seed),
the median over series, and total fit seconds.

    python benchmarks/bench_global.py [--seeds 0,1,2] [--window 24] [--cell gru]
        [--data ../shared/data/quality]
"""

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline

from skrnn import GRURegressor, LSTMRegressor, RNNRegressor, WindowTransformer

NETWORKS = {"rnn": RNNRegressor, "lstm": LSTMRegressor, "gru": GRURegressor}
SHORT = {"lynx_annual", "nile_annual", "heartrate", "airpassengers_monthly"}


def load(data):
    """Per series: X (n, 1), y (n,), the number of training rows."""
    panel = {}
    for path in sorted(data.glob("*.csv.gz")):
        values = pd.read_csv(path)["value"].to_numpy(float)
        X, y = values[:-1, None], values[1:]
        panel[path.name.removesuffix(".csv.gz")] = (X, y, int(0.8 * len(y)))
    return panel


def rmse(prediction, truth):
    return float(np.sqrt(np.mean((prediction - truth) ** 2)))


def per_series(panel, make_model, window):
    scores, seconds = {}, 0.0
    for name, (X, y, n) in panel.items():
        model = make_pipeline(WindowTransformer(window), make_model())
        start = time.perf_counter()
        model.fit(X[:n], y[:n])
        seconds += time.perf_counter() - start
        scores[name] = rmse(model.predict(X[n:]), y[n:])
    return scores, seconds


def long_table(panel, part):
    """The rows of every series in one frame (id column ``series``), ordered by relative time."""
    frames, targets = [], []
    for name, (X, y, n) in panel.items():
        rows = slice(0, n) if part == "train" else slice(n, len(y))
        position = np.arange(len(y))[rows]
        frames.append(pd.DataFrame({"series": name, "value": X[rows, 0],
                                    "when": position / len(y)}))
        targets.append(y[rows])
    frame = pd.concat(frames, ignore_index=True)
    target = np.concatenate(targets)
    order = np.argsort(frame["when"].to_numpy(), kind="stable")
    return frame.iloc[order].drop(columns="when").reset_index(drop=True), target[order]


def with_series_columns(frame, names):
    """One-hot columns ``"series=<name>"`` of each row's series: static covariates."""
    columns = {f"series={name}": (frame["series"] == name).astype(float) for name in names}
    return pd.concat([frame, pd.DataFrame(columns, index=frame.index)], axis=1)


def global_model(panel, make_model, window, identify=False):
    X_train, y_train = long_table(panel, "train")
    X_test, y_test = long_table(panel, "test")
    covariates = None
    if identify:
        X_train, X_test = (with_series_columns(X, panel) for X in (X_train, X_test))
        covariates = [f"series={name}" for name in panel]
    model = make_pipeline(
        WindowTransformer(window, series_id="series", covariates=covariates), make_model())
    start = time.perf_counter()
    model.fit(X_train, y_train)
    seconds = time.perf_counter() - start
    prediction = model.predict(X_test)
    scores = {name: rmse(prediction[X_test["series"] == name], y_test[X_test["series"] == name])
              for name in panel}
    return scores, seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--window", type=int, default=24)
    parser.add_argument("--cell", default="gru", choices=sorted(NETWORKS))
    parser.add_argument("--data", type=Path,
                        default=Path(__file__).resolve().parents[2] / "shared/data/quality")
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    panel = load(args.data)
    network = NETWORKS[args.cell]
    persistence = {name: rmse(X[n:, 0], y[n:]) for name, (X, y, n) in panel.items()}
    ridge, _ = per_series(panel, lambda: Ridge(alpha=1e-3), args.window)
    runs = {
        "per-series": lambda s: per_series(panel, lambda: network(random_state=s), args.window),
        "per-series window": lambda s: per_series(
            panel, lambda: network(random_state=s, normalization="window"), args.window),
        "global window": lambda s: global_model(
            panel, lambda: network(random_state=s, normalization="window"), args.window),
        "global window + id": lambda s: global_model(
            panel, lambda: network(random_state=s, normalization="window"), args.window,
            identify=True),
        "global": lambda s: global_model(panel, lambda: network(random_state=s), args.window),
    }
    table = {"ridge": ({k: [v / persistence[k]] for k, v in ridge.items()}, [0.0])}
    for label, run in runs.items():
        ratios, seconds = {name: [] for name in panel}, []
        for seed in seeds:
            scores, fit_seconds = run(seed)
            seconds.append(fit_seconds)
            for name, score in scores.items():
                ratios[name].append(score / persistence[name])
            print(f"  {label} seed {seed}: fit {fit_seconds:.1f} s", flush=True)
        table[label] = (ratios, seconds)
    labels = list(table)
    print(f"\n{args.cell.upper()}, window {args.window}, test = last 20 % of each series; "
          f"RMSE / persistence, median over seeds {seeds} (worst seed)\n")
    print("| series | " + " | ".join(labels) + " |")
    print("| --- |" + " --- |" * len(labels))
    for name in panel:
        cells = []
        for label in labels:
            values = table[label][0][name]
            cell = f"{np.median(values):.3f}"
            cells.append(cell if len(values) == 1 else f"{cell} ({max(values):.3f})")
        print(f"| {name}{' (short)' if name in SHORT else ''} | " + " | ".join(cells) + " |")
    medians = [np.median([np.median(table[label][0][name]) for name in panel])
               for label in labels]
    short = [np.median([np.median(table[label][0][name]) for name in SHORT & set(panel)])
             for label in labels]
    print("| median over series | " + " | ".join(f"{m:.3f}" for m in medians) + " |")
    print("| median, short series | " + " | ".join(f"{m:.3f}" for m in short) + " |")
    print("| fit seconds (median over seeds) | " + " | ".join(
        "-" if label == "ridge" else f"{np.median(table[label][1]):.1f}" for label in labels)
        + " |")


if __name__ == "__main__":
    main()
