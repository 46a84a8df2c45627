"""WindowTransformer: one sliding window of past rows per row of a time-ordered series."""

import re
import warnings
from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from ._compat import Interval, StrOptions, _check_feature_names_in, _fit_context
from ._sequences import WindowedArray, WindowLayout, note_windows, window_feature_names
from ._versioning import VersionedPickleMixin

_KNOWN_FUTURE = re.compile(r"\[t\+\d+\]$")


def _time_index(index, name="X"):
    """A DatetimeIndex or PeriodIndex checked to be in time order; None for other indexes."""
    if not isinstance(index, (pd.DatetimeIndex, pd.PeriodIndex)):
        return None
    if index.has_duplicates:
        raise ValueError(f"{name} has duplicated dates in its index; drop the duplicates first.")
    if not index.is_monotonic_increasing:
        raise ValueError(f"{name}'s date index is not in time order; sort it by date first.")
    return index


def _split_panel(X, series_id):
    """``(ids, X, dates)``: each row's series (None without `series_id`), X without an id
    column, and each row's date (None when X has no date index)."""
    if series_id is None:
        index = getattr(X, "index", None)
        if isinstance(index, pd.MultiIndex):
            raise ValueError(
                f"X has a MultiIndex (levels {list(index.names)}), the shape of a panel of "
                "several series, but series_id=None reads it as one series: windows would "
                "join the rows of different series. Pass series_id='<level naming the "
                "series>', or reset the index for one series."
            )
        return None, X, _time_index(index)
    index, columns = getattr(X, "index", None), getattr(X, "columns", ())
    if isinstance(index, pd.MultiIndex) and series_id in index.names:
        ids = index.get_level_values(series_id)
        others = [name for name in index.names if name != series_id]
        dates = index.get_level_values(others[0]) if len(others) == 1 else None
    elif index is not None and index.name == series_id:
        ids, dates = index, None
    elif series_id in columns:
        ids, X, dates = X[series_id], X.drop(columns=series_id), index
    else:
        raise ValueError(
            f"series_id={series_id!r} names neither a column nor an index level of X "
            f"({type(X).__name__}). Pass a pandas DataFrame with a column or index level "
            "naming each row's series (a scaler before the WindowTransformer drops both "
            "unless the pipeline has set_output(transform='pandas'))."
        )
    ids = np.asarray(ids, dtype=object)
    if pd.isna(ids).any():
        raise ValueError(f"The series_id {series_id!r} of some rows of X is missing (NaN).")
    dates = dates if isinstance(dates, (pd.DatetimeIndex, pd.PeriodIndex)) else None
    return ids, X, dates


def _rows_by_series(ids):
    """Positions of each series' rows, series in order of first appearance."""
    return pd.Series(np.arange(len(ids))).groupby(ids, sort=False).indices


def _frequency(index):
    """The index's regular step (its own, or inferred from at least three dates), else None."""
    freq = index.freq
    if freq is None and isinstance(index, pd.DatetimeIndex) and len(index) >= 3:
        with warnings.catch_warnings():
            # pandas 3 warns that infer_freq will return an offset instead of a string;
            # to_offset takes either.
            warnings.simplefilter("ignore", FutureWarning)
            warnings.simplefilter("ignore", DeprecationWarning)
            inferred = pd.infer_freq(index)
        freq = pd.tseries.frequencies.to_offset(inferred) if inferred is not None else None
    return freq


def _regular_range(start, periods, freq, like):
    maker = pd.period_range if isinstance(like, pd.PeriodIndex) else pd.date_range
    return maker(start=start, periods=periods, freq=freq)


def _label(date):
    """A date as people write it: no time of day when it is midnight."""
    if isinstance(date, pd.Timestamp) and date == date.normalize():
        return str(date.date())
    return str(date)


def _same_values(a, b):
    """Equal up to float noise and a float32 round trip, never up to a different value."""
    scale = max(1.0, float(np.max(np.abs(b)))) if b.size else 1.0
    return a.shape == b.shape and np.allclose(a, b, rtol=1e-5, atol=1e-8 * scale)


def _check_no_gaps(index, name):
    """Refuse an index with holes when its regular step is known."""
    freq = _frequency(index)
    if freq is None or len(index) < 2:
        return
    expected = _regular_range(index[0], len(index), freq, index)
    if not expected.equals(index):
        first_bad = int(np.argmax(np.asarray(expected != index)))
        raise ValueError(
            f"{name} skips rows: its index steps by {freq.freqstr} but jumps from "
            f"{_label(index[first_bad - 1])} to {_label(index[first_bad])}. Windows would "
            "join rows that are not consecutive; pass a gap-free span (with "
            "TimeSeriesSplit, gap=0; KFold cannot be used on a series)."
        )


def _check_continues(fitted, first_new, span):
    """Refuse a first new date that leaves a gap after the fitted dates."""
    last = fitted[-1]
    freq = _frequency(fitted)
    if freq is not None:
        expected = _regular_range(last, 2, freq, fitted)[1]
        direct, limit = first_new == expected, f"the next step, {_label(expected)}"
    elif len(fitted) >= 2:
        longest = (fitted[1:] - fitted[:-1]).max()
        direct = first_new - last <= longest
        limit = f"no later than the longest step inside it ({longest})"
    else:
        return
    if not direct:
        raise ValueError(
            f"X's new rows start at {_label(first_new)}, but {span} ends at "
            f"{_label(last)}: the rows in between are missing (a gap), and X must start "
            f"at {limit}. Pass the missing rows too (for example the whole series up to "
            "X's end), or fit again on the rows just before X; with TimeSeriesSplit, use "
            "gap=0."
        )


def _start_by_dates(series, fitted, X, index, span):
    """Position of X's first row in the fitted `series` (its length for a continuation)."""
    n = len(fitted)
    span = f"{span} ({_label(fitted[0])} .. {_label(fitted[-1])})"
    try:
        before_start, after_end = index[0] < fitted[0], index[0] > fitted[-1]
    except TypeError as exc:
        raise ValueError(
            f"X's index ({type(index).__name__}) cannot be compared with {span} "
            f"({type(fitted).__name__}): {exc}. Use the same kind of date index."
        ) from None
    if before_start:
        raise ValueError(
            f"X starts at {_label(index[0])}, before {span}: its first rows have no "
            "history there. Fit on the series X belongs to, or use fit_transform(X)."
        )
    start = n if after_end else int(fitted.get_indexer(index[:1])[0])
    if start < 0:
        raise ValueError(
            f"X starts at {_label(index[0])}, inside {span}, but no fitted row has that "
            "date: X is not a part of the fitted series (a shuffled or KFold split?). "
            "Pass a contiguous span of the fitted series or of its continuation."
        )
    overlap = min(len(index), n - start)
    if not index[:overlap].equals(fitted[start : start + overlap]):
        raise ValueError(
            f"X's dates from {_label(index[0])} on skip or add rows where they overlap "
            f"{span}. Pass a contiguous span of the fitted series."
        )
    if not _same_values(X[:overlap], series[start : start + overlap]):
        raise ValueError(
            f"X's rows from {_label(index[0])} differ from the fitted rows with the same "
            "dates: X is another series, or was scaled differently. Fit on X's own "
            "series, or use fit_transform(X)."
        )
    if overlap < len(index):
        _check_continues(fitted, index[overlap], span)
        _check_no_gaps(index[overlap:], "X")
    return start


def _windows(series, fitted, X, index, window, span):
    """Windows of the rows of `X` placed in the fitted `series` (dates `fitted` or None):
    ``(n_samples, window, n_features)``, a view of one padded copy."""
    if fitted is not None and index is not None:
        start = _start_by_dates(series, fitted, X, index, span)
    else:
        start = 0 if _same_values(X, series) else len(series)
    history = series[max(0, start - window + 1) : start].astype(X.dtype)
    first_row = series[:1].astype(X.dtype) if start else X[:1]
    padding = np.repeat(first_row, window - 1 - len(history), axis=0)
    padded = np.concatenate([padding, history, X])
    return np.lib.stride_tricks.sliding_window_view(padded, window, axis=0).transpose(0, 2, 1)


class WindowTransformer(VersionedPickleMixin, TransformerMixin, BaseEstimator):
    """Turn each row of a time-ordered series into the window of rows that ends at it.

    Row ``t`` of the output holds input rows ``t - window + 1, ..., t`` flattened oldest first,
    so the number of samples never changes: ``y`` stays aligned and the transformer fits in a
    plain :class:`~sklearn.pipeline.Pipeline` in front of any regressor, recurrent or classic.
    Columns known in advance for the forecast time (`covariates`) pass through unwindowed, and
    a panel of several series (`series_id`) is windowed series by series.

    Read more in the :ref:`User Guide <window_contract>`.

    Parameters
    ----------
    window : int, default=30
        Number of consecutive rows (time steps) in each window. Must be at least 1.

    covariates : "future", list of str or int, or None, default=None
        Columns that are not windowed but passed through, after the windows, as they are in
        each row: values known at the forecast time, such as tomorrow's weekday (see
        :ref:`covariates`). skrnn's networks feed them to their output layers beside the
        encoded windows. ``"future"`` selects the columns named like ``"name[t+1]"``, as
        :func:`~skrnn.datasets.make_supervised` names them; a list names columns or gives
        their positions. None windows every column, and refuses columns named like
        ``"name[t+1]"``: pass ``[]`` to window them anyway.

    series_id : str or None, default=None
        Name of an index level or a column of `X` that says which series each row belongs
        to (a panel of many series, for one global model; see :ref:`global_models`). Each
        series is windowed on its own rows only and its fitted context kept apart; the column
        itself is not a feature. None: `X` is one series.

    Attributes
    ----------
    n_features_in_ : int
        Number of features (columns) of `X` seen during ``fit``, the `series_id` column
        excluded.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``. Defined only when `X` has feature names
        that are all strings.

    covariates_ : ndarray of int
        Positions, among the features, of the columns passed through unwindowed.

    series_ : ndarray of shape (n_samples, n_windowed) or dict
        The windowed columns of the series seen during ``fit``: the history that
        :meth:`transform` gives to the rows of a part, an overlap or a continuation of it.
        With `series_id`, a dict from each series to its own.

    index_ : pandas.DatetimeIndex, pandas.PeriodIndex, None or dict
        The date index of the series seen during ``fit``, or None when it had none. With an
        index, :meth:`transform` places new rows by their dates. With `series_id`, a dict
        from each series to its own.

    See Also
    --------
    LSTMRegressor : Regressor that reads the windows as sequences.
    PersistenceRegressor : Baseline that predicts the last value of each window.

    Notes
    -----
    **The rule.** Every window :meth:`transform` returns is the true window of the fitted
    series, or the transform is refused with a ``ValueError``. Where each row of `X` stands
    in the series is told

    - *by its dates* when both the fitted series and `X` have a ``DatetimeIndex`` or
      ``PeriodIndex``: `X` may be the fitted span, a part of it, an overlap with its end or its
      direct continuation. A gap after the fitted span, an earlier span, rows inside the span
      that were not fitted, or rows whose values differ from the fitted rows with the same
      dates are refused. With a regular index (a ``freq``, or one that pandas infers) a gap of
      one row is seen; with irregular dates (trading days) a step longer than the longest one
      inside the fitted span is taken for a gap;
    - *by position* otherwise: `X` equal to the fitted series (up to float noise and dtype) is
      that series; any other `X` is its direct continuation. ``fit(X[:k]).transform(X[k:])``
      equals ``fit_transform(X)[k:]``.

    With `series_id` the rule holds for each series, whose rows may be interleaved with
    others' (a long table sorted by date); the dates are the other index level, or the index
    when the id is a column. A series not seen in ``fit`` is refused.

    **Start of a series.** The first ``window - 1`` rows of a series have no full history; their
    windows are padded by repeating the first row. Every regressor trains on them, whatever
    the output container; keep ``window`` small next to the series, or leave those rows out.

    **Output.** A read-only :class:`numpy.ndarray` subclass whose rows are overlapping views of
    one padded copy of the input (no ``window``-fold copy is made for one series without
    covariates). It records the window shape and the number of covariate columns so that
    skrnn's regressors can read the columns back as ``(window, n_features)`` sequences.

    Examples
    --------
    >>> import numpy as np
    >>> from skrnn import WindowTransformer
    >>> X = np.arange(5.0).reshape(-1, 1)
    >>> WindowTransformer(window=3).fit_transform(X)
    WindowedArray([[0., 0., 0.],
                   [0., 0., 1.],
                   [0., 1., 2.],
                   [1., 2., 3.],
                   [2., 3., 4.]])
    >>> WindowTransformer(window=3).fit(X[:3]).transform(X[3:])
    WindowedArray([[1., 2., 3.],
                   [2., 3., 4.]])

    A known-future column passes through after the windows:

    >>> import pandas as pd
    >>> frame = pd.DataFrame({"x": [1.0, 2.0, 3.0], "holiday[t+1]": [0.0, 1.0, 0.0]})
    >>> WindowTransformer(window=2, covariates="future").fit(frame).get_feature_names_out()
    array(['x[t-1]', 'x[t]', 'holiday[t+1]'], dtype=object)
    """

    _parameter_constraints = {
        "window": [Interval(Integral, 1, None, closed="left")],
        "covariates": [StrOptions({"future"}), "array-like", None],
        "series_id": [str, None],
    }

    def __init__(self, window=30, *, covariates=None, series_id=None):
        self.window = window
        self.covariates = covariates
        self.series_id = series_id

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Remember the series `X` so that later data can be placed in it.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Time-ordered series, one row per time step (with `series_id`, a DataFrame of
            several series). Needs at least `window` rows per series.

        y : None
            Ignored.

        Returns
        -------
        self : object
            Fitted transformer.
        """
        ids, X, dates = _split_panel(X, self.series_id)
        X = validate_data(self, X, dtype=(np.float64, np.float32))
        self.covariates_ = self._find_covariates()
        windowed = X[:, self._windowed_columns()]
        if ids is None:
            self.series_, self.index_ = self._fit_one(windowed, dates, "X")
            return self
        self.series_, self.index_ = {}, {}
        for series, rows in _rows_by_series(ids).items():
            own_dates = None if dates is None else _time_index(dates[rows], f"Series {series!r}")
            self.series_[series], self.index_[series] = self._fit_one(
                windowed[rows], own_dates, f"Series {series!r}")
        return self

    def _fit_one(self, values, dates, name):
        if len(values) < self.window:
            raise ValueError(
                f"WindowTransformer(window={self.window}) needs at least {self.window} rows to "
                f"fit, got n_samples={len(values)}"
                f"{'' if name == 'X' else ' in ' + name}. Use a smaller window or a longer "
                "series."
            )
        if dates is not None:
            _check_no_gaps(dates, name)
        return values.copy(), dates

    def _find_covariates(self):
        """Positions of the covariate columns, checked against the fitted features."""
        names = getattr(self, "feature_names_in_", None)
        future = [] if names is None else [
            i for i, name in enumerate(names) if _KNOWN_FUTURE.search(name)]
        if self.covariates is None:
            if future:
                raise ValueError(
                    f"Columns {[names[i] for i in future]} are named as values known for the "
                    "forecast time ('name[t+h]'), but covariates=None would window them as "
                    "history. Pass covariates='future' to feed them beside the windows, or "
                    "covariates=[] to window them anyway."
                )
            return np.zeros(0, dtype=int)
        if isinstance(self.covariates, str):  # "future"
            if not future:
                raise ValueError(
                    "covariates='future' found no column named like 'name[t+1]' in X"
                    f"{'' if names is None else ' (columns: ' + str(list(names)) + ')'}. "
                    "Name the known-future columns so (make_supervised(..., known=..., "
                    "calendar=...) does), or list them."
                )
            positions = future
        else:
            positions = [self._position(column, names) for column in self.covariates]
        if len(set(positions)) < len(positions):
            raise ValueError(f"covariates={self.covariates!r} names a column twice.")
        if len(positions) >= self.n_features_in_:
            raise ValueError(
                f"covariates={self.covariates!r} leaves no column to window: keep at least one "
                "column of history."
            )
        return np.asarray(sorted(positions), dtype=int)

    def _position(self, column, names):
        if isinstance(column, str):
            if names is None:
                raise ValueError(
                    f"covariates names the column {column!r}, but X has no column names. "
                    "Pass a DataFrame, or give column positions."
                )
            if column not in list(names):
                raise ValueError(
                    f"covariates names the column {column!r}, which X does not have "
                    f"(columns: {list(names)}). Name a column of X, or give column positions."
                )
            return list(names).index(column)
        if isinstance(column, Integral) and not isinstance(column, bool):
            if not -self.n_features_in_ <= column < self.n_features_in_:
                raise ValueError(
                    f"covariates holds the position {column}, but X has {self.n_features_in_} "
                    "columns."
                )
            return int(column) % self.n_features_in_
        raise TypeError(
            f"covariates must hold column names (str) or positions (int), got {column!r}."
        )

    def _windowed_columns(self):
        return np.setdiff1d(np.arange(self.n_features_in_), self.covariates_)

    def transform(self, X):
        """Return one flattened window per row of `X`, then its covariate columns.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The fitted series, a part of it, or rows that continue it (see the rule in the
            Notes).

        Returns
        -------
        X_windows : WindowedArray of shape (n_samples, window * n_windowed + n_covariates)
            Row ``t`` holds rows ``t - window + 1 .. t``, oldest first, all windowed features
            of a time step side by side, then the covariates of row ``t``. Same dtype as `X`
            (float32 or float64).

        Raises
        ------
        ValueError
            If `X` cannot be placed in the fitted series (see the rule in the Notes), or
            holds a series not seen in ``fit``.
        """
        check_is_fitted(self)
        ids, X, dates = _split_panel(X, self.series_id)
        X = validate_data(self, X, reset=False, dtype=(np.float64, np.float32))
        windowed = X[:, self._windowed_columns()]
        if ids is None:
            windows = _windows(self.series_, self.index_, windowed, dates, self.window,
                               "the fitted series")
        else:
            windows = np.empty((len(X), self.window, windowed.shape[1]), dtype=X.dtype)
            for series, rows in _rows_by_series(ids).items():
                windows[rows] = self._windows_of_series(series, windowed[rows], dates, rows)
        n_samples, n_windowed = windowed.shape
        flat = windows.reshape(n_samples, self.window * n_windowed)
        if len(self.covariates_):
            flat = np.hstack([flat, X[:, self.covariates_]])
        layout = WindowLayout(self.window, n_windowed, len(self.covariates_))
        result = WindowedArray(flat, layout)
        note_windows(result)
        return result

    def _windows_of_series(self, series, values, dates, rows):
        if series not in self.series_:
            known = list(self.series_)
            raise ValueError(
                f"X holds rows of series {series!r}, which was not seen in fit (fitted series: "
                f"{known[:10]}{' ...' if len(known) > 10 else ''}): it has no history to "
                "window. Fit on a panel that includes it."
            )
        name = f"Series {series!r}"
        own_dates = None if dates is None else _time_index(dates[rows], name)
        return _windows(self.series_[series], self.index_[series], values, own_dates,
                        self.window, f"the fitted series {series!r}")

    def inverse_transform(self, X):
        """Recover the series from its windows: the last time step of each window.

        Parameters
        ----------
        X : array-like of shape (n_samples, window * n_windowed + n_covariates)
            Windows from :meth:`transform`.

        Returns
        -------
        X_original : ndarray of shape (n_samples, n_features)
            Row ``t`` of the series each window ends at, covariates in their own columns
            (without the `series_id` column).
        """
        check_is_fitted(self)
        X = np.asarray(X)
        windowed = self._windowed_columns()
        n_covariates = len(self.covariates_)
        width = self.window * len(windowed) + n_covariates
        if X.ndim != 2 or X.shape[1] != width:
            raise ValueError(f"Expected windows of shape (n_samples, {width}), got {X.shape}.")
        original = np.empty((len(X), self.n_features_in_), dtype=X.dtype)
        last_step = X[:, width - n_covariates - len(windowed) : width - n_covariates]
        original[:, windowed] = last_step
        original[:, self.covariates_] = X[:, width - n_covariates :]
        return original

    def get_feature_names_out(self, input_features=None):
        """Names of the window columns, e.g. ``"Close[t-1]", "Close[t]"``, then covariates.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Input feature names. If None, `feature_names_in_` is used when defined, else
            ``["x0", "x1", ...]``.

        Returns
        -------
        feature_names_out : ndarray of str objects
            ``window * n_windowed`` names, oldest time step first, then the covariates'
            own names.
        """
        check_is_fitted(self)
        names = _check_feature_names_in(self, input_features)
        windows = window_feature_names(names[self._windowed_columns()], self.window)
        return np.concatenate([windows, np.asarray(names[self.covariates_], dtype=object)])

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
