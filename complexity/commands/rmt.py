"""``complexity rmt {density, log-potential, support}``: the coupled model's block Hessian
ensemble b M + b1 (M1 + 0) - x1 (I_D + 0) (docs/rmt.md); ``complexity rmt {outliers, damping}``:
outliers of a bulk plus a spike and the effective damping of s X + A (docs/diagnostics.md)."""

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
    _register_diagnostics(rs)


def _register_diagnostics(rs):
    from complexity.commands._ensemble import add_ensemble_flags

    o = rs.add_parser("outliers", help="outlier of a bulk plus a rank-one spike: location, threshold, overlap")
    add_ensemble_flags(o)
    o.add_argument("--spike", type=float, required=True,
                   help="theta (additive, or A's spike eigenvalue with --noise); ell > 0, the population spike, with --multiplicative")
    o.add_argument("--noise", type=float, default=None, help="s >= 0: H = s X + A, the ensemble is A's bulk, X Wigner (variance 1)")
    o.add_argument("--multiplicative", action="store_true", help="spiked covariance S^1/2 X S^1/2, S = I + (ell - 1) v v^T")
    o.add_argument("--json", action="store_true")
    o.set_defaults(func=_outliers)
    d = rs.add_parser("damping", help="effective damping delta_eff and N^-1 tr (s X + A + delta)^-1")
    d.add_argument("--levels", required=True, help="comma-separated eigenvalues of A")
    d.add_argument("--weights", required=True, help="comma-separated weights of the levels (positive, normalised)")
    d.add_argument("--s", type=float, required=True, help="noise scale s >= 0 (X Wigner, variance 1)")
    d.add_argument("--delta", type=float, required=True, help="the damping delta")
    d.add_argument("--json", action="store_true")
    d.set_defaults(func=_damping)


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


def _outliers(args):
    from complexity.commands._ensemble import measure_from_args
    from complexity.diagnostics import outliers

    mu = measure_from_args(args)
    if args.noise is not None and args.multiplicative:
        raise ValueError("--noise and --multiplicative cannot be combined")
    if args.noise is not None:
        if args.noise < 0:
            raise ValueError(f"--noise must be >= 0, got {args.noise}")
        out = outliers.noise_plus_hessian(mu, args.spike, args.noise)
    elif args.multiplicative:
        if not args.spike > 0:
            raise ValueError(f"--spike must be > 0 with --multiplicative (the population spike ell), got {args.spike}")
        out = outliers.multiplicative(mu, args.spike)
    else:
        out = outliers.additive(mu, args.spike)
    emit(out.as_dict(), args.json)
    return 0


def _damping(args):
    from complexity import spectra
    from complexity.commands._ensemble import number_list
    from complexity.diagnostics import damping

    levels = number_list("--levels", args.levels)
    weights = number_list("--weights", args.weights)
    if len(weights) != len(levels):
        raise ValueError(f"--weights must have one weight per level ({len(levels)}), got {len(weights)}")
    if any(not (w > 0) for w in weights):
        raise ValueError(f"--weights must be positive, got {args.weights!r}")
    total = sum(weights)
    mu = spectra.discrete(levels, [w / total for w in weights])
    if args.s < 0:
        raise ValueError(f"--s must be >= 0, got {args.s}")
    emit(damping.effective_damping(mu, args.s, args.delta).as_dict(), args.json)
    return 0
