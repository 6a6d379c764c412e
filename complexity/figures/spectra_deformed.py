"""Figures: spectra_deformed (none registered yet)."""
