"""I_1 and the GOE edge rate next to the edge, against the closed form at 40 digits.

The closed form ``(y/2) sqrt(y^2 - 2) - log((y + sqrt(y^2 - 2))/sqrt2)`` cancels from
O(sqrt d) to O(d^(3/2)) at distance d from the edge, so a float evaluation of it keeps no
correct digit for d below ~1e-8; the package sums the series there and forms the gap to the
edge in double-double.  Oracle: mpmath's closed form at 40 digits at the same float input.
Tolerance: 1e-14 relative (a few ulps; the old float route had relative errors of order 1).
"""

import mpmath
import numpy as np
import pytest

from complexity.models import pspin
from complexity.rmt import goe

GAPS = [1e-15, 1e-13, 1e-10, 1e-7, 1e-4, 0.01, 0.2, 0.249, 0.251, 0.6, 3.0, 40.0]


@pytest.mark.parametrize("p", [2, 3, 4, 7, 20])
def test_i1_near_the_edge_to_round_off(p):
    e = pspin.e_inf(p, dps=40)
    us = [float(-(e + mpmath.mpf(d))) for d in GAPS]
    got = pspin.i1(np.array(us), p)
    for u, g in zip(us, got):
        want = pspin.i1(mpmath.mpf(u), p, dps=40)
        assert want > 0
        assert abs(g - float(want)) <= 1e-14 * float(want)


def test_goe_edge_rate_near_the_edge_to_round_off():
    for r in (None, 2.0, 0.7):
        edge = mpmath.sqrt(2) if r is None else mpmath.mpf(r)
        for d in GAPS:
            for sign in (1, -1):
                x = sign * float(edge * (1 + mpmath.mpf(d)))
                want = goe.edge_rate_mp(mpmath.mpf(x), r, dps=40)
                got = float(goe.edge_rate(x, r))
                # R != sqrt 2: x sqrt2 / R is rounded once, a relative error eps in the gap
                # d R that J's d^(3/2) turns into 1.5 eps / d: the conditioning of the input
                cond = 0.0 if r is None else 4e-16 / d
                assert abs(got - float(want)) <= (1e-14 + cond) * float(want)


def test_i1_is_zero_inside_and_continuous_across_the_series_switch():
    assert np.all(pspin.i1(np.array([-1.0, 0.0, 2.0]), 3) == 0.0)
    e = pspin.e_inf(3)
    s = (3 / 4) ** 0.5  # gap in GOE units = s * energy gap
    u = -(e + np.array([0.25 / s * (1 - 1e-12), 0.25 / s * (1 + 1e-12)]))
    a, b = pspin.i1(u, 3)
    assert abs(a - b) < 1e-12
