"""Derived GAN thresholds along the sweep figures' grid, serial, warm:

    python benchmarks/bench_thresholds.py

the nine (p, q) pairs of gan_theory_sigma_vary_pq x 12 sigma_z (logspace(-5, 2, 12)) at kappa = 0.9,
u_D, u_G and u_sum per point.  Prints seconds per pair and the total.  To compare with another
checkout, run it again with ``PYTHONPATH=<that checkout>``.
"""

from __future__ import annotations

import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(__file__))
from _table import print_table  # noqa: E402

from complexity.figures.gan_sweeps import PAIRS  # noqa: E402
from complexity.models.gan import GanModel  # noqa: E402


def main():
    GanModel(3, 3, 1.0, 0.9).thresholds(which=("u_D",))  # compile / load the kernels
    rows, total = [], 0.0
    for p, q in PAIRS:
        t0 = time.perf_counter()
        for s in np.logspace(-5, 2, 12):
            GanModel(p, q, float(s), 0.9).thresholds(which=("u_D", "u_G", "u_sum"))
        dt = time.perf_counter() - t0
        total += dt
        rows.append((f"({p}, {q}), 12 sigma_z", dt, f"{dt / 12:.3f} s per point"))
    rows.append(("all 108 points", total, f"{total / 108:.3f} s per point"))
    print_table(rows)


if __name__ == "__main__":
    main()
