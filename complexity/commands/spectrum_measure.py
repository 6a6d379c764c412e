"""``complexity spectrum {density, support, log-potential, moments, sample}``: limiting spectral
measures of the ``--ensemble`` flags (:mod:`complexity.commands._ensemble`, docs/spectra.md).

With ``--json`` each prints one JSON object:

* ``density --at X1,...`` -> ``{"density": [...]}`` (the continuous part; atoms are listed by
  ``support``);
* ``support`` -> ``{"intervals": [[a, b], ...], "atoms": [[location, mass], ...]}``;
* ``log-potential --at X1,...`` -> ``{"log_potential": [...]}``.  At an atom the
  log-potential is ``-inf``, which JSON cannot hold: the entry is ``null`` and a key
  ``"note"`` says which points are atoms (the same without ``--json``: no infinity is printed);
* ``moments --k K`` -> ``{"moments": [m_1, ..., m_K]}`` (raw moments, atoms included);
* ``sample --n N --samples M --seed S --out FILE`` writes the sorted eigenvalues of M seeded
  N x N draws as a float64 ``.npy`` array of shape ``(M, N)`` (always 2-D, one row per
  matrix; ``--ensemble empirical --eigenvalues FILE`` reads it back, rows pooled) and prints
  ``{"out": FILE, "shape": [M, N], "seed": S}``.  The file is written to a temporary file
  in the same directory and renamed into place: on any error nothing is left half-written.
"""

from __future__ import annotations

import os

import numpy as np

from complexity.cli import emit
from complexity.commands._ensemble import add_ensemble_flags, measure_from_args, number_list

#: largest matrix size and number of draws ``sample`` accepts (memory: samples x n floats)
MAX_N, MAX_SAMPLES = 5000, 100000


def register_into(ps):
    d = ps.add_parser("density", help="density of the continuous part at the given points")
    _common(d)
    d.add_argument("--at", required=True, help="comma-separated points")
    d.set_defaults(func=_density)

    s = ps.add_parser("support", help="support intervals (edges to 1e-10) and atoms [location, mass]")
    _common(s)
    s.set_defaults(func=_support)

    lp = ps.add_parser("log-potential", help="Phi(x) = int log|x - l| dmu(l) at the given points")
    _common(lp)
    lp.add_argument("--at", required=True, help="comma-separated points")
    lp.set_defaults(func=_log_potential)

    m = ps.add_parser("moments", help="raw moments m_1..m_K (atoms included)")
    _common(m)
    m.add_argument("--k", required=True, type=int, help="number of moments, 1..200")
    m.set_defaults(func=_moments)

    sm = ps.add_parser("sample", help="eigenvalues of seeded finite-N draws, saved as .npy of shape (samples, n)")
    _common(sm)
    sm.add_argument("--n", required=True, type=int, help=f"matrix size N, 2..{MAX_N}")
    sm.add_argument("--samples", default=1, type=int, help=f"number of matrices M, 1..{MAX_SAMPLES} (default 1)")
    sm.add_argument("--seed", default=0, type=int, help="seed of numpy's default_rng (default 0)")
    sm.add_argument("--out", required=True, help="output .npy file (written atomically)")
    sm.set_defaults(func=_sample)


def _common(p):
    add_ensemble_flags(p)
    p.add_argument("--json", action="store_true", help="print one JSON object")


def _density(args):
    mu = measure_from_args(args)
    x = np.array(number_list("--at", args.at))
    emit({"density": mu.density(x).tolist()}, args.json)
    return 0


def _support(args):
    mu = measure_from_args(args)
    emit({"intervals": [list(iv) for iv in mu.support()], "atoms": [list(a) for a in mu.atoms()]}, args.json)
    return 0


def _log_potential(args):
    mu = measure_from_args(args)
    x = np.array(number_list("--at", args.at))
    phi = mu.log_potential(x)
    hit = ~np.isfinite(phi)
    out = {"log_potential": [None if h else float(v) for v, h in zip(phi, hit)]}
    if np.any(hit):
        at = [float(v) for v in x[hit]]
        out["note"] = f"null: the log-potential is -inf at the atom(s) x = {at}"
    emit(out, args.json)
    return 0


def _moments(args):
    mu = measure_from_args(args)
    if not 1 <= args.k <= 200:
        raise ValueError(f"--k must be an integer in [1, 200], got {args.k}")
    emit({"moments": mu.moments(args.k).tolist()}, args.json)
    return 0


def _sample(args):
    if not 2 <= args.n <= MAX_N:
        raise ValueError(f"--n must be an integer in [2, {MAX_N}], got {args.n}")
    if not 1 <= args.samples <= MAX_SAMPLES:
        raise ValueError(f"--samples must be an integer in [1, {MAX_SAMPLES}], got {args.samples}")
    if args.seed < 0:
        raise ValueError(f"--seed must be a non-negative integer, got {args.seed}")
    out = os.path.abspath(args.out)
    folder = os.path.dirname(out)
    if not os.path.isdir(folder):
        raise ValueError(f"--out: the directory {folder!r} does not exist")
    mu = measure_from_args(args)
    ev = mu.sample(args.n, args.samples, seed=args.seed)
    if not np.all(np.isfinite(ev)):  # pragma: no cover - a sampler bug, never a silent NaN on disk
        raise ValueError("sample: the sampled eigenvalues are not all finite")
    _save_atomically(out, np.ascontiguousarray(ev, dtype=np.float64))
    emit({"out": args.out, "shape": list(ev.shape), "seed": args.seed}, args.json)
    return 0


def _save_atomically(path, array):
    """``np.save`` into a temporary file beside ``path``, then rename over it."""
    from complexity._files import atomic_write

    atomic_write(path, lambda fh: np.save(fh, array, allow_pickle=False))


__all__ = ["register_into", "MAX_N", "MAX_SAMPLES"]
