"""skrnn: recurrent neural networks (SimpleRNN, LSTM, GRU) as scikit-learn estimators.

Importing skrnn does not import TensorFlow: Keras is loaded the first time a network is built,
trained or unpickled.
"""

from ._baseline import PersistenceRegressor
from ._forecast import ConformalIntervalRegressor, forecast_recursive
from ._recurrent import GRURegressor, LSTMRegressor, RNNRegressor
from ._versioning import InconsistentVersionWarning, __version__
from ._window import WindowTransformer

__all__ = [
    "ConformalIntervalRegressor",
    "GRURegressor",
    "InconsistentVersionWarning",
    "LSTMRegressor",
    "PersistenceRegressor",
    "RNNRegressor",
    "WindowTransformer",
    "__version__",
    "forecast_recursive",
]
