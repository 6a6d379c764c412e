"""Diagnostics of a network Hessian's spectrum: the atom at 0, spacing ratios against
the GOE and Poisson surmises, the outlier law against batch size, moment fits of the bulk.

These are the few formulas the network figures need; they are written once here
(numpy/scipy only) and tested against quadrature and sampled matrices.

* Spacing ratios (Oganesyan and Huse 2007; Atas, Bogomolny, Giraud and Roux, PRL 110,
  084101 (2013)): for sorted levels l_n, r_n = (l_{n+1} - l_n) / (l_n - l_{n-1}) and
  r~_n = min(r_n, 1/r_n) in [0, 1]; no unfolding needed.
* Surmises (Atas et al. 2013, eq. 7): P_1(r) = (27/8) (r + r^2) / (1 + r + r^2)^{5/2}
  for the GOE, P_0(r) = 1 / (1 + r)^2 for Poisson levels; r~ has density 2 P(r~) on
  [0, 1], mean 4 - 2 sqrt 3 = 0.5359 (GOE surmise; 0.5307 at large N, Atas et al.)
  and 2 ln 2 - 1 = 0.3863 (Poisson, exact).
* Batch noise (Baskerville, Keating, Mezzadri, Najnudel and Granziol, "Universal
  characteristics of deep neural network loss surfaces from random matrix theory"):
  H_B = H + s X with s X the fluctuation of a batch mean; s^2 = ||H_B - H||_F^2 / P is
  the noise's mean squared eigenvalue.  For a spike theta of H well outside H's bulk and
  noise with a semicircle of variance s^2, the outlier sits at theta + s^2 / theta when
  theta > s (Baik-Ben Arous-Peche; Benaych-Georges and Nadakuditi), else at the edge 2 s.
* Bulk fits by moments, with the spectral layer's measures (:mod:`complexity.spectra`):
  a semicircle of mean m and variance v (support m +- 2 sqrt v), and a Marchenko-Pastur
  law of scale sigma^2 and ratio c (mean sigma^2, variance c sigma^4; an atom 1 - 1/c at 0
  when c > 1); goodness of fit = the Kolmogorov distance sup |F_emp - F_fit|.
"""

from __future__ import annotations

import numpy as np
from scipy import integrate, stats

from complexity._validate import check_array, check_real

__all__ = [
    "drop_atom",
    "r_tilde",
    "surmise_pdf",
    "surmise_cdf",
    "MEAN_R_TILDE",
    "ratio_statistics",
    "batch_noise_s2",
    "batch_noise_s2_probes",
    "outlier_law",
    "fit_semicircle",
    "fit_marchenko_pastur",
]

MEAN_R_TILDE = {"goe_surmise": 4 - 2 * np.sqrt(3), "goe_large_n": 0.5307, "poisson": 2 * np.log(2) - 1}


def drop_atom(eigenvalues, tol: float):
    """``(kept, dropped)``: eigenvalues with |l| > tol * max |l|, and how many were dropped."""
    e = np.sort(check_array("eigenvalues", eigenvalues).ravel())
    tol = check_real("tol", tol, lower=0.0)
    keep = np.abs(e) > tol * np.max(np.abs(e))
    return e[keep], int(np.sum(~keep))


def r_tilde(eigenvalues) -> np.ndarray:
    """r~_n = min(r_n, 1/r_n) of the sorted levels (needs >= 3 distinct levels)."""
    e = np.sort(check_array("eigenvalues", eigenvalues).ravel())
    s = np.diff(e)
    if e.size < 3 or np.count_nonzero(s) < 2:
        raise ValueError(f"eigenvalues must hold at least 3 distinct levels, got {e.size} values")
    a, b = s[:-1], s[1:]
    ok = (a > 0) & (b > 0)
    return np.minimum(a[ok], b[ok]) / np.maximum(a[ok], b[ok])


def surmise_pdf(r, kind: str):
    """Density of r~ in [0, 1]: 2 P(r~) with P the GOE ("goe") or Poisson ("poisson") surmise."""
    r = np.asarray(r, dtype=np.float64)
    if kind == "goe":
        p = (27.0 / 8.0) * (r + r * r) / (1 + r + r * r) ** 2.5
    elif kind == "poisson":
        p = 1.0 / (1 + r) ** 2
    else:
        raise ValueError(f"kind must be 'goe' or 'poisson', got {kind!r}")
    return np.where((r >= 0) & (r <= 1), 2 * p, 0.0)


_GRID = np.linspace(0.0, 1.0, 4001)
_GOE_CDF = integrate.cumulative_simpson(surmise_pdf(_GRID, "goe"), x=_GRID, initial=0.0)


def surmise_cdf(r, kind: str):
    """CDF of r~: Poisson 2 r / (1 + r) (closed form); GOE by Simpson quadrature on 4001 points."""
    r = np.clip(np.asarray(r, dtype=np.float64), 0.0, 1.0)
    if kind == "poisson":
        return 2 * r / (1 + r)
    if kind == "goe":
        return np.interp(r, _GRID, _GOE_CDF / _GOE_CDF[-1])
    raise ValueError(f"kind must be 'goe' or 'poisson', got {kind!r}")


def ratio_statistics(eigenvalues, *, drop_tol: float = 1e-13, trim: float = 0.0) -> dict:
    """Mean r~ with its standard error and KS p-values against the GOE and Poisson surmises.

    The atom (|l| <= drop_tol * max |l|) is dropped and counted; ``trim`` drops that
    fraction of the remaining levels at each edge.
    """
    kept, dropped = drop_atom(eigenvalues, drop_tol)
    trim = check_real("trim", trim, lower=0.0, upper=0.5, upper_open=True)
    k = int(trim * kept.size)
    kept = kept[k : kept.size - k]
    r = r_tilde(kept)
    return {
        "n": int(r.size),
        "dropped": dropped,
        "mean_r_tilde": float(r.mean()),
        "stderr": float(r.std(ddof=1) / np.sqrt(r.size)),
        "ks_pvalue": {
            kind: float(stats.kstest(r, lambda x, kind=kind: surmise_cdf(x, kind)).pvalue)
            for kind in ("goe", "poisson")
        },
        "r_tilde": r,
    }


def batch_noise_s2(H_batch, H_full) -> float:
    """s^2 = ||H_B - H||_F^2 / P: the mean squared eigenvalue of the batch noise."""
    D = np.asarray(H_batch) - np.asarray(H_full)
    return float(np.sum(D * D) / D.shape[0])


def outlier_law(theta, s2):
    """Outlier of spike ``theta`` under semicircle noise of variance ``s2``: theta + s2/theta if theta > s, else 2 s."""
    theta = np.asarray(theta, dtype=np.float64)
    s = np.sqrt(np.asarray(s2, dtype=np.float64))
    return np.where(theta > s, theta + s * s / np.where(theta > s, theta, 1.0), 2 * s)


def _kolmogorov(e, cdf) -> float:
    e = np.sort(e)
    n = e.size
    F = np.asarray(cdf(e), dtype=np.float64)
    return float(max(np.max(np.arange(1, n + 1) / n - F), np.max(F - np.arange(n) / n)))


def fit_semicircle(eigenvalues) -> dict:
    """Moment fit by the spectral layer's semicircle standardised to the sample mean and variance.

    Returns ``{"name", "measure", "mean", "variance", "ks_distance"}``; ``measure`` is a
    :class:`complexity.spectra.SpectralMeasure` (``.density``, ``.cdf``, ...).
    """
    from complexity import spectra

    e = check_array("eigenvalues", eigenvalues).ravel()
    m, v = float(e.mean()), float(e.var())
    if not v > 0:
        raise ValueError("eigenvalues must not all be equal (zero variance) for a semicircle fit")
    mu = spectra.semicircle().standardise(variance=v, mean=m)
    return {"name": "semicircle", "measure": mu, "mean": m, "variance": v, "ks_distance": _kolmogorov(e, mu.cdf)}


def fit_marchenko_pastur(eigenvalues) -> dict:
    """Moment fit by the spectral layer's Marchenko-Pastur law scaled by sigma^2:
    the law of sigma^2 W, W ~ MP(c), has mean sigma^2 and variance c sigma^4, so
    sigma^2 = mean and c = variance / mean^2 (an atom 1 - 1/c at 0 when c > 1)."""
    from complexity import spectra

    e = check_array("eigenvalues", eigenvalues).ravel()
    s2 = float(e.mean())
    if not s2 > 0:
        raise ValueError(f"a Marchenko-Pastur fit needs eigenvalues with a positive mean, got {s2!r}")
    c = float(e.var() / s2**2)
    if not c > 0:
        raise ValueError("eigenvalues must not all be equal (zero variance) for a Marchenko-Pastur fit")
    mu = spectra.marchenko_pastur(c).affine(s2)
    return {
        "name": "marchenko_pastur",
        "measure": mu,
        "sigma2": s2,
        "c": c,
        "atom": max(0.0, 1 - 1 / c),
        "ks_distance": _kolmogorov(e, mu.cdf),
    }


def batch_noise_s2_probes(matvec_batch, matvec_full, n: int, probes: int, seed: int = 0):
    """``(estimate, stderr)`` of s^2 = ||H_B - H||_F^2 / n from Rademacher probes z:
    E ||(H_B - H) z||^2 = ||H_B - H||_F^2 (Hutchinson), so each probe gives ||D z||^2 / n."""
    rng = np.random.default_rng(seed)
    vals = []
    for _ in range(probes):
        z = rng.choice([-1.0, 1.0], size=n)
        d = np.asarray(matvec_batch(z)) - np.asarray(matvec_full(z))
        vals.append(float(d @ d) / n)
    vals = np.asarray(vals)
    return float(vals.mean()), float(vals.std(ddof=1) / np.sqrt(probes)) if probes > 1 else 0.0
