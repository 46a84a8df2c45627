"""Pickles record the skrnn version that wrote them and warn when another one reads them."""

import pickle

import numpy as np
import pytest

import skrnn
from skrnn import InconsistentVersionWarning, PersistenceRegressor, WindowTransformer


def test_other_skrnn_version_warns_at_load(monkeypatch):
    X = np.arange(20.0).reshape(-1, 1)
    payload = pickle.dumps(WindowTransformer(window=3).fit(X))
    monkeypatch.setattr(skrnn._versioning, "__version__", "99.0")
    with pytest.warns(InconsistentVersionWarning, match=f"pickled by skrnn {skrnn.__version__}"):
        pickle.loads(payload)


def test_same_version_loads_silently(recwarn):
    X = np.arange(20.0).reshape(-1, 1)
    model = PersistenceRegressor().fit(X, X[:, 0])
    again = pickle.loads(pickle.dumps(model))
    assert not [w for w in recwarn if issubclass(w.category, InconsistentVersionWarning)]
    np.testing.assert_array_equal(again.predict(X), model.predict(X))
