"""A large corpus: the corpus maker writes valid records, pages stay bounded, and the
benchmark runs end to end at N = 1,000 (a smoke test: it asserts completion and that every
figure is reported, never a speed)."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REPO
from generator.bench.corpus import make_corpus
from generator.site.build import build
from generator.site.charts import ChartCache
from sitetools import CHROMIUM

AS_OF = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    root = tmp_path_factory.mktemp("large")
    written = make_corpus(600, root)
    assert written["retros"] == 480 and written["actions"] > 800
    generated = build(root, AS_OF, cache=ChartCache())
    assert not generated.result.problems.errors
    return root, generated.files


def test_corpus_maker_writes_valid_records(large: tuple[Path, dict[str, bytes]]) -> None:
    _, files = large
    assert sum(1 for p in files if p.startswith("records/")) == 600


def test_closed_actions_move_to_year_pages(large: tuple[Path, dict[str, bytes]]) -> None:
    _, files = large
    years = [p for p in files if p.startswith("actions/20") and p.endswith(".md")]
    assert years
    register = files["actions/index.md"].decode()
    assert all(f"({Path(p).name}#" in register for p in years)
    assert len(register) < 400_000


def test_indicator_pages_link_to_full_per_team_tables(large: tuple[Path, dict[str, bytes]]) -> None:
    _, files = large
    subpages = [p for p in files if p.startswith("indicators/mql-to-sql/")]
    assert subpages
    page = files["indicators/mql-to-sql.md"].decode()
    assert "The last twelve months; [every reading" in page
    assert all(Path(p).name in page for p in subpages)


def test_busy_cause_pages_list_every_citation_compactly(large: tuple[Path, dict[str, bytes]]) -> None:
    _, files = large
    page = files["causes/icp-drift.md"].decode()
    assert "<thead><tr><th>Date</th><th>Record</th><th>Team</th><th>Where the whys ended</th>" \
        in page
    assert page.count("### ") == 20


def _cited(root: Path, cause: str) -> tuple[set[str], set[str]]:
    """The records citing ``cause`` and the actions raised against it, read from the records'
    own front matter (not from the generator's links)."""
    records: set[str] = set()
    actions: set[str] = set()
    for path in [*root.glob("retros/*.md"), *root.glob("postmortems/*.md")]:
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        # A retro cites a cause with its whys; a post-mortem may name it alone.
        if any((c if isinstance(c, str) else c.get("cause")) == cause
               for c in front.get("causes") or []):
            records.add(path.stem)
        actions.update(a["id"] for a in front.get("actions") or [] if a.get("cause") == cause)
    return records, actions


def _listed(page: str) -> tuple[list[str], list[str]]:
    """The records linked in a cause page's citations table and the action ids in its
    actions table, in order, repeats kept."""
    cited = page.split("## Cited in")[1].split("## Actions raised")[0]
    table = cited.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in cited else ""
    actions = page.split("## Actions raised")[1]
    # Each citation is named by its record, the row's header.
    return (re.findall(r'<th scope="row"><a href="(?:\.\./)+records/([^/"]+)/">', table),
            re.findall(r'<th scope="row" class="hs-id"><span class="hs-stack__label">Action: '
                       r"</span><code>([^<]+)</code>", actions))


def test_busy_cause_pages_keep_the_newest_and_give_each_year_a_page(
        large: tuple[Path, dict[str, bytes]]) -> None:
    root, files = large
    records, actions = _cited(root, "icp-drift")
    assert len(records) > 100 and len(actions) > 100  # busy enough to be split
    page = files["causes/icp-drift.md"].decode()
    listed_records, listed_actions = _listed(page)
    assert len(listed_records) == 100 and set(listed_records) <= records
    # Every open action stays on the page, besides the 100 most recent closed ones.
    assert 100 < len(listed_actions) < len(actions)
    years = sorted(p for p in files if p.startswith("causes/icp-drift/"))
    assert len(years) >= 2 and all(f"icp-drift/{Path(p).name})" in page for p in years)
    # The year pages list every citation and every action exactly once.
    by_year = [_listed(files[p].decode()) for p in years]
    every_record = [r for rs, _ in by_year for r in rs]
    every_action = [a for _, acts in by_year for a in acts]
    assert sorted(every_record) == sorted(records)
    assert sorted(every_action) == sorted(actions)
    # Megabytes at 10,000 records before; a page a phone opens now.
    assert len(page) < 200_000


def test_indicator_pages_keep_the_recent_done_actions(large: tuple[Path, dict[str, bytes]]) -> None:
    _, files = large
    page = files["indicators/win-rate.md"].decode()
    sections = page.split("\n## ")[1:]
    cut = 0
    for section in sections:
        heading = section.split("\n", 1)[0]
        if "#latest-by-team" in heading or "#by-quarter" in heading:  # before the teams
            continue
        team = re.search(r"\{ #([^ ]+) \}", heading)
        assert team is not None, heading
        # Other teams' actions judged on this team's readings are listed after its own.
        done = re.search(r"</span> (\d+) actions? aimed at this indicator, done"
                         r"(?:, and (\d+) of other teams)?", section)
        shown = section.count("<li><code>")
        if done is None:
            continue
        total, others = int(done[1]), int(done[2] or 0)
        assert shown == min(total, 24) + min(others, 24)
        if max(total, others) > 24:
            cut += 1
            assert f"win-rate/{team[1]}/\">every one</a>" in section
            own = files[f"indicators/win-rate/{team[1]}.md"].decode()
            assert own.count("<li><code>") == total + others
    assert cut  # the corpus has teams past the cut


def test_busy_owner_pages_keep_the_recent_closed_actions_and_give_each_year_a_page(
        large: tuple[Path, dict[str, bytes]], monkeypatch: pytest.MonkeyPatch) -> None:
    from generator.site import render

    root, _ = large
    # Owners of the 600-record corpus have about 90 actions each: at a lower bar, their
    # pages split as a busy owner's do (over a hundred closed actions at 10,000 records).
    monkeypatch.setattr(render, "OWNER_INLINE", 20)
    files = build(root, AS_OF, cache=ChartCache()).files
    owned: dict[str, str] = {}  # action id → owner, read from the records
    for path in [*root.glob("retros/*.md"), *root.glob("postmortems/*.md")]:
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])
        owned.update({a["id"]: a["owner"] for a in front.get("actions") or []})
    ids = re.compile(r'<th scope="row" class="hs-id"><span class="hs-stack__label">Action: '
                     r"</span><code>([^<]+)</code>")
    page = files["actions/owners/ana-silva.md"].decode()
    years = sorted(p for p in files if p.startswith("actions/owners/ana-silva/"))
    assert len(years) >= 2
    on_page = ids.findall(page)
    in_years = [a for p in years for a in ids.findall(files[p].decode())]
    mine = sorted(a for a, owner in owned.items() if owner == "Ana Silva")
    totals = {key: int(n) for n, key in re.findall(r"\[(\d+)\]\(#(done-late|done|dropped)\)", page)}
    assert sum(totals.values()) > 20
    for key, heading in (("done-late", "Done late"), ("done", "Done on time"),
                         ("dropped", "Dropped")):
        section = page.split(f"## {heading}")[1].split("\n## ")[0]
        assert len(ids.findall(section)) == min(totals[key], 20)
        assert ("most recently due of" in section) == (totals[key] > 20)
    # Each closed action is on exactly one year page; open ones stay on the owner's page.
    assert len(in_years) == len(set(in_years))
    assert sorted(set(on_page) | set(in_years)) == mine
    assert all(f"ana-silva/{Path(p).stem}.md#" in page for p in years)


def test_many_teams_list_retros_by_team(large: tuple[Path, dict[str, bytes]]) -> None:
    _, files = large
    assert "## By team" in files["retros/index.md"].decode()


def test_benchmark_smoke_reports_every_figure(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    result = subprocess.run(
        [sys.executable, "-m", "generator.bench", "run", "--sizes", "1000", "--runs", "1",
         "--json", str(out)],
        cwd=REPO, capture_output=True, text=True, timeout=1800, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    for label in ("validate:", "generator alone:", "mkdocs build:", "generator share:",
                  "rebuild, nothing changed:", "rebuild, one record changed", "chart charts/",
                  "recall, one record (retros/", "full build / plain prose:",
                  "peak memory of the whole build:", "| figure | 1,000 records | target |",
                  "generator re-run, one record changed", "page served updated in"):
        assert label in result.stdout, label
    assert result.stdout.count("search index:") == 2  # the sample, then N = 1,000
    assert "search indexing:" in result.stdout
    sample, figures = json.loads(out.read_text())
    assert sample["records"] == "sample" and sample["search_index_bytes"] > 0
    assert figures["records"] == 1000
    # The re-run figure is the median of three runs, one change before each.
    assert sorted(figures["rerun"]["runs"])[1] == figures["rerun"]["seconds"]
    assert "(median of 3:" in result.stdout
    # The heaviest pages were opened in the browser: each transferred at least its HTML.
    heaviest = figures["heaviest_pages"]
    assert len(heaviest) == 3 and result.stdout.count("heaviest page:") == 3
    assert all(p["bytes"] >= p["html_bytes"] > 0 for p in heaviest)
    assert figures["search_index_bytes"] > sample["search_index_bytes"]
    assert figures["search_index"]["pages"] > 1000 and figures["search_index"]["index_seconds"] > 0
    assert "build incl. indexing: at most" in result.stdout
    if CHROMIUM is not None:
        _assert_first_search_found_the_postmortem(result.stdout, sample, figures, tmp_path)


def _assert_first_search_found_the_postmortem(stdout: str, sample: dict[str, Any],
                                              figures: dict[str, Any], tmp_path: Path) -> None:
    """The benchmark typed a post-mortem's name into the 1,000-record site's search box in
    Chromium: its page is among the results, and the bytes that search fetched are printed."""
    search = figures["first_search"]
    # The corpus maker is seeded: the same corpus again names the post-mortem searched for.
    make_corpus(1000, tmp_path / "again")
    record = tmp_path / "again" / "postmortems" / (search["expected"].split("/")[1] + ".md")
    assert f'name: "{search["query"]}"' in record.read_text(encoding="utf-8")
    assert search["expected"] in search["results"], search["results"]
    assert search["bytes"] > 0 and search["requests"] > 0
    assert f"first search:      {search['bytes'] / 1024:7.0f} KiB" in stdout
    # The sample's newest post-mortem, by its name, too.
    newest = sorted((REPO / "postmortems").glob("*.md"))[-1]
    assert sample["first_search"]["expected"] == f"records/{newest.stem}/"
    assert sample["first_search"]["expected"] in sample["first_search"]["results"]
    for key in ("validate", "generator", "mkdocs", "warm", "one_change", "recall"):
        assert figures[key]["seconds"] > 0 and figures[key]["peak_mib"] > 0
    assert figures["rerun"]["seconds"] > 0 and figures["serve_save"]["seconds"] > 0
    # The re-run is `hindsight generate` itself; the stage breakdown re-rendered the record.
    rerun = figures["rerun"]["stages"]
    assert figures["rerun"]["peak_mib"] > 0 and 1 <= rerun["rendered"] < rerun["reused"]
    assert 0 < figures["generator_share"] < 10
    assert len(figures["one_change"]["drawn"]) >= 1  # the changed record's chart, redrawn
    # One interleaved pair of full builds: Hindsight's, and the same pages as plain prose.
    (pair,) = figures["build"]["pairs"]
    assert pair["hindsight"]["seconds"] > 0 and pair["prose"]["seconds"] > 0
    if sys.platform.startswith("linux"):  # the build samples itself and the indexer beside it
        assert pair["hindsight"]["together_mib"] > pair["hindsight"]["child_peak_mib"] > 0
    assert figures["build"]["ratio"] == pytest.approx(
        pair["hindsight"]["seconds"] / pair["prose"]["seconds"])


def test_benchmark_recall_only_reports_the_answer_time(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    result = subprocess.run(
        [sys.executable, "-m", "generator.bench", "run", "--sizes", "300", "--recall-only",
         "--json", str(out)], cwd=REPO, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "recall, one record (retros/" in result.stdout
    assert "recall, one record (postmortems/" in result.stdout
    for label in ("validate, no cache", "validate, cold (writing the cache)",
                  "validate, warm (nothing changed)"):
        assert label in result.stdout, label
    figures = json.loads(out.read_text())[0]
    for key in ("no_cache", "writing", "warm"):
        assert figures["record_cache"][key]["cpu"] > 0
        assert figures["record_cache"][key]["records"] == figures["record_cache"]["no_cache"][
            "records"] > 0
    assert figures["recall"]["cpu"] > 0
    assert "hindsight recall" in result.stdout and "(the whole command)" in result.stdout
    for key in ("recall", "recall_postmortem"):
        command = figures[key]["command"]
        assert command["seconds"] > 0 and command["cpu"] > 0 and command["peak_mib"] > 0
        assert command["chars"] > 0
        assert figures[key]["answer"] > 0 and figures[key]["chars"] > 0
        assert figures[key]["answer"] == pytest.approx(figures[key]["link"] + figures[key]["recall"])
