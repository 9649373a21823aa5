"""A renamed team's or cause's earlier addresses lead to its pages: bookmarks and links in
chat, slides and documents keep working after a rename (``aliases:`` in taxonomy.yml).

Nordfjord renamed its team ``sdr`` to ``inbound-sdr`` and merged the cause ``late-call`` into
``slow-first-touch``; its records still say ``sdr`` and ``late-call``.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from test_browser import browser  # noqa: F401  (the fixture)

from conftest import NORDFJORD
from generator.paths import RenderOptions
from generator.site.build import build
from sitetools import CHROMIUM, broken_links, make_project, mkdocs_build, resolve_link, served

AS_OF = dt.date(2026, 6, 15)
RETRO = """---
type: retro
period: {period}
team: sdr
held: {held}
facilitator: Ingrid Dahl
format: went-well-didnt
indicators:
  meetings-booked: {{dach: {dach}, nordics: 12}}
causes:
  - cause: late-call
    whys: [Leads waited two days for a call.]
---

Notes.
"""


def _kb(root: Path) -> Path:
    taxonomy = NORDFJORD.replace(
        "  - id: inbound-sdr\n", "  - id: inbound-sdr\n    aliases: [sdr]\n").replace(
        "  - id: slow-first-touch\n", "  - id: slow-first-touch\n    aliases: [late-call]\n")
    assert "aliases: [sdr]" in taxonomy and "aliases: [late-call]" in taxonomy
    (root / "retros").mkdir(parents=True)
    (root / "taxonomy.yml").write_text(taxonomy, encoding="utf-8")
    for period, held, dach in (("2026-03", "2026-04-02", 30), ("2026-04", "2026-05-04", 24),
                               ("2026-05", "2026-06-03", 27)):
        (root / "retros" / f"{period}-sdr.md").write_text(
            RETRO.format(period=period, held=held, dach=dach), encoding="utf-8")
    return root


def test_a_renamed_teams_and_causes_old_addresses_lead_to_their_pages(tmp_path: Path) -> None:
    project = make_project(tmp_path / "site", _kb(tmp_path / "kb"))
    built = mkdocs_build(project, AS_OF.isoformat())
    assert built.returncode == 0, built.stderr[-3000:]
    site = project / "site"
    for old, new in (("teams/sdr", "teams/inbound-sdr"),
                     ("causes/late-call", "causes/slow-first-touch")):
        page = site / old / "index.html"
        text = page.read_text(encoding="utf-8")
        href = text.split('http-equiv="refresh" content="0; url=', 1)[1].split('"', 1)[0]
        target = resolve_link(site, page, href)
        assert target is not None and target[0] == site / new / "index.html", (href, target)
        assert target[0].is_file()
        assert f'<a href="{href}">' in text and '<meta name="robots" content="noindex">' in text
        # Not a search result: only the site's own pages ask to be indexed.
        assert "data-pagefind-body" not in text
    moved = (site / "teams" / "sdr" / "index.html").read_text(encoding="utf-8")
    assert "The team <code>sdr</code> is now <code>inbound-sdr</code>: " in moved, moved
    assert "<title>Inbound SDR has moved</title>" in moved and "<h1>Inbound SDR has moved" in moved
    assert broken_links(site) == [], broken_links(site)
    # The sitemap lists every page but the old addresses (and the 404 page), each dated by
    # the as-of day, as the Zensical build's lists them (undated there).
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    listed = set(re.findall(r"<loc>https://brightlane\.github\.io/hindsight/(.*?)</loc>", sitemap))
    files = {page.relative_to(site).as_posix().removesuffix("index.html"): page
             for page in site.rglob("*.html") if "pagefind" not in page.parts}
    pages = set(files)
    old_addresses = {page for page, file in files.items()
                     if "has moved</title>" in file.read_text(encoding="utf-8")}
    assert {"teams/sdr/", "causes/late-call/"} <= old_addresses
    assert "teams/inbound-sdr/" in listed
    assert listed == pages - old_addresses - {"404.html"}, sorted(listed ^ pages)
    assert set(re.findall(r"<lastmod>(.*?)</lastmod>", sitemap)) == {AS_OF.isoformat()}


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium found")
def test_an_old_address_with_a_section_lands_on_that_section(browser: Any,  # noqa: F811
                                                             tmp_path: Path) -> None:
    """A link to a section of the old address (``teams/sdr/#actions``, from a chat message)
    lands on that section of the new page: the refresh alone dropped the ``#actions``."""
    project = make_project(tmp_path / "site", _kb(tmp_path / "kb"))
    built = mkdocs_build(project, AS_OF.isoformat())
    assert built.returncode == 0, built.stderr[-3000:]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route(lambda url: not url.startswith("http://127.0.0.1"), lambda r: r.abort())
    tab = context.new_page()
    with served(project / "site") as url:
        tab.goto(url + "causes/late-call/#citations")
        tab.wait_for_url("**/causes/slow-first-touch/#citations")
        assert tab.locator("#citations").count() == 1
        tab.goto(url + "teams/sdr/")
        tab.wait_for_url("**/teams/inbound-sdr/")
    context.close()


def test_an_address_without_directory_urls_is_the_pages_html_file(tmp_path: Path) -> None:
    generated = build(_kb(tmp_path / "kb"), AS_OF, RenderOptions(directory_urls=False))
    files = generated.files
    moved = files["teams/sdr.html"].decode()
    assert 'url=../teams/inbound-sdr.html"' in moved, moved
    assert 'location.replace("../teams/inbound-sdr.html" + location.hash)' in moved, moved
    assert "causes/late-call.html" in files
    # No page is published at a current id's address twice, nor for an id without aliases.
    assert "teams/inbound-sdr.html" not in files and "teams/field-sales.html" not in files


def test_an_old_address_is_titled_as_the_page_it_leads_to(tmp_path: Path) -> None:
    """A team's page of one indicator and a cause's year are named as themselves, not as the
    team or the cause ("Sales has moved" on every indicator's old address)."""
    from generator.site.redirects import redirect_pages

    kb = build(_kb(tmp_path / "kb"), AS_OF).result.kb
    assert kb is not None
    moved = redirect_pages(["indicators/meetings-booked/inbound-sdr.md",
                            "causes/slow-first-touch/2025.md"], kb.taxonomy, True)
    assert sorted(moved) == ["causes/late-call/2025/index.html",
                             "indicators/meetings-booked/sdr/index.html"]
    page = moved["indicators/meetings-booked/sdr/index.html"].decode()
    assert "<title>Meetings booked — Inbound SDR has moved</title>" in page, page
    assert 'url=../../../indicators/meetings-booked/inbound-sdr/"' in page, page
    year = moved["causes/late-call/2025/index.html"].decode()
    assert "<title>Slow first touch in 2025 has moved</title>" in year, year



def test_a_record_renamed_in_git_keeps_its_old_address(tmp_path: Path) -> None:
    """A record file renamed with ``git mv`` (a month or a team fixed in its name) keeps its
    old page's address: the link in last quarter's deck leads to the record, even after a
    second rename; a record renamed and then deleted leaves nothing to lead to."""
    from gittools import commit_all, git, init

    project = make_project(tmp_path / "site", _kb(tmp_path / "kb"))
    retros = project / "retros"
    (retros / "2026-03-sdr.md").rename(retros / "2026-03-march.md")
    (retros / "2026-04-sdr.md").rename(retros / "2026-04-april.md")
    (retros / "2026-02-sdr.md").write_text(
        RETRO.format(period="2026-02", held="2026-03-03", dach=20), encoding="utf-8")
    init(project)
    commit_all(project, "Records as first written", "Ingrid Dahl", "2026-05-05T09:00:00+00:00")
    git(project, "mv", "retros/2026-03-march.md", "retros/2026-03-sdr.md")
    git(project, "mv", "retros/2026-04-april.md", "retros/2026-04-sdr-draft.md")
    git(project, "mv", "retros/2026-02-sdr.md", "retros/2026-02-gone.md")
    commit_all(project, "Name records by month and team", "Ola Berg", "2026-05-06T09:00:00+00:00")
    git(project, "mv", "retros/2026-04-sdr-draft.md", "retros/2026-04-sdr.md")
    git(project, "rm", "-q", "retros/2026-02-gone.md")
    commit_all(project, "Not a draft; February was a duplicate", "Ola Berg",
               "2026-05-07T09:00:00+00:00")
    built = mkdocs_build(project, AS_OF.isoformat())
    assert built.returncode == 0, built.stderr[-3000:]
    site = project / "site"
    for old, new in (("2026-03-march", "2026-03-sdr"), ("2026-04-april", "2026-04-sdr"),
                     ("2026-04-sdr-draft", "2026-04-sdr")):
        page = site / "records" / old / "index.html"
        text = page.read_text(encoding="utf-8")
        href = text.split('http-equiv="refresh" content="0; url=', 1)[1].split('"', 1)[0]
        target = resolve_link(site, page, href)
        assert target is not None and target[0] == site / "records" / new / "index.html", (
            old, href, target)
        assert f"The record <code>{old}</code> is now <code>{new}</code>: " in text, text
        assert "<title>Inbound SDR retro" in text and "has moved</title>" in text, text
        assert "data-pagefind-body" not in text
    # The deleted record's addresses lead nowhere, so no page is made for them.
    assert not (site / "records" / "2026-02-sdr").exists()
    assert not (site / "records" / "2026-02-gone").exists()
    assert broken_links(site) == [], broken_links(site)


def test_a_record_written_under_a_renamed_records_old_name_keeps_its_page(
        tmp_path: Path) -> None:
    """An old name a record has since been written under is that record's page, not a way
    on; renamed back, the name in between leads to it."""
    from gittools import commit_all, git, init

    kb = _kb(tmp_path / "kb")
    init(kb)
    commit_all(kb, "Records", "Ingrid Dahl", "2026-05-05T09:00:00+00:00")
    git(kb, "mv", "retros/2026-05-sdr.md", "retros/2026-05-inbound-sdr.md")
    git(kb, "mv", "retros/2026-04-sdr.md", "retros/2026-04-sdr-draft.md")
    commit_all(kb, "Rename", "Ola Berg", "2026-05-06T09:00:00+00:00")
    (kb / "retros" / "2026-05-sdr.md").write_text(
        RETRO.format(period="2026-05", held="2026-06-04", dach=31).replace(
            "team: sdr", "team: field-sales").replace("Notes.", "Written again."),
        encoding="utf-8")
    git(kb, "mv", "retros/2026-04-sdr-draft.md", "retros/2026-04-sdr.md")
    commit_all(kb, "Back to the usual name", "Ola Berg", "2026-05-07T09:00:00+00:00")
    files = build(kb, AS_OF).files
    assert "has moved" not in files["records/2026-05-sdr.md"].decode()
    assert "records/2026-04-sdr/index.html" not in files
    between = files["records/2026-04-sdr-draft/index.html"].decode()
    assert 'url=../../records/2026-04-sdr/"' in between, between
