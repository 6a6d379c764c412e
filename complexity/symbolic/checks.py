"""Derivation checks: each reduces a derived expression against a published or
independent form and reports a residual.  ``complexity verify`` prints them all;
the tests assert every one passes.

Symbolic checks pass when sympy simplifies the difference to exactly zero
(residual 0).  Where an identity involves branches of sqrt/log that sympy does not
simplify, the check evaluates the difference at 50 digits at many points and
reports the largest absolute value (tolerance 1e-40).
"""

from __future__ import annotations

import dataclasses
import math
import pathlib
import random

import mpmath
import numpy as np
import sympy as sp
from scipy import integrate

from complexity.symbolic.kac_rice import (
    SQRT2,
    XI,
    N,
    R,
    SphericalField,
    generic_xi,
    mehta_normaliser,
    semicircle_edge_rate,
    semicircle_log_potential,
)

__all__ = ["Check", "all_checks", "pure_pspin_checks", "mixed_checks", "numeric_checks"]

HIGH_TOL = 1e-40


@dataclasses.dataclass(frozen=True)
class Check:
    name: str
    residual: float
    passed: bool
    detail: str = ""


def _symbolic(name: str, difference, detail: str = "") -> Check:
    d = sp.simplify(difference)
    if d != 0:
        d = sp.simplify(sp.expand(sp.expand_log(d, force=True)))
    zero = d == 0
    return Check(name, 0.0 if zero else float("nan"), bool(zero), detail if zero else f"left: {d}")


def _numeric(name: str, fn, points, detail: str = "", tol: float = HIGH_TOL) -> Check:
    with mpmath.workdps(50):
        worst = max(abs(fn(*pt)) for pt in points)
    return Check(name, float(worst), bool(worst < tol), detail)


p = sp.Symbol("p", positive=True)
u = sp.Symbol("u", real=True)
k = sp.Symbol("k", nonnegative=True)


def pure_pspin_checks() -> list[Check]:
    """The derivation from xi(R) = R^p reproduces Auffinger-Ben Arous-Cerny exactly."""
    field = SphericalField(R**p)
    out = []
    cov = field.euclidean_covariance()
    out.append(_symbolic("pure: Var H = N", cov[("H", "H")] - N))
    out.append(_symbolic("pure: Var grad_i H = p", cov[("g1", "g1")] - p))
    law = field.hessian_law()
    out.append(_symbolic("pure: Hessian off-diagonal variance p(p-1)/N", law["offdiagonal_variance"] - p * (p - 1) / N))
    out.append(_symbolic("pure: Hessian diagonal variance 2p(p-1)/N", law["diagonal_variance"] - 2 * p * (p - 1) / N))
    out.append(
        Check(
            "pure: Hessian independent of H, gradient, radial term",
            0.0,
            bool(law["independent_of_H_g_Y"] and law["diagonal_covariance"] == 0),
        )
    )
    out.append(_chart_check())
    cond = field.conditional_law()
    out.append(_symbolic("pure: alpha^2 = 0 (radial term deterministic, Y = pU)", cond["alpha2"]))
    out.append(_symbolic("pure: E[Y | U = u] = p u", cond["mean_Y_given_u"] - p * u))

    # exact finite-N constant: K_N sqrt(N/2pi) (Z_N / Z_{N-1}) / s == 2 N sqrt(2/p) (p-1)^{N/2}
    s = field.eigenvalue_scale()
    # Z_N / Z_{N-1} at the same scale N: the Selberg products differ by their j = N factor
    z_ratio = (
        N ** (-N / 2 - N * (N - 1) / 4 + (N - 1) / 2 + (N - 1) * (N - 2) / 4)
        * sp.sqrt(2 * sp.pi)
        * sp.gamma(1 + N / 2)
        / sp.gamma(sp.Rational(3, 2))
    )
    lhs = field.kac_rice_prefactor() * sp.sqrt(N / (2 * sp.pi)) * z_ratio / s
    rhs = 2 * N * sp.sqrt(2 / p) * (p - 1) ** (N / 2)
    ratio = sp.simplify(sp.gammasimp(sp.powsimp(sp.expand_power_base(lhs / rhs, force=True), force=True)))
    out.append(_symbolic("pure: finite-N constant = ABC's 2 sqrt(2/p)(p-1)^{N/2} (times N)", ratio - 1))
    t = s * u
    out.append(
        _symbolic(
            "pure: Gaussian weight e^{-N u^2/2} e^{N t^2/2} = e^{-N (p-2)/(2p) t^2}",
            (-(u**2) / 2 + t**2 / 2) - (-(p - 2) / (2 * p) * t**2),
        )
    )
    rate = field.prefactor_rate()
    out.append(_symbolic("pure: lim (1/N) log K_N = 1/2 + log(2(p-1))/2", rate - sp.Rational(1, 2) - sp.log(2 * (p - 1)) / 2))

    e_inf = 2 * sp.sqrt((p - 1) / p)
    out.append(_symbolic("pure: s E_inf = sqrt 2 (bulk edge)", s * e_inf - SQRT2))
    abc_bulk = sp.log(p - 1) / 2 - (p - 2) / (4 * (p - 1)) * u**2
    out.append(_symbolic("pure: Theta_p on [-E_inf, 0] = ABC", field.pure_exponent(u, "bulk") - abc_bulk))
    # the derived bulk exponent at the derived edge u = -sqrt2 / s (not ABC's typed E_inf)
    out.append(
        _symbolic(
            "pure: Theta_{k,p}(u >= -E_inf) = log(p-1)/2 - (p-2)/p",
            field.pure_exponent(u, "bulk").subs(u, -SQRT2 / s) - (sp.log(p - 1) / 2 - (p - 2) / p),
        )
    )

    # outside the bulk: J(s u) = I_1(u) (ABC), checked at 50 digits
    def abc_i1(uu, pp):
        e = 2 * mpmath.sqrt((pp - 1) / pp)
        r = mpmath.sqrt(uu * uu - e * e)
        return -(uu / e**2) * r - mpmath.log(-uu + r) + mpmath.log(e)

    j_of_su = sp.lambdify((u, p), semicircle_edge_rate(s * u), "mpmath")
    outside = sp.lambdify((u, p), field.pure_exponent(u, "outside"), "mpmath")
    theta_k_derived = sp.lambdify((u, p, k), field.pure_exponent(u, "outside") - k * semicircle_edge_rate(s * u), "mpmath")
    rng = random.Random(12345)
    pts = []
    for _ in range(40):
        pp = rng.choice([3, 4, 5, 7, 10, 20])
        e = 2 * mpmath.sqrt(mpmath.mpf(pp - 1) / pp)
        pts.append((-(e + mpmath.mpf(rng.random()) * 3 + mpmath.mpf(10) ** -rng.randint(1, 12)), mpmath.mpf(pp)))
    out.append(_numeric("pure: I_1(u) = J(s u) for u < -E_inf", lambda uu, pp: j_of_su(uu, pp) - abc_i1(uu, pp), pts))
    out.append(
        _numeric(
            "pure: Theta_p(u < -E_inf) = ABC (with -I_1)",
            lambda uu, pp: outside(uu, pp) - (mpmath.log(pp - 1) / 2 - (pp - 2) / (4 * (pp - 1)) * uu**2 - abc_i1(uu, pp)),
            pts,
        )
    )
    out.append(
        _numeric(
            "pure: Theta_{k,p}(u < -E_inf) = ABC (with -(k+1) I_1)",
            lambda uu, pp: max(
                abs(
                    theta_k_derived(uu, pp, kk)
                    - (mpmath.log(pp - 1) / 2 - (pp - 2) / (4 * (pp - 1)) * uu**2 - (kk + 1) * abc_i1(uu, pp))
                )
                for kk in (0, 1, 5)
            ),
            pts,
        )
    )
    return out


def _chart_check() -> Check:
    """The package's chart Hessian (:meth:`SphericalField.chart_hessian`, second derivatives of
    a generic H in the chart s(th) = (th1, th2, sqrt(N - |th|^2)) at th = 0) applied to a
    generic cubic f with symbolic coefficients equals h_ij - (d_3 f / sqrt N) delta_ij, the
    Euclidean Hessian minus the radial term (only derivatives up to order 2 at s0 enter, so a
    cubic is fully general)."""
    s = sp.symbols("s1:4", real=True)
    monomials = [s[0] ** a * s[1] ** b * s[2] ** c for a in range(4) for b in range(4) for c in range(4) if a + b + c <= 3]
    coeffs = sp.symbols(f"c0:{len(monomials)}", real=True)
    f = sum(c * m for c, m in zip(coeffs, monomials))
    hess = SphericalField.chart_hessian().subs(sp.Function("H"), sp.Lambda(s, f)).doit()
    s0 = {s[0]: 0, s[1]: 0, s[2]: sp.sqrt(N)}
    worst = 0
    for i in range(2):
        for j in range(2):
            rhs = (sp.diff(f, s[i], s[j]) - (1 if i == j else 0) * sp.diff(f, s[2]) / sp.sqrt(N)).subs(s0)
            if sp.simplify(hess[i, j] - rhs) != 0:
                worst = 1
    return Check("chart: SphericalField.chart_hessian = h - (d_3 H / sqrt N) I (generic cubic)", float(worst), worst == 0)


def mixed_checks() -> list[Check]:
    """The generic isotropic derivation: conditional law, variational formula, pure limit."""
    out = []
    q = sp.Symbol("q", positive=True)
    a, b = sp.symbols("a b", positive=True)
    mix = SphericalField(a**2 * R**p + b**2 * R**q)
    d = mix.derivatives()
    cond = mix.conditional_law()
    out.append(
        _symbolic(
            "mixed: alpha^2 = xi'' + xi' - xi'^2/xi",
            cond["alpha2"] - (d["xi2"] + d["xi1"] - d["xi1"] ** 2 / d["xi0"]),
        )
    )
    y = sp.Symbol("y", real=True)
    out.append(
        _symbolic(
            "mixed: Gaussian rate = -u^2/(2xi) - (y - u xi'/xi)^2/(2 alpha^2)",
            mix.gaussian_rate(u, y) - (-(u**2) / (2 * d["xi0"]) - (y - u * d["xi1"] / d["xi0"]) ** 2 / (2 * cond["alpha2"])),
        )
    )
    out.append(
        _symbolic(
            "mixed: lim (1/N) log K_N = 1/2 + log(2 xi''/xi')/2",
            mix.prefactor_rate() - sp.Rational(1, 2) - sp.log(2 * d["xi2"] / d["xi1"]) / 2,
        )
    )
    # pure limit of the variational formula: the Gaussian in y concentrates at u xi'/xi
    pure = SphericalField(R**p)
    dp = pure.derivatives()
    y_star = u * dp["xi1"] / dp["xi0"]
    t_star = y_star / sp.sqrt(2 * dp["xi2"])
    reduced = pure.prefactor_rate() - u**2 / (2 * dp["xi0"]) + semicircle_log_potential(t_star, "bulk")
    out.append(_symbolic("mixed -> pure: S(u, u xi'/xi) = Theta_p (bulk)", reduced - pure.pure_exponent(u, "bulk")))
    out.append(
        _symbolic(
            "mixed E_inf -> pure 2 sqrt((p-1)/p)",
            _pure_e_inf_from_mixed() - 2 * sp.sqrt((p - 1) / p),
        )
    )
    return out


def _pure_e_inf_from_mixed():
    xi0, xi1, xi2 = XI[:3]
    e = SphericalField(generic_xi()).mixed_e_inf()
    return e.subs({xi0: 1, xi1: p, xi2: p * (p - 1)})


def numeric_checks() -> list[Check]:
    """Identities checked by independent high-precision quadrature (not by the formulas)."""
    out = []
    with mpmath.workdps(40):
        s2 = mpmath.sqrt(2)

        def rho(x):
            return mpmath.sqrt(2 - x * x) / mpmath.pi

        phi = sp.lambdify(sp.Symbol("t"), semicircle_log_potential(sp.Symbol("t", real=True)).subs(
            sp.Symbol("t", real=True), sp.Symbol("t")), "mpmath")
        worst = 0
        for x in (mpmath.mpf("0.3"), mpmath.mpf("-1.1"), mpmath.mpf("1.9"), mpmath.mpf("-3.5"), mpmath.mpf(12)):
            ref = mpmath.quad(lambda lam: mpmath.log(abs(x - lam)) * rho(lam), sorted({-s2, s2, *([x] if abs(x) < s2 else [])}))
            worst = max(worst, abs(phi(x) - ref))
        out.append(Check("GOE: Phi closed form = int log|x-l| rho_sc (quadrature, 40 digits)", float(worst), worst < 1e-30))
        jf = sp.lambdify(sp.Symbol("t"), semicircle_edge_rate(sp.Symbol("t", real=True)).subs(
            sp.Symbol("t", real=True), sp.Symbol("t")), "mpmath")
        worst = 0
        for x in (mpmath.mpf("1.5"), mpmath.mpf(2), mpmath.mpf(7), mpmath.mpf("-2.5")):
            ref = mpmath.quad(lambda v: mpmath.sqrt(v * v - 2), [s2, abs(x)])
            worst = max(worst, abs(jf(x) - ref))
        out.append(Check("GOE: J(x) = int_{sqrt2}^{|x|} sqrt(y^2-2) dy (quadrature)", float(worst), worst < 1e-30))
        # Mehta's integral at n = 2, 3 against direct quadrature of the joint density:
        # ordered region times n!, gaps g_i = l_{i+1} - l_i >= 0, the lowest eigenvalue a
        # integrated out in closed form (a Gaussian integral), the gaps by mpmath.quad.
    with mpmath.workdps(20):
        worst = 0
        for n in (2, 3):
            z = mpmath.mpf(str(sp.N(mehta_normaliser(n, scale=n).doit(), 45)))
            if n == 2:
                # exponent -n/2 (2a^2 + 2ag + g^2)
                ref = 2 * mpmath.quad(
                    lambda g: g * mpmath.sqrt(2 * mpmath.pi / (2 * n)) * mpmath.exp(-n / 2 * (g * g - g * g / 2)),
                    [0, mpmath.inf],
                )
            else:
                # exponent -n/2 (3a^2 + 2a(2 g1 + g2) + g1^2 + (g1 + g2)^2); the double integral by
                # QUADPACK in doubles (relative error ~1e-15 against the 1e-12 asked; a 2-D mpmath
                # quadrature at 20 digits takes ~200 times longer and adds nothing at this tolerance)
                def gaps(g2, g1):
                    b, c = 2 * g1 + g2, g1 * g1 + (g1 + g2) ** 2
                    gauss = math.sqrt(2 * math.pi / (3 * n)) * math.exp(-n / 2 * (c - b * b / 3))
                    return g1 * g2 * (g1 + g2) * gauss

                val, _ = integrate.dblquad(gaps, 0, math.inf, 0, math.inf, epsabs=0, epsrel=1e-13)
                ref = 6 * mpmath.mpf(val)
            worst = max(worst, abs(z / ref - 1))
        out.append(Check("GOE: Mehta normaliser Z_n (n = 2, 3) = quadrature", float(worst), worst < 1e-12))
    return out


def generated_module_check() -> list[Check]:
    from complexity.symbolic.codegen import GENERATED_PATH, module_source

    path = pathlib.Path(__file__).resolve().parents[2] / GENERATED_PATH
    same = path.exists() and path.read_text() == module_source()
    return [Check("codegen: committed complexity/_generated/kac_rice.py = printed from the symbols", 0.0 if same else 1.0, same)]


def print_report(checks: list[Check], indent: str = "  ") -> bool:
    """Print one line per check; return True when all passed."""
    for c in checks:
        print(f"{indent}[{'pass' if c.passed else 'FAIL'}] {c.name}  (residual {c.residual:.1e}) {c.detail}")
    return all(c.passed for c in checks)


def all_checks() -> list[Check]:
    return (pure_pspin_checks() + mixed_checks() + gan_checks() + numeric_checks() + generated_module_check()
            + general_kac_rice_checks())


def gan_checks() -> list[Check]:
    """The coupled model's derived ingredients (complexity.symbolic.gan)."""
    from complexity.symbolic import gan

    g = gan.symbols()
    n, kap, pp, qq, sig = g["N"], g["kappa"], g["p"], g["q"], g["sigma_z"]
    big = pp + qq
    c = gan.covariances()
    out = [
        _symbolic("gan: Var l_D = N_D", c[("lD", "lD")] - kap * n),
        _symbolic("gan: Var l_G = N", c[("lG", "lG")] - n),
        _symbolic(
            "gan: R_D + R_G = P l_G (Euler on the joined vector)",
            c[("RD", "RD")] + c[("RG", "RG")] + 2 * c[("RD", "RG")] - 2 * big * (c[("lG", "RD")] + c[("lG", "RG")])
            + big**2 * c[("lG", "lG")],
        ),
        _symbolic("gan: Var grad_D l_D = p", c[("gD1", "gD1")] - pp),
        _symbolic("gan: Var grad_D l_G = Var grad_G l_G = P", c[("gGD1", "gGD1")] + c[("gGG1", "gGG1")] - 2 * big),
        _symbolic("gan: grad_D l_G and grad_G l_G uncorrelated", c[("gGD1", "gGG1")]),
    ]
    off = big * (big - 1) / n
    out.append(
        _symbolic(
            "gan: Hessian of l_G on the joined tangent space = sqrt(2P(P-1)) GOE_{N-2} (DD, GG, DG blocks)",
            sp.Abs(c[("hDD12", "hDD12")] - off) + sp.Abs(c[("hGG12", "hGG12")] - off) + sp.Abs(c[("hDG11", "hDG11")] - off)
            + sp.Abs(c[("hDD11", "hDD11")] - 2 * off) + sp.Abs(c[("hDD11", "hGG11")]),
        )
    )
    out.append(
        _symbolic(
            "gan: Hessian of l_D = sqrt(2p(p-1)) GOE_{N_D-1} normalised by N_D",
            sp.Abs(c[("kD12", "kD12")] - pp * (pp - 1) / (kap * n)) + sp.Abs(c[("kD11", "kD11")] - 2 * pp * (pp - 1) / (kap * n)),
        )
    )
    indep = all(
        c[(h, s)] == 0
        for h in ("hDD11", "hDD12", "hGG11", "hGG12", "hDG11", "kD11", "kD12")
        for s in ("lD", "lG", "RD", "RG", "gD1", "gGD1", "gGG1")
    )
    out.append(Check("gan: Hessians independent of losses, radial terms and gradients", 0.0, indep))
    law = gan.scalar_law()["N_cov"]
    cond_var = sp.simplify(law[2, 2] - law[1, 2] ** 2 / law[1, 1])
    out.append(
        _symbolic("gan: Var(R_G/N | l_G) = P kappa (1-kappa) / N > 0 (an extra Gaussian in the shifts)", cond_var - big * kap * (1 - kap))
    )
    pieces = gan.exponent_pieces()
    vv = g["v"]
    tt = sp.Symbol("t", positive=True)  # kappa = 1/(1+t) ranges over (0, 1)
    concave = sp.simplify(sp.expand(-pieces["c2"].subs(kap, 1 / (1 + tt)))).is_positive
    out.append(Check("gan: Gaussian rate is strictly concave in v for every kappa in (0, 1)", 0.0, bool(concave)))
    out.append(_symbolic("gan: v_star is the stationary point", sp.diff(pieces["gauss_in_v"], vv).subs(vv, pieces["v_star"])))
    # flipping the sign of the D block-row of [[A, -s C], [s C^T, B]] gives a symmetric matrix
    A, B, C = (sp.MatrixSymbol(nm, 2, 2) for nm in "ABC")
    jac = sp.BlockMatrix([[A, -sig * C], [sig * C.T, B]])
    flipped = sp.BlockMatrix([[-sp.Identity(2), sp.ZeroMatrix(2, 2)], [sp.ZeroMatrix(2, 2), sp.Identity(2)]]) * jac
    fl = sp.block_collapse(flipped)
    sym_ok = sp.simplify(fl.blocks[0, 1] - fl.blocks[1, 0].T) == sp.ZeroMatrix(2, 2)
    out.append(Check("gan: negating the D block-row makes the game Jacobian symmetric (off-diagonal blocks)", 0.0, bool(sym_ok)))
    # the players' own Hessians (index penalty): a c GOE_n block (abc scale, normalised by n) has
    # off-diagonal variance c^2/(2n) and semicircle radius sqrt(2) c, so radius^2 = 4 n Var_offdiag
    var_d = sig**2 * c[("hDD12", "hDD12")] + c[("kD12", "kD12")]  # independent fields
    var_g = sig**2 * c[("hGG12", "hGG12")]
    out.append(_symbolic("gan: radius of Hess_D L^D = E_D = sqrt(2(kappa b^2 + b1^2))",
                         pieces["edge_D"] ** 2 - 4 * kap * n * var_d))
    out.append(_symbolic("gan: radius of Hess_G L^G = E_G = sqrt(2(1-kappa)) b",
                         pieces["edge_G"] ** 2 - 4 * (1 - kap) * n * var_g))
    return out


def general_kac_rice_checks() -> list[Check]:
    """The general-spectrum template (complexity.symbolic.kac_rice_general): mu = semicircle
    gives back the p-spin and mixed formulas; the pure limit of the mixed template; the
    invariant-ensemble edge rate; the committed generated module."""
    from complexity.symbolic import kac_rice_general as K

    out = []
    pure = SphericalField(R**p)
    s = K.pure_eigen_scale(pure)
    bulk = K.pure_exponent(u, pure, lambda x: semicircle_log_potential(x, "bulk"))
    abc_bulk = sp.log(p - 1) / 2 - (p - 2) / (4 * (p - 1)) * u**2
    out.append(_symbolic("general: S_mu, mu = semicircle (bulk) = ABC's Theta_p on [-E_inf, 0]", bulk - abc_bulk))
    out.append(_symbolic("general: E_inf at the semicircle's edge -sqrt2 = 2 sqrt((p-1)/p)",
                         K.pure_e_inf(-SQRT2, pure) - 2 * sp.sqrt((p - 1) / p)))
    gen = K.formulas()
    phi_, j_, k_ = K.phi, K.j, K.k
    out.append(_symbolic("general: generated S_mu(u) = template with Phi_mu(s u) -> phi",
                         gen["kr_pure_exponent"][1] - K.pure_exponent(u, pure).subs(K.PHI(s * u), phi_)))
    out.append(_symbolic("general: dS_mu/du = -u + s Re m_mu(s u)", gen["kr_pure_exponent_du"][1] - (-u + s * K.re_m)))

    def abc_i1(uu, pp):
        e = 2 * mpmath.sqrt((pp - 1) / pp)
        r = mpmath.sqrt(uu * uu - e * e)
        return -(uu / e**2) * r - mpmath.log(-uu + r) + mpmath.log(e)

    layer = sp.lambdify((u, p, k_), gen["kr_index_exponent"][1].subs(
        {phi_: semicircle_log_potential(s * u, "outside"), j_: semicircle_edge_rate(s * u)}), "mpmath")
    rng = random.Random(2027)
    pts = []
    for _ in range(30):
        pp = rng.choice([3, 4, 6, 11])
        e = 2 * mpmath.sqrt(mpmath.mpf(pp - 1) / pp)
        pts.append((-(e + mpmath.mpf(rng.random()) * 3 + mpmath.mpf(10) ** -rng.randint(1, 10)), mpmath.mpf(pp)))
    out.append(_numeric(
        "general: S_mu - k J, mu = semicircle, J = GOE rate = ABC's Theta_{k,p} (u < -E_inf, k = 0, 1, 4)",
        lambda uu, pp: max(abs(layer(uu, pp, kk) - (mpmath.log(pp - 1) / 2 - (pp - 2) / (4 * (pp - 1)) * uu**2
                                                     - (kk + 1) * abc_i1(uu, pp))) for kk in (0, 1, 4)),
        pts))
    generic = SphericalField(generic_xi())
    y = sp.Symbol("y", real=True)
    for piece in ("bulk", "outside"):
        out.append(_symbolic(
            f"general: mixed S_mu(u, y), mu = semicircle ({piece}) = SphericalField.exponent",
            K.mixed_exponent(u, y, generic, lambda x, pc=piece: semicircle_log_potential(x, pc))
            - generic.exponent(u, y, piece)))
    out.append(_symbolic("general: mixed E_inf at a = m_a = -sqrt2 (semicircle) = the mixed model's",
                         K.mixed_e_inf(generic, -SQRT2, -SQRT2) - generic.mixed_e_inf()))
    xi0, xi1, xi2 = XI[:3]
    pure_vals = {xi0: 1, xi1: p, xi2: p * (p - 1)}
    out.append(_symbolic("general: mixed E_inf -> pure -a/s (m_a drops out)",
                         K.mixed_e_inf(generic).subs(pure_vals) - K.pure_e_inf(K.a, pure)))
    c2 = sp.sqrt(2 * xi2)
    reduced = gen["kr_mixed_exponent"][1].subs(y, u * xi1 / xi0).subs(pure_vals)
    out.append(_symbolic("general: mixed S_mu(u, u xi'/xi) -> pure S_mu(u) (same phi)",
                         reduced - gen["kr_pure_exponent"][1]))
    out.append(_symbolic("general: pure t = y/sqrt(2 xi'') at y = p u is s u",
                         (u * xi1 / xi0 / c2).subs(pure_vals) - s * u))
    law = generic.conditional_law()
    out.append(_symbolic("general: argmax_u S_mu(u, y) = E[U | Y = y] = Cov(U, Y) y / Var Y",
                         gen["kr_mixed_u_hat"][1] - law["cov_UY"] / law["var_Y"] * y))
    # invariant ensembles: J = (V(x) - V(a))/2 - (Phi(x) - Phi(a)) gives back the GOE rate
    rr, xx = sp.symbols("R_ x_", positive=True)

    def phi_r(z):  # semicircle of radius R: Phi(sqrt2 z/R) + log(R/sqrt2)
        return semicircle_log_potential(SQRT2 * z / rr, "outside") + sp.log(rr / SQRT2)

    j_inv = sp.lambdify((xx, rr), K.invariant_edge_rate(lambda z: 2 * z**2 / rr**2, phi_r, -xx, -rr), "mpmath")
    j_goe = sp.lambdify((xx, rr), semicircle_edge_rate(-SQRT2 * xx / rr), "mpmath")
    pts = [(mpmath.mpf(r) * (1 + mpmath.mpf(f)), mpmath.mpf(r)) for r in ("0.5", "1.4142135623730951", "2", "3.7")
           for f in ("1e-9", "0.01", "0.3", "2.5")]
    out.append(_numeric("general: invariant J with V = 2x^2/R^2 = GOE edge rate J_R (x < -R)",
                        lambda x_, r_: j_inv(x_, r_) - j_goe(x_, r_), pts))
    # Laguerre: V(x) = x/c - (1/c - 1) log x is the potential of Marchenko-Pastur: V'/2 = Re m on the support
    cc, x = sp.symbols("c x", positive=True)
    v_mp = x / cc - (1 / cc - 1) * sp.log(x)
    out.append(_symbolic("general: Laguerre V'/2 = Re m_MP = (x + c - 1)/(2 c x) on the support (equilibrium)",
                         sp.diff(v_mp, x) / 2 - (x + cc - 1) / (2 * cc * x)))
    out.append(_general_generated_check())
    return out


def _general_generated_check() -> Check:
    from complexity.symbolic.kac_rice_general import GENERATED_PATH, module_source

    path = pathlib.Path(__file__).resolve().parents[2] / GENERATED_PATH
    same = path.exists() and path.read_text() == module_source()
    return Check(f"codegen: committed {GENERATED_PATH} = printed from the symbols", 0.0 if same else 1.0, same)
