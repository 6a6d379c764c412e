"""Benchmark of the finite-N Kac-Rice expectation of the coupled (GAN) model: the reduced form
(``gan_finite.sample_reduced``: tridiagonal GOE blocks, a Schur complement on the smaller
block, Sturm counts) against the dense matrix drawn entry by entry (``sample_hessians`` and
LAPACK's slogdet and block eigenvalues, what ``gan_kac_rice_expectation`` did before; also
the dense determinant alone, what its ``indices=False`` did).
Prints a table (numbers recorded in benchmarks/RESULTS.md).

    python benchmarks/bench_gan_finite.py            # 10^4 draws per row, N = 32 .. 128
    python benchmarks/bench_gan_finite.py --quick    # 2 x 10^3 draws

Both columns estimate the same expectation ``E|det H|`` (independent streams, their standard
errors printed): the speed-up is at equal accuracy.  Warm: numba compiled first.
"""

import math
import pathlib
import sys
import time

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _table import print_table  # noqa: E402

SIZES = ((16, 16), (32, 32), (64, 64), (96, 32), (32, 96))
BATCH = 125  # draws per batch for both (the dense matrices of N = 128 take 16 MB)


def _relative_mean(logdet):
    """E|det| / exp(max log|det|) and its standard error (scaled to avoid overflow)."""
    w = np.exp(logdet - logdet.max())
    return w.mean(), w.std() / math.sqrt(w.size), logdet.max()


def dense(p, q, s, nd, ng, m, seed, indices=True):
    from complexity.models import gan_finite as gf

    rng = np.random.default_rng(seed)
    dd = nd - 1
    logs, kds = [], []
    for start in range(0, m, BATCH):
        h = gf.sample_hessians(p, q, s, nd, ng, min(BATCH, m - start), rng)[0]
        logs.append(np.linalg.slogdet(h)[1])
        if indices:
            kds.append((np.linalg.eigvalsh(h[:, :dd, :dd]) > 0).sum(axis=1))
            np.linalg.eigvalsh(h[:, dd:, dd:])
    return np.concatenate(logs), (np.concatenate(kds) if indices else None)


def reduced(p, q, s, nd, ng, m, seed):
    from complexity.models import gan_finite as gf

    rng = np.random.default_rng(seed)
    buffers = gf._reduced_buffers(BATCH, nd - 1, ng - 1)
    logs, kds = [], []
    for start in range(0, m, BATCH):
        out = gf.sample_reduced(p, q, s, nd, ng, min(BATCH, m - start), rng, buffers=buffers)
        logs.append(out[1])
        kds.append(out[2])
    return np.concatenate(logs), np.concatenate(kds)


def main(quick=False):
    m = 2_000 if quick else 10_000
    p, q, s = 2, 2, 1.0
    reduced(p, q, s, 5, 4, 200, 0)  # compile
    rows = []
    for nd, ng in SIZES:
        t = time.perf_counter()
        dense(p, q, s, nd, ng, m, 1, indices=False)
        det_only = time.perf_counter() - t
        t0 = time.perf_counter()
        ld, kd = dense(p, q, s, nd, ng, m, 1)
        t1 = time.perf_counter()
        lr, kr = reduced(p, q, s, nd, ng, m, 2)
        t2 = time.perf_counter()
        top = max(ld.max(), lr.max())
        a, b = np.exp(ld - top), np.exp(lr - top)
        z = (a.mean() - b.mean()) / math.sqrt(a.var() / m + b.var() / m)
        note = (f"dense {t1 - t0:.3f} s ({(t1 - t0) / (t2 - t1):.1f}x), its det only {det_only:.3f} s "
                f"({det_only / (t2 - t1):.1f}x); E log|det| {ld.mean():.3f} +- "
                f"{ld.std() / math.sqrt(m):.3f} vs {lr.mean():.3f} +- {lr.std() / math.sqrt(m):.3f}; "
                f"E|det| z = {z:+.2f}; E k_D {kd.mean():.2f} vs {kr.mean():.2f}")
        rows.append((f"reduced, {m} draws, (N_D, N_G) = ({nd}, {ng})", t2 - t1, note))
    print_table(rows)


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
