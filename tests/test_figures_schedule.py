"""The parallel figure run compiles a cold kernel family once, in one worker, before any
figure that needs it, while the other worker draws figures that do not (complexity.figures)."""

import os
import pathlib
import time

from complexity import figures

MARK = "COMPLEXITY_TEST_WARM_MARK"


def fake_warm_up():
    """Stands in for a compile: slow, then leaves a mark the dependent figures look for."""
    time.sleep(0.5)
    path = pathlib.Path(os.environ[MARK])
    path.write_text(str(os.getpid()))


def test_cold_family_is_compiled_once_before_its_figures(monkeypatch, tmp_path):
    mark = tmp_path / "warm"
    monkeypatch.setenv(MARK, str(mark))

    def needs(out_dir):  # a figure of the cold family: the warm-up must have run already
        p = out_dir / f"needs-{time.perf_counter_ns()}.txt"
        p.write_text("warm" if mark.exists() else "COLD")
        return [p]

    def other(out_dir):  # no kernels: may run while the family compiles
        p = out_dir / f"other-{time.perf_counter_ns()}.txt"
        p.write_text("warm" if mark.exists() else "cold")
        return [p]

    fake = {"a": figures.FigureSpec("a", "", needs, "fam"), "b": figures.FigureSpec("b", "", needs, "fam"),
            "c": figures.FigureSpec("c", "", other, "plain")}
    monkeypatch.setattr(figures, "registry", lambda: dict(fake))
    monkeypatch.setattr(figures, "GROUP_KERNELS", {"fam": "fam"})
    monkeypatch.setattr(figures, "WARM_UPS", {"fam": f"{__name__}:fake_warm_up"})
    monkeypatch.setattr(figures, "cold_kernels", lambda family: ["fake.py"] if family == "fam" else [])
    monkeypatch.setattr("complexity.figures.style.apply_style", lambda: None)
    lines = []
    done = figures.render(["a", "b", "c"], tmp_path / "out", log=lines.append, jobs=2)
    assert set(done) == {"a", "b", "c"}
    texts = {n: pathlib.Path(done[n]["files"][0]).read_text() for n in done}
    assert texts["a"] == "warm" and texts["b"] == "warm"  # never drawn before the compile
    assert texts["c"] == "cold"  # drawn by the other worker meanwhile
    assert any("compiling the fam kernels first" in line for line in lines)
    assert sum("compiled the fam kernels" in line for line in lines) == 1


def test_warm_family_is_not_compiled_again(monkeypatch, tmp_path):
    def draw(out_dir):
        p = out_dir / "x.txt"
        p.write_text("x")
        return [p]

    fake = {"a": figures.FigureSpec("a", "", draw, "fam")}
    monkeypatch.setattr(figures, "registry", lambda: dict(fake))
    monkeypatch.setattr(figures, "GROUP_KERNELS", {"fam": "fam"})
    monkeypatch.setattr(figures, "cold_kernels", lambda family: [])
    monkeypatch.setattr("complexity.figures.style.apply_style", lambda: None)
    lines = []
    figures.render(["a", "a"], tmp_path / "out", log=lines.append, jobs=2)
    assert not any("kernels" in line for line in lines), lines
