r"""What the outlier and damping formulas need from a spectral measure, in one place.

For a measure mu of complexity.spectra (``.stieltjes``, ``.support``, ``.atoms``,
``.density``) and real x outside its support:

* G(x) = int dmu(l) / (x - l) = ``mu.stieltjes(x)`` (real there);
* G'(x) = -int dmu(l) / (x - l)^2: from ``mu.stieltjes_derivative`` when the measure's class
  gives it in closed form (semicircle, discrete, mixtures of those), else by quadrature of the
  density plus the atoms (:func:`stieltjes_derivative`);
* the hull [a, b] of the support (continuous part and atoms together).

The quadrature maps each support interval [a, b] by l = a + (b - a)(1 - cos(pi u)) / 2 (which
absorbs square-root and inverse-square-root edges) and integrates in u with composite
16-point Gauss-Legendre panels graded geometrically towards both ends, the finest panel set
by the distance from x to that end, so that x close to an edge (where -G' ~ (x - b)^(-1/2)
for a square-root edge) keeps full accuracy: one vectorised density call of a few hundred
nodes per interval.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["hull", "stieltjes_real", "stieltjes_derivative", "stieltjes_by_quadrature"]

_T, _W = np.polynomial.legendre.leggauss(16)


def hull(mu):
    """(a, b): smallest and largest point of the support, atoms included (``mu.edges()``)."""
    a, b = mu.edges()
    return float(a), float(b)


def stieltjes_real(mu, x) -> np.ndarray:
    """G(x) at real x outside the support (the real part of ``mu.stieltjes``)."""
    return np.real(np.asarray(mu.stieltjes(np.asarray(x, dtype=float)), dtype=complex))


def _half(scale: float) -> np.ndarray:
    # breakpoints in v in [0, 1/2] (v = distance in u from one end): geometric towards 0, the
    # smallest panel ~ scale / 8 (scale = sqrt(distance of x to that end / interval length))
    v0 = min(max(scale / 8.0, 3e-8), 0.0625)
    k = int(math.ceil(math.log2(0.5 / v0)))
    return np.concatenate([[0.0], 0.5 * 2.0 ** -np.arange(k, -1, -1)])


def _half_nodes(scale: float):
    br = _half(scale)
    lo, hi = br[:-1, None], br[1:, None]
    v = (0.5 * (hi - lo) * _T[None, :] + 0.5 * (hi + lo)).ravel()
    wv = (0.5 * (hi - lo) * _W[None, :]).ravel()
    return v, wv


def _nodes(a: float, b: float, x: np.ndarray):
    """Quadrature nodes l = end + offset and weights for int_a^b f(l) dl (x sets the grading).

    l = a + L sin^2(pi v / 2) on the left half and b - L sin^2(pi v / 2) on the right half
    (v in [0, 1/2] the distance in u from that end), so nodes next to an edge keep their
    distance to it exactly.
    """
    length = b - a
    dl = float(np.min(np.abs(x - a))) if x.size else 1.0
    dr = float(np.min(np.abs(x - b))) if x.size else 1.0
    ends, offs, wts = [], [], []
    for end, sign, d in ((a, 1.0, dl), (b, -1.0, dr)):
        v, wv = _half_nodes(math.sqrt(d / length))
        sv = np.sin(0.5 * math.pi * v)
        ends.append(np.full(v.size, end))
        offs.append(sign * length * sv * sv)
        wts.append(wv * 0.5 * length * math.pi * np.sin(math.pi * v))
    return np.concatenate(ends), np.concatenate(offs), np.concatenate(wts)


def _moment(mu, x, power: int) -> np.ndarray:
    """int dmu(l) / (x - l)^power at real x outside the support."""
    x = np.atleast_1d(np.asarray(x, dtype=float))
    out = np.zeros_like(x)
    with np.errstate(divide="ignore"):  # at an atom the moment is infinite
        for loc, mass in mu.atoms():
            if mass > 0:
                out += mass / (x - float(loc)) ** power
    for a, b in mu.support():
        if b <= a:
            continue
        end, off, w = _nodes(float(a), float(b), x)
        rho = np.asarray(mu.density(end + off), dtype=float)
        diff = (x[:, None] - end[None, :]) - off[None, :]  # x - l without cancellation at the edge
        out += ((w * rho)[None, :] / diff**power).sum(axis=1)
    return out


def _has_closed_form_derivative(mu) -> bool:
    """True when the measure's class overrides the generic (difference-rule) m' of the layer."""
    from complexity.spectra import SpectralMeasure

    own = getattr(type(mu), "stieltjes_derivative", None)
    return own is not None and own is not SpectralMeasure.stieltjes_derivative


def stieltjes_derivative(mu, x) -> np.ndarray:
    """G'(x) = -int dmu(l) / (x - l)^2 at real x outside the support: the measure's own closed
    form when its class has one, else quadrature of the density plus the atoms (the layer's
    generic m' is a difference rule on a small circle, not used here)."""
    if _has_closed_form_derivative(mu):
        return np.real(np.asarray(mu.stieltjes_derivative(np.asarray(x, dtype=float)), dtype=complex))
    return -_moment(mu, x, 2)


def stieltjes_by_quadrature(mu, x) -> np.ndarray:
    """G(x) = int dmu(l) / (x - l) by the same quadrature (used at a support edge, where it is
    finite for a square-root edge and the boundary value of ``stieltjes`` converges slowly)."""
    return _moment(mu, x, 1)


def classical_locations(mu, n: int, grid: int = 20001) -> np.ndarray:
    """The n points with mu-mass (k + 1/2) / n below the k-th: a deterministic "matrix A" with
    spectral measure ~ mu (continuous part only; atoms are not supported here).

    Inverts ``mu.cdf`` on a grid of ``grid`` points of each support interval by linear
    interpolation (one vectorised cdf call; a per-point ``mu.quantile`` is much slower).
    """
    if mu.atoms():
        raise ValueError("classical_locations: the measure has atoms; place them explicitly")
    xs = np.concatenate([np.linspace(a, b, grid) for a, b in mu.support()])
    cdf = np.maximum.accumulate(np.asarray(mu.cdf(xs), dtype=float))
    q = (np.arange(n) + 0.5) / n
    return np.interp(q, cdf, xs)
