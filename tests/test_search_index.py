"""The search index is built after every build, by every way the site is built, and a failure
to build it is a clear error, never a traceback."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

import generator.site.search_index
from conftest import FIXTURES
from generator.errors import BuildError
from generator.site.search_index import index_site
from sitetools import CHROMIUM, make_project, mkdocs_build, search_pages

AS_OF = "2026-07-20"


def test_indexing_a_folder_without_a_site_names_it(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match=r"holds no built site \(index.html\)"):
        index_site(tmp_path)


def test_a_plain_mkdocs_build_writes_the_index_and_replaces_the_last_one(tmp_path: Path) -> None:
    project = make_project(tmp_path / "kb", FIXTURES / "corpus")
    result = mkdocs_build(project, AS_OF)
    assert result.returncode == 0, result.stderr
    assert "search index: " in result.stderr
    pages = search_pages(project / "site")
    assert "records/2026-05-sales/" in pages
    assert "quokka" not in pages["records/2026-05-sales/"]["content"]
    # A phone's list of the page's sections under its title is its headings said again:
    # on the page, not in the index.
    html = (project / "site" / "records" / "2026-05-sales" / "index.html").read_text("utf-8")
    assert '<nav class="hs-jump"' in html
    assert not [page for page, found in pages.items() if "Table of contents" in found["content"]]
    # Built again after a record's text changed: the index holds the new words.
    record = project / "retros" / "2026-05-sales.md"
    record.write_text(record.read_text(encoding="utf-8") + "\nA quokka visited the booth.\n",
                      encoding="utf-8")
    again = mkdocs_build(project, AS_OF)
    assert again.returncode == 0, again.stderr
    rebuilt = search_pages(project / "site")
    assert "A quokka visited the booth." in rebuilt["records/2026-05-sales/"]["content"]
    assert rebuilt.keys() == pages.keys()


def test_a_failed_index_is_a_clear_error_not_a_traceback(tmp_path: Path) -> None:
    project = make_project(tmp_path / "kb", FIXTURES / "corpus")
    # A hand-written file named like the index's folder: the indexer cannot write there.
    (project / "docs" / "pagefind").write_text("not a folder\n", encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--root", str(project), "--as-of", AS_OF],
        capture_output=True, text=True, check=False, timeout=600, env=env)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert "the search index could not be built" in output, output[-2000:]


def test_a_site_built_elsewhere_is_indexed_from_the_command_line(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "records" / "x").mkdir(parents=True)
    page = ('<html lang="en"><body><nav>menu</nav><article><div data-pagefind-body '
            'data-hs-index="{mode}"><h1>{title}</h1><p>Quokkas at the booth.</p></div>'
            '</article></body></html>')
    (site / "index.html").write_text(page.format(mode="headings", title="Home"), encoding="utf-8")
    (site / "records" / "x" / "index.html").write_text(page.format(mode="text", title="X"),
                                                       encoding="utf-8")
    run = [sys.executable, "-m", "generator.site.search_index", str(site)]
    result = subprocess.run(run, capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("search index: 2 pages in ")
    pages = search_pages(site)
    # The home page gives its heading only; the record its text; neither the menu.
    assert pages[""]["content"] == "Home."
    assert pages["records/x/"]["content"] == "X. Quokkas at the booth."
    missing = subprocess.run([sys.executable, "-m", "generator.site.search_index", str(tmp_path / "no")],
                             capture_output=True, text=True, check=False, timeout=120)
    assert missing.returncode == 1 and "Traceback" not in missing.stderr
    assert "holds no built site" in missing.stderr


def test_a_large_site_is_indexed_in_bundles_the_search_box_merges(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(tmp_path / "kb", FIXTURES / "corpus")
    result = mkdocs_build(project, AS_OF)
    assert result.returncode == 0, result.stderr
    site = project / "site"
    whole = search_pages(site)
    # Ten pages a run: the same pages, in several bundles the box is told to merge.
    monkeypatch.setattr(generator.site.search_index, "PAGES_PER_BUNDLE", 10)
    report = index_site(site)
    merge = json.loads((site / "pagefind" / "bundles.json").read_text())["merge"]
    assert len(merge) == -(-len(whole) // 10) - 1 and merge[0] == "part-2/"
    assert report.pages == len(whole)
    if sys.platform.startswith("linux"):  # memory is sampled from /proc
        # This process and the indexer beside it held more than the indexer alone.
        assert report.together_mib > report.peak_mib > 0
    assert search_pages(site).keys() == whole.keys()
    last = sorted(whole)[-1]  # in the last bundle
    assert (site / "pagefind" / merge[-1]).is_dir()
    if CHROMIUM is None:
        pytest.skip("no Chromium to search the merged bundles in")
    from generator.bench.browser import first_search

    title = whole[last]["meta"]["title"]
    found = first_search(site, title)
    assert last in found["results"], (title, found["results"])

    # A bundle with no word that begins with a query word matches the longest word the query
    # word begins with instead: a number one page holds ("1965") would find the pages of
    # other bundles saying "196". The box keeps only the pages that hold the word.
    held = {url: set(re.findall(r"[^\W_]+", page["content"].lower()))
            for url, page in whole.items()}
    holders: dict[str, set[str]] = defaultdict(set)
    for url, words in held.items():
        for word in words:
            holders[word].add(url)
    # Numbers: no stemming makes a page saying "196" a fair match for "1965".
    lone = sorted((word, next(iter(urls))) for word, urls in holders.items()
                  if word.isdigit() and len(word) >= 4 and len(urls) == 1
                  and not any(other != word and other.startswith(word) for other in holders)
                  and any(shorter != word and word.startswith(shorter)
                          and holders[shorter] - urls for shorter in holders))
    assert lone, "the sample has no number one page holds whose beginning others say"
    word, page = lone[0]
    assert first_search(site, word)["results"] == [page], word
