"""RNNRegressor, LSTMRegressor and GRURegressor: one implementation, three cell types."""

from dataclasses import dataclass, fields
from numbers import Integral, Real

import numpy as np
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from . import _anchor, _seasons
from ._base import SequenceRegressor
from ._compat import Interval, StrOptions
from ._quantiles import check_quantiles
from ._sequences import check_sequences


@dataclass(frozen=True)
class Architecture:
    """What network to build: handed as one piece to :func:`skrnn._network.fit_network`.

    The arrays are the closed-form part fitted at ``fit`` (:mod:`skrnn._anchor`): per-feature
    standardisation of X, per-output standardisation of y, and the anchor in standardised
    units — a per-output slope and intercept on the last value of `anchor_feature` for
    ``"last"``, a ``(timesteps * features, n_outputs)`` kernel and a bias for every other
    anchor (``"linear"``, the seasonal ones, and ``"combined"``: the weighted mean of several,
    which ``anchor="auto"`` makes).
    With `quantiles`, the network forecasts those levels; `spread` (the anchor's error on rows it
    was not fitted to, in standardised units) sets their untrained width. The last `n_covariates`
    features are covariates. With `window_map` ``(slope, intercept)``, standardised y of each output
    is ``slope * anchor_feature + intercept``: each window is normalised on its own, the anchor and
    network work in the units of its normalised `anchor_feature`, and the forecast is mapped back
    through its window's mean and deviation.
    """

    cell: str
    units: tuple
    dense_units: tuple
    dropout: float
    anchor: str | None
    anchor_feature: int
    x_mean: np.ndarray
    x_scale: np.ndarray
    y_mean: np.ndarray
    y_scale: np.ndarray
    anchor_kernel: np.ndarray | None
    anchor_bias: np.ndarray | None
    quantiles: tuple = ()
    spread: float = 1.0
    n_networks: int = 1
    n_covariates: int = 0
    window_map: tuple | None = None


@dataclass(frozen=True)
class Training:
    """How to train it; `validation` is the fraction held out for early stopping (0: none)."""

    optimizer: str
    learning_rate: float
    loss: str
    epochs: int
    batch_size: int
    shuffle: bool
    validation: float
    patience: int
    verbose: int


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


class _RecurrentRegressor(SequenceRegressor):
    """Shared implementation; subclasses only name their recurrent cell in ``_cell``."""

    _cell = None

    _parameter_constraints = {
        "units": ["array-like", Interval(Integral, 1, None, closed="left")],
        "dense_units": ["array-like", Interval(Integral, 1, None, closed="left")],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "n_networks": [Interval(Integral, 1, None, closed="left")],
        "anchor": [StrOptions({"auto", "linear", "last", "exponential_smoothing", "seasonal",
                               "seasonal_difference"}),
                   None],
        "season_length": [StrOptions({"auto"}), Interval(Integral, 2, None, closed="left"), None],
        "normalization": [StrOptions({"global", "window"})],
        "target_feature": [Interval(Integral, 0, None, closed="left")],
        "column_order": [StrOptions({"auto", "oldest_first", "newest_first"})],
        "optimizer": [StrOptions({"adam", "adamw", "nadam", "rmsprop", "sgd", "adagrad"})],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "loss": [StrOptions({"mse", "mae", "huber", "log_cosh", "quantile"})],
        "quantiles": ["array-like"],
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
        n_networks=1,
        anchor="auto",
        season_length="auto",
        normalization="global",
        target_feature=0,
        column_order="auto",
        optimizer="adam",
        learning_rate=0.003,
        loss="mse",
        quantiles=(0.1, 0.5, 0.9),
        epochs=60,
        batch_size=32,
        shuffle=True,
        early_stopping=True,
        validation_fraction=0.1,
        patience=10,
        random_state=None,
        verbose=0,
    ):
        self.units = units
        self.dense_units = dense_units
        self.dropout = dropout
        self.n_networks = n_networks
        self.anchor = anchor
        self.season_length = season_length
        self.normalization = normalization
        self.target_feature = target_feature
        self.column_order = column_order
        self.optimizer = optimizer
        self.learning_rate = learning_rate
        self.loss = loss
        self.quantiles = quantiles
        self.epochs = epochs
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.random_state = random_state
        self.verbose = verbose

    def fit(self, X, y, sample_weight=None):
        # The season of the series' dates comes in the window record, which the validation in
        # SequenceRegressor.fit does not keep.
        self._stated_season = getattr(getattr(X, "window_layout", None), "season_length", None)
        try:
            return super().fit(X, y, sample_weight)
        finally:
            vars(self).pop("_stated_season", None)

    fit.__doc__ = SequenceRegressor.fit.__doc__

    def _fit_sequences(self, X, y, sample_weight):
        units = _check_layer_sizes(self.units, "units", allow_empty=False)
        dense_units = _check_layer_sizes(self.dense_units, "dense_units", allow_empty=True)
        if self.anchor is not None or self.normalization == "window":
            self._check_target_feature()
        n_counted = len(X) if sample_weight is None else int(np.sum(sample_weight > 0))
        if n_counted < 2:
            raise ValueError(
                f"{type(self).__name__} needs at least 2 samples of positive weight to fit, got "
                f"n_samples={n_counted}: one row gives no scale to standardise by and no "
                "relation between X and y. Pass more rows."
            )
        architecture = self._closed_form_part(X, y, units, dense_units, sample_weight)
        self.x_mean_, self.x_scale_ = architecture.x_mean, architecture.x_scale
        self.y_mean_, self.y_scale_ = architecture.y_mean, architecture.y_scale
        if architecture.quantiles:
            self.quantiles_ = np.asarray(architecture.quantiles)
        else:  # a refit with another loss: predict must not read levels that are gone
            vars(self).pop("quantiles_", None)
        same_names = [f.name for f in fields(Training) if f.name != "validation"]
        training = Training(
            validation=self.validation_fraction if self.early_stopping else 0.0,
            **{name: getattr(self, name) for name in same_names},
        )
        from . import _network

        self.model_, self.history_, self.kept_epoch_ = _network.fit_network(
            X,
            y,
            architecture=architecture,
            training=training,
            seed=int(check_random_state(self.random_state).randint(2**31 - 1)),
            sample_weight=sample_weight,
        )
        if not np.all(np.isfinite(self.history_["loss"])):
            raise ValueError(
                "Training diverged: the loss became NaN or infinite. Lower learning_rate."
            )

    def _closed_form_part(self, X, y, units, dense_units, sample_weight):
        """Standardisation and anchor, fitted on all training rows, weighted by
        `sample_weight` ("auto": see _anchor)."""
        # the series, not its windows
        x_mean, x_scale = _anchor.standardisation(X[:, -1, :], sample_weight)
        y_mean, y_scale = _anchor.standardisation(y, sample_weight)
        if np.any(np.r_[x_scale, y_scale] < np.finfo(np.float64).tiny):
            raise ValueError(
                "X or y varies by less than 2.2e-308, where float64 numbers are subnormal and "
                "lose their precision: rescale the data (multiply by 1e300, say) first."
            )
        stats = dict(x_mean=x_mean, x_scale=x_scale, y_mean=y_mean, y_scale=y_scale)
        feature, window_map = self.target_feature, None
        if self.normalization == "window":
            window_map = self._window_map(X, y, stats, sample_weight)
        part = dict(n_covariates=self.n_covariates_, sample_weight=sample_weight,
                    per_window=None if window_map is None else (feature, *window_map), **stats)
        season = self._season(X, y, feature, sample_weight)
        seasonal = season is not None and _anchor.seasonal_naive_map(
            X, y, feature, season, n_covariates=self.n_covariates_,
            per_window=part["per_window"], **stats) is not None
        self.season_length_ = season if seasonal else None
        chosen, kernel, bias, quantiles, spread = self.anchor, None, None, (), 1.0
        if chosen in _anchor.SEASONAL_ANCHORS and not seasonal:
            raise ValueError(
                f"anchor={chosen!r} needs a season and a target that is a later value of "
                f"target_feature={feature}, but "
                + (f"no season was found (season_length={self.season_length!r})"
                   if season is None else "y is not a later value of that feature")
                + ". Pass season_length=<steps per season>, or use anchor='auto'.")
        if self.loss == "quantile":
            quantiles = check_quantiles(self.quantiles)
        if chosen is not None:
            weights, fits = self._anchors(X, y, feature, season, seasonal, quantiles, part)
            self.anchor_weights_ = weights
            chosen = next(iter(fits)) if len(fits) == 1 else "combined"
            n_windowed = X.shape[2] - self.n_covariates_
            width, last_row = X.shape[1] * n_windowed + self.n_covariates_, (
                (X.shape[1] - 1) * n_windowed + feature)
            if chosen != "combined":
                kernel, bias = fits[chosen][:2]
            else:
                kernel = sum(weights[name] * _anchor.as_kernel(name, fit[:2], width, last_row)
                             for name, fit in fits.items())
                bias = sum(weights[name] * fit[1] for name, fit in fits.items())
            if quantiles:
                # Quantiles start at a normal spread of the anchor's errors on rows it did not
                # see: on the rows it was fitted to they are too small, and so the bands.
                spread = np.sqrt(sum(weights[name] * fit[2] for name, fit in fits.items()))
            self.anchor_ = max(weights, key=weights.get)
        else:
            self.anchor_ = None
            vars(self).pop("anchor_weights_", None)
        return Architecture(
            cell=self._cell, units=units, dense_units=dense_units, dropout=self.dropout,
            anchor=chosen, anchor_feature=feature, anchor_kernel=kernel,
            anchor_bias=bias, quantiles=quantiles, spread=float(spread),
            n_networks=self.n_networks, n_covariates=self.n_covariates_,
            window_map=window_map, **stats,
        )

    def _anchors(self, X, y, feature, season, seasonal, quantiles, part):
        """The weight of each anchor (``"auto"``: see :func:`_anchor.combination_weights`)
        and its fit on all training rows (kernel, bias and, for quantiles, its error on rows
        it did not see)."""
        if self.anchor == "auto":
            candidates = ("linear", "last") + (_anchor.SEASONAL_ANCHORS if seasonal else ())
            if self.n_covariates_:
                candidates += (_anchor.HISTORY_LINEAR,)
            weights = _anchor.combination_weights(_anchor.rolling_origin_errors(
                X, y, feature, candidates=candidates, season_length=season, **part))
        else:
            weights = {self.anchor: 1.0}
        fits = {name: _anchor.fit_anchor(name, X, y, feature, season_length=season,
                                         return_error=bool(quantiles), **part)
                for name in weights}
        if self.anchor == "exponential_smoothing" and fits[self.anchor] is None:
            raise ValueError(
                f"anchor='exponential_smoothing' smooths the values of target_feature="
                f"{feature}, but y is not a later value of that feature (y must be that "
                "column's value some steps after each window, in any affine units). Set "
                "target_feature to the column y continues, or use anchor='linear'.")
        if fits.get(self.anchor, 0) is None:
            raise ValueError(
                f"anchor={self.anchor!r} reads the value one season before the last step, "
                f"which the windows of {X.shape[1]} steps do not reach (season_length="
                f"{season}). Use a window of at least {season + 1} steps, or anchor='auto'.")
        fits = {name: fit for name, fit in fits.items() if fit is not None}
        weights = {name: weights[name] / sum(weights[n] for n in fits) for name in fits}
        return weights, fits

    def _season(self, X, y, feature, sample_weight):
        """The season length the seasonal anchors use, or None (see `season_length`)."""
        timesteps = X.shape[1]
        if self.season_length is None:
            return None
        if self.season_length != "auto":
            if self.season_length > timesteps:
                raise ValueError(
                    f"season_length={self.season_length} reaches further back than the "
                    f"windows, of {timesteps} steps: the seasonal anchors read the value one "
                    "season before the forecast time. Use a window of at least "
                    f"{self.season_length} steps, or season_length=None."
                )
            return int(self.season_length)
        stated = getattr(self, "_stated_season", None)  # set by fit
        if stated is None:
            counted = slice(None) if sample_weight is None else sample_weight > 0
            stated = _seasons.detect_season(X[counted, -1, feature], max_lag=timesteps)
        return stated if stated is not None and 2 <= stated <= timesteps else None

    def _window_map(self, X, y, stats, sample_weight):
        """Slope and intercept from `target_feature` to each column of y, standardised units:
        with ``normalization="window"``, each forecast is made in its window's units."""
        slope, intercept = _anchor.last_value_map(
            X[:, -1, self.target_feature], y, self.target_feature, sample_weight=sample_weight,
            **stats)
        if np.any(np.abs(slope) < 1e-6):
            raise ValueError(
                "normalization='window' forecasts in the units of each window's "
                f"target_feature={self.target_feature}, but y does not follow that feature "
                "(no affine relation between them in the training rows). Point "
                "target_feature at the series y forecasts, or use normalization='global'."
            )
        return slope, intercept

    def _forecast(self, X):
        from . import _network

        return _network.predict_network(self.model_, X, x_mean=self.x_mean_,
                                        x_scale=self.x_scale_, y_mean=self.y_mean_,
                                        y_scale=self.y_scale_)

    def _predict_sequences(self, X):
        if not hasattr(self, "quantiles_"):
            return self._forecast(X)
        return self._levels(X)[..., list(self.quantiles_).index(0.5)]

    def _levels(self, X):
        """Every quantile level for 3-D X: ``(n_samples, n_outputs, n_quantiles)``."""
        return self._forecast(X).reshape(len(X), self.n_outputs_, len(self.quantiles_))

    def predict_quantiles(self, X):
        """Forecast every level of ``quantiles_`` for each window of `X`.

        Available when fitted with ``loss="quantile"``. Through a Pipeline or a
        TransformedTargetRegressor, use :func:`skrnn.predict_quantiles`.

        Parameters
        ----------
        X : array-like of shape (n_samples, timesteps) or (n_samples, timesteps, n_features)
            Windows shaped like those seen in :meth:`fit`.

        Returns
        -------
        quantiles : ndarray of shape (n_samples, n_quantiles) or \
(n_samples, n_outputs, n_quantiles)
            Increasing along the last axis (the levels never cross).
        """
        check_is_fitted(self)
        if not hasattr(self, "quantiles_"):
            raise ValueError("predict_quantiles needs a network fitted with loss='quantile'; "
                             "this one was fitted with another loss.")
        levels = self._levels(check_sequences(self, X, reset=False))
        return levels[:, 0] if self._y_ndim == 1 else levels

    def __getstate__(self):
        state = super().__getstate__()
        if "model_" in state:  # the bytes of a .keras file: pickle and skops carry them alike
            from ._network import saving

            state["model_"] = saving.to_bytes(state["model_"])
        return state

    def __setstate__(self, state):
        model = state.get("model_")
        if isinstance(model, bytes):
            from ._network import saving

            state["model_"] = saving.from_bytes(model)
        elif model is not None:  # pickled by skrnn 0.1/0.2 inside a PickledModel
            state["model_"] = model.model
        super().__setstate__(state)


_DOC = """Regressor with stacked {cell} layers that reads each sample as a sequence.

    A Keras network built by SciKeras: ``len(units)`` stacked ``{layer}`` layers, then a
    ReLU ``Dense`` layer per entry of `dense_units`, then a linear output per target column.
    By default that output is a *correction* added to a linear model of the window fitted in
    closed form (`anchor`), and X and y are standardised in float64 around the float32
    network, so raw prices need no scaler, nothing is lost to float32 (a level of 1e7 moving
    by cents, or values of 1e-300), and the forecast can leave the range seen in training.
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

    n_networks : int, default=1
        Number of networks trained together, each from its own seeds, in one Keras model
        (they share the input and the anchor, no weight, and each gets the gradients of its own
        loss); the forecast is their mean. An ensemble is a steadier estimate than one
        network, whose result varies from seed to seed; on these small, latency-bound
        networks it costs far less than `n_networks` separate fits
        (``benchmarks/bench_ensemble.py``).

    anchor : {{"auto", "linear", "last", "exponential_smoothing", "seasonal", \
"seasonal_difference"}} or None, default="auto"
        What the recurrent layers correct, fitted in closed form on the training rows.
        ``"last"``: the persistence forecast, the last value of `target_feature` mapped to y's
        units (exactly, when y is a later value of that feature, whatever the scalers on X and
        y). ``"seasonal"``: seasonal naive, the value one season before the forecast time.
        ``"seasonal_difference"``: the last value plus its change over the last season
        (``x[t] + x[t+1-m] - x[t-m]``, which follows a trend and a season at once).
        ``"exponential_smoothing"``: additive Holt-Winters run over the window (a season only
        with one), a fixed linear filter whose smoothing parameters are those of a small grid
        with the lowest error on the training rows.
        ``"linear"``: a ridge regression of y on the whole window (a linear skip, as in DLinear
        and N-BEATS), shrunk toward whichever of the four forecasts above (the seasonal ones
        only with a season) has the lowest exact leave-one-out error, with the penalty of lowest
        leave-one-out error (Litterman's random-walk prior and its seasonal forms).
        ``"auto"``: "linear", "last" and the seasonal ones (with covariates, also
        ``"linear_without_covariates"``: "linear" on the windows alone), each weighed by its
        inverse squared error on the last 30 % of the training rows, refitted on the rows
        before three successive blocks of them (rolling origins; weights under 1 % dropped): a
        combination is steadier than the one anchor that scored best on a few blocks. The
        anchor is frozen and the correction starts at zero, so the untrained network is the
        anchor; with an anchor, the recurrent layers read each window relative to its last
        step. None: a plain network.

    season_length : "auto", int >= 2 or None, default="auto"
        Steps per season, for the seasonal anchors. ``"auto"``: the season of the dates'
        frequency, which :class:`WindowTransformer` records with its windows (12 for monthly,
        4 quarterly, 52 weekly, 7 daily, 5 business days, 24 hourly, 48 half-hourly; none
        for annual or irregular dates); for windows that state no dates (plain or 3-D arrays,
        window column names), the lag at which the autocorrelation of the series' steps
        peaks significantly, if any (:mod:`skrnn._seasons`). A season longer than the window
        is not used: the seasonal anchors read the value one season back, so the window must
        hold at least `season_length` steps (``"seasonal_difference"``: one more). An int
        longer than the window is refused. None: no season.

    normalization : {{"global", "window"}}, default="global"
        How the network scales what it reads. ``"global"``: X and y are standardised with
        statistics of all training rows. ``"window"``: each window is also normalised by its
        own mean and standard deviation (instance normalisation, RevIN, Kim et al. 2022, as
        Darts' ``use_reversible_instance_norm``) and the forecast mapped back with those of
        `target_feature`, so that series of very different levels and scales look alike to
        the network (the loss stays in y's units, as in Darts and neuralforecast). Meant for
        one global model over a panel of series (see :ref:`global_models`). Needs y to be a
        later value of `target_feature` (up to an affine scaling).

    target_feature : int, default=0
        Feature (column of the original series) whose last value is the ``"last"`` anchor and
        the forecast the ``"linear"`` one is shrunk toward, and whose window statistics map the
        forecast back with ``normalization="window"``. Ignored by a plain network.

    column_order : {{"auto", "oldest_first", "newest_first"}}, default="auto"
        How the columns of a plain 2-D `X` (no window record, no window column names) run in
        time. ``"auto"`` reads them newest first only when consecutive rows form a lag matrix
        with the newest value first, as skforecast builds them (``lag_1`` is the latest
        value), and oldest first otherwise, as :class:`WindowTransformer` and sktime build
        them. Windows that state their layout always run oldest first.

    optimizer : {{"adam", "adamw", "nadam", "rmsprop", "sgd", "adagrad"}}, default="adam"
        Keras optimizer.

    learning_rate : float, default=0.003
        Learning rate of the optimizer.

    loss : {{"mse", "mae", "huber", "log_cosh", "quantile"}}, default="mse"
        Training loss. ``"quantile"``: the network forecasts every level of `quantiles`
        (one output per level, built so that they never cross), trained with the pinball
        loss; ``predict`` returns the median and :meth:`predict_quantiles` all levels.

    quantiles : sequence of float, default=(0.1, 0.5, 0.9)
        Levels forecast with ``loss="quantile"``: strictly increasing, in (0, 1), 0.5 among
        them. Ignored otherwise.

    epochs : int, default=60
        Maximum number of passes over the training data; with `early_stopping`, training
        usually stops long before (on short series after about `patience` epochs). The
        defaults of `units` and `learning_rate` were chosen on a validation span of the
        bundled MSFT closes (``benchmarks/bench_defaults.py``), `epochs` on the inner spans
        of the collection of real series (``benchmarks/README.md``, quality run 7).

    batch_size : int, default=32
        Samples per gradient update.

    shuffle : bool, default=True
        Whether to shuffle training windows each epoch (each window carries its own history,
        so shuffling does not break time order inside a window).

    early_stopping : bool, default=True
        Whether to hold out the last `validation_fraction` of the training rows (the most
        recent ones, never shuffled in), stop when their loss has not improved for `patience`
        epochs, and restore the best weights. The untrained network (the anchor) is one of
        the candidates, so on that span the network is never worse than its anchor: a
        trained network replaces it only if it is 1 % better there and a one-sided
        Diebold-Mariano test of their losses row by row finds it better at the 10 % level
        (on a span of a few rows, a 1 % gain is noise). The learning rate is multiplied by
        0.3 after every 4 epochs without a new best network.

    validation_fraction : float, default=0.1
        Fraction of training rows held out, from the end, when `early_stopping` is True
        (rounded down: with fewer than ``1 / validation_fraction`` rows, none is held out and
        training runs all `epochs`).

    patience : int, default=10
        Epochs without improvement of the validation loss before training stops.

    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, dropout and shuffling. Pass an int for identical
        predictions across fits; then no global random state (NumPy, TensorFlow, Python) is
        touched. With None, one seed is drawn from NumPy's global generator at each fit, as
        scikit-learn's estimators do (:func:`sklearn.utils.check_random_state`).

    verbose : int, default=0
        Keras progress output during training: 0 silent, 1 progress bar, 2 one line per epoch.

    Attributes
    ----------
    n_features_in_ : int
        Number of columns of the 2-D `X` seen during ``fit``; for 3-D input
        ``(n_samples, timesteps, n_features)``, ``timesteps * n_features``.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``. Defined only when `X` has feature names
        that are all strings.

    sequence_shape_ : tuple of (int, int)
        ``(timesteps, features)`` of the sequences seen during ``fit``.

    n_outputs_ : int
        Number of target columns seen during ``fit``.

    n_covariates_ : int
        Number of covariate columns after the windows (known-future values, see
        :ref:`covariates`), fed to the Dense layers beside the recurrent layers' output and
        to the linear anchor.

    column_order_ : {{"oldest_first", "newest_first"}}
        How the columns of `X` were read at ``fit``; plain 2-D `X` at ``predict`` is read the
        same way.

    model_ : keras.Model
        The fitted Keras model, in standardised units: input ``(None, timesteps, features)``
        (with covariates, ``features + n_covariates_``, the covariates repeated at every step),
        fed ``(X - x_mean_) / x_scale_``; its output times ``y_scale_`` plus ``y_mean_`` is
        the forecast, one column per target (per target and level with quantiles). Save it
        with ``model_.save("network.keras")`` or inspect it with ``model_.summary()``.

    x_mean_, x_scale_ : ndarray of shape (features,)
        Weighted mean and standard deviation of each feature of a time step over the training
        rows (scale 1 for a constant feature), applied in float64 before the network.

    y_mean_, y_scale_ : ndarray of shape (`n_outputs_`,)
        The same for each target column, to bring the network's output back to y's units.

    quantiles_ : ndarray of shape (n_quantiles,)
        The levels forecast, with ``loss="quantile"`` only.

    anchor_ : {{"linear", "last", "exponential_smoothing", "seasonal", \
"seasonal_difference"}} or None
        The anchor the network corrects; with ``"auto"``, the one of largest weight.

    anchor_weights_ : dict of str to float
        The weight of each anchor in the one the network corrects (one anchor: weight 1).
        Not set for a plain network.

    season_length_ : int or None
        The season the seasonal anchors used, None when there was none (or the windows were
        too short for it).

    kept_epoch_ : int
        The epoch whose weights the network kept, from 1; 0 when early stopping kept the
        untrained network, the anchor alone (no trained correction beat it on the validation
        rows).

    history_ : dict of str to list of float
        Training loss (and ``val_loss`` with early stopping) per epoch, on standardised y.
        On Keras' JAX backend, where the last batch is padded to full size, the training
        loss averages the epoch's batches with equal weight (the last one's rows weigh a
        little more than on TensorFlow); ``val_loss`` is the mean over the validation rows
        on both.

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


_KERAS_LAYERS = {"RNNRegressor": "SimpleRNN", "LSTMRegressor": "LSTM", "GRURegressor": "GRU"}


def _doc(name):
    """The shared docstring, for the regressor `name`, pointing at its two siblings."""
    see_also = "\n    ".join(
        f"{other} : The same with {layer} cells."
        for other, layer in _KERAS_LAYERS.items() if other != name
    )
    layer = _KERAS_LAYERS[name]
    return _DOC.format(cell=layer, layer=f"keras.layers.{layer}", name=name, see_also=see_also)


class RNNRegressor(_RecurrentRegressor):
    _cell = "rnn"
    __doc__ = _doc("RNNRegressor")


class LSTMRegressor(_RecurrentRegressor):
    _cell = "lstm"
    __doc__ = _doc("LSTMRegressor")


class GRURegressor(_RecurrentRegressor):
    _cell = "gru"
    __doc__ = _doc("GRURegressor")
