"""Benchmark of the diagnostics (issue 12): prints a table.

    python benchmarks/bench_diagnostics.py

Rows (targets from the issue)
* ratio statistics (ratios, mean r~ with batch-means stderr, two KS tests, the beta fit) on
  10^6 eigenvalues (10 Poisson spectra of 10^5; the cost does not depend on the law): target < 2 s;
* an outlier location and overlap for an equation-defined bulk (the free convolution of
  diag(+-1) with a semicircle of variance 1/4, complexity.spectra.deformed, module complexity.spectra.subordination): target < 10 ms each;
  the noise-plus-Hessian outlier and an effective damping on the same bulk beside it;
* large-N GOE sampling of 10^5 eigenvalues by the tridiagonal model: target < 1 s.  The
  tridiagonal eigenvalue solver (LAPACK sterf) is O(n^2) per matrix, so the rows give the
  cost as samples x n for several n (10^5 eigenvalues each).
Timings are the best of 3 runs (the first run of each row also warms caches).
"""

import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from _table import print_table  # noqa: E402

from complexity.diagnostics import damping, local, outliers, samplers  # noqa: E402


def best(fn, repeat=3):
    out, t = None, float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        t = min(t, time.perf_counter() - t0)
    return t, out


def main():
    rows = []
    ev = samplers.sample_poisson(100_000, 10, seed=0)
    t, st = best(lambda: local.ratio_statistics(ev))
    rows.append(("ratio statistics, 10^6 eigenvalues", t, f"target < 2 s; n = {st.n}, <r~> = {st.mean_r_tilde:.4f} +- {st.stderr:.4f}, beta_fit = {st.beta_fit:.3f}"))

    from complexity import spectra

    try:
        bulk = spectra.deformed(spectra.discrete([-1.0, 1.0], [0.5, 0.5]), 0.5)
        label = "deformed bulk"
    except (AttributeError, ImportError):  # the deformed constructor is not available
        bulk = spectra.with_zero_mass(spectra.marchenko_pastur(0.5), 0.2)
        label = "MP(0.5) + atom (no deformed measure)"
    t, o = best(lambda: outliers.additive(bulk, 2.5))
    rows.append((f"additive outlier, {label}", t, f"target < 10 ms; location {o.location:.6f}, overlap {o.overlap:.6f}, threshold {o.threshold:.6f}"))
    t, o = best(lambda: outliers.noise_plus_hessian(bulk, 3.0, 0.5))
    rows.append((f"noise + Hessian outlier, {label}", t, f"location {o.location:.6f}, overlap {o.overlap:.6f}"))
    t, d = best(lambda: damping.effective_damping(bulk, 0.3, 2.5))
    rows.append((f"effective damping, {label}", t, f"delta_eff {d.delta_eff:.6f}, trace {d.trace:.6f}"))
    mp = spectra.marchenko_pastur(0.5)
    t, o = best(lambda: outliers.multiplicative(mp, 3.0))
    rows.append(("multiplicative outlier, Marchenko-Pastur", t, f"location {o.location:.6f} (Baik-Silverstein 3.75)"))

    for n, samples in [(250, 400), (500, 200), (1000, 100)]:
        t, _ = best(lambda n=n, samples=samples: samplers.sample_goe(n, samples, seed=1), repeat=2)
        rows.append((f"GOE 10^5 eigenvalues: {samples} x n = {n}", t, "target < 1 s"))
    print_table(rows)


if __name__ == "__main__":
    main()
