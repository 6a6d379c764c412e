r"""The Gaussian Orthogonal Ensemble: conventions, sampler, semicircle law,
log-potential and edge large-deviation rate.

Conventions (a named, tested choice: see ``GOE_SCALES``)
--------------------------------------------------------
``"abc"`` (the default, Auffinger-Ben Arous-Cerny 2013 and the GAN paper's code):
    real symmetric N x N, off-diagonal entries N(0, 1/(2N)), diagonal N(0, 1/N).
    The spectrum fills the semicircle on [-sqrt(2), sqrt(2)].
``"wigner"``: off-diagonal N(0, 1/N), diagonal N(0, 2/N); semicircle on [-2, 2].
``"unscaled"``: off-diagonal N(0, 1/2), diagonal N(0, 1); semicircle on [-sqrt(2N), sqrt(2N)].

All three have matrix density proportional to ``exp(-tr(M^2) / (4 v))`` with
``v`` the off-diagonal variance, so ``"abc"`` eigenvalues have joint density
proportional to ``prod |l_i - l_j| exp(-N sum l_i^2 / 2)``.

Formulas (semicircle of radius R, default R = sqrt(2))
------------------------------------------------------
* density  rho(x) = 2 sqrt(R^2 - x^2) / (pi R^2)
* log-potential  Phi(x) = int log|x - l| rho(l) dl.  For R = sqrt(2):
  Phi(x) = x^2/2 - 1/2 - log(2)/2 for |x| <= sqrt(2), minus J(x) outside,
  and Phi_R(x) = Phi(sqrt(2) x / R) + log(R / sqrt(2)).
* edge rate  J(x) = (|x|/2) sqrt(x^2 - 2) - log((|x| + sqrt(x^2 - 2)) / sqrt(2))
  = int_{sqrt 2}^{|x|} sqrt(y^2 - 2) dy  (|x| >= sqrt 2; 0 inside), the speed-N
  large-deviation rate of the extreme eigenvalue at x; J_R(x) = J(sqrt(2) x / R).
"""

from __future__ import annotations

import math

import mpmath
import numba
import numpy as np

from complexity._validate import check_int, check_real
from complexity.spectra.semicircle import Semicircle, edge_rate_sqrt2

__all__ = [
    "GOE_SCALES",
    "offdiagonal_variance",
    "semicircle_radius",
    "sample_goe",
    "goe_eigenvalues",
    "semicircle_measure",
    "semicircle_density",
    "log_potential",
    "edge_rate",
    "log_potential_mp",
    "edge_rate_mp",
]

SQRT2 = math.sqrt(2.0)

#: the GOE normalisations the package knows, by name
GOE_SCALES = ("abc", "wigner", "unscaled")


def offdiagonal_variance(n: int, scale: str = "abc") -> float:
    """Variance of an off-diagonal entry of GOE_n in the named convention."""
    n = check_int("n", n, minimum=1)
    if scale == "abc":
        return 1.0 / (2 * n)
    if scale == "wigner":
        return 1.0 / n
    if scale == "unscaled":
        return 0.5
    raise ValueError(f"scale must be one of {GOE_SCALES}, got {scale!r}")


def semicircle_radius(n: int = 1, scale: str = "abc") -> float:
    """Edge of the limiting semicircle, ``2 sqrt(n v)`` with ``v`` the off-diagonal variance."""
    return 2.0 * math.sqrt(n * offdiagonal_variance(n, scale))


def sample_goe(n: int, size: int | None = None, *, seed=None, scale: str = "abc") -> np.ndarray:
    """Sample GOE_n matrices (shape ``(n, n)`` or ``(size, n, n)``), seeded.

    ``seed`` is anything :func:`numpy.random.default_rng` accepts.
    """
    n = check_int("n", n, minimum=1)
    v = offdiagonal_variance(n, scale)
    rng = np.random.default_rng(seed)
    shape = (n, n) if size is None else (check_int("size", size, minimum=1), n, n)
    a = rng.standard_normal(shape)
    # A + A^T has off-diagonal variance 2 and diagonal variance 4
    return (a + np.swapaxes(a, -1, -2)) * math.sqrt(v / 2.0)


def goe_eigenvalues(n: int, size: int, *, seed=None, scale: str = "abc") -> np.ndarray:
    """Sorted eigenvalues of ``size`` sampled GOE_n matrices, shape ``(size, n)``."""
    return np.linalg.eigvalsh(sample_goe(n, size, seed=seed, scale=scale))


def _radius(radius) -> float:
    return SQRT2 if radius is None else check_real("radius", radius, lower=0.0, lower_open=True)


def semicircle_measure(radius=None):
    """The semicircle of radius R (sqrt 2 by default) as a :class:`complexity.spectra.SpectralMeasure`."""
    return Semicircle(_radius(radius), scale="abc" if radius is None else "none")


def semicircle_density(x, radius=None):
    """Semicircle density ``2 sqrt(R^2 - x^2) / (pi R^2)`` (R = sqrt 2 by default)."""
    return semicircle_measure(radius).density(x)


@numba.njit(cache=True)
def edge_rate_scalar(x, radius):
    """J_R(x) and dJ_R/dx at one point (numba; 0 and 0 inside the bulk): the kernels' version
    of :func:`edge_rate`, J_R(x) = J(sqrt2 x / R), J'(y) = sign(y) sqrt(y^2 - 2)."""
    y = x * SQRT2 / radius
    a = abs(y)
    if a <= SQRT2:
        return 0.0, 0.0
    s = math.sqrt((a - SQRT2) * (a + SQRT2))
    return edge_rate_sqrt2(a), math.copysign(s, y) * SQRT2 / radius


def edge_rate(x, radius=None):
    """Large-deviation rate J_R(x) of the extreme eigenvalue at x (0 inside the bulk)."""
    return semicircle_measure(radius).edge_rate(x)


def log_potential(x, radius=None):
    """Log-potential Phi_R(x) = int log|x - l| d mu_sc(l) of the semicircle of radius R."""
    return semicircle_measure(radius).log_potential(x)


def edge_rate_mp(x, radius=None, dps: int = 50):
    """mpmath J_R(x) at ``dps`` decimal digits (closed form)."""
    with mpmath.workdps(dps + 10):
        r = mpmath.sqrt(2) if radius is None else mpmath.mpf(radius)
        y = abs(mpmath.mpf(x)) * mpmath.sqrt(2) / r
        if y <= mpmath.sqrt(2):
            out = mpmath.mpf(0)
        else:
            s = mpmath.sqrt(y * y - 2)
            out = y * s / 2 - mpmath.log((y + s) / mpmath.sqrt(2))
    with mpmath.workdps(dps):
        return +out


def log_potential_mp(x, radius=None, dps: int = 50):
    """mpmath Phi_R(x) at ``dps`` decimal digits (closed form)."""
    with mpmath.workdps(dps + 10):
        r = mpmath.sqrt(2) if radius is None else mpmath.mpf(radius)
        y = mpmath.mpf(x) * mpmath.sqrt(2) / r
        out = y * y / 2 - mpmath.mpf(1) / 2 - mpmath.log(2) / 2 - edge_rate_mp(y, dps=dps + 10)
        out += mpmath.log(r / mpmath.sqrt(2))
    with mpmath.workdps(dps):
        return +out
