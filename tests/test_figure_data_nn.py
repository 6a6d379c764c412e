"""The committed numbers of the network figures (figures/data/nn_*.json, written by
``complexity figures nn_*``) against independent oracles typed here: the structural and
Wishart atom counts, the semicircle and Marchenko-Pastur laws, the GOE and Poisson surmises,
scipy's KS and CvM distributions, the spacing ratios and the outlier law recomputed from the
stored eigenvalues.

Every check runs twice: on the committed data (it must pass) and on a perturbed copy (it
must fail), so that each check can fail.  Needs only numpy and scipy (no nn extra).
"""

from __future__ import annotations

import copy
import math
import pathlib

import numpy as np
import pytest
from scipy import integrate, stats

from complexity.figures.style import load_data

FIGURES = pathlib.Path(__file__).resolve().parents[1] / "figures"
NAMES = ("nn_hessian_spectrum", "nn_spacing_ratios", "nn_batch_outliers", "nn_atom_mass")
TABLE_TOL = 1e-8  # accuracy of the fits' tabulated cdfs (complexity.nn.fit.FIT_TOL)


@pytest.fixture(scope="module")
def data():
    return {n: load_data(FIGURES, n) for n in NAMES}


# --------------------------------------------------------------------------- typed laws
def _semicircle_cdf(y):
    y = np.clip(y, -2.0, 2.0)
    return 0.5 + y * np.sqrt(4.0 - y * y) / (4.0 * math.pi) + np.arcsin(y / 2.0) / math.pi


def _semicircle_density(y):
    return np.where(np.abs(y) < 2, np.sqrt(np.clip(4.0 - y * y, 0, None)) / (2.0 * math.pi), 0.0)


def _mp_cdf(c):
    lo, hi = (1 - math.sqrt(c)) ** 2, (1 + math.sqrt(c)) ** 2

    def rho(t):
        return math.sqrt(max((hi - t) * (t - lo), 0.0)) / (2.0 * math.pi * c * t)

    def cdf(y):
        y = np.sort(np.clip(np.asarray(y, float), lo, hi))
        steps = [integrate.quad(rho, u, v, epsabs=1e-14, limit=200)[0] for u, v in zip(np.r_[lo, y[:-1]], y)]
        return np.cumsum(steps)

    return cdf


def _goe_r_tilde_pdf(r):  # 2 P_W(r), P_W(r) = (27/8) (r + r^2) / (1 + r + r^2)^(5/2) (beta = 1 surmise)
    return 2.0 * 27.0 / 8.0 * (r + r * r) / (1.0 + r + r * r) ** 2.5


def _goe_r_tilde_cdf(x):
    return np.array([integrate.quad(_goe_r_tilde_pdf, 0.0, v, epsabs=1e-14)[0] for v in np.atleast_1d(x)])


def _ks(x, F):
    """KS statistic of sorted x against cdf values F(x)."""
    n = x.size
    i = np.arange(1, n + 1)
    return float(max(np.max(i / n - F), np.max(F - (i - 1) / n)))


def _bulk(d):
    e = np.asarray(d["eigenvalues"])
    keep = e[np.abs(e) > d["zero_tol"] * np.max(np.abs(e))]
    return keep[: keep.size - len(d["outliers"])]


def _fit(d, family):
    return next(f for f in d["fits"] if f["family"] == family)


# --------------------------------------------------------------------------- nn_hessian_spectrum
def check_atom_is_the_structural_count(d):
    """The exact zeros (|l| <= 1e-13 max|l|) number n_1 (n_0 + 1 - r_0) + n_{L-1} + 1."""
    n, e = d["sizes"], np.asarray(d["eigenvalues"])
    structural = n[1] * (n[0] + 1 - d["r0"]) + n[-2] + 1
    P = sum((a + 1) * b for a, b in zip(n[:-1], n[1:]))
    assert P == d["n_params"] == e.size
    assert int(np.sum(np.abs(e) <= d["zero_tol"] * np.max(np.abs(e)))) == d["atom"] == structural == d["structural"]
    assert len(d["outliers"]) == n[-1] and _bulk(d).size == d["bulk_n"]
    for f in d["fits"]:
        assert (f["n"], f["dropped"], f["trimmed"]) == (d["bulk_n"], d["atom"], n[-1])
        assert abs(f["data_atom"] - d["atom"] / P) < 1e-15


def check_semicircle_fit_against_the_typed_law(d):
    """KS and CvM statistics and p-values of the semicircle fit from the typed cdf; its drawn
    density and KS residuals from the typed law."""
    f, x = _fit(d, "semicircle"), _bulk(d)
    F = lambda v: _semicircle_cdf((np.asarray(v) - f["b"]) / f["a"])  # noqa: E731
    ks, cvm = stats.kstest(x, F), stats.cramervonmises(x, F)
    assert abs(ks.statistic - f["ks_statistic"]) < 2 * TABLE_TOL
    assert ks.pvalue == pytest.approx(f["ks_pvalue"], rel=1e-4)
    assert abs(cvm.statistic - f["cvm_statistic"]) < 4 * TABLE_TOL * x.size
    xs = np.asarray(d["curve_x"])
    np.testing.assert_allclose(f["curve_density"], _semicircle_density((xs - f["b"]) / f["a"]) / f["a"],
                               rtol=1e-9, atol=1e-9 / f["a"])
    k = d["residual_stride"]
    level = (np.arange(1, x.size + 1) - 0.5) / x.size
    np.testing.assert_allclose(f["residual"], (F(x) - level)[::k], rtol=0, atol=2 * TABLE_TOL)


def check_marchenko_pastur_fit_against_the_typed_density(d):
    """The Marchenko-Pastur fit's KS statistic from the typed density (scipy quadrature)."""
    f, x = _fit(d, "marchenko_pastur"), _bulk(d)
    F = _mp_cdf(f["params"]["c"])((x - f["b"]) / f["a"])
    assert abs(_ks(x, F) - f["ks_statistic"]) < 2 * TABLE_TOL


def check_ks_pvalues_from_scipy(d):
    """Every fit's nominal KS p-value is scipy's Kolmogorov distribution at (D, n)."""
    for f in d["fits"]:
        assert stats.kstwo.sf(f["ks_statistic"], f["n"]) == pytest.approx(f["ks_pvalue"], rel=1e-6, abs=1e-300)


def check_product_atoms_of_the_equivalent_embeddings(d):
    """The fitted W1 W2 stands for one measure per choice of N among the dimensions
    {1, 1/c1, 1/c2}; each has the product atom max_i (1 - 1/c'_i)_+ with c'_i = N / T_i."""
    f = _fit(d, "wishart_product")
    cs = [f["params"]["c1"], f["params"]["c2"]]
    dims = [1.0] + [1.0 / c for c in cs]
    atoms = set()
    for j, N in enumerate(dims):
        ratios = [N / t for i, t in enumerate(dims) if i != j]
        atoms.add(round(max(0.0, max(1.0 - 1.0 / r for r in ratios)), 12))
    assert sorted(atoms) == pytest.approx(sorted(round(v, 12) for v in f["model_atoms"]), abs=1e-12)
    assert all(0 < c <= 1 for c in cs)


def check_histogram(d):
    h, _ = np.histogram(_bulk(d), bins=np.asarray(d["hist_edges"]), density=True)
    np.testing.assert_allclose(d["hist_density"], h, rtol=1e-12)


# --------------------------------------------------------------------------- nn_spacing_ratios
def check_surmise_curves(d):
    r = np.asarray(d["r"])
    np.testing.assert_allclose(d["pdf_goe"], _goe_r_tilde_pdf(r), rtol=1e-12)
    np.testing.assert_allclose(d["pdf_poisson"], 2.0 / (1.0 + r) ** 2, rtol=1e-12)


def check_ratios_from_the_spectrum(d, spectrum):
    """r~ = min(r, 1/r) of consecutive spacings of the spectrum without its exact zeros."""
    e = np.sort(np.asarray(spectrum["eigenvalues"]))
    e = e[np.abs(e) > spectrum["zero_tol"] * np.max(np.abs(e))]
    s = np.diff(e)
    r = s[1:] / s[:-1]
    np.testing.assert_allclose(d["r_tilde"], np.minimum(r, 1 / r), rtol=1e-12)
    assert d["dropped"] == spectrum["atom"] and d["n"] == r.size
    assert d["mean_r_tilde"] == pytest.approx(np.mean(np.minimum(r, 1 / r)), rel=1e-12)


def check_surmise_ks_pvalues(d):
    """KS of every second r~ (the statistics' convention) against the typed surmise cdfs."""
    x = np.asarray(d["r_tilde"])[::2]
    goe = stats.kstest(x, _goe_r_tilde_cdf)
    poi = stats.kstest(x, lambda v: 2 * np.asarray(v) / (1 + np.asarray(v)))
    assert goe.statistic == pytest.approx(d["ks_statistic"]["goe"], abs=1e-9)
    assert goe.pvalue == pytest.approx(d["ks_pvalue"]["goe"], rel=1e-6)
    assert poi.statistic == pytest.approx(d["ks_statistic"]["poisson"], abs=1e-12)
    assert poi.pvalue == pytest.approx(d["ks_pvalue"]["poisson"], rel=1e-6)


# --------------------------------------------------------------------------- nn_batch_outliers
def check_outlier_law(d, spectrum):
    """theta = the top 5 of the full-data spectrum, A's bulk = the rest, and the law
    theta + s^2 mean(1 / (theta - bulk)) with s^2 = sigma^2 (1/B - 1/n) n / (n - 1)."""
    e = np.sort(np.asarray(spectrum["eigenvalues"]))
    theta, bulk = np.asarray(d["theta"]), np.asarray(d["bulk_a"])
    np.testing.assert_array_equal(theta, e[::-1][: theta.size])
    np.testing.assert_array_equal(np.sort(bulk), e[: e.size - theta.size])
    B, n = np.asarray(d["batch_sizes"], float), d["n_train"]
    np.testing.assert_allclose(d["s2_law"], d["sigma2"] * (1 / B - 1 / n) * n / (n - 1), rtol=1e-12)
    law = theta[None, :] + np.asarray(d["s2_law"])[:, None] * np.mean(1 / (theta[None, :, None] - bulk), axis=2)
    np.testing.assert_allclose(d["law"], law, rtol=1e-10)


def check_noise_fit(d):
    """sigma^2 by least squares of s^2 = sigma^2 f(B) over every batch, f = (1/B - 1/n) n/(n - 1)."""
    B, n = np.asarray(d["batch_sizes"], float), d["n_train"]
    s2 = np.asarray(d["s2"])
    f = np.repeat((1 / B - 1 / n) * n / (n - 1), s2.shape[1])
    assert d["sigma2"] == pytest.approx(np.sum(f * s2.ravel()) / np.sum(f * f), rel=1e-12)


# --------------------------------------------------------------------------- nn_atom_mass
def check_atom_predictions(d):
    """P = 65 n_1 + 10 (n_1 + 1); structural n_1 (65 - r_0) + n_1 + 1 (exactly H's atom, batch
    and full data); Gauss-Newton: the Wishart atom (1 - T/P)_+ with T = B (C - 1) columns,
    or the structural count if larger, a lower bound on G's atom."""
    B = d["batch"]
    for row in d["rows"]:
        n0, n1, C = row["sizes"]
        P = (n0 + 1) * n1 + (n1 + 1) * C
        assert P == row["P"] and n1 == row["width"]
        for r0, pred, atom in ((row["r0_batch"], "pred_H", "atom_H"), (row["r0_full"], "pred_full", "atom_full")):
            structural = (n1 * (n0 + 1 - r0) + n1 + 1) / P
            assert row[pred] == pytest.approx(structural, rel=1e-14) and row[atom] == pytest.approx(structural, rel=1e-14)
        wishart = max(0.0, 1.0 - B * (C - 1) / P)
        assert row["pred_G"] == pytest.approx(max(wishart, row["pred_H"]), rel=1e-14)
        assert row["atom_G"] >= row["pred_G"] - 1e-15


# --------------------------------------------------------------------------- the runs and their mutants
def _scale(path, factor):
    def mutate(d):
        *keys, last = path
        node = d
        for k in keys:
            node = node[k]
        node[last] = (np.asarray(node[last]) * factor).tolist()

    return mutate


def _fit_key(family, key, factor):
    def mutate(d):
        f = _fit(d["nn_hessian_spectrum"], family)
        f[key] = (np.asarray(f[key]) * factor).tolist()

    return mutate


def _add(path, amount):
    def mutate(d):
        *keys, last = path
        node = d
        for k in keys:
            node = node[k]
        node[last] = node[last] + amount

    return mutate


def _row(key, amount):
    def mutate(d):
        d["nn_atom_mass"]["rows"][2][key] += amount

    return mutate


def _param(family, name, factor):
    def mutate(d):
        _fit(d["nn_hessian_spectrum"], family)["params"][name] *= factor

    return mutate


CHECKS = {
    "atom_structural": (lambda d: check_atom_is_the_structural_count(d["nn_hessian_spectrum"]),
                        _add(("nn_hessian_spectrum", "r0"), 1)),
    "semicircle_fit": (lambda d: check_semicircle_fit_against_the_typed_law(d["nn_hessian_spectrum"]),
                       _fit_key("semicircle", "a", 1.001)),
    "semicircle_density": (lambda d: check_semicircle_fit_against_the_typed_law(d["nn_hessian_spectrum"]),
                           _fit_key("semicircle", "curve_density", 1.0001)),
    "mp_fit": (lambda d: check_marchenko_pastur_fit_against_the_typed_density(d["nn_hessian_spectrum"]),
               _param("marchenko_pastur", "c", 0.999)),
    "ks_pvalues": (lambda d: check_ks_pvalues_from_scipy(d["nn_hessian_spectrum"]),
                   _fit_key("deformed", "ks_statistic", 1.01)),
    "product_atoms": (lambda d: check_product_atoms_of_the_equivalent_embeddings(d["nn_hessian_spectrum"]),
                      _param("wishart_product", "c1", 0.99)),
    "histogram": (lambda d: check_histogram(d["nn_hessian_spectrum"]),
                  _scale(("nn_hessian_spectrum", "hist_density"), 1.001)),
    "surmise_curves": (lambda d: check_surmise_curves(d["nn_spacing_ratios"]),
                       _scale(("nn_spacing_ratios", "pdf_goe"), 1.001)),
    "ratios": (lambda d: check_ratios_from_the_spectrum(d["nn_spacing_ratios"], d["nn_hessian_spectrum"]),
               _add(("nn_spacing_ratios", "dropped"), 1)),
    "surmise_ks": (lambda d: check_surmise_ks_pvalues(d["nn_spacing_ratios"]),
                   _scale(("nn_spacing_ratios", "ks_pvalue", "goe"), 1.01)),
    "outlier_law": (lambda d: check_outlier_law(d["nn_batch_outliers"], d["nn_hessian_spectrum"]),
                    _scale(("nn_batch_outliers", "law"), 1.0001)),
    "noise_fit": (lambda d: check_noise_fit(d["nn_batch_outliers"]), _scale(("nn_batch_outliers", "sigma2"), 1.001)),
    "atom_predictions": (lambda d: check_atom_predictions(d["nn_atom_mass"]), _row("pred_G", 0.01)),
    "atom_counts": (lambda d: check_atom_predictions(d["nn_atom_mass"]), _row("atom_H", 1e-3)),
}


@pytest.mark.parametrize("name", list(CHECKS))
def test_figure_data(data, name):
    CHECKS[name][0](data)


@pytest.mark.parametrize("name", list(CHECKS))
def test_figure_data_mutant_fails(data, name):
    check, mutate = CHECKS[name]
    bad = copy.deepcopy(data)
    mutate(bad)
    with pytest.raises(AssertionError):
        check(bad)


def test_data_files_are_small():
    for n in NAMES:
        assert (FIGURES / "data" / f"{n}.json").stat().st_size < 150_000
