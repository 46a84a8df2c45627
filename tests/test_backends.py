"""skrnn on Keras' JAX backend (``pip install skrnn[jax]``).

The suite runs on TensorFlow, Keras' default. A core of it (reproducibility, padded predicts,
a fit reusing a compiled training program, training on batches padded to one shape, a shared
compiled predict function, the anchors under every scaler, pickling, and the default networks
learning a series) runs again here in a process where Keras runs on JAX, with JAX's
persistent compilation cache on as the user guide advises: the reuse test's independent fit,
made after the kept programs are forgotten, then loads the first fit's program from the
cache, and must still equal the fit that reused it in memory.
"""

import importlib.util
import os
import pathlib
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]

CORE_ON_JAX = [
    "tests/test_recurrent.py::test_same_random_state_same_predictions_and_no_global_state_touched"
    "[LSTMRegressor]",
    "tests/test_recurrent.py::test_a_row_predicts_the_same_alone_or_among_any_number_of_rows",
    "tests/test_recurrent.py::test_a_fit_reusing_a_traced_program_equals_an_independent_fit"
    "[lstm-early-stopping]",
    "tests/test_recurrent.py::test_padded_batches_train_and_validate_like_unpadded_ones",
    "tests/test_recurrent.py::test_training_batches_have_one_shape_on_jax",
    "tests/test_recurrent.py::"
    "test_a_compiled_predict_function_is_shared_only_where_weights_are_its_arguments",
    "tests/test_recurrent.py::test_traced_programs_are_kept_per_thread_and_few",
    "tests/test_recurrent.py::test_default_networks_beat_persistence_on_a_learnable_series",
    "tests/test_anchor.py::test_persistence_and_untrained_last_anchor_are_true_persistence_under_any_scalers",
    "tests/test_anchor.py::test_untrained_linear_anchor_is_the_closed_form_fit_under_affine_scalers",
    "tests/test_pickling.py::test_pickle_round_trip_gives_identical_predictions",
]

# Keras reads KERAS_BACKEND on import; the check keeps the run honest about where it ran.
ON_JAX = """
import sys
import keras
import pytest
assert keras.backend.backend() == "jax", keras.backend.backend()
sys.exit(pytest.main(sys.argv[1:]))
"""


def test_the_core_network_tests_pass_on_the_jax_backend(tmp_path):
    if importlib.util.find_spec("jax") is None:
        pytest.fail("JAX is a test dependency: pip install -e '.[test]' (it brings skrnn[jax]).")
    cache = {"JAX_COMPILATION_CACHE_DIR": str(tmp_path),
             "JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS": "0",
             "JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES": "-1"}
    result = subprocess.run(
        [sys.executable, "-c", ON_JAX, "-q", "-p", "no:cacheprovider", *CORE_ON_JAX],
        cwd=ROOT, env={**os.environ, "KERAS_BACKEND": "jax", **cache},
        capture_output=True, text=True, timeout=600,
    )
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    # every parametrisation ran: 7 single tests + 3 losses + 4 scalings + 3 scalings + 1
    assert summary.startswith("18 passed"), summary
    assert any(tmp_path.iterdir()), "JAX wrote nothing to its compilation cache"
