r"""Free multiplicative products: Wishart products and a Wigner matrix dressed by a Wishart.

Both measures are given by one algebraic equation of the same shape,

    z u = phi(u),    phi a real polynomial with phi(0) = 1,                       (*)

for an auxiliary function ``u(z)`` with ``u ~ 1/z`` at infinity, and the Stieltjes transform
is a rational function of ``u``.  The physical branch is the root of (*) continued from
``u = 1/z`` at large ``|z|`` down a vertical path to the requested point (a numba path
tracker: tangent predictor, Newton corrector, a step accepted only if the corrector stays
within a tenth of the distance ``2|F'|/|F''|`` to the nearest other root and in the lower
half plane; steps of at most half the current height, since branch points lie on the real
axis); real points are the limits ``x + i0``, tracked along the sorted axis from point to
point inside each support interval or gap, with the vertical path as the fallback.  The
log-potential has a closed form in the same root: ``L(z) = int log(z - l) dmu(l)`` has
``L' = m``, and ``m dz`` is a rational differential in u, so ``Phi(x) = Re L(x + i0)`` with

    products:   L = k w - log w + sum_i (1 - 1/c_i) log(1 + c_i w)
    W x W:      L = (3/2) h^2 - log h + (1 - 1/c) log(1 + c h^2)

(the constant fixed by ``L ~ log z``, ``u ~ 1/z``; at z = 0 these reproduce
``log|det(A B)| = log|det A| + log|det B|``).  The base class's generic route (a cumulative
integral of ``Re m_c``) remains available and agrees to ~1e-8 away from hard edges.
Derivations and their symbolic checks:
``derivations/products.py`` (sympy).  Conventions: the "wigner" scale (unit-variance
Gaussian entries, ``W = X X^T / T``, Wigner matrices with off-diagonal variance ``1/N``);
``scale="abc"`` divides the matrix by sqrt 2.

Wishart products, ``W_1 W_2 ... W_k`` with ``W_i = X_i X_i^T / T_i``, ``X_i`` of size
``N x T_i``, ``c_i = N / T_i`` (Voiculescu's S-transform; e.g. Burda-Janik-Waclaw 2010,
Alexeev-Goetze-Tikhomirov 2010).  ``S_MP(c)(w) = 1 / (1 + c w)`` and ``S`` is multiplicative,
so with ``w = z m(z) - 1`` (the moment generating function at ``1/z``) the inverse relation
``1/z = w S(w) / (1 + w)`` reads

    z w = phi(w) = (1 + w) prod_i (1 + c_i w),     m(z) = (1 + w) / z = w / prod_i (1 + c_i w),

i.e. the polynomial ``P(m, z) = m prod_i (1 + c_i (z m - 1)) - (z m - 1) = 0`` of degree k + 1
in m (k = 1: ``c z m^2 - (z + c - 1) m + 1 = 0``, Marchenko-Pastur).

* Atom at 0.  If ``m ~ a/z`` at 0 then ``w -> a - 1`` and (*) forces ``phi(a - 1) = 0``:
  ``a`` is 0 or one of ``1 - 1/c_i``.  On the negative axis ``w = z m - 1`` is real and
  decreases monotonically from 0 (z -> -inf) to ``a - 1`` (z -> 0-), staying in the range
  where ``phi(w)/w < 0``; so ``a - 1 = w*`` is the first zero of ``phi`` met from 0
  downwards, ``w* = -1 / max(1, c_1, ..., c_k)``, and the atom has mass
  ``1 + w* = max_i (1 - 1/c_i)_+`` (computed here from the roots of ``phi``; it matches the
  rank ``min(N, T_1, ..., T_k)`` of the product).
* Support ``[a, b]``.  Edges are branch points: zeros in z of the discriminant
  ``Res_m(P, dP/dm)``, which (w = z m - 1 being affine in m) are the critical values
  ``z = phi(zeta)/zeta = phi'(zeta)`` at the roots ``zeta`` of ``w phi'(w) - phi(w)`` (degree
  k + 1).  The physical real-axis image is ``w`` in ``(zeta_-, zeta_+)``: ``b`` is the
  critical value at the only positive critical point ``zeta_+`` (``phi/w`` is convex on
  w > 0), ``a`` the one at the largest critical point ``zeta_- < w*`` when ``w*`` is a simple
  root of phi, and ``a = 0`` (hard edge) when ``w*`` is a multiple root (``max c_i = 1``, or two
  largest ``c_i`` equal and > 1).  Critical points are polished by Newton (the critical value
  is stationary there, so the edges are accurate to round-off).
* Moments by Lagrange inversion of ``w = t phi(w)``, ``t = 1/z``:
  ``m_n = (1/n) [w^(n-1)] phi(w)^n``; all ``c_i = 1`` gives Fuss-Catalan
  ``binom((k+1) n, n) / (k n + 1)``; k = 1 gives Narayana.
* Finite-N matrices: ``W_1 W_2 ... W_k`` has real eigenvalues for k <= 2 only (a product of
  three positive matrices can have complex eigenvalues), so the sampler draws the symmetric
  product ``M = A A^T``, ``A = W_1^(1/2) W_2^(1/2) ... W_k^(1/2)`` (N x N, ``T_i = round(N / c_i)``):
  for k = 2 it is similar to ``W_1 W_2``; for any k its law is ``MP(c_1) [x] (MP(c_2) [x] ...)``
  by asymptotic freeness, and its rank is exactly ``min(N, T_i)``.

Wigner times Wishart, ``H = W^(1/2) S W^(1/2)`` with ``S`` a Wigner matrix (semicircle of
variance 1) and ``W = X X^T / T``, ``c = N / T``.  For ``W`` diagonal, ``H`` is a Wigner matrix
with variance profile ``t_i t_j / N`` and the Dyson equation (e.g. Erdos-Krueger-Schroeder;
equivalently the operator-valued semicircle) gives, with ``nu = MP(c)``,

    m(z) = int dnu(t) / (z - t h),     h(z) = int t dnu(t) / (z - t h).

With ``u = z/h`` both are ``nu``'s Stieltjes transform ``g = m_nu(u)``: ``m = g / h`` and
``h^2 = u g - 1``; inserting ``c u g^2 - (u + c - 1) g + 1 = 0`` gives

    z h = (1 + h^2)(1 + c h^2),     m(z) = (1 + h^2) / z = h / (1 + c h^2),

(so ``z^2 (z m - 1) = (z m)^2 (1 + c (z m - 1))^2``, degree 4 in m; ``c -> 0`` is the
semicircle ``z m = 1 + m^2``).  The same argument as above (now on the imaginary axis, where
``z m`` is real and decreasing) gives the atom ``(1 - 1/c)_+`` at 0 (the rank of ``W``).  The
critical points of ``phi(h)/h`` solve ``3 c h^4 + (1 + c) h^2 - 1 = 0``: one real pair
``+-h_+``, the support is ``[-b, b]`` with ``b = phi(h_+)/h_+``.  Moments: odd ones vanish,
``m_n = (2/n) [h^(n-2)] phi(h)^n`` (Lagrange for ``h^2``): ``m_2 = 1``, ``m_4 = 2 (1 + c)``,
``m_6 = 5 + 12 c + 5 c^2``.  The continuous density is finite at 0 for ``c != 1``
(``1 / (pi (1 - c))`` for c < 1, ``1 / (pi sqrt(c) (c - 1))`` for c > 1) and ``~ |x|^(-1/2)``
at c = 1, where the support is split at 0 so that quadratures see the singularity as an edge.
"""

from __future__ import annotations

import math

import numba
import numpy as np

from complexity._validate import check_array, check_real
from complexity.spectra import _quadrature as Q
from complexity.spectra._base import SCALES, SpectralMeasure

__all__ = ["WishartProduct", "WignerTimesWishart", "wishart_product", "wigner_times_wishart"]


# ---------------------------------------------------------------------------- numba kernel
# iteration caps are passed as np.int64(n), not as literals: numba compiles one specialisation of
# a kernel per literal argument value
@numba.njit(cache=True)
def _phi3(coef, u):
    """``phi(u), phi'(u), phi''(u)`` by Horner (``coef`` ascending, real)."""
    n = coef.size - 1
    p = complex(coef[n], 0.0)
    dp = 0j
    ddp = 0j
    for j in range(n - 1, -1, -1):
        ddp = ddp * u + 2.0 * dp
        dp = dp * u + p
        p = p * u + coef[j]
    return p, dp, ddp


@numba.njit(cache=True)
def _newton(coef, z, u, maxit, tol):
    """Newton on ``F(u) = phi(u) - z u``; converged when the step is below ``tol |u|`` or the
    residual is at the rounding level of its terms (near a double root the attainable
    accuracy of u is only ~ sqrt(eps))."""
    ok = False
    n = coef.size - 1
    for _ in range(maxit):
        p, dp, _dd = _phi3(coef, u)
        f = p - z * u
        au = abs(u)
        bound = abs(coef[n])
        for j in range(n - 1, -1, -1):
            bound = bound * au + abs(coef[j])
        if abs(f) <= 4e-16 * (bound + abs(z) * au):
            ok = True
            break
        fp = dp - z
        if fp == 0:
            break
        du = f / fp
        u = u - du
        if abs(du) <= tol * abs(u):
            ok = True
            break
    return u, ok


@numba.njit(cache=True)
def _vertical(coef, x, yt, radius):
    """Physical root of ``z u = phi(u)`` at ``z = x + i yt`` (``yt >= 0``), continued from
    ``u = 1/z`` at ``x + iY``, ``Y = 4 (radius + |x|)``, down the vertical line: tangent
    predictor, Newton corrector, a step accepted only if the corrector converged within a
    tenth of the distance to the nearest other root (``2 |F'| / |F''|``) and stayed in the
    lower half plane.  Returns ``(u, failed)``."""
    y0 = max(yt, 4.0 * (radius + abs(x)))
    zc = complex(x, y0)
    u, _ok = _newton(coef, zc, 1.0 / zc, np.int64(100), 1e-15)
    y = y0
    scale = radius + abs(x)
    tiny = 1e-15 * scale
    step = 0.5 * (y0 - yt)
    done = y <= yt
    count = 0
    failed = False
    while not done:
        count += 1
        rest = y - yt
        # at most half the current height (the disc of radius y holds no branch point: they
        # are on the real axis); the target itself once it is that close or within 1e-9
        cap = 0.5 * y
        step = min(step, rest if rest <= max(cap, 1e-9 * scale) else cap)
        ynew = max(yt, y - step)
        zn = complex(x, ynew)
        p, dp, ddp = _phi3(coef, u)
        fp = dp - zc
        pred = u + (zn - zc) * u / fp
        sep = 2.0 * abs(fp) / max(abs(ddp), 1e-300)
        if step <= tiny:
            v, ok = _newton(coef, zn, pred, np.int64(200), 1e-14)
            ok = True
        else:
            v, ok = _newton(coef, zn, pred, np.int64(12), 1e-11)
            ok = ok and abs(v - pred) <= 0.1 * sep and abs(v - u) <= 0.5 * sep and v.imag <= 1e-10 * abs(v)
        if ok:
            u = v
            zc = zn
            y = ynew
            step *= 2.0
            done = y <= yt
        else:
            step *= 0.25
        if count > 2000:
            failed = True
            break
    u, _ok = _newton(coef, complex(x, yt), u, np.int64(4), 1e-16)
    return u, failed


@numba.njit(cache=True)
def _track(coef, zs, radius, out):
    """:func:`_vertical` at every ``z`` (``Im z >= 0``); returns the number of failures."""
    failures = 0
    for i in range(zs.size):
        out[i], bad = _vertical(coef, zs[i].real, zs[i].imag, radius)
        failures += bad
    return failures


@numba.njit(cache=True)
def _track_axis(coef, xs, segment, inside, radius, out):
    """Boundary values ``u(x + i0)`` at sorted real ``xs``: within one ``segment`` (a support
    interval or a gap) each point starts from its predecessor (tangent predictor along the
    axis, Newton corrector, the same acceptance test as :func:`_vertical`, and ``Im u < 0``
    inside the support); a segment's first point, and any point that fails the test, takes
    the vertical path.  Returns the number of failures."""
    failures = 0
    for i in range(xs.size):
        fresh = i == 0 or segment[i] != segment[i - 1]
        if not fresh:
            u = out[i - 1]
            z0 = complex(xs[i - 1], 0.0)
            zn = complex(xs[i], 0.0)
            p, dp, ddp = _phi3(coef, u)
            fp = dp - z0
            pred = u + (zn - z0) * u / fp
            sep = 2.0 * abs(fp) / max(abs(ddp), 1e-300)
            v, ok = _newton(coef, zn, pred, np.int64(12), 1e-13)
            ok = ok and abs(v - pred) <= 0.1 * sep and abs(v - u) <= 0.5 * sep
            if inside[i]:
                ok = ok and v.imag < 0.0
            if ok:
                out[i] = v
                continue
        out[i], bad = _vertical(coef, xs[i], 0.0, radius)
        failures += bad
    return failures


# ---------------------------------------------------------------------------- shared layer
def _poly_from_roots_factors(cs):
    """Ascending coefficients of ``prod_j (1 + c_j u)``."""
    coef = np.array([1.0])
    for c in cs:
        coef = np.convolve(coef, [1.0, c])
    return coef


class _AlgebraicProduct(SpectralMeasure):
    """A measure whose Stieltjes transform is a rational function of the physical root of
    ``z u = phi(u)`` (``self._coef``: phi's ascending real coefficients, ``phi(0) = 1``)."""

    _coef: np.ndarray
    _hard_zero = False  # an integrable singularity at 0 (support split there)

    # ------------------------------------------------------------- the equation
    def _radius(self):
        return max(abs(e) for iv in self.support() for e in iv) + 1.0

    def _solve(self, z):
        """The physical ``u(z)`` for complex ``z`` with ``Im z > 0``."""
        z = np.ascontiguousarray(np.asarray(z, complex).ravel())
        out = np.empty(z.size, complex)
        if z.size:
            bad = _track(self._coef, z, self._radius(), out)
            if bad:
                self._warn(f"the root tracker gave up at {bad} of {z.size} complex points (last iterate kept)")
        return out

    def _solve_axis(self, x):
        """The physical boundary value ``u(x + i0)`` at real ``x`` (sorted internally)."""
        x = np.asarray(x, float).ravel()
        out = np.empty(x.size, complex)
        if x.size:
            order = np.argsort(x, kind="stable")
            xs = np.ascontiguousarray(x[order])
            edges = np.array(sorted({e for iv in self.support() for e in iv}), float)
            segment = np.searchsorted(edges, xs, side="left") * 2 + np.isin(xs, edges)
            inside = self._in_support(xs)
            tmp = np.empty(xs.size, complex)
            bad = _track_axis(self._coef, xs, segment, inside, self._radius(), tmp)
            if bad:
                self._warn(f"the root tracker gave up at {bad} of {x.size} real points (last iterate kept)")
            out[order] = tmp
            edges_set = {e for iv in self.support() for e in iv}
            for r, v in self.critical_points():  # at an edge u is the (double) critical point
                if v in edges_set:
                    out[x == v] = r
            if self._hard_zero:  # x = 0 is a multiple root of phi(u) = 0: take it exactly
                out[x == 0.0] = self._u_hard_zero
        return out

    def critical_points(self):
        """Real critical points ``zeta`` of ``phi(u)/u`` (roots of ``u phi'(u) - phi(u)``,
        Newton-polished) and their critical values ``phi(zeta)/zeta``: the real zeros in z of
        the discriminant of the Stieltjes polynomial, i.e. the candidate edges."""
        if "critical" not in self._cache:
            coef = self._coef
            deg = coef.size - 1
            crit = coef * (np.arange(deg + 1) - 1.0)  # u phi' - phi, ascending
            roots = np.roots(crit[::-1])
            scale = max(1.0, np.max(np.abs(roots)))
            real = np.sort(roots[np.abs(roots.imag) <= 1e-7 * scale].real)
            dcrit = np.polynomial.polynomial.polyder(crit)
            out = []
            for r in real:
                for _ in range(8):
                    d = np.polynomial.polynomial.polyval(r, dcrit)
                    if d == 0:
                        break
                    step = np.polynomial.polynomial.polyval(r, crit) / d
                    r -= step
                    if abs(step) <= 1e-16 * abs(r):
                        break
                val = np.polynomial.polynomial.polyval(r, coef) / r
                out.append((float(r), float(val)))
            self._cache["critical"] = out
        return list(self._cache["critical"])

    def discriminant_roots(self):
        """Real zeros in z of ``Res_m(P, dP/dm)`` (sorted): the critical values."""
        return sorted(v for _, v in self.critical_points())

    # ------------------------------------------------------------- SpectralMeasure hooks
    def _m_of_u(self, u):
        raise NotImplementedError

    def _mc_of_u(self, u):
        raise NotImplementedError

    def _stieltjes_upper(self, z):
        return self._m_of_u(self._solve(z))

    def _boundary(self, x, continuous):
        x = np.asarray(x, float)
        if self._hard_zero and np.any(x == 0.0):
            raise ValueError(f"x = 0 is a singular point (hard edge) of {self!r}: m is infinite there")
        u = self._solve_axis(x)
        m = self._mc_of_u(u) if continuous else self._m_of_u(u)
        outside = ~self._in_support(x)
        return np.where(outside, m.real + 0j, m)

    def _stieltjes_real(self, x):
        return self._boundary(x, continuous=False)

    def _continuous_stieltjes_real(self, x):
        return self._boundary(x, continuous=True)

    def _density(self, x):
        out = np.zeros(x.size)
        inside = self._in_support(x)
        if np.any(inside):
            u = self._solve_axis(x[inside])
            out[inside] = np.maximum(-self._mc_of_u(u).imag / math.pi, 0.0)
        return out

    def cdf(self, x) -> np.ndarray:
        """``mu((-inf, x])`` (atoms included: right-continuous) from the measure's tabulated cdf
        (:class:`complexity.spectra._quadrature.CdfTable`: built once per parameter set from
        ~1e4 density evaluations, then a cubic Hermite look-up per point; within 1e-10 of
        mpmath quadrature of the density away from hard edges)."""
        x = check_array("x", x)
        return Q.tabulated_cdf(self)(x.ravel()).reshape(x.shape)

    def _log_potential(self, x):
        """Closed form ``Phi(x) = Re L(x + i0)``, ``L(z) = int log(z - l) dmu(l)``: ``L' = m``
        integrated in the variable u along ``z = phi(u)/u`` (a rational integrand), the
        constant fixed by ``L ~ log z`` at infinity (module docstring); ``-inf`` at an atom."""
        x = np.asarray(x, float)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = self._log_potential_of_u(self._solve_axis(x), x)
        return out

    def _moments(self, k):
        """Lagrange inversion of ``u = t phi(u)`` with ``z m = 1 + H(u)``:
        ``m_n = (1/n) [u^(n-1)] H'(u) phi(u)^n``."""
        P = np.polynomial.polynomial
        dH = self._dH
        out = np.empty(k)
        power = np.array([1.0])
        for n in range(1, k + 1):
            power = P.polymul(power, self._coef)
            series = P.polymul(dH, power)
            out[n - 1] = (series[n - 1] if n - 1 < series.size else 0.0) / n
        return out


def _sqrtm_psd(w):
    """Symmetric square root of a positive semi-definite matrix (eigenvalues below
    ``1e-12 * max`` set to zero, so that the rank is exact)."""
    lam, vec = np.linalg.eigh(w)
    lam = np.where(lam > 1e-12 * max(lam.max(), 1e-300), lam, 0.0)
    return (vec * np.sqrt(lam)) @ vec.T


def _wishart(rng, n, c):
    t = max(1, int(round(n / c)))
    x = rng.standard_normal((n, t))
    return x @ x.T / t


# ---------------------------------------------------------------------------- Wishart products
class WishartProduct(_AlgebraicProduct):
    """Limiting spectrum of ``W_1 W_2 ... W_k`` (``W_i = X_i X_i^T / T_i``, ``c_i = N / T_i``),
    "wigner" scale (each factor has mean 1): ``phi(w) = (1 + w) prod_i (1 + c_i w)``."""

    name = "wishart_product"

    def __init__(self, *cs: float):
        if len(cs) == 0:
            raise ValueError("cs: a Wishart product needs at least one factor ratio c1 > 0")
        cs = tuple(check_real(f"c{i + 1}", c, lower=0.0, lower_open=True) for i, c in enumerate(cs))
        super().__init__(scale="wigner", params={"cs": cs})
        self.cs = cs
        self.k = len(cs)
        self._all = (1.0, *cs)  # phi's factors (1 + c_j w), c_0 = 1
        self._coef = _poly_from_roots_factors(self._all)
        self._dH = np.array([1.0])  # z m = 1 + w
        # the atom: the first zero w* of phi below 0 (module docstring); phi's zeros are -1/c_j
        top = max(self._all)
        self.w_star = -1.0 / top
        self._jstar = int(np.argmax(self._all))
        self._hard_zero = sum(1 for c in self._all if abs(c - top) <= 1e-14 * top) >= 2
        self._mass0 = max(0.0, 1.0 - 1.0 / top)  # = 1 + w*
        self._u_hard_zero = complex(self.w_star)

    def _support(self):
        crit = self.critical_points()
        b = max(v for r, v in crit if r > 0)
        if self._hard_zero:
            return [(0.0, b)]
        a = max((r, v) for r, v in crit if r < self.w_star)[1]
        return [(a, b)]

    def _atoms(self):
        return [(0.0, self._mass0)] if self._mass0 > 0.0 else []

    def _m_of_u(self, w):
        den = np.ones_like(w)
        for c in self.cs:
            den = den * (1.0 + c * w)
        return w / den

    def _mc_of_u(self, w):
        # (w - w*) / z = w / (c_j* prod_{j != j*} (1 + c_j w)): no cancellation near 0
        den = np.full_like(w, self._all[self._jstar])
        for j, c in enumerate(self._all):
            if j != self._jstar:
                den = den * (1.0 + c * w)
        return w / den

    def _log_potential_of_u(self, w, x):
        # L = k w - log w + sum_i (1 - 1/c_i) log(1 + c_i w); the factor that vanishes at the
        # atom, 1 + c_j* w = c_j* x m_c(x), is taken in that form (no cancellation near 0)
        out = self.k * w.real - np.log(np.abs(w))
        for j, c in enumerate(self._all):
            if j == 0 or c == 1.0:
                continue
            if j == self._jstar and self._mass0 > 0.0:
                f = c * x * self._mc_of_u(w)
            else:
                f = 1.0 + c * w
            out += (1.0 - 1.0 / c) * np.log(np.abs(f))
        return out

    def _sample_matrices(self, n, samples, rng):
        out = np.empty((samples, n, n))
        for s in range(samples):
            a = np.eye(n)
            for c in self.cs:
                a = a @ _sqrtm_psd(_wishart(rng, n, c))
            out[s] = a @ a.T
        return out


# ---------------------------------------------------------------------------- Wigner x Wishart
class WignerTimesWishart(_AlgebraicProduct):
    """Limiting spectrum of ``W^(1/2) S W^(1/2)`` (``S`` Wigner of variance 1, ``W = X X^T / T``,
    ``c = N / T``), "wigner" scale: ``phi(h) = (1 + h^2)(1 + c h^2)``, ``m = h / (1 + c h^2)``."""

    name = "wigner_times_wishart"

    def __init__(self, c: float):
        c = check_real("c", c, lower=0.0, lower_open=True)
        super().__init__(scale="wigner", params={"c": c})
        self.c = c
        self._coef = np.array([1.0, 0.0, 1.0 + c, 0.0, c])
        self._dH = np.array([0.0, 2.0])  # z m = 1 + h^2
        self._hard_zero = c == 1.0
        self._u_hard_zero = -1j  # the double root of (1 + h^2)^2 on the physical side
        self._mass0 = max(0.0, 1.0 - 1.0 / c)

    def _support(self):
        b = max(v for r, v in self.critical_points() if r > 0)
        if self._hard_zero:
            return [(-b, 0.0), (0.0, b)]
        return [(-b, b)]

    def _atoms(self):
        return [(0.0, self._mass0)] if self._mass0 > 0.0 else []

    def _m_of_u(self, h):
        return h / (1.0 + self.c * h * h)

    def _mc_of_u(self, h):
        if self.c > 1.0:  # m - (1 - 1/c)/z = (h^2 + 1/c)/z = h / (c (1 + h^2))
            return h / (self.c * (1.0 + h * h))
        return h / (1.0 + self.c * h * h)

    def _log_potential_of_u(self, h, x):
        # L = (3/2) h^2 - log h + (1 - 1/c) log(1 + c h^2), with 1 + c h^2 = c x m_c(x) for c > 1
        c = self.c
        out = 1.5 * (h * h).real - np.log(np.abs(h))
        if c != 1.0:
            f = c * x * self._mc_of_u(h) if c > 1.0 else 1.0 + c * h * h
            out += (1.0 - 1.0 / c) * np.log(np.abs(f))
        return out

    def _moments(self, k):
        out = super()._moments(k)
        out[0::2] = 0.0  # odd moments vanish exactly (phi is even)
        return out

    def _sample_matrices(self, n, samples, rng):
        from complexity.spectra.semicircle import semicircle

        wig = semicircle()
        out = np.empty((samples, n, n))
        for s in range(samples):
            r = _sqrtm_psd(_wishart(rng, n, self.c))
            out[s] = r @ wig._sample_matrices(n, 1, rng)[0] @ r
        return out


# ---------------------------------------------------------------------------- constructors
def wishart_product(*cs: float, scale: str = "wigner") -> SpectralMeasure:
    """Limiting spectral measure of ``W_1 W_2 ... W_k``, ``W_i = X_i X_i^T / T_i``,
    ``c_i = N / T_i`` (any k >= 1; k = 1 is Marchenko-Pastur): free multiplicative
    convolution of Marchenko-Pastur laws, atom ``max_i (1 - 1/c_i)_+`` at 0.
    ``scale="abc"``: the matrix divided by sqrt 2."""
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {tuple(SCALES)}, got {scale!r}")
    return WishartProduct(*cs).to_scale(scale)


def wigner_times_wishart(c: float, *, scale: str = "wigner") -> SpectralMeasure:
    """Limiting spectral measure of ``W^(1/2) S W^(1/2)``: ``S`` Wigner (semicircle of
    variance 1), ``W = X X^T / T``, ``c = N / T``; atom ``(1 - 1/c)_+`` at 0.
    ``scale="abc"``: the matrix divided by sqrt 2."""
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {tuple(SCALES)}, got {scale!r}")
    return WignerTimesWishart(c).to_scale(scale)
