"""Pages at the addresses a renamed team or cause had, leading to its pages under the new id.

A team renamed in ``taxonomy.yml`` keeps its earlier id among its ``aliases`` (a merged cause
likewise), so its records and series carry on; but its pages move with the id, and every link
to the old address (a bookmark, a chat message, a slide) met a bare 404. Each page a current
id has is also published at each alias's address, as a small HTML page that sends the reader
on and says where the page went.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable

from ..paths import html_href, served_url
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
                    if old in pages:
                        continue
                    served = served_url(old, directory_urls)
                    file = served + "index.html" if served.endswith("/") else served
                    href = html_href(old, path, directory_urls)
                    moved[file] = _PAGE.format(
                        title=html.escape(title), href=html.escape(href),
                        href_js=json.dumps(href).replace("</", "<\\/"), what=f"The {kind}",
                        alias=html.escape(alias), id=html.escape(current)).encode("utf-8")
    return moved
