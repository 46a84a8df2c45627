"""Grid searches in worker processes: TensorFlow's thread pools sized per worker, and dask."""

import os
import subprocess
import sys

import joblib
import numpy as np
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler

from skrnn import LSTMRegressor, WindowTransformer
from skrnn.datasets import load_msft, make_supervised

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
                            env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_tensorflow_pools_follow_the_threads_joblib_gives_each_worker():
    env = {k: v for k, v in os.environ.items()
           if k not in ("OMP_NUM_THREADS", "TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS")}
    # Workers: OMP_NUM_THREADS = cores // n_jobs, set by joblib. The parent: TensorFlow's default.
    assert run_python(WORKER_THREADS, **env) == "(None, 0, 0)"


def test_tensorflow_own_variables_take_precedence():
    code = ("from skrnn import _network; import tensorflow as tf;"
            "print(tf.config.threading.get_intra_op_parallelism_threads(),"
            " tf.config.threading.get_inter_op_parallelism_threads())")
    env = dict(os.environ, OMP_NUM_THREADS="1")
    assert run_python(code, **env) == "1 1"
    env["TF_NUM_INTRAOP_THREADS"] = "2"
    assert run_python(code, **env) == "0 0"  # TensorFlow reads its own variables itself


def test_grid_search_on_a_dask_cluster_matches_the_local_one():
    from distributed import Client, LocalCluster

    X, y = make_supervised(load_msft().iloc[-200:], "Close")
    grid = GridSearchCV(
        Pipeline([("scale", MinMaxScaler()), ("window", WindowTransformer()),
                  ("lstm", LSTMRegressor(units=(3,), dense_units=(), epochs=2,
                                         random_state=0))]),
        {"window__window": [5, 10]},
        cv=TimeSeriesSplit(n_splits=2),
        scoring="neg_root_mean_squared_error",
    )
    local = GridSearchCV(**grid.get_params(deep=False)).fit(X, y)
    with (LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                       dashboard_address=None) as cluster,
          Client(cluster) as client):
        with joblib.parallel_backend("dask"):
            grid.fit(X, y)
        ran_on_workers = client.run(lambda: "tensorflow" in sys.modules)
    assert list(ran_on_workers.values()) == [True, True]
    for key in ("split0_test_score", "split1_test_score"):
        np.testing.assert_allclose(grid.cv_results_[key], local.cv_results_[key], rtol=1e-4)
    np.testing.assert_allclose(grid.predict(X), local.predict(X), rtol=1e-4)
