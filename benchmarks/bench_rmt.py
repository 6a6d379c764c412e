"""Benchmark of the block random-matrix layer (issue 3): prints a table.

    python benchmarks/bench_rmt.py

Rows: Phi on the 2000 x 100 (x, x1) grid of the published sweeps (x in [-1000, 25],
x1 in [-15, 40], b = sqrt((p+q)(p+q-1) 2^(p+q)), b1 = sqrt(kappa p(p-1)), p = q = 3,
sigma_z = 1, kappa = 0.9), after compilation; its accuracy at sampled points against
tight adaptive quadrature; density evaluations per second; and the published METHOD
(one adaptive quadrature per (x, x1) point over 5x the support, the density evaluated
point by point inside it), re-implemented here on our density and timed on a
subsample, extrapolated to the grid.
"""

import math
import pathlib
import sys
import time

import numpy as np
from scipy import integrate

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from complexity.rmt import block  # noqa: E402


from _table import print_table  # noqa: E402


def main():
    p = q = 3
    kappa = 0.9
    b = math.sqrt((p + q) * (p + q - 1) * 2 ** (p + q))
    b1 = math.sqrt(kappa * p * (p - 1))
    x = np.linspace(-1000, 25, 2000)
    x1 = np.linspace(-15, 40, 100)
    rows = []
    t0 = time.perf_counter()
    block.log_potential_grid(kappa, b, b1, x[:3], x1[:1])
    rows.append(("first call (numba compile or cache load)", time.perf_counter() - t0, ""))
    t0 = time.perf_counter()
    grid = block.log_potential_grid(kappa, b, b1, x, x1)
    t_grid = time.perf_counter() - t0
    rows.append(("Phi on the 2000 x 100 grid", t_grid, f"{grid.size / t_grid:.3g} points/s"))

    # accuracy at sampled grid points against adaptive quadrature at tight tolerance
    rng = np.random.default_rng(0)
    worst = 0.0
    for _ in range(6):
        i, j = rng.integers(0, x1.size), rng.integers(0, x.size)
        ens = block.gan_ensemble(kappa, b, b1, x1[i])
        ivs, _ = block.support(ens)
        ref = 0.0
        for lo, hi in ivs:
            pts = [lo, x[j], hi] if lo < x[j] < hi else [lo, hi]
            for a_, b_ in zip(pts[:-1], pts[1:]):
                ref += integrate.quad(lambda t: math.log(abs(x[j] - t)) * block.density(ens, np.array([t]))[0], a_, b_,
                                      limit=500, epsabs=1e-12, epsrel=1e-12)[0]
        worst = max(worst, abs(grid[i, j] - ref))
    rows.append(("  accuracy: max |Phi - quadrature| at 6 sampled grid points", float("nan"), f"{worst:.2e}"))

    ens = block.gan_ensemble(kappa, b, b1, 10.0)
    lam = np.linspace(-80, 60, 1_000_000)
    block.density(ens, lam[:10])
    t0 = time.perf_counter()
    block.density(ens, lam)
    t = time.perf_counter() - t0
    sub_l = lam[:: 5000]
    dev = np.max(np.abs(block.stieltjes(ens, sub_l) - block.gan_quartic_stieltjes(kappa, b, b1, 10.0, sub_l)))
    rows.append(("density at 1e6 sorted points (one core)", t,
                 f"{1e6 / t:.3g} evaluations/s; |m - m_quartic| <= {dev:.1e} at 200 of them"))
    t0 = time.perf_counter()
    lam_r = rng.permutation(lam[:100_000])
    block.density(ens, lam_r)
    t = time.perf_counter() - t0
    rows.append(("density at 1e5 shuffled points", t, f"{1e5 / t:.3g} evaluations/s"))

    # the published method, re-implemented: one adaptive quadrature per (x, x1) point
    def published_point(xv, x1v):
        e = block.gan_ensemble(kappa, b, b1, x1v)
        r = 5 * e.bound
        return integrate.quad(lambda t: math.log(abs(xv - t)) * block.density(e, np.array([t]))[0], -r, r, limit=50)[0]

    sub = [(x[j], x1[i]) for i, j in zip(rng.integers(0, 100, 8), rng.integers(0, 2000, 8))]
    t0 = time.perf_counter()
    for xv, x1v in sub:
        published_point(xv, x1v)
    per = (time.perf_counter() - t0) / len(sub)
    rows.append(("published method re-implemented: per (x, x1) point", per, "quad per point"))
    rows.append(("  extrapolated to the 2000 x 100 grid", per * grid.size, f"ratio {per * grid.size / t_grid:.0f}x"))
    rows.append(("  published code as measured (MATH.md): 0.14 s/point -> grid", 0.14 * grid.size,
                 f"ratio {0.14 * grid.size / t_grid:.0f}x"))

    print_table(rows)


if __name__ == "__main__":
    main()
