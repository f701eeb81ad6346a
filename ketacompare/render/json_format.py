"""JSON: one stable document per view, for scripts. Written with the json module only.

Shape (format_version 2; see README "JSON output"):

    {"format_version": 1, "kind": "routes", "title": ..., "layout": "columns",
     "corner": "Factor",
     "subjects": [{"key", "name", "note", "meta"?}, ...],  # columns, display order
     "factors": [{"key", "label"}, ...],                   # rows, display order
     "cells": {factor_key: {subject_key: {"text", "facts": [{"text", "sources",
               "confidence", "basis"}, ...]}}},
     "sources": [{"id", "number", "reference", "kind", "title", "authors", "year",
                  "venue", "doi", "pmid", "url", "note"}, ...],   # cited ones only
     "notes": [...], "disclaimer": "...",
     "about": {"updated", "version", "who", "conflict", "policy"}, "meta"?: {...}}
"basis" is the strongest kind among a fact's sources ("clinic": the clinic's claim alone).
Optional "meta" carries view extras (choose: rank and score); timeline facts add
"event" and "minutes": {"low", "high"}.

"text" is the cell exactly as the table prints it ("—" when empty, low-confidence mark
included); --sources changes nothing here because every fact always lists its sources.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any

from ketacompare import __version__
from ketacompare.about import CONFLICT, POLICY, WHO
from ketacompare.query import DISCLAIMER, Grid
from ketacompare.render import Style
from ketacompare.render.base import EMPTY, fact_extra, fact_text, joined, reference

FORMAT_VERSION = 2
_leaf = json.JSONEncoder(ensure_ascii=False).encode


def _one_line_encoder() -> Callable[[Any], str]:
    """_leaf's C encoder, made once: JSONEncoder.encode makes a new one for every call,
    half the cost of a cell on a 1,000-route grid. The values are plain JSON types."""
    make = json.encoder.c_make_encoder
    if make is None:  # no C accelerator in this Python
        return _leaf
    plain = json.JSONEncoder(ensure_ascii=False)
    encode = make(
        None, plain.default, json.encoder.encode_basestring, None, ": ", ", ", False, False, True
    )
    return lambda value: "".join(encode(value, 0))


_cell = _one_line_encoder()
_text = json.encoder.encode_basestring  # a str as JSON, in C; keys are always str here
# Shared by every empty cell of a document; never mutated.
_EMPTY_CELL: dict[str, Any] = {"text": EMPTY, "facts": []}
_EMPTY_JSON = _leaf(_EMPTY_CELL)


def document(grid: Grid) -> dict[str, Any]:
    """The view as plain JSON-ready data."""
    cells: dict[str, dict[str, Any]] = {}
    found = grid.cells.get
    keys = [column.key for column in grid.columns]
    for row in grid.rows:
        cells[row.key] = line = {}
        for key in keys:
            facts = found((row.key, key))
            if not facts:  # most cells of a large, sparse grid: one shared object
                line[key] = _EMPTY_CELL
                continue
            texts = [fact_text(fact) for fact in facts]  # the cell's text is made of them
            line[key] = {
                "text": joined(texts),
                "facts": [
                    {
                        "text": text,
                        "sources": list(fact.sources),
                        "confidence": fact.confidence,
                        "basis": fact.basis,
                    }
                    | fact_extra(fact)
                    for text, fact in zip(texts, facts, strict=True)
                ],
            }
    sources = []
    for number, (sid, source) in enumerate(grid.sources.items(), start=1):
        # Every metadata field, nulls kept, so a script can tell "not stated" from absent.
        sources.append(
            {"id": sid, "number": number, "reference": reference(source)}
            # Shallow: a Source holds only text and numbers, and asdict's deep copy made
            # this the slowest part of a 30,000-source file (issue 14).
            | {f.name: getattr(source, f.name) for f in dataclasses.fields(source)}
        )
    return {
        "format_version": FORMAT_VERSION,
        "kind": grid.kind,
        "title": grid.title,
        "layout": grid.layout,
        "corner": grid.corner,
        "subjects": [
            {"key": c.key, "name": c.name, "note": c.note}
            | ({"meta": dict(c.meta)} if c.meta else {})
            for c in grid.columns
        ],
        "factors": [{"key": r.key, "label": r.label} for r in grid.rows],
        "cells": cells,
        "sources": sources,
        "notes": list(grid.notes),
        "disclaimer": DISCLAIMER,
        "about": {
            "updated": grid.updated or None,
            "version": __version__,
            "who": WHO,
            "conflict": CONFLICT,
            "policy": POLICY,
        },
    } | ({"meta": dict(grid.meta)} if grid.meta else {})


def dumps(value: Any, depth: int = 3, indent: str = "") -> str:
    """JSON indented two spaces for `depth` levels, each deeper value on one line.

    Down to one line per cell it reads like `indent=2`, but the deeper values go through
    the C encoder: `indent=` alone forces the pure-Python one, several times slower on a
    1,000-route grid.
    """
    if value is _EMPTY_CELL:
        return _EMPTY_JSON
    if depth == 0 or not isinstance(value, dict | list) or not value:
        return _leaf(value)
    inner = indent + "  "
    if depth == 1 and isinstance(value, dict):  # a row of cells: thousands of lines
        items = [
            f"{inner}{_text(k)}: {_EMPTY_JSON if v is _EMPTY_CELL else _cell(v)}"
            for k, v in value.items()
        ]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, dict):
        items = [f"{inner}{_leaf(k)}: {dumps(v, depth - 1, inner)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    items = [inner + dumps(v, depth - 1, inner) for v in value]
    return "[\n" + ",\n".join(items) + "\n" + indent + "]"


class JsonRenderer:
    def render(self, grid: Grid, style: Style) -> str:
        return dumps(document(grid)) + "\n"


RENDERER = JsonRenderer()
