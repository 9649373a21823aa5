"""The site's language: every page carries `theme.language` as its `<html lang>`, Pagefind
indexes the site in that language, and a Japanese word in the middle of a sentence is found
(the extended indexer splits Chinese and Japanese text into words; the standard one kept a
whole run of characters as one word, so only the word a line started with was found). What
the indexer warns about is shown, one line a warning."""

from __future__ import annotations

import importlib.util
import json
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import generator.site.search_index
from conftest import FIXTURES, run_cli
from generator.site.search_index import index_site, indexer, indexer_warnings
from sitetools import CHROMIUM, CHROMIUM_ARGS, make_project, mkdocs_build, parse_page, search_pages, served

AS_OF = "2026-07-20"
RECORD = "records/2026-05-sales/"
# A paragraph of a Japanese retro: "The sales team shortened the time to contract by three
# days on average. The comparison sheet against competitors worked." The words searched
# for sit in the middle of its sentences, never at the start of a line.
JAPANESE = "営業チームは契約までの期間を平均三日短縮した。競合との比較表が効いた。"
MID_SENTENCE = ("短縮", "競合", "平均三日")

# What the standard Pagefind binary prints (with --quiet) over a Japanese site, verbatim.
STANDARD_OUTPUT = "".join(line + "\n" for line in (
    "\u26a0 Indexing Japanese in non-extended mode. ",
    "In this mode, Pagefind will not segment words that are not whitespace separated. ",
    "Running the extended Pagefind binary will include this segmentation. ",
    "Either download the pagefind_extended binary, or run via npx pagefind.",
    "Note: Pagefind doesn't support stemming for the language ja. ",
    "Search will still work, but will not match across root words.",
    "Note: Pagefind doesn't support stemming for the language ja. ",
    "Search will still work, but will not match across root words.",
))


def japanese_project(dest: Path) -> Path:
    """The test knowledge base with ``theme.language: ja`` and a Japanese paragraph in the
    May sales retro."""
    project = make_project(dest, FIXTURES / "corpus")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "\n  language: en\n" in text
    config.write_text(text.replace("\n  language: en\n", "\n  language: ja\n"), encoding="utf-8")
    record = project / "retros" / "2026-05-sales.md"
    record.write_text(record.read_text(encoding="utf-8") + f"\n{JAPANESE}\n", encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def japanese_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = japanese_project(tmp_path_factory.mktemp("ja") / "kb")
    result = mkdocs_build(project, AS_OF)
    assert result.returncode == 0, result.stderr
    return project / "site"


def _lang(page: Path) -> str | None:
    html = next(attrs for tag, attrs in parse_page(page).tags if tag == "html")
    return dict(html).get("lang")


def test_every_page_is_in_the_configured_language(japanese_site: Path) -> None:
    for page in ("index.html", f"{RECORD}index.html", "guide/index.html"):
        assert _lang(japanese_site / page) == "ja", page
    # Pagefind read the pages' language: the site has one index, in Japanese.
    entry = json.loads((japanese_site / "pagefind" / "pagefind-entry.json").read_text())
    assert set(entry["languages"]) == {"ja"}


def test_the_english_sample_stays_english(tmp_path: Path) -> None:
    project = make_project(tmp_path / "kb", FIXTURES / "corpus")
    result = mkdocs_build(project, AS_OF)
    assert result.returncode == 0, result.stderr
    assert _lang(project / "site" / "index.html") == "en"
    entry = json.loads((project / "site" / "pagefind" / "pagefind-entry.json").read_text())
    assert set(entry["languages"]) == {"en"}


def test_the_build_uses_the_extended_indexer() -> None:
    assert indexer().name.startswith("pagefind_extended")


def test_japanese_text_is_indexed_word_by_word(japanese_site: Path) -> None:
    """Without a browser: the indexed text of the page keeps the words Pagefind found,
    separated by zero-width spaces; the standard binary left the sentence whole."""
    content = search_pages(japanese_site)[RECORD]["content"]
    for word in ("短縮", "競合", "平均"):
        assert f"\u200b{word}\u200b" in content, content
    assert JAPANESE not in content


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if CHROMIUM is None:
        pytest.skip("no Chromium found (install the Debian package `chromium`; .ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.mark.parametrize("word", MID_SENTENCE)
def test_a_japanese_word_in_the_middle_of_a_sentence_is_found(
        browser: Any, japanese_site: Path, word: str) -> None:
    """Typed into the search box of the built site, as a reader does."""
    with served(japanese_site) as url:
        context = browser.new_context()
        context.route(lambda address: not address.startswith("http://127.0.0.1"),
                      lambda route: route.abort())
        tab = context.new_page()
        tab.goto(url, wait_until="load")
        box = tab.locator("input.hs-search__input")
        box.click()
        box.press_sequentially(word, delay=10)
        tab.wait_for_function(
            "q => document.querySelector('[data-hs-search]').dataset.hsQuery === q",
            arg=word, timeout=30000)
        links = tab.locator(".hs-search__list > li a")
        hrefs = [str(links.nth(i).get_attribute("href")).split("#")[0]
                 for i in range(links.count())]
        context.close()
    assert f"/{RECORD}" in hrefs, (word, hrefs)


@pytest.mark.skipif(importlib.util.find_spec("zensical") is None,
                    reason="Zensical is not installed (pip install 'hindsight[zensical]')")
def test_zensical_pages_carry_the_language_and_index_it_word_by_word(tmp_path: Path) -> None:
    project = japanese_project(tmp_path / "kb")
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--engine", "zensical", "--root",
         str(project), "--as-of", AS_OF], capture_output=True, text=True, check=False,
        timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    site = project / "site"
    assert _lang(site / RECORD / "index.html") == "ja"
    assert "\u200b短縮\u200b" in search_pages(site)[RECORD]["content"]


# --- The indexer's warnings ------------------------------------------------------------------


def test_the_not_segmented_warning_is_one_line_with_its_fix_and_notes_are_left_out() -> None:
    said = indexer_warnings(STANDARD_OUTPUT)
    assert len(said) == 1, said
    assert said[0].startswith("Japanese text was indexed without splitting it into words")
    assert "pip install 'pagefind[extended]'" in said[0] and "npx" not in said[0]
    assert "stemming" not in said[0]


def test_another_warning_is_joined_into_one_line_once() -> None:
    output = "\u26a0 Something odd.\nIt says why.\n\n\u26a0 Something odd.\nIt says why.\n"
    assert indexer_warnings(output) == ["Something odd. It says why."]
    assert indexer_warnings("") == []


@pytest.fixture
def warning_indexer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """An indexer that says what the standard binary says over a Japanese site, then indexes
    with the real one. Returns the line the build must show."""
    real = indexer()
    fake = tmp_path / "bin" / "pagefind"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\ncat <<'EOF'\n" + STANDARD_OUTPUT + f"EOF\nexec '{real}' \"$@\"\n",
                    encoding="utf-8")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(generator.site.search_index, "indexer", lambda: fake)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    return "search index: warning: " + indexer_warnings(STANDARD_OUTPUT)[0]


def test_index_site_reports_the_warning(warning_indexer: str, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text('<html lang="ja"><body><p>契約の期間</p></body></html>',
                                     encoding="utf-8")
    report = index_site(site)
    assert ["search index: warning: " + w for w in report.warnings] == [warning_indexer]


@pytest.mark.parametrize("quiet", [False, True])
def test_a_build_shows_the_warning_once_and_still_builds(
        warning_indexer: str, tmp_path: Path, quiet: bool) -> None:
    project = japanese_project(tmp_path / "kb")
    result = run_cli("build", *(["--quiet"] if quiet else []), "--root", str(project),
                     "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    lines = [line for line in result.output.splitlines() if warning_indexer in line]
    assert len(lines) == 1, result.output
    assert "Note:" not in result.output and "npx" not in result.output
    assert (project / "site" / "pagefind" / "pagefind-entry.json").is_file()


def test_the_command_line_indexer_prints_the_warning(warning_indexer: str, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text('<html lang="ja"><body><p>契約の期間</p></body></html>',
                                     encoding="utf-8")
    assert generator.site.search_index.main([str(site)]) == 0
    shown = capsys.readouterr()
    assert shown.err.splitlines() == [warning_indexer]
    assert shown.out.startswith("search index: 1 pages in ")


@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_the_command_line_indexer_explains_itself(flag: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """`--help` was taken for a site folder: "error: cannot index the search: --help holds
    no built site (index.html)", exit 1."""
    assert generator.site.search_index.main([flag]) == 0
    shown = capsys.readouterr()
    assert shown.out.startswith("usage: python -m generator.site.search_index SITE_DIR")
    assert shown.err == ""
