"""Who made ketacompare, when its content was checked, and whose claims it carries.

IPDAS asks a decision aid to disclose its authors, funding, conflicts and update policy
(certification criteria C3, C4, C6). Every view carries the short line; `ketacompare
about` and the HTML handout carry the whole text. Kept import-light: plain strings.
"""

from __future__ import annotations

from ketacompare import __version__

DISCLAIMER = (
    "Educational comparison, not medical advice. Discuss any treatment decision with a clinician."
)
CLINIC_MARK = "Clinic says: "
CLINIC_LEGEND = (
    "'Clinic says' marks a claim found only in a clinic's own web pages. That clinic sells "
    "ketamine-assisted therapy. No study or label on file backs the claim."
)
WHO = (
    "This tool comes from an independent open-source project. It has no funding, and no "
    "tie to any clinic or drug maker."
)
CONFLICT = (
    "Its first content came from the web articles of a clinic that sells ketamine-assisted "
    "therapy. Those claims are marked as the clinic's. The rest comes from drug labels, "
    "guidelines and published studies, each cited."
)
POLICY = (
    "The content is checked against the labels and studies before each release and at least "
    "every six months. The date shows when it last was."
)
REPORT = "Report an error in the project's issue tracker."


def short_line(updated: str) -> str:
    """The one line every terminal view ends with."""
    return (
        f"Content checked {updated} · ketacompare {__version__} · independent, no funding · "
        "more: ketacompare about"
    )


def sections(updated: str) -> list[tuple[str, str]]:
    """The full disclosure, as (heading, text) pairs."""
    return [
        ("Content checked", f"{updated}. {POLICY}"),
        ("Version", f"ketacompare {__version__}"),
        ("Who made it", WHO),
        ("Conflict to disclose", CONFLICT),
        ("Errors", REPORT),
        ("Not medical advice", DISCLAIMER),
    ]
