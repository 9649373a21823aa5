"""An indicator's page gives the company's figure for each quarter ("By quarter"), as a company
review's scorecard computes it: a planner quoting "Q3's demo-to-close" need not open a review
or add up months. Records shaped unlike the sample: a product-led company whose inside-sales
team writes counts and whose self-serve team meets every month with a quarter-only rate,
euros summed, and a team that meets quarterly."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from conftest import make_kb
from generator.analysis.analyze import analyze
from generator.paths import RenderOptions
from generator.records.validate import check
from generator.site.build import build
from sitetools import make_project, mkdocs_build

TAXONOMY = """\
company: Fjordlys Software AS
currency: "€"
causes:
  - id: trial-activation-gap
    title: Trial activation gap
    description: Trials end before the buyer sees the product work.
indicators:
  - id: demo-to-close
    label: Demo-to-close rate
    unit: rate
    better: up
  - id: self-serve-pipeline
    label: Self-serve pipeline created
    unit: usd
    better: up
    quarterly: sum
  - id: renewal-rate
    label: Logo renewal rate
    unit: rate
    better: up
    segment_by: plan
    segments: {starter: Starter plan, scale: Scale plan}
  - id: onboarding-nps
    label: Onboarding NPS
    unit: count
    better: up
    quarterly: none
teams:
  - id: inside-sales
    name: Inside Sales
  - id: self-serve
    name: Self-Serve
  - id: partners
    name: Partner Desk
    retros: quarterly
plan_kinds: []
"""

AS_OF = dt.date(2026, 11, 20)


def retro(team: str, month: str, readings: dict[str, str]) -> str:
    """A retro of ``team`` for ``month``, held on the 5th of the month after."""
    year, number = (int(part) for part in month.split("-"))
    held = dt.date(year + number // 12, number % 12 + 1, 5)
    lines = "".join(f"  {key}: {value}\n" for key, value in readings.items())
    return (f"---\ntype: retro\nperiod: {month}\nteam: {team}\nheld: {held}\n"
            f"facilitator: Ingrid Solberg\nformat: went-well-didnt\nindicators:\n{lines}"
            "---\n\nThe month.\n")


# Demo-to-close as counts, two teams: pooled over teams and months, Σ won ÷ Σ demos.
#   Q2 2026: inside-sales 1/10, 1/10, 2/10                      →  4/30 = 13.3%
#   Q3 2026: inside-sales 2/10, 3/10, 5/20; self-serve 1/5, 4/5, 0/10 → 15/60 = 25.0% (+11.7 pp)
#   Q4 2026 (October only): inside-sales 3/12, self-serve 3/4   →  6/16 = 37.5% (+12.5 pp), so far
DEMOS = {
    "inside-sales": {"2026-04": "1/10", "2026-05": "1/10", "2026-06": "2/10", "2026-07": "2/10",
                     "2026-08": "3/10", "2026-09": "5/20", "2026-10": "3/12"},
    "self-serve": {"2026-07": "1/5", "2026-08": "4/5", "2026-09": "0/10", "2026-10": "3/4"},
}
# Self-serve pipeline in euros, summed over the months (and the teams):
#   Q3 2026: 40,000 + 50,000 + 60,000 = 150,000; Q4 2026 (October only): 70,000, not compared
#   with Q3 (two months short of a sum).
PIPELINE = {"2026-07": 40000, "2026-08": 50000, "2026-09": 60000, "2026-10": 70000}


def records() -> dict[str, str]:
    files: dict[str, str] = {}
    for team, months in DEMOS.items():
        for month, demos in months.items():
            readings = {"demo-to-close": f'"{demos}"'}
            if team == "self-serve":
                readings["self-serve-pipeline"] = str(PIPELINE[month])
                readings["onboarding-nps"] = "41"
            files[f"retros/{month}-{team}.md"] = retro(team, month, readings)
    return files


def indicator_page(root: Path, indicator: str) -> str:
    built = build(root, AS_OF, RenderOptions()).files
    return built[f"indicators/{indicator}.md"].decode()


def by_quarter(page: str) -> list[tuple[str, str, str]]:
    """The By quarter table's rows: quarter, figure (with its note), vs prior quarter."""
    section = page.split("## By quarter", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r'<th scope="row" class="hs-stack__lead">([^<]+)</th>'
                      r'<td class="hs-num"><span class="hs-stack__label">Figure: </span>(.*?)</td>'
                      r'<td class="hs-num"><span class="hs-stack__label">vs prior quarter: '
                      r'</span>(.*?)</td>', section)
    return [(q, re.sub(r"<[^>]+>", "", figure), prior) for q, figure, prior in rows]


def test_a_rate_is_pooled_over_teams_and_months_per_quarter(tmp_path: Path) -> None:
    root = make_kb(tmp_path / "kb", records(), taxonomy=_taxonomy(tmp_path))
    page = indicator_page(root, "demo-to-close")
    assert by_quarter(page) == [
        ("Q4 2026", "37.5% so far: 1 of 3 months", "+12.5 pp"),
        ("Q3 2026", "25.0%", "+11.7 pp"),
        ("Q2 2026", "13.3%", "–"),
    ], page
    assert "every team's readings combined" in page
    # What it was combined from, in the counts a reader can check.
    assert "(15/60)" in page.split("Q3 2026", 1)[1].split("</tr>", 1)[0]


def test_a_past_quarter_short_of_a_month_is_said_so_not_so_far(tmp_path: Path) -> None:
    # Inside Sales wrote no retro for May: Q2 2026 is over, and its figure is from two
    # months, (1 + 2) / (10 + 10) = 15.0%; October's quarter is still running.
    files = records()
    del files["retros/2026-05-inside-sales.md"]
    root = make_kb(tmp_path / "kb", files, taxonomy=_taxonomy(tmp_path))
    rows = by_quarter(indicator_page(root, "demo-to-close"))
    assert rows[-1] == ("Q2 2026", "15.0% from 2 of 3 months only", "–"), rows
    assert rows[0][1] == "37.5% so far: 1 of 3 months", rows


def test_the_figure_is_the_one_a_company_review_computes(tmp_path: Path) -> None:
    review = ("---\ntype: review\nperiod: 2026-Q3\nheld: 2026-10-12\nfacilitator: Ingrid Solberg\n"
              "scorecard:\n  - {metric: Demo-to-close, indicator: demo-to-close, goal: 0.3, "
              "unit: rate}\n---\n\nThe quarter.\n")
    root = make_kb(tmp_path / "kb", {**records(), "retros/2026-q3-review.md": review},
                   taxonomy=_taxonomy(tmp_path))
    result = check(root, AS_OF)
    assert result.kb is not None and not result.problems.errors
    card = analyze(result.kb.as_it_stood()).scorecards["2026-q3-review"]
    assert card[0].computed == 15 / 60
    assert ("Q3 2026", "25.0%", "+11.7 pp") in by_quarter(indicator_page(root, "demo-to-close"))


def test_a_sum_so_far_is_not_compared_with_a_whole_quarter(tmp_path: Path) -> None:
    root = make_kb(tmp_path / "kb", records(), taxonomy=_taxonomy(tmp_path))
    rows = by_quarter(indicator_page(root, "self-serve-pipeline"))
    assert rows == [("Q4 2026", "€70,000 so far: 1 of 3 months", "–"),
                    ("Q3 2026", "€150,000", "–")], rows


def test_an_indicator_not_rolled_up_has_no_quarters(tmp_path: Path) -> None:
    root = make_kb(tmp_path / "kb", records(), taxonomy=_taxonomy(tmp_path))
    built = build(root, AS_OF, RenderOptions()).files
    page = built["indicators/onboarding-nps.md"].decode()
    assert "## By quarter" not in page
    assert "Quarterly figure: none (not rolled up)." in page
    # The same team's other indicators, rolled up, have theirs.
    assert "## By quarter" in built["indicators/self-serve-pipeline.md"].decode()


def test_a_quarterly_teams_retro_is_its_whole_quarter(tmp_path: Path) -> None:
    # The partner desk meets quarterly: its Q3 retro (dated September) is the quarter's
    # demos, 6 won of 20, pooled with the monthly teams' 15/60: 21/80 = 26.25%, shown 26.3%.
    files = {**records(), "retros/2026-09-partners.md":
             retro("partners", "2026-09", {"demo-to-close": '"6/20"'})}
    root = make_kb(tmp_path / "kb", files, taxonomy=_taxonomy(tmp_path))
    rows = by_quarter(indicator_page(root, "demo-to-close"))
    assert ("Q3 2026", "26.3%", "+12.9 pp") in rows, rows


def test_a_split_indicator_gives_each_segments_quarter(tmp_path: Path) -> None:
    # Renewals by plan, counts pooled over two teams and the quarter's months; Inside Sales'
    # September leaves the scale plan out:
    #   Starter: (8 + 9 + 7 + 5 + 4) / (10 + 10 + 10 + 5 + 5) = 33/40 = 82.5%
    #   Scale, July and August only: (3 + 2) / (4 + 4) = 5/8 = 62.5%, from 2 of 3 months
    #   Overall: (11 + 11 + 7 + 5 + 4) / (14 + 14 + 10 + 5 + 5) = 38/48 = 79.2%
    renewals = {("inside-sales", "2026-07"): '{starter: "8/10", scale: "3/4"}',
                ("inside-sales", "2026-08"): '{starter: "9/10", scale: "2/4"}',
                ("inside-sales", "2026-09"): '{starter: "7/10"}',
                ("self-serve", "2026-07"): '{starter: "5/5"}',
                ("self-serve", "2026-08"): '{starter: "4/5"}'}
    files = {f"retros/{month}-{team}.md": retro(team, month, {"renewal-rate": readings})
             for (team, month), readings in renewals.items()}
    root = make_kb(tmp_path / "kb", files, taxonomy=_taxonomy(tmp_path))
    page = indicator_page(root, "renewal-rate")
    assert by_quarter(page) == [("Q3 2026", "79.2%", "–")], page
    assert "(38/48)" in page and "September 2026 without scale" in page
    split = page.split("Each segment's figure (split by plan)", 1)[1].split("</table>", 1)[0]
    cells = [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>",
                                                                  split)]
    assert cells == ["Quarter", "Starter plan", "Scale plan", "Q3 2026",
                     "Starter plan: 82.5%", "Scale plan: 62.5% from 2 of 3 months"], cells


def test_years_of_quarters_fold_the_earlier_ones(tmp_path: Path) -> None:
    # Ten quarters of one team: the last eight open, the two before folded under them.
    months = [f"{2024 + n // 12}-{n % 12 + 1:02d}" for n in range(30)]  # 2024-01 .. 2026-06
    files = {f"retros/{m}-inside-sales.md": retro("inside-sales", m, {"demo-to-close": '"2/10"'})
             for m in months}
    root = make_kb(tmp_path / "kb", files, taxonomy=_taxonomy(tmp_path))
    page = indicator_page(root, "demo-to-close")
    open_part, folded = page.split("<details", 1)
    assert len(by_quarter(open_part)) == 8
    assert "<summary>2 earlier quarters</summary>" in folded
    assert "Q2 2024" in folded and "Q1 2024" in folded and "Q1 2024" not in open_part


def test_the_built_page_shows_the_quarters(tmp_path: Path) -> None:
    root = make_kb(tmp_path / "kb", records(), taxonomy=_taxonomy(tmp_path))
    project = make_project(tmp_path / "site", root)
    built = mkdocs_build(project, AS_OF.isoformat())
    assert built.returncode == 0, built.stderr[-3000:]
    html = (project / "site" / "indicators" / "demo-to-close" / "index.html").read_text()
    section = html.split('id="by-quarter"', 1)[1].split("<h2", 1)[0]
    cells = [re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>",
                                                                  section)]
    assert cells[4:7] == ["Q4 2026", "Figure: 37.5% so far: 1 of 3 months",
                          "vs prior quarter: +12.5 pp"], cells


def _taxonomy(tmp_path: Path) -> Path:
    path = tmp_path / "fjordlys.yml"
    path.write_text(TAXONOMY, encoding="utf-8")
    return path
