r"""Independent oracles for the coupled (GAN) model's asymptotic layer, typed from the model's
statement (docs/gan_model.md, MATH.md section 3) and sharing no code with ``complexity``.

* :func:`log_potential`: Phi(x; x1) = int log|x - l| dmu(l) of the block ensemble
  ``b M + b1 (M1 + 0) - x1 (I_D + 0)`` by a route the package does not use: the vertical ray.
  ``F(z) = int log(z - l) dmu`` has ``F' = m`` in the upper half plane, so with any ``c > 0``

      Phi(x) = log c + int_0^inf [Im m(x + i t) + t / (c^2 + t^2)] dt

  (the bracket is ``Im m(x+it) - Im 1/(x - (x + c) + i t)``; both integrands behave as ``-i/z``
  at infinity, so it decays like 1/t^3, and near t = 0 it tends to ``-pi rho(x)``).  The
  two-block resolvents ``g1, g2`` (``m = kappa g1 + (1 - kappa) g2``) solve

      g1 = 1 / (z + x1 - (b^2/2) m - (b1^2/2) g1),   g2 = 1 / (z - (b^2/2) m),

  here by complex Newton, continued down the ray from ``t = T`` (where ``g ~ 1/z``) to
  ``t ~ 1e-13 c``; the integral is the trapezoid rule in ``u = log t``, whose error decays
  like ``exp(-pi^2 / du)`` (the integrand is analytic in the strip ``|Im u| < pi/2``), and its
  two truncations are below ``1e-13`` (lower: ``|integrand| <= pi rho_max + 1``, times
  ``t_min``; upper: ``O(T^-2)`` with ``T = 1e7 max(c, |x|, |x1|)``).  No Psi identity, no
  quartic, no real-axis solve: the package computes Phi from ``Re Psi(g(x + i0))`` on the
  real axis (:mod:`complexity.rmt.block`).

* :class:`Derived` and :class:`Reference`: each convention's exponent typed from its
  statement, and the four thresholds of :meth:`complexity.models.gan.GanModel.thresholds`
  (u_D, u_G, u_D + u_G: infima over the points with exponent >= 0; max_abs_diff: the largest
  |u_D - u_G| there) computed from the variational formula directly, by :func:`zoom_min`
  (an infimum over (x, x1) of a closed-form function) or :func:`level_root` (the root of
  sup_t E along the lines of a linear form), each with a stated grid error bound.  The
  package instead maximises along fibres of fixed energies and runs Brent on level-line
  suprema of the energies (:mod:`complexity.models.gan`).

Accuracy (observed at the tested parameters): the oracle's Phi agrees with the package's
to <= 3e-12 and with the semicircle's closed form to 3e-13; the thresholds agree with the
package's to <= 1e-6, inside the oracle's grid bounds (1e-8 ... 7e-5).  Cost: about 0.1 s per
1681-point grid; 2-4 s for the four thresholds of one parameter set.
"""

from __future__ import annotations

import math

import numpy as np

# ------------------------------------------------------------------------- the log-potential
_DU = 0.3  # trapezoid step in log t: exp(-pi^2 / 0.3) ~ 5e-15 relative discretisation error


def _residuals(z, x1, kappa, b, b1, g1, g2):
    m = kappa * g1 + (1.0 - kappa) * g2
    return (np.abs(g1 * (z + x1 - b * b / 2.0 * m - b1 * b1 / 2.0 * g1) - 1.0)
            + np.abs(g2 * (z - b * b / 2.0 * m) - 1.0))


def _newton(z, x1, kappa, b, b1, g1, g2, iters):
    hb, hb1 = b * b / 2.0, b1 * b1 / 2.0
    for _ in range(iters):
        m = kappa * g1 + (1.0 - kappa) * g2
        d1 = z + x1 - hb * m - hb1 * g1
        d2 = z - hb * m
        f1 = g1 * d1 - 1.0
        f2 = g2 * d2 - 1.0
        a11 = d1 - g1 * (hb * kappa + hb1)
        a12 = -g1 * hb * (1.0 - kappa)
        a21 = -g2 * hb * kappa
        a22 = d2 - g2 * hb * (1.0 - kappa)
        det = a11 * a22 - a12 * a21
        g1 = g1 - (a22 * f1 - a12 * f2) / det
        g2 = g2 - (a11 * f2 - a21 * f1) / det
    return g1, g2


def resolvents_on_ray(x, x1, kappa, b, b1, ts):
    """(g1, g2, m) at z = x + i t for every t of the descending array ``ts`` (shape
    (len(ts),) + x.shape), by Newton continuation from ``ts[0]`` (>> the spectrum and |x|):
    three Newton steps per node, more until every Dyson residual is below 1e-13; raises if
    one stays above 1e-10 or if Im m > 0 (the continuation left the physical branch)."""
    x, x1 = np.broadcast_arrays(np.asarray(x, float), np.asarray(x1, float))
    out1 = np.empty((ts.size,) + x.shape, complex)
    out2 = np.empty_like(out1)
    z = x + 1j * ts[0]
    g1 = 1.0 / (z + x1)
    g2 = 1.0 / z
    for k, t in enumerate(ts):
        z = x + 1j * t
        g1, g2 = _newton(z, x1, kappa, b, b1, g1, g2, 6 if k == 0 else 3)
        for _ in range(8):
            res = _residuals(z, x1, kappa, b, b1, g1, g2)
            if np.max(res) < 1e-13:
                break
            g1, g2 = _newton(z, x1, kappa, b, b1, g1, g2, 1)
        else:
            if not np.max(res) < 1e-10:
                raise FloatingPointError(f"oracle Dyson continuation lost the solution at t = {t:.3g} "
                                         f"(residual {np.max(res):.3g})")
        out1[k], out2[k] = g1, g2
    m = kappa * out1 + (1 - kappa) * out2
    if np.any(m.imag > 1e-14):
        raise FloatingPointError("oracle Dyson continuation left the physical branch (Im m > 0)")
    return out1, out2, m


def log_potential(x, x1, kappa, b, b1):
    """Phi(x; x1) at the (broadcast) points, by the vertical-ray integral (module docstring)."""
    x, x1 = np.broadcast_arrays(np.atleast_1d(np.asarray(x, float)), np.atleast_1d(np.asarray(x1, float)))
    shape = x.shape
    x, x1 = x.ravel(), x1.ravel()
    radius = math.sqrt(2.0) * math.hypot(b, b1) + 1e-300  # the spectrum's scale
    c = radius
    top = 1e7 * max(radius, float(np.max(np.abs(x))), float(np.max(np.abs(x1))))
    u = np.arange(math.log(top), math.log(1e-13 * radius), -_DU)
    ts = np.exp(u)
    _, _, m = resolvents_on_ray(x, x1, kappa, b, b1, ts)
    integrand = (m.imag + ts[:, None] / (c * c + ts[:, None] ** 2)) * ts[:, None]  # dt = t du
    val = math.log(c) + _DU * (integrand.sum(axis=0) - 0.5 * (integrand[0] + integrand[-1]))
    return val.reshape(shape)


def semicircle_log_potential(x, radius):
    """MATH.md section 1: Phi of the semicircle on [-r, r] (r = sqrt 2 for the abc GOE), scaled."""
    y = np.asarray(x, float) * math.sqrt(2.0) / radius
    inside = y * y / 2 - 0.5 - 0.5 * math.log(2.0)
    ay = np.maximum(np.abs(y), math.sqrt(2.0))
    sq = np.sqrt(np.maximum(y * y - 2.0, 0.0))
    jj = ay / 2 * sq - np.log((ay + sq) / math.sqrt(2.0))
    return np.where(np.abs(y) <= math.sqrt(2.0), inside, inside - jj) + math.log(radius / math.sqrt(2.0))


# ------------------------------------------------------------------------- zoomed grids
def zoom_min(fun, box, n=41, levels=5, keep=4, extra=8, moves=20):
    """min of ``fun(x, y)`` (vectorised; +inf where undefined) by zoomed product grids: each
    level is an n x n grid, the next one spans +-keep steps around the best node, so the
    steps shrink by (n - 1) / (2 keep) per level (a best node on the edge of a zoomed grid
    moves the grid there, at the same steps, instead).  The minimiser must lie strictly
    inside the first box.  After ``levels`` levels, up to ``extra`` more are run while a
    neighbour of the best node is undefined (a feasible set thinner than the grid: a narrow
    G cluster makes it a needle).  Returns ``(value, (x, y), err)``: the best node's value
    (an upper bound on the minimum) and the grid error bound

        err = 2 (|F_xx| h_x^2 + 2 |F_xy| h_x h_y + |F_yy| h_y^2) / 8

    (the true minimiser lies within half a step of a node in each coordinate; the second
    derivatives by central differences on the last grid; 2 is a safety factor)."""
    (xlo, xhi), (ylo, yhi) = box
    level = moved = 0
    while True:
        xs, ys = np.linspace(xlo, xhi, n), np.linspace(ylo, yhi, n)
        xx, yy = np.meshgrid(xs, ys, indexing="ij")
        v = fun(xx, yy)
        v = np.where(np.isfinite(v), v, np.inf)
        i, j = np.unravel_index(np.argmin(v), v.shape)
        if not np.isfinite(v[i, j]):
            raise ValueError("zoom_min: the function is +inf on the whole grid")
        hx, hy = xs[1] - xs[0], ys[1] - ys[0]
        if not (0 < i < n - 1 and 0 < j < n - 1):
            if level == 0 or moved >= moves:
                raise ValueError(f"zoom_min: the minimiser is on the edge of the grid at level {level} "
                                 f"(node {i}, {j} of {n}): widen the box")
            moved += 1
            xlo, xhi = xs[i] - (n - 1) / 2 * hx, xs[i] + (n - 1) / 2 * hx
            ylo, yhi = ys[j] - (n - 1) / 2 * hy, ys[j] + (n - 1) / 2 * hy
            continue
        if level >= levels - 1 and np.isfinite(v[i - 1: i + 2, j - 1: j + 2]).all():
            break
        level += 1
        if level >= levels + extra:
            raise ValueError("zoom_min: the best node kept an undefined neighbour")
        xlo, xhi = xs[i] - keep * hx, xs[i] + keep * hx
        ylo, yhi = ys[j] - keep * hy, ys[j] + keep * hy
    fxx = (v[i + 1, j] - 2 * v[i, j] + v[i - 1, j]) / hx**2
    fyy = (v[i, j + 1] - 2 * v[i, j] + v[i, j - 1]) / hy**2
    fxy = (v[i + 1, j + 1] - v[i + 1, j - 1] - v[i - 1, j + 1] + v[i - 1, j - 1]) / (4 * hx * hy)
    err = 2 * (abs(fxx) * hx**2 + 2 * abs(fxy) * hx * hy + abs(fyy) * hy**2) / 8
    return float(v[i, j]), (float(xs[i]), float(ys[j])), float(err)


def level_root(fun, to_xy, cbox, tbox, side, n=41, levels=5, keep=4, shifts=20):
    """The smallest (``side="min"``) or largest (``"max"``) c with G(c) = sup_t fun(to_xy(c, t)) >= 0,
    by zoomed (c, t) grids: G at each c node is the max over the t nodes; the root is the
    linear interpolation between the two c nodes around the sign change; the next level
    spans +-keep steps around (root, argmax t) (a zoomed level whose argmax t at the root's
    node lies on the t window's edge, or whose c window does not bracket the root, is
    repeated with that window moved there, at the same steps).  Returns
    ``(c, err)`` with the grid error bound

        err = 2 [|G''| h_c^2 / 8 + |W_tt| h_t^2 / 8] / |G'|

    (linear interpolation of G between nodes, and G's own grid error: the sup over t lies
    within half a t step of a node), derivatives by differences on the last grid."""
    (clo, chi), (tlo, thi) = cbox, tbox
    level = moved = 0
    while level < levels:
        cs, ts = np.linspace(clo, chi, n), np.linspace(tlo, thi, n)
        cc, tt = np.meshgrid(cs, ts, indexing="ij")
        w = fun(*to_xy(cc, tt))
        w = np.where(np.isfinite(w), w, -np.inf)
        jmax = np.argmax(w, axis=1)
        g = w[np.arange(n), jmax]
        pos = np.nonzero(g >= 0)[0]
        if pos.size == 0:
            raise ValueError(f"level_root: G < 0 on the whole grid at level {level}")
        k = pos[0] if side == "min" else pos[-1]
        other = k - 1 if side == "min" else k + 1
        ht, hc = ts[1] - ts[0], cs[1] - cs[0]
        if not 0 <= other < n:
            if level == 0 or moved >= shifts:
                raise ValueError(f"level_root: the feasible set reaches the edge of the c range at level {level}")
            moved += 1
            clo, chi = cs[k] - (n - 1) / 2 * hc, cs[k] + (n - 1) / 2 * hc
            tlo, thi = ts[jmax[k]] - (n - 1) / 2 * ht, ts[jmax[k]] + (n - 1) / 2 * ht
            continue
        if not 0 < jmax[k] < n - 1:
            if level == 0 or moved >= shifts:
                raise ValueError(f"level_root: the sup over t is on the edge of the t range at level {level}")
            moved += 1
            tlo, thi = ts[jmax[k]] - (n - 1) / 2 * ht, ts[jmax[k]] + (n - 1) / 2 * ht
            continue
        # the sign change lies between c[other] (G < 0) and c[k] (G >= 0)
        root = cs[other] + (cs[k] - cs[other]) * (0 - g[other]) / (g[k] - g[other])
        level += 1
        if level < levels:
            clo, chi = root - keep * hc, root + keep * hc
            tlo, thi = ts[jmax[k]] - keep * ht, ts[jmax[k]] + keep * ht
    j = jmax[k]
    wtt = abs(w[k, j + 1] - 2 * w[k, j] + w[k, j - 1]) / ht**2
    lo = min(k, other)
    dg = abs(g[lo + 1] - g[lo]) / hc
    gpp = max(abs(g[i + 1] - 2 * g[i] + g[i - 1]) / hc**2 for i in {min(max(lo, 1), n - 2), min(max(lo + 1, 1), n - 2)})
    err = 2 * (gpp * hc**2 / 8 + wtt * ht**2 / 8) / dg
    if not np.isfinite(err):
        raise ValueError("level_root: the error bound is not finite")
    return float(root), float(err)


# ------------------------------------------------------------------------- the derived convention
class Derived:
    r"""The derived convention typed from docs/gan_model.md ("The model", "The derivation"):

    * ``b = sigma_z sqrt(2P(P-1))``, ``b1 = sqrt(2p(p-1))``;
    * prefactor rate ``R = 1/2 - (kappa/2) log(p + sigma_z^2 P) - ((1-kappa)/2) log(sigma_z^2 P)``;
    * ``(a, v, r) = (l_D, l_G, R_G)/N`` Gaussian, N times its covariance
      ``[[kappa, 0, 0], [0, 1, P(1-kappa)], [0, P(1-kappa), P(P-1)(1-kappa)^2 + P(1-kappa)]]``
      (``E[l_D l_D'] = N_D R^p``, ``E[l_G l_G'] = N R^P``, ``R_G = w_G . grad_G l_G``), rate
      ``Q = -(1/2) z^T Sigma^-1 z``;
    * the Kac-Rice point ``(x, x1, v)``: ``r = (1 - kappa) x / sigma_z``,
      ``a = (sigma_z P v - x - kappa x1) / p``; energies ``u_G = sigma_z v``, ``u_D = a - sigma_z v``;
    * exponent ``E3 = R + Phi(x; x1) + Q``.

    Q is a concave quadratic in v with a constant leading coefficient ``c2 < 0``: at each
    (x, x1) the set ``{v : E3 >= 0}`` is ``[v* - w, v* + w]`` with ``W = sup_v E3`` and
    ``w = sqrt(W / |c2|)``, so a threshold that depends on v is the minimum over (x, x1) of
    a smooth function (interior minimiser), and one that does not (``u_D - u_G`` at p = q)
    is a level-line root of ``sup_t W`` along ``x + kappa x1 = c``."""

    def __init__(self, p, q, sigma_z, kappa):
        self.p, self.q, self.s, self.k = p, q, float(sigma_z), float(kappa)
        big = p + q
        self.big = big
        self.b = sigma_z * math.sqrt(2 * big * (big - 1))
        self.b1 = math.sqrt(2 * p * (p - 1))
        self.rate = 0.5 - kappa / 2 * math.log(p + sigma_z**2 * big) - (1 - kappa) / 2 * math.log(sigma_z**2 * big)
        cov = np.array([[kappa, 0.0, 0.0], [0.0, 1.0, big * (1 - kappa)],
                        [0.0, big * (1 - kappa), big * (big - 1) * (1 - kappa) ** 2 + big * (1 - kappa)]])
        self.prec = np.linalg.inv(cov)
        self.z1 = np.array([sigma_z * big / p, 1.0, 0.0])  # dz/dv
        self.c2 = -0.5 * self.z1 @ self.prec @ self.z1

    def _z0(self, x, x1):
        return np.stack([-(x + self.k * x1) / self.p, np.zeros_like(x), (1 - self.k) * x / self.s])

    def quad(self, x, x1):
        """(c0, c1) of Q = c2 v^2 + c1 v + c0 at (x, x1)."""
        z0 = self._z0(x, x1)
        pz0 = np.einsum("ij,j...->i...", self.prec, z0)
        return -0.5 * np.einsum("i...,i...->...", z0, pz0), -np.einsum("i,i...->...", self.z1, pz0)

    def wv(self, x, x1):
        """(W, v*, w): W = sup_v E3 at (x, x1), its maximiser, the half-width of {E3 >= 0} (nan if W < 0)."""
        c0, c1 = self.quad(x, x1)
        ac2 = -self.c2
        big_w = self.rate + log_potential(x, x1, self.k, self.b, self.b1) + c0 + c1 * c1 / (4 * ac2)
        with np.errstate(invalid="ignore"):
            half = np.sqrt(big_w / ac2)
        return big_w, c1 / (2 * ac2), half

    def box(self, extra=1.3):
        """A (x, x1) box holding {W >= 0}: W <= R + log(|x| + |x1| + radius) + Qmax(x, x1), Qmax a
        negative-definite quadratic form; its superlevel ellipse's bounding box, iterated."""
        e = np.eye(2)
        qm = lambda x, x1: self.quad(x, x1)[0] + self.quad(x, x1)[1] ** 2 / (4 * -self.c2)  # noqa: E731
        m = np.empty((2, 2))
        for i in range(2):
            for j in range(2):
                m[i, j] = -(qm(*(e[i] + e[j])) - qm(*e[i]) - qm(*e[j]))  # Qmax = -(1/2) xi^T M xi
        minv = np.linalg.inv(m)
        radius = math.sqrt(2.0) * math.hypot(self.b, self.b1)
        half = np.array([1.0, 1.0])
        for _ in range(30):
            bound = self.rate + math.log(half.sum() + radius)
            if bound <= 0:
                raise ValueError("no point with a positive exponent")
            half = np.sqrt(2 * bound * np.diag(minv))
        return (-extra * half[0], extra * half[0]), (-extra * half[1], extra * half[1])

    def energies(self, x, x1, v):
        """(u_D, u_G) at the point."""
        return (self.s * self.q * v - x - self.k * x1) / self.p, self.s * v

    def thresholds(self, which=("u_D", "u_G", "u_sum", "max_abs_diff"), **grid):
        """``{name: (value, grid error bound)}`` for the names in ``which`` among u_D, u_G, u_sum,
        max_abs_diff (the definitions of GanModel.thresholds: inf of u_D, u_G, u_D + u_G over
        the points with E3 >= 0, and the largest |u_D - u_G| among them)."""
        box = self.box()
        (xlo, xhi), (ylo, yhi) = box
        p, q, s, k = self.p, self.q, self.s, self.k

        def lowest(side, fn):
            def f(x, x1):
                _, vs, w = self.wv(x, x1)
                return fn(x, x1, vs - w if side == "lo" else vs + w)
            val, _, err = zoom_min(f, box, **grid)
            return val, err

        forms = {"u_G": lambda x, x1, v: s * v,
                 "u_D": lambda x, x1, v: (s * q * v - x - k * x1) / p,
                 "u_sum": lambda x, x1, v: (s * (p + q) * v - x - k * x1) / p}
        out = {name: lowest("lo", forms[name]) for name in which if name in forms}
        if "max_abs_diff" in which:
            # d = u_D - u_G = (sigma (q - p) v - x - kappa x1) / p
            if p == q:  # d = -c/p on the line x + kappa x1 = c: level-line roots of sup W along it
                w_fun = lambda x, x1: self.wv(x, x1)[0]  # noqa: E731
                line = lambda c, t: (c - k * t, t)  # noqa: E731
                cbox = (xlo + k * ylo, xhi + k * yhi)
                cmin, e1 = level_root(w_fun, line, cbox, (ylo, yhi), "min", **grid)
                cmax, e2 = level_root(w_fun, line, cbox, (ylo, yhi), "max", **grid)
                cand = [(-cmin / p, e1 / p), (cmax / p, e2 / p)]  # max(d) = -c_min/p, max(-d) = c_max/p
            else:
                hi_side, lo_side = ("hi", "lo") if q > p else ("lo", "hi")
                neg_dmax, e1 = lowest(hi_side, lambda x, x1, v: -(s * (q - p) * v - x - k * x1) / p)
                dmin, e2 = lowest(lo_side, lambda x, x1, v: (s * (q - p) * v - x - k * x1) / p)
                cand = [(-neg_dmax, e1), (-dmin, e2)]
            out["max_abs_diff"] = max(cand)
        return out


# ------------------------------------------------------------------------- the reference convention
class Reference:
    r"""The reference (published code's) convention typed from MATH.md section 3:
    ``b = sigma_z sqrt(P(P-1) 2^P)``, ``b1 = sqrt(kappa p (p-1))``, ``s^2 = sigma_z^2 P^2 2^{3P}/2``,
    ``s1^2 = p^2/2``, ``C = (13/2) log 2 + 5 log pi - (kappa/2) log(p + sigma_z^2 P 2^P)
    - ((1-kappa)/2) log(sigma_z^2 P 2^P) - (kappa/2) log kappa - ((1-kappa)/2) log(1-kappa)``,
    exponent ``E = C - x^2/(2 s^2) - x1^2/(2 s1^2) + Phi(x; x1)``, energies ``u_G = x/A``,
    ``u_D = -x1/p - x/A`` (``A = P 2^P``, the region ``x < A u_G, x1 > -p x/A - p u_D``).  Every
    threshold is a level-line root of ``sup_t E`` along a line of the (x, x1) plane."""

    def __init__(self, p, q, sigma_z, kappa):
        self.p, self.q, self.s, self.k = p, q, float(sigma_z), float(kappa)
        big = p + q
        self.a = big * 2.0**big
        self.b = sigma_z * math.sqrt(big * (big - 1) * 2.0**big)
        self.b1 = math.sqrt(kappa * p * (p - 1))
        self.s2 = sigma_z**2 * big**2 * 2.0 ** (3 * big) / 2
        self.s12 = p**2 / 2
        self.c = (6.5 * math.log(2) + 5 * math.log(math.pi) - kappa / 2 * math.log(p + sigma_z**2 * big * 2.0**big)
                  - (1 - kappa) / 2 * math.log(sigma_z**2 * big * 2.0**big) - kappa / 2 * math.log(kappa)
                  - (1 - kappa) / 2 * math.log(1 - kappa))

    def exponent(self, x, x1):
        return self.c - x**2 / (2 * self.s2) - x1**2 / (2 * self.s12) + log_potential(x, x1, self.k, self.b, self.b1)

    def box(self, extra=1.2):
        radius = math.sqrt(2.0) * math.hypot(self.b, self.b1)
        hx, hy = 1.0, 1.0
        for _ in range(30):
            bound = self.c + math.log(hx + hy + radius)
            hx, hy = math.sqrt(2 * bound * self.s2), math.sqrt(2 * bound * self.s12)
        return (-extra * hx, extra * hx), (-extra * hy, extra * hy)

    def thresholds(self, which=("u_D", "u_G", "u_sum", "max_abs_diff"), **grid):
        """``{name: (value, grid error bound)}`` for the names in ``which``: each threshold a
        level-line root (:func:`level_root`) of ``sup_t E`` along the lines ``c = const`` of a
        linear form c of (x, x1)."""
        (xlo, xhi), (ylo, yhi) = self.box()
        a, p = self.a, self.p
        e = self.exponent

        def root(line, cbox, tbox, side):
            return level_root(e, line, cbox, tbox, side, **grid)

        out = {}
        if "u_G" in which:  # u_G = min x / A: c = x, t = x1
            c, err = root(lambda c, t: (c, t), (xlo, xhi), (ylo, yhi), "min")
            out["u_G"] = (c / a, err / a)
        if "u_sum" in which:  # u_sum = -max(x1)/p: c = x1, t = x
            c, err = root(lambda c, t: (t, c), (ylo, yhi), (xlo, xhi), "max")
            out["u_sum"] = (-c / p, err / p)
        if "u_D" in which:  # u_D = -max(x1 + p x/A)/p: c = x1 + p x/A, t = x
            c, err = root(lambda c, t: (t, c - p * t / a), (ylo - p * xhi / a, yhi + p * xhi / a), (xlo, xhi), "max")
            out["u_D"] = (-c / p, err / p)
        if "max_abs_diff" in which:
            # u_D - u_G = -(x1 + 2p x/A)/p: c = x1 + 2p x/A; max(d) = -c_min/p, max(-d) = c_max/p
            line = lambda c, t: (t, c - 2 * p * t / a)  # noqa: E731
            cbox = (ylo - 2 * p * xhi / a, yhi + 2 * p * xhi / a)
            cmin, e1 = root(line, cbox, (xlo, xhi), "min")
            cmax, e2 = root(line, cbox, (xlo, xhi), "max")
            out["max_abs_diff"] = max((-cmin / p, e1 / p), (cmax / p, e2 / p))
        return out
