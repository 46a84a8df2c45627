"""The reference work of the speed issue on a GPU and on the same machine's CPU, one backend.

Reference work (as ``bench_peers.py``): the last 1258 bundled MSFT closes, first 80 % for
training (scalers fitted on it), ``MinMaxScaler -> WindowTransformer(30) -> <cell>Regressor(
units=50, dense_units=(), anchor=None, early_stopping=False)`` in
``TransformedTargetRegressor(MinMaxScaler)``, 20 epochs of batch 32, adam at 0.003, then 251
one-step test predictions. Each run is a fresh process, GPU and CPU runs alternate
(``CUDA_VISIBLE_DEVICES=""`` hides the GPU), and the script prints median fit and predict seconds
and the ratio GPU / CPU. For the PyTorch backend it also counts the calls into Keras' cuDNN
kernels (``_cudnn_lstm`` / ``_cudnn_gru``): the default cells (tanh, sigmoid, bias, no unroll)
should take them on a GPU and never on a CPU.

TensorFlow's wheels are too large to carry to the machines lent here, so the GPU figures are for
Keras' PyTorch (default here) or JAX backend:

    KERAS_BACKEND=torch python benchmarks/bench_gpu.py [--cells lstm,gru] [--repeats 3]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys

CHILD = """
import json, sys, time
import keras
cell, seed = sys.argv[1], int(sys.argv[2])
calls = {"cudnn": 0}
if keras.backend.backend() == "torch":
    import importlib
    torch_rnn = importlib.import_module("keras.src.backend.torch.rnn")
    for name in ("_cudnn_lstm", "_cudnn_gru"):
        def counted(*args, _original=getattr(torch_rnn, name), **kwargs):
            calls["cudnn"] += 1
            return _original(*args, **kwargs)
        setattr(torch_rnn, name, counted)
from sklearn.compose import TransformedTargetRegressor
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import MinMaxScaler
from skrnn import GRURegressor, LSTMRegressor, WindowTransformer
from skrnn.datasets import load_msft, make_supervised

X, y = make_supervised(load_msft().iloc[-1259:], "Close")
n_train = len(X) - 251
network = {"lstm": LSTMRegressor, "gru": GRURegressor}[cell]
model = TransformedTargetRegressor(make_pipeline(
    MinMaxScaler(), WindowTransformer(30), network(
        units=(50,), dense_units=(), anchor=None, early_stopping=False, epochs=20,
        batch_size=32, learning_rate=0.003, random_state=seed)), transformer=MinMaxScaler())
start = time.perf_counter()
model.fit(X[:n_train], y[:n_train])
fit = time.perf_counter() - start
start = time.perf_counter()
forecast = model.predict(X[n_train:])
predict = time.perf_counter() - start
rmse = float(((forecast - y[n_train:].to_numpy()) ** 2).mean() ** 0.5)
print(json.dumps({"fit": fit, "predict": predict, "cudnn_calls": calls["cudnn"], "rmse": rmse,
                  "backend": keras.backend.backend()}))
"""


def run(cell, seed, device):
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    if device == "cpu":
        env["CUDA_VISIBLE_DEVICES"] = ""
    result = subprocess.run([sys.executable, "-c", CHILD, cell, str(seed)], env=env,
                            capture_output=True, text=True, check=False)
    if result.returncode:
        raise SystemExit(result.stderr[-3000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cells", default="lstm,gru")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    print(f"backend {os.environ.get('KERAS_BACKEND', 'tensorflow')}; medians of "
          f"{args.repeats} fresh processes per cell and device (seeds 0..{args.repeats - 1})")
    print("| cell | device | fit s | predict 251 s | cuDNN calls | test RMSE | fit GPU/CPU |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for cell in args.cells.split(","):
        runs = {"gpu": [], "cpu": []}
        for seed in range(args.repeats):
            for device in runs:
                runs[device].append(run(cell, seed, device))
        fit = {d: statistics.median(r["fit"] for r in runs[d]) for d in runs}
        for device, results in runs.items():
            ratio = f"{fit['gpu'] / fit['cpu']:.2f}" if device == "gpu" else ""
            print(f"| {cell} | {device} | {fit[device]:.2f} | "
                  f"{statistics.median(r['predict'] for r in results):.3f} | "
                  f"{statistics.median(r['cudnn_calls'] for r in results):.0f} | "
                  f"{statistics.median(r['rmse'] for r in results):.3f} | {ratio} |", flush=True)


if __name__ == "__main__":
    main()
