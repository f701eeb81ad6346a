"""What a bare `ketacompare` prints: what the tool is for, the decision, where to start.

The decision and what "treatment-resistant" means come from the data file (`decision:`,
cited like every fact), so they are written once; the HTML handout names the decision
from there too. The rest of the words live here.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ketacompare.model import Dataset

PURPOSE = (
    "This tool helps you weigh ketamine for depression: the ways to get it, and the other "
    "choices beside it, side by side, with a source behind every fact."
)
# (command, what it shows): the five to start with.
START = (
    ("ketacompare options", "ketamine beside the other choices, with how many in 100 it helps"),
    ("ketacompare routes", "the ways to get ketamine, side by side, in short"),
    ("ketacompare compare iv nasal", "two ways, with more room for each"),
    ("ketacompare choose --prefer no-needles", "sort the ways by what matters to you"),
    ("ketacompare questions", "questions to take to your doctor"),
)
MORE = (
    "More: kap-vs-talk, show iv, glossary. Add --detail for every fact, -o handout.html "
    "for a page to print, and --help to any command. 'ketacompare --help' lists them all."
)
NOTICE = "Educational, not medical advice: talk any choice through with a clinician."
NO_DATA = (
    "The data file could not be read, so the decision is not shown: run 'ketacompare validate'."
)


def decision(data: Dataset | None) -> str | None:
    """The decision in plain words, from the data file; None when it has none."""
    return data.decision.question if data is not None and data.decision else None


def overview(data: Dataset | None, width: int = 80, color: bool = False) -> str:
    """The overview as plain text wrapped to `width` (bold headings when `color`)."""
    width = max(width, 30)

    def heading(text: str) -> str:
        return f"\x1b[1m{text}\x1b[0m" if color else text

    def para(text: str, indent: str = "  ") -> list[str]:
        return textwrap.wrap(
            text,
            width,
            initial_indent=indent,
            subsequent_indent=indent,
            break_long_words=False,
            break_on_hyphens=False,
        )

    lines = [*para(PURPOSE, ""), ""]
    question = decision(data)
    if question and data is not None and data.decision is not None:
        lines += [heading("The decision"), *para(question), ""]
        lines.append(heading('What "treatment-resistant" means'))
        lines += para(" ".join(fact.text for fact in data.decision.condition))
        lines.append("")
    else:
        lines += [*para(NO_DATA, ""), ""]
    lines.append(heading("Start here"))
    for command, what in START:
        lines.append(f"  {command}")
        lines += para(what, "      ")
    lines += ["", *para(MORE, ""), "", *para(NOTICE, "")]
    if data is not None:
        from ketacompare.about import short_line

        lines += para(short_line(data.updated.isoformat()), "")
    return "\n".join(lines) + "\n"
