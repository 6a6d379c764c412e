"""Print the derived Kac-Rice formulas as Python source: one ``math`` twin (scalar,
numba-compilable) and one ``mpmath`` twin of every formula, from the same sympy
expression.  ``derivations/generate_kac_rice.py`` writes the result to
``complexity/_generated/kac_rice.py``; ``complexity verify`` checks that the committed
file is exactly what the symbols print today.
"""

from __future__ import annotations

import sympy as sp
from sympy.printing.pycode import MpmathPrinter, PythonCodePrinter

from complexity.symbolic.kac_rice import (
    SQRT2,
    R,
    XI,
    SphericalField,
    generic_xi,
    semicircle_edge_rate,
    semicircle_log_potential,
)

__all__ = ["formulas", "module_source", "GENERATED_PATH"]

GENERATED_PATH = "complexity/_generated/kac_rice.py"

u, t, y = sp.symbols("u t y", real=True)
p = sp.Symbol("p", positive=True)
k = sp.Symbol("k", nonnegative=True)
n = sp.Symbol("n", positive=True)
xi0, xi1, xi2 = XI[:3]


def formulas() -> dict[str, tuple[tuple[sp.Symbol, ...], sp.Expr, str]]:
    """name -> (arguments, expression, docstring), all derived from :class:`SphericalField`."""
    pure = SphericalField(R**p)
    s = pure.eigenvalue_scale()
    e_inf = sp.simplify(SQRT2 / s)
    bulk = sp.simplify(pure.pure_exponent(u, "bulk"))
    # outside the bulk u < -E_inf < 0, so t = s u < -sqrt 2: |t| = -t
    outside = pure.pure_exponent(u, "outside").subs(sp.Abs(s * u), -s * u)
    i1 = semicircle_edge_rate(s * u).subs(sp.Abs(s * u), -s * u)
    theta_total = sp.Piecewise((outside, u < -e_inf), (bulk, u <= 0), (bulk.subs(u, 0), True))
    theta_k = sp.Piecewise((outside - k * i1, u < -e_inf), (sp.simplify(bulk.subs(u, -e_inf)), True))

    generic = SphericalField(generic_xi())
    mixed_rate = generic.prefactor_rate()
    alpha2 = generic.conditional_law()["alpha2"]
    gauss = -(u**2) / (2 * xi0) - (y - u * xi1 / xi0) ** 2 / (2 * alpha2)
    mixed_e_inf = generic.mixed_e_inf()

    goe_phi = semicircle_log_potential(t)
    goe_j = sp.Piecewise((semicircle_edge_rate(t), sp.Abs(t) > SQRT2), (0, True))

    pure_log_prefactor = sp.log(2 * sp.sqrt(2 / p)) + n / 2 * sp.log(p - 1)

    from complexity.symbolic import gan

    gs = gan.symbols()
    gp, gq, gsig, gkap = gs["p"], gs["q"], gs["sigma_z"], gs["kappa"]
    gx, gx1, gud, gug = gs["x"], gs["x1"], gs["u_D"], gs["u_G"]
    pieces = gan.exponent_pieces()
    ref = gan.reference_constants()
    gan_formulas = {
        "gan_prefactor_rate": (
            (gp, gq, gsig, gkap),
            gan.prefactor_rate(),
            "Derived convention: rate of the sphere volumes and the gradient density.",
        ),
        "gan_b": ((gp, gq, gsig), pieces["b"], "Derived convention: b = sigma_z sqrt(2P(P-1)) (GOE_N part of H)."),
        "gan_b1": ((gp,), pieces["b1"], "Derived convention: b1 = sqrt(2p(p-1)) (GOE_{N_D} part of H)."),
        "gan_gauss_sup": (
            (gx, gx1, gud, gug, gs["u_sum"], gp, gq, gsig, gkap),
            pieces["gauss_sup"],
            "Derived convention: sup over v of the Gaussian rate at fixed (x, x1) under u_D, u_G, u_D + u_G cuts.",
        ),
        "gan_v_opt": (
            (gx, gx1, gud, gug, gs["u_sum"], gp, gq, gsig, gkap),
            pieces["v_opt"],
            "Derived convention: the maximising v = l_G/N at fixed (x, x1).",
        ),
        "gan_a_of": (
            (gx, gx1, gs["v"], gp, gq, gsig, gkap),
            pieces["a_of"],
            "Derived convention: a = l_D/N given (x, x1, v).",
        ),
        "gan_gauss_rate": (
            (gx, gx1, gs["v"], gp, gq, gsig, gkap),
            pieces["gauss_in_v"],
            "Derived convention: the Gaussian rate of (l_D, l_G, R_G)/N at the point (x, x1, v).",
        ),
        **{
            f"gan_gauss_rate_d{name}": (
                (gx, gx1, gs["v"], gp, gq, gsig, gkap),
                sp.expand(sp.diff(pieces["gauss_in_v"], var)),
                f"Derived convention: d/d{name} of gan_gauss_rate.",
            )
            for name, var in (("x", gx), ("x1", gx1), ("v", gs["v"]))
        },
        "gan_edge_d": (
            (gp, gq, gsig, gkap),
            pieces["edge_D"],
            "Derived convention: semicircle radius of the D block of H (own Hessian of L^D).",
        ),
        "gan_edge_g": (
            (gp, gq, gsig, gkap),
            pieces["edge_G"],
            "Derived convention: semicircle radius of the G block of H (own Hessian of L^G).",
        ),
        "gan_ref_edge_d": ((gp, gq, gsig, gkap), ref["edge_D"], "Reference convention: E_D = sqrt(2 kappa (b^2 + b1^2))."),
        "gan_ref_edge_g": ((gp, gq, gsig, gkap), ref["edge_G"], "Reference convention: E_G = sqrt(2 (1 - kappa)) b."),
        "gan_ref_b": ((gp, gq, gsig), ref["b"], "Reference convention: b = sigma_z sqrt(P(P-1) 2^P)."),
        "gan_ref_b1": ((gp, gkap), ref["b1"], "Reference convention: b1 = sqrt(kappa p(p-1))."),
        "gan_ref_s2": ((gp, gq, gsig), ref["s2"], "Reference convention: s^2 = sigma_z^2 P^2 2^{3P} / 2."),
        "gan_ref_s12": ((gp,), ref["s12"], "Reference convention: s1^2 = p^2 / 2."),
        "gan_ref_constant": ((gp, gq, gsig, gkap), ref["C"], "Reference convention: the additive constant C."),
    }
    from complexity.symbolic import block_quartic

    qz, qk, qb, qb1, qx1 = block_quartic.SYMBOLS
    qcoeffs, _ = block_quartic.quartic_coefficients()
    quartic_formulas = {
        f"block_quartic_c{4 - i}": (
            (qz, qk, qb, qb1, qx1),
            c,
            f"Coefficient of t^{4 - i} in the two-block Dyson quartic (complexity.symbolic.block_quartic).",
        )
        for i, c in enumerate(qcoeffs)
    }
    return {
        "pspin_e_inf": ((p,), e_inf, "Threshold energy E_inf = 2 sqrt((p-1)/p) (ABC units)."),
        "pspin_eigen_scale": ((p,), s, "t = s u maps the energy per spin to the GOE (abc) spectral variable."),
        "pspin_i1": ((u, p), i1, "I_1(u) = J(s u), the GOE edge rate at t = s u (valid for u <= -E_inf)."),
        "pspin_theta": ((u, p), theta_total, "Theta_p(u): complexity of all critical points with H/N <= u."),
        "pspin_theta_k": ((u, p, k), theta_k, "Theta_{k,p}(u): complexity of index-k critical points with H/N <= u."),
        "pspin_log_prefactor": (
            (n, p),
            pure_log_prefactor,
            "log(2 sqrt(2/p) (p-1)^(n/2)): the exact finite-N prefactor of ABC's formula.",
        ),
        "pspin_weight_rate": ((p,), sp.simplify((p - 2) / (2 * p)), "c in exp(-N c lambda^2) of ABC's finite-N formula."),
        "mixed_prefactor_rate": ((xi1, xi2), mixed_rate, "lim (1/N) log K_N = 1/2 + log(2 xi''/xi')/2."),
        "mixed_alpha2": ((xi0, xi1, xi2), alpha2, "alpha^2 = N Var(Y | U): xi'' + xi' - xi'^2/xi."),
        "mixed_gaussian_rate": (
            (u, y, xi0, xi1, xi2),
            gauss,
            "-(1/2)(u, y) Sigma^-1 (u, y)^T for (U, Y) = (H/N, s.grad H/N); needs alpha^2 > 0.",
        ),
        "mixed_e_inf": ((xi0, xi1, xi2), mixed_e_inf, "-u at which the maximising y reaches t = -sqrt 2."),
        "goe_log_potential": ((t,), goe_phi, "Semicircle (radius sqrt 2) log-potential Phi(t)."),
        "goe_edge_rate": ((t,), goe_j, "GOE (abc) extreme-eigenvalue rate J(t); 0 inside the bulk."),
        **gan_formulas,
        **quartic_formulas,
    }


class _MathPrinter(PythonCodePrinter):
    def _print_Abs(self, expr):
        return f"abs({self._print(expr.args[0])})"


class _MpPrinter(MpmathPrinter):
    def _print_Abs(self, expr):
        return f"abs({self._print(expr.args[0])})"


def _guard_square_roots(expr: sp.Expr) -> sp.Expr:
    """sqrt(a) -> sqrt(max(a, 0)): identical where the formula is used, and immune to a
    rounding error that makes t^2 - 2 a hair negative just outside the bulk edge."""
    return expr.replace(
        lambda e: e.is_Pow and e.exp == sp.Rational(1, 2) and not e.base.is_number and not e.base.is_Symbol,
        lambda e: sp.sqrt(sp.Max(e.base, 0)),
    )


def _function(name: str, args, expr, doc: str, printer, suffix: str) -> str:
    body = printer.doprint(_guard_square_roots(expr))
    arglist = ", ".join(str(a) for a in args)
    return f'def {name}{suffix}({arglist}):\n    """{doc}"""\n    return {body}\n'


def module_source() -> str:
    """The full text of complexity/_generated/kac_rice.py."""
    head = (
        '"""GENERATED by derivations/generate_kac_rice.py from complexity/symbolic -- do not edit.\n\n'
        "Every formula appears twice, printed from one sympy expression: a scalar ``math``\n"
        "version (numba-compilable) and an ``mpmath`` version (suffix ``_mp``) for high precision.\n"
        '"""\n\nimport math\n\nimport mpmath\n\n'
    )
    return print_module(head, formulas())


def print_module(head: str, table: dict) -> str:
    """A generated module: ``head``, then every formula of ``table`` (``name -> (args, expr,
    doc)``) printed twice, as a scalar ``math`` function and an ``mpmath`` one (``_mp``)."""
    parts = [head]
    math_printer = _MathPrinter({"fully_qualified_modules": True, "standard": "python3"})
    mp_printer = _MpPrinter({"fully_qualified_modules": True})
    for name, (args, expr, doc) in table.items():
        parts.append("\n" + _function(name, args, expr, doc, math_printer, ""))
        parts.append("\n" + _function(name, args, expr, doc, mp_printer, "_mp"))
    return "".join(parts)
