"""Handing an action to another team (``action_updates[].team``): a team retired and merged
into another, or a reorg moving work between teams that go on.

Brightline's records (a taxonomy unlike the sample's): its Inbound SDR team held its last
retro for September 2026 and was merged into Pipeline Development. Pipeline Development's
October retro hands one of the SDR team's two open actions over to itself (with a new owner);
the other is left with nobody. Field Marketing, a live team, hands one of its actions to
Pipeline Development in a reorg.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from conftest import run_cli
from generator.records.validate import check
from generator.site.build import build
from sitetools import make_project, mkdocs_build, table_rows

TAXONOMY = """\
company: Brightline
causes:
  - id: lead-routing-lag
    title: Lead routing lag
    description: Inbound leads sit in a queue before anyone calls.
indicators:
  - id: qualified-meetings
    label: Qualified meetings
    unit: count
    better: up
teams:
  - id: inbound-sdr
    name: Inbound SDR
    retired: 2026-09
  - id: pipeline-dev
    name: Pipeline Development
    aliases: [pipegen]
  - id: field-marketing
    name: Field Marketing
plan_kinds:
  - id: campaign
    title: Campaigns
"""

AS_OF = dt.date(2026, 12, 1)


def _retro(team: str, period: str, held: str, extra: str = "") -> str:
    return (f"---\ntype: retro\nperiod: {period}\nteam: {team}\nheld: {held}\n"
            "facilitator: Aiko Brandt\nformat: went-well-didnt\n"
            f"indicators:\n  qualified-meetings: 41\n{extra}---\n\nNotes.\n")


SDR_AUGUST = _retro("inbound-sdr", "2026-08", "2026-09-03", (
    "actions:\n"
    "  - {id: SDR-2026-08-1, title: Route trade-show leads within a day, owner: Mette Holm, "
    "due: 2026-09-15}\n"
    "  - {id: SDR-2026-08-2, title: Rewrite the callback script, owner: Mette Holm, "
    "due: 2026-12-15}\n"))
SDR_SEPTEMBER = _retro("inbound-sdr", "2026-09", "2026-10-02")
FM_SEPTEMBER = _retro("field-marketing", "2026-09", "2026-10-05", (
    "actions:\n"
    "  - {id: FM-2026-09-1, title: Send event leads to the SDR queue, owner: Noor Haddad, "
    "due: 2027-01-31}\n"))
PD_OCTOBER = _retro("pipeline-dev", "2026-10", "2026-11-04", (
    "action_updates:\n"
    "  - id: SDR-2026-08-1\n"
    "    status: in-progress\n"
    "    team: pipeline-dev\n"
    "    owner: Tomás Ruiz\n"
    "    note: Inbound SDR merged into Pipeline Development.\n"
    "  - id: FM-2026-09-1\n"
    "    status: open\n"
    "    team: pipegen\n"))  # an earlier id of the team, as an alias


def _kb(root: Path, extra: dict[str, str] | None = None) -> Path:
    root.mkdir(parents=True)
    (root / "taxonomy.yml").write_text(TAXONOMY, encoding="utf-8")
    files = {"retros/2026-08-inbound-sdr.md": SDR_AUGUST,
             "retros/2026-09-inbound-sdr.md": SDR_SEPTEMBER,
             "retros/2026-09-field-marketing.md": FM_SEPTEMBER,
             "retros/2026-10-pipeline-dev.md": PD_OCTOBER, **(extra or {})}
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def _codes(page: str) -> set[str]:
    return set(re.findall(r"<code>([A-Z]+-[0-9-]+)</code>", page))


def _section(page: str, heading: str) -> str:
    return page.split(heading, 1)[1].split("\n## ", 1)[0] if heading in page else ""


def test_an_action_handed_to_another_team_is_that_teams_from_that_record_on(
        tmp_path: Path) -> None:
    root = _kb(tmp_path / "kb")
    files = build(root, AS_OF).files
    pipeline = files["teams/pipeline-dev.md"].decode()
    sdr = files["teams/inbound-sdr.md"].decode()
    marketing = files["teams/field-marketing.md"].decode()
    assert {"SDR-2026-08-1", "FM-2026-09-1"} <= _codes(pipeline), pipeline
    # Inbound SDR lists the action it handed over apart from its own, saying where it went.
    own, handed = sdr.split("### Handed to other teams { #handed-over }", 1)
    assert "SDR-2026-08-1" not in _codes(own) and "SDR-2026-08-2" in _codes(own), sdr
    assert "SDR-2026-08-1" in _codes(handed), handed
    assert "Handed over from Inbound SDR to Pipeline Development per" in handed, handed
    own, handed = marketing.split("### Handed to other teams { #handed-over }", 1)
    assert "FM-2026-09-1" not in _codes(own) and "FM-2026-09-1" in _codes(handed), marketing
    register = files["actions/index.md"].decode()
    # Only the action nobody took over still needs a new owner.
    needing = _section(register, "## Needing a new owner")
    assert _codes(needing) == {"SDR-2026-08-2"}, needing
    assert "`team:` the team that took the work over" in needing, needing
    # The register's follow-through by team counts the handed-over action for Pipeline
    # Development, overdue since 2026-09-15: its first due date is kept across the hand-over.
    by_team = _section(register, "## Follow-through by team")
    rows = {re.sub(r"<[^>]+>", "", row.split("</th>", 1)[0]): row
            for row in by_team.splitlines() if row.startswith("<tr><th scope=\"row\">")}
    assert set(rows) == {"Inbound SDR", "Pipeline Development"}, rows
    cells = [re.sub(r"<[^>]+>", "", cell) for cell in
             rows["Pipeline Development"].split("</th>", 1)[1].split("</td>")[:-1]]
    assert cells == ["1", "1", "0", "0", "0", "0%"], cells  # open, overdue, …, 0 of 1 on time
    cells = [re.sub(r"<[^>]+>", "", cell) for cell in
             rows["Inbound SDR"].split("</th>", 1)[1].split("</td>")[:-1]]
    assert cells[:2] == ["1", "0"], cells  # SDR-2026-08-2 alone, open, not yet due
    # The raising record's page says where it went, and the handing record's page says it.
    raised = files["records/2026-08-inbound-sdr.md"].decode()
    assert ("Handed over from Inbound SDR to Pipeline Development per <a href="
            in raised), raised
    handed = files["records/2026-10-pipeline-dev.md"].decode()
    assert "Handed over from Inbound SDR to Pipeline Development here" in handed, handed
    assert "Handed over from Field Marketing to Pipeline Development here" in handed, handed
    exported = {row["id"]: row for row in json.loads(files["data/actions.json"])}
    assert (exported["SDR-2026-08-1"]["team"], exported["SDR-2026-08-1"]["first_team"]) == (
        "pipeline-dev", "inbound-sdr")
    assert (exported["FM-2026-09-1"]["team"], exported["FM-2026-09-1"]["first_team"]) == (
        "pipeline-dev", "field-marketing")
    assert (exported["SDR-2026-08-2"]["team"], exported["SDR-2026-08-2"]["first_team"]) == (
        "inbound-sdr", "inbound-sdr")
    assert "first_team" in files["data/actions.csv"].decode().splitlines()[0]
    # Before Pipeline Development's October retro was held, nothing was handed over yet.
    before = build(root, dt.date(2026, 10, 20)).files
    assert "SDR-2026-08-1" in _codes(before["teams/inbound-sdr.md"].decode())
    assert "FM-2026-09-1" in _codes(before["teams/field-marketing.md"].decode())
    assert "SDR-2026-08-1" not in _codes(before["teams/pipeline-dev.md"].decode())


def test_validate_warns_only_of_the_retired_teams_action_nobody_took_over(
        tmp_path: Path) -> None:
    root = _kb(tmp_path / "kb")
    said = [p.format() for p in check(root, as_of=AS_OF).problems.sorted()
            if "retired after" in p.format()]
    assert len(said) == 1 and "action SDR-2026-08-2 is still open" in said[0], said
    checked = run_cli("validate", "--root", str(root), "--as-of", AS_OF.isoformat())
    assert checked.exit_code == 0, checked.output
    assert "SDR-2026-08-1 is still open" not in checked.output, checked.output
    assert ("team: <the team that took the work over>, owner: <who took it over>"
            in checked.output), checked.output


def test_the_command_line_finds_the_action_under_its_new_team(tmp_path: Path) -> None:
    root = _kb(tmp_path / "kb")
    day = AS_OF.isoformat()
    listed = run_cli("actions", "--team", "pipeline-dev", "--root", str(root), "--as-of", day,
                     "--all")
    assert listed.exit_code == 0, listed.output
    assert "SDR-2026-08-1" in listed.output and "FM-2026-09-1" in listed.output, listed.output
    assert "SDR-2026-08-2" not in listed.output, listed.output
    assert "inbound-sdr)" in listed.output, listed.output  # "(handed over from inbound-sdr)"
    # Pipeline Development's November draft carries the actions handed to it; Field
    # Marketing's carries none, though its record raised FM-2026-09-1.
    made = run_cli("prep", "--root", str(root), "--team", "pipeline-dev", "--period", "2026-11",
                   "--as-of", day, "--held", day, "--facilitator", "Aiko Brandt")
    assert made.exit_code == 0, made.output
    draft = (root / "retros" / "2026-11-pipeline-dev.md").read_text(encoding="utf-8")
    carried = set(re.findall(r"^#   - id: (\S+)", draft, flags=re.MULTILINE))
    assert carried == {"SDR-2026-08-1", "FM-2026-09-1"}, draft
    assert "`team: TEAM-ID` to another team" in draft, draft
    made = run_cli("prep", "--root", str(root), "--team", "field-marketing", "--period",
                   "2026-11", "--as-of", day, "--held", day, "--facilitator", "Noor Haddad")
    assert made.exit_code == 0, made.output
    draft = (root / "retros" / "2026-11-field-marketing.md").read_text(encoding="utf-8")
    assert "FM-2026-09-1" not in draft, draft


def test_handing_to_an_unknown_or_retired_team_is_an_error(tmp_path: Path) -> None:
    november = _retro("field-marketing", "2026-11", "2026-12-01", (
        "action_updates:\n"
        "  - {id: SDR-2026-08-2, status: open, team: pipeline-devs}\n"
        "  - id: FM-2026-09-1\n"
        "    status: open\n"
        "    team: inbound-sdr\n"))
    root = _kb(tmp_path / "kb", {"retros/2026-11-field-marketing.md": november})
    checked = run_cli("validate", "--root", str(root), "--as-of", AS_OF.isoformat())
    assert checked.exit_code != 0, checked.output
    assert "Traceback" not in checked.output
    assert ("retros/2026-11-field-marketing.md:11:45  action_updates[0].team  unknown "
            "team 'pipeline-devs' (did you mean pipeline-dev?)" in checked.output), checked.output
    assert ("retros/2026-11-field-marketing.md:14:11  action_updates[1].team  hands the "
            "action to inbound-sdr, but taxonomy.yml says the team was retired after September "
            "2026, before this record's month (2026-12) (hand it to the team that took its work "
            "over (current teams: pipeline-dev, field-marketing), or correct retired: of "
            "inbound-sdr in taxonomy.yml)" in checked.output), checked.output
    # The error alone is said of it: not also that the retired team's action needs an owner.
    assert "FM-2026-09-1 is still open" not in checked.output, checked.output


def test_a_teams_review_counts_the_actions_it_answered_for_on_the_day_it_was_held(
        tmp_path: Path) -> None:
    """Field Marketing's 2026-Q4 review, held 2027-01-08, counts both actions first due in
    the quarter (one done, one not: 1 of 2), though Pipeline Development took the second over
    four days later; a reorg does not rewrite a review already held."""
    october = _retro("field-marketing", "2026-10", "2026-11-03", (
        "actions:\n"
        "  - {id: FM-2026-10-1, title: Book the spring roadshow venues, owner: Noor Haddad, "
        "due: 2026-11-30}\n"
        "  - {id: FM-2026-10-2, title: Hand event leads over the same day, owner: Noor Haddad, "
        "due: 2026-12-20}\n"))
    november = _retro("field-marketing", "2026-11", "2026-12-03", (
        "action_updates:\n  - {id: FM-2026-10-1, status: done, done_on: 2026-11-28}\n"))
    review = ("---\ntype: review\nperiod: 2026-Q4\nteam: field-marketing\nheld: 2027-01-08\n"
              "facilitator: Aiko Brandt\nscorecard:\n"
              "  - {metric: Follow-through, goal: 0.8, unit: rate, "
              "measure: action-follow-through}\n---\n\nThe quarter.\n")
    december = _retro("pipeline-dev", "2026-12", "2027-01-12", (
        "action_updates:\n  - {id: FM-2026-10-2, status: open, team: pipeline-dev, "
        "owner: Tomás Ruiz}\n"))
    root = _kb(tmp_path / "kb", {"retros/2026-10-field-marketing.md": october,
                                 "retros/2026-11-field-marketing.md": november,
                                 "retros/2026-q4-field-marketing-review.md": review,
                                 "retros/2026-12-pipeline-dev.md": december})
    files = build(root, dt.date(2027, 1, 20)).files
    page = files["records/2026-q4-field-marketing-review.md"].decode()
    assert "1 of 2 actions first due in 2026-Q4 done by 2027-01-08" in page, page
    assert "FM-2026-10-2" in _codes(files["teams/pipeline-dev.md"].decode())


def test_the_published_site_shows_the_action_under_its_new_team(tmp_path: Path) -> None:
    project = make_project(tmp_path / "site", _kb(tmp_path / "kb"))
    built = mkdocs_build(project, AS_OF.isoformat())
    assert built.returncode == 0, built.stderr[-3000:]
    site = project / "site"
    team = (site / "teams" / "pipeline-dev" / "index.html").read_text(encoding="utf-8")
    assert any("`SDR-2026-08-1`" in row for row in table_rows(team)), table_rows(team)
    register = (site / "actions" / "index.html").read_text(encoding="utf-8")
    # The strict build passed with a retired team's action needing an owner: the section's
    # link to the team's page is one MkDocs resolves.
    assert ('1 open action of a team since retired (<code>retired:</code> in '
            '<code>taxonomy.yml</code>): <a href="../teams/inbound-sdr/" rel="noopener noreferrer">'
            'Inbound SDR</a>, retired after September 2026.' in register), register
    row = next(r for r in table_rows(register) if r.startswith("| [Pipeline Development]"))
    assert row.startswith("| [Pipeline Development](../teams/pipeline-dev/) | "
                          "[1](../teams/pipeline-dev/#open) | "
                          "[1](../teams/pipeline-dev/#overdue) |"), row
    raised = (site / "records" / "2026-08-inbound-sdr" / "index.html").read_text(
        encoding="utf-8")
    assert "Handed over from Inbound SDR to Pipeline Development per" in re.sub(
        r"<[^>]+>", "", raised), raised
