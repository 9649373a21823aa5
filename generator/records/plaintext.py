"""Titles and names are plain text: markup in them is an error, not something to escape.

Pages escape every value from a record, so ``<img onerror=…>`` in a title can never run; but
it is still not a title, and a Markdown link in a name shows as brackets and parentheses.
Validation points at the field so the author writes what they mean.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator

from .schema import Postmortem, Record, Review

_MARKUP = [
    (re.compile(r"<[a-zA-Z][\w+.-]*:[^>\s]*>"), "an autolink"),
    # A tag starts where HTML starts one: `<` then a letter, `/`, `!` or `?`. "Win rate <
    # target" is a comparison, not a tag.
    (re.compile(r"<(?:/?[A-Za-z]|[!?])[^>]*>?"), "an HTML tag"),
    (re.compile(r"!?\[[^\]]*\]\s*[(\[]"), "a Markdown link"),
]


def markup_in(text: str) -> str | None:
    """What kind of markup the text contains (``"an HTML tag"``…), or None for plain text."""
    for pattern, what in _MARKUP:
        if pattern.search(text):
            return what
    return None


_LOOKALIKE_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")
"""Scripts with letters drawn alike (Latin a, Cyrillic а, Greek α): one word mixing them is
a lookalike, not a spelling."""
_WORD = re.compile(r"[^\W\d_]+")


def mixed_script(text: str) -> tuple[str, str, str] | None:
    """The first word of ``text`` that mixes Latin, Cyrillic or Greek letters ("Rаvi" with a
    Cyrillic а): the word, its letters of the script it uses least with their code points, and
    that script's name;
    None when every word keeps to one script. Such a name reads as another that it is not:
    the site shows two owners, and a search for the name typed in one script misses it."""
    for word in _WORD.findall(text):
        scripts = Counter(script for letter in word
                          if (script := unicodedata.name(letter, "").split(" ")[0])
                          in _LOOKALIKE_SCRIPTS)
        if len(scripts) > 1:
            odd = min(scripts, key=lambda script: (scripts[script], script))
            letters = ", ".join(f"{letter} (U+{ord(letter):04X})" for letter in dict.fromkeys(
                letter for letter in word if unicodedata.name(letter, "").startswith(odd)))
            return word, letters, odd.title()
    return None


def plain_text_fields(record: Record) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Every title and name in a record, with its field path."""
    if isinstance(record, Postmortem):
        yield ("name",), record.name
        yield ("keeper",), record.keeper
        if record.deal is not None:
            yield ("deal", "customer"), record.deal.customer
            if record.deal.competitor is not None:
                yield ("deal", "competitor"), record.deal.competitor
    else:
        if record.title is not None:
            yield ("title",), record.title
        yield ("facilitator",), record.facilitator
    for i, person in enumerate(record.participants):
        yield ("participants", i), person
    for i, action in enumerate(record.actions):
        yield ("actions", i, "title"), action.title
        yield ("actions", i, "owner"), action.owner
    for i, update in enumerate(record.action_updates):
        if update.owner is not None:
            yield ("action_updates", i, "owner"), update.owner
    measures = (record.scorecard if isinstance(record, Review)
                else record.plan_vs_actual if isinstance(record, Postmortem) else [])
    key = "scorecard" if isinstance(record, Review) else "plan_vs_actual"
    for i, measure in enumerate(measures):
        yield (key, i, "metric"), measure.metric
        # Shown after the number when it is not one Hindsight writes its own way.
        yield (key, i, "unit"), measure.unit
