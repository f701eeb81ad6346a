"""Where output goes: the injected environment (streams, width, colour) and safe writes."""

from __future__ import annotations

import dataclasses
import errno
import io
import os
import re
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ketacompare.errors import KetacompareError, UsageError
from ketacompare.text import one_line, to_encoding

if TYPE_CHECKING:
    from ketacompare.render import Format

PIPED_WIDTH = 80  # when stdout is not a terminal and COLUMNS is not set
# Views are drawn cell by cell: COLUMNS=100000000 took gigabytes and minutes (issue 14).
# No screen is wider than this; lines of text never need more.
MAX_WIDTH = 1_000


@dataclass(frozen=True, slots=True)
class Env:
    """Everything a run touches outside itself, like httpie's Environment: the streams,
    the environment variables, and the terminal's size, colour and character set worked
    out from them. `main(argv, env)` takes one; tests build one with `Env.build`."""

    stdin: TextIO
    stdout: TextIO
    stderr: TextIO
    environ: Mapping[str, str]
    width: int
    color: bool
    ascii: bool
    encoding: str
    tty: bool = False
    height: int = 24

    @classmethod
    def build(
        cls,
        environ: Mapping[str, str] | None = None,
        stdin: TextIO | None = None,
        stdout: TextIO | None = None,
        stderr: TextIO | None = None,
    ) -> Env:
        """This process's streams and variables, or the ones given (None: this process's).
        A closed standard stream (None in sys) becomes one that says so when written."""
        environ = os.environ if environ is None else environ
        stdout = stdout or sys.stdout or ClosedStream("standard output")
        tty = _isatty(stdout)
        encoding = (getattr(stdout, "encoding", None) or "utf-8").lower()
        dumb = environ.get("TERM") == "dumb"
        # no-color.org: NO_COLOR set to any non-empty value turns colour off.
        color = tty and not dumb and not environ.get("NO_COLOR")
        width, height = _size(environ, stdout, tty)
        utf = encoding.replace("-", "").startswith("utf")
        return cls(
            stdin=stdin or sys.stdin or io.StringIO(),
            stdout=stdout,
            stderr=stderr or sys.stderr or ClosedStream("standard error"),
            environ=environ,
            width=min(max(width, 20), MAX_WIDTH),
            color=color,
            ascii=dumb or _c_locale(environ) or not utf,
            encoding=encoding,
            tty=tty,
            height=height,
        )

    @classmethod
    def from_system(cls, no_color: bool = False) -> Env:
        """The environment of the running command (`main`'s), with --no-color applied."""
        env = _CURRENT.get() or cls.build()
        return dataclasses.replace(env, color=False) if no_color and env.color else env


_CURRENT: ContextVar[Env | None] = ContextVar("ketacompare_env", default=None)


@contextmanager
def installed(env: Env) -> Iterator[Env]:
    """Run with `env` as the environment: ours reads it with Env.from_system(); Click and
    Typer read sys.std* and os.environ themselves (help, usage errors, completion), so
    those are swapped for the run too, and put back after."""
    token = _CURRENT.set(env)
    saved = (sys.stdin, sys.stdout, sys.stderr)
    # Only the variables that differ are changed (each change is a putenv call).
    changed = {} if env.environ is os.environ else _apply(env.environ)
    sys.stdin, sys.stdout, sys.stderr = env.stdin, env.stdout, env.stderr
    try:
        yield env
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
        _apply(
            {k: v for k, v in changed.items() if v is not None},
            drop=[k for k, v in changed.items() if v is None],
        )
        _CURRENT.reset(token)


def _apply(environ: Mapping[str, str], drop: Iterable[str] | None = None) -> dict[str, str | None]:
    """Make os.environ equal `environ` (or, with `drop`, set these and remove those).
    Returns what each changed variable was before (None: it was not set)."""
    before: dict[str, str | None] = {}
    removed = [k for k in os.environ if k not in environ] if drop is None else list(drop)
    for key in removed:
        before[key] = os.environ.pop(key, None)
    for key, value in environ.items():
        if os.environ.get(key) != value:
            before[key] = os.environ.get(key)
            os.environ[key] = value
    return before


class ClosedStream(io.TextIOBase):
    """Stands for a standard stream the process was started without (`>&-`)."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, f"{self.name} is closed")

    def writable(self) -> bool:
        return True


def _size(environ: Mapping[str, str], stdout: TextIO, tty: bool) -> tuple[int, int]:
    """(columns, lines): COLUMNS/LINES when set, else the terminal's size; piped output
    is 80 columns wide unless COLUMNS says otherwise."""
    columns = _env_int(environ, "COLUMNS")
    lines = _env_int(environ, "LINES")
    if tty and (columns is None or lines is None):
        try:
            size = os.get_terminal_size(stdout.fileno())
            columns = columns or size.columns or None
            lines = lines or size.lines or None
        except (OSError, ValueError, AttributeError):
            pass
    return columns or PIPED_WIDTH, lines or 24


def _env_int(environ: Mapping[str, str], name: str) -> int | None:
    try:
        value = int(environ.get(name, ""))
    except ValueError:
        return None
    return value if value > 0 else None


# File extension -> format, for `-o FILE` without --format.
EXTENSIONS = {
    ".html": "html",
    ".htm": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".csv": "csv",
    ".json": "json",
    ".txt": "table",
}


def format_for(fmt: Format | None, target: str | os.PathLike[str] | None) -> Format:
    """The format asked for; else the one the --output file's extension names; else table.

    An extension we do not know is an error rather than a guess: a table written into
    `handout.pdf` would look like a broken file.
    """
    from ketacompare.render import Format

    if fmt is not None:
        return fmt
    if target is None or os.fspath(target) == "-":
        return Format.TABLE
    if os.fspath(target).endswith(("/", os.sep)):
        return Format.TABLE  # write_file then says it names a folder
    output = Path(target)
    suffix = output.suffix.lower()
    if output.is_dir() or output.is_symlink() or (output.exists() and not output.is_file()):
        return Format.TABLE  # write_file then names the real problem (a folder, a link)
    if suffix in EXTENSIONS:
        return Format(EXTENSIONS[suffix])
    known = ", ".join(EXTENSIONS)
    what = f"extension '{one_line(suffix)}'" if suffix else "no extension"
    raise UsageError(
        f"cannot tell the format of --output {one_line(output, None)}: it has {what}. "
        f"Use one of {known}, or add --format (table, json, csv, markdown, html)."
    )


def _c_locale(environ: Mapping[str, str]) -> bool:
    """LANG=C / LC_ALL=POSIX: the terminal may not show box drawing, even though Python
    itself writes UTF-8 there (PEP 538/540 coerce the C locale to C.UTF-8)."""
    names = ["LC_ALL", "LC_CTYPE", "LANG"]
    if sys.flags.utf8_mode and environ.get("LC_CTYPE") == "C.UTF-8":
        names.remove("LC_CTYPE")  # most likely set by that coercion, not by the user
    chosen = next((environ[n] for n in names if environ.get(n)), "")
    return chosen in ("C", "POSIX")


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def emit(
    text: str,
    env: Env,
    output: str | os.PathLike[str] | None = None,
    force: bool = False,
    pager: bool = True,
    data: Path | None = None,
) -> None:
    """Write to --output atomically (never a half-written file), or to stdout; through a
    pager when stdout is a terminal and the text is taller than it. `data` is the data file
    the command read: --output may never replace it."""
    if not text.endswith("\n"):
        text += "\n"
    if output is None or os.fspath(output) == "-":  # `-o -` is stdout, as usual
        text = to_encoding(text, env.encoding)
        if pager and env.tty and text.count("\n") > env.height - 1:
            from ketacompare.pager import page

            if page(text, env.encoding):
                return
        try:
            env.stdout.write(text)
            env.stdout.flush()
        except BrokenPipeError:
            raise  # the reader left (`| head`): the CLI ends quietly
        except OSError as exc:
            raise WriteError(exc) from None
        return
    write_file(output, text, force, data)


class WriteError(KetacompareError):
    """Standard output cannot take the text: a full disk, /dev/full, a closed stream."""

    def __init__(self, exc: OSError) -> None:
        reason = one_line(exc.strerror or exc, 80)
        super().__init__(
            f"could not write to standard output ({reason}). Check where the output goes, "
            "or write it to a file with --output."
        )


# Temporary files are named for the process writing them, so a later run can tell one
# left behind by a killed write (its process is gone) and remove it.
_TMP = ".ketacompare-"
_STALE = re.compile(r"\.ketacompare-(\d+)-[^.]*\.tmp$")
_STALE_AGE = 60.0  # seconds; a live write takes milliseconds
_NAME_PART = 40  # characters of the target's name kept in the temporary name


def write_file(
    target: str | os.PathLike[str], text: str, force: bool, data: Path | None = None
) -> None:
    """Write via a temporary file in the same folder, then rename: a reader sees the old
    file or the whole new one, never half of it. Without force, never replace a file."""
    import tempfile

    path = Path(target)
    shown = one_line(os.fspath(target), None)  # a shortened path names another place
    if path.is_dir():
        raise UsageError(f"--output {shown} is a directory; give a file name.")
    if os.fspath(target).endswith(("/", os.sep)):
        # Path() drops a trailing '/', which would write a file named like the folder.
        raise UsageError(
            f"--output {shown} names a folder (it ends in '/'); give a file name, "
            f"e.g. {shown.rstrip('/' + os.sep)}/out.txt."
        )
    if path.is_symlink() or (path.exists() and not path.is_file()):
        # Renaming over a link, pipe or device would replace it, not write into it.
        raise UsageError(
            f"--output {shown} is not a regular file (a link, pipe or device); "
            "give a plain file name, or redirect stdout with '>' instead."
        )
    if data is not None and path.exists() and _same_file(path, data):
        raise UsageError(
            f"--output {shown} is the data file this command reads; "
            "writing there would destroy it. Give another file name."
        )
    if path.exists() and not force:
        raise UsageError(_exists(shown))
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"--output {shown}: the folder {one_line(folder, None)} does not exist.")
    _remove_stale(folder)
    try:
        fd, tmp = tempfile.mkstemp(
            prefix=f".{path.name[:_NAME_PART]}{_TMP}{os.getpid()}-", suffix=".tmp", dir=folder
        )
    except OSError as exc:
        raise UsageError(f"--output {shown}: cannot write there ({exc.strerror}).") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file private (0600); give it the mode a new file would get,
        # or keep the mode of the file it replaces.
        os.chmod(tmp, _mode(path))
        _place(tmp, path, force, shown)
    except OSError as exc:
        raise UsageError(
            f"--output {shown}: could not write the file ({exc.strerror or exc}); "
            "nothing was written."
        ) from None
    finally:
        Path(tmp).unlink(missing_ok=True)


def _same_file(path: Path, other: Path) -> bool:
    try:
        return os.path.samefile(path, other)
    except OSError:
        return False


def _remove_stale(folder: Path) -> None:
    """Remove temporary files of ours whose writing process no longer runs (killed)."""
    import time

    try:
        entries = [e for e in os.scandir(folder) if _TMP in e.name]
    except OSError:
        return
    now = time.time()
    for entry in entries:
        match = _STALE.search(entry.name)
        if match is None or not entry.name.startswith("."):
            continue
        try:
            if now - entry.stat(follow_symlinks=False).st_mtime < _STALE_AGE:
                continue
            if _running(int(match.group(1))):
                continue
            os.unlink(entry.path)
        except (OSError, ValueError):
            continue  # gone already, or not ours to remove


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return pid > 0  # exists, owned by someone else
    return pid > 0


def _exists(shown: str) -> str:
    return f"--output {shown} already exists. Add --force to overwrite it."


def _mode(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _place(tmp: str, path: Path, force: bool, shown: str) -> None:
    if force:
        os.replace(tmp, path)
        return
    # A hard link fails if the name exists, so a file that appeared since the check
    # above is still never overwritten. Some file systems have no hard links.
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise UsageError(_exists(shown)) from None
    except OSError:
        if path.exists():
            raise UsageError(_exists(shown)) from None
        os.replace(tmp, path)
