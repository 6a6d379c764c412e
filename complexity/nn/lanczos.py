"""Lanczos with full reorthogonalisation, and stochastic Lanczos quadrature (SLQ).

Pure numpy over a matrix-vector product ``matvec`` of a symmetric operator H of
dimension n (for networks: :func:`complexity.nn.hessian.hvp_operator`).

Lanczos (Golub and Van Loan, Matrix Computations, 4th ed., Alg. 10.1.1) from a
unit vector q_1 builds an orthonormal basis Q_k of the Krylov space and the
tridiagonal T_k = Q_k^T H Q_k (diagonal alpha, off-diagonal beta).  Every new
vector is reorthogonalised against all previous ones twice (classical Gram-Schmidt,
"twice is enough"), so the Ritz values (eigenvalues theta_j of T_k) carry no ghost
copies.  The residual of the Ritz pair j is |beta_k s_{kj}| (s_j the eigenvector of
T_k): a computable bound on the distance from theta_j to the spectrum of H.  If
beta_j falls below ``tol * ||T||`` the Krylov space is invariant and the run stops
early: its Ritz values are then exact eigenvalues.

SLQ (Golub and Meurant; Lin, Saad and Yang, SIAM Rev. 58 (2016); used for network
Hessians by Ghorbani, Krishnan and Xiao 2019 and Papyan 2019): for a unit probe v,
the Gauss quadrature with nodes theta_j and weights w_j = s_{1j}^2 satisfies
v^T f(H) v ~ sum_j w_j f(theta_j), exactly for polynomials f of degree <= 2k - 1.
With Rademacher probes v = z / sqrt(n) (z_i = +-1), E[v^T H^m v] = tr(H^m) / n, so the
average of the probes' quadratures is an unbiased estimate of the spectral density's
moments; its Monte Carlo error is estimated from the spread over probes.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy.linalg import eigh_tridiagonal

from complexity._validate import check_int

__all__ = ["lanczos", "ritz", "lanczos_extremes", "warn_unconverged", "slq", "slq_moments", "slq_density"]


def lanczos(matvec, n: int, steps: int, *, v0=None, seed: int | None = 0, tol: float = 1e-12):
    """``(alpha, beta, Q, beta_next)``: k <= ``steps`` Lanczos steps from ``v0`` (default: seeded Rademacher).

    ``alpha`` (k), ``beta`` (k - 1) define T_k; ``Q`` (k x n) the orthonormal Lanczos
    vectors; ``beta_next`` the norm of the residual after the last step (0 up to
    rounding when the Krylov space is invariant).
    """
    n = check_int("n", n, minimum=1)
    steps = check_int("steps", steps, minimum=1)
    k_max = min(steps, n)
    if v0 is None:
        v0 = np.random.default_rng(seed).choice([-1.0, 1.0], size=n)
    q = np.asarray(v0, dtype=np.float64).reshape(-1)
    if q.shape != (n,) or not np.all(np.isfinite(q)) or not np.any(q):
        raise ValueError(f"v0 must be a finite nonzero vector of length n = {n}")
    Q = np.empty((k_max, n))
    Q[0] = q / np.linalg.norm(q)
    alpha, beta = [], []
    scale = 0.0
    b = 0.0
    for j in range(k_max):
        w = np.array(matvec(Q[j]), dtype=np.float64).reshape(-1)  # a writable copy
        if w.shape != (n,) or not np.all(np.isfinite(w)):
            raise ValueError(f"matvec returned a non-finite or misshaped vector at Lanczos step {j}")
        a = float(Q[j] @ w)
        alpha.append(a)
        for _ in range(2):  # full reorthogonalisation, twice
            w -= Q[: j + 1].T @ (Q[: j + 1] @ w)
        b = float(np.linalg.norm(w))
        scale = max(scale, abs(a), b)
        if j == k_max - 1:
            break
        if b <= tol * max(scale, 1e-300):
            break  # invariant Krylov space: the Ritz values are exact
        beta.append(b)
        Q[j + 1] = w / b
    k = len(alpha)
    return np.asarray(alpha), np.asarray(beta), Q[:k], b


def ritz(alpha, beta):
    """Ritz values (ascending) and the eigenvectors of the tridiagonal T (columns)."""
    alpha = np.asarray(alpha, dtype=np.float64)
    beta = np.asarray(beta, dtype=np.float64)
    if alpha.size == 1:
        return alpha.copy(), np.ones((1, 1))
    return eigh_tridiagonal(alpha, beta)


def warn_unconverged(ritz_values, residuals, rtol: float = 1e-6, where: str = "Lanczos") -> None:
    """Warn when the extreme Ritz values' residual bounds exceed ``rtol * max |theta|``."""
    scale = float(np.max(np.abs(ritz_values)))
    for name, i in (("largest", -1), ("smallest", 0)):
        if residuals[i] > rtol * scale:
            warnings.warn(
                f"{where}: the {name} Ritz value {ritz_values[i]:.6g} has not converged to {rtol:g} relative "
                f"(residual bound {residuals[i]:.2e}); use more steps",
                stacklevel=3,
            )


def lanczos_extremes(matvec, n: int, steps: int, *, seed: int | None = 0, v0=None) -> dict:
    """Ritz values of one Lanczos run, with residual bounds ``|beta_k s_kj|``.

    Returns ``{"ritz": theta (ascending), "residual": bound per Ritz value (floored at the
    rounding level eps * max |theta|), "steps": k, "weights": s_1j^2}``.
    """
    alpha, beta, Q, b_next = lanczos(matvec, n, steps, v0=v0, seed=seed)
    theta, S = ritz(alpha, beta)
    k = alpha.size
    # residual of Ritz pair j: || H y_j - theta_j y_j || = beta_next |S_kj|
    if k == n:
        b_next = 0.0
    floor = np.finfo(np.float64).eps * np.max(np.abs(theta))  # rounding level of the Ritz values
    resid = np.maximum(np.abs(b_next * S[-1, :]), floor)
    warn_unconverged(theta, resid, where=f"Lanczos ({k} steps)")
    return {"ritz": theta, "residual": resid, "steps": k, "weights": S[0, :] ** 2}


def slq(matvec, n: int, steps: int, probes: int = 1, *, seed: int = 0, return_residuals: bool = False):
    """Stochastic Lanczos quadrature: ``(nodes, weights)``, each of shape ``(probes, steps)``.

    Row r holds the Gauss quadrature of probe r (nodes ascending, weights summing
    to 1).  A run that ends early (invariant Krylov space) is padded by repeating
    its largest node with weight 0, so every row has ``steps`` entries.  With
    ``return_residuals`` a third array gives each node's Ritz residual bound and a fourth
    the number of genuine steps of each probe (entries past it are padding).
    """
    probes = check_int("probes", probes, minimum=1)
    steps = check_int("steps", steps, minimum=1)
    rng = np.random.default_rng(check_int("seed", seed, minimum=0))
    k_max = min(steps, n)
    nodes = np.empty((probes, k_max))
    weights = np.zeros((probes, k_max))
    resid = np.zeros((probes, k_max))
    ks = np.zeros(probes, dtype=int)
    for r in range(probes):
        z = rng.choice([-1.0, 1.0], size=n)
        alpha, beta, _, b_next = lanczos(matvec, n, k_max, v0=z)
        theta, S = ritz(alpha, beta)
        k = theta.size
        nodes[r, :k] = theta
        nodes[r, k:] = theta[-1]
        weights[r, :k] = S[0, :] ** 2
        ks[r] = k
        floor = np.finfo(np.float64).eps * np.max(np.abs(theta))
        resid[r, :k] = np.maximum(np.abs((b_next if k < n else 0.0) * S[-1, :]), floor)
    return (nodes, weights, resid, ks) if return_residuals else (nodes, weights)


def slq_moments(nodes, weights, kmax: int):
    """``(mean, stderr)`` of the SLQ estimates of m_j = tr(H^j) / n, j = 1..kmax.

    Exact per probe for j <= 2 * steps - 1; ``stderr`` is the standard deviation over
    probes divided by sqrt(probes) (zero with a single probe: no error estimate).
    """
    nodes = np.atleast_2d(np.asarray(nodes, dtype=np.float64))
    weights = np.atleast_2d(np.asarray(weights, dtype=np.float64))
    kmax = check_int("kmax", kmax, minimum=1)
    if kmax > 2 * nodes.shape[1] - 1:
        warnings.warn(
            f"slq_moments: moments above 2*steps-1 = {2 * nodes.shape[1] - 1} are not exact per probe", stacklevel=2
        )
    per = np.stack([(weights * nodes**j).sum(axis=1) for j in range(1, kmax + 1)], axis=1)
    r = per.shape[0]
    se = per.std(axis=0, ddof=1) / np.sqrt(r) if r > 1 else np.zeros(kmax)
    return per.mean(axis=0), se


def slq_density(nodes, weights, x, sigma: float):
    """The SLQ density broadened by Gaussians of width ``sigma``:
    the mean over probes of sum_j w_j N(x; theta_j, sigma^2)."""
    if not sigma > 0:
        raise ValueError(f"sigma must be > 0, got {sigma!r}")
    nodes = np.atleast_2d(nodes).ravel()
    weights = np.atleast_2d(weights)
    w = weights.ravel() / weights.shape[0]
    x = np.asarray(x, dtype=np.float64)
    g = np.exp(-0.5 * ((x[..., None] - nodes) / sigma) ** 2) / (sigma * np.sqrt(2 * np.pi))
    return g @ w
