"""Pickles remember the skrnn version that wrote them, and say so when another one reads them."""

import warnings

__version__ = "0.1.0"


class InconsistentVersionWarning(UserWarning):
    """An estimator was unpickled by another skrnn version than the one that pickled it."""


class VersionedPickleMixin:
    """Store skrnn's version in the pickled state; warn when it differs at unpickling.

    Same idea as scikit-learn's own ``_sklearn_version`` check, for skrnn's fitted state
    (window layouts, network wrappers) whose meaning may change between versions.
    """

    def __getstate__(self):
        # A copy: BaseEstimator may hand back the live __dict__ of the estimator.
        state = dict(super().__getstate__())
        state["_skrnn_version"] = __version__
        return state

    def __setstate__(self, state):
        pickled = state.pop("_skrnn_version", "unknown")
        if pickled != __version__:
            warnings.warn(
                f"{type(self).__name__} was pickled by skrnn {pickled} and is loaded by skrnn "
                f"{__version__}; results may differ or fail. Refit it with skrnn "
                f"{__version__}, or load it with skrnn {pickled}.",
                InconsistentVersionWarning,
                stacklevel=2,
            )
        super().__setstate__(state)
