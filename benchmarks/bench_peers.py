"""skrnn against the deep-learning forecasters on the same work, each run in a fresh process.

Work (issue #13): last 1258 bundled MSFT closes, first 80 % for training (scalers fitted on
it), window 30, one LSTM layer of 50 units, 20 epochs of batch 32, adam at 0.003, then 251
one-step test forecasts. Per system and seed (0-2), a fresh process imports the library,
fits once (first fit: tracing, start-up), fits again (the "fit" column) and forecasts the
test span from the second model. Medians over seeds; ratios against Darts ``RNNModel`` in
the same run.

- skrnn: ``MinMaxScaler -> WindowTransformer(30) -> LSTMRegressor(units=50, dense_units=(),
  anchor=None, early_stopping=False)`` in ``TransformedTargetRegressor(MinMaxScaler)``, on the
  Keras backend named by ``KERAS_BACKEND`` (default TensorFlow); one ``predict`` for the span.
  ``skrnn-torch`` and ``skrnn-jax``: the same on Keras' PyTorch and JAX backends;
  ``skrnn-jax-cache``: on JAX with JAX's persistent compilation cache in a new folder per
  process, so the second fit (as each later fold of a search) loads what the first compiled.
- Darts ``RNNModel(model="LSTM", hidden_dim=50, input_chunk_length=30, training_length=30)``
  (PyTorch, no hidden Dense layer), ``Scaler`` fitted on the training span;
  ``historical_forecasts(retrain=False, forecast_horizon=1)`` for the span.
- neuralforecast ``LSTM(h=1, input_size=30, encoder_hidden_size=50, encoder_n_layers=1,
  decoder_hidden_size=25, decoder_layers=1)`` (a 25-unit MLP decoder), trained 620 steps of 32
  windows (20 epochs of the 977 training windows), ``scaler_type="minmax"``; ``cross_validation``
  with ``refit=False`` for the span. Its step-based training is the closest match, not the same.

Peers are never dependencies of skrnn: run this in a virtual environment holding them
(``pip install "torch==2.13.0+cpu" "darts[torch]" neuralforecast "jax[cpu]" -e .``).

    python benchmarks/bench_peers.py [--systems skrnn,darts,neuralforecast,skrnn-torch,skrnn-jax]
        [--seeds 0,1,2]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd

WINDOW, UNITS, EPOCHS, BATCH, RATE, TEST = 30, 50, 20, 32, 0.003, 251


def closes():
    from skrnn.datasets import load_msft

    close = load_msft()["Close"].iloc[-1258:]
    return close.reset_index(drop=True).astype("float32")


def run_skrnn(seed):
    started = time.perf_counter()
    from sklearn.compose import TransformedTargetRegressor
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import MinMaxScaler

    from skrnn import (
        LSTMRegressor,
        WindowTransformer,
        _network,  # noqa: F401  (Keras is imported with the first network)
    )
    imported = time.perf_counter() - started
    series = closes().to_numpy(float)
    X, y = series[:-1, None], series[1:]
    split = len(X) - TEST

    def model():
        return TransformedTargetRegressor(make_pipeline(
            MinMaxScaler(), WindowTransformer(WINDOW, time_axis="positions"), LSTMRegressor(
                units=UNITS, dense_units=(), anchor=None, early_stopping=False, epochs=EPOCHS,
                batch_size=BATCH, learning_rate=RATE, random_state=seed)),
            transformer=MinMaxScaler())

    fits = []
    for _ in range(2):
        started = time.perf_counter()
        fitted = model().fit(X[:split], y[:split])
        fits.append(time.perf_counter() - started)
    started = time.perf_counter()
    forecast = fitted.predict(X[split - WINDOW + 1 :])[WINDOW - 1 :]
    predicted = time.perf_counter() - started
    return imported, fits, predicted, forecast, y[split:]


def run_darts(seed):
    started = time.perf_counter()
    from darts import TimeSeries
    from darts.dataprocessing.transformers import Scaler
    from darts.models import RNNModel
    imported = time.perf_counter() - started
    series = TimeSeries.from_values(closes().to_numpy())
    train = series[: len(series) - TEST]
    scaler = Scaler().fit(train)
    scaled = scaler.transform(series)
    trainer = {"accelerator": "cpu", "enable_progress_bar": False,
               "enable_model_summary": False, "logger": False, "enable_checkpointing": False}
    fits = []
    for _ in range(2):
        model = RNNModel(model="LSTM", input_chunk_length=WINDOW, training_length=WINDOW,
                         hidden_dim=UNITS, n_epochs=EPOCHS, batch_size=BATCH,
                         optimizer_kwargs={"lr": RATE}, random_state=seed,
                         pl_trainer_kwargs=trainer)
        started = time.perf_counter()
        model.fit(scaled[: len(series) - TEST], verbose=False)
        fits.append(time.perf_counter() - started)
    started = time.perf_counter()
    forecast = model.historical_forecasts(scaled, start=len(series) - TEST, forecast_horizon=1,
                                          retrain=False, verbose=False)
    predicted = time.perf_counter() - started
    values = scaler.inverse_transform(forecast).values().ravel()
    return imported, fits, predicted, values, series.values().ravel()[-TEST:]


def run_neuralforecast(seed):
    started = time.perf_counter()
    from neuralforecast import NeuralForecast
    from neuralforecast.models import LSTM
    imported = time.perf_counter() - started
    values = closes().to_numpy()
    frame = pd.DataFrame({"unique_id": "msft", "ds": np.arange(len(values)), "y": values})
    steps = EPOCHS * int(np.ceil((len(values) - TEST - WINDOW) / BATCH))
    fits = []
    for _ in range(2):
        model = NeuralForecast(models=[LSTM(
            h=1, input_size=WINDOW, encoder_hidden_size=UNITS, encoder_n_layers=1,
            decoder_hidden_size=25, decoder_layers=1, max_steps=steps, windows_batch_size=BATCH,
            learning_rate=RATE, scaler_type="minmax", random_seed=seed,
            enable_progress_bar=False, enable_model_summary=False, logger=False,
            accelerator="cpu")], freq=1)
        started = time.perf_counter()
        model.fit(frame.iloc[: len(values) - TEST])
        fits.append(time.perf_counter() - started)
    started = time.perf_counter()
    result = model.cross_validation(frame, n_windows=TEST, step_size=1, refit=False)
    predicted = time.perf_counter() - started
    return imported, fits, predicted, result["LSTM"].to_numpy(), values[-TEST:]


RUNNERS = {"skrnn": run_skrnn, "darts": run_darts, "neuralforecast": run_neuralforecast,
           "skrnn-torch": run_skrnn, "skrnn-jax": run_skrnn, "skrnn-jax-cache": run_skrnn}
# skrnn on another Keras backend: the same run in a process whose Keras starts on it.
BACKENDS = {"skrnn-torch": "torch", "skrnn-jax": "jax", "skrnn-jax-cache": "jax"}
JAX_CACHE = {"JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS": "0",
             "JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES": "-1"}


def one_run(system, seed):
    imported, fits, predicted, forecast, truth = RUNNERS[system](seed)
    rmse = float(np.sqrt(np.mean((np.asarray(forecast, float) - np.asarray(truth, float)) ** 2)))
    print(json.dumps({"import": imported, "first_fit": fits[0], "fit": fits[1],
                      "predict": predicted, "rmse": rmse}))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--systems", default="skrnn,darts,neuralforecast")
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--run", nargs=2, metavar=("SYSTEM", "SEED"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        return one_run(args.run[0], int(args.run[1]))
    rows = []
    for seed in args.seeds.split(","):
        for system in args.systems.split(","):
            env = {k: v for k, v in os.environ.items() if not k.startswith("JAX_")}
            if system in BACKENDS:
                env["KERAS_BACKEND"] = BACKENDS[system]
            with tempfile.TemporaryDirectory() as cache:
                if system == "skrnn-jax-cache":
                    env.update(JAX_COMPILATION_CACHE_DIR=cache, **JAX_CACHE)
                done = subprocess.run([sys.executable, __file__, "--run", system, seed],
                                      capture_output=True, text=True, env=env)
            if done.returncode:
                sys.exit(f"{system} failed:\n{done.stderr[-3000:]}")
            row = json.loads(done.stdout.strip().splitlines()[-1])
            rows.append({"system": system, "seed": seed, **row})
            print(system, seed, {k: round(v, 3) for k, v in row.items()}, flush=True)
    frame = pd.DataFrame(rows).groupby("system")[["import", "first_fit", "fit", "predict",
                                                  "rmse"]].median()
    frame["first-fit overhead"] = frame["first_fit"] - frame["fit"]
    frame["fit + predict"] = frame["fit"] + frame["predict"]
    if "darts" in frame.index:
        frame["/ darts"] = frame["fit + predict"] / frame.loc["darts", "fit + predict"]
    backend = os.environ.get("KERAS_BACKEND", "tensorflow")
    print(f"\nmedians over seeds, seconds (skrnn on Keras' {backend} backend, skrnn-torch and "
          "skrnn-jax on those); rmse in USD")
    print(frame.round(3).to_string())


if __name__ == "__main__":
    main()
