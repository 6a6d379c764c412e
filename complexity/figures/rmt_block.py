"""Figures of the block random-matrix layer: spectra, the Coulomb-gas check, the support phase diagram."""

from __future__ import annotations

import math

import numpy as np

from complexity.figures import register
from complexity.figures.style import save

SPECTRA = {"separate": 4.0, "touching": 1.5, "merged": 1.1}


@register(
    "spectra",
    "density of b M + b1 (M1+0) - x1 (I+0), kappa=0.9, b=1, b1=0.5, x1 = 4, 1.5, 1.1 over seeded 300x300 "
    "histograms (three files: spectrum_separate/touching/merged)",
    "rmt",
)
def spectra(out_dir):
    import matplotlib.pyplot as plt

    from complexity.rmt import block

    files = []
    for k, (name, x1) in enumerate(SPECTRA.items()):
        ens = block.gan_ensemble(0.9, 1.0, 0.5, x1)
        per_draw = np.linalg.eigvalsh(block.sample(ens, 300, 40, seed=100 + k))
        ev = per_draw.ravel()
        (lo, _), (_, hi) = block.support(ens)[0][0], block.support(ens)[0][-1]
        lam = np.linspace(lo - 0.5, hi + 0.5, 1500)
        fig, ax = plt.subplots(figsize=(6, 3.6))
        ax.hist(ev, bins=120, density=True, color="0.75", label="40 samples, N = 300")
        rho = block.density(ens, lam)
        ax.plot(lam, rho, color="tab:red", lw=1.6, label="vector Dyson equation")
        # data: the histogram as drawn (np.histogram's edges are matplotlib's) and each draw's
        # fraction of eigenvalues per bin, for per-matrix standard errors
        counts, edges = np.histogram(ev, bins=120)
        frac = np.array([np.histogram(row, bins=edges)[0] for row in per_draw]) / per_draw.shape[1]
        data = {"kappa": 0.9, "b": 1.0, "b1": 0.5, "x1": x1, "n": per_draw.shape[1], "samples": per_draw.shape[0],
                "support": block.support(ens)[0], "lam": lam, "density": rho, "bin_edges": edges,
                "heights": counts / (ev.size * np.diff(edges)), "bin_fraction_mean": frac.mean(axis=0),
                "bin_fraction_se": frac.std(axis=0, ddof=1) / math.sqrt(frac.shape[0])}
        ax.set_title(rf"$\kappa=0.9,\ b=1,\ b_1=0.5,\ x_1={x1}$: {name} blocks")
        ax.set_xlabel(r"$\lambda$")
        ax.set_ylabel("density")
        ax.legend(fontsize=8)
        files.append(save(fig, out_dir, f"spectrum_{name}", data=data))
    return files


@register(
    "coulomb_verification",
    "N^-1 log E|det(H - x)| by Monte Carlo (N = 200) against the log-potential Phi: published constants "
    "p=q=3, sigma_z=1, kappa=0.9 at x1 in {-90,-45,0,45,90}, and a b1 > b setting",
    "rmt",
)
def coulomb(out_dir):
    import matplotlib.pyplot as plt

    from complexity.rmt import block

    p = q = 3
    b = math.sqrt((p + q) * (p + q - 1) * 2 ** (p + q))
    b1 = math.sqrt(0.9 * p * (p - 1))
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    x = np.linspace(-150, 150, 41)
    colors = plt.cm.viridis(np.linspace(0, 0.9, 5))
    # data: per panel and x1 the Monte Carlo points (N = 200, 100 draws) and Phi on its 600 points
    data = {"n": 200, "samples": 100, "published": {"kappa": 0.9, "b": b, "b1": b1, "x": x,
                                                   "x_fine": np.linspace(-150, 150, 600), "x1": {}}}
    for c, x1 in zip(colors, (-90, -45, 0, 45, 90)):
        ens = block.gan_ensemble(0.9, b, b1, x1)
        mc, se = block.log_abs_det_mc(ens, 200, x, 100, seed=7)
        ax.errorbar(x, mc, yerr=se, fmt="o", ms=3, color=c)
        xx = np.linspace(-150, 150, 600)
        phi = block.log_potential(ens, xx)
        ax.plot(xx, phi, color=c, label=f"$x_1 = {x1}$")
        data["published"]["x1"][x1] = {"mc": mc, "se": se, "phi": phi}
    ax.set_title(r"published constants ($b \approx 43.8$, $b_1 \approx 2.32$): lines $\Phi$, dots Monte Carlo")
    ax.set_xlabel("x")
    ax.set_ylabel(r"$N^{-1}\log \mathbb{E}|\det(H - x)|$")
    ax.legend(fontsize=8)
    ens = block.gan_ensemble(0.5, 1.0, 2.0, 0.0)
    x = np.linspace(-6, 6, 41)
    mc, se = block.log_abs_det_mc(ens, 200, x, 100, seed=8)
    xx = np.linspace(-6, 6, 600)
    phi = block.log_potential(ens, xx)
    ax2.plot(xx, phi, color="tab:red", label=r"$\Phi$ (vector Dyson)")
    data["b1_above_b"] = {"kappa": 0.5, "b": 1.0, "b1": 2.0, "x1": 0.0, "x": x, "mc": mc, "se": se,
                          "x_fine": xx, "phi": phi}
    ax2.errorbar(x, mc, yerr=se, fmt="o", ms=3, color="k", label="Monte Carlo, N = 200")
    ax2.set_title(r"$b_1 > b$: $\kappa = 0.5,\ b = 1,\ b_1 = 2,\ x_1 = 0$")
    ax2.set_xlabel("x")
    ax2.legend(fontsize=8)
    return [save(fig, out_dir, "coulomb_verification", data=data)]


@register(
    "support_phase_diagram",
    "number of support intervals of b M + b1 (M1+0) - x1 (I+0) over (x1, b1/b) at kappa = 0.9, b = 1 "
    "(edge polynomial + midpoint classification, checked against a scan), boundaries by bisection",
    "rmt",
)
def phase_diagram(out_dir):
    import matplotlib.pyplot as plt
    from matplotlib.colors import ListedColormap

    from complexity.rmt import block

    x1s = np.linspace(-5, 5, 81)
    ratios = np.linspace(0.0, 3.0, 41)
    count = np.zeros((ratios.size, x1s.size), dtype=int)
    for i, r in enumerate(ratios):
        for j, x1 in enumerate(x1s):
            count[i, j] = block.n_intervals(block.gan_ensemble(0.9, 1.0, r, x1))
    fig, ax = plt.subplots(figsize=(6.5, 4.2))
    cmap = ListedColormap(["#d9e6f2", "#f4a259", "#bc4b51"][: max(count.max(), 1)])
    im = ax.pcolormesh(x1s, ratios, count, cmap=cmap, vmin=0.5, vmax=count.max() + 0.5, shading="nearest")
    cb = fig.colorbar(im, ax=ax, ticks=range(1, count.max() + 1))
    cb.set_label("support intervals")

    def n_int(r, x1):
        return block.n_intervals(block.gan_ensemble(0.9, 1.0, r, x1))

    # the phase boundaries themselves, by bisection in x1 (not limited by the grid)
    fine = np.linspace(0.0, 3.0, 21)
    data = {"kappa": 0.9, "b": 1.0, "x1": x1s, "ratio": ratios, "count": count, "boundary_ratio": fine,
            "boundary_x1": {}}
    for sign in (-1.0, 1.0):
        edge = []
        for r in fine:
            lo, hi = 0.0, 5.0 * sign
            if n_int(r, hi) == n_int(r, lo):
                edge.append(np.nan)
                continue
            for _ in range(22):
                mid = 0.5 * (lo + hi)
                lo, hi = (mid, hi) if n_int(r, mid) == n_int(r, 0.0) else (lo, mid)
            edge.append(0.5 * (lo + hi))
        ax.plot(edge, fine, color="k", lw=1.2, label="boundary (bisection)" if sign > 0 else None)
        data["boundary_x1"]["positive" if sign > 0 else "negative"] = edge
    ax.legend(fontsize=8, loc="upper center")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$b_1 / b$")
    ax.set_title(r"support of $bM + b_1(M_1\oplus 0) - x_1(I\oplus 0)$, $\kappa = 0.9$, $b = 1$")
    return [save(fig, out_dir, "support_phase_diagram", data=data)]
