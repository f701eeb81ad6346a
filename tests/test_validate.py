"""`ketacompare validate` lists every problem with its place; `ketacompare schema` describes
the same model the loader checks against."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from ketacompare import loader
from ketacompare.convert import json_schema
from ketacompare.model import Dataset
from tests.conftest import FIXTURES, MINI, SHIPPED, Run, mini_raw
from tests.conftest import schema_errors as errors

BROKEN = FIXTURES / "broken.yaml"
MINI_SUMMARY = (
    "valid: 2 sources, 4 factors, 2 comparisons (routes: 2 subjects, therapies: 2 subjects), "
    "7 facts, 0 preferences."
)


# validate ----------------------------------------------------------------------------


def test_valid_file_prints_a_summary_and_exits_0(run: Run) -> None:
    result = run("validate", str(MINI))
    assert result.stdout == f"{MINI}: {MINI_SUMMARY}\n"
    assert result.stderr == ""
    assert result.exit_code == 0


def test_every_problem_is_listed_with_line_and_path(run: Run) -> None:
    """Typing problems and broken references in one run, in file order, even though typing
    failed (the reference pass reads the raw YAML)."""
    result = run("validate", str(BROKEN))
    f = BROKEN
    assert result.stdout.splitlines() == [
        f"{f}:2: version: expected one of 2; found the int `3`.",
        f"{f}:7: sources.art.title: expected text; found the YAML boolean `no` (read as "
        'false). Put it in quotes ("no") if it is meant as text.',
        f"{f}:25: comparisons.routes.subjects.iv.cells.onset[0].sources[1]: unknown source "
        "'trail'. Did you mean 'trial'? Declared sources: art, trial.",
        f"{f}:26: comparisons.routes.subjects.iv.cells.speed: unknown factor 'speed'. "
        "Declared factors: onset.",
        # A missing field has no line of its own: the line of the mapping that lacks it.
        f"{f}:29: comparisons.routes.subjects.im.name: missing required field 'name' "
        "(Column heading.).",
        f"{f}:30: comparisons.routes.subjects.im.nme: unknown key 'nme'. Did you mean 'name'? "
        "Valid keys here: name, cells, aliases, hidden, note, timeline, route.",
        f"{f}:37: preferences.no-needles.ratings.oral: unknown route 'oral'. "
        "Declared routes: iv, im.",
        f"{f}: invalid: 7 problems.",
    ]
    assert result.exit_code == 2
    assert result.stderr == ""


def test_other_commands_show_the_first_problem_and_point_to_validate(run: Run) -> None:
    result = run("routes", "--data", str(BROKEN))
    assert result.stderr == (
        f"ketacompare: error: {BROKEN}: version: expected one of 2; found the int `3`. "
        f"(and 6 more problems; run 'ketacompare validate {BROKEN}' to list them all)\n"
    )
    assert result.exit_code == 2


def test_file_comes_from_argument_then_data_then_environment(
    run: Run, write_data: Any, tmp_path: Path
) -> None:
    other = write_data(mini_raw() | {"version": 3})
    assert run("validate", env={"KETACOMPARE_DATA": str(MINI)}).stdout.startswith(f"{MINI}: valid")
    assert run("validate", "--data", str(MINI)).exit_code == 0
    result = run("validate", str(other), env={"KETACOMPARE_DATA": str(MINI)})
    assert result.stdout.startswith(f"{other}:1: version: expected one of 2")
    assert result.exit_code == 2
    result = run("validate", str(MINI), "--data", str(other))
    assert result.stdout == f"{MINI}: {MINI_SUMMARY}\n"


def test_file_level_problem_has_no_line(run: Run, tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    result = run("validate", str(missing))
    assert result.stdout == (
        f"{missing}: file not found. "
        "Check the path (given as FILE, with --data or in $KETACOMPARE_DATA).\n"
        f"{missing}: invalid: 1 problem.\n"
    )
    assert result.exit_code == 2


def test_a_file_changed_between_runs_is_read_again(run: Run, write_data: Any) -> None:
    path = write_data(mini_raw())
    assert run("routes", "--data", str(path)).exit_code == 0
    path.write_text(path.read_text().replace("version: 2", "version: 9"))
    result = run("validate", str(path))
    assert result.exit_code == 2
    assert result.stdout == (
        f"{path}:1: version: expected one of 2; found the int `9`.\n{path}: invalid: 1 problem.\n"
    )


def test_references_are_checked_once_whether_or_not_typing_failed() -> None:
    """Broken references come from one raw pass: the same six problems for a file that types
    cleanly and for one whose typing also failed elsewhere."""
    raw = mini_raw()
    routes = raw["comparisons"]["routes"]["subjects"]
    routes["iv"]["cells"]["onsett"] = [{"text": "x", "sources": ["art", "trail"]}]
    routes["im"]["timeline"] = [
        {"event": "peak", "minutes": 5, "text": "x", "sources": ["nosuch"]},
    ]
    raw["comparisons"]["therapies"]["presets"]["extra"] = ["kap", "tlak"]
    raw["preferences"] = {
        "p": {
            "label": "P",
            "description": "D",
            "ratings": {"oral": {"rating": "meets", "text": "t", "sources": ["artt"]}},
        }
    }
    dataset, clean = loader.check(yaml.safe_dump(raw, sort_keys=False))
    assert dataset is None and len(clean) == 6
    raw["version"] = 9
    _, typing_failed = loader.check(yaml.safe_dump(raw, sort_keys=False))
    assert [str(p) for p in typing_failed] == [
        "version: expected one of 2; found the int `9`.",
        *(str(p) for p in clean),
    ]


def test_locate_finds_block_and_flow_nodes() -> None:
    text = (
        "a:\n"  # 1
        "  b: [x, {c: 1,\n"  # 2
        "     d: 2}]\n"  # 3
        "  'quoted key':\n"  # 4
        "    - 1\n"  # 5
        "    - 2\n"  # 6
    )
    paths = ["a", "a.b[1].d", "a.b[1].c", "a.quoted key[1]", "a.b[1].missing", "zzz", ""]
    assert loader.locate(text, paths) == [1, 3, 2, 6, 2, 0, 0]


# schema ------------------------------------------------------------------------------


def test_schema_command_prints_the_generated_schema(run: Run) -> None:
    result = run("schema")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == json_schema(Dataset)
    assert result.stdout.isascii()  # json.dumps escapes, so any terminal can show it
    assert result.stderr == ""


def test_schema_to_file(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "ketacompare.schema.json"
    assert run("schema", "-o", str(target)).exit_code == 0
    assert json.loads(target.read_text()) == json_schema(Dataset)
    again = run("schema", "-o", str(target))
    assert again.exit_code == 2
    assert "already exists. Add --force to overwrite it." in again.stderr
    assert run("schema", "-o", str(target), "--force").exit_code == 0


def _schema() -> dict[str, Any]:
    return json_schema(Dataset)


def test_schema_is_draft_07_for_editors() -> None:
    """VS Code YAML and yaml-language-server fully support draft-07, not later drafts."""
    schema = _schema()
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert "$defs" not in json.dumps(schema)
    assert schema["additionalProperties"] is False  # the root is inline, not a bare $ref


def test_fixture_conforms_to_schema() -> None:
    assert errors(_schema(), yaml.safe_load(MINI.read_text())) == []


@pytest.mark.skipif(not SHIPPED.is_file(), reason="data/routes.yaml not in this checkout")
def test_shipped_file_conforms_to_schema_and_validates(run: Run) -> None:
    assert errors(_schema(), yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))) == []
    assert run("validate", str(SHIPPED)).exit_code == 0


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda r: r.update(extra=1), ("$", "additionalProperties")),
        (lambda r: r.pop("factors"), ("$", "required")),
        (lambda r: r.update(version=3), ("$.version", "enum")),
        (lambda r: r.update(version=True), ("$.version", "enum")),
        (lambda r: r["sources"]["art"].update(year="2020"), ("$.sources.art.year", "anyOf")),
        (lambda r: r["sources"].update({"bad id": r["sources"]["art"]}), ("$.sources", "pattern")),
        (lambda r: r["factors"]["onset"].update(label=""), ("$.factors.onset.label", "minLength")),
        (
            lambda r: r["factors"]["onset"].update(aliases="speed"),
            ("$.factors.onset.aliases", "type"),
        ),
        (lambda r: r.update(sources={}), ("$.sources", "minProperties")),
        (
            lambda r: r["comparisons"]["routes"]["subjects"]["iv"]["cells"]["onset"][0].update(
                sources=[]
            ),
            ("$.comparisons.routes.subjects.iv.cells.onset[0].sources", "minItems"),
        ),
    ],
)
def test_schema_rejects_what_the_loader_rejects(change: Any, expected: tuple[str, str]) -> None:
    """The schema check can fail, and schema and loader agree on these breakages."""
    raw = mini_raw()
    change(raw)
    assert errors(_schema(), raw) == [expected]
    dataset, problems = loader.check(yaml.safe_dump(raw, sort_keys=False))
    assert dataset is None and problems


def test_the_schema_is_a_valid_draft_07_schema() -> None:
    from jsonschema import Draft7Validator

    Draft7Validator.check_schema(_schema())  # raises SchemaError when it is not


def test_one_pass_lists_broken_references_beside_typing_problems() -> None:
    """References are collected by the typed conversion itself (the file is walked once),
    and still checked where typing failed around them."""
    raw = mini_raw()
    iv = raw["comparisons"]["routes"]["subjects"]["iv"]
    iv["cells"]["onset"][0]["text"] = ["not", "text"]  # a typing problem in this fact
    iv["cells"]["onset"][0]["sources"] = ["art", "nope"]  # and a broken reference in it
    iv["cells"]["nosuch"] = iv["cells"].pop("bioavailability")
    raw["comparisons"]["therapies"]["presets"]["kap-vs-talk"] = ["kap", "tlak"]
    dataset, problems = loader.check(yaml.safe_dump(raw, sort_keys=False))
    assert dataset is None
    assert [p.path for p in problems] == [
        "comparisons.routes.subjects.iv.cells.onset[0].text",
        "comparisons.routes.subjects.iv.cells.onset[0].sources[1]",
        "comparisons.routes.subjects.iv.cells.nosuch",
        "comparisons.therapies.presets.kap-vs-talk[1]",
    ]
    assert problems[1].message.startswith("unknown source 'nope'.")
    assert "Did you mean 'talk'?" in problems[3].message
