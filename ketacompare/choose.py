"""`ketacompare choose`: rank routes by the preferences a patient picks, and say why.

Preferences and their per-route ratings come from the data file. Scoring is deliberately
simple and shown to the user: meets +2, partly +1, no information 0, conflicts -1, summed
over every chosen preference (wishes and needs alike). A route that conflicts with a need
goes after all others, marked, never hidden. Ties keep data order (sorting is stable).

The Grid built here holds only the preferences' own facts, never a route's cells, so no
study dose can reach the output through this view.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ketacompare.errors import UsageError, unknown_name
from ketacompare.model import Dataset, Fact, Preference
from ketacompare.query import Column, Grid, Row, cited_sources, match_name, shown_subjects

POINTS: dict[str | None, int] = {"meets": 2, "partly": 1, None: 0, "conflicts": -1}
VERDICT = {"meets": "Meets", "partly": "Partly meets", "conflicts": "Conflicts"}
SUMMARY_ROW = "summary"
LIST_HINT = "Run 'ketacompare choose --list' to see what each one means."
SCORING_NOTE = (
    "Score: meets +2, partly meets +1, no information 0, conflicts -1, summed over the "
    "preferences chosen. Routes that conflict with a need come after all others; "
    "equal scores keep the data file's order."
)
NO_INFO_NOTE = "'—' means the data file has no information on that route for that preference (0)."
LIST_NOTE = (
    "choose sorts sourced facts by what you say matters; it does not choose for you. "
    "Discuss the options with a clinician."
)
CLOSING_NOTE = (
    "This ranking only sorts sourced facts by what you said matters; it does not choose "
    "for you. Discuss these options with a clinician."
)


@dataclass(frozen=True, slots=True)
class Ranked:
    """One route's place in the ranking."""

    key: str
    name: str
    rank: int
    score: int
    counts: dict[str, int]  # meets / partly / conflicts / no_information -> how many
    need_conflicts: tuple[str, ...]  # preference keys given as --need that it conflicts with
    tied_with: tuple[str, ...]  # route keys with the same score and conflict status


def _preferences(data: Dataset) -> dict[str, Preference]:
    if not data.preferences:
        raise UsageError(
            "the data file has no preferences to choose by. Add a 'preferences:' section "
            "(see docs/data-format.md)."
        )
    return data.preferences


def resolve_preferences(data: Dataset, words: Sequence[str]) -> list[str]:
    """Words to preference keys: exact key, else a unique prefix; any case; first wins."""
    keys = list(_preferences(data))
    names = {k.lower(): k for k in keys}
    chosen: list[str] = []
    for word in words:
        key = match_name(word, names, "preference")
        if key is None:
            raise unknown_name("preference", word, keys, LIST_HINT)
        if key not in chosen:
            chosen.append(key)
    return chosen


def resolve_request(
    data: Dataset, prefer_words: Sequence[str], need_words: Sequence[str]
) -> tuple[list[str], list[str]]:
    """--prefer and --need words to (wishes, needs), checked against each other."""
    keys = list(_preferences(data))
    prefer = resolve_preferences(data, prefer_words)
    need = resolve_preferences(data, need_words)
    if not prefer and not need:
        raise UsageError(
            "no preference given. Say what matters with --prefer KEY (a wish) or "
            "--need KEY (a must-have), e.g. 'ketacompare choose --prefer no-needles'. "
            f"Valid preferences: {', '.join(keys)}. {LIST_HINT}"
        )
    both = [k for k in need if k in prefer]
    if both:
        raise UsageError(
            f"preference '{both[0]}' was given both as --prefer and as --need; give it once: "
            "--need if it is a must-have, --prefer if it is a wish."
        )
    return prefer, need


def rank_routes(
    data: Dataset, prefer: Sequence[str], need: Sequence[str], include_hidden: bool = False
) -> list[Ranked]:
    """Routes in ranked order: no need-conflict first, then by score; ties keep data order."""
    subjects = data.comparisons.routes.subjects
    chosen = [*need, *prefer]
    scored = []
    shown, _ = shown_subjects(data.comparisons.routes, include_hidden)
    for key in shown:
        subject = subjects[key]
        counts = {"meets": 0, "partly": 0, "conflicts": 0, "no_information": 0}
        score = 0
        for pkey in chosen:
            rating = data.preferences[pkey].ratings.get(key)
            verdict = rating.rating if rating else None
            score += POINTS[verdict]
            counts[verdict or "no_information"] += 1
        conflicts = tuple(
            p
            for p in need
            if (r := data.preferences[p].ratings.get(key)) is not None and r.rating == "conflicts"
        )
        scored.append((key, subject.name, score, counts, conflicts))
    # sorted() is stable, so equal keys keep data order.
    scored.sort(key=lambda item: (bool(item[4]), -item[2]))
    ranked = []
    for rank, (key, name, score, counts, conflicts) in enumerate(scored, start=1):
        tied = tuple(
            k for k, _, s, _, c in scored if k != key and s == score and bool(c) == bool(conflicts)
        )
        ranked.append(Ranked(key, name, rank, score, counts, conflicts, tied))
    return ranked


def _sources_text(ids: Sequence[str]) -> str:
    return f"(source{'s' if len(ids) > 1 else ''}: {', '.join(ids)})"


def _summary(data: Dataset, route: Ranked, total: int, best: int) -> str:
    c = route.counts
    text = (
        f"Rank {route.rank} of {total}; score {route.score} of {best}. Meets {c['meets']}, "
        f"partly {c['partly']}, conflicts {c['conflicts']}, "
        f"no information {c['no_information']}."
    )
    if route.need_conflicts:
        labels = ", ".join(data.preferences[p].label for p in route.need_conflicts)
        text += f" Conflicts with a need ({labels}): listed after the others."
    if route.tied_with:
        names = ", ".join(data.comparisons.routes.subjects[k].name for k in route.tied_with)
        text += f" Tied with {names}; data order kept."
    return text


def choose_grid(
    data: Dataset,
    prefer_words: Sequence[str],
    need_words: Sequence[str],
    include_hidden: bool = False,
) -> Grid:
    """Routes as columns in ranked order; chosen preferences as rows, then a summary row."""
    prefer, need = resolve_request(data, prefer_words, need_words)
    ranked = rank_routes(data, prefer, need, include_hidden)
    chosen = [*need, *prefer]
    subjects = data.comparisons.routes.subjects
    best = 2 * len(chosen)

    columns = []
    for route in ranked:
        flag = " (conflicts with a need)" if route.need_conflicts else ""
        columns.append(
            Column(
                route.key,
                f"{route.rank}. {route.name}{flag}",
                note=f"Rank {route.rank}; score {route.score} of {best}{flag}",
                meta={
                    "rank": route.rank,
                    "score": route.score,
                    "max_score": best,
                    "conflicts_with_need": bool(route.need_conflicts),
                    "need_conflicts": list(route.need_conflicts),
                    "tied_with": list(route.tied_with),
                    **route.counts,
                },
            )
        )
    rows = [Row(p, f"{data.preferences[p].label} (need)") for p in need]
    rows += [Row(p, f"{data.preferences[p].label} (wish)") for p in prefer]
    rows.append(Row(SUMMARY_ROW, "Summary"))

    cells: dict[tuple[str, str], tuple[Fact, ...]] = {}
    for pkey in chosen:
        for route in ranked:
            rating = data.preferences[pkey].ratings.get(route.key)
            if rating is None:
                cells[(pkey, route.key)] = ()
                continue
            text = f"{VERDICT[rating.rating]}: {rating.text} {_sources_text(rating.sources)}"
            cells[(pkey, route.key)] = (Fact(text, rating.sources),)
    for route in ranked:
        cells[(SUMMARY_ROW, route.key)] = (Fact(_summary(data, route, len(ranked), best), ()),)

    notes = [SCORING_NOTE]
    if any(not facts for facts in cells.values()):
        notes.append(NO_INFO_NOTE)
    notes += [f"{r.name}: {subjects[r.key].note}" for r in ranked if subjects[r.key].note]
    notes += shown_subjects(data.comparisons.routes, include_hidden)[1]
    notes.append(CLOSING_NOTE)

    labels = ", ".join(data.preferences[p].label for p in chosen)
    return Grid(
        title=f"Routes ranked by what matters to you: {labels}",
        corner="Preference",
        columns=tuple(columns),
        rows=tuple(rows),
        cells=cells,
        sources=cited_sources(data, (f for facts in cells.values() for f in facts)),
        notes=tuple(notes),
        kind="choose",
        meta={
            "prefer": list(prefer),
            "need": list(need),
            "points": {"meets": 2, "partly": 1, "no information": 0, "conflicts": -1},
            "order": [r.key for r in ranked],
        },
    )


def preferences_grid(data: Dataset) -> Grid:
    """`ketacompare choose --list`: each preference key with its label and description."""
    prefs = _preferences(data)
    routes = data.comparisons.routes.subjects
    columns = (
        Column("label", "Label"),
        Column("description", "Description"),
        Column("routes", "Routes with information"),
    )
    cells: dict[tuple[str, str], tuple[Fact, ...]] = {}
    for key, pref in prefs.items():
        rated = ", ".join(routes[r].name for r in routes if r in pref.ratings)
        for column, text in (
            ("label", pref.label),
            ("description", pref.description),
            ("routes", rated),
        ):
            cells[(key, column)] = (Fact(text, ()),) if text else ()
    return Grid(
        title="Preferences for 'ketacompare choose'",
        corner="Key",
        columns=columns,
        rows=tuple(Row(key, key) for key in prefs),
        cells=cells,
        notes=(
            "Use --prefer KEY for a wish and --need KEY for a must-have; repeatable or "
            "comma-separated, any case, unique prefixes accepted.",
            LIST_NOTE,
        ),
        kind="preferences",
    )
