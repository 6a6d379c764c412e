"""Quadrature on the support of a spectral measure: the generic routes of the base class.

* :func:`support_nodes`: Gauss-Legendre nodes under a cosine map on cosine-spaced panels of
  each support interval.  The map ``t = (1 - cos th)/2`` turns an edge behaviour
  ``(x - a)^(+-1/2)`` into a smooth integrand, so square-root edges (semicircle,
  Marchenko-Pastur, block ensembles) and inverse-square-root hard edges (Marchenko-Pastur at
  c = 1, products) are integrated to round-off.
* :func:`cumulative_re_m`: ``int_{x_ref}^{x} Re m(t) dt`` at many points in one pass (panels
  between the sorted breakpoints; cosine-mapped panels at the support edges, where ``Re m``
  has a square-root singularity; geometric breakpoints toward each edge and out to the
  farthest point, where ``Re m ~ 1/x``).  With ``Phi' = Re m`` (MATH.md section 1) this gives
  the log-potential everywhere from one reference value: no 2-D integral per point.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["inverse_power_moment", "support_nodes", "graded_nodes", "panels", "cumulative_re_m"]

_GL = {n: np.polynomial.legendre.leggauss(n) for n in (4, 8, 16)}


def _cosine_rule(n=16):
    gx, gw = _GL[n]
    th = (gx + 1.0) * (math.pi / 2.0)
    return (1.0 - np.cos(th)) / 2.0, gw * (math.pi / 2.0) * np.sin(th) / 2.0


def support_nodes(intervals, pieces: int = 32):
    """Nodes and weights on the intervals: ``pieces`` cosine-spaced panels each, 16-point
    Gauss-Legendre under the cosine map (absorbs square-root ends, clusters toward edges)."""
    t, wt = _cosine_rule(16)
    c = (1.0 - np.cos(np.linspace(0.0, math.pi, pieces + 1))) / 2.0
    xs, ws = [], []
    for lo, hi in intervals:
        cuts = lo + (hi - lo) * c
        length = np.diff(cuts)
        xs.append((cuts[:-1, None] + length[:, None] * t[None, :]).ravel())
        ws.append((length[:, None] * wt[None, :]).ravel())
    if not xs:
        return np.empty(0), np.empty(0)
    return np.concatenate(xs), np.concatenate(ws)


def graded_nodes(intervals, x: float, pieces: int = 32):
    """Nodes and weights on the intervals for integrands singular at a point ``x`` off them
    (``rho(l) / (x - l)^2``): the cosine-spaced panels of :func:`support_nodes`, plus
    breakpoints ``e -+ d 2^k`` graded toward the edge ``e`` nearest ``x`` (``d = |x - e|``),
    so every panel is no longer than its distance to ``x``.  Panels touching an edge use the
    cosine map (square-root ends), the others 16-point Gauss-Legendre."""
    c = (1.0 - np.cos(np.linspace(0.0, math.pi, pieces + 1))) / 2.0
    edges = np.array(sorted({e for iv in intervals for e in iv}), float)
    xs, ws = [], []
    for lo, hi in intervals:
        cuts = [lo + (hi - lo) * c]
        for e, sgn in ((lo, 1.0), (hi, -1.0)):
            d = abs(x - e)
            if d < hi - lo:
                k = np.arange(0, int(np.ceil(np.log2((hi - lo) / d))) + 1)
                cuts.append(np.clip(e + sgn * d * 2.0**k, lo, hi))
        cuts = np.unique(np.concatenate(cuts))
        n, w, own = panels(cuts[:-1], cuts[1:], edges, intervals)
        xs.append(n)
        ws.append(w)
    if not xs:
        return np.empty(0), np.empty(0)
    return np.concatenate(xs), np.concatenate(ws)


def panels(lo, hi, edges, intervals):
    """Quadrature nodes, weights and panel index for panels ``[lo_n, hi_n]``.

    Panels touching a support edge use the cosine map (16 nodes); panels inside the support
    16 Gauss-Legendre nodes; panels outside it 4, 8 or 16 nodes by their length relative to
    the distance to the nearest edge (the nearest singularity of Re m): ratio < 0.05 -> 4
    nodes, < 0.3 -> 8, else 16 (errors ~ (ratio/2)^(2n), below 1e-13).
    """
    length = hi - lo
    mid = 0.5 * (lo + hi)
    edges = np.asarray(edges, float)
    touching = np.isin(lo, edges) | np.isin(hi, edges)
    inside = np.zeros(lo.size, bool)
    for a, b in intervals:
        inside |= (mid > a) & (mid < b)
    dist = np.min(np.abs(mid[:, None] - edges[None, :]), axis=1) - 0.5 * length
    ratio = length / np.maximum(dist, 1e-300)
    order = np.where(touching | inside | (ratio >= 0.3), 16, np.where(ratio < 0.05, 4, 8))
    xs, ws, owners = [], [], []
    for n in (4, 8, 16):
        for cos_map in ((False, True) if n == 16 else (False,)):
            sel = (order == n) & (touching == cos_map) if n == 16 else (order == n)
            if not sel.any():
                continue
            if cos_map:
                t, w = _cosine_rule(16)
            else:
                gx, gw = _GL[n]
                t, w = (gx + 1.0) / 2.0, gw / 2.0
            idx = np.nonzero(sel)[0]
            xs.append((lo[idx, None] + length[idx, None] * t[None, :]).ravel())
            ws.append((length[idx, None] * w[None, :]).ravel())
            owners.append(np.repeat(idx, n))
    return np.concatenate(xs), np.concatenate(ws), np.concatenate(owners)


def cumulative_re_m(re_m, intervals, x, x_ref, inner: int = 65):
    """``int_{x_ref}^{x_j} re_m(t) dt`` for every ``x_j`` (``re_m``: vectorised callable).

    ``intervals``: the support of the continuous part (Re m is smooth off the edges).
    ``inner`` breakpoints per interval keep panels short inside the support.
    """
    flat = np.asarray(x, float).ravel()
    edges = np.array(sorted({e for iv in intervals for e in iv}), float)
    width = max(intervals[-1][1] - intervals[0][0], 1.0)
    near = width * 2.0 ** -np.arange(0, 40)
    reach = max(np.max(np.abs(flat)) if flat.size else 0.0, abs(x_ref)) + width
    far = width * 2.0 ** np.arange(0, max(1, int(np.ceil(np.log2(reach / width))) + 2))
    extra = [e + sgn * near for e in edges for sgn in (-1.0, 1.0)]
    extra += [intervals[-1][1] + far, intervals[0][0] - far]
    extra = np.concatenate(extra)
    outside = np.ones(extra.size, bool)
    for lo_i, hi_i in intervals:
        outside &= ~((extra > lo_i) & (extra < hi_i))
    grid = np.concatenate([np.linspace(lo_i, hi_i, inner) for lo_i, hi_i in intervals])
    bps = np.unique(np.concatenate([flat, edges, grid, extra[outside], [x_ref]]))
    lo, hi = bps[:-1], bps[1:]
    xn, wn, own = panels(lo, hi, edges, intervals)
    vals = re_m(xn)
    panel = np.bincount(own, weights=wn * vals, minlength=bps.size - 1)
    cum = np.concatenate([[0.0], np.cumsum(panel)])  # int_{bps[0]}^{bps[n]} Re m
    i_ref = int(np.searchsorted(bps, x_ref))
    return (cum[np.searchsorted(bps, flat)] - cum[i_ref]).reshape(np.shape(x))


_T16, _W16 = _GL[16]


def _half(scale: float) -> np.ndarray:
    # breakpoints in v in [0, 1/2] (v = distance in u from one end): geometric towards 0, the
    # smallest panel ~ scale / 8 (scale = sqrt(distance of x to that end / interval length)),
    # and no panel longer than 1/32 (a density with structure inside the interval)
    v0 = min(max(scale / 8.0, 3e-8), 0.0625)
    k = int(math.ceil(math.log2(0.5 / v0)))
    geometric = 0.5 * 2.0 ** -np.arange(k, -1, -1)
    return np.unique(np.concatenate([[0.0], geometric, np.linspace(0.0, 0.5, 17)]))


def _half_nodes(scale: float):
    br = _half(scale)
    lo, hi = br[:-1, None], br[1:, None]
    v = (0.5 * (hi - lo) * _T16[None, :] + 0.5 * (hi + lo)).ravel()
    wv = (0.5 * (hi - lo) * _W16[None, :]).ravel()
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


def inverse_power_moment(density, intervals, atoms, x, power: int) -> np.ndarray:
    """``int dmu(l) / (x - l)^power`` at real ``x`` outside the support, all points at once.

    Each support interval [a, b] is mapped by ``l = a + (b - a)(1 - cos(pi u))/2`` (absorbing
    square-root and inverse-square-root edges) and integrated in u with composite 16-point
    Gauss-Legendre panels graded geometrically toward both ends, the finest panel set by the
    distance from the nearest x to that end; nodes are kept as (end, offset) so that
    ``x - l`` has no cancellation next to an edge (where ``-m' ~ (x - b)^(-1/2)``).
    ``density``: vectorised density of the continuous part; ``atoms``: [(location, mass)].
    """
    x = np.atleast_1d(np.asarray(x, dtype=float))
    out = np.zeros_like(x)
    with np.errstate(divide="ignore"):  # at an atom the moment is infinite
        for loc, mass in atoms:
            if mass > 0:
                out += mass / (x - float(loc)) ** power
    for a, b in intervals:
        if b <= a:
            continue
        end, off, w = _nodes(float(a), float(b), x)
        rho = np.asarray(density(end + off), dtype=float)
        diff = (x[:, None] - end[None, :]) - off[None, :]  # x - l without cancellation at the edge
        out += ((w * rho)[None, :] / diff**power).sum(axis=1)
    return out
