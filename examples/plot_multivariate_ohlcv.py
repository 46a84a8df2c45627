"""
==============================================
Multivariate windows: OHLCV to the next close
==============================================

A window can hold several columns per day. ``WindowTransformer`` flattens them and records the
window shape, so the GRU reads ``(window, 5)`` sequences while the pipeline stays plain
scikit-learn. We compare the GRU on Open, High, Low, Close and log-Volume with the GRU on Close
alone and with the persistence baseline (``target_feature`` points at the Close column).
"""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from _settings import DENSE_UNITS, EPOCHS, N_DAYS, UNITS
from sklearn.compose import TransformedTargetRegressor
from sklearn.metrics import root_mean_squared_error
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import MinMaxScaler

from skrnn import GRURegressor, PersistenceRegressor, WindowTransformer
from skrnn.datasets import load_msft, make_supervised
from skrnn.plotting import ForecastDisplay

prices = load_msft().iloc[-N_DAYS:].assign(LogVolume=lambda f: np.log(f["Volume"]))
FEATURES = ["Open", "High", "Low", "Close", "LogVolume"]
X, y = make_supervised(prices, target="Close", features=FEATURES)
n_train = int(0.8 * len(X))
X_train, X_test, y_train, y_test = X[:n_train], X[n_train:], y[:n_train], y[n_train:]


def gru(window=30):
    return TransformedTargetRegressor(
        Pipeline([("scale", MinMaxScaler().set_output(transform="pandas")),
                  ("window", WindowTransformer(window=window)),
                  ("model", GRURegressor(units=UNITS, dense_units=DENSE_UNITS, epochs=EPOCHS,
                                         random_state=0))]),
        transformer=MinMaxScaler(),
    )


results, predictions = {}, {}
for name, model, columns in [
    ("GRU on OHLCV", gru(), FEATURES),
    ("GRU on Close", gru(), ["Close"]),
    ("Persistence", Pipeline([("window", WindowTransformer(window=30)),
                              ("model", PersistenceRegressor(target_feature=3))]), FEATURES),
]:
    predictions[name] = model.fit(X_train[columns], y_train).predict(X_test[columns])
    results[name] = root_mean_squared_error(y_test, predictions[name])
print(pd.Series(results, name="test RMSE (USD)").round(3))

# %%
# The GRU saw sequences of 30 days x 5 features:
print(gru().fit(X_train, y_train).regressor_["model"].sequence_shape_)

# %%
ForecastDisplay.from_predictions(y_train, y_test, predictions["GRU on OHLCV"],
                                 model_name="GRU on OHLCV", ylabel="Close (USD)")
plt.show()
