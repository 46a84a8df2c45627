"""A no-refit backtest against a hand loop of ``predict`` per origin, and one-row predicts.

Work: the README's pipeline with ``LSTMRegressor`` at its defaults (window 20), fitted once
on the bundled MSFT closes up to the last 500 trading days; then a one-step forecast from
each of those 500 origins, (a) by ``skrnn.backtest(..., refit=False)`` — one ``predict`` —
and (b) by a hand loop that calls ``predict`` on each origin's last window (its dates place
it). Both give the same forecasts (checked). Also timed: one ``predict`` of a single window,
through skrnn (a direct ``predict_on_batch`` call) and through Keras' ``Model.predict`` on the
same fitted model, the path skrnn used before. Ratios are measured in this run.

    python benchmarks/bench_backtest.py [--origins 500] [--repeats 3]
"""

import argparse
import time

import numpy as np
from sklearn.base import BaseEstimator

from skrnn import LSTMRegressor, WindowTransformer, backtest
from skrnn.datasets import load_msft, make_supervised

WINDOW = 20


def readme_pipeline():
    from sklearn.compose import TransformedTargetRegressor
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import MinMaxScaler

    return TransformedTargetRegressor(
        make_pipeline(MinMaxScaler(), WindowTransformer(WINDOW), LSTMRegressor(random_state=0)),
        transformer=MinMaxScaler())


class AlreadyFitted(BaseEstimator):
    """The shared fitted pipeline inside backtest, which clones and fits its estimator: the
    fit is a no-op here, so that only the forecasts are timed."""

    model = None

    def fit(self, X, y):
        return self

    def predict(self, X):
        return type(self).model.predict(X)


def best_of(repeats, function):
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return min(times), result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--origins", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    X, y = make_supervised(load_msft(), "Close")
    initial = len(X) - args.origins
    fitted = readme_pipeline().fit(X.iloc[:initial], y.iloc[:initial])

    AlreadyFitted.model = fitted

    def hand_loop():
        return np.array([fitted.predict(X.iloc[origin - WINDOW + 1 : origin + 1])[-1]
                         for origin in range(initial, len(X))])

    vectorised, frame = best_of(args.repeats,
                                lambda: backtest(AlreadyFitted(), X, y, initial=initial))
    looped, by_hand = best_of(args.repeats, hand_loop)
    np.testing.assert_allclose(frame["forecast"], by_hand, rtol=1e-6)

    network = fitted.regressor_[-1]
    window = np.asarray(fitted.regressor_[:-1].transform(X.iloc[-WINDOW:]))[-1:]
    skrnn_one, _ = best_of(args.repeats * 20, lambda: network.predict(window))
    keras_one, _ = best_of(args.repeats * 20, lambda: network.model_.predict(
        window.reshape(1, WINDOW, 1), verbose=0))

    print(f"{args.origins} one-step forecasts from a fitted pipeline (best of {args.repeats})")
    print(f"  backtest(refit=False), one predict : {vectorised:8.3f} s")
    print(f"  hand loop, one predict per origin  : {looped:8.3f} s")
    print(f"  ratio loop / backtest              : {looped / vectorised:8.1f}x (target >= 20x)")
    print("one predict of a single window (LSTM 50 -> 25 -> 1)")
    print(f"  skrnn predict (predict_on_batch)   : {1e3 * skrnn_one:8.2f} ms (target <= 2 ms)")
    print(f"  keras Model.predict, same model    : {1e3 * keras_one:8.2f} ms")
    print(f"  ratio Model.predict / skrnn        : {keras_one / skrnn_one:8.1f}x")


if __name__ == "__main__":
    main()
