"""benchmarks/ works: the floor prints the same table, generated files are valid, and the
start-up benchmark runs in its quick mode. No timed assertions: figures are only shown.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from ketacompare import loader
from ketacompare.query import comparison_grid

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini.yaml"
BENCH = ROOT / "benchmarks"


def startup_module() -> ModuleType:
    """benchmarks/startup.py as a module (benchmarks/ is not a package)."""
    name = "ketacompare_startup_benchmark"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, BENCH / "startup.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses look their module up here
        spec.loader.exec_module(module)
    return sys.modules[name]


def run(args: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k != "KETACOMPARE_DATA"}
    base |= {"PYTHONPATH": str(ROOT), "COLUMNS": "100", "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=base | (env or {}),
        capture_output=True,
        text=True,
        timeout=300,
    )


def table_part(text: str) -> list[str]:
    """The lines up to the table's bottom border (the closing notes may differ), with runs
    of padding squeezed: the app shares spare width between columns, the floor does not,
    and the same words in the same cells is what makes the comparison fair."""
    lines = text.splitlines()
    last = max(i for i, line in enumerate(lines) if line.startswith("╰"))
    return [re.sub("─+", "─", re.sub(" +", " ", line)) for line in lines[: last + 1]]


@pytest.mark.slow
def test_floor_prints_the_same_routes_table(tmp_path: Path) -> None:
    generated = tmp_path / "g.yaml"
    startup_module().generate(generated, routes=3, factors=6, fill=0.5)
    for data in (MINI, generated):
        floor = run([str(BENCH / "floor.py"), str(data)])
        app = run(["-m", "ketacompare", "routes", "--data", str(data)])
        assert floor.returncode == 0, floor.stderr
        assert app.returncode == 0, app.stderr
        assert table_part(floor.stdout) == table_part(app.stdout)
        assert "not medical advice" in floor.stdout


def test_generated_file_is_a_valid_grid(tmp_path: Path) -> None:
    path = tmp_path / "scale.yaml"
    size = startup_module().generate(path, routes=12, factors=10, fill=0.3)
    assert size == path.stat().st_size
    dataset = loader.load(path)
    routes = dataset.comparisons.routes.subjects
    assert list(routes)[:3] == ["r0000", "r0001", "r0002"]
    assert len(routes) == 12
    assert all(len(route.cells) == 3 for route in routes.values())
    grid = comparison_grid(dataset, "routes")
    assert [row.key for row in grid.rows] == [f"f{f:03d}" for f in range(10)]
    assert grid.cell("f001", "r0001")[0].text == (
        "Route 1, factor 1: a generated fact of usual length"
    )


def test_full_size_generated_file_fits_the_data_file_cap(tmp_path: Path) -> None:
    # 1,000 routes x 100 factors at the default fill must load, not hit the 2 MiB cap.
    bench = startup_module()
    size = bench.generate(tmp_path / "big.yaml", routes=1000, factors=100, fill=0.2)
    assert size <= bench.MAX_BYTES == loader.MAX_BYTES


ROW = r"\s+\d+\s+\d+\s+(?:[\d.]+|-)\s+(?:[\d.]+|-)"


def has_figures(output: str, case: str) -> bool:
    return re.search(rf"^  {re.escape(case)}{ROW}$", output, re.MULTILINE) is not None


def test_a_goal_fails_quick_mode_only_when_relative_and_twice_over() -> None:
    goal = startup_module().Goal
    assert goal("r", 2.9, 1.5, "", relative=True).verdict(quick=True) == "PASS"
    assert goal("r", 3.1, 1.5, "", relative=True).verdict(quick=True) == "FAIL"
    assert goal("ms", 900.0, 50.0, "", relative=False).verdict(quick=True) == "INFO"
    assert goal("ms", 51.0, 50.0, "", relative=False).verdict(quick=False) == "FAIL"
    assert goal("ms", None, 50.0, "", relative=False).verdict(quick=False) == "n/a "


@pytest.mark.slow
def test_quick_benchmark_runs_every_case() -> None:
    done = run([str(BENCH / "startup.py"), "--quick", "--no-scale"])
    out = done.stdout
    assert done.returncode in (0, 1), done.stderr
    assert "2 interleaved run(s) per case" in out
    for case in (
        "floor (CSafeLoader + Rich, no CLI)",
        "python -c pass",
        "routes",
        "compare iv im --factor onset",
        "--help",
        "completion: compare <TAB>",
    ):
        assert has_figures(out, case), case
    json_case = "routes --format json"
    assert has_figures(out, json_case)
    # Quick mode: relative goals can fail (beyond 2x), absolute ones are information only.
    for goal in ("completion median <= 50 ms", "peak RSS <= 40 MiB"):
        assert re.search(rf"^  (INFO|n/a )  {re.escape(goal)}: ", out, re.MULTILINE), goal
    for goal in ("`routes` ratio <= 1.5", "completion / python -c pass <= 2.5"):
        assert re.search(rf"^  (PASS|FAIL)  {re.escape(goal)}: \d+\.\d\d$", out, re.MULTILINE)
    assert "Quick mode" in out
    # One verdict, and the exit status agrees with it.
    verdict = out.strip().splitlines()[-1]
    assert verdict == ("Verdict: OK" if done.returncode == 0 else verdict)
    assert verdict.startswith("Verdict: FAIL: ") == (done.returncode == 1)


@pytest.mark.slow
def test_quick_scale_benchmark_runs_on_a_small_generated_file() -> None:
    args = ["--quick", "--scale-only", "--scale-sizes", "3,8", "--scale-factors", "6"]
    done = run([str(BENCH / "startup.py"), *args])
    out = done.stdout
    assert done.returncode == 0, done.stderr
    assert "Scale: generated files, 6 factors" in out
    for n in (1, 3, 8):
        assert re.search(rf"^\s+{n} route\(s\): [\d,]+ KiB$", out, re.MULTILINE)
        assert has_figures(out, f"{n} routes --format table")
        assert has_figures(out, f"{n} routes: floor")
        assert has_figures(out, f"{n} routes --format json")
    assert re.search(r"^  (INFO|n/a )  8-route json < 1 s: ", out, re.MULTILINE)
    assert re.search(r"^  (INFO|n/a )  table growth 3->8 routes", out, re.MULTILINE)
    assert "routes ratio" not in out  # --scale-only skips the start-up cases


def test_bad_arguments_exit_2() -> None:
    done = run([str(BENCH / "startup.py"), "--scale-fill", "2"])
    assert done.returncode == 2
    assert "--scale-fill must be more than 0 and at most 1" in done.stderr
