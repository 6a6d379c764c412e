"""The figure layer: a registry of named figures, each in its own module.

A figure module calls :func:`register` at import time with a function that
draws the figure and saves it (``fn(out_dir) -> list[pathlib.Path]``).  The
numerics never import this package; figure modules never re-derive formulas.

``complexity figures`` regenerates every registered figure into ``figures/``.
"""

from __future__ import annotations

import dataclasses
import importlib
import pathlib
import time
from typing import Callable

__all__ = ["FigureSpec", "register", "registry", "names", "render"]

#: modules that register figures; add a module here to add its figures
FIGURE_MODULES = (
    "complexity.figures.pspin",
    "complexity.figures.mixed",
    "complexity.figures.rmt_block",
    "complexity.figures.gan",
    "complexity.figures.pspin_finite",
    "complexity.figures.gan_finite",
    "complexity.figures.gan_sweeps",
    "complexity.figures.spectra",
    "complexity.figures.spectra_products",
    "complexity.figures.spectra_percolated",
    "complexity.figures.spectra_deformed",
    "complexity.figures.kacrice",
    "complexity.figures.diagnostics",
    "complexity.figures.nn",
)


@dataclasses.dataclass(frozen=True)
class FigureSpec:
    name: str
    description: str
    draw: Callable[[pathlib.Path], list]
    group: str


_REGISTRY: dict[str, FigureSpec] = {}
_LOADED = False


def register(name: str, description: str, group: str):
    """Decorator: register ``fn(out_dir) -> list[Path]`` as figure ``name``."""

    def deco(fn):
        if name in _REGISTRY and _REGISTRY[name].draw is not fn:
            raise RuntimeError(f"figure {name!r} registered twice")
        _REGISTRY[name] = FigureSpec(name, description, fn, group)
        return fn

    return deco


def _load() -> None:
    global _LOADED
    if not _LOADED:
        for mod in FIGURE_MODULES:
            importlib.import_module(mod)
        _LOADED = True


def registry() -> dict[str, FigureSpec]:
    _load()
    return dict(_REGISTRY)


def names() -> list[str]:
    return list(registry())


def render(selected=None, out_dir="figures", log=print) -> dict[str, dict]:
    """Draw the named figures (all when ``selected`` is empty) into ``out_dir``.

    Unknown names raise ``ValueError`` before anything is drawn or written.
    ``log`` (if given) receives a line as each figure starts, one as it finishes with its
    time, and the total at the end.
    Returns ``{name: {"files": [...], "seconds": t}}``.
    """
    reg = registry()
    selected = list(selected or reg)
    unknown = [n for n in selected if n not in reg]
    if unknown:
        raise ValueError(
            f"figure name(s) {', '.join(map(repr, unknown))} unknown; "
            f"known figures: {', '.join(reg)}"
        )
    out = pathlib.Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    from complexity.figures.style import apply_style

    apply_style()
    done = {}
    t_all = time.perf_counter()
    for i, n in enumerate(selected, 1):
        if log:
            log(f"[{i}/{len(selected)}] {n} ...")
        t0 = time.perf_counter()
        files = reg[n].draw(out)
        dt = time.perf_counter() - t0
        done[n] = {"files": [str(f) for f in files], "seconds": round(dt, 3)}
        if log:
            log(f"[{i}/{len(selected)}] {n}: {', '.join(str(f) for f in files)} ({dt:.1f} s)")
    if log:
        log(f"{len(selected)} figure(s) in {time.perf_counter() - t_all:.1f} s")
    return done
