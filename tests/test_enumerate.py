"""Direct counting of critical points against ABC's exact expected counts: the end-to-end proof."""

import argparse
import contextlib
import io
import json
import math

import numpy as np
import pytest

from complexity.commands.pspin_finite import register_into
from complexity.models.enumerate import (
    _form_matrix,
    critical_points,
    critical_points_circle,
    energy,
    enumeration_study,
    hessian_form,
    sample_couplings,
    symmetrise,
)


def _riemannian_gradient_fd(j, sigma, h=1e-5):
    """Riemannian gradient of H = N u by central differences of the direct energy (no kernels)."""
    n = len(sigma)
    q, _ = np.linalg.qr(np.column_stack([sigma, np.eye(n)]))
    out = []
    for e in q[:, 1:n].T:
        plus = math.cos(h) * sigma + math.sin(h) * math.sqrt(n) * e  # great circle through sigma
        minus = math.cos(h) * sigma - math.sin(h) * math.sqrt(n) * e
        out.append(n * (energy(j, plus) - energy(j, minus)) / (2 * h * math.sqrt(n)))
    return np.array(out)


def _index_fd(j, sigma, h=1e-4):
    """Index from the second derivatives of H along geodesics (finite differences of the energy)."""
    n = len(sigma)
    q, _ = np.linalg.qr(np.column_stack([sigma, np.eye(n)]))
    t = q[:, 1:n]
    m = np.zeros((n - 1, n - 1))
    rad = math.sqrt(n)

    def hval(v):
        r = np.linalg.norm(v)
        return n * energy(j, math.cos(r / rad) * sigma + math.sin(r / rad) * rad * v / r) if r > 0 else n * energy(j, sigma)

    for a in range(n - 1):
        for b in range(n - 1):
            ea, eb = h * t[:, a], h * t[:, b]
            m[a, b] = (hval(ea + eb) - hval(ea - eb) - hval(eb - ea) + hval(-ea - eb)) / (4 * h * h)
    return int((np.linalg.eigvalsh(m) < 0).sum())


@pytest.mark.parametrize("p", [3, 4])
def test_n2_newton_search_equals_trigonometric_roots(p):
    rng = np.random.default_rng(100 + p)
    for i in range(60):
        j = sample_couplings(p, 2, rng)
        a = critical_points(j, seed=i)
        b = critical_points_circle(j)
        assert a["complete"] and b["residual"] < 1e-10
        oa, ob = np.argsort(a["energies"]), np.argsort(b["energies"])
        assert len(oa) == len(ob)
        np.testing.assert_allclose(a["energies"][oa], b["energies"][ob], atol=1e-10)
        assert sorted(a["indices"]) == sorted(b["indices"])


@pytest.mark.parametrize("p,n", [(3, 3), (4, 4), (3, 5)])
def test_points_are_critical_with_the_right_index(p, n):
    """Gradients and indices checked by finite differences of the directly evaluated energy."""
    j = sample_couplings(p, n, np.random.default_rng(7 * n + p))
    res = critical_points(j, seed=1)
    assert res["complete"] and res["euler_ok"]
    for sig, idx in list(zip(res["points"], res["indices"]))[:12]:
        assert abs(np.linalg.norm(sig) - math.sqrt(n)) < 1e-12
        assert np.max(np.abs(_riemannian_gradient_fd(j, sig))) < 1e-6
        assert _index_fd(j, sig) == idx


def test_p2_has_two_critical_points_per_index():
    for n in (3, 4, 5):
        j = sample_couplings(2, n, np.random.default_rng(n))
        res = critical_points(j, seed=0)
        assert np.array_equal(np.bincount(res["indices"], minlength=n), 2 * np.ones(n, dtype=int))
        # and they are the +-eigenvectors of the symmetrised coupling matrix
        evals = np.linalg.eigvalsh((j + j.T) / 2) / math.sqrt(n)
        np.testing.assert_allclose(np.sort(res["energies"]), np.sort(np.repeat(evals, 2)), atol=1e-12)


@pytest.mark.parametrize("p,n", [(3, 4), (4, 4), (3, 5), (4, 5)])
def test_search_has_stopped_growing_and_respects_bounds(p, n):
    rng = np.random.default_rng(31 * p + n)
    bound = 2 * ((p - 1) ** n - 1) // (p - 2)
    for i in range(4):
        j = sample_couplings(p, n, rng)
        a = critical_points(j, seed=i)
        assert a["complete"] and a["euler_ok"] and len(a["energies"]) <= bound
        b = critical_points(j, seed=10_000 + i, starts=4 * a["starts"])  # 4x more, fresh starts
        assert len(b["energies"]) == len(a["energies"])


CASES = [
    pytest.param(3, 2, 400, id="p3-N2"),
    pytest.param(4, 2, 400, id="p4-N2"),
    pytest.param(3, 3, 400, id="p3-N3"),
    pytest.param(4, 3, 300, id="p4-N3"),
    pytest.param(3, 4, 250, id="p3-N4"),
    pytest.param(4, 4, 200, marks=pytest.mark.slow, id="p4-N4"),
    pytest.param(3, 5, 200, marks=pytest.mark.slow, id="p3-N5"),
    pytest.param(4, 5, 100, marks=pytest.mark.slow, id="p4-N5"),
]


@pytest.mark.parametrize("p,n,samples", CASES)
def test_end_to_end_direct_counting_agrees_with_exact_kac_rice(p, n, samples):
    """THE END-TO-END PROOF: mean counts per index, in total and below energy cuts
    agree with ABC's exact expectation within 4 combined standard errors."""
    cuts = [-1.2, -0.4]
    st = enumeration_study(p, n, samples, seed=1000 * p + n, cuts=cuts)
    assert st["complete_fraction"] == 1.0 and st["euler_ok_fraction"] == 1.0
    tables = [{"per_index": st["per_index"], "total": st["total"]}] + st["cuts"]
    for t in tables:
        for row in t["per_index"] + [t["total"]]:
            assert row["z"] is not None and abs(row["z"]) < 4.0, (p, n, row)
    # the total must be resolved tightly enough to catch a wrong constant (e.g. sqrt 2 or (p-1)^{1/2})
    assert st["total"]["stderr"] / st["total"]["exact"] < 0.03


def test_circle_method_study_n2():
    st = enumeration_study(3, 2, 300, seed=5, method="circle", cuts=[-0.8])
    assert all(abs(r["z"]) < 4 for r in st["per_index"] + [st["total"]] + st["cuts"][0]["per_index"])


def test_study_is_seeded():
    a = enumeration_study(3, 3, 20, seed=3)
    b = enumeration_study(3, 3, 20, seed=3)
    assert a == b


def test_bad_input():
    with pytest.raises(ValueError, match="^p "):
        enumeration_study(1, 3, 10)
    with pytest.raises(ValueError, match="^n "):
        enumeration_study(3, 1, 10)
    with pytest.raises(ValueError, match="^samples "):
        enumeration_study(3, 3, 1)
    with pytest.raises(ValueError, match="^cut "):
        enumeration_study(3, 3, 5, cuts=[float("nan")])
    with pytest.raises(ValueError, match="method"):
        enumeration_study(3, 3, 5, method="circle")


def test_cli_enumerate_json():
    parser = argparse.ArgumentParser()
    register_into(parser.add_subparsers())
    args = parser.parse_args(["enumerate", "--p", "3", "--n", "3", "--samples", "30", "--seed", "2",
                              "--cut", "-1", "--json"])
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert args.func(args) == 0
    d = json.loads(buf.getvalue())
    assert [r["k"] for r in d["per_index"]] == [0, 1, 2]
    assert {"mean", "stderr", "exact", "exact_stderr", "z"} <= set(d["per_index"][0])
    # the exact finite-N count of all critical points (no cut), from the mixed model's independent quadrature of the same
    # Kac-Rice integral (equal to ABC's formula: tests/test_mixed.py), itself checked against
    # direct counting of critical points (test_end_to_end_direct_counting_agrees_with_exact_kac_rice)
    from complexity.models import mixed

    want = mixed.mixed_expected_count(mixed.Mixture.pure(3), 3)
    assert d["total"]["exact"] == pytest.approx(want, rel=1e-10)
    assert d["cuts"][0]["u"] == -1.0


@pytest.mark.parametrize("p", [2, 3, 4, 5, 6])
@pytest.mark.parametrize("n", [1, 2, 3, 6])
def test_hessian_form_is_the_contracted_tensor(p, n):
    """The Newton kernels' S[w^{p-2}] from the compressed symmetric form (one coefficient per
    pair i <= j and sorted multi-index, times its number of orderings) against contracting the
    full symmetrised tensor with numpy, at random w; a wrong multiplicity (e.g. 1 for every
    multi-index) or a dropped mirror entry fails for p >= 4 or n >= 2."""
    rng = np.random.default_rng(100 * p + n)
    s = symmetrise(rng.standard_normal((n,) * p))
    coef, mono = hessian_form(s)
    assert mono.shape == (math.comb(n + p - 3, p - 2), p - 2) and coef.shape == (n * (n + 1) // 2, mono.shape[0])
    for _ in range(3):
        w = rng.standard_normal(n)
        want = s
        for _ in range(p - 2):
            want = want @ w
        got = np.empty((n, n))
        _form_matrix(coef, mono, w, np.empty(mono.shape[0]), got)
        assert np.max(np.abs(got - want)) < 1e-12 * max(1.0, np.max(np.abs(want)))
