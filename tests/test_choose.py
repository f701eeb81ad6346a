"""`ketacompare choose` on its own fixture: answers, ranking, words, errors, questions.

tests/fixtures/choose.yaml mixes published sources (trial-a, label-b, study-c) with the
clinic's pages (pc-routes, pc-choice); its route cells include study doses ("mg/kg") that
choose must never show.
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, MINI, Run

from ketacompare.choose import (
    CLOSING_NOTE,
    EVIDENCE_NOTE,
    HOW_NOTE,
    UNKNOWN_NOTE,
    answer,
    ask_wishes,
    choose_grid,
    rank_routes,
    resolve_request,
)
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
ANSWER = re.compile(r"^(Meets|Partly meets|Against|Not known): ")


def choose(run: Run, *args: str, data: Path = FIX, width: int = 1000) -> Any:
    # A very wide terminal keeps every heading and cell on one line, so lines can be read.
    return run("choose", *args, "--data", str(data), width=width)


def ranks(stdout: str) -> list[tuple[int, str]]:
    """(rank, route key) in column order, read from the '1. Name' headings."""
    pattern = r"\b(\d+)\. (" + "|".join(re.escape(n) for n in NAMES.values()) + r")\b"
    by_name = {name: key for key, name in NAMES.items()}
    return [(int(n), by_name[name]) for n, name in re.findall(pattern, stdout)]


class Keyboard(io.StringIO):
    """Typed answers on a terminal's stdin."""

    def isatty(self) -> bool:
        return True


def at_terminal(*args: str, stdin: str, tty: bool = True) -> tuple[int, str, str]:
    """The real main with stdin and stdout at a terminal (tty) or not; (code, out, err)."""
    from dataclasses import replace

    from ketacompare.entry import main
    from ketacompare.output import Env

    environ = {**os.environ, "COLUMNS": "1000", "NO_COLOR": "1", "KETACOMPARE_DATA": ""}
    stdout, stderr = io.StringIO(), io.StringIO()
    keyboard = Keyboard(stdin) if tty else io.StringIO(stdin)
    env = replace(Env.build(environ, keyboard, stdout, stderr), tty=tty)
    code = main(["choose", "--data", str(FIX), "--no-pager", *args], env)
    return code, stdout.getvalue(), stderr.getvalue()


def grid_ranks(prefer: Sequence[str] = (), need: Sequence[str] = (), **kw: Any) -> list:
    grid = choose_grid(load(FIX), prefer, need, **kw)
    return [(c.meta["rank"], c.key) for c in grid.columns]


def texts(facts: Sequence[Any]) -> list[str]:
    return [f.text for f in facts]


# Ranks on the fixture, by hand: meets 2, partly 1, not known 0, against -1 --------------

SCENARIOS = [
    # Clinic-only "meets" for im counts as not known: im shares the last rank with sl.
    (("--prefer", "rapid-relief"), [(1, "iv"), (2, "nasal"), (3, "sl"), (3, "im")]),
    (("--prefer", "no-needles"), [(1, "sl"), (1, "nasal"), (3, "iv"), (3, "im")]),
    # The clinic's "least dissociative" (im) and "more likely" (iv) decide nothing.
    (("--prefer", "low-dissociation"), [(1, "sl"), (2, "iv"), (2, "im"), (4, "nasal")]),
    (("--prefer", "fewer-visits"), [(1, "iv"), (1, "sl"), (1, "im"), (4, "nasal")]),
    (("--prefer", "self-administer"), [(1, "nasal"), (2, "sl"), (2, "im"), (4, "iv")]),
    (("--prefer", "lasting-relief"), [(1, "iv"), (1, "nasal"), (1, "im"), (4, "sl")]),
    (("--prefer", "established-evidence"), [(1, "iv"), (1, "nasal"), (3, "sl"), (3, "im")]),
]


@pytest.mark.parametrize(("args", "expected"), SCENARIOS)
def test_ranks_on_the_fixture(run: Run, args: tuple[str, ...], expected: list) -> None:
    result = choose(run, *args)
    assert result.exit_code == 0, result.stderr
    assert ranks(result.stdout) == expected
    assert grid_ranks(args[1].split(",")) == expected


def test_only_evidence_decides_an_answer() -> None:
    prefs = load(FIX).preferences
    assert answer(prefs["rapid-relief"].ratings["iv"]) == "meets"  # trial
    assert answer(prefs["rapid-relief"].ratings["im"]) == "unknown"  # clinic-only "meets"
    assert answer(prefs["low-dissociation"].ratings["iv"]) == "unknown"  # clinic-only against
    assert answer(prefs["low-dissociation"].ratings["nasal"]) == "against"  # label
    assert answer(prefs["rapid-relief"].ratings["sl"]) == "unknown"  # written not-known
    assert answer(None) == "unknown"  # no rating at all


def test_a_rating_may_not_mix_clinic_pages_with_published_sources(
    run: Run, write_data: Any
) -> None:
    import yaml

    raw = yaml.safe_load(FIX.read_text(encoding="utf-8"))
    raw["preferences"]["no-needles"]["ratings"]["im"]["sources"] = ["trial-a", "pc-routes"]
    result = run("validate", str(write_data(raw)))
    assert result.exit_code == 2
    assert (
        "preferences.no-needles.ratings.im.sources: a rating may not mix clinic pages with "
        "other sources, since only published sources decide a wish. Cite the published "
        "source alone, or write 'rating: not-known' and cite the clinic alone to show its "
        "claim."
    ) in " ".join(result.stdout.split() + result.stderr.split())


def test_a_route_not_known_never_outranks_one_with_evidence_at_equal_points() -> None:
    wishes = resolve_request(load(FIX), ["lasting-relief", "self-administer"], [])
    ranked = {r.key: r for r in rank_routes(load(FIX), wishes)}
    # iv: partly 1 + against -1 = 0; sl: not known twice = 0. Evidence first.
    assert ranked["iv"].score == ranked["sl"].score == 0
    assert ranked["iv"].rank == 3 and ranked["sl"].rank == 4
    assert grid_ranks(["lasting-relief", "self-administer"]) == [
        (1, "nasal"),
        (2, "im"),
        (3, "iv"),
        (4, "sl"),
    ]


def test_equal_standing_shares_a_rank_and_says_so(run: Run) -> None:
    out = choose(run, "--prefer", "no-needles").stdout
    assert "1. Sublingual" in out and "1. Nasal esketamine" in out and "3. IV infusion" in out
    grid = choose_grid(load(FIX), ["no-needles"], [])
    assert grid.cell("summary", "sl")[0].text == (
        "Meets your wish. Shares rank 1 with Nasal esketamine."
    )
    assert grid.cell("summary", "iv")[0].text == (
        "Against your wish. Shares rank 3 with Intramuscular."
    )
    assert [c.meta["shares_rank"] for c in grid.columns] == [True] * 4


def test_a_shared_rank_keeps_data_order_within_it(run: Run, write_data: Any) -> None:
    import yaml

    raw = yaml.safe_load(FIX.read_text(encoding="utf-8"))
    subjects = raw["comparisons"]["routes"]["subjects"]
    raw["comparisons"]["routes"]["subjects"] = dict(reversed(list(subjects.items())))
    flipped = choose(run, "--prefer", "no-needles", data=write_data(raw))
    assert ranks(flipped.stdout) == [(1, "nasal"), (1, "sl"), (3, "im"), (3, "iv")]


# Weights ----------------------------------------------------------------------------------


def test_a_wish_that_matters_very_much_counts_twice(run: Run) -> None:
    # nasal 2*2 + 1 = 5; sl 2*2 + 0 = 4; iv 2*-1 + 2 = 0; im 2*-1 + 0 = -2.
    expected = [(1, "nasal"), (2, "sl"), (3, "iv"), (4, "im")]
    assert grid_ranks(["no-needles=very", "rapid-relief"]) == expected
    assert grid_ranks(["rapid-relief"]) != grid_ranks(["rapid-relief=very", "no-needles"])
    result = choose(run, "--prefer", "no-needles=very,rapid-relief")
    assert ranks(result.stdout) == expected
    assert "Avoid needles (matters very much)" in result.stdout
    assert "Rapid relief (matters somewhat)" in result.stdout


def test_levels_take_case_and_prefixes_and_not_leaves_a_wish_out() -> None:
    data = load(FIX)
    wishes = resolve_request(data, ["No-Needles=VERY", "rapid=some", "lasting=not"], [])
    assert [(w.key, w.level, w.weight) for w in wishes] == [
        ("no-needles", "very", 2),
        ("rapid-relief", "somewhat", 1),
    ]
    assert [w.level for w in resolve_request(data, ["no-needles"], [])] == ["somewhat"]


def test_a_must_have_counts_like_very_and_goes_last_when_against(run: Run) -> None:
    args = ("--need", "fewer-visits", "--prefer", "no-needles=very,established=very,rapid")
    result = choose(run, *args)
    # nasal has the most points (-2 + 4 + 4 + 1 = 7) but is against the must-have.
    ranked = {r.key: r for r in rank_routes(load(FIX), resolve_request(load(FIX), *_split(args)))}
    assert ranked["nasal"].score == 7 > max(r.score for k, r in ranked.items() if k != "nasal")
    assert ranks(result.stdout) == [(1, "sl"), (2, "iv"), (3, "im"), (4, "nasal")]
    assert "4. Nasal esketamine (against a must-have)" in result.stdout
    assert "Against a must-have (Fewer clinic visits), so listed after the others." in (
        result.stdout
    )
    assert "Fewer clinic visits (must-have)" in result.stdout


def _split(args: tuple[str, ...]) -> tuple[list[str], list[str]]:
    need = args[1].split(",") if args[0] == "--need" else []
    return args[3].split(","), need


# Words in each cell and summary ------------------------------------------------------------


def test_each_cell_gives_the_answer_then_the_fact() -> None:
    grid = choose_grid(load(FIX), ["no-needles", "low-dissociation", "fewer-visits"], [])
    assert texts(grid.cell("no-needles", "sl")) == ["Meets: Held under the tongue; no needle"]
    assert grid.cell("no-needles", "sl")[0].sources == ("study-c",)
    assert texts(grid.cell("no-needles", "iv")) == ["Against: A drip through a needle in a vein"]
    assert texts(grid.cell("low-dissociation", "sl")) == [
        "Partly meets: No dissociation reported in one small open study"
    ]
    # No rating: said in words, not left blank.
    assert texts(grid.cell("fewer-visits", "sl")) == ["Not known: nothing on file."]


def test_a_ratings_confidence_travels_with_it_and_low_is_marked(run: Run) -> None:
    grid = choose_grid(load(FIX), ["lasting-relief"], [])
    (fact,) = grid.cell("lasting-relief", "iv")
    assert (fact.confidence, fact.basis) == ("low", "trial")
    out = choose(run, "--prefer", "lasting-relief").stdout
    assert "Partly meets: Relief lasted about a week after one infusion (low confidence)" in out


def test_a_clinic_claim_is_shown_as_the_clinics_and_decides_nothing() -> None:
    grid = choose_grid(load(FIX), ["low-dissociation"], [])
    first, claim = grid.cell("low-dissociation", "im")
    assert first.text == "Not known: no published source on file."
    assert first.sources == ()
    assert claim.text == "Least dissociative"  # the clinic's words, without a rating word
    assert claim.sources == ("pc-routes",) and claim.basis == "clinic"
    assert grid.columns[[c.key for c in grid.columns].index("im")].meta["answers"] == {
        "low-dissociation": "not known"
    }


def test_summary_says_in_words_what_is_met_and_what_is_not_known() -> None:
    grid = choose_grid(load(FIX), ["rapid-relief", "no-needles", "low-dissociation"], [])
    summary = {c.key: grid.cell("summary", c.key)[0].text for c in grid.columns}
    assert summary["sl"] == (
        "Meets 1 of your 3 wishes; partly meets 1; not known for 1 (Rapid relief)."
    )
    assert summary["im"] == (
        "Meets none of your 3 wishes; against 1; not known for 2 (Rapid relief, Less dissociation)."
    )
    assert summary["nasal"] == "Meets 1 of your 3 wishes; partly meets 1; against 1."


def test_no_jargon_and_the_notes_explain_the_order(run: Run) -> None:
    out = choose(run, "--prefer", KEYS.replace(" ", ""), "--all", width=100).stdout
    flat = " ".join(out.split())
    for jargon in ("score", "data order", "no information", "Conflicts", "conflicts"):
        assert jargon not in flat, jargon
    for note in (HOW_NOTE, EVIDENCE_NOTE, UNKNOWN_NOTE, CLOSING_NOTE):
        assert note in flat
    assert out.rstrip().splitlines()[-1] == DISCLAIMER


def test_rows_are_the_wishes_then_in_short() -> None:
    grid = choose_grid(load(FIX), ["low-dissociation=very"], ["rapid-relief"])
    assert [r.label for r in grid.rows] == [
        "Rapid relief (must-have)",
        "Less dissociation (matters very much)",
        "In short",
    ]


def test_hidden_routes_only_with_all(run: Run) -> None:
    plain = choose(run, "--prefer", "no-needles")
    assert "oral" not in [k for _, k in ranks(plain.stdout)]
    assert "Not shown: Oral. Add --all to include." in plain.stdout
    full = choose(run, "--prefer", "no-needles", "--all")
    assert ranks(full.stdout) == [(1, "sl"), (1, "nasal"), (1, "oral"), (4, "iv"), (4, "im")]
    assert "Oral: Not covered by the clinic article's route comparison." in full.stdout


def test_the_grid_holds_only_preference_facts() -> None:
    data = load(FIX)
    grid = choose_grid(data, list(data.preferences), [], include_hidden=True)
    own = {r.text for p in data.preferences.values() for r in p.ratings.values()}
    for (row, _), facts in grid.cells.items():
        for fact in facts:
            if fact.sources:
                assert ANSWER.sub("", fact.text) in own, fact.text
            else:
                assert row == "summary" or ANSWER.match(fact.text), fact.text


# Names and levels on the command line ----------------------------------------------------


def test_case_prefixes_commas_and_repeats(run: Run) -> None:
    short = choose(run, "-n", "RAPID", "--prefer", "low-d,fewer")
    full = choose(
        run, "--need", "rapid-relief", "--prefer", "low-dissociation", "-p", "fewer-visits"
    )
    assert short.exit_code == 0, short.stderr
    assert short.stdout == full.stdout


def test_a_key_given_twice_counts_once() -> None:
    grid = choose_grid(load(FIX), ["fewer-visits", "FEWER-VISITS", "fewer"], [])
    assert [r.key for r in grid.rows] == ["fewer-visits", "summary"]


def _error(run: Run, *args: str, data: Path = FIX) -> str:
    result = choose(run, *args, data=data)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


HINT = "Run 'ketacompare choose --list' to see what each one means."


def test_unknown_key_lists_the_keys_and_the_closest_match(run: Run) -> None:
    assert _error(run, "--prefer", "no-needls=very") == (
        "ketacompare: error: unknown preference 'no-needls'. Did you mean 'no-needles'? "
        f"Valid preferences: {KEYS}. {HINT}"
    )


def test_unknown_level_lists_the_levels(run: Run) -> None:
    assert _error(run, "--prefer", "no-needles=loads") == (
        "ketacompare: error: unknown level 'loads' in 'no-needles=loads'. Say how much a "
        "wish matters with one of: not, somewhat, very, e.g. '--prefer no-needles=very'."
    )


def test_an_empty_level_is_an_unknown_level(run: Run) -> None:
    assert _error(run, "--prefer", "no-needles=") == (
        "ketacompare: error: unknown level '' in 'no-needles='. Say how much a "
        "wish matters with one of: not, somewhat, very, e.g. '--prefer no-needles=very'."
    )


def test_the_same_key_twice_with_different_levels(run: Run) -> None:
    assert _error(run, "--prefer", "no-needles", "--prefer", "no-needles=very") == (
        "ketacompare: error: preference 'no-needles' was given twice, as 'somewhat' and "
        "'very'; give it once, with the level you mean."
    )


def test_a_need_takes_no_level(run: Run) -> None:
    assert _error(run, "--need", "no-needles=very") == (
        "ketacompare: error: 'no-needles=very': --need takes no level, since a need is "
        "already a must-have. Use --prefer no-needles=very to say how much a wish matters."
    )


NO_WISH = (
    "ketacompare: error: no preference given. Say what matters with --prefer KEY (a wish) "
    "or --need KEY (a must-have), e.g. 'ketacompare choose --prefer no-needles' or "
    f"'--prefer no-needles=very'. Valid preferences: {KEYS}. {HINT}"
)


def test_no_wish_and_no_terminal_is_a_clear_error_that_never_waits(run: Run) -> None:
    # Answers are there on stdin, but stdin is not a terminal: nothing is asked or read.
    assert at_terminal(stdin="very\n" * 7, tty=False) == (2, "", NO_WISH + "\n")
    assert _error(run, "--prefer", " , ") == NO_WISH
    assert _error(run, "--prefer", "no-needles=not") == NO_WISH


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


# Questions in a terminal -------------------------------------------------------------------


class Script:
    """Answers questions from a list, and records what was asked."""

    def __init__(self, answers: Sequence[str]) -> None:
        self.answers = list(answers)
        self.asked: list[tuple[str, list[str], str]] = []

    def __call__(self, question: str, choices: Sequence[str], default: str) -> str:
        self.asked.append((question, list(choices), default))
        return self.answers.pop(0)


def test_ask_wishes_asks_one_short_question_per_wish() -> None:
    data = load(FIX)
    ask = Script(["very", "not", "somewhat", "not", "not", "not", "not"])
    assert ask_wishes(data, ask) == ["rapid-relief=very", "low-dissociation=somewhat"]
    assert len(ask.asked) == len(data.preferences)
    question, choices, default = ask.asked[1]
    assert question == (
        "Avoid needles: You would rather not have a needle or an injection.\n"
        "How much does this matter to you?"
    )
    assert (choices, default) == (["not", "somewhat", "very"], "not")


def test_in_a_terminal_choose_asks_then_ranks() -> None:
    # Enter takes the default ('not'); a wrong word is asked again; case does not matter.
    code, out, err = at_terminal(stdin="\nVERY\nmaybe\nnot\n\n\n\n\n")
    assert code == 0, err
    assert ranks(out) == [(1, "sl"), (1, "nasal"), (3, "iv"), (3, "im")]
    assert "Avoid needles (matters very much)" in out
    assert "How much does each wish matter to you?" in err
    assert "next time: ketacompare choose --prefer no-needles=very\n" in err
    assert err.count("How much does this matter to you?") == 8  # one asked twice
    assert "Please select one of the available options" in err
    assert "How much" not in out  # the questions stay off stdout


def test_questions_that_end_early_give_a_clear_error() -> None:
    code, out, err = at_terminal(stdin="very\n")
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == (
        "ketacompare: error: the questions ended without an answer. Give your wishes as "
        "options instead, e.g. 'ketacompare choose --prefer no-needles=very'."
    )


def test_flags_skip_the_questions_even_in_a_terminal() -> None:
    code, out, err = at_terminal("--prefer", "no-needles", stdin="")
    assert code == 0, err
    assert "How much" not in err and "1. Sublingual" in out


# --list ----------------------------------------------------------------------------------


def test_list_shows_keys_labels_and_the_routes_with_evidence(run: Run) -> None:
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
    # Clinic-only ratings (iv, im) are not evidence.
    assert rows["low-dissociation"][2] == "Sublingual, Nasal esketamine"
    assert rows["fewer-visits"][2] == "Nasal esketamine"
    assert list(rows)[1:] == list(data.preferences)
    assert "KEY=LEVEL" in " ".join(result.stdout.split())
    assert result.stdout.rstrip().splitlines()[-1] == DISCLAIMER


# Safety: no doses, closing note ----------------------------------------------------------


@pytest.mark.parametrize("extra", [(), ("--sources",), ("--all",)])
def test_never_a_dose_even_though_the_routes_have_dose_cells(run: Run, extra: tuple) -> None:
    assert "mg/kg" in FIX.read_text(encoding="utf-8")  # the fixture does carry doses
    result = choose(run, "--prefer", KEYS.replace(" ", ""), *extra)
    assert result.exit_code == 0, result.stderr
    assert not re.search(r"\d\s*(mg|ml|mcg|µg)\b|mg/kg", result.stdout, re.I)


# Structured output ----------------------------------------------------------------------


def test_grid_meta_carries_rank_answers_and_the_request() -> None:
    grid = choose_grid(load(FIX), ["low-dissociation=very"], ["rapid-relief"])
    assert grid.kind == "choose"
    assert grid.meta["prefer"] == {"low-dissociation": "very"}
    assert grid.meta["need"] == ["rapid-relief"]
    assert grid.meta["points"] == {"meets": 2, "partly meets": 1, "not known": 0, "against": -1}
    meta = {c.key: dict(c.meta) for c in grid.columns}
    # iv 4, sl 2, nasal 2 - 2 = 0, im 0 with both not known: last, on its own.
    assert [meta[k]["score"] for k in ("iv", "sl", "nasal")] == [4, 2, 0]
    assert meta["im"] == {
        "rank": 4,
        "shares_rank": False,
        "score": 0,
        "max_score": 8,
        "answers": {"rapid-relief": "not known", "low-dissociation": "not known"},
        "against_need": [],
        "meets": 0,
        "partly": 0,
        "not_known": 2,
        "against": 0,
    }
    json.dumps(grid.meta), json.dumps(meta)  # JSON-safe


@pytest.mark.parametrize("fmt", [f for f in Format if f is not Format.TABLE])
def test_every_format_carries_the_ranking_and_the_answers(run: Run, fmt: Format) -> None:
    result = choose(run, "--prefer", "no-needles=very,self-administer", "--format", fmt.value)
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "mg" not in out
    # nasal 4 + 1; sl 4 + 0; im -2 + 0; iv -2 - 1.
    names = ["1. Nasal esketamine", "2. Sublingual", "3. Intramuscular", "4. IV infusion"]
    positions = [out.find(n) for n in names]
    assert -1 not in positions and positions == sorted(positions), positions
    assert "Meets 1 of your 2 wishes; partly meets 1." in out
    assert "Not known: no published source on file." in out
    assert "not medical advice" in out and "clinician" in out


def test_json_gives_the_ordered_list_with_reasons(run: Run) -> None:
    result = choose(run, "--prefer", "no-needles=very,self-administer", "--format", "json")
    doc = json.loads(result.stdout)
    subjects = doc["subjects"]
    assert [s["key"] for s in subjects] == ["nasal", "sl", "im", "iv"]
    assert [s["meta"]["rank"] for s in subjects] == [1, 2, 3, 4]
    assert subjects[0]["meta"]["answers"] == {
        "no-needles": "meets",
        "self-administer": "partly meets",
    }
    assert "label-b" in json.dumps(doc)


# Help and completion --------------------------------------------------------------------


def test_help_shows_examples_and_the_levels(run: Run) -> None:
    result = run("choose", "--help")
    assert result.exit_code == 0
    flat = " ".join(result.stdout.split())
    assert "ketacompare choose --prefer no-needles=very,self-administer" in flat
    assert "ketacompare choose --list" in flat
    assert "levels: not, somewhat, very; default somewhat" in flat
    assert "meets, partly meets, against or not known" in flat
    for option in ("--prefer", "--need", "--list", "--all", "--format"):
        assert option in result.stdout


LEVEL_REQUESTS = [
    ("--prefer", "l", ["low-dissociation", "lasting-relief"]),
    ("--prefer", "no-needles,se", ["no-needles,self-administer"]),
    ("--prefer", "no-needles=", ["no-needles=somewhat", "no-needles=very"]),
    ("-p", "rapid-relief,no-needles=v", ["rapid-relief,no-needles=very"]),
    ("--prefer", "no-needles=very,se", ["no-needles=very,self-administer"]),
    ("--prefer", "no-needles=very,no", []),  # already given
    ("--prefer", "cheap=", []),  # not a key: no levels
    ("--need", "no-needles=", []),  # a need takes no level
    ("-n", "no", ["no-needles"]),
]


@pytest.mark.parametrize(("option", "incomplete", "expected"), LEVEL_REQUESTS)
def test_keys_and_levels_complete_the_same_on_both_paths(
    option: str, incomplete: str, expected: list[str]
) -> None:
    import os

    import typer.main
    from typer._completion_classes import BashComplete

    from ketacompare import completion
    from ketacompare.cli import app

    words = ["choose", "--data", str(FIX), option]
    found = completion.resolve(list(words), incomplete, bash=True)
    assert found is not None  # the fast path answers it, without Typer
    kind, command, word, given, data = found
    assert completion.candidates(kind, command, data, given, word, os.environ) == expected
    typer_path = BashComplete(typer.main.get_command(app), {}, "ketacompare", "_X_COMPLETE")
    assert [i.value for i in typer_path.get_completions(words, incomplete)] == expected


def test_a_file_without_wishes_completes_nothing() -> None:
    import os

    from ketacompare import completion

    assert completion.candidates("wish", "choose", str(MINI), [], "", os.environ) == []
