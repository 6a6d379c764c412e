"""The ``complexity`` command line.

Each command group lives in its own module under :mod:`complexity.commands`
and exposes ``register(subparsers)``.  Every command that computes something
accepts ``--json`` and then prints exactly one JSON object on stdout.  Bad
input exits with status 2 and a message on stderr that names the parameter.
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import sys

#: command-group modules, in the order they appear in ``complexity --help``
COMMAND_MODULES = (
    "complexity.commands.pspin",
    "complexity.commands.rmt",
    "complexity.commands.spectrum",
    "complexity.commands.kacrice",
    "complexity.commands.gan",
    "complexity.commands.figures",
    "complexity.commands.verify",
    "complexity.commands.sweep",
    "complexity.commands.nn",
)


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse's own errors: exit 2 with the message
        self.print_usage(sys.stderr)
        print(f"complexity: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="complexity",
        description="Complexity of spin-glass landscapes: Kac-Rice formulas, random matrices, figures.",
    )
    from complexity import __version__

    parser.add_argument("--version", action="version", version=f"complexity {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def emit(result: dict, as_json: bool) -> None:
    """Print a result: one JSON object with ``--json``, else ``key: value`` lines."""
    if as_json:
        print(json.dumps(result, allow_nan=False))
        return
    for key, value in result.items():
        print(f"{key}: {value}")


def _attach_negative_values(argv):
    """``--at -1,0,1`` or ``--u -1e-3``: argparse would read the value as an option; bind it."""
    out = []
    i = 0
    while i < len(argv):
        tok = argv[i]
        if tok.startswith("--") and "=" not in tok and i + 1 < len(argv) and re.match(r"^-[\d.]", argv[i + 1]):
            out.append(f"{tok}={argv[i + 1]}")
            i += 2
            continue
        out.append(tok)
        i += 1
    return out


def main(argv=None) -> int:
    parser = build_parser()
    args = parser.parse_args(_attach_negative_values(sys.argv[1:] if argv is None else list(argv)))
    try:
        out = args.func(args)
    except ValueError as exc:
        print(f"complexity: error: {exc}", file=sys.stderr)
        return 2
    return int(out or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
