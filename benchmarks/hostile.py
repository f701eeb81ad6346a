"""Hostile-input benchmark (issue 14): generated files of every hostile shape, at the 2 MiB
cap, through validate, the views, shell completion and huge COLUMNS; then the 100- and
1,000-route scale files. Prints each figure and one verdict.

    python benchmarks/hostile.py            # everything, checked against the bounds
    python benchmarks/hostile.py --quick    # small files: proves it runs (always exits 0)
    python benchmarks/hostile.py --shape base60 --shape suggestions

Bounds: any file up to 2 MiB validated or refused within 3 s, under 300 MB, for every
command (completion included) and any COLUMNS; 1,000 routes: json under 1 s, table under
5 s, cost per route growing no more than linearly from 100 to 1,000 routes.

Time is CPU time (user + sys) of the child process: on a 2-core machine shared with other
work, wall time mostly measures the neighbours (wall time is printed beside it). Peak
memory is the child's ru_maxrss from wait4, which on Linux starts from this (small)
process's own high-water mark, so it can only over-state. The files come from
tests/hostile_gen.py (in a temporary folder, deleted afterwards).

Exit status: 0 when every bound holds, 1 when one does not (with --quick always 0).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

sys.path.insert(0, str(ROOT / "benchmarks"))

from startup import RSS_HOOK  # noqa: E402  (peak memory: the child's own VmHWM at exit)

from tests import hostile_gen  # noqa: E402  (the generator lives with the tests)

MiB = 1024 * 1024
LIMIT_S = 3.0
LIMIT_MB = 300.0
JSON_S = 1.0
TABLE_S = 5.0
GROWTH_SLACK = 1.5  # cost per route may rise this much from 100 to 1,000 routes (noise)
HUGE_COLUMNS = "100000000"


@dataclass
class Run:
    label: str
    cpu: float
    wall: float
    mb: float
    code: int
    said: str  # the first line of stderr (or the last of stdout), to show what happened


def run(
    args: Sequence[str],
    data: Path | None,
    hook: Path,
    env_extra: dict[str, str] | None = None,
    program: Sequence[str] = ("-m", "ketacompare"),
) -> Run:
    """One child process: CPU time from wait4, peak memory from its own VmHWM."""
    # As startup.py: bytecode cached, as in an installed package (the first run writes it).
    skip = ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX")
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("_KETACOMPARE") and k not in skip
    }
    env |= {"COLUMNS": "80", "NO_COLOR": "1", "TERM": "xterm"}
    env["PYTHONPATH"] = os.pathsep.join([str(hook), str(ROOT)])
    env["KETACOMPARE_BENCH_RSS"] = str(hook / "rss")
    env["KETACOMPARE_DATA"] = str(data) if data else ""
    env |= env_extra or {}
    (hook / "rss").unlink(missing_ok=True)
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, *program, *args],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
        )
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = code = os.waitstatus_to_exitcode(status)
        err.seek(0)
        said = err.read(4096).decode("utf-8", "replace").strip().splitlines()
        if not said:
            out.seek(max(0, out.seek(0, 2) - 4096))
            said = out.read().decode("utf-8", "replace").strip().splitlines()[-1:]
    try:
        mb = int((hook / "rss").read_text()) / 1024
    except (OSError, ValueError):
        mb = float("nan")
    return Run(
        " ".join(args) or "(TAB completion)",
        usage.ru_utime + usage.ru_stime,
        wall,
        mb,
        code,
        said[0][:110] if said else "",
    )


def commands() -> list[tuple[list[str], dict[str, str] | None]]:
    completion = {
        "_KETACOMPARE_COMPLETE": "complete_bash",
        "COMP_WORDS": "ketacompare compare i",
        "COMP_CWORD": "2",
    }
    return [
        (["validate"], None),
        (["routes", "--format", "json"], None),
        (["routes", "--all", "--detail"], None),
        (["routes", "--all", "--detail", "--sources", "--format", "markdown"], None),
        (["timeline"], {"COLUMNS": HUGE_COLUMNS}),
        (["routes", "--all"], {"COLUMNS": HUGE_COLUMNS}),
        ([], completion),
    ]


def row(shape: str, result: Run, ok: bool, columns: str = "") -> str:
    mark = "ok" if ok else "OVER"
    label = (result.label + columns)[:40]
    return (
        f"  {shape:<22} {label:<40} {result.cpu:6.2f} {result.wall:6.2f} "
        f"{result.mb:5.0f} {result.code:>4}  {mark:<4} {result.said[:50]}"
    )


def limit_for(result: Run, words: Sequence[str]) -> float:
    """Validating or refusing a file: 3 s. Drawing a view of a valid one: the table's 5 s."""
    if words and words[0] != "validate" and result.code == 0:
        return TABLE_S
    return LIMIT_S


def scale(folder: Path, hook: Path, sizes: Sequence[int], problems: list[str]) -> None:
    print("\nScale: generated routes x 100 factors (1/5 filled); best of 2 runs")
    costs: dict[tuple[str, int], float] = {}
    for fmt, limit in (("json", JSON_S), ("table", TABLE_S)):
        for n in (1, *sizes):
            path = folder / f"routes-{n}.yaml"
            if not path.exists():
                path.write_text(hostile_gen.routes(n), encoding="utf-8")
            args = ["routes", "--format", fmt, "--data", str(path)]
            best = min((run(args, None, hook) for _ in range(2)), key=lambda r: r.cpu)
            costs[(fmt, n)] = best.cpu
            over = n == max(sizes) and best.cpu > limit
            size = path.stat().st_size / MiB
            print(
                f"  {fmt:<6} {n:>5} routes ({size:4.2f} MiB)  cpu {best.cpu:6.2f} s  wall "
                f"{best.wall:6.2f} s  {best.mb:5.0f} MB  exit {best.code}"
                + (f"  OVER {limit:.0f} s" if over else "")
            )
            if best.code != 0:
                problems.append(f"{fmt} at {n} routes exited {best.code}: {best.said}")
            if over:
                problems.append(f"{fmt} at {n} routes: {best.cpu:.2f} s > {limit:.0f} s")
        if fmt == "json":
            pyyaml_alone(folder / f"routes-{max(sizes)}.yaml", hook, costs[(fmt, max(sizes))])
        small, big = sizes[0], sizes[-1]
        low = (costs[(fmt, small)] - costs[(fmt, 1)]) / (small - 1)
        high = (costs[(fmt, big)] - costs[(fmt, 1)]) / (big - 1)
        ratio = high / low if low > 0 else 1.0
        verdict = "linear" if ratio <= GROWTH_SLACK else "FASTER THAN LINEAR"
        print(
            f"  {fmt:<6} cost per route above a 1-route file: {low * 1000:.2f} ms at {small}, "
            f"{high * 1000:.2f} ms at {big} (x{ratio:.2f}): {verdict}"
        )
        if ratio > GROWTH_SLACK:
            problems.append(f"{fmt}: cost per route grows x{ratio:.2f} from {small} to {big}")


# What PyYAML alone costs on the same file, in a process of its own: the least any program
# that reads it with PyYAML must spend, so the json figure can be read on any machine.
PYYAML_ALONE = {
    "C parser's events, nothing built": (
        "import sys, yaml\n"
        "for _ in yaml.parse(open(sys.argv[1], encoding='utf-8'), Loader=yaml.CSafeLoader):\n"
        "    pass"
    ),
    "yaml.load with CSafeLoader": (
        "import sys, yaml\nyaml.load(open(sys.argv[1], encoding='utf-8'), Loader=yaml.CSafeLoader)"
    ),
}


def pyyaml_alone(path: Path, hook: Path, ours: float) -> None:
    for label, code in PYYAML_ALONE.items():
        best = min(
            (run([str(path)], None, hook, program=("-c", code)) for _ in range(2)),
            key=lambda r: r.cpu,
        )
        print(
            f"  PyYAML alone, {label}: cpu {best.cpu:.2f} s "
            f"(ketacompare's whole json run is x{ours / best.cpu:.2f} of it)"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="64 KiB files; always exits 0")
    parser.add_argument("--shape", action="append", choices=sorted(hostile_gen.SHAPES))
    parser.add_argument("--no-scale", action="store_true", help="skip the scale files")
    parser.add_argument("--scale-only", action="store_true", help="only the scale files")
    args = parser.parse_args(argv)
    size = 64 * 1024 if args.quick else hostile_gen.MAX_BYTES
    shapes = [] if args.scale_only else args.shape or list(hostile_gen.SHAPES)
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="ketacompare-hostile-") as tmp:
        folder = Path(tmp)
        hook = folder / "hook"
        hook.mkdir()
        (hook / "sitecustomize.py").write_text(RSS_HOOK, encoding="utf-8")
        if shapes:
            print(
                f"Hostile shapes at {size / MiB:.2f} MiB. Bounds: validated or refused in "
                f"{LIMIT_S:.0f} s, a view drawn in {TABLE_S:.0f} s (CPU), under {LIMIT_MB:.0f} MB"
            )
            print(f"  {'shape':<22} {'command':<40} {'cpu s':>6} {'wall':>6} {'MB':>5} exit")
        for shape in shapes:
            finding, make = hostile_gen.SHAPES[shape]
            path = folder / f"{shape}.yaml"
            path.write_bytes(make(size).encode("utf-8")[: hostile_gen.MAX_BYTES])
            print(f"  {shape} (finding {finding}): {path.stat().st_size / MiB:.2f} MiB")
            for words, env in commands():
                result = run(words, path, hook, env)
                limit = limit_for(result, words)
                ok = result.cpu <= limit and result.mb <= LIMIT_MB and result.code in (0, 2)
                ok = ok and not any(w in result.said for w in ("Traceback", "unexpected error"))
                columns = f" COLUMNS={env['COLUMNS']}" if env and "COLUMNS" in env else ""
                print(row("", result, ok, columns))
                if not ok:
                    problems.append(
                        f"{shape}: {result.label}{columns}: {result.cpu:.2f} s (limit "
                        f"{limit:.0f}), {result.mb:.0f} MB, exit {result.code} {result.said}"
                    )
        if not args.no_scale:
            scale(folder, hook, (10, 100) if args.quick else (100, 1000), problems)
    print()
    if problems:
        print(f"VERDICT: FAIL ({len(problems)} bound(s) not met)")
        for problem in problems:
            print(f"  - {problem}")
    else:
        print("VERDICT: PASS: every hostile shape validated or refused within the bounds")
    return 0 if args.quick or not problems else 1


if __name__ == "__main__":
    sys.exit(main())
