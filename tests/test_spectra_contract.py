"""One contract over every spectral measure (docs/spectra.md): a constructor added to CASES
gets every check.

Oracles, all independent of the routes under test:
* scipy ``quad`` of the density (under the substitution ``l = a + (b - a)(1 - cos t)/2``,
  which makes square-root and inverse-square-root edges smooth) for the mass, the moments
  and the bin masses;
* mpmath tanh-sinh quadrature at 30 digits of ``rho(l) log|x - l|`` (split at ``x`` and at the
  support edges) plus the atoms' ``w log|x - a|`` for the log-potential;
* central finite differences for ``Phi' = Re m``;
* Monte Carlo over ``sample_matrices`` / ``sample`` at N = 200 with standard errors computed
  from the spread over sampled matrices (one number per matrix), tolerance
  ``Z standard errors + an explicit finite-N allowance`` (ALLOW below, justified there).

Each check is generic: per-case differences live only in the TOL table.
"""

from __future__ import annotations

import functools
import math
import warnings

import mpmath
import numpy as np
import pytest
from scipy import integrate

from complexity import spectra

# ------------------------------------------------------------------ the measures
_EMP = np.sort(np.random.default_rng(11).standard_normal(300))

CASES = [
    ("semicircle", lambda: spectra.semicircle()),
    ("semicircle_abc", lambda: spectra.semicircle(scale="abc")),
    ("mp_0.25", lambda: spectra.marchenko_pastur(0.25)),
    ("mp_1", lambda: spectra.marchenko_pastur(1.0)),
    ("mp_2.5", lambda: spectra.marchenko_pastur(2.5)),
    ("discrete", lambda: spectra.discrete([-1.0, 0.5, 2.0], [0.2, 0.3, 0.5])),
    ("mixture", lambda: spectra.mixture([(0.4, spectra.semicircle()), (0.6, spectra.marchenko_pastur(0.25).affine(1.0, 3.0))])),
    ("zero_mass", lambda: spectra.with_zero_mass(spectra.semicircle(), 0.3)),
    ("empirical", lambda: spectra.empirical(_EMP)),
    ("wishart_product_0.5_2", lambda: spectra.wishart_product(0.5, 2.0)),
    ("wishart_product_3", lambda: spectra.wishart_product(0.3, 0.6, 0.9)),
    ("wigner_wishart_0.5", lambda: spectra.wigner_times_wishart(0.5)),
    ("wigner_wishart_2", lambda: spectra.wigner_times_wishart(2.0)),
    ("deformed_levels", lambda: spectra.deformed(spectra.discrete([-1.0, 0.0, 1.5, 3.0], [0.3, 0.2, 0.3, 0.2]), 0.4)),
    ("deformed_mp", lambda: spectra.deformed(spectra.marchenko_pastur(0.5), 0.3)),
]

#: tolerances: defaults, overridden per case where a case needs it
TOL = {
    "default": dict(mass=1e-10, moments=1e-10, phi=1e-8, dphi=1e-6, z=4.0),
    # three factors: 0.69 eigenvalues per N = 200 matrix fall outside the limiting support
    # (edge fluctuations of a product are wider than a Wishart's), so the bins' total
    # misses the mass by 0.0034 = 0.69 / N: allowance 1.0 / N
    "wishart_product_3": dict(hist=1.0),
}

#: Monte Carlo sizes: N = 200 matrices, S of them
N_MC, S_MC = 200, 16

#: Finite-N allowances (in units of 1/N), added to Z standard errors.  Measured at N = 100
#: and 200 with 64 matrices per case (the bias times N does not grow with N):
#: * resolvent trace: N |E m_N - m| up to 0.9-1.15 at z = right edge + 0.2i (the GOE's and
#:   Wishart's O(1/N) correction to E tr G, largest near an edge), <= 0.35 elsewhere;
#:   block sizes and T = round(N / c) are exact at N = 200;
#: * bin fractions (8 bins per support interval): N |bias| <= 0.41, in the edge bins (the
#:   O(1/N) edge correction of E rho_N);
#: * atom fractions: the rank T = round(N / c) and block sizes round(w N) move an atom's
#:   fraction by at most 1/N;
#: * N^-1 log E|det(H - x)|: outside the support |N (est - Phi)| < 0.3; inside the bulk
#:   log|det| has Gaussian fluctuations of variance ~ log N (beta = 1), so the annealed mean
#:   exceeds the quenched one by ~ var / 2: N (est - Phi) was 0.9-2.5 (GOE) and 1.7-6
#:   (Wishart, c = 1) at N = 100-400 with 20 matrices.  Allowance (log N + 4) / N.
ALLOW = dict(resolvent=1.2, hist=0.6, atom=1.0, logdet=math.log(N_MC) + 4.0)


def _tol(name, key):
    return TOL.get(name, {}).get(key, TOL["default"][key])


@functools.lru_cache(maxsize=None)
def _measure(name):
    return dict(CASES)[name]()


IDS = [c[0] for c in CASES]


# ------------------------------------------------------------------ generic points
def _width(mu):
    lo, hi = mu.edges()
    return max(hi - lo, 1.0)


def _atom_clear(mu, x, gap):
    return all(abs(x - a) > gap for a, _ in mu.atoms())


def _points_outside(mu):
    """Left of, right of, and in the gaps of the spectrum (support intervals and atoms)."""
    lo, hi = mu.edges()
    w = _width(mu)
    pts = [lo - 0.5 * w, hi + 0.3 * w, hi + 3.0 * w]
    pieces = sorted([iv for iv in mu.support()] + [(a, a) for a, _ in mu.atoms()])
    gaps = sorted(((a1 - b0, 0.5 * (b0 + a1)) for (_, b0), (a1, _) in zip(pieces[:-1], pieces[1:])), reverse=True)
    pts += [mid for width, mid in gaps[:3] if width > 1e-3 * w]  # the three widest gaps
    return np.array(pts)


def _points_inside(mu):
    """Interior points of the support intervals, away from atoms."""
    w = _width(mu)
    pts = [a + f * (b - a) for a, b in mu.support() for f in (0.137, 0.52, 0.81)]
    return np.array([x for x in pts if _atom_clear(mu, x, 1e-2 * w)])


def _quad_density(mu, g, a, b):
    """int_a^b rho(l) g(l) dl by scipy quad under the cosine substitution."""
    def f(t):
        lam = a + (b - a) * (1.0 - math.cos(t)) / 2.0
        return float(mu.density(lam)) * g(lam) * (b - a) * math.sin(t) / 2.0
    with warnings.catch_warnings():  # odd moments integrate to ~0: quad's relative target is moot
        warnings.simplefilter("ignore", integrate.IntegrationWarning)
        val, _ = integrate.quad(f, 0.0, math.pi, epsabs=1e-14, epsrel=1e-13, limit=400)
    return val


# ------------------------------------------------------------------ mass, moments, support
@pytest.mark.parametrize("name", IDS)
def test_total_mass_is_one(name):
    mu = _measure(name)
    cont = sum(_quad_density(mu, lambda l: 1.0, a, b) for a, b in mu.support())
    assert cont + mu.atom_mass == pytest.approx(1.0, abs=_tol(name, "mass"))
    assert mu.continuous_mass == pytest.approx(cont, abs=_tol(name, "mass"))


@pytest.mark.parametrize("name", IDS)
def test_density_vanishes_off_the_support_and_is_positive_inside(name):
    mu = _measure(name)
    assert np.all(mu.density(_points_outside(mu)) == 0.0)
    if mu.support():
        assert np.all(mu.density(_points_inside(mu)) > 0.0)
        for a, b in mu.support():  # edges: positive just inside, zero just outside
            d = 1e-6 * (b - a)
            assert np.all(mu.density([a + d, b - d]) > 0.0) and np.all(mu.density([a - d, b + d]) == 0.0)


@pytest.mark.parametrize("name", IDS)
def test_moments_match_the_density(name):
    mu = _measure(name)
    k = 6
    got = mu.moments(k)
    scale = max(abs(mu.edges()[0]), abs(mu.edges()[1]), 1.0)
    for j in range(1, k + 1):
        ref = sum(_quad_density(mu, lambda l, j=j: l**j, a, b) for a, b in mu.support())
        ref += sum(w * a**j for a, w in mu.atoms())
        assert got[j - 1] == pytest.approx(ref, abs=_tol(name, "moments") * scale**j), j
    assert mu.mean() == pytest.approx(got[0], abs=1e-15 * scale)
    assert mu.variance() == pytest.approx(got[1] - got[0] ** 2, abs=1e-12 * scale**2)


def _catalan(k):
    return math.comb(2 * k, k) // (k + 1)


#: moments in closed form: semicircle (Catalan), Marchenko-Pastur (Narayana polynomials,
#: m_1..m_4 = 1, 1 + c, 1 + 3c + c^2, 1 + 6c + 6c^2 + c^3), point masses
CLOSED_MOMENTS = [
    ("semicircle", lambda j: 0.0 if j % 2 else _catalan(j // 2)),
    ("semicircle_abc", lambda j: 0.0 if j % 2 else _catalan(j // 2) / 2 ** (j // 2)),
    ("zero_mass", lambda j: 0.0 if j % 2 else 0.7 * _catalan(j // 2)),
    ("discrete", lambda j: 0.2 * (-1.0) ** j + 0.3 * 0.5**j + 0.5 * 2.0**j),
] + [
    (f"mp_{c}", lambda j, c=float(c): [1.0, 1 + c, 1 + 3 * c + c * c, 1 + 6 * c + 6 * c * c + c**3][j - 1])
    for c in ("0.25", "1", "2.5")
]


@pytest.mark.parametrize("name,formula", CLOSED_MOMENTS, ids=[c[0] for c in CLOSED_MOMENTS])
def test_moments_closed_forms(name, formula):
    mu = _measure(name)
    k = 4
    got = mu.moments(k)
    for j in range(1, k + 1):
        assert got[j - 1] == pytest.approx(formula(j), rel=1e-12, abs=1e-14), j


# ------------------------------------------------------------------ Stieltjes, log-potential
@pytest.mark.parametrize("name", IDS)
def test_log_potential_derivative_is_re_m(name):
    mu = _measure(name)
    w = _width(mu)
    xs = np.concatenate([_points_outside(mu), _points_inside(mu)])
    near = [w] + [abs(xs - a) for a, _ in mu.atoms()] + [abs(xs - e) for iv in mu.support() for e in iv]
    h = 1e-4 * np.min(np.broadcast_arrays(*near), axis=0)  # well inside the smooth region around x
    fd = (mu.log_potential(xs + h) - mu.log_potential(xs - h)) / (2.0 * h)
    re_m = mu.stieltjes(xs).real
    assert np.all(np.abs(fd - re_m) <= _tol(name, "dphi") * (1 + np.abs(re_m))), (fd, re_m)


def _mp_log_potential(mu, x):
    """30-digit tanh-sinh quadrature of rho(l) log|x - l| plus the atoms' w log|x - a|."""
    with mpmath.workdps(30):
        xm = mpmath.mpf(float(x))
        total = mpmath.fsum(w * mpmath.log(abs(xm - a)) for a, w in mu.atoms())
        for a, b in mu.support():
            pts = [mpmath.mpf(a)] + ([xm] if a < x < b else []) + [mpmath.mpf(b)]
            total += mpmath.quad(lambda t: mpmath.mpf(float(mu.density(float(t)))) * mpmath.log(abs(xm - t)), pts, maxdegree=7)
        return float(total)


@pytest.mark.parametrize("name", IDS)
def test_log_potential_against_mpmath(name):
    mu = _measure(name)
    xs = np.concatenate([_points_outside(mu)[:3], _points_inside(mu)[:2]])
    got = mu.log_potential(xs)
    ref = np.array([_mp_log_potential(mu, x) for x in xs])
    np.testing.assert_allclose(got, ref, atol=_tol(name, "phi"), rtol=0)
    for a, _ in mu.atoms():
        assert mu.log_potential([a])[0] == -np.inf


@pytest.mark.parametrize("name", IDS)
def test_stieltjes_branch_and_asymptotics(name):
    mu = _measure(name)
    w = _width(mu)
    z = np.array([0.3 + 1j, -1.0 + 0.01j, 2.0 + 5j]) * w
    m = mu.stieltjes(z)
    assert np.all(m.imag < 0)
    np.testing.assert_allclose(mu.stieltjes(z.conj()), m.conj(), rtol=1e-14)
    big = 1e6 * w
    mean = mu.mean()
    assert mu.stieltjes(big + 0j) == pytest.approx(1.0 / big + mean / big**2, rel=1e-6)
    if mu.support():
        x = _points_inside(mu)
        np.testing.assert_allclose(-mu.stieltjes(x).imag / math.pi, mu.density(x), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", IDS)
def test_stieltjes_derivative_against_quadrature(name):
    """m'(x) at real x outside the support vs -(quad of rho/(x - l)^2) - sum w/(x - a)^2."""
    mu = _measure(name)
    xs = _points_outside(mu)
    got = mu.stieltjes_derivative(xs)
    ref = []
    for x in xs:
        v = -sum(w / (x - a) ** 2 for a, w in mu.atoms())
        v -= sum(_quad_density(mu, lambda l, x=x: 1.0 / (x - l) ** 2, a, b) for a, b in mu.support())
        ref.append(v)
    np.testing.assert_allclose(got.real, ref, rtol=1e-9)
    assert np.all(got.imag == 0)
    # and at a complex point vs a central difference of m
    z = (0.4 + 0.7j) * _width(mu)
    h = 1e-5 * _width(mu)
    fd = (mu.stieltjes(z + h) - mu.stieltjes(z - h)) / (2 * h)
    assert abs(mu.stieltjes_derivative(z) - fd) <= 1e-7 * (1 + abs(fd))


# ------------------------------------------------------------------ cdf, quantile, scales
@pytest.mark.parametrize("name", IDS)
def test_cdf_monotone_and_quantile_inverts_it(name):
    mu = _measure(name)
    lo, hi = mu.edges()
    w = _width(mu)
    xs = np.linspace(lo - 0.1 * w, hi + 0.1 * w, 401)
    f = mu.cdf(xs)
    assert np.all(np.diff(f) >= -1e-15) and f[0] == 0.0 and f[-1] == pytest.approx(1.0, abs=1e-12)
    inside = _points_inside(mu)
    if inside.size:
        np.testing.assert_allclose(mu.quantile(mu.cdf(inside)), inside, atol=1e-9 * w)
    for a, m in mu.atoms():  # every q in an atom's jump gives the atom exactly
        f_a = mu.cdf(a)
        assert np.all(mu.quantile([f_a - 0.99 * m, f_a - 0.5 * m, f_a]) == a)
    q = np.linspace(0, 1, 101)
    x = mu.quantile(q)
    assert np.all(np.diff(x) >= 0) and np.all(mu.cdf(x) >= q - 1e-12)


@pytest.mark.parametrize("name", IDS)
def test_standardise_and_scales(name):
    mu = _measure(name)
    st = mu.standardise(variance=0.7, mean=-0.2)
    assert st.mean() == pytest.approx(-0.2, abs=1e-12) and st.variance() == pytest.approx(0.7, rel=1e-12)
    if mu.scale in spectra.SCALES:
        other = "abc" if mu.scale == "wigner" else "wigner"
        nu = mu.to_scale(other)
        f = spectra.scale_factor(mu.scale, other)
        assert nu.scale == other and nu.variance() == pytest.approx(f * f * mu.variance(), rel=1e-12)
        xs = np.concatenate([_points_outside(mu), _points_inside(mu)])
        np.testing.assert_allclose(nu.log_potential(f * xs), mu.log_potential(xs) + math.log(f), atol=1e-12)
        np.testing.assert_allclose(nu.density(f * xs), mu.density(xs) / f, atol=1e-12)
        back = nu.to_scale(mu.scale)
        np.testing.assert_allclose(back.log_potential(xs), mu.log_potential(xs), atol=1e-12)


def test_semicircle_scale_conversion_table():
    w, abc = spectra.semicircle(), spectra.semicircle(scale="abc")
    assert w.support() == [(-2.0, 2.0)] and w.variance() == pytest.approx(1.0)
    assert abc.support()[0][1] == pytest.approx(math.sqrt(2)) and abc.variance() == pytest.approx(0.5)
    conv = w.to_scale("abc")
    xs = np.array([-3.0, -1.0, 0.3, 1.2, 2.5])
    np.testing.assert_allclose(conv.log_potential(xs), abc.log_potential(xs), atol=1e-14)
    np.testing.assert_allclose(conv.stieltjes(xs + 0.1j), abc.stieltjes(xs + 0.1j), rtol=1e-13)
    assert spectra.scale_factor("wigner", "abc") == pytest.approx(1 / math.sqrt(2))
    assert w.standardise(variance=0.5).variance() == pytest.approx(abc.variance())


# ------------------------------------------------------------------ Monte Carlo
@functools.lru_cache(maxsize=None)
def _matrix_eigs(name):
    return np.linalg.eigvalsh(_measure(name).sample_matrices(N_MC, S_MC, seed=101))


@functools.lru_cache(maxsize=None)
def _samples(name):
    return _measure(name).sample(N_MC, S_MC, seed=202)


def _z_test(name, got_per_matrix, ref, allow):
    """Mean over matrices vs ref within Z standard errors of the mean + allow / N."""
    got = np.asarray(got_per_matrix)
    mean = got.mean(axis=0)
    se = got.std(axis=0, ddof=1) / math.sqrt(got.shape[0])
    bound = _tol(name, "z") * se + allow / N_MC
    assert np.all(np.abs(mean - ref) <= bound), (mean, ref, se, bound)


@pytest.mark.parametrize("name", IDS)
def test_stieltjes_vs_resolvent_trace(name):
    """N^-1 tr (z - H)^-1 of sampled matrices (from their eigenvalues) vs m(z)."""
    mu = _measure(name)
    lo, hi = mu.edges()
    w = _width(mu)
    z = np.array([lo + 0.3 * (hi - lo) + 0.5j, hi + 0.2j, 0.5 * (lo + hi) + 0.25j * w])
    ev = _matrix_eigs(name)
    per = (1.0 / (z[None, None, :] - ev[:, :, None])).mean(axis=1)
    m = mu.stieltjes(z)
    _z_test(name, per.real, m.real, ALLOW["resolvent"])
    _z_test(name, per.imag, m.imag, ALLOW["resolvent"])


@pytest.mark.parametrize("name", IDS)
def test_histogram_vs_density(name):
    """Per-matrix fraction of (non-atom) eigenvalues in each bin vs the density's bin mass."""
    mu = _measure(name)
    ev = _samples(name)
    gap = 1e-8 * _width(mu)
    at_atom = np.zeros(ev.shape, bool)
    for a, _ in mu.atoms():
        at_atom |= np.abs(ev - a) < gap
    edges = np.unique(np.concatenate([np.linspace(a, b, 9) for a, b in mu.support()] or [np.array(mu.edges())]))
    per = np.stack([np.histogram(e[~m], bins=edges)[0] / N_MC for e, m in zip(ev, at_atom)])
    ref = np.array([_quad_density(mu, lambda l: 1.0, a, b) for a, b in zip(edges[:-1], edges[1:])])
    allow = TOL.get(name, {}).get("hist", ALLOW["hist"])
    _z_test(name, per, ref, allow)
    assert per.sum(axis=1).mean() == pytest.approx(mu.continuous_mass, abs=allow / N_MC)


@pytest.mark.parametrize("name", IDS)
def test_atom_masses_vs_sampled_fractions(name):
    mu = _measure(name)
    ev = _samples(name)
    gap = 1e-8 * _width(mu)
    total = np.zeros(ev.shape[0])
    for a, m in mu.atoms():
        frac = (np.abs(ev - a) < gap).mean(axis=1)
        total += frac
        _z_test(name, frac[:, None], np.array([m]), ALLOW["atom"])
    _z_test(name, total[:, None], np.array([mu.atom_mass]), ALLOW["atom"])


@pytest.mark.parametrize("name", IDS)
def test_log_potential_vs_log_abs_det(name):
    mu = _measure(name)
    xs = np.concatenate([_points_outside(mu)[:2], _points_inside(mu)[1:2]])
    est, se = mu.log_abs_det_mc(N_MC, xs, S_MC, seed=303)
    phi = mu.log_potential(xs)
    bound = _tol(name, "z") * se + ALLOW["logdet"] / N_MC
    assert np.all(np.abs(est - phi) <= bound), (est, phi, se, bound)


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    "build,word",
    [
        (lambda: spectra.marchenko_pastur(0.0), "c"),
        (lambda: spectra.marchenko_pastur(-1.0), "c"),
        (lambda: spectra.semicircle(0.0), "variance"),
        (lambda: spectra.semicircle(-2.0), "variance"),
        (lambda: spectra.discrete([1.0, 2.0], [0.5, 0.6]), "weights"),
        (lambda: spectra.discrete([1.0, 2.0], [1.5, -0.5]), "weights"),
        (lambda: spectra.mixture([(0.5, spectra.semicircle()), (0.6, spectra.semicircle())]), "weights"),
        (lambda: spectra.with_zero_mass(spectra.semicircle(), 1.0), "zero_mass"),
        (lambda: spectra.with_zero_mass(spectra.semicircle(), -0.1), "zero_mass"),
        (lambda: spectra.empirical([]), "eigenvalues"),
        (lambda: spectra.empirical([1.0, float("nan")]), "eigenvalues"),
        (lambda: spectra.empirical([1.0, float("inf")]), "eigenvalues"),
        (lambda: spectra.semicircle().stieltjes_derivative(1.0), "z"),
        (lambda: spectra.marchenko_pastur(2.0).stieltjes(0.0), "z"),
        (lambda: spectra.semicircle().quantile([1.5]), "q"),
        (lambda: spectra.semicircle().log_potential([float("nan")]), "x"),
        (lambda: spectra.semicircle(scale="natural"), "scale"),
        (lambda: spectra.discrete([0.0, 1.0]).log_abs_det_mc(20, [0.0, 0.5], 2, seed=0), "x"),
        (lambda: spectra.semicircle().sample(1), "n"),
        (lambda: spectra.semicircle().sample(5, samples=0), "samples"),
    ],
)
def test_bad_input_names_the_parameter(build, word):
    with pytest.raises(ValueError, match=rf"\b{word}\b"):
        build()
