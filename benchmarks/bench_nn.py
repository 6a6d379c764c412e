"""Benchmark of the network-Hessian tools (complexity.nn, the ``nn`` extra): prints a table.

    python benchmarks/bench_nn.py           # training, Hessians, Lanczos (the nn extra)
    python benchmarks/bench_nn.py --fits    # only the bulk fits and the product cdf (numpy, scipy)

Rows
* A 64-32-24-10 tanh MLP (P = 3,122) on the 1,438 digits training images: Adam for
  100 epochs (minibatches of 64; JAX compilation included), the exact full-data
  Hessian (P HVPs, forward-over-reverse, JAX compilation included) and its
  eigendecomposition (numpy eigvalsh); target under 60 s in all.
* A 64-256-128-10 MLP (P = 50,826), trained 5 epochs: 100 Lanczos steps with full
  reorthogonalisation on the full-data HVP (compilation included); target under 60 s.
  The agreement of the two routes is a test (tests/test_nn.py), not measured here.
* ``--fits``: the product cdf (``wishart_product(0.3, 0.7)``, ``wigner_times_wishart(0.5)``)
  at 1,407 points (the bulk size of the figure's network) for a new parameter set, by the
  base class's route (a 16-node partial panel per point) and by the tabulated cdf
  (``CdfTable``: build + look-up, then a re-evaluation at other points, as in a fit's inner
  loop); and ``fit_bulk`` on one sampled N = 1,000 spectrum of each family (x = 2 l + 0.5).
  The first row warms numba's cache (the products' root tracker; a cold compile is ~10 s).
"""

import pathlib
import sys
import time

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from _table import print_table  # noqa: E402


def main():
    from complexity.nn import data, hessian, lanczos, train

    def timed(fn):
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        return out, time.perf_counter() - t0, time.process_time() - c0

    ds, t, c = timed(lambda: data.load())
    rows = [("load digits (sklearn) + import JAX", t, f"cpu {c:.1f} s; {len(ds.y_train)} training images")]

    net, t_train, c_train = timed(lambda: train.train_mlp((32, 24), epochs=100, seed=0))
    s = net.summary
    rows.append(
        (
            "train 64-32-24-10, 100 epochs",
            t_train,
            f"cpu {c_train:.1f} s; P = {s['n_params']}, train acc {s['train_accuracy']:.3f}, "
            f"test acc {s['test_accuracy']:.3f}",
        )
    )
    H, t_h, c_h = timed(lambda: hessian.hessian_exact(net.spec, net.theta, ds.X_train, ds.y_train))
    rows.append(("exact Hessian, full data", t_h, f"cpu {c_h:.1f} s; {H.shape[0]} x {H.shape[1]}"))
    e, t_e, c_e = timed(lambda: np.linalg.eigvalsh(H))
    rows.append(("eigendecomposition (eigvalsh)", t_e, f"cpu {c_e:.1f} s; lambda_max {e[-1]:.4g}"))
    rows.append(
        ("  total: train + Hessian + eigenvalues", t_train + t_h + t_e, f"cpu {c_train + c_h + c_e:.1f} s; target 60 s")
    )

    big = train.train_mlp((256, 128), epochs=5, seed=0)
    mv = hessian.hvp_operator(big.spec, big.theta, ds.X_train, ds.y_train)
    _, t_c, c_c = timed(lambda: mv(np.ones(big.spec.n_params)))
    r, t_l, c_l = timed(lambda: lanczos.lanczos_extremes(mv, big.spec.n_params, 100, seed=0))
    rows.append((f"HVP compile + first product, P = {big.spec.n_params}", t_c, f"cpu {c_c:.1f} s"))
    rows.append(
        (
            f"Lanczos 100 steps, P = {big.spec.n_params}",
            t_l,
            f"cpu {c_l:.1f} s; lambda_max {r['ritz'][-1]:.4g} (residual {r['residual'][-1]:.1e}); "
            "target 60 s with the compile",
        )
    )
    print_table(rows)


def fits():
    from complexity import spectra
    from complexity.nn import fit
    from complexity.spectra import _quadrature as Q
    from complexity.spectra._base import SpectralMeasure

    def timed(fn):
        t0 = time.perf_counter()
        out = fn()
        return out, time.perf_counter() - t0

    _, t = timed(lambda: (spectra.wishart_product(0.5).density(np.array([1.0])),
                          spectra.deformed(spectra.discrete((0.0, 1.0), (0.5, 0.5)), 0.3).support()))
    rows = [("numba warm-up (cached compile) + first block ensemble", t, "")]
    rng = np.random.default_rng(0)
    for name, build in (("W1 W2 (0.3, 0.7)", lambda: spectra.wishart_product(0.3, 0.7)),
                        ("Wigner x Wishart 0.5", lambda: spectra.wigner_times_wishart(0.5))):
        lo, hi = build().edges()
        x, y = (np.sort(rng.uniform(lo, hi, 1407)) for _ in range(2))
        _, t_old = timed(lambda: SpectralMeasure.cdf(build(), x))
        mu = build()
        _, t_new = timed(lambda: mu.cdf(x))
        table = Q.tabulated_cdf(mu)
        _, t_again = timed(lambda: table(y))
        rows.append((f"cdf {name}, 1407 points, base route", t_old, "new parameter set (support + 16 nodes/point)"))
        rows.append((f"cdf {name}, 1407 points, table", t_new,
                     f"build ({table.evaluations} density evaluations, {table.panels} panels) + look-up"))
        rows.append((f"cdf {name}, 1407 other points, same table", t_again, "the fit's inner loop"))
    cases = (
        ("semicircle", spectra.semicircle(), {}),
        ("marchenko_pastur", spectra.marchenko_pastur(0.4), {}),
        ("wigner_times_wishart", spectra.wigner_times_wishart(0.5), {}),
        ("wishart_product", spectra.wishart_product(0.3, 0.7), {}),
        ("deformed", spectra.deformed(spectra.discrete((0.0, 1.0), (0.7, 0.3)), 0.15), {}),
    )
    for fam, mu, kw in cases:
        x = 2.0 * mu.sample(1000, 1, seed=3)[0] + 0.5
        f, t = timed(lambda: fit.fit_bulk(x, fam, **kw))
        shape = ", ".join(f"{k} {v:.4f}" for k, v in f.params.items() if isinstance(v, float))
        rows.append((f"fit_bulk {fam}, N = 1000", t, f"{f.tables} tables; {shape}; a {f.a:.4f}, b {f.b:.4f}, "
                     f"KS D {f.ks_statistic:.4f}"))
    print_table(rows)


if __name__ == "__main__":
    fits() if "--fits" in sys.argv[1:] else main()
