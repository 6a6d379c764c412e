r"""Exact finite-N expected numbers of critical points of the pure spherical p-spin glass.

Model (Auffinger, Ben Arous and Cerny, CPAM 2013 -- "ABC")
----------------------------------------------------------
``H_N(sigma) = N^{-(p-1)/2} sum_{i_1..i_p} J_{i_1..i_p} sigma_{i_1}...sigma_{i_p}`` with
``J`` iid N(0, 1) over all ordered p-tuples, ``sigma`` on the sphere of radius
``sqrt(N)``; ``E[H(s) H(s')] = N (s.s'/N)^p``.  Energy per spin ``u = H/N``; the index
of a critical point is the number of negative eigenvalues of the Riemannian
Hessian (``0 <= k <= N - 1``).

Exact formula (ABC, Theorem 2.1 / eq. (2.5))
--------------------------------------------
With ``s = sqrt(p / (2(p-1)))``, ``a = N (p-2) / (2p)`` and ``lambda_0 <= ... <= lambda_{N-1}``
the eigenvalues of an N x N GOE in the ``"abc"`` scale (off-diagonal N(0, 1/(2N))):

    E Crt_{N,k}((-inf, u]) = 2 sqrt(2/p) (p-1)^{N/2} E[ exp(-a lambda_k^2) 1{lambda_k <= s u} ].

Summing over k turns the expectation into an integral against the exact
one-point density ``rho_N`` of GOE_N (normalised to 1):

    E Crt_N((-inf, u]) = 2 sqrt(2/p) (p-1)^{N/2} N int_{-inf}^{s u} exp(-a t^2) rho_N(t) dt.

Checks: N = 1 gives exactly 2 (the two points of S^0).  p = 2 gives
``2 P(lambda_k <= u)``: a quadratic form on the sphere has exactly two critical
points of each index (+-eigenvectors), and ``2N`` in total.

How it is evaluated
-------------------
* totals: composite Gauss-Legendre quadrature of ``exp(-a t^2) rho_N(t)`` with
  ``rho_N`` from :func:`complexity.rmt.goe_exact.goe_density` (relative accuracy
  ~1e-13 for N up to several hundred; p = 2 reproduces 2N to rounding);
* index-resolved, N <= 3: the same quadrature against the exact density of
  ``lambda_k`` (:func:`complexity.rmt.goe_exact.order_statistic_density`);
* index-resolved, N >= 4: Monte Carlo over seeded GOE_N samples, with the
  standard error of the mean.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from complexity._generated import kac_rice as G
from complexity._validate import check_int, check_p, check_real
from scipy.linalg import eigvalsh_tridiagonal

from complexity.rmt.goe import goe_eigenvalues
from complexity.rmt.goe_exact import gauss_legendre_panels, goe_density, order_statistic_density

__all__ = [
    "CountResult",
    "expected_count",
    "expected_counts_by_index",
    "monte_carlo_counts",
    "log_prefactor",
    "eigen_scale",
    "mc_max_n",
]

#: the largest N whose index-resolved counts are exact (order-statistic densities)
EXACT_INDEX_MAX_N = 3
_MC_CHUNK_ENTRIES = 4_000_000  # GOE entries per Monte Carlo batch (fixes the random stream)
_DENSE_MAX_N = 16  # above this, sample GOE spectra from the tridiagonal model


@dataclasses.dataclass(frozen=True)
class CountResult:
    """An expected number of critical points with its standard error.

    ``method`` is ``"exact"`` (quadrature; ``stderr`` is 0) or ``"monte-carlo"``.
    """

    expected: float
    stderr: float
    method: str

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


def eigen_scale(p: int) -> float:
    """``s = sqrt(p / (2(p-1)))``: the energy cut u becomes the GOE cut ``s u``."""
    return G.pspin_eigen_scale(float(check_p(p)))


def log_prefactor(p: int, n: int) -> float:
    """``log(2 sqrt(2/p) (p-1)^{N/2})``, the constant of ABC's exact formula."""
    p = check_p(p)
    n = check_int("n", n, minimum=1)
    return G.pspin_log_prefactor(float(n), float(p))


def _check_common(p, n, u, k):
    p = check_p(p)
    n = check_int("n", n, minimum=1)
    if u is not None:
        u = check_real("u", u)
    if k is not None:
        k = check_int("k", k, minimum=0, maximum=n - 1)
    return p, n, u, k


def _window(n: int, cut: float):
    """Integration interval [lo, hi] for an (abc-scale) GOE_n quantity cut at ``cut``.

    Beyond ``sqrt(2) + 12/sqrt(n)`` every GOE_n density is below ~e^{-60} of its
    bulk; below a far-left cut the integrand decays at least like e^{-n w^2/2}.
    """
    reach = math.sqrt(2.0) + 12.0 / math.sqrt(n)
    hi = min(cut, reach)
    lo = min(-reach, hi - 12.0 / math.sqrt(n))
    return lo, hi


def _scaled(logpref: float, integral: float, what: str) -> float:
    if integral < 0.0:
        raise FloatingPointError(f"{what}: negative quadrature value {integral!r}")
    if integral == 0.0:
        return 0.0
    lv = logpref + math.log(integral)
    if lv > 709.0:
        raise ValueError(f"{what}: the expected count exp({lv:.1f}) overflows a double; reduce n")
    return math.exp(lv)


def _exact_integral(p: int, n: int, cut: float, k: int | None) -> float:
    a = n * G.pspin_weight_rate(float(p))
    lo, hi = _window(n, cut)
    nodes, w = gauss_legendre_panels(lo, hi, min(0.25, 2.0 / n))
    if nodes.size == 0:
        return 0.0
    if k is None:
        dens = n * goe_density(nodes, n)
    else:
        dens = order_statistic_density(nodes, n, k)
    return float(np.sum(w * np.exp(-a * nodes * nodes) * dens))


def expected_count(p, n, u=None, k=None, *, samples: int = 20000, seed: int = 0) -> CountResult:
    r"""Expected number E Crt_{N,k}((-inf, u]) of critical points of the pure p-spin.

    ``u=None``: all energies; ``k=None``: all indices (then the result is exact for
    every N).  Index-resolved counts are exact for N <= 3 and Monte Carlo over
    ``samples`` seeded GOE_N matrices otherwise.  Formula: ABC (2013), see the
    module docstring.  Raises ``ValueError`` for p < 2, n < 1, k outside
    [0, n-1], non-finite u, samples < 2, and for a count that surely overflows a double
    (``N Theta > 759``).
    """
    p, n, u, k = _check_common(p, n, u, k)
    _check_representable(p, n, u, k)
    cut = math.inf if u is None else eigen_scale(p) * u
    lp = log_prefactor(p, n)
    if k is None or n <= EXACT_INDEX_MAX_N:
        val = _scaled(lp, _exact_integral(p, n, cut, k), "expected_count")
        return CountResult(val, 0.0, "exact")
    mean, se, _, _ = monte_carlo_counts(p, n, u, samples=samples, seed=seed, _strict=False)
    if not (math.isfinite(mean[k]) and math.isfinite(se[k])):
        raise ValueError(f"expected_count: the count at k = {k} overflows a double; reduce n")
    return CountResult(float(mean[k]), float(se[k]), "monte-carlo")


def expected_counts_by_index(p, n, u=None, *, samples: int = 20000, seed: int = 0) -> list[CountResult]:
    """``[expected_count(p, n, u, k) for k in range(n)]``, sharing one Monte Carlo run."""
    p, n, u, _ = _check_common(p, n, u, None)
    if n <= EXACT_INDEX_MAX_N:
        return [expected_count(p, n, u, k) for k in range(n)]
    mean, se, _, _ = monte_carlo_counts(p, n, u, samples=samples, seed=seed)
    return [CountResult(float(m), float(s), "monte-carlo") for m, s in zip(mean, se)]


def monte_carlo_counts(p, n, u=None, *, samples: int = 20000, seed: int = 0, _strict: bool = True):
    r"""Monte Carlo estimate of E Crt_{N,k}((-inf, u]) for every k at once.

    Averages ``2 sqrt(2/p) (p-1)^{N/2} exp(-a lambda_k^2) 1{lambda_k <= s u}`` over
    ``samples`` GOE_N ("abc") spectra drawn in fixed batches from
    ``numpy.random.SeedSequence(seed)`` (dense matrices for N <= 16, the
    Dumitriu-Edelman tridiagonal model above, which has the same eigenvalue law).  Returns ``(mean[k], stderr[k],
    total_mean, total_stderr)``; the total is the per-sample sum over k (so its
    error accounts for the correlations between indices).
    """
    p, n, u, _ = _check_common(p, n, u, None)
    samples = check_int("samples", samples, minimum=2)
    seed = check_int("seed", seed, minimum=0)
    a = n * G.pspin_weight_rate(float(p))
    if 4.0 * a > _MC_WEIGHT_LOG_MIN:
        raise ValueError(f"n = {n}: the squared Monte Carlo weights exp(-2 a lambda^2), a = N (p-2)/(2p) = {a:.4g}, "
                         f"underflow a double near the spectral edge lambda^2 = 2; index-resolved counts need "
                         f"n <= {mc_max_n(p)} for p = {p}")
    cut = math.inf if u is None else eigen_scale(p) * u
    chunk = max(1, _MC_CHUNK_ENTRIES // (n * n))
    nchunks = -(-samples // chunk)
    children = np.random.SeedSequence(seed).spawn(nchunks)
    s1 = np.zeros(n)
    s2 = np.zeros(n)
    t1 = 0.0
    t2 = 0.0
    done = 0
    for child in children:
        m = min(chunk, samples - done)
        lam = _goe_spectra(n, m, child)
        w = np.where(lam <= cut, np.exp(-a * lam * lam), 0.0)
        s1 += w.sum(axis=0)
        s2 += (w * w).sum(axis=0)
        tot = w.sum(axis=1)
        t1 += tot.sum()
        t2 += (tot * tot).sum()
        done += m
    lp = log_prefactor(p, n)  # the prefactor itself may overflow a double (e.g. p = 3, N > 2046)
    mean = s1 / samples
    var = np.maximum(s2 / samples - mean * mean, 0.0) * samples / (samples - 1)
    tmean = t1 / samples
    tvar = max(t2 / samples - tmean * tmean, 0.0) * samples / (samples - 1)
    out = (_times_exp(mean, lp), _times_exp(np.sqrt(var / samples), lp), float(_times_exp(tmean, lp)),
           float(_times_exp(math.sqrt(tvar / samples), lp)))
    if _strict and not (np.all(np.isfinite(out[0])) and np.all(np.isfinite(out[1])) and math.isfinite(out[2])):
        raise ValueError("monte_carlo_counts: the expected count overflows a double; reduce n")
    return out


def _times_exp(x, log_factor: float):
    """``x * exp(log_factor)`` for x >= 0 without overflowing the factor alone (inf only if the product does)."""
    x = np.asarray(x, dtype=float)
    with np.errstate(divide="ignore", over="ignore"):
        return np.where(x > 0, np.exp(np.log(np.where(x > 0, x, 1.0)) + log_factor), 0.0)


#: -log of the smallest squared weight exp(-2 a lambda^2) at the edge lambda^2 = 2 (a double
#: reaches e^-708; the standard error needs the squares)
_MC_WEIGHT_LOG_MIN = 690.0


def mc_max_n(p: int) -> int:
    """The largest N whose squared Monte Carlo weights exp(-2 a lambda^2), a = N (p-2)/(2p), stay
    above e^-690 at the spectral edge lambda^2 = 2 (4 a <= 690)."""
    p = check_p(p)
    return 10**18 if p == 2 else int(_MC_WEIGHT_LOG_MIN * p / (2 * (p - 2)))


#: the largest log of a double
_LOG_DOUBLE_MAX = math.log(np.finfo(float).max)


def _check_representable(p: int, n: int, u, k) -> None:
    """Refuse up front a count that surely overflows a double: E Crt_N = exp(N Theta + O(log N)),
    with Theta = Theta_p(u) (or Theta_{k,p}(u)); refused when N Theta exceeds the double range by
    more than 50 (the O(log N) corrections are a few units for N up to 1e4)."""
    from complexity.models.pspin import theta

    try:
        th = theta(1e300 if u is None else u, p, k)
    except ValueError:  # Theta below the double range: the count is 0 to a double's precision
        return
    if n * th > _LOG_DOUBLE_MAX + 50.0:
        raise ValueError(f"n = {n}: the expected count is about exp(N Theta) = exp({n * th:.4g}), beyond a "
                         f"double (exp(709.8)); choose n <= {int(_LOG_DOUBLE_MAX / th)} for p = {p}")


def _goe_spectra(n: int, m: int, seed) -> np.ndarray:
    """Sorted eigenvalues of m GOE_n ("abc") matrices, shape (m, n).

    For n > 16: Dumitriu-Edelman (J. Math. Phys. 2002) tridiagonal model, whose
    eigenvalues have exactly the GOE law: diagonal N(0, 1), off-diagonal
    chi_{n-1}, ..., chi_1 divided by sqrt 2, all divided by sqrt(n) for the abc
    scale.  O(n^2) per sample and free of threaded-BLAS overheads.
    """
    if n <= _DENSE_MAX_N:
        return goe_eigenvalues(n, m, seed=seed)
    rng = np.random.default_rng(seed)
    diag = rng.standard_normal((m, n))
    off = np.sqrt(rng.chisquare(np.arange(n - 1, 0, -1, dtype=float), size=(m, n - 1)) / 2.0)
    root = 1.0 / math.sqrt(n)
    out = np.empty((m, n))
    for i in range(m):
        out[i] = eigvalsh_tridiagonal(diag[i] * root, off[i] * root, check_finite=False)
    return out
