r"""Local spectral statistics of any spectrum: spacing ratios, their tests, unfolding, spacings.

Conventions
-----------
* A *spectrum* is a 1-D array of real eigenvalues (any order; sorted here), or a list /
  2-D array of independent spectra (one per row): ratios are formed within each spectrum
  and pooled.
* Ratios (Oganesyan-Huse 2007): with sorted distinct levels and spacings s_n = l_{n+1} - l_n,
  r_n = s_n / s_{n-1}, r~_n = min(r_n, 1/r_n).  No unfolding is needed: the local density
  cancels in the ratio.
* Atom: eigenvalues with |l| <= ``drop_below`` form the degenerate part (the rank
  degeneracy of a Hessian, an atom at 0) and are dropped; exactly coincident eigenvalues
  are collapsed to one.  Both are counted in ``dropped``.
* Edges: ``trim`` = F drops the floor(F n) lowest and highest of the remaining levels
  (outliers and the soft edges, where the local statistics are not those of the bulk).
* Mean r~ with a standard error: the r~_n of neighbouring n share a spacing and are
  correlated, so the standard error is the batch-means one (batches of 64 consecutive
  ratios within a spectrum), not sd / sqrt(n).
* Kolmogorov-Smirnov tests of r~ against the surmise cdf (beta = 1, i.e. GOE) and against
  Poisson, on every second ratio (r~_n and r~_{n+2} share no spacing).  The surmise is a
  3 x 3 approximation: its <r~> is 0.5359 where large-N GOE gives 0.5307, so with more than
  about 10^5 ratios a true GOE spectrum fails the surmise KS test; compare ``mean_r_tilde``
  with the large-N value (complexity.diagnostics.surmise.LARGE_N_MEAN_R_TILDE) at that size.
* Fitted beta: the maximum-likelihood beta >= 0 of r~ over the surmise family
  2 (r + r^2)^beta / (Z_beta (1 + r + r^2)^(1 + 3 beta / 2)) on [0, 1] (Z_beta by quadrature).

Unfolding maps levels l to N F(l), F a smooth cdf, so that the mean spacing is 1 in the
bulk: F = a spectral measure's cdf (``measure.cdf``), the empirical cdf of a pool of spectra
(linear interpolation between the pooled order statistics: the applicability paper's
procedure with many batch Hessians), or a least-squares polynomial fit of the staircase.
"""

from __future__ import annotations

import dataclasses
import math
import warnings

import numpy as np
from scipy import optimize, stats

from complexity._validate import check_array, check_int, check_real
from complexity.diagnostics import surmise

__all__ = [
    "prepare",
    "spacing_ratios",
    "RatioStatistics",
    "ratio_statistics",
    "mean_with_stderr",
    "ks_test",
    "fit_beta",
    "unfold",
    "spacings",
    "spacing_histogram",
]

_BATCH = 64


def _as_spectra(eigenvalues, name="eigenvalues"):
    if isinstance(eigenvalues, np.ndarray) and eigenvalues.ndim == 2:
        rows = [eigenvalues[i] for i in range(eigenvalues.shape[0])]
    elif isinstance(eigenvalues, (list, tuple)) and len(eigenvalues) and np.ndim(eigenvalues[0]) == 1:
        rows = list(eigenvalues)
    else:
        rows = [eigenvalues]
    out = []
    for i, r in enumerate(rows):
        try:
            a = np.asarray(r, dtype=float)
        except (TypeError, ValueError):
            raise ValueError(f"{name} must be real numbers") from None
        if a.ndim != 1:
            raise ValueError(f"{name} must be a 1-D array of eigenvalues (or a list of them), got shape {a.shape}")
        bad = np.flatnonzero(~np.isfinite(a))
        if bad.size:
            where = f" (spectrum {i})" if len(rows) > 1 else ""
            raise ValueError(f"{name} must be finite (no NaN or inf): entry {bad[0]}{where} is {a[bad[0]]!r}")
        out.append(a)
    return out


def prepare(eigenvalues, *, drop_below=None, trim: float = 0.0):
    """Sort one spectrum, drop the atom and coincident levels, trim the edges.

    Returns ``(levels, dropped)``: the kept sorted levels and the number dropped as
    degenerate (|l| <= ``drop_below``, or equal to the previous level).  Trimming is not
    counted in ``dropped``.  Fewer than 3 distinct levels left is a ``ValueError``.
    """
    (a,) = _as_spectra(eigenvalues)
    trim = check_real("trim", trim, lower=0.0, upper=0.5, upper_open=True)
    a = np.sort(a)
    n0 = a.size
    if drop_below is not None:
        tol = check_real("drop_below", drop_below, lower=0.0)
        a = a[np.abs(a) > tol]
    if a.size:
        keep = np.concatenate([[True], np.diff(a) > 0])
        a = a[keep]
    dropped = n0 - a.size
    k = int(math.floor(trim * a.size))
    if k:
        a = a[k : a.size - k]
    if a.size < 3:
        raise ValueError(
            f"eigenvalues: need at least 3 distinct levels after dropping {dropped} degenerate "
            f"and trimming {2 * k}, got {a.size}"
        )
    return a, dropped


def spacing_ratios(eigenvalues, *, drop_below=None, trim: float = 0.0):
    """``(r, r_tilde)`` of one spectrum (after :func:`prepare`): r_n = s_n / s_{n-1}."""
    a, _ = prepare(eigenvalues, drop_below=drop_below, trim=trim)
    s = np.diff(a)
    r = s[1:] / s[:-1]
    return r, np.minimum(r, 1.0 / r)


def mean_with_stderr(values, batch: int = _BATCH):
    """Mean and batch-means standard error of a correlated 1-D sequence (or list of sequences).

    Each sequence (independent spectra are separate sequences) is cut into consecutive
    batches of about ``batch`` values (a short tail joins the previous batch; a sequence
    shorter than ``batch`` is one batch).  With batch sizes n_k, means m_k and overall mean
    m = sum n_k m_k / N, the variance of m is estimated by
    K / (K - 1) sum n_k^2 (m_k - m)^2 / N^2 (K batches).  With fewer than 8 batches the
    batch length is shortened (down to 1, the iid formula).
    """
    seqs = [np.asarray(v, dtype=float).ravel() for v in (values if isinstance(values, list) else [values])]
    seqs = [v for v in seqs if v.size]
    total = int(sum(v.size for v in seqs))
    if total < 2:
        raise ValueError(f"need at least 2 values for a standard error, got {total}")
    b = max(1, min(int(batch), total // 8))
    sums, sizes = [], []
    for v in seqs:
        m = max(1, v.size // b)
        edges = np.linspace(0, v.size, m + 1).round().astype(int)
        cs = np.concatenate([[0.0], np.cumsum(v)])
        sums.append(cs[edges[1:]] - cs[edges[:-1]])
        sizes.append(np.diff(edges))
    sums, sizes = np.concatenate(sums), np.concatenate(sizes).astype(float)
    mean = float(sums.sum() / total)
    k = sums.size
    if k < 2:
        raise ValueError("need at least 2 batches for a standard error")
    var = k / (k - 1) * float(np.sum((sums - sizes * mean) ** 2)) / total**2
    return mean, math.sqrt(var)


def ks_test(r_tilde, beta):
    """Kolmogorov-Smirnov test of r~ values against the surmise (beta = 1, 2, 4) or Poisson cdf.

    Uses every second value (see the module docstring).  Returns ``(statistic, p_value)``.
    """
    beta = surmise.check_beta(beta)
    seqs = r_tilde if isinstance(r_tilde, list) else [r_tilde]
    x = np.concatenate([np.asarray(v, dtype=float)[::2] for v in seqs])
    if x.size < 2:
        raise ValueError(f"r_tilde: need at least 2 values for a KS test, got {x.size}")
    res = stats.kstest(x, lambda t: surmise.r_tilde_cdf(t, beta))
    return float(res.statistic), float(res.pvalue)


def fit_beta(r_tilde, *, upper: float = 12.0):
    """Maximum-likelihood beta in [0, ``upper``] of r~ over the surmise family.

    The log-likelihood per value is beta <log(r + r^2)> - (1 + 3 beta/2) <log(1 + r + r^2)>
    - log Z_beta + log 2 (an exponential family in beta), maximised by bounded Brent search.
    Returns ``(beta_hat, stderr)``, the stderr from the Fisher information
    Var_beta[log(r + r^2) - 1.5 log(1 + r + r^2)] (independent-ratio approximation: an
    underestimate by the factor of the batch-means correction).  beta = 0 is a legitimate
    value (Poisson-like ratios give about 0); a maximum on the upper bound warns.
    """
    seqs = r_tilde if isinstance(r_tilde, list) else [r_tilde]
    x = np.concatenate([np.asarray(v, dtype=float) for v in seqs])
    x = x[x > 0]
    if x.size < 3:
        raise ValueError(f"r_tilde: need at least 3 positive values to fit beta, got {x.size}")
    s1 = float(np.mean(np.log(x + x * x)))
    s2 = float(np.mean(np.log1p(x + x * x)))

    def nll(b):
        return -(b * s1 - (1.0 + 1.5 * b) * s2 - math.log(surmise.normalisation(b)))

    res = optimize.minimize_scalar(nll, bounds=(0.0, upper), method="bounded", options={"xatol": 1e-7})
    b = float(res.x)
    if b > upper - 1e-4:
        warnings.warn(f"fit_beta: the maximum-likelihood beta is on the upper search bound {upper} (beta = {b:.4g})", stacklevel=2)
    h = 1e-3 * max(1.0, b)
    lo = max(b - h, 0.0)
    hi = lo + 2 * h
    mid = 0.5 * (lo + hi)
    # d^2 log Z / d beta^2 is the variance of the sufficient statistic; log Z is smooth in beta
    curv = (math.log(surmise.normalisation(hi)) - 2 * math.log(surmise.normalisation(mid)) + math.log(surmise.normalisation(lo))) / h**2
    se = 1.0 / math.sqrt(max(curv, 1e-300) * x.size)
    return b, se


@dataclasses.dataclass(frozen=True)
class RatioStatistics:
    """Spacing-ratio statistics of a spectrum (see :func:`ratio_statistics`)."""

    n: int  #: number of ratios
    mean_r_tilde: float
    stderr: float  #: batch-means standard error of mean_r_tilde
    beta_fit: float
    beta_fit_stderr: float
    ks_pvalue: dict  #: {"goe": p, "poisson": p}
    ks_statistic: dict
    dropped: int  #: degenerate levels dropped (atom, coincident levels)
    r_tilde: np.ndarray = dataclasses.field(repr=False)

    def as_dict(self) -> dict:
        return {
            "n": self.n,
            "mean_r_tilde": self.mean_r_tilde,
            "stderr": self.stderr,
            "beta_fit": self.beta_fit,
            "beta_fit_stderr": self.beta_fit_stderr,
            "ks_pvalue": dict(self.ks_pvalue),
            "ks_statistic": dict(self.ks_statistic),
            "dropped": self.dropped,
        }


def ratio_statistics(eigenvalues, *, drop_below=None, trim: float = 0.0) -> RatioStatistics:
    """Ratios of one spectrum or of several (pooled), with the mean r~, its standard error,
    KS p-values against GOE (the beta = 1 surmise) and Poisson, and the fitted beta."""
    seqs, dropped = [], 0
    for a in _as_spectra(eigenvalues):
        lv, d = prepare(a, drop_below=drop_below, trim=trim)
        dropped += d
        s = np.diff(lv)
        r = s[1:] / s[:-1]
        seqs.append(np.minimum(r, 1.0 / r))
    mean, se = mean_with_stderr(seqs)
    ks_goe = ks_test(seqs, 1)
    ks_poi = ks_test(seqs, "poisson")
    b, bse = fit_beta(seqs)
    return RatioStatistics(
        n=int(sum(s.size for s in seqs)),
        mean_r_tilde=mean,
        stderr=se,
        beta_fit=b,
        beta_fit_stderr=bse,
        ks_pvalue={"goe": ks_goe[1], "poisson": ks_poi[1]},
        ks_statistic={"goe": ks_goe[0], "poisson": ks_poi[0]},
        dropped=dropped,
        r_tilde=np.concatenate(seqs),
    )


def unfold(eigenvalues, *, measure=None, pool=None, degree=None, n=None):
    """Unfolded levels N F(l) of one sorted spectrum; exactly one of:

    * ``measure``: any object with ``.cdf(x)`` (a spectral measure of complexity.spectra);
      N = ``n`` (default: the number of levels given; pass the full matrix size when the
      atom or outliers were removed, since the measure's cdf counts them);
    * ``pool``: an array of eigenvalues pooled from many spectra of the same ensemble;
      F = the empirical cdf (k + 1/2)/M at the k-th pooled order statistic, linear in between
      (flat 0 / 1 beyond the pool's extremes);
    * ``degree``: a least-squares polynomial of this degree fitted to the staircase
      (l_k, k + 1/2), in the variable (l - mid) / half-width.
    """
    (a,) = _as_spectra(eigenvalues)
    a = np.sort(a)
    chosen = [x is not None for x in (measure, pool, degree)]
    if sum(chosen) != 1:
        raise ValueError("unfold: give exactly one of measure, pool, degree")
    size = a.size if n is None else check_int("n", n, minimum=1)
    if measure is not None:
        return size * np.asarray(measure.cdf(a), dtype=float)
    if pool is not None:
        p = np.sort(check_array("pool", np.ravel(np.asarray(pool, dtype=float))))
        if p.size < 2:
            raise ValueError(f"pool must hold at least 2 eigenvalues, got {p.size}")
        f = (np.arange(p.size) + 0.5) / p.size
        return size * np.interp(a, p, f, left=0.0, right=1.0)
    d = check_int("degree", degree, minimum=1, maximum=30)
    if a.size <= d + 1:
        raise ValueError(f"degree must be < number of levels - 1 = {a.size - 1}, got {d}")
    mid, half = 0.5 * (a[0] + a[-1]), 0.5 * (a[-1] - a[0])
    t = (a - mid) / (half if half > 0 else 1.0)
    fit = np.polynomial.Polynomial.fit(t, np.arange(a.size) + 0.5, d, domain=[-1, 1])
    return fit(t) * (size / a.size)


def spacings(unfolded, *, trim: float = 0.0):
    """Nearest-neighbour spacings of unfolded levels (sorted first), edges trimmed by ``trim``."""
    (u,) = _as_spectra(unfolded, "unfolded")
    u = np.sort(u)
    trim = check_real("trim", trim, lower=0.0, upper=0.5, upper_open=True)
    k = int(math.floor(trim * u.size))
    if k:
        u = u[k : u.size - k]
    if u.size < 2:
        raise ValueError("unfolded: need at least 2 levels")
    return np.diff(u)


def spacing_histogram(s, *, bins: int = 40, s_max: float = 4.0, beta=1):
    """Histogram of spacings on [0, s_max] (density normalised by all spacings) with the
    Wigner surmise at the bin centres.  Returns ``(centres, density, surmise_density)``."""
    s = check_array("s", s, lower=0.0)
    bins = check_int("bins", bins, minimum=1)
    s_max = check_real("s_max", s_max, lower=0.0, lower_open=True)
    counts, edges = np.histogram(s, bins=bins, range=(0.0, s_max))
    width = edges[1] - edges[0]
    dens = counts / (s.size * width)
    mid = 0.5 * (edges[1:] + edges[:-1])
    return mid, dens, surmise.wigner_surmise(mid, beta)
