"""The allowlist every published piece of HTML passes through (nh3, the Rust ammonia sanitizer).

The list is what the site's Markdown and its extensions produce for ordinary writing (tables,
admonitions, task lists, heading permalinks, images), plus a few harmless inline tags. No
event handlers, no ``style`` except table alignment, no script-capable element, and links only
to http, https, mailto or relative addresses (checked after entity decoding and whitespace
removal, as a browser reads them).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import lru_cache

import nh3

URL_SCHEMES = frozenset({"http", "https", "mailto"})
"""The only URL schemes a published link or image may use (relative addresses are kept too)."""
SCOPES = frozenset({"row", "col"})
"""The only values a published header cell's ``scope`` may take."""

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
ALLOWED_TAGS = frozenset({
    "a", "abbr", "blockquote", "br", "caption", "code", "dd", "del", "details", "div", "dl",
    "dt", "em", "figcaption", "figure", "hr", "img", "input", "ins", "kbd", "label", "li",
    "mark", "ol", "p", "pre", "section", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "ul", *_HEADINGS,
    # A place a line may break and nothing else: a readings table's "$43,900/day" breaks
    # before "/day" on a phone, as "+2.5 days" breaks before its unit.
    "wbr",
})
"""Elements a published page may hold."""
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    # `data-search-exclude` keeps generated lists out of the search index; `hidden` holds the
    # search-only words of a record page. Neither can run anything.
    "*": {"class", "title", "id", "data-search-exclude", "hidden", "dir"},
    "details": {"open"},
    "a": {"href"},
    # A chart's drawn size keeps its room while it loads lazily (as the reader scrolls).
    "img": {"src", "alt", "width", "height", "loading"},
    "abbr": set(),
    # A generated page's sign that repeats what its words say (the ▲ before "1 action aimed at
    # this indicator, done"), left out of what a screen reader reads. Only "true", and never in
    # a record's body (`body_cleaner`): a body publishes its words to every reader alike.
    "span": {"aria-hidden"},
    "ol": {"start"},
    # A header cell says which cells it heads: its row or its column, and nothing else
    # (`rowgroup` and `colgroup` would make it head cells of other rows or columns, which a
    # screen reader would then read it with).
    "th": {"style", "align", "scope"},
    # A cell across a table's columns: the indicators index's "and 37 more teams" under an
    # indicator's worst readings. A count of columns and nothing else (`_attribute_filter`).
    "td": {"style", "align", "colspan"},
    "input": {"type", "checked", "disabled"},
}
"""Attributes a published element may carry (``*``: any element)."""

_URL_ATTRIBUTES = {"href", "src"}
_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
# The theme's own elements have ids starting with "__" (`__config` holds its settings), so no
# published id may start with "_" (DOM clobbering); other ids are anchors (headings, tables,
# the tags plugin's placeholders such as "tags.md:42-64/slug") and are kept.
_SAFE_ID = re.compile(r"[^_\s]\S*")
RESERVED_IDS = frozenset({"hs-search-box", "hs-search-results"})
"""The ids of the site's own elements outside the theme's ``__`` ones (the header's search box
and its results, which its ARIA attributes name): a body taking one would clobber them."""


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "id":
        return value if _SAFE_ID.fullmatch(value) and value not in RESERVED_IDS else None
    if attribute == "aria-hidden":
        return value if value == "true" else None
    if attribute == "dir":  # each paragraph's own direction; never forced either way
        return value if value == "auto" else None
    if attribute == "scope":
        return value if value in SCOPES else None
    if tag == "img" and attribute in ("width", "height"):  # pixels, nothing else
        return value if value.isdigit() and len(value) <= 5 else None
    if attribute == "colspan":  # a table's columns: a few, not a layout
        return value if value.isdigit() and len(value) <= 2 else None
    if tag == "img" and attribute == "loading":
        return value if value in ("lazy", "eager") else None
    if tag == "input" and attribute == "type":  # a task list's box, not a password field
        return value if value.lower() == "checkbox" else None
    # The sanitizer reads "java   script:" (spaces kept after a newline inside a list item) as
    # a relative address; a reader that drops all whitespace would not. Refuse what would be a
    # disallowed scheme once every invisible character is gone.
    if attribute in _URL_ATTRIBUTES:
        scheme = _SCHEME.match(_INVISIBLE.sub("", html.unescape(value)).lower())
        if scheme and scheme.group(1) not in URL_SCHEMES:
            return None
    return value


_SET_ATTRIBUTES = {"img": {"referrerpolicy": "no-referrer"}}
"""Attributes every published element of a kind carries, whatever it was written with: an
image is given by its full address, so each reader's browser fetches it from that host, which
learns the reader's address and time but not which record (whose page address names it) was
read."""

# script and style take their content with them; everything else keeps its text.
_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags={"script", "style"},
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=set(URL_SCHEMES),
    filter_style_properties={"text-align"},
    strip_comments=True,
    set_tag_attribute_values=_SET_ATTRIBUTES,
    attribute_filter=_attribute_filter,
)


def sanitize(html: str) -> str:
    """``html`` with everything outside the allowlist removed."""
    return _CLEANER.clean(html)


# A record's body may style nothing: the theme's own classes (a fixed dialog, a header) and
# the generated pages' would let it float a fake prompt over its page, and `hidden` would
# publish text no reader sees. So would the classes the theme's styles and scripts give
# meaning to: `.tabbed-block` hides its text outside a tab set and `.annotate` hides a list
# (while search still finds both), and so does `.headerlink` (a heading's permalink, shown
# only while the heading is hovered). Material's documented button classes are writing, not
# layout.
_RESERVED_CLASS = r"(?:md|hs)-(?!button(?:--primary)?$)\S*|tabbed-\S*|annotate|headerlink"
EXTENSION_CLASSES: dict[str, tuple[str, frozenset[str]]] = {
    "footnotes": (r"footnote\S*", frozenset({"footnotes", "markdown.extensions.footnotes",
                                              "extra", "markdown.extensions.extra",
                                              "pymdownx.extra"})),
    "code": (r"highlight|codehilite|linenos|linenodiv|hll|filename",
             frozenset({"codehilite", "markdown.extensions.codehilite", "pymdownx.highlight",
                        "pymdownx.superfences", "pymdownx.extra"})),
    "diagrams": (r"mermaid", frozenset({"pymdownx.superfences", "pymdownx.extra"})),
    "math": (r"arithmatex", frozenset({"pymdownx.arithmatex"})),
}
"""Classes Markdown extensions give what they make, which the theme's styles and scripts key
on, with the extensions that make them: written by a record, `.footnote-backref` shrinks text
to nothing and `.highlight code a[id]` hides it (while search still finds it), `.mermaid`
makes every reader's browser fetch and run a diagram script from a CDN. A body may carry
them only where the site's Markdown has an extension that makes them (its footnotes, its
code), and then only as that extension writes them is the intent; elsewhere they are refused
however they are spelled (the check reads the rendered HTML, entities decoded)."""


def reserved_classes(extensions: Iterable[str]) -> str:
    """The pattern of the classes a body may not carry, for a site with ``extensions``."""
    names = set(extensions)
    return "|".join([_RESERVED_CLASS, *(pattern for pattern, makers in
                                         EXTENSION_CLASSES.values() if not names & makers)])


@lru_cache(maxsize=8)
def body_cleaner(reserved: str) -> nh3.Cleaner:
    """The body sanitizer refusing the classes ``reserved`` matches (`reserved_classes`)."""
    pattern = re.compile(reserved, re.IGNORECASE)

    def attribute_filter(tag: str, attribute: str, value: str) -> str | None:
        if attribute == "class":
            kept = " ".join(c for c in value.split() if not pattern.fullmatch(c))
            return kept or None
        return _attribute_filter(tag, attribute, value)

    return nh3.Cleaner(
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style"},
        # A body publishes what it says, to readers and to search alike: no hidden text, and
        # no part kept out of the index (`data-search-exclude` is for hand-written pages).
        # Nor text kept from screen readers alone (`aria-hidden`, for the generator's signs).
        attributes={**ALLOWED_ATTRIBUTES,
                    "*": ALLOWED_ATTRIBUTES["*"] - {"hidden", "data-search-exclude"},
                    "span": ALLOWED_ATTRIBUTES["span"] - {"aria-hidden"}},
        url_schemes=set(URL_SCHEMES),
        filter_style_properties={"text-align"},
        strip_comments=True,
        attribute_filter=attribute_filter,
        set_tag_attribute_values=_SET_ATTRIBUTES,
    )


def sanitize_body(html: str, reserved: str = _RESERVED_CLASS) -> str:
    """A record body's HTML with everything outside the allowlist removed, and the classes
    ``reserved`` matches (by default the theme's and the generator's own) and the ``hidden``
    attribute too."""
    return body_cleaner(reserved).clean(html)
