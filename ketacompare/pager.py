"""Page long terminal output as git does: $PAGER, else `less -R`.

Only called when stdout is a terminal and the text is taller than it. Quitting the pager
early is a normal, quiet end. If no pager can be started, the caller prints the text.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess


def pager_command() -> list[str] | None:
    """The pager to run, or None for none ($PAGER set to '' or 'cat')."""
    value = os.environ.get("PAGER")
    if value is None:
        return ["less", "-R"]
    try:
        words = shlex.split(value)
    except ValueError:
        words = value.split()
    if not words or words == ["cat"]:
        return None
    return words


def page(text: str, encoding: str) -> bool:
    """Show `text` in the pager; True when it was shown (or the reader quit early)."""
    command = pager_command()
    if command is None:
        return False
    env = dict(os.environ)
    # As git does: quit at once if it fits one screen, keep colours, leave the screen as is.
    env.setdefault("LESS", "FRX")
    env.setdefault("LV", "-c")
    try:
        proc = subprocess.Popen(command, stdin=subprocess.PIPE, env=env)
    except OSError:
        return False  # no such pager: print instead
    # Ctrl-C belongs to the pager while it runs (less uses it to stop a search).
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        assert proc.stdin is not None
        try:
            proc.stdin.write(text.encode(encoding, "replace"))
            proc.stdin.close()
        except (BrokenPipeError, OSError):
            pass  # the reader quit before reading it all: that is fine
        proc.wait()
    finally:
        signal.signal(signal.SIGINT, previous)
    return True
