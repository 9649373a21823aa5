"""Words a page carries for search only: the other spellings of its hyphenated words, the
names of the causes and deal reasons it cites, and the other forms of "lose" and "win".

Material's search splits words at hyphens, so "hand-off" is indexed as "hand" and "off" and a
reader typing "handoff" finds nothing. A record page therefore carries, hidden from view but
indexed, the joined form of every hyphenated word it uses ("handoff" for "hand-off"), and the
hyphenated form of every joined word the knowledge base elsewhere writes with a hyphen
("hand-off" for "handoff"), plus the titles and aliases of the causes it cites and the titles,
aliases and descriptions of the reasons its deal gives.

Pagefind's English stemmer reads "losing" as "lose" but keeps "lose", "lost" and "loss" apart
(and "win" and "won"): "lose Corvex" missed the post-mortems that say "we lost … to Corvex". A
page saying one of them carries the others (`word_family`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

from ..messages import SEARCH_MARK
from ..records.corpus import Entry
from ..records.taxonomy import Taxonomy

SEARCH_TERMS_MARK = SEARCH_MARK
"""Starts each of a record page's search-only words (⁞, vertical four dots); two of them end
the list. A search excerpt that takes in the list is cut to the page's prose on either side
of it by the search box (``docs/javascripts/search.js``): readers never see the word list."""


def search_terms_text(terms: Iterable[str]) -> str:
    """The hidden block's text: ``⁞ ICP drift ⁞ wrong icp ⁞⁞``."""
    return "".join(f"{SEARCH_TERMS_MARK} {term} " for term in terms) + SEARCH_TERMS_MARK * 2


_HYPHENATED = re.compile(r"(?<![\w-])([^\W\d_]{2,}(?:-[^\W\d_]{2,})+)(?![\w-])")
_WORD = re.compile(r"[^\W\d_]{4,}")

_FAMILIES: tuple[tuple[tuple[str, ...], ...], ...] = (
    (("lose", "loses", "losing"), ("lost",), ("loss", "losses")),
    (("win", "wins", "winning"), ("won",)),
)
"""The forms of a word a reader types for one another, in groups Pagefind's English stemmer
reads as one word ("losing" is "lose"); the first of a group is the one a page carries for it."""
_FORMS = sorted({form for family in _FAMILIES for group in family for form in group},
                key=lambda form: (-len(form), form))
_FAMILY_WORD = re.compile(rf"(?<![^\W\d_])(?:{'|'.join(_FORMS)})(?![^\W\d_])", re.IGNORECASE)
"""A form of a family, as a word of its own: "won", and "win" in "win-back"; not "winter".
Found apart from `_WORD` because "win" and "won" are shorter than its four letters."""


def record_texts(entry: Entry) -> Iterator[str]:
    """Every piece of text a record holds: its body and each string of its front matter."""
    yield entry.source.body
    yield from _strings(entry.record.model_dump(mode="python"))


def _strings(value: Any) -> Iterator[str]:
    # Prose only: a single token (an id, a status, a kind like "deal-won") is not words.
    if isinstance(value, str):
        if " " in value.strip():
            yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def hyphenated_words(texts: Iterable[str]) -> dict[str, str]:
    """Joined form → hyphenated form, for every hyphenated word in ``texts`` (lowercased)."""
    found: dict[str, str] = {}
    for text in texts:
        for match in _HYPHENATED.finditer(text):
            word = match.group(1).lower()
            found.setdefault(word.replace("-", ""), word)
    return found


def spelling_variants(texts: Iterable[str], vocabulary: dict[str, str]) -> list[str]:
    """The other spellings of the words in ``texts``: joined forms of hyphenated words, and
    hyphenated forms (from ``vocabulary``, joined → hyphenated) of joined words."""
    texts = list(texts)
    variants = set(hyphenated_words(texts))
    for text in texts:
        for word in _WORD.findall(text):
            hyphenated = vocabulary.get(word.lower())
            if hyphenated:
                variants.add(hyphenated)
    return sorted(variants)


def cause_names(taxonomy: Taxonomy, cause_ids: Iterable[str]) -> list[str]:
    """The titles and aliases (as words) of the cited causes, for search."""
    names: list[str] = []
    for cause_id in dict.fromkeys(cause_ids):
        cause = taxonomy.cause(cause_id)
        names.append(cause.title)
        names.extend(alias.replace("-", " ") for alias in cause.aliases)
    return names


def reason_names(taxonomy: Taxonomy, reason_ids: Iterable[str]) -> list[str]:
    """The titles, aliases (as words) and descriptions of a deal's reasons, for search: a
    deal filed under "price" is found by "too expensive", the reason's alias."""
    names: list[str] = []
    for reason_id in dict.fromkeys(reason_ids):
        reason = taxonomy.reason(reason_id)
        names.append(reason.title)
        names.extend(alias.replace("-", " ") for alias in reason.aliases)
        if reason.description:
            names.append(reason.description)
    return names


def family_words(texts: Iterable[str]) -> set[str]:
    """The forms of "lose" and "win" ``texts`` say, lowercased ("deal-lost" says "lost")."""
    return {form.lower() for text in texts for form in _FAMILY_WORD.findall(text)}


def word_family(words: Iterable[str]) -> list[str]:
    """The forms of a family ``words`` do not say, for a page that says one of them: "lose"
    and "loss" for a page saying "lost"; "won" for one saying "winning". Pagefind stems
    what it is given, so one form of each group stands for all of it."""
    said = set(words)
    others: list[str] = []
    for family in _FAMILIES:
        says = [not said.isdisjoint(group) for group in family]
        if any(says):
            others.extend(group[0] for group, present in zip(family, says, strict=True)
                          if not present)
    return others
