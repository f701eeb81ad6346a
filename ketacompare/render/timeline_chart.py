"""The timeline as a picture: bars per route on a shared minutes axis, in plain text.

Used by the table format for grids of kind "timeline" (evidence.timeline_grid). It draws
only the sourced figures in the grid's cells: a figure is a letter, a range [a, b] is
drawn across a..b, and nothing is drawn where the sources give no time. Each route gets
one line per kind of figure (blood level, effects, required stay), so a blood-level
peak is never read as the moment of the strongest effect.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable

from rich.cells import cell_len

from ketacompare.query import EVENT_TRACK, EVENTS, Grid, TimedFact
from ketacompare.render import Style
from ketacompare.render.base import fact_text, legend, markers

LETTERS = {
    "blood-first": "F",
    "blood-peak": "P",
    "first-effect": "F",
    "peak": "P",
    "end": "E",
    "monitoring-end": "M",
}
# The lines of a route, in the order drawn; the name is the line's label.
TRACKS = {"blood": "blood level", "effects": "effects", "monitoring": "must stay"}
INDENT = "  "
STEPS = (1, 2, 5, 10, 15, 20, 30, 60, 90, 120, 180, 240, 360, 480, 720, 1440, 2880)
NO_TIMING = "no sourced timing"
# The chart is drawn cell by cell: COLUMNS=100000000 must not build lines that long.
MAX_WIDTH = 1_000
KEY = (
    "Key: each route has up to three lines. 'blood level' is how much drug is in the "
    "blood (plasma), not what you feel: F first found, P peak. 'effects' is what patients "
    "feel or trials measured: F first effect, P peak, E end of acute effects; === spans a "
    "sourced first effect to a sourced end. 'must stay' is the monitoring the label "
    "requires after a dose: ~~~ runs from the dose to M, the earliest you may leave. "
    "A route with no 'must stay' line has no monitoring time in the sources; that does "
    "not mean none is needed. "
    "A run of one letter (PPP) is a range in the source; ... only joins figures and is "
    "not a figure itself. A lowercase letter is a low-confidence figure."
)


def _timed(grid: Grid, row: str) -> list[TimedFact]:
    facts = [f for c in grid.columns for f in grid.cell(row, c.key)]
    return [f for f in facts if isinstance(f, TimedFact)]


def axis(top: float, cells: int) -> tuple[int, int]:
    """(step, ticks): the smallest step whose tick labels fit without touching."""
    for step in STEPS:
        ticks = max(1, math.ceil(top / step))
        room = (cells - 1) / ticks
        if room >= len(str(step * ticks)) + 2:
            return step, ticks
    # Past the largest step, grow the step so the ticks always fit the cells.
    ticks = max(1, min(math.ceil(top / STEPS[-1]), cells // 8))
    return math.ceil(top / ticks), ticks


class TimelineChart:
    def render(self, grid: Grid, style: Style) -> str:
        width = min(max(style.width, 30), MAX_WIDTH)
        out: list[str] = _wrap(grid.title, width)
        timed = {row.key: _timed(grid, row.key) for row in grid.rows}
        points = [f for fs in timed.values() for f in fs]
        names = [row.label for row in grid.rows]
        tags = [INDENT + tag for tag in TRACKS.values()] if points else []
        # Display cells, not characters: CJK and emoji names take two cells each.
        label_w = min(max((cell_len(n) for n in names + tags), default=8), max(8, width // 3))
        cells = width - label_w - 2
        step, ticks = axis(max((f.high for f in points), default=0.0), cells)
        top = step * ticks

        def col(minutes: float) -> int:
            return round(minutes / top * (cells - 1))

        if points:
            out.append("")
            out.append(" " * (label_w + 2) + self._tick_labels(step, ticks, cells, col))
            rule = ["-"] * cells
            for i in range(ticks + 1):
                rule[col(i * step)] = "+"
            unit = "minutes" if label_w >= len("minutes") else ""  # never shift the axis
            out.append(unit.ljust(label_w + 2) + "".join(rule))
        for row in grid.rows:
            facts = timed[row.key]
            if not facts:
                out.extend(_labelled(row.label, NO_TIMING, label_w))
                continue
            out.append(row.label)  # the route's name heads its lines, never cut
            for track, tag in TRACKS.items():
                on_track = [f for f in facts if EVENT_TRACK.get(f.event) == track]
                if on_track:
                    out.extend(_labelled(INDENT + tag, self._bar(on_track, cells, col), label_w))
        if points:
            out.append("")
            out.extend(_wrap(KEY, width))
        out.append("")
        out.extend(_wrap("Figures under the bars (minutes after a dose):", width))
        for row in grid.rows:
            out.extend(self._figures(grid, row.label, timed[row.key], style, width))
        footer = legend(grid) if style.cite else []
        footer += grid.footer()
        out.append("")
        for line in footer:
            out.extend(_wrap(line, width))
        return "\n".join(out) + "\n"

    @staticmethod
    def _tick_labels(step: int, ticks: int, cells: int, col: Callable[[float], int]) -> str:
        line = [" "] * cells
        taken: list[tuple[int, int]] = []
        # The last label first (it bounds the axis), then left to right; a label that
        # would touch one already placed is left out rather than run into it.
        for i in (ticks, *range(ticks)):
            label = str(i * step)
            start = min(col(i * step), cells - len(label))
            end = start + len(label)
            if any(start <= b and end >= a for a, b in taken):
                continue
            taken.append((start, end))
            line[start:end] = label
        return "".join(line).rstrip()

    @staticmethod
    def _bar(facts: list[TimedFact], cells: int, col: Callable[[float], int]) -> str:
        line = [" "] * cells

        def fill(low: float, high: float, char: str) -> None:
            for i in range(col(low), col(high) + 1):
                line[i] = char

        fill(min(f.low for f in facts), max(f.high for f in facts), ".")
        firsts = [f.low for f in facts if f.event == "first-effect"]
        ends = [f.high for f in facts if f.event == "end"]
        if firsts and ends and min(firsts) <= max(ends):
            fill(min(firsts), max(ends), "=")
        stays = [f.high for f in facts if f.event == "monitoring-end"]
        if stays:  # the required stay runs from the dose itself
            fill(0, max(stays), "~")
        # Low-confidence marks first, so a confident figure is never hidden under one.
        for fact in sorted(facts, key=lambda f: f.confidence != "low"):
            letter = LETTERS.get(fact.event, "?")
            fill(fact.low, fact.high, letter.lower() if fact.confidence == "low" else letter)
        return "".join(line).rstrip()

    @staticmethod
    def _figures(
        grid: Grid, name: str, facts: list[TimedFact], style: Style, width: int
    ) -> list[str]:
        if not facts:
            return _wrap(f"{name}: {NO_TIMING}.", width)
        lines = _wrap(f"{name}:", width)
        for event, label in EVENTS.items():
            for fact in (f for f in facts if f.event == event):
                text = f"{label} {fact_text(fact)} [{', '.join(fact.sources)}]"
                mark = markers(grid, fact) if style.cite else ""
                lines.extend(_wrap(f"  {text} {mark}".rstrip(), width, indent="    "))
        missing = [label.lower() for event, label in EVENTS.items() if not _has(facts, event)]
        if missing:
            lines.extend(_wrap(f"  Not sourced: {', '.join(missing)}.", width, indent="    "))
        return lines


def _labelled(label: str, bar: str, label_w: int) -> list[str]:
    """A chart line: the label, then the bar; a label too long for its column gets its own line."""
    used = cell_len(label)
    if used > label_w:
        return [label, " " * (label_w + 2) + bar]
    return [label + " " * (label_w + 2 - used) + bar]


def _has(facts: list[TimedFact], event: str) -> bool:
    return any(f.event == event for f in facts)


def _wrap(text: str, width: int, indent: str = "") -> list[str]:
    return textwrap.wrap(
        text, width, subsequent_indent=indent, break_long_words=False, break_on_hyphens=False
    ) or [""]


RENDERER = TimelineChart()
