"""`hindsight validate --format github` as a pull-request check reads it: annotations GitHub
can attach, and a job summary GitHub keeps (real git repositories, the summary a real file)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, run_cli
from gittools import commit_all, git, init

CORPUS = FIXTURES / "corpus"


def _nested(tmp_path: Path) -> Path:
    """A repository whose knowledge base is its folder ``kb/`` (beside the code of a larger
    project), one retro citing a cause the taxonomy lacks; returns the repository's top."""
    top = tmp_path / "repo"
    init(top)
    (top / "README.md").write_text("# A project with its retros in kb/\n")
    kb = top / "kb"
    (kb / "retros").mkdir(parents=True)
    shutil.copy(CORPUS / "taxonomy.yml", kb / "taxonomy.yml")
    (kb / "retros" / "2026-04-sales.md").write_text(
        (CORPUS / "retros" / "2026-04-sales.md").read_text().replace(
            "  - cause: sdr-ae-handoff\n", "  - cause: sdr-handof\n", 1))
    commit_all(top, "Retros", "Ann Lee", "2026-05-05T09:00:00+00:00")
    return top


def test_annotations_and_summary_name_files_from_the_repositorys_top(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A knowledge base in kb/: GitHub reads `file=retros/2026-04-sales.md` from the top of
    # the repository, where there is no such file, and attaches the annotation to nothing.
    top = _nested(tmp_path)
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    for where, root in ((top, "kb"), (top / "kb", "."), (top / "kb" / "retros", "..")):
        # `--root kb` from the top, and `working-directory: kb` (or below it).
        monkeypatch.chdir(where)
        summary.write_text("")
        result = run_cli("validate", "--root", root, "--format", "github", "--as-of",
                         "2026-06-01")
        assert result.exit_code == 1, result.output
        errors = [line for line in result.output.splitlines() if line.startswith("::error ")]
        assert errors and all(line.startswith("::error file=kb/retros/2026-04-sales.md,line=")
                              for line in errors), errors
        assert "| ❌ | `kb/retros/2026-04-sales.md` |" in summary.read_text()
        # The plain report stays relative to the knowledge base, as every command's paths are.
        text = run_cli("validate", "--root", root, "--as-of", "2026-06-01").output
        assert text.startswith("retros/2026-04-sales.md:"), text


def test_a_knowledge_base_at_the_top_or_outside_git_keeps_its_paths(tmp_path: Path) -> None:
    root = tmp_path / "kb"
    (root / "retros").mkdir(parents=True)
    shutil.copy(CORPUS / "taxonomy.yml", root / "taxonomy.yml")
    (root / "retros" / "2026-04-sales.md").write_text(
        (CORPUS / "retros" / "2026-04-sales.md").read_text().replace(
            "team: sales", "team: sals", 1))
    outside = run_cli("validate", "--root", str(root), "--format", "github", "--as-of",
                      "2026-06-01")
    assert "::error file=retros/2026-04-sales.md,line=" in outside.output
    init(root)
    commit_all(root, "Retros", "Ann Lee", "2026-05-05T09:00:00+00:00")
    assert git(root, "rev-parse", "--show-prefix").strip() == ""
    inside = run_cli("validate", "--root", str(root), "--format", "github", "--as-of",
                     "2026-06-01")
    assert inside.output == outside.output


DROP = "  - {id: SAL-2026-04-1, status: dropped, note: Replaced by the routing change.}\n"


def _reopened_in_kb(tmp_path: Path) -> Path:
    """A knowledge base in ``kb/`` (the .mailmap at the repository's top) on main; the branch
    ``fix`` deletes the update that dropped SAL-2026-04-1 and edits the .mailmap. Returns the
    knowledge base."""
    top = tmp_path / "repo"
    init(top)
    kb = top / "kb"
    (kb / "retros").mkdir(parents=True)
    shutil.copy(CORPUS / "taxonomy.yml", kb / "taxonomy.yml")
    for name in ("2026-03-sales.md", "2026-04-sales.md", "2026-05-sales.md"):
        shutil.copy(CORPUS / "retros" / name, kb / "retros" / name)
    (top / ".mailmap").write_text("Ann Lee <ann@example.com>\n")
    commit_all(top, "Retros", "Ann Lee", "2026-06-05T09:00:00+00:00")
    git(top, "checkout", "-q", "-b", "fix")
    may = kb / "retros" / "2026-05-sales.md"
    assert DROP in may.read_text()
    may.write_text(may.read_text().replace("action_updates:\n" + DROP, ""))
    (top / ".mailmap").write_text("Ann Lee-Park <ann@example.com>\n")
    commit_all(top, "Undo the drop", "Bob Brown", "2026-07-12T09:00:00+00:00")
    return kb


def test_notices_and_caused_warnings_name_files_from_the_repositorys_top(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pull request on a knowledge base in ``kb/`` that deletes the update dropping an
    action and edits the repository's ``.mailmap``: the action's notice and the overdue
    warning it causes are on ``kb/retros/…``, where GitHub finds the file; the ``.mailmap``
    notice stays on ``.mailmap``, at the repository's top."""
    kb = _reopened_in_kb(tmp_path)
    summary = tmp_path / "summary.md"
    summary.write_text("")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.chdir(kb)
    result = run_cli("validate", "--changed-since", "main", "--format", "github", "--as-of",
                     "2026-07-15")
    lines = result.output.splitlines()
    notices = [line for line in lines if line.startswith("::notice ")]
    assert any(line.startswith("::notice file=kb/retros/2026-04-sales.md,line=")
               and "::SAL-2026-04-1 was dropped at main and is open again" in line
               for line in notices), result.output
    assert any(line.startswith("::notice file=.mailmap,line=1,col=1::.mailmap changed")
               for line in notices), result.output
    warnings = [line for line in lines if line.startswith("::warning ")]
    assert warnings and all(line.startswith("::warning file=kb/retros/") for line in warnings)
    assert any(line.startswith("::warning file=kb/retros/2026-04-sales.md,")
               and line.endswith("[caused by this change: not so at main]")
               for line in warnings), result.output
    written = summary.read_text()
    assert "`kb/retros/2026-04-sales.md`" in written, written
    assert "kb/retros/2026-04-sales.md:" in written and "notice: SAL-2026-04-1" in written
    assert any(row.startswith("| ⚠️ | `kb/retros/2026-04-sales.md` | 22 |")
               and row.endswith(r"\[caused by this change: not so at main\] |")
               for row in written.splitlines()), written
    # The plain report stays relative to the knowledge base.
    plain = run_cli("validate", "--changed-since", "main", "--as-of", "2026-07-15").output
    assert "\nretros/2026-04-sales.md:" in "\n" + plain and "kb/" not in plain, plain


LEAKAGE = ("  - id: lead-leakage\n    title: Lead leakage\n"
           "    description: Leads fall between the form and the CRM.\n")


def _renamed(tmp_path: Path, entry: str) -> tuple[Path, int]:
    """main: five retros citing the cause ``lead-leakage``; the change renames it in
    taxonomy.yml to ``entry`` (alias dropped). Returns the root and the line of ``causes:``."""
    root = tmp_path / "kb"
    shutil.copytree(Path(__file__).parent / "bad_input" / "cause-renamed-in-taxonomy", root,
                    ignore=shutil.ignore_patterns("expected.txt", "CASE"))
    text = (FIXTURES / "taxonomy.yml").read_text()
    # Last in the list: the annotation's line is the entry's, wherever that is.
    first_after = text.index("\n", text.index("\ncauses:\n") + 1)
    end = text.index("\n", first_after + 1)
    while text[end + 1:end + 3] == "  ":
        end = text.index("\n", end + 1)
    taxonomy = root / "taxonomy.yml"
    taxonomy.write_text(text[:end + 1] + LEAKAGE + text[end + 1:])
    init(root)
    commit_all(root, "Base", "Ann Lee", "2026-06-01T09:00:00+00:00")
    assert run_cli("validate", "--root", str(root), "--as-of", "2026-07-01").exit_code == 0
    git(root, "checkout", "-q", "-b", "rename")
    taxonomy.write_text(text[:end + 1] + entry + text[end + 1:])
    commit_all(root, "Rename a cause", "Ann Lee", "2026-06-02T09:00:00+00:00")
    return root, text.splitlines().index("causes:") + 1


@pytest.mark.parametrize("entry, at", [
    # Renamed, its title kept: at the renamed entry's id.
    (LEAKAGE.replace("id: lead-leakage", "id: leads-lost"), "entry"),
    # Renamed and retitled: no entry is known as it, so at the list of causes.
    ("  - id: leads-lost\n    title: Leads lost in routing\n    description: Gone.\n", "causes"),
], ids=["title-kept", "retitled"])
def test_a_renamed_cause_is_annotated_where_the_taxonomy_lists_it(
        tmp_path: Path, entry: str, at: str) -> None:
    # Annotated at line 1, the rename's one annotation fell outside the pull request's diff.
    root, causes = _renamed(tmp_path, entry)
    lines = (root / "taxonomy.yml").read_text().splitlines()
    line = lines.index("  - id: leads-lost") + 1 if at == "entry" else causes
    col = 5 if at == "entry" else 1
    result = run_cli("validate", "--changed-since", "main", "--root", str(root), "--format",
                     "github", "--as-of", "2026-07-01")
    assert result.exit_code == 1
    first = result.output.splitlines()[0]
    assert first.startswith(f"::error file=taxonomy.yml,line={line},col={col}::cause "
                            "'lead-leakage' is unknown in 5 records"), (first, line)


def _many_errors(root: Path, records: int) -> None:
    """``records`` retros, each citing twenty causes the taxonomy lacks: a few thousand
    errors, each a summary row of some 200 bytes."""
    (root / "retros").mkdir(parents=True)
    shutil.copy(FIXTURES / "taxonomy.yml", root / "taxonomy.yml")
    causes = "".join(f"  - cause: gone-{k}\n" for k in range(20))
    for i in range(records):
        month = f"{2000 + i // 12}-{i % 12 + 1:02d}"
        (root / "retros" / f"{month}-sales.md").write_text(
            f"---\ntype: retro\nperiod: {month}\nteam: sales\nheld: {month}-28\n"
            f"facilitator: Dana Ruiz\nformat: start-stop-continue\ncauses:\n{causes}---\n\n"
            "# Sales retro\n\nLeads were lost.\n")


def test_a_summary_past_githubs_limit_is_cut_and_says_what_it_left_out(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # 6,300 errors made a 1.3 MB summary, which GitHub drops whole (its limit is 1 MiB a
    # step), and the annotations show ten: the list was lost when it was longest.
    root = tmp_path / "kb"
    _many_errors(root, 300)
    summary = tmp_path / "summary.md"
    earlier = "## What an earlier command of the step wrote\n\n" + "x" * 99_000 + "\n"
    summary.write_text(earlier)  # the step's file, which the limit is on, holds it too
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = run_cli("validate", "--root", str(root), "--format", "github", "--as-of",
                     "2026-07-01")
    assert result.exit_code == 1
    annotations = sum(line.startswith("::error file=retros/")
                      for line in result.output.splitlines())
    assert annotations == 6300  # the log keeps every one
    text = summary.read_text(encoding="utf-8")
    assert text.startswith(earlier)
    assert 800_000 < len(text.encode()) < 900_000 < 1 << 20
    rows = [line for line in text.splitlines() if line.startswith("| ❌ | `retros/")]
    left = 6300 - len(rows)
    assert 1000 < left < 6300
    assert (f"**{left} more problems left out here** ({left} errors, 0 warnings): GitHub "
            "keeps no job summary past 1 MiB. This step's log has every one, and "
            "`hindsight validate` lists them all with their files.") in text
    # Cut at a whole row, the first ones kept in order; the rename lines above the table stay.
    assert text.endswith(" |\n\n") and rows == sorted(rows, key=lambda r: r.split("|")[2])
    assert "**cause 'gone-0' is unknown in 300 records" in text
    # Under the limit, every row is there and nothing is said left out.
    small = tmp_path / "small"
    _many_errors(small, 3)
    summary.write_text("")
    run_cli("validate", "--root", str(small), "--format", "github", "--as-of", "2026-07-01")
    text = summary.read_text(encoding="utf-8")
    assert text.count("| ❌ | `retros/") == 63 and "left out" not in text


def test_a_cut_summary_keeps_the_errors_before_the_warnings(tmp_path: Path) -> None:
    from generator.commands.validate import _rows_within
    from generator.errors import Problem, Severity

    # Warnings sort first by file (a-…), errors after: cut, the errors are the ones kept.
    problems = [Problem(f"retros/{name}.md", 1, 1, "", "m", severity=severity)
                for name, severity in (("a", Severity.WARNING), ("b", Severity.ERROR),
                                       ("c", Severity.WARNING), ("d", Severity.ERROR))]
    rows = [f"| {p.path} |" for p in problems]
    size = len(rows[0]) + 1
    assert _rows_within(problems, rows, 4 * size) == [0, 1, 2, 3]
    assert _rows_within(problems, rows, 3 * size) == [0, 1, 3]
    assert _rows_within(problems, rows, 2 * size) == [1, 3]
    assert _rows_within(problems, rows, size) == [1]


def test_the_summary_of_a_change_counts_the_errors_it_leaves_out(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # main holds a retro citing a misspelt cause; the change adds a valid one. The log said
    # "1 more error in records not reported here"; the summary said "No problems found." as if
    # a site could be built, and the whole knowledge base's section after it looked the same.
    root = tmp_path / "kb"
    init(root)
    shutil.copy(CORPUS / "taxonomy.yml", root / "taxonomy.yml")
    (root / "retros").mkdir()
    (root / "retros" / "2026-03-sales.md").write_text(
        (CORPUS / "retros" / "2026-03-sales.md").read_text().replace(
            "  - cause: wrong-icp", "  - cause: icp-drfit"))
    shutil.copy(CORPUS / "retros" / "2026-04-sales.md", root / "retros")
    commit_all(root, "Base", "Ann Lee", "2026-05-05T09:00:00+00:00")
    git(root, "checkout", "-q", "-b", "may")
    shutil.copy(CORPUS / "retros" / "2026-05-sales.md", root / "retros")
    commit_all(root, "May", "Bob Brown", "2026-06-04T15:30:00+00:00")
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = run_cli("validate", "--changed-since", "main", "--root", str(root), "--format",
                     "github", "--as-of", "2026-06-05")
    assert result.exit_code == 0, result.output
    assert "1 more error in records not reported here" in result.output
    changed = summary.read_text(encoding="utf-8")
    assert changed.startswith("## hindsight validate --changed-since main\n\n")
    assert ("1 more error in records not reported here: no site is built while they stand "
            "(run `hindsight validate` to see them).") in changed
    assert changed.endswith("No problems found in the records reported here.\n\n")
    assert "**No problems found.**" not in changed and "\nNo problems found.\n" not in changed
    # The whole knowledge base, as the workflow lists it when the recall stops at that error.
    run_cli("validate", "--root", str(root), "--format", "github", "--as-of", "2026-06-05")
    whole = summary.read_text(encoding="utf-8")[len(changed):]
    assert whole.startswith("## hindsight validate\n\n") and "icp-drfit" in whole


def test_a_cut_summary_keeps_the_caused_by_marker_and_the_prefix(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The step's summary so full that one row fits: the row kept is the warning the change
    caused, said so as the log says it, on its file from the repository's top."""
    kb = _reopened_in_kb(tmp_path)
    summary = tmp_path / "summary.md"
    summary.write_text("")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    monkeypatch.chdir(kb)
    args = ("validate", "--changed-since", "main", "--format", "github", "--as-of",
            "2026-07-15")
    run_cli(*args)
    whole = summary.read_text(encoding="utf-8")
    head = "| | File | Line | Field | Problem |\n| --- | --- | --- | --- | --- |\n"
    above, table = whole.split(head)
    rows = table.rstrip("\n").split("\n")
    assert len(rows) == 2 and rows[0].startswith("| ⚠️ | `kb/retros/2026-04-sales.md` |")
    # Room for the first row and not the second (`SUMMARY_BYTES` less what the step wrote
    # before, the lines above the table and a margin of 1,000 bytes).
    first = len(rows[0].encode()) + 1
    earlier = 900_000 - 1_000 - (len(above.encode()) - 1) - first - 5
    summary.write_text("x" * (earlier - 1) + "\n")
    run_cli(*args)
    cut = summary.read_text(encoding="utf-8")[earlier:]
    kept = [line for line in cut.splitlines() if line.startswith("| ⚠️ |")]
    assert kept == [rows[0]], cut
    assert kept[0].endswith(r"\[caused by this change: not so at main\] |")
    assert ("**1 more problem left out here** (0 errors, 1 warning): GitHub keeps no job "
            "summary past 1 MiB. This step's log has every one, and "
            "`hindsight validate --changed-since main` lists them all") in cut, cut
    # The notice above the table is on its file from the repository's top too.
    assert any(line.startswith("kb/retros/2026-04-sales.md:") and "notice: SAL-2026-04-1" in line
               for line in cut.splitlines()), cut
