"""deformed(mu, s) = mu free-convolved with a semicircle of variance s^2, against independent
oracles: the semicircle closed form (semicircles add variances), the vector Dyson solver of
the block ensembles (a discrete mu is a block ensemble with S_ij = s^2), adaptive scipy
quadrature, Monte Carlo over sampled matrices A + s X with standard errors, bisection of
the density for the edges, and the closed-form merging threshold of two levels."""

import math

import numpy as np
import pytest
from scipy import integrate

from complexity import spectra
from complexity.rmt import block
from complexity.spectra.subordination import Deformed, complex_log_potential


def cosine_quadrature(fn, lo, hi, pieces=48, order=24):
    """int_lo^hi fn with the cosine map on each piece (square-root ends are smooth)."""
    x, w = np.polynomial.legendre.leggauss(order)
    th = (x + 1) * math.pi / 2
    cuts = lo + (hi - lo) * (1 - np.cos(np.linspace(0, math.pi, pieces + 1))) / 2
    a, b = cuts[:-1, None], cuts[1:, None]
    t = a + (b - a) * (1 - np.cos(th)) / 2
    wt = w * math.pi / 2 * (b - a) * np.sin(th) / 2
    return float(np.sum(wt * fn(t.ravel()).reshape(t.shape)))


def tanh_sinh(fn, a, b, h=1.0 / 48, umax=3.3):
    """int_a^b fn by the double-exponential rule (endpoint singularities such as log|x - a| or
    sqrt(b - x) integrate to ~1e-14), vectorised; nodes that round onto an end are dropped."""
    u = np.arange(-umax, umax + h / 2, h)
    sh = 0.5 * math.pi * np.sinh(u)
    w = h * 0.5 * math.pi * np.cosh(u) / np.cosh(sh) ** 2 * (b - a) / 2
    left = (b - a) / (1 + np.exp(2 * sh))  # distance of the node to b (accurate near b)
    x = np.where(u < 0, a + (b - a) / (1 + np.exp(-2 * sh)), b - left)
    keep = (x > a) & (x < b)
    return float(np.sum(w[keep] * fn(x[keep])))


def reference_phi(mu, x):
    """log|x - l| rho(l) integrated by the test's own tanh-sinh rule on 16 equal pieces of each
    support interval, split at x (a smeared atom makes a narrow peak), plus the atoms exactly."""
    total = sum(w * math.log(abs(x - a)) for a, w in mu.atoms())
    for lo, hi in mu.support():
        pts = np.unique(np.concatenate([np.linspace(lo, hi, 17), [x] if lo < x < hi else []]))
        for a, b in zip(pts[:-1], pts[1:]):
            total += tanh_sinh(lambda t: np.log(np.abs(x - t)) * mu.density(t), a, b)
    return total


# ----------------------------------------------------------------------------- closed form
@pytest.mark.parametrize("v,s", [(1.0, 0.5), (0.3, 1.4)])
def test_deformed_semicircle_is_the_semicircle_of_the_summed_variance(v, s):
    """sc(v) ⊞ sc(s^2) = sc(v + s^2): density, m(z), m(x + i0), Phi, edges and moments to 1e-12."""
    h = Deformed(spectra.semicircle(v), s)
    ref = spectra.semicircle(v + s * s)
    r = ref.radius
    x = np.concatenate([np.linspace(-1.5 * r, 1.5 * r, 298), [-r, r]])  # the grid misses the edges
    grid = x[:-2]
    assert np.max(np.abs(h.density(grid) - ref.density(grid))) < 1e-12
    assert np.max(np.abs(h.stieltjes(grid) - ref.stieltjes(grid))) < 1e-12
    # at an edge omega is a double root of Z(omega) = x, fixed only to ~sqrt(machine eps) times
    # the scale (and an edge one ulp away changes rho by ~sqrt(ulp)): 3e-7 there; 1e-9 inside
    # it both routes lose digits to cancellation: 1e-10
    edges = np.array([-r, r])
    assert np.max(np.abs(h.density(edges) - ref.density(edges))) < 3e-7
    assert np.max(np.abs(h.stieltjes(edges) - ref.stieltjes(edges))) < 3e-7
    near = np.array([-r + 1e-9, r - 1e-9, r + 1e-9])
    assert np.max(np.abs(h.stieltjes(near) - ref.stieltjes(near))) < 1e-10
    z = x + 1j * np.array([1e-6, 0.3, 5.0])[np.arange(x.size) % 3]
    assert np.max(np.abs(h.stieltjes(z) - ref.stieltjes(z))) < 1e-12
    assert np.max(np.abs(h.stieltjes(z.conjugate()) - ref.stieltjes(z.conjugate()))) < 1e-12
    assert np.max(np.abs(h.log_potential(x) - ref.log_potential(x))) < 1e-12
    (lo, hi), = h.support()
    assert abs(lo + r) < 1e-12 and abs(hi - r) < 1e-12
    assert np.max(np.abs(h.moments(6) - ref.moments(6))) < 1e-12
    assert h.atoms() == [] and h.scale == "wigner"
    # nested noise adds variances too, and deformed() folds it
    twice = spectra.deformed(spectra.deformed(spectra.semicircle(v), s / 2), s * math.sqrt(3) / 2)
    assert abs(twice.s - s) < 1e-15 and np.max(np.abs(twice.density(grid) - ref.density(grid))) < 1e-12


# ----------------------------------------------------------------------------- two routes for a discrete mu
LEVELS = ([-2.0, 0.0, 3.0], [0.3, 0.5, 0.2])


@pytest.mark.parametrize("s", [0.3, 0.8, 1.6])
def test_discrete_by_subordination_equals_the_block_solver(s):
    """The scalar subordination route and the vector Dyson solver (numba, its own support
    algorithm) are independent codes for the same measure: agree to 1e-10."""
    lv = spectra.discrete(*LEVELS)
    b = spectra.deformed(lv, s)
    d = Deformed(lv, s)
    assert isinstance(b, block.BlockEnsemble) and b.scale == "wigner"
    assert np.allclose(b.arrays[1], s * s) and b.shifts == (-2.0, 0.0, 3.0)
    assert len(b.support()) == len(d.support())
    assert np.max(np.abs(np.array(b.support()) - np.array(d.support()))) < 1e-10
    x = np.linspace(-5.0, 6.0, 1101)
    assert np.max(np.abs(b.density(x) - d.density(x))) < 1e-10
    assert np.max(np.abs(b.stieltjes(x) - d.stieltjes(x))) < 1e-10
    z = x + 0.07j
    assert np.max(np.abs(b.stieltjes(z) - d.stieltjes(z))) < 1e-10
    assert np.max(np.abs(b.log_potential(x) - d.log_potential(x))) < 1e-10
    # the log-potential at complex points: block Psi identity vs the subordination identity
    assert np.max(np.abs(complex_log_potential(b, z) - complex_log_potential(d, z))) < 1e-10


@pytest.mark.slow
def test_deformed_block_ensemble_adds_s_squared_to_the_profile():
    """deformed(ens, s) of a block ensemble is the block ensemble with S + s^2; against the
    subordination route over the block solver's m_D (two codes): density, m, Phi and edges."""
    ens = block.gan_ensemble(0.9, 1.0, 0.5, 4.0)
    s = 0.6
    b = spectra.deformed(ens, s)
    d = Deformed(ens, s)
    assert isinstance(b, block.BlockEnsemble) and np.allclose(np.array(b.variances) - ens.variances, s * s)
    assert np.max(np.abs(np.array(b.support()) - np.array(d.support()))) < 1e-10
    x = np.linspace(-7.0, 3.0, 21)  # few points: m_D is the (continued) block solver, slow
    assert np.max(np.abs(b.density(x) - d.density(x))) < 1e-10
    assert np.max(np.abs(b.stieltjes(x + 0.05j) - d.stieltjes(x + 0.05j))) < 1e-10
    assert np.max(np.abs(b.log_potential(x) - d.log_potential(x))) < 1e-10


# ----------------------------------------------------------------------------- mass, edges, merging
MEASURES = {
    "mp_half": lambda: Deformed(spectra.marchenko_pastur(0.5), 0.3),
    "mp_two_atom": lambda: Deformed(spectra.marchenko_pastur(2.0), 0.3),  # mu_D has an atom 1/2 at 0
    "bulk_plus_zero_mass": lambda: Deformed(spectra.with_zero_mass(spectra.semicircle(0.25), 0.3), 0.2),
    "mp_abc_scale": lambda: Deformed(spectra.marchenko_pastur(0.5, scale="abc"), 0.2),
    "three_levels": lambda: Deformed(spectra.discrete(*LEVELS), 0.5),
}


@pytest.mark.parametrize("name", list(MEASURES))
def test_mass_is_one_and_no_atoms(name):
    """Cosine-mapped Gauss-Legendre (the test's own rule) of the density: 1 within 1e-10,
    no atoms (an atom of mu_D is smeared), and rho <= 1 / (pi s) (|m_H| <= 1/s)."""
    h = MEASURES[name]()
    assert h.atoms() == []
    mass = sum(cosine_quadrature(h.density, lo, hi) for lo, hi in h.support())
    assert abs(mass - 1.0) < 1e-10
    lo, hi = h.edges()
    x = np.linspace(lo, hi, 2001)
    assert np.max(h.density(x)) <= 1.0 / (math.pi * h.s)


@pytest.mark.parametrize("name", list(MEASURES))
def test_edges_against_bisection_of_the_density(name):
    """Each edge from s^2 h(omega) = 1 against bisection (to 1e-12) of rho > 0 started a
    tenth of the gap away: within 1e-10."""
    h = MEASURES[name]()
    iv = h.support()
    pts = [e for v in iv for e in v]
    for k, e in enumerate(pts):
        side = -1.0 if k % 2 == 0 else 1.0  # left edges: outside is to the left
        gap = 0.1 * min([abs(e - p) for p in pts if p != e] + [1.0])
        out, inn = e + side * gap, e - side * gap
        assert h.density(np.array([out]))[0] == 0.0 and h.density(np.array([inn]))[0] > 0.0
        while abs(inn - out) > 1e-12:
            mid = 0.5 * (out + inn)
            if h.density(np.array([mid]))[0] > 0.0:
                inn = mid
            else:
                out = mid
        assert abs(0.5 * (out + inn) - e) < 1e-10, (name, e, out, inn)


def test_two_levels_merge_at_s_equal_to_the_half_distance():
    """Levels +-1 with equal weights: h(0) = 1 is the minimum of h on the gap, so the gap
    closes exactly at s = 1 (two intervals below, one above); the subordination edges and
    the block solver's interval count agree on both sides."""
    lv = spectra.discrete([-1.0, 1.0], [0.5, 0.5])
    for s, count in [(0.9, 2), (0.99, 2), (1.01, 1), (1.2, 1)]:
        assert len(Deformed(lv, s).support()) == count
        assert block.n_intervals(spectra.deformed(lv, s)) == count


def test_separated_levels_merge_as_s_grows_counted_by_both_routes():
    lv = spectra.discrete([-2.0, 0.0, 1.5, 4.0], [0.2, 0.4, 0.1, 0.3])
    counts = []
    for s in np.linspace(0.1, 2.0, 12):
        c = len(Deformed(lv, s).support())
        assert c == block.n_intervals(spectra.deformed(lv, s)), s
        counts.append(c)
    assert counts[0] == 4 and counts[-1] == 1 and all(a >= b for a, b in zip(counts, counts[1:]))


# ----------------------------------------------------------------------------- log-potential
@pytest.mark.parametrize("name", ["mp_half", "mp_two_atom", "bulk_plus_zero_mass"])
def test_log_potential_identity_against_quadrature(name):
    """Phi = Re L_D(omega) + Re (x - omega)^2 / (2 s^2) against tanh-sinh quadrature of
    log|x - l| rho(l) at points inside, at and outside the support: 1e-10; and the
    layer's generic route (reference value + cumulative Re m) to 1e-6."""
    h = MEASURES[name]()
    (lo, hi), = h.support()
    x = np.array([lo - 2.0, lo - 1e-3, lo, 0.5 * (lo + hi), 0.02, hi, 25.0])
    phi = h.log_potential(x)
    ref = np.array([reference_phi(h, v) for v in x])
    assert np.max(np.abs(phi - ref)) < 1e-10
    generic = spectra.SpectralMeasure._log_potential(h, x)
    assert np.max(np.abs(phi - generic)) < 1e-6


def test_complex_log_potential_of_marchenko_pastur_against_quadrature():
    """The R-transform closed form L = m z - 1 - log m + log(1 - c m)/c at complex points."""
    for c in (0.5, 2.0):
        mu = spectra.marchenko_pastur(c)
        w = np.array([0.3 + 0.2j, -0.5 + 1.0j, 3.0 + 0.5j, 1.0 + 0.3j])
        got = complex_log_potential(mu, w)
        for wi, gi in zip(w, got):
            f = lambda t, wi=wi: math.log(abs(wi - t)) * mu.density(np.array([t]))[0]
            ref = integrate.quad(f, mu.a, mu.b, limit=200, epsabs=1e-13, epsrel=1e-13)[0]
            ref += (1 - 1 / c) * math.log(abs(wi)) if c > 1 else 0.0
            assert abs(gi - ref) < 1e-10


def test_moments_by_free_cumulants_against_the_density():
    """Free cumulants add (kappa_2 + s^2): moments against quadrature of the density (plus exact
    moments of mu_D), to 1e-9."""
    for name in ("mp_half", "mp_two_atom", "three_levels"):
        h = MEASURES[name]()
        quad = [sum(cosine_quadrature(lambda t, j=j: t**j * h.density(t), lo, hi) for lo, hi in h.support())
                for j in range(1, 5)]
        assert np.max(np.abs(h.moments(4) - np.array(quad))) < 1e-9, name


# ----------------------------------------------------------------------------- Monte Carlo
@pytest.mark.slow
def test_marchenko_pastur_deformed_against_sampled_matrices():
    """H = A + s X, A = diag(eigenvalues of a Wishart draw), X the "wigner" GOE; N = 300,
    20 draws.  Histograms: per-matrix bin heights, their mean against the bin average of the
    density, |z| < 5 per bin (standard error over the draws) plus 0.02 absolute for the
    O(1/N) bias at the edges; mean |z| < 2."""
    h = Deformed(spectra.marchenko_pastur(0.5), 0.3)
    ev = h.sample(300, 20, seed=11)
    (lo, hi), = h.support()
    bins = np.linspace(lo - 0.1, hi + 0.1, 25)
    heights = np.stack([np.histogram(e, bins=bins)[0] for e in ev]) / (300 * np.diff(bins))
    mean, se = heights.mean(axis=0), heights.std(axis=0, ddof=1) / math.sqrt(20)
    exact = np.diff(h.cdf(bins)) / np.diff(bins)
    z = np.abs(mean - exact) / np.maximum(se, 1e-3)
    assert np.all(np.abs(mean - exact) < 5 * se + 0.02)
    assert np.mean(z) < 2.0


@pytest.mark.slow
def test_resolvent_trace_against_stieltjes():
    """N^-1 tr (z - H)^-1 over draws at N = 100 and 200, Richardson-extrapolated (2 m_200 -
    m_100 removes the O(1/N) bias of real symmetric matrices) against m(z): within 4 standard
    errors (real and imaginary parts apart) + 2e-3."""
    h = Deformed(spectra.marchenko_pastur(0.5), 0.3)
    z = np.array([0.2 + 0.3j, 1.0 + 0.2j, 2.5 + 0.25j, -0.4 + 0.3j])
    est = {}
    for n, m in ((100, 50), (200, 25)):
        ev = h.sample(n, m, seed=n)
        tr = np.mean(1.0 / (z[None, None, :] - ev[:, :, None]), axis=1)
        sd = tr.real.std(axis=0, ddof=1) + 1j * tr.imag.std(axis=0, ddof=1)
        est[n] = (tr.mean(axis=0), sd / math.sqrt(m))
    rich = 2 * est[200][0] - est[100][0]
    se = np.hypot(2 * est[200][1].real, est[100][1].real) + 1j * np.hypot(2 * est[200][1].imag, est[100][1].imag)
    m_exact = h.stieltjes(z)
    assert np.all(np.abs(rich.real - m_exact.real) < 4 * se.real + 2e-3)
    assert np.all(np.abs(rich.imag - m_exact.imag) < 4 * se.imag + 2e-3)


@pytest.mark.slow
def test_log_determinant_monte_carlo_against_log_potential():
    """N^-1 log E|det(H_N - x)| (N = 200, 24 draws) against Phi(x) at points outside and
    inside the support: 3 standard errors + 0.02 (the O(log N / N) prefactor)."""
    h = Deformed(spectra.marchenko_pastur(0.5), 0.3)
    x = np.array([-1.0, 0.5, 1.5, 3.5])
    mc, se = h.log_abs_det_mc(200, x, 24, seed=4)
    assert np.all(np.abs(mc - h.log_potential(x)) < 3 * se + 0.02)


# ----------------------------------------------------------------------------- bad input
def test_bad_input_names_the_parameter():
    mu = spectra.semicircle()
    for s in (0.0, -1.0, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="s must"):
            spectra.deformed(mu, s)
        with pytest.raises(ValueError, match="s must"):
            Deformed(mu, s)
    with pytest.raises(ValueError, match="mu must"):
        spectra.deformed([0.0, 1.0], 0.5)
    with pytest.raises(ValueError, match="variance"):
        spectra.deformed(spectra.semicircle(0.0), 0.5)
    with pytest.raises(ValueError, match="variance"):
        spectra.deformed(spectra.semicircle(-1.0), 0.5)
    with pytest.raises(ValueError, match="variances"):
        block.BlockEnsemble((0.5, 0.5), ((1.0, -0.1), (-0.1, 1.0)), (0.0, 1.0))
    with pytest.raises(ValueError, match="weights"):
        spectra.deformed(spectra.discrete([0.0, 1.0], [0.5, 0.6]), 0.5)


# ----------------------------------------------------------------------------- the compiled solver
def test_shuffled_points_warm_starts_keep_the_physical_branch():
    """Warm starts (Newton from the previous point's root) are accepted only on the physical
    branch: points in random order -- real and complex mixed, inside and outside the support,
    jumping across edges -- give the closed form sc(v) ⊞ sc(s^2) = sc(v + s^2) to 1e-12, for
    the compiled subordination solver and for the block solver's off-axis route."""
    rng = np.random.default_rng(11)
    v, s = 1.0, 0.5
    ref = spectra.semicircle(v + s * s)
    r = ref.radius
    x = rng.uniform(-1.6 * r, 1.6 * r, 4000)
    x = x[np.abs(np.abs(x) - r) > 1e-3]  # off the edges (double roots there: see above)
    eta = np.where(rng.random(x.size) < 0.5, 0.0, rng.choice([1e-8, 1e-3, 0.2, 3.0], x.size))
    z = x + 1j * eta
    h = Deformed(spectra.semicircle(v), s)
    assert h._packed is not None
    assert np.max(np.abs(h.stieltjes(z) - ref.stieltjes(z))) < 1e-12
    # two levels: the block solver off the axis against the scalar route, both shuffled
    b = spectra.deformed(spectra.discrete([-1.0, 1.0]), 0.3)
    d = Deformed(spectra.discrete([-1.0, 1.0]), 0.3)
    zc = rng.uniform(-2.0, 2.0, 3000) + 1j * rng.choice([1e-6, 0.01, 0.5], 3000)
    single = np.array([complex(b.stieltjes(np.array([w]))[0]) for w in zc[:200]])
    assert np.max(np.abs(b.stieltjes(zc) - d.stieltjes(zc))) < 1e-10
    assert np.max(np.abs(b.stieltjes(zc[:200]) - single)) < 1e-12


@pytest.mark.parametrize("name", ["mp_atom", "mp_reflected", "mixture", "empirical"])
def test_compiled_solver_equals_the_vectorised_route(name):
    """The compiled solver (m_D from the components' closed forms) and the numpy route
    (m_D through the measure's own stieltjes) solve the same equation independently: 1e-12
    relative, on and off the real axis; a measure with no closed form stays on numpy."""
    mu = {"mp_atom": spectra.marchenko_pastur(2.5),
          "mp_reflected": spectra.marchenko_pastur(0.5).affine(-2.0, 1.0),
          "mixture": spectra.mixture([(0.5, spectra.semicircle()), (0.5, spectra.marchenko_pastur(0.25))]),
          "empirical": spectra.empirical(np.random.default_rng(1).standard_normal(60))}[name]
    for s in (0.05, 0.7):
        h = Deformed(mu, s)
        assert h._packed is not None
        lo, hi = h.edges()
        w = hi - lo
        x = np.linspace(lo - 0.2 * w, hi + 0.2 * w, 3001)
        z = np.concatenate([x + 0j, x + 1e-6j, x + 0.1j * w])
        om, m = h._solve(z)
        ref = h._omega_numpy(z.copy())
        assert np.max(np.abs(om - ref) / (1.0 + np.abs(ref))) < 1e-12
        assert np.max(np.abs(m - h._md(ref))) < 1e-10 * max(1.0, 1.0 / s**2)
    assert Deformed(spectra.wishart_product(0.5, 0.3), 0.5)._packed is None


def test_acceptance_rule_rejects_the_unstable_real_root():
    """sc(1) ⊞ sc(1/4) = sc(5/4): for sqrt 5 < x < Z(2) = 9/4 the real equation
    omega + m_sc(omega) / 4 = x has two roots beyond the edge omega = 2.  Newton reaches both;
    the branch test accepts only the stable one (s^2 h < 1), omega = x - m_{sc(5/4)}(x) / 4."""
    from complexity.spectra import _subordination_kernel as kernel

    h = Deformed(spectra.semicircle(1.0), 0.5)
    kind, par = h._packed
    x = 2.245
    physical = x - 0.25 * spectra.semicircle(1.25).stieltjes(x).real
    seen = []
    for start in (3.0, 2.0001):
        om, conv = kernel._newton(kind, par, 0.25, complex(x, 0.0), complex(start, 0.0), 4.0, 60)
        assert conv and om.imag == 0.0
        om, ok = kernel._accept(kind, par, 0.25, complex(x, 0.0), om, h._radius)
        seen.append((ok, om.real))
    (ok_far, om_far), (ok_near, om_near) = seen
    assert ok_far and abs(om_far - physical) < 1e-12
    assert not ok_near and 2.0 < om_near < physical - 1e-3
    assert abs(om_near + 0.25 * (om_near - math.sqrt(om_near**2 - 4.0)) / 2.0 - x) < 1e-12
