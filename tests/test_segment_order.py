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

from matplotlib.font_manager import FontProperties
from matplotlib.textpath import text_to_path

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


def _field_sales_retro(period: str, held: str, indicators: str) -> str:
    """Field sales's retro of ``period``, held on ``held``, giving ``indicators`` (YAML lines
    under ``indicators:``)."""
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
{indicators}went_well:
  - "Demos held up"
didnt_go_well:
  - "Slow first touch on inbound"
causes:
  - cause: slow-first-touch
---

The month's retro.
"""


def _retro(period: str) -> str:
    held, benelux, dach, nordics = _MONTHS[period]
    # Written in the ids' alphabetical order, which is neither indicator's.
    return _field_sales_retro(period, held, f"""\
  demos-held:
    benelux: {benelux}
    dach: {dach}
    nordics: {nordics}
  close-rate:
    benelux: "{benelux - 6}/{benelux}"
    dach: "{dach - 7}/{dach}"
    nordics: "{nordics - 5}/{nordics}"
""")


def _pages(tmp_path: Path, taxonomy: str = TAXONOMY) -> dict[str, str]:
    source = tmp_path / "taxonomy-source.yml"
    source.write_text(taxonomy, encoding="utf-8")
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


LONG = "Enterprise EMEA and Nordics strategic accounts"
LONGER = "DACH mid-market, public sector and partner-led accounts"


def _title_lines(svg: str) -> list[tuple[float, str]]:
    """Each line of text in ``svg`` with where it starts: a one-line title is written with
    ``x=``, each line of a title over two lines moved to its place."""
    found = re.findall(r'<text [^>]*?(?:x="([\d.]+)"|translate\(([\d.]+) [\d.]+\))[^>]*>'
                       r"([^<]*)</text>", svg)
    return [(float(x or moved), text) for x, moved, text in found]


def test_a_long_segment_name_fits_its_panel_and_is_told_in_full(tmp_path: Path) -> None:
    """A panel's title is as wide as its panel at most (the chart's width is fixed): one
    line ran over the title of the panel beside it, or past the chart's edge. The name is
    shortened on the chart alone; the description says it in full."""
    taxonomy = TAXONOMY.replace("      - nordics: Nordics\n      - dach: DACH\n",
                                f"      - nordics: {LONG}\n      - dach: {LONGER}\n", 1)
    svg = _pages(tmp_path, taxonomy)["charts/indicators/demos-held/field-sales.svg"]
    assert f"one small panel per segment ({LONG}, {LONGER}, Benelux).</desc>" in svg
    lines = _title_lines(svg)
    assert all(LONG not in text and LONGER not in text for _, text in lines), lines

    def part_of(name: str, text: str) -> bool:
        return bool(text.rstrip("…")) and text.rstrip("…") in name

    # The panels' titles: Benelux's (left, second row) shows where the left column begins;
    # the right column begins where the title of the panel beside the long name does.
    left = next(x for x, text in lines if text == "Benelux")
    first = [(x, text) for x, text in lines if x == left and part_of(LONG, text)]
    second = [(x, text) for x, text in lines if x > left and part_of(LONGER, text)]
    assert first and first[0][1].startswith("Enterprise") and first[-1][1].endswith("…"), lines
    assert second and second[0][1].startswith("DACH") and second[-1][1].endswith("…"), lines
    right = second[0][0]
    width = float(re.search(r'<svg [^>]*width="([\d.]+)pt"', svg)[1])  # type: ignore[index]
    font = FontProperties(family="DejaVu Sans", size=11)
    for (x, text), edge in [*((line, right) for line in first),
                            *((line, width) for line in second)]:
        drawn = text_to_path.get_text_width_height_descent(text, font, ismath=False)[0]
        assert x + drawn < edge, (text, x + drawn, edge)


# The wrong-way lists. Two segments of an indicator that fell exactly alike (Nordics and DACH
# halving their demos, DACH's and Benelux's close rate halving): their tie was broken by id
# (benelux, dach, nordics) on every list, unlike the charts and tables beside them.

def _tied_retro(month: int) -> str:
    """Field sales's retro of 2026-``month``: in April and August Nordics and DACH hold half
    their demos (-50 % each) and DACH and Benelux close half their rate (-25 pp each)."""
    fell = month in (4, 8)
    nordics, dach = (5, 10) if fell else (10, 20)
    close = '"5/20"' if fell else '"10/20"'
    period = f"2026-{month:02d}"
    return _field_sales_retro(period, f"2026-{month + 1:02d}-03", f"""\
  demos-held:
    benelux: 30
    dach: {dach}
    nordics: {nordics}
  close-rate:
    benelux: {close}
    dach: {close}
    nordics: "10/20"
""")


def test_wrong_way_ties_follow_the_taxonomys_order(tmp_path: Path) -> None:
    """Exact ties in severity list in each indicator's order of segments: Close rate DACH
    before Benelux (`[dach, benelux, nordics]`), Demos held Nordics before DACH (`nordics,
    dach, benelux`), on the home page, the indicators index, `hindsight recall` and prep's
    agenda; they read Benelux before DACH, DACH before Nordics. Ties across indicators stay
    by indicator, and the overall rows, which fell less, come after; prep's agenda, one
    team's, lists each indicator's overall first and its segments after, as a readings table
    does."""
    source = tmp_path / "taxonomy-source.yml"
    source.write_text(TAXONOMY, encoding="utf-8")
    root = make_kb(tmp_path / "kb", {f"retros/2026-{month:02d}-field-sales.md":
                                     _tied_retro(month) for month in range(1, 9)}, source)
    checked = run_cli("validate", "--root", str(root), "--as-of", "2026-09-20", "--no-cache")
    assert checked.exit_code == 0 and "0 warnings" in checked.output, checked.output
    order = [("Close rate", "DACH"), ("Close rate", "Benelux"), ("Demos held", "Nordics"),
             ("Demos held", "DACH"), ("Close rate", "all"), ("Demos held", "all")]

    built = build(root, dt.date(2026, 9, 20), RenderOptions())
    home = built.files["index.md"].decode("utf-8").split("{ #wrong-way", 1)[1]
    assert re.findall(r'<a href="indicators/[a-z-]+/">([^<]+)</a></th><td><span class='
                      r'"hs-stack__label">Team: </span>Field sales</td><td><span class='
                      r'"hs-stack__label">Segment: </span>([^<]*)</td>', home) == order, home
    index = built.files["indicators/index.md"].decode("utf-8").split("{ #wrong-way", 1)[1]
    assert re.findall(r'<a href="../indicators/[a-z-]+/">([^<]+)</a></th><td>Field sales'
                      r"</td><td>([^<]*)</td>", index) == order, index

    recall = run_cli("recall", str(root / "retros" / "2026-08-field-sales.md"), "--root",
                     str(root), "--as-of", "2026-09-20").output
    assert re.findall(r"^- ([^(:\n]+?)(?: \(([^)]+)\))?:$", recall, re.M) == [
        (label, "" if segment == "all" else segment) for label, segment in order], recall

    drafted = run_cli("prep", "--team", "field-sales", "--period", "2026-09", "--held",
                      "2026-10-02", "--root", str(root), "--as-of", "2026-10-05")
    assert drafted.exit_code == 0, drafted.output
    draft = (root / "retros" / "2026-09-field-sales.md").read_text(encoding="utf-8")
    assert re.findall(r"^\| (Close rate|Demos held) \| ([^|]+) \| ", draft, re.M) == [
        ("Close rate", "all"), ("Close rate", "DACH"), ("Close rate", "Benelux"),
        ("Demos held", "all"), ("Demos held", "Nordics"), ("Demos held", "DACH")], draft
