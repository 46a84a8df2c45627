"""Every line of skrnn that touches Keras or SciKeras: building, training and calling networks.

Importing this package imports Keras, so skrnn's public modules import it only when a network
is built, trained or unpickled. One job per module: :mod:`.layers` (skrnn's Keras layers and
losses), :mod:`.builder` (the anchored network), :mod:`.wrapper` (SciKeras builds and compiles
it, or Keras directly), :mod:`.training` (batches, early stopping, traced programs reused);
this module puts them together for :mod:`skrnn._recurrent`. Process-wide concerns (thread
pools, a log filter, a TensorFlow leak, forked children) live in :mod:`skrnn._process`.
"""

import sys

import numpy as np

from .. import _process

_first_tensorflow_import = "tensorflow" not in sys.modules
import keras  # noqa: E402  (after noting whether TensorFlow was loaded before)

if keras.backend.backend() == "tensorflow":
    _process.size_thread_pools(_first_tensorflow_import)

from . import training as _training  # noqa: E402
from .builder import for_prediction  # noqa: E402
from .layers import PerNetwork, Pinball  # noqa: E402
from .wrapper import compiled_network  # noqa: E402

_PREDICT_BATCH_SIZE = 256
_SMALL_PREDICT = 32


class PickledModel:
    """A fitted Keras model inside a pickle. Unpickling this class imports this package first,
    which registers skrnn's layers with Keras before the model itself is rebuilt."""

    def __init__(self, model):
        self.model = model


def backend_name():
    """The Keras backend the networks run on: "tensorflow", "jax" or "torch"."""
    return keras.backend.backend()


def warm_up():
    """Run a tiny prediction once, and import SciKeras (which imports TensorFlow on every
    backend): TensorFlow prints its remaining start-up lines here."""
    from .wrapper import _import_scikeras

    _import_scikeras()
    inputs = keras.Input(shape=(1, 1))
    model = keras.Model(inputs, keras.layers.Dense(1)(keras.layers.Flatten()(inputs)))
    model.predict_on_batch(np.zeros((1, 1, 1), np.float32))


def fit_network(X, y, *, architecture, training, seed, sample_weight=None, shuffle_seed=None):
    """Build and train a network on ``(n, timesteps, features)`` X and 2-D y.

    `architecture` and `training` are the two small descriptions made by the estimator
    (:class:`skrnn._recurrent.Architecture`, :class:`skrnn._recurrent.Training`). X and y are
    standardised with the architecture's statistics in float64 before anything becomes
    float32, and the network returned works in those standardised units (see
    :func:`predict_network`). Also returns the per-epoch history (losses in standardised
    units) and the epoch whose weights were kept (0: the untrained network). `seed` seeds
    the weights and dropout, `shuffle_seed` (default: `seed`) the order of the training
    windows; `sample_weight` weighs the rows' losses (zero leaves a row out).
    """
    _process.refuse_forked_child()
    loss = Pinball(architecture.quantiles) if architecture.quantiles else training.loss
    trained_loss = loss if architecture.n_networks == 1 else PerNetwork(
        loss, architecture.n_networks)
    y_standardised = (y - architecture.y_mean) / architecture.y_scale

    def build():
        return compiled_network(X, y_standardised, architecture=architecture,
                                training=training, loss=trained_loss, seed=seed)

    program = _training.program(architecture, training, X, y_standardised)
    model = build()
    with _process.quiet_retracing(), _process.forget_all_reduce_gradients():
        history, kept_epoch = _training.train(
            model, build, X, y_standardised, architecture=architecture, training=training,
            weights=sample_weight, seed=seed if shuffle_seed is None else shuffle_seed,
            key=program)
    model = for_prediction(model, architecture, loss)
    _training.share_compiled_predict(model, program)
    return model, {name: list(values) for name, values in history.items()}, kept_epoch


def predict_network(model, X, *, x_mean, x_scale, y_mean, y_scale):
    """Forecasts of a fitted network in y's units, float64, always 2-D ``(n, n_outputs)``.

    X is standardised in float64 before it becomes float32, and the network's standardised
    output is brought back to y's units in float64 (`y_mean` and `y_scale` repeated for each
    quantile level when the network forecasts several). A forecast float32 cannot hold is
    refused rather than returned as infinity.

    ``Model.predict`` sets up a data pipeline on every call (about 0.07 s), which dominates
    per-row loops (recursive forecasts, backtests, skforecast, live use), so the compiled
    model is called directly, ``predict_on_batch``, one chunk at a time: up to 32 rows padded
    to 32, more in chunks of 256 (the last padded). Two input shapes, traced once per model;
    on 20,000 rows this is as fast as ``Model.predict``.
    """
    _process.refuse_forked_child()
    size = _SMALL_PREDICT if len(X) <= _SMALL_PREDICT else _PREDICT_BATCH_SIZE
    chunks = _training.Batches(X, x_mean=x_mean, x_scale=x_scale, batch_size=size, pad=True)
    with _process.quiet_retracing():
        outputs = [np.asarray(model.predict_on_batch(chunks[i][0])) for i in range(len(chunks))]
    standardised = np.concatenate(outputs)[: len(X)].reshape(len(X), -1).astype(np.float64)
    if not np.all(np.isfinite(standardised)):
        raise ValueError(
            "The network's forecast overflowed float32 for some rows of X: they lie too far "
            "outside the training rows. Check X's units, or fit on rows of the same scale."
        )
    levels = standardised.shape[1] // len(np.atleast_1d(y_mean))
    return standardised * np.repeat(y_scale, levels) + np.repeat(y_mean, levels)
