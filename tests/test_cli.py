import os
import subprocess
import sys

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
        (["--splits", "1"], "--splits >= 2"),
        (["--last", "30", "--windows", "20"], "too few"),
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
    env = {k: v for k, v in os.environ.items() if k != "KERAS_BACKEND"}
    chosen = subprocess.run(
        [sys.executable, "-c", "from skrnn.cli import _use_backend; _use_backend('jax'); "
         "import keras; print(keras.backend.backend())"],
        env=env, capture_output=True, text=True, timeout=300)
    assert chosen.stdout.split()[-1:] == ["jax"], chosen.stderr[-2000:]


def test_backend_jax_without_jax_says_how_to_install_it(monkeypatch, capsys):
    monkeypatch.setenv("KERAS_BACKEND", "tensorflow")  # restored after the test
    monkeypatch.delitem(sys.modules, "keras")  # as before Keras starts
    monkeypatch.setattr(cli.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(cli.UsageError, match=r"pip install 'skrnn\[jax\]'"):
        cli._use_backend("jax")
    assert os.environ["KERAS_BACKEND"] == "tensorflow"
