"""Wording of the trust-boundary problems (reserved ids, limits, characters), kept in one place
so the messages stay consistent and their goldens stable."""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

MAX_DEPTH = 12
"""Deepest nesting of lists and mappings a record or the taxonomy may use (records need 4)."""
MAX_ITEMS = 1000
"""Most items one list (or keys one mapping) may hold."""
MAX_TEXT = 20_000
"""Most characters one value may hold (long material belongs in the body or a link)."""

RESERVED_ID_HINT = "choose another id; this one names a page Hindsight generates"

# C0 and C1 control characters except tab and newline, DEL, and the bidirectional embedding,
# override and isolate characters that make text display in an order other than stored.
# Control and text-direction characters (with the left-to-right, right-to-left and Arabic
# letter marks), and the Unicode line and paragraph separators: an invisible line break that
# splits a CSV row for readers that honour it.
# Noncharacters too: U+FFFE and U+FFFF make the feed and the charts (XML) not well-formed.
_BAD_CHARS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ufdd0-\ufdef\ufffe\uffff\U0001fffe\U0001ffff\U0010fffe\U0010ffff]")
# Allowed in a block of text only: tabs, newlines, and characters that show as nothing (zero-
# width spaces, soft hyphens, fillers, invisible operators, tag characters): in a name or an id
# they make two values that look the same differ ("Lena Novak" and "Lena Novak\u3164").
# Zero-width joiners stay allowed: emoji and some scripts need them.
_BLOCK_ONLY = re.compile(
    "[\t\n\u00ad\u034f\u115f\u1160\u180e\u200b\u2060-\u2064\u206a-\u206f\u2800\u3164"
    "\ufeff\uffa0\ufff9-\ufffb\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e007f]")


def reserved_id(item_id: str, page: str) -> str:
    """An id whose page would take the place of a generated page."""
    return f"id {item_id!r} is reserved: its page would replace the generated page {page}"


def too_deep() -> str:
    """Nesting beyond `MAX_DEPTH`."""
    return f"nested more than {MAX_DEPTH} levels deep"


def too_many_items(kind: str) -> str:
    """A list or mapping beyond `MAX_ITEMS`."""
    return f"this {kind} has more than {MAX_ITEMS:,} items, the limit"


def too_long(length: int) -> str:
    """A value beyond `MAX_TEXT`."""
    return f"this value is {length:,} characters long, over the {MAX_TEXT:,}-character limit"


def char_name(ch: str) -> str:
    """A character as a person can find it: ``U+202E RIGHT-TO-LEFT OVERRIDE``."""
    name = unicodedata.name(ch, "") or {
        "\x00": "NULL", "\x07": "BELL", "\x1b": "ESCAPE", "\x7f": "DELETE", "\t": "TAB",
        "\n": "LINE FEED"}.get(ch, "NONCHARACTER" if unicodedata.category(ch) == "Cn"
                               else "CONTROL CHARACTER")
    return f"U+{ord(ch):04X} {name}"


_PRINTABLE_REFUSED = re.compile("[\u115f\u1160\u2800\u3164\uffa0\u205e]")
"""The refused characters Python counts as printable (fillers that show as a blank, and the
search marker): `needs_scan` looks for them in text that is otherwise printable."""


def needs_scan(text: str) -> bool:
    """Whether ``text`` may hold a character `bad_char` refuses (a quick test for the common
    case of plain printable text)."""
    return not text.isprintable() or _PRINTABLE_REFUSED.search(text) is not None


SEARCH_MARK = "\u205e"
"""⁞ (vertical four dots): starts each of a record page's search-only words, which the search
box cuts excerpts at (`generator.site.search_terms`); records and the taxonomy may not hold it."""


BAD_CHAR_HINT = "delete it; control, text-direction and invisible characters are refused"
LINE_BREAK = "contains a line break, which only a `|` block may hold"
LINE_BREAK_HINT = ("a title or a name goes on one line: delete the break; for a note or other "
                   "text over several lines, write it as a `|` block")


class BadChar(NamedTuple):
    """A character not allowed in a value: where, what is wrong and how to fix it."""

    at: int
    """Its index in the value."""
    message: str
    hint: str


def bad_char(text: str, block: bool) -> BadChar | None:
    """The first character not allowed in ``text``, if any.

    Tabs and newlines are allowed only where a block of text is (``block``: a YAML ``|`` or
    ``>`` value, or the Markdown body).
    """
    match = _BAD_CHARS.search(text) or (None if block else _BLOCK_ONLY.search(text))
    reserved = text.find(SEARCH_MARK)
    if reserved >= 0 and (match is None or reserved < match.start()):
        return BadChar(reserved, f"contains {char_name(SEARCH_MARK)}, which the site's search "
                       "box reserves as a marker", BAD_CHAR_HINT)
    if match is None:
        return None
    if match.group() == "\n":
        # A newline shows, and is allowed in a block: in a quoted value (`"a\nb"`) it is the
        # wrong place, not an invisible character, and a block is where a note's lines go.
        return BadChar(match.start(), LINE_BREAK, LINE_BREAK_HINT)
    return BadChar(match.start(), f"contains the invisible character {char_name(match.group())}",
                   BAD_CHAR_HINT)


# What os.fsdecode makes of a file name's bytes that are not UTF-8 (``notes-\xff.txt`` holds
# U+DCFF): lone surrogates, which no UTF-8 stream can write.
_SURROGATES = re.compile("[\ud800-\udfff]")


def decodable(text: str) -> str:
    """``text`` with every lone surrogate (an undecodable byte of a file name) replaced by
    U+FFFD, as a UTF-8 decoder shows a bad byte: printing or writing it as UTF-8 would
    otherwise fail, or put invalid bytes in a report that others parse."""
    return _SURROGATES.sub("\ufffd", text)


def printable(text: str) -> str:
    """``text`` with control and text-direction characters shown as escapes, and undecodable
    bytes of file names as U+FFFD (for terminals and annotations)."""
    return _BAD_CHARS.sub(lambda m: f"\\u{ord(m.group()):04x}", decodable(text))


def plain_name(text: str) -> str:
    """A name from outside the records (a git author's, which anyone can set) as pages show it:
    control, text-direction and invisible characters as spaces (a right-to-left override in
    a name reversed the rest of its line: dates, the edit link), runs of spaces as one."""
    return " ".join(_BLOCK_ONLY.sub(" ", _BAD_CHARS.sub(" ", text)).split())


def format_loc(loc: tuple[str | int, ...]) -> str:
    """A field's path as problems name it: ``("actions", 1, "due")`` → ``actions[1].due``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def and_list(words: list[str], conjunction: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c`` (or ``a, b or c`` with ``conjunction="or"``)."""
    return words[0] if len(words) == 1 else \
        f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


_SENTENCE_END = re.compile(r"[.!?…。！？](?:[\"'”’)\]»」』]*)$")


def sentence(text: str) -> str:
    """``text`` ending as a sentence: a full stop added unless it ends with one (or a ``?``,
    ``!``, ``…`` or a CJK full stop, before any closing quote), so a statement written
    without one does not run into the next ("…had budget It did not hold")."""
    text = text.rstrip()
    return text if not text or _SENTENCE_END.search(text) else text + "."
