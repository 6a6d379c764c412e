"""Parameter sweeps: any registered model over a grid, on one core, every core or a Dask cluster.

Public face::

    from complexity.sweep import run_sweep, load_sweep, parse_grid, register_sweep_model
    run_sweep("pspin", {"p": "[3,4,5]", "k_max": 3}, "pspin.csv")
    df = load_sweep("pspin.csv")          # a pandas DataFrame; df.attrs holds the metadata

A model is a function ``fn(**params) -> dict`` of results at one point, registered with
:func:`register_sweep_model` (its parameters with their checks and defaults, its outputs).
The result file, the cache/resume rules and the back ends are described in docs/sweeps.md.
"""

from complexity.sweep._engine import BACKENDS, run_sweep
from complexity.sweep._grid import parse_grid
from complexity.sweep._registry import (
    REQUIRED, Parameter, SweepModel, choice, integer, optional_real, real, register_sweep_model,
    sweep_model, sweep_models,
)
from complexity.sweep._store import journal_path, read_result

__all__ = [
    "run_sweep", "load_sweep", "read_metadata", "parse_grid", "register_sweep_model", "sweep_model",
    "sweep_models", "SweepModel", "Parameter", "REQUIRED", "integer", "real", "optional_real", "choice", "BACKENDS",
    "journal_path",
]


def read_metadata(path) -> dict:
    """The ``# key: value`` header of a result file, as a dict."""
    import pathlib

    return read_result(pathlib.Path(path))[0]


_LABELS = ("model", "convention", "version", "model_version", "key", "error")


def load_sweep(path):
    """The result file as a :class:`pandas.DataFrame` (``df.attrs``: the metadata).

    Equivalent to ``pandas.read_csv(path, comment="#")`` plus the header, except that the
    label columns (``model``, ``version``, ``model_version``, ``key``, ``error``, a fixed
    ``convention``) are read as strings: ``error`` is ``""`` (not NaN) where a point succeeded.
    """
    import pandas as pd

    meta = read_metadata(path)
    columns = list(meta.get("columns", {}))
    labels = [c for c in columns if c in _LABELS]
    df = pd.read_csv(path, comment="#", keep_default_na=False,
                     na_values={c: [""] for c in columns if c not in labels},
                     dtype={c: str for c in labels})
    df.attrs.update(meta)
    return df
