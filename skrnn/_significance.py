"""Is a difference in RMSE real? Intervals and tests for comparing forecasts and CV scores.

Three questions, one module:

* how uncertain is each model's RMSE (and MAE) on a test span: a studentized interval from a
  circular block bootstrap of the errors (Politis & Romano, 1992; Goetze & Kuensch, 1996),
  the block length chosen by the rule of Politis & White (2004, corrected by Patton, Politis &
  White, 2009);
* is one forecast more accurate than another on the same span: the Diebold-Mariano test
  (Diebold & Mariano, 1995) with the small-sample correction of Harvey, Leybourne & Newbold
  (1997), Holm-adjusted (Holm, 1979) across the pairs;
* which candidates of a cross-validated search are not significantly worse than the best:
  the corrected resampled t-test of Nadeau & Bengio (2003) on the per-fold scores.

References
----------
Diebold, F. X. (2015). Comparing predictive accuracy, twenty years later: a personal
perspective on the use and abuse of Diebold-Mariano tests. Journal of Business & Economic
Statistics 33(1), 1-9.
Diebold, F. X. and Mariano, R. S. (1995). Comparing predictive accuracy. Journal of Business &
Economic Statistics 13(3), 253-263.
Goetze, F. and Kuensch, H. R. (1996). Second-order correctness of the blockwise bootstrap for
stationary observations. The Annals of Statistics 24(5), 1914-1933.
Harvey, D., Leybourne, S. and Newbold, P. (1997). Testing the equality of prediction mean
squared errors. International Journal of Forecasting 13(2), 281-291.
Holm, S. (1979). A simple sequentially rejective multiple test procedure. Scandinavian Journal
of Statistics 6(2), 65-70.
Nadeau, C. and Bengio, Y. (2003). Inference for the generalization error. Machine Learning
52(3), 239-281.
Patton, A., Politis, D. N. and White, H. (2009). Correction to "Automatic block-length selection
for the dependent bootstrap". Econometric Reviews 28(4), 372-375.
Politis, D. N. and Romano, J. P. (1992). A circular block-resampling procedure for stationary
data. In Exploring the Limits of Bootstrap, Wiley, 263-270.
Politis, D. N. and White, H. (2004). Automatic block-length selection for the dependent
bootstrap. Econometric Reviews 23(1), 53-70.
"""

import re
from collections.abc import Mapping
from itertools import combinations
from numbers import Integral, Real

import numpy as np
import pandas as pd

from ._statistics import (
    bootstrap_intervals,
    diebold_mariano,
    holm,
    politis_white_block_length,
)

LOSSES = {"squared": "squared-error", "absolute": "absolute-error"}
_SPLIT = re.compile(r"^split(\d+)_test_(.+)$")


# --- validation -------------------------------------------------------------------------------

def _as_vector(values, name):
    """A 1-D float array (an (n, 1) column is accepted) and its pandas index, if any."""
    index = values.index if isinstance(values, (pd.Series, pd.DataFrame)) else None
    array = np.asarray(values)
    if array.dtype.kind == "O":
        try:
            array = array.astype(float)
        except (TypeError, ValueError):
            raise TypeError(f"{name} must be numeric; it holds non-numbers such as "
                            f"{array.ravel()[0]!r}.") from None
    if array.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be numeric, got dtype {array.dtype}.")
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    if array.ndim != 1:
        raise ValueError(f"{name} must be 1-D (one value per row), got shape {array.shape}; "
                         "for several horizons use compare_backtests.")
    array = array.astype(float)
    if not np.isfinite(array).all():
        what = "NaN" if np.isnan(array).any() else "infinity"
        raise ValueError(f"{name} contains {what} at row(s) "
                         f"{np.flatnonzero(~np.isfinite(array))[:5].tolist()}; drop those rows "
                         "from y_true and from every forecast alike.")
    return array, index


def _check_int(value, name, minimum):
    if not isinstance(value, Integral) or isinstance(value, bool) or value < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}, got {value!r}.")
    return int(value)


def _check_options(loss, confidence, n_resamples, block_length):
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {sorted(LOSSES)}, got {loss!r}.")
    if not isinstance(confidence, Real) or not 0 < confidence < 1:
        raise ValueError(f"confidence must be a number in (0, 1), e.g. 0.95; got {confidence!r}.")
    _check_int(n_resamples, "n_resamples", 1)
    if block_length is not None:
        _check_int(block_length, "block_length", 1)


def _aligned_forecasts(y_true, predictions):
    """y_true and every forecast as float arrays of one length, checked against each other."""
    truth, truth_index = _as_vector(y_true, "y_true")
    if isinstance(predictions, pd.DataFrame):
        predictions = {name: predictions[name] for name in predictions.columns}
    if not isinstance(predictions, Mapping):
        raise TypeError("predictions must be a dict of model name -> forecasts (or a DataFrame "
                        f"with one column per model), got {type(predictions).__name__}.")
    if len(predictions) < 2:
        raise ValueError(f"compare_forecasts needs at least two forecasts to compare, got "
                         f"{len(predictions)} ({list(predictions)}); add a baseline such as "
                         "the forecasts of PersistenceRegressor.")
    forecasts, reference = {}, ("y_true", truth_index)  # the first index seen pairs the rows
    for name, values in predictions.items():
        forecast, index = _as_vector(values, f"predictions[{name!r}]")
        if len(forecast) != len(truth):
            raise ValueError(f"predictions[{name!r}] has {len(forecast)} values but y_true has "
                             f"{len(truth)}; forecasts and truths must be of the same rows.")
        if index is not None and reference[1] is None:
            reference = (f"predictions[{name!r}]", index)
        elif index is not None and not index.equals(reference[1]):
            raise ValueError(f"predictions[{name!r}] has another index than {reference[0]} "
                             "(rows are not the same dates or not in the same order); reindex "
                             "them alike, or pass plain arrays to pair them by position.")
        forecasts[name] = forecast
    return truth, forecasts


# --- compare_forecasts ------------------------------------------------------------------------

class ForecastComparison:
    """What :func:`compare_forecasts` and :func:`compare_backtests` found: two tidy frames.

    Parameters
    ----------
    models : pandas.DataFrame
        One row per horizon and model: ``horizon``, ``model``, ``n`` (rows), ``rmse``,
        ``rmse_low``, ``rmse_high``, ``mae``, ``mae_low``, ``mae_high`` (each with its
        bootstrap interval), ``block_length``, ``p_vs_best`` and, with a baseline,
        ``p_vs_baseline`` (Holm-adjusted Diebold-Mariano p-values; missing on the row of the
        model compared with).

    pairs : pandas.DataFrame
        One row per horizon and pair of models: ``horizon``, ``model``, ``other``,
        ``loss_difference`` (mean loss of `model` minus that of `other`: negative when `model`
        is more accurate), ``statistic`` (HLN-corrected Diebold-Mariano), ``p_value``
        (two-sided), ``p_holm`` (Holm-adjusted across the pairs of the horizon) and ``variance``
        (``"truncated"``, or ``"bartlett"`` where the truncated long-run variance was not
        positive).

    method : dict of str to str
        How each column was computed, in words (also in both frames' ``attrs``).

    See Also
    --------
    compare_forecasts : Build it from forecasts and truths.
    compare_backtests : Build it from :func:`skrnn.backtest` frames.

    Examples
    --------
    >>> import numpy as np
    >>> from skrnn import compare_forecasts
    >>> rng = np.random.default_rng(0)
    >>> y = rng.normal(size=200)
    >>> result = compare_forecasts(y, {"good": y + rng.normal(scale=0.5, size=200),
    ...                                "bad": y + rng.normal(scale=1.0, size=200)},
    ...                            random_state=0)
    >>> result.best()
    'good'
    >>> result.indistinguishable_from_best()
    []
    """

    def __init__(self, models, pairs, method):
        self.models, self.pairs, self.method = models, pairs, method

    def _horizon(self, horizon):
        horizons = sorted(self.models["horizon"].unique())
        if horizon is None:
            if len(horizons) > 1:
                raise ValueError(f"the comparison has horizons {horizons}; pass horizon=.")
            return horizons[0]
        if horizon not in horizons:
            raise ValueError(f"horizon={horizon!r} is not in the comparison; it has {horizons}.")
        return horizon

    def _loss_column(self):
        return "rmse" if self.method["loss"] == "squared" else "mae"

    def best(self, horizon=None):
        """Name of the model of lowest RMSE (MAE with ``loss="absolute"``) at `horizon`."""
        rows = self.models[self.models["horizon"] == self._horizon(horizon)]
        return rows.loc[rows[self._loss_column()].idxmin(), "model"]

    def indistinguishable_from_best(self, alpha=0.05, horizon=None):
        """Models whose Holm-adjusted p-value against the best is at least `alpha`."""
        rows = self.models[self.models["horizon"] == self._horizon(horizon)]
        return list(rows.loc[rows["p_vs_best"] >= alpha, "model"])

    def summary(self, alpha=0.05):
        """In words, per horizon: the best model and which models are indistinguishable from
        it at level `alpha`."""
        sentences = []
        level = f"{100 * alpha:g} %"
        n_pairs = int(self.pairs.groupby("horizon").size().iloc[0])
        how = (f"Diebold-Mariano tests with the Harvey-Leybourne-Newbold correction, "
               f"Holm-adjusted across the {n_pairs} pair{'s' if n_pairs > 1 else ''}")
        horizons = sorted(self.models["horizon"].unique())
        for horizon in horizons:
            best = self.best(horizon)
            rows = self.models[self.models["horizon"] == horizon]
            loss = dict(zip(rows["model"], rows[self._loss_column()], strict=True))
            same = self.indistinguishable_from_best(alpha, horizon)
            # Models of exactly the best's loss (networks that all kept one anchor, say)
            # share the first place: naming one of them "the lowest" would be arbitrary.
            tied = [m for m in same if loss[m] == loss[best]]
            same = [m for m in same if m not in tied]
            others = [m for m in rows["model"] if m != best and m not in same + tied]
            leaders, them = _join([best, *tied]), "them" if tied else "it"
            text = (f"{leaders} {'share' if tied else 'has'} the lowest "
                    f"{self._loss_column().upper()}")
            if same and not others:
                text += f", but {_join(same)} {_are(same)} indistinguishable from {them}"
            elif same:
                text += (f"; {_join(same)} {_are(same)} indistinguishable from {them} and "
                         f"{_join(others)} {_are(others)} significantly worse")
            else:
                text += " and every other model is significantly worse"
            prefix = f"Horizon {horizon}: " if len(horizons) > 1 else ""
            sentences.append(f"{prefix}{text} at the {level} level ({how}).")
        return " ".join(sentences)

    def to_string(self, float_format="{:.4f}".format):
        """Both tables and the method, as text."""
        lines = ["Models:", self.models.to_string(index=False, float_format=float_format),
                 "", "Pairs:", self.pairs.to_string(index=False, float_format=float_format),
                 ""]
        lines += [f"{key}: {text}" for key, text in self.method.items() if key != "loss"]
        return "\n".join(lines)

    def __repr__(self):
        return self.to_string()


def _join(names):
    names = [str(n) for n in names]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _are(names):
    return "is" if len(names) == 1 else "are"


def _compare_one_horizon(truth, forecasts, *, horizon, loss, baseline, confidence,
                         block_length, n_resamples, rng):
    names = list(forecasts)
    errors = np.stack([forecasts[name] - truth for name in names])
    squared, absolute = errors**2, np.abs(errors)
    n = len(truth)
    if n < max(3, 2 * horizon):
        raise ValueError(f"{n} rows are too few to compare {horizon}-step forecasts; at least "
                         f"{max(3, 2 * horizon)} are needed.")
    if block_length is None:
        block_length = max(politis_white_block_length(series)
                           for series in np.concatenate([squared, absolute]))
    elif block_length > n:
        raise ValueError(f"y_true has {n} rows, fewer than one block of block_length="
                         f"{block_length}; use a block_length of at most {n} (None chooses "
                         "one from the data).")
    low, high = bootstrap_intervals(np.concatenate([squared, absolute]), block_length,
                                     n_resamples, confidence, rng)
    k = len(names)
    rmse_low, rmse_high, mae_low, mae_high = np.sqrt(low[:k]), np.sqrt(high[:k]), low[k:], high[k:]
    losses = squared if loss == "squared" else absolute
    pair_index = list(combinations(range(len(names)), 2))
    d = np.stack([losses[i] - losses[j] for i, j in pair_index])
    statistic, p_value, kernel = diebold_mariano(d, horizon)
    p_holm = holm(p_value)
    pairs = pd.DataFrame({
        "horizon": horizon,
        "model": [names[i] for i, _ in pair_index],
        "other": [names[j] for _, j in pair_index],
        "loss_difference": d.mean(axis=1),
        "statistic": statistic,
        "p_value": p_value,
        "p_holm": p_holm,
        "variance": kernel,
    })
    models = pd.DataFrame({
        "horizon": horizon,
        "model": names,
        "n": n,
        "rmse": np.sqrt(squared.mean(axis=1)),
        "rmse_low": rmse_low,
        "rmse_high": rmse_high,
        "mae": absolute.mean(axis=1),
        "mae_low": mae_low,
        "mae_high": mae_high,
        "block_length": block_length,
    })

    def p_against(reference):
        held = {frozenset((names[i], names[j])): p for (i, j), p in zip(pair_index, p_holm,
                                                                        strict=True)}
        return [np.nan if name == reference else held[frozenset((name, reference))]
                for name in names]

    best = names[int(np.argmin(losses.mean(axis=1)))]
    models["p_vs_best"] = p_against(best)
    if baseline is not None:
        models["p_vs_baseline"] = p_against(baseline)
    return models, pairs


def _method(loss, confidence, n_resamples, block_length, baseline, horizons):
    lags = ", ".join(f"{h - 1} at horizon {h}" for h in horizons)
    method = {
        "loss": loss,
        "interval": (f"{100 * confidence:g} % studentized intervals of MSE and MAE (RMSE: "
                     f"the square root of MSE's) from {n_resamples} circular block-bootstrap "
                     "resamples of the errors (Politis & Romano 1992; Goetze & Kuensch 1996), "
                     "the same resampled times for every model; block length "
                     + ("the largest Politis-White (2004, corrected 2009) length among the "
                        "models' squared and absolute errors" if block_length is None
                        else f"{block_length}, as given") + " (column block_length)"),
        "test": (f"Diebold-Mariano (1995) test of equal expected {LOSSES[loss]} loss, with "
                 "the Harvey-Leybourne-Newbold (1997) small-sample correction: long-run "
                 f"variance of the loss differential from its autocovariances up to lag h-1 "
                 f"({lags}; Newey-West's Bartlett weights where that sum is not positive), "
                 "two-sided p-values from Student's t with n-1 degrees of freedom"),
        "multiple_testing": ("Holm (1979) step-down adjustment across all pairs of models at "
                             "each horizon (p_holm); p_vs_best"
                             + (f" and p_vs_baseline ({baseline!r})" if baseline else "")
                             + " are the pairs' p_holm, so choosing the best after looking "
                             "keeps the family-wise error rate"),
    }
    return method


def compare_forecasts(y_true, predictions, *, horizon=1, loss="squared", baseline=None,
                      confidence=0.95, block_length=None, n_resamples=2000,
                      random_state=None):
    """Compare forecasts of the same rows: RMSE and MAE with intervals, and a test per pair.

    For each model: RMSE and MAE with studentized intervals from a circular block bootstrap of
    its errors (blocks keep the errors' dependence over time). For each pair of models: the
    Diebold-Mariano test of equal expected loss, with the Harvey-Leybourne-Newbold correction
    for small samples and `horizon`-step forecasts, its p-value, and the p-value adjusted by
    Holm's method across all pairs.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Truths, in time order (a Series keeps its index, which forecasts must then share).

    predictions : dict of str to array-like of shape (n_samples,), or pandas.DataFrame
        Forecasts of the same rows by each model (at least two), or one column per model.

    horizon : int, default=1
        Steps ahead of the forecasts. The errors of ``h``-step forecasts made at consecutive
        origins overlap, so the long-run variance of the loss differential sums its
        autocovariances up to lag ``h - 1``.

    loss : {"squared", "absolute"}, default="squared"
        Loss compared by the tests: squared errors (the RMSE ranking) or absolute errors (MAE).

    baseline : str, default=None
        Name of a model for the ``p_vs_baseline`` column, such as ``"persistence"``.

    confidence : float, default=0.95
        Level of the intervals.

    block_length : int, default=None
        Length of the bootstrap blocks; None chooses it from the data by the rule of Politis
        and White (the largest among the models' squared and absolute errors).

    n_resamples : int, default=2000
        Bootstrap resamples.

    random_state : int, RandomState instance or None, default=None
        Seeds the bootstrap; an int gives the same intervals at every call.

    Returns
    -------
    comparison : ForecastComparison
        ``models`` (one row per model), ``pairs`` (one row per pair) and ``method`` (how each
        column was computed); ``best()``, ``indistinguishable_from_best(alpha)`` and
        ``summary(alpha)`` read them.

    See Also
    --------
    compare_backtests : The same for :func:`skrnn.backtest` frames, horizon by horizon.
    compare_cv_results : Corrected t-tests on the fold scores of a search.

    Notes
    -----
    The interval of the mean squared error ``m`` is the studentized (bootstrap-t) interval
    ``[m - t_high se, m - t_low se]``, with ``se`` the standard error of the block bootstrap
    and ``t_low``, ``t_high`` quantiles of the resamples' own studentized means (Goetze and
    Kuensch, 1996); the RMSE interval is its square root, MAE's is built the same way on the
    absolute errors. It is meant to cover the expected RMSE of the stationary process that
    produced the errors; it under-covers when their dependence outlasts the blocks (errors
    whose volatility clusters over months, as daily price errors do, over a test span of one
    year) and somewhat in small samples. The test suite measures its coverage on simulated
    processes. The Diebold-Mariano statistic is
    ``DM = mean(d) / sqrt(V / n)`` for the loss differential ``d_t = L(e1_t) - L(e2_t)``, with
    ``V = gamma_0 + 2 * sum(gamma_k, k=1..h-1)`` (autocovariances with divisor ``n``), times
    ``sqrt((n + 1 - 2h + h(h - 1) / n) / n)``, compared with Student's t with ``n - 1``
    degrees of freedom (Harvey, Leybourne and Newbold, 1997). Two models with identical losses
    get a statistic of 0 and a p-value of 1. The test compares *forecasts*, taking the models'
    estimation as given (Diebold, 2015); it says nothing about other test spans.

    Examples
    --------
    >>> import numpy as np
    >>> from skrnn import compare_forecasts
    >>> rng = np.random.default_rng(0)
    >>> y = np.cumsum(rng.normal(size=301))  # a random walk
    >>> truth, last = y[1:], y[:-1]
    >>> forecasts = {"persistence": last, "drifting": last + 0.1,
    ...              "noisy": last + rng.normal(scale=0.5, size=300)}
    >>> result = compare_forecasts(truth, forecasts, baseline="persistence", random_state=0)
    >>> result.models[["model", "rmse", "rmse_low", "rmse_high", "p_vs_best"]].round(3)
             model   rmse  rmse_low  rmse_high  p_vs_best
    0  persistence  1.021     0.943      1.104        NaN
    1     drifting  1.029     0.951      1.116      0.164
    2        noisy  1.115     1.039      1.187      0.002
    >>> print(result.summary())  # doctest: +NORMALIZE_WHITESPACE
    persistence has the lowest RMSE; drifting is indistinguishable from it and noisy is
    significantly worse at the 5 % level (Diebold-Mariano tests with the
    Harvey-Leybourne-Newbold correction, Holm-adjusted across the 3 pairs).
    """
    horizon = _check_int(horizon, "horizon", 1)
    _check_options(loss, confidence, n_resamples, block_length)
    truth, forecasts = _aligned_forecasts(y_true, predictions)
    if baseline is not None and baseline not in forecasts:
        raise ValueError(f"baseline={baseline!r} is not among the models {list(forecasts)}.")
    from sklearn.utils import check_random_state

    models, pairs = _compare_one_horizon(
        truth, forecasts, horizon=horizon, loss=loss, baseline=baseline,
        confidence=confidence, block_length=block_length, n_resamples=n_resamples,
        rng=check_random_state(random_state))
    return _result(models, pairs, _method(loss, confidence, n_resamples, block_length,
                                          baseline, [horizon]))


def _result(models, pairs, method):
    for frame in (models, pairs):
        frame.attrs.update(method)
    return ForecastComparison(models, pairs, method)


def compare_backtests(backtests, *, loss="squared", baseline=None, confidence=0.95,
                      block_length=None, n_resamples=2000, random_state=None):
    """Compare the frames of :func:`skrnn.backtest` of several models, horizon by horizon.

    The frames must hold the same origins and horizons with the same truths (backtests of
    the same ``X``, ``y`` and ``initial``). At each horizon ``h`` the forecasts of all
    origins are compared as in :func:`compare_forecasts` with ``horizon=h``.

    Parameters
    ----------
    backtests : dict of str to pandas.DataFrame
        Model name -> the frame :func:`skrnn.backtest` returned for it (at least two).

    loss : {"squared", "absolute"}, default="squared"
        Loss compared by the tests.

    baseline : str, default=None
        Name of a model for the ``p_vs_baseline`` column.

    confidence : float, default=0.95
        Level of the intervals.

    block_length : int, default=None
        Length of the bootstrap blocks; None chooses one per horizon from the data.

    n_resamples : int, default=2000
        Bootstrap resamples.

    random_state : int, RandomState instance or None, default=None
        Seeds the bootstrap.

    Returns
    -------
    comparison : ForecastComparison
        As from :func:`compare_forecasts`, with one block of rows per horizon; the Holm
        adjustment runs across the pairs of each horizon.

    See Also
    --------
    compare_forecasts : The comparison at one horizon.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import Ridge
    >>> from sklearn.pipeline import make_pipeline
    >>> from skrnn import PersistenceRegressor, WindowTransformer, backtest, compare_backtests
    >>> from skrnn.datasets import load_msft, make_supervised
    >>> X, y = make_supervised(load_msft().iloc[-400:], "Close", horizon=2, multi_output=True)
    >>> frames = {name: backtest(make_pipeline(WindowTransformer(10), model), X, y,
    ...                          initial=200)
    ...           for name, model in [("ridge", Ridge()), ("persistence",
    ...                                                   PersistenceRegressor())]}
    >>> result = compare_backtests(frames, baseline="persistence", random_state=0)
    >>> result.models[["horizon", "model", "n"]]
       horizon        model    n
    0        1        ridge  198
    1        1  persistence  198
    2        2        ridge  198
    3        2  persistence  198
    """
    _check_options(loss, confidence, n_resamples, block_length)
    if not isinstance(backtests, Mapping) or not all(
            isinstance(frame, pd.DataFrame) for frame in backtests.values()):
        raise TypeError("backtests must be a dict of model name -> the DataFrame that "
                        "skrnn.backtest returns.")
    if len(backtests) < 2:
        raise ValueError(f"compare_backtests needs at least two backtests, got "
                         f"{len(backtests)} ({list(backtests)}).")
    if baseline is not None and baseline not in backtests:
        raise ValueError(f"baseline={baseline!r} is not among the models {list(backtests)}.")
    keyed = {}
    for name, frame in backtests.items():
        missing = {"origin", "horizon", "forecast", "truth"} - set(frame.columns)
        if missing:
            raise ValueError(f"backtests[{name!r}] lacks the columns {sorted(missing)}; pass "
                             "the frames that skrnn.backtest returns.")
        keyed[name] = frame.set_index(["horizon", "origin"]).sort_index()
        if keyed[name].index.has_duplicates:
            raise ValueError(f"backtests[{name!r}] has an (origin, horizon) twice.")
    first_name, first = next(iter(keyed.items()))
    for name, frame in keyed.items():
        if not frame.index.equals(first.index):
            raise ValueError(f"backtests[{name!r}] and backtests[{first_name!r}] have other "
                             "origins or horizons; backtest every model on the same X, y and "
                             "initial.")
        if not np.allclose(frame["truth"], first["truth"], rtol=1e-9, atol=0, equal_nan=True):
            raise ValueError(f"backtests[{name!r}] and backtests[{first_name!r}] have other "
                             "truths for the same origins; they are not backtests of one y.")
    from sklearn.utils import check_random_state

    rng = check_random_state(random_state)
    model_frames, pair_frames = [], []
    horizons = sorted(first.index.get_level_values("horizon").unique())
    for h in horizons:
        truth, _ = _as_vector(first.loc[h, "truth"], f"the truths at horizon {h}")
        forecasts = {name: _as_vector(frame.loc[h, "forecast"],
                                      f"backtests[{name!r}]'s forecasts at horizon {h}")[0]
                     for name, frame in keyed.items()}
        models, pairs = _compare_one_horizon(
            truth, forecasts, horizon=int(h), loss=loss, baseline=baseline,
            confidence=confidence, block_length=block_length, n_resamples=n_resamples,
            rng=rng)
        model_frames.append(models)
        pair_frames.append(pairs)
    return _result(pd.concat(model_frames, ignore_index=True),
                   pd.concat(pair_frames, ignore_index=True),
                   _method(loss, confidence, n_resamples, block_length, baseline,
                           [int(h) for h in horizons]))


# --- compare_cv_results -----------------------------------------------------------------------

def _label(params):
    """``"window=30, model=LSTMRegressor"``: estimators by class name, other values as given."""
    def short(value):
        if hasattr(value, "get_params"):
            return type(value).__name__
        return value if isinstance(value, str) else repr(value)

    return ", ".join(f"{key}={short(value)}" for key, value in params.items())


def _fold_scores(results, scoring):
    """(labels, params or None, scores (n_candidates, n_folds), fold sizes or None)."""
    if hasattr(results, "cv_results_"):
        if scoring is None and isinstance(getattr(results, "refit", None), str):
            scoring = results.refit
        results = results.cv_results_
    if isinstance(results, pd.DataFrame):
        results = {column: results[column].to_numpy() for column in results.columns}
    if not isinstance(results, Mapping):
        raise TypeError("results must be a fitted search (GridSearchCV, ...), its cv_results_, "
                        "or a dict of name -> cross_validate result; got "
                        f"{type(results).__name__}.")
    key = scoring or "score"
    if "params" in results:  # a search's cv_results_
        splits = {}
        for column in results:
            match = _SPLIT.match(str(column))
            if match:
                splits.setdefault(match[2], {})[int(match[1])] = column
        if key not in splits:
            raise ValueError(f"cv_results_ has no fold scores for scoring={key!r}; it has "
                             f"{sorted(splits)}. Pass scoring= one of them.")
        columns = [splits[key][i] for i in sorted(splits[key])]
        scores = np.column_stack([np.asarray(results[c], dtype=float) for c in columns])
        params = list(results["params"])
        labels = [_label(p) for p in params]
        if len(set(labels)) < len(labels):
            labels = [f"{i}: {label}" for i, label in enumerate(labels)]
        return labels, params, scores, None
    if not all(isinstance(value, Mapping) for value in results.values()):
        raise TypeError("results must be a fitted search, its cv_results_, or a dict of "
                        "name -> the dict cross_validate returns.")
    rows, sizes = [], []
    for name, result in results.items():
        if f"test_{key}" not in result:
            raise ValueError(f"results[{name!r}] has no 'test_{key}'; it has "
                             f"{sorted(k for k in result if str(k).startswith('test_'))}. "
                             "Pass scoring= the name of one of them, without 'test_'.")
        rows.append(np.asarray(result[f"test_{key}"], dtype=float))
        sizes.append(result.get("indices"))
    if len({len(row) for row in rows}) > 1:
        raise ValueError("the cross_validate results have different numbers of folds "
                         f"({[len(row) for row in rows]}); run every model on the same cv.")
    fold_sizes = None
    if all(s is not None for s in sizes):
        for name, other in zip(results, sizes, strict=True):
            if any(len(a) != len(b) or np.any(a != b) for part in ("train", "test")
                   for a, b in zip(other[part], sizes[0][part], strict=True)):
                raise ValueError(f"results[{name!r}] was scored on other folds than "
                                 f"results[{next(iter(results))!r}]; run every model on the "
                                 "same cv, so that fold scores pair up.")
        fold_sizes = ([len(a) for a in sizes[0]["train"]], [len(a) for a in sizes[0]["test"]])
    return list(results), None, np.vstack(rows), fold_sizes


def _sizes(value, name, n_folds):
    sizes = np.atleast_1d(np.asarray(value))
    if sizes.dtype.kind not in "iu" or sizes.ndim != 1 or np.any(sizes < 1) or (
            len(sizes) not in (1, n_folds)):
        raise ValueError(f"{name} must be a positive int or one positive int per fold "
                         f"({n_folds}), got {value!r}.")
    return np.broadcast_to(sizes, (n_folds,)).astype(float)


def compare_cv_results(results, *, scoring=None, n_train=None, n_test=None, alpha=0.05):
    """Find the candidates of a cross-validation that are not significantly worse than the best.

    The best candidate has the highest mean score over the folds. Each other candidate is
    compared with it on the per-fold differences of scores by the corrected resampled t-test
    of Nadeau and Bengio (2003), which widens the variance of the mean difference for the
    overlap of the training sets (as in scikit-learn's example "Statistical comparison of
    models using grid search"); one-sided p-values, Holm-adjusted across the comparisons.

    Parameters
    ----------
    results : fitted search, dict or pandas.DataFrame
        A fitted ``GridSearchCV`` / ``RandomizedSearchCV`` or its ``cv_results_``; or a dict of
        model name -> the dict :func:`sklearn.model_selection.cross_validate` returned for it,
        all on the same folds (with ``return_indices=True`` the folds are checked and their
        sizes read).

    scoring : str, default=None
        Which score, for multi-metric results; None means the search's ``refit`` metric or the
        single score. Scores are greater-is-better, as scikit-learn's scorers return them
        (``"neg_root_mean_squared_error"``).

    n_train, n_test : int or sequence of int, default=None
        Training and test rows of the folds: one int, or one per fold. ``TimeSeriesSplit``
        trains on more rows in each later fold; the correction then uses the mean of the
        folds' ratios ``n_test / n_train``. None reads them from ``cross_validate`` results
        made with ``return_indices=True``; a search does not record them:
        ``[len(train) for train, test in cv.split(X)]`` gives them.

    alpha : float, default=0.05
        Level for the ``not_worse`` column.

    Returns
    -------
    frame : pandas.DataFrame
        One row per candidate, best first, indexed by candidate (model name, or the searched
        parameters): ``rank``, ``mean_score``, ``std_score`` (across folds), ``difference``
        (mean per-fold score of the best minus this candidate's), ``statistic`` (corrected
        t), ``p_value`` (one-sided: "the best is better"), ``p_holm`` (Holm-adjusted across
        the comparisons with the best), ``not_worse`` (``p_holm >= alpha``; True for the best)
        and, for a search, ``params``. ``frame.attrs`` holds ``best``, ``ratio`` (the
        ``n_test / n_train`` used) and the method in words.

    See Also
    --------
    compare_forecasts : Tests on the errors of one test span.

    Notes
    -----
    With ``k`` folds and per-fold differences ``x`` of sample variance ``s^2``, the statistic
    is ``mean(x) / sqrt((1 / k + n_test / n_train) * s^2)``, compared with Student's t with
    ``k - 1`` degrees of freedom. The correction was derived for random splits with fixed
    sizes; for ``TimeSeriesSplit`` it is a heuristic, and the mean ratio sits between the
    first fold's (largest) and the last fold's. Choosing the best on the same folds makes
    "not significantly worse" a screening rule, not a confidence set for the best model.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import Ridge
    >>> from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
    >>> from sklearn.pipeline import Pipeline
    >>> from skrnn import PersistenceRegressor, WindowTransformer, compare_cv_results
    >>> from skrnn.datasets import load_msft, make_supervised
    >>> X, y = make_supervised(load_msft().iloc[-500:], "Close")
    >>> cv = TimeSeriesSplit(n_splits=5)
    >>> search = GridSearchCV(
    ...     Pipeline([("window", WindowTransformer()), ("model", Ridge())]),
    ...     {"window__window": [5, 20], "model": [Ridge(), PersistenceRegressor()]},
    ...     cv=cv, scoring="neg_root_mean_squared_error").fit(X, y)
    >>> sizes = [(len(train), len(test)) for train, test in cv.split(X)]
    >>> frame = compare_cv_results(search, n_train=[a for a, _ in sizes],
    ...                            n_test=[b for _, b in sizes])
    >>> len(frame), bool(frame["not_worse"].iloc[0])
    (4, True)
    """
    if not isinstance(alpha, Real) or not 0 < alpha < 1:
        raise ValueError(f"alpha must be a number in (0, 1), got {alpha!r}.")
    labels, params, scores, fold_sizes = _fold_scores(results, scoring)
    n_candidates, n_folds = scores.shape
    if n_candidates < 2:
        raise ValueError(f"compare_cv_results needs at least two candidates, got "
                         f"{n_candidates}.")
    if n_folds < 2:
        raise ValueError(f"the corrected t-test needs at least two folds, got {n_folds}.")
    failed = [label for label, row in zip(labels, scores, strict=True)
              if not np.isfinite(row).all()]
    if failed:
        raise ValueError(f"candidate(s) {failed} have NaN or infinite fold scores (failed "
                         "fits?); fix or drop them first.")
    if n_train is None and n_test is None and fold_sizes is not None:
        n_train, n_test = fold_sizes
    if n_train is None or n_test is None:
        raise ValueError("pass n_train and n_test, the training and test rows of the folds "
                         "(e.g. [len(train) for train, test in cv.split(X)]), or "
                         "cross_validate results made with return_indices=True.")
    ratio = float(np.mean(_sizes(n_test, "n_test", n_folds) / _sizes(n_train, "n_train",
                                                                      n_folds)))
    from scipy.stats import t as student

    means = scores.mean(axis=1)
    best = int(np.argmax(means))
    differences = scores[best] - scores  # per fold, >= 0 on average
    mean_difference = differences.mean(axis=1)
    variance = differences.var(axis=1, ddof=1) * (1 / n_folds + ratio)
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = np.where(np.all(differences == 0, axis=1), 0.0,
                             mean_difference / np.sqrt(variance))
    p_value = student.sf(statistic, n_folds - 1)
    others = np.arange(n_candidates) != best
    p_holm = np.full(n_candidates, np.nan)
    p_holm[others] = holm(p_value[others])
    statistic[best] = p_value[best] = np.nan
    frame = pd.DataFrame({
        "mean_score": means,
        "std_score": scores.std(axis=1),
        "difference": mean_difference,
        "statistic": statistic,
        "p_value": p_value,
        "p_holm": p_holm,
        "not_worse": ~others | (p_holm >= alpha),
    }, index=pd.Index(labels, name="candidate"))
    if params is not None:
        frame["params"] = params
    frame.insert(0, "rank", frame["mean_score"].rank(ascending=False, method="min").astype(int))
    frame = frame.sort_values(["rank"], kind="stable")
    frame.attrs.update(
        best=labels[best], alpha=alpha, ratio=ratio,
        test=(f"Nadeau-Bengio (2003) corrected resampled t-test on the {n_folds} per-fold "
              f"score differences with the best: variance times (1/{n_folds} + n_test/n_train)"
              f" with n_test/n_train = {ratio:.4g} (the mean of the folds' ratios), one-sided,"
              f" Student's t with {n_folds - 1} degrees of freedom"),
        multiple_testing=(f"Holm (1979) across the {n_candidates - 1} comparisons with the "
                          "best (p_holm)"),
    )
    return frame
