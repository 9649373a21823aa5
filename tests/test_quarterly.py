"""A team that meets quarterly (``retros: quarterly`` in taxonomy.yml): one retro a quarter,
dated the quarter's last month, whose readings are the whole quarter's. Records shaped like a
partner organisation's: two channel teams, euros, a partner-tier split, no monthly team."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

from conftest import make_kb, run_cli
from generator.paths import RenderOptions
from generator.records.validate import check
from generator.site.build import build
from gittools import commit_all, init

TAXONOMY = """\
company: Nordwerk Cloud SE
currency: "€"
causes:
  - id: dealreg-backlog
    title: Deal-registration backlog
    description: Registrations wait in a queue nobody owns.
  - id: reseller-enablement-gap
    title: Reseller enablement gap
    description: Resellers sign up but are never certified.
indicators:
  - id: partner-pipeline
    label: Partner-sourced pipeline
    unit: usd
    better: up
    segment_by: partner-tier
    segments: [gold, silver]
    aggregate: sum
  - id: partner-share
    label: Partner-sourced share of pipeline
    unit: rate
    better: up
  - id: dealreg-days
    label: Deal-registration approval time
    unit: days
    better: down
teams:
  - id: emea-partners
    name: EMEA Partners
    retros: quarterly
  - id: dach-partners
    name: DACH Partners
    retros: quarterly
plan_kinds:
  - id: partner-program
    title: Partner programmes
"""

QUARTERS = ["2025-06", "2025-09", "2025-12", "2026-03", "2026-06"]
"""The quarters' last months, as a quarterly team dates its retros."""


def retro(team: str, month: str, readings: str, extra: str = "") -> str:
    """A quarterly retro of ``team``, held early in the month after its quarter."""
    year, number = (int(part) for part in month.split("-"))
    held = dt.date(year + number // 12, number % 12 + 1, 8)
    return (f"---\ntype: retro\nperiod: {month}\nteam: {team}\nheld: {held}\n"
            "facilitator: Lena Fischer\nformat: stop-start-continue\n"
            f"indicators:\n{readings}{extra}---\n\nThe quarter.\n")


def records(days: dict[str, int] | None = None) -> dict[str, str]:
    """Five quarters of both teams: DACH's approval time ``days`` (by quarter) from 8 days."""
    days = days or {}
    files: dict[str, str] = {}
    for n, month in enumerate(QUARTERS):
        for team, base in (("emea-partners", 600000), ("dach-partners", 300000)):
            wait = days.get(month, 8) if team == "dach-partners" else 9
            files[f"retros/{month}-{team}.md"] = retro(
                team, month,
                f"  partner-pipeline: {{gold: {base + n * 10000}, silver: {base // 2}}}\n"
                f"  partner-share: {0.30 + n / 100:.2f}\n  dealreg-days: {wait}\n")
    return files


def kb(tmp_path: Path, files: dict[str, str], taxonomy: str = TAXONOMY) -> Path:
    """A knowledge base of ``files`` under ``taxonomy``."""
    (tmp_path / "partner.yml").write_text(taxonomy, encoding="utf-8")
    return make_kb(tmp_path / "kb", files, taxonomy=tmp_path / "partner.yml")


def messages(root: Path, as_of: dt.date) -> list[str]:
    """What validation says, one line a problem."""
    return [p.format() for p in check(root, as_of=as_of).problems.sorted()]


def pages(root: Path, as_of: dt.date) -> dict[str, str]:
    """The generated Markdown pages of the site as of ``as_of``."""
    files = build(root, as_of, RenderOptions()).files
    return {path: content.decode() for path, content in files.items() if path.endswith(".md")}


def test_a_quarterly_retro_is_dated_its_quarters_last_month(tmp_path: Path) -> None:
    files = records()
    files["retros/2025-09-emea-partners.md"] = files["retros/2025-09-emea-partners.md"].replace(
        "period: 2025-09", "period: 2025-08")
    root = kb(tmp_path, files)
    found = messages(root, dt.date(2026, 7, 20))
    assert ("retros/2025-09-emea-partners.md:3:9  period  is 2025-08, but emea-partners holds "
            "its retros quarterly (retros: quarterly in taxonomy.yml): a retro's period is its "
            "quarter's last month (correct period: to 2025-09, the last month of 2025-Q3; or, if "
            "emea-partners still met monthly then, set quarterly_from: for it in taxonomy.yml "
            "to the first quarter it met quarterly, 2025-Q4 or later)"
            in found), found
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-07-20")
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_the_quarterly_records_validate(tmp_path: Path) -> None:
    found = messages(kb(tmp_path, records()), dt.date(2026, 7, 20))
    assert not [m for m in found if "error" in m or "period" in m], found


def test_monthly_and_quarterly_at_once_is_refused(tmp_path: Path) -> None:
    root = kb(tmp_path, records(), TAXONOMY.replace(
        "    name: DACH Partners\n    retros: quarterly\n",
        "    name: DACH Partners\n    monthly_retros: true\n    retros: quarterly\n"))
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-07-20")
    assert result.exit_code == 1, result.output
    assert ("taxonomy.yml:33:13  teams[1].retros  is quarterly, but monthly_retros: true says "
            "dach-partners holds them monthly (keep one: delete monthly_retros: true for a team "
            "that meets quarterly, or retros: quarterly for one that meets monthly)"
            in result.output), result.output


def test_a_cadence_that_is_neither_is_refused(tmp_path: Path) -> None:
    root = kb(tmp_path, records(), TAXONOMY.replace("retros: quarterly", "retros: yearly", 1))
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-07-20")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "teams[0].retros" in result.output and "quarterly" in result.output, result.output


def test_the_field_is_documented(tmp_path: Path) -> None:
    guide = pages(kb(tmp_path, records()), dt.date(2026, 7, 20))["guide/record-format.md"]
    assert "| `teams[].retros` | How often the team holds its retro" in guide


REVIEW = """\
---
type: review
period: 2026-Q2
held: 2026-07-15
facilitator: Lena Fischer
scorecard:
  - {metric: Partner-sourced pipeline, indicator: partner-pipeline, goal: 1500000, actual: 1390000, unit: usd}
  - {metric: Partner share, indicator: partner-share, goal: 0.30, unit: rate}
  - {metric: Approval days, indicator: dealreg-days, goal: 10, unit: days}
---

Partner quarter review.
"""


def test_a_quarterly_retro_is_its_whole_quarter_on_the_scorecard(tmp_path: Path) -> None:
    review = REVIEW.replace("actual: 1390000", "actual: 1430000")
    root = kb(tmp_path, {**records(), "retros/2026-q2-review.md": review})
    page = pages(root, dt.date(2026, 7, 20))["records/2026-q2-review.md"]
    # The two June retros are the quarter: nothing waits for April and May (it read "from 1
    # of 3 months only" and "not judged yet (113% so far)").
    assert "of 3 months" not in page and "not judged" not in page, page
    # The typed actual is set against the teams' quarter: EMEA's 640,000 gold and 300,000
    # silver, DACH's 340,000 and 150,000.
    assert "agrees (€1,430,000)" in page, page
    assert "sum of the teams' quarterly retros, each the whole quarter" in page
    # Rows without an actual are filled in and judged: 34.0% against 30%, 8.5 days against 10.
    assert "Two of three goals of 2026-Q2 met" in page, page
    assert "mean of the teams' quarterly retros, each the whole quarter" in page


def test_a_quarterly_team_beside_a_monthly_one(tmp_path: Path) -> None:
    """DACH meets monthly here (no cadence declared), EMEA quarterly: EMEA's June total is
    its quarter's and counts once in the sum, DACH's three months each count."""
    files = {path: text for path, text in records().items() if "emea" in path}
    for month, wait in (("2026-04", 6), ("2026-05", 8), ("2026-06", 10)):
        files[f"retros/{month}-dach-partners.md"] = retro(
            "dach-partners", month, "  partner-pipeline: {gold: 100000, silver: 50000}\n"
            f"  dealreg-days: {wait}\n")
    taxonomy = TAXONOMY.replace("    name: DACH Partners\n    retros: quarterly\n",
                                "    name: DACH Partners\n")
    root = kb(tmp_path, {**files, "retros/2026-q2-review.md": REVIEW}, taxonomy)
    page = pages(root, dt.date(2026, 7, 20))["records/2026-q2-review.md"]
    assert "of 3 months" not in page, page
    # 640,000 + 300,000 (EMEA's quarter) + 3 × 150,000 (DACH's months) = 1,390,000.
    assert "agrees (€1,390,000)" in page, page
    assert "EMEA Partners: its quarterly retro, the whole quarter" in page
    # A mean: EMEA's 9 days stand for each of its months beside DACH's 6, 8 and 10: 8.5.
    assert "8.5 days" in page, page


def test_a_quarterly_reading_is_compared_with_the_previous_quarter(tmp_path: Path) -> None:
    """DACH's approval time holds at 8 days for three quarters, then takes 15 in 2026-Q1 and
    20 in 2026-Q2: each worse than the previous quarter and than the mean of the three before
    (8; 10.3), so it moved the wrong way (it stayed "new" for ever, three months apart being no
    trend of months), and beyond its usual change between quarters (2.5 days: 0, 0, 7, 5), so
    June's retro recalls March's move."""
    root = kb(tmp_path, records({"2026-03": 15, "2026-06": 20}))
    as_of = dt.date(2026, 7, 20)
    home = pages(root, as_of)["index.md"]
    wrong = home.split("Moved the wrong way in Q2 2026", 1)[1].split("\n## ", 1)[0]
    assert "Deal-registration approval time" in wrong and "DACH Partners" in wrong, home
    # Its earlier quarters are judged too: the third quarter has two before it, the first two
    # are new; flat at 8 days afterwards.
    page = pages(root, as_of)["indicators/dealreg-days.md"]
    assert "new" in page and "flat" in page and "wrong way" in page, page
    result = run_cli("recall", str(root / "retros" / "2026-06-dach-partners.md"), "--root",
                     str(root), "--as-of", "2026-07-20", "--format", "json")
    assert result.exit_code == 0, result.output
    (record,) = json.loads(result.output)["records"]
    (indicator,) = record["indicators"]
    assert indicator["id"] == "dealreg-days", record
    assert [p["period"] for p in indicator["previous"]] == ["2026-03"]


def test_a_fix_is_measured_on_the_quarters_after_it(tmp_path: Path) -> None:
    """DACH clears its registration queue in November 2025: three quarters before (12 days
    each) against the three after 2025-Q4 (7 days each). Within six months a quarterly team
    never has three readings after, so "No fix can be measured yet" was said for ever."""
    quarters = ["2025-03", "2025-06", "2025-09", "2025-12", "2026-03", "2026-06", "2026-09"]
    files: dict[str, str] = {}
    for month in quarters:
        extra = {"2025-09": "actions:\n  - id: DAP-2025-09-1\n    title: Clear the queue\n"
                            "    owner: Jürgen Müller\n    due: 2025-12-15\n"
                            "    indicator: dealreg-days\n",
                 "2025-12": "action_updates:\n  - {id: DAP-2025-09-1, status: done, "
                            "done_on: 2025-11-14}\n"}.get(month, "")
        wait = 12 if month <= "2025-09" else 9 if month == "2025-12" else 7
        files[f"retros/{month}-dach-partners.md"] = retro(
            "dach-partners", month, f"  dealreg-days: {wait}\n", extra)
    root = kb(tmp_path, files)
    effects = pages(root, dt.date(2026, 10, 20))["actions/effectiveness.md"]
    right = effects.split("## Moved the right way", 1)[1].split("\n## ", 1)[0]
    assert "DAP-2025-09-1" in right, effects
    assert "12 days (2025-03 to 2025-09)" in right and "7 days (2026-03 to 2026-09)" in right
    # Two quarters after, it waits for the third (it was not measurable: 2 of 3 in 6 months).
    early = pages(root, dt.date(2026, 7, 20))["actions/effectiveness.md"]
    waiting = early.split("## Too early to tell", 1)[1].split("\n## ", 1)[0]
    assert "DAP-2025-09-1" in waiting and "2 of 3 readings after so far" in waiting, early


def test_pages_call_them_quarterly_retros(tmp_path: Path) -> None:
    found = pages(kb(tmp_path, records()), dt.date(2026, 7, 20))
    # It read "10 monthly retros" and "**Monthly retro** · EMEA Partners".
    assert "quarterly retros," in found["index.md"] and "monthly retro" not in found["index.md"]
    assert "**Quarterly retro** · [EMEA Partners]" in found["records/2026-06-emea-partners.md"]


def test_the_gap_sentence_counts_quarters(tmp_path: Path) -> None:
    root = kb(tmp_path, records())
    # Q3 is not over in August, nor its retro due: no gap (it said "no team has one for July
    # 2026 to … (2 months)" once two months had gone).
    assert "No retro since" not in pages(root, dt.date(2026, 9, 20))["index.md"]
    assert "No retro since" not in pages(root, dt.date(2026, 12, 20))["index.md"]
    home = pages(root, dt.date(2027, 2, 10))["index.md"]
    assert "no team has one for 2026-Q3 to 2026-Q4 (2 quarters)" in home, home


def test_a_missing_quarter_is_warned(tmp_path: Path) -> None:
    """DACH skipped 2025-Q4 and wrote nothing after 2026-Q2: each quarter is warned about,
    naming the file to write (no warning at all was given of a quarterly team)."""
    files = records()
    del files["retros/2025-12-dach-partners.md"]
    root = kb(tmp_path, files)
    gap = ("retros/2026-03-dach-partners.md:3:9  period  warning: dach-partners has no retro "
           "for 2025-Q4 (between 2025-Q3 and 2026-Q1) (hold the retro every quarter, or add the "
           "missing record retros/2025-12-dach-partners.md)")
    assert gap in messages(root, dt.date(2026, 7, 20))
    # 2026-Q3 is not missing while its retro may still be held in time (62 days after it).
    assert not [m for m in messages(root, dt.date(2026, 12, 1)) if "2026-Q3" in m]
    found = messages(root, dt.date(2026, 12, 20))
    assert ("retros/2026-06-dach-partners.md:3:9  period  warning: dach-partners has no retro "
            "for 2026-Q3 (after this one, of 2026-Q2; the quarter ended 2026-09-30) (add the "
            "missing record retros/2026-09-dach-partners.md, or set retired: 2026-06 for the "
            "team in taxonomy.yml if it was dissolved)" in found), found
    assert gap in found and len([m for m in found if "has no retro" in m]) == 3, found
    # A retro misdated within its quarter holds it (its period is the error), and a retired
    # team is missing nothing after its last month.
    files["retros/2025-12-dach-partners.md"] = retro(
        "dach-partners", "2025-11", "  dealreg-days: 8\n")
    retired = TAXONOMY.replace("    name: DACH Partners\n", "    name: DACH Partners\n"
                               "    retired: 2026-06\n").replace(
        "    name: EMEA Partners\n", "    name: EMEA Partners\n    retired: 2026-08\n")
    (tmp_path / "retired").mkdir()
    found = messages(kb(tmp_path / "retired", files, retired), dt.date(2026, 12, 20))
    assert not [m for m in found if "has no retro" in m], found
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-12-20", "--strict")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "retros/2026-09-emea-partners.md" in result.output, result.output


def test_a_quarterly_retro_is_shown_as_its_quarter(tmp_path: Path) -> None:
    """Its page, the retros list, What's new and the feed name the quarter ("June 2025"
    was shown of April to June's retro); the file name and id stay the month's."""
    root = kb(tmp_path, records())
    init(root)
    commit_all(root, "Partner retros", "Lena Fischer", "2026-07-10T09:00:00+00:00")
    files = build(root, dt.date(2026, 7, 20),
                  RenderOptions(site_url="https://partners.example.eu/")).files
    record = files["records/2025-06-emea-partners.md"].decode()
    assert "# EMEA Partners retro — Q2 2025\n" in record, record
    assert "**Quarterly retro** · [EMEA Partners](../teams/emea-partners.md) · Q2 2025 · held" \
        in record, record
    assert "June 2025" not in record
    retros = files["retros/index.md"].decode()
    assert "<th>Quarter</th>" in retros and '<th scope="row">Q2 2025</th>' in retros, retros
    whats_new = files["whats-new.md"].decode()
    assert "DACH Partners retro — Q1 2026" in whats_new and "March 2026" not in whats_new
    feed = files["feed.xml"].decode()
    assert "<title>EMEA Partners retro — Q2 2026</title>" in feed, feed
    assert "June 2026" not in feed


def test_the_wrong_way_list_says_quarters(tmp_path: Path) -> None:
    """DACH's approval time took 15 and 20 days: the list said "worse than both the prior
    month and the trailing 3-month mean" and "vs 3-month mean" of quarters' readings."""
    root = kb(tmp_path, records({"2026-03": 15, "2026-06": 20}))
    found = pages(root, dt.date(2026, 7, 20))
    home = found["index.md"]
    assert "## Moved the wrong way in Q2 2026" in home, home
    assert ("worse than both the prior quarter and the trailing 3-quarter mean" in home)
    assert "<th>vs 3-quarter mean</th>" in home and "3-month" not in home, home
    # Compared with the quarter before, as it should be: no note of a month reached back to
    # (it said "vs March 2026" of every quarterly reading).
    assert "vs March 2026" not in home
    page = found["indicators/dealreg-days.md"]
    assert "vs March 2026" not in page and "vs December 2025" not in page, page
    assert "## Moved the wrong way in Q2 2026" in found["indicators/index.md"]


def test_the_wrong_way_list_of_monthly_and_quarterly_teams(tmp_path: Path) -> None:
    """EMEA meets quarterly, DACH monthly: each row is compared over its own steps."""
    files = {path: text for path, text in records({"2026-03": 15, "2026-06": 20}).items()
             if "dach" in path}
    for month, wait in (("2026-04", 9), ("2026-05", 9), ("2026-06", 9)):
        files[f"retros/{month}-emea-partners.md"] = retro(
            "emea-partners", month, f"  dealreg-days: {wait}\n")
    for month, wait in (("2026-07", 9), ("2026-08", 14)):
        files[f"retros/{month}-emea-partners.md"] = retro(
            "emea-partners", month, f"  dealreg-days: {wait}\n")
    taxonomy = TAXONOMY.replace("    name: EMEA Partners\n    retros: quarterly\n",
                                "    name: EMEA Partners\n    retros: monthly\n")
    home = pages(kb(tmp_path, files, taxonomy), dt.date(2026, 9, 20))["index.md"]
    wrong = home.split("## Moved the wrong way in each team's latest month or quarter", 1)[1]
    assert ("worse than both the prior month and the trailing 3-month mean (for a team that "
            "meets quarterly, the prior quarter and the trailing 3-quarter mean)" in wrong), home
    assert "<th>vs trailing mean</th>" in wrong
    assert "DACH Partners, Q2 2026" in wrong and "EMEA Partners, August 2026" in wrong
    dach = next(row for row in wrong.split("<tr>") if "DACH Partners" in row)
    emea = next(row for row in wrong.split("<tr>") if "EMEA Partners" in row)
    assert "vs Q1 2026" in dach and "vs 3-quarter mean: " in dach, dach
    assert "3 quarters" in dach and "vs 3-month mean: " in emea and "3 quarters" not in emea


def test_no_fix_measurable_yet_says_quarters(tmp_path: Path) -> None:
    files = records()
    files["retros/2026-03-dach-partners.md"] = files["retros/2026-03-dach-partners.md"].replace(
        "---\n\nThe quarter.", "actions:\n  - id: DAP-2026-03-1\n    title: Clear the queue\n"
        "    owner: Jürgen Müller\n    due: 2026-05-15\n    indicator: dealreg-days\n"
        "---\n\nThe quarter.")
    files["retros/2026-06-dach-partners.md"] = files["retros/2026-06-dach-partners.md"].replace(
        "---\n\nThe quarter.", "action_updates:\n  - {id: DAP-2026-03-1, status: done, "
        "done_on: 2026-05-10}\n---\n\nThe quarter.")
    page = pages(kb(tmp_path, files), dt.date(2026, 7, 20))["actions/effectiveness.md"]
    # It said "each needs three monthly readings of its indicator before the month".
    assert ("No fix can be measured yet: each needs three quarterly readings of its indicator "
            "before the quarter it was done and three after." in page), page
    assert "A team that meets\nquarterly is measured in quarters" in page


def test_fixes_within_three_quarters_are_one_movement(tmp_path: Path) -> None:
    """DACH cleared its queue in November 2025 and added an approver in April 2026: two
    quarters apart, their readings overlap (the second's quarters before take in the first's
    after), so they are one movement. Five months apart, they were counted as two."""
    quarters = ["2025-03", "2025-06", "2025-09", "2025-12", "2026-03", "2026-06", "2026-09",
                "2026-12", "2027-03"]
    waits = dict(zip(quarters, (12, 12, 12, 9, 7, 6, 5, 5, 5), strict=True))
    extra = {"2025-09": "actions:\n  - id: DAP-2025-09-1\n    title: Clear the queue\n"
                        "    owner: Jürgen Müller\n    due: 2025-12-15\n"
                        "    indicator: dealreg-days\n",
             "2025-12": "action_updates:\n  - {id: DAP-2025-09-1, status: done, "
                        "done_on: 2025-11-14}\n",
             "2026-03": "actions:\n  - id: DAP-2026-03-1\n    title: Add a second approver\n"
                        "    owner: Katrin Vogel\n    due: 2026-05-15\n"
                        "    indicator: dealreg-days\n",
             "2026-06": "action_updates:\n  - {id: DAP-2026-03-1, status: done, "
                        "done_on: 2026-04-20}\n"}
    files = {f"retros/{month}-dach-partners.md": retro(
        "dach-partners", month, f"  dealreg-days: {waits[month]}\n", extra.get(month, ""))
        for month in quarters}
    found = pages(kb(tmp_path, files), dt.date(2027, 4, 20))
    effects = found["actions/effectiveness.md"]
    right = effects.split("## Moved the right way", 1)[1].split("\n## ", 1)[0]
    assert "DAP-2025-09-1" in right and "DAP-2026-03-1" in right, effects
    assert ("done within three months of the first of them (three quarters for a team that "
            "meets quarterly)" in effects), effects
    assert "the 2 fixes are 1 movement, and the 2 that moved the right way are 1 of them" \
        in effects
    assert "the 2 fixes are 1 movement" in found["index.md"]


def test_new_and_prep_write_a_quarters_retro(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """As of October, DACH's next retro is 2026-Q3's, dated September (new retro offered
    last month's, 2026-09 only by chance; in August it offered July); a month that ends no
    quarter is refused with the one to write; prep's agenda compares with the quarter before."""
    root = kb(tmp_path, records({"2026-03": 15, "2026-06": 20}))
    monkeypatch.setenv("HINDSIGHT_AS_OF", "2026-08-10")
    result = run_cli("new", "retro", "--team", "dach-partners", "--facilitator", "Lena Fischer",
                     "--root", str(root))
    # 2026-Q3 has not ended in August: the latest ended quarter's retro is there already.
    assert result.exit_code != 0 and "Traceback" not in result.output, result.output
    assert "2026-06-dach-partners.md" in result.output, result.output
    refused = run_cli("new", "retro", "--team", "dach-partners", "--period", "2026-08",
                      "--facilitator", "Lena Fischer", "--root", str(root))
    assert refused.exit_code != 0, refused.output
    assert ("dach-partners holds its retros quarterly (retros: quarterly in taxonomy.yml), and "
            "a retro's period is its quarter's last month: use --period 2026-09, the last month "
            "of 2026-Q3" in refused.output), refused.output
    monkeypatch.setenv("HINDSIGHT_AS_OF", "2026-10-09")
    result = run_cli("new", "retro", "--team", "emea-partners", "--facilitator", "Lena Fischer",
                     "--root", str(root))
    assert result.exit_code == 0, result.output
    written = (root / "retros" / "2026-09-emea-partners.md").read_text(encoding="utf-8")
    assert 'title: "EMEA Partners retro — Q3 2026"' in written, written
    assert "# Quarterly retro for emea-partners, 2026-09." in written
    assert "against last quarter and the 3-quarter trend" in written
    prep = run_cli("prep", "--team", "dach-partners", "--period", "2026-08", "--facilitator",
                   "Lena Fischer", "--root", str(root))
    assert prep.exit_code != 0 and "use --period 2026-09" in prep.output, prep.output
    prep = run_cli("prep", "--team", "dach-partners", "--period", "2026-09", "--facilitator",
                   "Lena Fischer", "--root", str(root))
    assert prep.exit_code == 0, prep.output
    draft = (root / "retros" / "2026-09-dach-partners.md").read_text(encoding="utf-8")
    assert 'title: "DACH Partners retro — Q3 2026"' in draft
    assert "# DACH Partners retro — Q3 2026" in draft
    # The agenda: June's 20 days against March's 15, the quarter before, not "(March 2026)"
    # as if months had been skipped.
    assert "| Q2 2026 | Quarter before | 3-quarter mean |" in draft, draft
    assert "| Deal-registration approval time | all | 20 days | 15 days |" in draft, draft


def test_what_followed_a_fix_names_its_quarters_and_its_partner_tiers(tmp_path: Path) -> None:
    """DACH grows its partner pipeline in November 2025: one fix aimed at the whole pipeline,
    one at gold partners. The record page said "followed by: moved the right way,
    Partner-sourced pipeline €150,000 → €250,000", with neither the quarters compared nor
    that it was both tiers pooled. Now the line names both, and "Did our fixes work?" has a
    Segment column."""
    quarters = ["2025-03", "2025-06", "2025-09", "2025-12", "2026-03", "2026-06", "2026-09"]
    gold = {"2025-12": 180000, "2026-03": 200000, "2026-06": 200000, "2026-09": 200000}
    files: dict[str, str] = {}
    for month in quarters:
        extra = {"2025-09": "actions:\n"
                            "  - {id: DAP-1, title: Co-sell with every partner, owner: Jürgen "
                            "Müller, due: 2025-12-15, indicator: partner-pipeline}\n"
                            "  - {id: DAP-2, title: Gold partner days, owner: Jürgen Müller, "
                            "due: 2025-12-15, indicator: partner-pipeline, segment: gold}\n",
                 "2025-12": "action_updates:\n"
                            "  - {id: DAP-1, status: done, done_on: 2025-11-14}\n"
                            "  - {id: DAP-2, status: done, done_on: 2025-11-20}\n"}.get(month, "")
        files[f"retros/{month}-dach-partners.md"] = retro(
            "dach-partners", month,
            f"  partner-pipeline: {{gold: {gold.get(month, 100000)}, silver: 50000}}\n", extra)
    root = kb(tmp_path, files)
    site = pages(root, dt.date(2026, 10, 20))
    record = site["records/2025-09-dach-partners.md"]
    assert ("followed by: moved the right way, Partner-sourced pipeline, all partner tiers: "
            "€150,000 (Q1–Q3 2025) → €250,000 (Q1–Q3 2026)</a>") in record, record
    assert ("followed by: moved the right way, Partner-sourced pipeline, gold: €100,000 "
            "(Q1–Q3 2025) → €200,000 (Q1–Q3 2026)</a>") in record, record
    effects = site["actions/effectiveness.md"]
    assert "<th>Indicator</th><th>Segment</th><th>Team</th>" in effects
    segments = {row.split("</code>", 1)[0].rsplit(">", 1)[1]:
                row.split('Segment: </span>', 1)[1].split("</td>", 1)[0]
                for row in effects.splitlines() if 'class="hs-stack__lead"' in row}
    assert segments == {"DAP-1": "all partner tiers", "DAP-2": "gold"}, segments


def test_readings_tables_say_quarters_of_a_quarterly_team(tmp_path: Path) -> None:
    """DACH meets quarterly, EMEA monthly. A quarterly team's readings tables said "Month",
    "vs 3-month mean" and "2026-06", its team page and the indicators list "vs March 2026" of
    a reading compared with the quarter before, and the retros list was "Monthly retros"."""
    quarters = ["2024-06", "2024-09", "2024-12", "2025-03", "2025-06", "2025-09", "2025-12",
                "2026-03", "2026-06"]
    files = {f"retros/{month}-dach-partners.md": retro(
        "dach-partners", month,
        f"  partner-pipeline: {{gold: {200000 + n * 5000}, silver: 90000}}\n"
        f"  dealreg-days: {8 + n % 3}\n") for n, month in enumerate(quarters)}
    for month, wait in (("2026-04", 9), ("2026-05", 11), ("2026-06", 10)):
        files[f"retros/{month}-emea-partners.md"] = retro(
            "emea-partners", month, f"  dealreg-days: {wait}\n")
    taxonomy = TAXONOMY.replace("    name: EMEA Partners\n    retros: quarterly\n",
                                "    name: EMEA Partners\n    retros: monthly\n")
    site = pages(kb(tmp_path, files, taxonomy), dt.date(2026, 7, 20))
    # 27 readings of the pipeline (two tiers and their sum a quarter): a page of their own.
    own = site["indicators/partner-pipeline/dach-partners.md"]
    assert ('<th class="hs-date">Quarter</th><th>Segment</th><th class="hs-num">Value</th>'
            '<th class="hs-num">vs prior</th><th class="hs-num">vs 3-quarter mean</th>') \
        in own, own
    assert '<th scope="row" class="hs-date">Q2 2026</th><td>all</td>' in own
    assert "Month<" not in own and "3-month" not in own and ">2026-06<" not in own
    dealreg = site["indicators/dealreg-days.md"]
    dach, emea = (dealreg.split(f"## {name} {{ #{team} }}", 1)[1].split("\n## ", 1)[0]
                  for name, team in (("DACH Partners", "dach-partners"),
                                     ("EMEA Partners", "emea-partners")))
    assert "<th class=\"hs-date\">Quarter</th>" in dach and "vs 3-quarter mean" in dach, dach
    assert "<th class=\"hs-date\">Month</th>" in emea and "vs 3-month mean" in emea, emea
    assert '<th scope="row" class="hs-date">2026-06</th>' in emea
    team = site["teams/dach-partners.md"]
    assert '<span class="hs-date">Q2 2026</span>' in team and "vs March 2026" not in team, team
    # Every team's latest reading in one table: the column says both.
    listing = site["indicators/index.md"]
    assert "<th>vs 3-period mean</th>" in listing and "3-month mean</th>" not in listing
    rows = {row.split("Team: </span>", 1)[1].split("<", 1)[0]: row
            for row in listing.splitlines() if "Deal-registration approval time</a></th><td>"
            in row and "Team: </span>" in row}
    assert "Q2 2026" in rows["DACH Partners"] and "vs March" not in rows["DACH Partners"]
    assert '<span class="hs-date">2026-06</span>' in rows["EMEA Partners"], rows
    assert "A team that meets quarterly reviews them every quarter instead" in listing
    retros = site["retros/index.md"]
    assert "title: Retros\n" in retros and "\n# Retros\n" in retros, retros
    assert "Every team's retro, newest first: monthly, or quarterly for a team that meets " \
        "quarterly." in retros


def test_the_retros_list_of_quarterly_teams_says_quarterly(tmp_path: Path) -> None:
    """Every team meets quarterly: the list was headed "Monthly retros", "Every team's
    monthly retro ... against the prior month and the 3-month trend"."""
    site = pages(kb(tmp_path, records()), dt.date(2026, 7, 20))
    retros = site["retros/index.md"]
    assert "title: Quarterly retros\n" in retros and "\n# Quarterly retros\n" in retros, retros
    assert ("Every team's quarterly retro, newest first. Each reviews the leading indicators "
            "against the\nprior quarter and the 3-quarter trend") in retros
    assert "month" not in retros.lower(), retros
    listing = site["indicators/index.md"]
    assert "<th>vs 3-quarter mean</th>" in listing and "vs 3-quarter mean: </span>" in listing


def test_a_quarterly_teams_chart_says_quarters(tmp_path: Path) -> None:
    """DACH's approval time took 15 and 20 days: its chart said "rose two readings running to
    June 2026", "by month ... months apart" and "Dots: the monthly values" (then "Dots: the
    quarterly values", drawn unjoined; now a line, `test_a_quarterly_chart_joins_its_quarters`)."""
    site = pages(kb(tmp_path, records({"2026-03": 15, "2026-06": 20})), dt.date(2026, 7, 20))
    page = site["indicators/dealreg-days.md"]
    dach = page.split("## DACH Partners { #dach-partners }", 1)[1].split("\n## ", 1)[0]
    assert ('<figcaption class="hs-takeaway">Deal-registration approval time for DACH Partners '
            "rose two quarters running to Q2 2026, 8 days → 20 days — worse.</figcaption>"
            in dach), dach
    assert ("Line chart of Deal-registration approval time by quarter for DACH Partners, "
            "Q2 2025 to Q2 2026: the overall line with its dashed trailing 3-quarter mean."
            in dach), dach
    assert ('<p class="hs-chart-note">Thick line: the quarterly value, with its trailing '
            "3-quarter mean dashed.</p>") in dach, dach
    assert "month" not in dach.lower() and "June 2026" not in dach, dach
    emea = page.split("## EMEA Partners { #emea-partners }", 1)[1]
    assert "held at 9 days for five quarters, Q2 2025 to Q2 2026." in emea, emea


def test_a_quarterly_chart_across_a_missing_quarter(tmp_path: Path) -> None:
    """A team of one share indicator that skipped 2025-Q4: the run across the gap is of
    readings, named by their quarters; a lone reading is its quarter's."""
    files = {f"retros/{month}-emea-partners.md": retro(
        "emea-partners", month, f"  partner-share: {share}\n")
        for month, share in (("2025-06", "0.20"), ("2025-09", "0.24"), ("2026-03", "0.28"))}
    files["retros/2026-03-dach-partners.md"] = retro("dach-partners", "2026-03",
                                                     "  partner-share: 0.41\n")
    site = pages(kb(tmp_path, files), dt.date(2026, 4, 20))
    page = site["indicators/partner-share.md"]
    assert ("Partner-sourced share of pipeline for EMEA Partners rose two readings running to "
            "Q1 2026, 20.0% → 28.0% — better." in page), page
    assert ("Partner-sourced share of pipeline for DACH Partners was 41.0% in Q1 2026, its "
            "only reading so far." in page), page
    assert "Dot: the quarterly value." in page and "March 2026" not in page


def test_prep_of_a_quarterly_team_says_quarters(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Prep's draft for a team that meets quarterly said "Add the month's leading-indicator
    readings", "these moved the wrong way in 2026-06" and, for a team in its second quarter,
    "no 3-month trend ... fewer than two months of readings"; new retro's body "the story of
    the month"."""
    root = kb(tmp_path, records({"2026-03": 15, "2026-06": 20}))
    monkeypatch.setenv("HINDSIGHT_AS_OF", "2026-10-09")
    prep = run_cli("prep", "--team", "dach-partners", "--period", "2026-09", "--facilitator",
                   "Lena Fischer", "--root", str(root))
    assert prep.exit_code == 0, prep.output
    draft = (root / "retros" / "2026-09-dach-partners.md").read_text(encoding="utf-8")
    assert ("# Add the quarter's leading-indicator readings, one per line. The examples are the "
            "team's\n# latest readings, of Q2 2026: write Q3 2026's in their place. E.g.") \
        in draft, draft
    assert ("No readings were given for Q3 2026; these moved the wrong way in Q2 2026, the\n"
            "team's latest retro.") in draft, draft
    assert "month" not in draft.split("## Causes cited", 1)[0].lower(), draft
    new = run_cli("new", "retro", "--team", "emea-partners", "--facilitator", "Lena Fischer",
                  "--root", str(root))
    assert new.exit_code == 0, new.output
    written = (root / "retros" / "2026-09-emea-partners.md").read_text(encoding="utf-8")
    assert "Write the story of the quarter here:" in written, written


def test_prep_of_a_quarterly_team_in_its_second_quarter(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A new team of one indicator, two quarters in: its approval time rose from 8 to 12 days;
    then, one quarter in at 12 days, an export of its second quarter says 16."""
    files = {f"retros/{month}-dach-partners.md": retro("dach-partners", month,
                                                       f"  dealreg-days: {wait}\n")
             for month, wait in (("2025-12", 8), ("2026-03", 12))}
    root = kb(tmp_path, files)
    monkeypatch.setenv("HINDSIGHT_AS_OF", "2026-07-06")
    prep = run_cli("prep", "--team", "dach-partners", "--period", "2026-06", "--facilitator",
                   "Lena Fischer", "--root", str(root))
    assert prep.exit_code == 0, prep.output
    path = root / "retros" / "2026-06-dach-partners.md"
    draft = path.read_text(encoding="utf-8")
    assert ("These have no 3-quarter trend to be judged against yet (fewer than two quarters of "
            "readings\nbefore Q1 2026 since the team began") in draft, draft
    assert "| Deal-registration approval time | all | 12 days | 8 days (Q4 2025) | +4 days |" in draft
    path.unlink()
    # Its first quarter left out: the export's quarter is its second.
    (root / "retros" / "2025-12-dach-partners.md").unlink()
    (tmp_path / "q3.csv").write_text("Indicator;Segment;Wert\ndealreg-days;;16\n",
                                     encoding="utf-8")
    prep = run_cli("prep", "--team", "dach-partners", "--period", "2026-06", "--facilitator",
                   "Lena Fischer", "--metrics", str(tmp_path / "q3.csv"), "--root", str(root))
    assert prep.exit_code == 0, prep.output
    draft = path.read_text(encoding="utf-8")
    assert "(fewer than two quarters of readings\nbefore this quarter since" in draft, draft
    assert "| Deal-registration approval time | all | 16 days | 12 days (Q1 2026) | +4 days |" in draft
    assert "month" not in draft.split("## Causes cited", 1)[0].lower(), draft


def test_a_quarters_wrong_way_reading_stays_until_the_next_is_due(tmp_path: Path) -> None:
    """DACH (quarterly) took 20 days to approve in Q2 2026; EMEA (monthly) went the wrong way
    in June too. In October the home page dropped DACH's row with EMEA's, three months on,
    though DACH's next retro (2026-Q3's) is due only by 1 December; now it stays until then."""
    files = {path: text for path, text in records({"2026-03": 15, "2026-06": 20}).items()
             if "dach" in path}
    for month, wait in (("2026-03", 9), ("2026-04", 9), ("2026-05", 9), ("2026-06", 14)):
        files[f"retros/{month}-emea-partners.md"] = retro(
            "emea-partners", month, f"  dealreg-days: {wait}\n")
    taxonomy = TAXONOMY.replace("    name: EMEA Partners\n    retros: quarterly\n",
                                "    name: EMEA Partners\n    retros: monthly\n")
    root = kb(tmp_path, files, taxonomy)

    def wrong_way(day: dt.date) -> str:
        home = pages(root, day)["index.md"]
        return home.split("## Moved the wrong way", 1)[1].split("\n## ", 1)[0] \
            if "## Moved the wrong way" in home else ""

    september = wrong_way(dt.date(2026, 9, 20))
    assert "DACH Partners" in september and "EMEA Partners" in september, september
    october = wrong_way(dt.date(2026, 10, 20))
    assert october.startswith(" in Q2 2026 {"), october
    assert "DACH Partners" in october and "EMEA Partners" not in october, october
    assert "DACH Partners" in wrong_way(dt.date(2026, 12, 1))
    assert "DACH Partners" not in wrong_way(dt.date(2026, 12, 2))


def _dir(path: Path) -> Path:
    """``path``, made."""
    path.mkdir(parents=True)
    return path


def _switched(taxonomy_lines: str, extra: dict[str, str] | None = None) -> tuple[dict[str, str], str]:
    """DACH held monthly retros from January 2025 to June 2026, then one a quarter from
    2026-Q3; ``taxonomy_lines`` are added under its ``retros: quarterly``."""
    months = [f"{year}-{month:02d}" for year in (2025, 2026) for month in range(1, 13)][:18]
    files = {f"retros/{month}-dach-partners.md": retro(
        "dach-partners", month, f"  dealreg-days: {8 + n % 3}\n") for n, month in enumerate(months)}
    for month, wait in (("2026-09", 20), ("2026-12", 22), ("2027-03", 30)):
        files[f"retros/{month}-dach-partners.md"] = retro("dach-partners", month,
                                                          f"  dealreg-days: {wait}\n")
    files.update(extra or {})
    taxonomy = TAXONOMY.replace("    name: DACH Partners\n    retros: quarterly\n",
                                "    name: DACH Partners\n    retros: quarterly\n"
                                + taxonomy_lines)
    return files, taxonomy


def test_a_team_that_switched_to_quarterly_says_from_when(tmp_path: Path) -> None:
    """Setting retros: quarterly for DACH, which held eighteen monthly retros first, made
    twelve of them errors; quarterly_from: 2026-Q3 keeps them monthly retros."""
    day = dt.date(2027, 4, 20)
    files, taxonomy = _switched("")
    found = messages(kb(_dir(tmp_path / "without"), files, taxonomy), day)
    assert len([m for m in found if "holds its retros quarterly" in m]) == 12, found
    assert ("retros/2026-05-dach-partners.md:3:9  period  is 2026-05, but dach-partners holds "
            "its retros quarterly (retros: quarterly in taxonomy.yml): a retro's period is its "
            "quarter's last month (correct period: to 2026-06, the last month of 2026-Q2; or, "
            "if dach-partners still met monthly then, set quarterly_from: for it in "
            "taxonomy.yml to the first quarter it met quarterly, 2026-Q3 or later)") in found
    files, taxonomy = _switched("    quarterly_from: 2026-Q3\n")
    root = kb(_dir(tmp_path / "with"), files, taxonomy)
    assert messages(root, day) == []
    site = pages(root, day)
    may = site["records/2026-05-dach-partners.md"]
    assert "# DACH Partners retro — May 2026\n" in may and "**Monthly retro** ·" in may, may
    september = site["records/2026-09-dach-partners.md"]
    assert "# DACH Partners retro — Q3 2026\n" in september
    assert "**Quarterly retro** ·" in september
    page = site["indicators/dealreg-days.md"]
    assert ('<th class="hs-date">Period</th><th>Segment</th><th class="hs-num">Value</th>'
            '<th class="hs-num">vs prior</th><th class="hs-num">vs 3-period mean</th>') in page
    # Its first quarter starts a series of its own: 20 days is not a move from June's 10.
    assert ('<tr><th scope="row" class="hs-date">Q3 2026</th><td>all</td><td class="hs-num">'
            '<a href="../../records/2026-09-dach-partners/#indicators">20 days</a></td>'
            '<td class="hs-num">–</td><td class="hs-num">–</td><td>new</td></tr>') in page, page
    assert '<tr><th scope="row" class="hs-date">2026-06</th><td>all</td>' in page
    assert ("Deal-registration approval time for DACH Partners rose two quarters running to "
            "Q1 2027, 20 days → 30 days — worse.") in page
    home = site["index.md"]
    assert "[18](retros/index.md) monthly retros" in home, home
    assert "[3](retros/index.md) quarterly retros" in home
    assert "<th>vs 3-quarter mean</th>" in home
    retros = site["retros/index.md"]
    assert "<th>Period</th>" in retros and '<th scope="row">May 2026</th>' in retros
    assert '<th scope="row">Q3 2026</th>' in retros, retros
    # A monthly retro after the switch is the error, and names both fixes.
    files, taxonomy = _switched("    quarterly_from: 2026-Q3\n", {
        "retros/2026-08-dach-partners.md": retro("dach-partners", "2026-08",
                                                 "  dealreg-days: 12\n")})
    later = kb(_dir(tmp_path / "later"), files, taxonomy)
    assert ("retros/2026-08-dach-partners.md:3:9  period  is 2026-08, but dach-partners holds "
            "its retros quarterly from 2026-Q3 (retros: quarterly, quarterly_from: 2026-Q3 in "
            "taxonomy.yml): a retro's period is its quarter's last month (correct period: to "
            "2026-09, the last month of 2026-Q3; or, if dach-partners still met monthly then, "
            "set quarterly_from: for it in taxonomy.yml to the first quarter it met quarterly, "
            "2026-Q4 or later)") in messages(later, day)
    # Its first quarter's retro is missed after its last monthly one, as after a quarter's.
    files, taxonomy = _switched("    quarterly_from: 2026-Q3\n")
    del files["retros/2026-09-dach-partners.md"]
    assert ("retros/2026-12-dach-partners.md:3:9  period  warning: dach-partners has no retro "
            "for 2026-Q3 (between 2026-Q2 and 2026-Q4) (hold the retro every quarter, or add "
            "the missing record retros/2026-09-dach-partners.md)") in messages(
                kb(_dir(tmp_path / "missed"), files, taxonomy), day)
    # Its first quarter's draft: the agenda is June's, its last monthly retro, in months.
    (root / "retros" / "2026-09-dach-partners.md").unlink()
    draft = run_cli("prep", "--team", "dach-partners", "--period", "2026-09", "--as-of",
                    "2026-10-09", "--facilitator", "Lena Fischer", "--root", str(root))
    assert draft.exit_code == 0, draft.output
    text = (root / "retros" / "2026-09-dach-partners.md").read_text(encoding="utf-8")
    assert 'title: "DACH Partners retro — Q3 2026"' in text
    assert ("No readings were given for Q3 2026; these moved the wrong way in June 2026, the\n"
            "team's latest retro. For this quarter's agenda") in text, text
    assert ("| Indicator | Segment | June 2026 | Month before | 3-month mean | vs month before "
            "| vs 3-month mean |") in text, text
    refused = run_cli("prep", "--team", "dach-partners", "--period", "2026-08",
                      "--facilitator", "Lena Fischer", "--root", str(root))
    assert refused.exit_code != 0 and "Traceback" not in refused.output
    assert ("dach-partners holds its retros quarterly from 2026-Q3 (retros: quarterly, "
            "quarterly_from: 2026-Q3 in taxonomy.yml), and a retro's period is its quarter's "
            "last month: use --period 2026-09") in refused.output, refused.output


def test_quarterly_from_is_checked_and_documented(tmp_path: Path) -> None:
    files, taxonomy = _switched("    quarterly_from: 2026-07\n")
    result = run_cli("validate", "--root", str(kb(_dir(tmp_path / "month"), files, taxonomy)))
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert ("taxonomy.yml:33:21  teams[1].quarterly_from  must be a quarter like 2026-Q2 (got "
            '"2026-07") (write YYYY-Qn)') in result.output, result.output
    files, taxonomy = _switched("")
    taxonomy = taxonomy.replace("    name: DACH Partners\n    retros: quarterly\n",
                                "    name: DACH Partners\n    retros: monthly\n"
                                "    quarterly_from: 2026-Q3\n")
    result = run_cli("validate", "--root", str(kb(_dir(tmp_path / "monthly"), files, taxonomy)))
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert ("taxonomy.yml:33:21  teams[1].quarterly_from  says dach-partners meets quarterly "
            "from 2026-Q3, but its retros: is monthly (add retros: quarterly beside it for a "
            "team that met monthly until then, or delete quarterly_from:)") in result.output
    schema = json.loads(run_cli("schema", "--taxonomy").output)
    described = json.dumps(schema)
    assert "the first quarter the team met quarterly" in described


def test_new_retro_says_its_period_is_the_quarter(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """`new retro` wrote "period: 2026-09  # The month reviewed" for EMEA, which meets
    quarterly: 2026-09 stands for Q3 2026. A monthly team's draft keeps the month; a team that
    switched says months before its quarterly_from and the quarter after."""
    root = kb(tmp_path, records())
    monkeypatch.setenv("HINDSIGHT_AS_OF", "2026-10-09")
    result = run_cli("new", "retro", "--team", "emea-partners", "--facilitator", "Lena Fischer",
                     "--root", str(root))
    assert result.exit_code == 0, result.output
    written = (root / "retros" / "2026-09-emea-partners.md").read_text(encoding="utf-8")
    assert ("period: 2026-09  # The quarter reviewed, 2026-Q3, dated its last month "
            "(YYYY-MM).\n") in written, written
    assert "month reviewed" not in written.lower()
    files, taxonomy = _switched("    quarterly_from: 2026-Q3\n")
    switched = kb(_dir(tmp_path / "switched"), {
        path: text for path, text in files.items() if path < "retros/2026-05"}, taxonomy)
    result = run_cli("new", "retro", "--team", "dach-partners", "--period", "2026-05",
                     "--facilitator", "Lena Fischer", "--root", str(switched))
    assert result.exit_code == 0, result.output
    may = (switched / "retros" / "2026-05-dach-partners.md").read_text(encoding="utf-8")
    assert "period: 2026-05  # The month reviewed, YYYY-MM.\n" in may, may


def test_a_quarterly_retro_held_in_its_quarter_is_early_not_before_it(tmp_path: Path) -> None:
    """EMEA's retro of Q3 2026, dated 2026-09, held on 2026-08-28 (a mid-quarter meeting):
    validation called it an error, "is before the month it reviews (2026-09) began", and prep
    and new retro refused --held 2026-08-28 alike. The quarter began 2026-07-01: the retro is
    held early (a warning), and only a day before July is the error."""
    files = records()
    files["retros/2026-09-emea-partners.md"] = retro(
        "emea-partners", "2026-09", "  partner-share: 0.36\n").replace(
            "held: 2026-10-08", "held: 2026-08-28")
    files["retros/2026-09-dach-partners.md"] = retro(
        "dach-partners", "2026-09", "  partner-share: 0.36\n").replace(
            "held: 2026-10-08", "held: 2026-06-30")
    found = messages(kb(tmp_path, files), dt.date(2026, 10, 20))
    held = [m for m in found if "  held  " in m]
    assert held == [
        "retros/2026-09-dach-partners.md:5:7  held  is before the quarter it reviews (Q3 2026, "
        "dated 2026-09) began (2026-07-01) (check the held date and the period)",
        "retros/2026-09-emea-partners.md:5:7  held  warning: 2026-08-28 is before the quarter "
        "it reviews (Q3 2026, dated 2026-09) ended (2026-09-30) (check the held date and the "
        "period; a retro held before its quarter is over reviews only part of it)"], found
    root = kb(_dir(tmp_path / "drafts"), records())
    for command in ("new", "prep"):
        args = (["new", "retro"] if command == "new" else ["prep"]) + [
            "--team", "dach-partners", "--period", "2026-09", "--facilitator", "Lena Fischer",
            "--root", str(root), "--held"]
        early = run_cli(*args, "2026-08-28")
        assert early.exit_code == 0, early.output
        assert ("note: held: 2026-08-28 is before the quarter it reviews (Q3 2026, dated "
                "2026-09) ends (2026-09-30)") in early.output, early.output
        (root / "retros" / "2026-09-dach-partners.md").unlink()
        refused = run_cli(*args, "2026-06-30")
        assert refused.exit_code != 0 and "Traceback" not in refused.output
        assert ("--held 2026-06-30 is before the quarter it reviews (Q3 2026, dated 2026-09) "
                "began (2026-07-01); a record looks back on it") in refused.output, refused.output


EMPHASIS, SEGMENT, INK = "#2f8fd8", "#b87700", "#5f6672"
"""The overall line's, a segment's and the trailing mean's (dashed) colours in a chart."""


def svg_lines(svg: str, colour: str, dashed: bool = False) -> list[list[list[float]]]:
    """Each unfilled path of ``colour`` (``dashed`` or not) in ``svg``: its pieces (a line
    breaks at a new ``M``), each the x of its points, in order."""
    found = []
    for path in re.finditer(r'<path d="(M[^"]*)"[^>]*style="([^"]*)"', svg):
        style = path.group(2)
        if f"stroke: {colour}" not in style or "fill: none" not in style \
                or ("dasharray" in style) != dashed:
            continue
        found.append([[float(point.split()[0]) for point in piece.split("L")]
                      for piece in path.group(1).split("M")[1:]])
    return found


def svg_ticks(svg: str) -> list[str]:
    """Every text of ``svg`` (tick labels, titles)."""
    return re.findall(r">([^<]+)</text>", svg)


def charts(root: Path, as_of: dt.date) -> dict[str, str]:
    """The site's chart SVGs as of ``as_of``, by path."""
    files = build(root, as_of, RenderOptions()).files
    return {path: content.decode() for path, content in files.items() if path.endswith(".svg")}


def test_a_quarterly_chart_joins_its_quarters(tmp_path: Path) -> None:
    """DACH's quarters were drawn on a month axis as five dots three months apart, never
    joined, with no trailing mean (each mean alone a dot of nothing) and ticks 2025-06,
    2025-09...: now one line through its quarters, its 3-quarter mean dashed from its third,
    ticks by quarter; each partner tier's panel a line too. Drawn twice, the same bytes."""
    root = kb(tmp_path, records({"2026-03": 15, "2026-06": 20}))
    drawn = charts(root, dt.date(2026, 7, 20))
    svg = drawn["charts/indicators/dealreg-days/dach-partners.svg"]
    overall = svg_lines(svg, EMPHASIS)
    assert [len(piece) for line in overall for piece in line] == [5], overall
    mean = svg_lines(svg, INK, dashed=True)
    assert [len(piece) for line in mean for piece in line] == [3], mean
    # The mean begins at the third quarter, where the line's third point is.
    assert mean[0][0][0] == overall[0][0][2]
    ticks = svg_ticks(svg)
    assert [t for t in ticks if "Q" in t] == ["Q2 2025", "Q4 2025", "Q2 2026"], ticks
    assert not [t for t in ticks if re.fullmatch(r"\d{4}-\d{2}", t)], ticks
    pipeline = drawn["charts/indicators/partner-pipeline/emea-partners.svg"]
    tiers = svg_lines(pipeline, SEGMENT)
    assert [[len(piece) for piece in line] for line in tiers] == [[5], [5]], tiers
    again = charts(kb(_dir(tmp_path / "again"), records({"2026-03": 15, "2026-06": 20})),
                   dt.date(2026, 7, 20))
    assert again == drawn


def test_a_missing_quarter_breaks_the_line(tmp_path: Path) -> None:
    """EMEA's share of Q2 and Q3 2025 is joined; Q1 2026, after 2025-Q4 was skipped, stands
    alone (on a month axis, 2025-09 to 2026-03 is six months: one missing quarter)."""
    files = {f"retros/{month}-emea-partners.md": retro(
        "emea-partners", month, f"  partner-share: {share}\n")
        for month, share in (("2025-06", "0.20"), ("2025-09", "0.24"), ("2025-12", "0.25"),
                             ("2026-06", "0.28"), ("2026-09", "0.30"))}
    svg = charts(kb(tmp_path, files), dt.date(2026, 10, 20))[
        "charts/indicators/partner-share/emea-partners.svg"]
    overall = svg_lines(svg, EMPHASIS)
    assert [len(piece) for line in overall for piece in line] == [3, 2], overall
    # Its trailing mean breaks where the line does: Q4 2025's alone (no line), then Q2 and
    # Q3 2026's joined.
    mean = svg_lines(svg, INK, dashed=True)
    assert [len(piece) for line in mean for piece in line] == [1, 2], mean


def test_a_switched_teams_months_and_quarters_are_not_joined(tmp_path: Path) -> None:
    """DACH held monthly retros to June 2026, then one a quarter from 2026-Q3: its June (10
    days) and its Q3 (20 days) are two series, not a month's rise; the text says which is
    which and calls its months' mean a 3-month one."""
    files, taxonomy = _switched("    quarterly_from: 2026-Q3\n")
    root = kb(tmp_path, files, taxonomy)
    day = dt.date(2027, 4, 20)
    svg = charts(root, day)["charts/indicators/dealreg-days/dach-partners.svg"]
    overall = svg_lines(svg, EMPHASIS)
    assert [len(piece) for line in overall for piece in line] == [18, 3], overall
    ticks = svg_ticks(svg)
    assert "2025-01" in ticks and "Q3 2026" in ticks, ticks
    page = pages(root, day)["indicators/dealreg-days.md"]
    assert ("Line chart of Deal-registration approval time by month, then from Q3 2026 by "
            "quarter, for DACH Partners, 2025-01 to Q1 2027: the overall line with its dashed "
            "trailing 3-month mean, broken where its quarters begin (Q3 2026): its monthly "
            "readings and its quarterly ones are not joined.") in page, page
    assert "3-quarter mean dashed" not in page and "trailing 3-quarter mean" not in page
    assert ('<p class="hs-chart-note">Thick line: the monthly values, then from Q3 2026 the '
            "quarterly ones, not joined, with its trailing 3-month mean dashed.</p>") in page


def test_a_team_retired_within_a_quarter_holds_that_quarters_retro(tmp_path: Path) -> None:
    """EMEA was retired after August 2026, two months into Q3: new retro and prep refused
    its retro of Q3 (dated September) as one "for 2026-09" after its end, and validation
    warned of it alike, though the team worked July and August of the quarter it reviews.
    Its retro of Q3 is now its last; Q4's is refused and warned of, as is DACH's of Q3 (retired
    after June, before the quarter began)."""
    taxonomy = TAXONOMY.replace("    name: EMEA Partners\n", "    name: EMEA Partners\n"
                                "    retired: 2026-08\n").replace(
        "    name: DACH Partners\n", "    name: DACH Partners\n    retired: 2026-06\n")
    root = kb(tmp_path, records(), taxonomy)
    common = ["--facilitator", "Lena Fischer", "--root", str(root)]
    prep = run_cli("prep", "--team", "emea-partners", "--period", "2026-09", "--as-of",
                   "2026-10-06", *common)
    assert prep.exit_code == 0 and "retired after" not in prep.output, prep.output
    (root / "retros" / "2026-09-emea-partners.md").unlink()  # the agenda's draft
    result = run_cli("new", "retro", "--team", "emea-partners", "--period", "2026-09",
                     "--held", "2026-10-06", *common)
    assert result.exit_code == 0, result.output
    assert (root / "retros" / "2026-09-emea-partners.md").is_file()
    for team, period, quarter in (("emea-partners", "2026-12", "2026-Q4"),
                                  ("dach-partners", "2026-09", "2026-Q3")):
        refused = run_cli("new", "retro", "--team", team, "--period", period, "--held",
                          "2027-01-08", *common)
        assert refused.exit_code == 2 and "Traceback" not in refused.output, refused.output
        assert (f"so it holds no retro or review for {quarter} (--period {period})"
                in refused.output), refused.output
    # The retro of Q3 as written, with its readings: no warning that it comes after the end.
    files = records()
    files["retros/2026-09-emea-partners.md"] = retro(
        "emea-partners", "2026-09", "  partner-share: 0.36\n  dealreg-days: 7\n")
    files["retros/2026-12-emea-partners.md"] = retro("emea-partners", "2026-12",
                                                     "  dealreg-days: 6\n")
    (tmp_path / "written").mkdir()
    found = messages(kb(tmp_path / "written", files, taxonomy), dt.date(2027, 1, 20))
    retired = [m for m in found if "retired after" in m]
    assert retired == [
        "retros/2026-12-emea-partners.md:3:9  period  warning: is a retro of emea-partners for "
        "2026-Q4, but taxonomy.yml says the team was retired after August 2026 (file it under "
        "the team that took its work over, or correct retired: of emea-partners in "
        "taxonomy.yml)"], found


def test_the_readings_export_says_a_quarterly_reading_covers_its_quarter(tmp_path: Path) -> None:
    """data/readings.csv gave DACH's Q3 2026 reading as period 2026-09, the same as EMEA's
    September reading, with nothing saying it covers three months: summed or charted with
    monthly rows it read as September's. `covers` says `quarter` and `period_label` names it as
    the pages do (`Q3 2026`); `period` stays the quarter's last month, so `prep --metrics`
    reads the export back. A quarterly reading's prior is the quarter before's, never the
    last monthly retro's (a quarter is not compared with a month)."""
    taxonomy = (TAXONOMY.replace("    name: DACH Partners\n    retros: quarterly\n",
                                 "    name: DACH Partners\n    retros: quarterly\n"
                                 "    quarterly_from: 2026-Q3\n")
                .replace("    name: EMEA Partners\n    retros: quarterly\n",
                         "    name: EMEA Partners\n    retros: monthly\n"))
    share = {"2026-05": "0.30", "2026-06": "0.32", "2026-09": "0.36", "2026-12": "0.33",
             "2027-03": "0.40"}
    files = {f"retros/{month}-dach-partners.md": retro(
        "dach-partners", month, f"  partner-share: {value}\n"
        f"  partner-pipeline: {{gold: {400000 + n * 1000}, silver: 150000}}\n")
        for n, (month, value) in enumerate(share.items())}
    for month in ("2026-07", "2026-08", "2026-09"):
        files[f"retros/{month}-emea-partners.md"] = retro(
            "emea-partners", month, "  partner-share: 0.25\n")
    root = kb(tmp_path, files, taxonomy)
    day = dt.date(2027, 4, 20)
    assert messages(root, day) == []
    export = build(root, day, RenderOptions()).files["data/readings.csv"].decode()
    header, *lines = export.splitlines()
    assert header.endswith(",verdict,segment_label,covers,period_label"), header
    rows = {(row["team"], row["indicator"], row["segment"], row["period"]): row
            for row in csv.DictReader(io.StringIO(export))}

    def shown(team: str, period: str, indicator: str = "partner-share",
              segment: str = "all") -> tuple[str, ...]:
        row = rows[(team, indicator, segment, period)]
        return tuple(row[c] for c in ("value", "covers", "period_label", "prior_period",
                                      "prior", "trailing_mean", "vs_prior", "vs_trailing",
                                      "verdict"))

    # Monthly before quarterly_from: May then June, 0.30 → 0.32 (one month before: no mean).
    assert shown("dach-partners", "2026-05") == ("0.3", "month", "2026-05", "", "", "", "", "",
                                                 "new")
    assert shown("dach-partners", "2026-06") == ("0.32", "month", "2026-06", "2026-05", "0.3",
                                                 "", "0.02", "", "new")
    # Q3 2026 starts a series of its own: June's 0.32 is no prior of a quarter's 0.36.
    assert shown("dach-partners", "2026-09") == ("0.36", "quarter", "Q3 2026", "", "", "", "",
                                                 "", "new")
    assert shown("dach-partners", "2026-12") == ("0.33", "quarter", "Q4 2026", "2026-09",
                                                 "0.36", "", "-0.03", "", "new")
    # Q1 2027: prior Q4's 0.33; mean of Q3 and Q4, (0.36 + 0.33) / 2 = 0.345; both up.
    assert shown("dach-partners", "2027-03") == ("0.4", "quarter", "Q1 2027", "2026-12",
                                                 "0.33", "0.345", "0.07", "0.055", "improved")
    # A split indicator's quarter: its segments' rows and its overall sum (Q3's gold 402000
    # and silver 150000, 552000) each cover the quarter.
    assert shown("dach-partners", "2026-09", "partner-pipeline", "gold")[:3] == (
        "402000", "quarter", "Q3 2026")
    assert shown("dach-partners", "2026-09", "partner-pipeline")[:3] == (
        "552000", "quarter", "Q3 2026")
    # EMEA's September, dated as DACH's Q3 is, covers its month.
    assert shown("emea-partners", "2026-09") == ("0.25", "month", "2026-09", "2026-08", "0.25",
                                                 "0.25", "0", "0", "flat")
    assert len(lines) == len(rows)

    # The export read back: DACH's Q1 2027 retro removed, the whole export gives its readings.
    (root / "retros" / "2027-03-dach-partners.md").unlink()
    (tmp_path / "readings.csv").write_text(export, encoding="utf-8")
    result = run_cli("prep", "--team", "dach-partners", "--period", "2027-03", "--metrics",
                     str(tmp_path / "readings.csv"), "--facilitator", "Lena Fischer",
                     "--root", str(root), "--as-of", "2027-04-20")
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    draft = (root / "retros" / "2027-03-dach-partners.md").read_text(encoding="utf-8")
    assert re.search(r"^indicators:\n((?:  .*\n)+)", draft, re.M).group(1) == (  # type: ignore[union-attr]
        "  partner-pipeline:\n    gold: 404000\n    silver: 150000\n  partner-share: 0.4\n"), draft
    # The draft's prompts stand (warnings); its readings are valid.
    assert [m for m in messages(root, day) if "  warning: " not in m] == []
