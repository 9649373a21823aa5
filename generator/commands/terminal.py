"""Progress drawn on a terminal with rich; silence everywhere else.

The pipeline only knows the `Progress` interface; this is the command line's side of it.
"""

from __future__ import annotations

import codecs
import sys
import time
from typing import TextIO

from ..progress import QUIET, Progress

BY_CELLS = "hindsight.by-cells"
"""The encoding error handler of an output that cannot show every character: `_by_cells`."""


def _by_cells(error: UnicodeError) -> tuple[str, int]:
    """A character the output's encoding has no byte for as one ``?`` per column it takes
    (two for a CJK character, none for a combining mark), so a table rich measured with it
    stays aligned."""
    if not isinstance(error, UnicodeEncodeError):
        raise error
    import unicodedata

    shown = "".join("" if unicodedata.combining(c) else
                    "??" if unicodedata.east_asian_width(c) in ("W", "F") else "?"
                    for c in error.object[error.start:error.end])
    return shown, error.end


def printable_output() -> None:
    """Make stdout and stderr take any text. Under a locale that says ASCII (``LC_ALL=C``
    with UTF-8 mode and locale coercion off), `actions` ended in a UnicodeEncodeError
    traceback at the first Japanese title rich printed, while click.echo, which every other
    command prints with, writes UTF-8 there: both now write UTF-8, as CI logs read it. Under
    another encoding that lacks characters (cp1252, EUC-JP), a character it cannot write is
    `_by_cells`' ``?`` instead of a traceback."""
    try:
        codecs.lookup_error(BY_CELLS)
    except LookupError:
        codecs.register_error(BY_CELLS, _by_cells)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        try:
            encoding = codecs.lookup(getattr(stream, "encoding", None) or "").name
        except LookupError:
            continue
        if reconfigure is None or encoding == "utf-8":
            continue
        if encoding == "ascii":
            reconfigure(encoding="utf-8", errors="replace")  # what click.echo writes
        else:
            reconfigure(errors=BY_CELLS)


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
