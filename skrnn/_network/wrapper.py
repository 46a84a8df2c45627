"""The one place SciKeras is used: it builds and compiles the network, or Keras does directly.

SciKeras' ``KerasRegressor.initialize`` builds the model from :func:`build_network` and
compiles it with the optimizer and loss named as plain parameters (``optimizer``,
``optimizer__learning_rate``, ``loss``); skrnn trains it itself
(:mod:`skrnn._network.training`). SciKeras was archived on 2026-04-01 and predates
scikit-learn 1.6, so a release of scikit-learn, Keras or Python may break it: when it is not
installed, fails to import, or fails to build, the same model is built and compiled with Keras
directly, with the same optimizer and loss (tests run the core suite both ways), and a
:class:`SciKerasUnavailableWarning` says so once. ``SKRNN_WITHOUT_SCIKERAS=1`` takes the direct
path from the start.
"""

import functools
import os
import warnings

import keras

from .builder import build_network

_OPTIMIZERS = {"adam": "Adam", "adamw": "AdamW", "nadam": "Nadam", "rmsprop": "RMSprop",
               "sgd": "SGD", "adagrad": "Adagrad"}


class SciKerasUnavailableWarning(UserWarning):
    """SciKeras could not build the network; Keras built and compiled it directly."""


def _import_scikeras():
    """``scikeras.wrappers`` or, where it is not to be used or cannot be, None."""
    if os.environ.get("SKRNN_WITHOUT_SCIKERAS"):
        return None
    try:
        import scikeras.wrappers
    except Exception as exc:  # any failure of a third-party import, not only ImportError
        _warn_once(f"SciKeras cannot be imported ({type(exc).__name__}: {exc})")
        return None
    return scikeras.wrappers


_warned = set()


def _warn_once(reason):
    if reason not in _warned:
        _warned.add(reason)
        warnings.warn(f"{reason}; skrnn builds and compiles its networks with Keras directly, "
                      "with the same results.", SciKerasUnavailableWarning, stacklevel=4)


def _by_scikeras(wrappers, build, X, y, training, loss):
    wrapper = wrappers.KerasRegressor(
        model=build, optimizer=training.optimizer, loss=loss,
        optimizer__learning_rate=training.learning_rate, verbose=0)
    return wrapper.initialize(X[:2], y[:2]).model_


def _by_keras(build, X, y, training, loss):
    optimizer = getattr(keras.optimizers, _OPTIMIZERS[training.optimizer])(
        learning_rate=training.learning_rate)
    meta = {"X_shape_": X.shape, "n_outputs_": y.shape[1]}
    return build(meta, {"optimizer": optimizer, "loss": loss})


def compiled_network(X, y, *, architecture, training, loss, seed):
    """A new, compiled network for ``(n, timesteps, features)`` X and 2-D y."""
    build = functools.partial(build_network, architecture=architecture, seed=seed)
    wrappers = _import_scikeras()
    if wrappers is not None:
        try:
            return _by_scikeras(wrappers, build, X, y, training, loss)
        except (KeyboardInterrupt, MemoryError):
            raise
        except Exception as exc:
            _warn_once(f"SciKeras failed to build the network ({type(exc).__name__}: {exc})")
    return _by_keras(build, X, y, training, loss)
