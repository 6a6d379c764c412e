"""Which numba kernels a command or a figure runs, and whether they are compiled yet.

numba caches each compiled kernel beside its source (``__pycache__``) or under
``NUMBA_CACHE_DIR``; a family whose modules have no cache index yet is *cold*: its first
call compiles (tens of seconds for the coupled model's engine).  The CLI says so before
such a call, and ``complexity figures`` compiles a cold family once, in one worker, before
the figures that need it (:mod:`complexity.figures`); the test suite compiles every cold
family once, in parallel processes, before its workers start (``tests/conftest.py``).
:data:`WARM_UPS` names the function that compiles each family on a small case.
"""

from __future__ import annotations

__all__ = ["KERNEL_FAMILIES", "WARM_UPS", "cold_kernels", "warm_up"]

#: the numba-compiled modules each command group runs (relative to the package)
KERNEL_FAMILIES = {
    "pspin": ("models/pspin.py", "rmt/goe_exact.py", "rmt/goe.py"),
    "gan": ("models/_gan_engine.py", "rmt/block.py"),
    "rmt": ("rmt/block.py",),
    "sweep": ("models/pspin.py", "models/_gan_engine.py", "rmt/block.py"),
    "spectra": ("spectra/_subordination_kernel.py", "spectra/products.py", "spectra/semicircle.py",
                "spectra/sparse.py"),
    "finite": ("models/enumerate.py", "models/gan_enumerate.py", "models/gan_finite.py", "models/mixed.py",
               "_linalg.py"),
}

#: the function that compiles (or loads from numba's cache) every kernel of a family, on a
#: small case, with the argument types the public functions pass
WARM_UPS = {
    "gan": "complexity.models.gan:warm_up",
    "pspin": "complexity._kernels:_warm_pspin",
    "spectra": "complexity._kernels:_warm_spectra",
    "finite": "complexity._kernels:_warm_finite",
}


def warm_up(family: str) -> float:
    """Compile kernel family ``family`` (numba writes its cache); returns the seconds taken."""
    import importlib
    import time

    if family not in WARM_UPS:
        raise ValueError(f"family must be one of {', '.join(WARM_UPS)}; got {family!r}")
    mod, fn = WARM_UPS[family].split(":")
    t0 = time.perf_counter()
    getattr(importlib.import_module(mod), fn)()
    return time.perf_counter() - t0


def _warm_pspin() -> None:
    import numpy as np

    from complexity.models import pspin
    from complexity.rmt import goe, goe_exact

    pspin.theta(np.linspace(-1.7, -1.0, 4), 3)
    pspin.theta(np.linspace(-1.7, -1.0, 4), 3, k=1)
    pspin.thresholds(3, 2)
    goe_exact.goe_density(np.linspace(-1.0, 1.0, 5), 4)
    goe_exact.hermite_functions(np.linspace(-1.0, 1.0, 5), 3)
    goe.edge_rate_scalar(2.5, 2.0)


def _warm_spectra() -> None:
    import numpy as np

    from complexity import spectra

    x = np.linspace(-3.0, 3.0, 7)
    z = x + 0.5j
    for mu in (spectra.deformed(spectra.marchenko_pastur(0.5), 0.7),
               spectra.deformed(spectra.discrete([-1.0, 1.0], [0.5, 0.5]), 0.5),
               spectra.wishart_product(0.5, 0.3), spectra.wigner_times_wishart(0.5)):
        mu.density(x)
        mu.stieltjes(z)
        mu.log_potential(x)
    spectra.semicircle(scale="abc").log_potential(x)
    spectra.percolated(3.0, population=200, replicas=2, burn=2, sweeps=2).density(np.array([0.5]))


def _warm_finite() -> None:
    import numpy as np

    from complexity.models import enumerate as en
    from complexity.models import gan_enumerate as ge
    from complexity.models import gan_finite, mixed

    rng = np.random.default_rng(0)
    en.critical_points(en.sample_couplings(3, 4, rng), starts=8, max_rounds=2)
    ge.critical_points_game(ge.sample_instance(3, 3, 1.0, 2, 2, rng), starts=8, max_rounds=2)
    gan_finite.sample_hessians(3, 3, 1.0, 3, 3, 2, rng)
    mixed.theta(np.linspace(-1.7, -1.0, 3), {3: 0.8, 4: 0.6})
    mixed.threshold({3: 0.8, 4: 0.6})



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
