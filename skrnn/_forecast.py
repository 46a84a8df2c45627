"""Beyond one step: recursive multi-step forecasts and conformal prediction intervals."""

from numbers import Integral, Real

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, MetaEstimatorMixin, RegressorMixin, clone
from sklearn.model_selection import TimeSeriesSplit
from sklearn.utils import get_tags
from sklearn.utils.metadata_routing import MetadataRouter, MethodMapping, process_routing
from sklearn.utils.validation import (
    check_array,
    check_consistent_length,
    check_is_fitted,
    column_or_1d,
    validate_data,
)

from ._compat import (
    HasMethods,
    Interval,
    _check_method_params,
    _fit_context,
    _num_samples,
    _routing_enabled,
    _safe_indexing,
)
from ._placement import standalone_series
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
    # Only the last window is needed for the next forecast: each step passes the last
    # `window` rows, windowed as a series of their own, and reads the last row's forecast.
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
        with standalone_series():
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
    def fit(self, X, y, **fit_params):
        """Collect out-of-sample errors fold by fold, then refit on all rows.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Time-ordered inputs.

        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets aligned with `X`.

        **fit_params : dict
            Passed to the estimator's ``fit`` (per-row ones such as ``sample_weight`` cut to
            each fold's rows); with scikit-learn's metadata routing on, routed as the
            estimator requests them (``set_fit_request``). The errors themselves are not
            weighted.

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
        if _routing_enabled():
            fit_params = process_routing(self, "fit", **fit_params).estimator.fit
        residuals = []
        for train, test in TimeSeriesSplit(n_splits=self.n_splits).split(X):
            fold = clone(self.estimator).fit(_safe_indexing(X, train), y[train],
                                             **_check_method_params(X, fit_params, train))
            residuals.append(y[test] - fold.predict(_safe_indexing(X, test)))
        self.residuals_ = np.concatenate(residuals)
        self.quantiles_ = _conformal_quantiles(self.residuals_, self.coverage)
        self.estimator_ = clone(self.estimator).fit(X, y, **fit_params)
        return self

    def get_metadata_routing(self):
        """How ``fit``'s metadata reach the estimator (scikit-learn's metadata routing).

        Returns
        -------
        routing : MetadataRouter
            The estimator's ``fit`` receives what ``fit`` is given and it requests.
        """
        return MetadataRouter(owner=self).add(
            estimator=self.estimator, method_mapping=MethodMapping().add(caller="fit",
                                                                         callee="fit"))

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


def _adaptive_bounds(errors, alpha):
    """Conformal bounds at miss rate `alpha` (ACI may push it outside (0, 1)): ``alpha <= 0``
    gives an infinite interval, ``alpha >= 1`` the point forecast alone."""
    if alpha <= 0 or len(errors) == 0:
        return np.array([-np.inf, np.inf])
    if alpha >= 1:
        return np.zeros(2)
    return _conformal_quantiles(errors[:, None], 1 - alpha)[:, 0]


class AdaptiveConformalRegressor(ConformalIntervalRegressor):
    """Prediction intervals that widen and narrow as errors come in (adaptive conformal).

    Split conformal intervals (:class:`ConformalIntervalRegressor`) have one width for all
    time. Here the interval for a row is built from the `recent` latest out-of-sample errors
    known at its origin, at a miss rate ``alpha_t`` that adaptive conformal inference (ACI,
    Gibbs & Candès, NeurIPS 2021) moves after each outcome:
    ``alpha_{t+1} = alpha_t + gamma * (alpha - miss_t)``, with ``alpha = 1 - coverage``. A run of
    misses lowers ``alpha_t`` (wider intervals), a run of hits raises it. Over any long span the
    miss rate stays within ``(max(alpha_1, 1 - alpha_1) + gamma) / (gamma * T)`` of ``alpha``,
    whatever the errors do.

    ``fit`` collects out-of-sample errors fold by fold as :class:`ConformalIntervalRegressor`
    does, replays ACI over them from the second fold on, and refits the estimator on all rows.
    ``predict_interval(X, y)`` then continues online: the interval of row ``i`` uses only the
    truths of `y` known at row ``i`` (those of earlier rows, ``h`` rows earlier for the value
    ``h`` steps ahead). Without `y`, every row gets the interval of the state reached in ``fit``.

    Parameters
    ----------
    estimator : estimator object
        The regressor (or pipeline) whose forecasts get intervals.

    coverage : float, default=0.8
        Target fraction of true values inside the interval, in (0, 1).

    n_splits : int, default=5
        Number of time-series folds used to collect errors.

    gamma : float, default=0.005
        Step size of the miss-rate update (Gibbs & Candès' choice): larger adapts faster and
        lets the interval width vary more.

    recent : int or None, default=250
        Number of latest errors the interval is computed from (about a year of trading days),
        so that its width follows the current volatility; None uses all errors.

    Attributes
    ----------
    estimator_ : estimator object
        `estimator` refitted on all rows.

    residuals_ : ndarray of shape (n_errors,) or (n_errors, n_outputs)
        Out-of-sample errors ``y_true - y_pred`` gathered across the folds.

    alpha_ : ndarray of shape (n_outputs,)
        Miss rate reached at the end of the fold errors, per output.

    quantiles_ : ndarray of shape (2,) or (2, n_outputs)
        Lower and upper error quantiles at ``alpha_`` over the `recent` latest errors.

    See Also
    --------
    ConformalIntervalRegressor : Intervals of constant width.
    backtest : Evaluate the intervals from many origins.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import Ridge
    >>> from sklearn.pipeline import make_pipeline
    >>> from skrnn import AdaptiveConformalRegressor, WindowTransformer
    >>> rng = np.random.RandomState(0)
    >>> series = np.cumsum(rng.normal(size=601)).reshape(-1, 1)
    >>> model = AdaptiveConformalRegressor(
    ...     make_pipeline(WindowTransformer(window=5), Ridge()), coverage=0.8)
    >>> model = model.fit(series[:300], series[1:301, 0])
    >>> interval = model.predict_interval(series[300:600], series[301:601, 0])
    >>> inside = (interval[:, 0] <= series[301:601, 0]) & (series[301:601, 0] <= interval[:, 1])
    >>> bool(0.7 < inside.mean() < 0.9)
    True
    """

    _parameter_constraints = {
        **ConformalIntervalRegressor._parameter_constraints,
        "gamma": [Interval(Real, 0, 1, closed="neither")],
        "recent": [Interval(Integral, 10, None, closed="left"), None],
    }

    def __init__(self, estimator, *, coverage=0.8, n_splits=5, gamma=0.005, recent=250):
        super().__init__(estimator, coverage=coverage, n_splits=n_splits)
        self.gamma = gamma
        self.recent = recent

    def fit(self, X, y, **fit_params):
        """Collect out-of-sample errors, replay the miss-rate updates over them, then refit.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Time-ordered inputs.

        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets aligned with `X`.

        **fit_params : dict
            Passed to (or, with metadata routing, routed to) the estimator's ``fit``, as in
            :meth:`ConformalIntervalRegressor.fit`.

        Returns
        -------
        self : object
            The regressor, with ``residuals_``, ``alpha_``, ``quantiles_`` and ``estimator_``.
        """
        super().fit(X, y, **fit_params)
        errors = self.residuals_.reshape(len(self.residuals_), -1)
        first_fold = len(errors) // self.n_splits
        _, self.alpha_ = self._online_bounds(errors[:first_fold], errors[first_fold:])
        self.quantiles_ = self._bounds_now(errors, self.alpha_)
        if self.residuals_.ndim == 1:
            self.quantiles_ = self.quantiles_[:, 0]
        return self

    def _bounds_now(self, errors, alpha):
        window = errors if self.recent is None else errors[-self.recent:]
        return np.stack([_adaptive_bounds(window[:, k], alpha[k])
                         for k in range(errors.shape[1])], axis=1)

    def _online_bounds(self, known, new, alpha=None):
        """Intervals (as error bounds) for the errors `new`, one at a time after `known`.

        Column ``k`` of the errors is ``k + 1`` steps ahead: its error on row ``i`` is known
        from row ``i + k + 1`` on. Returns the bounds ``(n_new, 2, n_outputs)`` and the final
        miss rates.
        """
        n_outputs = new.shape[1]
        alpha = np.full(n_outputs, 1 - self.coverage) if alpha is None else alpha.copy()
        target = 1 - self.coverage
        history = np.concatenate([known, new])
        bounds = np.empty((len(new), 2, n_outputs))
        pending = [[] for _ in range(n_outputs)]  # (row, lower, upper) waiting for its truth
        for i in range(len(new)):
            row = len(known) + i
            for k in range(n_outputs):
                while pending[k] and pending[k][0][0] + k + 1 <= row:
                    done, lower, upper = pending[k].pop(0)
                    alpha[k] += self.gamma * (target - (not lower <= history[done, k] <= upper))
                seen = history[: max(row - k, 0), k]
                if self.recent is not None:
                    seen = seen[-self.recent:]
                bounds[i, :, k] = _adaptive_bounds(seen, alpha[k])
                pending[k].append((row, *bounds[i, :, k]))
        for k in range(n_outputs):  # at the end, every truth passed in is known
            for done, lower, upper in pending[k]:
                alpha[k] += self.gamma * (target - (not lower <= history[done, k] <= upper))
        return bounds, alpha

    def predict_interval(self, X, y=None):
        """Lower and upper bounds of the forecast interval, adapted online when `y` is given.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Inputs that continue the fitted series, as for :meth:`predict`.

        y : array-like of shape (n_samples,) or (n_samples, n_outputs), default=None
            Truths of the rows of `X`, in time order. Row ``i``'s interval uses only the
            truths known at its origin; later truths never reach earlier intervals.

        Returns
        -------
        interval : ndarray of shape (n_samples, 2) or (n_samples, n_outputs, 2)
            ``[..., 0]`` is the lower bound, ``[..., 1]`` the upper bound.
        """
        if y is None:
            return super().predict_interval(X)
        y_pred = self.predict(X)
        y_true = check_array(y, ensure_2d=False, dtype=np.float64)
        check_consistent_length(y_pred, y_true)
        if y_true.shape[1:] != y_pred.shape[1:]:
            raise ValueError(f"y has shape {y_true.shape} but the forecasts have shape "
                             f"{y_pred.shape}; pass the truths of the rows of X.")
        n_outputs = 1 if y_pred.ndim == 1 else y_pred.shape[1]
        errors = (y_true - y_pred).reshape(len(y_pred), n_outputs)
        known = self.residuals_.reshape(len(self.residuals_), n_outputs)
        bounds, _ = self._online_bounds(known, errors, self.alpha_)
        interval = y_pred.reshape(-1, n_outputs)[..., None] + bounds.transpose(0, 2, 1)
        return interval[:, 0] if y_pred.ndim == 1 else interval
