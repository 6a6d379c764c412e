"""The dask LocalCluster back end survives as the processes back end does
(tests/test_reliability_sweep.py): a finished sweep prints nothing on stderr but the program's own
lines (no heartbeat traceback as the workers close, no warning about a busy port), Ctrl-C ends it
promptly with its workers, a SIGKILL of the sweep's process leaves no worker behind.

Each test runs the CLI (``--local-cluster 2``) in a separate process.  The signal tests use
points that hold the GIL for 30 s (:func:`gil_point`), as a numba kernel does: no Python thread
of their worker runs meanwhile, so neither the worker's event loop nor distributed's own watch of
the parent can act.  The points record the pids of their worker processes; the sweep's other
processes (multiprocessing's resource tracker) are read from /proc.
"""

from __future__ import annotations

import ctypes
import os
import pathlib
import signal
import socket
import subprocess
import sys
import textwrap
import time

import pytest

from complexity.sweep._registry import register_sweep_model, real
from _procs import alive as _alive

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent

#: where :func:`gil_point` records the pid of its worker process (one empty file per pid)
MARKS_ENV = "COMPLEXITY_TEST_DASK_MARKS"


def gil_point(t):
    """A point of ``t`` seconds spent in one C call that keeps the GIL (libc ``sleep`` through
    ``ctypes.PyDLL``), after recording its worker's pid."""
    marks = os.environ.get(MARKS_ENV)
    if marks:
        (pathlib.Path(marks) / str(os.getpid())).touch()
    ctypes.PyDLL(None).sleep(ctypes.c_uint(int(t)))
    return {"y": t}


register_sweep_model("gil_held", gil_point, {"t": real("t", lower=0)}, ["y"], replace=True)

_SCRIPT = textwrap.dedent("""
    import sys
    sys.path[:0] = [{root!r}, {here!r}]
    import test_reliability_dask
    from complexity.cli import main
    sys.exit(main(sys.argv[1:]))
""")

#: scheduler preload: each heartbeat is answered 2 s late, so a worker has one in flight when it
#: closes its connections at the end of the sweep (the race behind the shutdown traceback)
LATE_HEARTBEAT_REPLIES = textwrap.dedent("""
    import asyncio

    def dask_setup(scheduler):
        reply = scheduler.handlers["heartbeat_worker"]

        async def late(*args, **kwargs):
            await asyncio.sleep(2)
            return reply(*args, **kwargs)

        scheduler.handlers["heartbeat_worker"] = late
""")
#: worker preload: as the worker begins to close, a heartbeat is sent (its reply comes too late)
HEARTBEAT_AT_CLOSE = textwrap.dedent("""
    import asyncio

    async def dask_teardown(worker):
        asyncio.ensure_future(worker.heartbeat())
        await asyncio.sleep(0.5)
""")


def _start(tmp_path, *argv, env=None):
    marks = tmp_path / "marks"
    marks.mkdir(exist_ok=True)
    script = _SCRIPT.format(root=str(ROOT), here=str(HERE))
    full_env = {**os.environ, MARKS_ENV: str(marks), **(env or {})}
    return subprocess.Popen([sys.executable, "-c", script, *argv], cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True, env=full_env)


def _parent_of(pid) -> int | None:
    try:
        return int(pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def _descendants(pid) -> set[int]:
    parent = {int(d.name): _parent_of(d.name) for d in pathlib.Path("/proc").iterdir() if d.name.isdigit()}
    out, todo = set(), [pid]
    while todo:
        p = todo.pop()
        kids = {k for k, v in parent.items() if v == p and k not in out}
        out |= kids
        todo.extend(kids)
    return out


def _running_points(proc, tmp_path, n, timeout=120.0) -> set[int]:
    """The pids of the sweep's worker processes once ``n`` of them run a point, with every other
    process below the sweep's."""
    marks = tmp_path / "marks"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        workers = {int(m.name) for m in marks.iterdir()}
        if len(workers) >= n:
            return workers | _descendants(proc.pid)
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    proc.kill()
    pytest.fail(f"the sweep's points did not start: {proc.communicate()}")


def _left_alive(pids, within: float) -> list[int]:
    """The pids still alive after ``within`` seconds (killed, so that none outlives a failure)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.1)
    left = sorted(p for p in pids if _alive(p))
    for p in left:
        os.kill(p, signal.SIGKILL)
    return left


def _foreign_lines(err: str) -> list[str]:
    """stderr lines that are not the program's own (``complexity: ...``)."""
    return [line for line in err.splitlines() if line.strip() and not line.startswith("complexity: ")]


needs_proc = pytest.mark.skipif(not pathlib.Path("/proc/self/stat").exists(), reason="needs Linux /proc")


@needs_proc
@pytest.mark.slow
def test_finished_sweep_prints_only_its_own_lines_and_every_row(tmp_path):
    import pandas as pd

    from complexity.models import pspin

    us = [-1.7, -1.65, -1.6]
    env = {"DASK_DISTRIBUTED__SCHEDULER__PRELOAD": LATE_HEARTBEAT_REPLIES,
           "DASK_DISTRIBUTED__WORKER__PRELOAD": HEARTBEAT_AT_CLOSE}
    with socket.socket() as busy:  # distributed's default HTTP port taken, as by another sweep's cluster
        busy.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            busy.bind(("127.0.0.1", 8787))
            busy.listen()
        except OSError:
            pass  # taken already
        proc = _start(tmp_path, "sweep", "pspin", "--p", "3", "--u", "[-1.7,-1.65,-1.6]", "--local-cluster", "2",
                      "--out", "clean.csv", "--quiet", env=env)
        out, err = proc.communicate(timeout=180)
    assert proc.returncode == 0, err
    assert not _foreign_lines(err), err
    for word in ("Traceback", "heartbeat", "Exception", "Error", "warning"):  # e.g. "Port 8787 is already in use"
        assert word not in err, err
    df = pd.read_csv(tmp_path / "clean.csv", comment="#", keep_default_na=False)
    assert list(df.u) == us and (df.error == "").all()
    for u, theta in zip(df.u, df.theta):
        assert theta == pspin.theta(u, 3)  # the model itself, in this process
    assert "backend: dask-local(2)" in out


@needs_proc
@pytest.mark.slow
@pytest.mark.parametrize("to_group", [False, True], ids=["sigint-to-the-sweep", "ctrl-c-to-its-group"])
def test_ctrl_c_ends_promptly_with_every_worker_and_no_traceback(tmp_path, to_group):
    proc = _start(tmp_path, "sweep", "gil_held", "--t", "[30,31,32,33]", "--local-cluster", "2",
                  "--out", "i.csv", "--quiet")
    pids = _running_points(proc, tmp_path, 2)
    if to_group:  # a terminal's Ctrl-C reaches every process of the foreground group
        os.killpg(proc.pid, signal.SIGINT)
    else:
        proc.send_signal(signal.SIGINT)
    try:
        out, err = proc.communicate(timeout=20)  # the points would hold their workers 30 s
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        pytest.fail(f"Ctrl-C did not end the sweep before its points would have: {err}")
    finally:
        left = _left_alive(pids, within=5.0)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err and not _foreign_lines(err), err
    assert not left, f"processes {left} outlived the interrupted sweep"


@needs_proc
@pytest.mark.slow
def test_sigkill_of_the_sweep_leaves_no_worker(tmp_path):
    proc = _start(tmp_path, "sweep", "gil_held", "--t", "[30,31,32]", "--local-cluster", "2",
                  "--out", "k.csv", "--quiet")
    pids = _running_points(proc, tmp_path, 2)
    proc.kill()
    proc.wait(timeout=10)  # not communicate(): a surviving worker holds the pipes open
    left = _left_alive(pids, within=10.0)
    proc.stdout.close()
    proc.stderr.close()
    assert not left, f"processes {left} survived a SIGKILL of the sweep"
