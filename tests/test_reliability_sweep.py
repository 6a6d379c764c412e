"""Sweeps survive anything: Ctrl-C ends promptly (workers too, no worker tracebacks), a
SIGKILL of the parent leaves no worker behind, a second sweep on the same output is refused
(a lock the kernel releases if its holder dies), result files honour the umask, a failed point
always carries its error, conflicting parameters are refused before anything runs.

The signal tests run a sweep of a model whose points sleep (:func:`sleepy_point`) in a
separate process, each bounded in time.
"""

from __future__ import annotations

import math
import os
import pathlib
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from complexity.sweep import run_sweep
from complexity.sweep._registry import register_sweep_model, real
from _stderr import without_compile_notes
from _procs import alive as _alive

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent


def sleepy_point(t):
    """A point that takes ``t`` seconds (a stand-in for a long computation)."""
    time.sleep(t)
    return {"y": t}


def bad_point(x):
    """Points that fail in each way a model can: NaN, infinity, an exception."""
    if x == 0:
        return {"y": math.nan}
    if x == 1:
        return {"y": math.inf}
    if x == 2:
        raise ArithmeticError("no value here")
    return {"y": x}


def _register():
    register_sweep_model("sleepy", sleepy_point, {"t": real("t", lower=0)}, ["y"], replace=True)
    register_sweep_model("badly", bad_point, {"x": real("x")}, ["y"], replace=True)


_register()

_SCRIPT = textwrap.dedent("""
    import sys
    sys.path[:0] = [{root!r}, {here!r}]
    import test_reliability_sweep
    from complexity.cli import main
    sys.exit(main(sys.argv[1:]))
""")


def _start(tmp_path, *argv):
    script = _SCRIPT.format(root=str(ROOT), here=str(HERE))
    return subprocess.Popen([sys.executable, "-c", script, *argv], cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)


def _children(pid) -> set[int]:
    out = set()
    for d in pathlib.Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                fields = (d / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.add(int(d.name))
    return out


def _wait_for_workers(proc, n, timeout=60.0) -> set[int]:
    """Worker pids once ``n`` worker processes run (spawn start-up takes a few seconds)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        kids = {k for k in _children(proc.pid) if "multiprocessing" in _cmdline(k) and "spawn_main" in _cmdline(k)}
        if len(kids) >= n:
            time.sleep(1.0)  # let them enter their points
            return kids
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    proc.kill()
    pytest.fail(f"the sweep's workers did not start: {proc.communicate()}")


def _cmdline(pid) -> str:
    try:
        return pathlib.Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


needs_proc = pytest.mark.skipif(not pathlib.Path("/proc/self/stat").exists(), reason="needs Linux /proc")


@needs_proc
@pytest.mark.slow
def test_ctrl_c_ends_promptly_with_workers_and_no_traceback(tmp_path):
    proc = _start(tmp_path, "sweep", "sleepy", "--t", "[30,30.1,30.2,30.3]", "--workers", "2", "--out", "s.csv", "--quiet")
    workers = _wait_for_workers(proc, 2)
    t0 = time.monotonic()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=15)
    assert time.monotonic() - t0 < 10, "Ctrl-C must end the sweep within seconds"
    assert proc.returncode == 130
    assert "Traceback" not in err and "interrupted" in err
    time.sleep(0.5)
    assert not [w for w in workers if _alive(w)], "workers outlived the interrupted sweep"


@needs_proc
@pytest.mark.slow
def test_sigkill_of_the_parent_leaves_no_orphan(tmp_path):
    proc = _start(tmp_path, "sweep", "sleepy", "--t", "[30,30.1,30.2]", "--workers", "2", "--out", "k.csv", "--quiet")
    workers = _wait_for_workers(proc, 2)
    proc.kill()
    proc.communicate(timeout=10)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.1)
    left = [w for w in workers if _alive(w)]
    for w in left:  # do not leave them behind even when the test fails
        os.kill(w, signal.SIGKILL)
    assert not left, f"workers {left} survived a SIGKILL of their parent"


@needs_proc
def test_second_sweep_on_the_same_output_is_refused_and_a_dead_holder_frees_it(tmp_path):
    out = tmp_path / "same.csv"
    first = _start(tmp_path, "sweep", "sleepy", "--t", "[30]", "--serial", "--out", str(out), "--quiet")
    deadline = time.monotonic() + 60
    while not (tmp_path / "same.csv.lock").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    try:
        with pytest.raises(ValueError, match="another sweep .* is writing"):
            run_sweep("sleepy", {"t": [0.0]}, out, backend="serial", progress=False)
    finally:
        first.kill()
        first.communicate(timeout=10)
    s = run_sweep("sleepy", {"t": [0.0]}, out, backend="serial", progress=False)  # the kernel freed the lock
    assert s["done"] == 1 and not (tmp_path / "same.csv.lock").exists()


def test_second_sweep_refusal_through_the_cli_is_exit_2(tmp_path, capsys):
    from complexity.cli import main
    from complexity.sweep._store import OutputLock

    out = tmp_path / "held.csv"
    with OutputLock(out):
        code = main(["sweep", "sleepy", "--t", "0", "--serial", "--quiet", "--out", str(out)])
    err = without_compile_notes(capsys.readouterr().err)
    assert code == 2 and err.count("\n") == 1 and "another sweep" in err and "--out" in err


@pytest.mark.parametrize("mask", [0o022, 0o077, 0o002])
def test_result_and_journal_honour_the_umask(tmp_path, mask):
    old = os.umask(mask)
    try:
        out = tmp_path / f"m{mask:o}.csv"
        run_sweep("sleepy", {"t": [0.0, 0.001]}, out, backend="serial", progress=False)
        assert out.stat().st_mode & 0o777 == 0o666 & ~mask
    finally:
        os.umask(old)


def test_a_failed_point_always_carries_its_error(tmp_path):
    import pandas as pd

    out = tmp_path / "bad.csv"
    s = run_sweep("badly", {"x": [0, 1, 2, 3]}, out, backend="serial", progress=False)
    assert s["failed"] == 3 and s["done"] == 1
    df = pd.read_csv(out, comment="#", keep_default_na=False)
    errors = dict(zip(df["x"], df["error"]))
    assert "NaN" in errors[0] or "nan" in errors[0]
    assert "inf" in errors[1]
    assert "no value here" in errors[2]
    assert errors[3] == ""
    assert df.loc[df["x"] != 3, "y"].eq("").all()  # no value beside an error


def test_gan_sweep_refuses_one_cut_without_the_other_and_a_stray_box(tmp_path):
    for grid, what in (({"u_d": -1.0}, "u_g"), ({"u_g": -1.0}, "u_d"), ({"box": "theta"}, "published")):
        with pytest.raises(ValueError, match=what):
            run_sweep("gan", {"p": 3, "q": 3, "sigma_z": 1.0, "kappa": 0.9, **grid}, tmp_path / "g.csv",
                      backend="serial", progress=False)
    assert not list(tmp_path.iterdir())  # refused before anything was written


def test_connect_timeout_is_checked(tmp_path, capsys):
    from complexity.cli import main

    code = main(["sweep", "pspin", "--p", "3", "--scheduler", "tcp://127.0.0.1:1", "--connect-timeout", "-1",
                 "--out", str(tmp_path / "c.csv"), "--quiet"])
    assert code == 2 and "--connect-timeout" in capsys.readouterr().err


def test_unwritable_output_folder_is_refused_before_work(tmp_path, monkeypatch):
    import tempfile

    def refuse(*a, **k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", refuse)
    with pytest.raises(ValueError, match="cannot write"):
        run_sweep("sleepy", {"t": [0.0]}, tmp_path / "x.csv", backend="serial", progress=False)
