r"""The Marchenko-Pastur law of a Wishart matrix ``W = X X^T / T``.

``X`` is ``N x T`` with iid N(0, 1) entries, ``c = N / T``.  "wigner" scale (the natural
normalisation): mean 1, variance c, continuous part on ``[(1 - sqrt c)^2, (1 + sqrt c)^2]``
and an atom of mass ``1 - 1/c`` at 0 when ``c > 1`` (``X X^T`` has rank T < N).
``scale="abc"`` divides W by sqrt 2.

Closed forms (Marchenko-Pastur 1967; Bai-Silverstein's book, ch. 3):
* density ``rho(x) = sqrt((b - x)(x - a)) / (2 pi c x)`` on ``(a, b)``
* Stieltjes ``m(z) = (z + c - 1 - sqrt(z - a) sqrt(z - b)) / (2 c z)`` (product of principal
  roots; it solves ``c z m^2 - (z + c - 1) m + 1 = 0`` and has the residue ``1 - 1/c`` at 0)
* moments (Narayana) ``m_k = sum_{j=0}^{k-1} c^j / (j + 1) C(k, j) C(k - 1, j)``
* for ``c < 1`` the eigenvalue law is the Laguerre ensemble
  ``prod|l_i - l_j| prod l_i^((T - N - 1)/2) exp(-T l_i / 2)``, i.e. the invariant form
  ``exp(-(N/2) sum V(l_i))`` with ``V(x) = x / c - (1/c - 1) log x`` at leading order.
"""

from __future__ import annotations

import math

import numpy as np

from complexity._validate import check_real
from complexity.spectra._base import SCALES, SpectralMeasure

__all__ = ["MarchenkoPastur", "marchenko_pastur"]


class MarchenkoPastur(SpectralMeasure):
    """Marchenko-Pastur law with ratio ``c = N / T`` in the "wigner" scale."""

    name = "marchenko_pastur"

    def __init__(self, c: float):
        c = check_real("c", c, lower=0.0, lower_open=True)
        super().__init__(scale="wigner", params={"c": c})
        self.c = c
        self.a = (1.0 - math.sqrt(c)) ** 2
        self.b = (1.0 + math.sqrt(c)) ** 2
        if c < 1.0:
            self.potential = lambda x: np.where(
                np.asarray(x) > 0, np.asarray(x, float) / c - (1.0 / c - 1.0) * np.log(np.abs(x) + 1e-300), np.inf
            )

    def _support(self):
        return [(self.a, self.b)]

    def _atoms(self):
        return [(0.0, 1.0 - 1.0 / self.c)] if self.c > 1.0 else []

    def _root(self, z):
        return np.sqrt(z - self.a) * np.sqrt(z - self.b)

    def _m(self, z, shift):
        """``(z + shift - R) / (2 c z)`` or its rationalisation ``2 / (c' (z + shift + R))``
        (``(z + s)^2 - R^2 = 4 c z`` for ``s = c - 1``, ``4 z`` for ``s = 1 - c``), whichever
        has no cancellation: exact at ``z = 0`` off the atom."""
        c = self.c
        r = self._root(z)
        num, den = z + shift - r, z + shift + r
        top = 2.0 if shift == c - 1.0 else 2.0 / c
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(np.abs(den) >= np.abs(num), top / den, num / (2.0 * c * z))

    def _stieltjes_upper(self, z):
        return self._m(z, self.c - 1.0)

    def _stieltjes_real(self, x):
        return self._m(np.asarray(x, float) + 0j, self.c - 1.0)

    def _continuous_stieltjes_real(self, x):
        # m - (1 - 1/c)/x without cancellation: for c > 1 the residue term is removed exactly
        z = np.asarray(x, float) + 0j
        return self._m(z, self.c - 1.0) if self.c <= 1.0 else self._m(z, 1.0 - self.c)

    def _stieltjes_derivative(self, z, dist, h):
        """``m' = (c m^2 - m) / R``, from ``c z m^2 - (z + c - 1) m + 1 = 0`` differentiated
        (``2 c z m - (z + c - 1) = -R``, ``R = sqrt(z - a) sqrt(z - b)``); ``h`` unused."""
        m = self._m(z, self.c - 1.0)
        return (self.c * m * m - m) / self._root(z)

    def _density(self, x):
        out = np.zeros(x.size)
        m = (x > self.a) & (x < self.b)
        out[m] = np.sqrt((self.b - x[m]) * (x[m] - self.a)) / (2.0 * math.pi * self.c * x[m])
        return out

    def _moments(self, k):
        c = self.c
        return [sum(c**j / (j + 1) * math.comb(n, j) * math.comb(n - 1, j) for j in range(n)) for n in range(1, k + 1)]

    def _sample_matrices(self, n, samples, rng):
        t = max(1, int(round(n / self.c)))
        x = rng.standard_normal((samples, n, t))
        return x @ np.swapaxes(x, -1, -2) / t


def marchenko_pastur(c: float, *, scale: str = "wigner") -> SpectralMeasure:
    """Marchenko-Pastur law of ``W = X X^T / T``, ``c = N / T`` (atom ``1 - 1/c`` at 0 for c > 1);
    ``scale="abc"``: W / sqrt 2."""
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {tuple(SCALES)}, got {scale!r}")
    return MarchenkoPastur(c).to_scale(scale)
