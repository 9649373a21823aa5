"""Rules on the site's own files that validation reports beside the records' problems.

A knowledge base usually starts as a copy of the sample, mkdocs.yml included. Its
``site_url`` is where ``hindsight plan``, ``prep`` and ``recall`` point every link they print
(and the site's feed and canonical addresses): left as the sample's, each leads to the
sample's published site, not to this knowledge base's.

The hand-written pages (``docs/``, or the ``docs_dir`` mkdocs.yml names) are checked for the
merge conflicts git leaves, as records are: a page published both sides of one, or failed the
build with an error of the Markdown engine's that said nothing of where the markers were.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import ConfigError, Problems
from .conflicts import conflicts
from .conflicts import hint as conflict_hint
from .conflicts import message as conflict_message
from .formatting import possessive
from .site_config import CONFIG_FILE, read_site_config, written_at
from .taxonomy import Taxonomy

SAMPLE_COMPANY = "Brightlane"
"""The company of the sample knowledge base (its ``taxonomy.yml``)."""
SAMPLE_SITE_URL = "https://brightlane.github.io/hindsight/"
"""Where the sample's site is published (its ``mkdocs.yml``)."""


def _same_site(url: str, other: str) -> bool:
    """Whether two site addresses are one: a host's case and a last slash do not matter."""
    return url.strip().rstrip("/").lower() == other.rstrip("/").lower()


def check_site_url(root: Path, taxonomy: Taxonomy, problems: Problems) -> None:
    """Warn at the line that sets ``site_url`` when it is the sample's address and
    taxonomy.yml names another company than the sample's (the sample itself is published
    there). Nothing is said without a readable mkdocs.yml: its readers report that."""
    if taxonomy.company.strip().casefold() == SAMPLE_COMPANY.casefold():
        return
    try:
        url = read_site_config(root).get("site_url")
    except ConfigError:
        return
    if not isinstance(url, str) or not _same_site(url, SAMPLE_SITE_URL):
        return
    path, line, col = written_at(root, "site_url") or (CONFIG_FILE, 1, 1)
    problems.warning(
        path, line, col, "site_url",
        f"{url.strip()} is the sample's address, not {possessive(taxonomy.company)} "
        "(taxonomy.yml's company): every link hindsight plan, prep and recall print leads "
        "to the sample's site",
        "set site_url to where this site is published")


PAGE_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd")
"""The file names MkDocs builds a page from."""


def check_hand_written_pages(root: Path, problems: Problems,
                             unmerged: frozenset[str] = frozenset()) -> frozenset[str]:
    """An error at the ``<<<<<<<`` line of each hand-written page holding a merge conflict
    (one quoted in a fenced code block is text, unless git has the page ``unmerged``);
    returns those pages' paths. Pages MkDocs
    leaves out (a name starting with a dot) and links are not read; nothing is said without a
    readable mkdocs.yml: its readers report that."""
    try:
        docs = root / str(read_site_config(root).get("docs_dir") or "docs")
    except ConfigError:
        return frozenset()
    reported: set[str] = set()
    for folder, dirs, names in os.walk(docs):
        dirs[:] = sorted(name for name in dirs if not name.startswith("."))
        for name in sorted(names):
            path = Path(folder, name)
            if name.startswith(".") or not name.lower().endswith(PAGE_SUFFIXES) or path.is_symlink():
                continue
            try:
                text = path.read_bytes().decode("utf-8")
            except (OSError, UnicodeDecodeError):
                continue  # the build says what it cannot read
            text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
            try:
                rel = path.relative_to(root).as_posix()
            except ValueError:  # a docs_dir outside the knowledge base
                rel = path.as_posix()
            found = conflicts(text, markdown=True, unmerged=rel in unmerged)
            if found:
                problems.error(rel, found[0].start, 1, "file", conflict_message(found),
                               conflict_hint(found))
                reported.add(rel)
    return frozenset(reported)
