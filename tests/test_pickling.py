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


def fitted_estimators():
    """Every fitted skrnn estimator, and the README pipeline, with what it predicts from."""
    import pandas as pd
    from sklearn.linear_model import Ridge

    from skrnn import (
        AdaptiveConformalRegressor,
        ConformalIntervalRegressor,
        GRURegressor,
        PersistenceRegressor,
    )
    from skrnn.datasets import load_msft, make_supervised

    X, y = make_supervised(load_msft().iloc[-160:], "Close")
    train, later = (X[:120], y[:120]), X[110:]
    windows = WindowTransformer(5).fit(X[:120]).transform(X)
    readme = scaled_pipeline(GRURegressor(**TINY), window=5)
    readme.regressor.steps[0][1].set_output(transform="pandas")  # the documented dates
    hourly = pd.DataFrame({"x": np.arange(60.0)}, index=pd.date_range(
        "2024-10-27", periods=60, freq="h", tz="Europe/Berlin"))
    monthly = pd.DataFrame({"x": np.arange(30.0)}, index=pd.period_range("2020-01", periods=30,
                                                                        freq="M"))
    panel = pd.concat([X.assign(ticker="a"), X.assign(ticker="b")])
    return [
        (WindowTransformer(5).fit(X[:120]), X[110:], "transform"),
        (WindowTransformer(3).fit(hourly[:30]), hourly[30:], "transform"),
        (WindowTransformer(3).fit(monthly[:20]), monthly[20:], "transform"),
        (WindowTransformer(3, series_id="ticker").fit(panel), panel, "transform"),
        (WindowTransformer(3, time_axis="positions").fit(X.to_numpy()), X.to_numpy(),
         "transform"),
        (PersistenceRegressor().fit(windows, y), windows, "predict"),
        (LSTMRegressor(**TINY, loss="quantile", n_networks=2).fit(windows, y), windows,
         "predict_quantiles"),
        (readme.fit(*train), later, "predict"),
        (ConformalIntervalRegressor(scaled_pipeline(Ridge(), window=5), n_splits=2)
         .fit(X.to_numpy(), y), X.to_numpy(), "predict_interval"),
        (AdaptiveConformalRegressor(Ridge(), n_splits=2).fit(windows, y), windows,
         "predict_interval"),
    ]


def test_every_fitted_estimator_round_trips_through_skops_with_only_skrnn_types_to_trust():
    import warnings

    import skops.io as sio

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # the undated fits' warning
        cases = fitted_estimators()
    for estimator, X, method in cases:
        data = sio.dumps(estimator)
        untrusted = sio.get_untrusted_types(data=data)
        assert all(name.startswith("skrnn.") for name in untrusted), untrusted
        again = sio.loads(data, trusted=untrusted)
        np.testing.assert_array_equal(np.asarray(getattr(again, method)(X)),
                                      np.asarray(getattr(estimator, method)(X)))
