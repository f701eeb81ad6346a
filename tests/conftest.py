"""Shared test helpers: run the real CLI with a fixed terminal, and build data files."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner, Result

from ketacompare.cli import app

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

Run = Callable[..., Result]


@pytest.fixture
def run() -> Run:
    """run("compare", "iv", "im", width=100, env={...}) -> click Result (stdout/stderr apart)."""
    runner = CliRunner()

    def _run(*args: str, env: dict[str, str] | None = None, width: int = 120) -> Result:
        base = {"COLUMNS": str(width), "NO_COLOR": "1", "TERM": "xterm", "KETACOMPARE_DATA": ""}
        return runner.invoke(app, list(args), env=base | (env or {}))

    return _run


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
