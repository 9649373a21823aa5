"""Segments in the taxonomy's order: the order ``segments:`` lists them in taxonomy.yml is the
company's (small to large, north to south), and a chart's segment panels, its description and
the readings tables follow it, not the ids' alphabetical order.

Unlike the sample: segments split by region, listed in no alphabetical order by id or by name
(``nordics, dach, benelux``: Nordics, DACH, Benelux), a second indicator split alike listing
them in another order, and retros that write their readings in alphabetical order, so neither
the records nor the ids can be what the pages follow.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from conftest import make_kb, run_cli
from generator.paths import RenderOptions
from generator.records.taxonomy import Indicator
from generator.site.build import build

TAXONOMY = """\
company: Vindøy
causes:
  - id: slow-first-touch
    title: Slow first touch
    description: Inbound leads wait too long for the first call.
indicators:
  - id: demos-held
    label: Demos held
    unit: count
    better: up
    segment_by: region
    segments:
      - nordics: Nordics
      - dach: DACH
      - benelux: Benelux
  - id: close-rate
    label: Close rate
    unit: rate
    better: up
    segment_by: region
    segments: [dach, benelux, nordics]
teams:
  - id: field-sales
    name: Field sales
    monthly_retros: true
plan_kinds:
  - id: deal
    title: Deals
"""

_MONTHS = {"2026-05": ("2026-06-03", 11, 14, 9), "2026-06": ("2026-07-02", 12, 13, 10),
           "2026-07": ("2026-08-04", 10, 15, 8)}


def _retro(period: str) -> str:
    held, benelux, dach, nordics = _MONTHS[period]
    # Written in the ids' alphabetical order, which is neither indicator's.
    return f"""---
type: retro
period: {period}
team: field-sales
title: "Field sales retro — {period}"
held: {held}
facilitator: "Ingrid Dahl"
participants: ["Ingrid Dahl", "Lars Berg"]
format: went-well-didnt
indicators:
  demos-held:
    benelux: {benelux}
    dach: {dach}
    nordics: {nordics}
  close-rate:
    benelux: "{benelux - 6}/{benelux}"
    dach: "{dach - 7}/{dach}"
    nordics: "{nordics - 5}/{nordics}"
went_well:
  - "Demos held up"
didnt_go_well:
  - "Slow first touch on inbound"
causes:
  - cause: slow-first-touch
---

The month's retro.
"""


def _pages(tmp_path: Path) -> dict[str, str]:
    source = tmp_path / "taxonomy-source.yml"
    source.write_text(TAXONOMY, encoding="utf-8")
    root = make_kb(tmp_path / "kb", {f"retros/{period}-field-sales.md": _retro(period)
                                     for period in _MONTHS}, source)
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-09-20", "--no-cache")
    assert result.exit_code == 0, result.output
    built = build(root, dt.date(2026, 9, 20), RenderOptions())
    return {path: body.decode("utf-8") for path, body in built.files.items()
            if path.endswith((".md", ".svg"))}


def _readings(page: str, month: str) -> list[str]:
    """The segment cells of ``month``'s rows of a page's readings table, in order."""
    return re.findall(rf'<th scope="row" class="hs-date">{month}</th><td>([^<]*)</td>', page)


def test_panels_and_tables_follow_the_taxonomys_order(tmp_path: Path) -> None:
    pages = _pages(tmp_path)
    svg = pages["charts/indicators/demos-held/field-sales.svg"]
    # The panels are drawn, and their titles written, in the order they stand.
    titles = [title for title in re.findall(r">([^<>]+)</text>", svg)
              if title in ("Nordics", "DACH", "Benelux")]
    assert titles == ["Nordics", "DACH", "Benelux"], titles
    assert "one small panel per segment (Nordics, DACH, Benelux)" in svg
    demos = pages["indicators/demos-held.md"]
    for month in _MONTHS:
        assert _readings(demos, month) == ["all", "Nordics", "DACH", "Benelux"], month
    # Each indicator its own order: close-rate lists dach, benelux, nordics.
    close = pages["indicators/close-rate.md"]
    assert _readings(close, "2026-07") == ["all", "DACH", "Benelux", "Nordics"]
    close_svg = pages["charts/indicators/close-rate/field-sales.svg"]
    assert "one small panel per segment (DACH, Benelux, Nordics)" in close_svg


def test_a_segment_not_listed_sorts_after_the_listed_ones_by_id() -> None:
    """The overall first, the listed segments as listed, then any other by id: the same order
    from build to build whatever order the readings came in."""
    indicator = Indicator.model_validate({
        "id": "demos-held", "label": "Demos held", "unit": "count", "better": "up",
        "segment_by": "region", "segments": ["nordics", "dach", "benelux"]})
    given = ["uk", "benelux", "all", "baltics", "nordics", "dach"]
    assert sorted(given, key=indicator.segment_key) == [
        "all", "nordics", "dach", "benelux", "baltics", "uk"]
