"""Figures of the diagnostics: spacing-ratio histograms, outliers against the spike strength,
the batch-size law, the effective damping.  Each ``data_*`` function returns the numbers a
figure draws (theory and Monte Carlo), so a test can spot-check them."""

from __future__ import annotations

import contextlib
import functools
import math

import numpy as np

from complexity.figures import register
from complexity.figures.style import save


def _one_blas_thread(fn):
    """Run the Monte Carlo of a figure with one BLAS thread (many small dense problems:
    oversubscribed threads only slow them down on a shared machine)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            from threadpoolctl import threadpool_limits
        except ImportError:  # pragma: no cover
            ctx = contextlib.nullcontext()
        else:
            ctx = threadpool_limits(1)
        with ctx:
            return fn(*args, **kwargs)

    return wrapper


@_one_blas_thread
def data_ratios(seed: int = 0) -> dict:
    """r~ samples: GOE (tridiagonal, 40 x n = 500), Poisson (40 x 500), and model Hessians
    (8 x n = 400: zero fraction 0.25, outliers 8 and 15, common shift sd 1) with the atom dropped
    and 3% of each edge trimmed."""
    from complexity.diagnostics import local, model_hessian, samplers

    goe = local.ratio_statistics(samplers.sample_goe(500, 40, seed=seed), trim=0.1)
    poi = local.ratio_statistics(samplers.sample_poisson(500, 40, seed=seed + 1))
    ev = model_hessian.model_hessian_eigenvalues(400, 8, zero_fraction=0.25, outliers=[8.0, 15.0], shift_sd=1.0, seed=seed + 2)
    hes = local.ratio_statistics(ev, drop_below=1e-9, trim=0.03)
    return {"GOE (tridiagonal)": goe, "Poisson": poi, "model Hessian": hes}


@register(
    "diagnostics_ratios",
    "spacing-ratio histograms (r~) of GOE, Poisson and model-Hessian spectra against the beta = 1, 2 surmises and Poisson",
    "diagnostics",
)
def ratios(out_dir):
    import matplotlib.pyplot as plt

    from complexity.diagnostics import surmise

    data = data_ratios()
    x = np.linspace(0, 1, 301)
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.8), sharey=True)
    # data: the surmise curves, and per spectrum its statistics and the histogram as drawn
    saved = {"x": x, "surmise": {str(beta): surmise.r_tilde_pdf(x, beta) for beta in (1, 2, "poisson")},
             "spectra": {}}
    for ax, (name, st) in zip(axes, data.items()):
        ax.hist(st.r_tilde, bins=40, range=(0, 1), density=True, color="0.75", label=f"{name}, n = {st.n}")
        heights, edges = np.histogram(st.r_tilde, bins=40, range=(0, 1), density=True)
        saved["spectra"][name] = {**st.as_dict(), "bin_edges": edges, "heights": heights}
        for beta, col in [(1, "tab:red"), (2, "tab:purple"), ("poisson", "tab:blue")]:
            ax.plot(x, surmise.r_tilde_pdf(x, beta), color=col, label=f"surmise beta={beta}" if beta != "poisson" else "Poisson")
        ax.set_title(rf"{name}: $\langle\tilde r\rangle$ = {st.mean_r_tilde:.4f} $\pm$ {st.stderr:.4f}", fontsize=9)
        ax.set_xlabel(r"$\tilde r$")
    axes[0].set_ylabel("density")
    axes[0].legend(fontsize=7)
    return [save(fig, out_dir, "diagnostics_ratios", data=saved)]


@_one_blas_thread
def data_outliers(n: int = 400, samples: int = 3, seed: int = 0) -> dict:
    """Additive spike theta on the semicircle (GOE, variance 1) and on Marchenko-Pastur c = 0.5
    (white Wishart): theory on a grid, Monte Carlo (n = 400, 3 samples per point) at 8 spikes each."""
    from complexity import spectra
    from complexity.diagnostics import outliers
    from complexity.rmt.goe import sample_goe

    rng = np.random.default_rng(seed)
    out = {}
    for name, mu in [("semicircle", spectra.semicircle()), ("Marchenko-Pastur c=0.5", spectra.marchenko_pastur(0.5))]:
        grid = np.linspace(0.2, 4.0, 120)
        th = [outliers.additive(mu, t) for t in grid]
        mc_theta = np.linspace(0.5, 4.0, 8)
        loc, ov = [], []
        for t in mc_theta:
            vals = []
            for _ in range(samples):
                if name == "semicircle":
                    h = sample_goe(n, seed=rng, scale="wigner")
                else:
                    x = rng.standard_normal((n, 2 * n))
                    h = x @ x.T / (2 * n)
                h[0, 0] += t  # both bulks are orthogonally invariant: e_0 is a generic direction
                w, u = np.linalg.eigh(h)
                vals.append((w[-1], u[0, -1] ** 2))
            vals = np.array(vals)
            loc.append((vals[:, 0].mean(), vals[:, 0].std(ddof=1) / math.sqrt(samples)))
            ov.append((vals[:, 1].mean(), vals[:, 1].std(ddof=1) / math.sqrt(samples)))
        out[name] = {
            "theta": grid,
            "location": np.array([np.nan if o.location is None else o.location for o in th]),
            "overlap": np.array([o.overlap for o in th]),
            "threshold": th[0].threshold,
            "edge": max(p for iv in mu.support() for p in iv),
            "mc_theta": mc_theta,
            "mc_location": np.array(loc),
            "mc_overlap": np.array(ov),
        }
    return out


@register(
    "diagnostics_outliers",
    "outlier location and squared overlap against the spike theta (BGN / BBP), semicircle and Marchenko-Pastur bulks, "
    "threshold marked, Monte Carlo n = 400",
    "diagnostics",
)
def outliers_figure(out_dir):
    import matplotlib.pyplot as plt

    data = data_outliers()
    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    for (name, d), col in zip(data.items(), ("tab:red", "tab:blue")):
        axes[0].plot(d["theta"], d["location"], color=col, label=f"{name}: theory")
        axes[0].errorbar(d["mc_theta"], d["mc_location"][:, 0], d["mc_location"][:, 1], fmt="o", color=col, ms=4, label="top eigenvalue (MC)")
        axes[0].axhline(d["edge"], color=col, ls=":", lw=1)
        axes[1].plot(d["theta"], d["overlap"], color=col, label=name)
        axes[1].errorbar(d["mc_theta"], d["mc_overlap"][:, 0], d["mc_overlap"][:, 1], fmt="o", color=col, ms=4)
        for ax in axes:
            ax.axvline(d["threshold"], color=col, ls="--", lw=1)
    axes[0].set_xlabel(r"spike $\theta$")
    axes[0].set_ylabel("outlier location (dotted: bulk edge)")
    axes[1].set_xlabel(r"spike $\theta$")
    axes[1].set_ylabel(r"squared overlap $|\langle u, v\rangle|^2$ (dashed: threshold)")
    axes[0].legend(fontsize=7)
    saved = {"n": 400, "samples": 3, "mp_c": 0.5, "bulks": data}  # the defaults of data_outliers
    return [save(fig, out_dir, "diagnostics_outliers", data=saved)]


@_one_blas_thread
def data_batch_size(n: int = 500, samples: int = 3, seed: int = 0) -> dict:
    """H = s X + A, A = diag(Marchenko-Pastur c = 0.5 quantiles, theta = 4): outlier shift
    against s^2 (theory s^2 G_A(theta) while it separates; Monte Carlo n = 500, 3 samples)."""
    from complexity import spectra
    from complexity.diagnostics import outliers
    from complexity.diagnostics._bulk import classical_locations
    from complexity.rmt.goe import sample_goe

    mu_a, theta = spectra.marchenko_pastur(0.5), 4.0
    a = classical_locations(mu_a, n - 1)
    rng = np.random.default_rng(seed)
    s2 = np.linspace(0.0, 1.0, 60)
    th = [outliers.noise_plus_hessian(mu_a, theta, math.sqrt(v)) for v in s2]
    mc_s2 = np.linspace(0.1, 1.0, 7)
    mc = []
    for v in mc_s2:
        vals = []
        for _ in range(samples):
            h = math.sqrt(v) * sample_goe(n, seed=rng, scale="wigner")
            h[np.diag_indices(n)] += np.append(a, theta)
            vals.append(np.linalg.eigvalsh(h)[-1] - theta)
        mc.append((np.mean(vals), np.std(vals, ddof=1) / math.sqrt(samples)))
    return {
        "s2": s2,
        "shift": np.array([np.nan if o.location is None else o.location - theta for o in th]),
        "slope": outliers.batch_size_shift(mu_a, theta),
        "mc_s2": mc_s2,
        "mc_shift": np.array(mc),
    }


@register(
    "diagnostics_batch_size",
    "the batch-size law: outlier shift against s^2 for H = s X + A (A: Marchenko-Pastur bulk + spike 4), theory and Monte Carlo n = 500",
    "diagnostics",
)
def batch_size(out_dir):
    import matplotlib.pyplot as plt

    d = data_batch_size()
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(d["s2"], d["shift"], color="tab:red", label=rf"$s^2 G_A(\theta)$, slope {d['slope']:.4f}")
    ax.errorbar(d["mc_s2"], d["mc_shift"][:, 0], d["mc_shift"][:, 1], fmt="o", color="k", ms=4, label="Monte Carlo, N = 500")
    ax.set_xlabel(r"$s^2$ ($\propto$ 1 / batch size)")
    ax.set_ylabel(r"outlier $-\ \theta$")
    ax.legend(fontsize=8)
    saved = {"n": 500, "samples": 3, "mp_c": 0.5, "theta": 4.0, **d}  # the defaults of data_batch_size
    return [save(fig, out_dir, "diagnostics_batch_size", data=saved)]


@_one_blas_thread
def data_damping(n: int = 500, samples: int = 3, seed: int = 0) -> dict:
    """delta_eff against s for delta in {0.05, 0.2, 0.5}, A = diag of levels 0.1, 1 (weights 0.5):
    theory and Monte Carlo from the resolvent entry <e_0, (H + delta)^-1 e_0> = 1/(0.1 + delta_eff)."""
    from complexity import spectra
    from complexity.diagnostics import damping
    from complexity.rmt.goe import sample_goe

    mu = spectra.discrete([0.1, 1.0], [0.5, 0.5])
    a = np.repeat([0.1, 1.0], n // 2)
    rng = np.random.default_rng(seed)
    out = {}
    for delta in (0.05, 0.2, 0.5):
        smax = 0.95 * _largest_noise(mu, delta)
        s = np.linspace(0.0, smax, 50)
        th = np.array([damping.effective_damping(mu, v, delta).delta_eff for v in s])
        mc_s = np.linspace(0.05, smax, 5)
        mc = []
        for v in mc_s:
            vals = []
            for _ in range(samples):
                h = v * sample_goe(n, seed=rng, scale="wigner")
                h[np.diag_indices(n)] += a + delta
                r00 = np.linalg.solve(h, np.eye(n, 1)[:, 0])[0]
                vals.append(1.0 / r00 - 0.1)
            mc.append((np.mean(vals), np.std(vals, ddof=1) / math.sqrt(samples)))
        out[delta] = {"s": s, "delta_eff": th, "mc_s": mc_s, "mc_delta_eff": np.array(mc)}
    return out


def _largest_noise(mu, delta: float) -> float:
    """The s at which -delta reaches the left edge of s X + A (bisection on smallest_damping)."""
    from complexity.diagnostics import damping

    lo, hi = 0.0, 4.0
    for _ in range(50):
        mid = 0.5 * (lo + hi)
        if damping.smallest_damping(mu, mid) < delta:
            lo = mid
        else:
            hi = mid
    return lo


@register(
    "diagnostics_damping",
    "effective damping delta_eff against the noise s for delta = 0.05, 0.2, 0.5 (A: levels 0.1, 1), theory and Monte Carlo n = 500",
    "diagnostics",
)
def damping_figure(out_dir):
    import matplotlib.pyplot as plt

    data = data_damping()
    fig, ax = plt.subplots(figsize=(6, 4))
    for (delta, d), col in zip(data.items(), ("tab:red", "tab:green", "tab:blue")):
        ax.plot(d["s"], d["delta_eff"], color=col, label=rf"$\delta$ = {delta}")
        ax.errorbar(d["mc_s"], d["mc_delta_eff"][:, 0], d["mc_delta_eff"][:, 1], fmt="o", color=col, ms=4)
    ax.set_xlabel("noise s")
    ax.set_ylabel(r"$\delta_{\rm eff}$ (points: $1/\langle e_0,(H+\delta)^{-1}e_0\rangle - a_0$, N = 500)")
    ax.legend(fontsize=8)
    saved = {"n": 500, "samples": 3, "levels": [0.1, 1.0], "weights": [0.5, 0.5], "a_0": 0.1,
             "delta": data}  # the defaults of data_damping
    return [save(fig, out_dir, "diagnostics_damping", data=saved)]
