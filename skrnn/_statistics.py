"""The statistics behind :mod:`skrnn._significance`, vectorised over leading axes.

The Diebold-Mariano statistic with the Harvey-Leybourne-Newbold correction, Holm's step-down
adjustment, the Politis-White block length and a studentized circular block bootstrap; the
references are in :mod:`skrnn._significance`.
"""

import math

import numpy as np


def autocovariances(x, max_lag):
    """Sample autocovariances of the last axis at lags 0..max_lag: demeaned, divided by n
    (the estimator of Diebold & Mariano and of R's ``acf``)."""
    n = x.shape[-1]
    centred = x - x.mean(axis=-1, keepdims=True)
    return np.stack([np.sum(centred[..., k:] * centred[..., :n - k], axis=-1) / n
                     for k in range(max_lag + 1)], axis=-1)


def diebold_mariano(d, horizon):
    """HLN-corrected Diebold-Mariano statistic, two-sided p-value and the variance estimator
    used, for loss differentials `d` of shape (..., n) of `horizon`-step forecasts."""
    from scipy.stats import t as student

    n = d.shape[-1]
    gamma = autocovariances(d, horizon - 1)
    variance = gamma[..., 0] + 2 * gamma[..., 1:].sum(axis=-1)  # truncated (rectangular)
    # The truncated sum can be negative for h > 1; Newey-West's Bartlett weights cannot.
    bartlett = gamma[..., 0] + 2 * (gamma[..., 1:] * (1 - np.arange(1, horizon) / horizon)
                                    ).sum(axis=-1)
    use_bartlett = variance <= 0
    variance = np.where(use_bartlett, bartlett, variance)
    mean = d.mean(axis=-1)
    correction = math.sqrt((n + 1 - 2 * horizon + horizon * (horizon - 1) / n) / n)
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = correction * mean / np.sqrt(variance / n)
    statistic = np.where(np.all(d == 0, axis=-1), 0.0, statistic)  # identical losses
    p_value = 2 * student.sf(np.abs(statistic), n - 1)
    kernel = np.where(use_bartlett & (horizon > 1), "bartlett", "truncated")
    return statistic, p_value, kernel


def holm(p_values):
    """Holm's step-down adjusted p-values (Holm, 1979), in the order given."""
    p_values = np.asarray(p_values, dtype=float)
    m = len(p_values)
    order = np.argsort(p_values, kind="stable")
    adjusted = np.minimum(1.0, np.maximum.accumulate((m - np.arange(m)) * p_values[order]))
    out = np.empty(m)
    out[order] = adjusted
    return out


def _flat_top(t):
    """The trapezoidal flat-top lag window of Politis & Romano (1995)."""
    t = np.abs(t)
    return np.where(t <= 0.5, 1.0, np.where(t <= 1, 2 * (1 - t), 0.0))


def politis_white_block_length(x):
    """Block length of the circular block bootstrap for the mean of `x` (1-D).

    The rule of Politis & White (2004) with the correction of Patton, Politis & White (2009),
    following Patton's reference code: autocorrelations are insignificant below
    ``2 * sqrt(log10(n) / n)``, ``K_N = max(5, ceil(log10(n)))`` of them in a row set the
    bandwidth, the spectral quantities use the flat-top lag window, and the result is rounded
    and kept in ``[1, ceil(min(3 sqrt(n), n / 3))]``.
    """
    x = np.asarray(x, dtype=float)
    n = len(x)
    k_n = max(5, math.ceil(math.log10(n)))
    m_max = min(math.ceil(math.sqrt(n)) + k_n, n - 1)
    b_max = math.ceil(min(3 * math.sqrt(n), n / 3))
    acov = autocovariances(x, m_max)
    if acov[0] <= 0:
        return 1  # a constant series: any block length gives the same resamples
    insignificant = np.abs(acov[1:] / acov[0]) < 2 * math.sqrt(math.log10(n) / n)
    runs = [j for j in range(m_max - k_n + 1) if insignificant[j:j + k_n].all()]
    if runs:
        m_hat = runs[0] + 1
    else:
        significant = np.flatnonzero(~insignificant)
        m_hat = int(significant[-1]) + 1 if len(significant) else 1
    big_m = min(2 * m_hat, m_max)
    lags = np.arange(-big_m, big_m + 1)
    weights = _flat_top(lags / big_m) * acov[np.abs(lags)]
    g_hat, spectrum = np.sum(np.abs(lags) * weights), np.sum(weights)
    if spectrum <= 0:
        return 1
    b = (2 * g_hat**2 / (4 / 3 * spectrum**2)) ** (1 / 3) * n ** (1 / 3)
    return int(min(b_max, max(1, round(b))))


def block_sums(cumulative, starts, lengths):
    """Sums of the circular blocks starting at `starts` (r, k) with `lengths` (k,), from the
    cumulative sums (m, n + block_length + 1) of the wrapped rows: (m, r, k)."""
    return cumulative[:, starts + lengths] - cumulative[:, starts]


def bootstrap_intervals(values, block_length, n_resamples, confidence, rng):
    """Studentized circular block-bootstrap intervals for the mean of each row of `values`.

    Resamples (Politis & Romano, 1992) join ``k = ceil(n / block_length)`` blocks with
    uniform starts, wrapping around the end, the last one cut so that n values remain; all
    rows share the resampled times. Each resample's mean is studentized by its own block
    variance, ``sum((S_i - L_i mean*)^2) / n^2`` over its blocks of sums ``S_i`` and lengths
    ``L_i``; the sample's by the variance of the block bootstrap itself, over all n circular
    blocks (Goetze & Kuensch, 1996). The interval is
    ``[mean - t*_high se, mean - t*_low se]``, its lower end kept at 0 or above (the rows
    are losses). Returns ``(low, high)``, each of shape (m,).

    A block's sum is a difference of cumulative sums, so a resample costs one operation per
    block rather than per value; resamples are drawn in chunks to bound the memory.
    """
    m, n = values.shape
    b = block_length
    k = math.ceil(n / b)
    lengths = np.r_[np.full(k - 1, b), n - (k - 1) * b]
    wrapped = np.concatenate([values, values[:, :b]], axis=1)
    cumulative = np.concatenate([np.zeros((m, 1)), np.cumsum(wrapped, axis=1)], axis=1)
    means = values.mean(axis=1)
    every_block = cumulative[:, b:n + b] - cumulative[:, :n]
    se = np.sqrt(np.mean((every_block - b * means[:, None]) ** 2, axis=1) / (b * n))
    t = np.empty((m, n_resamples))
    chunk = max(1, 1_000_000 // (m * k))
    for first in range(0, n_resamples, chunk):
        starts = rng.randint(n, size=(min(chunk, n_resamples - first), k))
        sums = block_sums(cumulative, starts, lengths)
        mean = sums.sum(axis=-1) / n
        se_star = np.sqrt(np.sum((sums - lengths * mean[..., None]) ** 2, axis=-1)) / n
        with np.errstate(divide="ignore", invalid="ignore"):
            t[:, first:first + len(starts)] = (mean - means[:, None]) / se_star
    t = np.nan_to_num(t, nan=0.0)  # a resample with no spread that equals the sample
    tail = (1 - confidence) / 2
    low_t, high_t = np.quantile(t, [tail, 1 - tail], axis=1)
    with np.errstate(invalid="ignore"):  # no spread at all: inf * 0
        low = np.where(se > 0, means - high_t * se, means)
        high = np.where(se > 0, means - low_t * se, means)
    return np.maximum(low, 0.0), high


