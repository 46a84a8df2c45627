"""The private scikit-learn API that skrnn relies on, imported in this one place.

scikit-learn does not promise these names across releases; when one moves, this file is the
only one to change (the same idea as imbalanced-learn's ``sklearn_compat``). ``pyproject.toml``
caps scikit-learn below the next release that has not been tried.
"""

from sklearn.base import _fit_context
from sklearn.model_selection._split import _build_repr
from sklearn.utils import _safe_indexing
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.metadata_routing import _routing_enabled
from sklearn.utils.validation import (
    _check_feature_names_in,
    _check_method_params,
    _check_sample_weight,
    _num_samples,
)

__all__ = [
    "HasMethods",
    "Interval",
    "StrOptions",
    "_build_repr",
    "_check_feature_names_in",
    "_check_method_params",
    "_check_sample_weight",
    "_fit_context",
    "_num_samples",
    "_routing_enabled",
    "_safe_indexing",
]
