"""Near spellings: a team id mistyped in a retro's file name (``2026-05-marketting``)."""

from __future__ import annotations

from collections.abc import Iterable


def edit_distance(a: str, b: str) -> int:
    """Letters to add, drop, change or swap with their neighbour to turn ``a`` into ``b``
    (``marketting`` → ``marketing``: 1; ``salse`` → ``sales``: 1)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, letter in enumerate(a, 1):
        row = [i]
        for j, other in enumerate(b, 1):
            cost = 0 if letter == other else 1
            best = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and letter == b[j - 2] and a[i - 2] == other:
                best = min(best, previous2[j - 2] + 1)  # two neighbours swapped
            row.append(best)
        previous2, previous = previous, row
    return previous[-1]


def near_spelling(word: str, known: Iterable[str]) -> str | None:
    """The one of ``known`` that ``word`` is a slip of the keyboard away from: one letter
    added, dropped, changed or swapped (two in a name of eight letters or more). Names
    shorter than four letters are left alone: at one letter apart they are other words
    (``ops``, ``ps``). None when none is that close, or when two are."""
    if len(word) < 4:
        return None
    close = [name for name in known if len(name) >= 4 and name != word
             and edit_distance(word, name) <= (2 if len(name) >= 8 else 1)]
    return close[0] if len(close) == 1 else None
