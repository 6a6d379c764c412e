"""Run every case of :mod:`test_reliability_cases` through ``python -m complexity`` in its own
process with a time bound, and print how many end in each class.

    python tests/test_reliability_classify.py [--timeout S] [--jobs J] [--source DIR] [--show CLASS ...]

``--source`` runs the package found in DIR (e.g. an exported older revision).
This is the benchmark-style run; CI runs the same list in-process
(tests/test_reliability_inputs.py).
"""

from __future__ import annotations

import argparse
import collections
import concurrent.futures as cf
import os
import pathlib
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import test_reliability_cases as rc  # noqa: E402

CLASSES = ("refusal", "value", "internal", "traceback", "hang", "wrong")


def substitute(argv, tmp: pathlib.Path, ro: str, file: pathlib.Path):
    return [a.replace("{tmp}", str(tmp)).replace("{ro}", ro).replace("{file}", str(file)) for a in argv]


def run_one(case, source: pathlib.Path, timeout: float, workdir: pathlib.Path, i: int):
    tmp = workdir / f"case{i}"
    tmp.mkdir()
    file = workdir / f"file{i}.txt"
    file.write_text("not a sweep\n")
    argv = substitute(case.argv, tmp, "/sys", file)
    env = dict(os.environ, PYTHONPATH=str(source), PYTHONWARNINGS="default")
    t0 = time.monotonic()
    proc = subprocess.Popen([sys.executable, "-m", "complexity", *argv], cwd=tmp, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        out, err = proc.communicate(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        out, err = proc.communicate()
        timed_out = True
    dt = time.monotonic() - t0
    return rc.classify(case, proc.returncode, out, err, timed_out), dt, err.strip().splitlines()[-1:] if err else []


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--source", default=str(pathlib.Path(__file__).resolve().parents[1]))
    ap.add_argument("--show", nargs="*", default=["traceback", "hang", "wrong", "internal"])
    ap.add_argument("--match", nargs="*", default=None, help="only the cases whose command line contains one of these")
    ap.add_argument("--exclude", nargs="*", default=(), help="leave out the cases whose command line contains one of these")
    args = ap.parse_args()
    source = pathlib.Path(args.source).resolve()
    sys.path.insert(0, str(source))  # the oracles import the package under test
    cases = [c for c in rc.cases() if (args.match is None or any(m in c.label for m in args.match))
             and not any(x in c.label for x in args.exclude)]
    counts = collections.Counter()
    rows = []
    t0 = time.monotonic()
    with tempfile.TemporaryDirectory() as d, cf.ThreadPoolExecutor(args.jobs) as ex:
        futs = {ex.submit(run_one, c, source, args.timeout, pathlib.Path(d), i): c for i, c in enumerate(cases)}
        for f in cf.as_completed(futs):
            cls, dt, last = f.result()
            counts[cls] += 1
            rows.append((cls, dt, futs[f].label, last))
    for cls, dt, label, last in sorted(rows):
        if cls in args.show:
            print(f"{cls:9s} {dt:6.1f}s  {label}  | {last[0][:140] if last else ''}")
    print(f"\n{len(cases)} inputs in {time.monotonic() - t0:.0f} s (timeout {args.timeout:g} s, {args.jobs} jobs)")
    for cls in CLASSES:
        print(f"  {cls:10s} {counts[cls]:4d}")


if __name__ == "__main__":
    main()
