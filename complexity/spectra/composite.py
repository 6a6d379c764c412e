r"""Measures built from others or from numbers: point masses, mixtures, empirical spectra.

* ``discrete(levels, weights)``: ``sum_i w_i delta_{a_i}`` (atoms only).  Finite-N matrices:
  ``diag`` with ``round(w_i N)`` copies of each level (block sizes as in
  :func:`complexity.rmt.block.block_sizes`).
* ``mixture([(w_1, mu_1), ...])``: ``sum_i w_i mu_i``; every quantity is the weighted sum,
  exactly (the log-potential too).  Finite-N matrices: the direct sum of draws of each
  component at sizes ``round(w_i N)``.
* ``with_zero_mass(mu, d)``: ``(1 - d) mu + d delta_0`` (rank degeneracy), ``d`` in [0, 1).
* ``empirical(eigenvalues)``: ``N^-1 sum_i delta_{l_i}``; its log-potential is the exact mean of
  ``log|x - l_i|`` and its Stieltjes transform the exact mean of ``1/(z - l_i)``.  Finite-n
  draws (diagonal matrices) are stratified resamples of the M sorted eigenvalues: entry i is
  ``l_(floor((i + U_i) M / n))``, ``U_i`` uniform -- the eigenvalues themselves when n = M.
  (A plain bootstrap would not do: for iid diagonal entries ``N^-1 log E|det(D - x)|`` is
  ``log mean|l - x|``, not the log-potential ``mean log|l - x|``; stratified draws keep
  ``log|det|`` fluctuations O(1) so the annealed and quenched values agree as n grows.)
"""

from __future__ import annotations

import numpy as np

from complexity._validate import check_array, check_real
from complexity.spectra._base import SpectralMeasure

__all__ = ["Discrete", "Mixture", "Empirical", "discrete", "mixture", "with_zero_mass", "empirical"]


def _sizes(weights, n):
    """Block sizes summing to ``n`` by largest remainders: ``floor(w_i n)``, plus one for the
    ``n - sum floor`` largest fractional parts (each size within 1 of ``w_i n``)."""
    w = np.asarray(weights, float)
    sizes = np.floor(w * n).astype(int)
    extra = n - int(sizes.sum())
    if extra > 0:
        sizes[np.argsort(-(w * n - sizes), kind="stable")[:extra]] += 1
    return sizes


def _check_weights(weights, name="weights"):
    w = check_array(name, weights).ravel()
    if w.size == 0 or np.any(w <= 0.0):
        raise ValueError(f"{name} must be positive numbers, got {w.tolist()}")
    if abs(w.sum() - 1.0) > 1e-9:
        raise ValueError(f"{name} must sum to 1 (within 1e-9), got sum {float(w.sum())!r}")
    return w / w.sum()


class Discrete(SpectralMeasure):
    """``sum_i w_i delta_{a_i}``: no continuous part."""

    name = "discrete"

    def __init__(self, levels, weights=None, *, scale="wigner", params=None):
        a = check_array("levels", levels).ravel()
        if a.size == 0:
            raise ValueError("levels must hold at least one number")
        w = np.full(a.size, 1.0 / a.size) if weights is None else _check_weights(weights)
        if w.size != a.size:
            raise ValueError(f"weights must have {a.size} entries (one per level), got {w.size}")
        order = np.argsort(a, kind="stable")
        self.levels, self.weights = a[order], w[order]
        if params is None:
            params = {"levels": tuple(self.levels.tolist()), "weights": tuple(self.weights.tolist())}
        super().__init__(scale=scale, params=params)

    def _support(self):
        return []

    def _atoms(self):
        lv, inv = np.unique(self.levels, return_inverse=True)
        mass = np.bincount(inv, weights=self.weights)
        return list(zip(lv.tolist(), mass.tolist()))

    def edges(self):
        return (float(self.levels[0]), float(self.levels[-1]))

    def distance(self, z):
        z = np.asarray(z)
        flat = z.astype(complex).ravel()
        # the nearest level is one of the two around Re z
        i = np.clip(np.searchsorted(self.levels, flat.real), 1, max(self.levels.size - 1, 1))
        i = np.minimum(i, self.levels.size - 1)
        near = np.minimum(np.abs(flat - self.levels[i]), np.abs(flat - self.levels[np.maximum(i - 1, 0)]))
        return near.reshape(z.shape)

    def _sum(self, z, fn):
        z = np.asarray(z)
        out = np.zeros(z.size, dtype=np.result_type(z, float))
        for j0 in range(0, self.levels.size, 4096):
            a = self.levels[j0:j0 + 4096]
            w = self.weights[j0:j0 + 4096]
            out += np.sum(w[None, :] * fn(z.ravel()[:, None] - a[None, :]), axis=1)
        return out

    def _stieltjes_upper(self, z):
        return self._sum(z, lambda d: 1.0 / d)

    def _stieltjes_real(self, x):
        return self._sum(np.asarray(x, float), lambda d: 1.0 / d).astype(complex)

    def _stieltjes_derivative(self, z, dist, h):
        return -self._sum(z, lambda d: 1.0 / (d * d))

    def _density(self, x):
        return np.zeros(np.asarray(x).size)

    def _log_potential(self, x):
        with np.errstate(divide="ignore"):
            return self._sum(np.asarray(x, float), lambda d: np.log(np.abs(d)))

    def _moments(self, k):
        return [float(np.sum(self.weights * self.levels**j)) for j in range(1, k + 1)]

    def cdf(self, x):
        x = check_array("x", x)
        cum = np.concatenate([[0.0], np.cumsum(self.weights)])
        return np.minimum(cum[np.searchsorted(self.levels, x.ravel(), side="right")], 1.0).reshape(x.shape)

    def quantile(self, q):
        q = check_array("q", q, lower=0.0, upper=1.0)
        cum = np.cumsum(self.weights)
        idx = np.minimum(np.searchsorted(cum, q.ravel() - 1e-15, side="left"), self.levels.size - 1)
        return self.levels[idx].reshape(q.shape)

    def _sample_matrices(self, n, samples, rng):
        d = np.repeat(self.levels, _sizes(self.weights, n))
        return np.broadcast_to(np.diag(d), (samples, n, n)).copy()

    def _sample(self, n, samples, rng):
        return np.broadcast_to(np.repeat(self.levels, _sizes(self.weights, n)), (samples, n)).copy()


class Empirical(Discrete):
    """The empirical measure of given eigenvalues (equal weights)."""

    name = "empirical"

    def __init__(self, eigenvalues):
        try:
            ev = np.asarray(eigenvalues, dtype=float).ravel() if not isinstance(eigenvalues, str) else None
        except (TypeError, ValueError):
            raise ValueError(f"eigenvalues must be real numbers, got {eigenvalues!r:.80}") from None
        if ev is None or ev.size == 0:
            raise ValueError("eigenvalues must be a non-empty array of finite numbers (flattened: samples pooled)")
        if not np.all(np.isfinite(ev)):
            bad = int(np.flatnonzero(~np.isfinite(ev))[0])
            raise ValueError(f"eigenvalues must be finite: entry {bad} is {float(ev[bad])!r}")
        super().__init__(ev, None, scale="none", params={"n": int(ev.size)})

    def _sample_matrices(self, n, samples, rng):
        return np.stack([np.diag(d) for d in self._sample(n, samples, rng)])

    def _sample(self, n, samples, rng):
        m = self.levels.size
        idx = np.floor((np.arange(n)[None, :] + rng.random((samples, n))) * (m / n)).astype(int)
        return self.levels[np.minimum(idx, m - 1)]


class Mixture(SpectralMeasure):
    """``sum_i w_i mu_i``."""

    name = "mixture"

    def __init__(self, components):
        comps = list(components)
        if not comps:
            raise ValueError("components must be a non-empty list of (weight, measure) pairs")
        for w, mu in comps:
            if not isinstance(mu, SpectralMeasure):
                raise ValueError(f"components: {mu!r} is not a spectral measure")
        w = _check_weights([c[0] for c in comps], "weights")
        self.weights = w
        self.components = [mu for _, mu in comps]
        scales = {mu.scale for mu in self.components}
        super().__init__(scale=scales.pop() if len(scales) == 1 else "none",
                         params={"components": tuple(zip(w.tolist(), self.components))})

    def _support(self):
        ivs = sorted(iv for mu in self.components if mu.continuous_mass > 1e-14 for iv in mu.support())
        out = []
        for lo, hi in ivs:
            if out and lo <= out[-1][1]:
                out[-1] = (out[-1][0], max(out[-1][1], hi))
            else:
                out.append((lo, hi))
        return out

    def _atoms(self):
        acc = {}
        for w, mu in zip(self.weights, self.components):
            for a, m in mu.atoms():
                acc[a] = acc.get(a, 0.0) + w * m
        return sorted(acc.items())

    def _mix(self, fn, x):
        return sum(w * fn(mu, x) for w, mu in zip(self.weights, self.components))

    def _stieltjes_upper(self, z):
        return self._mix(lambda mu, t: mu.stieltjes(t), z)

    def _stieltjes_real(self, x):
        return self._mix(lambda mu, t: mu.stieltjes(t), x)

    def _continuous_stieltjes_real(self, x):
        return self._mix(lambda mu, t: mu._continuous_stieltjes_real(t), np.asarray(x, float))

    def _stieltjes_derivative(self, z, dist, h):
        return self._mix(lambda mu, t: mu.stieltjes_derivative(t, h), z)

    def _density(self, x):
        return self._mix(lambda mu, t: mu.density(t), x)

    def _log_potential(self, x):
        with np.errstate(invalid="ignore"):
            return self._mix(lambda mu, t: mu.log_potential(t), x)

    def _moments(self, k):
        return self._mix(lambda mu, kk: mu.moments(kk), k)

    def cdf(self, x):
        x = check_array("x", x)
        return self._mix(lambda mu, t: mu.cdf(t), x)

    def _sample_matrices(self, n, samples, rng):
        sizes = _sizes(self.weights, n)
        out = np.zeros((samples, n, n))
        for s in range(samples):
            i0 = 0
            for size, mu in zip(sizes, self.components):
                if size == 0:
                    continue
                block = mu._sample_matrices(size, 1, rng)[0] if size > 1 else np.atleast_2d(mu._sample(2, 1, rng)[0, :1])
                out[s, i0:i0 + size, i0:i0 + size] = block
                i0 += size
        return out

    def _sample(self, n, samples, rng):
        sizes = _sizes(self.weights, n)
        rows = []
        for _ in range(samples):
            parts = []
            for size, mu in zip(sizes, self.components):
                if size == 0:
                    continue
                parts.append(mu._sample(max(size, 2), 1, rng)[0][:size] if size > 1 else mu._sample(2, 1, rng)[0, :1])
            rows.append(np.concatenate(parts))
        return np.stack(rows)


def discrete(levels, weights=None, *, scale: str = "wigner") -> Discrete:
    """``sum_i w_i delta_{a_i}`` (equal weights when ``weights`` is None; weights sum to 1)."""
    return Discrete(levels, weights, scale=scale)


def mixture(components) -> Mixture:
    """``sum_i w_i mu_i`` from ``[(w_1, mu_1), ...]`` (positive weights summing to 1)."""
    return Mixture(components)


def with_zero_mass(mu: SpectralMeasure, zero_mass: float) -> SpectralMeasure:
    """``(1 - d) mu + d delta_0`` for ``d = zero_mass`` in [0, 1) (rank degeneracy)."""
    d = check_real("zero_mass", zero_mass, lower=0.0, upper=1.0, upper_open=True)
    if d == 0.0:
        return mu
    scale = mu.scale if mu.scale != "none" else "wigner"
    out = Mixture([(1.0 - d, mu), (d, Discrete([0.0], [1.0], scale=scale))])
    out.params = {"base": mu, "zero_mass": d}
    return out


def empirical(eigenvalues) -> Empirical:
    """The empirical spectral measure of ``eigenvalues`` (a 1-D array of finite numbers)."""
    return Empirical(eigenvalues)
