"""Turn loaded YAML into the typed model, and describe the model as JSON Schema.

Both walk the same dataclass type hints, so the schema cannot drift from the loader.
Problems are collected, not raised, so `validate` can list every one of them.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from typing import Any, Literal, Union

from ketacompare.errors import DataProblem, closest
from ketacompare.model import ID_PATTERN
from ketacompare.text import clean, one_line

_ID = re.compile(ID_PATTERN)
_INVALID = object()
_HINTS: dict[type, dict[str, Any]] = {}


class YamlScalar:
    """A non-text YAML scalar (bool, number, date, null) with the text it was written as.

    Keeping the original text lets an error say "found `no`" instead of "found False".
    """

    __slots__ = ("kind", "text", "value")

    def __init__(self, kind: str, text: str, value: Any) -> None:
        self.kind = kind
        self.text = text
        self.value = value

    def __hash__(self) -> int:
        return hash((self.kind, self.text))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, YamlScalar) and (self.kind, self.text) == (other.kind, other.text)

    def __repr__(self) -> str:
        return f"YamlScalar({self.kind!r}, {self.text!r})"


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


_Plan = tuple[str, Any]
_PLANS: dict[Any, _Plan] = {}


def _plan(tp: Any) -> _Plan:
    """What converting to `tp` takes, worked out once per type.

    The loader converts every value of a data file: looking the type up here instead of
    inspecting it each time is most of the typed step's cost (start-up, issue 7).
    """
    plan = _PLANS.get(tp)
    if plan is not None:
        return plan
    origin = typing.get_origin(tp)
    if dataclasses.is_dataclass(tp):
        types_ = hints(tp)
        spec = tuple(
            (
                f.name,
                types_[f.name],
                f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
                f.metadata,
            )
            for f in dataclasses.fields(tp)
        )
        plan = ("dataclass", ({name: None for name, *_ in spec}, spec))
    elif _is_union(tp):
        args = typing.get_args(tp)
        options = [a for a in args if a is not type(None)]
        wanted = None
        if len(options) > 1:  # number or [low, high]
            wanted = next((a for a in options if typing.get_origin(a) is tuple), None)
        other = next(a for a in options if a is not wanted)
        plan = ("union", (type(None) in args, wanted, other))
    elif origin is Literal:
        plan = ("literal", typing.get_args(tp))
    elif origin is tuple:
        plan = ("list", typing.get_args(tp)[0])
    elif origin is dict:
        plan = ("map", typing.get_args(tp)[1])
    elif tp is str:
        plan = ("str", None)
    elif tp is bool:
        plan = ("bool", None)
    elif tp in (int, float):
        plan = ("number", None)
    else:
        raise TypeError(f"unsupported type in model: {tp!r}")  # a programming error, not user's
    _PLANS[tp] = plan
    return plan


def convert(tp: Any, raw: Any, path: str, problems: list[DataProblem], meta: Any = None) -> Any:
    """Convert raw YAML to `tp`, appending a DataProblem for every mismatch."""
    meta = meta or {}
    if raw.__class__ is YamlScalar and raw.kind == "null":
        raw = None
    how, info = _plan(tp)
    if how == "str":
        if isinstance(raw, str):
            text = clean(raw).strip()
            if text:
                return text
            problems.append(DataProblem(path, "expected text; found an empty string."))
            return _INVALID
        hint = ""
        if isinstance(raw, YamlScalar):
            hint = f' Put it in quotes ("{one_line(raw.text)}") if it is meant as text.'
        problems.append(DataProblem(path, f"expected text; found {describe(raw)}.{hint}"))
        return _INVALID
    if how == "dataclass":
        return _convert_dataclass(tp, info, raw, path, problems)
    if how == "union":
        allows_none, wanted, other = info
        if raw is None and allows_none:
            return None
        if wanted is not None and isinstance(raw, list):
            return convert(wanted, raw, path, problems, meta)
        return convert(other, raw, path, problems, meta)
    if how == "literal":
        choices = info
        value = raw.value if isinstance(raw, YamlScalar) and raw.kind == "int" else raw
        if isinstance(value, str | int) and not isinstance(value, bool) and value in choices:
            return value
        shown = ", ".join(repr(c) if isinstance(c, str) else str(c) for c in choices)
        message = f"expected one of {shown}; found {describe(raw)}."
        if isinstance(raw, str):
            guess = closest(raw, [str(c) for c in choices])
            if guess:
                message += f" Did you mean '{guess}'?"
        problems.append(DataProblem(path, message))
        return _INVALID
    if how == "list":
        return _convert_list(info, raw, path, problems, meta)
    if how == "map":
        return _convert_map(info, raw, path, problems, meta)
    if how == "bool":
        if isinstance(raw, YamlScalar) and raw.kind == "bool":
            return raw.value
        problems.append(DataProblem(path, f"expected true or false; found {describe(raw)}."))
        return _INVALID
    kinds = ("int",) if tp is int else ("int", "float")  # how == "number"
    if isinstance(raw, YamlScalar) and raw.kind in kinds:
        return tp(raw.value)
    word = "a whole number" if tp is int else "a number"
    problems.append(DataProblem(path, f"expected {word}; found {describe(raw)}."))
    return _INVALID


def _convert_list(item: Any, raw: Any, path: str, problems: list[DataProblem], meta: Any) -> Any:
    if not isinstance(raw, list):
        problems.append(DataProblem(path, f"expected a list; found {describe(raw)}."))
        return _INVALID
    if len(raw) < meta.get("min_items", 0):
        problems.append(DataProblem(path, "expected at least one entry; found an empty list."))
        return _INVALID
    out = [convert(item, value, join(path, i), problems) for i, value in enumerate(raw)]
    return _INVALID if any(v is _INVALID for v in out) else tuple(out)


def _convert_map(value_tp: Any, raw: Any, path: str, problems: list[DataProblem], meta: Any) -> Any:
    if not isinstance(raw, dict):
        problems.append(DataProblem(path, f"expected a mapping of ids; found {describe(raw)}."))
        return _INVALID
    if len(raw) < meta.get("min_items", 0):
        problems.append(DataProblem(path, "expected at least one entry; found none."))
        return _INVALID
    out: dict[str, Any] = {}
    ok = True
    for key, value in raw.items():
        if not isinstance(key, str) or not _ID.match(key):
            shown = key.text if isinstance(key, YamlScalar) else key
            problems.append(
                DataProblem(
                    join(path, one_line(shown)),
                    f"invalid id {describe(key)}: ids are text of letters, digits, '-', '_' "
                    "or '.', starting with a letter or digit. Quote keys like no/on/yes.",
                )
            )
            ok = False
            continue
        converted = convert(value_tp, value, join(path, key), problems)
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
            guess = closest(name, fields)
            if guess:
                message += f" Did you mean '{guess}'?"
            message += f" Valid keys here: {', '.join(fields)}."
            problems.append(DataProblem(join(path, one_line(name)), message))
            ok = False
    values: dict[str, Any] = {}
    for name, tp, required, metadata in spec:
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
        value = convert(tp, raw[name], join(path, name), problems, metadata)
        if value is _INVALID:
            ok = False
        else:
            values[name] = value
    return cls(**values) if ok else _INVALID


def build(cls: type, raw: Any, problems: list[DataProblem]) -> Any:
    """Top-level conversion; returns None when any problem was found."""
    value = convert(cls, raw, "", problems)
    return None if value is _INVALID or problems else value


# JSON Schema --------------------------------------------------------------------------


def json_schema(root: type) -> dict[str, Any]:
    defs: dict[str, Any] = {}
    body = _schema(root, defs, {})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "ketacompare data file",
        **body,
        "$defs": defs,
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
                props[f.name] = _schema(types_[f.name], defs, f.metadata)
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                    required.append(f.name)
            defs[name] = {
                "type": "object",
                "properties": props,
                "required": required,
                "additionalProperties": False,
            }
        return {"$ref": f"#/$defs/{name}", **doc}
    if _is_union(tp):
        return {"anyOf": [_schema(a, defs, {}) for a in typing.get_args(tp)], **doc}
    origin = typing.get_origin(tp)
    if origin is Literal:
        return {"enum": list(typing.get_args(tp)), **doc}
    if origin is tuple:
        out = {"type": "array", "items": _schema(typing.get_args(tp)[0], defs, {}), **doc}
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
    return {**simple[tp], **doc}
