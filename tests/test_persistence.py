"""Fitted pipelines survive pickling across processes and versions, and parallel grid searches."""

import pickle
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.compose import TransformedTargetRegressor
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler

import skrnn
from skrnn import InconsistentVersionWarning, LSTMRegressor, WindowTransformer

TINY = dict(units=(4,), dense_units=(), epochs=2, random_state=0)


def data():
    t = np.arange(161, dtype=float)
    s = np.sin(t / 8) + t / 50
    return s[:-1, None], s[1:]


def pipeline():
    return TransformedTargetRegressor(
        Pipeline([("scale", MinMaxScaler()), ("window", WindowTransformer(window=6)),
                  ("model", LSTMRegressor(**TINY))]),
        transformer=MinMaxScaler(),
    )


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
    network = model.regressor_["model"].network_.model_
    network.save(tmp_path / "network.keras")
    reloaded = keras.saving.load_model(tmp_path / "network.keras")
    windows = np.asarray(model.regressor_[:-1].transform(X[120:]), dtype=np.float32)
    np.testing.assert_array_equal(reloaded.predict(windows.reshape(-1, 6, 1), verbose=0),
                                  network.predict(windows.reshape(-1, 6, 1), verbose=0))


def test_other_skrnn_version_warns_at_load(monkeypatch):
    X, y = data()
    payload = pickle.dumps(pipeline().fit(X, y))
    monkeypatch.setattr(skrnn._versioning, "__version__", "99.0")
    with pytest.warns(InconsistentVersionWarning, match="pickled by skrnn 0.1.0"):
        pickle.loads(payload)


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


def test_same_random_state_same_predictions_in_a_fresh_process(tmp_path):
    X, y = data()
    code = (
        "import numpy as np, sys; sys.path.insert(0, %r);"
        "from test_persistence import data, pipeline; X, y = data();"
        "np.save(%r, pipeline().fit(X[:120], y[:120]).predict(X[120:]))"
    ) % (str(Path(__file__).parent), str(tmp_path / "pred.npy"))
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
    np.testing.assert_array_equal(np.load(tmp_path / "pred.npy"),
                                  pipeline().fit(X[:120], y[:120]).predict(X[120:]))
