"""Figures of the free multiplicative products: spectra with their atoms, and the atom mass
against the dimension ratios (theory from :mod:`complexity.spectra.products`, Monte Carlo
from its samplers)."""

from __future__ import annotations

import math

import numpy as np

from complexity.figures import register
from complexity.figures.style import save

#: (label, constructor name, parameters) of the panels of ``spectra_products``
PANELS = (
    ("$W_1W_2$, $c = (0.25, 0.5)$", "wishart_product", (0.25, 0.5)),
    ("$W_1W_2$, $c = (0.5, 2)$", "wishart_product", (0.5, 2.0)),
    ("$W_1W_2W_3$, $c = (0.5, 1.5, 3)$", "wishart_product", (0.5, 1.5, 3.0)),
    ("$W^{1/2}SW^{1/2}$, $c = 0.5$", "wigner_times_wishart", (0.5,)),
    ("$W^{1/2}SW^{1/2}$, $c = 2$", "wigner_times_wishart", (2.0,)),
    ("$W_1W_2$, $c = (1, 1)$ (Fuss-Catalan)", "wishart_product", (1.0, 1.0)),
)
N_SPECTRA, SAMPLES_SPECTRA = 200, 6
N_ATOMS, SAMPLES_ATOMS = 60, 4
RATIOS = np.round(np.geomspace(0.2, 6.0, 17), 3)


def _measure(kind, params):
    from complexity import spectra

    return getattr(spectra, kind)(*params)


def data_spectra_products(seed: int = 20):
    """Per panel: the measure, the density on a grid, the atoms, and the sampled eigenvalues
    (``SAMPLES_SPECTRA`` seeded draws of size ``N_SPECTRA``) with the fraction of
    ``|eigenvalue| < 1e-8``."""
    out = []
    for k, (label, kind, params) in enumerate(PANELS):
        mu = _measure(kind, params)
        ev = mu.sample(N_SPECTRA, SAMPLES_SPECTRA, seed=seed + k)
        lo, hi = mu.support()[0][0], mu.support()[-1][1]
        x = lo + (hi - lo) * (1.0 - np.cos(np.linspace(0.0, math.pi, 1200)[1:-1])) / 2.0  # dense at the edges
        x = x[x != 0.0] if any(a == 0.0 for iv in mu.support() for a in iv) else x
        zero = np.mean(np.abs(ev) < 1e-8, axis=1)
        out.append({
            "label": label, "measure": mu, "x": x, "density": mu.density(x), "atoms": mu.atoms(),
            "eigenvalues": ev, "zero_fraction": float(zero.mean()),
            "zero_fraction_se": float(zero.std(ddof=1) / math.sqrt(zero.size)),
        })
    return out


@register(
    "spectra_products",
    "free multiplicative products: W1 W2 (c = (0.25, 0.5), (0.5, 2), (1, 1)), W1 W2 W3 (c = (0.5, 1.5, 3)) and "
    "W^1/2 S W^1/2 (c = 0.5, 2): density (root tracker) over Monte Carlo histograms of the nonzero eigenvalues "
    f"({SAMPLES_SPECTRA} seeded samples, N = {N_SPECTRA}); atoms at 0 as bars of their mass (right axis) with "
    "the sampled fraction of zero eigenvalues",
    "spectra",
)
def spectra_products(out_dir):
    import matplotlib.pyplot as plt

    data = data_spectra_products()
    fig, axes = plt.subplots(2, 3, figsize=(13, 7))
    # data: per panel the density on every 4th of its ~1200 points (with the points), the atoms,
    # the sampled zero fraction, and the histogram as drawn with each draw's fraction of nonzero
    # eigenvalues per bin (for per-matrix standard errors)
    saved = {"n": N_SPECTRA, "samples": SAMPLES_SPECTRA, "panels": []}
    for (_, kind, params), ax, d in zip(PANELS, axes.ravel(), data):
        mu, ev = d["measure"], d["eigenvalues"]
        nz = ev[np.abs(ev) >= 1e-8]
        lo, hi = d["x"][0], d["x"][-1]
        top = float(np.quantile(nz, 0.995)) if lo >= 0 else hi
        bins = np.linspace(min(lo, nz.min()), max(min(hi, top), 1e-3), 60)
        # histogram normalised to the continuous mass: counts / (N samples bin width)
        counts, edges = np.histogram(nz, bins=bins)
        frac = np.array([np.histogram(row[np.abs(row) >= 1e-8], bins=edges)[0] for row in ev]) / ev.shape[1]
        saved["panels"].append({
            "label": d["label"], "kind": kind, "params": params, "x": d["x"][::4], "density": d["density"][::4],
            "atoms": d["atoms"], "zero_fraction": d["zero_fraction"], "zero_fraction_se": d["zero_fraction_se"],
            "bin_edges": edges, "heights": counts / (ev.size * np.diff(edges)),
            "bin_fraction_mean": frac.mean(axis=0), "bin_fraction_se": frac.std(axis=0, ddof=1) / math.sqrt(len(frac))})
        ax.stairs(counts / (ev.size * np.diff(edges)), edges, fill=True, color="0.8", label="Monte Carlo")
        ax.plot(d["x"], d["density"], color="tab:red", lw=1.4, label="theory (continuous part)")
        heights = counts / (ev.size * np.diff(edges))
        ax.set_ylim(0, 1.3 * max(heights.max(), np.quantile(d["density"], 0.9)))
        ax.set_xlim(bins[0] - 0.02 * (bins[-1] - bins[0]), bins[-1])
        if d["atoms"]:
            ax2 = ax.twinx()
            for a, w in d["atoms"]:
                ax2.bar([a], [w], width=0.012 * (bins[-1] - bins[0]), color="tab:blue", alpha=0.8,
                        label=f"atom, mass {w:.3f}")
            ax2.errorbar([0.0], [d["zero_fraction"]], yerr=[d["zero_fraction_se"]], fmt="o", ms=4, color="k",
                         label=f"sampled zero fraction {d['zero_fraction']:.3f}")
            ax2.set_ylim(0, 1)
            ax2.set_ylabel("atom mass", color="tab:blue")
            ax2.grid(False)
            h1, l1 = ax.get_legend_handles_labels()
            h2, l2 = ax2.get_legend_handles_labels()
            ax2.legend(h1 + h2, l1 + l2, fontsize=7, loc="upper right")
        else:
            ax.legend(fontsize=7, loc="upper right")
        ax.set_title(d["label"], fontsize=10)
        ax.set_xlabel(r"$\lambda$")
    axes[0, 0].set_ylabel("density")
    axes[1, 0].set_ylabel("density")
    fig.tight_layout()
    return [save(fig, out_dir, "spectra_products", data=saved)]


def data_product_atoms(seed: int = 30):
    """Atom mass at 0 against the ratio ``c2 = N / T2`` (theory from the measures; Monte Carlo
    fraction of ``|eigenvalue| < 1e-8`` over ``SAMPLES_ATOMS`` draws of size ``N_ATOMS``, mean
    and standard error) for ``W1 W2`` at ``c1 = 0.5`` and ``c1 = 2``, ``W1 W2 W3`` at
    ``(c1, c3) = (0.5, 1.5)``, and ``W^1/2 S W^1/2`` at ``c = c2``."""
    families = {
        "W1 W2, c1 = 0.5": lambda c: ("wishart_product", (0.5, c)),
        "W1 W2, c1 = 2": lambda c: ("wishart_product", (2.0, c)),
        "W1 W2 W3, (c1, c3) = (0.5, 1.5)": lambda c: ("wishart_product", (0.5, c, 1.5)),
        "W^1/2 S W^1/2": lambda c: ("wigner_times_wishart", (c,)),
    }
    fine = np.geomspace(RATIOS[0], RATIOS[-1], 400)
    out = {"ratios": RATIOS, "fine": fine, "families": {}}
    for j, (name, make) in enumerate(families.items()):
        theory = np.array([_measure(*make(c)).atom_mass for c in fine])
        mc, se = [], []
        for i, c in enumerate(RATIOS):
            ev = _measure(*make(c)).sample(N_ATOMS, SAMPLES_ATOMS, seed=seed + 100 * j + i)
            f = np.mean(np.abs(ev) < 1e-8, axis=1)
            mc.append(f.mean())
            se.append(f.std(ddof=1) / math.sqrt(f.size))
        out["families"][name] = {"theory": theory, "mc": np.array(mc), "se": np.array(se)}
    return out


@register(
    "product_atoms",
    "atom mass at 0 of W1 W2 (c1 = 0.5, 2), W1 W2 W3 ((c1, c3) = (0.5, 1.5)) and W^1/2 S W^1/2 against "
    f"c2 = N / T2: theory max_i (1 - 1/c_i)_+ (derived from the S-transform equation) and the Monte Carlo "
    f"fraction of zero eigenvalues ({SAMPLES_ATOMS} seeded samples, N = {N_ATOMS}, T_i = round(N / c_i))",
    "spectra",
)
def product_atoms(out_dir):
    import matplotlib.pyplot as plt

    data = data_product_atoms()
    fig, ax = plt.subplots(figsize=(6.5, 4.2))
    colors = plt.cm.viridis(np.linspace(0, 0.85, len(data["families"])))
    styles = ("-", "-", "-", "--")
    markers = ("o", "s", "^", "x")
    for col, ls, mk, (name, d) in zip(colors, styles, markers, data["families"].items()):
        ax.plot(data["fine"], d["theory"], color=col, ls=ls, label=name)
        ax.errorbar(data["ratios"], d["mc"], yerr=d["se"], fmt=mk, ms=4.5, color=col, mfc="none")
    ax.set_xscale("log")
    ticks = [0.2, 0.5, 1, 2, 5]
    ax.set_xticks(ticks, [str(t) for t in ticks])
    ax.minorticks_off()
    ax.set_xlabel(r"$c_2 = N / T_2$")
    ax.set_ylabel("mass of the atom at 0")
    ax.set_title("atom at 0: lines theory, markers Monte Carlo ($N = %d$; the rank is exact,\n"
                 "so the spread over samples is 0; W1 W2 at c1 = 0.5 and W^1/2 S W^1/2 coincide)" % N_ATOMS,
                 fontsize=9)
    ax.legend(fontsize=8)
    saved = {"n": N_ATOMS, "samples": SAMPLES_ATOMS, "ratios": data["ratios"], "fine": data["fine"],
             "families": data["families"]}
    return [save(fig, out_dir, "product_atoms", data=saved)]
