"""skrnn._process: a fit leaves the process as it found it, is thread-safe, and does not leak."""

import gc
import logging
import os
import random
import subprocess
import sys
import threading

import numpy as np
import pytest

from skrnn import LSTMRegressor, RNNRegressor

WORKER_THREADS = """
import os, sys, joblib

def tf_pools():
    from skrnn import _network  # noqa: F401
    import tensorflow as tf
    threading = tf.config.threading
    return (os.environ.get("OMP_NUM_THREADS"), threading.get_intra_op_parallelism_threads(),
            threading.get_inter_op_parallelism_threads())

for omp, intra, inter in joblib.Parallel(n_jobs=2)(joblib.delayed(tf_pools)() for _ in range(2)):
    assert omp is not None and int(omp) >= 1 and intra == inter == int(omp), (omp, intra, inter)
assert "OMP_NUM_THREADS" not in os.environ
print(tf_pools())
"""


def run_python(code, **env):
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=env or None)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_tensorflow_pools_follow_the_threads_joblib_gives_each_worker():
    env = {k: v for k, v in os.environ.items()
           if k not in ("OMP_NUM_THREADS", "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS")}
    # Workers: OMP_NUM_THREADS = cores // n_jobs, set by joblib. The parent: TensorFlow's default.
    assert run_python(WORKER_THREADS, **env) == "(None, 0, 0)"


def test_tensorflow_own_variables_and_earlier_imports_take_precedence():
    code = ("from skrnn import _network; import tensorflow as tf;"
            "print(tf.config.threading.get_intra_op_parallelism_threads(),"
            " tf.config.threading.get_inter_op_parallelism_threads())")
    env = dict(os.environ, OMP_NUM_THREADS="1")
    assert run_python(code, **env) == "1 1"
    assert run_python("import tensorflow; " + code, **env) == "0 0"  # the user's TensorFlow
    env["TF_NUM_INTRAOP_THREADS"] = "2"
    assert run_python(code, **env) == "0 0"  # TensorFlow reads its own variables itself


def _fit_seeded(n_steps=6):
    X = np.random.default_rng(0).normal(size=(64, n_steps, 1))
    return LSTMRegressor(units=(3,), dense_units=(), epochs=1, random_state=0).fit(X, X[:, -1, 0])


def test_a_seeded_fit_leaves_global_state_as_it_was(capfd):
    import keras
    import scikeras.wrappers  # noqa: F401  (SciKeras' own import-time behaviour is the reference)

    _fit_seeded()  # first fit: imports and traces once
    reduce_before = keras.Model.__reduce__
    loggers = {name: logging.getLogger(name) for name in ("tensorflow", "absl", "keras", "")}
    levels = {name: (lg.level, list(lg.filters)) for name, lg in loggers.items()}
    np_state, py_state = np.random.get_state(), random.getstate()
    capfd.readouterr()
    model = _fit_seeded()
    model.predict(np.zeros((3, 6, 1)))
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""
    assert {name: (lg.level, list(lg.filters)) for name, lg in loggers.items()} == levels
    np.testing.assert_array_equal(np.random.get_state()[1], np_state[1])
    assert random.getstate() == py_state
    assert keras.Model.__reduce__ is reduce_before  # SciKeras' patch, untouched by skrnn


def test_importing_skrnn_network_leaves_scikeras_patches_as_scikeras_makes_them():
    code = ("import scikeras.wrappers, keras; before = keras.Model.__reduce__;"
            "from skrnn import _network; print(keras.Model.__reduce__ is before)")
    assert run_python(code) == "True"
    code = ("from skrnn import _network; import keras, scikeras;"
            "print(keras.Model.__reduce__.__module__.startswith('scikeras'))")
    assert run_python(code) == "True"


def test_fits_in_two_threads_beside_each_other_match_serial_fits():
    X = np.random.default_rng(1).normal(size=(96, 5, 1))
    y = X[:, -1, 0]

    def fit(seed):
        return RNNRegressor(units=(3,), dense_units=(), epochs=2, random_state=seed).fit(X, y)

    serial = [fit(seed).predict(X) for seed in (0, 1)]
    results, errors = {}, []

    def worker(seed):
        try:
            results[seed] = fit(seed).predict(X)
        except Exception as exc:  # reported below: an exception in a thread is otherwise lost
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(seed,)) for seed in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for seed in (0, 1):
        np.testing.assert_allclose(results[seed], serial[seed], rtol=1e-5, atol=1e-6)


def _live_function_graphs():
    from tensorflow.python.framework.func_graph import FuncGraph

    gc.collect()
    return sum(isinstance(obj, FuncGraph) for obj in gc.get_objects())


def test_a_discarded_network_leaves_no_traced_graph_behind():
    # TensorFlow registers a gradient for Keras' all_reduce in a global registry each time a
    # train step is traced; kept, it held every trained network's graphs (10-25 MB each) alive.
    X = np.random.default_rng(0).normal(size=(64, 5, 1))
    y = X[:, -1, 0]

    def fit_and_discard():
        RNNRegressor(units=(2,), dense_units=(), epochs=1, random_state=0).fit(X, y).predict(X)

    fit_and_discard()
    before = _live_function_graphs()
    for _ in range(3):
        fit_and_discard()
    assert _live_function_graphs() == before


def test_only_all_reduce_gradients_are_forgotten():
    import tensorflow as tf
    from tensorflow.python.framework import ops

    from skrnn import _process

    @tf.custom_gradient
    def users_own(x):
        return x, lambda dy: 2 * dy

    registry = ops.gradient_registry._registry
    before = set(registry)
    with _process.forget_all_reduce_gradients():
        tf.function(users_own).get_concrete_function(tf.TensorSpec((), tf.float32))
    assert len(set(registry) - before) == 1  # graph-mode custom gradients are registered, kept


@pytest.mark.parametrize("variable", ["OMP_NUM_THREADS", "TF_CPP_MIN_LOG_LEVEL"])
def test_no_environment_variable_is_set(variable):
    code = (f"import os; before = os.environ.get({variable!r}); from skrnn import _network;"
            f"print(os.environ.get({variable!r}) == before)")
    assert run_python(code) == "True"


_FORKED_MODEL = {}


def _predict_in_the_child(rows):
    return _FORKED_MODEL["model"].predict(rows)


def _fit_in_the_child(rows):
    from conftest import TINY_NETWORK
    from skrnn import LSTMRegressor

    return LSTMRegressor(**TINY_NETWORK).fit(rows, rows[:, -1])


def test_a_forked_child_that_calls_a_fitted_network_fails_at_once_with_the_fix():
    import multiprocessing

    from conftest import TINY_NETWORK, sine_series

    X, y = sine_series()
    windows = np.lib.stride_tricks.sliding_window_view(X[:, 0], 5)
    _FORKED_MODEL["model"] = LSTMRegressor(**TINY_NETWORK, random_state=0).fit(
        windows, y[4:])
    with (multiprocessing.get_context("fork").Pool(1) as pool,
          pytest.raises(RuntimeError, match=r"forked .*get_context\('spawn'\)")):
        pool.apply_async(_predict_in_the_child, (windows[:3],)).get(timeout=120)
    # a fit too, and whoever started TensorFlow before the fork (here, this test session)
    with (multiprocessing.get_context("fork").Pool(1) as pool,
          pytest.raises(RuntimeError, match="forked from one where TensorFlow or JAX")):
        pool.apply_async(_fit_in_the_child, (windows[:20],)).get(timeout=120)
