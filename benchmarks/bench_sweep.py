"""Benchmark of the sweep engine (issue 5): prints a table (numbers recorded in benchmarks/RESULTS.md).

    python benchmarks/bench_sweep.py

A 60-point p-spin sweep (p in {3, 4, 5} x 20 energies u, thresholds E_0..E_3 and
Theta at u) on each back end, into a fresh file each time:

* serial, in this process (model warm);
* processes on every core (a new spawn pool: start-up included);
* dask on a new LocalCluster (start-up and shut-down included);
* dask on a running LocalCluster joined by address (workers warm): the engine's own cost;
* a rerun where every point is cached.

"overhead/point" = (wall - 60 x median point time / parallelism) / 60: everything that is not
the steady cost of the points (pool or cluster start-up, the model's import in each new
worker, scheduling, transfers, the journal and the file), spread over the 60 points.  A p-spin point costs
about a millisecond, so these numbers are the engine's cost; a GAN point (seconds) will
add its own row here once the model is registered.
"""

import os
import pathlib
import shutil
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _table import print_table  # noqa: E402

GRID = {"p": "[3,4,5]", "k_max": 3, "u": "linspace(-1.75,-1.6,20)"}


def sweep(tmp, name, **kw):
    from complexity.sweep import load_sweep, run_sweep

    out = pathlib.Path(tmp) / f"{name}.csv"
    t0 = time.perf_counter()
    s = run_sweep("pspin", GRID, out, progress=False, **kw)
    wall = time.perf_counter() - t0
    df = load_sweep(out)
    assert s["points"] == 60 and s["failed"] == 0, s
    return wall, float(df.seconds.median()), s


def row(label, wall, median, parallel, note):
    over = (wall - 60 * median / parallel) / 60
    return (label, wall, f"{note}; median point {1e3 * median:.2f} ms; overhead/point {1e3 * over:.1f} ms")


def main():
    from distributed import Client, LocalCluster

    from complexity.sweep import pspin_model

    pspin_model.pspin_point(3, 3, -1.7)  # warm the model in this process (numba cache load)
    ncpu = os.cpu_count() or 1
    tmp = tempfile.mkdtemp(prefix="bench_sweep_")
    rows = []
    try:
        wall, comp, _ = sweep(tmp, "serial", backend="serial")
        rows.append(row("serial (this process)", wall, comp, 1, "60 points"))
        wall, comp, _ = sweep(tmp, "processes", backend="processes")
        rows.append(row(f"processes ({ncpu}), new pool", wall, comp, ncpu, "start-up included"))
        wall, comp, _ = sweep(tmp, "dask_local", local_cluster=ncpu)
        rows.append(row(f"dask LocalCluster ({ncpu}), new", wall, comp, ncpu, "start-up and shut-down included"))
        t0 = time.perf_counter()
        with LocalCluster(n_workers=ncpu, threads_per_worker=1, dashboard_address=None,
                          silence_logs=40) as cluster, Client(cluster) as client:
            t_up = time.perf_counter() - t0
            addr = cluster.scheduler_address
            sweep(tmp, "dask_warmup", scheduler=addr)  # imports the model in the workers
            wall, comp, _ = sweep(tmp, "dask_running", scheduler=addr)
            rows.append(row(f"dask, running cluster ({ncpu}) by address", wall, comp, ncpu,
                            f"workers warm; cluster start-up alone {t_up:.2f} s"))
            client.close()
        wall, _, s = sweep(tmp, "serial", backend="serial")
        rows.append(("rerun, all cached", wall, f"cached {s['cached']}, computed {s['computed']}"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("60-point pspin sweep (p in {3,4,5} x 20 values of u; E_inf, E_0..E_3, Theta at u)")
    print_table(rows)


if __name__ == "__main__":
    main()
