"""Local statistics: surmises against quadrature, ratios of exactly-surmise spectra (3 levels),
large-N beta-ensembles against Atas et al., KS tests, beta fit, unfolding, the model Hessian,
file readers and the CLI."""

import json
import math

import mpmath
import numpy as np
import pytest

from complexity.cli import main
from complexity.diagnostics import io, local, model_hessian, samplers, surmise
from complexity.rmt import goe


def _p_unnorm_mp(r, beta):
    return (r + r * r) ** beta / (1 + r + r * r) ** (1 + mpmath.mpf(3) * beta / 2)


# --- surmise constants against mpmath quadrature (independent of the code's quadrature) -------------


@pytest.mark.parametrize("beta", [1, 2, 4, 1.5, 0.3])
def test_normalisation_against_mpmath(beta):
    with mpmath.workdps(30):
        z = mpmath.quad(lambda r: _p_unnorm_mp(r, beta), [0, 1, mpmath.inf])
    assert surmise.normalisation(beta) == pytest.approx(float(z), rel=1e-11)


def test_published_normalisations():
    # Atas et al. (2013): Z_1 = 8/27, Z_2 = 4 pi / (81 sqrt 3), Z_4 = 4 pi / (729 sqrt 3)
    with mpmath.workdps(30):
        for beta, closed in [(1, mpmath.mpf(8) / 27), (2, 4 * mpmath.pi / (81 * mpmath.sqrt(3))), (4, 4 * mpmath.pi / (729 * mpmath.sqrt(3)))]:
            z = mpmath.quad(lambda r: _p_unnorm_mp(r, beta), [0, 1, mpmath.inf])
            assert abs(z - closed) < mpmath.mpf(10) ** -25


@pytest.mark.parametrize("beta", [1, 2, 4, "poisson", 1.5])
def test_mean_r_tilde_against_mpmath(beta):
    with mpmath.workdps(30):
        if beta == "poisson":
            ref = mpmath.quad(lambda r: 2 * r / (1 + r) ** 2, [0, 1])
        else:
            z = mpmath.quad(lambda r: _p_unnorm_mp(r, beta), [0, 1, mpmath.inf])
            ref = mpmath.quad(lambda r: 2 * r * _p_unnorm_mp(r, beta), [0, 1]) / z
    assert surmise.mean_r_tilde(beta) == pytest.approx(float(ref), abs=1e-12)


def test_mean_r_tilde_closed_forms():
    s3 = math.sqrt(3)
    assert surmise.mean_r_tilde(1) == pytest.approx(0.5359, abs=5e-5) and surmise.mean_r_tilde(1) == 4 - 2 * s3
    assert surmise.mean_r_tilde(2) == pytest.approx(0.6027, abs=5e-5)
    assert surmise.mean_r_tilde(4) == pytest.approx(0.6762, abs=5e-5)
    assert surmise.mean_r_tilde("poisson") == pytest.approx(0.3863, abs=5e-5)


@pytest.mark.parametrize("beta", [1, 2, 4, "poisson"])
def test_r_tilde_cdf_against_mpmath(beta):
    xs = [0.0, 0.013, 0.25, 0.5, 0.77, 0.999, 1.0]
    got = surmise.r_tilde_cdf(xs, beta)
    with mpmath.workdps(25):
        for x, g in zip(xs, got):
            if beta == "poisson":
                ref = mpmath.quad(lambda r: 2 / (1 + r) ** 2, [0, x]) if x > 0 else 0
            else:
                z = mpmath.quad(lambda r: _p_unnorm_mp(r, beta), [0, 1, mpmath.inf])
                ref = mpmath.quad(lambda r: 2 * _p_unnorm_mp(r, beta), [0, x]) / z if x > 0 else 0
            assert g == pytest.approx(float(ref), abs=1e-11)


@pytest.mark.parametrize("beta", [1, 2, 4, "poisson"])
def test_wigner_surmise_mass_mean_cdf(beta):
    with mpmath.workdps(20):
        f = lambda s: float(surmise.wigner_surmise([float(s)], beta)[0])  # noqa: E731
        mass = mpmath.quad(f, [0, 3, mpmath.inf])
        mean = mpmath.quad(lambda s: s * f(s), [0, 3, mpmath.inf])
        part = mpmath.quad(f, [0, 1.3])
    assert float(mass) == pytest.approx(1.0, abs=1e-10) and float(mean) == pytest.approx(1.0, abs=1e-10)
    assert surmise.wigner_surmise_cdf([1.3], beta)[0] == pytest.approx(float(part), abs=1e-10)


def test_large_n_values_and_source():
    v, u, src = surmise.mean_r_tilde_large_n(1)
    assert (v, u) == (0.5307, 0.0001) and "Atas" in src
    assert surmise.mean_r_tilde_large_n("poisson") is None


# --- three levels: the surmise is exact (it is derived from the 3-level joint density) --------------


def _three_level_beta(beta, samples, rng):
    # the n = 3 Dumitriu-Edelman matrix, built here independently of samplers.py
    d = rng.standard_normal((samples, 3))
    e1 = np.sqrt(rng.chisquare(2 * beta, samples) / 2)
    e2 = np.sqrt(rng.chisquare(beta, samples) / 2)
    m = np.zeros((samples, 3, 3))
    m[:, [0, 1, 2], [0, 1, 2]] = d
    m[:, 0, 1] = m[:, 1, 0] = e1
    m[:, 1, 2] = m[:, 2, 1] = e2
    return np.linalg.eigvalsh(m)


def _r_tilde_rows(ev):
    s = np.diff(ev, axis=1)
    r = s[:, 1] / s[:, 0]
    return np.minimum(r, 1 / r)


@pytest.mark.parametrize("beta", [1, 2, 4, 1.5])
def test_three_level_ratios_follow_the_surmise(beta):
    rng = np.random.default_rng(11)
    rt = _r_tilde_rows(_three_level_beta(beta, 40000, rng))  # independent ratios: iid stderr exact
    se = rt.std(ddof=1) / math.sqrt(rt.size)
    assert abs(rt.mean() - surmise.mean_r_tilde(beta)) < 4 * se
    if beta in (1, 2, 4):
        assert local.ks_test(rt, beta)[1] > 1e-3
        assert local.ks_test(rt, "poisson")[1] < 1e-20
    b, bse = local.fit_beta(rt)
    assert abs(b - beta) < 4 * bse  # iid data: the Fisher stderr is the right one


def test_three_by_three_goe_and_gue_matrices_follow_the_surmise():
    # dense 3 x 3 GOE (complexity.rmt.goe) and GUE (built here): P_1 and P_2 exactly
    rt1 = _r_tilde_rows(goe.goe_eigenvalues(3, 30000, seed=4))
    rng = np.random.default_rng(5)
    a = rng.standard_normal((30000, 3, 3)) + 1j * rng.standard_normal((30000, 3, 3))
    rt2 = _r_tilde_rows(np.linalg.eigvalsh(a + np.conj(np.swapaxes(a, 1, 2))))
    for rt, beta in [(rt1, 1), (rt2, 2)]:
        se = rt.std(ddof=1) / math.sqrt(rt.size)
        assert abs(rt.mean() - surmise.mean_r_tilde(beta)) < 4 * se
        assert local.ks_test(rt, beta)[1] > 1e-3


# --- large N: the tridiagonal sampler against the published large-N values -------------------------


def test_tridiagonal_sampler_scales():
    ev = samplers.sample_goe(400, 5, seed=1)
    assert np.mean(ev**2) == pytest.approx(1.0, abs=0.02)  # wigner: second moment 1
    ev = samplers.sample_beta_ensemble(400, 4, 5, seed=1, scale="abc")
    assert np.mean(ev**2) == pytest.approx(0.5, abs=0.01) and np.all(np.diff(ev, axis=1) > 0)
    # same law as dense GOE (wigner scale): fourth moment 2 + O(1/n) for both
    dense = goe.goe_eigenvalues(200, 40, seed=2, scale="wigner")
    tri = samplers.sample_goe(200, 40, seed=3)
    assert np.mean(tri**4) == pytest.approx(np.mean(dense**4), abs=0.03)


@pytest.mark.slow
@pytest.mark.parametrize("beta,samples", [(1, 1000), (2, 250), (4, 250)])
def test_large_n_mean_r_tilde_matches_atas_not_the_surmise(beta, samples):
    # spectra of n = 150, central 60% (90 ratios each): beta = 1 with 90 000 ratios, stderr
    # about 0.0009, so the surmise's 0.5359 is > 5 stderr from the large-N 0.5307; for beta = 2, 4
    # (surmise 0.003 and 0.002 off) only the agreement with the large-N value is checked
    ev = samplers.sample_beta_ensemble(150, beta, samples, seed=100 + beta)
    st = local.ratio_statistics(ev, trim=0.2)
    large, unc = surmise.LARGE_N_MEAN_R_TILDE[beta]
    assert abs(st.mean_r_tilde - large) < 4 * math.hypot(st.stderr, unc)
    if beta == 1:
        assert st.stderr < 0.0011
        assert abs(st.mean_r_tilde - surmise.mean_r_tilde(beta)) > 3 * st.stderr


def test_batch_means_stderr_is_honest():
    # the spread of per-spectrum means over 60 independent spectra against the reported stderr
    ev = samplers.sample_goe(300, 60, seed=9)
    means, ses = [], []
    for row in ev:
        st = local.ratio_statistics(row, trim=0.1)
        means.append(st.mean_r_tilde)
        ses.append(st.stderr)
    ratio = np.std(means, ddof=1) / np.sqrt(np.mean(np.square(ses)))
    assert 0.7 < ratio < 1.35  # sd of an sd estimate from 60 values: ~9%


def test_goe_passes_goe_and_fails_poisson_and_vice_versa():
    g = local.ratio_statistics(samplers.sample_goe(500, 16, seed=21), trim=0.1)
    p = local.ratio_statistics(samplers.sample_poisson(500, 16, seed=22))
    assert g.ks_pvalue["goe"] > 1e-3 and g.ks_pvalue["poisson"] < 1e-20
    assert p.ks_pvalue["poisson"] > 1e-3 and p.ks_pvalue["goe"] < 1e-20
    assert abs(p.mean_r_tilde - surmise.mean_r_tilde("poisson")) < 4 * p.stderr
    assert abs(g.beta_fit - 1) < 0.15 and p.beta_fit < 0.1


def test_beta_fit_separates_the_classes():
    fits = [local.ratio_statistics(samplers.sample_beta_ensemble(400, b, 10, seed=b), trim=0.1).beta_fit for b in (1, 2, 4)]
    assert abs(fits[0] - 1) < 0.15 and abs(fits[1] - 2) < 0.25 and abs(fits[2] - 4) < 0.5


# --- unfolding and spacings ------------------------------------------------------------------------


class _Semicircle:
    """The wigner-scale semicircle's closed-form cdf (an oracle written here)."""

    @staticmethod
    def cdf(x):
        x = np.clip(np.asarray(x, dtype=float), -2, 2)
        return 0.5 + (x * np.sqrt(4 - x * x) / 2 + 2 * np.arcsin(x / 2)) / (2 * math.pi)


def test_unfolding_by_measure_pool_and_polynomial():
    ev = samplers.sample_goe(2000, 1, seed=31)[0]
    pool = samplers.sample_goe(2000, 10, seed=32)
    by_mu = local.unfold(ev, measure=_Semicircle)
    by_pool = local.unfold(ev, pool=pool)
    by_poly = local.unfold(ev[200:-200], degree=9, n=ev.size - 400)
    for u in (by_mu, by_pool):
        s = local.spacings(u, trim=0.1)
        assert abs(s.mean() - 1) < 0.02
        assert np.max(np.abs(u - by_mu)[200:-200]) < 3.0  # two estimates of N F(l), O(1) apart
    s = local.spacings(by_poly, trim=0.05)
    assert abs(s.mean() - 1) < 0.02
    # unfolded GOE spacings: close to the Wigner surmise, far from the exponential
    s = local.spacings(by_mu, trim=0.1)
    from scipy import stats

    d_w = stats.kstest(s, lambda t: surmise.wigner_surmise_cdf(t, 1)).statistic
    d_p = stats.kstest(s, lambda t: surmise.wigner_surmise_cdf(t, "poisson")).statistic
    assert d_w < 0.04 and d_p > 0.2
    mid, dens, w = local.spacing_histogram(s, bins=20, s_max=3)
    assert np.max(np.abs(dens - w)) < 0.12


def test_unfolding_by_a_layer_measure_matches_the_closed_form_cdf():
    from complexity import spectra

    ev = samplers.sample_goe(1000, 1, seed=33)[0]
    assert np.allclose(local.unfold(ev, measure=spectra.semicircle()), local.unfold(ev, measure=_Semicircle), atol=1e-6)


def test_unfold_needs_exactly_one_method():
    with pytest.raises(ValueError, match="exactly one"):
        local.unfold([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="exactly one"):
        local.unfold([1.0, 2.0, 3.0], degree=1, pool=[1.0, 2.0])


# --- atom, edges, bad input --------------------------------------------------------------------------


def test_batch_means_stderr_formula():
    # iid values: the batch-means stderr is close to sd / sqrt(n); an AR(1) sequence with
    # coefficient a: close to sd / sqrt(n) * sqrt((1 + a) / (1 - a))
    rng = np.random.default_rng(3)
    x = rng.standard_normal(64000)
    m, se = local.mean_with_stderr(x)
    assert m == pytest.approx(x.mean()) and se == pytest.approx(1 / math.sqrt(x.size), rel=0.2)
    a, y = 0.6, np.empty(64000)
    y[0] = x[0]
    for i in range(1, y.size):
        y[i] = a * y[i - 1] + math.sqrt(1 - a * a) * x[i]
    _, se = local.mean_with_stderr(y)
    assert se == pytest.approx(math.sqrt((1 + a) / (1 - a) / y.size), rel=0.2)


def test_drop_and_trim_count_exactly():
    ev = np.concatenate([np.zeros(7), np.full(3, 1e-12), [1.0, 1.0, 2.0, 3.5, 4.0, 6.0, 7.5]])
    levels, dropped = local.prepare(ev, drop_below=1e-9)
    assert dropped == 11 and np.array_equal(levels, [1.0, 2.0, 3.5, 4.0, 6.0, 7.5])
    levels, _ = local.prepare(ev, drop_below=1e-9, trim=0.2)
    assert np.array_equal(levels, [2.0, 3.5, 4.0, 6.0])
    r, rt = local.spacing_ratios(levels)
    assert np.allclose(r, [0.5 / 1.5, 2.0 / 0.5]) and np.allclose(rt, [1 / 3, 0.25])


@pytest.mark.parametrize(
    "ev,kw,match",
    [
        ([0.0, 0.0, 1.0, 2.0], {"drop_below": 1e-8}, "at least 3 distinct"),
        ([1.0, float("nan"), 2.0, 3.0], {}, "finite"),
        ([1.0, np.inf, 2.0, 3.0], {}, "finite"),
        ([1.0, 2.0, 3.0, 5.0], {"trim": 0.7}, "trim"),
        ([1.0, 2.0, 3.0, 5.0], {"drop_below": -1}, "drop_below"),
    ],
)
def test_bad_spectra(ev, kw, match):
    with pytest.raises(ValueError, match=match):
        local.ratio_statistics(ev, **kw)


@pytest.mark.parametrize("bad", [3, 0, "goe", None])
def test_bad_beta(bad):
    with pytest.raises(ValueError, match="beta"):
        surmise.r_tilde_cdf([0.5], bad)


# --- the model Hessian ---------------------------------------------------------------------------


def test_model_hessian_is_locally_goe_but_not_a_semicircle():
    from scipy import stats

    n, samples, zf = 400, 16, 0.25
    ev = model_hessian.model_hessian_eigenvalues(n, samples, zero_fraction=zf, outliers=[8.0, 15.0], shift_sd=1.5, seed=41)
    # exact zeros: the atom, counted
    assert np.all(np.sum(np.abs(ev) < 1e-9, axis=1) == round(zf * n))
    # two outliers per matrix near xi + theta + 1/theta (BBP, sigma = 1): well above the bulk edge xi + 2
    assert np.all(ev[:, -2] - ev[:, -3] > 3)
    st = local.ratio_statistics(ev, drop_below=1e-9, trim=0.03)
    assert st.dropped == samples * round(zf * n)
    assert abs(st.mean_r_tilde - surmise.LARGE_N_MEAN_R_TILDE[1][0]) < 4 * st.stderr
    assert st.ks_pvalue["poisson"] < 1e-20 and abs(st.beta_fit - 1) < 0.2
    # the density: one matrix's whole spectrum (atom, outliers) against the semicircle of the
    # same mean and variance; and the pooled non-zero bulk (smeared by the common shift xi)
    sc = lambda t: _Semicircle.cdf(np.asarray(t))  # noqa: E731
    assert stats.kstest((ev[0] - ev[0].mean()) / ev[0].std(), sc).statistic > 0.1
    bulk = ev[:, :-2][np.abs(ev[:, :-2]) > 1e-9]
    assert stats.kstest((bulk - bulk.mean()) / bulk.std(), sc).pvalue < 1e-3
    # ... while a plain GOE pool passes the same test (the test can tell)
    g = samplers.sample_goe(600, 4, seed=42).ravel()
    assert stats.kstest(g / g.std(), sc).pvalue > 1e-3


def test_model_hessian_bad_input():
    with pytest.raises(ValueError, match="zero_fraction"):
        model_hessian.model_hessian(10, zero_fraction=1.0)
    with pytest.raises(ValueError, match="sigma"):
        model_hessian.model_hessian(10, sigma=0)


# --- files and the CLI ----------------------------------------------------------------------------


def test_read_eigenvalues_formats(tmp_path):
    a = np.array([0.5, -1.25, 3.0])
    np.save(tmp_path / "e.npy", a)
    (tmp_path / "e.txt").write_text("# eigenvalues\n0.5\n\n-1.25\n3\n")
    (tmp_path / "e.csv").write_text("eigenvalue\n0.5\n-1.25\n3.0\n")
    (tmp_path / "row.csv").write_text("0.5, -1.25, 3.0\n")
    for name in ("e.npy", "e.txt", "e.csv", "row.csv"):
        assert np.array_equal(io.read_eigenvalues(tmp_path / name), a)


@pytest.mark.parametrize(
    "name,text,match",
    [
        ("two.txt", "1\n2 3\n4\n", "two.txt, line 2: expected one number"),
        ("word.txt", "1\n2\nabc\n", "word.txt, line 3: 'abc' is not a number"),
        ("nan.csv", "x\n1\nnan\n", "nan.csv, line 3: 'nan' is not finite"),
        ("empty.txt", "# nothing\n", "empty.txt: no numbers"),
        ("e.json", "[1, 2]", "unknown file type"),
    ],
)
def test_read_eigenvalues_errors(tmp_path, name, text, match):
    (tmp_path / name).write_text(text)
    with pytest.raises(ValueError, match=match):
        io.read_eigenvalues(tmp_path / name)


def test_read_npy_errors(tmp_path):
    np.save(tmp_path / "m.npy", np.zeros((3, 3)))
    np.save(tmp_path / "n.npy", np.array([1.0, np.nan]))
    with pytest.raises(ValueError, match=r"m.npy: must hold a 1-D array"):
        io.read_eigenvalues(tmp_path / "m.npy")
    with pytest.raises(ValueError, match=r"n.npy: entry 1"):
        io.read_eigenvalues(tmp_path / "n.npy")
    with pytest.raises(ValueError, match="no such file"):
        io.read_eigenvalues(tmp_path / "missing.npy")


def test_cli_ratios(tmp_path, capsys):
    ev = np.concatenate([np.zeros(50), samplers.sample_goe(1000, 1, seed=51)[0]])
    np.save(tmp_path / "h.npy", ev)
    assert main(["spectrum", "ratios", str(tmp_path / "h.npy"), "--drop-below", "1e-9", "--trim", "0.1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"n", "mean_r_tilde", "stderr", "beta_fit", "ks_pvalue", "dropped"}
    assert out["dropped"] == 50 and out["n"] == 798 and set(out["ks_pvalue"]) == {"goe", "poisson"}
    st = local.ratio_statistics(ev, drop_below=1e-9, trim=0.1)
    assert out["mean_r_tilde"] == pytest.approx(st.mean_r_tilde)


def test_cli_ratios_of_a_sampled_file_pool_within_rows(tmp_path, capsys):
    """What `spectrum sample --samples M` writes, shape (M, N), is M spectra: the ratios are
    taken within each row (never across the seam between two spectra) and pooled.  Oracle:
    r~ typed here from the sorted rows, r_n = s_n / s_{n-1}, r~ = min(r, 1/r)."""
    ev = np.sort(samplers.sample_goe(300, 4, seed=52), axis=1)
    np.save(tmp_path / "m.npy", ev)
    assert main(["spectrum", "ratios", str(tmp_path / "m.npy"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    s = np.diff(ev, axis=1)
    r = s[:, 1:] / s[:, :-1]
    rt = np.minimum(r, 1.0 / r).ravel()
    assert out["n"] == rt.size == 4 * 298
    assert abs(out["mean_r_tilde"] - rt.mean()) < 1e-12
    flat = local.ratio_statistics(ev.ravel())  # one spectrum of 1200 levels: 3 seams more
    assert flat.n == rt.size + 6
    np.save(tmp_path / "bad.npy", np.zeros((2, 3, 4)))
    assert main(["spectrum", "ratios", str(tmp_path / "bad.npy"), "--json"]) == 2
    assert "2-D array of spectra" in capsys.readouterr().err


def test_cli_ratios_bad_file(tmp_path, capsys):
    (tmp_path / "bad.txt").write_text("1\n2\nx\n")
    assert main(["spectrum", "ratios", str(tmp_path / "bad.txt"), "--json"]) == 2
    assert "bad.txt, line 3" in capsys.readouterr().err


def test_cli_surmise(capsys):
    assert main(["spectrum", "surmise", "--beta", "2", "--at", "0.5,1,2", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["pdf"] == pytest.approx(surmise.ratio_pdf([0.5, 1, 2], 2).tolist())
    assert out["mean_r_tilde"] == pytest.approx(2 * math.sqrt(3) / math.pi - 0.5)
    assert out["mean_r_tilde_large_n"] == 0.5996
    assert main(["spectrum", "surmise", "--beta", "poisson", "--at", "1", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["pdf"] == [0.25] and out["mean_r_tilde_large_n"] is None
    assert main(["spectrum", "surmise", "--beta", "3", "--json"]) == 2
    assert "beta must be one of" in capsys.readouterr().err
