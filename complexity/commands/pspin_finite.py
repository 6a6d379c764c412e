"""``complexity pspin count`` and ``complexity pspin enumerate``: exact finite-N counts
of critical points of the pure spherical p-spin and their check by direct counting.

:func:`register_into` adds the two subcommands to the ``pspin`` group's subparsers.
"""

from __future__ import annotations


def register_into(pspin_sub) -> None:
    """Add ``count`` and ``enumerate`` to the subparsers of ``complexity pspin``."""
    c = pspin_sub.add_parser(
        "count",
        help="exact finite-N expected number of critical points (ABC's formula)",
        description=(
            "E Crt_{N,k}((-inf, u]) of the pure spherical p-spin: exact for totals (any N) "
            "and for index-resolved counts at N <= 3, Monte Carlo over GOE_N otherwise."
        ),
    )
    c.add_argument("--p", type=int, required=True, help="interaction order p >= 2")
    c.add_argument("--n", type=int, required=True, help="dimension N >= 1")
    c.add_argument("--u", type=float, default=None, help="energy cut: count points with H/N <= u (default: all)")
    c.add_argument("--k", type=int, default=None, help="index 0 <= k < N (default: all indices)")
    c.add_argument("--samples", type=int, default=20000, help="GOE samples for Monte Carlo (default 20000)")
    c.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    c.add_argument("--allow-large", action="store_true",
                   help="run even if the estimated time or memory exceeds the budget (docs/reliability.md)")
    c.add_argument("--json", action="store_true", help="print one JSON object")
    c.set_defaults(func=run_count)

    e = pspin_sub.add_parser(
        "enumerate",
        help="count all critical points of sampled instances and compare with the exact expectation",
        description=(
            "Sample instances at small N, find all critical points (Newton from doubling rounds "
            "of random starts until nothing new is found), and report the mean count per index "
            "with its standard error beside the exact expected count."
        ),
    )
    e.add_argument("--p", type=int, required=True, help="interaction order p >= 2")
    e.add_argument("--n", type=int, required=True, help="dimension 2 <= N <= 8")
    e.add_argument("--samples", type=int, required=True, help="number of sampled instances >= 2")
    e.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    e.add_argument("--cut", type=float, action="append", default=None, metavar="U",
                   help="also tabulate points with H/N <= U (repeatable)")
    e.add_argument("--allow-large", action="store_true",
                   help="run even if the estimated time exceeds the budget (docs/reliability.md)")
    e.add_argument("--json", action="store_true", help="print one JSON object")
    e.set_defaults(func=run_enumerate)


def run_count(args) -> int:
    from complexity._validate import check_int, check_p
    from complexity.cli import emit
    from complexity.domains import check_budget, pspin_count_bytes, pspin_count_seconds
    from complexity.models.pspin_finite import expected_count

    check_p(args.p)
    n = check_int("n", args.n, minimum=1)
    k = None if args.k is None else check_int("k", args.k, minimum=0, maximum=n - 1)
    samples = check_int("samples", args.samples, minimum=2)
    what = f"--n {n}" + ("" if k is None or n <= 3 else f" --k {k} with --samples {samples}")
    check_budget(what, pspin_count_seconds(n, k, samples), args.allow_large,
                 bytes_=pspin_count_bytes(n, k, samples))
    res = expected_count(args.p, args.n, args.u, args.k, samples=args.samples, seed=args.seed)
    emit(res.as_dict(), args.json)
    return 0


def run_enumerate(args) -> int:
    from complexity._validate import check_int
    from complexity.cli import emit
    from complexity.domains import check_budget, pspin_enumerate_seconds
    from complexity.models.enumerate import enumeration_study

    n = check_int("n", args.n, minimum=2, maximum=8)
    samples = check_int("samples", args.samples, minimum=2)
    check_budget(f"--n {n} --samples {samples}", pspin_enumerate_seconds(n, samples), args.allow_large)
    out = enumeration_study(args.p, args.n, args.samples, args.seed, cuts=args.cut)
    emit(out, args.json)
    return 0
