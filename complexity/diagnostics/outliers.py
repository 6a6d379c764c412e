r"""Outliers of a bulk plus finite-rank spikes: location, threshold, squared overlap.

All three models take the bulk as a spectral measure mu (complexity.spectra), with
G(x) = int dmu(l) / (x - l) real for x outside the support and G' = -int dmu / (x - l)^2
(complexity.diagnostics._bulk).  [a, b] is the hull of the support (atoms included).
Right of the bulk (a spike above it) is described; a spike below is the mirror image.

Additive spike (Benaych-Georges & Nadakuditi 2011, Thm 2.1 and Remark 2.11)
---------------------------------------------------------------------------
H = X + theta v v^T, X with limiting measure mu and v independent of X's eigenvectors
(X orthogonally invariant, or v uniform on the sphere).  For theta > theta_c = 1 / G(b+)
an eigenvalue rho > b separates, G(rho) = 1 / theta, and the squared overlap of its
eigenvector with v tends to -1 / (theta^2 G'(rho)).  For theta <= theta_c: no outlier and
overlap -> 0.  BBP (semicircle of variance sigma^2): rho = theta + sigma^2 / theta for
theta > sigma, overlap 1 - sigma^2 / theta^2.  theta < 0 gives the outlier below a.

Multiplicative spike (spiked covariance; Baik & Silverstein 2006, Paul 2007, BGN 2011 Sec. 2.3)
----------------------------------------------------------------------------------------------
H = S^(1/2) X S^(1/2), S = I + (ell - 1) v v^T (population spike ell > 0), X >= 0 with law
mu.  H is similar to X S, and det(rho - X S) = 0 reduces to T(rho) = 1 / (ell - 1) with
T(z) = int l / (z - l) dmu(l) = z G(z) - 1.  Threshold ell_c = 1 + 1 / T(b+).  The
eigenvector w of H with y = S^(1/2) w solves (rho - X) y = rho (ell - 1) / ell v <v, y>, so
y ~ (rho - X)^-1 v and
    |<w, v>|^2 -> G(rho)^2 / (-ell G'(rho) - (ell - 1) G(rho)^2).
For X a white Wishart matrix (Marchenko-Pastur, c = N / T): ell_c = 1 + sqrt c,
rho = ell (1 + c / (ell - 1)), overlap (1 - c / (ell - 1)^2) / (1 + c / (ell - 1)) (Paul 2007).
ell < 1 gives the outlier below a (threshold 1 + 1 / T(a-)).

Noise plus true Hessian (subordination; Capitaine, Donati-Martin, Feral 2009; Knowles-Yin 2014)
---------------------------------------------------------------------------------------------
H = s X + A, X a Wigner matrix ("wigner" scale, semicircle of variance 1), A deterministic
with bulk mu_A and a spike eigenvalue theta (eigenvector v) outside supp mu_A.  The bulk of H
is mu_A free-convolved with a semicircle of variance s^2, with subordination function
omega(z) = z - s^2 G_H(z), G_H(z) = G_A(omega(z)), and the isotropic law
<v, (z - H)^-1 v> ~ 1 / (omega(z) - theta).  So an outlier sits at the solution of
omega(rho) = theta, i.e. (since then G_H(rho) = G_A(theta))
    rho = theta + s^2 G_A(theta)         (the batch-size law: the shift is exactly linear in s^2)
and the residue of 1 / (omega(z) - theta) gives the squared overlap
    |<u, v>|^2 -> 1 / omega'(rho) = 1 + s^2 G_A'(theta).
It separates while the overlap is positive: theta > theta_c with -G_A'(theta_c) = 1 / s^2.
mu_A = delta_0 gives BBP back (rho = theta + s^2 / theta, overlap 1 - s^2 / theta^2).
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
from scipy import optimize

from complexity._validate import check_real
from complexity.diagnostics._bulk import (
    hull,
    stieltjes_by_quadrature,
    stieltjes_derivative,
    stieltjes_real,
)

__all__ = ["Outlier", "additive", "multiplicative", "noise_plus_hessian", "batch_size_shift"]


@dataclasses.dataclass(frozen=True)
class Outlier:
    """Limit of the outlier created by one spike."""

    location: float | None  #: the outlier's position, None when the spike does not separate
    threshold: float  #: the spike value beyond which an outlier separates (on the spike's side)
    overlap: float  #: squared overlap of the outlier's eigenvector with the spike's; 0 below threshold
    side: str  #: "right" or "left" of the bulk

    def as_dict(self) -> dict:
        return {"location": self.location, "threshold": self.threshold, "overlap": self.overlap}


def _g(mu, x) -> float:
    return float(stieltjes_real(mu, np.array([x]))[0])


def _dg(mu, x) -> float:
    return float(stieltjes_derivative(mu, np.array([x]))[0])


def _g_edge(mu, edge: float, side: str) -> float:
    """G at the edge (limit from outside): quadrature of the density + atoms (inf at an atom)."""
    for loc, mass in mu.atoms():
        if mass > 0 and float(loc) == edge:
            return math.inf if side == "right" else -math.inf
    return float(stieltjes_by_quadrature(mu, np.array([edge]))[0])


def _solve(f, lo: float, hi: float, where: str) -> float:
    """Root of a monotone f on (lo, hi) by Brent's method (lo may be an edge where f is finite)."""
    try:
        return float(optimize.brentq(f, lo, hi, xtol=1e-14, rtol=4 * np.finfo(float).eps, maxiter=200))
    except ValueError:
        raise ValueError(f"{where}: no sign change on [{lo}, {hi}]") from None


def _just_outside(edge: float, side: str, span: float) -> float:
    return edge + (1 if side == "right" else -1) * 1e-13 * max(abs(edge), span, 1.0)


def additive(bulk, theta) -> Outlier:
    """Outlier of ``bulk + theta v v^T`` (theta != 0; see the module docstring)."""
    theta = check_real("theta (spike)", theta)
    if theta == 0:
        raise ValueError("theta (spike) must be non-zero")
    a, b = hull(bulk)
    side = "right" if theta > 0 else "left"
    edge = b if side == "right" else a
    g_edge = _g_edge(bulk, edge, side)
    threshold = 0.0 if not math.isfinite(g_edge) or g_edge == 0 else 1.0 / g_edge
    if abs(theta) <= abs(threshold) or (threshold != 0 and np.sign(threshold) != np.sign(theta)):
        return Outlier(None, threshold, 0.0, side)
    target = 1.0 / theta
    # G(x) <= 1/(x - b) right of b and >= 1/(x - a) left of a bracket the root within |theta|
    lo, hi = (_just_outside(b, side, b - a), b + theta) if side == "right" else (a + theta, _just_outside(a, side, b - a))
    rho = _solve(lambda x: _g(bulk, x) - target, lo, hi, "additive outlier")
    overlap = -1.0 / (theta * theta * _dg(bulk, rho))
    return Outlier(rho, threshold, overlap, side)


def multiplicative(bulk, ell) -> Outlier:
    """Outlier of ``S^(1/2) X S^(1/2)``, S = I + (ell - 1) v v^T, X >= 0 with law ``bulk``."""
    ell = check_real("ell (population spike)", ell, lower=0.0, lower_open=True)
    if ell == 1:
        raise ValueError("ell (population spike) must differ from 1 (ell = 1 is no spike)")
    a, b = hull(bulk)
    if a < 0:
        raise ValueError(f"multiplicative spikes need a bulk on [0, inf); this one starts at {a}")
    theta = ell - 1.0
    side = "right" if theta > 0 else "left"
    edge = b if side == "right" else a
    g_edge = _g_edge(bulk, edge, side)
    t_edge = edge * g_edge - 1.0 if math.isfinite(g_edge) else (math.inf if side == "right" else -math.inf)
    threshold = 1.0 + (0.0 if not math.isfinite(t_edge) or t_edge == 0 else 1.0 / t_edge)
    separated = ell > threshold if side == "right" else (ell < threshold and edge > 0)
    if not separated:
        return Outlier(None, threshold, 0.0, side)
    target = 1.0 / theta
    if side == "right":
        # T(x) <= b / (x - b) right of b: the root is below b * ell
        lo, hi = _just_outside(b, side, b - a), b * ell
    else:
        lo, hi = 1e-9 * a, _just_outside(a, side, b - a)  # T(0+) = -1 and T decreases on (0, a)
    rho = _solve(lambda x: x * _g(bulk, x) - 1.0 - target, lo, hi, "multiplicative outlier")
    g, dg = _g(bulk, rho), _dg(bulk, rho)
    overlap = g * g / (-ell * dg - theta * g * g)
    return Outlier(rho, threshold, overlap, side)


def noise_plus_hessian(bulk_a, theta, s) -> Outlier:
    """Outlier of ``s X + A`` from A's spike theta (A's bulk ``bulk_a``, X Wigner of variance 1).

    A spike inside the hull of A's bulk creates no outlier (location None; the threshold is that
    of the nearer side, judged from the hull's midpoint).
    """
    theta = check_real("theta (spike)", theta)
    s = check_real("s (noise)", s, lower=0.0)
    a, b = hull(bulk_a)
    side = "right" if theta >= 0.5 * (a + b) else "left"
    edge = b if side == "right" else a
    inside = a <= theta <= b
    if s == 0:
        return Outlier(None, edge, 0.0, side) if inside else Outlier(theta, edge, 1.0, side)
    sgn = 1.0 if side == "right" else -1.0
    target = 1.0 / (s * s)
    # -G_A' decreases away from the edge, -G_A'(x) <= 1 / (x - edge)^2: theta_c within s of the edge
    near = _just_outside(edge, side, b - a)
    if -_dg(bulk_a, near) <= target:
        threshold = edge  # -G_A' stays below 1/s^2 (a bulk edge with a vanishing density faster than sqrt)
    else:
        threshold = _solve(lambda x: -_dg(bulk_a, x) - target, *sorted((near, edge + sgn * s)), "noise threshold")
    if inside or sgn * (theta - threshold) <= 0:
        return Outlier(None, threshold, 0.0, side)
    rho = theta + s * s * _g(bulk_a, theta)
    overlap = 1.0 + s * s * _dg(bulk_a, theta)
    return Outlier(rho, threshold, overlap, side)


def batch_size_shift(bulk_a, theta) -> float:
    """The coefficient G_A(theta) of the batch-size law: outlier - theta = s^2 G_A(theta)."""
    theta = check_real("theta (spike)", theta)
    a, b = hull(bulk_a)
    if a <= theta <= b:
        raise ValueError(f"theta (spike) must lie outside the hull [{a}, {b}] of A's bulk, got {theta}")
    return _g(bulk_a, theta)
