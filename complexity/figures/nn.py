"""Figures: nn (none registered yet)."""
