"""Exact finite-N Kac-Rice counts of the pure spherical p-spin against independent oracles."""

import argparse
import contextlib
import io
import json
import math

import numpy as np
import pytest
from scipy import integrate

from complexity.commands.pspin_finite import register_into
from complexity.models.pspin_finite import (
    CountResult,
    expected_count,
    expected_counts_by_index,
    monte_carlo_counts,
)
from complexity.rmt.goe import goe_eigenvalues
from complexity.rmt.goe_exact import goe_density_mp


def _pref(p, n):
    return 2 * math.sqrt(2 / p) * (p - 1) ** (n / 2)


@pytest.mark.parametrize("p", [2, 3, 4, 7])
def test_n1_total_is_two(p):
    for res in (expected_count(p, 1), expected_count(p, 1, k=0)):
        assert isinstance(res, CountResult) and res.method == "exact" and res.stderr == 0
        assert res.expected == pytest.approx(2.0, rel=1e-13)


@pytest.mark.parametrize("n", [1, 2, 3, 5, 20, 100, 200])
def test_p2_gives_two_per_index(n):
    """p = 2: a quadratic form on the sphere has 2 critical points of each index, 2N in all."""
    assert expected_count(2, n).expected == pytest.approx(2 * n, rel=1e-12)
    if n <= 3:
        for k in range(n):
            assert expected_count(2, n, k=k).expected == pytest.approx(2, rel=1e-12)


def test_p2_with_cut_is_twice_the_eigenvalue_cdf():
    lam = goe_eigenvalues(4, 40000, seed=3)
    for u in (-0.8, 0.2):
        exact = expected_count(2, 4, u).expected
        per_sample = 2 * (lam <= u).sum(axis=1)
        se = per_sample.std() / math.sqrt(len(per_sample))
        assert abs(per_sample.mean() - exact) < 4 * se


@pytest.mark.parametrize("n", [2, 3])
@pytest.mark.parametrize("p", [3, 4])
@pytest.mark.parametrize("u", [None, -1.2, 0.0, 0.4])
def test_index_resolved_sum_to_total(n, p, u):
    parts = [expected_count(p, n, u, k) for k in range(n)]
    assert all(r.method == "exact" for r in parts)
    assert sum(r.expected for r in parts) == pytest.approx(expected_count(p, n, u).expected, rel=1e-11)


@pytest.mark.parametrize("p,u", [(3, None), (3, -0.7), (4, 0.3)])
def test_n2_index_zero_against_joint_density(p, u):
    """E[exp(-a l_0^2) 1{l_0 <= s u}] by a 2-D integral of the GOE_2 joint density."""
    n, g = 2, 2.0
    a = n * (p - 2) / (2 * p)
    c = 9.0 if u is None else math.sqrt(p / (2 * (p - 1))) * u
    z = 2 / math.sqrt(math.pi * g) * (2 * math.pi / g) / 2  # ordered: half of the full integral
    num, _ = integrate.dblquad(lambda y, x: (y - x) * math.exp(-g * (x * x + y * y) / 2 - a * x * x),
                               -9, c, lambda x: x, 9, epsabs=1e-14, epsrel=1e-12)
    ref = _pref(p, n) * num / z
    assert expected_count(p, n, u, 0).expected == pytest.approx(ref, rel=1e-9)


@pytest.mark.parametrize("n,p,u", [(5, 3, None), (12, 4, -0.9), pytest.param(30, 3, 0.2, marks=pytest.mark.slow)])
def test_total_against_adaptive_quadrature_of_mpmath_density(n, p, u):
    """The total count by scipy's adaptive quad of the (independent) mpmath density."""
    a = n * (p - 2) / (2 * p)
    hi = math.sqrt(2) + 12 / math.sqrt(n)
    top = hi if u is None else min(hi, math.sqrt(p / (2 * (p - 1))) * u)
    val, err = integrate.quad(lambda t: math.exp(-a * t * t) * float(goe_density_mp(t, n, dps=18)), -hi, top,
                              epsabs=0, epsrel=1e-12, limit=400)
    ref = _pref(p, n) * n * val
    assert expected_count(p, n, u).expected == pytest.approx(ref, rel=1e-10)


@pytest.mark.parametrize("p", [3, 4])
def test_total_against_goe_monte_carlo(p):
    """N = 6: the exact total against a dense-GOE Monte Carlo of sum_k exp(-a l_k^2)."""
    n = 6
    lam = goe_eigenvalues(n, 40000, seed=17 + p)
    a = n * (p - 2) / (2 * p)
    for u in (None, -0.8):
        cut = np.inf if u is None else math.sqrt(p / (2 * (p - 1))) * u
        w = _pref(p, n) * np.where(lam <= cut, np.exp(-a * lam * lam), 0).sum(axis=1)
        se = w.std() / math.sqrt(len(w))
        assert abs(w.mean() - expected_count(p, n, u).expected) < 4 * se


@pytest.mark.slow
def test_monte_carlo_index_counts_sum_to_exact_total_n100():
    n, p = 100, 3
    mean, se, tmean, tse = monte_carlo_counts(p, n, samples=4000, seed=8)
    exact = expected_count(p, n).expected
    assert mean.sum() == pytest.approx(tmean, rel=1e-12)
    assert abs(tmean - exact) < 4 * tse
    assert tse / exact < 0.01
    # with an energy cut below the bulk edge, where only low indices contribute
    u = -1.62
    mean, se, tmean, tse = monte_carlo_counts(p, n, u, samples=4000, seed=9)
    exact = expected_count(p, n, u).expected
    assert abs(tmean - exact) < 4 * tse


def test_monte_carlo_index_matches_exact_n3_path():
    """N = 3 index-resolved counts by Monte Carlo agree with the exact order-statistic path."""
    mean, se, _, _ = monte_carlo_counts(4, 3, -0.5, samples=40000, seed=4)
    for k in range(3):
        ex = expected_count(4, 3, -0.5, k).expected
        assert abs(mean[k] - ex) < 4 * se[k] + 1e-12


def test_index_resolved_monte_carlo_is_seeded_and_reported():
    r1 = expected_count(3, 6, -0.5, 1, samples=3000, seed=2)
    r2 = expected_count(3, 6, -0.5, 1, samples=3000, seed=2)
    assert r1 == r2 and r1.method == "monte-carlo" and r1.stderr > 0
    rows = expected_counts_by_index(3, 6, -0.5, samples=3000, seed=2)
    assert rows[1] == r1


def test_large_n_is_finite_and_near_the_annealed_complexity():
    """N = 200: finite; (1/N) log E Crt_N(R) tends to Theta_p(inf) = log(p-1)/2 (ABC)."""
    for p in (3, 4):
        val = expected_count(p, 200).expected
        assert math.isfinite(val) and val > 0
        assert abs(math.log(val) / 200 - 0.5 * math.log(p - 1)) < 0.03
    # deep below the ground state the count is (numerically) zero, not NaN
    assert expected_count(3, 100, -5.0).expected >= 0


def test_bad_input_names_the_parameter():
    for kwargs, name in [
        (dict(p=1, n=3), "p"),
        (dict(p=3.5, n=3), "p"),
        (dict(p=3, n=0), "n"),
        (dict(p=3, n=3, k=-1), "k"),
        (dict(p=3, n=3, k=3), "k"),
        (dict(p=3, n=3, u=float("nan")), "u"),
        (dict(p=3, n=3, u=float("inf")), "u"),
    ]:
        with pytest.raises(ValueError, match=rf"^{name} "):
            expected_count(**kwargs)
    with pytest.raises(ValueError, match="samples"):
        expected_count(3, 5, k=1, samples=1)


def _cli(argv):
    parser = argparse.ArgumentParser()
    register_into(parser.add_subparsers())
    args = parser.parse_args(argv)
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        rc = args.func(args)
    return rc, buf.getvalue()


def test_cli_count():
    rc, out = _cli(["count", "--p", "3", "--n", "5", "--u", "-1", "--json"])
    d = json.loads(out)
    assert rc == 0 and set(d) == {"expected", "stderr", "method"}
    assert d["expected"] == pytest.approx(expected_count(3, 5, -1).expected) and d["stderr"] == 0
    rc, out = _cli(["count", "--p", "3", "--n", "5", "--k", "0", "--samples", "2000", "--seed", "1", "--json"])
    assert json.loads(out)["method"] == "monte-carlo"
    with pytest.raises(ValueError, match="^k "):
        _cli(["count", "--p", "3", "--n", "5", "--k", "7", "--json"])
