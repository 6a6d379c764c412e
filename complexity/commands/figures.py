"""``complexity figures [NAME ...] [--out DIR] [--list]``."""

from __future__ import annotations

import json


def register(sub):
    p = sub.add_parser("figures", help="regenerate the registered figures")
    p.add_argument("names", nargs="*", metavar="NAME", help="figures to draw (default: all)")
    p.add_argument("--out", default="figures", help="output directory (default: figures)")
    p.add_argument("--list", action="store_true", help="list the registered figures and exit")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run)


def run(args):
    from complexity import figures

    reg = figures.registry()
    if args.list:
        if args.json:
            print(json.dumps({"figures": {n: s.description for n, s in reg.items()}}))
        else:
            for n, s in reg.items():
                print(f"{n:32s} {s.description}")
        return 0
    done = figures.render(args.names, args.out, log=None if args.json else print)
    if args.json:
        print(json.dumps({"figures": done}))
    return 0
