"""Figure ``gan_finite_n``: the finite-N Kac-Rice expectation of the coupled (GAN) spin glass
("derived" convention) against direct counting of all critical points of sampled instances."""

from __future__ import annotations

import numpy as np

from complexity.figures import register
from complexity.figures.style import plt, save
from complexity.models.gan_enumerate import gan_enumeration_study

P, Q = 2, 2
SIGMAS = (1.0, 0.5)
SIZES = ((2, 2), (3, 2), (2, 3), (3, 3))
#: instances per size; the figure takes ~40 s cold on one core
SAMPLES = {(2, 2): 120, (3, 2): 70, (2, 3): 70, (3, 3): 30}
KAC_RICE_SAMPLES = 100_000


@register(
    "gan_finite_n",
    "Coupled spin glass: finite-N Kac-Rice expectation vs direct counting, per (k_D, k_G) and in total "
    "(p = q = 2; sigma_z = 1, 0.5; (N_D, N_G) = (2,2), (3,2), (2,3), (3,3))",
    "gan",
)
def draw(out_dir):
    studies = {
        (s, size): gan_enumeration_study(P, Q, s, *size, SAMPLES[size], seed=4000 + 10 * i + j,
                                         kac_rice_samples=KAC_RICE_SAMPLES)
        for i, s in enumerate(SIGMAS)
        for j, size in enumerate(SIZES)
    }
    fig, axes = plt.subplots(len(SIGMAS), len(SIZES) + 1, figsize=(3.1 * (len(SIZES) + 1), 3.0 * len(SIGMAS)))
    for i, s in enumerate(SIGMAS):
        for j, size in enumerate(SIZES):
            ax = axes[i, j]
            st = studies[(s, size)]
            rows = st["per_index"]
            x = np.arange(len(rows))
            kr = np.array([r["kac_rice"] for r in rows])
            kr_se = np.array([r["kac_rice_stderr"] for r in rows])
            mean = np.array([r["mean"] for r in rows])
            se = np.array([r["stderr"] for r in rows])
            ax.bar(x, kr, width=0.6, color="0.85", edgecolor="0.4", yerr=kr_se, label="Kac-Rice (MC)")
            ax.errorbar(x, mean, yerr=se, fmt="o", color="C3", ms=4, capsize=3,
                        label=f"counted ({st['samples']} inst.)")
            ax.set_xticks(x)
            ax.set_xticklabels([f"{r['k_d']},{r['k_g']}" for r in rows], fontsize=7)
            zmax = max(abs(r["z"]) for r in rows if r["z"] is not None)
            ax.set_title(f"$\\sigma_z$ = {s}, (N_D, N_G) = {size}\nmax|z| = {zmax:.1f}", fontsize=8)
            if i == len(SIGMAS) - 1:
                ax.set_xlabel("(k_D, k_G)")
            if j == 0:
                ax.set_ylabel("mean number of critical points")
                ax.legend(fontsize=7, loc="lower center")
        ax = axes[i, -1]
        x = np.arange(len(SIZES))
        tot = [studies[(s, size)]["total"] for size in SIZES]
        ax.errorbar(x - 0.08, [t["kac_rice"] for t in tot], yerr=[t["kac_rice_stderr"] for t in tot], fmt="s",
                    color="0.3", ms=4, capsize=3, label="Kac-Rice")
        ax.errorbar(x + 0.08, [t["mean"] for t in tot], yerr=[t["stderr"] for t in tot], fmt="o", color="C3",
                    ms=4, capsize=3, label="counted")
        ax.set_yscale("log")
        ax.set_xticks(x)
        ax.set_xticklabels([f"{a}+{b}" for a, b in SIZES], fontsize=7)
        ax.set_title(f"$\\sigma_z$ = {s}: all indices", fontsize=8)
        ax.legend(fontsize=7)
        if i == len(SIGMAS) - 1:
            ax.set_xlabel("N_D + N_G")
    fig.suptitle(f"Coupled spin glass (p = {P}, q = {Q}, derived convention): finite-N Kac-Rice vs direct "
                 "enumeration", fontsize=10)
    fig.tight_layout()
    return [save(fig, out_dir, "gan_finite_n")]
