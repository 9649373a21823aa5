"""One team's series in plain Python (`generator.analysis.series`), worked out by hand.

Shaped unlike the analysis fixture: one series of a plain number where higher is better
(pipeline velocity, no segments, no counts), then a lower-is-better indicator given only as
an overall value, and a change of exactly the noise threshold.
"""

from __future__ import annotations

import datetime as dt
import math
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import FIXTURES, REPO, make_kb
from generator.analysis.analyze import trends
from generator.analysis.series import Step, judge, nothing_measured, steps, team_rows
from generator.records.taxonomy import Taxonomy
from generator.records.validate import check, load_taxonomy


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    from generator.errors import Problems

    found = load_taxonomy(FIXTURES, Problems())
    assert found is not None
    return found


def test_a_plain_number_series_by_hand(taxonomy: Taxonomy) -> None:
    # pipeline-velocity (usd_per_day, higher is better): 100, 90, 95, 80, 120.
    values = [100.0, 90.0, 95.0, 80.0, 120.0]
    found = steps((("pipeline-velocity", "sales", "all", v, f"2026-{m:02d}")
                   for m, v in enumerate(values, 1)), taxonomy)
    assert [s.prior for s in found] == [None, 100.0, 90.0, 95.0, 80.0]
    # Means of up to three earlier readings, from two on: -, -, 95, 95, 88.33…
    assert [s.trailing_mean for s in found][:4] == [None, None, 95.0, 95.0]
    assert found[4].trailing_mean == pytest.approx(265 / 3)
    # 90: -10 vs 100 (noise 2) worse; one earlier reading is no trend yet → new.
    assert found[1] == Step(100.0, None, -10.0, None, "worse", None, "new", 0.0)
    # 95: +5 vs 90 better, vs mean 95 exactly 0 flat → mixed (better against one only).
    assert (found[2].vs_prior_verdict, found[2].vs_trailing_verdict, found[2].verdict) == \
        ("better", "flat", "mixed")
    # 80: -15 vs 95 worse, -15 vs 95 worse → wrong way, severity -15/95.
    assert found[3].verdict == "wrong way"
    assert found[3].severity == pytest.approx(-15 / 95)
    # 120: +40 vs 80, +31.67 vs 88.33 → improved, severity 31.67/88.33.
    assert found[4].verdict == "improved"
    assert found[4].severity == pytest.approx((120 - 265 / 3) / (265 / 3))
    assert found[0].verdict == "new" and found[0].severity == 0.0


def test_a_change_of_exactly_the_noise_is_not_flat(taxonomy: Taxonomy) -> None:
    # sales-cycle (days, lower is better): 50, 50, 50, 51. Noise is 2 % of 50 = 1 day; a change
    # *smaller* than that is flat, so +1 day is worse against the prior and the mean alike.
    found = steps((("sales-cycle", "sales", "all", v, f"2026-{m:02d}")
                   for m, v in enumerate([50.0, 50.0, 50.0, 51.0], 1)), taxonomy)
    assert [s.verdict for s in found] == ["new", "new", "flat", "wrong way"]
    assert found[3].severity == pytest.approx(-0.02)
    assert judge(0.99, 50.0, rate=False, up=False) == "flat"
    assert judge(0.009, 0.30, rate=True, up=True) == "flat"  # under one percentage point
    assert judge(-0.01, 0.30, rate=True, up=True) == "worse"
    # Rates written as decimals: 6% after 5% is one point, though 0.06 − 0.05 is 0.00999…
    assert judge(0.06 - 0.05, 0.05, rate=True, up=False) == "worse"
    assert judge(0.05 - 0.04, 0.04, rate=True, up=False) == "worse"


def test_series_are_kept_apart_by_team_and_segment(taxonomy: Taxonomy) -> None:
    # Sales 100, 50, 40: 40 is under 50 and under the mean 75 → wrong way. CS 10, 11, 12: 12 is
    # over 11 (by more than 2 % of it) and over the mean 10.5 → improved. The second readings
    # have one earlier reading each, no trend: new.
    rows = [("pipeline-velocity", "sales", "all", 100.0, "2026-01"),
            ("pipeline-velocity", "cs", "all", 10.0, "2026-01"),
            ("pipeline-velocity", "sales", "all", 50.0, "2026-02"),
            ("pipeline-velocity", "cs", "all", 11.0, "2026-02"),
            ("pipeline-velocity", "sales", "all", 40.0, "2026-03"),
            ("pipeline-velocity", "cs", "all", 12.0, "2026-03")]
    found = steps(rows, taxonomy)
    assert [s.prior for s in found] == [None, None, 100.0, 10.0, 50.0, 11.0]
    assert [s.trailing_mean for s in found][4:] == [75.0, 10.5]
    assert [s.verdict for s in found] == ["new", "new", "new", "new", "wrong way", "improved"]


def test_the_trailing_mean_is_of_the_three_months_before_not_of_readings_a_year_old(
        taxonomy: Taxonomy) -> None:
    """A team reports pipeline velocity (higher is better) in January, February and March
    2025 (100, 110, 120), pauses for a year, and is back in March 2026 (90), then April (95),
    May (100) and July (70, June skipped).

    - March 2026: its "3-month mean" was the mean of January to March 2025 (110), and 90 was
      "wrong way" against a year-old trend. No reading in December to February: no mean, new
      (its prior, 120 of March 2025, stays: the page names that month).
    - April: one reading in January to March 2026 (90): still no trend, new.
    - May: February to April hold 90 and 95: mean 92.5; +5 vs 95 (noise 1.9) and +7.5 vs
      92.5: improved.
    - July: April to June hold 95 and 100: mean 97.5; 70 is −30 vs 100 and −27.5 vs 97.5:
      wrong way, severity −27.5 / 97.5."""
    months = ["2025-01", "2025-02", "2025-03", "2026-03", "2026-04", "2026-05", "2026-07"]
    values = [100.0, 110.0, 120.0, 90.0, 95.0, 100.0, 70.0]
    rows = [("pipeline-velocity", "sales", "all", v, m) for v, m in zip(values, months,
                                                                         strict=True)]
    found = steps(rows, taxonomy)
    assert [s.trailing_mean for s in found] == [None, None, 105.0, None, None, 92.5, 97.5]
    assert [s.prior for s in found][3] == 120.0
    assert [s.verdict for s in found] == ["new", "new", "improved", "new", "new", "improved",
                                          "wrong way"]
    assert found[6].severity == pytest.approx(-27.5 / 97.5)
    # The whole-column path gives the same figures.
    frame = pd.DataFrame({"period": months, "team": "sales", "indicator": "pipeline-velocity",
                          "segment": "all", "value": values, "parts": "", "method": ""})
    table = trends(frame, taxonomy)
    assert repr(table["trailing_mean"].tolist()) == repr(
        [math.nan if s.trailing_mean is None else s.trailing_mean for s in found])
    assert table["verdict"].tolist() == [s.verdict for s in found]


_RETRO = ("---\ntype: retro\nperiod: {period}\nteam: sales\nheld: {held}\nfacilitator: A\n"
          "format: five-whys\nindicators:\n  win-rate: {{smb: \"{smb}\", enterprise: \"{ent}\"}}\n"
          "---\n")


def test_a_team_s_rows_are_the_site_s_table(tmp_path: Path) -> None:
    # win-rate is segmented: each month's overall row is pooled from the counts:
    # Jan (10+2)/(40+10) = 0.24, Feb (12+3)/(40+10) = 0.30, Mar (6+1)/(40+10) = 0.14,
    # Apr (14+4)/(40+10) = 0.36. February has one earlier month, no trend: new. March is
    # under 0.30 and under the mean 0.27: wrong way. April is over 0.14 and over the mean
    # 0.2267: improved.
    months = {"2026-01": ("10/40", "2/10"), "2026-02": ("12/40", "3/10"),
              "2026-03": ("6/40", "1/10"), "2026-04": ("14/40", "4/10")}
    root = make_kb(tmp_path / "kb", {
        f"retros/{period}-sales.md": _RETRO.format(period=period, held=f"{period}-28",
                                                   smb=smb, ent=ent)
        for period, (smb, ent) in months.items()})
    result = check(root, dt.date(2026, 6, 1), cache=False)
    assert result.kb is not None and not result.problems.errors
    kb = result.kb
    rows = team_rows(((e.record.period, "sales", e.id, e.readings) for e in kb.retros),  # type: ignore[attr-defined]
                     kb.taxonomy, nothing_measured(kb.retros, kb.taxonomy))
    overall = [(row["period"], row["value"], step.verdict) for row, step in rows
               if row["segment"] == "all"]
    assert [(p, round(float(v), 4), verdict) for p, v, verdict in overall] == [  # type: ignore[arg-type]
        ("2026-01", 0.24, "new"), ("2026-02", 0.30, "new"), ("2026-03", 0.14, "wrong way"),
        ("2026-04", 0.36, "improved")]
    from generator.analysis.analyze import readings_frame, trends

    table = trends(readings_frame(kb), kb.taxonomy)
    mine = [(row["period"], row["segment"], step.verdict, step.severity) for row, step in rows]
    theirs = list(zip(table["period"], table["segment"], table["verdict"], table["severity"],
                      strict=True))
    assert mine == theirs


def test_a_team_s_rows_compare_segments_with_nothing_to_measure_as_the_site_s_table(
        tmp_path: Path) -> None:
    """Segments written with no value (nothing to measure that month), in every place a
    month can stand: a pooled win rate whose enterprise is empty after months that gave it and
    before months that leave it out, a total of MQLs whose first month had no events, an MQL→SQL
    rate computed from counts written empty, and a sales cycle (a mean of tiers: another
    figure without the tier, compared as the tiers with a value say). The plain rows recall
    reads are the site's trend table, verdict for verdict."""
    from test_rollup import TAXONOMY, retro

    from generator.analysis.analyze import readings_frame

    months = {
        "2026-01": ('{smb: "13/50", enterprise: "2/10"}', "{web: 130, events: , partners: 20}",
                    "{web: 40, events: , partners: 5}", "{t1: 30, t2: 60}"),
        "2026-02": ('{smb: "13/50", enterprise: "2/10"}', "{web: 100, events: 30, partners: 20}",
                    "{web: 30, events: 9, partners: 5}", "{t1: 32, t2: }"),
        "2026-03": ('{smb: "16/50", enterprise: "2/10"}', "{web: 20, events: 30, partners: 20}",
                    "{web: 5, events: 9, partners: 5}", "{t1: 31, t2: 70}"),
        "2026-04": ('{smb: "7/50", enterprise: "2/10"}', "{web: 90, events: , partners: 20}",
                    "{web: 30, events: , partners: 4}", "{t1: 40}"),
        "2026-05": ('{smb: "16/50", enterprise: }', "{web: 100, events: 30, partners: 20}",
                    "{web: 30, events: 3, partners: 4}", "{t1: 45, t2: }"),
        "2026-06": ('{smb: "15/50"}', "{web: 10, events: 10, partners: 20}",
                    "{web: 2, events: 1, partners: 4}", "{t1: 30, t2: 50}"),
        "2026-07": ('{smb: "6/50"}', "{web: 100, events: 30, partners: 20}",
                    "{web: 30, events: 9, partners: 5}", "{t1: 50, t2: 50}"),
    }
    root = make_kb(tmp_path / "kb", {
        f"retros/{period}-growth.md": retro(period, (
            f"  win-rate: {win}\n  mqls: {mqls}\n  sqls: {sqls}\n  cycle: {cycle}\n"))
        for period, (win, mqls, sqls, cycle) in months.items()}, TAXONOMY)
    result = check(root, dt.date(2026, 8, 20), cache=False)
    assert result.kb is not None and not result.problems.errors, result.problems.items
    kb = result.kb
    rows = team_rows(((e.record.period, "growth", e.id, e.readings) for e in kb.retros),  # type: ignore[attr-defined]
                     kb.taxonomy, nothing_measured(kb.retros, kb.taxonomy))
    table = trends(readings_frame(kb), kb.taxonomy)
    mine = [(row["period"], row["indicator"], row["segment"], row["parts"], step.verdict,
             step.severity) for row, step in rows]
    theirs = list(zip(table["period"], table["indicator"], table["segment"], table["parts"],
                      table["verdict"], table["severity"], strict=True))
    assert mine == theirs
    # The shapes are there: May's win rate pools smb alone and is compared as giving
    # enterprise; January's MQLs as giving events; April's conversion as giving events.
    parts = {(row["indicator"], row["period"]): row["parts"] for row, _ in rows
             if row["segment"] == "all"}
    assert parts[("win-rate", "2026-05")] == "enterprise smb"
    assert parts[("mqls", "2026-01")] == "events partners web"
    assert parts[("conversion", "2026-04")] == "events partners web"
    assert parts[("cycle", "2026-02")] == "t1"


def test_recall_of_a_retro_does_not_import_pandas(tmp_path: Path) -> None:
    # In a fresh interpreter, as the command runs: the answer has indicators, and no pandas.
    code = (
        "import sys, datetime as dt\n"
        "from pathlib import Path\n"
        "from generator.records.validate import check\n"
        "from generator.analysis.link import link\n"
        "from generator.analysis.recall import recall\n"
        "from generator.paths import RenderOptions\n"
        "kb = check(Path(sys.argv[1]), dt.date(2026, 6, 15), cache=False).kb\n"
        "entry = next(e for e in kb.entries if e.path == sys.argv[2])\n"
        "answer = recall(kb, link(kb), [entry], RenderOptions())\n"
        "print(len(answer.records[0].indicators), 'pandas' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(REPO), "retros/2025-08-sales.md"],
                            capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    count, imported = result.stdout.split()
    assert int(count) >= 1 and imported == "False"


def test_a_comparison_past_a_missing_month_names_the_month(tmp_path: Path) -> None:
    # Sales reported January, February and April: April's "vs prior" is against February,
    # and the page says so; February's is against January, the month before, and says nothing.
    from generator.site.build import build

    months = {"2026-01": ("10/40", "2/10"), "2026-02": ("12/40", "3/10"),
              "2026-04": ("6/40", "1/10")}
    root = make_kb(tmp_path / "kb", {
        f"retros/{period}-sales.md": _RETRO.format(period=period, held=f"{period}-28",
                                                   smb=smb, ent=ent)
        for period, (smb, ent) in months.items()})
    page = build(root, dt.date(2026, 6, 1)).files["indicators/win-rate.md"].decode()
    rows = [line for line in page.splitlines() if line.startswith('<tr><th scope="row" class="hs-date">')]
    april = [row for row in rows if ">2026-04<" in row]
    february = [row for row in rows if ">2026-02<" in row]
    assert april and all('<span class="hs-note">vs February 2026</span>' in row for row in april)
    assert february and not any("hs-note\">vs " in row for row in february)
