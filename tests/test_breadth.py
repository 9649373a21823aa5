"""The commands at an enterprise's breadth: fifteen teams with long names, twenty causes, one
cause cited by twelve teams in a month (`breadth`), where lists that read well for two teams
ran to pages."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from pathlib import Path

import jsonschema
import pytest
from breadth import AS_OF, breadth_kb

from conftest import REPO, run_cli
from generator.site.build import build

SCHEMA = REPO / "docs" / "schemas" / "recall.schema.json"


@pytest.fixture
def company(tmp_path: Path) -> Path:
    return breadth_kb(tmp_path / "kb")


def _section(text: str, heading: str, end: str) -> list[str]:
    """The list lines (and "…and N more") of the part of ``text`` from ``heading`` to ``end``."""
    part = text.split(heading, 1)[1].split(end, 1)[0]
    return [line for line in part.splitlines() if line.startswith(("- ", "…", "#   "))]


def test_prep_recalls_the_teams_causes_with_its_counts_and_a_few_of_the_companys(
        company: Path) -> None:
    result = run_cli("prep", "--team", "ent-cee", "--period", "2026-12", "--root", str(company),
                     "--as-of", AS_OF, "--facilitator", "Zoë O'Brien")
    assert result.exit_code == 0, result.output
    draft = (company / "retros" / "2026-12-ent-cee.md").read_text(encoding="utf-8")
    # The team's seven causes with its own records, the company's count beside; three of the
    # causes it did not cite; the other ten counted, not listed (ICP drift's twelve records
    # were each named, as were the causes of every other team).
    assert _section(draft, "## Causes cited in the last three months", "-->") == [
        "- CRM data hygiene (`crm-hygiene`): 2026-10-ent-cee; company-wide 16 records of 8 "
        "teams",
        "- ICP drift (`icp-drift`): 2026-11-ent-cee; company-wide 12 records of 12 teams",
        "- Forecast optimism (`forecast-optimism`): 2026-09-ent-cee; company-wide 6 records of "
        "6 teams",
        "- Territory gap nº3 \\(d'Artagnan's rule\\) (`cause-03`): 2026-11-ent-cee; "
        "company-wide 3 records of 3 teams",
        "- Territory gap nº2 \\(d'Artagnan's rule\\) (`cause-02`): 2026-10-ent-cee; "
        "company-wide 3 records of 3 teams",
        "- Territory gap nº1 \\(d'Artagnan's rule\\) (`cause-01`): 2026-09-ent-cee; "
        "company-wide 3 records of 3 teams",
        "- Late legal & security review (`legal-review`): 2026-10-ent-cee; company-wide 1 "
        "record of 1 team",
        "- SDR-to-AE hand-off decay (`handoff-decay`): 14 records of 7 teams",
        "- Territory gap nº6 \\(d'Artagnan's rule\\) (`cause-06`): 3 records of 3 teams",
        "- Territory gap nº9 \\(d'Artagnan's rule\\) (`cause-09`): 3 records of 3 teams",
        "…and 10 more causes cited elsewhere in these months: see the site's Root causes page "
        "(causes/).",
    ]
    assert "2026-11-sdr-amer" not in draft
    # Before you start: "cited 12 times" beside a cause this team cited once read as the team's.
    causes = _section(draft, "#   Causes this team cited in the last quarter:", "\ntype: retro")
    assert causes[:2] == [
        "#   - CRM data hygiene: cited 1 time by this team in the last quarter (company-wide 16 "
        "times since 2026-10-05; 16 open actions)",
        "#   - ICP drift: cited 1 time by this team in the last quarter (company-wide 12 times "
        "since 2026-12-03; 12 open actions)",
    ]
    assert causes[-1] == "#   …and 2 more causes under Causes cited in the last three months below."


def test_prep_for_a_team_that_cited_nothing_recalls_the_companys_most_cited(
        company: Path) -> None:
    taxonomy = company / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8").replace(
        "plan_kinds:", '  - id: new-team\n    name: "New Team — Zürich"\n    monthly_retros: true\n'
        "plan_kinds:"), encoding="utf-8")
    result = run_cli("prep", "--team", "new-team", "--period", "2026-12", "--root", str(company),
                     "--as-of", AS_OF, "--facilitator", "Zoë O'Brien")
    assert result.exit_code == 0, result.output
    draft = (company / "retros" / "2026-12-new-team.md").read_text(encoding="utf-8")
    assert _section(draft, "## Causes cited in the last three months", "-->") == [
        "- CRM data hygiene (`crm-hygiene`): 16 records of 8 teams",
        "- SDR-to-AE hand-off decay (`handoff-decay`): 14 records of 7 teams",
        "- ICP drift (`icp-drift`): 12 records of 12 teams",
        "…and 17 more causes cited elsewhere in these months: see the site's Root causes page "
        "(causes/).",
    ]
    assert "None by this team." in draft
    assert "#   Causes other teams cited most in the last quarter (this team cited none):\n" \
        "#   - CRM data hygiene: 16 records of 8 teams in the last quarter (company-wide 16 " \
        "times since 2026-10-05; 16 open actions)\n" in draft


def test_recall_of_a_months_retros_says_each_causes_history_once(company: Path) -> None:
    records = sorted(str(p) for p in (company / "retros").glob("2026-11-*.md"))
    text = run_cli("recall", *records, "--root", str(company), "--as-of", AS_OF).output
    assert text.count("# Recall for ") == 15
    # ICP drift's history under the first of the twelve records citing it; the others point
    # to it. Its eleven other open actions are five, and the command listing them all.
    icp = [line for line in text.splitlines() if line.startswith("- **ICP drift**")]
    assert len(icp) == 12 and icp[0].startswith("- **ICP drift**: cited in 11 other records")
    assert set(icp[1:]) == {"- **ICP drift**: see above, under Customer Success — APAC & Japan "
                            "retro — November 2026."}
    history = text.split(icp[0], 1)[1].split("\n- ", 1)[0].splitlines()
    assert len([line for line in history if line.startswith("  - `")]) == 5
    assert "  - and 6 more open: `hindsight actions icp-drift`" in history
    assert icp[0].endswith("Mid-Market Sales — Île-de-France & Sud, 6 more teams.")
    # No action, and no fix that did not stick, is written twice (one was 13 times).
    items = [line for line in text.splitlines() if line.startswith("  - ")
             and "more open" not in line]
    assert len(items) == len(set(items)), items
    assert text.count("The fix did not stick") == 3
    # The JSON keeps everything, for every record: each of the twelve has ICP drift's eleven
    # other open actions and the eleven other teams citing it.
    data = json.loads(run_cli("recall", *records, "--root", str(company), "--as-of", AS_OF,
                              "--format", "json").output)
    jsonschema.validate(data, json.loads(SCHEMA.read_text(encoding="utf-8")))
    causes = [c for r in data["records"] for c in r["causes"] if c["id"] == "icp-drift"]
    assert len(causes) == 12
    assert all(len(c["actions"]) == 11 and len(c["teams"]) == 11 for c in causes)


def test_recall_of_an_update_names_the_records_of_its_history_once(company: Path) -> None:
    text = run_cli("recall", str(company / "retros" / "2026-10-ent-cee.md"), "--root",
                   str(company), "--as-of", AS_OF).output
    assert "(raised in Enterprise Sales — Central & Eastern Europe retro — September 2026). " \
        "History: raised 2026-10-05, due 2026-11-20; this record, 2026-11-04: done.\n" in text


def test_a_long_team_name_is_picked_as_typed_and_a_partial_one_lists_the_teams_it_matches(
        company: Path) -> None:
    # Another dash, no accents, "&" or not: the one team it names.
    made = run_cli("prep", "--team", "enterprise sales - iberia - espana & portugal",
                   "--period", "2026-12", "--root", str(company), "--as-of", AS_OF,
                   "--facilitator", "Zoë O'Brien")
    assert made.exit_code == 0, made.output
    assert (company / "retros" / "2026-12-ent-iberia.md").is_file()
    listed = run_cli("actions", "--team", "Mid-Market Sales — Ile-de-France & Sud", "--root",
                     str(company), "--as-of", AS_OF, "--format", "json")
    assert listed.exit_code == 0, listed.output
    assert {row["team"] for row in json.loads(listed.output)["actions"]} == {"mm-idf"}
    # A word of several teams' names or ids: those teams, to choose from.
    iberia = run_cli("actions", "--team", "Iberia", "--root", str(company), "--as-of", AS_OF)
    assert iberia.exit_code != 0
    assert iberia.output == (
        "error: --team Iberia matches 2 teams: ent-iberia (Enterprise Sales — Iberia — España & "
        "Portugal), mm-iberia (Mid-Market Sales — Iberia — España & Portugal): give one\n")
    sdr = run_cli("prep", "--team", "sdr", "--period", "2026-12", "--root", str(company),
                  "--as-of", AS_OF)
    assert sdr.exit_code != 0
    assert sdr.output.startswith("error: --team sdr matches 6 teams: sdr-emea-n (SDR Pod — EMEA "
                                 "North), sdr-emea-s (SDR Pod — EMEA South & Méditerranée), "), \
        sdr.output
    assert sdr.output.endswith("sdr-inbound (SDR Pod — Inbound & Chat): give one\n")
    # Words of one name only: asked about, never taken for it.
    partly = run_cli("actions", "--team", "Outbound Strike", "--root", str(company))
    assert partly.exit_code != 0
    assert "(did you mean sdr-strike (SDR Pod — Outbound Strike Team (Ops' Pilot))?)" in \
        partly.output
    # Nothing like it: the known ids, the ones not shown counted.
    unknown = run_cli("actions", "--team", "Benelux", "--root", str(company))
    assert unknown.exit_code != 0
    assert unknown.output == ("error: unknown team 'Benelux' (known: cs-apj, cs-emea, ent-cee, "
                              "ent-dach, ent-iberia, mkt-ops, mm-iberia, mm-idf and 7 more)\n")


def test_the_register_puts_overdue_first_and_indexes_its_owners(company: Path) -> None:
    files = build(company, dt.date.fromisoformat(AS_OF)).files
    register = files["actions/index.md"].decode()
    # Overdue comes before the tables of 12 owners and 15 teams (at 30 and 40 it was 6,853 px
    # down the page), right under the figures that link to it.
    headings = re.findall(r"^## (.+?) \{", register, flags=re.M)
    assert headings == ["Overdue", "Follow-through by owner", "Follow-through by team", "Open",
                        "Done late", "Done on time", "Dropped"]
    assert "<summary>Overdue — 27</summary>" in register
    # By owner, most overdue first; every owner by name on the owners' page it links to.
    by_owner = register.split("## Follow-through by owner", 1)[1].split("## Follow-", 1)[0]
    assert "[Action owners](../actions/owners/index.md)" in by_owner
    overdue = [int(n) for n in re.findall(
        r'<th scope="row">.*?</th><td>.*?</td><td>(?:<a [^>]*>)?(\d+)', by_owner)]
    assert len(overdue) == 12 and overdue == sorted(overdue, reverse=True), overdue
    owners = files["actions/owners/index.md"].decode()
    rows = re.findall(r'<th scope="row"><a href="([^"]+)">([^<]+)</a></th><td>(.*?)</td>'
                      r"<td>(.*?)</td>", owners)
    names = [html.unescape(name) for _, name, _, _ in rows]
    assert names == ["Aisha Mensah", "Ana-María García López", "François Dubois-Lefèvre",
                     "José Álvarez", "Jürgen Müller", "Łukasz Wiśniewski", "Mei Zhang",
                     "Noémie Fontaine", "Ravi Patel", "Siobhan Ní Bhriain", "Søren Kjærgaard",
                     "Zoë O'Brien"]
    # Each row leads to the owner's page, which exists, and its counts to its sections.
    for href, _, _, _ in rows:
        assert href.startswith("../../actions/owners/") and href.endswith("/")
        assert f"actions/owners/{href.split('/')[-2]}.md" in files
    assert sum(int(re.sub(r"<[^>]+>", "", o)) for _, _, _, o in rows) == 27
    assert "The 12 owners of the actions" in owners
