"""Grid searches and cross-validation in worker processes and on dask give the serial results."""

import sys

import joblib
import numpy as np
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler

from conftest import TINY_NETWORK, scaled_pipeline
from conftest import trend_series as data
from skrnn import LSTMRegressor, WindowTransformer
from skrnn.datasets import load_msft, make_supervised


def pipeline():
    return scaled_pipeline(LSTMRegressor(**TINY_NETWORK, random_state=0))


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


def test_same_results_with_one_or_two_worker_processes():
    X, y = data()
    results = []
    for n_jobs in (1, 2):
        search = GridSearchCV(pipeline(), {"regressor__window__window": [4, 8]},
                              cv=TimeSeriesSplit(2), scoring="neg_root_mean_squared_error",
                              n_jobs=n_jobs).fit(X[:120], y[:120])
        results.append((search.cv_results_["mean_test_score"], search.predict(X[120:])))
    np.testing.assert_array_equal(results[0][0], results[1][0])
    np.testing.assert_array_equal(results[0][1], results[1][1])
