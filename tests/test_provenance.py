"""Git provenance, What's new, the Atom feed, shallow clones, and --changed-since."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from conftest import FIXTURES, run_cli
from generator.paths import RenderOptions
from generator.site.build import build
from gittools import commit_all, git, init

CORPUS = FIXTURES / "corpus"
AS_OF = dt.date(2026, 7, 20)
ATOM = "{http://www.w3.org/2005/Atom}"


def _repo(tmp_path: Path, retros: dict[str, str], message: str) -> Path:
    """A git repository with the test taxonomy and ``retros``, committed by Alice."""
    root = tmp_path / "kb"
    init(root)
    shutil.copy(CORPUS / "taxonomy.yml", root / "taxonomy.yml")
    (root / "retros").mkdir()
    for name, text in retros.items():
        (root / "retros" / name).write_text(text)
    commit_all(root, message, "Alice Adams", "2026-05-05T09:00:00+00:00")
    return root


def _corpus(name: str) -> str:
    return (CORPUS / "retros" / name).read_text()


@pytest.fixture
def history(tmp_path: Path) -> Path:
    """Alice submits two retros; Bob later edits one and adds a third that closes an action."""
    root = _repo(tmp_path, {n: _corpus(n) for n in ("2026-03-sales.md", "2026-04-sales.md")},
                 "March and April retros")
    march = root / "retros" / "2026-03-sales.md"
    march.write_text(march.read_text().replace("The team traced it", "The whole team traced it"))
    shutil.copy(CORPUS / "retros" / "2026-05-sales.md", root / "retros" / "2026-05-sales.md")
    commit_all(root, "May retro; wording", "Bob Brown", "2026-06-04T15:30:00+00:00")
    return root


def test_record_pages_show_who_submitted_and_last_changed(history: Path) -> None:
    files = build(history, AS_OF).files
    march = files["records/2026-03-sales.md"].decode()
    assert "submitted by Alice Adams on 2026-05-05" in march
    assert "last changed by Bob Brown on 2026-06-04" in march
    april = files["records/2026-04-sales.md"].decode()
    assert "submitted by Alice Adams on 2026-05-05" in april and "last changed" not in april


def test_actions_register_shows_when_raised_and_when_status_changed(history: Path) -> None:
    register = build(history, AS_OF).files["actions/index.md"].decode()
    # SAL-2026-04-1 was raised in the April retro (held 2026-05-04, committed 2026-05-05) and
    # dropped in the May retro (held 2026-06-03, committed 2026-06-04): the register gives the
    # dates the records were held, not when their files were committed.
    row = next(line for line in register.splitlines() if "<code>SAL-2026-04-1</code>" in line)
    assert row.endswith('<td class="hs-raised hs-date">2026-05-04</td>'
                        '<td class="hs-changed hs-date">2026-06-03</td></tr>')
    open_row = next(line for line in register.splitlines() if "<code>SAL-2026-05-2</code>" in line)
    assert open_row.endswith('<td class="hs-raised hs-date">2026-06-03</td>'
                             '<td class="hs-changed hs-date">–</td></tr>')
    assert "2026-05-05" not in register and "2026-06-04" not in register


def test_whats_new_lists_latest_changes_first(history: Path) -> None:
    page = build(history, AS_OF).files["whats-new.md"].decode()
    rows = [line for line in page.splitlines() if line.startswith("| 2026")]
    assert [r.split(" | ")[1].split("](")[0].lstrip("[") for r in rows] == [
        "Sales retro — May 2026", "Sales retro — March 2026", "Sales retro — April 2026"]
    assert rows[0].endswith("| added | Bob Brown |")
    assert rows[1].endswith("| changed | Bob Brown |")
    assert rows[2].startswith("| 2026-05-05 |") and rows[2].endswith("| added | Alice Adams |")


def test_a_record_not_committed_yet_says_so(history: Path) -> None:
    # A draft saved but not committed: git knows nothing of it, so no author is made up.
    draft = history / "retros" / "2026-06-sales.md"
    draft.write_text(_corpus("2026-05-sales.md").replace("2026-05", "2026-06")
                     .replace("2026-06-03", "2026-07-03").replace("SAL-2026-06", "SAL-2026-07"))
    os.utime(draft, (1_783_000_000, 1_783_000_000))  # 2026-07-02 UTC
    files = build(history, AS_OF).files
    page = files["records/2026-06-sales.md"].decode()
    assert "not committed yet (the file is dated 2026-07-02)" in page
    assert "submitted by" not in page
    row = next(line for line in files["whats-new.md"].decode().splitlines()
               if "2026-06-sales" in line)
    assert row.endswith("| added | not committed yet |")
    assert "submitted by Alice Adams" in files["records/2026-04-sales.md"].decode()


def test_atom_feed_is_valid_with_absolute_links(history: Path) -> None:
    options = RenderOptions(site_url="https://kb.example.com/memory/")
    data = build(history, AS_OF, options).files["feed.xml"]
    feed = ET.fromstring(data)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}") is not None
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [
        "Sales retro — May 2026", "Sales retro — April 2026", "Sales retro — March 2026"]
    first = entries[0]
    assert first.findtext(f"{ATOM}id") == "https://kb.example.com/memory/records/2026-05-sales/"
    assert first.find(f"{ATOM}link").get("href") == first.findtext(f"{ATOM}id")  # type: ignore[union-attr]
    assert first.findtext(f"{ATOM}updated") == "2026-06-04T15:30:00+00:00"
    assert first.findtext(f"{ATOM}author/{ATOM}name") == "Bob Brown"
    assert entries[2].findtext(f"{ATOM}published") == "2026-05-05T09:00:00+00:00"
    assert feed.findtext(f"{ATOM}updated") == "2026-06-04T15:30:00+00:00"
    assert "feed.xml" not in build(history, AS_OF).files  # no site_url, no feed


def _shallow_clone(history: Path, dest: Path) -> Path:
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{history}", str(dest)],
                   check=True, capture_output=True)
    return dest


def test_shallow_clone_in_ci_fails_with_the_fetch_depth_hint(history: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    clone = _shallow_clone(history, tmp_path / "clone")
    monkeypatch.setenv("CI", "true")
    result = run_cli("generate", "--out", str(tmp_path / "out"), "--root", str(clone),
                     "--as-of", "2026-07-20")
    assert result.exit_code == 2
    assert "shallow clone" in result.output and "fetch-depth: 0" in result.output
    assert not (tmp_path / "out").exists()


def test_shallow_clone_locally_falls_back_to_file_dates(history: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    clone = _shallow_clone(history, tmp_path / "clone")
    monkeypatch.delenv("CI", raising=False)
    result = run_cli("generate", "--out", str(tmp_path / "out"), "--root", str(clone),
                     "--as-of", "2026-07-20")
    assert result.exit_code == 0, result.output
    assert "warning: shallow clone" in result.output
    page = (tmp_path / "out" / "whats-new.md").read_text()
    assert "dates from the files" in page


def test_outside_git_the_site_still_builds(tmp_path: Path) -> None:
    from sitetools import make_project, mkdocs_build

    project = make_project(tmp_path / "project", CORPUS)
    result = mkdocs_build(project, "2026-07-20")
    assert result.returncode == 0, result.stderr
    assert "not a git repository" in result.stderr
    assert (project / "site" / "whats-new" / "index.html").exists()


# --- --changed-since -------------------------------------------------------------------

BROKEN = (CORPUS / "retros" / "2026-03-sales.md").read_text().replace(
    "  - cause: wrong-icp", "  - cause: icp-drfit")


@pytest.fixture
def pr_repo(tmp_path: Path) -> Path:
    """main: two retros, one of them already broken (an old problem nobody touched)."""
    root = _repo(tmp_path, {"2026-03-sales.md": BROKEN,
                            "2026-04-sales.md": _corpus("2026-04-sales.md")}, "Base")
    git(root, "checkout", "-q", "-b", "change")
    return root


def test_changed_record_colliding_with_an_unchanged_one_is_reported_on_its_own_line(
        pr_repo: Path) -> None:
    may = (CORPUS / "retros" / "2026-05-sales.md").read_text().replace(
        "id: SAL-2026-05-2", "id: SAL-2026-04-1")  # reuses April's action id
    (pr_repo / "retros" / "2026-05-sales.md").write_text(may)
    commit_all(pr_repo, "May", "Bob Brown", "2026-06-04T15:30:00+00:00")
    result = run_cli("validate", "--changed-since", "main", "--root", str(pr_repo),
                     "--as-of", "2026-06-05")
    assert result.exit_code == 1
    line = may.splitlines().index("  - id: SAL-2026-04-1") + 1
    april = (CORPUS / "retros" / "2026-04-sales.md").read_text().splitlines()
    other = april.index("  - id: SAL-2026-04-1") + 1
    assert result.output.splitlines()[0] == (
        f"retros/2026-05-sales.md:{line}:9  actions[1].id  action id 'SAL-2026-04-1' is also "
        f"used at retros/2026-04-sales.md:{other} (action ids must be unique across the "
        "knowledge base)")
    assert "2026-04-sales.md:" not in result.output.split("\n", 1)[1]  # not on the unchanged one
    assert "icp-drfit" not in result.output  # the untouched record's old problem


def test_changed_record_pointing_at_a_missing_action_fails(pr_repo: Path) -> None:
    may = (CORPUS / "retros" / "2026-05-sales.md").read_text().replace(
        "{id: SAL-2026-04-1, status: dropped", "{id: SAL-2026-04-9, status: dropped")
    (pr_repo / "retros" / "2026-05-sales.md").write_text(may)  # uncommitted work counts too
    result = run_cli("validate", "--changed-since", "main", "--root", str(pr_repo),
                     "--as-of", "2026-06-05")
    assert result.exit_code == 1
    line = next(i for i, text in enumerate(may.splitlines(), 1) if "SAL-2026-04-9" in text)
    assert f"retros/2026-05-sales.md:{line}:" in result.output
    assert "no action 'SAL-2026-04-9' exists" in result.output


def test_problems_in_untouched_records_do_not_fail_the_check(pr_repo: Path) -> None:
    shutil.copy(CORPUS / "retros" / "2026-05-sales.md", pr_repo / "retros")
    commit_all(pr_repo, "May", "Bob Brown", "2026-06-04T15:30:00+00:00")
    result = run_cli("validate", "--changed-since", "main", "--root", str(pr_repo),
                     "--as-of", "2026-06-05")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("0 errors, 0 warnings in 1 file")
    everything = run_cli("validate", "--root", str(pr_repo), "--as-of", "2026-06-05")
    assert everything.exit_code == 1 and "icp-drfit" in everything.output


def test_github_mode_writes_the_full_list_to_the_job_summary(pr_repo: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = run_cli("validate", "--format", "github", "--root", str(pr_repo),
                     "--as-of", "2026-06-05")
    assert result.exit_code == 1
    assert "::error file=retros/2026-03-sales.md,line=" in result.output
    text = summary.read_text()
    assert text.startswith("## hindsight validate")
    assert "| ❌ | `retros/2026-03-sales.md` |" in text and "icp-drfit" in text


def test_changed_since_an_unknown_ref_is_a_clear_error(pr_repo: Path) -> None:
    result = run_cli("validate", "--changed-since", "origin/nope", "--root", str(pr_repo))
    assert result.exit_code == 2
    assert "'origin/nope' is not a commit or branch here" in result.output
    assert os.path.isdir(pr_repo)


def test_a_change_that_breaks_an_untouched_record_fails_the_check(tmp_path: Path) -> None:
    # main: March, April and May; May relates to March. The change deletes March: May is not
    # touched, but its `related:` now names no record, and that fails the change's check.
    root = _repo(tmp_path, {n: _corpus(n) for n in ("2026-03-sales.md", "2026-04-sales.md",
                                                     "2026-05-sales.md")}, "Base")
    assert run_cli("validate", "--root", str(root), "--as-of", "2026-06-05").exit_code == 0
    git(root, "checkout", "-q", "-b", "change")
    git(root, "rm", "-q", "retros/2026-03-sales.md")
    commit_all(root, "Drop March", "Bob Brown", "2026-06-04T15:30:00+00:00")
    result = run_cli("validate", "--changed-since", "main", "--root", str(root),
                     "--as-of", "2026-06-05")
    assert result.exit_code == 1
    line = _corpus("2026-05-sales.md").splitlines().index("related: [2026-03-sales]") + 1
    assert (f"retros/2026-05-sales.md:{line}:11  related[0]  no record '2026-03-sales' exists"
            in result.output), result.output


def test_a_shallow_history_that_misses_the_fork_point_is_a_clear_error(tmp_path: Path) -> None:
    # main gains a commit after the change branched off; a clone of depth 1 of the change,
    # with main fetched at depth 1 too, holds no commit the two share.
    root = _repo(tmp_path, {"2026-03-sales.md": _corpus("2026-03-sales.md")}, "Base")
    git(root, "checkout", "-q", "-b", "change")
    shutil.copy(CORPUS / "retros" / "2026-04-sales.md", root / "retros")
    commit_all(root, "April", "Bob Brown", "2026-06-04T15:30:00+00:00")
    git(root, "checkout", "-q", "main")
    shutil.copy(CORPUS / "retros" / "2026-05-sales.md", root / "retros")
    commit_all(root, "May", "Alice Adams", "2026-06-05T09:00:00+00:00")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--branch", "change",
                    f"file://{root}", str(clone)], check=True, capture_output=True)
    subprocess.run(["git", "fetch", "-q", "--depth", "1", "origin",
                    "main:refs/remotes/origin/main"], cwd=clone, check=True, capture_output=True)
    result = run_cli("validate", "--changed-since", "origin/main", "--root", str(clone),
                     "--as-of", "2026-06-05")
    assert result.exit_code == 2, result.output
    assert "the history does not reach where HEAD and 'origin/main' part" in result.output
    assert "fetch-depth: 0" in result.output


def test_a_renamed_record_keeps_who_submitted_it(history: Path) -> None:
    """Carol renames April's retro with `git mv`: Alice still submitted it, Carol changed it
    last; What's new does not list it as added on the day of the rename."""
    (history / "retros" / "2026-04-sales.md").rename(history / "retros" / "2026-04-sales-team.md")
    march = history / "retros" / "2026-03-sales.md"
    march.write_text(march.read_text().replace("2026-04-sales", "2026-04-sales-team"))
    commit_all(history, "Rename April's retro", "Carol Chen", "2026-07-01T10:00:00+00:00")
    files = build(history, AS_OF).files
    april = files["records/2026-04-sales-team.md"].decode()
    assert "submitted by Alice Adams on 2026-05-05" in april, april
    assert "last changed by Carol Chen on 2026-07-01" in april


def test_a_record_added_in_a_merge_commit_has_the_merges_author(history: Path) -> None:
    """A record written while resolving a merge is committed: not "not committed yet", and
    the same on every clone (no file dates)."""
    git(history, "checkout", "-q", "-b", "side")
    (history / "notes.txt").write_text("side work\n")
    commit_all(history, "Side work", "Bob Brown", "2026-06-10T09:00:00+00:00")
    git(history, "checkout", "-q", "main")
    git(history, "merge", "-q", "--no-ff", "--no-commit", "side", author="Dana Fox",
        date="2026-06-20T09:00:00+00:00")
    shutil.copy(CORPUS / "retros" / "2026-05-marketing.md",
                history / "retros" / "2026-05-marketing.md")
    commit_all(history, "Merge side; May marketing retro", "Dana Fox", "2026-06-20T09:00:00+00:00")
    june = build(history, AS_OF).files["records/2026-05-marketing.md"].decode()
    assert "submitted by Dana Fox on 2026-06-20" in june, june
    assert "not committed yet" not in june
    # An ordinary merge changes nothing itself: April keeps Alice as its last change.
    april = build(history, AS_OF).files["records/2026-04-sales.md"].decode()
    assert "last changed" not in april
