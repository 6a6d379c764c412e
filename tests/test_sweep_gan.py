"""The coupled (GAN) model as a sweep: the ``complexity sweep gan`` contract, its rows against
the model's own definitions (each threshold a root of Theta) and against the variational
oracle of tests/gan_oracles.py (u_D + u_G and |u_D - u_G|), a failed point recorded beside
finished ones, and a real dask cluster."""

import json
import math

import numpy as np
import pytest

from gan_oracles import Derived, Reference

from complexity.cli import main
from complexity.models.gan import GanModel
from complexity.sweep import load_sweep, read_metadata, run_sweep
from _stderr import without_compile_notes


def _num(df, col):
    import pandas as pd

    return pd.to_numeric(df[col], errors="coerce").to_numpy(dtype=float)


def test_cli_sweep_gan_json_and_rows_are_thresholds(tmp_path, capsys):
    """Each row's u_D and u_G are roots of Theta; its u_sum and max_abs_diff are the oracle's
    (tests/gan_oracles.py: the extrema of u_D + u_G and |u_D - u_G| over the points where the
    exponent, typed from the model's statement with its own Phi, is >= 0, on zoomed grids)
    within the oracle's stated grid error bound (<= 1e-4 here) + 1e-8.  The derived row at
    sigma_z = 0.01 checks u_sum only: its max_abs_diff is a known package bug
    (tests/test_gan_oracles.py::test_max_abs_diff_at_a_narrow_g_cluster)."""
    out = tmp_path / "sigma.csv"
    code = main(["sweep", "gan", "--p", "3", "--q", "3", "--kappa", "0.9", "--sigma-z", "logspace(-2,0,3)",
                 "--convention", "[derived,reference]", "--out", str(out), "--serial", "--json"])
    captured = capsys.readouterr()
    d = json.loads(captured.out)
    assert code == 0 and without_compile_notes(captured.err) == ""  # quiet under --json
    assert {k: d[k] for k in ("points", "done", "failed", "file")} == \
        {"points": 6, "done": 6, "failed": 0, "file": str(out)}
    df = load_sweep(out)
    meta = read_metadata(out)
    assert meta["model"] == "gan" and meta["points"] == 6
    assert set(df["convention"]) == {"derived", "reference"}
    for _, row in df.iterrows():
        m = GanModel(3, 3, row["sigma_z"], 0.9, row["convention"])
        # each threshold is a root of Theta (a different computation: grids and cumulative sup)
        assert abs(m.theta(row["u_D"], math.inf).theta) < 1e-6
        assert abs(m.theta(math.inf, row["u_G"]).theta) < 1e-6
        assert m.theta(row["u_D"] - 1e-3, math.inf).theta < 0 < m.theta(row["u_D"] + 1e-3, math.inf).theta
        # every loss pair with critical points has e_D >= theta_D and e_G >= theta_G (any set)
        assert row["u_sum"] >= row["u_D"] + row["u_G"] - 1e-9
        # u_D + u_G and |u_D - u_G| against the oracle (independent Phi, constants and extremum search)
        oracle = (Derived if row["convention"] == "derived" else Reference)(3, 3, row["sigma_z"], 0.9)
        names = ("u_sum",) if (row["convention"] == "derived" and row["sigma_z"] < 0.05) else ("u_sum", "max_abs_diff")
        for name, (val, err) in oracle.thresholds(which=names).items():
            assert err < 1e-4 and abs(row[name] - val) <= err + 1e-8, (row["convention"], row["sigma_z"], name)
        assert row["error"] == ""
    # sigma_z -> 0: theta_G -> 0 (the generator's loss is sigma_z l^G)
    der = df[df["convention"] == "derived"].sort_values("sigma_z")
    assert abs(der["u_G"].iloc[0]) < 0.02


def test_sweep_gan_computes_only_the_thresholds_asked_for(tmp_path):
    """--diff 0 --sum 0: the rows hold u_D and u_G only, the same numbers as a full point
    (each threshold is its own level-line search)."""
    out = tmp_path / "few.csv"
    s = run_sweep("gan", {"p": 3, "q": 5, "kappa": 0.5, "sigma_z": 0.3, "diff": 0, "sum": 0}, out,
                  backend="serial", progress=False)
    assert s["done"] == 1
    df = load_sweep(out)
    assert "u_sum" not in df.columns and "max_abs_diff" not in df.columns
    full = GanModel(3, 5, 0.3, 0.5).thresholds()
    assert df["u_D"].iloc[0] == full["u_D"] and df["u_G"].iloc[0] == full["u_G"]
    with pytest.raises(ValueError, match="sum"):
        run_sweep("gan", {"p": 3, "q": 3, "kappa": 0.5, "sigma_z": 1.0, "sum": 2}, tmp_path / "bad.csv",
                  backend="serial", progress=False)


def test_sweep_gan_theta_values_and_a_failed_point(tmp_path):
    """Theta at requested losses, and a point with Theta <= 0 everywhere (index 0 at sigma_z = 1,
    derived: sup Theta_{0,0} = -0.6) recorded with its error while the others finish."""
    out = tmp_path / "k.csv"
    s = run_sweep("gan", {"p": 3, "q": 3, "kappa": 0.9, "sigma_z": "[0.01,1.0]", "k_d": 0, "k_g": 0,
                          "u_d": -1.4, "u_g": 0.0}, out, backend="serial", progress=False)
    assert s["done"] == 1 and s["failed"] == 1
    df = load_sweep(out).sort_values("sigma_z")
    ok, bad = df.iloc[0], df.iloc[1]
    assert ok["error"] == "" and "Theta <= 0" in bad["error"]
    assert math.isnan(_num(df, "u_D")[1])
    m = GanModel(3, 3, 0.01, 0.9)
    r = m.theta(-1.4, 0.0, k_d=0, k_g=0)
    assert ok["theta"] == pytest.approx(r.theta, abs=1e-9)
    assert abs(m.theta(ok["u_D"], math.inf, k_d=0, k_g=0).theta) < 1e-6


@pytest.mark.slow
def test_sweep_gan_on_a_real_local_dask_cluster(tmp_path):
    out = tmp_path / "dask.csv"
    grid = {"p": 3, "q": 3, "kappa": "[0.5,0.9]", "sigma_z": 1.0}
    s = run_sweep("gan", grid, out, local_cluster=2, progress=False)
    assert s["done"] == 2 and s["failed"] == 0 and s["backend"].startswith("dask")
    df = load_sweep(out).sort_values("kappa")
    for k, row in zip((0.5, 0.9), df.itertuples()):
        thr = GanModel(3, 3, 1.0, k).thresholds()
        assert np.allclose([row.u_D, row.u_G, row.u_sum], [thr["u_D"], thr["u_G"], thr["u_sum"]], atol=1e-9)
    # rerun: everything cached
    assert run_sweep("gan", grid, out, backend="serial", progress=False)["computed"] == 0


@pytest.mark.slow
def test_cli_sweep_gan_joins_a_running_scheduler_by_address(tmp_path, capsys):
    """``--scheduler tcp://HOST:PORT``: a dask cluster started elsewhere (here: a LocalCluster of two
    single-threaded worker processes on this machine), joined by its address."""
    from distributed import LocalCluster

    out = tmp_path / "joined.csv"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        code = main(["sweep", "gan", "--p", "3", "--q", "3", "--kappa", "0.9", "--sigma-z", "[0.1,10]",
                     "--convention", "reference", "--out", str(out), "--scheduler", cluster.scheduler_address,
                     "--json"])
    d = json.loads(capsys.readouterr().out)
    assert code == 0 and d["done"] == 2 and d["failed"] == 0 and d["backend"].startswith("dask")
    df = load_sweep(out).sort_values("sigma_z")
    for s, row in zip((0.1, 10.0), df.itertuples()):
        thr = GanModel(3, 3, s, 0.9, "reference").thresholds()
        assert np.allclose([row.u_D, row.u_G, row.u_sum], [thr["u_D"], thr["u_G"], thr["u_sum"]], atol=1e-9)
