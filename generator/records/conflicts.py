"""Merge-conflict markers left in a file by git.

A record or taxonomy.yml saved with a conflict still in it read as valid text: in a body
both sides were published (and indexed for search), and in YAML the parser failed a line
below the marker, on a field that had nothing wrong with it. Only the markers git writes
are taken for one: a line of exactly seven ``<`` (then a space or the line's end), later a
line of exactly seven ``=``, later one of exactly seven ``>``. A ``=======`` line alone is a
Markdown heading's underline, and is not one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_OURS = re.compile(r"<{7}(?:[ \t].*)?")
_SPLIT = re.compile(r"={7}[ \t]*")
_THEIRS = re.compile(r">{7}(?:[ \t].*)?")

HINT = "keep one side, delete the marker lines, then commit"


@dataclass(frozen=True)
class Conflict:
    """A conflict's block: the lines (from 1) of its ``<<<<<<<`` and its ``>>>>>>>``."""

    start: int
    end: int


def conflicts(text: str) -> list[Conflict]:
    """Every complete conflict block in ``text`` (``<<<<<<<``, ``=======``, ``>>>>>>>``, in
    that order, each a whole line as git writes it), first to last."""
    found: list[Conflict] = []
    start: int | None = None
    split = False
    for number, line in enumerate(text.split("\n"), start=1):
        if _OURS.fullmatch(line):
            start, split = number, False  # a new opening: any earlier one was not a block
        elif start is not None and _SPLIT.fullmatch(line):
            split = True
        elif start is not None and split and _THEIRS.fullmatch(line):
            found.append(Conflict(start, number))
            start, split = None, False
    return found


def message(found: list[Conflict]) -> str:
    """What the error says of the conflicts found (at least one)."""
    first = found[0]
    more = len(found) - 1
    also = f", and {more} more conflict{'s' * (more != 1)} below" if more else ""
    return (f"a merge conflict is left in this file (lines {first.start}\u2013{first.end}: "
            f"<<<<<<< \u2026 >>>>>>>{also})")
