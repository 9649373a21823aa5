"""HTML cache: each generated page's HTML, kept between builds by the Markdown it came from.

Converting Markdown to HTML and sanitizing it is most of a site build at scale, and most
generated pages come out the same from one build to the next (a saved record changes its
own page and the few pages that list it). The site engine's adapter asks this cache before
converting a generated page: the entry's key hashes the page's Markdown and path, everything
else the conversion reads (the Markdown configuration, the set of pages links resolve
against, the versions of the libraries and of this code), so an entry is reused only for the
very conversion that produced it.

The cache is derived data: safe to delete, written atomically, and an unreadable entry is a
miss, never an error. Entries are HTML and JSON, never code. A page's HTML is read only when
the page is written, so a build never holds every page's HTML at once. The cache is ignored
when ``.hindsight-cache/`` is tracked by git: cached HTML skips the sanitizer, so it must
never come from a commit.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from ..code import code_digest

HTML_FOLDER = "html"
"""The folder under ``.hindsight-cache/`` that holds the cached pages (HTML and JSON)."""
_FORMAT = "hindsight-html-cache-3"
_LIBRARIES = ("markdown", "mkdocs", "mkdocs-material", "pymdown-extensions", "nh3")

Toc = list[dict[str, Any]]
"""A table of contents as Python-Markdown's toc extension gives it: level, id, name, children."""


@dataclass
class RenderedPage:
    """What converting one page gave: its HTML and what the engine reads from it."""

    html: str
    """The page's body HTML, sanitized."""
    title: str | None
    """The text of the page's first heading, if any."""
    anchors: list[str]
    """Every id in the page that a link may point at."""
    toc: Toc = field(default_factory=list)
    """The page's table of contents."""
    links: dict[str, dict[str, str]] = field(default_factory=dict)
    """The page's links into sections of pages, by the target page's path: anchor → the
    link as written. The engine checks them against the target's anchors on every build,
    so a cached page whose target lost a section still fails a strict build."""


@lru_cache(maxsize=1)
def toolchain_digest() -> str:
    """The versions of every library that takes part in a conversion (and in the theme's
    pages: MkDocs, Material), and this code."""
    digest = hashlib.sha256(_FORMAT.encode())
    for name in _LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}|".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=none|".encode())
    digest.update(code_digest().encode())
    return digest.hexdigest()


class HtmlCache:
    """Rendered pages on disk: per key, the HTML and a JSON file of what the engine reads
    besides it; entries unused by a build are pruned."""

    def __init__(self, folder: Path, settings: Any) -> None:
        """``settings``: everything of the engine's configuration a conversion reads
        (JSON-serialisable, or represented by ``str``)."""
        self.folder = folder
        self._base = hashlib.sha256(toolchain_digest().encode())
        self._base.update(json.dumps(settings, sort_keys=True, default=str).encode())
        self.used: set[str] = set()
        self.hits = 0
        self.misses = 0

    def key(self, path: str, markdown: str) -> str:
        """The key of the page at ``path`` (relative to the docs folder) rendered from
        ``markdown``."""
        digest = self._base.copy()
        digest.update(path.encode())
        digest.update(b"\0")
        digest.update(markdown.encode())
        return digest.hexdigest()

    def _file(self, key: str, suffix: str) -> Path:
        return self.folder / key[:2] / f"{key}{suffix}"

    def get(self, key: str) -> RenderedPage | None:
        """What the page stored under ``key`` gave, its HTML left on disk (read it with
        `html` when the page is written); None when there is no readable entry."""
        self.used.add(key)
        try:
            data = json.loads(self._file(key, ".json").read_bytes())
            page = RenderedPage(html="", title=data["title"], anchors=list(data["anchors"]),
                                toc=list(data["toc"]), links=dict(data["links"]))
            # Missing, or cut short (a crash before the disk had it all): rendered again.
            if self._file(key, ".html").stat().st_size != data["size"]:
                raise ValueError("not the HTML stored")
        except (OSError, ValueError, KeyError, TypeError):
            self.misses += 1
            return None
        self.hits += 1
        return page

    def html(self, key: str) -> str | None:
        """The HTML stored under ``key`` (None when it cannot be read)."""
        try:
            return self._file(key, ".html").read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def put(self, key: str, page: RenderedPage) -> bool:
        """Store ``page`` under ``key``, atomically; False when it could not be written."""
        self.used.add(key)
        html = page.html.encode("utf-8")
        meta = json.dumps({"title": page.title, "anchors": page.anchors, "toc": page.toc,
                           "links": page.links, "size": len(html)}, ensure_ascii=False).encode()
        try:
            # The HTML first: an entry counts only once its metadata exists.
            self._write(self._file(key, ".html"), html)
            self._write(self._file(key, ".json"), meta)
        except OSError:
            return False
        return True

    @staticmethod
    def _write(target: Path, data: bytes) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".", suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, target)

    def prune(self) -> int:
        """Remove every entry this build did not use; return how many were removed."""
        removed = 0
        if not self.folder.is_dir():
            return 0
        for path in self.folder.glob("*/*"):
            if path.stem not in self.used and path.suffix in {".json", ".html", ".tmp"}:
                path.unlink(missing_ok=True)
                removed += path.suffix == ".json"
        return removed
