"""The sweep engine: grid -> points -> back end -> journal -> one result file."""

from __future__ import annotations

import contextlib
import datetime
import itertools
import logging
import math
import multiprocessing
import numbers
import os
import pathlib
import pickle
import re
import sys
import time
from collections.abc import Mapping

from complexity.sweep._grid import parse_grid
from complexity.sweep._registry import SweepModel, sweep_model
from complexity.sweep._store import (
    Journal, OutputLock, format_cell, journal_path, point_key, read_journal, read_result, write_result,
)

__all__ = ["run_sweep", "BACKENDS", "MAX_POINTS"]

#: the execution back ends
BACKENDS = ("serial", "processes", "dask")
#: the most points one sweep may hold
MAX_POINTS = 10_000_000
#: retries of a point whose worker died (dask: ``submit(retries=...)``; processes: pool restarts)
RETRIES = 2


# --------------------------------------------------------------------------- one point (in a worker)
def _error_text(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}".strip()
    return " ".join(text.split())  # one line


def _check_result(res, outputs: list[str]) -> dict:
    if not isinstance(res, Mapping):
        raise TypeError(f"the model returned {type(res).__name__}, not a dict of results")
    missing = [o for o in outputs if o not in res]
    extra = [k for k in res if k not in outputs]
    if missing or extra:
        raise KeyError(f"the model's results do not match its outputs (missing {missing}, unexpected {extra})")
    out = {}
    for name in outputs:
        v = res[name]
        if hasattr(v, "item") and getattr(v, "shape", None) == ():
            v = v.item()
        if isinstance(v, bool) or not isinstance(v, numbers.Real):
            raise TypeError(f"output {name!r} is {v!r}, not a real number")
        if isinstance(v, numbers.Integral):
            out[name] = int(v)
            continue
        v = float(v)
        if math.isnan(v):
            raise ValueError(f"output {name!r} is NaN")
        if math.isinf(v):
            raise ValueError(f"output {name!r} is {v!r}, not a finite number")
        out[name] = v
    return out


def _evaluate(fn, params: dict, outputs: list[str]) -> dict:
    """Run one point; an exception becomes the point's error (the sweep goes on).

    Numpy's floating-point warnings are silenced (a NaN or infinite output is an error of the
    point); any other warning is kept in the record's ``warnings`` (one line each).
    """
    import warnings

    t0 = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        warnings.filterwarnings("ignore", message=_NUMPY_FP_WARNINGS, category=RuntimeWarning)
        try:
            result, error = _check_result(fn(**params), outputs), None
        except Exception as exc:  # noqa: BLE001 - every failure of a point is recorded, not raised
            result, error = None, _error_text(exc)
    rec = {"result": result, "error": error, "seconds": time.perf_counter() - t0}
    if caught:
        rec["warnings"] = sorted({" ".join(str(w.message).split()) for w in caught})
    return rec


#: numpy's floating-point warnings (the outputs they could spoil are checked by _check_result)
_NUMPY_FP_WARNINGS = r"(overflow|invalid value|divide by zero|underflow) encountered"


# --------------------------------------------------------------------------- grid -> points
def _points(model: SweepModel, grid: Mapping):
    if not isinstance(grid, Mapping):
        raise ValueError("grid must be a dict {parameter: values}")
    unknown = [k for k in grid if k not in model.parameters]
    if unknown:
        raise ValueError(f"unknown parameter {unknown[0]!r} for model {model.name!r} "
                         f"(parameters: {', '.join(model.parameters)})")
    axes, spec = {}, {}
    for name, par in model.parameters.items():
        if name in grid and grid[name] is not None:
            raw = grid[name]
            values = parse_grid(name, raw)
            spec[name] = raw if isinstance(raw, str) else None
        elif par.required:
            raise ValueError(f"{name}: parameter {name!r} of model {model.name!r} is required")
        else:
            values = [par.default]
        seen, canon = set(), []
        for v in values:
            c = model.canonical(name, v)
            if (type(c), c) not in seen:
                seen.add((type(c), c))
                canon.append(c)
        axes[name] = canon
        if spec.get(name, "") is None:  # given as Python values: record them
            spec[name] = canon if len(canon) > 1 else canon[0]
    n = math.prod(len(v) for v in axes.values())
    if n > MAX_POINTS:
        raise ValueError(f"grid: {n} points, more than {MAX_POINTS}")
    names = list(axes)
    points = [dict(zip(names, combo)) for combo in itertools.product(*axes.values())]
    if model.validate is not None:
        for params in points:
            model.validate(**params)
    return points, axes, spec


# --------------------------------------------------------------------------- back ends
def _serial(fn, todo):
    for key, params, outs in todo:
        yield key, _evaluate(fn, params, outs)


def _one_thread_per_worker():
    """The processes share the cores: each runs numba's parallel kernels on one thread (no
    oversubscription; the environment's NUMBA_NUM_THREADS still wins if set)."""
    import os

    if "NUMBA_NUM_THREADS" not in os.environ:
        os.environ["NUMBA_NUM_THREADS"] = "1"


#: how often (seconds) a worker checks that its parent is alive
PARENT_POLL = 0.25


def _worker_init(parent_pid: int):
    """Initializer of a worker process: one numba thread, Ctrl-C left to the parent (which stops
    the workers itself, so no worker prints a traceback), and death with the parent: the kernel's
    parent-death signal (Linux) plus a thread that exits when the parent pid changes (a parent
    killed with SIGKILL cannot stop its workers)."""
    import signal
    import threading

    _one_thread_per_worker()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG = 1
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass
    if os.getppid() != parent_pid:  # the parent died before the line above
        os._exit(1)

    def watch():
        while True:
            time.sleep(PARENT_POLL)
            if os.getppid() != parent_pid:
                os._exit(1)

    threading.Thread(target=watch, name="complexity-parent-watch", daemon=True).start()


def _stop_workers(pool, grace: float = 2.0):
    """Terminate the pool's worker processes now (Ctrl-C, an error): never wait for a running point."""
    procs = list((getattr(pool, "_processes", None) or {}).values())
    for proc in procs:
        with contextlib.suppress(Exception):
            proc.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + grace
    for proc in procs:
        with contextlib.suppress(Exception):
            proc.join(max(0.0, deadline - time.monotonic()))
            if proc.is_alive():
                proc.kill()
                proc.join(1.0)


def _processes(fn, todo, workers, retries):
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    try:
        pickle.dumps(fn)
    except Exception as exc:
        raise ValueError(f"model: its function cannot be sent to worker processes ({_error_text(exc)}); "
                         "define it at the top level of an importable module, or use the serial back end") from None
    ctx = multiprocessing.get_context("spawn")  # a clean interpreter: current environment, no inherited threads
    pending = {key: (params, outs) for key, params, outs in todo}
    restarts = 0
    while pending:
        pool = ProcessPoolExecutor(max_workers=max(1, min(workers, len(pending))), mp_context=ctx,
                                   initializer=_worker_init, initargs=(os.getpid(),))
        finished = False
        try:
            futs = {pool.submit(_evaluate, fn, params, outs): key for key, (params, outs) in pending.items()}
            for f in as_completed(futs):
                key = futs[f]
                try:
                    rec = f.result()
                except BrokenProcessPool:
                    raise
                except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be sent back
                    rec = {"result": None, "error": _error_text(exc), "seconds": None}
                del pending[key]
                yield key, rec
            finished = True
        except BrokenProcessPool as exc:
            finished = True
            restarts += 1
            if restarts > retries:
                msg = f"worker process died ({_error_text(exc)}); gave up after {retries} restarts of the pool"
                for key in list(pending):
                    del pending[key]
                    yield key, {"result": None, "error": msg, "seconds": None}
        finally:
            if finished:
                pool.shutdown(wait=True, cancel_futures=True)
            else:  # Ctrl-C, the consumer stopped, an error: stop the workers at once
                _stop_workers(pool)


_ADDRESS = re.compile(r"^([a-z][a-z0-9+]*://)?[^\s/:]+:\d+/?$")  # HOST:PORT, the port required


def _probe_tcp(address: str, timeout: float) -> None:
    """Refuse (``ValueError``) a tcp scheduler address that accepts no connection within ``timeout``."""
    import socket

    scheme, _, rest = address.rpartition("://")
    if scheme not in ("", "tcp"):
        return  # tls://, ucx://, ...: left to dask
    host, _, port = rest.rstrip("/").rpartition(":")
    try:
        with socket.create_connection((host, int(port)), timeout=timeout):
            pass
    except (OSError, ValueError) as exc:
        raise ValueError(f"scheduler: cannot reach the dask scheduler at {address!r} within {timeout:g} s "
                         f"({exc.strerror or exc if isinstance(exc, OSError) else exc})") from None


#: seconds allowed to each step of closing a dask back end (the client, then a LocalCluster)
DASK_CLOSE_TIMEOUT = 10.0
#: seconds an interrupted LocalCluster's worker gets to stop before it is killed
DASK_STOP_GRACE = 1.0
#: names the sweep's process (the parent of a LocalCluster's worker processes) to :func:`dask_setup`
_PARENT_ENV = "COMPLEXITY_SWEEP_PARENT"


def dask_setup(worker):
    """Preload of the worker processes of a sweep's ``LocalCluster`` (distributed calls a preload
    module's ``dask_setup`` as each worker starts, before it joins the scheduler): what
    :func:`_worker_init` does for the processes back end -- one numba thread, Ctrl-C left to the
    sweep, death with the sweep's process even when a point holds the GIL (distributed's own
    watch of the parent is a Python thread, which cannot run then)."""
    parent = os.environ.get(_PARENT_ENV, "")
    if parent.isdigit() and int(parent) == os.getppid():  # not below a forkserver, say
        _worker_init(int(parent))


def dask_teardown(worker):
    """Run by distributed as the worker starts closing: its log lines are dropped from then on (a
    heartbeat cut by the closing connections prints a traceback otherwise); results are not logs,
    and the process ends."""
    _set_distributed_logs(disabled=True)


def _distributed_loggers():
    names = list(logging.root.manager.loggerDict)
    return [logging.getLogger(n) for n in names
            if n.split(".", 1)[0] in ("distributed", "tornado")
            and isinstance(logging.root.manager.loggerDict[n], logging.Logger)]


def _set_distributed_logs(disabled: bool) -> dict:
    """Disable (or enable) every logger of distributed and tornado; returns their previous states."""
    before = {}
    for lg in _distributed_loggers():
        before[lg.name] = lg.disabled
        lg.disabled = disabled
    return before


@contextlib.contextmanager
def _quiet_distributed_logs():
    """distributed's log lines dropped for the duration: the shutdown of a dask back end only,
    whose connections closing in turn make it log errors that are not the sweep's."""
    before = _set_distributed_logs(disabled=True)
    try:
        yield
    finally:
        for lg in _distributed_loggers():
            lg.disabled = before.get(lg.name, False)


def _close_quietly(what: str, close) -> None:
    """Close one part of a dask back end; a failure becomes a warning (the results are safe)."""
    import warnings

    try:
        close()
    except Exception as exc:  # noqa: BLE001 - shutdown must end; the results are already journaled
        warnings.warn(f"dask: closing the {what} failed ({_error_text(exc)})", RuntimeWarning, stacklevel=2)


def _stop_dask_workers(cluster, grace: float = DASK_STOP_GRACE) -> None:
    """Stop the LocalCluster's worker processes now (Ctrl-C, an error): each nanny asks its
    worker to close and kills it after ``0.8 * grace`` s -- never wait for a running point."""
    import asyncio

    async def close_all(nannies):
        await asyncio.gather(*(n.close(timeout=grace) for n in nannies), return_exceptions=True)

    cluster.sync(close_all, list(cluster.workers.values()), callback_timeout=3 * grace + 2)


@contextlib.contextmanager
def _dask_client(local_cluster, scheduler, connect_timeout):
    try:
        from distributed import Client, LocalCluster
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise ValueError(f"backend: dask.distributed is not installed ({exc})") from None
    if scheduler is not None:
        if not isinstance(scheduler, str) or not _ADDRESS.match(scheduler):
            raise ValueError(f"scheduler: {scheduler!r} is not an address such as tcp://HOST:PORT")
        _probe_tcp(scheduler, connect_timeout)  # before a Client exists: a failed one lingers at exit
        try:
            client = Client(scheduler, timeout=connect_timeout, set_as_default=False)
        except Exception as exc:  # noqa: BLE001 - any failure to connect means no work starts
            raise ValueError(f"scheduler: cannot reach the dask scheduler at {scheduler!r} within "
                             f"{connect_timeout:g} s ({_error_text(exc)})") from None
        try:
            yield client
        finally:
            with _quiet_distributed_logs():
                _close_quietly("client", lambda: client.close(timeout=DASK_CLOSE_TIMEOUT))
        return
    import dask

    env = {_PARENT_ENV: str(os.getpid())}
    if "NUMBA_NUM_THREADS" not in os.environ:
        env["NUMBA_NUM_THREADS"] = "1"  # as the processes back end: the workers share the cores
    preload = dask.config.get("distributed.worker.preload", None) or []  # the user's, then ours
    preload = ([preload] if isinstance(preload, str) else list(preload)) + [__name__]
    cluster = LocalCluster(n_workers=local_cluster, threads_per_worker=1, processes=True,
                           dashboard_address=None, silence_logs=logging.ERROR, env=env, preload=preload,
                           # no dashboard, and its HTTP server on a free port (8787 taken: a warning)
                           scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"})
    client, finished = None, False
    try:
        client = Client(cluster, set_as_default=False)
        yield client
        finished = True
    finally:
        # the client, then the workers (at once if the sweep did not finish), then the scheduler
        with _quiet_distributed_logs():
            if client is not None:
                _close_quietly("client", lambda: client.close(timeout=DASK_CLOSE_TIMEOUT))
            if not finished:
                _close_quietly("workers", lambda: _stop_dask_workers(cluster))
            _close_quietly("local cluster", lambda: cluster.close(timeout=DASK_CLOSE_TIMEOUT))


def _dask(client, fn, todo, retries):
    from distributed import as_completed

    by_task = {f"complexity-sweep-{key}": key for key, _, _ in todo}
    futs = client.map(_evaluate, [fn] * len(todo), [p for _, p, _ in todo], [o for _, _, o in todo],
                      key=list(by_task), retries=retries, pure=False)
    try:
        for f in as_completed(futs, loop=client.loop):
            key = by_task[f.key]
            try:
                rec = f.result()
            except Exception as exc:  # noqa: BLE001 - KilledWorker after the retries, lost scheduler ...
                rec = {"result": None, "error": f"dask: {_error_text(exc)}", "seconds": None}
            f.release()
            yield key, rec
    finally:
        client.cancel([f for f in futs if not f.done()])


# --------------------------------------------------------------------------- the sweep
def _check_out(out) -> pathlib.Path:
    if not isinstance(out, (str, os.PathLike)) or not str(out):
        raise ValueError(f"out must be a file path, got {out!r}")
    path = pathlib.Path(out).expanduser().absolute()
    if path.is_dir():
        raise ValueError(f"out: {str(out)!r} is a directory; give a file name such as sweep.csv")
    if not path.parent.is_dir():
        raise ValueError(f"out: the directory {str(path.parent)!r} does not exist")
    return path


def _choose_backend(backend, local_cluster, scheduler, workers):
    if local_cluster is not None and scheduler is not None:
        raise ValueError("local_cluster and scheduler exclude each other")
    if local_cluster is not None or scheduler is not None:
        if backend not in ("dask", "processes"):
            raise ValueError(f"backend: {backend!r} cannot use a dask cluster; use backend='dask'")
        backend = "dask"
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {', '.join(BACKENDS)}, got {backend!r}")
    if local_cluster is not None:
        if isinstance(local_cluster, bool) or not isinstance(local_cluster, int) or local_cluster < 1:
            raise ValueError(f"local_cluster must be a number of workers >= 1, got {local_cluster!r}")
    if backend == "dask" and scheduler is None and local_cluster is None:
        local_cluster = os.cpu_count() or 1
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
        raise ValueError(f"workers must be an integer >= 1, got {workers!r}")
    return backend, local_cluster, workers or os.cpu_count() or 1


def run_sweep(model, grid: Mapping, out, *, backend: str = "processes", workers: int | None = None,
              local_cluster: int | None = None, scheduler: str | None = None, progress: bool = True,
              retry_failed: bool = True, retries: int = RETRIES, connect_timeout: float = 10.0) -> dict:
    """Evaluate ``model`` on every point of ``grid`` and write one result file ``out``.

    ``grid`` maps parameter names to grids (``"linspace(a,b,n)"``, ``"logspace(a,b,n)"``,
    ``"[v1,v2]"``, a list, or one value); absent optional parameters take their default.
    Points are the Cartesian product, the first parameter varying slowest.

    Back ends: ``"serial"``; ``"processes"`` (default; ``workers`` processes, default every
    core); ``"dask"`` on a new ``LocalCluster`` of ``local_cluster`` single-threaded workers
    or on the scheduler at ``scheduler`` (``tcp://HOST:PORT``; an unreachable one raises
    ``ValueError`` within ``connect_timeout`` seconds, before anything is written).

    Cache and resume: each point's key hashes the model, its version, the package version
    and the parameters.  Points already in ``out`` or in its journal ``out.partial.jsonl``
    under the same key are reused; failed points are recomputed when ``retry_failed``.

    Returns ``{points, done, cached, computed, failed, file, model, backend, seconds}``:
    ``done`` points have results (``cached`` of them reused), ``failed`` have an error,
    ``computed`` were evaluated by this call.
    """
    from complexity import __version__

    t_start = time.perf_counter()
    m = model if isinstance(model, SweepModel) else sweep_model(model)
    points, axes, spec = _points(m, grid)
    path = _check_out(out)
    backend, local_cluster, workers = _choose_backend(backend, local_cluster, scheduler, workers)
    if isinstance(retries, bool) or not isinstance(retries, int) or retries < 0:
        raise ValueError(f"retries must be an integer >= 0, got {retries!r}")

    keyed, outputs_at, columns_out = [], {}, []
    for params in points:
        key = point_key(m.name, m.version, __version__, params)
        outs = m.outputs(params)
        outputs_at[key] = outs
        for o in outs:
            if o not in columns_out:
                if o in m.parameters or o in ("model", "version", "model_version", "key", "error", "seconds",
                                              "convention"):
                    raise ValueError(f"model {m.name!r}: output {o!r} clashes with a column name")
                columns_out.append(o)
        keyed.append((key, params))

    _check_writable(path)
    with OutputLock(path):
        return _run_locked(m, path, keyed, outputs_at, columns_out, axes, spec, backend, workers, local_cluster,
                           scheduler, progress, retry_failed, retries, connect_timeout, t_start, __version__)


def _check_writable(path: pathlib.Path) -> None:
    """Refuse, before any work, an output whose folder cannot take new files (read-only, full...)."""
    import tempfile

    try:
        with tempfile.NamedTemporaryFile(prefix=f".{path.name}.", suffix=".probe", dir=path.parent):
            pass
    except OSError as exc:
        raise ValueError(f"out: cannot write in {str(path.parent)!r} ({exc.strerror or exc})") from None
    if path.exists() and not os.access(path, os.W_OK):
        raise ValueError(f"out: {str(path)!r} is not writable")


def _run_locked(m, path, keyed, outputs_at, columns_out, axes, spec, backend, workers, local_cluster, scheduler,
                progress, retry_failed, retries, connect_timeout, t_start, __version__):
    # what is there already: the result file, then the journal of an interrupted run
    previous: dict[str, dict] = {}
    if path.exists():
        meta, _, rows = read_result(path)
        if meta.get("model") != m.name:
            raise ValueError(f"out: {str(path)!r} holds a sweep of model {meta.get('model')!r}, not {m.name!r}; "
                             "choose another file or remove it")
        previous = {r.get("key"): r for r in rows}
    jpath = journal_path(path)
    for key, rec in read_journal(jpath).items():
        previous[key] = _row(m, rec, __version__)

    fixed = ["model"] + (["convention"] if m.convention is not None else []) + ["version", "model_version"]
    rows: dict[str, dict] = {}
    todo = []
    for key, params in keyed:
        row = previous.get(key)
        if row is not None and not (retry_failed and row.get("error")):
            rows[key] = row
        else:
            todo.append((key, params, outputs_at[key]))
    cached = len(rows)

    label = {"serial": "serial", "processes": f"processes({workers})",
             "dask": f"dask {scheduler}" if scheduler else f"dask-local({local_cluster})"}[backend]
    journal = Journal(jpath)
    try:
        if todo:
            if backend == "dask":
                ctx = _dask_client(local_cluster, scheduler, connect_timeout)  # raises before any write
            else:
                ctx = contextlib.nullcontext(None)
            with ctx as client:
                if backend == "serial":
                    stream = _serial(m.fn, todo)
                elif backend == "processes":
                    stream = _processes(m.fn, todo, workers, retries)
                else:
                    stream = _dask(client, m.fn, todo, retries)
                params_of = {key: params for key, params, _ in todo}
                bar = _progress(len(todo), m.name, progress)
                try:
                    for key, rec in stream:
                        rec = {"key": key, "model": m.name, "model_version": m.version, "version": __version__,
                               "params": params_of[key], **rec}
                        journal.append(rec)
                        rows[key] = _row(m, rec, __version__)
                        bar.update(1)
                finally:
                    bar.close()
                    stream.close()
    finally:
        journal.close()

    ordered = [rows[key] for key, _ in keyed]
    failed = sum(1 for r in ordered if r.get("error"))
    columns = list(m.parameters) + columns_out + fixed + ["key", "error", "seconds"]
    metadata = _metadata(m, axes, spec, columns_out, len(ordered), failed, __version__)
    write_result(path, metadata, columns, ordered)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(jpath)
    return {
        "points": len(ordered),
        "done": len(ordered) - failed,
        "cached": cached,
        "computed": len(todo),
        "failed": failed,
        "file": str(path),
        "model": m.name,
        "backend": label,
        "seconds": round(time.perf_counter() - t_start, 3),
    }


def _row(m: SweepModel, rec: dict, version: str) -> dict:
    row = {k: format_cell(v) for k, v in rec["params"].items()}
    for k, v in (rec.get("result") or {}).items():
        row[k] = format_cell(v)
    row["model"] = m.name
    if m.convention is not None:
        row["convention"] = m.convention
    row["version"] = rec.get("version", version)
    row["model_version"] = rec.get("model_version", m.version)
    row["key"] = rec["key"]
    row["error"] = rec.get("error") or ""
    row["seconds"] = "" if rec.get("seconds") is None else f"{rec['seconds']:.6g}"
    return row


def _progress(total, name, enabled):
    if not enabled:
        return _NoBar()
    from tqdm import tqdm

    return tqdm(total=total, desc=f"sweep {name}", unit="pt", file=sys.stderr, dynamic_ncols=True)


class _NoBar:
    def update(self, n):
        pass

    def close(self):
        pass


def _metadata(m, axes, spec, outputs, n, failed, version):
    columns = {name: (par.help or "parameter") for name, par in m.parameters.items()}
    for o in outputs:
        columns[o] = m.output_help.get(o, "result")
    columns.update({
        "model": "registered model name",
        **({"convention": "the model's fixed convention"} if m.convention is not None else {}),
        "version": "complexity package version that computed the row",
        "model_version": "version of the model's sweep function",
        "key": "cache key: sha256 of (model, model_version, version, parameters)",
        "error": "empty if the point succeeded, else the error (its results are then empty)",
        "seconds": "compute time of the point",
    })
    return {
        "model": m.name,
        "description": m.description,
        "convention": m.convention,
        "complexity_version": version,
        "model_version": m.version,
        "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "grid_spec": spec,
        "grid": axes,
        "points": n,
        "failed": failed,
        "columns": columns,
        "read_with": "pandas.read_csv(path, comment='#')  or  complexity.sweep.load_sweep(path)",
    }
