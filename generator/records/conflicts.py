"""Merge-conflict markers left in a file by git.

A record or taxonomy.yml saved with a conflict still in it read as valid text: in a body
both sides were published (and indexed for search), and in YAML the parser failed a line
below the marker, on a field that had nothing wrong with it. Only the markers git writes
are taken for one: a line of exactly seven ``<`` (then a space or the line's end), later a
line of exactly seven ``=``, later one of exactly seven ``>``. A ``=======`` line alone is a
Markdown heading's underline, and is not one.

In Markdown (a record, a hand-written page) a block wholly inside one fenced code block
(```` ``` ```` or ``~~~``, any length, up to the same fence closing it) is text: a post-mortem of a bad
merge quotes one. A block only partly inside a fence is still a conflict: git's own markers
around two versions of a fence line leave the fence's lines on either side of them.

A block wholly inside a fence is a conflict too when git has the file unmerged (a merge
stopped on it and it was not marked resolved): two people who edited the same lines of a
fenced code block leave their markers inside it, and those were published as the code.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

_OURS = re.compile(r"<{7}(?:[ \t].*)?")
_SPLIT = re.compile(r"={7}[ \t]*")
_THEIRS = re.compile(r">{7}(?:[ \t].*)?")
# A fence as the site's Markdown (Python-Markdown's fenced_code, pymdownx.superfences) reads
# one at the top level: at the line's start, three or more backticks (no backtick in the info
# string after them) or tildes; closed by the very same run of characters alone on its line.
_OPENING = re.compile(r"(?:(`{3,})[^`]*|(~{3,}).*)")
_FRONT_MATTER = re.compile(r"-{3,}\s*")

HINT = "keep one side, delete the marker lines, then commit"
FENCED_HINT = (f"{HINT}; if these lines are quoted on purpose, git add the file to mark it "
               "resolved")
"""The hint where the conflict is inside a fenced code block of a file git has unmerged."""


@dataclass(frozen=True)
class Conflict:
    """A conflict's block: the lines (from 1) of its ``<<<<<<<`` and its ``>>>>>>>``."""

    start: int
    end: int
    fenced: bool = False
    """Whether it lies wholly inside a fenced code block (of a file git has unmerged)."""


def conflicts(text: str, markdown: bool = False, unmerged: bool = False) -> list[Conflict]:
    """Every complete conflict block in ``text`` (``<<<<<<<``, ``=======``, ``>>>>>>>``, in
    that order, each a whole line as git writes it), first to last. With ``markdown``, not
    one that lies wholly inside a fenced code block of the body (after any front matter),
    unless git has the file ``unmerged``: such a block is then one, marked `Conflict.fenced`."""
    lines = text.split("\n")
    found = _blocks(lines)
    if not markdown or not found:
        return found
    fences = _fences(lines)
    marked = [Conflict(block.start, block.end,
                       any(opening < block.start and block.end < closing
                           for opening, closing in fences))
              for block in found]
    return marked if unmerged else [block for block in marked if not block.fenced]


def unmerged_files(root: Path) -> frozenset[str]:
    """The files under ``root`` that git has unmerged (``git ls-files -u``: a merge stopped
    on their conflicts and they were not marked resolved), relative to ``root`` with forward
    slashes; none where ``root`` is in no git work tree or git cannot be run. Asked once per
    run: git reads only its index."""
    try:
        proc = subprocess.run(["git", "ls-files", "-u", "-z"], cwd=root, capture_output=True,
                              timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    if proc.returncode != 0:
        return frozenset()
    # Each entry is "<mode> <object> <stage>\t<path>", one per side of the file.
    return frozenset(os.fsdecode(entry.split(b"\t", 1)[1]).replace(os.sep, "/")
                     for entry in proc.stdout.split(b"\0") if b"\t" in entry)


def _blocks(lines: list[str]) -> list[Conflict]:
    """Every complete conflict block among ``lines``, fences or not."""
    found: list[Conflict] = []
    start: int | None = None
    split = False
    for number, line in enumerate(lines, start=1):
        if _OURS.fullmatch(line):
            start, split = number, False  # a new opening: any earlier one was not a block
        elif start is not None and _SPLIT.fullmatch(line):
            split = True
        elif start is not None and split and _THEIRS.fullmatch(line):
            found.append(Conflict(start, number))
            start, split = None, False
    return found


def _fences(lines: list[str]) -> list[tuple[int, int]]:
    """The lines (from 1) of each closed fenced code block's opening and closing fence, in a
    Markdown file's body. A fence never closed is left out: Python-Markdown renders none, and
    reading it to the file's end would hide every conflict below it."""
    first = 0
    if lines and _FRONT_MATTER.fullmatch(lines[0]):  # front matter is YAML: no fences there
        first = next((n for n in range(1, len(lines)) if _FRONT_MATTER.fullmatch(lines[n])),
                     len(lines)) + 1
    spans: list[tuple[int, int]] = []
    fence = ""
    opened = 0
    for index in range(first, len(lines)):
        line = lines[index]
        if not fence:
            match = _OPENING.fullmatch(line)
            if match:
                fence, opened = match.group(1) or match.group(2), index + 1
            continue
        if line.rstrip(" \t") == fence:
            spans.append((opened, index + 1))
            fence = ""
    return spans


def message(found: list[Conflict]) -> str:
    """What the error says of the conflicts found (at least one)."""
    first = found[0]
    more = len(found) - 1
    also = f", and {more} more conflict{'s' * (more != 1)} below" if more else ""
    fenced = (", inside a fenced code block; git has the file unmerged" if first.fenced
              else "")
    return (f"a merge conflict is left in this file (lines {first.start}\u2013{first.end}: "
            f"<<<<<<< \u2026 >>>>>>>{fenced}{also})")


def hint(found: list[Conflict]) -> str:
    """What the error's hint says of the conflicts found (at least one)."""
    return FENCED_HINT if found[0].fenced else HINT
