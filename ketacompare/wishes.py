"""How much a wish matters: the plain levels `choose`, its questions and completion share.

Import-light on purpose (no Typer, Rich or YAML): shell completion loads it on every TAB.
"""

from __future__ import annotations

# Level word -> how many times the wish counts. "not" leaves the wish out; it is what
# the questions offer first, and a script may pass it back as `--prefer KEY=not`.
LEVELS: dict[str, int] = {"not": 0, "somewhat": 1, "very": 2}
DEFAULT_LEVEL = "somewhat"  # `--prefer no-needles` alone
NEED_WEIGHT = LEVELS["very"]  # a must-have (--need) counts like a wish that matters very much
LEVEL_PHRASE = {"somewhat": "matters somewhat", "very": "matters very much"}
# Offered after `KEY=` when completing: the levels that keep the wish in.
COMPLETED_LEVELS = tuple(level for level, weight in LEVELS.items() if weight)


def split_level(word: str) -> tuple[str, str | None]:
    """'no-needles=very' -> ('no-needles', 'very'); 'no-needles' -> ('no-needles', None)."""
    key, sep, level = word.partition("=")
    return key.strip(), (level.strip() if sep else None)
