"""What a record's file is called: the name its own fields give it, by the convention
``hindsight new`` writes (``2026-05-sales.md``, ``2026-q2-review.md``,
``2026-04-the-apollo-launch.md``), and which front matter is a record's at all.

Only the front matter's plain values are read, before any schema: a file the knowledge base
does not read (a record outside ``retros/`` and ``postmortems/``, or one whose name does not
end in ``.md``) is never validated, yet its error should name where it belongs.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from ..paths import lossy, short_hash, slugify, slugify_words, umlauts_spelled_out
from .schema import intended_type
from .types import MONTH, QUARTER, SLUG

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".mkdn", ".md.txt", ".markdown.txt")
"""Endings of a Markdown file's name, compared in lowercase: only ``.md`` is a record's, but a
record saved as ``.MD``, ``.markdown`` or ``.md.txt`` (as an editor may save it) is still one
that was meant to be read."""

KIND_NOUNS = {"retro": "retro", "review": "quarterly review", "postmortem": "post-mortem"}
"""Each type of record as a message names it."""

_DAY = re.compile(r"(\d{4})-(\d{2})-\d{2}")


def is_markdown(name: str) -> bool:
    """Whether a file name is a Markdown file's, in any case (``.md``, ``.MD``, ``.markdown``)."""
    return name.lower().endswith(MARKDOWN_SUFFIXES)


def record_kind(front: object) -> str | None:
    """The type of record front matter is (``retro``, ``review`` or ``postmortem``, its
    ``type:`` in any case or as `intended_type` reads it), or None when it is none's."""
    if not isinstance(front, dict):
        return None
    return intended_type(front.get("type"))


def postmortem_slug(name: str, kind: str, german: bool = False) -> str:
    """The part of a post-mortem's file name its name gives, after the month.

    A name in Latin letters reads as itself (``"The Apollo Launch!"`` → ``the-apollo-launch``),
    a long one cut at the end of a word (`slugify_words`).
    File names are record ids, so ASCII; a name with letters that have none adds a short hash
    of the name to what ASCII it has (``"Messe 東京"`` → ``messe-`` and the hash), or to its
    kind when it has none (``"東京ビッグサイト展示会"``, kind ``event`` → ``event-`` and the
    hash): the same name always gives the same file, two names in one month two files.
    ``german``: the site is German (`spells_umlauts`), so ä, ö and ü are spelled ae, oe and
    ue (``"Die Kündigung von Kühlhaus Weiß"`` → ``die-kuendigung-von-kuehlhaus-weiss``).
    """
    text = unicodedata.normalize("NFC", " ".join(name.split()))
    if german:
        text = umlauts_spelled_out(text) or text
    slug = slugify_words(text)
    if slug and not lossy(text):
        return slug
    return f"{slug or kind}-{short_hash(text)}"


def conventional_stem(front: dict[str, Any], kind: str, german: bool = False) -> str | None:
    """The record id ``hindsight new`` would have given the record ``front`` (of type
    ``kind``): ``<period>-<team>`` for a retro, ``<quarter>-review`` (``-<team>-review``) for
    a review, ``<month ended>-<name>`` for a post-mortem. None when the fields it takes are
    missing or not readable as such (a team written ``Sales Team``). ``german``: as
    `postmortem_slug` takes it."""
    team = front.get("team")
    team = team.strip() if isinstance(team, str) else None
    period = front.get("period")
    period = period.strip() if isinstance(period, str) else ""
    stem: str | None = None
    if kind == "retro":
        month = MONTH.fullmatch(period)
        if month and 1 <= int(month.group(2)) <= 12 and team and SLUG.fullmatch(team):
            stem = f"{period}-{team}"
    elif kind == "review":
        if QUARTER.fullmatch(period.upper()):
            scope = f"-{team}" if team and SLUG.fullmatch(team) else ""
            stem = f"{period.lower()}{scope}-review"
    elif kind == "postmortem":
        ended = front.get("event_ended")
        day = _DAY.match(ended.strip()) if isinstance(ended, str) else None
        name, what = front.get("name"), front.get("kind")
        if day and isinstance(name, str) and name.strip():
            stem = (f"{day.group(1)}-{day.group(2)}-"
                    f"{postmortem_slug(name, what if isinstance(what, str) else kind, german)}")
    return stem if stem is not None and SLUG.fullmatch(stem) else None


def base_name(name: str) -> str:
    """A file's name without its Markdown ending (``2026-11 retro.MD`` → ``2026-11 retro``),
    or without its last suffix when it has no Markdown ending (``notes.txt`` → ``notes``)."""
    lowered = name.lower()
    for suffix in sorted(MARKDOWN_SUFFIXES, key=len, reverse=True):
        if lowered.endswith(suffix):
            return name[: -len(suffix)]
    stem, dot, _ = name.rpartition(".")
    return stem if dot and stem else name


@dataclass(frozen=True)
class Suggestion:
    """The record id to give a file, and what gave it."""

    stem: str
    fields: str = ""
    """The fields it was built from, as a hint says them (``its period and team``), or
    ``""`` when it is the file's own name (as it is, or written as an id)."""


_FIELDS_OF = {"retro": "its period and team", "review": "its period",
              "postmortem": "its event_ended and name"}


def suggested_stem(stem: str, front: object, german: bool = False) -> Suggestion | None:
    """The record id to give a file: the one its fields give (`conventional_stem`), as
    ``hindsight new`` would have named it, else ``stem`` when it is an id already, else
    ``stem`` written as an id; None when none can be said (a name of letters with no ASCII
    form and no readable fields). ``german``: as `postmortem_slug` takes it."""
    kind = record_kind(front)
    if kind is not None and isinstance(front, dict):
        conventional = conventional_stem(front, kind, german)
        if conventional is not None:
            fields = _FIELDS_OF[kind]
            if kind == "review" and conventional.endswith(f"-{front.get('team')}-review"):
                fields = "its period and team"
            return Suggestion(conventional, fields)
    if SLUG.fullmatch(stem):
        return Suggestion(stem)
    written = slugify(stem) if not lossy(stem) else ""
    return Suggestion(written) if written else None
