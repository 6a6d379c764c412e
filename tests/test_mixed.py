"""Mixed spherical spin glasses (complexity.models.mixed) against independent oracles.

* the pure closed forms of ABC (MATH.md section 2), written here in mpmath;
* brute force: the variational formula maximised on dense grids with scipy's bounded
  Brent refinement (no use of the module's root finders or concavity arguments);
* the mpmath path at two precisions against each other and the float path;
* exact finite-N counts: ABC's pure formula (complexity.models.pspin_finite), an
  explicit N = 2 double integral, Monte Carlo of E|det(M - t)|;
* direct counting: all critical points of sampled mixed instances on the circle (N = 2).
"""

import functools
import math

import mpmath
import numpy as np
import pytest
from scipy import integrate, optimize, special

from complexity.models import mixed, pspin_finite
from complexity.models.mixed import Mixture
from complexity.rmt import goe, goe_exact

MIX23 = Mixture({2: 0.5, 3: 0.5})
MIX24 = Mixture({2: 0.3, 4: 0.7})
MIX346 = Mixture([(3, 1.0), (4, 0.5), (6, 0.2)])
GENUINE = [MIX23, MIX24, MIX346]
SQ2 = math.sqrt(2.0)


# ------------------------------------------------------------------ pure closed forms (MATH.md section 2)
def e_inf_cf(p):
    return 2 * mpmath.sqrt(mpmath.mpf(p - 1) / p)


def i1_cf(u, p):
    e = e_inf_cf(p)
    s = mpmath.sqrt(u * u - e * e)
    return -(u / e**2) * s - mpmath.log(-u + s) + mpmath.log(e)


def theta_k_cf(u, p, k):
    u = mpmath.mpf(u)
    base = mpmath.log(p - 1) / 2
    if u <= -e_inf_cf(p):
        return base - mpmath.mpf(p - 2) / (4 * (p - 1)) * u * u - (k + 1) * i1_cf(u, p)
    return base - mpmath.mpf(p - 2) / p


def theta_cf(u, p):
    u = mpmath.mpf(u)
    base = mpmath.log(p - 1) / 2
    quad = mpmath.mpf(p - 2) / (4 * (p - 1)) * u * u
    if u <= -e_inf_cf(p):
        return base - quad - i1_cf(u, p)
    if u <= 0:
        return base - quad
    return base


def e_k_cf(p, k, guess):
    return mpmath.findroot(lambda e: theta_k_cf(-e, p, k), mpmath.mpf(guess))


@pytest.mark.parametrize("p", [3, 4, 5])
def test_pure_float_path_matches_closed_forms(p):
    pure = Mixture.pure(p)
    us = [-2.6, -2.0, -1.8, -1.7, -1.6, -1.2, -0.4, 0.0, 0.7]
    got = mixed.mixed_theta(np.array(us), pure)
    want = [float(theta_cf(u, p)) for u in us]
    assert np.max(np.abs(got - want)) < 1e-13
    for k in (0, 1, 4):
        got = mixed.mixed_theta_k(np.array(us), pure, k)
        want = [float(theta_k_cf(u, p, k)) for u in us]
        assert np.max(np.abs(got - want)) < 1e-13
    assert mixed.mixed_e_inf(pure) == pytest.approx(float(e_inf_cf(p)), abs=1e-15)


def test_pure_mp_path_30_digits_and_public_values():
    with mpmath.workdps(50):
        for p in (3, 4):
            pure = Mixture.pure(p)
            for u, k in (("-1.9", None), ("-1.2", None), ("-1.75", 0), ("-1.9", 3), ("-0.5", 2)):
                got = mixed.mixed_theta_mp(u, pure, dps=40) if k is None else mixed.mixed_theta_k_mp(u, pure, k, dps=40)
                want = theta_cf(mpmath.mpf(u), p) if k is None else theta_k_cf(mpmath.mpf(u), p, k)
                assert abs(got - want) < mpmath.mpf(10) ** -38
            assert abs(mixed.mixed_e_inf_mp(pure, 40) - e_inf_cf(p)) < mpmath.mpf(10) ** -39
            for k in (0, 1, 5):
                want = e_k_cf(p, k, mixed.mixed_threshold(pure, k))
                assert abs(mixed.mixed_threshold_mp(pure, k, dps=40) - want) < mpmath.mpf(10) ** -38
                assert mixed.mixed_threshold(pure, k) == pytest.approx(float(want), abs=2e-15)
    # the published p = 3 values
    assert mpmath.nstr(mixed.mixed_e_inf_mp(Mixture.pure(3), 30), 6) == "1.63299"
    assert mixed.mixed_threshold(Mixture.pure(3), 0) == pytest.approx(1.6570, abs=5e-5)


def test_scaled_pure_model_is_theta_of_u_over_beta():
    pure = Mixture({3: 4.0})  # H = 2 H_3
    us = np.array([-4.0, -3.4, -2.0, 0.3])
    assert np.max(np.abs(mixed.mixed_theta(us, pure) - [float(theta_cf(u / 2, 3)) for u in us])) < 1e-13
    assert np.max(np.abs(mixed.mixed_theta_k(us, pure, 2) - [float(theta_k_cf(u / 2, 3, 2)) for u in us])) < 1e-13
    assert mixed.mixed_threshold(pure, 1) == pytest.approx(2 * float(e_k_cf(3, 1, 1.64)), abs=1e-14)


def test_pure_limit_is_continuous():
    near = Mixture({3: 1.0, 4: 1e-9})
    us = np.array([-1.8, -1.66, -1.64, -1.0, 0.5])
    pure = Mixture.pure(3)
    assert np.max(np.abs(mixed.mixed_theta(us, near) - mixed.mixed_theta(us, pure))) < 1e-7
    for k in (0, 3):
        assert np.max(np.abs(mixed.mixed_theta_k(us, near, k) - mixed.mixed_theta_k(us, pure, k))) < 1e-6
    assert mixed.mixed_threshold(near, 0) == pytest.approx(mixed.mixed_threshold(pure, 0), abs=1e-7)


# ------------------------------------------------------------------ brute force for genuine mixtures
def s_brute(u, y, mix):
    """S(u, y) - with the GOE log-potential of complexity.rmt.goe (not the generated module)."""
    xi0, xi1, xi2 = mix.xi, mix.dxi, mix.d2xi
    a2 = xi2 + xi1 - xi1**2 / xi0
    t = y / math.sqrt(2 * xi2)
    val = 0.5 + 0.5 * math.log(2 * xi2 / xi1) - u * u / (2 * xi0) - (y - u * xi1 / xi0) ** 2 / (2 * a2)
    return val + goe.log_potential(t), t


def v_brute(u, mix, k=None, return_t=False):
    """sup_y S(u, y) (k=None) or sup_{t <= -sqrt2} [S - k J(t)]: grid of step 1e-3, then Brent."""
    c2 = math.sqrt(2 * mix.d2xi)
    hi = 30.0 if k is None else -SQ2 * c2

    def f(y):
        s, t = s_brute(u, np.asarray(y, dtype=float), mix)
        return s if k is None else s - k * goe.edge_rate(t)

    ys = np.linspace(-30.0, hi, int((hi + 30.0) / 1e-3) + 1)
    vals = f(ys)
    i = int(np.argmax(vals))
    a, b = ys[max(i - 2, 0)], ys[min(i + 2, ys.size - 1)]
    res = optimize.minimize_scalar(lambda y: -float(f(y)), bounds=(a, b), method="bounded",
                                   options={"xatol": 1e-12})
    best = max(-res.fun, vals[i])
    y = res.x if -res.fun >= vals[i] else ys[i]
    return (best, y / c2) if return_t else best


@functools.lru_cache(maxsize=None)
def u_star_brute(mix, k):
    """argmax_u of v_brute (a scan over u, then bounded Brent): no concavity assumed in the scan."""
    us = np.linspace(-4.0, 2.0, 61)
    vals = [v_brute(u, mix, k) for u in us]
    i = int(np.argmax(vals))
    res = optimize.minimize_scalar(lambda u: -v_brute(u, mix, k), bounds=(us[max(i - 1, 0)], us[min(i + 1, 60)]),
                                   method="bounded", options={"xatol": 1e-9})
    return res.x, -res.fun


@pytest.mark.parametrize("mix", GENUINE, ids=["2+3", "2+4", "3+4+6"])
def test_total_complexity_against_brute_force(mix):
    us = [-3.0, -2.2, -1.6, -1.0, -0.3]
    got = mixed.mixed_theta(np.array(us), mix)
    want = [v_brute(u, mix) for u in us]
    assert np.max(np.abs(got - want)) < 1e-10
    ustar, top = u_star_brute(mix, None)
    assert abs(ustar) < 1e-6  # the maximiser of the total complexity is u = 0
    assert mixed.mixed_theta(0.8, mix) == pytest.approx(top, abs=1e-10)
    # V itself in the right outer region (t > sqrt2), which the public Theta never needs
    ctx = mixed._Ctx(mix, None)
    for u in (1.0, 2.5, 4.0):
        assert ctx.V(u, 0, False) == pytest.approx(v_brute(u, mix), abs=1e-10)


@pytest.mark.parametrize("mix", GENUINE, ids=["2+3", "2+4", "3+4+6"])
@pytest.mark.parametrize("k", [0, 2])
def test_index_k_complexity_against_brute_force(mix, k):
    ustar, top = u_star_brute(mix, k)
    us = np.array([-3.0, -2.2, -1.8, ustar - 0.05, ustar + 0.05, 0.5])
    got = mixed.mixed_theta_k(us, mix, k)
    want = [v_brute(u, mix, k) if u <= ustar else top for u in us]
    assert np.max(np.abs(got - want)) < 1e-9


@pytest.mark.parametrize("mix", GENUINE, ids=["2+3", "2+4", "3+4+6"])
def test_e_inf_is_where_the_maximiser_reaches_the_edge(mix):
    e = mixed.mixed_e_inf(mix)
    xi0, xi1, xi2 = mix.xi, mix.dxi, mix.d2xi
    assert e == pytest.approx((xi0 / xi1) * (xi2 - xi1 + xi1**2 / xi0) / math.sqrt(xi2), rel=1e-15)
    _, t_at = v_brute(-e, mix, return_t=True)
    assert t_at == pytest.approx(-SQ2, abs=1e-6)
    _, t_below = v_brute(-e - 0.05, mix, return_t=True)
    _, t_above = v_brute(-e + 0.05, mix, return_t=True)
    assert t_below < -SQ2 < t_above
    # below -E_inf all critical points are minima at exponential scale: Theta = Theta_0
    us = np.linspace(-3.0, -e, 7)
    assert np.max(np.abs(mixed.mixed_theta(us, mix) - mixed.mixed_theta_k(us, mix, 0))) < 1e-14


FULL = Mixture({2: 0.9, 10: 0.1})  # Theta(-E_inf) < 0: no layered band of thresholds


@pytest.mark.parametrize("mix", GENUINE + [FULL], ids=["2+3", "2+4", "3+4+6", "2+10"])
def test_thresholds_are_ordered_roots_with_the_edge_limit(mix):
    ek = [mixed.mixed_threshold(mix, k) for k in (0, 1, 2, 5, 400)]
    assert all(a >= b - 1e-13 for a, b in zip(ek, ek[1:]))
    for k, e in zip((0, 1, 2), ek):
        assert abs(v_brute(-e, mix, k)) < 1e-10  # roots of the brute-force Theta_k (they are below u*)
    # the E_k decrease to the root of W(u) = S(u, y at the edge t = -sqrt2), not to E_inf
    c2 = math.sqrt(2 * mix.d2xi)

    def w(u):
        return float(s_brute(u, -SQ2 * c2, mix)[0])

    top = optimize.minimize_scalar(lambda u: -w(u), bounds=(-6, 2), method="bounded").x
    lim = -optimize.brentq(w, top - 10, top, xtol=1e-15)
    assert mixed.mixed_threshold_limit(mix) == pytest.approx(lim, abs=1e-13)
    assert -1e-13 <= ek[-1] - lim < 2e-6
    e_inf = mixed.mixed_e_inf(mix)
    theta_at_e_inf = mixed.mixed_theta(-e_inf, mix)
    assert w(-e_inf) == pytest.approx(theta_at_e_inf, abs=1e-13)
    if theta_at_e_inf > 0:  # layered: E_0 > E_1 > ... > lim > E_inf
        assert all(a > b for a, b in zip(ek, ek[1:])) and lim > e_inf
    else:  # every E_k equals the limit, below E_inf
        assert max(ek) - min(ek) < 1e-12 and lim < e_inf


def test_mp_path_against_itself_and_the_float_path():
    for mix in (MIX23, MIX346):
        for u, k in ((-1.0, None), (-2.4, None), (-1.3, 0), (-1.6, 1), (-2.5, 3), (0.4, 2)):
            a = mixed.mixed_theta_mp(u, mix, 35) if k is None else mixed.mixed_theta_k_mp(u, mix, k, 35)
            b = mixed.mixed_theta_mp(u, mix, 60) if k is None else mixed.mixed_theta_k_mp(u, mix, k, 60)
            with mpmath.workdps(60):
                assert abs(a - b) < mpmath.mpf(10) ** -33
            f = mixed.mixed_theta(u, mix) if k is None else mixed.mixed_theta_k(u, mix, k)
            assert float(a) == pytest.approx(f, abs=2e-15)
        for k in (0, 3):
            a, b = mixed.mixed_threshold_mp(mix, k, 32), mixed.mixed_threshold_mp(mix, k, 60)
            with mpmath.workdps(60):
                assert abs(a - b) < mpmath.mpf(10) ** -31
                assert abs(mixed.mixed_theta_k_mp(-b, mix, k, 60)) < mpmath.mpf(10) ** -55
            assert float(a) == pytest.approx(mixed.mixed_threshold(mix, k), abs=4e-15)


# ------------------------------------------------------------------ exact finite-N counts
def test_abs_det_identity_by_monte_carlo():
    rng = np.random.default_rng(11)
    for n in (3, 4):
        a = rng.standard_normal((200000, n - 1, n - 1))
        m = (a + np.swapaxes(a, 1, 2)) * math.sqrt(1.0 / (4 * n))  # GOE_{n-1} normalised by n
        for t in (-1.7, -0.4, 0.9):
            d = np.abs(np.linalg.det(m - t * np.eye(n - 1)))
            want = math.exp(mixed.log_abs_det_goe(n) + n * t * t / 2) * float(goe_exact.goe_density(t, n))
            assert abs(d.mean() - want) < 4 * d.std() / math.sqrt(d.size)


@pytest.mark.parametrize("n", [2, 3, 8, 30])
def test_pure_counts_are_abc_formula(n):
    for p in (3, 4):
        for u in (None, -1.6, -0.9, 0.4):
            want = pspin_finite.expected_count(p, n, u).expected
            assert mixed.mixed_expected_count(Mixture.pure(p), n, u) == pytest.approx(want, rel=1e-12)
        if n <= 3:
            for k in range(n):
                want = pspin_finite.expected_count(p, n, -1.2, k).expected
                assert mixed.mixed_expected_count(Mixture.pure(p), n, -1.2, k) == pytest.approx(want, rel=1e-12)


def kac_rice_n2(mix, cut=math.inf, k=None):
    """E Crt_2 by a double integral over (u, y) with E|m - t| explicit, m ~ N(0, 1/2) (GOE_1, N = 2)."""
    n = 2
    xi0, xi1, xi2 = mix.xi, mix.dxi, mix.d2xi
    const = 2 * math.pi * math.sqrt(2) * math.sqrt(2 * xi2 / (2 * math.pi * xi1))  # Vol(S^1(sqrt 2)) ...
    cov = np.array([[xi0, xi1], [xi1, xi2 + xi1]]) / n
    inv, norm = np.linalg.inv(cov), 1 / (2 * math.pi * math.sqrt(np.linalg.det(cov)))
    s = math.sqrt(1 / n)

    def e_pos(t):  # E (m - t)^+ : the minima (Hessian sqrt(2 xi2)(m - t) > 0)
        return s * math.exp(-t * t / (2 * s * s)) / math.sqrt(2 * math.pi) - t * special.ndtr(-t / s)

    def e_abs(t):
        return {None: e_pos(t) + e_pos(-t), 0: e_pos(t), 1: e_pos(-t)}[k]

    def integrand(y, u):
        z = np.array([u, y])
        return norm * math.exp(-0.5 * z @ inv @ z) * e_abs(y / math.sqrt(2 * xi2))

    val, _ = integrate.dblquad(integrand, -8.0, min(cut, 8.0), -25.0, 25.0, epsabs=1e-12, epsrel=1e-11)
    return const * val


@pytest.mark.parametrize("mix", [MIX23, MIX24], ids=["2+3", "2+4"])
def test_n2_counts_against_explicit_double_integral(mix):
    for cut, k in ((math.inf, None), (-0.5, None), (-0.5, 0), (-0.5, 1), (0.3, 0)):
        got = mixed.mixed_expected_count(mix, 2, None if cut == math.inf else cut, k)
        assert got == pytest.approx(kac_rice_n2(mix, cut, k), rel=1e-8)


# ------------------------------------------------------------------ direct counting at N = 2
def circle_critical_points(mix, samples, rng):
    """All critical points of sampled instances on sigma = sqrt2 (cos th, sin th).

    H(th) is a trigonometric polynomial of degree P = max p; its exact Fourier
    coefficients come from an FFT of M = 4P + 4 samples, and z^P dH/dth (z = e^{i th})
    is a polynomial of degree 2P whose unit-circle roots are the critical points
    (batched companion-matrix eigenvalues, then Newton polish in th).
    Returns energies u = H/N, second derivatives, an on-circle mask, and the number
    of sign changes of dH/dth on a 512-point grid (an independent count).
    """
    n = 2
    P = max(p for p, _ in mix.terms)
    m = 4 * P + 4
    th = 2 * math.pi * np.arange(m) / m
    sig = SQ2 * np.stack([np.cos(th), np.sin(th)], axis=1)  # (m, 2)
    h = np.zeros((samples, m))
    for p, b2 in mix.terms:
        tens = sig
        for _ in range(p - 1):
            tens = (tens[:, :, None] * sig[:, None, :]).reshape(m, -1)  # all ordered products
        j = rng.standard_normal((samples, 2**p))
        h += math.sqrt(b2) * n ** (-(p - 1) / 2) * j @ tens.T
    c = np.fft.fft(h, axis=1) / m
    freqs = np.arange(-P, P + 1)
    coef = c[:, freqs % m]  # c_j, j = -P..P
    a = 1j * freqs[None, :] * coef  # z^P H' = sum_j (i j c_j) z^(j+P): ascending powers
    comp = np.zeros((samples, 2 * P, 2 * P), dtype=complex)
    comp[:, 0, :] = -a[:, -2::-1] / a[:, -1:]
    comp[:, np.arange(1, 2 * P), np.arange(2 * P - 1)] = 1.0
    z = np.linalg.eigvals(comp)
    on = np.abs(np.abs(z) - 1.0) < 1e-6
    t = np.angle(z)
    for _ in range(4):
        e = np.exp(1j * t[:, :, None] * freqs[None, None, :])
        d1 = np.real(np.sum(1j * freqs * coef[:, None, :] * e, axis=2))
        d2 = np.real(np.sum(-(freqs**2) * coef[:, None, :] * e, axis=2))
        t = t - np.where(on, d1 / np.where(d2 == 0, 1.0, d2), 0.0)
    e = np.exp(1j * t[:, :, None] * freqs[None, None, :])
    energy = np.real(np.sum(coef[:, None, :] * e, axis=2)) / n
    d2 = np.real(np.sum(-(freqs**2) * coef[:, None, :] * e, axis=2))
    grid = 2 * math.pi * np.arange(512) / 512
    dgrid = np.real((1j * freqs * coef) @ np.exp(1j * freqs[:, None] * grid[None, :]))
    sign_changes = np.sum(np.sign(dgrid) != np.sign(np.roll(dgrid, -1, axis=1)), axis=1)
    return energy, d2, on, sign_changes


@pytest.mark.slow
@pytest.mark.parametrize("mix, seed", [(MIX23, 2024), (MIX24, 7), (MIX346, 99)], ids=["2+3", "2+4", "3+4+6"])
def test_n2_kac_rice_against_direct_counting(mix, seed):
    rng = np.random.default_rng(seed)
    samples, cut = 20000, -0.5
    energy, d2, on, sign_changes = circle_critical_points(mix, samples, rng)
    total = on.sum(axis=1)
    minima = (on & (d2 > 0)).sum(axis=1)
    assert np.all(total % 2 == 0) and np.all(2 * minima == total)  # minima and maxima alternate
    assert np.mean(sign_changes != total) < 1e-3  # the grid count agrees (it can miss close pairs)
    below = on & (energy <= cut)
    checks = {
        "total": (total, mixed.mixed_expected_count(mix, 2)),
        "u <= -0.5": (below.sum(axis=1), mixed.mixed_expected_count(mix, 2, cut)),
        "minima, u <= -0.5": ((below & (d2 > 0)).sum(axis=1), mixed.mixed_expected_count(mix, 2, cut, 0)),
        "maxima, u <= -0.5": ((below & (d2 < 0)).sum(axis=1), mixed.mixed_expected_count(mix, 2, cut, 1)),
    }
    for name, (counts, exact) in checks.items():
        se = counts.std(ddof=1) / math.sqrt(samples)
        assert abs(counts.mean() - exact) < 4 * se, (name, counts.mean(), exact, se)


# ------------------------------------------------------------------ bad input
def test_bad_input_names_the_parameter():
    with pytest.raises(ValueError, match="mixture exponent"):
        Mixture({1: 1.0})
    with pytest.raises(ValueError, match="mixture exponent"):
        Mixture({2.5: 1.0})
    with pytest.raises(ValueError, match="beta_3"):
        Mixture({3: -1.0})
    with pytest.raises(ValueError, match="beta_3"):
        Mixture({3: float("nan")})
    with pytest.raises(ValueError, match="at least one"):
        Mixture({3: 0.0})
    with pytest.raises(ValueError, match="terms"):
        Mixture(3)
    with pytest.raises(ValueError, match=r"\bu\b"):
        mixed.mixed_theta(float("nan"), MIX23)
    with pytest.raises(ValueError, match=r"\bu\b"):
        mixed.mixed_theta([0.0, float("inf")], MIX23)
    with pytest.raises(ValueError, match=r"\bu\b"):
        mixed.mixed_theta_mp("nan", MIX23)
    with pytest.raises(ValueError, match=r"\bk\b"):
        mixed.mixed_theta_k(0.0, MIX23, -1)
    with pytest.raises(ValueError, match=r"\bk\b"):
        mixed.mixed_threshold(MIX23, 1.5)
    with pytest.raises(ValueError, match="dps"):
        mixed.mixed_theta_mp(0.0, MIX23, dps=2)
    with pytest.raises(ValueError, match=r"\bn\b"):
        mixed.mixed_expected_count(MIX23, 1)
    with pytest.raises(ValueError, match=r"\bk\b"):
        mixed.mixed_expected_count(MIX23, 5, 0.0, 1)
    with pytest.raises(ValueError, match=r"\bu\b"):
        mixed.mixed_expected_count(MIX23, 3, float("inf"))
    with pytest.raises(ValueError, match="no threshold"):
        mixed.mixed_threshold(Mixture.pure(2), 0)  # the 2-spin has Theta <= 0 everywhere
