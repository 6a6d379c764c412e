"""Benchmark of the spectral-measure layer (issue 10): prints a table.

    python benchmarks/bench_spectra.py [TEXT]     # TEXT: only the constructors whose label has it

For every constructor available (the equation-defined ones of other modules --
``deformed``, ``wishart_product``, ``wigner_times_wishart``, ``percolated`` -- are picked up
when importable), one core, best of 3 after a warm-up call:

* density at 10^5 points spread over [left edge - 10%, right edge + 10%]; accuracy beside it:
  ``|int rho + atom mass - 1|`` with ``int rho`` by scipy quad (cosine substitution, 1e-13);
* Stieltjes transform at 10^5 complex points ``x + 0.1 i w`` (w = the spectrum's width);
  accuracy: the largest deviation from scipy quad of ``rho(l) / (z - l)`` (+ atoms) at 20 of
  them;
* log-potential on 10^4 points over [left - w, right + w] (the generic cumulative-Re m route
  or a closed form); accuracy: the largest deviation from the naive alternative, scipy quad
  of ``rho(l) log|x - l|`` per point (split at x and the edges, 1e-13), which is timed on 100
  of the points and extrapolated to 10^4.
"""

import math
import pathlib
import sys
import time
import warnings

import numpy as np
from scipy import integrate

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from _table import print_table  # noqa: E402

from complexity import spectra  # noqa: E402


def constructors():
    """(label, builder) for every constructor this checkout has."""
    rng = np.random.default_rng(5)
    out = [
        ("semicircle", lambda: spectra.semicircle()),
        ("semicircle abc", lambda: spectra.semicircle(scale="abc")),
        ("marchenko_pastur(0.5)", lambda: spectra.marchenko_pastur(0.5)),
        ("marchenko_pastur(2.5)", lambda: spectra.marchenko_pastur(2.5)),
        ("with_zero_mass(semicircle, 0.3)", lambda: spectra.with_zero_mass(spectra.semicircle(), 0.3)),
        ("mixture(semicircle, MP(0.25))", lambda: spectra.mixture([(0.5, spectra.semicircle()), (0.5, spectra.marchenko_pastur(0.25))])),
        ("discrete (3 levels)", lambda: spectra.discrete([-1.0, 0.5, 2.0], [0.2, 0.3, 0.5])),
        ("empirical (1000 eigenvalues)", lambda: spectra.empirical(rng.standard_normal(1000))),
        ("deformed(discrete(+-1), 0.5) [block solver]", lambda: spectra.deformed(spectra.discrete([-1.0, 1.0]), 0.5)),
        ("deformed(MP(0.5), 0.5)", lambda: spectra.deformed(spectra.marchenko_pastur(0.5), 0.5)),
        ("deformed(0.7 sc + 0.3 delta_0, 0.3)", lambda: spectra.deformed(spectra.with_zero_mass(spectra.semicircle(), 0.3), 0.3)),
        ("deformed(empirical(200), 0.5)", lambda: spectra.deformed(spectra.empirical(rng.standard_normal(200)), 0.5)),
        ("wishart_product(0.5, 0.3)", lambda: spectra.wishart_product(0.5, 0.3)),
        ("wigner_times_wishart(0.5)", lambda: spectra.wigner_times_wishart(0.5)),
        ("percolated(4)", lambda: spectra.percolated(4.0)),
    ]
    found = []
    for label, build in out:
        try:
            found.append((label, build()))
        except (ImportError, AttributeError) as exc:
            print(f"# {label}: not available in this checkout ({type(exc).__name__})")
    return found


def best(fn, repeat=3):
    fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def quad_density(mu, g, a, b):
    def f(t):
        lam = a + (b - a) * (1.0 - math.cos(t)) / 2.0
        return float(mu.density(lam)) * g(lam) * (b - a) * math.sin(t) / 2.0
    return integrate.quad(f, 0.0, math.pi, epsabs=1e-13, epsrel=1e-13, limit=400)[0]


def quad_phi(mu, x):
    """The naive route: scipy quad of rho(l) log|x - l| per point, split at x and the edges."""
    ref = sum(w * math.log(abs(x - a)) for a, w in mu.atoms())
    for lo, hi in mu.support():
        pts = [lo, x, hi] if lo < x < hi else [lo, hi]
        for a, b in zip(pts[:-1], pts[1:]):
            ref += integrate.quad(lambda t: math.log(abs(x - t)) * float(mu.density(t)), a, b,
                                  limit=400, epsabs=1e-13, epsrel=1e-13)[0]
    return ref


def quad_m(mu, z):
    ref = sum(w / (z - a) for a, w in mu.atoms())
    for lo, hi in mu.support():
        re = quad_density(mu, lambda l: (1.0 / (z - l)).real, lo, hi)
        im = quad_density(mu, lambda l: (1.0 / (z - l)).imag, lo, hi)
        ref += re + 1j * im
    return ref


def main(only=None):
    """``only``: run the constructors whose label contains this text (all by default)."""
    warnings.simplefilter("ignore", integrate.IntegrationWarning)
    rows = []
    for label, mu in constructors():
        if only and only not in label:
            continue
        lo, hi = mu.edges()
        w = max(hi - lo, 1.0)
        x5 = np.linspace(lo - 0.1 * w, hi + 0.1 * w, 100_000)
        t = best(lambda: mu.density(x5))
        mass = sum(quad_density(mu, lambda l: 1.0, a, b) for a, b in mu.support()) + mu.atom_mass
        rows.append((f"{label}: density, 1e5 points", t, f"{1e5 / t:.2e} points/s; |mass - 1| = {abs(mass - 1):.1e}"))

        z5 = x5 + 0.1j * w
        t = best(lambda: mu.stieltjes(z5))
        idx = np.linspace(0, z5.size - 1, 20).astype(int)
        err = max(abs(complex(mu.stieltjes(z5[i])) - quad_m(mu, z5[i])) for i in idx)
        rows.append((f"{label}: Stieltjes, 1e5 complex points", t, f"{1e5 / t:.2e} points/s; vs quad at 20: {err:.1e}"))

        x4 = np.linspace(lo - w, hi + w, 10_000) + 1e-7 * w  # off the atoms
        t = best(lambda: mu.log_potential(x4), repeat=2)
        sub = x4[np.linspace(0, x4.size - 1, 100).astype(int)]
        t0 = time.perf_counter()
        ref = np.array([quad_phi(mu, x) for x in sub])
        tq = time.perf_counter() - t0
        err = float(np.max(np.abs(mu.log_potential(sub) - ref)))
        rows.append((f"{label}: log-potential, 1e4 points", t, f"vs quad per point: {err:.1e}"))
        rows.append((f"{label}: scipy quad per point, 1e4 (from 100)", tq * 100, f"x{tq * 100 / t:.0f} slower"))
    print_table(rows)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else None)
