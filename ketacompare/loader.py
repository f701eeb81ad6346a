"""Read a data file safely and turn it into a checked Dataset.

Steps: read bytes (size cap, UTF-8) -> scan YAML events (no tags, anchors, aliases or
deep nesting) -> build Python values with the safe loader (no duplicate keys, bools
and numbers kept with their text) -> typed model -> cross-reference checks.
"""

from __future__ import annotations

import itertools
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ketacompare.errors import HINT_LIMIT, DataError, DataProblem, NameHints
from ketacompare.syntax import ID_PATTERN
from ketacompare.text import one_line

if TYPE_CHECKING:
    from ketacompare.convert import Ref
    from ketacompare.model import Dataset

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64
# Keys, list items and values. The shipped file has about 4,200 in 76 KB, so real content
# meets the 2 MiB cap first; this one stops a file of tiny values from costing seconds.
MAX_NODES = (
    250_000  # a 1,000-route x 100-factor file has ~170,000; 2 MiB of tiny values fails in ~0.3 s
)
# Timeline figures are minutes after a dose; a week covers every acute effect on file.
MAX_MINUTES = 7 * 24 * 60
_ID_RE = re.compile(ID_PATTERN)


def default_path() -> Path:
    """The shipped file: inside the installed package, or at the checkout's top level."""
    from ketacompare.completion import default_data_file

    return Path(default_data_file())


def resolve_path(option: str | os.PathLike[str] | None = None) -> Path:
    """--data wins, then $KETACOMPARE_DATA, then the shipped file (completion's rule)."""
    from ketacompare.completion import data_file

    return Path(data_file(option, os.environ))


_NOT_FOUND = "file not found. Check the path (given as FILE, with --data or in $KETACOMPARE_DATA)."


def load(option: str | os.PathLike[str] | None = None) -> Dataset:
    """Load and check a data file, or raise DataError with every problem found."""
    from ketacompare.completion import remember_dataset

    path = resolve_path(option)
    shown = one_line(path, 200)
    try:
        stat = os.stat(path)
    except (OSError, ValueError):
        stat = None  # read_text says what is wrong
    dataset, problems = check(read_text(path, shown))
    if stat is not None:  # shell completion's names come from here, not from a parse per TAB
        remember_dataset(str(path), stat, dataset)
    if problems:
        raise DataError(shown, problems)
    assert dataset is not None
    return dataset


def read_text(path: Path, shown: str) -> str:
    if path.is_dir():
        raise _fail(shown, "is a directory; give the path of a YAML data file.")
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise _os_error(shown, exc) from None
    if len(data) > MAX_BYTES:
        raise _fail(shown, "is larger than the 2 MiB limit for data files.")
    if not data.strip():
        raise _fail(shown, "is empty. A data file needs version, sources, factors, comparisons.")
    wide = _wide_encoding(data)
    if wide:
        raise _fail(shown, f"is {wide} text; save it as UTF-8.")
    if b"\x00" in data:
        raise _fail(shown, "looks like a binary file (it contains NUL bytes), not YAML text.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        message = f"is not UTF-8 text (bad byte at offset {exc.start}). Save it as UTF-8."
        raise _fail(shown, message) from None


def _wide_encoding(data: bytes) -> str:
    """'UTF-16' or 'UTF-32' when the bytes are text in one of them (with or without a byte
    order mark: a NUL beside every ASCII character), else ''. Not 'binary': an editor's
    "Unicode" setting saves this, and the fix is to save the file as UTF-8."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "UTF-32"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "UTF-16"
    head = data[: min(len(data), 64) // 4 * 4]
    if len(head) >= 8:
        for wide, step in (("UTF-32", 4), ("UTF-16", 2)):
            for first in (0, step - 1):  # big- or little-endian
                units = [head[i : i + step] for i in range(0, len(head), step)]
                if all(u[first] != 0 and u.count(0) == step - 1 for u in units):
                    return wide
    return ""


def _os_error(shown: str, exc: OSError) -> DataError:
    if isinstance(exc, FileNotFoundError):
        return _fail(shown, _NOT_FOUND)
    if isinstance(exc, PermissionError):
        return _fail(shown, "cannot be read: permission denied. Check the file's permissions.")
    return _fail(shown, f"cannot be read ({one_line(exc.strerror or exc)}).")


def check(text: str) -> tuple[Dataset | None, list[DataProblem]]:
    """Parse and check YAML text; returns the dataset or the problems found."""
    from ketacompare.convert import build

    try:
        raw = parse_yaml(text)
    except _YamlProblem as exc:
        return None, [DataProblem("", exc.message)]
    if raw is None:  # only comments, or nothing but '---'
        return None, [DataProblem("", _NO_DATA)]
    if not isinstance(raw, dict):
        found = "a list" if isinstance(raw, list) else "a single value"
        return None, [DataProblem("", _top_level(found))]
    old = _old_format(raw)
    if old:
        return None, [old]
    problems: list[DataProblem] = []
    from ketacompare.model import Dataset

    refs: list[Ref] = []
    dataset = build(Dataset, raw, problems, refs)
    # The conversion collected every name the file refers to, even where typing failed
    # around it, so one `validate` run lists every broken reference too.
    problems.extend(reference_problems(raw, refs))
    if dataset is not None:
        from ketacompare.options import link_options, options_check

        problems.extend(model_check(dataset := link_options(dataset)))
        problems.extend(options_check(dataset))
    if problems or dataset is None:
        return None, problems
    from ketacompare.basis import with_basis

    dataset = with_basis(dataset)
    problems.extend(brief_check(dataset))
    problems.extend(rating_check(dataset))
    return (None if problems else dataset), problems


# Format 1 source kinds and the closed kind each becomes in format 2.
OLD_KINDS = {
    "clinic article": "clinic",
    "randomized trial": "trial",
    "open-label study": "study",
    "case report": "study",
    "case series": "study",
    "review": "review",
    "drug label": "label",
    "regulator notice": "label",
    "news report": "news",
    "web page": "reference (or clinic, for a clinic's page)",
    "meeting abstract": "study",
    "post hoc analysis": "study",
    "clinical study": "study (or trial, for a randomised controlled trial)",
}


def _old_format(raw: dict[Any, Any]) -> DataProblem | None:
    """A format-1 file gets one message that says exactly what to change."""
    version = raw.get("version")
    if getattr(version, "value", None) != 1 or getattr(version, "kind", None) != "int":
        return None
    sources = raw.get("sources")
    kinds = [s.get("kind") for s in (sources.values() if isinstance(sources, dict) else ())]
    renames = dict.fromkeys(k for k in kinds if isinstance(k, str) and k in OLD_KINDS)
    steps = [
        "set 'version: 2'",
        "add a top-level 'updated: YYYY-MM-DD' (when you last checked the content)",
    ]
    if renames:
        steps.append(
            "change each source's kind: " + "; ".join(f"'{k}' to '{OLD_KINDS[k]}'" for k in renames)
        )
    steps.append(
        "remove 'Clinic:' or 'per the clinic' from fact texts (the program now marks a fact "
        "whose sources are all clinic pages)"
    )
    return DataProblem(
        "version",
        "this file is in data format 1; this version of ketacompare reads format 2. To "
        "update it: " + "; ".join(steps) + ". See docs/data-format.md.",
    )


_NO_DATA = "has no data, only comments. A data file needs version, sources, factors, comparisons."


def _top_level(found: str) -> str:
    return f"the top level must be a mapping (version, sources, ...); found {found}."


class _YamlProblem(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _where(mark: Any) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else "?"


def parse_yaml(text: str) -> Any:
    """YAML text to Python values, in one pass over the parser's events.

    Building values from events (instead of yaml.load) means a tag, anchor or alias is
    refused before anything is constructed, nothing is composed into a node graph (time and
    memory stay small), and duplicate keys and non-text scalars are handled on the way.
    """
    import yaml

    try:
        return _build(yaml, text)
    except _YamlProblem:
        raise
    except yaml.reader.ReaderError as exc:  # a raw control character in the text
        # libyaml gives a byte offset; find the character itself, to count in characters.
        found = re.search(_NOT_YAML, text)
        at = found.start() if found else min(exc.position, len(text))
        line = text.count("\n", 0, at) + 1
        column = at - text.rfind("\n", 0, at)
        code = ord(found.group()) if found else ord(text[at : at + 1] or "\0")
        what = "control character" if code < 0x20 or 0x7F <= code < 0xA0 else "character"
        raise _YamlProblem(
            f"invalid YAML at line {line}, column {column}: the {what} "
            f"U+{code:04X} is not allowed in YAML text; remove it."
        ) from None
    except yaml.MarkedYAMLError as exc:
        problem = one_line(exc.problem or exc.context or "invalid YAML", 120)
        if problem == "exceeded maximum nesting depth":  # libyaml's own limit (1000)
            where = _where(exc.problem_mark)
            raise _YamlProblem(f"{where}: nested more than {MAX_DEPTH} levels deep.") from None
        raise _YamlProblem(f"invalid YAML at {_where(exc.problem_mark)}: {problem}.") from None
    except yaml.YAMLError as exc:
        raise _YamlProblem(f"invalid YAML: {one_line(exc, 160)}.") from None
    except RecursionError:
        raise _YamlProblem("the document is nested too deeply.") from None


# What YAML 1.1 does not allow in a stream (its "printable" set, inverted). Compiled only
# when a file has one: compiling it costs 10 ms, on every run.
_NOT_YAML = "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
# Longer number texts are never figures in a data file. PyYAML converts a base-60 number
# (1:1:1:...) in quadratic time: a 2 MiB one took 345 s. Refused before converting.
MAX_NUMBER_CHARS = 40
_NUMBERISH = re.compile(r"[-+.]?[0-9][0-9a-fA-FxXoObB_:.+-]*")
_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
# Explicit tags a data file may use: only ones that say "text", "mapping" or "list".
# Any other tag (!!python/..., !!binary, !!int "x", !custom) is refused before construction.
_ALLOWED_TAGS = frozenset({"!", _STR, _MAP, _SEQ})
# Plain scalars YAML reads as something other than text: kept with their text (YamlScalar)
# so the model can say "found the YAML boolean `no`; put it in quotes".
_SCALARS = {
    "tag:yaml.org,2002:bool": ("bool", "construct_yaml_bool"),
    "tag:yaml.org,2002:int": ("int", "construct_yaml_int"),
    "tag:yaml.org,2002:float": ("float", "construct_yaml_float"),
    "tag:yaml.org,2002:timestamp": ("date", "construct_yaml_timestamp"),
    "tag:yaml.org,2002:null": ("null", "construct_yaml_null"),
}
_KIND_WORDS = {"bool": "boolean", "int": "number", "float": "number", "date": "date"}


def _short_tag(tag: str) -> str:
    prefix = "tag:yaml.org,2002:"
    return "!!" + tag[len(prefix) :] if tag.startswith(prefix) else tag


def _base_loader() -> Any:
    """The C safe loader when PyYAML has it, else the pure-Python safe loader."""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _build(yaml: Any, text: str) -> Any:
    """The event loop. Hot: a 2 MiB file holds up to MAX_NODES values, so each event does
    the least it can: class identity tests, the open container kept in local variables,
    quoted text taken as is, equal plain texts resolved once, and the value cap counted
    before any conversion. Rare cases (tags, anchors, the first node) go to _check_node."""
    from ketacompare.syntax import YamlScalar

    resolver = yaml.resolver.Resolver()
    constructor = yaml.constructor.SafeConstructor()
    scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
    map_start, seq_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
    ends = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    get_event = _base_loader()(text).get_event
    # The open container is `into` (a dict or list) with `key`: in a mapping, _KEY while a
    # key comes next, else the key whose value comes next; _LIST in a list. Outer ones wait
    # on `stack`.
    stack: list[tuple[Any, Any]] = []
    into: Any = None
    key: Any = _LIST
    root: Any = _UNSEEN
    plain: dict[str, Any] = {}  # YamlScalar is never changed, so equal texts share one
    nodes = documents = 0
    while (event := get_event()) is not None:
        cls = event.__class__
        if cls is scalar_event:
            nodes += 1
            tag = event.tag
            if nodes > MAX_NODES or nodes == 1 or tag is not None or event.anchor is not None:
                _check_node(yaml, event, nodes)
            if tag is not None:
                value = _scalar(yaml, resolver, constructor, event, YamlScalar)
            elif event.implicit[0]:  # plain: same text, same value
                value = plain.get(event.value, _UNSEEN)
                if value is _UNSEEN:
                    value = _scalar(yaml, resolver, constructor, event, YamlScalar)
                    plain[event.value] = value
            else:  # quoted, with no tag: always text
                value = event.value
            if key is _KEY:
                if value in into:
                    raise _refused(event, "duplicate key", value)
                key = value
                continue
        elif cls is map_start or cls is seq_start:
            nodes += 1
            if nodes > MAX_NODES or nodes == 1 or event.tag or event.anchor is not None:
                _check_node(yaml, event, nodes)
            if key is _KEY:
                raise _refused(event, "collection key")
            if len(stack) >= MAX_DEPTH:
                raise _refused(event, "too deep")
            stack.append((into, key))
            into, key = ({}, _KEY) if cls is map_start else ([], _LIST)
            continue
        elif cls in ends:
            value = into
            into, key = stack.pop()
        elif cls is alias_event:
            raise _refused(event, "alias")
        elif cls is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _refused(event, "second document")
            continue
        else:
            continue
        if into is None:
            root = value
        elif key is _LIST:
            into.append(value)
        else:
            into[key] = value
            key = _KEY
    return None if root is _UNSEEN else root


_KEY = object()
_LIST = object()
_UNSEEN = object()


def _check_node(yaml: Any, event: Any, nodes: int) -> None:
    """The checks few nodes need: the value cap, anchors, tags, and the top level."""
    if nodes > MAX_NODES:
        raise _refused(event, "too many")
    if event.anchor is not None:
        raise _refused(event, "anchor")
    if event.tag is not None:
        _check_tag(yaml, event)
    if nodes == 1:
        _check_top(yaml, event)


def _refused(event: Any, why: str, value: Any = None) -> _YamlProblem:
    """The message for a YAML feature or size a data file may not use (only on error, so
    the hot loop above stays short)."""
    from ketacompare.syntax import YamlScalar

    where = _where(event.start_mark)
    if why == "too many":
        return _YamlProblem(
            f"{where}: more than {MAX_NODES:,} values (keys, list items and texts); "
            "a data file is far smaller than that."
        )
    if why == "anchor":
        return _YamlProblem(
            f"{where}: anchors (&{one_line(event.anchor)}) are not allowed; write each value out."
        )
    if why == "alias":
        return _YamlProblem(
            f"{where}: aliases (*{one_line(event.anchor)}) are not allowed; write the value out."
        )
    if why == "collection key":
        return _YamlProblem(f"{where}: a key must be a plain value, not a list or mapping.")
    if why == "too deep":
        return _YamlProblem(f"{where}: nested more than {MAX_DEPTH} levels deep.")
    if why == "duplicate key":
        shown = value.text if isinstance(value, YamlScalar) else value
        return _YamlProblem(
            f"{where}: duplicate key '{one_line(shown)}'; each key may appear once in a mapping."
        )
    return _YamlProblem(f"{where}: a second YAML document ('---'); a data file holds exactly one.")


def _check_tag(yaml: Any, event: Any) -> None:
    tag = event.tag
    if tag is None or tag == "!":
        return
    if tag not in _ALLOWED_TAGS:
        raise _YamlProblem(
            f"{_where(event.start_mark)}: the tag '{one_line(_short_tag(tag))}' is not "
            "allowed; data files are plain YAML: remove the tag."
        )
    fits = {yaml.ScalarEvent: _STR, yaml.MappingStartEvent: _MAP, yaml.SequenceStartEvent: _SEQ}
    if fits.get(type(event)) != tag:
        raise _YamlProblem(
            f"{_where(event.start_mark)}: the tag '{_short_tag(tag)}' does not fit the value "
            "after it; remove the tag."
        )


def _check_top(yaml: Any, event: Any) -> None:
    if isinstance(event, yaml.MappingStartEvent):
        return
    if isinstance(event, yaml.ScalarEvent) and event.value == "" and event.implicit[0]:
        raise _YamlProblem(_NO_DATA)
    found = "a list" if isinstance(event, yaml.SequenceStartEvent) else "a single value"
    raise _YamlProblem(_top_level(found))


def _scalar(yaml: Any, resolver: Any, constructor: Any, event: Any, scalar_cls: Any) -> Any:
    tag = event.tag
    value = event.value
    if tag is None and event.implicit[0]:  # plain: resolved the way yaml's composer does
        if len(value) > MAX_NUMBER_CHARS and _NUMBERISH.fullmatch(value):
            # Before the resolver: its base-60 pattern alone takes 150 MB on such a value.
            return scalar_cls("long number", value, None)
        if value.isascii() and value.isdigit() and (value[0] != "0" or value == "0"):
            return scalar_cls("int", value, int(value))
        if value and value[0] not in resolver.yaml_implicit_resolvers:
            return value  # starts with a letter no number, date or keyword starts with
    if tag is None or tag == "!":
        tag = resolver.resolve(yaml.ScalarNode, event.value, event.implicit)
    if tag == _STR:
        return event.value
    if tag not in _SCALARS:  # '<<' (merge) and '=' (value) have special meanings
        raise _YamlProblem(
            f"{_where(event.start_mark)}: '{one_line(event.value)}' has a special meaning in "
            "YAML; put it in quotes."
        )
    kind, method = _SCALARS[tag]
    if kind in ("int", "float") and len(event.value) > MAX_NUMBER_CHARS:
        return scalar_cls("long number", event.value, None)
    node = yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
    try:
        return scalar_cls(kind, event.value, getattr(constructor, method)(node))
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError):
        # Looks like a number or date but is not one (0x_, 2020-13-45): keep the text so
        # the model can say "found the invalid date `2020-13-45`; put it in quotes".
        return scalar_cls(f"invalid {_KIND_WORDS.get(kind, kind)}", event.value, None)


def _fail(shown: str, message: str) -> DataError:
    return DataError(shown, [DataProblem("", message)])


# Cross-reference checks ---------------------------------------------------------------


def model_check(data: Dataset) -> list[DataProblem]:
    """What needs the typed model: names used twice, timeline minutes in range, presets.

    (Unknown factors, sources, preset members and routes: see reference_problems.)
    """
    problems: list[DataProblem] = []
    factor_names: dict[str, str] = {}
    for key, factor in data.factors.items():
        for name in (key, *factor.aliases):
            other = factor_names.setdefault(name.lower(), key)
            if other != key or (name != key and name.lower() == key.lower()):
                problems.append(
                    DataProblem(f"factors.{key}", f"the name '{name}' is also used by '{other}'.")
                )
    for ckey in data.comparison_keys():
        comparison = data.comparison(ckey)
        assert comparison is not None
        names: dict[str, str] = {}
        for skey, subject in comparison.subjects.items():
            spath = f"comparisons.{ckey}.subjects.{skey}"
            for name in (skey, *subject.aliases):
                other = names.setdefault(name.lower(), skey)
                if other != skey:
                    problems.append(
                        DataProblem(spath, f"the name '{name}' is also used by '{other}'.")
                    )
            problems.extend(_timeline_check(spath, subject))
        problems.extend(_preset_check(ckey, comparison))
    return problems


def _preset_check(ckey: str, comparison: Any) -> list[DataProblem]:
    """A preset names at least one subject, each once."""
    problems: list[DataProblem] = []
    for pkey, members in comparison.presets.items():
        path = f"comparisons.{ckey}.presets.{pkey}"
        if not members:
            problems.append(DataProblem(path, "a preset needs at least one subject; add some."))
        seen: set[str] = set()
        for i, member in enumerate(members):
            if member in seen:
                problems.append(
                    DataProblem(f"{path}[{i}]", f"'{member}' is listed twice; list it once.")
                )
            seen.add(member)
    return problems


def _timeline_check(spath: str, subject: Any) -> list[DataProblem]:
    """Minutes from 0 to a week, a range low to high."""
    problems: list[DataProblem] = []
    for i, point in enumerate(subject.timeline):
        span = point.minutes if isinstance(point.minutes, tuple) else (point.minutes,)
        if (
            len(span) not in (1, 2)
            or min(span) < 0
            or max(span) > MAX_MINUTES
            or span != tuple(sorted(span))
        ):
            problems.append(
                DataProblem(
                    f"{spath}.timeline[{i}].minutes",
                    f"expected minutes from 0 to {MAX_MINUTES:,} (one week), or "
                    "[low, high] with low <= high.",
                )
            )
    return problems


def brief_check(data: Dataset) -> list[DataProblem]:
    """A brief fact stands alone in the short view, so whose claim it is must be plain:
    it may not mix a clinic's pages with other sources."""
    problems: list[DataProblem] = []
    kinds = {sid: source.kind for sid, source in data.sources.items()}
    for ckey in data.comparison_keys():
        comparison = data.comparison(ckey)
        assert comparison is not None
        for skey, subject in comparison.subjects.items():
            for fkey, facts in subject.cells.items():
                for i, fact in enumerate(facts):
                    mixed = {kinds[s] == "clinic" for s in fact.sources}
                    if fact.brief and len(mixed) > 1:
                        problems.append(
                            DataProblem(
                                f"comparisons.{ckey}.subjects.{skey}.cells.{fkey}[{i}].sources",
                                "a brief fact may not mix clinic pages with other sources; "
                                "split it into two facts, each citing only its own sources.",
                            )
                        )
    return problems


def rating_check(data: Dataset) -> list[DataProblem]:
    """A preference rating decides a wish only on published sources (`choose.answer`), so
    it may not mix a clinic's pages with them: the clinic's words would borrow their basis."""
    kinds = {sid: source.kind for sid, source in data.sources.items()}
    return [
        DataProblem(
            f"preferences.{pkey}.ratings.{rkey}.sources",
            "a rating may not mix clinic pages with other sources, since only published "
            "sources decide a wish. Cite the published source alone, or write "
            "'rating: not-known' and cite the clinic alone to show its claim.",
        )
        for pkey, pref in data.preferences.items()
        for rkey, rating in pref.ratings.items()
        if len({kinds.get(s) == "clinic" for s in rating.sources}) > 1
    ]


class _Declared:
    """The declared names of one kind (sources, factors, ...): a dict for membership, and
    the 'did you mean' index and the listing worked out once, on the first unknown name,
    so thousands of broken references cost linear time."""

    def __init__(self, what: str, mapping: Any) -> None:
        self.what = what
        self.names = dict.fromkeys(_ids(mapping))
        self._hints: NameHints | None = None
        self._listing = ""

    def __bool__(self) -> bool:
        return bool(self.names)

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def unknown(self, path: str, name: str, hint: bool = True) -> DataProblem:
        if self._hints is None:
            self._hints = NameHints(self.names)
            shown = list(itertools.islice(self.names, 13))
            self._listing = ", ".join(shown[:12]) + (", ..." if len(shown) > 12 else "")
        message = f"unknown {self.what} '{one_line(name)}'."
        guess = self._hints.closest(name) if hint else None
        if guess:
            message += f" Did you mean '{guess}'?"
        return DataProblem(path, f"{message} Declared {self.what}s: {self._listing}.")


def reference_problems(raw: dict[Any, Any], refs: list[Ref]) -> list[DataProblem]:
    """Each name the conversion met (a source id, a factor key, ...) that the file does not
    declare: one pass over the names, in file order, with a 'did you mean'."""
    from ketacompare.convert import path_text

    comparisons = _map(raw.get("comparisons"))
    declared = {
        "source": _Declared("source", raw.get("sources")),
        "factor": _Declared("factor", raw.get("factors")),
        "route": _Declared("route", _map(comparisons.get("routes")).get("subjects")),
        "option": _Declared(
            "option", {"any": None, **_map(_map(comparisons.get("options")).get("subjects"))}
        ),
    }
    problems: list[DataProblem] = []
    for kind, path, name in refs:
        if kind == "subject":  # a preset member: a subject of the same comparison
            ckey = path_text(path).split(".")[1]
            if ckey not in declared:
                declared[ckey] = _Declared("subject", _map(comparisons.get(ckey)).get("subjects"))
            names = declared[ckey]
        else:
            names = declared[kind]
        if names and name not in names:
            # Past HINT_LIMIT problems, no more "did you mean": listing stays fast.
            problems.append(names.unknown(path_text(path), name, len(problems) < HINT_LIMIT))
    return problems


def _map(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def _ids(mapping: Any) -> list[str]:
    """The valid id keys of a raw mapping, in file order ([] when it is not a mapping).

    Invalid ids were reported by typing; skipping them keeps this pass from repeating it.
    """
    if not isinstance(mapping, dict):
        return []
    return [k for k in mapping if isinstance(k, str) and _ID_RE.match(k)]


# `ketacompare validate` ----------------------------------------------------------------


class Report:
    """The outcome of checking one file: the dataset, or every problem with its line."""

    def __init__(
        self, shown: str, dataset: Dataset | None, problems: list[DataProblem], lines: list[int]
    ) -> None:
        self.shown = shown
        self.dataset = dataset
        self.problems = problems
        self.lines = lines  # 1-based line per problem; 0 when not known


def validate(option: str | os.PathLike[str] | None = None) -> Report:
    """Check a file and report every problem in it, without raising for them."""
    path = resolve_path(option)
    shown = one_line(path, 200)
    try:
        text = read_text(path, shown)
    except DataError as exc:
        return Report(shown, None, exc.problems, [0] * len(exc.problems))
    dataset, problems = check(text)
    lines = locate(text, [p.path for p in problems])
    # In file order, so the list reads top to bottom (sorted() is stable for ties).
    pairs = sorted(zip(problems, lines, strict=True), key=lambda pair: pair[1])
    return Report(shown, dataset, [p for p, _ in pairs], [n for _, n in pairs])


def _ancestors(path: str) -> list[str]:
    """'a.b[0].c' -> ['a.b[0].c', 'a.b[0]', 'a.b', 'a']: the nearest node that exists."""
    cuts = [m.start() for m in _STEP.finditer(path, 1)]
    return [path, *(path[:i] for i in reversed(cuts))]


_STEP = re.compile(r"[.\[]")


def locate(text: str, paths: list[str]) -> list[int]:
    """The line of each problem path (or its nearest existing parent); 0 when unknown.

    A second walk over the YAML events, done only when there are problems to show, that
    only remembers the paths asked for, so memory stays small on big files.
    """
    import yaml

    from ketacompare.convert import join

    if not any(paths):
        return [0] * len(paths)
    chains = {p: _ancestors(p) for p in paths if p}
    wanted = {a for chain in chains.values() for a in chain}
    found: dict[str, int] = {}
    # Frames: [path, kind, next index or key, expecting a key]
    stack: list[list[Any]] = []
    try:
        for event in yaml.parse(text, Loader=_base_loader()):
            if isinstance(event, yaml.CollectionEndEvent):
                stack.pop()
                continue
            if not isinstance(event, yaml.NodeEvent):
                continue
            path = ""
            if stack:
                frame = stack[-1]
                if frame[1] == "seq":
                    path = join(frame[0], frame[2])
                    frame[2] += 1
                elif frame[3]:  # a key: its line is where the entry starts
                    key = event.value if isinstance(event, yaml.ScalarEvent) else "?"
                    frame[2] = key if _ID_RE.match(key) else one_line(key)
                    path = join(frame[0], frame[2])
                else:
                    path = join(frame[0], frame[2])
                if frame[1] == "map":
                    frame[3] = not frame[3]
            if path in wanted and path not in found:
                found[path] = event.start_mark.line + 1
            if isinstance(event, yaml.MappingStartEvent):
                stack.append([path, "map", "", True])
            elif isinstance(event, yaml.SequenceStartEvent):
                stack.append([path, "seq", 0, False])
    except (yaml.YAMLError, IndexError):
        pass
    return [next((found[a] for a in chains[p] if a in found), 0) if p else 0 for p in paths]
