"""Season lengths: read from the frequency of a series' dates, or found in its autocorrelation.

A season is the number of steps after which a pattern repeats: 12 months, 4 quarters, 52
weeks, 7 days, 24 hours, 48 half-hours (Hyndman and Athanasopoulos, *Forecasting: Principles
and Practice*, 3rd ed., section 2.4: the periods of the usual frequencies; for data observed
several times a day, the daily cycle, the shortest of the seasons they list). Annual data has
no season (cycles of irregular length, such as sunspots or lynx, are not seasons), nor has data
of a frequency that does not divide a year or a day evenly.
"""

from statistics import NormalDist

import numpy as np
import pandas as pd

_PER_YEAR = {"MS": 12, "ME": 12, "M": 12, "SMS": 24, "SME": 24, "QS": 4, "QE": 4, "Q": 4,
             "BMS": 12, "BME": 12, "BQS": 4, "BQE": 4, "W": 52}
_PER_WEEK = {"D": 7, "B": 5, "C": 5}
_PER_DAY = {"h": 24, "bh": 24, "min": 24 * 60, "s": 24 * 3600}
_NO_SEASON = {"YS", "YE", "Y", "BYS", "BYE", "A", "AS"}


def season_of_frequency(freq):
    """The season length of a pandas frequency (offset or string): 12 for monthly, 4 for
    quarterly, 52 for weekly, 7 for daily, 5 for business days (the days of a custom week
    mask), 24 for hourly, 48 for half-hourly (steps in a day for any step that divides one; 8
    for business hours of 09:00-17:00); 1 for annual (no season).
    None when the frequency is unknown or has no whole season (a step of 7 months or 5 hours,
    daily cycles of more than 1440 steps)."""
    if freq is None:
        return None
    try:
        offset = pd.tseries.frequencies.to_offset(freq)
    except (TypeError, ValueError):
        return None
    base, n = offset.rule_code.split("-")[0], offset.n
    if base in _NO_SEASON:
        return 1
    cycle = None
    if base in _PER_YEAR:
        cycle = _PER_YEAR[base]
    elif base == "C":  # custom business days: the days of its week mask
        cycle = len(_working_days(offset))
    elif base in _PER_WEEK:
        cycle = _PER_WEEK[base]
    elif base == "bh":  # business hours: the hours of a business day
        cycle = _business_hours(offset)
    elif base in _PER_DAY:
        cycle = _PER_DAY[base]
    if cycle is None or n < 1 or cycle % n or (base in _PER_DAY and cycle // n > 1440):
        return None
    return cycle // n if cycle // n >= 2 else None


def season_of_dates(dates):
    """The season length of a series' dates (a DatetimeIndex, a PeriodIndex, or a dict of them,
    one per series of a panel: then the season they share): that of their frequency, 1 (no
    season) when they have none that has one (annual dates, irregular ones, trading days with
    holidays, fewer than three dates), None when there are no dates."""
    if isinstance(dates, dict):
        seasons = {season_of_dates(index) for index in dates.values()}
        return seasons.pop() if len(seasons) == 1 else 1
    if dates is None:
        return None
    season = season_of_frequency(_frequency_of(dates))
    return 1 if season is None else season


def _working_days(offset):
    """The weekdays (0 = Monday) of a ``CustomBusinessDay``'s week mask, which pandas keeps
    as given: "Sun Mon Tue", "1111100" or [1, 1, 1, 1, 1, 0, 0]."""
    mask = offset.weekmask
    if isinstance(mask, str) and " " not in mask and set(mask) <= {"0", "1"}:
        mask = [int(flag) for flag in mask]
    if isinstance(mask, str):
        names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        return sorted(names.index(day) for day in mask.split())
    return [day for day, flag in enumerate(mask) if flag]


def _business_hours(offset):
    """Hours in a business day of a ``BusinessHour`` offset (8 for 09:00-17:00), or None for
    opening hours in several parts or not on the hour."""
    if len(offset.start) != 1 or offset.start[0].minute or offset.end[0].minute:
        return None
    return (offset.end[0].hour - offset.start[0].hour) % 24 or 24


def _frequency_of(dates):
    """The frequency dates state or follow (inferred where they do not state one), or None.

    Consecutive weekdays that state no frequency are read as neither daily nor business days:
    pandas infers "D" from them, while the rest of the same business-day series infers "B",
    and the two spans would get different seasons."""
    freq = getattr(dates, "freq", None)
    if freq is None and isinstance(dates, pd.DatetimeIndex) and len(dates) >= 3:
        freq = pd.infer_freq(dates) or _months_on_one_day(dates)
        if freq == "D" and not np.any(dates.dayofweek >= 5):
            return None
    return freq


def _months_on_one_day(dates):
    """"<n>MS" for dates on one day of every n-th month (the 15th of each month, which pandas
    infers no frequency for), else None."""
    if len(dates) < 3 or np.any(dates.day != dates.day[0]) or np.any(dates.hour != dates.hour[0]):
        return None
    steps = np.diff(dates.year * 12 + dates.month)
    return f"{steps[0]}MS" if steps[0] >= 1 and np.all(steps == steps[0]) else None


def season_positions(dates):
    """Where each date stands in its season: ``(positions, season_length)``, positions from 0
    to ``season_length - 1`` (the month of monthly dates, the weekday of daily ones, the
    half-hour of the day of half-hourly ones, the week of the year of weekly ones, the 53rd
    week counted as the 52nd), or None when the dates have no season (see
    :func:`season_of_dates`: annual, irregular or no dates).

    Read from the calendar, not counted from the first date, so that any span of a series
    gives its dates the same positions.
    """
    season = season_of_dates(dates) if dates is not None else None
    if season is None or season < 2:
        return None
    offset = pd.tseries.frequencies.to_offset(_frequency_of(dates))
    base, n = offset.rule_code.split("-")[0], offset.n
    if base in {"MS", "ME", "M", "BMS", "BME"}:
        steps = dates.month - 1
    elif base in {"SMS", "SME"}:  # the 1st (or day_of_month) and day_of_month (or the end)
        second = (dates.day >= offset.day_of_month if base == "SMS"
                  else dates.day > offset.day_of_month)
        steps = 2 * (dates.month - 1) + second
    elif base in {"QS", "QE", "Q", "BQS", "BQE"}:
        steps = dates.quarter - 1
    elif base == "W":
        steps = np.minimum((dates.dayofyear - 1) // 7, 51)
    elif base == "C":  # the rank of the weekday among those of the week mask
        steps = np.searchsorted(_working_days(offset), dates.dayofweek)
    elif base in _PER_WEEK:
        steps = dates.dayofweek
    else:  # steps within a day (of business hours: from the opening)
        seconds = 3600 * dates.hour + 60 * dates.minute + dates.second
        if base == "bh":
            seconds = seconds - 3600 * offset.start[0].hour
        steps = seconds // {"h": 3600, "bh": 3600, "min": 60, "s": 1}[base]
    return np.asarray(steps, dtype=np.int64) // n % season, season


def detect_season(series, max_lag):
    """A season found in the autocorrelation of the series' steps, or None.

    The steps (first differences) remove a trend, which would otherwise make every lag look
    alike. The season is the lag, from 3 to `max_lag`, where their autocorrelation peaks
    highest after falling below zero, kept when that peak is significant at the 5 % level
    (one-sided, with Bartlett's standard error of an autocorrelation, as in the seasonality
    test of Hyndman's forecast package, and Bonferroni's correction for the number of lags
    looked at: the highest of 20 noisy autocorrelations is often above a plain 5 % bound) and
    when the series holds at least three seasons.
    """
    steps = np.diff(np.asarray(series, dtype=np.float64))
    n = len(steps)
    max_lag = min(int(max_lag), n // 3)
    if max_lag < 3:
        return None
    centred = steps - steps.mean()
    variance = float(centred @ centred)
    if not variance > 0:
        return None
    acf = np.array([centred[lag:] @ centred[:-lag] / variance for lag in range(1, max_lag + 1)])
    lags = np.arange(3, max_lag + 1)
    left = acf[lags - 2]
    right = np.append(acf[lags[:-1]], -np.inf)
    # A peak after a trough below zero (from lag 2 on: the noise in the steps alone makes lag
    # 1 negative): a pattern that returns, not the slow decay of a smooth cycle.
    trough = np.minimum.accumulate(acf[1:max_lag])[lags - 3] < 0
    peaks = lags[(acf[lags - 1] > left) & (acf[lags - 1] >= right) & trough]
    if not len(peaks):
        return None
    best = int(peaks[np.argmax(acf[peaks - 1])])
    error = np.sqrt((1 + 2 * np.sum(acf[: best - 1] ** 2)) / n)
    bound = NormalDist().inv_cdf(1 - 0.05 / (max_lag - 1))
    return best if acf[best - 1] > bound * error else None
