"""The terminal view: options side by side when the columns are readable, else cards.

Text is wrapped here, not by Rich, so that three promises hold at every width: a word is
never split (unless it is longer than the whole line), a wrapped bullet item keeps a
hanging indent, and a bullet never stands alone on a line. Rich only adds colour.

Colour carries meaning and is never the only signal: every marker is also in the words
(the clinic marker, "(low confidence)", "not known", the risk rows' labels).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ketacompare.model import Fact
from ketacompare.query import Column, Grid
from ketacompare.render import Style
from ketacompare.render.base import EMPTY, fact_text, legend, markers
from ketacompare.text import ascii_symbols

# Side by side only while every option's column is at least this wide: narrower columns
# turn each fact into a tall ribbon of two-word lines.
READABLE_COLUMN = 22
LABEL_MAX = 20  # row labels wrap beyond this (or a fifth of the width), side by side
STACK_BELOW = 56  # cards narrower than this put each label on its own line
NBSP = "\u00a0"  # glues a bullet or a marker to the next word while wrapping

# Grids whose rows are the records (one card per row); elsewhere a card is an option.
RECORD_KINDS = frozenset({"factors", "route-list", "preferences"})
# Factor keys whose rows carry harms: their labels get the warning colour.
_DRAWBACK = re.compile(r"risk|side-effect|drawback|safety|harm|limit|warning")
# Words that say something is not known; coloured, and already explicit in the text.
_UNKNOWN = re.compile(
    r"\b(?:[Nn]ot known|[Nn]o standard found|[Nn]o good figure|[Nn]ot stated|[Nn]ot studied)\b"
)
_CLINIC = re.compile(r"\bClinic(?:'s claim|\u00a0says:| says:)")
_LOW = re.compile(r"\(low confidence\)")
_MARK = re.compile(r"\[\d+(?:,\d+)*\]")

Line = list[tuple[str, str]]  # (text, Rich style) segments


@dataclass(frozen=True, slots=True)
class _Box:
    top: tuple[str, str, str, str]  # left, line, cross, right
    mid: tuple[str, str, str, str]
    bottom: tuple[str, str, str, str]
    side: str
    rule: str


ROUNDED = _Box(("╭", "─", "┬", "╮"), ("├", "─", "┼", "┤"), ("╰", "─", "┴", "╯"), "│", "─")
ASCII = _Box(("+", "-", "+", "+"), ("+", "-", "+", "+"), ("+", "-", "+", "+"), "|", "-")


_SPACES = re.compile(r"[ \t\n\r\f\v]+")  # not NBSP: it glues


def cells(text: str) -> int:
    """Terminal columns the text takes (CJK and some symbols take two)."""
    if text.isascii():
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


def _longest_word(text: str) -> int:
    return max((cells(word) for word in _SPACES.split(text)), default=1)


def wrap(text: str, width: int, first: str = "", rest: str = "") -> list[str]:
    """Wrap at spaces only; a word longer than a whole line is the one thing ever split.

    `first` starts the first line, `rest` every other (a hanging indent).
    """
    width = max(width, 1)
    lines: list[str] = []
    line, used, empty = first, cells(first), True
    for word in _SPACES.split(text.strip()):
        if not word:
            continue
        size = cells(word)
        if not empty and used + 1 + size > width:
            lines.append(line)
            line, used, empty = rest, cells(rest), True
        if empty and used + size > width:  # longer than a whole line: split it, only it
            for char in word:
                step = cells(char)
                if used + step > width and not empty:
                    lines.append(line)
                    line, used = rest, cells(rest)
                line, used, empty = line + char, used + step, False
            continue
        line, used, empty = (
            (line + word, used + size, False)
            if empty
            else (
                f"{line} {word}",
                used + 1 + size,
                False,
            )
        )
    lines.append(line)
    return [x.replace(NBSP, " ") for x in lines]


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - cells(text), 0)


def _glued(text: str) -> str:
    """The clinic marker may not be split from itself: 'Clinic says:' stays on one line."""
    return text.replace("Clinic says: ", f"Clinic{NBSP}says:{NBSP}", 1)


class TableRenderer:
    def render(self, grid: Grid, style: Style) -> str:
        if grid.kind == "timeline":  # a picture reads better than a table here
            from ketacompare.render.timeline_chart import RENDERER as CHART

            return CHART.render(grid, style)
        return _Drawing(grid, style).draw()


class _Drawing:
    def __init__(self, grid: Grid, style: Style) -> None:
        self.grid = grid
        self.style = style
        self.width = max(style.width, 20)
        self.box = ASCII if style.ascii else ROUNDED
        self.bullet = "-" if style.ascii else "•"
        self.lines: list[Line] = []

    # Output -------------------------------------------------------------------------

    def draw(self) -> str:
        grid = self.grid
        body = self._side_by_side()
        if body is None and grid.layout == "cards":
            # Views whose data is laid out as cards (a route's card, the bibliography):
            # one boxed table per subject, as wide as the terminal.
            if [c.name for c in grid.columns] != [grid.title]:
                self.lines.append([(grid.title, "bold")])
            for column in grid.columns:
                self.lines += self._boxed_card(column)
        elif body is None:
            title_is_card = [c.name for c in grid.columns] == [grid.title]
            if not title_is_card:
                self.lines.append([(grid.title, "bold")])
            self._cards()
        else:
            self.lines.extend(body)
        self._pictures()
        footer = legend(grid) if self.style.cite else []
        self.lines.append([])
        for text in [*footer, *grid.footer()]:
            for line in wrap(text, self.width):
                self.lines.append([(line, self._footer_style(text))])
        return self._text()

    def _pictures(self) -> None:
        """X-in-100 icon arrays: rows of marks kept as drawn, words wrapped to the width."""
        from ketacompare.render.outcomes import picture_lines

        drawn = picture_lines(self.grid, self.style.ascii)
        if drawn:
            self.lines.append([])
        for i, text in enumerate(drawn):
            if cells(text) <= self.width:
                self.lines.append([(text, "bold" if i == 0 else "")])
            else:
                indent = text[: len(text) - len(text.lstrip())]
                self.lines += [[(line, "")] for line in wrap(text, self.width, indent, indent)]

    @staticmethod
    def _footer_style(text: str) -> str:
        return "" if text.startswith("Educational") else "dim"

    def _text(self) -> str:
        plain = self.style.ascii
        if not self.style.color:
            out = ["".join(t for t, _ in line).rstrip() for line in self.lines]
            text = "\n".join(out) + "\n"
            return ascii_symbols(text) if plain else text
        from rich.console import Console
        from rich.text import Text

        console = Console(
            width=self.width,
            color_system="standard",
            force_terminal=True,
            highlight=False,
            emoji=False,
            markup=False,
            legacy_windows=False,
        )
        with console.capture() as capture:
            for line in self.lines:
                text = Text(no_wrap=True, overflow="ignore", end="\n")
                for part, part_style in line:
                    text.append(ascii_symbols(part) if plain else part, part_style or None)
                self._highlight(text)
                console.print(text, crop=False, soft_wrap=True)
        return capture.get()

    @staticmethod
    def _highlight(text: object) -> None:
        text.highlight_regex(_CLINIC, "bold magenta")  # type: ignore[attr-defined]
        text.highlight_regex(_LOW, "yellow")  # type: ignore[attr-defined]
        text.highlight_regex(_UNKNOWN, "yellow")  # type: ignore[attr-defined]
        text.highlight_regex(_MARK, "dim")  # type: ignore[attr-defined]

    # Cells --------------------------------------------------------------------------

    def _fact_lines(self, fact: Fact, width: int, bulleted: bool) -> list[str]:
        text = _glued(fact_text(fact))
        mark = markers(self.grid, fact) if self.style.cite else ""
        if mark:
            text = f"{text}{NBSP}{mark}"
        if not bulleted:
            return wrap(text, width)
        return wrap(f"{self.bullet}{NBSP}{text}", width, rest="  ")

    def _cell(self, facts: tuple[Fact, ...], width: int) -> list[Line]:
        if not facts:
            return [[("-" if self.style.ascii else EMPTY, "dim")]]
        bulleted = len(facts) > 1
        return [[(line, "")] for fact in facts for line in self._fact_lines(fact, width, bulleted)]

    def _label_style(self, row_key: str) -> str:
        return "bold red" if _DRAWBACK.search(row_key) else "bold"

    # Side by side -------------------------------------------------------------------

    def _side_by_side(self) -> list[Line] | None:
        """The boxed table, or None when its columns would be too narrow to read."""
        grid = self.grid
        columns = grid.columns
        if grid.layout == "cards" or not columns:
            return None
        n = len(columns)
        labels = [r.label for r in grid.rows] + [grid.corner]
        label = min(max(cells(x) for x in labels), max(LABEL_MAX, self.width // 5))
        label = max(label, max(_longest_word(x) for x in labels))
        share = (self.width - 4 - label - 3 * n) // n
        if share < (READABLE_COLUMN if n > 1 else 8):
            return None
        widths = []
        for column in columns:
            texts = [column.name] + [
                self._plain(f) for r in grid.rows for f in grid.cell(r.key, column.key)
            ]
            if max(_longest_word(t) for t in texts) + 2 > share:
                return None  # a word would have to be split: cards instead
            natural = max((cells(t) + 2 for t in texts), default=1)
            widths.append(min(share, max(natural, len(EMPTY))))
        return self._boxed(label, widths)

    def _boxed_card(self, column: Column) -> list[Line]:
        labels = [r.label for r in self.grid.rows] + [self.grid.corner]
        longest = max(_longest_word(x) for x in labels)
        label = max(min(max(cells(x) for x in labels), max(longest, min(26, self.width // 4))), 1)
        width = max(self.width - label - 7, _longest_word(column.name), 8)
        return self._boxed(label, [width], (column,), column.name)

    def _plain(self, fact: Fact) -> str:
        mark = markers(self.grid, fact) if self.style.cite else ""
        return f"{fact_text(fact)} {mark}".rstrip()

    def _boxed(
        self,
        label: int,
        widths: list[int],
        columns: tuple[Column, ...] | None = None,
        title: str | None = None,
    ) -> list[Line]:
        grid, box = self.grid, self.box
        columns = grid.columns if columns is None else columns
        out: list[Line] = [[(grid.title if title is None else title, "bold")]]
        all_widths = [label, *widths]

        def rule(parts: tuple[str, str, str, str]) -> Line:
            left, line, cross, right = parts
            return [(left + cross.join(line * (w + 2) for w in all_widths) + right, "")]

        def row(blocks: list[list[Line]], styles: Sequence[str] = ()) -> list[Line]:
            height = max(len(b) for b in blocks)
            lines = []
            for i in range(height):
                line: Line = [(box.side, "")]
                for j, (block, width) in enumerate(zip(blocks, all_widths, strict=True)):
                    part = block[i] if i < len(block) else []
                    used = sum(cells(t) for t, _ in part)
                    segs = [(t, s or (styles[j] if j < len(styles) else "")) for t, s in part]
                    line += [(" ", ""), *segs, (" " * (width - used) + " " + box.side, "")]
                lines.append(line)
            return lines

        def heading(text: str, width: int) -> list[Line]:
            return [[(x, "")] for x in wrap(text, width)]

        out.append(rule(box.top))
        head = [heading(grid.corner, label)] + [
            heading(c.name, w) for c, w in zip(columns, widths, strict=True)
        ]
        out += row(head, ["bold"] * (len(widths) + 1))
        for r in grid.rows:
            out.append(rule(box.mid))
            blocks = [[[(x, "")] for x in wrap(r.label, label)]]
            for column, width in zip(columns, widths, strict=True):
                blocks.append(self._cell(grid.cell(r.key, column.key), width))
            out += row(blocks, [self._label_style(r.key)])
        out.append(rule(box.bottom))
        return out

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
        stacked = self.width < STACK_BELOW
        labels = [label for _, fields in items for label, _, _ in fields]
        # Wide enough for the labels, up to a third of the line.
        cap = max(12, min(self.width // 3, 30))
        label = min(max((cells(x) for x in labels), default=1), cap)
        label = max(label, min(max((_longest_word(x) for x in labels), default=1), cap))
        for heading, fields in items:
            self.lines.append([])
            self.lines += self._card_heading(heading)
            for name, key, facts in fields:
                style = self._label_style(key)
                if stacked:
                    self.lines += [[(x, style)] for x in wrap(name, self.width)]
                    for line in self._cell(facts, self.width - 2):
                        self.lines.append([("  ", ""), *line])
                    continue
                names = wrap(name, label)
                cell = self._cell(facts, self.width - label - 2)
                for i in range(max(len(names), len(cell))):
                    left = names[i] if i < len(names) else ""
                    right = cell[i] if i < len(cell) else []
                    self.lines.append([(_pad(left, label + 2), style), *right])

    def _card_heading(self, heading: str) -> list[Line]:
        """The option's name, then a rule to the right edge: a card starts visibly."""
        text = wrap(heading, self.width)
        rule = self.box.rule * (self.width - cells(text[-1]) - 1)
        lines: list[Line] = [[(x, "bold cyan")] for x in text]
        if len(rule) >= 2:
            lines[-1] = [(text[-1] + " ", "bold cyan"), (rule, "dim")]
        else:  # no room beside the name: the rule gets a line of its own
            lines.append([(self.box.rule * self.width, "dim")])
        return lines


RENDERER = TableRenderer()
