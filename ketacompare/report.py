"""The text `ketacompare validate` and `ketacompare schema` print."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ketacompare.loader import Report
    from ketacompare.model import Dataset


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def summary(data: Dataset) -> str:
    """'2 sources, 4 factors, 2 comparisons (routes: 2 subjects, ...), 7 facts, 0 preferences'"""
    parts = []
    facts = 0
    for key in data.comparison_keys():
        comparison = data.comparison(key)
        assert comparison is not None
        parts.append(f"{key}: {_count(len(comparison.subjects), 'subject')}")
        facts += sum(len(f) for s in comparison.subjects.values() for f in s.cells.values())
    return (
        f"{_count(len(data.sources), 'source')}, {_count(len(data.factors), 'factor')}, "
        f"{_count(len(parts), 'comparison')} ({', '.join(parts)}), {_count(facts, 'fact')}, "
        f"{_count(len(data.preferences), 'preference')}"
    )


def report_text(report: Report) -> str:
    """One line per problem, 'FILE:LINE: PATH: MESSAGE', then a one-line verdict."""
    if not report.problems:
        assert report.dataset is not None
        return f"{report.shown}: valid: {summary(report.dataset)}."
    lines = []
    for problem, line in zip(report.problems, report.lines, strict=True):
        where = f"{report.shown}:{line}" if line else report.shown
        lines.append(f"{where}: {problem}")
    lines.append(f"{report.shown}: invalid: {_count(len(report.problems), 'problem')}.")
    return "\n".join(lines)


def schema_text() -> str:
    """The JSON Schema of a data file, generated from the typed model the loader uses."""
    import json

    from ketacompare.convert import json_schema
    from ketacompare.model import Dataset

    return json.dumps(json_schema(Dataset), indent=2)
