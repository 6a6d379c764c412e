"""The ``complexity`` command line.

Each command group lives in its own module under :mod:`complexity.commands`
and exposes ``register(subparsers)``.  Every command that computes something
accepts ``--json`` and then prints exactly one JSON object on stdout.

One error path (:func:`main`) for every command:

* bad input (``ValueError``, argparse's own errors): exit status 2 and one line
  ``complexity: error: ...`` on stderr naming the parameter;
* any other failure: exit status 1 and one line ``complexity: internal error: ...``
  (the traceback only with the global ``--debug`` flag);
* with ``--json`` the error is also printed on stdout as one JSON object
  ``{"error": MESSAGE, "kind": "input" | "internal"}``;
* a result holding a NaN or an infinity is never printed: :func:`emit` refuses it
  (exit status 1, naming the field);
* Ctrl-C: exit status 130 with one line;
* warnings are printed as one line ``complexity: warning: ...``; numpy's floating-point
  warnings (overflow, invalid value, division by zero) are not shown, because every
  result is checked for NaN and infinity before it is printed.
"""

from __future__ import annotations

import argparse
import importlib
import json
import math
import re
import sys
import traceback
import warnings

from complexity._kernels import cold_kernels as _cold_kernels  # a module global: tests monkeypatch it

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


#: exit statuses of :func:`main`
EXIT_OK, EXIT_INTERNAL, EXIT_INPUT, EXIT_INTERRUPTED = 0, 1, 2, 130


class NonFiniteResult(RuntimeError):
    """A computed result holds a NaN or an infinity (never printed as a value)."""


class _Parser(argparse.ArgumentParser):
    json_errors = False  # set by main() when --json is on the command line

    def error(self, message):  # argparse's own errors: exit 2 with the message
        self.print_usage(sys.stderr)
        _report(message, "input", _Parser.json_errors)
        raise SystemExit(EXIT_INPUT)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="complexity",
        description="Complexity of spin-glass landscapes: Kac-Rice formulas, random matrices, figures.",
    )
    from complexity import __version__

    parser.add_argument("--version", action="version", version=f"complexity {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="on an internal error, print the full traceback (give it before COMMAND)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def _nonfinite_field(obj, path=""):
    """The first field of ``obj`` (nested dicts and lists) holding a NaN or an infinity, else None."""
    if isinstance(obj, bool):
        return None
    if isinstance(obj, (float, int)) or type(obj).__name__ in ("mpf", "float64", "float32"):
        try:
            return None if math.isfinite(float(obj)) else (path or "result")
        except (OverflowError, ValueError):
            return path or "result"
    if isinstance(obj, dict):
        for k, v in obj.items():
            bad = _nonfinite_field(v, f"{path}.{k}" if path else str(k))
            if bad:
                return bad
    elif isinstance(obj, (list, tuple)):
        for i, v in enumerate(obj):
            bad = _nonfinite_field(v, f"{path}[{i}]")
            if bad:
                return bad
    return None


def check_finite(result: dict) -> dict:
    """``result`` unchanged, or :class:`NonFiniteResult` naming the first NaN/infinite field."""
    bad = _nonfinite_field(result)
    if bad is not None:
        raise NonFiniteResult(f"the computed {bad} is not a finite number; refusing to print it "
                              "(the input lies outside the range where it is computed reliably)")
    return result


def emit(result: dict, as_json: bool) -> None:
    """Print a result: one JSON object with ``--json``, else ``key: value`` lines.

    A NaN or an infinity anywhere in ``result`` raises :class:`NonFiniteResult`
    before anything is printed.
    """
    check_finite(result)
    if as_json:
        print(json.dumps(result, allow_nan=False))
        return
    for key, value in result.items():
        print(f"{key}: {value}")


_NEGATIVE = re.compile(r"^-(\d|\.\d|inf\b|infinity\b|nan\b)", re.IGNORECASE)


def _attach_negative_values(argv):
    """``--at -1,0,1`` or ``--u -1e-3``: argparse would read the value as an option; bind it."""
    out = []
    i = 0
    while i < len(argv):
        tok = argv[i]
        if tok.startswith("--") and "=" not in tok and i + 1 < len(argv) and _NEGATIVE.match(argv[i + 1]):
            out.append(f"{tok}={argv[i + 1]}")
            i += 2
            continue
        out.append(tok)
        i += 1
    return out


def _one_line(text) -> str:
    return " ".join(str(text).split()) or "(no message)"


def _report(message, kind: str, as_json: bool) -> None:
    """The error on stderr (one line) and, with ``--json``, as a JSON object on stdout."""
    message = _one_line(message)
    prefix = "complexity: error: " if kind == "input" else "complexity: internal error: "
    if as_json:
        print(json.dumps({"error": message, "kind": kind}))
    print(prefix + message, file=sys.stderr)


def _show_warning(message, category, filename, lineno, file=None, line=None):
    print(f"complexity: warning: {_one_line(message)}", file=sys.stderr if file is None else file)


#: numpy's floating-point warnings: the results they could spoil are checked by :func:`emit`
_NUMPY_FP_WARNINGS = r"(overflow|invalid value|divide by zero|underflow) encountered"


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in argv
    _Parser.json_errors = as_json
    debug = False
    with warnings.catch_warnings():
        warnings.showwarning = _show_warning
        warnings.filterwarnings("ignore", message=_NUMPY_FP_WARNINGS, category=RuntimeWarning)
        try:
            parser = build_parser()
            args = parser.parse_args(_attach_negative_values(argv))
            debug = bool(getattr(args, "debug", False))
            from complexity.domains import check_command

            check_command(args)
            cold = _cold_kernels(getattr(args, "command", None))
            if cold:
                print(f"complexity: note: compiling the numerical kernels of {', '.join(cold)} on first use "
                      "(cached afterwards; this can take a minute)", file=sys.stderr)
            out = args.func(args)
        except SystemExit:
            raise
        except KeyboardInterrupt:
            _report("interrupted", "internal", False)
            return EXIT_INTERRUPTED
        except ValueError as exc:
            if debug:
                traceback.print_exc()
            _report(exc, "input", as_json)
            return EXIT_INPUT
        except MemoryError:
            if debug:
                traceback.print_exc()
            _report("out of memory (MemoryError); choose a smaller size", "internal", as_json)
            return EXIT_INTERNAL
        except Exception as exc:  # noqa: BLE001 - the one error path: one line, traceback with --debug
            if debug:
                traceback.print_exc()
            hint = "" if debug else " (rerun with 'complexity --debug ...' for the traceback)"
            _report(f"{type(exc).__name__}: {exc}{hint}", "internal", as_json)
            return EXIT_INTERNAL
        finally:
            _Parser.json_errors = False
    return int(out or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
