r"""The coupled (GAN) spherical spin glass: complexity Theta(u_D, u_G), index-resolved
Theta_{k_D, k_G}, band maps and thresholds.

The model, its derivation and its conventions are in docs/gan_model.md; the formulas
come from :mod:`complexity.symbolic.gan` through the generated module.  Conventions:

* ``"derived"`` (default): the exponent at ``z = (x, x1, v)`` is ``R + Phi(x; x1) + Q(x, x1, v)``,
  with ``R`` the prefactor rate, ``Phi`` the log-potential of the block ensemble
  ``b M + b1 (M1 + 0) - x1 (I_D + 0)`` (b = sigma_z sqrt(2P(P-1)), b1 = sqrt(2p(p-1))) and
  ``Q`` the Gaussian rate of ``(l_D, l_G, R_G)/N``;
* ``"reference"``: the published code's constants, ``C - x^2/(2 s^2) - x1^2/(2 s1^2) + Phi``;
* ``"published"``: the reference constants with ``(x, x1)`` restricted to one of the
  published grid boxes (:data:`PUBLISHED_BOXES`), to regenerate the published figures.

How Theta is computed (exact constrained maximisation, no grid maximum)
------------------------------------------------------------------------
The energies are linear in ``z`` (:mod:`complexity.models._gan_engine`).  Let ``f(e_D, e_G)``
be the supremum of the exponent over the points with exactly those energies (a line in
the derived convention, found by a bracketing scan and a secant on the exact derivative;
a point in the reference ones).  Then ``Theta(u) = sup{f(e) : e <= u}``, and the supremum
over the quadrant is attained at its corner ``f(u)``, at a maximum of ``f`` along one of its
two edges, or at an interior maximum of ``f``.  On a grid of ``u`` (extended below the
requested range until ``f`` has decayed): ``f`` is evaluated exactly at every node (the
corners), every local maximum of ``f`` along each row and column is refined to 1e-10 by
golden-section search (the edges), every 2-D local maximum by Nelder-Mead (the interior),
each refined point is attributed to the smallest node above it, and a cumulative maximum
over the grid collects them.  The result is exact at every node, with the maximiser.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from functools import lru_cache

import numpy as np
from scipy.optimize import minimize, minimize_scalar

from complexity._generated import kac_rice as G
from complexity._validate import check_array, check_int, check_real
from complexity.models import _gan_engine as E

__all__ = [
    "CONVENTIONS",
    "PUBLISHED_BOXES",
    "PUBLISHED_BOX",
    "GanModel",
    "ThetaResult",
    "ThetaGrid",
    "BandMap",
]

CONVENTIONS = ("derived", "reference", "published")

#: (x, x1) boxes of the published code's exponent grids (read from its scripts).  ``"edge"``
#: stands for its ``1.05 sqrt(2(1-kappa)) b``.
PUBLISHED_BOXES = {
    "sweep": {"x": (-1000.0, 25.0), "x1": (-15.0, 40.0)},  # sigma_z / kappa sweeps (rmt_*_exp.py)
    # the Theta surface: the published figure's u_G axis ends at 200 / (P 2^P) (theta_script.py's
    # x grid, x1 in [-15, 10]); its run script asks for x up to 1000, the figure shows 200
    "theta": {"x": (-50.0, 200.0), "x1": (-15.0, 10.0)},
    "exponent_in_domain": {"x": (-50.0, 200.0), "x1": (-15.0, 10.0)},  # notebook, exponent_in_domain
    "theta_index": {"x": (-50.0, "edge"), "x1": (-15.0, 50.0)},  # notebook, theta_index (k_D = k_G = 1)
    "theta_indexs": {"x": (-500.0, "edge"), "x1": (-15.0, 50.0)},  # rmt_vary_k_theta_exp.py (panels, bands)
}
PUBLISHED_BOX = PUBLISHED_BOXES["sweep"]

_GOLD = (math.sqrt(5.0) - 1.0) / 2.0
#: the thresholds :meth:`GanModel.thresholds` computes
THRESHOLD_NAMES = ("u_D", "u_G", "u_sum", "max_abs_diff")
#: a finite cut of :meth:`GanModel.theta` may lie at most this many widths of the energy
#: (``GanModel._scales``) below the global maximiser (docs/reliability.md)
THETA_U_FAR_SPANS = 1e3


@dataclasses.dataclass(frozen=True)
class ThetaResult:
    theta: float
    x: float
    x1: float
    u_d: float = math.nan  # energies of the maximiser
    u_g: float = math.nan


@dataclasses.dataclass(frozen=True)
class ThetaGrid:
    """Theta on a (u_D, u_G) grid: arrays of shape (len(u_g), len(u_d)) (rows u_G), as meshgrid."""

    u_d: np.ndarray
    u_g: np.ndarray
    theta: np.ndarray
    x: np.ndarray
    x1: np.ndarray
    e_d: np.ndarray  # energies of the maximiser
    e_g: np.ndarray


@dataclasses.dataclass(frozen=True)
class BandMap:
    """Largest k_D (with k_G = 0) and k_G (with k_D = 0) with Theta_{k_D, k_G} > 0 (-1: none);
    Theta_{k_D, k_G} decreases in each index, so these bound every pair with Theta > 0."""

    u_d: np.ndarray
    u_g: np.ndarray
    k_d: np.ndarray
    k_g: np.ndarray
    k_max: int


#: the domain of the model's parameters (docs/reliability.md has the reasons)
P_PLUS_Q_MAX = 100  # derived convention
REFERENCE_P_PLUS_Q_MAX = 50  # reference and published conventions
SIGMA_Z_RANGE = (1e-6, 1e4)
KAPPA_RANGE = (1e-6, 0.99)


def check_domain(p, q, sigma_z, kappa, convention="derived") -> None:
    """Refuse (``ValueError``) parameters outside the domain where Theta and the thresholds are
    computed reliably (checked: P = 100 derived, P = 50 reference, the ends of the ranges below):
    ``p + q <= 100`` (derived) or ``<= 50`` (reference, published: their rates carry ``2^P`` and
    ``2^{3P}``, and the threshold search stops converging by P = 100; ``2^{3P}`` leaves the double
    range at P = 342); ``sigma_z`` in [1e-6, 1e4] (beyond 1e4 the thresholds lose percent accuracy:
    they scale like sigma_z, and at 1e6 they are 1.8 % off that scaling; below 1e-6 the G block's
    cluster is narrower than the spectral solver resolves); ``kappa`` in [1e-6, 0.99] (above 0.99
    the G block is a sliver that the solver resolves only in minutes)."""
    top = P_PLUS_Q_MAX if convention == "derived" else REFERENCE_P_PLUS_Q_MAX
    if p + q > top:
        raise ValueError(f"p + q must be <= {top} for the {convention} convention (beyond, the threshold search "
                         f"does not converge reliably; docs/reliability.md), got p = {p}, q = {q}")
    lo, hi = SIGMA_Z_RANGE
    if not lo <= sigma_z <= hi:
        raise ValueError(f"sigma_z must lie in [{lo:g}, {hi:g}] (outside, the spectral solver does not resolve the "
                         f"G block reliably; docs/reliability.md), got {sigma_z!r}")
    lo, hi = KAPPA_RANGE
    if not lo <= kappa <= hi:
        raise ValueError(f"kappa must lie in [{lo:g}, {hi:g}] (closer to 1 the G block is a sliver the solver "
                         f"resolves only in minutes; docs/reliability.md), got {kappa!r}")


def _check_k(name, k):
    return None if k is None else check_int(name, k, minimum=0)


@dataclasses.dataclass(frozen=True)
class GanModel:
    """Parameters of the coupled spin glass; see docs/gan_model.md.

    ``box`` names the published grid box used by the ``"published"`` convention.
    """

    p: int
    q: int
    sigma_z: float
    kappa: float
    convention: str = "derived"
    box: str = "sweep"

    def __post_init__(self):
        object.__setattr__(self, "p", check_int("p", self.p, minimum=2))
        object.__setattr__(self, "q", check_int("q", self.q, minimum=2))
        object.__setattr__(self, "sigma_z", check_real("sigma_z", self.sigma_z, lower=0.0, lower_open=True))
        object.__setattr__(
            self, "kappa", check_real("kappa", self.kappa, lower=0.0, upper=1.0, lower_open=True, upper_open=True)
        )
        if self.convention not in CONVENTIONS:
            raise ValueError(f"convention must be one of {CONVENTIONS}, got {self.convention!r}")
        check_domain(self.p, self.q, self.sigma_z, self.kappa, self.convention)
        if self.box not in PUBLISHED_BOXES:
            raise ValueError(f"box must be one of {tuple(PUBLISHED_BOXES)}, got {self.box!r}")

    # ------------------------------------------------------------------ constants
    @property
    def derived(self) -> bool:
        return self.convention == "derived"

    @property
    def b(self) -> float:
        f = G.gan_b if self.derived else G.gan_ref_b
        return float(f(self.p, self.q, self.sigma_z))

    @property
    def b1(self) -> float:
        return float(G.gan_b1(self.p) if self.derived else G.gan_ref_b1(self.p, self.kappa))

    @property
    def constant(self) -> float:
        """The additive rate: the prefactor rate (derived) or C (reference)."""
        if self.derived:
            return float(G.gan_prefactor_rate(self.p, self.q, self.sigma_z, self.kappa))
        return float(G.gan_ref_constant(self.p, self.q, self.sigma_z, self.kappa))

    @property
    def region_slope(self) -> float:
        """A = P 2^P: the reference region is x <= A u_G, x1 >= -p x/A - p u_D."""
        big = self.p + self.q
        return float(big * 2**big)

    @property
    def edges(self) -> dict:
        """Semicircle radii of the players' own Hessians (index penalty): ``{"D": E_D, "G": E_G}``."""
        args = (self.p, self.q, self.sigma_z, self.kappa)
        if self.derived:
            return {"D": float(G.gan_edge_d(*args)), "G": float(G.gan_edge_g(*args))}
        return {"D": float(G.gan_ref_edge_d(*args)), "G": float(G.gan_ref_edge_g(*args))}

    @property
    def xbox(self):
        """The (x, x1) box of the published convention (None otherwise)."""
        if self.convention != "published":
            return None
        spec = PUBLISHED_BOXES[self.box]
        hi = spec["x"][1]
        if hi == "edge":
            hi = 1.05 * math.sqrt(2.0 * (1.0 - self.kappa)) * self.b
        return (float(spec["x"][0]), float(hi)), tuple(map(float, spec["x1"]))

    def _prm(self, k_d=None, k_g=None) -> np.ndarray:
        k_d, k_g = _check_k("k_D", k_d), _check_k("k_G", k_g)
        prm = np.zeros(E.NPRM)
        prm[E.CONV] = 0.0 if self.derived else 1.0
        prm[E.P_], prm[E.Q_], prm[E.SIG], prm[E.KAP] = self.p, self.q, self.sigma_z, self.kappa
        prm[E.B], prm[E.B1] = self.b, self.b1
        prm[E.A_] = self.region_slope
        prm[E.S2] = G.gan_ref_s2(self.p, self.q, self.sigma_z)
        prm[E.S12] = G.gan_ref_s12(self.p)
        ed = self.edges
        prm[E.ED], prm[E.EG] = ed["D"], ed["G"]
        prm[E.KD] = k_d or 0
        prm[E.KG] = k_g or 0
        prm[E.INDEXED] = 0.0 if (k_d is None and k_g is None) else 1.0
        box = self.xbox
        if box is None:
            prm[E.XLO], prm[E.XHI], prm[E.X1LO], prm[E.X1HI] = -np.inf, np.inf, -np.inf, np.inf
        else:
            (prm[E.XLO], prm[E.XHI]), (prm[E.X1LO], prm[E.X1HI]) = box
        k, b, b1 = self.kappa, self.b, self.b1
        row = max((b * b + b1 * b1 / k) / 2 * k + b * b / 2 * (1 - k), b * b / 2)
        prm[E.SCALE] = 2.0 * math.sqrt(row) * 1.02 + 1e-9
        if self.derived:
            lip, curv = _fibre_bounds(self.kappa, b, b1)
            # the scan resolves the spectrum unless the G block's cluster is narrower than its
            # step (small sigma_z); then |g_i| <= 2/E on a semicircle of radius E bounds it
            resolved = not self._narrow_g(prm)
            prm[E.LIP] = lip if resolved else max(lip, 1.5 * k * (1 - k) * (2.0 / prm[E.EG] + 2.0 / prm[E.ED]))
            # h(t) = Phi + Q along a fibre: Q'' = -1/w^2 (the same on every fibre)
            r0 = G.gan_gauss_rate(0.0, 0.0, 0.0, self.p, self.q, self.sigma_z, k)
            rp = G.gan_gauss_rate(-k, 1.0, 0.0, self.p, self.q, self.sigma_z, k)
            rm = G.gan_gauss_rate(k, -1.0, 0.0, self.p, self.q, self.sigma_z, k)
            prm[E.QT2] = 0.5 * (rp + rm) - r0  # Q''/2 along every fibre (Q is a quadratic form)
            if not prm[E.QT2] < 0:
                raise ValueError(f"the Gaussian rate is not concave along the fibres (Q''/2 = {prm[E.QT2]!r}); "
                                 f"p={self.p}, q={self.q}, sigma_z={self.sigma_z}, kappa={self.kappa}")
            w2 = -1.0 / (2.0 * prm[E.QT2])
            # the curvature scan resolves the spectrum only if the G block's cluster is not
            # narrower than its step (small sigma_z): otherwise no concavity claim
            prm[E.CONCAVE] = 1.0 if (resolved and curv * w2 < 0.9) else 0.0
        return prm

    @property
    def _scales(self):
        """Standard deviations of (u_D, u_G) under the Gaussian part: the natural energy widths."""
        if self.derived:
            return math.sqrt(self.kappa + self.sigma_z**2), self.sigma_z
        s2, s12, a = G.gan_ref_s2(self.p, self.q, self.sigma_z), G.gan_ref_s12(self.p), self.region_slope
        sd = (math.sqrt(s12 / self.p**2 + s2 / a**2), math.sqrt(s2) / a)
        box = self.xbox
        if box is None:
            return sd
        # published: the energies of the box span (xhi - xlo)/A in u_G and that plus (x1hi - x1lo)/p in u_D
        wd = (box[0][1] - box[0][0]) / a + (box[1][1] - box[1][0]) / self.p
        wg = (box[0][1] - box[0][0]) / a
        return min(sd[0], wd / 8), min(sd[1], wg / 8)

    @property
    def _centre(self):
        """Where the search for the global maximiser of f starts (energies)."""
        box = self.xbox
        if box is None:
            return 0.0, 0.0
        # the Gaussian part peaks at (x, x1) = (0, 0) and Phi grows only logarithmically: start
        # at the box's point nearest to it (its width in x is s, tiny for small sigma_z, so a
        # start at the box's centre can be millions of nats below the peak)
        return self.energies(float(np.clip(0.0, *box[0])), float(np.clip(0.0, *box[1])))

    # ------------------------------------------------------------------ exponent
    def log_potential(self, x, x1) -> np.ndarray:
        """Phi(x; x1) of the block ensemble, exact (block random-matrix layer), shape (len(x1), len(x))."""
        from complexity.rmt.block import log_potential_grid

        return np.asarray(
            log_potential_grid(self.kappa, self.b, self.b1, np.atleast_1d(np.asarray(x, float)),
                               np.atleast_1d(np.asarray(x1, float)))
        )

    def _gauss(self, x, x1, u_d=np.inf, u_g=np.inf, u_s=np.inf):
        """Derived: the closed-form sup over v of Q under the cuts; reference: -x^2/2s^2 - x1^2/2s1^2."""
        x, x1 = np.broadcast_arrays(np.asarray(x, float), np.asarray(x1, float))
        if self.derived:
            f = np.vectorize(G.gan_gauss_sup, otypes=[float])
            return f(x, x1, float(u_d), float(u_g), float(u_s), self.p, self.q, self.sigma_z, self.kappa)
        s2 = G.gan_ref_s2(self.p, self.q, self.sigma_z)
        s12 = G.gan_ref_s12(self.p)
        return -(x**2) / (2 * s2) - x1**2 / (2 * s12)

    def exponent_grid(self, x, x1, u_d=np.inf, u_g=np.inf):
        """The exponent on the product grid of x and x1: constant + Phi + Gaussian (derived: its
        closed-form sup over v under the cuts u_D, u_G; reference: ``-x^2/2s^2 - x1^2/2s1^2``,
        with the region ``x <= A u_G, x1 >= -p x/A - p u_D`` left to the caller).  No box is
        applied.  Returns ``(exponent, log_potential)``, arrays of shape (len(x1), len(x))."""
        from complexity.domains import check_block, check_block_points

        x = check_array("x", x).ravel()
        x1 = check_array("x1", x1).ravel()
        for v in (x1.min(), x1.max()) if x1.size else ():
            check_block(self.kappa, self.b, self.b1, float(v))
            check_block_points("x", [float(x.min()), float(x.max())] if x.size else [], self.kappa, self.b,
                               self.b1, float(v))
        for name, u in (("u_D", u_d), ("u_G", u_g)):
            if math.isnan(float(u)) or float(u) == -math.inf:
                raise ValueError(f"{name} must be a real number or +inf, got {u!r}")
        phi = self.log_potential(x, x1)
        return self.constant + phi + self._gauss(x[None, :], x1[:, None], u_d, u_g), phi

    def exponent(self, x, x1, u_d=np.inf, u_g=np.inf):
        """The exponent at one point (x, x1) (:meth:`exponent_grid`).  Returns ``(exponent, log_potential)``."""
        e, phi = self.exponent_grid([check_real("x", x)], [check_real("x1", x1)], u_d, u_g)
        return float(e[0, 0]), float(phi[0, 0])

    def energies(self, x, x1, v=0.0):
        """(u_D, u_G) of the point z = (x, x1, v) (v only in the derived convention)."""
        if self.derived:
            a = (self.sigma_z * (self.p + self.q) * v - x - self.kappa * x1) / self.p
            return a - self.sigma_z * v, self.sigma_z * v
        a = self.region_slope
        return -x1 / self.p - x / a, x / a

    # ------------------------------------------------------------------ f: fixed energies
    def complexity_at(self, e_d, e_g, k_d=None, k_g=None):
        """f(e_D, e_G): the complexity of critical points with losses exactly (e_D, e_G) (the
        exponent's supremum over that fibre), with k_D / k_G the block indices if given.
        Returns (f, x, x1) arrays of the broadcast shape."""
        e_d, e_g = np.broadcast_arrays(check_array("e_D", e_d), check_array("e_G", e_g))
        prm = self._prm(k_d, k_g)
        val, t = self._f_points(prm, e_d.ravel(), e_g.ravel())
        x, x1 = self._xy(prm, e_d.ravel(), e_g.ravel(), t)
        return ((val + self.constant).reshape(e_d.shape), x.reshape(e_d.shape), x1.reshape(e_d.shape))

    def _f_points(self, prm, e_d, e_g, state=None):
        """f at the points in order; ``state`` (from :func:`_warm_state`) carries the solver's
        warm start across calls (nearby points: consecutive line searches)."""
        e_d = np.ascontiguousarray(e_d, float)
        e_g = np.ascontiguousarray(e_g, float)
        val = np.empty(e_d.size)
        t = np.empty(e_d.size)
        g_w, t_w = state if state is not None else _warm_state()
        fails = E.f_many(e_d, e_g, prm, -np.inf, 0, val, t, g_w, t_w)
        _warn_failures(fails)
        return val, t

    def _f_grid(self, prm, e_d, e_g, floor=-np.inf):
        """f on the product grid (rows e_d, columns e_g), each row's warm starts afresh; with a
        ``floor``, nodes whose bound is below it keep the bound (:func:`_gan_engine.f_many`)."""
        e_d = np.ascontiguousarray(e_d, float)
        e_g = np.ascontiguousarray(e_g, float)
        val = np.empty((e_d.size, e_g.size))
        t = np.empty_like(val)
        ed, eg = np.meshgrid(e_d, e_g, indexing="ij")
        fails = E.f_many(ed.ravel(), eg.ravel(), prm, float(floor), e_g.size, val.reshape(-1), t.reshape(-1),
                         *_warm_state())
        _warn_failures(fails)
        return val, t

    def _f_grid_feasible(self, prm, e_d, e_g):
        """f on the grid where f + constant >= 0 is possible: derived convention, a node whose
        upper bound (:func:`_gan_engine.fibre_upper`) is below -constant keeps that bound (and
        t = nan) instead of a fibre search, so {f + constant >= 0} and the best node, where that
        set is not empty, are those of :meth:`_f_grid`.  Other conventions: :meth:`_f_grid`."""
        return self._f_grid(prm, e_d, e_g, floor=-self.constant if self.derived else -np.inf)

    def _xy(self, prm, e_d, e_g, t):
        """(x, x1) of the fibre points (vectorised :func:`_gan_engine.fibre_point`)."""
        e_d, e_g, t = np.broadcast_arrays(np.asarray(e_d, float), np.asarray(e_g, float), np.asarray(t, float))
        if self.derived:
            c = self.q * e_g - self.p * e_d
            return c - self.kappa * t, t.copy()
        return self.region_slope * e_g, -self.p * (e_d + e_g)

    # ------------------------------------------------------------------ Theta on grids
    def theta_grid(self, u_d, u_g, k_d=None, k_g=None) -> ThetaGrid:
        """Theta (or Theta_{k_D, k_G}) on the product grid of ascending u_d and u_g, exact at every
        node (module docstring); arrays of shape (len(u_g), len(u_d))."""
        u_d = _ascending("u_D", u_d)
        u_g = _ascending("u_G", u_g)
        prm = self._prm(k_d, k_g)
        th, ed, eg, t = self._theta_nodes(prm, u_d, u_g)
        x, x1 = self._xy_grid(prm, ed, eg, t)
        return ThetaGrid(u_d, u_g, (th + self.constant).T, x.T, x1.T, ed.T, eg.T)

    def _xy_grid(self, prm, ed, eg, t):
        x = np.full(ed.shape, np.nan)
        x1 = np.full(ed.shape, np.nan)
        ok = np.isfinite(ed)
        if ok.any():
            x[ok], x1[ok] = self._xy(prm, ed[ok], eg[ok], t[ok])
        return x, x1

    def _theta_nodes(self, prm, u_d, u_g, obj=None):
        """Theta - constant at the nodes (rows u_d, columns u_g), and the maximiser (e_D, e_G, t)."""
        obj = obj or _Objective(self, prm)
        sd_d, sd_g = self._scales
        margin = np.array([4.0, 4.0])
        inner = None
        for attempt in range(8):
            ext_d = _extension(u_d, margin[0] * sd_d)
            ext_g = _extension(u_g, margin[1] * sd_g)
            nd, ng = ext_d.size - u_d.size, ext_g.size - u_g.size
            # the nodes themselves once; each wider extension adds only its own strips
            if inner is None:
                inner = obj.grid(u_d, u_g)
            top = obj.grid(ext_d[:nd], ext_g)  # extension rows (e_D below u_d), every column
            left = obj.grid(u_d, ext_g[:ng])  # the nodes' rows, extension columns
            val, t = (np.block([[top[k]], [left[k], inner[k]]]) for k in (0, 1))
            fin = val[nd:, ng:]
            floor = np.min(fin[np.isfinite(fin)]) if np.isfinite(fin).any() else -np.inf
            low_d = np.max(val[0, :]) if val.size else -np.inf  # the lowest e_D row
            low_g = np.max(val[:, 0])
            grow = [low_d >= floor, low_g >= floor]
            if not any(grow) or not np.isfinite(floor):
                break
            margin = margin * np.where(grow, 2.0, 1.0)
        else:
            warnings.warn("Theta grid: f had not decayed below the grid's smallest value at the edge of the "
                          "extension; values near the lower-left corner may miss points below it",
                          RuntimeWarning, stacklevel=3)
        th, ed, eg, tt = self._cumulative_sup(obj, ext_d, ext_g, val, t)
        return th[nd:, ng:], ed[nd:, ng:], eg[nd:, ng:], tt[nd:, ng:]

    def _cumulative_sup(self, obj, e_d, e_g, val, t):
        """sup{f(e) : e <= node} at every node: corners, refined edge and interior maxima."""
        pts = [(e_d[:, None] * np.ones_like(val), e_g[None, :] * np.ones_like(val), val, t)]
        # maxima along each row (e_D fixed, e_G varies) and column
        for axis in (1, 0):
            rows, cols = _line_maxima(val, axis)
            if rows.size == 0:
                continue
            if axis == 1:
                lo, hi = e_g[cols - 1], e_g[cols + 1]
                fixed = e_d[rows]
                ev, et, ee = self._golden(obj, fixed, lo, hi, vary="g")
                pts.append((fixed, ee, ev, et))
            else:
                lo, hi = e_d[rows - 1], e_d[rows + 1]
                fixed = e_g[cols]
                ev, et, ee = self._golden(obj, fixed, lo, hi, vary="d")
                pts.append((ee, fixed, ev, et))
        for (i, j) in _grid_maxima_2d(val):
            pts.append(self._refine_2d(obj, e_d, e_g, i, j))
        acc = np.full(val.shape, -np.inf)
        src = np.full(val.shape + (3,), np.nan)
        for ed_, eg_, v_, t_ in pts:
            ed_, eg_, v_, t_ = (np.atleast_1d(np.asarray(a, float)).ravel() for a in (ed_, eg_, v_, t_))
            i = np.clip(np.searchsorted(e_d, ed_ - 1e-12 * (1 + np.abs(ed_)), "left"), 0, e_d.size - 1)
            j = np.clip(np.searchsorted(e_g, eg_ - 1e-12 * (1 + np.abs(eg_)), "left"), 0, e_g.size - 1)
            for a_, b_, vv, e1, e2, tv in zip(i, j, v_, ed_, eg_, t_):
                if e1 > e_d[-1] + 1e-12 * (1 + abs(e_d[-1])) or e2 > e_g[-1] + 1e-12 * (1 + abs(e_g[-1])):
                    continue  # a refined interior maximum that left the grid belongs to no node
                if vv > acc[a_, b_]:
                    acc[a_, b_] = vv
                    src[a_, b_] = (e1, e2, tv)
        th, arg = _cummax2d(acc)
        ed = np.where(arg >= 0, src.reshape(-1, 3)[np.maximum(arg, 0), 0].reshape(arg.shape), np.nan)
        eg = np.where(arg >= 0, src.reshape(-1, 3)[np.maximum(arg, 0), 1].reshape(arg.shape), np.nan)
        tt = np.where(arg >= 0, src.reshape(-1, 3)[np.maximum(arg, 0), 2].reshape(arg.shape), np.nan)
        return th, ed, eg, tt

    def _golden(self, obj, fixed, lo, hi, vary, iters=60):
        """Maximise f along lines (vectorised golden section); returns (value, t, varying energy)."""
        a, b = lo.astype(float).copy(), hi.astype(float).copy()

        def call(u):
            return obj.points(u, fixed) if vary == "d" else obj.points(fixed, u)

        c = b - _GOLD * (b - a)
        d = a + _GOLD * (b - a)
        fc, tc = call(c)
        fd, td = call(d)
        for _ in range(iters):
            left = fc >= fd  # keep [a, d]
            b = np.where(left, d, b)
            a = np.where(left, a, c)
            nc = np.where(left, b - _GOLD * (b - a), d)
            nd = np.where(left, c, a + _GOLD * (b - a))
            newpt = np.where(left, nc, nd)
            fn, tn = call(newpt)
            fc, tc, fd, td = (np.where(left, fn, fd), np.where(left, tn, td), np.where(left, fc, fn),
                              np.where(left, tc, tn))
            c, d = nc, nd
            if np.all(b - a <= 1e-9 * (1 + np.abs(a))):
                break
        use_c = fc >= fd
        return np.where(use_c, fc, fd), np.where(use_c, tc, td), np.where(use_c, c, d)

    def _refine_2d(self, obj, e_d, e_g, i, j):
        h = np.array([e_d[min(i + 1, e_d.size - 1)] - e_d[max(i - 1, 0)], e_g[min(j + 1, e_g.size - 1)]
                      - e_g[max(j - 1, 0)]]) / 2

        def neg(w):
            v, _ = obj.points(np.array([e_d[i] + w[0] * h[0]]), np.array([e_g[j] + w[1] * h[1]]))
            return -v[0] if np.isfinite(v[0]) else 1e300

        res = minimize(neg, np.zeros(2), method="Nelder-Mead",
                       options={"xatol": 1e-10, "fatol": 1e-14, "maxiter": 2000, "initial_simplex":
                                [[0, 0], [0.5, 0], [0, 0.5]]})
        ed, eg = e_d[i] + res.x[0] * h[0], e_g[j] + res.x[1] * h[1]
        v, t = obj.points(np.array([ed]), np.array([eg]))
        return ed, eg, v[0], t[0]

    # ------------------------------------------------------------------ Theta at a point
    def theta(self, u_d, u_g, k_d=None, k_g=None) -> ThetaResult:
        """Theta(u_D, u_G) (or Theta_{k_D, k_G}): complexity of game critical points with
        L_D/N <= u_D and L_G/N <= u_G, with its maximiser (x, x1) and energies."""
        u = []
        for name, val in (("u_D", u_d), ("u_G", u_g)):
            val = check_real(name, val, lower=-math.inf) if not (isinstance(val, (int, float)) and val == math.inf) \
                else math.inf
            u.append(val)
        prm = self._prm(k_d, k_g)
        peak = self._peak(_key(prm))
        sd = np.array(self._scales)
        span = 6.0 * sd
        for k, name in enumerate(("u_D", "u_G")):
            floor = peak[k] - THETA_U_FAR_SPANS * sd[k]
            if u[k] < floor:
                raise ValueError(f"{name} must be >= {floor:.6g} (the maximiser's energy minus {THETA_U_FAR_SPANS:g} "
                                 f"of its widths: below, Theta is under -1e10 and the spectral solver cannot "
                                 f"follow the shift), got {u[k]!r}")
        far = [math.isfinite(v) and v > peak[k] + span[k] for k, v in enumerate(u)]
        if any(far):
            # Theta is nondecreasing in each cut and bounded by its value without that cut: if the
            # maximiser without the far cut satisfies it, it is the maximiser with it (exactly).
            # This keeps a cut such as u_D = 1e18 from stretching the grid of energies.
            r = self.theta(*(math.inf if f else v for f, v in zip(far, u)), k_d=k_d, k_g=k_g)
            if not math.isfinite(r.theta) or all(not f or e <= v for f, e, v in zip(far, (r.u_d, r.u_g), u)):
                return r
        # a G cluster narrower than the spectrum's scale (small sigma_z) gives f two close peaks in
        # e_G (x on either side of the cluster): resolve them with more e_G nodes
        nodes = (33, 129) if self._narrow_g(prm) else (33, 33)
        open_axes = np.array([not math.isfinite(v) for v in u])
        for attempt in range(10):
            hi = [v if math.isfinite(v) else peak[k] + span[k] for k, v in enumerate(u)]
            lo = [min(hi[k], peak[k]) - span[k] for k in range(2)]
            grids = [np.linspace(lo[k], hi[k], n) for k, n in enumerate(nodes)]
            th, ed, eg, t = self._theta_nodes(prm, grids[0], grids[1])
            top = (th[-1, -1], ed[-1, -1], eg[-1, -1], t[-1, -1])
            if not np.isfinite(top[0]):
                # no allowed node: where a cut is infinite the allowed set (a published box's image,
                # index constraints) may lie beyond the stand-in; reach further along that axis
                if not open_axes.any():
                    break
                span = span * np.where(open_axes, 4.0, 1.0)
                continue
            # an infinite cut is represented by a finite top: it must not bind
            pinned = [open_axes[k] and np.isfinite(top[1 + k]) and top[1 + k] >= hi[k] - 1e-9 * (1 + abs(hi[k]))
                      for k in range(2)]
            if not any(pinned):
                break
            span = span * np.where(pinned, 2.0, 1.0)
        else:
            if np.isfinite(top[0]):
                warnings.warn("Theta: the maximiser kept moving with the stand-in for an infinite cut",
                              RuntimeWarning, stacklevel=2)
        best = None  # (value, x, x1, e_D, e_G)
        if np.isfinite(top[0]):
            x, x1, _ = E.fibre_point(float(top[1]), float(top[2]), float(top[3]), prm)
            best = (float(top[0]), float(x), float(x1), float(top[1]), float(top[2]))
        if self.xbox is not None:  # a reference convention: the energies are a function of (x, x1)
            edge = self._box_boundary_sup(prm, u[0], u[1])
            if edge is not None and (best is None or edge[0] > best[0]):
                best = edge + tuple(float(e) for e in self.energies(edge[1], edge[2]))
        if best is None:
            return ThetaResult(-math.inf, math.nan, math.nan)
        return ThetaResult(best[0] + self.constant, *best[1:])

    def theta_marginal(self, cut: str, u, k_d=None, k_g=None) -> ThetaGrid:
        """Theta with one cut only, on an ascending grid of it: ``cut="u_D"`` gives
        Theta(u, +inf) for each u, ``cut="u_G"`` gives Theta(+inf, u).  Equal to :meth:`theta`
        at every point (exact at the nodes), from one grid: the other energy runs over a grid
        around the global maximiser, widened until no node's maximiser sits at its top (an
        infinite cut must not bind).  Returns a :class:`ThetaGrid` of one row (``cut="u_D"``)
        or one column (``"u_G"``), the open axis holding the top of its grid.  The published
        convention (a box) goes point by point through :meth:`theta`."""
        if cut not in ("u_D", "u_G"):
            raise ValueError(f"cut must be 'u_D' or 'u_G', got {cut!r}")
        u = _ascending(cut, u)
        if self.xbox is not None:
            rs = [self.theta(v, math.inf, k_d, k_g) if cut == "u_D" else self.theta(math.inf, v, k_d, k_g)
                  for v in u]
            th = np.array([r.theta for r in rs])
            x, x1 = np.array([r.x for r in rs]), np.array([r.x1 for r in rs])
            e1, e2 = np.array([r.u_d for r in rs]), np.array([r.u_g for r in rs])
            top = np.array([math.inf])
            args = (u, top, th[None, :], x[None, :], x1[None, :], e1[None, :], e2[None, :]) if cut == "u_D" else \
                (top, u, th[:, None], x[:, None], x1[:, None], e1[:, None], e2[:, None])
            return ThetaGrid(*args)
        prm = self._prm(k_d, k_g)
        peak = self._peak(_key(prm))
        sd = np.array(self._scales)
        k_open = 1 if cut == "u_D" else 0
        for name, k in ((cut, 1 - k_open),):
            floor = peak[k] - THETA_U_FAR_SPANS * sd[k]
            if u[0] < floor:
                raise ValueError(f"{name} must be >= {floor:.6g} (the maximiser's energy minus {THETA_U_FAR_SPANS:g} "
                                 f"of its widths), got {u[0]!r}")
        n_open = 129 if (self._narrow_g(prm) and k_open == 1) else 33
        span = 6.0 * sd[k_open]
        for _ in range(12):
            free = np.linspace(peak[k_open] - span, peak[k_open] + span, n_open)
            grids = (u, free) if cut == "u_D" else (free, u)
            th, ed, eg, t = self._theta_nodes(prm, *grids)
            line = (th[:, -1], ed[:, -1], eg[:, -1], t[:, -1]) if cut == "u_D" else \
                (th[-1, :], ed[-1, :], eg[-1, :], t[-1, :])
            e_open = line[1 + k_open]
            ok = np.isfinite(line[0])
            if not ok.any():
                span *= 4.0
                continue
            if not np.any(e_open[ok] >= free[-1] - 1e-9 * (1 + abs(free[-1]))):
                break
            span *= 2.0
        else:
            warnings.warn("theta_marginal: the maximiser kept moving with the stand-in for the infinite cut",
                          RuntimeWarning, stacklevel=2)
        val, e1, e2, tt = line
        x, x1 = self._xy_grid(prm, e1, e2, tt)
        top = np.array([free[-1]])
        th = val + self.constant
        if cut == "u_D":
            return ThetaGrid(u, top, th[None, :], x[None, :], x1[None, :], e1[None, :], e2[None, :])
        return ThetaGrid(top, u, th[:, None], x[:, None], x1[:, None], e1[:, None], e2[:, None])

    def _box_boundary_sup(self, prm, u_d, u_g, n=401):
        """Published convention: the sup of the exponent (without its constant) over the boundary
        of {box} & {cuts} in (x, x1): the box's four edges and the two cut lines x = A u_G,
        x1 = -p (u_D + x/A), each clipped to the other constraints, by a scan and golden section.
        Beside the grid of energies this catches a sliver of the box's image thinner than the
        grid (small sigma_z with large p + q).  Returns (value, x, x1) or None."""
        (xlo, xhi), (ylo, yhi) = self.xbox
        a, p = self.region_slope, self.p
        xcut = min(xhi, a * u_g) if math.isfinite(u_g) else xhi

        def ymin(x):  # the u_D cut: x1 >= -p (u_D + x / A)
            return max(ylo, -p * (u_d + x / a)) if math.isfinite(u_d) else ylo

        if xcut < xlo:  # the u_G cut lies left of the box
            return None
        x_top = max(xlo, -a * (u_d + yhi / p)) if math.isfinite(u_d) else xlo
        # the lower boundary x1 = max(ylo, the u_D cut line) bends where the cut line crosses ylo
        kink = min(max(-a * (u_d + ylo / p), xlo), xcut) if math.isfinite(u_d) else xcut
        segs = [((xx, ymin(xx)), (xx, yhi)) for xx in (xlo, xcut)]  # x = xlo, and x = xhi or the u_G cut
        segs += [((x_top, yhi), (xcut, yhi)),  # x1 = yhi
                 ((xlo, ymin(xlo)), (kink, ymin(kink))), ((kink, ymin(kink)), (xcut, ymin(xcut)))]
        best = None
        ts = np.linspace(0.0, 1.0, n)
        for (x0, y0), (x1_, y1) in segs:
            if x0 > x1_ or (x0 == x1_ and y0 >= y1):  # an empty segment, or a point another one ends at
                continue

            def h(t, x0=x0, y0=y0, x1_=x1_, y1=y1):
                v = E.exponent_at(x0 + t * (x1_ - x0), y0 + t * (y1 - y0), 0.0, prm)[0]
                return v if np.isfinite(v) else -np.inf

            vals = np.array([h(t) for t in ts])
            k = int(np.argmax(vals))
            if not np.isfinite(vals[k]):
                continue
            res = minimize_scalar(lambda t: min(-h(t), 1e300), bounds=(ts[max(k - 1, 0)], ts[min(k + 1, n - 1)]),
                                  method="bounded", options={"xatol": 1e-12})
            t_best, v_best = (res.x, -res.fun) if -res.fun > vals[k] else (ts[k], vals[k])
            cand = (float(v_best), float(x0 + t_best * (x1_ - x0)), float(y0 + t_best * (y1 - y0)))
            if best is None or cand[0] > best[0]:
                best = cand
        return best

    def _narrow_g(self, prm) -> bool:
        """Derived convention with the G block's cluster (radius E_G) below 1/40 of the spectrum's
        radius: f has structure finer than the default scans there."""
        return self.derived and prm[E.EG] < math.sqrt(2.0) * math.hypot(self.b, self.b1) / 40

    def _peak(self, key):
        """Energies of the global maximiser of f (for the given index constraints)."""
        return self._peak_search(key)[:2]

    @lru_cache(maxsize=64)  # noqa: B019 - a frozen dataclass: instances are hashable and few
    def _peak_search(self, key):
        """(e_D, e_G) of the best node of a 41 x 41 grid of f spanning 8 standard deviations
        (:attr:`_scales`) each side of its centre, recentred on the best node until that node is
        interior; and that last grid, (gd, gg, val, t) (None if f is -inf on all of it), exact
        where f + constant >= 0 is possible (:meth:`_f_grid_feasible`; the whole grid exact when
        no node has f + constant >= 0)."""
        prm = np.array(key)
        sd = np.array(self._scales)
        centre = np.array(self._centre, float)
        last = None
        for _ in range(8):
            gd = np.linspace(centre[0] - 8 * sd[0], centre[0] + 8 * sd[0], 41)
            gg = np.linspace(centre[1] - 8 * sd[1], centre[1] + 8 * sd[1], 41)
            val, t = self._f_grid_feasible(prm, gd, gg)
            if not (val + self.constant >= 0).any():  # no node can be skipped: the exact grid
                val, t = self._f_grid(prm, gd, gg)
            if not np.isfinite(val).any():
                centre = centre + np.array([8 * sd[0], -8 * sd[1]])  # index constraints: try elsewhere
                continue
            last = (gd, gg, val, t)
            i, j = np.unravel_index(np.nanargmax(np.where(np.isfinite(val), val, -np.inf)), val.shape)
            centre = np.array([gd[i], gg[j]])
            if 0 < i < 40 and 0 < j < 40:
                break
        return float(centre[0]), float(centre[1]), last

    # ------------------------------------------------------------------ thresholds
    def thresholds(self, k_d=None, k_g=None, which=None) -> dict:
        """The lowest losses with exponentially many critical points: the minimum of each linear
        functional of the energies over {exponent >= 0}, as the smallest root of the functional's
        level-line supremum of f (Brent), bracketed from the best node of a table of f
        (:meth:`_min_linear`):

        ``u_D = inf{u_D : Theta(u_D, +inf) > 0}``, ``u_G = inf{u_G : Theta(+inf, u_G) > 0}``,
        ``u_sum = inf{u_D + u_G : Theta > 0}``, and ``max_abs_diff``: the largest |u_D - u_G| among
        the losses at which critical points exist (f(u_D, u_G) > 0; on the cumulative Theta > 0
        it would be unbounded, since Theta is nondecreasing in each cut).

        ``which``: the names to compute (default all four, :data:`THRESHOLD_NAMES`); each is one
        level-line search (``max_abs_diff`` two), so asking only for what is drawn is cheaper.
        """
        which = THRESHOLD_NAMES if which is None else tuple(which)
        bad = [w for w in which if w not in THRESHOLD_NAMES]
        if bad:
            raise ValueError(f"which must name thresholds among {', '.join(THRESHOLD_NAMES)}; got {bad!r}")
        prm = self._prm(k_d, k_g)
        tables = {}
        out = {}
        for name, coef, sign in (("u_D", (1, 0), 1), ("u_G", (0, 1), 1), ("u_sum", (1, 1), 1),
                                 ("_dg", (1, -1), -1), ("_gd", (-1, 1), -1)):
            if (name if name[0] != "_" else "max_abs_diff") in which:
                # max |u_D - u_G|: its level-line supremum can change sign twice within a step
                # of the coarse table (at p = q = 2, sigma_z = 0.1 its root moved by 2e-5): the
                # fine one.  Each threshold's table depends only on its own kind, so a threshold
                # does not depend on which others are asked for
                fine = name[0] == "_"
                if fine not in tables:
                    tables[fine] = self._positive_table(prm, k_d, k_g, fine=fine)
                ed, eg, val, t = tables[fine]
                out[name] = sign * self._min_linear(prm, np.array(coef, float) * sign, ed, eg, val, t)
        if "max_abs_diff" in which:
            out["max_abs_diff"] = max(out.pop("_dg"), out.pop("_gd"))
        return {w: out[w] for w in THRESHOLD_NAMES if w in out}

    def _positive_table(self, prm, k_d=None, k_g=None, fine=True):
        """f on a grid covering {f + constant >= 0}, centred on the global maximiser; raises if
        Theta <= 0 everywhere.  ``fine``: 81 x 81 nodes, else 41 x 41 unless the G cluster is
        narrow (below)."""
        c = self.constant
        box = self.xbox
        if box is not None:  # published: f = -inf outside the image of the box, a parallelogram
            a, p = self.region_slope, self.p
            gg = np.linspace(box[0][0] / a, box[0][1] / a, 161)
            gd = np.linspace(-box[1][1] / p - box[0][1] / a, -box[1][0] / p - box[0][0] / a, 161)
            val, t = self._f_grid(prm, gd, gg)
            if (val + c >= 0).any():
                ed, eg = np.meshgrid(gd, gg, indexing="ij")
                return ed, eg, val, t
            # none of the nodes: the set may be thinner than the table; search around the peak
        pd, pg, peak_grid = self._peak_search(_key(prm))
        sd = np.array(self._scales)
        # the local peak's value only decides whether Theta > 0 somewhere near it; a node of the
        # peak search's grid with f + constant > 0 already says so (the refinement only rises
        # from the best node), without the Nelder-Mead refinement
        node_top = -np.inf if peak_grid is None else float(np.max(np.where(np.isfinite(peak_grid[2]), peak_grid[2],
                                                                            -np.inf)))
        if node_top + c > 1e-9:
            top = node_top
        else:
            _, _, top, _ = self._refine_2d(_Objective(self, prm), np.array([pd - sd[0] / 20, pd, pd + sd[0] / 20]),
                                           np.array([pg - sd[1] / 20, pg, pg + sd[1] / 20]), 1, 1)
        if not top + c > 0:
            top = self.theta(np.inf, np.inf, k_d, k_g)  # the global search, if the local peak is not positive
            if not top.theta > 0:
                raise ValueError(f"Theta <= 0 for every loss (its supremum is {top.theta:.6g}): no threshold, "
                                 "no exponentially many critical points")
            pd, pg = top.u_d, top.u_g
            peak_grid = None
        span = 6.0 * np.array(self._scales)
        zooms = 0
        # 41 x 41 nodes bracket every threshold of the figures' sweeps (326 derived points: the
        # same thresholds as with 81 x 81 to 1e-10 relative, in 62 % of the time); a narrow G
        # cluster (small sigma_z) keeps 81 x 81: its needles of feasible energies fall between
        # the coarser nodes (u_D 6e-6 too high at p, q = 3, 5, sigma_z = 1e-5; 41 x 81 moved u_D
        # by up to 1.4e-5 at sigma_z <= 4.3e-5, both ways)
        nodes = 81 if (fine or self._narrow_g(prm)) else 41
        # the 41 x 41 table starts as the peak search's last grid (8 standard deviations each side,
        # already computed): on the 326 derived points of the sweep figures the same thresholds
        # as from a new 41 x 41 grid 6 deviations each side of the peak to 4e-11 relative
        reuse = nodes == 41 and peak_grid is not None
        for _ in range(40):
            if reuse:
                gd, gg, val, t = peak_grid
                pd, pg = 0.5 * (gd[0] + gd[-1]), 0.5 * (gg[0] + gg[-1])
                span = 0.5 * np.array([gd[-1] - gd[0], gg[-1] - gg[0]])
                reuse = False
            else:
                gd = np.linspace(pd - span[0], pd + span[0], nodes)
                gg = np.linspace(pg - span[1], pg + span[1], nodes)
                val, t = self._f_grid_feasible(prm, gd, gg)  # only {f + constant >= 0} is used
            pos = val + c >= 0
            if not pos.any():
                span = span / 4
                continue
            # widen only along the axis whose table edge the set touches: a set far narrower in
            # one energy than in the other (tiny sigma_z) stays resolved in the narrow one
            edge = np.array([pos[0, :].any() or pos[-1, :].any(), pos[:, 0].any() or pos[:, -1].any()])
            if not edge.any():
                # a set thinner than a few steps in one energy (Theta barely positive, tiny
                # sigma_z) is not resolved by the table, nor by the level-line scans spaced by its
                # steps: zoom that axis onto the feasible nodes, 3 steps each side, and look again
                thin = False
                for axis, grid in ((0, gd), (1, gg)):
                    hit = np.flatnonzero(pos.any(axis=1 - axis))
                    if hit.size < 5 and zooms < 8:
                        step = grid[1] - grid[0]
                        lo, hi = grid[hit[0]] - 3 * step, grid[hit[-1]] + 3 * step
                        (pd, pg) = (0.5 * (lo + hi), pg) if axis == 0 else (pd, 0.5 * (lo + hi))
                        span[axis] = 0.5 * (hi - lo)
                        thin = True
                if thin:
                    zooms += 1
                    continue
                ed, eg = np.meshgrid(gd, gg, indexing="ij")
                return ed, eg, val, t
            span = np.where(edge, span * 2, span)
        raise ValueError("thresholds: could not enclose the set where Theta > 0")

    def _min_linear(self, prm, coef, ed, eg, val, t):
        """min coef . (e_D, e_G) over {f + constant >= 0}: the smallest root of
        g(tau) = sup{f(e) + constant : coef . e = tau} (Brent), g by a scan along the line
        across the table, a zoom and a bounded Brent search in the best bracket.  The table's
        best feasible node gives g >= 0; the bracket is walked down until g < 0.  Derived
        convention, u_D, u_G and u_sum: the Brent iterations scan only a window around the ridge
        of maximisers (g_loc <= g), and one full evaluation of g certifies the root (below)."""
        from scipy.optimize import brentq

        c = self.constant
        coef = np.asarray(coef, float)
        n2 = coef @ coef
        perp = np.array([-coef[1], coef[0]])
        lin = coef[0] * ed + coef[1] * eg
        feas = val + c >= 0
        tau0 = float(np.min(lin[feas]))
        s_all = (perp[0] * ed + perp[1] * eg) / n2
        # scan the part of each level line that the feasible set of the table spans (plus two
        # table steps each side), densely: a published box makes that part narrow
        step_d = float(np.max(np.abs(np.diff(ed[:, 0]))))  # the table's steps
        step_g = float(np.max(np.abs(np.diff(eg[0, :]))))
        step = max(step_d * abs(coef[0]) + step_g * abs(coef[1]), 1e-12)
        ds = max(step_d * abs(perp[0]), step_g * abs(perp[1])) / n2
        # only the feasible nodes near the lowest level: the minimiser is there
        near = feas & (lin <= tau0 + 3 * step)
        s_feas = s_all[near]
        s_lo, s_hi = float(s_feas.min()) - 2 * ds, float(s_feas.max()) + 2 * ds
        # ... and, at each level tau, only the part of the line inside the box of all feasible
        # nodes, two table steps each side in each energy (the minimiser can lie beyond the box
        # of the nodes near the lowest level: a peak of f just outside it).  The set can be far
        # narrower in one energy than in the other (a narrow G cluster at small sigma_z: needles
        # of width ~ the e_G step along e_D), so the scan is spaced by the table's step in *each*
        # energy, not by one s step: >= 4 points per step of the finer one
        lo_e = np.array([ed[feas].min() - 2 * step_d, eg[feas].min() - 2 * step_g])
        hi_e = np.array([ed[feas].max() + 2 * step_d, eg[feas].max() + 2 * step_g])
        steps_e = np.array([step_d, step_g])
        narrow = self._narrow_g(prm)
        n_floor, n_zoom = (161, 65) if narrow else (41, 17)

        def dense(lo, hi, floor):
            """floor or more points on [lo, hi]: >= 4 per table step of the finer energy."""
            per_step = max(abs(perp[k]) * (hi - lo) / steps_e[k] for k in (0, 1))
            return np.linspace(lo, hi, int(min(max(floor, math.ceil(4 * per_step) + 1), 2001)))

        def s_window(tau):
            lo, hi = s_lo, s_hi
            for k in (0, 1):
                if abs(perp[k]) > 0:  # e_k = tau coef_k / n2 + s perp_k
                    a, b = sorted(((lo_e[k] - tau * coef[k] / n2) / perp[k], (hi_e[k] - tau * coef[k] / n2) / perp[k]))
                    lo, hi = max(lo, a), min(hi, b)
            if not hi > lo:  # the line misses the box: keep the whole window (g < 0 there anyway)
                lo, hi = s_lo, s_hi
            return dense(lo, hi, n_floor)

        # reference conventions: the level line is a line in (x, x1); scan it uniformly in x
        # (in x1 for u_G, whose level lines are x = const) across the part of the box that the
        # table's feasible nodes span, two table steps each side (a box far wider than the set,
        # as at small sigma_z, would leave the set between two scan points)
        a_, p_ = self.region_slope, self.p
        box = self.xbox
        fx, fx1 = a_ * eg[feas], -p_ * (ed + eg)[feas]
        xr = (float(fx.min()) - 2 * a_ * step_g, float(fx.max()) + 2 * a_ * step_g)
        x1r = (float(fx1.min()) - 2 * p_ * (step_d + step_g), float(fx1.max()) + 2 * p_ * (step_d + step_g))
        if box is not None:
            xr = (max(xr[0], box[0][0]), min(xr[1], box[0][1]))
            x1r = (max(x1r[0], box[1][0]), min(x1r[1], box[1][1]))

        def ref_scan(tau):
            if abs(coef[0]) > 0:
                xs = np.linspace(*xr, 401)
                # coef0 (-x1/p - x/A) + coef1 x/A = tau
                x1s = -p_ * (tau - (coef[1] - coef[0]) * xs / a_) / coef[0]
            else:
                x1s = np.linspace(*x1r, 401)
                xs = np.full_like(x1s, a_ * tau / coef[1])
            e_d_, e_g_ = -x1s / p_ - xs / a_, xs / a_
            return np.unique((perp[0] * e_d_ + perp[1] * e_g_) / n2)

        warm = _warm_state()

        def along(tau, s):
            v, _ = self._f_points(prm, np.atleast_1d(tau * coef[0] / n2 + s * perp[0]),
                                  np.atleast_1d(tau * coef[1] / n2 + s * perp[1]), warm)
            return np.where(np.isfinite(v), v, -np.inf)

        def line_sup(tau, grid_s, zoom=True):
            """sup of f + constant on the level line tau over the scan grid_s (a scan, a zoom
            around its best point and a bounded Brent search there); and the maximiser's s."""
            v = along(tau, grid_s)
            k = int(np.argmax(v))
            if not np.isfinite(v[k]):
                return -np.inf, float(grid_s[k])
            best, s_best = float(v[k]), float(grid_s[k])
            lo, hi = grid_s[max(k - 1, 0)], grid_s[min(k + 1, grid_s.size - 1)]
            if zoom:  # f can peak sharply between scan points (a narrow G cluster, small sigma_z)
                zs = np.linspace(lo, hi, n_zoom)
                vz = along(tau, zs)
                kz = int(np.argmax(vz))
                if vz[kz] > best:
                    best, s_best = float(vz[kz]), float(zs[kz])
                lo, hi = zs[max(kz - 1, 0)], zs[min(kz + 1, zs.size - 1)]
            # a bounded Brent search in the engine (one call instead of one per evaluation)
            top, s_top, fails = E.line_max(float(lo), float(hi), 1e-7 * abs(hi - lo) + 1e-300, tau * coef[0] / n2,
                                           tau * coef[1] / n2, float(perp[0]), float(perp[1]), prm, *warm)
            _warn_failures(fails)
            if top > best:
                best, s_best = float(top), float(s_top)
            return best + c, s_best

        def g_full(tau):
            return line_sup(tau, s_window(tau) if self.derived else ref_scan(tau))

        def g(tau):
            return g_full(tau)[0]

        def walk(hi, step, s_hi=None):
            """From a level hi with g >= 0, down in doubling steps to one with g < 0: (lo, hi)
            and the maximisers on both lines (s_hi: the one at hi, if known)."""
            lo = hi - step
            for _ in range(60):
                val_lo, s_lo_ = g_full(lo)
                if val_lo < 0:
                    return lo, hi, s_hi, s_lo_
                hi, lo, s_hi = lo, lo - step, s_lo_
                step *= 2
            raise ValueError("thresholds: no level with Theta < 0 found below the feasible set")

        def full(step):
            """Brent on g between the first level below tau0 with g < 0 and the one above it."""
            hi = tau0
            if not g(hi) >= 0:  # the node is feasible: g >= 0 up to round-off
                hi = tau0 + step
            lo, hi, _, _ = walk(hi, step)
            return float(brentq(g, lo, hi, xtol=1e-10, rtol=1e-12))

        # max |u_D - u_G| (coefficients of both signs): its g can change sign more than once
        # within a table step, where a local root (below) need not be the smallest; and the
        # reference conventions' scans are cheap
        inode = np.flatnonzero((feas & (lin == tau0)).ravel())[0]
        s_arg = float(s_all.ravel()[inode])
        if np.any(coef < 0) or not self.derived or not line_sup(tau0, np.array([s_arg]))[0] >= 0:
            return full(step)
        # The lowest feasible node witnesses g(tau0) >= 0 (its level line passes through it)
        # without a scan; walk down to a level with g < 0, keeping the maximisers found
        lo, hi, s_arg, s_lo_arg = walk(tau0, step, s_arg)
        # Brent on a local supremum: f on the level lines within 3 table steps (of the finer
        # energy) of the ridge of maximisers, interpolated linearly between those at lo and hi,
        # instead of a scan across the whole feasible set.  A supremum over less, g_loc <= g, so
        # its root is >= the true one: one full evaluation just below certifies it (g < 0
        # there: g changes sign within 2 tolerances of it); otherwise Brent on g below it.
        fine = min(steps_e[k] / abs(perp[k]) for k in (0, 1) if abs(perp[k]) > 0)
        offsets = np.unique(np.r_[np.linspace(-3 * fine, 3 * fine, 25), 0.0])

        def g_loc(tau):  # the window is already 4 points per step of the finer energy: no zoom
            w = (tau - hi) / (lo - hi)
            return line_sup(tau, (1 - w) * s_arg + w * s_lo_arg + offsets, zoom=False)[0]

        if not g_loc(hi) >= 0:  # s_arg is among the points: only round-off can do this
            return full(step)
        root = float(brentq(g_loc, lo, hi, xtol=1e-10, rtol=1e-12))
        below = root - 2 * (1e-10 + 1e-12 * abs(root))
        if below <= lo or g(below) < 0:
            return root
        try:
            return float(brentq(g, lo, below, xtol=1e-10, rtol=1e-12))
        except ValueError:  # g(below) ~ 0 flipped sign on re-evaluation (f's round-off): g ~ 0 there
            return below

    # ------------------------------------------------------------------ index bands
    def band_map(self, u_d, u_g, k_max: int = 29) -> BandMap:
        """For each (u_D, u_G): the largest k_D with Theta_{k_D, 0} > 0 and the largest k_G with
        Theta_{0, k_G} > 0 (k up to k_max; -1 where none).  Theta_{k_D,k_G} decreases in each
        index, so the pairs with Theta > 0 lie in the box they span.

        One pass per block instead of one Theta grid per k: on the region allowed for k >= 1 the
        exponent is F_0 - k pen_1 (pen_1 the one-eigenvalue edge rate of that block), so
        f_k(e) > 0 exactly for k < r(e) = sup over the fibre of (F_0 + constant)/pen_1; f_0 is
        the index-0 complexity.  So Theta_k(u) > 0 exactly for k < R(u) = sup{r(e) : e <= u}
        (k >= 1; k = 0 from Theta_{0,0}), and R is a cumulative supremum computed like Theta
        (exact at the nodes).  Entries are exact at every node."""
        k_max = check_int("k_max", k_max, minimum=0)
        u_d = _ascending("u_D", u_d)
        u_g = _ascending("u_G", u_g)
        c = self.constant
        prm0 = self._prm(0, 0)
        pos0 = self.theta_grid(u_d, u_g, k_d=0, k_g=0).theta > 0
        out = []
        for which in ("d", "g"):
            prm1 = self._prm(1 if which == "d" else 0, 1 if which == "g" else 0)
            ratio, _, _, _ = self._theta_nodes(prm0, u_d, u_g, _RatioObjective(prm0, prm1, c, k_max + 1))
            ratio = ratio.T
            with np.errstate(invalid="ignore"):
                kk = np.where(np.isposinf(ratio), k_max, np.ceil(np.nan_to_num(ratio, neginf=0.0)) - 1)
            out.append(np.where(pos0, np.clip(kk, 0, k_max), -1).astype(int))
        return BandMap(u_d, u_g, out[0], out[1], k_max)


class _Objective:
    """f (the fibre supremum) at points and on grids, for the cumulative-sup machinery."""

    def __init__(self, model, prm):
        self.model, self.prm = model, prm

    def points(self, e_d, e_g):
        return self.model._f_points(self.prm, e_d, e_g)

    def grid(self, e_d, e_g):
        return self.model._f_grid(self.prm, e_d, e_g)


class _RatioObjective:
    """r(e) = sup over the fibre of (F_0 + constant) / pen_1 (band maps), capped at k_max + 1 (a
    plateau where every k up to k_max has Theta > 0; r is +inf where the penalty vanishes)."""

    def __init__(self, prm0, prm1, const, cap):
        self.prm0, self.prm1, self.const, self.cap = prm0, prm1, float(const), float(cap)

    def grid(self, e_d, e_g):
        out = np.empty((np.size(e_d), np.size(e_g)))
        ed, eg = np.meshgrid(np.asarray(e_d, float), np.asarray(e_g, float), indexing="ij")
        fails = E.critical_index_many(ed.ravel(), eg.ravel(), self.prm0, self.prm1, self.const, np.size(e_g),
                                      out.reshape(-1))
        _warn_failures(fails)
        return np.minimum(out, self.cap), np.zeros_like(out)

    def points(self, e_d, e_g):
        e_d, e_g = np.broadcast_arrays(np.atleast_1d(np.asarray(e_d, float)), np.atleast_1d(np.asarray(e_g, float)))
        out = np.empty(e_d.size)
        fails = E.critical_index_many(np.ascontiguousarray(e_d.ravel()), np.ascontiguousarray(e_g.ravel()),
                                      self.prm0, self.prm1, self.const, 1, out)
        _warn_failures(fails)
        return np.minimum(out, self.cap).reshape(e_d.shape), np.zeros(e_d.shape)


# ---------------------------------------------------------------------------- helpers
@lru_cache(maxsize=256)
def _fibre_bounds(kappa, b, b1):
    """Bounds along the fibres x = c - kappa t, x1 = t: on |dPhi/dt| = kappa(1-kappa)|Re(g1 - g2)|
    and on d^2Phi/dt^2 from above (1.5 x the largest values on a scan of the spectral region,
    where the resolvents vary most; far from it Phi is concave and flat)."""
    from complexity.rmt.block import _stieltjes_sorted, _support_bound, gan_ensemble

    radius = math.sqrt(2.0) * math.hypot(b, b1)
    lip = 0.0
    curv = 0.0
    h = 1e-4 * radius
    # the block layer's real-axis kernel on the ascending scans directly (the ensembles'
    # arrays and support bounds are those of gan_ensemble(kappa, b, b1, x1); building 50
    # ensemble objects cost half of this function's time)
    f, s, _ = gan_ensemble(kappa, b, b1, 0.0).arrays

    def solve(x1, xs):
        out = np.empty((xs.size, 2), dtype=np.complex128)
        a = np.array([-x1, 0.0])
        if _stieltjes_sorted(xs, f, s, a, _support_bound(f, s, a), out):
            raise FloatingPointError("the Dyson equation did not converge on a fibre-bound scan")
        return out

    for x1 in np.linspace(-3 * radius, 3 * radius, 25):
        xs = np.linspace(-3 * radius - abs(x1), 3 * radius + abs(x1), 481)
        g0 = solve(x1, xs)
        g1 = solve(x1 + h, xs - kappa * h)
        d0 = kappa * (1 - kappa) * (g0[:, 0] - g0[:, 1]).real
        d1 = kappa * (1 - kappa) * (g1[:, 0] - g1[:, 1]).real
        lip = max(lip, float(np.max(np.abs(d0))))
        curv = max(curv, float(np.max((d1 - d0) / h)))
    return 1.5 * lip + 1e-12, 1.5 * curv


def _warm_state():
    """A fresh warm-start state for :meth:`GanModel._f_points`."""
    return np.zeros(2, dtype=np.complex128), np.full(1, np.nan)


def _key(prm):
    return tuple(float(v) for v in prm)


def _warn_failures(fails):
    if fails:
        warnings.warn(f"the Dyson solver did not converge at {fails} point(s); they were skipped",
                      RuntimeWarning, stacklevel=4)


def _ascending(name, u):
    u = check_array(name, u).ravel()
    if u.size == 0 or np.any(np.diff(u) <= 0):
        raise ValueError(f"{name} must be a non-empty strictly ascending array of finite numbers")
    return u


def _extension(u, margin, n=24):
    """u preceded by n nodes reaching margin below u[0], spaced geometrically from u's own step."""
    h = (u[1] - u[0]) if u.size > 1 else margin / n
    h = min(h, margin / n)
    steps = np.geomspace(h, margin, n)
    return np.concatenate([u[0] - steps[::-1], u])


def _line_maxima(val, axis):
    """Interior strict-or-plateau local maxima of val along axis: (rows, cols)."""
    v = np.where(np.isfinite(val), val, -np.inf)
    if axis == 1:
        c, l, r = v[:, 1:-1], v[:, :-2], v[:, 2:]
        m = (c >= l) & (c >= r) & ((c > l) | (c > r)) & np.isfinite(c)
        rows, cols = np.nonzero(m)
        return rows, cols + 1
    c, l, r = v[1:-1, :], v[:-2, :], v[2:, :]
    m = (c >= l) & (c >= r) & ((c > l) | (c > r)) & np.isfinite(c)
    rows, cols = np.nonzero(m)
    return rows + 1, cols


def _grid_maxima_2d(val, most=4):
    v = np.where(np.isfinite(val), val, -np.inf)
    core = v[1:-1, 1:-1]
    ok = np.isfinite(core)
    for di in (-1, 0, 1):
        for dj in (-1, 0, 1):
            if di or dj:
                ok &= core >= v[1 + di: v.shape[0] - 1 + di, 1 + dj: v.shape[1] - 1 + dj]
    idx = np.argwhere(ok) + 1
    order = np.argsort(-v[idx[:, 0], idx[:, 1]])[:most] if idx.size else []
    return [tuple(idx[k]) for k in order]


def _cummax2d(a):
    """Cumulative maximum over both axes, with the flat index of the source cell (-1: none)."""
    arg = np.where(np.isfinite(a), np.arange(a.size).reshape(a.shape), -1)
    val = a.copy()
    for axis in (0, 1):
        n = val.shape[axis]
        for k in range(1, n):
            cur = np.take(val, k, axis=axis)
            prev = np.take(val, k - 1, axis=axis)
            better = prev > cur
            sl = [slice(None)] * 2
            sl[axis] = k
            sl_prev = [slice(None)] * 2
            sl_prev[axis] = k - 1
            val[tuple(sl)] = np.where(better, prev, cur)
            arg[tuple(sl)] = np.where(better, arg[tuple(sl_prev)], arg[tuple(sl)])
    return val, arg


def warm_up() -> None:
    """Compile (or load from numba's cache) every kernel of the engine that the public methods
    run, on a small case: ``complexity figures`` calls it once, in one worker, before the
    figures of the coupled model, so that a cold run compiles the engine once rather than
    once per worker process."""
    for conv, box in (("derived", "sweep"), ("reference", "sweep"), ("published", "theta")):
        m = GanModel(3, 3, 1.0, 0.9, conv, box=box)
        m.thresholds()
        m.theta(0.0, 0.0)
        u = np.linspace(-1.0, 0.0, 4)
        m.theta_grid(u, u)
        m.theta_grid(u, u, k_d=1, k_g=1)
        m.band_map(u, u, k_max=2)
        m.exponent_grid(np.linspace(-1.0, 1.0, 3), np.linspace(-1.0, 1.0, 3))
        m.complexity_at(np.array([-1.0]), np.array([0.0]))
