"""Fitted pipelines survive pickling, joblib and Keras' own format, across processes."""

import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
from sklearn.pipeline import Pipeline

from conftest import TINY_NETWORK, scaled_pipeline, trend_series
from skrnn import LSTMRegressor, RNNRegressor, WindowTransformer

TINY = dict(TINY_NETWORK, random_state=0)


def data():
    return trend_series()


def pipeline():
    return scaled_pipeline(LSTMRegressor(**TINY))


def test_pickle_predicts_identically_in_a_fresh_process(tmp_path):
    X, y = data()
    model = pipeline().fit(X[:120], y[:120])
    (tmp_path / "model.pkl").write_bytes(pickle.dumps(model))
    np.save(tmp_path / "X.npy", X[120:])
    code = (
        "import pickle, sys, numpy as np;"
        f"m = pickle.load(open({str(tmp_path / 'model.pkl')!r}, 'rb'));"
        f"np.save({str(tmp_path / 'pred.npy')!r}, m.predict(np.load({str(tmp_path / 'X.npy')!r})))"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    np.testing.assert_array_equal(np.load(tmp_path / "pred.npy"), model.predict(X[120:]))


def test_keras_native_format_round_trip(tmp_path):
    import keras

    X, y = data()
    model = pipeline().fit(X[:120], y[:120])
    network = model.regressor_["model"].model_
    network.save(tmp_path / "network.keras")
    reloaded = keras.saving.load_model(tmp_path / "network.keras")
    windows = np.asarray(model.regressor_[:-1].transform(X[120:]), dtype=np.float32)
    np.testing.assert_array_equal(reloaded.predict(windows.reshape(-1, 6, 1), verbose=0),
                                  network.predict(windows.reshape(-1, 6, 1), verbose=0))


def test_same_random_state_same_predictions_in_a_fresh_process(tmp_path):
    X, y = data()
    code = (
        f"import numpy as np, sys; sys.path.insert(0, {str(Path(__file__).parent)!r});"
        "from conftest import trend_series as data; from test_pickling import pipeline;"
        "X, y = data();"
        f"np.save({str(tmp_path / 'pred.npy')!r}, "
        "pipeline().fit(X[:120], y[:120]).predict(X[120:]))"
    )
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    np.testing.assert_array_equal(np.load(tmp_path / "pred.npy"),
                                  pipeline().fit(X[:120], y[:120]).predict(X[120:]))


def test_pickle_round_trip_gives_identical_predictions():
    X, y = data()
    model = Pipeline([("window", WindowTransformer(window=5)), ("rnn", RNNRegressor(**TINY))])
    model.fit(X[:100], y[:100])
    again = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(again.predict(X[100:]), model.predict(X[100:]))


def test_a_model_saved_when_its_fixed_values_were_constants_still_loads():
    from skrnn._network.layers import Affine

    layer = Affine([2.0], [1.0])
    layer.build((None, 1))
    layer.load_own_variables({})  # such a file holds no variables for the layer
    np.testing.assert_allclose(np.asarray(layer(np.ones((1, 1), "float32"))), [[3.0]])
