"""Large-N complexity of genuine mixtures against an independent route: the growth rate of
the exact finite-N Kac-Rice count.

``mixed.mixed_expected_count`` evaluates ``E Crt_N((-inf, u])`` at finite N from the GOE_N
one-point density (Mehta's formula, :mod:`complexity.rmt.goe_exact`), the sphere volume and
the Gaussian law of (U, Y) -- it never touches the variational formula, the semicircle
log-potential or the maximisation of :func:`complexity.models.mixed.theta`.  Fitting
``log E Crt_N = N theta + alpha log N + c + d/N`` over N = 60..400 recovers theta.

Tolerance 1e-3: on these fits the residual against Theta is <= 3e-4 (the 1/N^2 terms left
out of the fit, largest where the cut sits near the bulk edge), while the quantities a
plausible bug would move (a factor 2 in xi'' or in the radial variance, a sqrt 2 in the GOE
scale) shift Theta by 1e-2 to 1e-1 at these energies (see the last test).
"""

import math

import numpy as np
import pytest

from complexity.models import mixed
from complexity.models.mixed import Mixture

NS = np.array([60, 80, 110, 150, 200, 280, 400])
MIX23 = Mixture({2: 0.5, 3: 0.5})
MIX24 = Mixture({2: 0.3, 4: 0.7})
MIX346 = Mixture([(3, 1.0), (4, 0.5), (6, 0.2)])


def growth_rate(mix, u):
    y = np.array([math.log(mixed.mixed_expected_count(mix, int(n), u)) for n in NS])
    design = np.stack([NS, np.log(NS), np.ones(NS.size), 1.0 / NS], axis=1)
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    return coef[0]


CASES = [
    (MIX23, None),
    (MIX23, -1.0),
    (MIX24, "edge"),
    (MIX346, -1.0),
    (MIX346, "edge"),
]


@pytest.mark.parametrize("mix,u", CASES, ids=lambda v: getattr(v, "label", lambda: str(v))())
def test_growth_rate_of_the_exact_count_is_theta(mix, u):
    if u == "edge":  # just below -E_inf, where the determinant's large deviations enter
        u = -float(mixed.e_inf(mix)) - 0.05
    want = float(mixed.theta(1e6 if u is None else u, mix))
    assert abs(growth_rate(mix, u) - want) < 1e-3


def test_the_check_separates_plausible_bugs():
    # the same fit against Theta of a mixture with xi'' doubled (a factor 2 in the Hessian's
    # scale) or with every coupling scaled by sqrt 2: each is far outside the tolerance
    u = -1.0
    rate = growth_rate(MIX23, u)
    wrong_scale = Mixture({2: 0.5 * 2.0, 3: 0.5 * 2.0})  # beta^2 doubled
    assert abs(float(mixed.theta(u, wrong_scale)) - rate) > 1e-2
    wrong_order = Mixture({2: 0.5, 4: 0.5})
    assert abs(float(mixed.theta(u, wrong_order)) - rate) > 1e-2
