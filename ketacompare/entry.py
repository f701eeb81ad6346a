"""The `ketacompare` command: answer shell completion fast, else run the Typer app.

Kept tiny: this module is imported on every run, TAB presses included, before anything
else of ketacompare.
"""

from __future__ import annotations

import os
import sys


def main() -> int:
    """Console-script entry point."""
    try:
        if "_KETACOMPARE_COMPLETE" in os.environ:
            from ketacompare.completion import answer

            code = answer(os.environ, sys.stdout)
            if code is not None:
                return code
        from ketacompare.cli import main as run

        return run()
    except KeyboardInterrupt:  # Ctrl-C while still importing: quiet, as everywhere else
        return 130
