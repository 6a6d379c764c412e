r"""What the outlier and damping formulas need from a spectral measure, in one place.

For a measure mu of complexity.spectra (``.stieltjes``, ``.support``, ``.atoms``,
``.density``) and real x outside its support:

* G(x) = int dmu(l) / (x - l) = ``mu.stieltjes(x)`` (real there);
* G'(x) = -int dmu(l) / (x - l)^2 = ``mu.stieltjes_derivative(x)`` (closed forms where the
  class has one, else the graded quadrature of
  :func:`complexity.spectra._quadrature.inverse_power_moment`);
* the hull [a, b] of the support (continuous part and atoms together).
"""

from __future__ import annotations

import numpy as np

from complexity.spectra._quadrature import inverse_power_moment

__all__ = ["hull", "stieltjes_real", "stieltjes_derivative", "stieltjes_by_quadrature", "classical_locations"]


def hull(mu):
    """(a, b): smallest and largest point of the support, atoms included (``mu.edges()``)."""
    a, b = mu.edges()
    return float(a), float(b)


def stieltjes_real(mu, x) -> np.ndarray:
    """G(x) at real x outside the support (the real part of ``mu.stieltjes``)."""
    return np.real(np.asarray(mu.stieltjes(np.asarray(x, dtype=float)), dtype=complex))


def stieltjes_derivative(mu, x) -> np.ndarray:
    """G'(x) = -int dmu(l) / (x - l)^2 at real x outside the support (the layer's
    ``stieltjes_derivative``: closed forms where a class has one, else graded quadrature)."""
    return np.real(np.asarray(mu.stieltjes_derivative(np.asarray(x, dtype=float)), dtype=complex))


def stieltjes_by_quadrature(mu, x) -> np.ndarray:
    """G(x) = int dmu(l) / (x - l) by the same quadrature (used at a support edge, where it is
    finite for a square-root edge and the boundary value of ``stieltjes`` converges slowly)."""
    iv = mu.support() if mu.continuous_mass > 1e-14 else []
    return inverse_power_moment(mu.density, iv, mu.atoms(), x, 1)


def classical_locations(mu, n: int) -> np.ndarray:
    """The n points with mu-mass (k + 1/2) / n below the k-th: a deterministic "matrix A" with
    spectral measure ~ mu (continuous part only; atoms are not supported here).

    The layer's quantile function at (k + 1/2)/n.
    """
    if mu.atoms():
        raise ValueError("classical_locations: the measure has atoms; place them explicitly")
    return np.asarray(mu.quantile((np.arange(n) + 0.5) / n), dtype=float)
