"""RNNRegressor, LSTMRegressor, GRURegressor: training, reproducibility, parameters, bad input."""

import random

import numpy as np
import pandas as pd
import pytest
from sklearn.pipeline import make_pipeline

from conftest import TINY_NETWORK as TINY
from conftest import sine_series as sine
from skrnn import GRURegressor, LSTMRegressor, PersistenceRegressor, RNNRegressor, WindowTransformer

NETWORKS = [RNNRegressor, LSTMRegressor, GRURegressor]


@pytest.mark.parametrize("cls", NETWORKS)
def test_same_random_state_same_predictions_and_no_global_state_touched(cls):
    import tensorflow as tf
    from tensorflow.python.framework import config

    X, y = sine()
    np_state, py_state = np.random.get_state(), random.getstate()
    first = make_pipeline(WindowTransformer(window=8), cls(**TINY, random_state=3))
    second = make_pipeline(WindowTransformer(window=8), cls(**TINY, random_state=3))
    np.testing.assert_array_equal(first.fit(X, y).predict(X), second.fit(X, y).predict(X))
    assert not config.is_op_determinism_enabled()
    np.testing.assert_array_equal(np.random.get_state()[1], np_state[1])
    assert random.getstate() == py_state
    # an unseeded TF random op still works (SciKeras' determinism switch made it raise)
    assert tf.random.uniform((2,)).shape == (2,)


def test_different_random_states_differ():
    X, y = sine()
    plain = dict(TINY, anchor=None)  # an anchored network may keep its (seedless) anchor
    a = LSTMRegressor(**plain, random_state=0).fit(X.repeat(5, 1), y).predict(X.repeat(5, 1))
    b = LSTMRegressor(**plain, random_state=1).fit(X.repeat(5, 1), y).predict(X.repeat(5, 1))
    assert not np.allclose(a, b)


def test_multivariate_windows_are_read_as_sequences():
    X, y = sine(n_features=3)
    model = make_pipeline(WindowTransformer(window=6), GRURegressor(**TINY, random_state=0))
    model.fit(X[:120], y[:120])
    regressor = model[-1]
    assert regressor.sequence_shape_ == (6, 3)
    assert regressor.model_.input_shape == (None, 6, 3)
    # 3-D input gives the same predictions as the windows it was made of
    windows = model[0].transform(X[120:])
    np.testing.assert_allclose(
        regressor.predict(np.asarray(windows).reshape(-1, 6, 3)), model.predict(X[120:])
    )


def test_multi_output_targets():
    X, y = sine()
    Y = np.column_stack([y, 2 * y, 3 * y])
    model = make_pipeline(WindowTransformer(window=5), LSTMRegressor(**TINY, random_state=0))
    assert model.fit(X, Y).predict(X).shape == (len(X), 3)
    assert make_pipeline(WindowTransformer(window=5), PersistenceRegressor()).fit(X, Y).predict(
        X
    ).shape == (len(X), 3)


def test_history_and_early_stopping_on_last_rows():
    X, y = sine()
    model = LSTMRegressor(
        **{**TINY, "epochs": 30, "early_stopping": True}, patience=1, validation_fraction=0.2,
        random_state=0,
    ).fit(X.repeat(5, axis=1), y)
    assert set(model.history_) == {"loss", "val_loss"}
    assert len(model.history_["loss"]) <= 30


@pytest.mark.parametrize(
    "params, match",
    [
        ({"units": ()}, "units must be"),
        ({"units": (8, 0)}, "units must be"),
        ({"units": -3}, "units"),
        ({"dense_units": (4, -1)}, "dense_units must be"),
        ({"optimizer": "adamax"}, "optimizer"),
        ({"loss": "poisson"}, "loss"),
        ({"dropout": 1.0}, "dropout"),
        ({"epochs": 0}, "epochs"),
        ({"learning_rate": 0}, "learning_rate"),
        ({"season_length": 1}, "season_length"),
        ({"season_length": 0}, "season_length"),
        ({"season_length": "yearly"}, "season_length"),
        ({"season_length": 2.5}, "season_length"),
    ],
)
def test_bad_parameters_raise_value_error_naming_them(params, match):
    X, y = sine()
    with pytest.raises(ValueError, match=match):
        LSTMRegressor(**{**TINY, **params}).fit(X.repeat(3, axis=1), y)


def test_bad_input_at_fit_and_predict():
    X, y = sine()
    Xw = X.repeat(4, axis=1)
    with pytest.raises(ValueError, match="NaN"):
        LSTMRegressor(**TINY).fit(Xw, np.where(np.arange(len(y)) == 3, np.nan, y))
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        LSTMRegressor(**TINY).fit(Xw, y[:-1])
    model = PersistenceRegressor().fit(Xw, y)
    with pytest.raises(ValueError, match="features"):
        model.predict(X.repeat(5, axis=1))
    with pytest.raises(ValueError, match="2D array"):
        model.predict(X[:, 0])


def test_verbose_controls_keras_output(capfd):
    X, y = sine()
    LSTMRegressor(**TINY).fit(X.repeat(3, axis=1), y)  # TensorFlow's own start-up messages
    capfd.readouterr()
    LSTMRegressor(**TINY, random_state=0).fit(X.repeat(3, axis=1), y).predict(X.repeat(3, 1))
    quiet = capfd.readouterr()
    assert quiet.out == "" and quiet.err == ""
    LSTMRegressor(**TINY, random_state=0, verbose=2).fit(X.repeat(3, axis=1), y)
    assert "Epoch 2/2" in capfd.readouterr().out
    # 160 rows in batches of 32: the bar counts 5 batches, not calls of 32 batches each
    LSTMRegressor(**TINY, random_state=0, verbose=1).fit(X.repeat(3, axis=1), y)
    bar = capfd.readouterr().out
    assert "Epoch 2/2" in bar and "5/5" in bar and "32/5" not in bar


@pytest.mark.parametrize("fitted_before", [False, True])
def test_interrupted_fit_leaves_previous_state(monkeypatch, fitted_before):
    from skrnn import _network

    X, y = sine()
    model = LSTMRegressor(**TINY, random_state=0)
    if fitted_before:
        model.fit(X.repeat(3, axis=1), y)
        before = model.predict(X.repeat(3, axis=1))
    state = dict(vars(model))

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(_network, "fit_network", interrupted)
    with pytest.raises(KeyboardInterrupt):
        model.fit(X.repeat(5, axis=1), y)  # a different shape: validation already ran
    assert vars(model) == state
    if fitted_before:
        np.testing.assert_array_equal(model.predict(X.repeat(3, axis=1)), before)


@pytest.mark.parametrize("scale", [1e38, 1e9, 1.0, 1e-9, 1e-300])
def test_raw_values_of_any_scale_train_like_scaled_ones(scale):
    # X and y are standardised inside the network: the same series in other units gives the
    # same forecasts in those units (float32 arithmetic aside).
    X, y = sine()
    X, y = 2 + X, 2 + y
    model = make_pipeline(WindowTransformer(window=5), LSTMRegressor(**TINY, random_state=0))
    reference = model.fit(X, y).predict(X)
    scaled = make_pipeline(WindowTransformer(window=5), LSTMRegressor(**TINY, random_state=0))
    np.testing.assert_allclose(scaled.fit(scale * X, scale * y).predict(scale * X),
                               scale * reference, rtol=1e-4)


def test_default_networks_beat_persistence_on_a_learnable_series():
    # A noisy seasonal AR process: persistence ignores the cycle, the networks learn it.
    rng = np.random.default_rng(0)
    t = np.arange(401)
    series = 10 * np.sin(2 * np.pi * t / 12) + rng.normal(size=len(t))
    X, y = series[:-1, None], series[1:]
    persistence = np.sqrt(np.mean((y[300:] - X[300:, 0]) ** 2))
    for cls in NETWORKS:
        model = make_pipeline(WindowTransformer(window=24), cls(random_state=0))
        error = np.sqrt(np.mean((model.fit(X[:300], y[:300]).predict(X[300:]) - y[300:]) ** 2))
        assert error < 0.5 * persistence, (cls.__name__, error, persistence)


def test_the_default_network_beats_the_plain_linear_anchor_on_a_multiplicative_season():
    # Six years of a monthly series whose season grows with a trending, wandering level (as
    # airpassengers'). The plain linear anchor (no season) against the default LSTM, whose
    # anchor combines the seasonal ones. Measured over these three series: 0.84 of the plain
    # anchor's summed RMSE (0.86, 1.09 and 0.72 per series: it does not win on every one).
    from sklearn.compose import TransformedTargetRegressor
    from sklearn.preprocessing import MinMaxScaler

    plain_anchor = dict(TINY, anchor="linear", season_length=None, epochs=1,
                        learning_rate=1e-12, random_state=0)
    errors = {"plain": 0.0, "default": 0.0}
    for seed in range(3):
        t = np.arange(109)
        level = 0.01 * t + 0.02 * np.cumsum(np.random.default_rng(seed).normal(size=len(t)))
        values = 100 * np.exp(level) * (1 + 0.3 * np.sin(2 * np.pi * t / 12))
        dates = pd.date_range("2000-01-01", periods=len(t) - 1, freq="MS")
        X, y = pd.DataFrame({"v": values[:-1]}, index=dates), values[1:]
        for name, params in (("plain", plain_anchor), ("default", {"random_state": 0})):
            model = TransformedTargetRegressor(make_pipeline(
                MinMaxScaler().set_output(transform="pandas"), WindowTransformer(24),
                LSTMRegressor(**params)), transformer=MinMaxScaler()).fit(X[:72], y[:72])
            errors[name] += np.sqrt(np.mean((model.predict(X[72:]) - y[72:]) ** 2))
    assert errors["default"] < 0.9 * errors["plain"], errors


def test_a_large_level_with_small_moves_loses_nothing_to_float32():
    # 1e7 + a random walk of 0.1 steps: float32's spacing there is 1.0. Standardised in float64
    # first, the persistence anchor forecasts to the cent (it rounded to whole units before).
    rng = np.random.default_rng(0)
    series = (1e7 + np.cumsum(rng.normal(0, 0.1, 501)))[:, None]
    X, y = series[:-1], series[1:, 0]
    model = make_pipeline(WindowTransformer(window=5, time_axis="positions"),
                          RNNRegressor(**TINY, anchor="last", random_state=0))
    forecast = model.fit(X[:400], y[:400]).predict(X[400:])
    persistence = np.sqrt(np.mean((X[400:, 0] - y[400:]) ** 2))
    assert np.sqrt(np.mean((forecast - y[400:]) ** 2)) < 1.05 * persistence


def test_values_a_float32_network_cannot_hold_are_refused():
    X, y = sine()
    model = make_pipeline(WindowTransformer(window=5, time_axis="positions"),
                          LSTMRegressor(**TINY, random_state=0)).fit(X, y)
    with pytest.raises(ValueError, match="too far from the training rows for a float32"):
        model.predict(X * 1e40)


def test_one_row_is_refused_and_zero_spread_gives_the_mean():
    windows = np.arange(6.0).reshape(1, 6)
    with pytest.raises(ValueError, match="at least 2 samples .* n_samples=1"):
        RNNRegressor(**TINY, anchor="last").fit(windows, [3.0])
    flat = np.ones((10, 4))  # the last value never moves: the best "last" anchor is y's mean
    y = np.linspace(0.0, 1.0, 10)
    model = RNNRegressor(**{**TINY, "epochs": 1}, learning_rate=1e-9, anchor="last",
                         random_state=0).fit(flat, y)
    np.testing.assert_allclose(model.predict(flat), np.full(10, 0.5), atol=1e-4)


def test_constant_series_and_constant_feature_give_finite_predictions():
    X = np.full((60, 1), 5.0)
    model = make_pipeline(WindowTransformer(window=5), GRURegressor(**TINY, random_state=0))
    assert np.isfinite(model.fit(X, X[:, 0]).predict(X)).all()
    X2 = np.column_stack([sine()[0][:60, 0], np.ones(60)])
    assert np.isfinite(model.fit(X2, X2[:, 0]).predict(X2)).all()


def test_diverged_training_raises_and_keeps_the_estimator_unfitted():
    X, y = sine()
    model = RNNRegressor(**{**TINY, "epochs": 3}, learning_rate=1e30, random_state=0)
    with pytest.raises(ValueError, match="Training diverged"):
        model.fit(X.repeat(4, axis=1) * 1e3, y * 1e30)
    assert not hasattr(model, "model_")


def test_sparse_object_and_renamed_inputs_are_refused():
    import scipy.sparse as sp

    X, y = sine()
    Xw = X.repeat(3, axis=1)
    with pytest.raises(TypeError, match="Sparse data was passed"):
        PersistenceRegressor().fit(sp.csr_matrix(Xw), y)
    with pytest.raises(TypeError, match="Sparse data was passed"):
        WindowTransformer(window=2).fit(sp.csr_matrix(X))
    with pytest.raises(ValueError, match="could not convert string to float"):
        PersistenceRegressor().fit(np.array([["a", "b"]] * 5, dtype=object), np.ones(5))
    frame = pd.DataFrame(Xw, columns=["a", "b", "c"])
    model = PersistenceRegressor().fit(frame, y)
    with pytest.raises(ValueError, match="feature names should match"):
        model.predict(frame.rename(columns={"c": "d"}))


def test_a_row_predicts_the_same_alone_or_among_any_number_of_rows():
    # Up to 32 rows are padded to 32, more are cut into padded chunks of 256: a row's
    # forecast must not depend on which chunk shape or position it lands in.
    X = np.cumsum(np.random.RandomState(0).normal(size=(400, 6)), axis=1)
    model = LSTMRegressor(**TINY, random_state=0).fit(X, X[:, -1])
    together = model.predict(X)
    for rows in (slice(399, 400), slice(380, 400), slice(200, 400), slice(0, 300)):
        np.testing.assert_allclose(model.predict(X[rows]), together[rows], rtol=1e-6)


@pytest.mark.parametrize("loss", ["mse", "quantile"])
def test_networks_trained_together_equal_the_mean_of_networks_trained_alone(loss):
    from dataclasses import replace

    from skrnn import _network
    from skrnn._recurrent import Training

    X, y = sine(120)
    windows = WindowTransformer(window=6).fit_transform(X).reshape(-1, 6, 1)
    y = y.reshape(-1, 1)
    estimator = GRURegressor(**TINY, loss=loss, n_networks=3)
    estimator.n_covariates_ = 0  # as fit would set it from these windows
    architecture = estimator._closed_form_part(windows, y, (4,), (), None)
    training = Training(optimizer="adam", learning_rate=0.01, loss=loss, epochs=3,
                        batch_size=32, shuffle=True, validation=0.0, patience=10, verbose=0)
    together, *_ = _network.fit_network(windows, y, architecture=architecture,
                                       training=training, seed=7)
    stride = _network.builder.seed_stride(architecture)
    alone = [_network.fit_network(windows, y, architecture=replace(architecture, n_networks=1),
                                  training=training, seed=7 + k * stride, shuffle_seed=7)[0]
             for k in range(3)]
    scaling = dict(x_mean=architecture.x_mean, x_scale=architecture.x_scale,
                   y_mean=architecture.y_mean, y_scale=architecture.y_scale)
    forecasts = [_network.predict_network(model, windows, **scaling) for model in alone]
    np.testing.assert_allclose(_network.predict_network(together, windows, **scaling),
                               np.mean(forecasts, axis=0), rtol=1e-5, atol=1e-6)
    assert np.ptp([f[:, 0] for f in forecasts], axis=0).max() > 1e-3  # three different nets


def test_an_ensemble_pickles_and_is_searchable():
    import pickle

    from sklearn.model_selection import GridSearchCV, TimeSeriesSplit

    X, y = sine(100)
    search = GridSearchCV(make_pipeline(WindowTransformer(window=5), LSTMRegressor(
        **TINY, random_state=0)), {"lstmregressor__n_networks": [1, 2]}, cv=TimeSeriesSplit(2))
    search.fit(X, y)
    model = search.best_estimator_.set_params(lstmregressor__n_networks=2).fit(X, y)
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(model)).predict(X), model.predict(X))


def _kept_trainers():
    from skrnn import _network

    return list(_network.training.kept().values())


@pytest.mark.parametrize("cls, params", [
    pytest.param(LSTMRegressor, dict(early_stopping=True, validation_fraction=0.2),
                 id="lstm-early-stopping"),
    pytest.param(GRURegressor, dict(loss="quantile", dropout=0.3), id="gru-quantile-dropout"),
    pytest.param(RNNRegressor, dict(n_networks=2, normalization="window", anchor="last"),
                 id="rnn-ensemble-window-norm"),
])
def test_a_fit_reusing_a_traced_program_equals_an_independent_fit(cls, params):
    # A second fit of the same architecture trains the model the first one traced; different
    # data means different scalers, anchors and window maps, which must not be carried over.
    from skrnn import _network

    X, y = sine(200)
    shifted = (3 * X + 10)[50:], (3 * y + 10)[50:]
    make = lambda seed: make_pipeline(  # noqa: E731
        WindowTransformer(window=6), cls(**dict(TINY, epochs=3, **params), random_state=seed))
    _network.training.forget_trainers()
    first = make(0).fit(X, y)
    first_forecast = first.predict(X)
    [trainer] = _kept_trainers()
    reusing = make(1).fit(*shifted)
    assert _kept_trainers() == [trainer]  # the same traced model trained the second fit
    for fitted, trained in zip(reusing[-1].model_.trainable_variables,
                               trainer.trainable_variables, strict=True):
        np.testing.assert_array_equal(np.asarray(fitted), np.asarray(trained))
    _network.training.forget_trainers()
    independent = make(1).fit(*shifted)
    assert _kept_trainers() != [trainer]
    np.testing.assert_array_equal(reusing.predict(shifted[0]), independent.predict(shifted[0]))
    assert reusing[-1].history_ == independent[-1].history_
    # the first model kept its own weights, and no fitted model shares a variable with a trainer
    np.testing.assert_array_equal(first.predict(X), first_forecast)
    trainer_variables = {id(v) for t in (trainer, *_kept_trainers()) for v in t.variables}
    for model in (first, reusing, independent):
        assert not trainer_variables & {id(v) for v in model[-1].model_.variables}


def test_traced_programs_are_kept_per_thread_and_few():
    from concurrent.futures import ThreadPoolExecutor

    from skrnn import _network

    X, y = sine(120)

    def fit(window):
        model = make_pipeline(WindowTransformer(window=window), GRURegressor(**TINY,
                                                                             random_state=0))
        return model.fit(X, y).predict(X), len(_kept_trainers())

    alone = [fit(window)[0] for window in (4, 5)]
    with ThreadPoolExecutor(2) as pool:  # each thread traces its own, concurrently
        together = list(pool.map(fit, (4, 5)))
    for forecast, (threaded, n_kept) in zip(alone, together, strict=True):
        np.testing.assert_array_equal(threaded, forecast)
        assert n_kept == 1
    _network.training.forget_trainers()
    for window in (4, 5, 6, 7):
        fit(window)
    assert len(_kept_trainers()) == _network.training.MAX_TRAINERS
    import keras  # on JAX, the compiled predict functions are kept as few

    n_functions = _network.training.MAX_TRAINERS if keras.backend.backend() == "jax" else 0
    assert len(_network.training.kept("predict functions")) == n_functions


def test_a_changed_keras_dtype_policy_is_not_trained_under_the_old_one():
    import keras

    from skrnn import _network

    X, y = sine(60)
    make = lambda: make_pipeline(WindowTransformer(window=4), RNNRegressor(  # noqa: E731
        **TINY, random_state=0))
    _network.training.forget_trainers()
    make().fit(X, y)
    [float32_trainer] = _kept_trainers()
    keras.config.set_dtype_policy("float64")
    try:
        model = make().fit(X, y)
        trainers = _kept_trainers()
    finally:
        keras.config.set_dtype_policy("float32")
    assert len(trainers) == 2 and trainers[0] is float32_trainer
    assert trainers[1].compute_dtype == "float64"
    assert model[-1].model_.compute_dtype == "float64"


@pytest.mark.parametrize("loss_name", ["mse", "pinball", "per-network"])
def test_padded_batches_train_and_validate_like_unpadded_ones(loss_name):
    # On JAX every batch is padded to one shape (XLA compiles a program per shape): the
    # copies weigh nothing, a step descends the mean loss of its batch's own rows, and the
    # validation loss is the mean over all rows, as without padding; for each of skrnn's
    # losses (quantiles, ensembles).
    import keras

    from skrnn._network.layers import PerNetwork, Pinball
    from skrnn._network.training import Batches

    def _Batches(*args, **kwargs):  # the unit scaling: standardisation is tested elsewhere
        return Batches(*args, x_mean=0.0, x_scale=1.0, **kwargs)

    trained_loss, n_outputs = {"mse": ("mse", 1), "pinball": (Pinball([0.1, 0.5, 0.9]), 3),
                               "per-network": (PerNetwork("mse", 2), 2)}[loss_name]

    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(21, 4, 1)), rng.normal(size=(21, 1))

    def validated_then_trained(pad):
        inputs = keras.Input((4, 1))
        hidden = keras.layers.Dense(3, activation="tanh", kernel_initializer=keras.initializers
                                    .GlorotUniform(seed=0))(keras.layers.Flatten()(inputs))
        model = keras.Model(inputs, keras.layers.Dense(
            n_outputs, kernel_initializer=keras.initializers.GlorotUniform(seed=1))(hidden))
        model.compile(optimizer=keras.optimizers.SGD(0.1), loss=trained_loss)
        validation = _Batches(X, y, batch_size=8, pad=pad, mean_over="span")
        loss = model.evaluate(validation, verbose=0)
        model.fit(_Batches(X, y, batch_size=8, pad=pad), epochs=2, shuffle=False, verbose=0)
        return loss, model.get_weights()

    (loss, weights), (padded_loss, padded_weights) = map(validated_then_trained, (False, True))
    np.testing.assert_allclose(padded_loss, loss, rtol=1e-6)
    for padded, unpadded in zip(padded_weights, weights, strict=True):
        np.testing.assert_allclose(padded, unpadded, rtol=1e-5, atol=1e-6)
    X_last, y_last, sample_weight = _Batches(X, y, batch_size=8, pad=True)[2]
    assert X_last.shape == (8, 4, 1) and np.isfinite(X_last).all()
    np.testing.assert_array_equal(X_last[5:], X_last[:3])  # copies of the batch's own rows
    np.testing.assert_array_equal(sample_weight, np.float32([8 / 5] * 5 + [0] * 3))


def test_training_batches_have_one_shape_on_jax(monkeypatch):
    import keras

    from skrnn import _network

    sizes = set()
    cut = _network.training.Batches.__getitem__
    monkeypatch.setattr(_network.training.Batches, "__getitem__",
                        lambda self, index: sizes.add(len(cut(self, index)[0])) or cut(self, index))
    X, y = sine(60)
    model = LSTMRegressor(**dict(TINY, batch_size=8, early_stopping=True), random_state=0)
    model.fit(WindowTransformer(window=4).fit_transform(X), y)
    if keras.backend.backend() == "jax":
        assert sizes == {8}
    else:  # unpadded, bit for bit as before: the last batches of training and validation
        assert len(sizes) > 1 and max(sizes) == 8


def test_a_compiled_predict_function_is_shared_only_where_weights_are_its_arguments():
    # On JAX a model of an already compiled program predicts through the earlier model's
    # compiled function, which takes the weights as arguments; TensorFlow's traced functions
    # capture their model's variables, so each model has its own there.
    import pickle

    import keras

    X, y = sine(120)
    make = lambda: make_pipeline(WindowTransformer(window=5), GRURegressor(  # noqa: E731
        **TINY, random_state=0))
    first = make().fit(X, y)
    first_forecast = first.predict(X)
    second = make().fit(3 * X + 10, 3 * y + 10)
    second_forecast = second.predict(X)
    shared = first[-1].model_.predict_function is second[-1].model_.predict_function
    assert shared == (keras.backend.backend() == "jax")
    np.testing.assert_array_equal(first.predict(X), first_forecast)
    # a copy compiles its own function, and predicts the same
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(second)).predict(X), second_forecast)
    # the weights are the calling model's: with the first model's, the first's forecasts
    windows = first[0].transform(X)
    assert not np.allclose(second[-1].predict(windows), first[-1].predict(windows))
    second[-1].model_.set_weights(first[-1].model_.get_weights())
    for scaling in ("x_mean_", "x_scale_", "y_mean_", "y_scale_"):  # applied around model_
        setattr(second[-1], scaling, getattr(first[-1], scaling))
    np.testing.assert_array_equal(second[-1].predict(windows), first[-1].predict(windows))


def test_subnormal_data_and_a_non_converging_anchor_are_refused():
    X, y = sine()
    windows = WindowTransformer(window=5, time_axis="positions").fit_transform(X)
    with pytest.raises(ValueError, match="subnormal"):
        RNNRegressor(**TINY).fit(windows * 3e-309, y * 3e-309)
    base = np.random.default_rng(0).normal(0, 1, 120).cumsum()
    outlier = base[:-1, None].copy()
    outlier[60] = 1e300
    weights = np.ones(119)
    weights[60] = 0  # its own row weighs nothing, the windows after it still hold it
    with pytest.raises(ValueError, match="least squares did not converge"):
        RNNRegressor(**TINY, anchor="linear").fit(
            WindowTransformer(5, time_axis="positions").fit_transform(outlier), base[1:],
            sample_weight=weights)
