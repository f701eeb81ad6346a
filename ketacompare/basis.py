"""Whose claim each fact is: its basis, computed from its sources' kinds, never typed.

One pass after loading stamps `basis` on every fact, timeline figure and rating, so every
view and format reads the same answer from the fact itself.
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import TypeVar

from ketacompare.model import Comparison, Dataset, basis_of

T = TypeVar("T")


def with_basis(data: Dataset) -> Dataset:
    kinds = {sid: source.kind for sid, source in data.sources.items()}

    def stamp(item: T) -> T:
        return replace(item, basis=basis_of(kinds[s] for s in item.sources))  # type: ignore[attr-defined, type-var]

    def comparison(c: Comparison | None) -> Comparison | None:
        if c is None:
            return None
        subjects = {
            key: replace(
                s,
                cells={f: tuple(stamp(x) for x in facts) for f, facts in s.cells.items()},
                timeline=tuple(stamp(p) for p in s.timeline),
            )
            for key, s in c.subjects.items()
        }
        return replace(c, subjects=subjects)

    comparisons = data.comparisons
    stamped = {
        name: comparison(getattr(comparisons, name))
        for name in (f.name for f in fields(comparisons))
    }
    preferences = {
        key: replace(p, ratings={r: stamp(v) for r, v in p.ratings.items()})
        for key, p in data.preferences.items()
    }
    decision = data.decision
    if decision is not None:
        decision = replace(decision, condition=tuple(stamp(f) for f in decision.condition))
    return replace(
        data,
        comparisons=replace(comparisons, **stamped),
        preferences=preferences,
        decision=decision,
    )
