"""Training throughput of the LSTM reference workload, and the fraction of peak FLOP rate it uses.

Reference workload (issue #4): 1258 daily MSFT closes, window 120, LSTM(50) -> LSTM(50) ->
Dense(25) -> Dense(1), adam/mse, batch 32, through ``Pipeline([WindowTransformer(120),
LSTMRegressor(...)])``. Steady-state speed: the difference between a fit of 1 + k epochs and a fit
of 1 epoch (so graph tracing and the first epoch's warm-up cancel), divided by k epochs of
training samples.

FLOPs per training sample (multiply-add = 2 FLOPs; stated, not measured):
  * one LSTM layer, one time step: 4 gates x 2 x units x (inputs + units) for the matrix
    products, plus ~10 x units for the bias adds, sigmoids/tanh and the cell update;
  * forward pass = window x (both LSTM layers) + the Dense layers;
  * training = 3 x forward (backward ~ 2 x forward; the optimizer update is negligible per
    sample at batch 32).
The peak is measured in the same run as the float32 rate of a large matrix product in
TensorFlow (2 x 4096^3 FLOPs), the most this machine's cores give to dense work; the script also
prints the nominal peak it assumes from the CPU flags (``--ghz``, 2 AVX-512 FMA units).

    python benchmarks/bench_throughput.py [--epochs 5] [--ghz 2.6]
"""

import argparse
import os
import time

from sklearn.pipeline import Pipeline

from skrnn import LSTMRegressor, WindowTransformer
from skrnn.datasets import load_msft, make_supervised

WINDOW, UNITS, DENSE, BATCH = 120, (50, 50), (25,), 32


def training_flops_per_sample(window=WINDOW, units=UNITS, dense=DENSE, n_features=1):
    forward, inputs = 0, n_features
    for n_units in units:
        forward += window * (4 * 2 * n_units * (inputs + n_units) + 10 * n_units)
        inputs = n_units
    for n_units in (*dense, 1):
        forward += 2 * inputs * n_units + n_units
        inputs = n_units
    return 3 * forward


def fit_seconds(X, y, epochs):
    model = Pipeline([("window", WindowTransformer(window=WINDOW)),
                      ("lstm", LSTMRegressor(units=UNITS, dense_units=DENSE, epochs=epochs,
                                             batch_size=BATCH, random_state=0, anchor=None,
                                             early_stopping=False))])
    start = time.perf_counter()
    model.fit(X, y)
    return time.perf_counter() - start


def matmul_flops_per_second(n=4096, repeats=5):
    import tensorflow as tf

    a = tf.random.stateless_uniform((n, n), seed=(0, 1))
    b = tf.random.stateless_uniform((n, n), seed=(0, 2))
    tf.linalg.matmul(a, b).numpy()  # warm-up
    start = time.perf_counter()
    for _ in range(repeats):
        tf.linalg.matmul(a, b).numpy()
    return repeats * 2 * n**3 / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5, help="k extra epochs timed")
    parser.add_argument("--ghz", type=float, default=2.6, help="assumed core clock")
    args = parser.parse_args()
    X, y = make_supervised(load_msft().iloc[-1259:], "Close")
    low, high = X["Close"].min(), X["Close"].max()
    X, y = (X.to_numpy() - low) / (high - low), (y.to_numpy() - low) / (high - low)
    from skrnn import _network  # noqa: F401  (import Keras before timing anything)

    n_train = len(X) - (WINDOW - 1)  # padded first rows are not trained on
    seconds = fit_seconds(X, y, 1 + args.epochs) - fit_seconds(X, y, 1)
    samples_per_s = args.epochs * n_train / seconds
    flops = training_flops_per_sample()
    achieved = samples_per_s * flops
    matmul = matmul_flops_per_second()
    cores = os.cpu_count()
    nominal = cores * args.ghz * 1e9 * 2 * 16 * 2  # 2 FMA units x 16 float32 lanes x 2 FLOPs
    print(f"LSTM reference workload: {samples_per_s:,.0f} training samples/s "
          f"({n_train} samples x {args.epochs} epochs in {seconds:.2f} s)")
    print(f"assumed {flops / 1e6:.1f} MFLOP per training sample -> {achieved / 1e9:.2f} GFLOP/s")
    print(f"float32 matmul in TensorFlow: {matmul / 1e9:.0f} GFLOP/s -> workload reaches "
          f"{achieved / matmul:.1%} of it")
    print(f"nominal peak {cores} cores x {args.ghz} GHz x 64 FLOP/cycle = {nominal / 1e9:.0f} "
          f"GFLOP/s -> workload reaches {achieved / nominal:.1%} of it")


if __name__ == "__main__":
    main()
