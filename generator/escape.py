"""Escaping for values that came from records, wherever they land in generated pages.

Record text is data, never markup: a title like ``<img src=x onerror=…>`` or a note with
``|``, ``[`` or a backtick must show as typed and cannot inject HTML, links or table cells.
"""

from __future__ import annotations

import html
import json
import re

# Python-Markdown's backslash escapes (core plus the tables extension's `|`).
_INLINE = re.compile(r"([\\`*_{}\[\]()|!])")
# Characters that only mean something at the start of a line (headings, lists, quotes).
_LEADING = re.compile(r"^(\s*)([#+\-]|\d+\.)")


def md(value: object) -> str:
    """Escape text for inline Markdown: HTML entities first, then Markdown punctuation.

    Quotes stay as typed (``team's``, not ``team&#x27;s``): Markdown text is never an
    attribute value here (raw-HTML attributes go through `html_text`), and these strings
    are also read as they are, in the terminal and in pasted planning docs."""
    text = " ".join(str(value).split())
    # An & before a space (or at the end) can start no entity: it stays as typed ("Partner
    # & Channel" read "Partner &amp; Channel" in a draft, a terminal, a pasted plan).
    text = html.escape(text, quote=False).replace("&amp; ", "& ")
    text = text[:-5] + "&" if text.endswith("&amp;") else text
    text = _INLINE.sub(r"\\\1", text)
    return _LEADING.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def cell(value: object) -> str:
    """Escape text for a Markdown table cell (``md`` already folds newlines and pipes)."""
    return md(value) if value not in (None, "") else "–"


def code(value: object) -> str:
    """Text as an inline code span that shows it as typed, in a table cell too.

    The fence is one backtick longer than the longest run of backticks inside (a file name
    ``a`b.md`` cannot close it early), padded with a space where the text starts or ends with
    a backtick or a space, which CommonMark would otherwise take off. Line breaks become
    spaces (one would end the table row) and pipes are escaped: GitHub's tables split cells
    at a bare ``|`` even inside code, and show ``\\|`` there as ``|``."""
    text = re.sub(r"\r\n?|\n", " ", str(value)).replace("|", "\\|")
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text[:1] in ("`", " ") or text[-1:] in ("`", " ") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def meta(value: object) -> str:
    """A value for generated front matter (titles, descriptions): HTML-escaped, JSON-quoted.

    MkDocs themes print ``page.meta.title`` unescaped in places, so the entity-escaped form is
    what must reach them; JSON is valid YAML and quotes everything safely.
    """
    return json.dumps(html.escape(" ".join(str(value).split()), quote=True), ensure_ascii=False)


def html_text(value: object) -> str:
    """Escape text for HTML (for the few raw-HTML snippets in generated pages)."""
    return html.escape(str(value), quote=True)


def html_cell(value: object) -> str:
    """Escape text for a raw-HTML table cell, as `cell` does for a Markdown one: its lines
    folded into one (each row stays one line of the page), "–" for nothing."""
    return html_text(" ".join(str(value).split())) if value not in (None, "") else "–"


RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
"""Hebrew, Arabic, Syriac, Thaana and N'Ko letters, and Arabic presentation forms."""


def writes_right_to_left(value: object) -> bool:
    """Whether ``value`` holds a letter of a script written right to left."""
    return RIGHT_TO_LEFT.search(str(value)) is not None


def own_direction(value: object, indent: str = "  ", classes: str = "") -> str:
    """An attribute list giving the block that ends with ``value`` ``dir="auto"`` when the
    text writes right to left anywhere ("" otherwise): an Arabic lesson in a list then reads
    right to left, bullet and full stop on its side, in a page that reads left to right.
    ``classes`` (space-separated) are given to the block in the same list, whatever its text.

    It is a line of its own, ``indent``-ed to stay in its list item (Python-Markdown reads
    an attribute list on a block's last line as that block's: one list, not two lines)."""
    attributes = [f".{name}" for name in classes.split()]
    if writes_right_to_left(value):
        attributes.append('dir="auto"')
    return f"\n{indent}{{ {' '.join(attributes)} }}" if attributes else ""



def in_comment(text: str) -> str:
    """Text for the inside of an HTML comment: one saying ``-->`` (an action's title) would
    end the comment there, and publish what follows it."""
    return str(text).replace("-->", "- ->").replace("--!>", "- -!>")


# GitHub links "@name" and "@org/team" after any character but an ASCII letter, digit or "_"
# (any other: after "é" too, on the safe side), the name starting with one.
_MENTION = re.compile(r"(?<![A-Za-z0-9_])@(?=[A-Za-z0-9])")
# GitHub makes "http://", "https://", "ftp://" and "www." live links wherever they stand.
_SCHEME = re.compile(r"(?<=[A-Za-z]):(?=//)")
_WWW = re.compile(r"(?i)(?<=www)(?=\.)")
WORD_JOINER = "\u2060"
"""Invisible and unbreakable: written into a mention or an address, it stops GitHub linking it."""


def no_mentions(text: str) -> str:
    """``text`` with every ``@name`` written so GitHub shows it without notifying anyone (a
    record's "@octocat" would otherwise have the bot ping whoever it names, "cc:@org/team" a
    whole team); e-mail addresses such as ``ann@example.com`` are left alone."""
    return _MENTION.sub("@" + WORD_JOINER, text)


def no_autolinks(text: str) -> str:
    """``text`` with its bare addresses (``https://…``, ``www.…``) shown as text, as the site
    shows them, rather than turned into links under the bot's name: a word joiner goes after
    the scheme's colon and after ``www``."""
    return _WWW.sub(WORD_JOINER, _SCHEME.sub(":" + WORD_JOINER, text))


# "#12" and "GH-12" are references to issues wherever they stand.
_REFERENCE = re.compile(r"(?i)(#|(?<![A-Za-z0-9_])gh-)(?=[0-9])")


def no_references(text: str) -> str:
    """``text`` with its issue references (``#12``, ``GH-12``) written so GitHub shows them
    as typed rather than linking (and cross-referencing) another issue."""
    return _REFERENCE.sub(lambda found: found.group(1) + WORD_JOINER, text)


def pasteable(text: str) -> str:
    """Record text as it may be pasted into GitHub: no mention, autolink or issue reference
    (`no_mentions`, `no_autolinks`, `no_references`); it reads the same."""
    return no_references(no_autolinks(no_mentions(text)))
