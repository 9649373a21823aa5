"""Before you plan: a plan kind's lessons and failed assumptions in reading order.

A lesson written again in a later record is the strongest signal a checklist has, so items
repeated across records come first (most records first), then the newest. A lesson is
repeated when it is a near-duplicate of a newer one (`similarity`), so the site's checklists
and ``hindsight plan`` and ``recall``, which all read this order, count the same lessons; a
failed assumption when it is the same words, ignoring case, spacing and end punctuation, with
its amounts read as lessons' are (`similarity.plain_amounts`: "€10k" is "€10,000").

A repeated lesson reads as the wording that says the most (`similarity.content`: the
characters of its words), the newest of those that say as much: the newest wording alone let
a terse repeat stand for the detailed one it repeated ("Give every automated sequence an owner
and a review date." for "Every automated sequence needs a named owner and a review date, or it
decays unnoticed.").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..messages import sentence
from ..records.corpus import Entry
from .link import LessonItem
from .similarity import LessonIndex, content, plain_amounts

_NOISE = re.compile(r"[\s.!;:,]+")


@dataclass(frozen=True)
class RankedItem:
    """One lesson (or failed assumption) and every record that wrote it, newest first."""

    text: str
    """The wording shown: for a lesson, the one that says the most (newest of equals)."""
    kind: str
    """"lesson" or "assumption"."""
    entries: list[Entry]
    """Every record that wrote it (of an assumption, those it did not hold in)."""
    notes: list[tuple[Entry, str]]
    """What happened instead, for a failed assumption: each record that gave a note, with it,
    newest first."""

    held_in: list[Entry] = field(default_factory=list)
    """For an assumption, the records of the same plan kind it held in, newest first."""

    @property
    def checked(self) -> int:
        """How many records checked it (held or not)."""
        return len(self.entries) + len(self.held_in)

    @property
    def count(self) -> int:
        """How many records wrote it."""
        return len(self.entries)

    @property
    def newest(self) -> Entry:
        """The latest record that wrote it."""
        return self.entries[0]

    @property
    def note(self) -> str:
        """The notes read as one text, newest first: each once, each a sentence ("The venue
        staff were on holiday. The only caterer cancelled."). Joined with "; ", a note that
        ended with a full stop read "…on holiday.; The only…". Of an item several records
        wrote, each note names the records it is from ("Open rate was 19% (Summer Promo). It
        was 21% (Winter Nurture)."): merged, "It was 21%" said no more which campaign's
        figure it was."""
        wording: dict[str, str] = {}
        sources: dict[str, list[str]] = {}
        for entry, text in self.notes:  # newest first: the newest wording of each note
            key = _key(text)
            wording.setdefault(key, text)
            if entry.title not in sources.setdefault(key, []):
                sources[key].append(entry.title)
        if self.count < 2:
            return " ".join(sentence(n) for n in wording.values())
        return " ".join(_from(wording[key], names) for key, names in sources.items())


_END = re.compile(r"[.!?…。！？][\"'”’)\]»」』]*$")


def _from(text: str, names: list[str]) -> str:
    """A note as a sentence naming its records before its full stop: "It was 21% (Summer
    Promo)."."""
    said = sentence(text)
    end = _END.search(said)
    cut = end.start() if end else len(said)
    return f"{said[:cut]} ({', '.join(names)}){said[cut:]}"


def _key(text: str) -> str:
    return _NOISE.sub(" ", text.lower()).strip()


def ranked(items: list[LessonItem], kind: str) -> list[RankedItem]:
    """The items of one kind, repeated ones first (most records first), then newest first. An
    assumption that held everywhere it was checked is no item; one that also held somewhere
    says where (`RankedItem.held_in`). A lesson a later record replaced is no item either."""
    groups = _lesson_groups(items) if kind == "lesson" else _assumption_groups(items)
    result = []
    for members in groups:
        members = _not_replaced(members)
        members = sorted(members, key=lambda i: i.entry.sort_key, reverse=True)
        held = [i.entry for i in members if i.held]
        members = [i for i in members if not i.held]
        if not members:  # held every time, or replaced: nothing to check against
            continue
        # max keeps the first (newest) of equals.
        shown = max(members, key=lambda i: content(i.text)) if kind == "lesson" else members[0]
        result.append(RankedItem(
            text=shown.text, kind=kind,
            entries=list({i.entry.id: i.entry for i in members}.values()),
            notes=[(i.entry, i.note) for i in members if i.note],
            held_in=list({e.id: e for e in held}.values())))
    # Newest first as records sort (date, then id, both reversed), then the most repeated
    # first; both sorts are stable, so lessons of one record keep the order it wrote them in.
    result.sort(key=lambda r: r.newest.sort_key, reverse=True)
    result.sort(key=lambda r: -r.count)
    return result


def _not_replaced(members: list[LessonItem]) -> list[LessonItem]:
    """A lesson's wordings less those a later record replaced (``replaces:``), and with them
    every wording of it held no later than the newest record that replaced it: the same
    advice written before was replaced too (a lesson learned three times stayed first on the
    checklist with two, after a later record replaced one). A wording held after that, or in
    the replacing record itself, learned it again, and keeps it."""
    by = [i.replaced_by for i in members if i.replaced_by is not None]
    if not by:
        return members
    last = max(by, key=lambda e: e.sort_key)
    return [i for i in members if i.replaced_by is None
            and (i.entry.date > last.date or i.entry.id == last.id)]


def _lesson_groups(items: list[LessonItem]) -> list[list[LessonItem]]:
    # Newest first, each lesson joins the group of the closest newer wording (matched against
    # the group's newest wording). Exact repeats are near-duplicates too (similarity 1).
    newest_first = sorted((i for i in items if i.kind == "lesson"),
                          key=lambda i: i.entry.sort_key, reverse=True)
    groups: list[list[LessonItem]] = []
    index: LessonIndex[list[LessonItem]] = LessonIndex()
    for item in newest_first:
        found = index.matches(item.text)
        if found:
            found[0][1].append(item)
        else:
            groups.append([item])
            index.add(item.text, groups[-1])
    return groups


def _assumption_groups(items: list[LessonItem]) -> list[list[LessonItem]]:
    # An amount read as its plain digits first: "The venue would cover €10k of catering" and
    # "…€10,000 of catering" were two failed assumptions, each failed once.
    groups: dict[str, list[LessonItem]] = {}
    for item in items:
        if item.kind == "assumption":
            groups.setdefault(_key(plain_amounts(item.text)), []).append(item)
    return list(groups.values())
