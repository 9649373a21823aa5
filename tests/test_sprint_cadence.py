"""Teams that meet more often than monthly (an SDR team's sprint retro every two weeks) or at
no fixed interval (a field-marketing team's retro per campaign), beside a monthly team.
Hindsight reads retros month by month: what such a team is told to write, and how."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import make_kb, run_cli

TAXONOMY = """\
company: Quillfield
causes:
  - id: ae-calendar-full
    title: AE calendars full
    description: Meetings are booked into calendars with no open slots.
  - id: stale-sequence
    title: Stale outbound sequence
    description: The sequence has not changed since last quarter.
indicators:
  - id: meetings-booked
    label: Meetings booked
    unit: count
    better: up
  - id: connect-rate
    label: Connect rate
    unit: rate
    better: up
teams:
  - id: sdr
    name: SDR Team
    retros: monthly
  - id: field-marketing
    name: Field Marketing
  - id: sales
    name: Sales
    monthly_retros: true
plan_kinds:
  - id: campaign
    title: Campaigns
"""


def retro(team: str, month: str, held: str, readings: str, extra: str = "") -> str:
    """A retro of ``team`` for ``month`` held on ``held``."""
    return (f"---\ntype: retro\nperiod: {month}\nteam: {team}\nheld: {held}\n"
            "facilitator: Dana Cole\nformat: went-well-didnt\n"
            f"indicators:\n{readings}{extra}---\n\nThe sprint.\n")


def records() -> dict[str, str]:
    """Four months: the SDR team's retro of each month, field marketing's of two campaigns
    (June and September) and the sales team's monthly retros."""
    files: dict[str, str] = {}
    for n, month in enumerate(("2026-06", "2026-07", "2026-08", "2026-09")):
        held = f"2026-{int(month[5:]) + 1:02d}-01"
        files[f"retros/{month}-sdr.md"] = retro(
            "sdr", month, held, f"  meetings-booked: {40 + n}\n  connect-rate: \"{90 + n}/1000\"\n")
        files[f"retros/{month}-sales.md"] = retro("sales", month, held,
                                                   f"  meetings-booked: {30 + n}\n")
    for month in ("2026-06", "2026-09"):
        files[f"retros/{month}-field-marketing.md"] = retro(
            "field-marketing", month, f"2026-{int(month[5:]) + 1:02d}-02",
            "  connect-rate: \"12/80\"\n")
    return files


def kb(tmp_path: Path, files: dict[str, str], taxonomy: str = TAXONOMY) -> Path:
    """A knowledge base of ``files`` under ``taxonomy``."""
    (tmp_path / "sprint.yml").write_text(taxonomy, encoding="utf-8")
    return make_kb(tmp_path / "kb", files, taxonomy=tmp_path / "sprint.yml")


AS_OF = dt.date(2026, 10, 15)


def test_a_sprint_or_per_campaign_cadence_says_what_to_write(tmp_path: Path) -> None:
    # `retros: biweekly` and `retros: per-campaign` were refused with "use one of: monthly,
    # quarterly" alone: no word of leaving retros: out for a team with no fixed cadence, nor
    # of how a team meeting every two weeks keeps its retros.
    taxonomy = (TAXONOMY.replace("name: SDR Team\n    retros: monthly",
                                 "name: SDR Team\n    retros: biweekly")
                .replace("name: Field Marketing\n",
                         "name: Field Marketing\n    retros: per-campaign\n"))
    result = run_cli("validate", "--root", str(kb(tmp_path, records(), taxonomy)),
                     "--as-of", str(AS_OF))
    assert result.exit_code == 1 and "Traceback" not in result.output
    hint = ("(use monthly or quarterly; for a team with no fixed cadence (a retro per "
            "campaign, or as needed) leave retros: out: its retros are read month by month "
            "and no month is missing; a team that meets more often than monthly (every "
            "sprint) writes monthly and keeps one retro a month, each of its meetings in "
            "it, its readings the month's)")
    assert ("taxonomy.yml:21:13  teams[0].retros  must be one of monthly, quarterly "
            f"(got \"biweekly\") {hint}") in result.output, result.output
    assert ("taxonomy.yml:24:13  teams[1].retros  must be one of monthly, quarterly "
            f"(got \"per-campaign\") {hint}") in result.output, result.output


def test_a_cadence_in_other_case_is_still_corrected(tmp_path: Path) -> None:
    taxonomy = TAXONOMY.replace("retros: monthly", "retros: Monthly")
    result = run_cli("validate", "--root", str(kb(tmp_path, records(), taxonomy)),
                     "--as-of", str(AS_OF))
    assert "teams[0].retros  must be one of monthly, quarterly (got \"Monthly\") " \
           "(did you mean monthly?)" in result.output, result.output


def test_the_sprint_knowledge_base_validates(tmp_path: Path) -> None:
    # A per-campaign team with no retro in July and August is missing no month.
    result = run_cli("validate", "--root", str(kb(tmp_path, records())), "--as-of", str(AS_OF))
    assert result.exit_code == 0 and "0 errors, 0 warnings" in result.output, result.output
