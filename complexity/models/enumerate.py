r"""Direct counting of the critical points of sampled pure spherical p-spin instances.

This is the end-to-end check of the exact Kac-Rice formula
(:mod:`complexity.models.pspin_finite`): sample couplings, find *all* critical
points of each instance at small N, record energy and index, and compare the
mean counts with the expectation.

Model and conventions (ABC 2013)
--------------------------------
``H(sigma) = N^{-(p-1)/2} sum J_{i_1..i_p} sigma_{i_1}...sigma_{i_p}``, J iid N(0, 1) over
all ordered tuples, ``|sigma|^2 = N``.  With ``S`` the symmetrisation of J,
``H = c S[sigma^p]``, ``grad H = p c S[sigma^{p-1}]``, ``Hess H = p(p-1) c S[sigma^{p-2}]``,
``c = N^{-(p-1)/2}``.  On the sphere a critical point solves ``grad H = mu sigma`` with
``mu = sigma.grad H / N = p H / N`` (Euler), and its Riemannian Hessian is
``P (Hess H - mu I) P`` on the tangent space ``sigma^perp`` (P the orthogonal
projector); the index is its number of negative eigenvalues (0..N-1).

Method
------
* **Newton from many starts** (all N): Riemannian Newton on the sphere -- solve
  the bordered system ``[[Hess H - mu I, sigma], [sigma^T, 0]] [xi; nu] = [-(grad H - mu sigma); 0]``
  (so ``xi`` is tangent), step (length capped), retract to the sphere, repeat --
  from uniformly random starts (numba kernel).  Converged points are polished,
  deduplicated (distance < 1e-7 sqrt N), and closed under ``sigma -> -sigma``
  (``H(-sigma) = (-1)^p H(sigma)``, so -sigma is critical too).
* **Completeness**: starts are run in rounds, each round as many new starts as
  all previous rounds together (the total doubles); the search stops at the
  first round that finds nothing new (``complete=True``) or after
  ``max_rounds``.  Independently, every instance is checked against Morse
  theory: ``sum_k (-1)^k Crt_k = chi(S^{N-1}) = 1 + (-1)^{N-1}``, and against the
  bound ``2 ((p-1)^N - 1)/(p-2)`` on the number of real eigenvectors of a
  symmetric tensor (Cartwright-Sturmfels 2013) for p >= 3.  A round that finds
  nothing new ends the search only if the Morse count holds; otherwise the
  doubling goes on.
* **N = 2, a second complete method**: ``sigma = sqrt2 (cos t, sin t)`` makes H a
  trigonometric polynomial of degree p; its exact Fourier coefficients (FFT of
  4p + 4 samples) give ``dH/dt`` as ``z^{-p} P(z)``, ``z = e^{it}``, ``deg P = 2p``,
  and every critical point is a root of P on the unit circle.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
from numba import njit

from complexity._linalg import solve_in_place
from complexity._validate import check_array, check_int, check_p, check_real
from complexity.models.pspin_finite import expected_counts_by_index, expected_count

__all__ = [
    "sample_couplings",
    "symmetrise",
    "energy",
    "critical_points",
    "critical_points_circle",
    "enumeration_study",
]


# --------------------------------------------------------------------------- model


def sample_couplings(p: int, n: int, rng) -> np.ndarray:
    """J with iid N(0, 1) entries over all ordered p-tuples, shape (n,)*p."""
    p = check_p(p)
    n = check_int("n", n, minimum=1)
    return np.random.default_rng(rng).standard_normal((n,) * p)


def symmetrise(j: np.ndarray) -> np.ndarray:
    """Average of J over all permutations of its axes (same H on the sphere)."""
    p = j.ndim
    out = np.zeros_like(j, dtype=float)
    for perm in itertools.permutations(range(p)):
        out += np.transpose(j, perm)
    return out / math.factorial(p)


def energy(j: np.ndarray, sigma) -> np.ndarray:
    """``u = H(sigma)/N`` computed directly from the (unsymmetrised) couplings J.

    ``sigma`` has shape (n,) or (m, n) and lies on the sphere of radius sqrt(n).
    """
    p, n = j.ndim, j.shape[0]
    s = np.atleast_2d(np.asarray(sigma, dtype=float))
    t = np.broadcast_to(j, (s.shape[0],) + j.shape)
    for _ in range(p):
        t = np.einsum("m...i,mi->m...", t, s)
    out = t * n ** (-(p - 1) / 2.0) / n
    return out if np.ndim(sigma) == 2 else out[0]


# --------------------------------------------------------------------------- kernels


def hessian_form(s_sym: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    r"""The matrix ``S[w^{p-2}]`` of a symmetric p-tensor S as polynomials in w, for
    :func:`_form_matrix`: ``(coef, mono)`` with ``mono`` (n_mono, p - 2) the sorted multi-indices
    alpha of length p - 2 and ``coef[r, a] = S[i, j, alpha_a] * #orderings(alpha_a)`` for the r-th
    pair ``i <= j`` (row-major), so that

        S[w^{p-2}]_{ij} = sum_a coef[r(i, j), a] prod_k w[alpha_a[k]].

    ``C(n + p - 3, p - 2)`` monomials times ``n (n + 1) / 2`` pairs instead of the
    ``n^p + n^{p-1} + ...`` products of contracting the full tensor (n = 6, p = 4: 441 against
    1512), using only that S is symmetric (its entries at every ordering of an index are equal).
    """
    p, n = s_sym.ndim, s_sym.shape[0]
    combos = list(itertools.combinations_with_replacement(range(n), p - 2))  # p = 2: one empty monomial
    mono = np.array(combos, dtype=np.int64).reshape(len(combos), p - 2)
    mult = np.array([math.factorial(p - 2) / math.prod(math.factorial(c) for c in np.bincount(a, minlength=n))
                     for a in mono]) if p > 2 else np.ones(1)
    pairs = [(i, j) for i in range(n) for j in range(i, n)]
    coef = np.empty((len(pairs), len(mono)))
    for r, (i, j) in enumerate(pairs):
        for a, alpha in enumerate(mono):
            coef[r, a] = s_sym[(i, j) + tuple(alpha)] * mult[a]
    return np.ascontiguousarray(coef), np.ascontiguousarray(mono)


@njit(cache=True)
def _form_matrix(coef, mono, w, mvals, mat):
    """``mat = S[w^{p-2}]`` (n x n) from :func:`hessian_form`'s ``(coef, mono)``; ``mvals`` is
    work space of n_mono entries."""
    n = mat.shape[0]
    for a in range(mono.shape[0]):
        v = 1.0
        for k in range(mono.shape[1]):
            v *= w[mono[a, k]]
        mvals[a] = v
    r = 0
    for i in range(n):
        for j in range(i, n):
            acc = 0.0
            for a in range(mono.shape[0]):
                acc += coef[r, a] * mvals[a]
            mat[i, j] = acc
            mat[j, i] = acc
            r += 1


@njit(cache=True)
def _newton_batch(coef, mono, n, p, starts, tol, maxit):
    """Riemannian Newton from each start (the tensor as :func:`hessian_form`); returns
    (points, residuals, converged)."""
    m = starts.shape[0]
    c = n ** (-(p - 1) / 2.0)
    rad = math.sqrt(n)
    maxstep = 0.5 * rad
    mvals = np.empty(mono.shape[0])
    mat = np.empty((n, n))
    big = np.empty((n + 1, n + 1))
    rhs = np.empty(n + 1)
    g = np.empty(n)
    sigma = np.empty(n)
    pts = np.empty((m, n))
    res = np.empty(m)
    ok = np.zeros(m, dtype=np.bool_)
    for s in range(m):
        nrm = 0.0
        for i in range(n):
            sigma[i] = starts[s, i]
            nrm += sigma[i] * sigma[i]
        nrm = math.sqrt(nrm)
        for i in range(n):
            sigma[i] *= rad / nrm
        polish = 0
        r_norm = math.inf
        for it in range(maxit):
            _form_matrix(coef, mono, sigma, mvals, mat)
            h = 0.0
            for i in range(n):
                acc = 0.0
                for jj in range(n):
                    acc += mat[i, jj] * sigma[jj]
                g[i] = acc
                h += acc * sigma[i]
            mu = p * c * h / n
            r_norm = 0.0
            for i in range(n):
                rhs[i] = -(p * c * g[i] - mu * sigma[i])
                r_norm += rhs[i] * rhs[i]
            r_norm = math.sqrt(r_norm)
            if r_norm < tol:
                polish += 1
                if polish > 2:
                    break
            rhs[n] = 0.0
            for i in range(n):
                for jj in range(n):
                    big[i, jj] = p * (p - 1) * c * mat[i, jj]
                big[i, i] -= mu
                big[i, n] = sigma[i]
                big[n, i] = sigma[i]
            big[n, n] = 0.0
            if not solve_in_place(big, rhs):
                break
            step = 0.0
            for i in range(n):
                step += rhs[i] * rhs[i]
            step = math.sqrt(step)
            f = 1.0 if step <= maxstep else maxstep / step
            nrm = 0.0
            for i in range(n):
                sigma[i] += f * rhs[i]
                nrm += sigma[i] * sigma[i]
            nrm = math.sqrt(nrm)
            for i in range(n):
                sigma[i] *= rad / nrm
        for i in range(n):
            pts[s, i] = sigma[i]
        res[s] = r_norm
        ok[s] = r_norm < tol
    return pts, res, ok


@njit(cache=True)
def _merge_unique(known, cand, dist):
    """Rows of ``cand`` farther than ``dist`` from every row of ``known`` and from each other."""
    n = cand.shape[1]
    out = np.empty((known.shape[0] + cand.shape[0], n))
    cnt = known.shape[0]
    for i in range(cnt):
        for jj in range(n):
            out[i, jj] = known[i, jj]
    d2 = dist * dist
    for r in range(cand.shape[0]):
        new = True
        for q in range(cnt):
            acc = 0.0
            for jj in range(n):
                dd = out[q, jj] - cand[r, jj]
                acc += dd * dd
                if acc > d2:
                    break
            if acc <= d2:
                new = False
                break
        if new:
            for jj in range(n):
                out[cnt, jj] = cand[r, jj]
            cnt += 1
    return out[:cnt].copy()


# --------------------------------------------------------------------------- search


def _tangent_basis(w):
    """Orthonormal basis (n, n-1) of w^perp (empty for n = 1); (m, n, n-1) for rows w (m, n)."""
    w = np.asarray(w, float)
    n = w.shape[-1]
    eye = np.broadcast_to(np.eye(n), w.shape[:-1] + (n, n))
    qm, _ = np.linalg.qr(np.concatenate([w[..., :, None], eye], axis=-1))
    return qm[..., :, 1:n]


def _hessian_spectra(s_sym: np.ndarray, pts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Energies u = H/N and Riemannian-Hessian eigenvalues (m, n-1) at the points."""
    p, n = s_sym.ndim, s_sym.shape[0]
    m = len(pts)
    if m == 0:
        return np.empty(0), np.empty((0, n - 1))
    c = n ** (-(p - 1) / 2.0)
    coef, mono = hessian_form(s_sym)
    mvals = np.empty(mono.shape[0])
    pts = np.ascontiguousarray(pts, float)
    mats = np.empty((m, n, n))
    for i in range(m):
        _form_matrix(coef, mono, pts[i], mvals, mats[i])
    h = np.einsum("bi,bij,bj->b", pts, mats, pts)
    if n == 1:
        return c * h / n, np.zeros((m, 0))
    mu = p * c * h / n
    a = p * (p - 1) * c * mats - mu[:, None, None] * np.eye(n)
    t = _tangent_basis(pts)  # orthonormal bases of the tangent spaces sigma^perp
    return c * h / n, np.linalg.eigvalsh(np.swapaxes(t, 1, 2) @ a @ t)


def critical_points(
    j: np.ndarray,
    *,
    starts: int | None = None,
    seed: int = 0,
    max_rounds: int = 8,
    tol: float = 1e-10,
) -> dict:
    r"""All critical points of the instance with couplings ``j`` (shape (n,)*p).

    Riemannian Newton from random starts in doubling rounds until a round finds
    nothing new while Morse's alternating count holds (see the module docstring).  Returns a dict with ``points``
    (m, n), ``energies`` u = H/N, ``indices``, ``hessian_eigenvalues``,
    ``complete`` (the last round found nothing new), ``starts`` (total used),
    ``rounds``, ``min_abs_eigenvalue`` (distance from degeneracy) and
    ``euler_ok`` (``sum_k (-1)^k Crt_k = 1 + (-1)^{n-1}``).
    """
    j = check_array("j", j)
    p, n = j.ndim, j.shape[0]
    check_p(p, "j.ndim")
    if any(d != n for d in j.shape):
        raise ValueError(f"j must be a cubic tensor (n,)*p, got shape {j.shape}")
    s_sym = symmetrise(j)
    coef, mono = hessian_form(s_sym)
    m0 = check_int("starts", starts if starts is not None else _default_starts(p, n), minimum=1)
    max_rounds = check_int("max_rounds", max_rounds, minimum=2)
    rng = np.random.default_rng(seed)
    dist = 1e-6 * math.sqrt(n)
    found = np.zeros((0, n))
    total = 0
    complete = False
    rounds = 0
    batch = m0
    chi = 1 + (-1) ** (n - 1)
    for rnd in range(max_rounds):
        st = rng.standard_normal((batch, n))
        pts, _, ok = _newton_batch(coef, mono, n, p, st, tol, 60)
        cand = pts[ok]
        cand = np.concatenate([cand, -cand]) if len(cand) else cand
        before = len(found)
        if len(cand):
            found = _merge_unique(found, cand, dist)
        total += batch
        rounds = rnd + 1
        if rnd >= 1 and len(found) == before:
            us, eigs = _hessian_spectra(s_sym, found)
            idx = (eigs < 0).sum(axis=1)
            euler = int(np.sum((-1) ** idx))
            if euler == chi:  # nothing new and Morse's count holds: stop
                complete = True
                break
        batch = total  # the next round doubles the total
    us, eigs = _hessian_spectra(s_sym, found)
    idx = (eigs < 0).sum(axis=1) if len(found) else np.zeros(0, dtype=int)
    counts = np.bincount(idx, minlength=n)[:n] if len(found) else np.zeros(n, dtype=int)
    euler = int(np.sum(counts * (-1) ** np.arange(n)))
    return {
        "points": found,
        "energies": us,
        "indices": idx.astype(int),
        "hessian_eigenvalues": eigs,
        "complete": complete,
        "starts": total,
        "rounds": rounds,
        "min_abs_eigenvalue": float(np.min(np.abs(eigs))) if eigs.size else math.inf,
        "euler_ok": euler == chi,
    }


def _default_starts(p: int, n: int) -> int:
    """Initial round size: a few times the algebraic bound on the number of critical points."""
    if p == 2:
        return 16 * n
    bound = 2 * ((p - 1) ** n - 1) // (p - 2)
    return int(min(8192, max(32, 4 * bound)))


def critical_points_circle(j: np.ndarray) -> dict:
    r"""All critical points for N = 2 from the roots of a trigonometric polynomial.

    ``sigma = sqrt2 (cos t, sin t)``; ``H(t)`` is a trigonometric polynomial of
    degree p whose coefficients a_m are exact from an FFT of M = 4p + 4 samples;
    ``H'(t) = sum_m i m a_m e^{imt}`` vanishes exactly at the unit-circle roots of
    ``P(z) = sum_m i m a_m z^{m+p}``.  Roots are polished by Newton in t.
    Index 1 where ``H''(t) < 0`` (a maximum), else 0.  Independent of the Newton
    search: uses only the unsymmetrised couplings and :func:`energy`.
    """
    j = check_array("j", j)
    p = j.ndim
    if j.shape != (2,) * p:
        raise ValueError(f"j must have shape (2,)*p for the circle method, got {j.shape}")
    mm = 4 * p + 4
    t = 2 * math.pi * np.arange(mm) / mm
    sig = math.sqrt(2.0) * np.column_stack([np.cos(t), np.sin(t)])
    vals = energy(j, sig) * 2.0  # H = N u
    f = np.fft.fft(vals) / mm
    freqs = np.arange(-p, p + 1)
    a = np.array([f[m % mm] for m in freqs])
    b = 1j * freqs * a  # coefficients of H'
    coeffs = b[::-1]  # highest power z^{2p} first
    roots = np.roots(coeffs)
    on = roots[np.abs(np.abs(roots) - 1.0) < 1e-5]
    th = np.angle(on)

    def d1(x):
        return np.real(np.exp(1j * np.outer(x, freqs)) @ b)

    def d2(x):
        return np.real(np.exp(1j * np.outer(x, freqs)) @ (1j * freqs * b))

    for _ in range(6):
        th = th - d1(th) / d2(th)
    th = np.sort(np.mod(th, 2 * math.pi))
    if len(th) > 1:
        keep = np.concatenate([[True], np.diff(th) > 1e-8])
        th = th[keep]
        if len(th) > 1 and (th[0] + 2 * math.pi - th[-1]) < 1e-8:
            th = th[:-1]
    pts = math.sqrt(2.0) * np.column_stack([np.cos(th), np.sin(th)])
    return {
        "angles": th,
        "points": pts,
        "energies": energy(j, pts) if len(th) else np.zeros(0),
        "indices": (d2(th) < 0).astype(int),
        "residual": float(np.max(np.abs(d1(th)))) if len(th) else 0.0,
    }


# --------------------------------------------------------------------------- study


#: the most coupling entries N^p of one sampled instance (direct counting contracts them per step)
TENSOR_ENTRIES_MAX = 2e7


def enumeration_study(
    p,
    n,
    samples,
    seed=0,
    *,
    cuts=None,
    starts: int | None = None,
    exact_samples: int = 20000,
    method: str = "newton",
) -> dict:
    r"""Mean numbers of critical points per index over sampled instances, beside ABC's expectation.

    Instances use couplings drawn from ``SeedSequence(seed).spawn(samples)``.  For
    each index k (and in total) it reports the sample mean count with its
    standard error and the exact expectation ``E Crt_{N,k}`` from
    :func:`complexity.models.pspin_finite.expected_count` (exact for N <= 3 and
    for totals; Monte Carlo with ``exact_samples`` GOE draws and its own standard
    error otherwise), and ``z = (mean - exact) / sqrt(se^2 + se_exact^2)``.
    ``cuts``: energies u0; the same table for critical points with H/N <= u0.
    ``method``: ``"newton"`` (any N) or ``"circle"`` (N = 2 only).
    """
    p = check_p(p)
    n = check_int("n", n, minimum=2, maximum=8)
    if n**p > TENSOR_ENTRIES_MAX:
        raise ValueError(f"p: the couplings of one instance have N^p = {n}^{p} entries, more than "
                         f"{TENSOR_ENTRIES_MAX:g} (each Newton step contracts them); lower p or n")
    samples = check_int("samples", samples, minimum=2)
    seed = check_int("seed", seed, minimum=0)
    if method not in ("newton", "circle"):
        raise ValueError(f"method must be 'newton' or 'circle', got {method!r}")
    if method == "circle" and n != 2:
        raise ValueError(f"method 'circle' needs n = 2, got n = {n}")
    cut_list = [check_real("cut", c) for c in (cuts or [])]
    levels = [None] + cut_list
    counts = np.zeros((len(levels), samples, n))
    complete = 0
    euler_ok = 0
    min_gap = math.inf
    total_starts = 0
    for s, child in enumerate(np.random.SeedSequence(seed).spawn(samples)):
        jseed, sseed = child.spawn(2)
        j = sample_couplings(p, n, jseed)
        if method == "circle":
            res = critical_points_circle(j)
            complete += 1
            euler_ok += int(np.sum(res["indices"] == 0) == np.sum(res["indices"] == 1))
        else:
            res = critical_points(j, starts=starts, seed=int(sseed.generate_state(1)[0]))
            complete += int(res["complete"])
            euler_ok += int(res["euler_ok"])
            min_gap = min(min_gap, res["min_abs_eigenvalue"])
            total_starts += res["starts"]
        for li, lev in enumerate(levels):
            sel = np.ones(len(res["energies"]), dtype=bool) if lev is None else res["energies"] <= lev
            counts[li, s] = np.bincount(res["indices"][sel], minlength=n)[:n]
    tables = []
    for li, lev in enumerate(levels):
        c = counts[li]
        mean = c.mean(axis=0)
        se = c.std(axis=0, ddof=1) / math.sqrt(samples)
        tot = c.sum(axis=1)
        exact = expected_counts_by_index(p, n, lev, samples=exact_samples, seed=seed + 1)
        ex_tot = expected_count(p, n, lev)
        hits = (c > 0).sum(axis=0)
        rows = []
        for k in range(n):
            rows.append(_row(k, mean[k], se[k], exact[k].expected, exact[k].stderr, exact[k].method, hits[k], samples))
        table = {
            "u": lev,
            "per_index": rows,
            "total": _row(
                None,
                tot.mean(),
                tot.std(ddof=1) / math.sqrt(samples),
                ex_tot.expected,
                0.0,
                ex_tot.method,
                int((tot > 0).sum()),
                samples,
            ),
        }
        tables.append(table)
    out = {
        "p": p,
        "n": n,
        "samples": samples,
        "seed": seed,
        "method": method,
        "complete_fraction": complete / samples,
        "euler_ok_fraction": euler_ok / samples,
        "mean_starts": total_starts / samples if method == "newton" else None,
        "min_abs_hessian_eigenvalue": min_gap if (method == "newton" and math.isfinite(min_gap)) else None,
        "per_index": tables[0]["per_index"],
        "total": tables[0]["total"],
    }
    if cut_list:
        out["cuts"] = tables[1:]
    return out


#: below this many instances with a nonzero count, the sample standard error is
#: replaced by the Poisson floor sqrt(exact / samples) in z (rare-event regime)
RARE_HITS = 10


def _row(k, mean, se, exact, exact_se, method, hits, samples):
    """One table row; ``z = (mean - exact) / sqrt(se^2 + se_exact^2)`` (Poisson floor when rare)."""
    se_eff = max(se, math.sqrt(max(exact, 0.0) / samples)) if hits < RARE_HITS else se
    err = math.sqrt(se_eff * se_eff + exact_se * exact_se)
    z = (mean - exact) / err if err > 0 else (0.0 if mean == exact else math.copysign(math.inf, mean - exact))
    row = {
        "mean": float(mean),
        "stderr": float(se),
        "exact": float(exact),
        "exact_stderr": float(exact_se),
        "exact_method": method,
        "hits": int(hits),
        "z": float(z) if math.isfinite(z) else None,
    }
    if k is not None:
        row = {"k": k, **row}
    return row
