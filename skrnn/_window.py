"""WindowTransformer: one sliding window of past rows per row of a time-ordered series."""

import re
import warnings
from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted, validate_data

from ._callers import (
    check_split,
    cross_validation_split,
    fitted_probe,
    known_resampler,
    resampling_hint,
)
from ._compat import Interval, StrOptions, _check_feature_names_in, _fit_context
from ._placement import (
    check_consecutive,
    place_by_dates,
    place_by_order,
    standalone_series_active,
    windows_at,
)
from ._seasons import season_of_dates
from ._sequences import WindowedArray, WindowLayout, note_windows, window_feature_names
from ._time_axis import (
    POSITIONS,
    check_no_missing_dates,
    check_series_dates,
    date_label,
    dates_from_state,
    dates_to_state,
    drop_columns,
    pick_time_axis,
    refuse_numbers_named_as_dates,
    same_kind,
)
from ._versioning import VersionedPickleMixin

_KNOWN_FUTURE = re.compile(r"\[t\+\d+\]$")


class NoTimeAxisWarning(UserWarning):
    """A WindowTransformer was fitted on rows without dates, so its windows go unchecked."""


_NO_TIME_AXIS = (
    "WindowTransformer was fitted on rows without dates (a NumPy array, or a frame without a "
    "DatetimeIndex, PeriodIndex or date column), so transform cannot check where later rows "
    "stand: it reads an X equal to the fitted rows as those rows and any other X as their "
    "direct continuation. A part of the fitted span, rows after a gap, a subsample or "
    "shuffled rows then get wrong windows without an error. Keep the dates: make_supervised "
    "returns them, and in a Pipeline call set_output(transform='pandas') on the steps before "
    "the WindowTransformer. Or pass time_axis='positions' to declare that X is only ever the "
    "fitted rows or their continuation, which silences this warning."
)


def _refuse_unchecked_resampling():
    """Without dates, rows a known meta-estimator resampled would get wrong windows."""
    hint = known_resampler()
    if hint is not None:
        raise ValueError(
            "WindowTransformer got rows without dates from a meta-estimator that resamples or "
            f"reorders them: their windows cannot be checked and would be wrong. {hint}"
        )


def _split_panel(X, series_id, time_axis):
    """``(ids, X, dates)``: each row's series (None without `series_id`), X without its id and
    date columns, and each row's date (None when X has none; see :mod:`skrnn._time_axis`)."""
    index = X.index if isinstance(X, (pd.DataFrame, pd.Series)) else None
    if series_id is None:
        if isinstance(index, pd.MultiIndex):
            raise ValueError(
                f"X has a MultiIndex (levels {list(index.names)}), the shape of a panel of "
                "several series, but series_id=None reads it as one series: windows would "
                "join the rows of different series. Pass series_id='<level naming the "
                "series>', or reset the index for one series."
            )
        dates, X = pick_time_axis(X, time_axis)
        return None, X, dates
    columns = getattr(X, "columns", ())
    if isinstance(index, pd.MultiIndex) and series_id in index.names:
        ids = index.get_level_values(series_id)
        dates, X = pick_time_axis(X.droplevel(series_id), time_axis)
    elif index is not None and index.name == series_id:
        ids = index
        dates, X = pick_time_axis(X.reset_index(drop=True), time_axis)
    elif series_id in columns:
        ids = X[series_id]
        dates, X = pick_time_axis(drop_columns(X, [series_id]), time_axis)
    else:
        raise ValueError(
            f"series_id={series_id!r} names neither a column nor an index level of X "
            f"({type(X).__name__}). Pass a pandas DataFrame with a column or index level "
            "naming each row's series (a scaler before the WindowTransformer drops both "
            "unless the pipeline has set_output(transform='pandas'))."
        )
    ids = np.asarray(ids, dtype=object)
    if pd.isna(ids).any():
        raise ValueError(f"The series_id {series_id!r} of some rows of X is missing (NaN).")
    return ids, X, dates


def _rows_by_series(ids):
    """Positions of each series' rows, series in order of first appearance."""
    return pd.Series(np.arange(len(ids))).groupby(ids, sort=False).indices


class WindowTransformer(VersionedPickleMixin, TransformerMixin, BaseEstimator):
    """Turn each row of a time-ordered series into the window of rows that ends at it.

    Row ``t`` of the output holds input rows ``t - window + 1, ..., t`` flattened oldest first,
    so the number of samples never changes: ``y`` stays aligned and the transformer fits in a
    plain :class:`~sklearn.pipeline.Pipeline` in front of any regressor, recurrent or classic.
    Columns known in advance for the forecast time (`covariates`) pass through unwindowed, and
    a panel of several series (`series_id`) is windowed series by series.

    Read more in the :ref:`User Guide <window_contract>`.

    Parameters
    ----------
    window : int, default=30
        Number of consecutive rows (time steps) in each window. Must be at least 1.

    covariates : "future", list of str or int, or None, default=None
        Columns that are not windowed but passed through, after the windows, as they are in
        each row: values known at the forecast time, such as tomorrow's weekday (see
        :ref:`covariates`). skrnn's networks feed them to their output layers beside the
        encoded windows. ``"future"`` selects the columns named like ``"name[t+1]"``, as
        :func:`~skrnn.datasets.make_supervised` names them; a list names columns or gives
        their positions. None windows every column, and refuses columns named like
        ``"name[t+1]"``: pass ``[]`` to window them anyway.

    series_id : str or None, default=None
        Name of an index level or a column of `X` that says which series each row belongs
        to (a panel of many series, for one global model; see :ref:`global_models`). Each
        series is windowed on its own rows only and its fitted context kept apart; the column
        itself is not a feature. None: `X` is one series.

    time_axis : "auto", "positions" or str, default="auto"
        Where each row's date is, by which :meth:`transform` places later rows in the fitted
        series (the rule, in the Notes). ``"auto"``: X's ``DatetimeIndex`` or ``PeriodIndex``
        (a level of its MultiIndex with `series_id`), else its one column of dates (a polars
        frame, or pandas after ``reset_index()``), which is then not a feature. Without
        dates, ``fit`` warns once (:class:`NoTimeAxisWarning`) that later rows cannot be
        checked. ``"positions"``: declare that rows are read in order, with no dates: the
        transformed X is always the fitted rows or their direct continuation, and no warning
        is given. Any other string names the column or index level holding the dates. A
        column of dates is never windowed as a number: where it is not the time axis, it is
        refused.

    Attributes
    ----------
    n_features_in_ : int
        Number of features (columns) of `X` seen during ``fit``, the `series_id` column
        excluded.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``. Defined only when `X` has feature names
        that are all strings.

    covariates_ : ndarray of int
        Positions, among the features, of the columns passed through unwindowed.

    series_ : ndarray of shape (n_samples, n_windowed) or dict
        The windowed columns of the series seen during ``fit``: the history that
        :meth:`transform` gives to the rows of a part, an overlap or a continuation of it.
        With `series_id`, a dict from each series to its own.

    index_ : pandas.DatetimeIndex, pandas.PeriodIndex, None or dict
        The date index of the series seen during ``fit``, or None when it had none. With an
        index, :meth:`transform` places new rows by their dates. With `series_id`, a dict
        from each series to its own.

    See Also
    --------
    LSTMRegressor : Regressor that reads the windows as sequences.
    PersistenceRegressor : Baseline that predicts the last value of each window.

    Notes
    -----
    **The rule.** Every window :meth:`transform` returns is the true window of the fitted
    series, or the transform is refused with a ``ValueError``. Where each row of `X` stands
    in the series is told

    - *by its dates* when the fitted series had dates (see `time_axis`): each row of `X` is
      looked up by its own date. A fitted date places it there, and its values must be the
      fitted ones; dates after the fitted span must continue it step by step, so that `X` may
      be the fitted span, any of its rows in any order (the folds of ``KFold`` predictions of a
      frozen model), an overlap with its end or its continuation. Refused: a date before the
      span, a date inside it that was not fitted, a step that leaves rows out (with a regular
      index, its next step; with trading days, more weekdays skipped at once than the fitted
      span's holidays; with other irregular dates, a step longer than any inside the fitted
      span), duplicated dates, NaT, and values that differ from the fitted rows of the same
      dates. Time zones must agree in kind (aware dates in another zone are converted);
    - *by position* when neither has dates: `X` equal to the fitted series (up to float noise
      and dtype) is that series; any other `X` is its direct continuation.
      ``fit(X[:k]).transform(X[k:])`` equals ``fit_transform(X)[k:]``. A fit without dates
      therefore warns, unless ``time_axis="positions"`` declares it.

    A fit with dates and an `X` without them, or the reverse, is refused.

    With `series_id` the rule holds for each series, whose rows may be interleaved with
    others' (a long table sorted by date); the dates are the other index level, or the index
    when the id is a column. A series not seen in ``fit`` is refused.

    **Start of a series.** The first ``window - 1`` rows of a series have no full history; their
    windows are padded by repeating the first row. Every regressor trains on them, whatever
    the output container; keep ``window`` small next to the series, or leave those rows out.

    **Output.** A read-only :class:`numpy.ndarray` subclass whose rows are overlapping views of
    one padded copy of the input (no ``window``-fold copy is made for one series without
    covariates). It records the window shape and the number of covariate columns so that
    skrnn's regressors can read the columns back as ``(window, n_features)`` sequences.

    Examples
    --------
    >>> import numpy as np
    >>> from skrnn import WindowTransformer
    >>> X = np.arange(5.0).reshape(-1, 1)
    >>> WindowTransformer(window=3, time_axis="positions").fit_transform(X)
    WindowedArray([[0., 0., 0.],
                   [0., 0., 1.],
                   [0., 1., 2.],
                   [1., 2., 3.],
                   [2., 3., 4.]])
    >>> WindowTransformer(window=3, time_axis="positions").fit(X[:3]).transform(X[3:])
    WindowedArray([[1., 2., 3.],
                   [2., 3., 4.]])

    With dates, any fitted or following rows are placed by their dates, and a gap is refused:

    >>> import pandas as pd
    >>> days = pd.DataFrame({"x": X[:, 0]}, index=pd.date_range("2024-01-01", periods=5))
    >>> transformer = WindowTransformer(window=3).fit(days[:3])
    >>> transformer.transform(days.iloc[[3, 1]])
    WindowedArray([[1., 2., 3.],
                   [0., 0., 1.]])
    >>> transformer.transform(days.iloc[4:])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: X goes from 2024-01-03 to 2024-01-05: by the step of the fitted series ...

    A known-future column passes through after the windows:

    >>> frame = pd.DataFrame({"x": [1.0, 2.0, 3.0], "holiday[t+1]": [0.0, 1.0, 0.0]})
    >>> WindowTransformer(window=2, covariates="future").fit(frame).get_feature_names_out()
    array(['x[t-1]', 'x[t]', 'holiday[t+1]'], dtype=object)
    """

    _parameter_constraints = {
        "window": [Interval(Integral, 1, None, closed="left")],
        "covariates": [StrOptions({"future"}), "array-like", None],
        "series_id": [str, None],
        "time_axis": [str],
    }

    def __init__(self, window=30, *, covariates=None, series_id=None, time_axis="auto"):
        self.window = window
        self.covariates = covariates
        self.series_id = series_id
        self.time_axis = time_axis

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Remember the series `X` so that later data can be placed in it.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Time-ordered series, one row per time step (with `series_id`, a DataFrame of
            several series). Needs at least `window` rows per series.

        y : None
            Ignored.

        Returns
        -------
        self : object
            Fitted transformer.
        """
        ids, X, dates = _split_panel(X, self.series_id, self.time_axis)
        X = validate_data(self, X, dtype=(np.float64, np.float32))
        self.covariates_ = self._find_covariates()
        windowed = X[:, self._windowed_columns()]
        split = cross_validation_split() if ids is None else None
        if split is not None:
            check_split(split, dated=dates is not None)
        if dates is None:
            _refuse_unchecked_resampling()
            refuse_numbers_named_as_dates(getattr(self, "feature_names_in_", ()))
            if self.time_axis != POSITIONS:
                warnings.warn(_NO_TIME_AXIS, NoTimeAxisWarning, stacklevel=3)
        if ids is None:
            self.series_, self.index_ = self._fit_one(windowed, dates, "X")
            return self
        self.series_, self.index_ = {}, {}
        for series, rows in _rows_by_series(ids).items():
            self.series_[series], self.index_[series] = self._fit_one(
                windowed[rows], None if dates is None else dates[rows], f"Series {series!r}")
        return self

    def _fit_one(self, values, dates, name):
        if len(values) < self.window:
            raise ValueError(
                f"WindowTransformer(window={self.window}) needs at least {self.window} rows to "
                f"fit, got n_samples={len(values)}"
                f"{'' if name == 'X' else ' in ' + name}. Use a smaller window or a longer "
                "series."
            )
        if dates is not None:
            check_series_dates(dates, name)
            check_consecutive(dates, name)
        return values.copy(), dates

    def _find_covariates(self):
        """Positions of the covariate columns, checked against the fitted features."""
        names = getattr(self, "feature_names_in_", None)
        future = [] if names is None else [
            i for i, name in enumerate(names) if _KNOWN_FUTURE.search(name)]
        if self.covariates is None:
            if future:
                raise ValueError(
                    f"Columns {[names[i] for i in future]} are named as values known for the "
                    "forecast time ('name[t+h]'), but covariates=None would window them as "
                    "history. Pass covariates='future' to feed them beside the windows, or "
                    "covariates=[] to window them anyway."
                )
            return np.zeros(0, dtype=int)
        if isinstance(self.covariates, str):  # "future"
            if not future:
                raise ValueError(
                    "covariates='future' found no column named like 'name[t+1]' in X"
                    f"{'' if names is None else ' (columns: ' + str(list(names)) + ')'}. "
                    "Name the known-future columns so (make_supervised(..., known=..., "
                    "calendar=...) does), or list them."
                )
            positions = future
        else:
            positions = [self._position(column, names) for column in self.covariates]
        if len(set(positions)) < len(positions):
            raise ValueError(f"covariates={self.covariates!r} names a column twice.")
        if len(positions) >= self.n_features_in_:
            raise ValueError(
                f"covariates={self.covariates!r} leaves no column to window: keep at least one "
                "column of history."
            )
        return np.asarray(sorted(positions), dtype=int)

    def _position(self, column, names):
        if isinstance(column, str):
            if names is None:
                raise ValueError(
                    f"covariates names the column {column!r}, but X has no column names. "
                    "Pass a DataFrame, or give column positions."
                )
            if column not in list(names):
                raise ValueError(
                    f"covariates names the column {column!r}, which X does not have "
                    f"(columns: {list(names)}). Name a column of X, or give column positions."
                )
            return list(names).index(column)
        if isinstance(column, Integral) and not isinstance(column, bool):
            if not -self.n_features_in_ <= column < self.n_features_in_:
                raise ValueError(
                    f"covariates holds the position {column}, but X has {self.n_features_in_} "
                    "columns."
                )
            return int(column) % self.n_features_in_
        raise TypeError(
            f"covariates must hold column names (str) or positions (int), got {column!r}."
        )

    def _windowed_columns(self):
        return np.setdiff1d(np.arange(self.n_features_in_), self.covariates_)

    def transform(self, X):
        """Return one flattened window per row of `X`, then its covariate columns.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            The fitted series, a part of it, or rows that continue it (see the rule in the
            Notes).

        Returns
        -------
        X_windows : WindowedArray of shape (n_samples, window * n_windowed + n_covariates)
            Row ``t`` holds rows ``t - window + 1 .. t``, oldest first, all windowed features
            of a time step side by side, then the covariates of row ``t``. Same dtype as `X`
            (float32 or float64).

        Raises
        ------
        ValueError
            If `X` cannot be placed in the fitted series (see the rule in the Notes), or
            holds a series not seen in ``fit``.
        """
        check_is_fitted(self)
        ids, X, dates = _split_panel(X, self.series_id, self.time_axis)
        X = validate_data(self, X, reset=False, dtype=(np.float64, np.float32))
        windowed = X[:, self._windowed_columns()]
        if ids is None:
            windows = self._windows(self.series_, self.index_, windowed, dates,
                                    "the fitted series")
        else:
            windows = np.empty((len(X), self.window, windowed.shape[1]), dtype=X.dtype)
            for series, rows in _rows_by_series(ids).items():
                if series not in self.series_:
                    known = list(self.series_)
                    raise ValueError(
                        f"X holds rows of series {series!r}, which was not seen in fit (fitted "
                        f"series: {known[:10]}{' ...' if len(known) > 10 else ''}): it has no "
                        "history to window. Fit on a panel that includes it."
                    )
                windows[rows] = self._windows(
                    self.series_[series], self.index_[series], windowed[rows],
                    None if dates is None else dates[rows], f"the fitted series {series!r}")
        n_samples, n_windowed = windowed.shape
        flat = windows.reshape(n_samples, self.window * n_windowed)
        if len(self.covariates_):
            flat = np.hstack([flat, X[:, self.covariates_]])
        layout = WindowLayout(self.window, n_windowed, len(self.covariates_),
                              season_length=season_of_dates(self.index_))
        result = WindowedArray(flat, layout)
        note_windows(result)
        return result

    def _windows(self, fitted_values, fitted_dates, values, dates, span):
        """The windows of `values`, dated `dates`, in the fitted series (see the rule)."""
        if standalone_series_active():
            return windows_at(values, values[:0], np.arange(len(values)), self.window,
                              values.dtype)
        if dates is None and fitted_probe():
            positions, later = place_by_order(fitted_values, values, self.window, declared=True)
        elif fitted_dates is not None:
            span = f"{span} ({date_label(fitted_dates[0])} .. {date_label(fitted_dates[-1])})"
            if dates is None:
                raise ValueError(
                    f"X has no dates, but {span} had: where its rows stand cannot be checked. "
                    "Pass X with its dates (in a Pipeline, set_output(transform='pandas') on "
                    "the steps before the WindowTransformer keeps them), or fit on rows "
                    "without dates and time_axis='positions'."
                )
            dates = same_kind(dates, fitted_dates, span)
            check_no_missing_dates(dates, "X")
            positions, later = place_by_dates(fitted_dates, fitted_values, dates, values, span)
        elif dates is not None:
            raise ValueError(
                f"X has dates, but {span} had none (it was fitted on a NumPy array or a frame "
                "without a date index): X's rows cannot be placed by date. Fit on the dated "
                "rows, or pass time_axis='positions' to read rows by position only."
            )
        else:
            _refuse_unchecked_resampling()
            positions, later = place_by_order(fitted_values, values, self.window,
                                              declared=self.time_axis == POSITIONS)
            split = cross_validation_split()
            if len(later) and split is not None and len(split[0]) != len(fitted_values):
                raise ValueError(
                    "A cross-validation split asks for windows of rows without dates from a "
                    "WindowTransformer fitted outside it (a FrozenEstimator?): where the rows "
                    "stand in the fitted series cannot be known. Give X its dates, so that "
                    f"each row is placed by its date. {resampling_hint()}"
                )
        return windows_at(fitted_values, later, positions, self.window, values.dtype)

    def inverse_transform(self, X):
        """Recover the series from its windows: the last time step of each window.

        Parameters
        ----------
        X : array-like of shape (n_samples, window * n_windowed + n_covariates)
            Windows from :meth:`transform`.

        Returns
        -------
        X_original : ndarray of shape (n_samples, n_features)
            Row ``t`` of the series each window ends at, covariates in their own columns
            (without the `series_id` column).
        """
        check_is_fitted(self)
        X = np.asarray(X)
        windowed = self._windowed_columns()
        n_covariates = len(self.covariates_)
        width = self.window * len(windowed) + n_covariates
        if X.ndim != 2 or X.shape[1] != width:
            raise ValueError(f"Expected windows of shape (n_samples, {width}), got {X.shape}.")
        original = np.empty((len(X), self.n_features_in_), dtype=X.dtype)
        last_step = X[:, width - n_covariates - len(windowed) : width - n_covariates]
        original[:, windowed] = last_step
        original[:, self.covariates_] = X[:, width - n_covariates :]
        return original

    def get_feature_names_out(self, input_features=None):
        """Names of the window columns, e.g. ``"Close[t-1]", "Close[t]"``, then covariates.

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Input feature names. If None, `feature_names_in_` is used when defined, else
            ``["x0", "x1", ...]``.

        Returns
        -------
        feature_names_out : ndarray of str objects
            ``window * n_windowed`` names, oldest time step first, then the covariates'
            own names.
        """
        check_is_fitted(self)
        fitted = getattr(self, "feature_names_in_", None)
        if input_features is not None and fitted is not None and len(input_features) > len(
                fitted) and set(fitted) <= set(input_features):
            # the step before passes the time-axis or series_id column too: not a feature
            input_features = [name for name in input_features if name in set(fitted)]
        names = _check_feature_names_in(self, input_features)
        windows = window_feature_names(names[self._windowed_columns()], self.window)
        return np.concatenate([windows, np.asarray(names[self.covariates_], dtype=object)])

    def __getstate__(self):
        state = super().__getstate__()
        if "index_" in state:
            index = state["index_"]
            state["index_"] = ({series: dates_to_state(d) for series, d in index.items()}
                               if isinstance(index, dict) else dates_to_state(index))
        return state

    def __setstate__(self, state):
        index = state.get("index_")
        if isinstance(index, dict) and not _is_dates_state(index):  # a panel
            state["index_"] = {series: _dates_from(d) for series, d in index.items()}
        elif "index_" in state:
            state["index_"] = _dates_from(index)
        super().__setstate__(state)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags


def _is_dates_state(value):
    return isinstance(value, dict) and ("nanoseconds" in value or "periods" in value)


def _dates_from(value):
    """Dates from a state written by this version, or the index an older pickle holds."""
    return dates_from_state(value) if _is_dates_state(value) else value
