"""Benchmark of the coupled (GAN) model (issues 4 and 5): prints a table (numbers recorded in
benchmarks/RESULTS.md).

    python benchmarks/bench_gan.py            # everything (about 10 minutes on 2 cores)
    python benchmarks/bench_gan.py --quick    # the Theta grid, the band map, one sweep

Rows (p = q = 3, kappa = 0.9, sigma_z = 1 unless stated; warm: numba compiled first):

* Theta on a 500 x 500 (u_D, u_G) grid, derived and reference conventions: exact at every
  node (fibre suprema, refined edge and interior maxima, cumulative sup).  The published
  method: 0.14 s per (x, x1) point, about 35 minutes for its 200 x 75 exponent grid, then a
  grid maximum (MATH.md; measured in bench_rmt.py).
* The band map for k_D, k_G up to 29 on a 200 x 200 grid (60 Theta grids), derived and
  published conventions.
* One 60-point sigma_z sweep (logspace(-5, 2, 60)) of the four thresholds, derived, through
  ``run_sweep`` on local processes (every core).
* All nine (p, q) pairs at 60 sigma_z values: local processes, and a dask LocalCluster of 2
  workers (start-up included) - its overhead is the difference.
"""

import pathlib
import sys
import tempfile
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _table import print_table  # noqa: E402

PAIRS = "[3,5,7,10]"


def timed(fn):
    t = time.perf_counter()
    out = fn()
    return time.perf_counter() - t, out


def main(quick=False):
    from complexity.models.gan import GanModel
    from complexity.sweep import run_sweep

    rows = []
    for conv, ud, ug in (("derived", (-4, 1), (-2.5, 1)), ("reference", (-40, 5), (-40, 10))):
        m = GanModel(3, 3, 1.0, 0.9, conv)
        m.theta_grid(np.linspace(*ud, 20), np.linspace(*ug, 20))  # compile
        sec, g = timed(lambda: m.theta_grid(np.linspace(*ud, 500), np.linspace(*ug, 500)))
        rows.append((f"Theta 500x500 grid ({conv})", sec, f"max {np.max(g.theta):.6f}"))
    for conv, box, m, ud, ug in (
        ("derived", None, GanModel(3, 3, 0.01, 0.9), (-2.2, -1.2), (-0.04, 0.01)),
        ("published", "theta_indexs", GanModel(3, 3, 1.0, 0.9, "published", box="theta_indexs"), (-4, 1),
         (-1.2, 0.05)),
    ):
        sec, bm = timed(lambda: m.band_map(np.linspace(*ud, 200), np.linspace(*ug, 200), k_max=29))
        rows.append((f"band map k<=29, 200x200 ({conv}, sigma_z={m.sigma_z:g})", sec,
                     f"max k_D {bm.k_d.max()}, max k_G {bm.k_g.max()}"))
    with tempfile.TemporaryDirectory() as tmp:
        grid = {"p": 3, "q": 3, "kappa": 0.9, "sigma_z": "logspace(-5,2,60)"}
        run_sweep("gan", {**grid, "sigma_z": 1.0}, f"{tmp}/warm.csv", progress=False)
        sec, s = timed(lambda: run_sweep("gan", grid, f"{tmp}/one.csv", progress=False))
        rows.append(("60-point sigma_z sweep, derived (processes)", sec, f"{s['done']} done, {s['failed']} failed"))
        if not quick:
            nine = {"p": PAIRS, "q": PAIRS, "kappa": 0.9, "sigma_z": "logspace(-5,2,60)"}
            # the nine published pairs are a subset of {3,5,7,10}^2: sweep exactly those nine
            for name, kw in (("processes", {}), ("dask LocalCluster(2)", {"backend": "dask", "local_cluster": 2})):
                total = 0.0
                done = failed = 0
                for p, q in ((3, 3), (3, 5), (5, 3), (5, 5), (3, 7), (7, 3), (7, 5), (5, 7), (10, 10)):
                    g9 = {**nine, "p": p, "q": q}
                    sec, s = timed(lambda: run_sweep("gan", g9, f"{tmp}/{name[:4]}{p}{q}.csv", progress=False, **kw))
                    total += sec
                    done += s["done"]
                    failed += s["failed"]
                rows.append((f"nine (p,q) pairs x 60 sigma_z, derived ({name})", total,
                             f"{done} done, {failed} failed"))
    print_table(rows)


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
