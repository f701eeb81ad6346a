"""Rich tables: subjects as columns, factors as rows; cards when columns will not fit."""

from __future__ import annotations

import io

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ketacompare.query import Grid
from ketacompare.render import Style
from ketacompare.render.base import EMPTY, cell_text, legend
from ketacompare.text import ascii_symbols

ROW_LABEL_MIN = 14
COLUMN_MIN = 16


def _longest_word(text: str) -> int:
    return max((len(word) for word in text.split()), default=1)


class TableRenderer:
    def render(self, grid: Grid, style: Style) -> str:
        out = io.StringIO()
        console = Console(
            file=out,
            width=max(style.width, 30),
            color_system="standard" if style.color else None,
            force_terminal=style.color,
            no_color=not style.color,
            highlight=False,
            emoji=False,
            markup=False,
            legacy_windows=False,
            safe_box=True,
        )
        bullet = "- " if style.ascii else "• "
        fits = ROW_LABEL_MIN + COLUMN_MIN * len(grid.columns) <= style.width
        if grid.layout == "cards" or not fits:
            for column in grid.columns:
                console.print(self._table(grid, (column,), style, bullet, title=column.name))
        else:
            console.print(self._table(grid, grid.columns, style, bullet, title=grid.title))
        footer = legend(grid) if style.cite else []
        footer += grid.footer()
        for line in footer:
            line = ascii_symbols(line) if style.ascii else line
            console.print(Text(line, style="dim" if style.color else ""), overflow="fold")
        return out.getvalue()

    def _table(self, grid: Grid, columns: tuple, style: Style, bullet: str, title: str) -> Table:
        table = Table(
            title=Text(title, style="bold"),
            box=box.ASCII if style.ascii else box.ROUNDED,
            show_lines=True,
            header_style="bold" if style.color else "",
            title_justify="left",
        )
        label_width = max((_longest_word(r.label) for r in grid.rows), default=8)
        table.add_column(Text(grid.corner), min_width=min(label_width, 20), overflow="fold")
        for column in columns:
            # Words in a heading are never split: route names stay whole.
            table.add_column(
                Text(column.name), min_width=_longest_word(column.name), overflow="fold"
            )
        plain = ascii_symbols if style.ascii else str  # so the '—' note matches its '-'
        for row in grid.rows:
            cells: list[Text] = [Text(plain(row.label), style="bold" if style.color else "")]
            for column in columns:
                facts = grid.cell(row.key, column.key)
                if facts:
                    cells.append(Text(plain(cell_text(grid, facts, style.cite, bullet))))
                else:
                    cells.append(Text("-" if style.ascii else EMPTY, style="dim"))
            table.add_row(*cells)
        return table


RENDERER = TableRenderer()
