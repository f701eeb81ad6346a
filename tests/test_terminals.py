"""Unknown terminals: narrow, wide, dumb, ASCII-only; closed pipes; Ctrl-C; crashes.

Environment-dependent cases run the real program in a subprocess, because encodings and
signals are fixed when Python starts and cannot be faked inside the test process.
"""

from __future__ import annotations

import errno
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import MINI, ROOT, Run, mini_raw

BOX = re.compile("[\u2500-\u259f]")  # box drawing and block elements


def four_routes() -> dict[str, Any]:
    """The small fixture with four routes, two of them with long names."""
    raw = mini_raw()
    subjects = raw["comparisons"]["routes"]["subjects"]
    fact = {"text": "Under the tongue; absorbed through the mouth lining", "sources": ["art"]}
    subjects["sl"] = {"name": "Sublingual lozenge", "cells": {"onset": [fact]}}
    subjects["nasal"] = {
        "name": "Nasal esketamine spray (Spravato)",
        "cells": {"onset": [{"text": "Within minutes of the spray", "sources": ["art"]}]},
    }
    return raw


NAMES = ["IV infusion", "Intramuscular", "Sublingual lozenge", "Nasal esketamine spray (Spravato)"]


def _words_whole(output: str, names: list[str]) -> None:
    for word in {w for name in names for w in name.split()}:
        assert re.search(rf"(?<!\S){re.escape(word)}(?!\S)", output), f"{word!r} was split"


# Width -------------------------------------------------------------------------------


def test_columns_40_falls_back_to_cards_and_keeps_names_whole(run: Run, write_data: Any) -> None:
    result = run("routes", "--data", str(write_data(four_routes())), width=40)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 40
    # One card per route, each headed by its name and a rule; no boxed table.
    assert not any(line.startswith("╭") for line in lines)
    headings = [line.rstrip("─ ") for line in lines if line.endswith("──")]
    assert headings == NAMES
    _words_whole(result.stdout, NAMES)
    # Cells wrap instead of being cut: every word of a long cell is there.
    _words_whole(result.stdout, ["Under the tongue; absorbed through the mouth lining"])


def test_columns_250_is_one_table(run: Run, write_data: Any) -> None:
    result = run("routes", "--data", str(write_data(four_routes())), width=250)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 250
    header = next(line for line in lines if "Factor" in line)
    assert all(name in header for name in NAMES)
    assert sum(1 for line in lines if "Factor" in line) == 1


@pytest.mark.parametrize("width", [1, 20, 39, 41, 79, 80, 81, 120, 1000])
def test_any_width_renders(run: Run, write_data: Any, width: int) -> None:
    result = run("routes", "--data", str(write_data(four_routes())), width=width)
    assert result.exit_code == 0, result.stderr
    _words_whole(result.stdout, NAMES)


# Real processes: encodings, pipes, signals -------------------------------------------


def _env(**extra: str) -> dict[str, str]:
    """A clean environment: no locale or colour settings leak in from the test runner."""
    keep = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), "COLUMNS": "80"}
    return keep | {"KETACOMPARE_DATA": str(MINI)} | extra


def _ketacompare(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "ketacompare", *args],
        cwd=ROOT,
        capture_output=True,
        timeout=60,
        **kwargs,
    )


@pytest.mark.parametrize(
    "setting",
    [
        {"TERM": "dumb", "LANG": "C.UTF-8"},
        {"LANG": "C"},
        {"LC_ALL": "POSIX", "LANG": "en_US.UTF-8"},
        {"PYTHONIOENCODING": "ascii", "LANG": "C.UTF-8"},
    ],
    ids=["TERM=dumb", "LANG=C", "LC_ALL=POSIX", "PYTHONIOENCODING=ascii"],
)
def test_plain_terminals_get_ascii_borders(setting: dict[str, str]) -> None:
    done = _ketacompare("routes", env=_env(**setting))
    assert done.returncode == 0, done.stderr
    assert done.stderr == b""
    out = done.stdout.decode("utf-8")
    assert "+---" in out and "| Factor" in out
    assert not BOX.search(out)
    assert "'-' means the sources say nothing" in out  # the note matches the '-' cells


def test_utf8_terminal_keeps_unicode_borders() -> None:
    done = _ketacompare("routes", env=_env(LANG="C.UTF-8"))
    assert done.returncode == 0
    assert "╭" in done.stdout.decode("utf-8")


def test_ascii_stream_never_raises_unicode_errors(write_data: Any) -> None:
    raw = mini_raw()
    cell = raw["comparisons"]["routes"]["subjects"]["iv"]["cells"]["onset"][0]
    cell["text"] = "≥ 5 min — café, 10 µg ± 2 → “quoted”"
    path = write_data(raw)
    env = _env(PYTHONIOENCODING="ascii", KETACOMPARE_DATA=str(path))
    for args in (["routes"], ["routes", "--sources"], ["factors"], ["--help"], ["schema"]):
        done = _ketacompare(*args, env=env)
        assert done.returncode == 0, (args, done.stderr)
        assert b"UnicodeEncodeError" not in done.stderr
        done.stdout.decode("ascii")  # every byte is ASCII
    wide = env | {"COLUMNS": "250"}
    out = _ketacompare("routes", "--factor", "onset", env=wide).stdout.decode("ascii")
    assert '>= 5 min - caf?, 10 ug +/- 2 -> "quoted"' in out
    # Error messages quoting a non-ASCII word, too.
    done = _ketacompare("compare", "café", "iv", env=env)
    assert done.returncode == 2
    assert done.stderr.decode("ascii") == (
        "ketacompare: error: unknown route 'caf?'. Valid routes: iv, im.\n"
    )


# A closed pipe and `| head` are tested per format in test_terminal_output.py.


def test_ctrl_c_inside_a_command_exits_130_quietly(
    run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("ketacompare.query.comparison_grid", interrupted)
    result = run("routes", "--data", str(MINI))
    assert result.exit_code == 130
    assert result.stdout == ""
    assert result.stderr == "\n"  # only ends the '^C' line the terminal echoed


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs a FIFO")
def test_sigint_while_reading_exits_130_quietly(tmp_path: Path) -> None:
    """A real SIGINT: the data file is a FIFO, so the program is known to be blocked in the
    loader (inside the command) when the signal arrives."""
    fifo = tmp_path / "data.yaml"
    os.mkfifo(fifo)
    proc = subprocess.Popen(
        [sys.executable, "-m", "ketacompare", "routes", "--data", str(fifo)],
        cwd=ROOT,
        env=_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # A runner started in the background may ignore or block SIGINT; children inherit it.
        preexec_fn=_default_sigint,
    )
    writer = -1
    try:
        for _ in range(6000):  # until the program opens the FIFO (bounded: 60 s)
            try:
                writer = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
                break
            except OSError as exc:
                assert exc.errno == errno.ENXIO  # no reader yet
                assert proc.poll() is None, proc.communicate()
                time.sleep(0.01)
        assert writer >= 0, "the program never opened its data file"
        # A signal that lands while the FIFO's open() is returning can be lost (seen about
        # one run in three); a person presses Ctrl-C again, and so does this test.
        for _ in range(20):
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=0.5)
                break
            except subprocess.TimeoutExpired:
                continue
        out, err = proc.communicate(timeout=60)
    finally:
        if writer >= 0:
            os.close(writer)
        proc.kill() if proc.poll() is None else None
    assert proc.returncode == 130, err
    assert out == b""
    assert err.strip() == b""


# Unexpected errors ------------------------------------------------------------------


def _boom(*args: object, **kwargs: object) -> None:
    raise RuntimeError("disk on fire \x1b[31m")


def test_unexpected_error_is_one_line_exit_1(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ketacompare.query.comparison_grid", _boom)
    result = run("routes", "--data", str(MINI))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "ketacompare: unexpected error in 'routes' (RuntimeError: disk on fire [31m). "
        "This is a bug: please report it with the command you ran. "
        "Set KETACOMPARE_DEBUG=1 to see the traceback.\n"
    )


def test_debug_shows_the_traceback(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("ketacompare.query.comparison_grid", _boom)
    result = run("routes", "--data", str(MINI), env={"KETACOMPARE_DEBUG": "1"})
    assert result.exit_code == 1
    assert isinstance(result.exception, RuntimeError)
    assert "unexpected error" not in result.stderr


_CRASH = """
import sys
import ketacompare.query

def boom(*args, **kwargs):
    raise RuntimeError("disk on fire")

ketacompare.query.comparison_grid = boom
from ketacompare.entry import main
sys.argv = ["ketacompare", "routes"]
raise SystemExit(main())
"""


@pytest.mark.parametrize("debug", [False, True])
def test_unexpected_error_in_a_real_process(debug: bool) -> None:
    env = _env(**({"KETACOMPARE_DEBUG": "1"} if debug else {}))
    done = subprocess.run(
        [sys.executable, "-c", _CRASH], cwd=ROOT, env=env, capture_output=True, timeout=60
    )
    err = done.stderr.decode()
    assert done.returncode == 1
    if debug:
        assert "Traceback (most recent call last)" in err
        assert err.rstrip().endswith("RuntimeError: disk on fire")
    else:
        assert "Traceback" not in err
        assert err.count("\n") == 1
        assert err.startswith("ketacompare: unexpected error in 'routes' (RuntimeError: disk")
