"""Random-matrix layer: ensembles, densities, Stieltjes transforms, log-potentials,
edge rates and samplers.  Never imports matplotlib."""

from complexity.rmt.goe import (  # noqa: F401
    GOE_SCALES,
    edge_rate,
    edge_rate_mp,
    goe_eigenvalues,
    log_potential,
    log_potential_mp,
    offdiagonal_variance,
    sample_goe,
    semicircle_density,
    semicircle_radius,
)
