"""From a time-indexed frame to aligned (X, y) for one-step or multi-step forecasting."""

from numbers import Integral

import pandas as pd


def make_supervised(frame, target="Close", *, horizon=1, features=None, multi_output=False):
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

    features : list of str or None, default=None
        Columns of `X`. None means ``[target]`` (a univariate series).

    multi_output : bool, default=False
        If True, `y` has one column per step ``t+1 .. t+horizon`` (direct multi-step
        forecasting); else only the value at ``t + horizon``.

    Returns
    -------
    X : pandas.DataFrame of shape (n_rows - horizon, n_features)
        Features at time ``t``.

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
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame must be a pandas DataFrame, got {type(frame).__name__}.")
    if not isinstance(horizon, Integral) or isinstance(horizon, bool) or horizon < 1:
        raise ValueError(f"horizon must be a positive int, got {horizon!r}.")
    features = [target] if features is None else list(features)
    missing = [c for c in [target, *features] if c not in frame.columns]
    if missing:
        raise ValueError(
            f"Columns {missing} are not in the frame; available: {list(frame.columns)}."
        )
    if isinstance(frame.index, pd.DatetimeIndex):
        if frame.index.has_duplicates:
            raise ValueError("The frame's date index has duplicated dates; drop them first.")
        if not frame.index.is_monotonic_increasing:
            raise ValueError("The frame's date index is not in time order; sort_index() first.")
    if len(frame) <= horizon:
        raise ValueError(
            f"The frame has {len(frame)} rows; at least horizon + 1 = {horizon + 1} are needed."
        )
    n = len(frame) - horizon
    X = frame[features].iloc[:n]
    steps = range(1, horizon + 1) if multi_output else [horizon]
    columns = {f"{target}[t+{h}]": frame[target].to_numpy()[h : h + n] for h in steps}
    y = pd.DataFrame(columns, index=X.index)
    return X, y if multi_output else y.iloc[:, 0]
