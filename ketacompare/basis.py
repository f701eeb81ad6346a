"""Whose claim each fact is: its basis, computed from its sources' kinds, never typed.

One pass after loading stamps `basis` on everything that cites sources (cell facts,
timeline figures, ratings, the decision's facts), so every view and format reads the same
answer from the fact itself. tests/test_basis.py checks no citing object is missed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from ketacompare.model import Dataset, basis_of


def citing(data: Dataset) -> Iterator[Any]:
    """Every object of the model that cites sources."""
    comparisons: Iterable[Any] = (getattr(data.comparisons, key) for key in data.comparison_keys())
    for comparison in comparisons:
        for subject in comparison.subjects.values():
            for facts in subject.cells.values():
                yield from facts
            yield from subject.timeline
    for preference in data.preferences.values():
        yield from preference.ratings.values()
    if data.decision is not None:
        yield from data.decision.condition


def with_basis(data: Dataset) -> Dataset:
    """Stamp every citing object of a freshly loaded Dataset with its basis, in place.

    The objects are frozen, but nobody has seen them yet: setting the field here is the
    loader finishing its own construction. (Rebuilding the tree with replace() cost
    0.7 s on a 1,000-route file; this is one attribute write per fact.)
    """
    kinds = {sid: source.kind for sid, source in data.sources.items()}
    known: dict[tuple[str, ...], Any] = {}  # the same few source lists recur everywhere
    setter = object.__setattr__
    for item in citing(data):
        sources = item.sources
        if sources in known:
            basis = known[sources]
        else:
            basis = known[sources] = basis_of(kinds[s] for s in sources)
        setter(item, "basis", basis)
    return data
