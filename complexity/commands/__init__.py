"""Command groups of the ``complexity`` CLI; each module exposes ``register(subparsers)``."""
