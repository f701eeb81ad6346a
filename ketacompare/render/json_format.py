"""JSON: one stable document per view, for scripts. Written with the json module only.

Shape (format_version 1; see README "JSON output"):

    {"format_version": 1, "kind": "routes", "title": ..., "layout": "columns",
     "corner": "Factor",
     "subjects": [{"key", "name", "note", "meta"?}, ...],  # columns, display order
     "factors": [{"key", "label"}, ...],                   # rows, display order
     "cells": {factor_key: {subject_key: {"text", "facts": [{"text", "sources",
               "confidence"}, ...]}}},
     "sources": [{"id", "number", "reference", "kind", "title", "authors", "year",
                  "venue", "doi", "pmid", "url", "note"}, ...],   # cited ones only
     "notes": [...], "disclaimer": "...", "meta"?: {...}}
Optional "meta" carries view extras (choose: rank and score); timeline facts add
"event" and "minutes": {"low", "high"}.

"text" is the cell exactly as the table prints it ("—" when empty, low-confidence mark
included); --sources changes nothing here because every fact always lists its sources.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from ketacompare.query import DISCLAIMER, Grid
from ketacompare.render import Style
from ketacompare.render.base import cell_value, fact_extra, fact_text, reference

FORMAT_VERSION = 1


def document(grid: Grid) -> dict[str, Any]:
    """The view as plain JSON-ready data."""
    cells: dict[str, dict[str, Any]] = {}
    for row in grid.rows:
        cells[row.key] = {}
        for column in grid.columns:
            facts = grid.cell(row.key, column.key)
            cells[row.key][column.key] = {
                "text": cell_value(grid, facts),
                "facts": [
                    {
                        "text": fact_text(fact),
                        "sources": list(fact.sources),
                        "confidence": fact.confidence,
                    }
                    | fact_extra(fact)
                    for fact in facts
                ],
            }
    sources = []
    for number, (sid, source) in enumerate(grid.sources.items(), start=1):
        # Every metadata field, nulls kept, so a script can tell "not stated" from absent.
        sources.append(
            {"id": sid, "number": number, "reference": reference(source)}
            | dataclasses.asdict(source)
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
    } | ({"meta": dict(grid.meta)} if grid.meta else {})


class JsonRenderer:
    def render(self, grid: Grid, style: Style) -> str:
        return json.dumps(document(grid), ensure_ascii=False, indent=2) + "\n"


RENDERER = JsonRenderer()
