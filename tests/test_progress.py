"""Fits are counted wherever they run, and counting never fails a fit."""

import io
import pickle
import sys
import threading

import numpy as np
from sklearn.linear_model import Ridge

from skrnn._progress import CountingScorer, FitCounter, on_terminal, progress_bar


def test_reports_from_threads_and_pickled_copies_are_all_counted():
    counted = []
    with FitCounter(lambda: counted.append(1)) as counter:
        report = pickle.loads(pickle.dumps(counter.report))  # as joblib's workers get it
        threads = [threading.Thread(target=report) for _ in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        counter.report()
        assert len(counted) == 21  # each report returns once it is counted


def test_counting_never_fails_a_fit():
    def broken_bar():
        raise RuntimeError("the terminal went away")

    with FitCounter(broken_bar) as counter:
        counter.report()
        counter.report()  # the counter survived the first failure
    counter.report()  # after close: nothing listens, nothing raises


def test_the_counting_scorer_gives_the_scorers_score_and_reports_it():
    X, y = np.arange(20.0).reshape(-1, 1), np.arange(20.0) ** 1.5
    model = Ridge().fit(X, y)
    reports = []
    scorer = CountingScorer("neg_root_mean_squared_error", lambda: reports.append(1))
    assert scorer(model, X, y) == -np.sqrt(np.mean((model.predict(X) - y) ** 2))
    assert reports == [1]


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_bars_only_where_they_can_redraw(monkeypatch):
    assert on_terminal(Terminal()) and not on_terminal(io.StringIO())
    assert not on_terminal(object())  # no isatty at all
    closed = io.StringIO()
    closed.close()
    assert not on_terminal(closed)
    for show in (False, True):
        monkeypatch.setattr(sys, "stderr", Terminal())
        with progress_bar(3, desc="fits", unit="fit", show=show) as bar:
            bar.update(3)
        assert ("fits: 100%" in sys.stderr.getvalue()) is show
