"""Derive the Stieltjes equations of the free multiplicative products and check them symbolically.

    python derivations/products.py      # prints each step and its check; exit 1 if one fails

Used by complexity/spectra/products.py (which states the results in its docstring).

1. Wishart products W_1 ... W_k, W_i = X_i X_i^T / T_i, c_i = N / T_i.  Voiculescu's
   S-transform: with psi(t) = sum_n m_n t^n = int t l / (1 - t l) dmu, chi = psi^{-1},
   S(w) = chi(w) (1 + w) / w, S multiplicative under free multiplicative convolution and
   S_MP(c)(w) = 1 / (1 + c w) (checked below from the Marchenko-Pastur equation).  At t = 1/z,
   psi = z m(z) - 1 =: w, so 1/z = w S(w) / (1 + w):  z w = phi(w) = (1 + w) prod (1 + c_i w),
   and P(m, z) = numerator in m of that relation.
2. The atom at 0 (the residue of m at z = 0), the discriminant (edges) and the moments
   (Lagrange inversion) for k = 1, 2, 3.
3. Wigner x Wishart, W^(1/2) S W^(1/2): from the variance-profile Dyson equation
   m = int dnu(t)/(z - t h), h = int t dnu(t)/(z - t h), nu = MP(c).
"""

import sys

import sympy as sp

z, m, w, t, h, u, g, a = sp.symbols("z m w t h u g a")
c = sp.symbols("c", positive=True)
FAILED = []


def check(label, ok):
    print(f"  [{'ok' if ok else 'FAIL'}] {label}")
    if not ok:
        FAILED.append(label)


def mp_S_transform():
    print("S-transform of Marchenko-Pastur(c)")
    # MP: c z m^2 - (z + c - 1) m + 1 = 0; with w = z m - 1 and z = 1/chi(w):
    eq = c * z * m**2 - (z + c - 1) * m + 1
    chi = sp.symbols("chi")
    e = sp.numer(sp.together(eq.subs(m, (w + 1) * chi).subs(z, 1 / chi)))
    chi_sol = [s for s in sp.solve(e, chi) if s != 0]
    S = sp.simplify(chi_sol[0] * (1 + w) / w)
    print("  chi(w) =", chi_sol, " S(w) =", S)
    check("S_MP(w) = 1/(1 + c w)", sp.simplify(S - 1 / (1 + c * w)) == 0)


def product_polynomial(cs):
    phi = (1 + w) * sp.Mul(*[(1 + ci * w) for ci in cs])
    # 1/z = w S(w) / (1 + w), S = prod 1/(1 + c_i w)
    rel = sp.numer(sp.together(1 / z - w / ((1 + w) * sp.Mul(*[(1 + ci * w) for ci in cs]))))
    P = sp.factor(sp.expand(rel.subs(w, z * m - 1)))
    return phi, P


def wishart_products():
    print("Wishart products")
    c1, c2, c3 = sp.symbols("c1 c2 c3", positive=True)
    phi1, P1 = product_polynomial([c])
    target = c * z * m**2 - (z + c - 1) * m + 1
    print("  k = 1: P =", P1)
    check("k = 1 gives c z m^2 - (z + c - 1) m + 1 (up to a factor z and sign)",
          sp.simplify(P1 / (z * target)) in (1, -1))
    for cs in ([c1], [c1, c2], [c1, c2, c3]):
        phi, P = product_polynomial(cs)
        Pm = sp.cancel(P / z)
        deg = sp.Poly(Pm, m).degree()
        check(f"k = {len(cs)}: degree {deg} in m (= k + 1)", deg == len(cs) + 1)
        # atom: m = a/z + O(1) near 0 -> leading coefficient in z of P(a/z + b, z) must vanish
        lead = sp.expand(sp.expand(Pm.subs(m, a / z)) * z).subs(z, 0)
        roots = {sp.simplify(r) for r in sp.solve(lead, a)}
        expect = {sp.Integer(0)} | {sp.simplify(1 - 1 / ci) for ci in cs}
        print(f"  k = {len(cs)}: residues allowed at z = 0: {sorted(roots, key=str)}")
        check(f"k = {len(cs)}: candidate atom masses are 0 and 1 - 1/c_i", roots == expect)
    # the physical residue: on z < 0, w = z m - 1 runs monotonically from 0 to a - 1 inside
    # {phi(w)/w < 0}; phi has zeros -1/c_j only, so a - 1 = -1/max(1, c_i)
    for cs in ([2, sp.Rational(1, 2)], [3, 5], [sp.Rational(1, 3), sp.Rational(2, 3)]):
        phi = sp.expand((1 + w) * sp.Mul(*[(1 + ci * w) for ci in cs]))
        neg = [r for r in sp.real_roots(sp.Poly(phi, w)) if r < 0]
        wstar = max(neg)
        mass = 1 + wstar
        check(f"c = {cs}: first zero of phi below 0 gives mass {mass} = max(1 - 1/c_i)_+",
              mass == max(0, *[1 - sp.Integer(1) / ci for ci in cs]))
        # z(w) = phi/w is negative and monotone on (w*, 0): no other zero before w*
        zw = sp.lambdify(w, phi / w)
        pts = [float(wstar) * (1 - s / 50) for s in range(1, 50)]
        vals = [zw(p) for p in pts]
        check(f"c = {cs}: phi(w)/w < 0 and monotone on (w*, 0)",
              all(v < 0 for v in vals) and all(vals[i] > vals[i + 1] for i in range(len(vals) - 1)))
    # edges: Res_m(P, dP/dm) vs the critical values of phi(w)/w
    for cs in ([sp.Rational(1, 2), 2], [sp.Rational(1, 2), 2, sp.Rational(3, 2)], [sp.Rational(3, 10)]):
        phi, P = product_polynomial(cs)
        Pm = sp.Poly(sp.cancel(P / z), m)
        res = sp.factor(sp.resultant(Pm.as_expr(), sp.diff(Pm.as_expr(), m), m))
        crit = sp.Poly(sp.expand(w * sp.diff(phi, w) - phi), w)
        disc_from_crit = sp.Poly(sp.resultant(crit.as_expr(), z - sp.diff(phi, w), w), z)
        zres = sp.Poly(sp.factor_terms(res), z)
        # strip powers of z from the resultant, compare the rest up to a constant
        q = sp.cancel(zres.as_expr() / disc_from_crit.as_expr())
        q = sp.factor(q)
        ok = sp.Poly(q, z).is_monomial if q.has(z) else True
        print(f"  c = {cs}: Res_m(P, P_m) / Res_w(w phi' - phi, z - phi') = {q}")
        check(f"c = {cs}: the discriminant's zeros (z != 0) are the critical values phi'(zeta)", ok)
    # moments by Lagrange inversion vs series reversion of chi
    cs = [sp.Rational(1, 2), 2]
    phi = (1 + w) * sp.Mul(*[(1 + ci * w) for ci in cs])
    chi = w / phi
    n = 6
    ser = sp.series(chi, w, 0, n + 1).removeO()
    psi = sp.symbols("psi")
    # reversion: psi(t) = sum a_j t^j with chi(psi(t)) = t
    coeffs = sp.symbols(f"a1:{n + 1}")
    psi_t = sum(coeffs[j] * t ** (j + 1) for j in range(n))
    eqs = sp.Poly(sp.expand(ser.subs(w, psi_t)) - t, t).all_coeffs()[::-1][1:n + 1]
    sol = sp.solve(eqs, coeffs, dict=True)[0]
    lag = [sp.Rational(1, k) * sp.Poly(sp.expand(phi**k), w).coeff_monomial(w ** (k - 1)) for k in range(1, n + 1)]
    check(f"c = {cs}: Lagrange m_n = (1/n)[w^(n-1)] phi^n equals the reversion of chi (n <= {n})",
          all(sp.simplify(sol[coeffs[j]] - lag[j]) == 0 for j in range(n)))
    for k in (1, 2, 3):
        phi = (1 + w) ** (k + 1)
        ok = all(sp.Rational(1, n) * sp.Poly(sp.expand(phi**n), w).coeff_monomial(w ** (n - 1))
                 == sp.binomial((k + 1) * n, n) / (k * n + 1) for n in range(1, 8))
        check(f"all c_i = 1, k = {k}: Fuss-Catalan binom((k+1)n, n)/(kn + 1)", ok)
    # log-potential: L(z) = k w - log w + sum (1 - 1/c_i) log(1 + c_i w) has dL/dz = m
    c1, c2 = sp.symbols("c1 c2", positive=True)
    phi = (1 + w) * (1 + c1 * w) * (1 + c2 * w)
    L = 2 * w - sp.log(w) + (1 - 1 / c1) * sp.log(1 + c1 * w) + (1 - 1 / c2) * sp.log(1 + c2 * w)
    zz = phi / w
    mm = (1 + w) / zz
    check("k = 2: dL/dw = m dz/dw for L = k w - log w + sum (1 - 1/c_i) log(1 + c_i w)",
          sp.simplify(sp.diff(L, w) - mm * sp.diff(zz, w)) == 0)


def wigner_times_wishart():
    print("Wigner x Wishart")
    # m = g/h and h^2 = u g - 1 with u = z/h and g = m_MP(u)
    mp_eq = c * u * g**2 - (u + c - 1) * g + 1
    g_of = (1 + h**2) / u  # u g = 1 + h^2
    e = sp.factor(sp.numer(sp.together(mp_eq.subs(g, g_of).subs(u, z / h))))
    print("  MP equation at u = z/h, g = (1 + h^2) h / z:", e)
    target = z * h - (1 + h**2) * (1 + c * h**2)
    ratio = sp.cancel(e / target)
    print("  ratio to z h - (1 + h^2)(1 + c h^2):", ratio)
    check("z h = (1 + h^2)(1 + c h^2) (the ratio is free of z)", not ratio.has(z))
    # m = g/h = (1 + h^2)/z; the polynomial in m
    Pm = sp.expand(z**2 * (z * m - 1) - (z * m) ** 2 * (1 + c * (z * m - 1)) ** 2)
    hh = sp.symbols("hh")
    chk = sp.expand(Pm.subs(m, (1 + hh**2) / z))
    red = sp.rem(sp.Poly(sp.numer(sp.together(chk)), hh), sp.Poly(target.subs(h, hh), hh))
    both = target.subs(h, hh) * (z * hh + (1 + hh**2) * (1 + c * hh**2))  # the +-h solutions
    red2 = sp.rem(sp.Poly(sp.numer(sp.together(chk)), hh), sp.Poly(both, hh))
    check("P(m, z) = z^2 (z m - 1) - (z m)^2 (1 + c (z m - 1))^2 vanishes on the h-solution",
          red2.is_zero or red.is_zero)
    check("degree 4 in m", sp.Poly(Pm, m).degree() == 4)
    check("c -> 0: z m = 1 + m^2 (semicircle)", sp.factor(sp.expand(Pm.subs(c, 0))) in
          (sp.factor(z**2 * (z * m - 1 - m**2)), -sp.factor(z**2 * (z * m - 1 - m**2))))
    lead = sp.Poly(sp.expand(Pm.subs(m, a / z)), z).coeff_monomial(1)  # the z^0 term
    roots = {sp.simplify(r) for r in sp.solve(lead, a)}
    print("  residues allowed at 0:", roots)
    check("candidate atom masses 0 and 1 - 1/c", roots == {0, sp.simplify(1 - 1 / c)})
    phi = (1 + h**2) * (1 + c * h**2)
    crit = sp.factor(sp.expand(h * sp.diff(phi, h) - phi))
    print("  critical points of phi(h)/h:", crit)
    check("h phi' - phi = 3 c h^4 + (1 + c) h^2 - 1", sp.expand(crit - (3 * c * h**4 + (1 + c) * h**2 - 1)) == 0)
    # moments: m_n = (2/n)[h^(n-2)] phi^n
    mom = [sp.Rational(2, n) * sp.Poly(sp.expand(phi**n), h).coeff_monomial(h ** (n - 2)) for n in (2, 4, 6)]
    print("  m2, m4, m6 =", [sp.factor(x) for x in mom])
    # free probability: m_4 = 2 tau(W^2) tau(W)^2, m_6 = 2 tau(W^3) + 3 tau(W^2)^2 (non-crossing
    # pairings of the S's, Kreweras complements on the W's), tau(W^n) = Narayana
    tw2, tw3 = 1 + c, 1 + 3 * c + c**2
    check("m2 = 1, m4 = 2(1 + c), m6 = 2 tau(W^3) + 3 tau(W^2)^2",
          [sp.expand(x) for x in mom] == [1, sp.expand(2 * tw2), sp.expand(2 * tw3 + 3 * tw2**2)])
    L = sp.Rational(3, 2) * h**2 - sp.log(h) + (1 - 1 / c) * sp.log(1 + c * h**2)
    zz = phi / h
    check("dL/dh = m dz/dh for L = (3/2) h^2 - log h + (1 - 1/c) log(1 + c h^2)",
          sp.simplify(sp.diff(L, h) - (1 + h**2) / zz * sp.diff(zz, h)) == 0)


if __name__ == "__main__":
    mp_S_transform()
    wishart_products()
    wigner_times_wishart()
    print("FAILED:" if FAILED else "all checks passed", *FAILED)
    sys.exit(1 if FAILED else 0)
