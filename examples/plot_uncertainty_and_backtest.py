"""
==========================================================================
Uncertainty and backtests: quantile fan charts, adaptive intervals
==========================================================================

A forecast without its uncertainty is half an answer, and one train/test split is half an
evaluation. On the bundled MSFT closes:

1. **A quantile network** (``loss="quantile"``): one GRU forecasts the 5 %, 25 %, 50 %, 75 %
   and 95 % levels of the next close, built so that they never cross; drawn as a fan chart.
2. **A backtest** (:func:`skrnn.backtest`): the README's pipeline refitted every 100 trading
   days, forecasting every day of the last 500 from the history before it.
3. **Adaptive intervals** (:class:`~skrnn.AdaptiveConformalRegressor`) against split conformal
   ones: their coverage on the same span, and how they widen when volatility rises.
"""

import matplotlib.pyplot as plt
import numpy as np
from _settings import DENSE_UNITS, EPOCHS, N_DAYS, UNITS
from sklearn.compose import TransformedTargetRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler

from skrnn import (
    AdaptiveConformalRegressor,
    ConformalIntervalRegressor,
    GRURegressor,
    PersistenceRegressor,
    WindowTransformer,
    backtest,
    predict_quantiles,
)
from skrnn.datasets import load_msft, make_supervised
from skrnn.plotting import BacktestDisplay

prices = load_msft().iloc[-N_DAYS:]
X, y = make_supervised(prices, target="Close")
WINDOW = 20
LEVELS = (0.05, 0.25, 0.5, 0.75, 0.95)


def readme_pipeline(model):
    return TransformedTargetRegressor(
        make_pipeline(MinMaxScaler().set_output(transform="pandas"),
                      WindowTransformer(window=WINDOW), model),
        transformer=MinMaxScaler())


def gru(**kwargs):
    return GRURegressor(units=UNITS[:1], dense_units=DENSE_UNITS, epochs=EPOCHS,
                        random_state=0, **kwargs)


# %%
# 1. Quantile network: a fan chart of the next close over the last 60 test days
split = len(X) - min(250, len(X) // 3)
model = readme_pipeline(gru(loss="quantile", quantiles=LEVELS)).fit(X[:split], y[:split])
bands = predict_quantiles(model, X[split:])
inside = (bands[:, 0] <= y[split:]) & (y[split:] <= bands[:, -1])
print(f"Quantile GRU, test span: median RMSE {np.sqrt(np.mean((bands[:, 2] - y[split:]) ** 2)):.3f}"
      f" USD, 5-95 % band covers {100 * inside.mean():.1f} % of closes (nominal 90 %)")

fig, ax = plt.subplots(figsize=(10, 5))
days = y.index[split:][-60:]
ax.plot(days, y[split:][-60:], color="black", lw=1, label="Close")
ax.fill_between(days, bands[-60:, 0], bands[-60:, -1], color="tab:blue", alpha=0.2,
                label="5-95 %")
ax.fill_between(days, bands[-60:, 1], bands[-60:, -2], color="tab:blue", alpha=0.35,
                label="25-75 %")
ax.plot(days, bands[-60:, 2], color="tab:blue", lw=1, label="Median")
ax.set_title("Next-day close: quantile GRU fan chart")
ax.set_ylabel("USD")
ax.legend(loc="upper left")

# %%
# 2. Backtest: refit every 100 days, forecast each of the last 500 days
origins = min(500, len(X) // 2)
frame = backtest(readme_pipeline(gru()), X, y, initial=len(X) - origins, refit=100)
persistence = backtest(readme_pipeline(PersistenceRegressor()), X, y,
                       initial=len(X) - origins)
for name, result in (("GRU", frame), ("Persistence", persistence)):
    rmse = np.sqrt(np.mean((result["forecast"] - result["truth"]) ** 2))
    print(f"Backtest {name}: RMSE {rmse:.3f} USD over {len(result)} origins, "
          f"{result['fit'].nunique()} fit(s)")
BacktestDisplay.from_backtest(frame, title="GRU backtest, refit every 100 days",
                              ylabel="USD")

# %%
# 3. Split conformal versus adaptive intervals (80 %), fed each close after its forecast
results = {}
for name, cls in (("split conformal", ConformalIntervalRegressor),
                  ("adaptive conformal", AdaptiveConformalRegressor)):
    intervals = cls(readme_pipeline(PersistenceRegressor()), coverage=0.8)
    intervals.fit(X[:split], y[:split])
    if cls is AdaptiveConformalRegressor:
        bounds = intervals.predict_interval(X[split:], y[split:])
    else:
        bounds = intervals.predict_interval(X[split:])
    covered = (bounds[:, 0] <= y[split:]) & (y[split:] <= bounds[:, 1])
    results[name] = bounds
    print(f"{name}: coverage {100 * covered.mean():.1f} % (nominal 80 %), median width "
          f"{np.median(bounds[:, 1] - bounds[:, 0]):.3f} USD")

fig, ax = plt.subplots(figsize=(10, 5))
for (name, bounds), colour in zip(results.items(), ("tab:grey", "tab:orange"), strict=True):
    ax.plot(y.index[split:], bounds[:, 1] - bounds[:, 0], color=colour, label=name)
ax.set_title("Width of 80 % intervals on the test span")
ax.set_ylabel("USD")
ax.legend()
plt.show()
