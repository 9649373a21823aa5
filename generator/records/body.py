"""Record bodies: rendered with the site's own Markdown, checked against what the allowlist keeps.

A browser receives the HTML that Python-Markdown and its extensions produce, not the Markdown
source, so patterns over the source miss what matters (an ``attr_list`` event handler, a
reference definition inside a quote, a newline inside ``java⏎script:``). Each body is therefore
rendered with exactly the extensions of the knowledge base's ``mkdocs.yml`` and compared with
what the allowlist sanitizer (`generator.records.sanitize`) keeps: every construct it would remove is a
located error, so what is in git is what is published. The generated record page embeds the
sanitized HTML, so any engine that builds the generated tree publishes the same safe markup.
"""

from __future__ import annotations

import bisect
import html
import json
import re
import secrets
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown

from ..errors import ConfigError, Problems
from ..escape import RIGHT_TO_LEFT
from ..paths import LATIN_LETTERS, RECORD_PAGE_ANCHORS, record_links_by_name, rewrite_in_tags
from .sanitize import URL_SCHEMES, reserved_classes, sanitize_body
from .site_config import Stamp, config_stamp, read_site_config

DEFAULT_EXTENSIONS: list[Any] = [
    {"toc": {"permalink": True}}, "tables", "admonition", "attr_list",
    {"pymdownx.tasklist": {"custom_checkbox": True}},
]
"""The Markdown extensions used when the knowledge base has no ``mkdocs.yml`` (the sample's)."""

_URL_ATTRS = {"href", "src", "action", "formaction", "xlink:href", "poster", "background"}
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_CONTROL = re.compile(r"[\x00-\x20\x7f]")


@dataclass(frozen=True)
class Finding:
    """One construct the allowlist removes from a rendered body."""

    key: tuple[str, ...]
    """What identifies it (kind, tag, attribute, value), to find its line."""
    message: str
    hint: str
    token: str
    """Text to look for on the source line, for the column."""


def _load_mkdocs_yml(root: Path) -> Any:
    try:
        return read_site_config(root)
    except ConfigError:  # missing, or unreadable: the build says why
        return {}


def site_extensions(root: Path) -> tuple[list[str], dict[str, dict[str, Any]]]:
    """The ``markdown_extensions`` of ``root/mkdocs.yml`` and the files it inherits (names and
    configs), or the defaults."""
    # Read once per version of the files: validation asks for every record that links to a
    # section, and parsing mkdocs.yml thousands of times took minutes at 10,000 records. Every
    # file it inherits counts: keyed on mkdocs.yml alone, a server kept the extensions of a
    # base file as it was when it started.
    names, configs = _site_extensions(str(root), config_stamp(root))
    return list(names), json.loads(configs)


@lru_cache(maxsize=8)
def _site_extensions(root: str, seen: Stamp) -> tuple[tuple[str, ...], str]:
    names, configs = _read_site_extensions(Path(root))
    return tuple(names), json.dumps(configs, default=str)


def _read_site_extensions(root: Path) -> tuple[list[str], dict[str, dict[str, Any]]]:
    data = _load_mkdocs_yml(root)
    items = data.get("markdown_extensions") if isinstance(data, dict) else None
    if isinstance(items, dict):  # the mapping form MkDocs takes too: name → config
        items = [{name: config} for name, config in items.items()]
    if not isinstance(items, list):
        items = DEFAULT_EXTENSIONS
    names: list[str] = []
    configs: dict[str, dict[str, Any]] = {}
    for item in items:
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, dict):
            for name, config in item.items():
                names.append(str(name))
                if isinstance(config, dict):
                    configs[str(name)] = config
    return names, configs


class TooDeep(Exception):
    """A body nests lists or quotes deeper than the Markdown renderer can follow."""


TOC_EXTENSIONS = ("toc", "markdown.extensions.toc")
INCLUDING_EXTENSIONS = frozenset({"pymdownx.snippets"})
"""Extensions that put other files' text into a page: never run on a record's body, which
would otherwise publish whatever the build can read (a CI token in ``.git/config``)."""
_SNIPPET = re.compile(r"^[ \t]*-+8<-+", re.MULTILINE)
"""A line pymdownx.snippets reads as an inclusion (inline or the start of a block; one
escaped with ``;`` is text)."""


FENCE_EXTENSIONS = ("fenced_code", "markdown.extensions.fenced_code", "extra",
                    "markdown.extensions.extra", "pymdownx.superfences", "pymdownx.extra")
"""The Markdown extensions that render a fenced code block (```) as one."""
# A fence opens a line of its own, after any list markers, quote markers or indentation,
# and is followed by its info string only (```inline``` on one line is inline code).
_FENCE = re.compile(r"^(?:[ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+|[ \t]*>[ \t]?|[ \t]+)*"
                    r"(`{3,}|~{3,})(?!.*`)[^\n]*$")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


class BodyRenderer:
    """One Markdown instance with the site's extensions, reset between bodies (never rebuilt)."""

    def __init__(self, names: list[str], configs: dict[str, dict[str, Any]]) -> None:
        self.fences = any(name in FENCE_EXTENSIONS for name in names)
        """Whether the site renders fenced code blocks (else a fence is inline code)."""
        self.tilde = "pymdownx.tilde" in names
        """Whether ``~~words~~`` is struck out on the site (else the tildes show as typed)."""
        self._names = [name for name in names if name not in INCLUDING_EXTENSIONS]
        self._configs = {name: dict(c) for name, c in configs.items()}
        self.includes = len(self._names) < len(names)
        """Whether the site's Markdown includes files (a body's inclusion is then refused)."""
        reserved = [reserved_classes(names)]
        # The theme hides a heading's permalink (`.headerlink`) until the heading is hovered:
        # written by a record, that class hides any text from readers while search finds it.
        # So a body may never carry it, and the permalinks the site's table of contents adds
        # to a body's headings are made under a class no record can know (this process's
        # own), which takes the published class only once the body is sanitized.
        self._permalink: tuple[str, str] | None = None
        for name in TOC_EXTENSIONS:
            toc = self._configs.get(name)
            if name in names and toc is not None and toc.get("permalink"):
                published = str(toc.get("permalink_class") or "headerlink")
                self._permalink = (f"permalink-{secrets.token_hex(12)}", published)
                toc["permalink_class"] = self._permalink[0]
                reserved.append(re.escape(published))
        self._md = self._markdown()
        self.reserved = "|".join(reserved)
        """The classes a body may not carry on this site (`reserved_classes`, and the class
        of the table of contents' permalinks)."""

    def _markdown(self) -> markdown.Markdown:
        try:
            return markdown.Markdown(extensions=self._names, extension_configs=self._configs)
        except (ImportError, AttributeError, TypeError, KeyError, ValueError) as exc:
            raise ConfigError(f"mkdocs.yml markdown_extensions cannot be loaded: {exc}") from None

    def html(self, text: str) -> str:
        """The HTML the site's Markdown makes of ``text``, before any sanitizing; `TooDeep`
        where the renderer cannot follow its nesting (500 list markers on one line)."""
        self._md.reset()
        try:
            return self._md.convert(text)
        except RecursionError:
            # Left half-way through a document, the instance fails every later one.
            self._md = self._markdown()
            raise TooDeep from None

    def safe_html(self, text: str) -> str:
        """The HTML a record page publishes for ``text``: rendered, then sanitized."""
        return self.published(sanitize_body(self.html(text), self.reserved))

    def published(self, cleaned: str) -> str:
        """Sanitized HTML as the page publishes it: the headings' permalinks (made under this
        process's own class) given the class the site's theme styles."""
        if self._permalink is None:
            return cleaned
        made, published = self._permalink
        # A heading whose id the sanitizer refused (`{: #__nav }`) keeps no dead ¶ link to it
        # (its refused id is the error; a link the writer never wrote would be a second one).
        cleaned = re.sub(f'<a class="{made}" href="#([^"]*)"[^>]*>.*?</a>',
                         lambda link: link.group() if f' id="{link.group(1)}"' in cleaned else "",
                         cleaned, flags=re.S)
        return cleaned.replace(f'class="{made}"', f'class="{html.escape(published)}"')


def renderer_for(root: Path) -> BodyRenderer:
    """The body renderer for the knowledge base at ``root`` (one per configuration and process)."""
    names, configs = site_extensions(root)
    return _renderer(json.dumps([names, configs], sort_keys=True, default=str))


@lru_cache(maxsize=8)
def _renderer(key: str) -> BodyRenderer:
    names, configs = json.loads(key)
    return BodyRenderer(names, with_heading_slugs(names, configs))


class HeadingSlug:
    """The ids headings get: Python-Markdown's own slugs (``Why we lost`` → ``why-we-lost``)
    whenever they give one, so links to headings of plain or accented letters stay; for a
    heading in a script they cannot spell (``背景``, ``الخلفية``) the heading's own words
    (``背景``) instead of nothing, which the toc extension turned into ``_1``, an id the
    sanitizer refuses (ids starting with ``_`` are the theme's). Letters that are no plain
    letter with an accent are written out first, as `slugify` writes them: ``Größte
    Baustelle`` is ``grosste-baustelle``, where Python-Markdown dropped the ``ß``
    (``grote-baustelle``), ``Weiß`` is ``weiss``, not ``wei``, and ``Østersø`` is
    ``osterso``, not ``sters``."""

    def __call__(self, value: str, separator: str) -> str:
        from markdown.extensions.toc import slugify, slugify_unicode

        return (slugify(value.translate(LATIN_LETTERS), separator)
                or slugify_unicode(value, separator) or "section")

    def __repr__(self) -> str:  # stable across runs: caches key on the configuration's text
        return "hindsight.HeadingSlug"


HEADING_SLUG = HeadingSlug()
"""The ``slugify`` of the toc extension unless mkdocs.yml names its own."""
HEADING_SLUG_OBJECT = f"{HeadingSlug.__module__}.{HeadingSlug.__qualname__}"
"""`HeadingSlug` by the name a configuration file gives it (Zensical imports and calls it)."""


def with_heading_slugs(names: Collection[str],
                       configs: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """``configs`` with `HEADING_SLUG` as the toc extension's ``slugify`` when it is used
    and mkdocs.yml does not set one (the site's build applies the same)."""
    for name in ("toc", "markdown.extensions.toc"):
        if name in names:
            config = configs.setdefault(name, {})
            if not config.get("slugify"):
                config["slugify"] = HEADING_SLUG
    return configs


class _Elements(HTMLParser):
    """Start tags with their attributes (values entity-decoded), in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, [(name, value or "") for name, value in attrs]))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def _elements(text: str) -> list[tuple[str, list[tuple[str, str]]]]:
    parser = _Elements()
    parser.feed(text)
    parser.close()
    return parser.found


def _norm(name: str, value: str) -> str:
    if name == "style":  # the sanitizer rewrites kept declarations as `prop:value`
        return ";".join(sorted(re.sub(r"\s+", "", d) for d in value.split(";") if d.strip()))
    return value


def _signature(found: Iterable[tuple[str, list[tuple[str, str]]]]) -> Counter[tuple[str, ...]]:
    counts: Counter[tuple[str, ...]] = Counter()
    for tag, attrs in found:
        counts[("element", tag)] += 1
        for name, value in attrs:
            if name != "rel":  # the sanitizer adds rel="noopener noreferrer" to links
                counts[("attribute", tag, name, _norm(name, value))] += 1
    return counts


_STRUCK = frozenset({"s", "strike"})
"""Elements of struck-out text the allowlist refuses (it keeps ``<del>``)."""


def _describe(key: tuple[str, ...]) -> Finding:
    if key[0] == "element":
        tag = key[1]
        if tag in _STRUCK:  # Markdown has no strikethrough here (`~~` shows as typed)
            return Finding(key, f"raw HTML <{tag}> is not allowed in a record",
                           "write <del>…</del> for struck-out text, which the site keeps",
                           f"<{tag}")
        return Finding(key, f"raw HTML <{tag}> is not allowed in a record",
                       "write Markdown instead; to show the tag as text, put it in `backticks`",
                       f"<{tag}")
    _, tag, name, value = key
    if name.startswith("on"):
        return Finding(key, f"event-handler attribute {name} on <{tag}> is not allowed",
                       "remove it; records cannot run script", name)
    if name in _URL_ATTRS:
        scheme = _SCHEME.match(_CONTROL.sub("", html.unescape(value)))
        if scheme and scheme.group(1).lower() not in URL_SCHEMES:
            word = scheme.group(1).lower()
            return Finding(key, f"a link with the {word}: scheme is not allowed",
                           "link with http, https or mailto, or to another record by its id",
                           "](" if tag == "a" else name)
    if name == "style":
        return Finding(key, f"a style attribute on <{tag}> is not allowed",
                       "remove it; the site's theme styles every record", "style")
    if name == "class":
        return Finding(key, f"the class {value} on <{tag}> is the site's own, not a record's",
                       "remove it; a record cannot lay out its page", value.split()[0])
    if name == "scope" and tag == "th":
        return Finding(key, f'scope="{value}" on <th> is not allowed',
                       'write scope="row" for a row\'s header or scope="col" for a column\'s',
                       "scope")
    if name == "hidden":
        return Finding(key, f"the hidden attribute on <{tag}> is not allowed",
                       "remove it; what a record publishes is what its readers see", "hidden")
    if name == "id":
        return Finding(key, f"the id {value} on <{tag}> is the site's own, not a record's",
                       "choose another with {: #another-id }, or write the heading otherwise; "
                       "ids starting with _ and the search box's are the site's", value)
    return Finding(key, f"attribute {name} on <{tag}> is not allowed",
                   "remove it; in `{: }` only classes, a title and heading ids are kept", name)


def findings(renderer: BodyRenderer, text: str) -> list[Finding]:
    """Every construct the allowlist removes from ``text`` once rendered (one per occurrence)."""
    return _compare(renderer, text)[0]


def _compare(renderer: BodyRenderer, text: str) -> tuple[list[Finding], str]:
    """What the allowlist removes from ``text`` once rendered, and the sanitized HTML."""
    rendered = renderer.html(text)
    cleaned = sanitize_body(rendered, renderer.reserved)
    if cleaned == rendered:
        return [], renderer.published(cleaned)
    before = _signature(_elements(rendered))
    after = _signature(_elements(cleaned))
    removed = before - after
    # An element the sanitizer drops takes its attributes with it: report the element only.
    dropped = {key[1] for key in removed if key[0] == "element"}
    result = []
    for key, count in sorted(removed.items()):
        if key[0] == "attribute" and key[1] in dropped:
            continue
        result.extend([_describe(key)] * count)
    return result, renderer.published(cleaned)


def _count(renderer: BodyRenderer, lines: list[str], upto: int, key: tuple[str, ...],
           memo: dict[int, Counter[tuple[str, ...]]]) -> int:
    if upto not in memo:
        memo[upto] = Counter(f.key for f in findings(renderer, "\n".join(lines[:upto])))
    return memo[upto][key]


def _locate(renderer: BodyRenderer, lines: list[str], key: tuple[str, ...], nth: int,
            memo: dict[int, Counter[tuple[str, ...]]]) -> int:
    """The first line (0-based) by which the ``nth`` occurrence of ``key`` has appeared."""
    # The body's first k lines render the construct once its last source line is in: the
    # smallest such k is the line to fix (for a reference link, the line that uses it).
    indexes = range(1, len(lines) + 1)
    found = bisect.bisect_left(indexes, nth,
                               key=lambda k: _count(renderer, lines, k, key, memo))
    return min(found, len(lines) - 1)


LOCATE_AT_MOST = 40
LOCATE_BUDGET = 500_000
"""Characters of body located by rendering, at most, summed over its findings: each search
renders parts of the body a dozen times, so a 240 KB body with 40 findings took over a
minute. A long body has fewer of its findings located one by one (two at 240 KB)."""


def locate_at_most(body: str) -> int:
    """How many findings of ``body`` are located by rendering parts of it."""
    return max(1, min(LOCATE_AT_MOST, LOCATE_BUDGET // max(1, len(body))))
"""How many findings of one body are located by rendering parts of it (the rest of that
kind are summed up); findings whose text is in the source as often as they render are
located by reading it, however many."""


def _literal_places(lines: list[str], found: list[Finding]) -> dict[tuple[str, ...], list[int]]:
    """For each kind of finding whose text appears in the source exactly as many times as
    the finding renders (raw HTML pasted from an e-mail: a tag per line), the line of each
    occurrence, in order; the other kinds are located by rendering (`_locate`)."""
    counts = Counter(f.key for f in found)
    tokens: dict[tuple[str, ...], set[str]] = {}
    for finding in found:
        tokens.setdefault(finding.key, set()).add(finding.token)
    places = {}
    for key, (token, *others) in ((k, sorted(t)) for k, t in tokens.items()):
        if others or not token.startswith("<"):
            continue  # attribute names and link syntax recur in ordinary text
        pattern = re.compile(re.escape(token) + r"(?![\w-])", re.IGNORECASE)
        lines_of = [index for index, line in enumerate(lines)
                    for _ in pattern.finditer(line)]
        if len(lines_of) == counts[key]:
            places[key] = lines_of
    return places


def without_title(body: str, title: str | None = None) -> str:
    """The body without a leading ``# Title`` line (the page prints the title itself).

    With ``title``, only a heading that says the title (case and spacing aside) goes; another
    first heading (``# 🚀 Launch recap`` under the name "The Notion Launch") is the author's
    and stays, one level down, under the page's own title. The line is blanked or rewritten
    rather than removed, so line numbers still match the file.
    """
    stripped = body.lstrip("\n")
    if stripped.startswith("# "):
        start = len(body) - len(stripped)
        end = body.find("\n", start)
        line = body[start:end if end >= 0 else len(body)]
        if title is not None and _plain(line[2:]) != _plain(title):
            return body[:start] + "#" + body[start:]
        return body[:start] + ("" if end < 0 else body[end:])
    return body


def _plain(heading: str) -> str:
    """A heading's words for comparing with a title: case, spacing and emphasis aside."""
    return " ".join(heading.replace("*", "").replace("_", " ").split()).casefold()


_SECTION_ID = re.compile(r'(\sid="|\shref="#)(' + "|".join(map(re.escape, RECORD_PAGE_ANCHORS))
                         + r')"')
"""An id of a section a record page adds, or a link to one, in a body's HTML."""


def _own_section_ids(html: str) -> str:
    """A body's ids that a record page's own sections use (``## Actions`` makes ``actions``,
    as does ``{: #actions }``) renamed with ``-1``, with the body's links to them: the page
    would hold two ``actions`` ids, and links from elsewhere to its actions would land on the
    body's text."""
    if ' id="' not in html:
        return html
    # In tags only: text in a code span may read `<h2 id="actions">` too.
    return rewrite_in_tags(html, _SECTION_ID, lambda m: f'{m.group(1)}{m.group(2)}-1"')


_BLOCKS = re.compile(r"<(p|li|h[1-6]|blockquote|td|th|dt|dd)(?=[\s>])(?![^>]*\sdir=)")


def _own_directions(html: str) -> str:
    """A body that writes right to left anywhere gets ``dir="auto"`` on each paragraph, list
    item, heading and cell: each reads in the direction of its first letter, so an Arabic
    paragraph is right-aligned with its full stop at its end, and an English one beside it
    is not. A body without such letters is left as it is."""
    if not RIGHT_TO_LEFT.search(html):
        return html
    return _BLOCKS.sub(r'<\1 dir="auto"', html)


_MARKERS = re.compile(r"(?:[ \t]*(?:\d+[.)]|[-*+>])[ \t]*)*")
"""List and quote markers at the start of a line, however many."""
MARKER_RUN = 200
"""Characters of list and quote markers a line may start with (``1. 1. 1. …``, ``> > > …``):
far more than any record nests, and short of what runs the renderer out of stack."""


def _marker_run(line: str) -> int:
    """How long the run of list and quote markers that starts ``line`` is."""
    found = _MARKERS.match(line)
    return len(found.group()) if found else 0


SHRINK_DEPTH = 3
"""How deeply elements the theme draws smaller may nest (``<small>``, ``<sub>``, ``<sup>``,
``<kbd>``, ``<code>``, ``<h5>``, ``<h6>``): each shrinks its text, and thirty deep draw it a
fiftieth of a pixel high, unseen by readers and found by search."""
_SHRINKING = re.compile(r"<(/?)(?:small|sub|sup|kbd|code|h5|h6)(?=[\s>/])", re.IGNORECASE)


def _check_shrinking(path: str, body: str, first_line: int, html_text: str,
                     problems: Problems) -> None:
    """An error where the body nests text-shrinking tags deeper than `SHRINK_DEPTH`."""
    depth = deepest = 0
    for match in _SHRINKING.finditer(html_text):
        depth = max(0, depth - 1) if match.group(1) else depth + 1
        deepest = max(deepest, depth)
    if deepest <= SHRINK_DEPTH:
        return
    line, depth = 0, 0  # where the source first goes past the limit, if it writes the tags
    for index, text in enumerate(body.split("\n")):
        for match in _SHRINKING.finditer(text):
            depth = max(0, depth - 1) if match.group(1) else depth + 1
            if depth > SHRINK_DEPTH and not line:
                line = index
    problems.error(path, first_line + line, 1, "body",
                   f"nests <small>, <sub>, <sup>, <kbd>, <code> or small headings {deepest} "
                   "deep",
                   f"at most {SHRINK_DEPTH}: each makes its text smaller, and deeper it is "
                   "too small to read")


_HEAVY = (("[", 2_000, "square brackets `[`"), ("<", 5_000, "angle brackets `<`"),
          ("(", 10_000, "parentheses `(`"), ("{", 2_000, "curly braces `{`"),
          ("*", 10_000, "asterisks `*`"), ("_", 10_000, "underscores `_`"),
          ("\\", 10_000, "backslashes `\\`"), ("`", 10_000, "backticks `` ` ``"),
          # Each entity and hard line break is a placeholder the inline patterns search for
          # again: 50,000 `&amp;` took a minute, 20,000 lines ending in two spaces six seconds.
          ("&", 5_000, "ampersands `&`"),
          ("  \n", 5_000, "lines ending in two spaces (hard line breaks)"))
"""Characters a body may hold only so many of: (character, limit, name)."""


BLOCK_LIMIT = 500
"""The most headings, rules and admonition lines one block (lines with no blank line between)
may hold: Python-Markdown splits such a block once per line, in time that grows with the
square of the block (85,000 `#a` lines took ten minutes); separated by blank lines they are
quick."""
_SPLITTING = re.compile(r" {0,3}(?:#|(?:[*_-][ \t]*){3,}$|=+[ \t]*$|-+[ \t]*$|!!!|\?\?\?)")


def _crowded_block(body: str) -> tuple[int, int] | None:
    """The first line of the first block holding more than `BLOCK_LIMIT` lines that split
    blocks, with how many it holds; None when there is none."""
    start, count = 0, 0
    for index, line in enumerate(body.split("\n")):
        if not line.strip():
            if count > BLOCK_LIMIT:
                return start, count
            start, count = index + 1, 0
        elif _SPLITTING.match(line):
            count += 1
    return (start, count) if count > BLOCK_LIMIT else None


def _nth_line(text: str, mark: str, n: int) -> int:
    """The index of the line holding the ``n``-th ``mark`` of ``text``."""
    at = -1
    for _ in range(n):
        at = text.index(mark, at + 1)
    return text.count("\n", 0, at)


def _check_fences(path: str, lines: list[str], first_line: int, problems: Problems) -> None:
    """A fenced code block on a site that does not render them reads as one line of inline
    code, its line breaks gone: said once, at the first fence. (Nothing in an HTML comment
    is published: blanked, its lines kept.)"""
    lines = _COMMENT.sub(lambda m: "\n" * m.group().count("\n"), "\n".join(lines)).split("\n")
    for index, line in enumerate(lines):
        found = _FENCE.match(line)
        if found:
            fences = sum(1 for other in lines if _FENCE.match(other))
            problems.warning(path, first_line + index, found.start(1) + 1, "body",
                             f"a fenced code block ({found.group(1)[:3]}) is not rendered as "
                             "one on this site: it shows as a single line of inline code"
                             + (f" ({fences} fence lines in this body)" if fences > 2 else ""),
                             "indent the code by four spaces instead, or add "
                             "pymdownx.superfences to markdown_extensions in mkdocs.yml")
            return


_STRUCK_TEXT = re.compile(r"(?<!~)~~(?=\S)[^~\n]*?(?<=\S)~~(?!~)")
"""Words between double tildes, as other Markdown writes strikethrough."""


def _check_tildes(path: str, lines: list[str], first_line: int, problems: Problems) -> None:
    """``~~words~~`` on a site without strikethrough publishes the tildes as typed, the words
    not struck (the fix `<s>`'s error suggests elsewhere): said once, at the first. Code
    (inline or indented four spaces) and HTML comments show nothing struck anyway."""
    text = _COMMENT.sub(lambda m: "\n" * m.group().count("\n"), "\n".join(lines))
    for index, line in enumerate(text.split("\n")):
        if line.startswith(("    ", "\t")):
            continue
        found = _STRUCK_TEXT.search(re.sub(r"`[^`]*`", lambda m: " " * len(m.group()), line))
        if found:
            problems.warning(path, first_line + index, found.start() + 1, "body",
                             f"{found.group()} is not struck out on this site: the tildes "
                             "show as typed", "write <del>…</del> for struck-out text, or "
                             "add pymdownx.tilde to markdown_extensions in mkdocs.yml")
            return


def check_body(path: str, body: str, first_line: int, problems: Problems,
               renderer: BodyRenderer, title: str | None = None) -> str:
    """Report, at its line, every construct of the rendered body the allowlist would remove.

    Returns the HTML the record page publishes (the body without its title, sanitized; with
    problems, what the sanitizer kept, so the links in it are still checked this run).
    """
    body = without_title(body, title)
    for mark, limit, what in _HEAVY:
        if body.count(mark) > limit:
            # The Markdown renderer takes time that grows with the square of these (unclosed
            # brackets, tag-like text): 20 KB of `[` took a minute. Refused before rendering.
            index = _nth_line(body, mark, limit + 1)
            problems.error(path, first_line + index, 1, "body",
                           f"has more than {limit:,} {what} ({body.count(mark):,})",
                           "no record needs that many; split it, or put the text in a file "
                           "and link to it")
            return ""
    if renderer.includes:
        for match in _SNIPPET.finditer(body):
            marker = match.group()
            problems.error(path, first_line + body.count("\n", 0, match.start()),
                           len(marker) - len(marker.lstrip(" \t")) + 1,
                           "body", "includes a file with --8<-- (the site's pymdownx.snippets), "
                           "which a record may not do", "paste the text itself: a record "
                           "publishes only what it says, never what the build can read")
        if _SNIPPET.search(body):
            return ""
    crowded = _crowded_block(body)
    if crowded is not None:
        index, count = crowded
        problems.error(path, first_line + index, 1, "body",
                       f"has {count:,} headings or rules in one block, with no blank line "
                       "between them", "put a blank line between them (the Markdown renderer "
                       f"takes minutes over more than {BLOCK_LIMIT:,} in a row)")
        return ""
    lines = body.split("\n")
    deepest = max(range(len(lines)), key=lambda i: _marker_run(lines[i]))
    try:
        # Refused before rendering past `MARKER_RUN` markers: whether the renderer runs out of
        # stack on them depends on the process's recursion limit, which a library may raise.
        if _marker_run(lines[deepest]) > MARKER_RUN:
            raise TooDeep
        found, cleaned = _compare(renderer, body)
    except TooDeep:
        problems.error(path, first_line + deepest, 1, "body",
                       "nests lists or quotes too deeply to be rendered",
                       "no record needs more than a few levels; write the items one per line")
        return ""
    _check_shrinking(path, body, first_line, cleaned, problems)
    if not renderer.fences:
        _check_fences(path, lines, first_line, problems)
    if not renderer.tilde:
        _check_tildes(path, lines, first_line, problems)
    # Links to other records by their path from this one's folder, as the git host follows
    # them, become links by file name: the form the site's link checks and rewriting know.
    cleaned = record_links_by_name(_own_directions(_own_section_ids(cleaned)), path)
    if not found:
        return cleaned.strip()
    lines = body.split("\n")
    memo: dict[int, Counter[tuple[str, ...]]] = {}
    seen: Counter[tuple[str, ...]] = Counter()
    literal = _literal_places(lines, found)
    searched = 0
    for finding in found:
        seen[finding.key] += 1
        places = literal.get(finding.key)
        if places is not None:
            index = places[seen[finding.key] - 1]
        elif searched < locate_at_most(body):
            searched += 1
            index = _locate(renderer, lines, finding.key, seen[finding.key], memo)
        else:
            # Each search renders the body a dozen times over: past this many, the rest are
            # summed up in one error rather than making validation take minutes.
            rest = len(found) - sum(seen.values()) + 1
            problems.error(path, first_line + len(lines) - 1, 1, "body",
                           f"and {rest} more construct{'s' * (rest != 1)} the site would "
                           "remove, not located one by one",
                           "fix the ones listed and run hindsight validate again")
            break
        line = lines[index]
        # A tag's name ends where the tag goes on: "<s" is not found in "<strike>".
        tag = re.search(re.escape(finding.token) + (r"(?=[\s/>])" if finding.token[:1] == "<"
                                                    else ""), line, re.IGNORECASE)
        col = tag.start() + 1 if tag else 0
        if col == 0:
            col = len(line) - len(line.lstrip()) + 1
        problems.error(path, first_line + index, col, "body", finding.message, finding.hint)
    return cleaned.strip()
