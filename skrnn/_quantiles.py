"""Quantile forecasts: checking the levels, and reading them through pipelines and searches."""

from numbers import Real

import numpy as np
from sklearn.utils.validation import check_is_fitted


def check_quantiles(quantiles):
    """The levels as a tuple of floats in (0, 1), strictly increasing, 0.5 among them."""
    try:
        levels = tuple(quantiles)
    except TypeError:
        levels = None
    if (
        not levels
        or not all(isinstance(q, Real) and not isinstance(q, bool) for q in levels)
        or not all(0 < q < 1 for q in levels)
    ):
        raise ValueError(f"quantiles must be a non-empty sequence of levels in (0, 1), got "
                         f"{quantiles!r}; for instance (0.1, 0.5, 0.9).")
    if any(b <= a for a, b in zip(levels[:-1], levels[1:], strict=True)):
        raise ValueError(f"quantiles must be strictly increasing, got {quantiles!r}; sort them "
                         "and drop duplicates.")
    if 0.5 not in levels:
        raise ValueError(f"quantiles must include 0.5, the median that predict returns; got "
                         f"{quantiles!r}.")
    return tuple(float(q) for q in levels)


def predict_quantiles(estimator, X):
    """Quantile forecasts of a fitted estimator, through pipelines, target transformers and
    searches.

    The final regressor must have ``predict_quantiles`` (a network fitted with
    ``loss="quantile"``). A :class:`~sklearn.pipeline.Pipeline` transforms `X` through its
    steps first; a :class:`~sklearn.compose.TransformedTargetRegressor` maps each quantile back
    through ``inverse_transform``. A monotone map keeps quantiles quantiles (a decreasing one
    swaps their order, which is put back), so this holds for the scalers and log transforms
    used on targets.

    Parameters
    ----------
    estimator : fitted estimator
        A network fitted with ``loss="quantile"``, or a pipeline, target transformer or
        search around one.

    X : array-like
        Input of the estimator's ``predict``.

    Returns
    -------
    quantiles : ndarray of shape (n_samples, n_quantiles) or (n_samples, n_outputs, n_quantiles)
        One column per level of the network's ``quantiles_``, in y's units.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.compose import TransformedTargetRegressor
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn.preprocessing import StandardScaler
    >>> from skrnn import GRURegressor, WindowTransformer, predict_quantiles
    >>> rng = np.random.RandomState(0)
    >>> series = np.cumsum(rng.normal(size=201)).reshape(-1, 1)
    >>> model = TransformedTargetRegressor(
    ...     make_pipeline(WindowTransformer(window=5), GRURegressor(
    ...         units=4, dense_units=(), epochs=2, loss="quantile", random_state=0)),
    ...     transformer=StandardScaler())
    >>> bands = predict_quantiles(model.fit(series[:-1], series[1:, 0]), series[-3:])
    >>> bands.shape, bool(np.all(np.diff(bands, axis=-1) >= 0))
    ((3, 3), True)
    """
    if hasattr(estimator, "predict_quantiles"):
        return estimator.predict_quantiles(X)
    if hasattr(estimator, "best_estimator_"):
        return predict_quantiles(estimator.best_estimator_, X)
    if hasattr(estimator, "regressor") and hasattr(estimator, "transformer"):
        check_is_fitted(estimator, "regressor_")
        levels = np.asarray(predict_quantiles(estimator.regressor_, X), dtype=float)
        inverse = np.stack([
            np.asarray(estimator.transformer_.inverse_transform(
                levels[..., j].reshape(len(levels), -1)), dtype=float).reshape(levels.shape[:-1])
            for j in range(levels.shape[-1])
        ], axis=-1)
        return np.sort(inverse, axis=-1)
    if hasattr(estimator, "steps"):
        for _, step in estimator.steps[:-1]:
            if step is not None and step != "passthrough":
                X = step.transform(X)
        return predict_quantiles(estimator.steps[-1][1], X)
    raise TypeError(
        f"{type(estimator).__name__} gives no quantiles: fit a network with loss='quantile' "
        "(alone, or at the end of a Pipeline, TransformedTargetRegressor or search)."
    )
