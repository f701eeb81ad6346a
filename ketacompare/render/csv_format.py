"""Tidy CSV for spreadsheets and pandas: RFC 4180 (CRLF, quotes doubled), one header row,
then one row per observation. No note rows, no bullets, no line breaks inside a cell;
an empty cell is a missing value.

Comparison views: one row per fact (a cell with no facts: one row with an empty fact).

    view, option, factor, fact, sources ("; "-joined ids), basis, confidence,
    x_in_100, group, comparator_x_in_100, comparator_group, out_of, time_frame,
    population, people_studied, design, certainty,   # "X in 100" figures, else empty
    fits_decision,                                   # (render/outcomes.py names them)
    content_date, version, notice                    # the same on every row

`sources`: one row per source (id, kind, reference and its fields). Lists whose rows are
the records (factors, wishes, the route list): one row per record. The notice (disclaimer
and disclosure) travels in its own column, so a filtered file still carries it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from ketacompare import __version__
from ketacompare.about import CONFLICT, DISCLAIMER, WHO
from ketacompare.model import Fact
from ketacompare.query import Grid
from ketacompare.render import Style
from ketacompare.render.base import fact_numbers, fact_text, reference
from ketacompare.render.outcomes import OUTCOME_COLUMNS

FACT_COLUMNS = ("view", "option", "factor", "fact", "sources", "basis", "confidence")
CONSTANT_COLUMNS = ("content_date", "version", "notice")
NOTICE = f"{DISCLAIMER} {WHO} {CONFLICT}"
# Views whose rows are the records; their columns are the fields.
RECORD_KINDS = frozenset({"factors", "route-list", "preferences", "about"})
SOURCE_FIELDS = ("kind", "authors", "year", "title", "venue", "doi", "pmid", "url", "note")


def flat(text: str) -> str:
    """One line: a line break inside data becomes a space."""
    return " ".join(text.split())


def outcome_values(fact: Fact) -> list[object]:
    """The OUTCOME_COLUMNS of a fact, empty where it has no "X in 100" figure."""
    return ["" if v is None else v for v in fact_numbers(fact).values()]


class CsvRenderer:
    def render(self, grid: Grid, style: Style) -> str:
        out = io.StringIO(newline="")
        writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        constant = [grid.updated, __version__, NOTICE]
        if grid.kind == "sources":
            header, rows = self._sources(grid)
        elif grid.kind in RECORD_KINDS:
            header, rows = self._records(grid)
        else:
            header, rows = [*FACT_COLUMNS, *OUTCOME_COLUMNS], self._facts(grid)
        writer.writerow([*header, *CONSTANT_COLUMNS])
        for row in rows:
            writer.writerow([flat(str(v)) for v in row] + constant)
        return out.getvalue()

    @staticmethod
    def _facts(grid: Grid) -> Iterable[list[object]]:
        for column in grid.columns:
            for row in grid.rows:
                where = [grid.kind, column.name, row.label]
                facts = grid.cell(row.key, column.key)
                if not facts:  # a missing value: the place is there, its cells empty
                    yield where + [""] * (len(FACT_COLUMNS) - 3 + len(OUTCOME_COLUMNS))
                for fact in facts:
                    yield [
                        *where,
                        fact_text(fact),
                        "; ".join(fact.sources),
                        fact.basis or "",
                        fact.confidence or "",
                        *outcome_values(fact),
                    ]

    @staticmethod
    def _records(grid: Grid) -> tuple[list[str], list[list[object]]]:
        header = [_name(grid.corner or "key"), *(_name(c.name) for c in grid.columns)]
        rows: list[list[object]] = []
        for row in grid.rows:
            cells = ["; ".join(f.text for f in grid.cell(row.key, c.key)) for c in grid.columns]
            rows.append([row.label, *cells])
        return header, rows

    @staticmethod
    def _sources(grid: Grid) -> tuple[list[str], list[list[object]]]:
        header = ["id", "reference", *SOURCE_FIELDS, "cited_in"]
        rows: list[list[object]] = []
        for sid, source in grid.sources.items():
            fields = [getattr(source, name) for name in SOURCE_FIELDS]
            cited = "; ".join(f.text for f in grid.cell("cited-in", sid))
            values = ["" if v is None else v for v in fields]
            rows.append([sid, reference(source), *values, cited])
        return header, rows


def _name(label: str) -> str:
    """A column heading as a spreadsheet-friendly name: 'Also accepted' -> also_accepted."""
    return "_".join(label.lower().split()) or "value"


RENDERER = CsvRenderer()
