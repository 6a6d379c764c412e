"""Pure p-spin complexity: the fast and the mpmath paths against ABC's closed forms,
written here independently of the generated code."""

import math

import mpmath
import numpy as np
import pytest

from complexity.models import pspin


def abc_theta(u, p, k=None, ctx=mpmath):
    """ABC 2013 / MATH.md section 2, typed in from the papers (not from the package)."""
    e = 2 * ctx.sqrt(ctx.mpf(p - 1) / p)
    base = ctx.log(p - 1) / 2 - ctx.mpf(p - 2) / (4 * (p - 1)) * u * u
    if u <= -e:
        r = ctx.sqrt(u * u - e * e)
        i1 = -(u / e**2) * r - ctx.log(-u + r) + ctx.log(e)
    else:
        i1 = 0
    if k is None:
        if u <= -e:
            return base - i1
        return base if u <= 0 else ctx.log(p - 1) / 2
    if u <= -e:
        return base - (k + 1) * i1
    return ctx.log(p - 1) / 2 - ctx.mpf(p - 2) / p


@pytest.mark.parametrize("p", [3, 4, 5, 10, 30])
def test_e_inf_closed_form_50_digits(p):
    with mpmath.workdps(60):
        ref = 2 * mpmath.sqrt(mpmath.mpf(p - 1) / p)
        assert abs(pspin.e_inf(p, dps=50) - ref) < mpmath.mpf(10) ** -49
    assert pspin.e_inf(p) == pytest.approx(float(ref), rel=1e-15)


def test_theta_float_matches_closed_form():
    rng = np.random.default_rng(0)
    for p in (3, 4, 7):
        u = rng.uniform(-4, 1, 400)
        for k in (None, 0, 1, 4):
            got = pspin.theta(u, p, k)
            ref = np.array([float(abc_theta(mpmath.mpf(x), p, k)) for x in u])
            assert np.max(np.abs(got - ref)) < 1e-12


def test_theta_mpmath_path_30_digits():
    rng = np.random.default_rng(1)
    with mpmath.workdps(50):
        for p in (3, 5):
            for x in rng.uniform(-3, 0.5, 20):
                for k in (None, 0, 3):
                    got = pspin.theta(x, p, k, dps=35)
                    ref = abc_theta(mpmath.mpf(x), p, k)
                    assert abs(got - ref) < mpmath.mpf(10) ** -32


def test_theta_shapes_and_scalars():
    assert isinstance(pspin.theta(-1.7, 3), float)
    assert pspin.theta(np.zeros((3, 4)), 3).shape == (3, 4)
    # just below the bulk edge the formula must not produce NaN
    e = pspin.e_inf(3)
    u = -e - np.logspace(-16, -6, 50)
    assert np.all(np.isfinite(pspin.theta(u, 3, 0)))
    assert np.all(np.isfinite(pspin.i1(u, 3)))


def test_thresholds_literature_and_order():
    einf, es = pspin.thresholds(3, 10)
    assert einf == pytest.approx(1.6329931618554521, abs=1e-15)
    assert round(es[0], 4) == 1.6570  # ABC / Choromanska: E_0(p=3) ~ 1.6570
    assert all(a > b for a, b in zip(es, es[1:]))
    assert es[-1] > einf


@pytest.mark.parametrize("p,k", [(3, 0), (3, 7), (4, 2), (10, 0)])
def test_thresholds_30_digits(p, k):
    e40 = pspin.threshold(p, k, dps=40)
    e80 = pspin.threshold(p, k, dps=80)
    with mpmath.workdps(90):
        assert abs(e40 - e80) < mpmath.mpf(10) ** -38
        # the root of the closed form (typed above), at 90 digits
        assert abs(abc_theta(-e80, p, k)) < mpmath.mpf(10) ** -75
    assert pspin.threshold(p, k) == pytest.approx(float(e80), abs=2e-15)


def test_p2_degenerate():
    assert pspin.theta(-1.0, 2) == 0.0
    assert pspin.theta(0.5, 2) == 0.0
    assert pspin.theta(-2.0, 2) < 0
    einf, es = pspin.thresholds(2, 3)
    assert es == [einf] * 4 and einf == pytest.approx(math.sqrt(2))


@pytest.mark.parametrize(
    "call,name",
    [
        (lambda: pspin.theta(0.0, 1), "p"),
        (lambda: pspin.theta(0.0, 3.5), "p"),
        (lambda: pspin.theta(0.0, 3, -1), "k"),
        (lambda: pspin.theta(float("nan"), 3), "u"),
        (lambda: pspin.theta([0.0, float("inf")], 3), "u"),
        (lambda: pspin.threshold(3, -2), "k"),
        (lambda: pspin.thresholds(3, -1), "kmax"),
        (lambda: pspin.theta(0.0, 3, dps=1), "dps"),
        (lambda: pspin.convert_energy(1.0, "abc", "total"), "n"),
        (lambda: pspin.convert_energy(1.0, "abc", "kelvin"), "to"),
    ],
)
def test_bad_input_names_the_parameter(call, name):
    with pytest.raises(ValueError, match=rf"\b{name}\b"):
        call()


def test_convert_energy():
    assert pspin.convert_energy(-1.657, "abc", "crisanti-sommers") == pytest.approx(-1.657 / math.sqrt(2))
    assert pspin.convert_energy(-1.0, "abc", "total", n=50) == -50.0
    assert pspin.convert_energy(-50.0, "total", "abc", n=50) == -1.0
