"""Output formats. One module per format, each a Renderer that returns text and does no I/O.

Importing this package is cheap: a format's module is imported only when it is used.
"""

from __future__ import annotations

import enum
import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from ketacompare.query import Grid


class Format(enum.StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    MARKDOWN = "markdown"
    HTML = "html"


# Format -> module holding `RENDERER`; tests check every member is wired.
MODULES: dict[Format, str] = {
    Format.TABLE: "ketacompare.render.table",
    Format.JSON: "ketacompare.render.json_format",
    Format.CSV: "ketacompare.render.csv_format",
    Format.MARKDOWN: "ketacompare.render.markdown_format",
    Format.HTML: "ketacompare.render.html_format",
}


@dataclass(frozen=True, slots=True)
class Style:
    """How the output will be shown; only the table format uses most of it."""

    width: int = 100
    color: bool = False
    ascii: bool = False
    cite: bool = False  # per-fact footnote markers and a source legend


class Renderer(Protocol):
    def render(self, grid: Grid, style: Style) -> str: ...


def renderer(fmt: Format) -> Renderer:
    return importlib.import_module(MODULES[fmt]).RENDERER


def render(grid: Grid, fmt: Format, style: Style) -> str:
    return renderer(fmt).render(grid, style)
