"""Mixed spherical spin glasses: the variational formula against brute force, the pure
limit against the closed forms, the mpmath path, and the N = 2 Kac-Rice count against
direct counting of critical points of sampled mixed instances on the circle."""

import math

import mpmath
import numpy as np
import pytest
from scipy import integrate, special

from complexity.models import mixed, pspin
from complexity.rmt import goe

MIX = mixed.Mixture({2: 0.5, 3: 0.5})
MIX4 = mixed.Mixture({2: 0.3, 4: 0.7})


def brute_S(u, y, mix):
    xi0, xi1, xi2 = mix.xi, mix.dxi, mix.d2xi
    a2 = xi2 + xi1 - xi1**2 / xi0
    t = y / math.sqrt(2 * xi2)
    return 0.5 + 0.5 * math.log(2 * xi2 / xi1) - u * u / (2 * xi0) - (y - u * xi1 / xi0) ** 2 / (2 * a2) \
        + goe.log_potential(t), t


@pytest.mark.parametrize("mix", [MIX, MIX4])
@pytest.mark.parametrize("k", [None, 0, 2])
def test_inner_supremum_against_dense_grid(mix, k):
    ys = np.linspace(-12, 12, 240001)
    for u in (-2.0, -1.6, -1.2, -0.5):
        s, t = brute_S(u, ys, mix)
        if k is not None:
            keep = t <= -math.sqrt(2)
            s = np.where(keep, s - k * goe.edge_rate(t), -np.inf)
        got = mixed.theta(u, mix, k)
        if k is None:
            assert got == pytest.approx(s.max(), abs=1e-7)
        else:
            # Theta_k(u) = sup_{u' <= u}: at least the value at u, and equal where u <= u*
            assert got >= s.max() - 1e-7


def test_total_is_monotone_and_flat_above_zero():
    u = np.linspace(-3, 1, 81)
    th = mixed.theta(u, MIX)
    assert np.all(np.diff(th) >= -1e-12)
    assert np.all(th[u >= 0] == th[u >= 0][0])


def test_single_term_mixture_is_the_pure_model():
    assert mixed.theta(-1.65, mixed.Mixture.pure(3), 0) == pspin.theta(-1.65, 3, 0)
    assert mixed.threshold(mixed.Mixture({3: 2.0}), 1) == pspin.threshold(3, 1)


def test_pure_limit_is_continuous():
    near = mixed.Mixture({3: 1.0, 4: 1e-10})
    u = np.array([-1.8, -1.66, -1.64, -1.0])
    assert np.max(np.abs(mixed.theta(u, near) - pspin.theta(u, 3))) < 1e-8
    for k in (0, 3):
        assert np.max(np.abs(mixed.theta(u, near, k) - pspin.theta(u, 3, k))) < 1e-7
    assert mixed.threshold(near, 0) == pytest.approx(pspin.threshold(3, 0), abs=1e-8)
    assert mixed.e_inf(near) == pytest.approx(pspin.e_inf(3), abs=1e-9)


def test_e_inf_is_where_the_maximiser_reaches_the_edge():
    e = mixed.e_inf(MIX)
    ys = np.linspace(-8, 0, 800001)
    s, t = brute_S(-e, ys, MIX)
    assert t[np.argmax(s)] == pytest.approx(-math.sqrt(2), abs=1e-4)


def test_thresholds_are_roots_and_ordered():
    e0, e1, e5 = (mixed.threshold(MIX, k) for k in (0, 1, 5))
    assert e0 > e1 > e5 > mixed.e_inf(MIX)
    assert abs(mixed.theta(-e0, MIX, 0)) < 1e-12


def test_mpmath_path_30_digits():
    for u, k in ((-1.0, None), (-1.3, 0), (-1.6, 1)):
        a = mixed.theta(u, MIX, k, dps=30)
        b = mixed.theta(u, MIX, k, dps=50)
        with mpmath.workdps(50):
            assert abs(a - b) < mpmath.mpf(10) ** -28
        assert float(a) == pytest.approx(mixed.theta(u, MIX, k), abs=1e-12)


def test_bad_input():
    with pytest.raises(ValueError, match="mixture exponent"):
        mixed.Mixture({1: 1.0})
    with pytest.raises(ValueError, match="beta_3"):
        mixed.Mixture({3: -1.0})
    with pytest.raises(ValueError, match="at least one"):
        mixed.Mixture({3: 0.0})
    with pytest.raises(ValueError, match=r"\bk\b"):
        mixed.theta(0.0, MIX, -1)
    with pytest.raises(ValueError, match=r"\bu\b"):
        mixed.theta(float("nan"), MIX)


# ----------------------------------------------------------------------------- N = 2
def _kac_rice_n2(mix, cut=np.inf):
    """Exact E Crt_2((-inf, cut]) from the derived finite-N formula (docs: complexity.symbolic)."""
    n = 2
    xi0, xi1, xi2 = mix.xi, mix.dxi, mix.d2xi
    pref = 2 * math.pi * math.sqrt(2) * math.sqrt(2 * xi2 / (2 * math.pi * xi1))  # Vol(S^1(sqrt2)) ...
    cov = np.array([[xi0, xi1], [xi1, xi2 + xi1]]) / n
    inv = np.linalg.inv(cov)
    norm = 1 / (2 * math.pi * math.sqrt(np.linalg.det(cov)))
    s = math.sqrt(1 / n)  # GOE_1 with N = 2 scaling: N(0, 1/N)

    def e_abs(t):  # E|m - t|, m ~ N(0, s^2)
        return t * special.erf(t / (s * math.sqrt(2))) + s * math.sqrt(2 / math.pi) * math.exp(-t * t / (2 * s * s))

    def integrand(y, u):
        z = np.array([u, y])
        return norm * math.exp(-0.5 * z @ inv @ z) * e_abs(y / math.sqrt(2 * xi2))

    hi = min(cut, 12.0)
    val, _ = integrate.dblquad(integrand, -12.0, hi, -30.0, 30.0, epsabs=1e-11, epsrel=1e-10)
    return pref * val


def _energies_of_critical_points(mix, rng, m=2048):
    n = 2
    th = np.arange(m) * 2 * math.pi / m
    s = math.sqrt(2) * np.stack([np.cos(th), np.sin(th)])  # (2, m)
    h = np.zeros(m)
    for p, b2 in mix.terms:
        j = rng.standard_normal((n,) * p)
        term = np.einsum("i...,im->m...", j, s)  # contract one index at a time with sigma(theta)
        for _ in range(p - 1):
            term = np.einsum("mi...,im->m...", term, s)
        h += math.sqrt(b2) * n ** (-(p - 1) / 2) * term
    coef = np.fft.rfft(h)
    k = np.arange(coef.size)
    dh = np.fft.irfft(1j * k * coef, n=m)
    sign = np.sign(dh)
    idx = np.nonzero(sign != np.roll(sign, -1))[0]
    # linear interpolation of the root, energy by the trigonometric interpolant there
    out = []
    for i in idx:
        a, b = dh[i], dh[(i + 1) % m]
        frac = a / (a - b)
        t0 = th[i] + frac * 2 * math.pi / m
        e = (coef[0].real + 2 * np.sum((coef[1:] * np.exp(1j * k[1:] * t0)).real)) / m
        out.append(e / n)
    return np.array(out)


@pytest.mark.slow
@pytest.mark.parametrize("mix", [MIX, MIX4])
def test_n2_kac_rice_against_direct_counting(mix):
    rng = np.random.default_rng(2024)
    samples = 3000
    cut = -0.5
    totals, below = np.empty(samples), np.empty(samples)
    for i in range(samples):
        e = _energies_of_critical_points(mix, rng)
        totals[i], below[i] = e.size, np.sum(e <= cut)
    for counts, c in ((totals, np.inf), (below, cut)):
        exact = _kac_rice_n2(mix, c)
        se = counts.std(ddof=1) / math.sqrt(samples)
        assert abs(counts.mean() - exact) < 4 * se + 1e-9, (counts.mean(), exact, se)
