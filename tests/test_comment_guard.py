"""The recall comment's trust boundary: the sanitiser the privileged comment workflow runs on
the artifact a pull request's code wrote (the workflow's own step is run in test_workflows)."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from generator.commands.comment_guard import (
    CUT_NOTE,
    LIMIT,
    READ_LIMIT,
    comment,
    sanitise,
    site_url,
)

GUARD = REPO / "generator" / "commands" / "comment_guard.py"
SITE = "https://kb.example/site/"


def test_it_needs_only_the_standard_library() -> None:
    # It runs under the runner's bare python3, from a sparse checkout of this one file.
    tree = ast.parse(GUARD.read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {(node.module or "").split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom)}
    assert imported <= {"__future__", "re", "sys", "pathlib"}
    assert not any(isinstance(node, ast.ImportFrom) and node.level for node in ast.walk(tree))


def test_isolated_it_imports_nothing_from_the_artifact_or_its_folder(tmp_path: Path) -> None:
    # A `re.py` beside it or in the working directory (where the artifact lands) is not run.
    (tmp_path / "base").mkdir()
    shutil.copy(GUARD, tmp_path / "base")
    for folder in (tmp_path, tmp_path / "base"):
        (folder / "re.py").write_text("raise SystemExit('imported from the artifact')\n")
    (tmp_path / "comment.md").write_text("Hi @octocat\n")
    result = subprocess.run([sys.executable, "-I", "base/comment_guard.py", "comment.md",
                             "mkdocs.yml"], cwd=tmp_path, capture_output=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == "Hi @\u2060octocat\n"


@pytest.mark.parametrize(("mkdocs", "expected"), [
    ("site_url: https://kb.example/site/\n", SITE),
    ("site_name: KB\nsite_url: 'https://kb.example/site'  # published\n", SITE),
    ('site_url: "https://kb.example"\n', "https://kb.example/"),
    ("site_url: !ENV SITE_URL\n", None),
    ("site_url: javascript:alert(1)\n", None),
    ("site_url: https://kb.example/a/../b/\n", None),
    ("site_url: https://evil.example/x)\n", None),
    ("  site_url: https://kb.example/\n", None),  # not mkdocs.yml's own key
    ("site_name: KB\n", None),
])
def test_links_are_allowed_only_to_a_plain_site_url(mkdocs: str, expected: str | None) -> None:
    assert site_url(mkdocs) == expected


def test_a_link_to_the_site_keeps_its_address_and_loses_what_its_text_would_do() -> None:
    text = ("[Expo \\[2\\] @octocat https://x.example](https://kb.example/site/records/expo/) "
            "![Expo](https://kb.example/site/records/expo/) "
            "[Expo](https://kb.example/site/records/expo/ \"title\") "
            "[Expo](https://kb.example/sitemap/)")
    assert sanitise(text, SITE) == (
        "[Expo \\[2\\] @\u2060octocat https:\u2060//x.example](https://kb.example/site/records/expo/) "
        "!\\[Expo\\](https:\u2060//kb.example/site/records/expo/) "
        "\\[Expo\\](https:\u2060//kb.example/site/records/expo/ \"title\") "
        "\\[Expo\\](https:\u2060//kb.example/sitemap/)")


def test_the_recall_as_written_passes_unchanged_but_for_dollars() -> None:
    # Its links, task boxes, escapes and entities stay; a "$" is escaped (GitHub would read
    # "$9 … $5" on one line as math), which shows the same.
    golden = (REPO / "tests" / "goldens" / "recall-harvest-campaign.md").read_text(encoding="utf-8")
    assert "](https://brightlane.github.io/hindsight/" in golden and "- [ ] " in golden
    assert sanitise(golden, "https://brightlane.github.io/hindsight/") == golden.replace("$", "\\$")


def test_record_text_as_the_recall_escapes_it_passes_unchanged() -> None:
    from generator.escape import md

    text = md("Q&A: <b>[draft]</b> `x` *y* _z_ \\ | {w} (v) !u")
    assert text == ("Q&amp;A: &lt;b&gt;\\[draft\\]&lt;/b&gt; \\`x\\` \\*y\\* \\_z\\_ \\\\ \\| "
                    "\\{w\\} \\(v\\) \\!u")
    line = f"- [ ] {text} — learned in [{text}]({SITE}records/x/)\n"
    assert sanitise(line, SITE) == line


def test_an_artifact_past_what_is_read_is_cut_at_a_whole_line(tmp_path: Path) -> None:
    artifact = tmp_path / "comment.md"
    # One line longer than everything read: nothing of it is posted, only the note.
    artifact.write_bytes(b"x" * (READ_LIMIT + 10) + b"\n")
    assert comment(artifact, tmp_path / "mkdocs.yml") == CUT_NOTE + "\n"
    # Four-byte characters: READ_LIMIT bytes are exactly LIMIT characters, and still cut.
    line = "\U0001f600" * 99 + "\n"
    artifact.write_text(line * (READ_LIMIT // len(line.encode()) + 1), encoding="utf-8")
    body = comment(artifact, tmp_path / "mkdocs.yml")
    assert len(body) <= LIMIT + len(CUT_NOTE) + 3 and body.endswith("\n\n" + CUT_NOTE + "\n")
    assert set(body.removesuffix("\n\n" + CUT_NOTE + "\n").split("\n")) == {line[:-1]}
