"""The sample knowledge base changed as a team changes its own over the years: a segment added
to a derived indicator, retros filed under a name that is not their team's, a record renamed
while others still name it. Each is said where it is to be fixed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import copy_sample, make_kb, run_cli
from generator.records.spelling import did_you_mean_record, edit_distance, near_spelling

AS_OF = "2026-11-20"


def _validate(root: Path) -> tuple[str, int]:
    result = run_cli("validate", "--root", str(root), "--as-of", AS_OF)
    assert "Traceback" not in result.output
    return result.output, result.exit_code


def test_a_segment_added_to_a_derived_indicator_alone_is_an_error_at_the_taxonomy(
    tmp_path: Path,
) -> None:
    root = copy_sample(tmp_path / "kb")
    taxonomy = root / "taxonomy.yml"
    text = taxonomy.read_text()
    # win-rate (deals-won / deals-closed) is the first indicator split by segment, its
    # segments written as a mapping of ids to names.
    named = "segments: {smb: SMB, mid-market: Mid-market, enterprise: Enterprise"
    assert text.count(named) == 1
    taxonomy.write_text(text.replace(named, named + ", strategic: Strategic", 1))
    line, col = next((n, row.index("Strategic") + 1)
                     for n, row in enumerate(taxonomy.read_text().splitlines(), 1)
                     if "strategic" in row)
    # The first retro to give the new segment, as the taxonomy now asks of the win rate.
    retro = (root / "retros" / "2026-10-sales.md").read_text()
    assert "deals-won" not in retro
    (root / "retros" / "2026-10-sales.md").write_text(retro.replace(
        "  win-rate:\n    smb: \"34/96\"\n    mid-market: \"12/48\"\n    enterprise: \"3/11\"\n",
        "  deals-won: {smb: 34, mid-market: 12, enterprise: 3, strategic: 1}\n"
        "  deals-closed: {smb: 96, mid-market: 48, enterprise: 11, strategic: 2}\n"))
    output, code = _validate(root)
    assert code == 1
    assert (f"taxonomy.yml:{line}:{col}  indicators[1].segments.strategic  'strategic' is no "
            "segment of "
            "deals-won or deals-closed, which win-rate is computed from (add strategic to the "
            "segments of deals-won and deals-closed too") in output
    record = re.search(r"retros/2026-10-sales\.md:\d+:\d+  indicators\.deals-won\.strategic  "
                       r"unknown segment 'strategic' \((.*)\)", output)
    assert record is not None
    assert record.group(1) == ("known: enterprise, mid-market, smb. strategic is a segment of "
                               "win-rate, computed from deals-won: add it to the segments of "
                               "deals-won in taxonomy.yml")


def test_the_sample_grown_by_a_segment_everywhere_validates(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "kb")
    taxonomy = root / "taxonomy.yml"
    # Every indicator split by segment (the win rate and both counts it is computed from).
    taxonomy.write_text(taxonomy.read_text().replace(
        "segments: [smb, mid-market, enterprise]",
        "segments: [smb, mid-market, enterprise, strategic]"))
    output, code = _validate(root)
    assert code == 0, output
    assert "strategic" not in output


@pytest.mark.parametrize(("name", "team", "said"), [
    ("2025-07-sales-typo", "marketing", "is marketing, but the file name says sales, and sales "
     "already has a retro for 2025-07: retros/2025-07-sales.md (rename the file "
     "2025-07-marketing.md)"),
    ("2025-07-marketting", "marketing", "is marketing, but the file name says marketting, which "
     "is no team (rename the file 2025-07-marketing.md: a retro's file is named for its month "
     "and team)"),
])
def test_a_retro_filed_under_another_name_than_its_teams_is_warned(
    tmp_path: Path, name: str, team: str, said: str
) -> None:
    root = copy_sample(tmp_path / "kb")
    (root / "retros" / "2025-07-marketing.md").rename(root / "retros" / f"{name}.md")
    for path in root.rglob("*.md"):
        text = path.read_text()
        if "2025-07-marketing" in text:
            path.write_text(text.replace("2025-07-marketing", name))
    output, code = _validate(root)
    assert code == 0, output
    assert f"retros/{name}.md:4:7  team  warning: {said}" in output


def test_the_sample_is_named_for_its_teams(tmp_path: Path) -> None:
    output, code = _validate(copy_sample(tmp_path / "kb"))
    assert code == 0
    assert "file name" not in output


_TEAMS = """\
company: Northwind
causes:
  - id: icp-drift
    title: ICP drift
    description: Sales and marketing no longer agree on the ideal customer.
indicators:
  - id: meetings
    label: Meetings
    unit: count
    better: up
teams:
  - id: sales
    name: Sales
  - id: sales-ops
    name: Sales Ops
    aliases: [salesops]
  - id: ps
    name: Professional services
  - id: partners
    name: Partners
plan_kinds:
  - id: campaign
    title: Campaigns
"""

_RETRO = """\
---
type: retro
period: 2026-03
team: {team}
held: 2026-04-02
facilitator: Ines Duarte
participants: [Ines Duarte]
format: stop-start-continue
indicators: {{meetings: 12}}
start: [Weekly pipeline review]
---

Weekly pipeline review.
"""


@pytest.mark.parametrize(("name", "team", "warned"), [
    ("2026-03-sales-ops", "sales-ops", None),  # the longer of two teams whose ids overlap
    ("2026-03-salesops", "sales-ops", None),  # an alias
    ("2026-03-sales-ops-offsite", "sales-ops", None),
    ("2026-03-sales-emea", "sales", None),  # free past the team
    ("2026-03-partners-and-sales", "sales", None),  # names the record's team after another
    ("2026-03-ps", "ps", None),
    ("2026-03-ops", "ps", None),  # three letters: another word, not a slip of a team
    ("2026-03-kickoff", "partners", None),  # no team at all
    ("2026-03-sales-ops", "sales", "is sales, but the file name says sales-ops"),
    ("2026-03-sales-review", "sales-ops", "is sales-ops, but the file name says sales "),
    ("2026-03-salesops-review", "sales", "is sales, but the file name says salesops "),
    ("2026-03-partnres", "sales", "is sales, but the file name says partnres (correct team: to "
     "partners, or rename the file 2026-03-sales.md)"),
    ("2026-03-sles", "sales", "is sales, but the file name says sles, which is no team"),
])
def test_which_names_say_another_team(tmp_path: Path, name: str, team: str,
                                      warned: str | None) -> None:
    root = make_kb(tmp_path / "kb", {f"retros/{name}.md": _RETRO.format(team=team)})
    (root / "taxonomy.yml").write_text(_TEAMS)
    output, code = _validate(root)
    assert code == 0, output
    if warned is None:
        assert "warning:" not in output, output
    else:
        assert f"retros/{name}.md:4:7  team  warning: {warned}" in output


def test_spelling_slips_are_one_letter_or_two_in_a_long_name() -> None:
    assert edit_distance("marketting", "marketing") == 1
    assert edit_distance("salse", "sales") == 1
    assert edit_distance("sales", "sales") == 0
    assert near_spelling("marketting", ["marketing", "sales"]) == "marketing"
    assert near_spelling("makretting", ["marketing"]) == "marketing"
    assert near_spelling("mktg", ["marketing"]) is None
    assert near_spelling("cs", ["ps"]) is None
    assert near_spelling("sale", ["sales", "scale"]) is None  # two alike: no guess


def test_a_record_id_is_suggested_from_its_own_month_first() -> None:
    ids = {"2025-07-marketing", "2026-07-marketing", "2025-07-sales", "2024-07-apollo-launch",
           "2025-07-the-apollo-relaunch", "2025-q3-review"}
    assert did_you_mean_record("2025-07-marketting", ids) == "did you mean 2025-07-marketing?"
    assert did_you_mean_record("2024-07-the-apollo-launch", ids) == \
        "did you mean 2024-07-apollo-launch?"
    # As far from both: the nearer month (the later year sorted last and won the tie).
    assert did_you_mean_record("2024-07-marketing", ids) == "did you mean 2025-07-marketing?"
    assert did_you_mean_record("2025-q3-reveiw", ids) == "did you mean 2025-q3-review?"
    assert did_you_mean_record("apollo", ids).startswith("known: ")
