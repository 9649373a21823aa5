"""How long work reports its progress, without the core knowing about terminals.

The pipeline calls a `Progress` at the end of each stage; the command line passes one that
draws on a terminal, everything else passes nothing (`QUIET`) and stays silent.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """Told when a stage of a long run has done ``done`` of its ``total`` items."""

    def stage(self, name: str, done: int, total: int) -> None:
        """Report ``done`` of ``total`` items of the stage ``name`` (e.g. "charts drawn")."""


class _Quiet:
    """Reports nothing: tests, the MkDocs plugin, captured output."""

    def stage(self, name: str, done: int, total: int) -> None:
        """Ignore the report."""


QUIET: Progress = _Quiet()
"""The progress that says nothing."""
