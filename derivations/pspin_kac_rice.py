"""Kac-Rice for the pure spherical p-spin, derived from its covariance N R^p.

    python derivations/pspin_kac_rice.py

Prints each step of the derivation (complexity.symbolic.kac_rice) and then the
checks that it reproduces Auffinger-Ben Arous-Cerny (2013) exactly: the finite-N
formula with its constant 2 sqrt(2/p) (p-1)^{N/2}, and Theta_p, Theta_{k,p}.
"""

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

import sympy as sp  # noqa: E402

from complexity.symbolic.checks import pure_pspin_checks, print_report  # noqa: E402
from complexity.symbolic.kac_rice import R, SphericalField  # noqa: E402


def show(title, value):
    print(f"  {title}:")
    print("     ", sp.sstr(value))


def main():
    p = sp.Symbol("p", positive=True)
    u = sp.Symbol("u", real=True)
    field = SphericalField(R**p)
    print("Model: H on S^{N-1}(sqrt N), E[H(s)H(s')] = N (s.s'/N)^p\n")
    print("Step 1. Covariances of Euclidean derivatives at s0 = sqrt(N) e3 (tangent e1, e2):")
    cov = field.euclidean_covariance()
    for key in [("H", "H"), ("g1", "g1"), ("d3", "d3"), ("H", "d3"), ("h12", "h12"), ("h11", "h11"), ("h11", "h22"), ("H", "h11")]:
        show(f"Cov{key}", cov[key])
    print("\nStep 2. Chart s(th) = (th1, th2, sqrt(N - |th|^2)): second derivatives at th = 0:")
    sp.pprint(field.chart_hessian())
    print("  => Riemannian Hessian = h - Y I, Y = s.grad H / N = d_3 H / sqrt N")
    print("\nStep 3. Hessian law:", field.hessian_law())
    print("\nStep 4. Conditional law of Y given U = H/N = u:", field.conditional_law())
    print("\nStep 5. Kac-Rice prefactor K_N and its rate:")
    show("K_N", field.kac_rice_prefactor())
    show("lim (1/N) log K_N", field.prefactor_rate())
    print("  With E|det(M_{N-1} - t)| = (Z_N/Z_{N-1}) e^{N t^2/2} rho_N(t) (add t as an N-th eigenvalue),")
    print("  t = s u, s =", field.eigenvalue_scale(), ", the finite-N formula becomes ABC's.")
    print("\nStep 6. The complexity exponent (bulk piece):")
    show("Theta_p(u), |s u| <= sqrt 2", sp.simplify(field.pure_exponent(u, "bulk")))
    print("\nChecks:")
    return 0 if print_report(pure_pspin_checks()) else 1


if __name__ == "__main__":
    sys.exit(main())
