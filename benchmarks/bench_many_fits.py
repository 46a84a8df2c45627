"""Memory of a process that fits many networks in a row: skrnn against the same fits in raw Keras.

Each run is a fresh process that fits and discards ``--fits`` small LSTM networks (window 30,
LSTM(16), 2 epochs, 300 rows) and records its resident memory after each fit. The script prints
the growth per fit (the slope from the second fit to the last) of both and their ratio. Raw Keras
keeps every trained network's train-step graph alive through TensorFlow's global gradient
registry; skrnn removes the entries its own fits add.

    python benchmarks/bench_many_fits.py [--fits 12]
"""

import argparse
import os
import subprocess
import sys

CHILD = """
import gc, os, sys
import numpy as np

def rss_mb():
    with open(f"/proc/{os.getpid()}/status") as status:
        return next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmRSS"))

from skrnn import LSTMRegressor
from skrnn._network import keras

kind, fits = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(0)
X, y = rng.normal(size=(300, 30, 1)), rng.normal(size=300)
for _ in range(fits):
    if kind == "skrnn":
        LSTMRegressor(units=(16,), dense_units=(), epochs=2, random_state=0, anchor=None,
                      early_stopping=False).fit(X, y).predict(X)
    else:
        inputs = keras.Input((30, 1))
        model = keras.Model(inputs, keras.layers.Dense(1)(keras.layers.LSTM(16)(inputs)))
        model.compile(optimizer="adam", loss="mse")
        model.fit(X.astype("float32"), y.astype("float32"), batch_size=32, epochs=2, verbose=0)
        model.predict(X.astype("float32"), verbose=0)
        del model
    gc.collect()
    print(round(rss_mb(), 1))
"""


def growth_per_fit(kind, fits):
    out = subprocess.run([sys.executable, "-c", CHILD, kind, str(fits)], check=True,
                         capture_output=True, text=True, env=os.environ).stdout
    rss = [float(line) for line in out.split()]
    return (rss[-1] - rss[1]) / (len(rss) - 2), rss


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fits", type=int, default=12)
    args = parser.parse_args()
    slopes = {}
    for kind in ("raw Keras", "skrnn"):
        slopes[kind], rss = growth_per_fit(kind, args.fits)
        print(f"{kind:9s}  RSS after each fit (MB): {' '.join(f'{r:.0f}' for r in rss)}")
        print(f"{kind:9s}  growth per fit: {slopes[kind]:.2f} MB", flush=True)
    print(f"skrnn / raw Keras growth per fit: {slopes['skrnn'] / slopes['raw Keras']:.2f}")


if __name__ == "__main__":
    main()
