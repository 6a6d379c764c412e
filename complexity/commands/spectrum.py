"""``complexity spectrum ...``: limiting spectral measures (density, support, log-potential,
moments, samples), local statistics of spectra (spacing ratios, surmises) and fits of a
spectrum's bulk by the ensembles.

The subcommands live in three modules: :mod:`complexity.commands.spectrum_measure` (the
spectral-measure layer), :mod:`complexity.commands.spectrum_local` (local statistics) and
:mod:`complexity.commands.spectrum_fit` (bulk fits); each exposes ``register_into(subparsers)``.
"""

from __future__ import annotations

import importlib

_PARTS = (
    "complexity.commands.spectrum_measure",
    "complexity.commands.spectrum_local",
    "complexity.commands.spectrum_fit",
)


def register(sub):
    p = sub.add_parser("spectrum", help="spectral measures, local statistics of spectra and bulk fits")
    ps = p.add_subparsers(dest="spectrum_command", metavar="SUBCOMMAND")
    ps.required = True
    for name in _PARTS:
        importlib.import_module(name).register_into(ps)
