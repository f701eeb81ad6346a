"""Broken standard streams (issue 14, findings 9-11): a full disk, a closed stdout or
stderr, and Ctrl-C before the program has finished importing. Each gives one plain line
and the documented exit code, never a traceback or "unexpected error"."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from conftest import MINI, ROOT

from ketacompare.entry import main
from ketacompare.output import Env

WRITE_ERROR = "ketacompare: error: could not write to standard output"


def shell(command: str) -> subprocess.CompletedProcess[str]:
    """`ketacompare ...` run by sh, so the redirections are real ones."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("_KETACOMPARE")}
    env |= {"PYTHONPATH": str(ROOT), "KETACOMPARE_DATA": str(MINI), "COLUMNS": "80"}
    program = f"'{sys.executable}' -m ketacompare"
    return subprocess.run(
        ["sh", "-c", command.replace("ketacompare", program, 1)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def assert_plain(done: subprocess.CompletedProcess[str], code: int, first: str) -> None:
    assert done.returncode == code, done.stderr
    assert "Traceback" not in done.stderr
    assert "unexpected error" not in done.stderr
    assert "Exception ignored" not in done.stderr
    assert done.stderr.count("\n") == 1 and done.stderr.startswith(first), done.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize("args", ["--help", "--version", "routes"])
def test_a_full_disk_is_a_plain_write_error(args: str) -> None:
    done = shell(f"ketacompare {args} > /dev/full")
    assert_plain(done, 2, f"{WRITE_ERROR} (No space left on device).")


@pytest.mark.parametrize("args", ["routes", "--version"])
def test_a_closed_stdout_is_a_plain_write_error(args: str) -> None:
    done = shell(f"ketacompare {args} >&-")
    assert_plain(done, 2, WRITE_ERROR)


@pytest.mark.parametrize("args", ["routes --bogus", "compare ivv im"])
def test_a_usage_error_with_stderr_closed_still_exits_2(args: str) -> None:
    done = shell(f"ketacompare {args} 2>&-")
    assert done.returncode == 2
    assert done.stdout == ""


def test_a_write_error_in_process_names_the_reason() -> None:
    class Full(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError(28, "No space left on device")

    err = io.StringIO()
    env = Env.build({**os.environ, "KETACOMPARE_DATA": str(MINI)}, io.StringIO(), Full(), err)
    assert main(["routes"], env) == 2
    assert err.getvalue() == (
        f"{WRITE_ERROR} (No space left on device). Check where the output goes, "
        "or write it to a file with --output.\n"
    )


# Press Ctrl-C while ketacompare is importing its command line (Typer and all).
_INTERRUPT_WHILE_IMPORTING = """
import builtins, os, signal, sys
real = builtins.__import__
def interrupting(name, *args, **kwargs):
    if name == "ketacompare.cli":
        os.kill(os.getpid(), signal.SIGINT)
    return real(name, *args, **kwargs)
builtins.__import__ = interrupting
sys.argv = ["ketacompare", "routes"]
from ketacompare.entry import main
raise SystemExit(main())
"""


def test_ctrl_c_while_importing_exits_130_quietly() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("_KETACOMPARE")}
    done = subprocess.run(
        [sys.executable, "-c", _INTERRUPT_WHILE_IMPORTING],
        cwd=ROOT,
        env=env | {"PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stdout, done.stderr) == (130, "", "")
