"""The spectral-measure layer: one interface for every limiting spectral measure.

Every measure is a :class:`SpectralMeasure` (see :mod:`complexity.spectra._base` for the
interface, the conventions and the generic routes).  Constructors::

    semicircle(variance=1, scale="wigner")      # GOE / Wigner
    marchenko_pastur(c)                         # Wishart X X^T / T, c = N / T
    discrete(levels, weights); mixture([(w, mu), ...]); with_zero_mass(mu, d); empirical(eigs)
    deformed(mu, s)                             # mu free-convolved with a semicircle of variance s^2
    wishart_product(c1, c2, ...); wigner_times_wishart(c)   # free multiplicative products
    percolated(c)                               # diluted Wigner matrix, mean degree c

Scales: "wigner" (the semicircle has variance 1, support [-2, 2]) and "abc" (the same
matrices divided by sqrt 2: variance 1/2, support [-sqrt 2, sqrt 2], the p-spin's GOE).
Documentation: docs/spectra.md.
"""

from complexity.spectra._base import SCALES, AffineMeasure, SpectralMeasure, scale_factor  # noqa: F401
from complexity.spectra.composite import (  # noqa: F401
    Discrete,
    Empirical,
    Mixture,
    discrete,
    empirical,
    mixture,
    with_zero_mass,
)
from complexity.spectra.marchenko_pastur import MarchenkoPastur, marchenko_pastur  # noqa: F401
from complexity.spectra.semicircle import Semicircle, semicircle  # noqa: F401
from complexity.spectra.products import WignerTimesWishart, WishartProduct, wigner_times_wishart, wishart_product  # noqa: F401,E402,E501
from complexity.spectra.subordination import Deformed, deformed  # noqa: F401,E402
from complexity.spectra.sparse import Percolated, PercolatedDense, percolated  # noqa: F401,E402
