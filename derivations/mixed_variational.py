"""The mixed spherical spin glass: Auffinger-Ben Arous's one-dimensional variational formula.

    python derivations/mixed_variational.py

Derives, for a generic covariance xi (its Taylor data xi0 = xi(1), xi1 = xi'(1),
xi2 = xi''(1)), the joint law of (U, Y) = (H/N, s.grad H/N), the exponent
S(u, y) = 1/2 + log(2 xi2/xi1)/2 - u^2/(2 xi0) - (y - u xi1/xi0)^2/(2 alpha^2) + Phi(y/sqrt(2 xi2)),
Theta(u) = sup_{u' <= u} sup_y S(u', y), and checks that the pure model comes out exactly.
"""

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

import sympy as sp  # noqa: E402

from complexity.symbolic.checks import mixed_checks, print_report  # noqa: E402
from complexity.symbolic.kac_rice import SphericalField, generic_xi  # noqa: E402


def main():
    u, y = sp.symbols("u y", real=True)
    field = SphericalField(generic_xi())
    law = field.conditional_law()
    print("Generic isotropic field on S^{N-1}(sqrt N), covariance N xi(R)\n")
    for key in ("var_U", "cov_UY", "var_Y", "mean_Y_given_u", "alpha2", "gradient_variance"):
        print(f"  {key} = {sp.sstr(law[key])}")
    print(f"  Hessian = sqrt(2 xi2) GOE_(N-1) - Y I;  scale = {field.hessian_law()['scale']}")
    print(f"  rate of the prefactor = {field.prefactor_rate()}")
    print(f"  Gaussian rate of (u, y) = {sp.simplify(field.gaussian_rate(u, y))}")
    print(f"  S(u, y) = {sp.sstr(field.exponent(u, y, 'bulk'))}   (bulk piece)")
    print(f"  E_inf (maximiser reaches t = -sqrt 2) = {field.mixed_e_inf()}")
    print("\nChecks:")
    return 0 if print_report(mixed_checks()) else 1


if __name__ == "__main__":
    sys.exit(main())
