r"""Effective damping: (s X + A + delta)^-1 seen through the local law.

Model: H = s X + A, X a Wigner matrix ("wigner" scale: off-diagonal variance 1/N, semicircle
of variance 1), A deterministic with spectral measure mu_A, delta a damping (Adam's eps,
K-FAC's damping) with H + delta positive definite in the limit.

Derivation.  With R_H(z) = (z - H)^-1 and m_H(z) = N^-1 tr R_H(z) (Stieltjes transform,
m ~ 1/z), (H + delta)^-1 = -R_H(-delta).  The (isotropic) local law for deformed Wigner
matrices (Knowles-Yin 2014; subordination, Biane 1997) says R_H(z) ~ (omega(z) - A)^-1 in
any fixed direction, with omega(z) = z - s^2 m_H(z) and m_H(z) = m_A(omega(z)).  At
z = -delta:

    (H + delta)^-1 ~ (A - omega(-delta))^-1 = (A + delta_eff)^-1,
    delta_eff = -omega(-delta) = delta - s^2 t,    t = N^-1 tr (H + delta)^-1 = -m_H(-delta),

and t solves the self-consistent equation  t = int dmu_A(a) / (a + delta - s^2 t).
Equivalently x = -delta_eff solves x + s^2 G_A(x) = -delta on the branch where
1 + s^2 G_A'(x) > 0 (x left of x*, the point with -G_A'(x*) = 1/s^2); the map
x -> x + s^2 G_A(x) sends x* to the left edge of H's bulk, L_H = x* + s^2 G_A(x*), so the
damping must satisfy delta > -L_H.  Since t > 0, noise always *reduces* the damping:
delta_eff < delta.  (At s = 0: delta_eff = delta, t = int dmu_A / (a + delta).)
"""

from __future__ import annotations

import dataclasses

from complexity._validate import check_real
from complexity.diagnostics._bulk import hull
from complexity.diagnostics.outliers import _dg, _g, _just_outside, _solve

__all__ = ["Damping", "effective_damping", "smallest_damping"]


@dataclasses.dataclass(frozen=True)
class Damping:
    delta_eff: float  #: (H + delta)^-1 ~ (A + delta_eff)^-1 in fixed directions
    trace: float  #: N^-1 tr (H + delta)^-1
    left_edge: float  #: the left edge of H's bulk (delta must exceed -left_edge)

    def as_dict(self) -> dict:
        return {"delta_eff": self.delta_eff, "trace": self.trace}


def _x_star(bulk_a, s: float) -> float:
    """The point left of A's hull where -G_A'(x) = 1 / s^2 (the left edge of A if never reached)."""
    a, b = hull(bulk_a)
    near = _just_outside(a, "left", b - a)
    target = 1.0 / (s * s)
    if -_dg(bulk_a, near) <= target:
        return a
    return _solve(lambda x: -_dg(bulk_a, x) - target, a - s, near, "effective damping (edge of H)")


def smallest_damping(bulk_a, s) -> float:
    """-L_H: the damping below which H + delta is not positive definite in the limit."""
    s = check_real("s (noise)", s, lower=0.0)
    a, _ = hull(bulk_a)
    if s == 0:
        return -a
    xs = _x_star(bulk_a, s)
    return -(xs + s * s * _g(bulk_a, xs))


def effective_damping(bulk_a, s, delta) -> Damping:
    """delta_eff and N^-1 tr (s X + A + delta)^-1 for A with spectral measure ``bulk_a``."""
    s = check_real("s (noise)", s, lower=0.0)
    delta = check_real("delta", delta)
    a, b = hull(bulk_a)
    if s == 0:
        if delta <= -a:
            raise ValueError(f"delta must be > {-a} (A + delta positive definite), got {delta}")
        return Damping(delta, -_g(bulk_a, -delta), a)
    xs = _x_star(bulk_a, s)
    left = xs + s * s * _g(bulk_a, xs)
    if -delta >= left:
        raise ValueError(
            f"delta must be > {-left} (-delta left of the spectrum of s X + A, whose left edge is {left}), got {delta}"
        )
    z = -delta
    hi = xs if xs < a else _just_outside(a, "left", b - a)
    lo = min(z, hi) - 1.0
    while lo + s * s * _g(bulk_a, lo) > z:  # phi(x) = x + s^2 G_A(x) <= x: a few steps at most
        lo -= 2.0 * (hi - lo)
    x = _solve(lambda x: x + s * s * _g(bulk_a, x) - z, lo, hi, "effective damping")
    trace = -_g(bulk_a, x)
    return Damping(-x, trace, left)
