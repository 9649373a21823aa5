"""Money as a partner programme measures it: euros with cents, by quarter.

A knowledge base unlike the sample's: two partner teams of a European vendor that meet
quarterly (one retro a quarter, in its last month), market development funds (MDF) paid
out to the cent, partner-sourced pipeline, a company review whose scorecard types the
teams' MDF total, and a lost co-sell deal worth €184,500.50. Built and validated with the
real commands; every amount is asserted as a reader sees it. Worked by hand:

- MDF spend in June 2026: EMEA €55,410.35, DACH €26,105.90; total €81,516.25, the teams'
  mean (MDF spend declares no ``aggregate:``, so money takes the mean) €40,758.125.
- March 2026: EMEA €39,870.00, DACH €27,340.60; total €67,210.60, mean €33,605.30.
- June 2025: EMEA €48,250.50, DACH €22,100.00; mean €35,175.25.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from conftest import make_kb, run_cli

AS_OF = "2026-08-10"

TAXONOMY = """\
company: Nordwerk Cloud SE
currency: "€"
causes:
  - id: competitor-partner-margin
    title: Competitor offers partners better margin
    description: A competitor pays partners more per deal.
indicators:
  - id: partner-pipeline
    label: Partner-sourced pipeline
    unit: usd
    better: up
    aggregate: sum
    description: New pipeline from partner-registered opportunities, in EUR.
  - id: mdf-spend
    label: MDF spend
    unit: usd
    better: up
    description: Market development funds paid out to partners, EUR with cents.
teams:
  - id: emea-partners
    name: EMEA Partners
    monthly_retros: false
  - id: dach-partners
    name: DACH Partners
    monthly_retros: false
plan_kinds:
  - id: deal
    title: Deals
reasons:
  - id: partner-margin
    title: Partner margin
"""

READINGS = {  # period: {team: (partner-pipeline, mdf-spend)}
    "2025-06": {"emea-partners": ("1200000", "48250.50"), "dach-partners": ("610000", "22100.00")},
    "2026-03": {"emea-partners": ("1310000", "39870.00"), "dach-partners": ("720000", "27340.60")},
    "2026-06": {"emea-partners": ("1400000", "55410.35"), "dach-partners": ("880000", "26105.90")},
}


def retro(period: str, team: str, pipeline: str, mdf: str) -> str:
    """A quarterly partner retro, held a week after its month."""
    year, month = (int(p) for p in period.split("-"))
    return (f"---\ntype: retro\nperiod: {period}\nteam: {team}\n"
            f"held: {year + month // 12}-{month % 12 + 1:02d}-07\nfacilitator: Lena Fischer\n"
            f"format: good-bad-ugly\nindicators:\n  partner-pipeline: {pipeline}\n"
            f"  mdf-spend: {mdf}\n---\n\nPartner retro.\n")


def review(quarter: str, held: str, mdf_actual: str) -> str:
    """The company's review of ``quarter``, MDF spend typed as ``mdf_actual``."""
    return (f"---\ntype: review\nperiod: {quarter}\nheld: {held}\nfacilitator: Lena Fischer\n"
            "scorecard:\n"
            "  - {metric: Partner-sourced pipeline, indicator: partner-pipeline, "
            "goal: 2400000, unit: usd}\n"
            f"  - {{metric: MDF spend, indicator: mdf-spend, goal: 90000.00, "
            f"actual: {mdf_actual}, unit: usd}}\n---\n\nPartner quarter review.\n")


DEAL = """\
---
type: postmortem
name: Baumann Logistik co-sell
kind: deal-lost
outcome: loss
summary: A co-sell deal with our Gold partner was lost to Vectora, whose partner paid more.
team: emea-partners
event_ended: 2026-04-24
held: 2026-04-29
keeper: Lena Fischer
deal:
  customer: Baumann Logistik GmbH
  chose_us: false
  competitor: Vectora AG
  value: 184500.50
  reasons: [partner-margin]
  why: Their partner earned more selling Vectora.
plan_vs_actual:
  - metric: Deal value
    goal: 184500.50
    actual: 0
    unit: usd
causes:
  - cause: competitor-partner-margin
lessons:
  - lesson: Decide the co-sell margin before the partner's first meeting.
    applies_to: [deal]
---
"""


def knowledge_base(root: Path) -> Path:
    """The partner programme's records: three quarters of retros, two reviews (Q2 types the
    teams' MDF total, Q1 their mean), the lost co-sell deal."""
    files = {f"retros/{period}-{team}.md": retro(period, team, *values)
             for period, teams in READINGS.items() for team, values in teams.items()}
    files["retros/2026-q2-review.md"] = review("2026-Q2", "2026-07-15", "81516.25")
    files["retros/2026-q1-review.md"] = review("2026-Q1", "2026-04-14", "33605.30")
    files["postmortems/2026-04-baumann-logistik-co-sell.md"] = DEAL
    taxonomy = root.parent / "nordwerk-taxonomy.yml"
    root.parent.mkdir(parents=True, exist_ok=True)
    taxonomy.write_text(TAXONOMY, encoding="utf-8")
    return make_kb(root, files, taxonomy)


def _text(markup: str) -> str:
    """What a reader sees of some HTML: tags as spaces (cells apart), entities read."""
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return knowledge_base(tmp_path_factory.mktemp("nordwerk") / "kb")


@pytest.fixture(scope="module")
def site(kb: Path) -> dict[str, str]:
    """The generated pages, by path, as a reader sees their text."""
    out = kb.parent / "out"
    result = run_cli("generate", "--out", str(out), "--root", str(kb), "--as-of", AS_OF,
                     "--no-cache", "--quiet")
    assert result.exit_code == 0, result.output
    return {path.relative_to(out).as_posix(): _text(path.read_text(encoding="utf-8"))
            for path in out.rglob("*.md")}


def test_a_computed_mean_of_money_stops_at_the_cent(site: dict[str, str]) -> None:
    """The teams' mean MDF spend in June, €40,758.125, read "computed €40,758.125 for those
    months": money to a tenth of a cent, a figure nobody paid. It is to the cent."""
    page = site["records/2026-q2-review.md"]
    assert "computed €40,758.13 for those months" in page, page
    assert "40,758.125" not in page
    for path, text in site.items():
        assert not re.search(r"€[\d,]+\.\d{3}", text), (path, re.findall(r"€[\d,]+\.\d+", text))


def test_an_amount_is_shown_one_way_on_a_page(site: dict[str, str]) -> None:
    """The deal's page read "€184,500.50" in Plan vs actual and "Annual value: €184,500" in
    the deal block: both are the typed €184,500.50. A reading typed 48,250.50 is itself on
    its record's page; across records (the indicator's readings) it is whole, its half
    rounded up: "€48,251" (it read "€48,250", half to even)."""
    deal = site["records/2026-04-baumann-logistik-co-sell.md"]
    assert "Annual value: €184,500.50" in deal, deal
    assert re.search(r"Deal value\s+€184,500.50\s+€0\s", deal), deal
    assert not re.search(r"€184,50[01]\b(?!\.)", deal), deal
    record = site["records/2025-06-emea-partners.md"]
    assert re.search(r"MDF spend\s+all\s+€48,250.50\s", record), record
    readings = site["indicators/mdf-spend.md"]
    assert re.search(r"2025-06\s+all\s+€48,251\s", readings), readings
    assert "€48,250" not in readings


def test_a_typed_total_of_money_the_teams_average_is_warned_of(kb: Path) -> None:
    """MDF spend takes the teams' mean (no `aggregate:`): Q2's typed €81,516.25 is the two
    teams' total (55,410.35 + 26,105.90), and the row read "computed €40,758.125" without a
    word of it. Q1's typed €33,605.30 is the teams' mean ((39,870.00 + 27,340.60) / 2): no
    warning. Partner-sourced pipeline already adds its teams up (`aggregate: sum`)."""
    result = run_cli("validate", "--root", str(kb), "--as-of", AS_OF, "--no-cache")
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if "warning:" in line]
    assert warnings == [
        "retros/2026-q2-review.md:8:71  scorecard[1].actual  warning: typed €81,516.25 is the "
        "teams' figures added up, but mdf-spend combines teams by their mean: the records give "
        "€40,758.13 (from 1 of 3 months); the row sets a total against an average (set "
        "`aggregate: sum` on mdf-spend in taxonomy.yml if its teams' figures add up; else type "
        "the teams' mean as the actual)",
    ], result.output


@pytest.mark.parametrize(("actual", "change"), [
    # 10,000.50 + 11,000.25 + 12,000.00 (EMEA) + 5,000.00 × 3 (DACH) = 48,000.75
    ("48000.75", "aggregate: sum"),
    # Each month's total, then their mean: (15,000.50 + 16,000.25 + 17,000.00) / 3 = 16,000.25
    ("16000.25", "aggregate: sum and quarterly: mean"),
    # The teams' mean of each month, then their mean: 8,000.125 → typed 8000.13, no warning
    ("8000.13", None),
])
def test_a_typed_total_over_monthly_retros_names_the_setting_that_gives_it(
        tmp_path: Path, actual: str, change: str | None) -> None:
    """Monthly MDF readings from both teams in Q3 2026: a typed quarter total, or a typed mean
    of the monthly totals, each gets the taxonomy.yml setting that would compute it."""
    files = {f"retros/2026-{m:02d}-{team}.md": retro(f"2026-{m:02d}", team, "100000", mdf)
             for team, values in (("emea-partners", ("10000.50", "11000.25", "12000.00")),
                                  ("dach-partners", ("5000.00",) * 3))
             for m, mdf in zip((7, 8, 9), values, strict=True)}
    files["retros/2026-q3-review.md"] = review("2026-Q3", "2026-10-14", actual)
    taxonomy = tmp_path / "taxonomy.yml"
    taxonomy.write_text(TAXONOMY.replace("monthly_retros: false", "monthly_retros: true"),
                        encoding="utf-8")
    root = make_kb(tmp_path / "kb", files, taxonomy)
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-11-02", "--no-cache")
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if "warning:" in line]
    if change is None:
        assert warnings == [], result.output
        return
    assert len(warnings) == 1, result.output
    assert warnings[0].startswith("retros/2026-q3-review.md:8:71  scorecard[1].actual  "
                                  "warning: typed €"), warnings
    assert "the records give €8,000.13;" in warnings[0]
    assert f"(set `{change}` on mdf-spend in taxonomy.yml if its teams' figures add up" \
        in warnings[0], warnings
