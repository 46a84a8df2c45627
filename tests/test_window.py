"""WindowTransformer: the window contract — every window is the true one, or a clear error."""

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline

from skrnn import WindowTransformer


def series(n=12, n_features=2, dtype=np.float64):
    return np.arange(n * n_features, dtype=dtype).reshape(n, n_features)


@pytest.mark.parametrize("window", [1, 3, 5])
def test_each_row_holds_the_rows_that_end_at_it(window):
    X = series()
    Xt = WindowTransformer(window=window).fit_transform(X)
    assert Xt.shape == (len(X), window * X.shape[1])
    for t in range(window - 1, len(X)):
        np.testing.assert_array_equal(Xt[t], X[t - window + 1 : t + 1].ravel())


def test_first_rows_are_padded_with_the_first_row():
    X = series()
    Xt = WindowTransformer(window=4).fit_transform(X)
    np.testing.assert_array_equal(Xt[0], np.tile(X[0], 4))
    np.testing.assert_array_equal(Xt[1], np.concatenate([np.tile(X[0], 3), X[1]]))


@pytest.mark.parametrize("k", [4, 5, 11])
def test_transform_of_continuation_uses_fitted_context(k):
    X = series()
    full = WindowTransformer(window=4).fit_transform(X)
    continued = WindowTransformer(window=4).fit(X[:k]).transform(X[k:])
    np.testing.assert_array_equal(continued, full[k:])


def test_transform_of_fitted_data_equals_fit_transform():
    X = series()
    transformer = WindowTransformer(window=3).fit(X)
    np.testing.assert_array_equal(transformer.transform(X), transformer.fit_transform(X))


def test_dtype_preserved_and_input_untouched():
    X = series(dtype=np.float32)
    before = X.copy()
    Xt = WindowTransformer(window=3).fit_transform(X)
    assert Xt.dtype == np.float32
    np.testing.assert_array_equal(X, before)


def test_output_is_a_read_only_view_not_a_window_fold_copy():
    X = series(n=1000, n_features=1)
    Xt = WindowTransformer(window=100).fit_transform(X)
    assert not Xt.flags.writeable
    # one padded copy of the input, shared by all overlapping windows
    assert np.shares_memory(Xt[0], Xt[50])


def test_feature_names_and_pandas_output():
    frame = pd.DataFrame({"Open": [1.0, 2, 3, 4], "Close": [5.0, 6, 7, 8]})
    transformer = WindowTransformer(window=2).set_output(transform="pandas")
    out = transformer.fit_transform(frame)
    assert list(out.columns) == ["Open[t-1]", "Close[t-1]", "Open[t]", "Close[t]"]
    assert list(out.iloc[3]) == [3.0, 7.0, 4.0, 8.0]
    assert list(transformer.get_feature_names_out()) == list(out.columns)


def test_classic_regressor_consumes_windows():
    X = np.sin(np.arange(200) / 5.0)[:, None]
    y = np.roll(X[:, 0], -1)
    model = make_pipeline(WindowTransformer(window=10), Ridge()).fit(X[:150], y[:150])
    assert model.predict(X[150:-1]).shape == (49,)
    assert model.score(X[150:-1], y[150:-1]) > 0.9


def test_windowed_array_survives_pickle():
    Xt = WindowTransformer(window=3).fit_transform(series())
    again = pickle.loads(pickle.dumps(Xt))
    np.testing.assert_array_equal(again, Xt)
    assert again.window_layout == Xt.window_layout


@pytest.mark.parametrize(
    "params, X, match",
    [
        ({"window": 0}, series(), "window"),
        ({"window": 2.5}, series(), "window"),
        ({"window": 20}, series(), "at least 20 rows"),
        ({"window": 2}, np.arange(5.0), "2D array"),
        ({"window": 2}, np.empty((0, 2)), "0 sample"),
        ({"window": 2}, np.array([[1.0], [np.nan], [2.0]]), "NaN"),
        ({"window": 2}, np.array([[1.0], [np.inf], [2.0]]), "infinity"),
        ({"window": 2}, np.array([["a"], ["b"], ["c"]]), "convert"),
    ],
)
def test_bad_input_raises_clear_value_error(params, X, match):
    with pytest.raises(ValueError, match=match):
        WindowTransformer(**params).fit(X)


def test_wrong_feature_count_at_transform():
    transformer = WindowTransformer(window=2).fit(series(n_features=2))
    with pytest.raises(ValueError, match="features"):
        transformer.transform(series(n_features=3))


@pytest.mark.parametrize(
    "dates, match",
    [(["2024-01-02", "2024-01-01", "2024-01-03"], "not in time order"),
     (["2024-01-01", "2024-01-01", "2024-01-03"], "duplicated dates")],
)
def test_date_index_out_of_order_is_refused(dates, match):
    frame = pd.DataFrame({"Close": [1.0, 2.0, 3.0]}, index=pd.to_datetime(dates))
    with pytest.raises(ValueError, match=match):
        WindowTransformer(window=2).fit(frame)
    with pytest.raises(ValueError, match=match):  # the same dates, in a column
        WindowTransformer(window=2).fit(frame.reset_index())


def test_set_output_pandas_keeps_the_dates_of_the_windows():
    index = pd.date_range("2020-01-01", periods=50, freq="B")
    frame = pd.DataFrame({"f0": np.arange(50.0)}, index=index)
    out = WindowTransformer(window=3).set_output(transform="pandas").fit_transform(frame)
    assert out.index.equals(frame.index)
