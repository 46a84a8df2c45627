"""skrnn: recurrent neural networks (SimpleRNN, LSTM, GRU) as scikit-learn estimators.

``import skrnn`` is cheap: each public name is imported on first access (PEP 562), so
scikit-learn is loaded when an estimator is first used, and Keras/TensorFlow only when a
network is built, trained or unpickled.
"""

import importlib
from typing import TYPE_CHECKING

from . import _process  # noqa: F401  (its fork handler: see skrnn._process)
from ._versioning import InconsistentVersionWarning, __version__

_LAZY_NAMES = {
    "AdaptiveConformalRegressor": "._forecast",
    "backtest": "._backtest",
    "compare_backtests": "._significance",
    "compare_cv_results": "._significance",
    "compare_forecasts": "._significance",
    "ForecastComparison": "._significance",
    "ConformalIntervalRegressor": "._forecast",
    "forecast_recursive": "._forecast",
    "predict_quantiles": "._quantiles",
    "GRURegressor": "._recurrent",
    "LSTMRegressor": "._recurrent",
    "NoTimeAxisWarning": "._window",
    "RNNRegressor": "._recurrent",
    "PanelSplit": "._split",
    "PersistenceRegressor": "._baseline",
    "WindowTransformer": "._window",
}

__all__ = [
    "AdaptiveConformalRegressor",
    "ConformalIntervalRegressor",
    "ForecastComparison",
    "GRURegressor",
    "InconsistentVersionWarning",
    "LSTMRegressor",
    "NoTimeAxisWarning",
    "PanelSplit",
    "PersistenceRegressor",
    "RNNRegressor",
    "WindowTransformer",
    "__version__",
    "backtest",
    "compare_backtests",
    "compare_cv_results",
    "compare_forecasts",
    "forecast_recursive",
    "predict_quantiles",
]


def __getattr__(name):
    if name not in _LAZY_NAMES:
        raise AttributeError(f"module 'skrnn' has no attribute {name!r}")
    value = getattr(importlib.import_module(_LAZY_NAMES[name], __name__), name)
    globals()[name] = value  # later accesses skip this function
    return value


def __dir__():
    return __all__


if TYPE_CHECKING:  # static analysers and IDEs see the names eagerly
    from ._backtest import backtest
    from ._baseline import PersistenceRegressor
    from ._forecast import (
        AdaptiveConformalRegressor,
        ConformalIntervalRegressor,
        forecast_recursive,
    )
    from ._quantiles import predict_quantiles
    from ._recurrent import GRURegressor, LSTMRegressor, RNNRegressor
    from ._significance import (
        ForecastComparison,
        compare_backtests,
        compare_cv_results,
        compare_forecasts,
    )
    from ._split import PanelSplit
    from ._window import NoTimeAxisWarning, WindowTransformer
