"""``complexity spectrum {ratios, surmise}``: local statistics of a spectrum (docs/diagnostics.md)."""

from __future__ import annotations

from complexity.cli import emit


def register_into(ps):
    r = ps.add_parser("ratios", help="spacing-ratio statistics of the eigenvalues in a file (.npy/.txt/.csv)")
    r.add_argument("file", metavar="FILE", help="a 1-D array of eigenvalues: .npy, .txt or .csv")
    r.add_argument("--drop-below", type=float, default=None, help="drop |eigenvalue| <= TOL (the atom at 0), counted")
    r.add_argument("--trim", type=float, default=0.0, help="fraction F in [0, 0.5) trimmed at each edge (default 0)")
    r.add_argument("--json", action="store_true")
    r.set_defaults(func=_ratios)
    s = ps.add_parser("surmise", help="the spacing-ratio surmise P_beta(r) and its mean r~")
    s.add_argument("--beta", required=True, help="1, 2, 4 or poisson")
    s.add_argument("--at", default="", help="comma-separated r >= 0 where to evaluate P_beta(r)")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=_surmise)


def _ratios(args):
    from complexity.diagnostics.io import read_eigenvalues
    from complexity.diagnostics.local import ratio_statistics

    ev = read_eigenvalues(args.file, rows=True)  # M spectra: ratios within each, pooled
    st = ratio_statistics(ev, drop_below=args.drop_below, trim=args.trim)
    d = st.as_dict()
    emit(
        {
            "n": d["n"],
            "mean_r_tilde": d["mean_r_tilde"],
            "stderr": d["stderr"],
            "beta_fit": d["beta_fit"],
            "ks_pvalue": d["ks_pvalue"],
            "dropped": d["dropped"],
        },
        args.json,
    )
    return 0


def _points(text: str):
    try:
        return [float(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise ValueError(f"--at must be comma-separated numbers, got {text!r}") from None


def _surmise(args):
    from complexity.diagnostics import surmise

    beta = surmise.check_beta(args.beta)
    pts = _points(args.at)
    large = surmise.mean_r_tilde_large_n(beta)
    emit(
        {
            "beta": beta,
            "pdf": surmise.ratio_pdf(pts, beta).tolist() if pts else [],
            "mean_r_tilde": surmise.mean_r_tilde(beta),
            "mean_r_tilde_large_n": None if large is None else large[0],
            "mean_r_tilde_large_n_uncertainty": None if large is None else large[1],
            "mean_r_tilde_large_n_source": None if large is None else large[2],
        },
        args.json,
    )
    return 0
