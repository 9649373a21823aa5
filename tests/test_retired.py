"""A team dissolved and an indicator replaced, marked ``retired:`` in taxonomy.yml: their history
and pages stay, but nothing treats them as current after their last month (the latest readings,
the wrong-way list, missing-retro warnings, actions waiting for readings, scorecard rows waiting
for months), and a reading or a retro after it is warned or refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import NORDFJORD, make_kb, run_cli
from generator.paths import RenderOptions
from generator.records.validate import check
from generator.site.build import build
from sitetools import make_project, mkdocs_build

# Nordfjord two years on: its inbound SDR team was folded into field sales after October 2026,
# and close-rate gave way to a weighted close rate then. Field sales now holds monthly retros.
TAXONOMY = NORDFJORD.replace(
    "    label: Close rate\n",
    "    label: Close rate\n    retired: 2026-10\n",
).replace(
    "  - id: inbound-sdr\n    name: Inbound SDR\n    monthly_retros: true\n",
    "  - id: inbound-sdr\n    name: Inbound SDR\n    monthly_retros: true\n    retired: 2026-10\n",
).replace(
    "  - id: field-sales\n    name: Field sales\n",
    "  - id: field-sales\n    name: Field sales\n    monthly_retros: true\n",
).replace(
    "teams:\n",
    "  - id: weighted-close-rate\n    label: Weighted close rate\n    unit: rate\n"
    "    better: up\nteams:\n",
)
assert TAXONOMY.count("retired: 2026-10") == 2 and "weighted-close-rate" in TAXONOMY

MONTHS = ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11",
          "2026-12"]


def _retro(team: str, month: str, readings: str, extra: str = "") -> str:
    year, number = (int(part) for part in month.split("-"))
    held = dt.date(year + number // 12, number % 12 + 1, 4)
    return (f"---\ntype: retro\nperiod: {month}\nteam: {team}\nheld: {held}\n"
            f"facilitator: Ola Nordmann\nformat: stop-start-continue\n"
            f"indicators:\n{readings}{extra}---\n\nNotes.\n")


def _records() -> dict[str, str]:
    files: dict[str, str] = {}
    for month in MONTHS:
        if month <= "2026-10":
            # The SDR team's bookings hold, then fall in its last month: a wrong-way move.
            dach, nordics = (20, 15) if month == "2026-10" else (40, 30)
            # A fix of the SDR team's, done in September: its team's readings end in October.
            sdr_extra = {
                "2026-08": "actions:\n  - id: SDR-2026-08-1\n    title: Call back within the hour\n"
                           "    owner: Kari Berg\n    due: 2026-09-30\n"
                           "    indicator: meetings-booked\n",
                "2026-09": "action_updates:\n  - {id: SDR-2026-08-1, status: done, "
                           "done_on: 2026-09-25}\n"}.get(month, "")
            files[f"retros/{month}-inbound-sdr.md"] = _retro(
                "inbound-sdr", month,
                f"  meetings-booked: {{dach: {dach}, nordics: {nordics}}}\n"
                "  close-rate: {dach: 0.2, nordics: 0.25}\n", sdr_extra)
        readings = "  meetings-booked: {dach: 12, nordics: 9}\n"
        readings += ("  close-rate: {dach: 0.3, nordics: 0.28}\n" if month <= "2026-10"
                     else "  weighted-close-rate: 0.31\n")
        extra = ""
        if month == "2026-08":
            extra = ("actions:\n  - id: FS-2026-08-1\n    title: Qualify on budget before the demo\n"
                     "    owner: Kari Berg\n    due: 2026-09-30\n    indicator: close-rate\n")
        if month == "2026-09":
            extra = ("action_updates:\n  - {id: FS-2026-08-1, status: done, "
                     "done_on: 2026-09-20}\n")
        files[f"retros/{month}-field-sales.md"] = _retro("field-sales", month, readings, extra)
    files["retros/2026-q4-field-sales-review.md"] = (
        "---\ntype: review\nperiod: 2026-Q4\nteam: field-sales\nheld: 2027-01-12\n"
        "facilitator: Ola Nordmann\nscorecard:\n"
        "  - {metric: Close rate, goal: 0.33, unit: rate, indicator: close-rate}\n"
        "  - {metric: Meetings booked, goal: 60, unit: count, indicator: meetings-booked}\n"
        "---\n\nQuarter.\n")
    return files


def _kb(tmp_path: Path, extra: dict[str, str] | None = None, taxonomy: str = TAXONOMY) -> Path:
    (tmp_path / "nordfjord.yml").write_text(taxonomy, encoding="utf-8")
    return make_kb(tmp_path / "kb", {**_records(), **(extra or {})},
                   taxonomy=tmp_path / "nordfjord.yml")


def _messages(root: Path, as_of: dt.date) -> list[str]:
    return [p.format() for p in check(root, as_of=as_of).problems.sorted()]


def _pages(tmp_path: Path) -> dict[str, str]:
    files = build(_kb(tmp_path), dt.date(2027, 1, 20), RenderOptions()).files
    return {path: content.decode() for path, content in files.items() if path.endswith(".md")}


def test_no_missing_or_stopped_retro_is_warned_after_a_team_retired(tmp_path: Path) -> None:
    root = _kb(tmp_path)
    assert not [m for m in _messages(root, dt.date(2027, 1, 20)) if "inbound-sdr" in m]
    # Without retired:, the same team that stopped is warned about.
    (tmp_path / "plain").mkdir()
    plain = _kb(tmp_path / "plain", taxonomy=TAXONOMY.replace(
        "    monthly_retros: true\n    retired: 2026-10\n", "    monthly_retros: true\n"))
    assert any("inbound-sdr has no retro after this one" in m
               for m in _messages(plain, dt.date(2027, 1, 20)))


def test_a_reading_or_a_retro_after_the_end_is_warned(tmp_path: Path) -> None:
    late = {
        "retros/2026-11-field-sales.md": _retro(
            "field-sales", "2026-11", "  meetings-booked: {dach: 12, nordics: 9}\n"
            "  close-rate: {dach: 0.3, nordics: 0.28}\n"),
        "retros/2026-11-inbound-sdr.md": _retro(
            "inbound-sdr", "2026-11", "  meetings-booked: {dach: 40, nordics: 30}\n"),
    }
    root = _kb(tmp_path, late)
    messages = _messages(root, dt.date(2027, 1, 20))
    assert ("retros/2026-11-field-sales.md:10:3  indicators.close-rate  warning: gives a reading "
            "of close-rate for 2026-11, but taxonomy.yml says it was retired after October "
            "2026 (give the reading under the indicator that replaced it, or correct retired: "
            "of close-rate in taxonomy.yml)") in messages
    assert any(m.startswith("retros/2026-11-inbound-sdr.md:3:9  period  warning: is a retro of "
                            "inbound-sdr for 2026-11, but taxonomy.yml says the team was "
                            "retired after October 2026") for m in messages), messages
    # The readings before the end are no warning.
    assert not [m for m in messages if "2026-10-" in m and "retired" in m]


def test_retired_must_be_a_month(tmp_path: Path) -> None:
    root = _kb(tmp_path, taxonomy=TAXONOMY.replace("    retired: 2026-10\n",
                                                   "    retired: October\n", 1))
    result = run_cli("validate", "--root", str(root))
    assert result.exit_code != 0
    assert "retired" in result.output and "must be a month like 2026-05" in result.output
    assert "Traceback" not in result.output


def test_the_field_is_documented(tmp_path: Path) -> None:
    # Where the taxonomy's settings are, and with the indicator's fields.
    guide = _pages(tmp_path)["guide/record-format.md"]
    assert "| `teams[].retired` | The last month the team held a retro" in guide
    assert "| `retired` | " in guide.split("## Indicator", 1)[1]


def test_a_retired_team_and_indicator_are_not_current_on_the_pages(tmp_path: Path) -> None:
    root = _kb(tmp_path)
    files = build(root, dt.date(2027, 1, 20), RenderOptions()).files
    latest = files["indicators/index.md"].decode().split("## Latest readings", 1)[1]
    latest, after = latest.split("## Retired", 1)
    # Field sales' current readings stay; the dissolved team's and the retired indicator's
    # October values are no longer "latest" in January.
    assert "Meetings booked" in latest and "Weighted close rate" in latest
    assert "Inbound SDR" not in latest and "Close rate<" not in latest
    # Listed apart, with its end, its page kept.
    assert "[Close rate](close-rate.md): retired after October 2026" in after
    # Inbound SDR's October fall is not on the agenda of a retro it will never hold.
    home = files["index.md"].decode()
    assert "Moved the wrong way" not in home
    teams = files["teams/index.md"].decode()
    assert ('Inbound SDR</a> <span class="hs-note">retired after October 2026</span>' in teams)
    assert "Field sales</a></th>" in teams
    assert "**Retired after October 2026.**" in files["teams/inbound-sdr.md"].decode()
    indicator = files["indicators/close-rate.md"].decode()
    assert "**Retired after October 2026.**" in indicator
    assert "2026-10" in indicator  # its history stays



def test_an_indicator_page_puts_a_retired_team_after_the_teams_still_reporting(
        tmp_path: Path) -> None:
    """Meetings booked in January 2027: the dissolved SDR team, named "Account Development"
    here, came first by name, above Field sales, whose readings are this month's, with nothing
    saying its readings had ended. It comes after the teams still reporting, saying so, on the
    indicator's page and on its own page of every reading."""
    taxonomy = TAXONOMY.replace("    name: Inbound SDR\n", "    name: Account Development\n")
    # A year more of the SDR team's retros: more readings than its section shows, so it has a
    # page of every reading too.
    earlier = {f"retros/{month}-inbound-sdr.md": _retro(
        "inbound-sdr", month, "  meetings-booked: {dach: 40, nordics: 30}\n")
        for month in [f"2025-{n:02}" for n in range(5, 13)] + ["2026-01", "2026-02"]}
    root = _kb(tmp_path, earlier, taxonomy=taxonomy)
    files = build(root, dt.date(2027, 1, 20), RenderOptions()).files
    page = files["indicators/meetings-booked.md"].decode()
    headings = [line for line in page.splitlines() if line.startswith("## ")]
    assert headings[-2:] == ["## Field sales { #field-sales }",
                             "## Account Development { #inbound-sdr }"], headings
    said = "*Account Development was retired after October 2026:* its readings stay here as history."
    assert page.count(said) == 1 and page.index(said) > page.index("## Account Development")
    assert said in files["indicators/meetings-booked/inbound-sdr.md"].decode()
    # As the knowledge base stood in October 2026, nothing had ended: by name, as before.
    files = build(root, dt.date(2026, 10, 20), RenderOptions()).files
    page = files["indicators/meetings-booked.md"].decode()
    assert page.index("## Account Development") < page.index("## Field sales")
    assert "was retired" not in page

def test_before_its_end_a_retired_team_is_still_current(tmp_path: Path) -> None:
    """As the knowledge base stood in October 2026, nothing had ended yet."""
    root = _kb(tmp_path)
    files = build(root, dt.date(2026, 10, 20), RenderOptions()).files
    latest = files["indicators/index.md"].decode().split("## Latest readings", 1)[1]
    assert "Inbound SDR" in latest and "## Retired" not in latest
    assert "retired after" not in files["teams/index.md"].decode()


def test_the_built_site_marks_what_ended(tmp_path: Path) -> None:
    """A real strict MkDocs build: the marks are on the served pages."""
    project = make_project(tmp_path / "site", _kb(tmp_path))
    result = mkdocs_build(project, "2027-01-20")
    assert result.returncode == 0, result.stderr
    site = project / "site"
    teams = (site / "teams" / "index.html").read_text(encoding="utf-8")
    assert "retired after October 2026" in teams
    indicators = (site / "indicators" / "index.html").read_text(encoding="utf-8")
    assert "Close rate</a>: retired after October 2026" in indicators
    latest = indicators.split('id="latest"', 1)[1].split('id="retired"', 1)[0]
    assert "Inbound SDR" not in latest


def test_an_action_that_can_get_no_more_readings_says_why(tmp_path: Path) -> None:
    # The fix aimed at close-rate got one reading after it; no more will come. Nor will the
    # SDR team's, whose team was folded into field sales.
    effects = _pages(tmp_path)["actions/effectiveness.md"]
    assert "1 of 3 readings after, and the indicator was retired after October 2026" in effects
    assert ("1 of 3 readings after, and the team inbound-sdr was retired after October 2026"
            in effects)
    assert "## Too early to tell { #too-early-to-tell }\n\nNone." in effects
    assert "So is one\nwhose indicator, or the team whose readings it is judged on, was retired" \
        in effects


def test_a_quarter_row_whose_months_will_never_come_is_not_judged_for_good(
        tmp_path: Path) -> None:
    # The quarter's close-rate row, from October alone, will never be judged: not "yet".
    files = build(_kb(tmp_path), dt.date(2027, 1, 20), RenderOptions()).files
    review = files["records/2026-q4-field-sales-review.md"].decode()
    assert ("not judged: from 1 of 3 months (the indicator was retired after October 2026)"
            in review)
    assert "not judged yet" not in review
    assert "not judged: Close rate (from 1 of 3 months; the indicator was retired" in review
    # The chart's legend says the same of its grey bar.
    chart = files["charts/attainment-2026-q4-field-sales-review.svg"].decode()
    assert "not judged" in chart and "not judged yet" not in chart


def test_new_and_prep_refuse_a_retro_of_a_retired_team_after_its_end(tmp_path: Path) -> None:
    root = _kb(tmp_path)
    common = ["--facilitator", "Ola Nordmann", "--root", str(root)]
    for args in (["new", "retro", "--team", "inbound-sdr", "--period", "2026-11", "--held",
                  "2026-12-03"],
                 ["prep", "--team", "inbound-sdr", "--period", "2027-01", "--as-of",
                  "2027-02-03"],
                 ["new", "review", "--team", "inbound-sdr", "--period", "2027-Q1", "--held",
                  "2027-04-03"]):
        result = run_cli(*args, *common)
        assert result.exit_code == 2, result.output
        assert "inbound-sdr was retired after October 2026 (retired: 2026-10 in taxonomy.yml)" \
            in result.output, result.output
        assert "Traceback" not in result.output
    assert not list((root / "retros").glob("2027-*inbound*"))
    # A month before its end can still be written late.
    late = run_cli("new", "retro", "--team", "inbound-sdr", "--period", "2026-04", "--held",
                   "2026-05-04", *common)
    assert late.exit_code == 0, late.output
    # Another team's draft after the end gives the indicators still reported as examples.
    draft = run_cli("new", "retro", "--team", "field-sales", "--period", "2027-01", "--held",
                    "2027-02-03", *common)
    assert draft.exit_code == 0, draft.output
    text = Path(draft.output.strip()).read_text(encoding="utf-8")
    examples = text.split("indicators: {}", 1)[0]
    assert "#   meetings-booked: {dach: " in examples
    assert "#   weighted-close-rate: " in examples and "close-rate: {" not in examples


def test_a_retired_team_named_as_written_is_refused_too(tmp_path: Path) -> None:
    # A team is taken by its name or in any case; the refusal of a retired one must follow it.
    root = _kb(tmp_path)
    common = ["--facilitator", "Ola Nordmann", "--root", str(root)]
    for args in (["new", "retro", "--team", "Inbound SDR", "--period", "November 2026",
                  "--held", "2026-12-03"],
                 ["prep", "--team", "INBOUND_SDR", "--period", "2027-01", "--as-of",
                  "2027-02-03"],
                 ["new", "review", "--team", "inbound sdr", "--period", "2027-Q1", "--held",
                  "2027-04-03"]):
        result = run_cli(*args, *common)
        assert result.exit_code == 2, result.output
        assert "inbound-sdr was retired after October 2026" in result.output, result.output
    assert not list((root / "retros").glob("*2026-11*inbound*"))
    assert not list((root / "retros").glob("2027-*inbound*"))


def test_prep_warns_of_a_retired_indicator_in_the_metrics(tmp_path: Path) -> None:
    root = _kb(tmp_path)
    csv = tmp_path / "metrics.csv"
    csv.write_text("indicator,segment,value\nmeetings-booked,dach,12\n"
                   "meetings-booked,nordics,9\nclose-rate,dach,0.3\nclose-rate,nordics,0.28\n",
                   encoding="utf-8")
    result = run_cli("prep", "--team", "field-sales", "--period", "2027-01", "--metrics",
                     str(csv), "--as-of", "2027-02-03", "--facilitator", "Ola Nordmann",
                     "--root", str(root))
    assert result.exit_code == 0, result.output
    assert (f"{csv.as_posix()}:4:1  indicator  warning: close-rate was retired after October "
            "2026 (taxonomy.yml), but this gives a reading of it for 2027-01") in result.output
    assert result.output.count("was retired after") == 1


# A campaign the SDR team ran in its last month, whose three actions outlive it: one handed
# over in December by field sales' retro, one done, one left with nobody to follow it up.
_CAMPAIGN = """---
type: postmortem
name: The Autumn Callback Sprint
kind: campaign
outcome: loss
summary: Callbacks slipped as the team wound down.
team: inbound-sdr
event_ended: 2026-10-20
held: 2026-10-27
keeper: Kari Berg
actions:
  - {id: CB-1, title: Move the callback queue to field sales, owner: Kari Berg, due: 2026-12-15}
  - {id: CB-2, title: Archive the old call scripts, owner: Jon Lie, due: 2027-02-01,
     status: in-progress}
  - {id: CB-3, title: Hand the DACH list to field sales, owner: Jon Lie, due: 2026-11-30}
---

What happened.
"""


def test_open_actions_of_a_retired_team_are_warned_of_and_need_a_new_owner(
        tmp_path: Path) -> None:
    """The SDR team retired after October 2026 with its campaign's actions open: nothing
    prompted anyone (no retro of it will come). As of 2027-01-20, validate warns at each one
    still open and not handed over, where it was raised, with the hand-over as the hint, and
    the register lists it under *Needing a new owner*: CB-2 (in progress, Jon Lie). CB-1 was
    handed over to Siri Dahl in field sales' December retro, CB-3 done there. As of
    2026-10-30, the team's last month, nothing is said."""
    december = _retro("field-sales", "2026-12", "  meetings-booked: {dach: 12, nordics: 9}\n"
                      "  weighted-close-rate: 0.31\n",
                      "action_updates:\n"
                      "  - {id: CB-1, status: open, owner: Siri Dahl}\n"
                      "  - {id: CB-3, status: done, done_on: 2026-12-10}\n")
    root = _kb(tmp_path, {"postmortems/2026-10-the-autumn-callback-sprint.md": _CAMPAIGN,
                          "retros/2026-12-field-sales.md": december})
    said = [m for m in _messages(root, dt.date(2027, 1, 20)) if "retired" in m]
    assert said == [
        "postmortems/2026-10-the-autumn-callback-sprint.md:13:60  actions[1].owner  warning: "
        "action CB-2 is still open, but its team inbound-sdr was retired after October 2026 "
        "(taxonomy.yml): no retro of Inbound SDR follows it up now (owner Jon Lie, raised in "
        "The Autumn Callback Sprint, held 2026-10-27) (hand it over in a record's "
        "action_updates, e.g. {id: CB-2, status: in-progress, team: <the team that took the "
        "work over>, owner: <who took it over>}, or mark it done or dropped there)"], said
    assert not [m for m in _messages(root, dt.date(2026, 10, 30)) if "retired" in m]
    checked = run_cli("validate", "--root", str(root), "--as-of", "2027-01-20")
    assert checked.exit_code == 0, checked.output
    assert "action CB-2 is still open, but its team inbound-sdr was retired" in checked.output
    register = build(root, dt.date(2027, 1, 20), RenderOptions()).files[
        "actions/index.md"].decode()
    section = register.split("## Needing a new owner { #needs-owner }", 1)[1].split("\n## ", 1)[0]
    assert ("1 open action of a team since retired (`retired:` in `taxonomy.yml`): "
            "[Inbound SDR](../teams/inbound-sdr.md), retired after October 2026. No retro of "
            "that team follows it up now") in section, section
    assert "<code>CB-2</code>" in section, section
    assert "<code>CB-1</code>" not in section and "<code>CB-3</code>" not in section, section
    # Before the team's end the register has no such section.
    before = build(root, dt.date(2026, 10, 30), RenderOptions()).files[
        "actions/index.md"].decode()
    assert "Needing a new owner" not in before
