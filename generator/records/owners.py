"""Which spelling of an owner written several ways is the usual one.

Validation's warning ("write it 'Jürgen Müller'") and the site's owner page both name an
owner by this spelling, so what validation asks for is what the site already shows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from ..paths import owner_slug
from .corpus import Entry


def owner_spellings(entries: Iterable[Entry]) -> dict[str, Counter[str]]:
    """Every way each owner is written, by `owner_slug`: how many actions write it so, in
    the order first written (records in ``entries`` order, actions in record order)."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for entry in entries:
        for action in entry.record.actions:
            spellings[owner_slug(action.owner)][action.owner] += 1
    return dict(spellings)


def usual_owner_names(entries: list[Entry],
                      spellings: dict[str, Counter[str]] | None = None) -> dict[str, str]:
    """Each owner's usual spelling, by slug: the one most actions use; between spellings as
    many actions use, the one the records name people by elsewhere (facilitator, keeper,
    participants: a tie went to the first seen, "Jose Nunez" over the "José Núñez" of twelve
    retros); then the first written. ``spellings``: `owner_spellings` of ``entries``, if at
    hand."""
    spellings = owner_spellings(entries) if spellings is None else spellings
    named: Counter[str] = Counter()
    if any(len(counts) > 1 for counts in spellings.values()):
        for entry in entries:
            record = entry.record
            for person in (getattr(record, "facilitator", None), getattr(record, "keeper", None),
                           *(getattr(record, "participants", None) or ())):
                if isinstance(person, str):
                    named[person] += 1
    # max keeps the first of equal keys: the spelling written first.
    return {slug: max(counts, key=lambda name: (counts[name], named[name]))
            for slug, counts in spellings.items()}
