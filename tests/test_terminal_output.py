"""The table in terminals and pipes: colour only on a terminal, nothing cut at any width,
quiet when the reader of a pipe goes away."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURES, MINI, ROOT, Run, mini_raw, on_a_terminal
from format_readers import read_table, squash
from test_formats import expected

TRICKY = FIXTURES / "tricky.yaml"
ANSI = "\x1b["


def _env(**extra: str) -> dict[str, str]:
    """A clean environment: no colour switches unless a test sets them."""
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env.pop("KETACOMPARE_DATA", None)
    return env | {"TERM": "xterm-256color", "COLUMNS": "100", "PYTHONIOENCODING": "utf-8"} | extra


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "ketacompare", *args]


# Colour ------------------------------------------------------------------------------------


@pytest.mark.parametrize("extra", [{}, {"FORCE_COLOR": "1"}, {"CLICOLOR_FORCE": "1"}])
def test_piped_table_has_no_ansi_codes(extra: dict[str, str]) -> None:
    done = subprocess.run(
        _cli("routes", "--data", str(MINI)),
        cwd=ROOT,
        env=_env(**extra),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert ANSI not in done.stdout
    assert "│ Bioavailability │ 100%" in done.stdout


def _on_a_terminal(*args: str, **extra: str) -> str:
    """Run with stdout on a pseudo-terminal; return what the terminal received."""
    out, code, err = on_a_terminal(_cli(*args), _env(**extra))
    assert code == 0, err
    return out


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_colour_on_a_terminal_and_its_off_switches() -> None:
    args = ("routes", "--data", str(MINI))
    coloured = _on_a_terminal(*args)
    assert ANSI in coloured
    assert "Bioavailability" in coloured
    assert ANSI in _on_a_terminal(*args, NO_COLOR="")  # empty NO_COLOR means unset
    for plain in (
        _on_a_terminal(*args, NO_COLOR="1"),
        _on_a_terminal(*args, "--no-color"),
        _on_a_terminal(*args, TERM="dumb"),
    ):
        assert ANSI not in plain
        assert "Bioavailability" in plain


# Widths ------------------------------------------------------------------------------------

WIDTHS = [20, 30, 40, 50, 62, 80, 100, 120, 200]


@pytest.mark.parametrize("width", WIDTHS)
def test_nothing_is_cut_at_any_width(run: Run, width: int) -> None:
    result = run("routes", "--all", "--data", str(TRICKY), width=width)
    assert result.exit_code == 0
    out = result.stdout
    assert "…" not in out
    view = read_table(out, exact=False)
    wanted = expected(TRICKY, "routes", ["pipe", "quote", "unicode", "secret"])
    # Every character of every cell is there, in order (wrapping only moves words).
    assert {squash(k[1]): squash(v) for k, v in view.cells.items()} == {
        squash(k[1]): squash(v) for k, v in wanted.cells.items()
    }
    assert [squash(x) for x in view.labels] == [squash(x) for x in wanted.labels]
    # Route names may wrap between words but a word is never split.
    assert [name.split() for name in view.names] == [name.split() for name in wanted.names]
    # Closing lines are wrapped, never cut: the disclaimer is all there.
    assert "Discuss any treatment decision with a clinician." in " ".join(out.split())


@pytest.mark.parametrize("width", [60, 80, 100, 120])
def test_table_fits_the_terminal_when_it_can(run: Run, width: int) -> None:
    result = run("routes", "--all", "--data", str(TRICKY), width=width)
    widths = {len(line) for line in result.stdout.splitlines()}
    assert max(widths) <= width


def test_long_route_name_words_switch_to_cards_not_split(
    run: Run, write_data: Callable[[Any], Path]
) -> None:
    raw = mini_raw()
    raw["comparisons"]["routes"]["subjects"]["iv"]["name"] = "Intravenous-infusion-in-a-clinic"
    raw["comparisons"]["routes"]["subjects"]["im"]["name"] = "Intramuscular-injection-in-a-clinic"
    result = run("routes", "--data", str(write_data(raw)), width=70)
    # Side by side would need 17 + 32 + 35 + 10 = 94 columns: one card per route instead.
    assert "╭" not in result.stdout
    lines = result.stdout.splitlines()
    assert "Intravenous-infusion-in-a-clinic " + "─" * 37 in lines
    assert "Intramuscular-injection-in-a-clinic " + "─" * 34 in lines
    assert max(len(line) for line in lines) <= 70


def test_piped_table_lines_have_no_trailing_spaces(run: Run) -> None:
    out = run("routes", "--data", str(MINI), width=100).stdout
    assert out.splitlines()[0] == "Routes compared"
    assert all(line == line.rstrip() for line in out.splitlines())


def test_ascii_table_for_dumb_terminals(run: Run) -> None:
    out = run("routes", "--data", str(MINI), env={"TERM": "dumb"}).stdout
    assert out.isascii()
    assert "| Bioavailability | 100%" in out
    assert "| Convenience     | -" in out
    assert "'-' means the sources say nothing on this point." in out
    # Letters are kept; only dashes, bullets and the like are spelled in ASCII.
    tricky = run(
        "routes", "--data", str(TRICKY), "-f", "several", env={"TERM": "dumb"}, width=200
    ).stdout
    assert "- Clinic says: Ångström - bullet-like start" in tricky
    assert "Ünïcödé - route" in tricky


# Pipes -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def big_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Output far larger than a pipe buffer, so the writer is still writing when the
    reader exits and must meet a broken pipe. Made once for the module."""
    raw = mini_raw()
    for i in range(300):
        raw["factors"][f"f{i}"] = {"label": f"Factor {i}", "description": "Filler."}
        raw["comparisons"]["routes"]["subjects"]["iv"]["cells"][f"f{i}"] = [
            {"text": "filler words " * 20, "sources": ["art"]}
        ]
    text = yaml.safe_dump(raw, sort_keys=False)
    assert len(text) > 100_000
    path = tmp_path_factory.mktemp("big") / "big.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# Every format leaves through the same write (output.emit): the table and one text format.
@pytest.mark.parametrize("fmt", ["table", "json"])
def test_head_closes_the_pipe_quietly(big_data: Path, fmt: str) -> None:
    """`ketacompare routes | head -3` with a real shell pipeline."""
    command = (
        f'"{sys.executable}" -m ketacompare routes --data "{big_data}" --format {fmt} | head -3;'
        ' echo "status=${PIPESTATUS[0]}" >&2'
    )
    done = subprocess.run(
        ["bash", "-c", command], cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=60
    )
    assert len(done.stdout.splitlines()) == 3
    assert done.stderr == "status=0\n"  # no traceback, no "Exception ignored"


@pytest.mark.parametrize(
    "args",
    [("routes",), ("factors", "--format", "json")],
)
def test_closed_pipe_before_any_output(big_data: Path, args: tuple[str, ...]) -> None:
    """The reader is gone before the first byte: the very first write fails."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            _cli(*args, "--data", str(big_data)),
            cwd=ROOT,
            env=_env(),
            stdout=write_end,
            stderr=subprocess.PIPE,
            timeout=60,
        )
    finally:
        os.close(write_end)
    assert done.stderr.decode() == ""
    assert done.returncode == 0


@pytest.mark.parametrize("args", [("--help",), ("--version",), ("compare", "--help")])
def test_closed_pipe_on_help_and_version_is_quiet(args: tuple[str, ...]) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            _cli(*args), cwd=ROOT, env=_env(), stdout=write_end, stderr=subprocess.PIPE, timeout=60
        )
    finally:
        os.close(write_end)
    assert done.stderr.decode() == ""


@pytest.mark.parametrize("color", [False, True])
@pytest.mark.parametrize("route", ["iv", "im"])  # iv has an empty cell: "—", dim
def test_one_line_card_fields_are_what_rich_draws(color: bool, route: str) -> None:
    """Cards whose fields are all one line skip Rich's grid for speed: the lines must be
    the grid's own, in plain text and in colour."""
    from ketacompare.loader import load
    from ketacompare.query import comparison_grid
    from ketacompare.render import Style
    from ketacompare.render.table import _Drawing

    grid = comparison_grid(load(MINI), "routes")
    drawing = _Drawing(grid, Style(width=70, color=color))
    card = [(r.label, drawing._label_style(r.key), grid.cell(r.key, route)) for r in grid.rows]
    fast = drawing._card_lines(card, 16)
    assert len(fast) == len(card)  # every field of this card is one line

    def drawn(items: list[Any]) -> str:
        drawing.items = items
        return drawing._print()

    assert drawn(fast) == drawn([drawing._card_grid(card, 16)])
