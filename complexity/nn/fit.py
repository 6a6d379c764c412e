r"""Fits of a spectrum's bulk by the spectral layer's ensembles, with goodness-of-fit numbers.

The model: each bulk eigenvalue is ``x = a l + b`` (``a > 0``) with ``l`` drawn from the
*continuous part* of a base measure ``mu_theta`` of :mod:`complexity.spectra`, normalised to
mass 1 (the atom at 0 is dropped from the data and counted, so it is dropped from the model
too).  Families (``FAMILIES``) and their shape parameters ``theta``:

* ``semicircle``: none (``semicircle()``, variance 1 on [-2, 2]);
* ``marchenko_pastur``: ``c`` in [1e-3, 1] (``marchenko_pastur(c)``);
* ``wishart_product``: ``c_1 <= ... <= c_k`` in [1e-3, 1] (``factors = k``, default 2;
  ``wishart_product(*cs)``; the law is symmetric in the c_i, so they are reported sorted;
  ``c_i -> 0`` is a factor ``W_i -> I``, so the family contains Marchenko-Pastur);
* ``wigner_times_wishart``: ``c`` in [1e-3, 1] (``wigner_times_wishart(c)``, symmetric
  about 0; ``c -> 0`` is the semicircle);
* ``deformed``: ``deformed(discrete(levels, weights), s)``, the law of ``A + s X`` (A with the
  given levels, X Wigner), ``s`` in [1e-3, 10] x the levels' span; the levels are given
  (default ``(0, 1)``: with the affine map, any two levels are these two), the weights are
  given or, when ``weights=None``, fitted (``w_2, ..., w_k``; ``w_1 = 1 - sum``).

Why ratios ``<= 1`` only, and why the atom is not fitted: up to a dilation, the continuous
part of these laws depends only on the *set* of matrix dimensions, not on which of them is
N.  The non-zero eigenvalues of ``X X^T / T`` are those of ``X^T X / T`` (MP(c) and MP(1/c));
those of ``W_1 W_2`` (dimensions N, T_1, T_2) are the squared singular values of
``X_1^T X_2``, which any of the three may play N for; ``W^(1/2) S W^(1/2)`` with c and 1/c
likewise (checked numerically to 1e-9: tests/test_nn.py).  So each fitted continuous part
stands for several measures, one per choice of N among the dimensions ``{1, 1/c_1, ...}``
(in units of the smallest), and their atoms at 0 are ``0`` and ``1 - c_i``: the fit
returns that set (``model_atoms``) beside the counted atom (``data_atom``), and a product
law predicts the atom only if the counted one is in the set.

Estimator: minimum Cramer-von Mises distance.  For sorted bulk points ``x_(i)``,
``T = 1/(12 n) + sum_i (F(x_(i)) - (2i - 1)/(2n))^2`` (``n`` times the CvM distance
``int (F_n - F)^2 dF``) is minimised over ``(theta, a, b)``: for each ``theta`` the profile
over ``(a, b)`` -- a least-squares problem in the residuals ``F(x_(i)) - (2i - 1)/(2n)`` --
by Levenberg-Marquardt from the quantile match ``a = IQR(x) / IQR(l)``,
``b = median(x) - a median(l)``, on one tabulated cdf per ``theta``
(:func:`complexity.spectra._quadrature.tabulated_cdf`, accuracy ``FIT_TOL``; its
interpolant's derivative gives the Jacobian), so each ``(a, b)`` costs a table look-up; and
over ``theta`` by a grid scan then bounded Brent (one parameter) or Nelder-Mead (more), in
log coordinates (logits for weights).

Goodness of fit, at the fitted parameters: the KS statistic ``D = sup |F_n - F|`` and the CvM
statistic ``T``, with scipy's p-values for a fully specified law (``scipy.stats.kstest``,
``scipy.stats.cramervonmises``).  Two caveats, both stated in every result's ``notes``:

1. **Fitted parameters make the nominal p-values optimistic**: the fit pulls ``F`` towards
   the data, so ``D`` is stochastically smaller than Kolmogorov's law says, and the nominal p
   is an *upper bound* on the p-value of the composite hypothesis "some member of the
   family".  A small nominal p rejects the whole family; a large one does not confirm it.
   ``bootstrap=B`` gives the parametric-bootstrap p-value ``(1 + #{D* >= D}) / (B + 1)``:
   B samples of n iid points from the fitted law, each refitted (locally, from the fit) and
   its ``D*`` computed; and the bootstrap standard deviations of the parameters.
2. **Eigenvalues are not iid**: the eigenvalues of one random matrix repel, so their
   empirical cdf fluctuates far less than an iid sample's (linear statistics fluctuate as
   1/N, not 1/sqrt N).  The p-values and the standard errors below assume iid points: for a
   sample of a random-matrix ensemble they are conservative (a fit to the right ensemble
   gives D smaller than Kolmogorov's law, and parameters closer to the truth than the
   standard errors), but the finite-N corrections to the limiting law, O(1/N) in the bulk
   and O(N^-2/3) at the edges, are not in them.

Standard errors (``stderr``): the asymptotic iid sandwich formula of the minimum-CvM
estimator, ``cov = A^-1 V A^-1`` with ``A = (1/n) sum_i g_i g_i^T`` and
``V = n^-3 sum_ij g_i g_j^T (min(u_i, u_j) - u_i u_j)``, ``g_i = dF(x_i)/d(theta, a, b)``
(central differences on the tables, steps 1e-3 of each shape parameter and 1e-4 a),
``u_i = F(x_i)`` (the Brownian-bridge covariance of ``F_n``).  ``None`` where ``A`` is
singular (a parameter the fit does not see); meaningless for a parameter on a bound of its
box (listed in ``at_bounds``).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field, fields

import numpy as np

from complexity._validate import check_array, check_int, check_real

__all__ = ["FAMILIES", "BulkFit", "prepare_bulk", "fit_bulk"]

#: the fitted families (names of the spectral layer's constructors)
FAMILIES = ("semicircle", "marchenko_pastur", "wishart_product", "wigner_times_wishart", "deformed")

#: fewest bulk points a fit accepts
MIN_POINTS = 20

#: accuracy of the fits' tabulated cdfs (CdfTable's tol; far below the KS distance of any n <= 1e6 points)
FIT_TOL = 1e-8

NOTES = (
    "p-values are nominal: computed as if the fitted law were specified in advance, so they are upper "
    "bounds (fitted parameters pull the law towards the data); ks_pvalue_bootstrap, when present, "
    "corrects for the fit by a parametric bootstrap",
    "p-values and standard errors assume iid points; eigenvalues of one matrix repel, so for a sample of "
    "the right ensemble they are conservative, and finite-N corrections to the limiting law are not in them",
)


# ---------------------------------------------------------------------------- families
@dataclass(frozen=True)
class _Family:
    """A family's shape parameters in optimisation coordinates ``u`` (a box ``lower, upper``)."""

    name: str
    names: tuple
    lower: np.ndarray
    upper: np.ndarray
    grid: tuple  # 1-D grids in u, one per coordinate
    build: object  # natural params -> base measure
    to_natural: object  # u -> natural params (tuple)
    to_u: object  # natural params -> u
    symmetric: bool = False  # the law is symmetric in its parameters (scan c_1 <= c_2 <= ...)
    atoms: object = staticmethod(lambda p: [0.0])  # atoms at 0 of the equivalent embeddings


def _ratio_family(name, names, build, grid_points, symmetric=False):
    """Ratios c_i in [1e-3, 1] (log coordinates); equivalent embeddings' atoms 0 and 1 - c_i."""
    lower, upper = np.full(len(names), math.log(1e-3)), np.zeros(len(names))
    # grid strictly inside the box (c = 1 is a hard edge)
    g = tuple(np.linspace(lower[0] + 0.35, upper[0] - 0.35, grid_points) for _ in names)
    return _Family(name, names, lower, upper, g, build, lambda u: tuple(np.exp(u).tolist()),
                   lambda p: np.log(np.asarray(p, float)), symmetric,
                   lambda p: sorted({0.0, *(1.0 - float(c) for c in p)}))


def _family(name, factors, levels, weights):
    from complexity import spectra

    if name == "semicircle":
        return _Family(name, (), np.empty(0), np.empty(0), (), lambda p: spectra.semicircle(),
                       lambda u: (), lambda p: np.empty(0))
    if name == "marchenko_pastur":
        return _ratio_family(name, ("c",), lambda p: spectra.marchenko_pastur(p[0]), 9)
    if name == "wigner_times_wishart":
        return _ratio_family(name, ("c",), lambda p: spectra.wigner_times_wishart(p[0]), 9)
    if name == "wishart_product":
        names = tuple(f"c{i + 1}" for i in range(factors))
        return _ratio_family(name, names, lambda p: spectra.wishart_product(*sorted(p)), 4 if factors == 2 else 3,
                             symmetric=True)
    # deformed
    span = float(levels[-1] - levels[0])
    s_lo, s_hi = math.log(1e-3 * span), math.log(10.0 * span)
    if weights is not None:
        w = tuple(weights)
        return _Family(name, ("s",), np.array([s_lo]), np.array([s_hi]), (np.linspace(s_lo + 1, s_hi - 1, 8),),
                       lambda p: spectra.deformed(spectra.discrete(levels, w), p[0]),
                       lambda u: (float(np.exp(u[0])),), lambda p: np.log(np.asarray(p[:1], float)))
    k = len(levels)
    names = ("s",) + tuple(f"w{i + 1}" for i in range(1, k))
    lower = np.concatenate([[s_lo], np.full(k - 1, -7.0)])
    upper = np.concatenate([[s_hi], np.full(k - 1, 7.0)])

    def natural(u):
        z = np.concatenate([[0.0], u[1:]])
        w = np.exp(z - z.max())
        w /= w.sum()
        return (float(np.exp(u[0])), *w[1:].tolist())

    def to_u(p):
        w = np.asarray(p[1:], float)
        return np.concatenate([[math.log(p[0])], np.log(w / (1.0 - w.sum()))])

    def build(p):
        w = np.concatenate([[1.0 - sum(p[1:])], p[1:]])
        return spectra.deformed(spectra.discrete(levels, w / w.sum()), p[0])

    grid = (np.linspace(s_lo + 1.5, s_hi - 1.5, 5),) + tuple(np.linspace(-3.0, 3.0, 4) for _ in range(k - 1))
    return _Family(name, names, lower, upper, grid, build, natural, to_u)


# ---------------------------------------------------------------------------- result
@dataclass
class BulkFit:
    """A fitted family: the bulk is modelled as ``a l + b``, ``l`` from the continuous part of
    ``base`` (module docstring).  ``params``: the shape parameters; ``stderr``: iid sandwich
    standard errors of ``params``, ``a`` and ``b`` (``None`` if singular);
    ``cvm_statistic`` = ``T`` (the minimised objective), ``ks_statistic`` = ``D``, their
    nominal p-values, and ``ks_pvalue_bootstrap`` (``None`` unless ``bootstrap > 0``);
    ``at_bounds``: the shape parameters that ended on a bound of their box (their standard
    errors mean nothing); ``model_atoms``: the atoms at 0 of the measures with the fitted continuous part (module
    docstring: one per choice of N among the dimensions), ``data_atom``: the dropped
    fraction of the input; ``n``, ``dropped``, ``trimmed``: the points fitted, dropped as
    the atom and trimmed as outliers."""

    family: str
    params: dict
    a: float
    b: float
    n: int
    dropped: int
    trimmed: int
    cvm_statistic: float
    cvm_pvalue: float
    ks_statistic: float
    ks_pvalue: float
    model_atoms: list
    data_atom: float
    stderr: dict | None
    at_bounds: list = field(default_factory=list)
    bootstrap: int = 0
    ks_pvalue_bootstrap: float | None = None
    bootstrap_sd: dict | None = None
    tables: int = 0
    seconds: float = 0.0
    base: object = field(default=None, repr=False)
    notes: tuple = NOTES

    def cdf(self, x) -> np.ndarray:
        """The fitted law's cdf (the base's continuous part, normalised, mapped by ``a l + b``)."""
        from complexity.spectra import _quadrature as Q

        return Q.tabulated_cdf(self.base, tol=FIT_TOL).continuous((np.asarray(x, float) - self.b) / self.a)

    def density(self, x) -> np.ndarray:
        """The fitted law's density (integrates to 1 over the bulk)."""
        y = (np.asarray(x, float) - self.b) / self.a
        return self.base.density(y) / (self.a * self.base.continuous_mass)

    @property
    def measure(self):
        """The whole fitted measure ``base.affine(a, b)`` (atom included, at ``b``)."""
        return self.base.affine(self.a, self.b)

    def as_dict(self) -> dict:
        keys = ("family", "params", "a", "b", "n", "dropped", "trimmed", "cvm_statistic", "cvm_pvalue",
                "ks_statistic", "ks_pvalue", "model_atoms", "data_atom", "stderr", "at_bounds", "bootstrap",
                "ks_pvalue_bootstrap", "bootstrap_sd", "tables", "seconds")
        out = {k: getattr(self, k) for k in keys}
        out["notes"] = list(self.notes)
        return out

    @classmethod
    def from_dict(cls, d: dict) -> "BulkFit":
        """The fit that :meth:`as_dict` wrote, its base measure rebuilt from the family and the
        fitted shape parameters (so ``cdf``, ``density`` and ``measure`` work again)."""
        family, params = d["family"], dict(d["params"])
        if family not in FAMILIES:
            raise ValueError(f"family must be one of {FAMILIES}, got {family!r}")
        factors = sum(1 for k in params if k.startswith("c") and k[1:].isdigit()) or 2
        lv, w = _check_levels(params["levels"], params.get("weights")) if family == "deformed" else ((0.0, 1.0), None)
        fam = _family(family, factors, lv, w)
        base = fam.build(tuple(float(params[k]) for k in fam.names))
        keys = {f.name for f in fields(cls)} - {"base", "notes"}
        return cls(**{k: d[k] for k in keys if k in d}, notes=tuple(d.get("notes", NOTES)), base=base)


# ---------------------------------------------------------------------------- input
def prepare_bulk(eigenvalues, *, drop_below=None, outliers: int = 0):
    """``(bulk, dropped, trimmed)``: the sorted eigenvalues without the atom ``|l| <= drop_below``
    (absolute, as in :func:`complexity.diagnostics.local.prepare`; counted) and without the
    ``outliers`` largest (counted).  Fewer than ``MIN_POINTS`` left is a ``ValueError``."""
    e = check_array("eigenvalues", eigenvalues).ravel()
    if e.size == 0:
        raise ValueError("eigenvalues must be a non-empty array of finite numbers")
    e = np.sort(e)
    n0 = e.size
    if drop_below is not None:
        tol = check_real("drop_below", drop_below, lower=0.0)
        e = e[np.abs(e) > tol]
    dropped = n0 - e.size
    outliers = check_int("outliers", outliers, minimum=0, maximum=max(0, e.size - MIN_POINTS))
    if outliers:
        e = e[: e.size - outliers]
    if e.size < MIN_POINTS:
        raise ValueError(f"eigenvalues: a bulk fit needs at least {MIN_POINTS} points after dropping {dropped} "
                         f"at the atom and {outliers} outliers, got {e.size}")
    if not e[-1] > e[0]:
        raise ValueError("eigenvalues: the bulk has zero width (all points equal); nothing to fit")
    return e, dropped, outliers


def _check_levels(levels, weights):
    lv = check_array("levels", levels).ravel()
    if lv.size < 2 or np.unique(lv).size != lv.size:
        raise ValueError(f"levels must be at least 2 distinct finite numbers, got {levels!r}")
    order = np.argsort(lv)
    lv = lv[order]
    if weights is None:
        return tuple(lv.tolist()), None
    w = check_array("weights", weights).ravel()
    if w.size != lv.size or np.any(w <= 0) or abs(w.sum() - 1.0) > 1e-9:
        raise ValueError(f"weights must be {lv.size} positive numbers summing to 1 (one per level), got {weights!r}")
    return tuple(lv.tolist()), tuple(w[order].tolist())


# ---------------------------------------------------------------------------- the fit
class _Profile:
    """The CvM objective profiled over ``(a, b)`` for each shape ``u``, with its tables cached."""

    def __init__(self, fam, x):
        self.fam, self.x = fam, x
        n = x.size
        self.target = (2.0 * np.arange(1, n + 1) - 1.0) / (2.0 * n)
        self.offset = 1.0 / (12.0 * n)
        self.cache = {}

    def base(self, p):
        return self.fam.build(p)

    def table(self, base):
        from complexity.spectra import _quadrature as Q

        return Q.tabulated_cdf(base, tol=FIT_TOL)

    def inner(self, table):
        """Least squares for ``(log a, b)`` (Levenberg-Marquardt, the residuals
        ``F((x_i - b)/a) - (2i - 1)/2n`` and their derivatives from the table) from the quantile
        match; returns ``(a, b, T)``."""
        from scipy.optimize import least_squares

        x, t = self.x, self.target
        y25, y50, y75 = table.inverse(np.array([0.25, 0.5, 0.75]))
        x25, x50, x75 = np.quantile(x, [0.25, 0.5, 0.75])
        a0 = (x75 - x25) / (y75 - y25) if y75 > y25 and x75 > x25 else (x[-1] - x[0]) / 4.0
        b0 = x50 - a0 * y50

        def unpack(v):
            return a0 * math.exp(v[0]), b0 + a0 * v[1]

        def resid(v):
            a, b = unpack(v)
            return table.continuous((x - b) / a) - t

        def jac(v):
            a, b = unpack(v)
            y = (x - b) / a
            g = table.continuous(y, density=True)[1]
            return np.column_stack([-g * y, -g * a0 / a])

        res = least_squares(resid, np.zeros(2), jac=jac, method="lm", xtol=1e-12, ftol=1e-12, gtol=1e-12)
        a, b = unpack(res.x)
        r = resid(res.x)
        return a, b, self.offset + float(r @ r)

    def __call__(self, u):
        fam = self.fam
        uc = np.clip(np.asarray(u, float), fam.lower, fam.upper)
        key = tuple(np.round(uc, 12).tolist())
        if key not in self.cache:
            p = fam.to_natural(uc)
            base = self.base(p)
            a, b, val = self.inner(self.table(base))
            self.cache[key] = (val, p, a, b, base)
        return self.cache[key][0] + 1e3 * float(np.sum((np.asarray(u, float) - uc) ** 2))

    def best(self):
        val, p, a, b, base = min(self.cache.values(), key=lambda r: r[0])
        return p, a, b, base, val


def _optimise(prof, start=None):
    """Minimise the profile over the shape: a grid scan (or ``start``), then Brent / Nelder-Mead."""
    from scipy.optimize import minimize, minimize_scalar

    fam = prof.fam
    dim = len(fam.names)
    if dim == 0:
        prof(np.empty(0))
        return prof.best()
    if start is None:
        mesh = np.meshgrid(*fam.grid, indexing="ij")
        pts = np.stack([m.ravel() for m in mesh], axis=1)
        if fam.symmetric:
            pts = pts[np.all(np.diff(pts, axis=1) >= 0, axis=1)]
        vals = np.array([prof(u) for u in pts])
        u0 = pts[int(np.argmin(vals))]
        step = np.array([g[1] - g[0] for g in fam.grid])
    else:
        u0 = np.clip(np.asarray(start, float), fam.lower, fam.upper)
        step = np.full(dim, 0.3)
    if dim == 1:
        lo, hi = max(fam.lower[0], u0[0] - step[0]), min(fam.upper[0], u0[0] + step[0])
        minimize_scalar(lambda v: prof(np.array([v])), bounds=(lo, hi), method="bounded", options={"xatol": 1e-5})
    else:
        simplex = np.vstack([u0] + [u0 + 0.5 * step[j] * np.eye(dim)[j] for j in range(dim)])
        minimize(prof, u0, method="Nelder-Mead",
                 options={"xatol": 1e-3, "fatol": 1e-8, "maxiter": 150 * dim, "initial_simplex": simplex})
    return prof.best()


def _model_cdf(fam, p, a, b, x, base=None):
    from complexity.spectra import _quadrature as Q

    base = fam.build(p) if base is None else base
    return Q.tabulated_cdf(base, tol=FIT_TOL).continuous((x - b) / a)


def _sandwich(fam, p, a, b, x, base):
    """iid sandwich standard errors of (params, a, b) of the minimum-CvM estimator (module docstring)."""
    n = x.size
    cols = []
    p = np.asarray(p, float)
    for j in range(p.size):
        if fam.name == "deformed" and j > 0:  # a weight w_j (w_1 = 1 - sum absorbs the change)
            h = 1e-3 * min(p[j], 1.0 - p[1:].sum())
        else:
            h = 1e-3 * p[j]
        up, dn = p.copy(), p.copy()
        up[j] += h
        dn[j] -= h
        cols.append((_model_cdf(fam, tuple(up), a, b, x) - _model_cdf(fam, tuple(dn), a, b, x)) / (2.0 * h))
    ha, hb = 1e-4 * a, 1e-4 * a
    cols.append((_model_cdf(fam, p, a + ha, b, x, base) - _model_cdf(fam, p, a - ha, b, x, base)) / (2.0 * ha))
    cols.append((_model_cdf(fam, p, a, b + hb, x, base) - _model_cdf(fam, p, a, b - hb, x, base)) / (2.0 * hb))
    G = np.column_stack(cols)
    u = _model_cdf(fam, p, a, b, x, base)
    K = np.minimum.outer(u, u) - np.outer(u, u)
    A = G.T @ G / n
    V = G.T @ K @ G / n**3
    try:
        Ai = np.linalg.inv(A)
    except np.linalg.LinAlgError:
        return None
    cov = Ai @ V @ Ai
    if not np.all(np.isfinite(cov)) or np.any(np.diag(cov) < 0) or np.linalg.cond(A) > 1e12:
        return None
    se = np.sqrt(np.diag(cov))
    return dict(zip(fam.names + ("a", "b"), se.tolist()))


def _ks(x, cdf):
    from scipy import stats

    ks = stats.kstest(x, cdf)
    cvm = stats.cramervonmises(x, cdf)
    return float(ks.statistic), float(ks.pvalue), float(cvm.statistic), float(cvm.pvalue)


def fit_bulk(eigenvalues, family: str, *, factors: int = 2, levels=(0.0, 1.0), weights=None, drop_below=None,
             outliers: int = 0, bootstrap: int = 0, seed=0, stderr: bool = True) -> BulkFit:
    """Fit the bulk of ``eigenvalues`` by ``family`` (one of ``FAMILIES``) with an affine map
    ``a l + b``, by minimum Cramer-von Mises distance; KS and CvM goodness of fit (module
    docstring, including why the p-values are nominal upper bounds).

    ``drop_below``: eigenvalues with ``|l| <= drop_below`` are the atom at 0, dropped and
    counted; ``outliers``: the number of largest eigenvalues trimmed; ``factors``: the
    number of Wishart factors of ``wishart_product`` (2 to 4); ``levels``, ``weights``: the
    ``deformed`` family's levels (given) and weights (given, or fitted when ``None``);
    ``bootstrap``: parametric-bootstrap replicates (0: none); ``seed``: their seed.
    """
    t0 = time.perf_counter()
    if family not in FAMILIES:
        raise ValueError(f"family must be one of {FAMILIES}, got {family!r}")
    factors = check_int("factors", factors, minimum=2, maximum=4)
    bootstrap = check_int("bootstrap", bootstrap, minimum=0, maximum=10000)
    seed = check_int("seed", seed, minimum=0)
    lv, w = _check_levels(levels, weights) if family == "deformed" else ((0.0, 1.0), None)
    x, dropped, trimmed = prepare_bulk(eigenvalues, drop_below=drop_below, outliers=outliers)
    fam = _family(family, factors, lv, w)
    prof = _Profile(fam, x)
    p, a, b, base, _ = _optimise(prof)
    if fam.symmetric:
        p = tuple(sorted(p))
    F = lambda v: _model_cdf(fam, p, a, b, np.asarray(v, float), base)  # noqa: E731
    D, p_ks, T, p_cvm = _ks(x, F)
    out = BulkFit(
        family=family,
        params=dict(zip(fam.names, [float(v) for v in p])),
        a=float(a),
        b=float(b),
        n=int(x.size),
        dropped=dropped,
        trimmed=trimmed,
        cvm_statistic=T,
        cvm_pvalue=p_cvm,
        ks_statistic=D,
        ks_pvalue=p_ks,
        model_atoms=[float(v) for v in fam.atoms(p)],
        data_atom=dropped / (x.size + dropped + trimmed),
        stderr=_sandwich(fam, p, a, b, x, base) if stderr else None,
        base=base,
    )
    u = fam.to_u(p)
    out.at_bounds = [nm for nm, v, lo, hi in zip(fam.names, u, fam.lower, fam.upper)
                     if min(v - lo, hi - v) <= 1e-3 * max(1.0, hi - lo)]
    if fam.name == "deformed":
        out.params.update(levels=list(lv))
        if w is not None:
            out.params.update(weights=list(w))
    if bootstrap:
        out.bootstrap = bootstrap
        out.ks_pvalue_bootstrap, out.bootstrap_sd = _bootstrap(fam, p, a, b, base, x.size, D, bootstrap, seed)
    out.tables = len(prof.cache)
    out.seconds = time.perf_counter() - t0
    return out


def _bootstrap(fam, p, a, b, base, n, D, replicates, seed):
    """Parametric bootstrap: n iid points from the fitted law, refitted locally from (p, a, b)."""
    from complexity.spectra import _quadrature as Q

    rng = np.random.default_rng(seed)
    table = Q.tabulated_cdf(base, tol=FIT_TOL)
    u0 = fam.to_u(p)
    exceed = 0
    rows = []
    for _ in range(replicates):
        xs = np.sort(a * table.inverse(rng.random(n)) + b)
        prof = _Profile(fam, xs)
        pb, ab, bb, baseb, _ = _optimise(prof, start=u0 if len(fam.names) else None)
        if fam.symmetric:
            pb = tuple(sorted(pb))
        Db = _ks(xs, lambda v: _model_cdf(fam, pb, ab, bb, np.asarray(v, float), baseb))[0]
        exceed += Db >= D
        rows.append(list(pb) + [ab, bb])
    sd = np.std(np.array(rows), axis=0, ddof=1) if replicates > 1 else np.full(len(rows[0]), np.nan)
    return (1.0 + exceed) / (replicates + 1.0), dict(zip(fam.names + ("a", "b"), sd.tolist()))
