"""A fitted network as the bytes of a ``.keras`` file: how estimators pickle and skops them.

Keras' native format holds the architecture, the weights and the optimizer's state, and reloads
skrnn's registered layers in safe mode; kept as plain ``bytes`` in an estimator's state, it
travels through ``pickle``, ``joblib`` and ``skops.io`` alike, the last of which cannot walk a
live Keras model.
"""

import tempfile
from pathlib import Path

import keras


def to_bytes(model):
    """The ``.keras`` file of `model`, as bytes."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "network.keras"
        model.save(path)
        return path.read_bytes()


def from_bytes(data):
    """The model saved in `data` by :func:`to_bytes`."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "network.keras"
        path.write_bytes(data)
        return keras.saving.load_model(path)
