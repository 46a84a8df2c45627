"""Progress of long work: tqdm bars on a terminal, and fits counted wherever they run.

GridSearchCV has no progress hook, but it scores each fold right after fitting it, in the
process that fitted it. :class:`CountingScorer` reports each score, and :class:`FitCounter`
receives the reports in this process over a local connection, so that fits in joblib's worker
processes are counted as they finish too.
"""

import secrets
import sys
import threading
from multiprocessing.connection import Client, Listener


def on_terminal(stream=None):
    """Whether `stream` (default: standard error) is a terminal, where a bar can redraw."""
    stream = sys.stderr if stream is None else stream
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):  # None (pythonw), or closed
        return False


def progress_bar(total, *, desc, unit, show):
    """A tqdm bar on standard error with done/total, elapsed time and time left; a bar that
    does nothing unless `show`. The rate is averaged over the whole run (``smoothing=0``):
    fits of different models differ in cost, and the latest is a poor guide to the rest."""
    from tqdm import tqdm

    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, disable=not show,
                smoothing=0, dynamic_ncols=True)


class CountingScorer:
    """The scorer `scoring`, calling ``report()`` after each score it gives."""

    def __init__(self, scoring, report):
        from sklearn.metrics import get_scorer

        self.scorer = get_scorer(scoring)
        self.report = report

    def __call__(self, estimator, X, y, **kwargs):
        score = self.scorer(estimator, X, y, **kwargs)
        self.report()
        return score


class _Report:
    """Picklable: tells the FitCounter at `address` that one more fit finished, and waits
    until it has counted it. Never raises: progress is not worth a failed fit."""

    def __init__(self, address, authkey):
        self.address, self.authkey = address, authkey

    def __call__(self, message=1):
        try:
            with Client(self.address, authkey=self.authkey) as connection:
                connection.send(message)
                connection.recv()
        except Exception:  # a lost tick only holds the bar back
            pass


class FitCounter:
    """Calls ``on_fit()`` in this process each time `report` is called, in any process.

    Use as a context manager; `report` is the picklable callable to hand to the fits.
    """

    def __init__(self, on_fit):
        self._on_fit = on_fit
        authkey = secrets.token_bytes(16)
        self._listener = Listener(authkey=authkey)
        self.report = _Report(self._listener.address, authkey)
        self._thread = threading.Thread(target=self._serve, name="skrnn-fit-counter",
                                        daemon=True)
        self._thread.start()

    def _serve(self):
        while True:
            try:
                connection = self._listener.accept()
            except OSError:
                return
            except Exception:  # a stranger failing the authentication
                continue
            message = 1
            with connection:
                try:
                    message = connection.recv()
                    if message is not None:
                        self._on_fit()
                    connection.send(None)
                except Exception:  # a broken connection, or a bar that failed to draw
                    pass
            if message is None:
                return

    def close(self):
        self.report(None)  # wakes accept() up, which closing the listener does not everywhere
        self._thread.join(timeout=5)
        self._listener.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()
