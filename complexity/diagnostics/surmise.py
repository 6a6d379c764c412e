r"""Spacing-ratio and spacing surmises of the Gaussian ensembles, and Poisson.

Spacing ratios (Oganesyan-Huse 2007; Atas-Bogomolny-Giraud-Roux 2013)
--------------------------------------------------------------------
For ordered levels l_1 < l_2 < ..., spacings s_n = l_{n+1} - l_n, the ratio
r_n = s_n / s_{n-1} and r~_n = min(r_n, 1/r_n) in [0, 1].  Neither needs unfolding.

* Surmise (Atas et al. 2013, eq. 7, from 3 x 3 matrices):
  P_beta(r) = (r + r^2)^beta / (Z_beta (1 + r + r^2)^(1 + 3 beta / 2)),  r in (0, inf),
  Z_1 = 8/27, Z_2 = 4 pi / (81 sqrt 3), Z_4 = 4 pi / (729 sqrt 3).
  P_beta(r) dr is invariant under r -> 1/r, so r~ has density 2 P_beta(r) on [0, 1].
  <r~> of the surmise: 4 - 2 sqrt 3 (beta = 1), 2 sqrt 3 / pi - 1/2 (beta = 2),
  32 sqrt 3 / (15 pi) - 1/2 (beta = 4).
* Poisson (independent levels): P(r) = 1 / (1 + r)^2, r~ has cdf 2x / (1 + x),
  <r~> = 2 log 2 - 1 (exact, no surmise involved).
* Large N (Atas et al. 2013, Table I, numerics on N = 1000 matrices, last digit uncertain):
  <r~> = 0.5307(1), 0.5996(1), 0.6744(1) for beta = 1, 2, 4.  The surmise is off in the
  third digit, so a test must say which value it compares against.
* The family is extended to any real beta >= 0 by computing Z_beta by quadrature; that is
  the family over which :func:`complexity.diagnostics.local.fit_beta` maximises the
  likelihood.

Unfolded spacings (Wigner surmises, from 2 x 2 matrices; Mehta's book, ch. 1)
-----------------------------------------------------------------------------
P_1(s) = (pi/2) s exp(-pi s^2/4), P_2(s) = (32/pi^2) s^2 exp(-4 s^2/pi),
P_4(s) = (2^18 / (3^6 pi^3)) s^4 exp(-64 s^2 / (9 pi)); Poisson exp(-s).  Each has mean 1.
"""

from __future__ import annotations

import functools
import math

import numpy as np
from scipy import integrate
from scipy.interpolate import CubicHermiteSpline

from complexity._validate import check_array, check_real

__all__ = [
    "BETAS",
    "LARGE_N_MEAN_R_TILDE",
    "check_beta",
    "normalisation",
    "ratio_pdf",
    "r_tilde_pdf",
    "r_tilde_cdf",
    "mean_r_tilde",
    "mean_r_tilde_large_n",
    "wigner_surmise",
    "wigner_surmise_cdf",
]

#: the symmetry classes with a surmise, and "poisson"
BETAS = (1, 2, 4, "poisson")

#: large-N <r~> with its uncertainty and source
LARGE_N_MEAN_R_TILDE = {
    1: (0.5307, 0.0001),
    2: (0.5996, 0.0001),
    4: (0.6744, 0.0001),
}
LARGE_N_SOURCE = (
    "Atas, Bogomolny, Giraud, Roux, Phys. Rev. Lett. 110, 084101 (2013), Table I "
    "(numerics at N = 1000; the uncertainty is one unit of the last digit)"
)

_Z_CLOSED = {1: 8.0 / 27.0, 2: 4.0 * math.pi / (81.0 * math.sqrt(3.0)), 4: 4.0 * math.pi / (729.0 * math.sqrt(3.0))}
_MEAN_CLOSED = {
    1: 4.0 - 2.0 * math.sqrt(3.0),
    2: 2.0 * math.sqrt(3.0) / math.pi - 0.5,
    4: 32.0 * math.sqrt(3.0) / (15.0 * math.pi) - 0.5,
    "poisson": 2.0 * math.log(2.0) - 1.0,
}


def check_beta(beta, *, allow_poisson: bool = True):
    """``beta`` as 1, 2, 4 (int) or ``"poisson"``; else ``ValueError`` naming beta."""
    if allow_poisson and isinstance(beta, str) and beta.strip().lower() == "poisson":
        return "poisson"
    allowed = "1, 2, 4 or 'poisson'" if allow_poisson else "1, 2 or 4"
    try:
        b = float(beta)
    except (TypeError, ValueError):
        raise ValueError(f"beta must be one of {allowed}, got {beta!r}") from None
    if b not in (1.0, 2.0, 4.0):
        raise ValueError(f"beta must be one of {allowed}, got {beta!r}")
    return int(b)


def _unnormalised(r, beta: float):
    r = np.asarray(r, dtype=float)
    return (r + r * r) ** beta / (1.0 + r + r * r) ** (1.0 + 1.5 * beta)


@functools.lru_cache(maxsize=256)
def _z_quad(beta: float) -> float:
    # Z_beta = 2 int_0^1 (symmetry r -> 1/r); substitute r = u^2 so that r^beta is smooth at 0
    val, _ = integrate.quad(lambda u: 2.0 * u * _unnormalised(u * u, beta), 0.0, 1.0, epsabs=0, epsrel=1e-13, limit=200)
    return 2.0 * val


def normalisation(beta) -> float:
    """Z_beta of the ratio surmise: closed form for beta = 1, 2, 4, quadrature for other real beta >= 0."""
    if beta in _Z_CLOSED:
        return _Z_CLOSED[beta]
    b = check_real("beta", beta, lower=0.0)
    return _z_quad(b)


def ratio_pdf(r, beta):
    """P_beta(r) on r >= 0 (``beta`` = 1, 2, 4, any real >= 0, or ``"poisson"``: 1/(1 + r)^2)."""
    r = check_array("r", r, lower=0.0)
    if isinstance(beta, str):
        check_beta(beta)
        return 1.0 / (1.0 + r) ** 2
    return _unnormalised(r, float(beta)) / normalisation(beta)


def r_tilde_pdf(x, beta):
    """Density of r~ = min(r, 1/r) on [0, 1]: 2 P_beta(x) (0 outside [0, 1])."""
    x = check_array("x", x)
    inside = (x >= 0) & (x <= 1)
    out = np.zeros_like(x)
    out[inside] = 2.0 * ratio_pdf(x[inside], beta)
    return out


@functools.lru_cache(maxsize=8)
def _cdf_table(beta: int):
    # cumulative integral of 2 P_beta on a grid by Gauss-Legendre per panel (exact to rounding:
    # the integrand is a smooth rational function for integer beta), then a cubic Hermite spline
    # with the exact pdf as slopes: interpolation error ~ h^4 max|f'''| / 384 < 1e-12 at 1024 panels
    k = 1024
    grid = np.linspace(0.0, 1.0, k + 1)
    t, w = np.polynomial.legendre.leggauss(12)
    a, b = grid[:-1, None], grid[1:, None]
    nodes = 0.5 * (b - a) * t[None, :] + 0.5 * (a + b)
    panel = 0.5 * (b - a)[:, 0] * (2.0 * ratio_pdf(nodes.ravel(), beta).reshape(nodes.shape) @ w)
    cum = np.concatenate([[0.0], np.cumsum(panel)])
    cum /= cum[-1]
    return CubicHermiteSpline(grid, cum, 2.0 * ratio_pdf(grid, beta))


def r_tilde_cdf(x, beta):
    """Cdf of r~ under the surmise (or Poisson: 2x / (1 + x)), clipped to [0, 1] outside [0, 1]."""
    beta = check_beta(beta)
    x = np.clip(check_array("x", x), 0.0, 1.0)
    if beta == "poisson":
        return 2.0 * x / (1.0 + x)
    return np.clip(_cdf_table(beta)(x), 0.0, 1.0)


def mean_r_tilde(beta) -> float:
    """<r~> of the surmise (closed form for 1, 2, 4; quadrature for other real beta), or of Poisson."""
    if isinstance(beta, str):
        return _MEAN_CLOSED[check_beta(beta)]
    if beta in (1, 2, 4):
        return _MEAN_CLOSED[int(beta)]
    b = check_real("beta", beta, lower=0.0)
    val, _ = integrate.quad(lambda u: 2.0 * u * u * u * _unnormalised(u * u, b), 0.0, 1.0, epsabs=0, epsrel=1e-12)
    return 2.0 * val / normalisation(b)


def mean_r_tilde_large_n(beta):
    """Large-N <r~> for beta = 1, 2, 4 as ``(value, uncertainty, source)``; ``None`` for Poisson
    (where 2 log 2 - 1 is exact at every N)."""
    beta = check_beta(beta)
    if beta == "poisson":
        return None
    v, u = LARGE_N_MEAN_R_TILDE[beta]
    return v, u, LARGE_N_SOURCE


_WIGNER = {
    1: (math.pi / 2.0, 1, math.pi / 4.0),
    2: (32.0 / math.pi**2, 2, 4.0 / math.pi),
    4: (2.0**18 / (3.0**6 * math.pi**3), 4, 64.0 / (9.0 * math.pi)),
}


def wigner_surmise(s, beta=1):
    """Wigner surmise of unfolded nearest-neighbour spacings: a_beta s^beta exp(-b_beta s^2), or exp(-s)."""
    beta = check_beta(beta)
    s = check_array("s", s)
    out = np.zeros_like(s)
    pos = s >= 0
    if beta == "poisson":
        out[pos] = np.exp(-s[pos])
        return out
    a, k, b = _WIGNER[beta]
    out[pos] = a * s[pos] ** k * np.exp(-b * s[pos] ** 2)
    return out


def wigner_surmise_cdf(s, beta=1):
    """Cdf of :func:`wigner_surmise` (closed form via the regularised incomplete gamma function)."""
    from scipy.special import gammainc

    beta = check_beta(beta)
    s = np.clip(check_array("s", s), 0.0, None)
    if beta == "poisson":
        return -np.expm1(-s)
    _, k, b = _WIGNER[beta]
    return gammainc((k + 1) / 2.0, b * s * s)
