r"""Finite-N Kac-Rice expectation for the coupled (GAN) spherical spin glass ("derived" convention).

Model (docs/gan_finite.md, docs/gan_model.md)
---------------------------------------------
* ``w_D`` on ``S^{N_D-1}(sqrt N_D)``, ``w_G`` on ``S^{N_G-1}(sqrt N_G)``; ``N = N_D + N_G``,
  ``kappa = N_D/N``, ``P = p + q``.
* ``l^D(w_D) = N_D^{-(p-1)/2} sum_{i_1..i_p in [N_D]} X_{i_1..i_p} w_{D,i_1}...w_{D,i_p}``,
  X iid N(0,1) (full tensor): ``E[l^D(w) l^D(w')] = N_D (w.w'/N_D)^p``.
* ``l^G(w) = N^{-(P-1)/2} sum_{i_1..i_P in [N]} Z_{i_1..i_P} w_{i_1}...w_{i_P}`` on the joined
  vector ``w = (w_D, w_G)`` (``|w|^2 = N``), Z iid N(0,1): ``E[l^G(w) l^G(w')] = N (w.w'/N)^P``.
* ``L^D = l^D - sigma_z l^G``, ``L^G = sigma_z l^G``; ``u_D = L^D/N``, ``u_G = L^G/N``.
* A critical point of the game: ``grad_D L^D = 0`` (Riemannian, in w_D on D's sphere) and
  ``grad_G L^G = 0`` (in w_G on G's sphere).  ``k_D`` / ``k_G``: numbers of negative
  eigenvalues of the Riemannian Hessian of L^D in w_D / of L^G in w_G.

Kac-Rice formula (exact at every N_D, N_G >= 1)
-----------------------------------------------
::

    E #{crit. pts with u_D <= U_D, u_G <= U_G, indices (k_D, k_G)}
      = Vol(S^{N_D-1}(sqrt N_D)) Vol(S^{N_G-1}(sqrt N_G))
        (2 pi (p + sigma_z^2 P))^{-(N_D-1)/2} (2 pi sigma_z^2 P)^{-(N_G-1)/2}
        E[ |det H| 1{(l^D - sigma_z l^G)/N <= U_D, sigma_z l^G/N <= U_G}
                   1{#pos. eig(H_DD) = k_D, #neg. eig(H_GG) = k_G} ],

``Vol(S^{n-1}(sqrt n)) = 2 pi^{n/2} n^{(n-1)/2} / Gamma(n/2)``, and the (N-2) x (N-2) matrix

    H = sigma_z sqrt(2P(P-1)) M + sqrt(2p(p-1)) (M1 (+) 0_{N_G-1}) + diag(s_D I_{N_D-1}, s_G I_{N_G-1}),

M ~ GOE_{N-2} normalised by N (off-diagonal variance 1/(2N), diagonal 1/N), M1 ~ GOE_{N_D-1}
normalised by N_D, ``s_D = (p l^D - sigma_z R_D)/N_D``, ``s_G = -sigma_z R_G/N_G``,
``R_X = w_X . grad_X l^G`` (``R_D + R_G = P l^G``).  Scalars: ``l^D ~ N(0, N_D)`` independent
of ``(l^G, R_G)``; ``Var l^G = N``, ``Cov(l^G, R_G) = P N_G``, ``Var R_G = P(P-1) N_G^2/N + P N_G``.

H is the Jacobian ``J = [[Hess_D L^D, -sigma_z C], [sigma_z C^T, Hess_G L^G]]`` of the game
vector field with its D block-row negated: ``det J = (-1)^{N_D-1} det H``.  Its D block is
``-Hess_D L^D`` (the sign of the M1 term is immaterial in law), so ``k_D`` is the number of
*positive* eigenvalues of ``H_DD`` and ``k_G`` the number of *negative* eigenvalues of ``H_GG``.
Replacing ``|det H|`` by ``det J`` gives the Poincare-Hopf sum, whose expectation (no cut) is
exactly ``chi(S^{N_D-1} x S^{N_G-1}) = (1 + (-1)^{N_D-1})(1 + (-1)^{N_G-1})``.

N_X = 1: ``S^0(1) = {+1, -1}``, two points with counting measure (``Vol = 2`` from the same
formula), tangent space of dimension 0: that player's gradient condition is empty and its
index is 0.  The formula stays exact (both N_D = N_G = 1: exactly 4 critical points).

Source: derived in this project (docs/gan_model.md; ``complexity/symbolic/gan.py``); the
finite-N expectation is evaluated here by plain Monte Carlo over the scalars and matrices, the
matrices in a reduced form with the same law of ``(det H, k_D, k_G)`` (:func:`sample_reduced`).
"""

from __future__ import annotations

import dataclasses
import math

import numba
import numpy as np

from complexity._validate import check_int, check_p, check_real
from complexity.models.pspin_finite import CountResult

__all__ = [
    "GanCountResult",
    "gan_kac_rice_expectation",
    "gan_log_prefactor",
    "sphere_log_volume",
    "euler_characteristic",
    "scalar_covariance",
    "check_gan_parameters",
    "leading_order",
    "finite_n_rate",
]

#: the largest N_D, N_G accepted (the count grows exponentially; beyond this a double overflows)
MAX_N = 200
_CHUNK_ENTRIES = 500_000  # (N - 2)^2 times the draws per Monte Carlo batch (fixes the random stream)


@dataclasses.dataclass(frozen=True)
class GanCountResult:
    """Kac-Rice expected counts of the game's critical points, each with its Monte Carlo error.

    ``per_index[k_D][k_G]`` (0 <= k_D <= N_D - 1, 0 <= k_G <= N_G - 1); empty when the count
    was asked for the total only (``indices=False``).
    ``euler``: expectation of ``sum sign det J`` over the counted points (no cut: exactly
    ``chi``, the Euler characteristic of the product of spheres).
    """

    p: int
    q: int
    sigma_z: float
    n_d: int
    n_g: int
    u_d: float | None
    u_g: float | None
    samples: int
    seed: int
    total: CountResult
    per_index: tuple
    euler: CountResult
    chi: int
    log_prefactor: float

    def expected_matrix(self) -> np.ndarray:
        return np.array([[c.expected for c in row] for row in self.per_index])

    def stderr_matrix(self) -> np.ndarray:
        return np.array([[c.stderr for c in row] for row in self.per_index])

    def as_dict(self) -> dict:
        return {
            "p": self.p,
            "q": self.q,
            "sigma_z": self.sigma_z,
            "n_d": self.n_d,
            "n_g": self.n_g,
            "u_d": self.u_d,
            "u_g": self.u_g,
            "samples": self.samples,
            "seed": self.seed,
            "total": self.total.as_dict(),
            "per_index": [
                {"k_d": kd, "k_g": kg, **c.as_dict()}
                for kd, row in enumerate(self.per_index)
                for kg, c in enumerate(row)
            ],
            "euler": self.euler.as_dict(),
            "chi": self.chi,
            "log_prefactor": self.log_prefactor,
        }


def check_gan_parameters(p, q, sigma_z, n_d, n_g):
    """Validate (p, q, sigma_z, n_d, n_g): integers p, q >= 2 with p + q <= 50, sigma_z in
    [1e-6, 1e4] (the domain of :class:`complexity.models.gan.GanModel`, whose Theta the leading
    order uses; below, sigma_z^2 underflows in the Kac-Rice weights), 1 <= n_d, n_g <= MAX_N."""
    from complexity.models.gan import REFERENCE_P_PLUS_Q_MAX as P_PLUS_Q_MAX, SIGMA_Z_RANGE

    p = check_p(p, "p")
    q = check_p(q, "q")
    if p + q > P_PLUS_Q_MAX:
        raise ValueError(f"p + q must be <= {P_PLUS_Q_MAX}, got p = {p}, q = {q}")
    sigma_z = check_real("sigma_z", sigma_z, lower=SIGMA_Z_RANGE[0], upper=SIGMA_Z_RANGE[1])
    n_d = check_int("n_d", n_d, minimum=1, maximum=MAX_N)
    n_g = check_int("n_g", n_g, minimum=1, maximum=MAX_N)
    return p, q, sigma_z, n_d, n_g


def sphere_log_volume(n: int) -> float:
    """``log Vol(S^{n-1}(sqrt n)) = log(2 pi^{n/2} n^{(n-1)/2} / Gamma(n/2))`` (n = 1: log 2)."""
    n = check_int("n", n, minimum=1)
    return math.log(2.0) + 0.5 * n * math.log(math.pi) + 0.5 * (n - 1) * math.log(n) - math.lgamma(0.5 * n)


def gan_log_prefactor(p, q, sigma_z, n_d, n_g) -> float:
    """Log of ``Vol_D Vol_G (2 pi (p + sigma_z^2 P))^{-(N_D-1)/2} (2 pi sigma_z^2 P)^{-(N_G-1)/2}``.

    The last two factors are the density at 0 of the two independent Riemannian gradients
    ``grad_D L^D`` (per-component variance ``p + sigma_z^2 P``) and ``grad_G L^G`` (``sigma_z^2 P``).
    """
    p, q, sigma_z, n_d, n_g = check_gan_parameters(p, q, sigma_z, n_d, n_g)
    big = p + q
    s2 = sigma_z * sigma_z
    return (
        sphere_log_volume(n_d)
        + sphere_log_volume(n_g)
        - 0.5 * (n_d - 1) * math.log(2 * math.pi * (p + s2 * big))
        - 0.5 * (n_g - 1) * math.log(2 * math.pi * s2 * big)
    )


def euler_characteristic(n_d: int, n_g: int) -> int:
    """``chi(S^{N_D-1} x S^{N_G-1}) = (1 + (-1)^{N_D-1}) (1 + (-1)^{N_G-1})``."""
    n_d = check_int("n_d", n_d, minimum=1)
    n_g = check_int("n_g", n_g, minimum=1)
    return (1 + (-1) ** (n_d - 1)) * (1 + (-1) ** (n_g - 1))


def scalar_covariance(p, q, n_d, n_g) -> np.ndarray:
    """Covariance of ``(l^D, l^G, R_G)`` at one point (R_G = w_G . grad_G l^G).

    ``[[N_D, 0, 0], [0, N, P N_G], [0, P N_G, P(P-1) N_G^2/N + P N_G]]``: from
    ``E[l^G(w) l^G(w')] = N (w.w'/N)^P`` by differentiating in w_G along w_G on both sides.
    """
    p = check_p(p, "p")
    q = check_p(q, "q")
    n_d = check_int("n_d", n_d, minimum=1)
    n_g = check_int("n_g", n_g, minimum=1)
    big = p + q
    n = n_d + n_g
    return np.array(
        [
            [float(n_d), 0.0, 0.0],
            [0.0, float(n), big * n_g],
            [0.0, big * n_g, big * (big - 1) * n_g * n_g / n + big * n_g],
        ]
    )


@numba.njit(cache=True)
def _fill_symmetric(z, dd, sd_dd, sd_off, out):
    """out[k] symmetric from the upper triangles z[k] (row-major, diagonal included) of
    standard normals: off-diagonal standard deviation ``sd_dd`` inside the leading dd x dd block,
    ``sd_off`` elsewhere; every diagonal entry sqrt 2 times its block's (a GOE's profile)."""
    m, dim = out.shape[0], out.shape[1]
    r2 = math.sqrt(2.0)
    for k in range(m):
        t = 0
        for i in range(dim):
            for j in range(i, dim):
                v = z[k, t] * (sd_dd if j < dd else sd_off)
                t += 1
                if i == j:
                    out[k, i, i] = v * r2
                else:
                    out[k, i, j] = v
                    out[k, j, i] = v


def _draw_scalars(p, q, sigma_z, n_d, n_g, m, rng, tilt, cuts):
    """m draws of the scalars ``(l^D, l^G, R_G)``, the diagonal shifts ``(s_D, s_G)`` of H and
    ``log_ratio`` (see :func:`sample_hessians`); the first draws of each batch's stream."""
    big = p + q
    n = n_d + n_g
    sd_e = math.sqrt(big * n_d * n_g / n)
    xi = rng.standard_normal((3, m))
    log_ratio = np.zeros(m)
    if tilt is not None:
        a, v, r = (float(t) for t in tilt[:3])
        lam_d, lam_g = (float(t) for t in tilt[3:]) if len(tilt) == 5 else (0.0, 0.0)
        mu = np.array([n * a / math.sqrt(n_d), n * v / math.sqrt(n), (n * r - big * n_g * v) / sd_e])
        xi += mu[:, None]
        # Gaussian coordinates: log phi(xi) - log phi(xi - mu)
        log_ratio = -(mu[2] * xi[2]) + 0.5 * mu[2] ** 2
        expo_g = lam_g > 0 and cuts[1] is not None
        expo_d = lam_d > 0 and cuts[0] is not None
        if expo_g:  # u_G = sigma_z l^G / N = sigma_z xi_1 / sqrt N
            rate = n * lam_g
            y = rng.exponential(1.0 / rate, m)
            xi[1] = (cuts[1] - y) * math.sqrt(n) / sigma_z
            # log phi(xi_1) - log(rate e^{-rate y} |dy/dxi_1|), |dy/dxi_1| = sigma_z / sqrt N
            log_ratio += -0.5 * xi[1] ** 2 - 0.5 * math.log(2 * math.pi) - math.log(rate) + rate * y \
                - math.log(sigma_z / math.sqrt(n))
        else:
            log_ratio += -(mu[1] * xi[1]) + 0.5 * mu[1] ** 2
        if expo_d:  # u_D = (l^D - sigma_z l^G) / N = (sqrt(N_D) xi_0 - sigma_z sqrt(N) xi_1) / N
            rate = n * lam_d
            y = rng.exponential(1.0 / rate, m)
            xi[0] = ((cuts[0] - y) * n + sigma_z * math.sqrt(n) * xi[1]) / math.sqrt(n_d)
            log_ratio += -0.5 * xi[0] ** 2 - 0.5 * math.log(2 * math.pi) - math.log(rate) + rate * y \
                - math.log(math.sqrt(n_d) / n)
        else:
            log_ratio += -(mu[0] * xi[0]) + 0.5 * mu[0] ** 2
    l_d = xi[0] * math.sqrt(n_d)
    l_g = xi[1] * math.sqrt(n)
    # R_G = (P N_G / N) l^G + e, Var e = P N_D N_G / N
    r_g = (big * n_g / n) * l_g + xi[2] * sd_e
    r_d = big * l_g - r_g
    s_d = (p * l_d - sigma_z * r_d) / n_d
    s_g = -sigma_z * r_g / n_g
    return l_d, l_g, r_g, s_d, s_g, log_ratio


def _block_scales(p, q, sigma_z, n_d, n_g):
    """Off-diagonal standard deviations of H: inside the D block and everywhere else.

    ``sigma_z sqrt(2P(P-1)) M + sqrt(2p(p-1)) (M1 (+) 0)``: the two independent GOE parts of the
    D block add their variances, so H is one Gaussian symmetric matrix with the off-diagonal
    variance ``2P(P-1) sigma_z^2 / (2N) + 2p(p-1) / (2 N_D)`` in the D block and
    ``2P(P-1) sigma_z^2 / (2N)`` elsewhere (each diagonal entry twice its block's)."""
    big = p + q
    n = n_d + n_g
    var_off = sigma_z**2 * big * (big - 1) / n
    sd_dd = math.sqrt(var_off + (p * (p - 1) / n_d if n_d > 1 else 0.0))
    return sd_dd, math.sqrt(var_off)


def sample_hessians(p, q, sigma_z, n_d, n_g, m, rng, tilt=None, cuts=(None, None)):
    """m draws of ``(H, l^D, l^G, R_G, log_ratio)`` from the finite-N Kac-Rice ensemble (see module
    docstring): the matrices themselves, entry by entry (:func:`gan_kac_rice_expectation` draws
    the same law of ``(det H, k_D, k_G)`` from a reduced form, :func:`sample_reduced`).

    ``tilt = (a, v, r)``: draw the scalars with their means moved to ``(l^D, l^G, R_G) = N (a, v, r)``
    (same covariance) for importance sampling; ``log_ratio`` is the log likelihood ratio
    ``log dP/dP_tilt`` of each draw (zeros without a tilt).

    ``tilt = (a, v, r, lam_d, lam_g)`` with ``cuts = (u_d, u_g)``: where ``lam_X > 0`` the loss
    ``u_X`` is drawn *below its cut*, ``u_X = cut_X - Y``, ``Y ~ Exp(N lam_X)``, instead of from a
    Gaussian: at a maximum of the exponent on a cut the integrand decays like
    ``exp(-N lam_X (cut_X - u_X))`` into the set (``lam_X = dTheta/du_X``), and a Gaussian
    centred on the cut gives weights spread by ``exp(O(sqrt N))`` (an effective sample size of
    a few dozen in 10^4 at N = 32).  The other scalars stay Gaussian (centred as above); every
    draw has its exact likelihood ratio, so the expectation does not depend on the proposal.
    """
    dd, dg = n_d - 1, n_g - 1
    l_d, l_g, r_g, s_d, s_g, log_ratio = _draw_scalars(p, q, sigma_z, n_d, n_g, m, rng, tilt, cuts)
    dim = dd + dg
    sd_dd, sd_off = _block_scales(p, q, sigma_z, n_d, n_g)
    z, h = np.empty((m, dim * (dim + 1) // 2)), np.empty((m, dim, dim))
    _normals(rng, z, 1.0)  # the same normals as rng.standard_normal((m, dim (dim + 1) / 2))
    _fill_symmetric(z, dd, sd_dd, sd_off, h)
    if dd > 0:
        idx = np.arange(dd)
        h[:, idx, idx] += s_d[:, None]
    if dg > 0:
        idx = np.arange(dd, dd + dg)
        h[:, idx, idx] += s_g[:, None]
    return h, l_d, l_g, r_g, log_ratio


@numba.njit(cache=True, inline="always")
def _sturm_negatives(diag, off, shift, r, n):
    """Number of negative eigenvalues of the symmetric tridiagonal ``tridiag(diag[r] + shift,
    off[r])`` of order n: the signs of the pivots of its LDL^T (Sylvester's law of inertia),
    a zero pivot replaced by a tiny one."""
    count = 0
    piv = 1.0
    for i in range(n):
        e2 = off[r, i - 1] * off[r, i - 1] if i > 0 else 0.0
        piv = diag[r, i] + shift - e2 / piv
        if piv == 0.0:
            piv = -1e-300
        if piv < 0.0:
            count += 1
    return count


@numba.njit(cache=True)
def _reduced_schur(k_diag, k_off, e_diag, e_off, s_k, s_e, b, x, sign, logabs, neg_k, neg_e, singular):
    """Per draw r of the reduced form ``[[T_K + s_K, B], [B^T, T_E + s_E]]`` (T tridiagonal,
    ``B^T = b[r]`` of shape E x K): ``x[r] = (T_E + s_E)^{-1} B^T`` (E x K), the sign and log|.|
    of ``det(T_E + s_E)``, and the numbers of negative eigenvalues of ``T_K + s_K`` and
    ``T_E + s_E`` (Sturm counts).

    ``T_E + s_E`` is factorised by Gaussian elimination with partial pivoting (row
    interchanges of neighbours: U has two superdiagonals); ``singular[r] = 1`` where a pivot
    is exactly zero (probability zero; the caller then takes the determinant of the assembled
    matrix).  The Schur complement ``T_K + s_K - B x[r]`` is the caller's (a batched product).
    """
    m = x.shape[0]
    ne, nk = x.shape[1], x.shape[2]
    d = np.empty(ne)
    dl = np.empty(max(ne - 1, 0))
    du = np.empty(max(ne - 1, 0))
    du2 = np.empty(max(ne - 2, 0))
    swap = np.empty(max(ne - 1, 0), dtype=np.bool_)
    for r in range(m):
        neg_k[r] = _sturm_negatives(k_diag, k_off, s_k[r], r, nk)
        neg_e[r] = _sturm_negatives(e_diag, e_off, s_e[r], r, ne)
        singular[r] = 0
        for i in range(ne):
            d[i] = e_diag[r, i] + s_e[r]
        for i in range(ne - 1):
            dl[i] = e_off[r, i]
            du[i] = e_off[r, i]
        for i in range(ne - 1):
            if i < ne - 2:
                du2[i] = 0.0
            if abs(d[i]) >= abs(dl[i]):
                swap[i] = False
                if d[i] != 0.0:
                    f = dl[i] / d[i]
                    dl[i] = f
                    d[i + 1] -= f * du[i]
            else:
                swap[i] = True
                f = d[i] / dl[i]
                d[i] = dl[i]
                dl[i] = f
                t = du[i]
                du[i] = d[i + 1]
                d[i + 1] = t - f * d[i + 1]
                if i < ne - 2:
                    du2[i] = du[i + 1]
                    du[i + 1] = -f * du[i + 1]
        sg = 1.0
        la = 0.0
        for i in range(ne):
            if d[i] == 0.0:
                singular[r] = 1
                break
            la += math.log(abs(d[i]))
            if d[i] < 0.0:
                sg = -sg
        for i in range(ne - 1):
            if swap[i]:
                sg = -sg
        sign[r] = sg
        logabs[r] = la
        if singular[r]:  # the caller replaces this draw's determinant; keep its product finite
            for i in range(ne):
                for j in range(nk):
                    x[r, i, j] = 0.0
            continue
        if nk == 0:
            continue
        # x = B^T, then forward (L) and backward (U) substitution, all K columns at once
        for i in range(ne):
            for j in range(nk):
                x[r, i, j] = b[r, i, j]
        for i in range(ne - 1):
            if swap[i]:
                for j in range(nk):
                    t = x[r, i, j]
                    x[r, i, j] = x[r, i + 1, j]
                    x[r, i + 1, j] = t - dl[i] * x[r, i + 1, j]
            else:
                for j in range(nk):
                    x[r, i + 1, j] -= dl[i] * x[r, i, j]
        for i in range(ne - 1, -1, -1):
            inv = 1.0 / d[i]
            for j in range(nk):
                v = x[r, i, j]
                if i + 1 < ne:
                    v -= du[i] * x[r, i + 1, j]
                if i + 2 < ne:
                    v -= du2[i] * x[r, i + 2, j]
                x[r, i, j] = v * inv


@numba.njit(cache=True)
def _schur_complement(k_diag, k_off, s_k, prod):
    """``prod[r] <- T_K + s_K - prod[r]`` in place (prod[r] = B x[r] of :func:`_reduced_schur`)."""
    m, nk = prod.shape[0], prod.shape[1]
    for r in range(m):
        for i in range(nk):
            for j in range(nk):
                prod[r, i, j] = -prod[r, i, j]
        for i in range(nk):
            prod[r, i, i] += k_diag[r, i] + s_k[r]
            if i + 1 < nk:
                prod[r, i, i + 1] += k_off[r, i]
                prod[r, i + 1, i] += k_off[r, i]


@numba.njit(cache=True)
def _normals(rng, out, scale):
    """``out[...] = scale * rng.standard_normal(out.shape)`` for a C-contiguous array: the same
    numbers from the same stream (numba's Generator is numpy's algorithm on the shared bit
    generator), at a third of the time per normal of numpy's own call on this project's machines."""
    flat = out.reshape(-1)
    for i in range(flat.size):
        flat[i] = scale * rng.standard_normal()


def _tridiagonal_goe(rng, m, n, sd, out_diag, out_off):
    """m tridiagonal forms of a GOE of order n (off-diagonal standard deviation sd, diagonal
    sqrt 2 sd): diagonal N(0, 2 sd^2), off-diagonal ``sd chi_{n-1}, ..., sd chi_1`` (Householder
    reduction, Dumitriu and Edelman 2002), in place."""
    if n > 0:
        _normals(rng, out_diag, math.sqrt(2.0) * sd)
    if n > 1:
        _chi_offdiagonal(rng, out_off, sd)


@numba.njit(cache=True)
def _chi_offdiagonal(rng, out, sd):
    """``out[r, i] = sd chi_{n-1-i}`` (n - 1 = out.shape[1]): the numbers of
    ``np.sqrt(rng.chisquare(np.arange(n - 1, 0, -1), size=out.shape)) * sd`` from the same
    stream, without numpy's per-element broadcasting of the degrees of freedom."""
    m, k = out.shape
    for r in range(m):
        for i in range(k):
            out[r, i] = math.sqrt(rng.chisquare(float(k - i))) * sd


def _reduced_buffers(rows, dd, dg):
    """Work arrays of :func:`sample_reduced` for batches of up to ``rows`` draws: the two
    tridiagonal forms, B^T (E x K, K the smaller block), the solve (E x K) and the product (K x K)."""
    ne, nk = max(dd, dg), min(dd, dg)
    return (np.empty((rows, dd)), np.empty((rows, max(dd - 1, 0))), np.empty((rows, dg)),
            np.empty((rows, max(dg - 1, 0))), np.empty((rows, ne, nk)), np.empty((rows, ne, nk)),
            np.empty((rows, nk, nk)))


def _assemble_reduced(a_diag, a_off, c_diag, c_off, b, s_d, s_g):
    """The dense reduced matrices ``[[T_A + s_D, B_DG], [B_DG^T, T_C + s_G]]`` of draws
    (``b`` is ``B_KE^T``: ``B_DG`` itself when N_D >= N_G, its transpose otherwise)."""
    m, dd, dg = a_diag.shape[0], a_diag.shape[1], c_diag.shape[1]
    h = np.zeros((m, dd + dg, dd + dg))
    for lo, dia, off, s in ((0, a_diag, a_off, s_d), (dd, c_diag, c_off, s_g)):
        idx = np.arange(lo, lo + dia.shape[1])
        h[:, idx, idx] = dia + s[:, None]
        h[:, idx[:-1], idx[1:]] = off
        h[:, idx[1:], idx[:-1]] = off
    b_dg = b if dd >= dg else np.swapaxes(b, 1, 2)
    h[:, :dd, dd:] = b_dg
    h[:, dd:, :dd] = np.swapaxes(b_dg, 1, 2)
    return h


def _draw_reduced(p, q, sigma_z, n_d, n_g, m, rng, tilt, cuts, buffers):
    """The draws of one batch of :func:`sample_reduced`, into ``buffers``: ``((A diag, A off,
    C diag, C off, B_KE^T), scalars)``."""
    dd, dg = n_d - 1, n_g - 1
    scalars = _draw_scalars(p, q, sigma_z, n_d, n_g, m, rng, tilt, cuts)
    sd_dd, sd_off = _block_scales(p, q, sigma_z, n_d, n_g)
    a_diag, a_off, c_diag, c_off, b = (arr[:m] for arr in buffers[:5])
    _tridiagonal_goe(rng, m, dd, sd_dd, a_diag, a_off)
    _tridiagonal_goe(rng, m, dg, sd_off, c_diag, c_off)
    if dd > 0 and dg > 0:
        _normals(rng, b, sd_off)
    return (a_diag, a_off, c_diag, c_off, b), scalars


def reduced_form(p, q, sigma_z, n_d, n_g, m, rng, tilt=None, cuts=(None, None)):
    """The reduced matrices behind one batch of :func:`sample_reduced` (the same stream),
    assembled densely: ``(H', l^D, l^G, R_G, log_ratio)``.  For checking the fast evaluation
    (its determinant and indices are those of H') and the law of H' (that of H)."""
    dd, dg = n_d - 1, n_g - 1
    (a_diag, a_off, c_diag, c_off, b), (l_d, l_g, r_g, s_d, s_g, log_ratio) = _draw_reduced(
        p, q, sigma_z, n_d, n_g, m, rng, tilt, cuts, _reduced_buffers(m, dd, dg))
    return _assemble_reduced(a_diag, a_off, c_diag, c_off, b, s_d, s_g), l_d, l_g, r_g, log_ratio


def sample_reduced(p, q, sigma_z, n_d, n_g, m, rng, tilt=None, cuts=(None, None), buffers=None):
    r"""m draws of ``(sign det H, log|det H|, k_D, k_G, l^D, l^G, log_ratio)`` of the finite-N
    Kac-Rice ensemble (:func:`sample_hessians`: the same scalars and tilts), without drawing H.

    The law of H is invariant under ``H -> O H O^T`` for block-diagonal orthogonal
    ``O = O_D (+) O_G`` (its D and G blocks are GOEs plus multiples of the identity, its D-G
    block has iid entries), and so are ``det H``, ``k_D`` (positive eigenvalues of ``H_DD``) and
    ``k_G`` (negative eigenvalues of ``H_GG``).  With ``O_D``, ``O_G`` the Householder rotations
    that make ``H_DD`` and ``H_GG`` tridiagonal (functions of those blocks only, so that
    ``O_D^T H_DG O_G`` is again iid Gaussian and independent of them):

        H ~ H' = [[T_A + s_D, B], [B^T, T_C + s_G]],

    ``T_A``, ``T_C`` tridiagonal forms of the two GOEs (:func:`_tridiagonal_goe`), B iid
    ``N(0, sd_off^2)``.  ``k_D``, ``k_G`` are then Sturm counts (O(N)) and
    ``det H' = det(T_E + s_E) det(T_K + s_K - B_KE (T_E + s_E)^{-1} B_KE^T)``, E the larger block
    (a tridiagonal solve), K the smaller (one batched product and a determinant of order
    ``min(N_D, N_G) - 1`` instead of ``N - 2``): about a third of the work and half the normals of
    the dense H.  ``buffers``: :func:`_reduced_buffers` of at least m rows, reused across batches.
    Checked against the dense ensemble in law and against the dense determinant and eigenvalues
    of the same reduced matrices (tests/test_gan_finite.py).
    """
    dd, dg = n_d - 1, n_g - 1
    if buffers is None:
        buffers = _reduced_buffers(m, dd, dg)
    (a_diag, a_off, c_diag, c_off, b), (l_d, l_g, _, s_d, s_g, log_ratio) = _draw_reduced(
        p, q, sigma_z, n_d, n_g, m, rng, tilt, cuts, buffers)
    x, prod = buffers[5][:m], buffers[6][:m]
    elim_d = dd >= dg
    if elim_d:  # eliminate D, keep G
        k_diag, k_off, e_diag, e_off, s_k, s_e = c_diag, c_off, a_diag, a_off, s_g, s_d
    else:
        k_diag, k_off, e_diag, e_off, s_k, s_e = a_diag, a_off, c_diag, c_off, s_d, s_g
    sign, logdet = np.empty(m), np.empty(m)
    neg_k, neg_e, singular = (np.empty(m, dtype=np.int64) for _ in range(3))
    _reduced_schur(k_diag, k_off, e_diag, e_off, s_k, s_e, b, x, sign, logdet, neg_k, neg_e, singular)
    if k_diag.shape[1] > 0:
        np.matmul(np.swapaxes(b, 1, 2), x, out=prod)  # B_KE (T_E + s_E)^{-1} B_KE^T
        _schur_complement(k_diag, k_off, s_k, prod)
        s2, l2 = np.linalg.slogdet(prod)
        sign *= s2
        logdet += l2
    bad = np.flatnonzero(singular)
    if bad.size:  # an exactly singular T_E + s_E: the determinant of the assembled matrix
        h = _assemble_reduced(a_diag[bad], a_off[bad], c_diag[bad], c_off[bad], b[bad], s_d[bad], s_g[bad])
        sign[bad], logdet[bad] = np.linalg.slogdet(h)
    neg_d, neg_g = (neg_e, neg_k) if elim_d else (neg_k, neg_e)
    # k_D: positive eigenvalues of H_DD (a zero eigenvalue has probability zero)
    return sign, logdet, dd - neg_d, neg_g, l_d, l_g, log_ratio


def gan_kac_rice_expectation(p, q, sigma_z, n_d, n_g, u_d=None, u_g=None, *, samples=200_000, seed=0, tilt=None,
                             indices=True):
    r"""Kac-Rice expected number of critical points of the game, total and per (k_D, k_G).

    Monte Carlo over ``samples`` draws of the scalars and matrices of the finite-N formula
    (module docstring), in fixed batches from ``numpy.random.SeedSequence(seed)``; each
    draw contributes ``exp(log_prefactor + log|det H|) 1{u_D <= U_D, u_G <= U_G}`` to its
    (k_D, k_G) bin.  ``u_d`` / ``u_g``: upper cuts on ``u_D = L^D/N``, ``u_G = L^G/N``
    (``None``: no cut).  Returns a :class:`GanCountResult`; every number carries the
    standard error of its Monte Carlo mean.

    ``tilt = (a, v, r)``: importance sampling for cuts in the tails (large N): the scalars are
    drawn with their means at ``(l^D, l^G, R_G)/N = (a, v, r)`` and each weight is multiplied by
    the likelihood ratio, so the expectation is the same for every tilt (only its error
    changes); centre it where the integrand peaks, e.g. at the maximiser of Theta (scalars
    ``a = u_D + u_G``, ``v = u_G / sigma_z``, ``r = (1 - kappa) x / sigma_z``).
    ``tilt = (a, v, r, lam_d, lam_g)``: in addition, a loss with ``lam > 0`` is drawn below its
    cut from an exponential of rate ``N lam`` (:func:`sample_hessians`; for a maximiser of Theta on
    that cut, ``lam = dTheta/du``).

    ``indices=False``: the total and the Euler sum only (``per_index`` empty); the draws, and
    so the total, are the same as with ``indices=True`` (the indices are Sturm counts of the
    reduced form, O(N) per draw, so this saves little now; it keeps the result small).

    Raises ``ValueError`` naming the parameter for
    p, q < 2 or non-integer, sigma_z <= 0, n_d or n_g outside [1, MAX_N], samples < 2,
    seed < 0, non-finite cuts.
    """
    p, q, sigma_z, n_d, n_g = check_gan_parameters(p, q, sigma_z, n_d, n_g)
    u_d = None if u_d is None else check_real("u_d", u_d)
    u_g = None if u_g is None else check_real("u_g", u_g)
    samples = check_int("samples", samples, minimum=2)
    seed = check_int("seed", seed, minimum=0)
    if tilt is not None:
        tilt = tuple(check_real(f"tilt[{i}]", t) for i, t in enumerate(tilt))
        if len(tilt) not in (3, 5):
            raise ValueError(f"tilt must be three numbers (l^D/N, l^G/N, R_G/N) or five (and the rates "
                             f"lam_d, lam_g >= 0 of the cuts), got {len(tilt)}")
        if len(tilt) == 5:
            for i, (lam, cut, name) in enumerate(((tilt[3], u_d, "u_d"), (tilt[4], u_g, "u_g"))):
                if lam < 0:
                    raise ValueError(f"tilt[{3 + i}] (a cut's rate) must be >= 0, got {lam!r}")
                if lam > 0 and cut is None:
                    raise ValueError(f"tilt[{3 + i}] > 0 draws {name} below its cut: give {name}")
    n = n_d + n_g
    dd, dg = n_d - 1, n_g - 1
    kd_bins, kg_bins = max(dd, 0) + 1, max(dg, 0) + 1
    lp = gan_log_prefactor(p, q, sigma_z, n_d, n_g)
    chunk = max(1, _CHUNK_ENTRIES // max(1, (n - 2) ** 2))
    children = np.random.SeedSequence(seed).spawn(-(-samples // chunk))
    s1 = np.zeros(kd_bins * kg_bins)
    s2 = np.zeros(kd_bins * kg_bins)
    t1 = t2 = e1 = e2 = 0.0
    done = 0
    buffers = _reduced_buffers(min(chunk, samples), dd, dg)
    for child in children:
        m = min(chunk, samples - done)
        rng = np.random.default_rng(child)
        sign, logdet, k_d, k_g, l_d, l_g, log_ratio = sample_reduced(p, q, sigma_z, n_d, n_g, m, rng, tilt,
                                                                     (u_d, u_g), buffers)
        logw = lp + logdet + log_ratio
        if np.any(logw > 700.0):
            raise ValueError("gan_kac_rice_expectation: a weight overflows a double; reduce n_d, n_g")
        w = np.exp(logw)  # |det H| = 0 gives weight 0, never NaN
        keep = np.ones(m, dtype=bool)
        if u_d is not None:
            keep &= (l_d - sigma_z * l_g) / n <= u_d
        if u_g is not None:
            keep &= sigma_z * l_g / n <= u_g
        w = np.where(keep, w, 0.0)
        if indices:
            flat = k_d * kg_bins + k_g
            s1 += np.bincount(flat, weights=w, minlength=kd_bins * kg_bins)
            s2 += np.bincount(flat, weights=w * w, minlength=kd_bins * kg_bins)
        t1 += w.sum()
        t2 += (w * w).sum()
        sw = w * sign * (-1.0) ** dd  # det J = (-1)^{N_D-1} det H
        e1 += sw.sum()
        e2 += (sw * sw).sum()
        done += m

    def mean_se(a, b):
        mean = a / samples
        var = np.maximum(b / samples - mean * mean, 0.0) * samples / (samples - 1)
        return mean, np.sqrt(var / samples)

    pm, ps = mean_se(s1, s2)
    tm, ts = mean_se(t1, t2)
    em, es = mean_se(e1, e2)
    if not (np.all(np.isfinite(pm)) and np.all(np.isfinite(ps)) and np.isfinite(tm) and np.isfinite(ts)):
        raise ValueError("gan_kac_rice_expectation: the expected count overflows a double; reduce n_d, n_g")
    per = tuple(
        tuple(CountResult(float(pm[a * kg_bins + b]), float(ps[a * kg_bins + b]), "monte-carlo") for b in range(kg_bins))
        for a in range(kd_bins)
    ) if indices else ()
    return GanCountResult(
        p=p,
        q=q,
        sigma_z=sigma_z,
        n_d=n_d,
        n_g=n_g,
        u_d=u_d,
        u_g=u_g,
        samples=samples,
        seed=seed,
        total=CountResult(float(tm), float(ts), "monte-carlo"),
        per_index=per,
        euler=CountResult(float(em), float(es), "monte-carlo"),
        chi=euler_characteristic(n_d, n_g),
        log_prefactor=lp,
    )


def _cut_rates(model, cut, best, h=1e-4):
    """``(lam_d, lam_g)``: dTheta/du at each cut on which the maximiser of Theta lies (central
    differences), 0 for a cut that is absent or not active; the rates of the exponential
    proposals of :func:`sample_hessians` (any rate > 0 keeps the expectation exact)."""
    rates = []
    for k, (u, at) in enumerate(zip(cut, (best.u_d, best.u_g))):
        lam = 0.0
        if math.isfinite(u) and abs(at - u) <= 1e-9 * max(1.0, abs(u)):
            up = list(cut)
            dn = list(cut)
            up[k], dn[k] = u + h, u - h
            lam = (model.theta(*up).theta - model.theta(*dn).theta) / (2 * h)
        rates.append(lam if lam > 1e-6 else 0.0)
    return tuple(rates)


def _theta_cut(u_d, u_g):
    """The loss cuts of a count (None: no cut) as the arguments of Theta (+inf: no cut)."""
    return (math.inf if u_d is None else check_real("u_d", u_d), math.inf if u_g is None else check_real("u_g", u_g))


def leading_order(p, q, sigma_z, n_d, n_g, u_d=None, u_g=None) -> dict:
    r"""The asymptotic predictions at the same size, beside the finite-N count:
    ``exp(N Theta(U_D, U_G))`` with ``N = N_D + N_G``, ``kappa = N_D/N`` (no cut: ``+inf``), in
    the ``derived`` and the ``reference`` conventions (:class:`complexity.models.gan.GanModel`).

    Leading order only: ``Theta`` is the limit of ``N^{-1} log E Crt_N``, so the prediction
    omits every N-independent and polynomial prefactor; the reference code defines no
    finite-N formula, and this is its prediction at N.  Returns
    ``{"n", "kappa", "derived": {"theta", "exp_n_theta"}, "reference": {...}}``
    (``exp_n_theta`` is ``inf`` past a double's range).
    """
    from complexity.models.gan import GanModel

    p, q, sigma_z, n_d, n_g = check_gan_parameters(p, q, sigma_z, n_d, n_g)
    n = n_d + n_g
    cut = _theta_cut(u_d, u_g)
    out = {"n": n, "kappa": n_d / n}
    for conv in ("derived", "reference"):
        th = GanModel(p, q, sigma_z, n_d / n, conv).theta(*cut).theta
        out[conv] = {"theta": th, "exp_n_theta": math.exp(n * th) if n * th < 700.0 else math.inf}
    return out


def finite_n_rate(p, q, sigma_z, sizes, u_d=None, u_g=None, *, samples=10_000, seed=0, tilt="theta") -> dict:
    r"""The growth rate of the exact finite-N Kac-Rice count, fitted, against Theta.

    For each ``(N_D, N_G)`` in ``sizes`` (one ratio ``kappa = N_D/N`` for all) it evaluates
    ``log E Crt_N`` (:func:`gan_kac_rice_expectation`, cuts ``u_d``, ``u_g`` on the losses)
    and fits ``log E Crt_N = N theta + alpha log N + c + beta / N`` by weighted least squares
    (weights from the Monte Carlo errors): the Laplace asymptotics of the finite-N integral are
    a power of N times ``exp(N Theta)`` times ``1 + beta/N + O(N^-2)``, so the fit has no
    truncation bias at order 1/N; small N (the formula is exact at every N) pin down beta.
    The fitted ``theta`` is an estimate of the limit ``N^{-1} log E Crt_N``, computed from the finite-N formula alone (which direct counting
    checks at small N), so it is an independent check of ``Theta(u_D, u_G)`` of
    :class:`complexity.models.gan.GanModel`; both conventions' Theta are reported beside it.

    ``tilt="theta"`` centres the scalar draws at the maximiser of the derived Theta, and draws
    each loss whose cut that maximiser lies on from an exponential below the cut, with the rate
    ``N dTheta/du`` (importance sampling, :func:`sample_hessians`: the expectation does not
    depend on the proposal, only its error does); ``None`` draws them from their own law.

    Returns ``{"kappa", "n", "log_count", "log_count_stderr", "fit": {"theta", "theta_stderr",
    "alpha", "c", "beta", "chi2", "dof"}, "theta": {"derived", "reference"}}`` (``chi2``: the
    weighted residual sum of squares, ``dof`` = sizes - 4).
    """
    from complexity.models.gan import GanModel

    sizes = [tuple(check_gan_parameters(p, q, sigma_z, nd, ng)[3:]) for nd, ng in sizes]
    if len(sizes) < 5:
        raise ValueError(f"sizes must hold at least 5 (N_D, N_G) pairs for a 4-parameter fit, got {len(sizes)}")
    kappa = sizes[0][0] / sum(sizes[0])
    for nd, ng in sizes:
        if abs(nd / (nd + ng) - kappa) > 1e-12:
            raise ValueError(f"sizes must share one ratio N_D/N; {nd}/{nd + ng} differs from {kappa!r}")
    if tilt not in ("theta", None):
        raise ValueError(f"tilt must be 'theta' or None, got {tilt!r}")
    cut = _theta_cut(u_d, u_g)
    p, q, sigma_z = check_gan_parameters(p, q, sigma_z, 1, 1)[:3]
    model = GanModel(p, q, sigma_z, kappa)
    best = model.theta(*cut)
    th_ref = GanModel(p, q, sigma_z, kappa, "reference").theta(*cut).theta
    centre = None
    if tilt == "theta":
        centre = (best.u_d + best.u_g, best.u_g / sigma_z, (1.0 - kappa) * best.x / sigma_z,
                  *_cut_rates(model, cut, best))
    ns, logs, errs = [], [], []
    for k, (nd, ng) in enumerate(sizes):
        r = gan_kac_rice_expectation(p, q, sigma_z, nd, ng, u_d, u_g, samples=samples, seed=seed + k, tilt=centre,
                                     indices=False)
        if not r.total.expected > 0:
            raise ValueError(f"finite_n_rate: no Monte Carlo draw passed the cuts at (N_D, N_G) = ({nd}, {ng}); "
                             "raise samples or loosen the cuts")
        ns.append(nd + ng)
        logs.append(math.log(r.total.expected))
        errs.append(max(r.total.stderr / r.total.expected, 1e-3))  # delta method, floored
    ns, logs, errs = np.array(ns, float), np.array(logs), np.array(errs)
    design = np.c_[ns, np.log(ns), np.ones_like(ns), 1.0 / ns] / errs[:, None]
    coef, *_ = np.linalg.lstsq(design, logs / errs, rcond=None)
    cov = np.linalg.inv(design.T @ design)
    chi2 = float(np.sum((design @ coef - logs / errs) ** 2))
    return {
        "kappa": kappa,
        "n": ns.astype(int).tolist(),
        "log_count": logs.tolist(),
        "log_count_stderr": errs.tolist(),
        "fit": {"theta": float(coef[0]), "theta_stderr": float(math.sqrt(cov[0, 0])), "alpha": float(coef[1]),
                "c": float(coef[2]), "beta": float(coef[3]), "chi2": chi2, "dof": len(ns) - 4},
        "theta": {"derived": best.theta, "reference": th_ref},
    }
