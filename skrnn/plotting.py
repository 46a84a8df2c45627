"""Figures in scikit-learn's Display style: the forecast, and RMSE per model and window."""

import numpy as np
import pandas as pd
from sklearn.utils.validation import check_consistent_length


def _as_series(values, name):
    if isinstance(values, pd.DataFrame):
        if values.shape[1] != 1:
            raise ValueError(f"{name} must have one column, got {values.shape[1]}.")
        values = values.iloc[:, 0]
    if not isinstance(values, pd.Series):
        values = np.asarray(values, dtype=float)
        if values.ndim != 1:
            raise ValueError(f"{name} must be 1-D, got shape {values.shape}.")
        values = pd.Series(values)
    return values


def _final_estimator_name(estimator):
    """Class name of the estimator at the end of pipelines, target transformers and searches."""
    if estimator is None:
        return "model"
    for attribute in ("best_estimator_", "estimator", "regressor_", "regressor"):
        if hasattr(estimator, attribute) and not isinstance(estimator, type):
            return _final_estimator_name(getattr(estimator, attribute))
    if hasattr(estimator, "steps"):
        return _final_estimator_name(estimator.steps[-1][1])
    return type(estimator).__name__



def _axes(ax, figsize):
    """`ax`, or the axes of a new figure of `figsize` inches."""
    if ax is not None:
        return ax
    import matplotlib.pyplot as plt

    return plt.subplots(figsize=figsize)[1]

class ForecastDisplay:
    """The forecast figure: training series, then actual and predicted values on the test span.

    Build it with :meth:`from_estimator` or :meth:`from_predictions`; both call :meth:`plot`.
    With pandas inputs indexed by dates, the x-axis shows the dates.

    Parameters
    ----------
    y_train : pandas.Series
        Target over the training span.

    y_test : pandas.Series
        Actual target over the test span.

    y_pred : pandas.Series
        Predictions over the test span, indexed like `y_test`.

    model_name : str, default="Predicted"
        Legend label of the predictions.

    Attributes
    ----------
    ax_ : matplotlib Axes
        Axes with the three lines.

    figure_ : matplotlib Figure
        Figure containing the axes.

    lines_ : dict of str to matplotlib Line2D
        The ``"train"``, ``"actual"`` and ``"predicted"`` lines.

    See Also
    --------
    ModelComparisonDisplay : RMSE of several models and windows.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import pandas as pd
    >>> from skrnn.plotting import ForecastDisplay
    >>> dates = pd.date_range("2024-01-01", periods=6)
    >>> y = pd.Series([1.0, 2, 3, 4, 5, 6], index=dates)
    >>> display = ForecastDisplay.from_predictions(y[:4], y[4:], [4.8, 6.1])
    >>> sorted(display.lines_)
    ['actual', 'predicted', 'train']
    """

    def __init__(self, *, y_train, y_test, y_pred, model_name="Predicted"):
        self.y_train = y_train
        self.y_test = y_test
        self.y_pred = y_pred
        self.model_name = model_name

    def plot(self, ax=None, *, title=None, ylabel=None):
        """Draw the training span, the test span and the forecast.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; a new figure is created if None.

        title : str, default=None
            Axes title.

        ylabel : str, default=None
            Y-axis label; defaults to the name of `y_train` when it has one.

        Returns
        -------
        display : ForecastDisplay
            This object, with `ax_`, `figure_` and `lines_` (train, test, forecast) set.
        """
        ax = _axes(ax, figsize=(12, 5))
        (train,) = ax.plot(self.y_train.index, self.y_train.to_numpy(), label="Train")
        (actual,) = ax.plot(self.y_test.index, self.y_test.to_numpy(), label="Actual")
        (predicted,) = ax.plot(self.y_pred.index, self.y_pred.to_numpy(), label=self.model_name)
        ax.set_xlabel("Date" if isinstance(self.y_train.index, pd.DatetimeIndex) else "Time step")
        ax.set_ylabel(ylabel or (self.y_train.name if self.y_train.name else "Value"))
        if title:
            ax.set_title(title)
        ax.legend(loc="best")
        self.ax_, self.figure_ = ax, ax.figure
        self.lines_ = {"train": train, "actual": actual, "predicted": predicted}
        return self

    @classmethod
    def from_predictions(cls, y_train, y_test, y_pred, *, model_name="Predicted", ax=None,
                         title=None, ylabel=None):
        """Plot given predictions for the test span.

        Parameters
        ----------
        y_train : array-like of shape (n_train,)
            Target over the training span (a Series with a date index for a date axis).

        y_test : array-like of shape (n_test,)
            Actual target over the test span.

        y_pred : array-like of shape (n_test,)
            Predictions for the test span; takes the index of `y_test`.

        model_name : str, default="Predicted"
            Legend label of the predictions.

        ax : matplotlib Axes, default=None
            Axes to draw on.

        title : str, default=None
            Axes title.

        ylabel : str, default=None
            Y-axis label.

        Returns
        -------
        display : ForecastDisplay
            The drawn display.
        """
        y_train = _as_series(y_train, "y_train")
        y_test = _as_series(y_test, "y_test")
        y_pred = _as_series(y_pred, "y_pred")
        check_consistent_length(y_test, y_pred)
        if isinstance(y_train.index, pd.RangeIndex) and isinstance(y_test.index, pd.RangeIndex):
            # Plain arrays: number the test span after the training span.
            y_test = y_test.set_axis(pd.RangeIndex(len(y_train), len(y_train) + len(y_test)))
        y_pred = pd.Series(y_pred.to_numpy(), index=y_test.index, name=model_name)
        display = cls(y_train=y_train, y_test=y_test, y_pred=y_pred, model_name=model_name)
        return display.plot(ax=ax, title=title, ylabel=ylabel)

    @classmethod
    def from_estimator(cls, estimator, X_test, y_train, y_test, *, model_name=None, ax=None,
                       title=None, ylabel=None):
        """Predict `X_test` with a fitted estimator and plot the result.

        Parameters
        ----------
        estimator : fitted estimator
            For instance a Pipeline ending in an :class:`~skrnn.LSTMRegressor`, fitted on the
            rows just before `X_test` so that its windows continue the series.

        X_test : array-like of shape (n_test, n_features)
            Test rows.

        y_train : array-like of shape (n_train,)
            Target over the training span.

        y_test : array-like of shape (n_test,)
            Actual target over the test span.

        model_name : str, default=None
            Legend label; the estimator's class name (last step of a pipeline) by default.

        ax : matplotlib Axes, default=None
            Axes to draw on, as in :meth:`plot`.

        title, ylabel : str, default=None
            Axes title and y-axis label, as in :meth:`plot`.

        Returns
        -------
        display : ForecastDisplay
            The display, drawn from the estimator's predictions.
        """
        if model_name is None:
            model_name = _final_estimator_name(estimator)
        y_pred = estimator.predict(X_test)
        return cls.from_predictions(
            y_train, y_test, y_pred, model_name=model_name, ax=ax, title=title, ylabel=ylabel
        )


class ModelComparisonDisplay:
    """RMSE per model: across windows and folds, or on a test span with intervals and tests.

    Built with :meth:`from_cv_results`: one line per model, x = window length, y = mean RMSE
    over the folds, error bars = one standard deviation across folds. Built with
    :meth:`from_comparison`: one point per model, y = test RMSE, error bars = its bootstrap
    interval; the best model is a diamond, models significantly worse than it (Holm-adjusted
    Diebold-Mariano p-value below `alpha`) are hollow and their p-value is starred.

    Parameters
    ----------
    results : pandas.DataFrame
        One row per candidate with columns ``model``, ``window``, ``mean_rmse`` and
        ``std_rmse``; or one row per model with ``model``, ``rmse``, ``rmse_low``,
        ``rmse_high`` and ``p_vs_best`` (missing for the best model).

    alpha : float, default=0.05
        Level below which a p-value against the best model is marked significant.

    Attributes
    ----------
    ax_ : matplotlib Axes
        Axes with one errorbar line per model.

    figure_ : matplotlib Figure
        Figure containing the axes.

    lines_ : dict of str to matplotlib ErrorbarContainer
        One entry per model.

    marks_ : dict of str to matplotlib Text
        With intervals only: the label above each model's interval, ``"best"`` or its
        p-value against the best, starred when below `alpha`.

    See Also
    --------
    ForecastDisplay : The forecast of one model.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> from skrnn.plotting import ModelComparisonDisplay
    >>> cv_results = {
    ...     "param_model": ["LSTM", "LSTM", "Persistence", "Persistence"],
    ...     "param_window": [10, 20, 10, 20],
    ...     "mean_test_score": [-1.2, -1.1, -1.0, -1.0],
    ...     "std_test_score": [0.1, 0.1, 0.05, 0.05],
    ... }
    >>> display = ModelComparisonDisplay.from_cv_results(
    ...     cv_results, model_param="model", window_param="window")
    >>> sorted(display.lines_)
    ['LSTM', 'Persistence']

    Test RMSEs with their intervals, from :func:`skrnn.compare_forecasts`:

    >>> import numpy as np
    >>> from skrnn import compare_forecasts
    >>> rng = np.random.default_rng(0)
    >>> y = rng.normal(size=200)
    >>> comparison = compare_forecasts(y, {"sharp": y + rng.normal(size=200),
    ...                                    "blurred": y + 2 * rng.normal(size=200)},
    ...                                random_state=0)
    >>> display = ModelComparisonDisplay.from_comparison(comparison)
    >>> display.marks_["sharp"].get_text(), display.marks_["blurred"].get_text()
    ('best', 'p < 0.001 *')
    """

    def __init__(self, *, results, alpha=0.05):
        self.results = results
        self.alpha = alpha

    def plot(self, ax=None, *, title=None, ylabel="RMSE"):
        """Draw one line of mean RMSE (with its spread across folds) per model.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; None draws on a new figure.

        title : str, default=None
            Axes title.

        ylabel : str, default="RMSE"
            Y-axis label (name the unit, e.g. ``"RMSE (USD)"``).

        Returns
        -------
        display : ModelComparisonDisplay
            This object, with `ax_`, `figure_` and `lines_` (one per model) set, and
            `marks_` when drawn with intervals.
        """
        if "window" not in self.results.columns:
            return self._plot_intervals(ax, title=title, ylabel=ylabel)
        ax = _axes(ax, figsize=(8, 5))
        self.lines_ = {}
        for model, rows in self.results.groupby("model", sort=False):
            rows = rows.sort_values("window")
            self.lines_[model] = ax.errorbar(
                rows["window"].to_numpy(float), rows["mean_rmse"].to_numpy(float),
                yerr=rows["std_rmse"].to_numpy(float), marker="o",
                capsize=4, label=model,
            )
        ax.set_xticks(sorted(self.results["window"].unique()))
        ax.set_xlabel("Window (time steps)")
        ax.set_ylabel(ylabel)
        if title:
            ax.set_title(title)
        ax.legend(loc="best")
        self.ax_, self.figure_ = ax, ax.figure
        return self

    def _plot_intervals(self, ax, *, title, ylabel):
        from matplotlib.lines import Line2D

        ax = _axes(ax, figsize=(7, 5))
        rows = self.results
        rmse, low, high, p_values = (rows[c].to_numpy(float) for c in
                                     ("rmse", "rmse_low", "rmse_high", "p_vs_best"))
        self.lines_, self.marks_ = {}, {}
        for i, name in enumerate(rows["model"]):
            best = np.isnan(p_values[i])
            worse = not best and p_values[i] < self.alpha
            self.lines_[name] = ax.errorbar(
                i, rmse[i], yerr=[[rmse[i] - low[i]], [high[i] - rmse[i]]],
                fmt="D" if best else "o", color=f"C{i}", markersize=8, capsize=4,
                markerfacecolor="white" if worse else f"C{i}")
            text = ("best" if best else "p < 0.001" if p_values[i] < 0.001
                    else f"p = {p_values[i]:.3f}") + (" *" if worse else "")
            self.marks_[name] = ax.annotate(text, (i, high[i]), xytext=(0, 4),
                                            textcoords="offset points", ha="center",
                                            va="bottom")
        ax.set_xticks(range(len(rows)), rows["model"])
        ax.set_xlim(-0.5, len(rows) - 0.5)
        ax.margins(y=0.15)
        ax.set_ylabel(ylabel)
        if title:
            ax.set_title(title)
        level = f"{100 * self.alpha:g} %"
        ax.legend(handles=[
            Line2D([], [], marker="D", ls="", color="grey", label="best"),
            Line2D([], [], marker="o", ls="", color="grey",
                   label="indistinguishable from the best"),
            Line2D([], [], marker="o", ls="", color="grey", markerfacecolor="white",
                   label=f"* worse than the best (p < {level}, Holm)"),
        ], loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=3, fontsize="small",
            frameon=False, handletextpad=0.2, columnspacing=1.0)
        self.ax_, self.figure_ = ax, ax.figure
        return self

    @classmethod
    def from_comparison(cls, comparison, *, horizon=None, alpha=0.05, ax=None, title=None,
                        ylabel="RMSE"):
        """Plot each model's RMSE with its interval, marking those worse than the best.

        Parameters
        ----------
        comparison : ForecastComparison
            What :func:`skrnn.compare_forecasts` or :func:`skrnn.compare_backtests` returned.

        horizon : int, default=None
            Horizon to show; needed when the comparison has several.

        alpha : float, default=0.05
            Level below which a Holm-adjusted p-value against the best model is marked.

        ax : matplotlib Axes, default=None
            Axes to draw on, as in :meth:`plot`.

        title : str, default=None
            Axes title.

        ylabel : str, default="RMSE"
            Y-axis label; name the unit.

        Returns
        -------
        display : ModelComparisonDisplay
            The display, one interval per model.
        """
        models = getattr(comparison, "models", None)
        if not isinstance(models, pd.DataFrame) or "rmse_low" not in models.columns:
            raise TypeError("comparison must be what skrnn.compare_forecasts or "
                            f"compare_backtests returned, got {type(comparison).__name__}.")
        if models.attrs.get("loss") == "absolute":
            raise ValueError("comparison was tested on absolute errors (loss='absolute'); its "
                             "p-values are not about RMSE. Compare with loss='squared'.")
        horizon = comparison._horizon(horizon)
        rows = models[models["horizon"] == horizon]
        results = rows[["model", "rmse", "rmse_low", "rmse_high", "p_vs_best"]]
        return cls(results=results, alpha=alpha).plot(ax=ax, title=title, ylabel=ylabel)

    @classmethod
    def from_cv_results(cls, cv_results, *, window_param, model_param=None, ax=None,
                        title=None, ylabel="RMSE"):
        """Plot the ``cv_results_`` of a search scored with ``"neg_root_mean_squared_error"``.

        Parameters
        ----------
        cv_results : fitted GridSearchCV, dict or pandas.DataFrame
            A search (its ``cv_results_`` are read) or the results themselves.

        window_param : str
            Parameter that varies the window, e.g. ``"regressor__window__window"``.

        model_param : str, default=None
            Parameter that varies the model, e.g. ``"regressor__model"``; estimator values are
            labelled by class name. None when the search has one model: it is labelled by
            the class name of the search's final estimator.

        ax : matplotlib Axes, default=None
            Axes to draw on, as in :meth:`plot`.

        title : str, default=None
            Axes title.

        ylabel : str, default="RMSE"
            Y-axis label; name the unit of the scores.

        Returns
        -------
        display : ModelComparisonDisplay
            The display, one line per model across windows.
        """
        label = _final_estimator_name(getattr(cv_results, "estimator", None))
        cv_results = getattr(cv_results, "cv_results_", cv_results)
        frame = pd.DataFrame(cv_results)
        if model_param is None:
            frame["param_model"], model_param = label, "model"
        needed = [f"param_{model_param}", f"param_{window_param}", "mean_test_score",
                  "std_test_score"]
        missing = [c for c in needed if c not in frame.columns]
        if missing:
            raise ValueError(
                f"cv_results has no column(s) {missing}; check model_param and window_param "
                f"against the searched parameters: "
                f"{[c[6:] for c in frame.columns if c.startswith('param_')]}."
            )
        if (frame["mean_test_score"] > 0).any():
            raise ValueError(
                "Scores must come from scoring='neg_root_mean_squared_error' (all <= 0)."
            )
        models = frame[f"param_{model_param}"].map(
            lambda m: m if isinstance(m, str) else type(m).__name__
        )
        results = pd.DataFrame({
            "model": models,
            "window": frame[f"param_{window_param}"].astype(int),
            "mean_rmse": -frame["mean_test_score"],
            "std_rmse": frame["std_test_score"],
        })
        return cls(results=results).plot(ax=ax, title=title, ylabel=ylabel)


class BacktestDisplay:
    """A backtest over time: truth, forecasts of one horizon, interval band and refit dates.

    Build it with :meth:`from_backtest` on the frame :func:`skrnn.backtest` returns.

    Parameters
    ----------
    frame : pandas.DataFrame
        Rows of one horizon from :func:`skrnn.backtest`: ``target``, ``forecast``, ``truth``,
        ``fit`` and optionally ``lower`` / ``upper``.

    horizon : int
        Steps ahead of the forecasts shown (for the legend).

    Attributes
    ----------
    ax_ : matplotlib Axes
        Axes of the figure.

    figure_ : matplotlib Figure
        Figure containing the axes.

    lines_ : dict of str to matplotlib artist
        ``"truth"``, ``"forecast"``, and ``"interval"`` / ``"refits"`` when drawn.

    See Also
    --------
    ForecastDisplay : The forecast of one fitted model on a test span.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from sklearn.linear_model import Ridge
    >>> from skrnn import backtest
    >>> from skrnn.plotting import BacktestDisplay
    >>> series = np.arange(40.0)
    >>> frame = backtest(Ridge(), series[:-1, None], series[1:], initial=20, refit=5)
    >>> display = BacktestDisplay.from_backtest(frame)
    >>> sorted(display.lines_)
    ['forecast', 'refits', 'truth']
    """

    def __init__(self, *, frame, horizon):
        self.frame, self.horizon = frame, horizon

    def plot(self, ax=None, *, title=None, ylabel=None):
        """Draw truth, forecasts, the interval band and a mark at each refit.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes to draw on; None draws on a new figure.

        title : str, default=None
            Axes title.

        ylabel : str, default=None
            Y-axis label.

        Returns
        -------
        display : BacktestDisplay
            This object, with `ax_`, `figure_` and `lines_` set.
        """
        ax = _axes(ax, figsize=(10, 5))
        frame = self.frame
        # target times past the data are unknown without an index frequency: plot by row then
        x = frame["target"].to_numpy() if frame["target"].notna().all() else np.arange(len(frame))
        self.lines_ = {"truth": ax.plot(x, frame["truth"], color="black", lw=1,
                                        label="Actual")[0]}
        if {"lower", "upper"} <= set(frame.columns):
            self.lines_["interval"] = ax.fill_between(
                x, frame["lower"].to_numpy(float), frame["upper"].to_numpy(float),
                color="tab:blue", alpha=0.2, label="Interval")
        self.lines_["forecast"] = ax.plot(x, frame["forecast"], color="tab:blue", lw=1,
                                          label=f"Forecast, {self.horizon} step(s) ahead")[0]
        starts = np.flatnonzero(np.diff(frame["fit"].to_numpy(), prepend=-1))
        if len(starts) > 1:
            self.lines_["refits"] = ax.vlines(
                np.asarray(x)[starts], 0, 1, transform=ax.get_xaxis_transform(),
                colors="grey", linestyles=":", lw=0.8, label="Refit")
        if title:
            ax.set_title(title)
        if ylabel:
            ax.set_ylabel(ylabel)
        ax.legend(loc="best")
        self.ax_, self.figure_ = ax, ax.figure
        return self

    @classmethod
    def from_backtest(cls, frame, *, horizon=None, ax=None, title=None, ylabel=None):
        """Plot the frame of :func:`skrnn.backtest` for one horizon.

        Parameters
        ----------
        frame : pandas.DataFrame
            The frame :func:`skrnn.backtest` returns.

        horizon : int, default=None
            Steps ahead to show; None means the shortest in the frame.

        ax : matplotlib Axes, default=None
            Axes to draw on, as in :meth:`plot`.

        title : str, default=None
            Axes title.

        ylabel : str, default=None
            Y-axis label.

        Returns
        -------
        display : BacktestDisplay
            The display.
        """
        missing = {"target", "horizon", "forecast", "truth", "fit"} - set(frame.columns)
        if missing:
            raise ValueError(f"frame lacks the columns {sorted(missing)}; pass the frame "
                             "that skrnn.backtest returns.")
        horizon = int(frame["horizon"].min()) if horizon is None else horizon
        if horizon not in set(frame["horizon"]):
            raise ValueError(f"horizon={horizon} is not in the frame; it has "
                             f"{sorted(set(frame['horizon']))}.")
        rows = frame[frame["horizon"] == horizon].reset_index(drop=True)
        return cls(frame=rows, horizon=horizon).plot(ax=ax, title=title, ylabel=ylabel)
