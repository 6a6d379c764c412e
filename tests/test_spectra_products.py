"""Free multiplicative products (Wishart products, Wigner x Wishart) against independent oracles:
closed forms (Marchenko-Pastur, Fuss-Catalan, free-probability pairings, log-determinant
identities), mpmath (root selection by the sign rule alone, tanh-sinh quadrature), sympy
(the discriminant of the Stieltjes polynomial), bisection on -Im m(x + i eta), and Monte
Carlo over sampled matrices with per-matrix standard errors (rank counts for the atoms)."""

import math
import warnings

import mpmath as mp
import numpy as np
import pytest

from complexity import spectra
from complexity.spectra import _quadrature as Q
from complexity.spectra._base import SpectralMeasure
from complexity.spectra.products import WishartProduct, wigner_times_wishart, wishart_product

SOFT = [(0.5,), (2.5,), (0.4, 0.7), (0.5, 2.0), (2.0, 0.5, 1.5), (0.3, 0.6, 0.9)]
WW = [0.3, 0.8, 1.0, 2.0, 4.0]


@pytest.fixture(autouse=True)
def _no_solver_warnings():
    """Any RuntimeWarning (a root tracker that gave up) fails the test."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        yield


# ---------------------------------------------------------------------------- input and conventions
def test_bad_input_names_the_parameter():
    with pytest.raises(ValueError, match="cs"):
        wishart_product()
    with pytest.raises(ValueError, match="c2"):
        wishart_product(0.5, -1.0)
    with pytest.raises(ValueError, match="c1"):
        wishart_product(0.0)
    with pytest.raises(ValueError, match="c1"):
        wishart_product(float("nan"))
    with pytest.raises(ValueError, match="c"):
        wigner_times_wishart(0.0)
    with pytest.raises(ValueError, match="c"):
        wigner_times_wishart("x")
    with pytest.raises(ValueError, match="scale"):
        wishart_product(0.5, scale="bad")
    with pytest.raises(ValueError, match="hard edge"):
        wishart_product(1.0, 0.5).stieltjes(0.0)


def test_lazy_names_and_abc_scale():
    assert spectra.wishart_product is wishart_product and spectra.wigner_times_wishart is wigner_times_wishart
    mu, nu = wishart_product(0.5, 2.0), wishart_product(0.5, 2.0, scale="abc")
    assert nu.scale == "abc"
    np.testing.assert_allclose(np.array(nu.support()), np.array(mu.support()) / math.sqrt(2), rtol=1e-14)
    np.testing.assert_allclose(nu.moments(3), mu.moments(3) * 2.0 ** (-np.arange(1, 4) / 2), rtol=1e-13)


@pytest.mark.parametrize("c", [0.3, 1.0, 2.5])
def test_one_factor_is_marchenko_pastur_to_1e12(c):
    """k = 1 against the closed-form Marchenko-Pastur law (density, m on and off the axis,
    edges, atom, moments, log-potential)."""
    mp_law, prod = spectra.marchenko_pastur(c), wishart_product(c)
    np.testing.assert_allclose(prod.support(), mp_law.support(), rtol=0, atol=1e-12)
    assert len(prod.atoms()) == len(mp_law.atoms())
    if mp_law.atoms():
        np.testing.assert_allclose(np.array(prod.atoms()), np.array(mp_law.atoms()), rtol=0, atol=1e-15)
    x = np.linspace(-1.0, 8.0, 1801)
    x = x[x != 0]
    np.testing.assert_allclose(prod.density(x), mp_law.density(x), rtol=0, atol=1e-12)
    np.testing.assert_allclose(prod.stieltjes(x), mp_law.stieltjes(x), rtol=1e-12)
    rng = np.random.default_rng(1)
    z = rng.uniform(-2, 8, 500) + 1j * 10.0 ** rng.uniform(-10, 1, 500) * rng.choice([-1, 1], 500)
    np.testing.assert_allclose(prod.stieltjes(z), mp_law.stieltjes(z), rtol=1e-12)
    np.testing.assert_allclose(prod.moments(8), mp_law.moments(8), rtol=1e-13)
    np.testing.assert_allclose(prod.log_potential(x), mp_law.log_potential(x), rtol=0, atol=1e-12)


# ---------------------------------------------------------------------------- mass, moments
def _mass(mu, split=()):
    """Continuous mass by cosine-mapped Gauss-Legendre panels (support split at ``split``:
    W x W near c = 1 has a near-singularity of width ~ (1 - c)^2 at 0) plus the atoms."""
    iv = [p for a, b in mu.support() for p in _split(a, b, split)]
    nodes, w = Q.support_nodes(iv, 64)
    return float(np.sum(w * mu.density(nodes))) + mu.atom_mass


def _split(a, b, cuts):
    pts = [a] + [c for c in cuts if a < c < b] + [b]
    return list(zip(pts[:-1], pts[1:]))


@pytest.mark.parametrize("cs", SOFT)
def test_wishart_product_mass_is_one(cs):
    assert abs(_mass(wishart_product(*cs)) - 1.0) < 1e-10


@pytest.mark.parametrize("c", WW)
def test_wigner_times_wishart_mass_is_one(c):
    assert abs(_mass(wigner_times_wishart(c), split=(0.0,)) - 1.0) < 1e-10


@pytest.mark.parametrize("k", [1, 2, 3, 4])
def test_fuss_catalan_moments_at_equal_sizes(k):
    mom = wishart_product(*([1.0] * k)).moments(10)
    fc = [math.comb((k + 1) * n, n) / (k * n + 1) for n in range(1, 11)]
    np.testing.assert_allclose(mom, fc, rtol=1e-14)


def test_two_factor_moments_closed_form():
    """m_1 = 1, m_2 = 1 + c1 + c2, and m_3 = tau((ab)^3) = sum over non-crossing partitions pi
    of {1, 2, 3} of kappa_pi(a) tau_K(pi)(b) (Nica-Speicher), with the free cumulants of
    MP(c1), kappa_n = c1^(n-1), and the Narayana moments of MP(c2)."""
    c1, c2 = 0.4, 1.7
    mom = wishart_product(c1, c2).moments(3)
    assert mom[0] == pytest.approx(1.0, rel=1e-15)
    assert mom[1] == pytest.approx(1 + c1 + c2, rel=1e-14)
    # tau((ab)^3) = sum over NC partitions pi of [3]: kappa_pi(a) tau_{K(pi)}(b)
    tb = [1.0, 1 + c2, 1 + 3 * c2 + c2 * c2]
    ka = [1.0, c1, c1 * c1]  # free cumulants of MP(c): c^(n-1)
    m3 = ka[0] ** 3 * tb[2] + 3 * ka[1] * ka[0] * tb[1] * tb[0] + ka[2] * tb[0] ** 3
    assert mom[2] == pytest.approx(m3, rel=1e-14)


def test_wigner_times_wishart_moments_from_pairings():
    """Non-crossing pairings of the S's with Kreweras complements on the W's:
    m2 = tau(W)^2, m4 = 2 tau(W^2) tau(W)^2, m6 = 2 tau(W^3) + 3 tau(W^2)^2, odd moments 0,
    tau(W^n) the Narayana moments of Marchenko-Pastur."""
    for c in (0.3, 2.0):
        t1, t2, t3 = spectra.marchenko_pastur(c).moments(3)
        mom = wigner_times_wishart(c).moments(7)
        np.testing.assert_allclose(mom[[0, 2, 4, 6]], 0.0, atol=0)
        np.testing.assert_allclose(mom[[1, 3, 5]], [t1**2, 2 * t2 * t1**2, 2 * t3 + 3 * t2**2], rtol=1e-14)


@pytest.mark.parametrize("mu", [wishart_product(*cs) for cs in SOFT[2:]]
                         + [wigner_times_wishart(c) for c in (0.3, 2.0)],
                         ids=lambda m: repr(m))
def test_lagrange_moments_match_the_density_route(mu):
    """The Lagrange-inversion moments (no density involved) against the base class's
    quadrature of the density from the root tracker."""
    quad = SpectralMeasure._moments(mu, 6)
    exact = mu.moments(6)
    np.testing.assert_allclose(quad, exact, rtol=1e-10, atol=1e-10)


# ---------------------------------------------------------------------------- Stieltjes, edges
@pytest.mark.parametrize("mu", [wishart_product(0.5, 2.0), wishart_product(2.0, 0.5, 1.5), wigner_times_wishart(0.5),
                                wigner_times_wishart(3.0)], ids=repr)
def test_stieltjes_off_axis_equals_quadrature_of_the_density(mu):
    """m(z) on the tracked branch against int rho(t)/(z - t) dt + atoms (the density comes
    from the boundary values only): checks the branch choice in the complex plane."""
    rng = np.random.default_rng(3)
    lo, hi = mu.edges()
    z = rng.uniform(lo - 1, hi + 1, 300) + 1j * rng.uniform(0.2, 3.0, 300) * rng.choice([-1, 1], 300)
    nodes, w = Q.support_nodes(mu.support(), 64)
    ref = (w * mu.density(nodes))[None, :] / (z[:, None] - nodes[None, :])
    ref = ref.sum(axis=1) + sum(m / (z - a) for a, m in mu.atoms())
    np.testing.assert_allclose(mu.stieltjes(z), ref, rtol=1e-10)


def _has_density(mu, x):
    """The number of non-real roots of z u = phi(u) at z = x (mpmath, 30 digits): it changes
    by two where the physical pair meets the real axis, i.e. at an edge of {rho > 0}."""
    with mp.workdps(25):
        poly = [mp.mpf(v) for v in mu._coef[::-1]]
        poly[-2] -= mp.mpf(x)
        roots = mp.polyroots(poly, maxsteps=400, extraprec=80)
        return sum(abs(mp.im(r)) > mp.mpf(10) ** -22 for r in roots)


def _bisect_edge(mu, lo, hi):
    s = _has_density(mu, lo)
    assert s != _has_density(mu, hi)
    for _ in range(40):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if _has_density(mu, mid) == s else (lo, mid)
    return 0.5 * (lo + hi)


@pytest.mark.slow
@pytest.mark.parametrize("mu", [wishart_product(2.0, 0.5, 1.5), wishart_product(0.3, 0.6, 0.9),
                                wigner_times_wishart(2.0)], ids=repr)
def test_edges_against_bisection_on_the_density(mu):
    """Each edge against bisection on {rho > 0} (mpmath root structure, 1e-12 relative), and
    the density -Im m(x + i eta)/pi (complex route, which never consults the support)
    vanishes on a grid off [a, b]."""
    (a, b), = mu.support()
    for edge in (a, b):
        w = 0.02 * min(abs(edge), b - a) if edge != 0 else 0.02 * (b - a)
        found = _bisect_edge(mu, edge - w, edge + w)
        assert abs(found - edge) <= 1e-12 * max(abs(edge), 1e-3)
    x = np.concatenate([np.linspace(a - 3, a, 200, endpoint=False), np.linspace(b, b + 5, 200)[1:]])
    assert np.all(-mu.stieltjes(x + 1e-13j).imag < 1e-6)
    x = np.linspace(a, b, 300)[1:-1]
    assert np.all(-mu.stieltjes(x + 1e-13j).imag > 0)


def test_edges_are_roots_of_the_sympy_discriminant():
    """Res_m(P, dP/dm) of P = m (1 + c1 (z m - 1))(1 + c2 (z m - 1)) - (z m - 1) by sympy;
    its real roots (40 digits) contain both edges to 1e-12."""
    import sympy as sp

    m, z = sp.symbols("m z")
    c1, c2 = sp.Rational(1, 2), sp.Integer(2)
    P = m * (1 + c1 * (z * m - 1)) * (1 + c2 * (z * m - 1)) - (z * m - 1)
    res = sp.Poly(sp.resultant(P, sp.diff(P, m), m), z)
    low = min(e for (e,) in res.monoms())
    res = sp.Poly(sp.cancel(res.as_expr() / z**low), z)  # strip the factor z^low
    real = [float(r.evalf(30)) for r in sp.real_roots(res)]
    (a, b), = wishart_product(0.5, 2.0).support()
    assert min(abs(np.array(real) - a)) < 1e-12 and min(abs(np.array(real) - b)) < 1e-12


def test_values_at_edges_and_at_interior_critical_values():
    """At an edge u is the double critical point (density 0, m finite); a non-physical
    critical value inside the support is an ordinary interior point (density > 0)."""
    mu = wishart_product(2.0, 0.5, 1.5)
    (a, b), = mu.support()
    assert mu.density(np.array([a, b])).tolist() == [0.0, 0.0]
    inner = [v for _, v in mu.critical_points() if a < v < b]
    assert inner and np.all(mu.density(np.array(inner)) > 0)
    near = mu.density(np.array(inner) * (1 + 1e-12))
    np.testing.assert_allclose(mu.density(np.array(inner)), near, rtol=1e-9)


def test_wigner_times_wishart_edge_closed_form_and_symmetry():
    for c in (0.3, 2.0):
        mu = wigner_times_wishart(c)
        h2 = (-(1 + c) + math.sqrt((1 + c) ** 2 + 12 * c)) / (6 * c)
        b = (1 + h2) * (1 + c * h2) / math.sqrt(h2)
        assert mu.support() == [pytest.approx((-b, b), abs=1e-13)]
        x = np.linspace(-b, b, 401)[1:-1]
        np.testing.assert_allclose(mu.density(x), mu.density(-x), rtol=1e-12)
    # density at 0 in closed form (module docstring): 1/(pi (1 - c)), 1/(pi sqrt(c) (c - 1))
    assert wigner_times_wishart(0.3).density(0.0) == pytest.approx(1 / (math.pi * 0.7), rel=1e-12)
    assert wigner_times_wishart(2.0).density(0.0) == pytest.approx(1 / (math.pi * math.sqrt(2.0)), rel=1e-12)
    assert wigner_times_wishart(1e-8).support()[0][1] == pytest.approx(2.0, rel=1e-7)


# ---------------------------------------------------------------------------- log-potential
def _mp_density(mu, x):
    """Continuous density at x from all roots of z u = phi(u) (numpy), chosen by the sign
    rule alone (Im u < 0 and Im m_c < 0 at x + i0) -- the rule must single out one root --
    then polished by Newton in mpmath.  m_c = (u - w*)/x for products; for W x W
    m_c = h/(1 + c h^2) (c <= 1), h/(c (1 + h^2)) (c > 1)."""
    xf = float(x)
    coef = mu._coef.astype(float)
    poly = coef[::-1].copy()
    poly[-2] -= xf

    def m_c(r, lib):
        if isinstance(mu, WishartProduct):
            num = r - mu.w_star
            return num / xf if xf != 0 else None
        c = mu.c
        den = c * (1 + r * r) if c > 1 else 1 + c * r * r
        return r / den if abs(den) > 1e-12 else None

    cands = []
    for r in np.roots(poly):
        if r.imag < -1e-10 * max(1.0, abs(r)):
            mc = m_c(r, np)
            if mc is not None and mc.imag < 0:
                cands.append(r)
    assert len(cands) <= 1, (x, cands)
    if not cands:
        return mp.mpf(0)
    mcoef = [mp.mpf(v) for v in coef]
    f = lambda u: mp.polyval(mcoef[::-1], u) - x * u
    r = mp.findroot(f, mp.mpc(cands[0]), tol=mp.mpf(10) ** -26, verify=False)
    if isinstance(mu, WishartProduct):
        mc = (r - mp.mpf(mu.w_star)) / x
    else:
        c = mp.mpf(mu.c)
        mc = r / (c * (1 + r * r)) if mu.c > 1 else r / (1 + c * r * r)
    return -mp.im(mc) / mp.pi


def _mp_log_potential(mu, x):
    lo, hi = mu.edges()
    brk = {e for iv in mu.support() for e in iv} | {lo + (hi - lo) * f for f in (0.2, 0.45, 0.65)}
    brk = sorted(brk | ({x} if lo < x < hi else set()))
    with mp.workdps(18):
        val = mp.quad(lambda t: mp.log(abs(x - t)) * _mp_density(mu, t), [mp.mpf(v) for v in brk])
    return float(val) + sum(w * math.log(abs(x - a)) for a, w in mu.atoms())


@pytest.mark.slow
@pytest.mark.parametrize("mu", [wishart_product(0.5, 2.0), wigner_times_wishart(3.0)], ids=repr)
def test_log_potential_against_mpmath_quadrature(mu):
    """Closed form (L' = m integrated in the root variable) and the base class's generic
    route (cumulative integral of Re m_c) against tanh-sinh quadrature of the mpmath density:
    1e-10 and 1e-8."""
    lo, hi = mu.edges()
    x = np.array([lo - 1.5, 0.3 * lo + 0.7 * hi, hi + 2.0])
    if mu.atoms():
        x = np.append(x, 0.5 * mu.support()[0][0] if isinstance(mu, WishartProduct) else 0.37)
    ref = np.array([_mp_log_potential(mu, xi) for xi in x])
    np.testing.assert_allclose(mu.log_potential(x), ref, rtol=0, atol=1e-10)
    np.testing.assert_allclose(SpectralMeasure._log_potential(mu, x), ref, rtol=0, atol=1e-8)


def test_log_potential_at_zero_is_a_sum_of_log_determinants():
    """log|det(AB)| = log|det A| + log|det B|: Phi(0) = sum_i int log dMP(c_i) for products
    (c_i < 1), and int log|s| d(semicircle) + int log dMP(c) = -1/2 + int log dMP(c) for
    W x W, with int log t dMP(c) = (1 - 1/c) log(1 - c) - 1 (c < 1), -1 at c = 1
    (also at the hard edges, where phi(u) = 0 has a multiple root)."""
    lmp = lambda c: (1 - 1 / c) * math.log(1 - c) - 1 if c < 1 else -1.0
    for cs in [(0.5, 0.3), (0.2, 0.4, 0.8), (1.0, 0.5), (1.0, 1.0)]:
        assert wishart_product(*cs).log_potential(0.0) == pytest.approx(sum(lmp(c) for c in cs), abs=1e-11)
    for c in (0.3, 0.8, 1.0):
        assert wigner_times_wishart(c).log_potential(0.0) == pytest.approx(-0.5 + lmp(c), abs=1e-11)
    assert wishart_product(2.0, 0.5).log_potential(0.0) == -np.inf


def test_log_potential_derivative_is_re_m():
    """Phi' = Re m off the atoms (central differences of the closed form)."""
    for mu in (wishart_product(2.0, 0.5, 1.5), wigner_times_wishart(2.0)):
        lo, hi = mu.edges()
        x = np.linspace(lo + 0.013, hi - 0.011, 37)
        x = x[np.abs(x) > 1e-3]
        h = 1e-5
        d = (mu.log_potential(x + h) - mu.log_potential(x - h)) / (2 * h)
        re_m = mu.stieltjes(x).real
        assert np.all(np.abs(d - re_m) <= 1e-6 * (1 + np.abs(re_m)))


# ---------------------------------------------------------------------------- Monte Carlo
@pytest.mark.parametrize("cs", [(2.0,), (0.5, 2.0), (4.0, 1.6), (1.25, 0.5, 2.5)])
def test_atom_equals_the_rank_deficiency_of_sampled_products(cs):
    """The fraction of |eigenvalues| < 1e-8 of sampled N = 200 products is exactly
    1 - min(N, T_i)/N (rank), which is the derived atom mass max_i (1 - 1/c_i)_+ here
    (N / c_i integers)."""
    mu = wishart_product(*cs)
    ev = mu.sample(200, 2, seed=11)
    frac = np.mean(np.abs(ev) < 1e-8, axis=1)
    np.testing.assert_array_equal(frac, mu.atom_mass)
    assert mu.atom_mass == pytest.approx(max(0.0, *(1 - 1 / c for c in cs)), abs=1e-15)


@pytest.mark.parametrize("c", [2.0, 4.0, 0.5])
def test_atom_of_wigner_times_wishart_is_the_rank_deficiency(c):
    mu = wigner_times_wishart(c)
    ev = mu.sample(200, 2, seed=12)
    np.testing.assert_array_equal(np.mean(np.abs(ev) < 1e-8, axis=1), mu.atom_mass)


def _bin_masses(mu, edges):
    return np.diff(mu.cdf(edges))


@pytest.mark.parametrize("mu", [wishart_product(0.5, 2.0), wishart_product(0.3, 0.6, 0.9), wigner_times_wishart(0.5),
                                wigner_times_wishart(2.0)], ids=repr)
def test_histograms_of_sampled_spectra(mu):
    """Per-matrix histograms (N = 300, 16 matrices) of the nonzero eigenvalues: each bin's
    mean fraction within 4 standard errors (over matrices) + 0.004 (finite-N edge
    smoothing) of the integral of the density."""
    n, s = 300, 16
    ev = mu.sample(n, s, seed=5)
    lo, hi = mu.support()[0][0], mu.support()[-1][1]
    edges = np.linspace(lo, hi, 21)
    frac = np.array([np.histogram(e[np.abs(e) >= 1e-8], bins=edges)[0] / n for e in ev])
    mean, se = frac.mean(axis=0), frac.std(axis=0, ddof=1) / math.sqrt(s)
    theory = _bin_masses(mu, edges)
    if mu.atoms() and lo < 0 < hi:
        j = np.searchsorted(edges, 0.0) - 1
        theory[j] -= mu.atom_mass  # the cdf's jump at the atom is not in the histogram
    assert np.all(np.abs(mean - theory) <= 4 * se + 0.004), np.c_[mean, theory, se]


@pytest.mark.parametrize("mu", [wishart_product(0.5, 2.0), wishart_product(2.0, 0.5, 1.5), wigner_times_wishart(2.0)],
                         ids=repr)
def test_stieltjes_against_resolvent_traces(mu):
    """N^-1 tr (z - M)^-1 over 12 sampled N = 300 matrices at z with Im z = 0.3..1: real and
    imaginary parts within 4 standard errors (over matrices) + 2/N (real Gaussian ensembles
    have O(1/N) corrections)."""
    n, s = 300, 12
    ev = mu.sample(n, s, seed=9)
    lo, hi = mu.edges()
    z = np.array([lo + 0.3 * (hi - lo) + 0.3j, 0.5 * (lo + hi) + 1.0j, hi + 0.5j, lo - 0.2 + 0.4j])
    tr = np.mean(1.0 / (z[None, None, :] - ev[:, :, None]), axis=1)
    mean = tr.mean(axis=0)
    se = np.abs(tr.real.std(axis=0, ddof=1)) + 1j * np.abs(tr.imag.std(axis=0, ddof=1))
    se /= math.sqrt(s)
    th = mu.stieltjes(z)
    assert np.all(np.abs(mean.real - th.real) <= 4 * se.real + 2.0 / n)
    assert np.all(np.abs(mean.imag - th.imag) <= 4 * se.imag + 2.0 / n)


def test_sampled_mean_is_exactly_one():
    """E tr(M)/N = 1 at any N for the symmetrised product (E W_k = I, then factor by factor
    from the inside out): Monte Carlo within 4 standard errors, no allowance."""
    mu = wishart_product(0.5, 2.0, 1.5)
    tr = mu.sample(120, 30, seed=2).mean(axis=1)
    assert abs(tr.mean() - mu.moments(1)[0]) <= 4 * tr.std(ddof=1) / math.sqrt(tr.size)


def test_wigner_times_wishart_second_moment_at_finite_n():
    """E tr(H^2)/N = E[tr(W^2) + (tr W)^2]/N^2 (Wick over S, E S_ab S_cd = (d_ac d_bd +
    d_ad d_bc)/N) = (1 + c + 1/T)/N + 1 + 2/(N T) exactly (real Wishart moments), which -> 1 =
    moments(2)[1]: Monte Carlo within 4 standard errors of the exact finite-N value."""
    c, n = 2.0, 150
    t = round(n / c)
    mu = wigner_times_wishart(c)
    m2 = (mu.sample(n, 40, seed=4) ** 2).mean(axis=1)
    exact = (1 + c + 1 / t) / n + 1 + 2 / (n * t)
    assert mu.moments(2)[1] == 1.0
    assert abs(m2.mean() - exact) <= 4 * m2.std(ddof=1) / math.sqrt(m2.size)


def test_two_factor_sampler_is_similar_to_the_plain_product():
    """For k = 2 the symmetrised product A A^T (A = W1^(1/2) W2^(1/2)) has the eigenvalues of
    W1 W2 itself (same seeded draws; non-symmetric eigensolver on W1 W2)."""
    from complexity.spectra.products import _wishart

    mu = WishartProduct(0.5, 2.0)
    m = mu._sample_matrices(80, 1, np.random.default_rng(0))[0]
    rng = np.random.default_rng(0)
    w1, w2 = _wishart(rng, 80, 0.5), _wishart(rng, 80, 2.0)
    plain = np.sort(np.linalg.eigvals(w1 @ w2).real)
    np.testing.assert_allclose(np.linalg.eigvalsh(m), plain, atol=1e-10)


def test_figure_data_atoms():
    """The atom-mass figure's numbers: theory = max(0, 1 - 1/max c_i) on the fine grid, and the
    sampled zero fraction = 1 - min(N, T_i)/N exactly (T_i = round(N/c_i))."""
    from complexity.figures.spectra_products import N_ATOMS, data_product_atoms

    d = data_product_atoms()
    fam = d["families"]["W1 W2, c1 = 2"]
    np.testing.assert_allclose(fam["theory"], np.maximum(0.5, 1 - 1 / d["fine"]), atol=1e-15)
    for name, cs_of in {"W1 W2, c1 = 0.5": lambda c: (0.5, c), "W^1/2 S W^1/2": lambda c: (c,)}.items():
        expect = [1 - min(N_ATOMS, *(round(N_ATOMS / c) for c in cs_of(r))) / N_ATOMS for r in d["ratios"]]
        np.testing.assert_allclose(d["families"][name]["mc"], expect, atol=1e-15)


# ---------------------------------------------------------------------------- the tabulated cdf
def _mp_cdf(mu, x):
    """mu((-inf, x]) by tanh-sinh quadrature of the mpmath density (18 digits) plus the atoms."""
    brk = sorted({e for iv in mu.support() for e in iv if e < x} | {x})
    with mp.workdps(18):
        val = mp.quad(lambda t: _mp_density(mu, t), [mp.mpf(v) for v in brk]) if len(brk) > 1 else 0
    return float(val) + sum(w for a, w in mu.atoms() if a <= x)


def test_tabulated_cdf_against_closed_forms_and_mpmath():
    """The products' cdf (complexity.spectra._quadrature.CdfTable, tol 1e-10) against
    (i) the closed form at the hard edge, c = 1 (Marchenko-Pastur, density sqrt((4 - x)/x)/(2 pi)):
    F(x) = (4 arcsin(sqrt(x)/2) + sqrt(x (4 - x)))/(2 pi), to 1e-10 (the table's tol) down to
    x = 4e-12;
    (ii) scipy quadrature of the typed Marchenko-Pastur density for c = 0.4, to 1e-10;
    (iii) mpmath quadrature of the density from the root structure alone (18 digits) for a
    two-factor product with an atom and for Wigner x Wishart with the atom inside the
    support, to 2e-10 (the table's tol plus the quadratures').  Its inverse returns the
    level to 1e-12, and a table costs ~1e4 density evaluations."""
    from scipy import integrate

    x = np.array([4e-12, 1e-9, 1e-6, 1e-3, 0.1, 1.0, 3.0, 3.999])
    exact = (4 * np.arcsin(np.sqrt(x) / 2) + np.sqrt(x * (4 - x))) / (2 * math.pi)
    np.testing.assert_allclose(wishart_product(1.0).cdf(x), exact, rtol=0, atol=1e-10)

    c = 0.4
    a, b = (1 - math.sqrt(c)) ** 2, (1 + math.sqrt(c)) ** 2
    rho = lambda t: math.sqrt((b - t) * (t - a)) / (2 * math.pi * c * t)  # noqa: E731
    x = np.array([a + 1e-6, 0.5, 1.0, 2.0, b - 1e-4])
    ref = [integrate.quad(rho, a, v, epsabs=1e-14, epsrel=1e-13, limit=200)[0] for v in x]
    np.testing.assert_allclose(wishart_product(c).cdf(x), ref, rtol=0, atol=1e-10)

    for mu, pts in ((wishart_product(0.5, 2.0), (0.05, 0.4, 2.5)), (wigner_times_wishart(2.0), (-1.0, 0.3))):
        ref = np.array([_mp_cdf(mu, v) for v in pts])
        np.testing.assert_allclose(mu.cdf(np.array(pts)), ref, rtol=0, atol=2e-10)

    table = Q.tabulated_cdf(wishart_product(0.3, 0.6, 0.9))
    q = np.linspace(0.0, 1.0, 201)
    np.testing.assert_allclose(table.continuous(table.inverse(q)), q, rtol=0, atol=1e-12)
    assert table.evaluations < 4e4
