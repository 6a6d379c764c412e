"""Which numba kernels a command or a figure runs, and whether they are compiled yet.

numba caches each compiled kernel beside its source (``__pycache__``) or under
``NUMBA_CACHE_DIR``; a family whose modules have no cache index yet is *cold*: its first
call compiles (tens of seconds for the coupled model's engine).  The CLI says so before
such a call, and ``complexity figures`` compiles a cold family once, in one worker, before
the figures that need it (:mod:`complexity.figures`).
"""

from __future__ import annotations

__all__ = ["KERNEL_FAMILIES", "cold_kernels"]

#: the numba-compiled modules each command group runs (relative to the package)
KERNEL_FAMILIES = {
    "pspin": ("models/pspin.py", "rmt/goe_exact.py", "rmt/goe.py"),
    "gan": ("models/_gan_engine.py", "rmt/block.py"),
    "rmt": ("rmt/block.py",),
    "sweep": ("models/pspin.py", "models/_gan_engine.py", "rmt/block.py"),
}


def cold_kernels(command) -> list[str]:
    """Modules of ``command``'s kernel family without a numba cache index yet (first use).

    Looks for numba's ``<module>.<function>-<line>.pyXY.nbi`` index files, no older than the
    source, beside the source (``__pycache__``), or under ``NUMBA_CACHE_DIR`` when that is set;
    a folder it cannot inspect counts as warm.
    """
    import os
    import pathlib

    root = pathlib.Path(__file__).resolve().parent
    cache_dir = os.environ.get("NUMBA_CACHE_DIR")
    cold = []
    for rel in KERNEL_FAMILIES.get(command, ()):
        src = root / rel
        stem = src.stem
        # with NUMBA_CACHE_DIR set numba reads and writes only there
        places = [pathlib.Path(cache_dir)] if cache_dir else [src.parent / "__pycache__"]
        try:
            if not cache_dir and not os.access(src.parent, os.W_OK):
                continue  # numba caches elsewhere: cannot tell
            # an index older than its source is stale: numba recompiles (the source was edited)
            mtime = src.stat().st_mtime
            found = any(idx.stat().st_mtime >= mtime for d in places if d.is_dir() for idx in d.rglob(f"{stem}.*.nbi"))
        except OSError:
            continue
        if not found:
            cold.append(rel)
    return cold
