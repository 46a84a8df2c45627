"""The window rule: where the rows of a later X stand in the series a WindowTransformer fitted.

Every window is the true window of the series, or the transform is refused. Where each row of
X stands is told

- *by its dates* when the fitted series had dates (:mod:`skrnn._time_axis`): every row's date
  is looked up. A fitted date places the row there (its values must be the fitted ones); dates
  after the fitted span must continue it, step by step: with a regular index (a ``freq``, or
  one pandas infers) each step is the index's next one, with irregular dates (trading days) no
  step is longer than the longest one inside the fitted span. A date before the span, a date
  inside it that was not fitted, or a step that leaves rows out is refused. Rows may come in
  any order; each gets the window that ends at its date.
- *by position* otherwise: X equal to the fitted rows (up to float noise and dtype) is those
  rows, any other X their direct continuation. Nothing else can be checked, which is why a
  WindowTransformer fitted without dates warns once, unless told ``time_axis="positions"``.

:func:`standalone_series` is the one exception, for skrnn's own callers that read only the
last row of what they pass (recursive forecasts): inside it, X is windowed as a series of its
own.
"""

import contextlib
import threading
import warnings

import numpy as np
import pandas as pd

from ._callers import resampling_hint
from ._time_axis import date_label

_local = threading.local()


@contextlib.contextmanager
def standalone_series():
    """Window each transformed X as a series of its own (this thread, for the duration)."""
    before = getattr(_local, "standalone", False)
    _local.standalone = True
    try:
        yield
    finally:
        _local.standalone = before


def standalone_series_active():
    return getattr(_local, "standalone", False)


def _differing_rows(a, b):
    """Rows of `a` that differ from those of `b` by more than float noise and a float32 round
    trip: relatively 1e-6 (float32 keeps about 6e-8), or 1e-9 of the column's largest value
    near zero, column by column, so that a small column is not compared at a large one's
    scale."""
    scale = np.max(np.abs(b), axis=0) if b.size else np.ones(b.shape[1:])
    return ~np.all(np.isclose(a, b, rtol=1e-6, atol=1e-9 * scale), axis=1)


def same_values(a, b):
    """Equal rows, as :func:`_differing_rows` compares them."""
    return a.shape == b.shape and not _differing_rows(a, b).any()


def _same_dates(a, b):
    """The same instants (or periods), whatever the unit or time-zone object they carry."""
    return len(a) == len(b) and np.array_equal(a.asi8, b.asi8)


def frequency(dates):
    """``(freq, inferred)``: the dates' regular step, their own or inferred from at least three
    (then `inferred` is True), else ``(None, False)``."""
    if dates.freq is not None:
        return dates.freq, False
    if not isinstance(dates, pd.DatetimeIndex) or len(dates) < 3:
        return None, False
    with warnings.catch_warnings():
        # pandas 3 warns that infer_freq will return an offset instead of a string;
        # to_offset takes either.
        warnings.simplefilter("ignore", FutureWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        inferred = pd.infer_freq(dates)
    if inferred is None:
        return None, False
    return pd.tseries.frequencies.to_offset(inferred), True


def _next_dates(last, periods, freq, like):
    """The `periods` dates that follow `last` at a regular step (in `last`'s time zone)."""
    maker = pd.period_range if isinstance(like, pd.PeriodIndex) else pd.date_range
    return maker(start=last, periods=periods + 1, freq=freq)[1:]


def check_consecutive(dates, name):
    """Refuse dates with a regular step that skip one (periods always have one; a pandas
    DatetimeIndex with a ``freq`` cannot skip)."""
    freq = dates.freq if isinstance(dates, pd.PeriodIndex) else None
    if freq is None or len(dates) < 2:
        return
    expected = _next_dates(dates[0] - freq, len(dates), freq, dates)
    if not _same_dates(expected, dates):
        k = int(np.argmax(np.asarray(expected != dates)))
        raise ValueError(
            f"{name} skips rows: its periods step by {dates.freqstr} but jump from "
            f"{date_label(dates[k - 1])} to {date_label(dates[k])}. Windows would join rows "
            f"that are not consecutive; pass a gap-free span. {resampling_hint()}"
        )


_FIX = ("Pass the missing rows too (for example the whole series up to X's end), or fit again "
        "on the rows just before X.")


def _refuse_step(before, after, why):
    raise ValueError(
        f"X goes from {date_label(before)} to {date_label(after)}: {why}; the rows in between "
        f"are missing (a gap), or X steps at another frequency. {_FIX} {resampling_hint()}"
    )


def _regular_continuation(fitted, new, freq):
    """The dates that would follow the fitted ones, and X's, comparable: an aware index that
    steps by days or months steps on the wall clock, so both are compared as local calendar
    days (a day whose midnight the clocks skip has its row at 01:00); hours and minutes, in
    UTC."""
    absolute = isinstance(freq, pd.offsets.Tick) and not isinstance(freq, pd.offsets.Day)
    if getattr(fitted, "tz", None) is None or absolute:
        return _next_dates(fitted[-1], len(new), freq, fitted), new
    days = new.tz_localize(None).normalize()
    last = fitted[-1].tz_localize(None).normalize()
    return _next_dates(last, len(new), freq, days), days


def _check_continues(fitted, new, span):
    """Refuse new dates (sorted, after the fitted span) that leave rows out, by the first of
    three rules that applies: a regular step (the index's own, or one pandas infers) must be
    followed exactly; trading days (irregular dates on weekdays only, or a step of a day or
    less inferred from weekdays only) may skip weekends and, as holidays, as many weekdays at
    a time as the fitted span does (at least one); other irregular dates may not step
    further than the fitted span ever does."""
    freq, inferred = frequency(fitted)
    if freq is not None and not (inferred and _may_be_trading_days(fitted, freq)):
        expected, new = _regular_continuation(fitted, new, freq)
        if not _same_dates(expected, new):
            k = int(np.argmax(np.asarray(expected != new)))
            step = fitted.freqstr if isinstance(fitted, pd.PeriodIndex) else freq.freqstr
            _refuse_step(fitted[-1] if k == 0 else new[k - 1], new[k],
                         f"by the step of {span} ({step}), the next row would be dated "
                         f"{date_label(expected[k])}")
        return
    if len(fitted) < 2:
        return
    stamps = pd.DatetimeIndex([fitted[-1]]).append(new)
    weekmask = _trading_weekmask(fitted)
    if weekmask is not None:
        _check_trading_steps(fitted, stamps, span, weekmask)
        return
    longest = pd.Timedelta(_usual_largest(fitted[1:] - fitted[:-1]))
    too_long = np.asarray(stamps[1:] - stamps[:-1] > longest)
    if too_long.any():
        k = int(np.argmax(too_long))
        _refuse_step(stamps[k], stamps[k + 1],
                     f"a longer step than {span} takes more than once ({longest})")


def _usual_largest(values):
    """The largest value that recurs: the k-th largest, ``k = max(2, n / 250)``, so that a
    one-off (an exchange closed four days after 9/11, a data outage) licenses no later one."""
    ordered = np.sort(np.asarray(values))
    return ordered[-min(len(ordered), max(2, len(ordered) // 250))]


def _trading_weekmask(dates):
    """The weekdays of trading days (``np.busday_count``'s weekmask), or None for dates on
    every day of the week: the weekdays the dates fall on, in local time, once they span two
    weeks or more (Sunday to Thursday in UTC for Sydney's closes); before that, Monday to
    Friday if no date falls on a weekend."""
    local = dates.tz_localize(None) if dates.tz is not None else dates
    seen = np.zeros(7, dtype=bool)
    seen[np.unique(local.dayofweek)] = True
    if local[-1] - local[0] < pd.Timedelta(days=14):
        seen = np.arange(7) < 5 if not seen[5:].any() else np.ones(7, dtype=bool)
    return None if seen.all() else seen.astype(int).tolist()


def _may_be_trading_days(dates, freq):
    """Whether dates of trading days only, whose step of a day or less (or one business day)
    pandas inferred from a span without a holiday or a weekend, may be trading days."""
    if _trading_weekmask(dates) is None:
        return False
    if isinstance(freq, pd.offsets.BusinessDay):
        return freq.n == 1
    try:
        return pd.Timedelta(freq) <= pd.Timedelta(days=1)
    except (TypeError, ValueError):  # a calendar step (months, years)
        return False


def _local(dates):
    return dates.tz_localize(None) if dates.tz is not None else dates


def _calendar_days(dates):
    """Each date's local calendar day, as ``datetime64[D]``."""
    return _local(dates).normalize().to_numpy().astype("datetime64[D]")


def _days_skipped(days, weekmask):
    """For each step between consecutive calendar days, the trading days strictly between."""
    return np.maximum(np.busday_count(days[:-1] + np.timedelta64(1, "D"), days[1:],
                                      weekmask=weekmask), 0)


def _sessions(fitted):
    """Times of day of the first bars of the fitted span's whole days, and the earliest time
    of day a whole day's last bar has (the first and last days may be cut); None with fewer
    than three days or one row a day."""
    local = _local(fitted)
    days = local.normalize()
    changes = np.flatnonzero(np.asarray(days[1:] != days[:-1]))
    if len(changes) < 2 or len(changes) == len(fitted) - 1:
        return None
    times = np.asarray(local - days)
    first, last = changes[:-1] + 1, changes[1:]  # the whole days: not the first, nor the last
    return set(times[first]), times[last].min()


def _check_trading_steps(fitted, stamps, span, weekmask):
    """The trading-day rule of :func:`_check_continues`, for daily and intraday rows: across
    days, no more trading days skipped at once than the fitted span usually skips (at least
    one, a holiday), and with intraday bars each day starting at a first bar of the fitted
    sessions after a day that ended no earlier than they do; within a day, no step longer than
    the fitted span's longest within a day (and none when it has one row per day); never a
    step shorter than its shortest."""
    fitted_days, days = _calendar_days(fitted), _calendar_days(stamps)
    fitted_steps, steps = fitted[1:] - fitted[:-1], stamps[1:] - stamps[:-1]
    holidays = max(1, int(_usual_largest(_days_skipped(fitted_days, weekmask))))
    within_fitted_day = fitted_days[1:] == fitted_days[:-1]
    longest_within = fitted_steps[within_fitted_day].max() if within_fitted_day.any() else None
    shortest = fitted_steps.min()
    skipped, within_day = _days_skipped(days, weekmask), days[1:] == days[:-1]
    too_far = within_day & (True if longest_within is None else steps > longest_within)
    sessions = _sessions(fitted)
    broken = np.zeros(len(steps), dtype=bool)
    if sessions is not None:
        starts, earliest_end = sessions
        times = np.asarray(_local(stamps) - _local(stamps).normalize())
        broken = ~within_day & (np.isin(times[1:], list(starts), invert=True)
                                | (times[:-1] < earliest_end))
    reasons = [
        (skipped > holidays, lambda k: f"it skips {skipped[k]} trading days at once, where "
                                       f"{span} usually skips at most {holidays} (holidays)"),
        (too_far, lambda k: f"two rows in one day, where {span} has one row per day"
         if longest_within is None
         else f"a longer step within a day than any of {span} ({longest_within})"),
        (broken, lambda k: f"a day of bars that does not end and start as the sessions of "
                           f"{span} do (bars missing overnight)"),
        (np.asarray(steps < shortest),
         lambda k: f"a shorter step than any of {span} ({shortest})"),
    ]
    bad = np.logical_or.reduce([mask for mask, _ in reasons])
    if bad.any():
        k = int(np.argmax(bad))
        why = next(describe for mask, describe in reasons if mask[k])(k)
        _refuse_step(stamps[k], stamps[k + 1], why)


def place_by_dates(fitted, fitted_values, dates, values, span):
    """Positions of X's rows in the fitted series extended by X's later rows, and those later
    rows in time order. `dates` are X's, made comparable with `fitted` (:mod:`_time_axis`)."""
    n = len(fitted)
    if dates.has_duplicates:
        raise ValueError(
            f"X has duplicated dates ({date_label(dates[dates.duplicated()][0])} twice): each "
            f"row of a series has its own date. {resampling_hint()}"
        )
    positions = np.arange(n) if _same_dates(dates, fitted) else fitted.get_indexer(dates)
    new = positions < 0
    later = np.empty(0, dtype=np.intp)
    if new.any():
        unknown = dates[new]
        early, inside = unknown < fitted[0], unknown <= fitted[-1]
        if early.any():
            raise ValueError(
                f"X has rows dated before {span} (the first: "
                f"{date_label(unknown[early][0])}): they have no history there. Fit on the "
                f"series X belongs to, or use fit_transform(X). {resampling_hint()}"
            )
        if inside.any():
            raise ValueError(
                f"X has a row dated {date_label(unknown[inside][0])}, inside {span} but not "
                "one of its rows: X is not a part of the fitted series, or the fitted series "
                f"skipped that row. {resampling_hint()}"
            )
        order = np.argsort(np.asarray(unknown), kind="stable")
        _check_continues(fitted, unknown[order], span)
        rank = np.empty(len(order), dtype=np.intp)
        rank[order] = np.arange(len(order))
        positions[new] = n + rank
        later = np.flatnonzero(new)[order]
    known = np.flatnonzero(~new)
    differing = _differing_rows(values[known], fitted_values[positions[known]])
    if differing.any():
        raise ValueError(
            f"X's row dated {date_label(dates[known[np.argmax(differing)]])} differs from the "
            "fitted row with that date: X is another series, or was scaled differently. Fit "
            "on X's own series, or use fit_transform(X)."
        )
    return positions, values[later]


def _repeats_a_shorter_block(series):
    """Whether the rows are whole repetitions of a shorter block (a period dividing n)."""
    n = len(series)
    for period in range(1, n // 2 + 1):
        if n % period == 0 and np.array_equal(series[period], series[0]) and np.array_equal(
                series[period:], series[:-period]):
            return True
    return False


def place_by_order(fitted_values, values, window, *, declared):
    """Positions by the rule without dates: X equal to the fitted rows is them, any other X
    their direct continuation. Undeclared (the warned case), a series that repeats a shorter
    block, whose continuation may equal it, is refused instead of guessed."""
    n = len(fitted_values)
    if not same_values(values, fitted_values):
        return np.arange(n, n + len(values)), values
    history_differs = window > 1 and not np.all(fitted_values[-(window - 1):] == fitted_values[0])
    if not declared and history_differs and _repeats_a_shorter_block(fitted_values):
        raise ValueError(
            "X equals the fitted rows, which repeat a shorter block: without dates, X may be "
            "those rows or their continuation (which repeats them), and the two have different "
            "windows. Give the rows their dates (a DatetimeIndex), or pass "
            "time_axis='positions' to declare that an X equal to the fitted rows is those rows."
        )
    return np.arange(n), values[:0]


def windows_at(fitted_values, later_values, positions, window, dtype):
    """``(len(positions), window, n_features)`` windows ending at `positions` of the series
    ``fitted_values`` followed by ``later_values``, its start padded with its first row: a
    read-only view of one padded copy of the rows involved when the positions are
    consecutive, else a copy."""
    n = len(fitted_values)
    low, high = int(positions.min()), int(positions.max())
    start = max(0, low - window + 1)
    parts = [np.repeat(fitted_values[:1], window - 1 - (low - start), axis=0),
             fitted_values[start : min(high + 1, n)]]
    if high >= n:
        parts.append(later_values[max(0, start - n) : high - n + 1])
    padded = np.concatenate([part.astype(dtype, copy=False) for part in parts])
    windows = np.lib.stride_tricks.sliding_window_view(padded, window, axis=0)
    windows = windows.transpose(0, 2, 1)
    if np.array_equal(positions, np.arange(low, high + 1)):
        return windows
    taken = windows[positions - low]
    taken.flags.writeable = False
    return taken
