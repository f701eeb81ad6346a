"""Hostile data files: each gets one line on stderr and exit 2, never a traceback.

Table-driven: every case names the file it writes and the exact message it must get.
Cases are small or stop early (size cap, first anchor, first tag, value cap), so all of them
run fast and in bounded memory; the test for the biggest allowed inputs measures memory.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from ketacompare import errors, loader
from tests import hostile_gen
from tests.conftest import MINI, ROOT, Run

MINI_TEXT = MINI.read_text(encoding="utf-8")


def mini_with(old: str, new: str) -> str:
    """The small fixture with one edit; the edit must apply, or the case proves nothing."""
    assert old in MINI_TEXT, old
    return MINI_TEXT.replace(old, new, 1)


@dataclass(frozen=True)
class Case:
    id: str
    content: str | bytes | Callable[[Path], Path]
    message: str  # after "ketacompare: error: FILE: "
    code: int = 2

    def make(self, tmp_path: Path) -> Path:
        if callable(self.content):
            return self.content(tmp_path)
        path = tmp_path / f"{self.id}.yaml"
        if isinstance(self.content, bytes):
            path.write_bytes(self.content)
        else:
            path.write_text(self.content, encoding="utf-8")
        return path


def _directory(tmp_path: Path) -> Path:
    path = tmp_path / "folder.yaml"
    path.mkdir()
    return path


def _missing(tmp_path: Path) -> Path:
    return tmp_path / "no-such-file.yaml"


BOMB = "\n".join(
    [
        'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        *(
            f"{n}: &{n} [*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p},*{p}]"
            for p, n in zip("abcdefgh", "bcdefghi", strict=True)
        ),
    ]
)
QUOTE_IT = "Put it in quotes"
KEYS = "Valid keys here: kind, title, authors, year, venue, doi, pmid, url, note."

CASES = [
    # Tags: refused while scanning, before anything is built.
    Case(
        "python-tag",
        'version: !!python/object/apply:os.system ["echo hacked"]\n',
        "line 1, column 10: the tag '!!python/object/apply:os.system' is not allowed; "
        "data files are plain YAML: remove the tag.",
    ),
    Case(
        "python-name-verbatim",
        "version: !<tag:yaml.org,2002:python/name:os.system> x\n",
        "line 1, column 10: the tag '!!python/name:os.system' is not allowed; "
        "data files are plain YAML: remove the tag.",
    ),
    Case(
        "custom-tag",
        "version: 2\nsources: !include other.yaml\n",
        "line 2, column 10: the tag '!include' is not allowed; "
        "data files are plain YAML: remove the tag.",
    ),
    Case(
        "binary-tag",
        'version: 2\ntitle: !!binary "aGVsbG8="\n',
        "line 2, column 8: the tag '!!binary' is not allowed; "
        "data files are plain YAML: remove the tag.",
    ),
    Case(
        "int-tag-on-text",  # !!int "abc" would crash int() if it were ever constructed
        'version: !!int "abc"\n',
        "line 1, column 10: the tag '!!int' is not allowed; "
        "data files are plain YAML: remove the tag.",
    ),
    Case(
        "str-tag-on-list",
        "version: !!str [1]\n",
        "line 1, column 10: the tag '!!str' does not fit the value after it; remove the tag.",
    ),
    # Anchors and aliases: refused at the first one, so a bomb never expands.
    Case(
        "billion-laughs",
        BOMB,
        "line 1, column 4: anchors (&a) are not allowed; write each value out.",
    ),
    Case(
        "alias",
        "version: 2\nsources: *s\n",
        "line 2, column 10: aliases (*s) are not allowed; write the value out.",
    ),
    Case(
        "merge-key",
        "version: 2\nsources: {<<: {a: 1}}\n",
        "line 2, column 11: '<<' has a special meaning in YAML; put it in quotes.",
    ),
    # The file itself.
    Case(
        "over-2-mib",
        b"#" * (loader.MAX_BYTES + 1),
        "is larger than the 2 MiB limit for data files.",
    ),
    Case("directory", _directory, "is a directory; give the path of a YAML data file."),
    Case(
        "missing",
        _missing,
        "file not found. Check the path (given as FILE, with --data or in $KETACOMPARE_DATA).",
    ),
    Case(
        "latin-1",
        b"version: 2\ntitle: caf\xe9\n",
        "is not UTF-8 text (bad byte at offset 21). Save it as UTF-8.",
    ),
    Case(
        "empty",
        b"",
        "is empty. A data file needs version, sources, factors, comparisons.",
    ),
    Case(
        "blank",
        b" \n\n\t\n",
        "is empty. A data file needs version, sources, factors, comparisons.",
    ),
    Case(
        "comments-only",
        "# nothing here yet\n---\n",
        "has no data, only comments. A data file needs version, sources, factors, comparisons.",
    ),
    Case(
        "binary-nul",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        "looks like a binary file (it contains NUL bytes), not YAML text.",
    ),
    Case(
        "top-level-list",
        "- version\n- sources\n",
        "the top level must be a mapping (version, sources, ...); found a list.",
    ),
    Case(
        "top-level-scalar",
        "just some words\n",
        "the top level must be a mapping (version, sources, ...); found a single value.",
    ),
    Case(
        "10000-nested-flow-lists",
        "version: " + "[" * 10_000 + "]" * 10_000 + "\n",
        "line 1, column 1009: nested more than 64 levels deep.",
    ),
    Case(
        "deep-block-lists",
        "version:\n" + "".join(" " * i + "-\n" for i in range(1, 100)),
        "line 65, column 65: nested more than 64 levels deep.",
    ),
    Case(
        "too-many-values",
        "version: [" + "1," * loader.MAX_NODES + "1]\n",
        f"line 1, column {2 * loader.MAX_NODES + 5}: more than {loader.MAX_NODES:,} values "
        "(keys, list items and texts); a data file is far smaller than that.",
    ),
    Case(
        "second-document",
        "version: 2\n---\nversion: 2\n",
        "line 2, column 1: a second YAML document ('---'); a data file holds exactly one.",
    ),
    Case(
        "syntax",
        "version: 2\nsources: [a, b\nfactors: {}\n",
        "invalid YAML at line 3, column 8: did not find expected ',' or ']'.",
    ),
    Case(
        "raw-escape-byte",  # YAML forbids it; the message must not echo it either
        b"version: 2\ntitle: a\x1b[31mb\n",
        "invalid YAML at line 2, column 9: the control character U+001B is not allowed in "
        "YAML text; remove it.",
    ),
    Case(
        "tab-indent",
        "version: 2\nsources:\n\tart: {}\n",
        "invalid YAML at line 3, column 1: found character that cannot start any token.",
    ),
    Case(
        "duplicate-key",
        mini_with("    title: A trial\n", "    title: A trial\n    title: Again\n"),
        "line 14, column 5: duplicate key 'title'; each key may appear once in a mapping.",
    ),
    # YAML 1.1 booleans, numbers and dates where text is expected: never silently kept.
    Case(
        "no-as-text",
        mini_with("label: Onset", "label: no"),
        "factors.onset.label: expected text; found the YAML boolean `no` (read as false). "
        f'{QUOTE_IT} ("no") if it is meant as text.',
    ),
    Case(
        "on-as-text",
        mini_with("label: Convenience", "label: on"),
        "factors.convenience.label: expected text; found the YAML boolean `on` "
        f'(read as true). {QUOTE_IT} ("on") if it is meant as text.',
    ),
    Case(
        "yes-as-text",
        mini_with("name: IV infusion", "name: yes"),
        "comparisons.routes.subjects.iv.name: expected text; found the YAML boolean `yes` "
        f'(read as true). {QUOTE_IT} ("yes") if it is meant as text.',
    ),
    Case(
        "number-as-text",
        mini_with('text: "100%"', "text: 100"),
        "comparisons.routes.subjects.iv.cells.bioavailability[0].text: expected text; "
        f'found the int `100`. {QUOTE_IT} ("100") if it is meant as text.',
    ),
    Case(
        "float-as-text",
        mini_with("text: Conversation", "text: 1.5"),
        "comparisons.therapies.subjects.talk.cells.methodology[0].text: expected text; "
        f'found the float `1.5`. {QUOTE_IT} ("1.5") if it is meant as text.',
    ),
    Case(
        "date-as-text",
        mini_with("text: Ketamine plus therapy", "text: 2020-01-01"),
        "comparisons.therapies.subjects.kap.cells.methodology[0].text: expected text; "
        f'found the date `2020-01-01`. {QUOTE_IT} ("2020-01-01") if it is meant as text.',
    ),
    Case(
        "impossible-date-as-text",  # matches YAML's date pattern, but month 13 crashes datetime
        mini_with("title: A trial", "title: 2020-13-45"),
        "sources.trial.title: expected text; found the invalid date `2020-13-45`. "
        f'{QUOTE_IT} ("2020-13-45") if it is meant as text.',
    ),
    Case(
        "no-as-key",
        mini_with("factors:\n", "factors:\n  no: {label: x, description: y}\n"),
        "factors.no: invalid id: found the YAML boolean `no` (read as false); ids are text "
        "of letters, digits, '-', '_' or '.', starting with a letter or digit. Quote keys "
        "like no/on/yes.",
    ),
    # Shape of the model.
    Case(
        "unknown-key",
        mini_with("    title: A clinic article\n", "    title: A clinic article\n    titel: x\n"),
        f"sources.art.titel: unknown key 'titel'. Did you mean 'title'? {KEYS}",
    ),
    Case(
        "missing-field",
        mini_with("    subject_label: Route\n", ""),
        "comparisons.routes.subject_label: missing required field 'subject_label' "
        "(What a column is, e.g. Route.).",
    ),
    Case(
        "wrong-type",
        mini_with("year: 2020", "year: twenty"),
        "sources.trial.year: expected a whole number; found the text 'twenty'.",
    ),
    Case(
        "wrong-type-list",
        mini_with("aliases: [speed]", "aliases: speed"),
        "factors.onset.aliases: expected a list; found the text 'speed'.",
    ),
    Case(
        "infinite-number",
        mini_with("year: 2020", "year: .inf"),
        "sources.trial.year: expected a whole number; found the float `.inf`.",
    ),
    Case(
        "unknown-choice",
        mini_with("kind: trial", "kind: trail"),
        "sources.trial.kind: expected one of 'label', 'guideline', 'trial', 'review', "
        "'study', 'reference', 'news', 'clinic'; found the text 'trail'. "
        "Did you mean 'trial'?",
    ),
    # Issue 14: values that cost too much, or that views could not show.
    Case(
        "base-60-number",  # PyYAML converts 1:1:1:... in quadratic time (345 s at 2 MiB)
        mini_with("version: 2", "version: " + "1:" * 5_000 + "1"),
        "version: expected one of 2; found a number 10,001 characters long "
        "(`1:1:1:1:1:1:1:1:1:1…`).",
    ),
    Case(
        "hex-year",  # passed validate, then views crashed on str() of a 5,000-digit int
        mini_with("year: 2020", "year: 0x" + "f" * 5_000),
        "sources.trial.year: expected a whole number; found a number 5,002 characters long "
        "(`0xfffffffffffffffff…`).",
    ),
    Case(
        "five-digit-year",
        mini_with("year: 2020", "year: 20200"),
        "sources.trial.year: expected a year from 1000 to 9999; found the int `20200`.",
    ),
    Case(
        "control-character-after-accents",  # the column counts characters, not bytes
        "version: 2\ntitle: éé\x1bx\n".encode(),
        "invalid YAML at line 2, column 10: the control character U+001B is not allowed in "
        "YAML text; remove it.",
    ),
    Case(
        "alias-not-an-id",  # completion would offer it to the shell as typed
        mini_with("aliases: [speed]", "aliases: ['$(touch x)']"),
        "factors.onset.aliases[0]: expected a name of letters, digits, '-', '_' or '.', "
        "starting with a letter or digit (it is typed on the command line); found the text "
        "'$(touch x)'.",
    ),
    Case(
        "preset-twice",
        mini_with("kap-vs-talk: [kap, talk]", "kap-vs-talk: [kap, talk, kap]"),
        "comparisons.therapies.presets.kap-vs-talk[2]: 'kap' is listed twice; list it once.",
    ),
    Case(
        "preset-empty",
        mini_with("kap-vs-talk: [kap, talk]", "kap-vs-talk: []"),
        "comparisons.therapies.presets.kap-vs-talk: a preset needs at least one subject; add some.",
    ),
    Case(
        "utf-16",
        MINI_TEXT.encode("utf-16"),
        "is UTF-16 text; save it as UTF-8.",
    ),
    Case(
        "utf-16-no-bom",
        MINI_TEXT.encode("utf-16-le"),
        "is UTF-16 text; save it as UTF-8.",
    ),
    Case(
        "noncharacter",
        mini_with("name: IV infusion", 'name: "IV\\uffff infusion"'),
        "comparisons.routes.subjects.iv.name: found the noncharacter U+FFFF, which is not "
        "text (often a sign of a broken conversion); remove it.",
    ),
    Case(
        "only-invisible",
        mini_with("label: Onset", 'label: "\\u200b\\u200d\\u2060"'),
        "factors.onset.label: expected visible text; found only invisible characters "
        "(U+200B, ...). Write the text out, or remove the entry.",
    ),
    Case(
        "long-label",  # repeated on every card: 1,000 routes x a long label took 24 s
        mini_with("label: Onset", "label: " + "Onset " * 14 + "x"),
        "factors.onset.label: expected at most 80 characters (it is a heading, shown on "
        "every card); found 85. Put the detail in a description or a fact.",
    ),
    # References.
    Case(
        "unknown-factor",
        mini_with("          convenience:\n", "          convenince:\n"),
        "comparisons.routes.subjects.im.cells.convenince: unknown factor 'convenince'. "
        "Did you mean 'convenience'? Declared factors: onset, convenience, bioavailability, "
        "methodology.",
    ),
    Case(
        "unknown-source",
        mini_with(
            "              sources: [trial]\n              confidence: high",
            "              sources: [trail]\n              confidence: high",
        ),
        "comparisons.routes.subjects.iv.cells.bioavailability[0].sources[0]: unknown source "
        "'trail'. Did you mean 'trial'? Declared sources: art, trial.",
    ),
    Case(
        "unknown-preset-member",
        mini_with("kap-vs-talk: [kap, talk]", "kap-vs-talk: [kap, tlak]"),
        "comparisons.therapies.presets.kap-vs-talk[1]: unknown subject 'tlak'. "
        "Did you mean 'talk'? Declared subjects: kap, talk.",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_file_is_one_line_and_exit_2(case: Case, tmp_path: Path, run: Run) -> None:
    path = case.make(tmp_path)
    result = run("routes", "--data", str(path))
    assert result.stderr == f"ketacompare: error: {path}: {case.message}\n"
    assert result.exit_code == case.code
    assert result.stdout == ""


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_validate_lists_the_same_problem(case: Case, tmp_path: Path, run: Run) -> None:
    path = case.make(tmp_path)
    result = run("validate", str(path))
    lines = result.stdout.splitlines()
    assert len(lines) == 2, result.stdout
    # "FILE: message" for file-level problems, "FILE:LINE: path: message" inside the file.
    assert lines[0].startswith(str(path))
    assert lines[0].endswith(f": {case.message}")
    assert lines[1] == f"{path}: invalid: 1 problem."
    assert result.exit_code == case.code
    assert result.stderr == ""


def test_every_case_is_distinct() -> None:
    # A copy-pasted case that tests the same thing twice would hide a missing one.
    assert len({c.id for c in CASES}) == len(CASES)
    assert len({c.message for c in CASES}) >= len(CASES) - 3  # empty/blank, comments...


# Tags are never constructed ----------------------------------------------------------


def test_python_tag_never_runs(tmp_path: Path, run: Run) -> None:
    marker = tmp_path / "hacked"
    path = tmp_path / "evil.yaml"
    path.write_text(f'version: !!python/object/apply:os.system ["touch {marker}"]\n')
    result = run("validate", str(path))
    assert result.exit_code == 2
    assert "the tag '!!python/object/apply:os.system' is not allowed" in result.stdout
    assert not marker.exists()


def test_custom_tag_constructor_is_never_called(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Even with a constructor for the tag registered on every safe loader, the loader
    refuses the tag before construction: the constructor's side effect never happens."""
    marker = tmp_path / "constructed"

    def construct(loader_: object, node: object) -> str:
        marker.write_text("constructed")
        return "x"

    for cls in {yaml.SafeLoader, getattr(yaml, "CSafeLoader", yaml.SafeLoader)}:
        constructors = dict(cls.yaml_constructors)
        constructors["!boom"] = construct
        monkeypatch.setattr(cls, "yaml_constructors", constructors)
    # The registration works: a plain safe load of the same text does call it.
    assert yaml.safe_load("a: !boom x") == {"a": "x"}
    assert marker.exists()
    marker.unlink()

    path = tmp_path / "boom.yaml"
    path.write_text("version: 2\nsources: !boom x\n")
    result = run("routes", "--data", str(path))
    assert result.stderr == (
        f"ketacompare: error: {path}: line 2, column 10: the tag '!boom' is not allowed; "
        "data files are plain YAML: remove the tag.\n"
    )
    assert result.exit_code == 2
    assert not marker.exists()


# Unreadable files --------------------------------------------------------------------

UNREADABLE = "cannot be read: permission denied. Check the file's permissions."


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read a chmod 000 file"
)
def test_unreadable_file_chmod(tmp_path: Path, run: Run) -> None:
    path = tmp_path / "locked.yaml"
    path.write_text(MINI_TEXT)
    path.chmod(0)
    try:
        result = run("routes", "--data", str(path))
    finally:
        path.chmod(0o600)
    assert result.stderr == f"ketacompare: error: {path}: {UNREADABLE}\n"
    assert result.exit_code == 2


def test_unreadable_file_permission_error(
    tmp_path: Path, run: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Works as root too: opening the file raises PermissionError, as chmod 000 would."""
    path = tmp_path / "locked.yaml"
    path.write_text(MINI_TEXT)
    real_open = Path.open

    def deny(self: Path, *args: object, **kwargs: object) -> object:
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "open", deny)
    result = run("routes", "--data", str(path))
    assert result.stderr == f"ketacompare: error: {path}: {UNREADABLE}\n"
    assert result.exit_code == 2


# The pure-Python parser (no libyaml) gives the same protection -------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (BOMB, "line 1, column 4: anchors (&a) are not allowed"),
        ('version: !!python/object/apply:os.system ["x"]\n', "the tag '!!python/object"),
        ("version: " + "[" * 10_000 + "]" * 10_000, "nested more than 64 levels deep."),
        ("version: 2\nversion: 2\n", "line 2, column 1: duplicate key 'version'"),
        ("version: 2\nsources: [a, b\nfactors: {}\n", "invalid YAML at line 3, column 8"),
    ],
)
def test_pure_python_parser(text: str, expected: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    assert loader._base_loader() is yaml.SafeLoader
    dataset, problems = loader.check(text)
    assert dataset is None
    assert len(problems) == 1
    assert expected in str(problems[0])


# Bounded memory --------------------------------------------------------------------

# VmHWM (peak resident memory) starts afresh at exec, unlike ru_maxrss, which a child
# inherits from its parent on Linux.
_MEASURE = """
import sys
from ketacompare import loader

def peak():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))

text = open(sys.argv[1], encoding="utf-8").read()
before = peak()
dataset, problems = loader.check(text)
print(len(problems), peak() - before)
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="needs Linux /proc")
@pytest.mark.slow
@pytest.mark.parametrize(
    ("text", "problems"),
    [
        # The biggest inputs that still reach the model: just under both caps. Before the
        # one-pass builder and the value cap these took 120-400 MB.
        (
            "version: 2\nupdated: 2026-12-03\nsources:\n"
            + "".join(f"  s{i}: {{kind: reference, title: no}}\n" for i in range(16_000)),
            16_002,
        ),
        ("version: [" + ",".join(map(str, range(loader.MAX_NODES))) + "]\n", 1),
    ],
    ids=["100k-values", "value-cap"],
)
def test_memory_stays_bounded(text: str, problems: int, tmp_path: Path) -> None:
    assert len(text.encode()) <= loader.MAX_BYTES
    path = tmp_path / "big.yaml"
    path.write_text(text, encoding="utf-8")
    found, grown = _check_in_a_new_process(path)
    assert found == problems
    assert grown < 64 * 1024, f"grew by {grown // 1024} MiB"


def _check_in_a_new_process(path: Path) -> tuple[int, int]:
    """(problems found, KiB the check added to the peak memory) for the file at path."""
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return int(out[0]), int(out[1])


# Issue 14: cost that grew too fast, and edges nobody tried ------------------------------
# Each test builds the hostile input (tests/hostile_gen.py makes the big ones) and counts
# the work done, or checks the result, so it fails on the old code without timing anything.
# benchmarks/hostile.py measures the same shapes at the 2 MiB cap.


def test_did_you_mean_compares_few_names_per_unknown_id(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Finding 2: 4,000 unknown x 6,000 known ids compared every pair (101 s)."""
    import difflib

    compared = 0
    set_seq1 = difflib.SequenceMatcher.set_seq1

    def counting(self: difflib.SequenceMatcher, a: str) -> None:  # type: ignore[type-arg]
        nonlocal compared
        compared += 1
        set_seq1(self, a)

    monkeypatch.setattr(difflib.SequenceMatcher, "set_seq1", counting)
    text = hostile_gen.suggestions(400_000)  # ~800 known ids, ~800 unknown
    dataset, problems = loader.check(text)
    assert dataset is None
    assert len(problems) > 700
    assert problems[0].message.startswith(
        "unknown source 'sourec-000000'. Did you mean 'source-000000'? Declared sources: "
        "source-000000, source-000001,"
    )
    # Hints for the first HINT_LIMIT problems, each against a few dozen neighbours; the rest
    # are listed without one. Before: every unknown id against every known one (640,000).
    assert compared <= errors.HINT_LIMIT * 4 * 16
    assert "Did you mean" not in problems[-1].message


def test_hints_in_a_big_name_set_still_find_typos() -> None:
    names = [f"{word}-{i:05d}" for i in range(3000) for word in ("onset",)]
    names += ["bioavailability", "convenience", "methodology"]
    hints = errors.NameHints(names)
    assert hints.closest("bioavailabilty") == "bioavailability"  # a letter left out
    assert hints.closest("xonvenience") == "convenience"  # the first letter wrong
    assert hints.closest("onset-01234") == "onset-01234"
    assert hints.closest("methodolgoy") == "methodology"  # swapped letters
    assert hints.closest("zzzz") is None
    assert hints.closest("x" * 10_000) is None  # too long to compare: no hint, no cost


class _CountingList(list):  # type: ignore[type-arg]
    membership_tests = 0

    def __contains__(self, item: object) -> bool:
        _CountingList.membership_tests += 1
        return super().__contains__(item)


def test_reference_checks_use_sets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Finding 4: each reference was looked up in a list (20,000 sources took 15 s)."""
    real_ids = loader._ids
    monkeypatch.setattr(loader, "_ids", lambda mapping: _CountingList(real_ids(mapping)))
    _CountingList.membership_tests = 0
    text = hostile_gen.many_sources(100_000)
    dataset, problems = loader.check(text)
    assert problems == []
    assert dataset is not None and len(dataset.sources) > 1000
    assert _CountingList.membership_tests == 0


def test_source_numbers_are_worked_out_once() -> None:
    """Finding 5: each [n] marker searched the list of cited sources (quadratic)."""
    from dataclasses import replace

    from ketacompare.query import comparison_grid
    from ketacompare.render import Format, Style, render

    class Counting(dict):  # type: ignore[type-arg]
        walks = 0

        def __iter__(self):  # type: ignore[no-untyped-def]
            Counting.walks += 1
            return super().__iter__()

    dataset, problems = loader.check(hostile_gen.cited_sources(60_000))
    assert dataset is not None, problems
    grid = comparison_grid(dataset, "routes")
    assert len(grid.sources) > 500
    grid = replace(grid, sources=Counting(grid.sources))
    Counting.walks = 0
    out = render(grid, Format.MARKDOWN, Style(width=100, color=False, ascii=False, cite=True))
    assert f"\\[{len(grid.sources)}\\]" in out  # the last source is numbered and cited
    assert Counting.walks <= 3  # before: one walk per cited source


def _timeline_data(names: list[str]) -> str:
    """The small fixture with routes named `names`; the first has a timeline, the second none."""
    text = mini_with("name: IV infusion", f"name: {names[0]}")
    text = text.replace("name: Intramuscular", f"name: {names[1]}", 1)
    point = (
        "        timeline:\n          - {event: peak, minutes: 30, text: Peak, sources: [trial]}\n"
    )
    return text.replace(f"        name: {names[0]}\n", f"        name: {names[0]}\n" + point, 1)


def test_timeline_pads_names_by_display_width(run: Run, write_data: Callable) -> None:
    """Finding 13: names were padded by characters, so a CJK or emoji name pushed its
    part of the chart to the right of the axis."""
    from rich.cells import cell_len

    path = write_data(_timeline_data(["Route 💉", "静脉注射"]))
    result = run("timeline", "--data", str(path), width=80)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    axis = next(line for line in lines if line.startswith("minutes"))
    untimed = next(line for line in lines if line.startswith("静脉注射"))
    assert untimed.endswith("no sourced timing"), result.stdout
    start = cell_len(untimed) - len("no sourced timing")
    assert start == cell_len(axis[: axis.index("+")])  # where the axis begins


def test_timeline_width_is_capped(run: Run, write_data: Callable) -> None:
    """Finding 15: COLUMNS=100000000 built lines that long (2-19 GB)."""
    from ketacompare.render.timeline_chart import MAX_WIDTH

    path = write_data(_timeline_data(["IV infusion", "Intramuscular"]))
    result = run("timeline", "--data", str(path), width=20_000_000)
    assert result.exit_code == 0, result.stderr
    assert max(len(line) for line in result.stdout.splitlines()) <= MAX_WIDTH
    assert "P" in result.stdout


def test_markdown_keeps_a_hash_in_names(run: Run, write_data: Callable) -> None:
    """Finding 17: a heading ending in ' #' lost it (read as the heading's closing mark)."""
    from tests.format_readers import read_markdown

    text = mini_with("title: Therapies compared", "title: 'Therapies #'")
    text = text.replace("name: Talk therapy", "name: 'Talk #'", 1)
    text = text.replace(
        "    subject_label: Therapy\n", "    subject_label: Therapy\n    layout: cards\n"
    )
    result = run("therapies", "--format", "markdown", "--data", str(write_data(text)))
    assert result.exit_code == 0, result.stderr
    headings = read_markdown(result.stdout).headings
    assert (1, "Therapies #") in headings
    assert (2, "Talk #") in headings


def test_cards_fit_35_columns(run: Run) -> None:
    """Finding 21: at COLUMNS=35 the cards came out 36 columns wide."""
    from rich.cells import cell_len

    for data, detail in itertools.product(
        (MINI, ROOT / "data" / "routes.yaml"), ([], ["--detail"])
    ):
        result = run("routes", *detail, "--data", str(data), width=35)
        assert result.exit_code == 0, result.stderr
        assert "IV infusion ─" in result.stdout  # a card's heading: cards were drawn
        assert max(cell_len(line) for line in result.stdout.splitlines()) <= 35


# Output paths (finding 18)


def test_output_with_a_trailing_slash_names_the_folder(run: Run, tmp_path: Path) -> None:
    target = f"{tmp_path}/newdir/"
    result = run("routes", "--data", str(MINI), "-o", target)
    assert result.stderr == (
        f"ketacompare: error: --output {target} names a folder (it ends in '/'); "
        f"give a file name, e.g. {tmp_path}/newdir/out.txt.\n"
    )
    assert result.exit_code == 2
    assert not (tmp_path / "newdir").exists()


def test_output_onto_the_data_file_is_refused(run: Run, tmp_path: Path) -> None:
    data = tmp_path / "data.yaml"
    data.write_text(MINI_TEXT, encoding="utf-8")
    for how in (["--data", str(data)], []):
        env = {"KETACOMPARE_DATA": str(data)} if not how else None
        result = run("routes", *how, "-F", "json", "-o", str(data), "--force", env=env)
        assert result.stderr == (
            f"ketacompare: error: --output {data} is the data file this command reads; "
            "writing there would destroy it. Give another file name.\n"
        )
        assert result.exit_code == 2
        assert data.read_text(encoding="utf-8") == MINI_TEXT


def test_a_killed_write_leaves_no_temporary_file_behind(run: Run, tmp_path: Path) -> None:
    """A write killed before its rename leaves its temporary file; the next write to that
    folder removes it once its process is gone. A live writer's file is left alone."""
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead_pid = int(gone.stdout)
    stale = tmp_path / f".out.md.ketacompare-{dead_pid}-k1ll3d.tmp"
    live = tmp_path / f".out.md.ketacompare-{os.getpid()}-w0rk1n.tmp"
    for file in (stale, live):
        file.write_text("half a tab")
        os.utime(file, (1, 1))  # long ago
    result = run("routes", "--data", str(MINI), "-o", str(tmp_path / "out.md"))
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["out.md", live.name])


def test_a_long_output_name_still_writes(run: Run, tmp_path: Path) -> None:
    """The temporary name was '.NAME.xxxxxxxx.tmp': 250 characters of NAME made it too long."""
    target = tmp_path / ("x" * 246 + ".txt")
    result = run("routes", "--data", str(MINI), "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert "not medical advice" in target.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def _record_calls(monkeypatch: pytest.MonkeyPatch, cls: type, name: str) -> list[str]:
    """Patch cls.name to record the length of the YAML text it is asked about."""
    seen: list[str] = []
    real = getattr(cls, name)

    def spy(self: object, *args: object) -> object:
        node_or_kind = args[1] if name == "resolve" else args[0]
        value = node_or_kind if isinstance(node_or_kind, str) else node_or_kind.value  # type: ignore[attr-defined]
        seen.append(value)
        return real(self, *args)

    monkeypatch.setattr(cls, name, spy)
    return seen


def test_a_long_base_60_number_never_reaches_pyyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    """Finding 1: PyYAML's resolver (150 MB) and int conversion (345 s) on 1:1:1:..."""
    resolved = _record_calls(monkeypatch, yaml.resolver.BaseResolver, "resolve")
    converted = _record_calls(monkeypatch, yaml.constructor.SafeConstructor, "construct_yaml_int")
    dataset, problems = loader.check(hostile_gen.base60(200_000))
    assert dataset is None
    assert problems[0].message.startswith("expected one of 2; found a number 199,")
    assert max(map(len, resolved + converted), default=0) <= loader.MAX_NUMBER_CHARS


def test_plain_text_and_numbers_skip_the_resolver(monkeypatch: pytest.MonkeyPatch) -> None:
    """Finding 7: every distinct value went through PyYAML's resolver regexes, so a file of
    tiny values took 1.8-5 s to reach the value cap. Plain decimal numbers and words that
    cannot be a YAML keyword are read directly."""
    resolved = _record_calls(monkeypatch, yaml.resolver.BaseResolver, "resolve")
    text = hostile_gen.tiny_values(200_000)
    raw = loader.parse_yaml(text)
    assert len(raw["version"]) > 30_000
    assert raw["version"][12_345].value == 12_345
    assert resolved == []
    # What still needs the resolver still gets it, with the same answers.
    raw = loader.parse_yaml("a: [0x1f, 1_000, 012, 1.5, no, null, 2020-01-01, Zz, '7']\n")
    kinds = [v.kind if not isinstance(v, str) else v for v in raw["a"]]
    assert kinds == ["int", "int", "int", "float", "bool", "null", "date", "Zz", "7"]
    assert [raw["a"][i].value for i in (0, 1, 2)] == [31, 1000, 10]


def test_long_label_cards_are_refused_not_drawn(run: Run, write_data: Callable) -> None:
    """Finding 3: a long factor label x many routes as cards took 24 s and 508 MB."""
    path = write_data(hostile_gen.long_label_cards(300_000))
    result = run("routes", "--all", "--data", str(path))
    assert result.exit_code == 2
    assert "factors.f.label: expected at most 80 characters" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    "shape",
    [
        # routes-1000 is 1,000 routes at any size: a scale case (5 s), so it runs with the slow.
        pytest.param(s, marks=pytest.mark.slow) if s == "routes-1000" else s
        for s in sorted(hostile_gen.SHAPES)
    ],
)
def test_every_hostile_shape_ends_cleanly(shape: str, tmp_path: Path, run: Run) -> None:
    """Each generated shape, small: validate and a view end with a result or one error."""
    path = tmp_path / f"{shape}.yaml"
    path.write_text(hostile_gen.SHAPES[shape][1](64 * 1024), encoding="utf-8")
    for args in (["validate", str(path)], ["routes", "--all", "--data", str(path)]):
        result = run(*args)
        assert result.exit_code in (0, 2), (args, result.exception)
        assert "Traceback" not in result.stderr + result.stdout
        assert "unexpected error" not in result.stderr


@pytest.mark.slow
@pytest.mark.parametrize("shape", sorted(hostile_gen.SHAPES))
def test_every_hostile_shape_at_the_size_cap(shape: str, tmp_path: Path) -> None:
    """The same at 2 MiB, in a fresh process, with its peak memory (benchmarks/hostile.py
    measures the time)."""
    path = tmp_path / f"{shape}.yaml"
    path.write_bytes(hostile_gen.SHAPES[shape][1](loader.MAX_BYTES).encode())
    assert path.stat().st_size <= loader.MAX_BYTES
    _, grown = _check_in_a_new_process(path)
    assert grown < 300 * 1024, f"grew by {grown // 1024} MiB"


@pytest.mark.parametrize("command", [["conditions"], ["show", "iv"], ["sources"], ["timeline"]])
def test_huge_columns_are_capped_for_every_view(run: Run, command: list[str]) -> None:
    """Findings 15 and the memory bound: COLUMNS=100000000 drew card rules and padding
    that long (minutes, gigabytes); the width is capped where it is read."""
    from ketacompare.output import MAX_WIDTH

    data = ROOT / "tests" / "fixtures" / "evidence.yaml"
    result = run(*command, "--data", str(data), width=100_000_000)
    assert result.exit_code == 0, result.stderr
    assert "not medical advice" in " ".join(result.stdout.split())
    assert max(len(line) for line in result.stdout.splitlines()) <= MAX_WIDTH


def _calls(routes: int, fmt: str) -> int:
    """Python and C calls made to check a generated file of `routes` routes and draw its
    routes view: work counted, so the test means the same on any machine."""
    import sys

    from ketacompare.query import comparison_grid
    from ketacompare.render import Format, Style, render

    text = hostile_gen.routes(routes, factors=20)
    calls = 0

    def count(frame: object, event: str, arg: object) -> None:
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(count)
    try:
        dataset, problems = loader.check(text)
        assert dataset is not None, problems
        out = render(comparison_grid(dataset, "routes"), Format(fmt), Style(width=80))
    finally:
        sys.setprofile(None)
    assert f"Route {routes - 1}" in out  # the last route is drawn
    return calls


# Calls per route (4 facts each), about a third of the budget today. The table before
# its fix made 21,000 (48 s for 1,000 routes here, the 19 s elsewhere).
@pytest.mark.parametrize(("fmt", "budget"), [("table", 2500), ("json", 1500)])
def test_drawing_many_routes_is_linear_work(fmt: str, budget: int) -> None:
    """Finding 6 and the scale bound: the table took 19 s on a 1,000-route file. Each
    route adds a bounded number of calls, and twice the routes cost at most twice the
    calls (a constant part makes it less); a cost per route that grows shows as more."""
    small, big = _calls(40, fmt), _calls(80, fmt)
    assert (big - small) / 40 < budget, (small, big)
    assert big / small < 2.0, (small, big)
