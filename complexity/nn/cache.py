"""The weights folder: ``weights.npz`` (the flat parameter vector) and ``summary.json``.

Writes are atomic: each file goes to a temporary name in the folder and is renamed
into place (``os.replace``), ``summary.json`` last; temporary files are removed on
failure.  ``summary.json`` records the SHA-256 of the weights, so a folder whose two
files come from different runs (a failure between the two renames) is detected.
:func:`load` refuses a missing folder, a missing or unreadable file, weights whose
length or checksum does not match the summary, with a ``ValueError``.
"""

from __future__ import annotations

import hashlib
import json
import pathlib
import zipfile

import numpy as np

from complexity._files import atomic_write as _atomic_write

from complexity.nn.mlp import MLP
from complexity.nn.train import TrainedNet

__all__ = ["save", "load", "atomic_write", "WEIGHTS", "SUMMARY"]

WEIGHTS = "weights.npz"
SUMMARY = "summary.json"


def atomic_write(path, write) -> pathlib.Path:
    """Call ``write(file_object)`` on a temporary file beside ``path``, then rename it to ``path``
    (:func:`complexity._files.atomic_write`)."""
    return _atomic_write(path, write)


def save(net: TrainedNet, out_dir) -> pathlib.Path:
    """Write ``net`` into ``out_dir`` (created if needed); return the folder."""
    out = pathlib.Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ValueError(f"out must be a folder, but {str(out)!r} is a file")
    theta = np.ascontiguousarray(net.theta, dtype=np.float64)
    atomic_write(out / WEIGHTS, lambda fh: np.savez(fh, theta=theta, sizes=np.asarray(net.spec.sizes)))
    summary = {**net.summary, "weights_sha256": _sha256(theta)}
    text = json.dumps(summary, indent=2, allow_nan=False) + "\n"
    atomic_write(out / SUMMARY, lambda fh: fh.write(text.encode()))
    return out


def load(folder) -> TrainedNet:
    """Read a weights folder written by :func:`save`; ``ValueError`` if missing or corrupt."""
    d = pathlib.Path(folder)
    if not d.is_dir():
        raise ValueError(f"weights folder {str(d)!r} does not exist (train one with: complexity nn train --out DIR)")
    try:
        summary = json.loads((d / SUMMARY).read_text())
        with np.load(d / WEIGHTS, allow_pickle=False) as z:
            theta = np.asarray(z["theta"], dtype=np.float64)
            sizes = tuple(int(s) for s in z["sizes"])
    except FileNotFoundError as exc:
        raise ValueError(
            f"weights folder {str(d)!r} is incomplete: {pathlib.Path(exc.filename).name} is missing"
        ) from None
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, json.JSONDecodeError, TypeError) as exc:
        raise ValueError(f"weights folder {str(d)!r} is corrupt ({type(exc).__name__}: {exc})") from None
    if not isinstance(summary, dict) or summary.get("model") not in ("mlp", "cnn"):
        raise ValueError(f"weights folder {str(d)!r} is corrupt: {SUMMARY} does not describe an mlp or a cnn")
    try:
        if summary["model"] == "mlp":
            spec = MLP(sizes, summary.get("activation", "tanh"))
        else:
            from complexity.nn.cnn import CNN

            spec = CNN(summary.get("channels"), summary.get("kernel"), sizes[-1], summary.get("activation", "tanh"))
            if tuple(spec.sizes) != sizes:
                raise ValueError(f"sizes {sizes} do not match channels and kernel")
    except ValueError as exc:
        raise ValueError(f"weights folder {str(d)!r} is corrupt: {exc}") from None
    if list(sizes) != list(summary.get("sizes", [])):
        raise ValueError(f"weights folder {str(d)!r} is corrupt: layer sizes in {WEIGHTS} and {SUMMARY} differ")
    if theta.ndim != 1 or theta.size != spec.n_params:
        raise ValueError(
            f"weights folder {str(d)!r} is corrupt: {theta.size} weights for a {summary['model']} "
            f"of {spec.n_params} parameters"
        )
    digest = summary.get("weights_sha256")
    if digest is not None and digest != _sha256(theta):
        raise ValueError(f"weights folder {str(d)!r} is corrupt: {WEIGHTS} does not match the checksum in {SUMMARY}")
    if not np.all(np.isfinite(theta)):
        raise ValueError(f"weights folder {str(d)!r} is corrupt: non-finite weights")
    return TrainedNet(spec, theta, summary)


def _sha256(theta) -> str:
    return hashlib.sha256(np.ascontiguousarray(theta, dtype="<f8").tobytes()).hexdigest()
