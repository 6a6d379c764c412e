"""``complexity verify``: run every derivation check and print a pass/fail table."""

from __future__ import annotations

import json


def register(sub):
    p = sub.add_parser("verify", help="run every derivation check; print pass/fail with residuals")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=run)


def run(args):
    from complexity.symbolic.checks import all_checks

    checks = all_checks()
    failed = [c for c in checks if not c.passed]
    if args.json:
        print(
            json.dumps(
                {
                    "passed": len(checks) - len(failed),
                    "failed": len(failed),
                    "checks": [
                        {"name": c.name, "passed": c.passed, "residual": c.residual if c.residual == c.residual else None,
                         "detail": c.detail}
                        for c in checks
                    ],
                }
            )
        )
    else:
        width = max(len(c.name) for c in checks)
        print(f"{'check':{width}s}  result  residual")
        for c in checks:
            print(f"{c.name:{width}s}  {'pass' if c.passed else 'FAIL'}    {c.residual:.2e}  {c.detail}")
        print(f"{len(checks) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0
