"""``skrnn compare`` at its defaults: this checkout against another one (e.g. v0.1), same run.

Each case study runs in a fresh process on the bundled MSFT closes with the same candidates
and folds; the script prints the wall time of each, their ratio, and the table each printed
(its test RMSE per model). ``--n-jobs 2`` is also timed for this checkout, and with
``--jax`` this checkout runs again on Keras' JAX backend (the baseline stays on TensorFlow),
without and with JAX's persistent compilation cache (a new folder).

    git worktree add /tmp/v01 b4c4898   # v0.1
    python benchmarks/bench_compare.py --baseline /tmp/v01 [--jax]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).parents[1]


def run(checkout, *options, backend="tensorflow", **variables):
    env = {**os.environ, "PYTHONPATH": str(checkout), "KERAS_BACKEND": backend, **variables}
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        # run from the output folder: `python -m` puts the working directory first on the
        # path, which would shadow PYTHONPATH's checkout when run from a repository root
        done = subprocess.run([sys.executable, "-m", "skrnn", "compare", "--out", out, *options],
                              env=env, capture_output=True, text=True, cwd=out)
        seconds = time.perf_counter() - started
    if done.returncode:
        sys.exit(f"skrnn compare failed in {checkout}:\n{done.stderr[-3000:]}")
    return seconds, done.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", required=True, help="checkout of the version to beat")
    parser.add_argument("--jax", action="store_true", help="also this checkout on JAX")
    args = parser.parse_args()
    baseline, baseline_out = run(Path(args.baseline))
    current, current_out = run(HERE)
    parallel, _ = run(HERE, "--n-jobs", "2")
    print(f"baseline ({args.baseline}):\n{baseline_out}\nthis checkout:\n{current_out}")
    print(f"skrnn compare, defaults: baseline {baseline:.1f} s, this checkout {current:.1f} s "
          f"({baseline / current:.2f}x faster), with --n-jobs 2 {parallel:.1f} s "
          f"({baseline / parallel:.2f}x faster)")
    if args.jax:
        on_jax, jax_out = run(HERE, backend="jax")
        on_jax_parallel, _ = run(HERE, "--n-jobs", "2", backend="jax")
        with tempfile.TemporaryDirectory() as cache:
            cached, _ = run(HERE, backend="jax", JAX_COMPILATION_CACHE_DIR=cache,
                            JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS="0",
                            JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES="-1")
        print(f"this checkout on JAX:\n{jax_out}")
        print(f"on JAX: {on_jax:.1f} s ({baseline / on_jax:.2f}x faster than the baseline), "
              f"with --n-jobs 2 {on_jax_parallel:.1f} s ({baseline / on_jax_parallel:.2f}x), "
              f"with the compilation cache {cached:.1f} s ({baseline / cached:.2f}x)")


if __name__ == "__main__":
    main()
