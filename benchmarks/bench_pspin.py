"""Benchmark of the pure p-spin layer: prints a table (numbers recorded in benchmarks/RESULTS.md).

    python benchmarks/bench_pspin.py            # everything, including a cold `complexity figures`
    python benchmarks/bench_pspin.py --no-figures

Rows: Theta_{k,p} and Theta_p on 10^6 points (first call includes numba compilation
or cache load; then warm), E_0..E_10 at 30 digits (mpmath), the exact expected count
at N = 100, and `complexity figures` from a cold start (empty numba cache, new process).
"""

import os
import pathlib
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))


def timed(fn, repeat=1):
    best = float("inf")
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


from _table import print_table  # noqa: E402


def main():
    import mpmath
    import numpy as np

    rows = []
    t0 = time.perf_counter()
    from complexity.models import pspin

    rows.append(("import complexity.models.pspin", time.perf_counter() - t0, ""))
    u = np.linspace(-3.0, 0.5, 1_000_000)
    t_first, _ = timed(lambda: pspin.theta(u, 3, 0))
    rows.append(("Theta_{0,3} on 1e6 points, first call (compile or cache load)", t_first, ""))
    t, th = timed(lambda: pspin.theta(u, 3, 0), repeat=5)
    rows.append(("Theta_{0,3} on 1e6 points, warm", t, f"{1e6 / t:.3g} points/s"))
    t, _ = timed(lambda: pspin.theta(u, 3), repeat=5)
    rows.append(("Theta_3 (all indices) on 1e6 points, warm", t, f"{1e6 / t:.3g} points/s"))

    t, (einf, es) = timed(lambda: pspin.thresholds(3, 10, dps=30))
    with mpmath.workdps(60):
        ref = pspin.threshold(3, 10, dps=60)
        err = abs(es[-1] - ref)
    rows.append(("E_0..E_10 (p=3) at 30 digits", t, f"E_10 vs 60-digit run: {mpmath.nstr(err, 2)}"))

    try:
        from complexity.models.pspin_finite import expected_count

        t, c = timed(lambda: expected_count(3, 100))
        t, c = timed(lambda: expected_count(3, 100), repeat=3)
        rows.append(("exact E Crt_N (p=3, N=100, all energies)", t, f"{c.expected:.6e} ({c.method})"))
        t, c = timed(lambda: expected_count(3, 100, u=-1.65), repeat=3)
        rows.append(("exact E Crt_N((-inf,-1.65]) (p=3, N=100)", t, f"{c.expected:.6e} ({c.method})"))
    except ImportError as exc:  # pragma: no cover
        rows.append(("exact count at N=100", float("nan"), f"unavailable: {exc}"))

    if "--no-figures" not in sys.argv:
        with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as out:
            env = dict(os.environ, NUMBA_CACHE_DIR=cache)
            t0 = time.perf_counter()
            subprocess.run([sys.executable, "-m", "complexity", "figures", "--out", out], check=True, env=env,
                           cwd=ROOT, stdout=subprocess.DEVNULL)
            rows.append(("`complexity figures` cold (empty numba cache, new process)", time.perf_counter() - t0,
                         f"{len(list(pathlib.Path(out).glob('*.png')))} PNGs"))

    print_table(rows)


if __name__ == "__main__":
    main()
