"""The map from the coupled model (p, q, sigma_z, kappa) to its block random matrix, checked
from the model's own random fields.

Oracle: the game Jacobian of sampled instances (:mod:`complexity.models.gan_enumerate`:
the coupling tensors X, Z drawn iid, contracted at a random point of the two spheres, in
orthonormal tangent frames, D block-row negated), which never uses the variance profile.
Under test: the finite-N Kac-Rice matrix of :mod:`complexity.models.gan_finite`
(``H = b M + b1 (M1 + 0) + diag(s_D, s_G)``, ``b = sigma_z sqrt(2P(P-1))``,
``b1 = sqrt(2p(p-1))``, M ~ GOE_{N-2}/N, M1 ~ GOE_{N_D-1}/N_D) and its N -> infinity limit,
the block ensemble :func:`complexity.rmt.block.gan_ensemble` of the derived convention.

For an isotropic field the Hessian at a fixed point is independent of the gradient there,
so its law at a random point is the law the Kac-Rice formula uses.  Block-resolved second
moments are exact at finite N (typed below from the variance profile and the scalars' law);
the fourth moment is compared with the block ensemble's exact limit with a stated O(1/N)
allowance.  A factor 2 in b^2 or b1^2, or a swapped block, moves these by 25-100 %, hundreds
of standard errors.
"""

import math

import numpy as np
import pytest

from complexity.models import gan_enumerate, gan_finite
from complexity.rmt import block

P_, Q_, SIG = 2, 2, 0.7


def sym_hessian(inst, rng):
    wd = rng.standard_normal(inst.n_d)
    wd *= math.sqrt(inst.n_d) / np.linalg.norm(wd)
    wg = rng.standard_normal(inst.n_g)
    wg *= math.sqrt(inst.n_g) / np.linalg.norm(wg)
    jac = gan_enumerate.game_jacobian(inst, wd, wg)["jacobian"]
    h = jac.copy()
    h[: inst.n_d - 1] *= -1.0  # negate the D block-row: symmetric, same |det|
    assert np.allclose(h, h.T, atol=1e-9)
    return h


def exact_block_second_moments(p, q, sig, n_d, n_g):
    big, n = p + q, n_d + n_g
    b2, b12 = sig**2 * 2 * big * (big - 1), 2 * p * (p - 1)
    dd, dg = n_d - 1, n_g - 1
    var_lg, cov, var_rg = n, big * n_g, big * (big - 1) * n_g**2 / n + big * n_g
    var_rd = big**2 * var_lg - 2 * big * cov + var_rg
    e_sd2 = (p**2 * n_d + sig**2 * var_rd) / n_d**2
    e_sg2 = sig**2 * var_rg / n_g**2
    goe2 = lambda k, norm: k / norm + k * (k - 1) / (2 * norm)  # E tr(M^2), M ~ GOE_k / norm
    dd_tr = b2 * goe2(dd, n) + b12 * goe2(dd, n_d) + dd * e_sd2
    gg_tr = b2 * goe2(dg, n) + dg * e_sg2
    dg_tr = b2 * dd * dg / (2 * n)
    return np.array([dd_tr, gg_tr, dg_tr])


@pytest.fixture(scope="module")
def sampled():
    rng = np.random.default_rng(20261202)
    n_d, n_g = 14, 10
    rows, spectra = [], []
    for _ in range(60):
        inst = gan_enumerate.sample_instance(P_, Q_, SIG, n_d, n_g, rng)
        h = sym_hessian(inst, rng)
        d = n_d - 1
        rows.append([np.sum(h[:d, :d] ** 2), np.sum(h[d:, d:] ** 2), np.sum(h[:d, d:] ** 2)])
        spectra.append(np.linalg.eigvalsh(h))
    return n_d, n_g, np.array(rows), np.array(spectra)


def test_block_second_moments_of_the_game_hessian_are_the_kac_rice_matrix(sampled):
    n_d, n_g, rows, _ = sampled
    want = exact_block_second_moments(P_, Q_, SIG, n_d, n_g)
    mean, se = rows.mean(axis=0), rows.std(axis=0, ddof=1) / math.sqrt(rows.shape[0])
    assert np.all(np.abs(mean - want) < 4.5 * se), (mean, want, se)
    # and the finite-N Kac-Rice sampler itself has the same block moments
    h = gan_finite.sample_hessians(P_, Q_, SIG, n_d, n_g, 4000, np.random.default_rng(5))[0]
    d = n_d - 1
    kr = np.stack([np.sum(h[:, :d, :d] ** 2, axis=(1, 2)), np.sum(h[:, d:, d:] ** 2, axis=(1, 2)),
                   np.sum(h[:, :d, d:] ** 2, axis=(1, 2))], axis=1)
    kmean, kse = kr.mean(axis=0), kr.std(axis=0, ddof=1) / math.sqrt(kr.shape[0])
    assert np.all(np.abs(kmean - want) < 4.5 * kse), (kmean, want)


def test_the_block_ensemble_is_the_limit_of_the_game_hessian():
    # the block-resolved second moments above, divided by N, must converge to the variance
    # profile of the derived convention's block ensemble: kappa^2 S_11, (1-kappa)^2 S_22,
    # kappa (1-kappa) S_12 (the shifts s_D, s_G are O(N^-1/2) and drop out)
    for kappa in (0.25, 0.5, 0.9):
        n = 4_000_000
        n_d = int(kappa * n)
        got = exact_block_second_moments(P_, Q_, SIG, n_d, n - n_d) / n
        b, b1 = SIG * math.sqrt(2 * (P_ + Q_) * (P_ + Q_ - 1)), math.sqrt(2 * P_ * (P_ - 1))
        f, s, _ = block.gan_ensemble(kappa, b, b1, 0.0).arrays
        want = np.array([f[0] ** 2 * s[0, 0], f[1] ** 2 * s[1, 1], f[0] * f[1] * s[0, 1]])
        assert np.max(np.abs(got - want) / want) < 1e-5, (kappa, got, want)


def test_game_hessian_spectrum_has_the_block_ensemble_second_moment(sampled):
    # per-eigenvalue mean of l^2 at N = 24 against the limit b^2/2 + kappa b1^2/2, with the
    # exact O(1/N) difference between the finite-N and limiting profiles as the allowance
    n_d, n_g, rows, spectra = sampled
    n = n_d + n_g
    kappa = n_d / n
    b, b1 = SIG * math.sqrt(2 * (P_ + Q_) * (P_ + Q_ - 1)), math.sqrt(2 * P_ * (P_ - 1))
    f, s, _ = block.gan_ensemble(kappa, b, b1, 0.0).arrays
    m2 = float(np.sum(f * (s @ f)))
    finite = exact_block_second_moments(P_, Q_, SIG, n_d, n_g)
    finite_m2 = (finite[0] + finite[1] + 2 * finite[2]) / (n - 2)
    per = np.mean(spectra**2, axis=1)
    se = per.std(ddof=1) / math.sqrt(per.size)
    assert abs(per.mean() - finite_m2) < 4.5 * se
    assert abs(per.mean() - m2) < 4.5 * se + abs(finite_m2 - m2)
