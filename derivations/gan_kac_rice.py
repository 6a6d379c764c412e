"""Kac-Rice for the coupled (GAN) spherical spin glass, derived from its two covariances.

    python derivations/gan_kac_rice.py

Prints the covariances at a point of the product of spheres, the law of the scalars
(l_D, l_G, R_G)/N, the symmetric Hessian ensemble, the prefactor's rate, and the
closed-form supremum over v = l_G/N at fixed (x, x1); then the checks (docs/gan_model.md).
"""

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

import sympy as sp  # noqa: E402

from complexity.symbolic import gan  # noqa: E402
from complexity.symbolic.checks import gan_checks, print_report  # noqa: E402


def main():
    c = gan.covariances()
    print("Covariances at w_D = sqrt(N_D) e3, w_G = sqrt(N_G) f3:")
    for key in [("lD", "lD"), ("lG", "lG"), ("RG", "RG"), ("lG", "RG"), ("gD1", "gD1"), ("gGD1", "gGD1"),
                ("gGG1", "gGG1"), ("hDD12", "hDD12"), ("hDG11", "hDG11"), ("kD12", "kD12")]:
        print(f"  Cov{key} = {sp.sstr(c[key])}")
    law = gan.scalar_law()
    print("\nN x covariance of (a, v, r) = (l_D, l_G, R_G)/N:")
    sp.pprint(law["N_cov"])
    print("\nGaussian rate:", sp.sstr(law["rate"]))
    print("\nPrefactor rate:", sp.sstr(gan.prefactor_rate()))
    pieces = gan.exponent_pieces()
    print("\nH = b M + b1 (M1 + 0) - x1 (I_D + 0) - x I with b =", pieces["b"], " b1 =", pieces["b1"])
    print("a(x, x1, v) =", sp.sstr(pieces["a_of"]))
    print("v* =", sp.sstr(pieces["v_star"]))
    print("cuts: v <=", sp.sstr(pieces["v_max_g"]), " and v <=", sp.sstr(pieces["v_max_d"]))
    print("\nChecks:")
    return 0 if print_report(gan_checks()) else 1


if __name__ == "__main__":
    sys.exit(main())
