"""Kac-Rice complexity with an arbitrary Hessian spectrum: print the derivation, check it,
and write complexity/_generated/kac_rice_general.py.

    python derivations/general_kac_rice.py          # show, check, rewrite the generated module
    python derivations/general_kac_rice.py --check  # exit 1 if the committed file is stale

The template (complexity.symbolic.kac_rice_general) keeps the Gaussian structure of the
isotropic field N xi(R) and replaces the semicircle's log-potential by Phi_mu, mu
standardised to mean 0 and variance 1/2; the checks show that mu = semicircle gives back the
p-spin and mixed formulas symbol for symbol.
"""

import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import sympy as sp  # noqa: E402

from complexity.symbolic import kac_rice_general as K  # noqa: E402
from complexity.symbolic.checks import general_kac_rice_checks, print_report  # noqa: E402


def main() -> int:
    text = K.module_source()
    target = ROOT / K.GENERATED_PATH
    if "--check" in sys.argv:
        same = target.exists() and target.read_text() == text
        print(f"{K.GENERATED_PATH}: {'up to date' if same else 'STALE: rerun derivations/general_kac_rice.py'}")
        return 0 if same else 1
    print("Pure p-spin, Hessian spectrum mu (mean 0, variance 1/2):")
    print("  S_mu(u) =", sp.sstr(K.pure_exponent(K.u)))
    print("  E_inf   =", sp.sstr(K.pure_e_inf()))
    print("Mixed xi:")
    print("  S_mu(u, y) =", sp.sstr(K.mixed_exponent(K.u, K.y)))
    print("  E_inf      =", sp.sstr(K.mixed_e_inf()))
    print("Checks:")
    ok = print_report(general_kac_rice_checks())
    target.write_text(text)
    print(f"wrote {K.GENERATED_PATH} ({len(text.splitlines())} lines)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
