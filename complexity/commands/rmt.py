"""``complexity rmt {density, log-potential, support}``: the coupled model's block Hessian
ensemble b M + b1 (M1 + 0) - x1 (I_D + 0) (docs/rmt.md)."""

from __future__ import annotations

from complexity.cli import emit


def _common(p):
    p.add_argument("--kappa", type=float, required=True, help="N_D / N, in (0, 1)")
    p.add_argument("--b", type=float, required=True, help="coefficient of GOE_N, > 0")
    p.add_argument("--b1", type=float, required=True, help="coefficient of GOE_{kappa N}, >= 0")
    p.add_argument("--x1", type=float, required=True, help="shift of the D block")
    p.add_argument("--json", action="store_true")


def _points(text: str):
    try:
        return [float(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise ValueError(f"--at must be comma-separated numbers, got {text!r}") from None


def register(sub):
    r = sub.add_parser("rmt", help="block random matrices of the coupled model")
    rs = r.add_subparsers(dest="rmt_command", metavar="SUBCOMMAND")
    rs.required = True
    d = rs.add_parser("density", help="limiting spectral density at the given points")
    _common(d)
    d.add_argument("--at", required=True, help="comma-separated points")
    d.set_defaults(func=_density)
    lp = rs.add_parser("log-potential", help="Phi(x) = int log|x - l| dmu(l) at the given points")
    _common(lp)
    lp.add_argument("--at", required=True, help="comma-separated points")
    lp.set_defaults(func=_log_potential)
    s = rs.add_parser("support", help="support intervals (edges to 1e-10) and atoms")
    _common(s)
    s.set_defaults(func=_support)


def _ensemble(args):
    from complexity.rmt.block import gan_ensemble

    return gan_ensemble(args.kappa, args.b, args.b1, args.x1)


def _density(args):
    from complexity.rmt.block import density

    emit({"density": density(_ensemble(args), _points(args.at)).tolist()}, args.json)
    return 0


def _log_potential(args):
    from complexity.rmt.block import log_potential

    emit({"log_potential": log_potential(_ensemble(args), _points(args.at)).tolist()}, args.json)
    return 0


def _support(args):
    from complexity.rmt.block import support

    intervals, atoms = support(_ensemble(args))
    emit({"intervals": [list(iv) for iv in intervals], "atoms": atoms}, args.json)
    return 0
