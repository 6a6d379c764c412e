"""Figures of the percolated (sparse Erdos-Renyi) Wigner spectra: the density for several mean
degrees against Monte Carlo histograms with the atom at 0 drawn as a bar, and the atom's mass
against the mean degree with the transition at c = e."""

from __future__ import annotations

import functools
import math

import numpy as np

from complexity.figures import register
from complexity.figures.style import save

DEGREES = (1.0, 2.0, 4.0)


@functools.lru_cache(maxsize=None)
def _measure(c):
    from complexity import spectra

    return spectra.percolated(c, seed=0)


def data_percolated_spectra(degrees=DEGREES, n=600, samples=8, seed=40):
    """Per mean degree: the table (``x``, ``density``, ``stderr``), the exact atom, and the Monte
    Carlo eigenvalues (``samples`` draws at size ``n``) with their zero fraction (``|l| <= 1e-12``)
    and its standard error over draws."""
    out = {}
    for k, c in enumerate(degrees):
        mu = _measure(c)
        ev = mu.sample(n, samples, seed=seed + k)
        zero = np.mean(np.abs(ev) <= 1e-12, axis=1)
        x = np.linspace(-4.0, 4.0, 1601)
        out[c] = {
            "x": x,
            "density": mu.density(x),
            "stderr": mu.density_stderr(x),
            "atom": mu.p0,
            "eigenvalues": ev,
            "zero_fraction": float(zero.mean()),
            "zero_fraction_stderr": float(zero.std(ddof=1) / math.sqrt(samples)),
            "table_seconds": mu.table()["seconds"],
        }
    return out


def data_percolated_atom(grid=None, mc_degrees=(0.5, 1.0, 1.5, 2.0, 2.5, 2.718281828459045, 3.0, 4.0, 5.0),
                         seed=7, n_low=3000, samples_low=8, n_high=800, samples_high=4):
    """The exact atom mass and the three roots of ``t = exp(-c exp(-c t))`` on a grid of c, and
    Monte Carlo nullity fractions (exact leaf removal plus the core's kernel; size ``n_low``
    below e, ``n_high`` from e on, where the core is giant and decided by dense eigenvalues)."""
    from scipy.special import lambertw

    import complexity.spectra.sparse as P

    c = np.linspace(0.05, 6.0, 400) if grid is None else np.asarray(grid, float)
    mass = np.array([P.atom_mass(ci) for ci in c])
    t_small = np.array([P.atom_root(ci) for ci in c])
    t_mid = np.real(lambertw(c)) / c
    t_large = np.exp(-c * t_small)  # t -> exp(-c t) maps the smallest root to the largest
    mc = []
    for k, ci in enumerate(mc_degrees):
        n, s = (n_low, samples_low) if ci < math.e else (n_high, samples_high)
        mean, se, _ = P.Percolated(ci).nullity_mc(n, s, seed=seed + k)
        mc.append((ci, mean, se, n, s))
    return {"c": c, "mass": mass, "roots": (t_small, t_mid, t_large), "mc": mc}


@register(
    "percolated_spectra",
    "percolated Wigner spectra (mean degree c = 1, 2, 4): population-dynamics density (eta = 0.01, "
    "0.02, Richardson; 8 x 1000 members) against 8 seeded N = 600 histograms, the atom at 0 as a bar",
    "spectra",
)
def percolated_spectra(out_dir):
    import matplotlib.pyplot as plt

    data = data_percolated_spectra()
    fig, axes = plt.subplots(1, len(data), figsize=(4.2 * len(data), 3.6), sharey=True)
    # data: per c the density and its standard error on every 4th of the 1601 points (with the
    # points), the exact atom, the zero fraction, and the histogram as drawn with each draw's
    # fraction of nonzero eigenvalues per bin (for per-matrix standard errors)
    saved = {"c": {}}
    for ax, (c, d) in zip(np.atleast_1d(axes), data.items()):
        ev = d["eigenvalues"].ravel()
        nonzero = ev[np.abs(ev) > 1e-12]
        bins = np.linspace(-4.0, 4.0, 81)
        counts, _ = np.histogram(nonzero, bins)
        draws, n = d["eigenvalues"].shape
        frac = np.array([np.histogram(row[np.abs(row) > 1e-12], bins)[0] for row in d["eigenvalues"]]) / n
        saved["c"][c] = {"n": n, "samples": draws, "x": d["x"][::4], "density": d["density"][::4],
                         "stderr": d["stderr"][::4], "atom": d["atom"], "zero_fraction": d["zero_fraction"],
                         "zero_fraction_stderr": d["zero_fraction_stderr"], "bin_edges": bins,
                         "heights": counts / (ev.size * np.diff(bins)), "bin_fraction_mean": frac.mean(axis=0),
                         "bin_fraction_se": frac.std(axis=0, ddof=1) / math.sqrt(draws)}
        ax.stairs(counts / (ev.size * np.diff(bins)), bins, fill=True, color="0.8", label=f"{draws} draws, N = {n}")
        ax.plot(d["x"], d["density"], color="tab:red", lw=1.3, label="population dynamics")
        band = (d["density"] - 2 * d["stderr"], d["density"] + 2 * d["stderr"])
        ax.fill_between(d["x"], *band, color="tab:red", alpha=0.25, lw=0)
        top = 1.2 * float(np.max(d["density"][np.abs(d["x"]) > 0.15]))
        ax.set_ylim(0, max(top, 0.3))
        axm = ax.twinx()
        axm.bar([0.0], [d["atom"]], width=0.12, color="tab:blue", alpha=0.6, label="atom (exact)")
        axm.errorbar([0.18], [d["zero_fraction"]], yerr=[2 * d["zero_fraction_stderr"]], fmt="o", ms=3, color="k",
                     label="zero fraction (MC)")
        axm.set_ylim(0, 1.0)
        axm.set_ylabel("atom mass at 0", color="tab:blue")
        axm.grid(False)
        ax.set_title(rf"$c = {c:g}$: atom $= {d['atom']:.4f}$")
        ax.set_xlabel(r"$\lambda$")
        if c == list(data)[0]:
            ax.set_ylabel("density of the continuous part")
            ax.legend(fontsize=7, loc="upper left")
            axm.legend(fontsize=7, loc="upper right")
    fig.tight_layout()
    return [save(fig, out_dir, "percolated_spectra", data=saved)]


@register(
    "percolated_atom",
    "atom mass at 0 of the percolated Wigner matrix against the mean degree c (exact formula, the "
    "transition at c = e where t = exp(-c exp(-c t)) gains three roots) with exact-nullity Monte Carlo "
    "points (N = 3000 x 8 below e, N = 800 x 4 above)",
    "spectra",
)
def percolated_atom(out_dir):
    import matplotlib.pyplot as plt

    d = data_percolated_atom()
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(10, 3.8))
    ax.semilogy(d["c"], d["mass"], color="tab:red", label=r"$t + e^{-ct} + ct\,e^{-ct} - 1$")
    ax.semilogy(d["c"], np.exp(-d["c"]), color="0.5", ls="--", lw=1, label=r"$e^{-c}$ (isolated vertices)")
    cs, ms, ses = (np.array([m[i] for m in d["mc"]]) for i in range(3))
    ax.errorbar(cs, ms, yerr=2 * ses, fmt="o", ms=3.5, color="k", label=r"exact nullity of draws ($\pm 2$ s.e.)")
    ax.axvline(math.e, color="tab:blue", lw=1, ls=":")
    ax.text(math.e * 1.02, 0.5, r"$c = e$", color="tab:blue")
    ax.set_xlabel("mean degree c")
    ax.set_ylabel(r"$\mu_c(\{0\})$")
    ax.legend(fontsize=8)
    t1, t2, t3 = d["roots"]
    ax2.plot(d["c"], t1, color="tab:red", label="smallest root (the atom's)")
    ax2.plot(d["c"], t2, color="0.4", ls="--", label=r"$W(c)/c$")
    ax2.plot(d["c"], t3, color="tab:green", label=r"largest root $e^{-c t_1}$")
    ax2.axvline(math.e, color="tab:blue", lw=1, ls=":")
    ax2.set_xlabel("mean degree c")
    ax2.set_ylabel(r"roots of $t = e^{-c e^{-ct}}$")
    ax2.legend(fontsize=8)
    fig.tight_layout()
    saved = {"c": d["c"], "mass": d["mass"], "roots": {"small": t1, "middle": t2, "large": t3},
             "mc": {key: [m[i] for m in d["mc"]] for i, key in enumerate(("c", "mean", "stderr", "n", "samples"))}}
    return [save(fig, out_dir, "percolated_atom", data=saved)]
