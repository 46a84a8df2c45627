"""
=====================================================
An LSTM, Ridge and persistence over the same windows
=====================================================

One ``GridSearchCV`` with ``TimeSeriesSplit`` compares an LSTM with a linear model and the
naive baseline over several window lengths. Prices are modelled on a log scale: the same fixed
map on ``X`` and ``y`` needs no fitting (so it cannot leak) and keeps the persistence forecast
exact once predictions are mapped back to dollars. RMSE is in dollars.

Where the networks win and lose against the statistical models a forecaster would otherwise
fit (``benchmarks/bench_quality.py``, real series, one-step forecasts, RMSE over persistence's):
at their defaults they beat statsforecast's AutoETS and AutoARIMA on airpassengers (0.344
against 0.384) and nile (0.928 against 0.952), match them on lynx and on prices, and lose by
3-21 % on wineind, elnino, heartrate and elec_equip. Given the season's calendar as
covariates (``make_supervised(calendar=["season"])``) they beat both on elnino and wineind as
well and lose on elec_equip by 9 %; heartrate (no dates, 15 % behind AutoARIMA) needs the
moving-average state that no window holds. On a seasonal series, put a seasonal ARIMA beside
them.
"""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from _settings import DENSE_UNITS, EPOCHS, N_DAYS, UNITS
from sklearn.compose import TransformedTargetRegressor
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer

from skrnn import LSTMRegressor, PersistenceRegressor, WindowTransformer
from skrnn.datasets import load_msft, make_supervised
from skrnn.plotting import ModelComparisonDisplay

X, y = make_supervised(load_msft().iloc[-N_DAYS:], target="Close")

model = TransformedTargetRegressor(
    Pipeline([
        ("log", FunctionTransformer(np.log, np.exp)),
        ("window", WindowTransformer()),
        ("model", PersistenceRegressor()),
    ]),
    func=np.log,
    inverse_func=np.exp,
)
search = GridSearchCV(
    model,
    {
        "regressor__window__window": [5, 20] if N_DAYS < 1000 else [5, 20, 60],
        "regressor__model": [
            LSTMRegressor(units=UNITS, dense_units=DENSE_UNITS, epochs=EPOCHS, random_state=0),
            Ridge(alpha=1e-3),
            PersistenceRegressor(),
        ],
    },
    cv=TimeSeriesSplit(n_splits=3),
    scoring="neg_root_mean_squared_error",
).fit(X, y)

# %%
results = pd.DataFrame(search.cv_results_)
results["model"] = results["param_regressor__model"].map(lambda m: type(m).__name__)
print(results.pivot_table(index="model", columns="param_regressor__window__window",
                          values="mean_test_score").abs().round(3))

# %%
ModelComparisonDisplay.from_cv_results(
    search, model_param="regressor__model", window_param="regressor__window__window",
    ylabel="RMSE (USD)", title="Cross-validated RMSE on MSFT daily closes",
)
plt.show()
