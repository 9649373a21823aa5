"""A build dated before some records: what the records held after it raised is not yet raised.

The knowledge base is shaped unlike the sample: sales reports every month with its win rate
written as a decimal for one segment, marketing holds one retro and pauses, and a post-mortem
typed as held in 2028 raises two actions, one of them due before the as-of date. Everything is
committed to a real git repository on a fixed day. Expected figures are worked out by hand in
the comments.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, run_cli
from generator.site.build import build
from gittools import commit_all, init
from sitetools import make_project, mkdocs_build, table_rows

AS_OF = dt.date(2026, 4, 15)
COMMITTED = "2026-04-20T10:00:00+00:00"


def _retro(team: str, period: str, held: str, extra: str) -> str:
    return f"""---
type: retro
period: {period}
team: {team}
held: {held}
facilitator: Ana Ruiz
participants: [Ana Ruiz, Ben Okafor]
format: went-well-didnt
indicators:
  win-rate: {{smb: 0.25}}
went_well: [Renewals]
{extra}---

Notes.
"""


FILES = {
    "retros/2026-01-sales.md": _retro("sales", "2026-01", "2026-02-05", """actions:
  - {id: S-1, title: Call every stalled deal, owner: Ana Ruiz, due: 2026-03-01}
  - {id: S-2, title: Write the pricing one-pager, owner: Ben Okafor, due: 2026-09-30}
"""),
    # S-2 done on 2026-03-02, seven months before it was due.
    "retros/2026-02-sales.md": _retro("sales", "2026-02", "2026-03-04", """action_updates:
  - {id: S-2, status: done, done_on: 2026-03-02}
actions:
  - {id: S-3, title: Review the discount desk, owner: Ana Ruiz, due: 2026-06-30}
"""),
    "retros/2026-03-sales.md": _retro("sales", "2026-03", "2026-04-02", ""),
    # Marketing holds January's retro and pauses.
    "retros/2026-01-marketing.md": _retro("marketing", "2026-01", "2026-02-06", """actions:
  - {id: M-1, title: Fix the webinar form, owner: Dee Vo, due: 2026-02-28}
"""),
    # Meant to be 2026-02-27: typed as a leap day two years out.
    "postmortems/2026-02-the-lost-renewal.md": """---
type: postmortem
name: The renewal campaign
kind: campaign
outcome: loss
summary: A renewal campaign lost to a cheaper rival.
team: sales
event_ended: 2028-02-20
held: 2028-02-29
keeper: Ana Ruiz
participants: [Ana Ruiz, Cy Tan]
actions:
  - {id: P-1, title: Map every renewal's champion, owner: Ana Ruiz, due: 2028-03-31}
  - {id: P-2, title: Price-check the rival, owner: Cy Tan, due: 2026-04-01}
---

# The lost renewal

Lost on price.
""",
}


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The records in a real git repository, committed on 2026-04-20."""
    return _committed(tmp_path_factory.mktemp("as-of") / "kb", FILES, COMMITTED)


@pytest.fixture(scope="module")
def pages(repo: Path) -> dict[str, str]:
    return {path: data.decode() for path, data in build(repo, AS_OF).files.items()
            if path.endswith(".md")}


def _summary(page: str, heading: str) -> str:
    """The count a folded register section shows: "Open — 1" gives "1"."""
    found = re.search(rf"<summary>{heading} — (\d+)</summary>", page)
    return found.group(1) if found else "none"


def test_the_home_page_counts_only_actions_raised_by_the_as_of_date(
        pages: dict[str, str]) -> None:
    home = pages["index.md"]
    # As of 2026-04-15: S-1 (due 03-01) and M-1 (due 02-28) are overdue, S-3 (due 06-30) is
    # open; P-1 and P-2 are raised by a record held 2028-02-29, not yet raised. (P-2, due
    # 2026-04-01, was counted as a third overdue action.)
    rows = table_rows(home)
    assert "| Overdue actions | [2](actions/#overdue) |" in rows, rows
    assert "| Open, not yet due | [1](actions/#open) |" in rows, rows
    # Follow-through: S-2 done on time; S-1 and M-1 open past their due dates: 1 of 3. S-2
    # is done seven months before its due date: "due so far" would not have counted it.
    assert "| Follow-through (done by the first due date) | [33%](actions/#follow-through): 1 " \
           "of the 3 actions done or past their first due date was done on time |" in rows, rows


def test_the_register_its_chart_and_its_groups_agree(pages: dict[str, str]) -> None:
    register = pages["actions/index.md"]
    # Opened: February S-1, S-2, M-1; March S-3. Closed: March S-2. Open on 2026-04-15: 3,
    # the register's 2 overdue and 1 open.
    assert "3 actions open as of 2026-04-15." in register
    assert _summary(register, "Overdue") == "2"
    assert _summary(register, "Open") == "1"
    assert "P-1" not in register and "P-2" not in register
    assert "| [2](#overdue) | [1](#open) | [1](#done) | 0 | 0 | [33%](#follow-through) |" \
        in register, register
    # By owner: Ana Ruiz has S-1 (overdue) and S-3 (open), not P-1; Cy Tan has no action yet.
    ana = "../actions/owners/ana-ruiz/"
    rows = table_rows(register)
    assert any(row.startswith(f"| [Ana Ruiz]({ana}) | [1]({ana}#open) | [1]({ana}#overdue) |")
               for row in rows), rows
    assert "Cy Tan" not in register
    # By team: sales has S-1, S-2, S-3: follow-through S-2 on time of S-2 and S-1 (50%).
    sales = next(row for row in rows if row.startswith("| [Sales]"))
    assert sales.endswith("| [50%](../teams/sales/#actions) |"), sales
    # S-3 open, S-1 overdue, S-2 done on time: its three actions, not P-1 or P-2.
    assert ("| [1](../teams/sales/#open) | [1](../teams/sales/#overdue) "
            "| [1](../teams/sales/#done) | 0 | 0 |") in sales, sales


def test_owner_and_team_pages_leave_out_what_is_not_yet_raised(pages: dict[str, str]) -> None:
    ana = pages["actions/owners/ana-ruiz.md"]
    assert "| 2 | [1](#open) | [1](#overdue) | 0 | 0 | 0 | 0% |" in ana, ana
    assert "P-1" not in ana
    # Cy Tan owns P-2 alone: no action of his is raised yet, so he has no page.
    assert "actions/owners/cy-tan.md" not in pages
    sales = pages["teams/sales.md"]
    assert "P-1" not in sales and "P-2" not in sales and "S-1" in sales
    assert "2026-02-the-lost-renewal" not in sales
    teams = pages["teams/index.md"]
    # Sales' records held by then: three retros (the post-mortem is held 2028-02-29). Open
    # actions by team: sales S-1 and S-3, marketing M-1.
    rows = table_rows(teams)
    sales, marketing = "../teams/sales/", "../teams/marketing/"
    assert f"| [Sales]({sales}) | [3]({sales}#records) | [2]({sales}#actions) |" in rows, rows
    assert (f"| [Marketing]({marketing}) | [1]({marketing}#records) | [1]({marketing}#actions) |"
            in rows), rows


def test_hindsight_actions_leaves_them_out_and_says_so(repo: Path) -> None:
    result = run_cli("actions", "--root", str(repo), "--as-of", AS_OF.isoformat())
    assert result.exit_code == 0, result.output
    assert "P-1" not in result.output.split("3 actions")[0]
    ids = re.findall(r"^│ ([A-Z]-\d)", result.output, re.MULTILINE)
    assert ids == ["M-1", "S-1", "S-3"], result.output
    assert result.output.endswith(
        "3 actions\n2 actions left out: raised by a record held after 2026-04-15, so not yet "
        "raised as of that day: P-2 (2026-02-the-lost-renewal, held 2028-02-29), P-1 "
        "(2026-02-the-lost-renewal, held 2028-02-29) (check the record's held date, or give a "
        "later --as-of)\n"), result.output
    asked = run_cli("actions", "P-2", "--root", str(repo), "--as-of", AS_OF.isoformat())
    assert asked.exit_code == 0, asked.output
    assert asked.output.endswith("0 actions as of 2026-04-15\n1 action left out: raised by a "
                                 "record held after "
                                 "2026-04-15, so not yet raised as of that day: P-2 "
                                 "(2026-02-the-lost-renewal, held 2028-02-29) (check the "
                                 "record's held date, or give a later --as-of)\n"), asked.output
    # Built later, the post-mortem's actions are in the register.
    later = run_cli("actions", "--root", str(repo), "--as-of", "2028-03-01", "--all")
    assert "P-1" in later.output and "left out" not in later.output


def test_validate_warns_about_the_record_not_its_actions(repo: Path) -> None:
    result = run_cli("validate", "--root", str(repo), "--as-of", AS_OF.isoformat())
    assert result.exit_code == 0, result.output
    assert "postmortems/2026-02-the-lost-renewal.md:9:7  held  warning: 2028-02-29 is after " \
           "the build date (2026-04-15)" in result.output
    # P-2 (due 2026-04-01) is not yet raised, so not overdue; S-1 and M-1 are.
    overdue = re.findall(r"action (\S+) is overdue", result.output)
    assert overdue == ["M-1", "S-1"], result.output


EARLY = {
    # January's retro held on the 28th, three days before January ended.
    "retros/2027-01-sales.md": _retro("sales", "2027-01", "2027-01-28", """actions:
  - {id: Q-1, title: Clean the forecast, owner: Ana Ruiz, due: 2027-02-05}
  - {id: Q-2, title: Refresh the battlecards, owner: Ben Okafor, due: 2027-02-08}
  - {id: Q-3, title: Re-tier the accounts, owner: Ana Ruiz, due: 2027-03-02}
  - {id: Q-4, title: Survey lost deals, owner: Cy Tan, due: 2027-02-09}
"""),
    # The Q1 review held on 2027-02-10, seven weeks before the quarter ended.
    "retros/2027-q1-review.md": """---
type: review
period: 2027-Q1
held: 2027-02-10
facilitator: Ana Ruiz
scorecard:
  - {metric: Follow-through, goal: 0.8, unit: rate, measure: action-follow-through}
action_updates:
  - {id: Q-1, status: done, done_on: 2027-02-04}
  - {id: Q-4, status: dropped, note: Folded into the win-loss interviews}
---

Notes.
""",
}


@pytest.fixture(scope="module")
def early(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A retro and a review held before their periods ended, committed on 2027-02-11."""
    return _committed(tmp_path_factory.mktemp("early") / "kb", EARLY,
                      "2027-02-11T10:00:00+00:00")


def test_a_retro_or_review_held_before_its_period_ended_is_warned(early: Path) -> None:
    result = run_cli("validate", "--root", str(early), "--as-of", "2027-02-11")
    assert result.exit_code == 0, result.output
    assert "retros/2027-01-sales.md:5:7  held  warning: 2027-01-28 is before the month it " \
           "reviews (2027-01) ended (2027-01-31) (check the held date and the period; a retro " \
           "held before its month is over reviews only part of it)\n" in result.output
    assert "retros/2027-q1-review.md:4:7  held  warning: 2027-02-10 is before the quarter it " \
           "reviews (2027-Q1) ended (2027-03-31) (check the held date and the period; its " \
           "action follow-through counts only the actions due by 2027-02-10)\n" in result.output


def test_a_review_held_early_counts_only_the_actions_due_by_then(early: Path) -> None:
    page = build(early, dt.date(2027, 2, 11)).files["records/2027-q1-review.md"].decode()
    # Due by 2027-02-10 and not dropped: Q-1 (done 02-04) and Q-2 (open): 1 of 2. Q-3, due
    # 2027-03-02, had not had its chance (it was counted as not done: 1 of 3); Q-4 dropped.
    # (The Markdown escapes the parentheses.)
    assert "- **Follow-through**: 1 of 2 actions first due in 2027-Q1 done by 2027-02-10, on " \
           "time or late \\(dropped ones left out; held before the quarter ended, so only " \
           "actions due by 2027-02-10 count\\); from " in page, page
    row = next(row for row in table_rows(page) if row.startswith("| Follow-through |"))
    # 50% against a goal of 80%: 62.5%, shown as 63%. Q-1 was done by its due date too: by
    # the register's rule, beside it, also 1 of 2.
    assert row == ("| Follow-through | 80.0% | 50.0% *(computed: done, on time or late, 1 of 2; "
                   "by the first due date 1 of 2, 50.0%)* | 63% | filled in |"), row


def test_an_action_due_before_its_record_was_held_is_warned_at_its_due_date(
        tmp_path: Path) -> None:
    root = tmp_path / "kb"
    init(root)
    shutil.copy(FIXTURES / "taxonomy.yml", root / "taxonomy.yml")
    (root / "retros").mkdir()
    # Held 2026-12-21; D-1's due date 2026-10-01 was meant as 2027-01-10. D-2 is due the day
    # the retro was held, which is a date that can be meant.
    (root / "retros" / "2026-11-sales.md").write_text(_retro("sales", "2026-11", "2026-12-21",
                                                             """actions:
  - {id: D-1, title: Reprice the add-ons, owner: Ana Ruiz, due: 2026-10-01}
  - {id: D-2, title: Send the renewal list, owner: Ben Okafor, due: 2026-12-21,
     status: done}
"""), encoding="utf-8")
    commit_all(root, "November", "Ana Ruiz", "2026-12-22T10:00:00+00:00")
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-12-22")
    assert result.exit_code == 0, result.output
    # Column 65: where 2026-10-01 starts on D-1's line. (Two warnings at one place are
    # listed by their wording.)
    assert result.output.splitlines()[:2] == [
        # Still overdue as of the build, as the register shows it.
        "retros/2026-11-sales.md:13:65  actions[0].due  warning: action D-1 is overdue (due "
        "2026-10-01, owner Ana Ruiz) (close it, move its due date, or drop it in the next "
        "record's action_updates)",
        "retros/2026-11-sales.md:13:65  actions[0].due  warning: due 2026-10-01 is before this "
        "record was held (2026-12-21) (check the date)"], result.output
    assert "D-2" not in result.output and "2026-12-21 is before" not in result.output


def _paused_team(root: Path) -> Path:
    """Sales reports its smb win rate (a decimal) for 2024-01 to 2024-03, marks E-1 done on
    2024-04-02 in the March retro, and pauses: no retro since."""
    init(root)
    shutil.copy(FIXTURES / "taxonomy.yml", root / "taxonomy.yml")
    (root / "retros").mkdir()
    retros = {
        "2024-01": ("2024-02-05", 0.20, ""),
        "2024-02": ("2024-03-05", 0.22, """actions:
  - {id: E-1, title: Qualify out-of-ICP deals early, owner: Ana Ruiz, due: 2024-04-30,
     indicator: win-rate, segment: smb}
"""),
        "2024-03": ("2024-04-03", 0.21, """action_updates:
  - {id: E-1, status: done, done_on: 2024-04-02}
"""),
    }
    for period, (held, rate, extra) in retros.items():
        (root / "retros" / f"{period}-sales.md").write_text(
            _retro("sales", period, held, extra).replace("smb: 0.25", f"smb: {rate}"),
            encoding="utf-8")
    commit_all(root, "Sales retros", "Ana Ruiz", "2024-04-04T10:00:00+00:00")
    return root


def _verdict_of_e1(page: str) -> str:
    row = next(line for line in page.splitlines() if "<code>E-1</code>" in line)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()


def test_a_fix_whose_reading_window_has_passed_is_not_measurable(tmp_path: Path) -> None:
    root = _paused_team(tmp_path / "kb")
    # Done 2024-04: the readings after are those of 2024-05 to 2024-10, whose retros are due
    # by 2025-01-01 (62 days after October). As of 2026-09-15, 29 months on, none came.
    late = build(root, dt.date(2026, 9, 15)).files["actions/effectiveness.md"].decode()
    assert "0 of 3 readings in the 6 months after it was done, to 2024-10: as of 2026-09-15 " \
           "no more are coming" in late, late
    assert "0 of 3 readings after so far" not in late
    assert "| 0 | 0 | 0 | 0 | [1](#not-measurable) |" in late
    # As of 2024-12-15, October's retro may still come: too early to tell.
    early = build(root, dt.date(2024, 12, 15)).files["actions/effectiveness.md"].decode()
    assert "0 of 3 readings after so far" in early, early
    assert "no more are coming" not in early
    assert "| 0 | 0 | 0 | [1](#too-early-to-tell) | 0 |" in early


def _committed(root: Path, files: dict[str, str], when: str) -> Path:
    """``files`` with the fixture taxonomy in a real git repository at ``root``, committed by
    Ana Ruiz at ``when``."""
    init(root)
    shutil.copy(FIXTURES / "taxonomy.yml", root / "taxonomy.yml")
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    commit_all(root, "Records", "Ana Ruiz", when)
    return root


# Marketing's August retro raises five actions; September's closes W-3 and raises W-4;
# October's, held 2026-11-03, after the as-of date, closes W-1 and W-6, re-dates W-2, drops
# W-4, cites nurture-decay again and raises W-5. A Q3 review was held on 2026-08-20, six weeks
# before its quarter ended.
LATER_AS_OF = "2026-10-01"
LATER = {
    "retros/2026-08-marketing.md": _retro("marketing", "2026-08", "2026-09-03", """causes:
  - cause: nurture-decay
    whys: [Replies to the nurture fell by half, Its links pointed at retired pages]
actions:
  - {id: W-1, title: Rebuild the nurture sequence, owner: Noor Haddad, due: 2026-09-20,
     cause: nurture-decay}
  - {id: W-2, title: Audit the lead scoring, owner: Lio Brandt, due: 2026-12-15}
  - {id: W-3, title: Fix the webinar links, owner: Noor Haddad, due: 2026-09-10}
  - {id: W-6, title: Retire the old landing pages, owner: Lio Brandt, due: 2026-09-26}
"""),
    "retros/2026-09-marketing.md": _retro("marketing", "2026-09", "2026-09-30", """\
action_updates:
  - {id: W-3, status: done, done_on: 2026-09-08}
actions:
  - {id: W-4, title: Test a shorter form, owner: Lio Brandt, due: 2026-11-30}
"""),
    "retros/2026-10-marketing.md": _retro("marketing", "2026-10", "2026-11-03", """causes:
  - cause: nurture-decay
    whys: [The rebuilt sequence went out late, Replies kept falling]
action_updates:
  - {id: W-1, status: done, done_on: 2026-10-20}
  - {id: W-2, status: in-progress, due: 2027-01-31}
  - {id: W-4, status: dropped, note: The form converts well enough}
  - {id: W-6, status: done, done_on: 2026-09-25}
actions:
  - {id: W-5, title: Add a nurture health check, owner: Mara Quist, due: 2026-11-15,
     cause: nurture-decay}
"""),
    "retros/2026-q3-review.md": """---
type: review
period: 2026-Q3
held: 2026-08-20
facilitator: Noor Haddad
scorecard:
  - {metric: Follow-through, goal: 0.9, unit: rate, measure: action-follow-through}
---

Notes.
""",
}


@pytest.fixture(scope="module")
def later(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Records up to one held 2026-11-03, committed on 2026-11-04."""
    return _committed(tmp_path_factory.mktemp("later") / "kb", LATER,
                      "2026-11-04T10:00:00+00:00")


@pytest.fixture(scope="module")
def generated(later: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``hindsight generate --as-of 2026-10-01``'s folder."""
    out = tmp_path_factory.mktemp("generated") / "docs"
    result = run_cli("generate", "--out", str(out), "--root", str(later), "--as-of",
                     LATER_AS_OF)
    assert result.exit_code == 0, result.output
    return out


def _text(out: Path, path: str) -> str:
    return (out / path).read_text(encoding="utf-8")


def test_updates_given_after_the_as_of_date_are_not_yet_given(generated: Path) -> None:
    # As of 2026-10-01: W-1 (due 09-20) and W-6 (due 09-26) are open past their due dates,
    # 11 and 5 days; W-2 is open and still due 2026-12-15, not in progress to 2027-01-31;
    # W-4 is open, not dropped; W-3 was done on 09-08 per a retro held 09-30. (Every update
    # of October's retro was applied: 0 overdue, W-1 done late, W-6 done, W-4 dropped.)
    home = _text(generated, "index.md")
    rows = table_rows(home)
    assert "| Overdue actions | [2](actions/#overdue) |" in rows, rows
    assert "| Open, not yet due | [2](actions/#open) |" in rows, rows
    # On time: W-3; open past the first due date: W-1 and W-6. (W-6 done on 09-25 made it
    # 2 of 3.)
    assert "| Follow-through (done by the first due date) | [33%](actions/#follow-through): 1 " \
           "of the 3 actions done or past their first due date was done on time |" in rows, rows
    register = _text(generated, "actions/index.md")
    assert "4 actions open as of 2026-10-01." in register, register
    assert "| [2](#overdue) | [2](#open) | [1](#done) | 0 | 0 | [33%](#follow-through) |" \
        in register, register
    assert _summary(register, "Overdue") == "2" and _summary(register, "Open") == "2"
    overdue = register.split("<summary>Overdue")[1].split("</details>")[0]
    assert re.findall(r"<code>(W-\d)</code>", overdue) == ["W-1", "W-6"], overdue
    assert "11 days overdue" in overdue and "5 days overdue" in overdue, overdue
    # The August retro's own page lists its actions as they stood.
    august = _text(generated, "records/2026-08-marketing.md")
    assert "2027-01-31" not in august and "in progress" not in august, august
    assert "11 days overdue" in august, august


def test_the_exports_hold_what_was_raised_and_given_by_the_as_of_date(generated: Path) -> None:
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(
        _text(generated, "data/actions.csv")))}
    # W-5 is raised by October's retro, held after 2026-10-01.
    assert sorted(rows) == ["W-1", "W-2", "W-3", "W-4", "W-6"], rows
    assert {i: (r["status"], r["due"], r["done_on"]) for i, r in rows.items()} == {
        "W-1": ("open", "2026-09-20", ""), "W-2": ("open", "2026-12-15", ""),
        "W-3": ("done", "2026-09-10", "2026-09-08"), "W-4": ("open", "2026-11-30", ""),
        "W-6": ("open", "2026-09-26", "")}, rows
    actions = json.loads(_text(generated, "data/actions.json"))
    assert sorted(a["id"] for a in actions) == sorted(rows), actions
    assert {a["id"]: a["status_changed_in"] for a in actions}["W-1"] == "2026-08-marketing"
    records = json.loads(_text(generated, "data/records.json"))
    assert sorted(r["id"] for r in records) == [
        "2026-08-marketing", "2026-09-marketing", "2026-q3-review"], records
    assert "2026-10-marketing" not in _text(generated, "data/records.csv")
    assert "2026-10" not in _text(generated, "data/readings.csv").split("\n", 1)[1]


def test_a_record_held_after_the_as_of_date_is_on_no_page(generated: Path) -> None:
    # Not written yet as of 2026-10-01: no page, in no list, and what it cites not counted.
    assert not (generated / "records" / "2026-10-marketing.md").exists()
    assert not (generated / "actions" / "owners" / "mara-quist.md").exists()
    for page in generated.rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        assert "2026-10-marketing" not in text and "W-5" not in text, page
    cause = _text(generated, "causes/nurture-decay.md")
    # Cited once, by August's retro, first and last seen there; W-1 raised against it, open.
    # (October's retro made it 2 citations, last seen in October, 2 actions, W-1 done.)
    august = "[Marketing retro — August 2026](../records/2026-08-marketing.md)"
    assert f"| [1](#citations) | Marketing | {august} | {august} | [1](#actions) | " \
           "[1](#actions) |" in cause, cause


def test_validate_counts_the_records_the_site_is_built_from(later: Path) -> None:
    result = run_cli("validate", "--root", str(later), "--as-of", LATER_AS_OF)
    assert result.exit_code == 0, result.output
    assert "retros/2026-10-marketing.md:5:7  held  warning: 2026-11-03 is after the build " \
           "date (2026-10-01) (a record is written once it has been held, and the site leaves " \
           "it out until then: check the year, or pass --as-of)" in result.output
    # W-1 and W-6 are overdue as of 2026-10-01, though October's retro closes them.
    assert re.findall(r"action (\S+) is overdue", result.output) == ["W-1", "W-6"], \
        result.output
    assert result.output.endswith(
        "3 records: 2 retros, 1 quarterly review, 0 post-mortems; 1 more held after "
        "2026-10-01, left out of the site until then\n"), result.output
    listed = run_cli("actions", "W-1", "--root", str(later), "--as-of", LATER_AS_OF,
                     "--format", "json")
    assert listed.exit_code == 0, listed.output
    assert [(a["id"], a["label"], a["due"]) for a in json.loads(listed.output)["actions"]] \
        == [("W-1", "overdue", "2026-09-20")], listed.output


def test_a_review_held_early_with_nothing_due_by_then_says_by_when(generated: Path) -> None:
    page = _text(generated, "records/2026-q3-review.md")
    row = next(row for row in table_rows(page) if row.startswith("| Follow-through |"))
    # Held 2026-08-20: the first action due in Q3 is W-3, on 2026-09-10.
    assert row.endswith("| no actions first due in the quarter by 2026-08-20, when it was "
                        "held |"), row


def test_a_site_pinned_to_a_date_shows_the_actions_as_they_stood(
        later: Path, tmp_path: Path) -> None:
    # The plugin's as_of in mkdocs.yml, in a real strict MkDocs build of a committed project;
    # the environment's later date gives way to it.
    project = make_project(tmp_path / "project", later)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "\n  - hindsight\n", f"\n  - hindsight:\n      as_of: {LATER_AS_OF}\n"), encoding="utf-8")
    init(project)
    commit_all(project, "Site", "Ana Ruiz", "2026-11-04T10:00:00+00:00")
    built = mkdocs_build(project, "2026-12-01")
    assert built.returncode == 0, built.stderr
    site = project / "site"
    register = (site / "actions" / "index.html").read_text(encoding="utf-8")
    row = next(line for line in register.splitlines() if "<code>W-1</code>" in line)
    # Due 2026-09-20: 11 days overdue as of 2026-10-01, not done late (done 2026-10-20).
    assert "11 days overdue" in row and "late" not in row, row
    assert not (site / "records" / "2026-10-marketing").exists()
    assert not any("W-5" in page.read_text(encoding="utf-8") for page in site.rglob("*.html"))


def test_the_home_page_says_when_no_team_has_reported_for_months(tmp_path: Path) -> None:
    """Sales, the only team, last reported March 2024 (held 2024-04-03). Built on 2024-09-16
    the home page said "Figures as of 2024-09-16" and nothing of the readings' age: no
    team was behind another, so validation warned of none either. April to August have no
    retro (September is not over): it says so. On 2024-05-20 only April is missing, a retro
    perhaps not written yet: nothing is said."""
    root = _paused_team(tmp_path / "kb")
    home = build(root, dt.date(2024, 9, 16)).files["index.md"].decode()
    # Five months on, the page lists no indicator that moved (a team's latest month is kept
    # for three): the note does not point at them.
    day = '<span class="hs-date">{}</span>'.format
    assert (f"Figures as of {day('2024-09-16')}.\n\n**No retro since March 2024.** The "
            "newest, [Sales retro — March 2024](records/2024-03-sales.md), was held "
            f"{day('2024-04-03')}; no team has one for April 2024 to August 2024 (5 months). "
            "The readings and their trends end in March 2024; the "
            f"actions are counted as of {day('2024-09-16')}.\n") in home, home[:1500]
    # Two months without one: May's retro may be late, April's is missing.
    june = build(root, dt.date(2024, 6, 1)).files["index.md"].decode()
    assert "no team has one for April 2024 to May 2024 (2 months)" in june, june[:1500]
    may = build(root, dt.date(2024, 5, 20)).files["index.md"].decode()
    assert "No retro since" not in may, may[:1500]


# Links to records held after the build date. Sales keeps its retros in a year folder; March's
# links a post-mortem whose held year was typed wrong (2027 for 2026) by its path, twice (once
# at a section), and April's retro, held after the build date, by a reference definition; it
# names the post-mortem under related: too. February's link is to a page the site has.
LINKS_AS_OF = "2026-04-15"
LINKS = {
    "retros/2026/2026-02-sales.md": _retro("sales", "2026-02", "2026-03-04", "").replace(
        "Notes.", "Notes, added to in May: see [April](2026-04-sales.md)."),
    "retros/2026/2026-03-sales.md": """---
type: retro
period: 2026-03
team: sales
held: 2026-04-02
facilitator: Ana Ruiz
participants: [Ana Ruiz, Ben Okafor]
format: went-well-didnt
indicators:
  win-rate: {smb: 0.3}
went_well: [Renewals]
related: [2026-03-the-late-deal, 2026-02-sales]
---

The [late deal](../../postmortems/2026-03-the-late-deal.md) and
[its timeline](../../postmortems/2026-03-the-late-deal.md#timeline) shaped the month; [April][apr] follows.
[February](2026-02-sales.md) was calmer.

[apr]: 2026-04-sales.md
""",
    "retros/2026/2026-04-sales.md": _retro("sales", "2026-04", "2026-05-05", ""),
    "postmortems/2026-03-the-late-deal.md": """---
type: postmortem
name: The late deal
kind: campaign
outcome: loss
summary: A campaign lost to a slow legal review.
team: sales
event_ended: 2027-03-27
held: 2027-03-30
keeper: Ana Ruiz
participants: [Ana Ruiz, Cy Tan]
timeline:
  - {when: 2027-03-01, what: Redlines sent}
---

Lost on timing.
""",
}


@pytest.fixture(scope="module")
def linking(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site project with the records above, committed on 2026-04-10."""
    kb = _committed(tmp_path_factory.mktemp("linking") / "kb", LINKS,
                    "2026-04-10T10:00:00+00:00")
    project = make_project(tmp_path_factory.mktemp("linking-site") / "project", kb)
    init(project)
    commit_all(project, "Records", "Ana Ruiz", "2026-04-10T10:00:00+00:00")
    return project


FEBRUARY = "../../records/2026-02-sales/"
LATE_DEAL = "../../records/2026-03-the-late-deal/"
REL = 'rel="noopener noreferrer"'


def _body(project: Path, record: str) -> str:
    page = (project / "site" / "records" / record / "index.html").read_text(encoding="utf-8")
    return page.split('<div class="hs-body">', 1)[1].split("</div>", 1)[0].strip()


def test_a_link_to_a_record_held_after_the_build_date_is_warned_at_the_link(
        linking: Path) -> None:
    result = run_cli("validate", "--root", str(linking), "--as-of", LINKS_AS_OF)
    assert result.exit_code == 0, result.output
    march = "retros/2026/2026-03-sales.md"
    # Each link, at the file name it writes (line 15: "The [late deal](../../postmortems/"
    # is 34 characters; line 16: "[its timeline](../../postmortems/", 33; line 19, the
    # definition "[apr]: ", 7), and the related: entry (line 12, "related: [", 10).
    later_deal = ("links to 2026-03-the-late-deal.md, held 2027-03-30, after the build date "
                  "(2026-04-15): the page shows the link as its text only until the site is "
                  "built on or after 2027-03-30 (check the year of its held date, or link it "
                  "once it has been held)")
    assert "retros/2026/2026-02-sales.md:14:37  body  warning: links to 2026-04-sales.md, " \
        "held 2026-05-05" in result.output
    assert [line for line in result.output.splitlines() if line.startswith(march)] == [
        f"{march}:12:11  related[0]  warning: 2026-03-the-late-deal is held 2027-03-30, after "
        "the build date (2026-04-15): the page lists it among related records only once the "
        "site is built on or after 2027-03-30 (check the year of its held date, or name it "
        "once it has been held)",
        f"{march}:15:35  body  warning: {later_deal}",
        f"{march}:16:34  body  warning: {later_deal}",
        f"{march}:19:8  body  warning: links to 2026-04-sales.md, held 2026-05-05, after the "
        "build date (2026-04-15): the page shows the link as its text only until the site is "
        "built on or after 2026-05-05 (check the year of its held date, or link it once it "
        "has been held)",
    ], result.output
    # The records themselves are still warned about at their held dates.
    assert "postmortems/2026-03-the-late-deal.md:9:7  held  warning: 2027-03-30 is after" \
        in result.output
    assert "retros/2026/2026-04-sales.md:5:7  held  warning: 2026-05-05 is after" \
        in result.output
    # Built once every record is held, nothing is said of the links.
    on_time = run_cli("validate", "--root", str(linking), "--as-of", "2027-04-01")
    assert "the link as its text only" not in on_time.output, on_time.output
    assert "among related records only" not in on_time.output, on_time.output


def test_a_link_to_a_record_held_after_the_build_date_is_published_as_its_text(
        linking: Path) -> None:
    result = run_cli("build", "--quiet", "--root", str(linking), "--as-of", LINKS_AS_OF)
    assert result.exit_code == 0, result.output
    site = linking / "site"
    assert not (site / "records" / "2026-03-the-late-deal").exists()
    assert not (site / "records" / "2026-04-sales").exists()
    # The post-mortem's and April's links are their text; February's leads to its page.
    assert _body(linking, "2026-03-sales") == (
        "<p>The late deal and\nits timeline shaped the month; April follows.\n"
        f'<a href="{FEBRUARY}" {REL}>February</a> was calmer.</p>'), _body(linking, "2026-03-sales")
    page = (site / "records" / "2026-03-sales" / "index.html").read_text(encoding="utf-8")
    assert "2026-03-the-late-deal/" not in page and "2026-04-sales/" not in page
    assert _body(linking, "2026-02-sales") == "<p>Notes, added to in May: see April.</p>"
    # Built again, from the same cache, once every record is held: each link leads to its
    # page (the body's HTML is cached by its content; which links are live is the day's).
    later = run_cli("build", "--quiet", "--root", str(linking), "--as-of", "2027-04-01")
    assert later.exit_code == 0, later.output
    assert _body(linking, "2026-03-sales") == (
        f'<p>The <a href="{LATE_DEAL}" {REL}>late deal</a> and\n'
        f'<a href="{LATE_DEAL}#timeline" {REL}>its timeline</a> shaped the month; '
        f'<a href="../../records/2026-04-sales/" {REL}>April</a> follows.\n'
        f'<a href="{FEBRUARY}" {REL}>February</a> was calmer.</p>'), _body(linking, "2026-03-sales")
    # February's page shows nothing else that changed with the day.
    assert _body(linking, "2026-02-sales") == (
        f'<p>Notes, added to in May: see <a href="../../records/2026-04-sales/" {REL}>April'
        "</a>.</p>")


def test_recall_names_a_record_held_after_the_build_date_without_a_link(linking: Path) -> None:
    # Recall reads every record, but the site has no page for the post-mortem (held
    # 2027-03-30) as of 2026-04-15: its title is said, not linked. March's retro has a page.
    paths = [str(linking / "postmortems" / "2026-03-the-late-deal.md"),
             str(linking / "retros" / "2026" / "2026-03-sales.md")]
    site = "https://brightlane.github.io/hindsight/records"
    said = run_cli("recall", "--root", str(linking), "--as-of", LINKS_AS_OF, *paths)
    assert said.exit_code == 0, said.output
    assert said.output == (
        f"Nothing earlier in the knowledge base bears on [Sales retro — March 2026]({site}/"
        "2026-03-sales/), The late deal: no cause it cites, action it updates, lesson or "
        "indicator move has come up before.\n"), said.output
    answer = json.loads(run_cli("recall", "--root", str(linking), "--as-of", LINKS_AS_OF,
                                "--format", "json", *paths).output)
    assert [(r["record"]["id"], r["record"]["url"]) for r in answer["records"]] == [
        ("2026-03-sales", f"{site}/2026-03-sales/"), ("2026-03-the-late-deal", None)]
    # Once it is held, it is linked.
    later = run_cli("recall", "--root", str(linking), "--as-of", "2027-04-01", *paths)
    assert f"[The late deal]({site}/2026-03-the-late-deal/)" in later.output, later.output
