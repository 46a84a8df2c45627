"""The closed-form part of skrnn's networks: standardisation and the anchor they correct.

A recurrent network trains poorly on raw values (prices of order 100) and cannot extrapolate
past the range it saw (a price climbing above its training maximum). skrnn's networks therefore
(1) standardise X and y with statistics of the training rows, inside the model, and invert them
on the way out; and (2) add a learned correction to an *anchor* fitted in closed form at ``fit``:

- ``"linear"``: ridge regression of y on the whole standardised window (a linear skip over the
  window, the lesson of DLinear and N-BEATS: the network learns what a linear model misses),
  shrunk toward the ``"last"`` anchor (or a seasonal one, below), with the penalty of least
  leave-one-out error;
- ``"last"``: the last value of `target_feature`, mapped to y's units by the exact affine map
  that relates that feature to y in the training rows (:func:`next_value_map`), so that it is the
  persistence forecast under any pair of scalers on X and y;
- ``"seasonal"``: the value one season before the forecast time (seasonal naive, Hyndman and
  Athanasopoulos, *Forecasting: Principles and Practice*, 3rd ed., 5.2), mapped the same way;
- ``"seasonal_difference"``: the last value plus its change over the last season
  (``x[t] + x[t+1-m] - x[t-m]``: the seasonal random walk of the steps, SARIMA(0,1,0)(0,1,0),
  which follows a trend and a season at once).

With a season, ``"linear"`` is shrunk toward whichever of persistence, seasonal naive and the
seasonal difference has the lowest leave-one-out error (the seasonal forms of Litterman's
random-walk prior: prior means of one on the lags those forecasts read). ``"auto"`` weighs
every anchor by its inverse squared error over rolling origins (:func:`combination_weights`).

Every anchor is affine in X, so it stays right when X and y are scaled by different affine
maps (a ``MinMaxScaler`` before the windows and another in ``TransformedTargetRegressor``).
The seasonal ones need a window that reaches one season back (see :func:`seasonal_offsets`).
"""

import numpy as np

_CHUNK = 1024  # rows per chunk: a few MB even for windows of hundreds of steps


def _weights_or_ones(weights, n):
    return np.ones(n) if weights is None else np.asarray(weights, dtype=np.float64)


def standardisation(values, weights=None):
    """Weighted mean and scale per column of a 2-D array; constant columns get scale 1.

    Computed on the values divided by their largest magnitude, so that neither squares of
    1e200 overflow nor squares of 1e-200 vanish (a plain ``std`` returns inf or 0 there).
    """
    weights = _weights_or_ones(weights, len(values))
    peak = np.max(np.abs(values[weights > 0]), axis=0) if np.any(weights > 0) else 0.0
    peak = np.where(peak > 0, peak, 1.0)
    scaled = values / peak
    mean = np.average(scaled, axis=0, weights=weights)
    deviation = np.sqrt(np.average((scaled - mean) ** 2, axis=0, weights=weights))
    return mean * peak, np.where(deviation > 0, deviation * peak, 1.0)


def flat_design(rows, n_covariates=0):
    """Sequences ``(n, timesteps, features)`` as the linear anchor reads them: the windowed
    features of every step, oldest first, then the covariates (repeated at every step in
    the sequences) once, from the last step."""
    n_windowed = rows.shape[2] - n_covariates
    flat = rows[:, :, :n_windowed].reshape(len(rows), -1)
    return np.hstack([flat, rows[:, -1, n_windowed:]]) if n_covariates else flat


def normalised_windows(rows, n_covariates=0, eps=1e-8):
    """Each window's windowed features minus their mean over the window, over their standard
    deviation (instance normalisation, as RevIN); covariates unchanged. Also returns the means
    and deviations, ``(n, features)`` each."""
    n_windowed = rows.shape[2] - n_covariates
    sequences = rows[:, :, :n_windowed]
    mean = sequences.mean(axis=1)
    std = np.sqrt(sequences.var(axis=1) + eps)
    normalised = np.concatenate(
        [(sequences - mean[:, None]) / std[:, None], rows[:, :, n_windowed:]], axis=2)
    return normalised, mean, std


def _chunks(X, y, x_mean, x_scale, y_mean, y_scale, n_covariates, per_window,
            sample_weight=None):
    """Standardised windows, targets and sample weights, one chunk at a time. With
    `per_window` ``(feature, slope, intercept)`` (y in standardised units = slope * feature +
    intercept), windows are normalised one by one and targets put in the units of their
    window's `feature`: ``((y - intercept) / slope - mean) / std``."""
    weights = _weights_or_ones(sample_weight, len(X))
    for start in range(0, len(X), _CHUNK):
        rows = (np.asarray(X[start : start + _CHUNK], dtype=np.float64) - x_mean) / x_scale
        target = (y[start : start + _CHUNK] - y_mean) / y_scale
        if per_window is not None:
            feature, slope, intercept = per_window
            rows, mean, std = normalised_windows(rows, n_covariates)
            target = ((target - intercept) / slope - mean[:, [feature]]) / std[:, [feature]]
        yield rows, target, weights[start : start + _CHUNK, None]


# Penalties tried for the linear anchor, relative to the mean eigenvalue of X'X: from nearly
# least squares to nearly the persistence forecast it is shrunk toward.
RELATIVE_ALPHAS = (1e-6, 1e-4, 1e-3, 1e-2, 1e-1, 1.0, 10.0, 100.0)


def ridge_on_windows(X, y, x_mean, x_scale, y_mean, y_scale, prior=None,
                     relative_alphas=RELATIVE_ALPHAS, n_covariates=0, per_window=None,
                     return_error=False, sample_weight=None):
    """Ridge coefficients of standardised y on standardised flattened windows, shrunk toward
    `prior`, with the penalty that predicts the training rows best when each is left out.

    `X` is ``(n, timesteps, features)``, possibly a strided view; it is read in chunks, so no
    ``n x timesteps x features`` copy is made. The coefficients minimise
    ``sum w |y - X b - c|^2 + alpha |b - prior_kernel|^2`` (the intercept is not penalised;
    `w` the sample weights, ones by default): with a persistence `prior`, a large penalty gives
    the persistence forecast plus a drift, a small one least squares — the random-walk prior of
    Litterman (1986). Each penalty is one of `relative_alphas` times the mean eigenvalue of
    ``X'WX``, so it does not depend on the window length, the units or the scale of the
    weights; the one kept has the lowest exact, weighted leave-one-out error (closed form, as
    scikit-learn's ``RidgeCV``), which is a sound choice for autoregressions (Bergmeir,
    Hyndman and Koo 2018). A row of zero weight counts for nothing, as if it were not there.
    `prior` is ``(kernel, bias)`` like the result, None for zeros. Returns ``kernel`` of shape
    ``(width, n_outputs)`` and ``bias`` of shape ``(n_outputs,)``, both in standardised units,
    where `width` is that of :func:`flat_design`; with `return_error`, also the fit's weighted
    mean squared leave-one-out error.
    """
    n, timesteps, n_features = X.shape
    part = (x_mean, x_scale, y_mean, y_scale, n_covariates, per_window, sample_weight)
    width = timesteps * (n_features - n_covariates) + n_covariates
    gram = np.zeros((width + 1, width + 1))  # the design with a column of ones, last
    cross = np.zeros((width + 1, y.shape[1]))
    for design, target, weight in _designs(X, y, *part):
        gram += design.T @ (design * weight)
        cross += design.T @ (target * weight)
    total = gram[width, width]  # the sum of the weights
    if prior is None:
        prior = np.zeros((width, y.shape[1])), np.zeros(y.shape[1])
    start = np.vstack([prior[0], np.reshape(prior[1], (1, -1))])
    # In terms of the residual r = y - prior's forecast, centred: a plain ridge regression.
    mean = gram[:width, width] / total
    residual_mean = (cross[width] - gram[width] @ start) / total
    centred_gram = gram[:width, :width] - total * np.outer(mean, mean)
    centred_cross = cross[:width] - gram[:width] @ start - total * np.outer(mean, residual_mean)
    try:
        eigenvalues, eigenvectors = np.linalg.eigh(centred_gram)
    except np.linalg.LinAlgError:
        raise ValueError(
            "The linear anchor's least squares did not converge: the windows hold values of "
            "very different magnitudes (an outlier of 1e300 among ordinary values?). Clean X, "
            "or use anchor='last'."
        ) from None
    eigenvalues = np.maximum(eigenvalues, 0.0)
    projected_cross = eigenvectors.T @ centred_cross
    unit = max(np.trace(gram[:width, :width]) / width, 1e-300)
    penalties = [max(alpha * unit, 1e-12) for alpha in relative_alphas]
    errors = np.zeros(len(penalties))
    if len(penalties) > 1 or return_error:
        for design, target, weight in _designs(X, y, *part):
            projected = (design[:, :width] - mean) @ eigenvectors
            squared = projected**2
            residual = target - design @ start - residual_mean
            for i, candidate in enumerate(penalties):
                inverse = 1.0 / (eigenvalues + candidate)
                leverage = weight[:, 0] * (1.0 / total + squared @ inverse)
                fitted = projected @ (projected_cross * inverse[:, None])
                left_out = (residual - fitted) / np.maximum(1.0 - leverage, 1e-12)[:, None]
                errors[i] += float(np.sum(weight * left_out**2))
    best = int(np.argmin(errors))
    shift = eigenvectors @ (projected_cross / (eigenvalues + penalties[best])[:, None])
    kernel, bias = start[:width] + shift, start[width] + residual_mean - mean @ shift
    return (kernel, bias, errors[best] / (total * y.shape[1])) if return_error else (kernel, bias)


def _designs(X, y, x_mean, x_scale, y_mean, y_scale, n_covariates, per_window, sample_weight):
    """The flat windows of :func:`_chunks` with a column of ones, their targets and weights."""
    for rows, target, weight in _chunks(X, y, x_mean, x_scale, y_mean, y_scale, n_covariates,
                                        per_window, sample_weight):
        design = np.hstack([flat_design(rows, n_covariates), np.ones((len(rows), 1))])
        yield design, target, weight


def _line(x, y, weights=None):
    """Weighted least-squares slope and intercept of each column of y on x; a zero slope (the
    weighted mean) when x does not vary. Computed on centred values, without warnings."""
    weights = _weights_or_ones(weights, len(x))
    x_mean = np.average(x, weights=weights)
    y_mean = np.average(y, axis=0, weights=weights)
    spread = np.sum(weights * (x - x_mean) ** 2)
    if not spread > 0:
        return np.zeros(y.shape[1:]), y_mean
    slope = (weights * (x - x_mean)) @ (y - y_mean) / spread
    return slope, y_mean - slope * x_mean


def next_value_map(last, y, *, max_lag=64, return_lags=False):
    """Slope and intercept that turn `last` (one feature of X) into each column of y exactly.

    In the usual set-up ``y[t]`` is the feature's value ``h`` rows later, ``last[t + h]``, possibly
    scaled differently (two fitted scalers). Then ``y[t] = a * last[t + h] + b`` holds to float
    precision for one lag ``h``, and ``(a, b)`` converts X's units into y's. Returns ``(a, b)``
    arrays of shape ``(n_outputs,)``, or None when some column has no such exact relation (y is
    not a later value of that feature); with `return_lags`, also the lag ``h`` of each output
    (1 for a panel in no lag order). The search runs on standardised values, so the scale
    of the data (1e-300 or 1e300) does not matter.
    """
    (x_mean,), (x_scale,) = standardisation(last[:, None])
    y_mean, y_scale = standardisation(y)
    last_units = (last - x_mean) / x_scale
    slopes, intercepts, lags = [], [], []
    for k, column in enumerate(((y - y_mean) / y_scale).T):
        found = _exact_affine_lag(last_units, column, max_lag)
        if found is None and np.isin(y[:, k], last).mean() >= 0.9:
            # A panel in no lag order (series of different lengths, sorted by date): y's
            # values are the feature's own values, unscaled.
            slopes.append(1.0)
            intercepts.append(0.0)
            lags.append(1)
            continue
        if found is None:
            return None
        # column = a * last_units + b, in X's and y's own units:
        slope = found[0] * y_scale[k] / x_scale
        intercept = y_mean[k] + y_scale[k] * found[1] - slope * x_mean
        lags.append(found[2])
        if abs(slope - 1) <= 1e-9 and abs(intercept) <= 1e-9 * max(y_scale[k], abs(y_mean[k])):
            slope, intercept = 1.0, 0.0  # the same units: the last value itself, no float noise
        slopes.append(slope)
        intercepts.append(intercept)
    if return_lags:
        return np.asarray(slopes), np.asarray(intercepts), np.asarray(lags)
    return np.asarray(slopes), np.asarray(intercepts)


def _exact_affine_lag(last, target, max_lag, share=0.9):
    """The exact affine map (on standardised values) at the first lag where it holds for
    `share` of the row pairs (not all: in a panel of series stacked one after another, pairs
    that straddle two series break it), fitted on the pairs where it holds, and that lag; None
    if no lag has one."""
    scale = max(np.ptp(target), 1e-300)
    # At least 5 pairs per lag, so that two or three points cannot fit "exactly" by chance.
    for lag in range(1, min(max_lag, len(last) - 5) + 1):
        source, aligned = last[lag:], target[:-lag]
        if np.ptp(source) == 0:
            continue
        steps = np.diff(source)
        moving = np.abs(steps) > 0
        slope = np.median(np.diff(aligned)[moving] / steps[moving])
        intercept = np.median(aligned - slope * source)
        exact = np.abs(slope * source + intercept - aligned) <= 1e-6 * scale
        if exact.mean() >= share and np.ptp(source[exact]) > 0:
            slope, intercept = _line(source[exact], aligned[exact, None])
            return float(slope[0]), float(intercept[0]), lag
    return None


def last_value_map(last, y, feature, *, x_mean, x_scale, y_mean, y_scale, sample_weight=None):
    """The ``"last"`` anchor in standardised units: per-output slope and intercept on the last
    standardised value of `feature`, from the exact map of :func:`next_value_map` (weighted
    least squares when y is not a later value of the feature)."""
    unit_map = next_value_map(last, y)
    if unit_map is None:  # fitted where both are standardised, then stated in y's units
        x_units = (last - x_mean[feature]) / x_scale[feature]
        slope, intercept = _line(x_units, (y - y_mean) / y_scale, sample_weight)
        return slope, intercept
    slope, intercept = unit_map
    # y_std = (slope * (x_std * x_scale + x_mean) + intercept - y_mean) / y_scale
    kernel = slope * x_scale[feature] / y_scale
    bias = (slope * x_mean[feature] + intercept - y_mean) / y_scale
    return kernel, bias


def seasonal_offsets(lags, season_length, window):
    """For each output, how many steps before a window's last one lies the value one season
    before that output's forecast time (h steps after the last one: the first multiple of the
    season at or beyond h, minus h), or None when the window does not reach that far back.
    For one-step forecasts that is ``season_length - 1`` steps back: a window of at least
    `season_length` steps."""
    lags = np.asarray(lags)
    offsets = -(-lags // season_length) * season_length - lags
    return None if np.any(offsets > window - 1) else offsets


def _filter_units(slope, intercept, feature, n_outputs, per_window, x_mean, x_scale, y_mean,
                  y_scale):
    """The scale and bias that turn a filter of `feature`'s standardised values whose weights
    sum to one into standardised y, given the exact map ``y = slope * x + intercept`` of
    :func:`next_value_map`; with `per_window`, ones and zeros (each window's own units)."""
    if per_window is not None:
        return np.ones(n_outputs), np.zeros(n_outputs)
    return (slope * x_scale[feature] / y_scale,
            (slope * x_mean[feature] + intercept - y_mean) / y_scale)


def seasonal_naive_map(X, y, feature, season_length, *, x_mean, x_scale, y_mean, y_scale,
                       n_covariates=0, per_window=None, difference=False):
    """The ``"seasonal"`` anchor in standardised units: a kernel over :func:`flat_design`
    that picks `feature`'s value one season before each output's forecast time, mapped to y's
    units exactly (:func:`next_value_map`), and a bias; with `per_window`, in each window's
    own units (a one, no bias). With `difference`, that value plus the change since one season
    before the last step instead (``x[t] + x[t+h-m] - x[t-m]``, the seasonal random walk on
    the steps). None when y is not a later value of `feature` or the window does not reach one
    season back (:func:`seasonal_offsets`)."""
    timesteps, n_windowed = X.shape[1], X.shape[2] - n_covariates
    unit_map = next_value_map(X[:, -1, feature], y, return_lags=True)
    if unit_map is None:
        return None
    slope, intercept, lags = unit_map
    offsets = seasonal_offsets(lags, season_length, timesteps)
    if offsets is None or (difference and np.any(offsets + lags > timesteps - 1)):
        return None
    columns = np.arange(y.shape[1])
    weight, bias = _filter_units(slope, intercept, feature, y.shape[1], per_window, x_mean,
                                 x_scale, y_mean, y_scale)
    kernel = np.zeros((timesteps * n_windowed + n_covariates, y.shape[1]))
    kernel[(timesteps - 1 - offsets) * n_windowed + feature, columns] += weight
    if difference:  # the change over a season of the last value
        kernel[(timesteps - 1) * n_windowed + feature, columns] += weight
        kernel[(timesteps - 1 - offsets - lags) * n_windowed + feature, columns] -= weight
    return kernel, bias


# The smoothing parameters tried for the "exponential_smoothing" anchor: alpha (level), beta
# (trend; None: no trend) and gamma (season; None: no season), as AutoETS's usual ranges.
SMOOTHING_GRID = {"alpha": (0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9), "beta": (None, 0.05, 0.2),
                  "gamma": (0.05, 0.2, 0.5)}


def smoothing_weights(timesteps, lags, alpha, beta=None, gamma=None, season_length=None):
    """Weights over a window's steps (oldest first), ``(timesteps, len(lags))``, of the
    additive Holt-Winters forecast each of `lags` steps after the window's last step
    (Hyndman and Athanasopoulos, 3rd ed., 8.3; `beta` None: no trend; `gamma` or
    `season_length` None: no season).

    The recursion runs over the window alone, from Hyndman's heuristic start (the level the
    first value, or the mean of the first season with the season's deviations from it and a
    trend from the first two seasons). Every step is linear in the window's values, so the
    forecast is a fixed linear filter: the recursion is run on the window's unit vectors.
    Its weights sum to one, so it is exact on a constant series (and, with a trend, on a
    straight line), and it stays right under any affine scaling of X.
    """
    m = season_length
    seasonal = gamma is not None and m is not None and m >= 2 and timesteps > m
    basis = np.eye(timesteps)  # basis[t]: step t's value in each unit-vector window
    trend = np.zeros(timesteps)
    if seasonal:
        first = basis[:m].mean(axis=0)
        if beta is not None and timesteps >= 2 * m:
            trend = (basis[m : 2 * m].mean(axis=0) - first) / m
        level = first + trend * (m - 1) / 2
        seasons = [basis[k] - first - trend * (k - (m - 1) / 2) for k in range(m)]
    else:
        level = basis[0]
    for t in range(m if seasonal else 1, timesteps):
        season = seasons[t % m] if seasonal else 0.0
        new_level = alpha * (basis[t] - season) + (1 - alpha) * (level + trend)
        if seasonal:
            seasons[t % m] = gamma * (basis[t] - level - trend) + (1 - gamma) * season
        if beta is not None:
            trend = beta * (new_level - level) + (1 - beta) * trend
        level = new_level
    columns = []
    for h in np.atleast_1d(lags):
        forecast = level + h * trend
        columns.append(forecast + seasons[(timesteps - 1 + h) % m] if seasonal else forecast)
    return np.stack(columns, axis=1)


def smoothing_map(X, y, feature, season_length, *, x_mean, x_scale, y_mean, y_scale,
                  n_covariates=0, per_window=None, sample_weight=None):
    """The ``"exponential_smoothing"`` anchor in standardised units: a kernel over
    :func:`flat_design` holding the Holt-Winters filter (:func:`smoothing_weights`) of
    `feature`, mapped to y's units exactly (:func:`next_value_map`), and a bias. Its
    parameters are those of :data:`SMOOTHING_GRID` whose forecasts of the training rows have
    the lowest weighted squared error: nothing but those few numbers is fitted, as AutoETS
    chooses its smoothing parameters by their one-step errors. None when y is not a later
    value of `feature`."""
    timesteps, n_windowed = X.shape[1], X.shape[2] - n_covariates
    unit_map = next_value_map(X[:, -1, feature], y, return_lags=True)
    if unit_map is None:
        return None
    slope, intercept, lags = unit_map
    # a season only where the window holds more than one (smoothing_weights' condition)
    gammas = (SMOOTHING_GRID["gamma"] if season_length is not None and timesteps > season_length
              else (None,))
    settings = [(a, b, g) for a in SMOOTHING_GRID["alpha"] for b in SMOOTHING_GRID["beta"]
                for g in gammas]
    scale, bias = _filter_units(slope, intercept, feature, y.shape[1], per_window, x_mean,
                                x_scale, y_mean, y_scale)
    kernels = np.zeros((len(settings), timesteps * n_windowed + n_covariates, y.shape[1]))
    for k, (alpha, beta, gamma) in enumerate(settings):
        kernels[k, np.arange(timesteps) * n_windowed + feature] = scale * smoothing_weights(
            timesteps, lags, alpha, beta, gamma, season_length)
    errors = np.zeros(len(settings))
    for rows, target, weight in _chunks(X, y, x_mean, x_scale, y_mean, y_scale, n_covariates,
                                        per_window, sample_weight):
        forecasts = np.einsum("nw,kwo->kno", flat_design(rows, n_covariates), kernels) + bias
        errors += np.sum(weight * (forecasts - target) ** 2, axis=(1, 2))
    return kernels[int(np.argmin(errors))], bias


def validation_error(name, coefficients, X, y, feature, *, x_mean, x_scale, y_mean, y_scale,
                     n_covariates=0, per_window=None, sample_weight=None):
    """Weighted mean squared error of an anchor on rows it was not fitted on, in the units it
    forecasts (standardised y; with `per_window`, those of each window's normalised
    `feature`)."""
    kernel, bias = coefficients
    squared, total = 0.0, 0.0
    for rows, target, weight in _chunks(X, y, x_mean, x_scale, y_mean, y_scale, n_covariates,
                                        per_window, sample_weight):  # never copied whole
        if name == "last":
            prediction = rows[:, -1, feature : feature + 1] * kernel + bias
        else:
            prediction = flat_design(rows, n_covariates) @ kernel + bias
        squared += float(np.sum(weight * (prediction - target) ** 2))
        total += float(np.sum(weight)) * y.shape[1]
    return squared / total


# The forecasts a ridge regression may be shrunk toward, each one the anchor of that name.
PRIORS = ("last", "exponential_smoothing", "seasonal", "seasonal_difference")
SEASONAL_ANCHORS = ("seasonal", "seasonal_difference")


def _prior(name, X, y, feature, season_length, n_covariates, per_window, sample_weight,
           stats):
    """The anchor `name` of :data:`PRIORS` as a kernel over the flat window and a bias."""
    if name == "exponential_smoothing":
        return smoothing_map(X, y, feature, season_length, n_covariates=n_covariates,
                             per_window=per_window, sample_weight=sample_weight, **stats)
    if name != "last":
        if season_length is None:
            return None
        return seasonal_naive_map(X, y, feature, season_length, n_covariates=n_covariates,
                                  per_window=per_window,
                                  difference=name == "seasonal_difference", **stats)
    if per_window is not None:
        last = np.ones(y.shape[1]), np.zeros(y.shape[1])
    else:
        last = last_value_map(X[:, -1, feature], y, feature, sample_weight=sample_weight,
                              **stats)
    n_windowed = X.shape[2] - n_covariates
    kernel = np.zeros((X.shape[1] * n_windowed + n_covariates, y.shape[1]))
    kernel[(X.shape[1] - 1) * n_windowed + feature] = last[0]  # the feature's last value
    return kernel, last[1]


def fit_anchor(name, X, y, feature, season_length=None, n_covariates=0, per_window=None,
               return_error=False, sample_weight=None, priors=None, **stats):
    """Kernel and bias of the anchor `name` ("linear", "last", :data:`HISTORY_LINEAR` or one
    of :data:`SEASONAL_ANCHORS`), in standardised units (with `per_window`, in those of each
    window's normalised `feature`, where "last" is the window's last value itself). "linear"
    is shrunk toward whichever of `priors` (by default :data:`PRIORS`, those that can be
    fitted: the seasonal ones need `season_length`) gives the lowest leave-one-out error.
    With `return_error`, also its mean squared error on rows it did not see:
    leave-one-out for the ridge regressions; for the others, which fit nothing but the exact
    map between units, their error on the training rows. Sample weights weigh every sum.
    None where a seasonal anchor cannot be fitted (see :func:`seasonal_naive_map`)."""
    if name == HISTORY_LINEAR:
        return _history_linear(X, y, feature, season_length, n_covariates, per_window,
                               return_error, sample_weight, priors, stats)
    part = dict(n_covariates=n_covariates, per_window=per_window, sample_weight=sample_weight)
    fixed = (feature, season_length, n_covariates, per_window, sample_weight, stats)
    if name in ("last", "exponential_smoothing", *SEASONAL_ANCHORS):
        prior = _prior(name, X, y, *fixed)
        if prior is None:
            return None
        if name == "last":  # kept as a slope on the last value (the builder's LastValue)
            column = (X.shape[1] - 1) * (X.shape[2] - n_covariates) + feature
            prior = prior[0][column], prior[1]
        if not return_error:
            return prior
        return (*prior, validation_error(name, prior, X, y, feature, **part, **stats))
    best = None
    for prior in (_prior(p, X, y, *fixed) for p in priors or PRIORS):
        if prior is None:
            continue
        fit = ridge_on_windows(X, y, prior=prior, return_error=True, **part, **stats)
        if best is None or fit[2] < best[2]:
            best = fit
    if best is None:
        return None
    return best if return_error else best[:2]


# The linear anchor on the windowed history alone, the covariates left out: a candidate of
# "auto" beside "linear" where there are covariates, which cost as much as they help on short
# series (a season's one-hot columns add a coefficient per step of the season).
HISTORY_LINEAR = "linear_without_covariates"


def _history_linear(X, y, feature, season_length, n_covariates, per_window, return_error,
                    sample_weight, priors, stats):
    """The ``"linear"`` anchor fitted on the windowed features alone, its kernel given zeros
    on the covariates."""
    n_windowed = X.shape[2] - n_covariates
    windowed = dict(stats, x_mean=stats["x_mean"][:n_windowed],
                    x_scale=stats["x_scale"][:n_windowed])
    fit = fit_anchor("linear", X[:, :, :n_windowed], y, feature, season_length=season_length,
                     per_window=per_window, return_error=return_error,
                     sample_weight=sample_weight, priors=priors, **windowed)
    if fit is None:
        return None
    kernel = np.vstack([fit[0], np.zeros((n_covariates, fit[0].shape[1]))])
    return (kernel, *fit[1:])


def rolling_origin_errors(X, y, feature, *, candidates, n_blocks=3, fraction=0.3,
                          season_length=None, n_covariates=0, per_window=None,
                          sample_weight=None, **stats):
    """How well each of `candidates` forecasts the end of the training rows, by rolling
    origins: a dict of weighted mean squared errors (standardised units), or None with too
    few rows to tell.

    The last `fraction` of the rows (of positive weight) is cut into `n_blocks` successive
    blocks; for each, every candidate is refitted (in closed form, so cheaply) on the rows
    before it and scored on it. Summed over the blocks, this is a far less noisy measure than
    one validation span. A seasonal candidate that cannot be fitted on the rows before a block
    (too few of them) gets an infinite error.
    """
    counted = np.arange(len(X)) if sample_weight is None else np.flatnonzero(sample_weight > 0)
    n = len(counted)
    cuts = np.linspace(n - int(fraction * n), n, n_blocks + 1).astype(int)
    if cuts[0] < 5 or np.any(np.diff(cuts) < 1):
        return None
    edges = np.append(counted, len(X))[cuts]  # row positions of the blocks' first rows
    weights = _weights_or_ones(sample_weight, len(X))
    errors = dict.fromkeys(candidates, 0.0)
    part = dict(n_covariates=n_covariates, per_window=per_window, **stats)
    total = 0.0
    for start, stop in zip(edges[:-1], edges[1:], strict=True):
        block_weight = float(np.sum(weights[start:stop]))
        total += block_weight
        for name in errors:
            coefficients = fit_anchor(name, X[:start], y[:start], feature,
                                      season_length=season_length,
                                      sample_weight=None if sample_weight is None
                                      else sample_weight[:start], **part)
            if coefficients is None:
                errors[name] = np.inf
                continue
            errors[name] += validation_error(
                name, coefficients, X[start:stop], y[start:stop], feature,
                sample_weight=None if sample_weight is None else sample_weight[start:stop],
                **part) * block_weight
    return {name: error / total for name, error in errors.items()}


def combination_weights(errors, floor=0.01):
    """The weight of each candidate in the ``"auto"`` anchor, from its rolling-origin errors
    (:func:`rolling_origin_errors`; None: persistence alone, which has nothing to overfit).

    A combination of forecasts weighted by their inverse mean squared errors (Bates and
    Granger, 1969) is steadier than the one that happened to score best on a few blocks; the
    inverse *squared* errors used here give a clear winner nearly all the weight. Weights under
    `floor` are dropped and the others normalised again.
    """
    if errors is None:
        return {"last": 1.0}
    finite = {name: error for name, error in errors.items() if np.isfinite(error)}
    best = min(finite, key=finite.get)
    if not finite[best] > 0:
        return {best: 1.0}
    raw = {name: (finite[best] / error) ** 2 for name, error in finite.items()}
    kept = {name: w for name, w in raw.items() if w / sum(raw.values()) >= floor}
    return {name: w / sum(kept.values()) for name, w in kept.items()}


def as_kernel(name, coefficients, width, last_row):
    """An anchor's kernel over :func:`flat_design`, `width` rows (``"last"`` keeps only a
    slope, on row `last_row`: the feature's last value)."""
    kernel, bias = coefficients
    if name != "last":
        return kernel
    full = np.zeros((width, len(bias)))
    full[last_row] = kernel
    return full
