"""The two-block Dyson equation as a quartic, derived with sympy.

For ``b M + b1 (M1 + 0) - x1 (I_D + 0)`` (fractions kappa, 1 - kappa) the block resolvents
solve ``g2 = 1/(z - (b^2/2) m)``, ``g1 = 1/(z + x1 - (b^2/2) m - (b1^2/2) g1)``,
``m = kappa g1 + (1 - kappa) g2``.  With ``t = z - (b^2/2) m`` (so ``g2 = 1/t``),
``m = 2(z - t)/b^2`` and ``g1 = (m - (1 - kappa)/t)/kappa``; the second equation,
``g1 (t + x1 - (b1^2/2) g1) = 1``, cleared of denominators, is a quartic in t.
"""

from __future__ import annotations

import sympy as sp

__all__ = ["quartic_coefficients", "SYMBOLS"]

z, t = sp.symbols("z t")
kappa, b, b1, x1 = sp.symbols("kappa b b1 x1", real=True)
SYMBOLS = (z, kappa, b, b1, x1)


def quartic_coefficients():
    """Coefficients (c4, c3, c2, c1, c0) of the quartic in t, and the map t -> (g1, g2, m)."""
    m = 2 * (z - t) / b**2
    g1 = (m - (1 - kappa) / t) / kappa
    num, den = sp.fraction(sp.together(g1 * (t + x1 - b1**2 / 2 * g1) - 1))
    poly = sp.Poly(sp.expand(num), t)
    coeffs = [sp.factor(poly.coeff_monomial(t**k)) for k in range(4, -1, -1)]
    return coeffs, {"g1": g1, "g2": 1 / t, "m": m}
