"""The options beside ketamine (issue 12): the options grid, `compare` across routes and
options, questions to take to the doctor, the glossary, and the checks these need.

An option that is also a ketamine route (IV, nasal esketamine) names it with `route:`;
it then answers to the route's names too, and its cells hold only the answers to the
options' questions, so no text is stored twice.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from ketacompare.errors import DataProblem, UsageError, closest
from ketacompare.model import Comparison, Dataset, Fact
from ketacompare.query import (
    Column,
    Grid,
    Row,
    compare_grid,
    comparison_grid,
    get_comparison,
    resolve_subjects,
    split_words,
    subject_names,
)
from ketacompare.text import one_line

QUESTIONS_ANY = "any"  # the questions key for questions that fit every option
CARDS_ABOVE = 3  # more options than this are shown one card each, like Option Grid's limit


# Loading ---------------------------------------------------------------------------------


def link_options(data: Dataset) -> Dataset:
    """Options that are routes answer to the route's key and aliases as well as their own."""
    options = data.comparisons.options
    if options is None or not any(s.route for s in options.subjects.values()):
        return data
    routes = data.comparisons.routes.subjects
    subjects = {}
    for key, subject in options.subjects.items():
        route = routes.get(subject.route or "")
        if route is not None:
            have = {key.lower(), *(a.lower() for a in subject.aliases)}
            extra = [n for n in (subject.route or "", *route.aliases) if n.lower() not in have]
            subject = dataclasses.replace(subject, aliases=(*subject.aliases, *extra))
        subjects[key] = subject
    linked = dataclasses.replace(options, subjects=subjects)
    return dataclasses.replace(
        data, comparisons=dataclasses.replace(data.comparisons, options=linked)
    )


def options_check(data: Dataset) -> list[DataProblem]:
    """Rules the types cannot say: routes link only from options; X-in-100 figures add up."""
    problems: list[DataProblem] = []
    for ckey in data.comparison_keys():
        comparison = data.comparison(ckey)
        assert comparison is not None
        for skey, subject in comparison.subjects.items():
            spath = f"comparisons.{ckey}.subjects.{skey}"
            if subject.route is not None and ckey != "options":
                problems.append(
                    DataProblem(f"{spath}.route", "only an option can name a route; remove it.")
                )
            for fkey, facts in subject.cells.items():
                for i, fact in enumerate(facts):
                    problems += _outcome_problems(fact, f"{spath}.cells.{fkey}[{i}].outcome")
    if data.decision is not None:
        for i, fact in enumerate(data.decision.condition):
            problems += _outcome_problems(fact, f"decision.condition[{i}].outcome")
    return problems


def _outcome_problems(fact: Fact, path: str) -> list[DataProblem]:
    outcome = fact.outcome
    if outcome is None:
        return []
    problems = []
    if outcome.denominator != 100:
        problems.append(
            DataProblem(
                f"{path}.denominator",
                f"expected 100; found {outcome.denominator}. Give every figure as 'X in 100' "
                "so options can be set side by side.",
            )
        )
    arms = [("option", outcome.option), ("comparator", outcome.comparator)]
    for name, arm in arms:
        if arm is not None and not 0 <= arm.numerator <= outcome.denominator:
            problems.append(
                DataProblem(
                    f"{path}.{name}.numerator",
                    f"expected a number from 0 to {outcome.denominator}; found {arm.numerator:g}.",
                )
            )
    if outcome.people is not None and outcome.people < 1:
        problems.append(DataProblem(f"{path}.people", "expected 1 or more people."))
    return problems


# Views ---------------------------------------------------------------------------------


def options_comparison(data: Dataset) -> Comparison:
    return get_comparison(data, "options")


def options_grid(
    data: Dataset,
    words: Sequence[str] | None = None,
    factors: Sequence[str] = (),
    detail: bool = True,
) -> Grid:
    """`ketacompare options`: every option (or those named) by the questions patients ask;
    without `detail`, the short view (the comparison's brief rows and brief facts)."""
    comparison = options_comparison(data)
    keys = resolve_subjects(comparison, words, "option") if words else None
    grid = _explained(data, comparison_grid(data, "options", keys, factors, detail=detail))
    # Six columns of prose do not fit a page or screen; the short view's cells are short
    # enough to stay side by side (an Option Grid), or compact cards on a narrow terminal.
    short = not detail and bool(comparison.brief_rows)
    if len(grid.columns) > CARDS_ABOVE and not short:
        grid = dataclasses.replace(grid, layout="cards")
    return grid


def _explained(data: Dataset, grid: Grid) -> Grid:
    """Points to the glossary, which explains the short forms the options use."""
    if not data.glossary:
        return grid
    note = "Short forms such as ECT, rTMS and NICE are explained by 'ketacompare glossary'."
    return dataclasses.replace(grid, notes=(*grid.notes, note))


def compare_any(
    data: Dataset, words: Sequence[str], factors: Sequence[str], detail: bool = True
) -> Grid:
    """`compare`: routes when every name is a route, else options when every name is an
    option; names that fit neither set alone are an error naming both sets."""
    routes = data.comparisons.routes
    options = data.comparisons.options
    words = split_words(words)  # 'ect,iv' counts as two
    if options is None or all(_has(routes, w) for w in words):
        return compare_grid(data, words, factors, detail=detail)
    if all(_has(options, w) for w in words):
        keys = resolve_subjects(options, words, "option")
        if len(keys) < 2:
            raise UsageError(
                "name two or more options to compare, e.g. 'ketacompare compare ect iv'. "
                f"Options: {', '.join(options.subjects)}."
            )
        return _explained(data, comparison_grid(data, "options", keys, factors, detail=detail))
    both = f"Routes: {', '.join(routes.subjects)}. Options: {', '.join(options.subjects)}."
    unknown = [w for w in words if not _has(routes, w) and not _has(options, w)]
    if unknown:
        word = unknown[0]
        message = f"unknown route or option '{one_line(word)}'."
        guess = closest(word, [*subject_names(routes), *subject_names(options)])
        if guess:
            message += f" Did you mean '{guess}'?"
        raise UsageError(f"{message} {both}")
    route_only = next(w for w in words if not _has(options, w))
    option_only = next(w for w in words if not _has(routes, w))
    raise UsageError(
        f"'{one_line(route_only)}' is a route and '{one_line(option_only)}' is an option; "
        f"compare routes with routes, or options with options. {both}"
    )


def _has(comparison: Comparison, word: str) -> bool:
    low = word.strip().lower()
    return any(low == n.lower() for n in subject_names(comparison))


def questions_grid(data: Dataset, words: Sequence[str] | None) -> Grid:
    """`ketacompare questions`: questions for the doctor about the options named (or all)."""
    comparison = options_comparison(data)
    keys = resolve_subjects(comparison, words, "option") if words else list(comparison.subjects)
    groups = [(QUESTIONS_ANY, "Any option")]
    groups += [(key, comparison.subjects[key].name) for key in keys]
    rows: list[Row] = []
    cells: dict[tuple[str, str], tuple[Fact, ...]] = {}
    blank = (Fact(" ", ()),)  # room to write: an empty cell, not a "no data" mark
    for key, name in groups:
        for number, question in enumerate(data.questions.get(key, ()), start=1):
            row = f"{key}-{number}"
            rows.append(Row(row, name))
            cells[(row, "question")] = (Fact(question, ()),)
            cells[(row, "notes")] = blank
    if not rows:
        raise _not_in_file("questions for these options", "questions")
    grid = Grid(
        title="Questions to ask your doctor",
        corner="About",
        columns=(Column("question", "Question"), Column("notes", "Answer and notes")),
        rows=tuple(rows),
        cells=cells,
        notes=(
            "Take these to your appointment. Write the answers in the space beside each one. "
            "Print it with: ketacompare questions --format html -o questions.html",
        ),
        kind="questions",
    )
    return grid


def _not_in_file(what: str, key: str) -> UsageError:
    return UsageError(
        f"the data file has no {what}; add them under '{key}:' (see docs/data-format.md)."
    )


def glossary_grid(data: Dataset) -> Grid:
    """`ketacompare glossary`: every abbreviation and hard term the views use."""
    if not data.glossary:
        raise _not_in_file("glossary", "glossary")
    cells: dict[tuple[str, str], tuple[Fact, ...]] = {}
    rows = []
    for number, entry in enumerate(sorted(data.glossary, key=lambda t: t.term.lower())):
        key = f"term-{number}"
        rows.append(Row(key, entry.term))
        cells[(key, "stands-for")] = (Fact(entry.stands_for, ()),) if entry.stands_for else ()
        cells[(key, "meaning")] = (Fact(entry.meaning, ()),)
    return Grid(
        title="Glossary: the short forms and terms used here",
        corner="Term",
        columns=(Column("stands-for", "Short for"), Column("meaning", "What it means")),
        rows=tuple(rows),
        cells=cells,
        kind="glossary",
    )
