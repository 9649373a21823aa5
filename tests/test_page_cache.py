"""The page cache: a re-run renders again only the pages whose inputs changed, and what it
produces is byte-identical to a full render of the same records."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from conftest import REPO
from generator.charts import ChartCache
from generator.page_cache import PAGES_FILE, PageCache
from generator.paths import RenderOptions
from generator.site import build
from gittools import commit_all, init

AS_OF = dt.date(2026, 11, 23)
OPTIONS = RenderOptions(repo_url="https://example.com/acme/kb", site_url="https://example.com/kb/")


def _sample(root: Path) -> Path:
    """The repository's own knowledge base, in a git repository of its own."""
    init(root)
    for name in ("taxonomy.yml", "mkdocs.yml"):
        shutil.copy(REPO / name, root / name)
    for folder in ("retros", "postmortems"):
        shutil.copytree(REPO / folder, root / folder)
    commit_all(root, "The records", "Dana Ruiz", "2026-11-01T09:00:00+00:00")
    return root


def _incremental(root: Path, charts: ChartCache) -> tuple[dict[str, bytes], PageCache]:
    """A run as `hindsight generate` makes it: the page cache on disk, a fresh cache object."""
    pages = PageCache(folder=root)
    return build(root, AS_OF, OPTIONS, charts, pages=pages).files, pages


def _full(root: Path, charts: ChartCache) -> dict[str, bytes]:
    """Every page rendered afresh (a cache that keeps nothing)."""
    return build(root, AS_OF, OPTIONS, charts, pages=PageCache()).files


NEW_RETRO = """---
type: retro
period: 2025-03
team: sales
held: 2025-04-03
facilitator: "Elena Vasquez"
format: good-bad-ugly
good: ["The March pipeline review ran on time"]
bad: ["Two enterprise deals slipped to April"]
causes:
  - cause: lead-routing
    whys: ["Two deals slipped", "Routing sent them to the wrong team"]
actions:
  - id: SAL-2025-03-1
    title: "Check the routing rules every week"
    owner: "Elena Vasquez"
    due: 2025-04-30
    status: open
---
A short March retro, added later.
"""


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _sample(tmp_path_factory.mktemp("kb") / "kb")


def test_a_rerun_with_nothing_changed_renders_nothing(sample: Path) -> None:
    charts = ChartCache()
    first, pages = _incremental(sample, charts)
    assert pages.rendered and pages.hits == 0  # nothing kept yet: every page rendered
    assert "records/2026-05-sales.md" in pages.rendered
    kept = len(pages.rendered)
    assert (sample / PAGES_FILE).is_file()
    again, pages = _incremental(sample, charts)
    assert pages.rendered == []
    assert pages.hits == kept
    assert again == first


def test_editing_a_record_renders_its_page_again_byte_identical_to_a_full_render(
        sample: Path) -> None:
    charts = ChartCache()
    before, _ = _incremental(sample, charts)
    record = sample / "retros" / "2026-05-sales.md"
    # Only the record's own text: no page but its own shows it.
    _edit(record, "  - \"Enterprise won 3/10\"\n",
          "  - \"Enterprise won 3/10\"\n  - \"Quarterly planning notes were finally shared\"\n")
    commit_all(sample, "Edit a record", "Lee Park", "2026-11-02T09:00:00+00:00")
    after, pages = _incremental(sample, charts)
    assert after == _full(sample, charts)
    assert "records/2026-05-sales.md" in pages.rendered
    assert b"Quarterly planning notes were finally shared" in after["records/2026-05-sales.md"]
    assert b"Quarterly planning notes" not in before["records/2026-05-sales.md"]
    # Pages that only list the record (its owner's actions, its team) were not rendered again.
    assert "actions/owners/elena-vasquez.md" not in pages.rendered
    assert "teams/sales.md" not in pages.rendered
    assert "records/2025-06-marketing.md" not in pages.rendered


def test_moving_a_due_date_and_a_reading_renders_the_pages_that_show_them(sample: Path) -> None:
    charts = ChartCache()
    _incremental(sample, charts)
    record = sample / "retros" / "2026-05-sales.md"
    _edit(record, "    due: 2026-06-12\n", "    due: 2026-06-19\n")
    _edit(record, "  pipeline-velocity: 43200\n", "  pipeline-velocity: 41700\n")
    commit_all(sample, "Move a due date", "Lee Park", "2026-11-03T09:00:00+00:00")
    after, pages = _incremental(sample, charts)
    assert after == _full(sample, charts)
    for path in ("records/2026-05-sales.md", "actions/owners/elena-vasquez.md",
                 "causes/lead-routing.md", "indicators/pipeline-velocity.md"):
        assert path in pages.rendered, path
    assert b"2026-06-19" in after["actions/owners/elena-vasquez.md"]
    # An indicator the record's change did not touch keeps its page.
    assert "indicators/mqls.md" not in pages.rendered


def test_a_new_record_and_a_removed_one_match_a_full_render(sample: Path) -> None:
    charts = ChartCache()
    _incremental(sample, charts)
    # A retro for a month before the team's first, and the newest marketing retro gone.
    (sample / "retros" / "2025-03-sales.md").write_text(NEW_RETRO, encoding="utf-8")
    (sample / "retros" / "2026-10-marketing.md").unlink()
    commit_all(sample, "Add and remove", "Lee Park", "2026-11-04T09:00:00+00:00")
    after, pages = _incremental(sample, charts)
    assert after == _full(sample, charts)
    assert "records/2025-03-sales.md" in pages.rendered
    assert "records/2026-10-marketing.md" not in after
    assert "actions/owners/elena-vasquez.md" in pages.rendered  # her new action is listed
