"""Where every generated page lives, and the options that shape links between them.

Every stage that needs a page's path, a slug or an edit link imports it from here, so no
stage climbs back up the pipeline (render, figures, exports and the feed all share these).
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

PAGES = {
    "home": "index.md",
    "retros": "retros/index.md",
    "reviews": "reviews/index.md",
    "postmortems": "postmortems/index.md",
    "causes": "causes/index.md",
    "actions": "actions/index.md",
    "plan": "plan/index.md",
    "assumptions": "plan/assumptions.md",
    "teams": "teams/index.md",
    "indicators": "indicators/index.md",
    "whats_new": "whats-new.md",
    "tags": "tags.md",
    "record_format": "guide/record-format.md",
}
"""The fixed pages, by name."""


def slugify(text: str) -> str:
    """A safe id from free text: ``"The Apollo Launch!"`` → ``the-apollo-launch``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:60].strip("-")


@lru_cache(maxsize=4096)
def owner_slug(name: str) -> str:
    """The URL slug of an action owner's page."""
    return slugify(name) or "unknown"


def record_path(entry_id: str) -> str:
    """Where a record's page lives."""
    return f"records/{entry_id}.md"


def cause_path(cause_id: str) -> str:
    """Where a cause's page lives."""
    return f"causes/{cause_id}.md"


def owner_path(owner: str) -> str:
    """Where an action owner's page lives."""
    return f"actions/owners/{owner_slug(owner)}.md"


def team_path(team_id: str) -> str:
    """Where a team's page lives."""
    return f"teams/{team_id}.md"


def indicator_path(indicator_id: str) -> str:
    """Where an indicator's page lives."""
    return f"indicators/{indicator_id}.md"


def plan_path(kind_id: str) -> str:
    """Where a plan kind's checklist lives."""
    return f"plan/{kind_id}.md"


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

    def edit_url(self, source: str) -> str | None:
        """The address that edits ``source`` (a path relative to the knowledge-base root)."""
        if not self.repo_url:
            return None
        return f"{self.repo_url.rstrip('/')}/edit/{self.branch}/{source}"
