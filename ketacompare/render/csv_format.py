"""CSV for spreadsheets: RFC 4180 (CRLF, quotes doubled) through the csv module.

Layout: a header row (the corner label, then one name per subject), one row per factor,
then the closing lines (notes, sources, disclaimer) as rows whose first cell is "Note"
and whose second cell holds the line. Rows are all the same length, so the file is a
clean rectangle; a script skips the trailing rows with `row[0] == "Note"`.
"""

from __future__ import annotations

import csv
import io

from ketacompare.query import Grid
from ketacompare.render import Style
from ketacompare.render.base import cell_value, legend

NOTE = "Note"


class CsvRenderer:
    def render(self, grid: Grid, style: Style) -> str:
        out = io.StringIO(newline="")
        writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        width = 1 + len(grid.columns)
        writer.writerow([grid.corner, *(column.name for column in grid.columns)])
        for row in grid.rows:
            cells = [cell_value(grid, grid.cell(row.key, c.key), style.cite) for c in grid.columns]
            writer.writerow([row.label, *cells])
        footer = (legend(grid) if style.cite else []) + grid.footer()
        for line in footer:
            writer.writerow([NOTE, line, *[""] * (width - 2)])
        return out.getvalue()


RENDERER = CsvRenderer()
