"""`ketacompare timeline`: the grid (numbers), the chart (honest bars), and the CLI."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import yaml

from ketacompare.evidence import EVENTS, TimedFact, minutes_text, timeline_grid
from ketacompare.loader import load
from ketacompare.query import Column, Grid, Row
from ketacompare.render import Format, Style, render
from ketacompare.render.base import fact_extra
from ketacompare.render.timeline_chart import NO_TIMING, RENDERER, axis
from tests.conftest import FIXTURES, SHIPPED, Run

EVIDENCE = FIXTURES / "evidence.yaml"
DATA = str(EVIDENCE)


def raw_routes() -> dict[str, Any]:
    data = yaml.safe_load(EVIDENCE.read_text(encoding="utf-8"))
    return data["comparisons"]["routes"]["subjects"]


def ok(result: Any) -> str:
    assert result.exit_code == 0, result.stderr or result.output
    return result.stdout


def span(minutes: Any) -> str:
    """How the file's minutes read: 5 -> '5', [20, 40] -> '20-40'."""
    return f"{minutes[0]}-{minutes[1]}" if isinstance(minutes, list) else str(minutes)


# The grid: rows = routes, columns = events, cells = the file's minutes ------------------


def test_grid_cells_hold_the_files_minutes() -> None:
    grid = timeline_grid(load(EVIDENCE), include_hidden=True)
    assert grid.kind == "timeline"
    assert [c.key for c in grid.columns] == [
        "blood-first",
        "blood-peak",
        "first-effect",
        "peak",
        "end",
        "monitoring-end",
    ]
    assert [r.key for r in grid.rows] == ["iv", "im", "sl", "oral"]
    for key, subject in raw_routes().items():
        expected = sorted(
            (
                p["event"],
                float(p["minutes"][0] if isinstance(p["minutes"], list) else p["minutes"]),
                float(p["minutes"][-1] if isinstance(p["minutes"], list) else p["minutes"]),
                f"{span(p['minutes'])} min: {p['text']}",
                tuple(p["sources"]),
                p.get("confidence"),
            )
            for p in subject.get("timeline", [])
        )
        got = sorted(
            (f.event, f.low, f.high, f.text, f.sources, f.confidence)
            for event in EVENTS
            for f in grid.cell(key, event)
            if isinstance(f, TimedFact)
        )
        assert got == expected, key
    assert grid.cell("sl", "peak") == ()
    assert "No sourced timing: Sublingual." in grid.notes


def test_fact_extra_gives_the_numbers_for_machine_formats() -> None:
    grid = timeline_grid(load(EVIDENCE), ["iv"])
    (peak,) = grid.cell("iv", "peak")
    assert fact_extra(peak) == {"event": "peak", "minutes": {"low": 30, "high": 40}}
    (first,) = grid.cell("iv", "first-effect")
    assert fact_extra(first) == {"event": "first-effect", "minutes": {"low": 2, "high": 2}}


def test_hidden_routes_need_all_or_a_name() -> None:
    data = load(EVIDENCE)
    assert [r.key for r in timeline_grid(data).rows] == ["iv", "im", "sl"]
    assert "Not shown: Oral. Add --all to include." in timeline_grid(data).notes
    assert [r.key for r in timeline_grid(data, ["by-mouth", "iv"]).rows] == ["oral", "iv"]


# The chart: positions are exact on a 1-minute-per-character axis ------------------------


def chart_grid(**routes: list[TimedFact]) -> Grid:
    cells = {
        (key, event): tuple(f for f in facts if f.event == event)
        for key, facts in routes.items()
        for event in EVENTS
    }
    return Grid(
        title="T",
        corner="Route",
        columns=tuple(Column(e, label) for e, label in EVENTS.items()),
        rows=tuple(Row(key, key) for key in routes),
        cells=cells,
        kind="timeline",
    )


def fact(event: str, low: float, high: float, confidence: str | None = "high") -> TimedFact:
    text = f"{minutes_text(low, high)} min: x"
    return TimedFact(text, ("s",), confidence, event=event, low=low, high=high)  # type: ignore[arg-type]


TAG_W = len("  blood level")  # the widest line label; the label column is at least this


def bar(output: str, name: str, track: str = "effects", label_w: int = TAG_W) -> str:
    """The chart part of one of a route's lines: the route's name heads them, each line
    is labelled with its track ('blood level', 'effects', 'must stay')."""
    lines = output.splitlines()
    start = lines.index(name)
    for line in lines[start + 1 :]:
        if not line.startswith("  "):
            break
        if line.startswith(f"  {track} "):
            return line[label_w + 2 :]
    raise AssertionError(f"no {track!r} line under {name!r}")


def untimed(output: str, name: str) -> str:
    """The rest of a route's line when it has no sourced timing."""
    line = next(line for line in output.splitlines() if line.startswith(name + " "))
    return line[len(name) :].strip()


def test_axis_step_leaves_room_for_labels() -> None:
    assert axis(60, 61) == (5, 12)
    assert axis(360, 40) == (60, 6)
    assert axis(360, 20) == (120, 3)
    step, ticks = axis(7, 61)
    assert step * ticks >= 7


def test_a_range_is_drawn_as_a_range_and_first_to_end_as_a_bar() -> None:
    # Width 76, label column 13: 61 chart cells for 0..60 minutes = one minute per cell.
    grid = chart_grid(R=[fact("first-effect", 2, 2), fact("peak", 20, 40), fact("end", 60, 60)])
    drawn = bar(RENDERER.render(grid, Style(width=76)), "R")
    assert drawn == "  F" + "=" * 17 + "P" * 21 + "=" * 19 + "E"
    assert drawn.index("P") == 20
    assert drawn.rindex("P") == 40


def test_without_a_sourced_first_effect_nothing_is_drawn_from_zero() -> None:
    grid = chart_grid(R=[fact("peak", 10, 10), fact("end", 60, 60)])
    drawn = bar(RENDERER.render(grid, Style(width=76)), "R")
    assert drawn == " " * 10 + "P" + "." * 49 + "E"  # dots: a join, not a figure


def test_low_confidence_figures_are_lowercase_and_marked_in_words() -> None:
    grid = chart_grid(R=[fact("peak", 5, 15, "low"), fact("end", 60, 60, "medium")])
    out = RENDERER.render(grid, Style(width=76))
    assert bar(out, "R") == " " * 5 + "p" * 11 + "." * 44 + "E"
    assert "  Peak effect 5-15 min: x (low confidence) [s]" in out
    assert "  End of acute effects 60 min: x [s]" in out
    assert "lowercase letter is a low-confidence figure" in " ".join(out.split())
    rule = out.splitlines()[3]
    assert rule == "minutes".ljust(TAG_W + 2) + "+" + ("----+" * 12)  # axis starts with the bars


def test_blood_levels_and_effects_are_drawn_on_separate_labelled_lines() -> None:
    # A blood peak at 20-40 min and an effect peak at 40 min must not share a line.
    grid = chart_grid(
        R=[
            fact("blood-first", 5, 5),
            fact("blood-peak", 20, 40),
            fact("peak", 40, 40),
            fact("end", 60, 60),
        ]
    )
    out = RENDERER.render(grid, Style(width=76))
    assert bar(out, "R", "blood level") == " " * 5 + "F" + "." * 14 + "P" * 21
    assert bar(out, "R", "effects") == " " * 40 + "P" + "." * 19 + "E"
    key = " ".join(out.split())
    assert "'blood level' is how much drug is in the blood (plasma), not what you feel" in key
    assert "'effects' is what patients feel or trials measured" in key
    assert "  First found in blood 5 min: x [s]" in out
    assert "  Peak blood level 20-40 min: x [s]" in out
    assert "  Peak effect 40 min: x [s]" in out


def test_required_monitoring_runs_from_the_dose_to_its_end() -> None:
    grid = chart_grid(R=[fact("peak", 40, 40), fact("end", 50, 50), fact("monitoring-end", 60, 60)])
    out = RENDERER.render(grid, Style(width=76))
    assert bar(out, "R", "effects") == " " * 40 + "P" + "." * 9 + "E"
    assert bar(out, "R", "must stay") == "~" * 60 + "M"
    key = " ".join(out.split())
    assert "'must stay' is the monitoring the label requires after a dose" in key
    assert "M, the earliest you may leave" in key
    assert "no monitoring time in the sources; that does not mean none is needed" in key
    assert "  End of required monitoring 60 min: x [s]" in out


def test_shipped_timeline_keeps_blood_levels_apart_from_effects(run: Run) -> None:
    data = load(SHIPPED)
    for key, subject in data.comparisons.routes.subjects.items():
        for point in subject.timeline:
            says_blood_level = re.search(r"blood level|in the blood|plasma", point.text, re.I)
            is_blood_event = point.event.startswith("blood-")
            assert bool(says_blood_level) == is_blood_event, (key, point.event, point.text)
    sl = {p.event: p for p in data.comparisons.routes.subjects["sl"].timeline}
    assert sl["blood-first"].minutes == 5 and "not when you feel it" in sl["blood-first"].text
    out = ok(run("timeline", "--data", str(SHIPPED), width=80))
    assert set(bar(out, "Sublingual", "blood level").strip()) <= {"F", "P", "."}
    with pytest.raises(AssertionError):
        bar(out, "Sublingual", "effects")  # no effect on file: no effects line at all
    grid = timeline_grid(data)
    assert any("kept apart from effects" in note for note in grid.notes)  # every format


def test_shipped_nasal_bar_runs_to_the_end_of_required_monitoring(run: Run) -> None:
    nasal = load(SHIPPED).comparisons.routes.subjects["nasal"].timeline
    (stay,) = [p for p in nasal if p.event == "monitoring-end"]
    assert stay.minutes == 120
    assert "at least 2 h" in stay.text and "no driving until the next day" in stay.text
    assert stay.sources == ("spravatoPI2019",) and stay.confidence == "high"
    (dissociation_end,) = [p for p in nasal if p.event == "end" and "Dissociation" in p.text]
    assert dissociation_end.minutes < stay.minutes  # the stay outlasts dissociation
    out = ok(run("timeline", "nasal", "--data", str(SHIPPED), width=80))
    label_w = len("Nasal esketamine")
    stay_line = bar(out, "Nasal esketamine", "must stay", label_w)
    assert stay_line.startswith("~") and stay_line.endswith("M")
    # M sits under the 120-minute tick: the bar does not stop at dissociation's 90 min.
    lines = out.splitlines()
    ticks = lines[lines.index(next(x for x in lines if x.startswith("minutes"))) - 1]
    assert ticks[label_w + 2 :].index(" 120 ") + 1 == len(stay_line) - 1
    assert "End of required monitoring 120 min: Earliest time to leave" in " ".join(out.split())


def test_no_points_means_no_bar_and_no_axis() -> None:
    out = RENDERER.render(chart_grid(A=[], B=[]), Style(width=60))
    assert untimed(out, "A") == NO_TIMING
    assert "A: no sourced timing." in out
    assert "minutes" not in out.split("Figures")[0]  # no axis drawn from nothing


def test_a_long_route_name_gets_its_own_line_never_cut() -> None:
    name = "An extremely long route name here"
    out = RENDERER.render(chart_grid(**{name: [fact("end", 30, 30)]}), Style(width=40))
    lines = out.splitlines()
    i = lines.index(name)
    assert lines[i + 1].startswith("  effects") and lines[i + 1].rstrip().endswith("E")
    assert all(len(line) <= 40 for line in lines)


# The command ----------------------------------------------------------------------------


def test_timeline_command_draws_sourced_routes_and_lists_the_figures(run: Run) -> None:
    out = ok(run("timeline", "--data", DATA, width=120))
    assert out.startswith("Timing after a dose (minutes), from sourced figures\n")
    rule = next(line for line in out.splitlines() if line.startswith("minutes"))
    assert rule.endswith("+")
    iv = bar(out, "IV infusion", label_w=len("Intramuscular"))
    assert iv.lstrip().startswith("F=") and iv.endswith("E") and "PPP" in iv
    im_blood = bar(out, "Intramuscular", "blood level", len("Intramuscular"))
    assert set(im_blood.strip()) == {"p"}  # the blood peak, alone on its own line
    im = bar(out, "Intramuscular", label_w=len("Intramuscular"))
    assert im.strip() == "E" and "p" not in im
    assert re.search(r"^Sublingual\s+no sourced timing$", out, re.M)
    assert "Sublingual: no sourced timing." in out
    assert "Oral" not in out.split("Not shown")[0]
    assert "Not shown: Oral. Add --all to include." in out
    for key in ("iv", "im"):
        for p in raw_routes()[key]["timeline"]:
            label = EVENTS[p["event"]]
            low = " (low confidence)" if p.get("confidence") == "low" else ""
            ids = ", ".join(p["sources"])
            line = f"  {label} {span(p['minutes'])} min: {p['text']}{low} [{ids}]"
            assert line in out


def test_timeline_all_and_named_hidden(run: Run) -> None:
    everything = ok(run("timeline", "--all", "--data", DATA, width=100))
    assert re.search(r"^Oral\n  effects\s+ +e+$", everything, re.M)
    assert "  End of acute effects 240-360 min: Effects last 4-6 h (low confidence) [page]" in (
        everything
    )
    named = ok(run("timeline", "oral", "iv", "--data", DATA, width=100))
    lines = [line.split()[0] for line in named.splitlines() if re.match(r"^(Oral|IV)\b", line)]
    assert lines[:2] == ["Oral", "IV"]  # in the order named


@pytest.mark.parametrize("width", [60, 40])
def test_timeline_fits_narrow_terminals(run: Run, width: int) -> None:
    out = ok(run("timeline", "--all", "--sources", "--data", DATA, width=width))
    assert all(len(line) <= width for line in out.splitlines()), out
    assert "Intramuscular" in out and "no sourced timing" in out


def test_timeline_errors(run: Run) -> None:
    twice = run("timeline", "iv", "infusion", "--data", DATA)
    assert twice.exit_code == 2
    assert twice.stderr == (
        "ketacompare: error: route 'iv' was named twice (as 'iv' and 'infusion'); "
        "name each route once.\n"
    )
    unknown = run("timeline", "nasal", "--data", DATA)
    assert unknown.exit_code == 2
    assert unknown.stderr.startswith("ketacompare: error: unknown route 'nasal'.")


def test_all_routes_without_timing(run: Run) -> None:
    out = ok(run("timeline", "sl", "--data", DATA, width=60))
    assert re.search(r"^Sublingual\s+no sourced timing$", out, re.M)
    assert "+---" not in out


# Other formats get the same grid, minutes included ---------------------------------------


@pytest.mark.parametrize("fmt", list(Format), ids=str)
def test_every_format_carries_the_minutes(fmt: Format) -> None:
    grid = timeline_grid(load(EVIDENCE), include_hidden=True)
    text = render(grid, fmt, Style(width=100))
    for key in ("iv", "im", "oral"):
        for p in raw_routes()[key]["timeline"]:
            assert f"{span(p['minutes'])} min" in text


def test_timeline_json_gives_the_numbers(run: Run) -> None:
    out = ok(run("timeline", "--all", "--format", "json", "--data", DATA))
    doc = json.loads(out)
    text = json.dumps(doc)
    for key in ("iv", "im", "oral"):
        for p in raw_routes()[key]["timeline"]:
            assert f"{span(p['minutes'])} min: {p['text']}" in text
