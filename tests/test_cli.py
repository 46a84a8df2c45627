import errno
import io
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from sklearn.metrics import root_mean_squared_error

from skrnn import cli
from skrnn._compare import compare_models
from skrnn.datasets import load_msft

TINY_ARGS = ["--last", "220", "--windows", "5,10", "--splits", "2", "--epochs", "1",
             "--units", "3", "--dense-units", ""]


def test_compare_writes_table_and_figures(tmp_path, capsys):
    out = tmp_path / "out"
    assert cli.main(["compare", *TINY_ARGS, "--models", "lstm,persistence",
                     "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "[1/2] lstm" in printed and "persistence" in printed and "test_rmse" in printed
    import keras

    assert f"Keras on {keras.backend.backend()}" in printed
    assert sorted(p.name for p in out.iterdir()) == ["comparison.png", "forecast.png",
                                                     "results.csv"]
    for png in ("forecast.png", "comparison.png"):
        assert (out / png).read_bytes()[:4] == b"\x89PNG"
    table = pd.read_csv(out / "results.csv", index_col="model")
    assert list(table.index) == ["lstm", "persistence"]
    assert set(table["window"]) <= {5, 10}
    assert list(table.columns) == ["window", "cv_rmse", "cv_rmse_std", "test_rmse",
                                   "test_rmse_low", "test_rmse_high", "p_vs_best",
                                   "p_vs_persistence"]
    assert (table["test_rmse_low"] < table["test_rmse"]).all()
    assert (table["test_rmse"] < table["test_rmse_high"]).all()
    best, other = table["test_rmse"].idxmin(), table["test_rmse"].idxmax()
    assert np.isnan(table.loc[best, "p_vs_best"]) and 0 <= table.loc[other, "p_vs_best"] <= 1
    assert np.isnan(table.loc["persistence", "p_vs_persistence"])
    assert table.loc["lstm", "p_vs_persistence"] == table.loc[other, "p_vs_best"]
    for column in ("test_rmse_low", "p_vs_best", "p_vs_persistence"):
        assert column in printed
    assert "Holm-adjusted" in printed and "studentized circular block bootstrap" in printed
    assert f"{best} has the lowest RMSE" in printed
    assert ("indistinguishable from it" in printed) != ("significantly worse" in printed)


def test_table_rmse_is_sklearns_rmse_in_price_units():
    frame = load_msft().iloc[-220:]
    result = compare_models(frame, windows=(5,), models=("gru", "persistence"), n_splits=2,
                            network_params=dict(units=(3,), dense_units=(), epochs=1))
    for name, y_pred in result.predictions.items():
        assert result.table.loc[name, "test_rmse"] == pytest.approx(
            root_mean_squared_error(result.y_test, y_pred), rel=1e-12)
    # persistence: tomorrow's close predicted by today's close, in dollars
    assert result.table.loc["persistence", "test_rmse"] == pytest.approx(
        root_mean_squared_error(result.y_test, frame["Close"].loc[result.y_test.index]))
    # one pair: its Diebold-Mariano p-value (Holm over one pair changes nothing), by hand
    d = ((result.predictions["gru"] - result.y_test) ** 2
         - (result.predictions["persistence"] - result.y_test) ** 2).to_numpy()
    n = len(d)
    statistic = d.mean() / np.sqrt(np.var(d) / n) * np.sqrt((n - 1) / n)  # HLN at h = 1
    p_value = 2 * stats.t.sf(abs(statistic), n - 1)
    assert result.table.loc["gru", "p_vs_persistence"] == pytest.approx(p_value, rel=1e-9)
    worse = result.table["test_rmse"].idxmax()
    assert result.table.loc[worse, "p_vs_best"] == pytest.approx(p_value, rel=1e-9)
    assert result.significance.models.set_index("model")["rmse"].to_dict() == pytest.approx(
        result.table["test_rmse"].to_dict(), rel=1e-12)


def test_one_model_is_scored_without_tests(tmp_path, capsys):
    out = tmp_path / "out"
    assert cli.main(["compare", *TINY_ARGS, "--models", "persistence", "--out", str(out)]) == 0
    assert "One model: no interval or test" in capsys.readouterr().out
    table = pd.read_csv(out / "results.csv", index_col="model")
    assert list(table.columns) == ["window", "cv_rmse", "cv_rmse_std", "test_rmse"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--csv", "does-not-exist.csv"], "no such file"),
        (["--models", "lstm,transformer"], "unknown ['transformer']"),
        (["--windows", "5,x"], "comma-separated integers"),
        (["--windows", "0"], "positive integers"),
        (["--units", ""], "positive integers"),
        (["--column", "Price"], "not in the data"),
        (["--splits", "1"], "argument --splits: must be an integer >= 2, got '1'"),
        (["--last", "30", "--windows", "20"], "too few"),
        (["--seed", "-1"], "argument --seed: must be an integer in [0, 4294967295], got '-1'"),
        (["--seed", "4294967296"], "argument --seed: must be an integer in [0, 4294967295]"),
        (["--seed", "1.5"], "argument --seed: must be an integer"),
        (["--splits", "two"], "argument --splits: must be an integer >= 2, got 'two'"),
        (["--last", "0"], "argument --last: must be an integer >= 1, got '0'"),
        (["--last", "-5"], "argument --last: must be an integer >= 1"),
        (["--epochs", "0"], "argument --epochs: must be an integer >= 1, got '0'"),
        (["--n-jobs", "0"], "argument --n-jobs: must be a non-zero integer"),
        (["--n-jobs", "all"], "argument --n-jobs: must be a non-zero integer"),
        (["--period", "5y"], "argument --period: applies to --ticker only"),
        (["--ticker", "MSFT", "--period", "5years"], "argument --period: must be a Yahoo "
                                                     "Finance period"),
        (["--ticker", "MSFT AAPL"], "argument --ticker: takes one Yahoo Finance symbol"),
        (["--ticker", ""], "argument --ticker: takes one Yahoo Finance symbol"),
        (["--date-format", "%d/%m/%Y"], "argument --date-format: applies to --csv only"),
        (["--date-format", "dd/mm/yyyy"], "argument --date-format: must be a strftime format"),
        (["--windows", "30,30"], "argument --windows: lists 30 twice"),
        (["--models", "lstm,lstm"], "argument --models: lists lstm twice"),
        (["--models", ""], "argument --models: unknown empty list"),
        (["--units", "8,-1"], "argument --units: must list positive integers"),
        (["--dense-units", "x"], "argument --dense-units: must be comma-separated integers"),
        (["--column", " "], "argument --column: must not be empty"),
        (["--out", ""], "argument --out: must not be empty"),
        (["--csv", ""], "argument --csv: must not be empty"),
        (["--backend", "torch"], "argument --backend: invalid choice: 'torch'"),
        (["--no-such-option"], "unrecognized arguments: --no-such-option"),
        (["--csv", "x.csv", "--ticker", "MSFT"], "not allowed with argument"),
    ],
)
def test_bad_input_exits_2_with_one_line(args, message, tmp_path, capsys):
    out = tmp_path / "out"
    assert cli.main(["compare", *TINY_ARGS, "--out", str(out), *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("skrnn: error: ") and message in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert not list(out.glob("*")) if out.exists() else True


def test_unreadable_csv_and_non_numeric_column(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\x00\x01\x02 not, a csv\n\"unterminated")
    assert cli.main(["compare", "--csv", str(bad), "--out", str(tmp_path / "o")]) == 2
    assert "not a readable CSV file" in capsys.readouterr().err
    text = tmp_path / "text.csv"
    text.write_text("Date,Close\n2024-01-01,a\n2024-01-02,b\n")
    assert cli.main(["compare", "--csv", str(text), "--out", str(tmp_path / "o")]) == 2
    assert "not numeric" in capsys.readouterr().err


def test_unwritable_output_folder(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("a file where a folder should be")
    assert cli.main(["compare", *TINY_ARGS, "--out", str(blocker / "out")]) == 2
    assert "cannot write there" in capsys.readouterr().err


def test_debug_shows_the_traceback(tmp_path):
    with pytest.raises(cli.UsageError):
        cli.main(["compare", "--debug", "--windows", "x", "--out", str(tmp_path)])


def test_python_dash_m_entry_point():
    result = subprocess.run([sys.executable, "-m", "skrnn", "compare", "--help"],
                            capture_output=True, text=True, check=True)
    assert "--quick" in result.stdout and "--ticker" in result.stdout


def test_backend_is_set_before_keras_starts_and_refused_after(tmp_path, capsys):
    import keras

    other = "jax" if keras.backend.backend() == "tensorflow" else "tensorflow"
    assert cli.main(["compare", *TINY_ARGS, "--out", str(tmp_path), "--backend", other]) == 2
    assert f"Keras already runs on {keras.backend.backend()}" in capsys.readouterr().err
    env = {k: v for k, v in os.environ.items()
           if k != "KERAS_BACKEND" and not k.startswith("JAX_")}
    code = ("import os; from skrnn.cli import _use_backend; _use_backend('jax'); "
            "import keras; print(os.environ['JAX_COMPILATION_CACHE_DIR'], "
            "keras.backend.backend())")
    chosen = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**env, "XDG_CACHE_HOME": str(tmp_path)}, timeout=300)
    assert chosen.stdout.split()[-2:] == [str(tmp_path / "skrnn" / "jax"), "jax"], \
        chosen.stderr[-2000:]
    kept = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env={**env, "JAX_COMPILATION_CACHE_DIR": "/elsewhere"}, timeout=300)
    assert kept.stdout.split()[-2:] == ["/elsewhere", "jax"], kept.stderr[-2000:]


def test_backend_jax_without_jax_says_how_to_install_it(monkeypatch, capsys):
    monkeypatch.setenv("KERAS_BACKEND", "tensorflow")  # restored after the test
    monkeypatch.delitem(sys.modules, "keras")  # as before Keras starts
    monkeypatch.setattr(cli.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(cli.UsageError, match=r"pip install 'skrnn\[jax\]'"):
        cli._use_backend("jax")
    assert os.environ["KERAS_BACKEND"] == "tensorflow"


# --- input files read the way they say, or refused --------------------------------------------

FAST = ["--models", "persistence", "--windows", "5", "--splits", "2"]


def monthly_csv(path, dates, n=None):
    """A monthly series whose dates are written as `dates` gives them."""
    closes = 100 + np.cumsum(np.random.default_rng(0).normal(size=len(dates)))
    pd.DataFrame({"Date": dates, "Close": closes}).to_csv(path, index=False)
    return closes


def read(path, date_format=None):
    return cli._read_csv(Path(path), date_format)


def test_day_first_dates_are_refused_when_they_also_read_month_first(tmp_path, capsys):
    path = tmp_path / "monthly.csv"
    dates = pd.date_range("1995-01-01", periods=40, freq="MS")
    monthly_csv(path, dates.strftime("%d/%m/%Y"))  # 01/02/1995: 1 February
    assert cli.main(["compare", "--csv", str(path), *FAST, "--last", "40",
                     "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "read both as %m/%d/%Y (01/01/1995 is 1995-01-01) and as %d/%m/%Y" in err
    assert "pass --date-format %m/%d/%Y or --date-format %d/%m/%Y" in err
    assert err.count("\n") == 1
    assert list(read(path, "%d/%m/%Y").index) == list(dates)
    assert read(path, "%m/%d/%Y").index[1] == pd.Timestamp("1995-01-02")  # as asked
    assert cli.main(["compare", "--csv", str(path), "--date-format", "%d/%m/%Y", *FAST,
                     "--out", str(tmp_path / "o")]) == 0


@pytest.mark.parametrize("written, day_first", [("%d/%m/%Y", True), ("%m/%d/%Y", False),
                                                ("%d.%m.%Y", True), ("%Y-%m-%d", None)])
def test_dates_that_read_one_way_only_are_read_that_way(tmp_path, written, day_first):
    path = tmp_path / "daily.csv"
    dates = pd.date_range("2024-01-01", periods=40, freq="D")  # days past 12: one reading fits
    monthly_csv(path, dates.strftime(written))
    assert list(read(path).index) == list(dates)


@pytest.mark.parametrize("written", ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y-%m-%d %H:%M"])
def test_year_first_dates_read_year_month_day(tmp_path, written):
    path = tmp_path / "monthly.csv"
    dates = pd.date_range("1995-01-01", periods=40, freq="MS")  # days <= 12: no hint from them
    monthly_csv(path, dates.strftime(written))
    assert list(read(path).index) == list(dates)


def test_a_date_format_that_does_not_fit_names_the_line(tmp_path):
    path = tmp_path / "daily.csv"
    monthly_csv(path, pd.date_range("2024-01-01", periods=20, freq="D").strftime("%d/%m/%Y"))
    with pytest.raises(cli.UsageError, match=r"cannot read '13/01/2024' on line 14 with "
                                             r"--date-format %m/%d/%Y"):
        read(path, "%m/%d/%Y")


@pytest.mark.parametrize("dates, match", [
    (["2024-01-01", "2024-01-02", "yesterday"], r"cannot read 'yesterday' on line 4"),
    (["1/2/95", "1/3/95", "1/4/95"], r"cannot read '1/2/95' on line 2 as a date; pass "
                                     r"--date-format"),
    (["2024-01-01", None, "2024-01-03"], "the Date column is empty on line 3"),
    (["2024-01-01 09:30:00-05:00", "2024-01-02 09:30:00", "2024-01-03 09:30:00-05:00"],
     "some dates have a UTC offset and others not \\(line 3"),
    (["2024-01-01", "2024-01-03", "2024-01-02"], "not in time order \\(2024-01-02 00:00:00 "
                                                 "comes after 2024-01-03"),
    (["2024-01-01", "2024-01-02", "2024-01-02"], "the date 2024-01-02 00:00:00 appears more "
                                                 "than once"),
])
def test_dates_that_cannot_be_trusted_are_refused(tmp_path, dates, match):
    path = tmp_path / "bad.csv"
    pd.DataFrame({"Date": dates, "Close": [1.0, 2.0, 3.0]}).to_csv(path, index=False)
    with pytest.raises(cli.UsageError, match=match):
        read(path)


def test_a_newest_first_file_is_read_oldest_first_and_says_so(tmp_path, capsys):
    path = tmp_path / "newest_first.csv"
    dates = pd.date_range("2024-01-01", periods=5, freq="D")
    pd.DataFrame({"Date": dates[::-1].strftime("%Y-%m-%d"), "Close": [5.0, 4, 3, 2, 1]}).to_csv(
        path, index=False)
    frame = read(path)
    assert list(frame.index) == list(dates) and list(frame["Close"]) == [1.0, 2, 3, 4, 5]
    assert "newest first; reading it oldest first" in capsys.readouterr().out


def test_a_header_without_rows_says_so(tmp_path, capsys):
    path = tmp_path / "header.csv"
    path.write_text("Date,Close\n")
    assert cli.main(["compare", "--csv", str(path), "--out", str(tmp_path / "o")]) == 2
    assert "the file has a header (Date, Close) but no rows" in capsys.readouterr().err
    (tmp_path / "empty.csv").write_bytes(b"")
    assert cli.main(["compare", "--csv", str(tmp_path / "empty.csv"),
                     "--out", str(tmp_path / "o")]) == 2
    assert "the file is empty" in capsys.readouterr().err


def test_a_tz_aware_index_across_a_dst_change_is_read_in_utc(tmp_path, capsys):
    """What ``frame.to_csv()`` writes for a tz-aware index: -05:00 then -06:00 offsets."""
    instants = pd.date_range("2024-10-01 14:30", periods=240, freq="D", tz="UTC")
    prices = pd.DataFrame({"Close": 100 + np.sin(np.arange(240) / 5)},
                          index=instants.tz_convert("America/Chicago").rename("Date"))
    path = tmp_path / "chicago.csv"
    prices.to_csv(path)
    offsets = {line.split(",")[0][-6:] for line in path.read_text().splitlines()[1:]}
    assert offsets == {"-05:00", "-06:00"}
    frame = read(path)
    assert len(frame) == 240 and (frame.index == instants).all()
    assert cli.main(["compare", "--csv", str(path), *FAST, "--out", str(tmp_path / "o")]) == 0
    assert "240 rows of 'Close'" in capsys.readouterr().out


def test_a_csv_saved_from_yfinance_download_is_read(tmp_path):
    index = pd.DatetimeIndex(["2024-01-02", "2024-01-03", "2024-01-04"], name="Date")
    saved = pd.DataFrame({"Close": [1.0, 2.0, 3.0], "Volume": [7, 8, 9]}, index=index)
    saved.columns = pd.MultiIndex.from_product([saved.columns, ["MSFT"]],
                                               names=["Price", "Ticker"])
    saved.to_csv(tmp_path / "msft.csv")  # three header lines: Price, Ticker, Date
    frame = read(tmp_path / "msft.csv")
    assert list(frame.columns) == ["Close", "Volume"] and list(frame.index) == list(index)
    assert list(frame["Close"]) == [1.0, 2.0, 3.0]
    two = pd.concat([saved, saved.rename(columns={"MSFT": "AAPL"}, level=1)], axis=1)
    two.to_csv(tmp_path / "two.csv")
    with pytest.raises(cli.UsageError, match="several tickers \\(AAPL, MSFT\\); save one"):
        read(tmp_path / "two.csv")


@pytest.mark.parametrize("values, match", [
    ([1.0, float("inf"), 3.0], "has infinite values"),
    ([True, False, True], "is not numeric"),
])
def test_column_values_that_are_not_prices_are_refused(tmp_path, capsys, values, match):
    path = tmp_path / "values.csv"
    pd.DataFrame({"Date": ["2024-01-01", "2024-01-02", "2024-01-03"], "Close": values}).to_csv(
        path, index=False)
    assert cli.main(["compare", "--csv", str(path), "--out", str(tmp_path / "o")]) == 2
    assert match in capsys.readouterr().err


# --- options: --quick fills in, never overrides --------------------------------------------

def test_quick_never_overrides_an_explicit_option(tmp_path, capsys):
    out = tmp_path / "out"
    assert cli.main(["compare", "--quick", "--windows", "7", "--models", "persistence",
                     "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "400 rows of 'Close'" in printed and "windows 7, 2 time-series folds" in printed
    assert list(pd.read_csv(out / "results.csv")["window"]) == [7]
    args = cli.build_parser().parse_args(["compare", "--quick", "--epochs", "5"])
    cli._settle(args)
    assert (args.epochs, args.last, args.windows, args.units) == (5, 400, (20,), (16,))
    args = cli.build_parser().parse_args(["compare"])
    cli._settle(args)
    assert (args.epochs, args.last, args.windows, args.period) == (60, 1258, (30, 60), "5y")


def test_yahoo_warnings_are_one_line_each(tmp_path, monkeypatch, capsys):
    import warnings

    import skrnn.datasets

    def stale(ticker, period):
        warnings.warn("returning the cached copy at /cache/MSFT.csv", UserWarning, stacklevel=2)
        return load_msft()

    monkeypatch.setattr(skrnn.datasets, "fetch_yahoo", stale)
    assert cli.main(["compare", "--ticker", "MSFT", *FAST, "--last", "220",
                     "--out", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert "skrnn: warning: returning the cached copy at /cache/MSFT.csv\n" in err


# --- outputs: one set, or the previous one --------------------------------------------------

def test_a_full_disk_leaves_the_previous_outputs_byte_identical(tmp_path, monkeypatch, capsys):
    import matplotlib.figure

    out = tmp_path / "out"
    assert cli.main(["compare", *FAST, "--last", "220", "--out", str(out)]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert sorted(before) == ["comparison.png", "forecast.png", "results.csv"]
    real_savefig, calls = matplotlib.figure.Figure.savefig, []

    def savefig(self, path, **kwargs):
        calls.append(path)
        if len(calls) == 2:  # comparison.png: half written, then the disk is full
            Path(path).write_bytes(b"\x89PNG half")
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_savefig(self, path, **kwargs)

    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", savefig)
    capsys.readouterr()
    assert cli.main(["compare", *FAST, "--last", "200", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err == (f"skrnn: error: could not write {out / 'comparison.png'}: No space left on "
                   f"device [Errno 28]; the previous outputs in {out} are unchanged\n")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # no staging left either


# --- progress ---------------------------------------------------------------------------------

class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_counts_fits_on_a_terminal_and_quiet_hides_it(tmp_path, monkeypatch,
                                                                    capsys):
    monkeypatch.setattr(sys, "stderr", Terminal())
    assert cli.main(["compare", *FAST, "--windows", "5,6", "--last", "220",
                     "--out", str(tmp_path)]) == 0
    bar = sys.stderr.getvalue()
    assert "skrnn compare: 100%" in bar and "5/5" in bar and "fit" in bar  # 2 x 2 folds + refit
    assert "<00:00" in bar  # time left
    assert "[1/1] persistence" in capsys.readouterr().out
    monkeypatch.setattr(sys, "stderr", Terminal())
    assert cli.main(["compare", *FAST, "--quiet", "--last", "220", "--out", str(tmp_path)]) == 0
    assert sys.stderr.getvalue() == ""
    printed = capsys.readouterr().out
    assert "persistence:" not in printed and "test_rmse" in printed


def test_no_progress_bar_when_stderr_is_not_a_terminal(tmp_path, capsys):
    assert cli.main(["compare", *FAST, "--last", "220", "--out", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert "fit/s" not in captured.err and "it/s" not in captured.err
    assert "[1/1] persistence" in captured.out  # one line per model, as in a log


def test_fits_are_counted_and_the_table_is_unchanged():
    """Every fold and refit reaches on_fit, and the counting scorer gives GridSearchCV's own
    scores: the table is the one without it, to the last bit."""
    from skrnn._progress import FitCounter

    frame = load_msft().iloc[-220:]
    kwargs = dict(windows=(5,), models=("gru", "persistence"), n_splits=2,
                  network_params=dict(units=(3,), dense_units=(), epochs=1, random_state=0))
    plain = compare_models(frame, **kwargs)
    fits = []
    with FitCounter(lambda: fits.append(1)) as counter:
        counted = compare_models(frame, **kwargs, on_fit=counter.report)
    assert len(fits) == 2 * (1 * 2 + 1)
    pd.testing.assert_frame_equal(counted.table, plain.table, check_exact=True)
    pd.testing.assert_frame_equal(counted.cv_results, plain.cv_results, check_exact=True)


def test_fits_in_joblib_workers_are_counted_in_this_process():
    from skrnn._progress import FitCounter

    frame = load_msft().iloc[-220:]
    kwargs = dict(windows=(5, 8, 13), models=("persistence",), n_splits=3)
    fits = []
    with FitCounter(lambda: fits.append(os.getpid())) as counter:
        counted = compare_models(frame, **kwargs, n_jobs=2, on_fit=counter.report)
    assert fits == [os.getpid()] * (3 * 3 + 1)  # counted here, wherever they ran
    pd.testing.assert_frame_equal(counted.table, compare_models(frame, **kwargs).table,
                                  check_exact=True)


@pytest.mark.parametrize("content, match", [
    ("Date;Close\n2024-01-01;1,5\n2024-01-02;1,6\n", "separates its values with ';'"),
    ("Date\tClose\n2024-01-01\t1.5\n", "separates its values with '\\\\t'"),
])
def test_a_file_that_is_not_comma_separated_says_so(tmp_path, content, match):
    path = tmp_path / "semicolons.csv"
    path.write_text(content)
    with pytest.raises(cli.UsageError, match=match):
        read(path)


def test_a_folder_given_as_csv_and_padded_headers(tmp_path):
    with pytest.raises(cli.UsageError, match="not a file"):
        read(tmp_path)
    path = tmp_path / "padded.csv"
    path.write_text("Date, Close\n2024-01-01, 1.5\n2024-01-02, 1.6\n")
    assert list(read(path)["Close"]) == [1.5, 1.6]


def test_an_error_from_inside_the_fits_is_one_line(tmp_path, monkeypatch, capsys):
    from skrnn import _compare

    def failing(*args, **kwargs):
        raise ValueError("\nAll the 4 fits failed.\nTraceback (most recent call last):\n"
                         "  File ...\nValueError: training diverged; lower learning_rate\n")

    monkeypatch.setattr(_compare, "compare_models", failing)
    assert cli.main(["compare", *FAST, "--last", "220", "--out", str(tmp_path)]) == 2
    assert capsys.readouterr().err == ("skrnn: error: ValueError: training diverged; lower "
                                       "learning_rate (--debug shows the whole error)\n")


def test_the_command_runs_on_jax_unless_told_otherwise(monkeypatch):
    import importlib.util

    monkeypatch.delenv("KERAS_BACKEND", raising=False)
    keras = sys.modules.pop("keras", None)  # as in a fresh process, where Keras has not run
    try:
        assert importlib.util.find_spec("jax") is not None  # a dependency now
        assert cli._default_backend() == "jax"
        monkeypatch.setenv("KERAS_BACKEND", "tensorflow")
        assert cli._default_backend() is None  # the environment says
    finally:
        if keras is not None:
            sys.modules["keras"] = keras
    assert cli._default_backend() is None  # Keras already runs in this process: kept
