"""Rolling-origin evaluation: refit on a schedule, forecast every later row, one tidy frame."""

import re
import sys
import time
from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.base import clone

from ._compat import _num_samples, _safe_indexing
from ._forecast import _longest_window
from ._placement import frequency
from ._progress import on_terminal, progress_bar

_STEP = re.compile(r"\[t\+(\d+)\]$")


def _horizons(y, n_columns):
    """Steps ahead of each column of y: ``"Close[t+3]"`` names say it, else 1, 2, ..."""
    names = list(y.columns) if isinstance(y, pd.DataFrame) else [getattr(y, "name", None)]
    steps = [_STEP.search(str(name)) for name in names]
    if len(names) == n_columns and all(steps):
        return np.asarray([int(step[1]) for step in steps])
    return np.arange(1, n_columns + 1)


def _check_int(value, name, minimum):
    if not isinstance(value, Integral) or isinstance(value, bool) or value < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}, got {value!r}.")
    return int(value)


def _check_verbose(verbose):
    if isinstance(verbose, bool):
        return int(verbose)
    if not isinstance(verbose, Integral) or verbose not in (0, 1, 2):
        raise ValueError(f"verbose must be False/0 (silent), True/1 (a progress bar) or 2 "
                         f"(one line per fit), got {verbose!r}.")
    return int(verbose)


def _refit_every(refit, n_origins):
    if refit is True:
        return 1
    if refit is False:
        return n_origins
    return _check_int(refit, "refit", 1)


def _target_labels(index, positions):
    """Index labels at `positions`, which may run past the data: there the index's frequency
    (dates, periods, a RangeIndex) extends it, and without one the label is missing."""
    beyond = positions.max() - len(index) + 1
    if beyond <= 0:
        return index.take(positions)
    freq = frequency(index)[0] if isinstance(index, (pd.DatetimeIndex, pd.PeriodIndex)) else None
    if isinstance(index, pd.RangeIndex):
        extended = pd.RangeIndex(index.start, index.stop + beyond * index.step, index.step)
    elif freq is not None:
        make = pd.period_range if isinstance(index, pd.PeriodIndex) else pd.date_range
        extended = index.append(make(index[-1], periods=beyond + 1, freq=freq)[1:])
    else:
        return pd.Series(index).reindex(positions).to_numpy()  # missing past the data
    return extended.take(positions)


def backtest(estimator, X, y, *, initial, refit=False, window="expanding", gap=None,
             verbose=False):
    """Evaluate a forecaster from many origins, refitting on a schedule (rolling origin).

    The rows of `X` and `y` are time-ordered and aligned as :func:`make_supervised` makes
    them: row ``t`` holds what is known at ``t`` and the value(s) ``t+1 .. t+h`` to forecast.
    Every row from `initial` on is a forecast origin. A clone of `estimator` is fitted on the
    rows before an origin and forecasts it and the following origins until the next refit;
    each block of origins is one ``predict`` call on the block and the rows its windows reach
    back to, so that a pipeline with a :class:`WindowTransformer` builds every window from the
    true history.

    Parameters
    ----------
    estimator : estimator object
        A regressor or pipeline, cloned for each fit. When it has ``predict_interval`` (such
        as :class:`ConformalIntervalRegressor`), the frame also has the interval's bounds, as
        the estimator gives them from `X` alone (an :class:`AdaptiveConformalRegressor` at
        the state reached in its fit).

    X : array-like of shape (n_samples, n_features)
        Time-ordered inputs; a pandas index (e.g. dates) labels the origins.

    y : array-like of shape (n_samples,) or (n_samples, n_steps)
        Targets aligned with `X`: one column per step ahead (``"<name>[t+h]"`` column names
        state the step; otherwise columns are steps 1, 2, ...).

    initial : int
        Rows in the first training set (origins start at row `initial`).

    refit : bool or int, default=False
        False fits once and forecasts all origins with one ``predict``. True refits before
        every origin; an int ``k`` refits every ``k`` origins, so ``ceil(n_origins / k)`` fits.

    window : {"expanding", "fixed"}, default="expanding"
        Train each refit on all earlier rows, or on the last `initial` of them.

    gap : int or None, default=None
        Rows left out between training rows and the origin. A training row's target must be
        known at the origin: for targets up to ``h`` steps ahead that is ``h - 1`` rows, the
        default (0 for one-step targets).

    verbose : bool or int, default=False
        Progress on standard error, as Keras' ``verbose``: False or 0 shows nothing; True or 1
        a progress bar (fits done, elapsed time, time left) when standard error is a
        terminal, and one line per fit when it is not (a log, a notebook); 2 one line per
        fit.

    Returns
    -------
    frame : pandas.DataFrame
        One row per origin and step: ``origin`` (index label of the origin row), ``target``
        (label of the row `horizon` steps later, missing beyond the data unless the index has
        a frequency), ``horizon``, ``forecast``, ``truth``, ``fit`` (number of the fit that
        made the forecast, from 0), and ``lower`` / ``upper`` with intervals.

    See Also
    --------
    skrnn.plotting.BacktestDisplay : Plot the frame.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import Ridge
    >>> from sklearn.pipeline import make_pipeline
    >>> from skrnn import WindowTransformer, backtest
    >>> series = np.sin(np.arange(120) / 4).reshape(-1, 1)
    >>> model = make_pipeline(WindowTransformer(window=8), Ridge(alpha=1e-3))
    >>> frame = backtest(model, series[:-1], series[1:, 0], initial=80, refit=20)
    >>> frame["fit"].nunique(), len(frame)
    (2, 39)
    >>> bool(np.sqrt(np.mean((frame["forecast"] - frame["truth"]) ** 2)) < 0.05)
    True
    """
    n_samples = _num_samples(X)
    if _num_samples(y) != n_samples:
        raise ValueError(f"X has {n_samples} rows but y has {_num_samples(y)}; align them "
                         "first, for instance with make_supervised.")
    initial = _check_int(initial, "initial", 1)
    if initial >= n_samples:
        raise ValueError(f"initial={initial} leaves no origin: X has {n_samples} rows. Use "
                         "an initial training size below the number of rows.")
    if window not in ("expanding", "fixed"):
        raise ValueError(f"window must be 'expanding' or 'fixed', got {window!r}.")
    truth = np.asarray(y, dtype=float).reshape(n_samples, -1)
    horizons = _horizons(y, truth.shape[1])
    gap = int(horizons.max()) - 1 if gap is None else _check_int(gap, "gap", 0)
    if initial - gap < 1:
        raise ValueError(f"initial={initial} with gap={gap} leaves no training row; use "
                         "initial > gap.")
    verbose = _check_verbose(verbose)
    n_origins = n_samples - initial
    every = _refit_every(refit, n_origins)
    starts = list(range(initial, n_samples, every))
    forecasts, bounds = [], []
    began = time.perf_counter()
    show_bar = verbose == 1 and on_terminal()
    with progress_bar(len(starts), desc="backtest", unit="fit", show=show_bar) as bar:
        for fit_number, start in enumerate(starts):
            stop = min(start + every, n_samples)
            end = start - gap
            train = np.arange(0 if window == "expanding" else max(0, end - initial), end)
            model = clone(estimator).fit(_safe_indexing(X, train), _safe_indexing(y, train))
            # The block with the rows its first windows reach back to, and at least every
            # row after the training rows (the gap): what is passed then continues the
            # fitted rows (placed by its dates, or read as their continuation), and the
            # block's windows lie inside it, so each is exact.
            reach = (_longest_window(model) or 1) - 1
            history = _safe_indexing(
                X, np.arange(max(train[0], min(start - reach, end)), stop))
            keep = slice(-(stop - start), None)
            forecasts.append(np.asarray(model.predict(history), dtype=float)
                             .reshape(-1, truth.shape[1])[keep])
            if hasattr(model, "predict_interval"):
                bounds.append(np.asarray(model.predict_interval(history), dtype=float)
                              .reshape(-1, truth.shape[1], 2)[keep])
            bar.update(1)
            if verbose and not show_bar:
                print(f"backtest: fit {fit_number + 1}/{len(starts)}, origins "
                      f"{start}-{stop - 1}, {time.perf_counter() - began:.1f} s",
                      file=sys.stderr)
    return _tidy(X, truth, horizons, np.concatenate(forecasts),
                 np.concatenate(bounds) if bounds else None, initial, every)


def _tidy(X, truth, horizons, forecast, bounds, initial, every):
    """The long frame: one row per origin and step, ordered by origin then step."""
    n_samples, n_steps = truth.shape
    index = X.index if hasattr(X, "index") else pd.RangeIndex(n_samples)
    origins = np.arange(initial, n_samples)
    columns = {
        "origin": index[origins].repeat(n_steps),
        "target": _target_labels(index, (origins[:, None] + horizons).ravel()),
        "horizon": np.tile(horizons, len(origins)),
        "forecast": forecast.ravel(),
        "truth": truth[initial:].ravel(),
        "fit": np.repeat((origins - initial) // every, n_steps),
    }
    if bounds is not None:
        columns["lower"] = bounds[..., 0].ravel()
        columns["upper"] = bounds[..., 1].ravel()
    return pd.DataFrame({name: np.asarray(values) if name not in ("origin", "target")
                         else pd.Series(values) for name, values in columns.items()})
