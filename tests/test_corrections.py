"""Records corrected months later, checked as a pull request (`validate --changed-since`):
what the correction does to records it did not touch is said."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import FIXTURES, REPO, run_cli
from gittools import commit_all, git, init

CORPUS = FIXTURES / "corpus"


def _sample_repo(tmp_path: Path) -> Path:
    """The sample knowledge base committed on main, a branch ``fix`` checked out."""
    root = tmp_path / "kb"
    init(root)
    shutil.copy(REPO / "taxonomy.yml", root / "taxonomy.yml")
    for folder in ("retros", "postmortems"):
        shutil.copytree(REPO / folder, root / folder)
    commit_all(root, "Sample", "Alice Adams", "2026-12-01T09:00:00+00:00")
    git(root, "checkout", "-q", "-b", "fix")
    return root


def test_a_scorecard_warning_a_corrected_retro_causes_in_its_review_is_reported(
        tmp_path: Path) -> None:
    """April's SMB win rate corrected from 28/94 to 41/94 lifts the quarter's win rate to
    33.6%, over the review's goal of 33%, while the review's typed 30.7% misses it: a full
    `validate` warned at the review, the pull-request check said "0 errors, 0 warnings" (the
    review was not changed), and with --strict main failed after the merge."""
    root = _sample_repo(tmp_path)
    april = root / "retros" / "2026-04-sales.md"
    april.write_text(april.read_text().replace('smb: "28/94"', 'smb: "41/94"'))
    commit_all(root, "Correct April's SMB win rate", "Bob Brown", "2026-12-05T09:00:00+00:00")
    args = ("validate", "--changed-since", "main", "--root", str(root), "--as-of", "2026-12-07")
    result = run_cli(*args, "--strict")
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines()
             if line.startswith("retros/2026-q2-review.md:")]
    assert len(lines) == 1, result.output
    assert "scorecard[4].actual  warning: typed 30.7% misses the goal of 33.0%" in lines[0]
    assert "the quarter's records give 33.6%" in lines[0]
    assert lines[0].endswith("[caused by this change: not so at main]")
    # The sample's overdue actions, older than the change, stay out of its report.
    assert "overdue" not in result.output
    assert "0 errors, 1 warning; 2 files checked" in result.output
    data = json.loads(run_cli(*args, "--format", "json").stdout)
    [problem] = data["problems"]
    assert problem["path"] == "retros/2026-q2-review.md" and problem["caused_by"] == "main"
    github = run_cli(*args, "--format", "github").output
    assert "::warning file=retros/2026-q2-review.md,line=" in github
    # Not changed on main, it is no warning of the change.
    git(root, "checkout", "-q", "main")
    git(root, "checkout", "-q", "-b", "other")
    quiet = run_cli(*args)
    assert quiet.exit_code == 0 and "0 errors, 0 warnings" in quiet.output, quiet.output


def _fixture_repo(tmp_path: Path) -> Path:
    """The test corpus (April raises SAL-2026-04-1, due 2026-05-20; May drops it) on main."""
    root = tmp_path / "kb"
    init(root)
    shutil.copy(CORPUS / "taxonomy.yml", root / "taxonomy.yml")
    shutil.copytree(CORPUS / "retros", root / "retros")
    commit_all(root, "Base", "Alice Adams", "2026-07-10T09:00:00+00:00")
    git(root, "checkout", "-q", "-b", "fix")
    return root


DROP = "  - {id: SAL-2026-04-1, status: dropped, note: Replaced by the routing change.}\n"


def test_deleting_the_update_that_closed_an_action_says_it_is_open_and_overdue(
        tmp_path: Path) -> None:
    """Deleting the update that dropped an action by mistake was silent ("0 errors, 0
    warnings") while the home page counted one more overdue action."""
    root = _fixture_repo(tmp_path)
    may = root / "retros" / "2026-05-sales.md"
    assert DROP in may.read_text()
    may.write_text(may.read_text().replace("action_updates:\n" + DROP, ""))
    commit_all(root, "Undo the drop", "Bob Brown", "2026-07-12T09:00:00+00:00")
    result = run_cli("validate", "--changed-since", "main", "--root", str(root),
                     "--as-of", "2026-07-15")
    april = (CORPUS / "retros" / "2026-04-sales.md").read_text().splitlines()
    line = april.index("  - id: SAL-2026-04-1") + 1
    assert (f"retros/2026-04-sales.md:{line + 3}:10  actions[0].due  warning: action "
            "SAL-2026-04-1 is overdue (due 2026-05-20, owner Sam Okafor) (close it, move its due "
            "date, or drop it in the next record's action_updates) [caused by this change: not "
            "so at main]") in result.output, result.output
    # At the action (it writes no status), the line it says to a reviewer.
    assert (f"retros/2026-04-sales.md:{line}:5  notice: SAL-2026-04-1 was dropped at main and "
            "is open again with this change (no record closes it now): overdue by 56 days "
            "(due 2026-05-20), owner Sam Okafor"
            in result.output), result.output


def test_reopening_an_action_with_an_update_names_the_record_that_reopens_it(
        tmp_path: Path) -> None:
    """The route the README gives: a new update, ``status: open`` with a note, in a later
    record; its due date moved, so it is not overdue, and the check says so."""
    root = _fixture_repo(tmp_path)
    june = root / "retros" / "2026-06-sales.md"
    june.write_text((CORPUS / "retros" / "2026-05-sales.md").read_text()
                    .replace("period: 2026-05", "period: 2026-06")
                    .replace("held: 2026-06-03", "held: 2026-07-02")
                    .replace("SAL-2026-05-1", "SAL-2026-06-1")
                    .replace(DROP, "  - {id: SAL-2026-04-1, status: open, due: 2026-08-31, "
                                   "note: Dropped by mistake; the routing change did not "
                                   "replace it.}\n"))
    commit_all(root, "June", "Bob Brown", "2026-07-12T09:00:00+00:00")
    result = run_cli("validate", "--changed-since", "main", "--root", str(root),
                     "--as-of", "2026-07-15", "--format", "github")
    assert ("::notice file=retros/2026-04-sales.md,line=" in result.output
            and "::SAL-2026-04-1 was dropped at main and is open again with this change "
            "(reopened by retros/2026-06-sales.md): due 2026-08-31, owner Sam Okafor"
            in result.output), result.output
    data = json.loads(run_cli("validate", "--changed-since", "main", "--root", str(root),
                              "--as-of", "2026-07-15", "--format", "json").stdout)
    assert any(note.startswith("SAL-2026-04-1 was dropped at main") for note in data["notes"])


def _corpus_copy(tmp_path: Path) -> Path:
    root = tmp_path / "kb"
    shutil.copytree(CORPUS, root)
    return root


NORTHWIND = "postmortems/2026-06-northwind-win.md"


def test_a_post_mortem_saved_twice_is_an_error_at_the_copy(tmp_path: Path) -> None:
    """A copy under a second name passed `validate --strict` and was counted twice in
    win/loss. Said at the file not named as `hindsight new` names it, though it sorts first."""
    root = _corpus_copy(tmp_path)
    shutil.copy(root / NORTHWIND, root / "postmortems" / "2026-06-a-northwind-win.md")
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-07-15")
    assert result.exit_code == 1, result.output
    assert ("postmortems/2026-06-a-northwind-win.md:3:7  name  a copy of "
            f"{NORTHWIND}: its front matter is the same, so the event is counted twice (in "
            "win/loss, the checklists, the lessons) (delete one of the two: this file or "
            f"{NORTHWIND})") in result.output, result.output
    assert not any(line.startswith(f"{NORTHWIND}:") for line in result.output.splitlines())


def test_two_post_mortems_of_one_deal_are_warned_about(tmp_path: Path) -> None:
    """Told a little differently (another name, another summary), the same customer closed on
    the same day is a warning: it may be a second deal, and the writer says."""
    root = _corpus_copy(tmp_path)
    text = (root / NORTHWIND).read_text()
    (root / "postmortems" / "2026-06-northwind-traders.md").write_text(
        text.replace("name: Northwind win", "name: Northwind Traders")
        .replace("We won Northwind", "Northwind chose us"))
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-07-15", "--strict")
    assert result.exit_code == 1, result.output
    line = text.splitlines().index("  customer: Northwind Traders") + 1
    # Both named as `hindsight new` names them: said at the one named later.
    assert (f"{NORTHWIND}:{line}:13  deal.customer  warning: has the same customer (Northwind "
            "Traders) and close date (2026-06-10) as postmortems/2026-06-northwind-traders.md: "
            "two post-mortems of one event are counted twice (if it is a copy, "
            "delete one; if they are two events, tell them apart by name or date)"
            in result.output), result.output


def test_recall_finds_a_lesson_of_another_record_held_the_same_day(tmp_path: Path) -> None:
    """Two post-mortems held the same day teaching one lesson: recall of the one whose id
    sorts first missed the other's (ties on the held date went to the id)."""
    root = _corpus_copy(tmp_path)
    text = (root / NORTHWIND).read_text()
    (root / "postmortems" / "2026-06-contoso-win.md").write_text(
        text.replace("name: Northwind win", "name: Contoso win")
        .replace("customer: Northwind Traders", "customer: Contoso"))
    for name in ("2026-06-contoso-win", "2026-06-northwind-win"):
        other = "northwind-win" if "contoso" in name else "contoso-win"
        result = run_cli("recall", str(root / "postmortems" / f"{name}.md"), "--root", str(root),
                         "--as-of", "2026-07-15", "--format", "json")
        assert result.exit_code == 0, result.output
        repeated = json.loads(result.stdout)["records"][0]["repeated_lessons"]
        assert f"2026-06-{other}" in json.dumps(repeated), name
