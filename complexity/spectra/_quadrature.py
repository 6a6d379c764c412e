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
* :class:`CdfTable` / :func:`tabulated_cdf`: the cdf as an adaptively refined piecewise cubic
  Hermite interpolant in the edge angle (built once per measure, then a table look-up per
  point; its inverse by bisection): the route of the product measures' ``cdf`` and of the
  bulk fits (:mod:`complexity.nn.fit`), which evaluate one cdf at thousands of points for
  many affine maps.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["inverse_power_moment", "support_nodes", "graded_nodes", "panels", "cumulative_re_m", "CdfTable",
           "tabulated_cdf"]

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


# ---------------------------------------------------------------------------- tabulated cdf
_T8, _W8 = (_GL[8][0] + 1.0) / 2.0, _GL[8][1] / 2.0  # 8-point Gauss-Legendre on [0, 1]
_T16U, _W16U = (_T16 + 1.0) / 2.0, _W16 / 2.0


def _extrapolation_weights(nodes, at):
    """Lagrange weights ``w_i`` with ``p(at) = sum_i w_i p(nodes_i)`` for polynomials of degree < len(nodes)."""
    out = np.ones(nodes.size)
    for i in range(nodes.size):
        for j in range(nodes.size):
            if j != i:
                out[i] *= (at - nodes[j]) / (nodes[i] - nodes[j])
    return out


# F' at a support edge, extrapolated from the 8 nodes of the half panel next to it: the density at
# the edge itself is 0 or infinite by convention, and a root tracker loses accuracy next to an edge
_EDGE0, _EDGE1 = _extrapolation_weights(_T8, 0.0), _extrapolation_weights(_T8, 1.0)


def _angle_to_x(a, length, th):
    """``l = a + L sin^2(th/2)`` for th in [0, pi], taken from the nearer end (no cancellation
    next to either edge: ``b - l = L cos^2(th/2)``)."""
    s = np.sin(0.5 * th)
    c = np.cos(0.5 * th)
    return np.where(th <= 0.5 * math.pi, a + length * s * s, (a + length) - length * c * c)


def _x_to_angle(a, length, x):
    """Inverse of :func:`_angle_to_x` (``2 arcsin sqrt(t)`` from the nearer end)."""
    t = np.clip((x - a) / length, 0.0, 1.0)
    u = np.clip((a + length - x) / length, 0.0, 1.0)
    return np.where(t <= 0.5, 2.0 * np.arcsin(np.sqrt(t)), math.pi - 2.0 * np.arcsin(np.sqrt(u)))


class CdfTable:
    """The cdf of a measure as a piecewise cubic Hermite interpolant, built once and then
    evaluated (and inverted) at any number of points for the cost of a table look-up.

    Each support interval ``[a, b]`` is mapped to the angle ``th`` in ``[0, pi]`` by
    ``l = a + (b - a) sin^2(th/2)``, where ``F(th) = int rho dl`` is smooth at square-root
    and inverse-square-root edges (``F' = rho(l) dl/dth`` is ``~ th^2`` or ``~ 1`` there).
    Panels in ``th`` (``panels`` equal ones to start with) are refined adaptively: a panel's
    mass is two 8-point Gauss-Legendre halves, and the panel is accepted when the cubic
    Hermite interpolant of ``F`` on it (values and derivatives ``F' = rho dl/dth`` at its
    ends; at an edge, ``F'`` extrapolated from the 8 nodes of the half next to it, since the
    density at an edge is 0 or infinite by convention) matches the quadrature at its midpoint
    within ``tol`` (the Hermite error ``F^(4) h^4 t^2 (1 - t)^2 / 24`` peaks at the
    midpoint); otherwise it is halved, up to ``depth`` times.  A panel still failing then is
    evaluated directly at each point: 16-point Gauss-Legendre in ``th`` from the panel's
    start.  The continuous part is renormalised to ``1 - atom mass`` (as the base class's
    route does); atoms are added as jumps (right-continuous).

    Accuracy (tests/test_spectra_products.py): within ``tol`` (default 1e-10) of mpmath
    quadrature of the density, except within ~1e-10 (relative) of a hard edge, where the product densities
    themselves lose accuracy (two roots merge), and at the ``x^(-2/3)`` hard edge of a
    product with two tied largest ratios, where ``F`` is not smooth in ``th`` (~1e-5).

    ``table(x)``: the cdf at real ``x``; ``table.continuous(x)``: the cdf of the continuous
    part normalised to 1 (``density=True``: with the interpolant's derivative, within ~1e-7
    relative of the density); ``table.inverse(q)``: its inverse for q in [0, 1] (bisection on the
    cubic of the panel holding q, 60 steps, all points at once); ``table.evaluations``: the
    number of density evaluations it took; ``table.panels``: the number of panels.
    """

    def __init__(self, density, intervals, atoms, continuous_mass, *, panels: int = 32, tol: float = 1e-10,
                 depth: int = 10):
        self.atoms = [(float(a), float(w)) for a, w in atoms if w > 0]
        self.continuous_mass = float(continuous_mass)
        self.evaluations = 0
        self._density = density
        self._ivs = []
        if self.continuous_mass > 1e-14:
            for a, b in intervals:
                if b > a:
                    self._ivs.append(self._build(float(a), float(b), panels, tol, depth))
        total = sum(iv["F"][-1] for iv in self._ivs)
        self._norm = 1.0 / total if total > 0 else 0.0
        start = 0.0
        for iv in self._ivs:  # the continuous part's cumulative mass (normalised to 1) at each interval's start
            iv["start"] = start
            start += iv["F"][-1] * self._norm

    def _rho(self, a, length, th):
        """``F'(th) = rho(l(th)) dl/dth``."""
        self.evaluations += th.size
        return np.asarray(self._density(_angle_to_x(a, length, th)), float) * (0.5 * length) * np.sin(th)

    def _build(self, a, b, panels, tol, depth):
        length = b - a
        cuts = np.linspace(0.0, math.pi, panels + 1)
        lo, hi = cuts[:-1], cuts[1:]
        level = np.zeros(lo.size, int)
        acc = {k: [] for k in ("lo", "hi", "m", "d0", "d1", "direct")}
        while lo.size:
            h = hi - lo
            mid = 0.5 * (lo + hi)
            nodes = np.concatenate([lo, mid])[:, None] + (0.5 * np.concatenate([h, h]))[:, None] * _T8[None, :]
            f = self._rho(a, length, nodes.ravel()).reshape(nodes.shape)
            m = (f * _W8[None, :]).sum(axis=1) * np.concatenate([0.5 * h, 0.5 * h])
            m_left, m_right = m[: lo.size], m[lo.size:]
            left, right = lo == 0.0, hi == math.pi
            d0, d1 = np.empty(lo.size), np.empty(lo.size)
            n_in = int((~left).sum())
            d = self._rho(a, length, np.concatenate([lo[~left], hi[~right]]))
            d0[~left], d1[~right] = d[:n_in], d[n_in:]
            d0[left] = f[: lo.size][left] @ _EDGE0
            d1[right] = f[lo.size:][right] @ _EDGE1
            herm = 0.5 * (m_left + m_right) + h * (d0 - d1) / 8.0  # H(1/2) with H(0) = 0, H(1) = mass
            ok = np.abs(herm - m_left) <= tol
            stop = ok | (level >= depth)
            for key, v in (("lo", lo), ("hi", hi), ("m", m_left + m_right), ("d0", d0), ("d1", d1), ("direct", ~ok)):
                acc[key].append(v[stop])
            go = ~stop
            lo, hi = np.concatenate([lo[go], mid[go]]), np.concatenate([mid[go], hi[go]])
            level = np.concatenate([level[go], level[go]]) + 1
        iv = {k: np.concatenate(v) for k, v in acc.items()}
        order = np.argsort(iv["lo"])
        iv = {k: v[order] for k, v in iv.items()}
        iv.update(a=a, length=length, F=np.concatenate([[0.0], np.cumsum(iv.pop("m"))]))
        return iv

    @property
    def panels(self) -> int:
        return int(sum(iv["lo"].size for iv in self._ivs))

    def _partial(self, iv, j, th):
        """Unnormalised mass of interval ``iv`` below angle ``th`` (in panel ``j``)."""
        lo, hi = iv["lo"][j], iv["hi"][j]
        h = hi - lo
        s = np.clip((th - lo) / h, 0.0, 1.0)
        m = iv["F"][j + 1] - iv["F"][j]
        s2, s3 = s * s, s * s * s
        out = iv["F"][j] + m * (3.0 * s2 - 2.0 * s3) + h * (iv["d0"][j] * (s3 - 2.0 * s2 + s) + iv["d1"][j] * (s3 - s2))
        direct = iv["direct"][j]
        if np.any(direct):
            k = np.flatnonzero(direct)
            span = th[k] - lo[k]
            nodes = lo[k, None] + span[:, None] * _T16U[None, :]
            f = self._rho(iv["a"], iv["length"], nodes.ravel()).reshape(nodes.shape)
            out[k] = iv["F"][j[k]] + (f * _W16U[None, :]).sum(axis=1) * span
        return out

    def _slope(self, iv, j, th, x):
        """The density of the interpolant (dH/dth / (dl/dth)); the measure's density on direct panels."""
        lo, h = iv["lo"][j], iv["hi"][j] - iv["lo"][j]
        s = np.clip((th - lo) / h, 0.0, 1.0)
        m = iv["F"][j + 1] - iv["F"][j]
        d0, d1 = iv["d0"][j], iv["d1"][j]
        dth = m * 6.0 * s * (1.0 - s) / h + d0 * (3.0 * s * s - 4.0 * s + 1.0) + d1 * (3.0 * s * s - 2.0 * s)
        dl = 0.5 * iv["length"] * np.sin(th)
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.where(dl > 0, dth / dl, 0.0)
        direct = iv["direct"][j]
        if np.any(direct):
            out[direct] = np.asarray(self._density(x[direct]), float)
        return np.maximum(out, 0.0)

    def continuous(self, x, *, density: bool = False):
        """The continuous part's cdf, normalised to 1 (0 where it has no mass); with
        ``density=True`` also its derivative, the interpolant's density (a pair)."""
        x = np.asarray(x, float)
        flat = x.ravel()
        out = np.zeros(flat.size)
        rho = np.zeros(flat.size) if density else None
        for iv in self._ivs:
            a, length = iv["a"], iv["length"]
            out[flat >= a + length] += iv["F"][-1] * self._norm
            inside = (flat > a) & (flat < a + length)
            if np.any(inside):
                xi = flat[inside]
                th = _x_to_angle(a, length, xi)
                j = np.clip(np.searchsorted(iv["lo"], th, side="right") - 1, 0, iv["lo"].size - 1)
                out[inside] += self._partial(iv, j, th) * self._norm
                if density:
                    rho[inside] = self._slope(iv, j, th, xi) * self._norm
        cdf = np.clip(out, 0.0, 1.0).reshape(x.shape)
        return (cdf, rho.reshape(x.shape)) if density else cdf

    def __call__(self, x) -> np.ndarray:
        x = np.asarray(x, float)
        flat = x.ravel()
        out = self.continuous_mass * self.continuous(flat) if self._ivs else np.zeros(flat.size)
        for a, w in self.atoms:
            out += w * (flat >= a)
        return np.clip(out, 0.0, 1.0).reshape(x.shape)

    def inverse(self, q) -> np.ndarray:
        """The continuous part's quantile: the ``x`` with ``continuous(x) = q`` (q in [0, 1])."""
        q = np.asarray(q, float)
        flat = q.ravel()
        if not self._ivs:
            raise ValueError("the measure has no continuous part to invert")
        out = np.empty(flat.size)
        starts = np.array([iv["start"] for iv in self._ivs])
        which = np.clip(np.searchsorted(starts, flat, side="right") - 1, 0, len(self._ivs) - 1)
        for i, iv in enumerate(self._ivs):
            sel = np.flatnonzero(which == i)
            if sel.size == 0:
                continue
            target = np.clip((flat[sel] - iv["start"]) / self._norm, 0.0, iv["F"][-1])
            j = np.clip(np.searchsorted(iv["F"], target, side="right") - 1, 0, iv["lo"].size - 1)
            lo, hi = iv["lo"][j].copy(), iv["hi"][j].copy()
            for _ in range(60):
                mid = 0.5 * (lo + hi)
                below = self._partial(iv, j, mid) < target
                lo, hi = np.where(below, mid, lo), np.where(below, hi, mid)
            out[sel] = _angle_to_x(iv["a"], iv["length"], 0.5 * (lo + hi))
        return out.reshape(q.shape)


def tabulated_cdf(mu, **kwargs) -> CdfTable:
    """The :class:`CdfTable` of a spectral measure (its ``density``, ``support``, ``atoms``),
    built on first use and cached on the measure (one table per parameter set)."""
    key = ("tabulated_cdf", tuple(sorted(kwargs.items())))
    cache = mu._cache
    if key not in cache:
        cache[key] = CdfTable(mu.density, mu.support(), mu.atoms(), mu.continuous_mass, **kwargs)
    return cache[key]
