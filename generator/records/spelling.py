"""Near spellings: a team id mistyped in a retro's file name, and the record id a reference
to a missing record most likely meant.

`generator.records.taxonomy.did_you_mean` scores any word against any vocabulary by
`difflib` alone. A record id is more than a word: it starts with the month or quarter it
is of, and a knowledge base holds one record of that name for every month. Scored as a
word, a misspelt id is about as close to the same name a year later as to its own month's,
and a tie went to the id that sorts last (the later year); so ids are compared within their
own period first.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from .taxonomy import did_you_mean

_PERIOD = re.compile(r"(\d{4})-(?:(\d{2})|q([1-4]))-")
"""A record id's period: ``2026-05-`` (a retro's or post-mortem's month), ``2026-q2-``."""

_CLOSE = 0.6
"""How alike two names must be (`difflib`'s ratio) for one to be suggested for the other,
as `did_you_mean` asks."""


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


def _period(record_id: str) -> tuple[str, int] | None:
    """The period an id starts with, as written (``2025-07``, ``2025-q3``), and its month
    counted from year 0 (a quarter's first month), for telling which period is nearer."""
    found = _PERIOD.match(record_id)
    if found is None:
        return None
    year, month, quarter = found.groups()
    first = int(month) if month else (int(quarter) - 1) * 3 + 1
    return found.group(0), int(year) * 12 + first - 1


def did_you_mean_record(word: str, record_ids: Iterable[str]) -> str:
    """The hint for a reference to a record that does not exist: the id of the same period
    whose name after it is closest, else the closest id, a tie going to the nearest period.
    Otherwise as `did_you_mean` (the start of one id, or a few ids listed)."""
    ids = sorted(set(record_ids))
    own = _period(word)
    if own is not None:
        # `2025-07-the-apollo-launch` meant `2025-07-apollo-launch`, not
        # `2026-07-the-apollo-relaunch`, though the latter is as many letters away.
        prefix = own[0]
        rest = word[len(prefix):]
        same = {record_id[len(prefix):]: record_id for record_id in ids
                if record_id.startswith(prefix)}
        close = difflib.get_close_matches(rest, list(same), n=1, cutoff=_CLOSE)
        if close:
            return f"did you mean {same[close[0]]}?"
    scored = [(difflib.SequenceMatcher(None, record_id, word).ratio(), record_id)
              for record_id in ids]
    best = max((score for score, _ in scored), default=0.0)
    if own is None or best < _CLOSE:
        return did_you_mean(word, ids)

    def distance(record_id: str) -> int:
        period = _period(record_id)
        return abs(period[1] - own[1]) if period is not None else 1 << 30

    tied = [record_id for score, record_id in scored if score == best]
    return f"did you mean {min(tied, key=lambda record_id: (distance(record_id), record_id))}?"
