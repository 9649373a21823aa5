"""`hindsight prep` and `hindsight actions` on the sample company."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from click.testing import Result
from hostile import tree_hash

from conftest import FIXTURES, REPO, copy_sample, make_kb, run_cli
from generator.analysis.analyze import analyze, wrong_way
from generator.commands.draft import overall_first
from generator.records.validate import check
from generator.site.build import build

AS_OF = "2026-12-03"
METRICS = """indicator,segment,value
mql-to-sql,inbound,"50/190"
mql-to-sql,outbound,"10/110"
mql-to-sql,events,"20/70"
mql-to-sql,nurture,"15/90"
handoff-sla,,"40/80"
"""


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    return copy_sample(tmp_path / "kb")


def _prep_marketing(sample: Path, period: str, as_of: str) -> str:
    """Marketing's draft for ``period`` from the sample export (`METRICS`), as of ``as_of``."""
    metrics = sample.parent / "metrics.csv"
    metrics.write_text(METRICS)
    result = run_cli("prep", "--team", "marketing", "--period", period, "--metrics",
                     str(metrics), "--root", str(sample), "--as-of", as_of)
    assert result.exit_code == 0, result.output
    return (sample / "retros" / f"{period}-marketing.md").read_text()


def test_prep_draft_validates_and_its_agenda_is_what_the_analysis_flags(sample: Path) -> None:
    metrics = sample.parent / "metrics.csv"
    metrics.write_text(METRICS)
    result = run_cli("prep", "--team", "marketing", "--period", "2026-11", "--metrics",
                     str(metrics), "--root", str(sample), "--as-of", AS_OF, "--facilitator", "Ann")
    assert result.exit_code == 0, result.output
    draft = sample / "retros" / "2026-11-marketing.md"
    assert result.output.strip() == draft.as_posix()

    checked = run_cli("validate", "--root", str(sample), "--as-of", AS_OF)
    assert checked.exit_code == 0, checked.output
    assert "0 errors" in checked.output
    # Its notes prompt is a warning at its line until the session's notes replace it.
    text = draft.read_text()
    notes = text.split("\n").index("## Notes") + 3  # the line under the heading, 1-based
    assert f"retros/2026-11-marketing.md:{notes}:1  body  warning: still holds the draft's " \
        "prompt" in checked.output
    draft.write_text(text.replace("What the numbers said, what the team discussed, what it "
                                  "decided.", "We agreed to fix the hand-off first."))
    rechecked = run_cli("validate", "--root", str(sample), "--as-of", AS_OF)
    assert rechecked.exit_code == 0 and "the draft's prompt" not in rechecked.output
    draft.write_text(text)

    # The draft is now a record: the analysis of the whole corpus must flag the same rows.
    kb = check(sample, dt.date.fromisoformat(AS_OF)).kb
    assert kb is not None
    # Each indicator's overall first, as the agenda lists them.
    movers = overall_first(wrong_way(analyze(kb).trend, "2026-11", "marketing",
                                     taxonomy=kb.taxonomy))
    assert movers
    text = draft.read_text()
    agenda = text.split("## Agenda", 1)[1].split("## Actions carried over", 1)[0]
    rows = [line for line in agenda.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) - 1 == len(movers)  # minus the header row
    for mover, row in zip(movers, rows[1:], strict=True):
        label = kb.taxonomy.indicator(mover.indicator).label
        assert row.startswith(f"| {label} | {mover.segment} |")
    # Open team actions are carried over by id, with owner and due date.
    # MKT-2026-09-1 was started (in progress) and is late: both said, as `hindsight actions` does.
    assert re.search(r"\| `MKT-2026-09-1` \| .* \| Elena Vasquez \| 2026-10-30 \| "
                     r"\*\*overdue\*\* \(in progress\) \|", text)
    assert "#   - id: MKT-2026-09-1  # Elena Vasquez, due 2026-10-30, overdue 34 days, in progress\n" \
        in text
    # Readings in block style, one per line, counts quoted.
    assert '\nindicators:\n  mql-to-sql:\n    inbound: "50/190"\n' in text
    assert '\n  handoff-sla: "40/80"\n' in text
    assert "| This month | Last month |" in text
    assert "## Causes cited in the last three months" in text and "(`sdr-ae-handoff`)" in text


def test_an_indicator_computed_from_the_csv_inputs_is_on_the_agenda(sample: Path) -> None:
    """A CSV of MQLs and SQLs, no MQL→SQL rows: 30 of 300 inbound (10.0%), 10 of 100 outbound,
    10 of 100 events, 10 of 200 nurture; 60 of 700 overall (8.6%), far under October's
    165/699 (23.6%). The conversion the draft will compute is on its agenda, as the analysis
    of the draft as a record flags it."""
    metrics = sample.parent / "inputs.csv"
    metrics.write_text("indicator,segment,value\n" + "".join(
        f"mqls,{source},{mqls}\nsqls,{source},{sqls}\n" for source, mqls, sqls in
        (("inbound", 300, 30), ("outbound", 100, 10), ("events", 100, 10),
         ("nurture", 200, 10))))
    result = run_cli("prep", "--team", "marketing", "--period", "2026-11", "--metrics",
                     str(metrics), "--root", str(sample), "--as-of", AS_OF, "--facilitator", "Ann")
    assert result.exit_code == 0, result.output
    agenda = (sample / "retros" / "2026-11-marketing.md").read_text().split(
        "## Agenda", 1)[1].split("## Actions carried over", 1)[0]
    assert "| MQL→SQL conversion | all | 8.6% | 23.6% |" in agenda, agenda
    kb = check(sample, dt.date.fromisoformat(AS_OF)).kb
    assert kb is not None
    flagged = {(m.indicator, m.segment) for m in wrong_way(analyze(kb).trend, "2026-11",
                                                           "marketing", taxonomy=kb.taxonomy)}
    rows = {line.split(" | ")[0][2:] for line in agenda.splitlines()
            if line.startswith("| MQL→SQL conversion |")}
    assert ("mql-to-sql", "all") in flagged and rows == {"MQL→SQL conversion"}
    assert len([line for line in agenda.splitlines() if line.startswith("| MQL→SQL")]) == len(
        [f for f in flagged if f[0] == "mql-to-sql"])


def test_prep_without_metrics_still_carries_actions_over(sample: Path) -> None:
    result = run_cli("prep", "--team", "sales", "--period", "2026-11", "--root", str(sample),
                     "--as-of", AS_OF, "--facilitator", "Ann")
    assert result.exit_code == 0, result.output
    text = (sample / "retros" / "2026-11-sales.md").read_text()
    assert "\nindicators:\n#   " in text and "`SAL-2026-09-1`" in text
    again = run_cli("prep", "--team", "sales", "--period", "2026-11", "--root", str(sample),
                    "--as-of", AS_OF)
    assert again.exit_code != 0 and "already exists; not overwriting" in again.output
    assert run_cli("validate", "--root", str(sample), "--as-of", AS_OF).exit_code == 0


def test_prep_of_a_month_not_over_is_held_after_it(sample: Path) -> None:
    # Prepared on 2026-12-07 for December: held: said that day, a retro of part of the month
    # on the site from that day, validate warning until corrected. It is held the day after
    # the month, which the note says is a default: off the site till then, valid from then.
    early = run_cli("prep", "--team", "sales", "--period", "2026-12", "--root", str(sample),
                    "--as-of", "2026-12-07", "--facilitator", "Ann")
    assert early.exit_code == 0, early.output
    assert ("note: held: 2027-01-01, the day after the month it reviews (2026-12) ends "
            "(2026-12-31), as it is not over yet; change it to the day the meeting is held (or "
            "pass --held): until that day the site leaves it out") in early.output, early.output
    assert re.search(r"^held: 2027-01-01\b", (sample / "retros" / "2026-12-sales.md").read_text(),
                     re.M)
    checked = run_cli("validate", "--root", str(sample), "--as-of", "2026-12-07")
    assert "1 more held after 2026-12-07, left out of the site until then" in checked.output
    checked = run_cli("validate", "--root", str(sample), "--as-of", "2027-01-01")
    assert not [line for line in checked.output.splitlines()
                if line.startswith("retros/2026-12-sales.md") and "held" in line], checked.output
    # A --held within the month is the user's to give, and told it is early.
    given = run_cli("prep", "--team", "marketing", "--period", "2026-12", "--root",
                    str(sample), "--as-of", "2026-12-07", "--held", "2026-12-18",
                    "--facilitator", "Ann")
    assert given.exit_code == 0, given.output
    assert ("note: held: 2026-12-18 is before the month it reviews (2026-12) ends (2026-12-31)"
            in given.output), given.output
    # A month that is over is held when prepared, with nothing to say.
    over = run_cli("prep", "--team", "marketing", "--period", "2026-11", "--root", str(sample),
                   "--as-of", "2026-12-07", "--facilitator", "Ann")
    assert over.exit_code == 0 and "note:" not in over.output, over.output


def test_bad_metrics_give_located_errors_and_write_nothing(sample: Path) -> None:
    bad = sample.parent / "bad.csv"
    bad.write_text("indicator,segment,value\nmql-to-sq,inbound,5\nmql-to-sql,inbund,0.3\n"
                   "mql-to-sql,inbound,abc\nhandoff-sla,x,1\nmql-to-sql,outbound,40\n"
                   "win-rate,smb,\"3/10\"\npipeline-velocity,,\"$41,200\"\n"
                   "pipeline-velocity,,41,200\n")
    before = tree_hash(sample / "retros")
    result = run_cli("prep", "--team", "marketing", "--period", "2026-11", "--metrics", str(bad),
                     "--root", str(sample), "--as-of", AS_OF)
    shown = bad.as_posix()
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"{shown}:2:1  indicator  unknown indicator 'mql-to-sq' (did you mean mql-to-sql?)",
        f"{shown}:3:12  segment  unknown source 'inbund' (did you mean inbound?)",
        f"{shown}:4:20  value  'abc' is not a number (write a plain number like 41200, or for "
        'a rate 0.31 or "18/52")',
        f"{shown}:5:13  segment  handoff-sla is not split by segment (got 'x') "
        "(leave the segment empty)",
        f"{shown}:6:21  value  a rate must be between 0 and 1 (got 40) (write 40% as 0.40)",
        f"{shown}:7:1  segment  win-rate has no reading for mid-market, enterprise "
        "(add a row per segment, so the month's overall value is complete; a segment with "
        "nothing to measure this month (no deals) gets a row with an empty value)",
        # As a spreadsheet formats it: the hint gives the plain number.
        f"{shown}:8:20  value  '$41,200' is not a number (write 41200, a plain number with no "
        "currency sign or thousands separator)",
        # Unquoted, the thousands separator splits the number: 41 and 200, not 41,200.
        f"{shown}:9:23  row  has 4 cells, but the header names 3 columns (quote a value that "
        'holds a comma ("1,200"), or write it without one (1200))',
        f"error: {shown} has errors; nothing was written",
    ]
    assert tree_hash(sample / "retros") == before


def test_an_export_with_no_readings_or_a_number_no_figure_can_be_writes_nothing(sample: Path) -> None:
    header_only = sample.parent / "header.csv"
    header_only.write_text("indicator,segment,value\n\n")
    fraction = sample.parent / "fraction.csv"
    fraction.write_text("indicator,segment,value\ndeals-won,smb,2.5\n")
    huge = sample.parent / "huge.csv"
    huge.write_text("indicator,segment,value\npipeline-velocity,," + "9" * 400 + "\n")
    before = tree_hash(sample / "retros")
    for metrics, expected in (
            (header_only, f"{header_only.as_posix()}:1:1  -  has a header row and no readings "
                          "(export the month's readings, one row per indicator and segment, or "
                          "leave out --metrics to prepare the draft without readings)"),
            (fraction, f"{fraction.as_posix()}:2:15  value  a count must be a whole number "
                       "(got 2.5) (write the number counted; for an average, give the "
                       "indicator unit: ratio in taxonomy.yml)"),
            (huge, f"{huge.as_posix()}:2:20  value  must be a number no larger than 10^15 (got "
                   "99999999999999999...) (check the number for a typo)")):
        result = run_cli("prep", "--team", "sales", "--period", "2026-11", "--metrics",
                         str(metrics), "--root", str(sample), "--as-of", AS_OF)
        assert result.exit_code == 1
        assert expected in result.output.splitlines(), result.output
        assert result.output.splitlines()[-1] == \
            f"error: {metrics.as_posix()} has errors; nothing was written"
    assert tree_hash(sample / "retros") == before


def test_actions_command_filters_and_prints_a_table() -> None:
    root = str(FIXTURES / "corpus")
    everything = run_cli("actions", "--root", root, "--as-of", "2026-07-20")
    assert everything.exit_code == 0
    assert everything.output.rstrip().endswith("4 actions")
    overdue = run_cli("actions", "--overdue", "--root", root, "--as-of", "2026-07-20")
    assert "PM-apollo-1" in overdue.output and "SAL-2026-05-1" in overdue.output
    assert "QBR-2026-Q2-1" not in overdue.output
    assert overdue.output.count("OVERDUE") == 2
    dana = run_cli("actions", "--owner", "dana ruiz", "--all", "--root", root,
                   "--as-of", "2026-07-20")
    assert "SAL-2026-03-1" in dana.output and "Lee Park" not in dana.output
    assert dana.output.rstrip().endswith("2 actions")
    # A typo is an error naming the closest, not an empty register.
    typo = run_cli("actions", "--team", "sails", "--root", root, "--as-of", "2026-07-20")
    assert typo.exit_code == 2 and "unknown team 'sails' (did you mean sales?)" in typo.output
    typo = run_cli("actions", "--owner", "Dana Ruis", "--root", root, "--as-of", "2026-07-20")
    assert typo.exit_code == 2
    assert "no action has the owner 'Dana Ruis' (did you mean Dana Ruiz?)" in typo.output


def _uncomment_carried_over(text: str) -> tuple[str, list[str]]:
    """Uncomment every carried-over action under `action_updates:`, as an author would."""
    lines = text.splitlines(keepends=True)
    start = lines.index("action_updates:\n")
    ids = []
    end = start + 1
    while lines[end].startswith("#   "):
        end += 1
    for index in range(start + 1, end):
        lines[index] = lines[index][2:]
        if lines[index].startswith("  - id: "):
            ids.append(lines[index].split()[2])
    return "".join(lines), ids


def test_every_carried_over_action_is_valid_yaml_once_uncommented(sample: Path) -> None:
    result = run_cli("prep", "--team", "sales", "--period", "2026-11", "--root", str(sample),
                     "--as-of", AS_OF, "--facilitator", "Ann")
    assert result.exit_code == 0, result.output
    draft = sample / "retros" / "2026-11-sales.md"
    text, ids = _uncomment_carried_over(draft.read_text())
    assert ids == ["SAL-2026-07-1", "SAL-2026-09-1", "PM-second-look-2", "SAL-2026-10-1"]
    draft.write_text(text)
    checked = run_cli("validate", "--root", str(sample), "--as-of", AS_OF)
    assert checked.exit_code == 0, checked.output
    kb = check(sample, dt.date.fromisoformat(AS_OF)).kb
    assert kb is not None
    record = kb.by_id()["2026-11-sales"].record
    assert [(u.id, u.status.value) for u in record.action_updates] == [(i, "done") for i in ids]


def test_prep_without_csv_names_the_month_its_agenda_comes_from(sample: Path) -> None:
    result = run_cli("prep", "--team", "sales", "--period", "2026-11", "--root", str(sample),
                     "--as-of", AS_OF, "--facilitator", "Ann")
    assert result.exit_code == 0, result.output
    text = (sample / "retros" / "2026-11-sales.md").read_text()
    assert "This month" not in text and "Last month" not in text
    assert "| Indicator | Segment | October 2026 | Month before | 3-month mean |" in text
    assert 'title: "Sales retro — November 2026"\n' in text and "\nformat: five-whys\n" in text
    # Before you start: the team's open actions and last quarter's causes, as comments.
    front = text.split("\n---\n", 1)[0]
    block = front[front.index("# Before you start"):front.index("\ntype: retro")]
    assert all(line.startswith("#") for line in block.splitlines())
    assert "#   4 open actions of this team, 2 overdue:" in block
    assert "#   - SAL-2026-07-1 Refresh the ICP tier definitions" in block
    # Started but late, as `hindsight actions` says it; SAL-2026-09-1 was never started.
    assert "due 2026-10-30, overdue 34 days, in progress)" in block
    assert re.search(r"SAL-2026-09-1 .*, overdue \d+ days\)$", block, flags=re.M), block
    assert re.search(r"\| `SAL-2026-07-1` \| .* \| \*\*overdue\*\* \(in progress\) \|", text)
    assert "#   - id: SAL-2026-07-1  # Daniel Brooks, due 2026-10-30, overdue 34 days, in progress\n" \
        in text
    # ICP drift never stayed away long enough for a fix to have stuck, so nothing "came back".
    # The team's own count first, the company's beside it.
    assert "#   - ICP drift: cited 3 times by this team in the last quarter (company-wide 17 " \
        "times since 2025-08-05; 5 open actions)" in block
    assert "came back" not in block.split("ICP drift", 1)[1].split("\n", 1)[0]
    assert "#   Causes this team cited in the last quarter:" in block
    # The body's causes: the team's own records first, then what recurs elsewhere, counted.
    causes = text.split("## Causes cited in the last three months", 1)[1].split("## Notes")[0]
    lines = [line for line in causes.splitlines() if line.startswith(("- ", "…"))]
    assert lines == [
        "- ICP drift (`icp-drift`): 2026-08-sales, 2026-09-sales, 2026-10-sales; company-wide "
        "5 records of 2 teams",
        "- SDR-to-AE hand-off decay (`sdr-ae-handoff`): 4 records of 1 team",
        "…and 3 more causes cited elsewhere in these months: see the site's Root causes page "
        "(causes/)."], causes


def test_new_and_prep_write_the_same_title_and_format(sample: Path) -> None:
    made = run_cli("new", "retro", "--team", "sales", "--period", "2026-12", "--held",
                   "2027-01-05", "--facilitator", "Ann", "--root", str(sample))
    assert made.exit_code == 0, made.output
    prepped = run_cli("prep", "--team", "marketing", "--period", "2026-12", "--root", str(sample),
                      "--as-of", AS_OF, "--facilitator", "Ann")
    assert prepped.exit_code == 0, prepped.output
    new_text = (sample / "retros" / "2026-12-sales.md").read_text()
    prep_text = (sample / "retros" / "2026-12-marketing.md").read_text()
    assert 'title: "Sales retro — December 2026"' in new_text
    assert 'title: "Marketing retro — December 2026"' in prep_text
    assert "\nformat: five-whys  #" in new_text and "\nformat: five-whys\n" in prep_text


@pytest.mark.parametrize("period", ["November 2026", "Nov 2026", "nov. 2026", "2026-11"])
def test_prep_takes_a_month_written_as_new_retro_takes_it(tmp_path: Path, period: str) -> None:
    """`new retro --period "November 2026"` worked while prep refused it ("--period must be a
    month like 2026-05"), though README lists prep among the commands taking these forms.
    Another company's vocabulary, a team with no retro yet."""
    from conftest import NORDFJORD

    root = make_kb(tmp_path / "kb", {})
    (root / "taxonomy.yml").write_text(NORDFJORD, encoding="utf-8")
    result = run_cli("prep", "--team", "Field sales", "--period", period, "--facilitator",
                     "Ane", "--root", str(root), "--as-of", "2026-12-03")
    assert result.exit_code == 0, result.output
    draft = root / "retros" / "2026-11-field-sales.md"
    assert result.output.strip() == draft.as_posix()
    assert "\nperiod: 2026-11\n" in draft.read_text(encoding="utf-8")
    wrong = run_cli("prep", "--team", "field-sales", "--period", "Novembre 2026", "--root",
                    str(root), "--as-of", "2026-12-03")
    assert wrong.exit_code == 2 and "--period must be a month like 2026-05" in wrong.output


def test_without_readings_the_agenda_says_why_it_is_empty(tmp_path: Path) -> None:
    """No CSV and no earlier retro: the draft says there is nothing to compare with, not that
    no readings were given (as if the user had forgotten them)."""
    root = make_kb(tmp_path / "kb", {})
    result = run_cli("prep", "--team", "sales", "--period", "2026-06", "--held", "2026-07-02",
                     "--facilitator", "Ann", "--root", str(root), "--as-of", "2026-07-10")
    assert result.exit_code == 0, result.output
    agenda = (root / "retros" / "2026-06-sales.md").read_text().split("## Agenda", 1)[1]
    assert agenda.lstrip().startswith("No readings were given for June 2026, and the team has "
                                      "no earlier retro to compare with.")


def test_earlier_retros_without_readings_are_not_called_no_earlier_retro(tmp_path: Path) -> None:
    """A team whose retros give no readings (a team that reviews what went well, not numbers):
    its draft said "the team has no earlier retro to compare with" while it had two. It says
    what is true: none of them gives readings, and how many there are. A retro of the month
    after, or another team's with readings, is no earlier retro of this team."""
    def retro(period: str, held: str, team: str = "marketing", readings: str = "") -> str:
        return (f"---\ntype: retro\nperiod: {period}\nteam: {team}\nheld: {held}\n"
                f"facilitator: Ana Silva\nformat: stop-start-continue\n{readings}"
                "start: [Call event leads the same day]\n---\n\nBody.\n")

    root = make_kb(tmp_path / "kb", {
        "retros/2026-03-marketing.md": retro("2026-03", "2026-04-02"),
        "retros/2026-07-marketing.md": retro("2026-07", "2026-08-04"),
        "retros/2026-07-sales.md": retro("2026-07", "2026-08-03", "sales",
                                         "indicators:\n  pipeline-velocity: 4000\n"),
    })
    result = run_cli("prep", "--team", "marketing", "--period", "2026-08", "--held",
                     "2026-09-03", "--facilitator", "Ann", "--root", str(root),
                     "--as-of", "2026-09-03")
    assert result.exit_code == 0, result.output
    agenda = (root / "retros" / "2026-08-marketing.md").read_text().split("## Agenda", 1)[1]
    assert "no earlier retro to compare with" not in agenda
    assert " ".join(agenda.split()).startswith(
        "No readings were given for August 2026, and no earlier retro gives readings to "
        "compare with (the team's 2 earlier retros gave none)."), agenda
    one = run_cli("prep", "--team", "marketing", "--period", "2026-06", "--held",
                  "2026-07-03", "--facilitator", "Ann", "--root", str(root),
                  "--as-of", "2026-09-03")
    assert one.exit_code == 0, one.output
    agenda = (root / "retros" / "2026-06-marketing.md").read_text().split("## Agenda", 1)[1]
    assert "(the team's 1 earlier retro gave none)." in " ".join(agenda.split()), agenda


def test_prep_s_example_readings_are_the_team_s_own_indicators(sample: Path) -> None:
    """Marketing's draft suggested the sales team's pipeline velocity and win rate (the
    taxonomy's first two indicators): its example readings are the indicators its latest retro
    gave, every segment of each."""
    result = run_cli("prep", "--team", "marketing", "--period", "2026-11", "--root", str(sample),
                     "--as-of", AS_OF, "--facilitator", "Ann")
    assert result.exit_code == 0, result.output
    text = (sample / "retros" / "2026-11-marketing.md").read_text()
    example = text.split("# Add the month's leading-indicator readings", 1)[1].split(
        "\ncauses:", 1)[0]
    assert "pipeline-velocity" not in example and "win-rate" not in example, example
    # At its latest readings, October's, which the comment names.
    assert '#   mql-to-sql: {inbound: "71/252", outbound: "29/127", events: "23/89", ' \
        'nurture: "42/231"}' in example, example
    assert "The examples are the team's latest\n# readings, of October 2026" in example, example


def test_a_bad_value_does_not_hide_a_segment_with_no_row(sample: Path) -> None:
    """Outbound's 31% is refused; events and nurture have no row at all. Both were said only
    in turn (the missing segments once the value was fixed): now in one run."""
    bad = sample.parent / "half.csv"
    bad.write_text('indicator,segment,value\nmql-to-sql,inbound,"58/190"\n'
                   "mql-to-sql,outbound,31%\n")
    result = run_cli("prep", "--team", "marketing", "--period", "2026-11", "--metrics", str(bad),
                     "--root", str(sample), "--as-of", AS_OF)
    shown = bad.as_posix()
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[1].startswith(f"{shown}:3:21  value  "), lines
    assert lines[0] == (f"{shown}:2:1  segment  mql-to-sql has no reading for events, nurture "
                        "(add a row per segment, so the month's overall value is complete; a "
                        "segment with nothing to measure this month (no deals) gets a row with "
                        "an empty value)"), lines


def test_a_segment_with_nothing_to_measure_is_no_reading_not_a_zero(sample: Path) -> None:
    """Events had no MQLs this month: its row says "0/0" (or nothing at all). Written as 0 it
    would be a 0 % rate averaged in; it is no reading. The draft left such a segment out, as
    the README said to, and validation then warned "mql-to-sql leaves out events and nurture"
    with a hint to leave it so: a draft made as documented failed `validate --strict`, and its
    month's overall was compared with no other. The draft writes the segments with no value
    now, which validation takes as given, and the overall is compared as ever."""
    metrics = sample.parent / "quiet.csv"
    metrics.write_text(METRICS.replace('mql-to-sql,events,"20/70"', "mql-to-sql,events,0/0")
                       .replace('mql-to-sql,nurture,"15/90"', "mql-to-sql,nurture,"))
    result = run_cli("prep", "--team", "marketing", "--period", "2026-11", "--metrics",
                     str(metrics), "--root", str(sample), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    draft = sample / "retros" / "2026-11-marketing.md"
    text = draft.read_text()
    readings = re.search(r"^  mql-to-sql:\n((?:    .*\n)+)", text, re.M)
    assert readings, text[:2000]
    assert readings.group(1) == ('    inbound: "50/190"\n    outbound: "10/110"\n'
                                 "    events:  # nothing to measure this month: no reading\n"
                                 "    nurture:  # nothing to measure this month: no reading\n")
    # The session fills in the body; the draft is then clean, even for --strict.
    draft.write_text(text.replace("What the numbers said, what the team discussed, what it "
                                  "decided.", "We talked it through."))
    checked = run_cli("validate", "--strict", "--root", str(sample), "--as-of", AS_OF,
                      str(draft))
    assert checked.exit_code == 0, checked.output
    assert checked.output.startswith("0 errors, 0 warnings; 1 file checked"), checked.output
    # The overall pools inbound and outbound alone, (50 + 10) / (190 + 110) = 20.0 %, and is
    # compared with October's 165/699 = 23.6 % (all four sources): −3.6 pp.
    page = build(sample, dt.date.fromisoformat(AS_OF)).files[
        "indicators/mql-to-sql/marketing.md"].decode()
    row = next(line for line in page.splitlines()
               if '<th scope="row" class="hs-date">2026-11</th><td>all</td>' in line)
    assert ">20.0%</a></td><td class=\"hs-num\">−3.6 pp</td>" in row, row


def test_a_segment_left_out_is_told_how_to_say_it_had_nothing_to_measure(
        sample: Path) -> None:
    """A rate's segment left out is still warned (forgotten, or nothing to measure: only the
    record can say), and the hint says how to write the second: with no value, not 0."""
    retro = sample / "retros" / "2026-10-marketing.md"
    retro.write_text(retro.read_text().replace('    events: "23/89"\n', ""))
    checked = run_cli("validate", "--root", str(sample), "--as-of", AS_OF, str(retro))
    assert ("mql-to-sql leaves out events, which 2026-09-marketing gave: this month's overall "
            "combines only inbound, outbound and nurture, so it is not compared with earlier "
            "months (give every segment; one with nothing to measure this month (no deals, "
            "none live) is written with no value, as 'events:', not 0, which would count as a "
            "reading of 0; leave this as it is if the segment is gone for good)"
            ) in checked.output, checked.output


@pytest.mark.parametrize("given", ["missing.csv", "."])
def test_a_metrics_path_that_is_no_file_is_a_mistake_in_the_command(sample: Path,
                                                                   given: str) -> None:
    """A folder was refused as a usage error (exit 2), a missing file as a failed run (1)."""
    result = run_cli("prep", "--team", "sales", "--period", "2026-12", "--metrics",
                     str(sample / given), "--root", str(sample), "--as-of", AS_OF)
    assert result.exit_code == 2, result.output
    assert "Invalid value for '--metrics'" in result.output


def test_the_briefing_in_a_draft_is_never_published(sample: Path) -> None:
    """The draft's agenda, carried-over actions and recent causes are as of the day prep ran:
    published, its page said "overdue" beside the same actions the record closes. They are an
    HTML comment now, for the session only, even when an action's title says "-->"."""
    retro = sample / "retros" / "2026-09-sales.md"
    retro.write_text(retro.read_text().replace(
        'title: "Add ICP tier fit to the forecast call', 'title: "Add ICP tier fit --> the call'))
    result = run_cli("prep", "--team", "sales", "--period", "2026-11", "--root", str(sample),
                     "--as-of", AS_OF, "--facilitator", "Ann")
    assert result.exit_code == 0, result.output
    draft = sample / "retros" / "2026-11-sales.md"
    text = draft.read_text()
    head, _, body = text.partition("\n---\n")
    # A carried-over action's title holding "-->" (the comment's end) cannot end it.
    assert "Add ICP tier fit --&gt; the call" in body
    body = body.replace("What the numbers said, what the team discussed, what it decided.",
                        "We talked it through.")
    draft.write_text(f"{head}\n---\n{body}")
    assert "## Actions carried over" in body and body.count("-->") == 1
    page = build(sample, dt.date.fromisoformat(AS_OF)).files["records/2026-11-sales.md"].decode()
    assert "We talked it through." in page
    assert "Actions carried over" not in page and "Causes cited in the last" not in page


def test_a_prior_reading_from_before_a_gap_says_its_month(sample: Path) -> None:
    """Marketing's latest retro is October 2026; prep for December 2026 (November skipped)
    compares the export with October's readings, which the agenda called "Last month". Each
    says its month now. (The trailing mean is of September and October, the readings in the
    three months before; for January 2027 there would be October alone, and no trend.)"""
    metrics = sample.parent / "metrics.csv"
    text = _prep_marketing(sample, "2026-12", "2027-01-05")
    rows = [line for line in text.splitlines() if line.startswith("| MQL")]
    assert rows and all(" (October 2026) |" in row for row in rows), rows
    # Without a gap the column's own heading says it: no month in the cell.
    nearby = run_cli("prep", "--team", "marketing", "--period", "2026-11", "--metrics",
                     str(metrics), "--root", str(sample), "--as-of", AS_OF)
    assert nearby.exit_code == 0, nearby.output
    assert "(October 2026)" not in (sample / "retros" / "2026-11-marketing.md").read_text()


def test_readings_back_after_a_pause_worse_than_the_last_are_on_the_agenda(
        sample: Path) -> None:
    """Marketing's latest retro is October 2026 (hand-offs accepted 73/104 = 70.2 %); back
    in February 2027 with 40/80 = 50.0 %. No month of November to January has a reading, so
    there is no 3-month trend and nothing "moved the wrong way": the agenda said so, and
    hid a fall of 20.2 points. It lists what is worse than the last reading, with its month."""
    text = _prep_marketing(sample, "2027-02", "2027-03-05")
    assert "No indicator moved the wrong way" not in text
    assert ("| Hand-offs accepted within 48 h | all | 50.0% | 70.2% (October 2026) | −20.2 pp |"
            in text), text


def test_a_segment_the_taxonomy_gained_since_the_team_s_last_retro_is_not_required(
        sample: Path) -> None:
    """The taxonomy adds a partners source; marketing's retros, and this month's export,
    give the four it had. prep refused the export ("mql-to-sql has no reading for partners"),
    though validation asks only for the segments the team gave last time: so does prep. A
    segment the team did give last time is still required."""
    taxonomy = sample / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text().replace(
        "segments: [inbound, outbound, events, nurture]",
        "segments: [inbound, outbound, events, nurture, partners]"))
    metrics = sample.parent / "metrics.csv"
    metrics.write_text(METRICS)
    result = run_cli("prep", "--team", "marketing", "--period", "2026-11", "--metrics",
                     str(metrics), "--root", str(sample), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    (sample / "retros" / "2026-11-marketing.md").unlink()
    metrics.write_text("\n".join(line for line in METRICS.splitlines()
                                  if not line.startswith("mql-to-sql,nurture")) + "\n")
    short = run_cli("prep", "--team", "marketing", "--period", "2026-11", "--metrics",
                    str(metrics), "--root", str(sample), "--as-of", AS_OF)
    assert short.exit_code == 1
    assert "mql-to-sql has no reading for nurture (" in short.output, short.output


def test_a_segment_written_with_nothing_to_measure_is_asked_for_where_validation_asks(
        tmp_path: Path) -> None:
    """September wrote `enterprise:` and `tier-3:` with no value (nothing to measure). prep
    for October refused an export without their rows ("win-rate has no reading for
    enterprise"), though validation compares October with September as if they were not
    written, and warns of neither left out: August had left enterprise out, and the sales
    cycle is a mean of tiers, another figure with or without one. prep asks for them where
    validation does: enterprise once August gave it a value (a pooled rate's overall is the
    same with September's `enterprise:`, so October leaving it out combines something
    else), the tier never."""
    def retro(period: str, held: str, win_rate: str, cycle: str) -> str:
        return (f"---\ntype: retro\nperiod: {period}\nteam: sales\nheld: {held}\n"
                f"facilitator: Dana Ng\nformat: five-whys\nindicators:\n"
                f"  win-rate: {{{win_rate}}}\n  sales-cycle: {{{cycle}}}\n---\n\nBody.\n")

    august = "retros/2026-08-sales.md"
    root = make_kb(tmp_path / "kb", {
        august: retro("2026-08", "2026-09-02", 'smb: "10/40", mid-market: "5/20"',
                      "tier-1: 40, tier-2: 70, tier-3: 90"),
        "retros/2026-09-sales.md": retro(
            "2026-09", "2026-10-02", 'smb: "12/40", mid-market: "6/20", enterprise: ',
            "tier-1: 41, tier-2: 71, tier-3: "),
    }, taxonomy=REPO / "taxonomy.yml")
    metrics = tmp_path / "october.csv"
    metrics.write_text("Segment,Indicator,Value\nsmb,win-rate,11/40\nmid-market,win-rate,5/20\n"
                       "tier-1,sales-cycle,42\ntier-2,sales-cycle,72\n")

    def prep() -> Result:
        return run_cli("prep", "--team", "sales", "--period", "2026-10", "--metrics",
                       str(metrics), "--root", str(root), "--as-of", "2026-11-05",
                       "--facilitator", "Dana Ng")

    draft = root / "retros" / "2026-10-sales.md"
    written = prep()
    assert written.output.splitlines() == [draft.as_posix()], written.output
    assert "enterprise" not in draft.read_text().split("\n---\n")[0]
    checked = run_cli("validate", "--root", str(root), "--as-of", "2026-11-05")
    assert "leaves out" not in checked.output, checked.output

    # August gave enterprise a value: validation now warns that October leaves it out, and
    # prep asks for its row (with an empty value, when there is still nothing to measure).
    (root / august).write_text((root / august).read_text().replace(
        'mid-market: "5/20"', 'mid-market: "5/20", enterprise: "1/5"'))
    checked = run_cli("validate", "--root", str(root), "--as-of", "2026-11-05")
    assert ("indicators.win-rate  warning: win-rate leaves out enterprise, which "
            "2026-08-sales gave" in checked.output), checked.output
    assert "sales-cycle leaves out" not in checked.output, checked.output
    draft.unlink()
    refused = prep()
    assert refused.exit_code == 1
    assert refused.output.splitlines() == [
        f"{metrics.as_posix()}:2:1  segment  win-rate has no reading for enterprise (add a "
        "row per segment, so the month's overall value is complete; a segment with nothing "
        "to measure this month (no deals) gets a row with an empty value)",
        f"error: {metrics.as_posix()} has errors; nothing was written",
    ]

    # A team's first month, every segment with nothing to measure: the next month is
    # compared as it gives them, and no segment is asked for (not every one of the
    # taxonomy's, as for an indicator never given).
    (root / august).unlink()
    (root / "retros" / "2026-09-sales.md").write_text(retro(
        "2026-09", "2026-10-02", "smb: , mid-market: , enterprise: ", "tier-1: 41"))
    metrics.write_text("indicator,segment,value\nwin-rate,smb,11/40\n")
    written = prep()
    assert written.output.splitlines() == [draft.as_posix()], written.output
    checked = run_cli("validate", "--root", str(root), "--as-of", "2026-11-05")
    assert "leaves out" not in checked.output, checked.output


def test_a_european_spreadsheet_export_reads_and_a_local_encoding_is_located(
        sample: Path) -> None:
    """Excel set to German writes `;` between cells and a decimal comma inside them: the
    header said "indicator;segment;value" and the error said the header should be that, with
    commas. Saved in Windows-1252, an é on row 3 was reported at row 1 with Python's words."""
    semicolons = sample.parent / "de.csv"
    semicolons.write_text(METRICS.replace(",", ";").replace('"', ""))
    result = run_cli("prep", "--team", "marketing", "--period", "2026-11", "--metrics",
                     str(semicolons), "--root", str(sample), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    text = (sample / "retros" / "2026-11-marketing.md").read_text()
    assert "inbound: 50/190" in text.replace('"', "")
    tabs = sample.parent / "tabs.csv"
    tabs.write_text(METRICS.replace(",", "\t").replace('"', ""))
    again = run_cli("prep", "--team", "marketing", "--period", "2026-12", "--metrics",
                    str(tabs), "--root", str(sample), "--as-of", AS_OF)
    assert again.exit_code == 0, again.output
    latin = sample.parent / "latin.csv"
    # Row 3 is `mql-to-sql,outbound,"10/110"` (28 characters), then the byte.
    latin.write_bytes(METRICS.encode().replace(b'"10/110"', b'"10/110"\xe9'))
    bad = run_cli("prep", "--team", "marketing", "--period", "2027-01", "--metrics",
                  str(latin), "--root", str(sample), "--as-of", AS_OF)
    assert bad.exit_code != 0 and "Traceback" not in bad.output
    assert f"{latin.as_posix()}:3:29  -  is not UTF-8 (byte 0xe9 here) (save it as UTF-8" \
        in bad.output, bad.output


def test_a_figure_written_with_a_european_thousands_point_is_asked_about_as_in_a_record(
        sample: Path) -> None:
    """A German export writes 7,250 as 7.250. The draft said `deal-size: 7.25` without a
    word (a record saying the same is warned about), and a count of 2.400 was refused as an
    average. Now both say what the validator says, naming the reading; the draft keeps the
    text as written, so validating the draft asks again until it is settled."""
    counts = sample.parent / "de-counts.csv"
    counts.write_text("indicator,segment,value\ndeals-won,smb,2.400\ndeals-won,mid-market,3\n"
                      "deals-won,enterprise,1\ndeal-size,,7.250\n")
    before = tree_hash(sample / "retros")
    refused = run_cli("prep", "--team", "sales", "--period", "2026-11", "--metrics",
                      str(counts), "--root", str(sample), "--as-of", AS_OF)
    shown = counts.as_posix()
    assert refused.exit_code == 1
    assert refused.output.splitlines() == [
        f"{shown}:2:15  value  a count must be a whole number (2.400 for deals-won/smb reads "
        "as 2.4: in a metrics CSV the point is a decimal point) (if it means 2,400, write 2400)",
        f"{shown}:5:12  value  warning: 7.250 for deal-size reads as 7.25: in a metrics CSV the "
        "point is a decimal point (if it means 7,250, write 7250; if 7.25, write 7.25)",
        f"error: {shown} has errors; nothing was written",
    ]
    assert tree_hash(sample / "retros") == before

    money = sample.parent / "de-money.csv"
    money.write_text("indicator,segment,value\ndeal-size,,7.250\n")
    written = run_cli("prep", "--team", "sales", "--period", "2026-11", "--metrics",
                      str(money), "--root", str(sample), "--as-of", AS_OF)
    assert written.exit_code == 0, written.output
    assert written.output.splitlines() == [
        f"{money.as_posix()}:2:12  value  warning: 7.250 for deal-size reads as 7.25: in a "
        "metrics CSV the point is a decimal point (if it means 7,250, write 7250; if 7.25, "
        "write 7.25)",
        (sample / "retros" / "2026-11-sales.md").as_posix(),
    ]
    draft = (sample / "retros" / "2026-11-sales.md").read_text()
    assert "\n  deal-size: 7.250\n" in draft
    checked = run_cli("validate", "--root", str(sample), "--as-of", AS_OF)
    assert ("indicators.deal-size  warning: 7.250 reads as 7.25: in YAML the point is a "
            "decimal point (if it means 7,250, write 7250; if 7.25, write 7.25)") in checked.output


def test_open_actions_past_the_five_listed_are_counted_and_where_to_see_them(
        sample: Path) -> None:
    """Sales with six open actions: the draft's "Before you start" lists five and says so,
    and points at the command that lists them all (it said "6 open actions" over five)."""
    record = sample / "retros" / "2026-10-sales.md"
    extra = "".join(f'  - id: SAL-2026-10-{n}\n    title: "Extra action {n}"\n'
                    f'    owner: "Ravi Patel"\n    due: 2027-02-0{n}\n    status: open\n'
                    for n in (2, 3))
    record.write_text(record.read_text().replace("action_updates:\n", extra + "action_updates:\n",
                                                 1))
    result = run_cli("prep", "--team", "sales", "--period", "2026-11", "--root", str(sample),
                     "--as-of", AS_OF, "--facilitator", "Ann")
    assert result.exit_code == 0, result.output
    front = (sample / "retros" / "2026-11-sales.md").read_text().split("\n---\n", 1)[0]
    block = front[front.index("# Before you start"):front.index("\ntype: retro")]
    assert "#   6 open actions of this team, 2 overdue:" in block
    assert len(re.findall(r"^#   - [A-Z]+-", block, flags=re.M)) == 5, block
    assert "#   …and 1 more open action in `hindsight actions --team sales`." in block
    listed = run_cli("actions", "--team", "sales", "--root", str(sample), "--as-of", AS_OF,
                     "--format", "json")
    assert listed.exit_code == 0, listed.output
    assert len(json.loads(listed.stdout)["actions"]) == 6


def test_a_rate_computed_from_counts_with_nothing_to_measure_is_compared(
        tmp_path: Path) -> None:
    """Events had nothing to measure in October, written as the counts' `events:` with no
    value (mql-to-sql is sqls / mqls): the rate's overall pools the other three sources and is
    compared with September's, as it is when the rate itself is written so. It read "new".
    September: (50 + 20 + 10 + 30) / (200 + 100 + 50 + 150) = 110 / 500 = 22.0 %. October:
    (71 + 29 + 42) / (238 + 122 + 222) = 142 / 582 = 24.4 %: +2.4 pp."""
    def retro(period: str, held: str, mqls: str, sqls: str) -> str:
        return (f"---\ntype: retro\nperiod: {period}\nteam: marketing\nheld: {held}\n"
                f"facilitator: Lena Novak\nformat: five-whys\nindicators:\n"
                f"  mqls: {{{mqls}}}\n  sqls: {{{sqls}}}\n---\n\nBody.\n")

    root = make_kb(tmp_path / "kb", {
        "retros/2026-09-marketing.md": retro(
            "2026-09", "2026-10-02", "inbound: 200, outbound: 100, events: 50, nurture: 150",
            "inbound: 50, outbound: 20, events: 10, nurture: 30"),
        "retros/2026-10-marketing.md": retro(
            "2026-10", "2026-11-03", "inbound: 238, outbound: 122, events: , nurture: 222",
            "inbound: 71, outbound: 29, events: , nurture: 42"),
    }, taxonomy=REPO / "taxonomy.yml")
    page = build(root, dt.date(2026, 11, 10)).files["indicators/mql-to-sql.md"]
    row = next(line for line in page.decode().splitlines()
               if '<th scope="row" class="hs-date">2026-10</th><td>all</td>' in line)
    assert ">24.4%</a>" in row and '<td class="hs-num">+2.4 pp</td>' in row, row


def test_a_new_team_s_second_month_worse_than_its_first_is_on_the_agenda(
        tmp_path: Path) -> None:
    """A team that began in October 2026 has no 3-month trend in November: pipeline velocity
    fell from $5,000 to $3,000 a day and tier-1's sales cycle grew from 40 to 60 days, which
    the site calls worse, yet prep's agenda said "nothing moved the wrong way" (only a team
    back after a pause had its falls listed). Without a CSV (December's draft, November the
    latest retro) and with one (November's draft from an export), both are listed."""
    def retro(period: str, held: str, velocity: str, cycle: str) -> str:
        return (f"---\ntype: retro\nperiod: {period}\nteam: sales\nheld: {held}\n"
                f"facilitator: Ana Silva\nformat: five-whys\nindicators:\n"
                f"  pipeline-velocity: {velocity}\n  sales-cycle: {{tier-1: {cycle}}}\n"
                "---\n\nBody.\n")

    october = retro("2026-10", "2026-11-02", "5000", "40")
    root = make_kb(tmp_path / "kb", {
        "retros/2026-10-sales.md": october,
        "retros/2026-11-sales.md": retro("2026-11", "2026-12-01", "3000", "60"),
    })
    result = run_cli("prep", "--team", "sales", "--period", "2026-12", "--root", str(root),
                     "--as-of", "2026-12-03", "--held", "2027-01-04")
    assert result.exit_code == 0, result.output
    text = (root / "retros" / "2026-12-sales.md").read_text(encoding="utf-8")
    assert "nothing moved the wrong way" not in text, text
    assert "| Pipeline velocity | all | $3,000/day | $5,000/day (October 2026) | −$2,000 |" \
        in text, text
    assert "| Sales cycle | tier-1 | 60 days | 40 days (October 2026) | +20 days |" in text

    fresh = make_kb(tmp_path / "fresh", {"retros/2026-10-sales.md": october})
    metrics = tmp_path / "november.csv"
    metrics.write_text("indicator,segment,value\npipeline-velocity,,3000\n"
                       "sales-cycle,tier-1,60\n", encoding="utf-8")
    result = run_cli("prep", "--team", "sales", "--period", "2026-11", "--metrics",
                     str(metrics), "--root", str(fresh), "--as-of", "2026-12-03")
    assert result.exit_code == 0, result.output
    text = (fresh / "retros" / "2026-11-sales.md").read_text(encoding="utf-8")
    assert "No indicator moved the wrong way" not in text, text
    assert "| Pipeline velocity | all | $3,000/day | $5,000/day (October 2026) | −$2,000 |" \
        in text, text


def test_actions_a_team_s_records_raised_for_other_teams_are_carried_over(
        tmp_path: Path) -> None:
    """Marketing's post-mortem gave RevOps a fix (`team: revops`) and its retro gave Sales
    one: Marketing's draft carried neither (RevOps holds no retros, so its fix reached no
    draft at all). They are carried over, each once, marked as another team's, beside the
    team's own (one Sales raised for Marketing among them); an action Sales raised for
    RevOps is not Marketing's to review; and an update from Marketing's draft is valid."""
    def action(action_id: str, due: str, status: str = "open", team: str = "") -> str:
        owned = f"    team: {team}\n" if team else ""
        return (f"  - id: {action_id}\n    title: Fix {action_id}\n    owner: Lena Ortiz\n"
                f"{owned}    due: {due}\n    status: {status}\n")

    def retro(team: str, actions: str) -> str:
        return (f"---\ntype: retro\nperiod: 2026-04\nteam: {team}\nheld: 2026-05-04\n"
                f"facilitator: Ana Silva\nformat: five-whys\nindicators:\n"
                f"  pipeline-velocity: 4000\nactions:\n{actions}---\n\nBody.\n")

    root = make_kb(tmp_path / "kb", {
        "postmortems/2026-04-webinar-no-shows.md": (
            "---\ntype: postmortem\nname: Webinar no-shows\nkind: campaign\noutcome: loss\n"
            "summary: Two in three registrants never came.\nteam: marketing\n"
            "event_ended: 2026-04-20\nheld: 2026-04-24\nkeeper: Ana Silva\nactions:\n"
            + action("WEB-1", "2026-05-01", team="revops")
            + action("WEB-2", "2026-05-02", status="done") + "---\n\nBody.\n"),
        "retros/2026-04-marketing.md": retro(
            "marketing", action("MKT-1", "2026-05-20")
            + action("MKT-2", "2026-05-10", status="in-progress", team="sales")),
        "retros/2026-04-sales.md": retro(
            "sales", action("SAL-1", "2026-05-05", team="revops")
            + action("SAL-2", "2026-06-30", team="marketing")),
    })
    taxonomy = root / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8").replace(
        "plan_kinds:\n", "  - id: revops\n    name: Revenue Operations\nplan_kinds:\n", 1),
        encoding="utf-8")
    result = run_cli("prep", "--team", "marketing", "--period", "2026-05", "--held",
                     "2026-06-03", "--facilitator", "Ana Silva", "--root", str(root),
                     "--as-of", "2026-06-03")
    assert result.exit_code == 0, result.output
    draft = root / "retros" / "2026-05-marketing.md"
    text = draft.read_text(encoding="utf-8")
    front = text.split("\n---\n", 1)[0]
    assert ("#   2 open actions of this team and 2 that its records raised for other teams, "
            "3 overdue:") in front, front
    assert "#   - WEB-1 Fix WEB-1 (Lena Ortiz, owned by Revenue Operations, due 2026-05-01, " \
        "overdue 33 days)" in front
    assert "#   - id: MKT-2  # Lena Ortiz, owned by Sales, due 2026-05-10, overdue 24 days, " \
        "in progress\n" in front
    table = text.split("## Actions carried over", 1)[1].split("## Causes", 1)[0]
    assert "| `WEB-1` | Fix WEB-1 | Lena Ortiz (owned by Revenue Operations) | 2026-05-01 |" \
        in table
    assert "| `SAL-2` | Fix SAL-2 | Lena Ortiz | 2026-06-30 | open |" in table
    assert "SAL-1" not in text and "WEB-2" not in text
    uncommented, ids = _uncomment_carried_over(text)
    assert ids == ["WEB-1", "MKT-2", "MKT-1", "SAL-2"]  # each once, oldest due first
    draft.write_text(uncommented, encoding="utf-8")
    checked = run_cli("validate", "--root", str(root), "--as-of", "2026-06-03")
    assert checked.exit_code == 0, checked.output
    listed = run_cli("actions", "--all", "--root", str(root), "--as-of", "2026-06-03",
                     "--format", "json")
    assert listed.exit_code == 0, listed.output
    status = {row["id"]: row["status"] for row in json.loads(listed.stdout)["actions"]}
    assert status == {"WEB-1": "done", "WEB-2": "done", "MKT-1": "done", "MKT-2": "done",
                      "SAL-1": "open", "SAL-2": "done"}, status
