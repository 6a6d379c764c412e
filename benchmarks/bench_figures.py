"""The first run, timed: ``complexity figures`` from a cold numba cache, then warm, per figure,
and optionally the test suite as the README runs it.

    python benchmarks/bench_figures.py            # cold + warm figure runs (into temporary folders)
    python benchmarks/bench_figures.py --tests    # also `python -m pytest` (wall time)

Each run is a fresh process (``python -m complexity figures --json``) with its own empty
``NUMBA_CACHE_DIR`` and ``COMPLEXITY_NN_CACHE`` (every kernel compiled, every network trained)
for the cold run and the same, now filled, caches for the warm run; the
per-figure seconds come from the command's JSON output and the wall time from the parent.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from _table import print_table  # noqa: E402


def run_figures(cache, nn_cache, out, extra=()):
    env = dict(os.environ, NUMBA_CACHE_DIR=cache, COMPLEXITY_NN_CACHE=nn_cache)
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "complexity", "figures", "--out", out, "--json", *extra],
                          env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"complexity figures failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return wall, json.loads(proc.stdout.strip().splitlines()[-1])["figures"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tests", action="store_true", help="also time the test suite")
    ap.add_argument("names", nargs="*", help="figures (default: all)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as nn_cache, \
            tempfile.TemporaryDirectory() as out:
        cold_wall, cold = run_figures(cache, nn_cache, out, args.names)
        warm_wall, warm = run_figures(cache, nn_cache, out, args.names)
    rows = [(f"figures, cold cache (wall, {len(cold)} figures)", cold_wall, "target < 120 s"),
            ("figures, warm cache (wall)", warm_wall, "target < 60 s")]
    for name in sorted(cold, key=lambda n: -cold[n]["seconds"]):
        rows.append((f"  {name}", cold[name]["seconds"], f"warm {warm[name]['seconds']:.1f} s"))
    if args.tests:
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "pytest", "-q"], capture_output=True, text=True)
        rows.append(("python -m pytest (wall)", time.perf_counter() - t0,
                     (proc.stdout.strip().splitlines() or ["?"])[-1] + " (target < 180 s)"))
    print_table(rows)


if __name__ == "__main__":
    main()
