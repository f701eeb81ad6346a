"""Rich tables: subjects as columns, factors as rows; cards when columns will not fit."""

from __future__ import annotations

import io
import re

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ketacompare.query import Column, Grid
from ketacompare.render import Style
from ketacompare.render.base import EMPTY, cell_text, legend
from ketacompare.text import ascii_symbols

ROW_LABEL_MIN = 14
COLUMN_MIN = 16


def _longest_word(text: str) -> int:
    return max((cell_len(word) for word in text.split()), default=1)


def _label_width(grid: Grid) -> int:
    return min(max((_longest_word(r.label) for r in grid.rows), default=8), 20)


def _names_width(grid: Grid, columns: tuple[Column, ...]) -> int:
    """The narrowest table that keeps every heading word whole: labels, names, borders."""
    label = max(_label_width(grid), _longest_word(grid.corner))
    names = sum(_longest_word(column.name) for column in columns)
    return label + names + 3 * (len(columns) + 1) + 1


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _widest(text: str) -> int:
    return max((cell_len(_ANSI.sub("", line)) for line in text.splitlines()), default=0)


class TableRenderer:
    def render(self, grid: Grid, style: Style) -> str:
        if grid.kind == "timeline":  # a picture reads better than a table here
            from ketacompare.render.timeline_chart import RENDERER as CHART

            return CHART.render(grid, style)
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
        fits = fits and _names_width(grid, grid.columns) <= console.width
        # crop=False: a table that cannot fit (a very narrow terminal) runs wider than the
        # terminal instead of being cut off at the edge; the terminal wraps it.
        side_by_side = ""
        if grid.layout != "cards" and fits:
            table = self._table(grid, grid.columns, style, bullet, title=grid.title)
            console.begin_capture()
            console.print(table, crop=False)
            side_by_side = console.end_capture()
            # Rich can still come out a few columns too wide when long words meet narrow
            # columns; then cards read better than a table the terminal has to wrap.
            if _widest(side_by_side) > console.width:
                side_by_side = ""
        if side_by_side:
            console.file.write(side_by_side)
        else:
            # Cards are titled by their column; the grid's own title goes above them.
            if [c.name for c in grid.columns] != [grid.title]:
                console.print(Text(grid.title, style="bold" if style.color else ""))
            for column in grid.columns:
                table = self._table(grid, (column,), style, bullet, title=column.name)
                console.print(table, crop=False)
        footer = legend(grid) if style.cite else []
        footer += grid.footer()
        for line in footer:
            line = ascii_symbols(line) if style.ascii else line
            console.print(Text(line, style="dim" if style.color else ""), overflow="fold")
        text = out.getvalue()
        if style.ascii:
            # The cells show '-' for "no data"; the note explaining it must say '-' too.
            text = ascii_symbols(text)
        if not style.color:
            # Rich pads titles to the table width; pipes and diffs do not need the spaces.
            text = "\n".join(line.rstrip() for line in text.split("\n"))
        return text

    def _table(
        self, grid: Grid, columns: tuple[Column, ...], style: Style, bullet: str, title: str
    ) -> Table:
        table = Table(
            title=Text(title, style="bold"),
            box=box.ASCII if style.ascii else box.ROUNDED,
            show_lines=True,
            header_style="bold" if style.color else "",
            title_justify="left",
        )
        label_width = _label_width(grid)
        # On a one-column card, long row labels would otherwise take half the width.
        cap = max(label_width, min(26, style.width // 4)) if len(columns) == 1 else None
        table.add_column(Text(grid.corner), min_width=label_width, max_width=cap, overflow="fold")
        # Side by side, share out the width: a long word then folds inside its column
        # instead of pushing the table past the terminal's edge.
        share = None
        if len(columns) > 1:
            share = style.width - max(label_width, len(grid.corner)) - 3 * len(columns) - 4
            share //= len(columns)
        for column in columns:
            # Words in a heading are never split: route names stay whole.
            least = _longest_word(column.name)
            table.add_column(
                Text(column.name),
                min_width=least,
                max_width=max(share, least) if share else None,
                overflow="fold",
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
