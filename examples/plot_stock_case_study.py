"""
==========================================
Stock price prediction with RNN and LSTM
==========================================

The classic tutorial fits a ``MinMaxScaler`` on all prices (leaking the test span into
training), builds windows in a Python loop, trains with ``batch_size=1`` and has no baseline.
Here the same study, five years of daily MSFT closes, an 80/20 split, two stacked recurrent
layers of 50 units then ``Dense(25)`` then ``Dense(1)``, is one scikit-learn pipeline: the
scalers are fitted on the training span only, and "tomorrow = today" is in the table.
"""

import matplotlib.pyplot as plt
import pandas as pd
from _settings import DENSE_UNITS, EPOCHS, N_DAYS, UNITS
from sklearn.compose import TransformedTargetRegressor
from sklearn.metrics import root_mean_squared_error
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler

from skrnn import LSTMRegressor, PersistenceRegressor, RNNRegressor, WindowTransformer
from skrnn.datasets import load_msft, make_supervised
from skrnn.plotting import ForecastDisplay

# %%
# Data: ``y[t]`` is the close of the next trading day; the last 20% is the test span.
X, y = make_supervised(load_msft().iloc[-N_DAYS:], target="Close")
n_train = int(0.8 * len(X))
X_train, X_test, y_train, y_test = X[:n_train], X[n_train:], y[:n_train], y[n_train:]

# %%
# Models: the networks see scaled prices, the baseline the raw ones.
WINDOW = 60


def network(regressor):
    return TransformedTargetRegressor(
        Pipeline([("scale", MinMaxScaler().set_output(transform="pandas")),
                  ("window", WindowTransformer(window=WINDOW)),
                  ("model", regressor)]),
        transformer=MinMaxScaler(),
    )


params = dict(units=UNITS, dense_units=DENSE_UNITS, epochs=EPOCHS, random_state=0)
models = {
    "SimpleRNN": network(RNNRegressor(**params)),
    "LSTM": network(LSTMRegressor(**params)),
    "Persistence": Pipeline([("window", WindowTransformer(window=WINDOW)),
                             ("model", PersistenceRegressor())]),
}

# %%
# Fit on the training span, predict the test span (its windows continue the training series).
predictions = {}
for name, model in models.items():
    predictions[name] = model.fit(X_train, y_train).predict(X_test)
rmse = pd.Series({name: root_mean_squared_error(y_test, p) for name, p in predictions.items()},
                 name="test RMSE (USD)")
print(rmse.round(3))

# %%
# The tutorial's figure, for the better network.
best = rmse.drop("Persistence").idxmin()
display = ForecastDisplay.from_predictions(y_train, y_test, predictions[best], model_name=best,
                                           title="MSFT close: next-day forecast",
                                           ylabel="Close (USD)")
plt.show()
