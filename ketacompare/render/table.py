"""The terminal view: options side by side in a Rich table when the columns are readable,
else cards.

Rich lays everything out: `Table` draws the side-by-side grid and the boxed cards,
`Table.grid` the compact cards and bulleted facts ("•" | text, so a wrapped item hangs and
a bullet never stands alone), `Rule` a card's heading. Rich wraps at spaces and splits
only a word longer than its column; this module picks the layout so that no other word
needs splitting. The "Clinic says:" marker opens its fact, so it starts a line and stays
whole in any column 12 wide or more. Data reaches Rich only as `Text`, never as markup.

Colour carries meaning and is never the only signal: every marker is also in the words
(the clinic marker, "(low confidence)", "not known", the risk rows' labels).
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

from ketacompare.model import Fact
from ketacompare.query import Column, Grid
from ketacompare.render import Style
from ketacompare.render.base import EMPTY, fact_text, legend, markers
from ketacompare.text import ascii_symbols

if TYPE_CHECKING:  # Rich is imported when a table is drawn, not when the CLI starts
    from rich.console import RenderableType
    from rich.segment import Segment
    from rich.table import Table
    from rich.text import Text

# Side by side only while every option's column is at least this wide: narrower columns
# turn each fact into a tall ribbon of two-word lines.
READABLE_COLUMN = 22
LABEL_MAX = 20  # row labels wrap beyond this (or a fifth of the width), side by side
STACK_BELOW = 56  # cards narrower than this put each label on its own line

# Grids whose rows are the records (one card per row); elsewhere a card is an option.
RECORD_KINDS = frozenset({"factors", "route-list", "preferences"})
# Factor keys whose rows carry harms: their labels get the warning colour.
_DRAWBACK = re.compile(r"risk|side-effect|drawback|safety|harm|limit|warning")
# Words with a meaning colour; each meaning is in the words too.
_MEANING = (
    (re.compile(r"\bClinic(?:'s claim| says:)"), "bold magenta"),
    (re.compile(r"\(low confidence\)"), "yellow"),
    (
        re.compile(
            r"\b(?:[Nn]ot known|[Nn]o standard found|[Nn]o good figure|[Nn]ot stated"
            r"|[Nn]ot studied)\b"
        ),
        "yellow",
    ),
    (re.compile(r"\[\d+(?:,\d+)*\]"), "dim"),  # source marks
)
_SPACES = re.compile(r"[ \t\n\r\f\v]+")  # a line break in data is a space here


def cells(text: str) -> int:
    """Terminal columns the text takes (CJK and some symbols take two)."""
    if text.isascii():
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


def _longest_word(text: str) -> int:
    return max((cells(word) for word in _SPACES.split(text)), default=1)


class TableRenderer:
    def render(self, grid: Grid, style: Style) -> str:
        if grid.kind == "timeline":  # a picture reads better than a table here
            from ketacompare.render.timeline_chart import RENDERER as CHART

            return CHART.render(grid, style)
        return _Drawing(grid, style).draw()


class _Drawing:
    def __init__(self, grid: Grid, style: Style) -> None:
        from rich import box

        self.grid = grid
        self.style = style
        self.width = max(style.width, 20)
        self.box = box.ASCII2 if style.ascii else box.ROUNDED
        self.bullet = "-" if style.ascii else "•"
        self.items: list[RenderableType | str] = []  # a str is a plain line that fits

    def draw(self) -> str:
        grid = self.grid
        table = self._side_by_side()
        if table is not None:
            self.items += [self._text(grid.title, "bold"), table]
        else:
            if [c.name for c in grid.columns] != [grid.title]:
                self.items.append(self._text(grid.title, "bold"))
            if grid.layout == "cards":
                # Views whose data is laid out as cards (a route's card, the bibliography):
                # one boxed table per subject, as wide as the terminal.
                for column in grid.columns:
                    self.items += [self._text(column.name, "bold"), self._boxed_card(column)]
            else:
                self._cards()
        self._pictures()
        footer = legend(grid) if self.style.cite else []
        self.items.append(self._text(""))
        for text in [*footer, *grid.footer()]:
            self.items.append(self._text(text, "" if text.startswith("Educational") else "dim"))
        return self._print()

    # Cells --------------------------------------------------------------------------

    def _ascii(self, text: str) -> str:
        return ascii_symbols(text) if self.style.ascii else text

    def _clean(self, text: str) -> str:
        """Words on one line (runs of spaces and line breaks as one space), in ASCII
        symbols for an ASCII terminal."""
        return self._ascii(_SPACES.sub(" ", text).strip())

    def _text(self, text: str, style: str = "", as_drawn: bool = False) -> Text:
        """Untrusted words as a Rich Text (never markup), their meanings coloured."""
        from rich.text import Text

        out = Text(self._ascii(text) if as_drawn else self._clean(text), style=style)
        if self.style.color:
            for pattern, colour in _MEANING:
                out.highlight_regex(pattern, colour)
        return out

    def _words(self, fact: Fact) -> str:
        mark = markers(self.grid, fact) if self.style.cite else ""
        return f"{fact_text(fact)} {mark}".rstrip()

    def _cell(self, facts: tuple[Fact, ...]) -> RenderableType:
        """One fact as text, several as a "•" | text grid (wrapped items hang)."""
        if len(facts) > 1:
            return self._bullets(facts)
        return self._text(self._words(facts[0])) if facts else self._text(EMPTY, "dim")

    def _single(self, facts: tuple[Fact, ...], width: int) -> str | None:
        """The words of a cell of one fact or none when they fit `width`, else None."""
        if len(facts) > 1:
            return None
        words = self._clean(self._words(facts[0]) if facts else EMPTY)
        return words if cells(words) <= width else None

    def _bullets(self, facts: tuple[Fact, ...]) -> Table:
        from rich.table import Table

        bullets = Table.grid(padding=(0, 1, 0, 0))
        bullets.add_column(no_wrap=True)
        bullets.add_column(overflow="fold")
        for fact in facts:
            bullets.add_row(self.bullet, self._text(self._words(fact)))
        return bullets

    def _label_style(self, row_key: str) -> str:
        return "bold red" if _DRAWBACK.search(row_key) else "bold"

    # Side by side -------------------------------------------------------------------

    def _side_by_side(self) -> Table | None:
        """The boxed table, or None when its columns would be too narrow to read."""
        grid = self.grid
        columns = grid.columns
        if grid.layout == "cards" or not columns:
            return None
        n = len(columns)
        labels = [r.label for r in grid.rows] + [grid.corner]
        label = min(max(cells(x) for x in labels), max(LABEL_MAX, self.width // 5))
        label = max(label, max(_longest_word(x) for x in labels))
        # What is left for each option: borders and padding take 3 a column, 4 in all.
        share = (self.width - 4 - label - 3 * n) // n
        if share < (READABLE_COLUMN if n > 1 else 8):
            return None
        for column in columns:
            texts = [column.name] + [
                self._words(f) for r in grid.rows for f in grid.cell(r.key, column.key)
            ]
            if max(_longest_word(t) for t in texts) + 2 > share:
                return None  # a word (after a bullet) would have to be split: cards instead
        table = self._table(label)
        for column in columns:
            table.add_column(self._text(column.name), max_width=share, overflow="fold")
        for r in grid.rows:
            row = [self._cell(grid.cell(r.key, c.key)) for c in columns]
            table.add_row(self._text(r.label, self._label_style(r.key)), *row)
        return table

    def _table(self, label: int, expand: bool = False) -> Table:
        """A boxed table (a line between rows), its first column the row labels."""
        from rich.table import Table

        table = Table(box=self.box, show_lines=True, header_style="bold", expand=expand)
        table.add_column(self._text(self.grid.corner), width=label, overflow="fold")
        return table

    def _boxed_card(self, column: Column) -> Table:
        labels = [r.label for r in self.grid.rows] + [self.grid.corner]
        longest = max(_longest_word(x) for x in labels)
        label = max(min(max(cells(x) for x in labels), max(longest, min(26, self.width // 4))), 1)
        table = self._table(label, expand=True)
        table.add_column(self._text(column.name), ratio=1, overflow="fold")
        for r in self.grid.rows:
            facts = self.grid.cell(r.key, column.key)
            table.add_row(self._text(r.label, self._label_style(r.key)), self._cell(facts))
        return table

    # Cards --------------------------------------------------------------------------

    def _cards(self) -> None:
        grid = self.grid
        if grid.kind in RECORD_KINDS:
            items = [
                (r.label, [(c.name, c.key, grid.cell(r.key, c.key)) for c in grid.columns])
                for r in grid.rows
            ]
        else:
            items = [
                (c.name, [(r.label, r.key, grid.cell(r.key, c.key)) for r in grid.rows])
                for c in grid.columns
            ]
        # Each card repeats the same labels: clean and style each once.
        labels = {
            (name, key): (self._clean(name), self._label_style(key))
            for _, fields in items
            for name, key, _ in fields
        }
        names = {name for name, _ in labels.values()}
        # Wide enough for the labels, up to a third of the line.
        cap = max(12, min(self.width // 3, 30))
        width = min(max((cells(x) for x in names), default=1), cap)
        width = max(width, min(max((_longest_word(x) for x in names), default=1), cap))
        for heading, fields in items:
            self.items += [self._text(""), self._card_heading(heading)]
            card = [(*labels[(name, key)], facts) for name, key, facts in fields]
            if self.width < STACK_BELOW:
                self._stacked(card)
            else:
                self.items += self._card_lines(card, width) or [self._card_grid(card, width)]

    def _stacked(self, card: list[tuple[str, str, tuple[Fact, ...]]]) -> None:
        """Narrow cards: each label on its own line, its facts indented under it."""
        from rich.padding import Padding

        for name, style, facts in card:
            self.items.append(self._line((name, style)))
            words = self._single(facts, self.width - 2)
            if words is None:
                self.items.append(Padding(self._cell(facts), (0, 0, 0, 2)))
            else:
                self.items.append(self._line(("  ", ""), (words, "" if facts else "dim")))

    def _card_grid(self, card: list[tuple[str, str, tuple[Fact, ...]]], label: int) -> Table:
        """A card as a grid: labels in a column `label` wide, facts beside them."""
        from rich.table import Table

        grid = Table.grid(padding=(0, 2, 0, 0))
        grid.add_column(width=label, overflow="fold")
        grid.add_column(overflow="fold")
        for name, style, facts in card:
            grid.add_row(self._text(name, style), self._cell(facts))
        return grid

    def _card_lines(
        self, card: list[tuple[str, str, tuple[Fact, ...]]], label: int
    ) -> list[str | Text]:
        """The card's lines when every field is one line (else []): what its grid would
        draw, without Rich's per-cell cost (the 1,000-route file has 100,000 fields)."""
        lines: list[str | Text] = []
        for name, style, facts in card:
            words, size = self._single(facts, self.width - label - 2), cells(name)
            if words is None or size > label:
                return []
            name += " " * (label - size)  # the label's cell, styled as the grid styles it
            lines.append(self._line((name, style), ("  ", ""), (words, "" if facts else "dim")))
        return lines

    def _line(self, *parts: tuple[str, str]) -> str | Text:
        """Clean, styled parts of a line: a plain string when that is all it needs to be
        (it fits, no colour), which skips Rich's per-line cost; else Text for Rich."""
        if not self.style.color:
            plain = "".join(text for text, _ in parts)
            if cells(plain) <= self.width:
                return plain
        from rich.text import Text

        return Text().join(self._text(text, style, as_drawn=True) for text, style in parts)

    def _card_heading(self, heading: str) -> RenderableType:
        """The option's name, then a rule to the right edge: a card starts visibly."""
        from rich.console import Group
        from rich.rule import Rule

        name = self._text(heading, "bold cyan")
        rule = "-" if self.style.ascii else "─"
        if name.cell_len + 3 <= self.width:
            return Rule(name, characters=rule, style="dim", align="left")
        return Group(name, Rule(characters=rule, style="dim"))  # no room beside the name

    def _pictures(self) -> None:
        """X-in-100 icon arrays: rows of marks kept as drawn, words wrapped to the width."""
        from rich.padding import Padding

        from ketacompare.render.outcomes import picture_lines

        drawn = picture_lines(self.grid, self.style.ascii)
        if drawn:
            self.items.append(self._text(""))
        for i, line in enumerate(drawn):
            indent = len(line) - len(line.lstrip(" "))
            text = self._text(line[indent:], "bold" if i == 0 else "", as_drawn=True)
            self.items.append(Padding(text, (0, 0, 0, indent)) if indent else text)

    # Output -------------------------------------------------------------------------

    def _print(self) -> str:
        """Every item's lines, without trailing spaces; ANSI colour only when asked."""
        from rich.console import Console
        from rich.text import Text

        color = self.style.color
        console = Console(
            file=io.StringIO(),
            width=self.width,
            color_system="standard" if color else None,
            force_terminal=color,
            no_color=not color,
            highlight=False,
            emoji=False,
            markup=False,
            legacy_windows=False,
        )
        out: list[str] = []
        for item in self.items:
            if isinstance(item, str):
                out.append(item.rstrip())
                continue
            if isinstance(item, Text) and "\n" not in item.plain and item.cell_len <= self.width:
                # A line that fits needs no wrapping: skip Rich's (a card field is one).
                out.append(_ansi(list(item.render(console))) if color else item.plain.rstrip())
                continue
            for line in console.render_lines(item, console.options, pad=False):
                out.append(_ansi(line) if color else "".join(s.text for s in line).rstrip())
        text = "\n".join(out) + "\n"
        return ascii_symbols(text) if self.style.ascii else text


def _ansi(line: list[Segment]) -> str:
    """A line of segments as text with SGR codes, its trailing spaces dropped."""
    from rich.color import ColorSystem

    while line and not line[-1].text.rstrip():
        line = line[:-1]
    parts = []
    for i, segment in enumerate(line):
        text = segment.text.rstrip() if i == len(line) - 1 else segment.text
        style = segment.style
        parts.append(style.render(text, color_system=ColorSystem.STANDARD) if style else text)
    return "".join(parts)


RENDERER = TableRenderer()
