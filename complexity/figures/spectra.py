"""Figures: spectra (none registered yet)."""
