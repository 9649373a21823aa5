"""Actions with days: overdue and late counts, in-progress, done by a record, Raised dates.

The knowledge base is shaped unlike the sample: one marketing team, three retros, updates
that leave out ``done_on``, an action in progress, and every file committed to git on a day
months away from the dates the records were held. Expected figures are worked out by hand
in the comments.
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

from conftest import FIXTURES, make_kb, run_cli
from generator.records.actions import ActionState, link_actions, status_label
from generator.records.validate import check
from generator.site.build import build
from gittools import commit_all, init
from sitetools import make_project, mkdocs_build, parse_page, table_rows

AS_OF = dt.date(2026, 4, 10)
COMMITTED = "2026-09-15T10:00:00+00:00"  # long after every record was held


def _retro(period: str, held: str, extra: str) -> str:
    return f"""---
type: retro
period: {period}
team: marketing
held: {held}
facilitator: Ines Park
participants: [Ines Park, Omar Diaz]
format: went-well-didnt
indicators:
  win-rate: {{smb: "1/4"}}
went_well: [Webinar turnout]
{extra}---

Notes.
"""


JANUARY = _retro("2026-01", "2026-02-03", """causes: [nurture-decay]
actions:
  - {id: M-1, title: Rewrite the nurture emails, owner: Ines Park, due: 2026-02-20,
     cause: nurture-decay}
  - {id: M-2, title: Audit the lead scoring, owner: Omar Diaz, due: 2026-02-28}
  - {id: M-3, title: Publish the event calendar, owner: Omar Diaz, due: 2026-03-15}
""")
FEBRUARY = _retro("2026-02", "2026-03-04", """action_updates:
  - {id: M-1, status: done}
  - {id: M-2, status: in-progress, note: Half the rules reviewed}
  - {id: M-3, status: done, done_on: 2026-03-01}
""")
MARCH = _retro("2026-03", "2026-04-02", """causes: [nurture-decay]
action_updates:
  - {id: M-1, status: done, note: Confirmed with the new sequences live}
  - {id: M-3, status: done, note: Calendar in use}
actions:
  - {id: M-4, title: Check the sequences monthly, owner: Ines Park, due: 2026-04-05}
  - {id: M-5, title: Pilot a new offer, owner: Ines Park, due: 2026-05-30,
     status: in-progress}
""")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three retros in a real git repository, committed on 2026-09-15."""
    root = tmp_path_factory.mktemp("actions") / "kb"
    init(root)
    shutil.copy(FIXTURES / "taxonomy.yml", root / "taxonomy.yml")
    (root / "retros").mkdir()
    for name, text in (("2026-01-marketing.md", JANUARY), ("2026-02-marketing.md", FEBRUARY),
                       ("2026-03-marketing.md", MARCH)):
        (root / "retros" / name).write_text(text)
    commit_all(root, "Q1 retros", "Ines Park", COMMITTED)
    return root


def _states(root: Path) -> dict[str, ActionState]:
    result = check(root, AS_OF)
    assert result.kb is not None and not result.problems.errors, result.problems.sorted()
    return dict(link_actions(result.kb.entries))


def test_days_overdue_late_and_done_by_record(repo: Path) -> None:
    states = _states(repo)
    m1, m2, m3, m4, m5 = (states[f"M-{n}"] for n in range(1, 6))
    # M-1: reported done in the February retro without done_on, so done as of 2026-03-04 (the
    # March retro saying "done" again does not move that);
    # due 2026-02-20: 8 days to the end of February + 4 = 12 days late.
    assert m1.done_by is not None and m1.done_by.id == "2026-02-marketing"
    assert m1.done_date == dt.date(2026, 3, 4)
    assert m1.days_late == 12 and not m1.done_on_time
    assert status_label(m1, AS_OF) == "done late"
    # M-2: in progress, due 2026-02-28; to 2026-04-10 is 31 (March) + 10 = 41 days overdue.
    assert m2.is_open and m2.days_overdue(AS_OF) == 41
    assert status_label(m2, AS_OF) == "overdue"
    # M-3: done_on 2026-03-01 (repeated as done in March without a date), before its due date
    # 2026-03-15: on time, no days late.
    assert m3.done_on_time and m3.days_late is None and m3.done_by is None
    assert m3.done_date == dt.date(2026, 3, 1)
    assert m3.days_overdue(AS_OF) is None
    # M-4: due 2026-04-05, open on 2026-04-10: 5 days overdue.
    assert m4.days_overdue(AS_OF) == 5
    # M-5: in progress and not yet due: open, labelled "in progress", not overdue.
    assert status_label(m5, AS_OF) == "in progress"
    assert m5.days_overdue(AS_OF) is None and m5.is_open


def test_raised_is_the_record_date_not_the_commit_date(repo: Path) -> None:
    states = _states(repo)
    assert states["M-1"].raised_on == dt.date(2026, 2, 3)
    assert states["M-5"].raised_on == dt.date(2026, 4, 2)
    register = build(repo, AS_OF).files["actions/index.md"].decode()
    rows = _action_rows(register)
    row = rows["M-2"]
    assert _text(row["Raised"]) == "2026-02-03"
    # The count links to the February retro, the latest record about M-2.
    assert row["Days overdue"] == '<a href="../records/2026-02-marketing/#action-updates">41</a>'
    assert _text(row["Status"]) == "41 days overdue (in progress)"
    assert _text(row["Status changed"]) == "2026-03-04"
    done = rows["M-1"]
    # Days late link to the record that reported it done, not the later one that repeated it.
    assert done["Days late"] == '<a href="../records/2026-02-marketing/#action-updates">12</a>'
    assert _text(done["Status"]) == "done late by Marketing retro — February 2026"
    assert "2026-09-15" not in register  # the commit date is no action's date


def _action_rows(page: str, prefix: str = "M-") -> dict[str, dict[str, str]]:
    """The action table's rows as {column heading: cell HTML}, by action id (those whose id
    starts with ``prefix``)."""
    header = next(line for line in page.splitlines() if "<th class=\"hs-id\">" in line)
    columns = [re.sub(r"<[^>]+>", "", h) for h in re.findall(r"<th[^>]*>(.*?)</th>", header)]
    rows = {}
    for line in page.splitlines():
        # Without the column's name a phone's card gives screen readers in each cell.
        line = re.sub(r'<span class="hs-stack__label">[^<]*</span>', "", line)
        cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", line)
        if cells and cells[0].startswith(f"<code>{prefix}"):
            rows[_text(cells[0])] = dict(zip(columns, cells, strict=True))
    return rows


def _text(cell: str) -> str:
    return re.sub(r"<[^>]+>", "", cell).strip()


def test_the_command_line_keeps_an_overdue_action_in_progress(repo: Path) -> None:
    # M-2 was started (in-progress) and is 41 days past its due date (the table says
    # "OVERDUE (in progress)": test_hindsight_actions_prints_the_days).
    data = json.loads(run_cli("actions", "--format", "json", "--root", str(repo), "--as-of",
                              AS_OF.isoformat()).stdout)
    row = next(r for r in data["actions"] if r["id"] == "M-2")
    assert (row["status"], row["label"], row["days_overdue"]) == ("in-progress", "overdue", 41)


def test_exports_carry_days_and_done_by(repo: Path) -> None:
    files = build(repo, AS_OF).files
    rows = {r["id"]: r for r in json.loads(files["data/actions.json"])}
    # done_on is what the record states (nothing here); done_date when it counts as done.
    assert rows["M-1"]["done_by"] == "2026-02-marketing" and rows["M-1"]["done_on"] is None
    assert rows["M-1"]["done_date"] == "2026-03-04" and rows["M-1"]["days_late"] == 12
    assert rows["M-2"]["days_overdue"] == 41 and rows["M-2"]["status"] == "in-progress"
    # Not applicable is null in JSON, so a column holds numbers or nulls, never "".
    assert rows["M-4"]["days_overdue"] == 5 and rows["M-3"]["days_late"] is None
    assert {type(r["days_late"]) for r in rows.values()} <= {int, type(None)}
    assert rows["M-1"]["raised_on"] == "2026-02-03"
    table = list(csv.DictReader(io.StringIO(files["data/actions.csv"].decode())))
    by_id = {r["id"]: r for r in table}
    assert by_id["M-2"]["days_overdue"] == "41" and by_id["M-1"]["days_late"] == "12"
    assert by_id["M-3"]["days_late"] == "" and by_id["M-1"]["done_on"] == ""


def test_the_register_and_the_exports_agree_on_when_the_status_changed(repo: Path) -> None:
    """`status_changed_in` is the record that last changed the status (README): the raising
    record for an action no update has changed. The register's "Status changed" column
    showed "–" for such an action still open (M-4, raised open in the March retro, held
    2026-04-02) while the exports named the March retro; both now give that record."""
    files = build(repo, AS_OF).files
    held = {r["id"]: r["date"] for r in json.loads(files["data/records.json"])}
    exported = {r["id"]: r["status_changed_in"] for r in json.loads(files["data/actions.json"])}
    shown = {action: _text(row["Status changed"])
             for action, row in _action_rows(files["actions/index.md"].decode()).items()}
    assert exported["M-4"] == "2026-03-marketing" and shown["M-4"] == "2026-04-02"
    # M-5, raised in progress, and M-2, last set in progress by February's update.
    assert exported["M-5"] == "2026-03-marketing" and shown["M-5"] == "2026-04-02"
    assert exported["M-2"] == "2026-02-marketing" and shown["M-2"] == "2026-03-04"
    assert shown == {action: held[record] for action, record in exported.items()}


def test_the_csv_exports_keep_their_columns_with_no_rows(repo: Path, tmp_path: Path) -> None:
    # With rows, the header names every key of a row (the JSON holds them sorted).
    files = build(repo, AS_OF).files
    headers = {}
    for name in ("records", "actions"):
        rows = json.loads(files[f"data/{name}.json"])
        headers[name] = files[f"data/{name}.csv"].decode().splitlines()[0]
        assert sorted(headers[name].split(",")) == list(rows[0]), name
    # A knowledge base with no actions (or no records at all) still gives them: the header
    # was the single column "id", which broke a spreadsheet's query bound to the columns.
    empty = make_kb(tmp_path / "empty", {})
    files_empty = build(empty, AS_OF).files
    for name in ("records", "actions"):
        assert files_empty[f"data/{name}.csv"].decode().splitlines() == [headers[name]], name
        assert files_empty[f"data/{name}.json"] == b"[]\n"


def test_follow_through_counts_only_what_the_records_prove(repo: Path) -> None:
    register = build(repo, AS_OF).files["actions/index.md"].decode()
    summary = register.split("| Over&shy;due | Open |", 1)[1].splitlines()[2]
    cells = [c.strip() for c in summary.split("|")[1:-1]]
    # Overdue: M-2, M-4. Open: M-5. On time: M-3. Late: M-1 (done by a record held after
    # its due date: nothing proves it was done sooner). Follow-through 1 of 4 = 25%.
    assert [c.split("]")[0].strip("[") for c in cells[:5]] == ["2", "1", "1", "1", "0"]
    assert cells[5].startswith("[25")


def test_moving_a_missed_due_date_later_does_not_raise_follow_through(repo: Path,
                                                                      tmp_path: Path) -> None:
    """M-2 (first due 2026-02-28, in progress) is moved to 2026-06-30 by the March retro: it
    is no longer overdue, but it missed the date first committed to, so it stays among the
    actions that have had their chance. Follow-through stays 1 of 4 (25%), not 1 of 3."""
    moved = tmp_path / "kb"
    shutil.copytree(repo, moved)
    march = moved / "retros" / "2026-03-marketing.md"
    march.write_text(MARCH.replace("action_updates:\n", "action_updates:\n"
                                   "  - {id: M-2, status: in-progress, due: 2026-06-30}\n"))
    commit_all(moved, "Move M-2", "Ines Park", COMMITTED)
    register = build(moved, AS_OF).files["actions/index.md"].decode()
    summary = register.split("| Over&shy;due | Open |", 1)[1].splitlines()[2]
    cells = [c.strip() for c in summary.split("|")[1:-1]]
    # Overdue: M-4 only now; open: M-5 and M-2.
    assert [c.split("]")[0].strip("[") for c in cells[:5]] == ["1", "2", "1", "1", "0"]
    assert cells[5].startswith("[25"), cells[5]
    home = build(moved, AS_OF).files["index.md"].decode()
    assert "1 of the 4 actions done or past their first due date was done on time" in home


def test_hindsight_actions_prints_the_days(repo: Path) -> None:
    result = run_cli("actions", "--root", str(repo), "--as-of", AS_OF.isoformat(), "--all")
    assert result.exit_code == 0, result.output
    lines = {line.split("│")[1].strip(): [c.strip() for c in line.split("│")[2:-1]]
             for line in result.output.splitlines()
             if line.startswith("│ M-")}
    # Title, Owner, Team, Due, Status, Days overdue, Days late, Raised in, Raised (piped
    # output is 160 columns, where this small register fits whole)
    assert lines["M-2"][4:] == ["OVERDUE (in progress)", "41", "", "2026-01-marketing",
                                "2026-02-03"]
    assert lines["M-1"][4:] == ["done late by 2026-02-marketing", "", "12", "2026-01-marketing",
                                "2026-02-03"]
    assert "2026-02-marketing" in result.output  # the record that reported M-1 done
    assert "left out" not in result.output


def test_pages_show_days_and_the_record_that_reported_done(repo: Path,
                                                           tmp_path: Path) -> None:
    project = make_project(tmp_path / "site", repo)
    result = mkdocs_build(project, AS_OF.isoformat())
    assert result.returncode == 0, result.stdout + result.stderr
    site = project / "site"
    for page, action, days in (("records/2026-01-marketing", "M-2", "41"),
                               ("actions/owners/omar-diaz", "M-2", "41"),
                               ("teams/marketing", "M-4", "5"),
                               ("causes/nurture-decay", "M-1", "12")):
        html = (site / page / "index.html").read_text()
        assert ('<th class="hs-days">Days overdue</th>' in html
                and '<th class="hs-days">Days late</th>' in html), page
        cells = [text for text, _ in parse_page(site / page / "index.html").cells]
        start = cells.index(f"Action: {action}")  # the id, named for a phone's card
        assert days in cells[start:start + 8], (page, cells[start:start + 8])
    january = parse_page(site / "records" / "2026-01-marketing" / "index.html")
    start = [text for text, _ in january.cells].index("Action: M-1")
    status, overdue, late = january.cells[start + 4: start + 7]
    assert status == ("Status: done late by Marketing retro — February 2026", True)  # a link
    assert (overdue[0], late[0]) == ("", "12")


@pytest.mark.parametrize("columns", [10, 20, 40, 60, 80, 100, 130, 160])
def test_hindsight_actions_fits_the_terminal_and_never_breaks_an_id_or_date(
    repo: Path, columns: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    result = run_cli("actions", "--root", str(repo), "--as-of", AS_OF.isoformat(), "--all")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    # Only a word wider than the terminal (an id, a record id) runs past its edge, alone.
    assert all(len(line) <= columns or " " not in line.strip() for line in lines), lines
    states = link_actions(check(repo, AS_OF).kb.entries)  # type: ignore[union-attr]
    if columns < 60:  # too narrow for an id and its due date on one line: each whole
        words = {word.strip(",") for line in lines for word in line.split()}
        for state in states.values():
            assert {state.id, state.due.isoformat(), state.entry.id} <= words, state.id
        return
    for state in states.values():
        # Each action's id and due date are printed whole on one line, and the id of the
        # record that raised it too when that column is shown.
        raised_shown = "Raised in" in result.output.split("┡")[0]
        assert any(state.id in line and state.due.isoformat() in line and (
            not raised_shown or state.entry.id in line) for line in lines), state.id
    if columns < 90:  # one short block per action instead of a table
        assert not any("┃" in line for line in lines)
        assert any(line.startswith("M-2  OVERDUE (in progress) 41 days  due ") for line in lines)
    else:
        header = result.output.split("┡")[0]  # the header, over two lines
        assert "Days" in header and "overdue" in header
        # What does not fit is left out, and the output names it; what is named is not shown.
        cells = {cell.strip() for line in header.splitlines() for cell in line.split("┃")}
        said = re.search(rf"^(.*) left out at {columns} columns", result.output, re.MULTILINE)
        left_out = said.group(1).split(", ") if said else []
        assert all(name.split()[-1] not in cells for name in left_out), (left_out, cells)
        shown = {"Team", "late", "Raised in", "Raised"} & cells
        assert len(shown) + len(left_out) == 4, (shown, left_out)


@pytest.mark.parametrize("columns", ["0", "", "abc", "-5", " "])
def test_a_columns_that_gives_no_width_is_as_if_not_given(
    repo: Path, columns: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Some CI runners export COLUMNS=0: the register printed one word a line and no action
    # (exit 0); COLUMNS=abc or -5 printed it 80 wide. Piped, it is 160 wide, as with none.
    monkeypatch.delenv("COLUMNS", raising=False)
    args = ("actions", "--root", str(repo), "--as-of", AS_OF.isoformat(), "--all")
    unset = run_cli(*args)
    monkeypatch.setenv("COLUMNS", columns)
    result = run_cli(*args)
    assert result.exit_code == 0, result.output
    assert result.output == unset.output
    assert any(line.startswith("│ M-2 ") for line in result.output.splitlines()), result.output
    assert "left out" not in result.output


def test_plan_reads_a_columns_of_zero_as_not_given(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    # `plan` piped keeps each item on one line; COLUMNS=0 wrapped it at 80 columns.
    from conftest import copy_sample

    root = copy_sample(tmp_path / "kb")
    monkeypatch.delenv("COLUMNS", raising=False)
    unset = run_cli("plan", "campaign", "--root", str(root), "--as-of", "2026-12-01")
    assert max(len(line) for line in unset.output.splitlines()) > 100
    for columns in ("0", "-5", "abc"):
        monkeypatch.setenv("COLUMNS", columns)
        plan = run_cli("plan", "campaign", "--root", str(root), "--as-of", "2026-12-01")
        assert plan.exit_code == 0 and plan.output == unset.output, (columns, plan.output)
    monkeypatch.setenv("COLUMNS", "100")  # a width given still wraps
    assert max(len(line) for line in run_cli("plan", "campaign", "--root", str(root),
                                             "--as-of", "2026-12-01").output.splitlines()) <= 100


def test_a_dropped_action_stops_ageing_when_it_is_dropped(tmp_path: Path) -> None:
    # Raised in the January retro held 2026-02-03, dropped by the February retro held
    # 2026-03-04: 29 days open (25 of February + 4 of March), however late the build.
    from conftest import make_kb

    january = _retro("2026-01", "2026-02-03", "actions:\n  - {id: D-1, title: Try a webinar, "
                     "owner: Ines Park, due: 2026-03-31}\n")
    february = _retro("2026-02", "2026-03-04", "action_updates:\n  - {id: D-1, status: "
                      "dropped, note: Budget moved}\n")
    root = make_kb(tmp_path / "kb", {"retros/2026-01-marketing.md": january,
                                     "retros/2026-02-marketing.md": february})
    files = build(root, AS_OF).files
    (row,) = [r for r in json.loads(files["data/actions.json"]) if r["id"] == "D-1"]
    assert (row["status"], row["closed_on"], row["age_days"]) == ("dropped", "2026-03-04", 29)


def test_a_moved_due_date_shows_the_first_one_lateness_counts_from(tmp_path: Path) -> None:
    """Raised due 2026-05-10, moved to 2026-06-30, done 2026-05-25: 15 days late against the
    first due date, which the register shows beside the current one."""
    from conftest import make_kb

    day = dt.date(2026, 7, 1)
    march = _retro("2026-03", "2026-04-02", "actions:\n  - {id: A-1, title: Call renewals, "
                   "owner: Lena Fox, due: 2026-05-10}\n")
    april = _retro("2026-04", "2026-05-04", "action_updates:\n  - {id: A-1, status: open, "
                   "due: 2026-06-30}\n")
    may = _retro("2026-05", "2026-06-02", "action_updates:\n  - {id: A-1, status: done, "
                 "done_on: 2026-05-25}\n")
    root = make_kb(tmp_path / "kb", {"retros/2026-03-marketing.md": march,
                                     "retros/2026-04-marketing.md": april,
                                     "retros/2026-05-marketing.md": may})
    register = build(root, day).files["actions/index.md"].decode()
    row = next(line for line in register.splitlines() if "<code>A-1</code>" in line)
    assert ('2026-06-30 <span class="hs-note">first due 2026-05-10</span>' in row), row
    printed = run_cli("actions", "--all", "--root", str(root), "--as-of", day.isoformat())
    assert "15 (first due 2026-05-10)" in " ".join(printed.output.split()), printed.output


def test_an_owner_written_two_ways_is_shown_as_the_usual_spelling(tmp_path: Path) -> None:
    from conftest import make_kb

    march = _retro("2026-03", "2026-04-02", "actions:\n"
                   "  - {id: A-1, title: One, owner: dana ruiz, due: 2026-04-05}\n"
                   "  - {id: A-2, title: Two, owner: Dana Ruiz, due: 2026-04-20}\n"
                   "  - {id: A-3, title: Three, owner: Dana Ruiz, due: 2026-04-25}\n")
    root = make_kb(tmp_path / "kb", {"retros/2026-03-marketing.md": march})
    files = build(root, AS_OF).files
    page = files["actions/owners/dana-ruiz.md"].decode()
    assert 'title: "Actions of Dana Ruiz"\n' in page.split("\n---\n", 1)[0] + "\n", page[:80]
    # The exports keep each spelling as written, and give the one owner the site shows:
    # grouped by `owner`, a spreadsheet counted two people.
    rows = json.loads(files["data/actions.json"])
    assert [(r["owner"], r["owner_id"]) for r in rows] == [
        ("dana ruiz", "dana-ruiz"), ("Dana Ruiz", "dana-ruiz"), ("Dana Ruiz", "dana-ruiz")]
    table = list(csv.DictReader(io.StringIO(files["data/actions.csv"].decode())))
    assert {r["owner_id"] for r in table} == {"dana-ruiz"}


def test_long_owner_names_that_differ_at_the_end_keep_their_own_pages() -> None:
    """Slugs stop at 60 characters: two owners that differ after that had one page, and
    validation told one to write the other's name."""
    from generator.paths import owner_slug

    north = "Alexandra Konstantinopoulou-Vasquez, Regional Director of Sales EMEA North"
    south = north.replace("North", "South")
    assert owner_slug(north) != owner_slug(south)
    assert owner_slug(north) == owner_slug(north.upper())  # the same person, any case
    assert owner_slug("José Díaz") == "jose-diaz"  # short names keep their readable slug


def test_owner_key_folds_what_does_not_tell_two_people_apart() -> None:
    from generator.paths import owner_key

    # Case, with ß as ss (casefold), and accents on Latin letters, as slugs always folded.
    assert owner_key("Jürgen Groß") == owner_key("jürgen groß") == "jurgen gross"
    assert owner_key("JÜRGEN GROSS") == owner_key("Jurgen  Gross") == "jurgen gross"
    assert owner_key("Søren Ærø") == "soren aero"
    # Japanese: a space (ordinary or ideographic) inside the name is not significant, and
    # half-width kana are the ordinary ones (NFKC); the voicing mark stays: ガ is not カ.
    assert owner_key("佐藤 花子") == owner_key("佐藤　花子") == owner_key("佐藤花子") == "佐藤花子"
    assert owner_key("ｻﾄｳ ﾊﾅｺ") == "サトウハナコ"
    assert owner_key("ガトウ") != owner_key("カトウ")
    # Arabic: the optional vowel marks and the elongation stroke go; the space between words
    # stays, as it does in Latin names ("Li Na" and "Lina" are two people).
    assert owner_key("مُحَمَّد علي") == owner_key("محـمد علي") == "محمد علي"
    assert owner_key("Li Na") == "li na" != owner_key("Lina")
    # Cyrillic keeps its marks: й is not и.
    assert owner_key("Йоханна") != owner_key("Иоханна")


SPELLINGS = _retro("2026-03", "2026-04-02", """actions:
  - {id: M-1, title: Standplan abstimmen, owner: Jürgen Groß, due: 2026-03-10}
  - {id: M-2, title: Leads nachfassen, owner: Jürgen Groß, due: 2026-03-20}
  - {id: M-3, title: Messebericht schreiben, owner: jürgen groß, due: 2026-04-20}
  - {id: M-4, title: 展示会のリードを整理する, owner: 佐藤花子, due: 2026-03-15}
  - {id: M-5, title: 名刺をCRMに登録する, owner: 佐藤 花子, due: 2026-04-30}
  - {id: M-6, title: متابعة عملاء المعرض, owner: محمد علي, due: 2026-03-25}
  - {id: M-7, title: تحديث قائمة العملاء, owner: مُحَمَّد علي, due: 2026-04-30}
""")


def test_one_owner_written_two_ways_in_any_script_is_one_person(tmp_path: Path) -> None:
    from conftest import make_kb

    root = make_kb(tmp_path / "kb", {"retros/2026-03-marketing.md": SPELLINGS})
    files = build(root, AS_OF).files
    # One page each: jurgen-gross; sha256("佐藤花子") and sha256("محمد علي") start 9383715c
    # and e6aa0dc9 (`printf %s NAME | sha256sum`), each page named after the usual spelling.
    pages = sorted(p for p in files if p.startswith("actions/owners/"))
    assert pages == ["actions/owners/index.md", "actions/owners/jurgen-gross.md",
                     "actions/owners/owner-9383715c.md", "actions/owners/owner-e6aa0dc9.md"]
    for page, name in (("jurgen-gross", "Jürgen Groß"), ("owner-9383715c", "佐藤花子"),
                       ("owner-e6aa0dc9", "محمد علي")):
        head = files[f"actions/owners/{page}.md"].decode().split("\n---\n", 1)[0]
        assert f'title: "Actions of {name}"' in head, head
    # Follow-through, one row per person. As of 2026-04-10: Jürgen Groß has M-1 and M-2
    # overdue and M-3 open; 佐藤花子 M-4 overdue, M-5 open; محمد علي M-6 overdue, M-7 open.
    register = files["actions/index.md"].decode()
    section = register.split("## Follow-through by owner", 1)[1].split("\n## ", 1)[0]
    rows = [[c.strip().strip("[]").split("](")[0] for c in line.split("|")[1:4]]
            for line in table_rows(section)]
    # Name, open, overdue.
    assert sorted(rows) == sorted([["Jürgen Groß", "1", "2"], ["佐藤花子", "1", "1"],
                                   ["محمد علي", "1", "1"]])
    # The command line finds every spelling by any of them.
    for asked, expected in (("jürgen groß", ["M-1", "M-2", "M-3"]),
                            ("JÜRGEN GROSS", ["M-1", "M-2", "M-3"]),
                            ("佐藤 花子", ["M-4", "M-5"]), ("مُحَمَّد علي", ["M-6", "M-7"])):
        result = run_cli("actions", "--all", "--owner", asked, "--format", "json",
                         "--root", str(root), "--as-of", AS_OF.isoformat())
        assert result.exit_code == 0, result.output
        assert [r["id"] for r in json.loads(result.stdout)["actions"]] == expected


def test_a_word_of_an_owner_s_name_as_written_finds_them_in_any_script(tmp_path: Path) -> None:
    """`--owner 佐藤` found nothing for 佐藤 花子: the one key every spelling shares is
    佐藤花子, with no space left to find a word by. A word of any spelling as written finds the
    owner, and every spelling stays one person. By hand: 佐藤 花子 owns K-1 (written with a
    space) and K-2 (without); 佐藤 一郎 owns K-3 and shares the family name; 김 민준 owns K-4
    (Korean, full-width space); Ana María Núñez owns K-5; 田中太郎 (K-6) is never written with
    a space, so nothing says where 田中 ends and is no word of it."""
    march = _retro("2026-03", "2026-04-02", """actions:
  - {id: K-1, title: 名刺をCRMに登録する, owner: "佐藤 花子", due: 2026-04-20}
  - {id: K-2, title: 展示会のリードを整理する, owner: 佐藤花子, due: 2026-05-05}
  - {id: K-3, title: 会場を予約する, owner: "佐藤 一郎", due: 2026-05-10}
  - {id: K-4, title: 전시회 리드 정리, owner: "김　민준", due: 2026-05-15}
  - {id: K-5, title: Publish the event calendar, owner: Ana María Núñez, due: 2026-05-20}
  - {id: K-6, title: 資料を更新する, owner: 田中太郎, due: 2026-05-25}
""")
    root = make_kb(tmp_path / "kb", {"retros/2026-03-marketing.md": march})

    def found(asked: str) -> list[str]:
        result = run_cli("actions", "--owner", asked, "--format", "json", "--root", str(root),
                         "--as-of", AS_OF.isoformat())
        assert result.exit_code == 0, result.output
        return [r["id"] for r in json.loads(result.stdout)["actions"]]

    for asked in ("花子", "佐藤 花子", "佐藤花子", "佐藤　花子", "佐藤  花子"):
        assert found(asked) == ["K-1", "K-2"], asked
    # The family name two owners share: both of them, and the note says who they are.
    both = run_cli("actions", "--owner", "佐藤", "--format", "json", "--root", str(root),
                   "--as-of", AS_OF.isoformat())
    assert both.exit_code == 0, both.output
    assert [r["id"] for r in json.loads(both.stdout)["actions"]] == ["K-1", "K-2", "K-3"]
    # 佐藤 花子 is named as written first (a tie between two spellings keeps the earlier due).
    assert "2 owners are named '佐藤': 佐藤 一郎, 佐藤 花子" in both.output, both.output
    assert found("一郎") == ["K-3"]
    assert found("민준") == found("김") == found("김민준") == ["K-4"]
    assert found("nunez") == found("MARÍA") == found("maria nunez") == ["K-5"]
    missing = run_cli("actions", "--owner", "田中", "--root", str(root), "--as-of",
                      AS_OF.isoformat())
    assert missing.exit_code != 0 and "no action has the owner '田中'" in missing.output
    assert "Traceback" not in missing.output


def test_owners_are_listed_by_name_in_any_script(tmp_path: Path) -> None:
    from conftest import make_kb
    from generator.analysis.link import link

    march = _retro("2026-03", "2026-04-02", """actions:
  - {id: M-1, title: 名刺をCRMに登録する, owner: 佐藤花子, due: 2026-04-30}
  - {id: M-2, title: Messebericht schreiben, owner: jürgen groß, due: 2026-04-01}
  - {id: M-3, title: Standplan abstimmen, owner: Jürgen Groß, due: 2026-04-20}
  - {id: M-4, title: Leads nachfassen, owner: Jürgen Groß, due: 2026-04-25}
  - {id: M-5, title: متابعة عملاء المعرض, owner: محمد علي, due: 2026-04-30}
  - {id: M-6, title: Relancer les prospects, owner: Émile Dubois, due: 2026-04-30}
  - {id: M-7, title: Refresh the deck, owner: Zoë Adams, due: 2026-04-30}
  - {id: M-8, title: Brief the SDRs, owner: aisha mensah, due: 2026-04-30}
""")
    root = make_kb(tmp_path / "kb", {"retros/2026-03-marketing.md": march})
    # By name, case and Latin accents aside: aisha, Émile, Jürgen, Zoë, then Arabic (U+0645
    # first) before Japanese (U+4F50). By slug the two hashed pages came between jurgen-gross
    # and zoe-adams, owner-9383715c (佐藤花子) before owner-e6aa0dc9 (محمد علي).
    expected = ["aisha mensah", "Émile Dubois", "Jürgen Groß", "Zoë Adams", "محمد علي",
                "佐藤花子"]
    files = build(root, AS_OF).files
    owners = files["actions/owners/index.md"].decode()
    shown = [line.split("|")[1].strip()[1:].split("](")[0] for line in table_rows(owners)]
    # Jürgen Groß's row is named as his page is, by the usual spelling, though the first of
    # his actions writes "jürgen groß".
    assert shown == expected
    # The register's table puts the overdue first: M-2, Jürgen Groß's, was due 2026-04-01.
    register = files["actions/index.md"].decode()
    section = register.split("## Follow-through by owner", 1)[1].split("\n## ", 1)[0]
    shown = [line.split("|")[1].strip()[1:].split("](")[0] for line in table_rows(section)]
    assert shown == ["Jürgen Groß"] + [name for name in expected if name != "Jürgen Groß"]
    result = check(root, AS_OF)
    assert result.kb is not None
    links = link(result.kb)
    assert [links.owner_names[slug] for slug in links.owners] == expected


def test_actions_finds_an_owner_by_part_of_the_name_and_an_action_by_its_words(
        tmp_path: Path) -> None:
    """`--owner` takes a first or last name as well as the whole one, in any case and without
    its accents; TEXT keeps the actions that mention it, and an action id shows that action
    even when it is done. The owners and titles are worked out by hand below."""
    from conftest import make_kb

    march = _retro("2026-03", "2026-04-02", """actions:
  - {id: C-1, title: Publish the event calendar, owner: Ana María Núñez, due: 2026-04-05}
  - {id: C-2, title: Book the spring venue, owner: Ana Lopez, due: 2026-04-20}
  - {id: C-3, title: Share the calendar with sales, owner: Omar Diaz, due: 2026-05-01,
     status: done, done_on: 2026-04-02}
  - {id: C-4, title: Retire the old calendar, owner: Ana Lopez, due: 2026-06-01,
     status: dropped, note: Replaced by C-1}
""")
    root = make_kb(tmp_path / "kb", {"retros/2026-03-marketing.md": march})

    def shown(*args: str) -> tuple[list[str], str]:
        result = run_cli("actions", "--root", str(root), "--as-of", AS_OF.isoformat(), *args)
        assert result.exit_code == 0, result.output
        return re.findall(r"^│ (C-\d)", result.output, re.M), result.output

    # A last name without its accents, in capitals: Ana María Núñez alone.
    assert shown("--owner", "NUNEZ")[0] == ["C-1"]
    assert shown("--owner", "maría núñez")[0] == ["C-1"]  # two words of the name, in order
    # A first name two owners share: both, and the output says who they are.
    ids, output = shown("--owner", "ana")
    assert ids == ["C-1", "C-2"]
    assert "2 owners are named 'ana': Ana Lopez, Ana María Núñez" in " ".join(output.split())
    # Part of a word is no one's name: an error naming the owners, not an empty register.
    missing = run_cli("actions", "--root", str(root), "--as-of", AS_OF.isoformat(),
                      "--owner", "an")
    assert missing.exit_code != 0 and "no action has the owner 'an'" in missing.output
    assert "Traceback" not in missing.output
    # Words of a title: the open action, and a line saying two closed ones match too.
    ids, output = shown("calendar")
    assert ids == ["C-1"]
    assert "2 more actions matching 'calendar' are done or dropped (--all shows them)" in \
        " ".join(output.split())
    assert shown("calendar", "--all")[0] == ["C-1", "C-3", "C-4"]
    # C-1 is overdue on 2026-04-10 (due 04-05); C-2 (due 04-20) is open but not yet due.
    ids, output = shown("ana", "--overdue")
    assert ids == ["C-1"]
    assert "1 more action matching 'ana' is open but not overdue" in " ".join(output.split())
    # An action's id shows it whatever its status; an owner's name is searched too.
    assert shown("C-3")[0] == ["C-3"]
    assert shown("omar")[0] == []
    assert shown("omar", "--all")[0] == ["C-3"]


def test_the_table_prints_titles_and_names_exactly_as_written(tmp_path: Path) -> None:
    """Rich markup in a title prints as typed; a trailing backslash printed twice ("Split
    C:\\\\") where the JSON and the site show one."""
    from conftest import make_kb

    march = _retro("2026-03", "2026-04-02", """actions:
  - {id: B-1, title: 'Split C:\\', owner: 'Lena Novak\\', due: 2026-04-05}
  - {id: B-2, title: 'Read [bold]the[/bold] notes [q3]', owner: Ines Park, due: 2026-04-20}
""")
    root = make_kb(tmp_path / "kb", {"retros/2026-03-marketing.md": march})
    result = run_cli("actions", "--root", str(root), "--as-of", AS_OF.isoformat())
    assert result.exit_code == 0, result.output
    cells = {line.split("│")[1].strip(): [c.strip() for c in line.split("│")[2:-1]]
             for line in result.output.splitlines() if line.startswith("│ B-")}
    assert cells["B-1"][:2] == ["Split C:\\", "Lena Novak\\"], cells
    assert cells["B-2"][0] == "Read [bold]the[/bold] notes [q3]", cells


def test_an_owner_s_closed_actions_are_counted_not_hidden_without_a_word(repo: Path) -> None:
    """Omar Diaz has M-2 open (overdue) and M-3 done. `--owner omar` shows M-2 and says one
    more is done, as a search does: an owner whose actions were all done got an empty table
    and "0 actions" only."""
    result = run_cli("actions", "--owner", "omar", "--root", str(repo), "--as-of",
                     AS_OF.isoformat())
    assert result.exit_code == 0, result.output
    assert "M-2" in result.output and "M-3" not in result.output
    assert "1 more action of 'omar' is done or dropped (--all shows them)" in result.output


OWNERS_IN_FULL = """---
type: retro
team: marketing
period: 2026-03
held: 2026-04-02
facilitator: Ines Park
participants:
  - Ines Park
format: went-well-didnt
went_well:
  - Webinar turnout
actions:
  - id: D-1
    title: Clean the webinar list
    owner: Sofia Lindqvist
    due: 2026-04-30
  - id: D-2
    title: Brief the SDRs
    owner: Priya Raman
    due: 2026-04-30
---

Notes.
"""
# The next month's scribe writes owners as a CRM exports them: last name first, or an initial.
OWNERS_AS_EXPORTED = """---
type: retro
team: marketing
period: 2026-04
held: 2026-05-04
facilitator: Ines Park
participants:
  - Ines Park
format: went-well-didnt
went_well:
  - Webinar turnout
actions:
  - id: D-3
    title: Re-verify the webinar list
    owner: "Lindqvist, Sofia"
    due: 2026-05-30
  - id: D-4
    title: Brief the SDRs again
    owner: P. Raman
    due: 2026-05-30
  - id: D-5
    title: Book the autumn venue
    owner: J. Okafor
    due: 2026-05-30
  - id: D-6
    title: Send the partner list
    owner: Raman, P.
    due: 2026-05-30
---

Notes.
"""


def test_an_owner_written_last_name_first_or_with_an_initial(tmp_path: Path) -> None:
    """`--owner lindqvist` missed "Lindqvist, Sofia" (its word was "lindqvist,"), and nothing
    said that "Lindqvist, Sofia" and "P. Raman" are the "Sofia Lindqvist" and "Priya Raman"
    another retro names in full: the site showed four owners for two people."""
    from generator.paths import owner_words

    assert owner_words("Lindqvist, Sofia") == ["lindqvist", "sofia"]
    assert owner_words("P. Raman") == ["p", "raman"]
    assert owner_words("O'Brien-Park, Anne") == ["o'brien-park", "anne"]  # inside a word: kept
    root = make_kb(tmp_path / "kb", {"retros/2026-03-marketing.md": OWNERS_IN_FULL,
                                     "retros/2026-04-marketing.md": OWNERS_AS_EXPORTED})
    result = run_cli("actions", "--all", "--owner", "lindqvist", "--format", "json",
                     "--root", str(root), "--as-of", "2026-05-10")
    assert result.exit_code == 0, result.output
    assert [r["id"] for r in json.loads(result.stdout)["actions"]] == ["D-1", "D-3"]
    checked = run_cli("validate", "--root", str(root), "--as-of", "2026-05-10")
    assert checked.exit_code == 0, checked.output
    # By hand: the owners are on lines 15, 19, 23 and 27 of the April file (the "---" is line
    # 1, the first action's id line 13), after "owner: "
    # (4 spaces and 7 characters: column 12). J. Okafor is nobody's initial: no one named
    # Okafor is written in full.
    path = "retros/2026-04-marketing.md"
    hint = "(write it the same way, or the site shows two owners)"
    assert [line for line in checked.output.splitlines() if "looks like" in line] == [
        f"{path}:15:12  actions[0].owner  warning: 'Lindqvist, Sofia' looks like "
        f"'Sofia Lindqvist' {hint}",
        f"{path}:19:12  actions[1].owner  warning: 'P. Raman' looks like 'Priya Raman' {hint}",
        f"{path}:27:12  actions[3].owner  warning: 'Raman, P.' looks like 'Priya Raman' {hint}",
    ]


def _backlog_rows(register: str) -> dict[str, list[int]]:
    """The register's "Opened and closed by month" table: month -> [opened, closed, open]."""
    table = register.split("<summary>Opened and closed by month</summary>", 1)[1]
    table = table.split("</details>", 1)[0]
    return {month: [int(n) for n in cells] for month, *cells in re.findall(
        r'<tr><th scope="row" class="hs-date">([\d-]+)</th><td class="hs-num">(\d+)</td>'
        r'<td class="hs-num">(\d+)</td><td class="hs-num">(\d+)</td></tr>', table)}


def test_the_exports_close_an_action_when_the_register_does(tmp_path: Path) -> None:
    """R-1 (raised 2026-02-03) is dropped by the March record (held 2026-03-04) and called
    done, with no done_on, by May's (held 2026-05-05): the register's months close it in
    March, while data/actions.csv, data/actions.json and `hindsight actions --format json`
    gave closed_on 2026-05-05 and age_days 91. They close it on 2026-03-04, 29 days after it
    was raised, its done_date staying 2026-05-05. R-2, done on 2026-02-20, reopened in April
    and done again on 2026-04-28, closed when it closed again. R-3, reported done by March's
    record and given done_on 2026-02-25 by April's, closed on the day March's record held
    it done, as the register counts it; its done_date is 2026-02-25."""
    root = make_kb(tmp_path / "kb", {
        "retros/2026-01-marketing.md": _retro("2026-01", "2026-02-03", """actions:
  - {id: R-1, title: Try a webinar, owner: Ines Park, due: 2026-03-31}
  - {id: R-2, title: Fix the signup form, owner: Omar Diaz, due: 2026-02-28}
  - {id: R-3, title: Clean the list, owner: Omar Diaz, due: 2026-02-28}
"""),
        "retros/2026-02-marketing.md": _retro("2026-02", "2026-03-04", """action_updates:
  - {id: R-1, status: dropped, note: Budget moved}
  - {id: R-2, status: done, done_on: 2026-02-20}
  - {id: R-3, status: done}
"""),
        "retros/2026-03-marketing.md": _retro("2026-03", "2026-04-02", """action_updates:
  - {id: R-2, status: open, due: 2026-04-30, note: The form broke again}
  - {id: R-3, status: done, done_on: 2026-02-25}
"""),
        "retros/2026-04-marketing.md": _retro("2026-04", "2026-05-05", """action_updates:
  - {id: R-1, status: done, note: Ran it after all}
  - {id: R-2, status: done, done_on: 2026-04-28}
"""),
    })
    day = dt.date(2026, 5, 10)
    files = build(root, day).files
    assert _backlog_rows(files["actions/index.md"].decode()) == {
        "2026-02": [3, 1, 2], "2026-03": [0, 2, 0], "2026-04": [1, 1, 0], "2026-05": [0, 0, 0]}
    expected = {"R-1": ("2026-03-04", "2026-05-05", 29), "R-2": ("2026-04-28", "2026-04-28", 84),
                "R-3": ("2026-03-04", "2026-02-25", 29)}
    rows = {row["id"]: (row["closed_on"], row["done_date"], int(row["age_days"]))
            for row in csv.DictReader(io.StringIO(files["data/actions.csv"].decode()))}
    assert rows == expected, rows
    exported = {row["id"]: (row["closed_on"], row["done_date"], row["age_days"])
                for row in json.loads(files["data/actions.json"])}
    assert exported == expected, exported
    printed = run_cli("actions", "--all", "--format", "json", "--root", str(root),
                      "--as-of", day.isoformat())
    assert printed.exit_code == 0, printed.output
    assert {row["id"]: (row["closed_on"], row["done_date"], row["age_days"])
            for row in json.loads(printed.stdout)["actions"]} == expected, printed.stdout


def test_dropping_an_action_again_does_not_move_when_it_closed(tmp_path: Path) -> None:
    """D-1 is raised by the January retro (held 2026-02-03), dropped by the February retro
    (held 2026-03-04, "Budget moved") and dropped again with a note of its own by the March
    retro (held 2026-04-02). It closed on 2026-03-04: 25 days of February + 4 of March = 29
    days open, counted closed in March. The second drop moved the close to 2026-04-02 (58
    days open) and its Closed count from March to April."""
    root = tmp_path / "kb"
    init(root)
    shutil.copy(FIXTURES / "taxonomy.yml", root / "taxonomy.yml")
    (root / "retros").mkdir()
    records = {
        "2026-01-marketing.md": _retro("2026-01", "2026-02-03", "actions:\n  - {id: D-1, "
                                       "title: Try a webinar, owner: Ines Park, "
                                       "due: 2026-03-31}\n"),
        "2026-02-marketing.md": _retro("2026-02", "2026-03-04", "action_updates:\n  - {id: D-1, "
                                       "status: dropped, note: Budget moved}\n"),
        "2026-03-marketing.md": _retro("2026-03", "2026-04-02", "action_updates:\n  - {id: D-1, "
                                       "status: dropped, note: The budget went to events}\n"),
    }
    for name, text in records.items():
        (root / "retros" / name).write_text(text)
    commit_all(root, "Q1 retros", "Ines Park", COMMITTED)
    files = build(root, AS_OF).files
    (row,) = json.loads(files["data/actions.json"])
    assert (row["status"], row["closed_on"], row["age_days"]) == ("dropped", "2026-03-04", 29)
    # The second drop's note is still the latest note.
    assert (row["note"], row["note_in"]) == ("The budget went to events", "2026-03-marketing")
    # Opened in February (the raising retro was held then), closed in March, none open after.
    assert _backlog_rows(files["actions/index.md"].decode()) == {
        "2026-02": [1, 0, 1], "2026-03": [0, 1, 0], "2026-04": [0, 0, 0]}


def test_status_changed_is_the_record_that_last_changed_the_status(tmp_path: Path) -> None:
    """C-1 is raised open by the January retro (held 2026-02-03), set in progress by February's
    (held 2026-03-04), then said in progress again with a note by March's (2026-04-02) and
    given a later due date by a Q1 review (2026-04-08): its status last changed on 2026-03-04.
    C-2 is raised open and only ever told `status: open` with a note (March): its status was
    set where it was raised, 2026-02-03. Both used to read the latest update instead
    (2026-04-08, 2026-04-02)."""
    root = tmp_path / "kb"
    init(root)
    shutil.copy(FIXTURES / "taxonomy.yml", root / "taxonomy.yml")
    (root / "retros").mkdir()
    records = {
        "retros/2026-01-marketing.md": _retro("2026-01", "2026-02-03", "actions:\n"
                                              "  - {id: C-1, title: Clean the CRM, owner: Omar "
                                              "Diaz, due: 2026-05-15}\n  - {id: C-2, title: "
                                              "Book the venue, owner: Ines Park, due: "
                                              "2026-06-01}\n"),
        "retros/2026-02-marketing.md": _retro("2026-02", "2026-03-04", "action_updates:\n"
                                              "  - {id: C-1, status: in-progress}\n"),
        "retros/2026-03-marketing.md": _retro("2026-03", "2026-04-02", "action_updates:\n"
                                              "  - {id: C-1, status: in-progress, note: Half the "
                                              "accounts merged}\n  - {id: C-2, status: open, "
                                              "note: Two venues shortlisted}\n"),
        "retros/2026-q1-review.md": """---
type: review
period: 2026-Q1
held: 2026-04-08
facilitator: Ines Park
participants: [Ines Park, Omar Diaz]
scorecard:
  - {metric: New ARR, goal: 100000, actual: 90000, unit: usd, better: up}
priorities: [Fewer, larger events]
external_factors: [A slow March]
action_updates:
  - {id: C-1, status: in-progress, due: 2026-06-30}
---

Review.
""",
    }
    for name, text in records.items():
        (root / name).write_text(text)
    commit_all(root, "Q1 records", "Ines Park", COMMITTED)
    files = build(root, AS_OF).files
    exported = {r["id"]: r for r in json.loads(files["data/actions.json"])}
    assert exported["C-1"]["status_changed_in"] == "2026-02-marketing"
    assert exported["C-1"]["due"] == "2026-06-30"  # the review's update is applied
    assert exported["C-2"]["status_changed_in"] == "2026-01-marketing"
    rows = _action_rows(files["actions/index.md"].decode(), "C-")
    assert _text(rows["C-1"]["Status changed"]) == "2026-03-04"
    assert _text(rows["C-2"]["Status changed"]) == "2026-02-03"


def test_a_narrow_terminal_says_days_late_and_the_first_due_date(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A-7 is raised by the April retro (held 2026-05-04) due 2026-06-15, moved to 2026-08-31
    by June's (held 2026-07-02) and reported done, without a date, by August's (held
    2026-09-03): 15 days of June + 31 + 31 + 3 = 80 days late against its first due date.
    B-1, due 2026-06-30 and done 2026-07-01, is 1 day late and was never moved. Under 90
    columns each action's block said neither, only "done late by 2026-08-marketing  due
    2026-08-31"."""
    root = tmp_path / "kb"
    init(root)
    shutil.copy(FIXTURES / "taxonomy.yml", root / "taxonomy.yml")
    (root / "retros").mkdir()
    records = {
        "2026-04-marketing.md": _retro("2026-04", "2026-05-04", "actions:\n  - {id: A-7, title: "
                                       "Refresh the case studies, owner: Omar Diaz, due: "
                                       "2026-06-15}\n  - {id: B-1, title: Brief the agency, "
                                       "owner: Ines Park, due: 2026-06-30}\n"),
        "2026-06-marketing.md": _retro("2026-06", "2026-07-02", "action_updates:\n  - {id: A-7, "
                                       "status: in-progress, due: 2026-08-31}\n  - {id: B-1, "
                                       "status: done, done_on: 2026-07-01}\n"),
        "2026-08-marketing.md": _retro("2026-08", "2026-09-03", "action_updates:\n  - {id: A-7, "
                                       "status: done}\n"),
    }
    for name, text in records.items():
        (root / "retros" / name).write_text(text)
    commit_all(root, "Retros", "Omar Diaz", COMMITTED)
    day = "2026-09-10"
    wide = run_cli("actions", "--all", "--root", str(root), "--as-of", day)
    assert "80 (first due 2026-06-15)" in " ".join(wide.output.split()), wide.output
    monkeypatch.setenv("COLUMNS", "80")
    narrow = run_cli("actions", "--all", "--root", str(root), "--as-of", day)
    assert narrow.exit_code == 0, narrow.output
    blocks = {block.split()[0]: block.splitlines() for block in narrow.output.split("\n\n")}
    assert blocks["A-7"][:3] == ["A-7  done late by 2026-08-marketing  due 2026-08-31",
                                 "  80 days late (first due 2026-06-15)",
                                 "  Refresh the case studies"], blocks
    assert blocks["B-1"][:3] == ["B-1  done late 2026-07-01  due 2026-06-30", "  1 day late",
                                 "  Brief the agency"], blocks


def test_a_duplicate_action_id_is_an_error_of_the_later_record_only(tmp_path: Path) -> None:
    """A campaign post-mortem copied a quarterly review's action, id and all. The error was at both,
    the review blamed for the copy. Now the record held later is in error (the review, held
    first, keeps the id, as the register has it), whichever file name sorts first, and the
    hint gives a free id by the custom: QBR-2026-Q2-2 is taken, so -3."""
    review = ("---\ntype: review\nperiod: 2026-Q2\nheld: 2026-07-06\nfacilitator: Ana Silva\n"
              "scorecard:\n  - {metric: New ARR, goal: 900000, actual: 870000, unit: usd}\n"
              "actions:\n"
              "  - {id: QBR-2026-Q2-1, title: Run a win-loss call, owner: Ana Silva, "
              "due: 2026-08-31}\n"
              "  - {id: QBR-2026-Q2-2, title: Fix the forecast, owner: Ana Silva, "
              "due: 2026-08-31}\n---\n\nThe quarter.\n")
    postmortem = ("---\ntype: postmortem\nname: Northwind push\nkind: campaign\noutcome: loss\n"
                  "summary: We lost it.\nteam: sales\nevent_ended: 2026-07-01\n"
                  "held: 2026-07-07\nkeeper: Lee Park\n"
                  "actions:\n"
                  "  - {id: QBR-2026-Q2-1, title: Run a win-loss call, owner: Lee Park, "
                  "due: 2026-08-31}\n---\n\nWhat happened.\n")
    root = make_kb(tmp_path, {"retros/2026-q2-review.md": review,
                              "postmortems/2026-07-northwind-push.md": postmortem})
    checked = run_cli("validate", "--root", str(root), "--as-of", "2026-07-10", "--format",
                      "json")
    errors = [p for p in json.loads(checked.stdout)["problems"] if p["severity"] == "error"]
    assert [(p["path"], p["line"], p["message"], p["hint"]) for p in errors] == [
        ("postmortems/2026-07-northwind-push.md", 12,
         "action id 'QBR-2026-Q2-1' is already raised at retros/2026-q2-review.md:9 (held "
         "2026-07-06), which keeps it",
         "give this action an id of its own, e.g. QBR-2026-Q2-3; action ids must be unique "
         "across the knowledge base")], checked.stdout
    summary = json.loads(checked.stdout)["summary"]
    assert [entry["because"] for entry in summary["not_run"]] \
        == [["postmortems/2026-07-northwind-push.md"]] * len(summary["not_run"])


def test_actions_text_finds_a_record_and_a_cause_by_the_names_the_site_shows(
        tmp_path: Path) -> None:
    """TEXT matched record and cause ids alone: "Roadshow Leads", the *Raised in* the register
    shows for the post-mortem's action, found nothing (its id has hyphens), nor did a cause's
    title or an alias. Now the raising record's title and the cause's title and aliases match
    too, in any case; the owner's name still does."""
    postmortem = ("---\ntype: postmortem\nname: The Roadshow Leads\nkind: campaign\n"
                  "outcome: loss\nsummary: Leads never called.\nteam: marketing\n"
                  "event_ended: 2026-03-10\nheld: 2026-03-16\nkeeper: Ines Park\n"
                  "causes:\n  - cause: wrong-icp\n    whys: [The list was last year's]\n"
                  "actions:\n"
                  "  - {id: R-1, title: Route field leads, owner: Sam Patel, due: 2026-05-01,"
                  " cause: wrong-icp}\n"
                  "  - {id: R-2, title: Call every lead, owner: Omar Diaz, due: 2026-03-31,"
                  " status: done}\n---\n\nWhat happened.\n")
    march = _retro("2026-03", "2026-04-02", """causes:
  - cause: nurture-decay
    whys: [Nobody checks the sequences]
actions:
  - {id: N-1, title: Check the sequences weekly, owner: Ana Lopez, due: 2026-05-20,
     cause: nurture-decay}
""")
    root = make_kb(tmp_path / "kb", {"postmortems/2026-03-the-roadshow-leads.md": postmortem,
                                     "retros/2026-03-marketing.md": march})

    def found(*args: str) -> list[str]:
        result = run_cli("actions", "--root", str(root), "--as-of", AS_OF.isoformat(),
                         "--format", "json", *args)
        assert result.exit_code == 0, result.output
        return [row["id"] for row in json.loads(result.stdout)["actions"]]

    assert found("roadshow LEADS", "--all") == ["R-2", "R-1"]  # the post-mortem's name
    assert found("Roadshow Leads") == ["R-1"]  # R-2 is done
    assert found("ICP Drift") == ["R-1"]  # the cause's title (cited by its alias)
    assert found("WRONG-ICP") == ["R-1"]  # an alias
    assert found("nurture") == ["N-1"]  # the cause's id and title
    assert found("retro — march") == ["N-1"]  # the retro's title, as pages show it
    assert found("sam patel") == ["R-1"]  # the owner


def test_a_later_record_never_rewrites_a_past_month_of_the_backlog(tmp_path: Path) -> None:
    """R-1 is raised in February (retro held 2026-02-03), dropped in March (held 2026-03-04)
    and called done, with no done_on, in May (held 2026-05-05): as of 2026-05-10 its close
    moved to May, and March read 0 closed where it had read 1. It closed in March and stays
    closed there: May's record closes nothing that was open. R-2 is done on 2026-02-20 (per
    the March record), reopened by the April record (held 2026-04-02) and done again on
    2026-04-28 (per May's): it was counted opened in February and closed in April alone, open
    at the end of February and March. Now it is opened and closed in February, and opened
    again (counted under Opened) and closed again in April.
      February: opened 2, closed 1 (R-2), open 1; March: closed 1 (R-1), open 0;
      April: opened 1 (R-2 reopened), and as of May closed 1 (R-2 done again), open 0."""
    root = make_kb(tmp_path / "kb", {
        "retros/2026-01-marketing.md": _retro("2026-01", "2026-02-03", """actions:
  - {id: R-1, title: Try a webinar, owner: Ines Park, due: 2026-03-31}
  - {id: R-2, title: Fix the signup form, owner: Omar Diaz, due: 2026-02-28}
"""),
        "retros/2026-02-marketing.md": _retro("2026-02", "2026-03-04", """action_updates:
  - {id: R-1, status: dropped, note: Budget moved}
  - {id: R-2, status: done, done_on: 2026-02-20}
"""),
        "retros/2026-03-marketing.md": _retro("2026-03", "2026-04-02", """action_updates:
  - {id: R-2, status: open, due: 2026-04-30, note: The form broke again}
"""),
        "retros/2026-04-marketing.md": _retro("2026-04", "2026-05-05", """action_updates:
  - {id: R-1, status: done, note: Ran it after all}
  - {id: R-2, status: done, done_on: 2026-04-28}
"""),
    })
    april = _backlog_rows(build(root, dt.date(2026, 4, 10)).files["actions/index.md"].decode())
    may = _backlog_rows(build(root, dt.date(2026, 5, 10)).files["actions/index.md"].decode())
    assert april == {"2026-02": [2, 1, 1], "2026-03": [0, 1, 0], "2026-04": [1, 0, 1]}, april
    assert may == {"2026-02": [2, 1, 1], "2026-03": [0, 1, 0], "2026-04": [1, 1, 0],
                   "2026-05": [0, 0, 0]}, may
