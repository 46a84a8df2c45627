"""The base of skrnn's regressors: samples are sequences of time steps, targets may be 2-D."""

import numpy as np
from sklearn.base import BaseEstimator, RegressorMixin
from sklearn.utils.validation import check_is_fitted

from ._compat import _check_sample_weight, _fit_context
from ._sequences import check_sequences
from ._versioning import VersionedPickleMixin


class SequenceRegressor(VersionedPickleMixin, RegressorMixin, BaseEstimator):
    """Base class for regressors that read each sample as a sequence of time steps.

    Owns the scikit-learn side of every skrnn regressor: input validation, the reading of 2-D
    windows and 3-D sequences (see :mod:`skrnn._sequences`), targets with one column per
    forecast step, and a ``fit`` that leaves the estimator as it was when it fails or is
    interrupted. A subclass implements two methods on 3-D ``X`` and 2-D ``y``:
    ``_fit_sequences(X, y)`` and ``_predict_sequences(X) -> (n_samples, n_outputs)``.
    """

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the regressor on windows `X` and targets `y`.

        Parameters
        ----------
        X : array-like of shape (n_samples, timesteps) or (n_samples, timesteps, n_features)
            Windows in time order, e.g. from :class:`WindowTransformer`, possibly followed by
            covariate columns that its record or the column names mark. 2-D input without a
            window record or window column names is read as univariate sequences.

        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets aligned with the rows of `X`; one output per column.

        sample_weight : array-like of shape (n_samples,), default=None
            Non-negative weight of each row's loss (recent days more, outliers less); None
            weighs all rows alike. A row of weight zero counts for nothing, as if it were not
            there, but its values stay in the windows of the rows after it. Routed by
            scikit-learn's metadata routing (``set_fit_request(sample_weight=True)``) or
            passed as ``model__sample_weight`` in a Pipeline.

        Returns
        -------
        self : object
            Fitted regressor.
        """
        previous = dict(vars(self))
        try:
            X, y = check_sequences(self, X, y, reset=True)
            if sample_weight is not None:
                sample_weight = _check_sample_weight(sample_weight, X, ensure_non_negative=True)
                sample_weight = sample_weight / sample_weight.max()  # only ratios count
            self._y_ndim = y.ndim
            y = y.reshape(len(y), -1)
            self.n_outputs_ = y.shape[1]
            self._fit_sequences(X, y, sample_weight)
        except BaseException:
            # Failed or interrupted: back to the previous state (unfitted or fitted), never
            # half-fitted with new validation attributes and an old model.
            vars(self).clear()
            vars(self).update(previous)
            raise
        return self

    def predict(self, X):
        """Predict the target for each window of `X`.

        Parameters
        ----------
        X : array-like of shape (n_samples, timesteps) or (n_samples, timesteps, n_features)
            Windows shaped like those seen in :meth:`fit`.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            Predictions, float64, shaped like the `y` seen in :meth:`fit`.
        """
        check_is_fitted(self)
        X = check_sequences(self, X, reset=False)
        y_pred = np.asarray(self._predict_sequences(X), dtype=np.float64)
        return y_pred.ravel() if self._y_ndim == 1 else y_pred

    def _check_target_feature(self):
        """Raise unless `target_feature` indexes a feature of the fitted sequences."""
        n_step_features = self.sequence_shape_[1]
        if self.target_feature >= n_step_features:
            raise ValueError(
                f"target_feature={self.target_feature} is out of range: each time step has "
                f"{n_step_features} feature(s). Use an index below {n_step_features}."
            )

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.target_tags.multi_output = True
        return tags
