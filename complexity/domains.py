"""The input domains of the commands, in one place, with the reason for each bound.

Two kinds of bound (docs/reliability.md has the tables):

* **numerical range**: beyond it a double or a solver cannot represent or resolve the
  answer; the input is refused with a ``ValueError`` that names the parameter, the allowed
  range and why (the models check these at the entry of their public functions; the block
  random-matrix checks live here, :func:`check_block`, for ``complexity.rmt.block``);
* **work budget**: sizes and counts whose estimated run time exceeds
  :data:`WORK_BUDGET_SECONDS` (or whose memory exceeds the machine's) are refused up front by
  the command line unless ``--allow-large`` is given (:func:`check_budget`).

:func:`check_command` is called by :func:`complexity.cli.main` before a command runs.  The
run-time estimates are rough (an idle core of a 2020s machine, measured with the commands
in docs/reliability.md); they only separate "seconds" from "hours".
"""

from __future__ import annotations

import math
import os

from complexity._validate import check_real

__all__ = [
    "WORK_BUDGET_SECONDS",
    "check_budget",
    "check_block",
    "parse_points",
    "check_command",
    "pspin_thresholds_seconds",
    "pspin_count_seconds",
    "pspin_enumerate_seconds",
    "gan_count_seconds",
    "BLOCK_X1_RATIO_MAX",
    "BLOCK_SCALE_RANGE",
    "BLOCK_POINT_MAX",
]

#: estimated run time (seconds) above which a command asks for ``--allow-large``
WORK_BUDGET_SECONDS = 300.0
#: memory (bytes) above which a command asks for ``--allow-large`` (half the machine's)
try:
    WORK_BUDGET_BYTES = 0.5 * os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
except (ValueError, OSError, AttributeError):  # pragma: no cover - not POSIX
    WORK_BUDGET_BYTES = 4e9

#: block ensemble b M + b1 (M1 + 0) - x1 (I_D + 0): |x1| at most this many spectral widths.
#: Beyond it the two pieces of the support are further apart than the support scan resolves
#: (the support search runs for minutes at |x1| = 1e5 b), and the density there is that of
#: two decoupled semicircles to relative accuracy (width/x1)^2 < 1e-12.
BLOCK_X1_RATIO_MAX = 1e4
#: b and b1 / sqrt(kappa) within this range (the variances b^2/2 neither under- nor
#: overflow, and the Dyson solver's tolerances, relative to the spectral width, hold)
BLOCK_SCALE_RANGE = (1e-100, 1e100)
#: the smaller of b and b1/sqrt(kappa) (when b1 > 0) at least this fraction of the larger:
#: a narrower block's cluster is below the solver's resolution of the spectrum
BLOCK_RATIO_MIN = 1e-6
#: evaluation points |x| at most this many spectral widths from the origin (the log-potential
#: is log|x| + O(w^2/x^2) beyond; 1e100 keeps x^2 times any coefficient a finite double)
BLOCK_POINT_MAX = 1e100


def check_budget(what: str, seconds: float, allow_large: bool, *, bytes_: float = 0.0, hint: str = "") -> None:
    """Refuse (``ValueError``) a job estimated above the time or memory budget, unless ``allow_large``."""
    if allow_large:
        return
    if bytes_ > WORK_BUDGET_BYTES:
        raise ValueError(f"{what}: needs about {bytes_ / 1e9:.3g} GB of memory, more than the budget "
                         f"{WORK_BUDGET_BYTES / 1e9:.3g} GB (half this machine's){hint}; pass --allow-large to try anyway")
    if seconds > WORK_BUDGET_SECONDS:
        raise ValueError(f"{what}: estimated {_duration(seconds)}, more than the budget of "
                         f"{WORK_BUDGET_SECONDS:g} s{hint}; pass --allow-large to run it anyway")


def _duration(s: float) -> str:
    if s < 120:
        return f"{s:.0f} s"
    if s < 7200:
        return f"{s / 60:.0f} min"
    if s < 172800:
        return f"{s / 3600:.0f} h"
    return f"{s / 86400:.3g} days"


# ----------------------------------------------------------------------------- run-time estimates
def pspin_thresholds_seconds(kmax: int, digits: int) -> float:
    """``pspin thresholds``: one mpmath root per index, ~0.01 s + 1.5e-6 digits^1.7 s each."""
    return (kmax + 1) * (0.01 + 1.5e-6 * float(digits) ** 1.7)


def pspin_count_seconds(n: int, k, samples: int) -> float:
    """``pspin count``: exact quadrature ~2.5e-6 N^2 s (totals; N <= 3 index-resolved), Monte
    Carlo ~1e-7 samples N^2 s (index-resolved, N >= 4)."""
    if k is None or n <= 3:
        return 2.5e-6 * float(n) ** 2
    return 1e-7 * float(samples) * float(n) ** 2


def pspin_count_bytes(n: int, k, samples: int) -> float:
    """Memory of ``pspin count``: the quadrature nodes (~30 N doubles, a few arrays), the
    Monte Carlo batch (>= one N-vector of eigenvalues and its draws)."""
    return 8.0 * 30 * n * 6 if (k is None or n <= 3) else 8.0 * 8 * n


def pspin_enumerate_seconds(n: int, samples: int) -> float:
    """``pspin enumerate``: Newton from doubling rounds of starts, ~0.05 * 2.2^(N-3) s per instance."""
    return float(samples) * 0.05 * 2.2 ** max(0, n - 3)


def gan_count_seconds(n_d: int, n_g: int, samples: int, kac_rice_samples: int) -> float:
    """``gan count``: direct counting ~0.1 * 2.2^(N-4) s per instance plus the Kac-Rice Monte
    Carlo ~2e-6 N^2 s per draw (N = N_D + N_G)."""
    n = n_d + n_g
    return float(samples) * 0.1 * 2.2 ** max(0, n - 4) + 2e-6 * float(kac_rice_samples) * n * n


# ----------------------------------------------------------------------------- block random matrices
def check_block(kappa, b, b1, x1) -> tuple[float, float, float, float]:
    """The domain of the coupled model's block ensemble ``b M + b1 (M1 + 0) - x1 (I_D + 0)``.

    ``kappa`` in (0, 1); ``b`` > 0 and ``b1 >= 0`` with ``b`` and ``b1/sqrt(kappa)`` in
    :data:`BLOCK_SCALE_RANGE` and not more than ``1/BLOCK_RATIO_MIN`` apart; ``|x1|`` at most
    :data:`BLOCK_X1_RATIO_MAX` spectral widths ``w = max(b, b1/sqrt(kappa))``.  Returns the
    checked floats.  To be called at the entry of ``complexity.rmt.block.gan_ensemble``.
    """
    kappa = check_real("kappa", kappa, lower=0.0, upper=1.0, lower_open=True, upper_open=True)
    lo, hi = BLOCK_SCALE_RANGE
    b = check_real("b", b, lower=0.0, lower_open=True)
    b1 = check_real("b1", b1, lower=0.0)
    x1 = check_real("x1", x1)
    if not lo <= b <= hi:
        raise ValueError(f"b must lie in [{lo:g}, {hi:g}] (the variances b^2/2 must be ordinary doubles), got {b!r}")
    w1 = b1 / math.sqrt(kappa)
    if b1 > 0 and not lo <= w1 <= hi:
        raise ValueError(f"b1/sqrt(kappa) must lie in [{lo:g}, {hi:g}] or b1 = 0, got b1 = {b1!r}")
    w = max(b, w1)
    if b1 > 0 and min(b, w1) < BLOCK_RATIO_MIN * w:
        raise ValueError(f"b = {b!r} and b1/sqrt(kappa) = {w1!r} are more than {1 / BLOCK_RATIO_MIN:g} apart: "
                         "the narrower block is below the resolution of the spectral solver; "
                         "rescale so that their ratio lies in [1e-6, 1e6]")
    if abs(x1) > BLOCK_X1_RATIO_MAX * w:
        raise ValueError(f"x1 must satisfy |x1| <= {BLOCK_X1_RATIO_MAX:g} * max(b, b1/sqrt(kappa)) = "
                         f"{BLOCK_X1_RATIO_MAX * w:.6g} (beyond, the support's pieces are further apart than "
                         f"the support search resolves), got {x1!r}")
    return kappa, b, b1, x1


def check_block_points(name: str, xs, kappa, b, b1, x1) -> list[float]:
    """Evaluation points of the block ensemble: finite, ``|x - centre| <= BLOCK_POINT_MAX * w``."""
    w = max(b, b1 / math.sqrt(kappa))
    lim = BLOCK_POINT_MAX * max(w, abs(x1))
    for v in xs:
        if abs(v) > lim:
            raise ValueError(f"{name}: the points must satisfy |x| <= {lim:.3g} ({BLOCK_POINT_MAX:g} spectral "
                             f"widths, where the density is 0 and the log-potential log|x| to rounding), got {v!r}")
    return list(xs)


def parse_points(name: str, text: str) -> list[float]:
    """A comma-separated list of finite numbers; an empty item or a NaN/inf is refused."""
    items = str(text).split(",")
    out = []
    for i, item in enumerate(items):
        tok = item.strip()
        if not tok:
            raise ValueError(f"{name}: item {i + 1} of {text!r} is empty (give comma-separated numbers, e.g. 0,0.5,1)")
        try:
            v = float(tok)
        except ValueError:
            raise ValueError(f"{name} must be comma-separated numbers, got {tok!r} in {text!r}") from None
        if not math.isfinite(v):
            raise ValueError(f"{name} must be finite numbers, got {tok!r} in {text!r}")
        out.append(v)
    return out


# ----------------------------------------------------------------------------- the command line
def _rmt(args) -> None:
    kappa, b, b1, x1 = check_block(args.kappa, args.b, args.b1, args.x1)
    at = getattr(args, "at", None)
    if at is not None:
        check_block_points("--at", parse_points("--at", at), kappa, b, b1, x1)


def check_command(args) -> None:
    """Checks of a parsed command line that its command module does not make itself.

    Called by :func:`complexity.cli.main` before the command runs; ``ValueError`` on bad input.
    """
    if getattr(args, "command", None) == "rmt" and hasattr(args, "kappa"):  # the block-ensemble commands
        _rmt(args)
