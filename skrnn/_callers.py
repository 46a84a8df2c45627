"""Which meta-estimator is resampling the rows: the window rule's view of its callers.

A series refused for a gap, a reversed order or duplicated dates is most often not the user's
data but a tool between the user and skrnn that resamples rows: a halving search fits on a
random subset, ``learning_curve`` on a prefix, ``KFold`` on the rows around a fold, a bagging
ensemble on a bootstrap sample. The fix is then to change the tool, not the data, so the
message names it. Without dates such a tool cannot be seen in the rows at all; when it is on
the call stack, :class:`~skrnn.WindowTransformer` refuses instead of guessing. A tool that runs
the fit in another process (``n_jobs=2``) is not on the stack: it gets the generic advice, and
without dates the warning of a fit without them.
"""

import sys

import numpy as np

_GENERIC = (
    "If a tool between you and the WindowTransformer chose these rows, it resampled the "
    "series: KFold, ShuffleSplit, TimeSeriesSplit(gap > 0), halving searches, learning_curve, "
    "bagging and bootstraps cannot cut windows from a series; use TimeSeriesSplit (gap=0) "
    "and GridSearchCV or RandomizedSearchCV."
)

# (module, function or None for any) -> advice; the innermost frame that matches wins.
_RESAMPLERS = {
    ("sklearn.model_selection._search_successive_halving", None): (
        "HalvingGridSearchCV / HalvingRandomSearchCV with resource='n_samples' (their default) "
        "fit each candidate on a random subset of its training fold, which is no longer a "
        "series. Make a hyperparameter the resource instead (in the README's pipeline, for "
        "instance resource='regressor__model__epochs' with max_resources), or use "
        "GridSearchCV / RandomizedSearchCV."),
    ("sklearn.model_selection._validation", "learning_curve"): (
        "learning_curve trains on the first rows of each training fold and tests on the "
        "fold's test rows, which do not follow them. For a learning curve of a series, run "
        "cross_validate with TimeSeriesSplit(max_train_size=m) for each training size m: "
        "each fold then trains on the m rows just before its test rows."),
    ("sklearn.model_selection._validation", "cross_val_predict"): (
        "cross_val_predict (which StackingRegressor uses) needs test folds that partition "
        "the rows, so each model is fitted on the rows around its fold (KFold). Fit the "
        "models on the past, wrap them in sklearn.frozen.FrozenEstimator, and give X its "
        "dates: each fold then only predicts rows of the fitted series, whose windows are "
        "known."),
    ("sklearn.ensemble._bagging", None): (
        "BaggingRegressor fits each estimator on rows drawn at random (a bootstrap sample), "
        "which is not a series. For an ensemble of networks use n_networks=K (one model, K "
        "seeds), or VotingRegressor over networks fitted on the whole series."),
    ("mapie", None): (
        "MAPIE resamples or refits on folds of the rows here (bootstrap blocks, K folds), "
        "which are not series. Use SplitConformalRegressor(prefit=True) on a model fitted on "
        "the past and calibrate on the dated rows that directly follow it, or skrnn's "
        "ConformalIntervalRegressor / AdaptiveConformalRegressor, which calibrate on "
        "TimeSeriesSplit folds."),
}

# Checks that only ask whether a fitted estimator predicts at all, and discard the answer.
_PROBES = {("mapie.utils", "check_sklearn_user_model_is_fitted"): True}


def _on_stack(wanted):
    """The value in `wanted` of the innermost frame on the call stack that matches one of its
    keys, else None."""
    frame = sys._getframe(1)
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        for (known_module, function), value in wanted.items():
            in_module = module == known_module or module.startswith(known_module + ".")
            if in_module and function in (None, frame.f_code.co_name):
                return value
        frame = frame.f_back
    return None


# Resamplers that fit outside scikit-learn's cross-validation loop, whose splits
# cross_validation_split cannot read: without dates, their rows cannot be checked at all.
_UNREADABLE = ("sklearn.ensemble._bagging", "mapie")


def known_resampler():
    """Advice naming a meta-estimator on the call stack that resamples rows where neither the
    dates nor :func:`cross_validation_split` can check them, or None."""
    return _on_stack({key: hint for key, hint in _RESAMPLERS.items() if key[0] in _UNREADABLE})


def resampling_hint():
    """Advice naming the meta-estimator on the call stack that resamples rows, if one is
    known, else the generic advice."""
    return _on_stack(_RESAMPLERS) or _GENERIC


_SPLITTERS = {("sklearn.model_selection._validation", "_fit_and_score"): True,
              ("sklearn.model_selection._validation", "_fit_and_predict"): True}


def cross_validation_split():
    """``(train, test)`` row positions of the scikit-learn cross-validation split being fitted
    (the innermost ``_fit_and_score`` or ``_fit_and_predict`` on the call stack, in this
    process or a joblib worker), else None. They say which rows a meta-estimator chose, with
    or without dates; private to scikit-learn, so read defensively."""
    frame = sys._getframe(1)
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if (module, frame.f_code.co_name) in _SPLITTERS:
            train, test = frame.f_locals.get("train"), frame.f_locals.get("test")
            try:
                return np.asarray(train, dtype=int), np.asarray(test, dtype=int)
            except (TypeError, ValueError):
                return None
        frame = frame.f_back
    return None


def check_split(split, *, dated):
    """Refuse a cross-validation split whose training rows are not one span of the series, or
    whose test rows neither follow them directly nor (with dates, which place any fitted row)
    lie inside them: their windows would be wrong or refused later, as NaN scores."""
    train, test = split
    where = resampling_hint()
    if len(train) > 1 and np.any(np.diff(train) != 1):
        k = int(np.argmax(np.diff(train) != 1))
        raise ValueError(
            f"The training rows of this cross-validation split are not one span of the series "
            f"(rows {train[0]}..{train[k]}, then {train[k + 1]}..): windows would join rows "
            f"that are not consecutive. {where}"
        )
    if not len(test) or not len(train):
        return
    follows = test[0] == train[-1] + 1 and np.all(np.diff(test) == 1)
    inside = np.all((test >= train[0]) & (test <= train[-1]))
    if follows or (inside and (dated or np.array_equal(test, train))):
        return
    how = (f"start {test[0] - train[-1] - 1} row(s) after the training rows end"
           if test[0] > train[-1] else "are not the rows right after the training rows")
    raise ValueError(
        f"The test rows of this cross-validation split {how}: the rows in between are "
        f"missing (a gap), and the test rows' windows need them. {where}"
    )


def fitted_probe():
    """Whether the call comes from a check that only asks whether the estimator predicts at
    all (MAPIE probes a prefit model with one row of zeros, without dates, and discards the
    answer): such a call is answered by position instead of refused."""
    return _on_stack(_PROBES) is not None
