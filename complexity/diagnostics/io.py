"""Reading a spectrum from a file: ``.npy``, ``.txt`` or ``.csv``, a 1-D array of real numbers.

A ``.npy`` of shape ``(M, N)`` (what ``complexity spectrum sample --samples M`` writes: one
spectrum per row) is read as M spectra where the caller accepts several (``rows=True``:
spacing ratios are taken within each row and pooled); else only a single row or column is.

Text files: one number per line, or all numbers on one line separated by commas or blanks;
blank lines and lines starting with ``#`` are skipped; a ``.csv`` may have one header line
that is not a number.  Anything else (two columns, a word, NaN or inf) is a ``ValueError``
naming the file and the line.
"""

from __future__ import annotations

import math
import pathlib
import re

import numpy as np

__all__ = ["read_eigenvalues"]

_SPLIT = re.compile(r"[,\s;]+")


def read_eigenvalues(path, *, rows: bool = False) -> np.ndarray:
    """The eigenvalues stored in ``path`` as a 1-D float array, or with ``rows`` a 2-D ``.npy``
    as an ``(M, N)`` array of M spectra (see the module docstring)."""
    p = pathlib.Path(path)
    if not p.is_file():
        raise ValueError(f"{p}: no such file")
    suffix = p.suffix.lower()
    if suffix == ".npy":
        try:
            a = np.load(p, allow_pickle=False)
        except Exception as exc:  # numpy raises several kinds on a bad header
            raise ValueError(f"{p}: not a readable .npy file ({exc})") from None
        if a.ndim == 2 and 1 in a.shape:
            a = a.ravel()
        if not (a.ndim == 1 or (rows and a.ndim == 2 and a.shape[1] >= 1)):
            what = "a 1-D array of eigenvalues or a 2-D array of spectra (one per row)" if rows else \
                "a 1-D array of eigenvalues"
            raise ValueError(f"{p}: must hold {what}, got shape {a.shape}")
        if not np.issubdtype(a.dtype, np.number) or np.iscomplexobj(a):
            raise ValueError(f"{p}: must hold real numbers, got dtype {a.dtype}")
        a = a.astype(float)
        bad = np.flatnonzero(~np.isfinite(a))
        if bad.size:
            raise ValueError(f"{p}: entry {bad[0]} is {a[bad[0]]!r} (NaN or inf)")
        return a
    if suffix not in (".txt", ".csv", ".dat"):
        raise ValueError(f"{p}: unknown file type {suffix!r} (use .npy, .txt or .csv)")
    lines = []  # (line number, [fields])
    with open(p, encoding="utf-8", errors="replace") as fh:
        for k, line in enumerate(fh, start=1):
            t = line.strip()
            if not t or t.startswith("#"):
                continue
            lines.append((k, [f for f in _SPLIT.split(t) if f]))
    if suffix == ".csv" and lines and not _is_number(lines[0][1][0]):
        lines = lines[1:]  # a header line
    if not lines:
        raise ValueError(f"{p}: no numbers found")
    if len(lines) > 1:
        for k, fields in lines:
            if len(fields) != 1:
                raise ValueError(f"{p}, line {k}: expected one number per line (a 1-D array), got {len(fields)} fields")
    values = []
    for k, fields in lines:
        for f in fields:
            try:
                v = float(f)
            except ValueError:
                raise ValueError(f"{p}, line {k}: {f!r} is not a number") from None
            if not math.isfinite(v):
                raise ValueError(f"{p}, line {k}: {f!r} is not finite")
            values.append(v)
    return np.asarray(values, dtype=float)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
