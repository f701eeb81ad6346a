"""Start-up hygiene (issue 7): what `import ketacompare.cli` and light commands load.

Each check runs in a fresh interpreter, since this test process has long imported
everything. No timings here: benchmarks/startup.py measures; these tests guard the
lazy imports that its figures depend on.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini.yaml"

# Prints which of the watched modules are loaded after the code before it ran.
REPORT = """
import sys
loaded = sorted(m for m in {watched!r} if m in sys.modules)  # before json imports re
import json
print(json.dumps(loaded))
"""


def run_code(code: str, watched: list[str], env: dict[str, str] | None = None) -> list[str]:
    """Run `code` then REPORT in a new interpreter on this checkout; return stdout lines."""
    full_env = {k: v for k, v in os.environ.items() if k != "KETACOMPARE_DATA"}
    full_env["PYTHONPATH"] = str(ROOT)  # this checkout, not an installed copy
    full_env.update(env or {})
    done = subprocess.run(
        [sys.executable, "-c", code + REPORT.format(watched=watched)],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout.strip().splitlines()


def loaded_after(code: str, watched: list[str]) -> set[str]:
    """The watched modules loaded after `code` ran in a fresh interpreter."""
    return set(json.loads(run_code(code, watched)[-1]))


HEAVY = ["yaml", "rich", "rich.table", "rich.console"]
DATA = ["ketacompare.loader", "ketacompare.model", "ketacompare.convert", "ketacompare.query"]


def test_importing_the_cli_loads_no_yaml_and_no_rich() -> None:
    loaded = loaded_after("import ketacompare.cli", ["ketacompare.cli", *HEAVY])
    assert loaded == {"ketacompare.cli"}


def test_the_import_check_sees_a_heavy_import() -> None:
    # Control: the same check does report rich.table once something imports it.
    loaded = loaded_after("import ketacompare.cli, rich.table", HEAVY)
    assert {"rich", "rich.table"} <= loaded


def test_importing_the_cli_loads_no_data_code() -> None:
    # The loader, the typed model and the engine load when a command needs data.
    assert loaded_after("import ketacompare.cli", DATA) == set()


# Runs the console-script entry point; prints what it printed, then its exit code.
RUN_MAIN = """
import contextlib, io, sys
sys.argv = ["ketacompare", *{argv!r}]
from ketacompare.entry import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    code = main()
print(out.getvalue().rstrip())
print(f"exit={{code}}")
"""


def run_main(
    argv: list[str], watched: list[str], env: dict[str, str] | None = None
) -> tuple[list[str], set[str]]:
    """(lines printed by ketacompare + the exit line, watched modules it loaded)."""
    lines = run_code(RUN_MAIN.format(argv=argv), watched, env)
    return lines[:-1], set(json.loads(lines[-1]))


def test_help_loads_no_yaml_no_data_code_and_no_rich_tables() -> None:
    printed, loaded = run_main(["--help"], ["yaml", "rich.table", *DATA])
    assert printed[-1] == "exit=0"
    assert any(line.startswith("Usage: ketacompare") for line in printed)
    assert loaded == set()


def test_completion_imports_no_typer_click_rich_or_yaml() -> None:
    """Every TAB pays for what completion imports: with the names cache warm (the first
    request fills it), only ketacompare's light completion module runs."""
    env = {
        "_KETACOMPARE_COMPLETE": "complete_bash",
        "COMP_WORDS": "ketacompare compare i",
        "COMP_CWORD": "2",
        "KETACOMPARE_DATA": str(MINI),
    }
    watched = ["yaml", "typer", "click", "typer._click", "rich", "re", "typing", *DATA]
    for _ in range(2):
        printed, loaded = run_main([], watched, env)
    # The route names from the data file come back, so this was a real completion request.
    assert printed == ["iv", "intravenous", "infusion", "im", "injection", "exit=0"]
    assert loaded == set()
