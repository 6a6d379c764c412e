"""Closed forms and generic routes of the spectral layer, one by one, against mpmath."""

import math
import warnings

import mpmath
import numpy as np
import pytest

from complexity import spectra
from complexity.spectra._base import SpectralMeasure


def _mp_mprime(mu, x):
    """m'(x) = -int rho/(x - l)^2 - sum w/(x - a)^2, rho in closed form at 40 digits."""
    with mpmath.workdps(40):
        x = mpmath.mpf(x)
        if isinstance(mu, spectra.MarchenkoPastur):
            c, a, b = mpmath.mpf(mu.c), mpmath.mpf(mu.a), mpmath.mpf(mu.b)
            rho = lambda t: mpmath.sqrt((b - t) * (t - a)) / (2 * mpmath.pi * c * t)  # noqa: E731
        else:
            r = mpmath.mpf(mu.radius)
            a, b = -r, r
            rho = lambda t: 2 * mpmath.sqrt(r * r - t * t) / (mpmath.pi * r * r)  # noqa: E731
        v = -mpmath.quad(lambda t: rho(t) / (x - t) ** 2, [a, b])
        v -= mpmath.fsum(mpmath.mpf(w) / (x - loc) ** 2 for loc, w in mu.atoms())
        return float(v)


@pytest.mark.parametrize("mu", [spectra.semicircle(), spectra.semicircle(radius=3.0),
                                spectra.marchenko_pastur(0.25), spectra.marchenko_pastur(1.0),
                                spectra.marchenko_pastur(2.5)], ids=repr)
def test_stieltjes_derivative_closed_forms_and_generic_route(mu):
    lo, hi = mu.support()[0]
    xs = [hi + 1e-3, hi + 0.1, hi + 5.0, lo - 0.05, lo - 3.0]
    if mu.atoms():
        xs.append(lo / 2)  # the gap between the atom at 0 and the bulk
    xs = np.array(xs)
    ref = np.array([_mp_mprime(mu, x) for x in xs])
    closed = mu.stieltjes_derivative(xs)
    np.testing.assert_allclose(closed.real, ref, rtol=1e-12)
    generic = SpectralMeasure._stieltjes_derivative(mu, xs + 0j, mu.distance(xs), None)  # graded quadrature
    np.testing.assert_allclose(generic.real, ref, rtol=1e-12)
    near = np.array([hi + 1e-6, lo - 1e-6]) if lo != 0 else np.array([hi + 1e-6])
    np.testing.assert_allclose(SpectralMeasure._stieltjes_derivative(mu, near + 0j, mu.distance(near), None).real,
                               mu.stieltjes_derivative(near).real, rtol=1e-9)  # float nodes near the edge: ~1e-17/d
    z = np.array([0.5 * (lo + hi) + 0.3j, hi + 1 + 2j])
    np.testing.assert_allclose(SpectralMeasure._stieltjes_derivative(mu, z, mu.distance(z), None),
                               mu.stieltjes_derivative(z), rtol=1e-10)  # the circle rule on m


@pytest.mark.parametrize("a,b", [(2.0, 1.0), (-0.5, 3.0)])
def test_affine_image_stieltjes_derivative(a, b):
    base = spectra.marchenko_pastur(2.0)
    mu = base.affine(a, b)
    xs = np.array([mu.edges()[1] + 0.3, mu.edges()[0] - 1.0, b + 0.1 * a])  # the last in the gap by the atom
    ref = [_mp_mprime(base, (x - b) / a) / a**2 for x in xs]
    np.testing.assert_allclose(mu.stieltjes_derivative(xs).real, ref, rtol=1e-12)
    z = np.array([b + 0.5 + 0.5j, b - 1.0 - 0.2j])
    fd = (mu.stieltjes(z + 1e-5) - mu.stieltjes(z - 1e-5)) / 2e-5
    np.testing.assert_allclose(mu.stieltjes_derivative(z), fd, rtol=1e-8)


def test_stieltjes_no_cancellation_far_away_and_at_zero():
    sc = spectra.semicircle()
    for z in (1e8, -1e8, 1e8j):
        m = complex(sc.stieltjes(z))
        assert m * z == pytest.approx(1.0 + 1.0 / z**2, rel=1e-15)
        assert complex(sc.stieltjes_derivative(z)) * z * z == pytest.approx(-1.0, rel=1e-12)
    for c in (0.25, 0.5):  # m(0) = -int dmu / l = 1 / (c - 1) for c < 1 (no 0/0)
        assert complex(spectra.marchenko_pastur(c).stieltjes(0.0)) == pytest.approx(1.0 / (c - 1.0), rel=1e-14)
    mp = spectra.marchenko_pastur(3.0)  # continuous part at 0: -1 / (c (c - 1))
    assert complex(mp._continuous_stieltjes_real(np.array([0.0]))[0]) == pytest.approx(-1.0 / 6.0, rel=1e-14)
    z = 1e9
    assert complex(mp.stieltjes(z)) * z == pytest.approx(1.0 + mp.mean() / z, rel=1e-15)


def test_distance_to_spectrum_with_gaps():
    mu = spectra.marchenko_pastur(4.0)  # atom at 0, bulk on [1, 9]
    d = mu.distance(np.array([-2.0, 0.25, 0.5, 5.0, 10.0, 5.0 + 2j]))
    np.testing.assert_allclose(d, [2.0, 0.25, 0.5, 0.0, 1.0, 2.0])
    e = spectra.empirical([0.0, 1.0, 3.0])
    np.testing.assert_allclose(e.distance(np.array([-1.0, 0.4, 2.5, 7.0, 1.0 + 1j])), [1.0, 0.4, 0.5, 4.0, 1.0])


def test_quantile_vectorised_and_exact_at_atoms():
    mu = spectra.with_zero_mass(spectra.marchenko_pastur(0.5), 0.2)
    q = np.random.default_rng(0).random(5000)
    x = mu.quantile(q)
    f = mu.cdf(x)
    assert np.all(f >= q - 1e-13)
    cont = x != 0.0
    np.testing.assert_allclose(f[cont], q[cont], atol=1e-12)
    f0 = mu.cdf(0.0)
    assert np.all(x[(q > f0 - 0.2) & (q <= f0)] == 0.0)
    assert mu.quantile(0.0) == mu.edges()[0] and mu.quantile(1.0) == pytest.approx(mu.edges()[1], abs=1e-12)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        spectra.marchenko_pastur(1.0).quantile(np.linspace(0, 1, 1001))  # inverse-sqrt edge: converges, no warning


def test_block_sizes_largest_remainder():
    from complexity.spectra.composite import _sizes

    w = np.array([0.25, 0.33, 0.42])
    for n in (2, 3, 7, 100, 101):
        s = _sizes(w, n)
        assert s.sum() == n and np.all(np.abs(s - w * n) < 1.0)


def test_empirical_stratified_draws():
    ev = np.sort(np.random.default_rng(3).standard_normal(50))
    mu = spectra.empirical(ev)
    assert np.array_equal(mu.sample(50, 3, seed=1), np.broadcast_to(ev, (3, 50)))  # n = M: the eigenvalues
    draws = mu.sample(20, 4000, seed=2)
    means = draws.mean(axis=1)  # unbiased for the measure's mean; stratified, so far below the bootstrap's spread
    assert abs(means.mean() - ev.mean()) < 4 * means.std() / math.sqrt(means.size)
    assert means.std() < 0.5 * ev.std() / math.sqrt(20)


def test_goe_functions_agree_with_the_layer():
    from complexity.rmt import goe

    x = np.array([-3.0, -1.0, 0.2, 1.3, 2.0])
    for scale, radius in (("abc", math.sqrt(2)), ("wigner", 2.0)):
        mu = spectra.semicircle(scale=scale)
        assert mu.support() == [(-radius, radius)]
        np.testing.assert_allclose(goe.semicircle_density(x, radius), mu.density(x), atol=1e-15)


def test_figure_numbers_spot_check():
    from complexity.figures.spectra import data_spectra_mp

    d = data_spectra_mp(n=100, samples=4)
    for c, v in d.items():
        assert v["atom_fraction"] == pytest.approx(max(0.0, 1 - 1 / c), abs=1 / 100)
        assert np.all(np.abs(v["log_det"] - v["log_potential"]) <= 4 * v["log_det_se"] + (math.log(100) + 4) / 100)


def test_a_nan_from_a_route_is_never_silent():
    class Broken(spectra.Semicircle):
        def _density(self, x):
            out = super()._density(x)
            out[x > 1.0] = np.nan
            return out

    mu = Broken(2.0)
    with pytest.warns(RuntimeWarning, match=r"density: 1 non-finite value.*1\.5"):
        mu.density([0.0, 1.5])
