"""Figure: complexity of 2+3 mixed spherical spin glasses against the pure 3-spin.

``xi(x) = g x^2 + (1 - g) x^3`` (xi(1) = 1, so energies are comparable) for several g;
left: total complexity Theta(u); right: local minima Theta_0(u), zoomed on the band.
Dashed: -E_0 (root of Theta_0); dotted: -E_inf (maximiser at the bulk edge).
Formulas: :mod:`complexity.models.mixed` (Auffinger-Ben Arous 2013).
"""

from __future__ import annotations

import numpy as np

from complexity.figures import register
from complexity.figures.style import save

GAMMAS = (0.0, 0.1, 0.3, 0.5)


@register(
    "mixed_vs_pure",
    "Theta(u) and Theta_0(u) of xi = g x^2 + (1-g) x^3 for several g against the pure 3-spin, -E_0 and -E_inf marked",
    "mixed",
)
def mixed_vs_pure(out_dir):
    import matplotlib.pyplot as plt

    from complexity.models.mixed import Mixture, mixed_e_inf, mixed_theta, mixed_theta_k, mixed_threshold

    fig, (ax, ax0) = plt.subplots(1, 2, figsize=(11, 4.2))
    u = np.linspace(-1.9, 0.3, 600)
    u0 = np.linspace(-1.75, -1.35, 600)
    colors = plt.cm.plasma(np.linspace(0, 0.8, len(GAMMAS)))
    # data: both panels' curves on every 3rd of their 600 points, with their axes
    data = {"u": u[::3], "u0": u0[::3], "stride": 3, "gamma": {}}
    for g, c in zip(GAMMAS, colors):
        mix = Mixture.pure(3) if g == 0 else Mixture({2: g, 3: 1.0 - g})
        label = r"pure 3-spin $\xi = x^3$" if g == 0 else rf"$\xi = {g:g}\,x^2 + {1 - g:g}\,x^3$"
        e0, einf = mixed_threshold(mix, 0), mixed_e_inf(mix)
        lw = 2.2 if g == 0 else 1.5
        th, th0 = mixed_theta(u, mix), mixed_theta_k(u0, mix, 0)
        data["gamma"][g] = {"beta2": {2: g, 3: 1.0 - g}, "E_0": e0, "E_inf": einf, "theta": th[::3], "theta_0": th0[::3]}
        ax.plot(u, th, color=c, lw=lw, label=f"{label}:  $E_0$={e0:.4f}, $E_\\infty$={einf:.4f}")
        ax0.plot(u0, th0, color=c, lw=lw)
        for a in (ax, ax0):
            a.axvline(-e0, color=c, ls="--", lw=0.8)
            a.axvline(-einf, color=c, ls=":", lw=0.8)
    for a, title in ((ax, r"all critical points: $\Theta(u)$"), (ax0, r"local minima: $\Theta_0(u)$ (zoom)")):
        a.axhline(0, color="0.4", lw=0.8)
        a.set_xlabel("energy per spin $u = H_N/N$")
        a.set_title(title + r"   (dashed $-E_0$, dotted $-E_\infty$)", fontsize=9)
    ax.set_ylabel("complexity (exponential rate of the expected count)")
    ax.set_ylim(-0.15, 0.4)
    ax0.set_ylim(-0.04, 0.03)
    ax.legend(fontsize=7, loc="upper left")
    return [save(fig, out_dir, "mixed_vs_pure", data=data)]
