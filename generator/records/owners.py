"""Which spelling of an owner written several ways is the usual one.

Validation's warning ("write it 'Jürgen Müller'") and the site's owner page both name an
owner by this spelling, so what validation asks for is what the site already shows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator

from ..paths import owner_slug
from .corpus import Entry


def written_owners(entry: Entry) -> Iterator[tuple[tuple[str, int, str], str]]:
    """Every owner ``entry`` names, with the field naming it: each action's ``owner``, then
    each hand-over's (``action_updates[].owner``)."""
    for i, action in enumerate(entry.record.actions):
        yield ("actions", i, "owner"), action.owner
    for i, update in enumerate(entry.record.action_updates):
        if update.owner is not None:
            yield ("action_updates", i, "owner"), update.owner


def owner_spellings(entries: Iterable[Entry]) -> dict[str, Counter[str]]:
    """Every way each owner is written, by `owner_slug`: how many times actions and
    hand-overs write it so, in the order first written (records in ``entries`` order, owners
    in record order)."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for entry in entries:
        for _, owner in written_owners(entry):
            spellings[owner_slug(owner)][owner] += 1
    return dict(spellings)


def usual_owner_names(entries: list[Entry],
                      spellings: dict[str, Counter[str]] | None = None) -> dict[str, str]:
    """Each owner's usual spelling, by slug: the one written most often; between spellings as
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
