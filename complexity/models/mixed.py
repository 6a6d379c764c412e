r"""Mixed spherical spin glasses (Auffinger-Ben Arous 2013): complexity, thresholds, exact counts.

Model and units
---------------
``H`` on the sphere ``S^{N-1}(sqrt N)`` with ``E[H(s) H(s')] = N xi(s.s'/N)``,
``xi(x) = sum_p beta_p^2 x^p`` (p >= 2; the pure p-spin is ``xi = x^p``); energies per spin
``u = H/N`` (ABC units).  ``xi0, xi1, xi2 = xi(1), xi'(1), xi''(1)``.

Law at a point (derived in :mod:`complexity.symbolic.kac_rice`; re-derived in ``docs/mixed.md``)
-----------------------------------------------------------------------------------------------
``U = H/N ~ N(0, xi0/N)``; Riemannian gradient iid ``N(0, xi1)``, independent of the rest;
Riemannian Hessian ``sqrt(2 xi2) M - Y I``, ``M ~ GOE_{N-1}`` (abc scale normalised by N:
off-diagonal variance 1/(2N)) independent of ``(U, Y)``, ``Y = s.grad H / N`` with
``Var Y = (xi1 + xi2)/N``, ``Cov(U, Y) = xi1/N``, so ``Y | U = u ~ N(u xi1/xi0, alpha^2/N)``,
``alpha^2 = xi2 + xi1 - xi1^2/xi0`` (0 exactly for a pure model, where ``Y = p U``).

Exact finite N (Kac-Rice)
-------------------------
``E Crt_N(B) = Vol(S^{N-1}(sqrt N)) (2 pi xi1)^{-(N-1)/2} (2 xi2)^{(N-1)/2}
E[|det(M - Y/sqrt(2 xi2))| 1{U in B}]``, ``Vol = 2 pi^{N/2} N^{(N-1)/2} / Gamma(N/2)``;
the index is the number of eigenvalues of M below ``t = Y/sqrt(2 xi2)``.  With Mehta's
integral, ``E_{GOE_{N-1}}|det(M - t)| = 2 sqrt2 N^{-N/2} Gamma(N/2 + 1) e^{N t^2/2} rho_N(t)``
(rho_N the exact GOE_N one-point density, :mod:`complexity.rmt.goe_exact`), and with
exactly k eigenvalues below t the same with ``rho_N`` replaced by ``f_k/N`` (f_k the
density of the k-th smallest GOE_N eigenvalue).  Integrating U out given Y leaves one
quadrature in t (:func:`mixed_expected_count`).  For a pure model this is exactly ABC's
formula ``2 sqrt(2/p) (p-1)^{N/2} N int e^{-N (p-2) t^2/(2p)} rho_N(t) 1{...} dt``.

Asymptotics (Laplace in (u, y); ``t = y / sqrt(2 xi2)``)
-------------------------------------------------------
    S(u, y) = 1/2 + log(2 xi2/xi1)/2 - u^2/(2 xi0) - (y - u xi1/xi0)^2/(2 alpha^2) + Phi(t),
    Theta(u)   = sup_{u' <= u} sup_y S(u', y),
    Theta_k(u) = sup_{u' <= u} sup_{y : t <= -sqrt2} [S(u', y) - k J(t)],

Phi and J the semicircle log-potential and GOE edge rate (:mod:`complexity.rmt.goe`).
For a pure model (alpha = 0) the Gaussian forces ``y = u xi1/xi0`` and the formulas are
ABC's ``Theta_p``, ``Theta_{k,p}`` (rescaled by beta: ``Theta(u) = Theta_p(u/beta)``).

Concavity (why every supremum here is a 1-D root): ``Phi'' <= 1`` and ``J`` is convex,
so ``d^2 S/dy^2 <= 1/(2 xi2) - 1/alpha^2 < 0`` because
``2 xi2 - alpha^2 = xi2 - xi1 + xi1^2/xi0 > 0``; and the quadratic part of S in (u, y)
has determinant ``(xi2 - xi1)/(2 xi0 xi2 alpha^2) > 0`` with
``xi2 - xi1 = sum beta_p^2 p (p - 2)``, so S is jointly concave (strictly, when a term
has p >= 3).  Hence ``V(u) = sup_y [...]`` is concave, ``sup_{u' <= u} V = V(min(u, u*))``,
u* = 0 for Theta (V is even: (u, y) -> (-u, -y)), and u* solves ``V'(u) = 0`` for
Theta_k (envelope: ``V'(u) = -u/xi0 + (xi1/xi0)(y* - u xi1/xi0)/alpha^2``).

The maximising t is found region by region: the slope ``dS/dy`` is decreasing; inside
the bulk it is linear (closed form), outside it is solved in ``r = sqrt(t^2 - 2)``, in
which it is smooth with derivative bounded away from 0 (safeguarded Newton).

Thresholds: ``E_inf = (xi0/xi1)(xi2 - xi1 + xi1^2/xi0)/sqrt(xi2)`` is the energy -u at
which the unconstrained maximiser reaches the bulk edge t = -sqrt2 (pure:
``2 sqrt((p-1)/p)``); ``E_k`` is the root of ``Theta_k(-E_k) = 0``.

Two paths, one algorithm: the kernels below are plain functions over the primitives
``_sqrt``, ``_log_potential``, ... ; compiled with numba for floats, and re-bound to the
mpmath twins of :mod:`complexity._generated.kac_rice` for ``*_mp`` (any ``dps``).
Coefficients beta_p^2 are taken as the binary floats given.
"""

from __future__ import annotations

import dataclasses
import math
import types
import warnings

import mpmath
import numba
import numpy as np
from scipy import special

from complexity._generated import kac_rice as G
from complexity._validate import check_array, check_int, check_mp_real, check_real

__all__ = [
    "Mixture",
    "mixed_theta",
    "mixed_theta_k",
    "mixed_e_inf",
    "mixed_threshold",
    "mixed_theta_mp",
    "mixed_theta_k_mp",
    "mixed_e_inf_mp",
    "mixed_threshold_mp",
    "mixed_threshold_limit",
    "mixed_expected_count",
    "log_abs_det_goe",
    "theta",
    "e_inf",
    "threshold",
]


# ---------------------------------------------------------------------------- the model
@dataclasses.dataclass(frozen=True)
class Mixture:
    """``xi(x) = sum_p beta_p^2 x^p``, stored as sorted ``((p, beta_p^2), ...)``.

    Built from a dict ``{p: beta_p^2}`` or from ``(p, beta_p^2)`` pairs; p must be an
    integer >= 2, beta_p^2 >= 0 and not all zero (zero terms are dropped, repeated p added).
    """

    terms: tuple

    def __post_init__(self):
        items = self.terms.items() if isinstance(self.terms, dict) else self.terms
        try:
            items = list(items)
        except TypeError:
            raise ValueError(f"terms must be a dict {{p: beta_p^2}} or (p, beta_p^2) pairs, got {self.terms!r}") from None
        clean: dict[int, float] = {}
        for item in items:
            try:
                p, b2 = item
            except (TypeError, ValueError):
                raise ValueError(f"terms must be (p, beta_p^2) pairs, got the item {item!r}") from None
            p = check_int("p (a mixture exponent)", p, minimum=2)
            b2 = check_real(f"beta_{p}^2 (a mixture weight)", b2, lower=0.0)
            clean[p] = clean.get(p, 0.0) + b2
        clean = {p: b2 for p, b2 in clean.items() if b2 > 0}
        if not clean:
            raise ValueError("terms (the mixture) must contain at least one beta_p^2 > 0")
        object.__setattr__(self, "terms", tuple(sorted(clean.items())))

    @classmethod
    def pure(cls, p: int, beta2: float = 1.0) -> "Mixture":
        """The pure p-spin ``xi = beta2 x^p``."""
        return cls(((p, beta2),))

    def __call__(self, x):
        """``xi(x)``."""
        x = check_array("x", x)
        return sum(b2 * x**p for p, b2 in self.terms)

    @property
    def xi(self) -> float:
        """``xi(1) = sum beta_p^2``."""
        return float(math.fsum(b2 for _, b2 in self.terms))

    @property
    def dxi(self) -> float:
        """``xi'(1) = sum p beta_p^2``."""
        return float(math.fsum(p * b2 for p, b2 in self.terms))

    @property
    def d2xi(self) -> float:
        """``xi''(1) = sum p (p-1) beta_p^2``."""
        return float(math.fsum(p * (p - 1) * b2 for p, b2 in self.terms))

    @property
    def alpha2(self) -> float:
        """``alpha^2 = N Var(Y | U) = xi'' + xi' - xi'^2/xi`` (0 for a pure model)."""
        return 0.0 if self.is_pure else float(G.mixed_alpha2(self.xi, self.dxi, self.d2xi))

    @property
    def is_pure(self) -> bool:
        return len(self.terms) == 1

    def label(self) -> str:
        return " + ".join(f"{b2:g} x^{p}" for p, b2 in self.terms)

    def _derivs_mp(self):
        xi0 = mpmath.fsum(mpmath.mpf(b2) for _, b2 in self.terms)
        xi1 = mpmath.fsum(p * mpmath.mpf(b2) for p, b2 in self.terms)
        xi2 = mpmath.fsum(p * (p - 1) * mpmath.mpf(b2) for p, b2 in self.terms)
        return xi0, xi1, xi2


def _mixture(mixture) -> Mixture:
    if isinstance(mixture, Mixture):
        return mixture
    if mixture is None:
        raise ValueError("mixture must be a Mixture or a dict {p: beta_p^2}, got None")
    return Mixture(mixture)


# ---------------------------------------------------------------------------- kernels
# Written once over the primitives below; compiled by numba for floats and re-bound to
# mpmath (see _MP) for the high-precision path.  Arguments: u energy, k index penalty
# (0 for all indices), capped (t <= -sqrt2 imposed), pure (alpha = 0: y = u xi1/xi0),
# xi0, xi1, xi2, a2 = alpha^2, tol (relative step tolerance), maxit.
def _h(r, side, kp, u, xi0, xi1, c2, a2):
    """Slope dS/dy - k dJ/dy at t = side sqrt(r^2 + 2), signed to increase with r >= 0.

    slope = -(c2 t - u xi1/xi0)/a2 + (t - side kp r)/c2 with ``kp = k + 1`` on the left
    (Phi' - k J' = t + (k+1) r) and ``kp = 1`` on the right (Phi' = t - r); returns -side slope.
    """
    t = side * _sqrt(r * r + 2.0)
    return -side * (-(c2 * t - u * xi1 / xi0) / a2 + (t - side * kp * r) / c2)


def _dh(r, kp, c2, a2):
    """d/dr of :func:`_h`: (c2/a2 - 1/c2) r / sqrt(r^2 + 2) + kp/c2 > 0."""
    return (c2 / a2 - 1.0 / c2) * r / _sqrt(r * r + 2.0) + kp / c2


def _solve_r(side, kp, u, xi0, xi1, c2, a2, tol, maxit):
    """Root r >= 0 of the increasing :func:`_h` (h(0) <= 0): bracket by doubling, safeguarded Newton."""
    lo = 0.0 * u
    hi = 1.0 + lo
    while _h(hi, side, kp, u, xi0, xi1, c2, a2) < 0:
        lo = hi
        hi = 2.0 * hi
    r = 0.5 * (lo + hi)
    for _ in range(maxit):
        f = _h(r, side, kp, u, xi0, xi1, c2, a2)
        if f == 0:
            return r
        if f < 0:
            lo = r
        else:
            hi = r
        step = f / _dh(r, kp, c2, a2)
        rn = r - step
        if not (lo < rn < hi):
            rn = 0.5 * (lo + hi)
        if abs(rn - r) <= tol * (1.0 + r) or hi - lo <= tol * (1.0 + r):
            return rn
        r = rn
    return r


def _argmax_t(u, k, capped, pure, xi0, xi1, xi2, a2, tol, maxit):
    """The maximising t = y/sqrt(2 xi2) of S(u, y) - k J(t) (t <= -sqrt2 when ``capped``)."""
    c2 = _sqrt(2.0 * xi2)
    if pure:
        return u * xi1 / (xi0 * c2)
    sq2 = _sqrt(2.0)
    kp = k + 1.0
    # h(0, side) is -side times the slope at the edge t = side sqrt2; the slope decreases in y
    if _h(0.0 * u, -1.0, kp, u, xi0, xi1, c2, a2) < 0:  # slope < 0 at the left edge: root left of it
        r = _solve_r(-1.0, kp, u, xi0, xi1, c2, a2, tol, maxit)
        return -_sqrt(r * r + 2.0)
    if capped:
        return -sq2
    if _h(0.0 * u, 1.0, 1.0, u, xi0, xi1, c2, a2) < 0:  # slope > 0 at the right edge
        r = _solve_r(1.0, 1.0, u, xi0, xi1, c2, a2, tol, maxit)
        return _sqrt(r * r + 2.0)
    # inside the bulk the slope -(y - u xi1/xi0)/a2 + y/c2^2 is linear
    return u * xi1 / xi0 * c2 / (c2 * c2 - a2)


def _value(u, k, capped, pure, xi0, xi1, xi2, a2, tol, maxit):
    """V(u) = sup_y [S(u, y) - k J(t)] (with t <= -sqrt2 when ``capped``)."""
    t = _argmax_t(u, k, capped, pure, xi0, xi1, xi2, a2, tol, maxit)
    v = _prefactor_rate(xi1, xi2) + _log_potential(t) - k * _edge_rate(t)
    if pure:
        return v - u * u / (2.0 * xi0)
    return v + _gaussian_rate(u, t * _sqrt(2.0 * xi2), xi0, xi1, xi2)


def _dvalue(u, k, capped, pure, xi0, xi1, xi2, a2, tol, maxit):
    """V'(u) (envelope theorem): -u/xi0 + (xi1/xi0)(y* - u xi1/xi0)/alpha^2, or for a pure
    model -u/xi0 + (xi1/(xi0 c2)) (Phi' - k J')(t), c2 = sqrt(2 xi2)."""
    t = _argmax_t(u, k, capped, pure, xi0, xi1, xi2, a2, tol, maxit)
    c2 = _sqrt(2.0 * xi2)
    if pure:
        r = _sqrt(max(t * t - 2.0, 0.0 * t))
        if t < -_sqrt(2.0):
            d = t + (k + 1.0) * r
        elif t > _sqrt(2.0):
            d = t - r
        else:
            d = t
        return -u / xi0 + xi1 / (xi0 * c2) * d
    return -u / xi0 + xi1 / xi0 * (c2 * t - u * xi1 / xi0) / a2


def _value_many(us, k, capped, pure, ustar, xi0, xi1, xi2, a2, tol, maxit, out):
    for i in range(us.size):
        x = us[i]
        if x > ustar:
            x = ustar
        out[i] = _value(x, k, capped, pure, xi0, xi1, xi2, a2, tol, maxit)


_KERNELS = ("_h", "_dh", "_solve_r", "_argmax_t", "_value", "_dvalue", "_value_many")
_PY = {name: globals()[name] for name in _KERNELS}

# float primitives (numba-compiled generated functions)
_sqrt = math.sqrt
_log_potential = numba.njit(cache=True)(G.goe_log_potential)
_edge_rate = numba.njit(cache=True)(G.goe_edge_rate)
_gaussian_rate = numba.njit(cache=True)(G.mixed_gaussian_rate)
_prefactor_rate = numba.njit(cache=True)(G.mixed_prefactor_rate)

for _name in _KERNELS:  # compile in dependency order; each kernel finds the others as globals
    globals()[_name] = numba.njit(cache=True)(_PY[_name])
del _name

# the same code objects re-bound to mpmath
_MP: dict = {}
_MP.update(
    {
        "_sqrt": mpmath.sqrt,
        "_log_potential": G.goe_log_potential_mp,
        "_edge_rate": G.goe_edge_rate_mp,
        "_gaussian_rate": G.mixed_gaussian_rate_mp,
        "_prefactor_rate": G.mixed_prefactor_rate_mp,
        "max": max,
        "abs": abs,
        "range": range,
    }
)
for _name in _KERNELS:
    _MP[_name] = types.FunctionType(_PY[_name].__code__, _MP, _name)
del _name

_FLOAT_TOL, _FLOAT_MAXIT = 1e-15, 200


class _Ctx:
    """The numeric context of one evaluation: float kernels or mpmath kernels at a precision."""

    def __init__(self, mix: Mixture, dps: int | None):
        self.mix, self.dps = mix, dps
        if dps is None:
            self.value, self.dvalue = _value, _dvalue
            self.xi0, self.xi1, self.xi2 = mix.xi, mix.dxi, mix.d2xi
            self.a2 = mix.alpha2
            self.tol, self.maxit = _FLOAT_TOL, _FLOAT_MAXIT
            self.num = float
        else:
            self.value, self.dvalue = _MP["_value"], _MP["_dvalue"]
            self.xi0, self.xi1, self.xi2 = mix._derivs_mp()
            self.a2 = mpmath.mpf(0) if mix.is_pure else G.mixed_alpha2_mp(self.xi0, self.xi1, self.xi2)
            self.tol, self.maxit = mpmath.mpf(10) ** (-(mpmath.mp.dps - 3)), 20 * mpmath.mp.dps + 200
            self.num = mpmath.mpf
        self.pure = mix.is_pure

    def V(self, u, k, capped):
        return self.value(self.num(u), self.num(k), capped, self.pure, self.xi0, self.xi1, self.xi2, self.a2,
                          self.tol, self.maxit)

    def dV(self, u, k, capped):
        return self.dvalue(self.num(u), self.num(k), capped, self.pure, self.xi0, self.xi1, self.xi2, self.a2,
                           self.tol, self.maxit)

    def u_edge(self):
        """For a pure model: the energy where t = u xi1/(xi0 sqrt(2 xi2)) reaches -sqrt2."""
        sq = mpmath.sqrt if self.dps is not None else math.sqrt
        return -sq(2) * sq(2 * self.xi2) * self.xi0 / self.xi1

    def u_star(self, k: int | None):
        """argmax of the concave V: 0 for all indices; for index k the root of V' (bounded by
        the bulk edge for a pure model)."""
        if k is None:
            return self.num(0)
        if self.pure:
            hi = self.u_edge()
            if self.dV(hi, k, True) >= 0:
                return hi
        else:
            hi = self.num(0)
            step = self.num(1)
            while self.dV(hi, k, True) > 0:
                hi += step
                step *= 2
        lo, step = hi - 1, self.num(1)
        while self.dV(lo, k, True) < 0:
            lo -= step
            step *= 2
        return _bracketed_root(lambda x: self.dV(x, k, True), lo, hi, self.tol, self.maxit, increasing=False)


def _bracketed_root(f, lo, hi, tol, maxit, *, increasing: bool):
    """Root of a monotone f on [lo, hi] (sign change given): Illinois false position with a
    bisection fallback; stops when the bracket is below ``tol (1 + |x|)``."""
    flo, fhi = f(lo), f(hi)
    sgn = 1 if increasing else -1
    flo, fhi = sgn * flo, sgn * fhi
    if flo == 0:
        return lo
    if fhi == 0:
        return hi
    side = 0
    x = lo
    for _ in range(maxit):
        x = (lo * fhi - hi * flo) / (fhi - flo)
        if not (lo < x < hi):
            x = (lo + hi) / 2
        fx = sgn * f(x)
        if fx == 0:
            return x
        if fx < 0:
            lo, flo = x, fx
            if side == -1:
                fhi /= 2
            side = -1
        else:
            hi, fhi = x, fx
            if side == 1:
                flo /= 2
            side = 1
        if hi - lo <= tol * (1 + abs(x)):
            return (lo + hi) / 2
    return x


# ---------------------------------------------------------------------------- public API
def _check_k(k):
    return check_int("k", k, minimum=0)


def _check_dps(dps):
    return check_int("dps", dps, minimum=5, maximum=5000)


def _mp_u(u):
    """An energy for the mpmath path: floats, ints, strings or mpf, finite."""
    return check_mp_real("u", u)


def _theta_float(u, mix: Mixture, k: int | None):
    a = np.atleast_1d(check_array("u", u)).astype(float)
    ctx = _Ctx(mix, None)
    ustar = float(ctx.u_star(k))
    flat = np.ascontiguousarray(a.ravel())
    out = np.empty_like(flat)
    _value_many(flat, float(0 if k is None else k), k is not None, mix.is_pure, ustar,
                ctx.xi0, ctx.xi1, ctx.xi2, ctx.a2, ctx.tol, ctx.maxit, out)
    if not np.all(np.isfinite(out)):  # pragma: no cover - guarded by construction
        raise FloatingPointError(f"mixed complexity: non-finite value for {mix.label()} (report this input)")
    return out.reshape(np.shape(u)) if np.ndim(u) else float(out[0])


def _theta_mp(u, mix: Mixture, k: int | None, dps: int):
    dps = _check_dps(dps)
    with mpmath.workdps(dps + 20):
        uu = _mp_u(u)
        ctx = _Ctx(mix, dps)
        ustar = ctx.u_star(k)
        v = ctx.V(min(uu, ustar), 0 if k is None else k, k is not None)
    with mpmath.workdps(dps):
        return +v


def mixed_theta(u, mixture):
    """Total complexity ``Theta(u) = sup_{u' <= u} sup_y S(u', y)`` of critical points with
    ``H/N <= u``; vectorised over u (float or array; numba kernel).

    ``S(u, y) = 1/2 + log(2 xi''/xi')/2 - u^2/(2 xi) - (y - u xi'/xi)^2/(2 alpha^2) + Phi(y/sqrt(2 xi''))``
    (Auffinger-Ben Arous 2013; derivation in ``docs/mixed.md``).  Single-term mixtures
    give ABC's ``Theta_p(u / beta)``.
    """
    return _theta_float(u, _mixture(mixture), None)


def mixed_theta_k(u, mixture, k: int):
    """Complexity of index-k critical points with ``H/N <= u``, vectorised over u:
    ``Theta_k(u) = sup_{u' <= u} sup_{y: t <= -sqrt2} [S(u', y) - k J(t)]``, ``t = y/sqrt(2 xi'')``."""
    return _theta_float(u, _mixture(mixture), _check_k(k))


def mixed_theta_mp(u, mixture, dps: int = 30):
    """:func:`mixed_theta` at ``dps`` significant digits (mpmath; scalar u, which may be a string or mpf)."""
    return _theta_mp(u, _mixture(mixture), None, dps)


def mixed_theta_k_mp(u, mixture, k: int, dps: int = 30):
    """:func:`mixed_theta_k` at ``dps`` significant digits (mpmath; scalar u)."""
    return _theta_mp(u, _mixture(mixture), _check_k(k), dps)


def mixed_e_inf(mixture) -> float:
    """``E_inf = (xi/xi')(xi'' - xi' + xi'^2/xi)/sqrt(xi'')``: -u at which the unconstrained
    maximiser reaches the bulk edge t = -sqrt2 (pure p-spin: ``2 sqrt((p-1)/p)``)."""
    mix = _mixture(mixture)
    return float(G.mixed_e_inf(mix.xi, mix.dxi, mix.d2xi))


def mixed_e_inf_mp(mixture, dps: int = 30):
    """:func:`mixed_e_inf` at ``dps`` digits."""
    mix = _mixture(mixture)
    dps = _check_dps(dps)
    with mpmath.workdps(dps + 10):
        v = G.mixed_e_inf_mp(*mix._derivs_mp())
    with mpmath.workdps(dps):
        return +v


def _threshold(mix: Mixture, k: int, dps: int | None):
    ctx = _Ctx(mix, dps)
    ustar = ctx.u_star(k)
    top = ctx.V(ustar, k, True)
    if not top > 0:
        raise ValueError(
            f"k = {k}: Theta_{k}(u) <= 0 for every u for the mixture {mix.label()} "
            f"(max {float(top):.3g} at u = {float(ustar):.6g}), so there is no threshold E_{k}"
        )
    lo, step = ustar - 1, ctx.num(1)
    while ctx.V(lo, k, True) > 0:
        lo -= step
        step *= 2
    u0 = _bracketed_root(lambda x: ctx.V(x, k, True), lo, ustar, ctx.tol, ctx.maxit, increasing=True)
    resid = abs(ctx.V(u0, k, True))
    if resid > ctx.tol * 1e4 * (1 + abs(u0)):
        warnings.warn(f"mixed_threshold(k={k}): residual {float(resid):.3g} at E_k = {float(-u0):.17g}",
                      RuntimeWarning)
    return -u0


def mixed_threshold(mixture, k: int = 0) -> float:
    """``E_k``: the root of ``Theta_k(-E_k) = 0`` (index-k critical points are exponentially
    many only above ``-E_k``).  ``E_0 > E_1 > ... > E_inf``.  Raises ValueError when
    ``Theta_k <= 0`` everywhere (e.g. the pure 2-spin)."""
    return float(_threshold(_mixture(mixture), _check_k(k), None))


def mixed_threshold_mp(mixture, k: int = 0, dps: int = 30):
    """:func:`mixed_threshold` at ``dps`` significant digits (mpmath)."""
    mix, k, dps = _mixture(mixture), _check_k(k), _check_dps(dps)
    with mpmath.workdps(dps + 20):
        v = _threshold(mix, k, dps + 20)
    with mpmath.workdps(dps):
        return +v


def mixed_threshold_limit(mixture, dps: int | None = None):
    """``lim_{k -> inf} E_k``: the root ``-u`` of ``W(u) = S(u, y_e) = 0`` left of the maximum of W,
    with ``y_e = -2 sqrt(xi'')`` (t pinned at the bulk edge, where the index penalty k J vanishes).

    ``Theta_k`` decreases in k to ``sup_{u' <= u} W(u')``, so the E_k decrease to this root.
    W is a concave quadratic: ``W(u) = A - u^2/(2 xi) - (y_e - u xi'/xi)^2/(2 alpha^2)``,
    ``A = 1/2 + log(2 xi''/xi')/2 + Phi(-sqrt2)``, and the root is
    ``(b + sqrt(b^2 - 4 a c))/(2 a)`` with ``a = 1/xi + (xi'/xi)^2/alpha^2``,
    ``b = -2 (xi'/xi) y_e/alpha^2``, ``c = y_e^2/alpha^2 - 2 A``.
    It differs from ``E_inf`` for a genuine mixture: ``W(-E_inf) = Theta(-E_inf)``, so the limit
    is above ``E_inf`` when ``Theta(-E_inf) > 0`` and below it when ``Theta(-E_inf) < 0``.
    For a pure model it is ``E_inf``.  Float, or mpmath at ``dps`` digits.
    """
    mix = _mixture(mixture)
    if mix.is_pure:
        return mixed_e_inf(mix) if dps is None else mixed_e_inf_mp(mix, dps)
    if dps is None:
        sqrt, (xi0, xi1, xi2) = math.sqrt, (mix.xi, mix.dxi, mix.d2xi)
        a2, rate, phi = mix.alpha2, G.mixed_prefactor_rate, G.goe_log_potential
    else:
        dps = _check_dps(dps)
    with mpmath.workdps((dps or 15) + 20):
        if dps is not None:
            sqrt, (xi0, xi1, xi2) = mpmath.sqrt, mix._derivs_mp()
            a2, rate, phi = G.mixed_alpha2_mp(xi0, xi1, xi2), G.mixed_prefactor_rate_mp, G.goe_log_potential_mp
        c, ye = xi1 / xi0, -2 * sqrt(xi2)
        big_a = rate(xi1, xi2) + phi(-sqrt(2.0 if dps is None else mpmath.mpf(2)))
        qa = 1 / xi0 + c * c / a2
        qb = -2 * c * ye / a2
        qc = ye * ye / a2 - 2 * big_a
        disc = qb * qb - 4 * qa * qc
        if not disc > 0:
            raise ValueError(f"mixture {mix.label()}: the edge complexity W(u) is <= 0 for every u, so the "
                             "thresholds E_k have no finite limit above which index-k points are exponentially many")
        root = (qb + sqrt(disc)) / (2 * qa)
    if dps is None:
        return float(root)
    with mpmath.workdps(dps):
        return +root


# compatibility with the earlier interface of this module
def theta(u, mixture, k: int | None = None, dps: int | None = None):
    """``Theta(u)`` (k=None) or ``Theta_k(u)``; floats/arrays, or mpmath with ``dps``."""
    mix = _mixture(mixture)
    kk = None if k is None else _check_k(k)
    if dps is None:
        return _theta_float(u, mix, kk)
    return _theta_mp(u, mix, kk, dps)


def e_inf(mixture, dps: int | None = None):
    """:func:`mixed_e_inf` (float) or :func:`mixed_e_inf_mp` (``dps``)."""
    return mixed_e_inf(mixture) if dps is None else mixed_e_inf_mp(mixture, dps)


def threshold(mixture, k: int = 0, dps: int | None = None):
    """:func:`mixed_threshold` (float) or :func:`mixed_threshold_mp` (``dps``)."""
    return mixed_threshold(mixture, k) if dps is None else mixed_threshold_mp(mixture, k, dps)


# ---------------------------------------------------------------------------- exact finite N
def log_abs_det_goe(n: int) -> float:
    """``log(Z_N / Z_{N-1}) = log(2 sqrt2 N^{-N/2} Gamma(N/2 + 1))``, so that
    ``E_{GOE_{N-1}}|det(M - t)| = exp(log_abs_det_goe(N) + N t^2/2) rho_N(t)`` for M of size
    N-1 in the abc scale normalised by N (Z_n: Mehta's integral with weight e^{-N x^2/2})."""
    n = check_int("n", n, minimum=2)
    return 1.5 * math.log(2.0) - 0.5 * n * math.log(n) + math.lgamma(0.5 * n + 1.0)


def _log_kac_rice_constant(mix: Mixture, n: int) -> float:
    """log of Vol(S^{N-1}(sqrt N)) (2 pi xi')^{-(N-1)/2} (2 xi'')^{(N-1)/2}."""
    xi1, xi2 = mix.dxi, mix.d2xi
    log_vol = math.log(2.0) + 0.5 * n * math.log(math.pi) + 0.5 * (n - 1) * math.log(n) - math.lgamma(0.5 * n)
    return log_vol + 0.5 * (n - 1) * (math.log(2.0 * xi2) - math.log(2.0 * math.pi * xi1))


def mixed_expected_count(mixture, n: int, u=None, k: int | None = None) -> float:
    """Exact ``E Crt_{N}((-inf, u])`` (all indices, or index k) for a mixture, by quadrature.

    With ``t = Y/sqrt(2 xi'')`` and ``U | Y`` Gaussian (mean ``Y xi'/(xi' + xi'')``, variance
    ``xi alpha^2 / ((xi' + xi'') N)``; a point mass for a pure model),

        E Crt_N = K_N sqrt(2 xi'') int phi_Y(y) P(U <= u | Y = y) E|det(M - t)| 1{index k} dt,

    ``K_N = Vol(S^{N-1}(sqrt N)) (2 pi xi')^{-(N-1)/2} (2 xi'')^{(N-1)/2}`` and
    ``E|det(M - t)| = 2 sqrt2 N^{-N/2} Gamma(N/2+1) e^{N t^2/2} rho_N(t)`` (``f_k(t)/N`` in place
    of rho_N for index k: needs N <= 3, the order statistics of :mod:`complexity.rmt.goe_exact`).
    Composite Gauss-Legendre quadrature, refined around the energy cut; relative accuracy
    about 1e-12.  ``n`` >= 2 (the dimension N of the ambient space).
    """
    from complexity.rmt import goe_exact

    mix = _mixture(mixture)
    n = check_int("n", n, minimum=2, maximum=400)
    cut = None if u is None else check_real("u", u)
    if k is not None:
        k = check_int("k", k, minimum=0, maximum=n - 1)
        if n > 3:
            raise ValueError(f"k: index-resolved exact counts need n <= 3 (got n = {n}); use k=None")
    xi0, xi1, xi2 = mix.xi, mix.dxi, mix.d2xi
    c2 = math.sqrt(2.0 * xi2)
    vy = (xi1 + xi2) / n  # Var Y
    slope_u = xi1 / (xi1 + xi2)  # E[U | Y] = slope_u Y
    var_u = 0.0 if mix.is_pure else max(xi0 - xi1 * xi1 / (xi1 + xi2), 0.0) / n
    if not mix.is_pure and var_u <= 0.0:  # pragma: no cover - alpha^2 > 0 for two or more terms
        raise ValueError(f"mixture {mix.label()}: conditional variance of U given Y is not positive")
    # window in t: rho_N decays like exp(-N t^2/2) beyond the edge
    half = math.sqrt(2.0) + math.sqrt(2.0 * 60.0 / n) + 1.0
    lo, hi = -half, half
    breaks = [lo, hi]
    tcut = None
    if cut is not None:
        tcut = cut / (slope_u * c2)  # E[U | t] = cut
        if mix.is_pure:
            hi = min(hi, tcut)
            breaks = [lo, hi] if hi > lo else []
        else:
            w = math.sqrt(var_u) / (slope_u * c2)  # width of the cdf step in t
            breaks += [tcut + j * w for j in range(-12, 13)] + [tcut - 40 * w, tcut + 40 * w]
            breaks = [b for b in breaks if lo <= b <= hi]
    if not breaks:
        return 0.0
    breaks = np.unique(np.asarray(breaks, dtype=float))
    # panels of width <= 0.05 between consecutive breakpoints
    nodes_list, weights_list = [], []
    x, wts = np.polynomial.legendre.leggauss(20)
    for a, b in zip(breaks[:-1], breaks[1:]):
        m = max(1, int(math.ceil((b - a) / 0.05)))
        edges = np.linspace(a, b, m + 1)
        mid, rad = 0.5 * (edges[1:] + edges[:-1]), 0.5 * (edges[1:] - edges[:-1])
        nodes_list.append((mid[:, None] + rad[:, None] * x[None, :]).ravel())
        weights_list.append((rad[:, None] * wts[None, :]).ravel())
    t = np.concatenate(nodes_list)
    w = np.concatenate(weights_list)
    if k is None:
        dens = goe_exact.goe_density(t, n)
    else:
        dens = goe_exact.order_statistic_density(t, n, k) / n
    y = c2 * t
    # log of phi_Y(y) e^{N t^2/2}: -N y^2/(2 (xi1 + xi2)) + N t^2/2 = -N g t^2 / 2
    g = (xi2 - xi1) / (xi1 + xi2)
    logw = -0.5 * n * g * t * t - 0.5 * math.log(2.0 * math.pi * vy)
    if cut is None or mix.is_pure:
        prob = np.ones_like(t)
    else:
        prob = special.ndtr((cut - slope_u * y) / math.sqrt(var_u))
    integral = float(np.sum(w * np.exp(logw) * dens * prob)) * c2
    log_const = _log_kac_rice_constant(mix, n) + log_abs_det_goe(n)
    out = integral * math.exp(log_const)
    if not math.isfinite(out):
        raise FloatingPointError(f"mixed_expected_count: overflow at n = {n}")
    return out
