r"""Block Gaussian random matrices: the vector Dyson equation, density, support and log-potential.

Ensemble (any number of blocks)
-------------------------------
``H = W + diag(a_1 I_{N_1}, ..., a_k I_{N_k})``, block ``i`` holding a fraction
``f_i = N_i / N`` of the indices; ``W`` real symmetric Gaussian with independent entries,
``Var W_ab = S_ij / N`` for ``a`` in block ``i`` and ``b`` in block ``j`` (a != b) and twice
that on the diagonal (GOE-like in every block).  The limiting spectral measure has the
Stieltjes transform ``m(z) = sum_i f_i g_i(z)``, ``m(z) = int dmu(l) / (z - l)``, where the
block resolvents solve the vector Dyson (self-consistent) equation

    g_i(z) = 1 / (z - a_i - sum_j S_ij f_j g_j(z)).

Branch: for ``Im z > 0`` the physical solution is the unique one with ``Im g_i < 0`` for
every block (each ``g_i`` is the Stieltjes transform of a probability measure, the
normalised trace of the resolvent over block i), and it is the attracting fixed point of
the map above; we follow it from ``Im z`` large (where ``g_i ~ 1/z``) down to the real axis
by Newton continuation, and on the real axis keep the root with ``Im g_i <= 0`` (the limit
from above).  ``rho(l) = -Im m(l + i0) / pi``.

The coupled (GAN) model's Hessian ``b M + b1 (M1 + 0) - x1 (I_D + 0)`` (M ~ GOE_N, M1 ~
GOE_{kappa N}, both in the "abc" scale normalised by their own dimension) is the case
``f = (kappa, 1 - kappa)``, ``S = [[(b^2 + b1^2/kappa)/2, b^2/2], [b^2/2, b^2/2]]``,
``a = (-x1, 0)``: :func:`gan_ensemble`.

Log-potential: ``Phi(x) = int log|x - l| dmu(l) = Re Psi(g(x + i0); x)`` with
``Psi(g; z) = sum_i f_i [(z - a_i) g_i - log g_i - 1] - (1/2) sum_ij f_i S_ij f_j g_i g_j``
(the Dyson equation is ``dPsi/dg = 0`` and ``dPsi/dz = m``; see :func:`log_potential`):
one Dyson solve per point, exact to round-off, inside or outside the support.  The
cumulative integral of ``Phi' = Re m`` is kept as a cross-check (``method="quadrature"``).

Support (:func:`support`): Weyl windows, the two-block edge polynomial (derived in
``derivations/block_edges.py``), classification by the density between candidates,
Newton polishing on the extended system, a mass check.  Two-block fast path: the quartic
in ``t = z - (b^2/2) m`` (:func:`gan_quartic_stieltjes`).  Monte Carlo: :func:`sample`,
:func:`spectrum_histogram`, :func:`log_abs_det_mc`.

Spectral layer: :class:`BlockEnsemble` is a :class:`complexity.spectra.SpectralMeasure`
whose hooks are the functions of this module (``ens.stieltjes``, ``ens.density``,
``ens.support()``, ``ens.log_potential``, ``ens.sample``, ``ens.log_abs_det_mc``; moments,
cdf and quantiles by the layer's generic routes); the module functions are thin wrappers
kept for their callers.  :func:`complexity.spectra.deformed` of a discrete measure is a
block ensemble.  Documentation: docs/rmt.md.
"""

from __future__ import annotations

import dataclasses
import math
import os
from concurrent.futures import ThreadPoolExecutor

import numba
import numpy as np

from complexity._linalg import solve_in_place
from complexity._validate import check_array, check_real
from complexity.spectra import _quadrature as Q
from complexity.spectra._base import SCALES, SpectralMeasure, annealed_log_mean, checked_affine, scale_factor

__all__ = [
    "BlockEnsemble",
    "gan_ensemble",
    "stieltjes",
    "stieltjes_transform",
    "density",
    "support",
    "n_intervals",
    "log_potential",
    "log_potential_grid",
    "sample",
    "block_sizes",
    "sample_eigenvalues",
    "spectrum_histogram",
    "log_abs_det_mc",
    "gan_quartic_stieltjes",
    "gan_log_potential_quartic",
    "gan_density",
]

@dataclasses.dataclass(frozen=True)
class BlockEnsemble(SpectralMeasure):
    """Fractions ``f_i``, variance profile ``S_ij`` (N times the entry variance) and shifts ``a_i``.

    A :class:`complexity.spectra.SpectralMeasure`: its Stieltjes transform, density,
    support, log-potential and sampler are the block solver's (module functions below);
    moments, cdf and quantiles come from the spectral layer's generic routes.

    ``scale`` labels the convention the matrices are written in (the spectral layer's
    named scales): ``"wigner"`` (default) when ``S`` counts Wigner-scale variances, so one
    block with ``S = v`` is the semicircle of variance ``v`` (radius ``2 sqrt v``);
    :func:`gan_ensemble` is labelled ``"abc"`` (it is built from GOEs of the Auffinger-Ben
    Arous-Cerny scale: ``b M`` has ``S = b^2/2``).  The label only tells :meth:`to_scale`
    what to convert from; the measure is the one the numbers define.  Affine images and
    scale changes stay block ensembles (``a H + b``: ``S -> a^2 S``, ``a_i -> a a_i + b``).
    """

    fractions: tuple
    variances: tuple
    shifts: tuple
    scale: str = "wigner"

    name = "block"

    def __post_init__(self):
        f = check_array("fractions", self.fractions, lower=0.0).ravel()
        k = f.size
        if k == 0 or np.any(f <= 0) or abs(f.sum() - 1.0) > 1e-12:
            raise ValueError(f"fractions must be {k} positive numbers summing to 1, got {tuple(f)}")
        s = check_array("variances", self.variances, lower=0.0)
        if s.shape != (k, k) or not np.allclose(s, s.T, rtol=0, atol=1e-14):
            raise ValueError(f"variances must be a symmetric {k}x{k} array of non-negative numbers")
        if np.any(s @ f <= 0):
            raise ValueError("variances: every block needs a positive total variance (sum_j S_ij f_j > 0)")
        a = check_array("shifts", self.shifts).ravel()
        if a.size != k:
            raise ValueError(f"shifts must have {k} entries, got {a.size}")
        if self.scale not in (*SCALES, "none"):
            raise ValueError(f"scale must be one of {(*SCALES, 'none')}, got {self.scale!r}")
        object.__setattr__(self, "fractions", tuple(map(float, f)))
        object.__setattr__(self, "variances", tuple(tuple(map(float, row)) for row in s))
        object.__setattr__(self, "shifts", tuple(map(float, a)))
        params = {"fractions": self.fractions, "variances": self.variances, "shifts": self.shifts}
        object.__setattr__(self, "params", params)
        object.__setattr__(self, "_cache", {})

    @property
    def arrays(self):
        return (np.array(self.fractions), np.array(self.variances), np.array(self.shifts))

    @property
    def spread(self) -> float:
        """2 sqrt(max_i sum_j S_ij f_j): the limiting bound on ||W|| (every eigenvalue of H lies
        within it of some shift a_i, by Weyl's inequality)."""
        f, s, _ = self.arrays
        return float(2.0 * math.sqrt(np.max(s @ f)))

    @property
    def bound(self) -> float:
        """A bound on the support: max |a_i| + 2 sqrt(max_i sum_j S_ij f_j) (with margin)."""
        return _support_bound(*self.arrays)

    # ---------------------------------------------------------- the spectral-layer hooks
    def _support(self):
        return _find_support(self, 1201, 1e-12)

    def _stieltjes_upper(self, z):
        return _resolvents_upper(self, z) @ np.array(self.fractions)

    def _stieltjes_real(self, x):
        return _solve(self, x) @ np.array(self.fractions)

    def _density(self, x):  # no support needed: -Im m is 0 (to round-off) off it
        return np.maximum(-self._stieltjes_real(x).imag / math.pi, 0.0)

    def _log_potential(self, x):
        return _log_potential_closed(self, x)

    def _sample_matrices(self, n, samples, rng):
        return _draw(self, n, rng, samples)

    def affine(self, a, b=0.0) -> "BlockEnsemble":
        """The law of ``a H + b``: the block ensemble with ``a^2 S`` and shifts ``a a_i + b``."""
        a, b = checked_affine(a, b)
        if a == 1.0 and b == 0.0:
            return self
        _, s, sh = self.arrays
        return BlockEnsemble(self.fractions, a * a * s, a * sh + b, scale="none")

    def to_scale(self, scale: str) -> "BlockEnsemble":
        """The same ensemble built in another named scale (``H -> (a_target / a_source) H``)."""
        if self.scale == "none":
            raise ValueError(f"{self!r} has no named scale to convert from")
        c = scale_factor(self.scale, scale)
        if c == 1.0:
            return self
        _, s, sh = self.arrays
        return BlockEnsemble(self.fractions, c * c * s, c * sh, scale=scale)


def _support_bound(f, s, a) -> float:
    """:attr:`BlockEnsemble.bound` from the arrays (fractions, variances, shifts)."""
    return float(np.max(np.abs(a)) + 2.0 * math.sqrt(np.max(s @ f)) * 1.02 + 1e-9)


def gan_ensemble(kappa, b, b1, x1) -> BlockEnsemble:
    """``b M + b1 (M1 + 0) - x1 (I_D + 0)``, kappa = N_D / N (MATH.md section 3); M, M1 GOEs
    of the "abc" scale (variance 1/2, edge sqrt 2), so the ensemble is labelled ``"abc"``."""
    kappa = check_real("kappa", kappa, lower=0.0, upper=1.0, lower_open=True, upper_open=True)
    b = check_real("b", b, lower=0.0, lower_open=True)
    b1 = check_real("b1", b1, lower=0.0)
    x1 = check_real("x1", x1)
    s = ((b * b + b1 * b1 / kappa) / 2.0, b * b / 2.0), (b * b / 2.0, b * b / 2.0)
    return BlockEnsemble((kappa, 1.0 - kappa), s, (-x1, 0.0), scale="abc")


# ----------------------------------------------------------------------------- kernels
# iteration caps are passed as np.int64(n), not as literals: numba compiles one specialisation of
# a kernel per literal argument value (see the ``have`` flags of the coupled model's engine)
@numba.njit(cache=True)
def _newton(z, f, s, a, g, maxit):
    """Newton on F_i = g_i (z - a_i - sum_j S_ij f_j g_j) - 1 = 0 from g (in place).

    Returns the final residual (inf if the iteration failed)."""
    k = f.size
    jac = np.empty((k, k), dtype=np.complex128)
    rhs = np.empty(k, dtype=np.complex128)
    res = np.inf
    for _ in range(maxit):
        res = 0.0
        for i in range(k):
            d = z - a[i]
            for j in range(k):
                d -= s[i, j] * f[j] * g[j]
            rhs[i] = -(g[i] * d - 1.0)
            res = max(res, abs(rhs[i]))
            for j in range(k):
                jac[i, j] = -g[i] * s[i, j] * f[j]
            jac[i, i] += d
        if res < 1e-15:
            return res
        if not solve_in_place(jac, rhs):
            return np.inf
        for i in range(k):
            g[i] += rhs[i]
        if not np.isfinite(g[0].real):
            return np.inf
    return res


@numba.njit(cache=True)
def _damped_start(w, f, s, a, g):
    """g_i = 1/(w - a_i), then 50 damped fixed-point steps at w (Im w large): the basin of the
    attracting, physical solution, where the Newton continuation starts."""
    k = f.size
    for i in range(k):
        g[i] = 1.0 / (w - a[i])
    for _ in range(50):
        for i in range(k):
            d = w - a[i]
            for j in range(k):
                d -= s[i, j] * f[j] * g[j]
            g[i] = 0.5 * g[i] + 0.5 / d


@numba.njit(cache=True)
def _continuation(lam, f, s, a, scale, g):
    """Follow the physical branch from lam + i*2*scale down to the real axis; result in g."""
    k = f.size
    eta = 2.0 * scale
    z = lam + 1j * eta
    _damped_start(z, f, s, a, g)
    while eta > 1e-13 * scale:
        z = lam + 1j * eta
        r = _newton(z, f, s, a, g, np.int64(30))
        if r > 1e-10:
            return False
        eta *= 0.35
    r = _newton(lam + 0j, f, s, a, g, np.int64(30))
    if not (r < 1e-10 and _to_lower_half(g)):
        return False
    real = True
    for i in range(k):
        if abs(g[i].imag) > 1e-14 * abs(g[i]):
            real = False
    if real:  # outside the support: the imaginary parts left are round-off
        for i in range(k):
            g[i] = g[i].real + 0j
    return True


@numba.njit(cache=True)
def _to_lower_half(g):
    """Map a root of the real-axis equations to the limit from above, in place.

    For real z the conjugate of a root is a root, so a root whose imaginary parts are all
    >= 0 is conjugated as a whole (never component by component).  Imaginary parts below
    1e-8 |g_i| are round-off of a real solution and take the sign of the others.  A root
    with imaginary parts of both signs is not the physical one: return False.
    """
    k = g.size
    if k == 2:
        ok, t0, t1 = _lower_half_two(g[0], g[1])
        if ok:
            g[0] = t0
            g[1] = t1
        return ok
    pos = False
    neg = False
    for i in range(k):
        tol = 1e-8 * abs(g[i])
        if g[i].imag > tol:
            pos = True
        elif g[i].imag < -tol:
            neg = True
    if pos and neg:
        return False
    for i in range(k):
        if g[i].imag > 0:
            g[i] = g[i].conjugate()
    return True


@numba.njit(cache=True, nogil=True, inline="always")  # on the hot path: no call
def _lower_half_two(t0, t1):
    """:func:`_to_lower_half` for two blocks on scalars: (ok, t0, t1)."""
    tol0 = 1e-8 * abs(t0)
    tol1 = 1e-8 * abs(t1)
    pos = t0.imag > tol0 or t1.imag > tol1
    neg = t0.imag < -tol0 or t1.imag < -tol1
    if pos and neg:
        return False, t0, t1
    if t0.imag > 0:
        t0 = t0.conjugate()
    if t1.imag > 0:
        t1 = t1.conjugate()
    return True, t0, t1


@numba.njit(cache=True)
def _stable_real(g, f, s):
    """Spectral radius of T_ij = g_i^2 S_ij f_j below 1: the physical real solution."""
    k = f.size
    if k == 2:
        return _stable_real_two(g[0].real, g[1].real, f, s)
    t = np.empty((k, k))
    for i in range(k):
        for j in range(k):
            t[i, j] = (g[i].real ** 2) * s[i, j] * f[j]
    if k == 1:
        return t[0, 0] < 1.0 - 1e-12
    ev = np.linalg.eigvals(t.astype(np.complex128))
    return np.max(np.abs(ev)) < 1.0 - 1e-12


@numba.njit(cache=True, nogil=True, inline="always")  # on the hot path: no call
def _stable_real_two(g0, g1, f, s):
    """:func:`_stable_real` for two blocks (real g0, g1): T has non-negative entries, so its
    spectral radius is its larger real eigenvalue."""
    u0 = g0 * g0
    u1 = g1 * g1
    t00, t01 = u0 * s[0, 0] * f[0], u0 * s[0, 1] * f[1]
    t10, t11 = u1 * s[1, 0] * f[0], u1 * s[1, 1] * f[1]
    tr = t00 + t11
    det = t00 * t11 - t01 * t10
    return 0.5 * (tr + math.sqrt(max(tr * tr - 4.0 * det, 0.0))) < 1.0 - 1e-12


@numba.njit(cache=True, nogil=True)
def _newton_two(z, f, s, a0, a1, g0, g1, maxit):
    """:func:`_newton` for two blocks on scalars (no arrays allocated; the 2 x 2 Newton step by
    Cramer's rule, forward stable for n = 2, Higham, *Accuracy and Stability of Numerical
    Algorithms*, 2nd ed., section 1.10.1): (final residual, g0, g1), inf if the iteration failed."""
    f0, f1 = f[0], f[1]
    s00, s01, s10, s11 = s[0, 0], s[0, 1], s[1, 0], s[1, 1]
    res = np.inf
    for _ in range(maxit):
        d0 = z - a0 - s00 * f0 * g0 - s01 * f1 * g1
        d1 = z - a1 - s10 * f0 * g0 - s11 * f1 * g1
        r0 = -(g0 * d0 - 1.0)
        r1 = -(g1 * d1 - 1.0)
        res = max(abs(r0), abs(r1))
        if res < 1e-15:
            return res, g0, g1
        j00 = d0 - g0 * s00 * f0
        j01 = -g0 * s01 * f1
        j10 = -g1 * s10 * f0
        j11 = d1 - g1 * s11 * f1
        det = j00 * j11 - j01 * j10
        if not abs(det) > 1e-300:
            return np.inf, g0, g1
        g0 = g0 + (r0 * j11 - j01 * r1) / det
        g1 = g1 + (j00 * r1 - j10 * r0) / det
        if not np.isfinite(g0.real):
            return np.inf, g0, g1
    return res, g0, g1


@numba.njit(cache=True, nogil=True)
def _real_axis_point_two(lam, f, s, a0, a1, scale, g, have):
    """:func:`_real_axis_point` for two blocks with shifts (a0, a1): the same warm-started Newton
    and the same branch tests (:func:`_to_lower_half`, :func:`_stable_real`) on scalars, so the
    accepted warm start allocates nothing; the continuation fallback as for any k."""
    if have:
        r, t0, t1 = _newton_two(lam + 0j, f, s, a0, a1, g[0], g[1], np.int64(12))
        if r < 1e-12:
            lower, t0, t1 = _lower_half_two(t0, t1)
            if lower:
                if abs(t0.imag) <= 1e-14 * (abs(t0.real) + 1e-300) and abs(t1.imag) <= 1e-14 * (abs(t1.real) + 1e-300):
                    ok = _stable_real_two(t0.real, t1.real, f, s)
                    t0 = t0.real + 0j
                    t1 = t1.real + 0j
                else:
                    ok = not (t0.imag > 0 or t1.imag > 0)
                if ok:
                    g[0] = t0
                    g[1] = t1
                    return True
    a = np.empty(2)
    a[0] = a0
    a[1] = a1
    return _continuation(lam, f, s, a, scale, g)


@numba.njit(cache=True, nogil=True)
def _real_axis_point(lam, f, s, a, scale, g, have):
    """Block resolvents at the real point lam, in place in g: Newton warm-started from g (when
    ``have``) accepted only on the physical branch, else continuation from Im z large.
    Returns False if neither converged.  Two blocks: :func:`_real_axis_point_two`."""
    if f.size == 2:
        return _real_axis_point_two(lam, f, s, a[0], a[1], scale, g, have)
    return _real_axis_point_k(lam, f, s, a, scale, g, have)


@numba.njit(cache=True, nogil=True)
def _real_axis_point_k(lam, f, s, a, scale, g, have):
    """:func:`_real_axis_point` for any number of blocks (arrays, Gaussian elimination)."""
    k = f.size
    if have:
        trial = g.copy()
        r = _newton(lam + 0j, f, s, a, trial, np.int64(12))
        if r < 1e-12 and _to_lower_half(trial):
            real = True
            for i in range(k):
                if abs(trial[i].imag) > 1e-14 * (abs(trial[i].real) + 1e-300):
                    real = False
            if real:
                ok = _stable_real(trial, f, s)
                for i in range(k):
                    trial[i] = trial[i].real + 0j
            else:
                ok = True
                for i in range(k):
                    if trial[i].imag > 0:
                        ok = False
            if ok:
                g[:] = trial
                return True
    return _continuation(lam, f, s, a, scale, g)


@numba.njit(cache=True, nogil=True)
def _stieltjes_sorted(lams, f, s, a, scale, out_g):
    """Block resolvents on the real axis at ascending points lams (warm starts + fallback)."""
    k = f.size
    g = np.empty(k, dtype=np.complex128)
    have = False
    failures = 0
    for n in range(lams.size):
        if not _real_axis_point(lams[n], f, s, a, scale, g, have):
            failures += 1
        have = True
        out_g[n, :] = g
    return failures


def _solve(ens: BlockEnsemble, lams: np.ndarray) -> np.ndarray:
    """Block resolvents g_i(l + i0) at real points (any order); shape (len, k)."""
    lams = np.asarray(lams, float)
    order = np.argsort(lams)
    f, s, a = ens.arrays
    out = np.empty((lams.size, f.size), dtype=np.complex128)
    fails = _stieltjes_sorted(lams[order], f, s, a, ens.bound, out)
    if fails:
        raise FloatingPointError(f"the Dyson equation did not converge at {fails} point(s)")
    res = np.empty_like(out)
    res[order] = out
    return res


def stieltjes(ens: BlockEnsemble, lam) -> np.ndarray:
    """m(l + i0) = sum_i f_i g_i at real points (Im m <= 0)."""
    lam = check_array("lambda", lam)
    g = _solve(ens, lam.ravel())
    return (g @ np.array(ens.fractions)).reshape(lam.shape)


@numba.njit(cache=True)
def _off_axis_continuation(z, f, s, a, scale, g):
    """Block resolvents at one Im z > 0 from scratch, in g: damped fixed-point steps at
    Im z = max(2 scale, Im z), then Newton following Im z down by 0.35 per level."""
    k = f.size
    eta = max(2.0 * scale, z.imag)
    _damped_start(z.real + 1j * eta, f, s, a, g)
    while True:
        eta = max(eta * 0.35, z.imag)
        r = _newton(z.real + 1j * eta, f, s, a, g, np.int64(30))
        if r > 1e-10:
            return False
        if eta == z.imag:
            break
    for i in range(k):
        if g[i].imag > 0:
            return False
    return True


@numba.njit(cache=True)
def _stieltjes_off_axis(zs, f, s, a, scale, out_g):
    """Block resolvents at Im z > 0, visited in the given order: Newton from the previous
    point's resolvents when it is near, accepted when every Im g_i < 0 -- at Im z > 0 the
    Dyson equation has exactly one such solution, the physical one (Helton, Rashidi Far and
    Speicher 2007) -- else continuation from Im z = 2 scale (:func:`_off_axis_continuation`)."""
    k = f.size
    fails = 0
    g = np.empty(k, dtype=np.complex128)
    trial = np.empty(k, dtype=np.complex128)
    have = False
    prev = 0j
    for n in range(zs.size):
        z = zs[n]
        done = False
        if have and abs(z - prev) <= 0.05 * scale:
            trial[:] = g
            if _newton(z, f, s, a, trial, np.int64(12)) < 1e-12:
                done = True
                for i in range(k):
                    if not trial[i].imag < 0.0:
                        done = False
                if done:
                    g[:] = trial
        if not done and not _off_axis_continuation(z, f, s, a, scale, g):
            fails += 1
        out_g[n, :] = g
        prev = z
        have = True
    return fails


def stieltjes_transform(ens: BlockEnsemble, z) -> np.ndarray:
    """m(z) = int dmu(l) / (z - l) at complex z off the real axis (real z: use :func:`stieltjes`).

    Im z > 0: the physical solution (Im g_i < 0 in every block) followed by Newton
    continuation from Im z = 2R down to Im z; Im z < 0: m(conj z) conjugated (mu is real).
    """
    z = np.asarray(z, dtype=complex)
    if not np.all(np.isfinite(z)):
        raise ValueError("z must be finite complex numbers (no NaN or inf)")
    if np.any(z.imag == 0):
        raise ValueError("z must be off the real axis (for boundary values use stieltjes(ens, lam))")
    return ens.stieltjes(z)


def density(ens: BlockEnsemble, lam) -> np.ndarray:
    """rho(l) = -Im m(l + i0) / pi."""
    return np.maximum(-stieltjes(ens, lam).imag / math.pi, 0.0)


def _inside(ens, lam):
    return -stieltjes(ens, np.array([lam]))[0].imag > 1e-13 / ens.spread


def support(ens: BlockEnsemble, scan: int = 1201, tol: float = 1e-12):
    """Support intervals ``[(l_1, r_1), ...]`` and atoms ``[]`` of the limiting spectral measure.

    Edge candidates.  Two blocks with coupling S_12 > 0: the real roots of the degree-8
    edge polynomial (the discriminant of the eliminated Dyson system, derived in
    ``derivations/block_edges.py``).  Every edge is among them, so no interval or gap,
    however narrow, is missed.  Otherwise (or if that route fails): sign changes of
    ``-Im m`` on a ``scan``-point grid of ``[-R, R]``.

    Classification.  Between consecutive candidates the density is either identically 0
    or positive (it can switch on only at an edge), so one density evaluation per gap
    decides which candidates bound the support.

    Edges are then polished by Newton's method on the extended system "Dyson equations +
    singular Jacobian" (:func:`_polish_edge`, quadratic convergence at a square-root
    edge); if Newton fails, bisection on ``-Im m > 0`` to ``tol``.  Accuracy: 1e-10 or
    better (tests against the mpmath quartic and the semicircle closed form).

    Atoms: every block has a positive total variance (``sum_j S_ij f_j > 0``, enforced by
    :class:`BlockEnsemble`), so each ``g_i`` is bounded on the real axis and the measure
    has no atoms: ``atoms = []``.

    With the default ``scan`` and ``tol`` this is :meth:`BlockEnsemble.support` (computed
    once per ensemble and cached) and :meth:`BlockEnsemble.atoms`.
    """
    if scan == 1201 and tol == 1e-12:
        return ens.support(), ens.atoms()
    return _find_support(ens, scan, tol), []


def _find_support(ens: BlockEnsemble, scan: int, tol: float) -> list:
    """The support intervals of :func:`support` (candidates, classification, polishing, mass check)."""
    cands = _edge_candidates(ens)
    windows = _windows(ens)
    intervals = None
    if cands is not None:
        intervals = _classify(ens, cands, windows)
        if intervals is not None and not _agrees_with_scan(ens, intervals, windows, scan):
            intervals = None
    for attempt in range(3):
        if intervals is None:
            intervals = _scan_intervals(ens, windows, scan * 8**attempt)
        out = [(_refine_edge(ens, lo, -1.0, tol), _refine_edge(ens, hi, +1.0, tol)) for lo, hi in intervals]
        mass = _mass(ens, out)
        if abs(mass - 1.0) < 1e-8:
            return out
        intervals = None
    raise FloatingPointError(f"support: the intervals found carry mass {mass!r}, not 1 (an interval was missed)")


def n_intervals(ens: BlockEnsemble, scan: int = 601) -> int:
    """Number of support intervals, cheaply: the candidate/midpoint classification of
    :func:`support` checked against a ``scan``-point grid (no edge polishing, no mass check);
    falls back to :func:`support` when the two disagree or the algebraic route does not apply."""
    cands = _edge_candidates(ens)
    if cands is not None:
        windows = _windows(ens)
        intervals = _classify(ens, cands, windows)
        if intervals is not None and _agrees_with_scan(ens, intervals, windows, scan):
            return len(intervals)
    return len(support(ens)[0])


def _windows(ens):
    """Disjoint windows that contain the support: by Weyl's inequality every eigenvalue of
    W + diag(a) lies within ||W|| of some a_i, and ||W|| -> at most 2 sqrt(max_i sum_j S_ij f_j)."""
    f, s, a = ens.arrays
    rad = ens.spread * 1.02 + 1e-12 * (1.0 + np.max(np.abs(a)))
    lo = np.sort(a) - rad
    hi = np.sort(a) + rad
    out = [[lo[0], hi[0]]]
    for l_, h_ in zip(lo[1:], hi[1:]):
        if l_ <= out[-1][1]:
            out[-1][1] = max(out[-1][1], h_)
        else:
            out.append([l_, h_])
    return [tuple(w) for w in out]


def _mass(ens, intervals):
    """Total mass of the density on the intervals: cosine-mapped Gauss-Legendre panels (16 and
    32 per interval); if the two disagree (a density with structure on very different scales),
    adaptive quadrature (scipy quad, 1e-11) on each interval."""
    vals = []
    for pieces in (16, 32):
        x, w = Q.support_nodes(intervals, pieces)
        vals.append(float(np.sum(w * _density_at(ens, x))))
    if abs(vals[0] - vals[1]) < 1e-8:
        return vals[1]
    from scipy import integrate

    total = 0.0
    for lo, hi in intervals:
        total += integrate.quad(lambda t: _density_at(ens, [t])[0], lo, hi, limit=400, epsabs=1e-11, epsrel=1e-11)[0]
    return total


def _density_at(ens, lam) -> np.ndarray:
    return -stieltjes(ens, np.asarray(lam, float)).imag / math.pi


def _edge_candidates(ens: BlockEnsemble):
    """Real roots in [-R, R] of the two-block edge polynomial (None if not applicable)."""
    f, s, a = ens.arrays
    if f.size != 2 or s[0, 1] <= 0.0:
        return None
    from complexity.rmt._block_edges_generated import edge_polynomial

    sc = math.sqrt(s[0, 1])
    coeffs = np.array(edge_polynomial(f[0], s[0, 0] / s[0, 1], s[1, 1] / s[0, 1], (a[0] - a[1]) / sc), float)
    big = np.max(np.abs(coeffs))
    if not np.isfinite(big) or big == 0.0:
        return None
    coeffs[np.abs(coeffs) < 1e-14 * big] = 0.0  # exact cancellations (e.g. s22 = s12) leave round-off
    if np.all(coeffs[:-1] == 0.0):
        return None
    roots = np.roots(coeffs)
    keep = np.abs(roots.imag) <= 1e-6 * (1.0 + np.abs(roots.real))
    z = np.sort(roots.real[keep]) * sc + a[1]
    return z[np.abs(z) <= ens.bound]


def _classify(ens, cands, windows):
    """Intervals bounded by candidates, by the density at the midpoint of every gap between them."""
    intervals = []
    scale = ens.spread
    for w0, w1 in windows:
        c = cands[(cands > w0) & (cands < w1)]
        pts = np.concatenate([[w0], c, [w1]])
        pts = pts[np.concatenate([[True], np.diff(pts) > 1e-13 * scale])]
        mids = 0.5 * (pts[:-1] + pts[1:])
        on = _density_at(ens, mids) > 1e-12 / scale
        if on[0] or on[-1]:
            return None  # mass at a window's end: the candidates are incomplete; let the scan decide
        n = 0
        while n < on.size:
            if on[n]:
                start = n
                while n + 1 < on.size and on[n + 1]:
                    n += 1
                intervals.append((pts[start], pts[n + 1]))
            n += 1
    return intervals or None


def _scan_grid(windows, scan):
    return np.concatenate([np.linspace(w0, w1, scan) for w0, w1 in windows])


def _agrees_with_scan(ens, intervals, windows, scan):
    """The candidate intervals must contain exactly the scan points where the density is on
    (up to one grid step at each edge): a cheap, independent check of the algebraic route."""
    grid = _scan_grid(windows, scan)
    step = max((w1 - w0) / (scan - 1) for w0, w1 in windows)
    on = _density_at(ens, grid) > 1e-13 / ens.spread
    member = np.zeros(grid.size, bool)
    near = np.zeros(grid.size, bool)
    for lo, hi in intervals:
        member |= (grid > lo) & (grid < hi)
        near |= (np.abs(grid - lo) < step) | (np.abs(grid - hi) < step)
    return bool(np.all((on == member) | near))


def _scan_intervals(ens, windows, scan):
    """Intervals where -Im m > 0 on a grid of each window, ends bisected to 1e-3 of a step."""
    intervals = []
    for w0, w1 in windows:
        grid = np.linspace(w0, w1, scan)
        tol = 1e-3 * (grid[1] - grid[0])
        inside = _density_at(ens, grid) > 1e-13 / ens.spread
        n = 0
        while n < scan:
            if inside[n]:
                start = n
                while n + 1 < scan and inside[n + 1]:
                    n += 1
                left = _bisect_edge(ens, grid[start - 1], grid[start], tol) if start else grid[0]
                right = _bisect_edge(ens, grid[n + 1], grid[n], tol) if n + 1 < scan else grid[-1]
                intervals.append((float(left), float(right)))
            n += 1
    if not intervals:
        raise FloatingPointError("no support found: the Dyson solver returned a zero density everywhere")
    return intervals


def _refine_edge(ens, e0, side, tol):
    """An edge near e0 (side -1: left edge, +1: right edge), to about 1e-13 relative.

    Newton on the extended system first; accepted if it moves the edge by less than
    1e-4 R and the density is 0 just outside and positive just inside.  Else bisection.
    """
    r = ens.spread
    e = _polish_edge(ens, e0)
    if e is not None and abs(e - e0) < 1e-4 * r:
        h = max(1e-9 * r, 1e-15 * abs(e))
        out_d, in_d = _density_at(ens, [e + side * h, e - side * h])
        if out_d <= 1e-12 / r and in_d > 0.0:
            return float(e)
    h = 1e-4 * r
    return float(_bisect_edge(ens, e0 + side * h, e0 - side * h, tol))


def _polish_edge(ens, e0, iters: int = 30):
    """Newton on u = (g, v, z), real: F_i = g_i d_i - 1 = 0, (J v)_i = 0, sum v = 1.

    ``d_i = z - a_i - sum_j S_ij f_j g_j``, ``J_ij = dF_i/dg_j = delta_ij d_i - g_i S_ij f_j``.
    At a square-root edge the physical real solution is a fold of z(g): J is singular with
    a positive (Perron) null vector v, and this extended system is regular there.
    Returns z or None.
    """
    f, s, a = ens.arrays
    k = f.size
    g0 = _solve(ens, np.array([e0]))[0]
    g = g0.real.copy()
    z = float(e0)
    d = z - a - s @ (f * g)
    jac = np.diag(d) - g[:, None] * s * f[None, :]
    _, _, vt = np.linalg.svd(jac)
    v = vt[-1]
    if abs(v.sum()) < 1e-12:
        return None
    v = v / v.sum()
    for _ in range(iters):
        d = z - a - s @ (f * g)
        jac = np.diag(d) - g[:, None] * s * f[None, :]
        sfv = s @ (f * v)
        res = np.concatenate([g * d - 1.0, jac @ v, [v.sum() - 1.0]])
        big = np.zeros((2 * k + 1, 2 * k + 1))
        big[:k, :k] = jac
        big[:k, 2 * k] = g
        big[k:2 * k, :k] = -(s * f[None, :]) * v[:, None] - np.diag(sfv)
        big[k:2 * k, k:2 * k] = jac
        big[k:2 * k, 2 * k] = v
        big[2 * k, k:2 * k] = 1.0
        try:
            step = np.linalg.solve(big, -res)
        except np.linalg.LinAlgError:
            return None
        g += step[:k]
        v += step[k:2 * k]
        z += step[2 * k]
        if not np.all(np.isfinite(step)):
            return None
        if abs(step[2 * k]) <= 1e-15 * (abs(z) + ens.bound) and np.max(np.abs(res)) < 1e-12:
            return z
    return z if np.max(np.abs(res)) < 1e-10 else None


def _bisect_edge(ens, outside_pt, inside_pt, tol):
    o, i = outside_pt, inside_pt
    while abs(i - o) > tol:
        mid = 0.5 * (o + i)
        if _inside(ens, mid):
            i = mid
        else:
            o = mid
    return 0.5 * (o + i)


def log_potential(ens: BlockEnsemble, x, intervals=None, *, method: str = "closed") -> np.ndarray:
    r"""Phi(x) = int log|x - l| dmu(l) at real points x (inside or outside the support).

    ``method="closed"`` (default): the free-energy identity.  With
    ``Psi(g; z) = sum_i f_i [(z - a_i) g_i - log g_i - 1] - (1/2) sum_ij f_i S_ij f_j g_i g_j``,
    the vector Dyson equation is exactly ``dPsi/dg_i = 0`` and ``dPsi/dz = sum_i f_i g_i = m``,
    so ``z -> Psi(g(z); z)`` is analytic in the upper half plane with derivative m and
    ``Psi = log z + O(1/z)`` at infinity, like ``int log(z - l) dmu(l)``: the two are equal.
    Taking real parts at ``z = x + i0`` (``Re log g_i = log|g_i|`` is single-valued):

        Phi(x) = sum_i f_i [(x - a_i) Re g_i - log|g_i| - 1] - (1/2) Re sum_ij f_i S_ij f_j g_i g_j.

    One Dyson solve per point and no quadrature; because Psi is stationary in g, an error
    eps in g moves Phi by O(eps^2), so the formula stays exact to round-off even at the
    support edges, where g itself is only determined to ~sqrt(machine epsilon).
    (Semicircle check: S = 1/2, x = sqrt 2, g = sqrt 2 gives 1/2 - log(2)/2.)
    This is :meth:`BlockEnsemble.log_potential`.

    ``method="quadrature"``: the independent route Phi' = Re m of the spectral layer
    (:meth:`complexity.spectra.SpectralMeasure._log_potential`: Phi at a reference point by
    quadrature of the density, then one cumulative integral of Re m over the support's
    panels), kept as a cross-check.  ``intervals`` is accepted for compatibility and not
    used: the route takes the ensemble's own (cached) support.
    """
    x = check_array("x", x)
    if method == "closed":
        return ens.log_potential(x)
    if method != "quadrature":
        raise ValueError(f"method must be 'closed' or 'quadrature', got {method!r}")
    return SpectralMeasure._log_potential(ens, x.ravel()).reshape(x.shape)


def _log_potential_closed(ens: BlockEnsemble, x: np.ndarray) -> np.ndarray:
    return _phi_from_g(ens, x, _solve(ens, x))  # g: (n, k), physical branch at x + i0


def _resolvents_upper(ens: BlockEnsemble, z: np.ndarray) -> np.ndarray:
    """Block resolvents g_i(z) at Im z > 0, shape (len, k) (continuation from Im z = 2R)."""
    f, s, a = ens.arrays
    z = np.asarray(z, dtype=np.complex128).ravel()
    order = np.lexsort((z.real, z.imag))  # along lines of constant Im z: warm starts
    g = np.empty((z.size, f.size), dtype=np.complex128)
    if _stieltjes_off_axis(np.ascontiguousarray(z[order]), f, s, a, ens.bound, g):
        raise FloatingPointError("the Dyson equation did not converge off the real axis")
    out = np.empty_like(g)
    out[order] = g
    return out


def _log_potential_complex(ens: BlockEnsemble, z: np.ndarray) -> np.ndarray:
    """``int log|z - l| dmu(l) = Re Psi(g(z); z)`` at Im z > 0 (the identity of :func:`log_potential`
    holds on the whole upper half plane)."""
    z = np.asarray(z, dtype=complex).ravel()
    return _phi_from_g(ens, z, _resolvents_upper(ens, z))


def _phi_from_g(ens, x, g):
    """Re Psi(g; x) at real or complex points x (g: the block resolvents there)."""
    f, s, a = ens.arrays
    lin = np.sum(f[None, :] * (((x[:, None] - a[None, :]) * g).real - np.log(np.abs(g)) - 1.0), axis=1)
    quad = np.einsum("ni,ij,nj->n", g * f[None, :], s, g * f[None, :]).real
    return lin - 0.5 * quad


def log_potential_grid(kappa, b, b1, x, x1, *, method: str = "dyson") -> np.ndarray:
    """Phi(x; x1) of :func:`gan_ensemble` on the outer product: shape (len(x1), len(x)),
    ``out[i, j] = Phi(x[j]; x1[i])``.

    Closed form of :func:`log_potential` (no quadrature) with the block resolvents from the
    vector Dyson solver (``method="dyson"``, default) or the quartic fast path
    (``method="quartic"``, slightly faster; it loses digits when b is small against |x|,
    see :func:`gan_quartic_stieltjes`); rows run on every core (both kernels release the GIL).
    """
    x = check_array("x", x).ravel()
    x1 = check_array("x1", x1).ravel()
    if method not in ("quartic", "dyson"):
        raise ValueError(f"method must be 'quartic' or 'dyson', got {method!r}")
    gan_ensemble(kappa, b, b1, 0.0)  # validate kappa, b, b1 once, before any thread starts
    out = np.empty((x1.size, x.size))

    def row(i):
        if method == "quartic":
            out[i] = gan_log_potential_quartic(kappa, b, b1, x1[i], x)
        else:
            out[i] = log_potential(gan_ensemble(kappa, b, b1, x1[i]), x)

    workers = min(os.cpu_count() or 1, x1.size)
    if workers > 1:  # the Dyson kernel releases the GIL: rows run on every core
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(row, range(x1.size)))
    else:
        for i in range(x1.size):
            row(i)
    return out


# ----------------------------------------------------------------------------- sampling
def sample(ens: BlockEnsemble, n: int, size: int | None = None, *, seed=None) -> np.ndarray:
    """Seeded samples of the finite-N block matrix ``H_N = W + diag(a)``: shape (n, n) or (size, n, n).

    Block sizes ``floor(f_i n)`` with the remainder given to the block whose fraction is
    worst rounded; ``W`` real symmetric Gaussian, off-diagonal variance ``S_ij / n`` and
    diagonal variance ``2 S_ii / n`` (for the GAN ensemble: ``b M + b1 (M1 + 0)`` with M,
    M1 in the GOE "abc" scale of their own dimensions, M1's dimension being the rounded
    ``kappa n``).  ``seed``: anything :func:`numpy.random.default_rng` accepts.
    """
    from complexity._validate import check_int

    n = check_int("n", n, minimum=2)
    rng = np.random.default_rng(seed)
    if size is None:
        return _draw(ens, n, rng, None)
    size = check_int("size", size, minimum=1)
    return _draw(ens, n, rng, size)


def block_sizes(ens: BlockEnsemble, n: int) -> np.ndarray:
    """The block sizes of the finite-n matrix (they sum to n)."""
    f = np.array(ens.fractions)
    sizes = np.floor(f * n).astype(int)
    sizes[np.argmax(f - sizes / n)] += n - sizes.sum()
    return sizes


def _draw(ens, n, rng, size):
    f, s, a = ens.arrays
    labels = np.repeat(np.arange(f.size), block_sizes(ens, n))
    var = s[labels][:, labels] / n  # off-diagonal entry variances
    shape = (n, n) if size is None else (size, n, n)
    z = rng.standard_normal(shape)
    w = (z + np.swapaxes(z, -1, -2)) * np.sqrt(var / 2.0)  # off-diag var `var`, diagonal 2 var
    return w + np.diag(a[labels])


def sample_eigenvalues(ens: BlockEnsemble, n: int, samples: int, *, seed=None) -> np.ndarray:
    """Sorted eigenvalues of ``samples`` seeded draws of H_n, shape (samples, n) (one matrix at a
    time): :meth:`BlockEnsemble.sample`."""
    return ens.sample(n, samples, seed=seed)


def spectrum_histogram(ens: BlockEnsemble, n: int, samples: int, bins=60, *, seed=None):
    """Histogram of the pooled eigenvalues of seeded draws of H_n, normalised as a density.

    Returns ``(edges, heights, stderr)``; ``stderr`` is the binomial error of each bin over
    the pooled eigenvalues (eigenvalues of one matrix repel, so this overstates the error
    in the bulk and is a fair scale at the edges).
    """
    ev = sample_eigenvalues(ens, n, samples, seed=seed).ravel()
    counts, edges = np.histogram(ev, bins=bins)
    width = np.diff(edges)
    frac = counts / ev.size
    return edges, frac / width, np.sqrt(frac * (1 - frac) / ev.size) / width


def log_abs_det_mc(ens: BlockEnsemble, n: int, x, samples: int, *, seed=None, method: str = "eigvalsh"):
    """N^-1 log E|det(H_N - x)| by Monte Carlo over ``samples`` seeded draws of H_N.

    Each draw gives ``L_s(x) = log|det(H_N - x)|`` exactly in log space (never the
    determinant itself, which over/underflows for N in the hundreds):
    ``method="eigvalsh"`` (default) sums ``log|l_i - x|`` over the eigenvalues (one
    decomposition serves every x); ``method="slogdet"`` calls ``numpy.linalg.slogdet``
    per x (LU, an independent route).  The average over draws is a log-sum-exp,
    ``log E|det| ~ max_s L_s + log mean_s exp(L_s - max_s L_s)``, stable for N in the
    thousands.  Matrices are drawn one at a time (memory O(N^2)).

    Returns ``(estimate, stderr)`` arrays over x; ``stderr`` is the delta-method standard
    error of the estimate, ``sd(w) / (sqrt(S) mean(w) N)`` with ``w = exp(L_s - max L)``.
    Converges to the log-potential Phi(x) as N -> infinity (MATH.md section 1).
    """
    from complexity._validate import check_int

    if method not in ("eigvalsh", "slogdet"):
        raise ValueError(f"method must be 'eigvalsh' or 'slogdet', got {method!r}")
    if method == "eigvalsh":  # the spectral layer's estimator over the ensemble's eigenvalues
        return ens.log_abs_det_mc(n, x, samples, seed=seed)
    x = check_array("x", x).ravel()
    n = check_int("n", n, minimum=2)
    samples = check_int("samples", samples, minimum=2)
    rng = np.random.default_rng(seed)
    logs = np.empty((samples, x.size))
    eye = np.eye(n)
    for k in range(samples):
        h = _draw(ens, n, rng, None)
        for j, xv in enumerate(x):
            logs[k, j] = np.linalg.slogdet(h - xv * eye)[1]
    if not np.all(np.isfinite(logs)):
        raise FloatingPointError("log|det(H - x)| is -inf: some x is an eigenvalue of a sampled matrix")
    return annealed_log_mean(logs, n)


# ----------------------------------------------------------------------------- quartic path
from complexity._generated import kac_rice as _G  # noqa: E402

_QC = tuple(numba.njit(cache=True)(getattr(_G, f"block_quartic_c{k}")) for k in (4, 3, 2, 1, 0))
_QC4, _QC3, _QC2, _QC1, _QC0 = _QC


@numba.njit(cache=True)
def _quartic_physical(t, z, kappa, b, b1, f, s, tol):
    """(ok, m) for a root t of the quartic at real z: ok if (g1, g2, m) is the physical branch."""
    if abs(t) == 0.0:  # t = 0 is a root only when b1 = 0 (c0 = 0): g2 = 1/t is not finite
        return False, 0j
    m = 2.0 * (z - t) / (b * b)
    g2 = 1.0 / t
    g1 = (m - (1.0 - kappa) / t) / kappa
    if m.imag > 0 or g1.imag > 0 or g2.imag > 0:  # the conjugate root is the candidate
        t, m, g1, g2 = t.conjugate(), m.conjugate(), g1.conjugate(), g2.conjugate()
    if max(m.imag, g1.imag, g2.imag) > tol * (1.0 + abs(m)):
        return False, t  # imaginary parts of both signs
    if abs(m.imag) <= tol * (1.0 + abs(m)):
        gg = np.empty(2, dtype=np.complex128)
        gg[0] = g1.real + 0j
        gg[1] = g2.real + 0j
        return _stable_real(gg, f, s), t.real + 0j
    return True, t


@numba.njit(cache=True, nogil=True)
def _quartic_sorted(lams, kappa, b, b1, x1, f, s, out):
    """Physical t = z - (b^2/2) m(z + i0) at ascending real points from the t-quartic: scalar
    Newton on P(t) warm-started from the previous point, accepted only if the root is
    physical; else all four roots (companion-matrix eigenvalues) and the physical one.
    Returns the number of failures."""
    t = 0j
    have = False
    fails = 0
    comp = np.zeros((4, 4), dtype=np.complex128)
    for n in range(lams.size):
        z = lams[n]
        c4 = _QC4(z, kappa, b, b1, x1)
        c3 = _QC3(z, kappa, b, b1, x1)
        c2 = _QC2(z, kappa, b, b1, x1)
        c1 = _QC1(z, kappa, b, b1, x1)
        c0 = _QC0(z, kappa, b, b1, x1)
        ok = False
        if have:
            tt = t
            for _ in range(12):
                p = (((c4 * tt + c3) * tt + c2) * tt + c1) * tt + c0
                dp = ((4.0 * c4 * tt + 3.0 * c3) * tt + 2.0 * c2) * tt + c1
                if dp == 0:
                    break
                step = p / dp
                tt -= step
                if abs(step) <= 1e-15 * abs(tt):
                    ok = True
                    break
            if ok:
                ok, tp = _quartic_physical(tt, z, kappa, b, b1, f, s, 1e-10)
                if ok:
                    t = tt
        if not ok:
            for i in range(4):
                for j in range(4):
                    comp[i, j] = 0.0
            comp[0, 0] = -c3 / c4
            comp[0, 1] = -c2 / c4
            comp[0, 2] = -c1 / c4
            comp[0, 3] = -c0 / c4
            comp[1, 0] = 1.0
            comp[2, 1] = 1.0
            comp[3, 2] = 1.0
            roots = np.linalg.eigvals(comp)
            best = 0j
            for r in roots:
                good, tr = _quartic_physical(r, z, kappa, b, b1, f, s, 1e-9)
                if good and (not ok or tr.imag > best.imag):  # largest Im t = most negative Im m
                    ok = True
                    best = tr
                    t = r
            tp = best
            if not ok:
                fails += 1
                tp = complex(np.nan, np.nan)  # marked for the Dyson fallback
                have = False
                out[n] = tp
                continue
        have = True
        out[n] = tp
    return fails


def gan_quartic_stieltjes(kappa, b, b1, x1, lam) -> np.ndarray:
    """m(l + i0) of :func:`gan_ensemble` from the closed-form quartic (the two-block fast path).

    With ``t = z - (b^2/2) m`` (so ``g2 = 1/t``, ``m = 2(z - t)/b^2``,
    ``g1 = (m - (1 - kappa)/t)/kappa``) the two-block Dyson equations reduce to the quartic
    ``Q1(t) Q2(t) + (kappa b^2/2) t^2 = 0``, ``Q1 = t^2 - z t + (1-kappa) b^2/2``,
    ``Q2 = (1 + b1^2/(kappa b^2)) t^2 + (x1 - b1^2 z/(kappa b^2)) t + (1-kappa) b1^2/(2 kappa)``
    (derived with sympy: complexity/symbolic/block_quartic.py; the published quartic has the
    opposite sign on the constant of Q2).  Of its roots the physical one has
    ``Im g1, Im g2, Im m <= 0`` and, where all are real (outside the support), is the stable
    fixed point (spectral radius of ``g_i^2 S_ij f_j`` below 1).  Scalar Newton warm-started
    along the sorted points, with all four roots (companion matrix) as the fallback.
    Points where no root passes the physical test (a double root at an edge, b1 = 0 where
    t = 0 is a spurious root) are handed to the Dyson solver.  Agrees with the vector Dyson
    solver to ~1e-12 near the edges and ~1e-15 elsewhere for the published constants
    (tests/test_rmt_block.py); m = 2(z - t)/b^2 cancels when b^2 |m| << |z|, so for small b
    far outside the support it keeps fewer digits (Phi through it: up to ~3e-8 observed at
    b ~ 0.09, |x| ~ 45).  The Dyson solver is the reference.
    """
    lam = check_array("lambda", lam)
    t = _quartic_t(kappa, b, b1, x1, lam.ravel())
    b = float(b)
    return (2.0 * (lam.ravel() - t) / (b * b)).reshape(lam.shape)


def gan_density(kappa, b, b1, x1, lam) -> np.ndarray:
    """rho(l) = -Im m(l + i0) / pi of :func:`gan_ensemble` by the quartic fast path."""
    return np.maximum(-gan_quartic_stieltjes(kappa, b, b1, x1, lam).imag / math.pi, 0.0)


def _quartic_t(kappa, b, b1, x1, flat):
    ens = gan_ensemble(kappa, b, b1, x1)
    f, s, _ = ens.arrays
    order = np.argsort(flat)
    out = np.empty(flat.size, dtype=np.complex128)
    fails = _quartic_sorted(flat[order], ens.fractions[0], float(b), float(b1), float(x1), f, s, out)
    if fails:  # no root passed the physical test (e.g. a double root at an edge): the Dyson solver decides
        bad = np.isnan(out.real)
        m = _solve(ens, flat[order][bad]) @ f
        out[bad] = flat[order][bad] - 0.5 * float(b) ** 2 * m
    res = np.empty_like(out)
    res[order] = out
    return res


def gan_log_potential_quartic(kappa, b, b1, x1, x) -> np.ndarray:
    """Phi(x) of :func:`gan_ensemble` by the closed form of :func:`log_potential` with the
    block resolvents from the quartic fast path: g2 = 1/t, g1 = (m - (1-kappa)/t)/kappa."""
    x = check_array("x", x)
    flat = x.ravel()
    ens = gan_ensemble(kappa, b, b1, x1)
    f, s, a = ens.arrays
    t = _quartic_t(kappa, b, b1, x1, flat)
    m = 2.0 * (flat - t) / (float(b) ** 2)
    g = np.empty((flat.size, 2), dtype=np.complex128)
    g[:, 1] = 1.0 / t
    g[:, 0] = (m - f[1] * g[:, 1]) / f[0]
    return _phi_from_g(ens, flat, g).reshape(x.shape)
