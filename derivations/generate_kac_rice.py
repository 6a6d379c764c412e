"""Write complexity/_generated/kac_rice.py from the sympy derivation.

    python derivations/generate_kac_rice.py          # rewrite the generated module
    python derivations/generate_kac_rice.py --check  # exit 1 if the committed file is stale

The printed code is the numeric layer's only source for these formulas; it is
committed (reviewable, cacheable by numba), never built by lambdify at import.
"""

import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from complexity.symbolic.codegen import GENERATED_PATH, module_source  # noqa: E402


def main() -> int:
    text = module_source()
    target = ROOT / GENERATED_PATH
    if "--check" in sys.argv:
        same = target.exists() and target.read_text() == text
        print(f"{GENERATED_PATH}: {'up to date' if same else 'STALE: rerun derivations/generate_kac_rice.py'}")
        return 0 if same else 1
    target.write_text(text)
    print(f"wrote {GENERATED_PATH} ({len(text.splitlines())} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
