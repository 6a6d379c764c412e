r"""Compiled subordination solver for ``deformed(mu_D, s)`` when ``m_D`` has a closed form.

``mu_D`` is flattened to components ``w_k * (a_k X_k + b_k)``: atoms (``X = delta_0``),
semicircles of radius ``R`` and Marchenko-Pastur laws of ratio ``c`` (mixtures and affine
images of these, e.g. ``with_zero_mass``).  Per point the same equation and branch rules as
the numpy route of :mod:`complexity.spectra.subordination` (its docstring): ``omega`` solves
``omega + s^2 m_D(omega) = z`` with ``Im omega >= Im z``.  The points are visited in order
(ascending real part along a line) and Newton starts from the previous point's root; that
root is accepted only when it is the physical one, which is decidable pointwise (Biane 1997:
``omega -> omega + s^2 m_D(omega)`` maps ``{Im omega > 0, s^2 int dmu_D / |omega - l|^2 < 1}``
conformally onto the upper half plane, and on the real axis the roots with ``Im omega > 0``
lie on one curve that it maps injectively):

* ``Im z > 0``: any root with ``Im omega > Im z`` is the physical one;
* ``Im z = 0``: a root with ``Im omega > 0`` is (a root below the axis is reflected), and a
  real root must be the stable one, ``s^2 h(omega) < 1`` with ``h = -m_D'``.

Otherwise the point is solved from scratch by continuation from ``Im z = 2R`` (fixed-point
steps, then Newton following ``Im z`` down by a factor 10 per level), as the numpy route does.
"""

from __future__ import annotations

import math

import numba
import numpy as np

ATOM, SEMICIRCLE, MARCHENKO_PASTUR = 0, 1, 2


def flatten(mu, weight=1.0, a=1.0, b=0.0, out=None):
    """``[(kind, weight, a, b, parameter), ...]`` for ``mu`` or None if a part has no closed form."""
    from complexity.spectra._base import AffineMeasure
    from complexity.spectra.composite import Discrete, Mixture
    from complexity.spectra.marchenko_pastur import MarchenkoPastur
    from complexity.spectra.semicircle import Semicircle

    out = [] if out is None else out
    if isinstance(mu, Semicircle):
        out.append((SEMICIRCLE, weight, a, b, mu.radius))
    elif isinstance(mu, MarchenkoPastur):
        out.append((MARCHENKO_PASTUR, weight, a, b, mu.c))
    elif isinstance(mu, Discrete):
        for lev, w in zip(mu.levels, mu.weights):
            out.append((ATOM, weight * float(w), 1.0, a * float(lev) + b, 0.0))
    elif isinstance(mu, Mixture):
        for w, comp in zip(mu.weights, mu.components):
            if flatten(comp, weight * float(w), a, b, out) is None:
                return None
    elif isinstance(mu, AffineMeasure):
        if flatten(mu.base, weight, a * mu.a, a * mu.b + b, out) is None:
            return None
    else:
        return None
    return out


def pack(components):
    kind = np.array([c[0] for c in components], np.int64)
    par = np.array([c[1:] for c in components], np.float64).reshape(-1, 4)
    return kind, np.ascontiguousarray(par)


@numba.njit(cache=True, nogil=True)
def _unit(kind, p, u):
    """``(m, m')`` of the unit component at ``u`` with ``Im u >= 0``."""
    if kind == SEMICIRCLE:
        root = np.sqrt(u - p) * np.sqrt(u + p)
        den = u + root
        return 2.0 / den, -2.0 / (den * root)
    # Marchenko-Pastur(c): c z m^2 - (z + c - 1) m + 1 = 0, without cancellation
    c = p
    lo = (1.0 - math.sqrt(c)) ** 2
    hi = (1.0 + math.sqrt(c)) ** 2
    r = np.sqrt(u - lo) * np.sqrt(u - hi)
    num = u + (c - 1.0) - r
    den = u + (c - 1.0) + r
    if abs(den) >= abs(num):
        m = 2.0 / den
    else:
        m = num / (2.0 * c * u)
    return m, (c * m * m - m) / r


@numba.njit(cache=True, nogil=True)
def _md(kind, par, w):
    """``m_D(w)`` and ``m_D'(w)`` at ``Im w >= 0``."""
    m = 0j
    dm = 0j
    for k in range(kind.size):
        wt, a, b, p = par[k, 0], par[k, 1], par[k, 2], par[k, 3]
        if kind[k] == ATOM:
            d = 1.0 / (w - b)
            m += wt * d
            dm -= wt * d * d
            continue
        u = (w - b) / a
        uu = complex(u.real, abs(u.imag))
        mu_, dmu = _unit(kind[k], p, uu)
        if a < 0.0:  # (w - b) / a lies below the axis: the conjugate branch
            mu_ = mu_.conjugate()
            dmu = dmu.conjugate()
        m += wt * mu_ / a
        dm += wt * dmu / (a * a)
    return m, dm


@numba.njit(cache=True, nogil=True)
def _newton(kind, par, s2, zt, om, scale, maxit):
    """Newton on ``omega + s^2 m_D(omega) = zt`` from ``om``, ``Im omega > Im zt`` kept off the
    axis (a root below the real axis reflected on it).  Returns (omega, converged)."""
    lim = zt.imag
    prev = np.inf
    for _ in range(maxit):
        m, dm = _md(kind, par, om)
        g = om + s2 * m - zt
        jac = 1.0 + s2 * dm
        if jac == 0:
            return om, False
        step = g / jac
        new = om - step
        if lim == 0.0:
            if new.imag < 0.0:
                new = new.conjugate()
        else:
            back = 0
            while new.imag <= lim and back < 30:
                step *= 0.5
                new = om - step
                back += 1
            if new.imag <= lim:
                return om, False
        om = new
        size = abs(step)
        if not (size == size):
            return om, False
        if size <= 1e-14 * scale or (size > 0.5 * prev and abs(g) <= 1e-12 * scale):
            return om, True
        prev = size
    return om, False


@numba.njit(cache=True, nogil=True)
def _accept(kind, par, s2, z, om, radius):
    """The physical-branch test of the module docstring; returns (omega, ok) (omega snapped)."""
    if z.imag > 0.0:
        return om, om.imag > z.imag
    if abs(om.imag) <= 1e-14 * radius:
        om = complex(om.real, 0.0)
        m, dm = _md(kind, par, om)
        return om, s2 * (-dm.real) <= 1.0 + 1e-6
    return om, om.imag > 0.0


@numba.njit(cache=True, nogil=True)
def _continuation(kind, par, s2, z, radius):
    """``omega`` at ``z`` from scratch: fixed-point steps at ``Im z = 2R``, then Newton at each
    level ``Im z / 10`` down to the target; returns (omega, converged on the physical branch)."""
    target = z.imag
    eta = max(2.0 * radius, target)
    zt = complex(z.real, eta)
    om = zt
    for _ in range(14):
        m, dm = _md(kind, par, om)
        om = zt - s2 * m
    floor = 1e-13 * radius
    ok = True
    while True:
        if eta * 0.1 > max(target, floor):
            eta = eta * 0.1
        else:
            eta = target
        om, conv = _newton(kind, par, s2, complex(z.real, eta), om, abs(complex(z.real, eta)) + radius, np.int64(60))
        ok = ok and conv
        if eta == target:
            break
    om, phys = _accept(kind, par, s2, z, om, radius)
    return om, ok and phys


@numba.njit(cache=True, nogil=True)
def solve(kind, par, s2, zs, radius, width, out_omega, out_m, out_ok):
    """``omega`` and ``m_H = m_D(omega)`` at the points ``zs`` (``Im z >= 0``), visited in the
    given order with warm starts; ``out_ok``: converged on the physical branch; returns the
    number of points that did not."""
    fails = 0
    have = False
    prev = 0j
    om = 0j
    for n in range(zs.size):
        z = zs[n]
        scale = abs(z) + radius
        done = False
        if have and abs(z - prev) <= 0.05 * width:
            trial, conv = _newton(kind, par, s2, z, om, scale, np.int64(12))
            if conv:
                trial, done = _accept(kind, par, s2, z, trial, radius)
                if done:
                    om = trial
        ok = True
        if not done:
            om, ok = _continuation(kind, par, s2, z, radius)
            if not ok:
                fails += 1
        out_ok[n] = ok
        out_omega[n] = om
        out_m[n] = _md(kind, par, om)[0]
        prev = z
        have = True
    return fails
