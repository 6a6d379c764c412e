r"""Kac-Rice complexity for any Hessian spectrum: the p-spin's Gaussian structure with the
semicircle replaced by a spectral measure mu (MATH.md section 5; docs/kacrice.md).

Model and units
---------------
Energies per spin ``u = H/N`` (ABC units, ``E[H H'] = N xi(R)``).  ``mu`` (any measure of
:mod:`complexity.spectra`, in any scale) is **standardised** to mean 0 and variance 1/2 (the
abc GOE's), so only its shape matters; the semicircle gives back :mod:`complexity.models.pspin`
and :mod:`complexity.models.mixed`.  Formulas (derived in
:mod:`complexity.symbolic.kac_rice_general`, printed into
:mod:`complexity._generated.kac_rice_general`):

* pure p-spin: ``S_mu(u) = 1/2 + log(2(p-1))/2 - u^2/2 + Phi_mu(t)``, ``t = s u``,
  ``s = sqrt(p/(2(p-1)))``; ``Theta_mu(u) = sup_{v <= u} S_mu(v)`` (all critical points with
  ``H/N <= u``);
* ``E_inf(mu) = |a| / s``, ``a`` the left end of the standardised mu (of its support or of an
  atom, whichever is smaller);
* index layers ``Theta_{k,mu}(u) = sup_{v <= min(u, -E_inf)} [S_mu(v) - k J(s v)]``, J the
  large-deviation rate (speed N) of the smallest eigenvalue of the *ensemble*
  (:func:`edge_rate`); ``k = 0`` needs no rate; ``E_k`` solves ``Theta_{k,mu}(-E_k) = 0``;
* mixed ``xi``: ``Theta_mu(u) = sup_t [S_mu(min(u, u_hat(y)), y)]``, ``y = sqrt(2 xi'') t``,
  ``u_hat(y) = y xi'/(xi' + xi'')`` (the sup over ``u' <= u`` of the concave Gaussian in closed
  form), ``t <= a`` and ``- k J(t)`` for index k.

How Theta is computed (pure model)
----------------------------------
``S_mu' (u) = -u + s Re m_mu(s u)``.  Every local maximum of ``S_mu`` is a sign change + -> -
of ``S_mu'``: they are bracketed on a grid (geometric toward each atom and edge, out to where
``S_mu' > 0`` on the left and ``< 0`` on the right, beyond which ``S_mu`` is concave because
``m_mu' < 0`` off the support) and polished by simultaneous bisection to the spacing of doubles.  Then
``Theta_mu(u) = max(S_mu(u), max{S_mu(v_j) : v_j < u})`` exactly.  Below the left edge
``S_mu'' = -1 + s^2 m_mu'(t) < 0``, so ``S_mu - k J`` is concave there whenever J is convex
(the GOE, invariant ensembles with convex V): its maximiser ``u*_k`` is found on a grid and
polished, and ``Theta_{k,mu}(u) = S_mu(min(u, u*_k)) - k J``.

An atom of the standardised mu at ``t_0`` makes ``Phi_mu(t_0) = -inf``: ``S_mu = -inf`` at the one
energy ``t_0 / s``; ``Theta_mu`` is a running sup, so it is unaffected except that a new local
maximum appears just left of the atom.  A rank-degenerate Hessian (an atom at 0 before
standardising) puts that atom at ``-mean/sd * sqrt(1/2)``.

Two paths: float arrays, and ``dps=D`` (mpmath) where the measure has a high-precision
density (:func:`log_potential_mp`); index layers at ``dps`` use the rates at the working
precision (:func:`_mp_rate`).  Ensembles in :data:`UNBOUNDED_BELOW` (percolated) have no
spectrum-free half-line: ``E_inf = inf`` and no minima at exponential scale.
"""

from __future__ import annotations

import dataclasses
import math
import warnings

import mpmath
import numpy as np
from scipy.interpolate import CubicHermiteSpline
from scipy.optimize import brentq, minimize_scalar

from complexity._generated import kac_rice as G0
from complexity._generated import kac_rice_general as G
from complexity._validate import check_array, check_int, check_mp_real, check_p
from complexity.spectra._base import AffineMeasure, SpectralMeasure

__all__ = [
    "STANDARD_VARIANCE",
    "UNBOUNDED_BELOW",
    "standardise",
    "ensemble_name",
    "edge_rate",
    "KacRice",
    "MixedKacRice",
    "Thresholds",
    "exponent",
    "theta",
    "e_inf",
    "e_0",
    "threshold",
    "thresholds",
    "log_potential_mp",
    "mixed_theta",
    "mixed_e_inf",
    "mixed_threshold",
]

#: the variance every Hessian spectrum is standardised to (the abc GOE's; mean 0)
STANDARD_VARIANCE = 0.5

#: ensembles whose limiting measure has unbounded support below (the support they report is a
#: numerical cap): no eigenvalue-free half-line, so E_inf = inf and no minima at exponential scale
UNBOUNDED_BELOW = ("percolated",)

_TABLE_MIN = 20000  # arrays at least this long go through the Hermite table of Phi_mu
_TABLE_TOL = 1e-9  # largest accepted interpolation error of the table (else: direct evaluation)


# ---------------------------------------------------------------------------- measures
def _check_measure(mu, name="mu") -> SpectralMeasure:
    if not isinstance(mu, SpectralMeasure):
        raise ValueError(f"{name} must be a spectral measure of complexity.spectra, got {mu!r}")
    return mu


def _base_name(mu) -> str:
    while isinstance(mu, AffineMeasure):
        mu = mu.base
    return mu.name


def ensemble_name(mu) -> str:
    """The constructor behind ``mu``, through affine maps and scale changes (for messages)."""
    while isinstance(mu, AffineMeasure):
        mu = mu.base
    if mu.name == "mixture" and "zero_mass" in mu.params:
        return f"with_zero_mass({ensemble_name(mu.params['base'])})"
    return mu.name


def standardise(mu) -> SpectralMeasure:
    """``mu`` mapped affinely to mean 0 and variance 1/2 (ValueError for zero variance)."""
    mu = _check_measure(mu)
    v = mu.variance()
    if not (math.isfinite(v) and v > 1e-300):
        raise ValueError(f"mu: the measure {mu!r} has variance {v!r}; it must be > 0 to be standardised "
                         "(a point mass is not a Hessian spectrum with a shape)")
    return mu.standardise(STANDARD_VARIANCE, 0.0)


# ---------------------------------------------------------------------------- edge rates
def _no_rate(mu, why):
    raise ValueError(f"k: no large-deviation rate of the smallest eigenvalue is known for the ensemble "
                     f"{ensemble_name(mu)!r} ({why}); index layers need one (k = 0 and all indices do not)")


def _rate(mu: SpectralMeasure, side: int):
    """J(x) for the ensemble of ``mu``: the smallest (side = -1) or largest (+1) eigenvalue at x
    beyond that edge; 0 on the other side of the edge, ``inf`` where no eigenvalue can go."""
    from complexity.spectra.composite import Discrete, Empirical, Mixture
    from complexity.spectra.marchenko_pastur import MarchenkoPastur
    from complexity.spectra.semicircle import Semicircle

    if isinstance(mu, AffineMeasure):
        inner = _rate(mu.base, side if mu.a > 0 else -side)
        return lambda x: inner((np.asarray(x, float) - mu.b) / mu.a)
    if isinstance(mu, Semicircle):
        return lambda x: mu.edge_rate(np.asarray(x, float))
    if isinstance(mu, Empirical):
        _no_rate(mu, "a sample of eigenvalues does not determine the law of the extreme one")
    if isinstance(mu, Discrete):  # deterministic diagonal: no eigenvalue ever leaves its levels
        edge = mu.edges()[0 if side < 0 else 1]
        return lambda x: np.where(side * (np.asarray(x, float) - edge) > 0, np.inf, 0.0)
    if isinstance(mu, Mixture):  # a direct sum: the cheapest block pays, at speed w_i N
        parts = [(w, _rate(m, side)) for w, m in zip(mu.weights, mu.components)]

        def mixed(x):
            x = np.asarray(x, float)
            with np.errstate(invalid="ignore"):
                vals = [np.where(np.isinf(r), np.inf, w * r) for w, r in ((w, f(x)) for w, f in parts)]
            return np.min(np.stack(vals), axis=0)

        edge = mu.edges()[0 if side < 0 else 1]
        return lambda x: np.where(side * (np.asarray(x, float) - edge) > 0, mixed(x), 0.0)
    if isinstance(mu, MarchenkoPastur) and mu.c >= 1.0 and side < 0:
        # W = X X^T / T is positive semi-definite: no eigenvalue below 0 (the left edge) ever
        return lambda x: np.where(np.asarray(x, float) < 0.0, np.inf, 0.0)
    if mu.potential is not None and mu.beta == 1:
        return _invariant_rate(mu, side)
    _no_rate(mu, "it is not an invariant ensemble with a known potential, nor built from such ensembles")


def _invariant_rate(mu, side):
    """``J(x) = (V(x) - V(e))/2 - (Phi(x) - Phi(e))`` beyond the edge e (generated formula)."""
    lo, hi = mu.edges()
    e = lo if side < 0 else hi
    v_e = float(np.asarray(mu.potential(np.array([e])), float)[0])
    phi_e = float(mu.log_potential(np.array([e]))[0])

    def rate(x):
        x = np.atleast_1d(np.asarray(x, float))
        out = np.zeros(x.shape)
        beyond = side * (x - e) > 0
        if np.any(beyond):
            xb = x[beyond]
            with np.errstate(invalid="ignore", divide="ignore"):
                v = np.asarray(mu.potential(xb), float)
                finite = np.isfinite(v)
                j = np.full(xb.shape, np.inf)
                if np.any(finite):
                    j[finite] = G.kr_invariant_edge_rate(v[finite], v_e, mu.log_potential(xb[finite]), phi_e)
            out[beyond] = np.maximum(j, 0.0)
        return out

    return rate


def edge_rate(mu):
    """The large-deviation rate J (speed N) of the smallest eigenvalue of ``mu``'s ensemble, as
    a function of x in ``mu``'s own units: ``P(lambda_min <= x) = exp(-N J(x) + o(N))`` for x
    below the left edge (0 at and above it, ``inf`` where no eigenvalue can go).

    Known: the GOE of any radius (``Semicircle.edge_rate``); invariant ensembles with potential
    V (``mu.potential``, beta = 1): ``J(x) = (V(x) - V(a))/2 - (Phi(x) - Phi(a))`` (Laguerre:
    Marchenko-Pastur with c < 1); Marchenko-Pastur with c >= 1 (positive semi-definite: ``inf``
    below 0); deterministic point masses (``inf`` below the lowest level); direct sums
    (mixtures, with_zero_mass): ``min_i w_i J_i``; affine images.  Anything else (products,
    percolated, empirical, deformed, ...) raises a ValueError naming the ensemble.
    """
    return _rate(_check_measure(mu), -1)


def _bisect(f, a, b, steps: int = 80):
    """Roots of the vectorised ``f`` in every bracket ``[a_i, b_i]`` with ``f(a_i) > 0 >= f(b_i)``,
    by simultaneous bisection (one call of f per step for all brackets; stops at the spacing of
    doubles)."""
    a, b = np.array(a, float), np.array(b, float)
    for _ in range(steps):
        mid = 0.5 * (a + b)
        if np.all((mid == a) | (mid == b)):
            break
        pos = f(mid) > 0
        a, b = np.where(pos, mid, a), np.where(pos, b, mid)
    return 0.5 * (a + b)


# ---------------------------------------------------------------------------- results
@dataclasses.dataclass(frozen=True)
class Thresholds:
    """``E_inf``, ``E_0`` and the band width ``E_0 - E_inf`` (energies per spin, positive).

    ``extra_roots``: other energies E in (0, E_0) with ``S_mu(-E) = 0`` (S_mu is not monotone
    below 0 there, e.g. around an atom); they do not move E_0 because Theta is a running sup.
    """

    p: int
    ensemble: str
    e_inf: object
    e_0: object
    extra_roots: tuple = ()

    @property
    def band(self):
        return self.e_0 - self.e_inf


# ---------------------------------------------------------------------------- the pure model
class KacRice:
    """Complexity of the pure p-spin with Hessian spectrum ``mu`` (see the module docstring)."""

    def __init__(self, mu, p):
        self.p = check_p(p)
        self.measure = _check_measure(mu)
        self.mu = standardise(mu)
        self.ensemble = ensemble_name(mu)
        self.s = G.kr_eigen_scale(float(self.p))
        self.left, self.right = (float(v) for v in self.mu.edges())
        self.atoms = [a for a, _ in self.mu.atoms()]
        self.unbounded = _base_name(mu) in UNBOUNDED_BELOW
        self.e_inf = math.inf if self.unbounded else G.kr_e_inf(self.left, float(self.p))
        self._maxima = None
        self._grid = None
        self._rate = None
        self._ustar = {}

    def __repr__(self):
        return f"KacRice(p={self.p}, mu={self.measure!r})"

    # ---- spectral inputs
    def log_potential(self, t) -> np.ndarray:
        """``Phi_mu(t)`` of the standardised measure (a Hermite table for long arrays)."""
        t = np.asarray(t, float)
        if t.size >= _TABLE_MIN:
            table = self._table(float(t.min()), float(t.max()))
            if table is not None:
                out = table(t.ravel())
                with np.errstate(divide="ignore"):
                    for a, w in self.mu.atoms():
                        out = out + w * np.log(np.abs(t.ravel() - a))
                return out.reshape(t.shape)
        return self.mu.log_potential(t)

    def _table(self, tmin, tmax):
        """Cubic Hermite interpolant of the continuous part of Phi_mu on [tmin, tmax] (nodes:
        uniform, cosine-clustered on each support interval, geometric toward each edge from
        outside; slopes Re m_c).  Its error is
        measured at 64 cell midpoints against direct evaluation; above 1e-9 it is not used."""
        key = (tmin, tmax)
        cache = self.__dict__.setdefault("_tables", {})
        if key in cache:
            return cache[key]
        span = max(tmax - tmin, 1e-6)
        nodes = [np.linspace(tmin - 1e-3 * span, tmax + 1e-3 * span, 8193)]
        for lo, hi in self.mu.support():
            nodes.append(lo + (hi - lo) * (1 - np.cos(np.linspace(0, math.pi, 2049))) / 2)
            geo = (hi - lo) * 2.0 ** -np.arange(1, 48, 0.25)  # toward each edge from outside
            nodes += [lo - geo, hi + geo]
        x = np.unique(np.concatenate(nodes))
        x = x[(x >= tmin - 1e-3 * span) & (x <= tmax + 1e-3 * span)]
        for a in self.atoms:  # the continuous part is smooth at an atom; keep nodes off it
            x = x[np.abs(x - a) > 1e-9 * span]
        atom_part = np.zeros(x.size)
        for a, w in self.mu.atoms():
            atom_part += w * np.log(np.abs(x - a))
        phi_c = self.mu.log_potential(x) - atom_part
        slope = np.asarray(self.mu._continuous_stieltjes_real(x), complex).real
        table = None
        if np.all(np.isfinite(phi_c)) and np.all(np.isfinite(slope)):
            spline = CubicHermiteSpline(x, phi_c, slope)
            rng = np.random.default_rng(0)
            cells = rng.integers(0, x.size - 1, 64)
            mid = 0.5 * (x[cells] + x[cells + 1])
            ap = np.zeros(mid.size)
            for a, w in self.mu.atoms():
                ap += w * np.log(np.abs(mid - a))
            err = float(np.max(np.abs(spline(mid) - (self.mu.log_potential(mid) - ap))))
            self.table_error = err
            if err <= _TABLE_TOL:
                table = spline
        cache[key] = table
        return table

    def re_m(self, t) -> np.ndarray:
        """``Re m_mu(t) = Phi_mu'(t)`` (t not an atom)."""
        return np.asarray(self.mu.stieltjes(np.asarray(t, float)), complex).real

    def rate(self):
        """J of the standardised ensemble (ValueError naming the ensemble when none is known)."""
        if self._rate is None:
            self._rate = edge_rate(self.mu)
        return self._rate

    # ---- exponent and its derivative
    def exponent(self, u) -> np.ndarray:
        """``S_mu(u)`` (``-inf`` exactly where ``s u`` is an atom)."""
        u = np.asarray(u, float)
        return G.kr_pure_exponent(u, float(self.p), self.log_potential(self.s * u))

    def slope(self, u) -> np.ndarray:
        """``S_mu'(u) = -u + s Re m_mu(s u)``."""
        u = np.asarray(u, float)
        return G.kr_pure_exponent_du(u, float(self.p), self.re_m(self.s * u))

    def _scalar_slope(self, u):
        return float(self.slope(np.array([u]))[0])

    # ---- local maxima of S_mu
    def _bounds(self):
        s = self.s
        width = max(self.right - self.left, 1.0)
        lo = (self.left - 0.5 * width) / s
        step = width / s
        while self._scalar_slope(lo) <= 0:  # S_mu is concave left of the support: go until S' > 0
            lo -= step
            step *= 2
            if step > 1e8:  # pragma: no cover - S' -> +inf as u -> -inf
                raise RuntimeError("no left bound for the maxima of S_mu")
        hi = (self.right + 0.5 * width) / s
        step = width / s
        while self._scalar_slope(hi) >= 0:
            hi += step
            step *= 2
            if step > 1e8:  # pragma: no cover
                raise RuntimeError("no right bound for the maxima of S_mu")
        return lo, hi

    def grid(self):
        """Energies bracketing every local maximum of S_mu (uniform, geometric toward each
        atom and support edge; no node on an atom or an edge)."""
        if self._grid is None:
            lo, hi = self._bounds()
            w = (hi - lo) / 50.0
            geo = w * 2.0 ** -np.arange(0, 44)
            pts = [np.linspace(lo, hi, 4001)]
            specials = [a / self.s for a in self.atoms] + [e / self.s for iv in self.mu.support() for e in iv]
            for c in specials:
                pts += [c - geo, c + geo]
            g = np.unique(np.concatenate(pts))
            g = g[(g >= lo) & (g <= hi)]
            for c in specials:
                g = g[np.abs(g - c) > 1e-13 * max(1.0, abs(c))]
            self._grid = g
        return self._grid

    def maxima(self):
        """``(v_j, S_mu(v_j))``: every local maximum of S_mu, sorted by energy."""
        if self._maxima is None:
            g = self.grid()
            d = self.slope(g)
            atoms_u = np.array([a / self.s for a in self.atoms])
            keep = []
            for i in np.nonzero((d[:-1] > 0) & (d[1:] <= 0))[0]:
                if atoms_u.size and np.any((atoms_u > g[i]) & (atoms_u < g[i + 1])):
                    continue  # a pole of S' (an atom) between the nodes, not a maximum
                if np.isfinite(d[i]) and np.isfinite(d[i + 1]):
                    keep.append(i)
            idx = np.array(keep, int)
            vs = list(_bisect(self.slope, g[idx], g[idx + 1])) if idx.size else []
            v = np.array(sorted(vs), float)
            self._maxima = (v, self.exponent(v) if v.size else np.empty(0))
        return self._maxima

    # ---- complexities
    def theta(self, u, k: int | None = None):
        """``Theta_mu(u)`` (k None: all critical points with H/N <= u) or ``Theta_{k,mu}(u)``;
        float or array (the result has u's shape; ``-inf`` where there are none)."""
        arr = check_array("u", u)
        flat = arr.ravel().astype(float)
        if k is None:
            v, sv = self.maxima()
            out = self.exponent(flat)
            if v.size:
                run = np.maximum.accumulate(sv)
                idx = np.searchsorted(v, flat, side="left")  # maxima strictly below u
                prev = np.where(idx > 0, run[np.maximum(idx - 1, 0)], -np.inf)
                out = np.maximum(out, prev)
        else:
            k = check_int("k", k, minimum=0)
            if k > 0:
                self.rate()  # a ValueError naming the ensemble when it has no known rate
            ustar, _ = self.layer_argmax(k)
            out = np.full(flat.size, -np.inf) if self.unbounded else self._layer(np.minimum(flat, ustar), k)
        return out.reshape(arr.shape) if np.ndim(u) else float(out[0])

    def _layer(self, v, k):
        """``S_mu(v) - k J(s v)`` for v <= -E_inf (``k J = 0`` at the edge, ``inf`` where J is)."""
        v = np.asarray(v, float)
        out = self.exponent(v)
        if k == 0:
            return out
        j = self.rate()(self.s * v)
        with np.errstate(invalid="ignore"):
            pen = np.where(j == 0, 0.0, k * j)
        return out - pen

    def layer_argmax(self, k: int):
        """``(u*_k, value)``: the maximiser of ``S_mu - k J`` over ``(-inf, -E_inf]``."""
        if k in self._ustar:
            return self._ustar[k]
        if self.unbounded:  # no energy has t below the (unbounded) spectrum
            return (-math.inf, -math.inf)
        edge = -self.e_inf
        lo = self._bounds()[0]
        if lo >= edge:
            lo = edge - max(1.0, abs(edge))
        g = np.unique(np.concatenate([np.linspace(lo, edge, 2001), edge - (edge - lo) / 50 * 2.0 ** -np.arange(44)]))
        g = g[g <= edge]
        vals = self._layer(g, k)
        i = int(np.argmax(vals))
        if i == g.size - 1 or vals[-1] >= vals[i] - 1e-14 * (1.0 + abs(vals[i])):  # the edge, up to rounding
            best = (edge, float(vals[-1]))
        else:
            a, b = g[max(i - 1, 0)], g[i + 1]
            r = minimize_scalar(lambda x: -float(self._layer(np.array([x]), k)[0]), bounds=(a, b),
                                method="bounded", options={"xatol": 1e-14 * max(1.0, abs(a))})
            x = float(r.x)
            fx = float(self._layer(np.array([x]), k)[0])
            best = (x, fx) if fx >= vals[i] else (float(g[i]), float(vals[i]))
        self._ustar[k] = best
        return best

    # ---- thresholds
    def threshold(self, k: int = 0) -> float:
        """``E_k``: ``Theta_{k,mu}(-E_k) = 0`` (``k = 0``: the minima's threshold E_0)."""
        k = check_int("k", k, minimum=0)
        if self.unbounded:
            raise ValueError(f"k = {k}: the spectrum of {self.ensemble!r} is unbounded below (its reported support "
                             f"is a numerical cap), so E_inf = inf and Theta_{{k,mu}} = -inf: no threshold E_{k}")
        ustar, top = self.layer_argmax(k)
        if ustar == -self.e_inf and abs(top) < 1e-12:
            return self.e_inf  # degenerate band (e.g. the 2-spin, where S_mu = 0 on the bulk): E_k = E_inf
        if not top > 0:
            raise ValueError(f"k = {k}: Theta_{{k,mu}}(u) <= 0 for every u (max {top:.6g} at u = {ustar:.6g}) "
                             f"for p = {self.p} and the ensemble {self.ensemble!r}: no threshold E_{k}")
        lo, step = ustar - 1.0, 1.0
        while self._layer(np.array([lo]), k)[0] > 0:
            lo -= step
            step *= 2
        root = brentq(lambda x: float(self._layer(np.array([x]), k)[0]), lo, ustar, xtol=1e-15,
                      rtol=4 * np.finfo(float).eps)
        return -root

    def extra_roots(self, e0: float) -> tuple:
        """Energies E in (0, E_0) other than E_0 where ``S_mu(-E)`` changes sign (float; a
        stretch where ``|S_mu| < 1e-10`` is not counted)."""
        g = self.grid()
        g = g[(g > -e0 + 1e-9 * max(1.0, e0)) & (g < 0)]
        if g.size < 2:
            return ()
        sv = self.exponent(g)
        sv = np.where(np.abs(sv) < 1e-10, 0.0, sv)  # |S| below 1e-10 counts as 0 (no sign): the 2-spin's flat S
        idx = np.nonzero(np.sign(sv[:-1]) * np.sign(sv[1:]) < 0)[0]
        fin = np.isfinite(sv[idx]) & np.isfinite(sv[idx + 1])
        out = [-float(g[i + 1] if not np.isfinite(sv[i]) else g[i]) for i in idx[~fin]]  # S = -inf at an atom
        i = idx[fin]
        if i.size:  # bisection on -S where S decreases through 0, on S where it increases
            sign = np.where(sv[i] > 0, 1.0, -1.0)
            out += [-float(x) for x in _bisect(lambda x, sg=sign: sg * self.exponent(x), g[i], g[i + 1])]
        return tuple(sorted(out))

    def thresholds(self, warn: bool = True) -> Thresholds:
        """E_inf, E_0 and any other root of ``S_mu(-E) = 0`` in (0, E_0) (warned about)."""
        e0 = self.threshold(0)
        extra = self.extra_roots(e0)
        if extra and warn:
            warnings.warn(f"kacrice: S_mu(-E) = 0 also at E = {', '.join(f'{e:.6g}' for e in extra)} for p = {self.p}, "
                          f"{self.ensemble}: S_mu is not monotone below 0 (Theta is its running sup; E_0 = "
                          f"{e0:.10g} bounds the band)", RuntimeWarning, stacklevel=2)
        return Thresholds(self.p, self.ensemble, self.e_inf, e0, extra)


# ---------------------------------------------------------------------------- mpmath path
class _MPMeasure:
    """A measure at high precision: atoms and continuous components ``A l + B`` (l from a base
    with a closed-form or ``density_mp`` density), the standardising map, Phi_mu at any dps."""

    def __init__(self, mu: SpectralMeasure):
        self.atoms, self.parts = [], []
        self._collect(mu, mpmath.mpf(1), mpmath.mpf(0), mpmath.mpf(1))
        m0 = mpmath.fsum(w for _, w in self.atoms) + mpmath.fsum(w * p["m"][0] for w, p, _, _ in self.parts)
        m1 = mpmath.fsum(w * x for x, w in self.atoms) + mpmath.fsum(
            w * (a * p["m"][1] + b * p["m"][0]) for w, p, a, b in self.parts)
        m2 = mpmath.fsum(w * x * x for x, w in self.atoms) + mpmath.fsum(
            w * (a * a * p["m"][2] + 2 * a * b * p["m"][1] + b * b * p["m"][0]) for w, p, a, b in self.parts)
        self.mean = m1 / m0
        var = m2 / m0 - self.mean**2
        if not var > 0:
            raise ValueError(f"mu: the measure {mu!r} has zero variance and cannot be standardised")
        self.alpha = mpmath.sqrt(mpmath.mpf(STANDARD_VARIANCE) / var)  # l_std = alpha (l - mean)
        lefts = [x for x, _ in self.atoms] + [(a * p["lo"] + b) if a > 0 else (a * p["hi"] + b) for _, p, a, b in self.parts]
        self.left = self.alpha * (min(lefts) - self.mean)
        rights = [x for x, _ in self.atoms] + [(a * p["hi"] + b) if a > 0 else (a * p["lo"] + b) for _, p, a, b in self.parts]
        self._ends = (min(lefts), max(rights))

    def edge_in_own_units(self, side):
        """The left (side -1) or right (+1) end of the measure, unstandardised."""
        return self._ends[0 if side < 0 else 1]

    def _collect(self, mu, A, B, W):
        from complexity.spectra.composite import Discrete, Mixture
        from complexity.spectra.marchenko_pastur import MarchenkoPastur
        from complexity.spectra.semicircle import Semicircle

        if isinstance(mu, AffineMeasure):
            self._collect(mu.base, A * mpmath.mpf(mu.a), A * mpmath.mpf(mu.b) + B, W)
        elif isinstance(mu, Mixture):
            for w, m in zip(mu.weights, mu.components):
                self._collect(m, A, B, W * mpmath.mpf(w))
        elif isinstance(mu, Discrete):
            for x, w in zip(mu.levels, mu.weights):
                self.atoms.append((A * mpmath.mpf(x) + B, W * mpmath.mpf(w)))
        elif isinstance(mu, Semicircle):
            r = mpmath.mpf(mu.radius)
            self.parts.append((W, {"kind": "semicircle", "r": r, "lo": -r, "hi": r,
                                   "m": (mpmath.mpf(1), mpmath.mpf(0), r * r / 4)}, A, B))
        elif isinstance(mu, MarchenkoPastur):
            c = mpmath.mpf(mu.c)
            lo, hi = (1 - mpmath.sqrt(c)) ** 2, (1 + mpmath.sqrt(c)) ** 2
            mass = 1 / c if c > 1 else mpmath.mpf(1)

            def rho(x, c=c, lo=lo, hi=hi):
                return mpmath.sqrt((hi - x) * (x - lo)) / (2 * mpmath.pi * c * x)

            self.parts.append((W, {"kind": "density", "rho": rho, "lo": lo, "hi": hi,
                                   "m": (mass, mpmath.mpf(1), 1 + c)}, A, B))
            if c > 1:
                self.atoms.append((B, W * (1 - 1 / c)))
        elif getattr(mu, "name", "") == "wishart_product":
            self.parts.append((W, _wishart_product_part(mu), A, B))
        elif hasattr(mu, "density_mp"):
            (lo, hi), = [tuple(map(mpmath.mpf, iv)) for iv in mu.support()] or [(0, 0)]
            rho = mu.density_mp
            mom = tuple(mpmath.quad(lambda x, j=j: x**j * rho(x), [lo, hi]) for j in range(3))
            self.parts.append((W, {"kind": "density", "rho": rho, "lo": lo, "hi": hi, "m": mom}, A, B))
            for x, w in mu.atoms():
                self.atoms.append((A * mpmath.mpf(x) + B, W * mpmath.mpf(w)))
        else:
            raise ValueError(f"dps: no high-precision log-potential for the ensemble {ensemble_name(mu)!r} (the mpmath "
                             "path needs closed-form densities: semicircle, marchenko_pastur, discrete, mixtures, "
                             "with_zero_mass and affine images, or a measure with density_mp)")

    def log_potential(self, t):
        """``Phi`` of the standardised measure at t (mpf); ``-inf`` at an atom."""
        x = t / self.alpha + self.mean  # back to the original units
        total = mpmath.mpf(0)
        for loc, w in self.atoms:
            if x == loc:
                return mpmath.mpf("-inf")
            total += w * mpmath.log(abs(x - loc))
        for w, p, a, b in self.parts:
            y = (x - b) / a
            if p["kind"] == "semicircle":
                r = p["r"]
                val = G0.goe_log_potential_mp(mpmath.sqrt(2) * y / r) + mpmath.log(r / mpmath.sqrt(2))
            elif p["kind"] == "algebraic":
                val = p["phi"](y)
            else:
                lo, hi, rho = p["lo"], p["hi"], p["rho"]
                pts = [lo, y, hi] if lo < y < hi else [lo, hi]
                val = mpmath.quad(lambda l: mpmath.log(abs(y - l)) * rho(l), pts)
            total += w * (p["m"][0] * mpmath.log(abs(a)) + val)
        return total + mpmath.log(self.alpha)


def _wishart_product_part(mu):
    """A Wishart product at high precision, off its continuous support: ``x w = phi(w)``,
    ``phi(w) = (1 + w) prod_i (1 + c_i w)``, solved for the physical real root by mpmath from the
    float root ``w = x m(x) - 1``; ``Phi(x) = k w - log|w| + sum_i (1 - 1/c_i) log|1 + c_i w|``
    (complexity.spectra.products; the atom at 0 included).  Edges: critical values
    ``phi(zeta)/zeta`` at the mp-polished roots of ``w phi'(w) - phi(w)``.  Moments of the whole
    measure: mean 1, ``E l^2 = 1 + sum_i c_i`` (Lagrange inversion, ``phi'(0)``)."""
    cs = [mpmath.mpf(c) for c in mu.cs]
    factors = [mpmath.mpf(1)] + cs

    def phi(w):
        out = mpmath.mpf(1)
        for c in factors:
            out *= 1 + c * w
        return out

    def crit(w):  # w phi'(w) - phi(w)
        return w * mpmath.diff(phi, w) - phi(w)

    def edge(r):
        z = mpmath.findroot(crit, mpmath.mpf(r))
        return phi(z) / z

    (a_f, b_f), = mu.support()
    crit_f = mu.critical_points()
    hi = edge(max(r for r, _ in crit_f if r > 0))
    lo = mpmath.mpf(0) if (a_f == 0.0 or mu.atom_mass > 0) else edge(max(r for r, _ in crit_f if r < mu.w_star))
    a_cont = mpmath.mpf(0) if a_f == 0.0 else edge(max(r for r, _ in crit_f if r < mu.w_star))

    def log_potential(x):
        if a_cont < x < hi or x == 0 and mu.atom_mass > 0:
            raise ValueError(f"dps: the high-precision log-potential of {mu!r} is available off its support only "
                             f"(x = {mpmath.nstr(x, 8)} is inside)")
        m = complex(mu.stieltjes(np.array([float(x)]))[0])
        w = mpmath.findroot(lambda v: x * v - phi(v), mpmath.mpf(float(x) * m.real - 1.0))
        out = len(cs) * w - mpmath.log(abs(w))
        for c in cs:
            if c != 1:
                out += (1 - 1 / c) * mpmath.log(abs(1 + c * w))
        return out

    return {"kind": "algebraic", "phi": log_potential, "lo": lo, "hi": hi,
            "m": (mpmath.mpf(1), mpmath.mpf(1), 1 + mpmath.fsum(cs))}


def log_potential_mp(mu, t, dps: int = 30):
    """``Phi_mu(t)`` of the standardised ``mu`` at ``dps`` digits (mpmath quadrature of the
    closed-form density, or the semicircle's closed form)."""
    dps = _check_dps(dps)
    with mpmath.workdps(dps + 15):
        v = _MPMeasure(_check_measure(mu)).log_potential(_mp_real("t", t))
    with mpmath.workdps(dps):
        return +v


def _check_dps(dps):
    return check_int("dps", dps, minimum=5, maximum=200)


def _mp_real(name, v):
    return check_mp_real(name, v)


def _mp_rate(mu, side=-1):
    """The smallest-eigenvalue rate of :func:`edge_rate` at high precision (a function of an
    mpf in ``mu``'s units), for the ensembles with a closed-form or invariant rate."""
    from complexity.spectra.composite import Discrete, Empirical, Mixture
    from complexity.spectra.marchenko_pastur import MarchenkoPastur
    from complexity.spectra.semicircle import Semicircle

    inf = mpmath.mpf("inf")
    if isinstance(mu, AffineMeasure):
        a, b = mpmath.mpf(mu.a), mpmath.mpf(mu.b)
        inner = _mp_rate(mu.base, side if mu.a > 0 else -side)
        return lambda x: inner((x - b) / a)
    if isinstance(mu, Semicircle):
        r = mpmath.mpf(mu.radius)
        return lambda x: G0.goe_edge_rate_mp(mpmath.sqrt(2) * x / r)
    if isinstance(mu, Empirical):
        _no_rate(mu, "a sample of eigenvalues does not determine the law of the extreme one")
    if isinstance(mu, Discrete):
        edge = mpmath.mpf(mu.edges()[0 if side < 0 else 1])
        return lambda x: inf if side * (x - edge) > 0 else mpmath.mpf(0)
    if isinstance(mu, Mixture):
        parts = [(mpmath.mpf(w), _mp_rate(m, side)) for w, m in zip(mu.weights, mu.components)]
        edge = _MPMeasure(mu).edge_in_own_units(side)

        def mixed(x):
            if not side * (x - edge) > 0:
                return mpmath.mpf(0)
            vals = [f(x) for _, f in parts]
            return min(inf if mpmath.isinf(v) else w * v for (w, _), v in zip(parts, vals))

        return mixed
    if isinstance(mu, MarchenkoPastur) and side < 0:
        if mu.c >= 1.0:
            return lambda x: inf if x < 0 else mpmath.mpf(0)
        c = mpmath.mpf(mu.c)
        mm = _MPMeasure(mu)
        a = (1 - mpmath.sqrt(c)) ** 2

        def V(x):
            return x / c - (1 / c - 1) * mpmath.log(x)

        def phi(x):  # Phi of MP itself from the standardised one
            return mm.log_potential(mm.alpha * (x - mm.mean)) - mpmath.log(mm.alpha)

        va, pa = V(a), phi(a)
        return lambda x: (inf if x <= 0 else G.kr_invariant_edge_rate_mp(V(x), va, phi(x), pa)) if x < a \
            else mpmath.mpf(0)
    _no_rate(mu, "no high-precision rate: not an ensemble with a closed-form or Laguerre rate")


class _MPModel:
    def __init__(self, model: KacRice):
        self.model = model
        self.m = _MPMeasure(model.measure)
        self.p = mpmath.mpf(model.p)
        self.s = G.kr_eigen_scale_mp(self.p)

    def S(self, u):
        return G.kr_pure_exponent_mp(u, self.p, self.m.log_potential(self.s * u))

    def e_inf(self):
        return G.kr_e_inf_mp(self.m.left, self.p)

    def layer(self, v, k):
        """``S_mu(v) - k J(s v)`` (J of the standardised ensemble, at the working precision)."""
        out = self.S(v)
        if k == 0:
            return out
        j = self.rate()(self.s * v)
        return out if j == 0 else out - k * j

    def rate(self):
        """J of the standardised ensemble, built once at the working precision."""
        if not hasattr(self, "_rate"):
            rate = _mp_rate(self.model.measure)
            alpha, mean = self.m.alpha, self.m.mean
            self._rate = lambda t: rate(t / alpha + mean)
        return self._rate

    def layer_argmax(self, k):
        if k:
            self.rate()
        ustar, _ = self.model.layer_argmax(k)
        if ustar == -self.model.e_inf:
            return -self.e_inf()
        return self.polish_max(ustar, lambda x: self.layer(x, k))

    def threshold(self, k, guess):
        if k:
            self.rate()
        edge = mpmath.mpf(self.model.layer_argmax(k)[0]) + mpmath.mpf(10) ** -8  # the float maximiser bounds the root
        x0 = -mpmath.mpf(guess)
        if guess == self.model.e_inf:
            return self.e_inf()

        def f(x):
            return self.layer(x, k)

        root = mpmath.findroot(f, (x0, x0 * (1 + mpmath.mpf(10) ** -10)), solver="secant",
                               tol=mpmath.mpf(10) ** (-2 * mpmath.mp.dps + 10), maxsteps=100)
        if not root <= edge:  # pragma: no cover - the float root is well inside
            root = mpmath.findroot(f, (x0 - mpmath.mpf(10) ** -6, x0 + mpmath.mpf(10) ** -6), solver="anderson")
        resid = abs(f(root))
        if resid > mpmath.mpf(10) ** (-mpmath.mp.dps + 12):
            warnings.warn(f"kacrice E_{k}: root finder residual {mpmath.nstr(resid, 3)}", RuntimeWarning)
        return -root

    def polish_max(self, v, f=None):
        f = self.S if f is None else f
        tol = mpmath.mpf(10) ** (-(mpmath.mp.dps // 2 + 2))
        try:
            x = mpmath.findroot(lambda x: mpmath.diff(f, x), mpmath.mpf(v), solver="secant", tol=tol ** 2)
        except (ValueError, ZeroDivisionError):  # pragma: no cover - the float maximiser is close
            x = mpmath.mpf(v)
        return x if abs(x - v) < 1e-6 * (1 + abs(v)) else mpmath.mpf(v)


# ---------------------------------------------------------------------------- module API
def _model(mu, p) -> KacRice:
    return KacRice(mu, p)


def exponent(u, p, mu):
    """``S_mu(u)``: the exponent of the number of critical points at energy u (float/array)."""
    m = _model(mu, p)
    arr = check_array("u", u)
    out = m.exponent(arr)
    return out if np.ndim(u) else float(out)


def theta(u, p, mu, k: int | None = None, dps: int | None = None):
    """``Theta_mu(u)`` (``k=None``) or ``Theta_{k,mu}(u)`` for the pure p-spin with Hessian
    spectrum ``mu``.  Floats/arrays; with ``dps`` an mpmath number (scalar u)."""
    m = _model(mu, p)
    if dps is None:
        return m.theta(u, k)
    dps = _check_dps(dps)
    if k is not None:
        k = check_int("k", k, minimum=0)
    with mpmath.workdps(dps + 15):
        uu = _mp_real("u", u)
        mm = _MPModel(m)
        if k is not None:
            v = mm.layer(min(uu, mm.layer_argmax(k)), k)
        else:
            v = mm.S(uu)
            for vj in m.maxima()[0]:
                if vj < float(uu):
                    v = max(v, mm.S(mm.polish_max(vj)))
    with mpmath.workdps(dps):
        return +v


def e_inf(p, mu, dps: int | None = None):
    """``E_inf(mu) = |a| sqrt(2(p-1)/p)``, a the left end of the standardised mu."""
    if dps is None:
        return _model(mu, p).e_inf
    dps = _check_dps(dps)
    m = _model(mu, p)  # validates p and mu (variance > 0)
    if m.unbounded:
        return mpmath.inf
    with mpmath.workdps(dps + 15):
        v = _MPModel(m).e_inf()
    with mpmath.workdps(dps):
        return +v


def threshold(p, mu, k: int = 0, dps: int | None = None):
    """``E_k(mu)``: root of ``Theta_{k,mu}(-E_k) = 0`` (k = 0: E_0)."""
    m = _model(mu, p)
    k = check_int("k", k, minimum=0)
    guess = m.threshold(k)
    if dps is None:
        return guess
    dps = _check_dps(dps)
    with mpmath.workdps(dps + 15):
        v = _MPModel(m).threshold(k, guess)
    with mpmath.workdps(dps):
        return +v


def e_0(p, mu, dps: int | None = None):
    """``E_0(mu)``: the minima's threshold (:func:`threshold` with k = 0)."""
    return threshold(p, mu, 0, dps)


def thresholds(p, mu, dps: int | None = None, warn: bool = True) -> Thresholds:
    """:class:`Thresholds` (E_inf, E_0, extra roots); mpmath numbers at ``dps`` digits."""
    m = _model(mu, p)
    th = m.thresholds(warn=warn)
    if dps is None:
        return th
    dps = _check_dps(dps)
    with mpmath.workdps(dps + 15):
        mm = _MPModel(m)
        ei, e0 = mm.e_inf(), mm.threshold(0, th.e_0)
    with mpmath.workdps(dps):
        return Thresholds(th.p, th.ensemble, +ei, +e0, th.extra_roots)


# ---------------------------------------------------------------------------- mixed models
class MixedKacRice:
    """Complexity of a mixed spherical model ``xi`` (:class:`complexity.models.mixed.Mixture`)
    with Hessian spectrum ``mu``:
    ``Theta_{k,mu}(u) = sup_t [S_mu(min(u, u_hat(y)), y) - k J(t)]``, ``y = sqrt(2 xi'') t``
    (``t <= a`` for index layers).  A single-term mixture ``beta^2 x^p`` is ``beta`` times the
    pure model: ``Theta(u) = Theta_p(u / beta)``."""

    def __init__(self, mixture, mu):
        from complexity.models.mixed import _mixture

        self.mix = _mixture(mixture)
        self.pure = None
        if self.mix.is_pure:
            (p, b2), = self.mix.terms
            self.pure, self.beta = KacRice(mu, p), math.sqrt(b2)
            return
        self.base = KacRice(mu, 2)  # the spectral side only (p unused)
        self.xi0, self.xi1, self.xi2 = self.mix.xi, self.mix.dxi, self.mix.d2xi
        self.c2 = math.sqrt(2 * self.xi2)

    def _objective(self, u, t, k):
        y = self.c2 * t
        uh = G.kr_mixed_u_hat(y, self.xi0, self.xi1, self.xi2)
        phi = self.base.log_potential(t)
        out = G.kr_mixed_exponent(np.minimum(u, uh), y, self.xi0, self.xi1, self.xi2, phi)
        if k:
            j = self.base.rate()(t)
            out = out - np.where(j == 0, 0.0, k * j)
        return out

    def theta(self, u, k: int | None = None):
        """``Theta_mu(u)`` (k None) or ``Theta_{k,mu}(u)``; float or array."""
        if self.pure is not None:
            arr = check_array("u", u)
            out = self.pure.theta(arr / self.beta, k)
            return out if np.ndim(u) else float(out)
        kk = None if k is None else check_int("k", k, minimum=0)
        arr = check_array("u", u)
        flat = arr.ravel()
        b = self.base
        if kk is not None and (kk > 0 and b.rate() or b.unbounded):
            if b.unbounded:  # no t below an unbounded spectrum
                out = np.full(flat.size, -np.inf)
                return out.reshape(arr.shape) if np.ndim(u) else float(out[0])
        lo, hi = b.left, b.right
        tmin = min(lo, float(flat.min()) * self.xi1 / (self.xi0 * self.c2)) - 4.0
        tmax = lo if kk is not None else max(hi, float(flat.max()) * self.xi1 / (self.xi0 * self.c2)) + 4.0
        tg = np.unique(np.concatenate([np.linspace(tmin, tmax, 6001)] + [
            e + sgn * 2.0 ** -np.arange(1, 30) for e in (lo, hi, *b.atoms) for sgn in (-1, 1)]))
        tg = tg[(tg >= tmin) & (tg <= tmax)]
        for a in b.atoms:
            tg = tg[tg != a]
        phi = b.log_potential(tg)
        j = None
        if kk:
            j = b.rate()(tg)
            j = np.where(j == 0, 0.0, kk * j)
        out = np.empty(flat.size)
        y = self.c2 * tg
        uh = G.kr_mixed_u_hat(y, self.xi0, self.xi1, self.xi2)
        for i, ui in enumerate(flat):
            vals = G.kr_mixed_exponent(np.minimum(ui, uh), y, self.xi0, self.xi1, self.xi2, phi)
            if j is not None:
                vals = vals - j
            n = int(np.argmax(vals))
            best = float(vals[n])
            if 0 < n < tg.size - 1 and np.isfinite(best):
                r = minimize_scalar(lambda t: -float(self._objective(ui, np.array([t]), kk)[0]),
                                    bounds=(tg[n - 1], tg[n + 1]), method="bounded", options={"xatol": 1e-13})
                best = max(best, -float(r.fun))
            out[i] = best
        return out.reshape(arr.shape) if np.ndim(u) else float(out[0])

    def _sup_t(self, u, lo, hi):
        """``(max, argmax)`` over t in [lo, hi] of the unconstrained ``S_mu(u, sqrt(2 xi'') t)``
        (4001-point grid, then Brent's method in the best cell)."""
        tg = np.linspace(lo, hi, 4001)
        for a in self.base.atoms:
            tg = tg[tg != a]

        def f(t):
            t = np.atleast_1d(np.asarray(t, float))
            return G.kr_mixed_exponent(u, self.c2 * t, self.xi0, self.xi1, self.xi2, self.base.log_potential(t))

        vals = f(tg)
        n = int(np.argmax(vals))
        best, arg = float(vals[n]), float(tg[n])
        if np.isfinite(best):  # the best cell(s), also when the best node is an end of [lo, hi]
            r = minimize_scalar(lambda t: -float(f(t)[0]), bounds=(tg[max(n - 1, 0)], tg[min(n + 1, tg.size - 1)]),
                                method="bounded", options={"xatol": 1e-13})
            if -float(r.fun) > best:
                best, arg = -float(r.fun), float(r.x)
        return best, arg

    def e_inf(self) -> float:
        """``E_inf = -sup{u : t*(u) <= a}``: below it the dominant radial term puts every
        eigenvalue of the Hessian above 0 (t*(u) the maximiser of ``S_mu(u, .)``, nondecreasing
        in u because the cross derivative ``xi'/(xi alpha^2)`` is positive).  When the maximiser
        crosses the edge continuously this is the generated stationarity formula at ``t = a``
        (``Re m_mu(a)`` finite; the semicircle gives the mixed module's E_inf); when
        ``S_mu(u, .)`` is not concave it jumps over the edge and ``E_inf`` is the energy of the
        jump (both maxima equal, found by Brent's method).  Pure: ``beta |a| / s``."""
        if self.pure is not None:
            return self.beta * self.pure.e_inf
        b = self.base
        if b.unbounded:
            return math.inf
        a = b.left
        width = max(b.right - a, 1.0)
        left, right = (a - 2.0 * width, a), (a, b.right + 2.0 * width)
        soft = not any(abs(x - a) < 1e-12 for x in b.atoms)
        m_a = float(b.re_m(np.array([a]))[0]) if soft else math.nan
        if math.isfinite(m_a):
            e = float(G.kr_mixed_e_inf(a, m_a, self.xi0, self.xi1, self.xi2))
            at_edge = float(G.kr_mixed_exponent(-e, self.c2 * a, self.xi0, self.xi1, self.xi2,
                                                float(b.log_potential(np.array([a]))[0])))
            top = max(self._sup_t(-e, *left)[0], self._sup_t(-e, *right)[0])
            if top - at_edge <= 1e-12 * max(1.0, abs(top)):
                return e
            guess = -e
        else:
            guess = a / b.s

        def gap(u):  # > 0 while the maximiser is left of the edge
            return self._sup_t(u, *left)[0] - self._sup_t(u, *right)[0]

        lo, step = guess - 0.5, 0.5
        while gap(lo) <= 0:
            lo -= step
            step *= 2
            if step > 1e6:  # pragma: no cover
                raise RuntimeError("mixed E_inf: no energy with the maximiser left of the edge")
        hi, step = guess + 0.5, 0.5
        while gap(hi) > 0:
            hi += step
            step *= 2
            if step > 1e6:  # pragma: no cover
                raise RuntimeError("mixed E_inf: no energy with the maximiser right of the edge")
        return -brentq(gap, lo, hi, xtol=1e-13)

    def threshold(self, k: int = 0) -> float:
        """``E_k``: root of ``Theta_{k,mu}(-E_k) = 0``."""
        k = check_int("k", k, minimum=0)
        if self.pure is not None:
            return self.beta * self.pure.threshold(k)

        def f(x):
            return self.theta(x, k)

        top = f(0.0)  # t <= a < 0 gives u_hat < 0: Theta_k is saturated at u = 0
        if not top > 0:
            raise ValueError(f"k = {k}: Theta_{{k,mu}} <= 0 everywhere for the mixture {self.mix.label()} and "
                             f"{self.base.ensemble!r}: no threshold E_{k}")
        lo, step = -1.0, 1.0
        while f(lo) > 0:
            lo -= step
            step *= 2
        hi = 0.0
        while True:  # tighten hi to where Theta_k just became positive, for a short bracket
            mid = 0.5 * (lo + hi)
            if f(mid) > 0:
                hi = mid
            else:
                lo = mid
            if hi - lo < 1e-3:
                break
        return -brentq(f, lo, hi, xtol=1e-13)


def mixed_theta(u, mixture, mu, k: int | None = None):
    """:meth:`MixedKacRice.theta`."""
    return MixedKacRice(mixture, mu).theta(u, k)


def mixed_e_inf(mixture, mu) -> float:
    """:meth:`MixedKacRice.e_inf`."""
    return MixedKacRice(mixture, mu).e_inf()


def mixed_threshold(mixture, mu, k: int = 0) -> float:
    """:meth:`MixedKacRice.threshold`."""
    return MixedKacRice(mixture, mu).threshold(k)
