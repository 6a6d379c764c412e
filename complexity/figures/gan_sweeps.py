"""Parameter sweeps of the coupled model: thresholds against sigma_z and kappa, and for nine
(p, q) pairs; derived, published (the reference constants in the published grid box, as
printed) and reference (the same constants, true supremum: no plateau made by a grid edge)
conventions.  Each figure runs one sweep through :func:`complexity.sweep.run_sweep` (local
processes) into a temporary file."""

from __future__ import annotations

import tempfile

import numpy as np

from complexity.figures import register
from complexity.figures.style import save
from complexity.models.gan import PUBLISHED_BOXES

PAIRS = ((3, 3), (3, 5), (5, 3), (5, 5), (3, 7), (7, 3), (7, 5), (5, 7), (10, 10))
CONVS = ("derived", "published", "reference")
#: the thresholds each kind of figure draws (and so computes)
EFFECT_DRAWN = ("u_D", "u_G", "u_sum")
VARY_DRAWN = ("u_D", "u_G")


def _sweep(grid, drawn=EFFECT_DRAWN):
    from complexity.sweep import load_sweep, run_sweep

    with tempfile.TemporaryDirectory() as tmp:
        path = f"{tmp}/sweep.csv"
        from complexity.figures import sweep_options

        # only what the figure draws is computed: never max |u_D - u_G|, u_sum where not drawn
        run_sweep("gan", {**grid, "diff": 0, "sum": int("u_sum" in drawn)}, path, progress=False, **sweep_options())
        df = load_sweep(path)
    return df


def pd_numeric(col):
    """A result column as floats (a failed point's empty cell becomes NaN)."""
    import pandas as pd

    return pd.to_numeric(col, errors="coerce").to_numpy(dtype=float)


def _grid_edge(p, q):
    """The lowest u_G the published sweep box reaches: u_G = x / (P 2^P) at its lowest x (docs/gan_model.md)."""
    return PUBLISHED_BOXES["sweep"]["x"][0] / ((p + q) * 2 ** (p + q))


def _plot_thresholds(ax, x, df, conv, logx, p, q):
    for col, lab in (("u_D", r"$\vartheta_D$"), ("u_G", r"$\vartheta_G$"), ("u_sum", r"min $u_D + u_G$")):
        y = pd_numeric(df[col])
        ok = np.isfinite(y)
        ax.plot(np.asarray(x)[ok], y[ok], marker=".", ms=3, label=lab)
    if logx:
        ax.set_xscale("log")
    if conv != "published":
        ax.set_yscale("symlog", linthresh=1.0)
        vals = np.concatenate([pd_numeric(df[c]) for c in ("u_D", "u_G", "u_sum")])
        top = float(np.max(vals[np.isfinite(vals)])) if np.isfinite(vals).any() else 0.0
        ax.set_ylim(top=max(1.0, 2.0 * top))
    else:
        ax.axhline(_grid_edge(p, q), color="0.5", ls=":", lw=1, label="grid edge $-1000/(P 2^P)$")
    failed = int(np.count_nonzero(~np.isfinite(pd_numeric(df["u_D"]))))
    if failed:
        ax.text(0.02, 0.02, f"{failed} point(s) without thresholds (recorded errors)", transform=ax.transAxes,
                fontsize=7)
    ax.set_title({"published": "published (reference constants, published grid box)",
                  "reference": "reference (published constants, true supremum)"}.get(conv, conv), fontsize=9)
    ax.legend(fontsize=7)


def _columns(df, axis_name, drawn=EFFECT_DRAWN):
    """The figure's data: the swept axis and the drawn thresholds, per convention."""
    out = {}
    for conv in CONVS:
        d = df[df["convention"] == conv].sort_values(axis_name)
        out[conv] = {axis_name: pd_numeric(d[axis_name]), **{c: pd_numeric(d[c]) for c in drawn}}
    return out


def _effect(out_dir, name, grid, axis_name, label, logx):
    import matplotlib.pyplot as plt

    df = _sweep({**grid, "convention": list(CONVS)})
    fig, axes = plt.subplots(1, len(CONVS), figsize=(6 * len(CONVS), 4.4))
    for ax, conv in zip(axes, CONVS):
        d = df[df["convention"] == conv].sort_values(axis_name)
        _plot_thresholds(ax, d[axis_name], d, conv, logx, grid["p"], grid["q"])
        ax.set_xlabel(label)
        ax.set_ylabel("lowest loss with Theta > 0")
    fixed = {k: v for k, v in grid.items() if k != axis_name}
    return [save(fig, out_dir, name, data={"fixed": fixed, "axis": axis_name, **_columns(df, axis_name)})]


@register(
    "gan_sigma_z_effect",
    "thresholds theta_D, theta_G and min(u_D + u_G) against sigma_z (p = q = 3, kappa = 0.9), derived and "
    "published conventions (published: sigma_z_effect)",
    "gan_sweeps",
)
def sigma_z_effect(out_dir):
    return _effect(out_dir, "gan_sigma_z_effect", {"p": 3, "q": 3, "kappa": 0.9, "sigma_z": "logspace(-5,2,60)"},
                   "sigma_z", r"$\sigma_z$", True)


@register(
    "gan_kappa_effect",
    "thresholds against kappa (p = q = 3, sigma_z = 1), derived and published conventions (published: kappa_effect)",
    "gan_sweeps",
)
def kappa_effect(out_dir):
    return _effect(out_dir, "gan_kappa_effect", {"p": 3, "q": 3, "sigma_z": 1.0, "kappa": "linspace(0.05,0.95,50)"},
                   "kappa", r"$\kappa$", False)


def _vary_pq(out_dir, name, axis_name, grid_value, logx):
    import matplotlib.pyplot as plt

    rows = []
    for p, q in PAIRS:
        rows.append(_sweep({"p": p, "q": q, "kappa": 0.9 if axis_name == "sigma_z" else "linspace(0.05,0.95,12)",
                            "sigma_z": grid_value if axis_name == "sigma_z" else 1.0, "convention": list(CONVS)},
                           drawn=VARY_DRAWN))
    fig, axes = plt.subplots(2, len(CONVS), figsize=(6.5 * len(CONVS), 9))
    for c, conv in enumerate(CONVS):
        for r, col in enumerate(VARY_DRAWN):
            ax = axes[r, c]
            for (p, q), df in zip(PAIRS, rows):
                d = df[df["convention"] == conv]
                d = d[np.isfinite(pd_numeric(d[col]))].sort_values(axis_name)
                ax.plot(d[axis_name], pd_numeric(d[col]), marker=".", ms=3, label=f"p={p}, q={q}")
            if logx:
                ax.set_xscale("log")
            if conv != "published":
                ax.set_yscale("symlog", linthresh=1.0)
            ax.set_title(f"{conv}: {col.replace('u_', 'theta_')}", fontsize=9)
            ax.set_xlabel(axis_name)
            ax.legend(fontsize=6, ncol=2)
    fixed = {"kappa": 0.9} if axis_name == "sigma_z" else {"sigma_z": 1.0}
    data = {"fixed": fixed, "axis": axis_name,
            "pairs": [{"p": p, "q": q, **_columns(df, axis_name, VARY_DRAWN)} for (p, q), df in zip(PAIRS, rows)]}
    return [save(fig, out_dir, name, data=data)]


@register(
    "gan_theory_sigma_vary_pq",
    "theta_D and theta_G against sigma_z for nine (p, q) pairs (kappa = 0.9), derived and published "
    "conventions (published: gan_theory_L_D/L_G_vary_pq)",
    "gan_sweeps",
)
def theory_sigma_vary_pq(out_dir):
    return _vary_pq(out_dir, "gan_theory_sigma_vary_pq", "sigma_z", "logspace(-5,2,12)", True)


@register(
    "gan_theory_kappa_vary_pq",
    "theta_D and theta_G against kappa for nine (p, q) pairs (sigma_z = 1), derived and published conventions "
    "(published: gan_theory_kappa_L_D/L_G_vary_pq)",
    "gan_sweeps",
)
def theory_kappa_vary_pq(out_dir):
    return _vary_pq(out_dir, "gan_theory_kappa_vary_pq", "kappa", None, False)
