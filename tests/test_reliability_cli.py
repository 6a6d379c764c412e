"""The command line's one error path and the regression tests of the defects of the
reliability issue, each named after its defect (docs/reliability.md)."""

from __future__ import annotations

import json
import math
import pathlib
import sys
import warnings

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import test_reliability_cases as rc  # noqa: E402

from complexity import cli  # noqa: E402
from complexity.cli import main  # noqa: E402


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def _lines(err):
    return [ln for ln in err.splitlines() if ln.strip() and not ln.startswith(("usage:", " ", "complexity: note"))]


# ----------------------------------------------------------------------------- the error path
def test_input_error_is_exit_2_one_line_and_json_on_stdout(capsys):
    code, out, err = run(capsys, "pspin", "theta", "--p", "1", "--u", "0", "--json")
    assert code == 2 and _lines(err) == [_lines(err)[0]] and _lines(err)[0].startswith("complexity: error: p ")
    assert json.loads(out) == {"error": _lines(err)[0].removeprefix("complexity: error: "), "kind": "input"}


def test_argparse_error_is_json_too(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["pspin", "theta", "--p", "x", "--u", "0", "--json"])
    out, err = capsys.readouterr()
    assert exc.value.code == 2 and json.loads(out)["kind"] == "input" and "invalid int value" in err


def test_internal_error_is_exit_1_one_line_and_traceback_only_with_debug(capsys, monkeypatch):
    from complexity.models import pspin

    def boom(*a, **k):
        raise ZeroDivisionError("deep inside")

    monkeypatch.setattr(pspin, "theta", boom)
    code, out, err = run(capsys, "pspin", "theta", "--p", "3", "--u", "0", "--json")
    assert code == 1 and len(_lines(err)) == 1 and "ZeroDivisionError: deep inside" in err
    assert "Traceback" not in err and json.loads(out)["kind"] == "internal"
    code, _, err = run(capsys, "--debug", "pspin", "theta", "--p", "3", "--u", "0")
    assert code == 1 and "Traceback (most recent call last)" in err


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_a_non_finite_result_is_never_printed(capsys, monkeypatch, bad):
    from complexity.models import pspin

    monkeypatch.setattr(pspin, "theta", lambda *a, **k: bad)
    code, out, err = run(capsys, "pspin", "theta", "--p", "3", "--u", "0")
    assert code == 1 and "theta" in err and "not a finite number" in err and out == ""


def test_nested_non_finite_fields_are_named():
    with pytest.raises(cli.NonFiniteResult, match=r"E\[1\]"):
        cli.check_finite({"E": [1.0, math.nan]})
    assert cli.check_finite({"E": [1.0, 2], "ok": True, "s": "nan"})  # a string is not a number


def test_numpy_warnings_are_silenced_and_others_are_one_line(capsys, monkeypatch):
    from complexity.models import pspin

    def noisy(*a, **k):
        import numpy as np

        with np.errstate(all="warn"):
            np.log(np.zeros(1))  # RuntimeWarning: divide by zero encountered in log
        warnings.warn("the solver did not converge at u = 0\n(second line)", RuntimeWarning)
        return 0.5

    monkeypatch.setattr(pspin, "theta", noisy)
    code, out, err = run(capsys, "pspin", "theta", "--p", "3", "--u", "0")
    assert code == 0 and "divide by zero" not in err
    assert "complexity: warning: the solver did not converge at u = 0 (second line)" in err
    assert len(_lines(err)) == 1


@pytest.mark.parametrize("value", ["-inf", "-nan", "-Infinity"])
def test_negative_special_values_bind_to_their_option(capsys, value):
    code, _, err = run(capsys, "pspin", "theta", "--p", "3", "--u", value)
    assert code == 2 and "expected one argument" not in err and "u must be" in err


def test_cold_kernel_note(capsys, monkeypatch):
    monkeypatch.setattr(cli, "_cold_kernels", lambda command: ["models/pspin.py"])
    code, _, err = run(capsys, "pspin", "theta", "--p", "3", "--u", "0")
    assert code == 0 and "complexity: note: compiling the numerical kernels of models/pspin.py" in err


def test_warm_kernels_give_no_note(capsys):
    from complexity.models import pspin

    pspin.theta(-2.0, 3)  # compiled and cached now
    assert "models/pspin.py" not in cli._cold_kernels("pspin")


# ----------------------------------------------------------------------------- defects, one by one
def test_defect_gan_theta_far_cut_is_the_unconstrained_supremum():
    from complexity.models.gan import GanModel

    m = GanModel(3, 3, 1.0, 0.9)
    at0 = m.theta(0.0, 0.0).theta
    far = m.theta(1e18, 0.0).theta
    assert far == pytest.approx(m.theta(math.inf, 0.0).theta, abs=1e-9)
    assert far >= at0 - 1e-9  # nondecreasing in u_D (it was -35.56 < 0.7036)


def test_defect_gan_theta_far_below_is_refused_with_its_range():
    from complexity.models.gan import GanModel

    with pytest.raises(ValueError, match=r"u_D must be >= .*got -1e\+308"):
        GanModel(3, 3, 1.0, 0.9).theta(-1e308, 0.0)


@pytest.mark.parametrize("u", [-1e101, -1e150, -1.5e154])
def test_defect_pspin_theta_far_energies_are_finite_and_exact(u):
    from complexity.models import pspin

    for k in (None, 0, 3):
        ref = float(rc._theta_pspin_mp(u, 3, k))
        if math.isfinite(ref) and abs(ref) < 1.7e308:
            assert pspin.theta(u, 3, k) == pytest.approx(ref, rel=1e-12)


def test_defect_pspin_theta_beyond_a_double_is_refused_never_nan(capsys):
    from complexity.models import pspin

    with pytest.raises(ValueError, match="u = -1e\\+200.*down to about -1.84e\\+154"):
        pspin.theta(-1e200, 3)
    code, out, err = run(capsys, "pspin", "theta", "--p", "3", "--u", "-1e308", "--json")
    assert code == 2 and "u = -1e+308" in err and json.loads(out)["kind"] == "input"


def test_defect_pspin_count_overflow_and_underflow_are_refused_with_their_range():
    from complexity.models.pspin_finite import expected_count, mc_max_n

    with pytest.raises(ValueError, match="n <= 2048"):
        expected_count(3, 3000)
    with pytest.raises(ValueError, match="n <= 1035"):
        expected_count(3, 3000, k=3, samples=10)
    assert mc_max_n(3) == 1035 and mc_max_n(4) == 690
    r = expected_count(3, 1000, k=3, samples=10)  # its prefactor exp(549) alone was fine; exp(1040) was not
    assert math.isfinite(r.expected) and r.expected > 0 and r.stderr > 0


@pytest.mark.parametrize("argv,word", [
    (["pspin", "thresholds", "--p", "3", "--kmax", "1000000"], "--allow-large"),
    (["pspin", "count", "--p", "3", "--n", "100000"], "--allow-large"),
    (["pspin", "count", "--p", "3", "--n", "1000000000"], "memory"),
    (["pspin", "enumerate", "--p", "3", "--n", "8", "--samples", "100000000"], "--allow-large"),
    (["rmt", "support", "--kappa", "0.9", "--b", "1", "--b1", "0.5", "--x1", "1e5"], "|x1| <="),
    (["gan", "count", "--p", "3", "--q", "3", "--sigma-z", "1", "--n-d", "2", "--n-g", "2",
      "--kac-rice-samples", "1000000000000"], "--allow-large"),
])
def test_defect_former_hangs_are_refused_up_front(capsys, argv, word):
    code, _, err = run(capsys, *argv)
    assert code == 2 and word in err and len(_lines(err)) == 1


@pytest.mark.parametrize("argv,word", [
    (["gan", "thresholds", "--p", "3", "--q", "3", "--sigma-z", "1", "--kappa", "0.9", "--box", "theta"], "--box"),
    (["figures", "--list", "pspin_thresholds"], "--list"),
    (["rmt", "density", "--kappa", "0.5", "--b", "1", "--b1", "2", "--x1", "0", "--at", "1,,2"], "empty"),
    (["rmt", "density", "--kappa", "0.5", "--b", "1", "--b1", "2", "--x1", "0", "--at", "nan"], "--at"),
])
def test_defect_conflicts_are_refused(capsys, argv, word):
    code, out, err = run(capsys, *argv)
    assert code == 2 and word in err and out == ""


def test_defect_figures_out_must_be_a_writable_folder(capsys, tmp_path):
    f = tmp_path / "file"
    f.write_text("x")
    for out in (f, f / "sub"):
        code, _, err = run(capsys, "figures", "pspin_thresholds", "--out", str(out))
        assert code == 2 and "--out" in err


def test_figures_progress_lines(capsys, monkeypatch, tmp_path):
    from complexity import figures

    def draw(out_dir):
        p = out_dir / "fake.txt"
        p.write_text("x")
        return [p]

    fake = {n: figures.FigureSpec(n, "a fake figure", draw, "test") for n in ("one", "two")}
    monkeypatch.setattr(figures, "registry", lambda: dict(fake))
    monkeypatch.setattr("complexity.figures.style.apply_style", lambda: None)
    code, out, _ = run(capsys, "figures", "one", "two", "--out", str(tmp_path / "figs"), "--jobs", "1")
    lines = out.splitlines()
    assert code == 0 and lines[0] == "[1/2] one ..." and lines[1].startswith("[1/2] one: ")
    assert lines[1].endswith(" s)") and lines[2] == "[2/2] two ..." and lines[-1].startswith("2 figure(s) in ")
    # in parallel (forked workers announce their own start): every figure's end line and the total
    code, out, _ = run(capsys, "figures", "one", "two", "--out", str(tmp_path / "par"), "--jobs", "2")
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("drawing 2 figure(s) in 2 processes")
    ends = sorted(line.split(":")[0] for line in lines[1:-1])
    assert len(ends) == 2 and all(e.startswith(("[1/2] ", "[2/2] ")) for e in ends)
    assert {e.split("] ")[1] for e in ends} == {"one", "two"} and lines[-1].startswith("2 figure(s) in ")
    assert (tmp_path / "par" / "fake.txt").read_text() == "x"
