"""Before you plan: a plan kind's lessons and failed assumptions in reading order.

A lesson written again in a later record is the strongest signal a checklist has, so items
repeated across records come first (most records first), then the newest. Repetition is the
same words, ignoring case, spacing and end punctuation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..records.corpus import Entry
from .link import LessonItem

_NOISE = re.compile(r"[\s.!;:,]+")


@dataclass(frozen=True)
class RankedItem:
    """One lesson (or failed assumption) and every record that wrote it, newest first."""

    text: str
    kind: str
    """"lesson" or "assumption"."""
    entries: list[Entry]
    notes: list[str]
    """What happened instead, for a failed assumption (one per record that gave a note)."""

    @property
    def count(self) -> int:
        """How many records wrote it."""
        return len(self.entries)

    @property
    def newest(self) -> Entry:
        """The latest record that wrote it."""
        return self.entries[0]


def _key(text: str) -> str:
    return _NOISE.sub(" ", text.lower()).strip()


def ranked(items: list[LessonItem], kind: str) -> list[RankedItem]:
    """The items of one kind, repeated ones first (most records first), then newest first."""
    groups: dict[str, list[LessonItem]] = {}
    for item in items:
        if item.kind == kind:
            groups.setdefault(_key(item.text), []).append(item)
    result = []
    for members in groups.values():
        members = sorted(members, key=lambda i: i.entry.sort_key, reverse=True)
        result.append(RankedItem(
            text=members[0].text, kind=kind,
            entries=list({i.entry.id: i.entry for i in members}.values()),
            notes=[i.note for i in members if i.note]))
    return sorted(result, key=lambda r: (-r.count, _order(r.newest)))


def _order(entry: Entry) -> tuple[int, str]:
    # Newest first: negate the date's ordinal; the id breaks ties the same way every build.
    return (-entry.date.toordinal(), entry.id)
