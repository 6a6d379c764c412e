"""Theta with one cut (GanModel.theta_marginal) against Theta at a point, and the finite-N
count of totals only against the full count: the cheaper routes the figures use must give
the same numbers as the routes the other tests check against oracles."""

import math

import numpy as np
import pytest

from complexity.models import gan
from complexity.models.gan_finite import gan_kac_rice_expectation


@pytest.mark.parametrize("conv,cut,u", [
    ("derived", "u_D", (-3.5, -1.7, -0.4, 0.5)),
    ("derived", "u_G", (-2.5, -0.9, 0.0, 0.5)),
    ("reference", "u_D", (-40.0, -12.0, -1.0, 0.5)),
    ("reference", "u_G", (-40.0, -5.0, 0.5)),
])
def test_theta_marginal_is_theta_with_one_cut(conv, cut, u):
    m = gan.GanModel(3, 3, 1.0, 0.9, conv)
    g = m.theta_marginal(cut, np.array(u))
    got = g.theta[0] if cut == "u_D" else g.theta[:, 0]
    for v, th in zip(u, got):
        r = m.theta(v, math.inf) if cut == "u_D" else m.theta(math.inf, v)
        assert th == pytest.approx(r.theta, abs=1e-9)
    assert np.all(np.diff(got) >= -1e-12)  # nondecreasing in the cut


def test_theta_marginal_published_box_goes_point_by_point():
    m = gan.GanModel(3, 3, 1.0, 0.9, "published", box="theta")
    g = m.theta_marginal("u_G", np.array([-0.1, 0.2]))
    assert g.theta[:, 0] == pytest.approx([m.theta(math.inf, v).theta for v in (-0.1, 0.2)], abs=1e-12)


def test_theta_marginal_bad_input():
    m = gan.GanModel(3, 3, 1.0, 0.9)
    with pytest.raises(ValueError, match="cut"):
        m.theta_marginal("x", [0.0])
    with pytest.raises(ValueError, match="u_D"):
        m.theta_marginal("u_D", [0.0, -1.0])  # not ascending
    with pytest.raises(ValueError, match="u_G must be >="):
        m.theta_marginal("u_G", [-1e9])


def test_totals_only_count_is_the_full_count():
    kw = dict(samples=400, seed=5, tilt=(0.1, 0.2, 0.3))
    full = gan_kac_rice_expectation(3, 3, 1.0, 5, 4, -0.2, 0.1, **kw)
    tot = gan_kac_rice_expectation(3, 3, 1.0, 5, 4, -0.2, 0.1, indices=False, **kw)
    assert tot.total == full.total and tot.euler == full.euler and tot.per_index == ()
    assert sum(c.expected for row in full.per_index for c in row) == pytest.approx(full.total.expected, rel=1e-12)


def test_sweep_point_without_max_abs_diff_keeps_the_other_thresholds():
    from complexity.sweep.gan_model import gan_outputs, gan_point

    full = gan_point(3, 3, 1.0, 0.9)
    part = gan_point(3, 3, 1.0, 0.9, diff=0)
    assert set(full) == {"u_D", "u_G", "u_sum", "max_abs_diff"} and set(part) == {"u_D", "u_G", "u_sum"}
    assert all(part[k] == full[k] for k in part)
    assert gan_outputs(3, 3, 1.0, 0.9, diff=0) == ["u_D", "u_G", "u_sum"]
    with pytest.raises(ValueError, match="which"):
        gan.GanModel(3, 3, 1.0, 0.9).thresholds(which=("u_X",))
