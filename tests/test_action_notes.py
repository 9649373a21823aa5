"""Action notes and update notes are published where a reader looks for them.

A sales team of three retros, unlike the sample: an action raised with a note of its own,
put in progress with a note, then dropped with the reason; another done with no note at all.
Each page's notes are read from the built HTML; what each should say is worked out by hand.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from pathlib import Path

import pytest

from conftest import make_kb
from sitetools import make_project, mkdocs_build

AS_OF = "2025-07-15"


def _retro(period: str, held: str, extra: str) -> str:
    return f"""---
type: retro
period: {period}
team: sales
held: {held}
facilitator: Dana Ruiz
participants: [Dana Ruiz, Lee Park]
format: five-whys
indicators:
  win-rate: {{smb: "3/12"}}
{extra}---

Notes.
"""


APRIL = _retro("2025-04", "2025-05-06", """actions:
  - id: SAL-2025-04-1
    title: Hand the forecast call to RevOps
    owner: Dana Ruiz
    due: 2025-06-30
    note: Only the Monday call; the Thursday one stays
  - {id: SAL-2025-04-2, title: Clean up the stage definitions, owner: Lee Park, due: 2025-05-31}
""")
MAY = _retro("2025-05", "2025-06-04", """action_updates:
  - {id: SAL-2025-04-1, status: in-progress, note: RevOps sat in twice}
  - {id: SAL-2025-04-2, status: done}
""")
JUNE = _retro("2025-06", "2025-07-03", """action_updates:
  - id: SAL-2025-04-1
    status: dropped
    note: |
      Finance runs the forecast call now
      (since the reorg)
""")
REASON = "Finance runs the forecast call now (since the reorg)"
"""The drop reason as a page shows it: the block's line break is a space there."""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    kb = make_kb(tmp_path_factory.mktemp("kb"), {
        "retros/2025-04-sales.md": APRIL, "retros/2025-05-sales.md": MAY,
        "retros/2025-06-sales.md": JUNE})
    project = make_project(tmp_path_factory.mktemp("site"), kb)
    result = mkdocs_build(project, AS_OF)
    assert result.returncode == 0, result.stdout + result.stderr
    return project / "site"


def _notes(site: Path, page: str, section: str = "") -> dict[str, list[str]]:
    """The notes under each action's title in ``page``'s actions table (the one after the
    heading with id ``section``, if given), as text, by action id."""
    text = (site / page / "index.html").read_text()
    if section:
        text = text.split(f'id="{section}"', 1)[1].split("</table>", 1)[0]
    notes = {}
    for row in re.findall(r"<tr class=.*?</tr>", text, re.S):
        action = re.search(r'<th scope="row" class="hs-id"><span class="hs-stack__label">'
                           r"Action: </span><code>(.*?)</code>", row)
        assert action is not None, row
        notes[action[1]] = [html.unescape(re.sub(r"<[^>]+>", "", note)) for note in
                            re.findall(r'<span class="hs-why">(.*?</span>)</span>', row)]
    return notes


def test_the_raising_record_shows_every_note_in_date_order(site: Path) -> None:
    assert _notes(site, "records/2025-04-sales", "actions") == {
        "SAL-2025-04-1": ["Note: Only the Monday call; the Thursday one stays",
                          "In progress per Sales retro — May 2025: RevOps sat in twice",
                          f"Dropped per Sales retro — June 2025: {REASON}"],
        "SAL-2025-04-2": []}
    page = (site / "records" / "2025-04-sales" / "index.html").read_text()
    # Each update's note links the record that gave it, at its updates.
    assert 'Dropped per <a href="../../records/2025-06-sales/#action-updates"' in page


def test_an_updating_record_shows_its_own_note_and_why_it_was_dropped(site: Path) -> None:
    # May put it in progress with a note; June dropped it since: both, May's first.
    assert _notes(site, "records/2025-05-sales", "action-updates") == {
        "SAL-2025-04-1": ["Note: RevOps sat in twice", f"Dropped: {REASON}"],
        "SAL-2025-04-2": []}
    # June's own note is the reason: said once.
    assert _notes(site, "records/2025-06-sales", "action-updates") == {
        "SAL-2025-04-1": [f"Dropped: {REASON}"]}


def test_the_register_shows_only_why_a_dropped_action_was_dropped(site: Path) -> None:
    # Compact rows: neither the context it was raised with nor the in-progress note.
    for page in ("actions", "teams/sales", "actions/owners/dana-ruiz"):
        notes = _notes(site, page)
        assert notes["SAL-2025-04-1"] == [f"Dropped: {REASON}"], page
        assert notes.get("SAL-2025-04-2", []) == [], page


def test_the_exports_give_the_latest_note_and_the_record_that_wrote_it(site: Path) -> None:
    rows = {r["id"]: r for r in json.loads((site / "data" / "actions.json").read_text())}
    # As written (the block's line break kept): the exports are data.
    assert rows["SAL-2025-04-1"]["note"] == "Finance runs the forecast call now\n(since the reorg)"
    assert rows["SAL-2025-04-1"]["note_in"] == "2025-06-sales"
    assert rows["SAL-2025-04-2"]["note"] is None and rows["SAL-2025-04-2"]["note_in"] is None
    table = {r["id"]: r for r in csv.DictReader(io.StringIO(
        (site / "data" / "actions.csv").read_text()))}
    assert table["SAL-2025-04-1"]["note"] == "Finance runs the forecast call now\n(since the reorg)"
    assert (table["SAL-2025-04-2"]["note"], table["SAL-2025-04-2"]["note_in"]) == ("", "")
