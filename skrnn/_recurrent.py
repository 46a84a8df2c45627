"""RNNRegressor, LSTMRegressor and GRURegressor: one implementation, three cell types."""

import warnings
from numbers import Integral, Real

import numpy as np
from sklearn.base import _fit_context
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from ._base import SequenceRegressor


def _check_layer_sizes(sizes, name, *, allow_empty):
    """Return `sizes` as a tuple of positive ints, or raise naming the parameter."""
    if isinstance(sizes, Integral) and not isinstance(sizes, bool):
        sizes = (sizes,)
    try:
        sizes = tuple(sizes)
    except TypeError:
        sizes = None
    if (
        sizes is None
        or not all(isinstance(s, Integral) and not isinstance(s, bool) for s in sizes)
        or any(s < 1 for s in sizes)
        or (not sizes and not allow_empty)
    ):
        kind = "a" if allow_empty else "a non-empty"
        raise ValueError(
            f"{name} must be a positive int or {kind} sequence of positive ints (one per "
            f"layer), got {sizes if sizes is not None else name!r}."
        )
    return tuple(int(s) for s in sizes)


def _warn_if_badly_scaled(values, name, remedy):
    """Networks learn values of order one; far larger or smaller ones barely train."""
    spread = float(np.max(np.std(values, axis=0)))
    if spread > 1e3 or 0 < spread < 1e-3:
        warnings.warn(
            f"{name} varies on a scale of {spread:.3g}; recurrent networks train on values of "
            f"order one and will fit this poorly. Scale {name} with {remedy}.",
            UserWarning,
            stacklevel=4,
        )


class _RecurrentRegressor(SequenceRegressor):
    """Shared implementation; subclasses only name their recurrent cell in ``_cell``."""

    _cell = None

    _parameter_constraints = {
        "units": ["array-like", Interval(Integral, 1, None, closed="left")],
        "dense_units": ["array-like", Interval(Integral, 1, None, closed="left")],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "residual": ["boolean"],
        "target_feature": [Interval(Integral, 0, None, closed="left")],
        "optimizer": [StrOptions({"adam", "adamw", "nadam", "rmsprop", "sgd", "adagrad"})],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "loss": [StrOptions({"mse", "mae", "huber", "log_cosh"})],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "shuffle": ["boolean"],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "patience": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        *,
        units=(50,),
        dense_units=(25,),
        dropout=0.0,
        residual=False,
        target_feature=0,
        optimizer="adam",
        learning_rate=0.003,
        loss="mse",
        epochs=20,
        batch_size=32,
        shuffle=True,
        early_stopping=False,
        validation_fraction=0.1,
        patience=10,
        random_state=None,
        verbose=0,
    ):
        self.units = units
        self.dense_units = dense_units
        self.dropout = dropout
        self.residual = residual
        self.target_feature = target_feature
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.loss = loss
        self.epochs = epochs
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.random_state = random_state
        self.verbose = verbose

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Build the network and train it on windows `X` and targets `y`.

        Parameters
        ----------
        X : array-like of shape (n_samples, timesteps) or (n_samples, timesteps, n_features)
            Windows in time order, e.g. from :class:`WindowTransformer`. 2-D input without a
            window record is read as univariate sequences.

        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Targets aligned with the rows of `X`; several columns train one output each.

        Returns
        -------
        self : object
            Fitted regressor.
        """
        previous = dict(vars(self))
        try:
            return self._fit(X, y)
        except BaseException:
            # Interrupted or failed: back to the previous state (unfitted or fitted), never
            # half-fitted with new validation attributes and an old network.
            vars(self).clear()
            vars(self).update(previous)
            raise

    def _fit(self, X, y):
        units = _check_layer_sizes(self.units, "units", allow_empty=False)
        dense_units = _check_layer_sizes(self.dense_units, "dense_units", allow_empty=True)
        X, y = self._check_fit_data(X, y)
        # The last step of each window is the series itself: checking it avoids a
        # window-sized temporary array.
        _warn_if_badly_scaled(X[:, -1, :], "X", "a MinMaxScaler before the WindowTransformer")
        _warn_if_badly_scaled(y, "y", "TransformedTargetRegressor(..., transformer=MinMaxScaler())")
        if self.residual:
            self._check_target_feature()
        validation = self.validation_fraction if self.early_stopping else 0.0
        if validation and len(X) - np.ceil(validation * len(X)) < 1:
            raise ValueError(
                f"early_stopping holds out validation_fraction={validation} of {len(X)} rows, "
                "leaving none to train on. Use more rows or set early_stopping=False."
            )
        from . import _network

        self.network_ = _network.fit_network(
            X,
            y,
            cell=self._cell,
            units=units,
            dense_units=dense_units,
            dropout=self.dropout,
            residual_feature=self.target_feature if self.residual else None,
            optimizer=self.optimizer,
            learning_rate=self.learning_rate,
            loss=self.loss,
            epochs=self.epochs,
            batch_size=self.batch_size,
            shuffle=self.shuffle,
            validation=validation,
            patience=self.patience,
            seed=int(check_random_state(self.random_state).randint(2**31 - 1)),
            verbose=self.verbose,
        )
        self.history_ = dict(self.network_.history_)
        if not np.all(np.isfinite(self.history_["loss"])):
            raise ValueError(
                "Training diverged: the loss became NaN or infinite. Scale X and y to values "
                "of order one, or lower learning_rate."
            )
        return self

    def predict(self, X):
        """Predict the target for each window of `X`.

        Parameters
        ----------
        X : array-like of shape (n_samples, timesteps) or (n_samples, timesteps, n_features)
            Windows shaped like those seen in :meth:`fit`.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            Predictions, float64, shaped like the `y` seen in :meth:`fit`.
        """
        check_is_fitted(self)
        X = self._check_predict_data(X)
        from . import _network

        y_pred = _network.predict_network(self.network_, X)
        return self._as_prediction(np.asarray(y_pred, dtype=np.float64))


_DOC = """Regressor with stacked {cell} layers that reads each sample as a sequence.

    A Keras network built by SciKeras: ``len(units)`` stacked ``{layer}`` layers, then a
    ReLU ``Dense`` layer per entry of `dense_units`, then a linear output per target column.
    Every setting is a constructor argument, so the network is tuned with
    :class:`~sklearn.model_selection.GridSearchCV` like any scikit-learn estimator.

    Read more in the :ref:`User Guide <recurrent>`.

    Parameters
    ----------
    units : int or sequence of int, default=(50,)
        Units of each stacked recurrent layer, first layer first. At least one layer.

    dense_units : int or sequence of int, default=(25,)
        Units of each hidden ``Dense`` layer between the recurrent layers and the output.
        May be empty.

    dropout : float, default=0.0
        Fraction of each recurrent layer's output dropped during training, in [0, 1).

    residual : bool, default=False
        Persistence-anchored network: predict the change from the last observed value of
        `target_feature` and add that value back. The output layer starts at zero, so the
        untrained network is exactly :class:`PersistenceRegressor`. Needs `X` and `y` in the
        same units (no scaler, or the same fixed map on both such as ``np.log``).

    target_feature : int, default=0
        Feature (column of the original series) whose last value anchors the forecast when
        `residual` is True. Ignored otherwise.

    optimizer : {{"adam", "adamw", "nadam", "rmsprop", "sgd", "adagrad"}}, default="adam"
        Keras optimizer.

    learning_rate : float, default=0.003
        Learning rate of the optimizer.

    loss : {{"mse", "mae", "huber", "log_cosh"}}, default="mse"
        Training loss.

    epochs : int, default=20
        Maximum number of passes over the training data. The defaults of `units`,
        `learning_rate` and `epochs` were chosen on a validation span of the bundled MSFT
        closes: one layer, 20 epochs at 0.003 fit better than two layers, 50 epochs at
        Keras' 0.001, in a fifth of the time (``benchmarks/bench_defaults.py``).

    batch_size : int, default=32
        Samples per gradient update.

    shuffle : bool, default=True
        Whether to shuffle training windows each epoch (each window carries its own history,
        so shuffling does not break time order inside a window).

    early_stopping : bool, default=False
        Whether to stop when the validation loss has not improved for `patience` epochs and
        restore the best weights. The validation rows are the last `validation_fraction` of
        the training rows (the most recent ones), never shuffled in.

    validation_fraction : float, default=0.1
        Fraction of training rows held out, from the end, when `early_stopping` is True.

    patience : int, default=10
        Epochs without improvement of the validation loss before training stops.

    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, dropout and shuffling. Pass an int for identical
        predictions across fits. No global random state (NumPy, TensorFlow, Python) is
        touched.

    verbose : int, default=0
        Keras progress output during training: 0 silent, 1 progress bar, 2 one line per epoch.

    Attributes
    ----------
    n_features_in_ : int
        Number of columns of `X` seen during ``fit`` (timesteps for 3-D input).

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``. Defined only when `X` has feature names
        that are all strings.

    sequence_shape_ : tuple of (int, int)
        ``(timesteps, features)`` of the sequences seen during ``fit``.

    n_outputs_ : int
        Number of target columns seen during ``fit``.

    network_ : scikeras.wrappers.KerasRegressor
        The fitted SciKeras wrapper; its ``model_`` is the Keras model.

    history_ : dict of str to list of float
        Training loss (and ``val_loss`` with early stopping) per epoch.

    See Also
    --------
    {see_also}
    WindowTransformer : Builds the windows these regressors read.
    PersistenceRegressor : The baseline every network should beat.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.pipeline import make_pipeline
    >>> from skrnn import {name}, WindowTransformer
    >>> t = np.arange(200.0)
    >>> X, y = np.sin(t / 10)[:-1, None], np.sin(t / 10)[1:]
    >>> model = make_pipeline(
    ...     WindowTransformer(window=10),
    ...     {name}(units=(8,), dense_units=(), epochs=3, random_state=0),
    ... )
    >>> model.fit(X[:150], y[:150]).predict(X[150:]).shape
    (49,)
    """


class RNNRegressor(_RecurrentRegressor):
    _cell = "rnn"
    __doc__ = _DOC.format(
        cell="SimpleRNN", layer="keras.layers.SimpleRNN", name="RNNRegressor",
        see_also="LSTMRegressor : The same with LSTM cells.\n    "
        "GRURegressor : The same with GRU cells.",
    )


class LSTMRegressor(_RecurrentRegressor):
    _cell = "lstm"
    __doc__ = _DOC.format(
        cell="LSTM", layer="keras.layers.LSTM", name="LSTMRegressor",
        see_also="RNNRegressor : The same with SimpleRNN cells.\n    "
        "GRURegressor : The same with GRU cells.",
    )


class GRURegressor(_RecurrentRegressor):
    _cell = "gru"
    __doc__ = _DOC.format(
        cell="GRU", layer="keras.layers.GRU", name="GRURegressor",
        see_also="RNNRegressor : The same with SimpleRNN cells.\n    "
        "LSTMRegressor : The same with LSTM cells.",
    )
