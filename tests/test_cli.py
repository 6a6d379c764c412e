"""The command-line contract: JSON shapes, exit codes, errors that name the parameter."""

import json
import math

import mpmath
import pytest

from complexity.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_thresholds_json(capsys):
    code, out, _ = run(capsys, "pspin", "thresholds", "--p", "3", "--kmax", "2", "--digits", "30", "--json")
    d = json.loads(out)
    assert code == 0 and d["p"] == 3 and len(d["E"]) == 3
    assert d["E_inf"].startswith("1.632993161855452") and len(d["E_inf"].replace(".", "")) == 30
    # E_0 independently: the root of ABC's closed form Theta_{0,3}(-E) = 0, typed here
    with mpmath.workdps(40):
        e_inf = 2 * mpmath.sqrt(mpmath.mpf(2) / 3)

        def theta0(e):
            r = mpmath.sqrt(e * e - e_inf**2)
            i1 = (e / e_inf**2) * r - mpmath.log(e + r) + mpmath.log(e_inf)
            return mpmath.log(2) / 2 - e * e / 8 - i1

        e0 = mpmath.findroot(theta0, mpmath.mpf("1.66"))
        assert abs(mpmath.mpf(d["E"][0]) - e0) < mpmath.mpf(10) ** -28
        assert abs(mpmath.mpf(d["E_inf"]) - e_inf) < mpmath.mpf(10) ** -28


def test_thresholds_default_17_digits(capsys):
    _, out, _ = run(capsys, "pspin", "thresholds", "--p", "4", "--kmax", "0", "--json")
    d = json.loads(out)
    assert len(d["E_inf"].replace(".", "")) == 17


def test_theta_json(capsys):
    _, out, _ = run(capsys, "pspin", "theta", "--p", "3", "--u", "-1.7", "--k", "0", "--json")
    # ABC's closed form, typed here: log(p-1)/2 - (p-2)/(4(p-1)) u^2 - (k+1) I_1(u), p = 3, k = 0
    e_inf = 2 * math.sqrt(2 / 3)
    r = math.sqrt(1.7**2 - e_inf**2)
    i1 = (1.7 / e_inf**2) * r - math.log(1.7 + r) + math.log(e_inf)
    assert json.loads(out)["theta"] == pytest.approx(math.log(2) / 2 - 1.7**2 / 8 - i1, abs=1e-13)
    _, out, _ = run(capsys, "pspin", "theta", "--p", "3", "--u", "0.5", "--json")
    assert json.loads(out)["theta"] == pytest.approx(math.log(2) / 2, abs=1e-15)  # log(p-1)/2 for u >= 0


@pytest.mark.parametrize(
    "argv,name",
    [
        (("pspin", "theta", "--p", "1", "--u", "0", "--json"), "p"),
        (("pspin", "theta", "--p", "3", "--u", "nan", "--json"), "u"),
        (("pspin", "theta", "--p", "3", "--u", "inf", "--json"), "u"),
        (("pspin", "theta", "--p", "3", "--u", "0", "--k", "-1", "--json"), "k"),
        (("pspin", "thresholds", "--p", "3", "--kmax", "-1", "--json"), "kmax"),
        (("figures", "no_such_figure", "--out", "/nonexistent/never"), "no_such_figure"),
    ],
)
def test_errors_exit_2_and_name_the_parameter(capsys, argv, name):
    code, out, err = run(capsys, *argv)
    assert code == 2 and name in err
    if "--json" in argv:  # the error as a JSON object on stdout too
        assert json.loads(out)["kind"] == "input"
    else:
        assert out == ""


def test_figures_list(capsys):
    code, out, _ = run(capsys, "figures", "--list", "--json")
    names = json.loads(out)["figures"]
    assert code == 0 and {"pspin_theta_band", "pspin_thresholds"} <= set(names)


def test_figure_is_written_identically_twice(tmp_path, capsys):
    a, b = tmp_path / "a", tmp_path / "b"
    assert run(capsys, "figures", "pspin_thresholds", "--out", str(a))[0] == 0
    assert run(capsys, "figures", "pspin_thresholds", "--out", str(b))[0] == 0
    assert (a / "pspin_thresholds.png").read_bytes() == (b / "pspin_thresholds.png").read_bytes()


def test_unknown_figure_writes_nothing(tmp_path, capsys):
    out = tmp_path / "figs"
    code, _, _ = run(capsys, "figures", "pspin_thresholds", "bogus", "--out", str(out))
    assert code == 2 and not out.exists()
