r"""Direct counting of the critical points of sampled coupled (GAN) spin-glass instances.

The end-to-end check of the finite-N Kac-Rice formula of :mod:`complexity.models.gan_finite`
("derived" convention; model in that module's docstring and docs/gan_finite.md): sample
couplings (X, Z), find *all* critical points of the game, record ``u_D = L^D/N``,
``u_G = L^G/N``, the block indices ``(k_D, k_G)`` and the Poincare-Hopf sign of each, and
compare the mean counts with the expectation.

Formulas used by the kernels
----------------------------
With ``S_X``, ``S_Z`` the symmetrised couplings, ``c_D = N_D^{-(p-1)/2}``, ``c_G = N^{-(P-1)/2}``:
``grad l^D = p c_D S_X[w_D^{p-1}]``, ``Hess l^D = p(p-1) c_D S_X[w_D^{p-2}]`` and the same
for ``l^G`` with (P, c_G, S_Z) on the joined vector.  The game's vector field is
``V = (P_D grad_D L^D, P_G grad_G L^G)`` (P_X the projector on w_X^perp).  At a zero, its
Jacobian in orthonormal tangent frames T_D, T_G is

    J = [[T_D^T (Hess_DD L^D - mu_D I) T_D,  -sigma_z T_D^T Hess_DG l^G T_G],
         [ sigma_z T_G^T Hess_GD l^G T_D,    T_G^T (Hess_GG L^G - mu_G I) T_G]],

``mu_D = w_D . grad_D L^D / N_D``, ``mu_G = w_G . grad_G L^G / N_G`` (Riemannian Hessian on a
sphere of radius sqrt(N_X): tangent Euclidean Hessian minus ``(w_X . grad_X f / N_X) I``).
``k_D`` / ``k_G`` are the numbers of negative eigenvalues of the two diagonal blocks.

Poincare-Hopf (the check that replaces Morse's relation)
--------------------------------------------------------
The game has no potential, but V is a smooth tangent vector field on the compact manifold
``S^{N_D-1} x S^{N_G-1}``; when its zeros are nondegenerate, each has index ``sign det J``
and ``sum sign det J = chi(S^{N_D-1}) chi(S^{N_G-1}) = (1 + (-1)^{N_D-1})(1 + (-1)^{N_G-1})``
(0 as soon as one sphere is a circle, 4 for N_D, N_G both odd).  Unlike Morse's relation
it does not follow from (k_D, k_G): the sign of det J also depends on the coupling block.

Method
------
* **Newton on the square system** ``[grad_D L^D - mu_D w_D; grad_G L^G - mu_G w_G;
  |w_D|^2 - N_D; |w_G|^2 - N_G]`` (numba): with mu_X set to its projection each step,
  solve the bordered system ``[[J_ww - diag(mu_D I, mu_G I), W], [W^T, 0]] [xi; nu] = [-r; 0]``
  (``W = diag(w_D, w_G)`` as two columns, so ``xi`` is tangent to both spheres), cap the step,
  retract each block to its sphere; from uniformly random starts.  Converged points
  (residual < 1e-10) are polished, deduplicated (distance < 1e-6 sqrt N, reusing
  :func:`complexity.models.enumerate._merge_unique`).
* **Completeness**: rounds of starts, each as large as all previous rounds together (the
  total doubles); stop at the first round that finds nothing new *and* whose points satisfy
  Poincare-Hopf, else go on up to ``max_rounds``.
* **(N_D, N_G) = (2, 2), an independent method**: ``w_D = sqrt2 (cos a, sin a)``,
  ``w_G = sqrt2 (cos b, sin b)``; ``L^D`` and ``L^G`` are bivariate trigonometric polynomials of
  degree <= P in each angle, whose exact Fourier coefficients come from a 2-D FFT of the
  energies (computed from the *unsymmetrised* couplings).  Zeros of
  ``(f, g) = (d_a L^D, d_b L^G)``: Newton from every cell of a 96 x 96 grid on the torus in
  which both f and g change sign (each cell sampled on a 9 x 9 lattice), then the
  winding number of (f, g) around every cell must equal the sum of ``sign det`` of the zeros
  found inside it (a missed zero shows up as a mismatch unless an opposite-sign zero shares
  its cell).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from complexity._linalg import solve_in_place
from complexity._validate import check_array, check_int, check_real
from complexity.models.enumerate import _form_matrix, _merge_unique, _tangent_basis, energy, hessian_form, symmetrise
from complexity.models.gan_finite import check_gan_parameters, euler_characteristic, gan_kac_rice_expectation

__all__ = [
    "GanInstance",
    "sample_instance",
    "game_fields",
    "game_jacobian",
    "critical_points_game",
    "critical_points_torus",
    "gan_enumeration_study",
]


# --------------------------------------------------------------------------- model


class GanInstance:
    """One sampled instance: couplings X (shape (N_D,)*p) and Z (shape (N,)*P), and sigma_z.

    ``l_d(w_d) = N_D^{-(p-1)/2} X[w_d^p]``, ``l_g(w) = N^{-(P-1)/2} Z[w^P]`` (the module docstring of
    :mod:`complexity.models.gan_finite`).
    """

    def __init__(self, x, z, sigma_z):
        self.x = check_array("x", x)
        self.z = check_array("z", z)
        self.p, self.big = self.x.ndim, self.z.ndim
        self.n_d = self.x.shape[0]
        self.n = self.z.shape[0]
        self.n_g = self.n - self.n_d
        self.q = self.big - self.p
        check_gan_parameters(self.p, self.q, sigma_z, self.n_d, self.n_g)
        if any(d != self.n_d for d in self.x.shape) or any(d != self.n for d in self.z.shape):
            raise ValueError(f"x and z must be cubic tensors, got shapes {self.x.shape}, {self.z.shape}")
        self.sigma_z = float(sigma_z)
        self.sx = symmetrise(self.x)
        self.sz = symmetrise(self.z)

    def losses(self, w_d, w_g):
        """``(l^D, l^G)`` at (w_d, w_g) computed from the unsymmetrised couplings.

        Rows of 2-D inputs are points (arrays out); 1-D inputs give two floats.
        """
        single = np.ndim(w_d) == 1 and np.ndim(w_g) == 1
        w_d = np.atleast_2d(np.asarray(w_d, dtype=float))
        w_g = np.atleast_2d(np.asarray(w_g, dtype=float))
        l_d = self.n_d * energy(self.x, w_d)
        l_g = self.n * energy(self.z, np.concatenate([w_d, w_g], axis=1))
        return (float(l_d[0]), float(l_g[0])) if single else (l_d, l_g)

    def energies(self, w_d, w_g):
        """``(u_D, u_G) = ((l^D - sigma_z l^G)/N, sigma_z l^G/N)``."""
        l_d, l_g = self.losses(w_d, w_g)
        return (l_d - self.sigma_z * l_g) / self.n, self.sigma_z * l_g / self.n


def sample_instance(p, q, sigma_z, n_d, n_g, rng) -> GanInstance:
    """Couplings X (N_D^p) and Z (N^P), iid N(0, 1) over all ordered tuples, from ``rng``."""
    p, q, sigma_z, n_d, n_g = check_gan_parameters(p, q, sigma_z, n_d, n_g)
    rng = np.random.default_rng(rng)
    x = rng.standard_normal((n_d,) * p)
    z = rng.standard_normal((n_d + n_g,) * (p + q))
    return GanInstance(x, z, sigma_z)


def game_fields(inst: GanInstance, w_d, w_g) -> dict:
    """Euclidean gradients and Hessians of l^D and l^G at one point (from the symmetrised
    couplings); rows of 2-D inputs are points (a leading axis on every output)."""
    single = np.ndim(w_d) == 1
    w_d = np.atleast_2d(np.asarray(w_d, dtype=float))
    w = np.concatenate([w_d, np.atleast_2d(np.asarray(w_g, dtype=float))], axis=1)
    p, big, n_d, n = inst.p, inst.big, inst.n_d, inst.n
    c_d = n_d ** (-(p - 1) / 2.0)
    c_g = n ** (-(big - 1) / 2.0)
    md = _contract(inst.sx, w_d)
    mg = _contract(inst.sz, w)
    vd = np.einsum("bij,bj->bi", md, w_d)
    vg = np.einsum("bij,bj->bi", mg, w)
    out = {
        "l_d": c_d * np.einsum("bi,bi->b", w_d, vd),
        "l_g": c_g * np.einsum("bi,bi->b", w, vg),
        "grad_d": p * c_d * vd,
        "grad_g": big * c_g * vg,
        "hess_d": p * (p - 1) * c_d * md,
        "hess_g": big * (big - 1) * c_g * mg,
    }
    return {k: v[0] for k, v in out.items()} if single else out


def _contract(s_sym, w):
    """``S[w^{k-2}]`` (m, n, n) for a symmetric k-tensor S and points w (m, n)."""
    t = np.broadcast_to(s_sym, (w.shape[0],) + s_sym.shape)
    for _ in range(s_sym.ndim - 2):
        t = np.einsum("b...i,bi->b...", t, w)
    return t


def game_jacobian(inst: GanInstance, w_d, w_g) -> dict:
    r"""The game's Jacobian J in orthonormal tangent frames at (w_d, w_g), and its blocks.

    ``J = [[A, -sigma_z C], [sigma_z C^T, B]]`` with ``A = T_D^T (Hess_DD L^D - mu_D I) T_D``
    (the Riemannian Hessian of L^D in w_D), ``B = T_G^T (Hess_GG L^G - mu_G I) T_G``,
    ``C = T_D^T Hess_DG l^G T_G``.  Also returns the Riemannian gradients (tangent components).
    Rows of 2-D inputs are points (a leading axis on every output).
    """
    single = np.ndim(w_d) == 1
    w_d = np.atleast_2d(np.asarray(w_d, dtype=float))
    w_g = np.atleast_2d(np.asarray(w_g, dtype=float))
    f = game_fields(inst, w_d, w_g)
    n_d, n_g = inst.n_d, inst.n_g
    s = inst.sigma_z
    gd = f["grad_d"] - s * f["grad_g"][:, :n_d]
    gg = s * f["grad_g"][:, n_d:]
    mu_d = np.einsum("bi,bi->b", w_d, gd) / n_d
    mu_g = np.einsum("bi,bi->b", w_g, gg) / n_g
    td, tg = _tangent_basis(w_d), _tangent_basis(w_g)
    hdd = f["hess_d"] - s * f["hess_g"][:, :n_d, :n_d] - mu_d[:, None, None] * np.eye(n_d)
    hgg = s * f["hess_g"][:, n_d:, n_d:] - mu_g[:, None, None] * np.eye(n_g)
    tdt, tgt = np.swapaxes(td, 1, 2), np.swapaxes(tg, 1, 2)
    a = tdt @ hdd @ td
    b = tgt @ hgg @ tg
    c = tdt @ f["hess_g"][:, :n_d, n_d:] @ tg
    jac = np.concatenate([np.concatenate([a, -s * c], axis=2), np.concatenate([s * np.swapaxes(c, 1, 2), b], axis=2)],
                         axis=1)
    out = {"jacobian": jac, "a": a, "b": b, "c": c, "grad_d": np.einsum("bij,bi->bj", td, gd),
           "grad_g": np.einsum("bij,bi->bj", tg, gg), "l_d": f["l_d"], "l_g": f["l_g"]}
    return {k: v[0] for k, v in out.items()} if single else out


# --------------------------------------------------------------------------- kernel


@njit(cache=True)
def _newton_game(cx, mx, cz, mz, n_d, n, p, big, sigma_z, starts, tol, maxit):
    """Riemannian Newton for the game from each start (the couplings as
    :func:`complexity.models.enumerate.hessian_form`: ``(cx, mx)`` of X, ``(cz, mz)`` of Z);
    returns (points, residuals, converged)."""
    m = starts.shape[0]
    n_g = n - n_d
    c_d = n_d ** (-(p - 1) / 2.0)
    c_g = n ** (-(big - 1) / 2.0)
    rad_d = math.sqrt(n_d)
    rad_g = math.sqrt(n_g)
    maxstep = 0.5 * math.sqrt(n)
    vx = np.empty(mx.shape[0])
    vz = np.empty(mz.shape[0])
    md = np.empty((n_d, n_d))
    mg = np.empty((n, n))
    big_m = np.empty((n + 2, n + 2))
    rhs = np.empty(n + 2)
    g = np.empty(n)
    w = np.empty(n)
    wd = np.empty(n_d)
    pts = np.empty((m, n))
    res = np.empty(m)
    ok = np.zeros(m, dtype=np.bool_)
    for s in range(m):
        for i in range(n):
            w[i] = starts[s, i]
        _retract(w, n_d, rad_d, rad_g)
        polish = 0
        r_norm = math.inf
        for it in range(maxit):
            for i in range(n_d):
                wd[i] = w[i]
            _form_matrix(cx, mx, wd, vx, md)
            _form_matrix(cz, mz, w, vz, mg)
            # game gradient g = (grad_D L^D, grad_G L^G)
            for i in range(n):
                acc = 0.0
                for j in range(n):
                    acc += mg[i, j] * w[j]
                g[i] = sigma_z * big * c_g * acc * (-1.0 if i < n_d else 1.0)
            for i in range(n_d):
                acc = 0.0
                for j in range(n_d):
                    acc += md[i, j] * w[j]
                g[i] += p * c_d * acc
            mu_d = 0.0
            for i in range(n_d):
                mu_d += w[i] * g[i]
            mu_d /= n_d
            mu_g = 0.0
            for i in range(n_d, n):
                mu_g += w[i] * g[i]
            mu_g /= n_g
            r_norm = 0.0
            for i in range(n):
                rhs[i] = -(g[i] - (mu_d if i < n_d else mu_g) * w[i])
                r_norm += rhs[i] * rhs[i]
            r_norm = math.sqrt(r_norm)
            if r_norm < tol:
                polish += 1
                if polish > 2:
                    break
            rhs[n] = 0.0
            rhs[n + 1] = 0.0
            hg = sigma_z * big * (big - 1) * c_g
            for i in range(n + 2):
                for j in range(n + 2):
                    big_m[i, j] = 0.0
            for i in range(n):
                for j in range(n):
                    big_m[i, j] = hg * mg[i, j] * (-1.0 if i < n_d else 1.0)
            for i in range(n_d):
                for j in range(n_d):
                    big_m[i, j] += p * (p - 1) * c_d * md[i, j]
                big_m[i, i] -= mu_d
                big_m[i, n] = w[i]
                big_m[n, i] = w[i]
            for i in range(n_d, n):
                big_m[i, i] -= mu_g
                big_m[i, n + 1] = w[i]
                big_m[n + 1, i] = w[i]
            if not solve_in_place(big_m, rhs):
                break
            step = 0.0
            for i in range(n):
                step += rhs[i] * rhs[i]
            step = math.sqrt(step)
            f = 1.0 if step <= maxstep else maxstep / step
            for i in range(n):
                w[i] += f * rhs[i]
            _retract(w, n_d, rad_d, rad_g)
        for i in range(n):
            pts[s, i] = w[i]
        res[s] = r_norm
        ok[s] = r_norm < tol
    return pts, res, ok


@njit(cache=True)
def _retract(w, n_d, rad_d, rad_g):
    """Rescale each block of w onto its sphere (radius sqrt N_D, sqrt N_G)."""
    n = w.size
    a = 0.0
    for i in range(n_d):
        a += w[i] * w[i]
    b = 0.0
    for i in range(n_d, n):
        b += w[i] * w[i]
    a = rad_d / math.sqrt(a) if a > 0 else 1.0
    b = rad_g / math.sqrt(b) if b > 0 else 1.0
    for i in range(n_d):
        w[i] *= a
    for i in range(n_d, n):
        w[i] *= b


# --------------------------------------------------------------------------- search


def _describe(inst: GanInstance, pts: np.ndarray) -> dict:
    """Energies, indices, Poincare-Hopf signs and conditioning at the points (rows of pts)."""
    n_d = inst.n_d
    m = len(pts)
    u_d, u_g = (inst.energies(pts[:, :n_d], pts[:, n_d:]) if m else (np.zeros(0), np.zeros(0)))
    k_d = np.zeros(m, dtype=int)
    k_g = np.zeros(m, dtype=int)
    sign = np.zeros(m, dtype=int)
    smin = math.inf
    if m:
        jd = game_jacobian(inst, pts[:, :n_d], pts[:, n_d:])
        if jd["a"].shape[-1]:
            k_d = (np.linalg.eigvalsh(jd["a"]) < 0).sum(axis=1).astype(int)
        if jd["b"].shape[-1]:
            k_g = (np.linalg.eigvalsh(jd["b"]) < 0).sum(axis=1).astype(int)
        jac = jd["jacobian"]
        if jac.shape[-1]:
            sign = np.sign(np.linalg.det(jac)).astype(int)
            smin = float(np.linalg.svd(jac, compute_uv=False).min())
        else:
            sign = np.ones(m, dtype=int)
    return {"u_d": np.asarray(u_d), "u_g": np.asarray(u_g), "k_d": k_d, "k_g": k_g, "sign": sign,
            "min_singular_value": smin}


def critical_points_game(inst: GanInstance, *, starts: int | None = None, seed: int = 0,
                         max_rounds: int = 10, tol: float = 1e-10) -> dict:
    r"""All critical points of the game for one instance (Newton in doubling rounds).

    Stops at the first round (after the second) that finds nothing new while
    ``sum sign det J = chi`` holds (``complete=True``), else after ``max_rounds``.  Returns
    ``points`` (m, N) (w_D then w_G), ``u_d``, ``u_g``, ``k_d``, ``k_g``, ``sign``
    (sign det J), ``complete``, ``starts``, ``rounds``, ``euler_ok``, ``euler_sum``, ``chi``,
    ``min_singular_value`` (of J over the points: distance from degeneracy).
    """
    m0 = check_int("starts", starts if starts is not None else 64 * inst.n, minimum=1)
    max_rounds = check_int("max_rounds", max_rounds, minimum=2)
    tol = check_real("tol", tol, lower=0.0, lower_open=True)
    rng = np.random.default_rng(seed)
    cx, mx = hessian_form(inst.sx)
    cz, mz = hessian_form(inst.sz)
    dist = 1e-6 * math.sqrt(inst.n)
    chi = euler_characteristic(inst.n_d, inst.n_g)
    found = np.zeros((0, inst.n))
    total, rounds, batch, complete = 0, 0, m0, False
    desc = None
    for rnd in range(max_rounds):
        st = rng.standard_normal((batch, inst.n))
        pts, _, ok = _newton_game(cx, mx, cz, mz, inst.n_d, inst.n, inst.p, inst.big, inst.sigma_z, st, tol, 80)
        before = len(found)
        if ok.any():
            found = _merge_unique(found, pts[ok], dist)
        total += batch
        rounds = rnd + 1
        if rnd >= 1 and len(found) == before:
            desc = _describe(inst, found)
            if int(desc["sign"].sum()) == chi:
                complete = True
                break
        batch = total
    if desc is None or len(desc["sign"]) != len(found):
        desc = _describe(inst, found)
    es = int(desc["sign"].sum())
    return {"points": found, **desc, "complete": complete, "starts": total, "rounds": rounds,
            "euler_sum": es, "chi": chi, "euler_ok": es == chi}


# --------------------------------------------------------------------------- torus (2, 2)


def _torus_coefficients(inst: GanInstance):
    """Exact 2-D Fourier coefficients of l^D(a) and l^G(a, b) on the (2, 2) torus, frequencies -P..P."""
    big = inst.big
    mm = 2 * big + 2
    t = 2 * math.pi * np.arange(mm) / mm
    aa, bb = np.meshgrid(t, t, indexing="ij")
    w_d = math.sqrt(2.0) * np.column_stack([np.cos(aa.ravel()), np.sin(aa.ravel())])
    w_g = math.sqrt(2.0) * np.column_stack([np.cos(bb.ravel()), np.sin(bb.ravel())])
    l_d, l_g = inst.losses(w_d, w_g)
    freqs = np.arange(-big, big + 1)
    out = []
    for vals in (l_d, l_g):
        f = np.fft.fft2(vals.reshape(mm, mm)) / (mm * mm)
        out.append(f[np.ix_(freqs % mm, freqs % mm)])
    return freqs, out[0], out[1]


def _trig_eval(coef, freqs, a, b, da, db):
    """``d_a^da d_b^db sum c_{jk} e^{i(j a + k b)}`` (real part) at arrays a, b (same shape)."""
    c = coef * (1j * freqs[:, None]) ** da * (1j * freqs[None, :]) ** db
    ea = np.exp(1j * np.multiply.outer(np.ravel(a), freqs))
    eb = np.exp(1j * np.multiply.outer(np.ravel(b), freqs))
    return np.real(np.einsum("mj,jk,mk->m", ea, c, eb)).reshape(np.shape(a))


def _trig_grid(coef, freqs, t, da, db):
    """Same as :func:`_trig_eval` on the tensor grid t x t (separable: E_a C E_b^T)."""
    c = coef * (1j * freqs[:, None]) ** da * (1j * freqs[None, :]) ** db
    e = np.exp(1j * np.multiply.outer(t, freqs))
    return np.real(e @ c @ e.T)


def critical_points_torus(inst: GanInstance, *, cells: int = 96, sub: int = 8) -> dict:
    r"""All critical points for (N_D, N_G) = (2, 2) from the angle parametrisation (independent method).

    ``w_D = sqrt2 (cos a, sin a)``, ``w_G = sqrt2 (cos b, sin b)``; ``f = d_a L^D``, ``g = d_b L^G``
    are trigonometric polynomials (exact FFT coefficients of the energies computed from the
    unsymmetrised couplings).  Newton in (a, b) from every grid cell in which the
    sampled f and g both change sign; dedup on the torus; then a per-cell winding-number
    check (``winding_ok``: the winding number of (f, g) around each cell equals the sum of
    ``sign det d(f, g)/d(a, b)`` over the zeros found in it); on a mismatch the search is
    repeated on up to two finer grids of different size (``grids``: how many were used).  Indices: ``k_D = 1`` iff
    ``d_a^2 L^D < 0``, ``k_G = 1`` iff ``d_b^2 L^G < 0``.
    """
    if inst.n_d != 2 or inst.n_g != 2:
        raise ValueError(f"critical_points_torus needs n_d = n_g = 2, got ({inst.n_d}, {inst.n_g})")
    cells = check_int("cells", cells, minimum=8)
    sub = check_int("sub", sub, minimum=2)
    for attempt in range(3):
        # a zero within ~1/sub of a cell edge can spoil the sampled winding number: on a
        # mismatch, retry on a finer, shifted grid (``grids`` reports how many were used)
        out = _torus_once(inst, cells + 7 * attempt, sub + 2 * attempt)
        if out["winding_ok"]:
            break
    out["grids"] = attempt + 1
    return out


def _torus_once(inst: GanInstance, cells: int, sub: int) -> dict:
    freqs, cd, cg = _torus_coefficients(inst)
    s = inst.sigma_z
    c_ld = cd - s * cg  # L^D
    c_lg = s * cg  # L^G
    res = cells * sub
    t = 2 * math.pi * np.arange(res + 1) / res
    f = _trig_grid(c_ld, freqs, t, 1, 0)
    g = _trig_grid(c_lg, freqs, t, 0, 1)
    # winding number of (f, g) around each cell: wrapped angle increments along the sampled
    # boundary, counter-clockwise in (a, b) (bottom + right - top - left)
    ang = np.arctan2(g, f)
    d_a = np.diff(ang, axis=0)  # along a, shape (res, res + 1)
    d_b = np.diff(ang, axis=1)  # along b, shape (res + 1, res)
    d_a = (d_a + math.pi) % (2 * math.pi) - math.pi
    d_b = (d_b + math.pi) % (2 * math.pi) - math.pi
    edge_a = d_a.reshape(cells, sub, res + 1).sum(axis=1)[:, ::sub]  # (cells, cells + 1)
    edge_b = d_b.reshape(res + 1, cells, sub).sum(axis=2)[::sub, :]  # (cells + 1, cells)
    wind = (edge_a[:, :-1] + edge_b[1:, :] - edge_a[:, 1:] - edge_b[:-1, :]) / (2 * math.pi)
    win = np.lib.stride_tricks.sliding_window_view
    fb = win(f, (sub + 1, sub + 1))[::sub, ::sub]
    gb = win(g, (sub + 1, sub + 1))[::sub, ::sub]
    fchg = (fb.min(axis=(2, 3)) <= 0) & (fb.max(axis=(2, 3)) >= 0)
    gchg = (gb.min(axis=(2, 3)) <= 0) & (gb.max(axis=(2, 3)) >= 0)
    cand = np.argwhere(fchg & gchg)
    h = 2 * math.pi / cells
    x = np.column_stack([(cand[:, 0] + 0.5) * h, (cand[:, 1] + 0.5) * h])
    for _ in range(40):
        fv = _trig_eval(c_ld, freqs, x[:, 0], x[:, 1], 1, 0)
        gv = _trig_eval(c_lg, freqs, x[:, 0], x[:, 1], 0, 1)
        faa = _trig_eval(c_ld, freqs, x[:, 0], x[:, 1], 2, 0)
        fab = _trig_eval(c_ld, freqs, x[:, 0], x[:, 1], 1, 1)
        gab = _trig_eval(c_lg, freqs, x[:, 0], x[:, 1], 1, 1)
        gbb = _trig_eval(c_lg, freqs, x[:, 0], x[:, 1], 0, 2)
        det = faa * gbb - fab * gab
        det = np.where(det == 0, 1e-300, det)
        da = (gbb * fv - fab * gv) / det
        db = (faa * gv - gab * fv) / det
        stp = np.hypot(da, db)
        scale = np.where(stp > 0.5 * h * cells / 8, 0.5 * h * cells / 8 / np.maximum(stp, 1e-300), 1.0)
        x = x - scale[:, None] * np.column_stack([da, db])
    x = np.mod(x, 2 * math.pi)
    fv = _trig_eval(c_ld, freqs, x[:, 0], x[:, 1], 1, 0)
    gv = _trig_eval(c_lg, freqs, x[:, 0], x[:, 1], 0, 1)
    conv = np.hypot(fv, gv) < 1e-9
    pts = _dedup_torus(x[conv])
    a, b = pts[:, 0], pts[:, 1]
    faa = _trig_eval(c_ld, freqs, a, b, 2, 0)
    fab = _trig_eval(c_ld, freqs, a, b, 1, 1)
    gab = _trig_eval(c_lg, freqs, a, b, 1, 1)
    gbb = _trig_eval(c_lg, freqs, a, b, 0, 2)
    sign = np.sign(faa * gbb - fab * gab).astype(int)
    cell_i = np.minimum((a / h).astype(int), cells - 1)
    cell_j = np.minimum((b / h).astype(int), cells - 1)
    found_w = np.zeros((cells, cells))
    np.add.at(found_w, (cell_i, cell_j), sign)
    winding_ok = bool(np.all(np.rint(wind) == found_w))
    w_d = math.sqrt(2.0) * np.column_stack([np.cos(a), np.sin(a)])
    w_g = math.sqrt(2.0) * np.column_stack([np.cos(b), np.sin(b)])
    u_d, u_g = inst.energies(w_d, w_g) if len(a) else (np.zeros(0), np.zeros(0))
    return {
        "angles": pts,
        "points": np.column_stack([w_d, w_g]) if len(a) else np.zeros((0, 4)),
        "u_d": np.asarray(u_d),
        "u_g": np.asarray(u_g),
        "k_d": (faa < 0).astype(int),
        "k_g": (gbb < 0).astype(int),
        "sign": sign,
        "winding_ok": winding_ok,
        "euler_sum": int(sign.sum()),
        "euler_ok": int(sign.sum()) == 0,
    }


def _dedup_torus(x, tol=1e-7):
    out = []
    for row in x:
        if not any(np.all(np.abs((row - o + math.pi) % (2 * math.pi) - math.pi) < tol) for o in out):
            out.append(row)
    return np.array(out).reshape(-1, 2)


# --------------------------------------------------------------------------- study


#: the most coupling entries (N_D + N_G)^(p+q) of one sampled instance
TENSOR_ENTRIES_MAX = 2e7


def gan_enumeration_study(p, q, sigma_z, n_d, n_g, samples, seed=0, *, cuts=None, starts=None,
                          kac_rice_samples: int = 200_000, method: str = "newton") -> dict:
    r"""Mean numbers of the game's critical points over sampled instances, beside the Kac-Rice expectation.

    Instances from ``SeedSequence(seed).spawn(samples)``.  For the total and each (k_D, k_G)
    it reports the mean count and its standard error, the Kac-Rice expectation
    (:func:`complexity.models.gan_finite.gan_kac_rice_expectation`, ``kac_rice_samples``
    draws, seed ``seed + 1``) with its Monte Carlo error, and
    ``z = (mean - expected) / sqrt(se^2 + se_KR^2)`` (with a Poisson floor
    ``sqrt(expected/samples)`` on se when fewer than 10 instances have a nonzero count).
    ``cuts``: (U_D, U_G) pairs (either may be None); the same table for the points with
    ``u_D <= U_D, u_G <= U_G``.  ``method``: ``"newton"`` or ``"torus"`` ((2, 2) only).
    """
    p, q, sigma_z, n_d, n_g = check_gan_parameters(p, q, sigma_z, n_d, n_g)
    if (n_d + n_g) ** (p + q) > TENSOR_ENTRIES_MAX:
        raise ValueError(f"p, q: the couplings of one instance have N^(p+q) = {n_d + n_g}^{p + q} entries, more "
                         f"than {TENSOR_ENTRIES_MAX:g} (each Newton step contracts them); lower p, q or the sizes")
    if n_d + n_g > 8:
        raise ValueError(f"n_d + n_g must be <= 8 for direct counting, got {n_d + n_g}")
    samples = check_int("samples", samples, minimum=2)
    seed = check_int("seed", seed, minimum=0)
    if method not in ("newton", "torus"):
        raise ValueError(f"method must be 'newton' or 'torus', got {method!r}")
    if method == "torus" and (n_d, n_g) != (2, 2):
        raise ValueError(f"method 'torus' needs n_d = n_g = 2, got ({n_d}, {n_g})")
    levels = [(None, None)]
    for c in cuts or []:
        ud, ug = c
        levels.append((None if ud is None else check_real("u_d", ud), None if ug is None else check_real("u_g", ug)))
    kd_bins, kg_bins = n_d, n_g  # k_X in 0..N_X - 1
    counts = np.zeros((len(levels), samples, kd_bins, kg_bins))
    complete = euler_ok = winding_ok = 0
    total_starts = 0
    smin = math.inf
    for s, child in enumerate(np.random.SeedSequence(seed).spawn(samples)):
        iseed, sseed = child.spawn(2)
        inst = sample_instance(p, q, sigma_z, n_d, n_g, iseed)
        if method == "torus":
            r = critical_points_torus(inst)
            winding_ok += int(r["winding_ok"])
            complete += int(r["winding_ok"])
        else:
            r = critical_points_game(inst, starts=starts, seed=int(sseed.generate_state(1)[0]))
            complete += int(r["complete"])
            total_starts += r["starts"]
            smin = min(smin, r["min_singular_value"])
        euler_ok += int(r["euler_ok"])
        for li, (ud, ug) in enumerate(levels):
            sel = np.ones(len(r["u_d"]), dtype=bool)
            if ud is not None:
                sel &= r["u_d"] <= ud
            if ug is not None:
                sel &= r["u_g"] <= ug
            np.add.at(counts[li, s], (r["k_d"][sel], r["k_g"][sel]), 1)
    tables = []
    for li, (ud, ug) in enumerate(levels):
        kr = gan_kac_rice_expectation(p, q, sigma_z, n_d, n_g, ud, ug, samples=kac_rice_samples, seed=seed + 1)
        c = counts[li]
        mean = c.mean(axis=0)
        se = c.std(axis=0, ddof=1) / math.sqrt(samples)
        hits = (c > 0).sum(axis=0)
        tot = c.sum(axis=(1, 2))
        rows = [
            {"k_d": a, "k_g": b, **_row(mean[a, b], se[a, b], kr.per_index[a][b], hits[a, b], samples)}
            for a in range(kd_bins)
            for b in range(kg_bins)
        ]
        tables.append({
            "u_d": ud,
            "u_g": ug,
            "total": _row(tot.mean(), tot.std(ddof=1) / math.sqrt(samples), kr.total, int((tot > 0).sum()), samples),
            "per_index": rows,
            "kac_rice_euler": kr.euler.as_dict(),
        })
    out = {
        "p": p, "q": q, "sigma_z": sigma_z, "n_d": n_d, "n_g": n_g, "samples": samples, "seed": seed,
        "method": method,
        "complete_fraction": complete / samples,
        "euler_ok_fraction": euler_ok / samples,
        "chi": euler_characteristic(n_d, n_g),
        "mean_starts": total_starts / samples if method == "newton" else None,
        "min_singular_value": smin if math.isfinite(smin) else None,
        "kac_rice_samples": kac_rice_samples,
        "total": tables[0]["total"],
        "per_index": tables[0]["per_index"],
        "kac_rice_euler": tables[0]["kac_rice_euler"],
    }
    if method == "torus":
        out["winding_ok_fraction"] = winding_ok / samples
    if len(levels) > 1:
        out["cuts"] = tables[1:]
    return out


#: below this many instances with a nonzero count, the sample standard error gets a Poisson floor in z
RARE_HITS = 10


def _row(mean, se, kr, hits, samples):
    """``z = (mean - E) / sqrt(se^2 + se_E^2)``; Poisson floor sqrt(E/samples) on se when rare."""
    se_eff = max(se, math.sqrt(max(kr.expected, 0.0) / samples)) if hits < RARE_HITS else se
    err = math.sqrt(se_eff * se_eff + kr.stderr * kr.stderr)
    if err > 0:
        z = (mean - kr.expected) / err
    else:
        z = 0.0 if mean == kr.expected else None
    return {"mean": float(mean), "stderr": float(se), "kac_rice": kr.expected, "kac_rice_stderr": kr.stderr,
            "hits": int(hits), "z": None if z is None else float(z)}
