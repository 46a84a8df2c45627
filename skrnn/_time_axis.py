"""Finding each row's date in X, and checking that the dates can order a series.

skrnn places rows in a series by their dates (:mod:`skrnn._placement`), so it must find them
wherever a user's tools leave them: a pandas ``DatetimeIndex`` or ``PeriodIndex`` (also
pyarrow-backed), one level of a ``MultiIndex``, or a column — polars frames have no index, and
``reset_index()`` moves a pandas index into a column. A date column is taken as the time axis
or refused by name; it is never windowed as a number. Dates with a missing value (NaT),
duplicates or a reversed order cannot order a series and are refused with a message that fits
the case.
"""

import contextlib

import numpy as np
import pandas as pd

from ._callers import resampling_hint

POSITIONS = "positions"
AUTO = "auto"


def _is_polars(X):
    return type(X).__module__.split(".")[0] == "polars"


def _is_time_dtype(dtype):
    """Whether a pandas or polars dtype holds dates or times (not durations)."""
    if hasattr(dtype, "is_temporal"):  # polars
        return dtype.is_temporal() and not str(dtype).startswith(("Duration", "Time"))
    if isinstance(dtype, pd.PeriodDtype) or pd.api.types.is_datetime64_any_dtype(dtype):
        return True
    pyarrow_type = getattr(dtype, "pyarrow_dtype", None)
    if pyarrow_type is not None:
        import pyarrow as pa

        return pa.types.is_timestamp(pyarrow_type) or pa.types.is_date(pyarrow_type)
    return False


def _holds_dates(values):
    """Whether a pandas Index/Series or polars Series holds dates (objects included)."""
    if _is_time_dtype(values.dtype):
        return True
    return pd.api.types.is_object_dtype(values.dtype) and pd.api.types.infer_dtype(
        values, skipna=True) in ("datetime", "date", "period")


def date_columns(X):
    """Names of the columns of a pandas or polars frame that hold dates."""
    if _is_polars(X):
        return [name for name, dtype in X.schema.items() if _is_time_dtype(dtype)]
    if not isinstance(X, pd.DataFrame):
        return []
    return [name for name in X.columns if _holds_dates(X[name])]


def _as_dates(values):
    """A pandas DatetimeIndex (in nanoseconds, whatever the unit it was stored in) or
    PeriodIndex of `values` (index, column, polars series)."""
    if isinstance(values, pd.PeriodIndex):
        return values
    if isinstance(values, pd.DatetimeIndex):
        return values.as_unit("ns")
    if hasattr(values, "to_numpy") and _is_polars(values):
        zone = getattr(values.dtype, "time_zone", None)
        dates = pd.DatetimeIndex(values.to_numpy()).as_unit("ns")
        return dates.tz_localize("UTC").tz_convert(zone) if zone else dates
    if isinstance(getattr(values, "dtype", None), pd.PeriodDtype):
        return pd.PeriodIndex(values)
    if pd.api.types.is_object_dtype(values.dtype) and pd.api.types.infer_dtype(
            values, skipna=True) == "period":
        return pd.PeriodIndex(list(values))
    try:
        return pd.DatetimeIndex(values).as_unit("ns")
    except (TypeError, ValueError) as exc:  # timestamps with several UTC offsets
        raise ValueError(
            f"X's dates cannot be read as one time axis ({exc}). Timestamps with several UTC "
            "offsets (read from text across a change of daylight saving time) need "
            "pandas.to_datetime(..., utc=True), then .tz_convert('<zone>')."
        ) from None


def drop_columns(X, names):
    return X.drop(names) if _is_polars(X) else X.drop(columns=names)


def _refuse_date_columns(X, columns, reason):
    if columns:
        raise ValueError(
            f"Column(s) {columns} of X hold dates, which cannot be windowed as numbers; "
            f"{reason}"
        )


_DATE_NAMES = {"date", "datetime", "timestamp", "ds"}


def refuse_numbers_named_as_dates(names):
    """Refuse a numeric feature named like the dates (``Date``, ``ds``...): a step before the
    WindowTransformer (a scaler on a polars frame, or on pandas after ``reset_index``) turned
    the dates into numbers, which would be windowed as one more feature."""
    named = [name for name in names if str(name).split("__")[-1].lower() in _DATE_NAMES]
    if named:
        raise ValueError(
            f"Column(s) {named} of X are numbers named like dates: a step before the "
            "WindowTransformer (a scaler on a polars frame, or on pandas after reset_index) "
            "turned the dates into numbers, which would be windowed as a feature. Keep the dates "
            "out of the scaler, for instance ColumnTransformer([('scale', MinMaxScaler(), "
            "<value columns>)], remainder='passthrough').set_output(transform='pandas'), or in "
            "a pandas date index. If the column is a number to window, rename it."
        )


def pick_time_axis(X, time_axis):
    """``(dates, X)``: the dates of X's rows (None when it has none) and X without a date
    column taken as the time axis. `time_axis` is ``"auto"`` (a date index, else the one date
    column), ``"positions"`` (no dates) or the name of a column or index level."""
    if type(X).__name__ == "LazyFrame":
        raise TypeError("X is a polars LazyFrame, which holds no rows yet: pass X.collect().")
    columns = date_columns(X)
    index = X.index if isinstance(X, (pd.DataFrame, pd.Series)) else None
    dated_index = (index is not None and not isinstance(index, pd.MultiIndex)
                   and _holds_dates(index))
    if time_axis == POSITIONS:
        _refuse_date_columns(X, columns, "drop them (time_axis='positions' reads rows in "
                                         "order and needs no dates).")
        return None, X
    if time_axis == AUTO:
        if dated_index:
            _refuse_date_columns(X, columns, "the index already gives each row's date, so "
                                             "drop them.")
            return _as_dates(index), X
        if len(columns) > 1:
            raise ValueError(
                f"X has several date columns {columns}: pass time_axis='<name>' to say which "
                "one orders the series, and drop the others."
            )
        if columns:
            return _as_dates(X[columns[0]]), drop_columns(X, columns)
        return None, X
    return _named_time_axis(X, time_axis, columns, index)


def _named_time_axis(X, name, columns, index):
    available = list(X.columns) if hasattr(X, "columns") else []
    if name in available:
        if name not in columns:
            raise TypeError(
                f"time_axis={name!r} names a column that holds no dates (dtype "
                f"{X[name].dtype}). Name the column of dates, or convert it with "
                "pandas.to_datetime first."
            )
        _refuse_date_columns(X, [c for c in columns if c != name],
                             f"time_axis={name!r} orders the series, so drop the others.")
        return _as_dates(X[name]), drop_columns(X, [name])
    levels = [] if index is None else list(index.names)
    if name in levels:
        dates = index.get_level_values(name) if isinstance(index, pd.MultiIndex) else index
        if not _holds_dates(dates):
            raise TypeError(f"time_axis={name!r} names an index level that holds no dates "
                            f"(dtype {dates.dtype}).")
        _refuse_date_columns(X, columns, f"time_axis={name!r} orders the series, so drop "
                                         "them.")
        return _as_dates(dates), X
    raise ValueError(
        f"time_axis={name!r} names neither a column nor an index level of X (columns: "
        f"{available[:10]}, index levels: {levels}). Name the dates, or use time_axis='auto' "
        "or 'positions'."
    )


def date_label(date):
    """A date as people write it: no time of day when it is midnight."""
    if isinstance(date, pd.Timestamp) and date == date.normalize():
        return str(date.date())
    return str(date)


def check_no_missing_dates(dates, name):
    """Refuse NaT: a row without a date has no place in the series."""
    missing = np.flatnonzero(np.asarray(dates.isna()))
    if len(missing):
        raise ValueError(
            f"{name} has {len(missing)} row(s) without a date (NaT), the first at row "
            f"{missing[0]}: a row without a date has no place in the series. Drop those rows "
            "or fill in their dates (the rows of y with them)."
        )


def check_series_dates(dates, name):
    """Dates that can order a fitted series: no NaT, none twice, in time order."""
    check_no_missing_dates(dates, name)
    if dates.has_duplicates:
        twice = dates[dates.duplicated()][0]
        raise ValueError(
            f"{name} has duplicated dates ({date_label(twice)} twice): one series has one row per "
            f"date. Drop the duplicates, or for several series in one table pass series_id; "
            "local times without a zone repeat an hour when clocks go back: give them their "
            f"zone, tz_localize('<zone>', ambiguous='infer'). {resampling_hint()}"
        )
    if not dates.is_monotonic_increasing:
        later = int(np.argmax(np.asarray(dates[1:] < dates[:-1])))
        raise ValueError(
            f"{name}'s dates are not in time order ({date_label(dates[later + 1])} comes after "
            f"{date_label(dates[later])}, at row {later + 1}). If you built X yourself, sort it "
            f"by date first (sort_index(), y with it). {resampling_hint()}"
        )


def _zone(dates):
    return "no time zone" if dates.tz is None else f"the time zone {dates.tz}"


def same_kind(dates, fitted, span):
    """`dates` comparable with the `fitted` ones: the same kind of index, the same time zone
    (aware dates in another zone are converted: they are the same instants) and period."""
    if isinstance(dates, pd.PeriodIndex) != isinstance(fitted, pd.PeriodIndex):
        raise ValueError(
            f"X's dates are a {type(dates).__name__} but {span} has a "
            f"{type(fitted).__name__}: use the same kind of date index at fit and transform."
        )
    if isinstance(dates, pd.PeriodIndex):
        if dates.freq != fitted.freq:
            raise ValueError(f"X's periods have frequency {dates.freqstr}, {span} "
                             f"{fitted.freqstr}: use periods of the same frequency.")
        return dates
    if (dates.tz is None) != (fitted.tz is None):
        raise ValueError(
            f"X's dates have {_zone(dates)} but {span} has {_zone(fitted)}: naive and aware "
            "times cannot be compared. Localize both to the same zone (tz_localize), or "
            "drop the zone from both."
        )
    if dates.tz is not None and dates.dtype != fitted.dtype:  # another zone, or zone library
        return dates.tz_convert(fitted.tz)
    return dates


def dates_to_state(dates):
    """The dates as plain values (integers, strings), which ``pickle`` and ``skops.io`` both
    carry: a pandas index object cannot be walked by skops."""
    if dates is None:
        return None
    if isinstance(dates, pd.PeriodIndex):
        return {"periods": dates.asi8.copy(), "freq": dates.freqstr, "name": dates.name}
    tz = dates.tz
    zone = None if tz is None else getattr(tz, "key", None) or getattr(tz, "zone", None) or str(tz)
    return {"nanoseconds": dates.as_unit("ns").asi8.copy(), "tz": zone,
            "freq": None if dates.freq is None else dates.freqstr, "name": dates.name}


def dates_from_state(state):
    """The index :func:`dates_to_state` describes."""
    if state is None:
        return None
    if "periods" in state:
        return pd.PeriodIndex.from_ordinals(state["periods"], freq=state["freq"],
                                            name=state["name"])
    dates = pd.DatetimeIndex(np.asarray(state["nanoseconds"], dtype="datetime64[ns]"),
                             name=state["name"])
    if state["tz"] is not None:
        dates = dates.tz_localize("UTC").tz_convert(state["tz"])
    if state["freq"] is not None:
        # a calendar of holidays its name does not carry is left out, and inferred again
        with contextlib.suppress(ValueError):
            dates.freq = state["freq"]
    return dates
