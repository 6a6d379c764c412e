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

from complexity._kernels import cold_kernels

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


#: seconds per figure in a cold parallel run on a two-core machine (numba compilation included;
#: benchmarks/RESULTS.md): the parallel run starts the longest first; a missing figure counts 5 s
EXPECTED_SECONDS: dict[str, float] = {
    "nn_atom_mass": 23.5,
    "nn_hessian_spectrum": 11.5,
    "gan_finite_n": 11.5,
    "gan_finite_rate": 10.1,
    "gan_theory_sigma_vary_pq": 9.9,
    "gan_kdkg_bands": 8.1,
    "gan_sigma_z_effect": 7.6,
    "gan_theta_indexs": 7.3,
    "pspin_finite_n": 6.6,
    "nn_batch_outliers": 5.8,
    "gan_theory_kappa_vary_pq": 5.1,
    "percolated_spectra": 4.2,
    "support_phase_diagram": 3.6,
    "gan_kappa_effect": 2.7,
    "gan_theta": 1.9,
    "gan_theta_index": 1.6,
    "spectra_products": 1.5,
    "spectra_deformed": 1.5,
    "coulomb_verification": 1.4,
    "mixed_vs_pure": 1.3,
    "spectra": 1.3,
    "diagnostics_ratios": 1.3,
    "spectra_marchenko_pastur": 1.2,
    "kacrice_band": 1.2,
    "diagnostics_outliers": 1.1,
    "kacrice_logdet": 1.1,
    "kacrice_theta": 1.0,
    "gan_theta_marginals": 0.9,
    "gan_exponent_in_domain": 0.8,
    "percolated_atom": 0.7,
    "diagnostics_damping": 0.6,
    "diagnostics_batch_size": 0.4,
    "product_atoms": 0.4,
    "pspin_theta_band": 0.3,
    "pspin_thresholds": 0.2,
    "nn_spacing_ratios": 0.2,
}

#: set in a figure worker of a parallel run: sweeps inside a figure then run in that process
IN_PARALLEL_RUN = "COMPLEXITY_FIGURE_WORKER"


def sweep_options() -> dict:
    """How a sweep inside a figure runs: in its own process when it is drawn by a worker of a
    parallel figure run (the run already uses every core), else on every core."""
    import os

    return {"backend": "serial"} if os.environ.get(IN_PARALLEL_RUN) else {}


#: figure groups whose figures run a numba kernel family (:mod:`complexity._kernels`), and the
#: function that compiles that family: a parallel run compiles a cold family once, in one
#: worker, before any figure that needs it, while the other workers draw figures that do not
GROUP_KERNELS = {"gan": "gan", "gan_sweeps": "gan"}
WARM_UPS = {"gan": "complexity.models.gan:warm_up"}


def _warm_up(family: str):
    """Compile kernel family ``family`` in a worker process (numba writes its cache)."""
    import importlib as _il

    mod, fn = WARM_UPS[family].split(":")
    t0 = time.perf_counter()
    getattr(_il.import_module(mod), fn)()
    return family, time.perf_counter() - t0


def _draw_one(name: str, out: str, announce: bool):
    """Draw one figure in a worker process (BLAS on one thread: the run uses the cores)."""
    import os

    from threadpoolctl import threadpool_limits

    from complexity.figures.style import apply_style

    os.environ[IN_PARALLEL_RUN] = "1"
    if announce:
        print(f"  {name} ...", flush=True)
    apply_style()
    t0 = time.perf_counter()
    with threadpool_limits(limits=1, user_api="blas"):
        files, skipped = _draw_or_skip(registry()[name], pathlib.Path(out))
    return name, files, time.perf_counter() - t0, skipped


def _draw_or_skip(spec: FigureSpec, out: pathlib.Path):
    """``(files, None)``, or ``([], reason)`` when the figure needs an optional extra that is
    not installed (the network figures: the ``nn`` extra)."""
    from complexity.nn._backend import NNExtraMissing

    try:
        return [str(f) for f in spec.draw(out)], None
    except NNExtraMissing as exc:
        return [], str(exc)


def _entry(files, dt, skipped):
    out = {"files": files, "seconds": round(dt, 3)}
    if skipped:
        out["skipped"] = skipped
    return out


def _line(count, n_all, name, files, dt, skipped):
    what = f"skipped: {skipped}" if skipped else ", ".join(files)
    return f"[{count}/{n_all}] {name}: {what} ({dt:.1f} s)"


def render(selected=None, out_dir="figures", log=print, jobs: int | None = None) -> dict[str, dict]:
    """Draw the named figures (all when ``selected`` is empty) into ``out_dir``.

    Unknown names raise ``ValueError`` before anything is drawn or written.  ``jobs``
    figures are drawn at once in worker processes (default: one per core; 1: in this
    process, in registry order), the longest first (:data:`EXPECTED_SECONDS`); every figure
    is seeded, so the files do not depend on ``jobs`` or on the order.  ``log`` (if given)
    receives a line as each figure starts, one as it finishes with its time, and the total.
    Returns ``{name: {"files": [...], "seconds": t}}`` in the order of ``selected``.
    """
    import os

    reg = registry()
    selected = list(selected or reg)
    unknown = [n for n in selected if n not in reg]
    if unknown:
        raise ValueError(
            f"figure name(s) {', '.join(map(repr, unknown))} unknown; "
            f"known figures: {', '.join(reg)}"
        )
    jobs = min(os.cpu_count() or 1, len(selected)) if jobs is None else max(1, int(jobs))
    out = pathlib.Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    done = {}
    t_all = time.perf_counter()
    n_all = len(selected)
    if jobs == 1 or n_all == 1:
        from complexity.figures.style import apply_style

        apply_style()
        cold = {f for f in set(GROUP_KERNELS.values()) if cold_kernels(f)}
        for i, n in enumerate(selected, 1):
            family = GROUP_KERNELS.get(reg[n].group)
            if log and family in cold:
                log(f"compiling the numerical kernels of the {family} family on first use (cached afterwards)")
            cold.discard(family)
            if log:
                log(f"[{i}/{n_all}] {n} ...")
            t0 = time.perf_counter()
            files, skipped = _draw_or_skip(reg[n], out)
            dt = time.perf_counter() - t0
            done[n] = _entry(files, dt, skipped)
            if log:
                log(_line(i, n_all, n, files, dt, skipped))
    else:
        done.update(_render_parallel(reg, selected, out, jobs, log))
        done = {n: done[n] for n in selected}
    if log:
        log(f"{n_all} figure(s) in {time.perf_counter() - t_all:.1f} s")
    return done


def _render_parallel(reg, selected, out, jobs, log) -> dict:
    """Draw ``selected`` in ``jobs`` forked workers: the longest first (:data:`EXPECTED_SECONDS`),
    and a figure whose kernel family is cold only after one worker has compiled that family
    (:data:`WARM_UPS`; the others draw other figures meanwhile, then load the compiled
    kernels from numba's cache)."""
    import multiprocessing
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    n_all = len(selected)
    order = sorted(selected, key=lambda n: -EXPECTED_SECONDS.get(n, 5.0))
    needed = {GROUP_KERNELS[reg[n].group] for n in selected if reg[n].group in GROUP_KERNELS}
    cold = {f for f in needed if cold_kernels(f)}
    if log:
        log(f"drawing {n_all} figure(s) in {jobs} processes, the longest first"
            + (f"; compiling the {', '.join(sorted(cold))} kernels first, in one of them" if cold else ""))
    waiting = list(order)
    tasks = [("warm", f) for f in sorted(cold)]
    done, count = {}, 0
    ctx = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
        running = {}

        def submit_next():
            if tasks:
                kind, arg = tasks.pop(0)
                running[pool.submit(_warm_up, arg)] = (kind, arg)
                return True
            for n in waiting:
                if GROUP_KERNELS.get(reg[n].group) not in cold:
                    waiting.remove(n)
                    running[pool.submit(_draw_one, n, str(out), bool(log))] = ("draw", n)
                    return True
            return False

        while len(running) < jobs and submit_next():
            pass
        try:
            while running:
                finished, _ = wait(list(running), return_when=FIRST_COMPLETED)
                for fut in finished:
                    kind, arg = running.pop(fut)
                    if fut.exception() is not None:
                        raise fut.exception()
                    if kind == "warm":
                        _, dt = fut.result()
                        cold.discard(arg)
                        if log:
                            log(f"compiled the {arg} kernels ({dt:.1f} s)")
                    else:
                        name, files, dt, skipped = fut.result()
                        count += 1
                        done[name] = _entry(files, dt, skipped)
                        if log:
                            log(_line(count, n_all, name, files, dt, skipped))
                while len(running) < jobs and submit_next():
                    pass
        except BaseException:
            for fut in running:
                fut.cancel()
            raise
    return done
