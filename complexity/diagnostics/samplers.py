r"""Samplers of spectra for comparisons: the Gaussian beta-ensembles at large N and Poisson levels.

Tridiagonal beta-ensemble (Dumitriu-Edelman 2002)
-------------------------------------------------
The symmetric tridiagonal matrix with diagonal N(0, 2) and off-diagonal chi_{beta (n-1)},
chi_{beta (n-2)}, ..., chi_beta, all divided by sqrt 2, has eigenvalue density
proportional to prod_{i<j} |l_i - l_j|^beta exp(-sum l_i^2 / 2): for beta = 1, 2, 4 the
spectra of GOE, GUE, GSE (each GSE level once, no Kramers doubling).  Its semicircle has
radius sqrt(2 beta n); we multiply by sqrt(2 / (beta n)) ("wigner" scale: semicircle on
[-2, 2], i.e. variance 1, the convention of complexity.rmt.goe's "wigner" scale for beta = 1)
or by sqrt(1 / (beta n)) ("abc" scale: [-sqrt 2, sqrt 2]).  One sample of n = 10^5 costs one
call of scipy.linalg.eigvalsh_tridiagonal (LAPACK sterf, root-free QR: O(n^2) per sample), so
10^5 eigenvalues are cheapest as many samples of moderate n (100 x 1000), not one of n = 10^5.

Poisson levels: the cumulative sums of iid Exp(1) spacings (unit mean spacing: already unfolded).
"""

from __future__ import annotations

import math

import numpy as np
from scipy.linalg import eigvalsh_tridiagonal

from complexity._validate import check_int, check_real

__all__ = ["SCALES", "sample_beta_ensemble", "sample_goe", "sample_gue", "sample_gse", "sample_poisson"]

#: the normalisations of :func:`sample_beta_ensemble`: name -> factor multiplying sqrt(1/(beta n))
SCALES = {"wigner": math.sqrt(2.0), "abc": 1.0}


def sample_beta_ensemble(n: int, beta: float, samples: int = 1, *, seed=None, scale: str = "wigner") -> np.ndarray:
    """Sorted eigenvalues, shape ``(samples, n)``, of the Dumitriu-Edelman tridiagonal beta-ensemble.

    ``beta`` > 0 (1, 2, 4: GOE, GUE, GSE); ``scale`` "wigner" (semicircle on [-2, 2]) or
    "abc" ([-sqrt 2, sqrt 2]).
    """
    n = check_int("n", n, minimum=2)
    beta = check_real("beta", beta, lower=0.0, lower_open=True)
    samples = check_int("samples", samples, minimum=1)
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {tuple(SCALES)}, got {scale!r}")
    rng = np.random.default_rng(seed)
    factor = SCALES[scale] / math.sqrt(beta * n)
    dof = beta * np.arange(n - 1, 0, -1)
    out = np.empty((samples, n))
    for k in range(samples):
        d = rng.standard_normal(n) * math.sqrt(2.0)
        e = np.sqrt(rng.chisquare(dof))
        out[k] = eigvalsh_tridiagonal(d / math.sqrt(2.0) * factor, e / math.sqrt(2.0) * factor, check_finite=False, lapack_driver="sterf")
    return out


def sample_goe(n: int, samples: int = 1, *, seed=None, scale: str = "wigner") -> np.ndarray:
    """GOE spectra by the tridiagonal model (beta = 1)."""
    return sample_beta_ensemble(n, 1, samples, seed=seed, scale=scale)


def sample_gue(n: int, samples: int = 1, *, seed=None, scale: str = "wigner") -> np.ndarray:
    """GUE spectra by the tridiagonal model (beta = 2)."""
    return sample_beta_ensemble(n, 2, samples, seed=seed, scale=scale)


def sample_gse(n: int, samples: int = 1, *, seed=None, scale: str = "wigner") -> np.ndarray:
    """GSE spectra by the tridiagonal model (beta = 4), each Kramers pair counted once."""
    return sample_beta_ensemble(n, 4, samples, seed=seed, scale=scale)


def sample_poisson(n: int, samples: int = 1, *, seed=None) -> np.ndarray:
    """Poisson spectra, shape ``(samples, n)``: cumulative sums of iid Exp(1) spacings."""
    n = check_int("n", n, minimum=2)
    samples = check_int("samples", samples, minimum=1)
    rng = np.random.default_rng(seed)
    return np.cumsum(rng.exponential(1.0, size=(samples, n)), axis=1)
