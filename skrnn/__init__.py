"""skrnn: recurrent neural networks (SimpleRNN, LSTM, GRU) as scikit-learn estimators.

Importing skrnn does not import TensorFlow: Keras is loaded the first time a network is built,
trained or unpickled.
"""

from ._baseline import PersistenceRegressor
from ._recurrent import GRURegressor, LSTMRegressor, RNNRegressor
from ._window import WindowTransformer

__version__ = "0.1.0"

__all__ = [
    "GRURegressor",
    "LSTMRegressor",
    "PersistenceRegressor",
    "RNNRegressor",
    "WindowTransformer",
    "__version__",
]
