"""Shell completion without Typer, Click or Rich: a names cache and one candidate rule.

Every TAB press runs the whole program, and importing Typer alone costs about 90 ms. So
when the completion variable is set, the entry point calls `answer()` first: it reads the
shell's request, works out which value is being typed the way Click does, and offers
names from a small cache in the user's cache folder (no YAML parse per TAB). Anything it
does not handle (option names, file paths, help text for zsh/fish) returns None and the
Typer path answers instead. Both paths get their candidates from `candidates()`.

The cache holds, per data file, the names a full, successful load found: factor keys and
aliases, each comparison's subject keys and aliases and the factors it has data for, and
the wishes of `choose`. It is keyed by the file's path, size, modification time and inode,
written by `loader.load` (and by completion itself on a miss), and every name read from it
passes the id rule again (`syntax.is_id`), so a shell never gets a word it could run. A
bad file is cached as "bad" and offers nothing.

Import-light on purpose: only os and sys at import, no re, typing or pathlib.
"""

from __future__ import annotations

import os
import sys

from ketacompare.syntax import is_id

TYPE_CHECKING = False  # not `from typing import`: typing costs ~5 ms, on every TAB

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from typing import IO

    from ketacompare.model import Dataset

    # Option name -> (parameter, candidate kind or None); argument: (kind, parameter, nargs)
    Values = dict[str, tuple[str, str | None]]
    Argument = tuple[str | None, str, int] | None
    Spec = tuple[Values, frozenset[str], Argument]
    Resolved = tuple[str, str, str, list[str], object]

COMPLETE_VAR = "_KETACOMPARE_COMPLETE"
DATA_VAR = "KETACOMPARE_DATA"
# The --format choices, in ketacompare.render.Format's order (a test keeps them equal).
FORMATS = ("table", "json", "csv", "markdown", "html")
# Which comparison a command's --factor picks rows from; other commands offer every factor.
COMMAND_COMPARISON = {
    "routes": "routes",
    "compare": "routes",
    "kap-vs-talk": "therapies",
    "therapies": "therapies",
    "conditions": "conditions",
    "show": "routes",
    "options": "options",
}
_CACHE_FORMAT = "ketacompare-names 1"


# The data file ----------------------------------------------------------------------


def default_data_file() -> str:
    """The shipped file: inside the installed package, or at the checkout's top level.

    An editable install does not see hatchling's force-include, hence the fallback.
    """
    here = os.path.dirname(os.path.abspath(__file__))
    packaged = os.path.join(here, "data", "routes.yaml")
    if os.path.isfile(packaged):
        return packaged
    return os.path.join(os.path.dirname(here), "data", "routes.yaml")


def data_file(option: object, environ: Mapping[str, str]) -> str:
    """--data wins, then $KETACOMPARE_DATA, then the shipped file. The one rule for it."""
    chosen = option if option not in (None, "") else environ.get(DATA_VAR) or None
    return os.fspath(chosen) if chosen is not None else default_data_file()  # type: ignore[arg-type]


# Names and their cache --------------------------------------------------------------


class Names:
    """The words completion offers for one data file, each a valid id."""

    __slots__ = ("factors", "subjects", "used", "wishes")

    def __init__(self) -> None:
        self.factors: list[list[str]] = []  # [key, *aliases] per factor, in file order
        self.subjects: dict[str, list[list[str]]] = {}  # comparison -> [[key, *aliases]]
        self.used: dict[str, list[str]] = {}  # comparison -> factors with data there
        self.wishes: list[str] = []

    @classmethod
    def of(cls, data: Dataset) -> Names:
        names = cls()
        names.factors = _ids([k, *f.aliases] for k, f in data.factors.items())
        for ckey in data.comparison_keys():
            comparison = data.comparison(ckey)
            assert comparison is not None
            subjects = comparison.subjects.items()
            names.subjects[ckey] = _ids([k, *s.aliases] for k, s in subjects)
            used = {f for s in comparison.subjects.values() for f in s.cells}
            names.used[ckey] = [k for k in data.factors if k in used and is_id(k)]
        names.wishes = [k for k in data.preferences if is_id(k)]
        return names

    def lines(self) -> list[str]:
        out = ["F\t" + "\t".join(group) for group in self.factors]
        for ckey, groups in self.subjects.items():
            out += [f"S\t{ckey}\t" + "\t".join(group) for group in groups]
        out += [f"U\t{ckey}\t" + "\t".join(keys) for ckey, keys in self.used.items()]
        out += ["W\t" + "\t".join(self.wishes)] if self.wishes else []
        return out

    @classmethod
    def parse(cls, lines: Iterable[str]) -> Names:
        names = cls()
        for line in lines:
            kind, *words = line.split("\t")
            if not words or not all(is_id(w) for w in words):
                raise ValueError("not a names line")
            if kind == "F":
                names.factors.append(words)
            elif kind == "S" and len(words) > 1:
                names.subjects.setdefault(words[0], []).append(words[1:])
            elif kind == "U":
                names.used[words[0]] = words[1:]
            elif kind == "W":
                names.wishes = words
            else:
                raise ValueError("not a names line")
        return names


def _ids(groups: Iterable[list[str]]) -> list[list[str]]:
    """Each group's names that are valid ids (a shell word nobody can abuse); no empties."""
    kept = ([w for w in group if is_id(w)] for group in groups)
    return [group for group in kept if group]


def _cache_file(path: str, environ: Mapping[str, str]) -> str | None:
    import zlib

    base = environ.get("XDG_CACHE_HOME") or ""
    if not os.path.isabs(base):  # the XDG rule: a relative value is ignored
        home = environ.get("HOME") or os.path.expanduser("~")
        if not home or home == "~":
            return None
        base = os.path.join(home, ".cache")
    digest = zlib.crc32(path.encode("utf-8", "surrogateescape"))
    return os.path.join(base, "ketacompare", f"names-{digest:08x}.txt")


def _key(path: str, stat: os.stat_result) -> str:
    return f"{path}\t{stat.st_size}\t{stat.st_mtime_ns}\t{stat.st_ino}"


_MISS = object()


def _read_cache(cache: str, key: str) -> object:
    """Names, None for a file known to be bad, or _MISS."""
    try:
        with open(cache, encoding="utf-8") as handle:
            lines = handle.read(1 << 20).splitlines()
    except (OSError, UnicodeDecodeError):
        return _MISS
    if len(lines) < 3 or lines[0] != _CACHE_FORMAT or lines[1] != key:
        return _MISS
    if lines[2] == "bad":
        return None
    if lines[2] != "ok":
        return _MISS
    try:
        return Names.parse(lines[3:])
    except ValueError:
        return _MISS


def remember(
    path: str, stat: os.stat_result, names: Names | None, environ: Mapping[str, str]
) -> None:
    """Write the names of a file (None: the file is bad) to the cache; never fails."""
    path = os.path.abspath(path)
    cache = _cache_file(path, environ)
    if cache is None:
        return
    body = [_CACHE_FORMAT, _key(path, stat), "bad" if names is None else "ok"]
    if names is not None:
        body += names.lines()
    if "\n" in body[1] or "\r" in body[1]:
        return  # a path that would break the line format is simply not cached
    tmp = f"{cache}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(cache), mode=0o700, exist_ok=True)
        with open(tmp, "w", encoding="utf-8", errors="surrogateescape") as handle:
            handle.write("\n".join(body) + "\n")
        os.replace(tmp, cache)
    except OSError:
        if os.path.exists(tmp):
            os.unlink(tmp)


def remember_dataset(path: str, stat: os.stat_result, data: Dataset | None) -> None:
    """Called by a full load: cache the names only when they are missing or stale."""
    environ = os.environ
    cache = _cache_file(os.path.abspath(path), environ)
    if cache is None:
        return
    if _read_cache(cache, _key(os.path.abspath(path), stat)) is _MISS:
        remember(path, stat, Names.of(data) if data is not None else None, environ)


def names_for(option: object, environ: Mapping[str, str]) -> Names | None:
    """The names of the data file in use, from the cache or a full load; None if bad."""
    path = os.path.abspath(data_file(option, environ))
    try:
        stat = os.stat(path)
    except (OSError, ValueError):
        return None
    cache = _cache_file(path, environ)
    found = _read_cache(cache, _key(path, stat)) if cache else _MISS
    if found is not _MISS:
        return found  # type: ignore[return-value]
    try:
        from ketacompare.loader import load

        return Names.of(load(path))  # a full load, which writes the cache
    except Exception:  # a broken file must never break TAB, nor print into the shell
        remember(path, stat, None, environ)
        return None


# Candidates: the one rule both paths use --------------------------------------------


def candidates(
    kind: str,
    command: str,
    data: object,
    given: Iterable[str],
    incomplete: str,
    environ: Mapping[str, str],
) -> list[str]:
    """What TAB offers for a value of `kind`: "format", "factor", "wish" (--prefer, with
    levels), "need", or "subjects:<comparison>". `given` holds the values already on the
    line for it."""
    if kind == "format":
        low = incomplete.lower()
        return [f for f in FORMATS if f.startswith(low)]
    names = names_for(data, environ)
    if names is None:
        return []
    if kind == "factor":
        found = _factors(names, COMMAND_COMPARISON.get(command), given, incomplete)
    elif kind in ("wish", "need"):
        found = _wishes(names.wishes, incomplete, levels=kind == "wish")
    elif kind.startswith("subjects:"):  # "subjects:routes+options": either set's names
        groups = [g for ckey in kind[9:].split("+") for g in names.subjects.get(ckey, [])]
        found = list(dict.fromkeys(_subjects(groups, given, incomplete)))
    else:
        raise ValueError(f"unknown completion kind {kind!r}")  # a programming error
    # Typer keeps only what starts with the word as typed (case and all); so does this.
    return [w for w in found if w.startswith(incomplete)]


def _taken(groups: list[list[str]], given: Iterable[str]) -> set[str]:
    """Every name of a group already named under any of its names."""
    typed = {w.strip().lower() for w in given}
    return {n.lower() for names in groups if typed & {n.lower() for n in names} for n in names}


def _subjects(groups: list[list[str]], given: Iterable[str], incomplete: str) -> list[str]:
    """Subject keys and aliases, minus subjects already named."""
    taken = _taken(groups, given)
    low = incomplete.lower()
    return [
        n for names in groups for n in names if n.lower().startswith(low) and n.lower() not in taken
    ]


def _factors(names: Names, ckey: str | None, given: Iterable[str], incomplete: str) -> list[str]:
    """Factor keys (with data in `ckey`, if given); after a comma, the next one."""
    keys = [group[0] for group in names.factors]
    if ckey is not None:
        used = set(names.used.get(ckey, ()))
        keys = [k for k in keys if k in used]
    words = [w for v in given for w in v.split(",")]
    return _listed(keys, words, incomplete, names.factors)


def _wishes(keys: list[str], incomplete: str, levels: bool) -> list[str]:
    """Wish keys, comma-separated; after `KEY=`, how much it matters (--prefer only)."""
    from ketacompare.wishes import COMPLETED_LEVELS

    head, _, last = incomplete.rpartition(",")
    name, eq, level = last.partition("=")
    if not eq:
        return _listed(keys, [w.partition("=")[0] for w in head.split(",")], incomplete)
    if not levels or name.lower() not in {k.lower() for k in keys}:
        return []
    prefix = f"{head}," if head else ""
    return [f"{prefix}{name}={w}" for w in COMPLETED_LEVELS if w.startswith(level.lower())]


def _listed(
    keys: list[str], given: list[str], incomplete: str, groups: list[list[str]] | None = None
) -> list[str]:
    """Keys for a comma-separated value: after 'a,b,' the next key, minus those named."""
    head, _, last = incomplete.rpartition(",")
    words = given + head.split(",")
    taken = _taken(groups if groups is not None else [[k] for k in keys], words)
    prefix = f"{head}," if head else ""
    low = last.lower()
    return [prefix + k for k in keys if k.lower().startswith(low) and k.lower() not in taken]


# The fast path ------------------------------------------------------------------------


# What completion must know of the command line: each option that takes a value (its
# parameter, and what completes it: a candidate kind, or None for a path, which the Typer
# path answers), the flags, and the positional argument (kind, nargs). tests/
# test_completion.py checks this table against the Click command Typer builds from cli.py,
# so the two cannot drift apart: a new command or option fails that test until added here.
def _opt(param: str, kind: str | None, *names: str) -> Values:
    return dict.fromkeys(names, (param, kind))


_VIEW = {
    **_opt("fmt", "format", "--format", "-F"),
    **_opt("output", None, "--output", "-o"),
    **_opt("data", None, "--data"),
}
_FACTOR = _opt("factor", "factor", "--factor", "-f")
_HELP = ("-h", "--help")
_VIEW_FLAGS = ("--force", "--no-color", "--no-pager", *_HELP)
_CITED = ("--sources", *_VIEW_FLAGS)
_ALL = ("--all", "-a")
_DETAIL = ("--detail", "-d")

COMMANDS: dict[
    str,
    tuple[dict[str, tuple[str, str | None]], frozenset[str], tuple[str | None, str, int] | None],
] = {
    "routes": ({**_FACTOR, **_VIEW}, frozenset((*_ALL, *_DETAIL, *_CITED)), None),
    "compare": (
        {**_FACTOR, **_VIEW},
        frozenset((*_DETAIL, *_CITED)),
        ("subjects:routes+options", "route_names", -1),
    ),
    "kap-vs-talk": ({**_FACTOR, **_VIEW}, frozenset((*_DETAIL, *_CITED)), None),
    "options": (
        {**_FACTOR, **_VIEW},
        frozenset((*_DETAIL, *_CITED)),
        ("subjects:options", "option_names", -1),
    ),
    "questions": (_VIEW, frozenset(_VIEW_FLAGS), ("subjects:options", "option_names", -1)),
    "glossary": (_VIEW, frozenset(_VIEW_FLAGS), None),
    "factors": (_VIEW, frozenset(_VIEW_FLAGS), None),
    "choose": (
        {
            **_opt("prefer", "wish", "--prefer", "-p"),
            **_opt("need", "need", "--need", "-n"),
            **_VIEW,
        },
        frozenset(("--list", "-l", *_ALL, *_CITED)),
        None,
    ),
    "sources": (
        {**_opt("route", "subjects:routes", "--route", "-r"), **_FACTOR, **_VIEW},
        frozenset(_VIEW_FLAGS),
        None,
    ),
    "show": ({**_FACTOR, **_VIEW}, frozenset(_CITED), ("subjects:routes", "route_name", 1)),
    "conditions": (
        {**_FACTOR, **_VIEW},
        frozenset((*_ALL, *_CITED)),
        ("subjects:conditions", "condition_names", -1),
    ),
    "therapies": (
        {**_FACTOR, **_VIEW},
        frozenset((*_ALL, *_CITED)),
        ("subjects:therapies", "therapy_names", -1),
    ),
    "timeline": (_VIEW, frozenset((*_ALL, *_CITED)), ("subjects:routes", "route_names", -1)),
    "about": (_VIEW, frozenset(_VIEW_FLAGS), None),
    "validate": (_opt("data", None, "--data"), frozenset(_HELP), (None, "file", 1)),
    "schema": (_opt("output", None, "--output", "-o"), frozenset(("--force", *_HELP)), None),
}


def _split(line: str) -> list[str]:
    """The shell words of a line, as Click's split_arg_string reads them."""
    if any(c in line for c in "\"'\\"):
        import shlex  # quotes or escapes: the real thing (imports re, only here)

        lex = shlex.shlex(line, posix=True)
        lex.whitespace_split = True
        lex.commenters = ""
        out: list[str] = []
        try:
            out.extend(lex)
        except ValueError:  # an unclosed quote: keep the partial word, as Click does
            out.append(lex.token)
        return out
    for space in "\t\r\n":
        line = line.replace(space, " ")
    return [w for w in line.split(" ") if w]


def _request(shell: str, environ: Mapping[str, str]) -> tuple[list[str], str] | None:
    """(complete words after the program name, the word being typed), as Typer reads them."""
    if shell == "bash":
        words = _split(environ.get("COMP_WORDS", ""))
        try:
            cword = int(environ.get("COMP_CWORD", ""))
        except ValueError:
            return None
        return words[1:cword], (words[cword] if cword < len(words) else "")
    line = environ.get("_TYPER_COMPLETE_ARGS", "")
    words = _split(line)[1:]
    if words and not line.endswith(" "):
        return words[:-1], words[-1]
    return words, ""


def resolve(args: list[str], incomplete: str, bash: bool) -> Resolved | None:
    """What is being completed, the way Click resolves it: (kind, command, incomplete,
    values already given for it, the --data value). None: leave it to the Typer path."""
    if not args:
        if bash and (not incomplete or incomplete[0].isalnum()):
            return ("commands", "", incomplete, [], None)
        return None
    command, rest = args[0], list(args[1:])
    if command not in COMMANDS or "--" in rest:
        return None
    values_of, flags, argument = COMMANDS[command]
    if incomplete == "=":
        incomplete = ""
    elif "=" in incomplete and incomplete.startswith("-"):
        name, _, incomplete = incomplete.partition("=")
        rest.append(name)
    if incomplete.startswith("-"):
        return None  # option names: the Typer path
    given: dict[str, list[str]] = {}
    positional: list[str] = []
    i = 0
    while i < len(rest):
        word = rest[i]
        i += 1
        if not word.startswith("-") or word == "-":
            positional.append(word)
            continue
        name, eq, value = word.partition("=") if word.startswith("--") else (word, "", "")
        if name in flags and not eq:
            continue
        if name not in values_of:
            return None  # unknown, bundled (-af) or glued (-fonset): the Typer path
        if not eq:
            if i == len(rest):
                break  # the option waits for the word being typed
            value = rest[i]
            i += 1
        given.setdefault(values_of[name][0], []).append(value)
    data = given.get("data", [None])[-1]
    data = "." if data == "" else data  # Path("") is "."
    last = rest[-1] if rest else ""
    if last in values_of:  # the value of an option
        param, kind = values_of[last]
        if kind is None:
            return None  # a path
        return (kind, command, incomplete, given.get(param, []), data)
    if argument is not None and (argument[2] == -1 or not positional):
        if argument[0] is None:
            return None
        return (argument[0], command, incomplete, positional, data)
    if incomplete and not incomplete[0].isalnum():
        return None
    return ("nothing", command, incomplete, [], data)


def answer(environ: Mapping[str, str], out: IO[str]) -> int | None:
    """Answer a completion request without Typer: the exit code, or None when the Typer
    path must answer it."""
    action, _, shell = environ.get(COMPLETE_VAR, "").partition("_")
    if action != "complete" or shell not in ("bash", "zsh", "fish"):
        return None
    request = _request(shell, environ)
    if request is None:
        return None
    found = resolve(*request, bash=shell == "bash")
    if found is None:
        return None
    kind, command, incomplete, given, data = found
    if kind == "commands":
        words = [c for c in COMMANDS if c.startswith(incomplete)]
    elif kind == "nothing":
        words = []
    else:
        words = candidates(kind, command, data, given, incomplete, environ)
    return _reply(shell, words, environ, out)


def _reply(shell: str, words: list[str], environ: Mapping[str, str], out: IO[str]) -> int:
    """The words in the format of Typer's completion class for the shell."""
    if shell == "bash":
        text = "\n".join(words)
    elif shell == "zsh":
        quoted = "\n".join(f'"{_zsh_escape(w)}"' for w in words)
        text = f"_arguments '*: :(({quoted}))'" if words else "_files"
    else:
        action = environ.get("_TYPER_COMPLETE_FISH_ACTION", "")
        if action == "is-args":
            return 0 if words else 1
        text = "\n".join(words) if action == "get-args" and words else ""
    out.write(text + "\n")
    out.flush()
    return 0


def _zsh_escape(word: str) -> str:
    for old, new in (('"', '""'), ("'", "''"), ("$", "\\$"), ("`", "\\`"), (":", r"\\:")):
        word = word.replace(old, new)
    return word


if __name__ == "__main__":  # pragma: no cover - a debugging aid
    sys.exit(answer(os.environ, sys.stdout) or 0)
