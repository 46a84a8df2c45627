"""The window rule: every window transform returns is the true one, or a clear refusal."""

import numpy as np
import pandas as pd
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.model_selection import KFold, TimeSeriesSplit

from skrnn import WindowTransformer
from skrnn._placement import standalone_series


def dated(n=200, n_features=2, freq="B", tz=None, start="2020-01-01"):
    index = pd.date_range(start, periods=n, freq=freq, tz=tz)
    values = np.arange(n * n_features, dtype=float).reshape(n, n_features) ** 1.5
    return pd.DataFrame(values, index=index, columns=[f"f{k}" for k in range(n_features)])


def true_windows(frame, rows, window=5):
    """The windows of the whole series at `rows`."""
    return np.asarray(WindowTransformer(window=window).fit_transform(frame))[rows]


# Dated spans: each situation a user meets, with its exact outcome.

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


def test_fitted_rows_in_any_order_and_shuffled_continuations_get_their_own_windows():
    frame = dated()
    transformer = WindowTransformer(window=5).fit(frame.iloc[:100])
    rows = np.random.default_rng(0).permutation(np.r_[3:40, 70:100, 100:130])
    np.testing.assert_array_equal(transformer.transform(frame.iloc[rows]),
                                  true_windows(frame, rows))


@pytest.mark.parametrize("fitted, asked, match", [
    (slice(0, 100), slice(110, 120), r"the rows in between are missing \(a gap\)"),
    (slice(100, 150), slice(20, 30), "dated before the fitted series"),
    (slice(100, 150), slice(90, 110), "dated before the fitted series"),
])
def test_dated_spans_that_cannot_be_placed_are_refused(fitted, asked, match):
    frame = dated()
    transformer = WindowTransformer(window=5).fit(frame.iloc[fitted])
    with pytest.raises(ValueError, match=match):
        transformer.transform(frame.iloc[asked])


def test_another_series_under_the_fitted_dates_is_refused():
    frame = dated()
    transformer = WindowTransformer(window=5).fit(frame.iloc[:100])
    with pytest.raises(ValueError, match="differs from the fitted row with that date"):
        transformer.transform(frame.iloc[:100] * 2)


def test_dates_inside_the_span_that_were_not_fitted_are_refused():
    frame = dated()
    holed = pd.concat([frame.iloc[:40], frame.iloc[60:100]])
    transformer = WindowTransformer(window=5).fit(holed)
    with pytest.raises(ValueError, match="inside the fitted series .* but not one of its rows"):
        transformer.transform(frame.iloc[45:50])
    # Rows that were all fitted, with a hole between them, are placed one by one.
    full = WindowTransformer(window=5).fit(frame.iloc[:100])
    np.testing.assert_array_equal(full.transform(holed.iloc[30:50]),
                                  true_windows(frame, np.r_[30:40, 60:70]))


def test_every_date_of_the_continuation_is_checked_not_only_the_first():
    daily = dated(60, freq="D")
    transformer = WindowTransformer(window=3).fit(daily[:50])
    for rows, match in [
        ([50, 54], r"2020-02-20 to 2020-02-24: by the step of the fitted series .* \(D\), "
                   "the next row would be dated 2020-02-21"),
        (np.r_[50:53, 54:60], "2020-02-22 to 2020-02-24"),  # one missing day inside X
    ]:
        with pytest.raises(ValueError, match=match):
            transformer.transform(daily.iloc[rows])
    weekly = pd.DataFrame({"f0": [1.0, 2.0], "f1": [3.0, 4.0]},
                          index=pd.date_range(daily.index[50], periods=2, freq="7D"))
    with pytest.raises(ValueError, match="the next row would be dated 2020-02-21"):
        transformer.transform(weekly)


def trading_days(n=400):
    """Weekdays less US-style holidays: no frequency pandas can infer."""
    days = pd.bdate_range("2016-09-01", periods=n)
    holidays = pd.to_datetime(["2016-11-24", "2016-12-26", "2017-01-02", "2017-01-16",
                               "2017-02-20", "2017-04-14", "2017-05-29", "2017-07-04"])
    days = days.difference(holidays)
    return pd.DataFrame({"Close": np.linspace(50.0, 90.0, len(days)) ** 1.1}, index=days)


def test_trading_days_pass_holidays_the_fitted_span_never_had_and_refuse_real_gaps():
    frame = trading_days()
    fitted = frame.loc[:"2016-12-05"]  # Thanksgiving only: no step longer than a weekend
    transformer = WindowTransformer(window=5).fit(fitted)
    later = frame.loc["2016-12-06":"2017-03-01"]  # Christmas, New Year, MLK, Presidents' Day
    rows = np.arange(len(fitted), len(fitted) + len(later))
    np.testing.assert_array_equal(transformer.transform(later), true_windows(frame, rows))
    holed = later.drop(later.loc["2017-01-03":"2017-02-02"].index)  # a 30-day hole
    with pytest.raises(ValueError, match=r"2016-12-30 to 2017-02-03: it skips 24 trading days "
                                         r"at once, where the fitted series .* skips at most 1"):
        transformer.transform(holed)
    with pytest.raises(ValueError, match="two rows in one day"):  # hourly rows after daily ones
        transformer.transform(later.iloc[:2].set_axis(
            pd.date_range("2016-12-06 10:00", periods=2, freq="h")))
    weekly = later.iloc[::5]
    with pytest.raises(ValueError, match="it skips 4 trading days at once"):
        transformer.transform(weekly)


def test_irregular_dates_off_weekdays_refuse_a_step_longer_than_any_fitted_one():
    frame = dated(freq="D")
    irregular = frame.drop(frame.index[[7, 23, 61]])
    assert pd.infer_freq(irregular.index) is None
    transformer = WindowTransformer(window=5).fit(irregular.iloc[:100])
    np.testing.assert_array_equal(transformer.transform(irregular.iloc[100:110]),
                                  true_windows(irregular, slice(100, 110)))
    with pytest.raises(ValueError, match=r"a longer step than the fitted series .* takes more "
                                         r"than once \(2 days"):
        transformer.transform(irregular.iloc[104:110])


def test_a_gap_inside_a_period_index_is_refused_at_fit():
    monthly = dated(n=100, freq="MS")
    monthly = monthly.set_axis(monthly.index.to_period("M")).drop(monthly.index[50].to_period("M"))
    with pytest.raises(ValueError, match="skips rows: its periods step by M but jump from "
                                         "2024-02 to 2024-04"):
        WindowTransformer(window=5).fit(monthly)


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
            outcomes.append(" ".join(str(error).split()[:4]))
        else:
            np.testing.assert_array_equal(got, true_windows(frame, test))
            outcomes.append("exact")
    assert outcomes == ["X has rows dated", "X has a row", "exact"]


def test_dates_without_a_value_are_refused_also_after_sorting():
    frame = dated(20)
    index = frame.index.to_series()
    index.iloc[5] = pd.NaT
    holed = frame.set_axis(pd.DatetimeIndex(index))
    for candidate in (holed, holed.sort_index()):
        with pytest.raises(ValueError, match=r"row\(s\) without a date \(NaT\)"):
            WindowTransformer(window=3).fit(candidate)
    transformer = WindowTransformer(window=3).fit(frame.iloc[:10])
    with pytest.raises(ValueError, match=r"without a date \(NaT\), the first at row 5"):
        transformer.transform(holed.iloc[:10])


def test_aware_dates_in_another_zone_are_the_same_instants():
    frame = dated(48, freq="h", tz="UTC")
    transformer = WindowTransformer(window=3).fit(frame.iloc[:24])
    np.testing.assert_array_equal(
        transformer.transform(frame.iloc[24:].tz_convert("Europe/Berlin")),
        true_windows(frame, slice(24, 48), window=3))
    with pytest.raises(ValueError, match="naive and aware times cannot be compared"):
        transformer.transform(frame.iloc[24:].tz_localize(None))


def test_hourly_bars_across_a_daylight_saving_change_keep_every_hour():
    # 2024-11-03 01:00 happens twice in America/Chicago: two distinct bars.
    frame = dated(72, n_features=1, freq="h", tz="America/Chicago", start="2024-11-02")
    transformer = WindowTransformer(window=4).fit(frame.iloc[:25])
    np.testing.assert_array_equal(transformer.transform(frame.iloc[25:]),
                                  true_windows(frame, slice(25, 72), window=4))


def test_mixed_dated_and_undated_fits_and_transforms_are_refused():
    frame = dated(60)
    with pytest.raises(ValueError, match="X has no dates, but the fitted series"):
        WindowTransformer(window=3).fit(frame.iloc[:40]).transform(frame.iloc[10:20].to_numpy())
    with pytest.warns(Warning):
        undated = WindowTransformer(window=3).fit(frame.iloc[:40].to_numpy())
    with pytest.raises(ValueError, match="X has dates, but the fitted series had none"):
        undated.transform(frame.iloc[10:20])


# Without dates: the rule by position.

def test_without_dates_a_continuation_equal_to_a_repeating_series_is_refused_not_guessed():
    s = np.tile([1.0, 2.0, 3.0], 4).reshape(-1, 1)
    with pytest.warns(Warning):
        transformer = WindowTransformer(window=3).fit(s[:6])
    with pytest.raises(ValueError, match="repeat a shorter block"):
        transformer.transform(s[6:])
    declared = WindowTransformer(window=3, time_axis="positions").fit(s[:6])
    np.testing.assert_array_equal(declared.transform(s[6:]), declared.fit_transform(s[:6]))
    constant = np.ones((6, 1))  # both readings give the same windows: nothing to refuse
    with pytest.warns(Warning):
        np.testing.assert_array_equal(
            WindowTransformer(window=3).fit(constant).transform(constant), np.ones((6, 3)))


def test_standalone_series_windows_each_input_on_its_own_rows():
    frame = dated(30)
    transformer = WindowTransformer(window=4).fit(frame.iloc[:10])
    with standalone_series():
        got = transformer.transform(frame.iloc[20:25])
    np.testing.assert_array_equal(got, WindowTransformer(window=4).fit_transform(
        frame.iloc[20:25]))
    with pytest.raises(ValueError, match="a gap"):  # the rule again outside the block
        transformer.transform(frame.iloc[20:25])


# Properties: every transform of any selection of rows is exact or refused.

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
            assert gap == 0


def as_polars(frame):
    return pl.from_pandas(frame.rename_axis("Date").reset_index())


@st.composite
def series_and_deleted_rows(draw):
    """A regular series, a fitted prefix, and a span of rows with random rows deleted."""
    freq = draw(st.sampled_from(["D", "B", "MS"]))
    window = draw(st.integers(1, 6))
    n = draw(st.integers(window + 12, 60))
    k = draw(st.integers(max(window, 7), n - 5))  # a week: daily dates show a weekend
    start = draw(st.integers(0, n - 2))
    stop = draw(st.integers(start + 1, n))
    rows = [row for row in range(start, stop) if not draw(st.booleans()) or row == start]
    frame = pd.DataFrame({"x": np.arange(n, dtype=float) ** 1.3},
                         index=pd.date_range("2022-03-01", periods=n, freq=freq))
    return frame, window, k, np.asarray(rows), draw(st.booleans())


@settings(max_examples=80, deadline=None)
@given(series_and_deleted_rows())
def test_rows_deleted_inside_x_give_true_windows_or_a_refusal(case):
    frame, window, k, rows, polars_input = case
    later = rows[rows >= k]
    steps = np.diff(np.r_[k - 1, later])
    # A B-range fitted with its freq (pandas) is strict; read back from a polars column its
    # step is inferred, and on weekdays one weekday skipped at a time reads as a holiday.
    allowed = 2 if polars_input and frame.index.freqstr == "B" else 1
    should_refuse = len(later) > 0 and np.any(steps > allowed)
    fit, asked = frame.iloc[:k], frame.iloc[rows]
    if polars_input:
        fit, asked = as_polars(fit), as_polars(asked)
    transformer = WindowTransformer(window=window).fit(fit)
    try:
        got = transformer.transform(asked)
    except ValueError as error:
        assert should_refuse, str(error)
        assert "the rows in between are missing" in str(error)
    else:
        assert not should_refuse
        series = pd.concat([frame.iloc[:k], frame.iloc[later]])
        positions = np.where(rows < k, rows, k + np.searchsorted(later, rows))
        expected = np.asarray(WindowTransformer(window=window).fit_transform(series))
        np.testing.assert_array_equal(got, expected[positions])


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
def test_window_contract_by_position(data, draw):
    X, window = data
    before = X.copy()
    by_position = dict(window=window, time_axis="positions")
    Xt = WindowTransformer(**by_position).fit_transform(X)
    n, n_features = X.shape
    assert Xt.shape == (n, window * n_features)  # sample count preserved
    assert Xt.dtype == X.dtype  # float32 in, float32 out
    np.testing.assert_array_equal(X, before)  # input untouched
    for t in range(window - 1, n):  # each full window equals the rows that end at t
        np.testing.assert_array_equal(Xt[t], X[t - window + 1 : t + 1].ravel())
    if n > window:
        k = draw.draw(st.integers(window, n - 1))
        continued = WindowTransformer(**by_position).fit(X[:k]).transform(X[k:])
        np.testing.assert_array_equal(continued, Xt[k:])  # the continuation rule
    transformer = WindowTransformer(**by_position).fit(X)
    np.testing.assert_array_equal(transformer.transform(X), Xt)  # the fitted series itself
    np.testing.assert_array_equal(transformer.inverse_transform(Xt), X)  # inverse
    names = transformer.get_feature_names_out()
    assert len(names) == Xt.shape[1] and len(set(names)) == len(names)
    assert names[-1] == f"x{n_features - 1}[t]"


def test_changed_values_are_seen_column_by_column_and_units_do_not_matter():
    frame = dated(40, n_features=1, freq="D").assign(volume=3e7)
    transformer = WindowTransformer(3).fit(frame[:30])
    with pytest.raises(ValueError, match="differs from the fitted row"):
        transformer.transform(frame[10:15].assign(f0=frame["f0"][10:15] + 0.2))
    near_a_million = frame.assign(f0=1e6 + frame["f0"])
    with pytest.raises(ValueError, match="differs from the fitted row"):
        WindowTransformer(3).fit(near_a_million[:30]).transform(near_a_million[10:15] + 5)
    # microseconds, or a polars column, are the same dates as nanoseconds
    microseconds = frame.set_axis(frame.index.as_unit("us"))
    np.testing.assert_array_equal(
        WindowTransformer(3).fit(microseconds[:20]).transform(microseconds[20:]),
        true_windows(frame, slice(20, 40), window=3))


def test_daily_bars_across_a_midnight_the_clocks_skip_continue():
    # America/Santiago skips 2024-09-08 00:00: that day's bar is at 01:00.
    days = pd.DatetimeIndex([pd.Timestamp(f"2024-09-{d:02d}") for d in range(1, 16)])
    local = days.tz_localize("America/Santiago", nonexistent="shift_forward")
    frame = pd.DataFrame({"x": np.arange(15.0)}, index=local)
    np.testing.assert_array_equal(
        WindowTransformer(3).fit(frame[:6]).transform(frame[6:]),
        true_windows(frame, slice(6, 15), window=3))


def test_intraday_bars_missing_overnight_are_refused():
    sessions = [pd.date_range(f"2024-03-{d:02d} 09:30", periods=13, freq="30min",
                              tz="America/New_York") for d in (4, 5, 6, 7, 8, 11, 12, 13, 14)]
    bars = pd.DataFrame({"x": np.arange(117.0)}, index=sessions[0].append(sessions[1:]))
    bars.index.freq = None
    transformer = WindowTransformer(3).fit(bars[:104])  # through 2024-03-13
    np.testing.assert_array_equal(transformer.transform(bars[104:]),
                                  true_windows(bars, slice(104, 117), window=3))
    with pytest.raises(ValueError, match="bars missing overnight"):
        transformer.transform(bars[107:])  # the 14th's first three bars are missing


def test_a_one_off_long_closure_licenses_no_later_gap():
    frame = trading_days(300)
    closed = frame.drop(frame.index[100:104])  # four trading days closed once, as after 9/11
    transformer = WindowTransformer(3).fit(closed.iloc[:250])
    with pytest.raises(ValueError, match="it skips 3 trading days at once"):
        transformer.transform(closed.iloc[253:])
