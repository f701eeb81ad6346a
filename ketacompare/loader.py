"""Read a data file safely and turn it into a checked Dataset.

Steps: read bytes (size cap, UTF-8) -> scan YAML events (no tags, anchors, aliases or
deep nesting) -> build Python values with the safe loader (no duplicate keys, bools
and numbers kept with their text) -> typed model -> cross-reference checks.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ketacompare.errors import DataError, DataProblem, closest
from ketacompare.model import Dataset
from ketacompare.text import one_line

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64
ENV_VAR = "KETACOMPARE_DATA"

_cache: dict[tuple[str, int, int], Dataset] = {}


def default_path() -> Path:
    """The shipped file: inside the installed package, or at the checkout's top level.

    An editable install does not see hatchling's force-include, hence the fallback.
    """
    here = Path(__file__).resolve().parent
    packaged = here / "data" / "routes.yaml"
    return packaged if packaged.is_file() else here.parent / "data" / "routes.yaml"


def resolve_path(option: str | os.PathLike[str] | None = None) -> Path:
    """--data wins, then $KETACOMPARE_DATA, then the shipped file."""
    chosen = option if option not in (None, "") else os.environ.get(ENV_VAR) or None
    return Path(chosen) if chosen is not None else default_path()


_NOT_FOUND = "file not found. Check the path given with --data or $KETACOMPARE_DATA."


def load(option: str | os.PathLike[str] | None = None) -> Dataset:
    """Load and check a data file, or raise DataError with every problem found."""
    path = resolve_path(option)
    shown = one_line(path, 200)
    try:
        stat = path.stat()
    except OSError as exc:
        raise _os_error(shown, exc) from None
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key in _cache:
        return _cache[key]
    dataset, problems = check(read_text(path, shown))
    if problems:
        raise DataError(shown, problems)
    _cache[key] = dataset
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
    if b"\x00" in data:
        raise _fail(shown, "looks like a binary file (it contains NUL bytes), not YAML text.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        message = f"is not UTF-8 text (bad byte at offset {exc.start}). Save it as UTF-8."
        raise _fail(shown, message) from None


def _os_error(shown: str, exc: OSError) -> DataError:
    if isinstance(exc, FileNotFoundError):
        return _fail(shown, _NOT_FOUND)
    if isinstance(exc, PermissionError):
        return _fail(shown, "cannot be read: permission denied. Check the file's permissions.")
    return _fail(shown, f"cannot be read ({one_line(exc.strerror or exc)}).")


def check(text: str) -> tuple[Dataset | None, list[DataProblem]]:
    """Parse and check YAML text; returns the dataset or the problems found."""
    from ketacompare.typed import build

    try:
        raw = parse_yaml(text)
    except _YamlProblem as exc:
        return None, [DataProblem("", exc.message)]
    if not isinstance(raw, dict):
        found = "a list" if isinstance(raw, list) else "a single value"
        return None, [
            DataProblem(
                "", f"the top level must be a mapping (version, sources, ...); found {found}."
            )
        ]
    problems: list[DataProblem] = []
    dataset = build(Dataset, raw, problems)
    if dataset is not None:
        problems.extend(cross_check(dataset))
    return (None if problems else dataset), problems


class _YamlProblem(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _where(mark: Any) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else "?"


def parse_yaml(text: str) -> Any:
    import yaml

    try:
        try:
            return _parse_fast(yaml, text)
        except _Unusual:
            pass
        # The general path: scan every event, then let StrictLoader build the values.
        loader_cls = _strict_loader()
        _scan_events(yaml, loader_cls, text)
        return yaml.load(text, Loader=loader_cls)  # StrictLoader: a CSafeLoader/SafeLoader
    except _YamlProblem:
        raise
    except yaml.MarkedYAMLError as exc:
        problem = one_line(exc.problem or exc.context or "invalid YAML", 120)
        raise _YamlProblem(f"invalid YAML at {_where(exc.problem_mark)}: {problem}.") from None
    except yaml.YAMLError as exc:
        raise _YamlProblem(f"invalid YAML: {one_line(exc, 160)}.") from None
    except RecursionError:
        raise _YamlProblem("the document is nested too deeply.") from None


class _Unusual(Exception):
    """Something only the general path handles (and words errors for) exactly."""


_STD_TAG = "tag:yaml.org,2002:"
_STR_TAG = _STD_TAG + "str"
_KEEP = {  # non-text scalars: kept as YamlScalar(kind, text, value), as StrictLoader does
    _STD_TAG + "bool": ("bool", "construct_yaml_bool"),
    _STD_TAG + "int": ("int", "construct_yaml_int"),
    _STD_TAG + "float": ("float", "construct_yaml_float"),
    _STD_TAG + "timestamp": ("date", "construct_yaml_timestamp"),
    _STD_TAG + "null": ("null", "construct_yaml_null"),
}
_NO_KEY = object()


class _MapFrame:
    """An open mapping, and its key while the value is being read."""

    __slots__ = ("key", "mapping")

    def __init__(self, mapping: dict[Any, Any]) -> None:
        self.mapping = mapping
        self.key: Any = _NO_KEY


def _parse_fast(yaml: Any, text: str) -> Any:
    """Parse once: _scan_events' checks and StrictLoader's values in one pass over the events.

    Start-up speed (issue 7): the general path parses the text twice. This one handles
    plain data files: one document, no explicit tags, no merge keys, no duplicate or
    complex keys. On anything else it raises _Unusual and the general path takes over,
    so results and messages stay exactly those of the general path. The checks the scan
    makes (aliases, anchors, unknown tags, depth) raise here the same _YamlProblem.
    """
    from ketacompare.typed import YamlScalar

    parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        return _build_values(yaml, parser.get_event, YamlScalar)
    finally:
        parser.dispose()


def _build_values(yaml: Any, next_event: Any, yaml_scalar: type) -> Any:
    # Implicit tags of plain scalars, as yaml's Resolver.resolve finds them (inlined: it
    # runs for every scalar in the file).
    implicit_tags = yaml.resolver.Resolver.yaml_implicit_resolvers
    wildcard = implicit_tags.get(None, [])
    constructor = yaml.constructor.SafeConstructor()
    scalar_event, alias_event = yaml.ScalarEvent, yaml.AliasEvent
    mapping_start, sequence_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
    mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
    document_start, stream_end = yaml.DocumentStartEvent, yaml.StreamEndEvent
    scalar_node = yaml.ScalarNode
    root: Any = None
    documents = 0
    stack: list[Any] = []  # open collections: a list, or a _MapFrame
    while True:
        event = next_event()
        kind = event.__class__
        if kind is scalar_event or kind is mapping_start or kind is sequence_start:
            if event.anchor is not None:
                raise _anchor_problem(event)
            tag = event.tag
            if tag is not None and tag != "!":
                if not tag.startswith(_STD_TAG):
                    raise _tag_problem(event)
                raise _Unusual  # e.g. !!str, !!set: StrictLoader's constructors decide
            if kind is scalar_event:
                value: Any = event.value
                resolved = _STR_TAG
                if event.implicit[0]:  # plain, not quoted
                    for candidate, pattern in implicit_tags.get(value[:1], []) + wildcard:
                        if pattern.match(value):
                            resolved = candidate
                            break
                if resolved != _STR_TAG:
                    if resolved not in _KEEP:
                        raise _Unusual  # merge (<<) and value (=) keys
                    name, method = _KEEP[resolved]
                    node = scalar_node(resolved, value, event.start_mark, event.end_mark)
                    value = yaml_scalar(name, value, getattr(constructor, method)(node))
            else:
                if len(stack) >= MAX_DEPTH:
                    raise _depth_problem(event)
                value = {} if kind is mapping_start else []
        elif kind is mapping_end or kind is sequence_end:
            stack.pop()
            continue
        elif kind is alias_event:
            raise _alias_problem(event)
        elif kind is stream_end or event is None:
            return root
        else:
            if kind is document_start:
                documents += 1
                if documents > 1:
                    raise _Unusual  # StrictLoader words the "single document" error
            continue
        # Put the value where it belongs.
        if not stack:
            root = value
        else:
            top = stack[-1]
            if top.__class__ is list:
                top.append(value)
            elif top.key is _NO_KEY:
                if value.__class__ is dict or value.__class__ is list or value in top.mapping:
                    raise _Unusual  # complex or duplicate key
                top.key = value
            else:
                top.mapping[top.key] = value
                top.key = _NO_KEY
        if value.__class__ is dict:
            stack.append(_MapFrame(value))
        elif value.__class__ is list:
            stack.append(value)


def _scan_events(yaml: Any, loader_cls: Any, text: str) -> None:
    """Reject tags, anchors, aliases and deep nesting before anything is constructed.

    _parse_fast makes the same checks in its own loop: a new check here needs one there
    (or an _Unusual hand-over); tests/test_fast_load.py compares the two paths.
    """
    depth = 0
    for event in yaml.parse(text, Loader=loader_cls):
        if isinstance(event, yaml.AliasEvent):
            raise _alias_problem(event)
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise _anchor_problem(event)
        tag = getattr(event, "tag", None)
        if tag not in (None, "!") and not tag.startswith(_STD_TAG):
            raise _tag_problem(event)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _depth_problem(event)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


# The scan's messages, shared by both paths so that they word them alike.


def _alias_problem(event: Any) -> _YamlProblem:
    return _YamlProblem(
        f"{_where(event.start_mark)}: aliases (*{one_line(event.anchor)}) are not allowed; "
        "write the value out."
    )


def _anchor_problem(event: Any) -> _YamlProblem:
    return _YamlProblem(
        f"{_where(event.start_mark)}: anchors (&{one_line(event.anchor)}) are not allowed; "
        "write each value out."
    )


def _tag_problem(event: Any) -> _YamlProblem:
    return _YamlProblem(
        f"{_where(event.start_mark)}: the tag '{one_line(event.tag)}' is not allowed; "
        "data files are plain YAML."
    )


def _depth_problem(event: Any) -> _YamlProblem:
    return _YamlProblem(f"{_where(event.start_mark)}: nested more than {MAX_DEPTH} levels deep.")


_LOADER: Any = None


def _strict_loader() -> Any:
    """A safe loader that rejects duplicate keys and keeps non-text scalars' text."""
    global _LOADER
    if _LOADER is not None:
        return _LOADER
    import yaml

    from ketacompare.typed import YamlScalar

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class StrictLoader(base):  # type: ignore[misc, valid-type]
        def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
            if not isinstance(node, yaml.MappingNode):
                raise yaml.constructor.ConstructorError(
                    None, None, "expected a mapping", node.start_mark
                )
            mapping: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                key = self.construct_object(key_node, deep=True)
                try:
                    seen = key in mapping
                except TypeError:
                    raise _YamlProblem(
                        f"{_where(key_node.start_mark)}: a key must be a plain value."
                    ) from None
                if seen:
                    shown = key.text if isinstance(key, YamlScalar) else key
                    raise _YamlProblem(
                        f"{_where(key_node.start_mark)}: duplicate key '{one_line(shown)}'; "
                        "each key may appear once in a mapping."
                    )
                mapping[key] = self.construct_object(value_node, deep=deep)
            return mapping

    def keep(kind: str, method: str) -> Any:
        construct = getattr(yaml.SafeLoader, method)

        def constructor(loader: Any, node: Any) -> YamlScalar:
            return YamlScalar(kind, node.value, construct(loader, node))

        return constructor

    for tag, kind, method in (
        ("bool", "bool", "construct_yaml_bool"),
        ("int", "int", "construct_yaml_int"),
        ("float", "float", "construct_yaml_float"),
        ("timestamp", "date", "construct_yaml_timestamp"),
        ("null", "null", "construct_yaml_null"),
    ):
        StrictLoader.add_constructor(f"tag:yaml.org,2002:{tag}", keep(kind, method))
    StrictLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)
    _LOADER = StrictLoader
    return StrictLoader


def _construct_map(loader: Any, node: Any) -> Any:
    # Build the dict in one go so duplicate checks run (the default yields it empty first).
    return loader.construct_mapping(node)


def _fail(shown: str, message: str) -> DataError:
    return DataError(shown, [DataProblem("", message)])


# Cross-reference checks ---------------------------------------------------------------


def cross_check(data: Dataset) -> list[DataProblem]:
    problems: list[DataProblem] = []
    sources = data.sources
    factor_names: dict[str, str] = {}
    for key, factor in data.factors.items():
        for name in (key, *factor.aliases):
            other = factor_names.setdefault(name.lower(), key)
            if other != key or (name != key and name.lower() == key.lower()):
                problems.append(
                    DataProblem(f"factors.{key}", f"the name '{name}' is also used by '{other}'.")
                )

    def cite(ids: tuple[str, ...], path: str) -> None:
        for i, source in enumerate(ids):
            if source not in sources:
                problems.append(_unknown(f"{path}.sources[{i}]", "source", source, sources))

    for ckey in data.comparison_keys():
        comparison = data.comparison(ckey)
        assert comparison is not None
        base = f"comparisons.{ckey}"
        names: dict[str, str] = {}
        for skey, subject in comparison.subjects.items():
            spath = f"{base}.subjects.{skey}"
            for name in (skey, *subject.aliases):
                other = names.setdefault(name.lower(), skey)
                if other != skey:
                    problems.append(
                        DataProblem(spath, f"the name '{name}' is also used by '{other}'.")
                    )
            for fkey, facts in subject.cells.items():
                if fkey not in data.factors:
                    problems.append(_unknown(f"{spath}.cells.{fkey}", "factor", fkey, data.factors))
                for i, fact in enumerate(facts):
                    cite(fact.sources, f"{spath}.cells.{fkey}[{i}]")
            for i, point in enumerate(subject.timeline):
                tpath = f"{spath}.timeline[{i}]"
                cite(point.sources, tpath)
                span = point.minutes if isinstance(point.minutes, tuple) else (point.minutes,)
                if len(span) not in (1, 2) or min(span) < 0 or span != tuple(sorted(span)):
                    problems.append(
                        DataProblem(
                            f"{tpath}.minutes",
                            "expected a number of minutes >= 0, or [low, high] with low <= high.",
                        )
                    )
        for pkey, members in comparison.presets.items():
            for i, member in enumerate(members):
                if member not in comparison.subjects:
                    problems.append(
                        _unknown(
                            f"{base}.presets.{pkey}[{i}]", "subject", member, comparison.subjects
                        )
                    )
    routes = data.comparisons.routes.subjects
    for pkey, pref in data.preferences.items():
        for rkey, rating in pref.ratings.items():
            path = f"preferences.{pkey}.ratings.{rkey}"
            if rkey not in routes:
                problems.append(_unknown(path, "route", rkey, routes))
            cite(rating.sources, path)
    return problems


def _unknown(path: str, what: str, name: str, valid: Any) -> DataProblem:
    message = f"unknown {what} '{one_line(name)}'."
    guess = closest(name, valid)
    if guess:
        message += f" Did you mean '{guess}'?"
    shown = list(valid)
    listing = ", ".join(shown[:12]) + (", ..." if len(shown) > 12 else "")
    return DataProblem(path, f"{message} Declared {what}s: {listing}.")
