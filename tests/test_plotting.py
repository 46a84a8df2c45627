import matplotlib.dates as mdates
import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import Pipeline

from skrnn import PersistenceRegressor, WindowTransformer
from skrnn.datasets import load_msft, make_supervised
from skrnn.plotting import ForecastDisplay, ModelComparisonDisplay


@pytest.fixture(scope="module")
def prices():
    return make_supervised(load_msft().iloc[-200:], "Close")


def test_forecast_display_from_estimator_has_dates_lines_labels(prices, tmp_path):
    X, y = prices
    model = Pipeline([("window", WindowTransformer(window=5)),
                      ("model", PersistenceRegressor())]).fit(X[:150], y[:150])
    display = ForecastDisplay.from_estimator(model, X[150:], y[:150], y[150:], title="MSFT")
    ax = display.ax_
    assert display.figure_ is ax.figure
    assert len(ax.get_lines()) == 3
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "Train", "Actual", "PersistenceRegressor"]
    assert ax.get_xlabel() == "Date" and ax.get_ylabel() == "Close[t+1]"
    assert ax.get_title() == "MSFT"
    assert isinstance(ax.xaxis.get_major_formatter(),
                      (mdates.AutoDateFormatter, mdates.ConciseDateFormatter))
    np.testing.assert_allclose(display.lines_["predicted"].get_ydata(), X["Close"][150:])
    path = tmp_path / "forecast.png"
    display.figure_.savefig(path)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_forecast_display_from_plain_arrays_numbers_the_test_span():
    display = ForecastDisplay.from_predictions([1.0, 2, 3], [4.0, 5], [4.1, 4.9])
    np.testing.assert_array_equal(display.lines_["actual"].get_xdata(), [3, 4])
    assert display.ax_.get_xlabel() == "Time step"


def test_forecast_display_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="inconsistent"):
        ForecastDisplay.from_predictions([1.0, 2], [3.0, 4.0], [3.0])


def test_comparison_display_from_grid_search(prices):
    X, y = prices
    search = GridSearchCV(
        Pipeline([("window", WindowTransformer()), ("model", PersistenceRegressor())]),
        {"window__window": [3, 6, 9]}, cv=TimeSeriesSplit(3),
        scoring="neg_root_mean_squared_error").fit(X, y)
    display = ModelComparisonDisplay.from_cv_results(
        search, window_param="window__window", ylabel="RMSE (USD)")
    assert list(display.lines_) == ["PersistenceRegressor"]
    line = display.lines_["PersistenceRegressor"].lines[0]
    np.testing.assert_array_equal(line.get_xdata(), [3, 6, 9])
    np.testing.assert_allclose(line.get_ydata(), -search.cv_results_["mean_test_score"])
    assert display.ax_.get_ylabel() == "RMSE (USD)"
    assert display.ax_.get_xlabel() == "Window (time steps)"


def test_comparison_display_errors():
    results = {"param_window": [3], "mean_test_score": [-1.0], "std_test_score": [0.1]}
    with pytest.raises(ValueError, match="param_model"):
        ModelComparisonDisplay.from_cv_results(results, model_param="model",
                                               window_param="window")
    results = {**results, "param_model": ["a"], "mean_test_score": [0.8]}
    with pytest.raises(ValueError, match="neg_root_mean_squared_error"):
        ModelComparisonDisplay.from_cv_results(results, model_param="model",
                                               window_param="window")


def test_comparison_display_shows_intervals_and_marks_significant_differences():
    from skrnn import compare_forecasts

    rng = np.random.default_rng(0)
    y = rng.normal(size=300)
    comparison = compare_forecasts(
        y, {"sharp": y + rng.normal(size=300), "close": y + 1.02 * rng.normal(size=300),
            "blurred": y + 2 * rng.normal(size=300)}, random_state=0)
    display = ModelComparisonDisplay.from_comparison(comparison, ylabel="RMSE (USD)")
    models = comparison.models.set_index("model")
    assert list(display.lines_) == ["sharp", "close", "blurred"]
    for i, (name, container) in enumerate(display.lines_.items()):
        marker = container.lines[0]
        np.testing.assert_allclose(np.asarray(marker.get_xdata(), float), [i])
        np.testing.assert_allclose(np.asarray(marker.get_ydata(), float),
                                   [models.loc[name, "rmse"]])
        segment = container.lines[2][0].get_segments()[0]  # the vertical error bar
        np.testing.assert_allclose(segment[:, 1], models.loc[name, ["rmse_low", "rmse_high"]]
                                   .to_numpy(float))
    best = comparison.best()
    other = ({"sharp", "close"} - {best}).pop()
    assert best in ("sharp", "close") and models.loc["blurred", "p_vs_best"] < 0.05
    assert models.loc[other, "p_vs_best"] >= 0.05
    texts = {name: mark.get_text() for name, mark in display.marks_.items()}
    assert texts[best] == "best" and texts["blurred"] == "p < 0.001 *"
    assert texts[other] == f"p = {models.loc[other, 'p_vs_best']:.3f}"
    assert display.lines_[best].lines[0].get_marker() == "D"
    assert display.lines_["blurred"].lines[0].get_markerfacecolor() == "white"  # hollow
    assert display.lines_[other].lines[0].get_markerfacecolor() != "white"
    assert [t.get_text() for t in display.ax_.get_xticklabels()] == ["sharp", "close",
                                                                      "blurred"]
    legend = [t.get_text() for t in display.ax_.get_legend().get_texts()]
    assert "* worse than the best (p < 5 %, Holm)" in legend
    assert display.ax_.get_ylabel() == "RMSE (USD)"
    # at a stricter level nothing is marked but what is below it
    strict = ModelComparisonDisplay.from_comparison(comparison, alpha=1e-300)
    assert not any(mark.get_text().endswith("*") for mark in strict.marks_.values())


def test_comparison_display_from_comparison_errors():
    from skrnn import compare_forecasts

    y = np.linspace(0, 1, 30)
    absolute = compare_forecasts(y, {"a": y + 0.1, "b": y - 0.3}, loss="absolute")
    with pytest.raises(ValueError, match="loss='absolute'"):
        ModelComparisonDisplay.from_comparison(absolute)
    with pytest.raises(TypeError, match="compare_forecasts"):
        ModelComparisonDisplay.from_comparison({"rnn": 0.5})
    with pytest.raises(ValueError, match="horizon=3 is not in the comparison"):
        ModelComparisonDisplay.from_comparison(
            compare_forecasts(y, {"a": y + 0.1, "b": y - 0.3}), horizon=3)
