r"""Mixed spherical spin glasses (Auffinger-Ben Arous 2013): total and index-resolved complexity.

Model: ``E[H(s) H(s')] = N xi(s.s'/N)``, ``xi(R) = sum_p beta_p^2 R^p`` (p >= 2), on the
sphere of radius sqrt(N); energies per spin ``u = H/N``.

The variational formula (derived in :mod:`complexity.symbolic.kac_rice`, printed into
the generated module, checks in ``complexity verify``): with ``t = y / sqrt(2 xi'')``,

    S(u, y) = 1/2 + log(2 xi''/xi')/2 - u^2/(2 xi) - (y - u xi'/xi)^2 / (2 alpha^2) + Phi(t),
    alpha^2 = xi'' + xi' - xi'^2/xi,
    Theta(u)   = sup_{u' <= u} sup_y S(u', y),
    Theta_k(u) = sup_{u' <= u} sup_{y : t <= -sqrt 2} [S(u', y) - k J(t)].

``y`` is the radial term ``s.grad H / N`` (Gaussian given u unless the model is pure,
where alpha = 0 and ``y = p u``: single-term mixtures are evaluated with the pure
formulas).  S is strictly concave in y (2 xi'' > alpha^2), and jointly concave in
(u, y) when xi'' > xi' (any mixture with a term p >= 3), so every supremum here is a
one-dimensional concave problem: the maximising y solves dS/dy = 0 by bisection, and
``sup_{u' <= u}`` is attained at ``min(u, u*)`` with u* the maximiser in u (0 for the
total complexity, by the symmetry (u, y) -> (-u, -y)).

Thresholds: ``E_inf = (xi/xi')(xi'' - xi' + xi'^2/xi)/sqrt(xi'')`` (the energy -u at which
the maximising t reaches the bulk edge; pure: 2 sqrt((p-1)/p)), and ``E_k`` the root of
``Theta_k(-E_k) = 0``.
"""

from __future__ import annotations

import dataclasses
import math

import mpmath
import numba
import numpy as np
from scipy.optimize import brentq

from complexity._generated import kac_rice as G
from complexity._validate import check_array, check_int, check_real
from complexity.models import pspin

__all__ = ["Mixture", "theta", "e_inf", "threshold"]

_SQRT2 = math.sqrt(2.0)


@dataclasses.dataclass(frozen=True)
class Mixture:
    """``xi(R) = sum_p beta_p^2 R^p`` as sorted ``((p, beta_p^2), ...)`` pairs."""

    terms: tuple

    def __post_init__(self):
        items = self.terms.items() if isinstance(self.terms, dict) else self.terms
        clean = {}
        for p, b2 in items:
            p = check_int("p (a mixture exponent)", p, minimum=2)
            b2 = check_real(f"beta_{p}^2", b2, lower=0.0)
            clean[p] = clean.get(p, 0.0) + b2
        clean = {p: b2 for p, b2 in clean.items() if b2 > 0}
        if not clean:
            raise ValueError("terms must contain at least one beta_p^2 > 0")
        object.__setattr__(self, "terms", tuple(sorted(clean.items())))

    @classmethod
    def pure(cls, p: int) -> "Mixture":
        return cls(((p, 1.0),))

    @property
    def xi(self) -> float:
        return float(sum(b2 for _, b2 in self.terms))

    @property
    def dxi(self) -> float:
        return float(sum(p * b2 for p, b2 in self.terms))

    @property
    def d2xi(self) -> float:
        return float(sum(p * (p - 1) * b2 for p, b2 in self.terms))

    @property
    def is_pure(self) -> bool:
        return len(self.terms) == 1

    def _derivs_mp(self):
        xi = mpmath.fsum(mpmath.mpf(b2) for _, b2 in self.terms)
        dxi = mpmath.fsum(p * mpmath.mpf(b2) for p, b2 in self.terms)
        d2 = mpmath.fsum(p * (p - 1) * mpmath.mpf(b2) for p, b2 in self.terms)
        return xi, dxi, d2


# ---------------------------------------------------------------------------- kernels
def _make_kernels(ctx):
    """The algorithm, written once for a numeric context: ``"float"`` (numba) or ``"mp"``."""
    if ctx == "float":
        jit = numba.njit
        phi, gauss, rate, jrate = (jit(G.goe_log_potential), jit(G.mixed_gaussian_rate),
                                   jit(G.mixed_prefactor_rate), jit(G.goe_edge_rate))
        sqrt, sqrt2, iters = math.sqrt, _SQRT2, 200
    else:
        def jit(f):
            return f

        phi, gauss, rate, jrate = G.goe_log_potential_mp, G.mixed_gaussian_rate_mp, G.mixed_prefactor_rate_mp, \
            G.goe_edge_rate_mp
        sqrt, sqrt2, iters = mpmath.sqrt, mpmath.sqrt(2), int(3.4 * mpmath.mp.dps) + 60

    @jit
    def slope(u, y, k, xi0, xi1, xi2, alpha2):
        """dS/dy - k dJ/dy (the J term only where t < -sqrt 2)."""
        c = sqrt(2 * xi2)
        t = y / c
        if t > sqrt2:
            dphi = t - sqrt(t * t - 2)
        elif t < -sqrt2:
            dphi = t + (k + 1) * sqrt(t * t - 2)
        else:
            dphi = t
        return -(y - u * xi1 / xi0) / alpha2 + dphi / c

    @jit
    def inner(u, k, capped, xi0, xi1, xi2, alpha2):
        """sup over y (with t <= -sqrt 2 when capped) of S(u, y) - k J(t)."""
        c = sqrt(2 * xi2)
        centre = u * xi1 / xi0
        width = 10 * (1 + abs(centre)) + 10 * (alpha2 + 1) * (1 + abs(u)) + 20 * c
        lo, hi = centre - width, centre + width
        for _ in range(60):  # make sure the bracket holds the root
            if slope(u, lo, k, xi0, xi1, xi2, alpha2) > 0:
                break
            lo -= width
        for _ in range(60):
            if slope(u, hi, k, xi0, xi1, xi2, alpha2) < 0:
                break
            hi += width
        for _ in range(iters):
            mid = (lo + hi) / 2
            if slope(u, mid, k, xi0, xi1, xi2, alpha2) > 0:
                lo = mid
            else:
                hi = mid
        y = (lo + hi) / 2
        if capped and y > -sqrt2 * c:
            y = -sqrt2 * c
        t = y / c
        return rate(xi1, xi2) + gauss(u, y, xi0, xi1, xi2) + phi(t) - k * jrate(t)

    return inner


_inner_float = None


def _float_inner():
    global _inner_float
    if _inner_float is None:
        _inner_float = _make_kernels("float")
    return _inner_float


def _u_star(f, lo, hi, tol):
    """Maximiser of a concave function on [lo, hi] by golden-section search."""
    g = (math.sqrt(5) - 1) / 2
    a, b = lo, hi
    c, d = b - g * (b - a), a + g * (b - a)
    fc, fd = f(c), f(d)
    while b - a > tol:
        if fc < fd:
            a, c, fc = c, d, fd
            d = a + g * (b - a)
            fd = f(d)
        else:
            b, d, fd = d, c, fc
            c = b - g * (b - a)
            fc = f(c)
    return (a + b) / 2


def _check_mixture(mixture) -> Mixture:
    if isinstance(mixture, Mixture):
        return mixture
    return Mixture(mixture)


def theta(u, mixture, k: int | None = None, dps: int | None = None):
    """Theta(u) (``k=None``) or Theta_k(u) of a mixture, vectorised over u (or mpmath with ``dps``)."""
    mix = _check_mixture(mixture)
    kk = None if k is None else check_int("k", k, minimum=0)
    if mix.is_pure:
        return pspin.theta(u, mix.terms[0][0], kk, dps=dps) if dps is None else _pure_mp(u, mix, kk, dps)
    if dps is not None:
        dps = check_int("dps", dps, minimum=5, maximum=2000)
        with mpmath.workdps(dps + 15):
            inner = _make_kernels("mp")
            xi0, xi1, xi2 = mix._derivs_mp()
            a2 = G.mixed_alpha2_mp(xi0, xi1, xi2)
            uu = mpmath.mpf(check_real("u", u))
            kval = 0 if kk is None else kk
            if kk is None:  # the total complexity peaks at u* = 0 exactly (symmetry)
                u_star = mpmath.mpf(0)
            else:
                u_star = _refine_u_star_mp(inner, kval, xi0, xi1, xi2, a2, _argmax_u(mix, kk))
            val = inner(min(uu, u_star), kval, kk is not None, xi0, xi1, xi2, a2)
        with mpmath.workdps(dps):
            return +val
    a = np.atleast_1d(check_array("u", u))
    inner = _float_inner()
    xi0, xi1, xi2 = mix.xi, mix.dxi, mix.d2xi
    a2 = G.mixed_alpha2(xi0, xi1, xi2)
    top = _argmax_u(mix, kk)
    kval = 0 if kk is None else kk
    out = np.array([inner(min(x, top), kval, kk is not None, xi0, xi1, xi2, a2) for x in a.ravel()])
    return out.reshape(np.shape(u)) if np.ndim(u) else float(out[0])


def _argmax_u(mix: Mixture, k) -> float:
    """u* = argmax_u sup_y [...]: 0 for the total complexity, golden section for index k."""
    if k is None:
        return 0.0
    inner = _float_inner()
    xi0, xi1, xi2 = mix.xi, mix.dxi, mix.d2xi
    a2 = G.mixed_alpha2(xi0, xi1, xi2)
    span = 10.0 * (1.0 + G.mixed_e_inf(xi0, xi1, xi2))
    return _u_star(lambda x: inner(x, k, True, xi0, xi1, xi2, a2), -span, span, 1e-13)


def _refine_u_star_mp(inner, k, xi0, xi1, xi2, a2, guess):
    """u* at high precision: the stationary point of the concave value function (secant on a
    central difference), started from the double-precision maximiser."""
    h = mpmath.mpf(10) ** (-(mpmath.mp.dps // 3))

    def d(x):
        return (inner(x + h, k, True, xi0, xi1, xi2, a2) - inner(x - h, k, True, xi0, xi1, xi2, a2)) / (2 * h)

    try:
        return mpmath.findroot(d, (mpmath.mpf(guess), mpmath.mpf(guess) + mpmath.mpf(10) ** -8))
    except (ValueError, ZeroDivisionError):
        return mpmath.mpf(guess)


def _pure_mp(u, mix, k, dps):
    return pspin.theta(u, mix.terms[0][0], k, dps=dps)


def e_inf(mixture, dps: int | None = None):
    """E_inf = (xi/xi')(xi'' - xi' + xi'^2/xi)/sqrt(xi'')."""
    mix = _check_mixture(mixture)
    if dps is None:
        return float(G.mixed_e_inf(mix.xi, mix.dxi, mix.d2xi))
    with mpmath.workdps(check_int("dps", dps, minimum=5) + 10):
        v = G.mixed_e_inf_mp(*mix._derivs_mp())
    with mpmath.workdps(dps):
        return +v


def threshold(mixture, k: int = 0, dps: int | None = None):
    """E_k: the root of Theta_k(-E_k) = 0 (critical points of index k exist only above -E_k)."""
    mix = _check_mixture(mixture)
    k = check_int("k", k, minimum=0)
    if mix.is_pure:
        return pspin.threshold(mix.terms[0][0], k, dps=dps)
    top = _argmax_u(mix, k)
    if theta(top, mix, k) <= 0:
        raise ValueError(f"Theta_{k} <= 0 everywhere for this mixture: no threshold E_{k}")
    lo = -top
    hi = lo + 1.0
    while theta(-hi, mix, k) > 0:
        hi = 2 * hi + 1.0
        if hi > 1e6:  # pragma: no cover
            raise RuntimeError(f"no root of Theta_{k} found")
    e = brentq(lambda x: theta(-x, mix, k), lo, hi, xtol=1e-14, rtol=1e-15)
    if dps is None:
        return e
    with mpmath.workdps(check_int("dps", dps, minimum=5) + 15):
        root = mpmath.findroot(lambda x: theta(-x, mix, k, dps=dps + 10), (mpmath.mpf(e), mpmath.mpf(e) * (1 + 1e-10)))
    with mpmath.workdps(dps):
        return +root
