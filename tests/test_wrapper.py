"""SciKeras builds and compiles the networks; without it (missing, broken) Keras does, with the
same results."""

import os
import subprocess
import sys
import warnings

import numpy as np
import pytest

from conftest import TINY_NETWORK, sine_series
from skrnn import GRURegressor, LSTMRegressor, WindowTransformer
from test_backends import ROOT


def test_keras_builds_the_same_network_scikeras_builds(monkeypatch):
    X, y = sine_series()
    windows = WindowTransformer(window=6, time_axis="positions").fit_transform(X)
    for cls, params in [(LSTMRegressor, {}), (GRURegressor, dict(n_networks=2, loss="quantile",
                                                                  optimizer="rmsprop"))]:
        by_scikeras = cls(**TINY_NETWORK, **params, random_state=0).fit(windows, y)
        monkeypatch.setenv("SKRNN_WITHOUT_SCIKERAS", "1")
        by_keras = cls(**TINY_NETWORK, **params, random_state=0).fit(windows, y)
        monkeypatch.delenv("SKRNN_WITHOUT_SCIKERAS")
        np.testing.assert_array_equal(by_keras.predict(windows), by_scikeras.predict(windows))
        assert type(by_keras.model_.optimizer) is type(by_scikeras.model_.optimizer)


def test_a_scikeras_that_fails_to_build_falls_back_with_one_warning(monkeypatch):
    from skrnn._network import wrapper

    def broken(*args, **kwargs):
        raise AttributeError("'KerasRegressor' object has no attribute '_validate_data'")

    monkeypatch.setattr(wrapper, "_by_scikeras", broken)
    monkeypatch.setattr(wrapper, "_warned", set())
    X, y = sine_series()
    windows = WindowTransformer(window=6, time_axis="positions").fit_transform(X)
    with pytest.warns(wrapper.SciKerasUnavailableWarning, match="_validate_data") as seen:
        model = LSTMRegressor(**TINY_NETWORK, random_state=0).fit(windows, y)
        LSTMRegressor(**TINY_NETWORK, random_state=0).fit(windows, y)
    assert len([w for w in seen if w.category is wrapper.SciKerasUnavailableWarning]) == 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        monkeypatch.undo()
        expected = LSTMRegressor(**TINY_NETWORK, random_state=0).fit(windows, y)
    np.testing.assert_array_equal(model.predict(windows), expected.predict(windows))


HIDDEN = """
import sys
sys.modules["scikeras"] = None  # as if it were not installed: importing it fails
import pytest
sys.exit(pytest.main(sys.argv[1:]))
"""


# What SciKeras takes part in: building and compiling every kind of network, and pickling it.
CORE_WITHOUT_SCIKERAS = [
    "tests/test_recurrent.py::test_same_random_state_same_predictions_and_no_global_state_touched"
    "[GRURegressor]",
    "tests/test_recurrent.py::test_a_fit_reusing_a_traced_program_equals_an_independent_fit"
    "[lstm-early-stopping]",
    "tests/test_recurrent.py::test_networks_trained_together_equal_the_mean_of_networks_trained_alone"
    "[quantile]",
    "tests/test_anchor.py::test_untrained_linear_anchor_is_the_closed_form_fit_under_affine_scalers",
    "tests/test_pickling.py::test_pickle_round_trip_gives_identical_predictions",
    "tests/test_pickling.py::test_keras_native_format_round_trip",
    "tests/test_quantiles.py::test_untrained_quantiles_are_the_anchor_plus_a_normal_spread_of_its_errors",
    "tests/test_sample_weight.py::test_a_zero_weight_network_equals_the_network_of_the_other_rows"
    "[auto]",
]


def test_the_core_network_tests_pass_without_scikeras():
    result = subprocess.run(
        [sys.executable, "-c", HIDDEN, "-q", "-p", "no:cacheprovider", "--durations=5",
         *CORE_WITHOUT_SCIKERAS],
        cwd=ROOT, env={**os.environ, "KERAS_BACKEND": "tensorflow"},
        capture_output=True, text=True, timeout=600,
    )
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "passed" in summary and "SciKerasUnavailableWarning" in result.stdout, summary
