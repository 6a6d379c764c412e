"""``complexity pspin {thresholds, theta, count, enumerate}``: the pure spherical p-spin."""

from __future__ import annotations

import importlib

import mpmath

from complexity.cli import emit


def register(sub):
    p = sub.add_parser("pspin", help="pure spherical p-spin glass (ABC units: energy per spin H/N)")
    ps = p.add_subparsers(dest="pspin_command", metavar="SUBCOMMAND")
    ps.required = True

    t = ps.add_parser("thresholds", help="E_inf and E_0..E_K (decimal strings with D significant digits)")
    t.add_argument("--p", type=int, required=True, help="interaction order p >= 2")
    t.add_argument("--kmax", type=int, required=True, help="largest index K >= 0")
    t.add_argument("--digits", type=int, default=17, help="significant digits in [1, 5000] (default 17)")
    t.add_argument("--allow-large", action="store_true",
                   help="run even if the estimated time exceeds the budget (docs/reliability.md)")
    t.add_argument("--json", action="store_true", help="print one JSON object")
    t.set_defaults(func=_thresholds)

    th = ps.add_parser("theta", help="complexity Theta_p(u) or Theta_{k,p}(u) of critical points with H/N <= u")
    th.add_argument("--p", type=int, required=True, help="interaction order p >= 2")
    th.add_argument("--u", type=float, required=True,
                    help="energy per spin (finite; Theta must be a double: |u| up to about 1e154)")
    th.add_argument("--k", type=int, default=None, help="index k >= 0 (omit: all indices)")
    th.add_argument("--json", action="store_true", help="print one JSON object")
    th.set_defaults(func=_theta)

    try:  # finite-N counting commands live beside the finite-N code
        importlib.import_module("complexity.commands.pspin_finite").register_into(ps)
    except ModuleNotFoundError as exc:  # pragma: no cover - only while that module is absent
        if exc.name != "complexity.commands.pspin_finite":
            raise


def _thresholds(args):
    from complexity._validate import check_int, check_p
    from complexity.domains import check_budget, pspin_thresholds_seconds
    from complexity.models import pspin

    check_p(args.p)
    kmax = check_int("kmax", args.kmax, minimum=0)
    digits = check_int("digits", args.digits, minimum=1, maximum=5000)
    check_budget(f"--kmax {kmax} at --digits {digits}", pspin_thresholds_seconds(kmax, max(digits, 5)),
                 args.allow_large, hint=" (one root per index)")
    einf, es = pspin.thresholds(args.p, args.kmax, dps=max(digits, 5))
    emit(
        {
            "p": args.p,
            "E_inf": mpmath.nstr(einf, digits, strip_zeros=False),
            "E": [mpmath.nstr(e, digits, strip_zeros=False) for e in es],
        },
        args.json,
    )
    return 0


def _theta(args):
    from complexity.models import pspin

    emit({"theta": pspin.theta(args.u, args.p, args.k)}, args.json)
    return 0
