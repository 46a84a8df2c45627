"""WindowTransformer: one sliding window of past rows per row of a time-ordered series."""

import hashlib
from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import (
    _check_feature_names_in,
    check_is_fitted,
    validate_data,
)

from ._sequences import WindowedArray, WindowLayout, window_feature_names
from ._versioning import VersionedPickleMixin


def _fingerprint(X):
    digest = hashlib.blake2b(np.ascontiguousarray(X).view(np.uint8), digest_size=16)
    digest.update(repr((X.shape, X.dtype.str)).encode())
    return digest.hexdigest()


def _check_time_order(X):
    """Windows follow row order: refuse a date index that says the rows are not in time order."""
    index = getattr(X, "index", None)
    if isinstance(index, pd.DatetimeIndex):
        if index.has_duplicates:
            raise ValueError("X has duplicated dates in its index; drop the duplicates first.")
        if not index.is_monotonic_increasing:
            raise ValueError("X's date index is not in time order; call X.sort_index() first.")


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

    context_ : ndarray of shape (window - 1, n_features)
        The last ``window - 1`` rows seen during ``fit``. :meth:`transform` uses them as the
        history of data that continues the fitted series.

    fit_fingerprint_ : str
        Hash of the data seen during ``fit``, used to recognise that very data in
        :meth:`transform`.

    See Also
    --------
    LSTMRegressor : Regressor that reads the windows as sequences.
    PersistenceRegressor : Baseline that predicts the last value of each window.

    Notes
    -----
    **Context rule.** :meth:`fit` remembers the last ``window - 1`` rows. :meth:`transform` of
    new data treats it as the continuation of the fitted series and takes the first rows'
    history from that memory, so ``fit(X[:k]).transform(X[k:])`` equals
    ``fit_transform(X)[k:]`` exactly: the test folds of
    :class:`~sklearn.model_selection.TimeSeriesSplit` see their real history. Transforming the
    very data seen in :meth:`fit` gives the same result as :meth:`fit_transform`.

    **Start of a series.** The first ``window - 1`` rows of a series have no full history; their
    windows are padded by repeating the first row. skrnn's regressors know which rows were
    padded and leave them out of training; a classic regressor such as ``Ridge`` trains on them
    too, which matters only when ``window`` is large next to the series length.

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
        """Remember the end of the series `X` so that later data can continue it.

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
        _check_time_order(X)
        X = validate_data(self, X, dtype=(np.float64, np.float32))
        if X.shape[0] < self.window:
            raise ValueError(
                f"WindowTransformer(window={self.window}) needs at least {self.window} rows to "
                f"fit, got n_samples={X.shape[0]}. Use a smaller window or a longer series."
            )
        self.context_ = X[X.shape[0] - self.window + 1 :].copy()
        self.fit_fingerprint_ = _fingerprint(X)
        return self

    def transform(self, X):
        """Return one flattened window per row of `X`.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The fitted series itself, or rows that directly follow it.

        Returns
        -------
        X_windows : WindowedArray of shape (n_samples, window * n_features)
            Row ``t`` holds rows ``t - window + 1 .. t``, oldest first, all features of a time
            step side by side. Same dtype as `X` (float32 or float64).
        """
        check_is_fitted(self)
        _check_time_order(X)
        X = validate_data(self, X, reset=False, dtype=(np.float64, np.float32))
        if _fingerprint(X) == self.fit_fingerprint_:
            history, n_padded = np.repeat(X[:1], self.window - 1, axis=0), self.window - 1
        else:
            history, n_padded = self.context_.astype(X.dtype, copy=False), 0
        padded = np.concatenate([history, X])
        n_samples, n_features = X.shape
        windows = np.lib.stride_tricks.sliding_window_view(padded, self.window, axis=0)
        flat = windows.transpose(0, 2, 1).reshape(n_samples, self.window * n_features)
        layout = WindowLayout(self.window, n_features, min(n_padded, n_samples))
        return WindowedArray(flat, layout)

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
