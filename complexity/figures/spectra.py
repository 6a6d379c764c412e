"""Figures of the spectral-measure layer: Marchenko-Pastur laws (with the atom at 0) against
sampled Wishart spectra, and the log-potential against Monte Carlo log-determinants."""

from __future__ import annotations

import numpy as np

from complexity.figures import register
from complexity.figures.style import save

#: ratios c = N / T, matrix size and number of draws of the figure
MP_RATIOS = (0.25, 1.0, 2.5)
MP_N, MP_SAMPLES = 300, 8


def data_spectra_mp(n: int = MP_N, samples: int = MP_SAMPLES, seed: int = 40):
    """The figure's numbers, per c: the density on a grid, the sampled eigenvalues (seeded),
    the atom mass and its sampled fraction (|eigenvalue| < 1e-8), and on a grid of x the
    log-potential and ``N^-1 log E|det(W - x)|`` with its standard error."""
    from complexity import spectra

    out = {}
    for k, c in enumerate(MP_RATIOS):
        mu = spectra.marchenko_pastur(c)
        lo, hi = mu.support()[0]
        grid = np.linspace(0.0, hi * 1.05, 800)[1:]
        ev = mu.sample(n, samples, seed=seed + k)
        xs = np.linspace(-1.0, hi + 1.5, 25)
        xs = xs[np.abs(xs) > 1e-3]
        x_fine = np.linspace(-1.0, hi + 1.5, 601)
        est, se = mu.log_abs_det_mc(n, xs, samples, seed=seed + 10 + k)
        out[c] = {
            "grid": grid, "density": mu.density(grid), "eigenvalues": ev,
            "atom_mass": mu.atom_mass, "atom_fraction": float(np.mean(np.abs(ev) < 1e-8)),
            "x": xs, "log_potential": mu.log_potential(xs), "log_det": est, "log_det_se": se,
            "x_fine": x_fine, "log_potential_fine": mu.log_potential(x_fine),
        }
    return out


@register(
    "spectra_marchenko_pastur",
    f"Marchenko-Pastur densities (c = {', '.join(map(str, MP_RATIOS))}) over seeded histograms of "
    f"{MP_SAMPLES} Wishart matrices of size {MP_N} (the atom at 0 as a bar of its mass), and the "
    "log-potential against N^-1 log E|det(W - x)|",
    "spectra",
)
def spectra_marchenko_pastur(out_dir):
    import matplotlib.pyplot as plt

    data = data_spectra_mp()
    fig, axes = plt.subplots(2, len(MP_RATIOS), figsize=(12, 6.4))
    # data: per c the density and the fine log-potential on every 2nd grid point (axes stored
    # with them), the histogram as drawn with each draw's fraction of eigenvalues per bin (for
    # per-matrix standard errors), the atom, and the Monte Carlo log-determinants
    saved = {"n": MP_N, "samples": MP_SAMPLES, "c": {}}
    for j, (c, d) in enumerate(data.items()):
        ax = axes[0, j]
        ev = d["eigenvalues"]
        cont = ev[np.abs(ev) >= 1e-8]
        hi = d["grid"][-1]
        weights = np.full(cont.size, 1.0 / ev.size)
        bins = np.linspace(0.0, hi, 60)
        ax.hist(cont, bins=bins, weights=weights / np.diff(bins)[0], color="0.75",
                label=f"{MP_SAMPLES} samples, N = {MP_N}")
        frac = np.array([np.histogram(row[np.abs(row) >= 1e-8], bins=bins)[0] for row in ev]) / ev.shape[1]
        saved["c"][c] = {"grid": d["grid"][::2], "density": d["density"][::2], "bin_edges": bins,
                         "heights": np.histogram(cont, bins=bins, weights=weights / np.diff(bins)[0])[0],
                         "bin_fraction_mean": frac.mean(axis=0),
                         "bin_fraction_se": frac.std(axis=0, ddof=1) / np.sqrt(frac.shape[0]),
                         "atom_mass": d["atom_mass"], "atom_fraction": d["atom_fraction"],
                         "x": d["x"], "log_potential": d["log_potential"], "log_det": d["log_det"],
                         "log_det_se": d["log_det_se"], "x_fine": d["x_fine"][::2],
                         "log_potential_fine": d["log_potential_fine"][::2]}
        ax.plot(d["grid"], d["density"], color="tab:red", lw=1.5, label="density")
        if d["atom_mass"] > 0:
            top = ax.get_ylim()[1]
            ax.bar([0.0], [top * 0.9], width=hi / 80, color="tab:blue", alpha=0.7,
                   label=f"atom: {d['atom_mass']:.3f} (sampled {d['atom_fraction']:.3f})")  # height not to scale
        ax.set_title(f"c = N/T = {c}")
        ax.set_xlabel(r"$\lambda$")
        ax.legend(fontsize=7)
        ax2 = axes[1, j]
        ax2.plot(d["x_fine"], d["log_potential_fine"], color="tab:red", lw=1.5, label=r"$\Phi(x)$")
        ax2.errorbar(d["x"], d["log_det"], yerr=2 * d["log_det_se"], fmt="o", ms=3, color="k",
                     label=r"$N^{-1}\log E|\det(W - x)|$ ($\pm 2$ se)")
        ax2.set_xlabel("x")
        ax2.legend(fontsize=7)
    axes[0, 0].set_ylabel("density")
    axes[1, 0].set_ylabel("log-potential")
    fig.tight_layout()
    return [save(fig, out_dir, "spectra_marchenko_pastur", data=saved)]
