"""Shell completion: names read straight from the data file's YAML.

Every TAB press runs the whole program, so this path reads the file with the same safe,
checked YAML parser as the loader but skips the typed model: names are all it needs, and
a broken file simply offers nothing.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from typing import Any

from ketacompare.text import clean

_WORD = re.compile(r"^\S+$")  # a suggestion must be one shell word


def _raw(option: str | os.PathLike[str] | None) -> dict[str, Any]:
    from ketacompare.loader import parse_yaml, read_text, resolve_path

    try:
        path = resolve_path(option)
        raw = parse_yaml(read_text(path, str(path)))
    except Exception:  # a broken file must never break TAB
        return {}
    return raw if isinstance(raw, dict) else {}


def _map(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def _names(key: Any, entry: Any) -> list[str]:
    """A subject's or factor's key, then its aliases, as safe shell words."""
    aliases = _map(entry).get("aliases")
    words = (key, *(aliases if isinstance(aliases, list) else ()))
    cleaned = (clean(w).strip() for w in words if isinstance(w, str))
    return [w for w in cleaned if _WORD.match(w)]


def _taken(groups: list[list[str]], given: Iterable[str]) -> set[str]:
    """Every name of a group already named under any of its names."""
    typed = {w.strip().lower() for w in given}
    return {n.lower() for names in groups if typed & {n.lower() for n in names} for n in names}


def subjects(option: Any, ckey: str, given: Iterable[str], incomplete: str) -> list[str]:
    """Subject keys and aliases of one comparison, minus subjects already named."""
    comparison = _map(_map(_raw(option).get("comparisons")).get(ckey))
    groups = [_names(k, v) for k, v in _map(comparison.get("subjects")).items()]
    taken = _taken(groups, given)
    low = incomplete.lower()
    return [
        n for names in groups for n in names if n.lower().startswith(low) and n.lower() not in taken
    ]


def factors(option: Any, ckey: str | None, given: Iterable[str], incomplete: str) -> list[str]:
    """Factor keys (with data in `ckey`, if given); after a comma, the next one."""
    raw = _raw(option)
    declared = {k: _names(k, v) for k, v in _map(raw.get("factors")).items() if _names(k, v)}
    keys = list(declared)
    if ckey is not None:
        comparison = _map(_map(raw.get("comparisons")).get(ckey))
        used = {
            f for s in _map(comparison.get("subjects")).values() for f in _map(_map(s).get("cells"))
        }
        keys = [k for k in keys if k in used]
    head, _, last = incomplete.rpartition(",")
    words = [w for v in given for w in v.split(",")] + head.split(",")
    taken = _taken(list(declared.values()), words)
    prefix = f"{head}," if head else ""
    return [
        prefix + k for k in keys if k.lower().startswith(last.lower()) and k.lower() not in taken
    ]


def preferences(option: Any, incomplete: str) -> list[str]:
    """Preference keys; after a comma, the next one."""
    keys = [k for k in _map(_raw(option).get("preferences")) if _names(k, None)]
    head, _, last = incomplete.rpartition(",")
    taken = {w.strip().lower() for w in head.split(",")}
    prefix = f"{head}," if head else ""
    return [
        prefix + k for k in keys if k.lower().startswith(last.lower()) and k.lower() not in taken
    ]
