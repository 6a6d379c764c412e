"""Outliers of a bulk plus a spike: BBP and Paul closed forms, Monte Carlo at N >= 1000 with
standard errors (top eigenpair by Lanczos), the batch-size law, the derivative quadrature."""

import json
import math

import numpy as np
import pytest
from scipy import stats
from scipy.sparse.linalg import eigsh

from complexity.cli import main
from complexity.diagnostics import _bulk, outliers
from complexity.rmt.goe import sample_goe

spectra = pytest.importorskip("complexity.spectra")


def _top(h, vec):
    """Largest eigenvalue and squared overlap of its eigenvector with ``vec`` (Lanczos)."""
    w, u = eigsh(h, k=1, which="LA", tol=1e-10)
    return float(w[0]), float((u[:, 0] @ vec) ** 2)


def _bottom(h, vec):
    w, u = eigsh(h, k=1, which="SA", tol=1e-10)
    return float(w[0]), float((u[:, 0] @ vec) ** 2)


def _mc(draw, samples):
    vals = np.array([draw(k) for k in range(samples)])
    return vals.mean(axis=0), vals.std(axis=0, ddof=1) / math.sqrt(samples)


def _close(mean, se, ref, n, samples=6):
    """|mean - ref| < t * stderr + 3/N: t the 99.95% Student quantile for samples - 1 degrees of
    freedom (6.9 at 6 samples: a 0.1% false-alarm rate with a stderr estimated from few samples),
    3/N an allowance for the O(1/N) finite-size bias."""
    return abs(mean - ref) < stats.t.ppf(0.9995, samples - 1) * se + 3.0 / n


# --- G and G' of the layer's measures -----------------------------------------------------------


def test_derivative_quadrature_semicircle_closed_form():
    mu = spectra.semicircle()  # wigner: G'(x) = (1 - |x| / sqrt(x^2 - 4)) / 2
    x = np.array([2 + 1e-9, 2 + 1e-6, 2.01, 3.0, 10.0, -2.0 - 1e-7, -4.0])
    exact = 0.5 * (1 - np.abs(x) / np.sqrt(x * x - 4))
    assert np.allclose(_bulk.stieltjes_derivative(mu, x), exact, rtol=1e-7, atol=0)
    assert np.allclose(_bulk.stieltjes_by_quadrature(mu, np.array([2.0, -2.0])), [1.0, -1.0], atol=1e-7)


@pytest.mark.parametrize("make", [lambda: spectra.marchenko_pastur(0.5), lambda: spectra.marchenko_pastur(2.0),
                                  lambda: spectra.discrete([-1.0, 0.5, 2.0], [0.2, 0.5, 0.3])])
def test_derivative_quadrature_against_central_difference_oracle(make):
    mu = make()
    a, b = _bulk.hull(mu)
    x = np.array([b + 0.3, b + 2.0, a - 0.05, a - 1.0])
    h = 1e-5
    fd = -(_bulk.stieltjes_real(mu, x - h) - _bulk.stieltjes_real(mu, x + h)) / (2 * h)
    assert np.allclose(_bulk.stieltjes_derivative(mu, x), fd, rtol=1e-6)
    assert np.allclose(_bulk.stieltjes_by_quadrature(mu, x), _bulk.stieltjes_real(mu, x), rtol=1e-10)


# --- additive spikes ----------------------------------------------------------------------------


@pytest.mark.parametrize("theta", [0.5, 1.0, 1.5, 3.0, -2.0])
def test_bbp_closed_form(theta):
    out = outliers.additive(spectra.semicircle(), theta)  # variance 1
    assert out.threshold == pytest.approx(math.copysign(1.0, theta), abs=1e-6)
    if abs(theta) <= 1:
        assert out.location is None and out.overlap == 0.0
    else:
        assert out.location == pytest.approx(theta + 1 / theta, abs=1e-11)
        assert out.overlap == pytest.approx(1 - 1 / theta**2, abs=1e-9)


def test_bbp_other_variance():
    mu = spectra.semicircle(scale="abc")  # variance 1/2: rho = theta + 1/(2 theta), theta_c = 1/sqrt 2
    out = outliers.additive(mu, 2.0)
    assert out.location == pytest.approx(2.25, abs=1e-11) and out.threshold == pytest.approx(math.sqrt(0.5), abs=1e-6)
    assert out.overlap == pytest.approx(1 - 0.5 / 4, abs=1e-9)


@pytest.mark.slow
def test_additive_spike_on_goe_monte_carlo():
    n, theta = 1500, 2.0
    e = np.zeros(n)
    e[0] = 1.0

    def draw(k):
        h = sample_goe(n, seed=700 + k, scale="wigner")
        h[0, 0] += theta
        return _top(h, e)

    (loc, ov), (se_l, se_o) = _mc(draw, 6)
    ref = outliers.additive(spectra.semicircle(), theta)
    assert _close(loc, se_l, ref.location, n) and _close(ov, se_o, ref.overlap, n)


@pytest.mark.slow
def test_additive_spike_on_a_two_level_deformed_bulk_monte_carlo():
    # an equation-defined, non-semicircular bulk: D + 0.5 X, D = diag(+-1), spike along a random v
    pytest.importorskip("complexity.spectra.subordination")
    n, s, theta = 1200, 0.5, 2.5
    mu = spectra.deformed(spectra.discrete([-1.0, 1.0], [0.5, 0.5]), s)
    d = np.repeat([-1.0, 1.0], n // 2)

    def draw(k):
        rng = np.random.default_rng(800 + k)
        v = rng.standard_normal(n)
        v /= np.linalg.norm(v)
        h = np.diag(d) + s * sample_goe(n, seed=rng, scale="wigner") + theta * np.outer(v, v)
        return _top(h, v)

    (loc, ov), (se_l, se_o) = _mc(draw, 6)
    ref = outliers.additive(mu, theta)
    assert ref.location is not None and ref.location > _bulk.hull(mu)[1] + 0.1
    assert _close(loc, se_l, ref.location, n) and _close(ov, se_o, ref.overlap, n)


def test_additive_spike_on_a_discrete_bulk_exact_finite_n():
    # atoms only: G is a finite sum and a uniformly random v gives <v, (x - A)^-1 v> -> G(x);
    # the top eigenpair of A + theta v v^T at N = 2000 (Lanczos)
    n, theta = 2000, 1.0
    mu = spectra.discrete([0.0, 1.0], [0.5, 0.5])
    ref = outliers.additive(mu, theta)
    # G(x) = 0.5/x + 0.5/(x - 1) = 1: x^2 - 2x + 0.5 = 0
    assert ref.location == pytest.approx(1 + math.sqrt(0.5), abs=1e-12) and ref.threshold == 0.0
    a = np.repeat([0.0, 1.0], n // 2)
    locs, ovs = [], []
    for k in range(6):
        v = np.random.default_rng(900 + k).standard_normal(n)
        v /= np.linalg.norm(v)
        loc, ov = _top(np.diag(a) + theta * np.outer(v, v), v)
        locs.append(loc)
        ovs.append(ov)
    assert _close(np.mean(locs), np.std(locs, ddof=1) / math.sqrt(6), ref.location, n)
    assert _close(np.mean(ovs), np.std(ovs, ddof=1) / math.sqrt(6), ref.overlap, n)


# --- multiplicative spikes ----------------------------------------------------------------------


@pytest.mark.parametrize("c,ell", [(0.5, 3.0), (0.5, 2.0), (0.5, 1.5), (0.25, 1.6), (0.5, 0.2), (2.0, 4.0)])
def test_spiked_covariance_closed_forms(c, ell):
    # Baik-Silverstein / Paul: ell_c = 1 + sqrt c, rho = ell (1 + c/(ell-1)),
    # overlap (1 - c/(ell-1)^2) / (1 + c/(ell-1)); below: ell_c = 1 - sqrt c (c < 1)
    out = outliers.multiplicative(spectra.marchenko_pastur(c), ell)
    thr = 1 + math.sqrt(c) if ell > 1 else 1 - math.sqrt(c)
    assert out.threshold == pytest.approx(thr, abs=1e-6)
    if (ell - 1) ** 2 <= c:
        assert out.location is None
    else:
        assert out.location == pytest.approx(ell * (1 + c / (ell - 1)), abs=1e-10)
        assert out.overlap == pytest.approx((1 - c / (ell - 1) ** 2) / (1 + c / (ell - 1)), abs=1e-8)


@pytest.mark.slow
def test_spiked_covariance_monte_carlo():
    n, c, ell = 1000, 0.5, 3.0
    t = int(n / c)
    e = np.zeros(n)
    e[0] = 1.0

    def draw(k):
        x = np.random.default_rng(1000 + k).standard_normal((n, t))
        x[0] *= math.sqrt(ell)  # S^(1/2) X with S = I + (ell - 1) e e^T
        return _top(x @ x.T / t, e)

    (loc, ov), (se_l, se_o) = _mc(draw, 6)
    ref = outliers.multiplicative(spectra.marchenko_pastur(c), ell)
    assert _close(loc, se_l, ref.location, n) and _close(ov, se_o, ref.overlap, n)


# --- noise plus true Hessian ----------------------------------------------------------------------


def test_noise_on_a_pure_spike_is_bbp():
    out = outliers.noise_plus_hessian(spectra.discrete([0.0], [1.0]), 2.0, 0.8)
    assert out.location == pytest.approx(2.0 + 0.64 / 2.0, abs=1e-12)
    assert out.overlap == pytest.approx(1 - 0.64 / 4.0, abs=1e-12)
    assert out.threshold == pytest.approx(0.8, abs=1e-10)
    assert outliers.noise_plus_hessian(spectra.discrete([0.0], [1.0]), 0.7, 0.8).location is None


def _diag_from_measure(mu, n):
    """A's bulk as n deterministic eigenvalues: the quantiles (k + 1/2) / n of mu."""
    return _bulk.classical_locations(mu, n)


def test_classical_locations_are_quantiles():
    mu = spectra.marchenko_pastur(0.5)
    q = _bulk.classical_locations(mu, 50)
    assert np.allclose(mu.cdf(q), (np.arange(50) + 0.5) / 50, atol=1e-6)


@pytest.mark.slow
@pytest.mark.parametrize("s", [0.3, 0.6])
def test_noise_plus_hessian_monte_carlo(s):
    n, theta = 1500, 3.5
    mu_a = spectra.marchenko_pastur(0.5)  # A's bulk on [0.086, 2.91], a spike at 3.5
    a = _diag_from_measure(mu_a, n - 1)
    e = np.zeros(n)
    e[-1] = 1.0

    def draw(k):
        h = s * sample_goe(n, seed=1100 + k, scale="wigner")
        h[np.diag_indices(n)] += np.append(a, theta)
        return _top(h, e)

    (loc, ov), (se_l, se_o) = _mc(draw, 6)
    ref = outliers.noise_plus_hessian(mu_a, theta, s)
    assert ref.location == pytest.approx(theta + s * s * outliers.batch_size_shift(mu_a, theta))
    assert _close(loc, se_l, ref.location, n) and _close(ov, se_o, ref.overlap, n)


@pytest.mark.slow
def test_batch_size_law_slope_monte_carlo():
    # shift = s^2 G_A(theta): regress Monte Carlo shifts on s^2 through 0
    n, theta = 1200, 2.5
    mu_a = spectra.semicircle()
    a = _diag_from_measure(mu_a, n - 1)
    e = np.zeros(n)
    e[-1] = 1.0
    s2 = np.array([0.05, 0.15, 0.3])
    shifts, ses = [], []
    for j, sq in enumerate(s2):
        vals = []
        for k in range(4):
            h = math.sqrt(sq) * sample_goe(n, seed=1200 + 10 * j + k, scale="wigner")
            h[np.diag_indices(n)] += np.append(a, theta)
            vals.append(_top(h, e)[0] - theta)
        shifts.append(np.mean(vals))
        ses.append(np.std(vals, ddof=1) / 2)
    shifts, ses = np.array(shifts), np.array(ses)
    w = 1 / (ses**2 + (1 / n) ** 2)
    slope = np.sum(w * s2 * shifts) / np.sum(w * s2 * s2)
    slope_se = 1 / math.sqrt(np.sum(w * s2 * s2))
    g = outliers.batch_size_shift(mu_a, theta)
    assert g == pytest.approx((2.5 - math.sqrt(2.5**2 - 4)) / 2, abs=1e-10)  # semicircle G, closed form
    assert abs(slope - g) < 4 * slope_se + 0.02


def test_noise_threshold_semicircle_bulk():
    # A's bulk a semicircle of variance v: G_A' closed form; -G_A'(theta_c) = 1/s^2
    mu_a, s = spectra.semicircle(), 0.5
    out = outliers.noise_plus_hessian(mu_a, 4.0, s)
    x = out.threshold
    assert x > 2 and 0.5 * (x / math.sqrt(x * x - 4) - 1) == pytest.approx(1 / s**2, rel=1e-8)
    assert outliers.noise_plus_hessian(mu_a, 0.5 * (x + 2), s).location is None


# --- bad input and the CLI ------------------------------------------------------------------------


def test_bad_input():
    mu = spectra.semicircle()
    with pytest.raises(ValueError, match="s \\(noise\\)"):
        outliers.noise_plus_hessian(mu, 3.0, -0.1)
    inside = outliers.noise_plus_hessian(mu, 1.0, 0.1)  # a spike inside A's bulk: no outlier
    assert inside.location is None and inside.overlap == 0.0 and inside.threshold > 2
    with pytest.raises(ValueError, match="outside the hull"):
        outliers.batch_size_shift(mu, 1.0)
    with pytest.raises(ValueError, match="ell"):
        outliers.multiplicative(spectra.marchenko_pastur(0.5), -1.0)
    with pytest.raises(ValueError, match="\\[0, inf\\)"):
        outliers.multiplicative(mu, 2.0)
    with pytest.raises(ValueError, match="theta"):
        outliers.additive(mu, float("nan"))


def test_cli_outliers(capsys):
    assert main(["rmt", "outliers", "--ensemble", "semicircle", "--spike", "2", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"location", "threshold", "overlap"}
    assert out["location"] == pytest.approx(2.5) and out["overlap"] == pytest.approx(0.75)
    assert main(["rmt", "outliers", "--ensemble", "semicircle", "--spike", "0.5", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["location"] is None
    assert main(["rmt", "outliers", "--ensemble", "semicircle", "--spike", "3", "--noise", "0.5", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["location"] == pytest.approx(3 + 0.25 * (3 - math.sqrt(5)) / 2)
    assert main(["rmt", "outliers", "--ensemble", "semicircle", "--spike", "3", "--noise", "-1", "--json"]) == 2
    assert "noise" in capsys.readouterr().err
    args = ["rmt", "outliers", "--ensemble", "marchenko-pastur", "--c", "0.5", "--spike", "3", "--multiplicative", "--json"]
    assert main(args) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["location"] == pytest.approx(3.75) and out["overlap"] == pytest.approx(0.7)
    assert main(["rmt", "outliers", "--ensemble", "marchenko-pastur", "--c", "0.5", "--spike", "-1", "--multiplicative", "--json"]) == 2
    assert "--spike must be > 0" in capsys.readouterr().err


def test_figure_data_spot_checks():
    from complexity.figures import diagnostics as figs

    d = figs.data_outliers(n=200, samples=2)["semicircle"]
    sep = d["theta"] > 1
    assert np.allclose(d["location"][sep], d["theta"][sep] + 1 / d["theta"][sep], atol=1e-10)
    assert np.all(np.isnan(d["location"][~sep])) and d["threshold"] == pytest.approx(1.0, abs=1e-6)
    assert np.allclose(d["mc_location"][-3:, 0], d["mc_theta"][-3:] + 1 / d["mc_theta"][-3:], atol=0.15)
    b = figs.data_batch_size(n=200, samples=2)
    ok = ~np.isnan(b["shift"])
    assert np.allclose(b["shift"][ok], b["s2"][ok] * b["slope"], atol=1e-12)
