"""Real network Hessians: small MLPs (and a one-convolution CNN) on scikit-learn's digits,
their exact Hessians, Lanczos and stochastic Lanczos quadrature (the optional ``nn`` extra:
JAX, scikit-learn).

Importing this package needs only numpy; JAX is imported on first use
(:func:`complexity.nn._backend.jax_modules`), and a missing extra raises
:class:`NNExtraMissing` naming ``pip install ".[nn]"``.

Modules: :mod:`~complexity.nn.data` (digits, batches), :mod:`~complexity.nn.mlp`
(architecture, flat parameters, loss), :mod:`~complexity.nn.cnn` (the CNN),
:mod:`~complexity.nn.train` (Adam),
:mod:`~complexity.nn.cache` (the weights folder), :mod:`~complexity.nn.hessian`
(exact Hessian, HVPs, Gauss-Newton), :mod:`~complexity.nn.lanczos` (Lanczos, SLQ),
:mod:`~complexity.nn.analysis` (atom, spacing ratios, surmises, outlier law),
:mod:`~complexity.nn.fit` (bulk fits by the spectral layer's ensembles, goodness of fit),
:mod:`~complexity.nn.rank` (exact zero directions and the atom at 0).
"""

from complexity.nn._backend import INSTALL_HINT, NNExtraMissing

__all__ = ["NNExtraMissing", "INSTALL_HINT"]
