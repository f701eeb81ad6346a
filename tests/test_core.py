"""Issue 2, core behaviour: routes, compare, kap-vs-talk, --factor, factors, help, data files.

Tables are read back by splitting on the box characters at a fixed, wide terminal width,
and compared cell by cell with the fixture's YAML, so a fact in the wrong column fails.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer.main
import yaml
from conftest import FIXTURES, MINI, ROOT, SHIPPED, Run, mini_raw
from format_readers import shown_fact

from ketacompare import __version__, loader
from ketacompare.about import short_line
from ketacompare.cli import app

CORE = FIXTURES / "core.yaml"
WIDE = 200  # wide enough that no cell of core.yaml wraps
DISCLAIMER = (
    "Educational comparison, not medical advice. Discuss any treatment decision with a clinician."
)
CORE_ROUTES = ["IV infusion", "Sublingual", "Nasal esketamine", "Intramuscular"]
KAP_TALK = ["Ketamine-assisted psychotherapy", "Talk therapy"]
COMMANDS = sorted(typer.main.get_command(app).commands)  # every registered command


def core_raw() -> dict[str, Any]:
    return yaml.safe_load(CORE.read_text(encoding="utf-8"))


# Reading a table back ------------------------------------------------------------------


@dataclass
class Table:
    title: str
    header: list[str]  # corner, then column headings
    rows: dict[str, list[str]]  # row label -> cell texts, a cell's lines joined by "\n"
    footer: list[str]  # the lines after the table

    @property
    def columns(self) -> list[str]:
        return self.header[1:]

    def cell(self, row: str, column: str) -> str:
        return self.rows[row][self.columns.index(column)]


def parse_table(out: str) -> Table:
    """Split one rounded-box Rich table on its box characters."""
    lines = out.splitlines()
    tops = [i for i, line in enumerate(lines) if line.startswith("╭")]
    assert len(tops) == 1, f"expected one table, found {len(tops)}:\n{out}"
    top = tops[0]
    bottom = next(i for i, line in enumerate(lines) if line.startswith("╰"))
    groups: list[list[list[str]]] = [[]]
    for line in lines[top + 1 : bottom]:
        if line.startswith("├"):
            groups.append([])
            continue
        assert line.startswith("│") and line.endswith("│"), line
        groups[-1].append([part.strip() for part in line[1:-1].split("│")])
    merged = [["\n".join(r[i] for r in g if r[i]) for i in range(len(g[0]))] for g in groups]
    header, *body = merged
    return Table(
        title="\n".join(line.strip() for line in lines[:top]).strip(),
        header=header,
        rows={row[0]: row[1:] for row in body},
        footer=[line.rstrip() for line in lines[bottom + 1 :]][1:],  # after one blank line
    )


def expected_cell(facts: list[dict[str, Any]] | None) -> str:
    """A cell as the table must show it: one fact alone, several as bullets, '—' for none."""
    lines = [shown_fact(core_raw(), f) for f in facts or ()]
    if len(lines) > 1:
        lines = [f"• {line}" for line in lines]
    return "\n".join(lines) or "—"


def table_of(run: Run, *args: str, data: Path = CORE) -> Table:
    result = run(*args, "--data", str(data), width=WIDE)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    return parse_table(result.stdout)


def error_of(run: Run, *args: str, env: dict[str, str] | None = None) -> str:
    """Run a command that must fail as a user error: exit 2, one line on stderr, no stdout."""
    result = run(*args, env=env)
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1, result.stderr
    return result.stderr


def check_grid(table: Table, comparison: dict[str, Any], keys: list[str], factors: list[str]):
    """Every cell of the table holds exactly the facts the data file gives it."""
    subjects = comparison["subjects"]
    labels = {k: v["label"] for k, v in core_raw()["factors"].items()}
    assert table.columns == [subjects[k]["name"] for k in keys]
    assert list(table.rows) == [labels[f] for f in factors]
    for key in keys:
        for factor in factors:
            want = expected_cell(subjects[key]["cells"].get(factor))
            got = table.cell(labels[factor], subjects[key]["name"])
            assert got == want, f"{key} x {factor}: {got!r} != {want!r}"


# routes --------------------------------------------------------------------------------


def test_routes_shows_every_visible_route_as_a_column_in_data_order(run: Run) -> None:
    table = table_of(run, "routes")
    assert table.title == "Routes in the core fixture"
    assert table.header == ["Factor", *CORE_ROUTES]
    assert "Oral ketamine" not in "\n".join(table.header)


def test_routes_puts_every_fact_in_its_own_column_and_row(run: Run) -> None:
    routes = core_raw()["comparisons"]["routes"]
    factors = ["how-given", "onset", "duration", "dissociation", "convenience", "setting"]
    check_grid(table_of(run, "routes"), routes, ["iv", "sl", "nasal", "im"], factors)


def test_routes_marks_low_confidence_and_lists_several_facts_as_bullets(run: Run) -> None:
    table = table_of(run, "routes")
    assert table.cell("Intensity / dissociation", "Nasal esketamine") == (
        "Nasal is milder (low confidence)"
    )
    assert table.cell("How it is given", "IV infusion") == "• Drip into a vein\n• Skips the gut"
    assert table.cell("Onset", "Nasal esketamine") == "—"


def test_routes_rows_are_only_factors_with_data_in_declaration_order(run: Run) -> None:
    table = table_of(run, "routes")
    # methodology and session-length belong to therapies; unused has no cell anywhere.
    assert list(table.rows) == [
        "How it is given",
        "Onset",
        "Duration of relief",
        "Intensity / dissociation",
        "Convenience",
        "Setting and supervision",
    ]


def test_routes_names_the_hidden_route_and_all_shows_it(run: Run) -> None:
    default = table_of(run, "routes")
    assert "Not shown: Oral ketamine. Add --all to include." in default.footer
    everything = table_of(run, "routes", "--all")
    assert everything.columns == [*CORE_ROUTES, "Oral ketamine"]
    assert everything.cell("Onset", "Oral ketamine") == "Oral onset is slowest"
    assert "Oral ketamine: Not covered by the clinic article." in everything.footer
    assert not any(line.startswith("Not shown") for line in everything.footer)
    assert table_of(run, "routes", "-a").columns == everything.columns


# compare -------------------------------------------------------------------------------


def test_compare_keeps_the_order_given(run: Run) -> None:
    routes = core_raw()["comparisons"]["routes"]
    table = table_of(run, "compare", "im", "iv")
    assert table.columns == ["Intramuscular", "IV infusion"]
    # Only factors either of the two has; the rest of the file does not leak in.
    factors = ["how-given", "onset", "duration", "dissociation", "convenience", "setting"]
    check_grid(table, routes, ["im", "iv"], factors)


def test_compare_takes_more_than_two_routes(run: Run) -> None:
    table = table_of(run, "compare", "nasal", "sl", "im", "iv")
    assert table.columns == ["Nasal esketamine", "Sublingual", "Intramuscular", "IV infusion"]


@pytest.mark.parametrize(
    ("word", "name"),
    [
        ("IV", "IV infusion"),
        ("intravenous", "IV infusion"),
        ("Infusion", "IV infusion"),
        ("sl", "Sublingual"),
        ("SUBLINGUAL", "Sublingual"),
        ("nasal", "Nasal esketamine"),
        ("esketamine", "Nasal esketamine"),
        ("Spravato", "Nasal esketamine"),
        ("intraNasal", "Nasal esketamine"),
        ("Im", "Intramuscular"),
        ("intramuscular", "Intramuscular"),
        ("INJECTION", "Intramuscular"),
    ],
)
def test_compare_accepts_keys_and_aliases_in_any_case(run: Run, word: str, name: str) -> None:
    other = "Oral ketamine"
    assert table_of(run, "compare", word, "by-mouth").columns == [name, other]


def test_compare_shows_a_hidden_route_when_it_is_named(run: Run) -> None:
    table = table_of(run, "compare", "iv", "oral")
    assert table.columns == ["IV infusion", "Oral ketamine"]
    assert table.cell("How it is given", "Oral ketamine") == "Swallowed"
    assert "Oral ketamine: Not covered by the clinic article." in table.footer
    assert not any(line.startswith("Not shown") for line in table.footer)


def test_compare_one_route_is_an_error(run: Run) -> None:
    assert error_of(run, "compare", "iv", "--data", str(CORE)) == (
        "ketacompare: error: name two or more routes to compare, "
        "e.g. 'ketacompare compare iv im'. Routes: iv, sl, nasal, im, oral.\n"
    )


def test_compare_no_route_is_a_usage_error(run: Run) -> None:
    result = run("compare", "--data", str(CORE))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Missing argument 'NAME NAME...'" in result.stderr


@pytest.mark.parametrize(
    ("words", "message"),
    [
        (("iv", "iv"), "route 'iv' was named twice; name each route once."),
        (
            ("iv", "im", "Intravenous"),
            "route 'iv' was named twice (as 'iv' and 'Intravenous'); name each route once.",
        ),
        (("IM", "im"), "route 'im' was named twice (as 'IM' and 'im'); name each route once."),
    ],
)
def test_compare_the_same_route_twice_is_an_error(
    run: Run, words: tuple[str, ...], message: str
) -> None:
    assert error_of(run, "compare", *words, "--data", str(CORE)) == (
        f"ketacompare: error: {message}\n"
    )


@pytest.mark.parametrize(
    ("word", "hint"),
    [
        ("ivv", " Did you mean 'iv'?"),
        ("intramuscluar", " Did you mean 'intramuscular'?"),  # closest alias, not only keys
        ("spravto", " Did you mean 'spravato'?"),
        ("xyz", ""),
    ],
)
def test_compare_unknown_route_lists_choices_and_closest_match(
    run: Run, word: str, hint: str
) -> None:
    assert error_of(run, "compare", "iv", word, "--data", str(CORE)) == (
        f"ketacompare: error: unknown route '{word}'.{hint} "
        "Valid routes: iv, sl, nasal, im, oral.\n"
    )


# kap-vs-talk ---------------------------------------------------------------------------


def test_kap_vs_talk_compares_the_preset_with_every_fact_in_place(run: Run) -> None:
    therapies = core_raw()["comparisons"]["therapies"]
    table = table_of(run, "kap-vs-talk")
    assert table.title == "Ketamine-assisted psychotherapy vs Talk therapy"
    check_grid(table, therapies, ["kap", "talk"], ["setting", "methodology", "session-length"])
    assert "Psilocybin" not in "\n".join(table.header)


def test_kap_vs_talk_without_the_preset_says_how_to_add_it(run: Run, write_data) -> None:
    raw = core_raw()
    del raw["comparisons"]["therapies"]["presets"]
    assert error_of(run, "kap-vs-talk", "--data", str(write_data(raw))) == (
        "ketacompare: error: the data file has no 'kap-vs-talk' preset under "
        "comparisons.therapies.presets; add one (see docs/data-format.md).\n"
    )


# --factor ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "rows"),
    [
        (("routes",), ["Onset", "Intensity / dissociation", "Convenience"]),
        (("compare", "iv", "sl"), ["Onset", "Intensity / dissociation", "Convenience"]),
        (("kap-vs-talk",), ["Session length", "Methodology"]),
    ],
)
def test_factor_is_repeatable_and_comma_separated_on_every_view(
    run: Run, args: tuple[str, ...], rows: list[str]
) -> None:
    if args[0] == "kap-vs-talk":
        words = ("--factor", "session-length,methodology")
    else:
        words = ("--factor", "onset,dissociation", "--factor", "convenience")
    assert list(table_of(run, *args, *words).rows) == rows


def test_factor_rows_follow_the_order_asked_not_the_file(run: Run) -> None:
    table = table_of(run, "routes", "-f", "setting,convenience,how-given,onset")
    assert list(table.rows) == [
        "Setting and supervision",
        "Convenience",
        "How it is given",
        "Onset",
    ]
    # The cells move with their rows.
    assert table.cell("Setting and supervision", "Nasal esketamine") == (
        "Nasal needs a certified site"
    )
    assert table.cell("Convenience", "Sublingual") == "SL can be taken at home"


@pytest.mark.parametrize(
    ("word", "label"),
    [
        ("ONSET", "Onset"),  # any case
        ("Conv", "Convenience"),  # unique prefix
        ("dis", "Intensity / dissociation"),  # prefix shared with nothing else
        ("speed", "Onset"),  # alias
        ("Supervision", "Setting and supervision"),  # alias, any case
        ("inten", "Intensity / dissociation"),  # prefix of an alias
        ("how", "How it is given"),
    ],
)
def test_factor_takes_keys_aliases_and_unique_prefixes_in_any_case(
    run: Run, word: str, label: str
) -> None:
    assert list(table_of(run, "routes", "--factor", word).rows) == [label]


def test_factor_names_in_this_view_win_over_other_views_aliases(run: Run, write_data) -> None:
    # 'speed' is an alias of the routes' onset and a prefix of a therapies-only factor.
    raw = core_raw()
    raw["factors"]["speed-of-change"] = {"label": "Speed of change", "description": "How fast."}
    kap = raw["comparisons"]["therapies"]["subjects"]["kap"]
    kap["cells"]["speed-of-change"] = [{"text": "KAP changes fast", "sources": ["clinic"]}]
    path = write_data(raw)
    assert list(table_of(run, "kap-vs-talk", "-f", "speed", data=path).rows) == ["Speed of change"]
    assert list(table_of(run, "routes", "-f", "speed", data=path).rows) == ["Onset"]


def test_factor_named_twice_shows_its_row_once(run: Run) -> None:
    assert list(table_of(run, "routes", "-f", "onset,speed", "-f", "ONSET").rows) == ["Onset"]


def test_factor_ambiguous_prefix_is_an_error(run: Run) -> None:
    assert error_of(run, "routes", "--factor", "d", "--data", str(CORE)) == (
        "ketacompare: error: factor 'd' is ambiguous: it could be dissociation, duration. "
        "Type more of the name.\n"
    )


@pytest.mark.parametrize(
    ("word", "hint"),
    [("onsett", " Did you mean 'onset'?"), ("speeed", " Did you mean 'speed'?"), ("zzz", "")],
)
def test_factor_unknown_lists_choices_and_closest_match(run: Run, word: str, hint: str) -> None:
    assert error_of(run, "routes", "--factor", f"onset,{word}", "--data", str(CORE)) == (
        f"ketacompare: error: unknown factor '{word}'.{hint} Valid factors: how-given, onset, "
        "duration, dissociation, convenience, setting.\n"
    )


@pytest.mark.parametrize(
    ("args", "word", "key", "here"),
    [
        (
            ("routes",),
            "methodology",
            "methodology",
            "how-given, onset, duration, dissociation, convenience, setting",
        ),
        (("kap-vs-talk",), "speed", "onset", "setting, methodology, session-length"),
        # Declared, but neither of these two routes has a cell for it.
        (("compare", "iv", "sl"), "duration", "duration", None),
    ],
)
def test_factor_without_data_in_this_view_is_an_error(
    run: Run, args: tuple[str, ...], word: str, key: str, here: str | None
) -> None:
    here = here or "how-given, onset, dissociation, convenience, setting"
    assert error_of(run, *args, "--factor", word, "--data", str(CORE)) == (
        f"ketacompare: error: factor '{key}' has no data in this view. Factors here: {here}.\n"
    )


# factors -------------------------------------------------------------------------------


def test_factors_lists_key_label_description_aliases_and_comparisons(run: Run) -> None:
    table = table_of(run, "factors")
    assert table.title == "Factors"
    assert table.header == ["Key", "Label", "Description", "Also accepted", "In"]
    raw = core_raw()["factors"]
    assert list(table.rows) == list(raw)
    for key, factor in raw.items():
        row = table.rows[key]
        assert row[:2] == [factor["label"], factor["description"]], key
        assert row[2] == (", ".join(factor.get("aliases", ())) or "—"), key
    used_in = {key: row[3] for key, row in table.rows.items()}
    assert used_in["onset"] == "routes"
    assert used_in["methodology"] == "therapies"
    assert used_in["setting"] == "routes, therapies"
    assert used_in["unused"] == "(none)"
    assert table.footer[-3:] == [
        "Use a key, an alias or a unique prefix with --factor.",
        short_line("2026-12-03"),
        DISCLAIMER,
    ]


# Disclaimer ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "sources"),
    [
        (("routes",), "Facts from 3 sources: clinic, label, study."),
        (("routes", "--all"), "Facts from 3 sources: clinic, label, study."),
        (("compare", "sl", "im"), "Facts from 1 source: clinic."),
        (("kap-vs-talk",), "Facts from 1 source: clinic."),
        (("factors",), None),
    ],
)
@pytest.mark.parametrize("width", [WIDE, 60])
def test_every_table_ends_with_the_disclaimer_and_where_facts_come_from(
    run: Run, args: tuple[str, ...], sources: str | None, width: int
) -> None:
    result = run(*args, "--data", str(CORE), width=width)
    assert result.exit_code == 0, result.stderr
    words = " ".join(result.stdout.split())  # narrow terminals wrap the closing lines
    assert words.endswith(DISCLAIMER), result.stdout
    if sources:
        assert sources in words, result.stdout


# Version and help ----------------------------------------------------------------------


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version(run: Run, flag: str) -> None:
    result = run(flag)
    assert result.exit_code == 0
    assert result.stdout == f"ketacompare {__version__}\n"


def test_python_dash_m_ketacompare_version(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "ketacompare", "--version"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, f"ketacompare {__version__}\n", "")


def example_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("ketacompare ")]


def test_app_help_shows_examples_and_every_command(run: Run) -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert "Examples:" in result.stdout
    assert len(example_lines(result.stdout)) >= 2
    for command in COMMANDS:
        assert f"  {command} " in result.stdout, f"'{command}' missing from --help"


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_every_command_help_shows_examples_of_itself(run: Run, command: str, flag: str) -> None:
    result = run(command, flag)
    assert result.exit_code == 0, result.stderr
    assert "Examples:" in result.stdout
    mine = [line for line in example_lines(result.stdout) if line.split()[1] == command]
    assert mine, f"'ketacompare {command} --help' shows no example of '{command}'"


def help_examples() -> list[str]:
    group = typer.main.get_command(app)
    texts = [group.epilog or ""] + [cmd.epilog or "" for cmd in group.commands.values()]
    return sorted({line for text in texts for line in example_lines(text)})


@pytest.mark.parametrize("example", help_examples())
def test_every_help_example_runs_on_the_shipped_data(
    run: Run, example: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Help shows real examples: each one works as written on the shipped file."""

    words = shlex.split(example)[1:]
    if "--install-completion" in words:
        pytest.skip("would change this machine's shell start-up files")
    if {"|", ">", "<", "&&", ";"} & set(words):
        pytest.skip("a shell pipeline or redirection; not run here")
    # -o examples write here; examples that name data/routes.yaml find a copy of it.
    (tmp_path / "data").mkdir()
    shutil.copy(SHIPPED, tmp_path / "data" / "routes.yaml")
    monkeypatch.chdir(tmp_path)
    result = run(*words, width=WIDE)
    assert result.exit_code == 0, f"{example}: {result.stderr}"
    assert result.stderr == ""


# Everything comes from the data file -----------------------------------------------------


@pytest.fixture
def five_routes(write_data: Callable[[Any], Path]) -> Path:
    """The mini fixture plus a fifth, visible route and a new factor, written as a new file."""
    raw = mini_raw()
    raw["factors"]["cost"] = {
        "label": "Cost to the patient",
        "description": "What the patient pays.",
        "aliases": ["price"],
    }
    routes = raw["comparisons"]["routes"]["subjects"]
    routes["rectal"] = {
        "name": "Rectal route",
        "aliases": ["suppository"],
        "cells": {
            "onset": [{"text": "Rectal onset fact", "sources": ["art"]}],
            "cost": [{"text": "Rectal cost fact", "sources": ["art"]}],
        },
    }
    routes["im"]["cells"]["cost"] = [{"text": "IM cost fact", "sources": ["trial"]}]
    therapies = raw["comparisons"]["therapies"]["subjects"]
    therapies["talk"]["cells"]["cost"] = [{"text": "Talk cost fact", "sources": ["art"]}]
    return write_data(raw)


def test_a_new_route_and_factor_appear_in_routes(run: Run, five_routes: Path) -> None:
    table = table_of(run, "routes", data=five_routes)
    assert table.columns == ["IV infusion", "Intramuscular", "Rectal route"]
    assert list(table.rows) == ["Onset", "Convenience", "Bioavailability", "Cost to the patient"]
    assert table.cell("Cost to the patient", "Rectal route") == "Rectal cost fact"
    assert table.cell("Cost to the patient", "Intramuscular") == "IM cost fact"
    assert table.cell("Cost to the patient", "IV infusion") == "—"
    assert table.cell("Onset", "Rectal route") == "Rectal onset fact"


def test_a_new_route_and_factor_appear_in_compare(run: Run, five_routes: Path) -> None:
    table = table_of(run, "compare", "Suppository", "im", "-f", "price,onset", data=five_routes)
    assert table.columns == ["Rectal route", "Intramuscular"]
    assert list(table.rows) == ["Cost to the patient", "Onset"]
    assert table.cell("Cost to the patient", "Rectal route") == "Rectal cost fact"


def test_a_new_factor_appears_in_kap_vs_talk_and_factors(run: Run, five_routes: Path) -> None:
    table = table_of(run, "kap-vs-talk", data=five_routes)
    assert list(table.rows) == ["Methodology", "Cost to the patient"]
    assert table.cell("Cost to the patient", "Talk therapy") == "Talk cost fact"
    assert table.cell("Cost to the patient", "Ketamine-assisted psychotherapy") == "—"
    factors = table_of(run, "factors", data=five_routes)
    assert factors.rows["cost"] == [
        "Cost to the patient",
        "What the patient pays.",
        "price",
        "routes, therapies",
    ]


# --data and KETACOMPARE_DATA -----------------------------------------------------------


def test_environment_variable_chooses_the_data_file(run: Run) -> None:
    result = run("routes", env={"KETACOMPARE_DATA": str(CORE)}, width=WIDE)
    assert result.exit_code == 0, result.stderr
    assert parse_table(result.stdout).title == "Routes in the core fixture"


def test_data_option_wins_over_the_environment_variable(run: Run) -> None:
    result = run("routes", "--data", str(CORE), env={"KETACOMPARE_DATA": str(MINI)}, width=WIDE)
    assert result.exit_code == 0, result.stderr
    assert parse_table(result.stdout).title == "Routes in the core fixture"


def test_environment_variable_naming_a_missing_file_says_so(run: Run, tmp_path: Path) -> None:
    missing = tmp_path / "gone.yaml"
    assert error_of(run, "routes", env={"KETACOMPARE_DATA": str(missing)}) == (
        f"ketacompare: error: {missing}: file not found. "
        "Check the path (given as FILE, with --data or in $KETACOMPARE_DATA).\n"
    )


def test_without_either_the_shipped_file_is_used(run: Run) -> None:
    assert loader.resolve_path(None) == loader.default_path()
    assert SHIPPED.is_file(), "data/routes.yaml is missing: the shipped data file must exist"
    title = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))["comparisons"]["routes"]["title"]
    result = run("routes", width=WIDE)
    assert result.exit_code == 0, result.stderr
    assert parse_table(result.stdout).title == title


# Data-file problems: one representative of each (the exhaustive table is issue 6's) -----


@pytest.fixture
def bad_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], str]:
    """bad_file(yaml_text) -> a short relative path, so messages can be matched exactly."""
    monkeypatch.chdir(tmp_path)

    def _write(text: str) -> str:
        Path("bad.yaml").write_text(text, encoding="utf-8")
        return "bad.yaml"

    return _write


MINI_TEXT = MINI.read_text(encoding="utf-8")


def mini_with(old: str, new: str) -> str:
    assert MINI_TEXT.count(old) == 1, old
    return MINI_TEXT.replace(old, new)


def test_yaml_boolean_where_text_is_expected(run: Run, bad_file: Callable[[str], str]) -> None:
    path = bad_file(mini_with("- text: Minutes after the infusion starts", "- text: no"))
    assert error_of(run, "routes", "--data", path) == (
        "ketacompare: error: bad.yaml: comparisons.routes.subjects.iv.cells.onset[0].text: "
        "expected text; found the YAML boolean `no` (read as false). "
        'Put it in quotes ("no") if it is meant as text.\n'
    )


def test_number_where_text_is_expected(run: Run, bad_file: Callable[[str], str]) -> None:
    path = bad_file(mini_with('- text: "93%"', "- text: 0.93"))
    assert error_of(run, "routes", "--data", path) == (
        "ketacompare: error: bad.yaml: comparisons.routes.subjects.im.cells.bioavailability[0]"
        '.text: expected text; found the float `0.93`. Put it in quotes ("0.93") if it is '
        "meant as text.\n"
    )


def test_duplicate_key(run: Run, bad_file: Callable[[str], str]) -> None:
    text = mini_with("    label: Convenience\n", "    label: Convenience\n    label: Ease\n")
    line = text.splitlines().index("    label: Ease") + 1
    assert error_of(run, "routes", "--data", bad_file(text)) == (
        f"ketacompare: error: bad.yaml: line {line}, column 5: duplicate key 'label'; "
        "each key may appear once in a mapping.\n"
    )


def test_anchor(run: Run, bad_file: Callable[[str], str]) -> None:
    text = mini_with("  onset:\n    label: Onset", "  onset: &o\n    label: Onset")
    line = text.splitlines().index("  onset: &o") + 1
    assert error_of(run, "routes", "--data", bad_file(text)) == (
        f"ketacompare: error: bad.yaml: line {line}, column 10: anchors (&o) are not allowed; "
        "write each value out.\n"
    )


def test_unknown_key_with_closest_match(run: Run, bad_file: Callable[[str], str]) -> None:
    path = bad_file(mini_with("    aliases: [speed]", "    alias: [speed]"))
    assert error_of(run, "routes", "--data", path) == (
        "ketacompare: error: bad.yaml: factors.onset.alias: unknown key 'alias'. "
        "Did you mean 'aliases'? Valid keys here: label, description, aliases.\n"
    )


def test_missing_field(run: Run, bad_file: Callable[[str], str]) -> None:
    path = bad_file(mini_with("    description: How easy it is to fit into life.\n", ""))
    assert error_of(run, "routes", "--data", path) == (
        "ketacompare: error: bad.yaml: factors.convenience.description: missing required "
        "field 'description' (One line on what the row answers.).\n"
    )


def test_cell_naming_an_unknown_factor(run: Run, bad_file: Callable[[str], str]) -> None:
    path = bad_file(mini_with("          convenience:\n", "          convenence:\n"))
    assert error_of(run, "routes", "--data", path) == (
        "ketacompare: error: bad.yaml: comparisons.routes.subjects.im.cells.convenence: "
        "unknown factor 'convenence'. Did you mean 'convenience'? Declared factors: onset, "
        "convenience, bioavailability, methodology.\n"
    )


def test_cell_citing_an_unknown_source(run: Run, bad_file: Callable[[str], str]) -> None:
    text = mini_with(
        "            - text: Needs a professional\n              sources: [art]",
        "            - text: Needs a professional\n              sources: [art, trail]",
    )
    assert error_of(run, "routes", "--data", bad_file(text)) == (
        "ketacompare: error: bad.yaml: comparisons.routes.subjects.im.cells.convenience[0]"
        ".sources[1]: unknown source 'trail'. Did you mean 'trial'? Declared sources: art, "
        "trial.\n"
    )
