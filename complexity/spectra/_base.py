r"""The spectral-measure interface: one object per limiting spectral measure.

A measure ``mu`` on the real line is split into a continuous part (a density on finitely
many support intervals) and atoms ``[(location, mass)]``.  A constructor states what it
knows -- a Stieltjes equation on the physical branch, its support, its atoms, closed forms
where it has them -- and :class:`SpectralMeasure` derives the rest:

* ``stieltjes(z)``: ``m(z) = int dmu(l) / (z - l)``, so ``m(z) ~ 1/z`` at infinity and
  ``Im m < 0`` for ``Im z > 0``; a real ``z`` means ``z + i0`` (the boundary value from the
  upper half plane, ``Im m(x + i0) = -pi rho(x)``).  ``m(conj z) = conj m(z)``.
* ``density(x) = -Im m(x + i0) / pi`` of the continuous part (it integrates to
  ``1 - atom_mass``).
* ``log_potential(x) = Phi(x) = int log|x - l| dmu(l)``: atoms contribute
  ``mass log|x - a|`` exactly (``-inf`` at an atom); the continuous part is the log-potential
  at one reference point far right of the support (quadrature of a smooth integrand) plus the
  cumulative integral of ``Phi_c' = Re m_c`` (MATH.md section 1), one pass for all points.
* ``moments(k)``, ``cdf(x)``, ``quantile(q)``: quadrature of the density on cosine-mapped
  Gauss-Legendre panels of the support (exact to round-off for square-root and
  inverse-square-root edges), plus the atoms.
* ``sample(n, samples, seed)``: eigenvalues of ``sample_matrices`` (a constructor gives the
  finite-n matrix ensemble), and ``log_abs_det_mc``: ``N^-1 log E|det(H_N - x)|`` by Monte
  Carlo, the quantity the log-potential predicts.

Scales (a named, documented choice).  ``"wigner"``: the semicircle has variance 1 and
support ``[-2, 2]`` (off-diagonal entries of variance 1/N); every constructor builds its
measure in this scale, in its natural normalisation (Marchenko-Pastur: ``W = X X^T / T`` with
unit-variance entries).  ``"abc"``: the same measure pushed forward by ``l -> l / sqrt 2``
(the matrix divided by sqrt 2; for the semicircle: variance 1/2 and support
``[-sqrt 2, sqrt 2]``, the GOE of Auffinger-Ben Arous-Cerny and of the p-spin code).
``to_scale`` converts; ``standardise`` gives any mean and variance; affine images keep the
label only when they are exactly a scale change.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

from complexity._validate import check_array, check_int, check_real
from complexity.spectra import _quadrature as Q

__all__ = ["SpectralMeasure", "AffineMeasure", "SCALES", "scale_factor"]

#: the named scales, and the dilation that maps a "wigner"-scale measure to each
SCALES = {"wigner": 1.0, "abc": 1.0 / math.sqrt(2.0)}


def scale_factor(source: str, target: str) -> float:
    """The dilation ``a`` with ``l_target = a l_source`` between two named scales."""
    for name, v in (("scale", source), ("scale", target)):
        if v not in SCALES:
            raise ValueError(f"{name} must be one of {tuple(SCALES)}, got {v!r}")
    return SCALES[target] / SCALES[source]


def annealed_log_mean(logs: np.ndarray, n: int):
    """``N^-1 log mean_s exp(L_s)`` over draws (axis 0) by log-sum-exp, and its delta-method
    standard error ``sd(w) / (sqrt(S) mean(w) N)`` with ``w = exp(L_s - max L)``."""
    samples = logs.shape[0]
    top = logs.max(axis=0)
    w = np.exp(logs - top)
    mean = w.mean(axis=0)
    return (top + np.log(mean)) / n, w.std(axis=0, ddof=1) / math.sqrt(samples) / mean / n


def checked_affine(a, b):
    """``(a, b)`` of an affine map ``l -> a l + b``, checked: finite, ``a != 0``."""
    a = check_real("a", a)
    b = check_real("b", b)
    if a == 0.0:
        raise ValueError("a must be non-zero (a = 0 collapses the measure to a point)")
    return a, b


class SpectralMeasure:
    """A limiting spectral measure: continuous part on support intervals plus atoms.

    Subclasses implement :meth:`_support`, :meth:`_stieltjes_upper` (``Im z > 0``) and
    :meth:`_stieltjes_real` (``x + i0``, ``x`` not an atom), and may override
    :meth:`_atoms`, :meth:`_density`, :meth:`_log_potential`, :meth:`_moments`,
    :meth:`_sample_matrices` or :meth:`_sample` with closed forms or faster routes.

    Attributes: ``name`` (the constructor), ``scale`` (``"wigner"``, ``"abc"`` or ``"none"``),
    ``params`` (the constructor's parameters), ``beta`` (1: real symmetric matrices) and
    ``potential`` (``V`` when the finite-N eigenvalue law is the invariant ensemble
    ``prod|l_i - l_j|^beta exp(-(beta N / 2) sum V(l_i))``, else ``None``; index layers of
    the Kac-Rice complexity need it).
    """

    name = "measure"
    beta = 1
    potential = None

    def __init__(self, *, scale: str = "wigner", params: dict | None = None):
        if scale not in (*SCALES, "none"):
            raise ValueError(f"scale must be one of {(*SCALES, 'none')}, got {scale!r}")
        self.scale = scale
        self.params = dict(params or {})
        self._cache = {}

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"{self.name}({args}{', ' if args else ''}scale={self.scale!r})"

    # ------------------------------------------------------------------ hooks
    def _support(self) -> list:
        raise NotImplementedError

    def _atoms(self) -> list:
        return []

    def _stieltjes_upper(self, z: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _stieltjes_real(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def _sample_matrices(self, n: int, samples: int, rng) -> np.ndarray:
        raise ValueError(f"{self.name}: no finite-N matrix ensemble is defined for this measure")

    # ------------------------------------------------------------------ structure
    def support(self) -> list:
        """Support intervals ``[(a, b), ...]`` of the continuous part, sorted (edges to 1e-10)."""
        if "support" not in self._cache:
            self._cache["support"] = [(float(a), float(b)) for a, b in self._support()]
        return list(self._cache["support"])

    def atoms(self) -> list:
        """Atoms ``[(location, mass), ...]``, kept apart from the continuous part."""
        if "atoms" not in self._cache:
            self._cache["atoms"] = [(float(a), float(w)) for a, w in self._atoms() if w > 0.0]
        return list(self._cache["atoms"])

    @property
    def atom_mass(self) -> float:
        return float(sum(w for _, w in self.atoms()))

    @property
    def continuous_mass(self) -> float:
        return 1.0 - self.atom_mass

    def edges(self) -> tuple:
        """``(left, right)``: the ends of the whole measure (support and atoms)."""
        pts = [e for iv in self.support() for e in iv] + [a for a, _ in self.atoms()]
        return (min(pts), max(pts))

    # ------------------------------------------------------------------ Stieltjes, density
    def stieltjes(self, z) -> np.ndarray:
        """``m(z) = int dmu(l) / (z - l)`` at complex ``z`` (real ``z``: ``z + i0``).

        Physical branch: ``Im m < 0`` for ``Im z > 0``; ``m(conj z) = conj m(z)``.  Refuses
        a real ``z`` at an atom (a pole) with a ``ValueError``.
        """
        z = np.asarray(z)
        if not np.all(np.isfinite(z)):
            raise ValueError("z must be finite numbers (no NaN or inf)")
        z = z.astype(complex)
        flat = z.ravel()
        out = np.empty(flat.size, complex)
        real = flat.imag == 0
        if np.any(real):
            x = flat.real[real]
            self._refuse_atoms("z", x)
            out[real] = self._stieltjes_real(x)
        if np.any(~real):
            w = flat[~real]
            up = np.where(w.imag > 0, w, w.conjugate())
            m = self._stieltjes_upper(up)
            out[~real] = np.where(w.imag > 0, m, m.conjugate())
        self._warn_nan("stieltjes", out, flat)
        return out.reshape(z.shape)

    def distance(self, z) -> np.ndarray:
        """Distance from each (complex) ``z`` to the spectrum: the support intervals and the atoms."""
        z = np.asarray(z)
        flat = z.astype(complex).ravel()
        out = np.full(flat.size, np.inf)
        for a, b in self.support():
            nearest = np.clip(flat.real, a, b)
            out = np.minimum(out, np.abs(flat - nearest))
        for a, _ in self.atoms():
            out = np.minimum(out, np.abs(flat - a))
        return out.reshape(z.shape)

    def stieltjes_derivative(self, z, h: float | None = None) -> np.ndarray:
        """``m'(z) = -int dmu(l) / (z - l)^2`` (complex array) at complex ``z`` off the support
        and the atoms, including real ``z`` outside the support (in a gap, beyond an edge).

        Routes (a subclass may override :meth:`_stieltjes_derivative` with a closed form):
        real ``x``: the atoms exactly, ``-sum_a w_a / (x - a)^2``, plus the quadrature of
        ``-rho(l) / (x - l)^2`` on the support (cosine-mapped Gauss-Legendre panels, graded
        geometrically toward the edge nearest ``x``, so a point 1e-8 from an edge is as
        accurate as a far one: relative error ~1e-13 for square-root and inverse-square-root
        edges); complex ``z``: the 4-point rule ``(1/4h) sum_k m(z + h i^k) i^-k`` on a
        circle of radius ``h`` (default 1e-3 of the distance to the spectrum; error
        ``O(h^4 / dist^5)`` plus round-off ``~1e-16 |m| / h``).  A ``z`` on the support or
        at an atom raises ``ValueError``.
        """
        z = np.asarray(z)
        if not np.all(np.isfinite(z)):
            raise ValueError("z must be finite numbers (no NaN or inf)")
        z = z.astype(complex)
        flat = z.ravel()
        dist = self.distance(flat)
        if np.any(dist <= 0):
            bad = flat[np.argmin(dist)]
            raise ValueError(f"z must be off the support and the atoms of {self!r} for m'(z); got z = {bad!r}")
        if h is not None:
            h = check_real("h", h, lower=0.0, lower_open=True)
            if np.any(h >= dist):
                raise ValueError(f"h must be below the distance to the spectrum ({dist.min():.3g}), got {h!r}")
        out = self._stieltjes_derivative(flat, dist, h)
        self._warn_nan("stieltjes_derivative", out, flat)
        return out.reshape(z.shape)

    def _stieltjes_derivative(self, z, dist, h):
        out = np.empty(z.size, complex)
        real = z.imag == 0
        if np.any(real):
            out[real] = self._stieltjes_derivative_quadrature(z.real[real])
        if np.any(~real):
            w = z[~real]
            step = 1e-3 * dist[~real] if h is None else np.full(w.size, h)
            acc = np.zeros(w.size, complex)
            for k in range(4):
                rot = 1j**k
                acc += self.stieltjes(w + step * rot) * np.conj(rot)
            out[~real] = acc / (4.0 * step)
        return out

    def _stieltjes_derivative_quadrature(self, x):
        """``-sum_a w_a/(x - a)^2 - int rho(l)/(x - l)^2 dl`` at real ``x`` off the spectrum
        (:func:`complexity.spectra._quadrature.inverse_power_moment`, all points at once)."""
        iv = self.support() if self.continuous_mass > 1e-14 else []
        return (-Q.inverse_power_moment(self._density, iv, self.atoms(), x, 2)).astype(complex)

    def density(self, x) -> np.ndarray:
        """Density of the continuous part, ``-Im m(x + i0) / pi`` (0 off the support)."""
        x = check_array("x", x)
        out = self._density(x.ravel())
        self._warn_nan("density", out, x.ravel())
        return out.reshape(x.shape)

    def _density(self, x: np.ndarray) -> np.ndarray:
        out = np.zeros(x.size)
        inside = self._in_support(x)
        if np.any(inside):
            out[inside] = np.maximum(-self._stieltjes_real(x[inside]).imag / math.pi, 0.0)
        return out

    def _in_support(self, x):
        inside = np.zeros(x.size, bool)
        for a, b in self.support():
            inside |= (x > a) & (x < b)
        return inside

    def _refuse_atoms(self, name, x):
        for a, _ in self.atoms():
            if np.any(x == a):
                raise ValueError(f"{name}: {a!r} is an atom of {self!r} (m has a pole there)")

    # ------------------------------------------------------------------ log-potential
    def log_potential(self, x) -> np.ndarray:
        """``Phi(x) = int log|x - l| dmu(l)`` at real points (``-inf`` exactly at an atom)."""
        x = check_array("x", x)
        flat = x.ravel()
        out = self._log_potential(flat)
        for a, w in self.atoms():
            hit = flat == a
            if np.any(hit):
                out = np.where(hit, -np.inf, out)
        self._warn_nan("log_potential", np.where(out == -np.inf, 0.0, out), flat)
        return out.reshape(x.shape)

    def _log_potential(self, x: np.ndarray) -> np.ndarray:
        """Atoms exactly; the continuous part by one reference value and the cumulative
        integral of ``Re m_c`` (:func:`complexity.spectra._quadrature.cumulative_re_m`)."""
        out = np.zeros(x.size)
        with np.errstate(divide="ignore"):
            for a, w in self.atoms():
                out += w * np.log(np.abs(x - a))
        if self.continuous_mass <= 1e-14 or x.size == 0:
            return out
        iv = self.support()
        width = max(iv[-1][1] - iv[0][0], 1.0)
        x_ref = iv[-1][1] + width
        nodes, wts = Q.support_nodes(iv, 32)
        phi_ref = float(np.sum(wts * np.log(x_ref - nodes) * self._density(nodes)))
        cum = Q.cumulative_re_m(lambda t: self._continuous_stieltjes_real(t).real, iv, x, x_ref)
        return out + phi_ref + cum

    def _continuous_stieltjes_real(self, x: np.ndarray) -> np.ndarray:
        """Boundary value of the continuous part's Stieltjes transform (atoms removed); a
        subclass whose atoms sit inside the support overrides it (no cancellation)."""
        m = np.array(self._stieltjes_real(x), complex)
        for a, w in self.atoms():
            m -= w / (x - a)
        return m

    # ------------------------------------------------------------------ moments, cdf
    def moments(self, k: int) -> np.ndarray:
        """Raw moments ``[m_1, ..., m_k]``, ``m_j = int l^j dmu(l)`` (atoms included)."""
        k = check_int("k", k, minimum=1, maximum=200)
        return np.asarray(self._moments(k), float)

    def _moments(self, k):
        nodes, wts = Q.support_nodes(self.support(), 64) if self.continuous_mass > 1e-14 else (np.empty(0), np.empty(0))
        rho = self._density(nodes) * wts
        out = np.empty(k)
        for j in range(1, k + 1):
            out[j - 1] = np.sum(rho * nodes**j) + sum(w * a**j for a, w in self.atoms())
        return out

    def mean(self) -> float:
        return float(self.moments(1)[0])

    def variance(self) -> float:
        m1, m2 = self.moments(2)
        return float(m2 - m1 * m1)

    def _cdf_table(self):
        if "cdf" not in self._cache:
            pts, cum = [], []
            total = 0.0
            t, w = Q._cosine_rule(16)
            for a, b in self.support():
                cuts = a + (b - a) * (1.0 - np.cos(np.linspace(0.0, math.pi, 257))) / 2.0
                lengths = np.diff(cuts)
                nodes = cuts[:-1, None] + lengths[:, None] * t[None, :]
                mass = (self._density(nodes.ravel()).reshape(nodes.shape) * w[None, :]).sum(axis=1) * lengths
                pts.append(cuts)
                cum.append(total + np.concatenate([[0.0], np.cumsum(mass)]))
                total = cum[-1][-1]
            self._cache["cdf"] = (pts, cum, total)
        return self._cache["cdf"]

    def cdf(self, x) -> np.ndarray:
        """``mu((-inf, x])`` (atoms included: right-continuous)."""
        x = check_array("x", x)
        flat = x.ravel()
        out = np.zeros(flat.size)
        for a, w in self.atoms():
            out += w * (flat >= a)
        if self.continuous_mass > 1e-14:
            pts, cum, total = self._cdf_table()
            scale = self.continuous_mass / total if total > 0 else 0.0
            ct, cw = Q._cosine_rule(16)  # the partial panel may start at an (inverse) square-root edge
            for cuts, c in zip(pts, cum):
                a, b = cuts[0], cuts[-1]
                out[flat >= b] += (c[-1] - c[0]) * scale
                inside = (flat > a) & (flat < b)
                if np.any(inside):
                    xi = flat[inside]
                    j = np.clip(np.searchsorted(cuts, xi) - 1, 0, cuts.size - 2)
                    lo = cuts[j]
                    nodes = lo[:, None] + (xi - lo)[:, None] * ct[None, :]
                    dens = self._density(nodes.ravel()).reshape(nodes.shape)
                    part = (dens * cw[None, :]).sum(axis=1) * (xi - lo)
                    out[inside] += (c[j] - c[0] + part) * scale
        return np.clip(out, 0.0, 1.0).reshape(x.shape)

    def quantile(self, q) -> np.ndarray:
        """The smallest ``x`` with ``cdf(x) >= q``, for ``q`` in [0, 1] (vectorised).

        A table of ``cdf`` at cosine-spaced points of each support interval and at the atoms
        brackets every ``q``; a ``q`` inside an atom's jump returns the atom exactly;
        otherwise safeguarded Newton steps (``cdf' = density``, bisection whenever a step
        leaves the bracket) run on all points at once until ``|cdf(x) - q| <= 1e-15`` or the
        bracket is below 4 ulp.  ``q = 0`` gives the left end of the measure.  Warns
        (RuntimeWarning) with the unresolved ``q`` if 100 steps do not converge.
        """
        q = check_array("q", q, lower=0.0, upper=1.0)
        flat = q.ravel()
        xs, f_right, f_left = self._quantile_table()
        out = np.empty(flat.size)
        k = np.minimum(np.searchsorted(f_right, flat, side="left"), xs.size - 1)
        jump = flat > f_left[k]  # q in (F(x_k-), F(x_k)]: x_k itself (an atom or a table point)
        out[jump] = xs[k[jump]]
        out[flat <= f_right[0]] = xs[0]
        todo = ~jump & (flat > f_right[0])
        if np.any(todo):
            out[todo] = self._quantile_solve(flat[todo], xs[k[todo] - 1], xs[k[todo]],
                                             f_right[k[todo] - 1], f_left[k[todo]])
        return out.reshape(q.shape)

    def _quantile_table(self):
        if "quantile" not in self._cache:
            pts = [a for a, _ in self.atoms()]
            if self.continuous_mass > 1e-14:
                c = (1.0 - np.cos(np.linspace(0.0, math.pi, 129))) / 2.0
                for a, b in self.support():
                    pts.extend(a + (b - a) * c)
            xs = np.unique(np.asarray(pts, float))
            f_right = np.maximum.accumulate(self.cdf(xs))
            jumps = np.zeros(xs.size)
            for a, w in self.atoms():
                jumps[np.searchsorted(xs, a)] += w
            f_left = np.minimum(np.maximum(f_right - jumps, np.concatenate([[0.0], f_right[:-1]])), f_right)
            self._cache["quantile"] = (xs, f_right, f_left)
        return self._cache["quantile"]

    def _quantile_solve(self, q, lo, hi, f_lo, f_hi):
        """Solve ``cdf(x) = q`` in ``(lo, hi)`` (cdf continuous there, ``f_lo < q <= f_hi``)."""
        span = max(hi.max() - lo.min(), 1e-300)
        x = lo + (hi - lo) * np.clip((q - f_lo) / np.maximum(f_hi - f_lo, 1e-300), 0.0, 1.0)
        active = np.ones(q.size, bool)
        for _ in range(100):
            i = np.flatnonzero(active)
            if i.size == 0:
                break
            xi = x[i]
            f = self.cdf(xi) - q[i]
            below = f < 0
            lo[i] = np.where(below, xi, lo[i])
            hi[i] = np.where(below, hi[i], xi)
            d = self.density(xi)
            with np.errstate(divide="ignore", invalid="ignore"):
                step = xi - f / d
            ok = (d > 0) & (step > lo[i]) & (step < hi[i])
            x[i] = np.where(ok, step, 0.5 * (lo[i] + hi[i]))
            done = (np.abs(f) <= 1e-15) | (hi[i] - lo[i] <= 4 * np.finfo(float).eps * np.maximum(np.abs(xi), span))
            x[i] = np.where(done, np.where(np.abs(f) <= 1e-15, xi, hi[i]), x[i])
            active[i[done]] = False
        if np.any(active):
            self._warn(f"quantile: Newton/bisection did not converge at q = {q[active][:5].tolist()} "
                       f"(bracket widths {(hi - lo)[active][:5].tolist()})")
        return x

    # ------------------------------------------------------------------ sampling
    def sample_matrices(self, n: int, samples: int = 1, *, seed=None) -> np.ndarray:
        """``samples`` seeded draws of the finite-``n`` matrix ensemble, shape ``(samples, n, n)``."""
        n = check_int("n", n, minimum=2)
        samples = check_int("samples", samples, minimum=1)
        rng = np.random.default_rng(seed)
        return np.stack([self._sample_matrices(n, 1, rng)[0] for _ in range(samples)])

    def sample(self, n: int, samples: int = 1, *, seed=None) -> np.ndarray:
        """Sorted eigenvalues of ``samples`` seeded finite-``n`` draws, shape ``(samples, n)``."""
        n = check_int("n", n, minimum=2)
        samples = check_int("samples", samples, minimum=1)
        rng = np.random.default_rng(seed)
        return np.sort(self._sample(n, samples, rng), axis=1)

    def _sample(self, n, samples, rng):
        return np.stack([np.linalg.eigvalsh(self._sample_matrices(n, 1, rng)[0]) for _ in range(samples)])

    def log_abs_det_mc(self, n: int, x, samples: int, *, seed=None):
        """``N^-1 log E|det(H_N - x)|`` over ``samples`` seeded draws (log-sum-exp over draws).

        Returns ``(estimate, stderr)`` over x; ``stderr`` is the delta-method standard error
        ``sd(w) / (sqrt(S) mean(w) N)``, ``w = exp(L_s - max L)``.  Converges to
        :meth:`log_potential` as N -> infinity where the determinant asymptotics hold.
        """
        x = check_array("x", x).ravel()
        samples = check_int("samples", samples, minimum=2)
        ev = self.sample(n, samples, seed=seed)
        logs = np.empty((samples, x.size))
        with np.errstate(divide="ignore"):
            for j0 in range(0, x.size, 256):
                xs = x[j0:j0 + 256]
                logs[:, j0:j0 + 256] = np.sum(np.log(np.abs(ev[:, :, None] - xs[None, None, :])), axis=1)
        if not np.all(np.isfinite(logs)):
            bad = x[~np.all(np.isfinite(logs), axis=0)][:5].tolist()
            raise ValueError(f"x: log|det(H - x)| is -inf at x = {bad}, an eigenvalue of a sampled matrix "
                             "(an atom of the measure?)")
        return annealed_log_mean(logs, n)

    # ------------------------------------------------------------------ transformations
    def affine(self, a, b=0.0) -> "SpectralMeasure":
        """The law of ``a l + b`` (``a != 0``)."""
        a, b = checked_affine(a, b)
        if a == 1.0 and b == 0.0:
            return self
        return AffineMeasure(self, a, b)

    def to_scale(self, scale: str) -> "SpectralMeasure":
        """The same ensemble in another named scale (``"wigner"`` or ``"abc"``)."""
        if self.scale == "none":
            raise ValueError(f"{self!r} has no named scale to convert from")
        f = scale_factor(self.scale, scale)
        if f == 1.0:
            return self
        out = self.affine(f)
        out.scale = scale
        return out

    def standardise(self, variance: float = 0.5, mean: float = 0.0) -> "SpectralMeasure":
        """The affine image with the given mean and variance (scale label ``"none"`` unless
        it is exactly a named scale change)."""
        variance = check_real("variance", variance, lower=0.0, lower_open=True)
        mean = check_real("mean", mean)
        v = self.variance()
        if not v > 0:
            raise ValueError(f"{self!r} has zero variance and cannot be standardised")
        a = math.sqrt(variance / v)
        return self.affine(a, mean - a * self.mean())

    def _warn(self, message):
        warnings.warn(f"{self.name}: {message}", RuntimeWarning, stacklevel=3)

    def _warn_nan(self, what, values, at):
        """Never a silent NaN: warn, naming the first points, if a route returned non-finite values."""
        bad = ~np.isfinite(values)
        if np.any(bad):
            pts = np.asarray(at)[bad][:5].tolist()
            warnings.warn(f"{self!r}.{what}: {int(bad.sum())} non-finite value(s) (unresolved), e.g. at {pts}",
                          RuntimeWarning, stacklevel=3)


class AffineMeasure(SpectralMeasure):
    """The law of ``a l + b`` for ``l ~ base`` (every quantity from the base's)."""

    name = "affine"

    def __init__(self, base: SpectralMeasure, a: float, b: float):
        super().__init__(scale="none", params={"base": base, "a": a, "b": b})
        self.base, self.a, self.b = base, float(a), float(b)
        self.beta = base.beta
        self.potential = None if base.potential is None else (lambda x, V=base.potential: V((x - b) / a))

    def __repr__(self):
        return f"affine({self.base!r}, a={self.a!r}, b={self.b!r})"

    def _support(self):
        out = [tuple(sorted((self.a * lo + self.b, self.a * hi + self.b))) for lo, hi in self.base.support()]
        return sorted(out)

    def _atoms(self):
        return sorted((self.a * x + self.b, w) for x, w in self.base.atoms())

    def _inv(self, x):
        return (x - self.b) / self.a

    def _stieltjes_upper(self, z):
        # m_{a l + b}(z) = m_l((z - b)/a) / a; for a < 0 the preimage is in the lower half plane
        return self.base.stieltjes(self._inv(z)) / self.a

    def _stieltjes_real(self, x):
        y = self._inv(x)
        m = self.base.stieltjes(y) / self.a
        return m if self.a > 0 else m.conjugate()

    def _stieltjes_derivative(self, z, dist, h):
        # m_{a l + b}'(z) = m_l'((z - b)/a) / a^2
        return self.base.stieltjes_derivative(self._inv(z), None if h is None else h / abs(self.a)) / (self.a * self.a)

    def _density(self, x):
        return self.base.density(self._inv(x)) / abs(self.a)

    def _log_potential(self, x):
        with np.errstate(divide="ignore"):
            return self.base.log_potential(self._inv(x)) + math.log(abs(self.a))

    def _moments(self, k):
        base = np.concatenate([[1.0], self.base.moments(k)])
        out = np.empty(k)
        for j in range(1, k + 1):
            out[j - 1] = sum(math.comb(j, i) * self.a**i * self.b ** (j - i) * base[i] for i in range(j + 1))
        return out

    def cdf(self, x):
        x = check_array("x", x)
        if self.a > 0:
            return self.base.cdf(self._inv(x))
        y = self._inv(x)  # P(a l + b <= x) = P(l >= y) = 1 - P(l < y)
        atom_at = np.zeros(y.shape)
        for loc, w in self.base.atoms():
            atom_at += w * (y == loc)
        return 1.0 - self.base.cdf(y) + atom_at

    def _sample_matrices(self, n, samples, rng):
        return self.a * self.base._sample_matrices(n, samples, rng) + self.b * np.eye(n)

    def _sample(self, n, samples, rng):
        return self.a * self.base._sample(n, samples, rng) + self.b
