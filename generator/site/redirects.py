"""Pages at the addresses a renamed team, cause or record had, leading to its pages now.

A team renamed in ``taxonomy.yml`` keeps its earlier id among its ``aliases`` (a merged cause
likewise), so its records and series carry on; but its pages move with the id, and every link
to the old address (a bookmark, a chat message, a slide) met a bare 404. Each page a current
id has is also published at each alias's address, as a small HTML page that sends the reader
on and says where the page went. A record file renamed in git (``git mv``, to fix a date or
a team in its name) likewise keeps its old page's address: git's history says what it was
called (`Provenance.renamed`).
"""

from __future__ import annotations

import html
import json
import posixpath
import re
from collections.abc import Iterable, Mapping

from ..paths import html_href, record_path, served_url
from ..records.load import RECORD_FOLDERS
from ..records.taxonomy import Taxonomy

# The pages named by a team's or a cause's id: the id's place in the path is group "id".
_TEAM_PAGES = (re.compile(r"teams/(?P<id>[^/]+)\.md"),
               re.compile(r"indicators/(?P<indicator>[^/]+)/(?P<id>[^/]+)\.md"))
_CAUSE_PAGES = (re.compile(r"causes/(?P<id>[^/]+)\.md"),
                re.compile(r"causes/(?P<id>[^/]+)/(?P<year>\d{4})\.md"))

# The script carries the section an old link named (``#actions``) to the new page, which the
# refresh alone drops; the refresh serves a reader without scripts.
_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width,initial-scale=1">
<title>{title} has moved</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="{href}">
<script>location.replace({href_js} + location.hash)</script>
<meta http-equiv="refresh" content="0; url={href}">
</head>
<body>
<main>
<h1>{title} has moved</h1>
<p>{what} <code>{alias}</code> is now <code>{id}</code>: <a href="{href}">{title}</a>.</p>
</main>
</body>
</html>
"""


def redirect_pages(pages: Iterable[str], taxonomy: Taxonomy,
                   directory_urls: bool) -> dict[str, bytes]:
    """For every page in ``pages`` (generated ``.md`` paths) named by a team's or a cause's
    id, a page at each of its aliases' addresses leading to it, by the file it is served
    from (``teams/sales/index.html``, or ``teams/sales.html`` without directory URLs), titled
    as the page it leads to ("Win rate — Inbound sales has moved"). An address a page of its
    own already holds is left to that page."""
    named = {"team": {t.id: (t.aliases, t.name) for t in taxonomy.teams if t.aliases},
             "cause": {c.id: (c.aliases, c.title) for c in taxonomy.causes if c.aliases}}
    if not any(named.values()):  # no id was ever renamed: nothing to walk 10,000 pages for
        return {}
    labels = {i.id: i.label for i in taxonomy.indicators}
    pages = set(pages)
    moved: dict[str, bytes] = {}
    for path in sorted(pages):
        for kind, patterns in (("team", _TEAM_PAGES), ("cause", _CAUSE_PAGES)):
            for pattern in patterns:
                found = pattern.fullmatch(path)
                if found is None or found["id"] not in named[kind]:
                    continue
                current = found["id"]
                aliases, title = named[kind][current]
                parts = found.groupdict()
                if parts.get("indicator"):  # a team's page of one indicator
                    title = f"{labels.get(parts['indicator'], parts['indicator'])} — {title}"
                if parts.get("year"):  # a cause's citations of one year
                    title = f"{title} in {parts['year']}"
                start, end = found.span("id")
                for alias in aliases:
                    old = path[:start] + alias + path[end:]
                    if old not in pages:
                        moved.update(_moved_page(old, path, title, f"The {kind}", alias,
                                                 current, directory_urls))
    return moved


def renamed_record_pages(pages: Iterable[str], renamed: Mapping[str, str],
                         titles: Mapping[str, str], directory_urls: bool) -> dict[str, bytes]:
    """For every record file renamed in git (``renamed``: each earlier path to the path now,
    relative to the knowledge base), a page at the old record page's address leading to the
    record's page now, titled as that page (``titles``: page titles by record id). An address
    a page of its own holds (a record since written under the old name) is left to it."""
    pages = set(pages)
    moved: dict[str, bytes] = {}
    for earlier, now in sorted(renamed.items()):
        alias, current = _record_id(earlier), _record_id(now)
        if alias is None or current is None or alias == current:
            continue
        old, path = record_path(alias), record_path(current)
        if old in pages or path not in pages:  # the record was since deleted: nothing to lead to
            continue
        moved.update(_moved_page(old, path, titles.get(current, current), "The record",
                                 alias, current, directory_urls))
    return moved


def _record_id(path: str) -> str | None:
    """The record id a path in a record folder names (its file name without ``.md``)."""
    folder, name = posixpath.split(path)
    stem, extension = posixpath.splitext(name)
    return stem if folder in RECORD_FOLDERS and extension == ".md" and stem else None


def _moved_page(old: str, path: str, title: str, what: str, alias: str, current: str,
                directory_urls: bool) -> dict[str, bytes]:
    """The page at page ``old``'s address that leads to page ``path``, by the file it is
    served from."""
    served = served_url(old, directory_urls)
    file = served + "index.html" if served.endswith("/") else served
    href = html_href(old, path, directory_urls)
    return {file: _PAGE.format(
        title=html.escape(title), href=html.escape(href),
        href_js=json.dumps(href).replace("</", "<\\/"), what=what,
        alias=html.escape(alias), id=html.escape(current)).encode("utf-8")}
