"""Headings' permalinks as screen readers meet them.

The table of contents extension ends each heading with a link whose text is its sign, ``¶``:
inside the heading, that sign was part of the heading's accessible name, so a screen reader
read "Causes ¶" and its list of headings named every one so. Each built page's headings are
named by their own words (``aria-label``), the sign is hidden from assistive technology, and
the link is named for the section it links to ("Link to this section: Causes"), where every
one of them had been "Permanent link" (its ``title``, kept for the pointer's tooltip).
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from pathlib import Path

LINK_LABEL = "Link to this section"
"""What a heading's permalink is called, before the heading's own words."""

_HEADING = re.compile(
    r"<h(?P<level>[1-6])(?P<attrs>(?:\s[^>]*)?)>(?P<inner>(?:(?!</h[1-6]>).)*?)"
    r'<a class="headerlink" href="(?P<href>#[^"]*)"(?P<rest>[^>]*)>(?P<sign>[^<]*)</a>'
    r"(?P<tail>\s*)</h(?P=level)>",
    re.DOTALL)
"""A heading that ends with the table of contents' permalink (its text the sign alone)."""


class _Name(HTMLParser):
    """A fragment's accessible name as a browser computes it from content: its text, an
    element's ``aria-label`` for the element, an empty element's ``title``, nothing of what
    is ``aria-hidden``."""

    _VOID = frozenset({"br", "img", "wbr", "hr", "input"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._stack: list[tuple[str, bool, str]] = []  # tag, silenced, title if empty
        self._lengths: list[int] = []

    def _silenced(self) -> bool:
        return bool(self._stack) and self._stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        label = (values.get("aria-label") or "").strip()
        title = (values.get("title") or "").strip()
        if tag == "img" and not self._silenced():
            self.parts.append(values.get("alt") or "")
        if tag in self._VOID:
            return
        silenced = self._silenced() or values.get("aria-hidden") == "true"
        if label and not silenced:
            self.parts.append(f" {label} ")
            silenced = True
        self._stack.append((tag, silenced, "" if silenced else title))
        self._lengths.append(len("".join(self.parts)))

    def handle_endtag(self, tag: str) -> None:
        if tag in self._VOID or not self._stack:
            return
        _, _, title = self._stack.pop()
        before = self._lengths.pop()
        if title and not "".join(self.parts)[before:].strip():
            self.parts.append(f" {title} ")

    def handle_data(self, data: str) -> None:
        if not self._silenced():
            self.parts.append(data)


def heading_name(inner: str) -> str:
    """The accessible name of a heading's content (HTML), its spacing made single."""
    parser = _Name()
    parser.feed(inner)
    parser.close()
    return " ".join("".join(parser.parts).split())


def _labelled(match: re.Match[str]) -> str:
    attrs = match["attrs"]
    name = heading_name(match["inner"])
    if "aria-label" in attrs or not name:
        return match[0]
    said = html.escape(name, quote=True)
    level = match["level"]
    return (f'<h{level}{attrs} aria-label="{said}">{match["inner"]}'
            f'<a class="headerlink" href="{match["href"]}"{match["rest"]} '
            f'aria-label="{LINK_LABEL}: {said}"><span aria-hidden="true">{match["sign"]}'
            f"</span></a>{match['tail']}</h{level}>")


def accessible_permalinks(page: str) -> str:
    """``page`` (a built HTML page) with each permalinked heading named by its own words and
    its permalink named for it, the sign hidden from assistive technology."""
    if 'class="headerlink"' not in page:
        return page
    return _HEADING.sub(_labelled, page)


def label_site(site: Path) -> None:
    """Every HTML page of a built ``site`` as `accessible_permalinks` makes it (a Zensical
    build, which runs no MkDocs plugin); a page already so is left as it is."""
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        labelled = accessible_permalinks(text)
        if labelled != text:
            page.write_text(labelled, encoding="utf-8")


__all__ = ["LINK_LABEL", "accessible_permalinks", "heading_name", "label_site"]
