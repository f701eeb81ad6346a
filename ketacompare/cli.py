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
    from ketacompare.output import Env
    from ketacompare.query import Grid


class _Group(TyperGroup):
    """Turns user mistakes into one line and exit 2; never a traceback."""

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except typer.TyperException as exc:
            _usage_error(exc)
            raise

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except KetacompareError as exc:
            _say(f"ketacompare: error: {exc.message}")
            _flush_or_silence()
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            _say("")
            raise typer.Exit(130) from None
        except BrokenPipeError:
            _silence_stdout()
            raise typer.Exit(0) from None
        except (typer.Exit, typer.Abort):
            raise
        except typer.TyperException as exc:  # click's usage errors
            _usage_error(exc)
            raise
        except Exception as exc:
            if _env().environ.get("KETACOMPARE_DEBUG") == "1":
                raise
            from ketacompare.text import one_line

            where = f" in '{ctx.invoked_subcommand}'" if ctx.invoked_subcommand else ""
            detail = one_line(f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__)
            _say(
                f"ketacompare: unexpected error{where} ({detail}). This is a bug: please "
                "report it with the command you ran. Set KETACOMPARE_DEBUG=1 to see the traceback."
            )
            raise typer.Exit(1) from None


def _usage_error(exc: Exception) -> None:
    """Click's usage errors (bad option, missing argument) as one line and exit 2, like ours.

    Click escapes C0/C1 controls in the words it quotes, but not bidi overrides (U+202E),
    so the message is cleaned as well.
    """
    if getattr(exc, "exit_code", None) != 2 or not hasattr(exc, "format_message"):
        return  # not a usage error: let Click show it
    ctx = getattr(exc, "ctx", None)
    path = getattr(ctx, "command_path", None) or "ketacompare"
    message = exc.format_message().rstrip()
    message += "" if message.endswith((".", "?")) else "."
    _say(f"ketacompare: error: {message} See '{path} --help'.")
    raise typer.Exit(2) from None


def _env() -> Env:
    from ketacompare.output import Env

    return Env.from_system()


def _say(message: str) -> None:
    from ketacompare.text import clean, to_encoding

    stream = _env().stderr
    message = clean(message)  # a last guard: no message may carry a control sequence
    try:
        stream.write(to_encoding(message, getattr(stream, "encoding", None) or "utf-8") + "\n")
        stream.flush()
    except (OSError, ValueError, AttributeError):
        pass  # stderr is closed or full: the exit code still says what happened


def _silence_stdout() -> None:
    # The reader went away (`| head`), or the disk is full: point stdout at devnull so the
    # interpreter's final flush is quiet. Only for this process's own stdout.
    try:
        if sys.stdout is not sys.__stdout__:
            return
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
        "  ketacompare factors\n\n"
        "  ketacompare show im\n\n"
        "  ketacompare timeline --all\n\n"
        "  ketacompare sources --route iv\n\n"
        "  ketacompare choose --prefer no-needles,fewer-visits"
    ),
    invoke_without_command=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


# Completion: names come from the data file named on the command line, if any. The entry
# point answers most requests without Typer (ketacompare.completion); these callbacks
# answer the rest, with the same candidates.


def _completer(kind: str, param: str) -> Any:
    """A Typer autocompletion callback for values of `kind` given as `param`."""

    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        from ketacompare.completion import candidates

        params = ctx.params or {}
        given = params.get(param) or ()
        given = [given] if isinstance(given, str) else list(given)
        command = getattr(getattr(ctx, "command", None), "name", None) or ""
        return candidates(kind, command, params.get("data"), given, incomplete, os.environ)

    return complete


complete_factors = _completer("factor", "factor")
complete_preferences = _completer("wish", "prefer")
complete_needs = _completer("need", "need")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ketacompare {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Compare ketamine routes and therapies side by side. Educational, not medical advice."""
    if ctx.invoked_subcommand is None:  # bare `ketacompare`: what it is for, where to start
        from ketacompare.output import Env, emit
        from ketacompare.overview import overview

        try:
            dataset: Dataset | None = _load(None)
        except KetacompareError:
            dataset = None  # the overview still helps; it says the data could not be read
        env = Env.from_system()
        emit(overview(dataset, env.width, env.color), env)


# Options shared by the table views.

DataOpt = Annotated[
    Path | None,
    typer.Option(
        "--data",
        # $KETACOMPARE_DATA is read by the loader, the one place that picks the file.
        help="Use this data file instead of the shipped one [env: KETACOMPARE_DATA].",
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
    Format | None,
    typer.Option(
        "--format",
        "-F",
        case_sensitive=False,
        help="Output format [default: from the --output file's extension, else table].",
        show_default=False,
    ),
]
OutputOpt = Annotated[
    # Text, not Path: Path("newdir/") drops the '/' that says the user meant a folder.
    str | None,
    typer.Option("--output", "-o", help="Write to this file instead of stdout."),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite the --output file.")]
SourcesOpt = Annotated[
    bool, typer.Option("--sources", help="Mark each fact with its sources and list them.")
]
NoColorOpt = Annotated[bool, typer.Option("--no-color", help="No colour (also: NO_COLOR=1).")]
NoPagerOpt = Annotated[
    bool, typer.Option("--no-pager", help="Print straight to the terminal, never through a pager.")
]
DetailOpt = Annotated[
    bool,
    typer.Option("--detail", "-d", help="Every factor and every fact, not the short view."),
]


def _load(data: Path | None) -> Dataset:
    from ketacompare.loader import load

    return load(data)


def _out(
    grid: Grid,
    fmt: Format | None,
    output: str | None,
    force: bool,
    cite: bool = False,
    no_color: bool = False,
    no_pager: bool = False,
    data: Path | None = None,
) -> None:
    from ketacompare.output import Env, emit, format_for
    from ketacompare.render import Style, render

    env = Env.from_system(no_color=no_color)
    terminal = output is None or output == "-"
    style = Style(
        width=env.width, color=env.color and terminal, ascii=env.ascii and terminal, cite=cite
    )
    text = render(grid, format_for(fmt, output), style)
    emit(text, env, output, force, pager=not no_pager, data=data)


def _examples(*lines: str) -> str:
    return "Examples:\n\n" + "\n\n".join(f"  {line}" for line in lines)


def view(name: str | None = None, *, examples: tuple[str, ...], cite: bool = True) -> Any:
    """Register a command that turns the dataset and its own options into a Grid.

    The options every view shares (--format, --output, --force, --sources, --no-color,
    --data) are added here, once, and the Grid goes through the one render path.
    """

    def register(build: Any) -> Any:
        import inspect

        shared = _shared_options(cite)

        def command(**kwargs: Any) -> None:
            options = {n: kwargs.pop(n, d) for n, _, d in shared}
            _run_view(build, kwargs, options)

        params = _view_parameters(build, shared)
        command.__name__ = build.__name__
        command.__doc__ = build.__doc__
        command.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
        command.__annotations__ = {p.name: p.annotation for p in params}
        # The first docstring line in full: Click would cut it at 45 characters.
        short = (build.__doc__ or "").strip().splitlines()[0]
        app.command(name, epilog=_examples(*examples), short_help=short)(command)
        return build

    return register


def _shared_options(cite: bool) -> list[tuple[str, Any, Any]]:
    """(parameter, option, default) of the options every view takes."""
    return [
        ("fmt", FormatOpt, None),
        ("output", OutputOpt, None),
        ("force", ForceOpt, False),
        *([("sources", SourcesOpt, False)] if cite else []),
        ("no_color", NoColorOpt, False),
        ("no_pager", NoPagerOpt, False),
        ("data", DataOpt, None),
    ]


def _view_parameters(build: Any, shared: list[tuple[str, Any, Any]]) -> list[Any]:
    """The command's parameters: the view's own (all but the dataset), then the shared."""
    import inspect
    import typing

    # Dataset and Grid are type-only names here (importing them would load the model).
    hints = typing.get_type_hints(build, localns={"Dataset": Any, "Grid": Any}, include_extras=True)
    own = [
        p.replace(annotation=hints[p.name])
        for p in inspect.signature(build).parameters.values()
        if p.name != "dataset"
    ]
    return own + [
        inspect.Parameter(n, inspect.Parameter.KEYWORD_ONLY, default=d, annotation=a)
        for n, a, d in shared
    ]


def _run_view(build: Any, own: dict[str, Any], options: dict[str, Any]) -> None:
    """Load the data, build the view's Grid, and render it where the options say."""
    from dataclasses import replace

    from ketacompare.loader import resolve_path
    from ketacompare.overview import decision

    dataset = _load(options["data"])
    # Every view carries the content date (with the disclosure line it goes into).
    grid = replace(
        build(dataset, **own),
        updated=dataset.updated.isoformat(),
        decision=decision(dataset) or "",
    )
    _out(
        grid,
        options["fmt"],
        options["output"],
        options["force"],
        options.get("sources", False),
        options["no_color"],
        options["no_pager"],
        resolve_path(options["data"]),
    )


@view(
    examples=(
        "ketacompare routes",
        "ketacompare routes --detail",
        "ketacompare routes --factor onset,dissociation --factor convenience",
        "ketacompare routes -o routes.html",
        "ketacompare routes --all --format json",
    )
)
def routes(
    dataset: Dataset,
    factor: FactorOpt = None,
    detail: DetailOpt = False,
    all_routes: Annotated[
        bool, typer.Option("--all", "-a", help="Include routes the clinic articles do not cover.")
    ] = False,
) -> Grid:
    """All ketamine routes side by side: a short view of the core questions by default."""
    from ketacompare.query import comparison_grid, split_words

    return comparison_grid(
        dataset, "routes", factors=split_words(factor), include_hidden=all_routes, detail=detail
    )


@view(
    examples=(
        "ketacompare compare iv im",
        "ketacompare compare iv,nasal --detail",
        "ketacompare compare spravato sublingual --factor onset",
        "ketacompare compare iv oral --format csv -o iv-oral.csv",
        "ketacompare compare ect iv",
    )
)
def compare(
    dataset: Dataset,
    route_names: Annotated[
        list[str],
        typer.Argument(
            metavar="NAME NAME...",
            help="Two or more routes (iv, sl, nasal, im, ...) or two or more options "
            "(medicine, talk, ect, rtms, nasal, iv), by key or alias; spaces or commas "
            "between them.",
            autocompletion=_completer("subjects:routes+options", "route_names"),
        ),
    ],
    factor: FactorOpt = None,
    detail: DetailOpt = False,
) -> Grid:
    """Compare the routes, or the options, you name, in the order named (short by default)."""
    from ketacompare.options import compare_any
    from ketacompare.query import split_words

    return compare_any(dataset, route_names, split_words(factor), detail=detail)


@view(
    "kap-vs-talk",
    examples=(
        "ketacompare kap-vs-talk",
        "ketacompare kap-vs-talk --detail",
        "ketacompare kap-vs-talk --factor session,speed",
        "ketacompare kap-vs-talk -o kap-vs-talk.html",
    ),
)
def kap_vs_talk(dataset: Dataset, factor: FactorOpt = None, detail: DetailOpt = False) -> Grid:
    """Ketamine-assisted psychotherapy vs traditional talk therapy (short view by default)."""
    from ketacompare.query import preset_grid, split_words

    return preset_grid(dataset, "therapies", "kap-vs-talk", split_words(factor), detail=detail)


# The whole decision (issue 12): the options beside ketamine, questions, glossary.

complete_options = _completer("subjects:options", "option_names")


@view(
    examples=(
        "ketacompare options",
        "ketacompare options ect rtms iv --factor chance-of-help",
        "ketacompare options --detail",
        "ketacompare options --format html -o options.html",
    )
)
def options(
    dataset: Dataset,
    option_names: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[OPTION...]",
            help="Options to show, in this order: medicine, talk, ect, rtms, nasal, iv; "
            "all when none are named.",
            autocompletion=complete_options,
        ),
    ] = None,
    factor: FactorOpt = None,
    detail: DetailOpt = False,
) -> Grid:
    """Ketamine beside the other choices, by the questions patients ask, with X in 100
    (short by default)."""
    from ketacompare.options import options_grid
    from ketacompare.query import split_words

    return options_grid(dataset, split_words(option_names), split_words(factor), detail=detail)


@view(
    examples=(
        "ketacompare questions",
        "ketacompare questions ect iv",
        "ketacompare questions nasal --format html -o questions.html",
    ),
    cite=False,
)
def questions(
    dataset: Dataset,
    option_names: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[OPTION...]",
            help="The options you are thinking about; all when none are named.",
            autocompletion=complete_options,
        ),
    ] = None,
) -> Grid:
    """Questions to take to your doctor about the options you name, with room for answers."""
    from ketacompare.options import questions_grid
    from ketacompare.query import split_words

    return questions_grid(dataset, split_words(option_names))


@view(examples=("ketacompare glossary", "ketacompare glossary --format markdown"), cite=False)
def glossary(dataset: Dataset) -> Grid:
    """What each short form and hard term means: TRD, ECT, rTMS, IV, mg/kg, ..."""
    from ketacompare.options import glossary_grid

    return glossary_grid(dataset)


@view(examples=("ketacompare factors", "ketacompare factors --format json"), cite=False)
def factors(dataset: Dataset) -> Grid:
    """List every factor: its key, label, description and the comparisons that have it."""
    from ketacompare.query import factors_grid

    return factors_grid(dataset)


PreferOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--prefer",
        "-p",
        metavar="KEY[=LEVEL]",
        help="A wish, and how much it matters: KEY or KEY=very (levels: not, somewhat, "
        "very; default somewhat). Repeatable or comma-separated.",
        autocompletion=complete_preferences,
    ),
]
NeedOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--need",
        "-n",
        metavar="KEY",
        help="A must-have: routes against it are listed last, marked. "
        "Repeatable or comma-separated.",
        autocompletion=complete_needs,
    ),
]


def _interactive() -> bool:
    """Ask questions only when a person is at a terminal: never wait on a pipe."""
    env = _env()
    try:
        return env.tty and env.stdin.isatty()
    except (AttributeError, ValueError):
        return False


class _Answers:
    """The injected stdin for Rich's prompt: the end of input is an EOFError, as with
    input(), not an empty answer that would quietly take the default."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream

    def readline(self) -> str:
        line = self.stream.readline()
        if not line:
            raise EOFError
        return line.rstrip("\r\n")  # as input() gives it


def _ask(question: str, choices: Any, default: str) -> str:
    """One Rich prompt on stderr, so the ranking on stdout stays clean."""
    from rich.console import Console
    from rich.prompt import Prompt
    from rich.text import Text

    from ketacompare.errors import UsageError

    env = _env()
    # No colour: the questions read the same with --no-color, NO_COLOR or a dumb terminal.
    console = Console(file=env.stderr, highlight=False, no_color=True)
    try:  # data text reaches Rich as Text, never as markup
        return Prompt.ask(
            Text(question),
            choices=list(choices),
            default=default,
            console=console,
            case_sensitive=False,
            stream=_Answers(env.stdin),  # type: ignore[arg-type]
        )
    except EOFError:
        console.print()  # end the unanswered question's line before the message
        raise UsageError(
            "the questions ended without an answer. Give your wishes as options instead, "
            "e.g. 'ketacompare choose --prefer no-needles=very'."
        ) from None


@view(
    examples=(
        "ketacompare choose --list",
        "ketacompare choose --prefer no-needles=very,self-administer",
        "ketacompare choose --need rapid-relief --prefer low-dissociation",
        "ketacompare choose --prefer fewer-visits --format json",
    )
)
def choose(
    dataset: Dataset,
    prefer: PreferOpt = None,
    need: NeedOpt = None,
    list_keys: Annotated[
        bool, typer.Option("--list", "-l", help="List the preference keys and what they mean.")
    ] = False,
    all_routes: Annotated[
        bool, typer.Option("--all", "-a", help="Include routes the clinic articles do not cover.")
    ] = False,
) -> Grid:
    """Rank routes by what matters to you, and show why, fact by fact, with sources.

    Each wish gets one answer per route: meets, partly meets, against or not known.
    Only published sources decide it; a clinic's claims are shown but never count. Run
    in a terminal with no wishes, it asks how much each one matters. It sorts; it does
    not decide. Discuss the options with a clinician.
    """
    from ketacompare.choose import ASK_AGAIN, ASK_INTRO, ask_wishes, choose_grid, preferences_grid
    from ketacompare.query import split_words

    if list_keys:
        return preferences_grid(dataset)
    prefer_words, need_words = split_words(prefer), split_words(need)
    if not prefer_words and not need_words and dataset.preferences and _interactive():
        _say(ASK_INTRO)
        prefer_words = ask_wishes(dataset, _ask)
        if prefer_words:
            _say(ASK_AGAIN.format(words=",".join(prefer_words)))
    return choose_grid(dataset, prefer_words, need_words, all_routes)


# Evidence views (issue 4): sources, show, conditions, therapies, timeline.


AllOpt = Annotated[
    bool, typer.Option("--all", "-a", help="Include entries the data file marks hidden.")
]


@view(
    examples=(
        "ketacompare sources",
        "ketacompare sources --route iv",
        "ketacompare sources --route nasal --factor monitoring --format json",
    ),
    cite=False,
)
def sources(
    dataset: Dataset,
    route: Annotated[
        list[str] | None,
        typer.Option(
            "--route",
            "-r",
            help="Only sources cited by this route's cells. Repeatable or comma-separated; "
            "hidden routes allowed.",
            autocompletion=_completer("subjects:routes", "route"),
        ),
    ] = None,
    factor: Annotated[
        list[str] | None,
        typer.Option(
            "--factor",
            "-f",
            help="Only sources cited by cells of this factor. Repeatable or comma-separated; "
            "keys, aliases or unique prefixes.",
            autocompletion=complete_factors,
        ),
    ] = None,
) -> Grid:
    """The bibliography: every source, its metadata, and the cells that cite it."""
    from ketacompare.evidence import sources_grid
    from ketacompare.query import split_words

    return sources_grid(dataset, split_words(route), split_words(factor))


@view(
    examples=(
        "ketacompare show",
        "ketacompare show iv",
        "ketacompare show iv --factor onset,dissociation",
        "ketacompare show spravato --sources",
        "ketacompare show oral -o oral.md",
    )
)
def show(
    dataset: Dataset,
    route_name: Annotated[
        str | None,
        typer.Argument(
            metavar="[ROUTE]",
            help="One route, by key or alias (hidden routes such as oral too); "
            "the list of routes when none is named.",
            autocompletion=_completer("subjects:routes", "route_name"),
        ),
    ] = None,
    factor: FactorOpt = None,
) -> Grid:
    """A detail card for one route: every factor, its figures and the studies behind it."""
    from ketacompare.evidence import route_list_grid, show_grid
    from ketacompare.query import split_words

    if route_name is None:
        return route_list_grid(dataset)
    return show_grid(dataset, route_name, split_words(factor))


@view(
    examples=(
        "ketacompare conditions",
        "ketacompare conditions ptsd ocd",
        "ketacompare conditions anxiety --factor key-study,caveat",
    )
)
def conditions(
    dataset: Dataset,
    condition_names: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[CONDITION...]",
            help="Conditions to show, by key or alias; all when none are named.",
            autocompletion=_completer("subjects:conditions", "condition_names"),
        ),
    ] = None,
    factor: FactorOpt = None,
    all_entries: AllOpt = False,
) -> Grid:
    """What ketamine has been studied for: the claim, the key study, the evidence."""
    from ketacompare.query import split_words, subset_grid

    return subset_grid(
        dataset, "conditions", condition_names, "condition", split_words(factor), all_entries
    )


@view(
    examples=(
        "ketacompare therapies",
        "ketacompare therapies kap psilocybin",
        "ketacompare therapies kap-vs-talk --factor session-length",
    )
)
def therapies(
    dataset: Dataset,
    therapy_names: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[THERAPY...]",
            help="Therapies to compare, in this order, by key, alias or preset "
            "(kap-vs-talk); all when none are named.",
            autocompletion=_completer("subjects:therapies", "therapy_names"),
        ),
    ] = None,
    factor: FactorOpt = None,
    all_entries: AllOpt = False,
) -> Grid:
    """Therapy approaches side by side: KAP, talk therapy, psilocybin, 5-MeO-DMT."""
    from ketacompare.query import split_words, subset_grid

    return subset_grid(
        dataset, "therapies", therapy_names, "therapy", split_words(factor), all_entries
    )


@view(
    examples=(
        "ketacompare timeline",
        "ketacompare timeline iv nasal",
        "ketacompare timeline --all --format json",
    )
)
def timeline(
    dataset: Dataset,
    route_names: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[ROUTE...]",
            help="Routes to draw, in this order; all shown routes when none are named.",
            autocompletion=_completer("subjects:routes", "route_names"),
        ),
    ] = None,
    all_routes: Annotated[
        bool, typer.Option("--all", "-a", help="Include hidden routes (e.g. oral).")
    ] = False,
) -> Grid:
    """A picture of timing: blood levels apart from effects and required stay, sourced only."""
    from ketacompare.evidence import timeline_grid

    return timeline_grid(dataset, route_names or (), include_hidden=all_routes)


@view(examples=("ketacompare about", "ketacompare about --format json"), cite=False)
def about(dataset: Dataset) -> Grid:
    """Who made ketacompare, its funding and conflicts, and when the content was checked."""
    from ketacompare.query import about_grid

    return about_grid(dataset)


@app.command(
    epilog="Examples:\n\n  ketacompare validate\n\n  ketacompare validate data/routes.yaml"
)
def validate(
    file: Annotated[
        Path | None,
        typer.Argument(
            metavar="FILE",
            help="The data file to check "
            "[default: --data, $KETACOMPARE_DATA, or the shipped file].",
            show_default=False,
        ),
    ] = None,
    data: DataOpt = None,
) -> None:
    """Check a data file and list every problem in it, each with its place in the file.

    Exit code 0 when the file is valid, 2 when it is not.
    """
    from ketacompare.loader import validate as check_file
    from ketacompare.output import Env, emit
    from ketacompare.report import report_text

    report = check_file(file if file is not None else data)
    emit(report_text(report), Env.from_system())
    if report.problems:
        raise typer.Exit(2)


@app.command(
    epilog="Examples:\n\n  ketacompare schema\n\n  ketacompare schema -o ketacompare.schema.json"
)
def schema(output: OutputOpt = None, force: ForceOpt = False) -> None:
    """Print the JSON Schema of the data file, for editors' YAML support."""
    from ketacompare.output import Env, emit
    from ketacompare.report import schema_text

    emit(schema_text(), Env.from_system(), output, force)


_COMMAND: list[TyperGroup] = []


def command() -> TyperGroup:
    """The Click command Typer builds from `app`: built once per process (it takes ~10 ms,
    and tests run hundreds of commands in one process)."""
    if not _COMMAND:
        built = typer.main.get_command(app)
        assert isinstance(built, TyperGroup)
        _COMMAND.append(built)
    return _COMMAND[0]


def run(argv: list[str] | None = None, env: Env | None = None) -> int:
    """Run one command line in `env` (this process's when None); returns the exit code."""
    from ketacompare.output import Env, installed

    if env is None:
        # Start-up speed (issue 7): what is imported by now lives until exit, so keep it
        # out of the cyclic GC's scans, and collect less often while a command runs.
        # Measured by benchmarks/startup.py: about -10 ms, -10% at 1,000 routes.
        gc.freeze()
        gc.set_threshold(10_000, 50, 100)
    args = sys.argv[1:] if argv is None else list(argv)
    with installed(env or Env.build()):
        try:
            command().main(args=args, prog_name="ketacompare", standalone_mode=True)
        except SystemExit as exc:
            return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except KeyboardInterrupt:
            return 130
        except OSError as exc:  # Click's own output (help, version, usage) could not be written
            from ketacompare.output import WriteError

            _say(f"ketacompare: error: {WriteError(exc).message}")
            _flush_or_silence()
            return 2
    return 0


def _flush_or_silence() -> None:
    """After a write error, stdout still holds the text; flushing at exit would fail again
    and print a traceback-like warning, so the text goes to devnull instead."""
    try:
        _env().stdout.flush()
    except (OSError, ValueError):
        _silence_stdout()
