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


_KINDS: dict[Any, tuple[str, Any]] = {}


def _kind(tp: Any) -> tuple[str, Any]:
    """How to convert to `tp`, worked out once per type: the loader converts every value
    of a file, and inspecting the type each time was most of this step's cost."""
    kind = _KINDS.get(tp)
    if kind is not None:
        return kind
    origin = typing.get_origin(tp)
    if dataclasses.is_dataclass(tp):
        types_ = hints(tp)
        fields = {f.name: f for f in dataclasses.fields(tp) if not f.metadata.get("computed")}
        spec = [
            (
                name,
                types_[name],
                f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
                f.metadata,
            )
            for name, f in fields.items()
        ]
        kind = ("dataclass", (fields, spec))
    elif _is_union(tp):
        args = typing.get_args(tp)
        options = [a for a in args if a is not type(None)]
        wanted = None
        if len(options) > 1:  # number or [low, high]
            wanted = next((a for a in options if typing.get_origin(a) is tuple), None)
        other = next(a for a in options if a is not wanted)
        kind = ("union", (type(None) in args, wanted, other))
    elif origin is Literal:
        kind = ("literal", typing.get_args(tp))
    elif origin is tuple:
        kind = ("list", typing.get_args(tp)[0])
    elif origin is dict:
        kind = ("map", typing.get_args(tp)[1])
    elif tp in (str, bool, int, float, datetime.date):
        kind = ("scalar", tp)
    else:
        raise TypeError(f"unsupported type in model: {tp!r}")  # a programming error
    _KINDS[tp] = kind
    return kind


def convert(tp: Any, raw: Any, path: str, problems: list[DataProblem], meta: Any = None) -> Any:
    """Convert raw YAML to `tp`, appending a DataProblem for every mismatch."""
    if tp is str and raw.__class__ is str:  # the common case, first
        return _text(raw, path, problems, meta)
    meta = meta or {}
    if isinstance(raw, YamlScalar) and raw.kind == "null":
        raw = None
    how, info = _kind(tp)
    if how == "dataclass":
        return _convert_dataclass(tp, info, raw, path, problems)
    if how == "union":
        allows_none, wanted, other = info
        if raw is None and allows_none:
            return None
        if isinstance(raw, list) and wanted is not None:
            return convert(wanted, raw, path, problems, meta)
        return convert(other, raw, path, problems, meta)
    if how == "literal":
        return _convert_literal(info, raw, path, problems)
    if how == "list":
        return _convert_list(info, raw, path, problems, meta)
    if how == "map":
        return _convert_map(info, raw, path, problems, meta)
    if tp is str:
        if isinstance(raw, str):
            return _text(raw, path, problems, meta)
        hint = ""
        if isinstance(raw, YamlScalar):
            hint = f' Put it in quotes ("{one_line(raw.text)}") if it is meant as text.'
        problems.append(DataProblem(path, f"expected text; found {describe(raw)}.{hint}"))
        return _INVALID
    if tp is bool:
        if isinstance(raw, YamlScalar) and raw.kind == "bool":
            return raw.value
        problems.append(DataProblem(path, f"expected true or false; found {describe(raw)}."))
        return _INVALID
    if tp is datetime.date:
        return _convert_date(raw, path, problems)
    if tp in (int, float):
        return _convert_number(tp, raw, path, problems, meta)
    raise TypeError(f"unsupported type in model: {tp!r}")  # a programming error, not user's


def _convert_literal(choices: Any, raw: Any, path: str, problems: list[DataProblem]) -> Any:
    """One of a closed set of words (or numbers), with a hint for a near miss."""
    value = raw.value if isinstance(raw, YamlScalar) and raw.kind == "int" else raw
    if isinstance(value, str | int) and not isinstance(value, bool) and value in choices:
        return value
    shown = ", ".join(repr(c) if isinstance(c, str) else str(c) for c in choices)
    message = f"expected one of {shown}; found {describe(raw)}."
    if isinstance(raw, str) and len(problems) < HINT_LIMIT:
        guess = closest(raw, [str(c) for c in choices])
        if guess:
            message += f" Did you mean '{guess}'?"
    problems.append(DataProblem(path, message))
    return _INVALID


def _convert_number(tp: Any, raw: Any, path: str, problems: list[DataProblem], meta: Any) -> Any:
    """An int or float written as a YAML number, finite, and in range where the field says."""
    kinds = ("int",) if tp is int else ("int", "float")
    if not (isinstance(raw, YamlScalar) and raw.kind in kinds):
        word = "a whole number" if tp is int else "a number"
        problems.append(DataProblem(path, f"expected {word}; found {describe(raw)}."))
        return _INVALID
    try:
        number = tp(raw.value)
    except OverflowError:  # an int too big for a float
        number = math.inf
    if "minimum" in meta and not meta["minimum"] <= number <= meta["maximum"]:
        # Also keeps a 5,000-digit year (0xfff...) from ever being printed.
        problems.append(
            DataProblem(
                path,
                f"expected {meta.get('what', 'a whole number')} from {meta['minimum']} "
                f"to {meta['maximum']}; found {describe(raw)}.",
            )
        )
        return _INVALID
    if tp is int or math.isfinite(number):
        return number
    problems.append(DataProblem(path, f"expected a finite number; found {describe(raw)}."))
    return _INVALID


def _convert_date(raw: Any, path: str, problems: list[DataProblem]) -> Any:
    """An ISO date, quoted or not: 2026-12-03. YAML reads an unquoted one as a date."""
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
    problems.append(
        DataProblem(
            path, f"expected a date written YYYY-MM-DD, e.g. 2026-12-03; found {describe(raw)}."
        )
    )
    return _INVALID


def _convert_list(item: Any, raw: Any, path: str, problems: list[DataProblem], meta: Any) -> Any:
    if not isinstance(raw, list):
        problems.append(DataProblem(path, f"expected a list; found {describe(raw)}."))
        return _INVALID
    if len(raw) < meta.get("min_items", 0):
        problems.append(DataProblem(path, "expected at least one entry; found an empty list."))
        return _INVALID
    each: dict[str, Any] | None = None
    if "item_pattern" in meta:
        each = {"pattern": meta["item_pattern"]}
    elif "refs" in meta:
        each = {"refs": meta["refs"]}
    out = [convert(item, value, join(path, i), problems, each) for i, value in enumerate(raw)]
    return _INVALID if any(v is _INVALID for v in out) else tuple(out)


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


def _text(raw: str, path: str, problems: list[DataProblem], meta: Any) -> Any:
    """Cleaned text, or a problem: empty, not text at all, too long, or not a name."""
    text = clean(raw).strip()
    problem = ""
    if not text:
        problem = "expected text; found an empty string."
    elif not text.isprintable():  # rare: only then look for what cannot be shown
        problem = _unshowable(text)
    if not problem and meta:
        # Both on the text as written, as the published JSON Schema checks it.
        limit = meta.get("max_length")
        if limit is not None and len(raw) > limit:
            problem = (
                f"expected at most {limit} characters (it is a heading, shown on every "
                f"card); found {len(raw):,}. Put the detail in a description or a fact."
            )
        elif "pattern" in meta and not re.fullmatch(meta["pattern"], raw):
            problem = (
                f"expected a name of {_IDS} (it is typed on the command line); "
                f"found {describe(text)}."
            )
    if problem:
        problems.append(DataProblem(path, problem))
        return _INVALID
    if meta and "refs" in meta:
        _record(meta["refs"], path, text)
    return text


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


def _convert_map(value_tp: Any, raw: Any, path: str, problems: list[DataProblem], meta: Any) -> Any:
    if not isinstance(raw, dict):
        problems.append(DataProblem(path, f"expected a mapping of ids; found {describe(raw)}."))
        return _INVALID
    if len(raw) < meta.get("min_items", 0):
        problems.append(DataProblem(path, "expected at least one entry; found none."))
        return _INVALID
    out: dict[str, Any] = {}
    ok = True
    key_refs = meta.get("key_refs")
    value_meta = {"refs": meta["item_refs"]} if "item_refs" in meta else None
    for key, value in raw.items():
        if not isinstance(key, str) or not _ID.match(key):
            shown = key.text if isinstance(key, YamlScalar) else key
            problems.append(
                DataProblem(
                    join(path, one_line(shown)),
                    f"invalid id: found {describe(key)}; ids are text of letters, digits, "
                    "'-', '_' or '.', starting with a letter or digit. Quote keys like "
                    "no/on/yes.",
                )
            )
            ok = False
            continue
        if key_refs:
            _record(key_refs, join(path, key), key)
        converted = convert(value_tp, value, join(path, key), problems, value_meta)
        ok = ok and converted is not _INVALID
        out[key] = converted
    return out if ok else _INVALID


def _convert_dataclass(
    cls: Any, info: Any, raw: Any, path: str, problems: list[DataProblem]
) -> Any:
    if not isinstance(raw, dict):
        problems.append(DataProblem(path, f"expected a mapping; found {describe(raw)}."))
        return _INVALID
    fields, spec = info
    ok = True
    for key in raw:
        if key not in fields:
            name = key.text if isinstance(key, YamlScalar) else str(key)
            message = f"unknown key '{one_line(name)}'."
            guess = closest(name, fields) if len(problems) < HINT_LIMIT else None
            if guess:
                message += f" Did you mean '{guess}'?"
            message += f" Valid keys here: {', '.join(fields)}."
            problems.append(DataProblem(join(path, one_line(name)), message))
            ok = False
    values: dict[str, Any] = {}
    for name, field_tp, required, metadata in spec:
        if name not in raw:
            if required:
                problems.append(
                    DataProblem(
                        join(path, name),
                        f"missing required field '{name}' ({metadata.get('doc', '')}).",
                    )
                )
                ok = False
            continue
        value = convert(field_tp, raw[name], join(path, name), problems, metadata)
        if value is _INVALID:
            ok = False
        else:
            values[name] = value
    return cls(**values) if ok else _INVALID


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


# (kind, path, name): a name the file refers to; kinds in model.py's docstring.
Ref = tuple[str, str, str]
_REFS: ContextVar[list[Ref] | None] = ContextVar("ketacompare_refs", default=None)


def _record(kind: str, path: str, name: str) -> None:
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
