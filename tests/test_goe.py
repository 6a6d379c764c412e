"""GOE conventions, semicircle, log-potential and edge rate against sampling and quadrature."""

import math

import mpmath
import numpy as np
import pytest

from complexity.rmt import goe


@pytest.mark.parametrize("scale,off,diag", [("abc", 0.5, 1.0), ("wigner", 1.0, 2.0), ("unscaled", None, None)])
def test_entry_variances(scale, off, diag):
    n = 40
    m = goe.sample_goe(n, 400, seed=3, scale=scale)
    iu = np.triu_indices(n, 1)
    v_off = m[:, iu[0], iu[1]].var()
    v_diag = np.einsum("sii->si", m).var()
    if off is None:  # unscaled: 1/2 and 1 with no N
        assert v_off == pytest.approx(0.5, rel=0.02) and v_diag == pytest.approx(1.0, rel=0.05)
    else:
        assert v_off * n == pytest.approx(off, rel=0.02) and v_diag * n == pytest.approx(diag, rel=0.05)


@pytest.mark.parametrize("scale,radius", [("abc", math.sqrt(2)), ("wigner", 2.0)])
def test_spectrum_fills_the_semicircle(scale, radius):
    ev = goe.goe_eigenvalues(800, 4, seed=5, scale=scale).ravel()
    assert goe.semicircle_radius(800, scale) == pytest.approx(radius)
    assert ev.max() == pytest.approx(radius, abs=0.03) and ev.min() == pytest.approx(-radius, abs=0.03)
    hist, edges = np.histogram(ev, bins=20, range=(-radius, radius), density=True)
    mid = (edges[1:] + edges[:-1]) / 2
    assert np.max(np.abs(hist - goe.semicircle_density(mid, radius))) < 0.05


def test_seeded_sampling_is_reproducible():
    assert np.array_equal(goe.sample_goe(5, 3, seed=7), goe.sample_goe(5, 3, seed=7))


def test_log_potential_against_quadrature_and_mpmath():
    xs = np.array([-5.0, -1.5, -1.0, 0.0, 0.7, 1.414, 1.42, 3.0])
    got = goe.log_potential(xs)
    with mpmath.workdps(30):
        s2 = mpmath.sqrt(2)
        for x, g in zip(xs, got):
            pts = sorted({-s2, s2} | ({mpmath.mpf(x)} if abs(x) < s2 else set()))
            ref = mpmath.quad(lambda lam: mpmath.log(abs(x - lam)) * mpmath.sqrt(max(0, 2 - lam * lam)) / mpmath.pi, pts)
            assert abs(g - float(ref)) < 1e-12
            assert abs(goe.log_potential_mp(x, dps=30) - ref) < mpmath.mpf(10) ** -25


def test_log_potential_other_radius():
    # Phi_R(x) = Phi(sqrt2 x / R) + log(R/sqrt2): check against quadrature at R = 3
    r, x = 3.0, 4.5
    with mpmath.workdps(25):
        ref = mpmath.quad(lambda lam: mpmath.log(abs(x - lam)) * 2 * mpmath.sqrt(r * r - lam * lam) / (mpmath.pi * r * r), [-r, r])
    assert goe.log_potential(x, radius=r) == pytest.approx(float(ref), abs=1e-12)


def test_log_potential_is_the_log_determinant_rate():
    # (1/N) E log|det(M - x)| -> Phi(x): Monte Carlo at N = 300
    n = 300
    ev = goe.goe_eigenvalues(n, 20, seed=11)
    for x in (-2.5, -0.5, 0.3, 1.8):
        mc = np.mean(np.sum(np.log(np.abs(ev - x)), axis=1)) / n
        assert mc == pytest.approx(float(goe.log_potential(x)), abs=0.01)


def test_edge_rate_integral_and_largest_eigenvalue_tail():
    # J(x) = int_{sqrt2}^{x} sqrt(y^2 - 2) dy
    for x in (1.5, 2.0, 4.0):
        ref = float(mpmath.quad(lambda v: mpmath.sqrt(v * v - 2), [mpmath.sqrt(2), x]))
        assert goe.edge_rate(x) == pytest.approx(ref, rel=1e-12)
        assert goe.edge_rate(-x) == pytest.approx(ref, rel=1e-12)
    assert goe.edge_rate(1.0) == 0.0
    assert goe.edge_rate(3.0, radius=2 * math.sqrt(2)) == pytest.approx(float(goe.edge_rate(3.0 / 2)))


def test_bad_input():
    with pytest.raises(ValueError, match="scale"):
        goe.sample_goe(3, scale="gue")
    with pytest.raises(ValueError, match="n"):
        goe.sample_goe(0)
    with pytest.raises(ValueError, match="x"):
        goe.log_potential([0.0, float("nan")])
    with pytest.raises(ValueError, match="radius"):
        goe.edge_rate(1.0, radius=-1)
