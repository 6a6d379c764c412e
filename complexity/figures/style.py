"""One house style for every figure, and a deterministic PNG writer."""

from __future__ import annotations

import pathlib

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

STYLE = {
    "figure.dpi": 100,
    "savefig.dpi": 120,
    "font.size": 10,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
    "lines.linewidth": 1.6,
    "image.cmap": "viridis",
}


def apply_style() -> None:
    matplotlib.rcParams.update(STYLE)


def save(fig, out_dir: pathlib.Path, name: str) -> pathlib.Path:
    """Save ``fig`` as ``out_dir/name.png`` with no time stamp (identical on rerun)."""
    path = pathlib.Path(out_dir) / f"{name}.png"
    fig.savefig(path, metadata={"Software": None}, bbox_inches="tight")
    plt.close(fig)
    return path
