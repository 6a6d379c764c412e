"""Diagnostics of a network Hessian's spectrum: the atom at 0, spacing ratios against
the GOE and Poisson surmises, the outlier law against batch size (fits of the bulk by the
spectral layer's ensembles: :mod:`complexity.nn.fit`).

Thin adapters over the workbench's spectral layer (:mod:`complexity.spectra`) and
diagnostics (:mod:`complexity.diagnostics`), plus the batch-noise estimate.

* Spacing ratios and their KS tests against the GOE and Poisson surmises: the workbench's
  local statistics (:mod:`complexity.diagnostics.local`), with the atom at 0 taken
  relative to the largest |eigenvalue|.
* Batch noise (Baskerville, Keating, Mezzadri, Najnudel and Granziol, "Universal
  characteristics of deep neural network loss surfaces from random matrix theory"):
  H_B = H + s X with s X the fluctuation of a batch mean; s^2 = ||H_B - H||_F^2 / P is
  the noise's mean squared eigenvalue.  For a spike theta of the full-data Hessian A outside
  A's bulk mu_A and Wigner noise s X, the outlier sits at theta + s^2 G_A(theta)
  (subordination; :func:`complexity.diagnostics.outliers.noise_plus_hessian`; BBP's
  theta + s^2 / theta when mu_A = delta_0).
"""

from __future__ import annotations

import numpy as np

from complexity._validate import check_array, check_real

__all__ = [
    "drop_atom",
    "ratio_statistics",
    "batch_noise_s2",
    "batch_noise_s2_probes",
    "outlier_law",
]


def drop_atom(eigenvalues, tol: float):
    """``(kept, dropped)``: eigenvalues with |l| > tol * max |l|, and how many were dropped."""
    e = np.sort(check_array("eigenvalues", eigenvalues).ravel())
    tol = check_real("tol", tol, lower=0.0)
    keep = np.abs(e) > tol * np.max(np.abs(e))
    return e[keep], int(np.sum(~keep))


def ratio_statistics(eigenvalues, *, drop_tol: float = 1e-13, trim: float = 0.0) -> dict:
    """Spacing-ratio statistics with the atom |l| <= drop_tol * max |l| dropped and counted.

    The statistics are the workbench's (:func:`complexity.diagnostics.local.ratio_statistics`:
    mean r~ with a batch-means standard error, KS p-values against the GOE surmise and
    Poisson, fitted beta); ``trim`` drops that fraction of the remaining levels at each
    edge.  Returns its ``as_dict()`` plus the ``r_tilde`` values.
    """
    from complexity.diagnostics import local

    e = check_array("eigenvalues", eigenvalues).ravel()
    drop_tol = check_real("drop_tol", drop_tol, lower=0.0)
    st = local.ratio_statistics(e, drop_below=drop_tol * float(np.max(np.abs(e))), trim=trim)
    return {**st.as_dict(), "r_tilde": st.r_tilde}


def batch_noise_s2(H_batch, H_full) -> float:
    """s^2 = ||H_B - H||_F^2 / P: the mean squared eigenvalue of the batch noise."""
    D = np.asarray(H_batch) - np.asarray(H_full)
    return float(np.sum(D * D) / D.shape[0])


def outlier_law(bulk_eigenvalues, theta, s2) -> float:
    """Outlier of the spike ``theta`` of A (A's bulk: the empirical measure of ``bulk_eigenvalues``)
    under Wigner noise s X with s^2 = ``s2``: rho = theta + s^2 G_A(theta)
    (:func:`complexity.diagnostics.outliers.noise_plus_hessian`).  Below the threshold the
    spike does not separate: ``ValueError``."""
    from complexity import spectra
    from complexity.diagnostics import outliers

    mu = spectra.empirical(bulk_eigenvalues)
    out = outliers.noise_plus_hessian(mu, float(theta), float(np.sqrt(check_real("s2", s2, lower=0.0))))
    if out.location is None:
        raise ValueError(f"theta = {theta} does not separate from the bulk at s^2 = {s2} (threshold {out.threshold})")
    return float(out.location)


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
