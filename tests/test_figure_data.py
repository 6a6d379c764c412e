"""The numbers the figures draw (``figures/data/<name>.json``, written by
:func:`complexity.figures.style.save`) spot-checked against oracles that do not go through the
code that drew the figure: the p-spin, mixed, finite-N, block, spectral, Kac-Rice and
diagnostics figures (the GAN and network figures' checks live beside their own tests).

Each ``check_<png name>(data)`` evaluates an oracle typed in this file -- a closed form (ABC's
complexity, Auffinger-Ben Arous's E_inf for mixtures, the Marchenko-Pastur density, Biane's
parametrisation of a deformed semicircle, the Bauer-Golinelli / Bordenave-Lelarge-Salez atom,
the Atas et al. surmise, BBP / BGN outliers), an mpmath or scipy quadrature of a typed density,
a Newton root of a typed algebraic equation, an exact identity (Morse: the alternating sum of
the counts per index is the Euler characteristic; the rank of a product of Wisharts), or the
Monte Carlo points stored beside the curve within their stored standard errors.  Tolerances
are round-off where two closed forms meet, the stated error of a quadrature rule, or a few
standard errors plus an explicit finite-N term.

``test_a_wrong_constant_fails`` perturbs each file's key quantity by a plausible wrong factor
(1.05, sqrt 2, 2, or the shift log sqrt 2 a sqrt 2 in a matrix scale gives a log-potential) and
requires its check to fail.  The file only reads JSON and evaluates oracles (a few seconds).
"""

from __future__ import annotations

import copy
import functools
import json
import math
import pathlib

import mpmath
import numpy as np
import pytest
from scipy import integrate, optimize, special

ROOT = pathlib.Path(__file__).resolve().parents[1]
FIGURES = ROOT / "figures"
DATA = FIGURES / "data"

SQRT2 = math.sqrt(2.0)
#: family-wise false-alarm rate of a histogram test over all its bins (Bonferroni)
HIST_ALPHA = 1e-3


@functools.lru_cache(maxsize=None)
def _load(name: str) -> str:
    return (DATA / f"{name}.json").read_text()


def load(name: str) -> dict:
    """A fresh copy of the ``data`` object of figure ``name`` (null -> None)."""
    return json.loads(_load(name))["data"]


def arr(values) -> np.ndarray:
    """A stored list as floats (None -> NaN)."""
    return np.array([np.nan if v is None else v for v in np.ravel(np.array(values, dtype=object))],
                    float).reshape(np.shape(np.array(values, dtype=object)))


def finite_n(n: int) -> float:
    """Allowance for ``N^-1 log E|det(H_N - x)| - Phi(x)`` at finite N (annealed).

    For the GOE, Mehta's formula ``E|det(M_{N-1} - t)| = 2 sqrt2 N^{-N/2} Gamma(N/2 + 1)
    e^{N t^2/2} rho_N(t)`` (abc scale) gives the difference ``(log(pi N)/2 + log(2 sqrt2 rho(t)))/N
    + o(1/N)`` inside the bulk, about 3.5/N at N = 200; ``log(N)/N`` (5.3/N) bounds it with room
    for the O(1) terms of other invariant-like ensembles, and is 15 times smaller than the shift
    log sqrt2 a sqrt2 in the matrix scale would give."""
    return math.log(n) / n


# ============================================================================ oracles
def abc_theta(u, p, k=None):
    """ABC 2013 (Auffinger-Ben Arous-Cerny, CPAM 66), Theorems 2.5 and 2.8, typed from the
    paper: ``Theta_{k,p}(u)`` (or ``Theta_p(u)`` for ``k = None``) at mpmath precision."""
    u = mpmath.mpf(u)
    e = 2 * mpmath.sqrt(mpmath.mpf(p - 1) / p)
    base = mpmath.log(p - 1) / 2 - mpmath.mpf(p - 2) / (4 * (p - 1)) * u * u
    if u <= -e:
        r = mpmath.sqrt(u * u - e * e)
        i1 = -(u / e**2) * r - mpmath.log(-u + r) + mpmath.log(e)
    else:
        i1 = mpmath.mpf(0)
    if k is None:
        return base - i1 if u <= -e else (base if u <= 0 else mpmath.log(p - 1) / 2)
    return base - (k + 1) * i1 if u <= -e else mpmath.log(p - 1) / 2 - mpmath.mpf(p - 2) / p


@functools.lru_cache(maxsize=None)
def abc_threshold(p: int, k: int) -> float:
    """``E_k``: the root of ``Theta_{k,p}(-E) = 0`` above ``E_inf`` (mpmath, 30 digits)."""
    with mpmath.workdps(30):
        e = 2 * mpmath.sqrt(mpmath.mpf(p - 1) / p)
        return float(mpmath.findroot(lambda x: abc_theta(-x, p, k), (e * (1 + mpmath.mpf(10) ** -20), 2 * e),
                                     solver="anderson"))


def goe_edge_rate(y: float) -> float:
    """``J(y)``: speed-N rate of the extreme eigenvalue of the abc GOE (semicircle on
    [-sqrt2, sqrt2]); ``(|y|/2) sqrt(y^2 - 2) - log((|y| + sqrt(y^2 - 2))/sqrt2)`` outside."""
    y = abs(y)
    return 0.0 if y <= SQRT2 else (y / 2) * math.sqrt(y * y - 2) - math.log((y + math.sqrt(y * y - 2)) / SQRT2)


def phi_semicircle(t: float, radius: float = SQRT2) -> float:
    """``int log|t - l| dsc_R(l)``: ``y^2/2 - 1/2 - log(2)/2 - J(y)`` at ``y = sqrt2 t/R``, plus
    ``log(R/sqrt2)`` (the semicircle's log-potential, e.g. Anderson-Guionnet-Zeitouni)."""
    y = SQRT2 * t / radius
    return y * y / 2 - 0.5 - math.log(2) / 2 - goe_edge_rate(y) + math.log(radius / SQRT2)


def mp_edges(c):
    return (1 - math.sqrt(c)) ** 2, (1 + math.sqrt(c)) ** 2


def mp_density(x, c):
    """Marchenko-Pastur (1967) density of ``X X^T / T``, ``c = N/T``: ``sqrt((b - x)(x - a))/(2 pi c x)``."""
    a, b = mp_edges(c)
    x = np.asarray(x, float)
    inside = (x > a) & (x < b)
    root = np.sqrt(np.clip((b - x) * (x - a), 0, None))
    return np.where(inside, root / (2 * math.pi * c * np.where(inside, x, 1)), 0.0)


def mp_stieltjes(z, c):
    """``int dMP_c(l)/(z - l)`` (continuous part and atom), the root of
    ``c z G^2 - (z + c - 1) G + 1 = 0`` with ``G ~ 1/z``: product of principal square roots."""
    a, b = mp_edges(c)
    return (z + c - 1 - np.sqrt(z - a + 0j) * np.sqrt(z - b + 0j)) / (2 * c * z)


@functools.lru_cache(maxsize=None)
def phi_mp(x: float, c: float) -> float:
    """``int log|x - l| dMP_c(l)`` by adaptive quadrature of the typed density (the log
    singularity split off at x), plus the atom ``(1 - 1/c) log|x|`` for c > 1."""
    a, b = mp_edges(c)
    x = float(x)

    def f(lam):
        if lam == x:
            return 0.0
        return math.log(abs(x - lam)) * math.sqrt(max((b - lam) * (lam - a), 0.0)) / (2 * math.pi * c * lam)

    val = integrate.quad(f, a, b, points=[x] if a < x < b else None, limit=200, epsabs=1e-13, epsrel=1e-12)[0]
    if c > 1:
        val += -math.inf if x == 0 else (1 - 1 / c) * math.log(abs(x))
    return val


@functools.lru_cache(maxsize=None)
def bls_atom(c: float):
    """Mass of the atom at 0 of the sparse Erdos-Renyi (percolated) matrix of mean degree c:
    ``t + e^{-ct} + c t e^{-ct} - 1`` with t the smallest root of ``t = exp(-c exp(-c t))``
    (Bauer-Golinelli 2001, J. Stat. Phys. 103, 301; Bordenave-Lelarge-Salez 2011, Ann. Probab.
    39, 1097, Thm 1.3).  For c <= e the root is ``W(c)/c`` (Lambert W); for c > e it is the
    root below W(c)/c (bisection at 30 digits).  Returns ``(mass, t)``."""
    with mpmath.workdps(30):
        cc = mpmath.mpf(c)
        mid = mpmath.lambertw(cc).real / cc
        if c <= math.e:
            t = mid
        else:
            h = lambda t: t - mpmath.exp(-cc * mpmath.exp(-cc * t))  # noqa: E731
            t = mpmath.findroot(h, (mpmath.mpf(0), mid * (1 - mpmath.mpf(10) ** -12)), solver="bisect")
        return float(t + mpmath.exp(-cc * t) + cc * t * mpmath.exp(-cc * t) - 1), float(t)


def bounded_max(f, lo, hi, xatol=1e-11):
    """``max f`` on ``[lo, hi]`` for a concave f: bounded Brent, and both ends evaluated (Brent
    stops ~sqrt(eps)|x| short of an end, too far when the maximum sits on it)."""
    m = optimize.minimize_scalar(lambda v: -f(v), bounds=(lo, hi), method="bounded", options={"xatol": xatol})
    return max(-m.fun, f(lo), f(hi))


def newton_track(f, x, start=4.0, stop=1e-10, steps=120):
    """The root y of ``f(y, z) = 0`` with ``y ~ 1/z`` at large z, followed by Newton from
    ``z = x + i start`` down to ``x + i stop`` (complex-step free: a centred difference)."""
    y = 1 / (x + 1j * start)
    for eta in np.geomspace(start, stop, steps):
        z = x + 1j * eta
        for _ in range(50):
            h = 1e-7 * max(1.0, abs(y))
            step = f(y, z) / ((f(y + h, z) - f(y - h, z)) / (2 * h))
            y = y - step
            if abs(step) < 1e-15 * max(1.0, abs(y)):
                break
    return y, z


@functools.lru_cache(maxsize=None)
def product_density(cs, x: float) -> float:
    """Density of the free product of ``MP(c_i)`` at x from Voiculescu's S-transform:
    ``S_MP(c)(w) = 1/(1 + c w)`` and ``1/z = w S(w)/(1 + w)`` with ``w = z m - 1`` give
    ``z w = (1 + w) prod(1 + c_i w)``, ``m = (1 + w)/z``; density ``-Im m(x + i0)/pi``."""
    w, z = newton_track(lambda w, z: z * w - (1 + w) * np.prod([1 + c * w for c in cs]), x)
    return -((1 + w) / z).imag / math.pi


@functools.lru_cache(maxsize=None)
def wigner_wishart_density(c: float, x: float) -> float:
    """Density of ``W^1/2 S W^1/2`` (a Wigner matrix with variance profile ``t_i t_j / N``,
    ``t ~ MP(c)``): the Dyson equation ``m_t(z) = 1/(z - t h)``, ``h = int t m_t dMP_c(t)``
    (Girko; Ajanki-Erdos-Krueger), i.e. with ``u = z/h``: ``h^2 = u G_MP(u) - 1`` and
    ``m = G_MP(u)/h``."""
    h, z = newton_track(lambda h, z: h * h - (z / h) * mp_stieltjes(z / h, c) + 1, x)
    return -(mp_stieltjes(z / h, c) / h).imag / math.pi


def deformed_semicircle(levels, weights, s):
    """``mu_A [+] sc(s^2)`` for ``mu_A = sum w_i delta_{a_i}`` by Biane's (1997) description:
    with ``f(u) = s^2 sum w_i/(u - a_i)^2``, v(u) > 0 solves ``s^2 sum w_i/((u - a_i)^2 + v^2) = 1``
    where f(u) > 1 (else 0); ``x(u) = u + s^2 sum w_i (u - a_i)/((u - a_i)^2 + v^2)`` is an
    increasing bijection of the line and the density at x(u) is ``v(u)/(pi s^2)``.  The support
    is the image of ``{f >= 1}``: its edges are ``x(u)`` at the roots of f = 1.
    Returns ``(support intervals, density function)``."""
    a = np.sort(np.asarray(levels, float))
    w = np.asarray(weights, float)[np.argsort(np.asarray(levels, float))]
    s2 = s * s

    def f(u):
        return s2 * np.sum(w / (u - a) ** 2)

    def v_of(u):
        if f(u) <= 1.0:
            return 0.0
        g = lambda v: s2 * np.sum(w / ((u - a) ** 2 + v * v)) - 1.0  # noqa: E731
        hi = 1.0
        while g(hi) > 0:
            hi *= 2
        return optimize.brentq(g, 0.0, hi, xtol=1e-15, rtol=1e-15)

    def x_of(u):
        v = v_of(u)
        return u + s2 * np.sum(w * (u - a) / ((u - a) ** 2 + v * v)), v

    g1 = lambda u: f(u) - 1.0  # noqa: E731
    lo = a[0] - 1.0
    while g1(lo) > 0:
        lo -= 1.0
    roots = [optimize.brentq(g1, lo, a[0] - 1e-12, xtol=1e-15)]
    for p, q in zip(a[:-1], a[1:]):  # f is convex between two poles: a gap iff its minimum < 1
        m = optimize.minimize_scalar(f, bounds=(p + 1e-12, q - 1e-12), method="bounded", options={"xatol": 1e-14})
        if m.fun < 1.0:
            roots += [optimize.brentq(g1, p + 1e-12, m.x, xtol=1e-15), optimize.brentq(g1, m.x, q - 1e-12, xtol=1e-15)]
    hi = a[-1] + 1.0
    while g1(hi) > 0:
        hi += 1.0
    roots.append(optimize.brentq(g1, a[-1] + 1e-12, hi, xtol=1e-15))
    edges = [u + s2 * np.sum(w / (u - a)) for u in roots]

    def density(x):
        u = optimize.brentq(lambda u: x_of(u)[0] - x, x - 10 - 10 * s2, x + 10 + 10 * s2, xtol=1e-14)
        return x_of(u)[1] / (math.pi * s2)

    return list(zip(edges[0::2], edges[1::2])), density


def trapezoid(y, x) -> float:
    y, x = np.asarray(y, float), np.asarray(x, float)
    return float(np.sum((y[1:] + y[:-1]) * np.diff(x)) / 2)


def bin_probabilities(x, rho, edges, refine: int = 40) -> np.ndarray:
    """``int_bin rho`` for each bin, rho linearly interpolated from its stored grid (0 outside)."""
    fine = np.linspace(edges[0], edges[-1], (len(edges) - 1) * refine + 1)
    r = np.interp(fine, x, rho, left=0.0, right=0.0)
    cum = np.concatenate([[0.0], np.cumsum((r[1:] + r[:-1]) * np.diff(fine) / 2)])
    return np.diff(cum[::refine])


def assert_histogram(mean, se, prob, samples, keep, extra_se=None, what=""):
    """Per-bin ``|mean fraction - probability| <= t* (per-matrix se)`` over the bins ``keep``,
    ``t*`` the Student-t (``samples - 1`` dof) quantile at a Bonferroni-corrected family-wise
    level HIST_ALPHA over the tested bins.  Eigenvalue counts are sub-Poisson, so the per-matrix
    standard error of the mean bin fraction is the right scale, not sqrt(count)."""
    mean, se, prob = (np.asarray(v, float) for v in (mean, se, prob))
    tot = se**2 + (0.0 if extra_se is None else np.asarray(extra_se, float) ** 2)
    keep = np.asarray(keep) & (tot > 0)
    assert keep.sum() >= 5, f"{what}: only {keep.sum()} bins to test"
    tstar = special.stdtrit(samples - 1, 1 - HIST_ALPHA / (2 * keep.sum()))
    z = np.abs(mean - prob)[keep] / np.sqrt(tot[keep])
    assert z.max() <= tstar, f"{what}: a bin is {z.max():.1f} standard errors from the density (bound {tstar:.1f})"


def pooled_close(mc, se, theory, extra=0.0, k=4.0, what=""):
    """Monte Carlo means within ``k`` standard errors (plus ``extra``) of the theory; each point's
    error is ``max(se_i, pooled se)``: with 3 draws per point a single se is itself too noisy
    (2 dof), the pooled one over the points of the curve is not."""
    mc, se, theory = (np.asarray(v, float) for v in (mc, se, theory))
    pooled = math.sqrt(np.mean(se**2))
    err = np.abs(mc - theory)
    bound = k * np.maximum(se, pooled) + extra
    worst = int(np.argmax(err - bound))
    assert np.all(err <= bound), f"{what}: Monte Carlo off the theory by {err[worst]:.4g} (bound {bound[worst]:.4g})"


# ============================================================================ p-spin
def check_pspin_theta_band(d):
    p = d["p"]
    assert d["E_inf"] == pytest.approx(2 * math.sqrt((p - 1) / p), rel=1e-15)
    assert d["E_0"] == pytest.approx(abc_threshold(p, 0), abs=1e-12)
    assert abc_threshold(3, 0) == pytest.approx(1.6570, abs=5e-5)  # ABC / Choromanska et al.: E_0(3) = 1.6570
    for panel in d["panels"].values():
        u = np.asarray(panel["u"])
        for i in range(0, u.size, 13):  # ~16 points a panel, every curve (round-off: 1e-12)
            assert panel["theta"][i] == pytest.approx(float(abc_theta(u[i], p)), abs=1e-12)
            for k, curve in panel["theta_k"].items():
                assert curve[i] == pytest.approx(float(abc_theta(u[i], p, int(k))), abs=1e-12)


def check_pspin_thresholds(d):
    ks = d["k"]
    for p, r in d["p"].items():
        p = int(p)
        einf = 2 * math.sqrt((p - 1) / p)
        assert r["E_inf"] == pytest.approx(einf, rel=1e-15)
        es = np.asarray(r["E_k"])
        assert np.all(np.diff(es) < 0) and np.all(es > einf)  # E_0 > E_1 > ... > E_inf
        for k in (0, 1, 5, 20, 50):
            assert es[ks.index(k)] == pytest.approx(abc_threshold(p, k), abs=1e-12), (p, k)


# ---------------------------------------------------------------------------- mixed
def _xi(beta2):
    """(xi(1), xi'(1), xi''(1)) of ``xi(x) = sum beta_p^2 x^p``."""
    b = {int(p): w for p, w in beta2.items()}
    return (sum(b.values()), sum(p * w for p, w in b.items()), sum(p * (p - 1) * w for p, w in b.items()))


def mixed_v(u, beta2, k0=False):
    """``sup_y S(u, y)`` of Auffinger-Ben Arous 2013 (Ann. Probab. 41, 4214), typed:
    ``S = 1/2 + log(2 xi''/xi')/2 - u^2/(2 xi) - (y - u xi'/xi)^2/(2 alpha^2) + Phi(y/sqrt(2 xi''))``,
    ``alpha^2 = xi'' + xi' - xi'^2/xi``, Phi the abc semicircle's log-potential; for local minima
    (``k0``) y is restricted to ``t <= -sqrt2`` (the Hessian ``sqrt(2 xi'') M - y`` positive)."""
    x0, x1, x2 = _xi(beta2)
    a2 = x2 + x1 - x1 * x1 / x0

    def s(y):
        return (0.5 + 0.5 * math.log(2 * x2 / x1) - u * u / (2 * x0) - (y - u * x1 / x0) ** 2 / (2 * a2)
                + phi_semicircle(y / math.sqrt(2 * x2)))

    return bounded_max(s, -20.0, -2 * math.sqrt(x2) if k0 else 20.0)


def mixed_theta0(u, beta2):
    """``Theta_0(u) = sup_{u' <= u} V_0(u')`` (V_0 concave: a bounded 1-D maximisation)."""
    return bounded_max(lambda v: mixed_v(v, beta2, k0=True), u - 3.0, u, xatol=1e-10)


def check_mixed_vs_pure(d):
    u, u0 = np.asarray(d["u"]), np.asarray(d["u0"])
    for g, r in d["gamma"].items():
        th, th0 = np.asarray(r["theta"]), np.asarray(r["theta_0"])
        x0, x1, x2 = _xi(r["beta2"])
        # E_inf: where the bulk maximiser y* = 2 xi'' m / (xi'' - xi' + xi'^2/xi), m = u xi'/xi, reaches
        # t = -sqrt2 (derived here from S; Auffinger-Ben Arous 2013's E_inf, ABC's 2 sqrt((p-1)/p) when pure)
        einf = (x2 - x1 + x1 * x1 / x0) * x0 / (x1 * math.sqrt(x2))
        assert r["E_inf"] == pytest.approx(einf, rel=1e-12), g
        # Theta in closed form: log(xi''/xi')/2 above 0; on [-E_inf, 0] the maximiser is inside the
        # bulk, where Phi is quadratic, and the Gaussian sup over y gives
        # Theta = log(xi''/xi')/2 - u^2 [1/(2 xi) - xi'^2/(2 xi^2 (xi'' - xi' + xi'^2/xi))]
        coef = 1 / (2 * x0) - x1 * x1 / (2 * x0 * x0 * (x2 - x1 + x1 * x1 / x0))
        for i in range(0, u.size, 7):
            if u[i] >= 0:
                assert th[i] == pytest.approx(0.5 * math.log(x2 / x1), abs=1e-12), (g, u[i])
            elif u[i] >= -einf:
                assert th[i] == pytest.approx(0.5 * math.log(x2 / x1) - coef * u[i] ** 2, abs=1e-12), (g, u[i])
        if float(g) == 0.0:  # the pure 3-spin: ABC's closed forms
            assert r["E_0"] == pytest.approx(abc_threshold(3, 0), abs=1e-12)
            for i in range(0, u.size, 9):
                assert th[i] == pytest.approx(float(abc_theta(u[i], 3)), abs=1e-12)
                assert th0[i] == pytest.approx(float(abc_theta(u0[i], 3, 0)), abs=1e-12)
            continue
        for i in range(0, u.size, 40):  # below the edge: the brute-force variational formula (optimiser: 1e-9)
            if u[i] < -einf:
                assert th[i] == pytest.approx(mixed_v(u[i], r["beta2"]), abs=1e-9), (g, u[i])
        for i in range(0, u0.size, 40):
            assert th0[i] == pytest.approx(mixed_theta0(u0[i], r["beta2"]), abs=1e-9), (g, u0[i])
        assert abs(mixed_theta0(-r["E_0"], r["beta2"])) < 1e-9, g  # E_0 is the root of Theta_0(-E)


# ---------------------------------------------------------------------------- finite N
def check_pspin_finite_n(d):
    for p, by_n in d["p"].items():
        p = int(p)
        for n, r in by_n.items():
            n = int(n)
            ex, exse = np.asarray(r["per_index"]["exact"]), np.asarray(r["per_index"]["exact_stderr"])
            mean, se = np.asarray(r["per_index"]["mean"]), np.asarray(r["per_index"]["stderr"])
            if n == 2:
                # on the circle H(theta) is stationary with covariance 2 cos^p(tau): Rice's formula
                # gives 2 sqrt(lambda4/lambda2) = 2 sqrt(3p - 2) critical points, half of them minima
                assert ex == pytest.approx([math.sqrt(3 * p - 2)] * 2, rel=1e-10)
                assert r["total"]["exact"] == pytest.approx(2 * math.sqrt(3 * p - 2), rel=1e-10)
            # Morse: sum_k (-1)^k Crt_k = chi(S^{N-1}) = 1 + (-1)^(N-1) on every instance, hence in mean;
            # where the per-index values are Monte Carlo, sum |se_k| bounds the se of the sum (Cauchy-Schwarz)
            chi = 1 + (-1) ** (n - 1)
            alt = float(np.sum(ex * (-1.0) ** np.arange(n)))
            assert abs(alt - chi) <= 1e-9 + 5 * exse.sum(), (p, n, alt)
            assert abs(float(np.sum(mean * (-1.0) ** np.arange(n))) - chi) < 1e-12, (p, n)  # the counts too
            assert abs(ex.sum() - r["total"]["exact"]) <= 1e-9 * r["total"]["exact"] + 5 * exse.sum(), (p, n)
            # H -> -H maps index k to N-1-k: E Crt_k = E Crt_{N-1-k}
            assert np.all(np.abs(ex - ex[::-1]) <= 1e-9 * ex + 5 * np.hypot(exse, exse[::-1])), (p, n)
            # direct counting within 5 joint standard errors
            z = (mean - ex) / np.sqrt(se**2 + exse**2)
            assert np.all(np.abs(z) <= 5), (p, n, z)
            zt = (r["total"]["mean"] - r["total"]["exact"]) / r["total"]["stderr"]
            assert abs(zt) <= 5, (p, n, zt)


# ============================================================================ block ensembles
def _block_moments(d):
    """Exact moments of ``b M + b1 (M1 + 0) - x1 (I + 0)`` (M, M1 abc GOEs: variance 1/2;
    M1 on a fraction kappa): mean ``-kappa x1``, second moment ``b^2/2 + kappa b1^2/2 + kappa x1^2``
    (the cross terms have mean zero)."""
    k, b, b1, x1 = d["kappa"], d["b"], d["b1"], d["x1"]
    return [1.0, -k * x1, b * b / 2 + k * b1 * b1 / 2 + k * x1 * x1]


def _check_spectrum(d):
    lam, rho = np.asarray(d["lam"]), np.asarray(d["density"])
    h = lam[1] - lam[0]
    # the trapezoid rule is exact to O(h^2) where rho is smooth; at an edge where rho ~ A sqrt(d) its
    # error is |zeta(-1/2, offset)| A h^{3/2} <= 0.21 A h^{3/2} (Navot 1961): bound 0.5 A_e h^{3/2} |e|^j
    # per edge e, A_e the largest rho / sqrt(d) over the grid points within 10 h inside the edge
    coef = []
    for iv in d["support"]:
        for e, side in ((iv[0], 1.0), (iv[1], -1.0)):
            dist = (lam - e) * side
            m = (dist > 0) & (dist <= 10 * h)
            coef.append((abs(e) + 10 * h, float(np.max(rho[m] / np.sqrt(dist[m])))))
    for j, m in enumerate(_block_moments(d)):
        got = trapezoid(rho * lam**j, lam)
        assert abs(got - m) <= sum(0.5 * a * h**1.5 * e**j for e, a in coef), (j, got, m)
    edges = np.asarray(d["bin_edges"])
    prob = bin_probabilities(lam, rho, edges)
    centre, width = (edges[1:] + edges[:-1]) / 2, edges[1] - edges[0]
    # finite-N edge effects live within a few N^{-2/3}-wide windows: bins 3 widths from an edge are tested
    near = np.min([np.abs(centre - e) for iv in d["support"] for e in iv], axis=0) <= 3 * width
    assert_histogram(d["bin_fraction_mean"], d["bin_fraction_se"], prob, d["samples"], ~near, what="block spectrum")


check_spectrum_separate = check_spectrum_touching = check_spectrum_merged = _check_spectrum


def check_coulomb_verification(d):
    n = d["n"]
    pub = d["published"]
    for x1, r in pub["x1"].items():
        phi = np.interp(pub["x"], pub["x_fine"], r["phi"])
        # linear interpolation error h^2 max|Phi''|/8: the stored curve's second differences over 8
        interp = np.max(np.abs(np.diff(r["phi"], 2))) / 8
        err = np.abs(np.asarray(r["mc"]) - phi)
        assert np.all(err <= 4 * np.asarray(r["se"]) + finite_n(n) + interp), (x1, err.max())
    r = d["b1_above_b"]
    phi = np.interp(r["x"], r["x_fine"], r["phi"])
    interp = np.max(np.abs(np.diff(r["phi"], 2))) / 8
    err = np.abs(np.asarray(r["mc"]) - phi)
    assert np.all(err <= 4 * np.asarray(r["se"]) + finite_n(n) + interp), err.max()


def check_support_phase_diagram(d):
    """At b1 = 0 the matrix is ``b M - x1 (I + 0)``: the semicircle of variance s^2 = b^2/2 deformed
    by two levels (-x1 with weight kappa, 0 with 1 - kappa).  By Biane's criterion it splits in two
    intervals iff ``min f < 1`` between the poles, i.e. ``|x1| > s (kappa^{1/3} + (1 - kappa)^{1/3})^{3/2}``.
    And ``-H(x1)`` has the law of ``H(-x1)``: the diagram is symmetric in x1."""
    k, b = d["kappa"], d["b"]
    xstar = b / SQRT2 * (k ** (1 / 3) + (1 - k) ** (1 / 3)) ** 1.5
    x1 = np.asarray(d["x1"])
    count = np.asarray(d["count"])
    ratio = np.asarray(d["ratio"])
    row0 = count[np.flatnonzero(ratio == 0.0)[0]]
    clear = np.abs(np.abs(x1) - xstar) > 1e-3
    assert np.array_equal(row0[clear], np.where(np.abs(x1) > xstar, 2, 1)[clear])
    assert np.array_equal(count, count[:, ::-1])  # x1 grid symmetric about 0
    fine = np.asarray(d["boundary_ratio"])
    pos, neg = arr(d["boundary_x1"]["positive"]), arr(d["boundary_x1"]["negative"])
    i0 = int(np.flatnonzero(fine == 0.0)[0])
    # 22 bisection steps on [0, 5]: the final bracket is 5/2^22 = 1.2e-6 wide
    assert pos[i0] == pytest.approx(xstar, abs=1.2e-6) and neg[i0] == pytest.approx(-xstar, abs=1.2e-6)
    both = np.isfinite(pos) & np.isfinite(neg)
    assert both.sum() >= 10 and np.allclose(pos[both], -neg[both], atol=2.4e-6)


# ============================================================================ spectral layer
def check_spectra_marchenko_pastur(d):
    n = d["n"]
    for c, r in d["c"].items():
        c = float(c)
        grid = np.asarray(r["grid"])
        assert np.allclose(r["density"], mp_density(grid, c), rtol=1e-12, atol=1e-14), c
        assert r["atom_mass"] == pytest.approx(max(0.0, 1 - 1 / c), abs=1e-15)
        # X X^T has rank T = round(N / c) exactly: the sampled zero fraction is (N - T)_+/N
        assert r["atom_fraction"] == pytest.approx(max(0, n - round(n / c)) / n, abs=1e-15)
        x = np.asarray(r["x"])
        ora = np.array([phi_mp(v, c) for v in x])
        assert np.allclose(r["log_potential"], ora, atol=1e-8), c  # quadrature: 1e-10
        xf = np.asarray(r["x_fine"])
        sub = np.arange(0, xf.size, 60)
        assert np.allclose(np.asarray(r["log_potential_fine"])[sub], [phi_mp(v, c) for v in xf[sub]], atol=1e-8)
        err = np.abs(np.asarray(r["log_det"]) - ora)
        assert np.all(err <= 4 * np.asarray(r["log_det_se"]) + finite_n(n)), (c, err.max())
        edges = np.asarray(r["bin_edges"])
        a, b = mp_edges(c)
        prob = np.array([integrate.quad(lambda t: float(mp_density(t, c)), max(lo, a), min(hi, b))[0]
                         if hi > a and lo < b else 0.0 for lo, hi in zip(edges[:-1], edges[1:])])
        centre, width = (edges[1:] + edges[:-1]) / 2, edges[1] - edges[0]
        keep = (np.minimum(np.abs(centre - a), np.abs(centre - b)) > 3 * width) & (centre > a) & (centre < b)
        assert_histogram(r["bin_fraction_mean"], r["bin_fraction_se"], prob, d["samples"], keep, what=f"MP c={c}")


def _atom_of_product(params):
    """max_i (1 - 1/c_i)_+ : the rank min(N, T_i) of the product (for W^1/2 S W^1/2: of W)."""
    return max([0.0] + [1 - 1 / c for c in params])


def check_spectra_products(d):
    n = d["n"]
    for p in d["panels"]:
        mass = _atom_of_product(p["params"])
        if mass > 0:
            assert len(p["atoms"]) == 1 and p["atoms"][0][0] == 0.0
            assert p["atoms"][0][1] == pytest.approx(mass, abs=1e-12), p["label"]
            rank = min([n] + [round(n / c) for c in p["params"]])
            assert p["zero_fraction"] == pytest.approx(1 - rank / n, abs=1e-15), p["label"]
            assert p["zero_fraction_se"] == 0.0
        else:
            assert p["atoms"] == [], p["label"]
        x, rho = np.asarray(p["x"]), np.asarray(p["density"])
        for i in np.linspace(5, x.size - 6, 7).astype(int):
            if p["kind"] == "wishart_product":
                ora = product_density(tuple(p["params"]), float(x[i]))
            else:
                ora = wigner_wishart_density(p["params"][0], float(x[i]))
            # Newton to round-off; the tracked root stops at Im z = 1e-10: relative 1e-6
            assert rho[i] == pytest.approx(ora, rel=1e-6), (p["label"], x[i])


def check_product_atoms(d):
    n = d["n"]
    fams = {"W1 W2, c1 = 0.5": lambda c: [0.5, c], "W1 W2, c1 = 2": lambda c: [2.0, c],
            "W1 W2 W3, (c1, c3) = (0.5, 1.5)": lambda c: [0.5, c, 1.5], "W^1/2 S W^1/2": lambda c: [c]}
    assert set(d["families"]) == set(fams)
    for name, r in d["families"].items():
        th = [_atom_of_product(fams[name](c)) for c in d["fine"]]
        assert np.allclose(r["theory"], th, atol=1e-12), name
        rank = [min([n] + [round(n / ci) for ci in fams[name](c)]) for c in d["ratios"]]
        assert np.allclose(r["mc"], 1 - np.asarray(rank) / n, atol=1e-15), name
        assert np.all(np.asarray(r["se"]) == 0.0)


def check_percolated_spectra(d):
    for c, r in d["c"].items():
        c = float(c)
        atom, _ = bls_atom(c)
        assert r["atom"] == pytest.approx(atom, abs=1e-12), c
        n, samples = r["n"], r["samples"]
        # nullity of the draws: 4 standard errors over draws plus 1/N (one eigenvalue a draw)
        assert abs(r["zero_fraction"] - atom) <= 4 * r["zero_fraction_stderr"] + 1 / n, c
        x, rho, se = (np.asarray(r[k]) for k in ("x", "density", "stderr"))
        # total mass: the table's own errors (summed, as if fully correlated) and, one-sided, the mass
        # beyond |x| = 4, at most m_6 / 4^6 with the exact m_6 = 5 + 18/c + 15/c^2 (Markov)
        mass = trapezoid(rho, x) + atom
        tail = (5 + 18 / c + 15 / c**2) / 4**6
        assert 1 - tail - 3 * trapezoid(se, x) <= mass <= 1 + 3 * trapezoid(se, x), (c, mass)
        edges = np.asarray(r["bin_edges"])
        prob = bin_probabilities(x, rho, edges)
        prob_se = bin_probabilities(x, se, edges)
        centre = (edges[1:] + edges[:-1]) / 2
        # Gaussian errors need counts: bins expecting >= 25 eigenvalues over all draws; |x| > 0.15
        # (within a few eta of 0 the table is a smoothed stand-in for the singular density)
        keep = (prob * n * samples >= 25) & (np.abs(centre) > 0.15)
        assert_histogram(r["bin_fraction_mean"], r["bin_fraction_se"], prob, samples, keep, extra_se=prob_se,
                         what=f"percolated c={c}")


def check_percolated_atom(d):
    c = np.asarray(d["c"])
    small, mid, large = (np.asarray(d["roots"][k]) for k in ("small", "middle", "large"))
    for t in (small, mid, large):  # every stored root solves t = exp(-c exp(-c t))
        assert np.allclose(t, np.exp(-c * np.exp(-c * t)), atol=1e-12, rtol=0)
    assert np.all(small <= mid + 1e-12) and np.all(mid <= large + 1e-12)
    assert np.all((np.abs(large - small) < 1e-9) == (c <= math.e))  # three roots exactly above e
    for i in range(0, c.size, 23):
        mass, t = bls_atom(c[i])
        assert d["mass"][i] == pytest.approx(mass, abs=1e-12), c[i]
        assert small[i] == pytest.approx(t, abs=1e-12), c[i]
        with mpmath.workdps(20):
            assert mid[i] == pytest.approx(float(mpmath.lambertw(c[i]).real / c[i]), abs=1e-12)
    mc = d["mc"]
    for ci, mean, se, n in zip(mc["c"], mc["mean"], mc["stderr"], mc["n"]):
        assert abs(mean - bls_atom(ci)[0]) <= 4 * se + 1 / n, ci


def check_spectra_deformed(d):
    x = np.asarray(d["x"])
    for p in d["panels"]:
        sup, dens = deformed_semicircle(d["levels"], d["weights"], p["s"])
        assert len(p["support"]) == len(sup), p["s"]
        assert np.allclose(p["support"], sup, atol=1e-9), p["s"]  # edges: root finding to 1e-15
        rho = np.asarray(p["density"])
        idx = np.linspace(0, x.size - 1, 25).astype(int)
        assert np.allclose(rho[idx], [dens(v) for v in x[idx]], rtol=1e-9, atol=1e-12), p["s"]
        edges = np.asarray(p["bin_edges"])
        centre, width = (edges[1:] + edges[:-1]) / 2, edges[1] - edges[0]
        # the panels' bulks are a few bins wide: the bins holding or touching an edge are left out
        near = np.min([np.abs(centre - e) for iv in sup for e in iv], axis=0) <= width
        inside = np.array([any(lo < cc < hi for lo, hi in sup) for cc in centre])
        prob = bin_probabilities(x, rho, edges)
        mean = np.asarray(p["heights"]) * width
        assert_histogram(mean, p["bin_fraction_se"], prob, d["samples"], inside & ~near, what=f"deformed s={p['s']}")
    sw = d["sweep"]
    for s, iv, k in list(zip(sw["s"], sw["supports"], sw["n_intervals"]))[::2]:
        sup, _ = deformed_semicircle(d["levels"], d["weights"], s)
        assert k == len(iv) == len(sup), s
        assert np.allclose(iv, sup, atol=1e-9), s


# ============================================================================ Kac-Rice for any spectrum
P_KR = 3
S_KR = math.sqrt(P_KR / (2 * (P_KR - 1)))

@functools.lru_cache(maxsize=None)
def phi_mp_std(c):
    """Phi of MP(c) standardised to mean 0, variance 1/2 (MP(c) has mean 1, variance c, so
    ``l = 1 + sqrt(2c) t``): ``Phi_MP(1 + sqrt(2c) t) - log sqrt(2c)``."""
    return lambda t: phi_mp(1 + math.sqrt(2 * c) * t, c) - 0.5 * math.log(2 * c)


@functools.lru_cache(maxsize=None)
def phi_sc_atom_std(m):
    """Phi of ``(1 - m) sc + m delta_0`` standardised (variance 1 - m: the semicircle part has
    radius sqrt2 / sqrt(1 - m), the atom stays at 0; -inf on it)."""
    return lambda t: (1 - m) * phi_semicircle(t, SQRT2 / math.sqrt(1 - m)) + (m * math.log(abs(t)) if t else -math.inf)


#: the log-potentials of the standardised measures (mean 0, variance 1/2) typed here
PHI_STD = {
    "semicircle": phi_semicircle,
    "semicircle + atom 0.01 at 0": phi_sc_atom_std(0.01),
    "Marchenko-Pastur c = 0.5": phi_mp_std(0.5),
    "Marchenko-Pastur c = 2 (atom 1/2 at 0)": phi_mp_std(2.0),
}


def e_inf_mp(c):
    """|left end| / s of standardised MP(c): ``(1 - sqrt c)^2`` for c <= 1, the atom at 0 for c > 1."""
    c = np.asarray(c, float)
    return np.where(c <= 1, 2 * np.sqrt(c) - c, 1.0) / np.sqrt(2 * c) / S_KR


#: E_inf = |left end of the standardised measure| / s
E_INF = {
    "semicircle": SQRT2 / S_KR,
    "semicircle + atom 0.01 at 0": SQRT2 / math.sqrt(0.99) / S_KR,
    "Marchenko-Pastur c = 0.5": float(e_inf_mp(0.5)),
    "Marchenko-Pastur c = 2 (atom 1/2 at 0)": float(e_inf_mp(2.0)),  # the atom at (0 - 1)/2, left of the bulk
}


def kr_s(u, phi):
    """``S_mu(u) = 1/2 + log(2(p-1))/2 - u^2/2 + Phi_mu(s u)`` (pure p-spin, MATH.md section 5)."""
    return 0.5 + 0.5 * math.log(2 * (P_KR - 1)) - u * u / 2 + phi(S_KR * u)


@functools.lru_cache(maxsize=None)
def _kr_profile(name):
    """S on a grid of v and its interior local maxima polished by bounded Brent."""
    phi = PHI_STD[name]
    grid = np.linspace(-2.6, 0.7, 100)
    sg = np.array([kr_s(v, phi) for v in grid])
    peaks = []
    for i in range(1, grid.size - 1):
        if sg[i] >= sg[i - 1] and sg[i] >= sg[i + 1]:
            m = optimize.minimize_scalar(lambda v: -kr_s(v, phi), bounds=(grid[i - 1], grid[i + 1]),
                                         method="bounded", options={"xatol": 1e-10})
            peaks.append((m.x, -m.fun))
    return grid, sg, peaks


def kr_theta(u, name):
    """``Theta_mu(u) = sup_{v <= u} S_mu(v)``: S at u, on the grid below u, and at its local maxima."""
    grid, sg, peaks = _kr_profile(name)
    return max([kr_s(u, PHI_STD[name])] + list(sg[grid <= u]) + [sv for v, sv in peaks if v <= u])


@functools.lru_cache(maxsize=None)
def kr_e0(phi, einf):
    """``E_0``: the largest root of S(-E) = 0 (Theta_0(-E) = sup_{v <= -E} S(v) for E >= E_inf)."""
    es = einf + np.geomspace(1e-9, 3.0 - einf, 80)  # dense next to the edge: the band can be narrow
    top = es[int(np.argmax([kr_s(-e, phi) for e in es]))]
    return optimize.brentq(lambda e: kr_s(-e, phi), top, 3.0, xtol=1e-14)


def check_kacrice_theta(d):
    u = np.asarray(d["u"])
    ens = d["ensembles"]
    assert ens["percolated c = 4"]["E_inf"] is None and ens["percolated c = 4"]["E_0"] is None  # unbounded below
    for name, einf in E_INF.items():
        r = ens[name]
        assert r["E_inf"] == pytest.approx(einf, rel=1e-12), name
        assert r["E_0"] == pytest.approx(kr_e0(PHI_STD[name], einf), abs=1e-10), name
        th = np.asarray(r["theta"])
        for i in range(0, u.size, 50):
            # the grid's max is below the sup by at most h^2/8 |S''| off the polished maxima: 1e-9 here
            assert th[i] == pytest.approx(kr_theta(u[i], name), abs=1e-9), (name, u[i])
    # the semicircle is the pure 3-spin of ABC
    assert ens["semicircle"]["E_0"] == pytest.approx(abc_threshold(3, 0), abs=1e-12)


def check_kacrice_band(d):
    ax = d["axes"]
    c, einf = np.asarray(ax["c"]["x"]), arr(ax["c"]["E_inf"])
    assert np.allclose(einf, e_inf_mp(c), rtol=1e-10)
    e0_c = arr(ax["c"]["E_0"])
    for i in (5, 20, 35):
        assert e0_c[i] == pytest.approx(kr_e0(phi_mp_std(c[i]), einf[i]), abs=1e-10), c[i]
    dd, einf_d, e0_d = np.asarray(ax["d"]["x"]), arr(ax["d"]["E_inf"]), arr(ax["d"]["E_0"])
    ok = np.isfinite(einf_d)
    assert ok.sum() >= 20
    assert np.allclose(einf_d[ok], SQRT2 / np.sqrt(1 - dd[ok]) / S_KR, rtol=1e-10)
    assert e0_d[0] == pytest.approx(abc_threshold(3, 0), abs=1e-12)  # d = 0: the semicircle
    for i in (3, 10, 17):
        assert e0_d[i] == pytest.approx(kr_e0(phi_sc_atom_std(dd[i]), einf_d[i]), abs=1e-10), dd[i]
    # where the band is missing, Theta_0 <= 0: S(v) <= 0 for every v <= -E_inf (checked on 1 below it)
    for i in np.flatnonzero(~np.isfinite(e0_d))[:2]:
        e = SQRT2 / math.sqrt(1 - dd[i]) / S_KR
        assert max(kr_s(-e - h, phi_sc_atom_std(dd[i])) for h in np.linspace(0, 1, 200)) <= 0, dd[i]


def check_kacrice_logdet(d):
    t, tf = np.asarray(d["t"]), np.asarray(d["t_fine"])
    n = d["n"]
    for name, phi in PHI_STD.items():
        r = d["ensembles"][name]
        sub = np.arange(0, tf.size, 20)
        assert np.allclose(np.asarray(r["phi"])[sub], [phi(v) for v in tf[sub]], atol=1e-8), name
        ora = np.array([phi(v) for v in t])
        err = np.abs(np.asarray(r["mc"]) - ora)
        assert np.all(err <= 4 * np.asarray(r["se"]) + finite_n(n)), (name, err.max())
    # the products: against their own curve (interpolated; error from the second differences).  The
    # percolated matrix is left out: at N = 200 and c = 4 its log|det| fluctuates at order sqrt N, so
    # the annealed mean is not yet near Phi (measured: up to 0.044, 0.13 next to the atom)
    for name in ("Wishart product c = (0.5, 0.5)", "Wigner x Wishart c = 0.5"):
        r = d["ensembles"][name]
        phi = np.interp(t, tf, r["phi"])
        interp = np.max(np.abs(np.diff(r["phi"], 2))) / 8
        err = np.abs(np.asarray(r["mc"]) - phi)
        assert np.all(err <= 4 * np.asarray(r["se"]) + finite_n(n) + interp), (name, err.max())


# ============================================================================ diagnostics
def surmise_pdf(r, beta):
    """Density of r~ = min(r, 1/r): ``2 P_beta(r)`` with Atas et al. (PRL 110, 084101, 2013), eq. 7,
    ``P_beta(r) = (r + r^2)^beta / (Z_beta (1 + r + r^2)^{1 + 3 beta/2})``, Z_1 = 8/27,
    Z_2 = 4 pi/(81 sqrt 3); Poisson ``P(r) = 1/(1 + r)^2``."""
    r = np.asarray(r, float)
    if beta == "poisson":
        return 2 / (1 + r) ** 2
    z = {1: 8 / 27, 2: 4 * math.pi / (81 * math.sqrt(3))}[beta]
    return 2 * (r + r * r) ** beta / (z * (1 + r + r * r) ** (1 + 1.5 * beta))


def check_diagnostics_ratios(d):
    x = np.asarray(d["x"])
    for beta in (1, 2, "poisson"):
        assert np.allclose(d["surmise"][str(beta)], surmise_pdf(x, beta), rtol=1e-12, atol=1e-14), beta
    # <r~>: GOE at large N 0.5307(1) (Atas et al., Table I), Poisson 2 log 2 - 1 exactly; the model
    # Hessian's bulk is GOE; 4 batch-means standard errors plus the table's last digit
    for name, ref in (("GOE (tridiagonal)", 0.5307), ("model Hessian", 0.5307), ("Poisson", 2 * math.log(2) - 1)):
        st = d["spectra"][name]
        assert abs(st["mean_r_tilde"] - ref) <= 4 * st["stderr"] + 1e-4, (name, st["mean_r_tilde"])


def check_diagnostics_outliers(d):
    n = d["n"]
    sc, mp = d["bulks"]["semicircle"], d["bulks"]["Marchenko-Pastur c=0.5"]
    # BBP for the semicircle of variance 1: threshold 1, rho = theta + 1/theta, overlap 1 - 1/theta^2
    th = np.asarray(sc["theta"])
    assert sc["edge"] == 2.0 and sc["threshold"] == pytest.approx(1.0, abs=1e-7)
    above = th > 1.0 + 1e-6
    assert np.allclose(arr(sc["location"])[above], th[above] + 1 / th[above], atol=1e-9)
    assert np.all(np.isnan(arr(sc["location"])[th < 1.0 - 1e-6]))
    assert np.allclose(np.asarray(sc["overlap"])[above], 1 - 1 / th[above] ** 2, atol=1e-9)
    # BGN for MP(c): G(rho) = 1/theta, overlap -1/(theta^2 G'(rho)), threshold 1/G(b)
    c = d["mp_c"]
    a, b = mp_edges(c)
    g = lambda z: mp_stieltjes(z, c).real  # noqa: E731
    dg = lambda z: (g(z + 1e-6) - g(z - 1e-6)) / 2e-6  # noqa: E731
    assert mp["edge"] == pytest.approx(b, rel=1e-14)
    assert mp["threshold"] == pytest.approx(1 / g(b), abs=1e-7)

    def bgn(theta):
        rho = optimize.brentq(lambda z: g(z) - 1 / theta, b + 1e-14, b + 10 * theta, xtol=1e-14)
        return rho, -1 / (theta**2 * dg(rho))

    tm = np.asarray(mp["theta"])
    for i in np.flatnonzero(tm > mp["threshold"] + 1e-3)[::10]:
        rho, ov = bgn(tm[i])
        assert mp["location"][i] == pytest.approx(rho, abs=1e-8), tm[i]
        assert mp["overlap"][i] == pytest.approx(ov, abs=1e-6), tm[i]  # G' by a centred difference
    # Monte Carlo (n = 400, 3 draws) well above the threshold: the outlier and its overlap fluctuate
    # at order n^{-1/2}, a bias of order 1/n is allowed
    for bulk, theory in ((sc, lambda t: (t + 1 / t, 1 - 1 / t**2)), (mp, bgn)):
        mt = np.asarray(bulk["mc_theta"])
        keep = mt > 1.5 * bulk["threshold"]
        loc, ov = np.asarray(bulk["mc_location"])[keep], np.asarray(bulk["mc_overlap"])[keep]
        ref = np.array([theory(t) for t in mt[keep]])
        pooled_close(loc[:, 0], loc[:, 1], ref[:, 0], extra=1 / n, what="outlier location")
        pooled_close(ov[:, 0], ov[:, 1], ref[:, 1], extra=1 / n, what="outlier overlap")


def check_diagnostics_batch_size(d):
    """``H = s X + A``: the outlier sits where the subordination function omega(rho) = theta,
    so rho - theta = s^2 G_A(theta) exactly (linear in s^2) while ``s^2 |G_A'(theta)| < 1``."""
    c, theta = d["mp_c"], d["theta"]
    slope = mp_stieltjes(theta, c).real
    assert d["slope"] == pytest.approx(slope, rel=1e-10)
    s2 = np.asarray(d["s2"])
    dg = (mp_stieltjes(theta + 1e-6, c).real - mp_stieltjes(theta - 1e-6, c).real) / 2e-6
    sep = s2 * abs(dg) < 1
    assert np.allclose(arr(d["shift"])[sep], s2[sep] * slope, atol=1e-10)
    mc = np.asarray(d["mc_shift"])
    pooled_close(mc[:, 0], mc[:, 1], np.asarray(d["mc_s2"]) * slope, extra=1 / d["n"], what="batch-size shift")


def effective_damping(levels, weights, s, delta):
    """delta_eff = delta + s^2 G_H(-delta), G_H(z) = G_A(omega), omega + s^2 G_A(omega) = z on the branch
    left of the point where 1 + s^2 G_A'(omega) = 0 (Biane's subordination; the resolvent entry
    ``<e_0, (H + delta)^-1 e_0> -> 1/(a_0 + delta_eff)`` is the isotropic local law)."""
    a, w = np.asarray(levels, float), np.asarray(weights, float)
    if s == 0:
        return delta
    ga = lambda om: np.sum(w / (om - a))  # noqa: E731
    lo = a.min()
    star = optimize.brentq(lambda om: 1 - s * s * np.sum(w / (om - a) ** 2), lo - 100, lo - 1e-12)
    om = optimize.brentq(lambda om: om + s * s * ga(om) + delta, lo - 100 - delta, star, xtol=1e-15)
    return delta + s * s * ga(om)


def check_diagnostics_damping(d):
    for delta, r in d["delta"].items():
        delta = float(delta)
        s = np.asarray(r["s"])
        for i in range(0, s.size, 7):
            assert r["delta_eff"][i] == pytest.approx(effective_damping(d["levels"], d["weights"], s[i], delta),
                                                      abs=1e-10), (delta, s[i])
        mc = np.asarray(r["mc_delta_eff"])
        theory = [effective_damping(d["levels"], d["weights"], v, delta) for v in r["mc_s"]]
        pooled_close(mc[:, 0], mc[:, 1], theory, extra=1 / d["n"], what=f"damping delta={delta}")


# ============================================================================ the tests
CHECKS = {name[len("check_"):]: fn for name, fn in dict(globals()).items() if name.startswith("check_")}


def _map(v, fn):
    """fn applied to every number of a nested list (None kept)."""
    if isinstance(v, list):
        return [_map(x, fn) for x in v]
    return None if v is None else fn(v)


def _mutate(path, fn):
    """A mutation: apply fn to every number at ``path`` (keys / indices; "*": every entry)."""

    def apply(d, path=tuple(path)):
        key, rest = path[0], path[1:]
        keys = (list(d) if isinstance(d, dict) else range(len(d))) if key == "*" else [key]
        for k in keys:
            if rest:
                apply(d[k], rest)
            else:
                d[k] = _map(d[k], fn)
        return d

    return apply


def _scale(path, factor):
    return _mutate(path, lambda v: v * factor)


def _shift(path, delta):
    return _mutate(path, lambda v: v + delta)


def _rescaled_spectrum(d, a=SQRT2):
    """The density of ``a H`` instead of H (a scale error of a): rho(l/a)/a on the same grid."""
    lam = np.asarray(d["lam"])
    d["density"] = (np.interp(lam / a, lam, d["density"], left=0, right=0) / a).tolist()
    return d


LOG_SQRT2 = math.log(SQRT2)

#: per check, perturbed copies of its data that must fail it
MUTATIONS = {
    "pspin_theta_band": [("Theta_{0,3} x 1.05", _scale(("panels", "*", "theta_k", "0"), 1.05)),
                         ("E_0 x 1.05", _scale(("E_0",), 1.05))],
    "pspin_thresholds": [("E_k x 1.05", _scale(("p", "3", "E_k"), 1.05)),
                         ("E_inf(p=10) x sqrt2", _scale(("p", "10", "E_inf"), SQRT2))],
    "mixed_vs_pure": [("Theta_0 of xi = 0.3 x^2 + 0.7 x^3, x 1.05", _scale(("gamma", "0.3", "theta_0"), 1.05)),
                      ("E_inf of 0.1 x^2 + 0.9 x^3, x 1.05", _scale(("gamma", "0.1", "E_inf"), 1.05)),
                      ("E_0 of 0.5 x^2 + 0.5 x^3, x 1.05", _scale(("gamma", "0.5", "E_0"), 1.05))],
    "pspin_finite_n": [("exact counts x 1.05", _scale(("p", "*", "*", "per_index", "exact"), 1.05)),
                       ("exact counts at N = 3 x 1.05", _scale(("p", "*", "3", "per_index", "exact"), 1.05)),
                       ("counted means x 2", _scale(("p", "4", "5", "per_index", "mean"), 2.0))],
    "coulomb_verification": [("Phi + log sqrt2", _shift(("published", "x1", "0", "phi"), LOG_SQRT2)),
                             ("b1 > b: Phi + log sqrt2", _shift(("b1_above_b", "phi"), LOG_SQRT2))],
    "support_phase_diagram": [("boundary x sqrt2", _scale(("boundary_x1", "*"), SQRT2)),
                              ("interval counts from b instead of b/sqrt2",
                               lambda d: {**d, "b": d["b"] * SQRT2})],
    "spectra_marchenko_pastur": [("density x 1.05", _scale(("c", "1.0", "density"), 1.05)),
                                 ("atom mass x 1.05", _scale(("c", "2.5", "atom_mass"), 1.05)),
                                 ("Phi + log sqrt2", _shift(("c", "0.25", "log_potential"), LOG_SQRT2))],
    "spectra_products": [("density x 1.05", _scale(("panels", 2, "density"), 1.05)),
                         ("atom x 1.05", lambda d: (d["panels"][1]["atoms"][0].__setitem__(1, 0.525), d)[1]),
                         ("zero fraction x 1.05", _scale(("panels", 4, "zero_fraction"), 1.05))],
    "product_atoms": [("theory x 1.05", _scale(("families", "W1 W2, c1 = 2", "theory"), 1.05)),
                      ("Monte Carlo x 1.05", _scale(("families", "W1 W2 W3, (c1, c3) = (0.5, 1.5)", "mc"), 1.05))],
    "percolated_spectra": [("atom x 1.05", _scale(("c", "2.0", "atom"), 1.05)),
                           ("density x 1.05", _scale(("c", "4.0", "density"), 1.05)),
                           ("density x 2 at c = 1", _scale(("c", "1.0", "density"), 2.0))],
    "percolated_atom": [("mass x 1.05", _scale(("mass",), 1.05)),
                        ("smallest root x 1.05", _scale(("roots", "small"), 1.05)),
                        ("Monte Carlo x 1.05", _scale(("mc", "mean"), 1.05))],
    "spectra_deformed": [("density x 1.05", _scale(("panels", 1, "density"), 1.05)),
                         ("support x 1.05", _scale(("panels", 3, "support"), 1.05)),
                         ("sweep edges x 1.05", _scale(("sweep", "supports"), 1.05))],
    "kacrice_theta": [("Theta of MP c = 0.5, x 1.05", _scale(("ensembles", "Marchenko-Pastur c = 0.5", "theta"), 1.05)),
                      ("E_inf x 1.05", _scale(("ensembles", "semicircle + atom 0.01 at 0", "E_inf"), 1.05)),
                      ("E_0 x 1.05", _scale(("ensembles", "Marchenko-Pastur c = 2 (atom 1/2 at 0)", "E_0"), 1.05))],
    "kacrice_band": [("E_inf(c) x 1.05", _scale(("axes", "c", "E_inf"), 1.05)),
                     ("E_0(d) x 1.05", _scale(("axes", "d", "E_0"), 1.05))],
    "kacrice_logdet": [("semicircle Phi + log sqrt2", _shift(("ensembles", "semicircle", "phi"), LOG_SQRT2)),
                       ("MP Monte Carlo + log sqrt2",
                        _shift(("ensembles", "Marchenko-Pastur c = 0.5", "mc"), LOG_SQRT2)),
                       ("product Monte Carlo + log sqrt2",
                        _shift(("ensembles", "Wishart product c = (0.5, 0.5)", "mc"), LOG_SQRT2))],
    "diagnostics_ratios": [("surmise x 1.05", _scale(("surmise", "1"), 1.05)),
                           ("<r~> GOE x 1.05", _scale(("spectra", "GOE (tridiagonal)", "mean_r_tilde"), 1.05)),
                           ("<r~> Poisson x 1.05", _scale(("spectra", "Poisson", "mean_r_tilde"), 1.05))],
    "diagnostics_outliers": [("location x 1.05", _scale(("bulks", "semicircle", "location"), 1.05)),
                             ("MP overlap x 1.05", _scale(("bulks", "Marchenko-Pastur c=0.5", "overlap"), 1.05)),
                             ("MP threshold x sqrt2", _scale(("bulks", "Marchenko-Pastur c=0.5", "threshold"), SQRT2))],
    "diagnostics_batch_size": [("slope x 1.05", _scale(("slope",), 1.05)),
                               ("shift x 2", _scale(("shift",), 2.0))],
    "diagnostics_damping": [("delta_eff x 1.05", _scale(("delta", "0.2", "delta_eff"), 1.05))],
}
for _name in ("spectrum_separate", "spectrum_touching", "spectrum_merged"):
    MUTATIONS[_name] = [("density x 1.05", _scale(("density",), 1.05)),
                        ("the matrix scaled by sqrt2", _rescaled_spectrum),
                        ("b1 x sqrt2 in the moments", _scale(("b1",), SQRT2))]


def test_every_check_has_mutations():
    assert set(MUTATIONS) == set(CHECKS)


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_figure_data(name):
    CHECKS[name](load(name))


@pytest.mark.parametrize("name,label", [(n, lab) for n in sorted(MUTATIONS) for lab, _ in MUTATIONS[n]])
def test_a_wrong_constant_fails(name, label):
    mutate = dict(MUTATIONS[name])[label]
    with pytest.raises(AssertionError):
        CHECKS[name](mutate(copy.deepcopy(load(name))))


def test_every_png_has_its_data():
    missing = sorted(p.stem for p in FIGURES.glob("*.png") if not (DATA / f"{p.stem}.json").exists())
    assert not missing, f"figures without their data file: {missing}"
