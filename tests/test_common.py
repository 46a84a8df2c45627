"""scikit-learn's own estimator contract, run on every public skrnn estimator."""

from sklearn.linear_model import Ridge
from sklearn.utils.estimator_checks import _check_name, parametrize_with_checks

from conftest import TINY_NETWORK as TINY
from skrnn import (
    AdaptiveConformalRegressor,
    ConformalIntervalRegressor,
    GRURegressor,
    LSTMRegressor,
    PersistenceRegressor,
    RNNRegressor,
    WindowTransformer,
)

ESTIMATORS = [
    WindowTransformer(window=3),
    PersistenceRegressor(),
    RNNRegressor(**TINY),
    LSTMRegressor(**TINY),
    GRURegressor(**TINY),
    ConformalIntervalRegressor(Ridge()),
    AdaptiveConformalRegressor(Ridge()),
]

WINDOW_ORDER = (
    "a window holds the rows before each row, so transforming rows apart from their "
    "predecessors (a subset, or shuffled rows) must change the result"
)
MINIBATCHES = (
    "a weight of 2 doubles a row's loss, a repeated row also changes which rows share a "
    "mini-batch and how many steps an epoch takes, as for SGDRegressor; zero weights are "
    "exactly as if the rows were absent (test_sample_weight.py)"
)
EXPECTED_FAILED_CHECKS = {
    "WindowTransformer": {
        "check_methods_subset_invariance": WINDOW_ORDER,
        "check_methods_sample_order_invariance": WINDOW_ORDER,
    },
    **{name: {"check_sample_weight_equivalence_on_dense_data": MINIBATCHES}
       for name in ("RNNRegressor", "LSTMRegressor", "GRURegressor")},
}


@parametrize_with_checks(
    ESTIMATORS,
    expected_failed_checks=lambda est: EXPECTED_FAILED_CHECKS.get(type(est).__name__, {}),
)
def test_sklearn_compatible_estimator(estimator, check):
    if _check_name(check) == "check_regressors_train" and "units" in estimator.get_params():
        # The one check that asks for a good fit (R^2 > 0.5) runs the networks' defaults.
        estimator = type(estimator)(random_state=0)
    check(estimator)
