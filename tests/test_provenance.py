"""Git provenance, What's new, the Atom feed, shallow clones, and --changed-since."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner

from conftest import FIXTURES, run_cli
from generator.analysis.provenance import read_provenance
from generator.commands.cli import main
from generator.paths import RenderOptions
from generator.site.build import build
from gittools import commit_all, commit_raw, git, init
from sitetools import table_rows

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


def test_a_commit_is_shown_the_same_whatever_git_s_abbreviation(history: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Git abbreviates a hash to the reader's `core.abbrev` (and more as a repository grows):
    the same commit built pages that differ. Seven characters of the hash, always."""
    import subprocess

    full = subprocess.run(["git", "rev-parse", "HEAD"], cwd=history, capture_output=True,
                          text=True, check=True).stdout.strip()
    plain = build(history, AS_OF).files["records/2026-03-sales.md"]
    monkeypatch.setenv("GIT_CONFIG_COUNT", "1")
    monkeypatch.setenv("GIT_CONFIG_KEY_0", "core.abbrev")
    monkeypatch.setenv("GIT_CONFIG_VALUE_0", "12")
    longer = build(history, AS_OF).files["records/2026-03-sales.md"]
    assert plain == longer
    assert f"`{full[:7]}`" in plain.decode() and full[:8] not in plain.decode()


def test_actions_register_shows_when_raised_and_when_status_changed(history: Path) -> None:
    register = build(history, AS_OF).files["actions/index.md"].decode()
    # SAL-2026-04-1 was raised in the April retro (held 2026-05-04, committed 2026-05-05) and
    # dropped in the May retro (held 2026-06-03, committed 2026-06-04): the register gives the
    # dates the records were held, not when their files were committed.
    row = next(line for line in register.splitlines() if "<code>SAL-2026-04-1</code>" in line)
    assert row.endswith('<td class="hs-raised hs-date">2026-05-04</td>'
                        '<td class="hs-changed hs-date">2026-06-03</td></tr>')
    # SAL-2026-05-2, raised open in the May retro and never updated: its status was set
    # there (as the exports' status_changed_in says).
    open_row = next(line for line in register.splitlines() if "<code>SAL-2026-05-2</code>" in line)
    assert open_row.endswith('<td class="hs-raised hs-date">2026-06-03</td>'
                             '<td class="hs-changed hs-date">2026-06-03</td></tr>')
    assert "2026-05-05" not in register and "2026-06-04" not in register


def test_whats_new_lists_latest_changes_first(history: Path) -> None:
    page = build(history, AS_OF).files["whats-new.md"].decode()
    rows = _rows(page)
    assert [r.split(" | ")[1].split("](")[0].lstrip("[") for r in rows] == [
        "Sales retro — May 2026", "Sales retro — March 2026", "Sales retro — April 2026"]
    assert rows[0].endswith("| added | Bob Brown |")
    assert rows[1].endswith("| changed | Bob Brown |")
    assert rows[2].startswith("| 2026-05-05 |") and rows[2].endswith("| added | Alice Adams |")


def test_whats_new_says_how_many_it_lists_and_keeps_the_latest_records(history: Path) -> None:
    """Carol adds May's marketing retro at 09:00 on 06-04, the day Bob's commit of 15:30
    changed March and added May's sales retro. A What's new of two rows lists Bob's two: tied
    in time, by record id. Carol's retro, which the home page lists among the latest records,
    was cut though it changed that same day, and the page never said it listed two. April,
    last changed on 05-05, before that day, is left to the records lists."""
    shutil.copy(CORPUS / "retros" / "2026-05-marketing.md", history / "retros")
    # Committed after Bob's, by a clock that read earlier: What's new sorts by the date.
    commit_all(history, "May marketing retro", "Carol Chen", "2026-06-04T09:00:00+00:00")
    files = build(history, AS_OF, RenderOptions(whats_new=2)).files
    home = files["index.md"].decode()
    assert "[Marketing retro — May 2026](records/2026-05-marketing.md)" in \
        home.split("## Latest records")[1]
    page = files["whats-new.md"].decode()
    assert ("The 2 most recent changes to records, newest first, then 1 more changed that "
            "day, 2026-06-04, that the home page lists among the [latest records]"
            "(index.md#latest).\nThe other record is listed with the rest under "
            "[Retros](retros/index.md), [Quarterly reviews](reviews/index.md) and "
            "[Post-mortems](postmortems/index.md).\n") in page, page
    assert [r.split(" | ")[1].split("](")[0].lstrip("[") for r in _rows(page)] == [
        "Sales retro — May 2026", "Sales retro — March 2026", "Marketing retro — May 2026"]
    assert _rows(page)[2] == ("| 2026-06-04 | [Marketing retro — May 2026]"
                              "(../records/2026-05-marketing/) | added | Carol Chen |")
    # Every record listed: no count, nothing said to be elsewhere.
    whole = build(history, AS_OF).files["whats-new.md"].decode()
    assert "Records added or changed most recently, newest first." in whole
    assert "most recent changes" not in whole and len(_rows(whole)) == 4


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
    row = _row(files["whats-new.md"].decode(), "2026-06-sales")
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
    # Built as of a day before every commit: no entry is dated, and the feed is as of that
    # day (it said 1970-01-01).
    before = ET.fromstring(build(history, dt.date(2026, 4, 1), options).files["feed.xml"])
    assert before.findall(f"{ATOM}entry") == []
    assert before.findtext(f"{ATOM}updated") == "2026-04-01T00:00:00+00:00"


def test_a_changed_record_s_feed_entry_is_updated_when_it_last_changed(history: Path) -> None:
    """March: submitted by Alice on 05-05, edited by Bob on 06-04 and by Hana on 07-02 at
    08:15 (+02:00), and by Ivan on 07-28, after the build date (07-20). Its entry's <updated>
    was 05-05, its <published>, so a feed reader never showed it as changed; it is Hana's
    edit now (Ivan's is not yet history), and the feed's own <updated> is that edit too.
    April, never changed, keeps its <published>."""
    march = history / "retros" / "2026-03-sales.md"
    march.write_text(march.read_text() + "\nHana's note.\n")
    commit_all(history, "March: Hana", "Hana Ito", "2026-07-02T08:15:00+02:00")
    march.write_text(march.read_text() + "\nIvan's note.\n")
    commit_all(history, "March: Ivan", "Ivan Ilic", "2026-07-28T09:00:00+00:00")
    options = RenderOptions(site_url="https://kb.example.com/")
    data = build(history, AS_OF, options).files["feed.xml"]
    feed = ET.fromstring(data)
    entries = {e.findtext(f"{ATOM}title"): e for e in feed.findall(f"{ATOM}entry")}
    march_entry = entries["Sales retro — March 2026"]
    assert (march_entry.findtext(f"{ATOM}published"), march_entry.findtext(f"{ATOM}updated"),
            march_entry.findtext(f"{ATOM}author/{ATOM}name")) == (
        "2026-05-05T09:00:00+00:00", "2026-07-02T08:15:00+02:00", "Alice Adams")
    april = entries["Sales retro — April 2026"]
    assert april.findtext(f"{ATOM}updated") == april.findtext(f"{ATOM}published") == \
        "2026-05-05T09:00:00+00:00"
    assert feed.findtext(f"{ATOM}updated") == "2026-07-02T08:15:00+02:00"
    # The same commits and as-of date, the same feed.
    assert build(history, AS_OF, options).files["feed.xml"] == data


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
    # GitLab's and any other runner's fix too (Jenkins has no checkout step of GitHub's).
    assert "in GitLab CI, the variable `GIT_DEPTH: 0`" in result.output
    assert "Jenkins included, `git fetch --unshallow`" in result.output
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
        f"retros/2026-05-sales.md:{line}:9  actions[1].id  action id 'SAL-2026-04-1' is "
        f"already raised at retros/2026-04-sales.md:{other} (held 2026-05-04), which keeps it "
        "(give this action an id of its own, e.g. SAL-2026-05-2; action ids must be unique "
        "across the knowledge base)")
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
    assert result.output.startswith("0 errors, 0 warnings; 1 file checked")
    # Counted, though not failing the check: no site is built while it stands (the report
    # went on "3 records: …", as if the site could be built from them).
    assert ("1 more error in records not reported here: no site is built while they stand"
            in result.output) and " records: " not in result.output, result.output
    data = json.loads(run_cli("validate", "--changed-since", "main", "--root", str(pr_repo),
                              "--as-of", "2026-06-05", "--format", "json").stdout)
    assert data["summary"]["errors_elsewhere"] == 1 and data["summary"]["records"] is None
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
    # A GitLab or Jenkins job is told how to fetch it too, not only a GitHub one.
    assert "actions/checkout with `fetch-depth: 0`" in result.output
    assert "`git fetch origin nope` before the check" in result.output
    assert "`GIT_DEPTH: 0` in GitLab CI" in result.output
    recalled = run_cli("recall", "--changed-since", "origin/nope", "--root", str(pr_repo))
    assert recalled.exit_code == 2 and "`git fetch origin nope`" in recalled.output
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


def test_an_error_a_change_causes_in_an_untouched_record_fails_the_check(
        tmp_path: Path) -> None:
    """main: April raises SAL-2026-04-1, May (held 2026-06-03) drops it. The change moves only
    April's meeting to 2026-06-20: May, untouched, now updates an action before it was
    raised. The check hid that error (May was not changed) and passed a change the publish
    then refused. An error main already had stays left out."""
    root = _repo(tmp_path, {"2026-03-sales.md": BROKEN,  # an old error nobody touched
                            "2026-04-sales.md": _corpus("2026-04-sales.md"),
                            "2026-05-sales.md": _corpus("2026-05-sales.md")}, "Base")
    # The base is read as committed: an export attribute (which `git archive` applies) hid
    # March's old error there, and the check blamed it on the change.
    (root / ".gitattributes").write_text("retros/2026-03-sales.md export-ignore\n")
    commit_all(root, "Attributes", "Alice Adams", "2026-05-06T09:00:00+00:00")
    git(root, "checkout", "-q", "-b", "change")
    april = root / "retros" / "2026-04-sales.md"
    april.write_text(april.read_text().replace("held: 2026-05-04", "held: 2026-06-20"))
    commit_all(root, "Move April's meeting", "Bob Brown", "2026-06-21T09:00:00+00:00")
    whole = run_cli("validate", "--root", str(root), "--as-of", "2026-07-05")
    cache = {p: p.read_bytes() for p in sorted((root / ".hindsight-cache").rglob("*"))
             if p.is_file()}
    may = [line for line in whole.output.splitlines()
           if line.startswith("retros/2026-05") and "  warning: " not in line]
    assert whole.exit_code == 1 and may, whole.output
    for fmt in ("text", "github"):
        result = run_cli("validate", "--changed-since", "main", "--root", str(root),
                         "--as-of", "2026-07-05", "--format", fmt)
        assert result.exit_code == 1, result.output
        if fmt == "text":
            assert all(line in result.output for line in may), (may, result.output)
        else:
            assert "::error file=retros/2026-05-sales.md,line=" in result.output, result.output
        assert "icp-drfit" not in result.output  # main's own old error is not the change's
    # Checking the base leaves the work tree's record cache as it was.
    assert cache and {p: p.read_bytes() for p in sorted((root / ".hindsight-cache").rglob("*"))
                      if p.is_file()} == cache


def test_changed_records_with_names_that_are_not_ascii_are_checked_and_recalled(
        pr_repo: Path) -> None:
    # git quotes a path that is not ASCII ("retros/\\303\\251quipe/…") unless asked for NUL-
    # separated output: such a change was reported as "0 errors in 0 files" and recalled as
    # no change at all. One in a folder whose name is not ASCII, one whose own name is not
    # (an id the check refuses), uncommitted.
    (pr_repo / "retros" / "équipe").mkdir()
    (pr_repo / "retros" / "équipe" / "2026-05-sales.md").write_text(
        _corpus("2026-05-sales.md").replace("  - cause: icp-drift", "  - cause: icp-drfit"))
    commit_all(pr_repo, "May", "Bob Brown", "2026-06-04T15:30:00+00:00")
    (pr_repo / "retros" / "2026-06-the-café.md").write_text(_corpus("2026-04-sales.md"))
    result = run_cli("validate", "--changed-since", "main", "--root", str(pr_repo),
                     "--as-of", "2026-06-05")
    assert result.exit_code == 1, result.output
    problems = result.output.splitlines()
    assert any(line.startswith("retros/2026-06-the-café.md:1:1  id  ") for line in problems)
    assert any(line.startswith("retros/équipe/2026-05-sales.md:") and "icp-drfit" in line
               for line in problems), result.output
    # Both changed files are reported; main's own old error is counted apart.
    assert problems[-3].endswith("; 2 files checked"), result.output
    assert problems[-2].startswith("1 more error in records not reported here"), result.output
    # A file named as no id takes no part in the rules across records: any month may be its.
    assert problems[-1] == ("Not checked while retros/2026-06-the-café.md has errors: months "
                            "without a retro and action updates naming no action")
    (pr_repo / "retros" / "2026-06-the-café.md").unlink()
    (pr_repo / "retros" / "équipe" / "2026-05-sales.md").write_text(_corpus("2026-05-sales.md"))
    (pr_repo / "retros" / "2026-03-sales.md").write_text(_corpus("2026-03-sales.md"))
    commit_all(pr_repo, "May, fixed", "Bob Brown", "2026-06-04T16:30:00+00:00")
    recalled = run_cli("recall", "--changed-since", "main", "--format", "json",
                       "--root", str(pr_repo), "--as-of", "2026-06-05")
    assert recalled.exit_code == 0, recalled.output
    assert [r["path"] for r in json.loads(recalled.output)["records"]] == [
        "retros/2026-03-sales.md", "retros/équipe/2026-05-sales.md"]


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
    assert "fetch-depth: 0" in result.output and "`GIT_DEPTH: 0`" in result.output
    assert "`git fetch --unshallow`" in result.output


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


def test_a_record_merged_from_a_pull_request_is_dated_when_it_arrived(history: Path) -> None:
    """Dana drafts May's marketing retro on a branch on 2026-06-01 and Carol edits it there on
    06-02; Bob's May sales retro reaches main on 06-04; the pull request is merged on 06-20.
    The retro arrived on 06-20: it was dated 06-01, below Bob's, in What's new and the feed,
    where a reader who looked on 06-10 never saw it as new. Dana still submitted it; Carol's
    edit arrived with it, so it is no later change. Erin's edit on main on 07-01 is one."""
    git(history, "checkout", "-q", "-b", "may-marketing", "HEAD~1")
    shutil.copy(CORPUS / "retros" / "2026-05-marketing.md", history / "retros")
    commit_all(history, "May marketing retro", "Dana Fox", "2026-06-01T09:00:00+00:00")
    marketing = history / "retros" / "2026-05-marketing.md"
    marketing.write_text(marketing.read_text() + "\nA later thought.\n")
    commit_all(history, "Wording", "Carol Chen", "2026-06-02T09:00:00+00:00")
    git(history, "checkout", "-q", "main")
    git(history, "merge", "-q", "--no-ff", "-m", "Merge pull request #7", "may-marketing",
        author="Gus Hub", date="2026-06-20T12:00:00+00:00")
    options = RenderOptions(site_url="https://kb.example.com/")
    files = build(history, AS_OF, options).files
    page = files["records/2026-05-marketing.md"].decode()
    assert "submitted by Dana Fox on 2026-06-20" in page, page
    assert "last changed" not in page and "Carol" not in page and "Gus" not in page
    rows = _rows(files["whats-new.md"].decode())
    assert [r.split(" | ")[0] for r in rows][:2] == ["| 2026-06-20", "| 2026-06-04"]
    assert "Marketing retro — May 2026" in rows[0] and rows[0].endswith("| added | Dana Fox |")
    entries = ET.fromstring(files["feed.xml"]).findall(f"{ATOM}entry")
    assert (entries[0].findtext(f"{ATOM}title"), entries[0].findtext(f"{ATOM}published"),
            entries[0].findtext(f"{ATOM}author/{ATOM}name")) == (
        "Marketing retro — May 2026", "2026-06-20T12:00:00+00:00", "Dana Fox")
    # Records that were on main before the merge keep their dates.
    assert "submitted by Alice Adams on 2026-05-05" in files["records/2026-04-sales.md"].decode()
    assert "submitted by Bob Brown on 2026-06-04" in files["records/2026-05-sales.md"].decode()
    marketing.write_text(marketing.read_text() + "\nErin's note.\n")
    commit_all(history, "Erin's note", "Erin Eke", "2026-07-01T09:00:00+00:00")
    page = build(history, AS_OF).files["records/2026-05-marketing.md"].decode()
    assert "submitted by Dana Fox on 2026-06-20" in page, page
    assert "last changed by Erin Eke on 2026-07-01" in page


def test_a_rebased_commit_is_dated_when_it_was_committed_to_main(history: Path) -> None:
    """GitHub's "rebase and merge" keeps the author date (written 06-01) and commits on the
    day of the merge (06-20): the record arrived on 06-20."""
    shutil.copy(CORPUS / "retros" / "2026-05-marketing.md", history / "retros")
    commit_all(history, "May marketing retro", "Dana Fox", "2026-06-20T12:00:00+00:00",
               author_date="2026-06-01T09:00:00+00:00")
    page = build(history, AS_OF).files["records/2026-05-marketing.md"].decode()
    assert "submitted by Dana Fox on 2026-06-20" in page, page


# --- whatever git takes ----------------------------------------------------------------

YEAR_10000 = "@253402300800 +0000"  # 10000-01-01T00:00:00: git takes it, Python cannot
YEAR_5138 = "@99999999999 +0000"  # 5138-11-16T09:46:39


def _rows(page: str) -> list[str]:
    """What's new's table rows, newest first."""
    return table_rows(page)


def _row(page: str, record_id: str) -> str:
    return next(line for line in _rows(page) if f"records/{record_id}" in line)


def test_author_names_git_takes_are_shown_escaped_and_never_break_the_build(
        history: Path) -> None:
    """A name with the byte 0x1f, one with a byte that is not UTF-8 and Markdown: git commits
    both and `fsck --strict` passes, so the site builds and shows each on one escaped line."""
    march = history / "retros" / "2026-03-sales.md"
    march.write_text(march.read_text().replace("The whole team traced it", "We traced it"))
    commit_all(history, "Wording", "Grace\x1fKim", "2026-06-10T08:00:00+00:00")
    shutil.copy(CORPUS / "retros" / "2026-05-marketing.md", history / "retros")
    commit_raw(history, "May marketing retro", b"Zo\xffe & *Ng* | Co <zoe@example.com>",
               "1781251200 +0000")  # 2026-06-12T08:00:00+00:00
    git(history, "fsck", "--strict")
    files = build(history, AS_OF, RenderOptions(site_url="https://kb.example.com/")).files
    assert "last changed by Grace Kim on 2026-06-10" in files["records/2026-03-sales.md"].decode()
    # 0xff reads as U+FFFD; `*` and `|` are Markdown escaped, and `&` before a space, which
    # can start no entity, stays as typed.
    name = "Zo\ufffde & \\*Ng\\* \\| Co"
    marketing = files["records/2026-05-marketing.md"].decode()
    assert f"submitted by {name} on 2026-06-12" in marketing, marketing
    whats_new = files["whats-new.md"].decode()
    assert _row(whats_new, "2026-05-marketing").startswith("| 2026-06-12 |")
    # In What's new, an HTML table, the name is HTML escaped: its `*` and `|` are text there.
    assert "<td>Zo\ufffde &amp; *Ng* | Co</td></tr>" in whats_new, whats_new
    assert _row(whats_new, "2026-05-marketing").endswith("| added | Zo\ufffde & *Ng* | Co |")
    assert _row(whats_new, "2026-03-sales").endswith("| changed | Grace Kim |")
    entry = ET.fromstring(files["feed.xml"]).findall(f"{ATOM}entry")[0]
    assert entry.findtext(f"{ATOM}title") == "Marketing retro — May 2026"
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Zo\ufffde & *Ng* | Co"


def test_a_date_python_cannot_hold_gives_way_to_the_committer_date_or_is_unknown(
        history: Path) -> None:
    """Mallory adds a retro written "in year 10000" (committed 2026-06-12): it is dated when
    it was committed. Her change to April has both dates in year 10000: its date is unknown,
    so it is listed after every dated change and the feed is unchanged."""
    shutil.copy(CORPUS / "retros" / "2026-05-marketing.md", history / "retros")
    commit_all(history, "May marketing retro", "Mallory Moss", "2026-06-12T08:00:00+00:00",
               author_date=YEAR_10000)
    april = history / "retros" / "2026-04-sales.md"
    april.write_text(april.read_text() + "\nOne more note.\n")
    commit_all(history, "April wording", "Mallory Moss", YEAR_10000)
    files = build(history, AS_OF, RenderOptions(site_url="https://kb.example.com/")).files
    marketing = files["records/2026-05-marketing.md"].decode()
    assert "submitted by Mallory Moss on 2026-06-12" in marketing, marketing
    page = files["records/2026-04-sales.md"].decode()
    assert "submitted by Alice Adams on 2026-05-05" in page
    assert "last changed by Mallory Moss on an unknown date" in page, page
    rows = _rows(files["whats-new.md"].decode())
    assert [r.split(" | ")[0] for r in rows] == [
        "| 2026-06-12", "| 2026-06-04", "| 2026-06-04", "| –"]
    assert rows[0].endswith("| added | Mallory Moss |")
    assert "[Sales retro — April 2026]" in rows[3] and rows[3].endswith("| changed | Mallory Moss |")
    entries = ET.fromstring(files["feed.xml"]).findall(f"{ATOM}entry")
    assert [(e.findtext(f"{ATOM}title"), e.findtext(f"{ATOM}published")) for e in entries] == [
        ("Marketing retro — May 2026", "2026-06-12T08:00:00+00:00"),
        ("Sales retro — May 2026", "2026-06-04T15:30:00+00:00"),
        ("Sales retro — April 2026", "2026-05-05T09:00:00+00:00"),
        ("Sales retro — March 2026", "2026-05-05T09:00:00+00:00")]


def test_a_record_added_again_where_one_was_deleted_is_a_new_submission(history: Path) -> None:
    """Carol deletes Alice's April retro; later Mallory adds a record at the same path. It is
    Mallory's, added on the day she committed it: nothing of Alice's history carries over."""
    april = history / "retros" / "2026-04-sales.md"
    text = april.read_text()
    git(history, "rm", "-q", "retros/2026-04-sales.md")
    commit_all(history, "Drop April", "Carol Chen", "2026-06-10T09:00:00+00:00")
    # Written again but not committed: no one submitted it yet, Alice least of all.
    april.write_text(text)
    os.utime(april, (1_783_000_000, 1_783_000_000))  # 2026-07-02 UTC
    page = build(history, AS_OF).files["records/2026-04-sales.md"].decode()
    assert "not committed yet (the file is dated 2026-07-02)" in page, page
    assert "Alice" not in page and "Carol" not in page
    commit_all(history, "April retro", "Mallory Moss", "2026-07-03T09:00:00+00:00")
    files = build(history, AS_OF, RenderOptions(site_url="https://kb.example.com/")).files
    page = files["records/2026-04-sales.md"].decode()
    assert "submitted by Mallory Moss on 2026-07-03" in page, page
    assert "last changed" not in page and "Alice" not in page
    whats_new = files["whats-new.md"].decode()
    assert _row(whats_new, "2026-04-sales") == (
        "| 2026-07-03 | [Sales retro — April 2026](../records/2026-04-sales/) | added "
        "| Mallory Moss |")
    entry = ET.fromstring(files["feed.xml"]).findall(f"{ATOM}entry")[0]
    assert entry.findtext(f"{ATOM}title") == "Sales retro — April 2026"
    assert entry.findtext(f"{ATOM}published") == "2026-07-03T09:00:00+00:00"
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "Mallory Moss"
    # March and May, never deleted, keep their history.
    assert "submitted by Alice Adams on 2026-05-05" in files["records/2026-03-sales.md"].decode()


def test_a_future_date_does_not_keep_a_record_at_the_top(history: Path) -> None:
    """Mallory's retro says it was written in year 5138 but was committed on 2026-05-20: it
    takes its place by that date. Her change to March has both dates after the build's as-of
    day: not yet history, so March stays last changed by Bob, until a build as of a day after
    it."""
    shutil.copy(CORPUS / "retros" / "2026-05-marketing.md", history / "retros")
    commit_all(history, "May marketing retro", "Mallory Moss", "2026-05-20T12:00:00+00:00",
               author_date=YEAR_5138)
    march = history / "retros" / "2026-03-sales.md"
    march.write_text(march.read_text() + "\nOne more note.\n")
    commit_all(history, "March", "Mallory Moss", "2026-07-25T09:00:00+00:00")
    files = build(history, AS_OF, RenderOptions(site_url="https://kb.example.com/")).files
    rows = _rows(files["whats-new.md"].decode())
    assert [r.split(" | ")[:2] for r in rows] == [
        ["| 2026-06-04", "[Sales retro — May 2026](../records/2026-05-sales/)"],
        ["| 2026-06-04", "[Sales retro — March 2026](../records/2026-03-sales/)"],
        ["| 2026-05-20", "[Marketing retro — May 2026](../records/2026-05-marketing/)"],
        ["| 2026-05-05", "[Sales retro — April 2026](../records/2026-04-sales/)"]]
    march_page = files["records/2026-03-sales.md"].decode()
    assert "last changed by Bob Brown on 2026-06-04" in march_page and "Mallory" not in march_page
    titles = [e.findtext(f"{ATOM}title") for e in
              ET.fromstring(files["feed.xml"]).findall(f"{ATOM}entry")]
    assert titles == ["Sales retro — May 2026", "Marketing retro — May 2026",
                      "Sales retro — April 2026", "Sales retro — March 2026"]
    # As of the day after, Mallory's change to March is dated, and the latest.
    later = build(history, dt.date(2026, 7, 26)).files
    assert "last changed by Mallory Moss on 2026-07-25" in \
        later["records/2026-03-sales.md"].decode()
    assert _row(later["whats-new.md"].decode(), "2026-03-sales").startswith("| 2026-07-25 |")


def test_a_change_after_the_as_of_date_leaves_the_last_one_before_it(history: Path) -> None:
    """March: submitted by Alice (05-05), edited by Bob (06-04), by Hana (07-10) and by Ivan
    (07-28). Jo edits May on a branch on 07-12, merged by Gus on 07-25. As of 07-20 the
    branch held Hana's edit and not Jo's: March was last changed by Hana on 07-10, May by
    no one. March's page said "an unknown date" (Ivan's commit) and What's new listed it last
    of all, where a short list cut it off."""
    march = history / "retros" / "2026-03-sales.md"
    march.write_text(march.read_text() + "\nHana's note.\n")
    hana = commit_all(history, "March: Hana", "Hana Ito", "2026-07-10T09:00:00+00:00")
    git(history, "checkout", "-q", "-b", "may-edit")
    may = history / "retros" / "2026-05-sales.md"
    may.write_text(may.read_text() + "\nJo's note.\n")
    commit_all(history, "May: Jo", "Jo Park", "2026-07-12T09:00:00+00:00")
    git(history, "checkout", "-q", "main")
    git(history, "merge", "-q", "--no-ff", "-m", "Merge pull request #9", "may-edit",
        author="Gus Hub", date="2026-07-25T12:00:00+00:00")
    march.write_text(march.read_text() + "\nIvan's note.\n")
    commit_all(history, "March: Ivan", "Ivan Ilic", "2026-07-28T09:00:00+00:00")
    options = RenderOptions(site_url="https://kb.example.com/")
    files = build(history, AS_OF, options).files
    page = files["records/2026-03-sales.md"].decode()
    assert f"last changed by Hana Ito on 2026-07-10 (`{hana[:7]}`)" in page, page
    assert "Ivan Ilic" not in page and "unknown date" not in page
    may_page = files["records/2026-05-sales.md"].decode()
    assert "submitted by Bob Brown on 2026-06-04" in may_page
    assert "last changed" not in may_page and "Jo Park" not in may_page
    rows = _rows(files["whats-new.md"].decode())
    assert rows[0] == ("| 2026-07-10 | [Sales retro — March 2026](../records/2026-03-sales/) "
                       "| changed | Hana Ito |")
    assert [r.split(" | ")[0] for r in rows] == [
        "| 2026-07-10", "| 2026-06-04", "| 2026-05-05"]
    # As of 07-26 Jo's edit arrived (on 07-25, with the merge); Ivan's not yet.
    later = build(history, dt.date(2026, 7, 26)).files
    assert "last changed by Jo Park on 2026-07-25" in later["records/2026-05-sales.md"].decode()
    assert "last changed by Hana Ito on 2026-07-10" in later["records/2026-03-sales.md"].decode()


def test_a_new_file_at_a_renamed_records_old_name_is_not_the_renamed_record(
        tmp_path: Path) -> None:
    """Alice adds a.md, Carol renames it b.md, Mallory adds a new a.md: b.md is Alice's
    (changed last by Carol), a.md is Mallory's alone."""
    root = tmp_path / "kb"
    init(root)
    (root / "retros").mkdir()
    (root / "retros" / "a.md").write_text("Alice's record\n" * 5)
    commit_all(root, "a", "Alice Adams", "2026-05-05T09:00:00+00:00")
    git(root, "mv", "retros/a.md", "retros/b.md")
    commit_all(root, "Rename", "Carol Chen", "2026-06-01T09:00:00+00:00")
    (root / "retros" / "a.md").write_text("Mallory's record\n")
    commit_all(root, "New a", "Mallory Moss", "2026-07-01T09:00:00+00:00")
    provenance = read_provenance(root, ["retros/a.md", "retros/b.md"], AS_OF)
    who = {path: (provenance.first[path].author, provenance.last[path].author)
           for path in ("retros/a.md", "retros/b.md")}
    assert who == {"retros/a.md": ("Mallory Moss", "Mallory Moss"),
                   "retros/b.md": ("Alice Adams", "Carol Chen")}


def test_a_commit_made_east_of_utc_is_dated_on_a_build_of_the_same_day(history: Path) -> None:
    """Kiri commits at 06:00 on 21 July in UTC+14, which is 16:00 on the 20th in UTC: a
    build as of the 20th (a runner in UTC, today) dates it by her own day, the 21st, instead
    of calling it unknown. Mallory's commit at 13:00 UTC on the 21st is after the 20th has
    ended everywhere (12:00 UTC on the 21st, midnight at UTC−12): not yet history, so April
    is as Alice submitted it."""
    march = history / "retros" / "2026-03-sales.md"
    march.write_text(march.read_text() + "\nKiri's note.\n")
    commit_all(history, "March note", "Kiri Tane", "2026-07-21T06:00:00+14:00")
    april = history / "retros" / "2026-04-sales.md"
    april.write_text(april.read_text() + "\nMallory's note.\n")
    commit_all(history, "April note", "Mallory Moss", "2026-07-21T13:00:00+00:00")
    files = build(history, AS_OF).files
    assert "last changed by Kiri Tane on 2026-07-21" in files["records/2026-03-sales.md"].decode()
    april_page = files["records/2026-04-sales.md"].decode()
    assert "submitted by Alice Adams on 2026-05-05" in april_page
    assert "last changed" not in april_page and "Mallory Moss" not in april_page
    assert _row(files["whats-new.md"].decode(), "2026-03-sales").startswith("| 2026-07-21 |")


def test_authors_are_named_as_the_mailmap_names_them(history: Path) -> None:
    """Bob committed from a laptop whose git says "bob-laptop"; the repository's .mailmap
    maps that address to Bob Brown, as `git log` and `git shortlog` show him."""
    (history / ".mailmap").write_text("Bob Brown <bob.brown@example.com> "
                                      "<bob-laptop@example.com>\n")
    commit_all(history, "Mailmap", "Alice Adams", "2026-06-10T09:00:00+00:00")
    march = history / "retros" / "2026-03-sales.md"
    march.write_text(march.read_text() + "\nFrom the laptop.\n")
    commit_all(history, "March", "bob-laptop", "2026-06-11T09:00:00+00:00")
    page = build(history, AS_OF).files["records/2026-03-sales.md"].decode()
    assert "last changed by Bob Brown on 2026-06-11" in page
    assert "bob-laptop" not in page


@pytest.fixture
def mailmap_change(tmp_path: Path) -> Path:
    """A knowledge base in a folder ``kb/`` of its repository (the .mailmap is at the top).
    ada-laptop submits March and April, Bob Brown May, Cy Tan changes April last. main's
    .mailmap names ada-laptop Ada Lovelace; the branch ``names`` renames her Ada King and
    names Cy Tan Cyrus Tan, and changes no record."""
    top = tmp_path / "repo"
    init(top)
    kb = top / "kb"
    (kb / "retros").mkdir(parents=True)
    shutil.copy(CORPUS / "taxonomy.yml", kb / "taxonomy.yml")
    for name in ("2026-03-sales.md", "2026-04-sales.md"):
        shutil.copy(CORPUS / "retros" / name, kb / "retros" / name)
    commit_all(top, "March and April", "ada-laptop", "2026-05-05T09:00:00+00:00")
    shutil.copy(CORPUS / "retros" / "2026-05-sales.md", kb / "retros" / "2026-05-sales.md")
    commit_all(top, "May", "Bob Brown", "2026-06-04T09:00:00+00:00")
    april = kb / "retros" / "2026-04-sales.md"
    april.write_text(april.read_text() + "\nA note from Cy.\n")
    commit_all(top, "April note", "Cy Tan", "2026-06-10T09:00:00+00:00")
    (top / ".mailmap").write_text("Ada Lovelace <ada-laptop@example.com>\n")
    commit_all(top, "Mailmap", "Bob Brown", "2026-06-12T09:00:00+00:00")
    git(top, "checkout", "-q", "-b", "names")
    (top / ".mailmap").write_text("Ada King <ada-laptop@example.com>\n"
                                  "Cyrus Tan <cy.tan@example.com>\n")
    commit_all(top, "Names", "Bob Brown", "2026-06-15T09:00:00+00:00")
    return kb


# Two of the three records are named differently: March (submitted by Ada) and April
# (submitted by Ada, last changed by Cy); May, Bob's, is not.
MAILMAP_NOTE = (".mailmap changed since main: it names who submitted or last changed 2 records "
                "differently (on their pages, What's new and the feed).")


def test_a_change_to_the_mailmap_alone_is_said_by_validate_and_recall(
        mailmap_change: Path, tmp_path: Path) -> None:
    kb = str(mailmap_change)
    april = build(mailmap_change, AS_OF).files["records/2026-04-sales.md"].decode()
    assert "submitted by Ada King on 2026-05-05" in april, april
    assert "last changed by Cyrus Tan on 2026-06-10" in april, april
    result = run_cli("validate", "--changed-since", "main", "--root", kb, "--as-of", "2026-07-20")
    assert result.exit_code == 0, result.output
    assert result.output == (f"{MAILMAP_NOTE}\n0 errors, 0 warnings; 0 files checked\n"
                             "3 records: 3 retros, 0 quarterly reviews, 0 post-mortems\n")
    github = run_cli("validate", "--changed-since", "main", "--root", kb, "--as-of",
                     "2026-07-20", "--format", "github")
    assert github.output.startswith(f"::notice file=.mailmap,line=1,col=1::{MAILMAP_NOTE}\n")
    data = json.loads(run_cli("validate", "--changed-since", "main", "--root", kb, "--as-of",
                              "2026-07-20", "--format", "json").output)
    assert data["notes"] == [MAILMAP_NOTE]
    # The pull request's comment says it, and is posted (it was "No record changed").
    outputs = tmp_path / "outputs"
    outputs.write_text("")
    recalled = CliRunner().invoke(main, ["recall", "--changed-since", "main", "--format", "github",
                                         "--root", kb, "--as-of", "2026-07-20"],
                                  env={"GITHUB_OUTPUT": str(outputs)})
    assert recalled.exit_code == 0, recalled.output
    assert recalled.output == f"## What the knowledge base already knows\n\n{MAILMAP_NOTE}\n"
    assert outputs.read_text() == "changed=true\n"


def test_a_mailmap_change_that_renames_nobody_says_so(mailmap_change: Path) -> None:
    # On main, uncommitted: a comment line, and a name for an address no record's commit has.
    top = mailmap_change.parent
    git(top, "checkout", "-q", "main")
    with (top / ".mailmap").open("a") as mailmap:
        mailmap.write("# the sales team\nDee Vo <dee@example.com>\n")
    result = run_cli("validate", "--changed-since", "main", "--root", str(mailmap_change),
                     "--as-of", "2026-07-20")
    assert result.output.startswith(
        ".mailmap changed since main: it names who submitted every record, and names none of "
        "them differently.\n0 errors"), result.output
    (top / ".mailmap").write_text("Ada Lovelace <ada-laptop@example.com>\n")
    unchanged = run_cli("recall", "--changed-since", "main", "--root", str(mailmap_change),
                        "--as-of", "2026-07-20")
    assert unchanged.output == "No record changed since main.\n", unchanged.output


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="needs root to give the repository to another user")
def test_a_repository_git_will_not_read_is_a_clear_error(history: Path, tmp_path: Path) -> None:
    """A checkout another user owns (a container's volume): git refuses it as of dubious
    ownership. Every command that reads the history says so with the fix, no traceback."""
    import pwd

    theirs = tmp_path / "theirs"
    shutil.copytree(history, theirs)
    nobody = pwd.getpwnam("nobody")
    for path in [theirs, *theirs.rglob("*")]:
        os.lchown(path, nobody.pw_uid, nobody.pw_gid)
    env_home = tmp_path / "home"  # no global git config that trusts every directory
    env_home.mkdir()
    old = os.environ.get("HOME")
    os.environ["HOME"] = str(env_home)
    try:
        for args in (["generate", "--out", str(tmp_path / "out")],
                     ["validate", "--changed-since", "main"]):
            result = run_cli(*args, "--root", str(theirs), "--as-of", "2026-07-20")
            assert result.exit_code == 2, result.output
            assert "git cannot read this repository" in result.output, result.output
            assert "safe.directory" in result.output and "Traceback" not in result.output
            assert "is not a commit or branch" not in result.output
    finally:
        if old is None:
            del os.environ["HOME"]
        else:
            os.environ["HOME"] = old


@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_hindsight_build_warns_of_a_shallow_clone_even_when_quiet(tmp_path: Path,
                                                                   engine: str) -> None:
    """Locally a shallow clone builds from file dates with every author unknown: `hindsight
    build` says so as a warning that --quiet keeps (it was one of MkDocs' INFO lines, which
    --quiet hides, and Zensical's build said nothing)."""
    from sitetools import make_project

    if engine == "zensical":
        pytest.importorskip("zensical", reason="Zensical is not installed")
    project = make_project(tmp_path / "kb", CORPUS)
    init(project)
    commit_all(project, "The knowledge base", "Alice Adams", "2026-05-05T09:00:00+00:00")
    clone = _shallow_clone(project, tmp_path / "clone")
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--quiet", "--engine", engine,
         "--as-of", "2026-07-20"], cwd=clone, capture_output=True, text=True, timeout=600,
        env={**env, "NO_MKDOCS_2_WARNING": "1",
             "PYTHONPATH": os.pathsep.join([str(Path(__file__).parents[1]),
                                            env.get("PYTHONPATH", "")])})
    assert result.returncode == 0, result.stdout + result.stderr
    assert "warning: shallow clone: record dates come from the files" in result.stderr
    assert (clone / "site" / "whats-new" / "index.html").exists()


def test_an_author_name_cannot_reorder_or_hide_the_text_around_it(history: Path) -> None:
    """A commit's author is "Zed" with a right-to-left override, a zero-width space and a
    left-to-right isolate after it: on the record page the override reversed the rest of the
    line (dates, the edit link) and the feed carried it as is. Shown as "Zed gnp.exe"."""
    march = history / "retros" / "2026-03-sales.md"
    march.write_text(march.read_text() + "\nA note.\n")
    commit_all(history, "Note", "Zed\u202egnp.exe\u200b\u2066", "2026-06-10T08:00:00+00:00")
    files = build(history, AS_OF, RenderOptions(site_url="https://kb.example.com/")).files
    page = files["records/2026-03-sales.md"].decode()
    assert "last changed by Zed gnp.exe on 2026-06-10" in page
    for text in (page, files["whats-new.md"].decode(), files["feed.xml"].decode()):
        assert not {"\u202e", "\u200b", "\u2066"} & set(text)


NORDFJORD_RETRO = """---
type: retro
period: {period}
team: inbound-sdr
held: {held}
facilitator: Ingrid Dahl
format: stop-start-continue
indicators:
  meetings-booked: {{dach: {dach}, nordics: 12}}
---

Leads from the webinar were called the same day; {note}.
"""


def test_one_commit_that_changed_many_records_is_one_row_of_whats_new(tmp_path: Path) -> None:
    """Nordfjord imported nine months of SDR retros in one commit; Ola then submitted April's;
    Kari corrected a spelling in seven records at once. What's new listed seven "changed"
    rows for the spelling first, and the nine imported one by one: April's retro, the one
    new record, sat among seventeen rows. Now each commit of many records is one row, and
    the corrected records are still listed as added where they were."""
    from conftest import NORDFJORD

    root = tmp_path / "kb"
    init(root)
    (root / "taxonomy.yml").write_text(NORDFJORD, encoding="utf-8")
    (root / "retros").mkdir()
    months = [f"2025-{m:02d}" for m in range(7, 13)] + [f"2026-{m:02d}" for m in (1, 2, 3)]
    for i, period in enumerate(months):
        year, month = map(int, period.split("-"))
        held = dt.date(year + month // 12, month % 12 + 1, 3).isoformat()
        (root / "retros" / f"{period}-inbound-sdr.md").write_text(NORDFJORD_RETRO.format(
            period=period, held=held, dach=20 + i, note="the teh follow-up held"),
            encoding="utf-8")
    commit_all(root, "Import nine months", "Ingrid Dahl", "2026-04-01T09:00:00+00:00")
    (root / "retros" / "2026-04-inbound-sdr.md").write_text(NORDFJORD_RETRO.format(
        period="2026-04", held="2026-05-02", dach=31, note="a new month"), encoding="utf-8")
    commit_all(root, "April retro", "Ola Berg", "2026-05-02T09:00:00+00:00")
    for period in months[:7]:
        path = root / "retros" / f"{period}-inbound-sdr.md"
        path.write_text(path.read_text(encoding="utf-8").replace("the teh", "the"),
                        encoding="utf-8")
    commit_all(root, "Spelling", "Kari Nordmann", "2026-05-03T09:00:00+00:00")
    page = build(root, dt.date(2026, 5, 20)).files["whats-new.md"].decode()
    rows = _rows(page)
    assert len(rows) == 3, rows
    assert rows[0].startswith("| 2026-05-03 | 7 records in one commit[Inbound SDR retro — July")
    assert rows[0].endswith("| changed | Kari Nordmann |") and rows[0].count("](") == 7
    assert rows[1].startswith("| 2026-05-02 | [Inbound SDR retro — April 2026](")
    assert rows[1].endswith("| added | Ola Berg |")
    assert rows[2].startswith("| 2026-04-01 | 9 records in one commit[")
    assert rows[2].endswith("| added | Ingrid Dahl |") and rows[2].count("](") == 9
    assert '<details class="hs-bulk"><summary>7 records in one commit</summary>' in page
    assert "a commit that changed more than 5 records at once is one row" in page


def test_a_renamed_records_feed_entry_keeps_its_id(history: Path) -> None:
    """Carol fixes April's file name with `git mv` (2026-04-sales.md, a Sales retro, to
    2026-04-inbound.md), then again (to 2026-04-inbound-sales.md, in a folder of its year):
    its feed entry's id was its new page's address, so feed readers showed the retro again as
    a new record each time. Its id stays the address it was first published under, its link
    is its page now. March, never renamed, keeps its id. A record written later under a
    renamed record's first name holds that id, and the renamed record takes its own."""
    options = RenderOptions(site_url="https://kb.example.com/")

    def entries() -> dict[str, tuple[str | None, str | None]]:
        feed = ET.fromstring(build(history, AS_OF, options).files["feed.xml"])
        return {str(e.findtext(f"{ATOM}title")): (
            e.findtext(f"{ATOM}id"), e.find(f"{ATOM}link").get("href"))  # type: ignore[union-attr]
            for e in feed.findall(f"{ATOM}entry")}

    before = entries()
    assert before["Sales retro — April 2026"] == (
        "https://kb.example.com/records/2026-04-sales/",
        "https://kb.example.com/records/2026-04-sales/"), before
    git(history, "mv", "retros/2026-04-sales.md", "retros/2026-04-inbound.md")
    commit_all(history, "April: name", "Carol Chen", "2026-07-01T10:00:00+00:00")
    (history / "retros" / "2026").mkdir()
    git(history, "mv", "retros/2026-04-inbound.md", "retros/2026/2026-04-inbound-sales.md")
    commit_all(history, "April: year folder", "Carol Chen", "2026-07-02T10:00:00+00:00")
    after = entries()
    assert after["Sales retro — April 2026"] == (
        "https://kb.example.com/records/2026-04-sales/",
        "https://kb.example.com/records/2026-04-inbound-sales/"), after
    assert after["Sales retro — March 2026"] == before["Sales retro — March 2026"]
    # A new record under the first name: the id is its own, and the renamed one's is its
    # page's address now (no two entries share an id).
    june = _corpus("2026-05-sales.md").replace("period: 2026-05", "period: 2026-06").replace(
        "held: 2026-06-03", "held: 2026-07-03").replace("2026-05-", "2026-06-")
    (history / "retros" / "2026-04-sales.md").write_text(june)
    commit_all(history, "June retro, under a free name", "Dan Diaz", "2026-07-05T10:00:00+00:00")
    ids = {title: entry[0] for title, entry in entries().items()}
    assert ids["Sales retro — April 2026"] == "https://kb.example.com/records/2026-04-inbound-sales/"
    assert ids["Sales retro — June 2026"] == "https://kb.example.com/records/2026-04-sales/"
    assert len(set(ids.values())) == len(ids), ids


def test_a_record_whose_figures_were_corrected_says_so(history: Path) -> None:
    """Hana corrects April's tier-2 sales cycle (58 to 61 days) on 2026-07-02, with the
    quoting of its win rates changed too; Ivan writes 41/94 for 11/25 on 2026-07-10. April's
    page showed the new figures alone, as if they had always been so. It says it was
    corrected, on the day of the latest correction, by which commit, and links its history;
    March, whose wording alone Bob changed, and May say nothing. Built as of 2026-06-30, before
    the corrections, April says nothing either; without a repository address, the page gives
    the git command that shows the history."""
    april = history / "retros" / "2026-04-sales.md"
    april.write_text(april.read_text().replace("tier-2: 58", "tier-2: 61").replace(
        '{smb: "11/25", mid-market: "8/20", enterprise: "3/9"}',
        "{smb: '11/25', mid-market: '8/20', enterprise: '3/9'}"))
    commit_all(history, "April: the cycle was 61 days", "Hana Ito", "2026-07-02T08:15:00+02:00")
    april.write_text(april.read_text().replace("smb: '11/25'", "smb: '41/94'"))
    ivan = commit_all(history, "April: SMB win rate", "Ivan Ilic", "2026-07-10T09:00:00+00:00")
    options = RenderOptions(repo_url="https://github.com/acme/kb", branch="trunk")
    files = build(history, AS_OF, options).files
    page = files["records/2026-04-sales.md"].decode()
    assert ("**Corrected** on 2026-07-10 (`" + ivan[:7] + "`): its readings changed after it "
            "was first published on 2026-05-05, the latest of 2 corrections; the figures below "
            "are as corrected. [Its history](https://github.com/acme/kb/commits/trunk/retros/"
            "2026-04-sales.md) shows what changed.") in page, page
    for other in ("2026-03-sales", "2026-05-sales"):
        assert "Corrected" not in files[f"records/{other}.md"].decode(), other
    before = build(history, dt.date(2026, 6, 30), options).files["records/2026-04-sales.md"]
    assert "Corrected" not in before.decode()
    plain = build(history, dt.date(2026, 7, 5)).files["records/2026-04-sales.md"].decode()
    assert "**Corrected** on 2026-07-02 (`" in plain, plain
    assert ("first published on 2026-05-05; the figures below are as corrected. Its history "
            "shows what changed: `git log -p -- retros/2026-04-sales.md`.") in plain, plain
