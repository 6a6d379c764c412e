"""Block random matrices against independent oracles: mpmath at high precision (edges as
double roots of the t-quartic, Phi by tanh-sinh quadrature of the mpmath density), the
scan route for the support, per-point continuation for the warm-started solver, the
published quartic's failure at b1 > b, and Monte Carlo log-determinants at large N."""

import math

import mpmath as mp
import numpy as np
import pytest

from complexity._generated import kac_rice as G
from complexity.rmt import block

CASES = {
    "separate": (0.9, 1.0, 0.5, 4.0),
    "touching": (0.9, 1.0, 0.5, 1.5),
    "merged": (0.9, 1.0, 0.5, 1.1),
    "b1_exceeds_b": (0.5, 1.0, 2.0, 0.0),
    "published": (0.9, math.sqrt(30 * 64), math.sqrt(0.9 * 6), 10.0),
}


def mp_quartic(z, args):
    return [getattr(G, f"block_quartic_c{j}_mp")(z, *args) for j in (4, 3, 2, 1, 0)]


def mp_density(lam, args):
    """rho from the mpmath roots of the t-quartic, t = z - (b^2/2) m, chosen by the physical
    rule alone (Im t > 0, i.e. Im g2 = Im 1/t < 0, and Im g1 <= 0); the rule must single out one root."""
    kappa, b, _, _ = args
    good = []
    for t in mp.polyroots(mp_quartic(lam, args), maxsteps=200, extraprec=60):
        if mp.im(t) <= 0:
            continue
        m = 2 * (lam - t) / b**2
        if mp.im((m - (1 - kappa) / t) / kappa) <= 0:
            good.append(t)
    assert len(good) <= 1, (lam, good)
    return 2 * mp.im(good[0]) / (mp.pi * b**2) if good else mp.mpf(0)


def mp_phi(x, args, intervals):
    margs = tuple(mp.mpf(v) for v in args)
    total = mp.mpf(0)
    for lo, hi in intervals:
        pts = [mp.mpf(lo)] + ([mp.mpf(x)] if lo < x < hi else []) + [mp.mpf(hi)]
        total += mp.quad(lambda l: mp.log(abs(x - l)) * mp_density(l, margs), pts)
    return total


@pytest.mark.parametrize("name", ["separate", "touching", "merged", "b1_exceeds_b", "published"])
def test_edges_are_double_roots_of_the_quartic_at_40_digits(name):
    """An edge is a real z where the t-quartic has a double root: solve P = dP/dt = 0 with
    mpmath.findroot at 40 digits from our edge and compare (target 1e-10)."""
    args = CASES[name]
    ens = block.gan_ensemble(*args)
    intervals, atoms = block.support(ens)
    assert atoms == []
    with mp.workdps(40):
        for lo, hi in intervals:
            for e in (lo, hi):
                m = block.stieltjes(ens, np.array([e]))[0].real
                t0 = e - args[1] ** 2 / 2 * m

                def p(t, z):
                    return mp.polyval(mp_quartic(z, args), t)

                def dp(t, z):
                    c = mp_quartic(z, args)
                    return mp.polyval([c[0] * 4, c[1] * 3, c[2] * 2, c[3]], t)

                _, z = mp.findroot([p, dp], (mp.mpf(t0), mp.mpf(e)))
                assert abs(float(z) - e) < 1e-10 * max(1.0, abs(e))


def test_algebraic_support_agrees_with_the_scan_over_the_phase_diagram():
    """Candidates from the degree-8 edge polynomial vs the independent grid scan + bisection."""
    for ratio in (0.0, 0.3, 1.0, 2.5):
        for x1 in (-6.0, -1.3, 0.0, 0.7, 1.5, 4.0):
            ens = block.gan_ensemble(0.9, 1.0, ratio, x1)
            got, _ = block.support(ens)
            ref = block._scan_intervals(ens, block._windows(ens), 4001)
            assert len(got) == len(ref), (ratio, x1, got, ref)
            assert np.max(np.abs(np.array(got) - np.array(ref))) < 1e-5, (ratio, x1)


def test_edges_of_a_narrow_gap_the_scan_cannot_see():
    """Just past the touching point the gap is far narrower than any scan step; the algebraic
    candidates still find two intervals, and the density vanishes between them."""
    ens = block.gan_ensemble(0.9, 1.0, 0.5, 1.5)
    (a, b), (c, d) = block.support(ens)[0]
    assert 0 < c - b < 0.05
    rho = block.density(ens, np.linspace(b, c, 7)[1:-1])
    assert np.all(rho == 0)
    assert np.all(block.density(ens, np.array([b - 1e-9, c + 1e-9])) > 0)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["touching", "published"])
def test_log_potential_against_mpmath(name):
    """Phi within 1e-8 (observed ~1e-15) of a 20-digit tanh-sinh integral of the mpmath density:
    at the left edge, in the bulk, and outside (published constants: at x = -1000)."""
    args = CASES[name]
    ens = block.gan_ensemble(*args)
    intervals, _ = block.support(ens)
    lo, hi = intervals[0][0], intervals[-1][1]
    xs = [lo, 0.3 * lo + 0.7 * hi] + ([-1000.0] if name == "published" else [hi + 1.0])
    got = block.log_potential(ens, np.array(xs), intervals)
    with mp.workdps(20):
        ref = [float(mp_phi(x, args, intervals)) for x in xs]
    assert np.max(np.abs(got - np.array(ref))) < 1e-8


def test_density_against_mpmath_at_scattered_points():
    rng = np.random.default_rng(4)
    for name in ("merged", "b1_exceeds_b", "separate"):
        args = CASES[name]
        ens = block.gan_ensemble(*args)
        (lo, _), (_, hi) = block.support(ens)[0][0], block.support(ens)[0][-1]
        lam = rng.uniform(lo - 0.3, hi + 0.3, 25)
        with mp.workdps(30):
            ref = np.array([float(mp_density(mp.mpf(v), tuple(map(mp.mpf, args)))) for v in lam])
        assert np.max(np.abs(block.density(ens, lam) - ref)) < 1e-12


def published_density(lam, kappa, b, b1, x1, sign):
    """Density from the product form of the t-quartic, Q1(t) Q2(t) + (kappa b^2 / 2) t^2 = 0 with
    Q1 = t^2 - z t + (1-kappa) b^2/2 and Q2 = (1 + b1^2/(kappa b^2)) t^2 + (x1 - b1^2 z/(kappa b^2)) t
    + sign (1-kappa) b1^2 / (2 kappa), taking the root of largest |Im t| (rho = 2 |Im t| / (pi b^2)).
    sign = +1 is our derivation; sign = -1 is the published quartic (constant of Q2 negated)."""
    out = []
    for z in lam:
        q1 = np.array([1.0, -z, (1 - kappa) * b**2 / 2])
        q2 = np.array([1 + b1**2 / (kappa * b**2), x1 - b1**2 * z / (kappa * b**2), sign * (1 - kappa) * b1**2 / (2 * kappa)])
        quartic = np.polymul(q1, q2) + np.array([0, 0, kappa * b**2 / 2, 0, 0])
        out.append(2 * np.max(np.abs(np.roots(quartic).imag)) / (math.pi * b**2))
    return np.array(out)


def test_product_form_is_the_derived_quartic():
    kappa, b, b1, x1 = 0.7, 1.3, 0.8, -0.4
    for z in (-1.1, 0.2, 2.5):
        q1 = np.array([1.0, -z, (1 - kappa) * b**2 / 2])
        q2 = np.array([1 + b1**2 / (kappa * b**2), x1 - b1**2 * z / (kappa * b**2), (1 - kappa) * b1**2 / (2 * kappa)])
        prod = np.polymul(q1, q2) + np.array([0, 0, kappa * b**2 / 2, 0, 0])
        gen = np.array([getattr(G, f"block_quartic_c{j}")(z, kappa, b, b1, x1) for j in (4, 3, 2, 1, 0)])
        assert np.allclose(gen / gen[0], prod / prod[0], rtol=1e-13, atol=1e-13)


def test_published_quartic_fails_at_b1_above_b_and_ours_does_not():
    """kappa = 0.5, b = 1, b1 = 2, x1 = 0 (b1 > b): the published quartic's density is 0 at
    lambda = +-1; our quartic, the Dyson solver and 40 sampled 400 x 400 matrices give ~0.19."""
    args = CASES["b1_exceeds_b"]
    lam = np.array([-1.0, 1.0])
    pub = published_density(lam, *args, sign=-1.0)
    ours = published_density(lam, *args, sign=+1.0)
    ens = block.gan_ensemble(*args)
    dyson = block.density(ens, lam)
    assert np.all(pub < 1e-12)
    assert np.allclose(ours, dyson, atol=1e-12) and np.all(dyson > 0.19)
    edges, heights, se = block.spectrum_histogram(ens, 400, 40, bins=np.linspace(-1.1, 1.1, 12), seed=21)
    first, last = heights[0], heights[-1]  # bins [-1.1, -0.9] and [0.9, 1.1]
    for h, s in ((first, se[0]), (last, se[-1])):
        assert abs(h - dyson[0]) < 5 * s + 0.01
        assert h > 0.15  # the published density (0) is off by tens of standard errors


def test_warm_started_grid_equals_per_point_continuation():
    """Sorted warm starts (the fast path) vs a fresh continuation from Im z = 2R at every point."""
    for ens in (block.gan_ensemble(*CASES["touching"]), block.gan_ensemble(*CASES["b1_exceeds_b"]),
                block.BlockEnsemble((0.2, 0.3, 0.5), ((2.0, 0.3, 0.1), (0.3, 1.0, 0.5), (0.1, 0.5, 0.4)),
                                    (1.5, -1.0, 0.0))):
        lam = np.linspace(-ens.bound, ens.bound, 301)
        warm = block.stieltjes(ens, lam)
        cold = np.array([block.stieltjes(ens, np.array([v]))[0] for v in lam])
        assert np.max(np.abs(warm - cold)) < 1e-9


def test_log_det_slogdet_and_eigenvalues_agree():
    ens = block.gan_ensemble(*CASES["b1_exceeds_b"])
    x = np.array([-4.0, 0.5, 3.5])
    a, sa = block.log_abs_det_mc(ens, 120, x, 6, seed=2, method="eigvalsh")
    b, sb = block.log_abs_det_mc(ens, 120, x, 6, seed=2, method="slogdet")
    assert np.allclose(a, b, atol=1e-10) and np.allclose(sa, sb, atol=1e-10)


@pytest.mark.slow
def test_log_det_monte_carlo_at_large_n_is_stable_and_close_to_phi():
    """N = 1500: |det| is ~ e^{+-1000}, far outside floating range; the log-space route stays finite."""
    ens = block.gan_ensemble(*CASES["published"])
    x = np.array([-300.0, -40.0, 0.0, 60.0])
    mc, se = block.log_abs_det_mc(ens, 1500, x, 2, seed=9)
    assert np.all(np.isfinite(mc)) and np.all(np.isfinite(se))
    assert np.max(np.abs(mc - block.log_potential(ens, x))) < 0.01


def test_monte_carlo_input_errors():
    ens = block.gan_ensemble(*CASES["touching"])
    with pytest.raises(ValueError, match="samples"):
        block.log_abs_det_mc(ens, 50, [0.0], 1)
    with pytest.raises(ValueError, match="method"):
        block.log_abs_det_mc(ens, 50, [0.0], 3, method="lu")
    with pytest.raises(ValueError, match="x"):
        block.log_abs_det_mc(ens, 50, [float("nan")], 3)


@pytest.mark.parametrize("name", list(CASES))
def test_closed_form_log_potential_equals_the_cumulative_quadrature(name):
    """Two routes to Phi: the free-energy identity (one Dyson solve per point) and the
    cumulative integral of Re m from a reference point (quadrature); inside, at every edge,
    outside and far away."""
    ens = block.gan_ensemble(*CASES[name])
    intervals, _ = block.support(ens)
    lo, hi = intervals[0][0], intervals[-1][1]
    x = np.concatenate([np.linspace(lo - (hi - lo), hi + (hi - lo), 401), np.ravel(intervals), [-1e4, 3e5]])
    closed = block.log_potential(ens, x)
    quad = block.log_potential(ens, x, intervals, method="quadrature")
    assert np.max(np.abs(closed - quad)) < 1e-10


@pytest.mark.filterwarnings("ignore::scipy.integrate.IntegrationWarning")
def test_closed_form_log_potential_three_blocks():
    """Three blocks: the closed form against scipy quad at 1e-14 on the density (split at x and
    the edges) to 1e-12; the cumulative-quadrature route, whose reference-point quadrature
    (32 cosine panels) resolves this density less well, agrees to 1e-7 (observed 1.6e-8)."""
    from scipy import integrate

    ens = block.BlockEnsemble((0.2, 0.3, 0.5), ((2.0, 0.3, 0.1), (0.3, 1.0, 0.5), (0.1, 0.5, 0.4)), (1.5, -1.0, 0.0))
    intervals, _ = block.support(ens)
    for xv in (-6.0, 0.3, 2.3, 6.0):
        ref = 0.0
        for lo, hi in intervals:
            pts = [lo, xv, hi] if lo < xv < hi else [lo, hi]
            for a, b in zip(pts[:-1], pts[1:]):
                ref += integrate.quad(lambda t: math.log(abs(xv - t)) * block.density(ens, np.array([t]))[0], a, b,
                                      limit=1000, epsabs=1e-14, epsrel=1e-14)[0]
        assert abs(block.log_potential(ens, [xv])[0] - ref) < 1e-12
    x = np.linspace(-6, 6, 301)
    assert np.max(np.abs(block.log_potential(ens, x) - block.log_potential(ens, x, method="quadrature"))) < 1e-7
    with pytest.raises(ValueError, match="method"):
        block.log_potential(ens, x, method="cumulative")


@pytest.mark.filterwarnings("ignore::scipy.integrate.IntegrationWarning")
@pytest.mark.parametrize("args", [(0.2037, 0.0577, 17.78, 0.58), (0.0950, 0.0875, 7.10, -12.76), (0.87, 7.03, 0.0, 0.0)])
def test_closed_form_on_multiscale_spectra(args):
    """b1/b up to ~300 (a narrow G-block spike inside a wide D-block semicircle) and b1 = 0:
    the closed form against scipy quad with 400 breakpoints per interval; the grid API and the
    quartic path (which hands failures to the Dyson solver) give finite answers."""
    from scipy import integrate

    ens = block.gan_ensemble(*args)
    intervals, _ = block.support(ens)
    lo, hi = intervals[0][0], intervals[-1][1]
    for xv in (hi + 0.5 * (hi - lo), 0.5 * (lo + hi) + 0.01):
        ref = 0.0
        for a, b in intervals:
            pts = sorted(set(np.linspace(a, b, 400)) | ({xv} if a < xv < b else set()))
            for c, d in zip(pts[:-1], pts[1:]):
                ref += integrate.quad(lambda t: math.log(abs(xv - t)) * block.density(ens, np.array([t]))[0], c, d,
                                      limit=100, epsabs=1e-14, epsrel=1e-13)[0]
        assert abs(block.log_potential(ens, [xv])[0] - ref) < 1e-10
    x = np.linspace(lo - 50, hi + 50, 201)
    assert np.all(np.isfinite(block.gan_log_potential_quartic(*args, x)))
    assert np.allclose(block.log_potential_grid(*args[:3], x, [args[3]])[0], block.log_potential(ens, x), atol=1e-13)


def test_random_ensembles_never_fail_silently():
    """Seeded fuzz over the GAN parameter space: support carries mass 1, Phi is finite, the
    grid equals the pointwise closed form, the quartic path gives the same density."""
    rng = np.random.default_rng(1)
    for _ in range(40):
        kappa = rng.uniform(0.02, 0.98)
        b = 10 ** rng.uniform(-1.5, 1.7)
        b1 = 0.0 if rng.random() < 0.25 else 10 ** rng.uniform(-2, 1.8)
        x1 = 0.0 if rng.random() < 0.25 else rng.uniform(-1, 1) * 10 ** rng.uniform(-2, 2)
        ens = block.gan_ensemble(kappa, b, b1, x1)
        intervals, atoms = block.support(ens)
        assert atoms == [] and abs(block._mass(ens, intervals) - 1) < 1e-9
        lo, hi = intervals[0][0], intervals[-1][1]
        x = np.concatenate([np.linspace(lo - (hi - lo), hi + (hi - lo), 101), np.ravel(intervals)])
        phi = block.log_potential(ens, x)
        assert np.all(np.isfinite(phi))
        assert np.allclose(block.log_potential_grid(kappa, b, b1, x, [x1])[0], phi, atol=1e-13)
        # the quartic path loses digits when b << b1 (docs/rmt.md; 8e-5 relative at b1/b ~ 200);
        # exactly at an edge both routes return only ~sqrt(eps)-level values, so edges are left out
        inner = x[:101]
        assert np.allclose(block.gan_density(kappa, b, b1, x1, inner), block.density(ens, inner),
                           rtol=1e-3, atol=1e-6 / ens.spread)


def test_stieltjes_transform_off_the_axis():
    """m(z) at complex z: the semicircle closed form (b1 = x1 = 0), the boundary values as
    Im z -> 0, conjugate symmetry, and the resolvent trace of sampled matrices (N = 600)."""
    b = 1.3
    ens = block.gan_ensemble(0.4, b, 0.0, 0.0)
    z = np.array([0.3 + 0.2j, -2.0 + 1e-3j, 5.0 + 3.0j, 1.0 - 0.5j])
    r2 = 2 * b * b  # semicircle of radius sqrt2 b: m = 2 (z - sqrt(z^2 - R^2)) / R^2, branch m ~ 1/z
    sq = np.sqrt(z - math.sqrt(r2)) * np.sqrt(z + math.sqrt(r2))
    assert np.allclose(block.stieltjes_transform(ens, z), 2 * (z - sq) / r2, atol=1e-12)
    ens = block.gan_ensemble(*CASES["b1_exceeds_b"])
    lam = np.array([-2.0, 0.4, 3.5])
    assert np.allclose(block.stieltjes_transform(ens, lam + 1e-9j), block.stieltjes(ens, lam), atol=1e-6)
    w = np.array([0.5 + 0.7j, -1.0 + 0.3j])
    assert np.allclose(block.stieltjes_transform(ens, w.conjugate()), block.stieltjes_transform(ens, w).conjugate())
    ev = block.sample_eigenvalues(ens, 600, 4, seed=5)
    mc = np.mean(1.0 / (w[None, None, :] - ev[:, :, None]), axis=(0, 1))
    assert np.allclose(block.stieltjes_transform(ens, w), mc, atol=0.01)
    with pytest.raises(ValueError, match="real axis"):
        block.stieltjes_transform(ens, [1.0 + 0j])
