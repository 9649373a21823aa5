"""The page cache: a re-run renders again only the pages whose inputs changed, and what it
produces is byte-identical to a full render of the same records."""

from __future__ import annotations

import datetime as dt
import json
import pickle
import shutil
from pathlib import Path

import pytest

from conftest import REPO, run_cli
from generator.errors import CacheError
from generator.paths import PAGES, RenderOptions
from generator.records.load import CACHE_DIR
from generator.site import page_cache
from generator.site.build import build
from generator.site.charts import ChartCache
from generator.site.page_cache import PAGES_FILE, RECENT_FILE, STORE_FOLDER, PageCache
from generator.site.page_cache import stamp as page_stamp
from generator.site.settings import render_options
from generator.site.tree import Stored, content_digest, store_path
from gittools import commit_all, git, init

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
    """A run as `hindsight generate` makes it: the page cache on disk, a fresh cache object.
    Every page is read now (reused ones from the page store, checked against their digest):
    the next run may delete the store files of pages it renders again."""
    pages = PageCache(folder=root)
    return dict(build(root, AS_OF, OPTIONS, charts, pages=pages).files), pages


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


def test_an_edit_to_the_site_s_markdown_extensions_renders_the_record_pages_again(
        tmp_path: Path) -> None:
    """Record pages are fingerprinted by their files, and show bodies as the site's Markdown
    renders them: a fence kept showing as inline code after superfences was added (here to
    the base file mkdocs.yml inherits), until the cache was deleted."""
    root = _sample(tmp_path / "kb")
    config = root / "mkdocs.yml"
    own, extensions = config.read_text(encoding="utf-8").split("markdown_extensions:\n", 1)
    extensions, rest = extensions.split("\n\n", 1)
    base = root / "base.yml"
    base.write_text(f"markdown_extensions:\n{extensions}\n", encoding="utf-8")
    config.write_text(f"INHERIT: base.yml\n{own}{rest}", encoding="utf-8")
    record = root / "retros" / "2026-05-sales.md"
    record.write_text(record.read_text(encoding="utf-8") + "\nThe query:\n\n```sql\nselect 1;\n```\n",
                      encoding="utf-8")
    commit_all(root, "A base configuration", "Lee Park", "2026-11-02T09:00:00+00:00")
    charts = ChartCache()
    before, _ = _incremental(root, charts)
    assert b"<code>sql\nselect 1;</code>" in before["records/2026-05-sales.md"]
    base.write_text(base.read_text(encoding="utf-8") + "  - pymdownx.superfences\n",
                    encoding="utf-8")
    after, pages = _incremental(root, charts)
    assert b'<span class="k">select</span>' in after["records/2026-05-sales.md"]
    assert "records/2026-05-sales.md" in pages.rendered
    assert after == _full(root, charts)


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


HOME, CAUSES = PAGES["home"], PAGES["causes"]


def test_the_home_page_and_the_causes_index_are_kept_until_what_they_show_changes(
        sample: Path) -> None:
    charts = ChartCache()
    _incremental(sample, charts)  # the cache filled from the sample as it is
    record = sample / "retros" / "2026-05-marketing.md"
    # A record's prose: neither page shows it.
    _edit(record, "causes:\n", "good:\n  - \"The webinar series found its audience\"\ncauses:\n")
    commit_all(sample, "Prose only", "Lee Park", "2026-11-06T09:00:00+00:00")
    after, pages = _incremental(sample, charts)
    assert after == _full(sample, charts)
    assert HOME not in pages.rendered and CAUSES not in pages.rendered
    # An action's due date: the home page's registers and follow-through count every action.
    _edit(record, "    due: 2026-07-01\n", "    due: 2026-07-09\n")
    commit_all(sample, "Move a due date", "Lee Park", "2026-11-07T09:00:00+00:00")
    moved, pages = _incremental(sample, charts)
    assert moved == _full(sample, charts)
    assert HOME in pages.rendered
    # A cause cited by another name: both pages count the citations of every cause.
    _edit(record, "  - cause: sdr-ae-handoff\n", "  - cause: list-quality\n")
    commit_all(sample, "Cite another cause", "Lee Park", "2026-11-08T09:00:00+00:00")
    cited, pages = _incremental(sample, charts)
    assert cited == _full(sample, charts)
    assert CAUSES in pages.rendered and cited[CAUSES] != moved[CAUSES]
    assert HOME in pages.rendered and cited[HOME] != moved[HOME]


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


# The pages of analysis results (checklists, calibration, win/loss, what followed each fix)
# are cached too, fingerprinted by the results they show.
RESULT_PAGES = ("plan/index.md", "plan/deal.md", "plan/assumptions.md", "plan/calibration.md",
                "postmortems/win-loss.md", "actions/effectiveness.md")
PELLHAM = Path("postmortems") / "2025-08-the-pellham-loss.md"


def test_result_pages_are_kept_when_nothing_they_show_changed(sample: Path) -> None:
    charts = ChartCache()
    _incremental(sample, charts)
    # A retro's own prose: no checklist, ledger or verdict shows it.
    _edit(sample / "retros" / "2026-05-sales.md", "  - \"Enterprise won 3/10\"\n",
          "  - \"Enterprise won 3/10\"\n  - \"The board pack went out a day early\"\n")
    commit_all(sample, "Prose only", "Lee Park", "2026-11-05T09:00:00+00:00")
    after, pages = _incremental(sample, charts)
    assert after == _full(sample, charts)
    # The checklists its lessons are on list it: they are rendered again (a page keyed by
    # a record's content digest may show any part of it). Nothing else of these is.
    assert "plan/index.md" in pages.rendered and "plan/pricing.md" in pages.rendered
    for path in RESULT_PAGES:
        if path != "plan/index.md":
            assert path not in pages.rendered, path
    for path in ("data/records.json", "data/records.csv", "data/actions.json", "data/actions.csv"):
        assert path not in pages.rendered, path  # no row changed


def test_a_new_lesson_renders_the_checklists_again(sample: Path) -> None:
    charts = ChartCache()
    before, _ = _incremental(sample, charts)
    _edit(sample / PELLHAM, 'lesson: "Ask in the first call who signs, and meet them before the demo."',
          'lesson: "Meet whoever signs before the first demo, whatever the champion says."')
    commit_all(sample, "Reword a lesson", "Lee Park", "2026-11-06T09:00:00+00:00")
    after, pages = _incremental(sample, charts)
    assert after == _full(sample, charts)
    assert "plan/index.md" in pages.rendered
    assert "plan/deal.md" in pages.rendered
    assert b"Meet whoever signs before the first demo" in after["plan/deal.md"]
    assert b"Meet whoever signs" not in before["plan/deal.md"]
    # Win/loss lists the lessons of lost deals; what followed each fix does not.
    assert b"Meet whoever signs before the first demo" in after["postmortems/win-loss.md"]
    assert "actions/effectiveness.md" not in pages.rendered


def test_an_assumption_that_held_renders_the_ledger_and_calibration_again(sample: Path) -> None:
    charts = ChartCache()
    before, _ = _incremental(sample, charts)
    _edit(sample / PELLHAM, '  - statement: "Corvex was only talking to IT."\n'
          '    category: competition\n    held: false\n',
          '  - statement: "Corvex was only talking to IT."\n'
          '    category: competition\n    held: true\n')
    commit_all(sample, "It held after all", "Lee Park", "2026-11-07T09:00:00+00:00")
    after, pages = _incremental(sample, charts)
    assert after == _full(sample, charts)
    for path in ("plan/assumptions.md", "plan/calibration.md", "plan/deal.md"):
        assert path in pages.rendered, path
        assert after[path] != before[path], path


def test_a_lost_deal_reason_renders_win_loss_again(sample: Path) -> None:
    charts = ChartCache()
    before, _ = _incremental(sample, charts)
    _edit(sample / PELLHAM, "reasons: [exec-sponsor, security]", "reasons: [exec-sponsor]")
    commit_all(sample, "One reason", "Lee Park", "2026-11-08T09:00:00+00:00")
    after, pages = _incremental(sample, charts)
    assert after == _full(sample, charts)
    assert "postmortems/win-loss.md" in pages.rendered
    assert after["postmortems/win-loss.md"] != before["postmortems/win-loss.md"]


def test_a_reading_after_a_fix_renders_what_followed_it_again(
        sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.site import export

    charts = ChartCache()
    before, _ = _incremental(sample, charts)
    written: list[int] = []  # rows of the readings export written, per run
    lines = export._reading_lines
    monkeypatch.setattr(export, "_reading_lines",
                        lambda table: written.append(len(table)) or lines(table))
    # February's tier-2 sales cycle: a month in the "after" of fixes raised in late 2025.
    _edit(sample / "retros" / "2026-02-sales.md", "    tier-2: 67\n", "    tier-2: 127\n")
    commit_all(sample, "A reading", "Lee Park", "2026-11-09T09:00:00+00:00")
    after, pages = _incremental(sample, charts)
    assert after == _full(sample, charts)
    assert "actions/effectiveness.md" in pages.rendered
    assert after["actions/effectiveness.md"] != before["actions/effectiveness.md"]
    assert "plan/calibration.md" not in pages.rendered
    # The readings export is written again from its parts: only Sales' sales-cycle rows (one
    # part of one per indicator and team) are written; the full render writes every row.
    assert "data/readings.csv" in pages.rendered and b",127," in after["data/readings.csv"]
    rows = after["data/readings.csv"].decode().splitlines()[1:]
    part = [r for r in rows if r.split(",")[1:3] == ["sales", "sales-cycle"]]
    assert written == [len(part), len(rows)] and len(part) < len(rows) / 4


def test_another_as_of_date_renders_the_result_pages_again(sample: Path) -> None:
    charts = ChartCache()
    _incremental(sample, charts)
    pages = PageCache(folder=sample)
    later = build(sample, AS_OF + dt.timedelta(days=40), OPTIONS, charts, pages=pages).files
    for path in RESULT_PAGES:
        assert path in pages.rendered, path
    assert later == build(sample, AS_OF + dt.timedelta(days=40), OPTIONS, charts,
                          pages=PageCache()).files


def test_a_value_the_fingerprint_cannot_see_is_refused() -> None:
    cache = PageCache()
    assert cache.token_of({"a": [(1, 2.5)], "b": None}, repr) == [("a", [[1, 2.5]]), ("b", None)]
    with pytest.raises(TypeError, match="no fingerprint for object"):
        cache.token_of([object()], repr)


def test_the_exports_are_written_again_when_a_row_changes(sample: Path) -> None:
    charts = ChartCache()
    before, _ = _incremental(sample, charts)
    _edit(sample / "retros" / "2026-02-sales.md", 'title: "Sales retro — February 2026"',
          'title: "Sales retro, renamed"')
    commit_all(sample, "Rename", "Lee Park", "2026-11-10T09:00:00+00:00")
    after, pages = _incremental(sample, charts)
    assert after == _full(sample, charts)
    for path in ("data/records.json", "data/records.csv"):
        assert path in pages.rendered, path
        assert b"Sales retro, renamed" in after[path] and b"Sales retro, renamed" not in before[path]
    # The actions' rows show the id of the record that raised them, not its title.
    assert "data/actions.json" not in pages.rendered


def test_the_actions_export_is_written_again_when_an_update_changes(sample: Path) -> None:
    charts = ChartCache()
    before, _ = _incremental(sample, charts)
    # The update is in another record than the action: the row's done date comes from it.
    _edit(sample / "retros" / "2026-05-marketing.md", "done_on: 2026-05-22", "done_on: 2026-05-19")
    commit_all(sample, "Correct a done date", "Lee Park", "2026-11-11T09:00:00+00:00")
    after, pages = _incremental(sample, charts)
    assert after == _full(sample, charts)
    for path in ("data/actions.json", "data/actions.csv"):
        assert path in pages.rendered, path
        assert b"2026-05-19" in after[path] and b"2026-05-19" not in before[path]
    # The records' rows do not show updates.
    assert "data/records.json" not in pages.rendered


def test_a_moved_record_is_moved_in_the_exports(sample: Path) -> None:
    """Moving a file keeps a record's content (and digest) but changes its source path (and,
    renamed, its id and page): the exports' rows must follow, as a full render writes them."""
    import subprocess

    charts = ChartCache()
    _incremental(sample, charts)
    (sample / "retros" / "2026").mkdir()
    subprocess.run(["git", "mv", "retros/2026-03-sales.md", "retros/2026/2026-03-sales.md"],
                   cwd=sample, check=True, capture_output=True)
    commit_all(sample, "Move March into its year", "Lee Park", "2026-11-12T09:00:00+00:00")
    after, pages = _incremental(sample, charts)
    assert after == _full(sample, charts)
    rows = {row["id"]: row for row in json.loads(after["data/records.json"])}
    assert rows["2026-03-sales"]["source"] == "retros/2026/2026-03-sales.md"
    assert "data/records.json" in pages.rendered


# --- the page store: a reused page's bytes stay on disk until something asks for them --------


def _store_files(root: Path) -> set[str]:
    return {p.name for p in (root / STORE_FOLDER).rglob("*") if p.is_file()}


def test_a_rerun_reads_no_reused_page_and_keeps_one_store_file_per_content(sample: Path) -> None:
    charts = ChartCache()
    _incremental(sample, charts)
    pages = PageCache(folder=sample)
    files = build(sample, AS_OF, OPTIONS, charts, pages=pages).files
    assert pages.rendered == []
    # Every page was reused by reference: none of their bytes is in memory.
    reused = [path for path in files if path.endswith(".md") and path in pages.pages]
    assert reused and not set(reused) & set(files.in_memory())
    record = "records/2026-05-sales.md"
    assert files.digest(record) == content_digest(files[record])
    # One file per distinct content, no more: what the index names is what the store holds.
    assert _store_files(sample) == {content.digest for _, content in pages.pages.values()
                                    if isinstance(content, Stored)}


def test_a_page_rendered_again_leaves_no_stale_bytes_in_the_store(sample: Path) -> None:
    charts = ChartCache()
    before, _ = _incremental(sample, charts)
    old = content_digest(before["records/2026-05-sales.md"])
    assert old in _store_files(sample)
    _edit(sample / "retros" / "2026-05-sales.md", "  - \"Enterprise won 3/10\"\n",
          "  - \"Enterprise won 3/10\"\n  - \"A line that changes only this page\"\n")
    after, pages = _incremental(sample, charts)
    assert "records/2026-05-sales.md" in pages.rendered
    assert old not in _store_files(sample)
    assert content_digest(after["records/2026-05-sales.md"]) in _store_files(sample)


def test_a_few_changed_pages_write_only_what_differs_from_the_index(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _sample(tmp_path / "kb")
    charts = ChartCache()
    _incremental(root, charts)
    index, recent = root / PAGES_FILE, root / RECENT_FILE
    written = index.read_bytes()
    assert not recent.exists()
    record = "records/2026-05-sales.md"
    _edit(root / "retros" / "2026-05-sales.md", "  - \"Enterprise won 3/10\"\n",
          "  - \"Enterprise won 3/10\"\n  - \"A line only the record's page shows\"\n")
    after, pages = _incremental(root, charts)
    assert after == _full(root, charts)
    # The whole index is as it was; the recent file holds the record's page and its texts.
    assert index.read_bytes() == written
    differences = pickle.loads(recent.read_bytes())
    assert set(differences["changed"]["pages"]) == set(pages.rendered) and \
        record in pages.rendered
    assert len(differences["changed"]["words"]) == 1
    assert len(differences["removed"]["words"]) == 1  # the record's old text
    # Read over the index, it is the index: the next run renders nothing.
    again, pages = _incremental(root, charts)
    assert pages.rendered == [] and again == after
    # A recent file made over another index is not applied: the index alone is used.
    differences["generation"] = "another index"
    recent.write_bytes(pickle.dumps(differences))
    again, pages = _incremental(root, charts)
    assert record in pages.rendered and again == after
    # Once the differences are many, the whole index is written again, and no recent file.
    monkeypatch.setattr(page_cache, "RECENT_MIN", 0)
    monkeypatch.setattr(page_cache, "RECENT_SHARE", 10 ** 9)
    _edit(root / "retros" / "2026-05-sales.md", "A line only the record's page shows",
          "Another line only the record's page shows")
    again, pages = _incremental(root, charts)
    assert again == _full(root, charts)
    assert index.read_bytes() != written and not recent.exists()
    assert _incremental(root, charts)[1].rendered == []


def test_a_damaged_store_file_is_refused_removed_and_rendered_again(sample: Path) -> None:
    charts = ChartCache()
    _incremental(sample, charts)
    index = PageCache(folder=sample)
    index.open(page_stamp(sample, AS_OF, OPTIONS))
    _, stored = index.pages["teams/sales.md"]
    assert isinstance(stored, Stored)
    text = Path(stored.file).read_bytes()
    # Same length, other bytes: published as it is, this would show what no record says.
    Path(stored.file).write_bytes(text.replace(b"Sales", b"Sa1es", 1))
    files = build(sample, AS_OF, OPTIONS, charts, pages=PageCache(folder=sample)).files
    with pytest.raises(CacheError, match=r"pages/.* was damaged .* and is removed; run the "
                       "command again to render the page afresh"):
        files["teams/sales.md"]
    assert not Path(stored.file).exists()
    pages = PageCache(folder=sample)
    files = build(sample, AS_OF, OPTIONS, charts, pages=pages).files
    assert pages.rendered == ["teams/sales.md"]
    assert files["teams/sales.md"] == text


def test_generate_stops_on_a_damaged_page_and_the_next_run_mends_it(sample: Path,
                                                                    tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ("generate", "--out", str(out), "--root", str(sample), "--as-of", AS_OF.isoformat())
    assert run_cli(*args).exit_code == 0
    before = (out / "teams" / "sales.md").read_bytes()
    out.joinpath("teams", "sales.md").unlink()  # the output must be written from the store
    index = PageCache(folder=sample)
    index.open(page_stamp(sample, AS_OF, render_options(sample)))
    _, stored = index.pages["teams/sales.md"]
    assert isinstance(stored, Stored)
    Path(stored.file).write_bytes(before.replace(b"Sales", b"Sa1es", 1))
    damaged = run_cli(*args)
    assert damaged.exit_code == 1
    assert "was damaged (its bytes do not match their digest) and is removed" in damaged.output
    assert "Traceback" not in damaged.output
    assert not (out / "teams" / "sales.md").exists()  # the previous output, untouched
    assert run_cli(*args).exit_code == 0
    assert (out / "teams" / "sales.md").read_bytes() == before


def test_store_files_and_charts_cut_short_are_made_again_in_one_run(sample: Path,
                                                                   tmp_path: Path) -> None:
    """A crash before the disk had them all leaves cache files empty or cut short. Charts were
    published empty (exit 0, every run after); damaged pages stopped the run one at a time.
    Every one is now made again, in the run that finds it, and the output is as before."""
    out = tmp_path / "out"
    args = ("generate", "--out", str(out), "--root", str(sample), "--as-of", AS_OF.isoformat())
    assert run_cli(*args).exit_code == 0
    before = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    stored = [p for p in (sample / STORE_FOLDER).rglob("*") if p.is_file()]
    charts = sorted((sample / CACHE_DIR / "charts").glob("*.svg"))
    assert len(stored) > 10 and len(charts) > 3
    for path in stored[: len(stored) // 2] + charts[:2]:
        path.write_bytes(b"")
    for path in stored[len(stored) // 2:] + charts[2:]:
        path.write_bytes(path.read_bytes()[:100])
    again = run_cli(*args)
    assert again.exit_code == 0, again.output
    after = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before


def test_a_cache_committed_to_git_is_never_read(tmp_path: Path) -> None:
    kb = _sample(tmp_path / "kb")
    out = tmp_path / "out"
    args = ("generate", "--out", str(out), "--root", str(kb), "--as-of", AS_OF.isoformat())
    assert run_cli(*args).exit_code == 0
    # Tamper with a kept page (its index made to agree) and a drawn chart, as a commit could.
    index_file = kb / PAGES_FILE
    index = pickle.loads(index_file.read_bytes())
    key, digest, _ = index["pages"]["teams/sales.md"]
    forged = Path(store_path(kb / STORE_FOLDER, digest)).read_bytes() + b"\nTAMPERED PAGE\n"
    forged_digest = content_digest(forged)
    Path(store_path(kb / STORE_FOLDER, forged_digest)).parent.mkdir(exist_ok=True)
    Path(store_path(kb / STORE_FOLDER, forged_digest)).write_bytes(forged)
    index["pages"]["teams/sales.md"] = (key, forged_digest, len(forged))
    index_file.write_bytes(pickle.dumps(index))
    chart = (out / "charts" / "causes.svg").read_bytes()
    for cached in (kb / ".hindsight-cache" / "charts").glob("*.svg"):
        if cached.read_bytes() == chart:
            cached.write_bytes(chart.replace(b"</svg>", b"<!-- TAMPERED CHART --></svg>"))
    # This machine's own cache is trusted...
    assert run_cli(*args).exit_code == 0
    assert b"TAMPERED PAGE" in (out / "teams" / "sales.md").read_bytes()
    assert b"TAMPERED CHART" in (out / "charts" / "causes.svg").read_bytes()
    # ...but once it is in git, nothing in it is read (nor the record cache written to).
    git(kb, "add", "-f", ".hindsight-cache")
    git(kb, "commit", "-q", "-m", "cache")
    record_cache_file = kb / ".hindsight-cache" / "records.pickle"
    before = record_cache_file.stat().st_mtime_ns
    _edit(kb / "retros" / "2026-05-sales.md", "  - \"Enterprise won 3/10\"\n",
          "  - \"Enterprise won 3/10\"\n  - \"A record changed after the commit\"\n")
    result = run_cli(*args)
    assert result.exit_code == 0
    assert "notice: .hindsight-cache/ is committed to git: every cache in it is ignored" in \
        result.output
    assert b"TAMPERED" not in (out / "teams" / "sales.md").read_bytes()
    assert b"TAMPERED" not in (out / "charts" / "causes.svg").read_bytes()
    assert b"A record changed after the commit" in \
        (out / "records" / "2026-05-sales.md").read_bytes()
    assert record_cache_file.stat().st_mtime_ns == before
