"""
==========================================================================
What you know about tomorrow, and many series at once
==========================================================================

Two features of forecasting libraries, as plain scikit-learn composition:

1. **Known-future covariates.** ``make_supervised(..., calendar=["dayofweek", "month"])`` adds
   the calendar of the *forecast* date (a Friday's forecast is for Monday), and
   ``WindowTransformer(covariates="future")`` passes those columns beside the windows instead
   of windowing them; the network feeds them to its output layers. On the bundled MSFT
   closes the calendar carries next to nothing, and the scores say so.
2. **One global model.** Five spans of MSFT closes, four years apart, at prices from 1 to 60
   USD, form a panel (``WindowTransformer(series_id="span")``). One GRU with
   ``normalization="window"`` (every window at its own scale) learns from all five at once;
   it is compared with one GRU per span, on the last 20 % of each.

``benchmarks/bench_global.py`` runs the same comparison on eleven real series of different
kinds; its figures are in ``benchmarks/README.md``.
"""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from _settings import DENSE_UNITS, EPOCHS, N_DAYS, UNITS
from sklearn.pipeline import make_pipeline

from skrnn import GRURegressor, PersistenceRegressor, WindowTransformer
from skrnn.datasets import load_msft, make_supervised

WINDOW = 20


def gru(**kwargs):
    return GRURegressor(units=UNITS[:1], dense_units=DENSE_UNITS, epochs=EPOCHS,
                        random_state=0, **kwargs)


def rmse(prediction, truth):
    return float(np.sqrt(np.mean((np.asarray(prediction) - np.asarray(truth)) ** 2)))


# %%
# 1. Calendar covariates: the weekday and month of the next trading day
prices = load_msft().iloc[-N_DAYS:]
X, y = make_supervised(prices, target="Close", calendar=["dayofweek", "month"])
print("Columns of X:", list(X.columns[:4]), "...", len(X.columns), "in all")
split = len(X) - min(250, len(X) // 3)
models = {
    "Persistence": make_pipeline(WindowTransformer(WINDOW, covariates="future"),
                                 PersistenceRegressor()),
    "GRU": make_pipeline(WindowTransformer(WINDOW), gru()),
    "GRU + calendar": make_pipeline(WindowTransformer(WINDOW, covariates="future"), gru()),
}
scores = {}
for name, model in models.items():
    columns = ["Close"] if name == "GRU" else list(X.columns)
    model.fit(X[columns][:split], y[:split])
    scores[name] = rmse(model.predict(X[columns][split:]), y[split:])
    print(f"{name:15s} test RMSE {scores[name]:.3f} USD")

fig, ax = plt.subplots(figsize=(7, 4))
ax.bar(list(scores), list(scores.values()), color=["grey", "tab:blue", "tab:orange"])
ax.set_ylabel("Test RMSE (USD)")
ax.set_title("Next-day MSFT close: does the calendar help?")

# %%
# 2. One global GRU across five spans of MSFT closes at very different price levels
closes = load_msft()["Close"]
starts = ["1994-01-01", "1998-01-01", "2002-01-01", "2006-01-01", "2010-01-01"]
if N_DAYS < 1000:  # the test suite's quick run: three short spans
    starts = starts[::2]
span_days = 80 if N_DAYS < 1000 else 500
frames, targets = [], []
for start in starts:
    span = closes[start:].iloc[: span_days + 1]
    frames.append(pd.DataFrame({"span": start[:4], "Close": span.to_numpy()[:-1]},
                               index=span.index[:-1]))
    targets.append(pd.Series(span.to_numpy()[1:], index=span.index[:-1]))
panel, target = pd.concat(frames), pd.concat(targets)
train = (panel.groupby("span").cumcount() < int(0.8 * span_days)).to_numpy()

single_scores, global_scores, persistence_scores = {}, {}, {}
global_model = make_pipeline(WindowTransformer(WINDOW, series_id="span"),
                             gru(normalization="window"))
global_model.fit(panel[train], target[train])
forecast = pd.Series(global_model.predict(panel[~train]), index=panel.index[~train])
for name, rows in panel.groupby("span"):
    own_train = train[(panel["span"] == name).to_numpy()]
    single = make_pipeline(WindowTransformer(WINDOW), gru())
    single.fit(rows[["Close"]][own_train], target[rows.index][own_train])
    truth = target[rows.index][~own_train]
    persistence_scores[name] = rmse(rows["Close"][~own_train], truth)
    single_scores[name] = rmse(single.predict(rows[["Close"]][~own_train]), truth)
    global_scores[name] = rmse(forecast[rows.index[~own_train]], truth)
    print(f"span {name}: RMSE / persistence, one GRU per span "
          f"{single_scores[name] / persistence_scores[name]:.3f}, global GRU "
          f"{global_scores[name] / persistence_scores[name]:.3f}")

fig, ax = plt.subplots(figsize=(8, 4))
names = list(persistence_scores)
positions = np.arange(len(names))
bars = (("One GRU per span", single_scores), ("One global GRU", global_scores))
for offset, (label, values) in zip((-0.2, 0.2), bars, strict=True):
    ax.bar(positions + offset, [values[n] / persistence_scores[n] for n in names], width=0.4,
           label=label)
ax.axhline(1.0, color="black", lw=1, ls="--", label="Persistence")
ax.set_xticks(positions, [f"from {n}" for n in names])
ax.set_ylabel("Test RMSE / persistence")
ax.set_title("MSFT spans at 1-60 USD: per-span networks against one global network")
ax.legend()
plt.show()
