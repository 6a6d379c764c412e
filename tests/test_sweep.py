"""Sweeps: grid parsing, the registry, back ends (serial, processes, a real dask cluster),
resume after a kill, caching and its invalidation, failed points, the result file, the CLI."""

import json
import math
import os
import pathlib
import socket
import subprocess
import sys
import textwrap
import uuid

import numpy as np
import pandas as pd
import pytest
from _stderr import without_compile_notes

import complexity
from complexity.cli import main
from complexity.models import pspin
from complexity.sweep import (
    journal_path, load_sweep, parse_grid, read_metadata, register_sweep_model, run_sweep, sweep_model,
)

ROOT = pathlib.Path(__file__).resolve().parents[1]


# ----------------------------------------------------------------------------- test models
def calls_dir() -> pathlib.Path:
    return pathlib.Path(os.environ["SWEEP_TEST_CALLS"])


def counted_point(x, scale=1.0):
    """Counts its calls as files; dies (os._exit, no clean-up) once SWEEP_TEST_DIE_AFTER calls are done."""
    d = calls_dir()
    die_once = os.environ.get("SWEEP_TEST_DIE_ONCE")
    if die_once is not None and not os.path.exists(die_once):
        pathlib.Path(die_once).touch()
        os._exit(4)  # a worker process lost in the middle of a point
    die_after = os.environ.get("SWEEP_TEST_DIE_AFTER")
    if die_after is not None and len(list(d.iterdir())) >= int(die_after):
        os._exit(3)
    (d / f"{x}-{uuid.uuid4().hex}").touch()
    if x == 13:
        raise ArithmeticError("no convergence at x = 13")
    if x == 16:
        raise RuntimeError('step #2 failed, "badly",\n  twice')
    if x == 14:
        return {"square": math.nan, "cube": 1.0}
    return {"square": scale * x * x, "cube": float(x) ** 3}


def register_counted(version="1"):
    return register_sweep_model("counted", counted_point, {"x": lambda v: int(v), "scale": 1.0},
                                ["square", "cube"], version=version, replace=True)


def n_calls():
    return len(list(calls_dir().iterdir()))


@pytest.fixture
def calls(tmp_path, monkeypatch):
    d = tmp_path / "calls"
    d.mkdir()
    monkeypatch.setenv("SWEEP_TEST_CALLS", str(d))
    register_counted()
    return d


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pspin_expected(p, k_max, u):
    row = {"E_inf": pspin.e_inf(p), "theta": pspin.theta(u, p)}
    for k in range(k_max + 1):
        row[f"E_{k}"] = pspin.threshold(p, k)
        row[f"theta_{k}"] = pspin.theta(u, p, k)
    return row


def check_pspin_file(path, points):
    df = load_sweep(path)
    assert len(df) == len(points) and (df.error == "").all()
    for (p, u), (_, r) in zip(points, df.iterrows()):
        assert (r.p, r.u) == (p, u)
        for name, v in pspin_expected(p, int(r.k_max), u).items():
            assert r[name] == v, name  # exact: floats are written by repr
    return df


# ----------------------------------------------------------------------------- grids
@pytest.mark.parametrize("spec,values", [
    ("linspace(0.05,0.95,5)", np.linspace(0.05, 0.95, 5).tolist()),
    ("logspace(-5, 2, 8)", np.logspace(-5, 2, 8).tolist()),
    ("[3,4,5]", [3, 4, 5]),
    ("3, 5 ,7", [3, 5, 7]),
    ("0.5", [0.5]),
    ("-1e-3", [-0.001]),
    ("derived", ["derived"]),
    ("[derived, 'published']", ["derived", "published"]),
    ([1, 2.5], [1, 2.5]),
    (np.arange(3), [0, 1, 2]),
    (7, [7]),
])
def test_grid_parses(spec, values):
    got = parse_grid("kappa", spec)
    assert got == values and [type(v) for v in got] == [type(v) for v in values]


@pytest.mark.parametrize("spec", [
    "linspace(0,1)", "linspace(0,1,2.5)", "linspace(0,1,0)", "linspace(0,inf,3)", "logspace(0,400,3)",
    "[1,2", "1,2]", "1,,2", "[]", "", "  ", "exp(3)", "__import__('os').system('true')", "1;2",
    "[1,[2]]", "linspace(a,1,3)", "1 2",
])
def test_grid_malformed_names_the_parameter(spec):
    with pytest.raises(ValueError, match="sigma_z"):
        parse_grid("sigma_z", spec)


def test_bad_parameters_are_refused_before_work(tmp_path):
    out = tmp_path / "s.csv"
    for grid, name in [({"p": "[3,1]"}, "p"), ({"p": 3, "k_max": "-1"}, "k_max"), ({"p": 3, "u": "nan"}, "u"),
                       ({"p": 3, "q": 3}, "q"), ({"k_max": 2}, "p"), ({"p": "[3,x]"}, "p")]:
        with pytest.raises(ValueError, match=name):
            run_sweep("pspin", grid, out, backend="serial", progress=False)
    with pytest.raises(ValueError, match="no_such_model"):
        run_sweep("no_such_model", {"p": 3}, out, backend="serial", progress=False)
    assert list(tmp_path.iterdir()) == []


# ----------------------------------------------------------------------------- back ends
def test_serial_sweep_matches_the_model_and_loads_with_pandas(tmp_path):
    out = tmp_path / "pspin.csv"
    s = run_sweep("pspin", {"p": "[3,4]", "k_max": 2, "u": "[-1.7,-1.6]"}, out, backend="serial", progress=False)
    assert {k: s[k] for k in ("points", "done", "cached", "computed", "failed")} == \
        {"points": 4, "done": 4, "cached": 0, "computed": 4, "failed": 0}
    check_pspin_file(out, [(3, -1.7), (3, -1.6), (4, -1.7), (4, -1.6)])
    plain = pd.read_csv(out, comment="#")  # what a theorist types
    assert list(plain.columns) == ["p", "k_max", "u", "E_inf", "E_0", "E_1", "E_2", "theta", "theta_0", "theta_1",
                                   "theta_2", "model", "convention", "version", "model_version", "key", "error",
                                   "seconds"]
    assert (plain.model == "pspin").all() and (plain.version == complexity.__version__).all()
    meta = read_metadata(out)
    assert meta["model"] == "pspin" and meta["complexity_version"] == complexity.__version__
    assert meta["grid"] == {"p": [3, 4], "k_max": [2], "u": [-1.7, -1.6]} and meta["grid_spec"]["u"] == "[-1.7,-1.6]"
    assert meta["created"] and meta["points"] == 4 and meta["failed"] == 0
    assert not journal_path(out).exists() and sorted(os.listdir(tmp_path)) == ["pspin.csv"]


def test_processes_sweep(tmp_path):
    out = tmp_path / "p.csv"
    s = run_sweep("pspin", {"p": "[3,5]", "k_max": 1, "u": "[-1.65,-1.7]"}, out, backend="processes",
                  workers=2, progress=False)
    assert s["done"] == 4 and s["backend"] == "processes(2)"
    check_pspin_file(out, [(3, -1.65), (3, -1.7), (5, -1.65), (5, -1.7)])


def test_processes_survive_a_lost_worker(tmp_path, calls, monkeypatch):
    monkeypatch.setenv("SWEEP_TEST_DIE_ONCE", str(tmp_path / "died"))
    out = tmp_path / "w.csv"
    s = run_sweep("counted", {"x": "[1,2,3]"}, out, backend="processes", workers=1, progress=False)
    assert (tmp_path / "died").exists() and (s["done"], s["failed"]) == (3, 0)
    assert list(load_sweep(out).square) == [1.0, 4.0, 9.0]


def test_real_local_dask_cluster_with_two_workers_survives_a_lost_worker(tmp_path, calls, monkeypatch):
    # the first point to run kills its worker process; the scheduler reruns it on a new worker
    monkeypatch.setenv("SWEEP_TEST_DIE_ONCE", str(tmp_path / "died"))
    out = tmp_path / "d.csv"
    s = run_sweep("counted", {"x": "[1,2,3,4]"}, out, local_cluster=2, progress=False)
    assert s["backend"] == "dask-local(2)" and (s["done"], s["failed"]) == (4, 0)
    assert (tmp_path / "died").exists()
    df = load_sweep(out)
    assert list(df.square) == [1.0, 4.0, 9.0, 16.0] and (df.error == "").all()
    # the same points from another back end are cache hits: the key does not depend on it
    s2 = run_sweep("counted", {"x": "[1,2,3,4,5]"}, out, backend="serial", progress=False)
    assert (s2["cached"], s2["computed"]) == (4, 1)


def test_unreachable_scheduler_fails_fast_and_writes_nothing(tmp_path):
    out = tmp_path / "never.csv"
    with pytest.raises(ValueError, match="scheduler"):
        run_sweep("pspin", {"p": 3}, out, scheduler=f"tcp://127.0.0.1:{closed_port()}", connect_timeout=1,
                  progress=False)
    with pytest.raises(ValueError, match="scheduler"):
        run_sweep("pspin", {"p": 3}, out, scheduler="not an address", progress=False)
    assert list(tmp_path.iterdir()) == []


# ----------------------------------------------------------------------------- failures, cache, resume
def test_failed_point_is_recorded_and_the_sweep_goes_on(tmp_path, calls):
    out = tmp_path / "f.csv"
    s = run_sweep("counted", {"x": "[12,13,14,15]"}, out, backend="serial", progress=False)
    assert (s["done"], s["failed"], n_calls()) == (2, 2, 4)
    df = load_sweep(out)
    assert read_metadata(out)["failed"] == 2
    assert list(df.error[df.x.isin([12, 15])]) == ["", ""]
    assert df.error[df.x == 13].item() == "ArithmeticError: no convergence at x = 13"
    assert "NaN" in df.error[df.x == 14].item()  # no silent NaN: the point is an error
    assert df.square[df.x == 13].isna().item() and df.square[df.x == 15].item() == 225.0
    # failed points are retried on a rerun (and fail again); finished ones are not
    s = run_sweep("counted", {"x": "[12,13,14,15]"}, out, backend="serial", progress=False)
    assert (s["cached"], s["computed"], s["failed"], n_calls()) == (2, 2, 2, 6)
    s = run_sweep("counted", {"x": "[12,13,14,15]"}, out, backend="serial", progress=False, retry_failed=False)
    assert (s["cached"], s["computed"], n_calls()) == (4, 0, 6)


def test_awkward_error_text_survives_plain_pandas(tmp_path, calls):
    out = tmp_path / "a.csv"
    run_sweep("counted", {"x": "[15,16,12]"}, out, backend="serial", progress=False)
    plain = pd.read_csv(out, comment="#")
    assert list(plain.x) == [15, 16, 12] and list(plain.square[[0, 2]]) == [225.0, 144.0]
    assert plain.error[1] == 'RuntimeError: step #2 failed, "badly", twice' and plain.error.isna()[[0, 2]].all()


def test_deleted_rows_and_changed_inputs_are_recomputed(tmp_path, calls, monkeypatch):
    out = tmp_path / "c.csv"
    grid = {"x": "linspace(0,9,10)"}
    assert run_sweep("counted", grid, out, backend="serial", progress=False)["computed"] == 10
    # delete three rows by hand
    lines = out.read_text().splitlines(keepends=True)
    out.write_text("".join(line for line in lines if not line.startswith(("2,", "5,", "7,"))))
    s = run_sweep("counted", grid, out, backend="serial", progress=False)
    assert (s["cached"], s["computed"], n_calls()) == (7, 3, 13)
    # a changed parameter, an extended grid: only the new points
    s = run_sweep("counted", {"x": "linspace(0,11,12)", "scale": 1.0}, out, backend="serial", progress=False)
    assert (s["cached"], s["computed"]) == (10, 2)
    s = run_sweep("counted", {"x": "[0,1]", "scale": 2.0}, out, backend="serial", progress=False)
    assert (s["cached"], s["computed"]) == (0, 2) and list(load_sweep(out).square) == [0.0, 2.0]
    # a new model version or package version invalidates every point
    register_counted(version="2")
    assert run_sweep("counted", {"x": "[0,1]", "scale": 2.0}, out, backend="serial", progress=False)["computed"] == 2
    monkeypatch.setattr(complexity, "__version__", "99.0")
    s = run_sweep("counted", {"x": "[0,1]", "scale": 2.0}, out, backend="serial", progress=False)
    assert s["computed"] == 2 and (load_sweep(out).version == "99.0").all()


def test_killed_run_resumes_where_it_stopped(tmp_path, calls):
    out = tmp_path / "k.csv"
    script = textwrap.dedent(f"""
        import sys
        sys.path[:0] = [{str(ROOT)!r}, {str(ROOT / 'tests')!r}]
        import test_sweep
        from complexity.sweep import run_sweep
        test_sweep.register_counted()
        run_sweep("counted", {{"x": "linspace(0,7,8)"}}, {str(out)!r}, backend="serial", progress=False)
    """)
    env = dict(os.environ, SWEEP_TEST_DIE_AFTER="5")
    r = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=120)
    assert r.returncode == 3, r.stderr  # died inside the sixth point, without clean-up
    assert n_calls() == 5 and not out.exists() and journal_path(out).exists()
    # a torn last line, as if the kill had come in the middle of a write
    with open(journal_path(out), "a") as fh:
        fh.write('{"key": "abc", "par')
    s = run_sweep("counted", {"x": "linspace(0,7,8)"}, out, backend="serial", progress=False)
    assert (s["cached"], s["computed"], s["done"], n_calls()) == (5, 3, 8, 8)
    assert list(load_sweep(out).cube) == [float(x) ** 3 for x in range(8)]
    assert not journal_path(out).exists()


def test_out_file_of_another_kind_is_not_overwritten(tmp_path, calls):
    foreign = tmp_path / "notes.csv"
    foreign.write_text("a,b\n1,2\n")
    with pytest.raises(ValueError, match="not a complexity sweep file"):
        run_sweep("counted", {"x": 1}, foreign, backend="serial", progress=False)
    other = tmp_path / "other.csv"
    run_sweep("counted", {"x": 1}, other, backend="serial", progress=False)
    with pytest.raises(ValueError, match="model 'counted'"):
        run_sweep("pspin", {"p": 3}, other, backend="serial", progress=False)
    assert foreign.read_text() == "a,b\n1,2\n" and n_calls() == 1


def test_registry_contract():
    m = sweep_model("pspin")
    assert list(m.parameters) == ["p", "k_max", "u"] and m.parameters["p"].required
    assert m.outputs({"p": 3, "k_max": 1, "u": None}) == ["E_inf", "E_0", "E_1"]
    with pytest.raises(ValueError, match="already registered"):
        register_sweep_model("pspin", counted_point, {"x": 1}, ["y"])
    with pytest.raises(ValueError, match="clash"):
        register_sweep_model("clashing", counted_point, {"x": 1}, ["x"])


# ----------------------------------------------------------------------------- the command line
def test_cli_json_summary(tmp_path, capsys):
    out = tmp_path / "x.csv"
    code = main(["sweep", "pspin", "--p", "[3,4,5]", "--k-max", "3", "--u", "-1.7", "--out", str(out),
                 "--serial", "--json"])
    captured = capsys.readouterr()
    d = json.loads(captured.out)
    assert code == 0 and without_compile_notes(captured.err) == ""  # quiet under --json
    assert {k: d[k] for k in ("points", "done", "cached", "failed", "file")} == \
        {"points": 3, "done": 3, "cached": 0, "failed": 0, "file": str(out)}
    assert list(load_sweep(out).E_3) == [pspin.threshold(p, 3) for p in (3, 4, 5)]


@pytest.mark.parametrize("argv,name", [
    (["--p", "linspace(3,5)"], "p"),
    (["--p", "3", "--k-max", "[1,-2]"], "k_max"),
    (["--p", "3", "--scheduler", "tcp://127.0.0.1:{port}", "--connect-timeout", "1"], "scheduler"),
])
def test_cli_errors_exit_2(tmp_path, capsys, argv, name):
    argv = [a.format(port=closed_port()) for a in argv]
    code = main(["sweep", "pspin", *argv, "--out", str(tmp_path / "e.csv"), "--json"])
    captured = capsys.readouterr()
    assert code == 2 and name in captured.err and json.loads(captured.out)["kind"] == "input"
    assert list(tmp_path.iterdir()) == []
