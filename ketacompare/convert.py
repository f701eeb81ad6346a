"""Raw YAML to the typed model (every mismatch collected), and the model as JSON Schema.

Both walk the same dataclass type hints, so the schema cannot drift from the loader.
Problems are collected, not raised, so `validate` can list every one of them.
"""

from __future__ import annotations

import dataclasses
import datetime
import math
import re
import types
import typing
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, Literal, Union

from ketacompare.errors import HINT_LIMIT, DataProblem, closest
from ketacompare.syntax import ID_PATTERN, YamlScalar
from ketacompare.text import clean, one_line

_ID = re.compile(ID_PATTERN)
_INVALID = object()
_HINTS: dict[type, dict[str, Any]] = {}


def join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def describe(raw: Any) -> str:
    """How a found value reads in an error message."""
    if raw is None:
        return "nothing (an empty value)"
    if isinstance(raw, YamlScalar):
        if raw.kind == "bool":
            return f"the YAML boolean `{one_line(raw.text)}` (read as {str(raw.value).lower()})"
        if raw.kind == "null":
            return "nothing (null)"
        if raw.kind == "long number":
            return f"a number {len(raw.text):,} characters long (`{one_line(raw.text, 20)}`)"
        return f"the {raw.kind} `{one_line(raw.text)}`"
    if isinstance(raw, str):
        return f"the text '{one_line(raw, 40)}'"
    if isinstance(raw, dict):
        return "a mapping"
    if isinstance(raw, list):
        return "a list"
    return type(raw).__name__


def hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _is_union(tp: Any) -> bool:
    return typing.get_origin(tp) in (Union, types.UnionType)


# A path such as `comparisons.routes.subjects.iv.cells.onset[0].text`, kept as nested
# (parent, key) pairs while converting: a 1,000-route file has ~120,000 values, and the
# text is only needed for a problem or a reference.
PathLike = Any


def path_text(path: PathLike) -> str:
    """The text of a (parent, key) path; a str path is already text."""
    keys: list[str | int] = []
    while path.__class__ is tuple:
        path, key = path
        keys.append(key)
    for key in reversed(keys):
        path = join(path, key)
    return path


def _problem(problems: list[DataProblem], path: PathLike, message: str) -> Any:
    problems.append(DataProblem(path_text(path), message))
    return _INVALID


# How to convert a value to a type, worked out once per (type, field metadata): the loader
# converts every value of a file, so each converter does only its own type's checks.
Converter = Callable[[Any, PathLike, list[DataProblem]], Any]
_CONVERTERS: dict[tuple[Any, int], tuple[Converter, Any]] = {}


def converter(tp: Any, meta: Any = None) -> Converter:
    key = (tp, id(meta))
    found = _CONVERTERS.get(key)
    if found is None:
        found = _CONVERTERS[key] = (_make(tp, meta or {}), meta)  # meta kept: ids stay unique
    return found[0]


def convert(
    tp: Any, raw: Any, path: PathLike, problems: list[DataProblem], meta: Any = None
) -> Any:
    """Convert raw YAML to `tp`, appending a DataProblem for every mismatch."""
    return converter(tp, meta)(raw, path, problems)


def _make(tp: Any, meta: Any) -> Converter:
    origin = typing.get_origin(tp)
    if dataclasses.is_dataclass(tp):
        return _dataclass_converter(tp)
    if _is_union(tp):
        return _union_converter(tp, meta)
    if origin is Literal:
        return _literal_converter(typing.get_args(tp))
    if origin is tuple:
        return _list_converter(typing.get_args(tp)[0], meta)
    if origin is dict:
        return _map_converter(typing.get_args(tp)[1], meta)
    if tp is str:
        return _text_converter(meta)
    if tp is bool:
        return _bool
    if tp is datetime.date:
        return _convert_date
    if tp in (int, float):
        return _number_converter(tp, meta)
    raise TypeError(f"unsupported type in model: {tp!r}")  # a programming error, not user's


def _null_as_none(raw: Any) -> Any:
    return None if raw.__class__ is YamlScalar and raw.kind == "null" else raw


def _union_converter(tp: Any, meta: Any) -> Converter:
    args = typing.get_args(tp)
    options = [a for a in args if a is not type(None)]
    wanted = None
    if len(options) > 1:  # number or [low, high]
        wanted = next((a for a in options if typing.get_origin(a) is tuple), None)
    other = converter(next(a for a in options if a is not wanted), meta)
    as_list = converter(wanted, meta) if wanted is not None else None
    allows_none = type(None) in args

    def convert_union(raw: Any, path: PathLike, problems: list[DataProblem]) -> Any:
        raw = _null_as_none(raw)
        if raw is None and allows_none:
            return None
        if as_list is not None and isinstance(raw, list):
            return as_list(raw, path, problems)
        return other(raw, path, problems)

    return convert_union


def _literal_converter(choices: Any) -> Converter:
    """One of a closed set of words (or numbers), with a hint for a near miss."""
    allowed = frozenset(choices)

    def convert_literal(raw: Any, path: PathLike, problems: list[DataProblem]) -> Any:
        if raw.__class__ is str and raw in allowed:
            return raw
        raw = _null_as_none(raw)
        value = raw.value if isinstance(raw, YamlScalar) and raw.kind == "int" else raw
        if isinstance(value, str | int) and not isinstance(value, bool) and value in allowed:
            return value
        shown = ", ".join(repr(c) if isinstance(c, str) else str(c) for c in choices)
        message = f"expected one of {shown}; found {describe(raw)}."
        if isinstance(raw, str) and len(problems) < HINT_LIMIT:
            guess = closest(raw, [str(c) for c in choices])
            if guess:
                message += f" Did you mean '{guess}'?"
        return _problem(problems, path, message)

    return convert_literal


def _bool(raw: Any, path: PathLike, problems: list[DataProblem]) -> Any:
    if isinstance(raw, YamlScalar) and raw.kind == "bool":
        return raw.value
    found = describe(_null_as_none(raw))
    return _problem(problems, path, f"expected true or false; found {found}.")


def _number_converter(tp: Any, meta: Any) -> Converter:
    """An int or float written as a YAML number, finite, and in range where the field says."""
    kinds = ("int",) if tp is int else ("int", "float")
    word = "a whole number" if tp is int else "a number"

    def convert_number(raw: Any, path: PathLike, problems: list[DataProblem]) -> Any:
        if not (isinstance(raw, YamlScalar) and raw.kind in kinds):
            found = describe(_null_as_none(raw))
            return _problem(problems, path, f"expected {word}; found {found}.")
        try:
            number = tp(raw.value)
        except OverflowError:  # an int too big for a float
            number = math.inf
        if "minimum" in meta and not meta["minimum"] <= number <= meta["maximum"]:
            # Also keeps a 5,000-digit year (0xfff...) from ever being printed.
            return _problem(
                problems,
                path,
                f"expected {meta.get('what', 'a whole number')} from {meta['minimum']} "
                f"to {meta['maximum']}; found {describe(raw)}.",
            )
        if tp is int or math.isfinite(number):
            return number
        return _problem(problems, path, f"expected a finite number; found {describe(raw)}.")

    return convert_number


def _convert_date(raw: Any, path: PathLike, problems: list[DataProblem]) -> Any:
    """An ISO date, quoted or not: 2026-12-03. YAML reads an unquoted one as a date."""
    raw = _null_as_none(raw)
    value: Any = None
    if isinstance(raw, YamlScalar) and raw.kind == "date":
        value = raw.value
    elif isinstance(raw, str):
        try:
            value = datetime.date.fromisoformat(raw.strip())
        except ValueError:
            value = None
    if isinstance(value, datetime.datetime):
        value = value.date()
    if (
        isinstance(value, datetime.date)
        and len(raw.text if isinstance(raw, YamlScalar) else raw.strip()) == 10
    ):
        return value
    return _problem(
        problems,
        path,
        f"expected a date written YYYY-MM-DD, e.g. 2026-12-03; found {describe(raw)}.",
    )


def _list_converter(item_tp: Any, meta: Any) -> Converter:
    least = meta.get("min_items", 0)
    each: dict[str, Any] | None = None
    if "item_pattern" in meta:
        each = {"pattern": meta["item_pattern"]}
    elif "refs" in meta:
        each = {"refs": meta["refs"]}
    item = converter(item_tp, each)

    def convert_list(raw: Any, path: PathLike, problems: list[DataProblem]) -> Any:
        if not isinstance(raw, list):
            found = describe(_null_as_none(raw))
            return _problem(problems, path, f"expected a list; found {found}.")
        if len(raw) < least:
            return _problem(problems, path, "expected at least one entry; found an empty list.")
        out = [item(value, (path, i), problems) for i, value in enumerate(raw)]
        for value in out:
            if value is _INVALID:
                return _INVALID
        return tuple(out)

    return convert_list


# Unicode noncharacters (U+FDD0-U+FDEF, and the last two of every plane): not text at all.
_NONCHARACTER = re.compile(
    "[\ufdd0-\ufdef"
    + "".join(f"{chr(p * 0x10000 + 0xFFFE)}{chr(p * 0x10000 + 0xFFFF)}" for p in range(17))
    + "]"
)
# Characters that show nothing on their own: format marks (zero-width space, joiners),
# combining marks with no letter to sit on, spaces, and fillers.
_INVISIBLE = frozenset({"Cf", "Mn", "Me", "Zs", "Zl", "Zp", "Cc"})
_FILLERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_IDS = "letters, digits, '-', '_' or '.', starting with a letter or digit"


def _text_converter(meta: Any) -> Converter:
    """Cleaned text, or a problem: empty, not text at all, too long, or not a name."""
    limit = meta.get("max_length")
    pattern = re.compile(meta["pattern"]) if "pattern" in meta else None
    refs = meta.get("refs")

    def convert_text(raw: Any, path: PathLike, problems: list[DataProblem]) -> Any:
        if not isinstance(raw, str):
            raw = _null_as_none(raw)
            hint = ""
            if isinstance(raw, YamlScalar):
                hint = f' Put it in quotes ("{one_line(raw.text)}") if it is meant as text.'
            return _problem(problems, path, f"expected text; found {describe(raw)}.{hint}")
        text = clean(raw).strip()
        problem = ""
        if not text:
            problem = "expected text; found an empty string."
        elif not text.isprintable():  # rare: only then look for what cannot be shown
            problem = _unshowable(text)
        # Both on the text as written, as the published JSON Schema checks it.
        if problem:
            pass
        elif limit is not None and len(raw) > limit:
            problem = (
                f"expected at most {limit} characters (it is a heading, shown on every "
                f"card); found {len(raw):,}. Put the detail in a description or a fact."
            )
        elif pattern is not None and not pattern.fullmatch(raw):
            problem = (
                f"expected a name of {_IDS} (it is typed on the command line); "
                f"found {describe(text)}."
            )
        if problem:
            return _problem(problems, path, problem)
        if refs is not None:
            _record(refs, path, text)
        return text

    return convert_text


def _unshowable(text: str) -> str:
    import unicodedata

    found = _NONCHARACTER.search(text)
    if found:
        return (
            f"found the noncharacter U+{ord(found.group()):04X}, which is not text "
            "(often a sign of a broken conversion); remove it."
        )
    if all(c in _FILLERS or unicodedata.category(c) in _INVISIBLE for c in text):
        return (
            f"expected visible text; found only invisible characters "
            f"(U+{ord(text[0]):04X}, ...). Write the text out, or remove the entry."
        )
    return ""


def _bad_id(key: Any, path: PathLike, problems: list[DataProblem]) -> None:
    shown = key.text if isinstance(key, YamlScalar) else key
    problems.append(
        DataProblem(
            join(path_text(path), one_line(shown)),
            f"invalid id: found {describe(key)}; ids are text of letters, digits, "
            "'-', '_' or '.', starting with a letter or digit. Quote keys like no/on/yes.",
        )
    )


def _map_converter(value_tp: Any, meta: Any) -> Converter:
    least = meta.get("min_items", 0)
    key_refs = meta.get("key_refs")
    value = converter(value_tp, {"refs": meta["item_refs"]} if "item_refs" in meta else None)

    def convert_map(raw: Any, path: PathLike, problems: list[DataProblem]) -> Any:
        if not isinstance(raw, dict):
            found = describe(_null_as_none(raw))
            return _problem(problems, path, f"expected a mapping of ids; found {found}.")
        if len(raw) < least:
            return _problem(problems, path, "expected at least one entry; found none.")
        out: dict[str, Any] = {}
        ok = True
        for key, item in raw.items():
            if not isinstance(key, str) or not _ID.match(key):
                _bad_id(key, path, problems)
                ok = False
                continue
            if key_refs:
                _record(key_refs, (path, key), key)
            converted = out[key] = value(item, (path, key), problems)
            if converted is _INVALID:
                ok = False
        return out if ok else _INVALID

    return convert_map


def _dataclass_converter(cls: Any) -> Converter:
    types_ = hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls) if not f.metadata.get("computed")}
    names = fields.keys()
    # (name, converter, required, what the field is), each converter made on first use:
    # the model's types refer to one another.
    spec: list[tuple[str, Converter, bool, str]] = []

    def convert_dataclass(raw: Any, path: PathLike, problems: list[DataProblem]) -> Any:
        if not isinstance(raw, dict):
            found = describe(_null_as_none(raw))
            return _problem(problems, path, f"expected a mapping; found {found}.")
        if not spec:
            spec.extend(
                (
                    name,
                    converter(types_[name], f.metadata),
                    f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
                    f.metadata.get("doc", ""),
                )
                for name, f in fields.items()
            )
        ok = raw.keys() <= names or _unknown_keys(raw, names, path, problems)
        values: dict[str, Any] = {}
        for name, convert_field, required, doc in spec:
            found = raw.get(name, _INVALID)
            if found is _INVALID:
                if required:
                    _problem(problems, (path, name), f"missing required field '{name}' ({doc}).")
                    ok = False
                continue
            value = convert_field(found, (path, name), problems)
            if value is _INVALID:
                ok = False
            else:
                values[name] = value
        return cls(**values) if ok else _INVALID

    return convert_dataclass


def _unknown_keys(
    raw: dict[Any, Any], names: Any, path: PathLike, problems: list[DataProblem]
) -> bool:
    """Report each key the type does not have; returns False (the value is invalid)."""
    for key in raw:
        if key not in names:
            name = key.text if isinstance(key, YamlScalar) else str(key)
            message = f"unknown key '{one_line(name)}'."
            guess = closest(name, names) if len(problems) < HINT_LIMIT else None
            if guess:
                message += f" Did you mean '{guess}'?"
            message += f" Valid keys here: {', '.join(names)}."
            problems.append(DataProblem(join(path_text(path), one_line(name)), message))
    return False


def build(cls: type, raw: Any, problems: list[DataProblem], refs: list[Ref] | None = None) -> Any:
    """Top-level conversion; returns None when any problem was found.

    `refs` receives every name the file refers to (a source id, a factor key, ...), in
    file order, as the conversion meets it: the loader checks them against what the file
    declares, so the file is walked once.
    """
    token = _REFS.set(refs)
    try:
        value = convert(cls, raw, "", problems)
    finally:
        _REFS.reset(token)
    return None if value is _INVALID or problems else value


# (kind, path, name): a name the file refers to; kinds in model.py's docstring. The path
# is a PathLike: path_text gives its text.
Ref = tuple[str, PathLike, str]
_REFS: ContextVar[list[Ref] | None] = ContextVar("ketacompare_refs", default=None)


def _record(kind: str, path: PathLike, name: str) -> None:
    refs = _REFS.get()
    if refs is not None:
        refs.append((kind, path, name))


# JSON Schema --------------------------------------------------------------------------


def json_schema(root: type) -> dict[str, Any]:
    """Draft-07, the newest draft editors' YAML support (VS Code YAML, yaml-language-server)
    fully handles; the keywords used mean the same in later drafts."""
    defs: dict[str, Any] = {}
    _schema(root, defs, {})
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "ketacompare data file",
        # The root inline, not a bare $ref: draft-07 ignores keywords beside a $ref.
        **defs[root.__name__],
        "definitions": defs,
    }


def _schema(tp: Any, defs: dict[str, Any], meta: Any) -> dict[str, Any]:
    doc = {"description": meta["doc"]} if meta.get("doc") else {}
    if dataclasses.is_dataclass(tp):
        name = tp.__name__
        if name not in defs:
            defs[name] = {}  # placeholder guards recursion
            props: dict[str, Any] = {}
            required: list[str] = []
            types_ = hints(tp)
            for f in dataclasses.fields(tp):
                if f.metadata.get("computed"):
                    continue
                props[f.name] = _schema(types_[f.name], defs, f.metadata)
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                    required.append(f.name)
            defs[name] = {
                "type": "object",
                "properties": props,
                "required": required,
                "additionalProperties": False,
            }
        ref = {"$ref": f"#/definitions/{name}"}
        return {"allOf": [ref], **doc} if doc else ref  # keeps the description in draft-07
    if _is_union(tp):
        inner = {k: v for k, v in meta.items() if k != "doc"}  # limits hold for each option
        return {"anyOf": [_schema(a, defs, inner) for a in typing.get_args(tp)], **doc}
    origin = typing.get_origin(tp)
    if origin is Literal:
        return {"enum": list(typing.get_args(tp)), **doc}
    if origin is tuple:
        each = {"pattern": meta["item_pattern"]} if "item_pattern" in meta else {}
        out = {"type": "array", "items": _schema(typing.get_args(tp)[0], defs, each), **doc}
        if meta.get("min_items"):
            out["minItems"] = meta["min_items"]
        return out
    if origin is dict:
        out = {
            "type": "object",
            "propertyNames": {"pattern": ID_PATTERN},
            "additionalProperties": _schema(typing.get_args(tp)[1], defs, {}),
            **doc,
        }
        if meta.get("min_items"):
            out["minProperties"] = meta["min_items"]
        return out
    simple = {str: {"type": "string", "minLength": 1}, bool: {"type": "boolean"}}
    simple |= {int: {"type": "integer"}, float: {"type": "number"}, type(None): {"type": "null"}}
    simple[datetime.date] = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    limits = {"max_length": "maxLength", "pattern": "pattern", "minimum": "minimum"}
    limits["maximum"] = "maximum"
    extra = {limits[k]: v for k, v in meta.items() if k in limits and tp is not type(None)}
    return {**simple[tp], **extra, **doc}
