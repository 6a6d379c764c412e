"""The atom at 0 of the percolated (sparse Erdos-Renyi) Wigner matrix: closed form, limits,
the transition at c = e, and the exact moments; every step prints its check.

    python derivations/percolated_atom.py

Statement (Bauer-Golinelli 2001; Bordenave-Lelarge-Salez 2011 for the Poisson(c) tree):
    mu_c({0}) = M(t) = t + e^{-ct} + c t e^{-ct} - 1,   t the smallest root of t = f(f(t)),
    f(t) = exp(-c t).

1. f is decreasing, so f(f(t)) is increasing; the fixed point of f, t* = W(c)/c, is always a
   root of t = f(f(t)).  Slope of f(f) at t*: f'(f(t*)) f'(t*) = (c t*)^2 = W(c)^2, which
   crosses 1 at W(c) = 1, i.e. c = e.  Below e the root is unique (attracting); above e it
   repels and two more roots t1 < t* < t3 appear, with t3 = f(t1) (f maps roots to roots).
2. For c <= e: e^{-ct} = t, so M = 2t + c t^2 - 1 = (2W + W^2)/c - 1.  At c = e: 3/e - 1.
3. dM/dt = 1 - c^2 t e^{-ct} vanishes at t* when c = e: the mass is insensitive to the
   root's position at the transition (continuous, with a kink in its derivative).
4. c -> 0: M = 1 - c + c^2 + O(c^3).  c -> infinity: t = e^{-c} + c^2 e^{-2c} + ..., and
   M = e^{-c} + (c^2/2) e^{-2c} + O(c^4 e^{-3c}): isolated vertices, then vertices with two
   leaf neighbours (each vertex has Poisson(c e^{-c}) leaves, k leaves give k - 1 kernel
   vectors).
5. Moments: m_2k = sum over closed walks of length 2k on the Poisson tree (module
   complexity.spectra.sparse.exact_moments_poly); here m_4 = 2 + 3/c by hand.
"""

import math

import mpmath as mp
import sympy as sp

c, t, W = sp.symbols("c t W", positive=True)
f = sp.exp(-c * t)
M = t + sp.exp(-c * t) + c * t * sp.exp(-c * t) - 1

# 1. the fixed point of f is a root of the two-step equation; slope there
t_star = sp.LambertW(c) / c
two_step = sp.exp(-c * sp.exp(-c * t)) - t
print("1. two-step gap at W(c)/c, c = 1.7:", sp.N(two_step.subs(t, t_star).subs(c, 1.7), 20))
slope = sp.diff(sp.exp(-c * sp.exp(-c * t)), t).subs(t, t_star)
slope_w = sp.simplify(slope.subs(sp.exp(-c * sp.LambertW(c) / c), sp.LambertW(c) / c))
print("   slope of f(f) at W(c)/c  =", slope_w, "(= W(c)^2); equals 1 at c = e:", sp.N(slope.subs(c, sp.E)))

# 2. the closed form below e
M_below = sp.simplify((M.subs(sp.exp(-c * t), t)).subs(t, W / c))
print("2. M for c <= e with e^{-ct} = t, t = W/c:", sp.expand(M_below),
      " at c = e (W = 1):", sp.simplify(M_below.subs({W: 1, c: sp.E})))

# 3. dM/dt at the transition
dM = sp.diff(M, t)
print("3. dM/dt at c = e, t = 1/e:", sp.simplify(dM.subs({c: sp.E, t: sp.exp(-1)})))

# 4a. c -> 0 series of (2W + W^2)/c - 1
print("4a. c -> 0:", sp.series((2 * sp.LambertW(c) + sp.LambertW(c) ** 2) / c - 1, c, 0, 3))

# 4b. large c: numerical ratio (M - e^{-c}) / ((c^2/2) e^{-2c}) -> 1 (mpmath, 50 digits)
mp.mp.dps = 50
for cv in (8, 15, 30):
    cm = mp.mpf(cv)
    g = lambda s: mp.exp(-cm * mp.exp(-cm * s)) - s  # noqa: E731
    root = mp.findroot(g, mp.exp(-cm))
    mass = root + mp.exp(-cm * root) * (1 + cm * root) - 1
    ratio = (mass - mp.exp(-cm)) / (cm**2 / 2 * mp.exp(-2 * cm))
    print(f"4b. c = {cv}: (M - e^-c) / ((c^2/2) e^-2c) = {mp.nstr(ratio, 10)}")

# 5. moments
from complexity.spectra.sparse import exact_moments_poly  # noqa: E402

for k in (2, 4, 6, 8):
    poly = exact_moments_poly(k)
    print(f"5. m_{k} =", " + ".join(f"{a}/c^{j}" if j else f"{a}" for j, a in poly.items()))
print("   Catalan limit c -> infinity:", [exact_moments_poly(2 * k)[0] for k in range(1, 6)],
      [math.comb(2 * k, k) // (k + 1) for k in range(1, 6)])
