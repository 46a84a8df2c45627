"""PersistenceRegressor: the naive "tomorrow = today" forecast every model must beat."""

from numbers import Integral

import numpy as np

from ._anchor import next_value_map
from ._base import SequenceRegressor
from ._compat import Interval, StrOptions


class PersistenceRegressor(SequenceRegressor):
    """Predict the last observed value of one feature of each window.

    The naive forecast ("tomorrow = today"): it learns nothing, so any model that cannot beat
    it in a time-series cross-validation has learned nothing useful either. It reads the same
    windows as the recurrent regressors, so it can be one candidate of the same grid search.

    Read more in the :ref:`User Guide <baseline>`.

    Parameters
    ----------
    target_feature : int, default=0
        Index of the feature (column of the original series) whose last value in the window is
        the forecast. For a univariate series keep ``0``; for OHLCV columns predicting the next
        close, use the index of ``Close``.

    column_order : {"auto", "oldest_first", "newest_first"}, default="auto"
        How the columns of a plain 2-D `X` (no window record, no window column names) run in
        time. ``"auto"`` reads them newest first only when consecutive rows form a lag matrix
        with the newest value first, as skforecast builds them (``lag_1`` is the latest
        value), and oldest first otherwise, as :class:`WindowTransformer` and sktime build
        them. Windows that state their layout always run oldest first.

    Attributes
    ----------
    n_features_in_ : int
        Number of columns of `X` seen during ``fit`` (``timesteps * n_features`` for 3-D
        input).

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of the window columns seen during ``fit``, such as ``"Close[t]"``. Defined
        only when `X` has column names that are all strings.

    sequence_shape_ : tuple of (int, int)
        ``(timesteps, features)`` read from `X`; `target_feature` indexes the features.

    n_outputs_ : int
        Number of target columns seen during ``fit``.

    column_order_ : {"oldest_first", "newest_first"}
        How the columns of `X` were read at ``fit``; plain 2-D `X` at ``predict`` is read the
        same way.

    slope_, intercept_ : ndarray of shape (`n_outputs_`,)
        The map from `target_feature`'s units to each target column's: ``1`` and ``0`` when
        X and y share units; the exact affine map between them when they were scaled apart
        (see Notes).

    See Also
    --------
    WindowTransformer : Builds the windows this regressor reads.
    LSTMRegressor : A recurrent regressor to compare with this baseline.

    Notes
    -----
    **Units.** When `X` and `y` are scaled by different scalers (a ``MinMaxScaler`` before the
    windows and another in ``TransformedTargetRegressor``, as in the README's pipeline), the
    last value of `X` is not in the units of `y`. In the training rows, though, ``y[t]`` is a
    later value of the same feature, ``X[t + h]`` (``h = 1`` for the next value), so the two
    scalings are related by an exact affine map: ``fit`` finds it (lags ``h`` up to 64, to
    float precision) and applies it, and the forecast is the true persistence forecast in
    ``y``'s units. When no exact map exists (``y`` is not a later value of the feature), the
    forecast is the last value in `X`'s units.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.pipeline import make_pipeline
    >>> from skrnn import PersistenceRegressor, WindowTransformer
    >>> series = np.array([[1.0], [2.0], [4.0], [7.0]])
    >>> next_value = np.array([2.0, 4.0, 7.0, 11.0])
    >>> model = make_pipeline(WindowTransformer(window=2), PersistenceRegressor())
    >>> model.fit(series, next_value).predict(series)
    array([1., 2., 4., 7.])
    """

    _parameter_constraints = {
        "target_feature": [Interval(Integral, 0, None, closed="left")],
        "column_order": [StrOptions({"auto", "oldest_first", "newest_first"})],
    }

    def __init__(self, *, target_feature=0, column_order="auto"):
        self.target_feature = target_feature
        self.column_order = column_order

    def _fit_sequences(self, X, y, sample_weight):  # nothing is fitted: weights change nothing
        self._check_target_feature()
        last = X[:, -1, self.target_feature]
        unit_map = next_value_map(last, y)
        if unit_map is None:  # y is not a later value of the feature: X's units are y's
            unit_map = np.ones(y.shape[1]), np.zeros(y.shape[1])
        self.slope_, self.intercept_ = unit_map

    def _predict_sequences(self, X):
        last = X[:, -1, self.target_feature]
        return last[:, None] * self.slope_ + self.intercept_

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.regressor_tags.poor_score = True  # a fixed rule, not a fitted model
        return tags
