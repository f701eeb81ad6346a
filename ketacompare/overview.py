"""What a bare `ketacompare` prints: what the tool is for, the decision, where to start.

The words live here, once; the README and the HTML handout reuse DECISION. Kept free of
Rich and of the data file, so the overview is as quick as --version.
"""

from __future__ import annotations

import textwrap

PURPOSE = (
    "This tool helps you compare the ways to get ketamine for depression, side by side, "
    "with a source behind every fact."
)
DECISION = (
    "Depression that has not got better with antidepressants: "
    "should I try ketamine, and if so, which way?"
)
# NICE TA854 calls depression treatment-resistant after no response to two or more
# antidepressants in the current episode.
CONDITION = (
    "Depression is called treatment-resistant when it has not got better after two or more "
    "antidepressants, each taken at a full dose for long enough. "
    "It does not mean nothing can help. "
    "There are still other choices, such as changing or adding a medicine, talk therapy, "
    "or treatments like ketamine."
)
# (command, what it shows): the five to start with.
START = (
    ("ketacompare routes", "the ways to get ketamine, side by side, in short"),
    ("ketacompare compare iv nasal", "two ways, with more room for each"),
    ("ketacompare kap-vs-talk", "ketamine with therapy, beside talk therapy alone"),
    ("ketacompare show iv", "everything on one way, with the studies behind it"),
    ("ketacompare choose --prefer no-needles", "sort the ways by what matters to you"),
)
MORE = (
    "Add --detail for every fact, -o handout.html for a page to print, "
    "and --help to any command for its options. 'ketacompare --help' lists every command."
)
NOTICE = (
    "Educational, not medical advice: talk any choice through with a clinician. "
    "Who made this and when: ketacompare about."
)


def overview(width: int = 80, color: bool = False) -> str:
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

    lines = [*para(PURPOSE, ""), "", heading("The decision"), *para(DECISION), ""]
    lines += [heading('What "treatment-resistant" means'), *para(CONDITION), ""]
    lines.append(heading("Start here"))
    for command, what in START:
        lines.append(f"  {command}")
        lines += para(what, "      ")
    lines += ["", *para(MORE, ""), "", *para(NOTICE, "")]
    return "\n".join(lines) + "\n"
