"""Property-based tests of the window contract for arbitrary series, windows and split points."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from skrnn import WindowTransformer


@st.composite
def series_and_window(draw):
    n_features = draw(st.integers(1, 4))
    window = draw(st.integers(1, 12))
    n = draw(st.integers(window, 40))
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    X = draw(arrays(dtype, (n, n_features),
                    elements=st.floats(-1e6, 1e6, allow_nan=False, width=32)))
    return X, window


@settings(max_examples=60, deadline=None)
@given(series_and_window(), st.data())
def test_window_contract(data, draw):
    X, window = data
    before = X.copy()
    Xt = WindowTransformer(window=window).fit_transform(X)
    n, n_features = X.shape
    assert Xt.shape == (n, window * n_features)  # sample count preserved
    assert Xt.dtype == X.dtype  # float32 in, float32 out
    np.testing.assert_array_equal(X, before)  # input untouched
    for t in range(window - 1, n):  # each full window equals the rows that end at t
        np.testing.assert_array_equal(Xt[t], X[t - window + 1 : t + 1].ravel())
    if n > window:
        k = draw.draw(st.integers(window, n - 1))
        continued = WindowTransformer(window=window).fit(X[:k]).transform(X[k:])
        np.testing.assert_array_equal(continued, Xt[k:])  # the continuation rule
    transformer = WindowTransformer(window=window).fit(X)
    np.testing.assert_array_equal(transformer.inverse_transform(Xt), X)  # inverse
    names = WindowTransformer(window=window).fit(X).get_feature_names_out()
    assert len(names) == Xt.shape[1] and len(set(names)) == len(names)
    assert names[-1] == f"x{n_features - 1}[t]"
