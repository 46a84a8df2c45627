"""The ``skrnn`` command: ``skrnn compare`` runs the stock-price case study end to end."""

import argparse
import importlib.util
import os
import sys
import tempfile
import time
from pathlib import Path

QUICK = dict(last=400, windows="20", splits=2, epochs=2, units="16", dense_units="")


class UsageError(Exception):
    """A problem with the command's input, reported in one line."""


def _ints(text, name, *, allow_empty=False):
    try:
        values = tuple(int(v) for v in text.split(",") if v.strip())
    except ValueError:
        raise UsageError(f"--{name} must be comma-separated integers, got {text!r}") from None
    if (not values and not allow_empty) or any(v < 1 for v in values):
        raise UsageError(f"--{name} must list positive integers, got {text!r}")
    return values


def build_parser():
    parser = argparse.ArgumentParser(
        prog="skrnn", description="Recurrent networks as scikit-learn estimators."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    compare = commands.add_parser(
        "compare",
        help="compare RNN, LSTM, GRU and persistence on a price series",
        description="Grid-search RNN, LSTM, GRU and the persistence baseline over window "
        "lengths with TimeSeriesSplit, score the held-out last 20%% of the series, print an "
        "RMSE table in price units and write forecast.png, comparison.png and results.csv.",
    )
    source = compare.add_mutually_exclusive_group()
    source.add_argument("--csv", help="CSV file with a Date column and the --column to forecast")
    source.add_argument("--ticker", help="Yahoo Finance symbol to download (needs network)")
    compare.add_argument("--period", default="5y", help="span for --ticker (default: 5y)")
    compare.add_argument("--column", default="Close", help="column to forecast (default: Close)")
    compare.add_argument("--last", type=int, default=1258,
                         help="use only the last N rows (default: 1258, five years of days)")
    compare.add_argument("--models", default="rnn,lstm,gru,persistence",
                         help="comma-separated among rnn, lstm, gru, persistence")
    compare.add_argument("--windows", default="30,60", help="window lengths (default: 30,60)")
    compare.add_argument("--splits", type=int, default=3, help="TimeSeriesSplit folds")
    compare.add_argument("--epochs", type=int, default=20, help="training epochs per fit")
    compare.add_argument("--units", default="50", help="recurrent layer sizes")
    compare.add_argument("--dense-units", default="25", help="hidden Dense layer sizes")
    compare.add_argument("--seed", type=int, default=0, help="random_state of the networks")
    compare.add_argument("--n-jobs", type=int, default=None, help="parallel fits (joblib)")
    compare.add_argument("--backend", choices=("tensorflow", "jax"),
                         help="Keras backend (default: $KERAS_BACKEND, else tensorflow); jax ran "
                         "the defaults 3-3.9x faster than skrnn 0.1 on 2 CPU cores, tensorflow "
                         "1.2-1.6x (needs pip install 'skrnn[jax]')")
    compare.add_argument("--out", default="skrnn_output", help="folder for figures and table")
    compare.add_argument("--quick", action="store_true",
                         help="tiny settings that finish in well under a minute")
    compare.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    return parser


def _load_frame(args):
    import pandas as pd

    if args.csv:
        path = Path(args.csv)
        if not path.is_file():
            raise UsageError(f"--csv {args.csv}: no such file")
        try:
            frame = pd.read_csv(path)
        except Exception as exc:
            raise UsageError(f"--csv {args.csv}: not a readable CSV file ({exc})") from None
        if "Date" in frame.columns:
            frame["Date"] = pd.to_datetime(frame["Date"], errors="coerce")
            if frame["Date"].isna().any():
                raise UsageError(f"--csv {args.csv}: the Date column has unparseable dates")
            frame = frame.set_index("Date")
    elif args.ticker:
        from .datasets import fetch_yahoo

        try:
            frame = fetch_yahoo(args.ticker, period=args.period)
        except (ConnectionError, ValueError) as exc:
            raise UsageError(str(exc)) from None
    else:
        from .datasets import load_msft

        frame = load_msft()
    if args.column not in frame.columns:
        raise UsageError(f"--column {args.column!r} is not in the data; columns are "
                         f"{list(frame.columns)}")
    if not pd.api.types.is_numeric_dtype(frame[args.column]):
        raise UsageError(f"--column {args.column!r} is not numeric")
    if frame[args.column].isna().any():
        raise UsageError(f"--column {args.column!r} has missing values; fill or drop them")
    return frame.iloc[-args.last:]


def _use_backend(name):
    """Run Keras on backend `name` (None: Keras' own choice). Keras reads ``KERAS_BACKEND``
    once, when it is first imported, so this must come first; worker processes inherit it."""
    if name is None:
        return
    keras = sys.modules.get("keras")
    if keras is not None and keras.backend.backend() != name:
        raise UsageError(f"--backend {name}: Keras already runs on {keras.backend.backend()} in "
                         f"this process; start a new one, or set KERAS_BACKEND={name}")
    if name == "jax" and importlib.util.find_spec("jax") is None:
        raise UsageError("--backend jax: JAX is not installed; pip install 'skrnn[jax]'")
    os.environ["KERAS_BACKEND"] = name


def _check_out(out):
    """Create the output folder and prove it is writable before any training starts."""
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out):
            pass
    except OSError as exc:
        raise UsageError(f"--out {out}: cannot write there ({exc.strerror or exc})") from None
    return out


def compare(args):
    """Run ``skrnn compare``; returns the Comparison."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ._compare import MODELS, best_network, compare_models
    from .datasets._home import write_atomically
    from .plotting import ForecastDisplay

    if args.quick:
        for key, value in QUICK.items():
            setattr(args, key, value)
    models = tuple(m.strip().lower() for m in args.models.split(",") if m.strip())
    unknown = sorted(set(models) - set(MODELS))
    if unknown or not models:
        raise UsageError(f"--models: unknown {unknown or 'empty list'}; choose among "
                         f"{', '.join(MODELS)}")
    windows = _ints(args.windows, "windows")
    network_params = dict(
        units=_ints(args.units, "units"),
        dense_units=_ints(args.dense_units, "dense-units", allow_empty=True),
        epochs=args.epochs,
        random_state=args.seed,
    )
    if args.epochs < 1 or args.splits < 2 or args.last < 1:
        raise UsageError("--epochs and --last must be >= 1 and --splits >= 2")
    out = _check_out(args.out)
    frame = _load_frame(args)
    n_needed = (args.splits + 1) * max(windows) / 0.8
    if len(frame) < n_needed:
        raise UsageError(
            f"{len(frame)} rows are too few for windows up to {max(windows)} with "
            f"{args.splits} folds; use at least {int(n_needed) + 1} rows or smaller --windows"
        )
    from ._network import backend_name

    print(f"skrnn compare: {len(frame)} rows of {args.column!r}, models {', '.join(models)}, "
          f"windows {', '.join(map(str, windows))}, {args.splits} time-series folds, "
          f"Keras on {backend_name()}", flush=True)
    started = time.perf_counter()
    result = compare_models(
        frame, target=args.column, windows=windows, models=models, n_splits=args.splits,
        network_params=network_params, n_jobs=args.n_jobs,
        progress=lambda message: print(message, flush=True),
    )
    table = result.table
    print(f"\nRMSE in units of {args.column} (cross-validated on the first 80%, tested on the "
          f"last 20%; lower is better):")
    print(table.to_string(float_format=lambda v: f"{v:.4f}"))
    print("\n".join(result.describe_significance()))

    best = best_network(table)
    forecast = ForecastDisplay.from_predictions(
        result.y_train, result.y_test, result.predictions[best],
        model_name=f"{best} (window {table.loc[best, 'window']})",
        title=f"{args.column}: {best} forecast on the test span", ylabel=args.column,
    )
    comparison = result.comparison_display(args.column)
    write_atomically(out / "forecast.png", lambda tmp: forecast.figure_.savefig(tmp, format="png"))
    write_atomically(out / "comparison.png",
                     lambda tmp: comparison.figure_.savefig(tmp, format="png"))
    write_atomically(out / "results.csv", lambda tmp: table.to_csv(tmp))
    plt.close("all")
    print(f"\nWrote {out / 'forecast.png'}, {out / 'comparison.png'} and {out / 'results.csv'} "
          f"in {time.perf_counter() - started:.0f}s.")
    return result


def main(argv=None):
    """Entry point of the ``skrnn`` console script; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        _use_backend(args.backend)
        if not args.debug:
            from ._process import start_tensorflow_quietly

            start_tensorflow_quietly()
        compare(args)
    except (UsageError, ValueError, TypeError, OSError) as exc:
        if args.debug:
            raise
        print(f"skrnn: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("skrnn: interrupted (each output file is written whole or not at all)",
              file=sys.stderr)
        return 130
    return 0
