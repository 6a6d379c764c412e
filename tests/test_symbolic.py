"""The derivation checks (also run by ``complexity verify``) all pass, and can fail."""

import pytest
import sympy as sp

from complexity.symbolic import checks
from complexity.symbolic.kac_rice import R, SphericalField


@pytest.fixture(scope="module")
def results():
    return checks.all_checks()


#: every derivation check, by name: a check that disappears (or a new one) is a visible change
EXPECTED_CHECKS = [
    'pure: Var H = N',
    'pure: Var grad_i H = p',
    'pure: Hessian off-diagonal variance p(p-1)/N',
    'pure: Hessian diagonal variance 2p(p-1)/N',
    'pure: Hessian independent of H, gradient, radial term',
    'chart: SphericalField.chart_hessian = h - (d_3 H / sqrt N) I (generic cubic)',
    'pure: alpha^2 = 0 (radial term deterministic, Y = pU)',
    'pure: E[Y | U = u] = p u',
    "pure: finite-N constant = ABC's 2 sqrt(2/p)(p-1)^{N/2} (times N)",
    'pure: Gaussian weight e^{-N u^2/2} e^{N t^2/2} = e^{-N (p-2)/(2p) t^2}',
    'pure: lim (1/N) log K_N = 1/2 + log(2(p-1))/2',
    'pure: s E_inf = sqrt 2 (bulk edge)',
    'pure: Theta_p on [-E_inf, 0] = ABC',
    'pure: Theta_{k,p}(u >= -E_inf) = log(p-1)/2 - (p-2)/p',
    'pure: I_1(u) = J(s u) for u < -E_inf',
    'pure: Theta_p(u < -E_inf) = ABC (with -I_1)',
    'pure: Theta_{k,p}(u < -E_inf) = ABC (with -(k+1) I_1)',
    "mixed: alpha^2 = xi'' + xi' - xi'^2/xi",
    "mixed: Gaussian rate = -u^2/(2xi) - (y - u xi'/xi)^2/(2 alpha^2)",
    "mixed: lim (1/N) log K_N = 1/2 + log(2 xi''/xi')/2",
    "mixed -> pure: S(u, u xi'/xi) = Theta_p (bulk)",
    'mixed E_inf -> pure 2 sqrt((p-1)/p)',
    'gan: Var l_D = N_D',
    'gan: Var l_G = N',
    'gan: R_D + R_G = P l_G (Euler on the joined vector)',
    'gan: Var grad_D l_D = p',
    'gan: Var grad_D l_G = Var grad_G l_G = P',
    'gan: grad_D l_G and grad_G l_G uncorrelated',
    'gan: Hessian of l_G on the joined tangent space = sqrt(2P(P-1)) GOE_{N-2} (DD, GG, DG blocks)',
    'gan: Hessian of l_D = sqrt(2p(p-1)) GOE_{N_D-1} normalised by N_D',
    'gan: Hessians independent of losses, radial terms and gradients',
    'gan: Var(R_G/N | l_G) = P kappa (1-kappa) / N > 0 (an extra Gaussian in the shifts)',
    'gan: Gaussian rate is strictly concave in v for every kappa in (0, 1)',
    'gan: v_star is the stationary point',
    'gan: negating the D block-row makes the game Jacobian symmetric (off-diagonal blocks)',
    'gan: radius of Hess_D L^D = E_D = sqrt(2(kappa b^2 + b1^2))',
    'gan: radius of Hess_G L^G = E_G = sqrt(2(1-kappa)) b',
    'GOE: Phi closed form = int log|x-l| rho_sc (quadrature, 40 digits)',
    'GOE: J(x) = int_{sqrt2}^{|x|} sqrt(y^2-2) dy (quadrature)',
    'GOE: Mehta normaliser Z_n (n = 2, 3) = quadrature',
    'codegen: committed complexity/_generated/kac_rice.py = printed from the symbols',
    "general: S_mu, mu = semicircle (bulk) = ABC's Theta_p on [-E_inf, 0]",
    "general: E_inf at the semicircle's edge -sqrt2 = 2 sqrt((p-1)/p)",
    'general: generated S_mu(u) = template with Phi_mu(s u) -> phi',
    'general: dS_mu/du = -u + s Re m_mu(s u)',
    "general: S_mu - k J, mu = semicircle, J = GOE rate = ABC's Theta_{k,p} (u < -E_inf, k = 0, 1, 4)",
    'general: mixed S_mu(u, y), mu = semicircle (bulk) = SphericalField.exponent',
    'general: mixed S_mu(u, y), mu = semicircle (outside) = SphericalField.exponent',
    "general: mixed E_inf at a = m_a = -sqrt2 (semicircle) = the mixed model's",
    'general: mixed E_inf -> pure -a/s (m_a drops out)',
    "general: mixed S_mu(u, u xi'/xi) -> pure S_mu(u) (same phi)",
    "general: pure t = y/sqrt(2 xi'') at y = p u is s u",
    'general: argmax_u S_mu(u, y) = E[U | Y = y] = Cov(U, Y) y / Var Y',
    'general: invariant J with V = 2x^2/R^2 = GOE edge rate J_R (x < -R)',
    "general: Laguerre V'/2 = Re m_MP = (x + c - 1)/(2 c x) on the support (equilibrium)",
    'codegen: committed complexity/_generated/kac_rice_general.py = printed from the symbols',
]


def test_every_derivation_check_passes(results):
    failed = [f"{c.name}: residual {c.residual} {c.detail}" for c in results if not c.passed]
    assert not failed, "\n".join(failed)
    assert [c.name for c in results] == EXPECTED_CHECKS


def test_chart_check_exercises_the_package_chart_hessian(monkeypatch):
    # a chart Hessian that forgets the radial term must fail the check
    from complexity.symbolic.kac_rice import SphericalField as F

    real = F.chart_hessian

    def broken():
        h = real()
        return h + sp.eye(2) * sp.Symbol("c_radial_forgotten")

    monkeypatch.setattr(F, "chart_hessian", staticmethod(broken))
    assert not checks._chart_check().passed


def test_checks_can_fail():
    assert not checks._symbolic("wrong on purpose", sp.log(sp.Symbol("p", positive=True)) - 1).passed
    assert not checks._numeric("wrong on purpose", lambda x: x, [(1e-30,)]).passed


def test_stale_generated_module_is_detected(monkeypatch):
    import complexity.symbolic.codegen as codegen

    monkeypatch.setattr(codegen, "module_source", lambda: "# something else\n")
    (c,) = checks.generated_module_check()
    assert not c.passed


def test_mixture_conditional_law_values():
    # xi = R^2/2 + R^3/2: xi = 1, xi' = 5/2, xi'' = 4, alpha^2 = 4 + 5/2 - 25/4 = 1/4
    f = SphericalField(R**2 / 2 + R**3 / 2)
    law = f.conditional_law()
    assert sp.simplify(law["alpha2"] - sp.Rational(1, 4)) == 0
    assert law["gradient_independent"]
