"""Shell completion: route names after `compare`, factor keys after --factor, both read
from the data file; --show-completion / --install-completion."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, MINI, ROOT
from typer.testing import CliRunner

from ketacompare.cli import app

TRICKY = FIXTURES / "tricky.yaml"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("_KETACOMPARE", "COMP_"))}
    env["KETACOMPARE_DATA"] = str(MINI)
    env["PYTHONPATH"] = str(ROOT)
    return env | extra


def complete(line: str, **env: str) -> list[str]:
    """What bash asks for when TAB is pressed at the end of `line`."""
    words = line.split(" ")
    done = subprocess.run(
        [sys.executable, "-m", "ketacompare"],
        cwd=ROOT,
        env=_env(
            _KETACOMPARE_COMPLETE="complete_bash",
            COMP_WORDS=line,
            COMP_CWORD=str(len(words) - 1),
            **env,
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return [word for word in done.stdout.splitlines() if word]  # typer prints "" for none


@pytest.mark.parametrize(
    ("line", "suggestions"),
    [
        ("ketacompare compare ", ["iv", "intravenous", "infusion", "im", "injection"]),
        ("ketacompare compare i", ["iv", "intravenous", "infusion", "im", "injection"]),
        ("ketacompare compare IV ", ["im", "injection"]),
        ("ketacompare compare iv ", ["im", "injection"]),  # iv is taken, by any name
        ("ketacompare compare Infusion i", ["im", "injection"]),
        ("ketacompare compare iv im ", []),
        ("ketacompare routes --factor ", ["onset", "convenience", "bioavailability"]),
        ("ketacompare routes -f b", ["bioavailability"]),
        ("ketacompare compare iv im --factor c", ["convenience"]),
        ("ketacompare routes --factor onset,", ["onset,convenience", "onset,bioavailability"]),
        ("ketacompare routes -f onset -f ", ["convenience", "bioavailability"]),
        ("ketacompare routes -f speed,b", ["speed,bioavailability"]),
        ("ketacompare routes -f SPEED -f ", ["convenience", "bioavailability"]),  # an alias
        ("ketacompare kap-vs-talk --factor ", ["methodology"]),
    ],
)
def test_bash_completion_suggestions(line: str, suggestions: list[str]) -> None:
    assert complete(line) == suggestions


def test_completion_reads_the_data_option_on_the_line() -> None:
    line = f"ketacompare compare --data {TRICKY} n"
    assert complete(line) == ["nasal"]
    assert complete(f"ketacompare routes --data {TRICKY} --factor m") == ["markup"]
    # Hidden routes can still be named, so they complete.
    assert complete(f"ketacompare compare --data {TRICKY} s") == ["secret"]


def test_completion_with_a_broken_data_file_is_silent(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: [\n", encoding="utf-8")
    assert complete("ketacompare compare i", KETACOMPARE_DATA=str(bad)) == []
    assert complete("ketacompare routes --factor ", KETACOMPARE_DATA=str(tmp_path / "gone")) == []


def test_command_names_complete() -> None:
    assert complete("ketacompare ko") == []
    assert complete("ketacompare k") == ["kap-vs-talk"]
    assert complete("ketacompare routes --format m") == ["markdown"]


def test_completion_via_clirunner_zsh() -> None:
    """The same completion in-process, through zsh's protocol."""
    result = CliRunner().invoke(
        app,
        [],
        prog_name="ketacompare",
        env={
            "_KETACOMPARE_COMPLETE": "complete_zsh",
            "_TYPER_COMPLETE_ARGS": "ketacompare compare in",
            "KETACOMPARE_DATA": str(MINI),
        },
    )
    assert result.exit_code == 0
    assert result.stdout == '_arguments \'*: :(("intravenous"\n"infusion"\n"injection"))\'\n'


def test_show_completion_prints_a_script() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ketacompare", "--show-completion", "bash"],
        cwd=ROOT,
        # Take the shell from the argument, not from whichever process started pytest.
        env=_env(_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION="1"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "_KETACOMPARE_COMPLETE=complete_bash" in done.stdout
    assert "complete -o default -F _ketacompare_completion ketacompare" in done.stdout


@pytest.fixture
def on_path(tmp_path: Path) -> dict[str, str]:
    """A `ketacompare` command on PATH that runs this checkout, as an install would."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "ketacompare"
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m ketacompare "$@"\n', encoding="utf-8")
    script.chmod(0o755)
    home = tmp_path / "home"
    home.mkdir()
    path = f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"
    # --install-completion bash: the shell from the argument, not from pytest's parent.
    return _env(PATH=path, HOME=str(home), _TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION="1")


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_install_completion_and_tab_in_real_bash(on_path: dict[str, str]) -> None:
    done = subprocess.run(
        ["ketacompare", "--install-completion", "bash"],
        env=on_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    home = Path(on_path["HOME"])
    installed = home / ".bash_completions" / "ketacompare.sh"
    assert f"source '{installed}'" in (home / ".bashrc").read_text(encoding="utf-8")
    # Load the installed script in bash and press TAB after `compare iv i`.
    tab = (
        f"source '{installed}'; COMP_WORDS=(ketacompare compare iv i); COMP_CWORD=3; "
        '_ketacompare_completion ketacompare; printf "%s\\n" "${COMPREPLY[@]}"'
    )
    done = subprocess.run(
        ["bash", "--norc", "-c", tab], env=on_path, capture_output=True, text=True, timeout=60
    )
    assert done.stderr == ""
    assert done.stdout.splitlines() == ["im", "injection"]
