"""A record written in Arabic reads right to left in Chromium wherever its text is shown: list
items from its front matter, a cause's note, an action's title in a table, and its body; an
English record beside it reads left to right as before.

"Reads right to left" is measured on the page as drawn: the full stop that ends a sentence is
left of the sentence's first letter, and a list item's text hugs the right edge of its item.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from test_browser import browser, page  # noqa: F401  (fixtures)

from conftest import FIXTURES
from sitetools import CHROMIUM, make_project, mkdocs_build, served

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium found (install the "
                                "Debian package `chromium`; .ci/run does)")

GOOD = "تحسن معدل الفوز في الشريحة الصغيرة."
LESSON = "مواد التأهيل جزء من تعريف العميل المثالي."
NOTE = "عاد الانحراف بعد شهرين من التحديث."
TITLE = "سحب العرض القديم من التأهيل."
SUMMARY = "حققت الحملة نصف العملاء المحتملين المخطط لهم."


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    project = make_project(tmp_path_factory.mktemp("rtl"), FIXTURES / "corpus")
    record = project / "retros" / "2026-05-sales.md"
    text = record.read_text(encoding="utf-8")
    for old, new in (("good: [SMB win rate held at 40%]", f"good: [{GOOD}]"),
                     ("lesson: Onboarding material is part of the ICP; update it with the "
                      "definition.", f"lesson: {LESSON}"),
                     ("note: Back two months after the CRM definition was updated.",
                      f"note: {NOTE}"),
                     ("title: Retire the old ICP deck from onboarding", f"title: {TITLE}")):
        assert old in text, old
        text = text.replace(old, new)
    record.write_text(text, encoding="utf-8")
    postmortem = project / "postmortems" / "2026-04-the-apollo-launch.md"
    text = postmortem.read_text(encoding="utf-8")
    old = "summary: The launch campaign delivered half the planned MQLs."
    assert old in text
    postmortem.write_text(text.replace(old, f"summary: {SUMMARY}"), encoding="utf-8")
    built = mkdocs_build(project, "2026-07-20")
    assert built.returncode == 0, built.stdout + built.stderr
    with served(project / "site") as url:
        yield url


# Where the first and the last character of an element's text are drawn, and the element's box.
_GEOMETRY = """element => {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  const texts = [];
  const shown = node => { const r = document.createRange(); r.selectNodeContents(node);
                          return r.getBoundingClientRect().width > 0; };
  while (walker.nextNode())
    if (walker.currentNode.data.trim() && shown(walker.currentNode)) texts.push(walker.currentNode);
  const rect = (node, offset) => {
    const range = document.createRange();
    range.setStart(node, offset); range.setEnd(node, offset + 1);
    return range.getBoundingClientRect();
  };
  const first = texts[0], last = texts[texts.length - 1];
  const start = first.data.search(/\\S/), end = last.data.trimEnd().length - 1;
  const box = element.getBoundingClientRect();
  return {first: rect(first, start).left, last: rect(last, end).left,
          right: box.right, textRight: Math.max(...texts.map(t => {
            const r = document.createRange(); r.selectNodeContents(t);
            return r.getBoundingClientRect().right; }))};
}"""


def _geometry(tab: Any, selector: str, text: str) -> dict[str, float]:
    element = tab.locator(f"article {selector}").filter(
        has_text=re.compile(f"^\\s*{re.escape(text)}")).first
    return dict(element.evaluate(_GEOMETRY))


@pytest.mark.parametrize(("selector", "text"), [
    ("li", GOOD), ("li", LESSON), ("p", NOTE), (".hs-clamp", TITLE),
], ids=["went-well", "lesson", "cause-note", "action-title"])
def test_arabic_text_reads_right_to_left_on_its_record_page(page: Any, site_url: str,  # noqa: F811
                                                            selector: str, text: str) -> None:
    page.goto(f"{site_url}/records/2026-05-sales/")
    drawn = _geometry(page, selector, text)
    # Right to left: the sentence's full stop is drawn left of its first letter.
    assert drawn["last"] < drawn["first"], drawn
    if selector != "p":  # and a list item's or a cell's text sits against its right edge
        assert drawn["right"] - drawn["textRight"] < 24, drawn


def test_an_arabic_summary_reads_right_to_left_in_its_box(page: Any,  # noqa: F811
                                                          site_url: str) -> None:
    """A post-mortem's summary is shown in a box above its body: in Arabic, it reads right to
    left there too, its text against the box's right edge."""
    page.goto(f"{site_url}/records/2026-04-the-apollo-launch/")
    drawn = _geometry(page, ".admonition p", SUMMARY)
    assert drawn["last"] < drawn["first"], drawn
    assert drawn["right"] - drawn["textRight"] < 24, drawn


def test_english_text_beside_it_still_reads_left_to_right(page: Any,  # noqa: F811
                                                          site_url: str) -> None:
    page.goto(f"{site_url}/records/2026-05-sales/")
    drawn = _geometry(page, "li", "Mid-market win rate fell to 25%")
    assert drawn["first"] < drawn["last"], drawn
    drawn = _geometry(page, ".hs-clamp", "Review discount approvals monthly")
    assert drawn["first"] < drawn["last"], drawn


@pytest.fixture(scope="module")
def rtl_site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The same records in a right-to-left site: mkdocs.yml's theme language is Arabic."""
    project = make_project(tmp_path_factory.mktemp("rtl-site"), FIXTURES / "corpus")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  language: en\n",
                                                                 "  language: ar\n"))
    built = mkdocs_build(project, "2026-07-20")
    assert built.returncode == 0, built.stdout + built.stderr
    with served(project / "site") as url:
        yield url


def test_hindsight_s_english_reads_left_to_right_in_a_right_to_left_site(
        page: Any, rtl_site_url: str) -> None:  # noqa: F811
    """In an Arabic site the page is right to left; a scorecard cell reading "49.7 days" was
    drawn "days 49.7" and "Why? …" as "?Why …". Each cell and paragraph reads in the direction
    of its first letter."""
    page.goto(f"{rtl_site_url}/records/2026-q2-review/")
    assert page.evaluate("document.documentElement.dir || document.body.dir") == "rtl"
    drawn = _geometry(page, "td", "49.7 days")
    assert drawn["first"] < drawn["last"], drawn  # "4" left of "s"


def test_a_right_to_left_site_cuts_its_english_name_at_the_end_on_a_phone(
        browser: Any, rtl_site_url: str) -> None:  # noqa: F811
    """The header shows as much of the site's name as fits: its start, cut at its end."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    try:
        tab.goto(f"{rtl_site_url}/")
        name = tab.evaluate("""() => {
          const title = document.querySelector('.md-header__topic .md-ellipsis');
          const text = [...title.childNodes].find(n => n.nodeType === 3 && n.data.trim());
          const range = document.createRange();
          const at = text.data.search(/\\S/);
          range.setStart(text, at); range.setEnd(text, at + 1);
          const first = range.getBoundingClientRect(), box = title.getBoundingClientRect();
          return {text: text.data.trim(), cut: title.scrollWidth > title.clientWidth,
                  firstLeft: first.left, boxLeft: box.left, boxRight: box.right};
        }""")
    finally:
        context.close()
    assert name["cut"], f"the name fits at 390 px: nothing to check ({name})"
    # Its first letter is drawn inside the header's box, at its left edge.
    assert name["boxLeft"] - 1 <= name["firstLeft"] <= name["boxLeft"] + 20, name


def test_a_table_wider_than_a_phone_shows_that_it_scrolls(browser: Any,  # noqa: F811
                                                           site_url: str) -> None:
    """At 390 px a table with more columns than fit scrolls in its own box, which a phone draws
    without a scrollbar: its edge is shaded while there is more to see."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    try:
        # The record format's reference: field tables of four columns (the indicators' table
        # of readings, which did, reads as cards on a phone now).
        tab.goto(f"{site_url}/guide/record-format/")
        boxes = tab.evaluate("""() => [...document.querySelectorAll('.md-typeset__scrollwrap')]
            .filter(w => w.scrollWidth > w.clientWidth + 1)
            .map(w => getComputedStyle(w).backgroundImage)""")
        assert boxes, "no table overflows at 390 px: the check has nothing to see"
        assert all(b.count("radial-gradient") == 2 for b in boxes), boxes
    finally:
        context.close()


def test_an_arabic_item_keeps_its_bullet_on_a_phone_screen(browser: Any,  # noqa: F811
                                                          site_url: str) -> None:
    """Its list's indent is on the left; read right to left, the item drew its bullet past the
    right edge of a 390 px screen. The bullet sits inside the item, the item on the screen."""
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    try:
        tab.goto(f"{site_url}/records/2026-05-sales/")
        item = tab.locator("article li").filter(has_text=re.compile(f"^\\s*{re.escape(GOOD)}"))
        drawn = dict(item.first.evaluate(_GEOMETRY))
        width = tab.evaluate("document.documentElement.clientWidth")
        assert drawn["right"] <= width, (drawn, width)
        assert drawn["right"] - drawn["textRight"] > 4, drawn  # the bullet's room, inside
    finally:
        context.close()
