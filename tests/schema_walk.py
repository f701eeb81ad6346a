"""A small JSON Schema checker for the keywords `ketacompare schema` uses.

Hand-written instead of adding `jsonschema` to the test extra: the generated schema uses a
dozen keywords, the check stays dependency-free, and any keyword this walker does not know
raises, so a schema change can never be passed by silently skipping it.
"""

from __future__ import annotations

import re
from typing import Any

_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}
_IGNORED = {"description", "title", "$schema", "definitions"}


def errors(schema: dict[str, Any], value: Any) -> list[str]:
    """Every place where `value` breaks `schema` ([] when it conforms)."""
    out: list[str] = []
    _check(schema, schema, value, "", out)
    return out


def _check(
    root: dict[str, Any], node: dict[str, Any], value: Any, path: str, out: list[str]
) -> None:
    for key, rule in node.items():
        if key in _IGNORED:
            continue
        if key == "$ref":
            assert rule.startswith("#/definitions/"), rule
            assert len(node) == 1, "draft-07 ignores keywords beside $ref"
            _check(root, root["definitions"][rule.removeprefix("#/definitions/")], value, path, out)
        elif key == "allOf":
            for option in rule:
                _check(root, option, value, path, out)
        elif key == "type":
            if not _TYPES[rule](value):
                out.append(f"{path}: not {rule}")
        elif key == "enum":
            if not any(value == c and type(value) is type(c) for c in rule):
                out.append(f"{path}: {value!r} not in {rule}")
        elif key == "anyOf":
            if all(errors_in(root, option, value, path) for option in rule):
                out.append(f"{path}: matches none of anyOf")
        elif key == "pattern":
            if isinstance(value, str) and not re.search(rule, value):
                out.append(f"{path}: does not match {rule}")
        elif key == "minLength":
            if isinstance(value, str) and len(value) < rule:
                out.append(f"{path}: shorter than {rule}")
        elif key in ("minItems", "minProperties"):
            if isinstance(value, list | dict) and len(value) < rule:
                out.append(f"{path}: fewer than {rule} entries")
        elif key == "items":
            if isinstance(value, list):
                for i, item in enumerate(value):
                    _check(root, rule, item, f"{path}[{i}]", out)
        elif key == "required":
            if isinstance(value, dict):
                out.extend(f"{path}.{name}: required" for name in rule if name not in value)
        elif key == "properties":
            if isinstance(value, dict):
                for name, sub in rule.items():
                    if name in value:
                        _check(root, sub, value[name], f"{path}.{name}", out)
        elif key == "propertyNames":
            if isinstance(value, dict):
                assert set(rule) == {"pattern"}, rule  # the only form generated
                for name in value:
                    if not isinstance(name, str) or not re.search(rule["pattern"], name):
                        out.append(f"{path}: bad key {name!r}")
        elif key == "additionalProperties":
            if isinstance(value, dict):
                known = node.get("properties", {})
                for name, item in value.items():
                    if name in known:
                        continue
                    if rule is False:
                        out.append(f"{path}: unexpected key {name!r}")
                    elif isinstance(rule, dict):
                        _check(root, rule, item, f"{path}.{name}", out)
        else:
            raise AssertionError(f"schema keyword {key!r} is not checked by this walker")


def errors_in(root: dict[str, Any], node: dict[str, Any], value: Any, path: str) -> list[str]:
    out: list[str] = []
    _check(root, node, value, path, out)
    return out
