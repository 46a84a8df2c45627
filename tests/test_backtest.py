"""Rolling-origin backtests: the same forecasts as a hand loop, the refit schedule, the frame."""

import io
import math
import sys

import numpy as np
import pandas as pd
import pytest
from sklearn.base import clone
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline

from conftest import TINY_NETWORK
from skrnn import (
    ConformalIntervalRegressor,
    LSTMRegressor,
    PersistenceRegressor,
    WindowTransformer,
    backtest,
)
from skrnn.datasets import load_msft, make_supervised
from skrnn.plotting import BacktestDisplay


class RecordingRidge(Ridge):
    """Ridge that records the positions of its training rows (the class keeps the log,
    because every fit is on a clone)."""

    fits = []

    def fit(self, X, y):
        RecordingRidge.fits.append(np.asarray(X)[:, 0].astype(int))
        return super().fit(X, y)


@pytest.fixture
def recorded():
    RecordingRidge.fits = []
    return RecordingRidge.fits


def positions(n=60, n_steps=1):
    """X holds each row's own position; y its next value(s), so fits reveal their rows."""
    X = np.arange(n, dtype=float).reshape(-1, 1)
    y = np.column_stack([X[:, 0] + h for h in range(1, n_steps + 1)])
    return X, (y[:, 0] if n_steps == 1 else y)


@pytest.fixture(scope="module")
def msft():
    return make_supervised(load_msft().iloc[-120:], "Close")


def test_no_refit_backtest_equals_a_hand_loop_of_predict(msft):
    X, y = msft
    model = make_pipeline(WindowTransformer(window=5), LSTMRegressor(**TINY_NETWORK,
                                                                      random_state=0))
    frame = backtest(model, X, y, initial=90)
    fitted = model.fit(X.iloc[:90], y.iloc[:90])
    by_hand = [fitted.predict(X.iloc[: origin + 1])[-1] for origin in range(90, len(X))]
    np.testing.assert_allclose(frame["forecast"], by_hand, rtol=1e-6)
    np.testing.assert_array_equal(frame["truth"], y.iloc[90:])
    assert list(frame["origin"]) == list(X.index[90:])
    assert (frame["fit"] == 0).all()


def test_refitted_blocks_without_dates_get_their_true_windows():
    X = np.cumsum(np.random.RandomState(0).normal(size=(80, 1)), axis=0)
    y = np.roll(X[:, 0], -1)[:-1]
    X = X[:-1]
    model = make_pipeline(WindowTransformer(window=5), Ridge(alpha=1e-3))
    frame = backtest(model, X, y, initial=50, refit=7)
    by_hand = []
    for origin in range(50, len(X)):
        block_start = 50 + (origin - 50) // 7 * 7
        fitted = clone(model).fit(X[:block_start], y[:block_start])
        by_hand.append(fitted.predict(X[origin - 4 : origin + 1])[-1])  # its last window
    np.testing.assert_allclose(frame["forecast"], by_hand, rtol=1e-10)


@pytest.mark.parametrize("refit, n_fits", [(True, 20), (1, 20), (3, 7), (20, 1), (False, 1)])
def test_refit_every_k_origins_fits_ceil_n_origins_over_k_times(recorded, refit, n_fits):
    X, y = positions(60)
    frame = backtest(RecordingRidge(), X, y, initial=40, refit=refit)
    assert len(recorded) == n_fits == math.ceil(20 / (1 if refit is True else refit or 20))
    assert frame["fit"].nunique() == n_fits
    # each fit forecasts exactly the origins up to the next refit, from rows before them
    for number, rows in frame.groupby("fit"):
        assert recorded[number][-1] < rows["origin"].min()


@pytest.mark.parametrize("window, first_rows", [("expanding", [0, 0, 0]), ("fixed", [0, 5, 10])])
def test_window_expanding_or_fixed(recorded, window, first_rows):
    X, y = positions(55)
    backtest(RecordingRidge(), X, y, initial=40, refit=5, window=window)
    assert [fit[0] for fit in recorded] == first_rows
    assert [fit[-1] for fit in recorded] == [39, 44, 49]


def test_multi_step_targets_leave_a_gap_so_no_training_target_lies_after_the_origin(recorded):
    X, Y = positions(50, n_steps=3)
    frame = backtest(RecordingRidge(), X, Y, initial=30, refit=5)
    for number, rows in frame.groupby("fit"):
        origin = rows["origin"].min()
        # row t's targets reach t + 3: the last training row's must be known at the origin
        assert recorded[number][-1] + 3 <= origin
        assert recorded[number][-1] + 3 == origin
    assert list(frame["horizon"][:3]) == [1, 2, 3]


def test_dated_multi_step_targets_with_a_gap_longer_than_the_window_get_true_windows():
    # 5-step targets leave 4 rows between training and origin, more than a window of 3
    # reaches back: those rows are passed too, so the dated block continues the fitted rows.
    X, Y = make_supervised(load_msft().iloc[-150:], "Close", horizon=5, multi_output=True)
    model = make_pipeline(WindowTransformer(3), Ridge(alpha=1e-3))
    dated = backtest(model, X, Y, initial=60, refit=20)
    undated = backtest(model, X.to_numpy(), Y.to_numpy(), initial=60, refit=20)
    np.testing.assert_allclose(dated["forecast"], undated["forecast"], rtol=1e-9)
    fitted = clone(model).fit(X.iloc[:56], Y.iloc[:56])
    np.testing.assert_allclose(dated["forecast"][:5], fitted.predict(X.iloc[:61])[-1],
                               rtol=1e-9)


def test_frame_labels_origins_and_targets_by_date_beyond_the_data():
    dates = pd.date_range("2024-01-01", periods=40, freq="B")
    X = pd.DataFrame({"Close": np.arange(40.0)}, index=dates)
    X_sup, Y = make_supervised(X, "Close", horizon=2, multi_output=True)
    frame = backtest(PersistenceRegressor(), X_sup, Y, initial=30)
    assert list(frame.columns) == ["origin", "target", "horizon", "forecast", "truth", "fit"]
    first = frame.iloc[0]
    assert (first["origin"], first["target"], first["horizon"]) == (dates[30], dates[31], 1)
    last = frame.iloc[-1]  # two business days after the last origin, past X_sup's index
    assert (last["origin"], last["target"]) == (dates[37], dates[39])
    np.testing.assert_array_equal(frame["truth"], Y.iloc[30:].to_numpy().ravel())


def test_intervals_appear_when_the_estimator_gives_them():
    X, y = positions(80)
    frame = backtest(ConformalIntervalRegressor(Ridge(), n_splits=3), X + np.sin(X), y,
                     initial=50)
    assert {"lower", "upper"} <= set(frame.columns)
    assert (frame["lower"] <= frame["forecast"]).all()
    assert (frame["forecast"] <= frame["upper"]).all()


def test_verbose_prints_one_line_per_fit(capsys):
    X, y = positions(50)
    backtest(Ridge(), X, y, initial=40, refit=4, verbose=True)
    assert capsys.readouterr().err.count("backtest: fit") == 3


class Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.parametrize("verbose, bar, lines", [(True, True, 0), (1, True, 0), (2, False, 3),
                                                 (False, False, 0), (0, False, 0)])
def test_verbose_shows_a_progress_bar_on_a_terminal(monkeypatch, verbose, bar, lines):
    monkeypatch.setattr(sys, "stderr", Terminal())
    X, y = positions(50)
    expected = backtest(Ridge(), X, y, initial=40, refit=4)
    frame = backtest(Ridge(), X, y, initial=40, refit=4, verbose=verbose)
    shown = sys.stderr.getvalue()
    assert ("backtest: 100%" in shown and "3/3" in shown and "fit" in shown) is bar
    assert shown.count("backtest: fit") == lines
    pd.testing.assert_frame_equal(frame, expected)


@pytest.mark.parametrize("verbose", [3, -1, "yes", 0.5])
def test_verbose_must_be_a_level(verbose):
    X, y = positions(50)
    with pytest.raises(ValueError, match="verbose must be False/0"):
        backtest(Ridge(), X, y, initial=40, verbose=verbose)


@pytest.mark.parametrize("kwargs, message", [
    (dict(initial=60), "initial=60 leaves no origin"),
    (dict(initial=0), "initial must be an int >= 1"),
    (dict(initial=40, refit=0), "refit must be an int >= 1"),
    (dict(initial=40, window="rolling"), "window must be 'expanding' or 'fixed'"),
    (dict(initial=2, gap=2), "initial > gap"),
])
def test_bad_arguments_are_named(kwargs, message):
    X, y = positions(60)
    with pytest.raises(ValueError, match=message):
        backtest(Ridge(), X, y, **kwargs)


def test_misaligned_x_and_y_are_refused():
    X, y = positions(60)
    with pytest.raises(ValueError, match="align them"):
        backtest(Ridge(), X, y[:-1], initial=30)


def test_display_draws_truth_forecast_interval_and_refits():
    X, y = positions(80)
    frame = backtest(ConformalIntervalRegressor(Ridge(), n_splits=3), X + np.sin(X), y,
                     initial=50, refit=10)
    display = BacktestDisplay.from_backtest(frame, title="t")
    assert sorted(display.lines_) == ["forecast", "interval", "refits", "truth"]
    np.testing.assert_array_equal(display.lines_["truth"].get_ydata(), y[50:])
    assert len(display.lines_["refits"].get_segments()) == 3  # one per fit
    with pytest.raises(ValueError, match="horizon=2 is not in the frame"):
        BacktestDisplay.from_backtest(frame, horizon=2)


@pytest.mark.parametrize("index, beyond", [
    (pd.period_range("2020-01", periods=30, freq="M"), pd.Period("2022-08", freq="M")),
    (pd.date_range("2020-01-01", periods=30, freq="D"), pd.Timestamp("2020-02-01")),
    (pd.RangeIndex(0, 90, 3), 93),
    (pd.Index([3 * i for i in range(29)] + [100]), None),  # no frequency: unknown
])
def test_targets_past_the_data_follow_the_index_frequency(index, beyond):
    X = pd.DataFrame({"v": np.arange(30.0)}, index=index)
    Y = pd.DataFrame({"v[t+1]": np.arange(1.0, 31), "v[t+2]": np.arange(2.0, 32)}, index=index)
    frame = backtest(PersistenceRegressor(), X, Y, initial=25)
    # the last two origins, one and two steps ahead: rows 29 (the last), 30, 30, 31
    assert frame["target"].iloc[-4] == index[-1]
    if beyond is None:
        assert pd.isna(frame["target"].iloc[-1])
    else:
        assert frame["target"].iloc[-1] == beyond
