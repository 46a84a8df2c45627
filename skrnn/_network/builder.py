"""Building the network: an anchor fitted in closed form plus the recurrent correction(s).

The network works in standardised units on both sides: skrnn standardises X and y in float64
and converts to float32 only what the network reads (see :mod:`skrnn._network.training`), so
that a series of 1e7 + small moves, or one of scale 1e-300, loses nothing to float32.
"""

from statistics import NormalDist

import keras
import numpy as np

from .layers import (
    Affine,
    FromWindowUnits,
    LastValue,
    MeanOfNetworks,
    QuantileHead,
    SinceLast,
    SplitCovariates,
    WindowNorm,
)

_CELLS = {
    "rnn": keras.layers.SimpleRNN,
    "lstm": keras.layers.LSTM,
    "gru": keras.layers.GRU,
}


def steps_per_execution():
    """Batches per call into the compiled train/predict function.

    One call per batch hands every batch from Python to TensorFlow's threads and back; when
    those threads compete for a core (two grid-search workers on two cores) the hand-offs cost
    more than the small recurrent networks' arithmetic (``benchmarks/bench_parallel.py``).
    Keras' PyTorch backend accepts only 1.
    """
    return 1 if keras.backend.backend() == "torch" else 32


def _quantile_head(architecture, hidden, median, n_outputs):
    """Quantiles around `median`; untrained, a normal spread of the anchor's errors out of
    sample. With the median alone, the median itself."""
    levels = architecture.quantiles
    if len(levels) == 1:
        return median
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


def _anchor_layer(architecture, sequences, covariates, n_outputs):
    """The closed-form anchor on standardised inputs, frozen: the network only corrects it."""
    if architecture.anchor != "last":  # a kernel over the flat window: linear or seasonal
        kernel, bias = architecture.anchor_kernel, architecture.anchor_bias
        flat = keras.layers.Flatten()(sequences)
        if covariates is not None:
            flat = keras.layers.Concatenate()([flat, covariates])
        return keras.layers.Dense(
            n_outputs, trainable=False, name=f"{architecture.anchor}_anchor",
            kernel_initializer=keras.initializers.Constant(kernel.tolist()),
            bias_initializer=keras.initializers.Constant(bias.tolist()),
        )(flat)
    last = LastValue(architecture.anchor_feature, n_outputs)(sequences)
    return Affine(architecture.anchor_kernel, architecture.anchor_bias, name="last_anchor")(last)


def seed_stride(architecture):
    """Seeds one network draws: one per initializer and dropout layer (see _one_network)."""
    return 4 * (len(architecture.units) + len(architecture.dense_units)) + 1


def _one_network(architecture, sequences, covariates, anchor, n_outputs, seed):
    """Recurrent layers, hidden Dense layers and output of one network, seeded from `seed`;
    covariates join the recurrent layers' output, before the Dense layers."""
    seeds = iter(range(seed, seed + seed_stride(architecture)))
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
    """The network(s) trained on standardised sequences and targets: anchor + correction.

    `meta` holds the input shape ``X_shape_`` and ``n_outputs_`` (SciKeras' names). With an
    anchor, the recurrent layers read the window relative to its last step and their linear
    output starts at zero, so the untrained network is exactly the anchor. Every random draw
    (initial weights, dropout masks) is seeded from `seed`, so no global random state is
    needed for reproducibility.

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
    sequences, covariates = inputs, None
    if architecture.n_covariates:
        sequences, covariates = SplitCovariates(architecture.n_covariates)(sequences)
    if architecture.window_map is not None:
        sequences, level, spread = WindowNorm(architecture.anchor_feature)(sequences)
    anchor = None
    if architecture.anchor is not None:
        anchor = _anchor_layer(architecture, sequences, covariates, n_outputs)
    stride = seed_stride(architecture)
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
    model.compile(**compile_kwargs, steps_per_execution=steps_per_execution())
    return model


def for_prediction(model, architecture, loss):
    """The trained model as one forecaster: the networks' mean (in standardised units)."""
    if architecture.n_networks == 1:
        return model
    outputs = MeanOfNetworks(architecture.n_networks)(model.output)
    forecaster = keras.Model(model.input, outputs)
    # The trained optimizer, so that the pickled model reloads its state without warnings.
    forecaster.compile(optimizer=model.optimizer, loss=loss,
                       steps_per_execution=steps_per_execution())
    return forecaster
