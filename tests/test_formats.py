"""--format json/csv/markdown/html and --output: read back with real parsers, cell by cell.

The expected cells are built here straight from the YAML (not through the renderers'
helpers), so a renderer that drops, reorders, cuts or marks up a word fails.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import stat
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURES, MINI, Run, mini_raw
from format_readers import (
    View,
    read_csv,
    read_html,
    read_json,
    read_markdown,
    read_table,
    shown_fact,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from ketacompare.render import MODULES, Format, Style, renderer
from ketacompare.text import clean

TRICKY = FIXTURES / "tricky.yaml"
DISCLAIMER = (
    "Educational comparison, not medical advice. Discuss any treatment decision with a clinician."
)
LOW = " (low confidence)"


def expected(
    path: Path,
    comparison: str,
    subjects: list[str] | None = None,
    factors: list[str] | None = None,
    cite: bool = False,
) -> View:
    """What every format must show for this query, computed from the raw data file."""
    raw: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    subs = raw["comparisons"][comparison]["subjects"]
    if subjects is None:
        subjects = [k for k, s in subs.items() if not s.get("hidden")]
    if factors is None:
        factors = [f for f in raw["factors"] if any(f in subs[s]["cells"] for s in subjects)]
    cited: list[str] = []
    for f in factors:
        for s in subjects:
            for fact in subs[s]["cells"].get(f, []):
                cited += [sid for sid in fact["sources"] if sid not in cited]
    cells = {}
    for f in factors:
        for s in subjects:
            lines = []
            for fact in subs[s]["cells"].get(f, []):
                line = shown_fact(raw, fact)
                if cite:
                    line += " [" + ",".join(str(cited.index(x) + 1) for x in fact["sources"]) + "]"
                lines.append(line)
            text = "\n".join(lines if len(lines) < 2 else ["• " + x for x in lines])
            cells[(raw["factors"][f]["label"], subs[s]["name"])] = text or "—"
    names = [subs[s]["name"] for s in subjects]
    return View(names, [raw["factors"][f]["label"] for f in factors], cells)


# (CLI arguments, data file, expected view)
QUERIES = {
    "mini-routes": (["routes"], MINI, lambda: expected(MINI, "routes")),
    "tricky-all": (
        ["routes", "--all"],
        TRICKY,
        lambda: expected(TRICKY, "routes", ["pipe", "quote", "unicode", "secret"]),
    ),
    "tricky-compare-factor": (
        ["compare", "nasal", "PR", "--factor", "lines,markup", "-f", "several"],
        TRICKY,
        lambda: expected(TRICKY, "routes", ["quote", "pipe"], ["lines", "markup", "several"]),
    ),
    "tricky-cards": (["kap-vs-talk"], TRICKY, lambda: expected(TRICKY, "therapies")),
    "tricky-sources": (
        ["routes", "--sources"],
        TRICKY,
        lambda: expected(TRICKY, "routes", cite=True),
    ),
}

READERS = {
    "json": read_json,
    "csv": read_csv,
    "markdown": lambda text: read_markdown(text).view,
    "html": lambda text: read_html(text).view,
}


def _out(run: Run, args: list[str], data: Path, fmt: str) -> str:
    result = run(*args, "--data", str(data), "--format", fmt, width=1000)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    # Result.stdout reads CRLF as LF (as Click's runner did); CSV needs the real bytes.
    return result.stdout_bytes.decode("utf-8")


def test_to_format_is_exhaustive() -> None:
    assert set(MODULES) == set(Format)
    for fmt in Format:
        module = importlib.import_module(MODULES[fmt])
        assert module.RENDERER is renderer(fmt)
        assert callable(module.RENDERER.render)
    # No format module lies around unwired.
    folder = Path(importlib.import_module("ketacompare.render").__file__).parent
    on_disk = {f"ketacompare.render.{p.stem}" for p in folder.glob("*.py")} - {
        "ketacompare.render.__init__",
        "ketacompare.render.base",
        "ketacompare.render.timeline_chart",  # the table format's picture for timelines
        "ketacompare.render.outcomes",  # every format's words and pictures for X in 100
    }
    assert on_disk == set(MODULES.values())


@pytest.mark.parametrize("fmt", list(READERS))
@pytest.mark.parametrize("query", list(QUERIES))
def test_format_reads_back_cell_by_cell(run: Run, query: str, fmt: str) -> None:
    args, data, want = QUERIES[query]
    view = READERS[fmt](_out(run, args, data, fmt))
    wanted = want()
    if fmt in ("json", "csv") and "--sources" in args:
        # JSON and CSV ignore --sources: every fact lists its sources in its own field.
        wanted = expected(TRICKY, "routes")
    assert view.names == wanted.names
    assert view.labels == wanted.labels
    if fmt in ("csv", "markdown"):  # one line per cell: line breaks become spaces there
        assert _spaced(view.cells) == _spaced(wanted.cells)
    else:
        assert view.cells == wanted.cells
    assert view.corner == "Factor"


@pytest.mark.parametrize("query", list(QUERIES))
def test_every_format_carries_the_table_cells(run: Run, query: str) -> None:
    """The table (drawn wide so nothing wraps) and every format hold the same cells."""
    args, data, want = QUERIES[query]
    table = read_table(_out(run, args, data, "table"))
    # The terminal lays text out itself: line breaks inside a fact become spaces there.
    assert _spaced(table.cells) == _spaced(want().cells)
    for fmt, reader in READERS.items():
        if fmt in ("json", "csv") and "--sources" in args:
            continue  # JSON and CSV ignore --sources (see above)
        view = reader(_out(run, args, data, fmt))
        assert (view.names, view.labels) == (table.names, table.labels), fmt
        assert _spaced(view.cells) == _spaced(table.cells), fmt


def _spaced(cells: dict[tuple[str, str], str]) -> dict[tuple[str, str], list[str]]:
    """Each cell as its words in order, bullets left out (a Markdown cell lists several
    facts on one line, "• a • b"; the table puts each on its own line)."""
    return {k: [w for w in v.split() if w != "•"] for k, v in cells.items()}


@pytest.mark.parametrize("fmt", ["markdown"])
def test_closing_lines_match_the_table(run: Run, fmt: str) -> None:
    args = ["routes", "--sources"]
    table_lines = _out(run, args, TRICKY, "table").rstrip("\n").split("\n")
    footer = READERS[fmt](_out(run, args, TRICKY, fmt)).footer
    assert footer == table_lines[-len(footer) :]
    assert footer[0].startswith("[1] art: Authors not stated (year not stated).")
    assert "Pipe | route: Not a real route; a test of | and \\ in notes." in footer
    assert footer[-1] == DISCLAIMER


# JSON ------------------------------------------------------------------------------------


def test_json_document_shape(run: Run) -> None:
    doc = json.loads(_out(run, ["compare", "im", "iv"], MINI, "json"))
    assert list(doc) == [
        "format_version",
        "kind",
        "title",
        "layout",
        "corner",
        "subjects",
        "factors",
        "cells",
        "sources",
        "notes",
        "disclaimer",
        "about",
    ]
    assert doc["format_version"] == 2
    assert doc["about"]["updated"] == "2026-12-03"
    assert "independent" in doc["about"]["who"]
    assert doc["kind"] == "routes"
    assert doc["title"] == "Routes compared"
    assert doc["subjects"] == [
        {"key": "im", "name": "Intramuscular", "note": None},
        {"key": "iv", "name": "IV infusion", "note": None},
    ]
    assert doc["factors"] == [
        {"key": "onset", "label": "Onset"},
        {"key": "convenience", "label": "Convenience"},
        {"key": "bioavailability", "label": "Bioavailability"},
    ]
    assert doc["cells"]["bioavailability"]["im"] == {
        "text": "93% (low confidence)",
        "facts": [
            {
                "text": "93% (low confidence)",
                "sources": ["trial"],
                "confidence": "low",
                "basis": "trial",
            }
        ],
    }
    assert doc["cells"]["convenience"]["iv"] == {"text": "—", "facts": []}
    # Sources in first-cited order, every field present, unknowns as null.
    assert doc["sources"] == [
        {
            "id": "art",
            "number": 1,
            "reference": "Authors not stated (year not stated). A clinic article.",
            "kind": "study",
            "title": "A clinic article",
            "authors": None,
            "year": None,
            "venue": None,
            "doi": None,
            "pmid": None,
            "url": None,
            "note": "Author and date not stated.",
        },
        {
            "id": "trial",
            "number": 2,
            "reference": "Doe J, Roe R (2020). A trial. J Test. doi:10.1000/test.",
            "kind": "trial",
            "title": "A trial",
            "authors": "Doe J, Roe R",
            "year": 2020,
            "venue": "J Test",
            "doi": "10.1000/test",
            "pmid": None,
            "url": None,
            "note": None,
        },
    ]
    assert doc["notes"] == ["'—' means the sources say nothing on this point."]
    assert doc["disclaimer"] == DISCLAIMER


def test_json_factor_selection_and_sources_match_the_query(run: Run) -> None:
    doc = json.loads(_out(run, ["routes", "--factor", "speed"], MINI, "json"))
    assert [f["key"] for f in doc["factors"]] == ["onset"]
    assert list(doc["cells"]) == ["onset"]
    assert list(doc["cells"]["onset"]) == ["iv", "im"]
    # Only the sources cited by the cells shown.
    assert [s["id"] for s in doc["sources"]] == ["art"]


def test_json_hidden_subjects_and_notes(run: Run) -> None:
    shown = json.loads(_out(run, ["routes"], TRICKY, "json"))
    assert [s["key"] for s in shown["subjects"]] == ["pipe", "quote", "unicode"]
    assert "Not shown: Hidden route. Add --all to include." in shown["notes"]
    assert shown["subjects"][0]["note"] == "Not a real route; a test of | and \\ in notes."
    every = json.loads(_out(run, ["routes", "--all"], TRICKY, "json"))
    assert [s["key"] for s in every["subjects"]] == ["pipe", "quote", "unicode", "secret"]
    assert every["cells"]["several"]["pipe"]["facts"][1] == {
        "text": "Second fact \\ with a backslash\\ (low confidence)",
        "sources": ["trial"],
        "confidence": "low",
        "basis": "trial",
    }


def test_json_is_the_same_with_or_without_sources_flag(run: Run) -> None:
    plain = _out(run, ["routes"], TRICKY, "json")
    assert _out(run, ["routes", "--sources"], TRICKY, "json") == plain


def test_json_is_not_wrapped_at_80_columns(run: Run) -> None:
    result = run("routes", "--data", str(TRICKY), "-F", "json", width=40)
    long = "Supercalifragilisticexpialidocious-long-word-that-must-not-be-cut"
    assert f'"text": "Clinic says: {long}"' in result.stdout


def test_factors_view_in_json(run: Run) -> None:
    doc = json.loads(_out(run, ["factors"], MINI, "json"))
    assert doc["kind"] == "factors"
    assert doc["corner"] == "Key"
    assert [f["key"] for f in doc["factors"]] == [
        "onset",
        "convenience",
        "bioavailability",
        "methodology",
    ]
    assert doc["cells"]["onset"]["aliases"]["text"] == "speed"
    assert doc["cells"]["methodology"]["comparisons"]["text"] == "therapies"


# CSV -------------------------------------------------------------------------------------


CSV_HEADER = (
    "view,option,factor,fact,sources,basis,confidence,x_in_100,group,comparator_x_in_100,"
    "comparator_group,out_of,time_frame,population,people_studied,design,certainty,fits_decision,"
    "content_date,version,notice"
)


def test_csv_is_rfc4180_and_tidy(run: Run) -> None:
    text = _out(run, ["compare", "pr", "nasal", "-f", "quotes,cost"], TRICKY, "csv")
    assert text.endswith("\r\n")
    lines = text.split("\r\n")
    assert lines[0] == CSV_HEADER
    empty = "," * 11  # no "X in 100" figure on these facts
    assert lines[1].startswith(
        f'routes,Pipe | route,"Quotes, ""commas""","He said ""fast"", then \'slow\', then left",'
        f"trial,trial,,{empty}2026-12-03,"
    )
    # Spreadsheet formulas are data here: kept as written, never evaluated by us.
    assert read_csv(text).cells[("Cost | price", 'Nasal "esketamine", spray')] == (
        "=SUM(A1:A2) and +1 and -1 and @x (low confidence)"
    )


def test_csv_has_no_note_rows_and_carries_the_notice_on_every_row(run: Run) -> None:
    import csv
    import io

    from ketacompare import __version__
    from ketacompare.about import CONFLICT, WHO

    rows = list(csv.DictReader(io.StringIO(_out(run, ["routes"], MINI, "csv"), newline="")))
    assert [(r["option"], r["factor"], r["fact"]) for r in rows] == [
        ("IV infusion", "Onset", "Minutes after the infusion starts"),
        ("IV infusion", "Convenience", ""),  # a missing value is an empty cell
        ("IV infusion", "Bioavailability", "100%"),
        ("Intramuscular", "Onset", "Slower; absorbed from muscle"),
        ("Intramuscular", "Convenience", "Needs a professional"),
        ("Intramuscular", "Bioavailability", "93% (low confidence)"),
    ]
    assert rows[2]["sources"] == "trial" and rows[2]["basis"] == "trial"
    assert rows[2]["confidence"] == "high" and rows[1]["confidence"] == ""
    assert {(r["content_date"], r["version"], r["notice"]) for r in rows} == {
        ("2026-12-03", __version__, f"{DISCLAIMER} {WHO} {CONFLICT}")
    }


def test_csv_cells_never_hold_a_line_break_or_a_bullet(run: Run) -> None:
    text = _out(run, ["routes", "--all"], TRICKY, "csv")
    view = read_csv(text)  # the reader refuses a line break inside a cell
    assert view.cells[("Line breaks", "Pipe | route")] == (
        "Clinic says: line one line two indented three"
    )
    body = text.split("\r\n", 1)[1]
    assert "•" not in body.replace("Ångström •", "")  # that bullet is the data's own text


def test_csv_several_sources_are_joined_with_semicolons(run: Run, write_data: object) -> None:
    import csv
    import io

    raw = mini_raw()
    raw["comparisons"]["routes"]["subjects"]["iv"]["cells"]["onset"][0]["sources"] = [
        "art",
        "trial",
    ]
    path = write_data(raw)  # type: ignore[operator]
    rows = list(csv.DictReader(io.StringIO(_out(run, ["routes"], path, "csv"), newline="")))
    assert rows[0]["sources"] == "art; trial"
    assert rows[0]["basis"] == "trial"
    assert rows[0]["fact"] == "Minutes after the infusion starts"


def test_sources_csv_is_one_row_per_source(run: Run) -> None:
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(_out(run, ["sources"], MINI, "csv"), newline="")))
    assert [r["id"] for r in rows] == ["art", "trial"]
    assert rows[1]["kind"] == "trial"
    assert rows[1]["doi"] == "10.1000/test" and rows[1]["year"] == "2020"
    assert rows[1]["reference"] == "Doe J, Roe R (2020). A trial. J Test. doi:10.1000/test."
    assert rows[0]["authors"] == ""  # not stated: an empty cell


def test_readme_csv_example_works_as_written(run: Run, tmp_path: Path) -> None:
    import subprocess
    import sys

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    code = readme.split("<!-- csv-example -->", 2)[1].split("```python\n", 1)[1].split("```")[0]
    target = tmp_path / "routes.csv"
    assert run("routes", "-o", str(target)).exit_code == 0
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("How it is given | ")


# Markdown --------------------------------------------------------------------------------


def test_markdown_table_has_exact_rows_and_columns(run: Run) -> None:
    doc = read_markdown(_out(run, ["routes", "--all"], TRICKY, "markdown"))
    assert doc.headings == [(1, 'Routes | "compared" <script>x</script>')]
    assert len(doc.view.names) == 4
    assert len(doc.view.labels) == 5  # "gaps" has no data in any route
    assert doc.paragraphs[-1] == DISCLAIMER


def test_markdown_escapes_what_markdown_would_eat(run: Run) -> None:
    text = _out(run, ["compare", "nasal", "pr", "-f", "markup,cost"], TRICKY, "markdown")
    assert (
        "| a\\\\\\|b \\\\\\\\ c \\| d \\|\\| e \\\\n literal backslash-n \\<br\\> literal br |"
        in (text)
    )
    assert "\\$400-\\$800" in text  # GitHub would render $...$ as math
    # The reader raises on any link, emphasis, code or HTML made from data; check the
    # words came back whole as well.
    cells = read_markdown(text).view.cells
    assert cells[("Markup <i>&amp;</i>", "Pipe | route")].startswith(
        '<script>alert("x")</script> [bold]not bold[/bold] *stars* _under_ `code` &amp;'
    )


def test_markdown_cards_are_one_table_per_subject(run: Run) -> None:
    doc = read_markdown(_out(run, ["kap-vs-talk"], TRICKY, "markdown"))
    assert doc.headings == [
        (1, 'KAP | ketamine, "assisted" vs Talk therapy'),
        (2, 'KAP | ketamine, "assisted"'),
        (2, "Talk therapy"),
    ]


def test_markdown_paragraphs_never_become_other_blocks() -> None:
    from ketacompare.render.markdown_format import paragraph

    for line in ["# h", "- item", "+ item", "1. one", "12) twelve", "===", "> q", "<div>"]:
        doc = read_markdown(paragraph(line) + "\n")
        assert doc.paragraphs == [line]


# HTML ------------------------------------------------------------------------------------

ALLOWED_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "footer",
    "dl",
    "dt",
    "dd",
    "main",
    "h1",
    "h2",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "ul",
    "ol",
    "li",
    "span",
    "section",
    "p",
    "a",
}
ALLOWED_ATTRS = {"lang", "charset", "name", "content", "class", "scope", "id", "href"}
ALLOWED_ATTRS |= {"data-option"}


def test_html_is_a_self_contained_page(run: Run) -> None:
    text = _out(run, ["routes", "--all", "--sources"], TRICKY, "html")
    assert text.startswith("<!DOCTYPE html>\n")
    doc = read_html(text)
    assert {tag for tag, _ in doc.tags} <= ALLOWED_TAGS
    assert {name for _, attrs in doc.tags for name, _ in attrs} <= ALLOWED_ATTRS
    assert not re.search(r"<script|@import|url\(|https?://[^<\s]*\.(css|js|png|woff)", text, re.I)
    assert "@media print" in text
    assert doc.texts("title") == ['Routes | "compared" <script>x</script>']
    assert doc.texts("h1") == ['Routes | "compared" <script>x</script>']
    # A data URL is shown as text, never as a link.
    sources = doc.texts("li", "sources")
    assert sources[2] == (
        'O\'Brien | Smith, "Jr." (2021). <script>alert("src")</script> [bold]Title[/bold]. '
        "Site \\ Path. javascript:alert(1). (reference; id: hostile)"
    )
    assert len(sources) == 3
    assert (
        doc.texts("li", "notes")[0]
        == "Pipe | route: Not a real route; a test of | and \\ in notes."
    )
    assert doc.texts("p", "disclaimer") == [DISCLAIMER]
    assert doc.blocks[-1] == ("p", "disclaimer", DISCLAIMER)


def test_html_marks_low_confidence_visibly(run: Run) -> None:
    text = _out(run, ["routes"], MINI, "html")
    assert (
        '<td data-option="Intramuscular">93% <span class="low">(low confidence)</span></td>' in text
    )


def test_html_cards_have_a_heading_per_subject(run: Run) -> None:
    doc = read_html(_out(run, ["kap-vs-talk"], TRICKY, "html"))
    assert doc.texts("h2")[:2] == ['KAP | ketamine, "assisted"', "Talk therapy"]


# Renderers are pure ----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(Format))
def test_renderers_return_text_and_write_nothing(
    fmt: Format, capsys: pytest.CaptureFixture[str]
) -> None:
    from ketacompare.loader import load
    from ketacompare.query import comparison_grid

    grid = comparison_grid(load(TRICKY), "routes")
    text = renderer(fmt).render(grid, Style(width=80))
    assert isinstance(text, str) and text.endswith("\n")
    assert capsys.readouterr() == ("", "")
    assert "Educational comparison, not medical advice." in text


# --output --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", [f.value for f in Format])
def test_output_writes_the_same_text_as_stdout(run: Run, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"out.{fmt}"
    result = run("routes", "--data", str(TRICKY), "-F", fmt, "-o", str(target), width=1000)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert target.read_bytes().decode("utf-8") == _out(run, ["routes"], TRICKY, fmt)
    assert [p.name for p in tmp_path.iterdir()] == [target.name]  # no temp file left


def test_output_refuses_to_overwrite_without_force(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "table.csv"
    target.write_text("keep me\n", encoding="utf-8")
    result = run("routes", "--data", str(MINI), "-F", "csv", "-o", str(target))
    assert result.exit_code == 2
    assert result.stderr == (
        f"ketacompare: error: --output {target} already exists. Add --force to overwrite it.\n"
    )
    assert target.read_text(encoding="utf-8") == "keep me\n"
    forced = run("routes", "--data", str(MINI), "-F", "csv", "-o", str(target), "--force")
    assert forced.exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("view,option,factor,fact,")


def test_output_errors(run: Run, tmp_path: Path) -> None:
    folder = run("routes", "--data", str(MINI), "-o", str(tmp_path))
    assert folder.exit_code == 2
    assert (
        folder.stderr
        == f"ketacompare: error: --output {tmp_path} is a directory; give a file name.\n"
    )
    missing = tmp_path / "nope" / "out.html"
    result = run("routes", "--data", str(MINI), "-o", str(missing))
    assert result.exit_code == 2
    assert result.stderr == (
        f"ketacompare: error: --output {missing}: the folder {missing.parent} does not exist.\n"
    )


def test_output_failure_leaves_no_half_written_file(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.json"
    target.write_text("old\n", encoding="utf-8")
    calls = []

    def broken_replace(src: str, dst: object) -> None:
        calls.append(src)
        assert Path(src).read_text(encoding="utf-8").startswith("{")  # fully written first
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    result = run("routes", "--data", str(MINI), "-F", "json", "-o", str(target), "--force")
    assert calls
    assert result.exit_code == 2
    assert result.stderr == (
        f"ketacompare: error: --output {target}: could not write the file "
        "(No space left on device); nothing was written.\n"
    )
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_output_file_gets_normal_permissions(run: Run, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        new = tmp_path / "new.html"
        assert run("routes", "--data", str(MINI), "-F", "html", "-o", str(new)).exit_code == 0
        assert stat.S_IMODE(new.stat().st_mode) == 0o644  # not mkstemp's private 0600
        kept = tmp_path / "kept.html"
        kept.write_text("x", encoding="utf-8")
        kept.chmod(0o640)
        result = run("routes", "--data", str(MINI), "-F", "html", "-o", str(kept), "--force")
        assert result.exit_code == 0
        assert stat.S_IMODE(kept.stat().st_mode) == 0o640
    finally:
        os.umask(old)


def test_table_to_a_file_has_no_colour(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "t.txt"
    env = {"NO_COLOR": "", "FORCE_COLOR": "1"}
    assert run("routes", "--data", str(MINI), "-o", str(target), env=env).exit_code == 0
    text = target.read_text(encoding="utf-8")
    assert "\x1b" not in text
    assert "│ Bioavailability │ 100%" in text


def test_json_keys_are_documented(run: Run) -> None:
    doc = json.loads(_out(run, ["routes"], MINI, "json"))
    text = (Path(__file__).parent.parent / "docs" / "output-formats.md").read_text("utf-8")
    for key in doc:
        assert f"| `{key}` |" in text, key


_TEXTS = (
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1)
    .map(lambda t: clean(t).strip())  # what the loader keeps of a string
    .filter(bool)
)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_any_text_survives_a_markdown_cell_and_paragraph(text: str) -> None:
    from ketacompare.render.markdown_format import inline, paragraph

    doc = read_markdown(f"| {inline(text)} | x |\n| --- | --- |\n| {inline(text)} | x |\n")
    flat = text.replace("\r", "").replace("\n", " ")  # Markdown cells hold no line break
    assert (doc.view.names, doc.view.labels) == (["x"], [flat.strip()])
    assert doc.view.corner == flat.strip()
    assert read_markdown(paragraph(text) + "\n").paragraphs == [flat.strip()]
