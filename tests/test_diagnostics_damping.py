"""Effective damping of (s X + A + delta)^-1: closed form for one level, the self-consistent
equation by independent quadrature, Monte Carlo traces and resolvent entries at N >= 1000."""

import json
import math

import mpmath
import numpy as np
import pytest
from scipy import stats

from complexity.cli import main
from complexity.diagnostics import damping
from complexity.rmt.goe import sample_goe

spectra = pytest.importorskip("complexity.spectra")


@pytest.mark.parametrize("a,s,delta", [(1.0, 0.3, 0.2), (0.0, 0.5, 1.5), (2.0, 1.0, 0.5)])
def test_one_level_is_the_semicircle_closed_form(a, s, delta):
    # A = a I: H + delta = s X + (a + delta), t = -G_sc(-(a + delta)) with variance s^2:
    # s^2 t^2 - (a + delta) t + 1 = 0, the root that is ~ 1/(a + delta) as s -> 0
    out = damping.effective_damping(spectra.discrete([a], [1.0]), s, delta)
    u = a + delta
    t = (u - math.sqrt(u * u - 4 * s * s)) / (2 * s * s)
    assert out.trace == pytest.approx(t, rel=1e-12)
    assert out.delta_eff == pytest.approx(delta - s * s * t, rel=1e-12)
    assert damping.smallest_damping(spectra.discrete([a], [1.0]), s) == pytest.approx(2 * s - a, abs=1e-8)


def test_no_noise_and_bad_input():
    mu = spectra.discrete([1.0, 3.0], [0.5, 0.5])
    out = damping.effective_damping(mu, 0.0, 0.5)
    assert out.delta_eff == 0.5 and out.trace == pytest.approx(0.5 / 1.5 + 0.5 / 3.5)
    with pytest.raises(ValueError, match="delta must be >"):
        damping.effective_damping(mu, 0.0, -1.0)
    with pytest.raises(ValueError, match="delta must be >"):
        damping.effective_damping(mu, 1.0, -0.5)  # the left edge of s X + A is below 0
    with pytest.raises(ValueError, match="s \\(noise\\)"):
        damping.effective_damping(mu, -0.1, 0.5)


def test_self_consistency_by_independent_quadrature():
    # t = int dmu_A(a) / (a + delta_eff) with the Marchenko-Pastur density written here
    c, s, delta = 0.5, 0.4, 0.6
    out = damping.effective_damping(spectra.marchenko_pastur(c), s, delta)
    lo, hi = (1 - math.sqrt(c)) ** 2, (1 + math.sqrt(c)) ** 2
    with mpmath.workdps(25):
        rho = lambda x: mpmath.sqrt((hi - x) * (x - lo)) / (2 * mpmath.pi * c * x)  # noqa: E731
        t = mpmath.quad(lambda x: rho(x) / (x + out.delta_eff), [lo, hi])
    assert out.trace == pytest.approx(float(t), rel=1e-9)
    assert out.delta_eff == pytest.approx(delta - s * s * out.trace, rel=1e-12)


@pytest.mark.slow
@pytest.mark.parametrize("s,delta", [(0.3, 0.3), (0.8, 1.2)])  # smallest dampings 0.17, 0.93
def test_trace_and_resolvent_entries_monte_carlo(s, delta):
    # A = diag of two levels (weights 0.3 / 0.7); fixed directions v: e_0 (level 0.2),
    # e_{n-1} (level 1.5) and a mixed unit vector; against (A + delta_eff)^-1
    n = 1200
    levels, weights = [0.2, 1.5], [0.3, 0.7]
    k = int(0.3 * n)
    a = np.concatenate([np.full(k, 0.2), np.full(n - k, 1.5)])
    out = damping.effective_damping(spectra.discrete(levels, weights), s, delta)
    mix = np.zeros(n)
    mix[[0, 1, n - 2, n - 1]] = 0.5
    dirs = [np.eye(1, n, 0)[0], np.eye(1, n, n - 1)[0], mix]
    traces, entries = [], []
    for j in range(5):
        h = s * sample_goe(n, seed=1300 + j, scale="wigner")
        h[np.diag_indices(n)] += a + delta
        r = np.linalg.inv(h)
        traces.append(np.trace(r) / n)
        entries.append([v @ r @ v for v in dirs])
    traces, entries = np.array(traces), np.array(entries)
    t_q = stats.t.ppf(0.9995, 4)  # 8.6: a 0.1% false-alarm rate with a stderr from 5 samples
    se_t = traces.std(ddof=1) / math.sqrt(5)
    assert abs(traces.mean() - out.trace) < t_q * se_t + 3.0 / n
    pred = [np.sum(v * v / (a + out.delta_eff)) for v in dirs]
    se_e = entries.std(axis=0, ddof=1) / math.sqrt(5)
    assert np.all(np.abs(entries.mean(axis=0) - pred) < t_q * se_e + 3.0 / n)
    # and the prediction is not the undamped-shift one: delta_eff differs from delta measurably
    naive = [np.sum(v * v / (a + delta)) for v in dirs]
    assert np.any(np.abs(entries.mean(axis=0) - naive) > 10 * se_e)


@pytest.mark.slow
def test_smallest_damping_is_the_left_edge_monte_carlo():
    n, s = 1500, 0.5
    mu = spectra.discrete([0.5, 2.0], [0.5, 0.5])
    a = np.repeat([0.5, 2.0], n // 2)
    lows = [np.linalg.eigvalsh(s * sample_goe(n, seed=1400 + j, scale="wigner") + np.diag(a))[0] for j in range(3)]
    assert np.mean(lows) == pytest.approx(-damping.smallest_damping(mu, s), abs=0.02)  # N^(-2/3) edge scale


def test_cli_damping(capsys):
    args = ["rmt", "damping", "--levels", "0.2,1.5", "--weights", "0.3,0.7", "--s", "0.3", "--delta", "0.3", "--json"]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    ref = damping.effective_damping(spectra.discrete([0.2, 1.5], [0.3, 0.7]), 0.3, 0.3)
    assert out == pytest.approx({"delta_eff": ref.delta_eff, "trace": ref.trace})
    bad = ["rmt", "damping", "--levels", "0.2,1.5", "--weights", "0.3", "--s", "0.3", "--delta", "0.3", "--json"]
    assert main(bad) == 2
    assert "weights" in capsys.readouterr().err
    assert main(["rmt", "damping", "--levels", "1", "--weights", "1", "--s", "0.3", "--delta", "-5", "--json"]) == 2
    assert "delta" in capsys.readouterr().err
