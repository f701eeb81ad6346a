"""A self-contained printable HTML page: a handout a clinician can give a patient.

One file with inline CSS (screen, phone and print), no scripts, nothing fetched (no
fonts, images or style sheets). Every data value goes through html.escape. A source's
DOI, PubMed id and web address become links in the reference list, and only as https
addresses we build (doi.org, pubmed) or http(s) addresses from the data, so a data file
cannot plant a javascript: link.

Printed on A4 from a browser: table headers repeat on each page, a row is never split
across pages, a word is never broken (only a long web address may wrap), and the brief
views fit in a page or two.
"""

from __future__ import annotations

from html import escape
from urllib.parse import quote

from ketacompare import __version__
from ketacompare.about import CLINIC_LEGEND, CLINIC_MARK
from ketacompare.about import sections as about_sections
from ketacompare.model import Fact, Source
from ketacompare.query import DISCLAIMER, Column, Grid
from ketacompare.render import Style
from ketacompare.render.base import EMPTY, LOW_MARK, fact_words, markers, reference, sections

CSS = """
@page { size: A4; margin: 12mm 11mm; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial,
  sans-serif; font-size: 16px; line-height: 1.45; color: #111; background: #fff;
  max-width: 72rem; margin: 1.5rem auto; padding: 0 1rem;
  overflow-wrap: normal; word-break: normal; hyphens: manual; }
h1 { font-size: 1.6rem; margin: 0 0 .4rem; }
h2 { font-size: 1.15rem; margin: 1.2rem 0 .4rem; }
.decision { font-size: 1.1rem; margin: 0 0 .3rem; }
.checked { color: #444; font-size: .9em; margin: 0 0 1rem; }
table { border-collapse: collapse; width: 100%; margin: 0 0 1rem; }
th, td { border: 1px solid #888; padding: .4rem .55rem; vertical-align: top;
  text-align: left; white-space: pre-line; }
thead th { background: #e8edf3; }
tbody th { background: #f5f5f5; width: 11rem; }
td.empty { color: #555; }
ul.facts { margin: 0; padding-left: 1rem; }
ul.facts li + li { margin-top: .25rem; }
.low { font-weight: 600; font-style: italic; }
.clinic { font-weight: 700; color: #7a1f5c; }
.legend { font-size: .9em; }
.about { font-size: .85em; color: #333; margin-top: 1rem; }
.about dt { font-weight: 600; }
.about dd { margin: 0 0 .3rem 0; }
.cite { color: #444; font-size: .85em; }
.notes li, .sources li { margin-bottom: .25rem; }
.sources { font-size: .9em; }
.sources a { overflow-wrap: anywhere; color: #0b4f8a; }
.sources .kind { color: #444; }
.disclaimer { border: 2px solid #222; border-radius: 4px; padding: .5rem .7rem;
  font-weight: 600; margin-top: 1rem; }
/* A phone: each row becomes a block, each cell is labelled with its option. */
@media screen and (max-width: 40rem) {
  body { padding: 0 .6rem; margin: .8rem auto; }
  table, thead, tbody, tr, th, td { display: block; width: auto; }
  thead { position: absolute; left: -10000px; }
  tr { border: 1px solid #888; margin-bottom: .6rem; }
  th, td { border: none; border-top: 1px solid #ddd; }
  tbody th { width: auto; background: #e8edf3; }
  td[data-option]::before { content: attr(data-option); display: block; font-weight: 700; }
}
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 9pt; line-height: 1.28; }
  h1 { font-size: 14pt; margin-bottom: 2pt; }
  h2 { font-size: 10.5pt; margin: 8pt 0 3pt; break-after: avoid; page-break-after: avoid; }
  .decision { font-size: 10pt; margin-bottom: 1pt; }
  .checked { margin-bottom: 5pt; }
  table { table-layout: fixed; margin-bottom: 6pt; }
  th, td { padding: 2.5pt 4pt; border-color: #000; }
  tbody th { width: 17%; }
  ul.facts { padding-left: 9pt; }
  ul.facts li + li { margin-top: 1.5pt; }
  thead { display: table-header-group; }
  tr, li, dd, .disclaimer, .legend { break-inside: avoid; page-break-inside: avoid; }
  thead th, tbody th { background: none; }
  .notes, .legend, .about { font-size: 8pt; }
  .sources { font-size: 7.5pt; columns: 2; column-gap: 12pt; }
  .sources ol { margin: 0; padding-left: 14pt; }
  .sources h2 { column-span: all; }
  .about dl { margin: 0; }
  .about dt { float: left; margin-right: 4pt; }
  .about dt::after { content: ":"; }
  .disclaimer { padding: 3pt 6pt; margin-top: 6pt; }
  a { color: #000; text-decoration: none; }
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
        if grid.decision:
            body.append(f'<p class="decision">{escape(grid.decision)}</p>')
        if grid.updated:
            checked = (
                f"Content checked {grid.updated} · ketacompare {__version__} · "
                "independent, no funding"
            )
            body.append(f'<p class="checked">{escape(checked)}</p>')
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
            cells = "".join(_cell(grid, grid.cell(row.key, c.key), cite, c) for c in columns)
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


def _cell(grid: Grid, facts: tuple[Fact, ...], cite: bool, column: Column) -> str:
    # data-option labels the cell on a phone, where the header row is out of sight.
    option = f' data-option="{escape(column.name)}"'
    if not facts:
        return f'<td class="empty"{option}>{EMPTY}</td>'
    if len(facts) == 1:
        return f"<td{option}>{_fact(grid, facts[0], cite)}</td>"
    items = "".join(f"<li>{_fact(grid, fact, cite)}</li>" for fact in facts)
    return f'<td{option}><ul class="facts">{items}</ul></td>'


def links(source: Source) -> list[tuple[str, str]]:
    """(address, text) of a source's links: DOI, PubMed, and an http(s) web address."""
    out = []
    if source.doi:
        out.append((f"https://doi.org/{quote(source.doi, safe='/:;()._-')}", f"doi:{source.doi}"))
    if source.pmid and source.pmid.isdigit():
        out.append((f"https://pubmed.ncbi.nlm.nih.gov/{source.pmid}/", f"PMID {source.pmid}"))
    url = source.url or ""
    if url.lower().startswith(("https://", "http://")) and not any(c.isspace() for c in url):
        out.append((url, url))
    return out


def _reference(source: Source) -> str:
    """The reference line with its DOI, PubMed id and web address made into links."""
    text = escape(reference(source))
    for address, shown in links(source):
        text = text.replace(escape(shown), f'<a href="{escape(address)}">{escape(shown)}</a>', 1)
    return text


def _sources(grid: Grid) -> str:
    items = []
    for number, (sid, source) in enumerate(grid.sources.items(), start=1):
        items.append(
            f'<li id="source-{number}">{_reference(source)} '
            f'<span class="kind">({escape(source.kind)}; id: {escape(sid)})</span></li>'
        )
    return f'<section class="sources"><h2>Sources cited</h2><ol>{"".join(items)}</ol></section>'


RENDERER = HtmlRenderer()
