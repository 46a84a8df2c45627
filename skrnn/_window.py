"""WindowTransformer: one sliding window of past rows per row of a time-ordered series."""

import warnings
from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from ._compat import Interval, _check_feature_names_in, _fit_context
from ._sequences import WindowedArray, WindowLayout, note_windows, window_feature_names
from ._versioning import VersionedPickleMixin


def _time_index(X):
    """X's DatetimeIndex or PeriodIndex, checked to be in time order; None for other input."""
    index = getattr(X, "index", None)
    if not isinstance(index, (pd.DatetimeIndex, pd.PeriodIndex)):
        return None
    if index.has_duplicates:
        raise ValueError("X has duplicated dates in its index; drop the duplicates first.")
    if not index.is_monotonic_increasing:
        raise ValueError("X's date index is not in time order; call X.sort_index() first.")
    return index


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


class WindowTransformer(VersionedPickleMixin, TransformerMixin, BaseEstimator):
    """Turn each row of a time-ordered series into the window of rows that ends at it.

    Row ``t`` of the output holds input rows ``t - window + 1, ..., t`` flattened oldest first,
    so the number of samples never changes: ``y`` stays aligned and the transformer fits in a
    plain :class:`~sklearn.pipeline.Pipeline` in front of any regressor, recurrent or classic.

    Read more in the :ref:`User Guide <window_contract>`.

    Parameters
    ----------
    window : int, default=30
        Number of consecutive rows (time steps) in each window. Must be at least 1.

    Attributes
    ----------
    n_features_in_ : int
        Number of features (columns) of the series seen during ``fit``.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``. Defined only when `X` has feature names
        that are all strings.

    series_ : ndarray of shape (n_samples, `n_features_in_`)
        The series seen during ``fit``: the history that :meth:`transform` gives to the rows
        of a part, an overlap or a continuation of it.

    index_ : pandas.DatetimeIndex, pandas.PeriodIndex or None
        The date index of the series seen during ``fit``, or None when it had none. With an
        index, :meth:`transform` places new rows by their dates.

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

    **Start of a series.** The first ``window - 1`` rows of a series have no full history; their
    windows are padded by repeating the first row. Every regressor trains on them, whatever
    the output container; keep ``window`` small next to the series, or leave those rows out.

    **Output.** A read-only :class:`numpy.ndarray` subclass whose rows are overlapping views of
    one padded copy of the input (no ``window``-fold copy is made). It records the window shape
    so that skrnn's regressors can read the columns back as ``(window, n_features)`` sequences.

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
    """

    _parameter_constraints = {"window": [Interval(Integral, 1, None, closed="left")]}

    def __init__(self, window=30):
        self.window = window

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Remember the series `X` so that later data can be placed in it.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Time-ordered series, one row per time step. Needs at least `window` rows.

        y : None
            Ignored.

        Returns
        -------
        self : object
            Fitted transformer.
        """
        index = _time_index(X)
        X = validate_data(self, X, dtype=(np.float64, np.float32))
        if X.shape[0] < self.window:
            raise ValueError(
                f"WindowTransformer(window={self.window}) needs at least {self.window} rows to "
                f"fit, got n_samples={X.shape[0]}. Use a smaller window or a longer series."
            )
        if index is not None:
            self._check_no_gaps(index, "X")
        self.series_ = X.copy()
        self.index_ = index
        return self

    def _check_no_gaps(self, index, name):
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

    def transform(self, X):
        """Return one flattened window per row of `X`.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The fitted series, a part of it, or rows that continue it (see the rule in the
            Notes).

        Returns
        -------
        X_windows : WindowedArray of shape (n_samples, window * n_features)
            Row ``t`` holds rows ``t - window + 1 .. t``, oldest first, all features of a time
            step side by side. Same dtype as `X` (float32 or float64).

        Raises
        ------
        ValueError
            If `X` cannot be placed in the fitted series (see the rule in the Notes).
        """
        check_is_fitted(self)
        index = _time_index(X)
        X = validate_data(self, X, reset=False, dtype=(np.float64, np.float32))
        if self.index_ is not None and index is not None:
            start = self._start_by_dates(X, index)
        else:
            start = 0 if _same_values(X, self.series_) else len(self.series_)
        history = self.series_[max(0, start - self.window + 1) : start].astype(X.dtype)
        first_row = self.series_[:1].astype(X.dtype) if start else X[:1]
        padding = np.repeat(first_row, self.window - 1 - len(history), axis=0)
        padded = np.concatenate([padding, history, X])
        n_samples, n_features = X.shape
        windows = np.lib.stride_tricks.sliding_window_view(padded, self.window, axis=0)
        flat = windows.transpose(0, 2, 1).reshape(n_samples, self.window * n_features)
        result = WindowedArray(flat, WindowLayout(self.window, n_features))
        note_windows(result)
        return result

    def _start_by_dates(self, X, index):
        """Position of X's first row in the fitted series (its length for a continuation)."""
        fitted, n = self.index_, len(self.index_)
        span = f"the fitted series ({_label(fitted[0])} .. {_label(fitted[-1])})"
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
        if not _same_values(X[:overlap], self.series_[start : start + overlap]):
            raise ValueError(
                f"X's rows from {_label(index[0])} differ from the fitted rows with the same "
                "dates: X is another series, or was scaled differently. Fit on X's own "
                "series, or use fit_transform(X)."
            )
        if overlap < len(index):
            self._check_continues(index[overlap])
            self._check_no_gaps(index[overlap:], "X")
        return start

    def _check_continues(self, first_new):
        """Refuse a first new date that leaves a gap after the fitted series."""
        last = self.index_[-1]
        freq = _frequency(self.index_)
        if freq is not None:
            expected = _regular_range(last, 2, freq, self.index_)[1]
            direct, limit = first_new == expected, f"the next step, {_label(expected)}"
        elif len(self.index_) >= 2:
            longest = (self.index_[1:] - self.index_[:-1]).max()
            direct = first_new - last <= longest
            limit = f"no later than the longest step inside it ({longest})"
        else:
            return
        if not direct:
            raise ValueError(
                f"X's new rows start at {_label(first_new)}, but the fitted series ends at "
                f"{_label(last)}: the rows in between are missing (a gap), and X must start "
                f"at {limit}. Pass the missing rows too (for example the whole series up to "
                "X's end), or fit again on the rows just before X; with TimeSeriesSplit, use "
                "gap=0."
            )

    def inverse_transform(self, X):
        """Recover the series from its windows: the last time step of each window.

        Parameters
        ----------
        X : array-like of shape (n_samples, window * n_features)
            Windows from :meth:`transform`.

        Returns
        -------
        X_original : ndarray of shape (n_samples, n_features)
            Row ``t`` of the series each window ends at.
        """
        check_is_fitted(self)
        X = np.asarray(X)
        if X.ndim != 2 or X.shape[1] != self.window * self.n_features_in_:
            raise ValueError(
                f"Expected windows of shape (n_samples, {self.window * self.n_features_in_}), "
                f"got {X.shape}."
            )
        return np.array(X[:, X.shape[1] - self.n_features_in_ :])

    def get_feature_names_out(self, input_features=None):
        """Names of the window columns, e.g. ``"Close[t-1]", "Close[t]"``.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Input feature names. If None, `feature_names_in_` is used when defined, else
            ``["x0", "x1", ...]``.

        Returns
        -------
        feature_names_out : ndarray of str objects
            ``window * n_features_in_`` names, oldest time step first.
        """
        check_is_fitted(self)
        input_features = _check_feature_names_in(self, input_features)
        return window_feature_names(input_features, self.window)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
