"""From a time-indexed frame to aligned (X, y) for one-step or multi-step forecasting."""

from numbers import Integral

import numpy as np
import pandas as pd

from .._seasons import season_positions

CALENDAR = {
    "dayofweek": range(7), "dayofmonth": range(1, 32), "month": range(1, 13),
    "quarter": range(1, 5), "hour": range(24), "season": None,  # range: the season's length
}


def _season_of_frame(index):
    """Each date's position in the season of the index's frequency, and that season."""
    found = season_positions(index)
    if found is None:
        raise ValueError(
            "calendar=['season'] needs dates of a frequency that has a season (monthly: 12, "
            "quarterly: 4, weekly: 52, daily: 7, business days: 5, hourly: 24, half-hourly: "
            "48), but the frame's dates have none (annual, irregular such as trading days "
            "with holidays, fewer than three, or a few weekdays that could be daily or "
            "business days). If they are regular, state their frequency "
            "(frame.asfreq('B'), or frame.index.freq = 'MS'); else leave 'season' out, or "
            "name the calendar features: 'dayofweek', 'month', ..."
        )
    return found


def _names(value):
    """A list of column or feature names from None, one name, or several."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def _calendar_columns(dates, attributes, step, seasons=None):
    """One-hot columns ``"<attribute>=<value>[t+<step>]"`` of the dates, every value of the
    attribute's range present (so that every span has the same columns); "season" from
    `seasons`, the positions of these dates in their season and its length."""
    columns = {}
    for attribute in attributes:
        if attribute == "season":
            positions, length = seasons
            for value in range(length):
                columns[f"season={value}[t+{step}]"] = (positions == value).astype(float)
            continue
        values = np.asarray(getattr(dates, "day" if attribute == "dayofmonth" else attribute))
        for value in CALENDAR[attribute]:
            columns[f"{attribute}={value}[t+{step}]"] = (values == value).astype(float)
    return columns


def make_supervised(frame, target="Close", *, horizon=1, features=None, multi_output=False,
                    known=None, calendar=None):
    """Align features at time ``t`` with the target ``horizon`` rows later.

    Row ``t`` of `X` holds the features observed at ``t``; `y` holds ``target`` at
    ``t + horizon``. The last `horizon` rows, whose future is unknown, are dropped. The date
    index is kept, so ``y.index[t]`` is the date the forecast is made on.

    Parameters
    ----------
    frame : pandas.DataFrame
        Time-ordered data, one row per time step (for instance from :func:`load_msft`).

    target : str, default="Close"
        Column to forecast.

    horizon : int, default=1
        How many rows ahead to forecast (``1`` = the next row).

    features : str, list of str or None, default=None
        Columns of `X`. None means ``[target]`` (a univariate series).

    multi_output : bool, default=False
        If True, `y` has one column per step ``t+1 .. t+horizon`` (direct multi-step
        forecasting); else only the value at ``t + horizon``.

    known : str, list of str or None, default=None
        Columns whose values are known in advance for the forecast time (a scheduled event,
        a planned price): `X` gets each one's value at every forecast step, as
        ``"<column>[t+h]"``. ``WindowTransformer(covariates="future")`` passes them to the
        network beside the windows (see :ref:`covariates`). Not the target: its value at the
        forecast time is y.

    calendar : str, list of str or None, default=None
        Calendar features of the forecast date (the date of the row `y` is taken from, so
        holidays and weekends of trading days are exact), one-hot, as
        ``"<feature>=<value>[t+h]"``: any of ``"dayofweek"`` (0 = Monday), ``"dayofmonth"``,
        ``"month"``, ``"quarter"``, ``"hour"``, and ``"season"``: the position of the date in
        the season of the index's frequency (the month of monthly dates, the half-hour of the
        day of half-hourly ones, the week of the year of weekly ones: 12, 48 and 52 columns),
        the season the networks' seasonal anchors use. Needs a DatetimeIndex or PeriodIndex.

    Returns
    -------
    X : pandas.DataFrame of shape (n_rows - horizon, n_features)
        Features at time ``t``, then the `known` and `calendar` columns of the forecast
        steps.

    y : pandas.Series or pandas.DataFrame
        Target at ``t + horizon`` (Series named ``"<target>[t+h]"``), or columns
        ``"<target>[t+1]" .. "<target>[t+h]"`` with `multi_output`.

    Examples
    --------
    >>> import pandas as pd
    >>> from skrnn.datasets import make_supervised
    >>> prices = pd.DataFrame({"Close": [1.0, 2.0, 3.0, 4.0]})
    >>> X, y = make_supervised(prices, "Close")
    >>> X["Close"].tolist(), y.tolist()
    ([1.0, 2.0, 3.0], [2.0, 3.0, 4.0])

    With the weekday of the forecast date (a Friday's forecast is for Monday):

    >>> days = pd.DataFrame({"Close": [1.0, 2.0, 3.0]},
    ...                     index=pd.to_datetime(["2024-01-04", "2024-01-05", "2024-01-08"]))
    >>> X, y = make_supervised(days, calendar=["dayofweek"])
    >>> X.filter(like="dayofweek=0").columns.tolist(), X["dayofweek=0[t+1]"].tolist()
    (['dayofweek=0[t+1]'], [0.0, 1.0])

    With the month of monthly dates, as the position in their season of 12:

    >>> months = pd.DataFrame({"sales": range(30)},
    ...                       index=pd.date_range("2020-01-01", periods=30, freq="MS"))
    >>> X, y = make_supervised(months, "sales", calendar=["season"])
    >>> X.shape, int(X["season=0[t+1]"].iloc[11])  # row 11 (December) forecasts January
    ((29, 13), 1)
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame must be a pandas DataFrame, got {type(frame).__name__}.")
    if not isinstance(horizon, Integral) or isinstance(horizon, bool) or horizon < 1:
        raise ValueError(f"horizon must be a positive int, got {horizon!r}.")
    features = [target] if features is None else _names(features)
    known, calendar = _names(known), _names(calendar)
    if target in known:
        raise ValueError(
            f"known={known} names the target {target!r}: its value at the forecast time is "
            "what y holds, so X would hold the answer. Leave it out of known."
        )
    unknown = [name for name in calendar if name not in CALENDAR]
    if unknown:
        raise ValueError(f"calendar features {unknown} are not among {list(CALENDAR)}.")
    if calendar and not isinstance(frame.index, (pd.DatetimeIndex, pd.PeriodIndex)):
        raise ValueError(
            "calendar features need the frame's dates: give it a DatetimeIndex or PeriodIndex "
            f"(it has a {type(frame.index).__name__})."
        )
    missing = [c for c in [target, *features, *known] if c not in frame.columns]
    if missing:
        raise ValueError(
            f"Columns {missing} are not in the frame; available: {list(frame.columns)}."
        )
    if isinstance(frame.index, (pd.DatetimeIndex, pd.PeriodIndex)):
        if frame.index.hasnans:
            raise ValueError("The frame's date index has missing dates (NaT); drop those rows.")
        if frame.index.has_duplicates:
            raise ValueError("The frame's date index has duplicated dates; drop them first.")
        if not frame.index.is_monotonic_increasing:
            raise ValueError("The frame's date index is not in time order; sort_index() first.")
    if len(frame) <= horizon:
        raise ValueError(
            f"The frame has {len(frame)} rows; at least horizon + 1 = {horizon + 1} are needed."
        )
    n = len(frame) - horizon
    seasons = _season_of_frame(frame.index) if "season" in calendar else None
    X = frame[features].iloc[:n]
    steps = range(1, horizon + 1) if multi_output else [horizon]
    future = {}
    for h in steps:
        future.update({f"{name}[t+{h}]": frame[name].to_numpy()[h : h + n] for name in known})
        future.update(_calendar_columns(
            frame.index[h : h + n], calendar, h,
            None if seasons is None else (seasons[0][h : h + n], seasons[1])))
    if future:
        X = pd.concat([X, pd.DataFrame(future, index=X.index)], axis=1)
    columns = {f"{target}[t+{h}]": frame[target].to_numpy()[h : h + n] for h in steps}
    y = pd.DataFrame(columns, index=X.index)
    return X, y if multi_output else y.iloc[:, 0]
