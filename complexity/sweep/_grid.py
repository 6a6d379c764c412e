"""Grid specifications: ``"linspace(a,b,n)"``, ``"logspace(a,b,n)"``, lists and single values.

A safe parser (a small tokenizer, no ``eval``).  Numbers become ``int`` (when written
without a point or exponent) or ``float``; bare words (``derived``, ``none``) become
strings, which the model's parameter checks then accept or refuse.
"""

from __future__ import annotations

import math
import re

import numpy as np

__all__ = ["parse_grid", "MAX_AXIS"]

#: the most values one axis may hold (a guard against a typo such as ``linspace(0,1,1e9)``)
MAX_AXIS = 1_000_000

_INT = re.compile(r"^[+-]?\d+$")
_FLOAT = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_WORD = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
_CALL = re.compile(r"^\s*(linspace|logspace)\s*\((.*)\)\s*$", re.DOTALL)


def _number(name: str, token: str, spec: str):
    t = token.strip()
    if _INT.match(t):
        return int(t)
    if _FLOAT.match(t):
        return float(t)
    raise ValueError(f"{name}: {t!r} is not a number in the grid {spec!r}")


def _value(name: str, token: str, spec: str):
    t = token.strip()
    if not t:
        raise ValueError(f"{name}: empty value in the grid {spec!r}")
    if _INT.match(t) or _FLOAT.match(t):
        return _number(name, t, spec)
    if len(t) >= 2 and t[0] == t[-1] and t[0] in "'\"" and t[0] not in t[1:-1]:
        return t[1:-1]
    if _WORD.match(t):
        return t
    raise ValueError(
        f"{name}: cannot read {t!r} in the grid {spec!r} "
        "(expected a number, a word, a list [v1,v2,...], linspace(a,b,n) or logspace(a,b,n))"
    )


def _spaced(name: str, func: str, args: str, spec: str) -> list[float]:
    parts = args.split(",")
    if len(parts) != 3:
        raise ValueError(f"{name}: {func} takes three arguments (a, b, n), got {spec!r}")
    a, b = (_number(name, x, spec) for x in parts[:2])
    n = _number(name, parts[2], spec)
    if not isinstance(n, int) or not 1 <= n <= MAX_AXIS:
        raise ValueError(f"{name}: the number of points n in {spec!r} must be an integer in [1, {MAX_AXIS}]")
    for v in (a, b):
        if not math.isfinite(v):
            raise ValueError(f"{name}: the end points in {spec!r} must be finite")
    if func == "logspace":
        if max(abs(a), abs(b)) > 300:
            raise ValueError(f"{name}: logspace exponents in {spec!r} must lie in [-300, 300]")
        values = np.logspace(a, b, n)  # base 10, like numpy: 10**a ... 10**b
    else:
        values = np.linspace(a, b, n)
    return [float(v) for v in values]


def parse_grid(name: str, spec) -> list:
    """The list of values of parameter ``name`` described by ``spec``.

    ``spec`` may be a string (``"linspace(0.05,0.95,50)"``, ``"logspace(-5,2,60)"``
    with base-10 exponents as :func:`numpy.logspace`, ``"[3,4,5]"``, ``"3,4,5"``,
    ``"0.5"``, ``"derived"``), a list/tuple/array of values, or one value.
    Malformed input raises ``ValueError`` naming the parameter.
    """
    if isinstance(spec, np.ndarray):
        spec = spec.tolist()
    if isinstance(spec, (list, tuple)):
        if not spec:
            raise ValueError(f"{name}: the grid is empty")
        if len(spec) > MAX_AXIS:
            raise ValueError(f"{name}: the grid has {len(spec)} values, more than {MAX_AXIS}")
        return [v.item() if isinstance(v, np.generic) else v for v in spec]
    if not isinstance(spec, str):
        return [spec.item() if isinstance(spec, np.generic) else spec]
    s = spec.strip()
    if not s:
        raise ValueError(f"{name}: the grid is empty")
    m = _CALL.match(s)
    if m:
        return _spaced(name, m.group(1), m.group(2), spec)
    if re.match(r"^[A-Za-z_]\w*\s*\(", s):
        raise ValueError(f"{name}: unknown grid function in {spec!r} (use linspace(a,b,n) or logspace(a,b,n))")
    if s.startswith("[") or s.endswith("]"):
        if not (s.startswith("[") and s.endswith("]")):
            raise ValueError(f"{name}: unbalanced brackets in the grid {spec!r}")
        s = s[1:-1].strip()
        if not s:
            raise ValueError(f"{name}: the grid {spec!r} is empty")
    if any(c in s for c in "[]()"):
        raise ValueError(f"{name}: cannot read the grid {spec!r} (nested brackets or parentheses)")
    values = [_value(name, tok, spec) for tok in s.split(",")]
    if len(values) > MAX_AXIS:
        raise ValueError(f"{name}: the grid has {len(values)} values, more than {MAX_AXIS}")
    return values
