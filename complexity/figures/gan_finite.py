"""Figure ``gan_finite_n``: the finite-N Kac-Rice expectation of the coupled (GAN) spin glass
("derived" convention) against direct counting of all critical points of sampled instances."""

from __future__ import annotations

import numpy as np

from complexity.figures import register
from complexity.figures.style import plt, save
from complexity.models.gan_enumerate import gan_enumeration_study
from complexity.models.gan_finite import leading_order

P, Q = 2, 2
SIGMAS = (1.0, 0.5)
SIZES = ((2, 2), (3, 2), (2, 3), (3, 3))
#: instances per size; the figure takes ~12 s cold in a parallel run (benchmarks/RESULTS.md)
SAMPLES = {(2, 2): 120, (3, 2): 70, (2, 3): 70, (3, 3): 30}
#: Kac-Rice Monte Carlo draws per size: their standard errors (0.08-0.6 on totals of 21-92) are a
#: fifth or less of the counted means' (0.46-3.6), so the comparison's z is set by the instances
KAC_RICE_SAMPLES = 100_000
#: the loss cut of the second comparison in the totals panel
CUT = (0.0, 0.0)


@register(
    "gan_finite_n",
    "Coupled spin glass: finite-N Kac-Rice expectation vs direct counting, per (k_D, k_G) and in total "
    "(p = q = 2; sigma_z = 1, 0.5; (N_D, N_G) = (2,2), (3,2), (2,3), (3,3)), totals with and without a loss cut, "
    "and the leading-order exp(N Theta) of the derived and reference conventions at the same N",
    "gan",
)
def draw(out_dir):
    studies = {
        (s, size): gan_enumeration_study(P, Q, s, *size, SAMPLES[size], seed=4000 + 10 * i + j,
                                         kac_rice_samples=KAC_RICE_SAMPLES, cuts=[CUT])
        for i, s in enumerate(SIGMAS)
        for j, size in enumerate(SIZES)
    }
    leads = {(s, size): leading_order(P, Q, s, *size) for s in SIGMAS for size in SIZES}
    fig, axes = plt.subplots(len(SIGMAS), len(SIZES) + 1, figsize=(3.1 * (len(SIZES) + 1) + 1.6, 3.0 * len(SIGMAS)))
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
        for off, (table, face) in enumerate(((lambda st: st, None), (lambda st: st["cuts"][0], "none"))):
            tot = [table(studies[(s, size)])["total"] for size in SIZES]
            kw = {} if face is None else {"mfc": face}
            lab = "" if face is None else rf" ($u_D, u_G \leq$ {CUT[0]:g})"
            ax.errorbar(x - 0.12 + 0.04 * off, [t["kac_rice"] for t in tot], yerr=[t["kac_rice_stderr"] for t in tot],
                        fmt="s", color="0.3", ms=4, capsize=3, label="Kac-Rice" + lab, **kw)
            ax.errorbar(x + 0.04 + 0.04 * off, [t["mean"] for t in tot], yerr=[t["stderr"] for t in tot], fmt="o",
                        color="C3", ms=4, capsize=3, label="counted" + lab, **kw)
        lead = [leads[(s, size)] for size in SIZES]
        ax.plot(x + 0.2, [lo["derived"]["exp_n_theta"] for lo in lead], "x", color="C0", ms=6,
                label=r"$e^{N\Theta}$ derived")
        ref = [lo["reference"]["exp_n_theta"] for lo in lead]
        ax.text(0.02, 0.98, r"$e^{N\Theta}$ reference: " + ", ".join(f"{r:.0e}" for r in ref), transform=ax.transAxes,
                fontsize=6, va="top")
        ax.set_yscale("log")
        ax.set_xticks(x)
        ax.set_xticklabels([f"{a}+{b}" for a, b in SIZES], fontsize=7)
        ax.set_title(f"$\\sigma_z$ = {s}: all indices, and below a loss cut", fontsize=8)
        ax.legend(fontsize=6, loc="center left", bbox_to_anchor=(1.01, 0.5))
        if i == len(SIGMAS) - 1:
            ax.set_xlabel("N_D + N_G")
    fig.suptitle(f"Coupled spin glass (p = {P}, q = {Q}, derived convention): finite-N Kac-Rice vs direct "
                 "enumeration", fontsize=10)
    fig.tight_layout()
    data = {"p": P, "q": Q, "cut": CUT, "studies": [
        {"sigma_z": s, "n_d": size[0], "n_g": size[1], "samples": studies[(s, size)]["samples"],
         "per_index": studies[(s, size)]["per_index"], "total": studies[(s, size)]["total"],
         "cut_total": studies[(s, size)]["cuts"][0]["total"],
         "leading_order": leads[(s, size)]}
        for s in SIGMAS for size in SIZES]}
    return [save(fig, out_dir, "gan_finite_n", data=data)]


#: (p, q, sigma_z, u_D cut, u_G cut) of the panels of ``gan_finite_rate``
RATE_CASES = ((3, 3, 1.0, None, None), (2, 2, 1.0, None, None), (2, 2, 1.0, -0.2, -0.1), (2, 3, 0.5, -1.0, None))
#: N = 6..128: the small sizes (exact formula, cheap) pin down the 1/N term of the fit
RATE_SIZES = ((3, 3), (4, 4), (6, 6), (8, 8), (12, 12), (16, 16), (24, 24), (32, 32), (48, 48), (64, 64))
#: Monte Carlo draws per size: standard errors of log E Crt_N of 0.02-0.27, the fitted theta to
#: about 0.002 (its legend): Theta of the derived convention tested to that resolution, the
#: reference's (off by more than 10) excluded by thousands of errors
RATE_SAMPLES = 10_000


@register(
    "gan_finite_rate",
    "Coupled spin glass: N^-1 log of the exact finite-N Kac-Rice count (N = 6..128, kappa = 1/2) and its "
    "fit N theta + alpha log N + c + beta/N, against Theta of the derived convention (the reference's is off the scale)",
    "gan",
)
def draw_rate(out_dir):
    from complexity.models.gan_finite import finite_n_rate

    fig, axes = plt.subplots(1, len(RATE_CASES), figsize=(3.4 * len(RATE_CASES), 3.3))
    data = {"sizes": RATE_SIZES, "cases": []}
    for ax, (p, q, s, ud, ug) in zip(axes, RATE_CASES):
        r = finite_n_rate(p, q, s, RATE_SIZES, ud, ug, samples=RATE_SAMPLES, seed=3)
        data["cases"].append({"p": p, "q": q, "sigma_z": s, "u_d": ud, "u_g": ug, **r})
        n = np.array(r["n"], float)
        ax.errorbar(n, np.array(r["log_count"]) / n, yerr=np.array(r["log_count_stderr"]) / n, fmt="o", color="C3",
                    ms=4, capsize=3, label=r"$N^{-1}\log E\,\mathrm{Crt}_N$ (finite-N Kac-Rice)")
        fit = r["fit"]
        nn = np.linspace(n[0], 4 * n[-1], 200)
        ax.plot(nn, fit["theta"] + (fit["alpha"] * np.log(nn) + fit["c"] + fit["beta"] / nn) / nn, color="0.4", lw=1,
                label=rf"fit: $\theta$ = {fit['theta']:.4f} $\pm$ {fit['theta_stderr']:.4f}")
        ax.axhline(r["theta"]["derived"], color="C0", ls="--", lw=1.2,
                   label=rf"$\Theta$ derived = {r['theta']['derived']:.4f}")
        cut = ", ".join(f"{name} $\\leq$ {v:g}" for name, v in (("$u_D$", ud), ("$u_G$", ug)) if v is not None)
        ax.set_title(f"p = {p}, q = {q}, $\\sigma_z$ = {s:g}" + (f"; {cut}" if cut else "; no cut")
                     + f"\n$\\Theta$ reference = {r['theta']['reference']:.2f} (off the scale)", fontsize=8)
        ax.set_xlabel("N = N_D + N_G")
        ax.set_xscale("log")
        ax.legend(fontsize=6, loc="best")
    axes[0].set_ylabel("growth rate")
    fig.suptitle("Finite N to Theta: the exact count's growth rate against the asymptotic complexity", fontsize=10)
    fig.tight_layout()
    return [save(fig, out_dir, "gan_finite_rate", data=data)]
