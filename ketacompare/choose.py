"""`ketacompare choose`: rank routes by the wishes a person picks, and say why in words.

Each chosen wish gets one of four answers per route: meets, partly meets, against, or not
known. Only published evidence decides an answer (`answer`, the one place that rule
lives): a rating whose sources are all clinic pages is shown as the clinic's claim and
counts as "not known". The order (`standing`, the one scoring rule): meets 2, partly 1,
not known 0, against -1, times how much the wish matters; a route against a must-have
(--need) goes after all others; at equal points the route with less "not known" goes
first; routes still equal share a rank (1, 1, 3).

The Grid built here holds only the preferences' own facts, never a route's cells, so no
study dose can reach the output through this view.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from ketacompare.errors import UsageError, unknown_name
from ketacompare.model import Dataset, Fact, Preference, PreferenceRating
from ketacompare.query import Column, Grid, Row, cited_sources, match_name, shown_subjects
from ketacompare.wishes import DEFAULT_LEVEL, LEVEL_PHRASE, LEVELS, NEED_WEIGHT, split_level

# The four answers, best first, and what each is worth per unit of weight.
POINTS: dict[str, int] = {"meets": 2, "partly": 1, "unknown": 0, "against": -1}
ANSWER_WORDS = {
    "meets": "Meets",
    "partly": "Partly meets",
    "against": "Against",
    "unknown": "Not known",
}
# A rating's word in the data file -> its answer, when evidence backs it.
_FROM_DATA = {"meets": "meets", "partly": "partly", "conflicts": "against"}
ONE_WISH = {
    "meets": "Meets your wish.",
    "partly": "Partly meets your wish.",
    "against": "Against your wish.",
    "unknown": "Not known for your wish.",
}
SUMMARY_ROW = "summary"
LIST_HINT = "Run 'ketacompare choose --list' to see what each one means."
HOW_NOTE = (
    "How the order is made: a route gets 2 points for each wish it meets and 1 for each it "
    "partly meets. It gets 0 when the answer is not known, and loses 1 when it is against "
    "the wish. A wish that matters very much counts twice. When points are equal, a route "
    "with answers not known comes after one with evidence. Routes still equal share a rank."
)
EVIDENCE_NOTE = (
    "Only published sources decide an answer: labels, guidelines, trials, reviews, "
    "studies, drug references and news. What a clinic says about its own treatment is "
    "shown as the clinic's claim, but it never changes the order."
)
UNKNOWN_NOTE = (
    "'Not known' is not good news. It means no published source on file answers that "
    "wish for that route."
)
LIST_NOTE = (
    "choose sorts sourced facts by what you say matters; it does not choose for you. "
    "Discuss the options with a clinician."
)
CLOSING_NOTE = (
    "This ranking only sorts sourced facts by what you said matters; it does not choose "
    "for you. Discuss these options with a clinician."
)
NO_EVIDENCE = "no published source on file."
NOTHING_ON_FILE = "nothing on file."
SHOWN_TIES = 3  # a summary names at most this many routes it shares a rank with


# The request: which wishes, how much each matters -----------------------------------------


@dataclass(frozen=True, slots=True)
class Wish:
    """One chosen preference and how much it counts."""

    key: str
    label: str
    level: str  # a LEVELS word, or "must-have" for --need
    weight: int

    @property
    def need(self) -> bool:
        return self.level == "must-have"

    @property
    def row_label(self) -> str:
        return f"{self.label} ({'must-have' if self.need else LEVEL_PHRASE[self.level]})"


def _preferences(data: Dataset) -> dict[str, Preference]:
    if not data.preferences:
        raise UsageError(
            "the data file has no preferences to choose by. Add a 'preferences:' section "
            "(see docs/data-format.md)."
        )
    return data.preferences


def _key(data: Dataset, word: str) -> str:
    """A word to a preference key: exact key, else a unique prefix; any case."""
    keys = list(_preferences(data))
    key = match_name(word, {k.lower(): k for k in keys}, "preference")
    if key is None:
        raise unknown_name("preference", word, keys, LIST_HINT)
    return key


def _level(word: str, level: str | None) -> str:
    if level is None:
        return DEFAULT_LEVEL
    found = match_name(level, {name: name for name in LEVELS}, "level") if level else None
    if found is None:
        raise UsageError(
            f"unknown level '{level}' in '{word}'. Say how much a wish matters with one "
            f"of: {', '.join(LEVELS)}, e.g. '--prefer no-needles=very'."
        )
    return found


def resolve_request(
    data: Dataset, prefer_words: Sequence[str], need_words: Sequence[str]
) -> list[Wish]:
    """--need KEY and --prefer KEY[=LEVEL] words to wishes: needs first, each key once."""
    wishes: dict[str, Wish] = {}
    for word in need_words:
        name, level = split_level(word)
        if level is not None:
            raise UsageError(
                f"'{word}': --need takes no level, since a need is already a must-have. "
                f"Use --prefer {name}={level} to say how much a wish matters."
            )
        key = _key(data, name)
        wishes.setdefault(key, Wish(key, data.preferences[key].label, "must-have", NEED_WEIGHT))
    for word in prefer_words:
        name, level = split_level(word)
        key, level = _key(data, name), _level(word, level)
        if key in wishes and wishes[key].need:
            raise UsageError(
                f"preference '{key}' was given both as --prefer and as --need; give it once: "
                "--need if it is a must-have, --prefer if it is a wish."
            )
        if key in wishes and wishes[key].level != level:
            raise UsageError(
                f"preference '{key}' was given twice, as '{wishes[key].level}' and "
                f"'{level}'; give it once, with the level you mean."
            )
        if LEVELS[level]:
            wishes[key] = Wish(key, data.preferences[key].label, level, LEVELS[level])
    if not wishes:
        keys = ", ".join(_preferences(data))
        raise UsageError(
            "no preference given. Say what matters with --prefer KEY (a wish) or "
            "--need KEY (a must-have), e.g. 'ketacompare choose --prefer no-needles' or "
            f"'--prefer no-needles=very'. Valid preferences: {keys}. {LIST_HINT}"
        )
    return list(wishes.values())


# The rules: one answer per wish and route, one standing per route ------------------------


def answer(rating: PreferenceRating | None) -> str:
    """The route's answer to a wish. Only evidence decides: a clinic-only rating, an
    explicit `not-known` or no rating at all is "unknown"."""
    if rating is None or rating.basis == "clinic":
        return "unknown"
    return _FROM_DATA.get(rating.rating, "unknown")


@dataclass(frozen=True, slots=True)
class Standing:
    """How one route stands on the chosen wishes, and its place in the ranking."""

    key: str
    name: str
    answers: dict[str, str]  # wish key -> answer
    score: int
    unknown: int  # weight of the wishes whose answer is not known
    need_conflicts: tuple[str, ...]  # must-haves the route is against
    rank: int = 0
    group: tuple[str, ...] = ()  # every route on this rank, this one included

    def shares_with(self, most: int | None = None) -> list[str]:
        """The other routes on this rank (at most `most` of them: output stays linear)."""
        others = (k for k in self.group if k != self.key)
        return list(others if most is None else itertools.islice(others, most))

    def order(self) -> tuple[bool, int, int]:
        """Sort key: against a must-have last; more points first; less not known first."""
        return (bool(self.need_conflicts), -self.score, self.unknown)

    def count(self, kind: str) -> list[str]:
        return [wish for wish, found in self.answers.items() if found == kind]


def standing(data: Dataset, wishes: Sequence[Wish], key: str) -> Standing:
    """Score one route: the single place points and weights are added up."""
    answers = {w.key: answer(data.preferences[w.key].ratings.get(key)) for w in wishes}
    return Standing(
        key=key,
        name=data.comparisons.routes.subjects[key].name,
        answers=answers,
        score=sum(w.weight * POINTS[answers[w.key]] for w in wishes),
        unknown=sum(w.weight for w in wishes if answers[w.key] == "unknown"),
        need_conflicts=tuple(w.key for w in wishes if w.need and answers[w.key] == "against"),
    )


def rank_routes(
    data: Dataset, wishes: Sequence[Wish], include_hidden: bool = False
) -> list[Standing]:
    """Routes best first. Equal standing shares a rank (1, 1, 3) and keeps data order."""
    shown, _ = shown_subjects(data.comparisons.routes, include_hidden)
    scored = sorted((standing(data, wishes, key) for key in shown), key=Standing.order)
    groups: dict[tuple[bool, int, int], list[str]] = {}
    for route in scored:
        groups.setdefault(route.order(), []).append(route.key)
    shared = {order: tuple(keys) for order, keys in groups.items()}  # one tuple per group
    ranked: list[Standing] = []
    for place, route in enumerate(scored, start=1):
        rank = ranked[-1].rank if ranked and ranked[-1].order() == route.order() else place
        ranked.append(replace(route, rank=rank, group=shared[route.order()]))
    return ranked


# Words: cells, summaries, notes ----------------------------------------------------------


def _cell(rating: PreferenceRating | None, found: str) -> tuple[Fact, ...]:
    """The answer in words, then the fact behind it; renderers add its sources."""
    word = ANSWER_WORDS[found]
    if rating is None:
        return (Fact(f"{word}: {NOTHING_ON_FILE}", ()),)
    if found == "unknown" and rating.basis == "clinic":
        # The clinic's words stay visible, marked as its claim by every renderer.
        claim = Fact(rating.text, rating.sources, basis=rating.basis)
        return (Fact(f"{word}: {NO_EVIDENCE}", ()), claim)
    text = f"{word}: {rating.text}"
    return (Fact(text, rating.sources, confidence=rating.confidence, basis=rating.basis),)


def _and(words: Sequence[str]) -> str:
    """['a', 'b', 'c'] -> 'a, b and c'."""
    return f"{', '.join(words[:-1])} and {words[-1]}" if len(words) > 1 else "".join(words)


def _listed(data: Dataset, keys: Sequence[str]) -> str:
    return ", ".join(data.preferences[k].label for k in keys)


def summary(data: Dataset, route: Standing, total: int) -> str:
    """'Meets 2 of your 3 wishes; not known for 1 (Lasting relief).' and the rank."""
    meets, partly = route.count("meets"), route.count("partly")
    against, unknown = route.count("against"), route.count("unknown")
    if total == 1:
        text = ONE_WISH[next(iter(route.answers.values()))]
    else:
        parts = [f"Meets {len(meets) or 'none'} of your {total} wishes"]
        parts += [f"partly meets {len(partly)}"] if partly else []
        parts += [f"against {len(against)}"] if against else []
        parts += [f"not known for {len(unknown)} ({_listed(data, unknown)})"] if unknown else []
        text = "; ".join(parts) + "."
    if route.need_conflicts:
        text += (
            f" Against a must-have ({_listed(data, route.need_conflicts)}), "
            "so listed after the others."
        )
    others = route.shares_with(SHOWN_TIES)
    if others:
        names = [data.comparisons.routes.subjects[k].name for k in others]
        more = len(route.group) - 1 - len(others)
        names += [f"{more} more"] if more else []
        text += f" Shares rank {route.rank} with {_and(names)}."
    return text


def _column(route: Standing, wishes: Sequence[Wish]) -> Column:
    flag = " (against a must-have)" if route.need_conflicts else ""
    counts = {kind: len(route.count(kind)) for kind in POINTS}
    return Column(
        route.key,
        f"{route.rank}. {route.name}{flag}",
        note=f"Rank {route.rank}{flag}",
        meta={
            "rank": route.rank,
            "shares_rank": len(route.group) > 1,
            "score": route.score,
            "max_score": POINTS["meets"] * sum(w.weight for w in wishes),
            "answers": {k: ANSWER_WORDS[v].lower() for k, v in route.answers.items()},
            "against_need": list(route.need_conflicts),
            **{("not_known" if k == "unknown" else k): n for k, n in counts.items()},
        },
    )


def _notes(data: Dataset, ranked: Sequence[Standing], include_hidden: bool) -> list[str]:
    subjects = data.comparisons.routes.subjects
    notes = [HOW_NOTE, EVIDENCE_NOTE]
    if any(r.count("unknown") for r in ranked):
        notes.append(UNKNOWN_NOTE)
    notes += [f"{r.name}: {subjects[r.key].note}" for r in ranked if subjects[r.key].note]
    notes += shown_subjects(data.comparisons.routes, include_hidden)[1]
    notes.append(CLOSING_NOTE)
    return notes


def choose_grid(
    data: Dataset,
    prefer_words: Sequence[str],
    need_words: Sequence[str],
    include_hidden: bool = False,
) -> Grid:
    """Routes as columns in ranked order; chosen wishes as rows, then a summary row."""
    wishes = resolve_request(data, prefer_words, need_words)
    ranked = rank_routes(data, wishes, include_hidden)
    cells: dict[tuple[str, str], tuple[Fact, ...]] = {}
    for wish in wishes:
        ratings = data.preferences[wish.key].ratings
        for route in ranked:
            cells[(wish.key, route.key)] = _cell(ratings.get(route.key), route.answers[wish.key])
    for route in ranked:
        cells[(SUMMARY_ROW, route.key)] = (Fact(summary(data, route, len(wishes)), ()),)
    return Grid(
        title=f"Routes ranked by what matters to you: {_listed(data, [w.key for w in wishes])}",
        corner="What matters to you",
        columns=tuple(_column(route, wishes) for route in ranked),
        rows=(*(Row(w.key, w.row_label) for w in wishes), Row(SUMMARY_ROW, "In short")),
        cells=cells,
        sources=cited_sources(data, (f for facts in cells.values() for f in facts)),
        notes=tuple(_notes(data, ranked, include_hidden)),
        kind="choose",
        meta={
            "prefer": {w.key: w.level for w in wishes if not w.need},
            "need": [w.key for w in wishes if w.need],
            "points": {ANSWER_WORDS[k].lower(): v for k, v in POINTS.items()},
            "weights": {**{k: v for k, v in LEVELS.items() if v}, "must-have": NEED_WEIGHT},
            "order": [r.key for r in ranked],
        },
    )


# Asking, when run in a terminal with no wishes given -------------------------------------

Ask = Callable[[str, Sequence[str], str], str]  # (question, choices, default) -> answer
ASK_QUESTION = "How much does this matter to you?"
ASK_INTRO = "How much does each wish matter to you? Answer not, somewhat or very (Enter: not)."
ASK_AGAIN = "To skip these questions next time: ketacompare choose --prefer {words}"


def ask_wishes(data: Dataset, ask: Ask) -> list[str]:
    """One short question per wish; returns --prefer words such as 'no-needles=very'."""
    words = []
    choices = list(LEVELS)
    for key, pref in _preferences(data).items():
        question = f"{pref.label}: {pref.description}\n{ASK_QUESTION}"
        level = ask(question, choices, "not")
        if LEVELS.get(level, 0):
            words.append(f"{key}={level}")
    return words


# `ketacompare choose --list` -------------------------------------------------------------


def preferences_grid(data: Dataset) -> Grid:
    """`ketacompare choose --list`: each preference key with its label and description."""
    prefs = _preferences(data)
    routes = data.comparisons.routes.subjects
    columns = (
        Column("label", "Label"),
        Column("description", "Description"),
        Column("routes", "Routes with published evidence"),
    )
    cells: dict[tuple[str, str], tuple[Fact, ...]] = {}
    for key, pref in prefs.items():
        known = [r for r in routes if answer(pref.ratings.get(r)) != "unknown"]
        rated = ", ".join(routes[r].name for r in known) or "none yet"
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
            "comma-separated, any case, unique prefixes accepted. Say how much a wish "
            f"matters with --prefer KEY=LEVEL, LEVEL one of {', '.join(LEVELS)} "
            f"(default {DEFAULT_LEVEL}).",
            LIST_NOTE,
        ),
        kind="preferences",
    )
