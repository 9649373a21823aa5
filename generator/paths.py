"""Where every generated page lives, and the options that shape links between them.

Every stage that needs a page's path, a slug or an edit link imports it from here, so no
stage climbs back up the pipeline (render, figures, exports and the feed all share these).
"""

from __future__ import annotations

import hashlib
import html as html_text
import posixpath
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import unquote

PAGES = {
    "home": "index.md",
    "retros": "retros/index.md",
    "reviews": "reviews/index.md",
    "postmortems": "postmortems/index.md",
    "causes": "causes/index.md",
    "actions": "actions/index.md",
    "plan": "plan/index.md",
    "assumptions": "plan/assumptions.md",
    "calibration": "plan/calibration.md",
    "effectiveness": "actions/effectiveness.md",
    "owners": "actions/owners/index.md",
    "winloss": "postmortems/win-loss.md",
    "teams": "teams/index.md",
    "indicators": "indicators/index.md",
    "whats_new": "whats-new.md",
    "tags": "tags.md",
    "record_format": "guide/record-format.md",
    "glossary": "guide/glossary.md",
}
"""The fixed pages, by name."""


EXPORTS = {
    "records_json": "data/records.json",
    "records_csv": "data/records.csv",
    "actions_json": "data/actions.json",
    "actions_csv": "data/actions.csv",
    "readings_csv": "data/readings.csv",
}
"""The machine-readable export files, by name."""
FEED_PATH = "feed.xml"
"""The Atom feed of new records."""


def fixed_files() -> tuple[str, ...]:
    """Every generated file whose path does not depend on an id: pages, exports, the feed."""
    return (*PAGES.values(), *EXPORTS.values(), FEED_PATH)


def url_of(path: str) -> str:
    """Where a generated file is served (directory URLs): ``teams/index.md`` → ``teams/``.

    Two paths with the same URL are the same page to a reader, whatever their file names.
    """
    if not path.endswith(".md"):
        return path
    stem = path.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def taken_page(path_of: Callable[[str], str], item_id: str) -> str | None:
    """The generated file an id's own page would replace, or None when the id is free.

    ``index`` is never free: its page would be the folder's own index (with directory URLs,
    ``teams/index.md`` and an indicator's ``indicators/x/index.md`` stand for the folder).
    """
    target = path_of(item_id)
    url = url_of(target)
    for fixed in fixed_files():
        if url_of(fixed) == url:
            return fixed
    if posixpath.basename(target) == "index.md":
        return posixpath.join(posixpath.dirname(target), "index.md")
    return None


def slugify(text: str) -> str:
    """A safe id from free text: ``"The Apollo Launch!"`` → ``the-apollo-launch``,
    ``"Größter Stand"`` → ``grosster-stand`` (at most `SLUG_LENGTH` characters)."""
    return _whole_slug(text)[:SLUG_LENGTH].strip("-")


def slugify_words(text: str) -> str:
    """`slugify` cut between words, for a file name people read: past `SLUG_LENGTH`
    characters it ends at the last hyphen within them (``…-very-long-name`` → ``…-very``, not
    ``…-very-l``); a first word longer than that is cut within it, as `slugify` cuts."""
    whole = _whole_slug(text)
    if len(whole) <= SLUG_LENGTH:
        return whole
    # Up to one past the limit: a hyphen there means the limit falls at the end of a word.
    cut = whole.rfind("-", 0, SLUG_LENGTH + 1)
    return whole[:cut] if cut > 0 else whole[:SLUG_LENGTH].strip("-")


SLUG_LENGTH = 60

LATIN_LETTERS = str.maketrans({
    "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "OE",
    "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH",
    "ħ": "h", "Ħ": "H", "ı": "i",
})
"""Latin letters that are not a plain letter with an accent, so NFKD leaves them whole and
an ASCII slug would drop them ("Größter" → ``groter``): written out as their usual ASCII
spelling instead."""


def lossy(text: str) -> bool:
    """Whether `slugify` drops letters or digits of ``text`` (those with no ASCII form:
    ``東京``, ``صفقة``, ``Ольга``), so two different names could give one slug."""
    return any(not ch.isascii() and unicodedata.category(ch)[0] in "LN"
               for ch in unicodedata.normalize("NFKD", text.translate(LATIN_LETTERS)))


def short_hash(text: str) -> str:
    """Eight hex digits of the SHA-256 of ``text``: stable between builds and machines."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def _whole_slug(text: str) -> str:
    ascii_text = (unicodedata.normalize("NFKD", text.translate(LATIN_LETTERS))
                  .encode("ascii", "ignore").decode())
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


_INVISIBLE_IN_NAMES = frozenset(
    [chr(c) for c in range(0xFE00, 0xFE10)] + [chr(c) for c in range(0xE0100, 0xE01F0)]
    + ["\u180b", "\u180c", "\u180d", "\u180f", "\u17b4", "\u17b5", "\u200c", "\u200d"])
"""Characters that change nothing a reader sees in a name (variation selectors, Mongolian free
variation selectors, Khmer inherent vowels, zero-width joiners): "Ольга" and "Ольга" with a
variation selector are one owner."""
_ARABIC_OPTIONAL = frozenset("\u0640\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652")
"""Arabic's elongation stroke (tatweel) and short-vowel marks (harakat: tanwin, fatha, damma,
kasra, shadda, sukun), which Arabic writes or leaves out freely: مُحَمَّد is محمد."""


_LEGAL_FORMS = frozenset({
    # English
    "inc", "incorporated", "ltd", "limited", "llc", "llp", "plc", "corp", "corporation", "co",
    "company", "pty", "pte",
    # German-speaking: GmbH & Co. KG, KGaA, OHG, UG (haftungsbeschränkt), e.K., mbH
    "gmbh", "mbh", "ag", "kg", "kgaa", "ohg", "ug", "haftungsbeschrankt", "ek", "se",
    # French, Italian, Spanish, Dutch, Nordic, Polish, Japanese (K.K.)
    "sa", "sas", "sarl", "srl", "spa", "sl", "bv", "nv", "oy", "oyj", "ab", "as", "asa", "aps",
    "spzoo", "kk",
})
"""Legal forms a company's name is written with or without ("Tallyo Inc." is Tallyo,
"Öztürk Software GmbH & Co. KG" is Öztürk Software), as `company_key` reads them: folded, and
a form written in single letters joined ("S.p.A." is ``spa``, "Sp. z o.o." ``spzoo``)."""
_JAPANESE_FORMS = ("株式会社", "有限会社", "合同会社", "(株)", "(有)")
"""Japanese legal forms, written before or after the name (株式会社トヨタ, トヨタ株式会社) and
with or without a space: after NFKC, ㈱ is (株)."""
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})
"""German's spelling of ä, ö and ü where they cannot be written: "Müller" is "Mueller"."""


def company_key(name: str) -> str:
    """The form every spelling of one company's name shares: `owner_key`'s folding (case,
    accents, ``ß`` and ``ss``, full-width forms), punctuation as spaces, and legal forms
    dropped (`_LEGAL_FORMS` at the end, `_JAPANESE_FORMS` at either end), so "Tallyo",
    "TALLYO" and "Tallyo, Inc." are one competitor, and "Öztürk Software KG" is "Ozturk
    Software". A name that is nothing but a legal form keeps it. ``Oeztuerk`` is not folded
    here (it may be a name of its own): `company_keys` makes it Öztürk where a name is
    written with the umlauts."""
    text = unicodedata.normalize("NFKC", name)
    for form in _JAPANESE_FORMS:
        stripped = text.strip()
        if stripped.startswith(form) and stripped[len(form):].strip():
            text = stripped[len(form):]
        elif stripped.endswith(form) and stripped[:-len(form)].strip():
            text = stripped[:-len(form)]
    words = re.sub(r"[^\w]+", " ", owner_key(text)).split()
    while len(words) > 1:
        # The longest run of words at the end that reads as a legal form: one word, or
        # single letters and two-letter words written with points ("s p a", "sp z o o").
        for size in range(min(4, len(words) - 1), 0, -1):
            tail = words[-size:]
            if "".join(tail) in _LEGAL_FORMS and (size == 1 or all(len(w) <= 2 for w in tail)):
                del words[-size:]
                break
        else:
            break
    return " ".join(words)


def umlauts_spelled_out(name: str) -> str | None:
    """``name`` with ä, ö and ü written ae, oe and ue, as German writes them on a keyboard
    without them ("Jürgen Müller" is "Juergen Mueller"); None when it has none."""
    text = unicodedata.normalize("NFC", unicodedata.normalize("NFKC", name))
    spelled = text.translate(_UMLAUTS)
    return spelled if spelled != text else None


def company_keys(names: Iterable[str]) -> dict[str, str]:
    """Each of ``names`` by the company it names: its `company_key`, except that a name
    with ae, oe or ue where another of ``names`` writes ä, ö or ü is that one ("Oeztuerk
    Software" is "Öztürk Software" when a deal writes that). Without an umlaut among the
    names, "Mueller" and "Muller" stay two companies: both are names of their own."""
    names = list(dict.fromkeys(names))
    keys = {name: company_key(name) for name in names}
    spelled = {company_key(out): keys[name] for name in names
               if (out := umlauts_spelled_out(name)) is not None}
    return {name: spelled.get(key, key) for name, key in keys.items()}


@lru_cache(maxsize=4096)
def owner_key(name: str) -> str:
    """The form every spelling of one owner's name shares, in any script: what owners are
    compared by (through `owner_slug`, made from it).

    - NFKC: full-width and compatibility forms read as the ordinary ones (``Ｊｕｒｇｅｎ``, the
      ideographic space);
    - casefold, which also makes ``ß`` ``ss``: ``Jürgen Groß`` is ``jürgen gross``, as
      ``jürgen groß`` and ``JÜRGEN GROSS`` are;
    - the Latin letters NFKD keeps whole spelled out and accents on Latin letters dropped, as
      slugs always did (``José`` is ``Jose``); marks of other scripts stay, since there they
      tell letters apart (``ガ`` is not ``カ``, ``й`` is not ``и``), except Arabic's optional
      vowel marks and elongation stroke;
    - whitespace runs made one space, and no space at all between two letters of the scripts
      that write a name without one (Chinese, Japanese, Korean: ``佐藤 花子`` is ``佐藤花子``).
      Between other words a space stays a space, not nothing: ``Li Na`` and ``Lina`` are two
      people.
    """
    words = owner_words(name)
    joined = words[:1]
    for word in words[1:]:
        joined.append(word if _unspaced(joined[-1][-1]) and _unspaced(word[0]) else f" {word}")
    return "".join(joined)


def owner_words(name: str) -> list[str]:
    """The words of a name as written, folded as `owner_key` folds them but not joined: a
    space between two Chinese, Japanese or Korean words stays a break between words, so
    ``佐藤`` is a word of ``佐藤 花子`` (and of no name written ``佐藤花子``, where nothing says
    where the family name ends). What ``hindsight actions --owner`` matches a part of a
    name against.

    Punctuation at either end of a word goes: ``Lindqvist, Sofia`` is ``lindqvist`` and
    ``sofia`` (``lindqvist,`` matched no ``--owner lindqvist``), ``P. Raman`` is ``p`` and
    ``raman``; inside a word it stays (``O'Brien``, ``Anne-Marie``)."""
    text = unicodedata.normalize("NFKC", name).casefold().translate(LATIN_LETTERS)
    stripped = (_strip_punctuation(word)
                for word in latin_accents_dropped(text, _ARABIC_OPTIONAL | _INVISIBLE_IN_NAMES)
                .split())
    return [word for word in stripped if word]


def latin_accents_dropped(text: str, left_out: frozenset[str] = frozenset()) -> str:
    """``text`` with the accents of Latin letters dropped (``kündigung`` is ``kundigung``) and
    the characters ``left_out`` removed; marks of other scripts stay (``ガ`` is not ``カ``).
    In NFC."""
    kept: list[str] = []
    latin = False  # whether the last base letter was Latin, whose accents are dropped
    for ch in unicodedata.normalize("NFKD", text):
        if ch in left_out:
            continue
        if unicodedata.combining(ch):
            if latin:
                continue
        else:
            latin = unicodedata.name(ch, "").startswith("LATIN ")
        kept.append(ch)
    return unicodedata.normalize("NFC", "".join(kept))


def first_name_first(name: str) -> list[str]:
    """The words of a name (`owner_words`), "Last, First" turned round: "Raman, P." is
    ``p raman``, "Müller, Jürgen" is ``jurgen muller``, as "Jürgen Müller" is."""
    last, comma, first = name.partition(",")
    if comma and "," not in first:
        return owner_words(first) + owner_words(last)
    return owner_words(name)


def _strip_punctuation(word: str) -> str:
    """``word`` without the punctuation (Unicode category P) at its ends."""
    start, end = 0, len(word)
    while start < end and unicodedata.category(word[start]).startswith("P"):
        start += 1
    while end > start and unicodedata.category(word[end - 1]).startswith("P"):
        end -= 1
    return word[start:end]


def name_order(name: str) -> tuple[str, str]:
    """Where a name comes in a list of owners: by its `owner_key`, so case and accents on
    Latin letters do not move it (``Émile`` next to ``Emma``, ``aisha`` next to ``Ava``; a
    slug's hash would put ``佐藤花子``, ``owner-9383715c``, among the o's), then as written."""
    return owner_key(name), name


def _unspaced(ch: str) -> bool:
    """Whether ``ch`` is a letter of a script that writes names without spaces: the wide
    letters of Chinese, Japanese and Korean (after NFKC, half-width kana are wide too)."""
    return unicodedata.east_asian_width(ch) == "W" and unicodedata.category(ch).startswith("L")


@lru_cache(maxsize=4096)
def owner_slug(name: str) -> str:
    """The URL slug of an action owner's page: distinct and stable for a name in any script,
    and the same for every spelling `owner_key` makes one (so two spellings of an owner are one
    page, one row of follow-through, one ``actions --owner``, and validation warns about the
    less usual one).

    Latin names read as themselves (``"José Díaz"`` → ``jose-diaz``, ``"Jürgen Groß"`` →
    ``jurgen-gross``). A name with letters that have no ASCII form (``李雷``, ``Ольга``) keeps
    what ASCII it has and adds a short hash of its key, so two such names never share a page
    and the slug never changes between builds.
    """
    key = owner_key(name)
    # For a name with an ASCII form, the slug of its key is the slug of the name as written
    # (the key only does what slugify does anyway), so those pages keep their addresses.
    slug = slugify(key)
    if lossy(key) or not slug or taken_page(_owner_file, slug):
        digest = short_hash(key)
        slug = f"{slug}-{digest}" if slug else f"owner-{digest}"
    elif len(_whole_slug(key)) > SLUG_LENGTH:
        # Past slugify's 60 characters a name loses its end: "… EMEA North" and "… EMEA
        # South" would share a page. The rest of the slug, whatever its case, is hashed on.
        digest = short_hash(_whole_slug(key))
        slug = f"{slug}-{digest}"
    return slug


def _owner_file(slug: str) -> str:
    return f"actions/owners/{slug}.md"


RECORD_LINK = re.compile(
    r'href="(?:\./|\.\./(?:retros|postmortems)/)?([a-z0-9][a-z0-9-]*)\.md(#[^"]*)?"')
"""A record body's link to another record, as the body's published HTML writes it: by its
file name (``[May](2026-05-sales.md#causes)``) or by its path from the record's own folder
(``../postmortems/2026-06-the-compass-launch.md``, which is how the link works when the file
is read on the git host). Groups: the id, then the anchor if any."""


RECORD_SECTIONS: dict[str, list[tuple[str, str]]] = {
    "retro": [("went_well", "What went well"), ("didnt_go_well", "What did not go well"),
              ("good", "Good"), ("bad", "Bad"), ("ugly", "Ugly"), ("stop", "Stop"),
              ("start", "Start"), ("continue_", "Continue")],
    "review": [("annual_goals", "Annual goals"), ("priorities", "Priorities for next quarter"),
               ("external_factors", "External and seasonal factors")],
    "postmortem": [("went_well", "What went well"), ("didnt_go_well", "What did not go well"),
                   ("good", "Good"), ("bad", "Bad"), ("ugly", "Ugly"), ("start", "Start"),
                   ("stop", "Stop")],
}
"""A record page's sections of its own text by record type: (field, heading), in page order.
A section is shown when its field has items (a list of them) or text (one paragraph, as a
review's ``annual_goals``); its anchor is the heading's slug."""

RECORD_PAGE_ANCHORS = ("indicators", "scorecard", "timeline", "plan-vs-actual", "deal",
                       "assumptions", "causes", "actions", "action-updates", "lessons",
                       "related")
"""The sections of a record page with an anchor of their own (`record.md.j2`), in page order."""


_TAG = re.compile(r'<[a-zA-Z][^\s/>]*(?:\s+[^\s"\'=<>`/]+(?:\s*=\s*"[^"]*")?)*\s*/?>')
"""A start tag as the sanitizer writes them (every attribute value in double quotes)."""


def _tags(html: str, name: str) -> list[str]:
    """The start tags ``<name …>`` of a body's HTML. Text that merely reads ``href="x.md"``
    (in a code span, or in prose) is not a tag: a link there is not followed."""
    opening = f"<{name} "
    if html.count(opening) == html.count(" href=\"" if name == "a" else " src=\""):
        # Every such attribute is in a tag of its own (the common case): no tokenizing.
        return [m.group() for i in _find_all(html, opening) if (m := _TAG.match(html, i))]
    return [tag for tag in (m.group() for m in _TAG.finditer(html)) if tag.startswith(opening)]


def _find_all(text: str, sub: str) -> list[int]:
    found, at = [], text.find(sub)
    while at >= 0:
        found.append(at)
        at = text.find(sub, at + 1)
    return found


def link_targets(html: str) -> list[str]:
    """The ``href`` of every link of a body's HTML, as written (entities included), in order."""
    return [value for tag in _tags(html, "a") if (value := _attribute(tag, "href")) is not None]


def image_sources(html: str) -> list[str]:
    """The ``src`` of every image of a body's HTML, as written, in order."""
    return [value for tag in _tags(html, "img") if (value := _attribute(tag, "src")) is not None]


_ATTRIBUTE = re.compile(r'\s([^\s"\'=<>`/]+)(?:\s*=\s*"([^"]*)")?')


def _attribute(tag: str, name: str) -> str | None:
    """The value of attribute ``name`` of a start tag, read attribute by attribute (a title
    that reads ``href=`` is a title's text, not a link)."""
    for match in _ATTRIBUTE.finditer(tag, tag.find(" ")):
        if match.group(1).lower() == name:
            return match.group(2) or ""
    return None


def rewrite_in_tags(html: str, pattern: re.Pattern[str],
                    replace: Callable[[re.Match[str]], str]) -> str:
    """``html`` with ``pattern`` replaced inside its start tags only, never in its text."""
    return _TAG.sub(lambda tag: pattern.sub(replace, tag.group()), html)


def record_links(html: str) -> list[re.Match[str]]:
    """`RECORD_LINK` matches of a body's HTML that are links (in ``<a>`` tags)."""
    return [m for tag in _tags(html, "a") for m in RECORD_LINK.finditer(tag)]


def rewrite_record_links(html: str, replace: Callable[[re.Match[str]], str]) -> str:
    """``html`` with each record link of its ``<a>`` tags replaced by ``replace(match)``."""
    if not record_links(html):
        return html
    return _TAG.sub(lambda tag: RECORD_LINK.sub(replace, tag.group())
                    if tag.group().startswith("<a ") else tag.group(), html)


def unlink_records(html: str, ids: Collection[str]) -> str:
    """``html`` with each link (``<a>`` tag) to one of the records ``ids`` replaced by its
    text: the page it would lead to is not published (a record held after the build date),
    and a dead link would be. A sanitized body nests no link in another."""
    if not ids:
        return html
    parts, done = [], 0
    for tag in _TAG.finditer(html):
        if tag.start() < done or not tag.group().startswith("<a "):
            continue
        link = RECORD_LINK.search(tag.group())
        end = html.find("</a>", tag.end())
        if link is None or link.group(1) not in ids or end < 0:
            continue
        parts += [html[done:tag.start()], html[tag.end():end]]
        done = end + len("</a>")
    return "".join(parts) + html[done:]


# One greedy run, then ".md": linear in the link's length (a lazy run before a greedy one
# rescanned a long path from every position, minutes for a 250 KB link).
_RELATIVE_MD = re.compile(r'href="([^"#?:]*\.md)(#[^"]*)?"')
_RECORD_STEM = re.compile(r"[a-z0-9][a-z0-9-]*")


def record_links_by_name(html: str, path: str) -> str:
    """``html`` (the body of the record at ``path``) with each relative link that leads, from
    the record's own folder, to a file in ``retros/`` or ``postmortems/`` at any depth written
    by that file's name, as `RECORD_LINK` knows record links: ``../2025/2025-11-sales.md`` in
    ``retros/2026/`` works on the git host, and is the record ``2025-11-sales`` on the site.
    Other links are left as written (and checked as such)."""
    if ".md" not in html:
        return html

    def by_name(match: re.Match[str]) -> str:
        return f'href="{record_target_by_name(match.group(1), path)}{match.group(2) or ""}"'

    return _TAG.sub(lambda tag: _RELATIVE_MD.sub(by_name, tag.group())
                    if tag.group().startswith("<a ") else tag.group(), html)


def record_target_by_name(target: str, path: str) -> str:
    """A link's ``target`` (a ``.md`` path, without its anchor) in the body of the record at
    ``path`` as `record_links_by_name` publishes it: by the file's name when it leads to a
    record in ``retros/`` or ``postmortems/``, else as written."""
    stem = posixpath.basename(target).removesuffix(".md")
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
    if "/" not in target or not target.endswith(".md") or not _RECORD_STEM.fullmatch(stem) \
            or not resolved.startswith(("retros/", "postmortems/")):
        return target
    return f"{stem}.md"


def linked_records(html: str) -> list[str]:
    """The ids of the records a body's HTML links to, each once, in order."""
    return list(dict.fromkeys(match.group(1) for match in record_links(html)))


def linked_anchors(html: str) -> list[tuple[str, str]]:
    """The (record id, anchor) of each link of a body's HTML to a section of another record."""
    return [(match.group(1), unquote(match.group(2)[1:])) for match in record_links(html)
            if match.group(2) and len(match.group(2)) > 1]


ABSOLUTE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|/)")
"""A link target with a scheme (``https:``, ``mailto:``) or from the site's root (``/x``)."""


class BodyLinks(NamedTuple):
    """What a body's published HTML links to that the rules across records check, found once
    when the record is validated and kept with it in the record cache: the rules read it on
    every run, and scanning ten thousand bodies' tags again each time cost a quarter second.
    A plain tuple of tuples: it is unpickled once per record on every run."""

    records: tuple[str, ...]
    """`linked_records`: the ids of the records it links to, each once, in order."""
    anchors: tuple[tuple[str, str], ...]
    """`linked_anchors`, each once: (record id, anchor) of its links to another record's
    section."""
    others: tuple[str, ...]
    """Each other ``href`` once, as written, in order, that is not a record's page, not an
    address of its own (`ABSOLUTE`) and not a section of the body itself: a section of the
    record's page (its anchors are known only with every record), or a dead link."""
    images: tuple[str, ...]
    """Each ``src`` once, as written, that is not published with the site (a relative path,
    or one from the site's root)."""


def body_links(html: str) -> BodyLinks:
    """The links of a body's published HTML that the rules across records check."""
    matches = record_links(html)
    records = tuple(dict.fromkeys(match.group(1) for match in matches))
    anchors = tuple(dict.fromkeys(
        (match.group(1), unquote(match.group(2)[1:])) for match in matches
        if match.group(2) and len(match.group(2)) > 1))
    others = []
    for href in dict.fromkeys(link_targets(html)):
        value = html_text.unescape(href)
        if RECORD_LINK.fullmatch(f'href="{href}"') or ABSOLUTE.match(value) or not value:
            continue  # another record's page (checked as such), or an address of its own
        if value.startswith("#") and f' id="{html_text.escape(unquote(value[1:]))}"' in html:
            continue  # a section of the body itself (every heading's own ¶ link)
        others.append(href)
    images = []
    for src in dict.fromkeys(image_sources(html)):
        value = html_text.unescape(src)
        # A path from the site's root ("/img/x.png") breaks wherever the site is not served
        # at the root (GitHub Pages serves it under the repository's name).
        if value and (not ABSOLUTE.match(value) or value.startswith("/")):
            images.append(src)
    return BodyLinks(records, anchors, tuple(others), tuple(images))


def record_path(entry_id: str) -> str:
    """Where a record's page lives."""
    return f"records/{entry_id}.md"


def cause_path(cause_id: str) -> str:
    """Where a cause's page lives."""
    return f"causes/{cause_id}.md"


def cause_year_path(cause_id: str, year: int) -> str:
    """Where the citations and actions of one year of a much-cited cause live."""
    return f"causes/{cause_id}/{year}.md"


def owner_path(owner: str) -> str:
    """Where an action owner's page lives."""
    return _owner_file(owner_slug(owner))


def owner_year_path(owner: str, year: int) -> str:
    """Where the closed actions of one busy owner that fell due in one year live."""
    return f"{owner_path(owner).removesuffix('.md')}/{year}.md"


def team_path(team_id: str) -> str:
    """Where a team's page lives."""
    return f"teams/{team_id}.md"


def indicator_path(indicator_id: str) -> str:
    """Where an indicator's page lives."""
    return f"indicators/{indicator_id}.md"


def chart_of_indicator(indicator_id: str, team_id: str) -> str:
    """Where the chart of one team's readings of an indicator lives: a folder per indicator,
    as ids may hold hyphens (``deal-size`` of ``ent`` and ``deal`` of ``size-ent`` differ).
    Not in `ID_PAGES`: no fixed file lives two folders down in ``charts/``."""
    return f"charts/indicators/{indicator_id}/{team_id}.svg"


def plan_path(kind_id: str) -> str:
    """Where a plan kind's checklist lives."""
    return f"plan/{kind_id}.md"


ID_PAGES: dict[str, Callable[[str], str]] = {
    "record": record_path,
    "cause": cause_path,
    "team": team_path,
    "indicator": indicator_path,
    "plan kind": plan_path,
}
"""Every page whose path is made from an id a person chooses (a record's file name or a
vocabulary id), by the kind of id."""


@lru_cache(maxsize=65536)
def served_url(path: str, directory_urls: bool) -> str:
    """Where a page's HTML is served, relative to the site root (``records/x.md`` →
    ``records/x/``, or ``records/x.html`` without directory URLs); assets stay as they are."""
    if not path.endswith(".md"):
        return path
    stem = path[:-3]
    if not directory_urls:
        return f"{stem}.html"
    if stem == "index":
        return ""
    return stem[: -len("index")] if stem.endswith("/index") else f"{stem}/"


def html_href(source: str, target: str, directory_urls: bool, anchor: str = "") -> str:
    """A relative link, as served, from page ``source`` to ``target`` (both ``.md`` paths).

    Raw HTML in a page is not rewritten by the site engine, so its links point at the served
    address (up to the site root, then down); Markdown links keep the ``.md`` form.
    """
    here = served_url(source, directory_urls)
    there = served_url(target, directory_urls)
    if there == here:
        rel = "./" if directory_urls else posixpath.basename(there)
    else:
        rel = "../" * here.count("/") + there or "./"
    return rel + (f"#{anchor}" if anchor else "")


@dataclass(frozen=True)
class RenderOptions:
    """Settings that shape the generated pages."""

    repo_url: str | None = None
    """The repository's web address (``repo_url`` in mkdocs.yml), for edit links."""
    branch: str = "main"
    """The branch edit links point at."""
    site_url: str | None = None
    """The site's absolute URL (for the Atom feed); no feed without it."""
    directory_urls: bool = True
    """Whether pages are served as ``page/`` (MkDocs' default) rather than ``page.html``."""
    whats_new: int = 30
    """How many recently added or changed records the What's new page lists."""
    csv_bom: bool = False
    """Whether the CSV exports start with UTF-8's byte-order mark (``csv_bom`` of the plugin):
    Excel reads a CSV without one in the system's code page, Shift_JIS on a Japanese Windows,
    and opened the Japanese titles garbled."""
    html_links: str = "served"
    """How links inside raw HTML (tables, record bodies) are written: ``served`` — the address
    the page is served at, for engines that leave raw HTML alone (MkDocs) — or ``source`` —
    the ``.md`` path, for engines that rewrite links in raw HTML as in Markdown (Zensical)."""

    def edit_url(self, source: str) -> str | None:
        """The address that edits ``source`` (a path relative to the knowledge-base root)."""
        if not self.repo_url:
            return None
        return f"{self.repo_url.rstrip('/')}/edit/{self.branch}/{source}"

    def history_url(self, source: str) -> str | None:
        """The address of the commits that changed ``source`` (relative to the
        knowledge-base root) on the branch, as the repository's host lists them."""
        if not self.repo_url:
            return None
        return f"{self.repo_url.rstrip('/')}/commits/{self.branch}/{source}"

    def page_url(self, path: str, anchor: str = "") -> str | None:
        """The absolute address of a generated page on the published site (None without
        ``site_url``): ``records/x.md`` → ``…/records/x/``, or ``…/records/x.html``."""
        if not self.site_url:
            return None
        stem = path.removesuffix(".md")
        if stem == "index" or stem.endswith("/index"):
            tail = stem.removesuffix("index")
            if not self.directory_urls:
                tail += "index.html"
        else:
            tail = f"{stem}/" if self.directory_urls else f"{stem}.html"
        return self.site_url.rstrip("/") + "/" + tail + (f"#{anchor}" if anchor else "")
