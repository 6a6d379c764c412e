"""The derivation checks (also run by ``complexity verify``) all pass, and can fail."""

import pytest
import sympy as sp

from complexity.symbolic import checks
from complexity.symbolic.kac_rice import R, SphericalField


@pytest.fixture(scope="module")
def results():
    return checks.all_checks()


def test_every_derivation_check_passes(results):
    failed = [f"{c.name}: residual {c.residual} {c.detail}" for c in results if not c.passed]
    assert not failed, "\n".join(failed)
    assert len(results) >= 25


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
