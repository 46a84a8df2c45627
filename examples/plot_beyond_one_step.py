"""
==========================================================================
Beyond one step: anchored networks, multi-step forecasts and intervals
==========================================================================

Three things the classic tutorial does not do, all inside plain scikit-learn:

1. **Anchored networks**: a network learns a correction to an anchor fitted in closed form
   (``anchor="last"``: the persistence forecast; ``anchor="linear"``: a ridge regression of
   the window; the default ``"auto"`` picks the better one on a validation span), so an
   untrained network *is* its anchor. ``anchor=None`` is the plain network of the tutorial.
   Prices are modelled on a log scale here, one fixed map on ``X`` and ``y``.
2. **Multi-step forecasts**, direct (one network with one output per step) versus recursive
   (a one-step network fed its own forecasts), compared step by step.
3. **Prediction intervals** from errors on later, unseen time spans (conformal), with their
   empirical coverage on the test span.
"""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from _settings import DENSE_UNITS, EPOCHS, N_DAYS, UNITS
from sklearn.compose import TransformedTargetRegressor
from sklearn.model_selection import TimeSeriesSplit, cross_validate
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from skrnn import (
    ConformalIntervalRegressor,
    LSTMRegressor,
    PersistenceRegressor,
    WindowTransformer,
    forecast_recursive,
)
from skrnn.datasets import load_msft, make_supervised
from skrnn.plotting import ForecastDisplay

prices = load_msft().iloc[-N_DAYS:]
WINDOW = 30


def on_log_prices(model):
    """Window log prices, predict log prices, report dollars: one fixed map, no leakage."""
    return TransformedTargetRegressor(
        Pipeline([("log", FunctionTransformer(np.log, np.exp)),
                  ("window", WindowTransformer(window=WINDOW)), ("model", model)]),
        func=np.log, inverse_func=np.exp,
    )


def lstm(**kwargs):
    return LSTMRegressor(units=UNITS, dense_units=DENSE_UNITS, epochs=EPOCHS, random_state=0,
                         **kwargs)


# %%
# 1. Plain, anchored and default LSTMs and persistence under TimeSeriesSplit (RMSE in dollars)
X, y = make_supervised(prices, target="Close")
cv = TimeSeriesSplit(n_splits=3)
scores = {}
for name, model in [("LSTM, anchor=None", on_log_prices(lstm(anchor=None))),
                    ("LSTM, anchor='last'", on_log_prices(lstm(anchor="last"))),
                    ("LSTM, default anchor", on_log_prices(lstm())),
                    ("Persistence", on_log_prices(PersistenceRegressor()))]:
    rmse = -cross_validate(model, X, y, cv=cv, scoring="neg_root_mean_squared_error")[
        "test_score"]
    scores[name] = {"mean RMSE": rmse.mean(), "std RMSE": rmse.std()}
print(pd.DataFrame(scores).T.round(3))

# %%
# 2. Five days ahead: direct versus recursive, RMSE per step on the last 20% of the series
HORIZON = 5
X, Y = make_supervised(prices, target="Close", horizon=HORIZON, multi_output=True)
n_train = int(0.8 * len(X))
direct = on_log_prices(lstm(anchor="last")).fit(X[:n_train], Y[:n_train])
one_step = on_log_prices(lstm(anchor="last")).fit(X[:n_train], Y.iloc[:n_train, 0])
origins = range(n_train, len(X), 5)
direct_errors = (direct.predict(X) - Y.to_numpy())[list(origins)]
recursive_errors = np.array([
    forecast_recursive(one_step, X.iloc[: origin + 1], steps=HORIZON) - Y.iloc[origin].to_numpy()
    for origin in origins
])
per_step = pd.DataFrame({
    "direct": np.sqrt(np.mean(direct_errors**2, axis=0)),
    "recursive": np.sqrt(np.mean(recursive_errors**2, axis=0)),
}, index=[f"t+{h}" for h in range(1, HORIZON + 1)])
print(per_step.round(3).rename_axis("RMSE (USD)"))

# %%
# 3. An 80% interval for tomorrow's close, and how often it held on the test span
X, y = make_supervised(prices, target="Close")
n_train = int(0.8 * len(X))
model = ConformalIntervalRegressor(on_log_prices(lstm(anchor="last")), coverage=0.8,
                                   n_splits=3).fit(X[:n_train], y[:n_train])
interval = model.predict_interval(X[n_train:])
y_test = y[n_train:]
covered = np.mean((interval[:, 0] <= y_test) & (y_test <= interval[:, 1]))
print(f"80% interval: empirical coverage on the test span {covered:.1%}")

display = ForecastDisplay.from_predictions(y[:n_train], y_test, model.predict(X[n_train:]),
                                           model_name="anchored LSTM", ylabel="Close (USD)")
display.ax_.fill_between(y_test.index, interval[:, 0], interval[:, 1], alpha=0.3,
                         label="80% interval")
display.ax_.legend()
plt.show()
