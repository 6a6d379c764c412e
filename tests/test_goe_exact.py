"""Exact GOE_N one-point density and order statistics against independent oracles."""

import math

import mpmath
import numpy as np
import pytest
from scipy import integrate

from complexity.rmt.goe import goe_eigenvalues
from complexity.rmt.goe_exact import (
    gauss_legendre_panels,
    goe_density,
    goe_density_mp,
    goe_density_unscaled,
    hermite_functions,
    order_statistic_density,
)


def _integral(f, a, b, width=0.02):
    x, w = gauss_legendre_panels(a, b, width)
    return float(np.sum(w * f(x)))


def _mehta_constant_log(n, g):
    """log of int_{R^n} prod|x_i - x_j| exp(-g sum x^2/2) dx (Mehta's integral, beta = 1)."""
    val = 0.5 * n * math.log(2 * math.pi) - (0.5 * n + 0.25 * n * (n - 1)) * math.log(g)
    return val + sum(math.lgamma(1 + j / 2) - math.lgamma(1.5) for j in range(1, n + 1))


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 10, 50, 100, 200])
def test_density_integrates_to_one(n):
    reach = math.sqrt(2) + 12 / math.sqrt(n)
    assert _integral(lambda x: goe_density(x, n), -reach, reach, min(0.25, 2 / n)) == pytest.approx(1, abs=1e-12)


@pytest.mark.parametrize("scale,radius", [("wigner", 2.0), ("unscaled", None)])
def test_other_scales(scale, radius):
    n = 7
    radius = radius or math.sqrt(2 * n)
    r = radius + 12 / math.sqrt(n) * radius / math.sqrt(2)
    assert _integral(lambda x: goe_density(x, n, scale), -r, r, 0.05 * radius) == pytest.approx(1, abs=1e-12)
    # the scales differ by a dilation only
    x = np.linspace(-1, 1, 5)
    c = radius / math.sqrt(2)
    np.testing.assert_allclose(goe_density(c * x, n, scale) * c, goe_density(x, n), rtol=1e-13)


def test_n1_is_the_gaussian_of_the_diagonal_entry():
    x = np.linspace(-6, 6, 41)
    np.testing.assert_allclose(goe_density(x, 1), np.exp(-x * x / 2) / math.sqrt(2 * math.pi), rtol=1e-14)
    # unscaled GOE_1 entry is N(0, 1) as well; wigner GOE_1 entry is N(0, 2)
    np.testing.assert_allclose(goe_density(x, 1, "wigner"), np.exp(-x * x / 4) / math.sqrt(4 * math.pi), rtol=1e-14)


@pytest.mark.parametrize("x", [-2.1, -0.7, 0.0, 0.3, 1.2, 2.6])
def test_n2_matches_joint_density_integral(x):
    """rho_2(x) = int |x - y| e^{-(x^2+y^2)} dy / Z, Z = E|X - Y| (2 pi / g) for X, Y iid N(0, 1/g)."""
    g = 2.0
    z = 2 / math.sqrt(math.pi * g) * (2 * math.pi / g)
    num, _ = integrate.quad(lambda y: abs(x - y) * math.exp(-g * (x * x + y * y) / 2), -9, 9, points=[x],
                            epsabs=1e-14, epsrel=1e-12)
    assert goe_density(np.array([x]), 2)[0] == pytest.approx(num / z, rel=1e-9)


@pytest.mark.parametrize("x", [-1.9, -0.4, 0.0, 0.8, 2.2])
def test_n3_matches_joint_density_integral(x):
    """rho_3(x) = int int p(x, y, z) dy dz with Mehta's normalising constant (odd-N term)."""
    g = 3.0

    def f(y, z):
        return abs(x - y) * abs(x - z) * abs(y - z) * math.exp(-g * (x * x + y * y + z * z) / 2)

    pts = sorted({x, 0.0})
    val = 0.0
    edges = [-7.0] + pts + [7.0]
    for a, b in zip(edges[:-1], edges[1:]):  # split the y-range at the kink y = x
        v, _ = integrate.dblquad(lambda zz, yy: f(yy, zz), a, b, -7, lambda yy: yy, epsabs=1e-13, epsrel=1e-11)
        w, _ = integrate.dblquad(lambda zz, yy: f(yy, zz), a, b, lambda yy: yy, 7, epsabs=1e-13, epsrel=1e-11)
        val += v + w
    ref = val / math.exp(_mehta_constant_log(3, g))
    assert goe_density(np.array([x]), 3)[0] == pytest.approx(ref, rel=1e-7)


def _histogram_z(n, samples, seed, bins):
    lam = goe_eigenvalues(n, samples, seed=seed)  # dense GOE samples, independent of the formula
    edges = np.concatenate([[-12.0], bins, [12.0]])
    per = np.stack([np.histogram(row, edges)[0] for row in lam])  # counts per matrix: iid over matrices
    mean = per.mean(axis=0)
    se = per.std(axis=0, ddof=1) / math.sqrt(samples)
    expect = np.array([n * _integral(lambda x: goe_density(x, n), a, b, 0.01) for a, b in zip(edges[:-1], edges[1:])])
    return (mean - expect) / se


def test_density_matches_monte_carlo_n5():
    z = _histogram_z(5, 20000, 11, np.linspace(-1.8, 1.8, 19))
    assert np.max(np.abs(z)) < 4.0
    assert np.mean(z * z) < 2.0  # chi-square per degree of freedom


@pytest.mark.slow
def test_density_matches_monte_carlo_n50():
    z = _histogram_z(50, 2000, 12, np.linspace(-1.5, 1.5, 25))
    assert np.max(np.abs(z)) < 4.0
    assert np.mean(z * z) < 2.0


@pytest.mark.parametrize("n", [7, 100])
def test_fast_path_matches_mpmath(n):
    xs = [0.0, 0.31, -0.9, 1.3, 1.45, -1.6, 2.1, -3.0]
    fast = goe_density(np.array(xs), n)
    for x, f in zip(xs, fast):
        ref = goe_density_mp(x, n, dps=30)
        assert abs(f / float(ref) - 1) < 1e-11, (n, x, f, ref)


def test_mpmath_path_matches_direct_quadrature():
    """The mpmath integral recurrence against mpmath.quad of phi_n itself (N = 6 and 7)."""
    for n, x in [(6, 0.4), (7, -0.8)]:
        with mpmath.workdps(30):
            xs = mpmath.mpf(x) * mpmath.sqrt(n)  # abc -> unscaled

            def phi(k, t):
                return mpmath.hermite(k, t) * mpmath.exp(-t * t / 2) / mpmath.sqrt(
                    2**k * mpmath.factorial(k) * mpmath.sqrt(mpmath.pi))

            s = mpmath.fsum(phi(k, xs) ** 2 for k in range(n))
            left = mpmath.quad(lambda t: phi(n, t), [-30, -5, 0, 5, xs])
            right = mpmath.quad(lambda t: phi(n, t), [xs, 5, 30])
            val = s + mpmath.sqrt(mpmath.mpf(n) / 2) * phi(n - 1, xs) * (left - right) / 2
            if n % 2:
                val += phi(n - 1, xs) / mpmath.quad(lambda t: phi(n - 1, t), [-30, 0, 30])
            ref = val / mpmath.sqrt(n)
            assert abs(goe_density_mp(x, n, dps=30) / ref - 1) < mpmath.mpf(10) ** -25


def test_hermite_functions_orthonormal():
    x, w = gauss_legendre_panels(-30, 30, 0.2)
    phi = hermite_functions(x, 60)
    gram = (phi * w[:, None]).T @ phi
    np.testing.assert_allclose(gram, np.eye(61), atol=1e-12)


def test_far_tails_are_finite_and_tiny():
    x = np.array([-40.0, -8.0, 8.0, 40.0])
    v = goe_density(x, 300)
    assert np.all(np.isfinite(v)) and np.all(v >= 0) and np.all(v < 1e-100)
    assert np.all(np.isfinite(goe_density_unscaled(np.array([1e3]), 50)))


@pytest.mark.parametrize("n", [1, 2, 3])
def test_order_statistics_normalised_and_sum_to_rho(n):
    for k in range(n):
        assert _integral(lambda x: order_statistic_density(x, n, k), -12, 12, 0.25) == pytest.approx(1, abs=1e-12)
    x = np.linspace(-2.5, 2.5, 21)
    total = sum(order_statistic_density(x, n, k) for k in range(n))
    np.testing.assert_allclose(total, n * goe_density(x, n), rtol=1e-11, atol=1e-15)


def test_order_statistics_match_monte_carlo_n3():
    lam = goe_eigenvalues(3, 40000, seed=5)
    for k in range(3):
        for c in (-0.8, 0.0, 0.6):
            p_exact = _integral(lambda x: order_statistic_density(x, 3, k), -12, c, 0.25)
            hits = lam[:, k] <= c
            se = math.sqrt(p_exact * (1 - p_exact) / lam.shape[0])
            assert abs(hits.mean() - p_exact) < 4 * se + 1e-12


def test_bad_input():
    with pytest.raises(ValueError, match="n"):
        goe_density([0.0], 0)
    with pytest.raises(ValueError, match="scale"):
        goe_density([0.0], 3, scale="gue")
    with pytest.raises(ValueError, match="x"):
        goe_density([np.nan], 3)
    with pytest.raises(ValueError, match="k"):
        order_statistic_density([0.0], 3, 3)
    with pytest.raises(ValueError, match="n"):
        order_statistic_density([0.0], 4, 0)
