"""Beyond one step: recursive multi-step forecasts and conformal prediction intervals."""

from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, MetaEstimatorMixin, RegressorMixin, clone
from sklearn.model_selection import TimeSeriesSplit
from sklearn.utils import get_tags
from sklearn.utils.validation import (
    check_array,
    check_consistent_length,
    check_is_fitted,
    column_or_1d,
    validate_data,
)

from ._compat import HasMethods, Interval, _fit_context, _num_samples, _safe_indexing
from ._versioning import VersionedPickleMixin
from ._window import WindowTransformer


def _longest_window(estimator, depth=0):
    """The longest window of any WindowTransformer inside a fitted estimator, else None.

    Looks through the estimator's attributes (pipeline steps, ``regressor_``,
    ``best_estimator_``...) rather than its parameters, which a search may have changed.
    """
    if isinstance(estimator, WindowTransformer):
        return estimator.window
    if depth > 8:
        return None
    if isinstance(estimator, dict):
        children = list(estimator.values())
    elif isinstance(estimator, (list, tuple)):
        children = list(estimator)
    elif isinstance(estimator, BaseEstimator):
        children = list(vars(estimator).values())
    else:
        return None
    windows = [_longest_window(child, depth + 1) for child in children]
    windows = [w for w in windows if w is not None]
    return max(windows) if windows else None


def forecast_recursive(estimator, X, steps):
    """Roll a fitted one-step forecaster forward `steps` times from the end of a series.

    Each forecast is appended to the series as its next row, and the next step is forecast
    from the extended series: ``y[t+1]``, then ``y[t+2]`` from a window that ends with the
    forecast ``y[t+1]``, and so on. Works for univariate series, where the forecast target is
    the series itself (``y[t] = X[t+1]``).

    Parameters
    ----------
    estimator : fitted estimator
        A fitted one-step forecaster (one output) such as a Pipeline ending in
        :class:`LSTMRegressor`. When it holds a :class:`WindowTransformer`, each step predicts
        from the last window of the series only.

    X : array-like of shape (n_samples, 1)
        The series up to the forecast origin, at least as long as the model's window.

    steps : int
        Number of steps to forecast.

    Returns
    -------
    forecast : ndarray of shape (steps,)
        Forecasts of ``t+1 .. t+steps`` where ``t`` is the last row of `X`.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.pipeline import make_pipeline
    >>> from skrnn import PersistenceRegressor, WindowTransformer, forecast_recursive
    >>> series = np.arange(10.0).reshape(-1, 1)
    >>> model = make_pipeline(WindowTransformer(window=3), PersistenceRegressor())
    >>> forecast_recursive(model.fit(series[:-1], series[1:, 0]), series, steps=3)
    array([9., 9., 9.])
    """
    if not isinstance(steps, Integral) or isinstance(steps, bool) or steps < 1:
        raise ValueError(f"steps must be a positive int, got {steps!r}.")
    columns = X.columns if isinstance(X, pd.DataFrame) else None
    values = np.asarray(X, dtype=float)
    if values.ndim != 2 or values.shape[1] != 1:
        raise ValueError(
            f"forecast_recursive needs a univariate series of shape (n_samples, 1), got "
            f"{np.shape(X)}; for several features or steps, train a direct multi-output model "
            "on targets from make_supervised(..., multi_output=True)."
        )
    # Only the last window is needed for the next forecast. Passed without its dates, the
    # tail is read as the continuation of the fitted series: its earlier rows get other
    # windows, but the last row's window lies inside the tail itself and is exact.
    window = _longest_window(estimator)
    if window is not None and len(values) < window:
        raise ValueError(
            f"X has {len(values)} rows, fewer than the model's window of {window}: pass the "
            "series up to the forecast origin, at least one window long."
        )
    tail = len(values) if window is None else window
    history = list(values[-tail:, 0])
    forecast = []
    for _ in range(steps):
        rows = np.asarray(history[-tail:]).reshape(-1, 1)
        prediction = np.asarray(estimator.predict(
            rows if columns is None else pd.DataFrame(rows, columns=columns)
        ))
        if prediction.ndim == 2 and prediction.shape[1] != 1:
            raise ValueError(
                f"forecast_recursive rolls a one-step model forward, but this model predicts "
                f"{prediction.shape[1]} values per row: feeding one of them back as the next "
                "value would mix up forecast steps. Use the model's direct multi-step "
                "predictions instead, or fit a one-step model."
            )
        forecast.append(float(np.ravel(prediction)[-1]))
        history.append(forecast[-1])
    return np.asarray(forecast)


def _conformal_quantiles(residuals, coverage):
    """Lower and upper split-conformal bounds with the finite-sample correction.

    With ``n`` errors, the upper bound is the ``ceil((n + 1)(1 - alpha))``-th smallest error
    and the lower one the ``floor((n + 1) alpha)``-th, ``alpha = (1 - coverage) / 2``, so that
    each tail holds at most ``alpha`` of new errors (Vovk et al., 2005; Lei et al., 2018).
    Too few errors for that give an infinite bound, not a too-narrow interval.
    """
    n = len(residuals)
    alpha = (1 - coverage) / 2
    ordered = np.sort(residuals, axis=0)
    # 1e-9 absorbs float error: (1 - 0.8) / 2 is 0.0999..., and 10 times it is rank 1.
    upper_rank = int(np.ceil((n + 1) * (1 - alpha) - 1e-9))
    lower_rank = int(np.floor((n + 1) * alpha + 1e-9))
    infinite = np.full(ordered.shape[1:], np.inf)
    upper = ordered[upper_rank - 1] if upper_rank <= n else infinite
    lower = ordered[lower_rank - 1] if lower_rank >= 1 else -infinite
    return np.stack([lower, upper]).astype(np.float64)


def _as_input(X):
    """DataFrames pass untouched (a pipeline may need their names); the rest become arrays."""
    if hasattr(X, "iloc"):
        return X
    return check_array(X, accept_sparse=["csr", "csc"], dtype=None, ensure_all_finite=False,
                       allow_nd=True)


class ConformalIntervalRegressor(
    VersionedPickleMixin, MetaEstimatorMixin, RegressorMixin, BaseEstimator
):
    """Prediction intervals for any regressor from its errors on later, unseen time spans.

    ``fit`` runs a :class:`~sklearn.model_selection.TimeSeriesSplit`: each fold trains a clone
    on the past and records its errors on the following span (out-of-sample, in time order),
    then the estimator is refitted on all rows. The interval adds the
    ``(1 - coverage) / 2`` and ``(1 + coverage) / 2`` quantiles of those errors to the point
    forecast (split conformal prediction with time-ordered calibration). Coverage holds when
    the errors of the future look like the errors seen across the folds.

    Parameters
    ----------
    estimator : estimator object
        The regressor (or pipeline) whose forecasts get intervals.

    coverage : float, default=0.8
        Target fraction of true values inside the interval, in (0, 1).

    n_splits : int, default=5
        Number of time-series folds used to collect errors.

    Attributes
    ----------
    estimator_ : estimator object
        `estimator` refitted on all rows.

    residuals_ : ndarray of shape (n_errors,) or (n_errors, n_outputs)
        Out-of-sample errors ``y_true - y_pred`` gathered across the folds.

    quantiles_ : ndarray of shape (2,) or (2, n_outputs)
        Lower and upper error quantiles added to the forecast.

    See Also
    --------
    PersistenceRegressor : A baseline whose intervals are a useful reference.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import Ridge
    >>> from sklearn.pipeline import make_pipeline
    >>> from skrnn import ConformalIntervalRegressor, WindowTransformer
    >>> rng = np.random.RandomState(0)
    >>> series = np.cumsum(rng.normal(size=301)).reshape(-1, 1)
    >>> model = ConformalIntervalRegressor(
    ...     make_pipeline(WindowTransformer(window=5), Ridge()), coverage=0.8)
    >>> model.fit(series[:200], series[1:201, 0]).predict_interval(series[200:300]).shape
    (100, 2)
    """

    _parameter_constraints = {
        "estimator": [HasMethods(["fit", "predict"])],
        "coverage": [Interval(Real, 0, 1, closed="neither")],
        "n_splits": [Interval(Integral, 2, None, closed="left")],
    }

    def __init__(self, estimator, *, coverage=0.8, n_splits=5):
        self.estimator = estimator
        self.coverage = coverage
        self.n_splits = n_splits

    @_fit_context(prefer_skip_nested_validation=False)
    def fit(self, X, y):
        """Collect out-of-sample errors fold by fold, then refit on all rows.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Time-ordered inputs.

        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets aligned with `X`.

        Returns
        -------
        self : object
            The regressor, with ``residuals_``, ``quantiles_`` and ``estimator_``.
        """
        if y is None:
            raise ValueError(f"{type(self).__name__} requires y to be passed, but the target y "
                             "is None.")
        # Check lengths and record n_features_in_ / feature names, but hand X to the estimator
        # untouched: a pipeline may need its DataFrame columns or date index.
        X, y = validate_data(self, _as_input(X), y, skip_check_array=True)
        y = check_array(y, ensure_2d=False, dtype=np.float64)
        check_consistent_length(X, y)
        if y.ndim == 2 and y.shape[1] == 1:
            y = column_or_1d(y, warn=True)
        if _num_samples(X) <= self.n_splits:
            raise ValueError(
                f"n_samples={_num_samples(X)} is too few for n_splits={self.n_splits} "
                "time-series folds; pass more rows or lower n_splits."
            )
        residuals = []
        for train, test in TimeSeriesSplit(n_splits=self.n_splits).split(X):
            fold = clone(self.estimator).fit(_safe_indexing(X, train), y[train])
            residuals.append(y[test] - fold.predict(_safe_indexing(X, test)))
        self.residuals_ = np.concatenate(residuals)
        self.quantiles_ = _conformal_quantiles(self.residuals_, self.coverage)
        self.estimator_ = clone(self.estimator).fit(X, y)
        return self

    def predict(self, X):
        """Point forecast of the refitted estimator.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Inputs that continue the fitted series.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            Forecasts.
        """
        check_is_fitted(self)
        X = validate_data(self, _as_input(X), reset=False, skip_check_array=True)
        return self.estimator_.predict(X)

    def predict_interval(self, X):
        """Lower and upper bounds of the forecast interval.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Inputs, as for :meth:`predict`.

        Returns
        -------
        interval : ndarray of shape (n_samples, 2) or (n_samples, n_outputs, 2)
            ``[..., 0]`` is the lower bound, ``[..., 1]`` the upper bound.
        """
        y_pred = self.predict(X)
        return np.stack([y_pred + self.quantiles_[0], y_pred + self.quantiles_[1]], axis=-1)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        inner = get_tags(self.estimator)
        tags.input_tags = inner.input_tags
        tags.target_tags.multi_output = inner.target_tags.multi_output
        return tags
