"""Issue 13: a short default view, a layout that fits, a pager, -o formats, the overview."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURES, ROOT, SHIPPED, Run, mini_raw, on_a_terminal

BRIEF = FIXTURES / "brief.yaml"
BRIEF_ROWS = [
    "How it is given",
    "Onset",
    "How long relief lasts",
    "Dissociation",
    "Effectiveness",
    "Risks and safety",
    "Convenience",
    "Setting",
]
MORE = "Short view. Add --detail for every fact and study, or see 'ketacompare show iv'."


def ok(result: object) -> str:
    assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]
    return result.stdout  # type: ignore[attr-defined]


def card_labels(out: str) -> list[str]:
    """Row labels of the first card: the words before the two-space gap."""
    lines = out.split("\n")
    start = next(i for i, line in enumerate(lines) if line.endswith("──")) + 1
    labels = []
    for line in lines[start:]:
        if not line:
            break
        if not line.startswith(" "):
            labels.append(re.split(r"\s{2,}", line)[0])
    return labels


# The short view ----------------------------------------------------------------------------


def test_routes_default_is_the_short_view(run: Run) -> None:
    out = ok(run("routes", "--data", str(BRIEF), width=80))
    assert card_labels(out) == BRIEF_ROWS
    assert "Study details" not in out  # a row outside brief_rows
    assert "only the detailed view shows" not in out  # a fact not marked brief
    assert "Clinic says: Works at once" in out  # a brief clinic claim, marked on its own
    assert MORE in out


def test_detail_shows_every_factor_and_fact(run: Run) -> None:
    out = ok(run("routes", "--detail", "--data", str(BRIEF), width=80))
    assert card_labels(out) == [*BRIEF_ROWS, "Study details"]
    assert out.count("A longer study detail") == 4 * 8
    assert "Short view" not in out


def test_factor_picks_any_row_in_the_short_view(run: Run) -> None:
    out = ok(run("routes", "--factor", "extra,onset", "--data", str(BRIEF), width=80))
    assert card_labels(out) == ["Study details", "Onset"]
    # A cell with no brief fact shows its facts rather than an empty cell.
    assert out.count("Only in the detailed view") == 4
    assert "only the detailed view shows" not in out


def test_compare_and_kap_vs_talk_are_short_by_default(run: Run) -> None:
    out = ok(run("compare", "iv", "im", "--data", str(BRIEF), width=80))
    assert "Study details" not in out and MORE in out
    assert "Study details" in ok(run("compare", "iv", "im", "-d", "--data", str(BRIEF)))
    talk = ok(run("kap-vs-talk", "--data", str(BRIEF), width=80))
    assert "Detail only" not in talk and "Long detail" not in talk
    assert "Short view. Add --detail for every fact and study." in talk
    assert "Long detail" in ok(run("kap-vs-talk", "--detail", "--data", str(BRIEF)))


def test_a_comparison_without_brief_rows_is_shown_whole(tmp_path: Path) -> None:
    raw = yaml.safe_load(BRIEF.read_text(encoding="utf-8"))
    del raw["comparisons"]["routes"]["brief_rows"]
    for subject in raw["comparisons"]["routes"]["subjects"].values():
        for facts in subject["cells"].values():
            for fact in facts:
                fact.pop("brief", None)
    from ketacompare.loader import load
    from ketacompare.query import comparison_grid

    data = tmp_path / "whole.yaml"
    data.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    grid = comparison_grid(load(data), "routes", detail=False)
    assert [r.label for r in grid.rows] == [*BRIEF_ROWS, "Study details"]
    assert not any(note.startswith("Short view") for note in grid.notes)


def test_compare_takes_comma_lists(run: Run) -> None:
    spaced = ok(run("compare", "iv", "im", "--data", str(BRIEF)))
    assert ok(run("compare", "iv,im", "--data", str(BRIEF))) == spaced
    assert ok(run("compare", "iv,", "im", "--data", str(BRIEF))) == spaced


# Layout ------------------------------------------------------------------------------------


def _words(text: str) -> set[str]:
    return set(text.split())


@pytest.mark.parametrize("width", [40, 60, 80, 100, 120])
def test_shipped_routes_never_split_a_word_or_strand_a_bullet(run: Run, width: int) -> None:
    from ketacompare.loader import load
    from ketacompare.query import comparison_grid
    from ketacompare.render.base import fact_text

    out = ok(run("routes", "--data", str(SHIPPED), width=width))
    lines = out.splitlines()
    assert max(len(line) for line in lines) <= width
    shown = _words(out.replace("│", " "))
    grid = comparison_grid(load(SHIPPED), "routes", detail=False)
    for facts in grid.cells.values():
        for fact in facts:
            missing = _words(fact_text(fact)) - shown
            assert not missing, f"split or lost at {width}: {missing}"
    assert "╭" not in out  # four routes are cards at all these widths
    for i, line in enumerate(lines[:-1]):
        assert line.strip() != "•", f"a bullet alone on line {i}"
        at = line.find("• ")
        nxt = lines[i + 1]
        if at < 0 or not nxt or not nxt.startswith(" "):
            continue  # no bullet here, or the next line starts a new row
        # The next line is the next bullet, or this item wrapped with a hanging indent.
        hanging = nxt[: at + 2].strip() == "" and nxt[at + 2 : at + 3] not in ("", " ")
        assert nxt[at] == "•" or hanging, f"line {i + 1} at {width}: {nxt!r}"


def test_shipped_routes_fits_80_lines_at_80_columns(run: Run) -> None:
    out = ok(run("routes", "--data", str(SHIPPED), width=80))
    assert len(out.splitlines()) <= 80
    assert max(len(line) for line in out.splitlines()) <= 80


def test_wrapped_bullets_hang_and_never_stand_alone(run: Run, write_data: Callable) -> None:
    raw = mini_raw()
    raw["comparisons"]["routes"]["subjects"]["iv"]["cells"]["onset"] = [
        {"text": "Supercalifragilistic long words follow here", "sources": ["art"]},
        {"text": "x" * 40 + " then short words", "sources": ["art"]},
        {"text": "Longer-lasting effect", "sources": ["art"]},
    ]
    out = ok(run("routes", "--data", str(write_data(raw)), width=30))
    after = out.split("\nOnset\n", 1)[1].splitlines()
    onset = after[: next(i for i, line in enumerate(after) if not line.startswith(" "))]
    # Stacked cards at 30 columns: facts indented by 2, a bullet and a space, then 26.
    assert onset == [
        "  • Supercalifragilistic long",
        "    words follow here",  # a wrapped item hangs under its text, not its bullet
        "  • " + "x" * 26,  # only a word longer than the whole column is ever split
        "    " + "x" * 14 + " then short",
        "    words",
        "  • Longer-lasting effect",  # a hyphen is no break point
    ]


def test_two_routes_side_by_side_four_as_cards_at_80(run: Run) -> None:
    two = ok(run("compare", "iv", "im", "--data", str(BRIEF), width=80))
    assert "╭" in two and "│ Factor" in two
    four = ok(run("routes", "--data", str(BRIEF), width=80))
    assert "╭" not in four
    assert [line for line in four.splitlines() if line.endswith("──")] == [
        name + " " + "─" * (79 - len(name))
        for name in ["IV infusion", "Sublingual", "Nasal esketamine", "Intramuscular"]
    ]
    wide = ok(run("routes", "--data", str(BRIEF), width=140))
    assert "╭" in wide and "│ Intramuscular" in wide


# Width and pager ---------------------------------------------------------------------------


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "PAGER")}
    env |= {"KETACOMPARE_DATA": str(BRIEF), "PYTHONIOENCODING": "utf-8", "LANG": "C.UTF-8"}
    env.pop("NO_COLOR", None)
    return env | extra


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "ketacompare", *args]


def test_piped_output_is_80_columns_unless_columns_says() -> None:
    done = subprocess.run(
        _cli("routes", "--detail"), env=_env(), capture_output=True, text=True, cwd=ROOT
    )
    widths = [len(line) for line in done.stdout.splitlines()]
    assert max(widths) == 80
    narrow = subprocess.run(
        _cli("routes", "--detail"), env=_env(COLUMNS="60"), capture_output=True, text=True
    )
    assert max(len(line) for line in narrow.stdout.splitlines()) == 60


def _on_a_terminal(*args: str, **extra: str) -> tuple[str, int, bytes]:
    return on_a_terminal(_cli(*args), _env(**extra))


PAGER = f"{sys.executable} -c \"import sys; [print('PAGED:' + l, end='') for l in sys.stdin]\""


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_long_output_on_a_terminal_goes_through_the_pager() -> None:
    out, code, err = _on_a_terminal("routes", "--no-color", PAGER=PAGER, LINES="20")
    assert code == 0, err
    lines = [line for line in out.splitlines() if line]
    assert lines and all(line.startswith("PAGED:") for line in lines)
    plain, code, _ = _on_a_terminal("routes", "--no-pager", PAGER=PAGER, LINES="20")
    assert code == 0 and "PAGED:" not in plain and "IV infusion" in plain
    # Output that fits the screen is printed as it is.
    short, code, _ = _on_a_terminal("routes", "-f", "onset", PAGER=PAGER, LINES="200")
    assert code == 0 and "PAGED:" not in short


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_quitting_the_pager_early_is_a_quiet_exit_0() -> None:
    quitter = f"{sys.executable} -c \"import sys; print(sys.stdin.readline(), end='')\""
    out, code, err = _on_a_terminal("routes", "--detail", "--no-color", PAGER=quitter, LINES="10")
    assert code == 0
    assert err == b""
    assert out.startswith("Ketamine routes compared")


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_pager_cat_or_empty_means_no_pager_and_a_missing_pager_still_prints() -> None:
    for pager in ("cat", "", "no-such-pager-program"):
        out, code, err = _on_a_terminal("routes", PAGER=pager, LINES="10")
        assert code == 0, err
        assert "Ketamine routes compared" in out


def test_piped_output_never_pages() -> None:
    done = subprocess.run(
        _cli("routes", "--detail"), env=_env(PAGER=PAGER, LINES="5"), capture_output=True
    )
    assert b"PAGED:" not in done.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_colour_marks_meaning_and_no_color_keeps_the_words() -> None:
    out, _, _ = _on_a_terminal("routes", "--no-pager")
    assert re.search(r"\x1b\[[0-9;]*m(\x1b\[[0-9;]*m)*Clinic says:", out)
    assert re.search(r"\x1b\[[0-9;]*mRisks and safety", out)  # a harms row stands out
    plain, _, _ = _on_a_terminal("routes", "--no-pager", NO_COLOR="1")
    assert "\x1b[" not in plain
    assert "Clinic says: Works at once" in plain and "Risks and safety" in plain


# -o and the format ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "start"),
    [
        ("h.html", "<!DOCTYPE html>"),
        ("h.HTM", "<!DOCTYPE html>"),
        ("h.md", "# Ketamine routes compared"),
        ("h.csv", "view,option,factor,fact,sources,basis,confidence"),
        ("h.json", "{"),
        ("h.txt", "Ketamine routes compared\n"),
    ],
)
def test_output_format_follows_the_extension(
    run: Run, tmp_path: Path, name: str, start: str
) -> None:
    target = tmp_path / name
    ok(run("routes", "--data", str(BRIEF), "-o", str(target)))
    assert target.read_text(encoding="utf-8").startswith(start)


def test_explicit_format_wins_over_the_extension(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "h.html"
    ok(run("routes", "--data", str(BRIEF), "-o", str(target), "--format", "json"))
    assert target.read_text(encoding="utf-8").startswith("{")


@pytest.mark.parametrize(("name", "what"), [("h.pdf", "extension '.pdf'"), ("h", "no extension")])
def test_unknown_extension_is_an_error_naming_the_choices(
    run: Run, tmp_path: Path, name: str, what: str
) -> None:
    target = tmp_path / name
    result = run("routes", "--data", str(BRIEF), "-o", str(target))
    assert result.exit_code == 2
    assert result.stderr == (
        f"ketacompare: error: cannot tell the format of --output {target}: it has {what}. "
        "Use one of .html, .htm, .md, .markdown, .csv, .json, .txt, or add --format "
        "(table, json, csv, markdown, html).\n"
    )
    assert not target.exists()


# The overview ------------------------------------------------------------------------------


def test_bare_ketacompare_is_an_overview_with_exit_0(run: Run) -> None:
    out = ok(run(width=80))
    words = " ".join(out.split())
    assert (
        "The decision Depression that has not got better with antidepressants: should I try "
        "ketamine, and if so, which way?" in words
    )
    assert 'What "treatment-resistant" means Doctors call depression treatment-resistant' in words
    commands = re.findall(r"^  (ketacompare [^\n]+)$", out, re.M)
    assert commands == [
        "ketacompare options",
        "ketacompare routes",
        "ketacompare compare iv nasal",
        "ketacompare choose --prefer no-needles",
        "ketacompare questions",
    ]
    assert "Content checked 2026-12-03" in out
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "not medical advice" in out


def test_overview_commands_run(run: Run) -> None:
    from ketacompare.overview import START

    for command, _ in START:
        words = command.split()[1:]
        assert run(*words, "--data", str(SHIPPED)).exit_code == 0, command


# Markdown ----------------------------------------------------------------------------------


@pytest.mark.parametrize("html", [True, False])
def test_markdown_never_shows_an_escaped_br(run: Run, html: bool) -> None:
    from markdown_it import MarkdownIt

    text = ok(run("routes", "--detail", "--format", "markdown", "--data", str(SHIPPED)))
    assert "<br>" not in text
    page = MarkdownIt("commonmark", {"html": html}).enable("table").render(text)
    assert "&lt;br&gt;" not in page
    assert "<td>• " in page  # a cell with several facts lists them after bullets


# The HTML handout (printing is checked with a real browser in test_handout.py) -------------


def test_handout_names_the_decision_the_date_and_links_each_source(
    run: Run, write_data: object
) -> None:
    from format_readers import read_html

    raw = yaml.safe_load(BRIEF.read_text(encoding="utf-8"))
    raw["sources"]["clinic"]["url"] = "javascript:alert(1)"
    text = ok(run("routes", "--format", "html", "--data", str(write_data(raw))))  # type: ignore[operator]
    doc = read_html(text)
    assert doc.texts("p", "decision") == [
        "Depression that has not got better with antidepressants: should I try ketamine, "
        "and if so, which way?"
    ]
    assert doc.texts("p", "checked")[0].startswith("Content checked 2026-12-03 · ketacompare ")
    hrefs = [dict(attrs)["href"] for tag, attrs in doc.tags if tag == "a"]
    assert hrefs == [
        "https://doi.org/10.1000/test",
        "https://pubmed.ncbi.nlm.nih.gov/12345678/",
        "https://example.org/label",
    ]
    assert "javascript:alert(1)" in text and 'href="javascript' not in text  # text, not a link
    assert doc.blocks[-1][1] == "disclaimer"
    assert '<td data-option="IV infusion">' in text  # a phone labels each cell


def test_handout_css_never_breaks_words_and_keeps_rows_whole(run: Run) -> None:
    text = ok(run("routes", "--format", "html", "--data", str(BRIEF)))
    css = text.split("<style>")[1].split("</style>")[0]
    assert "overflow-wrap: anywhere" not in css.split(".sources a")[0]  # only web addresses
    assert "hyphens: manual" in css
    assert "thead { display: table-header-group; }" in css
    assert "tr, li, dd, .disclaimer, .legend { break-inside: avoid;" in css
    assert "@page { size: A4;" in css
    assert "@media screen and (max-width: 40rem)" in css


def test_overview_without_readable_data_still_helps(run: Run, tmp_path: Path) -> None:
    out = ok(run(env={"KETACOMPARE_DATA": str(tmp_path / "missing.yaml")}))
    assert "The data file could not be read" in out
    assert "ketacompare routes" in out


def test_no_short_view_note_when_nothing_is_left_out(run: Run) -> None:
    # --factor picks the rows, and this row has no brief facts: every fact is shown.
    out = ok(run("routes", "--factor", "extra", "--data", str(BRIEF)))
    assert "Short view" not in out
    assert MORE in ok(run("routes", "--factor", "onset", "--data", str(BRIEF), width=80))
