"""Merge-conflict markers: refused where git left them, text where a record quotes them."""

from __future__ import annotations

import contextlib
import html
import re
import subprocess
from pathlib import Path

from conftest import FIXTURES, run_cli
from gittools import commit_all, git, init
from sitetools import make_project, mkdocs_build, own_site_url

QUOTED = """<<<<<<< HEAD
pricing: 12000
=======
pricing: 14500
>>>>>>> 9f8e7d6 (Raise the list price)"""
"""A conflict block as git writes it, quoted by a post-mortem of the merge that left it."""


def _postmortem(body: str) -> str:
    """The sample's Northwind post-mortem, its body replaced by ``body``."""
    text = (FIXTURES / "corpus" / "postmortems" / "2026-06-northwind-win.md").read_text()
    return text[: text.index("# Northwind win")] + body


def _validate(root: Path) -> tuple[int, str]:
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-07-20")
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_a_conflict_quoted_in_a_fenced_code_block_is_text(tmp_path: Path) -> None:
    """A post-mortem about a bad merge quoting the conflict it left was refused as an
    unresolved conflict. Inside a fence (backticks or tildes, any length, indented up to
    an info string or none) the markers are text, and the page shows them."""
    project = make_project(tmp_path / "project", FIXTURES / "corpus")
    config = project / "mkdocs.yml"  # a site that renders fenced code blocks
    config.write_text(config.read_text().replace("  - tables\n",
                                                 "  - tables\n  - pymdownx.superfences\n", 1))
    body = (
        "# Northwind win\n\nThe price sheet merge went wrong; git left this:\n\n"
        f"```text\n{QUOTED}\n```\n\n"
        f"Tildes, with a ``` line inside that closes nothing:\n\n"
        f"~~~~~ yaml\n```\n{QUOTED.replace('HEAD', 'main')}\n~~~~~\n\n"
        "Four backticks around three:\n\n````markdown\n```\n"
        f"{QUOTED.replace('9f8e7d6', 'abc1234')}\n```\n````\n"
    )
    record = project / "postmortems" / "2026-06-northwind-win.md"
    record.write_text(_postmortem(body))
    code, output = _validate(project)
    assert code == 0, output
    assert "merge conflict" not in output and "not rendered" not in output
    built = mkdocs_build(project, "2026-07-20")
    assert built.returncode == 0, built.stderr
    page = (project / "site" / "records" / "2026-06-northwind-win" / "index.html").read_text()
    text = html.unescape(re.sub(r"<[^>]+>", "", page))
    for label in ("HEAD", "main"):
        assert f"<<<<<<< {label}\npricing: 12000\n=======\npricing: 14500\n>>>>>>>" in text
    assert ">>>>>>> abc1234 (Raise the list price)" in text


def test_markers_outside_a_fence_or_across_one_are_still_a_conflict(tmp_path: Path) -> None:
    """Outside a fence, the markers stay an error, located at the ``<<<<<<<`` line: after a
    fence closed, in a fence never closed (Python-Markdown renders none), in a block whose
    sides hold the fence's own lines, and in front matter holding a fence-like line."""
    project = make_project(tmp_path / "project", FIXTURES / "corpus")
    postmortems = project / "postmortems"
    northwind = (postmortems / "2026-06-northwind-win.md").read_text()
    closed = _postmortem(f"# Northwind win\n\n```\nquoted\n```\n\n{QUOTED}\n")
    unclosed = _postmortem(f"# Northwind win\n\n~~~\n{QUOTED}\n")
    # Two people edited the fence's opening line: git's markers stand around it.
    across = _postmortem("# Northwind win\n\n<<<<<<< HEAD\n```yaml\n=======\n```text\n"
                         ">>>>>>> 1a2b3c4\npricing: 12000\n```\n")
    front = northwind.replace("held: 2026-06-12\n",
                              "<<<<<<< HEAD\nheld: 2026-06-12\n=======\nheld: 2026-06-13\n"
                              ">>>>>>> 1a2b3c4\n").replace("---\n\n# Northwind", "---\n```\n# N")
    files = {"2026-06-closed.md": closed, "2026-06-unclosed.md": unclosed,
             "2026-06-across.md": across, "2026-06-northwind-win.md": front}
    for name, text in files.items():
        (postmortems / name).write_text(text)
    code, output = _validate(project)
    assert code == 1, output
    start = closed.count("\n", 0, closed.index("<<<<<<<")) + 1
    assert (f"postmortems/2026-06-closed.md:{start}:1  file  a merge conflict is left in this "
            f"file (lines {start}\u2013{start + 4}: <<<<<<< \u2026 >>>>>>>) (keep one side, "
            "delete the marker lines, then commit)") in output, output
    for name, text in files.items():
        line = text.count("\n", 0, text.index("<<<<<<<")) + 1
        assert f"postmortems/{name}:{line}:1  file  a merge conflict is left" in output, output
    assert "4 errors" in output


def _conflicted(text: str, after: str, ours: str, theirs: str) -> tuple[str, str]:
    """``text`` with a conflict block git left below the line ``after``; and its lines as
    the error says them."""
    start = text.index(after) + len(after)
    block = f"<<<<<<< HEAD\n{ours}=======\n{theirs}>>>>>>> 5e6f7a8 (Tidy the site)\n"
    first = text.count("\n", 0, start) + 1
    return text[:start] + block + text[start:], f"{first}:1  file  a merge conflict is left " \
        f"in this file (lines {first}\u2013{first + block.count(chr(10)) - 1}: <<<<<<< \u2026 " \
        ">>>>>>>) (keep one side, delete the marker lines, then commit)"


def _refusals(project: Path) -> tuple[str, str]:
    """What validate and build print for ``project``, each with its exit code."""
    said = []
    for command in ("validate", "build"):
        result = run_cli(command, "--root", str(project), "--as-of", "2026-07-20")
        assert "Traceback" not in result.output
        said.append(f"{result.output}exit: {result.exit_code}")
    return said[0], said[1]


def test_a_conflict_in_mkdocs_yml_or_a_file_it_inherits_is_located(tmp_path: Path) -> None:
    """mkdocs.yml with a conflict failed as YAML a line below the marker ("could not find
    expected ':'"), or, read as valid YAML, built with both sides' settings. It is an error
    at the <<<<<<< line, as a record's, in validate and in the build."""
    project = make_project(tmp_path / "project", FIXTURES / "corpus")
    config = project / "mkdocs.yml"
    written = config.read_text()
    text, where = _conflicted(written, "  - admonition\n", "", "  - footnotes\n")
    config.write_text(text)
    expected = f"error: mkdocs.yml:{where}"
    for said in _refusals(project):
        assert expected in said and said.endswith("exit: 2"), said
        assert "not valid YAML" not in said
    # In a file mkdocs.yml inherits, named from the knowledge base's root; here both sides
    # are valid YAML, so without the check the later side's theme colour won silently.
    (project / "config").mkdir()
    base = "theme:\n  palette:\n    primary: indigo\n"
    text, where = _conflicted(base, "  palette:\n", "    primary: teal\n", "    primary: red\n")
    (project / "config" / "base.yml").write_text(text)
    config.write_text("INHERIT: config/base.yml\n" + written)
    for said in _refusals(project):
        assert f"error: config/base.yml:{where}" in said, said
        assert said.endswith("exit: 2"), said


def test_a_conflict_in_a_hand_written_page_is_located(tmp_path: Path) -> None:
    """A conflict in a page of docs/ was not checked at all: the build published both
    sides. It is an error at the <<<<<<< line, in validate and the build (nothing is
    built); one quoted in a fenced code block of a page is text, and the records' own checks
    (a quarterly review's actuals) still run beside the page's error."""
    project = make_project(tmp_path / "project", FIXTURES / "corpus")
    guide = project / "docs" / "guide" / "commands.md"
    written = guide.read_text()
    heading = written.index("\n#", 1) + 1
    after = written[heading: written.index("\n", heading) + 1]
    text, where = _conflicted(written, after, "Run it from the root.\n", "Run it anywhere.\n")
    guide.write_text(text)
    # A page of a folder MkDocs names hidden, or a file that is no page, is not read.
    (project / "docs" / ".drafts").mkdir()
    (project / "docs" / ".drafts" / "notes.md").write_text(_conflicted("x\n", "x\n", "", "")[0])
    (project / "docs" / "notes.txt").write_text(_conflicted("x\n", "x\n", "", "")[0])
    # Quoted in a page's fence, as a guide to resolving conflicts would.
    (project / "docs" / "guide" / "merging.md").write_text(
        f"# Merging\n\nGit marks a conflict so:\n\n~~~\n{QUOTED}\n~~~\n")
    validated, built = _refusals(project)
    expected = f"docs/guide/commands.md:{where}"
    for said in (validated, built):
        assert expected in said and "1 error," in said, said
        assert "merging.md" not in said and "notes" not in said
    assert validated.endswith("exit: 1") and "scorecard" not in validated, validated
    assert "nothing was built" in built and built.endswith("exit: 1"), built
    assert not (project / "site").exists()


def test_a_real_conflict_inside_a_fence_of_an_unmerged_file_is_one(tmp_path: Path) -> None:
    """Two people edited the same lines of a fenced code block: git's markers fell inside the
    fence, were read as a quoted conflict, and the record and the guide published both
    sides as the code. While git has a file unmerged its fenced markers are a conflict;
    once it is marked resolved (git add) they are quoted text again, and the record cache
    keeps no result of an unmerged file either way."""
    project = make_project(tmp_path / "project", FIXTURES / "corpus")
    init(project)
    # A post-mortem shaped unlike the sample's: its whole body is the query it is about.
    record = project / "postmortems" / "2026-06-northwind-win.md"
    page = project / "docs" / "guide" / "exports.md"

    def write(limit: str) -> None:
        record.write_text(_postmortem(
            "# Northwind win\n\nThe query that found the deal:\n\n~~~sql\n"
            f"SELECT id FROM deals\nWHERE amount > {limit}\n~~~\n"))
        page.write_text(f"# Exports\n\n```sh\nhindsight export --min {limit}\n```\n")

    write("10000")
    commit_all(project, "Base", "Ana Lima", "2026-07-01T09:00:00+00:00")
    git(project, "checkout", "-q", "-b", "raise")
    write("12000")
    commit_all(project, "Raise", "Ana Lima", "2026-07-02T09:00:00+00:00")
    git(project, "checkout", "-q", "main")
    write("14500")
    commit_all(project, "Raise more", "Ben Okafor", "2026-07-03T09:00:00+00:00")
    with contextlib.suppress(subprocess.CalledProcessError):  # git exits 1 on the conflict
        git(project, "merge", "-q", "raise")
    assert "<<<<<<< HEAD\nWHERE amount > 14500\n=======" in record.read_text()
    start = record.read_text().split("\n").index("<<<<<<< HEAD") + 1
    for _ in range(2):  # the second time with the record cache written by the first
        code, output = _validate(project)
        assert code == 1, output
        assert (f"postmortems/2026-06-northwind-win.md:{start}:1  file  a merge conflict is "
                f"left in this file (lines {start}\u2013{start + 4}: <<<<<<< \u2026 >>>>>>>, "
                "inside a fenced code block; git has the file unmerged) (keep one side, "
                "delete the marker lines, then commit; if these lines are quoted on "
                "purpose, git add the file to mark it resolved)") in output, output
        assert "docs/guide/exports.md:4:1  file  a merge conflict is left" in output, output
        assert "2 errors" in output, output
    # Marked resolved as it stands: the markers are what the record quotes.
    git(project, "add", "postmortems", "docs")
    code, output = _validate(project)
    assert code == 0 and "merge conflict" not in output, output
    # The same bytes unmerged again: the cached result of the resolved file is not taken.
    git(project, "checkout", "-m", "--", "postmortems/2026-06-northwind-win.md")
    code, output = _validate(project)
    assert code == 1 and "2026-06-northwind-win.md" in output and "1 error," in output, output


def test_a_hand_written_page_with_an_error_is_counted_and_named_as_one(tmp_path: Path) -> None:
    """The page with a conflict was left out of "N files checked" ("1 error, 0 warnings; 20
    files checked" of 20 records, none with the error), and a report of some records called
    its error one "in records not reported here"."""
    project = make_project(tmp_path / "project", FIXTURES / "corpus")
    records = sorted(p.relative_to(project).as_posix()
                     for folder in ("retros", "postmortems") for p in (project / folder).rglob("*.md"))
    own_site_url(project)
    page = project / "docs" / "faq.md"
    page.write_text(_conflicted("# FAQ\n", "# FAQ\n", "Ask Ana.\n", "Ask Ben.\n")[0])
    code, output = _validate(project)
    assert code == 1, output
    assert re.search(rf"\n1 error, \d+ warnings?; {len(records) + 1} files checked\n$",
                     output), output
    one = records[0]
    result = run_cli("validate", "--root", str(project), "--as-of", "2026-07-20",
                     str(project / one))
    assert re.search(
        r"\n0 errors, \d+ warnings?; 1 file checked\n1 more error in a hand-written page not "
        r"reported here: no site is built while they stand \(run `hindsight validate` to see "
        r"them\)\n$", result.output), result.output
    # An error in another record too: both kinds are counted apart.
    other = project / records[-1]
    other.write_text(other.read_text().replace("\n---\n", "\nstray_field: 1\n---\n", 1))
    result = run_cli("validate", "--root", str(project), "--as-of", "2026-07-20",
                     str(project / one))
    assert ("; 1 file checked\n2 more errors (1 in records, 1 in a hand-written page) not "
            "reported here: no site is built while they stand") in result.output, result.output
