"""How a flat window row is read back as a sequence: skrnn's one piece of "window context".

scikit-learn's Pipeline passes a single 2-D array from step to step, so a multivariate window
``(window, n_features)`` has to travel flattened as ``window * n_features`` columns (time-major:
all features of the oldest step first). A regressor reads the fold back from, in this order:

1. a 3-D array ``(n_samples, timesteps, n_features)``: taken as is;
2. the :class:`WindowedArray` that :class:`~skrnn.WindowTransformer` returns, which records the
   window shape and keeps it through row selection (``Pipeline``, cross-validation, slicing);
3. window column names ``"Close[t-2]", "Close[t-1]", "Close[t]"``, which
   ``set_output(transform="pandas")`` carries through scalers, ``ColumnTransformer`` and
   ``FeatureUnion``;
4. otherwise a plain 2-D array is one feature per time step: ``(n_samples, timesteps)``,
   oldest first unless the regressor's ``column_order`` says or finds otherwise (skforecast
   passes its lags newest first: ``lag_1`` is the latest value).

Rule 4 would silently misread multivariate windows, or windows followed by covariates, whose
record a step dropped (a scaler *after* the windows, or a ``ColumnTransformer`` that joins the
windows and other columns into a plain array). To make that loud,
:class:`~skrnn.WindowTransformer` notes, per thread, the shape and the first and last rows of
the windows it last returned; a plain array of exactly that shape (multivariate or with
covariates), or one that starts with those windows and has more columns, is refused with the
fixes. This note only ever raises an error, it never decides how an array is read.

Covariates (known-future values, not windowed) follow the window columns; the layout counts
them, and window column names followed by other names say the same.
"""

import re
import threading
from dataclasses import dataclass, field

import numpy as np
from sklearn.utils.validation import validate_data

_NAME = re.compile(r"^(?P<feature>.+)\[t(?:-(?P<lag>\d+))?\]$")


@dataclass(frozen=True)
class WindowLayout:
    """Shape of one flattened window: ``window`` time steps of ``n_features`` features, then
    ``n_covariates`` columns that are not windowed (known-future covariates, read once).
    ``season_length``: the season of the series' frequency (12 for monthly dates, 1 for annual
    ones, see :mod:`skrnn._seasons`), None when its dates state none; it does not take part in
    comparisons of layouts."""

    window: int
    n_features: int
    n_covariates: int = 0
    season_length: int | None = field(default=None, compare=False)

    @property
    def width(self):
        return self.window * self.n_features + self.n_covariates


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
        if layout is not None and not (self.ndim == 2 and self.shape[1] == layout.width):
            layout = None
        self.window_layout = layout

    def __reduce__(self):
        return (WindowedArray, (np.asarray(self), self.window_layout))


_recent = threading.local()


def note_windows(windows):
    """Remember the shape, layout and first and last rows of the windows just returned (see
    the module docstring); two rows, so that nothing large is kept alive."""
    ends = np.asarray(windows[[0, -1]]) if len(windows) else None
    _recent.windows = (windows.shape, windows.window_layout, ends)


def _refuse_lost_layout(X):
    shape, layout, ends = getattr(_recent, "windows", None) or ((), None, None)
    if layout is None:
        return
    width = shape[1]
    if (ends is not None and X.shape[0] == shape[0] and X.shape[1] > width
            and np.array_equal(X[[0, -1], :width], ends)):
        raise ValueError(
            f"X is a plain array whose first {width} columns are the windows a "
            f"WindowTransformer(window={layout.window}) just made, followed by "
            f"{X.shape[1] - width} other columns (a ColumnTransformer or FeatureUnion "
            "joined them), but nothing says where the windows end: they would all be read as "
            "time steps of one series. Name the extra columns in WindowTransformer("
            "covariates=...), or call set_output(transform='pandas') so that the window "
            "column names carry the layout (the other columns must come after them)."
        )
    if (layout.n_features > 1 or layout.n_covariates) and X.shape == shape:
        raise ValueError(
            f"X is a plain {X.shape[0]}x{X.shape[1]} array, the shape of the windows a "
            f"WindowTransformer(window={layout.window}) just made from {layout.n_features} "
            f"feature(s) and {layout.n_covariates} covariate(s), but it no longer says how its "
            f"columns fold into ({layout.window}, {layout.n_features}) time steps: a step "
            "after the "
            "WindowTransformer dropped that record, and reading it as "
            f"{X.shape[1]} steps of one feature would be wrong. Put scalers before the "
            "WindowTransformer, or call set_output(transform='pandas') on the pipeline so the "
            "window column names carry the shape, or pass 3-D X of shape "
            "(n_samples, timesteps, n_features)."
        )


def window_feature_names(feature_names, window):
    """Names of the flattened window columns, oldest step first: ``"x0[t-2]", ..., "x0[t]"``."""
    names = []
    for lag in range(window - 1, -1, -1):
        suffix = "[t]" if lag == 0 else f"[t-{lag}]"
        names.extend(f"{name}{suffix}" for name in feature_names)
    return np.asarray(names, dtype=object)


def layout_from_names(names):
    """Recover the window layout from names made by :func:`window_feature_names`, followed by
    any covariate names (names that are not window names), else None."""
    if names is None or len(names) == 0:
        return None
    matches = [_NAME.match(str(name)) for name in names]
    n_windowed = next((i for i, m in enumerate(matches) if not m), len(matches))
    if any(matches[n_windowed:]):
        raise ValueError(
            "X's columns mix window columns (named like 'Close[t-1]') with other columns "
            f"before them (first: {names[n_windowed]!r}). Put the window columns first: the "
            "columns after them are read as covariates, fed to the network beside the windows."
        )
    if n_windowed == 0:
        return None
    matches, windowed = matches[:n_windowed], np.asarray(names[:n_windowed], dtype=object)
    window = max(int(m["lag"] or 0) for m in matches) + 1
    if n_windowed % window:
        return None
    n_features = n_windowed // window
    features = [m["feature"] for m in matches[-n_features:]]
    if not np.array_equal(windowed, window_feature_names(features, window)):
        return None
    return WindowLayout(window, n_features, len(names) - n_windowed)


def _layout_of(X):
    """The window layout that X states (record, 3-D shape or column names), else None."""
    layout = getattr(X, "window_layout", None)
    if layout is None and hasattr(X, "columns"):
        layout = layout_from_names(np.asarray(X.columns, dtype=object))
    if layout is None and getattr(X, "ndim", None) == 3:
        layout = WindowLayout(X.shape[1], X.shape[2])
    return layout


def lags_run_newest_first(X):
    """Whether consecutive rows of a plain 2-D X are a lag matrix with the newest value first.

    In a lag matrix each row is the previous one moved by one step: oldest first (skrnn's
    windows, sktime's reductions) row ``t + 1`` is row ``t`` shifted left, newest first
    (skforecast's ``lag_1, lag_2, ...``) shifted right. The values are copies, so the test is
    exact equality; the direction that holds for more than half of the row pairs, and more
    often than the other, wins. Anything else (too few rows or columns, shuffled rows, no lag
    structure) is read oldest first, as before.
    """
    if X.ndim != 2 or X.shape[1] < 2 or len(X) < 3:
        return False
    oldest_first = np.all(X[1:, :-1] == X[:-1, 1:], axis=1).sum()
    newest_first = np.all(X[1:, 1:] == X[:-1, :-1], axis=1).sum()
    return newest_first > max(oldest_first, (len(X) - 1) / 2)


def _lag_block_width(X, newest_first):
    """Number of leading columns that shift by one step from every row to the next (lags of one
    series in the given order), or 0 when fewer than two do."""
    width = 1
    for j in range(X.shape[1] - 1):
        later, earlier = (X[1:, j + 1], X[:-1, j]) if newest_first else (X[1:, j], X[:-1, j + 1])
        if not np.array_equal(later, earlier):
            break
        width += 1
    return width if width >= 2 else 0


def _refuse_columns_after_lags(X):
    """Raise when X is lags of one series followed by other columns (skforecast's and sktime's
    exogenous variables): read as one series, those columns would become time steps."""
    if len(X) < 3:
        return
    for newest_first in (True, False):
        width = _lag_block_width(X, newest_first)
        if 2 <= width < X.shape[1] and np.ptp(X[:, :width]) > 0:
            order = "newest first, as skforecast" if newest_first else "oldest first, as sktime"
            raise ValueError(
                f"The first {width} columns of X are lags of one series ({order} builds them), "
                f"the other {X.shape[1] - width} are not: skrnn's networks read every column "
                "of a plain 2-D X as one time step of the same series, so those columns "
                "(exogenous variables?) would silently become part of the window. Drop them, "
                "or pass 3-D X of shape (n_samples, timesteps, n_features) whose features are "
                "all observed at every step."
            )


def _column_order(estimator, X, layout, reset):
    """"newest_first" when a plain univariate X must be reversed to run oldest first."""
    wanted = getattr(estimator, "column_order", "oldest_first")
    if not reset:
        return getattr(estimator, "column_order_", "oldest_first") if layout is None else \
            "oldest_first"
    if layout is not None:
        if wanted == "newest_first":
            raise ValueError(
                "column_order='newest_first' is for plain 2-D lag arrays, but X states its "
                "window layout (a WindowTransformer record, window column names or 3-D "
                "sequences), which always runs oldest first. Leave column_order='auto'."
            )
        return "oldest_first"
    _refuse_columns_after_lags(X)
    if wanted == "auto":
        return "newest_first" if lags_run_newest_first(X) else "oldest_first"
    return wanted


def check_sequences(estimator, X, y="no_validation", *, reset):
    """Validate regressor input and return X as ``(n_samples, timesteps, features)``.

    With `y` (at fit; None raises), returns ``(X, y)``. On `reset` the sequence shape is stored
    as ``estimator.sequence_shape_`` and the number of covariate columns as
    ``estimator.n_covariates_``; otherwise input is checked against them. Covariates (columns
    after the windows, see :class:`WindowLayout`) come back as ``n_covariates_`` extra features
    repeated at every time step, so that one array carries both; a regressor reads them from
    the last step.
    """
    if isinstance(X, (list, tuple)):
        X = np.asarray(X)
    layout = _layout_of(X)
    if getattr(X, "ndim", None) == 3:
        # Flatten so that 2-D windows and 3-D sequences share one n_features_in_.
        X = X.reshape(len(X), -1)
    kwargs = dict(reset=reset, dtype=(np.float64, np.float32))
    fitting = not (isinstance(y, str) and y == "no_validation")
    if not fitting:
        X = validate_data(estimator, X, **kwargs)
    else:
        X, y = validate_data(estimator, X, y, multi_output=True, y_numeric=True, **kwargs)
    fitted = None if reset else WindowLayout(*estimator.sequence_shape_,
                                             getattr(estimator, "n_covariates_", 0))
    if layout is None and not (fitted is not None and X.shape[1] == fitted.width):
        _refuse_lost_layout(X)
    order = _column_order(estimator, X, layout, reset)
    if reset:
        estimator.column_order_ = order
    if layout is None:
        layout = fitted if fitted is not None and X.shape[1] == fitted.width else \
            WindowLayout(X.shape[1], 1)
    if order == "newest_first" and layout.n_features == 1:
        X = X[:, ::-1]
    sequence_shape = (int(layout.window), int(layout.n_features))
    if reset:
        estimator.sequence_shape_ = sequence_shape
        estimator.n_covariates_ = int(layout.n_covariates)
    elif WindowLayout(*sequence_shape, layout.n_covariates) != fitted:
        raise ValueError(
            f"X holds sequences of shape (timesteps, features)={sequence_shape} and "
            f"{layout.n_covariates} covariate column(s), but {type(estimator).__name__} was "
            f"fitted on {estimator.sequence_shape_} and {fitted.n_covariates}. Use the same "
            "window, feature columns and covariates at fit and predict."
        )
    X = _with_covariates(X, layout)
    return X if not fitting else (X, y)


def _with_covariates(X, layout):
    """2-D windows as 3-D sequences; covariate columns become features repeated at every step."""
    n, steps = len(X), layout.window
    sequences = X[:, : steps * layout.n_features].reshape(n, steps, layout.n_features)
    if not layout.n_covariates:
        return sequences
    covariates = X[:, steps * layout.n_features :]
    repeated = np.broadcast_to(covariates[:, None, :], (n, steps, layout.n_covariates))
    return np.concatenate([sequences, repeated], axis=2)
