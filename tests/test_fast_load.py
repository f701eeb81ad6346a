"""The one-pass YAML path (loader._parse_fast) gives exactly what the general path gives.

The general path scans every event, then parses again with StrictLoader. The fast path
must return the same values and raise the same messages, or hand over to the general
path; these tests compare the two on hand-picked and generated documents.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ketacompare import loader
from ketacompare.typed import YamlScalar

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini.yaml"
SHIPPED = ROOT / "data" / "routes.yaml"


def plain(value: Any) -> Any:
    """Values with their types and order spelled out, so == compares everything."""
    if isinstance(value, YamlScalar):
        return ("scalar", value.kind, value.text, repr(value.value))
    if isinstance(value, dict):
        return ("map", [(plain(k), plain(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [plain(v) for v in value])
    return (type(value).__name__, value)


def outcome(text: str) -> tuple[str, Any]:
    try:
        return ("value", plain(loader.parse_yaml(text)))
    except loader._YamlProblem as exc:
        return ("problem", exc.message)


@contextmanager
def general_path_only() -> Iterator[None]:
    def unusual(*_: Any) -> Any:
        raise loader._Unusual

    with mock.patch.object(loader, "_parse_fast", unusual):
        yield


def general(text: str) -> tuple[str, Any]:
    with general_path_only():
        return outcome(text)


def fast_only(text: str) -> tuple[str, Any]:
    """The fast path alone: its value or problem, or 'unusual' when it hands over."""
    try:
        return ("value", plain(loader._parse_fast(yaml, text)))
    except loader._YamlProblem as exc:
        return ("problem", exc.message)
    except loader._Unusual:
        return ("unusual", None)


MINI_TEXT = MINI.read_text(encoding="utf-8")

EDGE_CASES = [
    "# only a comment\n",
    "---\n",
    "[1, 2]\n",
    "just text\n",
    "a: &x 1\nb: *x\n",
    "a: *x\n",
    "a: [1, &y 2]\n",
    "a: !!python/object:os.system x\n",
    "a: !custom x\n",
    "%TAG !e! tag:example.com,2000:\n---\na: !e!x 1\n",
    "a: !!str 1\n",
    "a: !!set {x, y}\n",
    "a: !!binary aGVsbG8=\n",
    "a: ! 12\n",
    "<<: {a: 1}\n",
    "a: =\n",
    "a: 1\na: 2\n",
    "yes: 1\nyes: 2\n",
    "yes: 1\n'yes': 2\n",
    "? [a]\n: b\n",
    "{a: 1}: b\n",
    "a: 1\n---\nb: 2\n",
    "a: 1\n---\nb: *z\n",
    "a: " + "[" * 64 + "]" * 64 + "\n",
    "a: " + "[" * 65 + "]" * 65 + "\n",
    "a: " + "[" * 5000 + "\n",
    "a: [1, 2\n",
    "a: b: c\n",
    "\tx: 1\n",
    'a: "\\x1b[31m"\n',
    "a: 2020-01-01\nb: .inf\nc: 0x1F\nd: ~\ne:\nf: on\ng: '1'\nh: -1.5e3\n",
    "a: |\n  x\n  y\nb: >\n  folded\n  text\n",
    "version: 1\nversion: 1\n",
]


@pytest.mark.parametrize("text", EDGE_CASES)
def test_fast_path_matches_general_path(text: str) -> None:
    assert outcome(text) == general(text)
    assert outcome(MINI_TEXT + text) == general(MINI_TEXT + text)


def test_plain_data_files_take_the_fast_path() -> None:
    # Otherwise the start-up gain is silently lost.
    for text in [MINI_TEXT, *([SHIPPED.read_text(encoding="utf-8")] if SHIPPED.is_file() else [])]:
        fast = fast_only(text)
        assert fast[0] == "value"
        assert fast == general(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "a: &x 1\n",
            "line 1, column 4: anchors (&x) are not allowed; write each value out.",
        ),
        (
            "a: [1, *x]\n",
            "line 1, column 8: aliases (*x) are not allowed; write the value out.",
        ),
        (
            "a: !custom x\n",
            "line 1, column 4: the tag '!custom' is not allowed; data files are plain YAML.",
        ),
        (
            "a: " + "[" * 65 + "]" * 65 + "\n",
            "line 1, column 67: nested more than 64 levels deep.",
        ),
    ],
)
def test_fast_path_refuses_unsafe_yaml_itself(text: str, message: str) -> None:
    assert fast_only(text) == ("problem", message)
    assert general(text) == ("problem", message)


@pytest.mark.parametrize("text", ["a: !!str 1\n", "<<: {a: 1}\n", "a: 1\na: 2\n", "a: 1\n---\n"])
def test_fast_path_hands_unusual_documents_over(text: str) -> None:
    assert fast_only(text) == ("unusual", None)


def test_fast_path_without_the_c_loader() -> None:
    # Where libyaml is missing the loader uses the pure-Python SafeLoader; same result.
    with_c = outcome(MINI_TEXT + "x: [2020-01-01, yes, ~]\n")
    with mock.patch.object(yaml, "CSafeLoader", yaml.SafeLoader):
        assert fast_only(MINI_TEXT)[0] == "value"
        assert outcome(MINI_TEXT + "x: [2020-01-01, yes, ~]\n") == with_c


PIECES = [
    "&a ", "*a", "!!str ", "!x ", "<<: ", "---\n", "? ", "yes", "no", "1", "1.5", "~", "",
    "2020-01-01", "[", "]", "{", "}", ": ", "- ", "\n", "  ", "'", '"', "#", ",", "x: y\n",
    "[a, b]", "{a: b}", "\x1b", "=", "text:", "sources:",
]  # fmt: skip


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(
        st.tuples(st.floats(0, 1), st.sampled_from(PIECES), st.integers(0, 3)),
        min_size=1,
        max_size=4,
    )
)
def test_fast_path_matches_general_path_on_edited_files(
    edits: list[tuple[float, str, int]],
) -> None:
    text = MINI_TEXT
    for where, piece, cut in edits:
        i = int(where * len(text))
        text = text[:i] + piece + text[i + cut :]
    assert outcome(text) == general(text)
