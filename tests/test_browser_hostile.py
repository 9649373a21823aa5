"""Hostile records that validate (their payloads escaped or sanitized) run nothing in a browser.

The site is built with a real strict MkDocs build from records whose every field carries script
payloads, a body made of the escaped forms a contributor may legitimately write, and the
bad-input fixtures that validate. Chromium opens each record page, hovers and clicks what a
reader would, and no dialog may fire.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from test_browser import CHROMIUM, _search, browser, page  # noqa: F401  (fixtures)
from test_hostile_html import HOSTILE_PM, HOSTILE_RETRO

from conftest import FIXTURES, HERE, make_kb
from gittools import commit_all, init
from sitetools import make_project, mkdocs_build, served


def _built_and_served(project: Path) -> Iterator[str]:
    """A strict MkDocs build of ``project`` served on loopback: its address, until the module's
    tests are done (then the project is removed)."""
    result = mkdocs_build(project, "2026-06-15")
    assert result.returncode == 0, result.stdout + result.stderr
    try:
        with served(project / "site") as url:
            yield url
    finally:
        shutil.rmtree(project, ignore_errors=True)


pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium found")

ESCAPED_BODY = """Intro line.

Payloads written as code or text stay text: `<script>alert(1)</script>`,
&lt;img src=x onerror=alert(2)&gt; and `[x](javascript:alert(3))`.

    <img src=x onerror=alert(4)>
    [t](javascript:alert(5))

- [x] [A safe link](https://example.com/notes "notes")
- [ ] Next step<sup>1</sup> <kbd>Ctrl</kbd>

!!! note "Checked"
    Plain **text** in an admonition.

| Left | Right |
|:-----|------:|
| a    | b     |
"""
VALID_FIXTURES = ["action-title-terminal-markup"]


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    files = {
        "postmortems/2026-04-hostile.md": HOSTILE_PM,
        "retros/2026-04-sales.md": HOSTILE_RETRO.replace("Body.", ESCAPED_BODY),
    }
    for case in VALID_FIXTURES:
        for path in (HERE / "bad_input" / case).rglob("*.md"):
            files[path.relative_to(HERE / "bad_input" / case).as_posix()] = path.read_text()
    kb = make_kb(tmp_path_factory.mktemp("kb"), files, FIXTURES / "taxonomy.yml")
    project = make_project(tmp_path_factory.mktemp("site"), kb)
    yield from _built_and_served(project)


def _watch_dialogs(tab: Any) -> list[str]:
    dialogs: list[str] = []

    def seen(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    tab.on("dialog", seen)
    return dialogs


def test_the_dialog_watch_would_see_an_alert(page: Any, hostile_url: str) -> None:  # noqa: F811
    dialogs = _watch_dialogs(page)
    page.goto(hostile_url, wait_until="load")
    page.evaluate("() => { alert('control'); }")
    assert dialogs == ["control"]


@pytest.mark.parametrize("record", ["2026-04-hostile", "2026-04-sales", "2026-05-sales"])
def test_no_dialog_fires_on_a_hostile_record(page: Any, hostile_url: str,  # noqa: F811
                                             record: str) -> None:
    dialogs = _watch_dialogs(page)
    page.goto(f"{hostile_url}records/{record}/", wait_until="load")
    article = page.locator("article")
    assert article.count() == 1
    # What a reader does: hover everything in the record and follow its in-page links.
    elements = page.locator("article p, article li, article td, article th, article a, "
                            "article img, article h2, article code")
    for index in range(min(elements.count(), 150)):
        element = elements.nth(index)
        if element.is_visible():
            element.hover(timeout=2000)
    links = page.locator("article a[href]")
    for index in range(links.count()):
        href = links.nth(index).get_attribute("href") or ""
        assert not href.strip().lower().startswith(("javascript:", "data:", "vbscript:")), href
    live = page.evaluate(
        "() => [...document.querySelectorAll('article *')].filter(e => [...e.attributes]"
        ".some(a => a.name.startsWith('on'))).length")
    assert live == 0
    assert dialogs == []
    if record == "2026-04-sales":
        text = article.inner_text()
        assert "<script>alert(1)</script>" in text and "<img src=x onerror=alert(2)>" in text


# Text that looks like HTML entities, written as text: the page shows it as written, and so
# must a search result's title and excerpt (Pagefind escapes "<" and ">" alone in them).
ENTITY_RETRO = """---
type: retro
period: 2026-03
team: marketing
title: "Zephyrine R&D review: 3 < 5 > 2, &lt;b&gt; and &amp; as written"
held: 2026-04-02
facilitator: "Ann Lee"
format: went-well-didnt
indicators:
  sales-cycle: {tier-2: 41}
went_well: ["Zephyrine: the footer showed a raw &nbsp; and &copy; entity; 3 < 4 & 5 > 2"]
didnt_go_well: ["The preview read &lt;b&gt;bold&lt;/b&gt; where bold was meant"]
---

## Call notes

Zephyrine says &amp;nbsp; in so many characters, and AT&T's &amp;copy; too.
"""


@pytest.fixture(scope="module")
def entity_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    kb = make_kb(tmp_path_factory.mktemp("kb"), {"retros/2026-03-marketing.md": ENTITY_RETRO})
    project = make_project(tmp_path_factory.mktemp("site"), kb)
    # The record's author, from git, is written with an entity too.
    init(project)
    commit_all(project, "March retro", "Evil &amp; Co", "2026-04-03T09:00:00+00:00")
    yield from _built_and_served(project)


@pytest.mark.parametrize(("query", "said"), [
    ("footer", "showed a raw &nbsp; and &copy; entity; 3 < 4 & 5 > 2"),
    ("preview", "The preview read &lt;b&gt;bold&lt;/b&gt; where bold was meant"),
    ("characters", "Zephyrine says &nbsp; in so many characters, and AT&T's &copy; too."),
    ("evil", "submitted by Evil &amp; Co on"),
])
def test_a_search_result_says_what_its_page_says(page: Any, entity_url: str,  # noqa: F811
                                                 query: str, said: str) -> None:
    page.goto(entity_url, wait_until="load")
    _search(page, query)
    results = page.locator(".hs-search__list > li a")
    assert results.count() >= 1
    shown = [(results.nth(i).locator(".hs-search__title").inner_text(),
              results.nth(i).locator(".hs-search__excerpt").inner_text(),
              urljoin(page.url, str(results.nth(i).get_attribute("href"))))
             for i in range(results.count())]
    record = [(title, excerpt) for title, excerpt, href in shown
              if "records/2026-03-marketing/" in href]
    assert record, shown
    title, excerpt = record[0]
    assert said in " ".join(excerpt.split()), excerpt
    assert title == "Zephyrine R&D review: 3 < 5 > 2, &lt;b&gt; and &amp; as written"
    # Every result: its title is its page's heading, and each word of its excerpt that
    # carries "&", "<" or ">" is a word of the page as shown.
    for title, excerpt, href in shown:
        page.goto(href, wait_until="load")
        heading = page.locator("article h1").first.inner_text().rstrip("¶").strip()
        assert title == heading, href
        words = set(page.locator("article").inner_text().split())
        for word in excerpt.split():
            if re.search(r"[&<>]", word):
                assert word.rstrip(".") in words or word in words, (href, word, excerpt)


# One unbroken word in an action's title (a pasted hash or address, a key held down): it
# widened every action table it was in, the Open table to 2069 px in a 686 px box, and
# pushed each row's owner, due date and status out of sight.
LONG_WORD = "Re-run" + "".join(f"{i:02d}abcdefgh" for i in range(13))  # 136 characters
LONG_PM = f"""---
type: postmortem
name: The Lindqvist renewal
kind: deal-lost
outcome: loss
summary: Lost at renewal.
team: sales
event_ended: 2026-04-30
held: 2026-05-02
keeper: Ann Lee
deal: {{customer: Lindqvist, chose_us: false, why: Price.}}
actions:
  - {{id: PM-lind-1, title: "Re-check {LONG_WORD} before sending", owner: Bo Ek, due: 2026-05-20}}
  - {{id: PM-lind-2, title: Call the buyer back, owner: Cy Ho, due: 2026-07-30}}
  - {{id: PM-lind-3, title: "{LONG_WORD}", owner: Di Ma, due: 2026-08-30}}
---

Body.
"""


@pytest.fixture(scope="module")
def long_word_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    kb = make_kb(tmp_path_factory.mktemp("kb"), {"postmortems/2026-04-lindqvist.md": LONG_PM})
    project = make_project(tmp_path_factory.mktemp("site"), kb)
    yield from _built_and_served(project)


@pytest.mark.parametrize("width", [1366, 390])
@pytest.mark.parametrize("path", ["actions/", "records/2026-04-lindqvist/", "actions/owners/bo-ek/"])
def test_a_long_word_in_an_action_title_wraps_inside_its_cell(browser: Any,  # noqa: F811
                                                              long_word_url: str, width: int,
                                                              path: str) -> None:
    context = browser.new_context(viewport={"width": width, "height": 900})
    context.route(lambda url: not url.startswith("http://127.0.0.1"), lambda route: route.abort())
    tab = context.new_page()
    tab.goto(long_word_url + path, wait_until="load")
    found = tab.evaluate("""() => {
      const right = document.documentElement.clientWidth;
      // Where a table's box ends: past it, a cell is out of sight until scrolled to.
      const edge = (cell) => Math.min(right,
        (cell.closest(".md-typeset__scrollwrap") || cell.closest("table")).getBoundingClientRect().right);
      return {
        tables: document.querySelectorAll("article .hs-actions table").length,
        // A row's owner, due date or status out of sight.
        hidden: [...document.querySelectorAll("article .hs-actions tbody tr")]
          .flatMap(row => [...row.querySelectorAll("td.hs-owner, td.hs-due, td.hs-status")])
          .filter(cell => getComputedStyle(cell).display !== "none")
          .filter(cell => cell.getBoundingClientRect().right > edge(cell) + 1)
          .map(cell => cell.innerText),
        // The long word is there, whole, over several lines.
        wrapped: [...document.querySelectorAll("article .hs-actions .hs-clamp")]
          .filter(t => t.textContent.includes("Re-run00") && t.getClientRects().length)
          .map(t => t.getBoundingClientRect().height / parseFloat(getComputedStyle(t).lineHeight)),
        over: document.documentElement.scrollWidth - right};
    }""")
    context.close()
    assert found["tables"] >= 1, found
    assert found["hidden"] == [], found
    assert found["wrapped"] and all(lines >= 2 for lines in found["wrapped"]), found
    assert found["over"] <= 0, found
