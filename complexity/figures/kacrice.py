"""Figures: Kac-Rice complexity for non-semicircular Hessian spectra (complexity.models.kacrice).

Every measure is standardised to mean 0 and variance 1/2 (the abc GOE's), so the curves
differ only by the shape of the spectrum.  Pure p-spin with p = 3 throughout.

* ``kacrice_theta``: Theta_mu(u) for the semicircle, Marchenko-Pastur (c = 0.5 and 2), the
  semicircle with an atom at 0 (mass 0.01) and, where the spectral layer provides them, a
  Wishart product, a Wigner matrix dressed by a Wishart and a percolated matrix; -E_0 (dashed)
  and -E_inf (dotted) marked.
* ``kacrice_band``: the band [E_inf, E_0] against Marchenko-Pastur's c (40 points), against
  the atom mass d of the semicircle with an atom at 0 (30 points; the band closes where
  Theta_0 <= 0: no minima at exponential scale) and, where available, against the Wishart
  product's ratio (12 points), computed point by point with the sweep model.  The percolated
  matrix has no band: its spectrum is unbounded below (E_inf = inf, no minima).
* ``kacrice_logdet``: Monte Carlo ``N^-1 log E|det(M - t)|`` (N = 200, 30 draws per ensemble,
  seeds fixed, error bars = 1 standard error) against Phi_mu(t) for each ensemble.
"""

from __future__ import annotations

import numpy as np

from complexity.figures import register
from complexity.figures.style import save

P = 3


def _ensembles():
    """(label, measure) for every ensemble available in the spectral layer."""
    from complexity import spectra

    out = [("semicircle", spectra.semicircle()),
           ("Marchenko-Pastur c = 0.5", spectra.marchenko_pastur(0.5)),
           ("Marchenko-Pastur c = 2 (atom 1/2 at 0)", spectra.marchenko_pastur(2.0)),
           ("semicircle + atom 0.01 at 0", spectra.with_zero_mass(spectra.semicircle(), 0.01))]
    for label, make in (("Wishart product c = (0.5, 0.5)", lambda: spectra.wishart_product(0.5, 0.5)),
                        ("Wigner x Wishart c = 0.5", lambda: spectra.wigner_times_wishart(0.5)),
                        ("percolated c = 4", lambda: spectra.percolated(4.0))):
        try:
            out.append((label, make()))
        except (AttributeError, ImportError, ModuleNotFoundError):
            pass
    return out


def data_kacrice_theta(n: int = 500):
    """{label: {"u", "theta", "E_inf", "E_0"}} (E_0 None where Theta_0 <= 0 everywhere)."""
    from complexity.models.kacrice import KacRice

    u = np.linspace(-2.2, 0.6, n)
    out = {}
    for label, mu in _ensembles():
        m = KacRice(mu, P)
        try:
            e0 = m.thresholds(warn=False).e_0
        except ValueError:
            e0 = None
        out[label] = {"u": u, "theta": m.theta(u), "E_inf": m.e_inf, "E_0": e0}
    return out


@register("kacrice_theta", "Theta_mu(u) of the 3-spin for several Hessian spectra of equal variance, -E_0 and -E_inf "
          "marked", "kacrice")
def kacrice_theta(out_dir):
    import matplotlib.pyplot as plt

    d = data_kacrice_theta()
    fig, (ax, az) = plt.subplots(1, 2, figsize=(11, 4.2))
    colors = plt.cm.tab10(np.arange(len(d)))
    for (label, r), c in zip(d.items(), colors):
        e0 = "none" if r["E_0"] is None else f"{r['E_0']:.4f}"
        for a in (ax, az):
            a.plot(r["u"], r["theta"], color=c, label=f"{label}: $E_0$={e0}, $E_\\infty$={r['E_inf']:.4f}")
            if np.isfinite(r["E_inf"]):
                a.axvline(-r["E_inf"], color=c, ls=":", lw=0.8)
            if r["E_0"] is not None:
                a.axvline(-r["E_0"], color=c, ls="--", lw=0.8)
    for a in (ax, az):
        a.axhline(0, color="0.4", lw=0.8)
        a.set_xlabel("energy per spin $u = H_N/N$")
    ax.set_ylabel(r"$\Theta_\mu(u)$ (all critical points with $H_N/N \leq u$)")
    ax.set_ylim(-0.3, 0.5)
    az.set_xlim(-1.85, -1.3)
    az.set_ylim(-0.05, 0.08)
    ax.set_title(r"pure 3-spin, Hessian spectrum $\mu$ (mean 0, variance 1/2)", fontsize=9)
    az.set_title(r"zoom on the band (dashed $-E_0$, dotted $-E_\infty$)", fontsize=9)
    ax.legend(fontsize=6.5, loc="lower right")
    u = next(iter(d.values()))["u"]
    saved = {"p": P, "u": u, "ensembles": {label: {"theta": r["theta"], "E_inf": r["E_inf"], "E_0": r["E_0"]}
                                           for label, r in d.items()}}
    return [save(fig, out_dir, "kacrice_theta", data=saved)]


def _band_axes(n_c, n_d, n_other):
    """(key, x label, values, sweep parameters of a value, log x) for each band panel."""
    from complexity import spectra

    out = [("c", "Marchenko-Pastur ratio $c = N/T$", np.logspace(-2, np.log10(5.0), n_c),
            lambda v: {"ensemble": "marchenko-pastur", "c": float(v)}, True),
           ("d", "atom mass $d$ at 0 (semicircle)", np.linspace(0.0, 0.03, n_d),
            lambda v: {"ensemble": "semicircle", "zero_mass": float(v)}, False)]
    for key, label, make, values, par in (
            ("product", "Wishart product ratio $c_1 = c_2 = c$", lambda: spectra.wishart_product(0.5, 0.5),
             np.logspace(-1.5, 0.5, n_other), lambda v: {"ensemble": "wishart-product", "c": float(v), "c2": float(v)}),
    ):
        try:
            make()
        except (AttributeError, ImportError, ModuleNotFoundError):
            continue
        out.append((key, label, values, par, True))
    return out


def data_kacrice_band(n_c: int = 40, n_d: int = 30, n_other: int = 12):
    """{key: (x, E_inf, E_0)} for Marchenko-Pastur's c, the atom mass d of the semicircle and,
    where available, the Wishart product's ratio; E_0 is NaN
    where the point has no minima (the error the sweep model records)."""
    from complexity.sweep.kacrice_model import kacrice_point

    out = {}
    for key, _, xs, par, _ in _band_axes(n_c, n_d, n_other):
        einf, e0 = [], []
        for v in xs:
            try:
                r = kacrice_point(P, **par(v))
                einf.append(r["E_inf"])
                e0.append(r["E_0"])
            except ValueError:
                einf.append(np.nan)
                e0.append(np.nan)
        out[key] = (np.asarray(xs), np.array(einf), np.array(e0))
    return out


@register("kacrice_band", "The band [E_inf, E_0] of the 3-spin against each ensemble's parameter (Marchenko-Pastur's "
          "c, an atom mass at 0, products and percolated where available: a sweep)", "kacrice")
def kacrice_band(out_dir):
    import matplotlib.pyplot as plt

    from complexity.models import pspin

    d = data_kacrice_band()
    axes_spec = _band_axes(40, 30, 12)
    fig, axes = plt.subplots(1, len(axes_spec), figsize=(5.5 * len(axes_spec), 4.0), squeeze=False)
    for a, (key, xl, _, _, logx) in zip(axes[0], axes_spec):
        x, einf, e0 = d[key]
        a.fill_between(x, einf, e0, where=np.isfinite(e0), color="C0", alpha=0.25, label="band $[E_\\infty, E_0]$")
        a.plot(x, e0, "C0-", label="$E_0$")
        a.plot(x, einf, "C1-", label="$E_\\infty$")
        a.axhline(pspin.threshold(P, 0), color="0.5", ls="--", lw=0.8, label="semicircle $E_0$")
        a.axhline(pspin.e_inf(P), color="0.5", ls=":", lw=0.8, label="semicircle $E_\\infty$")
        a.set_xlabel(xl)
        a.set_ylabel("energy per spin")
        if logx:
            a.set_xscale("log")
    axes[0][0].legend(fontsize=7)
    axes[0][1].set_title("no minima at exponential scale where $E_0$ is missing", fontsize=9)
    saved = {"p": P, "axes": {key: {"x": x, "E_inf": einf, "E_0": e0} for key, (x, einf, e0) in d.items()}}
    return [save(fig, out_dir, "kacrice_band", data=saved)]


def data_kacrice_logdet(n: int = 200, samples: int = 30):
    """{label: {"t", "phi", "mc", "se"}}: Phi_mu(t) and N^-1 log E|det(M - t)| by Monte Carlo."""
    from complexity.models.kacrice import KacRice, standardise

    t = np.linspace(-2.4, 2.4, 25) + 0.0137  # off the atoms
    out = {}
    for i, (label, mu) in enumerate(_ensembles()):
        st = standardise(mu)
        est, se = st.log_abs_det_mc(n, t, samples, seed=100 + i)
        out[label] = {"t": t, "phi": KacRice(mu, P).log_potential(np.linspace(-2.4, 2.4, 400)),
                      "t_fine": np.linspace(-2.4, 2.4, 400), "mc": est, "se": se}
    return out


@register("kacrice_logdet", "Monte Carlo log-determinants N^-1 log E|det(M - t)| against Phi_mu(t) for each "
          "ensemble (standardised)", "kacrice")
def kacrice_logdet(out_dir):
    import matplotlib.pyplot as plt

    d = data_kacrice_logdet()
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for (label, r), c in zip(d.items(), plt.cm.tab10(np.arange(len(d)))):
        ax.plot(r["t_fine"], r["phi"], color=c, label=label)
        ax.errorbar(r["t"], r["mc"], yerr=r["se"], fmt="o", ms=3, color=c)
    ax.set_xlabel("t (spectral variable of the standardised measure)")
    ax.set_ylabel(r"$\Phi_\mu(t)$;  dots: $N^{-1}\log E|\det(M - t)|$, N = 200")
    ax.set_ylim(-2.0, 1.5)
    ax.legend(fontsize=7)
    # data: Phi on every 2nd of its 400 points (with the points), the Monte Carlo points in full
    first = next(iter(d.values()))
    saved = {"p": P, "n": 200, "samples": 30, "t": first["t"], "t_fine": first["t_fine"][::2],
             "ensembles": {label: {"phi": r["phi"][::2], "mc": r["mc"], "se": r["se"]} for label, r in d.items()}}
    return [save(fig, out_dir, "kacrice_logdet", data=saved)]
