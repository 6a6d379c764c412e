r"""Kac-Rice complexity with an arbitrary Hessian spectrum, derived with sympy.

The Gaussian structure is that of the isotropic field of :mod:`complexity.symbolic.kac_rice`
(covariance ``N xi(R)``): the field value ``U = H/N``, the tangent gradient (iid
``N(0, xi')``, independent of the rest) and the radial term ``Y = s.grad H / N`` keep their
laws, and so does the prefactor ``K_N`` with its rate ``1/2 + log(2 xi''/xi')/2``.  What
changes is the determinant: at a critical point the Riemannian Hessian is
``sqrt(2 xi'') (M - t)``, ``t = Y / sqrt(2 xi'')``, and the Kac-Rice integrand carries
``E|det(M - t)| = exp(N Phi(t) + o(N))``.  For the GOE (abc scale) ``Phi`` is the
semicircle's log-potential.  The general template replaces it by an undefined function
``Phi_mu``, the log-potential of a measure ``mu`` **standardised to mean 0 and variance 1/2**
(the abc GOE's two first moments, so that the semicircle is the special case
``mu = mu_sc`` with nothing else rescaled).  This replacement is a *model*: for a Gaussian
field the Hessian law is fixed by the covariance and is the GOE; an arbitrary ``mu`` stands
for a landscape whose Hessians have that spectrum (docs/kacrice.md).

Everything below is built from :class:`complexity.symbolic.kac_rice.SphericalField`:

* pure p-spin (``xi = R^p``): ``S_mu(u) = rate - u^2/(2 xi) + Phi_mu(s u)``, ``s = (xi'/xi)/sqrt(2 xi'')``,
  i.e. ``1/2 + log(2(p-1))/2 - u^2/2 + Phi_mu(t)``, ``t = u sqrt(p/(2(p-1)))``;
* mixed (any ``xi``): ``S_mu(u, y) = rate - u^2/(2 xi) - (y - u xi'/xi)^2/(2 alpha^2) + Phi_mu(y/sqrt(2 xi''))``;
* thresholds: ``E_inf = -a/s`` with ``a`` the left edge of the standardised ``mu`` (pure),
  and for a mixture the energy at which the stationary ``y`` reaches ``t = a``
  (``Phi_mu'(a) = Re m_mu(a)``);
* index layers: ``S_mu - k J`` with ``J`` the large-deviation rate of the smallest eigenvalue;
  for an invariant ensemble ``prod|l_i - l_j|^beta exp(-(beta N/2) sum V(l_i))`` with
  ``beta = 1``: ``J(x) = (V(x) - V(a))/2 - (Phi(x) - Phi(a))`` for ``x < a``.

:func:`formulas` lists what :mod:`derivations.general_kac_rice` prints into
``complexity/_generated/kac_rice_general.py``.
"""

from __future__ import annotations

import sympy as sp

from complexity.symbolic.kac_rice import XI, R, SphericalField, generic_xi

__all__ = [
    "PHI",
    "pure_exponent",
    "pure_eigen_scale",
    "pure_e_inf",
    "mixed_exponent",
    "mixed_e_inf",
    "invariant_edge_rate",
    "index_exponent",
    "formulas",
]

#: the log-potential of the standardised measure, an undefined function
PHI = sp.Function("Phi_mu")

u, t, y = sp.symbols("u t y", real=True)
p = sp.Symbol("p", positive=True)
k = sp.Symbol("k", nonnegative=True)
a = sp.Symbol("a", real=True)  # left edge of the standardised measure
phi = sp.Symbol("phi", real=True)  # a value Phi_mu(t)
re_m = sp.Symbol("re_m", real=True)  # a value Phi_mu'(t) = Re m_mu(t)
m_a = sp.Symbol("m_a", real=True)  # Re m_mu at the left edge
v_x, v_a, phi_x, phi_a, j = sp.symbols("v_x v_a phi_x phi_a j", real=True)
xi0, xi1, xi2 = XI[:3]


def pure_eigen_scale(field: SphericalField | None = None):
    """``s`` with ``t = s u`` (pure model: ``Y = (xi'/xi) U`` exactly): ``(xi'/xi)/sqrt(2 xi'')``."""
    return (field or SphericalField(R**p)).eigenvalue_scale()


def pure_exponent(u_, field: SphericalField | None = None, log_potential=PHI):
    """``S_mu(u) = rate - u^2/(2 xi) + Phi_mu(s u)``: the SphericalField's Gaussian part and
    prefactor rate with the semicircle replaced by ``log_potential`` (default: ``Phi_mu``)."""
    field = field or SphericalField(R**p)
    d = field.derivatives()
    return field.prefactor_rate() - u_**2 / (2 * d["xi0"]) + log_potential(pure_eigen_scale(field) * u_)


def pure_e_inf(edge=a, field: SphericalField | None = None):
    """``E_inf = -a / s``: the energy at which ``t = s u`` reaches the left edge ``a`` (< 0)."""
    return sp.simplify(-edge / pure_eigen_scale(field))


def mixed_exponent(u_, y_, field: SphericalField | None = None, log_potential=PHI):
    """``S_mu(u, y)`` for any ``xi`` (alpha^2 > 0): the field's Gaussian rate of ``(U, Y)`` and
    prefactor rate, with ``Phi_mu(y / sqrt(2 xi''))``."""
    field = field or SphericalField(generic_xi())
    d = field.derivatives()
    alpha2 = field.conditional_law()["alpha2"]
    gauss = -(u_**2) / (2 * d["xi0"]) - (y_ - u_ * d["xi1"] / d["xi0"]) ** 2 / (2 * alpha2)
    return field.prefactor_rate() + gauss + log_potential(y_ / sp.sqrt(2 * d["xi2"]))


def mixed_e_inf(field: SphericalField | None = None, edge=a, edge_slope=m_a):
    """``-u`` at which the stationary point of ``S_mu(u, .)`` sits at ``t = a``:
    ``dS/dy = -(y - u xi'/xi)/alpha^2 + Phi_mu'(t)/sqrt(2 xi'') = 0`` at ``y = a sqrt(2 xi'')``,
    ``Phi_mu'(a) = m_a`` (Re m at the edge)."""
    field = field or SphericalField(generic_xi())
    d = field.derivatives()
    alpha2 = field.conditional_law()["alpha2"]
    c2 = sp.sqrt(2 * d["xi2"])
    uu = sp.Symbol("uu", real=True)
    stationarity = -(edge * c2 - uu * d["xi1"] / d["xi0"]) / alpha2 + edge_slope / c2
    (sol,) = sp.solve(sp.Eq(stationarity, 0), uu)
    return sp.simplify(-sol)


def invariant_edge_rate(potential, log_potential, x, edge):
    """``J(x) = (V(x) - V(a))/2 - (Phi(x) - Phi(a))`` (beta = 1): the cost, at speed N, of one
    eigenvalue at ``x`` below the edge ``a`` of an invariant ensemble with potential V
    (the effective potential ``V - 2 Phi``, halved, relative to its value at the edge)."""
    return (potential(x) - potential(edge)) / 2 - (log_potential(x) - log_potential(edge))


def index_exponent(u_, k_, rate, field: SphericalField | None = None, log_potential=PHI):
    """``S_mu(u) - k J(t)``: the exponent of index-k critical points at energy u (pure model),
    ``rate`` a function of t (the smallest-eigenvalue rate of the ensemble)."""
    return pure_exponent(u_, field, log_potential) - k_ * rate(pure_eigen_scale(field) * u_)


def formulas() -> dict:
    """name -> (arguments, expression, docstring) for the generated module; ``Phi_mu(t)`` is
    passed in as its value ``phi`` (and ``Phi_mu'`` as ``re_m``)."""
    pure = SphericalField(R**p)
    s = pure_eigen_scale(pure)
    s_pure = pure_exponent(u, pure)
    s_value = s_pure.subs(PHI(s * u), phi)
    slope = sp.diff(s_pure, u).subs(sp.Subs(sp.Derivative(PHI(t), t), t, s * u), re_m).doit()
    slope = slope.subs(sp.Derivative(PHI(s * u), u), s * re_m)
    slope = sp.expand(slope.replace(lambda e: isinstance(e, sp.Subs), lambda e: re_m))
    generic = SphericalField(generic_xi())
    c2 = sp.sqrt(2 * xi2)
    m_value = mixed_exponent(u, y, generic).subs(PHI(y / c2), phi)
    u_hat = sp.solve(sp.diff(m_value, u), u)[0]  # argmax over u of the Gaussian at fixed y
    return {
        "kr_eigen_scale": ((p,), s, "s with t = s u: sqrt(p/(2(p-1))) (pure p-spin, abc scale)."),
        "kr_pure_exponent": ((u, p, phi), s_value,
                             "S_mu(u) = 1/2 + log(2(p-1))/2 - u^2/2 + phi, phi = Phi_mu(s u) (pure p-spin)."),
        "kr_pure_exponent_du": ((u, p, re_m), slope,
                                "dS_mu/du = -u + s re_m, re_m = Re m_mu(s u) = Phi_mu'(s u)."),
        "kr_e_inf": ((a, p), pure_e_inf(a, pure), "E_inf = -a/s = |a| sqrt(2(p-1)/p), a < 0 the left edge."),
        "kr_mixed_exponent": ((u, y, xi0, xi1, xi2, phi), m_value,
                              "S_mu(u, y) for a mixture, phi = Phi_mu(y/sqrt(2 xi''))."),
        "kr_mixed_u_hat": ((y, xi0, xi1, xi2), sp.simplify(u_hat),
                           "argmax over u of S_mu(u, y) at fixed y: E[U | Y = y] = y xi'/(xi' + xi'')."),
        "kr_mixed_t": ((y, xi2), y / c2, "t = y / sqrt(2 xi'')."),
        "kr_mixed_e_inf": ((a, m_a, xi0, xi1, xi2), mixed_e_inf(generic),
                           "-u at which the stationary y of S_mu(u, .) reaches t = a (m_a = Re m_mu(a))."),
        "kr_invariant_edge_rate": ((v_x, v_a, phi_x, phi_a),
                                   invariant_edge_rate(lambda z: {t: v_x, a: v_a}[z], lambda z: {t: phi_x, a: phi_a}[z], t, a),
                                   "J(x) = (V(x) - V(a))/2 - (Phi(x) - Phi(a)) (beta = 1 invariant ensemble)."),
        "kr_index_exponent": ((u, p, k, phi, j), s_value - k * j, "S_mu(u) - k J, j = J(s u)."),
    }


#: where :func:`module_source` is committed
GENERATED_PATH = "complexity/_generated/kac_rice_general.py"


def module_source() -> str:
    """The full text of complexity/_generated/kac_rice_general.py (same printers as
    :mod:`complexity.symbolic.codegen`: a ``math`` and an ``mpmath`` twin of each formula)."""
    from complexity.symbolic.codegen import print_module

    head = (
        '"""GENERATED by derivations/general_kac_rice.py from complexity/symbolic/kac_rice_general.py'
        " -- do not edit.\n\n"
        "Kac-Rice complexity for a Hessian spectrum mu (standardised: mean 0, variance 1/2): the\n"
        "Gaussian parts; the spectral inputs (phi = Phi_mu(t), re_m = Re m_mu(t), the edge a) are arguments.\n"
        "Every formula appears twice: a scalar ``math`` version (numba-compilable) and an ``mpmath``\n"
        'version (suffix ``_mp``).\n"""\n\nimport math\n\nimport mpmath\n\n'
    )
    return print_module(head, formulas())
