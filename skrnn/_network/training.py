"""Training: batches standardised in float64, early stopping, and reuse of traced programs.

skrnn calls ``Model.fit`` itself, on :class:`Batches` cut from (possibly strided) windows: one
batch is copied at a time, standardised in float64 and only then cast to float32, with
sample weights that carry the user's weights and neutralise padding. The model that trains is
one already traced by an earlier fit of the same program in this thread, if any, loaded with
the new model's initial state and copied back after training (:func:`train`).
"""

import dataclasses
import math
import threading
from collections import OrderedDict

import keras
import numpy as np


def standardised(X, mean, scale):
    """``(X - mean) / scale`` in float64, cast to float32; refused where float32 overflows."""
    values = ((np.asarray(X, dtype=np.float64) - mean) / scale).astype(np.float32)
    if not np.all(np.isfinite(values)):
        raise ValueError(
            "X holds values too far from the training rows for a float32 network (more than "
            "3e38 of their standard deviations away, once standardised): they would become "
            "infinite. Check X's units, or fit on rows of the same scale."
        )
    return values


class Batches(keras.utils.PyDataset):
    """Standardised float32 batches cut from a (possibly strided) sequence array as Keras asks.

    Only one batch is ever copied at a time, so a window view of a long series is never
    materialised, and shuffling uses a private generator instead of TensorFlow's global seed.
    `rows` are the rows to cut from (by default all; rows of zero sample weight are left out,
    which is what a zero weight means). With `pad`, every batch has exactly `batch_size` rows,
    the last one completed with copies of its own rows: the same kernels then run for every
    row, so a row's prediction does not depend on which other rows are predicted with it, and
    XLA compiles one program for every batch. With `y`, batches come with sample weights: the
    rows' `weights` (scaled to a mean of one), zero for the copies, and scaled so that the loss
    stays a weighted mean over the real rows: with `mean_over="batch"` a batch's loss is the
    mean over its own rows (what a training step descends), with ``"span"`` Keras' average of
    the batches' losses is the mean over all rows (the validation loss).
    """

    def __init__(self, X, y=None, *, x_mean, x_scale, batch_size, rows=None, weights=None,
                 rng=None, pad=False, mean_over="batch"):
        super().__init__()
        self.X, self.y, self.batch_size, self.rng = X, y, batch_size, rng
        self.x_mean, self.x_scale = x_mean, x_scale
        self.pad, self.mean_over = pad, mean_over
        self.order = np.arange(len(X)) if rows is None else np.array(rows)
        self.weights = None
        if weights is not None:
            self.weights = np.asarray(weights, dtype=np.float64) / np.mean(weights[self.order])
        self.on_epoch_end()

    def __len__(self):
        return math.ceil(len(self.order) / self.batch_size)

    def __getitem__(self, index):
        rows = self.order[index * self.batch_size : (index + 1) * self.batch_size]
        n_rows = len(rows)
        if self.pad:
            rows = np.resize(rows, self.batch_size)  # repeats them
        X = standardised(self.X[rows], self.x_mean, self.x_scale)
        if self.y is None:
            return (X,)
        y = np.asarray(self.y[rows], dtype=np.float32)
        if not self.pad and self.weights is None:
            return X, y
        weights = np.ones(len(rows)) if self.weights is None else self.weights[rows]
        if self.pad:
            per_batch = n_rows if self.mean_over == "batch" else len(self.order) / len(self)
            weights = weights * (self.batch_size / per_batch)
            weights[n_rows:] = 0.0
        return X, y, weights.astype(np.float32)

    def on_epoch_end(self):
        if self.rng is not None:
            self.rng.shuffle(self.order)


# How much better than the untrained network (the anchor) on the validation span a trained one
# must be to replace it (see KeepBest).
KEEP_MARGIN = 0.01
# The one-sided level at which the Diebold-Mariano test must find the trained network better
# than the untrained one on the validation span for it to be kept (see KeepBest).
KEEP_LEVEL = 0.1


class KeepBest(keras.callbacks.Callback):
    """Early stopping that counts the untrained network as a candidate.

    Keeps the weights with the lowest validation loss seen so far, starting from the network
    before training (`initial_loss`: with an anchor, the anchor itself), stops after `patience`
    epochs without improvement and restores the best weights at the end. A trained network
    replaces the untrained one only if it is at least `margin` (1 %) better on the validation
    span: on a random walk, a correction that wins by less is fitting noise. With `validation`
    (the validation batches), it must also be better row by row: a one-sided Diebold-Mariano
    test of the two networks' losses on those rows (:func:`skrnn._statistics.diebold_mariano`)
    at `level`, since on a span of a few rows a 1 % gain says nothing. On the validation span,
    the network returned is never worse than its anchor. `kept_epoch` is the epoch whose
    weights were kept (from 1), 0 for the untrained network.
    """

    def __init__(self, initial_loss, patience, margin=None, validation=None, level=None):
        super().__init__()
        margin = KEEP_MARGIN if margin is None else margin
        self.best, self.patience, self.wait = initial_loss * (1 - margin), patience, 0
        self.validation, self.level = validation, KEEP_LEVEL if level is None else level
        self.kept_epoch = 0

    def on_train_begin(self, logs=None):
        self.untrained_weights = self.best_weights = self.model.get_weights()

    def on_epoch_end(self, epoch, logs=None):
        loss = (logs or {}).get("val_loss")
        if loss is not None and loss < self.best:
            self.best, self.wait, self.best_weights = loss, 0, self.model.get_weights()
            self.kept_epoch = epoch + 1
        else:
            self.wait += 1
            if self.wait >= self.patience:
                self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.kept_epoch and self.validation is not None and not self._significant():
            self.best_weights, self.kept_epoch = self.untrained_weights, 0
        self.model.set_weights(self.best_weights)

    def _significant(self):
        from .._statistics import diebold_mariano  # SciPy, imported when a network is kept

        gain = self._row_losses(self.untrained_weights) - self._row_losses(self.best_weights)
        if len(gain) < 2:
            return False
        statistic, p_value, _ = diebold_mariano(gain, 1)
        return bool(statistic > 0 and p_value / 2 < self.level)

    def _row_losses(self, weights):
        """Each validation row's loss (weighted), in time order, under `weights`."""
        self.model.set_weights(weights)
        loss = self.model.loss
        per_row = loss.call if isinstance(loss, keras.losses.Loss) else keras.losses.get(loss)
        losses = []
        for X, y, *weight in (self.validation[i] for i in range(len(self.validation))):
            row = keras.ops.convert_to_numpy(per_row(y, self.model(X, training=False)))
            row = row.reshape(len(row), -1).mean(axis=1)
            if weight:
                row = (row * weight[0])[weight[0] > 0]
            losses.append(row)
        return np.concatenate(losses).astype(np.float64)


class CutLearningRate(keras.callbacks.Callback):
    """Multiply the learning rate by `factor` after every `every` epochs in which `keep_best`
    found no new best network (Keras' ``ReduceLROnPlateau``, counted against the anchor as
    :class:`KeepBest` counts): a long series' correction goes on improving in smaller steps
    once the first rate stalls. The rate is restored at the end, for the next fit."""

    def __init__(self, keep_best, every=4, factor=0.3):
        super().__init__()
        self.keep_best, self.every, self.factor = keep_best, every, factor

    def on_train_begin(self, logs=None):
        self.first_rate = float(self.model.optimizer.learning_rate)

    def on_epoch_end(self, epoch, logs=None):
        if self.keep_best.wait and self.keep_best.wait % self.every == 0:
            rate = self.model.optimizer.learning_rate
            rate.assign(rate * self.factor)

    def on_train_end(self, logs=None):
        self.model.optimizer.learning_rate.assign(self.first_rate)


class BatchProgress(keras.callbacks.Callback):
    """Keras' ``verbose=1`` progress bar, counting batches: Keras' own counts a whole call of
    the compiled function (``steps_per_execution`` batches) as if it were one batch each."""

    def __init__(self, n_batches, epochs):
        super().__init__()
        self.n_batches, self.epochs = n_batches, epochs

    def on_epoch_begin(self, epoch, logs=None):
        print(f"Epoch {epoch + 1}/{self.epochs}")
        self.bar = keras.utils.Progbar(self.n_batches)

    def on_train_batch_end(self, batch, logs=None):
        self.bar.update(min(batch + 1, self.n_batches), values=list((logs or {}).items()))

    def on_epoch_end(self, epoch, logs=None):
        self.bar.update(self.n_batches, values=list((logs or {}).items()), finalize=True)


# Models already traced, per thread: a fit of the same program trains one of them instead of
# tracing its own (about 1.5 s of a default LSTM fit on TensorFlow), then hands the state to
# its own model.
MAX_TRAINERS = 2
_trainers = threading.local()


def program(architecture, training, X, y):
    """What fixes a network's traced training program: everything but the values that enter
    it as weights (anchors, window maps: arrays, compared by shape) and `spread` (an initial
    weight), plus Keras' global dtype settings. A new field of
    :class:`skrnn._recurrent.Architecture` is part of it by value unless it is an array."""

    def shape_only(value):
        if isinstance(value, np.ndarray):
            return ("array", value.shape)
        return tuple(map(shape_only, value)) if isinstance(value, tuple) else value

    fixed = tuple((field.name, shape_only(getattr(architecture, field.name)))
                  for field in dataclasses.fields(architecture) if field.name != "spread")
    return (fixed, training.optimizer, training.learning_rate, training.loss,
            training.batch_size, X.shape[1:], y.shape[1:],
            keras.config.dtype_policy().name, keras.config.floatx())


def kept(store="models"):
    """This thread's traced models (or, `store="predict functions"`, compiled predict
    functions) by program, the one used last at the end."""
    return vars(_trainers).setdefault(store, OrderedDict())


def keep(store, key, value):
    """Keep `value` for `key`, with the `MAX_TRAINERS - 1` keys used last (the folds and the
    refit of one grid-search candidate follow one another)."""
    store[key] = value
    store.move_to_end(key)
    while len(store) > MAX_TRAINERS:
        store.popitem(last=False)


def forget_trainers():
    kept().clear()
    kept("predict functions").clear()


def _state(model):
    """Every variable training reads or changes: weights, random-seed states, optimizer."""
    if not model.optimizer.built:
        model.optimizer.build(model.trainable_variables)
    return [*model.variables, *model.optimizer.variables]


def _copy_state(source, target):
    for source_variable, target_variable in zip(_state(source), _state(target), strict=True):
        target_variable.assign(source_variable.value)


def _validation_rows(weights, n, fraction):
    """The last `fraction` of the rows of positive weight (all rows without weights)."""
    counted = np.arange(n) if weights is None else np.flatnonzero(weights > 0)
    n_validation = int(fraction * len(counted))
    return counted[: len(counted) - n_validation], counted[len(counted) - n_validation:]


def train(model, build, X, y, *, architecture, training, weights, seed, key):
    """Train `model` on standardised targets `y`, through this thread's traced model of `key`
    (or a new one from `build()`), and return Keras' history and the epoch whose weights were
    kept (0: the untrained network, which early stopping may keep; without it, the last).
    Rows of zero weight are left out of every batch and of the validation span, which is the
    last `training.validation` of the rows of positive weight, in time order."""
    trainer = kept().pop(key, None)  # taken out while it trains: a failed fit drops it
    if trainer is None:
        trainer = build()
    _copy_state(model, trainer)
    train_rows, validation_rows = _validation_rows(weights, len(X), training.validation)
    rng = np.random.default_rng(seed) if training.shuffle else None
    # XLA compiles a program per batch shape: unpadded, every fold's last partial batches
    # (training and validation) compile their own (one default LSTM's three folds and refit on
    # JAX: 31.8 s unpadded, 19.5 s padded). Keras then averages the training loss it logs per
    # epoch as if the last batch were full.
    common = dict(x_mean=architecture.x_mean, x_scale=architecture.x_scale, weights=weights,
                  batch_size=training.batch_size, pad=keras.backend.backend() == "jax")
    batches = Batches(X, y, rows=train_rows, rng=rng, **common)
    callbacks, validation_data = [], None
    if len(validation_rows):
        validation_data = Batches(X, y, rows=validation_rows, mean_over="span", **common)
        initial_loss = float(trainer.evaluate(validation_data, verbose=0))
        keep_best = KeepBest(initial_loss, training.patience, validation=validation_data)
        callbacks += [keep_best, CutLearningRate(keep_best)]
    if training.verbose == 1:
        callbacks.append(BatchProgress(len(batches), training.epochs))
    history = trainer.fit(
        batches,
        validation_data=validation_data,
        epochs=training.epochs,
        callbacks=callbacks,
        shuffle=False,  # Keras would reorder batches with Python's global `random`
        verbose=0 if training.verbose == 1 else training.verbose,
    )
    _copy_state(trainer, model)
    keep(kept(), key, trainer)
    epochs_run = len(history.history.get("loss", ()))
    kept_epoch = callbacks[0].kept_epoch if len(validation_rows) else epochs_run
    return history.history, kept_epoch


def share_compiled_predict(model, key):
    """On JAX, let `model` predict through the predict function compiled for an earlier
    model of the same program in this thread, which saves XLA's compilation of each padded
    shape on a new model's first predicts (about 0.3 s). Sound there because JAX hands the
    calling model's weights to the function as arguments at every call; TensorFlow's traced
    functions capture their model's variables, so there every model traces its own."""
    if keras.backend.backend() != "jax":
        return
    functions = kept("predict functions")
    function = functions.get(key)
    if function is None:
        model.make_predict_function()
        function = model.predict_function
    keep(functions, key, function)
    model.predict_function = function
