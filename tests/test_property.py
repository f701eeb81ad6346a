"""Property-based tests: whatever the data file or the command line holds, the outcome is a
correct result or a clean error with exit 2. Never a traceback, never a control byte out.

Examples per test add up to well over 1,000 (see EXAMPLES); each example is cheap, so the
whole file runs in seconds.
"""

from __future__ import annotations

import atexit
import contextlib
import copy
import itertools
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ketacompare import loader
from ketacompare.convert import json_schema
from ketacompare.model import Dataset
from ketacompare.query import DISCLAIMER, comparison_grid, factors_grid
from ketacompare.render import Format, Style
from ketacompare.text import clean
from tests.conftest import MINI, mini_raw, schema_errors
from tests.conftest import invoke as run_main
from tests.hostile_helpers import (
    available_formats,
    renderer_module,
    unsafe_chars,
)

EXAMPLES = {
    "generated_yaml": 300,
    "mutated_model": 350,
    "random_strings": 150,
    "command_line": 250,
}
assert sum(EXAMPLES.values()) >= 1000


# KETACOMPARE_PROPERTY_SCALE=20 runs twenty times as many, for a long bug hunt.
SCALE = int(os.environ.get("KETACOMPARE_PROPERTY_SCALE", "1"))


def _settings(name: str) -> Any:
    return settings(
        max_examples=EXAMPLES[name] * SCALE,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


MINI_TEXT = MINI.read_text(encoding="utf-8")
MINI_RAW = mini_raw()
# libyaml, when present, for the test's own parsing and dumping: examples stay cheap.
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FAST_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def fresh_mini() -> Any:
    return copy.deepcopy(MINI_RAW)


def dump(raw: Any) -> str:
    return yaml.dump(raw, Dumper=FAST_DUMPER, sort_keys=False, allow_unicode=True)


SCHEMA = json_schema(Dataset)
FORMATS = available_formats()
WORKDIR = Path(tempfile.mkdtemp(prefix="ketacompare-property-"))
atexit.register(shutil.rmtree, WORKDIR, ignore_errors=True)
SGR = re.compile(r"\x1b\[[0-9;]*m")
_FILE_NUMBERS = itertools.count()


def scratch_file() -> Path:
    """A new name each time: completion's names cache is keyed by path, mtime and size, and
    two examples written within one clock tick could otherwise share an entry."""
    return WORKDIR / f"data{next(_FILE_NUMBERS)}.yaml"


def invoke(*args: str, width: int = 100, data: str = "") -> Any:
    """The real main(argv, env) with a test environment (tests/conftest.py)."""
    return run_main(*args, width=width, env={"KETACOMPARE_DATA": data})


def assert_clean_outcome(result: Any, allowed: tuple[int, ...] = (0, 2)) -> None:
    """Exit 0 or 2, no traceback or crash, and nothing that could drive the terminal."""
    assert result.exit_code in allowed, (result.exit_code, result.stderr, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "Traceback" not in result.stderr
    assert "unexpected error" not in result.stderr
    assert unsafe_chars(result.stdout) == [], result.stdout
    assert unsafe_chars(result.stderr) == [], result.stderr


def views(data: Dataset) -> Iterator[Any]:
    for key in data.comparison_keys():
        yield comparison_grid(data, key, include_hidden=True)
        yield comparison_grid(data, key)
    yield factors_grid(data)


def render_everything(data: Dataset, style: Style, view: int) -> None:
    """One of the dataset's views, in every format (one view keeps examples cheap)."""
    grids = list(views(data))
    grid = grids[view % len(grids)]
    for fmt in Format:
        module = renderer_module(fmt)
        output = module.RENDERER.render(grid, style)
        assert isinstance(output, str)
        if fmt is Format.TABLE and style.color:
            output = SGR.sub("", output)  # Rich's own styling; nothing else may remain
        assert unsafe_chars(output) == [], (fmt, output)
        assert " ".join(DISCLAIMER.split()[:3]) in " ".join(output.split()), fmt


styles = st.builds(
    Style,
    width=st.integers(min_value=1, max_value=400),
    color=st.booleans(),
    ascii=st.booleans(),
    cite=st.booleans(),
)


# Valid and invalid files seen by each data-file property (name -> [invalid, valid]): a
# property that only ever met invalid files (or only valid ones) proved nothing.
OUTCOMES: dict[str, list[int]] = {}


def saw_both(name: str, run: Any, least: int = 5) -> None:
    """Run a @given property, then check it met at least `least` valid and invalid files."""
    OUTCOMES[name] = [0, 0]
    run()
    invalid, valid = OUTCOMES[name]
    assert valid >= max(least, 1), f"{name}: only {valid} valid files among {invalid + valid}"
    assert invalid >= least, f"{name}: only {invalid} invalid files among {invalid + valid}"


def count(name: str, dataset: Dataset | None) -> None:
    if name in OUTCOMES:
        OUTCOMES[name][dataset is not None] += 1


def check_loader_outcome(text: str) -> Dataset | None:
    """check() never raises; it returns a dataset or problems, not both, not neither."""
    dataset, problems = loader.check(text)
    assert (dataset is None) == bool(problems)
    for problem in problems:
        assert unsafe_chars(str(problem)) == [], str(problem)
        assert "\n" not in str(problem)
    lines = loader.locate(text, [p.path for p in problems])
    assert len(lines) == len(problems)
    if dataset is not None:
        # Everything the loader accepts also passes the published JSON Schema.
        assert schema_errors(SCHEMA, yaml.load(text, Loader=FAST_LOADER)) == []
    return dataset


# 1. Generated YAML documents ----------------------------------------------------------

TOKENS = [
    *"{}[],:-?&*!|>'\"%@`#\n .\\",
    "\t",
    "  ",
    "\n  ",
    "\n- ",
    ": ",
    "---",
    "...",
    "<<",
    "!!python/object/apply:os.system ",
    "!!str ",
    "!!int ",
    "!custom ",
    "&a ",
    "*a",
    "no",
    "yes",
    "on",
    "~",
    "null",
    "1e3",
    "0x_",
    "2020-13-45",
    "2020-01-01",
    ".inf",
    '"\\e[31m"',
    '"\\x1b]52;c;aGk=\\a"',
    '"\\ud800"',
    "\u202e",
    "[bold]",
    "[/]",
    "version",
    "sources",
    "factors",
    "comparisons",
    "routes",
    "subjects",
    "cells",
    "text",
    "kind",
    "onset",
    "art",
]
yaml_noise = st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=4)), max_size=60).map(
    "".join
)


@st.composite
def mutated_mini(draw: Any) -> str:
    """The valid fixture with one slice replaced by YAML-ish noise."""
    start = draw(st.integers(0, len(MINI_TEXT)))
    end = draw(st.integers(start, min(len(MINI_TEXT), start + 40)))
    return MINI_TEXT[:start] + draw(yaml_noise) + MINI_TEXT[end:]


@_settings("generated_yaml")
@given(text=st.one_of(yaml_noise, mutated_mini()), style=styles, view=st.integers(0, 10))
def generated_yaml_documents(text: str, style: Style, view: int) -> None:
    dataset = check_loader_outcome(text)
    count("generated_yaml", dataset)
    if dataset is not None:
        render_everything(dataset, style, view)
    # The same text as a file through the real CLI: validate and a table view agree.
    path = scratch_file()
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    result = invoke("validate", str(path))
    assert_clean_outcome(result)
    assert result.exit_code == (0 if dataset is not None else 2), result.stdout
    if dataset is not None:
        assert_clean_outcome(invoke("routes", "--all", "--data", str(path)), allowed=(0,))


@pytest.mark.slow
def test_generated_yaml_documents() -> None:
    saw_both("generated_yaml", generated_yaml_documents)


# 2. A valid file with one part replaced by any YAML value -----------------------------

FIELD_NAMES = [
    "version",
    "sources",
    "factors",
    "comparisons",
    "routes",
    "therapies",
    "subjects",
    "cells",
    "text",
    "title",
    "name",
    "aliases",
    "hidden",
    "presets",
    "timeline",
    "minutes",
    "event",
    "confidence",
    "preferences",
    "ratings",
]
yaml_keys = st.one_of(
    st.sampled_from(FIELD_NAMES), st.text(max_size=6), st.integers(), st.booleans(), st.none()
)
yaml_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=20),
    st.dates(),
    st.sampled_from(["no", "on", "yes", "1.5", "", " ", "art", "trial", "iv", "onset"]),
)
yaml_values = st.recursive(
    yaml_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(yaml_keys, children, max_size=4)
    ),
    max_leaves=20,
)


def _containers(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Paths to every value inside the document, for a mutation to land on."""
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _containers(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _containers(value, (*path, i))


MINI_PATHS = list(_containers(MINI_RAW))


# Text of the kind the fixture holds (a letter first, then words): put where text was, it
# often keeps the file valid, so the views get drawn with it too.
plain_text = st.tuples(
    st.characters(categories=["L"]),
    st.text(st.characters(categories=["L", "N", "P", "Zs"]), max_size=20),
).map("".join)


@_settings("mutated_model")
@given(
    where=st.sampled_from(MINI_PATHS[1:]),
    value=yaml_values,
    like=st.one_of(st.none(), plain_text),
    extra_key=st.one_of(st.none(), yaml_keys),
    style=styles,
    view=st.integers(0, 10),
)
def mutated_model(
    where: tuple[Any, ...], value: Any, like: str | None, extra_key: Any, style: Style, view: int
) -> None:
    raw = fresh_mini()
    parent = raw
    for step in where[:-1]:
        parent = parent[step]
    if like is not None and isinstance(parent[where[-1]], str):
        value, extra_key = like, None  # text for text
    parent[where[-1]] = value
    if extra_key is not None and isinstance(parent, dict):
        parent[extra_key] = copy.deepcopy(value)
    text = dump(raw)
    dataset = check_loader_outcome(text)
    count("mutated_model", dataset)
    if dataset is not None:
        render_everything(dataset, style, view)


@pytest.mark.slow
def test_mutated_model() -> None:
    saw_both("mutated_model", mutated_model)


# 3. Random strings in every text field of a valid file --------------------------------

FREE_TEXT = {"title", "authors", "venue", "note", "label", "description", "name", "text"}


def _text_fields(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in FREE_TEXT and isinstance(value, str):
                yield (*path, key)
            elif key != "aliases":  # aliases are ids now, typed on the command line
                yield from _text_fields(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _text_fields(value, (*path, i))


TEXT_PATHS = list(_text_fields(MINI_RAW))
assert len(TEXT_PATHS) > 25  # every label, name, title, note and fact of the fixture
# Any character at all, with the dangerous ones made likely.
nasty_chars = st.lists(
    st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(
            [
                "\x1b[31m",
                "\x1b]0;t\x07",
                "\x1b]8;;http://x\x1b\\",
                "\x1b]52;c;aGk=\x07",
                "\r",
                "\b",
                "\x9b",
                "\u202e",
                "\u2066",
                "[bold]",
                "[/]",
                "[link=file:///etc/passwd]",
                "\\",
                "\n",
                "\t",
            ]
        ),
    ),
    max_size=6,
).map("".join)
# Around one visible character, so most files stay valid and reach every renderer.
nasty_text = st.tuples(nasty_chars, st.characters(categories=["L", "N", "P"]), nasty_chars).map(
    "".join
)


VIEW_COMMANDS = [
    ("routes", "--all", "--sources"),
    ("compare", "im", "iv"),
    ("kap-vs-talk",),
    ("factors",),
    ("sources",),
    ("show", "iv", "--sources"),
    ("therapies",),
    ("timeline",),
]


@_settings("random_strings")
@given(
    values=st.lists(nasty_text, min_size=len(TEXT_PATHS), max_size=len(TEXT_PATHS)),
    style=styles,
    command=st.sampled_from(VIEW_COMMANDS),
    fmt=st.sampled_from(FORMATS),
    width=st.integers(min_value=10, max_value=300),
    view=st.integers(0, 10),
)
def random_strings_in_every_field(
    values: list[str],
    style: Style,
    command: tuple[str, ...],
    fmt: Format,
    width: int,
    view: int,
) -> None:
    raw = fresh_mini()
    for path, value in zip(TEXT_PATHS, values, strict=True):
        parent = raw
        for step in path[:-1]:
            parent = parent[step]
        parent[path[-1]] = value
    text = dump(raw)
    dataset = check_loader_outcome(text)
    count("random_strings", dataset)
    if dataset is None:
        # Only text with nothing visible, a noncharacter, or a heading made long by escape
        # sequences may make this file invalid.
        problems = loader.check(text)[1]
        reasons = ("found an empty string", "only invisible characters", "noncharacter")
        reasons += ("expected at most 80 characters",)  # escape sequences add up
        assert all(any(r in p.message for r in reasons) for p in problems), [
            str(p) for p in problems
        ]
        return
    # The cleaned text is what the model holds.
    given_text = raw["comparisons"]["routes"]["subjects"]["iv"]["cells"]["onset"][0]["text"]
    onset = dataset.comparisons.routes.subjects["iv"].cells["onset"][0].text
    assert onset == clean(given_text).strip()
    render_everything(dataset, style, view)
    path = scratch_file()
    path.write_text(text, encoding="utf-8")
    result = invoke(*command, "--format", fmt.value, "--data", str(path), width=width)
    assert_clean_outcome(result, allowed=(0,))
    assert "not medical advice" in " ".join(result.stdout.split())


@pytest.mark.slow
def test_random_strings_in_every_field() -> None:
    # Nearly every file here is valid (a visible character in every field): what matters is
    # that most of them reached every renderer.
    saw_both("random_strings", random_strings_in_every_field, least=0)
    invalid, valid = OUTCOMES["random_strings"]
    assert valid >= 0.8 * (invalid + valid), OUTCOMES


# 4. Random command-line words ---------------------------------------------------------

WORDS = [
    "routes",
    "compare",
    "kap-vs-talk",
    "factors",
    "validate",
    "schema",
    "iv",
    "IM",
    "intravenous",
    "injection",
    "kap",
    "oral",
    "--factor",
    "-f",
    "onset",
    "speed",
    "on",
    "conv",
    "onset,convenience",
    "--all",
    "--sources",
    "--format",
    "-F",
    *[f.value for f in Format],
    "--output",
    "-o",
    "out.txt",
    "--force",
    "--no-color",
    "--data",
    str(MINI),
    "missing.yaml",
    "--help",
    "-h",
    "--version",
    "--",
    "-",
    "",
]
cli_words = st.lists(st.one_of(st.sampled_from(WORDS), nasty_text, st.text(max_size=8)), max_size=7)


@pytest.mark.slow
@_settings("command_line")
@given(words=cli_words, width=st.integers(min_value=1, max_value=300))
def test_random_command_line_words(words: list[str], width: int) -> None:
    # NUL cannot be passed in a real argv; everything else can.
    words = [w.replace("\x00", "") for w in words]
    with contextlib.chdir(WORKDIR):  # --output lands in a scratch folder
        result = invoke(*words, width=width, data=str(MINI))
    assert_clean_outcome(result)
    if result.exit_code == 2:  # validate lists problems on stdout, the rest use stderr
        assert (result.stdout + result.stderr).strip(), "an error exit must say what is wrong"
