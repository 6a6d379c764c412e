"""The ``--ensemble NAME [params]`` flags, shared by every command that takes a spectral
measure (``spectrum``, ``kacrice``, ``rmt outliers``): one parser, one constructor call.

Flags: ``--ensemble semicircle|marchenko-pastur|wishart-product|wigner-wishart|percolated|deformed``,
``--c C`` (Marchenko-Pastur, Wigner x Wishart, percolated) or ``--c C1,C2,...`` (Wishart
products), ``--levels A1,... --weights W1,... --s S`` (deformed: the discrete measure
``sum w_i delta_{a_i}`` free-convolved with a semicircle of variance ``s^2``), ``--variance V``
(semicircle), ``--eigenvalues FILE`` (empirical: a ``.npy`` array, e.g. written by
``complexity spectrum sample``, or a text file of numbers; every entry pooled),
``--zero-mass D`` (the mixture ``(1 - D) mu + D delta_0``) and ``--scale wigner|abc``
(default ``wigner``; for the empirical measure it divides the given eigenvalues by sqrt 2).
"""

from __future__ import annotations

import math
import os

import numpy as np

ENSEMBLES = ("semicircle", "marchenko-pastur", "wishart-product", "wigner-wishart", "percolated", "deformed", "empirical")


def number_list(flag: str, text, *, minimum_items: int = 1) -> list:
    """Comma-separated finite numbers; an empty item, a non-number or NaN/inf names the flag."""
    if text is None:
        raise ValueError(f"{flag} is required")
    items = str(text).split(",")
    out = []
    for i, item in enumerate(items):
        item = item.strip()
        if not item:
            raise ValueError(f"{flag} must be comma-separated numbers; item {i + 1} of {text!r} is empty")
        try:
            v = float(item)
        except ValueError:
            raise ValueError(f"{flag} must be comma-separated numbers; item {i + 1} is {item!r}") from None
        if not math.isfinite(v):
            raise ValueError(f"{flag} must be finite numbers; item {i + 1} is {item!r}")
        out.append(v)
    if len(out) < minimum_items:
        raise ValueError(f"{flag} needs at least {minimum_items} number(s), got {len(out)}")
    return out


def add_ensemble_flags(p, *, required: bool = True) -> None:
    """Add the ensemble flags to an argparse parser."""
    p.add_argument("--ensemble", required=required, choices=ENSEMBLES, help="the spectral measure")
    p.add_argument("--c", default=None, help="ratio / mean degree: C (marchenko-pastur, wigner-wishart, percolated) "
                   "or C1,C2,... (wishart-product, c_i = N / T_i), > 0")
    p.add_argument("--variance", default=None, type=float, help="semicircle: variance in the chosen scale's units "
                   "(default 1: radius 2 in the wigner scale)")
    p.add_argument("--levels", default=None, help="deformed: levels A1,A2,... of the discrete measure")
    p.add_argument("--weights", default=None, help="deformed: weights W1,W2,... (positive, summing to 1; default equal)")
    p.add_argument("--s", default=None, type=float, help="deformed: noise scale s > 0 (semicircle of variance s^2)")
    p.add_argument("--eigenvalues", default=None, help="empirical: a .npy or text file of eigenvalues (all entries pooled)")
    p.add_argument("--zero-mass", dest="zero_mass", default=None, type=float,
                   help="mixture (1 - D) mu + D delta_0, D in [0, 1)")
    p.add_argument("--scale", default="wigner", choices=("wigner", "abc"),
                   help="wigner (semicircle on [-2, 2], default) or abc (matrices divided by sqrt 2)")


def _one_c(args, name):
    cs = number_list("--c", args.c)
    if len(cs) != 1:
        raise ValueError(f"--c takes one number for --ensemble {name}, got {len(cs)}")
    if not cs[0] > 0:
        raise ValueError(f"--c must be > 0, got {cs[0]!r}")
    return cs[0]


def _unused(args, name, allowed):
    for flag, attr in (("--c", "c"), ("--variance", "variance"), ("--levels", "levels"),
                       ("--weights", "weights"), ("--s", "s"), ("--eigenvalues", "eigenvalues")):
        if attr not in allowed and getattr(args, attr, None) is not None:
            raise ValueError(f"{flag} does not apply to --ensemble {name}")


def measure_from_args(args):
    """The spectral measure the flags describe (in the "wigner" scale, then ``--scale``)."""
    from complexity import spectra

    name = args.ensemble
    if name is None:
        raise ValueError("--ensemble is required")
    if getattr(args, "variance", None) is not None and not (math.isfinite(args.variance) and args.variance > 0):
        raise ValueError(f"--variance must be a finite number > 0, got {args.variance!r}")
    if getattr(args, "s", None) is not None and not (math.isfinite(args.s) and args.s > 0):
        raise ValueError(f"--s must be a finite number > 0, got {args.s!r}")
    if args.zero_mass is not None and not (math.isfinite(args.zero_mass) and 0.0 <= args.zero_mass < 1.0):
        raise ValueError(f"--zero-mass must be a number in [0, 1), got {args.zero_mass!r}")
    if name == "semicircle":
        _unused(args, name, {"variance"})
        mu = spectra.semicircle(1.0 if args.variance is None else args.variance)
    elif name == "marchenko-pastur":
        _unused(args, name, {"c"})
        mu = spectra.marchenko_pastur(_one_c(args, name))
    elif name == "wigner-wishart":
        _unused(args, name, {"c"})
        mu = spectra.wigner_times_wishart(_one_c(args, name))
    elif name == "percolated":
        _unused(args, name, {"c"})
        mu = spectra.percolated(_one_c(args, name))
    elif name == "wishart-product":
        _unused(args, name, {"c"})
        cs = number_list("--c", args.c)
        for i, c in enumerate(cs):
            if not c > 0:
                raise ValueError(f"--c: every ratio must be > 0, item {i + 1} is {c!r}")
        mu = spectra.wishart_product(*cs)
    elif name == "deformed":
        _unused(args, name, {"levels", "weights", "s"})
        levels = number_list("--levels", args.levels)
        weights = None if args.weights is None else number_list("--weights", args.weights)
        if args.s is None:
            raise ValueError("--s is required for --ensemble deformed (noise scale, > 0)")
        mu = spectra.deformed(spectra.discrete(levels, weights), args.s)
    elif name == "empirical":
        _unused(args, name, {"eigenvalues"})
        mu = spectra.empirical(read_eigenvalues("--eigenvalues", args.eigenvalues))
    else:  # argparse's choices make this unreachable from the CLI
        raise ValueError(f"--ensemble must be one of {ENSEMBLES}, got {name!r}")
    if args.zero_mass is not None:
        mu = spectra.with_zero_mass(mu, args.zero_mass)
    if args.scale != "wigner":
        mu = mu.to_scale(args.scale) if mu.scale != "none" else mu.affine(1.0 / math.sqrt(2.0))
    return mu


def read_eigenvalues(flag: str, path) -> np.ndarray:
    """Eigenvalues from a ``.npy`` file (any shape, flattened) or a whitespace/comma-separated
    text file; a missing, unreadable, empty or non-finite file names the flag."""
    if path is None:
        raise ValueError(f"{flag} FILE is required")
    if not os.path.isfile(path):
        raise ValueError(f"{flag}: no such file {path!r}")
    try:
        if str(path).endswith(".npy"):
            ev = np.load(path, allow_pickle=False)
        else:
            with open(path) as fh:
                ev = np.array([float(t) for t in fh.read().replace(",", " ").split()])
        ev = np.asarray(ev, dtype=float).ravel()
    except (OSError, ValueError, TypeError) as exc:
        raise ValueError(f"{flag}: cannot read numbers from {path!r} ({exc})") from None
    if ev.size == 0:
        raise ValueError(f"{flag}: {path!r} holds no eigenvalues")
    if not np.all(np.isfinite(ev)):
        bad = int(np.flatnonzero(~np.isfinite(ev))[0])
        raise ValueError(f"{flag}: {path!r} has a non-finite entry ({float(ev[bad])!r} at flat index {bad})")
    return ev
