"""Helpers for tests that build real sites: copy a knowledge base next to the real mkdocs.yml
and docs/, run a real `mkdocs build --strict`, and read the HTML that comes out."""

from __future__ import annotations

import filecmp
import functools
import gzip
import http.server
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import unquote, urlsplit

REPO = Path(__file__).resolve().parent.parent

CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser"),
                             "/usr/bin/chromium") if p and Path(p).exists()), None)
"""The Chromium browser tests drive (None: not installed, and they skip)."""
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def make_project(dest: Path, kb: Path) -> Path:
    """A site project in ``dest``: the repo's mkdocs.yml, docs/ and theme overrides, and
    ``kb``'s records."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(REPO / "docs", dest / "docs")
    shutil.copytree(REPO / "overrides", dest / "overrides")
    shutil.copy(kb / "taxonomy.yml", dest / "taxonomy.yml")
    for folder in ("retros", "postmortems"):
        if (kb / folder).is_dir():
            shutil.copytree(kb / folder, dest / folder, symlinks=True)
    return dest


def own_site_url(project: Path, url: str = "https://learn.testco.example/hindsight/") -> None:
    """Give ``project``'s mkdocs.yml (the sample's, from `make_project`) a ``site_url`` of its
    own, as a knowledge base of another company sets it: the sample's address under another
    company is a validation warning of its own. The path, ``/hindsight/``, stays."""
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "\nsite_url: https://brightlane.github.io/hindsight/\n" in text
    config.write_text(text.replace("https://brightlane.github.io/hindsight/", url, 1),
                      encoding="utf-8")


def mkdocs_build(project: Path, as_of: str, *extra: str) -> subprocess.CompletedProcess[str]:
    """Run a real, strict MkDocs build; the result carries its output."""
    env = {**os.environ, "HINDSIGHT_AS_OF": as_of, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", *extra],
        cwd=project, env=env, capture_output=True, text=True, check=False, timeout=600,
    )


def differing_files(a: Path, b: Path) -> list[str]:
    """Paths that differ between two built sites (empty when they are byte-identical)."""
    differ = []
    for path in sorted(a.rglob("*")):
        other = b / path.relative_to(a)
        if path.is_file() and (not other.is_file() or not filecmp.cmp(path, other, shallow=False)):
            differ.append(path.relative_to(a).as_posix())
    return differ + [p.relative_to(b).as_posix() for p in b.rglob("*")
                     if p.is_file() and not (a / p.relative_to(b)).exists()]


class Page(HTMLParser):
    """The links, ids, and elements of one built HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.scripts: list[str] = []
        self._in_script = False
        # (text of a table cell, has a link inside), a row's header cell included
        self.cells: list[tuple[str, bool]] = []
        self._cell: list[str] | None = None
        self._cell_link = False
        self._in_article = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if tag == "a" and values.get("href"):
            self.links.append(str(values["href"]))
            if self._cell is not None:
                self._cell_link = True
        if tag == "script":
            self._in_script = True
            self.scripts.append("")
        # A row's cells: its data cells and the header that names it.
        if tag == "td" or (tag == "th" and values.get("scope") == "row"):
            self._cell, self._cell_link = [], False

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append(("".join(self._cell).strip(), self._cell_link))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data
        if self._cell is not None:
            self._cell.append(data)


def parse_page(path: Path) -> Page:
    """Parse a built HTML page."""
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def resolve_link(site: Path, page: Path, href: str) -> tuple[Path, str] | None:
    """The file and anchor an internal link of ``page`` leads to (None for external links)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith(("mailto:", "//")):
        return None
    if parts.path.startswith("/"):  # absolute links (404.html) are under site_url's path
        prefix = "/hindsight/"
        assert parts.path.startswith(prefix), href
        target = site / unquote(parts.path[len(prefix):])
    else:
        target = page if not parts.path else (page.parent / unquote(parts.path))
    if target.is_dir() or parts.path.endswith("/"):
        target = target / "index.html"
    return target.resolve(), parts.fragment


def broken_links(site: Path) -> list[str]:
    """Every internal link of every built page whose file or anchor does not exist."""
    broken = []
    pages = sorted(site.rglob("*.html"))
    parsed = {p.resolve(): parse_page(p) for p in pages}
    for page, info in parsed.items():
        for href in info.links:
            resolved = resolve_link(site, page, href)
            if resolved is None:
                continue
            target, fragment = resolved
            if not target.exists():
                broken.append(f"{page.relative_to(site.resolve())}: {href}")
            elif fragment and target.suffix == ".html":
                ids = parsed[target].ids if target in parsed else parse_page(target).ids
                if fragment not in ids:
                    broken.append(f"{page.relative_to(site.resolve())}: {href} (no anchor)")
    return broken


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """Serve a built site on a free loopback port; yields its address."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def search_pages(site: Path) -> dict[str, dict[str, Any]]:
    """What the built site's search index holds for each page: Pagefind's fragment of it
    (``content``: the indexed text, ``meta``: its title), keyed by the page's address
    relative to the site ("records/x/"). Fragments are gzip'd JSON behind a signature."""
    pages = {}
    # A large site's index is in several bundles: pagefind/ and pagefind/part-N/.
    for path in sorted((site / "pagefind").glob("**/fragment/*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd"), path
        fragment = json.loads(data[len(b"pagefind_dcd"):])
        pages[str(fragment["url"]).lstrip("/")] = fragment
    return pages


def checklist_items(page: str) -> list[str]:
    """A checklist page's items: list items marked as checklist items (``{ .hs-task }``)."""
    lines = page.splitlines()
    return [line for line, after in itertools.pairwise(lines)
            if line.startswith("- ") and after.strip().startswith("{ .hs-task")]


class _Rows(HTMLParser):
    """The body rows of a page's HTML tables, each as `table_rows` writes it."""

    _MARKS: ClassVar[dict[str, str]] = {"strong": "**", "em": "*", "code": "`"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.rows: list[str] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._href: list[str] = []
        self._head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "thead":
            self._head = True
        elif tag == "tr" and not self._head:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif self._cell is not None and tag == "a":
            self._href.append(str(dict(attrs).get("href") or ""))
            self._cell.append("[")
        elif self._cell is not None and tag in self._MARKS:
            self._cell.append(self._MARKS[tag])

    def handle_endtag(self, tag: str) -> None:
        if tag == "thead":
            self._head = False
        elif tag == "tr" and self._row is not None:
            self.rows.append("| " + " | ".join(self._row) + " |")
            self._row = None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif self._cell is not None and tag == "a":
            self._cell.append(f"]({self._href.pop()})")
        elif self._cell is not None and tag in self._MARKS:
            self._cell.append(self._MARKS[tag])

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def table_rows(page: str) -> list[str]:
    """The body rows of the HTML tables in a generated page (its Markdown) or a built one, each
    as one line, cells between pipes as a Markdown table row: ``| [Sales](../teams/sales/) |
    [1](../teams/sales/#open) | **did not hold** |`` (links as [text](address), bold, italics
    and code marked, other markup dropped, whitespace folded). Which cell is a row's header
    (`<th scope="row">`) does not show: tests of that read the HTML."""
    parser = _Rows()
    parser.feed(page)
    parser.close()
    return parser.rows


def tag_listings(site: Path) -> dict[str, tuple[str, list[str]]]:
    """The tags index's listings: each tag's id → (its heading's HTML, the pages it lists in
    order, as addresses relative to the site: "records/x")."""
    text = (site / "tags" / "index.html").read_text(encoding="utf-8")
    listings = {}
    for section in re.split(r'(?=<h2 id="tag:)', text)[1:]:
        tag = section[len('<h2 id="'):section.index('"', len('<h2 id="'))]
        heading = section[:section.index("</h2>") + len("</h2>")]
        listings[tag] = (heading, re.findall(r'href="\.\./([^"#]+)/"', section))
    return listings
