"""skrnn's process-level interventions, all of them, each harmless to the rest of the process.

A library should leave its host process as it found it. skrnn touches process-wide state in
exactly three places: once when it first needs Keras, and while its own networks run. It also
registers, when skrnn is imported, a fork handler that only notes in the child whether
TensorFlow or JAX was already imported, to refuse there instead of hanging
(:func:`refuse_forked_child`).

- :func:`size_thread_pools` — only when skrnn itself is the first to import TensorFlow and
  ``OMP_NUM_THREADS`` is set (joblib's and dask's workers set it): TensorFlow's pools get the
  size the worker was given. A process that imported TensorFlow first, or set TensorFlow's own
  ``TF_NUM_INTRAOP_THREADS``/``TF_NUM_INTEROP_THREADS``, keeps its configuration.
- :func:`quiet_retracing` — a :mod:`logging` filter on the ``tensorflow`` logger for the
  duration of one fit or predict, removed afterwards; the logger's level is never changed.
- :func:`forget_all_reduce_gradients` — removes, after a fit, only the registry entries that
  TensorFlow added during that fit for Keras' ``all_reduce`` (a leak), never a user's entry.

One more, opt-in, is for applications only: :func:`native_startup_silenced` hides what
TensorFlow's C++ start-up prints to file descriptor 2. The ``skrnn`` command uses it (its own
process); the library never does. Nothing here changes environment variables, touches a random
generator or patches another package.
"""

import contextlib
import logging
import os
import sys

_TF_THREAD_VARIABLES = ("TF_NUM_INTRAOP_THREADS", "TF_NUM_INTEROP_THREADS")


_forked_after_backend = False


def _note_fork_in_child():
    global _forked_after_backend
    if "tensorflow" in sys.modules or "jax" in sys.modules:
        _forked_after_backend = True


os.register_at_fork(after_in_child=_note_fork_in_child)


def refuse_forked_child():
    """Raise in a process forked after TensorFlow or JAX was imported, where a network would
    hang.

    Both run thread pools that a fork does not copy: a child of the default ``fork`` start
    method on Linux (``multiprocessing.Pool`` after a fit, or after the user's own Keras work)
    waits forever for threads that do not exist in it. Processes that start afresh (``spawn``,
    ``forkserver``, joblib's loky workers, dask) import Keras themselves and are not concerned.
    """
    if _forked_after_backend:
        raise RuntimeError(
            "This process was forked from one where TensorFlow or JAX had already been "
            "imported (multiprocessing's default 'fork' start method on Linux): their threads "
            "do not survive a fork, and the network would hang here. Start workers afresh "
            "instead: multiprocessing.get_context('spawn').Pool(...), "
            "concurrent.futures.ProcessPoolExecutor(mp_context=get_context('spawn')), or "
            "joblib.Parallel (its default backend starts fresh processes)."
        )


def size_thread_pools(first_import):
    """Give TensorFlow's thread pools the size ``OMP_NUM_THREADS`` gives BLAS and OpenMP.

    joblib's process workers (``cores // n_jobs``) and dask's nanny (1) set ``OMP_NUM_THREADS``
    so that parallel workers do not oversubscribe the cores; TensorFlow ignores it and sizes
    both of its pools to every core. Acts only on the import that loaded TensorFlow
    (`first_import`), since the pools cannot be resized once TensorFlow has run an op.
    """
    threads = os.environ.get("OMP_NUM_THREADS", "")
    if not first_import or not threads.isdigit() or int(threads) < 1:
        return
    if any(os.environ.get(name) for name in _TF_THREAD_VARIABLES):
        return
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(int(threads))
    tf.config.threading.set_inter_op_parallelism_threads(int(threads))


class _DropRetracingWarnings(logging.Filter):
    """Drop TensorFlow's "triggered tf.function retracing" warning.

    Every new Keras model traces its own train and predict functions once, which TensorFlow
    counts as retracing of one function as soon as a grid search has built five models. The
    warning says nothing actionable there.
    """

    def filter(self, record):
        return "triggered tf.function retracing" not in record.getMessage()


@contextlib.contextmanager
def quiet_retracing():
    """Hide the retracing warning while skrnn's own network runs (thread-safe: one filter each)."""
    tf_logger = logging.getLogger("tensorflow")
    quiet = _DropRetracingWarnings()
    tf_logger.addFilter(quiet)
    try:
        yield
    finally:
        tf_logger.removeFilter(quiet)


@contextlib.contextmanager
def native_startup_silenced():
    """Send file descriptor 2 to the null device while TensorFlow starts (applications only).

    TensorFlow 2.2x prints banners (oneDNN, CUDA probing) from C++ before its logging is set
    up, so ``TF_CPP_MIN_LOG_LEVEL`` does not hide them. Whatever any thread writes to
    descriptor 2 meanwhile is lost too, which is why only the ``skrnn`` command, which owns its
    process, uses this (and not with ``--debug``). Python exceptions still propagate.
    """
    sys.stderr.flush()
    saved = os.dup(2)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    try:
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(devnull)


def start_tensorflow_quietly():
    """Import skrnn's network module, and with it TensorFlow, with the start-up banners hidden.

    Also runs the first device query and generator dataset, which print from C++ too.
    """
    with native_startup_silenced():
        from . import _network

        _network.warm_up()


def _is_all_reduce_gradient(function, depth=3):
    """Whether `function` is, or closes over, the gradient TensorFlow defines for all_reduce."""
    if getattr(function, "__qualname__", "").startswith("ReplicaContextBase.all_reduce."):
        return True
    cells = getattr(function, "__closure__", None) or ()
    return depth > 0 and any(
        callable(cell.cell_contents) and _is_all_reduce_gradient(cell.cell_contents, depth - 1)
        for cell in cells
    )


def _gradient_registry():
    """TensorFlow's private registry of gradient functions, or None if it has moved."""
    if "tensorflow" not in sys.modules:
        return None
    from tensorflow.python.framework import ops

    registry = getattr(getattr(ops, "gradient_registry", None), "_registry", None)
    return registry if isinstance(registry, dict) else None


@contextlib.contextmanager
def forget_all_reduce_gradients():
    """Drop the gradients TensorFlow registers for all_reduce while a train step is traced.

    Keras' optimizer sums gradients across replicas (``all_reduce``) even on one device, and in
    a traced function TensorFlow registers that op's gradient in a global registry that is never
    emptied, keeping the whole train-step graph alive: every fitted-and-discarded network leaked
    its graph (``benchmarks/bench_many_fits.py`` measures it). Nothing differentiates through
    that op, so the entries added during the fit are removed after it; any other entry (a
    user's custom gradient) is kept.

    Thread-safe: the registry is read with ``dict.copy`` (atomic under the GIL, so a fit in
    another thread cannot make it fail mid-iteration) and entries are removed with ``pop``, so
    two fits that overlap may both try to remove an entry without error. Should the private
    registry move in a TensorFlow release, nothing is removed (``tests/test_process.py`` fails).
    """
    registry = _gradient_registry()
    if registry is None:
        yield
        return
    before = set(registry.copy())
    try:
        yield
    finally:
        added = {name: entry for name, entry in registry.copy().items() if name not in before}
        for name, entry in added.items():
            if _is_all_reduce_gradient(entry.get("type")):
                registry.pop(name, None)
