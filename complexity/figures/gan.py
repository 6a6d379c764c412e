"""Figures of the coupled (GAN) model, derived and reference conventions side by side."""

from __future__ import annotations

import numpy as np

from complexity.figures import register
from complexity.figures.style import save

PUBLISHED = dict(p=3, q=3, sigma_z=1.0, kappa=0.9)


@register(
    "gan_exponent_in_domain",
    "the exponent over (x, x1) with the integration region of Theta(u_D, u_G) drawn, derived and reference "
    "conventions (p = q = 3, kappa = 0.9, sigma_z = 1)",
    "gan",
)
def exponent_in_domain(out_dir):
    import matplotlib.pyplot as plt

    from complexity.models.gan import GanModel

    fig, axes = plt.subplots(1, 2, figsize=(12, 4.6))
    for ax, conv, (xr, x1r), (u_d, u_g) in (
        (axes[0], "derived", ((-30, 30), (-30, 30)), (-0.5, 0.02)),
        (axes[1], "reference", ((-3000, 3000), (-15, 40)), (-0.05, 0.002)),
    ):
        m = GanModel(**PUBLISHED, convention=conv)
        x = np.linspace(*xr, 241)
        x1 = np.linspace(*x1r, 121)
        phi = m.log_potential(x, x1)
        e = m.constant + phi + m._gauss(x[None, :], x1[:, None])
        im = ax.pcolormesh(x, x1, e, shading="auto", cmap="viridis")
        ax.contour(x, x1, e, levels=[0.0], colors="w", linewidths=1.0)
        fig.colorbar(im, ax=ax, label="exponent (white: 0)")
        res = m.theta(u_d, u_g)
        if conv == "reference":
            a, p = m.region_slope, m.p
            ax.axvline(a * u_g, color="tab:red", lw=1.2)
            ax.plot(x, -p * x / a - p * u_d, color="tab:red", lw=1.2, label="boundary of the region")
            ax.set_ylim(*x1r)
        ax.plot(res.x, res.x1, "r*", ms=12, label=rf"maximiser: $\Theta = {res.theta:.4g}$")
        ax.set_title(f"{conv}: $u_D = {u_d}$, $u_G = {u_g}$")
        ax.set_xlabel("x")
        ax.set_ylabel("$x_1$")
        ax.legend(fontsize=8, loc="lower left")
    axes[0].text(0.02, 0.95, "derived: exponent at the unconstrained sup over v;\nthe cuts act on v, not on (x, x1)",
                 transform=axes[0].transAxes, fontsize=7, color="w", va="top")
    return [save(fig, out_dir, "gan_exponent_in_domain")]


@register(
    "gan_theta_marginals",
    "Theta(u_D, +inf) and Theta(+inf, u_G) with the thresholds marked, derived and reference conventions",
    "gan",
)
def theta_marginals(out_dir):
    import matplotlib.pyplot as plt

    from complexity.models.gan import GanModel

    fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
    for ax, conv, span in ((axes[0], "derived", (-3.5, 0.5)), (axes[1], "reference", (-40.0, 0.5))):
        m = GanModel(**PUBLISHED, convention=conv)
        u = np.linspace(*span, 41)
        th_d = [m.theta(v, np.inf).theta for v in u]
        th_g = [m.theta(np.inf, v).theta for v in u]
        thr = m.thresholds()
        ax.plot(u, th_d, label=r"$\Theta(u_D, +\infty)$")
        ax.plot(u, th_g, label=r"$\Theta(+\infty, u_G)$")
        ax.axhline(0, color="0.4", lw=0.8)
        ax.axvline(thr["u_D"], color="tab:blue", ls="--", lw=1, label=rf"$\vartheta_D = {thr['u_D']:.4f}$")
        ax.axvline(thr["u_G"], color="tab:orange", ls="--", lw=1, label=rf"$\vartheta_G = {thr['u_G']:.4f}$")
        ax.set_title(f"{conv} convention (p = q = 3, kappa = 0.9, sigma_z = 1)")
        ax.set_xlabel("loss threshold u")
        ax.set_ylabel("complexity")
        ax.legend(fontsize=8)
    return [save(fig, out_dir, "gan_theta_marginals")]
