r"""``deformed(mu_D, s)``: a measure free-convolved with a semicircle, ``mu_D ⊞ sc(s^2)``.

The law of ``H = A + s X`` as N -> infinity, ``A`` with spectrum ``mu_D`` and ``X`` a Wigner
matrix of the "wigner" scale (off-diagonal variance 1/N, semicircle of variance 1 on
[-2, 2]), so the noise ``s X`` has semicircle variance ``s^2``: the "noise plus true
Hessian" model of a batch Hessian (Baskerville, Keating, Mezzadri, Najnudel, Granziol,
"Universal characteristics of deep neural network loss surfaces from random matrix
theory").  Scale label: ``"wigner"`` when ``mu_D`` is, else ``"none"``.

Subordination (Pastur's equation; Biane, "On the free convolution with a semi-circular
distribution", 1997).  With ``m(z) = int dmu(l) / (z - l)``,

    m_H(z) = m_D(omega(z)),    omega(z) = z - s^2 m_H(z),    Im omega >= Im z,

i.e. ``omega`` solves ``Z(omega) = omega + s^2 m_D(omega) = z``.  Per point: damped fixed-point
steps at ``Im z = 2R`` (``R`` bounds the spectrum; the map ``omega -> z - s^2 m_D(omega)``
contracts there by ``s^2 / (2R)^2 <= 1/16``), then Newton on ``Z(omega) - z`` following
``Im z`` down geometrically (factor 10) to the target ``Im z`` or to the real axis, every
step kept in ``Im omega >= Im z`` (the physical branch, ``Im m_H < 0`` for ``Im z > 0``).
On the real axis a root with ``Im omega < 0`` is reflected (the conjugate of a root is a
root), and a real root must be the stable one, ``Z'(omega) = 1 - s^2 h(omega) > 0`` with
``h(omega) = int dmu_D(l) / (omega - l)^2 = -m_D'(omega)``; a point where Newton ends
elsewhere is reported by a ``RuntimeWarning`` naming it.  Two implementations of these rules:
when ``mu_D`` is built from atoms, semicircles and Marchenko-Pastur laws (mixtures and affine
images of them), the compiled solver of :mod:`complexity.spectra._subordination_kernel`
(points in order, Newton warm-started from the previous point and accepted only on the
physical branch; 1e5-1e6 points/s); otherwise vectorised numpy over the points (``m_D`` is
whatever vectorised Stieltjes transform ``mu_D`` has).

Atoms: none for ``s > 0``.  From ``Im omega = Im z + s^2 Im omega int dmu_D / |omega - l|^2``,
``s^2 int dmu_D / |omega - l|^2 <= 1``, and by Cauchy-Schwarz
``|m_H|^2 = |m_D(omega)|^2 <= int dmu_D / |omega - l|^2 <= 1 / s^2``: ``|m_H| <= 1/s`` on the
whole upper half plane, so ``eta |m_H(a + i eta)| -> 0`` at every ``a`` (no atom) and the
density is at most ``1 / (pi s)``.

Support (Biane 1997).  The complement of the support is the image under ``Z`` of the real
``omega`` outside ``supp mu_D`` with ``s^2 h(omega) < 1``; ``Z`` is increasing there.  On each
gap of ``supp mu_D`` (between its intervals and atoms, and the two unbounded ends) ``h`` is
strictly convex (``h'' = 6 int dmu_D / (omega - l)^4 > 0``) and diverges at an end where
``mu_D`` has an atom or a density edge ``(l - a)^beta`` with ``beta <= 1``; so each finite
gap holds 0 or 2 roots of ``s^2 h = 1`` (0: the gap closes, the two bulks merge), each
unbounded end one.  Edges are ``z_e = omega_e + s^2 m_D(omega_e)`` at the roots (golden
section for the minimum of ``h`` on a gap, stopped at the first point below ``1/s^2``;
bisection for the roots, ``h`` by a 4-point
circle rule or a closed form).  Since ``Z'(omega_e) = 0`` an error ``delta`` in ``omega_e``
moves ``z_e`` by ``O(delta^2)``: the edges are exact to round-off without a grid.  (At a
gap end where ``h`` stays below ``1/s^2`` the edge is ``Z`` of that end.)

Log-potential: ``L_H(z) = int log(z - l) dmu_H(l)`` satisfies

    L_H(z) = L_D(omega) + (z - omega)^2 / (2 s^2)

(differentiate: ``m_D(omega) omega' + (z - omega)(1 - omega') / s^2 = m_H``, and both sides
are ``log z + o(1)`` at infinity); the right side is stationary in ``omega`` (its
``omega``-derivative is ``m_D(omega) - (z - omega)/s^2 = 0``), so an error in ``omega``
enters at second order.  ``Phi_H(x) = Re L_H(x + i0)`` needs ``Re L_D`` at the complex
``omega``: closed forms for the semicircle (``L = -log m + (v/2) m^2``), Marchenko-Pastur
(``L = m z - 1 - log m + log(1 - c m) / c``, from ``L = m z - 1 - log m - int_0^m R`` with
the R-transform), discrete measures (exact sums), the block ensembles (their Psi
identity), mixtures, affine images and deformed measures (this identity again); for any
other ``mu_D`` the spectral layer's generic route (reference value plus the cumulative
integral of ``Re m_H``).

Sampler: ``A + s X`` with ``A = diag`` of eigenvalues drawn from ``mu_D``'s finite-N ensemble
(the law of ``O A O^T + s X`` for any orthogonal O: the GOE is orthogonally invariant)
and ``X`` the "wigner" Wigner matrix of :func:`complexity.spectra.semicircle`.

A discrete ``mu_D`` (``spectra.discrete(levels, weights)``) with at most ``BLOCK_LEVELS``
levels gives the block ensemble ``fractions = weights, S_ij = s^2, shifts = levels``
(:class:`complexity.rmt.block.BlockEnsemble`: with a constant profile the vector Dyson
equation ``g_i = 1/(z - a_i - s^2 m)`` is this subordination with ``g_i = 1/(omega - a_i)``);
more levels (e.g. an empirical spectrum) stay on the scalar subordination route, whose cost
does not grow with the number of blocks beyond the sum in ``m_D``.
"""

from __future__ import annotations

import math

import numpy as np

from complexity._validate import check_real
from complexity.spectra import _subordination_kernel as _kernel
from complexity.spectra._base import AffineMeasure, SpectralMeasure
from complexity.spectra.composite import Discrete, Mixture
from complexity.spectra.marchenko_pastur import MarchenkoPastur
from complexity.spectra.semicircle import Semicircle

__all__ = ["Deformed", "deformed", "complex_log_potential", "BLOCK_LEVELS"]

#: a discrete mu_D with at most this many levels is returned as a block ensemble
BLOCK_LEVELS = 64

_SHRINK = 0.1  # Im z continuation factor per level


class Deformed(SpectralMeasure):
    """``mu ⊞ semicircle(s^2)``: the law of ``A + s X`` (``A ~ mu``, ``X`` a "wigner" Wigner matrix)."""

    name = "deformed"

    def __init__(self, mu: SpectralMeasure, s: float):
        if not isinstance(mu, SpectralMeasure):
            raise ValueError(f"mu must be a spectral measure (complexity.spectra), got {mu!r}")
        s = check_real("s", s, lower=0.0, lower_open=True)
        super().__init__(scale="wigner" if mu.scale == "wigner" else "none", params={"mu": mu, "s": s})
        self.mu, self.s, self.s2 = mu, s, s * s
        lo, hi = mu.edges()
        self._radius = max(abs(lo), abs(hi)) + 2.0 * s  # every eigenvalue of H within it (Weyl)
        self._width = (hi - lo) + 4.0 * s
        segs = sorted([(float(a), float(b)) for a, b in mu.support()] + [(a, a) for a, _ in mu.atoms()])
        merged = []
        for a, b in segs:
            if merged and a <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], b))
            else:
                merged.append((a, b))
        self._segments = merged  # supp mu_D as closed segments (atoms: degenerate ones)
        self._closed_derivative = isinstance(mu, (Semicircle, Discrete))  # m_D' in closed form
        flat = _kernel.flatten(mu)  # m_D in closed form: the compiled solver
        self._packed = None if flat is None else _kernel.pack(flat)

    # ------------------------------------------------------------------ m_D and its derivative
    def _md(self, w):
        if w.size and np.all(w.imag > 0):  # the physical branch directly (no dispatch)
            return self.mu._stieltjes_upper(w)
        return self.mu.stieltjes(w)

    def _dist(self, w):
        """Distance from w to supp mu_D (intervals and atoms)."""
        d = np.full(w.shape, np.inf)
        for a, b in self._segments:
            dx = np.maximum(np.maximum(a - w.real, w.real - b), 0.0)
            d = np.minimum(d, np.hypot(dx, w.imag))
        return d

    def _dmd(self, w, points=2):
        """``m_D'(w)``: the measure's closed form, else a ``points``-point circle rule of radius
        ``1e-3`` (4 points) or ``1e-4`` (2 points, horizontal) of the distance to supp mu_D."""
        if self._closed_derivative:
            return self.mu.stieltjes_derivative(w)
        d = np.maximum(self._dist(w), 1e-15 * self._width)
        if points == 2:
            r = 1e-4 * d
            return (self._md(w + r) - self._md(w - r)) / (2.0 * r)
        r = 1e-3 * d
        acc = np.zeros(w.shape, complex)
        for k in range(4):
            u = 1j**k
            acc += self._md(w + r * u) * np.conj(u)
        return acc / (4.0 * r)

    def _h(self, w):
        """``h(omega) = int dmu_D / (omega - l)^2 = -m_D'(omega)`` at real omega off supp mu_D."""
        return -self._dmd(np.asarray(w, float) + 0j, points=4).real

    # ------------------------------------------------------------------ the subordination solver
    def omega(self, z) -> np.ndarray:
        """The subordination function ``omega(z) = z - s^2 m_H(z)`` at ``Im z >= 0`` (real: z + i0)."""
        z = np.asarray(z, dtype=complex)
        return self._omega(z.ravel()).reshape(z.shape)

    def _omega(self, z):
        return self._solve(z)[0]

    def _solve(self, z):
        """``(omega, m_D(omega))`` at the flat array ``z`` (``Im z >= 0``): the compiled solver
        when ``m_D`` has a closed form, else the vectorised numpy route."""
        if np.any(z.imag < 0):
            raise ValueError("z must have Im z >= 0 for the subordination function")
        if self._packed is None or z.size == 0:
            om = self._omega_numpy(z)
            return om, self._md(om)
        kind, par = self._packed
        order = np.lexsort((z.real, z.imag))
        zs = np.ascontiguousarray(z[order])
        om_s, m_s, ok_s = np.empty(z.size, complex), np.empty(z.size, complex), np.empty(z.size, np.bool_)
        fails = _kernel.solve(kind, par, self.s2, zs, self._radius, self._width, om_s, m_s, ok_s)
        om, m = np.empty_like(om_s), np.empty_like(m_s)
        om[order], m[order] = om_s, m_s
        if fails:
            where = zs[~ok_s]
            self._warn(f"the subordination equation did not converge at {fails} point(s), e.g. z = {where[0]!r}")
        return om, m

    def _omega_numpy(self, z):
        target = z.imag
        if np.any(target < 0):
            raise ValueError("z must have Im z >= 0 for the subordination function")
        rad = self._radius
        eta = np.maximum(2.0 * rad, target)
        zt = z.real + 1j * eta
        om = zt.copy()
        for _ in range(14):  # contraction by s^2 / (2R)^2 <= 1/16 at Im z >= 2R
            om = zt - self.s2 * self._md(om)
        floor = 1e-13 * rad
        fails = np.zeros(z.size, bool)
        while True:
            eta = np.where(eta * _SHRINK > np.maximum(target, floor), eta * _SHRINK, target)
            fails |= ~self._newton(z.real + 1j * eta, om)
            if np.all(eta == target):
                break
        real = target == 0
        if np.any(real):
            fails[real] |= ~self._physical_real(om, real)
        if np.any(fails):
            where = z[fails]
            self._warn(f"the subordination equation did not converge at {where.size} point(s), e.g. z = {where[0]!r}")
        return om

    def _newton(self, zt, om, maxit=60):
        """Newton on ``Z(omega) - zt = 0`` in place, ``Im omega >= Im zt`` kept (real zt: a
        root below the axis is reflected).  A point is done when the step falls below 1e-14
        of the scale, or when the steps stop shrinking with the residual below 1e-12 of it
        (the precision of ``m_D`` reached).  Returns the converged mask."""
        s2 = self.s2
        scale = np.abs(zt) + self._radius
        active = np.arange(zt.size)
        done = np.zeros(zt.size, bool)
        prev = np.full(zt.size, np.inf)
        for _ in range(maxit):
            if active.size == 0:
                break
            w, zz = om[active], zt[active]
            g = w + s2 * self._md(w) - zz
            jac = 1.0 + s2 * self._dmd(w)
            step = g / np.where(jac == 0, 1e-300, jac)
            new = w - step
            lim = zz.imag
            on_axis = lim == 0
            new = np.where(on_axis & (new.imag < 0), new.conjugate(), new)
            bad = (~on_axis) & (new.imag <= lim)
            for _ in range(30):  # backtrack into Im omega > Im z
                if not np.any(bad):
                    break
                step = np.where(bad, 0.5 * step, step)
                new = np.where(bad, w - step, new)
                bad = (~on_axis) & (new.imag <= lim)
            new = np.where(bad, w, new)
            om[active] = new
            size = np.abs(step)
            sc = scale[active]
            conv = (size <= 1e-14 * sc) | ((size > 0.5 * prev[active]) & (np.abs(g) <= 1e-12 * sc))
            prev[active] = size
            done[active[conv]] = True
            active = active[~conv]
        return done

    def _physical_real(self, om, sel):
        """On the real axis: snap round-off imaginary parts to 0 and require the stable real
        root (``s^2 h(omega) < 1``); returns the accepted mask over ``sel``."""
        idx = np.nonzero(sel)[0]
        w = om[idx]
        tiny = np.abs(w.imag) <= 1e-14 * self._radius
        w = np.where(tiny, w.real + 0j, w)
        om[idx] = w
        ok = np.ones(idx.size, bool)
        if np.any(tiny):
            wr = w[tiny].real
            ok[tiny] = self.s2 * self._h(wr) <= 1.0 + 1e-6
        return ok

    # ------------------------------------------------------------------ the spectral-layer hooks
    def _stieltjes_upper(self, z):
        return self._solve(np.asarray(z, complex))[1]

    def _stieltjes_real(self, x):
        return self._solve(np.asarray(x, float) + 0j)[1].astype(complex)

    def _density(self, x):
        out = np.zeros(x.size)
        inside = self._in_support(x)
        if np.any(inside):
            out[inside] = np.maximum(self._omega(x[inside] + 0j).imag / (math.pi * self.s2), 0.0)
        return out

    def _log_potential(self, x):
        out = self._complex_log_potential(np.asarray(x, float) + 0j)
        return SpectralMeasure._log_potential(self, x) if out is None else out

    def _complex_log_potential(self, z):
        """``Re L_H(z) = Re L_D(omega) + Re (z - omega)^2 / (2 s^2)`` (None if ``Re L_D`` is unknown)."""
        om = self._omega(z)
        base = complex_log_potential(self.mu, om)
        if base is None:
            return None
        return base + ((z - om) ** 2).real / (2.0 * self.s2)

    def _moments(self, k):
        """Free cumulants add: ``kappa_n(H) = kappa_n(mu_D) + s^2 [n = 2]``; moments from the
        cumulants by the moment-cumulant recursion of non-crossing partitions."""
        m = np.concatenate([[1.0], self.mu.moments(max(k, 2))])
        kap = _free_cumulants(m)
        kap[2] += self.s2
        return _moments_from_cumulants(kap)[1:k + 1]

    def _support(self):
        return [(float(a), float(b)) for a, b in zip(self.edge_points()[0::2], self.edge_points()[1::2])]

    def edge_points(self) -> list:
        """The support edges ``[l_1, r_1, l_2, r_2, ...]`` from the real roots of
        ``s^2 h(omega) = 1`` outside supp mu_D (see the module docstring)."""
        if "edges" in self._cache:
            return list(self._cache["edges"])
        segs = self._segments
        inv = 1.0 / self.s2
        roots = []  # omega of the edges, ascending
        # left end: h increases from 0 to h(segs[0][0]-) on (-inf, a)
        roots.append(self._edge_root(segs[0][0], -1.0, self.s * 1.001 + 1e-12 * self._width, inv))
        for (_, p), (q, _) in zip(segs[:-1], segs[1:]):
            tiny = 1e-13 * max(self._width, abs(p), abs(q))
            lo, hi = p + tiny, q - tiny
            g = (math.sqrt(5.0) - 1.0) / 2.0
            a, b = lo, hi
            c, d = b - g * (b - a), a + g * (b - a)
            hc, hd = self._h(np.array([c]))[0], self._h(np.array([d]))[0]
            for _ in range(90):
                if min(hc, hd) < inv:
                    break  # the gap stays open: a point below 1/s^2 separates its two roots
                if hc < hd:
                    b, d, hd = d, c, hc
                    c = b - g * (b - a)
                    hc = self._h(np.array([c]))[0]
                else:
                    a, c, hc = c, d, hd
                    d = a + g * (b - a)
                    hd = self._h(np.array([d]))[0]
                if b - a <= 1e-15 * max(abs(a), abs(b), self._width):
                    break
            wmin = c if hc < hd else d
            if min(hc, hd) >= inv:
                continue  # the gap closes: the bulks on both sides merge
            roots.append(self._edge_root(p, +1.0, wmin - p, inv))
            roots.append(self._edge_root(q, -1.0, q - wmin, inv))
        roots.append(self._edge_root(segs[-1][1], +1.0, self.s * 1.001 + 1e-12 * self._width, inv))
        om = np.array(roots, float)
        edges = om + self.s2 * self.mu.stieltjes(om).real
        self._cache["edges"] = edges.tolist()
        return edges.tolist()

    def _edge_root(self, end, side, reach, inv):
        """The omega = end + side t, t in (0, reach], with h = inv, where h decreases in t
        (bisection in log t, then in t, to 1e-13 of the scale); ``end`` itself if h stays below
        inv up to the end."""
        scale = max(self._width, abs(end))
        t_lo, t_hi = 1e-13 * scale, reach
        if self._h(np.array([end + side * t_lo]))[0] < inv:
            return end
        for _ in range(200):
            mid = math.sqrt(t_lo * t_hi) if t_hi > 4.0 * t_lo else 0.5 * (t_lo + t_hi)
            if self._h(np.array([end + side * mid]))[0] >= inv:
                t_lo = mid
            else:
                t_hi = mid
            if t_hi - t_lo <= 1e-13 * scale:  # Z'(omega_e) = 0: z_e is off by O(1e-26)
                break
        return end + side * 0.5 * (t_lo + t_hi)

    def _sample_matrices(self, n, samples, rng):
        from complexity.spectra.semicircle import semicircle

        noise = semicircle()
        out = np.empty((samples, n, n))
        for k in range(samples):
            a = self.mu._sample(n, 1, rng)[0]
            out[k] = self.s * noise._sample_matrices(n, 1, rng)[0]
            out[k][np.diag_indices(n)] += a
        return out


def _free_cumulants(m):
    """Free cumulants ``kappa_1..kappa_k`` from moments ``m_0 = 1, m_1..m_k`` (index 0 unused):
    ``m_n = sum_{s=1}^n kappa_s sum_{i_1+..+i_s = n-s} m_{i_1} ... m_{i_s}``."""
    k = m.size - 1
    kap = np.zeros(k + 1)
    for n in range(1, k + 1):
        kap[n] = m[n] - sum(kap[s] * _compositions(m, s, n - s) for s in range(1, n))
    return kap


def _moments_from_cumulants(kap):
    k = kap.size - 1
    m = np.zeros(k + 1)
    m[0] = 1.0
    for n in range(1, k + 1):
        m[n] = sum(kap[s] * _compositions(m, s, n - s) for s in range(1, n + 1))
    return m


def _compositions(m, s, total):
    """``sum_{i_1 + ... + i_s = total, i_j >= 0} m_{i_1} ... m_{i_s}`` (the coefficient of
    ``t^total`` in ``M(t)^s``, ``M(t) = sum_i m_i t^i``)."""
    poly = np.zeros(total + 1)
    poly[0] = 1.0
    base = m[: total + 1]
    for _ in range(s):
        poly = np.convolve(poly, base)[: total + 1]
    return poly[total]


def complex_log_potential(mu: SpectralMeasure, w) -> np.ndarray | None:
    r"""``Re L(w) = int log|w - l| dmu(l)`` at points ``w`` with ``Im w >= 0``, where the measure's
    type has an exact route; ``None`` otherwise (the caller falls back to the generic one).

    Real ``w``: :meth:`SpectralMeasure.log_potential`.  Complex ``w``: semicircle of variance
    v, ``-log|m| + (v/2) Re m^2``; Marchenko-Pastur, ``Re(m w) - 1 - log|m| + log|1 - c m| / c``
    (both from ``L = m z - 1 - log m - int_0^m R(t) dt``, R the R-transform); discrete,
    the exact sum; block ensembles, ``Re Psi(g(w); w)``; mixtures, affine images, deformed
    measures, from their parts.
    """
    from complexity.rmt.block import BlockEnsemble, _log_potential_complex

    w = np.asarray(w, dtype=complex)
    if isinstance(mu, Deformed):
        return mu._complex_log_potential(w)
    if np.all(w.imag == 0):
        return mu.log_potential(w.real)
    if isinstance(mu, Discrete):
        with np.errstate(divide="ignore"):
            return mu._sum(w, lambda d: np.log(np.abs(d)))
    if isinstance(mu, Semicircle):
        m = mu.stieltjes(w)
        v = mu.radius**2 / 4.0
        return -np.log(np.abs(m)) + 0.5 * v * (m * m).real
    if isinstance(mu, MarchenkoPastur):
        m = mu.stieltjes(w)
        c = mu.c
        return (m * w).real - 1.0 - np.log(np.abs(m)) + np.log(np.abs(1.0 - c * m)) / c
    if isinstance(mu, BlockEnsemble):
        return _log_potential_complex(mu, w)
    if isinstance(mu, AffineMeasure):
        y = (w - mu.b) / mu.a
        y = np.where(y.imag < 0, y.conjugate(), y)
        base = complex_log_potential(mu.base, y)
        return None if base is None else base + math.log(abs(mu.a))
    if isinstance(mu, Mixture):
        parts = [complex_log_potential(c, w) for c in mu.components]
        if any(p is None for p in parts):
            return None
        return sum(wt * p for wt, p in zip(mu.weights, parts))
    return None


def deformed(mu: SpectralMeasure, s: float) -> SpectralMeasure:
    """``mu ⊞ semicircle(s^2)``: the law of ``A + s X`` (``A ~ mu``, ``X`` a "wigner" Wigner matrix).

    A discrete ``mu`` (at most :data:`BLOCK_LEVELS` levels) gives the block ensemble
    ``BlockEnsemble(weights, S_ij = s^2, levels)``; a block ensemble gives the block ensemble
    with ``S + s^2``; a deformed measure ``deformed(nu, t)`` gives ``deformed(nu, sqrt(t^2 + s^2))``
    (semicircles add variances); anything else the subordination route, :class:`Deformed`.
    ``s > 0`` (the noise's standard deviation in the "wigner" scale).
    """
    from complexity.rmt.block import BlockEnsemble

    if not isinstance(mu, SpectralMeasure):
        raise ValueError(f"mu must be a spectral measure (complexity.spectra), got {mu!r}")
    s = check_real("s", s, lower=0.0, lower_open=True)
    scale = "wigner" if mu.scale == "wigner" else "none"
    if isinstance(mu, Discrete) and len(mu.atoms()) <= BLOCK_LEVELS:
        levels, weights = zip(*mu.atoms())
        k = len(levels)
        w = np.array(weights) / np.sum(weights)
        return BlockEnsemble(tuple(w), np.full((k, k), s * s), tuple(levels), scale=scale)
    if isinstance(mu, BlockEnsemble):
        return BlockEnsemble(mu.fractions, mu.arrays[1] + s * s, mu.shifts, scale=scale)
    if isinstance(mu, Deformed):
        return Deformed(mu.mu, math.hypot(mu.s, s))
    return Deformed(mu, s)
