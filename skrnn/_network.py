"""Every line of skrnn that touches Keras, TensorFlow or SciKeras.

Importing this module imports Keras, so skrnn's public modules import it only when a network is
built, trained or unpickled. Swapping SciKeras for another wrapper means rewriting this module
alone: the rest of skrnn calls :func:`fit_network` and :func:`predict_network`.
"""

import contextlib
import functools
import logging
import math
import os
import sys
from collections import defaultdict

import numpy as np


@contextlib.contextmanager
def _native_stderr_silenced():
    """Hide what TensorFlow's C++ start-up writes straight to file descriptor 2.

    TensorFlow prints banners (oneDNN, CUDA probing) before its logging is configured, so
    ``TF_CPP_MIN_LOG_LEVEL`` does not hide them. Only the start-up is silenced (Python
    warnings printed meanwhile are hidden too); exceptions still propagate.
    """
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def _size_thread_pools_from_omp_num_threads(tf):
    """Give TensorFlow's thread pools the size OMP_NUM_THREADS gives the BLAS/OpenMP pools.

    joblib's process workers (``cores // n_jobs``) and dask's nanny (1) set OMP_NUM_THREADS in
    each worker so that parallel workers do not oversubscribe the cores, but TensorFlow ignores
    it and sizes both of its pools to every core. TensorFlow's own TF_NUM_INTRAOP_THREADS and
    TF_NUM_INTEROP_THREADS, when set, take precedence.
    """
    threads = os.environ.get("OMP_NUM_THREADS", "")
    own = ("TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS")
    if threads.isdigit() and int(threads) > 0 and not any(map(os.environ.get, own)):
        tf.config.threading.set_intra_op_parallelism_threads(int(threads))
        tf.config.threading.set_inter_op_parallelism_threads(int(threads))


def _import_keras_and_scikeras():
    """Import Keras (start-up banners hidden) and SciKeras (its monkey-patches undone).

    When skrnn is the first to import TensorFlow in the process, it also sizes TensorFlow's
    thread pools (:func:`_size_thread_pools_from_omp_num_threads`); a process that imported
    TensorFlow itself keeps its own configuration.
    """
    first_import = "tensorflow" not in sys.modules
    start_up = first_import and not os.environ.get("SKRNN_SHOW_TF_STARTUP")
    with _native_stderr_silenced() if start_up else contextlib.nullcontext():
        import keras

        if keras.backend.backend() == "tensorflow":
            import tensorflow as tf

            if first_import:
                _size_thread_pools_from_omp_num_threads(tf)

            # The first device initialisation and the first generator dataset print from C++
            # too; trigger both while silenced.
            tf.config.list_physical_devices()
            list(tf.data.Dataset.from_generator(
                lambda: iter([0.0]), output_signature=tf.TensorSpec((), tf.float32)))

    if "scikeras" in sys.modules:  # the user imported it: their process, their patches
        import scikeras.wrappers

        return keras, scikeras.wrappers
    # SciKeras replaces pickling and deep-copying of Keras objects when imported. Keras 3 pickles
    # models natively, so skrnn undoes that patch rather than change the user's Keras.
    patched = [
        (keras.Model, "__reduce__"),
        (keras.Model, "__deepcopy__"),
        (keras.losses.Loss, "__reduce__"),
        (keras.metrics.Metric, "__reduce__"),
        (keras.optimizers.Optimizer, "__reduce__"),
    ]
    originals = [(cls, name, cls.__dict__.get(name)) for cls, name in patched]
    # On the JAX and PyTorch backends, SciKeras is what imports TensorFlow.
    with _native_stderr_silenced() if start_up else contextlib.nullcontext():
        import scikeras.wrappers

    for cls, name, original in originals:
        if original is None:
            delattr(cls, name)
        else:
            setattr(cls, name, original)
    return keras, scikeras.wrappers


keras, _scikeras_wrappers = _import_keras_and_scikeras()


class _DropRetracingWarnings(logging.Filter):
    """Drop TensorFlow's "triggered tf.function retracing" warning.

    Every new Keras model traces its own train and predict functions once, which TensorFlow
    counts as retracing of one function as soon as a grid search has built five models. The
    warning says nothing actionable there, so skrnn drops it, only while its own networks run.
    """

    def filter(self, record):
        return "triggered tf.function retracing" not in record.getMessage()


@contextlib.contextmanager
def _quiet_retracing():
    tf_logger = logging.getLogger("tensorflow")
    quiet = _DropRetracingWarnings()
    tf_logger.addFilter(quiet)
    try:
        yield
    finally:
        tf_logger.removeFilter(quiet)


def _is_all_reduce_gradient(function, depth=3):
    """Whether `function` is, or closes over, the gradient TensorFlow defines for all_reduce."""
    if getattr(function, "__qualname__", "").startswith("ReplicaContextBase.all_reduce."):
        return True
    cells = getattr(function, "__closure__", None) or ()
    return depth > 0 and any(
        callable(cell.cell_contents) and _is_all_reduce_gradient(cell.cell_contents, depth - 1)
        for cell in cells
    )


@contextlib.contextmanager
def _forget_all_reduce_gradients():
    """Drop the gradients TensorFlow registers for all_reduce while a train step is traced.

    Keras' optimizer sums gradients across replicas (``all_reduce``) even on one device, and in a
    traced function TensorFlow registers that op's gradient in a global registry that is never
    emptied, keeping the whole train-step graph alive: every fitted-and-discarded network then
    leaked 11-27 MB, and joblib's workers restarted mid-search once they had grown by 300 MB.
    Nothing differentiates through that op, so the entries added during one fit are removed
    after it; other entries (a user's own custom gradients) are kept. The registry is private
    TensorFlow API: should it move, nothing is removed (tests/test_memory.py then fails).
    """
    registry = None
    if keras.backend.backend() == "tensorflow":
        from tensorflow.python.framework import ops

        registry = getattr(getattr(ops, "gradient_registry", None), "_registry", None)
    if not isinstance(registry, dict):
        yield
        return
    before = set(registry)
    try:
        yield
    finally:
        for name in set(registry) - before:
            if _is_all_reduce_gradient(registry[name].get("type")):
                del registry[name]


_CELLS = {
    "rnn": keras.layers.SimpleRNN,
    "lstm": keras.layers.LSTM,
    "gru": keras.layers.GRU,
}


@keras.saving.register_keras_serializable(package="skrnn")
class LastValue(keras.layers.Layer):
    """The last time step's value of one feature, repeated for each output: the persistence
    forecast, as a layer (a named class, unlike a Lambda, reloads in Keras' safe mode)."""

    def __init__(self, feature, n_outputs, **kwargs):
        super().__init__(**kwargs)
        self.feature, self.n_outputs = feature, n_outputs

    def call(self, sequences):
        last = sequences[:, -1, self.feature : self.feature + 1]
        return keras.ops.repeat(last, self.n_outputs, axis=1)

    def get_config(self):
        return {**super().get_config(), "feature": self.feature, "n_outputs": self.n_outputs}


def build_network(meta, compile_kwargs, *, cell, units, dense_units, dropout, seed,
                  residual_feature=None):
    """Stacked recurrent layers, optional Dense layers, one linear output per target column.

    Every random draw (initial weights, dropout masks) is seeded from `seed`, so no global
    random state is needed for reproducibility. With `residual_feature`, the network predicts
    the change from the last value of that feature and adds the value back; its output layer
    starts at zero, so the untrained network is exactly the persistence forecast.
    """
    seeds = iter(range(seed, seed + 4 * (len(units) + len(dense_units)) + 1))
    timesteps, n_features = meta["X_shape_"][1:]
    inputs = keras.Input(shape=(timesteps, n_features))
    hidden = inputs
    for depth, n_units in enumerate(units):
        hidden = _CELLS[cell](
            n_units,
            return_sequences=depth < len(units) - 1,
            kernel_initializer=keras.initializers.GlorotUniform(seed=next(seeds)),
            recurrent_initializer=keras.initializers.Orthogonal(seed=next(seeds)),
            seed=next(seeds),
        )(hidden)
        if dropout:
            hidden = keras.layers.Dropout(dropout, seed=next(seeds))(hidden)
    for n_units in dense_units:
        hidden = keras.layers.Dense(
            n_units,
            activation="relu",
            kernel_initializer=keras.initializers.GlorotUniform(seed=next(seeds)),
        )(hidden)
    if residual_feature is None:
        outputs = keras.layers.Dense(
            meta["n_outputs_"],
            kernel_initializer=keras.initializers.GlorotUniform(seed=next(seeds)),
        )(hidden)
    else:
        change = keras.layers.Dense(meta["n_outputs_"], kernel_initializer="zeros")(hidden)
        anchor = LastValue(residual_feature, meta["n_outputs_"])(inputs)
        outputs = keras.layers.Add()([anchor, change])
    model = keras.Model(inputs, outputs)
    model.compile(**compile_kwargs, steps_per_execution=_steps_per_execution())
    return model


_PREDICT_BATCH_SIZE = 256


def _steps_per_execution():
    """Batches per call into the compiled train/predict function.

    One call per batch hands every batch from Python to TensorFlow's threads and back; when
    those threads compete for a core (two grid-search workers on two cores) the hand-offs cost
    more than the small recurrent networks' arithmetic. Measured on 2 cores, LSTM(32), 10
    epochs: 1 step per call 7.4 s on one core / 4.8 s on two; 8 or 32 steps 4.6 s / 4.2 s.
    Keras' PyTorch backend accepts only 1.
    """
    return 1 if keras.backend.backend() == "torch" else 32


class _Batches(keras.utils.PyDataset):
    """float32 batches cut from a (possibly strided, float64) sequence array as Keras asks.

    Only one batch is ever copied at a time, so a window view of a long series is never
    materialised, and shuffling uses a private generator instead of TensorFlow's global seed.
    With `pad`, every batch has exactly `batch_size` rows (the last one is padded): the same
    kernels then run for every row, so a row's prediction does not depend on which other rows
    are predicted with it.
    """

    def __init__(self, X, y=None, *, batch_size, rng=None, pad=False):
        super().__init__()
        self.X, self.y, self.batch_size, self.rng, self.pad = X, y, batch_size, rng, pad
        self.order = np.arange(len(X))
        self.on_epoch_end()

    def __len__(self):
        return math.ceil(len(self.X) / self.batch_size)

    def __getitem__(self, index):
        rows = self.order[index * self.batch_size : (index + 1) * self.batch_size]
        X = np.asarray(self.X[rows], dtype=np.float32)
        if self.pad and len(rows) < self.batch_size:
            X = np.concatenate([X, np.zeros((self.batch_size - len(rows), *X.shape[1:]), X.dtype)])
        if self.y is None:
            return (X,)
        return X, np.asarray(self.y[rows], dtype=np.float32)

    def on_epoch_end(self):
        if self.rng is not None:
            self.rng.shuffle(self.order)


class _SequenceKerasRegressor(_scikeras_wrappers.KerasRegressor):
    """SciKeras' KerasRegressor fed by :class:`_Batches` instead of whole in-memory arrays.

    SciKeras validates the data, builds and compiles the model, and keeps ``history_``; only the
    two calls into ``Model.fit`` and ``Model.predict`` are replaced.
    """

    def _fit_keras_model(
        self, X, y, sample_weight, warm_start, epochs, initial_epoch, *, seed, validation,
        patience,
    ):
        n_validation = math.ceil(validation * len(X)) if validation else 0
        n_train = len(X) - n_validation
        rng = np.random.default_rng(seed) if self.shuffle else None
        train = _Batches(X[:n_train], y[:n_train], batch_size=self.batch_size, rng=rng)
        callbacks = []
        validation_data = None
        if n_validation:
            validation_data = _Batches(X[n_train:], y[n_train:], batch_size=self.batch_size)
            callbacks.append(
                keras.callbacks.EarlyStopping(patience=patience, restore_best_weights=True)
            )
        history = self.model_.fit(
            train,
            validation_data=validation_data,
            epochs=initial_epoch + epochs,
            initial_epoch=initial_epoch,
            callbacks=callbacks,
            shuffle=False,  # Keras would reorder batches with Python's global `random`
            verbose=self.verbose,
        )
        self.history_ = defaultdict(list)
        for key, values in history.history.items():
            self.history_[key] += values

    def _predict_raw(self, X, **kwargs):
        X, _ = self._validate_data(X=X, y=None)
        batches = _Batches(X, batch_size=_PREDICT_BATCH_SIZE, pad=True)
        return self.model_.predict(batches, verbose=0)[: len(X)]


def fit_network(X, y, *, cell, units, dense_units, dropout, residual_feature, optimizer,
                learning_rate, loss, epochs, batch_size, shuffle, validation, patience, seed,
                verbose):
    """Build and train a recurrent network on ``(n, timesteps, features)`` X and 2-D y."""
    network = _SequenceKerasRegressor(
        model=functools.partial(
            build_network, cell=cell, units=units, dense_units=dense_units, dropout=dropout,
            seed=seed, residual_feature=residual_feature,
        ),
        optimizer=optimizer,
        optimizer__learning_rate=learning_rate,
        loss=loss,
        epochs=epochs,
        batch_size=batch_size,
        shuffle=shuffle,
        verbose=verbose,
    )
    with _quiet_retracing(), _forget_all_reduce_gradients():
        return network.fit(X, y, seed=seed, validation=validation, patience=patience)


def predict_network(network, X):
    """Predictions of a network from :func:`fit_network`, always 2-D ``(n, n_outputs)``."""
    with _quiet_retracing():
        return network.predict(X.astype(network.X_dtype_, copy=False)).reshape(len(X), -1)
