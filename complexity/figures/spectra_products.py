"""Figures: spectra_products (none registered yet)."""
