"""``complexity gan {theta, exponent, thresholds, count}``: the coupled (GAN) spherical spin glass."""

from __future__ import annotations

import importlib
import math

from complexity.cli import emit


def _model_args(p):
    p.add_argument("--p", type=int, required=True, help="discriminator order p >= 2")
    p.add_argument("--q", type=int, required=True, help="generator order q >= 2")
    p.add_argument("--sigma-z", type=float, required=True, help="latent scale sigma_z > 0")
    p.add_argument("--kappa", type=float, required=True, help="N_D / N in (0, 1)")
    p.add_argument("--convention", default="derived", help="derived (default), reference or published")
    p.add_argument("--box", default=None,
                   help="published grid box, only with --convention published: sweep (default), theta, "
                        "exponent_in_domain, theta_index, theta_indexs")
    p.add_argument("--json", action="store_true", help="print one JSON object")


def register(sub):
    g = sub.add_parser("gan", help="coupled (GAN) spherical spin glass (docs/gan_model.md)")
    gs = g.add_subparsers(dest="gan_command", metavar="SUBCOMMAND")
    gs.required = True
    th = gs.add_parser("theta", help="Theta(u_D, u_G) as the true supremum, with its maximiser (x, x1)")
    _model_args(th)
    th.add_argument("--u-d", type=float, required=True,
                    help="cut on the discriminator's loss L_D/N (finite; not far below the maximiser, "
                         "docs/reliability.md)")
    th.add_argument("--u-g", type=float, required=True, help="cut on the generator's loss L_G/N (as --u-d)")
    th.add_argument("--k-d", type=int, default=None, help="index k_D >= 0 of D's own Hessian (index-resolved Theta)")
    th.add_argument("--k-g", type=int, default=None, help="index k_G >= 0 of G's own Hessian (index-resolved Theta)")
    th.set_defaults(func=_theta)
    ex = gs.add_parser("exponent", help="the exponent and Phi(x; x1) at one (x, x1)")
    _model_args(ex)
    ex.add_argument("--x", type=float, required=True, help="spectral variable x (finite)")
    ex.add_argument("--x1", type=float, required=True,
                    help="shift x1 of the D block (finite, |x1| <= 1e4 spectral widths)")
    ex.set_defaults(func=_exponent)
    tr = gs.add_parser("thresholds", help="lowest u_D, u_G and u_D + u_G with Theta > 0, and max |u_D - u_G|")
    _model_args(tr)
    tr.add_argument("--k-d", type=int, default=None, help="index k_D >= 0 (index-resolved thresholds)")
    tr.add_argument("--k-g", type=int, default=None, help="index k_G >= 0 (index-resolved thresholds)")
    tr.set_defaults(func=_thresholds)
    for module in ("complexity.commands.gan_finite",):
        try:  # each part of the model registers its own subcommands
            importlib.import_module(module).register_into(gs)
        except ModuleNotFoundError as exc:  # pragma: no cover - only while a part is absent
            if exc.name != module:
                raise


def _model(args):
    from complexity.models.gan import GanModel

    if args.box is not None and args.convention != "published":
        raise ValueError(f"--box {args.box} is used only with --convention published "
                         f"(got --convention {args.convention}); omit --box")
    return GanModel(args.p, args.q, args.sigma_z, args.kappa, args.convention, box=args.box or "sweep")


def _finite(name, v):
    if not math.isfinite(v):
        raise ValueError(f"{name} must be a finite real number, got {v!r}")
    return v


def _k(args):
    """(k_D, k_G): both None (all indices) or both set (a missing one is 0)."""
    if args.k_d is None and args.k_g is None:
        return None, None
    return (0 if args.k_d is None else args.k_d), (0 if args.k_g is None else args.k_g)


def _theta(args):
    k_d, k_g = _k(args)
    r = _model(args).theta(_finite("u_D", args.u_d), _finite("u_G", args.u_g), k_d=k_d, k_g=k_g)
    emit({"theta": r.theta, "x": r.x, "x1": r.x1}, args.json)
    return 0


def _exponent(args):
    e, phi = _model(args).exponent(args.x, args.x1)
    emit({"exponent": e, "log_potential": phi}, args.json)
    return 0


def _thresholds(args):
    k_d, k_g = _k(args)
    emit(_model(args).thresholds(k_d=k_d, k_g=k_g), args.json)
    return 0
