"""Plain language (issue 12 §5): each brief view, read as a whole, is at Flesch-Kincaid grade 8
or below. Each fact or cell counts as one sentence; see tests/readability.py for the method.
"""

from __future__ import annotations

import pytest
from readability import LIMIT, grade, hardest, score, sentences, syllables, view_text

BRIEF_VIEWS: dict[str, tuple[str, ...]] = {
    "routes": ("routes",),
    "compare iv im": ("compare", "iv", "im"),
    "compare ect iv": ("compare", "ect", "iv"),
    "kap-vs-talk": ("kap-vs-talk",),
    "options": ("options",),
    "choose with wishes": ("choose", "--prefer", "no-needles,fewer-visits,low-dissociation"),
    "overview": (),
}


@pytest.mark.parametrize("args", list(BRIEF_VIEWS.values()), ids=list(BRIEF_VIEWS))
def test_brief_view_reads_at_grade_8_or_below(
    args: tuple[str, ...], record_property: pytest.RecordProperty
) -> None:
    text = view_text(args)
    result = score(sentences(text))
    record_property("fk_grade", round(result.grade, 1))
    print(f"ketacompare {' '.join(args)}: grade {result.grade:.1f}")  # shown with -s or -rA
    worst = "\n".join(f"  {g:5.1f}  {s}" for g, s in hardest(text, 8))
    assert result.grade <= LIMIT, (
        f"'ketacompare {' '.join(args)}' reads at grade {result.grade:.1f} "
        f"(limit {LIMIT:g}; {result.sentences} sentences, {result.words} words). "
        f"Hardest sentences:\n{worst}"
    )


# The measure itself: these would pass if the counter were broken in the easy direction.


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("depression", 3),  # from the dictionary
        ("ketamine", 3),  # not in the dictionary: vowel groups
        ("esketamine", 4),
        ("ECT", 3),  # an abbreviation, read letter by letter
        ("mg/kg", 4),
        ("add-on", 2),
        ("41", 1),  # numerals read at a glance: one syllable each
        ("1,371", 1),
        ("36.8", 1),
        ("ekstrand2022", 3),  # an id: its letters, then the number
    ],
)
def test_syllables(word: str, count: int) -> None:
    assert syllables(word) == count


def test_grade_separates_plain_from_dense_text() -> None:
    assert grade("The cat sat on the mat.") < 1
    # The example: a long expansion alone reads far above grade 8.
    assert grade("Electroconvulsive therapy (ECT)") > 20
    plain = "ECT, a treatment that uses a small electric current under anaesthesia"
    assert grade(plain) < grade("Electroconvulsive therapy (ECT)")


def test_each_cell_line_is_a_sentence_and_borders_are_not_words() -> None:
    table = (
        "┃ Factor ┃ IV infusion        ┃\n"
        "│ Onset  │ • Within minutes.  │\n"
        "│        │ • Lasts a week. It fades. │\n"
    )
    assert sentences(table) == [
        "Factor",
        "IV infusion",
        "Onset",
        "Within minutes.",
        "Lasts a week.",
        "It fades.",
    ]


def test_view_text_reports_a_failing_command() -> None:
    with pytest.raises(RuntimeError, match="exited 2"):
        view_text(("compare", "no-such-route", "iv"))
