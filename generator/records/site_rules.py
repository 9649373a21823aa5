"""Rules on the site's ``mkdocs.yml`` that validation reports beside the records' problems.

A knowledge base usually starts as a copy of the sample, mkdocs.yml included. Its
``site_url`` is where ``hindsight plan``, ``prep`` and ``recall`` point every link they print
(and the site's feed and canonical addresses): left as the sample's, each leads to the
sample's published site, not to this knowledge base's.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ConfigError, Problems
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
