"""The documentation builds without warnings, its examples run, and README tells the truth."""

import doctest
import importlib
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).parents[1]
MODULES = ["skrnn._window", "skrnn._baseline", "skrnn._recurrent", "skrnn._forecast",
           "skrnn._backtest", "skrnn._quantiles", "skrnn._split", "skrnn._significance",
           "skrnn.plotting",
           "skrnn.datasets._bundled", "skrnn.datasets._supervised", "skrnn.datasets._yahoo",
           "skrnn.datasets._home"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
    assert result.attempted > 0


def test_every_public_class_has_an_examples_section():
    import skrnn
    from skrnn import plotting

    classes = [getattr(skrnn, n) for n in skrnn.__all__
               if n != "__version__" and not n.endswith("Warning")]  # classes and functions
    classes += [plotting.ForecastDisplay, plotting.ModelComparisonDisplay,
                plotting.BacktestDisplay]
    for cls in classes:
        assert "Examples\n    --------" in cls.__doc__, cls.__name__


def test_sphinx_build_has_no_warnings(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", "-d", str(tmp_path / "dt"),
         str(ROOT / "docs"), str(tmp_path / "html")],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert (tmp_path / "html" / "api.html").exists()


def test_ci_runs_exactly_the_test_command_of_the_readme():
    readme = (ROOT / "README.md").read_text()
    commands = re.findall(r"```bash\n(.+?)\n```", readme)
    test_command = next(c for c in commands if "pytest" in c)
    assert test_command in (ROOT / ".ci" / "run").read_text().splitlines()
    assert any("skrnn compare" in c for c in commands)


def test_documented_defaults_match_the_signatures():
    import inspect

    from numpydoc.docscrape import ClassDoc

    import skrnn

    estimators = [getattr(skrnn, n) for n in skrnn.__all__
                  if inspect.isclass(getattr(skrnn, n)) and hasattr(getattr(skrnn, n), "fit")]
    assert len(estimators) >= 5
    for cls in estimators:
        documented = {p.name: p.type for p in ClassDoc(cls)["Parameters"]}
        for name, parameter in inspect.signature(cls).parameters.items():
            if parameter.default is inspect.Parameter.empty:
                continue
            assert f"default={parameter.default!r}" in documented[name].replace('"', "'"), (
                f"{cls.__name__}.{name}: signature default {parameter.default!r}, "
                f"docstring {documented[name]!r}")


def test_the_readme_quick_start_runs_with_every_window_checked_by_date():
    import warnings

    readme = (ROOT / "README.md").read_text()
    code = re.search(r"## Quick start\n\n```python\n(.+?)\n```", readme, re.S).group(1)
    tiny = "units=(3,), dense_units=(), epochs=1, random_state=0"
    for name in ("RNNRegressor", "LSTMRegressor", "GRURegressor"):
        code = code.replace(f"{name}()", f"{name}({tiny})")
    code = code.replace("iloc[-1258:]", "iloc[-700:]")  # the first fold still fits window 60
    assert code.count("units=(3,)") == 4  # every network of the quick start made tiny
    namespace = {}
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # NoTimeAxisWarning among them
        exec(compile(code, "README.md", "exec"), namespace)
    assert np.isfinite(namespace["search"].predict(namespace["X"][-250:])).all()
