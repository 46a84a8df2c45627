"""skrnn's Keras layers and losses, registered so that a saved model reloads in safe mode."""

import keras


def _fixed_weight(layer, name, values):
    """A frozen weight holding `values`. Weights, unlike constants in the traced program, keep
    the program the same for every fit of one architecture (the folds of a search differ only
    in their anchors), so that later fits reuse it (see :func:`.training.program`)."""
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

