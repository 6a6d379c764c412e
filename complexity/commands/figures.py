"""``complexity figures [NAME ...] [--out DIR] [--list]``."""

from __future__ import annotations

import json
import os
import pathlib
import tempfile


def register(sub):
    p = sub.add_parser("figures", help="regenerate the registered figures")
    p.add_argument("names", nargs="*", metavar="NAME", help="figures to draw (default: all)")
    p.add_argument("--out", default="figures", help="output directory (default: figures)")
    p.add_argument("--list", action="store_true", help="list the registered figures and exit (no NAME)")
    p.add_argument("--jobs", type=int, default=None,
                   help="figures drawn at once in worker processes (default: one per core; 1: serial)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def check_out_dir(out) -> pathlib.Path:
    """The output folder: an existing writable folder, or one that can be created (not a file)."""
    path = pathlib.Path(out).expanduser()
    if path.exists() and not path.is_dir():
        raise ValueError(f"--out: {str(out)!r} exists and is not a folder")
    probe_dir = path
    while not probe_dir.exists():  # the nearest existing ancestor must take new entries
        probe_dir = probe_dir.parent
    if not probe_dir.is_dir():
        raise ValueError(f"--out: {str(probe_dir)!r} is not a folder, so {str(out)!r} cannot be created")
    try:
        with tempfile.TemporaryDirectory(prefix=".complexity-probe-", dir=probe_dir):
            pass
    except OSError as exc:
        raise ValueError(f"--out: cannot write in {str(probe_dir)!r} ({exc.strerror or exc})") from None
    return path


def run(args):
    from complexity import figures

    reg = figures.registry()
    if args.list:
        if args.names:
            raise ValueError(f"--list takes no figure names (got {', '.join(args.names)}); "
                             "use 'complexity figures --list' or 'complexity figures NAME ...'")
        if args.json:
            print(json.dumps({"figures": {n: s.description for n, s in reg.items()}}))
        else:
            for n, s in reg.items():
                print(f"{n:32s} {s.description}")
        return 0
    unknown = [n for n in args.names if n not in reg]
    if unknown:  # render() refuses them too; refuse before the output folder is checked
        figures.render(args.names, os.devnull, log=None)
    check_out_dir(args.out)
    if args.jobs is not None and args.jobs < 1:
        raise ValueError(f"--jobs must be an integer >= 1, got {args.jobs}")
    def log(line):
        print(line, flush=True)

    done = figures.render(args.names, args.out, log=None if args.json else log, jobs=args.jobs)
    if args.json:
        print(json.dumps({"figures": done}))
    return 0
