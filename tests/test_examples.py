"""Every example script runs end to end (with tiny training budgets) on the bundled data."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import without_tensorflow_startup

EXAMPLES = sorted((Path(__file__).parents[1] / "examples").glob("plot_*.py"))


@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.name)
def test_example_runs(script):
    env = {**os.environ, "SKRNN_EXAMPLES_QUICK": "1", "MPLBACKEND": "Agg"}
    result = subprocess.run([sys.executable, script.name], cwd=script.parent, env=env,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "RMSE" in result.stdout or "Regressor" in result.stdout
    assert without_tensorflow_startup(result.stderr) == "", result.stderr[-3000:]


def test_there_are_the_three_examples():
    assert {p.name for p in EXAMPLES} >= {
        "plot_stock_case_study.py", "plot_multivariate_ohlcv.py", "plot_lstm_vs_ridge.py"}
