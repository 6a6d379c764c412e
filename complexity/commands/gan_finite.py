"""``complexity gan count``: the finite-N Kac-Rice expectation of the game's critical points
("derived" convention) beside direct counting on sampled instances.

:func:`register_into` adds the subcommand to the ``gan`` group's subparsers.
"""

from __future__ import annotations

import math

#: ``--kappa`` must equal N_D / (N_D + N_G) to this relative tolerance when given
KAPPA_RTOL = 1e-9


def register_into(gan_sub) -> None:
    """Add ``count`` to the subparsers of ``complexity gan``."""
    c = gan_sub.add_parser(
        "count",
        help="finite-N Kac-Rice expected number of critical points vs direct counting",
        description=(
            "Kac-Rice expectation (Monte Carlo over its finite-N ensemble) of the number of "
            "critical points of the coupled spin glass, total and per (k_D, k_G), beside the "
            "mean count over sampled instances (all critical points found by Newton from "
            "doubling rounds of starts), each with its standard error.  docs/gan_finite.md."
        ),
    )
    c.add_argument("--p", type=int, required=True, help="discriminator order p >= 2")
    c.add_argument("--q", type=int, required=True, help="generator order q >= 2")
    c.add_argument("--sigma-z", type=float, required=True, help="latent scale sigma_z > 0")
    c.add_argument("--n-d", type=int, required=True, help="discriminator dimension N_D >= 1")
    c.add_argument("--n-g", type=int, required=True, help="generator dimension N_G >= 1")
    c.add_argument("--kappa", type=float, default=None,
                   help="optional; if given it must equal N_D/(N_D + N_G) (it is implied by --n-d, --n-g)")
    c.add_argument("--samples", type=int, default=100, help="sampled instances for the direct count (default 100)")
    c.add_argument("--kac-rice-samples", type=int, default=200_000,
                   help="Monte Carlo draws for the Kac-Rice expectation (default 200000)")
    c.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    c.add_argument("--u-d", type=float, default=None, help="count only points with u_D = L^D/N <= UD")
    c.add_argument("--u-g", type=float, default=None, help="count only points with u_G = L^G/N <= UG")
    c.add_argument("--method", default="newton", choices=("newton", "torus"),
                   help="direct counting method (torus: (N_D, N_G) = (2, 2) only)")
    c.add_argument("--allow-large", action="store_true",
                   help="run even if the estimated time exceeds the budget (docs/reliability.md)")
    c.add_argument("--json", action="store_true", help="print one JSON object")
    c.set_defaults(func=run_count)


def _check_kappa(kappa, n_d, n_g):
    if kappa is None:
        return
    if not math.isfinite(kappa) or n_d < 1 or n_g < 1:
        raise ValueError(f"kappa must be a finite number equal to N_D/(N_D + N_G), got {kappa!r}")
    implied = n_d / (n_d + n_g)
    if abs(kappa - implied) > KAPPA_RTOL * implied:
        raise ValueError(
            f"kappa = {kappa!r} is inconsistent with --n-d {n_d} --n-g {n_g} (N_D/N = {implied!r}); omit --kappa"
        )


def count(p, q, sigma_z, n_d, n_g, *, samples=100, kac_rice_samples=200_000, seed=0, u_d=None, u_g=None,
          method="newton") -> dict:
    """The JSON object of ``complexity gan count``: ``kac_rice`` and ``direct`` side by side.

    ``kac_rice``: total and per (k_D, k_G) expectation with Monte Carlo errors (and the
    Poincare-Hopf sum); ``direct``: mean counts with standard errors, completeness and
    Poincare-Hopf fractions; ``z``: ``(direct - kac_rice)/sqrt(se^2 + se_KR^2)`` per entry;
    ``leading_order``: ``exp(N Theta)`` of the derived and the reference conventions at the
    same N (:func:`complexity.models.gan_finite.leading_order`; ``null`` where a value is not a
    finite double: exp(N Theta) past the range, Theta = -inf below every point).
    """
    from complexity.models.gan_enumerate import gan_enumeration_study
    from complexity.models.gan_finite import leading_order

    cut = u_d is not None or u_g is not None
    st = gan_enumeration_study(p, q, sigma_z, n_d, n_g, samples, seed, cuts=[(u_d, u_g)] if cut else None,
                               kac_rice_samples=kac_rice_samples, method=method)
    table = st["cuts"][0] if cut else st
    return {
        "p": st["p"], "q": st["q"], "sigma_z": st["sigma_z"], "n_d": n_d, "n_g": n_g,
        "kappa": n_d / (n_d + n_g), "u_d": u_d, "u_g": u_g, "seed": seed, "convention": "derived",
        "kac_rice": {
            "samples": kac_rice_samples,
            "total": {"expected": table["total"]["kac_rice"], "stderr": table["total"]["kac_rice_stderr"]},
            "per_index": [{"k_d": r["k_d"], "k_g": r["k_g"], "expected": r["kac_rice"],
                           "stderr": r["kac_rice_stderr"]} for r in table["per_index"]],
            "euler": table["kac_rice_euler"],
            "chi": st["chi"],
        },
        "direct": {
            "samples": samples,
            "method": method,
            "total": {"mean": table["total"]["mean"], "stderr": table["total"]["stderr"]},
            "per_index": [{"k_d": r["k_d"], "k_g": r["k_g"], "mean": r["mean"], "stderr": r["stderr"]}
                          for r in table["per_index"]],
            "complete_fraction": st["complete_fraction"],
            "euler_ok_fraction": st["euler_ok_fraction"],
        },
        "z": {"total": table["total"]["z"],
              "per_index": [{"k_d": r["k_d"], "k_g": r["k_g"], "z": r["z"]} for r in table["per_index"]]},
        # exp(N Theta) past a double's range, or Theta = -inf (no point below the cuts): null
        "leading_order": _finite_or_none(leading_order(p, q, sigma_z, n_d, n_g, u_d, u_g)),
    }


#: a cut |u| beyond this many latent scales (1 + sigma_z) lies beyond every critical point's loss
#: to double precision (and the Kac-Rice weights' arithmetic overflows): use no cut instead
U_CUT_MAX = 1e6


def _check_count_args(args) -> None:
    from complexity._validate import check_int, check_real
    from complexity.domains import check_budget, gan_count_seconds

    n_d = check_int("n_d", args.n_d, minimum=1)
    n_g = check_int("n_g", args.n_g, minimum=1)
    samples = check_int("samples", args.samples, minimum=2)
    kr = check_int("kac_rice_samples", args.kac_rice_samples, minimum=2)
    lim = U_CUT_MAX * (1.0 + abs(args.sigma_z)) if math.isfinite(args.sigma_z) else U_CUT_MAX
    for name, u in (("u_d", args.u_d), ("u_g", args.u_g)):
        if u is not None:
            check_real(name, u, lower=-lim, upper=lim)
    check_budget(f"--samples {samples} --kac-rice-samples {kr} at N = {n_d + n_g}",
                 gan_count_seconds(n_d, n_g, samples, kr), args.allow_large)


def _finite_or_none(obj):
    """The leading-order block with an overflowing exp(N Theta) (or an empty cut's -inf) as None."""
    if isinstance(obj, dict):
        return {k: _finite_or_none(v) for k, v in obj.items()}
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


def run_count(args) -> int:
    from complexity.cli import emit

    _check_kappa(args.kappa, args.n_d, args.n_g)
    _check_count_args(args)
    out = count(args.p, args.q, args.sigma_z, args.n_d, args.n_g, samples=args.samples,
                kac_rice_samples=args.kac_rice_samples, seed=args.seed, u_d=args.u_d, u_g=args.u_g,
                method=args.method)
    emit(out, args.json)
    return 0
