r"""The coupled (GAN) spherical spin glass: complexity Theta(u_D, u_G) and thresholds.

The model, its derivation and its conventions are in docs/gan_model.md; the formulas
come from :mod:`complexity.symbolic.gan` through the generated module.  Conventions:

* ``"derived"`` (default): ``Theta(u_D, u_G) = R + sup_{x, x1} [Phi(x; x1) + G(x, x1; u_D, u_G)]``
  with ``R`` the prefactor rate, ``Phi`` the log-potential of the block ensemble
  ``b M + b1 (M1 + 0) - x1 (I_D + 0)`` (b = sigma_z sqrt(2P(P-1)), b1 = sqrt(2p(p-1))) and
  ``G`` the closed-form supremum over ``v = l_G/N`` of the Gaussian rate under the
  energy cuts.  The supremum over (x, x1) is unconstrained.
* ``"reference"``: the published code's constants, ``E(x, x1) = C - x^2/(2 s^2) -
  x1^2/(2 s1^2) + Phi(x; x1)``, and Theta the true supremum of E over the region
  ``{x <= P 2^P u_G, x1 >= -p x / (P 2^P) - p u_D}``.
* ``"published"``: the reference constants with the maximum restricted to the
  published grid box (``PUBLISHED_BOX``), to regenerate the published figures.

How the supremum is computed: Phi is tabulated once per model on a product grid of
(x, x1) (the block random-matrix layer's fast grid API), a bicubic spline of the table
gives a smooth objective, the best grid node seeds a bounded quasi-Newton search on
the spline (with the constraints of the reference convention handled as an interior
search, a search along each boundary line, and the corner), and the maximiser is
returned with the value of the objective re-evaluated with the exact Phi there.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from functools import cached_property

import numba
import numpy as np
from scipy.interpolate import RectBivariateSpline
from scipy.optimize import minimize, minimize_scalar

from complexity._generated import kac_rice as G
from complexity._validate import check_int, check_real

__all__ = ["CONVENTIONS", "PUBLISHED_BOX", "GanModel", "ThetaResult"]

CONVENTIONS = ("derived", "reference", "published")

_gauss_sup_s = numba.njit(cache=True)(G.gan_gauss_sup)


@numba.njit(cache=True)
def _gauss_sup_kernel(x, x1, u_d, u_g, u_s, p, q, sigma_z, kappa, out):
    for i in range(x.size):
        out[i] = _gauss_sup_s(x[i], x1[i], u_d, u_g, u_s, p, q, sigma_z, kappa)

#: the (x, x1) box of the published exponent grids (reference code), used by "published"
PUBLISHED_BOX = {"x": (-1000.0, 200.0), "x1": (-15.0, 40.0)}


def _scaled_minimize(f, z0, scale, bounds, constraints=(), **kw):
    """scipy.optimize.minimize in coordinates w = z / scale (x and x1 have very different ranges)."""
    scale = np.asarray(scale, float)
    cons = [{"type": c["type"], "fun": (lambda w, c=c: c["fun"](w * scale))} for c in constraints]
    res = minimize(lambda w: f(w * scale), np.asarray(z0) / scale, bounds=[(lo / sc, hi / sc) for (lo, hi), sc in
                   zip(bounds, scale)], constraints=cons, **kw)
    res.x = res.x * scale
    return res


def _grid_local_maxima(vals: np.ndarray, most: int = 6):
    """Indices of the largest grid nodes that beat their 8 neighbours (seeds for local search)."""
    pad = np.pad(vals, 1, constant_values=-np.inf)
    core = pad[1:-1, 1:-1]
    is_max = np.isfinite(core)
    for di in (-1, 0, 1):
        for dj in (-1, 0, 1):
            if di or dj:
                is_max &= core >= pad[1 + di: pad.shape[0] - 1 + di, 1 + dj: pad.shape[1] - 1 + dj]
    idx = np.argwhere(is_max)
    if idx.size == 0:
        idx = np.array([np.unravel_index(np.argmax(vals), vals.shape)])
    order = np.argsort(vals[idx[:, 0], idx[:, 1]])[::-1][:most]
    return [tuple(idx[k]) for k in order]


@dataclasses.dataclass(frozen=True)
class ThetaResult:
    theta: float
    x: float
    x1: float
    spline_error: float = 0.0  # |objective(exact Phi) - objective(spline)| at the maximiser


@dataclasses.dataclass(frozen=True)
class GanModel:
    """Parameters of the coupled spin glass; see docs/gan_model.md."""

    p: int
    q: int
    sigma_z: float
    kappa: float
    convention: str = "derived"

    def __post_init__(self):
        object.__setattr__(self, "p", check_int("p", self.p, minimum=2))
        object.__setattr__(self, "q", check_int("q", self.q, minimum=2))
        object.__setattr__(self, "sigma_z", check_real("sigma_z", self.sigma_z, lower=0.0, lower_open=True))
        object.__setattr__(
            self, "kappa", check_real("kappa", self.kappa, lower=0.0, upper=1.0, lower_open=True, upper_open=True)
        )
        if self.convention not in CONVENTIONS:
            raise ValueError(f"convention must be one of {CONVENTIONS}, got {self.convention!r}")

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
        """P 2^P: the reference region is x <= P 2^P u_G, x1 >= -p x/(P 2^P) - p u_D."""
        big = self.p + self.q
        return float(big * 2**big)

    # ------------------------------------------------------------------ Phi
    def log_potential(self, x, x1) -> np.ndarray:
        """Phi(x; x1) of the block ensemble, exact (block random-matrix layer), shape (len(x1), len(x))."""
        from complexity.rmt.block import log_potential_grid

        return np.asarray(
            log_potential_grid(self.kappa, self.b, self.b1, np.atleast_1d(np.asarray(x, float)),
                               np.atleast_1d(np.asarray(x1, float)))
        )

    @cached_property
    def _box(self):
        """The (x, x1) domain that must contain every maximiser."""
        if self.convention == "published":
            return PUBLISHED_BOX["x"], PUBLISHED_BOX["x1"]
        radius = math.sqrt(2.0) * math.hypot(self.b, self.b1)
        if self.derived:
            # the Gaussian is a negative-definite quadratic in (x, x1); Phi grows like log:
            # far from the spectrum the objective is below its value at the origin
            c2 = -self._gauss(np.array([1.0]), np.array([0.0]))[0]
            c2b = -self._gauss(np.array([0.0]), np.array([1.0]))[0]
            half_x = radius + math.sqrt(60.0 / max(c2, 1e-12))
            half_x1 = radius + math.sqrt(60.0 / max(c2b, 1e-12))
            return (-half_x, half_x), (-half_x1, half_x1)
        s = math.sqrt(G.gan_ref_s2(self.p, self.q, self.sigma_z))
        s1 = math.sqrt(G.gan_ref_s12(self.p))
        return (-(radius + 8 * s), radius + 8 * s), (-(radius + 12 * s1), radius + 12 * s1)

    @property
    def _scale(self):
        (xlo, xhi), (x1lo, x1hi) = self._box
        return np.array([(xhi - xlo) / 20.0, (x1hi - x1lo) / 20.0])

    @cached_property
    def _table(self):
        (xlo, xhi), (x1lo, x1hi) = self._box
        radius = math.sqrt(2.0) * math.hypot(self.b, self.b1)
        # dense near the spectrum, geometric beyond it
        core = np.linspace(-3 * radius - 2 * abs(x1lo), 3 * radius + 2 * abs(x1hi), 401)
        core = core[(core > xlo) & (core < xhi)]
        # geometric tails: spacing grows with the distance from the spectrum
        tail_hi = core[-1] + np.geomspace(1.0, xhi - core[-1] + 1.0, 240) - 1.0 if xhi > core[-1] else []
        tail_lo = core[0] - np.geomspace(1.0, core[0] - xlo + 1.0, 240) + 1.0 if xlo < core[0] else []
        xs = np.unique(np.concatenate([np.atleast_1d(tail_lo), core, np.atleast_1d(tail_hi), [xlo, xhi]]))
        x1s = np.linspace(x1lo, x1hi, 161)
        phi = self.log_potential(xs, x1s)
        if not np.all(np.isfinite(phi)):
            raise FloatingPointError("log-potential table has non-finite entries")
        return xs, x1s, phi, RectBivariateSpline(x1s, xs, phi, kx=3, ky=3)

    # ------------------------------------------------------------------ objective
    def _gauss(self, x, x1, u_d=np.inf, u_g=np.inf, u_s=np.inf):
        x = np.asarray(x, float)
        x1 = np.asarray(x1, float)
        if self.derived:
            xb, x1b = np.broadcast_arrays(x, x1)
            out = np.empty(xb.shape)
            _gauss_sup_kernel(np.ascontiguousarray(xb).ravel(), np.ascontiguousarray(x1b).ravel(), float(u_d),
                              float(u_g), float(u_s), float(self.p), float(self.q), self.sigma_z, self.kappa,
                              out.reshape(-1))
            return out
        s2 = G.gan_ref_s2(self.p, self.q, self.sigma_z)
        s12 = G.gan_ref_s12(self.p)
        return -(x**2) / (2 * s2) - x1**2 / (2 * s12)

    def exponent(self, x, x1, u_d=np.inf, u_g=np.inf):
        """The exponent at (x, x1): constant + Phi + Gaussian (derived: sup over v under the cuts).

        Returns ``(exponent, log_potential)`` (floats for scalar input).
        """
        x = check_real("x", x)
        x1 = check_real("x1", x1)
        phi = float(self.log_potential([x], [x1])[0, 0])
        return self.constant + phi + float(self._gauss(x, x1, u_d, u_g)), phi

    def _objective_spline(self, u_d, u_g, u_s=np.inf):
        spl = self._table[3]

        def f(z):
            return -(float(spl(z[1], z[0])[0, 0]) + float(self._gauss(z[0], z[1], u_d, u_g, u_s)))

        return f

    # ------------------------------------------------------------------ Theta
    def theta(self, u_d, u_g) -> ThetaResult:
        """Theta(u_D, u_G): complexity of game critical points with L_D/N <= u_D and L_G/N <= u_G."""
        u_d = check_real("u_D", u_d) if np.isfinite(u_d) else float(u_d)
        u_g = check_real("u_G", u_g) if np.isfinite(u_g) else float(u_g)
        if self.derived:
            return self._theta_free(u_d, u_g)
        return self._theta_region(u_d, u_g)

    def _theta_free(self, u_d, u_g, u_s=np.inf) -> ThetaResult:
        xs, x1s, phi, spl = self._table
        vals = phi + self._gauss(xs[None, :], x1s[:, None], u_d, u_g, u_s)
        (xlo, xhi), (x1lo, x1hi) = self._box
        f = self._objective_spline(u_d, u_g, u_s)
        best = None
        for i, j in _grid_local_maxima(vals):
            z0 = np.array([xs[j], x1s[i]])
            res = _scaled_minimize(f, z0, self._scale, [(xlo, xhi), (x1lo, x1hi)], method="L-BFGS-B",
                                   options={"ftol": 1e-15, "gtol": 1e-11, "maxiter": 500})
            # the objective is only C^1 where the two energy cuts cross: polish derivative-free
            res = _scaled_minimize(f, res.x, self._scale, [(xlo, xhi), (x1lo, x1hi)], method="Nelder-Mead",
                                   options={"xatol": 1e-11, "fatol": 1e-14, "maxiter": 4000})
            cand = (-res.fun, res.x) if -res.fun >= vals[i, j] else (vals[i, j], z0)
            if best is None or cand[0] > best[0]:
                best = cand
        return self._finish(best[1], best[0], u_d, u_g, u_s)

    def _finish(self, z, spline_value, u_d, u_g, u_s=np.inf) -> ThetaResult:
        (xlo, xhi), (x1lo, x1hi) = self._box
        if self.convention != "published":
            tol_x, tol_x1 = 1e-6 * (xhi - xlo), 1e-6 * (x1hi - x1lo)
            if min(z[0] - xlo, xhi - z[0]) < tol_x or min(z[1] - x1lo, x1hi - z[1]) < tol_x1:
                warnings.warn(f"Theta maximiser at the edge of the (x, x1) box: x={z[0]:.6g}, x1={z[1]:.6g}",
                              RuntimeWarning, stacklevel=3)
        exact = float(self.log_potential([z[0]], [z[1]])[0, 0]) + float(self._gauss(z[0], z[1], u_d, u_g, u_s))
        return ThetaResult(self.constant + exact, float(z[0]), float(z[1]), abs(exact - spline_value))

    def _theta_region(self, u_d, u_g) -> ThetaResult:
        """Reference/published: sup of E over {x <= A u_G, x1 >= -p x/A - p u_D} (and the box)."""
        xs, x1s, phi, spl = self._table
        a, p = self.region_slope, self.p
        (xlo, xhi), (x1lo, x1hi) = self._box
        gauss = self._gauss(xs[None, :], x1s[:, None])
        vals = phi + gauss
        feasible = (xs[None, :] <= a * u_g) & (x1s[:, None] >= -p * xs[None, :] / a - p * u_d)
        if not feasible.any() and (a * u_g < xlo or -p * min(a * u_g, xhi) / a - p * u_d > x1hi):
            return ThetaResult(-math.inf, math.nan, math.nan)
        f = self._objective_spline(u_d, u_g)
        candidates = []
        if feasible.any():
            masked = np.where(feasible, vals, -np.inf)
            cons = []
            if math.isfinite(u_g):
                cons.append({"type": "ineq", "fun": lambda z: a * u_g - z[0]})
            if math.isfinite(u_d):
                cons.append({"type": "ineq", "fun": lambda z: z[1] + p * z[0] / a + p * u_d})
            for i, j in _grid_local_maxima(masked):
                z0 = np.array([xs[j], x1s[i]])
                res = _scaled_minimize(f, z0, self._scale, [(xlo, xhi), (x1lo, x1hi)], constraints=cons,
                                       method="SLSQP", options={"ftol": 1e-14, "maxiter": 500})
                if a * u_g - res.x[0] >= -1e-9 and res.x[1] + p * res.x[0] / a + p * u_d >= -1e-9:
                    candidates.append((-res.fun, res.x))
                candidates.append((masked[i, j], z0))
        # boundary 1: x = A u_G, x1 >= -p u_G - p u_D
        xb = a * u_g
        if xlo <= xb <= xhi:
            lo1 = max(x1lo, -p * xb / a - p * u_d)
            if lo1 <= x1hi:
                r = minimize_scalar(lambda t: f(np.array([xb, t])), bounds=(lo1, x1hi), method="bounded",
                                    options={"xatol": 1e-10})
                candidates.append((-r.fun, np.array([xb, r.x])))
                candidates.append((-f(np.array([xb, lo1])), np.array([xb, lo1])))  # the corner
        # boundary 2: x1 = -p x/A - p u_D, x <= A u_G
        hi2 = min(xhi, xb)
        if hi2 >= xlo:
            def line(t):
                return f(np.array([t, -p * t / a - p * u_d]))

            # keep x1 inside the box along the line
            t_lo = max(xlo, (-(x1hi + p * u_d)) * a / p)
            t_hi = min(hi2, (-(x1lo + p * u_d)) * a / p)
            if t_lo <= t_hi:
                grid = np.linspace(t_lo, t_hi, 400)
                k = int(np.argmin([line(t) for t in grid]))
                lo_k, hi_k = grid[max(k - 1, 0)], grid[min(k + 1, len(grid) - 1)]
                r = minimize_scalar(line, bounds=(lo_k, hi_k), method="bounded", options={"xatol": 1e-10})
                candidates.append((-r.fun, np.array([r.x, -p * r.x / a - p * u_d])))
        if not candidates:
            return ThetaResult(-math.inf, math.nan, math.nan)
        val, z = max(candidates, key=lambda c: c[0])
        return self._finish(z, val, u_d, u_g)

    # ------------------------------------------------------------------ thresholds
    def thresholds(self, xtol: float = 1e-8) -> dict:
        """The lowest losses with exponentially many critical points, each by root finding:

        ``u_D = inf{u_D : Theta(u_D, +inf) > 0}``, ``u_G = inf{u_G : Theta(+inf, u_G) > 0}`` and
        ``u_sum = inf{u_D + u_G : Theta > 0}``.
        """
        from scipy.optimize import brentq

        def root(fn_raw, what):
            def fn(v):  # while bracketing, maximisers far outside the physical range are expected
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", RuntimeWarning)
                    return fn_raw(v)

            hi = 0.0
            if fn(hi) <= 0:
                hi = 1.0
                while fn(hi) <= 0:
                    hi *= 2
                    if hi > 1e6:
                        raise ValueError(f"Theta <= 0 for every {what}: no threshold")
            step = 1.0
            lo = hi - step
            while fn(lo) > 0:
                step *= 2
                lo = hi - step
                if step > 1e7:
                    raise ValueError(f"Theta > 0 for every {what} tried: no threshold found")
            return brentq(fn, lo, hi, xtol=xtol)

        u_d = root(lambda v: self.theta(v, np.inf).theta, "u_D")
        u_g = root(lambda v: self.theta(np.inf, v).theta, "u_G")
        if self.derived:
            u_s = root(lambda v: self._theta_free(np.inf, np.inf, v).theta, "u_D + u_G")
        else:
            u_s = self._reference_sum_threshold()
        return {"u_D": u_d, "u_G": u_g, "u_sum": u_s}

    def _reference_sum_threshold(self) -> float:
        """Reference region: a point (x, x1) needs u_G >= x/A and u_D >= -x1/p - x/A, so its
        smallest u_D + u_G is -x1/p: u_sum = -max{x1 : E(x, x1) >= 0}/p."""
        xs, x1s, phi, spl = self._table
        vals = phi + self._gauss(xs[None, :], x1s[:, None]) + self.constant
        ok = vals >= 0
        if not ok.any():
            raise ValueError("the exponent is negative everywhere: no threshold")
        i, j = np.argwhere(ok)[np.argmax(np.argwhere(ok)[:, 0])]
        (xlo, xhi), (x1lo, x1hi) = self._box
        cons = [{"type": "ineq", "fun": lambda z: float(spl(z[1], z[0])[0, 0]) + float(self._gauss(z[0], z[1]))
                 + self.constant}]
        res = _scaled_minimize(lambda z: -z[1], np.array([xs[j], x1s[i]]), self._scale, [(xlo, xhi), (x1lo, x1hi)],
                               constraints=cons, method="SLSQP", options={"ftol": 1e-14, "maxiter": 500})
        best = res.x[1] if res.success else x1s[i]
        return float(-best / self.p)
