"""Content of the evidence views on the shipped data file (data/routes.yaml).

Facts checked here come from the seed and shared/reference/ketamine-facts.md.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from ketacompare.evidence import EVENTS, citations, sources_grid, timeline_grid
from ketacompare.loader import load
from ketacompare.model import Dataset, Fact
from ketacompare.query import DISCLAIMER, comparison_grid
from tests.conftest import SHIPPED, Run

WIDE = 2000  # no cell wraps: every fact reads as one piece of text


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load(SHIPPED)


def ok(result: Any) -> str:
    assert result.exit_code == 0, result.stderr or result.output
    return result.stdout


def flat(text: str) -> str:
    return " ".join(text.split())


def cell(data: Dataset, ckey: str, subject: str, factor: str) -> list[str]:
    comparison = data.comparison(ckey)
    assert comparison is not None
    return [f.text for f in comparison.subjects[subject].cells.get(factor, ())]


def all_facts(data: Dataset) -> list[tuple[str, str, str, Fact]]:
    out = []
    for ckey in data.comparison_keys():
        comparison = data.comparison(ckey)
        assert comparison is not None
        for skey, subject in comparison.subjects.items():
            for fkey, facts in subject.cells.items():
                out.extend((ckey, skey, fkey, fact) for fact in facts)
    return out


def run_shipped(run: Run, *args: str, width: int = WIDE) -> str:
    return ok(run(*args, "--data", str(SHIPPED), width=width))


# Figures from the reference sheet -------------------------------------------------------


def test_study_doses_im_quarter_vs_iv_half_mg_per_kg(run: Run, data: Dataset) -> None:
    im = " ".join(cell(data, "routes", "im", "study-doses"))
    iv = " ".join(cell(data, "routes", "iv", "study-doses"))
    assert "0.25" in im and "mg/kg" in im
    assert "0.5 mg/kg" in iv
    grid = comparison_grid(data, "routes", ["iv", "im"], ["study-doses"])
    assert [c.key for c in grid.columns] == ["iv", "im"]
    out = run_shipped(run, "compare", "iv", "im", "--factor", "doses")
    row = next(line for line in out.splitlines() if "0.25" in line)
    iv_part, im_part = row.split("│")[2:4]
    assert "0.25" in im_part and "0.25" not in iv_part  # right column
    assert "0.5 mg/kg" in out
    assert "0.25" in run_shipped(run, "show", "im")


def test_esketamine_monitoring_at_least_two_hours(run: Run, data: Dataset) -> None:
    monitoring = cell(data, "routes", "nasal", "monitoring")
    pattern = re.compile(r"(at least|>=|≥)\s*2\s*(h\b|hours)", re.I)
    assert any(pattern.search(text) for text in monitoring), monitoring
    out = run_shipped(run, "show", "spravato")
    assert pattern.search(out)


def test_fda_approval_march_2019(run: Run, data: Dataset) -> None:
    pattern = re.compile(r"\b(5 )?Mar(ch)? 2019\b")
    assert any(pattern.search(t) for t in cell(data, "routes", "nasal", "regulatory"))
    assert pattern.search(run_shipped(run, "show", "esketamine"))
    assert pattern.search(run_shipped(run, "routes", "--factor", "regulatory"))


def test_glue_2017_subcutaneous_12_patients_in_conditions(run: Run) -> None:
    out = flat(run_shipped(run, "conditions", "anxiety"))
    assert "Glue 2017" in out
    assert "12 patients" in out
    assert re.search(r"[Ss]ubcutaneous", out)


def test_conditions_cover_the_issue_list(run: Run, data: Dataset) -> None:
    out = run_shipped(run, "conditions")
    for name in (
        "Treatment-resistant depression",
        "suicidal ideation",
        "PTSD",
        "Anxiety disorders",
        "OCD",
        "Addiction",
    ):
        assert name in out, name
    conditions = data.comparison("conditions")
    assert conditions is not None
    assert conditions.layout == "cards"
    for subject in conditions.subjects.values():
        assert subject.cells.get("seed-claim"), subject.name
        assert subject.cells.get("key-study"), subject.name
        assert subject.cells.get("evidence"), subject.name


def test_therapies_cover_kap_talk_psilocybin_and_5meo(run: Run, data: Dataset) -> None:
    therapies = data.comparison("therapies")
    assert therapies is not None
    assert {"kap", "talk", "psilocybin", "5-meo-dmt"} <= set(therapies.subjects)
    assert therapies.presets["kap-vs-talk"] == ("kap", "talk")
    out = flat(run_shipped(run, "therapies", "psilocybin", "5-meo-dmt", "--factor", "session"))
    assert "4-6 h" in out
    pair = flat(run_shipped(run, "therapies", "kap-vs-talk", "--factor", "session"))
    assert "45-60 min" in pair and "60-90 min" in pair


# Citations ----------------------------------------------------------------------------------


def test_every_cell_cites_a_registered_source(data: Dataset) -> None:
    for ckey, skey, fkey, fact in all_facts(data):
        where = f"{ckey}.{skey}.{fkey}"
        assert fact.sources, where
        assert set(fact.sources) <= set(data.sources), where
    for subject in data.comparisons.routes.subjects.values():
        for point in subject.timeline:
            assert point.sources and set(point.sources) <= set(data.sources)


def test_every_registered_source_is_cited(data: Dataset) -> None:
    uncited = [sid for sid, places in citations(data).items() if not places]
    assert uncited == []


def test_sources_view_lists_them_all(run: Run, data: Dataset) -> None:
    out = run_shipped(run, "sources", width=200)
    assert f"Sources ({len(data.sources)})" in out
    assert "not cited by any cell" not in out
    narrowed = sources_grid(data, ["nasal"], ["monitoring"])
    assert {c.key for c in narrowed.columns} >= {"spravatoPI2019"}


# What is printed ----------------------------------------------------------------------------


def every_view(data: Dataset) -> list[tuple[str, ...]]:
    routes = list(data.comparisons.routes.subjects)
    views: list[tuple[str, ...]] = [
        ("routes", "--all", "--sources"),
        ("compare", *routes),
        ("kap-vs-talk", "--sources"),
        ("factors",),
        ("sources",),
        ("conditions", "--sources"),
        ("therapies", "--sources"),
        ("timeline", "--all", "--sources"),
    ]
    views += [("show", key, "--sources") for key in routes]
    return views


def test_no_unverified_anywhere_in_any_output(run: Run, data: Dataset) -> None:
    for args in every_view(data):
        out = run_shipped(run, *args, width=120)
        assert "unverified" not in out.lower(), args
        assert out.rstrip().endswith(DISCLAIMER) or DISCLAIMER in flat(out), args


def test_every_low_figure_is_marked_low_confidence(run: Run, data: Dataset) -> None:
    low = [(c, s, f, fact) for c, s, f, fact in all_facts(data) if fact.confidence == "low"]
    assert low, "the reference sheet has low-confidence figures (e.g. IM bioavailability)"
    shown = {
        "routes": run_shipped(run, "routes", "--all", "--detail"),
        "therapies": run_shipped(run, "therapies", "--all"),
        "conditions": run_shipped(run, "conditions", "--all"),
    }
    for ckey, skey, _fkey, fact in low:
        assert f"{fact.text} (low confidence)" in shown[ckey], fact.text
        if ckey == "routes":
            card = run_shipped(run, "show", skey)
            ids = ", ".join(fact.sources)
            assert f"{fact.text} [{ids}] (low confidence)" in card, fact.text
    chart = run_shipped(run, "timeline", "--all")
    for subject in data.comparisons.routes.subjects.values():
        for point in subject.timeline:
            if point.confidence == "low":
                assert f"{point.text} (low confidence)" in chart, point.text


def test_im_bioavailability_is_low_confidence(data: Dataset) -> None:
    facts = data.comparisons.routes.subjects["im"].cells["bioavailability"]
    assert any("93%" in f.text and f.confidence == "low" for f in facts)


# Hidden oral route ----------------------------------------------------------------------------


def test_oral_is_hidden_unless_asked_for(run: Run, data: Dataset) -> None:
    oral = data.comparisons.routes.subjects["oral"]
    assert oral.hidden
    heading = re.compile(rf"│ {re.escape(oral.name)}\s+│")  # a column heading
    shown = run_shipped(run, "routes")
    assert not heading.search(shown)
    assert f"Not shown: {oral.name}. Add --all to include." in shown
    assert heading.search(run_shipped(run, "routes", "--all"))
    assert heading.search(run_shipped(run, "compare", "iv", "oral"))
    assert oral.name in run_shipped(run, "show", "oral")
    assert "Not shown: Oral. Add --all to include." in flat(run_shipped(run, "timeline"))
    assert re.search(r"^Oral\s", run_shipped(run, "timeline", "--all"), re.M)


# Timeline ------------------------------------------------------------------------------------


def test_timeline_draws_only_sourced_routes(run: Run, data: Dataset) -> None:
    grid = timeline_grid(data, include_hidden=True)
    out = run_shipped(run, "timeline", "--all", width=100)
    for key, subject in data.comparisons.routes.subjects.items():
        drawn = [f for e in EVENTS for f in grid.cell(key, e)]
        assert len(drawn) == len(subject.timeline)
        if not subject.timeline:
            assert re.search(rf"^{re.escape(subject.name)}\s+no sourced timing$", out, re.M)
        for point in subject.timeline:
            assert point.text in flat(out)
    sixty = run_shipped(run, "timeline", "--all", width=60)
    assert all(len(line) <= 60 for line in sixty.splitlines())
