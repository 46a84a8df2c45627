"""Windows stay views from WindowTransformer to Keras: no (n, window, features) copy is made.

NumPy reports its allocations to tracemalloc (TensorFlow's own C++ buffers are not traced), so
the traced peak tells whether any stage materialised the windows. ``benchmarks/bench_memory.py``
measures the whole process on a 1,000,000-step series.
"""

import tracemalloc

import numpy as np
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler

from skrnn import RNNRegressor, WindowTransformer


def test_fit_and_predict_never_materialise_the_windows():
    from skrnn import _network  # noqa: F401  (Keras' import allocations are not the subject)

    n, window = 50_000, 200
    series = np.cumsum(np.random.default_rng(0).normal(size=n + 1))
    X, y = series[:-1, None], series[1:]
    model = Pipeline([
        ("scale", MinMaxScaler()),
        ("window", WindowTransformer(window=window)),
        ("rnn", RNNRegressor(units=(2,), dense_units=(), epochs=1, batch_size=512,
                             random_state=0)),
    ])
    one_float32_copy_mb = n * window * 4 / 2**20  # 38 MB
    tracemalloc.start()
    try:
        model.fit(X, y)
        fit_peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.reset_peak()
        model.predict(X)
        predict_peak_mb = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    # Measured: 5.5 MB (fit) and 11.5 MB (predict), the same as with n = 20,000: series copies,
    # the batches of one compiled call (32 x 256 rows when predicting), Keras' own objects.
    assert fit_peak_mb < one_float32_copy_mb / 2, fit_peak_mb
    assert predict_peak_mb < one_float32_copy_mb / 2, predict_peak_mb


def _live_function_graphs():
    import gc

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

    from skrnn import _network

    @tf.custom_gradient
    def users_own(x):
        return x, lambda dy: 2 * dy

    registry = ops.gradient_registry._registry
    before = set(registry)
    with _network._forget_all_reduce_gradients():
        tf.function(users_own).get_concrete_function(tf.TensorSpec((), tf.float32))
    assert len(set(registry) - before) == 1  # graph-mode custom gradients are registered, kept
