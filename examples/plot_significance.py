"""
=====================================================================
Is the difference real? Intervals and tests for every RMSE
=====================================================================

The classic tutorial concludes "the LSTM is more accurate" from two RMSEs of one test span.
On daily prices the networks and "tomorrow = today" differ by fractions of a percent, and
whether such a difference is real or noise needs a test. On the bundled MSFT closes:

1. **One test span** (:func:`skrnn.compare_forecasts`): the RNN, the LSTM, the GRU and
   persistence, each RMSE with a 95 % block-bootstrap interval, and a Diebold-Mariano test
   (Harvey-Leybourne-Newbold correction) for every pair, Holm-adjusted;
   :class:`~skrnn.plotting.ModelComparisonDisplay` draws the intervals and marks the models
   significantly worse than the best.
2. **A backtest, horizon by horizon** (:func:`skrnn.compare_backtests`): a GRU forecasting
   one to five days ahead against persistence, the long-run variance of each test using the
   ``h - 1`` lags that overlapping ``h``-step errors need.
3. **Cross-validation** (:func:`skrnn.compare_cv_results`): the fold scores of the four
   models, compared with the best by the Nadeau-Bengio corrected t-test.

Intervals that overlap do not mean "no difference": the models' errors move together (a
surprise on earnings day hurts them all), and the Diebold-Mariano test looks at the
difference of their losses day by day, which is far less noisy than either RMSE.
"""

import matplotlib.pyplot as plt
from _settings import DENSE_UNITS, EPOCHS, N_DAYS, UNITS
from sklearn.compose import TransformedTargetRegressor
from sklearn.model_selection import TimeSeriesSplit, cross_validate
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler

from skrnn import (
    GRURegressor,
    LSTMRegressor,
    PersistenceRegressor,
    RNNRegressor,
    WindowTransformer,
    backtest,
    compare_backtests,
    compare_cv_results,
    compare_forecasts,
)
from skrnn.datasets import load_msft, make_supervised
from skrnn.plotting import ModelComparisonDisplay

prices = load_msft().iloc[-N_DAYS:]
WINDOW = 20


def readme_pipeline(model):
    return TransformedTargetRegressor(
        make_pipeline(MinMaxScaler().set_output(transform="pandas"),  # keeps the dates
                      WindowTransformer(window=WINDOW), model),
        transformer=MinMaxScaler())


def models():
    params = dict(units=UNITS, dense_units=DENSE_UNITS, epochs=EPOCHS, random_state=0)
    return {"RNN": readme_pipeline(RNNRegressor(**params)),
            "LSTM": readme_pipeline(LSTMRegressor(**params)),
            "GRU": readme_pipeline(GRURegressor(**params)),
            "Persistence": make_pipeline(WindowTransformer(window=WINDOW),
                                         PersistenceRegressor())}


# %%
# 1. One test span: the last 20 % of the closes
X, y = make_supervised(prices, target="Close")
split = int(0.8 * len(X))
predictions = {name: model.fit(X[:split], y[:split]).predict(X[split:])
               for name, model in models().items()}
result = compare_forecasts(y[split:].to_numpy(), predictions, baseline="Persistence",
                           random_state=0)
print("Test RMSE (USD) with 95 % intervals, Holm-adjusted Diebold-Mariano p-values:")
print(result.models[["model", "rmse", "rmse_low", "rmse_high", "p_vs_best", "p_vs_baseline"]]
      .round(4).to_string(index=False))
print(result.summary())
ModelComparisonDisplay.from_comparison(result, title="MSFT test span", ylabel="RMSE (USD)")
plt.tight_layout()

# %%
# 2. A backtest from the same origins, one to five days ahead
X5, y5 = make_supervised(prices, target="Close", horizon=5, multi_output=True)
initial = len(X5) - min(250, len(X5) // 3)
frames = {"GRU": backtest(models()["GRU"], X5, y5, initial=initial),
          "Persistence": backtest(models()["Persistence"], X5, y5, initial=initial)}
by_horizon = compare_backtests(frames, baseline="Persistence", random_state=0)
gru = by_horizon.models[by_horizon.models["model"] == "GRU"]
print("\nBacktest, GRU against persistence (RMSE in USD):")
print(gru[["horizon", "rmse", "rmse_low", "rmse_high", "p_vs_baseline"]].round(4)
      .to_string(index=False))

# %%
# 3. Cross-validation on the training span: which models are not significantly worse?
runs = {name: cross_validate(model, X[:split], y[:split], cv=TimeSeriesSplit(n_splits=3),
                             scoring="neg_root_mean_squared_error", return_indices=True)
        for name, model in models().items()}
cv = compare_cv_results(runs)
print(f"\nCross-validated RMSE, compared with the best ({cv.attrs['best']}) by the corrected "
      f"t-test (n_test / n_train = {cv.attrs['ratio']:.2f}):")
print(cv.assign(rmse=-cv["mean_score"])[["rank", "rmse", "p_holm", "not_worse"]].round(4))
plt.show()
