"""The ``skrnn`` command: ``skrnn compare`` runs the stock-price case study end to end."""

import argparse
import importlib.util
import os
import re
import sys
import tempfile
import time
import warnings
from pathlib import Path

# The options --quick sets: it fills in those not given, and never overrides one that is.
DEFAULTS = dict(last=1258, windows=(30, 60), splits=3, epochs=60, units=(50,), dense_units=(25,))
QUICK = dict(last=400, windows=(20,), splits=2, epochs=2, units=(16,), dense_units=())
OUTPUTS = ("forecast.png", "comparison.png", "results.csv")
_PERIOD = re.compile(r"max|ytd|[1-9]\d*(d|wk|mo|y)")  # what Yahoo Finance accepts
_YEAR_FIRST = re.compile(r"\d{4}([-/.])\d{1,2}\1\d{1,2}")  # year, month, day: one reading
_UTC_OFFSET = re.compile(r"\d:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})$")


class UsageError(Exception):
    """A problem with the command's input, reported in one line."""


class _Parser(argparse.ArgumentParser):
    """Reports a malformed command line as a UsageError: one line, exit status 2."""

    def error(self, message):
        raise UsageError(message)


def _integer(minimum, maximum=None):
    def parse(text):
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < minimum or (maximum is not None and value > maximum):
            bounds = f">= {minimum}" if maximum is None else f"in [{minimum}, {maximum}]"
            raise argparse.ArgumentTypeError(f"must be an integer {bounds}, got {text!r}")
        return value

    return parse


def _n_jobs(text):
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value == 0:
        raise argparse.ArgumentTypeError(f"must be a non-zero integer (1: no parallelism, "
                                         f"-1: all cores), got {text!r}")
    return value


def _integers(*, allow_empty=False, distinct=False):
    def parse(text):
        try:
            values = tuple(int(v) for v in text.split(",") if v.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"must be comma-separated integers, got {text!r}") from None
        if (not values and not allow_empty) or any(v < 1 for v in values):
            raise argparse.ArgumentTypeError(f"must list positive integers, got {text!r}")
        repeated = sorted({v for v in values if values.count(v) > 1})
        if distinct and repeated:
            raise argparse.ArgumentTypeError(f"lists {repeated[0]} twice, got {text!r}")
        return values

    return parse


def _models(text):
    from ._compare import MODELS

    models = tuple(m.strip().lower() for m in text.split(",") if m.strip())
    unknown = sorted(set(models) - set(MODELS))
    if unknown or not models:
        raise argparse.ArgumentTypeError(f"unknown {unknown or 'empty list'}; choose among "
                                         f"{', '.join(MODELS)}")
    repeated = sorted({m for m in models if models.count(m) > 1})
    if repeated:
        raise argparse.ArgumentTypeError(f"lists {repeated[0]} twice, got {text!r}")
    return models


def _period(text):
    if not _PERIOD.fullmatch(text):
        raise argparse.ArgumentTypeError(f"must be a Yahoo Finance period such as 5y, 6mo, "
                                         f"1wk, ytd or max, got {text!r}")
    return text


def _ticker(text):
    symbols = [s for s in re.split(r"[\s,;]+", text) if s]
    if len(symbols) != 1:
        raise argparse.ArgumentTypeError(f"takes one Yahoo Finance symbol such as MSFT, got "
                                         f"{text!r}; run skrnn compare once per ticker")
    return symbols[0]


def _date_format(text):
    if "%" not in text:
        raise argparse.ArgumentTypeError(f"must be a strftime format such as %d/%m/%Y, "
                                         f"got {text!r}")
    return text


def _text(text):
    if not text.strip():
        raise argparse.ArgumentTypeError("must not be empty")
    return text


def build_parser():
    parser = _Parser(prog="skrnn", description="Recurrent networks as scikit-learn estimators.")
    commands = parser.add_subparsers(dest="command", required=True)
    compare = commands.add_parser(
        "compare",
        help="compare RNN, LSTM, GRU and persistence on a price series",
        description="Grid-search RNN, LSTM, GRU and the persistence baseline over window "
        "lengths with TimeSeriesSplit, score the held-out last 20%% of the series, print an "
        "RMSE table in price units and write forecast.png, comparison.png and results.csv.",
    )
    source = compare.add_mutually_exclusive_group()
    source.add_argument("--csv", type=_text,
                        help="CSV file with the --column to forecast and, optionally, a Date "
                        "column (ISO dates, or day/month/year forms that read one way only; "
                        "dates with UTC offsets are read as UTC times)")
    source.add_argument("--ticker", type=_ticker,
                        help="one Yahoo Finance symbol to download (needs network)")
    compare.add_argument("--date-format", type=_date_format,
                         help="how --csv writes its dates, e.g. %%d/%%m/%%Y (default: ISO "
                         "dates, or a day/month order that only one reading fits)")
    compare.add_argument("--period", type=_period, help="span for --ticker (default: 5y)")
    compare.add_argument("--column", type=_text, default="Close",
                         help="column to forecast (default: Close)")
    compare.add_argument("--last", type=_integer(1),
                         help="use only the last N rows (default: 1258, five years of days)")
    compare.add_argument("--models", type=_models,
                         help="comma-separated among rnn, lstm, gru, persistence (default: all)")
    compare.add_argument("--windows", type=_integers(distinct=True),
                         help="window lengths (default: 30,60)")
    compare.add_argument("--splits", type=_integer(2), help="TimeSeriesSplit folds (default: 3)")
    compare.add_argument("--epochs", type=_integer(1),
                         help="training epochs per fit, at most (default: 60; early stopping "
                              "ends most fits sooner)")
    compare.add_argument("--units", type=_integers(), help="recurrent layer sizes (default: 50)")
    compare.add_argument("--dense-units", type=_integers(allow_empty=True),
                         help="hidden Dense layer sizes, or '' for none (default: 25)")
    compare.add_argument("--seed", type=_integer(0, 2**32 - 1), default=0,
                         help="random_state of the networks (default: 0)")
    compare.add_argument("--n-jobs", type=_n_jobs, default=None,
                         help="parallel fits (joblib; -1: all cores)")
    compare.add_argument("--backend", choices=("tensorflow", "jax"),
                         help="Keras backend (default: $KERAS_BACKEND if set, else jax, the "
                         "fastest measured on CPU cores; tensorflow without JAX)")
    compare.add_argument("--out", type=_text, default="skrnn_output",
                         help="folder for figures and table")
    compare.add_argument("--quick", action="store_true",
                         help="tiny settings that finish in well under a minute: --last 400 "
                         "--windows 20 --splits 2 --epochs 2 --units 16 --dense-units ''; the "
                         "options you give yourself win")
    compare.add_argument("--quiet", action="store_true",
                         help="no progress bar and no line per model; the table still prints")
    compare.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    return parser


def _settle(args):
    """Fill in the options not given, from --quick or the defaults; refuse options that
    would be ignored."""
    from ._compare import MODELS

    for key, value in (QUICK if args.quick else DEFAULTS).items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    args.models = args.models or MODELS
    if args.period is not None and not args.ticker:
        raise UsageError("argument --period: applies to --ticker only")
    if args.date_format is not None and not args.csv:
        raise UsageError("argument --date-format: applies to --csv only")
    args.period = args.period or "5y"


def _warn(message):
    print(f"skrnn: warning: {message}", file=sys.stderr, flush=True)


def _load_frame(args):
    import numpy as np
    import pandas as pd

    if args.csv:
        frame = _read_csv(Path(args.csv), args.date_format)
    elif args.ticker:
        from .datasets import fetch_yahoo

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                frame = fetch_yahoo(args.ticker, period=args.period)
            except (ConnectionError, ValueError) as exc:
                raise UsageError(str(exc)) from None
        for warning in caught:
            _warn(warning.message)
    else:
        from .datasets import load_msft

        frame = load_msft()
    if args.column not in frame.columns:
        raise UsageError(f"--column {args.column!r} is not in the data; columns are "
                         f"{list(frame.columns)}")
    values = frame[args.column]
    if not pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        raise UsageError(f"--column {args.column!r} is not numeric")
    if values.isna().any():
        raise UsageError(f"--column {args.column!r} has missing values; fill or drop them")
    if not np.isfinite(values.to_numpy(dtype=float)).all():
        raise UsageError(f"--column {args.column!r} has infinite values; fix or drop them")
    return frame.iloc[-args.last:]


def _read_csv(path, date_format):
    """The CSV's rows, indexed by their dates when it has a Date column, oldest first."""
    import pandas as pd

    where = f"--csv {path}"
    if not path.is_file():
        raise UsageError(f"{where}: {'not a file' if path.exists() else 'no such file'}")
    try:
        frame = pd.read_csv(path)
        header_lines = 1
        if len(frame.columns) > 1 and frame.columns[0] == "Price" and len(frame) > 1 and (
                frame.iloc[0, 0] == "Ticker"):  # saved from yfinance.download: 3 header lines
            frame = _one_ticker_csv(pd.read_csv(path, header=[0, 1], index_col=0), where)
            header_lines = 3
    except pd.errors.EmptyDataError:
        raise UsageError(f"{where}: the file is empty") from None
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise UsageError(f"{where}: not a readable CSV file ({exc})") from None
    frame.columns = [c.strip() if isinstance(c, str) else c for c in frame.columns]
    separator = next((s for s in (";", "\t", "|") if len(frame.columns) == 1
                      and s in str(frame.columns[0])), None)
    if separator:
        raise UsageError(f"{where}: the file separates its values with {separator!r}, not "
                         f"commas; save it as comma-separated values")
    if frame.empty:
        raise UsageError(f"{where}: the file has a header ({', '.join(map(str, frame.columns))})"
                         f" but no rows")
    date = next((c for c in frame.columns if str(c).strip().lower() in ("date", "datetime")),
                None)
    if date is None:
        if date_format:
            raise UsageError(f"argument --date-format: {path} has no Date column")
        return frame
    frame = frame.set_index(
        _parse_dates(frame[date], date_format, where, header_lines)).drop(columns=date)
    return _in_time_order(frame, where)


def _one_ticker_csv(frame, where):
    tickers = sorted(set(frame.columns.get_level_values(1)))
    if len(tickers) > 1:
        raise UsageError(f"{where}: the file holds several tickers ({', '.join(tickers)}); "
                         f"save one per file")
    frame.columns = frame.columns.get_level_values(0)
    return frame.rename_axis("Date").reset_index()


def _parse_dates(column, date_format, where, header_lines):
    """The dates the file states, read one way: refused when two readings fit them all."""
    import pandas as pd
    from pandas.tseries.api import guess_datetime_format

    def line(position):
        return position + header_lines + 1

    if column.isna().any():
        raise UsageError(f"{where}: the Date column is empty on line "
                         f"{line(int(column.isna().to_numpy().argmax()))}")
    text = column.astype(str).str.strip()
    offsets = text.str.contains(_UTC_OFFSET)
    if offsets.any() and not offsets.all():
        first = int((~offsets).to_numpy().argmax())
        raise UsageError(f"{where}: some dates have a UTC offset and others not (line "
                         f"{line(first)}: {text.iloc[first]!r}); write them all one way")
    if date_format:
        formats = [date_format]
    elif year_first := _YEAR_FIRST.match(text.iloc[0]):
        formats = ["ISO8601" if year_first[1] == "-" else
                   guess_datetime_format(text.iloc[0], dayfirst=False) or "ISO8601"]
    else:
        formats = [guess_datetime_format(text.iloc[0], dayfirst=day_first)
                   for day_first in (False, True)]
        formats = list(dict.fromkeys(f for f in formats if f)) or ["ISO8601"]
    readings = {}
    for fmt in formats:
        try:
            reading = pd.DatetimeIndex(pd.to_datetime(text, format=fmt, utc=bool(offsets.any())))
        except (ValueError, TypeError, OverflowError):
            continue
        if not any(reading.equals(other) for other in readings.values()):
            readings[fmt] = reading
    if len(readings) > 1:
        (one, first), (other, second) = readings.items()
        raise UsageError(
            f"{where}: the dates read both as {one} ({text.iloc[0]} is {first[0]:%Y-%m-%d}) and "
            f"as {other} ({second[0]:%Y-%m-%d}); pass --date-format {one} or "
            f"--date-format {other}")
    if not readings:
        coerced = pd.to_datetime(text, format=formats[0], utc=bool(offsets.any()),
                                 errors="coerce")
        bad = int(coerced.isna().to_numpy().argmax())
        described = f"with --date-format {date_format}" if date_format else "as a date"
        raise UsageError(f"{where}: cannot read {text.iloc[bad]!r} on line {line(bad)} "
                         f"{described}; pass --date-format, e.g. --date-format %d/%m/%Y")
    return next(iter(readings.values())).rename("Date")


def _in_time_order(frame, where):
    dates = frame.index
    repeated = dates[dates.duplicated()]
    if len(repeated):
        raise UsageError(f"{where}: the date {repeated[0]} appears more than once; drop the "
                         f"repeated rows")
    if dates.is_monotonic_increasing:
        return frame
    if dates.is_monotonic_decreasing:
        print(f"skrnn compare: {where} lists its dates newest first; reading it oldest first",
              flush=True)
        return frame.iloc[::-1]
    late = int((dates[1:] < dates[:-1]).argmax())
    raise UsageError(f"{where}: the dates are not in time order ({dates[late + 1]} comes "
                     f"after {dates[late]}); sort the file by date")


def _default_backend():
    """The command's own choice when neither ``--backend`` nor ``KERAS_BACKEND`` says: JAX,
    the fastest measured (``benchmarks/README.md``), if installed and Keras has not started yet
    in this process (a Python session calling :func:`main` keeps its backend)."""
    if os.environ.get("KERAS_BACKEND") or "keras" in sys.modules:
        return None
    return "jax" if importlib.util.find_spec("jax") is not None else None


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
    if name == "jax" and "jax" not in sys.modules:
        _cache_compiled_programs()


def _cache_compiled_programs():
    """JAX's persistent compilation cache for the command's own process (and its workers), in
    ``~/.cache/skrnn/jax`` unless ``JAX_COMPILATION_CACHE_DIR`` names another folder: a later
    ``skrnn compare`` loads the programs an earlier one compiled instead of compiling them
    again. Settings the user made are kept; the library never does this."""
    folder = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "skrnn" / "jax"
    os.environ.setdefault("JAX_COMPILATION_CACHE_DIR", str(folder))
    os.environ.setdefault("JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS", "0")
    os.environ.setdefault("JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES", "-1")


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

    from ._compare import best_network, compare_models
    from ._outputs import write_together
    from ._progress import FitCounter, on_terminal, progress_bar
    from .plotting import ForecastDisplay

    _settle(args)
    models, windows = args.models, args.windows
    network_params = dict(units=args.units, dense_units=args.dense_units, epochs=args.epochs,
                          random_state=args.seed)
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
          f"{args.epochs} epochs, Keras on {backend_name()}", flush=True)
    started = time.perf_counter()
    n_fits = len(models) * (len(windows) * args.splits + 1)
    with progress_bar(n_fits, desc="skrnn compare", unit="fit",
                      show=on_terminal() and not args.quiet) as bar, \
            FitCounter(lambda: bar.update(1)) as counter:
        result = compare_models(
            frame, target=args.column, windows=windows, models=models, n_splits=args.splits,
            network_params=network_params, n_jobs=args.n_jobs, on_fit=counter.report,
            progress=None if args.quiet else lambda message: bar.write(message, file=sys.stdout),
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
    try:
        write_together(out, {
            "forecast.png": lambda path: forecast.figure_.savefig(path, format="png"),
            "comparison.png": lambda path: comparison.figure_.savefig(path, format="png"),
            "results.csv": lambda path: table.to_csv(path),
        })
    finally:
        plt.close("all")
    print(f"\nWrote {', '.join(str(out / name) for name in OUTPUTS[:-1])} and "
          f"{out / OUTPUTS[-1]} in {time.perf_counter() - started:.0f}s.")
    return result


def _one_line(exc):
    """The error in one line: a multi-line message (GridSearchCV's "All the N fits failed",
    with the tracebacks of the fits) is cut to its last line, the cause."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    if len(lines) <= 1:
        return lines[0] if lines else repr(exc)
    return f"{lines[-1]} (--debug shows the whole error)"


def main(argv=None):
    """Entry point of the ``skrnn`` console script; returns the exit code."""
    debug = "--debug" in (sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser().parse_args(argv)
        _use_backend(args.backend or _default_backend())
        if not args.debug:
            from ._process import start_tensorflow_quietly

            start_tensorflow_quietly()
        compare(args)
    except (UsageError, ValueError, TypeError, OSError) as exc:
        if debug:
            raise
        print(f"skrnn: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("skrnn: interrupted (the output files are written as one set, or not at all)",
              file=sys.stderr)
        return 130
    return 0
