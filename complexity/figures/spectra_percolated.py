"""Figures: spectra_percolated (none registered yet)."""
