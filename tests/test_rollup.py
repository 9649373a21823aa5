"""Roll-ups on knowledge bases shaped unlike the sample: every figure worked out by hand.

Each case is a small knowledge base of another company (``fixtures/taxonomy-plain.yml``):
rates only as decimals, only as counts, or mixed; one segment; no readings at all; one month;
a team with a single retro; indicators with no segments. Each builds with ``hindsight
generate`` (no traceback, exit 0) and asserts exact computed values.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from conftest import FIXTURES, REPO, make_kb, run_cli
from generator.analysis.analyze import Analysis, analyze
from generator.analysis.link import link
from generator.records.validate import check
from generator.site.build import build as build_site
from generator.site.drawing import PALETTE
from generator.site.formatdoc import record_format_page
from sitetools import make_project, mkdocs_build, parse_page, table_rows

TAXONOMY = FIXTURES / "taxonomy-plain.yml"
AS_OF = "2026-07-20"


def retro(period: str, indicators: str, team: str = "growth", extra: str = "") -> str:
    """A monthly retro held on the 3rd of the next month, with ``indicators`` as YAML lines."""
    year, month = (int(p) for p in period.split("-"))
    held = dt.date(year + month // 12, month % 12 + 1, 3)
    block = f"indicators:\n{indicators}" if indicators else ""
    return (f"---\ntype: retro\nperiod: {period}\nteam: {team}\nheld: {held}\nfacilitator: Kim\n"
            f"format: five-whys\n{block}{extra}---\n")


def review(quarter: str, held: str, rows: str, extra: str = "") -> str:
    """A company-wide quarterly review with ``rows`` as the scorecard's YAML lines."""
    return (f"---\ntype: review\nperiod: {quarter}\nheld: {held}\nfacilitator: Kim\n"
            f"scorecard:\n{rows}{extra}---\n")


def build(tmp_path: Path, files: dict[str, str]) -> tuple[Analysis, list[str]]:
    """Validate, generate the whole tree with the real command, and analyse."""
    root = make_kb(tmp_path / "kb", files, TAXONOMY)
    result = check(root, dt.date.fromisoformat(AS_OF))
    assert result.kb is not None and not result.problems.errors, result.problems.items
    generated = run_cli("generate", "--out", str(tmp_path / "out"), "--root", str(root),
                        "--as-of", AS_OF)
    assert generated.exit_code == 0, generated.output
    warnings = [f"{p.path}:{p.line}  {p.field}  {p.message}"
                for p in sorted(result.problems.items, key=lambda p: (p.path, p.line))]
    return analyze(result.kb, link(result.kb).actions), warnings


def value(analysis: Analysis, indicator: str, period: str, segment: str = "all",
          team: str = "growth") -> pd.Series:
    frame = analysis.readings
    rows = frame[(frame.indicator == indicator) & (frame.segment == segment)
                 & (frame.period == period) & (frame.team == team)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def card(analysis: Analysis, review_id: str) -> dict[str, tuple[float | None, str]]:
    return {row.measure.metric: (row.computed, row.figure.method if row.figure else "")
            for row in analysis.scorecards[review_id]}


def test_rates_only_as_decimals_build_and_average_plainly(tmp_path: Path) -> None:
    # The crash of issue 10: every segmented rate a decimal, none as counts.
    analysis, _ = build(tmp_path, {
        "retros/2026-01-growth.md": retro("2026-01", "  win-rate: {smb: 0.331, enterprise: 0.25}\n"),
        "retros/2026-02-growth.md": retro("2026-02", "  win-rate: {smb: 0.4, enterprise: 0.2}\n"),
        "retros/2026-q1-review.md": review("2026-Q1", "2026-04-10",
                                           "  - {metric: Win rate, goal: 0.3, unit: rate, "
                                           "indicator: win-rate}\n"),
    })
    jan = value(analysis, "win-rate", "2026-01")
    assert jan.value == pytest.approx((0.331 + 0.25) / 2)  # 0.2905: no counts to pool
    assert jan.method.startswith("plain mean of the segments (not pooled")
    # The quarter: no counts either, so the plain mean of 0.2905 and 0.3 = 0.29525, labelled.
    computed, method = card(analysis, "2026-q1-review")["Win rate"]
    assert computed == pytest.approx(0.29525)
    assert method.startswith("plain mean of the months") and "2 of 3 months" in method


def test_rates_only_as_counts_pool(tmp_path: Path) -> None:
    analysis, _ = build(tmp_path, {
        "retros/2026-01-growth.md": retro("2026-01", '  win-rate: {smb: "18/52", enterprise: "3/10"}\n'),
        "retros/2026-02-growth.md": retro("2026-02", '  win-rate: {smb: "20/50", enterprise: "1/10"}\n'),
        "retros/2026-q1-review.md": review("2026-Q1", "2026-04-10",
                                           "  - {metric: Win rate, goal: 0.3, actual: 0.3393, "
                                           "unit: rate, indicator: win-rate}\n"),
    })
    jan = value(analysis, "win-rate", "2026-01")
    assert (jan.value, jan.numerator, jan.denominator) == (21 / 62, 21, 62)
    # Quarter: (18 + 3 + 20 + 1) / (52 + 10 + 50 + 10) = 42/122 = 0.34426, not the mean of
    # the monthly rates (21/62 + 21/60) / 2 = 0.34435.
    row = analysis.scorecards["2026-q1-review"][0]
    assert row.computed == pytest.approx(42 / 122)
    assert row.figure is not None and "(42/122)" in row.figure.method
    # Two months of three: the typed quarter is not compared with them.
    assert row.agrees is None and row.difference == pytest.approx(42 / 122 - 0.3393)


def test_mixed_rates_fall_back_to_a_labelled_mean(tmp_path: Path) -> None:
    analysis, _ = build(tmp_path, {
        "retros/2026-01-growth.md": retro("2026-01", '  win-rate: {smb: "18/52", enterprise: 0.25}\n'),
    })
    jan = value(analysis, "win-rate", "2026-01")
    assert jan.value == pytest.approx((18 / 52 + 0.25) / 2)  # 0.29808
    assert pd.isna(jan.numerator) and "not pooled" in jan.method


def test_one_segment_counts_sum_and_rates_pool(tmp_path: Path) -> None:
    analysis, _ = build(tmp_path, {
        "retros/2026-01-growth.md": retro("2026-01", '  win-rate: {smb: "18/52"}\n'
                                          "  mqls: {web: 40}\n  sqls: {web: 9}\n"),
    })
    assert value(analysis, "win-rate", "2026-01").value == pytest.approx(18 / 52)
    assert value(analysis, "mqls", "2026-01").value == 40
    conversion = value(analysis, "conversion", "2026-01", "web")
    assert (conversion.value, conversion.computed) == (9 / 40, True)


def test_count_totals_are_sums_not_means(tmp_path: Path) -> None:
    # The example: seven sources of 982 MQLs in all averaged 140.29; here three.
    analysis, _ = build(tmp_path, {
        "retros/2026-01-growth.md": retro("2026-01", "  mqls: {web: 400, events: 500, partners: 82}\n"),
    })
    total = value(analysis, "mqls", "2026-01")
    assert total.value == 982 and total.method == "sum of the segments"


def test_no_readings_at_all(tmp_path: Path) -> None:
    analysis, warnings = build(tmp_path, {
        "retros/2026-01-growth.md": retro("2026-01", ""),
        "retros/2026-q1-review.md": review("2026-Q1", "2026-04-10",
                                           "  - {metric: MQLs, goal: 100, unit: count, "
                                           "indicator: mqls}\n"),
    })
    assert analysis.readings.empty and analysis.latest_period is None
    row = analysis.scorecards["2026-q1-review"][0]
    assert row.computed is None and row.actual is None and row.agrees is None
    assert any("no leading-indicator readings" in w for w in warnings)


def test_one_month_quarter(tmp_path: Path) -> None:
    analysis, _ = build(tmp_path, {
        "retros/2026-02-growth.md": retro("2026-02", "  mqls: {web: 40, events: 60}\n"
                                          "  sqls: {web: 10, events: 5}\n  nps: 1.4\n"),
        "retros/2026-q1-review.md": review(
            "2026-Q1", "2026-04-10",
            "  - {metric: MQLs, goal: 90, unit: count, indicator: mqls}\n"
            "  - {metric: Conversion, goal: 0.2, unit: rate, indicator: conversion}\n"
            "  - {metric: NPS, goal: 1.5, unit: ratio, indicator: nps}\n"),
    })
    rows = card(analysis, "2026-q1-review")
    assert rows["MQLs"][0] == 100 and rows["MQLs"][1] == "sum of the months; 1 of 3 months reported"
    assert rows["Conversion"][0] == pytest.approx(15 / 100)  # computed from the counts, pooled
    assert rows["NPS"][0] == 1.4
    # Filled in from one month of three: each row says so, and the quarter's chart judges
    # none of them met or missed (MQLs 100 of 90 would read "met" for a third of a quarter).
    page = (tmp_path / "out" / "records" / "2026-q1-review.md").read_text()
    scorecard = [row for row in table_rows(page) if row.startswith("| [MQLs]")]
    assert len(scorecard) == 1 and scorecard[0].endswith(
        "| filled in · **from 1 of 3 months only** |"), scorecard
    assert ("No goal of 2026-Q1 can be judged yet: MQLs (from 1 of 3 months), Conversion "
            "(from 1 of 3 months), NPS (from 1 of 3 months).") in page


def test_team_with_a_single_retro(tmp_path: Path) -> None:
    analysis, _ = build(tmp_path, {
        "retros/2026-01-growth.md": retro("2026-01", "  mqls: {web: 40}\n"),
        "retros/2026-02-growth.md": retro("2026-02", "  mqls: {web: 50}\n"),
        "retros/2026-02-field.md": retro("2026-02", "  mqls: {web: 7}\n", team="field"),
        "retros/2026-q1-review.md": review("2026-Q1", "2026-04-10",
                                           "  - {metric: MQLs, goal: 90, unit: count, "
                                           "indicator: mqls}\n"),
    })
    field = analysis.trend[(analysis.trend.team == "field") & (analysis.trend.segment == "all")]
    assert list(field.verdict) == ["new"] and field.iloc[0].value == 7
    # Both teams' months add up: 40 + (50 + 7) = 97.
    assert card(analysis, "2026-q1-review")["MQLs"][0] == 97


def test_indicators_without_segments_mean_median_last(tmp_path: Path) -> None:
    analysis, _ = build(tmp_path, {
        "retros/2026-01-growth.md": retro("2026-01", "  deal-size: 12000\n  nps: 1.2\n  open-opps: 80\n"),
        "retros/2026-02-growth.md": retro("2026-02", "  deal-size: 15000\n  nps: 3.0\n  open-opps: 95\n"),
        "retros/2026-03-growth.md": retro("2026-03", "  deal-size: 13000\n  nps: 1.5\n  open-opps: 70\n"),
        "retros/2026-q1-review.md": review(
            "2026-Q1", "2026-04-10",
            "  - {metric: Deal size, goal: 14000, unit: usd, indicator: deal-size}\n"
            "  - {metric: NPS, goal: 1.5, actual: 1.5, unit: ratio, indicator: nps}\n"
            "  - {metric: Open, goal: 90, unit: count, indicator: open-opps}\n"),
    })
    rows = card(analysis, "2026-q1-review")
    assert rows["Deal size"] == (pytest.approx(40000 / 3), "mean of the months")
    assert rows["NPS"] == (1.5, "median of the months")
    assert rows["Open"] == (70, "the last of the months")
    deal = analysis.scorecards["2026-q1-review"][0]
    assert deal.filled_in and deal.actual == pytest.approx(40000 / 3)


def test_quarter_pools_rates_computed_from_counts(tmp_path: Path) -> None:
    # Jan: web 10/40, events 5/20 → 15/60; Feb: web 20/50, events 2/30 → 22/80.
    # Pooled quarter 37/140 = 0.26429; the mean of the monthly rates would be 0.2625.
    analysis, _ = build(tmp_path, {
        "retros/2026-01-growth.md": retro("2026-01", "  mqls: {web: 40, events: 20}\n"
                                          "  sqls: {web: 10, events: 5}\n"),
        "retros/2026-02-growth.md": retro("2026-02", "  mqls: {web: 50, events: 30}\n"
                                          "  sqls: {web: 20, events: 2}\n"),
        "retros/2026-q1-review.md": review("2026-Q1", "2026-04-10",
                                           "  - {metric: Conversion, goal: 0.25, actual: 0.2643, "
                                           "unit: rate, indicator: conversion}\n"),
    })
    row = analysis.scorecards["2026-q1-review"][0]
    # Two months of three: the typed quarter (0.2643) is not compared with them.
    assert row.computed == pytest.approx(37 / 140) and row.agrees is None


def test_derived_values_computed_and_checked_where_stated(tmp_path: Path) -> None:
    # velocity = open-opps × win-rate × deal-size ÷ cycle, on the overall values:
    # 100 × (21/62) × 12000 ÷ mean(30, 60) = 9032.26; stated 9100 is off by more than 50.
    analysis, warnings = build(tmp_path, {
        "retros/2026-01-growth.md": retro(
            "2026-01",
            '  win-rate: {smb: "18/52", enterprise: "3/10"}\n  cycle: {t1: 30, t2: 60}\n'
            "  deal-size: 12000\n  open-opps: 100\n  velocity: 9100\n"
            "  mqls: {web: 50}\n  sqls: {web: 20}\n  conversion: {web: 0.42}\n"),
        "retros/2026-02-growth.md": retro(
            "2026-02",
            '  win-rate: {smb: "18/52", enterprise: "3/10"}\n  cycle: {t1: 30, t2: 60}\n'
            "  deal-size: 12000\n  open-opps: 100\n  velocity: 9000\n"),
    })
    jan = value(analysis, "velocity", "2026-01")
    assert jan.value == 9100 and not jan.computed  # the record's word stays, flagged
    assert warnings == [
        "retros/2026-01-growth.md:13  indicators.velocity  states $9,100/day but "
        "open-opps * win-rate * deal-size / cycle gives $9,032/day "
        "(100 × 0.33871 × 12,000 ÷ 45)",
        "retros/2026-01-growth.md:16  indicators.conversion.web  states 42.0% but "
        "sqls / mqls gives 40.0% (20 ÷ 50)",
    ]
    # 9000 is written to the thousand: 9032.26 is within its rounding, so no warning.
    assert value(analysis, "velocity", "2026-02").value == 9000


def test_built_in_measures_new_arr_and_follow_through(tmp_path: Path) -> None:
    actions = ("actions:\n"
               "  - {id: A-1, title: One, owner: Kim, due: 2026-02-20}\n"
               "  - {id: A-2, title: Two, owner: Kim, due: 2026-03-15}\n"
               "  - {id: A-3, title: Three, owner: Kim, due: 2026-03-20}\n"
               "  - {id: A-4, title: Four, owner: Kim, due: 2026-04-30}\n"
               "  - {id: A-5, title: Five, owner: Kim, due: 2026-03-01}\n")
    updates = ("action_updates:\n"
               "  - {id: A-1, status: done, done_on: 2026-02-18}\n"
               "  - {id: A-5, status: dropped}\n")
    late = "action_updates:\n  - {id: A-3, status: done, done_on: 2026-04-20}\n"
    analysis, _ = build(tmp_path, {
        "retros/2026-01-growth.md": retro("2026-01", "  won: {smb: 3, enterprise: 1}\n"
                                          "  deal-size: 12000\n", extra=actions),
        "retros/2026-02-growth.md": retro("2026-02", "  won: {smb: 2}\n  deal-size: 15000\n",
                                          extra=updates),
        "retros/2026-q1-review.md": review(
            "2026-Q1", "2026-04-10",
            "  - {metric: New ARR, goal: 80000, actual: 78000, unit: usd, measure: new-arr}\n"
            "  - {metric: Follow-through, goal: 0.8, unit: rate, "
            "measure: action-follow-through}\n",
            extra="action_updates:\n  - {id: A-2, status: done, done_on: 2026-04-08}\n"),
        "retros/2026-04-growth.md": retro("2026-04", "", extra=late),
    })
    rows = card(analysis, "2026-q1-review")
    # (3 + 1) × 12,000 + 2 × 15,000 = 78,000.
    assert rows["New ARR"][0] == 78000
    # Due in Q1, not dropped; done by 2026-04-10: A-1, A-2 (A-3 came later).
    assert rows["Follow-through"] == (
        pytest.approx(2 / 3),
        "2 of 3 actions first due in 2026-Q1 done by 2026-04-10, on time or late (dropped ones left out)")


def test_new_arr_multiplies_segment_by_segment_when_deal_size_is_split(tmp_path: Path) -> None:
    taxonomy = TAXONOMY.read_text().replace(
        "  - id: deal-size\n    label: Deal size\n    unit: usd\n    better: up\n",
        "  - id: deal-size\n    label: Deal size\n    unit: usd\n    better: up\n"
        "    segment_by: segment\n    segments: [smb, enterprise]\n")
    root = make_kb(tmp_path / "kb", {
        "retros/2026-01-growth.md": retro("2026-01", "  won: {smb: 4, enterprise: 1}\n"
                                          "  deal-size: {smb: 10000, enterprise: 90000}\n"),
        "retros/2026-q1-review.md": review("2026-Q1", "2026-04-10",
                                           "  - {metric: New ARR, goal: 1, unit: usd, "
                                           "measure: new-arr}\n"),
    }, TAXONOMY)
    (root / "taxonomy.yml").write_text(taxonomy)
    result = check(root, dt.date.fromisoformat(AS_OF))
    assert result.kb is not None and not result.problems.errors
    rows = card(analyze(result.kb), "2026-q1-review")
    # 4 × 10,000 + 1 × 90,000 = 130,000 (the totals would give 5 × 50,000 = 250,000).
    assert rows["New ARR"] == (130000, "Σ over the months of won × deal-size, segment by "
                               "segment; 1 of 3 months reported")


def test_an_old_quarterly_key_still_validates_and_is_honoured(tmp_path: Path) -> None:
    # A taxonomy written before aggregate: existed: quarterly: mean on a rate keeps meaning
    # the plain mean of the monthly rates, and says so.
    taxonomy = TAXONOMY.read_text().replace(
        "    segment_by: segment\n    segments: [smb, enterprise]\n  - id: won",
        "    segment_by: segment\n    segments: [smb, enterprise]\n    quarterly: mean\n"
        "  - id: won")
    root = make_kb(tmp_path / "kb", {
        "retros/2026-01-growth.md": retro("2026-01", '  win-rate: {smb: "1/4"}\n'),
        "retros/2026-02-growth.md": retro("2026-02", '  win-rate: {smb: "30/40"}\n'),
        "retros/2026-q1-review.md": review("2026-Q1", "2026-04-10",
                                           "  - {metric: Win rate, goal: 0.3, unit: rate, "
                                           "indicator: win-rate}\n"),
    }, TAXONOMY)
    (root / "taxonomy.yml").write_text(taxonomy)
    result = check(root, dt.date.fromisoformat(AS_OF))
    assert result.kb is not None and not result.problems.errors
    # (0.25 + 0.75) / 2 = 0.5, where pooling would give 31/44.
    assert card(analyze(result.kb), "2026-q1-review")["Win rate"] == (
        0.5, "mean of the months; 2 of 3 months reported")


def test_schema_and_record_format_page_document_the_new_fields() -> None:
    schema = json.loads(run_cli("schema").output)
    measure = schema["$defs"]["Measure"]
    assert {"segment", "measure"} <= set(measure["properties"])
    assert "actual" not in measure["required"]
    assert schema["$defs"]["Builtin"]["enum"] == ["new-arr", "action-follow-through"]
    page = record_format_page().decode()
    for field in ("`aggregate`", "`quarterly`", "`formula`", "`new_arr:`", "`deal_size`"):
        assert field in page
    readme = (REPO / "README.md").read_text()
    assert "formula: sqls / mqls" in readme and "| `pooled` (default for `unit: rate`)" in readme


def test_decimal_rates_build_a_strict_site_that_labels_the_mean(tmp_path: Path) -> None:
    # The crash of issue 10 through a real `mkdocs build --strict`, checked in the HTML.
    kb = make_kb(tmp_path / "kb", {
        "retros/2026-01-growth.md": retro("2026-01", "  win-rate: {smb: 0.331, enterprise: 0.25}\n"),
        "retros/2026-q1-review.md": review("2026-Q1", "2026-04-10",
                                           "  - {metric: Win rate, goal: 0.3, unit: rate, "
                                           "indicator: win-rate}\n"),
    }, TAXONOMY)
    project = make_project(tmp_path / "site", kb)
    result = mkdocs_build(project, AS_OF)
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    indicator = parse_page(project / "site" / "indicators" / "win-rate" / "index.html")
    assert any(text.startswith("29.0% plain mean: no counts") for text, _ in indicator.cells)
    # The indicators index, where leaders scan, labels the plain mean as the page does.
    index = parse_page(project / "site" / "indicators" / "index.html")
    assert any(text.endswith("29.0% plain mean: no counts") for text, _ in index.cells)
    # No action aims at win rate: its chart's legend names no triangles nor short bars.
    html = (project / "site" / "indicators" / "win-rate" / "index.html").read_text()
    assert "Dot: all segments" in html  # one month: a dot, no line to call thick
    assert "triangles" not in html and "short bars" not in html
    record = parse_page(project / "site" / "records" / "2026-q1-review" / "index.html")
    assert ("29.0% (computed)", False) in record.cells  # 0.2905, shown to 0.1 %
    assert ("filled in · from 1 of 3 months only", False) in record.cells


def test_a_round_typed_figure_agrees_only_to_two_significant_digits(tmp_path: Path) -> None:
    from generator.records.rollup import written_tolerance

    # Trailing zeros are rounding down to two significant digits, no further.
    assert written_tolerance(1_000_000.0) == 50_000  # $1,074,000 is not "about $1M"
    assert written_tolerance(1_970_000.0) == 5_000
    assert written_tolerance(200.0) == 5 and written_tolerance(40.0) == 0.5
    assert written_tolerance(0.32) == pytest.approx(0.005)
    # MQLs 40 + 50 + 60 = 150 (web only): typed 200 differs (was "agrees": 200 ± 50); 150
    # agrees; 100 differs.
    months = {m: retro(m, f"  mqls: {{web: {n}}}\n") for m, n in
              (("2026-01", 40), ("2026-02", 50), ("2026-03", 60))}
    rows = "".join(f"  - {{metric: MQLs {a}, goal: 140, actual: {a}, unit: count, "
                   f"indicator: mqls}}\n" for a in (200, 150, 100))
    analysis, _ = build(tmp_path, {**{f"retros/{m}-growth.md": t for m, t in months.items()},
                                   "retros/2026-q1-review.md": review("2026-Q1", "2026-04-10",
                                                                      rows)})
    agreed = {row.measure.metric: row.agrees for row in analysis.scorecards["2026-q1-review"]}
    assert agreed == {"MQLs 200": False, "MQLs 150": True, "MQLs 100": False}


def test_a_company_quarter_names_the_team_that_missed_a_month(tmp_path: Path) -> None:
    # Growth reported all three months, field only January and March: the company's sum
    # (40 + 7 + 50 + 60 + 9 = 166) misses field's February, and says so.
    analysis, _ = build(tmp_path, {
        "retros/2026-01-growth.md": retro("2026-01", "  mqls: {web: 40}\n"),
        "retros/2026-02-growth.md": retro("2026-02", "  mqls: {web: 50}\n"),
        "retros/2026-03-growth.md": retro("2026-03", "  mqls: {web: 60}\n"),
        "retros/2026-01-field.md": retro("2026-01", "  mqls: {web: 7}\n", team="field"),
        "retros/2026-03-field.md": retro("2026-03", "  mqls: {web: 9}\n", team="field"),
        "retros/2026-q1-review.md": review("2026-Q1", "2026-04-10",
                                           "  - {metric: MQLs, goal: 90, unit: count, "
                                           "indicator: mqls}\n"),
    })
    assert card(analysis, "2026-q1-review")["MQLs"] == (
        166, "sum of the months; each month, the teams' sum; Field: 2 of 3 months reported")
    # Every month was reported by some team: the quarter is complete, judged like any other
    # (a team that started or stopped within it is no gap that will ever be filled).
    assert analysis.scorecards["2026-q1-review"][0].figure.partial == ""
    page = (tmp_path / "out" / "records" / "2026-q1-review.md").read_text()
    assert "months only" not in page and "The goal of 2026-Q1 was met" in page


def test_a_stated_rate_that_rounds_its_counts_reads_as_agreeing(tmp_path: Path) -> None:
    # Conversion stated 0.42 where SQLs 5 of MQLs 12 give 0.4167: within the rounding of
    # 0.42 (0.415 to 0.425), so it agrees, and the record page says so, not in bold as a
    # disagreement. 0.5 where 6 of 14 give 0.4286 does not.
    from generator.records.derived import agrees
    from generator.records.taxonomy import Unit
    from generator.site.build import build as build_site

    root = make_kb(tmp_path / "kb", {"retros/2026-01-growth.md": retro(
        "2026-01", "  mqls: {web: 12, events: 14}\n  sqls: {web: 5, events: 6}\n"
                   "  conversion: {web: 0.42, events: 0.5}\n")}, TAXONOMY)
    result = check(root, dt.date.fromisoformat(AS_OF))
    assert result.kb is not None
    readings = {r.segment: r for r in result.kb.entries[0].readings if r.indicator == "conversion"}
    assert agrees(readings["web"], Unit.RATE) is True
    assert agrees(readings["events"], Unit.RATE) is False
    page = build_site(root, dt.date.fromisoformat(AS_OF)).files["records/2026-01-growth.md"]
    text = page.decode()
    assert "checked: SQLs ÷ MQLs gives 41.7%, agrees" in text
    assert "**SQLs ÷ MQLs gives 42.9%**" in _rows(text)


def test_a_row_of_an_indicator_without_quarter_figures_says_so(tmp_path: Path) -> None:
    # NPS declares `quarterly: none`: its row has readings, and no quarter figure by design.
    from generator.site.build import build as build_site

    taxonomy = tmp_path / "taxonomy.yml"
    taxonomy.write_text(TAXONOMY.read_text().replace(
        "    aggregate: median\n", "    aggregate: median\n    quarterly: none\n", 1))
    root = make_kb(tmp_path / "kb", {
        "retros/2026-01-growth.md": retro("2026-01", "  nps: 1.2\n"),
        "retros/2026-q1-review.md": review("2026-Q1", "2026-04-10",
                                           "  - {metric: NPS, goal: 1.5, actual: 1.3, "
                                           "unit: ratio, indicator: nps}\n")}, taxonomy)
    page = build_site(root, dt.date.fromisoformat(AS_OF)).files["records/2026-q1-review.md"]
    row = next(row for row in table_rows(page.decode()) if row.startswith("| [NPS]"))
    assert row.endswith("| no quarter figure (`quarterly: none`) |"), row


def test_a_scorecard_row_on_a_lower_is_better_indicator_goes_its_way(tmp_path: Path) -> None:
    """A goal of 30 days on the sales cycle, computed 45: attainment 30 / 45 = 66.7 %, missed.
    Without the indicator's direction the row read 150 % and counted as a goal met."""
    from generator.records.formatting import attainment

    analysis, _ = build(tmp_path, {
        "retros/2026-01-growth.md": retro("2026-01", "  cycle: {t1: 40, t2: 40}\n"),
        "retros/2026-02-growth.md": retro("2026-02", "  cycle: {t1: 50, t2: 50}\n"),
        "retros/2026-q1-review.md": review(
            "2026-Q1", "2026-04-10",
            "  - {metric: Days to close, goal: 30, unit: days, indicator: cycle}\n"),
    })
    (row,) = analysis.scorecards["2026-q1-review"]
    assert row.computed == 45  # the mean of 40 and 50
    assert attainment(row.measure, row.computed) == pytest.approx(30 / 45)
    page = (tmp_path / "out" / "records" / "2026-q1-review.md").read_text()
    # February is the quarter's last month reported: the figure is partial, judged later.
    assert "| not judged yet (67% so far) |" in _rows(page), page
    assert "The goal of 2026-Q1 was met" not in page
    assert "No goal of 2026-Q1 can be judged yet: Days to close (from 2 of 3 months)." in page


def test_a_scorecard_row_against_its_indicators_direction_is_an_error(tmp_path: Path) -> None:
    root = make_kb(tmp_path / "kb", {
        "retros/2026-01-growth.md": retro("2026-01", "  cycle: {t1: 40, t2: 40}\n"),
        "retros/2026-q1-review.md": review(
            "2026-Q1", "2026-04-10",
            "  - {metric: Days to close, goal: 30, unit: days, indicator: cycle, better: up}\n"),
    }, TAXONOMY)
    result = run_cli("validate", "--root", str(root), "--as-of", AS_OF)
    assert result.exit_code == 1
    assert ("retros/2026-q1-review.md:7:77  scorecard[0].better  is up, but cycle is better "
            "down in taxonomy.yml (set better: down, or leave better: out)") in result.output


def _movers(home: str) -> list[list[str]]:
    """The home page's wrong-way movers, a row each: the cells' text, labels and tags left
    out (indicator, team, segment, value, vs prior, vs 3-month mean)."""
    import html
    import re

    section = home.split("## Moved the wrong way", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r'<tr><th scope="row" class="hs-stack__lead">(.*?)</tr>', section)
    return [[html.unescape(re.sub(r"<[^>]+>", "", re.sub(r'<span class="hs-stack__label">'
                                                         r"[^<]*</span>", "", cell))).strip()
             for cell in re.split(r"</t[dh]>", "<th>" + row)[:-1]] for row in rows]


def test_a_team_reporting_a_new_month_does_not_hide_the_others_movers(tmp_path: Path) -> None:
    """Growth's April deal size, 8,000 after 10,000 / 11,000 / 12,000: worse than March
    (−4,000) and the trailing mean (11,000; −3,000). Field reports May first. Growth's April is
    still its latest month, so the home page lists it, under a heading that names the month."""
    analysis, _ = build(tmp_path, {
        "retros/2026-01-growth.md": retro("2026-01", "  deal-size: 10000\n"),
        "retros/2026-02-growth.md": retro("2026-02", "  deal-size: 11000\n"),
        "retros/2026-03-growth.md": retro("2026-03", "  deal-size: 12000\n"),
        "retros/2026-04-growth.md": retro("2026-04", "  deal-size: 8000\n"),
        "retros/2026-05-field.md": retro("2026-05", "  deal-size: 9000\n", team="field"),
    })
    from generator.analysis.analyze import latest_movers

    kb = check(tmp_path / "kb", dt.date.fromisoformat(AS_OF)).kb
    assert kb is not None
    (mover,) = latest_movers(analysis.trend, taxonomy=kb.taxonomy)
    assert (mover.team, mover.period, mover.value, mover.prior, mover.trailing_mean) == (
        "growth", "2026-04", 8000, 12000, 11000)
    home = (tmp_path / "out" / "index.md").read_text()
    assert "## Moved the wrong way in April 2026" in home  # the only month with a mover
    assert _movers(home) == [["Deal size", "Growth", "all", "$8,000", "−$4,000", "−$3,000"]]
    # An HTML block: a blank line before it.
    assert '[flat](indicators/index.md).\n\n<div class="hs-stack">' in home


def test_movers_of_different_months_name_their_month(tmp_path: Path) -> None:
    files = {f"retros/2026-0{m}-growth.md": retro(f"2026-0{m}", f"  deal-size: {v}\n")
             for m, v in ((1, 10000), (2, 11000), (3, 12000), (4, 8000))}
    files.update({f"retros/2026-0{m}-field.md": retro(f"2026-0{m}", f"  deal-size: {v}\n",
                                                      team="field")
                  for m, v in ((2, 10000), (3, 11000), (4, 12000), (5, 9000))})
    build(tmp_path, files)
    home = (tmp_path / "out" / "index.md").read_text()
    assert "## Moved the wrong way in each team's latest month" in home
    # Growth's April (−27 % against its mean) is worse than Field's May (−18 %): first.
    assert [row[1] for row in _movers(home)] == ["Growth, April 2026", "Field, May 2026"]


def test_a_team_that_stopped_reporting_months_ago_is_not_news(tmp_path: Path) -> None:
    """Growth's last retro is January (deal size down from 12,000 to 8,000), Field reports to
    June (down too). Built on 2026-07-20: Field's June is news; Growth's January, six months
    old, is not listed as needing attention (the indicator's page still shows it)."""
    files = {f"retros/2025-{m}-growth.md": retro(f"2025-{m}", f"  deal-size: {v}\n")
             for m, v in (("10", 10000), ("11", 11000), ("12", 12000))}
    files["retros/2026-01-growth.md"] = retro("2026-01", "  deal-size: 8000\n")
    files.update({f"retros/2026-0{m}-field.md": retro(f"2026-0{m}", f"  deal-size: {v}\n",
                                                      team="field")
                  for m, v in ((3, 10000), (4, 11000), (5, 12000), (6, 9000))})
    build(tmp_path, files)
    home = (tmp_path / "out" / "index.md").read_text()
    section = home.split("## Moved the wrong way in June 2026", 1)[1].split("\n## ", 1)[0]
    assert [row[1:3] for row in _movers(home)] == [["Field", "all"]]
    assert "Growth" not in section, section


def test_readings_export_carries_each_reading_with_its_comparison(tmp_path: Path) -> None:
    """data/readings.csv: the figures an indicator page shows, for a spreadsheet.
    Deal size 10,000 / 11,000 / 12,000 / 8,000: April is 4,000 under March and 3,000 under
    the mean of the three before (11,000), the wrong way."""
    import csv
    import io

    build(tmp_path, {f"retros/2026-0{m}-growth.md": retro(f"2026-0{m}", f"  deal-size: {v}\n")
                     for m, v in ((1, 10000), (2, 11000), (3, 12000), (4, 8000))})
    table = list(csv.DictReader(io.StringIO(
        (tmp_path / "out" / "data" / "readings.csv").read_text())))
    assert [r["period"] for r in table] == ["2026-01", "2026-02", "2026-03", "2026-04"]
    april = table[3]
    assert (float(april["value"]), float(april["prior"]), april["prior_period"],
            float(april["trailing_mean"]), float(april["vs_prior"]),
            float(april["vs_trailing"]), april["verdict"]) == (
        8000, 12000, "2026-03", 11000, -4000, -3000, "wrong way")
    # Whole numbers as written, not as floats: a spreadsheet shows 8000, not 8000.0.
    assert (april["value"], april["prior"], april["vs_prior"]) == ("8000", "12000", "-4000")
    assert april["numerator"] == "" and april["record"] == "2026-04-growth"
    assert april["computed"] == "False" and april["method"] == ""
    assert table[0]["prior"] == "" and table[0]["verdict"] == "new"
    assert not (tmp_path / "out" / "data" / "readings.json").exists()  # CSV only


def test_follow_through_counts_an_action_in_the_quarter_it_was_first_due(tmp_path: Path) -> None:
    """A-1 was due 2026-03-20; the March retro (held 2026-04-03, after it was missed) moved it
    to 2026-05-15. It was still due in Q1: 1 of 2 done (A-2 on time), not 1 of 1."""
    actions = ("actions:\n"
               "  - {id: A-1, title: One, owner: Kim, due: 2026-03-20}\n"
               "  - {id: A-2, title: Two, owner: Kim, due: 2026-03-25}\n")
    analysis, _ = build(tmp_path, {
        "retros/2026-02-growth.md": retro("2026-02", "  deal-size: 12000\n", extra=actions),
        "retros/2026-03-growth.md": retro("2026-03", "  deal-size: 12000\n", extra=(
            "action_updates:\n  - {id: A-1, status: open, due: 2026-05-15}\n"
            "  - {id: A-2, status: done, done_on: 2026-03-24}\n")),
        "retros/2026-q1-review.md": review(
            "2026-Q1", "2026-04-10", "  - {metric: Follow-through, goal: 0.8, unit: rate, "
            "measure: action-follow-through}\n"),
    })
    assert card(analysis, "2026-q1-review")["Follow-through"] == (
        0.5, "1 of 2 actions first due in 2026-Q1 done by 2026-04-10, on time or late "
        "(dropped ones left out)")


def test_a_follow_through_row_says_its_rule_and_gives_the_registers_count_beside_it(
        tmp_path: Path) -> None:
    """Four actions first due in March (a fifth dropped): A-1 and A-4 done by their due dates,
    A-2 done late, A-5 still open. The review's follow-through is 3 of 4, 75.0%, on time or
    late; the register's follow-through, which the home page shows, counts 2 of 4 done by the
    first due date, 50.0%. The row said only "75.0% (computed)" beside a home page of the
    other rule. Now each row says which it counts and gives the other beside it: filled in,
    agreeing with a typed 0.75 and differing from a typed 0.9. All three are judged met on
    75.0% (or the typed 90.0%), as before."""
    actions = "actions:\n" + "".join(
        f"  - {{id: A-{n}, title: Task {n}, owner: Kim, due: 2026-03-{day}}}\n"
        for n, day in ((1, 10), (2, 15), (3, 20), (4, 25), (5, 31)))
    rows = "".join(f"  - {{metric: {name}, goal: 0.7,{actual} unit: rate, "
                   "measure: action-follow-through}\n"
                   for name, actual in (("Follow-through", ""), ("Typed", " actual: 0.75,"),
                                        ("Typed high", " actual: 0.9,")))
    analysis, _ = build(tmp_path, {
        "retros/2026-02-growth.md": retro("2026-02", "  deal-size: 12000\n", extra=actions),
        "retros/2026-03-growth.md": retro("2026-03", "  deal-size: 12000\n", extra=(
            "action_updates:\n  - {id: A-1, status: done, done_on: 2026-03-09}\n"
            "  - {id: A-2, status: done, done_on: 2026-03-30}\n"
            "  - {id: A-3, status: dropped, note: Not needed}\n"
            "  - {id: A-4, status: done, done_on: 2026-03-25}\n")),
        "retros/2026-q1-review.md": review("2026-Q1", "2026-04-10", rows),
    })
    counted = "done, on time or late, 3 of 4; by the first due date 2 of 4, 50.0%"
    assert {row.measure.metric: (row.computed, row.figure.counted if row.figure else "",
                                 row.met) for row in analysis.scorecards["2026-q1-review"]} == {
        "Follow-through": (0.75, counted, True), "Typed": (0.75, counted, True),
        "Typed high": (0.75, counted, True)}
    page = (tmp_path / "out" / "records" / "2026-q1-review.md").read_text()
    shown = {line.split("</th>", 1)[0].rsplit(">", 1)[1]: line.split("</th>", 1)[1]
             for line in page.splitlines() if line.startswith('<tr><th scope="row">')}
    assert shown["Follow-through"] == (
        f"<td>70.0%</td><td>75.0% <em>(computed: {counted})</em></td><td>107%</td>"
        "<td>filled in</td></tr>"), shown
    assert shown["Typed"] == (f"<td>70.0%</td><td>75.0%</td><td>107%</td>"
                              f"<td>agrees (75.0%: {counted})</td></tr>"), shown
    assert shown["Typed high"] == (
        "<td>70.0%</td><td>90.0%</td><td>129%</td><td><strong>differs</strong>: computed "
        f"75.0%, 15.0 pp below the typed 90.0% ({counted})</td></tr>"), shown


def test_a_month_that_leaves_a_segment_out_is_not_compared_with_full_months(
        tmp_path: Path) -> None:
    """MQLs by source, 200 + 100 + 100 = 400 from January to March. April gives web 230 and
    events 120 and leaves partners out: its overall, 350, is a sum of two sources, not a fall
    of 50 "the wrong way"; it starts a series of its own (new), and validation says why. May
    gives all three again, 210 + 100 + 100 = 410, and is compared with March (prior 400) and
    the mean of the three months before that gave all three, February and March (400): +10,
    2.5 % (over the 2 % threshold): improved."""
    full = "  mqls: {{web: {}, events: 100, partners: 100}}\n"
    analysis, warnings = build(tmp_path, {
        **{f"retros/2026-0{m}-growth.md": retro(f"2026-0{m}", full.format(200))
           for m in (1, 2, 3)},
        "retros/2026-04-growth.md": retro("2026-04", "  mqls: {web: 230, events: 120}\n"),
        "retros/2026-05-growth.md": retro("2026-05", full.format(210)),
    })
    trend = Analysis(analysis.trend, analysis.trend, None)  # `value` reads the readings
    april = value(trend, "mqls", "2026-04")
    assert (april["value"], april["verdict"]) == (350, "new")
    may = value(trend, "mqls", "2026-05")
    assert (may["value"], may["prior"], may["trailing_mean"], may["prior_period"],
            may["verdict"]) == (410, 400, 400, "2026-03", "improved")
    assert warnings == [
        "retros/2026-04-growth.md:9  indicators.mqls  mqls leaves out partners, which "
        "2026-03-growth gave: this month's overall combines only web and events, so it is "
        "not compared with earlier months"]
    home = (tmp_path / "out" / "index.md").read_text()
    # Only a real move is listed (events 120 → 100 in May), not the overall's.
    assert [row[1:4] for row in _movers(home)] == [["Growth", "events", "100"]]
    assert "350" not in str(_movers(home))
    # The chart's overall line and its headline skip April's partial sum (a gap, not a dip);
    # the table still lists it, marked new.
    page = (tmp_path / "out" / "indicators" / "mqls.md").read_text()
    assert "MQLs for Growth rose from March 2026 to May 2026, 400 → 410 — better." in page
    assert "→ 350" not in page and "350 →" not in page
    # "Did it work" reads the same overall series: no April in its before and after means.
    from generator.analysis.effectiveness import series_index

    overall = series_index(analysis.readings)[("mqls", "growth", "all")]
    assert overall == [("2026-01", 400.0), ("2026-02", 400.0), ("2026-03", 400.0),
                       ("2026-05", 410.0)]


def test_a_month_only_averaged_is_not_compared_with_pooled_months(tmp_path: Path) -> None:
    """Win rate, smb 10 % and enterprise 90 % every month. January and March give counts,
    10/100 and 9/10: pooled, 19/110 = 17.27 %. February writes the same rates as decimals,
    0.1 and 0.9: no counts, so the month is the plain mean, 50 %. March read as a fall of
    32.7 points "the wrong way" from February, though nothing changed. Now February's overall
    is a series of its own (new); March is compared with January (prior 17.27 %, one reading in
    the three months before: no trend yet, new). April, 12/100 and 9/10 = 21/110 = 19.09 %, is
    +1.82 points against March and against the mean of January and March (17.27 %): improved.
    The chart and "did it work" leave February out of the overall line."""
    month = "  win-rate: {{smb: {}, enterprise: {}}}\n"
    analysis, _ = build(tmp_path, {
        "retros/2026-01-growth.md": retro("2026-01", month.format('"10/100"', '"9/10"')),
        "retros/2026-02-growth.md": retro("2026-02", month.format("0.1", "0.9")),
        "retros/2026-03-growth.md": retro("2026-03", month.format('"10/100"', '"9/10"')),
        "retros/2026-04-growth.md": retro("2026-04", month.format('"12/100"', '"9/10"')),
    })
    trend = Analysis(analysis.trend, analysis.trend, None)
    february = value(trend, "win-rate", "2026-02")
    assert (february["value"], february["verdict"]) == (0.5, "new")
    assert str(february["method"]).startswith("plain mean")
    march = value(trend, "win-rate", "2026-03")
    assert (march["value"], march["prior"], march["prior_period"], march["verdict"]) == (
        pytest.approx(19 / 110), pytest.approx(19 / 110), "2026-01", "new")
    assert march["trailing_mean"] != march["trailing_mean"]  # NaN: one reading, no trend
    april = value(trend, "win-rate", "2026-04")
    assert (april["value"], april["prior"], april["trailing_mean"], april["verdict"]) == (
        pytest.approx(21 / 110), pytest.approx(19 / 110), pytest.approx(19 / 110), "improved")
    from generator.analysis.effectiveness import series_index

    overall = series_index(analysis.readings)[("win-rate", "growth", "all")]
    assert [month for month, _ in overall] == ["2026-01", "2026-03", "2026-04"]
    page = (tmp_path / "out" / "indicators" / "win-rate.md").read_text()
    assert "wrong way</strong>" not in page
    assert "50.0%" in page  # still listed in the table, as the month's figure
    assert "→ 50.0%" not in page and "50.0% →" not in page


def test_a_stated_rate_its_inputs_contradict_keeps_the_month_and_quarter_pooled(
        tmp_path: Path) -> None:
    """January: web 10 of 40 MQLs, events 5 of 20; the record states web 25% (agrees) and
    events 45% (5 ÷ 20 is 25%). The events row keeps the 45% typed, with a warning; the
    month's overall pools the inputs' counts, 15/60 = 25.0%, as the MQL and SQL totals (60,
    15) say, not the plain mean of 25% and 45%. February states only web, 20 of 50 (40%), and
    its events rate is computed (2 of 30): no segment is left out. The quarter pools 37/140."""
    analysis, warnings = build(tmp_path, {
        "retros/2026-01-growth.md": retro("2026-01", "  mqls: {web: 40, events: 20}\n"
                                          "  sqls: {web: 10, events: 5}\n"
                                          "  conversion: {web: 0.25, events: 0.45}\n"),
        "retros/2026-02-growth.md": retro("2026-02", "  mqls: {web: 50, events: 30}\n"
                                          "  sqls: {web: 20, events: 2}\n"
                                          "  conversion: {web: 0.40}\n"),
        "retros/2026-q1-review.md": review("2026-Q1", "2026-04-10",
                                           "  - {metric: Conversion, goal: 0.25, "
                                           "unit: rate, indicator: conversion}\n"),
    })
    assert warnings == ["retros/2026-01-growth.md:11  indicators.conversion.events  states "
                        "45.0% but sqls / mqls gives 25.0% (5 ÷ 20)"]
    events = value(analysis, "conversion", "2026-01", "events")
    assert events.value == 0.45
    overall = value(analysis, "conversion", "2026-01")
    assert (overall.value, overall.numerator, overall.denominator) == (0.25, 15, 60)
    assert "pooled" in overall.method and "plain mean" not in overall.method
    row = analysis.scorecards["2026-q1-review"][0]
    assert row.computed == pytest.approx(37 / 140) and "plain mean" not in row.figure.method
    # The record's page shows the typed 45% without counts it was not made of, and the
    # formula's figure beside it; the web row agrees, with its counts.
    page = (tmp_path / "out" / "records" / "2026-01-growth.md").read_text()
    rows = table_rows(page)
    assert "| MQL→SQL | events | 45.0% · **SQLs ÷ MQLs gives 25.0%** |" in rows, rows
    assert "| MQL→SQL | web | 25.0% (10/40) · checked: SQLs ÷ MQLs gives 25.0%, agrees |" in rows


def test_a_rate_typed_as_0_or_1_agrees_only_within_a_point(tmp_path: Path) -> None:
    """YAML reads 1.0 as 1 and 0.30 as 0.3: taken as written, 1 stood for 0.5 to 1.5 and
    agreed with a follow-through of 1 of 2; 0 with a win rate of 7 of 20. A rate's written
    value is taken to the percentage point at least: both differ now, and 0.5 still agrees
    with 1 of 2."""
    actions = ("actions:\n"
               "  - {id: A-1, title: One, owner: Kim, due: 2026-03-20}\n"
               "  - {id: A-2, title: Two, owner: Kim, due: 2026-03-25}\n")
    analysis, warnings = build(tmp_path, {
        "retros/2026-02-growth.md": retro("2026-02", "  deal-size: 12000\n", extra=actions),
        "retros/2026-03-growth.md": retro("2026-03", "  mqls: {web: 20, events: 10}\n"
                                          "  sqls: {web: 7, events: 3}\n"
                                          "  conversion: {web: 0, events: 0.3}\n", extra=(
            "action_updates:\n  - {id: A-2, status: done, done_on: 2026-03-24}\n")),
        "retros/2026-q1-review.md": review(
            "2026-Q1", "2026-04-10",
            "  - {metric: Follow-through, goal: 0.8, actual: 1.0, unit: rate, "
            "measure: action-follow-through}\n"
            "  - {metric: Half done, goal: 0.8, actual: 0.5, unit: rate, "
            "measure: action-follow-through}\n"),
    })
    rows = {row.measure.metric: row for row in analysis.scorecards["2026-q1-review"]}
    assert rows["Follow-through"].computed == 0.5 and rows["Follow-through"].agrees is False
    assert rows["Half done"].agrees is True
    assert [w for w in warnings if "conversion" in w] == [
        "retros/2026-03-growth.md:11  indicators.conversion.web  states 0.0% but sqls / mqls "
        "gives 35.0% (7 ÷ 20)"]


def test_a_team_review_says_when_its_figures_are_every_teams(tmp_path: Path) -> None:
    """The field team reports no MQLs and had no actions due: its review's MQL row is the
    company's sum (40 + 50 + 60), and says so; its follow-through row says no action was due,
    not that there were no readings."""
    analysis, _ = build(tmp_path, {
        **{f"retros/2026-0{m}-growth.md": retro(f"2026-0{m}", f"  mqls: {{web: {v}}}\n")
           for m, v in ((1, 40), (2, 50), (3, 60))},
        "retros/2026-q1-field-review.md": review(
            "2026-Q1", "2026-04-10",
            "  - {metric: MQLs, goal: 90, unit: count, indicator: mqls}\n"
            "  - {metric: Follow-through, goal: 0.8, unit: rate, measure: action-follow-through}\n",
            extra="team: field\n"),
    })
    assert card(analysis, "2026-q1-field-review")["MQLs"] == (
        150, "all teams (Field reports no MQLs of its own); sum of the months")
    page = (tmp_path / "out" / "records" / "2026-q1-field-review.md").read_text()
    row = next(row for row in table_rows(page) if row.startswith("| Follow-through |"))
    assert row.endswith("| no actions first due in the quarter |"), row


def test_a_company_quarter_says_how_it_combined_the_teams(tmp_path: Path) -> None:
    """Growth gives its win rate as counts (smb 10/40, enterprise 2/10 each month: 12/50);
    Field as decimals (smb 0.5, enterprise 0.5). Each month's company figure is then the plain
    mean of the two teams, (0.24 + 0.5) / 2 = 0.37, and the method says so and why: the teams
    are weighed alike, not by their deals."""
    files = {f"retros/2026-0{m}-growth.md": retro(
        f"2026-0{m}", '  win-rate: {smb: "10/40", enterprise: "2/10"}\n') for m in (1, 2, 3)}
    files.update({f"retros/2026-0{m}-field.md": retro(
        f"2026-0{m}", "  win-rate: {smb: 0.5, enterprise: 0.5}\n", team="field")
        for m in (1, 2, 3)})
    files["retros/2026-q1-review.md"] = review(
        "2026-Q1", "2026-04-10", "  - {metric: Win rate, goal: 0.3, unit: rate, "
        "indicator: win-rate}\n")
    analysis, _ = build(tmp_path, files)
    value_, method = card(analysis, "2026-q1-review")["Win rate"]
    assert value_ == pytest.approx(0.37)
    assert method == ("plain mean of the months (not pooled: counts not given for each); each "
                      "month, the teams' plain mean (no counts from Field)")


def test_a_stated_rate_a_decimal_off_its_inputs_shows_the_decimal_that_differs(
        tmp_path: Path) -> None:
    """Web: 10 SQLs of 40 MQLs is 25% exactly; the record states 0.2504 (four decimals: good to
    ±0.00005, so it disagrees). Both read 25.0% at the usual one decimal, so the warning and
    the record's page show one more: 25.04% against 25.00%."""
    _, warnings = build(tmp_path, {
        "retros/2026-01-growth.md": retro("2026-01", "  mqls: {web: 40, events: 20}\n"
                                          "  sqls: {web: 10, events: 5}\n"
                                          "  conversion: {web: 0.2504}\n"),
    })
    assert warnings == ["retros/2026-01-growth.md:11  indicators.conversion.web  states "
                        "25.04% but sqls / mqls gives 25.00% (10 ÷ 40)"]
    page = (tmp_path / "out" / "records" / "2026-01-growth.md").read_text()
    assert "| MQL→SQL | web | 25.04% · **SQLs ÷ MQLs gives 25.00%** |" in table_rows(page)


def test_the_readings_export_carries_no_binary_fraction_noise(tmp_path: Path) -> None:
    """Conversion written as decimals, 0.22 in January and 0.21 in February: February is
    0.01 under January (in binary floating point 0.21 − 0.22 is −0.010000000000000009). Deal
    size 100, 200, 200, then 300 in April: the mean of the three before is 500 / 3."""
    import csv
    import io

    build(tmp_path, {
        "retros/2026-01-growth.md": retro("2026-01", "  deal-size: 100\n"
                                          "  conversion: {web: 0.22}\n"),
        "retros/2026-02-growth.md": retro("2026-02", "  deal-size: 200\n"
                                          "  conversion: {web: 0.21}\n"),
        **{f"retros/2026-0{m}-growth.md": retro(f"2026-0{m}", f"  deal-size: {v}\n")
           for m, v in ((3, 200), (4, 300))},
    })
    rows = list(csv.DictReader(io.StringIO(
        (tmp_path / "out" / "data" / "readings.csv").read_text())))
    february = next(r for r in rows if r["period"] == "2026-02" and r["indicator"] ==
                    "conversion" and r["segment"] == "web")
    assert (february["value"], february["prior"], february["vs_prior"]) == ("0.21", "0.22", "-0.01")
    april = next(r for r in rows if r["period"] == "2026-04" and r["indicator"] == "deal-size")
    assert (april["trailing_mean"], april["vs_trailing"]) == ("166.666666667", "133.333333333")


def test_readings_export_shows_no_binary_noise_for_an_unchanged_rate(tmp_path: Path) -> None:
    """January's conversion is the plain mean of 15 % and 30 % (22.5 %, which binary floats
    make 0.22499999999999998), February's of 22.5 % twice: no change, written 0, not
    2.77555756156e-17."""
    import csv
    import io

    build(tmp_path, {
        "retros/2026-01-growth.md": retro("2026-01", "  conversion: {web: 0.15, events: 0.3}\n"),
        "retros/2026-02-growth.md": retro("2026-02", "  conversion: {web: 0.225, events: 0.225}\n"),
    })
    rows = list(csv.DictReader(io.StringIO(
        (tmp_path / "out" / "data" / "readings.csv").read_text())))
    february = next(r for r in rows if r["period"] == "2026-02" and r["segment"] == "all")
    assert (february["value"], february["prior"], february["vs_prior"]) == ("0.225", "0.225", "0")


def test_a_lower_is_better_goal_brought_to_zero_is_met(tmp_path: Path) -> None:
    """Churned logos: at most 5, actual 0 (lower is better): met, though goal ÷ actual has no
    value. Refund rate: at most 5 %, actual 2 %: 5 ÷ 2 = 250 %, met. New logos: goal 20,
    actual 18: 90 %, missed. Two of three met; the page, the chart and its caption agree."""
    build(tmp_path, {
        "retros/2026-q1-review.md": review("2026-Q1", "2026-04-10", (
            "  - {metric: Churned logos, goal: 5, actual: 0, unit: count, better: down}\n"
            "  - {metric: Refund rate, goal: 0.05, actual: 0.02, unit: rate, better: down}\n"
            "  - {metric: New logos, goal: 20, actual: 18, unit: count}\n")),
    })
    page = (tmp_path / "out" / "records" / "2026-q1-review.md").read_text()
    assert "| Churned logos | 5 | 0 | met at 0 |" in _rows(page), page
    assert "| Refund rate | 5.0% | 2.0% | 250% |" in _rows(page), page
    caption = ("Two of three goals of 2026-Q1 met; furthest short: New logos at 90% of its "
               "goal.")
    assert caption in page, page
    svg = (tmp_path / "out" / "charts" / "attainment-2026-q1-review.svg").read_text()
    assert "met at 0" in svg and "Churned logos met at 0, Refund rate 250%, New logos 90%" in page


def test_a_company_level_holds_each_team_s_last_reading(tmp_path: Path) -> None:
    """Open opportunities is a level (`quarterly: last`). Growth reports 18, 21, 24 in April
    to June; Field 9 and 14 in April and May, and no June retro. The company's level at the
    end of the quarter is Growth's 24 and Field's 14: 38 (95 % of a goal of 40), not June's
    total of Growth alone, 24 (60 %)."""
    analysis, _ = build(tmp_path, {
        **{f"retros/2026-0{m}-growth.md": retro(f"2026-0{m}", f"  open-opps: {v}\n")
           for m, v in ((4, 18), (5, 21), (6, 24))},
        **{f"retros/2026-0{m}-field.md": retro(f"2026-0{m}", f"  open-opps: {v}\n", "field")
           for m, v in ((4, 9), (5, 14))},
        "retros/2026-q2-review.md": review("2026-Q2", "2026-07-10", (
            "  - {metric: Open, goal: 40, unit: count, indicator: open-opps}\n")),
    })
    assert card(analysis, "2026-q2-review")["Open"] == (
        38, "sum of each team's last reading in the quarter (Field: May 2026)")
    page = (tmp_path / "out" / "records" / "2026-q2-review.md").read_text()
    assert "| [Open](" in _rows(page) and "| 40 | 38 *(computed)* | 95% |" in _rows(page), page


def test_a_typed_actual_the_quarter_disagrees_with_says_which_is_higher(tmp_path: Path) -> None:
    """Deal size 10,000, 12,000, 14,000: the quarter's mean is 12,000; typed 13,000. The row
    said "differs by -$1,000: typed $13,000, computed $12,000", the sign beside "typed" first;
    it says the computed figure is $1,000 below the typed one."""
    build(tmp_path, {
        **{f"retros/2026-0{m}-growth.md": retro(f"2026-0{m}", f"  deal-size: {v}\n")
           for m, v in ((1, 10000), (2, 12000), (3, 14000))},
        "retros/2026-q1-review.md": review("2026-Q1", "2026-04-10", (
            "  - {metric: Deal size, goal: 12500, actual: 13000, unit: usd, "
            "indicator: deal-size}\n")),
    })
    page = (tmp_path / "out" / "records" / "2026-q1-review.md").read_text()
    assert "**differs**: computed $12,000, $1,000 below the typed $13,000 |" in _rows(page), page


def test_money_a_few_cents_apart_reads_apart(tmp_path: Path) -> None:
    """Deal size: readings $40, $40 and $40 against a typed $40.40: "differs by ±$0" beside two
    different figures; it says $0.40. Readings $40, $40 and $40.01 (mean $40.0033) against a
    goal of $40.004, no actual typed: missed at 99.998 %, yet "$40 | $40" read as met; to the
    cent they read alike, and 99.998 % says it is missed."""
    build(tmp_path, {
        **{f"retros/2026-0{m}-growth.md": retro(f"2026-0{m}", "  deal-size: 40\n")
           for m in (1, 2, 3)},
        **{f"retros/2026-0{m}-field.md": retro(f"2026-0{m}", f"  deal-size: {v}\n", "field")
           for m, v in ((4, 40), (5, 40), (6, 40.01))},
        "retros/2026-q1-review.md": review("2026-Q1", "2026-04-10", (
            "  - {metric: Deal size, goal: 40, actual: 40.4, unit: usd, indicator: deal-size}\n")),
        "retros/2026-q2-review.md": review("2026-Q2", "2026-07-10", (
            "  - {metric: Deal size, goal: 40.004, unit: usd, indicator: deal-size}\n")),
    })
    q1 = (tmp_path / "out" / "records" / "2026-q1-review.md").read_text()
    assert "**differs**: computed $40, $0.40 below the typed $40.40 |" in _rows(q1), q1
    q2 = (tmp_path / "out" / "records" / "2026-q2-review.md").read_text()
    # Money stops at the cent: a tenth of a cent apart, the two read alike and the
    # attainment says which way it goes.
    assert "| $40.00 | $40.00 *(computed)* | 99.998% |" in _rows(q2), q2


def test_a_quarter_says_which_month_left_a_segment_out(tmp_path: Path) -> None:
    """Growth's MQLs: web 100 + events 50 in January, 110 + 60 in February, web 120 alone in
    March: the quarter is 440, and its method says March is without events (a total short
    of its goal read as the team's whole quarter)."""
    analysis, _ = build(tmp_path, {
        "retros/2026-01-growth.md": retro("2026-01", "  mqls: {web: 100, events: 50}\n"),
        "retros/2026-02-growth.md": retro("2026-02", "  mqls: {web: 110, events: 60}\n"),
        "retros/2026-03-growth.md": retro("2026-03", "  mqls: {web: 120}\n"),
        "retros/2026-q1-review.md": review("2026-Q1", "2026-04-10", (
            "  - {metric: MQLs, goal: 450, unit: count, indicator: mqls}\n")),
    })
    value, method = card(analysis, "2026-q1-review")["MQLs"]
    assert value == 440 and method.endswith("; March 2026 without events"), method


def test_a_level_says_a_segment_left_out_only_of_the_month_it_is_taken_from(
        tmp_path: Path) -> None:
    """Open opportunities by segment, a level (`quarterly: last`). Company-wide: Growth's
    March gives smb alone (14), after smb and ent in January and February; Field's last is
    February's 8 + 4. The quarter is 14 + 12 = 26, and says Growth's March is without ent
    (it said nothing across teams). Field alone: January without ent, March with both (9 +
    3): its quarter is March's 12, which lacks nothing, so nothing is said of January."""
    taxonomy = TAXONOMY.read_text().replace(
        "  - id: open-opps\n    label: Open opportunities\n    unit: count\n    better: up\n",
        "  - id: open-opps\n    label: Open opportunities\n    unit: count\n    better: up\n"
        "    segment_by: segment\n    segments: [smb, ent]\n", 1)
    assert "segments: [smb, ent]" in taxonomy
    analysis, _ = build(tmp_path, {
        "taxonomy.yml": taxonomy,
        "retros/2026-01-growth.md": retro("2026-01", "  open-opps: {smb: 10, ent: 5}\n"),
        "retros/2026-02-growth.md": retro("2026-02", "  open-opps: {smb: 12, ent: 6}\n"),
        "retros/2026-03-growth.md": retro("2026-03", "  open-opps: {smb: 14}\n"),
        "retros/2026-01-field.md": retro("2026-01", "  open-opps: {smb: 7, ent: 3}\n", "field"),
        "retros/2026-02-field.md": retro("2026-02", "  open-opps: {smb: 8, ent: 4}\n", "field"),
        "retros/2026-04-field.md": retro("2026-04", "  open-opps: {smb: 5}\n", "field"),
        "retros/2026-06-field.md": retro("2026-06", "  open-opps: {smb: 9, ent: 3}\n", "field"),
        "retros/2026-q1-review.md": review("2026-Q1", "2026-04-10", (
            "  - {metric: Open, goal: 30, unit: count, indicator: open-opps}\n")),
        "retros/2026-q2-review.md": review("2026-Q2", "2026-07-10", (
            "  - {metric: Open, goal: 30, unit: count, indicator: open-opps}\n")),
    })
    value, method = card(analysis, "2026-q1-review")["Open"]
    assert value == 26 and method.endswith("; Growth: March 2026 without ent"), method
    value, method = card(analysis, "2026-q2-review")["Open"]
    assert value == 12 and "without" not in method, method


def test_goals_below_zero_are_judged_by_comparing_and_the_reviews_list_agrees(
        tmp_path: Path) -> None:
    """A ratio says nothing below zero: a net expansion of -3,000 against a goal of -5,000
    (higher is better) beats it, yet -3,000 / -5,000 = 60 % read as missed; a net burn of
    -6,000 against -5,000 (lower is better) was "83 %", missed, though it is met; a loss of
    500 against -1,000 read "-50 %". By hand: Net expansion met, Net burn met, Loss to
    competitor met, Net margin (-3,500 against -2,000, higher is better) not met, Cost per
    lead (40.40 against at most 40: 40 / 40.4 = 99 %) not met: three of five. Deal size is
    computed from April and May only: not judged. The reviews list counted every row with a
    ratio of 1 or more, the unjudged one too, beside a page that judged fewer: it says 3 of
    5, and that one is not judged."""
    build(tmp_path, {
        "retros/2026-04-growth.md": retro("2026-04", "  deal-size: 10000\n"),
        "retros/2026-05-growth.md": retro("2026-05", "  deal-size: 13000\n"),
        "retros/2026-q2-review.md": review("2026-Q2", "2026-07-10", (
            "  - {metric: Net expansion, goal: -5000, actual: -3000, unit: usd}\n"
            "  - {metric: Net burn, goal: -5000, actual: -6000, unit: usd, better: down}\n"
            "  - {metric: Loss to competitor, goal: -1000, actual: 500, unit: usd}\n"
            "  - {metric: Net margin, goal: -2000, actual: -3500, unit: usd}\n"
            "  - {metric: Cost per lead, goal: 40, actual: 40.4, unit: usd, better: down}\n"
            "  - {metric: Deal size, goal: 12000, unit: usd, indicator: deal-size}\n")),
    })
    page = (tmp_path / "out" / "records" / "2026-q2-review.md").read_text()
    # Below zero with a true minus, as every change on the site is written (−$4,100): the
    # scorecard wrote "-$5,000" with a hyphen.
    for row in ("| Net expansion | −$5,000 | −$3,000 | met |", "| Net burn | −$5,000 | −$6,000 | met |",
                "| Loss to competitor | −$1,000 | $500 | met |",
                "| Net margin | −$2,000 | −$3,500 | not met |",
                # 40 / 40.4 = 99 %: missed, and the cents say why ("$40" twice read as met).
                "| Cost per lead | $40 | $40.40 | 99% |"):
        assert row in _rows(page), (row, page)
    caption = ("Three of five goals of 2026-Q2 that can be judged met; furthest short: Cost per "
               "lead at 99% of its goal; not judged yet: Deal size (from 2 of 3 months).")
    assert caption in page, page
    assert ("3 met or beat their goal. By goal: Net expansion met, Net burn met, Loss to "
            "competitor met, Net margin not met, Cost per lead 99%, Deal size 96% (from 2 of 3 "
            "months, not judged).") in page, page
    reviews = (tmp_path / "out" / "reviews" / "index.md").read_text()
    assert "[3 of 5 (1 not judged)](" in _rows(reviews), reviews
    svg = (tmp_path / "out" / "charts" / "attainment-2026-q2-review.svg").read_text()
    assert "not met" in svg


def test_a_figure_below_zero_against_a_goal_above_it_is_the_furthest_short(
        tmp_path: Path) -> None:
    """Net new ARR: -200,000 against a goal of 500,000 (higher is better) is -40 % of it, the
    furthest short; Win rate 29.9 % against 30 % is 99.7 %. The row showed "not met" with no
    ratio, and the sentence named the near miss as furthest short."""
    build(tmp_path, {
        "retros/2026-q1-review.md": review("2026-Q1", "2026-04-10", (
            "  - {metric: Net new ARR, goal: 500000, actual: -200000, unit: usd}\n"
            "  - {metric: Win rate, goal: 0.3, actual: 0.299, unit: rate}\n"
            "  - {metric: Pipeline, goal: 100, actual: 120, unit: count}\n")),
    })
    page = (tmp_path / "out" / "records" / "2026-q1-review.md").read_text()
    assert "| Net new ARR | $500,000 | −$200,000 | −40% |" in _rows(page), page
    assert ("One of three goals of 2026-Q1 met; furthest short: Net new ARR at −40% of its "
            "goal.") in page, page
    # The chart draws the bar left of 0, and writes 99.7 % as the table does, not "100%".
    svg = (tmp_path / "out" / "charts" / "attainment-2026-q1-review.svg").read_text()
    assert "−40%" in svg and "99.7%" in svg and ">100%<" not in svg
    # No figure anywhere is written with a hyphen for its minus.
    for path in (tmp_path / "out").rglob("*.md"):
        assert not re.search(r"-\$|\$-|[\s>|(]-\d", path.read_text()), path


def test_a_goal_of_zero_for_more_is_met_and_rows_with_no_figure_are_named(
        tmp_path: Path) -> None:
    """Escalations handled: goal 0, actual 5 (higher is better): anything not below 0 meets
    it, though actual ÷ goal has no value; the page showed "–" and left it out of the chart.
    New logos and Win rate have no actual and no readings to compute one from: the caption said
    "The goal of 2026-Q3 was met" of a quarter with three goals. One goal of one judged, met;
    the other two named as not judged; the chart's text says "1 goal", not "1 goals"."""
    build(tmp_path, {
        "retros/2026-q3-review.md": review("2026-Q3", "2026-07-10", (
            "  - {metric: Escalations handled, goal: 0, actual: 5, unit: count}\n"
            "  - {metric: New logos, goal: 20, unit: count, indicator: won}\n"
            "  - {metric: Win rate, goal: 0.3, unit: rate, indicator: win-rate}\n")),
    })
    page = (tmp_path / "out" / "records" / "2026-q3-review.md").read_text()
    assert "| Escalations handled | 0 | 5 | met its goal of 0 |" in _rows(page), page
    caption = ("The goal of 2026-Q3 (the one that can be judged) was met: Escalations handled "
               "(goal 0); not judged yet: New logos (no figure), Win rate (no figure).")
    assert caption in page, page
    assert "attainment for 1 goal of 2026-Q3; 1 met or beat their goal. By goal: Escalations " \
           "handled met its goal of 0." in page, page
    svg = (tmp_path / "out" / "charts" / "attainment-2026-q3-review.svg").read_text()
    assert "met its goal of 0" in svg


def test_segments_changed_for_good_keep_the_overall_line_broken_at_the_change(
        tmp_path: Path) -> None:
    """Growth gives MQLs from web and events (100 + 50 = 150) from October 2025 to February
    2026, then from March adds partners (30, 40, 50, 60: 180 to 210) for good. The overall
    line kept only the usual set (five months to four): it ended in February, and every month
    since was missing from the chart, its sentence and "did it work". Now both stretches are
    on the line, broken at March (180 against 150 is other segments, not a rise, and the
    chart's sentence tells the three months since). An action done in February (January's
    retro reports it done, held on 3 February) is judged within its stretch: no month after
    February combines the same segments, so it is not measurable, saying why (it was "too
    early to tell"). One month that left a segment out (January's web alone, 100) stays off
    the line."""
    old, new = "  mqls: {web: 100, events: 50}\n", "  mqls: {{web: 100, events: 50, partners: {}}}\n"
    done = ("actions:\n  - {id: G-1, title: Nurture the event leads, owner: Kim, "
            "due: 2026-03-01, status: done, indicator: mqls}\n")
    months = {"2025-10": old, "2025-11": old, "2025-12": old, "2026-01": "  mqls: {web: 100}\n",
              "2026-02": old, "2026-03": new.format(30), "2026-04": new.format(40),
              "2026-05": new.format(50), "2026-06": new.format(60)}
    files = {f"retros/{month}-growth.md": retro(month, text, extra=done if month == "2026-01"
                                                   else "") for month, text in months.items()}
    # January leaves events out: its own one-month set, off the line.
    analysis, _ = build(tmp_path, files)
    from generator.analysis.diditwork import did_it_work
    from generator.analysis.effectiveness import series_index
    from generator.site.figures import _indicator_lines

    changed: dict[tuple[str, str], list[str]] = {}
    overall = series_index(analysis.readings, None, changed)[("mqls", "growth", "all")]
    assert overall == [("2025-10", 150.0), ("2025-11", 150.0), ("2025-12", 150.0),
                       ("2026-02", 150.0), ("2026-03", 180.0), ("2026-04", 190.0),
                       ("2026-05", 200.0), ("2026-06", 210.0)]
    assert changed == {("mqls", "growth"): ["2026-03"]}
    months_shown, lines, breaks = _indicator_lines(analysis.trend)[("mqls", "growth")]
    assert months_shown[-1] == "2026-06" and breaks == ["2026-03"]
    assert lines["all"].values[months_shown.index("2026-06")] == 210.0
    assert lines["all"].values[months_shown.index("2026-01")] is None
    root = tmp_path / "kb"
    result = check(root, dt.date.fromisoformat(AS_OF))
    assert result.kb is not None
    links = link(result.kb)
    effect = did_it_work(result.kb, links, analyze(result.kb, links.actions)).effects.of("G-1")
    assert effect is not None
    assert (effect.effect.verdict.value, effect.effect.why) == (
        "not measurable", "0 of 3 readings after, and from 2026-03 its overall combines other "
        "segments")
    # The sentence tells the months since the change (150 → 180 is other segments, not a
    # rise), and the text alternative says where the line breaks.
    page = (tmp_path / "out" / "indicators" / "mqls.md").read_text()
    assert "MQLs for Growth rose three months running to June 2026, 180 → 210 — better." \
        in page, page
    assert "broken where the segments it combines changed (March 2026)" in page


def test_a_move_against_a_month_further_back_names_it_on_the_home_and_indicators_pages(
        tmp_path: Path) -> None:
    """Deal size, higher is better: 200, 210 and 220 from January to March; April skipped;
    May 150. May is compared with March (−70) and the mean of February and March (215;
    −65): the wrong way. The home page and the indicators index said "vs prior −$70" as if
    April had been 220; they name March, as the indicator's own page does."""
    analysis, _ = build(tmp_path, {
        f"retros/2026-{m}-growth.md": retro(f"2026-{m}", f"  deal-size: {v}\n")
        for m, v in (("01", 200), ("02", 210), ("03", 220), ("05", 150))})
    may = value(Analysis(analysis.trend, analysis.trend, None), "deal-size", "2026-05")
    assert (may["prior"], may["prior_period"], may["trailing_mean"], may["verdict"]) == (
        220, "2026-03", 215, "wrong way")
    home = (tmp_path / "out" / "index.md").read_text()
    (row,) = _movers(home)
    assert row[4] == "−$70 vs March 2026", row
    index = (tmp_path / "out" / "indicators" / "index.md").read_text()
    assert "−$70</a> <span class=\"hs-note\">vs March 2026</span>" in index
    assert "(vs March 2026)" in index  # the wrong-way table, in Markdown


def test_an_agreeing_figure_is_shown_with_the_decimals_of_the_typed_one(tmp_path: Path) -> None:
    """A win-rate goal of 33.50 % and a typed 33.52 %, shown with two decimals to tell them
    apart. The quarter pools (18 + 3 + 20 + 1 + 17 + 2) / (52 + 10 + 50 + 10 + 50 + 10) =
    61/182 = 33.5165 %: it agrees with the typed figure, and is shown "33.52%", not "33.5%"
    (which read as the goal's 33.50 %, a goal met by the records' own figure)."""
    build(tmp_path, {
        "retros/2026-01-growth.md": retro("2026-01", '  win-rate: {smb: "18/52", enterprise: "3/10"}\n'),
        "retros/2026-02-growth.md": retro("2026-02", '  win-rate: {smb: "20/50", enterprise: "1/10"}\n'),
        "retros/2026-03-growth.md": retro("2026-03", '  win-rate: {smb: "17/50", enterprise: "2/10"}\n'),
        "retros/2026-q1-review.md": review("2026-Q1", "2026-04-10",
                                           "  - {metric: Win rate, goal: 0.335, actual: 0.3352, "
                                           "unit: rate, indicator: win-rate}\n"),
    })
    page = (tmp_path / "out" / "records" / "2026-q1-review.md").read_text()
    row = next(row for row in table_rows(page) if row.startswith("| [Win rate]"))
    assert "| 33.50% | 33.52% |" in row and row.endswith("| agrees (33.52%) |"), row


def test_a_goal_is_judged_on_the_computed_figure_its_typed_actual_rounds(
        tmp_path: Path) -> None:
    """Q1, Growth. New ARR = 4 × $12,000 + 2 × $15,000 + 1 × $8,760 = $86,760, typed $87,000
    (it agrees to rounding) against a goal of $87,000: judged on $86,760, 86,760 / 87,000 =
    99.7 %, missed (the typed figure read 100 %, met). Sales cycle: 46, 47 and 48 days, a
    mean of 47, typed 44 against at most 45: the typed figure meets the goal, the records do
    not. Win rate: 26, 27 and 28 %, a mean of 27 %, typed 24 % against 25 %: the records meet
    it, the typed figure does not. Neither is judged. Deal size: a mean of $11,920, typed
    $12,500 (differs) against $11,000: both meet it, judged on the typed figure, 114 %.
    Demos: 12 against 10, 120 %. Two of three judged goals met, two not judged; before, four
    of five were met."""
    root = make_kb(tmp_path / "kb", {
        "retros/2026-01-growth.md": retro("2026-01", (
            "  won: {smb: 3, enterprise: 1}\n  deal-size: 12000\n"
            "  cycle: {t1: 46, t2: 46}\n  win-rate: {smb: 0.26, enterprise: 0.26}\n")),
        "retros/2026-02-growth.md": retro("2026-02", (
            "  won: {smb: 2, enterprise: 0}\n  deal-size: 15000\n"
            "  cycle: {t1: 47, t2: 47}\n  win-rate: {smb: 0.27, enterprise: 0.27}\n")),
        "retros/2026-03-growth.md": retro("2026-03", (
            "  won: {smb: 1, enterprise: 0}\n  deal-size: 8760\n"
            "  cycle: {t1: 48, t2: 48}\n  win-rate: {smb: 0.28, enterprise: 0.28}\n")),
        "retros/2026-q1-review.md": review("2026-Q1", "2026-04-10", (
            "  - {metric: New ARR, goal: 87000, actual: 87000, unit: usd, measure: new-arr}\n"
            "  - {metric: Sales cycle, goal: 45, actual: 44, unit: days, better: down, "
            "indicator: cycle}\n"
            "  - {metric: Win rate, goal: 0.25, actual: 0.24, unit: rate, indicator: win-rate}\n"
            "  - {metric: Deal size, goal: 11000, actual: 12500, unit: usd, "
            "indicator: deal-size}\n"
            "  - {metric: Demos, goal: 10, actual: 12, unit: count}\n")),
    }, TAXONOMY)
    out = tmp_path / "out"
    generated = run_cli("generate", "--out", str(out), "--root", str(root), "--as-of", AS_OF)
    assert generated.exit_code == 0, generated.output
    page = (out / "records" / "2026-q1-review.md").read_text()
    for row in ("| New ARR | $87,000 | $87,000 | 99.7% | agrees ($86,760) |",
                "| 45 days | 44 days | not judged: typed meets the goal, the records do not | "
                "**differs**: computed 47 days, 3 days above the typed 44 days |",
                "| 25.0% | 24.0% | not judged: the records meet the goal, typed does not | "
                "**differs**: computed 27.0%, 3.0 pp above the typed 24.0% |",
                "| $11,000 | $12,500 | 114% | **differs**: computed $11,920, $580 below the "
                "typed $12,500 |",
                "| Demos | 10 | 12 | 120% | – |"):
        assert row in _rows(page), (row, page)
    caption = ("Two of three goals of 2026-Q1 that can be judged met; furthest short: New ARR "
               "at 99.7% of its goal; not judged yet: Sales cycle (typed meets the goal, the "
               "records do not), Win rate (the records meet the goal, typed does not).")
    assert caption in page, page
    # The chart draws the three it judges, New ARR at the computed figure's 99.7 %.
    assert ("2 met or beat their goal. By goal: New ARR 99.7%, Deal size 114%, Demos 120%."
            in page), page
    reviews = (out / "reviews" / "index.md").read_text()
    assert "[2 of 3 (2 not judged)](" in _rows(reviews), reviews
    # validate says where, both figures, and what to check; the rows agreeing or on one side
    # of their goal are not warned about.
    checked = run_cli("validate", "--root", str(root), "--as-of", AS_OF)
    said = [line for line in checked.output.splitlines() if "scorecard" in line]
    hint = ("check the typed actual against the records the figure comes from, "
            "2026-01-growth, 2026-02-growth and 2026-03-growth; correct whichever is wrong, "
            "or leave actual out to take the records' figure")
    assert said == [
        "retros/2026-q1-review.md:8:45  scorecard[1].actual  warning: typed 44 days meets the "
        "goal of 45 days; the quarter's records give 47 days, which does not: the goal is "
        f"judged neither met nor missed ({hint})",
        "retros/2026-q1-review.md:9:44  scorecard[2].actual  warning: typed 24.0% misses the "
        "goal of 25.0%; the quarter's records give 27.0%, which meets it: the goal is judged "
        f"neither met nor missed ({hint})"], checked.output
    assert checked.exit_code == 0, checked.output
    strict = run_cli("validate", "--strict", "--root", str(root), "--as-of", AS_OF)
    assert strict.exit_code == 1, strict.output
    # A build that validated by itself (the MkDocs plugin alone) has them too.
    built = build_site(root, dt.date.fromisoformat(AS_OF))
    assert [(p.line, p.field) for p in built.result.problems.warnings] == [
        (8, "scorecard[1].actual"), (9, "scorecard[2].actual")]


def test_validating_a_retro_a_scorecard_figure_comes_from_gives_the_reviews_warning(
        tmp_path: Path) -> None:
    """Q1, Growth, quarterly reviews kept in a year folder: sales cycle 46, 47 and 48 days, a
    mean of 47, typed 44 against at most 45. `validate retros/2026-02-growth.md`, the retro
    whose figure a person corrects, said "0 errors, 0 warnings" where the whole check warned
    at the review; it gives the review's warning, and fails with --strict. A retro of
    another quarter, or another team's, is no source of it."""
    root = make_kb(tmp_path / "kb", {
        "retros/2026-01-growth.md": retro("2026-01", "  cycle: {t1: 46, t2: 46}\n"),
        "retros/2026-02-growth.md": retro("2026-02", "  cycle: {t1: 47, t2: 47}\n"),
        "retros/2026-03-growth.md": retro("2026-03", "  cycle: {t1: 48, t2: 48}\n"),
        "retros/2026-04-growth.md": retro("2026-04", "  cycle: {t1: 60, t2: 60}\n"),
        "retros/2026/2026-q1-review.md": review("2026-Q1", "2026-04-10", (
            "  - {metric: Sales cycle, goal: 45, actual: 44, unit: days, better: down, "
            "indicator: cycle}\n")),
    }, TAXONOMY)
    warning = ("retros/2026/2026-q1-review.md:7:45  scorecard[0].actual  warning: typed 44 "
               "days meets the goal of 45 days; the quarter's records give 47 days, which does "
               "not: the goal is judged neither met nor missed (check the typed actual against "
               "the records the figure comes from, 2026-01-growth, 2026-02-growth and "
               "2026-03-growth; correct whichever is wrong, or leave actual out to take the "
               "records' figure)")
    whole = run_cli("validate", "--root", str(root), "--as-of", AS_OF)
    assert warning in whole.output.splitlines(), whole.output
    for named in ("retros/2026-02-growth.md", "retros/2026/2026-q1-review.md"):
        one = run_cli("validate", "--root", str(root), "--as-of", AS_OF, str(root / named))
        assert one.exit_code == 0, one.output
        assert [line for line in one.output.splitlines() if "scorecard" in line] == [warning], (
            named, one.output)
        assert "0 errors, 1 warning;" in one.output, one.output
        strict = run_cli("validate", "--strict", "--root", str(root), "--as-of", AS_OF,
                         str(root / named))
        assert strict.exit_code == 1, strict.output
    as_json = run_cli("validate", "--format", "json", "--root", str(root), "--as-of", AS_OF,
                      str(root / "retros" / "2026-03-growth.md"))
    found = json.loads(as_json.output)
    assert [p["path"] for p in found["problems"]] == ["retros/2026/2026-q1-review.md"], found
    other = run_cli("validate", "--root", str(root), "--as-of", AS_OF,
                    str(root / "retros" / "2026-04-growth.md"))
    assert "scorecard" not in other.output and "0 errors, 0 warnings;" in other.output, (
        other.output)


def test_the_sample_s_quarter_is_judged_on_its_records_where_the_typed_figure_rounds(
        tmp_path: Path) -> None:
    """The sample's 2026-Q3 review typed as a VP of Sales found it: New ARR $2,000,000 against
    $2,000,000 (the months give $1,970,200: 1,970,200 / 2,000,000 = 98.5 %, shown 99 %),
    Win rate 32 % against 32 % (137 / 433 = 31.64 %: 98.9 %, 99 %), the sales cycle 60 days
    against at most 64 (the months give 67.56). The page said seven of ten met; four are
    (NRR, MQL→SQL, Enterprise win rate, follow-through) of the nine it can judge."""
    root = tmp_path / "kb"
    root.mkdir()
    shutil.copy(REPO / "taxonomy.yml", root / "taxonomy.yml")
    for folder in ("retros", "postmortems"):
        shutil.copytree(REPO / folder, root / folder)
    path = root / "retros" / "2026-q3-review.md"
    text = path.read_text(encoding="utf-8")
    for old, new in (("goal: 2200000\n    actual: 1970000", "goal: 2000000\n    actual: 2000000"),
                     ("goal: 0.32\n    actual: 0.3164", "goal: 0.32\n    actual: 0.32"),
                     ("goal: 64\n    actual: 67.6", "goal: 64\n    actual: 60")):
        assert old in text
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    generated = run_cli("generate", "--out", str(out), "--root", str(root),
                        "--as-of", "2026-11-23")
    assert generated.exit_code == 0, generated.output
    page = (out / "records" / "2026-q3-review.md").read_text()
    for row in ("| New ARR | $2,000,000 | $2,000,000 | 99% | agrees ($1,970,200) |",
                "| 32.0% | 32.0% | 99% | agrees (31.6%) |",
                "| 64 days | 60 days | not judged: typed meets the goal, the records do not | "
                "**differs**: computed 67.6 days, 7.6 days above the typed 60 days |"):
        assert row in _rows(page), (row, page)
    assert ("Four of nine goals of 2026-Q3 that can be judged met; furthest short: CAC payback "
            "at 89% of its goal; not judged yet: Average sales cycle (mean of tiers) (typed "
            "meets the goal, the records do not).") in page, page
    reviews = (out / "reviews" / "index.md").read_text()
    assert "[4 of 9 (1 not judged)](" in _rows(reviews), reviews
    checked = run_cli("validate", "--root", str(root), "--as-of", "2026-11-23")
    assert ("retros/2026-q3-review.md:44:13  scorecard[6].actual  warning: typed 60 days meets "
            "the goal of 64 days; the quarter's records give 67.6 days, which does not"
            ) in checked.output, checked.output


def test_a_scorecard_row_missing_its_unit_is_told_its_indicators(tmp_path: Path) -> None:
    # The row names win-rate (a rate in taxonomy-plain.yml) and follow-through (a rate the
    # generator computes): the hint names the unit, not just "add `unit:` with a value".
    root = make_kb(tmp_path / "kb", {
        "retros/2026-q1-review.md": review(
            "2026-Q1", "2026-04-10",
            "  - {metric: Win rate, goal: 0.3, indicator: win-rate}\n"
            "  - {metric: Follow-through, goal: 0.8, measure: action-follow-through}\n"
            "  - {metric: Logos, goal: 12}\n"),
    }, TAXONOMY)
    result = run_cli("validate", "--root", str(root), "--as-of", AS_OF)
    assert result.exit_code == 1
    lines = [" ".join(line.split()[1:]) for line in result.output.splitlines()
             if "is required" in line]
    assert lines == [
        "scorecard[0].unit is required (add `unit: rate`: win-rate is measured in rate)",
        "scorecard[1].unit is required "
        "(add `unit: rate`: action-follow-through is measured in rate)",
        "scorecard[2].unit is required (add `unit:` with a value)",
    ], result.output


def _bar_fills(svg: str) -> list[str]:
    """The attainment chart's bars' colours, top to bottom (matplotlib writes each bar as a
    path of its own, in the order drawn, before the goal line)."""
    bars = svg.split('<g id="patch_2">', 1)[1].split('<g id="line2d_', 1)[0]
    return re.findall(r"fill: (#[0-9a-f]{6})", bars)


def _part_of_q2(tmp_path: Path) -> tuple[Path, Path, str]:
    """Q2, Growth: June's retro gives deals won but no MQLs and no deal size. MQLs: April
    120 + 35 + 5 = 160 and May 140 + 40 + 10 = 190, 350 of a goal of 500 (70 %) from two
    months; deal size: the mean of $10,000 and $14,000, $12,000 of $10,000 (120 %) from two
    months. New ARR from the months with both inputs: 3 × $10,000 + 2 × $14,000 = $58,000
    from April and May, against a typed $90,000 for the quarter, judged on the typed figure:
    90,000 / 75,000 = 120 %, met. Deals won, 3 + 2 + 4 = 9 of 12: 75 %, missed. Generated;
    the knowledge base, the output folder and the review's page."""
    root = make_kb(tmp_path / "kb", {
        "retros/2026-04-growth.md": retro("2026-04", (
            "  mqls: {web: 120, events: 35, partners: 5}\n"
            "  won: {smb: 2, enterprise: 1}\n  deal-size: 10000\n")),
        "retros/2026-05-growth.md": retro("2026-05", (
            "  mqls: {web: 140, events: 40, partners: 10}\n"
            "  won: {smb: 1, enterprise: 1}\n  deal-size: 14000\n")),
        "retros/2026-06-growth.md": retro("2026-06", "  won: {smb: 4, enterprise: 0}\n"),
        "retros/2026-q2-review.md": review("2026-Q2", "2026-07-10", (
            "  - {metric: New ARR, goal: 75000, actual: 90000, unit: usd, measure: new-arr}\n"
            "  - {metric: Leads, goal: 500, unit: count, indicator: mqls}\n"
            "  - {metric: Deal size, goal: 10000, unit: usd, indicator: deal-size}\n"
            "  - {metric: Deals won, goal: 12, unit: count, indicator: won}\n")),
    }, TAXONOMY)
    out = tmp_path / "out"
    generated = run_cli("generate", "--out", str(out), "--root", str(root), "--as-of", AS_OF)
    assert generated.exit_code == 0, generated.output
    return root, out, (out / "records" / "2026-q2-review.md").read_text()


def _scorecard_rows(page: str) -> list[str]:
    """A review page's scorecard rows (its first table), as `table_rows` writes them."""
    return table_rows(page.split("## Scorecard", 1)[1].split("</table>", 1)[0])


def _rows(page: str) -> str:
    """The rows of a page's tables, one a line, as `table_rows` writes them."""
    return "\n".join(table_rows(page))


def test_a_goal_filled_in_from_part_of_the_quarter_is_shown_and_drawn_as_not_judged(
        tmp_path: Path) -> None:
    """MQLs and deal size come from two months of three: neither is judged (the sentence
    said so), yet the table showed 70 % and 120 % as results and the chart drew 70 % as a
    miss, in vermilion. One of the two goals judged is met."""
    _, out, page = _part_of_q2(tmp_path)
    assert _scorecard_rows(page)[1:] == [
        "| [Leads](../../indicators/mqls/) | 500 | 350 *(computed)* | not judged yet (70% so "
        "far) | filled in · **from 2 of 3 months only** |",
        "| [Deal size](../../indicators/deal-size/) | $10,000 | $12,000 *(computed)* | not "
        "judged yet (120% so far) | filled in · **from 2 of 3 months only** |",
        "| [Deals won](../../indicators/won/) | 12 | 9 *(computed)* | 75% | filled in |"], page
    caption = ("One of two goals of 2026-Q2 that can be judged met; furthest short: Deals won "
               "at 75% of its goal; not judged yet: Leads (from 2 of 3 months), Deal size "
               "(from 2 of 3 months).")
    assert f'<figcaption class="hs-takeaway">{caption}</figcaption>' in page, page
    alt = ("Bar chart of attainment for 4 goals of 2026-Q2; 1 met or beat their goal. By goal: "
           "New ARR 120%, Leads 70% (from 2 of 3 months, not judged), Deal size 120% (from 2 "
           "of 3 months, not judged), Deals won 75%.")
    assert f'alt="{alt}"' in page, page
    # The chart: met green, the two not judged grey (4.5:1 on white) under a legend that
    # says so, the miss vermilion; before, each partial bar was coloured as judged.
    svg = (out / "charts" / "attainment-2026-q2-review.svg").read_text()
    met, unjudged, missed = (PALETTE[2].lower(), PALETTE[7].lower(), PALETTE[3].lower())
    assert _bar_fills(svg) == [met, unjudged, unjudged, missed], svg
    assert "not judged yet</text>" in svg, svg
    assert f"<desc>{caption} {alt}</desc>" in svg, svg
    reviews = (out / "reviews" / "index.md").read_text()
    assert "[1 of 2 (2 not judged)](../records/2026-q2-review/#scorecard)" in _rows(reviews)


def test_a_typed_quarter_is_not_compared_with_a_figure_from_part_of_it(tmp_path: Path) -> None:
    """New ARR: $58,000 from April and May (June has no deal size) beside a typed $90,000 for
    the quarter read "differs: computed $58,000, $32,000 below the typed $90,000", as if the
    typed figure were too high. It is judged on the typed figure, as before: 120 %, met."""
    root, out, page = _part_of_q2(tmp_path)
    assert _scorecard_rows(page)[0] == (
        "| New ARR | $75,000 | $90,000 | 120% | **from 2 of 3 months only**: computed $58,000 "
        "for those months, not compared with the typed figure |"), page
    assert ("- **New ARR**: Σ over the months of won × deal-size; 2 of 3 months reported; from "
            "[Growth retro — April 2026](2026-04-growth.md), "
            "[Growth retro — May 2026](2026-05-growth.md).") in page
    svg = (out / "charts" / "attainment-2026-q2-review.svg").read_text()
    assert _bar_fills(svg)[0] == PALETTE[2].lower(), svg  # met
    # Nothing to warn of: the typed figure is not set against two months of it.
    checked = run_cli("validate", "--root", str(root), "--as-of", AS_OF)
    assert "scorecard" not in checked.output and checked.exit_code == 0, checked.output
