"""Robustness scan of the coupled model's thresholds over the parameter space (prints a table).

    python benchmarks/scan_gan_thresholds.py           # about 4 minutes on 2 cores

For each convention: a sweep of (p, q) in {3, 5, 7, 10}^2, kappa in linspace(0.05, 0.95, 7),
sigma_z in logspace(-5, 2, 8) (896 points) through ``run_sweep`` on local processes, the
number of points without thresholds, and, for a seeded random sample of 60 points, whether
each of theta_D and theta_G is a sign change of Theta (computed separately: grids and a
cumulative sup) within +-1e-6, and the largest |Theta| at a threshold (large only where Theta
jumps from -inf at the edge of a published box's image).
"""

import math
import pathlib
import sys
import tempfile
import time
import warnings

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _table import print_table  # noqa: E402

GRID = {"p": "[3,5,7,10]", "q": "[3,5,7,10]", "kappa": "linspace(0.05,0.95,7)", "sigma_z": "logspace(-5,2,8)"}
SAMPLE = 60
H = 1e-6


def main():
    from complexity.models.gan import GanModel
    from complexity.sweep import load_sweep, run_sweep

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for conv in ("derived", "reference", "published"):
            t = time.perf_counter()
            s = run_sweep("gan", {**GRID, "convention": conv}, f"{tmp}/{conv}.csv", progress=False)
            sec = time.perf_counter() - t
            df = load_sweep(f"{tmp}/{conv}.csv")
            df = df[df["error"] == ""].sample(SAMPLE, random_state=3)
            bad, worst = 0, 0.0
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                for r in df.itertuples():
                    m = GanModel(int(r.p), int(r.q), float(r.sigma_z), float(r.kappa), conv)
                    for cut in ((r.u_D, math.inf, 0), (math.inf, r.u_G, 1)):
                        at = [cut[0], cut[1]]
                        th = m.theta(*at).theta
                        lo, hi = list(at), list(at)
                        lo[cut[2]] -= H
                        hi[cut[2]] += H
                        ok = m.theta(*lo).theta < 0 < m.theta(*hi).theta or abs(th) < 1e-9
                        bad += 0 if ok else 1
                        worst = max(worst, abs(th))
            rows.append((f"{conv}: {s['points']} points", sec,
                         f"{s['failed']} without thresholds; {2 * SAMPLE - bad}/{2 * SAMPLE} sampled thresholds are sign "
                         f"changes of Theta within +-{H:g}; max |Theta| there {worst:.2g}"))
    print_table(rows)


if __name__ == "__main__":
    main()
