"""The built sample site at a laptop's and a phone's width: tables fit, values stay whole,
actions read as cards on a phone. Screenshots of the main page kinds land in
``test-artifacts/screenshots/`` at both widths."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from test_browser import ARTIFACTS, CHROMIUM, _outside, browser, site_url  # noqa: F401

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium found (install the "
                                "Debian package `chromium`; .ci/run does)")

WIDTHS = {"laptop": (1366, 900), "phone": (390, 844)}
PAGES = {
    "home": "",
    "cause": "causes/sdr-ae-handoff/",
    "postmortem": "records/2026-06-the-compass-launch/",
    "register": "actions/",
    "indicator": "indicators/mql-to-sql/",
}

# Every table cell of the article: is its text cut (content wider than the cell) or does the
# cell reach past the page's right edge? Does a date or an id break over two lines?
_CHECK = """() => {
  const width = document.documentElement.clientWidth;
  const out = {cut: [], outside: [], wrapped: [], pageScroll: document.documentElement.scrollWidth - width};
  for (const cell of document.querySelectorAll("article td, article th")) {
    const style = getComputedStyle(cell);
    if (style.display === "none") continue;
    const text = cell.innerText.trim().slice(0, 60);
    if (cell.scrollWidth > cell.clientWidth + 1) out.cut.push(text);
    const box = cell.getBoundingClientRect();
    if (box.width > 0 && box.right > width + 1) out.outside.push(text);
  }
  const values = document.querySelectorAll("article .hs-date, article .hs-id, article td code");
  for (const el of values) {
    if (getComputedStyle(el).display === "none" || !el.offsetParent) continue;
    const lines = el.getClientRects();
    const tops = new Set([...lines].map(r => Math.round(r.top)));
    if (tops.size > 1) out.wrapped.push(el.innerText);
  }
  return out;
}"""


@pytest.fixture(params=list(WIDTHS))
def sized(request: pytest.FixtureRequest, browser: Any) -> Iterator[tuple[str, Any]]:  # noqa: F811
    width, height = WIDTHS[request.param]
    context = browser.new_context(viewport={"width": width, "height": height})
    context.route(lambda url: not url.startswith("http://127.0.0.1"), _outside)
    tab = context.new_page()
    yield request.param, tab
    context.close()


@pytest.mark.parametrize("name", list(PAGES))
def test_tables_fit_and_values_never_wrap(sized: tuple[str, Any], site_url: str,  # noqa: F811
                                          name: str) -> None:
    label, page = sized
    page.goto(site_url + PAGES[name], wait_until="load")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / f"{name}-{label}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    found = page.evaluate(_CHECK)
    assert found["cut"] == [], f"{name} at {label}: cell text cut: {found['cut']}"
    assert found["outside"] == [], f"{name} at {label}: cells past the page: {found['outside']}"
    assert found["wrapped"] == [], f"{name} at {label}: dates or ids wrapped: {found['wrapped']}"
    assert found["pageScroll"] <= 0, f"{name} at {label}: the page scrolls sideways"


def test_actions_read_as_cards_on_a_phone_and_as_a_table_on_a_laptop(
        browser: Any, site_url: str) -> None:  # noqa: F811
    shapes = {}
    for label, (width, height) in WIDTHS.items():
        context = browser.new_context(viewport={"width": width, "height": height})
        context.route(lambda url: not url.startswith("http://127.0.0.1"), _outside)
        page = context.new_page()
        page.goto(site_url + "actions/", wait_until="load")
        shapes[label] = page.evaluate("""() => {
          const row = document.querySelector("article .hs-actions tbody tr");
          const owner = row.querySelector("td.hs-owner").getBoundingClientRect();
          const title = row.querySelector("td.hs-title").getBoundingClientRect();
          return {display: getComputedStyle(row).display,
                  head: getComputedStyle(document.querySelector("article .hs-actions thead")).display,
                  titleBelowOwner: title.top >= owner.bottom - 1,
                  badge: !!row.querySelector(".hs-badge--overdue")};
        }""")
        context.close()
    assert shapes["phone"]["display"] == "grid" and shapes["phone"]["head"] == "none", shapes
    assert shapes["phone"]["titleBelowOwner"], shapes
    assert shapes["laptop"]["display"] == "table-row" and shapes["laptop"]["head"] != "none", shapes
    # The register opens on the overdue actions, each with its days-overdue badge.
    assert shapes["phone"]["badge"] and shapes["laptop"]["badge"], shapes
