"""Diagnostics that tell which random matrix a spectrum or a Hessian looks like.

* :mod:`~complexity.diagnostics.local`: spacing ratios, their KS tests and fitted beta,
  unfolding (by a measure, a pool, a smooth fit), unfolded spacings;
* :mod:`~complexity.diagnostics.surmise`: the ratio and spacing surmises, large-N values;
* :mod:`~complexity.diagnostics.samplers`: tridiagonal beta-ensembles, Poisson levels;
* :mod:`~complexity.diagnostics.model_hessian`: a toy Hessian with GOE local statistics,
  rank degeneracy and outliers;
* :mod:`~complexity.diagnostics.outliers`: outliers of a bulk plus finite-rank spikes
  (additive, multiplicative, noise plus true Hessian);
* :mod:`~complexity.diagnostics.damping`: effective damping of (s X + A + delta)^-1;
* :mod:`~complexity.diagnostics.io`: reading eigenvalues from .npy / .txt / .csv.

See docs/diagnostics.md.
"""
