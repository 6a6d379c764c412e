"""``complexity spectrum ...``: limiting spectral measures (density, support, log-potential,
moments, samples) and local statistics of spectra (spacing ratios, surmises).

The subcommands live in two modules: :mod:`complexity.commands.spectrum_measure` (the
spectral-measure layer) and :mod:`complexity.commands.spectrum_local` (local statistics);
each exposes ``register_into(subparsers)``.
"""

from __future__ import annotations

import importlib

_PARTS = ("complexity.commands.spectrum_measure", "complexity.commands.spectrum_local")


def register(sub):
    p = sub.add_parser("spectrum", help="spectral measures and local statistics of spectra")
    ps = p.add_subparsers(dest="spectrum_command", metavar="SUBCOMMAND")
    ps.required = True
    for name in _PARTS:
        importlib.import_module(name).register_into(ps)
