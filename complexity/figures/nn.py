"""Figures of real network Hessians: small tanh MLPs trained on scikit-learn's digits.

Every number comes from :mod:`complexity.nn` (training, exact Hessians, rank counts,
spectral diagnostics); this module only caches and draws.  Trained weights and
Hessian spectra are cached in ``$COMPLEXITY_NN_CACHE`` or else the user cache folder
``$XDG_CACHE_HOME/complexity/nn`` (default ``~/.cache/complexity/nn``), outside the
repository; a warm run only reads ``.npy`` files and the five bulk fits of
``nn_hessian_spectrum`` (JSON, keyed by the eigenvalues, the fit's arguments and the source
of :mod:`complexity.nn.fit`; a cold fit takes 15-25 s).  A cold run trains
the networks (Adam, 100 epochs for the main network, 40 for the width family) and
computes the exact Hessians and the batch Lanczos runs: 109 s of wall time (62 s of CPU)
at a load average of about 5, about 7 minutes at about 10, most of it JAX compilation for
each new shape and the width family's exact Hessians.  The figures need the ``nn`` extra.

Sizes: main network 64-16-16-10 (P = 1,482), full-data Hessian on the 1,438 training
images, batch Hessians at B = 16, 32, 64, 128, 256, 512
(8 seeds each; top 5 eigenvalues by 60 Lanczos steps, s^2 from 8 Hutchinson probes);
width family 64-n_1-10, n_1 = 2, 4, 8, 12, 16, 24, batch B = 16 and full data.

Each figure saves the numbers it draws (``figures/data/<name>.json``; checked by
tests/test_figure_data_nn.py): the full spectrum (1,482 values), the histogram, each fit's
parameters, statistics, drawn density and cdf residuals (every ``residual_stride``-th bulk
point); the ratios and the surmise curves; the batch tops, s^2, the law and A's bulk; the
atom counts with the input ranks r_0.
"""

from __future__ import annotations

import os
import pathlib
import warnings

import numpy as np

from complexity.figures import register
from complexity.figures.style import save
from complexity.nn.rank import DEFAULT_ZERO_TOL as ZERO_TOL

MAIN_HIDDEN = (16, 16)
MAIN_EPOCHS = 100
BATCH_SIZES = (16, 32, 64, 128, 256, 512)
BATCH_SEEDS = 8
BATCH_STEPS = 60
BATCH_PROBES = 8
TOP = 5
WIDTHS = (2, 4, 8, 12, 16, 24)
WIDTH_EPOCHS = 40
WIDTH_BATCH = 16


def cache_dir() -> pathlib.Path:
    env = os.environ.get("COMPLEXITY_NN_CACHE")
    if env:
        return pathlib.Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or (pathlib.Path.home() / ".cache")
    return pathlib.Path(base) / "complexity" / "nn"


def _net(hidden, epochs, seed=0):
    from complexity.nn import cache, train

    folder = cache_dir() / f"mlp-{'-'.join(map(str, hidden))}-e{epochs}-s{seed}"
    try:
        return cache.load(folder), folder
    except ValueError:
        net = train.train_mlp(hidden, epochs=epochs, seed=seed)
        cache.save(net, folder)
        return net, folder


def _batch(net, B, seed=0):
    from complexity.nn import data

    s = net.summary
    ds = data.load(s["data"], split_seed=s["split_seed"], n_train=s["n_train"])
    return data.random_batch(ds.X_train, ds.y_train, B, seed=seed)


def _cached(path, compute):
    from complexity.nn import cache

    path = pathlib.Path(path)
    if path.exists():
        try:
            return np.load(path, allow_pickle=False)
        except (OSError, ValueError):
            pass
    arr = np.asarray(compute())
    cache.atomic_write(path, lambda fh: np.save(fh, arr))
    return arr


def _fit(folder, eigenvalues, family, kw):
    """``fit_bulk(eigenvalues, family, **kw)``, cached beside the network as JSON, keyed by the
    eigenvalues' bytes, the arguments and the source of :mod:`complexity.nn.fit` (an edit of the
    fitting code refits)."""
    import hashlib
    import inspect
    import json

    from complexity.nn import cache, fit

    key = hashlib.sha256()
    key.update(np.ascontiguousarray(eigenvalues, dtype=np.float64).tobytes())
    key.update(json.dumps([family, kw], sort_keys=True, default=repr).encode())
    key.update(inspect.getsource(fit).encode())
    path = pathlib.Path(folder) / f"fit-{family}-{key.hexdigest()[:16]}.json"
    if path.exists():
        try:
            return fit.BulkFit.from_dict(json.loads(path.read_text()))
        except (OSError, ValueError, KeyError, TypeError):
            pass
    result = fit.fit_bulk(eigenvalues, family, **kw)
    text = json.dumps(result.as_dict())
    cache.atomic_write(path, lambda fh: fh.write(text.encode()))
    return result


def _hessian_matrix(net, B, gauss_newton=False):
    from complexity.nn import hessian

    X, y = _batch(net, B)
    fn = hessian.gauss_newton_exact if gauss_newton else hessian.hessian_exact
    return fn(net.spec, net.theta, X, y)


def _full_hessian(net, folder):
    return _cached(folder / "h-ball.npy", lambda: _hessian_matrix(net, None))


def _eigs(net, folder, B, gauss_newton=False):
    tag = "gn" if gauss_newton else "h"
    if B is None and not gauss_newton:
        return _cached(folder / "eig-h-ball.npy", lambda: np.linalg.eigvalsh(_full_hessian(net, folder)))
    return _cached(
        folder / f"eig-{tag}-b{B or 'all'}.npy", lambda: np.linalg.eigvalsh(_hessian_matrix(net, B, gauss_newton))
    )


def _batch_top(net, folder, B, seed):
    """Top Ritz values of the batch Hessian (Lanczos, BATCH_STEPS steps) and s^2 from BATCH_PROBES probes."""
    from complexity.nn import analysis, hessian, lanczos

    def compute():
        X, y = _batch(net, B, seed)
        mv = hessian.hvp_operator(net.spec, net.theta, X, y)
        with warnings.catch_warnings():  # only the top is used: the bottom may stay unconverged
            warnings.filterwarnings("ignore", message=".*smallest Ritz value")
            r = lanczos.lanczos_extremes(mv, net.spec.n_params, BATCH_STEPS, seed=seed)
        Hf = _full_hessian(net, folder)
        s2 = analysis.batch_noise_s2_probes(mv, lambda v: Hf @ v, net.spec.n_params, BATCH_PROBES, seed=seed)
        return np.concatenate([[s2[0], s2[1]], r["ritz"][::-1][:TOP], r["residual"][::-1][:TOP]])

    return _cached(folder / f"top-b{B}-s{seed}.npy", compute)


# --- numbers ----------------------------------------------------------------------------


#: linear range of nn_hessian_spectrum's symmetric-log axis (about the bulk's interquartile range)
SYMLOG = 3e-4

#: the bulk fits drawn in nn_hessian_spectrum: (label, family, keyword arguments of fit_bulk)
FITS = (
    ("semicircle", "semicircle", {}),
    ("Marchenko-Pastur", "marchenko_pastur", {}),
    ("Wigner x Wishart", "wigner_times_wishart", {}),
    ("Wishart product W1 W2", "wishart_product", {"factors": 2}),
    ("deformed, 2 levels", "deformed", {"levels": (0.0, 1.0)}),
)


def _main_spectrum():
    """The main network, its cache folder and its full-data Hessian's eigenvalues."""
    net, folder = _net(MAIN_HIDDEN, MAIN_EPOCHS)
    return net, folder, _eigs(net, folder, None)


def data_nn_spectrum() -> dict:
    from complexity.nn import analysis, fit, rank

    net, folder, e = _main_spectrum()
    X, _ = _batch(net, None)
    kept, dropped = analysis.drop_atom(e, ZERO_TOL)
    n_out = net.spec.sizes[-1]  # C outliers expected at the top (Papyan 2019)
    bulk = kept[:-n_out]
    top = np.sort(e)[::-1][:30]
    gaps = top[:-1] / top[1:]  # lambda_k / lambda_{k+1}: where does the top separate?
    drop_below = ZERO_TOL * float(np.max(np.abs(e)))
    fits = [(label, _fit(folder, e, fam, dict(drop_below=drop_below, outliers=n_out, **kw))) for label, fam, kw in FITS]
    return {
        "top_gaps": gaps,
        "largest_gap_after": int(np.argmax(gaps)) + 1,
        "eigenvalues": e,
        "n_params": net.spec.n_params,
        "summary": net.summary,
        "atom": dropped,
        "drop_below": drop_below,
        "structural": rank.structural_zero_count(net.spec, X),
        "r0": rank.input_rank(X),
        "sizes": list(net.spec.sizes),
        "near_zero_1e-4": int(np.sum(np.abs(e) <= 1e-4 * np.max(np.abs(e)))),
        "outliers": kept[-n_out:],
        "bulk": bulk,
        "fits": fits,
    }


def data_nn_ratios() -> dict:
    from complexity.nn import analysis

    _, _, e = _main_spectrum()
    return analysis.ratio_statistics(e, drop_tol=ZERO_TOL)


def data_nn_batch() -> dict:
    """Top-TOP eigenvalues of batch Hessians (BATCH_SEEDS batches per size) and the batch noise s^2.

    s^2 = ||H_B - H||_F^2 / P per batch (Hutchinson, BATCH_PROBES probes); for batches drawn
    without replacement its mean is sigma^2 (1/B - 1/n) n/(n - 1) (finite-population
    sampling), sigma^2 = (1/(nP)) sum_i ||h_i - H||_F^2; sigma^2 is fitted by least squares.
    """
    from complexity.nn import analysis

    net, folder = _net(MAIN_HIDDEN, MAIN_EPOCHS)
    n = net.summary["n_train"]
    ef = _eigs(net, folder, None)
    theta = ef[-TOP:][::-1]
    bulk_a = ef[:-TOP]  # A's bulk: the full-data spectrum without its TOP largest eigenvalues
    rows = np.array([[_batch_top(net, folder, B, s) for s in range(BATCH_SEEDS)] for B in BATCH_SIZES])
    s2 = rows[:, :, 0]
    top, resid = rows[:, :, 2 : 2 + TOP], rows[:, :, 2 + TOP :]
    Bs = np.array(BATCH_SIZES, dtype=float)
    f = (1 / Bs - 1 / n) * n / (n - 1)
    sigma2 = float(np.sum(f[:, None] * s2) / (BATCH_SEEDS * np.sum(f * f)))
    s2_law = sigma2 * f
    return {
        "batch_sizes": np.array(BATCH_SIZES),
        "n_train": n,
        "theta": theta,
        "s2": s2,
        "sigma2": sigma2,
        "s2_law": s2_law,
        "top": top,
        "residual": resid,
        "law": np.array([[analysis.outlier_law(bulk_a, t, v) for t in theta] for v in s2_law]),
        "bulk_a": bulk_a,
    }


def data_nn_atom() -> dict:
    from complexity.nn import rank

    rows = []
    for w in WIDTHS:
        net, folder = _net((w,), WIDTH_EPOCHS)
        X, _ = _batch(net, WIDTH_BATCH)
        P = net.spec.n_params
        eh = _eigs(net, folder, WIDTH_BATCH)
        eg = _eigs(net, folder, WIDTH_BATCH, gauss_newton=True)
        ef = _eigs(net, folder, None)
        Xf, _ = _batch(net, None)
        rows.append(
            {
                "width": w,
                "P": P,
                "atom_H": rank.zero_count(eh, ZERO_TOL) / P,
                "atom_G": rank.zero_count(eg, ZERO_TOL) / P,
                "atom_full": rank.zero_count(ef, ZERO_TOL) / P,
                "near_zero_full": rank.zero_count(ef, 1e-4) / P,
                "pred_H": rank.structural_zero_count(net.spec, X) / P,
                "pred_G": rank.gauss_newton_atom_bound(net.spec, X),
                "pred_full": rank.structural_zero_count(net.spec, Xf) / P,
                "sizes": list(net.spec.sizes),
                "r0_batch": rank.input_rank(X),
                "r0_full": rank.input_rank(Xf),
            }
        )
    return {"batch": WIDTH_BATCH, "zero_tol": ZERO_TOL, "rows": rows}


# --- figures ----------------------------------------------------------------------------


@register(
    "nn_hessian_spectrum",
    "exact Hessian of a trained 64-16-16-10 MLP on digits: atom at 0, outliers, bulk vs semicircle and "
    "Marchenko-Pastur fits",
    "nn",
)
def nn_hessian_spectrum(out_dir):
    import matplotlib.pyplot as plt

    d = data_nn_spectrum()
    e, P = d["eigenvalues"], d["n_params"]
    fig, (ax, axk, axr) = plt.subplots(1, 3, figsize=(16, 4.4))
    bulk = d["bulk"]
    n = bulk.size
    # the bulk spans five decades around 0: a symmetric-log axis, linear within +-SYMLOG of 0,
    # and bins equally spaced in asinh(lambda / SYMLOG)
    lo, hi = bulk[0], bulk[-1]
    bins = np.sinh(np.linspace(np.arcsinh(lo / SYMLOG), np.arcsinh(hi / SYMLOG), 81)) * SYMLOG
    hist, _ = np.histogram(bulk, bins=bins, density=True)
    ax.hist(bulk, bins=bins, density=True, color="0.7", label=f"bulk ({n} eigenvalues)")
    x = np.sinh(np.linspace(np.arcsinh(lo / SYMLOG), np.arcsinh(hi / SYMLOG), 300)) * SYMLOG
    colors = ("tab:blue", "tab:red", "tab:orange", "tab:purple", "tab:green")
    stride = max(1, n // 160)
    level = (np.arange(1, n + 1) - 0.5) / n
    fits = []
    for (label, f), c in zip(d["fits"], colors):
        dens = f.density(x)
        ax.plot(x, dens, color=c, lw=1.3, label=label)
        resid = f.cdf(bulk) - level
        axk.plot(level, resid, color=c, lw=1.2, label=f"{label}: KS D = {f.ks_statistic:.3f}, p = {f.ks_pvalue:.0e}")
        numbers = {k: v for k, v in f.as_dict().items() if k != "seconds"}  # timings would change every run
        fits.append({"label": label, **numbers, "curve_density": dens, "residual": resid[::stride]})
    ax.set_yscale("log")
    ax.set_xscale("symlog", linthresh=SYMLOG)
    ax.set_ylim(1e-1, None)
    ax.set_xlabel(r"eigenvalue $\lambda$ of the full-data Hessian (symmetric log scale)")
    ax.set_ylabel("density")
    ax.set_title(
        f"P = {P}: {d['atom']} exact zeros (predicted {d['structural']}), {d['outliers'].size} outliers set aside",
        fontsize=8,
    )
    ax.set_xticks([-1e-3, 0.0, 1e-3, 1e-2], ["$-10^{-3}$", "0", "$10^{-3}$", "$10^{-2}$"])
    ax.minorticks_off()
    ax.legend(fontsize=7, loc="upper right")
    axk.axhline(0.0, color="k", lw=0.6)
    axk.set_xlabel(r"bulk quantile level $(i - 1/2)/n$")
    axk.set_ylabel(r"$F_{\rm fit}(\lambda_{(i)}) - (i - 1/2)/n$")
    axk.set_title("fits: min Cramer-von Mises, affine map + shape (p nominal, an upper bound)", fontsize=8)
    axk.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=2)
    a = np.sort(np.abs(e))[::-1]
    k = np.arange(1, P + 1)
    pos = np.sort(e)[::-1]
    axr.loglog(k[pos > 0], pos[pos > 0], ".", ms=2, color="tab:green", label=r"$\lambda > 0$ (by rank)")
    neg = np.sort(-e[e < 0])[::-1]
    axr.loglog(np.arange(1, neg.size + 1), neg, ".", ms=2, color="tab:purple", label=r"$-\lambda$, $\lambda < 0$")
    axr.axvline(d["outliers"].size, color="k", ls=":", lw=1, label=f"C = {d['outliers'].size} (classes)")
    axr.axhline(ZERO_TOL * a[0], color="tab:red", ls="--", lw=1, label=f"zero threshold {ZERO_TOL:g} max|λ|")
    axr.set_xlabel("rank")
    axr.set_ylabel(r"$|\lambda|$")
    axr.set_title(f"train acc {d['summary']['train_accuracy']:.3f}, loss {d['summary']['train_loss']:.1e}")
    axr.legend(fontsize=8)
    data = {
        "eigenvalues": np.sort(e),
        "n_params": P,
        "zero_tol": ZERO_TOL,
        "drop_below": d["drop_below"],
        "atom": d["atom"],
        "structural": d["structural"],
        "r0": d["r0"],
        "sizes": d["sizes"],
        "outliers": d["outliers"],
        "bulk_n": n,
        "hist_edges": bins,
        "hist_density": hist,
        "symlog": SYMLOG,
        "curve_x": x,
        "residual_stride": stride,
        "fits": fits,
        "train_accuracy": d["summary"]["train_accuracy"],
        "train_loss": d["summary"]["train_loss"],
    }
    return [save(fig, out_dir, "nn_hessian_spectrum", data=data)]


@register(
    "nn_spacing_ratios",
    "spacing ratios r~ of the trained MLP's Hessian (atom dropped) against the GOE and Poisson surmises, "
    "with KS p-values",
    "nn",
)
def nn_spacing_ratios(out_dir):
    import matplotlib.pyplot as plt

    from complexity.diagnostics import surmise

    s = data_nn_ratios()
    fig, ax = plt.subplots(figsize=(6.5, 4.2))
    ax.hist(
        s["r_tilde"],
        bins=30,
        range=(0, 1),
        density=True,
        color="0.7",
        label=rf"Hessian, n = {s['n']}, $\langle\tilde r\rangle$ = {s['mean_r_tilde']:.3f} ± {s['stderr']:.3f}",
    )
    r = np.linspace(0, 1, 400)
    curves = {}
    for kind, c in (("goe", "tab:blue"), ("poisson", "tab:red")):
        curves[kind] = surmise.r_tilde_pdf(r, 1 if kind == "goe" else "poisson")
        ax.plot(
            r,
            curves[kind],
            color=c,
            label=f"{kind.upper() if kind == 'goe' else 'Poisson'} surmise, KS p = {s['ks_pvalue'][kind]:.2g}",
        )
    ax.set_xlabel(r"$\tilde r = \min(r, 1/r)$")
    ax.set_ylabel("density")
    ax.set_title(f"{s['dropped']} exact zeros dropped (counted)")
    ax.legend(fontsize=8)
    keys = ("n", "mean_r_tilde", "stderr", "ks_pvalue", "ks_statistic", "dropped", "beta_fit", "beta_fit_stderr")
    data = {**{k: s[k] for k in keys if k in s}, "r_tilde": s["r_tilde"], "r": r, "pdf_goe": curves["goe"],
            "pdf_poisson": curves["poisson"]}
    return [save(fig, out_dir, "nn_spacing_ratios", data=data)]


@register(
    "nn_batch_outliers",
    "top Hessian eigenvalues of the trained MLP against batch size with the outlier law; the batch noise s^2 "
    "against batch size",
    "nn",
)
def nn_batch_outliers(out_dir):
    import matplotlib.pyplot as plt

    d = data_nn_batch()
    B = d["batch_sizes"]
    seeds = d["top"].shape[1]
    fig, (ax, axs) = plt.subplots(1, 2, figsize=(11.5, 4.3))
    colors = plt.cm.viridis(np.linspace(0, 0.85, d["theta"].size))
    for j, c in enumerate(colors):
        m = d["top"][:, :, j].mean(axis=1)
        se = d["top"][:, :, j].std(axis=1, ddof=1) / np.sqrt(seeds)
        ax.errorbar(B * (1 + 0.03 * j), m, yerr=se, fmt="o", ms=4, color=c, label=rf"$\lambda_{j + 1}(H_B)$")
        ax.plot(B, d["law"][:, j], "-", color=c, lw=1)
        ax.axhline(d["theta"][j], color=c, ls=":", lw=0.8)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(f"batch size B (training set n = {d['n_train']})")
    ax.set_ylabel(f"top eigenvalues, mean ± s.e. over {seeds} batches")
    ax.set_title(r"lines: $\theta + s^2 G_A(\theta)$ (noise plus true Hessian); dotted: full data", fontsize=9)
    ax.legend(fontsize=8)
    for k in range(seeds):
        axs.plot(B, d["s2"][:, k], ".", color="0.5", ms=5, label="one batch" if k == 0 else None)
    axs.plot(B, d["s2"].mean(axis=1), "o", color="k", ms=5, label="mean over batches")
    axs.plot(
        B,
        d["s2_law"],
        "-",
        color="tab:red",
        label=rf"$\sigma^2 (1/B - 1/n)\, n/(n-1)$, $\sigma^2$ = {d['sigma2']:.3g} (fit)",
    )
    axs.set_xscale("log")
    axs.set_yscale("log")
    for a in (ax, axs):
        a.set_xticks(B, [str(b) for b in B])
        a.minorticks_off()
    axs.set_xlabel("batch size B")
    axs.set_ylabel(r"batch noise $s^2 = \|H_B - H\|_F^2 / P$")
    axs.set_title("the noise is heavy-tailed across batches (a few hard images dominate)", fontsize=9)
    axs.legend(fontsize=8)
    keys = ("batch_sizes", "n_train", "theta", "s2", "sigma2", "s2_law", "top", "residual", "law", "bulk_a")
    return [save(fig, out_dir, "nn_batch_outliers", data={k: d[k] for k in keys})]


@register(
    "nn_atom_mass",
    "mass of the atom at 0 of 64-n1-10 MLP Hessians against the width ratio n1/n0, with the rank "
    "(product-ensemble) predictions",
    "nn",
)
def nn_atom_mass(out_dir):
    import matplotlib.pyplot as plt

    d = data_nn_atom()
    rows = d["rows"]
    x = np.array([r["width"] for r in rows]) / 64.0

    def col(k):
        return np.array([r[k] for r in rows])

    fig, ax = plt.subplots(figsize=(7, 4.4))
    ax.plot(x, col("atom_G"), "s", color="tab:orange", label=f"Gauss-Newton G, batch B = {d['batch']}")
    ax.plot(x, col("pred_G"), "-", color="tab:orange", lw=1, label=r"bound max$(1 - B(C-1)/P$, structural$/P)$")
    ax.plot(x, col("atom_H"), "o", color="tab:blue", label=f"Hessian H, batch B = {d['batch']}")
    ax.plot(x, col("pred_H"), "-", color="tab:blue", lw=1, label="structural: $n_1(n_0+1-r_0) + n_1 + 1$")
    ax.plot(x, col("atom_full"), "^", color="tab:green", label="Hessian H, full data")
    ax.plot(x, col("pred_full"), "-", color="tab:green", lw=1)
    ax.plot(x, col("near_zero_full"), "v", color="tab:red", label=r"full data, $|\lambda| \leq 10^{-4}\max|\lambda|$")
    ax.set_xscale("log")
    ax.set_xticks(x, [f"{w}/64" for w in WIDTHS])
    ax.minorticks_off()
    ax.set_xlabel(
        r"width ratio $n_1 / n_0$ (P/(B(C-1)) from "
        + f"{rows[0]['P'] / (9 * d['batch']):.1f} to {rows[-1]['P'] / (9 * d['batch']):.1f})"
    )
    ax.set_ylabel("fraction of eigenvalues at 0")
    ax.set_ylim(0, 1)
    ax.legend(fontsize=7.5)
    return [save(fig, out_dir, "nn_atom_mass", data=d)]
