"""Evidence views on the fixture: sources, show, conditions, therapies, --sources."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from ketacompare.evidence import citations, show_grid, sources_grid
from ketacompare.loader import load
from ketacompare.query import DISCLAIMER
from tests.conftest import FIXTURES, Run

EVIDENCE = FIXTURES / "evidence.yaml"
DATA = str(EVIDENCE)
WIDE = 400  # wide enough that no cell wraps, so a fact reads as one piece of text


def raw() -> dict[str, Any]:
    return yaml.safe_load(EVIDENCE.read_text(encoding="utf-8"))


def ok(result: Any) -> str:
    assert result.exit_code == 0, result.stderr or result.output
    return result.stdout


def card_rows(output: str) -> dict[str, str]:
    """Row label -> cell text of a one-column card rendered wide (one line per fact)."""
    rows: dict[str, str] = {}
    label: list[str] = []
    cell: list[str] = []
    for line in [*output.splitlines(), "├"]:
        if line.startswith(("├", "╰")) and label:  # a row ends at the next rule
            rows[" ".join(label)] = "\n".join(cell)
            label, cell = [], []
            continue
        parts = [p.strip() for p in line.split("│")]
        if len(parts) == 4:
            label += [parts[1]] if parts[1] else []
            cell += [parts[2]] if parts[2] else []
    return rows


# sources ------------------------------------------------------------------------------


def test_sources_lists_every_source_with_gaps_kept_visible(run: Run) -> None:
    out = ok(run("sources", "--data", DATA, width=WIDE))
    assert out.startswith("Sources (6)\n")
    for sid in raw()["sources"]:
        assert re.search(rf"│ Field\s+│ {re.escape(sid)}\s+│", out), sid
    grid = sources_grid(load(EVIDENCE))
    page = {row.key: grid.cell(row.key, "page")[0].text for row in grid.rows[:-1]}
    assert page == {
        "kind": "reference: a drug monograph or a maker's medical-information page",
        "authors": "not stated",
        "year": "not stated",
        "title": "not stated",
        "venue": "not stated",
        "doi": "not stated",
        "pmid": "not stated",
        "url": "not stated",
        "note": "Title, author, date and address not given.",
    }
    trial = {row.key: grid.cell(row.key, "trial")[0].text for row in grid.rows[:-1]}
    assert trial["doi"] == "10.1000/test"
    assert trial["pmid"] == "12345678"
    assert trial["url"] == "not stated"  # known DOI, unknown URL: never filled in
    assert "gaps are kept visible, never filled in" in out
    assert out.rstrip().endswith(DISCLAIMER)
    assert "Run 'ketacompare sources'" not in out  # no pointer from the list to itself


def test_sources_says_which_cells_cite_each_source(run: Run) -> None:
    grid = sources_grid(load(EVIDENCE))
    cited = {c.key: [f.text for f in grid.cell("cited-in", c.key)] for c in grid.columns}
    assert cited["trial"] == [
        "routes: IV infusion / Doses used in studies (facts, not advice), Key studies, "
        "Timeline (end of acute effects)",
        "routes: Intramuscular / Doses used in studies (facts, not advice), "
        "Timeline (end of acute effects)",
        "conditions: PTSD / Key study",
    ]
    assert cited["page"] == [
        "routes: Intramuscular / Bioavailability, Monitoring, Timeline (peak blood level)",
        "routes: Oral / Bioavailability, Timeline (end of acute effects)",
    ]
    assert "preferences: Avoid needles / IV infusion" in cited["art"]
    out = ok(run("sources", "--data", DATA, width=WIDE))
    assert "routes: IV infusion / How it is given, Onset, Advantages, Drawbacks" in out


def test_sources_narrowed_by_route_and_factor(run: Run) -> None:
    data = load(EVIDENCE)
    assert [c.key for c in sources_grid(data, ["injection"]).columns] == ["art", "trial", "page"]
    by_factor = sources_grid(data, factor_words=["bioavailability"])
    assert [c.key for c in by_factor.columns] == ["page", "pkstudy"]
    assert [f.text for f in by_factor.cell("cited-in", "page")] == [
        "routes: Intramuscular / Bioavailability",
        "routes: Oral / Bioavailability",
    ]
    out = ok(run("sources", "--route", "iv", "--factor", "bio", "--data", DATA, width=WIDE))
    assert out.startswith("Sources cited by IV infusion / Bioavailability\n")
    assert "1 of 6 sources are cited by IV infusion / Bioavailability." in out
    assert re.search(r"│ Cited in\s+│ routes: IV infusion / Bioavailability\s+│", out)
    assert "│ Field    │ trial" not in out
    hidden = ok(run("sources", "--route", "by-mouth", "--data", DATA, width=WIDE))
    assert "Sources cited by Oral" in hidden
    assert [c.key for c in sources_grid(data, ["iv", "im"], ["doses"]).columns] == ["trial"]
    both = ok(run("sources", "-r", "iv,im", "-f", "doses", "--data", DATA, width=WIDE))
    assert "Sources cited by IV infusion and Intramuscular / Doses used in studies" in both


def test_sources_route_narrowing_keeps_preferences_and_timeline(run: Run) -> None:
    grid = sources_grid(load(EVIDENCE), ["iv"])
    assert [f.text for f in grid.cell("cited-in", "art")] == [
        "routes: IV infusion / How it is given, Onset, Advantages, Drawbacks",
        "preferences: Avoid needles / IV infusion",
    ]
    assert [f.text for f in grid.cell("cited-in", "pkstudy")] == [
        "routes: IV infusion / Bioavailability, Timeline (first effect), Timeline (peak effect)"
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--route", "ivv"),
            "ketacompare: error: unknown route 'ivv'. Did you mean 'iv'? "
            "Valid routes: iv, im, sl, oral.\n",
        ),
        (
            ("--route", "sl", "--factor", "bioavailability"),
            "ketacompare: error: factor 'bioavailability' has no data in this view. "
            "Factors here: how-given, onset.\n",
        ),
        (
            ("--factor", "nope"),
            "ketacompare: error: unknown factor 'nope'.",
        ),
    ],
)
def test_sources_errors(run: Run, args: tuple[str, ...], message: str) -> None:
    result = run("sources", *args, "--data", DATA)
    assert result.exit_code == 2
    assert result.stderr.startswith(message)
    assert result.stdout == ""


def test_an_uncited_source_is_listed_as_such(run: Run, write_data: Callable[[Any], Path]) -> None:
    content = raw()
    content["sources"]["spare"] = {"kind": "review", "title": "Never cited"}
    out = ok(run("sources", "--data", str(write_data(content)), width=WIDE))
    assert re.search(r"│ Cited in\s+│ not cited by any cell\s+│", out)
    assert "Sources (7)" in out


def test_every_fixture_source_is_cited_and_every_cell_cites_a_registered_source() -> None:
    data = load(EVIDENCE)
    assert all(citations(data)[sid] for sid in data.sources)
    for ckey in data.comparison_keys():
        comparison = data.comparison(ckey)
        assert comparison is not None
        for subject in comparison.subjects.values():
            for facts in subject.cells.values():
                assert facts
                for fact in facts:
                    assert fact.sources
                    assert set(fact.sources) <= set(data.sources)


# show ------------------------------------------------------------------------------------


def test_show_gives_every_factor_figures_with_sources_and_confidence(run: Run) -> None:
    out = ok(run("show", "injection", "--data", DATA, width=WIDE))
    assert out.splitlines()[0].rstrip() == "Intramuscular"
    rows = card_rows(out)
    factors = raw()["factors"]
    subjects = raw()["comparisons"]["routes"]["subjects"].values()
    route_factors = {f for s in subjects for f in s["cells"]}
    expected = [factors[k]["label"] for k in factors if k in route_factors]
    assert list(rows)[2 : 2 + len(expected)] == expected  # every routes factor, data order
    assert rows["Also called"] == "im, injection"
    assert rows["How it is given"] == "Into a muscle"
    assert rows["Bioavailability"] == "93% [page] (low confidence)"
    assert rows["Monitoring"] == "No standard found [page] (low confidence)"
    assert rows["Doses used in studies (facts, not advice)"] == (
        "Study used 0.25 mg/kg once [trial] (high confidence)"
    )
    assert rows["Advantages"] == "—"
    assert rows["Timing figures (minutes after a dose)"] == (
        "• Peak blood level 5-15 min: Peak blood level 5-15 min after injection [page] "
        "(low confidence)\n"
        "• End of acute effects 60 min: Acute effects over within 1 h [trial] "
        "(medium confidence)"
    )
    assert rows["Sources behind this card"] == (
        "• art (study): Authors not stated (year not stated). A clinic article.\n"
        "• page (reference): Authors not stated (year not stated). Title not stated.\n"
        "• trial (trial): Doe J, Roe R (2020). A trial."
    )
    assert "'—' means the sources say nothing on this point." in out
    assert out.rstrip().endswith(DISCLAIMER)


def test_show_key_studies_and_regulatory(run: Run) -> None:
    rows = card_rows(ok(run("show", "IV", "--data", DATA, width=WIDE)))
    assert rows["Key studies"] == (
        "Doe 2020: randomized trial, 30 patients [trial] (high confidence)"
    )
    assert rows["Regulatory status"] == "Off-label [label] (high confidence)"
    assert rows["Advantages"] == "Rapid onset"  # clinic facts carry no confidence tag
    assert rows["Drawbacks"] == "Needle in a vein"


def test_show_hidden_route_when_named(run: Run) -> None:
    out = ok(run("show", "oral", "--data", DATA, width=WIDE))
    rows = card_rows(out)
    assert rows["Bioavailability"] == "17-25% across sources [pkstudy, page] (medium confidence)"
    assert "Oral: Not covered by the clinic articles." in out
    assert "Oral is a hidden route: 'ketacompare routes' shows it only with --all" in out


def test_show_route_without_figures(run: Run) -> None:
    rows = card_rows(ok(run("show", "sublingual", "--data", DATA, width=WIDE)))
    assert rows["Onset"] == "Faster than swallowing"
    assert rows["Bioavailability"] == "—"
    assert "Timing figures (minutes after a dose)" not in rows
    assert rows["Sources behind this card"].startswith("art (study)")


def test_show_errors(run: Run) -> None:
    result = run("show", "ivv", "--data", DATA)
    assert result.exit_code == 2
    assert result.stderr == (
        "ketacompare: error: unknown route 'ivv'. Did you mean 'iv'? "
        "Valid routes: iv, im, sl, oral.\n"
    )


def test_show_without_a_route_lists_the_routes(run: Run) -> None:
    out = ok(run("show", "--data", DATA))
    assert out.startswith("Routes you can show\n")
    assert "│ oral │ Oral (hidden: shown with --all)" in out
    assert "Show one with 'ketacompare show ROUTE', e.g. 'ketacompare show iv'." in out


def test_show_takes_factor(run: Run) -> None:
    out = ok(run("show", "im", "--factor", "bioavail", "--data", DATA))
    rows = [line.split("│")[1].strip() for line in out.splitlines() if line.startswith("│")]
    assert [r for r in rows if r] == ["Factor", "Bioavailability", "Sources behind this card"]
    assert "Timing figures" not in out


def test_show_grid_is_one_card() -> None:
    grid = show_grid(load(EVIDENCE), "im")
    assert grid.layout == "cards"
    assert [c.key for c in grid.columns] == ["im"]
    assert list(grid.sources) == ["art", "page", "trial"]


# conditions --------------------------------------------------------------------------


def test_conditions_cards(run: Run) -> None:
    out = ok(run("conditions", "--data", DATA, width=WIDE))
    assert out.startswith("What ketamine has been studied for\nAnxiety disorders")
    assert out.index("Anxiety disorders") < out.index("PTSD")
    assert out.count("│ Factor") == 2  # one card each
    rows = card_rows(out.split("PTSD")[0])
    assert rows["Key study"] == "Moe 2017: 12 patients, design not stated"
    assert rows["Route and dose studied"] == "Subcutaneous 0.25, 0.5 and 1 mg/kg"
    assert rows["Claim vs study"] == (
        "The study gave ketamine under the skin, a route not compared here"
    )


def test_conditions_named_and_narrowed(run: Run) -> None:
    out = ok(run("conditions", "PTSD", "--factor", "key", "--data", DATA, width=WIDE))
    assert "Anxiety disorders" not in out
    rows = card_rows(out)
    assert rows == {"Factor": "PTSD", "Key study": "Doe 2020: randomized trial, 30 patients"}
    twice = run("conditions", "anxiety", "anxiety-disorders", "--data", DATA)
    assert twice.exit_code == 2
    assert twice.stderr == (
        "ketacompare: error: condition 'anxiety' was named twice "
        "(as 'anxiety' and 'anxiety-disorders'); name each condition once.\n"
    )


def test_conditions_missing_from_data_file(run: Run) -> None:
    result = run("conditions", "--data", str(FIXTURES / "mini.yaml"))
    assert result.exit_code == 2
    assert result.stderr == (
        "ketacompare: error: the data file has no 'conditions' comparison. Add it under "
        "'comparisons:' (see docs/data-format.md).\n"
    )


# therapies -------------------------------------------------------------------------------


def header(out: str) -> str:
    """The header rows of a column table, joined, so wrapped names read whole."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("╭"))
    end = next(i for i, line in enumerate(lines) if line.startswith("├"))
    return " ".join(" ".join(lines[start + 1 : end]).split())


def test_therapies_all_in_data_order(run: Run) -> None:
    out = ok(run("therapies", "--data", DATA, width=WIDE))
    assert out.splitlines()[0].rstrip() == "Therapies compared"
    assert re.search(
        r"Factor\s+│ Ketamine-assisted psychotherapy\s+│ Talk therapy\s+│ "
        r"Psilocybin-assisted therapy\s+│ 5-MeO-DMT",
        out,
    )
    assert re.search(
        r"│ Session length\s+│ Usually 60-90 min\s+│ Usually 45-60 min\s+│ "
        r"Lengthy 4-6 h sessions\s+│ Much shorter than psilocybin\s+│",
        out,
    )


def test_therapies_subset_in_order_given_with_aliases_and_presets(run: Run) -> None:
    out = ok(run("therapies", "toad", "KAP", "--data", DATA, width=WIDE))
    assert re.search(r"Factor\s+│ 5-MeO-DMT\s+│ Ketamine-assisted psychotherapy\s+│\n", out)
    assert "Talk therapy" not in out
    preset = ok(run("therapies", "kap-vs-talk", "psilocybin", "--data", DATA, width=WIDE))
    assert re.search(
        r"Factor\s+│ Ketamine-assisted psychotherapy\s+│ Talk therapy\s+│ "
        r"Psilocybin-assisted therapy\s+│\n",
        preset,
    )
    single = ok(run("therapies", "psilocybin", "--data", DATA, width=WIDE))
    assert re.search(r"│ Session length\s+│ Lengthy 4-6 h sessions\s+│", single)


@pytest.mark.parametrize(
    ("words", "message"),
    [
        (
            ("kap", "kat"),
            "ketacompare: error: therapy 'kap' was named twice (as 'kap' and 'kat'); "
            "name each therapy once.\n",
        ),
        (
            ("kap-vs-talk", "talk"),
            "ketacompare: error: therapy 'talk' was named twice; name each therapy once.\n",
        ),
        (
            ("psilocybn",),
            "ketacompare: error: unknown therapy 'psilocybn'. Did you mean 'psilocybin'? "
            "Valid therapies: kap, talk, psilocybin, 5-meo-dmt. Presets: kap-vs-talk.\n",
        ),
    ],
)
def test_therapies_errors(run: Run, words: tuple[str, ...], message: str) -> None:
    result = run("therapies", *words, "--data", DATA)
    assert result.exit_code == 2
    assert result.stderr == message


def test_kap_vs_talk_is_still_a_preset_of_therapies(run: Run) -> None:
    preset = ok(run("kap-vs-talk", "--data", DATA, width=WIDE))
    named = ok(run("therapies", "kap", "talk", "--data", DATA, width=WIDE))
    body = preset.split("\n", 1)[1]
    assert body == named.split("\n", 1)[1]  # same table; only the title differs
    # The preset's title comes from its subjects' names in the data file.
    assert preset.splitlines()[0].rstrip() == "Ketamine-assisted psychotherapy vs Talk therapy"


# --sources --------------------------------------------------------------------------------


def test_sources_flag_numbers_facts_and_lists_them(run: Run) -> None:
    out = ok(run("routes", "--sources", "--data", DATA, width=WIDE))
    assert re.search(r"│ Onset\s+│ Minutes after the infusion starts \[1\]\s+│", out)
    assert "│ 93% (low confidence) [3]" in out
    assert "│ 100% [2]" in out
    legend = [line for line in out.splitlines() if re.match(r"\[\d+\] ", line)]
    assert legend == [
        "[1] art: Authors not stated (year not stated). A clinic article.",
        "[2] pkstudy: Poe K (2014). A kinetics study. J Kin.",
        "[3] page: Authors not stated (year not stated). Title not stated.",
        "[4] trial: Doe J, Roe R (2020). A trial. J Test. doi:10.1000/test; PMID 12345678.",
        "[5] label: Authors not stated (year not stated). A drug label. Maker Inc. "
        "example.org/label.",
    ]
    plain = ok(run("routes", "--data", DATA, width=WIDE))
    assert "[1]" not in plain
    assert not any(re.match(r"\[\d+\] ", line) for line in plain.splitlines())


@pytest.mark.parametrize(
    "args",
    [
        ("show", "im"),
        ("conditions",),
        ("therapies",),
        ("compare", "iv", "im"),
        ("kap-vs-talk",),
        ("timeline",),
    ],
)
def test_sources_flag_on_every_table_view(run: Run, args: tuple[str, ...]) -> None:
    out = ok(run(*args, "--sources", "--data", DATA, width=WIDE))
    legend = [line for line in out.splitlines() if re.match(r"\[\d+\] \S+: ", line)]
    assert legend, out
    numbers = {int(m) for line in legend for m in re.findall(r"^\[(\d+)\]", line)}
    assert numbers == set(range(1, len(legend) + 1))
    used = {int(n) for group in re.findall(r"\[([\d,]+)\]", out) for n in group.split(",")}
    assert used == numbers  # every listed source is marked somewhere, and only those


# every view on a data file with a route that has no figures ----------------------------


VIEWS = [
    ("routes",),
    ("routes", "--all", "--sources"),
    ("compare", "sl", "iv"),
    ("compare", "sl", "oral", "--factor", "bioavailability"),
    ("kap-vs-talk",),
    ("factors",),
    ("sources",),
    ("sources", "--route", "sl"),
    ("show", "sl"),
    ("show", "sl", "--sources"),
    ("conditions",),
    ("therapies",),
    ("timeline",),
    ("timeline", "sl"),
    ("timeline", "--all", "--sources"),
]


@pytest.mark.parametrize("args", VIEWS, ids=lambda a: " ".join(a))
@pytest.mark.parametrize("width", [60, 120])
def test_every_view_works_with_a_route_without_figures(
    run: Run, args: tuple[str, ...], width: int
) -> None:
    result = run(*args, "--data", DATA, width=width)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert DISCLAIMER.split(".")[0] in " ".join(result.stdout.split())
    assert "Traceback" not in result.stdout
    if "sl" in args:
        assert "Sublingual" in result.stdout


def test_figures_printed_equal_the_data(run: Run) -> None:
    """Every figure of every route, exactly as in the file, on its card and in routes --all."""
    routes = raw()["comparisons"]["routes"]["subjects"]
    table = ok(run("routes", "--all", "--data", DATA, width=WIDE))
    for key, subject in routes.items():
        card = ok(run("show", key, "--data", DATA, width=WIDE))
        for facts in subject["cells"].values():
            for fact in facts:
                if "confidence" not in fact:
                    continue
                ids = ", ".join(fact["sources"])
                mark = (
                    "(low confidence)"
                    if fact["confidence"] == "low"
                    else (f"({fact['confidence']} confidence)")
                )
                assert f"{fact['text']} [{ids}] {mark}" in card
                shown = fact["text"] + (" (low confidence)" if fact["confidence"] == "low" else "")
                assert shown in table


# help and completion ------------------------------------------------------------------


@pytest.mark.parametrize("command", ["sources", "show", "conditions", "therapies", "timeline"])
def test_help_shows_real_examples(run: Run, command: str) -> None:
    out = ok(run(command, "--help"))
    assert "Examples:" in out
    examples = [line.strip() for line in out.split("Examples:")[1].splitlines() if line.strip()]
    assert 3 <= len(examples) <= 5
    assert all(e.startswith(f"ketacompare {command}") for e in examples)


def test_completion_of_subject_names_skips_names_already_given() -> None:
    from types import SimpleNamespace

    from ketacompare.cli import _completer

    complete = _completer("subjects:therapies", "therapy_names")
    ctx = SimpleNamespace(params={"data": DATA, "therapy_names": ["kap"]})
    assert complete(ctx, "") == ["talk", "ttt", "psilocybin", "5-meo-dmt", "toad"]
    assert complete(ctx, "t") == ["talk", "ttt", "toad"]
    assert complete(ctx, "T") == []  # Typer keeps only words that start as typed
    assert complete(SimpleNamespace(params={"data": DATA, "therapy_names": ["KAT"]}), "k") == []
    routes = _completer("subjects:routes", "route_name")
    assert routes(SimpleNamespace(params={"data": DATA}), "by") == ["by-mouth"]
    broken = SimpleNamespace(params={"data": str(FIXTURES / "missing.yaml")})
    assert routes(broken, "") == []
