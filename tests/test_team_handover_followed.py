"""What followed an action handed to another team, and where it is shown.

Northgate's records (shaped unlike the sample's: a team retired and merged into another
mid-year, an action moving with its work): Inbound SDR reported *Qualified meetings* until
September 2026, when it was merged into Pipeline Development. Its August retro raised
SDR-2026-08-1 against the indicator; Pipeline Development's October retro (held 2026-11-04)
hands the action over to itself, and its November retro reports it done on 2026-11-20.
Pipeline Development's own readings went from about 90 a month before to about 112 after.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

from conftest import run_cli
from generator.site.build import build
from sitetools import make_project, mkdocs_build, table_rows

TAXONOMY = """\
company: Northgate
causes:
  - id: slow-first-touch
    title: Slow first touch
    description: Inbound leads wait days for a first call.
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
plan_kinds:
  - id: campaign
    title: Campaigns
"""

AS_OF = dt.date(2027, 4, 10)

SDR_READINGS = {"2026-04": 40, "2026-05": 42, "2026-06": 39, "2026-07": 41, "2026-08": 40,
                "2026-09": 41}
PD_READINGS = {"2026-04": 88, "2026-05": 90, "2026-06": 89, "2026-07": 90, "2026-08": 91,
               "2026-09": 89, "2026-10": 90, "2026-11": 95, "2026-12": 110, "2027-01": 112,
               "2027-02": 115, "2027-03": 114}

RAISED = ("actions:\n"
          "  - id: SDR-2026-08-1\n"
          "    title: Call every inbound lead within the hour\n"
          "    owner: Mette Holm\n"
          "    due: 2026-10-31\n"
          "    cause: slow-first-touch\n"
          "    indicator: qualified-meetings\n")
HANDED = ("action_updates:\n"
          "  - id: SDR-2026-08-1\n"
          "    status: in-progress\n"
          "    team: pipeline-dev\n"
          "    owner: Tomás Ruiz\n"
          "    note: Inbound SDR merged into Pipeline Development.\n")
DONE = ("action_updates:\n"
        "  - {id: SDR-2026-08-1, status: done, done_on: 2026-11-20}\n")


def _held(period: str) -> str:
    """A retro's day: the third of the month after its period."""
    year, month = int(period[:4]), int(period[5:7])
    return f"{year + month // 12}-{month % 12 + 1:02d}-03"


def _retro(team: str, period: str, value: int, extra: str = "") -> str:
    return (f"---\ntype: retro\nperiod: {period}\nteam: {team}\nheld: {_held(period)}\n"
            "facilitator: Aiko Brandt\nformat: went-well-didnt\n"
            f"indicators:\n  qualified-meetings: {value}\n{extra}---\n\nNotes.\n")


def _kb(root: Path, extra: dict[str, str] | None = None) -> Path:
    root.mkdir(parents=True)
    (root / "taxonomy.yml").write_text(TAXONOMY, encoding="utf-8")
    files = {f"retros/{period}-inbound-sdr.md": _retro(
        "inbound-sdr", period, value, RAISED if period == "2026-08" else "")
        for period, value in SDR_READINGS.items()}
    files |= {f"retros/{period}-pipeline-dev.md": _retro(
        "pipeline-dev", period, value,
        {"2026-10": HANDED, "2026-11": DONE}.get(period, ""))
        for period, value in PD_READINGS.items()}
    files |= extra or {}
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_what_followed_a_handed_over_fix_is_read_on_the_team_that_did_it(
        tmp_path: Path) -> None:
    files = build(_kb(tmp_path / "kb"), AS_OF).files
    page = files["actions/effectiveness.md"].decode()
    row = next(r for r in table_rows(page) if "SDR-2026-08-1" in r)
    # Read on Inbound SDR's readings, which stopped in September, it was "not measurable:
    # 0 of 3 readings after, and the team inbound-sdr was retired after September 2026".
    assert "Pipeline Development handed over from Inbound SDR before it was done" in row, row
    assert "90 (2026-08 to 2026-10)" in row and "112.33 (2026-12 to 2027-02)" in row, row
    right = page.split("## Moved the right way", 1)[1].split("\n## ", 1)[0]
    assert "SDR-2026-08-1" in right, right
    assert "An action a record handed over to another team before it was done is read on the " \
           "readings of the team it was handed to" in _text(page), page
    # The record that raised it says what followed it, on the same readings.
    raised = _text(files["records/2026-08-inbound-sdr.md"].decode())
    assert ("followed by: moved the right way, Qualified meetings: 90 (Aug–Oct 2026) → 112.33 "
            "(Dec 2026–Feb 2027)" in raised), raised


def test_a_fix_done_before_the_record_that_handed_it_over_stays_the_raising_teams(
        tmp_path: Path) -> None:
    """Done on 2026-09-25, while it was still Inbound SDR's (the hand-over was recorded on
    2026-11-04): what followed it is read on Inbound SDR's readings, which ended with the
    team, so it is not measurable; Pipeline Development's jump a quarter later is not its."""
    done_early = "action_updates:\n  - {id: SDR-2026-08-1, status: done, done_on: 2026-09-25}\n"
    root = _kb(tmp_path / "kb", {
        "retros/2026-11-pipeline-dev.md": _retro("pipeline-dev", "2026-11", 95, done_early)})
    files = build(root, AS_OF).files
    page = files["actions/effectiveness.md"].decode()
    row = next(r for r in table_rows(page) if "SDR-2026-08-1" in r)
    assert "Inbound SDR" in row and "handed over" not in row, row
    assert "the team inbound-sdr was retired after September 2026" in row, row


def test_a_fix_done_by_the_team_it_was_handed_to_is_marked_on_that_teams_chart(
        tmp_path: Path) -> None:
    files = build(_kb(tmp_path / "kb"), AS_OF).files
    page = files["indicators/qualified-meetings.md"].decode()
    sdr, pipeline = (page.split("## Inbound SDR", 1)[1].split("\n## ", 1)[0],
                     page.split("## Pipeline Development", 1)[1].split("\n## ", 1)[0])
    # Marked by the raising team, it fell after Inbound SDR's last month (no triangle on any
    # chart) and Pipeline Development's listed it as "of other teams … (Inbound SDR)".
    assert "1 completed action by a triangle" in pipeline, pipeline
    assert "1 action aimed at this indicator, done, with what followed" in pipeline, pipeline
    assert "of other teams" not in pipeline, pipeline
    marked = _text(pipeline.split('<ul class="hs-markers">', 1)[1].split("</ul>", 1)[0])
    assert marked == ("SDR-2026-08-1 done 2026-11-20 : Call every inbound lead within the "
                      "hour ; what followed: moved the right way"), marked
    assert "SDR-2026-08-1" not in sdr and "triangle" not in sdr, sdr


def test_recall_lists_an_action_handed_over_under_the_team_that_held_it_then(
        tmp_path: Path) -> None:
    """Pipeline Development's qualified meetings fell in October 2026 (89 → 80), the month its
    retro took Inbound SDR's open action against them over, and again in March 2027 (114 →
    100): recalling March's retro names October's fall with the action it then held."""
    root = _kb(tmp_path / "kb", {
        "retros/2026-10-pipeline-dev.md": _retro("pipeline-dev", "2026-10", 80, HANDED),
        "retros/2027-03-pipeline-dev.md": _retro("pipeline-dev", "2027-03", 100)})
    recalled = run_cli("recall", str(root / "retros" / "2027-03-pipeline-dev.md"), "--root", str(root),
                       "--as-of", AS_OF.isoformat())
    assert recalled.exit_code == 0, recalled.output
    said = recalled.output.split("Indicators that moved the wrong way before", 1)[1]
    october = next(line for line in said.splitlines() if line.startswith("  - 2026-10,"))
    # It was listed for Inbound SDR only, the team it was raised for: "no action aimed at it".
    assert "`SDR-2026-08-1` Call every inbound lead within the hour — Tomás Ruiz" in october, \
        said
    assert "done late 2026-11-20" in october, october
    as_json = run_cli("recall", str(root / "retros" / "2027-03-pipeline-dev.md"), "--root", str(root),
                      "--as-of", AS_OF.isoformat(), "--format", "json")
    moves = json.loads(as_json.output)["records"][0]["indicators"][0]["previous"]
    assert [(m["period"], [a["id"] for a in m["actions"]]) for m in moves] == [
        ("2026-10", ["SDR-2026-08-1"])], moves


def test_the_published_site_reads_and_marks_the_fix_on_the_team_that_did_it(
        tmp_path: Path) -> None:
    project = make_project(tmp_path / "site", _kb(tmp_path / "kb"))
    built = mkdocs_build(project, AS_OF.isoformat())
    assert built.returncode == 0, built.stderr[-3000:]
    site = project / "site"
    page = (site / "actions" / "effectiveness" / "index.html").read_text(encoding="utf-8")
    row = next(r for r in table_rows(page) if "SDR-2026-08-1" in r)
    assert "Team: Pipeline Development handed over from Inbound SDR before it was done" in row, row
    assert "[Qualified meetings](../../indicators/qualified-meetings/#pipeline-dev)" in row, row
    chart = (site / "indicators" / "qualified-meetings" / "index.html").read_text(
        encoding="utf-8").split('id="pipeline-dev"', 1)[1]
    assert "1 action aimed at this indicator, done, with what followed" in chart, chart


PIPELINE_CREATED = """\
  - id: pipeline-created
    label: Pipeline created
    unit: usd
    better: up
teams:
"""
"""An indicator Pipeline Development reports in place of qualified meetings."""


def _kb_reporting(root: Path, pd_reports: dict[str, str]) -> Path:
    """Northgate's knowledge base where Pipeline Development reports qualified meetings only
    in the months of ``pd_reports`` whose value is ``"meetings"``, pipeline created in the
    others."""
    _kb(root)
    taxonomy = root / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8").replace("teams:\n", PIPELINE_CREATED),
                        encoding="utf-8")
    for period in PD_READINGS:
        if pd_reports.get(period) != "meetings":
            path = root / "retros" / f"{period}-pipeline-dev.md"
            path.write_text(re.sub(r"qualified-meetings: \d+", "pipeline-created: 250000",
                                   path.read_text(encoding="utf-8")), encoding="utf-8")
    return root


def test_a_fix_handed_to_a_team_that_never_reported_its_indicator_says_whose_readings(
        tmp_path: Path) -> None:
    """Pipeline Development reports pipeline created, never qualified meetings: the action it
    took over from Inbound SDR and did on 2026-11-20 fell back to Inbound SDR's readings,
    which ended with the team, and its row said "Team: Inbound SDR" and "the team inbound-sdr
    was retired after September 2026", as if Inbound SDR had held it, while the page said a
    fix handed over is read on the readings of the team it was handed to. The row and the
    record that raised it now say whose readings it is judged on, and why."""
    root = _kb_reporting(tmp_path / "kb", {})
    files = build(root, AS_OF).files
    page = files["actions/effectiveness.md"].decode()
    row = next(r for r in table_rows(page) if "SDR-2026-08-1" in r)
    judged = ("judged on Inbound SDR's readings: Pipeline Development, which held it when "
              "done, does not report it")
    assert f"Team: Inbound SDR {judged}" in _text(row).replace("&#x27;", "'"), row
    assert "the team inbound-sdr was retired after September 2026" in row, row
    assert ("An action a record handed over to another team before it was done is read on the "
            "readings of the team it was handed to, which held it when it was done; where that "
            "team had not reported the indicator before, on another team's, as its row says."
            ) in _text(page), page
    raised = _text(files["records/2026-08-inbound-sdr.md"].decode()).replace("&#x27;", "'")
    assert ("not measurable, Qualified meetings: 0 of 3 readings after, and the team "
            f"inbound-sdr was retired after September 2026; {judged}") in raised, raised

    # Reported by the team it was handed to, it is that team's, and nothing more is said.
    files = build(_kb(tmp_path / "reported"), AS_OF).files
    page = files["actions/effectiveness.md"].decode()
    assert "readings: Pipeline" not in page and "another team's" not in page, page
    assert "judged on" not in files["records/2026-08-inbound-sdr.md"].decode()


def test_a_fix_handed_to_a_team_that_reported_its_indicator_only_later_says_so(
        tmp_path: Path) -> None:
    """Two teams that go on after a reorg (no team retired): Inbound SDR hands its fix to
    Pipeline Development, which does it on 2026-11-20 and reports qualified meetings from
    January 2027 only. What followed is read on Inbound SDR's readings, which rose from 41 to
    55 a month; the published row and record page say so, and that Pipeline Development had
    not reported it before."""
    root = _kb_reporting(tmp_path / "kb", {p: "meetings" for p in PD_READINGS if p >= "2027-01"})
    taxonomy = root / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8").replace("    retired: 2026-09\n", ""),
                        encoding="utf-8")
    for period, value in {"2026-10": 43, "2026-11": 48, "2026-12": 54, "2027-01": 55,
                          "2027-02": 56}.items():
        (root / "retros" / f"{period}-inbound-sdr.md").write_text(
            _retro("inbound-sdr", period, value), encoding="utf-8")
    project = make_project(tmp_path / "site", root)
    built = mkdocs_build(project, AS_OF.isoformat())
    assert built.returncode == 0, built.stderr[-3000:]
    site = project / "site"
    judged = ("judged on Inbound SDR's readings: Pipeline Development, which held it when "
              "done, had not reported it before it was done")
    page = (site / "actions" / "effectiveness" / "index.html").read_text(encoding="utf-8")
    right = page.split('id="moved-the-right-way"', 1)[1].split('id="no-clear-change"', 1)[0]
    row = next(r for r in table_rows(right) if "SDR-2026-08-1" in r)
    assert f"Team: Inbound SDR {judged}" in row.replace("&#x27;", "'"), row
    assert "[Qualified meetings](../../indicators/qualified-meetings/#inbound-sdr)" in row, row
    record = _text((site / "records" / "2026-08-inbound-sdr" / "index.html").read_text(
        encoding="utf-8")).replace("&#x27;", "'")
    assert ("followed by: moved the right way, Qualified meetings: 41.33 (Aug–Oct 2026) → "
            f"55 (Dec 2026–Feb 2027); {judged}") in record, record


def test_the_actions_export_says_which_team_held_a_fix_when_it_was_done(
        tmp_path: Path) -> None:
    """data/actions.* gave the team holding an action now and the team it was raised for, not
    the team that held it when it was done, whose readings *Did it work?* reads it on: a fix
    done on 2026-09-25 by Inbound SDR and handed to Pipeline Development on 2026-11-04 read
    'team: pipeline-dev' alone, as the one it handed over before it was done. A last column,
    `done_team`, says whose it was (and `hindsight actions --format json` the same)."""
    for done_on, done_team in (("2026-11-20", "pipeline-dev"), ("2026-09-25", "inbound-sdr")):
        update = ("action_updates:\n"
                  f"  - {{id: SDR-2026-08-1, status: done, done_on: {done_on}}}\n")
        root = _kb(tmp_path / done_on, {
            "retros/2026-11-pipeline-dev.md": _retro("pipeline-dev", "2026-11", 95, update)})
        files = build(root, AS_OF).files
        row = next(a for a in json.loads(files["data/actions.json"])
                   if a["id"] == "SDR-2026-08-1")
        assert (row["first_team"], row["team"], row["done_team"]) == (
            "inbound-sdr", "pipeline-dev", done_team), row
        # The record that handed it over, held 2026-11-04 (its own status changed later).
        assert (row["team_changed_in"], row["status_changed_in"]) == (
            "2026-10-pipeline-dev", "2026-11-pipeline-dev"), row
        header = files["data/actions.csv"].decode().splitlines()[0].split(",")
        assert header[26:29] == ["segment_label", "done_team", "team_changed_in"], header
        printed = run_cli("actions", "SDR-2026-08-1", "--root", str(root), "--as-of",
                          AS_OF.isoformat(), "--format", "json")
        assert printed.exit_code == 0, printed.output
        assert json.loads(printed.stdout)["actions"][0]["done_team"] == done_team
    # Open, it has no such team.
    open_root = _kb(tmp_path / "open")
    (open_root / "retros/2026-11-pipeline-dev.md").write_text(
        _retro("pipeline-dev", "2026-11", 95), encoding="utf-8")
    row = json.loads(build(open_root, AS_OF).files["data/actions.json"])[0]
    assert (row["team"], row["done_team"]) == ("pipeline-dev", None), row
    # Never handed over: no record changed its team.
    plain = _kb(tmp_path / "plain")
    for path in (plain / "retros").glob("*-pipeline-dev.md"):
        path.write_text(path.read_text(encoding="utf-8").replace(HANDED, "").replace(DONE, ""),
                        encoding="utf-8")
    row = json.loads(build(plain, AS_OF).files["data/actions.json"])[0]
    assert (row["team"], row["team_changed_in"]) == ("inbound-sdr", None), row


def test_recall_json_says_which_team_an_action_was_handed_to_and_held_when_done(
        tmp_path: Path) -> None:
    """recall's JSON gave an action's history as status, due date and note alone: Pipeline
    Development's October retro taking Inbound SDR's action over read `{"status":
    "in-progress"}`, with no word of the team or owner it was handed to, and an action listed
    under a team's earlier move said nothing of whose it was. Each step now gives the `team`
    and `owner` it handed the action to (the raising step, those it was raised with), and an
    action its `team`, `first_team` and `done_team`, as the actions export does."""
    import jsonschema

    root = _kb(tmp_path / "kb", {
        "retros/2026-10-pipeline-dev.md": _retro("pipeline-dev", "2026-10", 80, HANDED),
        "retros/2027-03-pipeline-dev.md": _retro("pipeline-dev", "2027-03", 100)})
    schema = json.loads((Path(__file__).parents[1] / "docs" / "schemas" /
                         "recall.schema.json").read_text(encoding="utf-8"))
    done = run_cli("recall", str(root / "retros" / "2026-11-pipeline-dev.md"), "--root",
                   str(root), "--as-of", AS_OF.isoformat(), "--format", "json")
    assert done.exit_code == 0, done.output
    data = json.loads(done.output)
    jsonschema.validate(data, schema)
    (history,) = data["records"][0]["action_updates"]
    assert [(e["record"]["id"], e["status"], e["team"], e["owner"])
            for e in history["history"]] == [
        ("2026-08-inbound-sdr", "raised", "inbound-sdr", "Mette Holm"),
        ("2026-10-pipeline-dev", "in-progress", "pipeline-dev", "Tomás Ruiz"),
        ("2026-11-pipeline-dev", "done", None, None)], history
    action = history["action"]
    assert (action["first_team"], action["team"], action["done_team"]) == (
        "inbound-sdr", "pipeline-dev", "pipeline-dev"), action
    march = run_cli("recall", str(root / "retros" / "2027-03-pipeline-dev.md"), "--root",
                    str(root), "--as-of", AS_OF.isoformat(), "--format", "json")
    data = json.loads(march.output)
    jsonschema.validate(data, schema)
    (move,) = data["records"][0]["indicators"][0]["previous"]
    assert [(a["id"], a["team"], a["done_team"]) for a in move["actions"]] == [
        ("SDR-2026-08-1", "pipeline-dev", "pipeline-dev")], move
