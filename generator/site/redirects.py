"""Pages at the addresses a renamed team or cause had, leading to its pages under the new id.

A team renamed in ``taxonomy.yml`` keeps its earlier id among its ``aliases`` (a merged cause
likewise), so its records and series carry on; but its pages move with the id, and every link
to the old address (a bookmark, a chat message, a slide) met a bare 404. Each page a current
id has is also published at each alias's address, as a small HTML page that sends the reader
on and says where the page went.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

from ..paths import html_href, served_url
from ..records.taxonomy import Taxonomy

# The pages named by a team's or a cause's id: the id's place in the path is group "id".
_TEAM_PAGES = (re.compile(r"teams/(?P<id>[^/]+)\.md"),
               re.compile(r"indicators/[^/]+/(?P<id>[^/]+)\.md"))
_CAUSE_PAGES = (re.compile(r"causes/(?P<id>[^/]+)\.md"),
                re.compile(r"causes/(?P<id>[^/]+)/\d{4}\.md"))

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} has moved</title>
<meta name="robots" content="noindex">
<meta http-equiv="refresh" content="0; url={href}">
<link rel="canonical" href="{href}">
</head>
<body>
<p>{what} <code>{alias}</code> is now <code>{id}</code>: <a href="{href}">{title}</a>.</p>
</body>
</html>
"""


def redirect_pages(pages: Iterable[str], taxonomy: Taxonomy, titles: dict[str, str],
                   directory_urls: bool) -> dict[str, bytes]:
    """For every page in ``pages`` (generated ``.md`` paths) named by a team's or a cause's
    id, a page at each of its aliases' addresses leading to it, by the file it is served
    from (``teams/sales/index.html``, or ``teams/sales.html`` without directory URLs).
    ``titles``: each team's and cause's display name, by id. An address a page of its own
    already holds is left to that page."""
    aliases = {"team": {t.id: t.aliases for t in taxonomy.teams if t.aliases},
               "cause": {c.id: c.aliases for c in taxonomy.causes if c.aliases}}
    pages = set(pages)
    moved: dict[str, bytes] = {}
    for path in sorted(pages):
        for kind, patterns in (("team", _TEAM_PAGES), ("cause", _CAUSE_PAGES)):
            for pattern in patterns:
                found = pattern.fullmatch(path)
                if found is None or found["id"] not in aliases[kind]:
                    continue
                current = found["id"]
                start, end = found.span("id")
                for alias in aliases[kind][current]:
                    old = path[:start] + alias + path[end:]
                    if old in pages:
                        continue
                    served = served_url(old, directory_urls)
                    file = served + "index.html" if served.endswith("/") else served
                    href = html_href(old, path, directory_urls)
                    moved[file] = _PAGE.format(
                        title=html.escape(titles.get(current, current)),
                        href=html.escape(href), what=f"The {kind}", alias=html.escape(alias),
                        id=html.escape(current)).encode("utf-8")
    return moved
