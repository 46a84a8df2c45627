"""How a flat window row is read back as a sequence: skrnn's one piece of "window context".

scikit-learn's Pipeline passes a single 2-D array from step to step, so a multivariate window
``(window, n_features)`` has to travel flattened as ``window * n_features`` columns (time-major:
all features of the oldest step first). A plain 2-D array cannot say how its columns fold back into
time steps, so :class:`~skrnn.WindowTransformer` returns a :class:`WindowedArray`, an ``ndarray``
subclass that also records the window shape and how many leading rows had to be padded. Classic
estimators such as ``Ridge`` see an ordinary 2-D array; skrnn's sequence regressors read the record.
With ``set_output(transform="pandas")`` the same facts are read from the column names instead
(``"Close[t-2]", "Close[t-1]", "Close[t]"``).

Anything else is a plain array: 2-D input ``(n_samples, timesteps)`` is a univariate sequence,
3-D input ``(n_samples, timesteps, n_features)`` is taken as is.
"""

import re
from dataclasses import dataclass

import numpy as np
from sklearn.utils.validation import validate_data

_NAME = re.compile(r"^(?P<feature>.+)\[t(?:-(?P<lag>\d+))?\]$")


@dataclass(frozen=True)
class WindowLayout:
    """Shape of one flattened window and the number of leading rows that were padded."""

    window: int
    n_features: int
    n_padded: int = 0


class WindowedArray(np.ndarray):
    """2-D array of flattened windows that remembers its :class:`WindowLayout`.

    Behaves as a plain ``ndarray`` everywhere; the layout survives row selection (as done by
    ``Pipeline`` and cross-validation) and is dropped as soon as the column count no longer
    matches it.
    """

    def __new__(cls, array, layout):
        obj = np.asarray(array).view(cls)
        obj.window_layout = layout
        return obj

    def __array_finalize__(self, obj):
        layout = getattr(obj, "window_layout", None)
        if layout is not None and not (
            self.ndim == 2 and self.shape[1] == layout.window * layout.n_features
        ):
            layout = None
        self.window_layout = layout

    def __getitem__(self, key):
        # Rows selected out of a window block are no longer the leading rows of the series.
        result = super().__getitem__(key)
        layout = getattr(result, "window_layout", None)
        if layout is not None and layout.n_padded:
            result.window_layout = WindowLayout(layout.window, layout.n_features, 0)
        return result

    def __reduce__(self):
        return (WindowedArray, (np.asarray(self), self.window_layout))


def window_feature_names(feature_names, window):
    """Names of the flattened window columns, oldest step first: ``"x0[t-2]", ..., "x0[t]"``."""
    names = []
    for lag in range(window - 1, -1, -1):
        suffix = "[t]" if lag == 0 else f"[t-{lag}]"
        names.extend(f"{name}{suffix}" for name in feature_names)
    return np.asarray(names, dtype=object)


def layout_from_names(names):
    """Recover the window layout from names made by :func:`window_feature_names`, else None."""
    if names is None or len(names) == 0:
        return None
    matches = [_NAME.match(str(name)) for name in names]
    if not all(matches):
        return None
    lags = [int(m["lag"] or 0) for m in matches]
    window = max(lags) + 1
    if len(names) % window:
        return None
    n_features = len(names) // window
    features = [m["feature"] for m in matches[:n_features]]
    if not np.array_equal(names, window_feature_names(features, window)):
        return None
    return WindowLayout(window, n_features)


def check_sequences(estimator, X, y="no_validation", *, reset):
    """Validate regressor input and return X as ``(n_samples, timesteps, features)``.

    With `y` (at fit; None raises), returns ``(X, y)`` without the leading rows whose window
    was padded because the series had no earlier history, so that they never distort
    training. On `reset` the sequence shape is stored as ``estimator.sequence_shape_``;
    otherwise input is checked against it.
    """
    layout = getattr(X, "window_layout", None)
    if layout is None and hasattr(X, "columns"):
        layout = layout_from_names(np.asarray(X.columns, dtype=object))
    if isinstance(X, (list, tuple)):
        X = np.asarray(X)
    if getattr(X, "ndim", None) == 3:
        # Flatten so that 2-D windows and 3-D sequences share one n_features_in_.
        layout = WindowLayout(X.shape[1], X.shape[2])
        X = X.reshape(len(X), -1)
    kwargs = dict(reset=reset, dtype=(np.float64, np.float32))
    fitting = not (isinstance(y, str) and y == "no_validation")
    if not fitting:
        X = validate_data(estimator, X, **kwargs)
    else:
        X, y = validate_data(estimator, X, y, multi_output=True, y_numeric=True, **kwargs)
    if layout is not None:
        sequence_shape, n_padded = (layout.window, layout.n_features), layout.n_padded
    elif not reset and X.shape[1] == np.prod(estimator.sequence_shape_):
        sequence_shape, n_padded = estimator.sequence_shape_, 0
    else:
        sequence_shape, n_padded = (X.shape[1], 1), 0
    sequence_shape = tuple(int(s) for s in sequence_shape)
    if reset:
        estimator.sequence_shape_ = sequence_shape
    elif sequence_shape != estimator.sequence_shape_:
        raise ValueError(
            f"X holds sequences of shape (timesteps, features)={sequence_shape}, but "
            f"{type(estimator).__name__} was fitted on {estimator.sequence_shape_}. Use the "
            "same window and the same feature columns at fit and predict."
        )
    X = X.reshape((X.shape[0], *sequence_shape))
    if not fitting:
        return X
    if n_padded >= len(X):
        raise ValueError(
            f"All {len(X)} rows of X are padded windows from the start of the series; fit on "
            "a series with more rows than the window."
        )
    return X[n_padded:], y[n_padded:]
