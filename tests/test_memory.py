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
