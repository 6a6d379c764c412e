"""``complexity sweep MODEL --PARAM GRID ... --out FILE``: a registered model over a parameter grid.

One subcommand per registered model (``complexity.sweep.sweep_models()``), with one flag per
model parameter (``sigma_z`` -> ``--sigma-z``).  Grids: ``"linspace(a,b,n)"``,
``"logspace(a,b,n)"`` (base-10 exponents), ``"[v1,v2,...]"``, ``"v1,v2"`` or one value.
Back ends: local processes on every core (default), ``--serial``, ``--local-cluster N``
(a new dask LocalCluster) or ``--scheduler ADDRESS`` (an existing dask scheduler).
docs/sweeps.md.
"""

from __future__ import annotations

import json
import sys


def register(sub):
    from complexity.sweep import sweep_models

    s = sub.add_parser("sweep", help="sweep a model over a parameter grid into one CSV file (docs/sweeps.md)",
                       description=__doc__.split("\n\n", 1)[1])
    ms = s.add_subparsers(dest="sweep_model", metavar="MODEL")
    ms.required = True
    for name, model in sweep_models().items():
        mp = ms.add_parser(name, help=model.description or f"sweep of {name}")
        for pname, par in model.parameters.items():
            default = "required" if par.required else f"default {par.default}"
            mp.add_argument(f"--{pname.replace('_', '-')}", dest=f"param_{pname}", metavar="GRID",
                            required=par.required, default=None,
                            help=f"{par.help or pname} ({default})")
        mp.add_argument("--out", required=True, metavar="FILE", help="result file (CSV with a # metadata header)")
        be = mp.add_mutually_exclusive_group()
        be.add_argument("--serial", action="store_true", help="one point after another in this process")
        be.add_argument("--workers", type=int, default=None, metavar="N",
                        help="local worker processes (default: every core)")
        be.add_argument("--local-cluster", type=int, default=None, metavar="N",
                        help="start a dask LocalCluster of N single-threaded workers")
        be.add_argument("--scheduler", default=None, metavar="ADDRESS",
                        help="join the dask scheduler at ADDRESS (tcp://HOST:PORT)")
        mp.add_argument("--connect-timeout", type=float, default=10.0, metavar="SECONDS",
                        help="give up on an unreachable --scheduler after this long (default 10)")
        mp.add_argument("--keep-failed", action="store_true",
                        help="do not recompute points that failed in an earlier run")
        mp.add_argument("--quiet", action="store_true", help="no progress bar")
        mp.add_argument("--json", action="store_true", help="print one JSON summary object (no progress bar)")
        mp.set_defaults(func=run, sweep_model=name, _param_names=list(model.parameters))


def run(args):
    from complexity.cli import emit
    from complexity.sweep import journal_path, run_sweep

    grid = {p: getattr(args, f"param_{p}") for p in args._param_names if getattr(args, f"param_{p}") is not None}
    if args.workers is not None and args.workers < 1:
        raise ValueError(f"--workers must be >= 1, got {args.workers}")
    if args.local_cluster is not None and args.local_cluster < 1:
        raise ValueError(f"--local-cluster must be >= 1, got {args.local_cluster}")
    if not (args.connect_timeout > 0 and args.connect_timeout <= 86400):
        raise ValueError(f"--connect-timeout must be a number of seconds in (0, 86400], got {args.connect_timeout!r}")
    backend = "serial" if args.serial else "dask" if (args.local_cluster or args.scheduler) else "processes"
    try:
        summary = run_sweep(
            args.sweep_model, grid, args.out, backend=backend, workers=args.workers,
            local_cluster=args.local_cluster, scheduler=args.scheduler,
            progress=not (args.json or args.quiet), retry_failed=not args.keep_failed,
            connect_timeout=args.connect_timeout,
        )
    except KeyboardInterrupt:
        journal = journal_path_of(args.out, journal_path)
        if journal.exists():
            print(f"complexity: interrupted; finished points are kept in {journal}; "
                  "rerun the same command to resume", file=sys.stderr)
        else:
            print("complexity: interrupted before any point finished; nothing was written", file=sys.stderr)
        return 130
    if args.json:
        print(json.dumps(summary, allow_nan=False))
    else:
        emit(summary, False)
    return 0


def journal_path_of(out, journal_path):
    import pathlib

    return journal_path(pathlib.Path(out).expanduser().absolute())
