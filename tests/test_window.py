"""WindowTransformer: the window contract — every window is the true one, or a clear error."""

import pickle

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.linear_model import Ridge
from sklearn.model_selection import KFold, TimeSeriesSplit
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
    good = WindowTransformer(window=2).fit(frame.reset_index(drop=True))
    with pytest.raises(ValueError, match=match):
        good.transform(frame)


# The window contract on a dated series: each situation a user meets, with its exact outcome.

def dated(n=200, n_features=2, freq="B"):
    index = pd.date_range("2020-01-01", periods=n, freq=freq)
    values = np.arange(n * n_features, dtype=float).reshape(n, n_features) ** 1.5
    return pd.DataFrame(values, index=index, columns=[f"f{k}" for k in range(n_features)])


def true_windows(frame, rows, window=5):
    """The windows of the whole series at `rows`."""
    return np.asarray(WindowTransformer(window=window).fit_transform(frame))[rows]


@pytest.mark.parametrize("fitted, asked", [
    (slice(0, 100), slice(0, 100)),  # the fitted span itself
    (slice(0, 100), slice(10, 30)),  # a part of it
    (slice(0, 100), slice(90, 110)),  # an overlap with its end
    (slice(0, 100), slice(100, 120)),  # its direct continuation
    (slice(50, 100), slice(52, 60)),  # a part whose history starts before the span: padded
])
def test_dated_spans_that_can_be_placed_get_the_true_windows(fitted, asked):
    frame = dated()
    transformer = WindowTransformer(window=5).fit(frame.iloc[fitted])
    got = transformer.transform(frame.iloc[asked])
    if fitted.start and asked.start - fitted.start < 4:  # history before the fitted span
        expected = WindowTransformer(window=5).fit_transform(frame.iloc[fitted])
        expected = np.asarray(expected)[asked.start - fitted.start: asked.stop - fitted.start]
    else:
        expected = true_windows(frame, asked)
    np.testing.assert_array_equal(got, expected)


@pytest.mark.parametrize("fitted, asked, match", [
    (slice(0, 100), slice(110, 120), "the rows in between are missing"),
    (slice(100, 150), slice(20, 30), "before the fitted series"),
    (slice(100, 150), slice(90, 110), "before the fitted series"),
])
def test_dated_spans_that_cannot_be_placed_are_refused(fitted, asked, match):
    frame = dated()
    transformer = WindowTransformer(window=5).fit(frame.iloc[fitted])
    with pytest.raises(ValueError, match=match):
        transformer.transform(frame.iloc[asked])


def test_another_series_under_the_fitted_dates_is_refused():
    frame = dated()
    transformer = WindowTransformer(window=5).fit(frame.iloc[:100])
    with pytest.raises(ValueError, match="differ from the fitted rows with the same dates"):
        transformer.transform(frame.iloc[:100] * 2)


def test_dates_inside_the_span_that_were_not_fitted_are_refused():
    frame = dated()
    holed = pd.concat([frame.iloc[:40], frame.iloc[60:100]])
    transformer = WindowTransformer(window=5).fit(holed)
    with pytest.raises(ValueError, match="no fitted row has that date"):
        transformer.transform(frame.iloc[45:50])
    with pytest.raises(ValueError, match="skip or add rows where they overlap"):
        WindowTransformer(window=5).fit(frame.iloc[:100]).transform(holed.iloc[30:50])


def test_a_gap_inside_a_regular_index_is_refused_at_fit():
    monthly = dated(n=100, freq="MS")
    monthly = monthly.set_axis(monthly.index.to_period("M")).drop(monthly.index[50].to_period("M"))
    with pytest.raises(ValueError, match=r"X skips rows: its index steps by M"):
        WindowTransformer(window=5).fit(monthly)
    frame = dated().iloc[:100]
    holed = frame.drop(frame.index[50])
    # Irregular dates (no frequency to infer) are accepted: the gap is seen at transform.
    WindowTransformer(window=5).fit(holed)


def test_irregular_dates_refuse_a_step_longer_than_any_inside_the_fitted_span():
    frame = dated()
    trading = frame.drop(frame.index[[7, 23, 61]])  # holidays: no frequency can be inferred
    assert pd.infer_freq(trading.index) is None
    transformer = WindowTransformer(window=5).fit(trading.iloc[:100])
    np.testing.assert_array_equal(transformer.transform(trading.iloc[100:110]),
                                  true_windows(trading, slice(100, 110)))
    with pytest.raises(ValueError, match="the rows in between are missing"):
        transformer.transform(trading.iloc[104:110])


@pytest.mark.parametrize("dtype, noise", [(np.float32, 0.0), (np.float64, 1e-14)])
def test_fitted_data_again_after_a_cast_or_float_noise_is_the_fitted_series(dtype, noise):
    X = dated().to_numpy()[:100]
    transformer = WindowTransformer(window=5).fit(X)
    again = transformer.transform((X + noise).astype(dtype))
    np.testing.assert_allclose(again, WindowTransformer(window=5).fit_transform(X), rtol=1e-6,
                               atol=1e-12)
    assert again.dtype == dtype


def test_float32_frame_with_dates_is_the_fitted_series():
    frame = dated().iloc[:100]
    got = WindowTransformer(window=5).fit(frame).transform(frame.astype(np.float32))
    np.testing.assert_allclose(got, true_windows(frame, slice(0, 100)), rtol=1e-6)


@pytest.mark.parametrize("gap", [1, 3])
def test_time_series_split_with_a_gap_is_refused_on_a_regular_index(gap):
    frame = dated()
    for train, test in TimeSeriesSplit(n_splits=3, gap=gap).split(frame):
        transformer = WindowTransformer(window=5).fit(frame.iloc[train])
        with pytest.raises(ValueError, match="the rows in between are missing"):
            transformer.transform(frame.iloc[test])


def test_kfold_is_refused_except_where_the_test_fold_continues_the_training_rows():
    frame = dated(n=90)
    outcomes = []
    for train, test in KFold(n_splits=3).split(frame):
        transformer = WindowTransformer(window=5).fit(frame.iloc[train])
        try:
            got = transformer.transform(frame.iloc[test])
        except ValueError as error:
            outcomes.append(str(error).split(",")[0][:9])
        else:
            np.testing.assert_array_equal(got, true_windows(frame, test))
            outcomes.append("exact")
    assert outcomes == ["X starts ", "X starts ", "exact"]


def test_set_output_pandas_keeps_the_dates_of_the_windows():
    frame = dated().iloc[:50]
    out = WindowTransformer(window=3).set_output(transform="pandas").fit_transform(frame)
    assert out.index.equals(frame.index)


@st.composite
def dated_series_and_split(draw):
    n_features = draw(st.integers(1, 3))
    window = draw(st.integers(1, 8))
    n_splits = draw(st.integers(2, 4))
    gap = draw(st.integers(0, 3))
    n = draw(st.integers((n_splits + 1) * (window + gap + 1), 90))
    freq = draw(st.sampled_from(["D", "B", "h", "MS"]))
    values = draw(arrays(np.float64, (n, n_features),
                         elements=st.floats(-1e4, 1e4, allow_nan=False)))
    frame = pd.DataFrame(values, index=pd.date_range("2021-01-01", periods=n, freq=freq))
    return frame, window, n_splits, gap


@settings(max_examples=40, deadline=None)
@given(dated_series_and_split())
def test_every_time_series_split_window_is_true_or_refused(case):
    frame, window, n_splits, gap = case
    whole = np.asarray(WindowTransformer(window=window).fit_transform(frame))
    for train, test in TimeSeriesSplit(n_splits=n_splits, gap=gap).split(frame):
        transformer = WindowTransformer(window=window).fit(frame.iloc[train])
        try:
            got = transformer.transform(frame.iloc[test])
        except ValueError as error:
            assert gap > 0 and "the rows in between are missing" in str(error)
        else:
            np.testing.assert_array_equal(got, whole[test])
            assert gap == 0 or window == 1


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
def test_window_contract_without_dates(data, draw):
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
    np.testing.assert_array_equal(transformer.transform(X), Xt)  # the fitted series itself
    np.testing.assert_array_equal(transformer.inverse_transform(Xt), X)  # inverse
    names = transformer.get_feature_names_out()
    assert len(names) == Xt.shape[1] and len(set(names)) == len(names)
    assert names[-1] == f"x{n_features - 1}[t]"
