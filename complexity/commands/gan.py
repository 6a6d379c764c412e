"""``complexity gan ...``: the coupled (GAN) spherical spin glass."""

from __future__ import annotations

import importlib


def register(sub):
    g = sub.add_parser("gan", help="coupled (GAN) spherical spin glass (docs/gan_model.md)")
    gs = g.add_subparsers(dest="gan_command", metavar="SUBCOMMAND")
    gs.required = True
    for module in ("complexity.commands.gan_finite",):
        try:  # each part of the model registers its own subcommands
            importlib.import_module(module).register_into(gs)
        except ModuleNotFoundError as exc:  # pragma: no cover - only while a part is absent
            if exc.name != module:
                raise
