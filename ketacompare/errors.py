"""Errors a user can cause. Each carries one message; the CLI prints it and exits 2."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from ketacompare.text import clean, one_line


class KetacompareError(Exception):
    """A mistake in usage or data: what is wrong, where, and how to fix it."""

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(KetacompareError):
    """A bad name or option on the command line."""


class DataProblem:
    """One problem found in a data file, with its path inside the file."""

    __slots__ = ("message", "path")

    def __init__(self, path: str, message: str) -> None:
        # Paths and messages quote file content: clean them here, once, for every caller.
        self.path = clean(path).replace("\n", " ")
        self.message = clean(message).replace("\n", " ")

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class DataError(KetacompareError):
    """A data file that cannot be used; holds every problem found."""

    def __init__(self, file: str, problems: Sequence[DataProblem]) -> None:
        self.file = file
        self.problems = list(problems)
        first = f"{file}: {self.problems[0]}"
        more = len(self.problems) - 1
        if more:
            plural = "s" if more > 1 else ""
            first += (
                f" (and {more} more problem{plural}; "
                f"run 'ketacompare validate {file}' to list them all)"
            )
        super().__init__(first)


# Names longer than this take no part in hints: difflib's cost grows with length squared.
_HINT_LEN = 100
# Up to this many names, every one is compared; above it, only near neighbours (below).
_SCAN_ALL = 256
_NEIGHBOURS = 16
# A file can hold a hundred thousand broken names; past this many problems, no more hints
# (each costs a few difflib comparisons), so listing them stays fast.
HINT_LIMIT = 100


class NameHints:
    """'Did you mean' against one set of names, indexed once (issue 14: a file with
    thousands of unknown ids among thousands of known ones took minutes).

    Small sets are compared in full. A large one is sorted twice, by the names and by the
    names reversed: a typo leaves either the start or the end of the name intact, so the
    right name sorts next to it in one of the two orders. Each hint then compares a fixed
    number of neighbours: building is n·log n and each hint log n.
    """

    def __init__(self, choices: Iterable[str]) -> None:
        self.names = list(dict.fromkeys(c for c in choices if len(c) <= _HINT_LEN))
        self.by_lower: dict[str, str] = {}
        self.by_letters: dict[str, list[str]] = {}
        for name in self.names:
            low = name.lower()
            if self.by_lower.setdefault(low, name) is name:
                same = self.by_letters.setdefault("".join(sorted(low)), [])
                if len(same) < _NEIGHBOURS:
                    same.append(low)
        self.forward: list[str] = []
        self.backward: list[str] = []
        if len(self.names) > _SCAN_ALL:
            self.forward = sorted(self.by_lower)
            self.backward = sorted(low[::-1] for low in self.by_lower)

    def closest(self, word: str) -> str | None:
        import difflib  # only on the error path

        low = word.lower()
        if not self.names or len(low) > _HINT_LEN:
            return None
        # Swapped letters ('mi' for 'im') score no better than other short names in difflib.
        # Of several such names, the one most like the word.
        swapped = self.by_letters.get("".join(sorted(low)))
        if swapped:
            pool, cutoff = swapped, 0.0
        else:
            pool = list(self.by_lower) if not self.forward else self._near(low)
            cutoff = 0.5
        match = difflib.get_close_matches(low, pool, n=1, cutoff=cutoff)
        return self.by_lower[match[0]] if match else None

    def _near(self, low: str) -> list[str]:
        import bisect

        near: list[str] = []
        for ordered, key, turn in ((self.forward, low, False), (self.backward, low[::-1], True)):
            at = bisect.bisect_left(ordered, key)
            for found in ordered[max(0, at - _NEIGHBOURS) : at + _NEIGHBOURS]:
                near.append(found[::-1] if turn else found)
        return list(dict.fromkeys(near))


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The closest valid name, for 'did you mean' hints (one-off; reuse NameHints for many)."""
    return NameHints(choices).closest(word)


def unknown_name(
    what: str,
    word: str,
    choices: Sequence[str],
    hint: str = "",
    names: Sequence[str] | None = None,
) -> UsageError:
    """'unknown route 'ivv'. Did you mean 'iv'? Valid routes: ...'

    `names` (keys and aliases) is what the closest match is drawn from, when it is wider
    than the listed choices: a typo of an alias should be pointed at that alias.
    """
    message = f"unknown {what} '{one_line(word)}'."
    guess = closest(word, choices if names is None else names)
    if guess:
        message += f" Did you mean '{guess}'?"
    plural = what[:-1] + "ies" if what.endswith("y") else what + "s"  # therapy -> therapies
    message += f" Valid {plural}: {', '.join(choices)}."
    if hint:
        message += f" {hint}"
    return UsageError(message)
