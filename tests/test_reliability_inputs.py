"""Every bad or extreme input of tests/test_reliability_cases.py, in-process through
:func:`complexity.cli.main`, each with a time bound: a clean refusal (exit 2, one line) or a
correct finite value, never a traceback, a hang or a wrong value.

Inputs that once ran for minutes (``heavy``) must be refused within a second, before any work.
The same list runs in separate processes, with the before/after table, in
tests/test_reliability_classify.py.
"""

from __future__ import annotations

import contextlib
import io
import os
import pathlib
import signal
import sys
import time

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import test_reliability_cases as rc  # noqa: E402

from complexity.cli import main  # noqa: E402

#: per-call bounds (seconds) on a shared machine: a refusal, a heavy input, a computed value
REFUSAL_BOUND, HEAVY_BOUND, VALUE_BOUND = 10.0, 5.0, 60.0


class CallTimeout(BaseException):
    """Raised by the alarm; a BaseException so that the CLI's error path does not swallow it."""


def _alarm(signum, frame):
    raise CallTimeout()


def run_bounded(argv, bound):
    """(exit status, stdout, stderr, timed_out, seconds) of ``main(argv)`` under a SIGALRM bound."""
    out, err = io.StringIO(), io.StringIO()
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, bound)
    t0 = time.perf_counter()
    timed_out = False
    code = None
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(argv))
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 2
    except CallTimeout:
        timed_out = True
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    return code, out.getvalue(), err.getvalue(), timed_out, time.perf_counter() - t0


@pytest.fixture
def places(tmp_path):
    file = tmp_path / "file.txt"
    file.write_text("not a sweep\n")
    work = tmp_path / "w"
    work.mkdir()
    ro = "/sys"  # a folder that refuses new entries even to root
    if os.access("/sys", os.W_OK):
        try:
            (pathlib.Path(ro) / ".complexity-probe").mkdir()
        except OSError:
            pass
        else:  # pragma: no cover - a writable /sys: nothing refuses writes here
            (pathlib.Path(ro) / ".complexity-probe").rmdir()
            ro = None
    return work, ro, file


#: the CI run skips costly variants of cases it covers (``ci=False``); the classification run has them all
CASES = [c for c in rc.cases() if c.ci]


@pytest.mark.parametrize("case", CASES, ids=[c.label[:80] for c in CASES])
def test_input(case, places, monkeypatch):
    work, ro, file = places
    if ro is None and any("{ro}" in a for a in case.argv):
        pytest.skip("no read-only folder on this machine")
    argv = [a.replace("{tmp}", str(work)).replace("{ro}", ro or "").replace("{file}", str(file)) for a in case.argv]
    monkeypatch.chdir(work)
    bound = HEAVY_BOUND if case.heavy else VALUE_BOUND if case.expect != "refuse" else REFUSAL_BOUND
    code, out, err, timed_out, dt = run_bounded(argv, bound)
    cls = rc.classify(case, code, out, err, timed_out)
    if case.expect == "value":
        assert cls == "value", f"{cls}: exit {code}, {dt:.1f} s\nstdout: {out[-500:]}\nstderr: {err[-800:]}"
    else:
        assert cls in ("refusal", "value") if case.expect == "either" else cls == "refusal", \
            f"{cls}: exit {code}, {dt:.1f} s\nstdout: {out[-500:]}\nstderr: {err[-800:]}"
    if case.heavy:
        assert cls == "refusal", f"a heavy input must be refused up front, got {cls} after {dt:.1f} s"
