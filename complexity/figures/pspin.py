"""Figures of the pure spherical p-spin: the band picture and the thresholds E_k."""

from __future__ import annotations

import numpy as np

from complexity.figures import register
from complexity.figures.style import save


@register(
    "pspin_theta_band",
    "Theta_{k,3}(u) for k = 0..5 and Theta_3(u), with -E_0 and -E_inf marked (ABC / Choromanska band)",
    "pspin",
)
def theta_band(out_dir):
    import matplotlib.pyplot as plt

    from complexity.models import pspin

    p = 3
    einf = pspin.e_inf(p)
    e0 = pspin.threshold(p, 0)
    fig, (ax, axz) = plt.subplots(1, 2, figsize=(11, 4.2), gridspec_kw={"width_ratios": [1.2, 1]})
    # data: each panel's curves on every 6th of its 1200 points (the axes stored with them)
    data = {"p": p, "E_inf": einf, "E_0": e0, "stride": 6, "panels": {}}
    for a, (lo, hi), key in ((ax, (-1.75, -1.55), "full"), (axz, (-1.668, -1.625), "zoom")):
        u = np.linspace(lo, hi, 1200)
        total = pspin.theta(u, p)
        a.plot(u, total, color="k", lw=2.2, label=r"$\Theta_3(u)$ (all indices)")
        colors = plt.cm.viridis(np.linspace(0, 0.9, 6))
        by_k = {}
        for k, c in zip(range(6), colors):
            by_k[k] = pspin.theta(u, p, k)
            a.plot(u, by_k[k], color=c, label=rf"$\Theta_{{{k},3}}(u)$")
        data["panels"][key] = {"u": u[::6], "theta": total[::6], "theta_k": {k: v[::6] for k, v in by_k.items()}}
        a.axhline(0, color="0.4", lw=0.8)
        a.axvline(-e0, color="tab:red", ls="--", lw=1, label=rf"$-E_0={-e0:.4f}$")
        a.axvline(-einf, color="tab:blue", ls=":", lw=1.2, label=rf"$-E_\infty={-einf:.4f}$")
        a.set_xlabel("energy per spin $u = H_N/N$")
        a.set_xlim(lo, hi)
        a.xaxis.set_major_locator(plt.MaxNLocator(5))
    ax.set_ylim(-0.12, 0.36)
    axz.set_ylim(-0.012, 0.018)
    ax.set_ylabel(r"complexity $\lim N^{-1}\log\, \mathbb{E}\,\mathrm{Crt}_{N}((-\infty,u])$")
    ax.set_title("pure 3-spin: complexity by index")
    axz.set_title("zoom on the band $[-E_0, -E_\\infty]$")
    ax.legend(fontsize=8, loc="upper left")
    return [save(fig, out_dir, "pspin_theta_band", data=data)]


@register("pspin_thresholds", "E_k against k for p = 3, 4, 5, 10, converging to E_inf (dashed)", "pspin")
def thresholds(out_dir):
    import matplotlib.pyplot as plt

    from complexity.models import pspin

    ks = np.arange(0, 51)
    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    data = {"k": ks, "p": {}}
    for p, c in zip((3, 4, 5, 10), ("tab:blue", "tab:orange", "tab:green", "tab:red")):
        einf, es = pspin.thresholds(p, ks[-1])
        es = np.array(es)
        data["p"][p] = {"E_inf": einf, "E_k": es}
        axes[0].plot(ks, es, "o", ms=3, color=c, label=f"p = {p}")
        axes[0].axhline(einf, color=c, ls="--", lw=1)
        axes[1].semilogy(ks, es - einf, "o-", ms=3, color=c, label=f"p = {p}")
    axes[0].set_xlabel("index k")
    axes[0].set_ylabel(r"$E_k$ (dashed: $E_\infty = 2\sqrt{(p-1)/p}$)")
    axes[0].set_title("thresholds: index-k critical points exist only above $-E_k$")
    axes[1].set_xlabel("index k")
    axes[1].set_ylabel(r"$E_k - E_\infty$")
    axes[1].set_title(r"convergence $E_k \downarrow E_\infty$")
    axes[0].legend()
    return [save(fig, out_dir, "pspin_thresholds", data=data)]
