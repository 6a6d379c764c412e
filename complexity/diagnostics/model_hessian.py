r"""A toy model of network Hessians with GOE local statistics, rank degeneracy and outliers.

The model (the ingredients named by Baskerville, Granziol and Keating, "Applicability of
random matrix theory in deep learning", for the Hessians of a Gaussian-process model of the
loss surface; the precise form below is this package's choice)::

    H = P (sigma X + xi I) P + sum_k theta_k e_{j_k} e_{j_k}^T

* X: GOE in the "wigner" scale (off-diagonal variance 1/n, diagonal 2/n; semicircle on
  [-2, 2]), complexity.rmt.goe.sample_goe;
* xi ~ N(0, shift_sd^2): one common random shift of the whole diagonal per matrix.  For an
  isotropic Gaussian field the Hessian's covariance is c (d_ik d_jl + d_il d_jk + d_ij d_kl):
  a GOE plus exactly such a scalar times the identity;
* P: the projection that zeroes round(zero_fraction n) rows and columns chosen at random
  (rank degeneracy: that many exact zero eigenvalues, an atom of mass zero_fraction at 0);
* theta_k: large values added to diagonal entries of kept rows (outliers; for theta > sigma
  an eigenvalue near xi + theta + sigma^2 / theta, by BBP).

What the tests check: the spacing ratios of the kept bulk are GOE (mean r~ at the large-N
GOE value), while the spectral density is not a semicircle (an atom at 0, outliers, and the
pool over matrices is a semicircle smeared by xi, which a matched semicircle fails to fit).
"""

from __future__ import annotations

import numpy as np

from complexity._validate import check_array, check_int, check_real
from complexity.rmt.goe import sample_goe

__all__ = ["model_hessian", "model_hessian_eigenvalues"]


def model_hessian(
    n: int,
    samples: int = 1,
    *,
    sigma: float = 1.0,
    shift_sd: float = 0.5,
    zero_fraction: float = 0.0,
    outliers=(),
    seed=None,
) -> np.ndarray:
    """Seeded model Hessians, shape ``(samples, n, n)`` (see the module docstring)."""
    n = check_int("n", n, minimum=3)
    samples = check_int("samples", samples, minimum=1)
    sigma = check_real("sigma", sigma, lower=0.0, lower_open=True)
    shift_sd = check_real("shift_sd", shift_sd, lower=0.0)
    zero_fraction = check_real("zero_fraction", zero_fraction, lower=0.0, upper=1.0, upper_open=True)
    theta = np.atleast_1d(check_array("outliers", outliers if len(np.atleast_1d(outliers)) else np.zeros(0)))
    m = int(round(zero_fraction * n))
    if n - m < theta.size + 3:
        raise ValueError(f"zero_fraction={zero_fraction} leaves {n - m} rows for {theta.size} outliers; need 3 more")
    rng = np.random.default_rng(seed)
    out = np.empty((samples, n, n))
    for s in range(samples):
        h = sigma * sample_goe(n, seed=rng, scale="wigner")
        h[np.diag_indices(n)] += shift_sd * rng.standard_normal()
        perm = rng.permutation(n)
        zero, kept = perm[:m], perm[m:]
        h[zero, :] = 0.0
        h[:, zero] = 0.0
        idx = kept[: theta.size]
        h[idx, idx] += theta
        out[s] = h
    return out


def model_hessian_eigenvalues(n: int, samples: int = 1, **kwargs) -> np.ndarray:
    """Sorted eigenvalues, shape ``(samples, n)``, of :func:`model_hessian` matrices."""
    return np.linalg.eigvalsh(model_hessian(n, samples, **kwargs))
