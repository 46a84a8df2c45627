"""Every line of skrnn that touches Keras or SciKeras: building, training and calling networks.

Importing this module imports Keras, so skrnn's public modules import it only when a network is
built, trained or unpickled. SciKeras builds, compiles and trains the model; once fitted, an
estimator keeps the plain Keras model (``model_``) and predicts with it directly. Swapping
SciKeras for another wrapper means rewriting this module alone. Process-wide concerns (thread
pools, a log filter, a TensorFlow leak) live in :mod:`skrnn._process`.
"""

import dataclasses
import functools
import math
import sys
import threading
from collections import OrderedDict, defaultdict

import numpy as np

from . import _process

_first_tensorflow_import = "tensorflow" not in sys.modules
import keras  # noqa: E402  (after noting whether TensorFlow was loaded before)
import scikeras.wrappers  # noqa: E402

if keras.backend.backend() == "tensorflow":
    _process.size_thread_pools(_first_tensorflow_import)

_CELLS = {
    "rnn": keras.layers.SimpleRNN,
    "lstm": keras.layers.LSTM,
    "gru": keras.layers.GRU,
}


def _fixed_weight(layer, name, values):
    """A frozen weight holding `values`. Weights, unlike constants in the traced program, keep
    the program the same for every fit of one architecture (the folds of a search differ only
    in their scalers and anchors), so that later fits reuse it (see :func:`_program`)."""
    return layer.add_weight(shape=(len(values),), name=name, trainable=False,
                            initializer=keras.initializers.Constant(values))


class _FixedValues(keras.layers.Layer):
    """A layer whose frozen weights are copies of values in its config."""

    def load_own_variables(self, store):
        if not len(store.keys()):
            return  # saved when the values were constants: the config has already set them
        super().load_own_variables(store)


@keras.saving.register_keras_serializable(package="skrnn")
class Affine(_FixedValues):
    """``inputs * scale + shift`` with fixed values broadcast over the last axis (standardising
    and its inverse, saved with the model so that ``model_`` maps raw X to raw y)."""

    def __init__(self, scale, shift, **kwargs):
        super().__init__(**kwargs)
        self.scale, self.shift = [float(v) for v in scale], [float(v) for v in shift]

    def build(self, input_shape):
        self.scale_weight = _fixed_weight(self, "scale", self.scale)
        self.shift_weight = _fixed_weight(self, "shift", self.shift)

    def call(self, inputs):
        return inputs * self.scale_weight + self.shift_weight

    def get_config(self):
        return {**super().get_config(), "scale": self.scale, "shift": self.shift}


@keras.saving.register_keras_serializable(package="skrnn")
class SinceLast(keras.layers.Layer):
    """Each time step minus the window's last one: the shape of the window without its level,
    so that the recurrent correction does not see levels it was never trained on."""

    def call(self, sequences):
        return sequences - sequences[:, -1:, :]


@keras.saving.register_keras_serializable(package="skrnn")
class SplitCovariates(keras.layers.Layer):
    """The windowed features of every step, and the covariates once (from the last step; the
    input repeats them at every step, see :func:`skrnn._sequences.check_sequences`)."""

    def __init__(self, n_covariates, **kwargs):
        super().__init__(**kwargs)
        self.n_covariates = n_covariates

    def call(self, sequences):
        return sequences[:, :, : -self.n_covariates], sequences[:, -1, -self.n_covariates :]

    def get_config(self):
        return {**super().get_config(), "n_covariates": self.n_covariates}


@keras.saving.register_keras_serializable(package="skrnn")
class WindowNorm(keras.layers.Layer):
    """Instance normalisation (RevIN, Kim et al. 2022): each feature of a window minus its mean
    over the window, over its standard deviation; also returns the mean and deviation of
    `feature`, with which :class:`FromWindowUnits` maps the forecast back."""

    def __init__(self, feature, eps=1e-8, **kwargs):
        super().__init__(**kwargs)
        self.feature, self.eps = feature, eps

    def call(self, sequences):
        ops = keras.ops
        mean = ops.mean(sequences, axis=1, keepdims=True)
        std = ops.sqrt(ops.var(sequences, axis=1, keepdims=True) + self.eps)
        level = mean[:, 0, self.feature : self.feature + 1]
        spread = std[:, 0, self.feature : self.feature + 1]
        return (sequences - mean) / std, level, spread

    def get_config(self):
        return {**super().get_config(), "feature": self.feature, "eps": self.eps}


@keras.saving.register_keras_serializable(package="skrnn")
class FromWindowUnits(_FixedValues):
    """Forecasts in units of the window's normalised feature back to standardised y:
    ``slope * (level + spread * forecast) + intercept``, per output column."""

    def __init__(self, slope, intercept, **kwargs):
        super().__init__(**kwargs)
        self.slope, self.intercept = [float(v) for v in slope], [float(v) for v in intercept]

    def build(self, input_shape):
        self.slope_weight = _fixed_weight(self, "slope", self.slope)
        self.intercept_weight = _fixed_weight(self, "intercept", self.intercept)

    def call(self, inputs):
        forecast, level, spread = inputs
        return self.slope_weight * (level + spread * forecast) + self.intercept_weight

    def get_config(self):
        return {**super().get_config(), "slope": self.slope, "intercept": self.intercept}


@keras.saving.register_keras_serializable(package="skrnn")
class LastValue(keras.layers.Layer):
    """The last time step's value of one feature, repeated for each output (a named class,
    unlike a Lambda, reloads in Keras' safe mode)."""

    def __init__(self, feature, n_outputs, **kwargs):
        super().__init__(**kwargs)
        self.feature, self.n_outputs = feature, n_outputs

    def call(self, sequences):
        last = sequences[:, -1, self.feature : self.feature + 1]
        return keras.ops.repeat(last, self.n_outputs, axis=1)

    def get_config(self):
        return {**super().get_config(), "feature": self.feature, "n_outputs": self.n_outputs}


@keras.saving.register_keras_serializable(package="skrnn")
class QuantileHead(keras.layers.Layer):
    """All quantiles from the median and one unconstrained gap per other level.

    Levels above the median add ``softplus`` gaps to it one after the other, levels below
    subtract them, so the quantiles never cross whatever the weights. Output: ``(batch,
    n_outputs * n_quantiles)``, the quantiles of each output together, in increasing order.
    """

    def __init__(self, n_outputs, quantiles, **kwargs):
        super().__init__(**kwargs)
        self.n_outputs, self.quantiles = n_outputs, [float(q) for q in quantiles]

    def call(self, inputs):
        median, gaps = inputs
        ops = keras.ops
        middle = self.quantiles.index(0.5)
        gaps = ops.softplus(ops.reshape(gaps, (-1, self.n_outputs, len(self.quantiles) - 1)))
        centre = ops.expand_dims(median, -1)
        below = centre - ops.flip(ops.cumsum(ops.flip(gaps[..., :middle], -1), -1), -1)
        above = centre + ops.cumsum(gaps[..., middle:], -1)
        levels = ops.concatenate([below, centre, above], axis=-1)
        return ops.reshape(levels, (-1, self.n_outputs * len(self.quantiles)))

    def get_config(self):
        return {**super().get_config(), "n_outputs": self.n_outputs,
                "quantiles": self.quantiles}


@keras.saving.register_keras_serializable(package="skrnn")
class Pinball(keras.losses.Loss):
    """Mean pinball (quantile) loss over outputs and levels; y_pred as from QuantileHead."""

    def __init__(self, quantiles, name="pinball", **kwargs):
        super().__init__(name=name, **kwargs)
        self.quantiles = [float(q) for q in quantiles]

    def call(self, y_true, y_pred):
        ops = keras.ops
        levels = ops.convert_to_tensor(self.quantiles, dtype=y_pred.dtype)
        y_pred = ops.reshape(y_pred, (-1, ops.shape(y_true)[-1], len(self.quantiles)))
        error = ops.expand_dims(ops.cast(y_true, y_pred.dtype), -1) - y_pred
        return ops.mean(ops.maximum(levels * error, (levels - 1) * error), axis=(-2, -1))

    def get_config(self):
        return {**super().get_config(), "quantiles": self.quantiles}


@keras.saving.register_keras_serializable(package="skrnn")
class MeanOfNetworks(keras.layers.Layer):
    """The mean over networks of outputs concatenated network after network."""

    def __init__(self, n_networks, **kwargs):
        super().__init__(**kwargs)
        self.n_networks = n_networks

    def call(self, outputs):
        width = outputs.shape[-1] // self.n_networks
        return keras.ops.mean(keras.ops.reshape(outputs, (-1, self.n_networks, width)), axis=1)

    def get_config(self):
        return {**super().get_config(), "n_networks": self.n_networks}


@keras.saving.register_keras_serializable(package="skrnn")
class PerNetwork(keras.losses.Loss):
    """The sum over networks of each one's own loss against the same targets.

    The networks share no weight, so the gradient of the sum with respect to a network's
    weights is exactly that of its own loss: training them together is training each alone.
    """

    def __init__(self, loss, n_networks, name="per_network", **kwargs):
        super().__init__(name=name, **kwargs)
        self.loss, self.n_networks = keras.losses.get(loss), n_networks

    def call(self, y_true, y_pred):
        ops = keras.ops
        width = y_pred.shape[-1] // self.n_networks
        y_pred = ops.reshape(y_pred, (-1, width))  # rows: sample 0 network 0, 0 1, ...
        y_true = ops.repeat(ops.cast(y_true, y_pred.dtype), self.n_networks, axis=0)
        # a Loss object reduces when called; its call() gives the per-row values, as the
        # functions behind the loss names do
        loss = self.loss.call if isinstance(self.loss, keras.losses.Loss) else self.loss
        per_row = loss(y_true, y_pred)
        return ops.sum(ops.reshape(per_row, (-1, self.n_networks)), axis=1)

    def get_config(self):
        return {**super().get_config(), "loss": keras.losses.serialize(self.loss),
                "n_networks": self.n_networks}


def _quantile_head(architecture, hidden, median, n_outputs):
    """Quantiles around `median`; untrained, a normal spread of the anchor's errors out of
    sample."""
    from statistics import NormalDist

    levels = architecture.quantiles
    z = [NormalDist().inv_cdf(q) for q in levels]
    middle = levels.index(0.5)
    gaps = [z[j + 1] - z[j] for j in range(middle)] + [
        z[j] - z[j - 1] for j in range(middle + 1, len(levels))]
    gaps = np.maximum(np.asarray(gaps) * architecture.spread, 1e-6)
    inverse_softplus = np.log(np.expm1(gaps))
    raw = keras.layers.Dense(
        n_outputs * (len(levels) - 1), kernel_initializer="zeros",
        bias_initializer=keras.initializers.Constant(np.tile(inverse_softplus, n_outputs).tolist()),
    )(hidden)
    return QuantileHead(n_outputs, levels)([median, raw])


class PickledModel:
    """A fitted Keras model inside a pickle. Unpickling this class imports this module first,
    which registers skrnn's layers with Keras before the model itself is rebuilt."""

    def __init__(self, model):
        self.model = model


def _anchor_layer(architecture, sequences, covariates, n_outputs):
    """The closed-form anchor on standardised inputs, frozen: the network only corrects it."""
    if architecture.anchor == "linear":
        kernel, bias = architecture.anchor_kernel, architecture.anchor_bias
        flat = keras.layers.Flatten()(sequences)
        if covariates is not None:
            flat = keras.layers.Concatenate()([flat, covariates])
        return keras.layers.Dense(
            n_outputs, trainable=False, name="linear_anchor",
            kernel_initializer=keras.initializers.Constant(kernel.tolist()),
            bias_initializer=keras.initializers.Constant(bias.tolist()),
        )(flat)
    last = LastValue(architecture.anchor_feature, n_outputs)(sequences)
    return Affine(architecture.anchor_kernel, architecture.anchor_bias, name="last_anchor")(last)


def _seed_stride(architecture):
    """Seeds one network draws: one per initializer and dropout layer (see _one_network)."""
    return 4 * (len(architecture.units) + len(architecture.dense_units)) + 1


def _one_network(architecture, sequences, covariates, anchor, n_outputs, seed):
    """Recurrent layers, hidden Dense layers and output of one network, seeded from `seed`;
    covariates join the recurrent layers' output, before the Dense layers."""
    seeds = iter(range(seed, seed + _seed_stride(architecture)))
    hidden = SinceLast()(sequences) if architecture.anchor else sequences
    for depth, n_units in enumerate(architecture.units):
        hidden = _CELLS[architecture.cell](
            n_units,
            return_sequences=depth < len(architecture.units) - 1,
            kernel_initializer=keras.initializers.GlorotUniform(seed=next(seeds)),
            recurrent_initializer=keras.initializers.Orthogonal(seed=next(seeds)),
            seed=next(seeds),
        )(hidden)
        if architecture.dropout:
            hidden = keras.layers.Dropout(architecture.dropout, seed=next(seeds))(hidden)
    if covariates is not None:
        hidden = keras.layers.Concatenate()([hidden, covariates])
    for n_units in architecture.dense_units:
        hidden = keras.layers.Dense(
            n_units,
            activation="relu",
            kernel_initializer=keras.initializers.GlorotUniform(seed=next(seeds)),
        )(hidden)
    if anchor is None:
        outputs = keras.layers.Dense(
            n_outputs, kernel_initializer=keras.initializers.GlorotUniform(seed=next(seeds)),
        )(hidden)
    else:
        correction = keras.layers.Dense(n_outputs, kernel_initializer="zeros")(hidden)
        outputs = keras.layers.Add()([anchor, correction])
    if architecture.quantiles:
        outputs = _quantile_head(architecture, hidden, outputs, n_outputs)
    return outputs


def build_network(meta, compile_kwargs, *, architecture, seed):
    """The network(s) trained on standardised targets: anchor + recurrent correction.

    Inputs are standardised inside the model. With an anchor, the recurrent layers read the
    window relative to its last step and their linear output starts at zero, so the untrained
    network is exactly the anchor. Every random draw (initial weights, dropout masks) is seeded
    from `seed`, so no global random state is needed for reproducibility.

    The last ``n_covariates`` input features are covariates (repeated at every step by
    :func:`skrnn._sequences.check_sequences`): split off once, they reach the linear anchor and
    each network's Dense layers. With ``window_map``, each window is normalised on its own
    (:class:`WindowNorm`) and the forecasts mapped back (:class:`FromWindowUnits`).

    With ``n_networks`` > 1, that many networks share the input and the frozen anchor but no
    weight; their outputs are concatenated, network after network, and trained together under
    :class:`PerNetwork`, so each network gets exactly the gradients it would get alone.
    Network ``k`` draws its seeds from ``seed + k * stride``: network 0 is the single network.
    """
    timesteps, n_features = meta["X_shape_"][1:]
    n_outputs = meta["n_outputs_"]
    inputs = keras.Input(shape=(timesteps, n_features))
    sequences = Affine(1 / architecture.x_scale, -architecture.x_mean / architecture.x_scale,
                       name="standardise")(inputs)
    covariates = None
    if architecture.n_covariates:
        sequences, covariates = SplitCovariates(architecture.n_covariates)(sequences)
    if architecture.window_map is not None:
        sequences, level, spread = WindowNorm(architecture.anchor_feature)(sequences)
    anchor = None
    if architecture.anchor is not None:
        anchor = _anchor_layer(architecture, sequences, covariates, n_outputs)
    stride = _seed_stride(architecture)
    networks = [
        _one_network(architecture, sequences, covariates, anchor, n_outputs, seed + k * stride)
        for k in range(architecture.n_networks)]
    outputs = networks[0] if len(networks) == 1 else keras.layers.Concatenate()(networks)
    if architecture.window_map is not None:
        columns = max(len(architecture.quantiles), 1)
        slope, intercept = (np.tile(np.repeat(v, columns), architecture.n_networks)
                            for v in architecture.window_map)
        outputs = FromWindowUnits(slope, intercept)([outputs, level, spread])
    model = keras.Model(inputs, outputs)
    model.compile(**compile_kwargs, steps_per_execution=_steps_per_execution())
    return model


def _in_units_of_y(model, architecture, loss):
    """The trained model as one forecaster in y's units: the networks' mean, unstandardised."""
    n_levels = max(len(architecture.quantiles), 1)
    outputs = model.output
    if architecture.n_networks > 1:
        outputs = MeanOfNetworks(architecture.n_networks)(outputs)
    outputs = Affine(np.repeat(architecture.y_scale, n_levels),
                     np.repeat(architecture.y_mean, n_levels), name="unstandardise")(outputs)
    raw = keras.Model(model.input, outputs)
    # The trained optimizer, so that the pickled model reloads its state without warnings.
    raw.compile(optimizer=model.optimizer, loss=loss, steps_per_execution=_steps_per_execution())
    return raw


_PREDICT_BATCH_SIZE = 256
_SMALL_PREDICT = 32


def _steps_per_execution():
    """Batches per call into the compiled train/predict function.

    One call per batch hands every batch from Python to TensorFlow's threads and back; when
    those threads compete for a core (two grid-search workers on two cores) the hand-offs cost
    more than the small recurrent networks' arithmetic (``benchmarks/bench_parallel.py``).
    Keras' PyTorch backend accepts only 1.
    """
    return 1 if keras.backend.backend() == "torch" else 32


class _Batches(keras.utils.PyDataset):
    """float32 batches cut from a (possibly strided, float64) sequence array as Keras asks.

    Only one batch is ever copied at a time, so a window view of a long series is never
    materialised, and shuffling uses a private generator instead of TensorFlow's global seed.
    With `pad`, every batch has exactly `batch_size` rows, the last one completed with copies
    of its own rows (finite under a per-window normalisation, where rows of zeros are not):
    the same kernels then run for every row, so a row's prediction does not depend on which
    other rows are predicted with it, and XLA compiles one program for every batch. With `y`,
    a padded batch comes with sample weights that give the copies none and leave the loss
    as it would be unpadded: with `mean_over="batch"` a batch's loss is the mean over its own
    rows (what a training step descends), with ``"span"`` Keras' average of the batches' losses
    is the mean over all rows (the validation loss).
    """

    def __init__(self, X, y=None, *, batch_size, rng=None, pad=False, mean_over="batch"):
        super().__init__()
        self.X, self.y, self.batch_size, self.rng = X, y, batch_size, rng
        self.pad, self.mean_over = pad, mean_over
        self.order = np.arange(len(X))
        self.on_epoch_end()

    def __len__(self):
        return math.ceil(len(self.X) / self.batch_size)

    def __getitem__(self, index):
        rows = self.order[index * self.batch_size : (index + 1) * self.batch_size]
        n_rows = len(rows)
        if self.pad:
            rows = np.resize(rows, self.batch_size)  # repeats them
        X = np.asarray(self.X[rows], dtype=np.float32)
        if self.y is None:
            return (X,)
        y = np.asarray(self.y[rows], dtype=np.float32)
        if not self.pad:
            return X, y
        rows_per_batch = n_rows if self.mean_over == "batch" else len(self.X) / len(self)
        weights = np.zeros(self.batch_size, np.float32)
        weights[:n_rows] = self.batch_size / rows_per_batch
        return X, y, weights

    def on_epoch_end(self):
        if self.rng is not None:
            self.rng.shuffle(self.order)


class _KeepBest(keras.callbacks.Callback):
    """Early stopping that counts the untrained network as a candidate.

    Keeps the weights with the lowest validation loss seen so far, starting from the network
    before training (`initial_loss`: with an anchor, the anchor itself), stops after `patience`
    epochs without improvement and restores the best weights at the end. A trained network
    replaces the untrained one only if it is at least `margin` (1 %) better on the validation
    span: on a random walk, a correction that wins by less is fitting noise. On the validation
    span, the network returned is never worse than its anchor.
    """

    def __init__(self, initial_loss, patience, margin=0.01):
        super().__init__()
        self.best, self.patience, self.wait = initial_loss * (1 - margin), patience, 0

    def on_train_begin(self, logs=None):
        self.best_weights = self.model.get_weights()

    def on_epoch_end(self, epoch, logs=None):
        loss = (logs or {}).get("val_loss")
        if loss is not None and loss < self.best:
            self.best, self.wait, self.best_weights = loss, 0, self.model.get_weights()
        else:
            self.wait += 1
            if self.wait >= self.patience:
                self.model.stop_training = True

    def on_train_end(self, logs=None):
        self.model.set_weights(self.best_weights)


class _SequenceKerasRegressor(scikeras.wrappers.KerasRegressor):
    """SciKeras' KerasRegressor fed by :class:`_Batches` instead of whole in-memory arrays.

    SciKeras validates the data, builds and compiles the model; only the call into
    ``Model.fit`` is replaced. The model that trains is one already traced by an earlier fit
    of the same `program` in this thread, if any, loaded with this model's initial state (its
    weights, random-seed states and fresh optimizer); the trained state is copied back, so
    this model ends exactly as if it had trained itself, and shares nothing with later fits.
    """

    def _fit_keras_model(
        self, X, y, sample_weight, warm_start, epochs, initial_epoch, *, seed, validation,
        patience, program,
    ):
        trainer = _take_trainer(program)
        if trainer is None:
            trainer = self._build_keras_model()
        _copy_state(self.model_, trainer)
        n_validation = round(validation * len(X))
        n_train = len(X) - n_validation
        rng = np.random.default_rng(seed) if self.shuffle else None
        # XLA compiles a program per batch shape: unpadded, every fold's last partial batches
        # (training and validation) compile their own (one default LSTM's three folds and
        # refit on JAX: 31.8 s unpadded, 19.5 s padded). Keras then averages the training loss
        # it logs per epoch as if the last batch were full.
        pad = keras.backend.backend() == "jax"
        train = _Batches(X[:n_train], y[:n_train], batch_size=self.batch_size, rng=rng, pad=pad)
        callbacks = []
        validation_data = None
        if n_validation:
            validation_data = _Batches(X[n_train:], y[n_train:], batch_size=self.batch_size,
                                       pad=pad, mean_over="span")
            initial_loss = float(trainer.evaluate(validation_data, verbose=0))
            callbacks.append(_KeepBest(initial_loss, patience))
        history = trainer.fit(
            train,
            validation_data=validation_data,
            epochs=initial_epoch + epochs,
            initial_epoch=initial_epoch,
            callbacks=callbacks,
            shuffle=False,  # Keras would reorder batches with Python's global `random`
            verbose=self.verbose,
        )
        _copy_state(trainer, self.model_)
        _keep_trainer(program, trainer)
        self.history_ = defaultdict(list)
        for key, values in history.history.items():
            self.history_[key] += values


# Models already traced, per thread: a fit of the same program trains one of them instead of
# tracing its own (about 1.5 s of a default LSTM fit on TensorFlow), then hands the state to
# its own model.
_MAX_TRAINERS = 2
_trainers = threading.local()


def _program(architecture, training, X, y):
    """What fixes a network's traced training program: everything but the values that enter
    it as weights (scalers, anchors, window maps: arrays, compared by shape) and `spread`
    (an initial weight), plus Keras' global dtype settings. A new field of
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


def _kept(store="models"):
    """This thread's traced models (or, `store="predict functions"`, compiled predict
    functions) by program, the one used last at the end."""
    return vars(_trainers).setdefault(store, OrderedDict())


def _take_trainer(program):
    """This thread's model traced for `program`, or None. Taken out while it trains: a fit
    that fails or is interrupted does not put it back."""
    return _kept().pop(program, None)


def _keep_trainer(program, trainer):
    """Keep `trainer` for the next fit of `program`, with the `_MAX_TRAINERS - 1` programs
    used last (the folds and the refit of one grid-search candidate follow one another)."""
    _keep(_kept(), program, trainer)


def _keep(kept, program, value):
    kept[program] = value
    kept.move_to_end(program)
    while len(kept) > _MAX_TRAINERS:
        kept.popitem(last=False)


def _forget_trainers():
    _kept().clear()
    _kept("predict functions").clear()


def _share_compiled_predict(model, program):
    """On JAX, let `model` predict through the predict function compiled for an earlier
    model of the same program in this thread, which saves XLA's compilation of each padded
    shape on a new model's first predicts (about 0.3 s). Sound there because JAX hands the
    calling model's weights to the function as arguments at every call; TensorFlow's traced
    functions capture their model's variables, so there every model traces its own."""
    if keras.backend.backend() != "jax":
        return
    kept = _kept("predict functions")
    function = kept.get(program)
    if function is None:
        model.make_predict_function()
        function = model.predict_function
    _keep(kept, program, function)
    model.predict_function = function


def _state(model):
    """Every variable training reads or changes: weights, random-seed states, optimizer."""
    if not model.optimizer.built:
        model.optimizer.build(model.trainable_variables)
    return [*model.variables, *model.optimizer.variables]


def _copy_state(source, target):
    for source_variable, target_variable in zip(_state(source), _state(target), strict=True):
        target_variable.assign(source_variable.value)


def backend_name():
    """The Keras backend the networks run on: "tensorflow", "jax" or "torch"."""
    return keras.backend.backend()


def warm_up():
    """Run a tiny prediction once: TensorFlow prints its remaining start-up lines here."""
    inputs = keras.Input(shape=(1, 1))
    model = keras.Model(inputs, keras.layers.Dense(1)(keras.layers.Flatten()(inputs)))
    predict_network(model, np.zeros((1, 1, 1)))


def fit_network(X, y, *, architecture, training, seed, shuffle_seed=None):
    """Build and train a network on ``(n, timesteps, features)`` X and 2-D y.

    `architecture` and `training` are the two small descriptions made by the estimator
    (:class:`skrnn._recurrent.Architecture`, :class:`skrnn._recurrent.Training`). The network
    trains on standardised y; the Keras model returned maps raw X to y in its own units. Also
    returns the per-epoch history (losses in standardised units). `seed` seeds the weights and
    dropout, `shuffle_seed` (default: `seed`) the order of the training windows.
    """
    passed_as_is = ("optimizer", "epochs", "batch_size", "shuffle", "verbose")
    loss = Pinball(architecture.quantiles) if architecture.quantiles else training.loss
    trained_loss = loss if architecture.n_networks == 1 else PerNetwork(
        loss, architecture.n_networks)
    wrapper = _SequenceKerasRegressor(
        model=functools.partial(build_network, architecture=architecture, seed=seed),
        optimizer__learning_rate=training.learning_rate,
        loss=trained_loss,
        **{name: getattr(training, name) for name in passed_as_is},
    )
    y_standardised = (y - architecture.y_mean) / architecture.y_scale
    program = _program(architecture, training, X, y_standardised)
    with _process.quiet_retracing(), _process.forget_all_reduce_gradients():
        wrapper.fit(X, y_standardised, seed=seed if shuffle_seed is None else shuffle_seed,
                    validation=training.validation,
                    patience=training.patience,
                    program=program)
    history = {key: list(values) for key, values in wrapper.history_.items()}
    model = _in_units_of_y(wrapper.model_, architecture, loss)
    _share_compiled_predict(model, program)
    return model, history


def predict_network(model, X):
    """Predictions of a fitted Keras model, always 2-D ``(n, n_outputs)``.

    ``Model.predict`` sets up a data pipeline on every call (about 0.07 s), which dominates
    per-row loops (recursive forecasts, backtests, skforecast, live use), so the compiled
    model is called directly, ``predict_on_batch``, one chunk at a time: up to 32 rows padded
    to 32, more in chunks of 256 (the last padded). Two input shapes, traced once per model;
    on 20,000 rows this is as fast as ``Model.predict``.
    """
    size = _SMALL_PREDICT if len(X) <= _SMALL_PREDICT else _PREDICT_BATCH_SIZE
    chunks = _Batches(X, batch_size=size, pad=True)
    with _process.quiet_retracing():
        outputs = [np.asarray(model.predict_on_batch(chunks[i][0])) for i in range(len(chunks))]
    return np.concatenate(outputs)[: len(X)].reshape(len(X), -1)
