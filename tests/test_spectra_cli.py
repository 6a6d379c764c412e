"""``complexity spectrum {density, support, log-potential, moments, sample}``: the JSON contract,
closed-form values, atomic output files and errors that name the flag (exit status 2)."""

import json
import math
import os

import numpy as np
import pytest

from complexity.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def js(capsys, *argv):
    code, out, err = run(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


def test_density_semicircle_closed_form(capsys):
    d = js(capsys, "spectrum", "density", "--ensemble", "semicircle", "--at", "-3,-1,0,1.5")
    ref = [0.0] + [math.sqrt(4 - x * x) / (2 * math.pi) for x in (-1.0, 0.0, 1.5)]
    assert list(d) == ["density"] and d["density"] == pytest.approx(ref, abs=1e-15)


def test_support_marchenko_pastur_with_atom(capsys):
    c = 2.5
    d = js(capsys, "spectrum", "support", "--ensemble", "marchenko-pastur", "--c", str(c))
    assert sorted(d) == ["atoms", "intervals"]
    (a, b), = d["intervals"]
    assert a == pytest.approx((1 - math.sqrt(c)) ** 2, abs=1e-12) and b == pytest.approx((1 + math.sqrt(c)) ** 2, abs=1e-12)
    assert d["atoms"] == [[0.0, pytest.approx(1 - 1 / c, abs=1e-15)]]


def test_support_abc_scale_and_zero_mass(capsys):
    d = js(capsys, "spectrum", "support", "--ensemble", "semicircle", "--scale", "abc", "--zero-mass", "0.25")
    assert d["intervals"] == [[pytest.approx(-math.sqrt(2)), pytest.approx(math.sqrt(2))]]
    assert d["atoms"] == [[0.0, pytest.approx(0.25)]]


def test_log_potential_closed_form_and_atom_is_null(capsys):
    # semicircle on [-2, 2]: Phi(x) = x^2/4 - 1/2 inside; with zero mass d: (1 - d) Phi + d log|x|
    d = js(capsys, "spectrum", "log-potential", "--ensemble", "semicircle", "--zero-mass", "0.3", "--at", "-1,0,0.5")
    assert d["log_potential"][0] == pytest.approx(0.7 * (0.25 - 0.5), abs=1e-14)
    assert d["log_potential"][1] is None and "atom" in d["note"] and "0.0" in d["note"]
    assert d["log_potential"][2] == pytest.approx(0.7 * (0.0625 - 0.5) + 0.3 * math.log(0.5), abs=1e-14)
    d = js(capsys, "spectrum", "log-potential", "--ensemble", "semicircle", "--at", "0.5")
    assert list(d) == ["log_potential"]  # no note without an atom hit
    code, out, _ = run(capsys, "spectrum", "log-potential", "--ensemble", "marchenko-pastur", "--c", "2", "--at", "0")
    assert code == 0 and "-inf" in out


def test_log_potential_abc_scale(capsys):
    x = 0.6
    d = js(capsys, "spectrum", "log-potential", "--ensemble", "semicircle", "--scale", "abc", "--at", str(x))
    y = math.sqrt(2) * x  # Phi_abc(x) = Phi_wigner(sqrt2 x) - log sqrt2
    assert d["log_potential"][0] == pytest.approx(y * y / 4 - 0.5 - 0.5 * math.log(2), abs=1e-14)


def test_moments_catalan_and_narayana(capsys):
    d = js(capsys, "spectrum", "moments", "--ensemble", "semicircle", "--k", "6")
    assert d["moments"] == pytest.approx([0, 1, 0, 2, 0, 5], abs=1e-13)
    c = 0.5
    d = js(capsys, "spectrum", "moments", "--ensemble", "marchenko-pastur", "--c", str(c), "--k", "3")
    assert d["moments"] == pytest.approx([1, 1 + c, 1 + 3 * c + c * c], rel=1e-14)


def test_sample_writes_npy_reproducibly_and_roundtrips(capsys, tmp_path):
    out = tmp_path / "ev.npy"
    d = js(capsys, "spectrum", "sample", "--ensemble", "marchenko-pastur", "--c", "2", "--n", "30",
           "--samples", "4", "--seed", "7", "--out", str(out))
    assert d == {"out": str(out), "shape": [4, 30], "seed": 7}
    ev = np.load(out)
    assert ev.shape == (4, 30) and ev.dtype == np.float64 and np.all(np.diff(ev, axis=1) >= 0)
    assert np.mean(np.abs(ev) < 1e-8) == pytest.approx(0.5)  # rank T = 15 of 30: atom 1 - 1/c
    out2 = tmp_path / "again.npy"
    js(capsys, "spectrum", "sample", "--ensemble", "marchenko-pastur", "--c", "2", "--n", "30",
       "--samples", "4", "--seed", "7", "--out", str(out2))
    assert np.array_equal(np.load(out2), ev)
    one = tmp_path / "one.npy"
    js(capsys, "spectrum", "sample", "--ensemble", "semicircle", "--n", "5", "--out", str(one))
    assert np.load(one).shape == (1, 5)  # always 2-D
    # fed back as an empirical measure: its moments are the sample's
    d = js(capsys, "spectrum", "moments", "--ensemble", "empirical", "--eigenvalues", str(out), "--k", "2")
    assert d["moments"] == pytest.approx([ev.mean(), (ev**2).mean()], rel=1e-12)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["again.npy", "ev.npy", "one.npy"]  # no temp files


def test_sample_failure_leaves_nothing_half_written(capsys, tmp_path, monkeypatch):
    out = tmp_path / "ev.npy"
    np.save(out, np.arange(3.0))
    code, _, err = run(capsys, "spectrum", "sample", "--ensemble", "marchenko-pastur", "--c", "0",
                       "--n", "10", "--out", str(out))
    assert code == 2 and "--c" in err

    def broken(fh, arr, allow_pickle=False):
        fh.write(b"\x93NUMPY partial")
        raise ValueError("disk full")

    monkeypatch.setattr(np, "save", broken)
    code, _, err = run(capsys, "spectrum", "sample", "--ensemble", "semicircle", "--n", "10", "--out", str(out))
    monkeypatch.undo()
    assert code == 2 and "disk full" in err
    assert np.array_equal(np.load(out), np.arange(3.0))  # the old file, intact
    assert [p.name for p in tmp_path.iterdir()] == ["ev.npy"]  # and no temporary left over


@pytest.mark.parametrize(
    "argv,flag",
    [
        (("density", "--ensemble", "marchenko-pastur", "--c", "0", "--at", "1"), "--c"),
        (("density", "--ensemble", "marchenko-pastur", "--c", "-1", "--at", "1"), "--c"),
        (("density", "--ensemble", "marchenko-pastur", "--c", "1,2", "--at", "1"), "--c"),
        (("density", "--ensemble", "marchenko-pastur", "--at", "1"), "--c"),
        (("density", "--ensemble", "semicircle", "--c", "1", "--at", "1"), "--c"),
        (("density", "--ensemble", "semicircle", "--variance", "0", "--at", "1"), "--variance"),
        (("density", "--ensemble", "semicircle", "--variance", "-1", "--at", "1"), "--variance"),
        (("density", "--ensemble", "semicircle", "--at", "1,,2"), "--at"),
        (("density", "--ensemble", "semicircle", "--at", "nan"), "--at"),
        (("density", "--ensemble", "semicircle", "--at", "x"), "--at"),
        (("support", "--ensemble", "semicircle", "--zero-mass", "1"), "--zero-mass"),
        (("support", "--ensemble", "semicircle", "--zero-mass", "-0.2"), "--zero-mass"),
        (("moments", "--ensemble", "semicircle", "--k", "0"), "--k"),
        (("sample", "--ensemble", "semicircle", "--n", "1", "--out", "x.npy"), "--n"),
        (("sample", "--ensemble", "semicircle", "--n", "4", "--samples", "0", "--out", "x.npy"), "--samples"),
        (("sample", "--ensemble", "semicircle", "--n", "4", "--seed", "-3", "--out", "x.npy"), "--seed"),
        (("sample", "--ensemble", "semicircle", "--n", "4", "--out", "/no/such/dir/x.npy"), "--out"),
        (("support", "--ensemble", "empirical", "--eigenvalues", "/no/such/file.npy"), "--eigenvalues"),
        (("support", "--ensemble", "empirical"), "--eigenvalues"),
    ],
)
def test_bad_input_exits_2_naming_the_flag(capsys, tmp_path, argv, flag):
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        code, out, err = run(capsys, "spectrum", *argv)
    finally:
        os.chdir(cwd)
    assert code == 2 and flag in err and out == ""
    assert len(err.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("content,what", [(np.array([]), "no eigenvalues"), (np.array([1.0, np.nan]), "non-finite"),
                                          ("1.0 2.0 abc", "cannot read"), ("", "no eigenvalues")])
def test_bad_eigenvalue_files(capsys, tmp_path, content, what):
    if isinstance(content, str):
        path = tmp_path / "ev.txt"
        path.write_text(content)
    else:
        path = tmp_path / "ev.npy"
        np.save(path, content)
    code, _, err = run(capsys, "spectrum", "support", "--ensemble", "empirical", "--eigenvalues", str(path))
    assert code == 2 and "--eigenvalues" in err and what in err


def test_text_eigenvalue_file(capsys, tmp_path):
    path = tmp_path / "ev.txt"
    path.write_text("-1, 0.5\n2\n")
    d = js(capsys, "spectrum", "support", "--ensemble", "empirical", "--eigenvalues", str(path))
    assert d["intervals"] == [] and d["atoms"] == [[-1.0, pytest.approx(1 / 3)], [0.5, pytest.approx(1 / 3)], [2.0, pytest.approx(1 / 3)]]
