"""Edges found in review: each one a user could hit with an odd file, terminal or path."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import MINI, Run, mini_raw

WIDE_VIEWS = [["routes", "--all"], ["therapies"], ["kap-vs-talk"], ["choose", "--list"]]


def timeline_file(write_data, minutes: object) -> Path:
    raw = mini_raw()
    raw["comparisons"]["routes"]["subjects"]["iv"]["timeline"] = [
        {"event": "end", "minutes": minutes, "text": "Effects over", "sources": ["trial"]}
    ]
    return write_data(raw)


@pytest.mark.parametrize("minutes", [1e300, 10_000_000_000_000, [5, 1e12]])
def test_absurd_timeline_minutes_are_a_data_error(run: Run, write_data, minutes: object) -> None:
    path = timeline_file(write_data, minutes)
    result = run("timeline", "--data", str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"ketacompare: error: {path}: comparisons.routes.subjects.")
    assert "timeline[0].minutes: expected minutes from 0 to 10,080 (one week)" in result.stderr


def test_a_week_long_timeline_still_draws_within_the_width(run: Run, write_data) -> None:
    result = run("timeline", "--data", str(timeline_file(write_data, 10_080)), width=60)
    assert result.exit_code == 0, result.stderr
    assert "10080 min: Effects over [trial]" in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 60


@pytest.mark.parametrize("args", WIDE_VIEWS)
@pytest.mark.parametrize("width", [60, 80, 95, 100, 120])
def test_tables_never_run_wider_than_the_terminal(run: Run, args: list[str], width: int) -> None:
    result = run(*args, width=width)
    assert result.exit_code == 0, result.stderr
    assert max(len(line) for line in result.stdout.splitlines()) <= width


def test_output_refuses_links_and_pipes_even_with_force(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "target.txt"
    target.write_text("keep", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for path in (link, fifo):
        result = run("routes", "--data", str(MINI), "-o", str(path), "--force")
        assert result.exit_code == 2
        assert result.stderr == (
            f"ketacompare: error: --output {path} is not a regular file (a link, pipe or "
            "device); give a plain file name, or redirect stdout with '>' instead.\n"
        )
    assert target.read_text(encoding="utf-8") == "keep"
    assert link.is_symlink()


def test_output_dash_is_stdout(run: Run, tmp_path: Path) -> None:
    result = run("compare", "iv", "im", "--data", str(MINI), "-F", "csv", "-o", "-")
    assert result.exit_code == 0
    assert result.stdout.startswith("view,option,factor,fact,sources,basis,confidence,")
    assert not Path("-").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["routes", "--bogus"], "No such option: --bogus. See 'ketacompare routes --help'."),
        (["compare"], "Missing argument 'NAME NAME...'. See 'ketacompare compare --help'."),
        (
            ["routs"],
            "No such command 'routs'. Did you mean 'routes', 'about'? See 'ketacompare --help'.",
        ),
    ],
)
def test_usage_errors_are_one_line(run: Run, args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr == f"ketacompare: error: {message}\n"


def test_swapped_letters_suggest_the_right_route(run: Run) -> None:
    result = run("show", "mi")
    assert result.exit_code == 2
    assert "unknown route 'mi'. Did you mean 'im'?" in result.stderr


def test_command_list_shows_whole_first_lines(run: Run) -> None:
    result = run("--help")
    # The end of the routes line, not cut at 45 characters.
    assert "questions by default." in result.stdout
    assert "a short view of the..." not in result.stdout


def test_a_missing_output_folder_is_named_in_full(run: Run, tmp_path: Path) -> None:
    """A long folder path is not shortened: '…' in it would name a different place."""
    folder = tmp_path / ("a-rather-long-folder-name-" * 4) / "and-deeper"
    target = folder / "out.txt"
    result = run("routes", "--data", str(MINI), "-o", str(target))
    assert result.exit_code == 2
    assert result.stderr == (
        f"ketacompare: error: --output {target}: the folder {folder} does not exist.\n"
    )
