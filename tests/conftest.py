"""Test-session settings shared by every test file.

* Dense linear algebra runs on one BLAS thread per test process: the suite runs in two
  processes (pytest-xdist, ``-n auto`` in pyproject.toml) on a two-core machine, and
  oversubscribed BLAS threads make ``eigvalsh`` of a 1000 x 1000 matrix 10-20 times slower.
* Before the workers start, every numba kernel family without a cache yet is compiled once,
  the families split over two processes (:func:`pytest_configure`): otherwise each worker
  compiles every kernel it meets (about a minute for the coupled model's engine) at the same
  time as the other, and the suite pays for the compile twice.
"""

import os
import subprocess
import sys
import time

import pytest
from threadpoolctl import threadpool_limits

_WARM = ("import sys; sys.path.insert(0, sys.argv[1]); from complexity._kernels import warm_up\n"
         "for family in sys.argv[2:]:\n    warm_up(family)")


def pytest_configure(config):
    """Compile the cold kernel families before a parallel run's workers start (a serial run
    compiles each kernel once, on first use, anyway).  The coupled model's engine, the largest,
    in one process, the others in a second; a warm-up that fails only costs its time (the
    tests then compile, and report any error, themselves)."""
    if hasattr(config, "workerinput") or not getattr(config.option, "numprocesses", None):
        return
    import pathlib

    import complexity
    from complexity._kernels import WARM_UPS, cold_kernels

    cold = [family for family in WARM_UPS if cold_kernels(family)]
    if not cold:
        return
    groups = [g for g in (["gan"] if "gan" in cold else [], [f for f in cold if f != "gan"]) if g]
    root = str(pathlib.Path(complexity.__file__).resolve().parent.parent)
    t0 = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-c", _WARM, root, *g], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, env=os.environ.copy()) for g in groups]
    notes = []
    for g, proc in zip(groups, procs):
        try:
            _, err = proc.communicate(timeout=900)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
        if proc.returncode:
            notes.append(f"warm-up of {', '.join(g)} failed ({err.decode(errors='replace').strip()[-300:]})")
    sys.stderr.write(f"compiled the cold numba kernel families {', '.join(cold)} in {time.perf_counter() - t0:.0f} s"
                     + "".join(f"; {n}" for n in notes) + "\n")


@pytest.fixture(autouse=True, scope="session")
def _one_blas_thread():
    with threadpool_limits(limits=1, user_api="blas"):
        yield
