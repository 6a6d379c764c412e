r"""The pure spherical p-spin glass (Auffinger-Ben Arous-Cerny 2013; Choromanska et al. 2015).

Model and units
---------------
``H_N(s) = N^{-(p-1)/2} sum_{i1..ip} J_{i1..ip} s_{i1}...s_{ip}``, ``J`` iid N(0, 1) over
ordered tuples, ``s`` on the sphere of radius ``sqrt(N)``; ``E[H(s)H(s')] = N R^p``,
``R = s.s'/N``.  Energies ``u`` are per spin, ``u = H/N`` (ABC units); see
:func:`convert_energy` for other papers' units.

Complexity (formulas derived in :mod:`complexity.symbolic` and printed into
:mod:`complexity._generated.kac_rice`; this module only evaluates them)
------------------------------------------------------------------------
* ``E_inf = 2 sqrt((p-1)/p)``
* ``I_1(u) = J(s u)`` with ``s = sqrt(p / (2(p-1)))`` and J the GOE edge rate;
  equivalently ``-(u/E_inf^2) sqrt(u^2 - E_inf^2) - log(-u + sqrt(u^2 - E_inf^2)) + log E_inf``
* ``Theta_{k,p}(u) = log(p-1)/2 - (p-2)/(4(p-1)) u^2 - (k+1) I_1(u)`` for ``u <= -E_inf``,
  ``log(p-1)/2 - (p-2)/p`` above
* ``Theta_p(u) = log(p-1)/2 - (p-2)/(4(p-1)) u^2 - I_1(u)`` (u <= -E_inf),
  ``log(p-1)/2 - (p-2)/(4(p-1)) u^2`` on ``[-E_inf, 0]``, ``log(p-1)/2`` above 0
* ``E_k`` solves ``Theta_{k,p}(-E_k) = 0``; ``E_0 > E_1 > ... -> E_inf``.

p = 2 (the spherical 2-spin, a random quadratic form) is allowed: it has exactly
``2N`` critical points (the eigenvectors, two per index), so ``Theta_2 <= 0`` with
``Theta_2(u) = 0`` for ``u >= -sqrt 2``: there is no exponential number of critical
points, and every ``E_k`` equals ``E_inf = sqrt 2`` (the thresholds are degenerate).

Two paths: arrays of floats (numba kernels, compiled once and cached), or
``dps=D`` for an mpmath value at D significant digits.
"""

from __future__ import annotations

import functools
import math
import warnings

import mpmath
import numba
import numpy as np
from scipy.optimize import brentq

from complexity._generated import kac_rice as G
from complexity._validate import check_array, check_int, check_p, check_real
from complexity.spectra.semicircle import edge_rate_gaps

__all__ = [
    "e_inf",
    "i1",
    "theta",
    "threshold",
    "thresholds",
    "convert_energy",
    "ENERGY_UNITS",
]

_theta_total_s = numba.njit(cache=True)(G.pspin_theta)
_theta_k_s = numba.njit(cache=True)(G.pspin_theta_k)
_e_inf_s = numba.njit(cache=True)(G.pspin_e_inf)


@numba.njit(cache=True)
def _theta_kernel(u, p, k, out):  # k < 0: all indices
    for i in range(u.size):
        if k < 0:
            out[i] = _theta_total_s(u[i], p)
        else:
            out[i] = _theta_k_s(u[i], p, k)


@functools.lru_cache(maxsize=64)
def _e_inf_double_double(p: int):
    """``E_inf = hi + lo`` with ``hi = fl(E_inf)`` and ``lo`` the rounding error (mpmath, 40 digits)."""
    with mpmath.workdps(40):
        e = 2 * mpmath.sqrt(mpmath.mpf(p - 1) / p)
        hi = float(e)
        return hi, float(e - hi)


def _rounded(v, dps):
    """``v`` rounded to ``dps`` digits; the mpf keeps that precision after the context ends."""
    with mpmath.workdps(dps):
        return +v


def _check_dps(dps):
    return check_int("dps", dps, minimum=5, maximum=10000)


def e_inf(p, dps: int | None = None):
    """Threshold energy ``E_inf = 2 sqrt((p-1)/p)`` (float, or mpmath at ``dps`` digits)."""
    p = check_p(p)
    if dps is None:
        return G.pspin_e_inf(float(p))
    with mpmath.workdps(_check_dps(dps) + 10):
        v = G.pspin_e_inf_mp(mpmath.mpf(p))
    return _rounded(v, dps)


def i1(u, p, dps: int | None = None):
    """``I_1(u) = J(s u)``: the GOE edge rate in energy units (0 for u >= -E_inf)."""
    p = check_p(p)
    if dps is None:
        # J(s (-u - E_inf) + sqrt2 ...) from the gap to the edge, E_inf in double-double and
        # the GOE edge rate's series next to the edge (the closed form cancels there)
        a = np.atleast_1d(check_array("u", u)).astype(float).ravel()
        hi, lo = _e_inf_double_double(p)
        gap = ((-a - hi) - lo) * math.sqrt(p / (2.0 * (p - 1.0)))
        out = edge_rate_gaps(gap)
        return out.reshape(np.shape(u)) if np.ndim(u) else float(out[0])
    with mpmath.workdps(_check_dps(dps) + 10):
        uu, pp = mpmath.mpf(check_real("u", u)), mpmath.mpf(p)
        v = G.pspin_i1_mp(uu, pp) if uu < -G.pspin_e_inf_mp(pp) else mpmath.mpf(0)
    return _rounded(v, dps)


#: beyond this |u| (far below -E_inf) Theta is evaluated by :func:`_theta_far`
U_FAR = 1e100


def _theta_far(u: np.ndarray, p: int, k: int) -> np.ndarray:
    r"""Theta_p(u) (k < 0) or Theta_{k,p}(u) for u << -E_inf, without overflow of u^2.

    The same formula as the generated one, ``log(p-1)/2 - (p-2)/(4(p-1)) u^2 - m I_1(u)``
    (``m = 1`` for all indices, ``k + 1`` for index k), with ``t = s|u|``,
    ``I_1 = (t^2/2) sqrt(1 - 2/t^2) - log(t (1 + sqrt(1 - 2/t^2)) / sqrt 2)`` arranged as
    ``-|u| (|u| A) + L``: ``A = (p-2)/(4(p-1)) + m (s^2/2) sqrt(1 - 2/t^2)`` and
    ``L = log(p-1)/2 + m log(t (1 + sqrt(1 - 2/t^2)) / sqrt 2)``.  Exact (not an expansion);
    the result is ``-inf`` only where Theta itself is below the double range.
    """
    m = 1.0 if k < 0 else k + 1.0
    pf = float(p)
    s2 = pf / (2.0 * (pf - 1.0))
    a_abs = np.abs(u)
    t = math.sqrt(s2) * a_abs
    with np.errstate(over="ignore", under="ignore"):
        r = np.sqrt(1.0 - 2.0 / t / t)
        big_a = (pf - 2.0) / (4.0 * (pf - 1.0)) + m * 0.5 * s2 * r
        lead = a_abs * (a_abs * big_a)
        low = 0.5 * math.log(pf - 1.0) + m * (np.log(t) + np.log1p(r) - 0.5 * math.log(2.0))
        return low - lead


def theta(u, p, k: int | None = None, dps: int | None = None):
    """Complexity ``Theta_p(u)`` (``k=None``: all indices) or ``Theta_{k,p}(u)``.

    ``u`` is an energy per spin (scalar or array; the result has its shape).  With
    ``dps`` the value is an mpmath number correct to about ``dps`` digits (scalar u).
    The energy set is ``(-inf, u]``: the complexity of critical points with H/N <= u.

    Domain (docs/reliability.md): any finite ``u``; for ``u < -U_FAR`` the same formula is
    evaluated in a form free of overflow (:func:`_theta_far`).  Where Theta itself is below
    the smallest double (about ``|u| > 1.9e154`` for all indices) the float path raises
    ``ValueError`` naming u and the range instead of returning -inf or NaN.
    """
    p = check_p(p)
    kk = -1 if k is None else check_int("k", k, minimum=0)
    if dps is None:
        a = np.atleast_1d(check_array("u", u)).astype(float)
        out = np.empty_like(a)
        _theta_kernel(a.ravel(), float(p), kk, out.ravel())
        far = a < -U_FAR
        if far.any():
            out[far] = _theta_far(a[far], p, kk)
        if not np.all(np.isfinite(out)):
            bad = a.ravel()[~np.isfinite(out.ravel())]
            raise ValueError(f"u = {float(bad[0])!r}: Theta is below the smallest double there (it falls "
                             f"like -c u^2); the float path accepts u down to about {_u_floor(p, kk):.3g} "
                             "(use dps=... for an mpmath value)")
        return out.reshape(np.shape(u)) if np.ndim(u) else float(out[0])
    with mpmath.workdps(_check_dps(dps) + 10):
        uu, pp = mpmath.mpf(check_real("u", u)), mpmath.mpf(p)
        v = G.pspin_theta_mp(uu, pp) if kk < 0 else G.pspin_theta_k_mp(uu, pp, mpmath.mpf(kk))
    return _rounded(v, dps)


def _u_floor(p: int, k: int) -> float:
    """The most negative u whose Theta (or Theta_k) is a finite double: A u^2 <= 1.7e308."""
    m = 1.0 if k < 0 else k + 1.0
    big_a = (p - 2.0) / (4.0 * (p - 1.0)) + m * 0.5 * p / (2.0 * (p - 1.0))
    return -math.sqrt(1.7e308) / math.sqrt(big_a)


def _threshold_float(p: int, k: int) -> float:
    e = G.pspin_e_inf(float(p))
    if p == 2:
        return e

    def f(energy):
        return G.pspin_theta_k(-energy, float(p), float(k))

    lo, hi = e, 2.0 * e
    while f(hi) > 0:
        lo, hi = hi, 2.0 * hi
        if hi > 1e6:  # pragma: no cover - Theta_k -> -inf quadratically
            raise RuntimeError(f"no threshold E_k found for p={p}, k={k}")
    return brentq(f, lo, hi, xtol=1e-15, rtol=4 * np.finfo(float).eps)


def threshold(p, k: int = 0, dps: int | None = None):
    """``E_k``: the root of ``Theta_{k,p}(-E_k) = 0`` (``k = 0``: the ground-state bound).

    Critical points of index k exist (exponentially many) only above ``-E_k``.
    For p = 2 every ``E_k`` equals ``E_inf = sqrt 2`` (see the module docstring).
    """
    p = check_p(p)
    k = check_int("k", k, minimum=0)
    guess = _threshold_float(p, k)
    if dps is None:
        return guess
    dps = _check_dps(dps)
    if p == 2:
        return e_inf(2, dps)
    with mpmath.workdps(dps + 15):
        pp, kk = mpmath.mpf(p), mpmath.mpf(k)

        def f(energy):
            return G.pspin_theta_k_mp(-energy, pp, kk)

        einf = G.pspin_e_inf_mp(pp)
        # secant from the double-precision root (Theta_k is smooth and monotone there);
        # if it strays, fall back to the bracketing Illinois method on [E_inf, 4 E_k]
        x0 = mpmath.mpf(guess)
        try:
            root = mpmath.findroot(f, (x0, x0 * (1 + mpmath.mpf(10) ** -12)), solver="secant",
                                   tol=mpmath.mpf(10) ** (-2 * dps - 10), maxsteps=100)
            if not einf < root < 4 * x0:
                raise ValueError("secant left the bracket")
        except (ValueError, ZeroDivisionError):
            root = mpmath.findroot(f, (einf, 4 * x0), solver="illinois",
                                   tol=mpmath.mpf(10) ** (-2 * dps - 10), maxsteps=1000)
        resid = abs(f(root))
        if resid > mpmath.mpf(10) ** (-dps - 5):
            warnings.warn(f"threshold(p={p}, k={k}): root finder residual {mpmath.nstr(resid, 3)}", RuntimeWarning)
    return _rounded(root, dps)


def thresholds(p, kmax: int, dps: int | None = None):
    """``(E_inf, [E_0, ..., E_kmax])``: floats, or mpmath numbers at ``dps`` digits."""
    kmax = check_int("kmax", kmax, minimum=0)
    return e_inf(p, dps), [threshold(p, k, dps) for k in range(kmax + 1)]


#: energy units the package converts between
ENERGY_UNITS = ("abc", "crisanti-sommers", "total")


def convert_energy(u, frm: str = "abc", to: str = "crisanti-sommers", n: int | None = None):
    """Convert energies between conventions.

    * ``"abc"``: energy per spin H/N with E[H H'] = N R^p (this package's unit).
    * ``"crisanti-sommers"``: the same per-spin energy for E[H H'] = N R^p / 2, i.e. divided by sqrt 2.
    * ``"total"``: H itself (= N u); needs ``n``.
    """
    for name, unit in (("frm", frm), ("to", to)):
        if unit not in ENERGY_UNITS:
            raise ValueError(f"{name} must be one of {ENERGY_UNITS}, got {unit!r}")
    factor = {"abc": 1.0, "crisanti-sommers": 1.0 / math.sqrt(2.0)}
    if "total" in (frm, to):
        n = check_int("n", n, minimum=1) if n is not None else None
        if n is None:
            raise ValueError("n (the dimension) is required to convert to or from total energies")
        factor["total"] = float(n)
    a = check_array("u", u)
    out = a / factor[frm] * factor[to]
    return out if np.ndim(u) else float(out)
