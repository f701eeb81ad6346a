"""A self-contained printable HTML page: a handout a clinician can give a patient.

One file with inline CSS (screen and print), no scripts, no external requests (no
links, fonts or images to fetch). Every data value goes through html.escape; source web
addresses are printed as text, never as links, so a data file cannot plant a
javascript: URL.
"""

from __future__ import annotations

from html import escape

from ketacompare.about import CLINIC_LEGEND, CLINIC_MARK
from ketacompare.about import sections as about_sections
from ketacompare.model import Fact
from ketacompare.query import DISCLAIMER, Column, Grid
from ketacompare.render import Style
from ketacompare.render.base import EMPTY, LOW_MARK, fact_words, markers, reference, sections

CSS = """
@page { margin: 15mm; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial,
  sans-serif; font-size: 16px; line-height: 1.45; color: #111; background: #fff;
  max-width: 72rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
table { border-collapse: collapse; width: 100%; margin: 0 0 1.25rem; }
th, td { border: 1px solid #888; padding: .45rem .6rem; vertical-align: top;
  text-align: left; white-space: pre-line; overflow-wrap: anywhere; }
thead th { background: #e8edf3; }
tbody th { background: #f5f5f5; width: 14rem; }
td.empty { color: #555; }
ul.facts { margin: 0; padding-left: 1.1rem; }
ul.facts li + li { margin-top: .3rem; }
.low { font-weight: 600; font-style: italic; }
.clinic { font-weight: 600; }
.about { font-size: .85em; color: #333; margin-top: 1rem; }
.about dt { font-weight: 600; }
.about dd { margin: 0 0 .3rem 0; }
.cite { color: #444; font-size: .85em; }
.notes li, .sources li { margin-bottom: .3rem; overflow-wrap: anywhere; }
.sources .kind { color: #444; }
.disclaimer { border: 2px solid #222; border-radius: 4px; padding: .6rem .8rem;
  font-weight: 600; margin-top: 1.5rem; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 10.5pt; }
  h1 { font-size: 16pt; }
  h2 { font-size: 12pt; break-after: avoid; page-break-after: avoid; }
  thead { display: table-header-group; }
  tr, li, .disclaimer { break-inside: avoid; page-break-inside: avoid; }
  thead th, tbody th { background: none; }
  th, td { border-color: #000; }
}
""".strip()


def _about(updated: str) -> str:
    """The whole disclosure in the handout's footer (IPDAS C3, C4, C6)."""
    items = "".join(
        f"<dt>{escape(heading)}</dt><dd>{escape(text)}</dd>"
        for heading, text in about_sections(updated)
        if heading != "Not medical advice"  # the boxed disclaimer above says it
    )
    return f'<footer class="about"><h2>About this handout</h2><dl>{items}</dl></footer>'


class HtmlRenderer:
    def render(self, grid: Grid, style: Style) -> str:
        title = escape(grid.title)
        body = [f"<h1>{title}</h1>"]
        for heading, columns in sections(grid):
            if heading is not None:
                body.append(f"<h2>{escape(heading)}</h2>")
            body.append(self._table(grid, columns, style.cite))
        from ketacompare.render.outcomes import picture_html

        drawn = picture_html(grid)
        if drawn:
            body.append(drawn)
        if grid.notes:
            items = "".join(f"<li>{escape(note)}</li>" for note in grid.notes)
            body.append(f'<section class="notes"><h2>Notes</h2><ul>{items}</ul></section>')
        if grid.has_clinic_claims():
            body.append(f'<p class="legend">{escape(CLINIC_LEGEND)}</p>')
        if grid.sources:
            body.append(_sources(grid))
        if grid.updated:
            body.append(_about(grid.updated))
        body.append(f'<p class="disclaimer">{escape(DISCLAIMER)}</p>')  # closes every view
        return (
            "<!DOCTYPE html>\n"
            '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{title}</title>\n<style>\n{CSS}\n{_extra_css(grid)}</style>\n</head>\n<body>\n<main>\n"
            + "\n".join(body)
            + "\n</main>\n</body>\n</html>\n"
        )

    def _table(self, grid: Grid, columns: tuple[Column, ...], cite: bool) -> str:
        head = "".join(f'<th scope="col">{escape(c.name)}</th>' for c in columns)
        lines = [
            "<table>",
            f'<thead><tr><th scope="col">{escape(grid.corner)}</th>{head}</tr></thead>',
            "<tbody>",
        ]
        for row in grid.rows:
            cells = "".join(_cell(grid, grid.cell(row.key, c.key), cite) for c in columns)
            lines.append(f'<tr><th scope="row">{escape(row.label)}</th>{cells}</tr>')
        lines += ["</tbody>", "</table>"]
        return "\n".join(lines)


def _extra_css(grid: Grid) -> str:
    """Styles only some views need: pictures, and room to write on the questions handout."""
    from ketacompare.render.outcomes import PICTURE_CSS, pictures

    css = PICTURE_CSS + "\n" if pictures(grid) else ""
    if grid.kind == "questions":
        css += "td:last-child { width: 45%; height: 5.5rem; }\n"
    return css


def _fact(grid: Grid, fact: Fact, cite: bool) -> str:
    """The same words as base.cell_lines, with the low-confidence mark made to stand out."""
    text = escape(fact_words(fact))
    if fact.clinic_claim:
        text = f'<span class="clinic">{escape(CLINIC_MARK)}</span>' + text
    if fact.confidence == "low":
        text += f' <span class="low">{escape(LOW_MARK)}</span>'
    mark = markers(grid, fact) if cite else ""
    if mark:
        text += f' <span class="cite">{escape(mark)}</span>'
    return text


def _cell(grid: Grid, facts: tuple[Fact, ...], cite: bool) -> str:
    if not facts:
        return f'<td class="empty">{EMPTY}</td>'
    if len(facts) == 1:
        return f"<td>{_fact(grid, facts[0], cite)}</td>"
    items = "".join(f"<li>{_fact(grid, fact, cite)}</li>" for fact in facts)
    return f'<td><ul class="facts">{items}</ul></td>'


def _sources(grid: Grid) -> str:
    items = []
    for number, (sid, source) in enumerate(grid.sources.items(), start=1):
        items.append(
            f'<li id="source-{number}">{escape(reference(source))} '
            f'<span class="kind">({escape(source.kind)}; id: {escape(sid)})</span></li>'
        )
    return f'<section class="sources"><h2>Sources cited</h2><ol>{"".join(items)}</ol></section>'


RENDERER = HtmlRenderer()
