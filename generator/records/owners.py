"""Which spelling of an owner written several ways is the usual one.

Validation's warning ("write it 'Jürgen Müller'") and the site's owner page both name an
owner by this spelling, so what validation asks for is what the site already shows.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator

from ..messages import and_list
from ..paths import owner_slug, owner_words
from .corpus import Entry
from .schema_errors import WIDE_COMMAS


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
            leads = [lead for lead in (getattr(record, "facilitator", None),
                                       getattr(record, "keeper", None)) if isinstance(lead, str)]
            # Two who facilitated together are two people, each named so.
            for person in (*(name for lead in leads for name in people_in(lead)),
                           *(getattr(record, "participants", None) or ())):
                if isinstance(person, str):
                    named[person] += 1
    # max keeps the first of equal keys: the spelling written first.
    return {slug: max(counts, key=lambda name: (counts[name], named[name]))
            for slug, counts in spellings.items()}


def record_people(fields: dict[str, object]) -> list[str]:
    """The names a record's front matter (``fields``) gives people by: its facilitator or
    keeper, its participants and its owners, in that order. Co-facilitators (``Ana Lima and
    Ben Cho``, ``山田、佐藤``) are each a name: an owner's handle ``@ana`` is Ana Lima's, not
    the two's."""
    found: list[str] = []
    for key in ("facilitator", "keeper"):
        if isinstance(fields.get(key), str):
            found.extend(people_in(str(fields[key])))
    participants = fields.get("participants")
    if isinstance(participants, list):
        found.extend(p for p in participants if isinstance(p, str))
    for key in ("actions", "action_updates"):
        items = fields.get(key)
        for item in items if isinstance(items, list) else ():
            owner = item.get("owner") if isinstance(item, dict) else None
            if isinstance(owner, str):
                found.append(owner)
    return found


def handle_as_owner(owner: str, people: Iterable[str],
                    role: str = "an owner") -> tuple[str, str] | None:
    """The message and hint for an owner written as a handle (``@rpatel``), None for a name.
    Its owner page read "Actions of @rpatel" beside Ravi Patel's, and counted their
    follow-through apart. The hint names the one of ``people`` (the record's names,
    `record_people`) the handle is made from, when exactly one is (``rpatel``,
    ``ravi.patel``, ``ravip``). ``role``: who the field names, for a facilitator, keeper or
    participant written so ("a participant"), whose page shows the handle as their name."""
    if not owner.strip().startswith("@"):
        return None
    key = _letters(owner)
    meant = sorted({person.strip() for person in people if not person.strip().startswith("@")
                    and key and key in _handle_forms(person)})
    if role != "an owner":
        write = (f"write {meant[0]!r} if that is who it is" if len(meant) == 1
                 else "write the person's name")
        return (f"{owner.strip()!r} is a handle, but {role} is a person's name",
                f"{write}: the page shows it as written, and a search for the name misses it")
    write = (f"write {meant[0]!r} if that is who it is" if len(meant) == 1
             else "write the person's name, as participants: gives it")
    return (f"{owner.strip()!r} is a handle, but an owner is a person's name",
            f"{write}: each owner has a page of their own, and a handle would be a second "
            "owner beside the name")


_BETWEEN_PEOPLE = re.compile(rf"\s*[/{WIDE_COMMAS}]\s*|\s+(?:and|&|\+)\s+", re.IGNORECASE)
"""What stands between two people's names in one field: ``and``, ``&``, ``+``, a slash,
and the ideographic or full-width comma (``山田、佐藤``). Not ``・``, which joins the parts
of one name written in katakana (``ジョン・スミス``)."""


_NOT_IN_NAMES = re.compile(r"[:<>@#=()\[\]{}|\\]")
"""Characters of an address, a handle or markup, never of a person's name."""


def people_in(owner: str) -> list[str]:
    """The people an owner written as several names names (``Ana and Ben``, ``Ana / Ben``,
    ``山田、佐藤``, ``Ana Lima, Ben Cho``), in order; one name for one person. A comma
    separates names only between full names or in a list of three or more: ``Doe, Jane`` is
    one person written surname first."""
    names = [name.strip() for name in _BETWEEN_PEOPLE.split(owner)]
    if len(names) < 2:
        names = [part.strip() for part in owner.split(",")]
        if len(names) == 2 and not all(len(name.split()) > 1 for name in names):
            names = [owner.strip()]
    # Each a name: not a path (`../tmp/evil`) or an address (`<https://…>`), told otherwise.
    if not all(name and any(c.isalpha() for c in name) and not _NOT_IN_NAMES.search(name)
               for name in names):
        return [owner.strip()]
    return names


def several_owners(owner: str) -> tuple[str, str] | None:
    """The message and hint for an owner written as two people or more (``Ana and Ben``),
    None for one. The site took "Ana and Ben" for one person, with an owner page and a
    follow-through of their own, and the action had no one accountable for it."""
    names = people_in(owner)
    if len(names) < 2:
        return None
    written, others = owner.strip(), names[1:]
    give = "an action of their own" if len(others) == 1 else "an action each"
    return (f"{written!r} names {len(names)} people, but an action has one accountable owner",
            f"keep one as owner, e.g. owner: {names[0]}, and give {and_list(others)} {give}; as "
            f"written, the site takes {written!r} for one person, with an owner page")


def _letters(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def _handle_forms(name: str) -> set[str]:
    """The handles a name is commonly made into: ``ravipatel``, ``rpatel``, ``ravip``,
    ``patelravi``, ``ravi``, ``patel`` for Ravi Patel (compared without punctuation, so
    ``ravi.patel`` and ``ravi_patel`` too)."""
    words = [w for w in (_letters(w) for w in owner_words(name)) if w]
    if not words:
        return set()
    first, last = words[0], words[-1]
    return {"".join(words), first + last, first[0] + last, first + last[0], last + first,
            first, last}
