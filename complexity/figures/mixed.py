"""Figure: complexity of 2+3 mixed spherical spin glasses against the pure 3-spin."""

from __future__ import annotations

import numpy as np

from complexity.figures import register
from complexity.figures.style import save


@register(
    "mixed_vs_pure",
    "Theta(u) and Theta_0(u) of xi = g R^2 + (1-g) R^3 for several g against the pure 3-spin, E_0 and E_inf marked",
    "mixed",
)
def mixed_vs_pure(out_dir):
    import matplotlib.pyplot as plt

    from complexity.models import mixed

    fig, (ax, ax0) = plt.subplots(1, 2, figsize=(11, 4.2))
    u = np.linspace(-1.9, 0.3, 500)
    colors = plt.cm.plasma(np.linspace(0, 0.8, 4))
    for g, c in zip((0.0, 0.1, 0.3, 0.5), colors):
        mix = mixed.Mixture({3: 1.0}) if g == 0 else mixed.Mixture({2: g, 3: 1.0 - g})
        label = "pure 3-spin" if g == 0 else rf"$\xi = {g}R^2 + {1 - g:.1f}R^3$"
        e0, einf = mixed.threshold(mix, 0), mixed.e_inf(mix)
        ax.plot(u, mixed.theta(u, mix), color=c, lw=2 if g == 0 else 1.5, label=label)
        ax0.plot(u, mixed.theta(u, mix, 0), color=c, lw=2 if g == 0 else 1.5, label=label)
        for a in (ax, ax0):
            a.axvline(-e0, color=c, ls="--", lw=0.8)
            a.axvline(-einf, color=c, ls=":", lw=0.8)
    for a, title in ((ax, r"all critical points: $\Theta(u)$"), (ax0, r"local minima: $\Theta_0(u)$")):
        a.axhline(0, color="0.4", lw=0.8)
        a.set_xlabel("energy per spin $u = H_N/N$")
        a.set_title(title + "  (dashed $-E_0$, dotted $-E_\\infty$)")
    ax.set_ylabel("complexity")
    ax.set_ylim(-0.15, 0.4)
    ax0.set_xlim(-1.9, -1.3)
    ax0.set_ylim(-0.06, 0.06)
    ax.legend(fontsize=8)
    return [save(fig, out_dir, "mixed_vs_pure")]
