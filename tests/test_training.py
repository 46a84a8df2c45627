"""The training loop's callbacks: when a trained correction replaces its anchor, and the
learning-rate cuts."""

import keras
import numpy as np
from scipy.stats import t as student

from skrnn._network.training import Batches, CutLearningRate, KeepBest


def one_dense(kernel):
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, use_bias=False)])
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    model.layers[0].set_weights([np.array([[kernel]])])
    return model


def train_by_hand(model, X, y, trained_kernel):
    """What Model.fit does with KeepBest: the untrained weights first, then one epoch whose
    weights are `trained_kernel`, scored on (X, y), then the end of training."""
    validation = Batches(X[:, None], y[:, None], x_mean=0.0, x_scale=1.0, batch_size=2,
                         mean_over="span")
    initial = float(np.mean(y**2))  # the untrained kernel is zero
    keep = KeepBest(initial, patience=5, validation=validation)
    keep.set_model(model)
    keep.on_train_begin()
    model.layers[0].set_weights([np.array([[trained_kernel]])])
    keep.on_epoch_end(0, {"val_loss": float(np.mean((y - trained_kernel * X) ** 2))})
    keep.on_train_end()
    return keep, float(model.layers[0].get_weights()[0][0, 0])


def one_sided_p(gain):
    n = len(gain)
    statistic = gain.mean() / (gain.std() / np.sqrt(n)) * np.sqrt((n - 1) / n)
    return student.sf(statistic, n - 1)


def test_a_correction_better_row_by_row_replaces_the_anchor():
    rng = np.random.default_rng(0)
    X = rng.normal(size=200)
    y = 2 * X + rng.normal(scale=0.5, size=200)
    keep, kernel = train_by_hand(one_dense(0.0), X, y, trained_kernel=2.0)
    assert (keep.kept_epoch, kernel) == (1, 2.0)


def test_a_mean_gain_of_a_few_rows_that_is_noise_keeps_the_anchor():
    X = np.array([1.0, -1.0, 0.5, 2.0, -0.3])
    y = np.array([1.2, 0.9, -0.4, 1.5, 0.2])
    trained = 0.3
    gain = y**2 - (y - trained * X) ** 2
    # The setting the 1 % margin alone would accept: the mean loss falls by more than 1 %,
    # but the gain is no larger than its noise (one-sided p above the 10 % level).
    assert np.mean((y - trained * X) ** 2) < 0.99 * np.mean(y**2)
    assert one_sided_p(gain) > 0.1
    keep, kernel = train_by_hand(one_dense(0.0), X, y, trained_kernel=trained)
    assert (keep.kept_epoch, kernel) == (0, 0.0)


def test_the_learning_rate_is_cut_after_epochs_without_gain_and_restored_at_the_end():
    model = one_dense(0.0)
    keep = KeepBest(1.0, patience=10)
    cut = CutLearningRate(keep, every=4, factor=0.3)
    for callback in (keep, cut):
        callback.set_model(model)
        callback.on_train_begin()
    rates = []
    for epoch in range(9):
        keep.on_epoch_end(epoch, {"val_loss": 2.0})  # never better than the anchor
        cut.on_epoch_end(epoch)
        rates.append(float(model.optimizer.learning_rate))
    np.testing.assert_allclose(rates, [0.01] * 3 + [0.003] * 4 + [0.0009] * 2, rtol=1e-6)
    cut.on_train_end()
    np.testing.assert_allclose(float(model.optimizer.learning_rate), 0.01, rtol=1e-6)
