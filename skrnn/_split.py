"""PanelSplit: time-series cross-validation for a panel of many series, cut at the same dates."""

import numpy as np
import pandas as pd
from sklearn.model_selection import TimeSeriesSplit

from ._compat import _build_repr

_DATES = (pd.DatetimeIndex, pd.PeriodIndex)


def _dates_of(X, time):
    """Each row's time, from the index level or column `time`, else the one date-like level."""
    index, columns = getattr(X, "index", None), getattr(X, "columns", ())
    if time is not None:
        if isinstance(index, pd.MultiIndex) and time in index.names:
            return index.get_level_values(time)
        if index is not None and index.name == time:
            return index
        if time in columns:
            return pd.Index(X[time])
        raise ValueError(
            f"time={time!r} names neither an index level nor a column of X "
            f"({type(X).__name__})."
        )
    levels = []
    if isinstance(index, pd.MultiIndex):
        levels = [index.get_level_values(i) for i in range(index.nlevels)]
    elif index is not None:
        levels = [index]
    dated = [level for level in levels if isinstance(level, _DATES)]
    if len(dated) != 1:
        raise ValueError(
            "PanelSplit needs each row's date: a DatetimeIndex or PeriodIndex (or one such level "
            f"of a MultiIndex) on X, found {len(dated)}. Pass time='<level or column>' to name "
            "it."
        )
    return dated[0]


class PanelSplit:
    """Time-series cross-validation for a panel: every series is cut at the same dates.

    :class:`~sklearn.model_selection.TimeSeriesSplit` cuts the rows of one series; on a panel
    (the rows of many series in one table, as a global model trains on) it would cut at row
    counts, so a fold could train on a date of one series that is later than the test dates of
    another. ``PanelSplit`` splits the panel's distinct dates, sorted, with ``TimeSeriesSplit``
    and its parameters, and each fold trains on every row dated in its training dates and
    tests on every row dated in its test dates: no training date is ever later than a test
    date, whatever the order of the rows.

    Read more in the :ref:`User Guide <global_models>`.

    Parameters
    ----------
    n_splits : int, default=5
        Number of folds. Must be at least 2.

    test_size : int or None, default=None
        Number of distinct dates in each test fold; None as in ``TimeSeriesSplit``.

    gap : int, default=0
        Number of dates left out between training and test (keep 0 in front of a
        :class:`~skrnn.WindowTransformer`, which refuses gaps).

    max_train_size : int or None, default=None
        Largest number of distinct dates in a training fold (a rolling window); None for an
        expanding one.

    time : str or None, default=None
        Index level or column holding each row's date. None: X's date index, or the one
        date-like level of its MultiIndex.

    See Also
    --------
    sklearn.model_selection.TimeSeriesSplit : The same for one series.
    WindowTransformer : Windows a panel series by series with ``series_id``.

    Examples
    --------
    >>> import pandas as pd
    >>> from skrnn import PanelSplit
    >>> dates = pd.date_range("2024-01-01", periods=4)
    >>> panel = pd.DataFrame(
    ...     {"value": range(8)},
    ...     index=pd.MultiIndex.from_product([["a", "b"], dates], names=["series", "date"]))
    >>> for train, test in PanelSplit(n_splits=2).split(panel):
    ...     print(train, test)
    [0 1 4 5] [2 6]
    [0 1 2 4 5 6] [3 7]
    """

    def __init__(self, n_splits=5, *, test_size=None, gap=0, max_train_size=None, time=None):
        self.n_splits = n_splits
        self.test_size = test_size
        self.gap = gap
        self.max_train_size = max_train_size
        self.time = time

    def split(self, X, y=None, groups=None):
        """Generate row indices of the training and test rows of each fold.

        Parameters
        ----------
        X : pandas.DataFrame
            The panel, with each row's date in its index (or in `time`).

        y : None
            Ignored.

        groups : None
            Ignored.

        Yields
        ------
        train : ndarray
            Positions of the training rows, in the order of `X`.

        test : ndarray
            Positions of the test rows, in the order of `X`.
        """
        if self.time is not None and not isinstance(self.time, str):
            raise TypeError(f"time must be a str or None, got {self.time!r}.")
        dates = _dates_of(X, self.time)
        distinct, position = np.unique(np.asarray(dates), return_inverse=True)
        splitter = TimeSeriesSplit(self.n_splits, test_size=self.test_size, gap=self.gap,
                                   max_train_size=self.max_train_size)
        for train, test in splitter.split(distinct):
            yield (np.flatnonzero(np.isin(position, train)),
                   np.flatnonzero(np.isin(position, test)))

    def get_n_splits(self, X=None, y=None, groups=None):
        """Number of folds.

        Parameters
        ----------
        X, y, groups : object
            Ignored.

        Returns
        -------
        n_splits : int
            The number of folds.
        """
        return self.n_splits

    def __repr__(self):
        return _build_repr(self)
