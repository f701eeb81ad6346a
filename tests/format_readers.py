"""Read every output format back with a real parser into one comparable shape.

A View is what a reader of any format sees: the column names, the row labels and the
text of each cell, keyed by (row label, column name). Markup that a format could have
let through (a Markdown link, an HTML tag from the data) makes the readers fail loudly.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from markdown_it import MarkdownIt


@dataclass
class View:
    names: list[str]
    labels: list[str]
    cells: dict[tuple[str, str], str]
    corner: str = "Factor"
    footer: list[str] = field(default_factory=list)


def _merge(tables: list[tuple[list[str], list[list[str]]]]) -> View:
    """One or more tables (a card per subject) -> one View."""
    names: list[str] = []
    labels: list[str] | None = None
    cells: dict[tuple[str, str], str] = {}
    corner = ""
    for header, rows in tables:
        corner = header[0]
        names += header[1:]
        row_labels = [row[0] for row in rows]
        assert labels is None or labels == row_labels, (labels, row_labels)
        labels = row_labels
        for row in rows:
            assert len(row) == len(header), (header, row)
            for name, text in zip(header[1:], row[1:], strict=True):
                cells[(row[0], name)] = text
    return View(names, labels or [], cells, corner)


# JSON ------------------------------------------------------------------------------------


def read_json(text: str) -> View:
    doc = json.loads(text)
    names = [s["name"] for s in doc["subjects"]]
    labels = [f["label"] for f in doc["factors"]]
    cells = {
        (f["label"], s["name"]): doc["cells"][f["key"]][s["key"]]["text"]
        for f in doc["factors"]
        for s in doc["subjects"]
    }
    return View(names, labels, cells, doc["corner"], [*doc["notes"], doc["disclaimer"]])


# CSV -------------------------------------------------------------------------------------


CSV_FACT_COLUMNS = ["view", "option", "factor", "fact", "sources", "basis", "confidence"]
CSV_CONSTANT_COLUMNS = ["content_date", "version", "notice"]


def read_csv(text: str) -> View:
    """A tidy comparison CSV (one row per fact) back into cells, bulleted as the table."""
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    header, body = rows[0], rows[1:]
    assert {len(row) for row in rows} == {len(header)}, "CSV rows differ in length"
    assert header[:7] == CSV_FACT_COLUMNS and header[-3:] == CSV_CONSTANT_COLUMNS, header
    assert not any("\n" in cell or "\r" in cell for row in body for cell in row)
    assert len({tuple(row[-3:]) for row in body}) == 1, "the constant columns vary"
    names = list(dict.fromkeys(row[1] for row in body))
    labels = list(dict.fromkeys(row[2] for row in body))
    facts: dict[tuple[str, str], list[str]] = {}
    for row in body:
        facts.setdefault((row[2], row[1]), [])
        if row[3]:
            facts[(row[2], row[1])].append(row[3])
    cells = {
        key: "—"
        if not found
        else found[0]
        if len(found) == 1
        else "\n".join("• " + x for x in found)
        for key, found in facts.items()
    }
    return View(names, labels, cells, "Factor", [body[0][-1]] if body else [])


# Markdown --------------------------------------------------------------------------------


@dataclass
class MarkdownDoc:
    headings: list[tuple[int, str]]
    view: View
    paragraphs: list[str]


def _inline(token: object) -> str:
    out = []
    for child in token.children or []:  # type: ignore[attr-defined]
        if child.type in ("text", "text_special"):
            out.append(child.content)
        else:  # a link, emphasis, code span or HTML tag made out of data text
            raise AssertionError(f"markup in Markdown output: {child.type} {child.content!r}")
    return "".join(out)


def read_markdown(text: str) -> MarkdownDoc:
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    headings: list[tuple[int, str]] = []
    paragraphs: list[str] = []
    tables: list[tuple[list[str], list[list[str]]]] = []
    row: list[str] = []
    where = ""
    allowed = {"table", "thead", "tbody", "tr", "th", "td", "heading", "paragraph", "inline"}
    for i, token in enumerate(tokens):
        base = token.type.removesuffix("_open").removesuffix("_close")
        assert base in allowed, f"unexpected Markdown block: {token.type}"
        if token.type == "table_open":
            tables.append(([], []))
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close":
            header, body = tables[-1]
            if header:
                body.append(row)
            else:
                header.extend(row)
        elif token.type in ("th_open", "td_open", "heading_open", "paragraph_open"):
            where = token.type
        elif token.type == "inline":
            value = _inline(token)
            if where in ("th_open", "td_open"):
                row.append(value)
            elif where == "heading_open":
                headings.append((int(tokens[i - 1].tag[1]), value))
            else:
                paragraphs.append(value)
    view = _merge(tables)
    view.footer = paragraphs
    return MarkdownDoc(headings, view, paragraphs)


# HTML ------------------------------------------------------------------------------------


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.stack: list[str] = []
        self.text: dict[str, list[str]] = {}
        self.tables: list[tuple[list[str], list[list[str]]]] = []
        self.row: list[str] = []
        self.cell: list[str] | None = None  # li texts, or one text
        self.buf: list[str] = []
        self.blocks: list[tuple[str, str, str]] = []  # (tag, class, text) of h1/h2/li/p
        self.classes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        if tag in ("meta", "br"):  # void elements
            return
        self.stack.append(tag)
        self.classes.append(dict(attrs).get("class") or "")
        if tag == "table":
            self.tables.append(([], []))
        elif tag == "tr":
            self.row = []
        elif tag in ("th", "td"):
            self.cell = []
            self.buf = []
        elif tag in ("li", "h1", "h2", "p", "title"):
            self.buf = []

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, (self.stack, tag)
        self.stack.pop()
        klass = self.classes.pop()
        text = "".join(self.buf)
        if tag == "li" and self.cell is not None:
            self.cell.append(text)
            self.buf = []
        elif tag in ("th", "td"):
            assert self.cell is not None
            lines = self.cell or [text]
            self.row.append(lines[0] if len(lines) == 1 else "\n".join("• " + x for x in lines))
            self.cell = None
        elif tag == "tr":
            header, body = self.tables[-1]
            (body.append(self.row) if header else header.extend(self.row))
        elif tag in ("li", "h1", "h2", "p", "title"):
            section = next((c for c in reversed(self.classes) if c), "")
            self.blocks.append((tag, klass or section, text))

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1] in ("style", "html", "head", "body", "main"):
            return
        self.buf.append(data)


@dataclass
class HtmlDoc:
    view: View
    tags: list[tuple[str, list[tuple[str, str | None]]]]
    blocks: list[tuple[str, str, str]]

    def texts(self, tag: str, klass: str = "") -> list[str]:
        return [t for g, k, t in self.blocks if g == tag and (not klass or k == klass)]


def read_html(text: str) -> HtmlDoc:
    parser = _Html()
    parser.feed(text)
    parser.close()
    assert not parser.stack, f"unclosed tags: {parser.stack}"
    return HtmlDoc(_merge(parser.tables), parser.tags, parser.blocks)


# The Rich table --------------------------------------------------------------------------


def read_table(text: str, exact: bool = True) -> View:
    """Cells of the box-drawn table in `text`, or of its cards (one per subject).

    exact: the table was drawn wide enough that nothing wrapped, so a cell's lines are
    its text (a bullet item's hanging indent dropped); otherwise lines are joined with a
    space (compare with squash() then).
    """
    lines = text.split("\n")
    tables = []
    i = 0
    while i < len(lines):
        if not lines[i].startswith("╭"):
            i += 1
            continue
        blocks: list[list[str]] = [[]]
        i += 1
        while not lines[i].startswith("╰"):
            if lines[i].startswith("├"):
                blocks.append([])
            else:
                blocks[-1].append(lines[i])
            i += 1
        rows = [_table_row(block, exact) for block in blocks]
        tables.append((rows[0], rows[1:]))
    if not tables:
        tables = _cards(lines, exact)
    return _merge(tables)


_RULE = re.compile(r"(?:^| )─{2,}$")


def _cards(lines: list[str], exact: bool) -> list[tuple[list[str], list[list[str]]]]:
    """Cards: a blank line, the name with a rule after it, then 'label  text' lines (or,
    when narrow, the label on its own line and the text indented by two spaces)."""
    tables: list[tuple[list[str], list[list[str]]]] = []
    i = 0
    while i < len(lines):
        if lines[i] or i + 1 >= len(lines) or not lines[i + 1]:
            i += 1
            continue
        j = i + 1
        while j < len(lines) and lines[j] and not _RULE.search(lines[j]):
            j += 1
        if j >= len(lines) or not lines[j]:
            break  # the closing lines: no card heading follows
        name = " ".join(x for x in [*lines[i + 1 : j], _RULE.sub("", lines[j])] if x)
        j += 1
        body = []
        while j < len(lines) and lines[j]:
            body.append(lines[j])
            j += 1
        tables.append((["Factor", name], _fields(body, exact)))
        i = j
    return tables


def _fields(body: list[str], exact: bool) -> list[list[str]]:
    stacked = not re.match(r"^\S.*?\S {2,}\S", body[0]) if body else False
    fields: list[list[list[str]]] = []  # [label lines, text lines]
    if stacked:
        for line in body:
            if not line.startswith(" "):
                if not fields or fields[-1][1]:
                    fields.append([[], []])
                fields[-1][0].append(line)
            else:
                fields[-1][1].append(line[2:])
    else:
        column = re.match(r"^\S.*?\S {2,}(?=\S)", body[0]).end()  # type: ignore[union-attr]
        for line in body:
            if not line.startswith(" "):
                fields.append([[], []])
            label, rest = line[:column].strip(), line[column:]
            if label:
                fields[-1][0].append(label)
            fields[-1][1].append(rest)
    return [[" ".join(label), _joined(text, exact)] for label, text in fields]


def _joined(lines: list[str], exact: bool) -> str:
    if not exact:
        return " ".join(x.strip() for x in lines if x.strip())
    out: list[str] = []
    for line in lines:
        if not line.strip():
            continue  # padding below a shorter cell
        if line.startswith("  ") and out:  # a bullet item's hanging indent
            out[-1] += " " + line.strip()
        else:
            out.append(line.rstrip())
    return "\n".join(out)


def _table_row(block: list[str], exact: bool) -> list[str]:
    parts = [line.split(" │")[:-1] for line in block]
    parts = [[p[0][1:], *p[1:]] for p in parts]  # the left border
    assert len({len(p) for p in parts}) == 1, block
    return [_joined([p[column][1:] for p in parts], exact) for column in range(len(parts[0]))]


def squash(text: str) -> str:
    """Text without any whitespace: what survives wrapping at any width."""
    return "".join(text.split())


def shown_fact(raw: dict[str, Any], fact: dict[str, Any]) -> str:
    """A raw YAML fact as every format must show it, worked out here from the sources'
    kinds: the clinic mark when every source is a clinic page, the low-confidence mark."""
    kinds = {sid: source["kind"] for sid, source in raw["sources"].items()}
    mark = "Clinic says: " if all(kinds[s] == "clinic" for s in fact["sources"]) else ""
    return mark + fact["text"] + (" (low confidence)" if fact.get("confidence") == "low" else "")
