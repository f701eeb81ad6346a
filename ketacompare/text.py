"""Make untrusted text safe for a terminal: no escape sequences, no bidi tricks."""

from __future__ import annotations

import re

# C0 controls except TAB and LF, DEL, C1 controls, bidi embedding/override/isolate marks
# that can make a cell read differently from what it says, and lone surrogates (the
# pure-Python YAML parser accepts "\ud800"; no stream can encode one).
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def clean(value: str) -> str:
    """Remove control characters; tabs become spaces, CRLF becomes LF."""
    if value.isprintable():
        return value
    value = value.replace("\r\n", "\n").replace("\t", " ")
    return _UNSAFE.sub("", value)


def one_line(value: object, limit: int | None = 60) -> str:
    """Quote user-typed or file text inside an error message: cleaned, single line, short.

    limit=None keeps it whole: a shortened path would name a different place.
    """
    text = clean(str(value)).replace("\n", " ")
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


_ASCII = str.maketrans(
    {
        "—": "-",
        "–": "-",
        "•": "-",
        "…": "...",
        "≥": ">=",
        "≤": "<=",
        "±": "+/-",
        "×": "x",
        "‘": "'",
        "’": "'",
        "“": '"',
        "”": '"',
        "→": "->",
        "µ": "u",
        "·": "-",
    }
)


def ascii_symbols(text: str) -> str:
    """Dashes, bullets, quotes and arrows spelled in ASCII; letters are left alone."""
    return text.translate(_ASCII)


def to_encoding(text: str, encoding: str) -> str:
    """Text the stream can encode: common symbols spelled in ASCII, the rest as '?'."""
    try:
        text.encode(encoding)
        return text
    except (UnicodeEncodeError, LookupError):
        text = text.translate(_ASCII)
        try:
            return text.encode(encoding, "replace").decode(encoding)
        except LookupError:
            return text.encode("ascii", "replace").decode("ascii")
