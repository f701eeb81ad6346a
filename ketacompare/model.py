"""The typed model of a data file. The loader fills it; the JSON Schema is generated from it.

Field metadata: "doc" (schema description), "min_items" (non-empty lists and maps),
"max_length" (text), "minimum"/"maximum" (numbers; "what" names them in errors),
"item_pattern" (each text of a list, e.g. aliases follow the id pattern), and the names a
field refers to, checked as the file is converted: "refs" (the text, or each text of a
list), "key_refs" (each key of a map), "item_refs" (each text in each list of a map); the
kinds are source, factor, route, subject (of the same comparison) and option.
Maps keyed by ids keep file order, which is display order.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from ketacompare.syntax import ID_PATTERN

Confidence = Literal["high", "medium", "low"]
# A closed vocabulary, strongest first: a fact's basis is the strongest kind it cites.
SourceKind = Literal[
    "label", "guideline", "trial", "review", "study", "reference", "news", "clinic"
]
KINDS: tuple[SourceKind, ...] = (
    "label",
    "guideline",
    "trial",
    "review",
    "study",
    "reference",
    "news",
    "clinic",
)
KIND_MEANINGS: dict[str, str] = {
    "label": "a regulator-approved drug label or a regulator's decision",
    "guideline": "a guideline or consensus statement (NICE, CANMAT, APA)",
    "trial": "a randomised controlled trial",
    "review": "a systematic review or meta-analysis",
    "study": "another primary study (open-label, case series, case report, drug levels)",
    "reference": "a drug monograph or a maker's medical-information page",
    "news": "a news item or press release",
    "clinic": "a clinic's own web pages (marketing)",
}
_RANK = {kind: i for i, kind in enumerate(KINDS)}


def basis_of(kinds: Iterable[str]) -> SourceKind | None:
    """The strongest kind among a fact's sources; None for a fact with no sources."""
    best = min((_RANK[k] for k in kinds if k in _RANK), default=None)
    return None if best is None else KINDS[best]


Rating = Literal["meets", "partly", "conflicts", "not-known"]
# Blood-level (plasma) events, effect (clinical) events, and the end of required monitoring.
TimelineEvent = Literal[
    "blood-first", "blood-peak", "first-effect", "peak", "end", "monitoring-end"
]
Layout = Literal["columns", "cards"]


# Row labels and column names are repeated on every card: a long one multiplies the output
# (issue 14: one label x 1,000 routes took 24 s and 508 MB).
HEADING_MAX = 80


def _doc(text: str, **extra: object) -> dict[str, object]:
    return {"doc": text, **extra}


# Fields the loader computes: never read from a data file, never in the schema.
COMPUTED = _doc("Computed by the loader from the sources' kinds.", computed=True)


@dataclass(frozen=True, slots=True)
class Source:
    kind: SourceKind = field(
        metadata=_doc(
            "What sort of source this is, strongest first: label, guideline, trial, review, "
            "study, reference, news, clinic. A fact's basis is the strongest kind it cites; "
            "a fact citing only clinic pages is shown as the clinic's claim."
        )
    )
    title: str | None = field(metadata=_doc("Title; null when not known."))
    authors: str | None = field(default=None, metadata=_doc("Authors; null = not stated."))
    year: int | None = field(
        default=None,
        metadata=_doc("Year; null = not stated.", minimum=1000, maximum=9999, what="a year"),
    )
    venue: str | None = field(default=None, metadata=_doc("Journal, publisher or site."))
    doi: str | None = field(default=None, metadata=_doc("DOI, where known."))
    pmid: str | None = field(default=None, metadata=_doc("PubMed id, where known."))
    url: str | None = field(default=None, metadata=_doc("Web address, where known."))
    note: str | None = field(
        default=None, metadata=_doc("Metadata gaps or how the source was seen.")
    )


@dataclass(frozen=True, slots=True)
class Factor:
    label: str = field(metadata=_doc("Row label.", max_length=HEADING_MAX))
    description: str = field(metadata=_doc("One line on what the row answers."))
    aliases: tuple[str, ...] = field(
        default=(),
        metadata=_doc("Other names accepted by --factor.", item_pattern=ID_PATTERN),
    )


Certainty = Literal["high", "moderate", "low", "very low"]


@dataclass(frozen=True, slots=True)
class Arm:
    """One group of a study: who got what, and how many in `denominator` had the outcome."""

    label: str = field(metadata=_doc("Who was in this group, e.g. 'with ECT'."))
    numerator: float = field(metadata=_doc("How many of `denominator` people had the outcome."))


@dataclass(frozen=True, slots=True)
class Outcome:
    """An "X in 100" figure: numbers, not prose, so every format can show and draw them."""

    option: Arm = field(metadata=_doc("The group that had the option this cell is about."))
    time: str = field(metadata=_doc("When it was measured, e.g. 'after 4 weeks'."))
    population: str = field(metadata=_doc("Who was studied, in plain words."))
    design: str = field(metadata=_doc("The study's design, e.g. 'randomised trial'."))
    comparator: Arm | None = field(
        default=None,
        metadata=_doc("The group it was compared with, from the same study; null = one arm only."),
    )
    denominator: int = field(default=100, metadata=_doc("Out of how many (always 100)."))
    people: int | None = field(default=None, metadata=_doc("How many people the study had."))
    certainty: Certainty | None = field(
        default=None,
        metadata=_doc("The evidence's certainty as a review graded it (GRADE), if graded."),
    )
    fits_decision: bool = field(
        default=True,
        metadata=_doc(
            "false when the people studied are not people whose depression resisted "
            "antidepressants (e.g. first-step depression)."
        ),
    )


@dataclass(frozen=True, slots=True)
class Fact:
    text: str = field(metadata=_doc("The fact, in table-cell phrasing."))
    sources: tuple[str, ...] = field(
        metadata=_doc(
            "Ids of the sources it comes from. Its basis (whose claim it is) is computed "
            "from their kinds, never written here.",
            min_items=1,
            refs="source",
        )
    )
    confidence: Confidence | None = field(
        default=None, metadata=_doc("For published figures: high, medium or low.")
    )
    outcome: Outcome | None = field(
        default=None,
        metadata=_doc("An 'X in 100' figure; `text` then says what was measured."),
    )
    brief: bool = field(
        default=False, metadata=_doc("Shown in the short default view (see brief_rows).")
    )
    basis: SourceKind | None = field(default=None, metadata=COMPUTED)

    @property
    def clinic_claim(self) -> bool:
        """Every source is a clinic's own page: shown as the clinic's claim."""
        return self.basis == "clinic"


@dataclass(frozen=True, slots=True)
class TimelinePoint:
    event: TimelineEvent = field(metadata=_doc("Which moment this figure marks."))
    minutes: float | tuple[float, ...] = field(
        metadata=_doc("Minutes after dosing: a number, or [low, high].")
    )
    text: str = field(metadata=_doc("What the figure is."))
    sources: tuple[str, ...] = field(metadata=_doc("Source ids.", min_items=1, refs="source"))
    confidence: Confidence | None = field(default=None, metadata=_doc("high, medium or low."))
    basis: SourceKind | None = field(default=None, metadata=COMPUTED)


@dataclass(frozen=True, slots=True)
class Subject:
    name: str = field(metadata=_doc("Column heading.", max_length=HEADING_MAX))
    cells: dict[str, tuple[Fact, ...]] = field(
        metadata=_doc("Factor key to the facts in that cell.", key_refs="factor")
    )
    aliases: tuple[str, ...] = field(
        default=(), metadata=_doc("Other accepted names.", item_pattern=ID_PATTERN)
    )
    hidden: bool = field(
        default=False, metadata=_doc("Shown only with --all or when named explicitly.")
    )
    note: str | None = field(default=None, metadata=_doc("One-line note shown with it."))
    timeline: tuple[TimelinePoint, ...] = field(
        default=(), metadata=_doc("Sourced timing figures for the timeline view.")
    )
    route: str | None = field(
        default=None,
        metadata=_doc(
            "Options only: the key of the ketamine route this option is. The option takes "
            "the route's names; the route's detail stays in comparisons.routes.",
            refs="route",
        ),
    )


@dataclass(frozen=True, slots=True)
class Comparison:
    title: str = field(metadata=_doc("Heading of the table."))
    subject_label: str = field(
        metadata=_doc("What a column is, e.g. Route.", max_length=HEADING_MAX)
    )
    subjects: dict[str, Subject] = field(
        metadata=_doc("The options compared, in display order.", min_items=1)
    )
    layout: Layout = field(
        default="columns", metadata=_doc("columns: side by side; cards: one card each.")
    )
    presets: dict[str, tuple[str, ...]] = field(
        default_factory=dict, metadata=_doc("Named subsets of subjects.", item_refs="subject")
    )
    rows: tuple[str, ...] = field(
        default=(),
        metadata=_doc(
            "Row order for this comparison; unlisted factors follow in file order.",
            refs="factor",
        ),
    )
    brief_rows: tuple[str, ...] = field(
        default=(),
        metadata=_doc(
            "Rows of the short default view, in order; their brief facts are shown.",
            refs="factor",
        ),
    )


@dataclass(frozen=True, slots=True)
class PreferenceRating:
    rating: Rating = field(
        metadata=_doc(
            "How the route meets the wish (conflicts is shown as 'against'). It counts only "
            "when a published source backs it: a clinic-only rating is 'not known'."
        )
    )
    text: str = field(metadata=_doc("The fact behind the rating (never a dose)."))
    sources: tuple[str, ...] = field(metadata=_doc("Source ids.", min_items=1, refs="source"))
    confidence: Confidence | None = field(
        default=None, metadata=_doc("For a published figure: high, medium or low.")
    )
    basis: SourceKind | None = field(default=None, metadata=COMPUTED)


@dataclass(frozen=True, slots=True)
class Preference:
    label: str = field(metadata=_doc("Short label.", max_length=HEADING_MAX))
    description: str = field(metadata=_doc("One line on what the wish means."))
    ratings: dict[str, PreferenceRating] = field(
        metadata=_doc("Route key to its rating.", min_items=1, key_refs="route")
    )


@dataclass(frozen=True, slots=True)
class Comparisons:
    routes: Comparison = field(metadata=_doc("Ketamine routes."))
    therapies: Comparison | None = field(default=None, metadata=_doc("Therapy approaches."))
    conditions: Comparison | None = field(
        default=None, metadata=_doc("What ketamine has been studied for.")
    )
    options: Comparison | None = field(
        default=None, metadata=_doc("The choices beside ketamine, by the questions patients ask.")
    )


@dataclass(frozen=True, slots=True)
class Decision:
    question: str = field(metadata=_doc("The decision, in plain words."))
    condition: tuple[Fact, ...] = field(
        metadata=_doc("Two or three cited sentences on the condition.", min_items=1)
    )


@dataclass(frozen=True, slots=True)
class Term:
    term: str = field(metadata=_doc("The abbreviation or term, as views print it."))
    meaning: str = field(metadata=_doc("What it means, in plain words."))
    stands_for: str | None = field(default=None, metadata=_doc("The words it abbreviates."))


@dataclass(frozen=True, slots=True)
class Dataset:
    version: Literal[2] = field(metadata=_doc("Data format version."))
    updated: datetime.date = field(
        metadata=_doc("When the content was last checked against its sources (YYYY-MM-DD).")
    )
    sources: dict[str, Source] = field(metadata=_doc("The bibliography.", min_items=1))
    factors: dict[str, Factor] = field(metadata=_doc("Row definitions.", min_items=1))
    comparisons: Comparisons = field(metadata=_doc("Subjects x factors grids."))
    preferences: dict[str, Preference] = field(
        default_factory=dict, metadata=_doc("Wishes for `ketacompare choose`.")
    )
    decision: Decision | None = field(
        default=None, metadata=_doc("The decision the tool helps with, and the condition.")
    )
    questions: dict[str, tuple[str, ...]] = field(
        default_factory=dict,
        metadata=_doc(
            "Questions to ask a doctor: 'any' for every option, else an option key.",
            key_refs="option",
        ),
    )
    glossary: tuple[Term, ...] = field(
        default=(), metadata=_doc("Every abbreviation and hard term the views use.")
    )

    def comparison(self, key: str) -> Comparison | None:
        return getattr(self.comparisons, key, None)

    def comparison_keys(self) -> list[str]:
        return [k for k in COMPARISON_KEYS if self.comparison(k)]


COMPARISON_KEYS = ("routes", "therapies", "conditions", "options")
