"""The whole decision (issue 12): options beside ketamine, "X in 100" figures and their
pictures, compare across routes and options, questions for the doctor, the glossary."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import SHIPPED, Run, mini_raw
from readability import view_text

from ketacompare.loader import load
from ketacompare.model import Arm, Fact, Outcome
from ketacompare.options import options_grid
from ketacompare.render.base import fact_numbers, fact_text
from ketacompare.render.outcomes import (
    OUTCOME_COLUMNS,
    array_rows,
    picture_html,
    picture_lines,
    pictures,
)


@pytest.fixture(scope="module")
def shipped() -> Any:
    return load(SHIPPED)


def _json(run: Run, *args: str) -> dict[str, Any]:
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def _facts(doc: dict[str, Any], row: str, column: str) -> list[dict[str, Any]]:
    return doc["cells"][row][column]["facts"]


def _outcome(doc: dict[str, Any], row: str, column: str, text: str) -> dict[str, Any]:
    (fact,) = [f for f in _facts(doc, row, column) if f["text"].startswith(text)]
    return fact["outcome"]


# The right fact in the right column --------------------------------------------------------


def test_options_view_has_every_option_and_question(run: Run) -> None:
    doc = _json(run, "options", "--detail")
    assert doc["kind"] == "options"
    assert [s["key"] for s in doc["subjects"]] == ["medicine", "talk", "ect", "rtms", "nasal", "iv"]
    labels = [f["label"] for f in doc["factors"]]
    for question in (
        "How likely is it to help?",
        "How soon?",
        "Side effects",
        "Visits and time",
        "Driving and work after",
        "What a session is like",
        "What guidelines say",
        "Cost and access",
    ):
        assert question in labels
    assert "explained by 'ketacompare glossary'" in doc["notes"][-1]


def test_ect_column_holds_elekt_d_with_ketamine_as_comparator(run: Run) -> None:
    doc = _json(run, "options", "--detail")
    ect = _outcome(doc, "chance-of-help", "ect", "Much better")
    assert ect["group"] == "with ECT"
    assert ect["x_in_100"] == 41.2
    assert ect["comparator_group"] == "with IV ketamine"
    assert ect["comparator_x_in_100"] == 55.4
    assert ect["out_of"] == 100
    assert ect["people_studied"] == 365
    assert ect["time_frame"] == "after 3 weeks"
    # The same trial seen from the IV column: the arms swap, the numbers do not change.
    iv = _outcome(doc, "chance-of-help", "iv", "Much better")
    assert (iv["x_in_100"], iv["comparator_x_in_100"]) == (55.4, 41.2)


def test_nasal_harm_is_the_labels_41_in_100_vs_9(run: Run) -> None:
    doc = _json(run, "options", "--detail", "nasal")
    (fact,) = [f for f in _facts(doc, "side-effects", "nasal") if "(dissociation)" in f["text"]]
    assert fact["outcome"]["x_in_100"] == 41
    assert fact["outcome"]["comparator_x_in_100"] == 9
    assert fact["outcome"]["comparator_group"] == "with a dummy spray"
    assert fact["outcome"]["people_studied"] == 568
    assert fact["basis"] == "label"
    assert fact["text"].startswith(
        "Felt detached or unreal (dissociation), in short-term trials: 41 in 100 with the "
        "spray; 9 in 100 with a dummy spray."
    )


def test_cochrane_certainty_is_kept_apart_from_our_confidence(run: Run) -> None:
    doc = _json(run, "options", "--detail", "iv")
    (fact,) = [f for f in _facts(doc, "how-soon", "iv") if "outcome" in f]
    assert fact["outcome"]["certainty"] == "very low"
    assert fact["confidence"] == "high"
    assert "certainty of this evidence very low" in fact["text"]


def test_one_arm_rate_has_no_comparator_and_says_so(run: Run) -> None:
    doc = _json(run, "options", "--detail", "iv")
    one_arm = _outcome(doc, "lasting", "iv", "Still much better")
    assert one_arm["comparator_group"] is None
    assert one_arm["comparator_x_in_100"] is None
    (fact,) = [f for f in _facts(doc, "lasting", "iv") if f["text"].startswith("Still")]
    assert "One group only: with no comparison group" in fact["text"]
    assert "; " not in fact["text"].split(".")[0]  # one group: nothing set beside it


def test_star_d_names_its_population_and_has_no_comparator(run: Run) -> None:
    doc = _json(run, "options", "--detail", "medicine")
    figure = _outcome(doc, "chance-of-help", "medicine", "Depression went away")
    assert figure["x_in_100"] == 13.7
    assert figure["comparator_x_in_100"] is None
    assert "after 2 medicine steps" in figure["population"]


def test_figures_not_from_the_decisions_population_say_so(run: Run) -> None:
    doc = _json(run, "options", "--detail", "rtms")
    figure = _outcome(doc, "chance-of-help", "rtms", "Much better")
    assert figure["fits_decision"] is False
    (fact,) = [f for f in _facts(doc, "chance-of-help", "rtms") if "halved" in f["text"]]
    assert "Read with care: not only people whose depression resisted" in fact["text"]


def test_no_good_figure_is_said_plainly_not_borrowed(run: Run) -> None:
    doc = _json(run, "options", "--detail", "talk", "medicine")
    talks = _facts(doc, "chance-of-help", "talk")
    assert talks and all(t["text"].startswith("No good figure found") for t in talks)
    assert all("outcome" not in t for t in talks)
    # Nothing on ECT's or rTMS's price: the cell is empty, not filled from a neighbour.
    doc = _json(run, "options", "--detail")
    assert _facts(doc, "cost-access", "ect") == []
    assert _facts(doc, "cost-access", "rtms") == []


# The short default view (issue 13) ----------------------------------------------------------

OPTIONS_BRIEF = (
    "chance-of-help",
    "how-soon",
    "side-effects",
    "visits-time",
    "drive-work",
    "session-like",
    "guidelines",
)


def test_options_brief_rows_are_the_core_questions(shipped: Any, run: Run) -> None:
    assert shipped.comparisons.options.brief_rows == OPTIONS_BRIEF
    doc = _json(run, "options")
    assert [f["key"] for f in doc["factors"]] == list(OPTIONS_BRIEF)
    assert "Short view. Add --detail for every fact and study." in doc["notes"]
    assert "Short view." not in " ".join(_json(run, "options", "--detail")["notes"])


def test_every_brief_options_cell_has_one_or_two_short_facts(shipped: Any) -> None:
    for key, subject in shipped.comparisons.options.subjects.items():
        for row in OPTIONS_BRIEF:
            facts = subject.cells.get(row, ())
            if not facts:
                continue  # shown as "the sources say nothing", never filled from a neighbour
            brief = [f for f in facts if f.brief]
            assert 1 <= len(brief) <= 2, (key, row)
            for fact in brief:
                words = len(fact.text.split())
                assert 4 <= words <= 14 or fact.outcome, (key, row, fact.text)


def test_harms_are_in_the_options_brief_view_for_every_option(run: Run) -> None:
    doc = _json(run, "options")
    harms = doc["cells"]["side-effects"]
    assert sorted(harms) == sorted(s["key"] for s in doc["subjects"])
    for key in ("ect", "rtms", "nasal", "iv"):
        assert harms[key]["facts"], key
    # The label's figures for ketamine's harms keep their pictures in the short view.
    assert _outcome(doc, "side-effects", "nasal", "Felt detached")["x_in_100"] == 41
    assert _outcome(doc, "side-effects", "iv", "Felt unreal")["x_in_100"] == 69.0


def test_every_x_in_100_in_the_brief_view_names_its_comparator_or_has_none(run: Run) -> None:
    doc = _json(run, "options")
    shown = [
        fact
        for row in doc["cells"].values()
        for cell in row.values()
        for fact in cell["facts"]
        if " in 100 " in fact["text"]
    ]
    assert len(shown) >= 6
    for fact in shown:
        figure = fact["outcome"]  # never a figure typed as free text
        assert figure["time_frame"] and figure["population"]
        if figure["comparator_group"] is None:
            assert "One group only: with no comparison group" in fact["text"]
        else:
            assert figure["comparator_group"] in fact["text"]


def test_options_brief_view_is_short_at_80_columns(run: Run) -> None:
    short = run("options", width=80)
    full = run("options", "--detail", width=80)
    assert short.exit_code == 0 and full.exit_code == 0, short.stderr + full.stderr
    assert len(short.stdout.splitlines()) <= 190 < len(full.stdout.splitlines())
    assert "Add --detail for every fact and study." in short.stdout


def test_every_options_fact_is_cited_with_a_basis_and_never_unverified(shipped: Any) -> None:
    options = shipped.comparisons.options
    for subject in options.subjects.values():
        for facts in subject.cells.values():
            for fact in facts:
                assert fact.sources
                assert fact.basis is not None
                assert fact.confidence in ("high", "medium")


def test_option_that_is_a_route_answers_to_the_routes_names(shipped: Any) -> None:
    nasal = shipped.comparisons.options.subjects["nasal"]
    assert nasal.route == "nasal"
    assert "spravato" in [a.lower() for a in nasal.aliases]
    # Its cells answer the options' questions; no text is stored twice.
    route = shipped.comparisons.routes.subjects["nasal"]
    route_texts = {f.text for facts in route.cells.values() for f in facts}
    assert not route_texts & {f.text for facts in nasal.cells.values() for f in facts}


def test_the_overview_shows_the_datas_decision(run: Run) -> None:
    result = run(width=200)
    assert result.exit_code == 0, result.stderr
    assert (
        "Depression that has not got better with antidepressants: should I try ketamine, "
        "and if so, which way?"
    ) in result.stdout


def test_decision_and_condition(shipped: Any) -> None:
    question = shipped.decision.question
    condition = [fact.text for fact in shipped.decision.condition]
    assert question == (
        "Depression that has not got better with antidepressants: should I try ketamine, "
        "and if so, which way?"
    )
    assert 2 <= len(condition) <= 3
    assert "treatment-resistant" in condition[0]
    assert shipped.decision.condition[0].basis == "guideline"


# X in 100 numbers in json and csv --------------------------------------------------------


def test_fact_numbers_has_every_column_empty_for_plain_facts() -> None:
    plain = fact_numbers(Fact("Needs a clinic", ("a",)))
    assert list(plain) == list(OUTCOME_COLUMNS)
    assert set(plain.values()) == {None}


def test_csv_carries_the_numbers(run: Run) -> None:
    result = run("options", "ect", "--detail", "--format", "csv")
    assert result.exit_code == 0, result.stderr
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    figures = [r for r in table if r["x_in_100"] == "41.2"]
    assert len(figures) == 1
    assert figures[0]["comparator_x_in_100"] == "55.4"
    assert figures[0]["comparator_group"] == "with IV ketamine"
    assert figures[0]["out_of"] == "100"
    assert figures[0]["people_studied"] == "365"
    assert figures[0]["fits_decision"] == "True"
    assert figures[0]["factor"] == "How likely is it to help?"
    plain = [r for r in table if r["fact"] and " in 100 " not in r["fact"]]
    assert plain and all(r["x_in_100"] == "" for r in plain)


# Icon arrays -------------------------------------------------------------------------------


def _figure(option: float, comparator: float | None, **extra: Any) -> Fact:
    outcome = Outcome(
        option=Arm("with A", option),
        comparator=Arm("with B", comparator) if comparator is not None else None,
        time="after 1 week",
        population="people like you",
        design="randomised trial",
        **extra,
    )
    return Fact("Better", ("s",), confidence="high", outcome=outcome)


@pytest.mark.parametrize(("value", "filled"), [(0, 0), (9, 9), (41.2, 41), (58.7, 59), (100, 100)])
def test_icon_array_fills_as_many_marks_as_the_words_say(value: float, filled: int) -> None:
    rows = array_rows(filled, sure=True)
    text = "".join(rows)
    assert len(rows) == 5
    assert text.count("●") == filled
    assert text.count("○") == 100 - filled
    fact = _figure(value, None)
    assert f"{filled} in 100 with A" in fact_text(fact) or value < 1


def test_less_sure_figures_are_drawn_with_other_marks_and_say_why() -> None:
    from ketacompare.query import Column, Grid, Row

    sure = _figure(41, 9)
    one_arm = _figure(30, None)
    graded = _figure(47, 26, certainty="very low")
    grid = Grid(
        "t",
        "F",
        (Column("a", "A"),),
        (Row("r", "R"),),
        {("r", "a"): (sure, one_arm, graded)},
    )
    lines = picture_lines(grid)
    text = "\n".join(lines)
    drawn = "\n".join(line for line in lines if line.startswith("  ") and "in 100" not in line)
    assert drawn.count("●") == 41 + 9  # the sure figure only
    assert drawn.count("◐") == 30 + 47 + 26
    assert "One group only" in text
    assert "certainty of this evidence very low" in text
    ascii_text = "\n".join(picture_lines(grid, ascii=True))
    assert "●" not in ascii_text and ascii_text.count("#") >= 50
    # HTML: SVG with shapes (filled, ring, half) and words; no script, nothing external.
    html = picture_html(grid)
    assert html.count('r="4" fill="#000"/>') == 41 + 9
    assert html.count("<path") == 30 + 47 + 26
    assert 'aria-label="41 in 100 with A"' in html
    assert "<script" not in html and "href" not in html and "src=" not in html


def test_a_trial_both_columns_carry_is_drawn_once(shipped: Any) -> None:
    grid = options_grid(shipped, ["ect", "iv"], ["chance-of-help"], detail=True)
    headings = [p.heading for p in pictures(grid)]
    assert len(headings) == 2  # ELEKT-D and KetECT, each once
    assert headings[0].startswith("ECT · Much better")


def test_terminal_shows_pictures_without_colour(run: Run) -> None:
    result = run("compare", "ect", "iv", "--factor", "chance-of-help", width=80)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Out of 100 people" in out
    assert "  Left:  41 in 100 with ECT" in out
    assert "  Right: 55 in 100 with IV ketamine" in out
    assert "\x1b[" not in out
    assert max(len(line) for line in out.splitlines()) <= 80


def test_html_handout_draws_svg_and_markdown_a_text_block(run: Run) -> None:
    html = run("options", "nasal", "--detail", "--format", "html").stdout
    assert html.count("<svg") == 2 * 7  # 7 figures of 2 groups each
    assert "<script" not in html
    markdown = run("options", "nasal", "--format", "markdown").stdout
    assert "## Out of 100 people" in markdown
    assert "```text" in markdown


# compare: routes or options ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("names", "kind", "columns"),
    [
        (("iv", "nasal"), "routes", ["iv", "nasal"]),
        (("ect", "iv"), "options", ["ect", "iv"]),
        (("spravato", "rtms"), "options", ["nasal", "rtms"]),
        (("talk", "medicine", "iv"), "options", ["talk", "medicine", "iv"]),
        (("IV", "sl"), "routes", ["iv", "sl"]),
    ],
)
def test_compare_resolves_within_one_comparison(
    run: Run, names: tuple[str, ...], kind: str, columns: list[str]
) -> None:
    doc = _json(run, "compare", *names)
    assert doc["kind"] == kind
    assert [s["key"] for s in doc["subjects"]] == columns


def test_compare_of_a_route_and_an_option_names_both_sets(run: Run) -> None:
    result = run("compare", "ect", "sl")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "ketacompare: error: 'sl' is a route and 'ect' is an option; compare routes with "
        "routes, or options with options. Routes: iv, sl, nasal, im, oral. Options: "
        "medicine, talk, ect, rtms, nasal, iv.\n"
    )


def test_compare_unknown_name_suggests_from_both_sets(run: Run) -> None:
    result = run("compare", "ect", "rtsm")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "ketacompare: error: unknown route or option 'rtsm'. Did you mean 'rtms'? Routes: "
    )
    assert "Options: medicine, talk, ect, rtms, nasal, iv." in result.stderr


def test_compare_one_option_asks_for_two(run: Run) -> None:
    result = run("compare", "ect")
    assert result.exit_code == 2
    assert "name two or more options to compare, e.g. 'ketacompare compare ect iv'" in (
        result.stderr
    )


def test_options_unknown_name(run: Run) -> None:
    result = run("options", "ketamine-pills")
    assert result.exit_code == 2
    assert "unknown option 'ketamine-pills'" in result.stderr
    assert "Valid options: medicine, talk, ect, rtms, nasal, iv." in result.stderr


# questions ---------------------------------------------------------------------------------


def test_questions_are_drawn_from_the_chosen_options(run: Run) -> None:
    doc = _json(run, "questions", "ect")
    labels = {r["key"]: r["label"] for r in doc["factors"]}
    asked = {labels[row]: cells["question"]["text"] for row, cells in doc["cells"].items()}
    assert "Any option" in labels.values() and "ECT" in labels.values()
    texts = [c["question"]["text"] for c in doc["cells"].values()]
    assert "How might ECT affect my memory, and for how long?" in texts
    assert not any("certified clinic" in t for t in texts)  # a nasal question
    assert all(c["notes"]["text"].strip() == "" for c in doc["cells"].values())
    assert asked


def test_questions_handout_has_room_to_write(run: Run) -> None:
    html = run("questions", "iv", "--format", "html").stdout
    assert "Answer and notes" in html
    assert "td:last-child { width: 45%; height: 5.5rem; }" in html
    assert "Who will watch me during and after the drip?" in html
    assert '<p class="decision">Depression that has not got better with antidepressants' in html


def test_questions_unknown_option(run: Run) -> None:
    result = run("questions", "surgery")
    assert result.exit_code == 2
    assert "unknown option 'surgery'" in result.stderr


# glossary ----------------------------------------------------------------------------------

# Abbreviations: two or more capitals in a word (TRD, rTMS, HAM-D, STAR*D), or a unit.
_ABBREVIATION = re.compile(
    r"(?<![\w/])(?:[A-Za-z0-9*-]*[A-Z][A-Za-z0-9*-]*[A-Z][A-Za-z0-9*-]*|mg/kg|mg|ng/mL|min|h)"
    r"(?![\w/])"
)
BRIEF_VIEWS = [
    ("routes",),
    ("compare", "iv", "im"),
    ("kap-vs-talk",),
    ("options",),
    ("choose", "--prefer", "no-needles,fewer-visits,low-dissociation"),
    (),  # the bare overview
]


def _covered(shipped: Any) -> set[str]:
    words = set()
    for entry in shipped.glossary:
        words.add(entry.term)
        words.update(re.split(r"[\s()]+", entry.term))
    return {w for w in words if w}


@pytest.mark.parametrize("args", BRIEF_VIEWS, ids=lambda a: " ".join(a) or "overview")
def test_every_abbreviation_in_a_brief_view_is_in_the_glossary(
    args: tuple[str, ...], shipped: Any
) -> None:
    try:
        text = view_text(args)
    except RuntimeError as exc:
        if not args:
            pytest.skip(f"the overview is not built yet: {exc}")
        raise
    covered = _covered(shipped)
    missing = set()
    for token in _ABBREVIATION.findall(text):
        token = token.strip("-")
        if token in covered or token in shipped.sources:
            continue  # explained, or a source id ("spravatoPI"), which names, not abbreviates
        parts = [p for p in token.split("-") if _ABBREVIATION.fullmatch(p)]
        if parts and all(p in covered for p in parts):
            continue  # FDA-approved, TRANSFORM-2
        missing.add(token)
    assert not missing, f"not in the glossary: {sorted(missing)}"


def test_glossary_explains_the_issues_abbreviations(run: Run) -> None:
    doc = _json(run, "glossary")
    terms = {cells["meaning"]["text"]: label for label, cells in doc["cells"].items()}
    labels = [r["label"] for r in doc["factors"]]
    for term in ("TRD", "HAM-D", "MADRS", "CADSS", "REMS", "mg/kg", "ECT", "rTMS", "KAP"):
        assert term in labels
    for term in ("IV", "IM", "NICE", "X in 100"):
        assert term in labels
    assert terms
    row = next(r["key"] for r in doc["factors"] if r["label"] == "ECT")
    assert doc["cells"][row]["stands-for"]["text"] == "electroconvulsive therapy"


# Validation ----------------------------------------------------------------------------------


def _with_options(**outcome: Any) -> dict[str, Any]:
    raw = mini_raw()
    figure = {
        "option": {"label": "with A", "numerator": 41},
        "comparator": {"label": "with B", "numerator": 9},
        "time": "after 1 week",
        "population": "people",
        "design": "trial",
    } | outcome
    raw["comparisons"]["options"] = {
        "title": "Options",
        "subject_label": "Option",
        "subjects": {
            "ect": {
                "name": "ECT",
                "cells": {"onset": [{"text": "Better", "sources": ["trial"], "outcome": figure}]},
            },
            "iv": {"name": "IV ketamine", "route": "iv", "cells": {}},
        },
    }
    return raw


def _validate(run: Run, path: Path) -> str:
    result = run("validate", str(path))
    assert result.exit_code == 2, result.stdout
    return result.stdout + result.stderr


def test_a_valid_options_file_links_the_route(write_data: Callable[[Any], Path]) -> None:
    data = load(write_data(_with_options()))
    iv = data.comparisons.options.subjects["iv"]
    assert "intravenous" in iv.aliases and "iv" not in iv.aliases  # the key is its own name


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        (
            {"denominator": 1000},
            "comparisons.options.subjects.ect.cells.onset[0].outcome.denominator",
            "expected 100; found 1000.",
        ),
        (
            {"comparator": {"label": "with B", "numerator": 140}},
            "comparisons.options.subjects.ect.cells.onset[0].outcome.comparator.numerator",
            "expected a number from 0 to 100; found 140.",
        ),
        (
            {"certainty": "somewhat"},
            "comparisons.options.subjects.ect.cells.onset[0].outcome.certainty",
            "expected one of 'high', 'moderate', 'low', 'very low'",
        ),
    ],
)
def test_bad_figures_are_refused(
    run: Run, write_data: Callable[[Any], Path], change: dict[str, Any], path: str, message: str
) -> None:
    out = _validate(run, write_data(_with_options(**change)))
    assert f"{path}: {message}" in out


def test_route_links_are_checked(run: Run, write_data: Callable[[Any], Path]) -> None:
    raw = _with_options()
    raw["comparisons"]["options"]["subjects"]["iv"]["route"] = "ivv"
    raw["comparisons"]["routes"]["subjects"]["im"]["route"] = "iv"
    raw["questions"] = {"any": ["Why?"], "surgery": ["How?"]}
    out = _validate(run, write_data(raw))
    assert "comparisons.options.subjects.iv.route: unknown route 'ivv'. Did you mean 'iv'?" in out
    assert "comparisons.routes.subjects.im.route: only an option can name a route" in out
    assert "questions.surgery: unknown option 'surgery'." in out


def test_compare_completes_route_and_option_names() -> None:
    import os
    import subprocess
    import sys

    env = os.environ | {
        "COMP_WORDS": "ketacompare compare ect r",
        "COMP_CWORD": "3",
        "_KETACOMPARE_COMPLETE": "complete_bash",
    }
    env.pop("KETACOMPARE_DATA", None)
    done = subprocess.run(
        [sys.executable, "-m", "ketacompare"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.stdout.split() == ["rtms"]  # an option; 'ect' is taken
