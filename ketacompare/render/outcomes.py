""" "X in 100" figures: the one sentence every format prints, the numbers json and csv
carry, and the icon arrays (100 marks, the affected ones filled) for each format.

Pictures never rely on colour: filled and hollow marks differ in shape, and a figure
that is less sure (one group only, low confidence, low or very low certainty, or not from
people whose depression resisted antidepressants) is drawn with half-filled marks and says
why in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from ketacompare.model import Arm, Fact, Outcome

# Columns of the tidy CSV and keys of the json "outcome" object, in this order.
OUTCOME_COLUMNS = (
    "x_in_100",
    "group",
    "comparator_x_in_100",
    "comparator_group",
    "out_of",
    "time_frame",
    "population",
    "people_studied",
    "design",
    "certainty",
    "fits_decision",
)

NO_COMPARATOR = (
    "One group only: with no comparison group, we cannot tell how many would have got "
    "better anyway."
)
NOT_THE_DECISION = "Read with care: not only people whose depression resisted medicines."


def count(value: float) -> str:
    """How a number of people reads: whole numbers from 1 up (half up), else one decimal."""
    if value >= 1 or value == 0:
        return str(int(value + 0.5))
    return f"{value:.1f}"


def marks(value: float) -> int:
    """Filled marks out of 100: the same rounding as the words, so picture and text agree."""
    return min(100, int(value + 0.5))


def uncertain(fact: Fact) -> list[str]:
    """Why a figure is less sure, in words; empty when it is as sure as we show figures."""
    outcome = fact.outcome
    if outcome is None:
        return []
    why = []
    if outcome.comparator is None:
        why.append(NO_COMPARATOR)
    if not outcome.fits_decision:
        why.append(NOT_THE_DECISION)
    if outcome.certainty in ("low", "very low"):
        why.append(f"The study review rated the certainty of this evidence {outcome.certainty}.")
    if fact.confidence == "low":
        why.append("Low confidence: we saw this figure only in a secondary source.")
    return why


def _arm(arm: Arm, per: int) -> str:
    return f"{count(arm.numerator)} in {per} {arm.label}"


def sentence(fact: Fact) -> str:
    """'Felt much better, after 4 weeks: 59 in 100 with X; 45 in 100 with Y. ...'"""
    outcome = fact.outcome
    assert outcome is not None
    arms = _arm(outcome.option, outcome.denominator)
    if outcome.comparator is not None:
        arms += f"; {_arm(outcome.comparator, outcome.denominator)}"
    size = f", {outcome.people:,} people" if outcome.people else ""
    parts = [
        f"{fact.text}, {outcome.time}: {arms}.",
        f"{outcome.design[:1].upper()}{outcome.design[1:]}{size}. Who: {outcome.population}.",
    ]
    parts += uncertain(fact)
    if outcome.certainty is not None and outcome.certainty not in ("low", "very low"):
        parts.append(f"The study review rated the certainty of this evidence {outcome.certainty}.")
    return " ".join(parts)


def numbers(fact: Fact) -> dict[str, object]:
    """The figure as numbers, one key per OUTCOME_COLUMNS entry; {} for other facts."""
    outcome = fact.outcome
    if outcome is None:
        return {}
    comparator = outcome.comparator
    return {
        "x_in_100": _num(outcome.option.numerator),
        "group": outcome.option.label,
        "comparator_x_in_100": _num(comparator.numerator) if comparator else None,
        "comparator_group": comparator.label if comparator else None,
        "out_of": outcome.denominator,
        "time_frame": outcome.time,
        "population": outcome.population,
        "people_studied": outcome.people,
        "design": outcome.design,
        "certainty": outcome.certainty,
        "fits_decision": outcome.fits_decision,
    }


def _num(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


# Pictures --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Picture:
    """One outcome to draw: where it is from, and its arms."""

    heading: str  # "ECT · Much better (response)"
    fact: Fact

    @property
    def outcome(self) -> Outcome:
        assert self.fact.outcome is not None
        return self.fact.outcome

    @property
    def sure(self) -> bool:
        return not uncertain(self.fact)

    def arms(self) -> list[Arm]:
        outcome = self.outcome
        return [outcome.option] + ([outcome.comparator] if outcome.comparator else [])


def pictures(grid: object) -> list[Picture]:
    """Every X-in-100 figure of a grid, row by row, then column by column.

    A comparison both columns carry (ECT vs IV ketamine in one trial, seen from each side)
    is drawn once.
    """
    found = []
    seen: set[object] = set()
    for row in grid.rows:  # type: ignore[attr-defined]
        for column in grid.columns:  # type: ignore[attr-defined]
            for fact in grid.cell(row.key, column.key):  # type: ignore[attr-defined]
                outcome = fact.outcome
                if outcome is None:
                    continue
                arms = frozenset(
                    (a.label, a.numerator) for a in (outcome.option, outcome.comparator) if a
                )
                key = (fact.sources, fact.text, outcome.time, arms)
                if key not in seen:
                    seen.add(key)
                    found.append(Picture(f"{column.name} · {fact.text}", fact))
    return found


GLYPHS = {"on": "●", "off": "○", "unsure": "◐"}
ASCII_GLYPHS = {"on": "#", "off": ".", "unsure": "+"}
ROWS, PER_ROW = 5, 20  # 100 marks in 5 rows of 2 blocks of 10: compact, easy to count


def array_rows(filled: int, sure: bool, ascii: bool = False) -> list[str]:
    """One arm as text: 5 rows of 20 marks, a gap after each 10, filled marks first."""
    glyphs = ASCII_GLYPHS if ascii else GLYPHS
    on = glyphs["on" if sure else "unsure"]
    lines = []
    for r in range(ROWS):
        line = ""
        for c in range(PER_ROW):
            line += on if r * PER_ROW + c < filled else glyphs["off"]
            if c == 9:
                line += " "
        lines.append(line)
    return lines


def key_line(ascii: bool = False) -> str:
    g = ASCII_GLYPHS if ascii else GLYPHS
    return (
        f"Each picture is 100 people. {g['on']} = had this outcome, {g['off']} = did not, "
        f"{g['unsure']} = had it, in a figure that is less sure (the words say why)."
    )


def picture_lines(grid: object, ascii: bool = False) -> list[str]:
    """The plain-text fallback: every figure's arrays side by side, with words."""
    found = pictures(grid)
    if not found:
        return []
    lines = ["Out of 100 people", key_line(ascii)]
    for picture in found:
        outcome = picture.outcome
        lines += ["", f"{picture.heading}, {outcome.time}"]
        arms = picture.arms()
        drawn = [array_rows(marks(arm.numerator), picture.sure, ascii) for arm in arms]
        if len(arms) == 2:  # side by side, so the two groups compare at a glance
            lines.append(f"  Left:  {_arm(arms[0], outcome.denominator)}")
            lines.append(f"  Right: {_arm(arms[1], outcome.denominator)}")
            lines += [f"  {a}    {b}" for a, b in zip(drawn[0], drawn[1], strict=True)]
        else:
            lines.append(f"  {_arm(arms[0], outcome.denominator)}")
            lines += [f"  {row}" for row in drawn[0]]
        lines += uncertain(picture.fact)
    return lines


def picture_html(grid: object) -> str:
    """Every figure as inline SVG (no script, no external file), each with its words."""
    found = pictures(grid)
    if not found:
        return ""
    parts = [
        '<section class="pictures"><h2>Out of 100 people</h2>',
        "<p>Each picture is 100 people. A filled dot had this outcome; a hollow dot did not. "
        "Half-filled dots mark a figure that is less sure; the words say why.</p>",
    ]
    for picture in found:
        outcome = picture.outcome
        arms = "".join(
            f"<figure>{_svg(marks(arm.numerator), picture.sure, _arm(arm, outcome.denominator))}"
            f"<figcaption>{escape(_arm(arm, outcome.denominator))}</figcaption></figure>"
            for arm in picture.arms()
        )
        why = "".join(f"<p class='unsure'>{escape(w)}</p>" for w in uncertain(picture.fact))
        parts.append(
            f'<div class="picture"><h3>{escape(picture.heading)}, {escape(outcome.time)}</h3>'
            f'<div class="arms">{arms}</div>{why}</div>'
        )
    parts.append("</section>")
    return "\n".join(parts)


def _svg(filled: int, sure: bool, label: str) -> str:
    """10 x 10 dots: filled black, hollow with a black ring, or half-filled when less sure."""
    dots = []
    for i in range(100):
        x, y = 5 + 10 * (i % 10), 5 + 10 * (i // 10)
        ring = f'<circle cx="{x}" cy="{y}" r="3.6" fill="#fff" stroke="#000" stroke-width="1"/>'
        if i >= filled:
            dots.append(ring)
        elif sure:
            dots.append(f'<circle cx="{x}" cy="{y}" r="4" fill="#000"/>')
        else:  # the left half filled: a shape, so print and colour-blind readers see it
            half = f'<path d="M{x},{y - 3.6} A3.6,3.6 0 0,0 {x},{y + 3.6} Z" fill="#000"/>'
            dots.append(ring + half)
    return (
        f'<svg viewBox="0 0 100 100" width="84" height="84" role="img" '
        f'aria-label="{escape(label)}"><title>{escape(label)}</title>{"".join(dots)}</svg>'
    )


PICTURE_CSS = """
.pictures .picture { break-inside: avoid; page-break-inside: avoid; margin-bottom: 1rem;
  display: inline-block; vertical-align: top; width: 49%; padding-right: 1rem; }
.pictures h3 { font-size: 1rem; margin: .8rem 0 .3rem; }
.pictures .arms { display: flex; gap: 1rem; }
.pictures figure { margin: 0; width: 9rem; }
.pictures figcaption { font-size: .85em; }
.pictures .unsure { font-style: italic; margin: .3rem 0; }
""".strip()
