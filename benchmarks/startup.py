"""Start-up benchmark: whole `ketacompare` processes against the stack's floor (issue 7).

    python benchmarks/startup.py                 # 10 interleaved runs per case, goals checked
    python benchmarks/startup.py --quick         # 2 runs, scale 10/100 routes (CI): fails
                                                 # only on a 2x regression of a relative goal
    python benchmarks/startup.py --runs 30 --data path/to/routes.yaml

Every case runs as a new process of this interpreter (`sys.executable -m ketacompare ...`
in the checkout, so no install is needed). Each run of a case is paired with a run of
the floor (benchmarks/floor.py: CSafeLoader + the same Rich table, no CLI framework)
just before or after it; a case's ratio is the median of its pairs' ratios, which holds
on a busy machine where absolute times drift. CPU time (user + sys of the child) is
shown too: it moves less than wall time when other work shares the cores.

Peak RSS is the child's own VmHWM (Linux /proc), written at exit by a sitecustomize hook
in one extra, untimed run per case. rusage's ru_maxrss is not used: on Linux it starts
from the parent's high-water mark at fork/exec, so it reports the benchmark's memory.

Scale cases use generated files (in a temporary directory, deleted afterwards) with
100 and 1,000 routes x 100 factors. The data-file cap is 2 MiB, so a full 1,000 x 100
grid cannot be loaded: each route has facts for --scale-fill of the factors (default
1/5) and every factor is still a row. Growth compares the marginal cost per route
above a 1-route file of the same shape.

Goals are relative (a ratio to a baseline measured in the same run: the floor, or
`python -c pass`, which holds on a busy machine) or absolute (milliseconds, MiB). A full
run checks every goal. --quick (CI) has two runs only: a relative goal fails there when it
is over twice its target (a regression, not noise); the rest is marked INFO, information
only. The report ends with one verdict line, and the exit status says the same.

Exit status: 1 when a goal fails or a case does not run, 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLOOR = ROOT / "benchmarks" / "floor.py"
SHIPPED = ROOT / "data" / "routes.yaml"
FALLBACK = ROOT / "tests" / "fixtures" / "mini.yaml"
MAX_BYTES = 2 * 1024 * 1024  # ketacompare.loader.MAX_BYTES, the documented cap
MiB = 1024 * 1024
DISCLAIMER = "not medical advice"  # every view ends with it; proves a run printed a view

# Goals from issue 7.
ROUTES_RATIO = 1.5
JSON_RATIO = 1.3
COMPLETION_MS = 50.0  # issue 15: a TAB answered without importing Typer
COMPLETION_RATIO = 2.5  # the same, relative: 50 ms where Python itself starts in 20 ms
REGRESSION = 2.0  # --quick fails a relative goal only beyond this many times its target
RSS_MIB = 40.0
SCALE_JSON_MS = 1000.0
GROWTH_SLACK = 1.25  # cost per route may rise this much from 100 to 1,000 routes (noise)

RSS_HOOK = """\
# Written by benchmarks/startup.py: report this process's peak RSS (VmHWM) at exit.
import atexit
import os


def _report():
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    with open(os.environ["KETACOMPARE_BENCH_RSS"], "w") as out:
                        out.write(line.split()[1])
    except (OSError, KeyError):
        pass


atexit.register(_report)
"""


@dataclass
class Case:
    name: str
    argv: list[str]  # after `python -m ketacompare`; the whole argv when raw
    env: dict[str, str] = field(default_factory=dict)
    floor_data: Path | None = None  # pair each run with the floor on this file
    raw: bool = False
    expect: str | None = DISCLAIMER  # text the output must contain
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    ratios: list[float] = field(default_factory=list)
    rss: int | None = None  # bytes
    error: str | None = None

    def median_ms(self) -> float | None:
        return statistics.median(self.wall) * 1000 if self.wall else None

    def cpu_ms(self) -> float | None:
        return statistics.median(self.cpu) * 1000 if self.cpu else None

    def ratio(self) -> float | None:
        return statistics.median(self.ratios) if self.ratios else None

    def command(self) -> list[str]:
        if self.raw:
            return [sys.executable, *self.argv]
        return [sys.executable, "-m", "ketacompare", *self.argv]


def floor_case(data: Path) -> Case:
    return Case("floor (CSafeLoader + Rich, no CLI)", [str(FLOOR), str(data)], raw=True)


def base_env(data: Path) -> dict[str, str]:
    env = dict(os.environ)
    # An installed package has its bytecode cached; so must the checkout (the preflight
    # run writes it), or every run would pay for compiling ketacompare from source.
    for name in (
        "PYTHONDONTWRITEBYTECODE",
        "PYTHONPYCACHEPREFIX",
        "PYTHONPATH",
        "PYTHONSTARTUP",
        "PYTHONPROFILEIMPORTTIME",
        "PYTHONDEVMODE",
    ):
        env.pop(name, None)
    # Same terminal for every process: piped, 100 columns, no colour.
    env.update({"COLUMNS": "100", "LINES": "24", "NO_COLOR": "1", "TERM": "xterm"})
    env["KETACOMPARE_DATA"] = str(data)
    return env


def run_once(case: Case, env: dict[str, str]) -> tuple[float, float, int]:
    """One process, output discarded: (wall s, user+sys CPU s, exit code)."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        case.command(),
        cwd=ROOT,
        env=env | case.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime + usage.ru_stime, proc.returncode


def preflight(case: Case, env: dict[str, str]) -> None:
    """Run once with output captured: proves the case works, and warms caches."""
    done = subprocess.run(case.command(), cwd=ROOT, env=env | case.env, capture_output=True)
    text = (done.stdout + done.stderr).decode("utf-8", "replace")
    if done.returncode != 0:
        last = (text.strip().splitlines() or ["no output"])[-1]
        case.error = f"exit {done.returncode}: {last[:110]}"
    elif case.expect is not None and case.expect not in text:
        case.error = f"output lacks {case.expect!r}"


def measure(
    cases: Sequence[Case], env: dict[str, str], runs: int, progress: bool
) -> dict[Path, Case]:
    """Each case's run is paired with a floor run, alternating which goes first.

    Returns the floor's runs, one Case per data file.
    """
    floors = {c.floor_data: floor_case(c.floor_data) for c in cases if c.floor_data}
    for i in range(runs):
        for case in cases:
            floor = floors.get(case.floor_data) if case.floor_data else None
            if case.error or (floor is not None and floor.error):
                continue
            pair = [w for w in (floor, case) if w is not None]
            if i % 2:
                pair.reverse()
            walls: dict[int, float] = {}
            for which in pair:
                wall, cpu, code = run_once(which, env)
                if code != 0:
                    which.error = f"exit {code} on run {i + 1}"
                which.wall.append(wall)
                which.cpu.append(cpu)
                walls[id(which)] = wall
            if floor is not None:
                case.ratios.append(walls[id(case)] / walls[id(floor)])
        if progress:
            print(f"  run {i + 1}/{runs} done", file=sys.stderr, flush=True)
    return floors


def peak_rss(cases: Sequence[Case], env: dict[str, str]) -> None:
    """One untimed run per case with the VmHWM hook; leaves rss None where unknown."""
    with tempfile.TemporaryDirectory(prefix="ketacompare-rss-") as tmp:
        Path(tmp, "sitecustomize.py").write_text(RSS_HOOK, encoding="utf-8")
        report = Path(tmp, "rss")
        for case in cases:
            if case.error:
                continue
            report.unlink(missing_ok=True)
            hooked = env | {"PYTHONPATH": tmp, "KETACOMPARE_BENCH_RSS": str(report)}
            _, _, code = run_once(case, hooked)
            if code == 0 and report.is_file():
                case.rss = int(report.read_text()) * 1024


# Generated data -----------------------------------------------------------------------


def generate(path: Path, routes: int, factors: int, fill: float, sources: int = 20) -> int:
    """A valid data file: `routes` x `factors`, each route with facts for `fill` of them."""
    per_route = max(1, round(factors * fill))
    out = [
        "# Generated by benchmarks/startup.py for the scale cases.",
        "version: 2",
        "updated: 2026-12-03",
        "sources:",
    ]
    for s in range(sources):
        out.append(f"  s{s:02d}: {{kind: trial, title: Generated source {s}}}")
    out.append("factors:")
    for f in range(factors):
        out += [
            f"  f{f:03d}:",
            f"    label: Factor {f}",
            f"    description: Generated factor number {f}.",
        ]
    out += ["comparisons:", "  routes:", "    title: Generated routes"]
    out += ["    subject_label: Route", "    subjects:"]
    for r in range(routes):
        out += [f"      r{r:04d}:", f"        name: Route {r}", "        cells:"]
        # Spread the filled factors so that every factor has facts in some route.
        for k in range(per_route):
            f = (r + k * factors // per_route) % factors
            text = f'"Route {r}, factor {f}: a generated fact of usual length"'
            source = f"s{(r + f) % sources:02d}"
            out.append(f"          f{f:03d}: [{{text: {text}, sources: [{source}]}}]")
    body = "\n".join(out) + "\n"
    path.write_text(body, encoding="utf-8")
    return len(body.encode("utf-8"))


# Report -------------------------------------------------------------------------------

HEADER = f"  {'case':<38} {'wall ms':>8} {'cpu ms':>7} {'ratio':>6} {'RSS MiB':>7}"


def row(case: Case, label: str | None = None) -> str:
    label = label or case.name
    if case.error and not case.wall:
        return f"  {label:<38} not run: {case.error}"
    wall, cpu, ratio = case.median_ms(), case.cpu_ms(), case.ratio()
    cells = [
        f"{wall:8.0f}" if wall is not None else f"{'-':>8}",
        f"{cpu:7.0f}" if cpu is not None else f"{'-':>7}",
        f"{ratio:6.2f}" if ratio is not None else f"{'-':>6}",
        f"{case.rss / MiB:7.1f}" if case.rss else f"{'-':>7}",
    ]
    note = f"  ({case.error})" if case.error else ""
    return f"  {label:<38} {' '.join(cells)}{note}"


@dataclass
class Goal:
    name: str
    value: float | None  # None: not measured
    target: float
    detail: str
    relative: bool  # measured against a baseline in the same run

    def verdict(self, quick: bool) -> str:
        if self.value is None:
            return "n/a "
        if not quick:
            return "PASS" if self.value <= self.target else "FAIL"
        if not self.relative:
            return "INFO"
        return "FAIL" if self.value > REGRESSION * self.target else "PASS"


Results = list[Goal]


def goal(
    results: Results,
    name: str,
    value: float | None,
    target: float,
    detail: str,
    relative: bool = False,
) -> None:
    results.append(Goal(name, value, target, detail, relative))


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = ""
    if hasattr(os, "getloadavg"):
        load = ", load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    return (
        f"Python {platform.python_version()} ({sys.executable}); {platform.system()}, "
        f"{os.cpu_count()} CPUs ({cpu}){load}"
    )


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10, help="runs per case (default 10)")
    parser.add_argument("--quick", action="store_true", help="2 runs; exit 0 whatever the figures")
    parser.add_argument("--data", type=Path, help="data file (default: data/routes.yaml)")
    parser.add_argument("--no-scale", action="store_true", help="skip the generated-file cases")
    parser.add_argument("--scale-only", action="store_true", help="only the generated-file cases")
    parser.add_argument(
        "--scale-sizes", help="route counts (default 100,1000; with --quick 10,100)"
    )
    parser.add_argument("--scale-factors", type=int, default=100, help="factors (100)")
    parser.add_argument(
        "--scale-fill", type=float, default=0.2, help="share of factors with facts, per route"
    )
    parser.add_argument("--scale-runs", type=int, help="runs per scale case (default: --runs)")
    args = parser.parse_args(argv)
    if args.quick:
        args.runs = 2
        args.scale_runs = min(args.scale_runs or 2, 2)
    if args.runs < 1 or (args.scale_runs is not None and args.scale_runs < 1):
        parser.error("--runs and --scale-runs must be at least 1")
    if args.scale_sizes is None:
        # Quick mode proves the scale cases work; the 1,000-route table alone takes
        # about 15 s a run (Rich), too long for CI.
        args.scale_sizes = "10,100" if args.quick else "100,1000"
    try:
        args.sizes = sorted({int(s) for s in args.scale_sizes.split(",") if s.strip()})
    except ValueError:
        parser.error("--scale-sizes takes route counts, e.g. 100,1000")
    if not args.sizes or args.sizes[0] < 1 or args.scale_factors < 1:
        parser.error("--scale-sizes and --scale-factors must be positive")
    if not 0 < args.scale_fill <= 1:
        parser.error("--scale-fill must be more than 0 and at most 1")
    if args.data is None:
        args.data = SHIPPED if SHIPPED.is_file() else FALLBACK
    args.data = args.data.resolve()
    if not args.data.is_file():
        parser.error(f"--data {args.data}: no such file")
    args.scale_runs = args.scale_runs or args.runs
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    env = base_env(args.data)
    print(f"ketacompare start-up benchmark: {args.runs} interleaved run(s) per case")
    print(f"  {machine()}")
    results: Results = []
    failed = False
    if not args.scale_only:
        failed |= startup(args, env, results)
    if not args.no_scale:
        failed |= scale(args, env, results)
    print("\nGoals (issues 7 and 15):")
    verdicts = [(g.verdict(args.quick), g) for g in results]
    for verdict, g in verdicts:
        print(f"  {verdict}  {g.name}: {g.detail}")
    if args.quick:
        print(
            f"Quick mode (2 runs): a relative goal fails only beyond {REGRESSION:g}x its "
            "target; INFO lines are information only."
        )
    failing = [g.name for verdict, g in verdicts if verdict == "FAIL"]
    if failed:
        failing.append("a case did not run")
    print(f"Verdict: {'FAIL: ' + '; '.join(failing) if failing else 'OK'}")
    return 1 if failing else 0


def startup(args: argparse.Namespace, env: dict[str, str], results: Results) -> bool:
    """The five cases of the issue on the data file, each paired with the floor."""
    shipped = args.data == SHIPPED.resolve()
    print(f"  data: {args.data}" + ("" if shipped else " (not the shipped file)"))
    completion = {
        "_KETACOMPARE_COMPLETE": "complete_bash",
        "COMP_WORDS": "ketacompare compare ",
        "COMP_CWORD": "2",
    }
    cases = [
        Case("python -c pass", ["-c", "pass"], raw=True, expect=None),
        Case("routes", ["routes"]),
        Case("compare iv im --factor onset", ["compare", "iv", "im", "--factor", "onset"]),
        Case("routes --format json", ["routes", "--format", "json"]),
        Case("--help", ["--help"], expect="Usage"),
        Case("completion: compare <TAB>", [], env=completion, expect=None),
    ]
    floor = floor_case(args.data)
    preflight(floor, env)
    for case in cases:
        case.floor_data = args.data
        preflight(case, env)
    if not Path(importlib.util.cache_from_source(str(ROOT / "ketacompare" / "cli.py"))).is_file():
        print("  note: no bytecode cache in the checkout; times include compiling ketacompare")
    floors = measure(cases, env, args.runs, progress=not args.quick)
    floor = floors[args.data]
    peak_rss([floor, *cases], env)
    print("\n" + HEADER)
    print(row(floor))
    for case in cases:
        print(row(case))
    print("  ratio: median over runs of (case wall time / wall time of its paired floor run)")

    by = {c.name: c for c in cases}
    for name, target in (("routes", ROUTES_RATIO), ("routes --format json", JSON_RATIO)):
        ratio = by[name].ratio()
        detail = _shown(by[name], ratio, "{:.2f}")
        goal(results, f"`{name}` ratio <= {target}", ratio, target, detail, relative=True)
    comp, python = by["completion: compare <TAB>"], by["python -c pass"]
    ms, start = comp.median_ms(), python.median_ms()
    detail = _shown(comp, ms, "{:.0f} ms") + (f" (python -c pass: {start:.0f} ms)" if start else "")
    goal(results, f"completion median <= {COMPLETION_MS:.0f} ms", ms, COMPLETION_MS, detail)
    times = None if ms is None or not start else ms / start
    goal(
        results,
        f"completion / python -c pass <= {COMPLETION_RATIO}",
        times,
        COMPLETION_RATIO,
        _shown(comp, times, "{:.2f}"),
        relative=True,
    )
    measured = [c for c in cases if not c.raw and c.rss]
    worst = max(measured, key=lambda c: c.rss or 0, default=None)
    if worst is None or worst.rss is None:
        goal(results, f"peak RSS <= {RSS_MIB:.0f} MiB", None, RSS_MIB, "not measured (/proc)")
    else:
        detail = f"{worst.rss / MiB:.1f} MiB ({worst.name})"
        if not shipped:
            detail += "; the goal is for data/routes.yaml"
        value = worst.rss / MiB if shipped else None
        goal(results, f"peak RSS <= {RSS_MIB:.0f} MiB", value, RSS_MIB, detail)
    return floor.error is not None or any(c.error for c in cases)


def _shown(case: Case, value: float | None, template: str) -> str:
    """`template` filled with the figure, or why there is none."""
    if value is None:
        return f"not run ({case.error})" if case.error else "not measured"
    return template.format(value) + (f" ({case.error})" if case.error else "")


def scale(args: argparse.Namespace, env: dict[str, str], results: Results) -> bool:
    """Generated files: json and table at each size, tables paired with the floor."""
    sizes = sorted({1, *args.sizes})
    print(
        f"\nScale: generated files, {args.scale_factors} factors, facts for "
        f"{args.scale_fill:.0%} of them per route; {args.scale_runs} run(s) per case"
    )
    with tempfile.TemporaryDirectory(prefix="ketacompare-bench-") as tmp:
        files: dict[int, Path] = {}
        for n in sizes:
            files[n] = Path(tmp) / f"scale-{n}.yaml"
            size = generate(files[n], n, args.scale_factors, args.scale_fill)
            over = " (over the 2 MiB cap: expect a refusal)" if size > MAX_BYTES else ""
            print(f"  {n:>5} route(s): {size / 1024:,.0f} KiB{over}")
        cases = [
            Case(
                f"{n} routes --format {fmt}",
                ["routes", "--format", fmt, "--data", str(files[n])],
                floor_data=files[n] if fmt == "table" else None,
            )
            for n in sizes
            for fmt in ("json", "table")
        ]
        floors = {n: floor_case(files[n]) for n in sizes}
        for case in cases:
            preflight(case, env)
        measured = measure(cases, env, args.scale_runs, progress=not args.quick)
        peak_rss(cases, env)
        print("\n" + HEADER)
        for case in cases:
            n = int(case.name.split()[0])
            if case.floor_data in measured:
                floors[n] = measured[case.floor_data]
                print(row(floors[n], f"{n} routes: floor"))
            print(row(case))
        print("  ratio: against the floor printing the same file's table")

    by = {c.name: c for c in cases}
    big, small = args.sizes[-1], args.sizes[0]
    big_json = by[f"{big} routes --format json"]
    ms = big_json.median_ms()
    value = None if big_json.error else ms
    detail = _shown(big_json, ms, "{:.0f} ms")
    goal(results, f"{big}-route json < 1 s", value, SCALE_JSON_MS, detail)
    if small < big and small > 1:
        for fmt in ("json", "table"):
            growth(results, fmt, *(by[f"{n} routes --format {fmt}"] for n in (1, small, big)))
    return any(c.error for c in cases)


def growth(results: Results, fmt: str, base: Case, low: Case, high: Case) -> None:
    """Cost per route above a 1-route file, at the small and the big size."""
    n_low, n_high = (int(c.name.split()[0]) for c in (low, high))
    name = f"{fmt} growth {n_low}->{n_high} routes no worse than linear"
    times = [c.median_ms() for c in (base, low, high)]
    if any(c.error for c in (base, low, high)) or None in times:
        goal(results, name, None, GROWTH_SLACK, "not measured")
        return
    t_base, t_low, t_high = (t or 0.0 for t in times)
    per_low = (t_low - t_base) / (n_low - 1)
    per_high = (t_high - t_base) / (n_high - 1)
    if per_low <= 0 or per_high <= 0:
        goal(results, name, None, GROWTH_SLACK, "too small to tell; use bigger --scale-sizes")
        return
    rise = per_high / per_low
    power = 1 + math.log(rise) / math.log((n_high - 1) / (n_low - 1))
    # Not relative in CI's sense: at quick mode's small sizes, noise swamps the per-route
    # cost, so there it is information only.
    detail = f"{per_low:.2f} -> {per_high:.2f} ms per route (x{rise:.2f}; time ~ n^{power:.2f})"
    goal(results, name, rise, GROWTH_SLACK, detail)


if __name__ == "__main__":
    sys.exit(main())
