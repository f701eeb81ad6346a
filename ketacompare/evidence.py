"""Evidence views: the bibliography, a route's detail card, and the timing timeline.

Each builds a Grid like every other view, so every output format works on them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from ketacompare.errors import UsageError
from ketacompare.model import KIND_MEANINGS, Dataset, Fact, Source, Subject, TimelinePoint
from ketacompare.query import (
    EVENTS,
    MISSING_NOTE,
    Column,
    Grid,
    Row,
    TimedFact,
    available_factors,
    cited_sources,
    resolve_factors,
    resolve_subjects,
    shown_subjects,
    text_grid,
)

NOT_STATED = "not stated"


def minutes_text(low: float, high: float) -> str:
    """5 -> '5', (20, 40) -> '20-40', 0.5 -> '0.5': the data's numbers, not rounded."""

    def num(value: float) -> str:
        return str(int(value)) if float(value).is_integer() else repr(float(value))

    return num(low) if low == high else f"{num(low)}-{num(high)}"


def timed_fact(point: TimelinePoint) -> TimedFact:
    span = point.minutes if isinstance(point.minutes, tuple) else (point.minutes,)
    low, high = float(span[0]), float(span[-1])
    return TimedFact(
        text=f"{minutes_text(low, high)} min: {point.text}",
        sources=point.sources,
        confidence=point.confidence,
        basis=point.basis,
        event=point.event,
        low=low,
        high=high,
    )


# Names on the command line --------------------------------------------------------------


# Who cites what ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Citation:
    """One place a source is cited: a cell, a timeline point or a preference rating."""

    comparison: str  # routes | therapies | conditions | preferences
    subject: str  # subject key (for preferences: the route key)
    group: str  # 'IV infusion': citations in one group are listed on one line
    item: str  # 'Onset'
    factor: str | None = None  # factor key of a cell; None for timeline and preferences


def citations(data: Dataset) -> dict[str, list[Citation]]:
    """Source id -> every place that cites it, in data order (one entry per cell)."""
    found: dict[str, list[Citation]] = {sid: [] for sid in data.sources}

    def add(ids: Iterable[str], citation: Citation) -> None:
        for sid in dict.fromkeys(ids):  # a cell citing a source twice counts once
            found.setdefault(sid, []).append(citation)

    for ckey in data.comparison_keys():
        comparison = data.comparison(ckey)
        assert comparison is not None
        for skey, subject in comparison.subjects.items():
            for fkey, facts in subject.cells.items():
                label = data.factors[fkey].label
                ids = [sid for fact in facts for sid in fact.sources]
                add(ids, Citation(ckey, skey, subject.name, label, fkey))
            for event in EVENTS:
                ids = [sid for p in subject.timeline if p.event == event for sid in p.sources]
                if ids:
                    item = f"Timeline ({EVENTS[event].lower()})"
                    add(ids, Citation(ckey, skey, subject.name, item))
    routes = data.comparisons.routes.subjects
    for pref in data.preferences.values():
        for rkey, rating in pref.ratings.items():
            name = routes[rkey].name if rkey in routes else rkey
            add(rating.sources, Citation("preferences", rkey, pref.label, name))
    return found


def _cited_in_lines(places: Sequence[Citation]) -> list[str]:
    """'routes: IV infusion / Onset, Advantages': one line per subject, not per cell."""
    groups: dict[tuple[str, str], list[str]] = {}
    for c in places:
        groups.setdefault((c.comparison, c.group), []).append(c.item)
    return [f"{ckey}: {head} / {', '.join(tails)}" for (ckey, head), tails in groups.items()]


SOURCE_ROWS = (
    Row("kind", "Kind"),
    Row("authors", "Authors"),
    Row("year", "Year"),
    Row("title", "Title"),
    Row("venue", "Venue"),
    Row("doi", "DOI"),
    Row("pmid", "PMID"),
    Row("url", "URL"),
    Row("note", "Note"),
    Row("cited-in", "Cited in"),
)


def sources_grid(
    data: Dataset, route_words: Sequence[str] = (), factor_words: Sequence[str] = ()
) -> Grid:
    """`ketacompare sources`: one card per source, with every cell that cites it.

    --route and --factor keep only the sources cited by those routes' / factors' cells,
    and list only those places.
    """
    route_keys, factor_keys = _source_filters(data, route_words, factor_words)
    filtered = bool(route_keys or factor_keys)

    def keep(c: Citation) -> bool:
        if route_keys and not (
            c.comparison in ("routes", "preferences") and c.subject in route_keys
        ):
            return False
        return not factor_keys or c.factor in factor_keys

    places = {sid: [c for c in cs if keep(c)] for sid, cs in citations(data).items()}
    chosen = [sid for sid in data.sources if places[sid] or not filtered]
    scope = _scope(data, route_keys, factor_keys)
    if not chosen:
        raise UsageError(f"no cell of {scope} cites a source. Try a wider --route or --factor.")
    notes = [
        "'not stated' means the source's own metadata, as seen, does not give it; "
        "gaps are kept visible, never filled in."
    ]
    total = len(data.sources)
    if filtered:
        notes.insert(0, f"{len(chosen)} of {total} sources are cited by {scope}.")
    return Grid(
        title=f"Sources cited by {scope}" if filtered else f"Sources ({total})",
        corner="Field",
        columns=tuple(Column(sid, sid) for sid in chosen),
        rows=SOURCE_ROWS,
        cells=_source_cells(data, chosen, places),
        sources={sid: data.sources[sid] for sid in chosen},
        notes=tuple(notes),
        layout="cards",
        kind="sources",
    )


def _source_filters(
    data: Dataset, route_words: Sequence[str], factor_words: Sequence[str]
) -> tuple[list[str], list[str]]:
    """--route and --factor words to keys; a factor must have data for the routes named."""
    routes = data.comparisons.routes
    route_keys = resolve_subjects(routes, route_words, "route") if route_words else []
    if route_keys:
        available = available_factors(data, routes, route_keys)
    else:
        available = [k for k in data.factors if any(_uses(data, k))]
    factor_keys = resolve_factors(data, available, factor_words) if factor_words else []
    return route_keys, factor_keys


def _source_cells(
    data: Dataset, chosen: Sequence[str], places: dict[str, list[Citation]]
) -> dict[tuple[str, str], tuple[Fact, ...]]:
    """Each source's metadata fields, and the cells that cite it, as one column of cells."""
    cells: dict[tuple[str, str], tuple[Fact, ...]] = {}
    for sid in chosen:
        for key, text in _source_fields(data.sources[sid]).items():
            cells[(key, sid)] = (Fact(text, ()),)
        lines = _cited_in_lines(places[sid]) or ["not cited by any cell"]
        cells[("cited-in", sid)] = tuple(Fact(line, ()) for line in lines)
    return cells


def _uses(data: Dataset, factor: str) -> Iterable[bool]:
    for ckey in data.comparison_keys():
        comparison = data.comparison(ckey)
        assert comparison is not None
        yield any(factor in s.cells for s in comparison.subjects.values())


def _scope(data: Dataset, route_keys: Sequence[str], factor_keys: Sequence[str]) -> str:
    routes = data.comparisons.routes.subjects
    parts = []
    if route_keys:
        parts.append(" and ".join(routes[k].name for k in route_keys))
    if factor_keys:
        parts.append(" and ".join(data.factors[k].label for k in factor_keys))
    return " / ".join(parts)


def _source_fields(source: Source) -> dict[str, str]:
    """Every metadata field as text; unknown ones say so instead of being filled in."""
    return {
        "kind": f"{source.kind}: {KIND_MEANINGS[source.kind]}",
        "authors": source.authors or NOT_STATED,
        "year": str(source.year) if source.year is not None else NOT_STATED,
        "title": source.title or NOT_STATED,
        "venue": source.venue or NOT_STATED,
        "doi": source.doi or NOT_STATED,
        "pmid": source.pmid or NOT_STATED,
        "url": source.url or NOT_STATED,
        "note": source.note or "none",
    }


def short_reference(source: Source) -> str:
    """'Doe J, Roe R (2020). A trial.' with gaps spelled out."""
    authors = source.authors or "Authors not stated"
    year = f"({source.year})" if source.year is not None else "(year not stated)"
    title = source.title or "Title not stated"
    return f"{authors} {year}. {title.rstrip('.')}."


# One route's card --------------------------------------------------------------------------


def _figure(fact: Fact) -> Fact:
    """A figure as the card shows it: its source ids and its confidence, inline.

    Low figures keep confidence 'low', so the shared '(low confidence)' mark is added
    by every renderer; high and medium say so in the text.
    """
    if fact.confidence is None:
        return fact
    text = f"{fact.text} [{', '.join(fact.sources)}]"
    if fact.confidence != "low":
        text += f" ({fact.confidence} confidence)"
    return replace(fact, text=text)


def _card_timeline(subject: Subject) -> tuple[Fact, ...]:
    out: list[Fact] = []
    for event, label in EVENTS.items():
        for point in subject.timeline:
            if point.event == event:
                timed = timed_fact(point)
                out.append(_figure(replace(timed, text=f"{label} {timed.text}")))
    return tuple(out)


def route_list_grid(data: Dataset) -> Grid:
    """`ketacompare show` with no route: the routes one can name."""
    routes = data.comparisons.routes
    columns = (Column("name", "Route"), Column("aliases", "Also accepted"))
    rows = {
        key: (
            key,
            {
                "name": f"{s.name} (hidden: shown with --all)" if s.hidden else s.name,
                "aliases": ", ".join(s.aliases),
            },
        )
        for key, s in routes.subjects.items()
    }
    first = next(iter(routes.subjects))
    notes = (f"Show one with 'ketacompare show ROUTE', e.g. 'ketacompare show {first}'.",)
    return text_grid("Routes you can show", "Key", columns, rows, "route-list", notes)


def show_grid(data: Dataset, word: str, factors: Sequence[str] = ()) -> Grid:
    """`ketacompare show ROUTE`: every factor of one route (or those --factor picks), its
    figures and its sources."""
    routes = data.comparisons.routes
    (key,) = resolve_subjects(routes, [word], "route")
    subject = routes.subjects[key]
    factor_keys = available_factors(data, routes, list(routes.subjects))
    if factors:
        factor_keys = resolve_factors(data, factor_keys, factors)
    rows: list[Row] = []
    cells: dict[tuple[str, str], tuple[Fact, ...]] = {}
    if subject.aliases and not factors:
        rows.append(Row("also-called", "Also called"))
        cells[("also-called", key)] = (Fact(", ".join((key, *subject.aliases)), ()),)
    for fkey in factor_keys:
        rows.append(Row(fkey, data.factors[fkey].label))
        cells[(fkey, key)] = tuple(_figure(f) for f in subject.cells.get(fkey, ()))
    timing = () if factors else _card_timeline(subject)
    if timing:
        rows.append(Row("timeline", "Timing figures (minutes after a dose)"))
        cells[("timeline", key)] = timing
    every_fact = [f for k in factor_keys for f in subject.cells.get(k, ())] + list(timing)
    cited = cited_sources(data, every_fact)
    rows.append(Row("sources", "Sources behind this card"))
    cells[("sources", key)] = tuple(
        Fact(f"{sid} ({src.kind}): {short_reference(src)}", (sid,)) for sid, src in cited.items()
    )
    notes = [f"{subject.name}: {subject.note}"] if subject.note else []
    if subject.hidden:
        notes.append(
            f"{subject.name} is a hidden route: 'ketacompare routes' shows it only with --all; "
            "name it to see it anywhere else."
        )
    if any(not facts for facts in cells.values()):
        notes.append(MISSING_NOTE)
    notes.append(
        "Figures show their source ids and confidence. Study doses are what studies used, "
        "not advice."
    )
    return Grid(
        title=subject.name,
        corner="Factor",
        columns=(Column(key, subject.name, subject.note),),
        rows=tuple(rows),
        cells=cells,
        sources=cited,
        notes=tuple(notes),
        layout="cards",
        kind="route-card",
    )


# Timeline -----------------------------------------------------------------------------------


def timeline_grid(data: Dataset, words: Sequence[str] = (), include_hidden: bool = False) -> Grid:
    """`ketacompare timeline`: rows = routes, columns = events, cells = sourced minutes."""
    routes = data.comparisons.routes
    left_out: list[str] = []
    if words:
        keys = resolve_subjects(routes, words, "route")
    else:
        keys, left_out = shown_subjects(routes, include_hidden)
    cells: dict[tuple[str, str], tuple[Fact, ...]] = {}
    for key in keys:
        points = [timed_fact(p) for p in routes.subjects[key].timeline]
        for event in EVENTS:
            chosen = sorted((p for p in points if p.event == event), key=lambda p: p.low)
            cells[(key, event)] = tuple(chosen)
    untimed = [routes.subjects[k].name for k in keys if not routes.subjects[k].timeline]
    notes = [
        "Minutes after a dose, only from sourced figures; a range [low, high] is shown as a "
        "range. A route or event without a sourced figure is left empty, never estimated.",
        "Blood-level figures (plasma: how much drug is in the blood) are kept apart from "
        "effects (what patients feel or trials measured): the blood peak is not the moment "
        "of the strongest effect. Required monitoring is a rule from the label, not an effect.",
    ]
    if untimed:
        notes.append(f"No sourced timing: {', '.join(untimed)}.")
    notes += left_out
    facts = [f for fs in cells.values() for f in fs]
    return Grid(
        title="Timing after a dose (minutes), from sourced figures",
        corner="Route",
        columns=tuple(Column(event, label) for event, label in EVENTS.items()),
        rows=tuple(Row(k, routes.subjects[k].name) for k in keys),
        cells=cells,
        sources=cited_sources(data, facts),
        notes=tuple(notes),
        kind="timeline",
    )
