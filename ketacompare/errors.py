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


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The closest valid name, for 'did you mean' hints."""
    import difflib  # only on the error path

    pool = list(choices)
    low = word.lower()
    # Swapped letters ('mi' for 'im') score no better than other short names in difflib.
    swapped = [c for c in pool if len(c) == len(low) and sorted(c.lower()) == sorted(low)]
    if swapped:
        return swapped[0]
    match = difflib.get_close_matches(low, [c.lower() for c in pool], n=1, cutoff=0.5)
    if not match:
        return None
    return next(c for c in pool if c.lower() == match[0])


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
