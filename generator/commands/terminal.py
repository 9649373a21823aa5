"""Progress drawn on a terminal with rich; silence everywhere else.

The pipeline only knows the `Progress` interface; this is the command line's side of it.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from ..progress import QUIET, Progress


class TerminalProgress:
    """One line per stage on stderr: what was done, how many of how many, and when."""

    def __init__(self, stream: TextIO) -> None:
        from rich.console import Console

        self._console = Console(file=stream, highlight=False)
        self._start = time.perf_counter()

    def stage(self, name: str, done: int, total: int) -> None:
        """Print the stage's count and the seconds since the run began."""
        mark = "✓" if done >= total else "…"
        elapsed = time.perf_counter() - self._start
        self._console.print(f"[green]{mark}[/] {name} [bold]{done}/{total}[/] "
                            f"[dim]({elapsed:.1f} s)[/]")


def progress_for(quiet: bool) -> Progress:
    """Terminal progress when both outputs are a terminal and not ``--quiet``; else none.

    Captured or piped output (CI logs, tests that compare output) never carries progress.
    """
    if quiet or not (sys.stdout.isatty() and sys.stderr.isatty()):
        return QUIET
    return TerminalProgress(sys.stderr)
