"""GOE conventions, semicircle, log-potential and edge rate against sampling and quadrature."""

import math

import mpmath
import numpy as np
import pytest

from complexity.rmt import goe


@pytest.mark.parametrize("scale,off,diag", [("abc", 0.5, 1.0), ("wigner", 1.0, 2.0), ("unscaled", None, None)])
def test_entry_variances(scale, off, diag):
    # sample variances of Gaussian entries: relative standard error sqrt(2 / (m - 1)) for m
    # draws; the bound is 5 of them (a sqrt 2 in the scale is hundreds of standard errors)
    n = 40
    m = goe.sample_goe(n, 400, seed=3, scale=scale)
    iu = np.triu_indices(n, 1)
    offd = m[:, iu[0], iu[1]].ravel()
    dg = np.einsum("sii->si", m).ravel()
    rel_off, rel_diag = 5 * math.sqrt(2 / (offd.size - 1)), 5 * math.sqrt(2 / (dg.size - 1))
    want_off, want_diag = (0.5, 1.0) if off is None else (off / n, diag / n)  # unscaled: no N
    assert abs(np.mean(offd**2) / want_off - 1) < rel_off
    assert abs(np.mean(dg**2) / want_diag - 1) < rel_diag


@pytest.mark.parametrize("scale,radius", [("abc", math.sqrt(2)), ("wigner", 2.0)])
def test_spectrum_fills_the_semicircle(scale, radius):
    """Per-bin eigenvalue fractions of 12 matrices at N = 300 against the exact finite-N
    one-point density (Mehta's formula, complexity.rmt.goe_exact), within 4.5 per-matrix
    standard errors (eigenvalue counts are strongly sub-Poisson, so the spread over matrices,
    not a Poisson error, is the right scale); and the semicircle itself within the same bound
    plus its O(1/N) distance to the finite-N density."""
    from complexity.rmt import goe_exact

    n, m = 300, 12
    ev = goe.goe_eigenvalues(n, m, seed=5, scale=scale)
    assert goe.semicircle_radius(n, scale) == pytest.approx(radius)
    assert ev.max() == pytest.approx(radius, abs=0.05) and ev.min() == pytest.approx(-radius, abs=0.05)
    edges = np.linspace(-radius, radius, 21)
    frac = np.stack([np.histogram(e, bins=edges)[0] / n for e in ev])
    mean, se = frac.mean(axis=0), frac.std(axis=0, ddof=1) / math.sqrt(m)
    gx, gw = np.polynomial.legendre.leggauss(20)
    to_abc = math.sqrt(2) / radius  # goe_exact's density is in the abc scale
    exact, limit = [], []
    for a, b in zip(edges[:-1], edges[1:]):
        xx, ww = a + (b - a) * (gx + 1) / 2, gw * (b - a) / 2
        exact.append(np.sum(ww * goe_exact.goe_density(xx * to_abc, n) * to_abc))
        limit.append(np.sum(ww * goe.semicircle_density(xx, radius)))
    assert np.all(np.abs(mean - np.array(exact)) < 4.5 * se)
    assert np.all(np.abs(mean - np.array(limit)) < 4.5 * se + 2.0 / n)


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
    """(1/N) E log|det(M - x)| -> Phi(x): Monte Carlo at N = 300 with its per-matrix standard
    error; the finite-N term of E log|det| is O(log N) inside the bulk (the log-correlated
    fluctuations of the characteristic polynomial) and O(1) outside, so the allowance is
    log(N)/N inside and 1/N outside, on top of 5 standard errors."""
    n, m = 300, 20
    ev = goe.goe_eigenvalues(n, m, seed=11)
    for x in (-2.5, -0.5, 0.3, 1.8):
        per = np.sum(np.log(np.abs(ev - x)), axis=1) / n
        se = per.std(ddof=1) / math.sqrt(m)
        allow = (math.log(n) if abs(x) < math.sqrt(2) else 1.0) / n
        assert abs(per.mean() - float(goe.log_potential(x))) < 5 * se + allow


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
