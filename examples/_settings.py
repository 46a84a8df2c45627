"""Training budgets of the examples: full by default, tiny when the test suite runs them."""

import os

QUICK = os.environ.get("SKRNN_EXAMPLES_QUICK") == "1"
EPOCHS = 1 if QUICK else 20
N_DAYS = 300 if QUICK else 1258  # five years of trading days, as in the classic tutorial
UNITS = (4,) if QUICK else (50, 50)
DENSE_UNITS = () if QUICK else (25,)
