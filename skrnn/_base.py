"""The base of skrnn's regressors: samples are sequences of time steps, targets may be 2-D."""

from sklearn.base import BaseEstimator, RegressorMixin

from ._sequences import check_sequences
from ._versioning import VersionedPickleMixin


class SequenceRegressor(VersionedPickleMixin, RegressorMixin, BaseEstimator):
    """Base class for regressors that read each sample as a sequence of time steps.

    Accepts 2-D input (flat windows, see :mod:`skrnn._sequences`) and 3-D input
    ``(n_samples, timesteps, n_features)``; `y` may have one column per forecast step.
    """

    def _check_fit_data(self, X, y):
        """Return 3-D X and 2-D y for training; record how predictions must be shaped."""
        X, y = check_sequences(self, X, y, reset=True)
        self._y_ndim = y.ndim
        y = y.reshape(len(y), -1)
        self.n_outputs_ = y.shape[1]
        return X, y

    def _check_target_feature(self):
        """Raise unless `target_feature` indexes a feature of the fitted sequences."""
        n_step_features = self.sequence_shape_[1]
        if self.target_feature >= n_step_features:
            raise ValueError(
                f"target_feature={self.target_feature} is out of range: each time step has "
                f"{n_step_features} feature(s). Use an index below {n_step_features}."
            )

    def _check_predict_data(self, X):
        return check_sequences(self, X, reset=False)

    def _as_prediction(self, y_pred):
        """Shape 2-D predictions like the `y` seen in fit."""
        return y_pred.ravel() if self._y_ndim == 1 else y_pred

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.target_tags.multi_output = True
        return tags
