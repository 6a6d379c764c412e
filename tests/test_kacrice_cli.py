"""``complexity kacrice``: JSON shapes, digits, exit status 2 naming the ensemble or parameter."""

import json

import pytest

from complexity.cli import main
from complexity.models import pspin


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_thresholds_float_semicircle_is_pspin(capsys):
    code, out, _ = run(capsys, "kacrice", "thresholds", "--p", "3", "--ensemble", "semicircle", "--json")
    d = json.loads(out)
    assert code == 0 and set(d) == {"E_inf", "E_0"}
    assert d["E_inf"] == pytest.approx(pspin.e_inf(3), abs=1e-12)
    assert d["E_0"] == pytest.approx(pspin.threshold(3, 0), abs=1e-12)


def test_thresholds_dps_strings(capsys):
    code, out, _ = run(capsys, "kacrice", "thresholds", "--p", "3", "--ensemble", "semicircle", "--scale", "abc",
                       "--dps", "30", "--json")
    d = json.loads(out)
    assert code == 0 and isinstance(d["E_0"], str) and len(d["E_0"].replace(".", "")) == 30
    assert d["E_0"] == "1.65699836352747325122289140578"
    assert d["E_inf"].startswith("1.63299316185545206546485604")


def test_thresholds_marchenko_pastur(capsys):
    code, out, _ = run(capsys, "kacrice", "thresholds", "--p", "3", "--ensemble", "marchenko-pastur", "--c", "0.5",
                       "--json")
    d = json.loads(out)
    # E_inf = |1 - (1 - sqrt c)^2| / sqrt(2c) * sqrt(2(p-1)/p)
    assert code == 0 and d["E_inf"] == pytest.approx((1 - (1 - 0.5**0.5) ** 2) / 1.0 * (4 / 3) ** 0.5, abs=1e-12)
    assert d["E_0"] > d["E_inf"]


def test_theta_list_and_index_layer(capsys):
    code, out, _ = run(capsys, "kacrice", "theta", "--p", "3", "--ensemble", "semicircle", "--u", "-1.7,-1.0,0.5",
                       "--json")
    d = json.loads(out)
    assert code == 0 and d["theta"] == pytest.approx(list(pspin.theta([-1.7, -1.0, 0.5], 3)), abs=1e-12)
    code, out, _ = run(capsys, "kacrice", "theta", "--p", "3", "--ensemble", "semicircle", "--u", "-1.7", "--k", "1",
                       "--json")
    assert json.loads(out)["theta"] == pytest.approx([pspin.theta(-1.7, 3, 1)], abs=1e-12)


def test_theta_minus_infinity_is_null(capsys):
    code, out, _ = run(capsys, "kacrice", "theta", "--p", "3", "--ensemble", "marchenko-pastur", "--c", "2",
                       "--u", "0", "--k", "1", "--json")
    assert code == 0 and json.loads(out)["theta"] == [None]


def test_index_layer_without_rate_exits_2_naming_the_ensemble(capsys):
    from complexity import spectra

    try:
        spectra.wishart_product(0.5, 0.5)
    except (AttributeError, ImportError, ModuleNotFoundError):
        pytest.skip("wishart_product not on this branch yet")
    code, _, err = run(capsys, "kacrice", "theta", "--p", "3", "--ensemble", "wishart-product", "--c", "0.5,0.5",
                       "--u", "-2", "--k", "1", "--json")
    assert code == 2 and "wishart_product" in err and "rate" in err


@pytest.mark.parametrize("argv,name", [
    (("kacrice", "thresholds", "--p", "1", "--ensemble", "semicircle", "--json"), "p"),
    (("kacrice", "theta", "--p", "3", "--ensemble", "semicircle", "--u", "1,,2", "--json"), "--u"),
    (("kacrice", "theta", "--p", "3", "--ensemble", "semicircle", "--u", "nan", "--json"), "--u"),
    (("kacrice", "theta", "--p", "3", "--ensemble", "semicircle", "--u", "0", "--k", "-1", "--json"), "k"),
    (("kacrice", "thresholds", "--p", "3", "--ensemble", "marchenko-pastur", "--json"), "--c"),
    (("kacrice", "thresholds", "--p", "3", "--ensemble", "semicircle", "--dps", "2", "--json"), "dps"),
    (("kacrice", "thresholds", "--p", "3", "--ensemble", "semicircle", "--zero-mass", "0.2", "--json"), "E_0"),
])
def test_bad_input_exit_2(capsys, argv, name):
    code, out, err = run(capsys, *argv)
    assert code == 2 and name in err
    assert json.loads(out)["kind"] == "input" and name in json.loads(out)["error"]  # --json: the error on stdout


def test_empirical_spectrum_theta_and_refused_index_layer(capsys, tmp_path):
    import numpy as np

    ev = np.random.default_rng(0).standard_normal(400)
    path = tmp_path / "ev.txt"
    path.write_text(" ".join(repr(float(v)) for v in ev))
    code, out, _ = run(capsys, "kacrice", "theta", "--p", "3", "--ensemble", "empirical", "--eigenvalues", str(path),
                       "--u", "-1.8,0", "--json")
    th = json.loads(out)["theta"]
    assert code == 0 and len(th) == 2 and th[0] < th[1]
    code, out, err = run(capsys, "kacrice", "theta", "--p", "3", "--ensemble", "empirical", "--eigenvalues", str(path),
                         "--u", "-1.8", "--k", "1", "--json")
    assert code == 2 and "'empirical'" in err and "rate" in err and json.loads(out)["kind"] == "input"
