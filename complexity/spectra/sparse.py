r"""Percolated (diluted) Wigner matrices: the sparse Erdos-Renyi ensemble of mean degree c.

The matrix (``"wigner"`` scale).  ``H`` is ``N x N`` real symmetric with zero diagonal; each
pair ``{i, j}`` is kept independently with probability ``c / N`` (an Erdos-Renyi pattern of
mean degree ``c``) and a kept entry is ``w / sqrt(c)`` with ``w ~ N(0, 1)``.  Every row has
variance 1, so the second moment is 1 at every ``c`` and ``c -> infinity`` gives the
semicircle of variance 1 on ``[-2, 2]``.  ``scale="abc"`` divides H by sqrt 2.

The limit ``mu_c`` has an atom at 0 and a continuous part, symmetric about 0.

* Atom (exact; Bauer-Golinelli 2001, Bordenave-Lelarge-Salez 2011, Ann. Probab. 39, 1097):
  ``mu_c({0}) = t + e^{-c t} + c t e^{-c t} - 1`` with ``t`` the smallest root of
  ``t = exp(-c exp(-c t))``.  For ``c <= e`` the root is ``t = W(c)/c`` (Lambert W; the
  only root), so the mass is ``(2 W(c) + W(c)^2)/c - 1``; for ``c > e`` the equation has
  three roots (the middle one is ``W(c)/c``) and the smallest one is found by bracketing.
  Limits: ``1 - c + O(c^2)`` as ``c -> 0``; ``e^{-c} + (c^2/2) e^{-2c} + ...`` as
  ``c -> infinity`` (isolated vertices, then vertices carrying two leaves).  The formula is
  stated for adjacency matrices; leaf removal changes the rank by exactly 2 for any
  non-zero weights, so the same count holds for the weighted matrix wherever leaf removal
  decides the kernel (``c < e``), and it is checked against exact nullities of sampled
  weighted matrices at every ``c`` (tests).
* Continuous part (no closed form): the cavity equations for the resolvent on the
  Poisson(c) Galton-Watson tree (Kuhn 2008, J. Phys. A 41, 295002),
  ``g = 1 / (z - sum_{k=1}^{K} (w_k^2 / c) g_k)``, ``K ~ Poisson(c)``, ``w_k ~ N(0, 1)``, ``g_k``
  iid copies of ``g`` (for Erdos-Renyi the cavity and the full resolvent have the same law,
  so ``m(z) = E g``), solved by population dynamics at ``z = x + i eta`` for two widths
  ``eta`` and ``2 eta``.  ``-Im m(x + i eta)/pi`` is exactly the measure convolved with the
  Cauchy kernel of width eta; the atom's Lorentzian ``p0 eta / (pi (x^2 + eta^2))`` is
  removed exactly and the linear bias in eta cancelled by ``2 rho_eta - rho_{2 eta}``
  (Richardson).  Statistical error: the spread over independent populations (c = 2,
  defaults: 0.001-0.003 in the bulk).  The table (knots on ``[0, X]``, mirrored) is cached
  per instance and deterministic given ``seed``.  The continuous density is singular at 0
  (sampled matrices have eigenvalues in every decade down to 1e-10); within ``|x| <~ 3 eta``
  the table is a smoothed stand-in carrying the right mass, not a pointwise density.
* The measure this object represents is the piecewise-linear density through the table
  (renormalised to ``1 - p0``; the raw mass and its standard error are in :meth:`table`)
  plus the exact atom.  Its Stieltjes transform, cdf, moments and log-potential are the
  exact transforms of that density (second-difference sums over the knots, no quadrature):
  ``m_c(z) = sum_k D_k (z - l_k) log(z - l_k)``, ``Phi_c(x) = sum_k D_k f(x - l_k)`` with
  ``f(u) = u^2 log|u| / 2 - 3 u^2 / 4``, ``F_c(x) = sum_k D_k (x - l_k)_+^2 / 2``, ``D_k`` the
  jump of the slope at knot ``l_k``.
* Support: in principle the whole line (high-degree vertices give Lifshitz tails);
  :meth:`support` returns ``[(-X, X)]``, the interval of the table, outside which the
  density is below the table's resolution (``X = 7 max(1, c^-1/2)``; the mass beyond it is
  under 1e-8 for the star and edge configurations that dominate the tails).
* Moments: exact, ``m_2k = sum`` over closed walks of length 2k on the Poisson tree of
  ``c^{#edges} prod_e (2 n_e - 1)!! / c^{n_e}`` (edge e crossed ``2 n_e`` times):
  ``m_2 = 1``, ``m_4 = 2 + 3/c``, ``m_6 = 5 + 18/c + 15/c^2``, odd moments 0.
* Dense dilution: ``percolated(q=q)`` keeps each pair with a fixed probability ``q`` and
  scales kept entries by ``1/sqrt(q N)``: the semicircle of variance 1, no atom.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict

import numpy as np
from numba import njit

from complexity._validate import check_array, check_int, check_real
from complexity.spectra._base import SCALES, SpectralMeasure
from complexity.spectra.semicircle import Semicircle

__all__ = [
    "Percolated",
    "PercolatedDense",
    "percolated",
    "atom_mass",
    "atom_root",
    "exact_moments",
    "sample_sparse",
    "kernel_dimension",
    "population_stieltjes",
]

# ---------------------------------------------------------------------------- the atom


def _two_step_gap(t, c):
    return math.exp(-c * math.exp(-c * t)) - t


def atom_root(c: float) -> float:
    """The smallest root ``t`` of ``t = exp(-c exp(-c t))`` (``W(c)/c`` for ``c <= e``)."""
    from scipy.optimize import brentq
    from scipy.special import lambertw

    c = check_real("c", c, lower=0.0, lower_open=True)
    t_mid = float(lambertw(c).real) / c  # the root of t = exp(-c t): always a root
    if c <= math.e:
        return t_mid
    # c > e: t_mid is repelling (slope W(c)^2 > 1), the gap is > 0 at 0 and < 0 just below t_mid
    d = 0.5 * t_mid
    while _two_step_gap(t_mid - d, c) >= 0.0:
        d *= 0.5
        if d < 1e-15 * t_mid:
            return t_mid
    return brentq(_two_step_gap, 0.0, t_mid - d, args=(c,), xtol=1e-300, rtol=1e-15, maxiter=500)


def _exp_poly_minus_one(u):
    """``e^{-u} (1 + u) - 1`` without cancellation (series below 0.01)."""
    if u < 1e-2:
        return sum((-1) ** (n + 1) * (n - 1) * u**n / math.factorial(n) for n in range(2, 12))
    return math.exp(-u) * (1.0 + u) - 1.0


def atom_mass(c: float) -> float:
    """``mu_c({0}) = t + e^{-ct} + c t e^{-ct} - 1`` (Bauer-Golinelli; Bordenave-Lelarge-Salez),
    ``t`` = :func:`atom_root`; the limiting fraction of zero eigenvalues of the mean-degree-c
    Erdos-Renyi matrix with generic non-zero weights."""
    c = check_real("c", c, lower=0.0, lower_open=True)
    t = atom_root(c)
    return float(t + _exp_poly_minus_one(c * t))


# ---------------------------------------------------------------------------- exact moments


def _dfact(n):
    out = 1
    for j in range(1, 2 * n, 2):
        out *= j
    return out


_MOMENT_POLYS: dict = {}


def exact_moments_poly(order: int) -> dict:
    """``m_order`` as ``{j: a_j}`` with ``m = sum_j a_j c^{-j}`` (integers), by enumerating the
    closed walks of length ``order`` from the root of a tree: each new vertex carries a factor
    ``c`` (falling-factorial moments of Poisson(c) children), each edge crossed ``2n`` times
    the weight moment ``E w^{2n} / c^n = (2n - 1)!! / c^n``.  Odd orders vanish."""
    order = check_int("order", order, minimum=1, maximum=16)
    if order % 2:
        return {}
    if order in _MOMENT_POLYS:
        return _MOMENT_POLYS[order]
    poly = defaultdict(int)
    parent, crossings, depth = [-1], [0], [0]

    def walk(v, left):
        if left == 0:
            if v == 0:
                halves = [crossings[e] // 2 for e in range(1, len(parent))]
                weight = 1
                for n in halves:
                    weight *= _dfact(n)
                poly[sum(halves) - len(halves)] += weight
            return
        if depth[v] > left:
            return
        if v != 0:
            crossings[v] += 1
            walk(parent[v], left - 1)
            crossings[v] -= 1
        for u in range(1, len(parent)):
            if parent[u] == v:
                crossings[u] += 1
                walk(u, left - 1)
                crossings[u] -= 1
        if depth[v] + 1 <= left - 1:
            parent.append(v)
            crossings.append(1)
            depth.append(depth[v] + 1)
            walk(len(parent) - 1, left - 1)
            parent.pop()
            crossings.pop()
            depth.pop()

    walk(0, order)
    _MOMENT_POLYS[order] = dict(sorted(poly.items()))
    return _MOMENT_POLYS[order]


def exact_moments(c: float, k: int) -> np.ndarray:
    """``[m_1, ..., m_k]`` of ``mu_c`` exactly (``k <= 16``): ``m_2 = 1``, ``m_4 = 2 + 3/c``,
    ``m_6 = 5 + 18/c + 15/c^2``, ...; odd moments 0."""
    c = check_real("c", c, lower=0.0, lower_open=True)
    k = check_int("k", k, minimum=1, maximum=16)
    return np.array([sum(a * c ** (-j) for j, a in exact_moments_poly(n).items()) for n in range(1, k + 1)], float)


# ---------------------------------------------------------------------------- sampling


def sample_sparse(n: int, c: float, rng, *, q: float | None = None):
    """One draw of the percolated matrix as ``scipy.sparse.csr_matrix``: pairs kept with
    probability ``c/n`` (or ``q``), entries ``N(0, 1) / sqrt(c)`` (or ``/ sqrt(q n)``), zero
    diagonal."""
    import scipy.sparse as sp

    p = c / n if q is None else q
    scale = 1.0 / math.sqrt(c if q is None else q * n)
    pairs = n * (n - 1) // 2
    m = int(rng.binomial(pairs, min(p, 1.0)))
    if p > 0.2:  # dense dilution: a Bernoulli mask over the upper triangle
        iu, ju = np.triu_indices(n, 1)
        keep = rng.random(iu.size) < p
        i, j = iu[keep], ju[keep]
    else:  # m distinct pairs uniformly (distinct codes i * n + j, i < j)
        codes = np.empty(0, np.int64)
        while codes.size < m:
            a = rng.integers(0, n, size=2 * (m - codes.size) + 16)
            b = rng.integers(0, n, size=a.size)
            ok = a != b
            lo, hi = np.minimum(a[ok], b[ok]), np.maximum(a[ok], b[ok])
            new = np.unique(np.concatenate([codes, lo.astype(np.int64) * n + hi]))
            codes = new if new.size <= m else rng.permutation(new)[:m]
        i, j = codes // n, codes % n
    w = rng.standard_normal(i.size) * scale
    a = sp.coo_matrix((np.concatenate([w, w]), (np.concatenate([i, j]), np.concatenate([j, i]))), shape=(n, n))
    return a.tocsr()


def kernel_dimension(a, tol: float = 1e-12) -> tuple:
    """``dim ker A`` of a sparse symmetric zero-diagonal matrix, and the count of core
    eigenvalues in ``(tol, 1e3 tol]`` (a gap diagnostic that should be 0).

    Leaf removal (Karp-Sipser): a vertex ``v`` of degree 1 with neighbour ``u`` gives
    ``rank A = 2 + rank A[minus u, v]`` for any non-zero weight (exact elimination); isolated
    vertices add 1 to the kernel.  The remaining core (every degree >= 2) is decided
    numerically: its eigenvalues with ``|l| <= tol max(1, ||core||)`` (dense ``eigvalsh``).
    """
    import scipy.sparse as sp

    a = sp.csr_matrix(a)
    n = a.shape[0]
    indptr, indices = a.indptr, a.indices
    deg = np.diff(indptr).astype(np.int64)
    alive = np.ones(n, bool)
    stack = list(np.nonzero(deg == 1)[0])
    while stack:
        v = stack.pop()
        if not alive[v] or deg[v] != 1:
            continue
        nb = indices[indptr[v]:indptr[v + 1]]
        u = nb[alive[nb]][0]
        alive[v] = alive[u] = False
        for y in indices[indptr[u]:indptr[u + 1]]:
            if alive[y]:
                deg[y] -= 1
                if deg[y] == 1:
                    stack.append(y)
    isolated = int(np.sum(alive & (deg == 0)))
    core = np.nonzero(alive & (deg > 0))[0]
    if core.size == 0:
        return isolated, 0
    ev = np.linalg.eigvalsh(a[core][:, core].toarray())
    thr = tol * max(1.0, float(np.max(np.abs(ev))))
    small = np.abs(ev)
    return isolated + int(np.sum(small <= thr)), int(np.sum((small > thr) & (small <= 1e3 * thr)))


# ---------------------------------------------------------------------------- population dynamics

@njit(cache=True, fastmath=True)
def _population_sweeps(c, xr, xi, n_pop, n_burn, n_meas, seed):  # pragma: no cover - compiled
    np.random.seed(seed)
    nz = xr.size
    gr = np.empty((n_pop, nz))
    gi = np.empty((n_pop, nz))
    for i in range(n_pop):  # start from the semicircle-like 1/(z + i)
        for q in range(nz):
            d = xr[q] * xr[q] + (xi[q] + 1.0) ** 2
            gr[i, q] = xr[q] / d
            gi[i, q] = -(xi[q] + 1.0) / d
    ar = np.empty(nz)
    ai = np.empty(nz)
    outr = np.zeros(nz)
    outi = np.zeros(nz)
    sweep_r = np.zeros((n_meas, nz))
    sweep_i = np.zeros((n_meas, nz))
    for s in range(n_burn + n_meas):
        for _ in range(n_pop):
            i = np.random.randint(n_pop)
            k = np.random.poisson(c)
            for q in range(nz):
                ar[q] = xr[q]
                ai[q] = xi[q]
            for _t in range(k):
                j = np.random.randint(n_pop)
                w = np.random.standard_normal()
                w = w * w / c
                for q in range(nz):
                    ar[q] -= w * gr[j, q]
                    ai[q] -= w * gi[j, q]
            for q in range(nz):
                d = 1.0 / (ar[q] * ar[q] + ai[q] * ai[q])
                gr[i, q] = ar[q] * d
                gi[i, q] = -ai[q] * d
        if s >= n_burn:
            for i in range(n_pop):
                for q in range(nz):
                    sweep_r[s - n_burn, q] += gr[i, q]
                    sweep_i[s - n_burn, q] += gi[i, q]
    for s in range(n_meas):
        for q in range(nz):
            outr[q] += sweep_r[s, q]
            outi[q] += sweep_i[s, q]
    return (outr + 1j * outi) / (n_meas * n_pop)


def _kernel():
    return _population_sweeps


def population_stieltjes(c, z, *, population=1000, replicas=8, burn=30, sweeps=50, seed=0):
    """``m(z) = E g`` for ``Im z > 0`` from the cavity recursion
    ``g = 1/(z - sum_{k<=K} (w_k^2/c) g_k)``, ``K ~ Poisson(c)``, by population dynamics:
    ``replicas`` independent populations of ``population`` members, ``burn`` sweeps to
    equilibrate, the population mean averaged over ``sweeps`` further sweeps.

    Returns ``(mean, stderr)`` over the replicas (``stderr = sd / sqrt(replicas)``).
    Deterministic given ``seed``.
    """
    c = check_real("c", c, lower=0.0, lower_open=True)
    z = np.atleast_1d(np.asarray(z, complex)).ravel()
    if not np.all(np.isfinite(z)) or np.any(z.imag <= 0):
        raise ValueError("z must be finite with Im z > 0 for the population dynamics")
    population = check_int("population", population, minimum=10)
    replicas = check_int("replicas", replicas, minimum=2)
    burn = check_int("burn", burn, minimum=0)
    sweeps = check_int("sweeps", sweeps, minimum=1)
    seed = check_int("seed", seed, minimum=0)
    run = _kernel()
    seeds = np.random.SeedSequence(seed).generate_state(replicas)
    out = np.array([run(c, z.real.copy(), z.imag.copy(), population, burn, sweeps, int(s) % (2**31)) for s in seeds])
    return out.mean(axis=0), out.std(axis=0, ddof=1) / math.sqrt(replicas)


def _half_grid(c, eta):
    """Knots on [0, X]: spacing eta/2 to 0.1 (the peak at 0), 0.02 to 0.5, 0.05 to 3.5 s,
    0.25 to X = 7 s, with s = max(1, c^-1/2)."""
    s = max(1.0, 1.0 / math.sqrt(c))
    near = np.arange(0.0, 0.1, eta / 2.0)
    mid = np.arange(0.1, 0.5, 0.02)
    bulk = np.arange(0.5, 3.5 * s, 0.05)
    tail = np.linspace(3.5 * s, 7.0 * s, 15)
    return np.unique(np.round(np.concatenate([near, mid, bulk, tail]), 12))


_TABLES: dict = {}


def _build_table(c, eta, population, replicas, burn, sweeps, seed):
    key = (c, eta, population, replicas, burn, sweeps, seed)
    if key in _TABLES:
        return _TABLES[key]
    t0 = time.perf_counter()
    x = _half_grid(c, eta)
    p0 = atom_mass(c)
    z = np.concatenate([x + 1j * eta, x + 2j * eta])
    c_run = _kernel()
    seeds = np.random.SeedSequence(seed).generate_state(replicas)
    reps = np.array([c_run(c, z.real.copy(), z.imag.copy(), population, burn, sweeps, int(s) % (2**31)) for s in seeds])
    rho = {}
    for k, e in enumerate((eta, 2.0 * eta)):
        m = reps[:, k * x.size:(k + 1) * x.size]
        rho[e] = -m.imag / math.pi - p0 * e / (math.pi * (x * x + e * e))
    est = 2.0 * rho[eta] - rho[2.0 * eta]  # per replica: the Richardson combination
    dens = est.mean(axis=0)
    se = est.std(axis=0, ddof=1) / math.sqrt(replicas)
    dens = np.maximum(dens, 0.0)
    dens[-1] = 0.0  # the table's end: the density is below resolution there
    knots = np.concatenate([-x[:0:-1], x])
    vals = np.concatenate([dens[:0:-1], dens])
    ses = np.concatenate([se[:0:-1], se])
    raw = float(np.sum(0.5 * (vals[1:] + vals[:-1]) * np.diff(knots)))
    # per replica (mirrored, clipped, end set to 0): standard errors of the mass and moments
    reps = np.maximum(est, 0.0)
    reps[:, -1] = 0.0
    reps = np.concatenate([reps[:, :0:-1], reps], axis=1)
    per_rep = np.sum(0.5 * (reps[:, 1:] + reps[:, :-1]) * np.diff(knots)[None, :], axis=1)
    table = {
        "knots": knots,
        "density_raw": vals,
        "stderr": ses,
        "raw_mass": raw,
        "raw_mass_stderr": float(per_rep.std(ddof=1) / math.sqrt(replicas)),
        "replica_density": reps,
        "atom": p0,
        "eta": eta,
        "seconds": time.perf_counter() - t0,
        "points": int(z.size),
    }
    _TABLES[key] = table
    return table


# ---------------------------------------------------------------------------- the measure


class Percolated(SpectralMeasure):
    """The limiting spectrum of the percolated Wigner matrix of mean degree ``c`` ("wigner" scale).

    ``eta``: the smallest regularisation width of the population-dynamics table (the table
    combines ``eta`` and ``2 eta``); ``population``, ``replicas``, ``burn``, ``sweeps``,
    ``seed``: the population-dynamics run (see :func:`population_stieltjes`).
    """

    name = "percolated"

    def __init__(self, c, *, eta=0.01, population=1000, replicas=8, burn=30, sweeps=50, seed=0):
        c = check_real("c", c, lower=0.0, lower_open=True)
        eta = check_real("eta", eta, lower=1e-4, upper=0.1)
        pop = dict(
            population=check_int("population", population, minimum=100),
            replicas=check_int("replicas", replicas, minimum=2),
            burn=check_int("burn", burn, minimum=0),
            sweeps=check_int("sweeps", sweeps, minimum=1),
            seed=check_int("seed", seed, minimum=0),
        )
        super().__init__(scale="wigner", params={"c": c, "eta": eta, **pop})
        self.c, self.eta, self._pop = c, eta, pop
        self.p0 = atom_mass(c)

    # -- the table ------------------------------------------------------------
    def table(self) -> dict:
        """The tabulated continuous part: ``knots``, ``density`` (renormalised to ``1 - p0``),
        ``density_raw``, ``stderr`` (per knot, over independent populations), ``raw_mass``
        and ``raw_mass_stderr`` (the continuous mass before renormalising), ``eta``,
        ``seconds`` (build time) and ``points`` (complex points solved)."""
        if "table" not in self._cache:
            p = self._pop
            t = dict(_build_table(self.c, self.eta, p["population"], p["replicas"], p["burn"], p["sweeps"], p["seed"]))
            miss = t["raw_mass"] - (1.0 - self.p0)
            if abs(miss) > 5.0 * t["raw_mass_stderr"] + 2e-3:
                self._warn(
                    f"population dynamics at c = {self.c}: the table's continuous mass misses 1 - atom by "
                    f"{miss:.2e} (stderr {t['raw_mass_stderr']:.1e}); raise population, sweeps or the grid resolution"
                )
            scale = (1.0 - self.p0) / t["raw_mass"]
            t["density"] = t["density_raw"] * scale
            knots, rho = t["knots"], t["density"]
            slope = np.diff(rho) / np.diff(knots)
            t["jumps"] = np.diff(np.concatenate([[0.0], slope, [0.0]]))  # D_k at every knot
            self._cache["table"] = t
        return self._cache["table"]

    def density_stderr(self, x) -> np.ndarray:
        """The statistical error of :meth:`density` (interpolated per-knot standard error)."""
        x = check_array("x", x)
        t = self.table()
        return np.interp(np.abs(x), t["knots"][t["knots"] >= 0], t["stderr"][t["knots"] >= 0], right=0.0)

    def _table_moments(self, n_max):
        """``int l^n rho_c`` for n = 0..n_max of the piecewise-linear density (exact)."""
        t = self.table()
        lam, d = t["knots"], t["jumps"]
        return np.array([np.sum(d * lam ** (n + 2)) / ((n + 1) * (n + 2)) for n in range(n_max + 1)])

    def table_moments(self, k: int) -> tuple:
        """Raw moments ``[m_1..m_k]`` of the tabulated measure (density table plus the atom,
        which adds nothing at 0) and their standard errors over the independent populations
        (each replica's table renormalised to ``1 - p0`` like the mean table)."""
        k = check_int("k", k, minimum=1, maximum=60)
        t = self.table()
        lam = t["knots"]
        per = []
        for r in t["replica_density"]:
            d = np.diff(np.concatenate([[0.0], np.diff(r) / np.diff(lam), [0.0]]))
            mom = np.array([np.sum(d * lam ** (n + 2)) / ((n + 1) * (n + 2)) for n in range(k + 1)])
            per.append(mom[1:] * (1.0 - self.p0) / mom[0])
        per = np.array(per)
        return self._table_moments(k)[1:], per.std(axis=0, ddof=1) / math.sqrt(per.shape[0])

    # -- hooks ------------------------------------------------------------------
    def _support(self):
        x_max = float(self.table()["knots"][-1])
        return [(-x_max, x_max)]

    def _atoms(self):
        return [(0.0, self.p0)]

    def _m_cont(self, z, real_axis, derivative=False):
        """``m_c(z) = sum_k D_k (z - l_k) log(z - l_k)`` or, with ``derivative``,
        ``m_c'(z) = sum_k D_k log(z - l_k)`` (``sum_k D_k = 0``); multipole series beyond 2X."""
        t = self.table()
        lam, d = t["knots"], t["jumps"]
        x_max = lam[-1]
        z = np.asarray(z, complex).ravel()
        out = np.empty(z.size, complex)
        far = np.abs(z) > 2.0 * x_max
        if np.any(far):  # multipole series, |lam / z| < 1/2
            mom = self._table_moments(60)
            zf = z[far]
            if derivative:
                out[far] = -sum((n + 1) * mom[n] / zf ** (n + 2) for n in range(61))
            else:
                out[far] = sum(mom[n] / zf ** (n + 1) for n in range(61))
        near = ~far
        for j0 in range(0, int(np.sum(near)), 2048):
            idx = np.nonzero(near)[0][j0:j0 + 2048]
            u = z[idx, None] - lam[None, :]
            if real_axis:
                ur = u.real
                with np.errstate(divide="ignore", invalid="ignore"):
                    lg = np.log(np.abs(ur)) + 1j * math.pi * (ur < 0)
                    term = lg if derivative else np.where(ur == 0, 0.0, ur * lg)
            else:
                term = np.log(u) if derivative else u * np.log(u)
            out[idx] = term @ d
        return out

    def _stieltjes_derivative(self, z, dist=None, h=None):
        """``m'(z) = sum_k D_k log(z - l_k) - p0 / z^2``: the exact derivative of the
        tabulated measure's transform (``z`` off the support; ``dist``, ``h`` unused)."""
        z = np.asarray(z, complex).ravel()
        up = np.where(z.imag >= 0, z, z.conjugate())
        m = self._m_cont(up, False, derivative=True) - self.p0 / up**2
        m = np.where(z.imag == 0, m.real + 0j, m)  # real off the support (sum_k D_k = 0 exactly)
        return np.where(z.imag >= 0, m, m.conjugate())

    def _stieltjes_upper(self, z):
        return self._m_cont(z, False) + self.p0 / z

    def _stieltjes_real(self, x):
        x = np.asarray(x, float)
        with np.errstate(divide="ignore"):
            return self._m_cont(x, True) + self.p0 / x

    def _continuous_stieltjes_real(self, x):
        return self._m_cont(np.asarray(x, float), True)

    def _density(self, x):
        t = self.table()
        return np.interp(x, t["knots"], t["density"], left=0.0, right=0.0)

    def _log_potential(self, x):
        t = self.table()
        lam, d = t["knots"], t["jumps"]
        x_max = lam[-1]
        x = np.asarray(x, float)
        out = np.empty(x.size)
        with np.errstate(divide="ignore"):
            atom = self.p0 * np.log(np.abs(x))
        far = np.abs(x) > 4.0 * x_max
        if np.any(far):
            mom = self._table_moments(40)
            xf = x[far]
            out[far] = mom[0] * np.log(np.abs(xf)) - sum(mom[n] / (n * xf**n) for n in range(1, 41))
        near = np.nonzero(~far)[0]
        for j0 in range(0, near.size, 2048):
            idx = near[j0:j0 + 2048]
            u = x[idx, None] - lam[None, :]
            with np.errstate(divide="ignore", invalid="ignore"):
                f = np.where(u == 0, 0.0, 0.5 * u * u * np.log(np.abs(u)) - 0.75 * u * u)
            out[idx] = f @ d
        return out + atom

    def cdf(self, x):
        """``mu((-inf, x])``: the atom plus ``sum_k D_k (x - l_k)_+^2 / 2`` (exact for the table)."""
        x = check_array("x", x)
        t = self.table()
        lam, d = t["knots"], t["jumps"]
        flat = x.ravel()
        left = np.maximum(flat[:, None] - lam[None, :], 0.0)
        right = np.maximum(lam[None, :] - flat[:, None], 0.0)
        # left of 0 the mass below x, right of 0 one minus the mass above x (both exact; each
        # sums only the knots on its own side, so a tail is resolved to round-off of itself)
        cont = np.where(flat <= 0.0, (0.5 * left * left) @ d, (1.0 - self.p0) - (0.5 * right * right) @ d)
        cont = np.where(flat >= lam[-1], 1.0 - self.p0, np.where(flat <= lam[0], 0.0, cont))
        out = cont + self.p0 * (flat >= 0.0)
        return np.clip(out, 0.0, 1.0).reshape(x.shape)

    def _moments(self, k):
        if k <= 16:
            return exact_moments(self.c, k)
        out = self.table_moments(k)[0]
        out[:16] = exact_moments(self.c, 16)
        return out

    def stieltjes_population(self, z, **kwargs):
        """``(m(z), stderr)`` straight from population dynamics at ``Im z > 0`` (no table):
        keyword arguments as :func:`population_stieltjes` (defaults: this instance's)."""
        opts = {**self._pop, **kwargs}
        return population_stieltjes(self.c, z, **opts)

    def nullity_mc(self, n: int, samples: int, *, seed=None, tol: float = 1e-12):
        """Fraction of zero eigenvalues of ``samples`` draws at size ``n`` (exact leaf removal
        plus the core's numerical kernel, :func:`kernel_dimension`): ``(mean, stderr, gap)``,
        ``stderr`` the standard error over draws, ``gap`` the total count of core eigenvalues
        in ``(tol, 1e3 tol]``."""
        n = check_int("n", n, minimum=2)
        samples = check_int("samples", samples, minimum=2)
        rng = np.random.default_rng(seed)
        fr, gap = [], 0
        for _ in range(samples):
            k, g = kernel_dimension(sample_sparse(n, self.c, rng), tol)
            fr.append(k / n)
            gap += g
        fr = np.array(fr)
        return float(fr.mean()), float(fr.std(ddof=1) / math.sqrt(samples)), gap

    def sample_sparse(self, n: int, *, seed=None):
        """One seeded draw at size ``n`` as a ``scipy.sparse`` CSR matrix."""
        n = check_int("n", n, minimum=2)
        return sample_sparse(n, self.c, np.random.default_rng(seed))

    def _sample_matrices(self, n, samples, rng):
        return np.stack([sample_sparse(n, self.c, rng).toarray() for _ in range(samples)])


class PercolatedDense(Semicircle):
    """Dense dilution: each pair kept with fixed probability ``q``, kept entries
    ``N(0, 1)/sqrt(q N)``, zero diagonal.  The limit is the semicircle of variance 1 on
    ``[-2, 2]`` ("wigner" scale), with no atom; the sampler draws the diluted matrices."""

    name = "percolated_dense"

    def __init__(self, q):
        q = check_real("q", q, lower=0.0, upper=1.0, lower_open=True)
        super().__init__(2.0, scale="wigner", params={"q": q})
        self.q = q
        self.potential = None  # the diluted matrices are not an invariant ensemble

    def _sample_matrices(self, n, samples, rng):
        return np.stack([sample_sparse(n, 0.0, rng, q=self.q).toarray() for _ in range(samples)])


def percolated(c=None, *, q=None, scale: str = "wigner", **options) -> SpectralMeasure:
    """The percolated Wigner matrix's limiting spectrum.

    ``percolated(c)``: sparse dilution, each pair kept with probability ``c/N`` (mean degree
    ``c > 0``), entries of variance ``1/c``: exact atom at 0, population-dynamics continuous
    part (``options``: ``eta``, ``population``, ``replicas``, ``burn``, ``sweeps``, ``seed``).
    ``percolated(q=q)``: dense dilution, a fixed fraction ``q`` in (0, 1] kept, entries of
    variance ``1/(q N)``: the semicircle of variance 1, no atom.
    ``scale="abc"``: the matrix divided by sqrt 2.
    """
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {tuple(SCALES)}, got {scale!r}")
    if (c is None) == (q is None):
        raise ValueError("give exactly one of c (mean degree, sparse dilution) and q (kept fraction, dense dilution)")
    if q is not None:
        if options:
            raise ValueError(f"options {sorted(options)} apply only to the sparse dilution (c)")
        return PercolatedDense(q).to_scale(scale)
    return Percolated(c, **options).to_scale(scale)
