"""``complexity spectrum fit FILE --ensemble NAME``: fit the bulk of the eigenvalues in a file
(``.npy``, ``.txt`` or ``.csv``, e.g. written by ``complexity nn hessian``) by one of the
spectral layer's ensembles with an affine map ``a l + b``, by minimum Cramer-von Mises
distance (:func:`complexity.nn.fit.fit_bulk`; numpy and scipy only, no ``nn`` extra needed).

Prints the fitted shape parameters, ``a``, ``b``, their iid standard errors, the KS and CvM
statistics with nominal p-values (upper bounds: the parameters are fitted; ``--bootstrap B``
adds a parametric-bootstrap KS p-value), the counted atom and the atoms the fitted law's
family allows, and the notes on what the p-values mean (docs/nn.md).
"""

from __future__ import annotations

from complexity.cli import emit

#: CLI name (as in ``--ensemble`` elsewhere) -> fit family
FIT_ENSEMBLES = {
    "semicircle": "semicircle",
    "marchenko-pastur": "marchenko_pastur",
    "wishart-product": "wishart_product",
    "wigner-wishart": "wigner_times_wishart",
    "deformed": "deformed",
}


def register_into(ps):
    f = ps.add_parser("fit", help="fit the bulk of the eigenvalues in a file by an ensemble (affine map, min CvM)")
    f.add_argument("file", metavar="FILE", help="a 1-D array of eigenvalues: .npy, .txt or .csv")
    f.add_argument("--ensemble", required=True, choices=tuple(FIT_ENSEMBLES), help="the family fitted")
    f.add_argument("--factors", type=int, default=2, help="wishart-product: number of factors, 2..4 (default 2)")
    f.add_argument("--levels", default=None, help="deformed: levels A1,A2,... (default 0,1)")
    f.add_argument("--weights", default=None, help="deformed: weights W1,W2,... (default: fitted)")
    f.add_argument("--drop-below", type=float, default=None,
                   help="drop |eigenvalue| <= TOL (the atom at 0), counted")
    f.add_argument("--outliers", type=int, default=0, help="trim the K largest eigenvalues (outliers), counted")
    f.add_argument("--bootstrap", type=int, default=0, help="parametric-bootstrap replicates for the KS p-value")
    f.add_argument("--seed", type=int, default=0, help="seed of the bootstrap (default 0)")
    f.add_argument("--json", action="store_true")
    f.set_defaults(func=_fit)


def _fit(args):
    from complexity.commands._ensemble import number_list
    from complexity.diagnostics.io import read_eigenvalues
    from complexity.nn.fit import fit_bulk

    if args.ensemble != "deformed" and (args.levels is not None or args.weights is not None):
        raise ValueError(f"--levels and --weights apply to --ensemble deformed only, not {args.ensemble}")
    if args.ensemble != "wishart-product" and args.factors != 2:
        raise ValueError(f"--factors applies to --ensemble wishart-product only, not {args.ensemble}")
    levels = (0.0, 1.0) if args.levels is None else number_list("--levels", args.levels, minimum_items=2)
    weights = None if args.weights is None else number_list("--weights", args.weights)
    ev = read_eigenvalues(args.file, rows=True).ravel()  # M spectra: their pooled eigenvalues
    res = fit_bulk(ev, FIT_ENSEMBLES[args.ensemble], factors=args.factors, levels=levels, weights=weights,
                   drop_below=args.drop_below, outliers=args.outliers, bootstrap=args.bootstrap, seed=args.seed)
    out = res.as_dict()
    out["ensemble"] = args.ensemble
    emit(out, args.json)
    return 0


__all__ = ["register_into", "FIT_ENSEMBLES"]
