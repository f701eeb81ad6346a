"""The `ketacompare` command: answer shell completion fast, else run the Typer app.

Kept tiny: this module is imported on every run, TAB presses included, before anything
else of ketacompare. `main(argv, env)` is the one entry: the console script calls it with
nothing (this process's arguments, streams and variables); tests pass their own.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # not `from typing import`: typing costs ~5 ms, on every TAB
if TYPE_CHECKING:
    from ketacompare.output import Env


def main(argv: list[str] | None = None, env: Env | None = None) -> int:
    """Run ketacompare; returns the exit code. Never raises, Ctrl-C included."""
    try:
        environ = os.environ if env is None else env.environ
        if "_KETACOMPARE_COMPLETE" in environ:
            from ketacompare.completion import answer

            out = sys.stdout if env is None else env.stdout
            code = None if out is None else answer(environ, out)
            if code is not None:
                return code
        from ketacompare.cli import run

        return run(argv, env)
    except KeyboardInterrupt:  # Ctrl-C while still importing: quiet, as everywhere else
        return 130
