r"""The semicircle law (the GOE's limiting spectral measure), in closed form.

Scale: ``semicircle(variance=v, scale="wigner")`` is the law of a Wigner matrix with
off-diagonal entries of variance ``v / N`` (semicircle of variance ``v``, radius ``2 sqrt v``);
``scale="abc"`` is the same matrix divided by sqrt 2 (variance ``v / 2``; ``v = 1`` gives the
ABC GOE on ``[-sqrt 2, sqrt 2]``).  ``radius=R`` fixes the radius directly.

Closed forms (radius R):
* density ``rho(x) = 2 sqrt(R^2 - x^2) / (pi R^2)``
* Stieltjes ``m(z) = (2 / R^2) (z - sqrt(z - R) sqrt(z + R)) = 2 / (z + sqrt(z - R) sqrt(z + R))``
  (product of principal roots: the physical branch on the whole plane off ``[-R, R]``; the
  second form has no cancellation at large ``|z|``), ``m'(z) = -m(z) / (sqrt(z - R) sqrt(z + R))``
* log-potential ``Phi_R(x) = Phi(sqrt2 x / R) + log(R / sqrt2)`` with
  ``Phi(y) = y^2/2 - 1/2 - log(2)/2 - J(y)``, ``J`` the edge rate below
* moments: odd 0, ``m_2k = Catalan(k) (R/2)^(2k)``
* GOE large deviations of the extreme eigenvalue (speed N):
  ``J_R(x) = J(sqrt2 x / R)``, ``J(y) = (|y|/2) sqrt(y^2 - 2) - log((|y| + sqrt(y^2 - 2))/sqrt2)``;
  invariant potential ``V(x) = 2 x^2 / R^2`` (eigenvalue law
  ``prod|l_i - l_j| exp(-(N/2) sum V(l_i))``).
"""

from __future__ import annotations

import math

import numba
import numpy as np

from complexity._validate import check_array, check_real
from complexity.spectra._base import SCALES, SpectralMeasure

__all__ = ["Semicircle", "semicircle", "edge_rate_unit", "edge_rate_gap", "edge_rate_gaps", "edge_rate_sqrt2"]

SQRT2 = math.sqrt(2.0)
#: the variance of a scale's semicircle relative to the "wigner" one (SCALES[scale]^2, exactly)
_VARIANCE_FACTOR = {"wigner": 1.0, "abc": 0.5}


#: below this distance to the edge, J is summed from its series (no cancellation)
_SERIES_BELOW = 0.25


#: sqrt 2 - float(sqrt 2): the gap to the edge is formed in double-double precision
SQRT2_LO = -9.667293313452913e-17


@numba.njit(cache=True)
def edge_rate_gap(d):
    """J at distance ``d = a - sqrt2 >= 0`` outside the edge of the R = sqrt 2 semicircle.

    Closed form ``(a/2) sqrt(a^2 - 2) - log((a + sqrt(a^2 - 2))/sqrt2)``: its two terms are
    O(sqrt d) and cancel to O(d^(3/2)), so next to the edge it keeps no correct digits.
    There ``J = int_0^d sqrt(s (2 sqrt2 + s)) ds`` is summed as
    ``sqrt(2 sqrt2) d^(3/2) sum_n binom(1/2, n) w^n / (n + 3/2)``, ``w = d / (2 sqrt2)``
    (alternating; at most ~40 terms to 1e-18 relative for d < 1/4).
    """
    if d <= 0.0:
        return 0.0
    if d < _SERIES_BELOW:
        w = d / (2.0 * SQRT2)
        coef = 1.0
        total = 0.0
        for n in range(80):
            term = coef / (n + 1.5)
            total += term
            if abs(term) < 1e-18 * abs(total):
                break
            coef *= (0.5 - n) / (n + 1.0) * w
        return math.sqrt(2.0 * SQRT2) * d * math.sqrt(d) * total
    a = SQRT2 + d
    s = math.sqrt(d * (a + SQRT2))
    return 0.5 * a * s - math.log1p((d + s) / SQRT2)


@numba.njit(cache=True)
def edge_rate_sqrt2(a):
    """J(a) for R = sqrt 2 at one point ``a >= 0`` (0 inside the bulk); the gap to the edge is
    ``(a - fl(sqrt2)) - (sqrt2 - fl(sqrt2))`` (exact subtraction, then the tail of sqrt 2)."""
    return edge_rate_gap((a - SQRT2) - SQRT2_LO)


@numba.njit(cache=True)
def _edge_rate_gaps(d, out):
    for i in range(d.size):
        out[i] = edge_rate_gap(d[i])


def edge_rate_gaps(d) -> np.ndarray:
    """:func:`edge_rate_gap` over an array of gaps (0 where the gap is <= 0)."""
    d = np.ascontiguousarray(np.asarray(d, float)).ravel()
    out = np.empty_like(d)
    _edge_rate_gaps(d, out)
    return out


@numba.njit(cache=True)
def _edge_rate_many(a, out):
    for i in range(a.size):
        out[i] = edge_rate_sqrt2(abs(a[i]))


def edge_rate_unit(y: np.ndarray) -> np.ndarray:
    """J for R = sqrt 2 at |y| (0 inside the bulk), accurate to round-off relative to J itself
    (series next to the edge, :func:`edge_rate_sqrt2`)."""
    a = np.ascontiguousarray(np.abs(np.asarray(y, float))).ravel()
    out = np.empty_like(a)
    _edge_rate_many(a, out)
    return out.reshape(np.shape(y))


class Semicircle(SpectralMeasure):
    """The semicircle law of radius ``R`` (variance ``R^2 / 4``)."""

    name = "semicircle"

    def __init__(self, radius: float, *, scale: str = "wigner", params=None):
        super().__init__(scale=scale, params=params or {"radius": radius})
        self.radius = check_real("radius", radius, lower=0.0, lower_open=True)
        r = self.radius
        self.potential = lambda x: 2.0 * np.asarray(x, float) ** 2 / (r * r)

    def _support(self):
        return [(-self.radius, self.radius)]

    def _stieltjes_upper(self, z):
        r = self.radius
        return 2.0 / (z + np.sqrt(z - r) * np.sqrt(z + r))

    def _stieltjes_real(self, x):
        return self._stieltjes_upper(np.asarray(x, float) + 0j)

    def _stieltjes_derivative(self, z, dist, h):
        """``m'(z) = -m(z) / (sqrt(z - R) sqrt(z + R))`` (closed form; ``h`` unused)."""
        r = self.radius
        root = np.sqrt(z - r) * np.sqrt(z + r)
        return -2.0 / ((z + root) * root)

    def _density(self, x):
        r = self.radius
        return 2.0 * np.sqrt(np.clip(r * r - x * x, 0.0, None)) / (math.pi * r * r)

    def _log_potential(self, x):
        r = self.radius
        y = np.asarray(x, float) * (SQRT2 / r)
        return 0.5 * y * y - 0.5 - 0.5 * math.log(2.0) - edge_rate_unit(y) + math.log(r / SQRT2)

    def _moments(self, k):
        h = (self.radius / 2.0) ** 2
        return [0.0 if j % 2 else math.comb(j, j // 2) / (j // 2 + 1) * h ** (j // 2) for j in range(1, k + 1)]

    def cdf(self, x):
        y = np.clip(check_array("x", x) / self.radius, -1.0, 1.0)
        return 0.5 + (y * np.sqrt(1.0 - y * y) + np.arcsin(y)) / math.pi

    def edge_rate(self, x) -> np.ndarray:
        """GOE large-deviation rate (speed N) of the extreme eigenvalue at x: ``J_R(x)``."""
        x = check_array("x", x)
        return edge_rate_unit(x * (SQRT2 / self.radius)).reshape(x.shape)

    def _sample_matrices(self, n, samples, rng):
        a = rng.standard_normal((samples, n, n))
        # A + A^T: off-diagonal variance 2; scaled to off-diagonal variance R^2 / (4n)
        return (a + np.swapaxes(a, -1, -2)) * (self.radius / (2.0 * math.sqrt(2.0 * n)))


def semicircle(variance: float = 1.0, *, radius: float | None = None, scale: str = "wigner") -> Semicircle:
    """The semicircle law of a Wigner matrix with off-diagonal variance ``variance / N``, in the
    named ``scale`` (``"wigner"``: radius ``2 sqrt(variance)``; ``"abc"``: divided by sqrt 2), or
    of the given ``radius``."""
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {tuple(SCALES)}, got {scale!r}")
    if radius is None:
        variance = check_real("variance", variance, lower=0.0, lower_open=True)
        radius = 2.0 * math.sqrt(variance * _VARIANCE_FACTOR[scale])  # abc, v = 1: exactly 2 sqrt(1/2)
        params = {"variance": variance}
    else:
        radius = check_real("radius", radius, lower=0.0, lower_open=True)
        params = {"radius": radius}
    return Semicircle(radius, scale=scale, params=params)
