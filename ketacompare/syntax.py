"""Syntax shared by the loader and the typed model: the id pattern, non-text scalars.

Kept apart from model.py so reading YAML (e.g. for shell completion) does not pay for
creating the model's dataclasses.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not `from typing import`: typing costs ~5 ms, on every TAB

if TYPE_CHECKING:
    from typing import Any

# Ids: keys of sources, factors, subjects, preferences. The pattern is for the JSON Schema;
# is_id is the same rule without importing re (shell completion checks names with it).
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
_ID_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")


def is_id(word: object) -> bool:
    """True for a valid id: ASCII letters, digits, '_', '.', '-', starting with a letter or
    digit (ID_PATTERN; a test checks the two agree)."""
    return (
        isinstance(word, str)
        and word[:1].isascii()
        and word[:1].isalnum()
        and _ID_CHARS.issuperset(word)
    )


class YamlScalar:
    """A non-text YAML scalar (bool, number, date, null) with the text it was written as.

    Keeping the original text lets an error say "found `no`" instead of "found False".
    """

    __slots__ = ("kind", "text", "value")

    def __init__(self, kind: str, text: str, value: Any) -> None:
        self.kind = kind
        self.text = text
        self.value = value

    def __hash__(self) -> int:
        return hash((self.kind, self.text))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, YamlScalar) and (self.kind, self.text) == (other.kind, other.text)

    def __repr__(self) -> str:
        return f"YamlScalar({self.kind!r}, {self.text!r})"
