"""The coupled model's asymptotic machinery: closed forms against brute force.

The log-potential of the block ensemble is tested in the random-matrix tests; here the
sup over v and the (x, x1) optimiser are tested against brute-force maximisation,
with a synthetic smooth log-potential standing in for Phi where only the optimiser is
under test.
"""

import math

import numpy as np
import pytest
from scipy.optimize import brentq, minimize_scalar

from complexity._generated import kac_rice as G
from complexity.models import gan


def gaussian_rate_bruteforce(a, v, r, p, q, kappa):
    """-(1/2) z^T Sigma^-1 z for z = (a, v, r), Sigma from the covariances (docs/gan_model.md)."""
    big = p + q
    cov = np.array(
        [
            [kappa, 0.0, 0.0],
            [0.0, 1.0, big * (1 - kappa)],
            [0.0, big * (1 - kappa), big * (big - 1) * (1 - kappa) ** 2 + big * (1 - kappa)],
        ]
    )
    z = np.stack(np.broadcast_arrays(a, v, r))
    return -0.5 * np.einsum("i...,i...->...", z, np.linalg.solve(cov, z.reshape(3, -1)).reshape(z.shape))


@pytest.mark.parametrize("p,q,sig,kap", [(3, 3, 1.0, 0.9), (2, 5, 0.3, 0.5), (5, 2, 2.0, 0.2)])
def test_gauss_sup_is_the_constrained_max_over_v(p, q, sig, kap):
    rng = np.random.default_rng(0)
    big = p + q
    for _ in range(6):
        x, x1 = rng.normal(0, 5, 2)
        ud, ug = rng.normal(0, 2, 2)
        r = (1 - kap) * x / sig

        def a_of(v):
            return (sig * big * v - x - kap * x1) / p  # s_D = -x - x1 solved for l_D / N

        # the cuts sigma v <= u_G and a(v) - sigma v <= u_D, located by root finding
        hi_g = brentq(lambda v: sig * v - ug, -1e4, 1e4)
        hi_d = brentq(lambda v: a_of(v) - sig * v - ud, -1e4, 1e4)
        hi = min(hi_g, hi_d)
        res = minimize_scalar(lambda v: -gaussian_rate_bruteforce(a_of(v), v, r, p, q, kap), bounds=(hi - 200, hi),
                              method="bounded", options={"xatol": 1e-12})
        brute = max(-res.fun, gaussian_rate_bruteforce(a_of(hi), hi, r, p, q, kap))  # interior or on the cut
        got = G.gan_gauss_sup(x, x1, ud, ug, np.inf, p, q, sig, kap)
        assert got == pytest.approx(brute, rel=1e-9, abs=1e-9)


def test_model_validation():
    with pytest.raises(ValueError, match="kappa"):
        gan.GanModel(3, 3, 1.0, 1.0)
    with pytest.raises(ValueError, match="sigma_z"):
        gan.GanModel(3, 3, 0.0, 0.5)
    with pytest.raises(ValueError, match=r"\bq\b"):
        gan.GanModel(3, 1, 1.0, 0.5)
    with pytest.raises(ValueError, match="convention"):
        gan.GanModel(3, 3, 1.0, 0.5, "other")


def test_reference_constants_match_the_published_code():
    m = gan.GanModel(3, 3, 1.0, 0.9, "reference")
    assert m.b == pytest.approx(math.sqrt(6 * 5 * 2**6))
    assert m.b1 == pytest.approx(math.sqrt(0.9 * 6))
    c = 6.5 * math.log(2) + 5 * math.log(math.pi) - 0.45 * math.log(3 + 6 * 64) - 0.05 * math.log(6 * 64) \
        - 0.45 * math.log(0.9) - 0.05 * math.log(0.1)
    assert m.constant == pytest.approx(c)


@pytest.fixture
def synthetic_phi(monkeypatch):
    def fake(self, x, x1):
        x = np.atleast_1d(np.asarray(x, float))
        x1 = np.atleast_1d(np.asarray(x1, float))
        # smooth, log-growing like a real log-potential, with structure only near the spectrum
        return 0.5 * np.log(1 + (x[None, :] - 1) ** 2 + 0.3 * (x1[:, None] + 2) ** 2) + 0.1 * np.sin(x[None, :] / 3) * np.exp(-x[None, :] ** 2 / 400)

    monkeypatch.setattr(gan.GanModel, "log_potential", fake)
    return fake


@pytest.mark.parametrize("ud,ug", [(np.inf, np.inf), (-1.0, 0.5), (0.0, -0.5), (-2.0, -1.0)])
def test_derived_optimiser_against_dense_grid(synthetic_phi, ud, ug):
    m = gan.GanModel(3, 3, 1.0, 0.9)
    res = m.theta(ud, ug)
    xs = np.linspace(res.x - 3, res.x + 3, 601)
    x1s = np.linspace(res.x1 - 3, res.x1 + 3, 601)
    vals = synthetic_phi(m, xs, x1s) + m._gauss(xs[None, :], x1s[:, None], ud, ug) + m.constant
    assert res.theta >= vals.max() - 1e-9
    assert res.theta == pytest.approx(vals.max(), abs=1e-4)
    # and no better point anywhere on a coarse global grid
    (xlo, xhi), (x1lo, x1hi) = m._box
    gx, gx1 = np.linspace(xlo, xhi, 801), np.linspace(x1lo, x1hi, 801)
    coarse = synthetic_phi(m, gx, gx1) + m._gauss(gx[None, :], gx1[:, None], ud, ug) + m.constant
    assert res.theta >= coarse.max() - 1e-9


@pytest.mark.parametrize("ud,ug", [(np.inf, np.inf), (-0.01, 0.004), (0.0, -0.005)])
def test_reference_optimiser_respects_the_region(synthetic_phi, ud, ug):
    m = gan.GanModel(3, 3, 1.0, 0.9, "reference")
    res = m.theta(ud, ug)
    a, p = m.region_slope, m.p
    assert res.x <= a * ug + 1e-6 and res.x1 >= -p * res.x / a - p * ud - 1e-6
    # brute force over the feasible part of a fine grid around the whole region
    (xlo, xhi), (x1lo, x1hi) = m._box
    gx = np.linspace(xlo, min(xhi, a * ug), 3001)
    gx1 = np.linspace(x1lo, x1hi, 601)
    vals = synthetic_phi(m, gx, gx1) + m._gauss(gx[None, :], gx1[:, None]) + m.constant
    feas = gx1[:, None] >= -p * gx[None, :] / a - p * ud
    assert res.theta >= np.where(feas, vals, -np.inf).max() - 1e-6


@pytest.mark.slow
def test_real_log_potential_theta_and_thresholds_are_consistent():
    """With the block ensemble's Phi: Theta is nondecreasing in each cut, the unconstrained
    value is the global maximum, the maximiser reproduces the value, and Theta vanishes at
    each threshold."""
    m = gan.GanModel(3, 3, 1.0, 0.9)
    top = m.theta(np.inf, np.inf)
    vals = [m.theta(u, np.inf).theta for u in (-3.0, -2.0, -1.0, 0.0)]
    assert all(a <= b + 1e-9 for a, b in zip(vals, vals[1:])) and vals[-1] <= top.theta + 1e-9
    r = m.theta(-1.0, 0.0)
    e, _ = m.exponent(r.x, r.x1, -1.0, 0.0)
    assert e == pytest.approx(r.theta, abs=1e-12)
    thr = m.thresholds()
    assert abs(m.theta(thr["u_D"], np.inf).theta) < 1e-6
    assert abs(m.theta(np.inf, thr["u_G"]).theta) < 1e-6
    ref = gan.GanModel(3, 3, 1.0, 0.9, "reference").theta(np.inf, np.inf)
    # the published exponent keeps growing to about 14.6 near |x| ~ 2170 (MATH.md section 3)
    assert ref.theta == pytest.approx(14.6, abs=0.05) and abs(abs(ref.x) - 2170) < 30


def test_cli_contract(capsys):
    import json

    from complexity.cli import main

    base = ["--p", "3", "--q", "3", "--sigma-z", "1", "--kappa", "0.9"]
    assert main(["gan", "exponent", *base, "--x", "-2000", "--x1", "1", "--convention", "reference", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"exponent", "log_potential"} and out["exponent"] == pytest.approx(14.478, abs=0.01)
    for argv, name in (
        (["gan", "theta", *base, "--u-d", "0", "--u-g", "0", "--k-d", "1", "--k-g", "1", "--json"], "k-d"),
        (["gan", "theta", *base, "--u-d", "0", "--u-g", "0", "--convention", "other", "--json"], "convention"),
        (["gan", "exponent", "--p", "3", "--q", "1", "--sigma-z", "1", "--kappa", "0.9", "--x", "0", "--x1", "0"], "q"),
        (["gan", "exponent", "--p", "3", "--q", "3", "--sigma-z", "-1", "--kappa", "0.9", "--x", "0", "--x1", "0"],
         "sigma_z"),
    ):
        assert main(argv) == 2
        assert name in capsys.readouterr().err
