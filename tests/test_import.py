"""What ``import skrnn`` costs: nothing heavy until a name is used, no Keras until a network is."""

import subprocess
import sys

import pytest


def run_python(code, *, quiet=True):
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    if quiet:  # TensorFlow's own start-up messages are TensorFlow's to print, not skrnn's
        assert result.stderr == ""
    return result.stdout


def test_import_skrnn_imports_neither_sklearn_nor_tensorflow():
    out = run_python(
        "import sys, skrnn\n"
        "print(sorted(m for m in ('sklearn', 'scipy', 'pandas', 'tensorflow', 'keras')"
        " if m in sys.modules))"
    )
    assert out.strip() == "[]"


def test_window_and_persistence_work_without_tensorflow():
    out = run_python(
        "import sys, numpy as np, skrnn\n"
        "X = np.arange(20.0).reshape(-1, 1)\n"
        "Xw = skrnn.WindowTransformer(window=3, time_axis='positions').fit_transform(X)\n"
        "pred = skrnn.PersistenceRegressor().fit(Xw, X[:, 0] + 1).predict(Xw)\n"
        "assert pred[5] == 5.0, pred\n"
        "print('tensorflow' in sys.modules, 'keras' in sys.modules)"
    )
    assert out.strip() == "False False"


def test_every_public_name_resolves():
    import skrnn

    assert dir(skrnn) == skrnn.__all__
    assert set(skrnn.__all__) == {*skrnn._LAZY_NAMES, "InconsistentVersionWarning", "__version__"}
    for name in skrnn.__all__:
        assert getattr(skrnn, name) is not None
    assert skrnn.LSTMRegressor.__module__ == "skrnn._recurrent"
    with pytest.raises(AttributeError, match="has no attribute 'LSTM'"):
        _ = skrnn.LSTM


def test_network_module_loads_keras_only_when_asked():
    run_python(
        "import sys, skrnn; assert 'tensorflow' not in sys.modules and 'keras' not in sys.modules;"
        "from skrnn import _network; assert 'keras' in sys.modules;"
        "assert 'scikeras' not in sys.modules  # only once a network is built",
        quiet=False,
    )


def test_only_the_network_package_touches_keras_and_only_its_wrapper_scikeras():
    import ast
    from pathlib import Path

    import skrnn

    heavy = {"keras", "tensorflow", "scikeras", "jax", "torch"}
    offenders = []
    for path in Path(skrnn.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            else:
                continue
            if path.parent.name == "_network":  # the network package: Keras, not SciKeras
                allowed = heavy - {"scikeras"} if path.name != "wrapper.py" else heavy
            else:
                allowed = {"_process.py": {"tensorflow"}}.get(path.name, set())
            if {n.split(".")[0] for n in names} & (heavy - allowed):
                offenders.append(f"{path.name}: {names}")
    assert offenders == []
