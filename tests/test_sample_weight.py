"""Sample weights: they weigh the rows' losses, reach the networks through scikit-learn's
metadata routing, and a zero weight is as if the row were not there."""

import numpy as np
import pytest
import sklearn
from sklearn.linear_model import Ridge
from sklearn.metrics import make_scorer, root_mean_squared_error
from sklearn.model_selection import TimeSeriesSplit, cross_validate
from sklearn.pipeline import make_pipeline

from conftest import TINY_NETWORK, ar2_series
from skrnn import (
    AdaptiveConformalRegressor,
    ConformalIntervalRegressor,
    GRURegressor,
    LSTMRegressor,
    PersistenceRegressor,
    WindowTransformer,
)
from skrnn._anchor import fit_anchor, standardisation


@pytest.fixture(scope="module")
def windows():
    X, y = ar2_series(240)
    return np.lib.stride_tricks.sliding_window_view(X[:, 0], 6)[..., None], y[5:, None]


def test_a_zero_weight_anchor_equals_the_anchor_of_the_other_rows(windows):
    X, y = windows
    weights = np.r_[np.zeros(100), np.ones(len(X) - 100)]
    for name in ("linear", "last"):
        stats = dict(zip(("x_mean", "x_scale"), standardisation(X[100:, -1, :]), strict=True))
        stats.update(zip(("y_mean", "y_scale"), standardisation(y[100:]), strict=True))
        weighted = fit_anchor(name, X, y, 0, sample_weight=weights, **stats)
        alone = fit_anchor(name, X[100:], y[100:], 0, **stats)
        for a, b in zip(weighted, alone, strict=True):
            np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-9)
    for a, b in zip(standardisation(X[:, -1, :], weights), standardisation(X[100:, -1, :]),
                    strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-12)


@pytest.mark.parametrize("anchor", ["auto", "linear", None])
def test_a_zero_weight_network_equals_the_network_of_the_other_rows(windows, anchor):
    # Rows of zero weight leave every batch, the validation span and every closed-form sum,
    # but stay in the windows of the rows after them (here the windows are given as is).
    X, y = windows
    weights = np.r_[np.zeros(100), np.ones(len(X) - 100)]
    params = dict(TINY_NETWORK, early_stopping=True, anchor=anchor, random_state=0)
    weighted = LSTMRegressor(**params).fit(X, y[:, 0], sample_weight=weights)
    alone = LSTMRegressor(**params).fit(X[100:], y[100:, 0])
    assert weighted.anchor_ == alone.anchor_
    np.testing.assert_allclose(weighted.predict(X), alone.predict(X), rtol=1e-5, atol=1e-5)


def test_weights_change_the_fit_and_scaling_them_does_not(windows):
    X, y = windows
    recent = np.linspace(0.1, 1.0, len(X))
    params = dict(TINY_NETWORK, random_state=0)
    plain = GRURegressor(**params).fit(X, y[:, 0]).predict(X)
    weighted = GRURegressor(**params).fit(X, y[:, 0], sample_weight=recent).predict(X)
    scaled = GRURegressor(**params).fit(X, y[:, 0], sample_weight=7 * recent).predict(X)
    assert not np.allclose(plain, weighted)
    np.testing.assert_allclose(scaled, weighted, rtol=1e-5, atol=1e-6)


def test_bad_weights_are_refused_naming_sample_weight(windows):
    X, y = windows
    model = GRURegressor(**TINY_NETWORK)
    with pytest.raises(ValueError, match="Negative values in data passed to `sample_weight`"):
        model.fit(X, y[:, 0], sample_weight=np.r_[-1.0, np.ones(len(X) - 1)])
    with pytest.raises(ValueError, match="at least one non-zero"):
        model.fit(X, y[:, 0], sample_weight=np.zeros(len(X)))
    with pytest.raises(ValueError, match=r"sample_weight.shape == \(3,\), expected \(236,\)"):
        model.fit(X, y[:, 0], sample_weight=np.ones(3))


def test_a_pipeline_passes_model__sample_weight_and_routing_reaches_the_network():
    X, y = ar2_series(160)

    def pipeline():
        return make_pipeline(WindowTransformer(5, time_axis="positions"),
                             LSTMRegressor(**TINY_NETWORK, random_state=0))

    half = np.arange(len(X)) % 2.0  # every other row weighs nothing
    direct = pipeline().fit(X, y, lstmregressor__sample_weight=half).predict(X)
    assert not np.allclose(direct, pipeline().fit(X, y).predict(X))
    cv = TimeSeriesSplit(2)
    with sklearn.config_context(enable_metadata_routing=True):
        rmse = make_scorer(root_mean_squared_error, greater_is_better=False)
        rmse.set_score_request(sample_weight=False)  # the weights are for fitting only
        routed = pipeline()
        routed[-1].set_fit_request(sample_weight=True)
        scores = cross_validate(routed, X, y, cv=cv, params={"sample_weight": half},
                                scoring=rmse)["test_score"]
        plain = cross_validate(pipeline(), X, y, cv=cv, scoring=rmse)["test_score"]
        assert np.isfinite(scores).all() and not np.allclose(scores, plain)
        with pytest.raises(sklearn.exceptions.UnsetMetadataPassedError,
                           match=r"\[sample_weight\] are passed but are not explicitly set"):
            cross_validate(pipeline(), X, y, cv=cv, scoring=rmse, error_score="raise",
                           params={"sample_weight": half})


def test_persistence_accepts_weights_and_is_still_persistence():
    X, y = ar2_series(60)
    windows = WindowTransformer(3, time_axis="positions").fit_transform(X)
    model = PersistenceRegressor().fit(windows, y, sample_weight=np.linspace(0, 1, len(y)))
    np.testing.assert_array_equal(model.predict(windows), X[:, 0])


@pytest.mark.parametrize("cls", [ConformalIntervalRegressor, AdaptiveConformalRegressor])
def test_interval_regressors_hand_weights_to_every_fit_or_route_them(cls):
    X, y = ar2_series(200)
    windows = WindowTransformer(5, time_axis="positions").fit_transform(X)
    weights = np.arange(len(X)) % 2.0
    weighted = cls(Ridge(), n_splits=3).fit(windows, y, sample_weight=weights)
    plain = cls(Ridge(), n_splits=3).fit(windows, y)
    np.testing.assert_allclose(weighted.estimator_.coef_,
                               Ridge().fit(windows, y, sample_weight=weights).coef_)
    assert not np.allclose(weighted.residuals_, plain.residuals_)
    with sklearn.config_context(enable_metadata_routing=True):
        routed = cls(Ridge().set_fit_request(sample_weight=True), n_splits=3)
        routed.fit(windows, y, sample_weight=weights)
        np.testing.assert_allclose(routed.residuals_, weighted.residuals_)
        with pytest.raises(sklearn.exceptions.UnsetMetadataPassedError):
            cls(Ridge(), n_splits=3).fit(windows, y, sample_weight=weights)
