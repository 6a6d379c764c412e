"""``complexity kacrice {thresholds, theta}``: Kac-Rice complexity of the pure p-spin with the
Hessian spectrum of any ensemble (``--ensemble NAME [params]``, complexity.commands._ensemble).

* ``thresholds --p P --ensemble NAME [params] [--dps D] --json`` -> ``{"E_inf": ..., "E_0": ...}``
  (decimal strings with D significant digits at ``--dps``, numbers otherwise)
* ``theta --p P --ensemble NAME [params] --u U1,U2,... [--k K] --json`` -> ``{"theta": [...]}``
  (Theta_mu, all critical points with H/N <= u; with ``--k`` the index-k layer, exit 2 naming
  the ensemble when it has no known smallest-eigenvalue rate; ``null`` where Theta = -inf)
"""

from __future__ import annotations

import math
import warnings

import mpmath

from complexity.cli import emit
from complexity.commands._ensemble import add_ensemble_flags, measure_from_args, number_list


def register(sub):
    p = sub.add_parser("kacrice", help="Kac-Rice complexity for any Hessian spectrum (pure p-spin, ABC units)")
    ps = p.add_subparsers(dest="kacrice_command", metavar="SUBCOMMAND")
    ps.required = True

    t = ps.add_parser("thresholds", help="E_inf (left edge of mu) and E_0 (minima's threshold)")
    t.add_argument("--p", type=int, required=True, help="interaction order p >= 2")
    add_ensemble_flags(t)
    t.add_argument("--dps", type=int, default=None, help="significant digits (mpmath); omit for floats")
    t.add_argument("--json", action="store_true")
    t.set_defaults(func=_thresholds)

    th = ps.add_parser("theta", help="Theta_mu(u) (or the index-k layer) at energies per spin U1,U2,...")
    th.add_argument("--p", type=int, required=True, help="interaction order p >= 2")
    add_ensemble_flags(th)
    th.add_argument("--u", required=True, help="energies per spin, comma-separated")
    th.add_argument("--k", type=int, default=None, help="index k >= 0 (omit: all critical points)")
    th.add_argument("--json", action="store_true")
    th.set_defaults(func=_theta)


def _thresholds(args):
    from complexity.models import kacrice

    mu = measure_from_args(args)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # extra roots do not move E_0
        th = kacrice.thresholds(args.p, mu, dps=args.dps)
    if args.dps is None:
        out = {"E_inf": float(th.e_inf), "E_0": float(th.e_0)}
    else:
        out = {"E_inf": mpmath.nstr(th.e_inf, args.dps, strip_zeros=False),
               "E_0": mpmath.nstr(th.e_0, args.dps, strip_zeros=False)}
    emit(out, args.json)
    return 0


def _theta(args):
    from complexity.models import kacrice

    us = number_list("--u", args.u)
    mu = measure_from_args(args)
    model = kacrice.KacRice(mu, args.p)
    vals = model.theta(us, args.k)
    emit({"theta": [float(v) if math.isfinite(v) else None for v in vals]}, args.json)
    return 0
