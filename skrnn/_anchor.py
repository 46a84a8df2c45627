"""The closed-form part of skrnn's networks: standardisation and the anchor they correct.

A recurrent network trains poorly on raw values (prices of order 100) and cannot extrapolate
past the range it saw (a price climbing above its training maximum). skrnn's networks therefore
(1) standardise X and y with statistics of the training rows, inside the model, and invert them
on the way out; and (2) add a learned correction to an *anchor* fitted in closed form at ``fit``:

- ``"linear"``: ridge regression of y on the whole standardised window (a linear skip over the
  window, the lesson of DLinear and N-BEATS: the network learns what a linear model misses);
- ``"last"``: the last value of `target_feature`, mapped to y's units by the exact affine map
  that relates that feature to y in the training rows (:func:`next_value_map`), so that it is the
  persistence forecast under any pair of scalers on X and y.

Both anchors are affine in X, so they stay right when X and y are scaled by different affine
maps (a ``MinMaxScaler`` before the windows and another in ``TransformedTargetRegressor``).
"""

import numpy as np

_CHUNK = 1024  # rows per chunk: a few MB even for windows of hundreds of steps


def standardisation(values):
    """Mean and scale per column of a 2-D array; constant columns get scale 1."""
    mean = values.mean(axis=0)
    scale = values.std(axis=0)
    return mean, np.where(scale > 0, scale, 1.0)


def ridge_on_windows(X, y, x_mean, x_scale, y_mean, y_scale, relative_alpha=1e-4):
    """Ridge coefficients of standardised y on standardised flattened windows.

    `X` is ``(n, timesteps, features)``, possibly a strided view; it is read in chunks, so no
    ``n x timesteps x features`` copy is made. The penalty is `relative_alpha` times the mean
    eigenvalue of ``X'X``, so it does not depend on the window length or on the units. Returns
    ``kernel`` of shape ``(timesteps * features, n_outputs)`` and ``bias`` of shape
    ``(n_outputs,)``, both in standardised units.
    """
    n, timesteps, n_features = X.shape
    width = timesteps * n_features
    gram = np.zeros((width + 1, width + 1))
    cross = np.zeros((width + 1, y.shape[1]))
    for start in range(0, n, _CHUNK):
        rows = (np.asarray(X[start : start + _CHUNK], dtype=np.float64) - x_mean) / x_scale
        design = np.hstack([rows.reshape(len(rows), width), np.ones((len(rows), 1))])
        gram += design.T @ design
        cross += design.T @ ((y[start : start + _CHUNK] - y_mean) / y_scale)
    penalty = relative_alpha * np.trace(gram[:width, :width]) / width
    gram[np.arange(width), np.arange(width)] += max(penalty, 1e-12)
    solution = np.linalg.lstsq(gram, cross, rcond=None)[0]
    return solution[:width], solution[width]


def next_value_map(last, y, *, max_lag=64):
    """Slope and intercept that turn `last` (one feature of X) into each column of y exactly.

    In the usual set-up ``y[t]`` is the feature's value ``h`` rows later, ``last[t + h]``, possibly
    scaled differently (two fitted scalers). Then ``y[t] = a * last[t + h] + b`` holds to float
    precision for one lag ``h``, and ``(a, b)`` converts X's units into y's. Returns ``(a, b)``
    arrays of shape ``(n_outputs,)``, or None when some column has no such exact relation (y is
    not a later value of that feature).
    """
    slopes, intercepts = [], []
    for column in y.T:
        found = _exact_affine_lag(last, column, max_lag)
        if found is None:
            return None
        slopes.append(found[0])
        intercepts.append(found[1])
    return np.asarray(slopes), np.asarray(intercepts)


def _exact_affine_lag(last, target, max_lag):
    scale = max(np.ptp(target), 1e-300)
    # At least 5 pairs per lag, so that two or three points cannot fit "exactly" by chance.
    for lag in range(1, min(max_lag, len(last) - 5) + 1):
        source, aligned = last[lag:], target[:-lag]
        if np.ptp(source) == 0:
            continue
        slope, intercept = np.polyfit(source, aligned, 1)
        if np.max(np.abs(slope * source + intercept - aligned)) <= 1e-6 * scale:
            if abs(slope - 1) <= 1e-9 and abs(intercept) <= 1e-9 * scale:
                return 1.0, 0.0  # the same units: the last value itself, without float noise
            return slope, intercept
    return None


def last_value_map(last, y, feature, *, x_mean, x_scale, y_mean, y_scale):
    """The ``"last"`` anchor in standardised units: per-output slope and intercept on the last
    standardised value of `feature`, from the exact map of :func:`next_value_map` (least
    squares when y is not a later value of the feature)."""
    unit_map = next_value_map(last, y)
    slope, intercept = unit_map if unit_map is not None else np.polyfit(last, y, 1)
    # y_std = (slope * (x_std * x_scale + x_mean) + intercept - y_mean) / y_scale
    kernel = slope * x_scale[feature] / y_scale
    bias = (slope * x_mean[feature] + intercept - y_mean) / y_scale
    return kernel, bias


def validation_error(name, weights, X, y, feature, *, x_mean, x_scale, y_mean, y_scale):
    """Mean squared error of an anchor on rows it was not fitted on, in standardised units."""
    kernel, bias = weights
    squared = 0.0
    for start in range(0, len(X), _CHUNK):  # windows are read in chunks, never copied whole
        rows = (np.asarray(X[start : start + _CHUNK], dtype=np.float64) - x_mean) / x_scale
        if name == "linear":
            prediction = rows.reshape(len(rows), -1) @ kernel + bias
        else:
            prediction = rows[:, -1, feature : feature + 1] * kernel + bias
        squared += float(np.sum((prediction - (y[start : start + _CHUNK] - y_mean) / y_scale) ** 2))
    return squared / y.size


def fit_anchor(name, X, y, feature, **stats):
    """Kernel and bias of the anchor `name` ("linear" or "last"), in standardised units."""
    if name == "linear":
        return ridge_on_windows(X, y, **stats)
    return last_value_map(X[:, -1, feature], y, feature, **stats)


def choose_anchor(X, y, feature, *, n_blocks=3, fraction=0.3, **stats):
    """The anchor that forecasts the end of the training rows better, by rolling origins.

    The last `fraction` of the rows is cut into `n_blocks` successive blocks; for each, both
    anchors are refitted (in closed form, so cheaply) on the rows before it and scored on it.
    Summed over the blocks, this is a far less noisy choice than one validation span. With too
    few rows for that, the persistence anchor, which has nothing to overfit.
    """
    n = len(X)
    edges = np.linspace(n - int(fraction * n), n, n_blocks + 1).astype(int)
    if edges[0] < 5 or np.any(np.diff(edges) < 1):
        return "last"
    errors = {"linear": 0.0, "last": 0.0}
    for start, stop in zip(edges[:-1], edges[1:], strict=True):
        for name in errors:
            weights = fit_anchor(name, X[:start], y[:start], feature, **stats)
            errors[name] += validation_error(
                name, weights, X[start:stop], y[start:stop], feature, **stats) * (stop - start)
    return min(errors, key=errors.get)
