"""Whose claim a fact is: computed from its sources' kinds, shown in every format; the
content date and the disclosure under every view; the format-2 data file rules."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import SHIPPED, Run, mini_raw

from ketacompare import loader
from ketacompare.about import CLINIC_LEGEND, CLINIC_MARK, DISCLAIMER, short_line
from ketacompare.model import KINDS, basis_of

WriteData = Callable[[Any], Path]


def test_basis_is_the_strongest_kind_cited() -> None:
    assert KINDS == (
        "label",
        "guideline",
        "trial",
        "review",
        "study",
        "reference",
        "news",
        "clinic",
    )
    assert basis_of(["clinic", "trial", "news"]) == "trial"
    assert basis_of(["clinic", "reference"]) == "reference"
    assert basis_of(["clinic", "clinic"]) == "clinic"
    assert basis_of([]) is None


def _with_clinic() -> dict[str, Any]:
    """The mini file with a clinic page: one clinic-only fact, one mixed fact."""
    raw = mini_raw()
    raw["sources"]["shop"] = {"kind": "clinic", "title": "A clinic's page"}
    cells = raw["comparisons"]["routes"]["subjects"]["iv"]["cells"]
    cells["convenience"] = [
        {"text": "Walk in any day", "sources": ["shop"]},
        {"text": "Needs a booked chair", "sources": ["shop", "trial"]},
    ]
    return raw


def test_loader_stamps_each_fact_with_its_basis(write_data: WriteData) -> None:
    data = loader.load(write_data(_with_clinic()))
    iv = data.comparisons.routes.subjects["iv"]
    walk, chair = iv.cells["convenience"]
    assert (walk.basis, walk.clinic_claim) == ("clinic", True)
    assert (chair.basis, chair.clinic_claim) == ("trial", False)
    assert iv.cells["bioavailability"][0].basis == "trial"


def test_a_data_file_cannot_type_a_basis(run: Run, write_data: WriteData) -> None:
    raw = _with_clinic()
    raw["comparisons"]["routes"]["subjects"]["iv"]["cells"]["onset"][0]["basis"] = "label"
    result = run("validate", str(write_data(raw)))
    assert result.exit_code == 2
    assert (
        "comparisons.routes.subjects.iv.cells.onset[0].basis: unknown key 'basis'. "
        "Valid keys here: text, sources, confidence, outcome, brief." in result.stdout
    )


def _rows_with(text: str, fmt: str, out: str) -> list[str]:
    return [line for line in out.splitlines() if text in line]


@pytest.mark.parametrize("fmt", ["table", "markdown", "html", "csv", "json"])
def test_every_format_marks_a_clinic_claim_and_only_it(
    run: Run, write_data: WriteData, fmt: str
) -> None:
    path = write_data(_with_clinic())
    result = run("compare", "iv", "im", "--data", str(path), "--format", fmt, width=200)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    if fmt == "json":
        doc = json.loads(out)
        walk, chair = doc["cells"]["convenience"]["iv"]["facts"]
        assert (walk["basis"], walk["text"]) == ("clinic", CLINIC_MARK + "Walk in any day")
        assert (chair["basis"], chair["text"]) == ("trial", "Needs a booked chair")
        return
    if fmt == "csv":
        # Tidy: one row per fact, its basis in its own column (the notice column names
        # the clinic on every row, so only the fact's own columns are checked).
        rows = list(csv.DictReader(io.StringIO(out)))
        walk = [r for r in rows if "Walk in any day" in r["fact"]]
        chair = [r for r in rows if "Needs a booked chair" in r["fact"]]
        assert [(r["basis"], r["fact"]) for r in walk] == [
            ("clinic", CLINIC_MARK + "Walk in any day")
        ]
        assert [(r["basis"], r["fact"]) for r in chair] == [("trial", "Needs a booked chair")]
        return
    plain = out.replace('<span class="clinic">', "").replace("</span>", "")
    assert "Clinic says: Walk in any day" in plain
    assert "Clinic says: Needs a booked chair" not in plain
    assert "Clinic says: 100%" not in plain


def test_the_legend_shows_only_where_a_clinic_claim_does(run: Run, write_data: WriteData) -> None:
    path = str(write_data(_with_clinic()))
    with_claim = run("compare", "iv", "im", "--data", path, "--detail", width=200)
    if with_claim.exit_code == 2:  # before the brief view exists
        with_claim = run("compare", "iv", "im", "--data", path, width=200)
    assert " ".join(CLINIC_LEGEND.split()) in " ".join(with_claim.stdout.split())
    without = run("compare", "iv", "im", "--data", path, "--factor", "bioavailability")
    assert "'Clinic says' marks" not in without.stdout


@pytest.mark.parametrize("fmt", ["table", "markdown", "html", "csv", "json"])
@pytest.mark.parametrize("view", [["routes"], ["kap-vs-talk"], ["sources"], ["factors"]])
def test_every_view_carries_the_content_date_and_disclosure(
    run: Run, view: list[str], fmt: str
) -> None:
    result = run(*view, "--format", fmt, width=300)
    assert result.exit_code == 0, result.stderr
    date = loader.load(SHIPPED).updated.isoformat()
    if fmt == "json":
        about = json.loads(result.stdout)["about"]
        assert about["updated"] == date
        assert "independent" in about["who"] and "no funding" in about["who"]
        return
    text = " ".join(result.stdout.replace("&#x27;", "'").split())
    assert f"{date}" in text
    assert "independent" in text
    assert DISCLAIMER in text


def test_terminal_line_is_short_and_points_to_about(run: Run) -> None:
    out = run("routes", "--factor", "onset", width=200).stdout
    date = loader.load(SHIPPED).updated.isoformat()
    assert short_line(date) in out
    assert "independent, no funding" in short_line(date)
    assert short_line(date).endswith("more: ketacompare about")


def test_about_prints_the_whole_disclosure(run: Run) -> None:
    result = run("about", width=200)
    assert result.exit_code == 0
    text = " ".join(result.stdout.split())
    for words in (
        "independent open-source project",
        "no funding",
        "no tie to any clinic or drug maker",
        "clinic that sells ketamine-assisted therapy",
        "at least every six months",
        "issue tracker",
        "ketacompare 0.",
    ):
        assert words in text, words


# The data file -------------------------------------------------------------------------


@pytest.mark.parametrize("written", ["2026-12-03", "'2026-12-03'"])
def test_updated_accepts_a_quoted_or_plain_iso_date(write_data: WriteData, written: str) -> None:
    text = (Path(SHIPPED).parent.parent / "tests/fixtures/mini.yaml").read_text()
    text = text.replace('updated: "2026-12-03"', f"updated: {written}")
    assert loader.load(write_data(text)).updated.isoformat() == "2026-12-03"


@pytest.mark.parametrize(
    ("written", "found"),
    [
        ("2026-02-30", "the invalid date `2026-02-30`"),
        ("'2026-02-30'", "the text '2026-02-30'"),
        ("'3 Dec 2026'", "the text '3 Dec 2026'"),
        ("2026-12-03 10:00:00", "the date `2026-12-03 10:00:00`"),
    ],
)
def test_updated_refuses_an_impossible_or_other_date(
    run: Run, write_data: WriteData, written: str, found: str
) -> None:
    text = (Path(SHIPPED).parent.parent / "tests/fixtures/mini.yaml").read_text()
    path = write_data(text.replace('updated: "2026-12-03"', f"updated: {written}"))
    result = run("validate", str(path))
    assert result.exit_code == 2
    assert (
        f"{path}:3: updated: expected a date written YYYY-MM-DD, e.g. 2026-12-03; "
        f"found {found}." in result.stdout
    )


def test_updated_is_required(run: Run, write_data: WriteData) -> None:
    raw = mini_raw()
    del raw["updated"]
    result = run("validate", str(write_data(raw)))
    assert "updated: missing required field 'updated'" in result.stdout
    assert result.exit_code == 2


def test_a_format_1_file_says_exactly_what_to_change(run: Run, write_data: WriteData) -> None:
    text = (
        "version: 1\nsources:\n"
        "  a: {kind: clinic article, title: A}\n"
        "  b: {kind: randomized trial, title: B}\n"
        "  c: {kind: web page, title: C}\n"
        "  d: {kind: randomized trial, title: D}\n"
        "factors: {}\ncomparisons: {}\n"
    )
    path = write_data(text)
    result = run("routes", "--data", str(path))
    assert result.exit_code == 2
    assert result.stderr == (
        f"ketacompare: error: {path}: version: this file is in data format 1; this version "
        "of ketacompare reads format 2. To update it: set 'version: 2'; add a top-level "
        "'updated: YYYY-MM-DD' (when you last checked the content); change each source's "
        "kind: 'clinic article' to 'clinic'; 'randomized trial' to 'trial'; 'web page' to "
        "'reference (or clinic, for a clinic's page)'; remove 'Clinic:' or 'per the clinic' "
        "from fact texts (the program now marks a fact whose sources are all clinic pages). "
        "See docs/data-format.md.\n"
    )


def test_an_unknown_kind_lists_the_allowed_kinds(run: Run, write_data: WriteData) -> None:
    raw = mini_raw()
    raw["sources"]["trial"]["kind"] = "blog"
    result = run("validate", str(write_data(raw)))
    assert result.exit_code == 2
    assert (
        "sources.trial.kind: expected one of 'label', 'guideline', 'trial', 'review', "
        "'study', 'reference', 'news', 'clinic'; found the text 'blog'." in result.stdout
    )


def test_a_brief_fact_may_not_mix_clinic_and_other_sources(run: Run, write_data: WriteData) -> None:
    raw = _with_clinic()
    raw["comparisons"]["routes"]["subjects"]["iv"]["cells"]["convenience"][1]["brief"] = True
    raw["comparisons"]["routes"]["subjects"]["iv"]["cells"]["convenience"][0]["brief"] = True
    result = run("validate", str(write_data(raw)))
    assert result.exit_code == 2
    assert result.stdout.splitlines()[0].endswith(
        "comparisons.routes.subjects.iv.cells.convenience[1].sources: a brief fact may not "
        "mix clinic pages with other sources; split it into two facts, each citing only "
        "its own sources."
    )
    assert "invalid: 1 problem." in result.stdout  # the clinic-only brief fact is fine


def test_brief_rows_name_declared_factors(run: Run, write_data: WriteData) -> None:
    raw = mini_raw()
    raw["comparisons"]["routes"]["brief_rows"] = ["onset", "onsett"]
    result = run("validate", str(write_data(raw)))
    assert "comparisons.routes.brief_rows[1]: unknown factor 'onsett'. Did you mean 'onset'?" in (
        result.stdout
    )


def test_shipped_sources_use_the_closed_kinds_and_clinic_pages_are_clinic() -> None:
    data = loader.load(SHIPPED)
    assert {s.kind for s in data.sources.values()} <= set(KINDS)
    for sid in ("pc-routes", "pc-kap-talk", "pc-5meo", "pc-trd", "clinicpage"):
        assert data.sources[sid].kind == "clinic", sid
    # Manufacturer pages are not the label.
    for sid in ("jnjmed", "spravatohcp"):
        assert data.sources[sid].kind == "reference", sid
    assert data.sources["spravatoPI"].kind == "label"


def test_no_shipped_fact_text_types_its_own_clinic_mark() -> None:
    """The mark is computed; a hand-written one would say it twice or say it wrongly."""
    data = loader.load(SHIPPED)
    for ckey in data.comparison_keys():
        comparison = data.comparison(ckey)
        assert comparison is not None
        for skey, subject in comparison.subjects.items():
            for fkey, facts in subject.cells.items():
                for fact in facts:
                    low = fact.text.lower()
                    assert not low.startswith(("clinic:", "clinic says", "article:")), (
                        f"{ckey}.{skey}.{fkey}: {fact.text}"
                    )
                    assert "per the clinic" not in low, f"{ckey}.{skey}.{fkey}: {fact.text}"


def test_every_citing_object_in_the_shipped_data_has_its_basis() -> None:
    """A generic walk of the whole model: nothing that cites a source is left unstamped,
    wherever a future model change puts it (basis.citing names the places explicitly)."""
    import dataclasses

    data = loader.load(SHIPPED)
    seen = 0
    stack: list[Any] = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, tuple | list):
            stack.extend(item)
        elif dataclasses.is_dataclass(item) and not isinstance(item, type):
            if hasattr(item, "basis") and getattr(item, "sources", ()):
                seen += 1
                assert item.basis == basis_of(data.sources[s].kind for s in item.sources), item
            stack.extend(getattr(item, f.name) for f in dataclasses.fields(item))
    assert seen > 300
