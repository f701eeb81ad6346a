"""The comparison engine: pick subjects and factors from a Dataset and build a Grid.

Every view (routes, therapies, conditions, factor lists, rankings) is a Grid of
rows x columns whose cells are facts; renderers only ever see Grids.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ketacompare.about import CLINIC_LEGEND, DISCLAIMER, short_line
from ketacompare.errors import UsageError
from ketacompare.model import Comparison, Dataset, Fact, Source
from ketacompare.names import (
    match_name,
    resolve_factors,
    resolve_subjects,
    split_words,
    subject_names,
)

# Re-exported: renderers and tests import DISCLAIMER from here; views import the name
# functions from here (they live in ketacompare.names).
__all__ = [
    "DISCLAIMER",
    "match_name",
    "resolve_factors",
    "resolve_subjects",
    "split_words",
    "subject_names",
]

LISTED_SOURCES = 8  # the footer names the sources' ids up to this many
MISSING_NOTE = "'—' means the sources say nothing on this point."


# Optional machine-readable extras a view can attach (e.g. choose's rank and score).
# Values are JSON-safe (str, int, float, bool, None, lists of those); the table ignores
# them, structured formats may emit them. Not part of equality or hashing.
Meta = Mapping[str, object]


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    name: str
    note: str | None = None
    meta: Meta = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True, slots=True)
class Row:
    key: str
    label: str


@dataclass(frozen=True, slots=True)
class Grid:
    """What a renderer draws: a title, columns, rows, and facts in the cells."""

    title: str
    corner: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    cells: Mapping[tuple[str, str], tuple[Fact, ...]]  # (row key, column key) -> facts
    sources: Mapping[str, Source] = field(default_factory=dict)  # cited, in first-cited order
    notes: tuple[str, ...] = ()
    layout: str = "columns"
    kind: str = "comparison"
    meta: Meta = field(default_factory=dict)  # view-level extras, e.g. what was asked
    updated: str = ""  # the data file's content date, ISO; set for every view by the CLI
    decision: str = ""  # the decision the tool helps with, from the data; the handout names it
    # Source id -> its [n] for --sources, worked out once: a view can cite thousands.
    numbers: Mapping[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        numbers = {sid: n for n, sid in enumerate(self.sources, start=1)}
        object.__setattr__(self, "numbers", numbers)

    def has_clinic_claims(self) -> bool:
        return any(fact.clinic_claim for facts in self.cells.values() for fact in facts)

    def cell(self, row: str, column: str) -> tuple[Fact, ...]:
        return self.cells.get((row, column), ())

    def footer(self) -> list[str]:
        """Closing lines every format prints: notes, where facts come from, the disclaimer."""
        lines = list(self.notes)
        if self.sources and self.kind != "sources":  # the bibliography needs no pointer to itself
            count = len(self.sources)
            # A long list of ids tells a reader little and costs a screenful of lines.
            ids = f": {', '.join(self.sources)}" if count <= LISTED_SOURCES else ""
            lines.append(
                f"Facts from {count} source{'' if count == 1 else 's'}{ids}. "
                "Run 'ketacompare sources' for the full references."
            )
        if self.has_clinic_claims():
            lines.append(CLINIC_LEGEND)
        if self.updated:
            lines.append(short_line(self.updated))
        lines.append(DISCLAIMER)
        return lines

    def source_number(self, source_id: str) -> int:
        return self.numbers[source_id]


# Timeline events in the order a dose unfolds; labels are column headings. Blood levels
# (plasma) and effects (clinical) are separate events, so a blood peak never reads as
# the moment you feel most.
EVENTS: dict[str, str] = {
    "blood-first": "First found in blood",
    "blood-peak": "Peak blood level",
    "first-effect": "First effect",
    "peak": "Peak effect",
    "end": "End of acute effects",
    "monitoring-end": "End of required monitoring",
}
# Which line of the timeline chart an event is drawn on.
EVENT_TRACK: dict[str, str] = {
    "blood-first": "blood",
    "blood-peak": "blood",
    "first-effect": "effects",
    "peak": "effects",
    "end": "effects",
    "monitoring-end": "monitoring",
}


@dataclass(frozen=True, slots=True)
class TimedFact(Fact):
    """A timeline figure as a cell fact: the text plus the minutes it marks.

    `low == high` for a single figure; a range [low, high] stays a range.
    """

    event: str = "peak"
    low: float = 0.0
    high: float = 0.0


def cited_sources(data: Dataset, facts: Iterable[Fact]) -> dict[str, Source]:
    cited: dict[str, Source] = {}
    for fact in facts:
        for sid in fact.sources:
            if sid not in cited and sid in data.sources:
                cited[sid] = data.sources[sid]
    return cited


def shown_subjects(comparison: Comparison, include_hidden: bool) -> tuple[list[str], list[str]]:
    """(subject keys a view shows when none are named, the note saying what it left out)."""
    keys = [k for k, s in comparison.subjects.items() if include_hidden or not s.hidden]
    hidden = [s.name for s in comparison.subjects.values() if s.hidden]
    if hidden and not include_hidden:
        return keys, [f"Not shown: {', '.join(hidden)}. Add --all to include."]
    return keys, []


def factor_usage(data: Dataset) -> dict[str, list[str]]:
    """Factor key -> the comparisons that have at least one cell for it."""
    usage: dict[str, list[str]] = {key: [] for key in data.factors}
    for ckey in data.comparison_keys():
        comparison = data.comparison(ckey)
        assert comparison is not None
        for subject in comparison.subjects.values():
            for fkey in subject.cells:
                if ckey not in usage[fkey]:
                    usage[fkey].append(ckey)
    return usage


def available_factors(data: Dataset, comparison: Comparison, subjects: Sequence[str]) -> list[str]:
    """Factors with data for any of these subjects: the comparison's `rows` first, in that
    order, then the rest in declaration order (so a shared factor can sit where each
    comparison wants it)."""
    present = {f for s in subjects for f in comparison.subjects[s].cells}
    order = dict.fromkeys((*comparison.rows, *data.factors))
    return [key for key in order if key in present]


# Grids ---------------------------------------------------------------------------------


def get_comparison(data: Dataset, ckey: str) -> Comparison:
    comparison = data.comparison(ckey)
    if comparison is None:
        raise UsageError(
            f"the data file has no '{ckey}' comparison. Add it under 'comparisons:' "
            "(see docs/data-format.md)."
        )
    return comparison


def subset_grid(
    data: Dataset,
    ckey: str,
    words: Sequence[str] | None,
    what: str,
    factors: Sequence[str],
    include_hidden: bool,
) -> Grid:
    """A comparison narrowed to the subjects (or presets) named; all shown when none are."""
    keys = (
        resolve_subjects(get_comparison(data, ckey), words, what, presets=True) if words else None
    )
    return comparison_grid(data, ckey, keys, factors, include_hidden=include_hidden)


def brief_facts(facts: Sequence[Fact]) -> tuple[Fact, ...]:
    """A cell in the short view: its facts written for it, or (if it has none) all of them,
    so a cell is never shown empty while it holds facts."""
    short = tuple(f for f in facts if f.brief)
    return short or tuple(facts)


def brief_note(ckey: str, subjects: Sequence[str]) -> str:
    """The footer line of a short view: how to see more."""
    more = f", or see 'ketacompare show {subjects[0]}'" if ckey == "routes" and subjects else ""
    return f"Short view. Add --detail for every fact and study{more}."


def comparison_grid(
    data: Dataset,
    ckey: str,
    subjects: Sequence[str] | None = None,
    factors: Sequence[str] = (),
    include_hidden: bool = False,
    title: str | None = None,
    detail: bool = True,
) -> Grid:
    """The subjects x factors grid of one comparison, narrowed as asked.

    Without `detail`, the short view: the comparison's `brief_rows` (unless --factor picks
    rows) and, in each cell, only the facts marked `brief`. A comparison with no
    `brief_rows` has no short view and is shown whole.
    """
    comparison = get_comparison(data, ckey)
    left_out: list[str] = []
    if subjects is None:
        keys, left_out = shown_subjects(comparison, include_hidden)
    else:
        keys = list(subjects)
    available = available_factors(data, comparison, keys)
    brief = not detail and bool(comparison.brief_rows)
    if factors:
        rows = resolve_factors(data, available, factors)
    elif brief:
        rows = [f for f in comparison.brief_rows if f in available]
    else:
        rows = available
    # Only cells with facts are kept (Grid.cell gives () for the rest): a large file's
    # grid is mostly empty. Row by row, so sources are numbered in reading order.
    cells: dict[tuple[str, str], tuple[Fact, ...]] = {}
    shortened = False
    by_subject = [(s, comparison.subjects[s].cells) for s in keys]
    for f in rows:
        for s, subject_cells in by_subject:
            facts = subject_cells.get(f)
            if facts:
                shown = brief_facts(facts) if brief else facts
                shortened = shortened or len(shown) < len(facts)
                cells[(f, s)] = shown
    notes = [
        f"{comparison.subjects[s].name}: {comparison.subjects[s].note}"
        for s in keys
        if comparison.subjects[s].note
    ]
    if len(cells) < len(rows) * len(keys):
        notes.append(MISSING_NOTE)
    notes += left_out
    # Say so only when something was left out: rows (unless --factor picked them) or facts.
    if brief and ((not factors and rows != available) or shortened):
        notes.append(brief_note(ckey, keys))
    return Grid(
        title=title or comparison.title,
        corner="Factor",
        columns=tuple(
            Column(k, comparison.subjects[k].name, comparison.subjects[k].note) for k in keys
        ),
        rows=tuple(Row(f, data.factors[f].label) for f in rows),
        cells=cells,
        sources=cited_sources(data, (fact for facts in cells.values() for fact in facts)),
        notes=tuple(notes),
        layout=comparison.layout,
        kind=ckey,
    )


def text_grid(
    title: str,
    corner: str,
    columns: Sequence[Column],
    rows: Mapping[str, tuple[str, Mapping[str, str]]],
    kind: str,
    notes: tuple[str, ...] = (),
) -> Grid:
    """A grid of plain text with no sources (factors, the route list, about).

    `rows` maps a row key to (its label, column key -> text); empty text is an empty cell.
    """
    cells = {
        (key, column.key): (Fact(text, ()),) if (text := values.get(column.key, "")) else ()
        for key, (_, values) in rows.items()
        for column in columns
    }
    return Grid(
        title=title,
        corner=corner,
        columns=tuple(columns),
        rows=tuple(Row(key, label) for key, (label, _) in rows.items()),
        cells=cells,
        notes=notes,
        kind=kind,
    )


def factors_grid(data: Dataset) -> Grid:
    """`ketacompare factors`: each factor's label, description and comparisons."""
    usage = factor_usage(data)
    columns = (Column("label", "Label"), Column("description", "Description"))
    columns += (Column("aliases", "Also accepted"), Column("comparisons", "In"))
    rows = {
        key: (
            key,
            {
                "label": factor.label,
                "description": factor.description,
                "aliases": ", ".join(factor.aliases),
                "comparisons": ", ".join(usage[key]) or "(none)",
            },
        )
        for key, factor in data.factors.items()
    }
    notes = ("Use a key, an alias or a unique prefix with --factor.",)
    return text_grid("Factors", "Key", columns, rows, "factors", notes)


def about_grid(data: Dataset) -> Grid:
    """`ketacompare about`: who made it, funding, the conflict to disclose, update policy."""
    from ketacompare.about import sections

    rows = {
        str(i): (heading, {"about": text})
        for i, (heading, text) in enumerate(sections(data.updated.isoformat()))
    }
    return text_grid("About ketacompare", "", [Column("about", "About ketacompare")], rows, "about")


def preset(data: Dataset, ckey: str, name: str) -> list[str]:
    """A named subset of a comparison's subjects, e.g. kap-vs-talk."""
    comparison = data.comparison(ckey)
    if comparison is None or name not in comparison.presets:
        raise UsageError(
            f"the data file has no '{name}' preset under comparisons.{ckey}.presets; "
            "add one (see docs/data-format.md)."
        )
    return list(comparison.presets[name])


def compare_grid(
    data: Dataset, words: Sequence[str], factors: Sequence[str], detail: bool = True
) -> Grid:
    """`compare`: two or more routes, in the order named ('iv,im' counts as two)."""
    routes = data.comparisons.routes
    keys = resolve_subjects(routes, split_words(words), "route")
    if len(keys) < 2:
        raise UsageError(
            "name two or more routes to compare, e.g. 'ketacompare compare iv im'. "
            f"Routes: {', '.join(routes.subjects)}."
        )
    return comparison_grid(data, "routes", subjects=keys, factors=factors, detail=detail)


def preset_grid(
    data: Dataset, ckey: str, name: str, factors: Sequence[str], detail: bool = True
) -> Grid:
    """A named preset of a comparison, titled 'A vs B' from its subjects' names."""
    keys = preset(data, ckey, name)
    comparison = data.comparison(ckey)
    assert comparison is not None  # preset() checked it
    title = " vs ".join(comparison.subjects[k].name for k in keys)
    return comparison_grid(data, ckey, subjects=keys, factors=factors, title=title, detail=detail)
