r"""Numba kernels of the coupled model's complexity: the exponent with its gradient, and its
supremum over the fibre of one pair of energies.

Coordinates
-----------
Both conventions write the exponent as a function of the point ``z`` of the Kac-Rice
integral: ``z = (x, x1, v)`` in the derived convention (``v = l_G/N``), ``z = (x, x1)`` in the
reference ones.  The two energies are linear in ``z``:

* derived: ``u_G = sigma_z v``, ``u_D = a - sigma_z v`` with ``a = (sigma_z P v - x - kappa x1)/p``,
  so a pair ``(e_D, e_G)`` fixes ``v = e_G/sigma_z`` and ``x + kappa x1 = q e_G - p e_D``: its
  fibre is the line ``x = c - kappa t``, ``x1 = t``;
* reference: ``u_G = x/A`` and ``u_D = -x1/p - x/A`` (``A = P 2^P``): the fibre is one point.

``f(e_D, e_G)`` is the supremum of the exponent over the fibre (the complexity of critical
points at exactly those energies), and ``Theta(u_D, u_G) = sup {f(e) : e_D <= u_D, e_G <= u_G}``
(see :mod:`complexity.models.gan`).

The exponent (without its additive constant)
--------------------------------------------
``F = Phi(x; x1) + Q - pen``: ``Phi`` the log-potential of the block ensemble (one Dyson
solve, warm-started), ``Q`` the Gaussian rate (derived: generated from the sympy law of
``(l_D, l_G, R_G)/N``; reference: ``-x^2/(2 s^2) - x1^2/(2 s1^2)``), ``pen`` the
index penalty of :func:`_penalty`.  Gradient: ``dPhi/dx = Re m``, ``dPhi/dx1 = kappa Re g1``
(``Phi = Re Psi(g; x)`` with ``dPsi/dg = 0``).  ``-inf`` outside the allowed region (index
constraints, the published box).
"""

from __future__ import annotations

import math

import numba
import numpy as np

from complexity._generated import kac_rice as G
from complexity.rmt.block import _real_axis_point_two
from complexity.rmt.goe import edge_rate_scalar

_rate = numba.njit(cache=True)(G.gan_gauss_rate)
_rate_dx = numba.njit(cache=True)(G.gan_gauss_rate_dx)
_rate_dx1 = numba.njit(cache=True)(G.gan_gauss_rate_dx1)
_rate_dv = numba.njit(cache=True)(G.gan_gauss_rate_dv)

# layout of the parameter vector
CONV, P_, Q_, SIG, KAP, B, B1, A_, S2, S12, ED, EG, KD, KG, INDEXED, XLO, XHI, X1LO, X1HI, SCALE, LIP, CONCAVE, QT2 = \
    range(23)
NPRM = 23
NEG_INF = -np.inf
# the ``have`` flags passed as array elements, not as the literals True/False: numba compiles one
# more specialisation of a kernel for every literal argument a call site passes (a cold compile
# of the engine is tens of seconds; one signature per kernel keeps it from growing)
_TRUE = np.ones(1, np.bool_)
_FALSE = np.zeros(1, np.bool_)


@numba.njit(cache=True)
def _penalty(x, x1, prm):
    """(pen, dpen/dx, dpen/dx1, allowed).

    derived (consistent large deviations, docs/gan_model.md): the own Hessian of L^G has
    its bulk centred at -x with radius E_G, that of L^D at x + x1 with radius E_D; finite
    indices need ``x <= -E_G`` and ``x + x1 >= E_D``; k eigenvalues of a block of size
    ``kappa N`` (D) or ``(1 - kappa) N`` (G) past 0 cost ``k kappa J_{E_D}(x + x1)`` and
    ``k (1 - kappa) J_{E_G}(x)``.
    reference: the published ``k_G kappa J_{E_G}(x) + k_D (1 - kappa) J_{E_D}(-(x + x1))``,
    -inf (its NaN) inside either bulk when that k > 0.
    """
    kap = prm[KAP]
    kd = prm[KD]
    kg = prm[KG]
    pen = 0.0
    px = 0.0
    px1 = 0.0
    if prm[CONV] == 0.0:
        if prm[INDEXED] == 0.0:
            return 0.0, 0.0, 0.0, True
        if x > -prm[EG] or x + x1 < prm[ED]:
            return 0.0, 0.0, 0.0, False
        if kg > 0:
            j, dj = edge_rate_scalar(x, prm[EG])
            pen += kg * (1.0 - kap) * j
            px += kg * (1.0 - kap) * dj
        if kd > 0:
            j, dj = edge_rate_scalar(x + x1, prm[ED])
            pen += kd * kap * j
            px += kd * kap * dj
            px1 += kd * kap * dj
        return pen, px, px1, True
    if kg > 0:
        if abs(x) < prm[EG]:
            return 0.0, 0.0, 0.0, False
        j, dj = edge_rate_scalar(x, prm[EG])
        pen += kg * kap * j
        px += kg * kap * dj
    if kd > 0:
        if abs(x + x1) < prm[ED]:
            return 0.0, 0.0, 0.0, False
        j, dj = edge_rate_scalar(-(x + x1), prm[ED])
        pen += kd * (1.0 - kap) * j
        px -= kd * (1.0 - kap) * dj
        px1 -= kd * (1.0 - kap) * dj
    return pen, px, px1, True


@numba.njit(cache=True)
def _ensemble(prm):
    kap = prm[KAP]
    b = prm[B]
    b1 = prm[B1]
    f = np.array([kap, 1.0 - kap])
    s = np.empty((2, 2))
    s[0, 0] = (b * b + b1 * b1 / kap) / 2.0
    s[0, 1] = b * b / 2.0
    s[1, 0] = b * b / 2.0
    s[1, 1] = b * b / 2.0
    return f, s


@numba.njit(cache=True)
def exponent_point(x, x1, v, prm, f, s, g, have):
    """(F, dF/dx, dF/dx1, dF/dv, ok); g (complex, 2) is the warm start, updated in place."""
    if x < prm[XLO] or x > prm[XHI] or x1 < prm[X1LO] or x1 > prm[X1HI]:
        return NEG_INF, 0.0, 0.0, 0.0, True
    pen, px, px1, allowed = _penalty(x, x1, prm)
    if not allowed:
        return NEG_INF, 0.0, 0.0, 0.0, True
    scale = prm[SCALE] + abs(x1)
    if not _real_axis_point_two(x, f, s, -x1, 0.0, scale, g, have):
        return np.nan, 0.0, 0.0, 0.0, False
    kap = f[0]
    g1 = g[0]
    g2 = g[1]
    lin = kap * ((x + x1) * g1.real - math.log(abs(g1)) - 1.0) + f[1] * (x * g2.real - math.log(abs(g2)) - 1.0)
    quad = 0.0
    gg = (f[0] * g1, f[1] * g2)
    for i in range(2):
        for j in range(2):
            quad += (gg[i] * s[i, j] * gg[j]).real
    phi = lin - 0.5 * quad
    dphi_dx = kap * g1.real + f[1] * g2.real
    dphi_dx1 = kap * g1.real
    if prm[CONV] == 0.0:
        p, q, sig = prm[P_], prm[Q_], prm[SIG]
        val = phi + _rate(x, x1, v, p, q, sig, kap) - pen
        dx = dphi_dx + _rate_dx(x, x1, v, p, q, sig, kap) - px
        dx1 = dphi_dx1 + _rate_dx1(x, x1, v, p, q, sig, kap) - px1
        dv = _rate_dv(x, x1, v, p, q, sig, kap)
        return val, dx, dx1, dv, True
    val = phi - x * x / (2.0 * prm[S2]) - x1 * x1 / (2.0 * prm[S12]) - pen
    return val, dphi_dx - x / prm[S2] - px, dphi_dx1 - x1 / prm[S12] - px1, 0.0, True


@numba.njit(cache=True)
def fibre_point(e_d, e_g, t, prm):
    """(x, x1, v) of the fibre of (e_D, e_G) at parameter t (derived), or its only point (reference)."""
    if prm[CONV] == 0.0:
        c = prm[Q_] * e_g - prm[P_] * e_d
        return c - prm[KAP] * t, t, e_g / prm[SIG]
    return prm[A_] * e_g, -prm[P_] * (e_d + e_g), 0.0


@numba.njit(cache=True)
def _fibre_h(e_d, e_g, t, prm, f, s, g, have):
    x, x1, v = fibre_point(e_d, e_g, t, prm)
    val, dx, dx1, dv, ok = exponent_point(x, x1, v, prm, f, s, g, have)
    return val, -prm[KAP] * dx + dx1, ok


@numba.njit(cache=True)
def _fibre_quadratic(e_d, e_g, prm):
    """Derived fibre of (e_D, e_G): (c, t_Q, w) with x = c - kappa t, x1 = t, and the Gaussian
    along it a concave quadratic in t with maximiser t_Q and width w (Q'' = -1/w^2).

    Q is a quadratic form, so its curvature along the fibre direction (-kappa, 1, 0) is the
    same on every fibre: prm[QT2] = Q''/2 < 0, computed once (at the origin, where the
    differences are exact).  The slope at t = 0 is the exact gradient (generated), not a
    difference: far out (large sigma_z and energies) differences of Q cancel to round-off."""
    kap = prm[KAP]
    p, q, sig = prm[P_], prm[Q_], prm[SIG]
    c = q * e_g - p * e_d
    v = e_g / sig
    slope = -kap * _rate_dx(c, 0.0, v, p, q, sig, kap) + _rate_dx1(c, 0.0, v, p, q, sig, kap)
    q2 = prm[QT2]
    return c, -slope / (2.0 * q2), math.sqrt(-1.0 / (2.0 * q2))


@numba.njit(cache=True)
def fibre_sup(e_d, e_g, prm, f, s, g0, tw):
    """(sup of F over the fibre of (e_D, e_G), maximising t, failures).

    Derived: along the fibre Q is a concave quadratic in t with maximiser t_Q and width w;
    |dPhi/dt| <= prm[LIP] puts every maximiser within t_Q +- 2 LIP w^2 (to the left,
    down to the index constraint, when the penalty pushes it there); a scan at steps of
    at most w/3 and R/8 (R the spectral radius) brackets the best sample, and a safeguarded
    secant on dh/dt polishes it.  g0 carries a warm start between calls.

    When prm[CONCAVE] is set (h'' < 0 on every fibre: the model's bound on Phi_tt is below the
    quadratic's curvature 1/w^2, checked by the caller), h has one maximum: it is bracketed
    from the previous fibre's maximiser tw[0] and found by safeguarded secant steps on h'.
    """
    if prm[CONV] != 0.0:
        x, x1, v = fibre_point(e_d, e_g, 0.0, prm)
        val, dx, dx1, dv, ok = exponent_point(x, x1, v, prm, f, s, g0, _TRUE[0])
        return val, 0.0, 0 if ok else 1
    kap = prm[KAP]
    c, t_q, w = _fibre_quadratic(e_d, e_g, prm)
    # a maximiser at distance d from t_Q needs Phi to gain d^2/(2 w^2) <= LIP d
    reach = 2.0 * prm[LIP] * w * w + 0.5 * w
    lo = t_q - reach
    hi = t_q + reach
    t_min = -np.inf
    if prm[INDEXED] != 0.0:
        t_min = max((c + prm[EG]) / kap, (prm[ED] - c) / (1.0 - kap))
        lo = t_min
        if hi < t_min + w:
            hi = t_min + w
    if prm[CONCAVE] != 0.0:
        return _concave_sup(e_d, e_g, prm, f, s, g0, tw, t_q, w, t_min)
    radius = math.sqrt(2.0) * math.hypot(prm[B], prm[B1])
    step = min(w / 3.0, radius / 8.0)
    n = int(math.ceil((hi - lo) / step)) + 1
    if n < 16:
        n = 16
    if n > 600:
        n = 600
    # where x = c - kappa t crosses the G block's spectrum (radius E_G, narrow when sigma_z is
    # small) Phi has structure finer than the scan: sample that window densely too
    w_lo = (c - 3.0 * prm[EG]) / kap
    w_hi = (c + 3.0 * prm[EG]) / kap
    n_win = 0
    if w_hi - w_lo < 4.0 * step and w_hi > lo and w_lo < hi:
        w_lo = max(w_lo, lo)
        w_hi = min(w_hi, hi)
        n_win = 64
    # the two ascending scans merged (the values of np.sort of both, without compiling a sort)
    grid = np.empty(n + n_win)
    i = 0
    j = 0
    for k in range(n + n_win):
        a = lo + (hi - lo) * i / (n - 1) if i < n else math.inf
        b = w_lo + (w_hi - w_lo) * j / (n_win - 1) if j < n_win else math.inf
        if a <= b:
            grid[k] = a
            i += 1
        else:
            grid[k] = b
            j += 1
    n = n + n_win
    ts = np.empty(n)
    hs = np.empty(n)
    ds = np.empty(n)
    gs = np.empty((n, 2), dtype=np.complex128)
    g = g0.copy()
    fails = 0
    best = 0
    for k in range(n):
        ts[k] = grid[k]
        # near a narrow G cluster a warm start can land on a non-physical root that passes the
        # branch tests: solve from scratch there (continuation from Im z large)
        fresh = n_win > 0 and (k == 0 or w_lo - step <= ts[k] <= w_hi + step)
        val, d, ok = _fibre_h(e_d, e_g, ts[k], prm, f, s, g, (k > 0 or g0[0] != 0) and not fresh)
        if not ok:
            fails += 1
            val = NEG_INF
        hs[k] = val
        ds[k] = d
        gs[k, :] = g
        if k == 0:
            g0[:] = g
        if hs[k] > hs[best]:
            best = k
    if not hs[best] > NEG_INF:
        return NEG_INF, ts[best], fails
    # bracket: derivative + at the left end, - at the right end
    left = best - 1 if best > 0 else best
    right = best + 1 if best < n - 1 else best
    if ds[best] > 0 and best < n - 1:
        left = best
    elif ds[best] < 0 and best > 0:
        right = best
    if left == right or not (ds[left] > 0 and ds[right] < 0) or not (hs[left] > NEG_INF and hs[right] > NEG_INF):
        return hs[best], ts[best], fails
    a_t, b_t = ts[left], ts[right]
    da, db = ds[left], ds[right]
    g[:] = gs[best, :]
    t_best, h_best = ts[best], hs[best]
    side = 0
    for it in range(60):
        # false position on h' with the Illinois modification (the end kept twice in a row has
        # its h' halved), so that both ends of the bracket close in superlinearly
        tt = a_t - da * (b_t - a_t) / (db - da)
        if not (a_t < tt < b_t):
            tt = 0.5 * (a_t + b_t)
        fresh = n_win > 0 and w_lo - step <= tt <= w_hi + step
        val, d, ok = _fibre_h(e_d, e_g, tt, prm, f, s, g, not fresh)
        if not ok:
            fails += 1
            break
        if val > h_best:
            h_best, t_best = val, tt
        if d > 0:
            a_t, da = tt, d
            if side == 1:
                db *= 0.5
            side = 1
        else:
            b_t, db = tt, d
            if side == -1:
                da *= 0.5
            side = -1
        if b_t - a_t <= 1e-12 * (1.0 + abs(tt)) or abs(d) < 1e-14:
            break
    return h_best, t_best, fails


@numba.njit(cache=True)
def noise_radius_bound(prm):
    """sqrt 2 (b + b1): the norms' bound on the spectral radius of b M + b1 (M1 + 0) (GOEs of the
    "abc" scale, edge sqrt 2); with the shift -x1 (I_D + 0) the radius is at most this + |x1|."""
    return math.sqrt(2.0) * (prm[B] + prm[B1])


@numba.njit(cache=True)
def fibre_upper(e_d, e_g, prm):
    """An upper bound on the exponent at every point of the fibre of (e_D, e_G), so on f and on
    :func:`fibre_sup` (derived convention).  Along the fibre (x = c - kappa t, x1 = t) the
    Gaussian part is ``Q(t_Q) - (t - t_Q)^2 / (2 w^2)`` (:func:`_fibre_quadratic`); the
    log-potential ``Phi(x; x1) = int log|x - l| dmu(l) <= log(|x| + rho)`` with
    ``rho = noise_radius_bound + |x1|`` >= the spectral radius of
    ``b M + b1 (M1 + 0) - x1 (I_D + 0)``; the index penalty is >= 0 and
    the constraints only lower the exponent.  As ``|x| + |x1| <= |c| + (1 + kappa) |t|``, with
    ``K = |c| + (1 + kappa) |t_Q| + noise_radius_bound`` and ``d = |t - t_Q|``,
    ``log(|x| + rho) <= log(K + (1 + kappa) d) <= log K + (1 + kappa) d / K``,
    whose sum with ``-d^2 / (2 w^2)`` is at most ``log K + ((1 + kappa) w)^2 / (2 K^2)``.  Plus
    1e-6 for round-off."""
    kap = prm[KAP]
    c, t_q, w = _fibre_quadratic(e_d, e_g, prm)
    q_top = _rate(c - kap * t_q, t_q, e_g / prm[SIG], prm[P_], prm[Q_], prm[SIG], kap)
    k = abs(c) + (1.0 + kap) * abs(t_q) + noise_radius_bound(prm)
    a = (1.0 + kap) * w / k
    return q_top + math.log(k) + 0.5 * a * a + 1e-6


@numba.njit(cache=True)
def _concave_sup(e_d, e_g, prm, f, s, g, tw, t_q, w, t_min):
    """Maximum of a strictly concave h on [t_min, inf): root of h' by bracketing + secant."""
    fails = 0
    t0 = tw[0] if np.isfinite(tw[0]) else t_q
    if t0 < t_min:
        t0 = t_min
    have = g[0] != 0
    h0, d0, ok = _fibre_h(e_d, e_g, t0, prm, f, s, g, have)
    if not ok:
        fails += 1
        g[0] = 0
        h0, d0, ok = _fibre_h(e_d, e_g, t0, prm, f, s, g, _FALSE[0])
        if not ok:
            return np.nan, t0, fails + 1
    if d0 <= 0 and t0 <= t_min:
        tw[0] = t0
        return h0, t0, fails
    gb = g.copy()
    step = w if d0 > 0 else -w
    a_t, da, ha = t0, d0, h0
    b_t, db = t0, d0
    for _ in range(80):
        b_t = a_t + step
        if b_t < t_min:
            b_t = t_min
        hb, db, ok = _fibre_h(e_d, e_g, b_t, prm, f, s, g, _TRUE[0])
        if not ok:
            return np.nan, t0, fails + 1
        if (db <= 0) != (da <= 0) or (b_t <= t_min and db <= 0):
            break
        a_t, da, ha = b_t, db, hb
        gb[:] = g
        step *= 2.0
    if b_t <= t_min and db <= 0 and da <= 0:
        tw[0] = b_t
        return hb, b_t, fails
    # now h'(a_t) and h'(b_t) have opposite signs; order so that h'(lo) > 0 > h'(hi)
    if da > 0:
        lo_t, dlo, hi_t, dhi = a_t, da, b_t, db
    else:
        lo_t, dlo, hi_t, dhi = b_t, db, a_t, da
    best_t, best_h = (a_t, ha) if ha > hb else (b_t, hb)
    last = 0
    count = 0
    for it in range(100):
        tt = lo_t - dlo * (hi_t - lo_t) / (dhi - dlo)  # secant on h'
        if not (min(lo_t, hi_t) < tt < max(lo_t, hi_t)) or count >= 2:
            tt = 0.5 * (lo_t + hi_t)  # bisect when the secant stalls on one side
            count = 0
        ht, dt, ok = _fibre_h(e_d, e_g, tt, prm, f, s, g, _TRUE[0])
        if not ok:
            fails += 1
            break
        if ht > best_h:
            best_h, best_t = ht, tt
        side = 1 if dt > 0 else -1
        count = count + 1 if side == last else 1
        last = side
        if dt > 0:
            lo_t, dlo = tt, dt
        else:
            hi_t, dhi = tt, dt
        if abs(hi_t - lo_t) <= 1e-13 * (1.0 + abs(tt)) or dt == 0.0:
            break
    tw[0] = best_t
    return best_h, best_t, fails


@numba.njit(cache=True)
def f_many(e_d, e_g, prm, floor, row, out_val, out_t, g, tw):
    """f at the points (e_d[k], e_g[k]) in order, the one kernel behind every grid, line and
    table of f (one compiled entry point instead of three: each costs its own compilation of
    the whole fibre search); returns the number of solver failures.

    Warm starts (g: complex, 2, zeros for none; tw: 1, the last maximiser, nan for none) are
    carried from point to point, and across calls in g and tw; ``row`` > 0 resets them every
    ``row`` points (a grid flattened row by row, each row started afresh).  Where ``floor`` >
    -inf, a point whose :func:`fibre_upper` bound is below ``floor`` gets that bound and t = nan
    instead of a fibre search (derived convention).

    Serial, as every kernel of the engine: the figure runs, sweeps and test runs already use
    every core with one process each, where a parallel loop only adds its compile time (the
    engine's cold compile took 56.5 s with the grids and critical_index_grid parallel, 47.0 s
    without) and spinning idle threads."""
    f, s = _ensemble(prm)
    fails = 0
    skip = floor > NEG_INF
    for k in range(e_d.size):
        if row > 0 and k % row == 0:
            g[0] = 0.0
            g[1] = 0.0
            tw[0] = np.nan
        if skip:
            up = fibre_upper(e_d[k], e_g[k], prm)
            if up < floor:
                out_val[k] = up
                out_t[k] = np.nan
                continue
        val, t, nf = fibre_sup(e_d[k], e_g[k], prm, f, s, g, tw)
        out_val[k] = val
        out_t[k] = t
        fails += nf
    return fails


@numba.njit(cache=True)
def exponent_at(x, x1, v, prm):
    """F and its gradient at one point (fresh solve); nan on failure."""
    f, s = _ensemble(prm)
    g = np.zeros(2, dtype=np.complex128)
    val, dx, dx1, dv, ok = exponent_point(x, x1, v, prm, f, s, g, _FALSE[0])
    if not ok:
        return np.nan, np.nan, np.nan, np.nan
    return val, dx, dx1, dv


@numba.njit(cache=True)
def _ratio_at(e_d, e_g, t, prm0, prm1, const, f, s, g, have):
    """(ratio, ok): (F_0 + const) / pen_1 at the fibre point t, where F_0 is the exponent with
    index 0 and pen_1 the penalty of one eigenvalue (prm1) where F_0 + const > 0, and F_0 + const
    itself where it is <= 0 (continuous across 0, and finite where the penalty vanishes); -inf
    where the point is not allowed for k >= 1; +inf where the penalty vanishes and F_0 + const > 0.
    Only its sign and, where positive, its value matter: f_k > 0 iff k < ratio."""
    x, x1, v = fibre_point(e_d, e_g, t, prm0)
    pen, px, px1, allowed = _penalty(x, x1, prm1)
    if not allowed:
        return NEG_INF, True
    val, dx, dx1, dv, ok = exponent_point(x, x1, v, prm0, f, s, g, have)
    if not ok:
        return NEG_INF, False
    top = val + const
    if not np.isfinite(top):
        return NEG_INF, True
    if top <= 0:
        return top, True  # continuous across top = 0, and finite where the penalty vanishes
    if pen <= 0:
        return np.inf, True
    return top / pen, True


@numba.njit(cache=True)
def _critical_index_cell(ed_, eg_, prm0, prm1, const, f, s, g):
    """(sup over the fibre of (e_D, e_G) of (F_0 + const) / pen_1, failures): a scan of the
    fibre and a golden refinement; g carries the resolvent warm start."""
    fails = 0
    if prm0[CONV] != 0.0:
        r, ok = _ratio_at(ed_, eg_, 0.0, prm0, prm1, const, f, s, g, g[0] != 0)
        return r, 0 if ok else 1
    kap = prm0[KAP]
    c, t_q, w = _fibre_quadratic(ed_, eg_, prm0)
    reach = 2.0 * prm0[LIP] * w * w + 8.0 * w
    t_min = max((c + prm0[EG]) / kap, (prm0[ED] - c) / (1.0 - kap))
    lo = max(t_min, t_q - reach)
    hi = t_q + reach
    if hi <= lo:
        return NEG_INF, 0
    radius = math.sqrt(2.0) * math.hypot(prm0[B], prm0[B1])
    step = min(w / 3.0, radius / 8.0, max(prm0[EG], 1e-300) / 2.0)
    n = int(math.ceil((hi - lo) / step)) + 1
    n = min(max(n, 16), 800)
    best = NEG_INF
    kb = -1
    have = _FALSE[0]
    for k in range(n):
        t = lo + (hi - lo) * k / (n - 1)
        r, ok = _ratio_at(ed_, eg_, t, prm0, prm1, const, f, s, g, have)
        have = ok
        if not ok:
            fails += 1
        if r > best:
            best = r
            kb = k
    if kb >= 0 and np.isfinite(best):
        a_t = lo + (hi - lo) * max(kb - 1, 0) / (n - 1)
        b_t = lo + (hi - lo) * min(kb + 1, n - 1) / (n - 1)
        top, _, _ = _brent_max(np.int64(0), a_t, b_t, 0.5e-12, 1.5e-12, ed_, eg_, 0.0, 0.0, prm0, prm1, const, f, s, g,
                               np.full(1, np.nan))
        best = max(best, top)
    return best, fails


@numba.njit(cache=True)
def _brent_max(kind, a_t, b_t, rel, tol, ed0, eg0, dd, dg, prm0, prm1, const, f, s, g, tw):
    """(largest value found, its u, failures): Brent's minimisation of -phi over [a_t, b_t]
    (golden sections with parabolic steps; Brent, *Algorithms for Minimization without
    Derivatives*, 1973, ch. 5), stopped when the bracket is within about 4 tol1,
    tol1 = rel |u| + tol / 3 (scipy's ``fminbound`` convention).  phi:

    * kind 0: the band maps' ratio (:func:`_ratio_at`) at the fibre point t = u of (ed0, eg0);
    * kind 1: f (:func:`fibre_sup`) at the energies (ed0 + u dd, eg0 + u dg), -inf where it is
      not finite; warm starts carried in g and tw.
    """
    cg = 0.3819660112501051
    fails = 0
    x = a_t + cg * (b_t - a_t)
    top = NEG_INF
    u_top = x
    have = _FALSE[0]  # not the literal False: that would compile the callees a second time
    fx = 0.0
    fw = 0.0
    fv = 0.0
    w = x
    v = x
    d = 0.0
    e = 0.0
    u = x
    for it in range(101):
        if it > 0:
            m = 0.5 * (a_t + b_t)
            tol1 = rel * abs(x) + tol / 3.0
            tol2 = 2.0 * tol1
            if abs(x - m) <= tol2 - 0.5 * (b_t - a_t):
                break
            parabolic = False
            if abs(e) > tol1 and np.isfinite(fx) and np.isfinite(fw) and np.isfinite(fv):
                r1 = (x - w) * (fx - fv)
                q1 = (x - v) * (fx - fw)
                p1 = (x - v) * q1 - (x - w) * r1
                q1 = 2.0 * (q1 - r1)
                if q1 > 0.0:
                    p1 = -p1
                else:
                    q1 = -q1
                if abs(p1) < abs(0.5 * q1 * e) and p1 > q1 * (a_t - x) and p1 < q1 * (b_t - x):
                    e = d
                    d = p1 / q1
                    if (x + d) - a_t < tol2 or b_t - (x + d) < tol2:
                        d = tol1 if x < m else -tol1
                    parabolic = True
            if not parabolic:
                e = (b_t - x) if x < m else (a_t - x)
                d = cg * e
            u = x + d if abs(d) >= tol1 else (x + tol1 if d > 0 else x - tol1)
        if kind == 0:
            r, ok = _ratio_at(ed0, eg0, u, prm0, prm1, const, f, s, g, have)
            have = _TRUE[0]
        else:
            r, t, nf = fibre_sup(ed0 + u * dd, eg0 + u * dg, prm0, f, s, g, tw)
            fails += nf
            if not np.isfinite(r):
                r = NEG_INF
        if r > top or it == 0:
            top = r
            u_top = u
        fu = -r
        if it == 0:
            fx = fw = fv = fu
            continue
        if fu <= fx:
            if u < x:
                b_t = x
            else:
                a_t = x
            v, fv = w, fw
            w, fw = x, fx
            x, fx = u, fu
        else:
            if u < x:
                a_t = u
            else:
                b_t = u
            if fu <= fw or w == x:
                v, fv = w, fw
                w, fw = u, fu
            elif fu <= fv or v == x or v == w:
                v, fv = u, fu
    return top, u_top, fails


@numba.njit(cache=True)
def line_max(a_t, b_t, xatol, ed0, eg0, dd, dg, prm, g, tw):
    """(largest f found, its u, failures) on the segment (ed0 + u dd, eg0 + u dg), u in
    [a_t, b_t], by :func:`_brent_max` to xatol (relative 1.49e-8, as scipy's bounded search)."""
    f, s = _ensemble(prm)
    return _brent_max(np.int64(1), a_t, b_t, 1.4901161193847656e-08, xatol, ed0, eg0, dd, dg, prm, prm, 0.0, f, s, g, tw)


@numba.njit(cache=True)
def _critical_index_or_bound(ed_, eg_, prm0, prm1, const, f, s, g):
    """:func:`_critical_index_cell`, or, in the derived convention where F_0 + const < 0 on the
    whole fibre (:func:`fibre_upper`), that negative bound: the ratio is then F_0 + const < 0
    itself at every fibre point, and a negative ratio means no index k >= 1 (its value is not
    used otherwise)."""
    if prm0[CONV] == 0.0:
        up = fibre_upper(ed_, eg_, prm0) + const
        if up < 0.0:
            return up, 0
    return _critical_index_cell(ed_, eg_, prm0, prm1, const, f, s, g)


@numba.njit(cache=True)
def critical_index_many(e_d, e_g, prm0, prm1, const, row, out):
    """sup over the fibre of each point (e_d[k], e_g[k]) of (F_0 + const) / pen_1: f_k > 0
    exactly for k < this ratio (k >= 1), since the penalty is k pen_1 on the region of k >= 1
    (scan of the fibre, Brent refinement); returns the number of failures.  The resolvent's
    warm start is reset every ``row`` points (a grid flattened row by row), or at every point
    when ``row`` is 1 (the band maps' refinement asks for a few scattered points at a time)."""
    f, s = _ensemble(prm0)
    fails = 0
    g = np.zeros(2, dtype=np.complex128)
    for k in range(e_d.size):
        if row > 0 and k % row == 0:
            g[0] = 0.0
            g[1] = 0.0
        r, nf = _critical_index_or_bound(e_d[k], e_g[k], prm0, prm1, const, f, s, g)
        out[k] = r
        fails += nf
    return fails
