r"""Exact finite-N densities of the Gaussian Orthogonal Ensemble.

One-point density (Mehta, *Random Matrices*, 3rd ed., section 7.2)
-------------------------------------------------------------------
Take the GOE with joint eigenvalue density proportional to
``prod_{i<j} |x_i - x_j| exp(-sum x_i^2 / 2)`` (the ``"unscaled"`` convention of
:mod:`complexity.rmt.goe`: off-diagonal variance 1/2).  With the normalised
Hermite (oscillator) functions

    phi_k(x) = (2^k k! sqrt(pi))^(-1/2) H_k(x) exp(-x^2/2),   int phi_j phi_k = delta_jk,

the density of eigenvalues (integrating to N) is

    sigma_N(x) = sum_{k=0}^{N-1} phi_k(x)^2
                 + sqrt(N/2) phi_{N-1}(x) int eps(x - t) phi_N(t) dt
                 + [N odd] phi_{N-1}(x) / int phi_{N-1}(t) dt,

with ``eps(y) = sgn(y)/2``.  (Check at N = 1: the first two terms cancel and the
odd term is exp(-x^2/2)/sqrt(2 pi), the law of the single entry N(0, 1).)

A matrix of the convention with off-diagonal variance ``v`` is ``sqrt(2 v)`` times
an unscaled one, so the normalised one-point density in that convention is

    rho_N(t) = sigma_N(t / sqrt(2 v)) / (N sqrt(2 v));

for the default ``"abc"`` scale ``v = 1/(2N)`` and ``rho_N(t) = sigma_N(sqrt(N) t) / sqrt(N)``.

Stable evaluation
-----------------
No factorials and no Hermite polynomials: the oscillator functions follow the
normalised three-term recurrence

    phi_{k+1}(x) = sqrt(2/(k+1)) x phi_k(x) - sqrt(k/(k+1)) phi_{k-1}(x),

started from ``phi_0 = pi^(-1/4) exp(-x^2/2)`` carried as a separate logarithmic
scale (so far tails neither underflow early nor overflow).  The integrals
``I_k(x) = int_0^x phi_k`` follow from ``phi_k' = sqrt(k/2) phi_{k-1} - sqrt((k+1)/2) phi_{k+1}``:

    I_{k+1}(x) = sqrt(k/(k+1)) I_{k-1}(x) - sqrt(2/(k+1)) (phi_k(x) - phi_k(0)),

a forward-stable recurrence (its homogeneous solutions decay like k^(-1/2)), with
``I_0(x) = pi^(-1/4) sqrt(pi/2) erf(x/sqrt 2)`` and
``I_1(x) = sqrt(2) pi^(-1/4) (1 - exp(-x^2/2))``.  Then
``int eps(x-t) phi_N(t) dt = I_N(x) - (I_N(inf) + I_N(-inf))/2``, i.e. ``I_N(x)`` for
even N and ``I_N(x) - I_N(inf)`` for odd N, and
``int phi_{2m} = 2 I_{2m}(inf)``.

Order statistics for N <= 3
---------------------------
For the k-th smallest eigenvalue the ordered joint density
``Z^{-1} prod_{i<j}(l_j - l_i) exp(-g sum l_i^2 / 2)`` (``g = 1/(2v)``, ``g = N`` for
``"abc"``) is integrated over the other eigenvalues.  With
``B_m(y) = int_y^inf (z-y)^m e^{-g z^2/2} dz`` and ``A_m(y) = B_m(-y)`` (closed forms
in erfc) one gets

* N = 2: ``f_0(x) = e^{-g x^2/2} B_1(x) / Z``, ``f_1(x) = f_0(-x)``;
* N = 3: ``f_1(y) = e^{-g y^2/2} (A_2 B_1 + A_1 B_2)(y) / Z``,
  ``f_0(x) = e^{-g x^2/2} int_x^inf (y-x) e^{-g y^2/2} (B_2(y) + (y-x) B_1(y)) dy / Z``
  (one Gauss-Legendre quadrature), ``f_2(x) = f_0(-x)``;

and ``Z`` is Mehta's integral divided by N!:
``Z = (2 pi)^{N/2} g^{-N/2 - N(N-1)/4} prod_{j=1}^N Gamma(1 + j/2)/Gamma(3/2) / N!``.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
from numba import njit
from scipy import special

from complexity._validate import check_array, check_int
from complexity.rmt.goe import GOE_SCALES, offdiagonal_variance

__all__ = [
    "hermite_functions",
    "goe_density",
    "goe_density_unscaled",
    "goe_density_mp",
    "order_statistic_density",
    "gauss_legendre_panels",
]

_PI_M14 = math.pi ** -0.25
_BIG = 1e150
_LOG_BIG = math.log(_BIG)


# --------------------------------------------------------------------------- kernels


@njit(cache=True)
def _hermite_row(x, n, out):
    """phi_0(x) .. phi_n(x) into out[0..n] (normalised oscillator functions).

    The recurrence runs on rescaled values with the Gaussian factor kept as a
    logarithm, so that values far in the tails are obtained without spurious
    underflow of phi_0; true values below the double range come out as 0.
    """
    logscale = -0.5 * x * x
    a_prev = 0.0  # scaled phi_{k-1}
    a_cur = _PI_M14  # scaled phi_k
    out[0] = a_cur * math.exp(logscale)
    for k in range(n):
        a_next = math.sqrt(2.0 / (k + 1)) * x * a_cur - math.sqrt(k / (k + 1.0)) * a_prev
        a_prev = a_cur
        a_cur = a_next
        if abs(a_cur) > _BIG:
            a_cur /= _BIG
            a_prev /= _BIG
            logscale += _LOG_BIG
        out[k + 1] = a_cur * math.exp(logscale)


@njit(cache=True)
def _hermite_table(x, n):
    """Table phi_k(x_i), shape (len(x), n+1)."""
    m = x.size
    tab = np.empty((m, n + 1))
    row = np.empty(n + 1)
    for i in range(m):
        _hermite_row(x[i], n, row)
        for k in range(n + 1):
            tab[i, k] = row[k]
    return tab


@njit(cache=True)
def _mehta_density(x, n):
    """sigma_N(x) of the unscaled GOE (integrates to n), vectorised over x."""
    # phi_k(0) and I_k(inf) for k = 0..n
    phi0 = np.zeros(n + 1)
    iinf = np.zeros(n + 1)
    phi0[0] = _PI_M14
    iinf[0] = _PI_M14 * math.sqrt(math.pi / 2.0)
    if n >= 1:
        iinf[1] = math.sqrt(2.0) * _PI_M14
    for k in range(1, n):
        phi0[k + 1] = -math.sqrt(k / (k + 1.0)) * phi0[k - 1]
    for k in range(1, n):
        iinf[k + 1] = math.sqrt(k / (k + 1.0)) * iinf[k - 1] + math.sqrt(2.0 / (k + 1)) * phi0[k]
    odd = n % 2 == 1
    out = np.empty(x.size)
    row = np.empty(n + 1)
    for i in range(x.size):
        xi = x[i]
        _hermite_row(xi, n, row)
        s = 0.0
        for k in range(n):
            s += row[k] * row[k]
        # I_n(xi) by the forward recurrence over the parity class of n
        if n % 2 == 0:
            ik = _PI_M14 * math.sqrt(math.pi / 2.0) * math.erf(xi / math.sqrt(2.0))
            k = 0
        else:
            ik = -math.sqrt(2.0) * _PI_M14 * math.expm1(-0.5 * xi * xi)
            k = 1
        while k < n:
            # from I_k to I_{k+2} through phi_{k+1}
            ik = math.sqrt((k + 1.0) / (k + 2.0)) * ik - math.sqrt(2.0 / (k + 2.0)) * (row[k + 1] - phi0[k + 1])
            k += 2
        eps_int = ik - iinf[n] if odd else ik
        val = s + math.sqrt(n / 2.0) * row[n - 1] * eps_int
        if odd:
            val += row[n - 1] / (2.0 * iinf[n - 1])
        out[i] = val
    return out


# --------------------------------------------------------------------------- public API


def _scale_factor(n: int, scale: str) -> float:
    if scale not in GOE_SCALES:
        raise ValueError(f"scale must be one of {GOE_SCALES}, got {scale!r}")
    return math.sqrt(2.0 * offdiagonal_variance(n, scale))


#: the largest table :func:`hermite_functions` builds (bytes)
_TABLE_BYTES_MAX = 2e9


def hermite_functions(x, kmax: int) -> np.ndarray:
    """Normalised Hermite functions phi_0..phi_kmax at x, shape ``x.shape + (kmax+1,)``.

    ``phi_k(x) = (2^k k! sqrt pi)^(-1/2) H_k(x) exp(-x^2/2)`` by the normalised
    three-term recurrence (no factorials).
    """
    kmax = check_int("kmax", kmax, minimum=0)
    xa = check_array("x", x)
    if 8.0 * xa.size * (kmax + 1) > _TABLE_BYTES_MAX:
        raise ValueError(f"kmax: the table of {xa.size} x {kmax + 1} values needs "
                         f"{8.0 * xa.size * (kmax + 1) / 1e9:.3g} GB, more than {_TABLE_BYTES_MAX / 1e9:g} GB")
    tab = _hermite_table(np.ascontiguousarray(xa.ravel()), kmax)
    return tab.reshape(xa.shape + (kmax + 1,))


def goe_density_unscaled(x, n: int) -> np.ndarray:
    """Mehta's sigma_N(x): eigenvalue density of the unscaled GOE_N, integrating to N."""
    n = check_int("n", n, minimum=1)
    xa = check_array("x", x)
    out = _mehta_density(np.ascontiguousarray(xa.ravel()), n)
    return _finite("goe_density", out).reshape(xa.shape)


def goe_density(x, n: int, scale: str = "abc") -> np.ndarray:
    r"""Exact one-point density rho_N(x) of GOE_N, normalised to 1 (vectorised).

    ``rho_N(x) = sigma_N(x / c) / (N c)`` with ``c = sqrt(2 v)``, ``v`` the
    off-diagonal variance of the chosen ``scale`` (default ``"abc"``: ``v = 1/(2N)``,
    semicircle on [-sqrt 2, sqrt 2]); ``sigma_N`` is Mehta's Hermite-function
    formula (see the module docstring).  Accurate to a few ulps times N for N up
    to several hundred.
    """
    n = check_int("n", n, minimum=1)
    c = _scale_factor(n, scale)
    xa = check_array("x", x)
    out = _mehta_density(np.ascontiguousarray(xa.ravel() / c), n) / (n * c)
    return _finite("goe_density", out).reshape(xa.shape)


def goe_density_mp(x, n: int, scale: str = "abc", dps: int = 40):
    """mpmath rho_N(x) at ``dps`` digits.

    Written apart from the fast path: physicists' Hermite polynomials
    ``H_k`` (:func:`mpmath.hermite`) with exact factorial normalisations, and the
    integrals ``G_k(x) = int_0^x H_k(t) e^{-t^2/2} dt`` from the unnormalised
    recurrence (from ``d/dt[H_{k-1} e^{-t^2/2}] = ((k-1) H_{k-2} - H_k/2) e^{-t^2/2}``)

        G_k(x) = 2 (k-1) G_{k-2}(x) - 2 (H_{k-1}(x) e^{-x^2/2} - H_{k-1}(0)),

    ``G_0 = sqrt(pi/2) erf(x/sqrt 2)``, ``G_1 = 2 (1 - e^{-x^2/2})``, run at
    ``dps + N`` digits so its cancellations are harmless.  The odd-N term uses
    ``int_R H_{2m}(t) e^{-t^2/2} dt = sqrt(2 pi) (2m)!/m!``.
    """
    n = check_int("n", n, minimum=1)
    dps = check_int("dps", dps, minimum=15)
    with mpmath.workdps(dps + n + 20):
        v = _exact_variance(n, scale)
        cm = mpmath.sqrt(2 * v)
        xs = mpmath.mpf(x) / cm
        gauss = mpmath.exp(-xs * xs / 2)

        def norm(k):
            return mpmath.sqrt(mpmath.power(2, k) * mpmath.factorial(k) * mpmath.sqrt(mpmath.pi))

        herm = [mpmath.hermite(k, xs) for k in range(n + 1)]
        herm0 = [mpmath.hermite(k, 0) for k in range(n + 1)]
        phi = [herm[k] * gauss / norm(k) for k in range(n + 1)]
        s = mpmath.fsum(phi[k] ** 2 for k in range(n))
        # G_k(x) and G_k(inf) on the parity class of n
        if n % 2 == 0:
            g, ginf, k = mpmath.sqrt(mpmath.pi / 2) * mpmath.erf(xs / mpmath.sqrt(2)), mpmath.sqrt(mpmath.pi / 2), 0
        else:
            g, ginf, k = 2 * (1 - gauss), mpmath.mpf(2), 1
        while k < n:
            k += 2
            g = 2 * (k - 1) * g - 2 * (herm[k - 1] * gauss - herm0[k - 1])
            ginf = 2 * (k - 1) * ginf + 2 * herm0[k - 1]
        # int eps(x - t) H_n e^{-t^2/2} dt = G_n(x) - (G_n(inf) + G_n(-inf))/2
        eps_int = (g - ginf if n % 2 == 1 else g) / norm(n)
        val = s + mpmath.sqrt(mpmath.mpf(n) / 2) * phi[n - 1] * eps_int
        if n % 2 == 1:
            m = (n - 1) // 2
            total = mpmath.sqrt(2 * mpmath.pi) * mpmath.factorial(2 * m) / mpmath.factorial(m) / norm(2 * m)
            val += phi[n - 1] / total
        out = val / (n * cm)
    with mpmath.workdps(dps):
        return +out


def _exact_variance(n: int, scale: str):
    """Off-diagonal variance of the named scale as an exact mpmath number."""
    if scale == "abc":
        return mpmath.mpf(1) / (2 * n)
    if scale == "wigner":
        return mpmath.mpf(1) / n
    if scale == "unscaled":
        return mpmath.mpf(1) / 2
    raise ValueError(f"scale must be one of {GOE_SCALES}, got {scale!r}")


def gauss_legendre_panels(a: float, b: float, width: float, order: int = 20):
    """Nodes and weights of composite Gauss-Legendre quadrature on [a, b].

    Panels of at most ``width``; ``order`` nodes per panel.  Returns empty arrays
    when ``b <= a``.
    """
    if not (b > a):
        return np.zeros(0), np.zeros(0)
    m = max(1, int(math.ceil((b - a) / width)))
    t, w = np.polynomial.legendre.leggauss(order)
    edges = np.linspace(a, b, m + 1)
    half = 0.5 * np.diff(edges)
    mid = 0.5 * (edges[1:] + edges[:-1])
    nodes = (mid[:, None] + half[:, None] * t[None, :]).ravel()
    weights = (half[:, None] * w[None, :]).ravel()
    return nodes, weights


def _b_moments(y: np.ndarray, g: float):
    """B_m(y) = int_y^inf (z - y)^m exp(-g z^2/2) dz for m = 0, 1, 2 (closed forms)."""
    e = np.exp(-0.5 * g * y * y)
    b0 = math.sqrt(math.pi / (2.0 * g)) * special.erfc(y * math.sqrt(g / 2.0))
    b1 = e / g - y * b0
    b2 = b0 * (1.0 / g + y * y) - y * e / g
    return b0, b1, b2


def _log_selberg_ordered(n: int, g: float) -> float:
    """log of int_{l_0 < ... < l_{n-1}} prod (l_j - l_i) exp(-g sum l^2 / 2) (Mehta's integral / n!)."""
    val = 0.5 * n * math.log(2.0 * math.pi) - (0.5 * n + 0.25 * n * (n - 1)) * math.log(g)
    for j in range(1, n + 1):
        val += math.lgamma(1.0 + 0.5 * j) - math.lgamma(1.5)
    return val - math.lgamma(n + 1.0)


def order_statistic_density(x, n: int, k: int, scale: str = "abc") -> np.ndarray:
    r"""Exact density of the k-th smallest eigenvalue of GOE_n (n <= 3), vectorised.

    Integrates the ordered joint eigenvalue density over the other eigenvalues
    (closed forms for n <= 2 and for the middle eigenvalue of n = 3; one
    composite Gauss-Legendre quadrature, accurate to ~1e-14, for the extremes
    of n = 3).  See the module docstring for the formulas.
    """
    n = check_int("n", n, minimum=1, maximum=3)
    k = check_int("k", k, minimum=0, maximum=n - 1)
    _scale_factor(n, scale)  # validates the name
    g = 1.0 / (2.0 * offdiagonal_variance(n, scale))
    xa = check_array("x", x)
    y = xa.ravel()
    if n == 3 and k == 2:
        return order_statistic_density(-xa, n, 0, scale)
    if n == 2 and k == 1:
        return order_statistic_density(-xa, n, 0, scale)
    logz = _log_selberg_ordered(n, g)
    if n == 1:
        out = np.exp(-0.5 * g * y * y - logz)
    elif n == 2:
        _, b1, _ = _b_moments(y, g)
        out = np.exp(-0.5 * g * y * y - logz) * b1
    elif k == 1:
        _, a1, a2 = _b_moments(-y, g)
        _, b1, b2 = _b_moments(y, g)
        out = np.exp(-0.5 * g * y * y - logz) * (a2 * b1 + a1 * b2)
    else:
        out = np.empty_like(y)
        sg = 1.0 / math.sqrt(g)
        # composite Gauss-Legendre on [x, max(x, 0) + 12/sqrt(g)], panels of width <= 0.3/sqrt(g)
        panels = int(math.ceil((float(np.max(np.abs(y), initial=0.0)) + 12.0 * sg) / (0.3 * sg)))
        t, w = np.polynomial.legendre.leggauss(20)
        base = (np.arange(panels)[:, None] + 0.5 * (t[None, :] + 1.0)).ravel() / panels  # in (0, 1)
        wb = np.tile(w, panels) / (2.0 * panels)
        for start in range(0, y.size, 256):
            xi = y[start:start + 256, None]
            length = np.maximum(xi, 0.0) + 12.0 * sg - xi
            nodes = xi + length * base[None, :]
            _, b1, b2 = _b_moments(nodes, g)
            d = nodes - xi
            inner = np.sum(wb[None, :] * d * np.exp(-0.5 * g * nodes * nodes) * (b2 + d * b1), axis=1) * length[:, 0]
            out[start:start + 256] = np.exp(-0.5 * g * xi[:, 0] ** 2 - logz) * inner
    return _finite("order_statistic_density", out).reshape(xa.shape)


def _finite(name: str, arr: np.ndarray) -> np.ndarray:
    if not np.all(np.isfinite(arr)):
        raise FloatingPointError(f"{name}: non-finite values produced (report this input)")
    return arr
