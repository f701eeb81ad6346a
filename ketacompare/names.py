"""Names typed on the command line: one index resolves them all.

A NameIndex holds the keys and aliases of one kind of thing (routes, therapies, factors,
wishes, sources), indexed once. It looks a word up in any case, accepts a unique prefix
where a view allows it, and says "did you mean" (errors.NameHints) when nothing matches.
Building is n·log n; each lookup is log n, so no input makes it quadratic.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence

from ketacompare.errors import NameHints, UsageError, unknown_name
from ketacompare.model import Comparison, Dataset
from ketacompare.text import one_line

_SHOWN = 10  # candidates an "ambiguous" message names


class NameIndex:
    """Keys and their aliases, for lookup by exact name (any case) or unique prefix."""

    def __init__(self, what: str, groups: Iterable[tuple[str, Iterable[str]]]) -> None:
        self.what = what
        self.keys: list[str] = []
        self.names: list[str] = []  # every key and alias, in display order
        self.exact: dict[str, str] = {}  # lower-case name -> key; the first name wins
        for key, aliases in groups:
            self.keys.append(key)
            for name in (key, *aliases):
                self.names.append(name)
                self.exact.setdefault(name.lower(), key)
        self._sorted = sorted(self.exact)
        self._hints: NameHints | None = None

    def _relink(self, exact: Mapping[str, str]) -> NameIndex:
        """The same names, each standing for the key `exact` gives it."""
        self.exact = dict(exact)
        self._sorted = sorted(self.exact)
        return self

    @classmethod
    def of_subjects(cls, comparison: Comparison, what: str) -> NameIndex:
        return cls(what, ((k, s.aliases) for k, s in comparison.subjects.items()))

    @classmethod
    def of_factors(cls, data: Dataset, keys: Iterable[str] | None = None) -> NameIndex:
        chosen = data.factors if keys is None else keys
        return cls("factor", ((k, data.factors[k].aliases) for k in chosen))

    @classmethod
    def of_keys(cls, what: str, keys: Iterable[str]) -> NameIndex:
        """Things without aliases: wishes, sources, levels."""
        return cls(what, ((k, ()) for k in keys))

    def get(self, word: str) -> str | None:
        """The key named exactly (any case, spaces around ignored); None if none."""
        return self.exact.get(word.strip().lower())

    def match(self, word: str) -> str | None:
        """An exact name, else a unique prefix; None if neither; an error if ambiguous."""
        low = word.strip().lower()
        if low in self.exact:
            return self.exact[low]
        at = bisect.bisect_left(self._sorted, low)
        hits: dict[str, None] = {}
        # Stop once the answer is clear: a few keys are enough to say it is ambiguous.
        while at < len(self._sorted) and self._sorted[at].startswith(low) and len(hits) <= _SHOWN:
            hits[self.exact[self._sorted[at]]] = None
            at += 1
        if len(hits) > 1:
            shown = ", ".join(sorted(hits)[:_SHOWN]) + (", ..." if len(hits) > _SHOWN else "")
            raise UsageError(
                f"{self.what} '{one_line(word)}' is ambiguous: it could be {shown}. "
                "Type more of the name."
            )
        return next(iter(hits), None)

    def closest(self, word: str) -> str | None:
        if self._hints is None:
            self._hints = NameHints(self.names)
        return self._hints.closest(word)

    def unknown(self, word: str, listed: Sequence[str] | None = None, hint: str = "") -> UsageError:
        """'unknown route 'ivv'. Did you mean 'iv'? Valid routes: ...' (keys listed)."""
        return unknown_name(self.what, word, list(listed or self.keys), hint, names=self.names)


def match_name(word: str, names: Mapping[str, str], what: str) -> str | None:
    """A word to a key by a {lower-case name: key} map: exact, else a unique prefix."""
    return NameIndex(what, ())._relink(names).match(word)


def split_words(values: Iterable[str] | None) -> list[str]:
    """--factor a,b --factor c  ->  [a, b, c]"""
    return [w.strip() for v in values or () for w in v.split(",") if w.strip()]


def subject_names(comparison: Comparison) -> list[str]:
    """Keys and aliases, for completion and error messages."""
    return NameIndex.of_subjects(comparison, "subject").names


def resolve_subjects(
    comparison: Comparison, words: Sequence[str], what: str, presets: bool = False
) -> list[str]:
    """Names (keys or aliases, any case) to subject keys, in the order given.

    With presets, a preset's name (e.g. kap-vs-talk) stands for its members.
    """
    index = NameIndex.of_subjects(comparison, what)
    groups = {k.lower(): list(v) for k, v in comparison.presets.items()} if presets else {}
    chosen: dict[str, str] = {}
    for word in words:
        key = index.get(word)
        low = word.strip().lower()
        if key is not None:
            found = [(key, word)]
        elif low in groups:
            found = [(member, member) for member in groups[low]]
        else:
            shown = list(comparison.presets) if presets else []
            hint = f"Presets: {', '.join(shown)}." if shown else ""
            raise unknown_name(what, word, index.keys, hint, names=[*index.names, *shown])
        for key, said in found:
            if key in chosen:
                first = chosen[key]
                how = f" (as '{one_line(first)}' and '{one_line(said)}')" if first != said else ""
                raise UsageError(f"{what} '{key}' was named twice{how}; name each {what} once.")
            chosen[key] = said
    return list(chosen)


def resolve_factors(data: Dataset, available: Sequence[str], words: Sequence[str]) -> list[str]:
    """--factor words to factor keys: exact key or alias, else a unique prefix; any case.

    Names of factors in this view come first: in kap-vs-talk, 'speed' is a prefix of
    speed-of-change there, even though it is also an alias of the routes' onset.
    """
    everywhere = NameIndex.of_factors(data)
    here = NameIndex.of_factors(data, available)
    here._relink({name.lower(): everywhere.exact[name.lower()] for name in here.names})
    chosen: list[str] = []
    for word in words:
        key = here.match(word)
        elsewhere = everywhere.get(word)
        if key is None and elsewhere is not None:
            raise UsageError(
                f"factor '{elsewhere}' has no data in this view. "
                f"Factors here: {', '.join(available)}."
            )
        if key is None:
            raise here.unknown(word)
        if key not in chosen:
            chosen.append(key)
    return chosen
