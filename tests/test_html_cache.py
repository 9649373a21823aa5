"""The HTML cache: a generated page is converted once, reused while its Markdown is unchanged,
never served stale, never read from a commit, and the site it builds is byte-identical."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from conftest import FIXTURES
from gittools import commit_all, git, init
from sitetools import differing_files, make_project, mkdocs_build

AS_OF = "2026-07-20"
RECORD_PAGE = Path("site/records/2026-05-sales/index.html")


def _entries(project: Path) -> list[Path]:
    return sorted((project / ".hindsight-cache" / "html").glob("*/*.json"))


def _project(tmp_path: Path) -> Path:
    project = make_project(tmp_path / "project", FIXTURES / "corpus")
    (project / ".gitignore").write_text(".hindsight-cache/\nsite/\n")
    init(project)
    commit_all(project, "records", "Ana Silva", "2026-06-01T09:00:00+00:00")
    return project


def test_cached_pages_build_the_same_site_and_follow_every_change(tmp_path: Path) -> None:
    project = _project(tmp_path)
    assert mkdocs_build(project, AS_OF).returncode == 0
    entries = _entries(project)
    assert len(entries) > 10  # every generated page but the tags index
    cold = tmp_path / "cold"
    shutil.copytree(project / "site", cold)

    # Warm: every page comes from the cache, and the site is byte-identical.
    result = mkdocs_build(project, AS_OF)
    assert result.returncode == 0, result.stderr
    assert differing_files(cold, project / "site") == []
    assert _entries(project) == entries

    # Entries cut short (a crash before the disk had them all) are converted again: their
    # pages were published empty, on every build after.
    for entry in entries[:5]:
        entry.with_suffix(".html").write_bytes(b"")
    for entry in entries[5:10]:
        html = entry.with_suffix(".html")
        html.write_bytes(html.read_bytes()[:50])
    result = mkdocs_build(project, AS_OF)
    assert result.returncode == 0, result.stderr
    assert differing_files(cold, project / "site") == []

    # A saved record: its page shows the new text at once, and the entry it replaced is pruned.
    record = project / "retros" / "2026-05-sales.md"
    record.write_text(record.read_text().replace("ICP drift came back", "The deck was the culprit"))
    assert mkdocs_build(project, AS_OF).returncode == 0
    page = (project / RECORD_PAGE).read_text()
    assert "The deck was the culprit" in page and "ICP drift came back" not in page
    assert len(_entries(project)) == len(entries)
    assert _entries(project) != entries

    # The same site as a build that converts every page afresh.
    warm = tmp_path / "warm"
    shutil.copytree(project / "site", warm)
    env_before = os.environ.get("HINDSIGHT_NO_CACHE")
    os.environ["HINDSIGHT_NO_CACHE"] = "1"
    try:
        assert mkdocs_build(project, AS_OF).returncode == 0
    finally:
        if env_before is None:
            del os.environ["HINDSIGHT_NO_CACHE"]
        else:
            os.environ["HINDSIGHT_NO_CACHE"] = env_before
    assert differing_files(warm, project / "site") == []


def test_cached_html_is_used_locally_but_never_from_a_commit(tmp_path: Path) -> None:
    project = _project(tmp_path)
    assert mkdocs_build(project, AS_OF).returncode == 0
    # Tamper with every cached page (its length kept: one cut short is made again): a local
    # entry is trusted (it is this machine's own)...
    assert len("ICP drift came back") == len("TAMPERED came back!")
    for entry in (project / ".hindsight-cache" / "html").glob("*/*.html"):
        entry.write_text(entry.read_text().replace("ICP drift came back", "TAMPERED came back!"))
    assert mkdocs_build(project, AS_OF).returncode == 0
    assert "TAMPERED" in (project / RECORD_PAGE).read_text()

    # ...but once .hindsight-cache/ is committed, the cache is ignored and the build says why.
    git(project, "add", "-f", ".hindsight-cache")
    git(project, "commit", "-q", "-m", "cache")
    result = mkdocs_build(project, AS_OF)
    assert result.returncode == 0, result.stderr
    assert ".hindsight-cache/ is committed to git" in result.stderr
    page = (project / RECORD_PAGE).read_text()
    assert "TAMPERED" not in page and "ICP drift came back" in page


def test_a_cached_page_still_has_its_section_links_checked(tmp_path: Path) -> None:
    """A page taken from the cache keeps its links into other pages' sections: when the
    target no longer has that section, the strict build fails as it did when the page was
    converted (a cached page used to skip the check, so a failed build passed on its rerun).
    The target losing a section while the linking page's Markdown stays the same is made
    here by removing the anchor from the other cached pages."""
    import json

    project = _project(tmp_path)
    assert mkdocs_build(project, AS_OF).returncode == 0
    meta = {entry: json.loads(entry.read_text()) for entry in _entries(project)}
    # A cached page linking into a section of another page (not its own).
    source, target, anchor = next(
        (entry, target, anchor) for entry, data in meta.items()
        for target, links in sorted(data["links"].items()) for anchor in sorted(links)
        if anchor not in data["anchors"])
    for entry, data in meta.items():
        if entry != source and anchor in data["anchors"]:
            data["anchors"].remove(anchor)
            entry.write_text(json.dumps(data))
    result = mkdocs_build(project, AS_OF)
    assert result.returncode == 1
    assert f"the doc '{target}' does not contain an anchor '#{anchor}'" in result.stderr
