"""Shared test helpers: run the real CLI with a fixed terminal, and build data files."""

from __future__ import annotations

import atexit
import io
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from ketacompare import loader
from ketacompare.entry import main
from ketacompare.output import Env

# Tests expect a UTF-8 terminal unless they set a locale themselves: a machine running
# with LANG=C would otherwise switch every table to ASCII borders.
os.environ["LANG"] = "C.UTF-8"
for _var in ("LC_ALL", "LC_CTYPE"):
    if "utf" not in os.environ.get(_var, "utf").lower().replace("-", ""):
        del os.environ[_var]

# Shell completion's names cache goes to a folder of this run, never the user's own.
_CACHE = tempfile.mkdtemp(prefix="ketacompare-test-cache-")
os.environ["XDG_CACHE_HOME"] = _CACHE
atexit.register(shutil.rmtree, _CACHE, True)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
MINI = FIXTURES / "mini.yaml"
SHIPPED = ROOT / "data" / "routes.yaml"


@pytest.hookimpl(tryfirst=True)
def pytest_cmdline_main(config: pytest.Config) -> None:
    """The whole default run (`pytest` with no paths) spreads over the cores when
    pytest-xdist is installed; a run of chosen files, or with -n given, is left alone."""
    whole = config.args_source == pytest.Config.ArgsSource.TESTPATHS
    if (
        whole
        and config.pluginmanager.hasplugin("xdist")
        and getattr(config.option, "numprocesses", 0) is None
        and not hasattr(config, "workerinput")
    ):
        config.option.numprocesses = "auto"


# The shipped file is checked by hundreds of tests, at ~70 ms a time. check() is a pure
# function of the text, so its result for that one text is kept (a copy of the problem
# list each time). Other texts, which tests make and change, are always checked afresh.
_SHIPPED_TEXT = SHIPPED.read_text(encoding="utf-8-sig") if SHIPPED.is_file() else None
_check = loader.check
_shipped_result: list[Any] = []


def _check_shipped_once(text: str) -> Any:
    if text != _SHIPPED_TEXT:
        return _check(text)
    if not _shipped_result:
        _shipped_result.append(_check(text))
    dataset, problems = _shipped_result[0]
    return dataset, list(problems)


loader.check = _check_shipped_once


@dataclass
class Result:
    """What a run of the real `main` left behind."""

    exit_code: int
    stdout_bytes: bytes
    stderr: str
    exception: BaseException | None = None  # raised out of main (KETACOMPARE_DEBUG=1)

    @property
    def stdout(self) -> str:
        """As text, CRLF read as LF (as Click's runner does; CSV tests read the bytes)."""
        return self.stdout_bytes.decode("utf-8", "replace").replace("\r\n", "\n")

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


Run = Callable[..., Result]


def invoke(
    *args: str, env: dict[str, str] | None = None, width: int = 120, stdin: str = ""
) -> Result:
    """The real `main(argv, env)` with a test environment: in-memory streams, a fixed
    terminal (not a TTY, no colour), this process's variables plus `env`."""
    base = {"COLUMNS": str(width), "NO_COLOR": "1", "TERM": "xterm", "KETACOMPARE_DATA": ""}
    environ = {**os.environ, **base, **(env or {})}
    environ = {k: v for k, v in environ.items() if v is not None}
    raw = io.BytesIO()
    stdout = io.TextIOWrapper(raw, encoding="utf-8", newline="", write_through=True)
    stderr = io.StringIO()
    test_env = Env.build(environ, io.StringIO(stdin), stdout, stderr)
    exception: BaseException | None = None
    try:
        code = main(list(args), test_env)
    except Exception as exc:  # only with KETACOMPARE_DEBUG=1
        code, exception = 1, exc
    stdout.flush()
    return Result(code, raw.getvalue(), stderr.getvalue(), exception)


@pytest.fixture
def run() -> Run:
    """run("compare", "iv", "im", width=100, env={...}) -> Result (stdout/stderr apart)."""
    return invoke


def schema_errors(schema: dict[str, Any], value: Any) -> list[tuple[str, str]]:
    """Where `value` breaks the JSON Schema, by the jsonschema library (draft-07, as
    published): (JSON path, failing keyword) per error; [] when it conforms."""
    from jsonschema import Draft7Validator

    return [(e.json_path, str(e.validator)) for e in Draft7Validator(schema).iter_errors(value)]


def mini_raw() -> dict[str, Any]:
    """The small fixture as plain data, to change and write back in a test."""
    return yaml.safe_load(MINI.read_text(encoding="utf-8"))


@pytest.fixture
def write_data(tmp_path: Path) -> Callable[[Any], Path]:
    """write_data(dict_or_text) -> path of a new data file in tmp_path."""
    counter = iter(range(1000))

    def _write(content: Any) -> Path:
        path = tmp_path / f"data{next(counter)}.yaml"
        text = content if isinstance(content, str) else yaml.safe_dump(content, sort_keys=False)
        path.write_text(text, encoding="utf-8")
        return path

    return _write


def on_a_terminal(argv: list[str], env: dict[str, str]) -> tuple[str, int, bytes]:
    """Run argv with stdout on a pseudo-terminal: (what the terminal got, exit code, stderr)."""
    import pty
    import subprocess

    master, slave = pty.openpty()
    try:
        proc = subprocess.Popen(
            argv, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=slave, stderr=subprocess.PIPE
        )
        os.close(slave)
        chunks = []
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        _, err = proc.communicate(timeout=60)
    finally:
        os.close(master)
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n"), proc.returncode, err
