"""Larkspur's site (tests/test_together.py's knowledge base) on a phone, in Chromium: the
newer features together, a team that meets every sprint ("SDR Team retro — July 2026,
sprint 2"), renewals beside new business, an action handed to another team, the company's
glossary under its records, and here besides a fourth team, retired after August 2026 and
long of name, and segments named at length ("Enterprise EMEA and public sector").

One build, one browser: every page at 390 px, as the sample's every page is checked in
tests/test_browser.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_browser import (  # noqa: F401  (fixtures)
    _TAPPED,
    WIDTHS,
    browser,
    on_a_phone,
    site_paths,
)
from test_together import AS_OF, NEXT, TAXONOMY, _retro, knowledge_base, records_with_partners

from sitetools import CHROMIUM, make_project, mkdocs_build, served

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium found (install the "
                                "Debian package `chromium`; .ci/run does)")

PARTNERS = "Partner Alliances and Channel Enablement"

# Larkspur's taxonomy with its segments named at length, and a fourth team, retired.
LONGER = TAXONOMY.replace(
    "    segments: [smb, mm, ent]\n",
    "    segments:\n      - smb: Small business and start-ups\n      - mm: Mid-market EMEA\n"
    "      - ent: Enterprise EMEA and public sector\n", 1,
).replace(
    "    segments: {smb: Small business, mm: Mid-market, ent: Enterprise}\n",
    "    segments: {smb: Small business and start-ups, mm: Mid-market EMEA,\n"
    "               ent: Enterprise EMEA and public sector}\n",
).replace(
    "  - id: cs\n",
    f"  - id: partners\n    name: {PARTNERS}\n    retros: monthly\n    retired: 2026-08\n"
    "  - id: cs\n",
)
assert LONGER.count("Enterprise EMEA and public sector") == 2 and "retired: 2026-08" in LONGER


@pytest.fixture(scope="module")
def larkspur(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Larkspur's built site."""
    work = tmp_path_factory.mktemp("larkspur")
    kb = knowledge_base(work, records_with_partners())
    (kb / "taxonomy.yml").write_text(LONGER, encoding="utf-8")
    project = make_project(work / "project", kb)
    built = mkdocs_build(project, AS_OF)
    assert built.returncode == 0, built.stderr[-3000:]
    return project / "site"


@pytest.fixture(scope="module")
def larkspur_url(larkspur: Path) -> Iterator[str]:
    with served(larkspur) as url:
        yield url


@pytest.fixture(scope="module")
def phone_scan(browser: Any, larkspur: Path, larkspur_url: str) -> dict[str, Any]:  # noqa: F811
    """Every page of Larkspur's site at 390 px: `on_a_phone`'s findings, and the pages."""
    paths = site_paths(larkspur)
    return {"paths": paths, **on_a_phone(browser, larkspur_url, paths)}


def test_no_page_of_larkspur_scrolls_sideways_or_shrinks_text_on_a_phone(
        phone_scan: dict[str, Any]) -> None:
    paths, wide, tiny = phone_scan["paths"], phone_scan["wide"], phone_scan["tiny"]
    # The pages the newer features make: the sprint team's, the retired team's, a renewal's.
    assert {"teams/sdr/", "teams/partners/", "records/2026-07-sdr-2/",
            "records/2026-08-the-orchard-renewal/", "postmortems/win-loss/",
            "indicators/win-rate/"} <= set(paths), paths
    boxed = sum(len(tables) for tables in phone_scan["boxed"].values())
    print(f"\n{len(paths)} pages of Larkspur at {WIDTHS['phone'][0]} px: {len(wide)} scroll "
          f"sideways (the widest {phone_scan['widest']} px); {boxed} tables scroll inside "
          f"their own box: {phone_scan['boxed']}")
    assert wide == {}, f"pages wider than {WIDTHS['phone'][0]} px (by px): {wide}"
    assert phone_scan["widest"] == WIDTHS["phone"][0], phone_scan["widest"]
    assert tiny == {}, f"text under 12 px: {dict(list(tiny.items())[:5])}"
    # No generated table scrolls in its own box either (the retros page and the causes index
    # did); the guide's hand-written tables of fields may, as the sample's do.
    generated = {path: px for path, px in phone_scan["boxed"].items()
                 if not path.startswith("guide/")}
    assert generated == {}, f"tables scrolling inside their box (by px): {generated}"



def _at_each_width(browser: Any, url: str, script: str,  # noqa: F811
                   heads: str | None = None) -> dict[str, Any]:
    """What ``script`` finds on the page at ``url`` at each of `WIDTHS` (by its label), and
    with ``heads``, what that finds too (under "<label> heads"); on the phone, every link a
    finger can tap apart (24 px or clear of the others, WCAG 2.5.8) and no text under 12 px."""
    shown: dict[str, Any] = {}
    for label, (width, height) in WIDTHS.items():
        context = browser.new_context(viewport={"width": width, "height": height})
        context.route(lambda url: not url.startswith("http://127.0.0.1"),
                      lambda route: route.abort())
        tab = context.new_page()
        tab.goto(url, wait_until="load")
        shown[label] = tab.evaluate(script)
        if label == "phone":
            tapped = tab.evaluate(_TAPPED)
            assert tapped["crowded"] == [] and tapped["smallest"]["px"] >= 12, tapped
        if heads is not None:
            shown[f"{label} heads"] = tab.evaluate(heads)
        context.close()
    return shown

def test_four_teams_retros_read_as_a_card_a_month_on_a_phone(
        browser: Any, larkspur_url: str, phone_scan: dict[str, Any]) -> None:  # noqa: F811
    """Four teams, one meeting every sprint: the retros page's table, a column per team beside
    the month's, was 29 px wider than a phone (a sprint's "held 2026-10-15:" never breaks, nor
    "Executives"), its SDR Team column behind a sideways scroll. On a phone each month is a
    card now, a line per team under its name; a laptop keeps the table."""
    assert "retros/" not in phone_scan["boxed"], phone_scan["boxed"]
    lines = """() => [...document.querySelectorAll('article tbody tr')].map(row =>
      [...row.children].filter(cell => cell.getClientRects().length)
        .map(cell => cell.innerText.trim().replace(/\\s+/g, ' ')))"""
    heads = """() => [...document.querySelectorAll('article thead th')]
      .filter(th => th.getClientRects().length).map(th => th.innerText.trim())"""
    shown = _at_each_width(browser, larkspur_url + "retros/", lines, heads)
    assert shown["phone"][0] == [
        "October 2026", "Account Executives: 1 cause, 0 actions", "Customer Success: –",
        f"{PARTNERS}: –",
        "SDR Team: held 2026-10-15: 1 cause, 0 actions held 2026-11-01: 1 cause, 0 actions"], shown
    assert shown["phone heads"] == [], shown
    assert shown["laptop"][0] == ["October 2026", "1 cause, 0 actions", "–", "–",
                                  "held 2026-10-15: 1 cause, 0 actions held 2026-11-01: "
                                  "1 cause, 0 actions"], shown
    assert shown["laptop heads"] == ["Period", "Account Executives", "Customer Success", PARTNERS,
                                     "SDR Team"], shown


def test_a_cause_names_its_teams_under_it_on_a_phone(browser: Any, larkspur_url: str,  # noqa: F811
                                                      phone_scan: dict[str, Any]) -> None:
    """The causes index's six columns of words at 12 px were 359 px in Larkspur's 358 px box
    ("Executives", in a team's name and in its records' titles, never breaks), 370 px with a
    team named "Partner Alliances and Channel Enablement": the open actions behind a sideways
    scroll. On a phone the teams are under their cause ("cited by …"), their column hidden;
    a laptop keeps the column, and no line under the cause."""
    assert "causes/" not in phone_scan["boxed"], phone_scan["boxed"]
    rows = """() => [...document.querySelectorAll('article table')][0].querySelectorAll('tr')"""
    cells = f"""() => [...({rows})()].map(row => [...row.children]
      .filter(cell => cell.getClientRects().length)
      .map(cell => cell.innerText.trim().replace(/\\s+/g, ' ')))"""
    shown = _at_each_width(browser, larkspur_url + "causes/", cells)
    phone, laptop = shown["phone"], shown["laptop"]
    assert phone[0] == ["Cause", "Cited", "First seen", "Last seen", "Open ac\xadtions"], phone
    assert phone[1][0] == (f"SDR-to-AE hand-off gaps ⚠ fix did not stick cited by {PARTNERS}, "
                           "SDR Team"), phone
    assert phone[2][:2] == ["Price pressure cited by Account Executives", "6"], phone
    assert laptop[0][2] == "Teams", laptop
    assert laptop[2][:3] == ["Price pressure", "6", "Account Executives"], laptop


# Larkspur with four teams more, each citing the SDR-to-AE hand-off gaps in October: six teams
# cite it, past the five the causes index names ("… and 2 more teams").
CROWD = {"fieldmkt": "Field Marketing", "psales": "Partner Sales",
         "solutions": "Solutions Engineering", "revops": "Revenue Operations"}


@pytest.fixture(scope="module")
def crowded_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Larkspur's site with six teams citing one cause, served."""
    work = tmp_path_factory.mktemp("crowded")
    files = records_with_partners()
    for team in CROWD:
        files[f"retros/2026-10-{team}.md"] = _retro(
            team, "2026-10", f"{NEXT['2026-10']}-03",
            "indicators:\n  meetings-booked: {smb: 2, mm: 3, ent: 4}\n", "handoff-gaps")
    kb = knowledge_base(work, files)
    teams = "".join(f"  - id: {team}\n    name: {name}\n    retros: monthly\n"
                    for team, name in CROWD.items())
    (kb / "taxonomy.yml").write_text(LONGER.replace("  - id: cs\n", teams + "  - id: cs\n", 1),
                                     encoding="utf-8")
    project = make_project(work / "project", kb)
    built = mkdocs_build(project, AS_OF)
    assert built.returncode == 0, built.stderr[-3000:]
    with served(project / "site") as url:
        yield url


def test_a_cause_cited_by_many_teams_fills_its_cell_as_a_target_on_a_phone(
        browser: Any, crowded_url: str) -> None:  # noqa: F811
    """Under a cause six teams cite, the phone's note read "cited by … and 2 more teams", the
    last words a link to the cause's page: a second link in the cell, so the cause's own link
    no longer filled its cell, a target the size of its words, crowded by that one. The note's
    words are text now, and the cause's link fills the cell."""
    found = on_a_phone(browser, crowded_url, ["causes/"])
    assert found["wide"] == {} and found["boxed"] == {} and found["tiny"] == {}, found
    width, height = WIDTHS["phone"]
    context = browser.new_context(viewport={"width": width, "height": height})
    context.route(lambda url: not url.startswith("http://127.0.0.1"), lambda route: route.abort())
    tab = context.new_page()
    tab.goto(crowded_url + "causes/", wait_until="load")
    cell = tab.locator("article tbody th", has_text="SDR-to-AE hand-off gaps").first
    note = " ".join(cell.locator(".hs-teams-note").inner_text().split())
    assert note.startswith("cited by ") and note.endswith(" and 2 more teams"), note
    # The cause's link is as large as its cell, and no link in the table is crowded.
    boxes = cell.evaluate("""th => [th.getBoundingClientRect().height,
      document.elementFromPoint(...(r => [r.left + r.width / 2, r.bottom - 3])(
        th.getBoundingClientRect()))?.closest('a')?.getAttribute('href')]""")
    tapped = tab.evaluate(_TAPPED)
    context.close()
    assert tapped["crowded"] == [] and tapped["smallest"]["px"] >= 12, tapped
    assert boxes[1] is not None and "handoff-gaps" in boxes[1], boxes
