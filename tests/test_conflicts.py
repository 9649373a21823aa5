"""Merge-conflict markers: refused where git left them, text where a record quotes them."""

from __future__ import annotations

import html
import re
from pathlib import Path

from conftest import FIXTURES, run_cli
from sitetools import make_project, mkdocs_build

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
