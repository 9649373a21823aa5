"""Where a record's body writes each of its links, so an error about a link is told at it.

The rules across records read a body's links from its published HTML (`generator.paths.
BodyLinks`), which has no positions. Searching the source for a link's target as text put
an error on every link whose target contains it (``2025-01-sales`` in a good
``2025-01-sales.md#indicators``) and on prose that merely names it. Here each link
destination is read where Markdown writes one (``[text](target "title")``,
``[text](<target>)``, a reference definition ``[id]: target``, an HTML tag's ``href`` or
``src``), outside code, and turned into the target the published HTML gives it.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from typing import NamedTuple

from ..paths import record_target_by_name


class LinkPlace(NamedTuple):
    """One link destination as the body writes it."""

    line: int
    """The body's line (0-based)."""
    col: int
    """Where on it (1-based) what an error about the link quotes begins: the destination, or
    the file name of a record linked by its path."""
    target: str
    """The target as the published HTML has it, its entities read (``html.unescape``)."""


# A destination closed on its line: an inline link's runs up to its title or its `)` (Python-
# Markdown allows spaces in it, and one level of parentheses); a reference definition's is
# one word; an attribute's is its quoted value. `<...>` holds a destination with spaces.
_INLINE = (r"\]\(\s*(?:<(?P<angled>[^<>\n]*)>|(?P<inline>(?:[^()\n\\]|\\.|\([^()\n]*\))*?))"
           r"\s*(?:\"[^\"\n]*\"|'[^'\n]*')?\s*\)")
_DEFINITION = r"^[ \t>]*\[[^\]\n]+\]:[ \t]*(?:<(?P<ref_angled>[^<>\n]*)>|(?P<ref>\S+))"
_DESTINATION = re.compile(f"{_INLINE}|{_DEFINITION}")
_GROUPS = ("angled", "inline", "ref_angled", "ref")
# An HTML start tag, read attribute by attribute: ``title="see href="`` holds no link.
_TAG = re.compile(r"<[a-zA-Z][\w-]*((?:\s+[^\s\"'=<>`/]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'"
                  r"|[^\s\"'=<>`]+))?)*)\s*/?>")
_ATTRIBUTE = re.compile(r"([^\s\"'=<>`/]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\"'=<>`]+)))?")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)")


def link_places(body: str, path: str) -> tuple[LinkPlace, ...]:
    """Every link destination of the record body ``body`` (of the record at ``path``), in
    order: a link to another record by its path from this one's folder is given by file
    name, as the published HTML gives it (`generator.paths.record_links_by_name`)."""
    return _link_places(body, path)


@lru_cache(maxsize=64)
def _link_places(body: str, path: str) -> tuple[LinkPlace, ...]:
    # Kept for the few records a run reports links of: each bad link of a body asks again.
    places = []
    fence = ""
    for index, line in enumerate(body.split("\n")):
        opened = _FENCE.match(line)
        if fence:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = ""
            continue
        if opened:
            fence = opened.group(1)
            continue
        # A code span shows link syntax as text; blanked to its length, columns stay true.
        line = _CODE_SPAN.sub(lambda span: " " * len(span.group()), line)
        found = []
        for match in _DESTINATION.finditer(line):
            group = next(name for name in _GROUPS if match.group(name) is not None)
            found.append((match.start(group), _ESCAPED.sub(r"\1", match.group(group))))
        for tag in _TAG.finditer(line):
            for attribute in _ATTRIBUTE.finditer(line, tag.start(1), tag.end(1)):
                value = next((g for g in (2, 3, 4) if attribute.group(g) is not None), None)
                if attribute.group(1).lower() in ("href", "src") and value is not None:
                    found.append((attribute.start(value), attribute.group(value)))
        places += [_place(index, col, written, path) for col, written in sorted(found)]
    return tuple(places)


def _place(index: int, start: int, written: str, path: str) -> LinkPlace:
    """The link destination ``written`` at ``start`` (0-based) of the body's line ``index``."""
    target = html.unescape(written.strip())
    page, hash_, anchor = target.partition("#")
    by_name = record_target_by_name(page, path)
    # Where what an error quotes begins: a record's file name, when its path is written
    # (``../2025/2026-03-sales.md`` is told as ``2026-03-sales.md``).
    offset = (written.partition("#")[0].rfind("/") + 1 if by_name != page
              else len(written) - len(written.lstrip()))
    return LinkPlace(index, start + 1 + offset, by_name + hash_ + anchor)
