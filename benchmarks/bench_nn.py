"""Benchmark of the network-Hessian tools (complexity.nn, the ``nn`` extra): prints a table.

    python benchmarks/bench_nn.py

Rows
* A 64-32-24-10 tanh MLP (P = 3,122) on the 1,438 digits training images: Adam for
  100 epochs (minibatches of 64; JAX compilation included), the exact full-data
  Hessian (P HVPs, forward-over-reverse, JAX compilation included) and its
  eigendecomposition (numpy eigvalsh); target under 60 s in all.
* A 64-256-128-10 MLP (P = 50,826), trained 5 epochs: 100 Lanczos steps with full
  reorthogonalisation on the full-data HVP (compilation included); target under 60 s.
  The agreement of the two routes is a test (tests/test_nn.py), not measured here.
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

    t0 = time.perf_counter()
    ds = data.load()
    rows = [("load digits (sklearn) + import JAX", time.perf_counter() - t0, f"{len(ds.y_train)} training images")]

    t0 = time.perf_counter()
    net = train.train_mlp((32, 24), epochs=100, seed=0)
    t_train = time.perf_counter() - t0
    s = net.summary
    rows.append(("train 64-32-24-10, 100 epochs", t_train,
                 f"P = {s['n_params']}, train acc {s['train_accuracy']:.3f}, test acc {s['test_accuracy']:.3f}"))
    t0 = time.perf_counter()
    H = hessian.hessian_exact(net.spec, net.theta, ds.X_train, ds.y_train)
    t_h = time.perf_counter() - t0
    rows.append(("exact Hessian, full data", t_h, f"{H.shape[0]} x {H.shape[1]}"))
    t0 = time.perf_counter()
    e = np.linalg.eigvalsh(H)
    t_e = time.perf_counter() - t0
    rows.append(("eigendecomposition (eigvalsh)", t_e, f"lambda_max {e[-1]:.4g}"))
    rows.append(("  total: train + Hessian + eigenvalues", t_train + t_h + t_e, "target 60 s"))

    big = train.train_mlp((256, 128), epochs=5, seed=0)
    mv = hessian.hvp_operator(big.spec, big.theta, ds.X_train, ds.y_train)
    t0 = time.perf_counter()
    mv(np.ones(big.spec.n_params))
    t_c = time.perf_counter() - t0
    t0 = time.perf_counter()
    r = lanczos.lanczos_extremes(mv, big.spec.n_params, 100, seed=0)
    t_l = time.perf_counter() - t0
    rows.append(("HVP compile + first product, P = 50,826", t_c, ""))
    rows.append(("Lanczos 100 steps, P = 50,826", t_l,
                 f"lambda_max {r['ritz'][-1]:.4g} (residual {r['residual'][-1]:.1e}); target 60 s with the compile"))
    print_table(rows)


if __name__ == "__main__":
    main()
