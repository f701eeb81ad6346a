"""GitHub-flavoured Markdown: a title, a pipe table (one per subject for card layouts),
then the closing lines as paragraphs.

Data text is escaped so a Markdown parser reads back exactly the words of the table:
inline markup characters get a backslash, and a line that could start a block (list,
heading, numbered item) has its first mark escaped. No raw HTML is written, not even
<br>: a viewer that shows HTML as text would print it as "&lt;br&gt;". So a line break
inside a fact becomes a space, and a cell with several facts lists them inline, each
after a bullet ("• first • second").
"""

from __future__ import annotations

import re

from ketacompare.model import Fact
from ketacompare.query import Column, Grid
from ketacompare.render import Style
from ketacompare.render.base import EMPTY, cell_lines, legend, sections

# Backslash, code, emphasis, links, raw HTML, entities, strikethrough, GitHub math, tables,
# and "#": a heading ending in " #" would lose it (it reads as a closing mark).
_INLINE = re.compile(r"([\\`*_\[\]<>&~$|#])")
# At the start of a paragraph: list bullets, setext underlines, numbered items
# (a heading mark "#" is already escaped by _INLINE).
_BLOCK_START = re.compile(r"^(?:([+=-])|(\d{1,9})([.)]))")


def inline(text: str) -> str:
    """Text safe inside a table cell or paragraph: read back as the same characters."""
    return _INLINE.sub(r"\\\1", text).replace("\r", "").replace("\n", " ")


def paragraph(text: str) -> str:
    """A line of text as one paragraph that can never become another block."""
    escaped = inline(text)
    return _BLOCK_START.sub(
        lambda m: "\\" + m.group(1) if m.group(1) else f"{m.group(2)}\\{m.group(3)}",
        escaped,
        count=1,
    )


class MarkdownRenderer:
    def render(self, grid: Grid, style: Style) -> str:
        parts = [f"# {inline(grid.title)}"]
        for heading, columns in sections(grid):
            if heading is not None:
                parts.append(f"## {inline(heading)}")
            parts.append(self._table(grid, columns, style.cite))
        from ketacompare.render.outcomes import picture_lines

        drawn = picture_lines(grid)
        if drawn:  # a code block keeps the marks lined up
            parts.append("## " + inline(drawn[0]))
            parts.append("```text\n" + "\n".join(drawn[1:]) + "\n```")
        footer = (legend(grid) if style.cite else []) + grid.footer()
        parts.extend(paragraph(line) for line in footer)
        return "\n\n".join(parts) + "\n"

    def _table(self, grid: Grid, columns: tuple[Column, ...], cite: bool) -> str:
        lines = [_row([grid.corner, *(c.name for c in columns)])]
        lines.append("|" + " --- |" * (len(columns) + 1))
        for row in grid.rows:
            cells = [_cell(grid, grid.cell(row.key, c.key), cite) for c in columns]
            lines.append(_row([row.label, *cells]))
        return "\n".join(lines)


def _cell(grid: Grid, facts: tuple[Fact, ...], cite: bool) -> str:
    lines = cell_lines(grid, facts, cite)
    if not lines:
        return EMPTY
    return lines[0] if len(lines) == 1 else " ".join(f"• {line}" for line in lines)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(inline(cell) for cell in cells) + " |"


RENDERER = MarkdownRenderer()
