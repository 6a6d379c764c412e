"""Percolated (sparse Erdos-Renyi) Wigner matrices: the exact atom against exact nullities of
sampled matrices and high-precision roots, the population-dynamics density against Monte
Carlo histograms and the off-axis cavity solution, exact moments against traces of sampled
matrices, the large-c and dense-dilution limits against the semicircle."""

import functools
import math

import mpmath as mp
import numpy as np
import pytest
from scipy import integrate

from complexity import spectra
import complexity.spectra.sparse as P


@functools.lru_cache(maxsize=None)
def measure(c):
    return spectra.percolated(c, seed=0)


@functools.lru_cache(maxsize=None)
def sampled_eigenvalues(c, n, samples, seed):
    return measure(c).sample(n, samples, seed=seed)


# ---------------------------------------------------------------------------- the atom


def mp_smallest_root(c):
    """The smallest root of t = exp(-c exp(-c t)) at 40 digits: the first sign change of the
    gap on a fine grid from t = 0, polished by mpmath's bisection-secant solver."""
    mp.mp.dps = 40
    c = mp.mpf(c)
    gap = lambda t: mp.exp(-c * mp.exp(-c * t)) - t  # noqa: E731
    grid = [mp.mpf(k) / 4000 for k in range(4001)]
    for a, b in zip(grid[:-1], grid[1:]):
        if gap(b) <= 0:
            return mp.findroot(gap, (a, b), solver="anderson")
    raise AssertionError("no root in [0, 1]")


@pytest.mark.parametrize("c", [0.3, 1.0, 2.0, math.e - 1e-3, math.e + 1e-3, 3.0, 4.5, 8.0])
def test_atom_root_against_mpmath(c):
    t = mp_smallest_root(c)
    # double-precision conditioning of the root: eps / |gap'(t)| (the gap's slope vanishes at
    # the triple root c = e; the mass's slope in t vanishes there too, so the mass stays exact)
    slope = abs(c * c * t * mp.exp(-c * t) - 1)
    assert abs(P.atom_root(c) - float(t)) <= 1e-15 / float(slope) + 1e-13 * float(t)
    mass = t + mp.exp(-c * t) + c * t * mp.exp(-c * t) - 1
    assert abs(P.atom_mass(c) - float(mass)) <= 1e-13 * float(mass)


def test_atom_three_roots_above_e():
    # for c > e the two-step map has three fixed points; the middle one is W(c)/c
    c = 4.0
    mp.mp.dps = 30
    gap = lambda t: mp.exp(-c * mp.exp(-c * t)) - t  # noqa: E731
    grid = np.linspace(0.0, 1.0, 20001)
    vals = np.array([float(gap(t)) for t in grid[::10]])
    assert np.sum(np.diff(np.sign(vals)) != 0) == 3
    t1 = P.atom_root(c)
    assert t1 < float(mp.lambertw(c)) / c
    for c_low in (0.5, 2.0, math.e):  # one root only up to e
        vals = np.array([float(mp.exp(-c_low * mp.exp(-c_low * t)) - t) for t in grid[::10]])
        assert np.sum(np.diff(np.sign(vals)) != 0) == 1


def test_atom_limits():
    # c -> 0: 1 - c + c^2 + O(c^3) (series of (2W + W^2)/c - 1); c -> infinity:
    # e^-c + (c^2/2) e^-2c (isolated vertices, then vertices with two leaves)
    for c in (1e-3, 1e-2):
        assert abs(P.atom_mass(c) - (1 - c + c * c)) < 3 * c**3
    for c in (8.0, 12.0, 20.0):
        lead = math.exp(-c)
        rel = (P.atom_mass(c) - lead) / (0.5 * c * c * math.exp(-2 * c))
        assert abs(rel - 1.0) < 5 * c * math.exp(-c) * c  # next order is O(c^3 e^-3c)
    # continuous through the transition at c = e, where the mass is 3/e - 1
    assert abs(P.atom_mass(math.e) - (3 / math.e - 1)) < 1e-12
    assert abs(P.atom_mass(math.e + 1e-9) - P.atom_mass(math.e - 1e-9)) < 1e-6


def test_kernel_dimension_against_dense_eigenvalues():
    # leaf removal + core numerics against the full matrix's eigenvalues (|l| < 1e-12 ||A||)
    rng = np.random.default_rng(3)
    for c in (1.0, 3.0):
        a = P.sample_sparse(600, c, rng)
        ev = np.linalg.eigvalsh(a.toarray())
        full = int(np.sum(np.abs(ev) <= 1e-12 * max(1.0, np.abs(ev).max())))
        assert P.kernel_dimension(a)[0] == full


@pytest.mark.parametrize(
    "c,n,samples",
    [(0.5, 5000, 20), (1.0, 5000, 20), (2.0, 5000, 20), (2.6, 3000, 10), (math.e, 1500, 6), (3.5, 1500, 6)],
)
def test_atom_against_exact_nullity(c, n, samples):
    """Fraction of zero eigenvalues of sampled weighted matrices (exact leaf removal plus the
    core's kernel at tolerance 1e-12): within 4 standard errors over draws, plus 1/N for the
    finite-N bias.  The gap diagnostic (core eigenvalues in (1e-12, 1e-9]) stays below one per
    draw: the continuous density is singular at 0, so genuine eigenvalues appear in every
    decade, a few per thousand draws below 1e-9 (a misclassification shifts the fraction by 1/N)."""
    mean, se, gap = P.Percolated(c).nullity_mc(n, samples, seed=11)
    assert abs(mean - P.atom_mass(c)) < 4 * se + 1.0 / n
    assert gap <= samples


# ---------------------------------------------------------------------------- continuous part


def test_total_mass():
    for c in (2.0,):
        t = measure(c).table()
        assert abs(t["raw_mass"] + t["atom"] - 1.0) < 4 * t["raw_mass_stderr"] + 2e-4
        mu = measure(c)
        assert abs(mu.cdf(1e3) - 1.0) < 1e-12 and mu.cdf(-1e3) == 0.0
        jump = mu.cdf(0.0) - mu.cdf(-1e-12)
        assert abs(jump - mu.p0) < 1e-9


def test_density_against_histograms():
    """Bin masses of the table (exact cdf differences) against N = 1000 eigenvalue histograms
    (12 draws; exact zeros |l| < 1e-12 removed: they are the atom).  Tolerance: 4 standard
    errors of the per-matrix bin fractions plus 4 of the table, plus 2/N."""
    c, n, s = 2.0, 1000, 12
    mu = measure(c)
    ev = sampled_eigenvalues(c, n, s, 5)
    edges = np.array([-3.0, -2.0, -1.4, -1.0, -0.6, -0.3, -0.1, 0.1, 0.3, 0.6, 1.0, 1.4, 2.0, 3.0])
    frac = np.array([np.histogram(e[np.abs(e) > 1e-12], edges)[0] / n for e in ev])
    mc, mc_se = frac.mean(0), frac.std(0, ddof=1) / math.sqrt(s)
    theory = np.diff(mu.cdf(edges))
    theory[6] -= mu.p0  # the bin around 0 holds the atom in the cdf
    width = np.diff(edges)
    tab_se = mu.density_stderr(0.5 * (edges[1:] + edges[:-1])) * width
    assert np.all(np.abs(mc - theory) < 4 * np.hypot(mc_se, tab_se) + 2.0 / n)


def test_stieltjes_table_against_population_off_axis():
    """The table's Stieltjes transform (exact transform of the piecewise-linear density
    built at eta = 0.01, 0.02) against an independent cavity solve at Im z = 0.3 (different
    seed): 4 combined standard errors (the tables' error propagated as the sum of the
    density standard errors times |1/(z - l)|) plus 1e-3."""
    mu = measure(2.0)
    z = np.array([0.0 + 0.3j, 0.7 + 0.3j, 1.8 + 0.3j, 3.0 + 0.5j])
    m_pop, se_pop = mu.stieltjes_population(z, seed=7)
    m_tab = mu.stieltjes(z)
    t = mu.table()
    lam = t["knots"]
    dl = np.gradient(lam)
    se_tab = np.sqrt(np.sum((t["stderr"] * dl)[None, :] ** 2 / np.abs(z[:, None] - lam[None, :]) ** 2, axis=1)) * 4
    assert np.all(np.abs(m_tab - m_pop) < 4 * np.hypot(se_pop, se_tab) + 1e-3)


def test_stieltjes_branch_and_boundary_value():
    mu = measure(2.0)
    x = np.array([-2.5, -0.7, 0.05, 0.4, 1.3, 4.0])
    m = mu.stieltjes(x)
    assert np.allclose(-m.imag / math.pi, mu.density(x), atol=1e-12)
    z = x + 1e-7j
    assert np.allclose(mu.stieltjes(z), m, atol=1e-4)  # the upper-half-plane formula meets the boundary value
    w = np.array([1 + 1j, -2 + 0.1j, 30 + 5j, 100.0 + 0j])
    mw = mu.stieltjes(w)
    assert np.all(mw[:3].imag < 0)
    assert abs(mw[3] * 100.0 - 1.0) < 1e-3  # m(z) ~ 1/z
    assert np.allclose(mu.stieltjes(np.conj(w[:3])), np.conj(mw[:3]))


def test_log_potential_against_quadrature_of_the_table():
    """The closed-form second-difference sum against scipy quad of the same piecewise-linear
    density (1e-8), -inf exactly at the atom."""
    mu = measure(2.0)
    t = mu.table()
    lam, rho = t["knots"], t["density"]
    for x in (0.37, -1.5, 2.2, 9.0, 60.0):
        f = lambda l: np.interp(l, lam, rho) * math.log(abs(x - l))  # noqa: E731
        pts = np.sort(np.concatenate([lam, [x]]))
        pts = pts[(pts >= lam[0]) & (pts <= lam[-1])]
        ref = sum(integrate.quad(f, a, b, limit=50, epsabs=1e-13)[0] for a, b in zip(pts[:-1], pts[1:]) if b > a)
        ref += mu.p0 * math.log(abs(x))
        assert abs(mu.log_potential(x) - ref) < 1e-8
    assert mu.log_potential(0.0) == -np.inf


def test_log_potential_against_sampled_log_determinants():
    """Phi(x) against the quenched mean of N^-1 log|det(H - x)| over the sampled matrices (the
    annealed N^-1 log E|det| is not the target for sparse matrices): 4 standard errors + 2e-3
    (the table's resolution)."""
    mu = measure(2.0)
    ev = sampled_eigenvalues(2.0, 1000, 12, 5)
    x = np.array([-2.5, -0.8, 0.5, 1.7, 4.0])
    per = np.array([np.mean(np.log(np.abs(e[:, None] - x[None, :])), axis=0) for e in ev])
    mc, se = per.mean(0), per.std(0, ddof=1) / math.sqrt(len(ev))
    assert np.all(np.abs(mu.log_potential(x) - mc) < 4 * se + 2e-3)


# ---------------------------------------------------------------------------- moments


def test_exact_moment_polynomials():
    # hand derivation: m2 = c * E w^2 / c = 1; m4 = 3/c (one edge crossed 4 times)
    # + 1 (two distinct neighbours) + 1 (neighbour then grandchild) = 2 + 3/c
    assert P.exact_moments_poly(2) == {0: 1}
    assert P.exact_moments_poly(4) == {0: 2, 1: 3}
    for k in range(1, 7):  # c -> infinity: Catalan numbers; the 1/c^(k-1) term: one edge, (2k-1)!!
        poly = P.exact_moments_poly(2 * k)
        assert poly[0] == math.comb(2 * k, k) // (k + 1)
        assert poly[k - 1] == math.prod(range(1, 2 * k, 2))


@pytest.mark.parametrize("c", [1.0, 2.0, 4.0])
def test_moments_against_sampled_traces(c):
    """m_2k against N^-1 tr H^2k = N^-1 ||H^k||_F^2 of 30 sparse draws at N = 2000 (sparse
    products, no eigenvalues): 4 standard errors plus the O(k^2/N) finite-N bias."""
    rng = np.random.default_rng(int(10 * c))
    n, draws = 2000, 30
    vals = []
    for _ in range(draws):
        a = P.sample_sparse(n, c, rng)
        p, row = a, []
        for k in range(1, 5 if c <= 2 else 4):
            row.append(p.multiply(p).sum() / n)
            p = p @ a
        vals.append(row)
    vals = np.array(vals)
    mc, se = vals.mean(0), vals.std(0, ddof=1) / math.sqrt(draws)
    exact = P.exact_moments(c, 8)[1::2]
    for k in range(vals.shape[1]):
        assert abs(mc[k] - exact[k]) < 4 * se[k] + exact[k] * (k + 1) ** 2 / n


def test_table_moments_against_exact():
    mu = measure(2.0)
    m, se = mu.table_moments(6)
    exact = P.exact_moments(2.0, 6)
    assert np.allclose(mu.moments(6), exact)
    assert np.all(np.abs(m - exact) < 4 * se + 2e-3 * np.maximum(exact, 1))


# ---------------------------------------------------------------------------- limits


def test_large_c_approaches_semicircle():
    """Off-axis cavity solutions at c = 10 and 60 against the semicircle's m(z): the distance
    shrinks like 1/c (O(1/c) from m_4 = 2 + 3/c)."""
    sc = spectra.semicircle()
    z = np.array([0.3 + 0.4j, 1.2 + 0.4j, 2.2 + 0.4j])
    gaps = []
    for c in (10.0, 60.0):
        m, se = P.population_stieltjes(c, z, population=1000, replicas=3, burn=20, sweeps=20, seed=2)
        gaps.append(np.max(np.abs(m - sc.stieltjes(z))))
        assert gaps[-1] < 1.0 / c + 4 * np.max(se)
    assert gaps[1] < gaps[0] / 3
    assert np.allclose(P.exact_moments(1e6, 8), sc.moments(8), atol=1e-4)


def test_dense_dilution_is_the_semicircle():
    mu = spectra.percolated(q=0.2)
    assert mu.atoms() == [] and mu.support() == [(-2.0, 2.0)]
    ev = mu.sample(800, 4, seed=1)
    assert np.sum(np.abs(ev) < 1e-10) == 0  # no atom
    edges = np.linspace(-2.4, 2.4, 13)
    frac = np.array([np.histogram(e, edges)[0] / e.size for e in ev])
    mc, se = frac.mean(0), frac.std(0, ddof=1) / 2
    theory = np.diff(spectra.semicircle().cdf(edges))
    assert np.all(np.abs(mc - theory) < 4 * se + 2e-3)
    h = mu.sample_matrices(400, 1, seed=2)[0]
    kept = np.count_nonzero(np.triu(h, 1)) / (400 * 399 / 2)
    assert abs(kept - 0.2) < 4 * math.sqrt(0.2 * 0.8 / (400 * 399 / 2))


def test_sampler_convention():
    mu = measure(2.0)
    h = mu.sample_matrices(3000, 1, seed=4)[0]
    assert np.allclose(h, h.T) and np.all(np.diag(h) == 0)
    deg = np.count_nonzero(h, axis=1)
    assert abs(deg.mean() - 2.0 * 2999 / 3000) < 4 * math.sqrt(2 * 2.0 / 3000)  # sd of 2 |E| / N
    assert abs(np.sum(h * h) / 3000 - 1.0) < 4 * math.sqrt(2.0 / 3000 / 2)  # row variance 1


# ---------------------------------------------------------------------------- API


def test_scale_and_determinism():
    mu = measure(2.0)
    abc = spectra.percolated(2.0, scale="abc")
    x_max = mu.support()[0][1]
    assert abs(abc.support()[0][1] - x_max / math.sqrt(2)) < 1e-12
    assert abs(abc.variance() - 0.5) < 1e-12
    again = P.Percolated(2.0, seed=0)
    assert np.array_equal(again.density(np.linspace(-3, 3, 7)), mu.density(np.linspace(-3, 3, 7)))


def test_bad_input():
    for bad in (0.0, -1.0, float("nan")):
        with pytest.raises(ValueError, match="c must be"):
            spectra.percolated(bad)
        with pytest.raises(ValueError, match="c must be"):
            P.atom_mass(bad)
    with pytest.raises(ValueError, match="q must be"):
        spectra.percolated(q=1.5)
    with pytest.raises(ValueError, match="exactly one of c"):
        spectra.percolated(2.0, q=0.5)
    with pytest.raises(ValueError, match="eta must be"):
        spectra.percolated(2.0, eta=0.5)
    with pytest.raises(ValueError, match="is an atom"):
        measure(2.0).stieltjes(0.0)


def test_figure_data_spot_check():
    from complexity.figures.spectra_percolated import data_percolated_atom

    d = data_percolated_atom(grid=[1.0, 2.0, 4.0], mc_degrees=(1.5,), n_low=3000, samples_low=6)
    t1, t2, t3 = d["roots"]
    for k, cv in enumerate(d["c"]):
        for r in (t1[k], t2[k], t3[k]):  # all three are roots of the two-step equation
            assert abs(math.exp(-cv * math.exp(-cv * r)) - r) < 1e-12
    assert t1[2] < t2[2] < t3[2] and abs(t1[0] - t3[0]) < 1e-12  # three roots only above e
    (cv, mean, se, n, _), = d["mc"]
    assert abs(mean - P.atom_mass(cv)) < 4 * se + 1.0 / n


def test_stieltjes_derivative_closed_form_against_quadrature():
    """m'(x) = sum_k D_k log(x - l_k) - p0/x^2 against -int rho/(x - l)^2 by scipy quad split
    at the knots (1e-10 relative), and against a central difference of m off the axis."""
    mu = measure(2.0)
    t = mu.table()
    lam, rho = t["knots"], t["density"]
    for x in (-14.0, 8.0, 11.2, 49.0):
        f = lambda l: np.interp(l, lam, rho) / (x - l) ** 2  # noqa: E731
        ref = -sum(integrate.quad(f, a, b, epsabs=1e-16, epsrel=1e-13)[0] for a, b in zip(lam[:-1], lam[1:]))
        ref -= mu.p0 / x**2
        got = mu._stieltjes_derivative(np.array([x + 0j]))[0]
        assert abs(got - ref) < 1e-10 * abs(ref) and got.imag == 0
    z = np.array([0.4 + 0.2j, -1.5 + 0.05j, 3.0 - 0.3j])
    step = 1e-5
    fd = (mu.stieltjes(z + step) - mu.stieltjes(z - step)) / (2 * step)
    assert np.allclose(mu._stieltjes_derivative(z), fd, rtol=1e-6)
