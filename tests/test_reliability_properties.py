"""Property-based tests over the domains of the public functions and commands, extremes included:
each input is refused cleanly (``ValueError`` naming the parameter; exit status 2 with one line
through the CLI) or gives a finite value with the model's known properties.

Profiles: ``ci`` (default; a bounded number of examples) and ``long`` (``HYPOTHESIS_PROFILE=long``,
a benchmark-style run).  Oracles: Theta_p from MATH.md evaluated in mpmath at 40 digits
(tests/test_reliability_cases.py, no generated code), monotonicity in u, the suprema
``log(p-1)/2`` (all indices) and ``log(p-1)/2 - (p-2)/p`` (index k), ``2N`` critical points of
the 2-spin, the GAN Theta's supremum without cuts.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import os
import pathlib
import sys

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import test_reliability_cases as rc  # noqa: E402

from complexity.cli import main  # noqa: E402
from complexity.models import pspin  # noqa: E402

settings.register_profile("ci", max_examples=25, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=2000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

#: how much longer the ``long`` profile runs the tests that set their own number of examples
SCALE = 1 if os.environ.get("HYPOTHESIS_PROFILE", "ci") == "ci" else 40
#: examples of the expensive GAN properties (per profile)
GAN_EXAMPLES = 2 * SCALE

# energies from everyday values to the far extremes of a double
far_reals = st.one_of(
    st.floats(min_value=-10, max_value=10, allow_nan=False),
    st.floats(min_value=-1.7e308, max_value=1.7e308, allow_nan=False, allow_infinity=False),
    st.sampled_from([-1e154, -1.9e154, -1e155, -1e300, 1e300, -5e-324, 0.0, -1.6329931618554521]),
)
orders = st.one_of(st.integers(2, 12), st.integers(13, 10**6))
indices = st.one_of(st.none(), st.integers(0, 5), st.integers(6, 10**6))


def _theta_or_refused(u, p, k=None):
    try:
        v = pspin.theta(u, p, k)
    except ValueError as exc:
        assert str(exc), "a refusal must say why"
        return None
    assert math.isfinite(v), f"theta({u}, {p}, {k}) = {v}"
    return v


@given(u=far_reals, p=orders, k=indices)
def test_pspin_theta_refused_or_finite_and_below_its_supremum(u, p, k):
    v = _theta_or_refused(u, p, k)
    if v is None:
        floor = pspin._u_floor(p, -1 if k is None else k)
        assert u < 0.99 * floor, "only energies whose Theta is below a double's range may be refused"
        return
    top = math.log(p - 1) / 2 if k is None else math.log(p - 1) / 2 - (p - 2) / p
    assert v <= top + 1e-12 * max(1.0, abs(top))


@given(u=st.floats(min_value=-1e150, max_value=100, allow_nan=False), p=st.integers(2, 40),
       k=st.one_of(st.none(), st.integers(0, 30)))
def test_pspin_theta_matches_mpmath(u, p, k):
    ref = float(rc._theta_pspin_mp(u, p, k))
    assert pspin.theta(u, p, k) == pytest.approx(ref, rel=1e-9, abs=1e-12)


@given(a=far_reals, b=far_reals, p=st.integers(2, 50), k=st.one_of(st.none(), st.integers(0, 20)))
def test_pspin_theta_is_monotone_in_u(a, b, p, k):
    lo, hi = min(a, b), max(a, b)
    vlo, vhi = _theta_or_refused(lo, p, k), _theta_or_refused(hi, p, k)
    if vlo is not None and vhi is not None:
        assert vlo <= vhi + 1e-12 * max(1.0, abs(vhi))


@given(u=st.floats(min_value=-1e150, max_value=-2.0, allow_nan=False), p=st.integers(3, 30), k=st.integers(0, 20))
def test_pspin_theta_decreases_with_the_index(u, p, k):
    assert pspin.theta(u, p, k + 1) <= pspin.theta(u, p, k)


@given(p=st.integers(2, 10), n=st.integers(1, 80), u=st.one_of(st.none(), far_reals))
@settings(max_examples=25 * SCALE)
def test_pspin_count_refused_or_finite_and_monotone(p, n, u):
    from complexity.models.pspin_finite import expected_count

    try:
        r = expected_count(p, n, u)
    except ValueError as exc:
        assert "n" in str(exc) or "u" in str(exc)
        return
    assert math.isfinite(r.expected) and r.expected >= 0
    if p == 2 and u is None:
        assert r.expected == pytest.approx(2 * n, rel=1e-9)
    if u is not None and u < 1e300:
        assert r.expected <= expected_count(p, n, None).expected * (1 + 1e-9)


def _cli(*argv):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exc:
            code = exc.code
    return code, out.getvalue(), err.getvalue()


def _assert_clean(code, out, err):
    assert "Traceback" not in err
    lines = [ln for ln in err.splitlines() if ln.strip() and not ln.startswith(("usage:", " ", "complexity: note"))]
    if code == 0:
        assert rc.all_finite(json.loads(out))
    else:
        assert code == 2, (code, err)
        assert len(lines) == 1 and lines[0].startswith("complexity: error:"), err
        assert json.loads(out)["kind"] == "input"


@given(u=st.one_of(far_reals, st.sampled_from(["nan", "inf", "-inf", "1e999", "-1e999"])), p=orders,
       k=st.one_of(st.none(), st.integers(-3, 10**9)))
def test_cli_pspin_theta_refuses_cleanly_or_prints_a_finite_value(u, p, k):
    argv = ["pspin", "theta", "--p", str(p), "--u", repr(u) if isinstance(u, float) else u, "--json"]
    if k is not None:
        argv += ["--k", str(k)]
    _assert_clean(*_cli(*argv))


@given(kappa=st.floats(-1, 2, allow_nan=False), b=far_reals, b1=far_reals, x1=far_reals,
       at=st.lists(far_reals, min_size=1, max_size=3))
@settings(max_examples=30 * SCALE)
def test_cli_rmt_density_refuses_cleanly_or_prints_a_finite_value(kappa, b, b1, x1, at):
    argv = ["rmt", "density", "--kappa", repr(kappa), "--b", repr(b), "--b1", repr(b1), "--x1", repr(x1),
            "--at", ",".join(map(repr, at)), "--json"]
    code, out, err = _cli(*argv)
    _assert_clean(code, out, err)
    if code == 0:
        assert all(v >= 0 for v in json.loads(out)["density"])


@given(ud=st.one_of(st.floats(-30, 30), st.floats(1e3, 1e308)), ug=st.one_of(st.floats(-30, 30),
                                                                              st.floats(1e3, 1e308)),
       dd=st.floats(0, 20), dg=st.floats(0, 20))
@settings(max_examples=GAN_EXAMPLES)
@pytest.mark.slow
def test_gan_theta_is_monotone_and_below_its_supremum(ud, ug, dd, dg):
    from complexity.models.gan import GanModel

    m = GanModel(3, 3, 1.0, 0.9)
    sup = m.theta(math.inf, math.inf).theta
    lo = m.theta(ud, ug).theta
    hi = m.theta(ud + dd, ug + dg).theta
    assume(math.isfinite(lo))
    assert lo <= hi + 1e-6 and hi <= sup + 1e-6
