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

from conftest import FIXTURES, run_cli
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
