"""README and CI agree with the code (sqlite-utils style).

Convention checked here (and relied on by .ci/run): README has a section
"## Quick start on a fresh machine" with exactly two ```sh blocks, one command each:
first install and run `ketacompare routes`, then install the test dependencies and run
pytest. .ci/run runs that second command as written.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
import typer.main
import yaml
from conftest import ROOT, SHIPPED

from ketacompare.cli import app

README = ROOT / "README.md"
CI = ROOT / ".ci" / "run"
QUICK_START = "Quick start on a fresh machine"
COMMANDS = sorted(typer.main.get_command(app).commands)


def readme_text() -> str:
    assert README.is_file(), "README.md is missing"
    return README.read_text(encoding="utf-8")


def sections() -> dict[str, list[tuple[str, str]]]:
    """h2 heading -> the fenced blocks under it, as (info string, content)."""
    from markdown_it import MarkdownIt

    found: dict[str, list[tuple[str, str]]] = {"": []}
    current = ""
    tokens = MarkdownIt("commonmark").parse(readme_text())
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h2":
            current = tokens[i + 1].content.strip()
            found.setdefault(current, [])
        elif token.type == "fence":
            found[current].append((token.info.strip(), token.content))
    return found


def fences() -> list[str]:
    return [content for blocks in sections().values() for _, content in blocks]


def command_of(block: str) -> str:
    """A block's command: its lines, minus blanks and comments."""
    lines = [line for line in block.splitlines() if line.strip() and line.lstrip()[:1] != "#"]
    return "\n".join(lines)


def quick_start() -> list[str]:
    blocks = sections().get(QUICK_START)
    assert blocks is not None, f'README needs a section "## {QUICK_START}"'
    assert [info for info, _ in blocks] == ["sh", "sh"], (
        f'"## {QUICK_START}" must hold exactly two ```sh blocks (install and run; '
        f"install test dependencies and test); found: {[info for info, _ in blocks]}"
    )
    commands = [command_of(content) for _, content in blocks]
    for command in commands:
        logical = command.replace("\\\n", " ")
        assert "\n" not in logical, f"one command per block, found:\n{command}"
    return commands


def test_every_command_has_an_example_in_readme() -> None:
    code = "\n".join(fences())
    missing = [
        f"ketacompare {command}"
        for command in COMMANDS
        if not re.search(rf"(^|[\s/$])ketacompare {re.escape(command)}(\s|$)", code, re.M)
    ]
    assert not missing, "README has no example (in a code block) of: " + ", ".join(missing)


def test_readme_quick_start_installs_and_runs_routes() -> None:
    install = quick_start()[0]
    assert "pip install" in install, install
    assert re.search(r"ketacompare routes\s*$", install), (
        f"the first quick-start command must end by running 'ketacompare routes': {install}"
    )
    assert "-e " not in install, "the install-and-run command should install normally"


def test_readme_quick_start_installs_test_dependencies_and_runs_pytest() -> None:
    tests = quick_start()[1]
    assert re.search(r"pip install .*\[test\]", tests), tests
    assert re.search(r"\bpytest\b", tests), tests


def test_ci_runs_the_readme_test_command() -> None:
    assert CI.is_file(), ".ci/run is missing"
    assert os.access(CI, os.X_OK), ".ci/run is not executable"
    script = CI.read_text(encoding="utf-8")
    assert script.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in script
    done = subprocess.run(
        [str(CI), "--print-test-command"], capture_output=True, text=True, timeout=30
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip("\n") == quick_start()[1]


def test_readme_links_the_data_format_doc() -> None:
    assert "docs/data-format.md" in readme_text(), "README must link docs/data-format.md"
    assert (ROOT / "docs" / "data-format.md").is_file()


def test_readme_shows_what_routes_prints() -> None:
    if not SHIPPED.is_file():
        pytest.fail("data/routes.yaml is missing")
    routes = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))["comparisons"]["routes"]
    names = [s["name"] for s in routes["subjects"].values() if not s.get("hidden")]
    # The table, or (at 80 columns) one card per route: a name, then a rule.
    captures = [b for b in fences() if routes["title"] in b and ("╭" in b or "──" in b)]
    assert captures, (
        f"README needs a text capture of 'ketacompare routes' (a code block with the table "
        f"and its title {routes['title']!r})"
    )
    capture = " ".join(captures[0].split())
    missing = [n for n in names if not all(word in capture for word in n.split())]
    assert not missing, f"the capture lacks the routes: {missing}"
    assert "not medical advice" in capture


def test_ci_print_mode_fails_without_the_quick_start(tmp_path: Path) -> None:
    """The extraction refuses a README without the section rather than running nothing."""
    (tmp_path / ".ci").mkdir()
    (tmp_path / ".ci" / "run").write_bytes(CI.read_bytes())
    (tmp_path / ".ci" / "run").chmod(0o755)
    (tmp_path / "README.md").write_text("# x\n\n```sh\npytest\n```\n", encoding="utf-8")
    done = subprocess.run(
        [str(tmp_path / ".ci" / "run"), "--print-test-command"],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode != 0
    assert "expected exactly two ```sh blocks" in done.stderr


def fake_project(tmp_path: Path, test_file: str) -> Path:
    """A throwaway project whose README's test command runs pytest on one test file."""
    import sys

    (tmp_path / ".ci").mkdir()
    (tmp_path / ".ci" / "run").write_bytes(CI.read_bytes())
    (tmp_path / ".ci" / "run").chmod(0o755)
    command = f"{sys.executable} -m pytest -p no:cacheprovider tests"
    (tmp_path / "README.md").write_text(
        f"# x\n\n## {QUICK_START}\n\n```sh\necho install\n```\n\n```sh\n{command}\n```\n",
        encoding="utf-8",
    )
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_x.py").write_text(test_file, encoding="utf-8")
    return tmp_path / ".ci" / "run"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("test_file", "status", "says"),
    [
        ("def test_ok():\n    assert True\n", 0, "ci: pytest summary: ===="),
        ("def test_bad():\n    assert False\n", 1, "ci: FAIL: README's test command exited 1"),
        ("# no tests here\n", 1, "ci: FAIL: pytest collected no tests (exit 5)"),
    ],
)
def test_ci_fails_on_failures_and_on_no_tests(
    tmp_path: Path, test_file: str, status: int, says: str
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_ADDOPTS"}
    done = subprocess.run(
        [str(fake_project(tmp_path, test_file))],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == status, done.stdout + done.stderr
    assert says in done.stdout + done.stderr


def test_every_command_the_code_tells_users_to_run_exists() -> None:
    """Messages such as "Run 'ketacompare sources'" must name a registered command."""
    not_commands = {"data"}  # "ketacompare data file", the schema title
    told: dict[str, list[str]] = {}
    for path in sorted((ROOT / "ketacompare").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for name in re.findall(r"['`\"]ketacompare ([a-z][a-z-]*)", text):
            told.setdefault(name, []).append(path.relative_to(ROOT).as_posix())
    missing = {
        name: sorted(set(files))
        for name, files in told.items()
        if name not in COMMANDS and name not in not_commands
    }
    assert not missing, f"messages name commands that do not exist: {missing}"
