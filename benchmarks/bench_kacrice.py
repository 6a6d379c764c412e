"""Benchmark of the general Kac-Rice model (complexity.models.kacrice): prints a table.

    python benchmarks/bench_kacrice.py

Rows, per ensemble available in the spectral layer: building the model (standardising mu,
bracketing and polishing the maxima of S_mu: the "spectral solver" part), then Theta_mu on
1e5 energies (Phi_mu from the Hermite table when long arrays allow it; its measured
interpolation error is printed), E_inf and E_0 at 30 digits (mpmath), and a 60-point band
sweep over Marchenko-Pastur's c on 2 worker processes.
"""

import pathlib
import sys
import tempfile
import time
import warnings

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _table import print_table  # noqa: E402


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def main():
    import mpmath
    import numpy as np

    from complexity import spectra
    from complexity.models import kacrice as K
    from complexity.sweep import run_sweep

    warnings.simplefilter("ignore", RuntimeWarning)
    ens = [("semicircle", lambda: spectra.semicircle()),
           ("marchenko_pastur(0.5)", lambda: spectra.marchenko_pastur(0.5)),
           ("marchenko_pastur(2)", lambda: spectra.marchenko_pastur(2.0)),
           ("with_zero_mass(semicircle, 0.01)", lambda: spectra.with_zero_mass(spectra.semicircle(), 0.01)),
           ("wishart_product(0.5, 0.5)", lambda: spectra.wishart_product(0.5, 0.5)),
           ("wigner_times_wishart(0.5)", lambda: spectra.wigner_times_wishart(0.5)),
           ("percolated(4)", lambda: spectra.percolated(4.0)),
           ("deformed(levels -1, 1; s = 0.5)", lambda: spectra.deformed(spectra.discrete([-1.0, 1.0]), 0.5))]
    rows = []
    u = np.linspace(-3.0, 1.0, 100_000)
    for name, make in ens:
        try:
            mu = make()
        except (AttributeError, ImportError, ModuleNotFoundError):
            rows.append((f"{name}: not available", float("nan"), ""))
            continue
        t, m = timed(lambda: K.KacRice(mu, 3))
        t2, _ = timed(m.maxima)
        rows.append((f"{name}: model + maxima of S_mu", t + t2, f"{m.maxima()[0].size} maxima"))
        t, th = timed(lambda: m.theta(u))
        err = getattr(m, "table_error", float("nan"))
        rows.append((f"{name}: Theta_mu on 1e5 energies", t, f"table error {err:.1e}" if err == err else "direct"))
        try:
            t, r = timed(lambda: K.thresholds(3, mu, dps=30))
            rows.append((f"{name}: E_inf, E_0 at 30 digits", t,
                         f"E_0 = {mpmath.nstr(r.e_0, 30)}"))
        except ValueError as exc:
            rows.append((f"{name}: E_inf, E_0 at 30 digits", float("nan"), str(exc)[:70]))
    with tempfile.TemporaryDirectory() as tmp:
        t, s = timed(lambda: run_sweep("kacrice", {"p": 3, "ensemble": "marchenko-pastur",
                                                   "c": "logspace(-2,0.7,60)"},
                                       pathlib.Path(tmp) / "band.csv", workers=2, progress=False))
    rows.append(("band sweep: 60 values of c (marchenko-pastur), 2 processes", t,
                 f"{s['done']} done, {s['failed']} failed"))
    print_table(rows)


if __name__ == "__main__":
    main()
