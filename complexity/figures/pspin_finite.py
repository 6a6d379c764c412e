"""Figure ``pspin_finite_n``: exact finite-N expected counts of critical points of the
pure spherical p-spin (ABC's formula) against direct counting on sampled instances."""

from __future__ import annotations

import numpy as np

from complexity.figures import register
from complexity.figures.style import plt, save
from complexity.models.enumerate import enumeration_study

#: instances per (p, N); the figure takes ~7 s cold in a parallel run (benchmarks/RESULTS.md)
SAMPLES = {2: 300, 3: 200, 4: 150, 5: 100}
PS = (3, 4)
NS = (2, 3, 4, 5)


@register(
    "pspin_finite_n",
    "Exact finite-N expected counts per index and in total vs direct counting (p = 3, 4; N = 2..5)",
    "pspin",
)
def draw(out_dir):
    studies = {(p, n): enumeration_study(p, n, SAMPLES[n], seed=2024 + 10 * p + n) for p in PS for n in NS}
    fig, axes = plt.subplots(len(PS), len(NS) + 1, figsize=(3.0 * (len(NS) + 1), 2.9 * len(PS)))
    # data: per (p, N) the exact counts per index (with their Monte Carlo error where the exact
    # value is itself estimated) and the counted means with their standard errors
    data = {"p": {p: {n: {"samples": studies[(p, n)]["samples"],
                          "per_index": {key: [r[key] for r in studies[(p, n)]["per_index"]]
                                        for key in ("exact", "exact_stderr", "mean", "stderr")},
                          "total": {key: studies[(p, n)]["total"][key] for key in ("exact", "mean", "stderr")}}
                      for n in NS} for p in PS}}
    for i, p in enumerate(PS):
        for jn, n in enumerate(NS):
            ax = axes[i, jn]
            st = studies[(p, n)]
            k = np.arange(n)
            ex = np.array([r["exact"] for r in st["per_index"]])
            exse = np.array([r["exact_stderr"] for r in st["per_index"]])
            mean = np.array([r["mean"] for r in st["per_index"]])
            se = np.array([r["stderr"] for r in st["per_index"]])
            ax.bar(k, ex, width=0.6, color="0.85", edgecolor="0.4", yerr=exse if exse.any() else None,
                   label="exact E Crt$_{N,k}$" + (" (MC)" if exse.any() else ""))
            ax.errorbar(k, mean, yerr=se, fmt="o", color="C3", ms=4, capsize=3,
                        label=f"counted ({st['samples']} inst.)")
            ax.set_xticks(k)
            ax.set_title(f"p = {p}, N = {n}", fontsize=9)
            if i == len(PS) - 1:
                ax.set_xlabel("index k")
            if jn == 0:
                ax.set_ylabel("mean number of critical points")
                ax.legend(fontsize=7, loc="lower center")
        ax = axes[i, -1]
        ns = np.array(NS)
        ex_tot = np.array([studies[(p, n)]["total"]["exact"] for n in NS])
        m_tot = np.array([studies[(p, n)]["total"]["mean"] for n in NS])
        se_tot = np.array([studies[(p, n)]["total"]["stderr"] for n in NS])
        ax.plot(ns, ex_tot, "-", color="0.3", label="exact total")
        ax.errorbar(ns, m_tot, yerr=se_tot, fmt="o", color="C3", ms=4, capsize=3, label="counted")
        ax.set_yscale("log")
        ax.set_xticks(ns)
        ax.set_title(f"p = {p}: all indices", fontsize=9)
        ax.legend(fontsize=7)
        if i == len(PS) - 1:
            ax.set_xlabel("N")
    fig.suptitle("Pure spherical p-spin: ABC's exact finite-N Kac-Rice count vs direct enumeration", fontsize=10)
    fig.tight_layout()
    return [save(fig, out_dir, "pspin_finite_n", data=data)]
