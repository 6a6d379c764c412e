"""One house style for every figure, and a deterministic writer of each PNG and its data.

Every figure saves the numbers it draws beside its PNG: ``figures/data/<name>.json`` (one
JSON object: ``{"figure": name, "data": {...}}``, keys sorted, floats written by ``repr``
so a rerun gives the same bytes, a NaN or infinity written as ``null``).  The tests
(``tests/test_figure_data.py``) spot-check those numbers against the models' independent
oracles, and a user can re-plot or compare them without recomputing.  Grids too large for
a small file are stored on a stride (the figure module says which) with their axes.
"""

from __future__ import annotations

import json
import math
import pathlib

import numpy as np

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


#: the data files' folder, inside the figures' output folder
DATA_DIR = "data"


def _plain(value):
    """``value`` as JSON-ready Python: arrays to (nested) lists, non-finite floats to None."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer, int)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        v = float(value)
        return v if math.isfinite(v) else None
    if value is None or isinstance(value, str):
        return value
    raise TypeError(f"figure data: cannot store a value of type {type(value).__name__}")


def data_path(out_dir, name: str) -> pathlib.Path:
    return pathlib.Path(out_dir) / DATA_DIR / f"{name}.json"


def save(fig, out_dir: pathlib.Path, name: str, data: dict | None = None) -> pathlib.Path:
    """Save ``fig`` as ``out_dir/name.png`` with no time stamp (identical on rerun) and, when
    ``data`` is given, the numbers it draws as ``out_dir/data/name.json`` (module docstring)."""
    from complexity._files import atomic_write

    path = pathlib.Path(out_dir) / f"{name}.png"
    if data is not None:
        text = json.dumps({"figure": name, "data": _plain(data)}, sort_keys=True, separators=(",", ":"),
                          allow_nan=False) + "\n"
        atomic_write(data_path(out_dir, name), lambda fh: fh.write(text), text=True)
    fig.savefig(path, metadata={"Software": None}, bbox_inches="tight")
    plt.close(fig)
    return path


def load_data(out_dir, name: str) -> dict:
    """The ``data`` object a figure saved (``None`` where a value was NaN or infinite)."""
    return json.loads(data_path(out_dir, name).read_text())["data"]
