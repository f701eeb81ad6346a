"""Cell text shared by every format, so all formats carry the same words."""

from __future__ import annotations

from ketacompare.about import CLINIC_MARK
from ketacompare.model import Fact, Source
from ketacompare.query import Column, Grid, TimedFact

LOW_MARK = "(low confidence)"
EMPTY = "—"


def fact_words(fact: Fact) -> str:
    """The fact's words: its text, or for an "X in 100" figure the sentence built from it."""
    if fact.outcome is None:
        return fact.text
    from ketacompare.render.outcomes import sentence

    return sentence(fact)


def fact_text(fact: Fact) -> str:
    """The fact as every format shows it: a clinic-only claim says so, and a low-confidence
    figure is marked. The one place these marks are decided."""
    words = fact_words(fact)
    text = f"{words} {LOW_MARK}" if fact.confidence == "low" else words
    return CLINIC_MARK + text if fact.clinic_claim else text


def markers(grid: Grid, fact: Fact) -> str:
    """Footnote markers like [1,4] for a fact's sources."""
    numbers = [str(grid.source_number(s)) for s in fact.sources if s in grid.sources]
    return f"[{','.join(numbers)}]" if numbers else ""


def cell_lines(grid: Grid, facts: tuple[Fact, ...], cite: bool = False) -> list[str]:
    """One line per fact; markers appended when citing."""
    lines = []
    for fact in facts:
        line = fact_text(fact)
        mark = markers(grid, fact) if cite else ""
        lines.append(f"{line} {mark}" if mark else line)
    return lines


def cell_text(grid: Grid, facts: tuple[Fact, ...], cite: bool = False, bullet: str = "• ") -> str:
    """A cell as plain text: a single fact alone, several as a bulleted list."""
    return joined(cell_lines(grid, facts, cite), bullet)


def joined(lines: list[str], bullet: str = "• ") -> str:
    """A cell's lines as one text: a single line alone, several as a bulleted list."""
    if len(lines) > 1:
        lines = [bullet + line for line in lines]
    return "\n".join(lines)


def cell_value(grid: Grid, facts: tuple[Fact, ...], cite: bool = False) -> str:
    """A cell exactly as the table shows it, with EMPTY where the sources say nothing."""
    return cell_text(grid, facts, cite) if facts else EMPTY


def legend(grid: Grid) -> list[str]:
    """'[1] id: authors (year). title. venue.' lines for --sources."""
    out = []
    for number, (sid, source) in enumerate(grid.sources.items(), start=1):
        out.append(f"[{number}] {sid}: {reference(source)}")
    return out


def reference(source: Source) -> str:
    """'Doe J (2020). A trial. J Test. doi:10.1/x; PMID 1.' Unknown fields say so."""
    authors = source.authors or "Authors not stated"
    year = f"({source.year})" if source.year is not None else "(year not stated)"
    parts = [f"{authors} {year}", source.title or "Title not stated"]
    if source.venue:
        parts.append(source.venue)
    ids = [f"doi:{source.doi}" if source.doi else "", f"PMID {source.pmid}" if source.pmid else ""]
    ids.append(source.url or "")
    if any(ids):
        parts.append("; ".join(i for i in ids if i))
    # A part that already ends a sentence ('mirrors?') gets no extra full stop.
    return " ".join(p if p.endswith((".", "?", "!")) else p + "." for p in parts)


def fact_extra(fact: Fact) -> dict[str, object]:
    """Machine-readable numbers a fact carries beyond its text, for json (and csv).

    Timeline figures carry their event and minutes, e.g. {"event": "peak",
    "minutes": {"low": 20, "high": 40}}; other facts carry nothing extra.
    """
    if fact.outcome is not None:
        return {"outcome": fact_numbers(fact)}
    if not isinstance(fact, TimedFact):
        return {}

    def num(value: float) -> int | float:
        return int(value) if float(value).is_integer() else value

    return {"event": fact.event, "minutes": {"low": num(fact.low), "high": num(fact.high)}}


def fact_numbers(fact: Fact) -> dict[str, object]:
    """An "X in 100" figure's numbers, one value per OUTCOME_COLUMNS name (None where the
    fact has no figure): the numeric columns of the tidy CSV and json's "outcome" object."""
    from ketacompare.render.outcomes import OUTCOME_COLUMNS, numbers

    return numbers(fact) or dict.fromkeys(OUTCOME_COLUMNS)


def sections(grid: Grid) -> list[tuple[str | None, tuple[Column, ...]]]:
    """Tables to draw: one per subject (headed by its name) for cards, else one for all."""
    if grid.layout == "cards":
        return [(column.name, (column,)) for column in grid.columns]
    return [(None, grid.columns)]
