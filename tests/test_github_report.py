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


def test_notices_and_caused_warnings_name_files_from_the_repositorys_top(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pull request on a knowledge base in ``kb/`` that deletes the update dropping an
    action and edits the repository's ``.mailmap``: the action's notice and the overdue
    warning it causes are on ``kb/retros/…``, where GitHub finds the file; the ``.mailmap``
    notice stays on ``.mailmap``, at the repository's top."""
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
