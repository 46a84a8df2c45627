"""The case study: RNN, LSTM, GRU and persistence on one price series, compared honestly."""

import time
from dataclasses import dataclass

import pandas as pd
from sklearn.compose import TransformedTargetRegressor
from sklearn.metrics import root_mean_squared_error
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler

from ._baseline import PersistenceRegressor
from ._progress import CountingScorer
from ._recurrent import GRURegressor, LSTMRegressor, RNNRegressor
from ._significance import compare_forecasts
from ._window import WindowTransformer
from .datasets import make_supervised

NETWORKS = {"rnn": RNNRegressor, "lstm": LSTMRegressor, "gru": GRURegressor}
MODELS = (*NETWORKS, "persistence")


def make_candidate(name, network_params):
    """Return ``(estimator, window_param)`` for one model name.

    Networks get scalers fitted inside the pipeline (so on training folds only) on X and on y;
    persistence runs on raw prices, where "tomorrow = today" is exact.
    """
    if name == "persistence":
        pipeline = Pipeline([("window", WindowTransformer()), ("model", PersistenceRegressor())])
        return pipeline, "window__window"
    pipeline = Pipeline([
        ("scale", MinMaxScaler().set_output(transform="pandas")),  # keeps the dates
        ("window", WindowTransformer()),
        ("model", NETWORKS[name](**network_params)),
    ])
    return TransformedTargetRegressor(pipeline, transformer=MinMaxScaler()), (
        "regressor__window__window"
    )


@dataclass
class Comparison:
    """What :func:`compare_models` found."""

    table: pd.DataFrame  # one row per model: best window, CV RMSE, test RMSE, its interval,
    # Holm-adjusted Diebold-Mariano p-values against the best model and against persistence
    cv_results: pd.DataFrame  # one row per (model, window): mean and std RMSE across folds
    predictions: dict  # model name -> pandas Series of test predictions
    y_train: pd.Series
    y_test: pd.Series
    significance: object = None  # ForecastComparison of the test span; None for one model

    def describe_significance(self):
        """Lines that say what the interval and p-value columns are, and what they show."""
        if self.significance is None:
            return ["One model: no interval or test (name two or more in --models)."]
        block = int(self.significance.models["block_length"].iloc[0])
        columns = "p_vs_best, p_vs_persistence" if "p_vs_persistence" in self.table else (
            "p_vs_best")
        return [f"test_rmse_low/high: 95 % interval of the test RMSE (studentized circular "
                f"block bootstrap of the errors, blocks of {block}); {columns}: two-sided "
                "Diebold-Mariano p-values, Holm-adjusted across all pairs.",
                self.significance.summary()]

    def comparison_display(self, column):
        """The comparison figure: cross-validated RMSE by model and window and, for several
        models, the test RMSE of each with its interval, the models worse than the best
        marked."""
        import matplotlib.pyplot as plt

        from .plotting import ModelComparisonDisplay

        ax = None
        if self.significance is not None:
            ax = plt.subplots(1, 2, figsize=(14, 5), width_ratios=(3, 2))[1][0]
        comparison = ModelComparisonDisplay(results=self.cv_results).plot(
            ax=ax, title="Cross-validated RMSE by model and window", ylabel=f"RMSE ({column})")
        if ax is not None:
            ModelComparisonDisplay.from_comparison(
                self.significance, ax=comparison.figure_.axes[1],
                title="Test RMSE with 95 % interval", ylabel=f"RMSE ({column})")
            comparison.figure_.tight_layout()
        return comparison


def compare_models(frame, *, target="Close", windows=(30, 60), models=MODELS, n_splits=3,
                   test_fraction=0.2, network_params=None, n_jobs=None, progress=None,
                   on_fit=None):
    """Grid-search each model over `windows` with TimeSeriesSplit, then score the test span.

    The last `test_fraction` of rows is held out. Each model's window is chosen by
    cross-validated RMSE on the rest (``TimeSeriesSplit``), refitted there, and scored on
    the held-out rows. All RMSE are in the units of `target`.

    `progress` receives a line of text as each model starts and ends. `on_fit`, a picklable
    callable (such as ``FitCounter.report``), is called after each fit, in the process that
    ran it: each fold of each window, then each refit, ``len(models) * (len(windows) *
    n_splits + 1)`` calls in all.
    """
    progress = progress or (lambda message: None)
    scoring = "neg_root_mean_squared_error"
    if on_fit is not None:  # GridSearchCV has no progress hook; it scores right after each fit
        scoring = CountingScorer(scoring, on_fit)
    X, y = make_supervised(frame, target)
    n_test = int(round(test_fraction * len(X)))
    X_train, X_test, y_train, y_test = X[:-n_test], X[-n_test:], y[:-n_test], y[-n_test:]
    rows, cv_rows, predictions = [], [], {}
    for i, name in enumerate(models, start=1):
        started = time.perf_counter()
        progress(f"[{i}/{len(models)}] {name}: {len(windows)} window(s) x {n_splits} folds ...")
        estimator, window_param = make_candidate(name, network_params or {})
        search = GridSearchCV(
            estimator,
            {window_param: list(windows)},
            cv=TimeSeriesSplit(n_splits=n_splits),
            scoring=scoring,
            n_jobs=n_jobs,
        ).fit(X_train, y_train)
        if on_fit is not None:
            on_fit()  # the refit
        y_pred = pd.Series(search.predict(X_test), index=y_test.index, name=name)
        predictions[name] = y_pred
        best = search.best_index_
        results = search.cv_results_
        for window, mean, std in zip(
            results[f"param_{window_param}"], results["mean_test_score"],
            results["std_test_score"], strict=True,
        ):
            cv_rows.append({"model": name, "window": int(window), "mean_rmse": -mean,
                            "std_rmse": std})
        rows.append({
            "model": name,
            "window": int(results[f"param_{window_param}"][best]),
            "cv_rmse": -results["mean_test_score"][best],
            "cv_rmse_std": results["std_test_score"][best],
            "test_rmse": root_mean_squared_error(y_test, y_pred),
        })
        progress(f"      done in {time.perf_counter() - started:.1f}s, "
                 f"test RMSE {rows[-1]['test_rmse']:.4f}")
    table = pd.DataFrame(rows).set_index("model")
    significance = add_significance(table, predictions, y_test)
    return Comparison(table, pd.DataFrame(cv_rows), predictions, y_train, y_test, significance)


def add_significance(table, predictions, y_test):
    """Add to `table` the test RMSE's 95 % interval (``test_rmse_low``, ``test_rmse_high``)
    and the Holm-adjusted Diebold-Mariano p-values against the model of lowest test RMSE
    (``p_vs_best``) and against persistence (``p_vs_persistence``, when it is a model).
    Returns the :class:`~skrnn.ForecastComparison`, or None for a single model."""
    if len(predictions) < 2:
        return None
    baseline = "persistence" if "persistence" in predictions else None
    significance = compare_forecasts(y_test, predictions, baseline=baseline, random_state=0)
    models = significance.models.set_index("model")
    table["test_rmse_low"] = models["rmse_low"]
    table["test_rmse_high"] = models["rmse_high"]
    table["p_vs_best"] = models["p_vs_best"]
    if baseline:
        table["p_vs_persistence"] = models["p_vs_baseline"]
    return significance


def best_network(table):
    """Name of the model with the lowest cross-validated RMSE, persistence excluded if possible."""
    networks = table.drop(index="persistence", errors="ignore")
    return (networks if len(networks) else table)["cv_rmse"].idxmin()
