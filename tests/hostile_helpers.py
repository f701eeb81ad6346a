"""Checks shared by the hostile-input tests. Written apart from ketacompare.text on purpose:
a test that reused the code's own character list would pass whatever that list missed."""

from __future__ import annotations

import importlib
import re
from types import ModuleType

from ketacompare.render import MODULES, Format

# Every C0 control but LF, DEL, every C1 control, and the bidi controls that reorder text
# (LRM/RLM, ALM, embeddings/overrides U+202A-E, isolates U+2066-9), and lone surrogates.
UNSAFE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)


def unsafe_chars(text: str) -> list[str]:
    """The control characters left in program output ([] when it is safe).

    CRLF is a record separator the csv module writes, not data, so it is allowed.
    """
    return [f"U+{ord(c):04X}" for c in UNSAFE.findall(text.replace("\r\n", "\n"))]


def renderer_module(fmt: Format) -> ModuleType:
    """The format's renderer module (a missing one is an error, never a skip)."""
    return importlib.import_module(MODULES[fmt])


def available_formats() -> list[Format]:
    return [fmt for fmt in Format if renderer_module(fmt)]


def registered_commands() -> set[str]:
    """Command names the CLI has in this checkout (other issues add more after merge)."""
    import typer.main

    from ketacompare.cli import app

    return set(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
