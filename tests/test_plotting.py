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
