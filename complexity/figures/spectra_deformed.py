"""Figure of deformed spectra: a "true Hessian" of separated levels plus Wigner noise s X.

``spectra_deformed``: the density of ``A + s X`` (``A`` with spectrum
``sum_i w_i delta_{a_i}``, ``X`` the "wigner" GOE) for four noise levels, from separated
bulks around each level to one bulk, against Monte Carlo histograms (``SAMPLES`` draws of
size ``N`` per panel), and the support as a function of s (edges from the subordination
edge equation ``s^2 int dmu_D / (omega - l)^2 = 1``).  Numbers: :func:`data_spectra_deformed`.
"""

from __future__ import annotations

import numpy as np

from complexity.figures import register
from complexity.figures.style import save

LEVELS = (-1.0, 0.0, 1.5, 3.0)
WEIGHTS = (0.15, 0.55, 0.2, 0.1)
PANELS = (0.2, 0.75, 1.0, 1.4)
N = 400
SAMPLES = 8
SWEEP = np.linspace(0.02, 1.6, 45)


def data_spectra_deformed() -> dict:
    """Densities (block solver), seeded histograms (``SAMPLES`` draws, ``N`` x ``N``; with the
    standard error of each bin's fraction over the draws) and the support against s
    (subordination edges) for :data:`LEVELS` / :data:`WEIGHTS`."""
    from complexity import spectra
    from complexity.spectra.subordination import Deformed

    lv = spectra.discrete(LEVELS, WEIGHTS)
    x = np.linspace(-4.0, 5.5, 1201)
    panels = []
    for k, s in enumerate(PANELS):
        h = spectra.deformed(lv, s)  # the block ensemble with S_ij = s^2
        per_draw = h.sample(N, SAMPLES, seed=500 + k)
        ev = per_draw.ravel()
        counts, edges = np.histogram(ev, bins=np.linspace(x[0], x[-1], 121))
        heights = counts / (ev.size * np.diff(edges))
        frac = np.array([np.histogram(row, bins=edges)[0] for row in per_draw]) / N
        panels.append({"s": s, "density": h.density(x), "support": h.support(),
                       "bin_edges": edges, "heights": heights,
                       "bin_fraction_se": frac.std(axis=0, ddof=1) / np.sqrt(SAMPLES)})
    sweep = [Deformed(lv, s).support() for s in SWEEP]
    return {"levels": LEVELS, "weights": WEIGHTS, "x": x, "panels": panels, "s": SWEEP, "supports": sweep,
            "n_intervals": np.array([len(iv) for iv in sweep]), "n": N, "samples": SAMPLES}


@register(
    "spectra_deformed",
    "true Hessian of four levels (-1, 0, 1.5, 3; weights 0.15, 0.55, 0.2, 0.1) plus noise s X: "
    "densities for s = 0.2, 0.75, 1.0, 1.4 (4, 3, 2, 1 intervals) over seeded 400x400 histograms "
    "(8 draws each), and the support against s (45 values) from the subordination edge equation",
    "spectra",
)
def spectra_deformed(out_dir):
    import matplotlib.pyplot as plt

    d = data_spectra_deformed()
    fig = plt.figure(figsize=(12, 6.4))
    grid = fig.add_gridspec(2, 4, height_ratios=(1.0, 0.9))
    for k, p in enumerate(d["panels"]):
        ax = fig.add_subplot(grid[0, k])
        ax.stairs(p["heights"], p["bin_edges"], fill=True, color="0.78", label=f"{d['samples']} draws, N = {d['n']}")
        ax.plot(d["x"], p["density"], color="tab:red", lw=1.3, label="theory")
        for a in d["levels"]:
            ax.axvline(a, color="0.4", lw=0.6, ls=":")
        ax.set_title(f"s = {p['s']}: {len(p['support'])} interval(s)")
        ax.set_xlabel(r"$\lambda$")
        if k == 0:
            ax.set_ylabel("density")
            ax.legend(fontsize=7)
    ax = fig.add_subplot(grid[1, :])
    for s, iv in zip(d["s"], d["supports"]):
        for lo, hi in iv:
            ax.plot([s, s], [lo, hi], color="tab:blue", lw=3.2, solid_capstyle="butt")
    for p in d["panels"]:
        ax.axvline(p["s"], color="tab:red", lw=0.8, ls="--")
    for a in d["levels"]:
        ax.axhline(a, color="0.4", lw=0.6, ls=":")
    ax.set_xlabel("noise s (Wigner scale: s X has semicircle variance $s^2$)")
    ax.set_ylabel(r"support of $\mu_A \boxplus \mathrm{sc}(s^2)$")
    ax.set_title("separated levels merge into one bulk as s grows (dotted: the levels of A)")
    fig.tight_layout()
    # data: everything drawn (the densities on every 2nd of the 1201 points, with the points)
    saved = {"levels": d["levels"], "weights": d["weights"], "n": d["n"], "samples": d["samples"], "x": d["x"][::2],
             "panels": [{"s": p["s"], "density": p["density"][::2], "support": p["support"], "bin_edges": p["bin_edges"],
                         "heights": p["heights"], "bin_fraction_se": p["bin_fraction_se"]} for p in d["panels"]],
             "sweep": {"s": d["s"], "supports": d["supports"], "n_intervals": d["n_intervals"]}}
    return [save(fig, out_dir, "spectra_deformed", data=saved)]
