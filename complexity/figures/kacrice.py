"""Figures: kacrice (none registered yet)."""
