"""Records the knowledge base never reads: a pull request that saves one where it is not read,
or under a name that is not read, fails its check at that file, naming where it belongs.

Each test is a real git repository (fixed authors and dates): main holds the test corpus, and
the change is made on a branch, checked with ``validate --changed-since main`` as the
``validate`` workflow checks a pull request.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, REPO, copy_sample, run_cli
from gittools import commit_all, git, init

CORPUS = FIXTURES / "corpus"
AS_OF = "2026-07-20"

# A retro shaped unlike the corpus's: marketing's June, went-well/didn't, a team-prefixed
# action, a `type:` in capitals.
JUNE = """\
---
type: Retro
period: 2026-06
team: marketing
held: 2026-07-02
facilitator: Noor Haddad
participants: [Noor Haddad, Iris Bell]
format: went-well-didnt
indicators: {pipeline-velocity: 40100}
went_well: [Webinar sign-ups doubled]
didnt_go_well: [Half the sign-ups were students]
actions:
  - {id: MKT-2026-06-1, title: Gate the webinar by company size, owner: Iris Bell,
     due: 2026-07-31}
---

Notes from the session.
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """main: the test corpus, committed by Alice; checked out on the branch ``change``."""
    root = tmp_path / "kb"
    init(root)
    shutil.copy(CORPUS / "taxonomy.yml", root / "taxonomy.yml")
    for folder in ("retros", "postmortems"):
        shutil.copytree(CORPUS / folder, root / folder)
    commit_all(root, "The corpus", "Alice Adams", "2026-06-05T09:00:00+00:00")
    git(root, "checkout", "-q", "-b", "change")
    return root


def _validate(root: Path, *args: str) -> tuple[int, str]:
    result = run_cli("validate", "--changed-since", "main", "--root", str(root),
                     "--as-of", AS_OF, *args)
    return result.exit_code, result.output


@pytest.mark.parametrize("name", ["2026-06 Marketing.MD", "2026-06-marketing.markdown",
                                  "2026-06-marketing.md.txt"])
def test_a_retro_saved_under_a_name_not_read_fails_the_check(repo: Path, name: str) -> None:
    # It was "warning: is not a record and is ignored", exit 0, and the summary counted the
    # records without it: merged, the retro was never on the site.
    (repo / "retros" / name).write_text(JUNE)
    commit_all(repo, "June retro", "Sam Sales", "2026-07-03T10:00:00+00:00")
    code, output = _validate(repo, "--format", "github")
    assert code == 1, output
    assert output.splitlines()[0] == (
        f"::error file=retros/{name},line=2,col=7::type: holds a retro but is not read: only "
        "files whose names end in .md (lowercase) are records (rename it 2026-06-marketing.md)")
    assert " records: " not in output
    renamed = repo / "retros" / "2026-06-marketing.md"
    (repo / "retros" / name).rename(renamed)
    renamed.write_text(JUNE.replace("type: Retro", "type: retro"))
    code, output = _validate(repo)
    assert code == 0, output
    assert output.startswith("0 errors, 0 warnings; 1 file checked\n"), output


def test_a_file_that_holds_no_record_beside_the_records_is_still_a_warning(repo: Path) -> None:
    (repo / "retros" / "agenda.txt").write_text("---\ntitle: June agenda\n---\n\n- pipeline\n")
    (repo / "retros" / "notes.MD").write_text("Notes, no front matter.\n")
    commit_all(repo, "Notes", "Sam Sales", "2026-07-03T10:00:00+00:00")
    code, output = _validate(repo)
    assert code == 0, output
    assert output.splitlines()[:2] == [
        "retros/agenda.txt:1:1  -  warning: is not a record and is ignored (records are "
        "Markdown files ending in .md)",
        "retros/notes.MD:1:1  -  warning: is not a record and is ignored (records are "
        "Markdown files ending in .md)"]


@pytest.mark.parametrize("where", ["2026-06-marketing.md", "Retros/2026-06-marketing.md",
                                   "docs/retros/2026-06-marketing.md", "docs/June retro.md"])
def test_a_record_saved_outside_the_record_folders_fails_the_check(repo: Path, where: str) -> None:
    # It passed: "0 errors, 0 warnings; 0 files checked", the summary counting the records
    # without it, and recall said "No record changed since main.". Merged, it was never read.
    (repo / where).parent.mkdir(parents=True, exist_ok=True)
    (repo / where).write_text(JUNE)
    commit_all(repo, "June retro", "Sam Sales", "2026-07-03T10:00:00+00:00")
    code, output = _validate(repo, "--format", "github")
    assert code == 1, output
    shown = where.replace(":", "%3A").replace(",", "%2C")
    assert output.splitlines() == [
        f"::error file={shown},line=2,col=7::type: holds a retro but is not read here: records "
        "are read only from retros/ and postmortems/ (move it to retros/2026-06-marketing.md)",
        "1 error, 0 warnings; 1 file checked"]
    recalled = run_cli("recall", "--changed-since", "main", "--root", str(repo),
                       "--as-of", AS_OF)
    assert recalled.exit_code == 0, recalled.output
    assert (f"No record changed since main where records are read, but {where} holds a retro "
            "outside retros/ and postmortems/: see hindsight validate --changed-since main."
            ) in recalled.output
    # Moved where it belongs, it is read and checked as a record.
    (repo / "retros" / "2026-06-marketing.md").write_text(
        (repo / where).read_text().replace("type: Retro", "type: retro"))
    (repo / where).unlink()
    code, output = _validate(repo)
    assert code == 0, output
    assert output.startswith("0 errors, 0 warnings; 1 file checked\n8 records: 5 retros"), output


def test_a_post_mortem_outside_its_folder_is_told_its_folder_and_name(repo: Path) -> None:
    # Not committed yet, as a contributor runs the check before pushing; its type in capitals,
    # its file named as people say it: postmortems/, and the name `hindsight new` gives it.
    text = (CORPUS / "postmortems" / "2026-04-the-apollo-launch.md").read_text()
    text = text.replace("type: postmortem", "type: POSTMORTEM", 1).replace(
        "name: The Apollo Launch", "name: The Borealis Webinar", 1)
    (repo / "docs").mkdir()
    (repo / "docs" / "Borealis.markdown").write_text(text)
    # A copy of a record kept as an example: moving it would write over the record.
    (repo / "docs" / "example.md").write_text(
        (CORPUS / "retros" / "2026-05-sales.md").read_text())
    code, output = _validate(repo)
    assert code == 1, output
    line = text.splitlines().index("type: POSTMORTEM") + 1
    assert output.splitlines()[:2] == [
        f"docs/Borealis.markdown:{line}:7  type  holds a post-mortem but is not read here: "
        "records are read only from retros/ and postmortems/ (move it to "
        "postmortems/2026-04-the-borealis-webinar.md)",
        "docs/example.md:2:7  type  holds a retro but is not read here: records are read only "
        "from retros/ and postmortems/ (retros/2026-05-sales.md is there already: if this is a "
        "copy of it, delete this one)"]


def test_guide_pages_and_the_readme_changed_say_nothing(tmp_path: Path) -> None:
    # The sample knowledge base with its guide: pages without a record's front matter, one
    # with front matter of its own, are no record, wherever they are.
    root = copy_sample(tmp_path / "kb")
    init(root)
    shutil.copytree(REPO / "docs", root / "docs")
    shutil.copy(REPO / "README.md", root / "README.md")
    commit_all(root, "The sample", "Alice Adams", "2026-06-05T09:00:00+00:00")
    git(root, "checkout", "-q", "-b", "change")
    pages = [*sorted((root / "docs").rglob("*.md")), root / "README.md"]
    assert len(pages) > 3
    for page in pages:
        page.write_text(page.read_text() + "\nOne more line.\n")
    (root / "docs" / "guide" / "faq.md").write_text(
        "---\ntitle: Questions\ntype: page\n---\n\n# Questions\n")
    commit_all(root, "Guide", "Sam Sales", "2026-07-03T10:00:00+00:00")
    code, output = _validate(root)
    assert code == 0, output
    assert output.startswith("0 errors, 0 warnings; 0 files checked\n"), output
    recalled = run_cli("recall", "--changed-since", "main", "--root", str(root))
    assert "No record changed since main.\n" in recalled.output, recalled.output


def test_a_knowledge_base_in_a_folder_reports_its_own_files(tmp_path: Path) -> None:
    # The knowledge base is kb/ of a larger repository: a record in kb/notes/ is its, reported
    # from its root; one at the repository's top is outside the knowledge base altogether.
    top = tmp_path / "repo"
    init(top)
    root = top / "kb"
    root.mkdir()
    shutil.copy(CORPUS / "taxonomy.yml", root / "taxonomy.yml")
    shutil.copytree(CORPUS / "retros", root / "retros")
    commit_all(top, "The corpus", "Alice Adams", "2026-06-05T09:00:00+00:00")
    git(top, "checkout", "-q", "-b", "change")
    (root / "notes").mkdir()
    (root / "notes" / "june.md").write_text(JUNE)
    (top / "june.md").write_text(JUNE)
    commit_all(top, "June", "Sam Sales", "2026-07-03T10:00:00+00:00")
    # Given as a path, the knowledge base's own folder is all of it (it read as no file).
    code, output = _validate(root, str(root))
    assert code == 1, output
    assert output.splitlines() == [
        "notes/june.md:2:7  type  holds a retro but is not read here: records are read only "
        "from retros/ and postmortems/ (move it to retros/2026-06-marketing.md)",
        "1 error, 0 warnings; 1 file checked"]
