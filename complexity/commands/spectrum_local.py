"""Subcommands of ``complexity spectrum`` (none yet)."""


def register_into(ps):
    return None
