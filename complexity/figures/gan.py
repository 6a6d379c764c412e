"""Figures of the coupled (GAN) model, derived and reference conventions side by side."""

from __future__ import annotations

import numpy as np

from complexity.figures import register
from complexity.figures.style import save

PUBLISHED = dict(p=3, q=3, sigma_z=1.0, kappa=0.9)


@register(
    "gan_exponent_in_domain",
    "the exponent over (x, x1) with the integration region of Theta(u_D, u_G) drawn: derived convention, and "
    "the published box (p = q = 3, kappa = 0.9, sigma_z = 1; published: exponent_in_domain)",
    "gan",
)
def exponent_in_domain(out_dir):
    import matplotlib.pyplot as plt

    from complexity.models.gan import GanModel

    fig, axes = plt.subplots(1, 2, figsize=(12, 4.6), layout="constrained")
    data = {}
    for ax, conv, (xr, x1r), (u_d, u_g) in (
        (axes[0], "derived", ((-30, 30), (-30, 30)), (-0.5, 0.02)),
        (axes[1], "published", ((-50, 200), (-15, 10)), (5.0, 0.5)),
    ):
        m = GanModel(**PUBLISHED, convention=conv, box="exponent_in_domain")
        x = np.linspace(*xr, 241)
        x1 = np.linspace(*x1r, 121)
        e, _ = m.exponent_grid(x, x1)
        im = ax.pcolormesh(x, x1, e, shading="auto", cmap="viridis")
        if (e > 0).any() and (e < 0).any():
            ax.contour(x, x1, e, levels=[0.0], colors="w", linewidths=1.0)
        fig.colorbar(im, ax=ax, label="exponent")
        res = m.theta(u_d, u_g)
        # the exponent on every 8th node of the drawn grid (the drawn grid is 241 x 121)
        data[conv] = {"x": x[::8], "x1": x1[::8], "exponent": e[::8, ::8], "u_d": u_d, "u_g": u_g,
                      "theta": res.theta, "maximiser_x": res.x, "maximiser_x1": res.x1}
        if conv != "derived":
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
    return [save(fig, out_dir, "gan_exponent_in_domain", data={"parameters": PUBLISHED, **data})]


@register(
    "gan_theta_marginals",
    "Theta(u_D, +inf) and Theta(+inf, u_G) with the thresholds marked, derived and reference conventions",
    "gan",
)
def theta_marginals(out_dir):
    import matplotlib.pyplot as plt

    from complexity.models.gan import GanModel

    fig, axes = plt.subplots(1, 2, figsize=(12, 4.2))
    data = {}
    for ax, conv, span in ((axes[0], "derived", (-3.5, 0.5)), (axes[1], "reference", (-40.0, 0.5))):
        m = GanModel(**PUBLISHED, convention=conv)
        u = np.linspace(*span, 41)
        th_d = m.theta_marginal("u_D", u).theta[0]  # Theta(u, +inf): one grid, exact at the nodes
        th_g = m.theta_marginal("u_G", u).theta[:, 0]  # Theta(+inf, u)
        thr = m.thresholds()
        data[conv] = {"u": u, "theta_u_d": th_d, "theta_u_g": th_g, "threshold_u_d": thr["u_D"],
                      "threshold_u_g": thr["u_G"]}
        ax.plot(u, th_d, label=r"$\Theta(u_D, +\infty)$")
        ax.plot(u, th_g, label=r"$\Theta(+\infty, u_G)$")
        ax.axhline(0, color="0.4", lw=0.8)
        ax.axvline(thr["u_D"], color="tab:blue", ls="--", lw=1, label=rf"$\vartheta_D = {thr['u_D']:.4f}$")
        ax.axvline(thr["u_G"], color="tab:orange", ls="--", lw=1, label=rf"$\vartheta_G = {thr['u_G']:.4f}$")
        ax.set_title(f"{conv} convention (p = q = 3, kappa = 0.9, sigma_z = 1)")
        ax.set_xlabel("loss threshold u")
        ax.set_ylabel("complexity")
        ax.legend(fontsize=8)
    return [save(fig, out_dir, "gan_theta_marginals", data={"parameters": PUBLISHED, **data})]


# ----------------------------------------------------------------------------- Theta surfaces
DERIVED_U = {"u_d": (-3.5, 0.5), "u_g": (-2.5, 0.5)}


def _published_u(m, n):
    """The published code's (u_D, u_G) grid: the image of its (x, x1) box (rmt/complexity.py)."""
    (xlo, xhi), (x1lo, x1hi) = m.xbox
    r = -m.p / m.region_slope
    u_g = np.linspace(xlo / m.region_slope, xhi / m.region_slope, n)
    u_d = np.linspace((xhi * r - x1hi) / m.p, (xlo * r - x1lo) / m.p, n)
    return u_d, u_g


def _grid_for(m, n, ranges=None):
    if m.convention == "published":
        return _published_u(m, n)
    ranges = ranges or DERIVED_U
    return np.linspace(*ranges["u_d"], n), np.linspace(*ranges["u_g"], n)


def _surface_with_slices(fig, axes, g, title, zero=True):
    th = np.where(np.isfinite(g.theta), g.theta, np.nan)
    im = axes[0].pcolormesh(g.u_d, g.u_g, th, shading="auto", cmap="viridis")
    if zero and np.nanmax(th) > 0 > np.nanmin(th):
        axes[0].contour(g.u_d, g.u_g, th, levels=[0.0], colors="w", linewidths=1.0)
    fig.colorbar(im, ax=axes[0])
    axes[0].set_title(title, fontsize=9)
    axes[0].set_xlabel("$u_D$")
    axes[0].set_ylabel("$u_G$")
    for k in np.linspace(g.u_g.size // 10, g.u_g.size - 1, 5).astype(int):
        axes[1].plot(g.u_d, th[k], label=f"$u_G$ = {g.u_g[k]:.3g}")
    for k in np.linspace(g.u_d.size // 10, g.u_d.size - 1, 5).astype(int):
        axes[2].plot(g.u_g, th[:, k], label=f"$u_D$ = {g.u_d[k]:.3g}")
    for ax, lab in ((axes[1], "$u_D$"), (axes[2], "$u_G$")):
        ax.axhline(0, color="0.5", lw=0.7)
        ax.set_xlabel(lab)
        ax.set_ylabel(r"$\Theta$")
        ax.legend(fontsize=7)


@register(
    "gan_theta",
    "Theta(u_D, u_G) as a surface with slices in u_D and u_G (gan_theta.png), and Theta minus the larger of its "
    "two one-variable marginal maxima (gan_theta_ratio.png), derived and published conventions "
    "(p = q = 3, kappa = 0.9, sigma_z = 1; published: theta, theta_ratio); one Theta grid serves both",
    "gan",
)
def theta_surface(out_dir):
    import matplotlib.pyplot as plt

    surfaces = {conv: _theta_surface(conv) for conv in ("derived", "published")}
    fig, axes = plt.subplots(2, 3, figsize=(16, 9), layout="constrained")
    data = {}
    for row, (conv, g) in zip(axes, surfaces.items()):
        _surface_with_slices(fig, row, g, rf"{conv}: $\Theta(u_D, u_G)$ (exact sup; white: 0)")
        data[conv] = _grid_data(g, 8)
    return [save(fig, out_dir, "gan_theta", data={"parameters": PUBLISHED, **data}), _theta_ratio(out_dir, surfaces)]


def _grid_data(g, stride):
    """Every ``stride``-th node of a Theta grid (rows u_G, columns u_D) for the figure's data file."""
    return {"u_d": g.u_d[::stride], "u_g": g.u_g[::stride], "theta": g.theta[::stride, ::stride],
            "stride": stride}


def _theta_surface(conv):
    """Theta on the 161 x 161 grid of the theta figures (gan_theta and gan_theta_ratio)."""
    from complexity.models.gan import GanModel

    m = GanModel(**PUBLISHED, convention=conv, box="theta")
    return m.theta_grid(*_grid_for(m, 161))


def _theta_ratio(out_dir, surfaces):
    """gan_theta_ratio.png: Theta minus the larger of its two marginal maxima on the grid."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(12, 4.6), layout="constrained")
    data = {}
    for ax, (conv, g) in zip(axes, surfaces.items()):
        th = np.where(np.isfinite(g.theta), g.theta, np.nan)
        # as published: Theta(u_D, u_G) - max(Theta(u_D, top u_G), Theta(top u_D, u_G)) on the grid
        diff = th - np.maximum(th[-1][None, :], th[:, -1][:, None])
        data[conv] = {**_grid_data(g, 8), "difference": diff[::8, ::8], "max_difference": np.nanmax(diff)}
        im = ax.pcolormesh(g.u_d, g.u_g, diff, shading="auto", cmap="magma")
        fig.colorbar(im, ax=ax)
        ax.set_title(f"{conv}: Theta - max of its marginals (max {np.nanmax(diff):.3g})", fontsize=9)
        ax.set_xlabel("$u_D$")
        ax.set_ylabel("$u_G$")
    return save(fig, out_dir, "gan_theta_ratio", data={"parameters": PUBLISHED, **data})


@register(
    "gan_theta_index",
    "index-resolved Theta_{1,1}(u_D, u_G) at sigma_z = 0.5 with slices, derived and published conventions "
    "(published: theta_index)",
    "gan",
)
def theta_index(out_dir):
    import matplotlib.pyplot as plt

    from complexity.models.gan import GanModel

    fig, axes = plt.subplots(2, 3, figsize=(16, 9), layout="constrained")
    data = {"parameters": {"p": 3, "q": 3, "sigma_z": 0.5, "kappa": 0.9, "k_d": 1, "k_g": 1}}
    for row, conv in zip(axes, ("derived", "published")):
        m = GanModel(3, 3, 0.5, 0.9, convention=conv, box="theta_index")
        g = m.theta_grid(*_grid_for(m, 121), k_d=1, k_g=1)
        data[conv] = _grid_data(g, 8)
        _surface_with_slices(fig, row, g, rf"{conv}: $\Theta_{{1,1}}$, $\sigma_z = 0.5$ (max {np.max(g.theta):.3g})")
    return [save(fig, out_dir, "gan_theta_index", data=data)]


INDEX_PANELS = ((0, 0), (1, 0), (0, 1), (2, 0), (1, 1), (0, 2), (3, 0), (2, 1))


@register(
    "gan_theta_indexs",
    "Theta_{k_D,k_G} for eight index pairs: derived at sigma_z = 0.01 (at sigma_z = 1 no finite index has "
    "Theta > 0) and published at sigma_z = 1 (published: theta_indexs); colours clipped 30 below the top",
    "gan",
)
def theta_indexs(out_dir):
    import matplotlib.pyplot as plt

    from complexity.models.gan import GanModel

    fig, axes = plt.subplots(4, 4, figsize=(18, 15), layout="constrained")
    data = {}
    for r0, conv in ((0, "derived"), (2, "published")):
        if conv == "derived":  # at sigma_z = 1 no finite index has Theta > 0 (docs/gan_model.md)
            m = GanModel(3, 3, 0.01, 0.9)
            u_d, u_g = np.linspace(-1.7, -1.3, 101), np.linspace(-0.02, 0.01, 101)
        else:  # the published panels' window
            m = GanModel(**PUBLISHED, convention=conv, box="theta_indexs")
            u_d, u_g = np.linspace(-5, 5, 101), np.linspace(-1.3, 0.0, 101)
        for k, (kd, kg) in enumerate(INDEX_PANELS):
            ax = axes[r0 + k // 4, k % 4]
            g = m.theta_grid(u_d, u_g, k_d=kd, k_g=kg)
            data[f"{conv}_{kd}_{kg}"] = {**_grid_data(g, 10), "sigma_z": m.sigma_z, "k_d": kd, "k_g": kg}
            th = np.where(np.isfinite(g.theta), g.theta, np.nan)
            lo = max(np.nanmin(th), np.nanmax(th) - 30.0)  # colours clipped 30 below the top
            im = ax.pcolormesh(u_d, u_g, th, shading="auto", cmap="viridis", vmin=lo)
            if np.nanmax(th) > 0 > np.nanmin(th):
                ax.contour(u_d, u_g, th, levels=[0.0], colors="w", linewidths=0.8)
            fig.colorbar(im, ax=ax)
            ax.set_title(f"{conv} ($\\sigma_z$ = {m.sigma_z:g}): $k_D$ = {kd}, $k_G$ = {kg}", fontsize=9)
            ax.set_xlabel("$u_D$")
            ax.set_ylabel("$u_G$")
    return [save(fig, out_dir, "gan_theta_indexs", data=data)]


@register(
    "gan_kdkg_bands",
    "band map: the largest k_D and k_G (up to 29) with Theta_{k_D,k_G} > 0 over (u_D, u_G); derived at "
    "sigma_z = 0.01 (at sigma_z = 1 no finite index has Theta > 0) and published at sigma_z = 1 "
    "(published: kdkg_combined_filled)",
    "gan",
)
def kdkg_bands(out_dir):
    import matplotlib.pyplot as plt

    from complexity.models.gan import GanModel

    fig, axes = plt.subplots(2, 2, figsize=(13, 10), layout="constrained")
    cases = (
        ("derived", GanModel(3, 3, 0.01, 0.9), np.linspace(-1.7, -1.3, 161), np.linspace(-0.02, 0.01, 161)),
        ("published", GanModel(**PUBLISHED, convention="published", box="theta_indexs"), np.linspace(-4, 1, 161),
         np.linspace(-1.2, 0.05, 161)),
    )
    saved = {}
    for row, (conv, m, u_d, u_g) in zip(axes, cases):
        bm = m.band_map(u_d, u_g, k_max=29)
        saved[conv] = {"sigma_z": m.sigma_z, "u_d": u_d[::4], "u_g": u_g[::4], "k_d": bm.k_d[::4, ::4],
                      "k_g": bm.k_g[::4, ::4], "stride": 4}
        for ax, arr, lab in ((row[0], bm.k_d, "$k_D$"), (row[1], bm.k_g, "$k_G$")):
            data = np.where(arr >= 0, arr, np.nan).astype(float)
            im = ax.pcolormesh(u_d, u_g, data, shading="auto", cmap="turbo", vmin=0, vmax=29)
            fig.colorbar(im, ax=ax, label=f"largest {lab} with Theta > 0 (white: none)")
            ax.set_title(f"{conv} ($\\sigma_z$ = {m.sigma_z:g}): largest {lab}", fontsize=9)
            ax.set_xlabel("$u_D$")
            ax.set_ylabel("$u_G$")
    return [save(fig, out_dir, "gan_kdkg_bands", data={"k_max": 29, **saved})]
