"""`ketacompare choose` on its own fixture: ranking, explanations, errors, --list, formats.

tests/fixtures/choose.yaml paraphrases the seed's clinic article; its route cells include
study doses ("mg/kg") that choose must never show.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import FIXTURES, MINI, Run

from ketacompare.choose import CLOSING_NOTE, choose_grid, rank_routes
from ketacompare.loader import load
from ketacompare.query import DISCLAIMER
from ketacompare.render import Format

FIX = FIXTURES / "choose.yaml"
NAMES = {
    "iv": "IV infusion",
    "sl": "Sublingual",
    "nasal": "Nasal esketamine",
    "im": "Intramuscular",
    "oral": "Oral",
}
KEYS = (
    "rapid-relief, no-needles, low-dissociation, fewer-visits, self-administer, "
    "lasting-relief, established-evidence"
)
VERDICT = re.compile(r"(Meets|Partly meets|Conflicts): ")
SOURCE_TAIL = re.compile(r" \((source|sources): ([^()]+)\)$")


def choose(run: Run, *args: str, data: Path = FIX, width: int = 1000) -> Any:
    # A very wide terminal keeps every heading and cell on one line, so lines can be read.
    return run("choose", *args, "--data", str(data), width=width)


def order(stdout: str) -> list[str]:
    """Route keys in rank order, read from the '1. Name' column headings."""
    pattern = r"\b(\d+)\. (" + "|".join(re.escape(n) for n in NAMES.values()) + r")\b"
    found = {int(n): name for n, name in re.findall(pattern, stdout)}
    assert sorted(found) == list(range(1, len(found) + 1)), found
    by_name = {name: key for key, name in NAMES.items()}
    return [by_name[found[n]] for n in sorted(found)]


def grid_order(*, prefer: tuple[str, ...] = (), need: tuple[str, ...] = (), **kw: Any) -> list:
    return [c.key for c in choose_grid(load(FIX), prefer, need, **kw).columns]


# The issue's scenarios ------------------------------------------------------------------

SCENARIOS = [
    (("--prefer", "no-needles,self-administer"), ["sl", "nasal", "iv", "im"]),
    (("--need", "rapid-relief"), ["iv", "nasal", "sl", "im"]),
    (("--prefer", "fewer-visits"), ["im", "sl", "iv", "nasal"]),
    (("--prefer", "low-dissociation"), ["nasal", "im", "sl", "iv"]),
]


@pytest.mark.parametrize(("args", "expected"), SCENARIOS)
def test_scenarios_from_the_seed(run: Run, args: tuple[str, ...], expected: list[str]) -> None:
    result = choose(run, *args)
    assert result.exit_code == 0, result.stderr
    assert order(result.stdout) == expected


def test_scenario_relations_as_the_issue_states_them(run: Run) -> None:
    first = order(choose(run, "--prefer", "no-needles,self-administer").stdout)
    assert max(first.index("sl"), first.index("nasal")) < min(first.index("iv"), first.index("im"))
    assert order(choose(run, "--need", "rapid-relief").stdout)[0] == "iv"
    assert order(choose(run, "--prefer", "fewer-visits").stdout)[0] == "im"
    fourth = order(choose(run, "--prefer", "low-dissociation").stdout)
    assert max(fourth.index("im"), fourth.index("nasal")) < fourth.index("iv")


def test_the_engine_gives_the_same_order_as_the_table(run: Run) -> None:
    for args, expected in SCENARIOS:
        option, value = args
        kw = {"prefer" if option == "--prefer" else "need": tuple(value.split(","))}
        assert grid_order(**kw) == expected


# Explanations ---------------------------------------------------------------------------


def test_each_cell_is_the_routes_own_fact_with_its_verdict_and_sources() -> None:
    grid = choose_grid(load(FIX), ["no-needles", "self-administer"], [])
    assert grid.cell("no-needles", "sl")[0].text == (
        "Meets: No needles or medical equipment; held under the tongue "
        "(sources: pc-routes, pc-choice)"
    )
    assert grid.cell("self-administer", "nasal")[0].text == (
        "Partly meets: Can be self-administered, but under medical supervision (source: pc-routes)"
    )
    assert grid.cell("no-needles", "iv")[0].text == (
        "Conflicts: Needle in a vein; may be uncomfortable or scary (source: pc-routes)"
    )
    assert grid.cell("no-needles", "iv")[0].sources == ("pc-routes",)
    assert [r.label for r in grid.rows] == [
        "Avoid needles (wish)",
        "Take it yourself (wish)",
        "Summary",
    ]


def test_every_explanation_names_the_sources_the_data_gives_it() -> None:
    data = load(FIX)
    keys = list(data.preferences)
    grid = choose_grid(data, keys, [], include_hidden=True)
    checked = 0
    for pkey in keys:
        for column in grid.columns:
            rating = data.preferences[pkey].ratings.get(column.key)
            facts = grid.cell(pkey, column.key)
            if rating is None:
                assert facts == ()  # no information: an empty cell, not an invented line
                continue
            (fact,) = facts
            tail = SOURCE_TAIL.search(fact.text)
            assert tail, fact.text
            assert tuple(tail.group(2).split(", ")) == rating.sources == fact.sources
            assert all(s in data.sources for s in fact.sources)
            checked += 1
    assert checked == sum(len(p.ratings) for p in data.preferences.values())


def test_every_explanation_line_in_the_output_names_a_source(run: Run) -> None:
    result = choose(run, "--prefer", KEYS.replace(" ", ""), "--all")
    assert result.exit_code == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if VERDICT.search(line)]
    assert len(lines) == 7  # one table line per preference row
    for line in lines:
        cells = [c.strip() for c in line.split("│")[2:-1] if c.strip() not in ("", "—")]
        assert cells
        for cell in cells:
            assert VERDICT.match(cell), cell
            assert SOURCE_TAIL.search(cell), cell


def test_needs_come_first_and_are_labelled_as_needs() -> None:
    grid = choose_grid(load(FIX), ["low-dissociation"], ["rapid-relief"])
    assert [r.label for r in grid.rows] == [
        "Rapid relief (need)",
        "Less dissociation (wish)",
        "Summary",
    ]


def test_summary_shows_rank_score_and_the_counts(run: Run) -> None:
    grid = choose_grid(load(FIX), ["fewer-visits"], [])
    summary = {c.key: grid.cell("summary", c.key)[0].text for c in grid.columns}
    assert summary["im"] == (
        "Rank 1 of 4; score 2 of 2. Meets 1, partly 0, conflicts 0, no information 0."
    )
    # sl has no rating for fewer-visits: no information scores 0, above a conflict (-1).
    assert summary["sl"] == (
        "Rank 2 of 4; score 0 of 2. Meets 0, partly 0, conflicts 0, no information 1."
    )
    assert summary["nasal"].startswith("Rank 4 of 4; score -1 of 2.")
    assert summary["nasal"].endswith("Tied with IV infusion; data order kept.")
    assert grid.cell("fewer-visits", "sl") == ()
    out = choose(run, "--prefer", "fewer-visits").stdout
    assert "'—' means the data file has no information on that route" in out


def test_scores_are_two_one_zero_minus_one() -> None:
    data = load(FIX)
    scores = {r.key: r.score for r in rank_routes(data, list(data.preferences), [], True)}
    # Counted by hand from the fixture, preference by preference in data order.
    assert scores["iv"] == 2 - 1 - 1 - 1 - 1 + 0 + 2
    assert scores["sl"] == 1 + 2 + 1 + 0 + 2 + 0 + 1
    assert scores["nasal"] == 2 + 2 + 2 - 1 + 1 - 1 + 1
    assert scores["im"] == -1 - 1 + 2 + 2 - 1 + 2 + 1
    assert scores["oral"] == 2


# Order rules ----------------------------------------------------------------------------


def test_a_route_conflicting_with_a_need_goes_last_even_with_the_best_score(run: Run) -> None:
    args = ("--need", "rapid-relief", "--prefer", "low-dissociation,fewer-visits,lasting-relief")
    result = choose(run, *args)
    assert order(result.stdout) == ["sl", "nasal", "iv", "im"]
    ranked = {r.key: r for r in rank_routes(load(FIX), args[3].split(","), ["rapid-relief"])}
    assert ranked["im"].score == 5 > max(r.score for k, r in ranked.items() if k != "im")
    assert "4. Intramuscular (conflicts with a need)" in result.stdout
    assert "Conflicts with a need (Rapid relief): listed after the others." in result.stdout


def test_conflicting_routes_are_ordered_among_themselves_by_score(run: Run) -> None:
    # Both iv and im conflict with no-needles; iv scores 2-1, im -1-1 on top of it.
    result = choose(run, "--need", "no-needles", "--prefer", "rapid-relief")
    assert order(result.stdout) == ["nasal", "sl", "iv", "im"]
    assert "3. IV infusion (conflicts with a need)" in result.stdout
    assert "4. Intramuscular (conflicts with a need)" in result.stdout


def test_a_wish_conflict_is_not_marked_as_a_need_conflict(run: Run) -> None:
    result = choose(run, "--prefer", "no-needles")
    assert "conflicts with a need" not in result.stdout
    assert "4. Intramuscular" in result.stdout


def test_ties_keep_data_order(run: Run, write_data: Callable[[Any], Path]) -> None:
    raw = yaml.safe_load(FIX.read_text(encoding="utf-8"))
    subjects = raw["comparisons"]["routes"]["subjects"]
    raw["comparisons"]["routes"]["subjects"] = dict(reversed(list(subjects.items())))
    assert order(choose(run, "--prefer", "low-dissociation").stdout) == ["nasal", "im", "sl", "iv"]
    flipped = choose(run, "--prefer", "low-dissociation", data=write_data(raw))
    assert flipped.exit_code == 0, flipped.stderr
    assert order(flipped.stdout) == ["im", "nasal", "sl", "iv"]
    assert "Tied with Nasal esketamine; data order kept." in flipped.stdout


def test_hidden_routes_only_with_all(run: Run) -> None:
    plain = choose(run, "--prefer", "no-needles")
    assert "Oral" not in order(plain.stdout)
    assert "Not shown: Oral. Add --all to include." in plain.stdout
    full = choose(run, "--prefer", "no-needles", "--all")
    assert order(full.stdout) == ["sl", "nasal", "oral", "iv", "im"]
    assert "Meets: Swallowed; no needle (source: pc-routes)" in full.stdout
    assert "Oral: Not covered by the clinic article's route comparison." in full.stdout
    assert "Not shown" not in full.stdout


# Names on the command line --------------------------------------------------------------


def test_case_prefixes_commas_and_repeats(run: Run) -> None:
    same = choose(run, "--prefer", "NO-Needles", "-p", "self")
    assert order(same.stdout) == ["sl", "nasal", "iv", "im"]
    assert "Avoid needles (wish)" in same.stdout and "Take it yourself (wish)" in same.stdout
    short = choose(run, "-n", "RAPID", "--prefer", "low-d,fewer")
    full = choose(
        run, "--need", "rapid-relief", "--prefer", "low-dissociation", "-p", "fewer-visits"
    )
    assert short.stdout == full.stdout
    assert order(short.stdout) == ["nasal", "sl", "iv", "im"]


def test_a_key_given_twice_counts_once() -> None:
    assert grid_order(prefer=("fewer-visits", "FEWER-VISITS", "fewer")) == grid_order(
        prefer=("fewer-visits",)
    )
    grid = choose_grid(load(FIX), ["fewer-visits", "fewer"], [])
    assert [r.key for r in grid.rows] == ["fewer-visits", "summary"]


def _error(run: Run, *args: str, data: Path = FIX) -> str:
    result = choose(run, *args, data=data)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_unknown_key_lists_the_keys_and_the_closest_match(run: Run) -> None:
    assert _error(run, "--prefer", "no-needls") == (
        "ketacompare: error: unknown preference 'no-needls'. Did you mean 'no-needles'? "
        f"Valid preferences: {KEYS}. Run 'ketacompare choose --list' to see what each one means."
    )
    assert _error(run, "--need", "rapid-relief,cheap") == (
        "ketacompare: error: unknown preference 'cheap'. "
        f"Valid preferences: {KEYS}. Run 'ketacompare choose --list' to see what each one means."
    )


def test_no_preference_says_how_to_give_one(run: Run) -> None:
    expected = (
        "ketacompare: error: no preference given. Say what matters with --prefer KEY (a wish) "
        "or --need KEY (a must-have), e.g. 'ketacompare choose --prefer no-needles'. "
        f"Valid preferences: {KEYS}. Run 'ketacompare choose --list' to see what each one means."
    )
    assert _error(run) == expected
    assert _error(run, "--prefer", " , ") == expected


def test_same_key_as_prefer_and_need(run: Run) -> None:
    assert _error(run, "--prefer", "no-needles", "--need", "NO-NEEDLES") == (
        "ketacompare: error: preference 'no-needles' was given both as --prefer and as "
        "--need; give it once: --need if it is a must-have, --prefer if it is a wish."
    )


def test_ambiguous_prefix(run: Run) -> None:
    assert _error(run, "--prefer", "l") == (
        "ketacompare: error: preference 'l' is ambiguous: it could be lasting-relief, "
        "low-dissociation. Type more of the name."
    )


def test_a_data_file_without_preferences(run: Run) -> None:
    message = (
        "ketacompare: error: the data file has no preferences to choose by. Add a "
        "'preferences:' section (see docs/data-format.md)."
    )
    assert _error(run, "--prefer", "no-needles", data=MINI) == message
    assert _error(run, "--list", data=MINI) == message


def test_typed_words_are_cleaned_in_errors(run: Run) -> None:
    line = _error(run, "--prefer", "\x1b[31mred")
    assert "\x1b" not in line
    assert line.startswith("ketacompare: error: unknown preference '[31mred'.")


# --list ---------------------------------------------------------------------------------


def test_list_shows_keys_labels_and_descriptions(run: Run) -> None:
    result = choose(run, "--list")
    assert result.exit_code == 0, result.stderr
    rows = {
        cells[0]: cells[1:]
        for line in result.stdout.splitlines()
        if len(cells := [c.strip() for c in line.split("│")[1:-1]]) == 4
    }
    data = load(FIX)
    for key, pref in data.preferences.items():
        assert rows[key][:2] == [pref.label, pref.description]
    assert rows["lasting-relief"][2] == "Nasal esketamine, Intramuscular"
    assert rows["no-needles"][2].endswith("Intramuscular, Oral")
    assert list(rows)[1:] == list(data.preferences)  # header row first, then data order
    assert result.stdout.rstrip().splitlines()[-1] == DISCLAIMER


# Safety: closing note, no doses ---------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [("--prefer", "no-needles"), ("--need", "rapid-relief", "--all"), ("--list",)],
)
def test_output_ends_with_clinician_and_not_medical_advice(run: Run, args: tuple) -> None:
    result = choose(run, *args, width=100)
    last = result.stdout.rstrip().splitlines()[-1]
    assert last == DISCLAIMER
    assert "Educational comparison, not medical advice." in last and "clinician" in last
    if "--list" not in args:
        assert CLOSING_NOTE.split(". ")[-1] == "Discuss these options with a clinician."
        assert " ".join(result.stdout.split()).count(CLOSING_NOTE) == 1


@pytest.mark.parametrize("extra", [(), ("--sources",), ("--all",)])
def test_never_a_dose_even_though_the_routes_have_dose_cells(run: Run, extra: tuple) -> None:
    assert "mg/kg" in FIX.read_text(encoding="utf-8")  # the fixture does carry doses
    result = choose(run, "--prefer", KEYS.replace(" ", ""), *extra)
    assert result.exit_code == 0, result.stderr
    assert "mg" not in result.stdout
    assert not re.search(r"\d\s*(mg|ml|mcg|µg)\b", result.stdout, re.I)


def test_the_grid_holds_only_preference_facts() -> None:
    data = load(FIX)
    grid = choose_grid(data, list(data.preferences), [], include_hidden=True)
    pref_texts = {r.text for p in data.preferences.values() for r in p.ratings.values()}
    for (row, _), facts in grid.cells.items():
        for fact in facts:
            if row == "summary":
                assert fact.sources == ()
            else:
                assert SOURCE_TAIL.sub("", VERDICT.sub("", fact.text, count=1)) in pref_texts


# Structured output ----------------------------------------------------------------------


def test_grid_meta_carries_rank_score_and_the_request() -> None:
    grid = choose_grid(load(FIX), ["low-dissociation"], ["rapid-relief"])
    assert grid.kind == "choose"
    assert grid.meta["prefer"] == ["low-dissociation"]
    assert grid.meta["need"] == ["rapid-relief"]
    assert grid.meta["order"] == ["nasal", "sl", "iv", "im"]
    meta = {c.key: dict(c.meta) for c in grid.columns}
    assert meta["nasal"]["rank"] == 1 and meta["nasal"]["score"] == 4
    assert meta["im"] == {
        "rank": 4,
        "score": 1,
        "max_score": 4,
        "conflicts_with_need": True,
        "need_conflicts": ["rapid-relief"],
        "tied_with": [],
        "meets": 1,
        "partly": 0,
        "conflicts": 1,
        "no_information": 0,
    }
    assert meta["iv"]["tied_with"] == []  # iv (1) and im (1) differ in need conflict
    json.dumps(grid.meta), json.dumps(meta)  # JSON-safe


@pytest.mark.parametrize("fmt", [f for f in Format if f is not Format.TABLE])
def test_every_format_carries_the_ranking_and_no_dose(run: Run, fmt: Format) -> None:
    result = choose(run, "--prefer", "no-needles,self-administer", "--format", fmt.value)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "mg" not in out
    # Ranked headings and explanations travel with the cells in every format.
    names = ["1. Sublingual", "2. Nasal esketamine", "3. IV infusion", "4. Intramuscular"]
    positions = [out.find(n) for n in names]
    assert -1 not in positions and positions == sorted(positions), positions
    assert "Rank 1 of 4; score 4 of 4." in out
    assert "No needles or medical equipment; held under the tongue" in out
    assert "not medical advice" in out and "clinician" in out


def test_json_gives_the_ordered_list_with_reasons(run: Run) -> None:
    result = choose(run, "--prefer", "no-needles,self-administer", "--format", "json")
    doc = json.loads(result.stdout)

    def dicts(node: Any) -> list[dict]:
        if isinstance(node, dict):
            return [node, *(d for v in node.values() for d in dicts(v))]
        if isinstance(node, list):
            return [d for v in node for d in dicts(v)]
        return []

    # Subjects appear in rank order, each with its rank and score (Column.meta).
    subjects = [d for d in dicts(doc) if d.get("key") in NAMES and "name" in d]
    assert [d["key"] for d in subjects] == ["sl", "nasal", "iv", "im"]
    for rank, subject in enumerate(subjects, start=1):
        meta = subject.get("meta", subject)
        assert meta["rank"] == rank, subject
    assert subjects[0].get("meta", subjects[0])["score"] == 4
    text = json.dumps(doc)
    assert "pc-choice" in text and "Take it yourself" in text


# Help and completion --------------------------------------------------------------------


def test_help_shows_examples_and_the_scoring(run: Run) -> None:
    result = run("choose", "--help")
    assert result.exit_code == 0
    assert "ketacompare choose --prefer no-needles,self-administer" in result.stdout
    assert "ketacompare choose --list" in result.stdout
    assert "meets +2, partly meets +1, no information 0, conflicts -1" in result.stdout
    for option in ("--prefer", "--need", "--list", "--all", "--format"):
        assert option in result.stdout


def test_preference_keys_complete_from_the_data_file() -> None:
    from types import SimpleNamespace

    from ketacompare.cli import complete_preferences

    ctx: Any = SimpleNamespace(params={"data": str(FIX)})
    assert complete_preferences(ctx, "l") == ["low-dissociation", "lasting-relief"]
    assert complete_preferences(ctx, "no-needles,se") == ["no-needles,self-administer"]
    assert complete_preferences(SimpleNamespace(params={"data": str(MINI)}), "") == []
