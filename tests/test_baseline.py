"""PersistenceRegressor: exactly the last value of the chosen feature, whatever the container."""

import numpy as np
import pandas as pd
import pytest
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from conftest import sine_series as sine
from skrnn import PersistenceRegressor, WindowTransformer


def test_persistence_is_exactly_the_last_value():
    X = np.random.RandomState(0).rand(30, 3)
    model = make_pipeline(WindowTransformer(window=4), PersistenceRegressor(target_feature=2))
    np.testing.assert_array_equal(model.fit(X, X[:, 0]).predict(X), X[:, 2])


def test_persistence_target_feature_out_of_range():
    X = np.random.RandomState(0).rand(30, 2)
    model = make_pipeline(WindowTransformer(window=4), PersistenceRegressor(target_feature=2))
    with pytest.raises(ValueError, match="target_feature=2 is out of range"):
        model.fit(X, X[:, 0])


def test_pandas_window_names_give_multivariate_layout():
    X, y = sine(n_features=2)
    frame = pd.DataFrame(X, columns=["a", "b"])
    model = make_pipeline(WindowTransformer(window=4), PersistenceRegressor(target_feature=1))
    model.set_output(transform="pandas").fit(frame, y)
    assert model[-1].sequence_shape_ == (4, 2)
    np.testing.assert_array_equal(model.predict(frame), frame["b"].to_numpy())


def test_scaler_after_the_windows_keeps_the_feature_with_pandas_output():
    X, y = sine(n_features=2)
    frame = pd.DataFrame(X, columns=["a", "b"])
    model = make_pipeline(WindowTransformer(window=5), StandardScaler(),
                          PersistenceRegressor(target_feature=0)).set_output(transform="pandas")
    prediction = model.fit(frame, y).predict(frame)
    assert model[-1].sequence_shape_ == (5, 2)
    np.testing.assert_allclose(prediction, frame["a"], atol=1e-12)  # back in y's units


def test_scaler_after_the_windows_with_array_output_is_refused():
    X, y = sine(n_features=2)
    model = make_pipeline(WindowTransformer(window=5), StandardScaler(), PersistenceRegressor())
    with pytest.raises(ValueError, match=r"no longer says how its columns fold into \(5, 2\)"):
        model.fit(X, y)
