"""Input checks shared by the whole package.

Every public entry point refuses bad input early with a ``ValueError`` whose
message names the parameter and the allowed range.  No function of the
package returns a silent NaN.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

__all__ = ["check_int", "check_real", "check_mp_real", "check_array", "check_p"]


def check_int(name: str, value, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """Return ``value`` as an ``int`` or raise ``ValueError`` naming ``name``."""
    rng = _range_text(minimum, maximum, integer=True)
    if isinstance(value, bool) or not isinstance(value, (numbers.Integral, float, np.floating)):
        raise ValueError(f"{name} must be an integer{rng}, got {value!r}")
    if isinstance(value, (float, np.floating)):
        if not math.isfinite(value) or value != int(value):
            raise ValueError(f"{name} must be an integer{rng}, got {value!r}")
    v = int(value)
    if (minimum is not None and v < minimum) or (maximum is not None and v > maximum):
        raise ValueError(f"{name} must be an integer{rng}, got {v}")
    return v


def check_real(
    name: str,
    value,
    *,
    lower: float | None = None,
    upper: float | None = None,
    lower_open: bool = False,
    upper_open: bool = False,
) -> float:
    """Return ``value`` as a finite ``float`` in the given range, else raise ``ValueError``."""
    rng = _range_text(lower, upper, lower_open=lower_open, upper_open=upper_open)
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a finite real number{rng}, got {value!r}") from None
    if not math.isfinite(v):
        raise ValueError(f"{name} must be a finite real number{rng}, got {value!r}")
    if lower is not None and (v < lower or (lower_open and v == lower)):
        raise ValueError(f"{name} must be a finite real number{rng}, got {v!r}")
    if upper is not None and (v > upper or (upper_open and v == upper)):
        raise ValueError(f"{name} must be a finite real number{rng}, got {v!r}")
    return v


def check_mp_real(name: str, value):
    """``value`` as a finite ``mpmath.mpf`` (floats, ints, strings or mpf), else ``ValueError``."""
    import mpmath

    if isinstance(value, (str, mpmath.mpf)):
        try:
            v = mpmath.mpf(value)
        except (TypeError, ValueError):
            raise ValueError(f"{name} must be a finite real number, got {value!r}") from None
        if not mpmath.isfinite(v):
            raise ValueError(f"{name} must be a finite real number, got {value!r}")
        return v
    return mpmath.mpf(check_real(name, value))


def check_array(name: str, value, *, lower: float | None = None, upper: float | None = None) -> np.ndarray:
    """Return ``value`` as a float array whose entries are all finite (and in range)."""
    try:
        a = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be real numbers, got {value!r}") from None
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} must be finite real numbers (no NaN or inf)")
    if lower is not None and np.any(a < lower):
        raise ValueError(f"{name} must be >= {lower}, got min {a.min()!r}")
    if upper is not None and np.any(a > upper):
        raise ValueError(f"{name} must be <= {upper}, got max {a.max()!r}")
    return a


def check_p(p, name: str = "p") -> int:
    """The interaction order of a pure spherical spin glass: an integer >= 2."""
    return check_int(name, p, minimum=2)


def _range_text(lo, hi, *, integer=False, lower_open=False, upper_open=False) -> str:
    if lo is None and hi is None:
        return ""
    if hi is None:
        return f" {'>' if lower_open else '>='} {lo}"
    if lo is None:
        return f" {'<' if upper_open else '<='} {hi}"
    left = "(" if lower_open else "["
    right = ")" if upper_open else "]"
    return f" in {left}{lo}, {hi}{right}"
