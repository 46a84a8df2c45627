"""Season lengths: read from each frequency of dates, carried in the window record, or found
in the autocorrelation when there are no dates."""

import numpy as np
import pandas as pd
import pytest

from skrnn import WindowTransformer
from skrnn._seasons import detect_season, season_of_dates, season_of_frequency, season_positions

FREQUENCIES = [("MS", 12), ("ME", 12), ("QS", 4), ("QE-MAR", 4), ("W-SUN", 52), ("W-SAT", 52),
               ("D", 7), ("B", 5), ("h", 24), ("2h", 12), ("30min", 48), ("15min", 96),
               ("bh", 8), ("YS", 1), ("YE", 1), ("7h", None), ("s", None)]


@pytest.mark.parametrize(("freq", "season"), [*FREQUENCIES, ("SMS-10", 24), ("2bh", 4)])
def test_the_season_of_each_frequency(freq, season):
    assert season_of_frequency(freq) == season


@pytest.mark.parametrize(("freq", "season"), [(f, s) for f, s in FREQUENCIES if s])
def test_the_window_record_carries_the_season_of_the_dates(freq, season):
    # Rows picked by position lose the index's freq: it is inferred from the dates themselves.
    dates = pd.date_range("2020-01-01", periods=40, freq=freq)[np.arange(40)]
    assert dates.freq is None
    frame = pd.DataFrame({"x": np.arange(40.0)}, index=dates)
    windows = WindowTransformer(3).fit_transform(frame)
    assert windows.window_layout.season_length == season


@pytest.mark.parametrize(("freq", "season"), [("M", 12), ("Q", 4), ("Y", 1), ("D", 7)])
def test_periods_state_their_season(freq, season):
    periods = pd.period_range("2000-01-01", periods=30, freq=freq)
    frame = pd.DataFrame({"x": np.arange(30.0)}, index=periods)
    assert WindowTransformer(3).fit_transform(frame).window_layout.season_length == season


def test_no_dates_state_no_season_and_irregular_dates_state_none_to_use():
    windows = WindowTransformer(3, time_axis="positions").fit_transform(np.ones((20, 1)))
    assert windows.window_layout.season_length is None  # unknown: the networks look for one
    trading = pd.bdate_range("2024-01-01", periods=60).delete([10, 31])  # two holidays
    assert season_of_dates(trading) == 1  # dates without a regular frequency: no season
    assert season_of_dates({"a": pd.date_range("2020", periods=9, freq="MS"),
                            "b": pd.date_range("2021", periods=9, freq="MS")}) == 12


def test_a_season_is_found_in_the_autocorrelation_and_none_in_a_random_walk():
    rng = np.random.default_rng(0)
    t = np.arange(300)
    seasonal = 0.05 * t + np.sin(2 * np.pi * t / 12) + 0.3 * rng.normal(size=300)
    assert detect_season(seasonal, max_lag=24) == 12
    found = [detect_season(np.cumsum(np.random.default_rng(seed).normal(size=300)), 24)
             for seed in range(20)]
    assert found.count(None) >= 18  # a 5 % test, corrected for the 23 lags looked at
    assert detect_season(seasonal, max_lag=8) is None  # the window does not reach a season


@pytest.mark.parametrize(("freq", "season", "first", "position"),
                         [("MS", 12, "2020-03-01", 2), ("QS", 4, "2020-07-01", 2),
                          ("D", 7, "2020-03-04", 2), ("B", 5, "2020-03-04", 2),
                          ("h", 24, "2020-01-01 05:00", 5), ("30min", 48, "2020-01-01 01:30", 3),
                          ("2h", 12, "2020-01-01 04:00", 2), ("W-SUN", 52, "2020-01-19", 2)])
def test_each_date_gets_its_position_in_the_season_of_its_frequency(freq, season, first,
                                                                    position):
    # 2020-03-04 is a Wednesday (2); 2020-01-19 is the year's third Sunday
    dates = pd.date_range(first, periods=200, freq=freq)
    positions, length = season_positions(dates[np.arange(200)])  # freq inferred, not stated
    assert length == season and positions[0] == position
    steps = np.diff(positions) % season
    assert set(positions) == set(range(season)) and np.all((steps == 1) | (positions[1:] == 0))


def test_positions_are_read_from_the_calendar_so_any_span_agrees():
    dates = pd.period_range("2001-01", periods=40, freq="M")
    whole, _ = season_positions(dates)
    later, _ = season_positions(dates[7:])
    np.testing.assert_array_equal(later, whole[7:])
    assert whole.tolist()[:13] == [*range(12), 0]
    assert season_positions(pd.period_range("2001", periods=9, freq="Y")) is None
    assert season_positions(pd.bdate_range("2024-01-01", periods=60).delete([10])) is None


@pytest.mark.parametrize(("dates", "expected"), [
    # semi-monthly dates anchored on other days than the 15th: the 1st and the 10th
    (pd.date_range("2020-01-01", periods=6, freq="SMS-10"), [0, 1, 2, 3, 4, 5]),
    (pd.date_range("2020-01-01", periods=6, freq="SME-20"), [0, 1, 2, 3, 4, 5]),
    # a working week of Sunday to Thursday: 2024-01-04 is a Thursday, 2024-01-07 a Sunday
    (pd.bdate_range("2024-01-03", periods=6, freq="C", weekmask="Sun Mon Tue Wed Thu"),
     [2, 3, 4, 0, 1, 2]),
    # monthly on the 15th, for which pandas infers no frequency; quarterly on the 15th
    (pd.date_range("2020-03-01", periods=6, freq="MS") + pd.Timedelta(days=14),
     [2, 3, 4, 5, 6, 7]),
    (pd.date_range("2020-02-01", periods=5, freq="3MS") + pd.Timedelta(days=14),
     [0, 1, 2, 3, 0]),
    (pd.bdate_range("2024-01-03", periods=4, freq="C", weekmask="1101100"), [2, 3, 0, 1]),
    # business hours, 09:00 to 17:00: position 0 is the opening hour
    (pd.date_range("2024-01-01 15:00", periods=4, freq="bh"), [6, 7, 0, 1]),
])
def test_positions_follow_the_offsets_own_anchor_days_and_hours(dates, expected):
    positions, _ = season_positions(dates)
    assert positions.tolist() == expected


def test_a_few_weekdays_without_a_stated_frequency_have_no_season_to_tell():
    # pandas infers "D" from Monday to Friday, and "B" from the longer span they belong to
    week = pd.DatetimeIndex(list(pd.bdate_range("2024-01-01", periods=5)))
    assert week.freq is None and pd.infer_freq(week) == "D"
    assert season_positions(week) is None
    two_weeks = pd.DatetimeIndex(list(pd.bdate_range("2024-01-01", periods=12)))
    assert season_positions(two_weeks)[1] == 5
    assert season_positions(pd.DatetimeIndex(list(pd.date_range("2024-01-01", periods=7))))[1] == 7
