"""Moments of the block ensembles against their exact values from the variance profile.

For ``H = W + diag(a)`` with ``W`` the operator-valued semicircular element of covariance map
``eta(D)_i = sum_j S_ij f_j D_j`` (the N -> infinity limit of the Gaussian block matrices of
:mod:`complexity.rmt.block`), the moments ``m_k = lim N^-1 E tr H^k`` follow from the
non-crossing pair partitions of the words in W and a (odd numbers of W vanish):

* ``m_1 = sum_i f_i a_i``
* ``m_2 = sum_i f_i a_i^2 + sum_i f_i (S f)_i``
* ``m_3 = sum_i f_i a_i^3 + 3 sum_i f_i a_i (S f)_i``
* ``m_4 = sum_i f_i a_i^4 + 4 sum_i f_i a_i^2 (S f)_i + 2 sum_i f_i a_i (S (f a))_i
  + sum_i f_i (S f)_i^2 + sum_i f_i (S (f S f))_i``

(one block, ``a = 0``: ``m_4 = 2 S^2``, Catalan).  These are typed here from the combinatorics,
independently of the Dyson solver; the density that the solver returns must reproduce them
to quadrature accuracy.  A factor 2 in a variance or a wrong shift moves m_2..m_4 by O(1).
"""

import numpy as np
import pytest

from complexity.rmt import block
from complexity.spectra import _quadrature as Q


def exact_moments(ens):
    f, s, a = ens.arrays
    sf = s @ f
    m1 = np.sum(f * a)
    m2 = np.sum(f * a**2) + np.sum(f * sf)
    m3 = np.sum(f * a**3) + 3 * np.sum(f * a * sf)
    m4 = (np.sum(f * a**4) + 4 * np.sum(f * a**2 * sf) + 2 * np.sum(f * a * (s @ (f * a)))
          + np.sum(f * sf**2) + np.sum(f * (s @ (f * sf))))
    return np.array([m1, m2, m3, m4])


def density_moments(ens):
    intervals, _ = block.support(ens)
    x, w = Q.support_nodes(intervals, 64)
    rho = block.density(ens, x) * w
    return np.array([np.sum(rho * x**k) for k in range(1, 5)])


ENSEMBLES = {
    "three_blocks": block.BlockEnsemble(
        (0.2, 0.3, 0.5), ((1.0, 0.3, 0.2), (0.3, 0.5, 0.1), (0.2, 0.1, 2.0)), (-3.0, 0.5, 2.0)
    ),
    "gan_separate": block.gan_ensemble(0.5, 1.0, 2.0, 0.0),
    "gan_shifted": block.gan_ensemble(0.9, 1.0, 0.5, 1.5),
    "two_levels_merged": block.BlockEnsemble((0.4, 0.6), ((0.8, 0.8), (0.8, 0.8)), (-1.0, 1.0)),
}


@pytest.mark.parametrize("name", sorted(ENSEMBLES))
def test_density_moments_are_the_exact_moments(name):
    ens = ENSEMBLES[name]
    want = exact_moments(ens)
    got = density_moments(ens)
    assert np.max(np.abs(got - want) / (1.0 + np.abs(want))) < 1e-9


def test_finite_n_traces_approach_the_exact_moments():
    # a check of the combinatorics themselves: N^-1 tr H^k of sampled matrices at N = 600
    ens = ENSEMBLES["three_blocks"]
    mats = block.sample(ens, 600, 6, seed=3)
    traces = np.array([[np.trace(np.linalg.matrix_power(h, k)) / 600 for k in range(1, 5)] for h in mats])
    mean, se = traces.mean(axis=0), traces.std(axis=0, ddof=1) / np.sqrt(traces.shape[0])
    want = exact_moments(ens)
    # O(1/N) bias of the diagonal (variance 2 S_ii / N) and of finite block sizes: allow 1%
    assert np.all(np.abs(mean - want) < 5 * se + 0.01 * (1 + np.abs(want)))
