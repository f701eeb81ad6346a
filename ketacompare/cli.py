"""Command line: parse, query, render. Everything else lives in the engine and renderers.

Kept light at import: no YAML, no Rich table code, no data loading until a command runs.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from ketacompare import __version__
from ketacompare.errors import KetacompareError
from ketacompare.render import Format

if TYPE_CHECKING:
    from ketacompare.model import Dataset
    from ketacompare.query import Grid


class _Group(TyperGroup):
    """Turns user mistakes into one line and exit 2; never a traceback."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except KetacompareError as exc:
            _say(f"ketacompare: error: {exc.message}")
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            _say("")
            raise typer.Exit(130) from None
        except BrokenPipeError:
            _silence_stdout()
            raise typer.Exit(0) from None
        except (typer.Exit, typer.Abort, typer.TyperException):
            raise
        except Exception as exc:
            if os.environ.get("KETACOMPARE_DEBUG") == "1":
                raise
            _say(
                f"ketacompare: unexpected error ({type(exc).__name__}). This is a bug: please "
                "report it with the command you ran. Set KETACOMPARE_DEBUG=1 to see the traceback."
            )
            raise typer.Exit(1) from None


def _say(message: str) -> None:
    from ketacompare.text import to_encoding

    stream = sys.stderr
    try:
        stream.write(to_encoding(message, getattr(stream, "encoding", None) or "utf-8") + "\n")
        stream.flush()
    except (OSError, ValueError):
        pass


def _silence_stdout() -> None:
    # The reader went away (`| head`): point stdout at devnull so the final flush is quiet.
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


app = typer.Typer(
    name="ketacompare",
    cls=_Group,
    help=(
        "Compare ketamine treatment routes and therapy approaches side by side, "
        "one factor at a time, with a source behind every cell.\n\n"
        "An educational comparison, not medical advice."
    ),
    epilog=(
        "Examples:\n\n"
        "  ketacompare routes\n\n"
        "  ketacompare compare iv im --factor onset,dissociation\n\n"
        "  ketacompare kap-vs-talk --format markdown\n\n"
        "  ketacompare factors"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


# Completion: names come from the data file named on the command line, if any.


def _completion_data(ctx: typer.Context) -> Dataset | None:
    from ketacompare.loader import load

    try:
        return load((ctx.params or {}).get("data"))
    except Exception:  # a broken file must never break TAB
        return None


def complete_routes(ctx: typer.Context, incomplete: str) -> list[str]:
    from ketacompare.query import subject_names

    data = _completion_data(ctx)
    if data is None:
        return []
    taken = {w.lower() for w in (ctx.params or {}).get("routes") or ()}
    names = subject_names(data.comparisons.routes)
    return [n for n in names if n.lower().startswith(incomplete.lower()) and n.lower() not in taken]


def complete_factors(ctx: typer.Context, incomplete: str) -> list[str]:
    data = _completion_data(ctx)
    if data is None:
        return []
    head, _, last = incomplete.rpartition(",")
    prefix = f"{head}," if head else ""
    return [prefix + k for k in data.factors if k.startswith(last.lower())]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ketacompare {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Compare ketamine routes and therapies side by side. Educational, not medical advice."""


# Options shared by the table views.

DataOpt = Annotated[
    Path | None,
    typer.Option(
        "--data",
        envvar="KETACOMPARE_DATA",
        help="Use this data file instead of the shipped one [env: KETACOMPARE_DATA].",
        show_envvar=False,
        dir_okay=True,
    ),
]
FactorOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--factor",
        "-f",
        help="Rows to show, in this order. Repeatable or comma-separated; "
        "keys, aliases or unique prefixes (see 'ketacompare factors').",
        autocompletion=complete_factors,
    ),
]
FormatOpt = Annotated[
    Format, typer.Option("--format", "-F", case_sensitive=False, help="Output format.")
]
OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to this file instead of stdout.", dir_okay=True),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite the --output file.")]
SourcesOpt = Annotated[
    bool, typer.Option("--sources", help="Mark each fact with its sources and list them.")
]
NoColorOpt = Annotated[bool, typer.Option("--no-color", help="No colour (also: NO_COLOR=1).")]


def _load(data: Path | None) -> Dataset:
    from ketacompare.loader import load

    return load(data)


def _out(
    grid: Grid,
    fmt: Format,
    output: Path | None,
    force: bool,
    cite: bool = False,
    no_color: bool = False,
) -> None:
    from ketacompare.output import Env, emit
    from ketacompare.render import Style, render

    env = Env.from_system(no_color=no_color)
    color = env.color and output is None
    style = Style(width=env.width, color=color, ascii=env.ascii and output is None, cite=cite)
    emit(render(grid, fmt, style), env, output, force)


@app.command(
    epilog="Examples:\n\n"
    "  ketacompare routes\n\n"
    "  ketacompare routes --factor onset,dissociation --factor convenience\n\n"
    "  ketacompare routes --all --format json"
)
def routes(
    factor: FactorOpt = None,
    all_routes: Annotated[
        bool, typer.Option("--all", "-a", help="Include routes the clinic articles do not cover.")
    ] = False,
    fmt: FormatOpt = Format.TABLE,
    output: OutputOpt = None,
    force: ForceOpt = False,
    sources: SourcesOpt = False,
    no_color: NoColorOpt = False,
    data: DataOpt = None,
) -> None:
    """All ketamine routes side by side: routes as columns, factors as rows."""
    from ketacompare.query import comparison_grid, split_words

    grid = comparison_grid(
        _load(data), "routes", factors=split_words(factor), include_hidden=all_routes
    )
    _out(grid, fmt, output, force, sources, no_color)


@app.command(
    epilog="Examples:\n\n"
    "  ketacompare compare iv im\n\n"
    "  ketacompare compare spravato sublingual --factor onset\n\n"
    "  ketacompare compare iv oral --format csv -o iv-oral.csv"
)
def compare(
    route_names: Annotated[
        list[str],
        typer.Argument(
            metavar="ROUTE ROUTE...",
            help="Two or more routes, by key or alias: iv, sl, nasal, im, ...",
            autocompletion=complete_routes,
        ),
    ],
    factor: FactorOpt = None,
    fmt: FormatOpt = Format.TABLE,
    output: OutputOpt = None,
    force: ForceOpt = False,
    sources: SourcesOpt = False,
    no_color: NoColorOpt = False,
    data: DataOpt = None,
) -> None:
    """Compare the routes you name, in the order you name them."""
    from ketacompare.errors import UsageError
    from ketacompare.query import comparison_grid, resolve_subjects, split_words

    dataset = _load(data)
    keys = resolve_subjects(dataset.comparisons.routes, route_names, "route")
    if len(keys) < 2:
        raise UsageError(
            "name two or more routes to compare, e.g. 'ketacompare compare iv im'. "
            f"Routes: {', '.join(dataset.comparisons.routes.subjects)}."
        )
    grid = comparison_grid(dataset, "routes", subjects=keys, factors=split_words(factor))
    _out(grid, fmt, output, force, sources, no_color)


@app.command(
    "kap-vs-talk",
    epilog="Examples:\n\n"
    "  ketacompare kap-vs-talk\n\n"
    "  ketacompare kap-vs-talk --factor session,speed\n\n"
    "  ketacompare kap-vs-talk --format html -o kap-vs-talk.html",
)
def kap_vs_talk(
    factor: FactorOpt = None,
    fmt: FormatOpt = Format.TABLE,
    output: OutputOpt = None,
    force: ForceOpt = False,
    sources: SourcesOpt = False,
    no_color: NoColorOpt = False,
    data: DataOpt = None,
) -> None:
    """Ketamine-assisted psychotherapy vs traditional talk therapy."""
    from ketacompare.query import comparison_grid, preset, split_words

    dataset = _load(data)
    keys = preset(dataset, "therapies", "kap-vs-talk")
    grid = comparison_grid(
        dataset,
        "therapies",
        subjects=keys,
        factors=split_words(factor),
        title="Ketamine-assisted psychotherapy vs traditional talk therapy",
    )
    _out(grid, fmt, output, force, sources, no_color)


@app.command(epilog="Examples:\n\n  ketacompare factors\n\n  ketacompare factors --format json")
def factors(
    fmt: FormatOpt = Format.TABLE,
    output: OutputOpt = None,
    force: ForceOpt = False,
    no_color: NoColorOpt = False,
    data: DataOpt = None,
) -> None:
    """List every factor: its key, label, description and the comparisons that have it."""
    from ketacompare.query import factors_grid

    _out(factors_grid(_load(data)), fmt, output, force, no_color=no_color)


def main() -> int:
    """Console-script entry point."""
    # Start-up speed (issue 7): what is imported by now lives until exit, so keep it out of
    # the cyclic GC's scans, and collect less often while a command runs. Measured by
    # benchmarks/startup.py: about -10 ms for a completion request, -10% at 1,000 routes.
    gc.freeze()
    gc.set_threshold(10_000, 50, 100)
    try:
        app(prog_name="ketacompare")
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except KeyboardInterrupt:
        return 130
    return 0
