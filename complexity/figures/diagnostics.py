"""Figures: diagnostics (none registered yet)."""
