"""`hindsight build --engine`: MkDocs in-process with one validation, Zensical plugin-free."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import generator.records.validate
from conftest import FIXTURES, REPO, event_kb, event_postmortem, make_kb, run_cli
from generator.errors import RecordError
from generator.paths import RenderOptions
from generator.records.validate import check
from generator.site.engine import with_edit_url, zensical_project
from sitetools import (
    broken_links,
    make_project,
    parse_page,
    resolve_link,
    search_pages,
    tag_listings,
)

SAMPLE_AS_OF = "2026-11-23"
CORPUS_AS_OF = "2026-07-20"
EDIT = "https://github.com/brightlane/hindsight/edit/main/"

needs_zensical = pytest.mark.skipif(
    importlib.util.find_spec("zensical") is None,
    reason="Zensical is not installed (pip install 'hindsight[zensical]'); it could not be "
    "installed from the package index here")


# --- Zensical -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if importlib.util.find_spec("zensical") is None:
        pytest.skip("Zensical is not installed (pip install 'hindsight[zensical]')")
    project = make_project(tmp_path_factory.mktemp("zensical"), REPO)
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--engine", "zensical", "--quiet", "--root",
         str(project), "--as-of", SAMPLE_AS_OF], capture_output=True, text=True, check=False,
        timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    (project / "build.log").write_text(result.stdout + result.stderr, encoding="utf-8")
    return project / "site"


@needs_zensical
def test_zensical_builds_the_site_s_look_and_quietly(zensical_site: Path) -> None:
    """Zensical's default look ("modern": a see-through header, other icons) was not the
    site's; its classic variant is Material's. And --quiet let through the engine's lines
    saying all went well."""
    home = (zensical_site / "index.html").read_text(encoding="utf-8")
    assert "assets/stylesheets/classic/" in home and "assets/stylesheets/modern/" not in home
    said = (zensical_site.parent / "build.log").read_text(encoding="utf-8")
    assert "Build started" not in said and "Build finished" not in said, said


@needs_zensical
def test_zensical_builds_the_sample_and_every_internal_link_resolves(zensical_site: Path) -> None:
    pages = list(zensical_site.rglob("*.html"))
    records = sorted((REPO / "retros").glob("*.md")) + sorted((REPO / "postmortems").glob("*.md"))
    # Every record has its page, beside the hand-written guide.
    for record in records:
        assert (zensical_site / "records" / record.stem / "index.html").is_file(), record.stem
    assert (zensical_site / "guide" / "writing-a-retro" / "index.html").is_file()
    assert len(pages) > len(records)
    broken = broken_links(zensical_site)
    assert not broken, "\n".join(broken[:20])


def _edit_links(page: Path) -> list[str]:
    return [dict(attrs).get("href") or "" for tag, attrs in parse_page(page).tags
            if tag == "a" and dict(attrs).get("rel") == "edit"]


@needs_zensical
def test_zensical_edit_links_lead_to_files_that_exist(zensical_site: Path) -> None:
    # A record page edits its source record; a guide page its Markdown under docs/; a page
    # made from many records has no single source, so no edit link.
    for folder, record in (("retros", "2026-05-sales"), ("postmortems", "2026-02-the-castlebridge-win")):
        edits = _edit_links(zensical_site / "records" / record / "index.html")
        assert edits == [f"{EDIT}{folder}/{record}.md"]
        assert (REPO / folder / f"{record}.md").is_file()
    assert _edit_links(zensical_site / "guide" / "writing-a-retro" / "index.html") == [
        f"{EDIT}docs/guide/writing-a-retro.md"]
    for page in ("causes/index.html", "causes/icp-drift/index.html", "index.html"):
        assert _edit_links(zensical_site / page) == [], page
    every = {href for page in zensical_site.rglob("*.html") for href in _edit_links(page)}
    for href in every:
        assert (REPO / href.removeprefix(EDIT)).is_file(), href


@needs_zensical
def test_zensical_site_shows_tags_and_charts(zensical_site: Path) -> None:
    record = parse_page(zensical_site / "records" / "2026-03-sales" / "index.html")
    classes = " ".join(dict(attrs).get("class") or "" for _, attrs in record.tags)
    assert "md-tag" in classes
    tags = parse_page(zensical_site / "tags" / "index.html")
    assert any("records/2026-03-sales/" in href for href in tags.links)
    for page, kind in (("indicators/mql-to-sql/index.html", "charts/indicators/"),
                       ("causes/index.html", "causes.svg"),
                       ("records/2026-q3-review/index.html", "attainment-")):
        sources = [dict(attrs).get("src") or "" for tag, attrs in
                   parse_page(zensical_site / page).tags if tag == "img"]
        charts = [s for s in sources if kind in s]
        assert charts, page
        for src in charts:
            assert (zensical_site / page).parent.joinpath(src).resolve().is_file(), src


@needs_zensical
def test_zensical_sites_get_the_same_search(zensical_site: Path) -> None:
    # The header's search box, and a Pagefind index marked by the same theme override.
    # Zensical's own search index is not published: it held every section's text (814 KB on
    # the sample), and nothing reads it.
    assert not (zensical_site / "search.json").exists()
    assert not list(zensical_site.rglob("search_index.json"))
    home = (zensical_site / "index.html").read_text(encoding="utf-8")
    assert 'class="hs-search__input"' in home and "javascripts/search.js" in home
    pages = search_pages(zensical_site)
    assert "records/2026-06-the-compass-launch/" in pages
    cause = pages["causes/sdr-ae-handoff/"]["content"]
    assert cause.startswith("SDR-to-AE hand-off decay. ") and "Also cited as: handoff" in cause
    assert "records/" not in cause and "tags/" not in pages
    # A record page is indexed by its own text: not its readings table, the actions it
    # updates or its related records (Zensical drops data attributes; the marks are classes).
    record = pages["records/2025-10-sales/"]["content"]
    for left_out in ("Actions updated here", "Related records", "Leading indicators"):
        assert left_out not in record, left_out


def _newest_first(links: list[str]) -> bool:
    """Hub pages (a cause, a plan kind) before any record, records by period newest first."""
    records = [link for link in links if link.startswith("records/")]
    hubs = [link for link in links if not link.startswith("records/")]
    periods = [re.match(r"records/(\d{4})-(\d{2}|q[1-4])", record) for record in records]
    months = [int(p.group(1)) * 12 + (int(p.group(2)) if p.group(2).isdigit()
                                      else 3 * int(p.group(2)[1])) for p in periods if p]
    return links[:len(hubs)] == hubs and months == sorted(months, reverse=True)


@needs_zensical
def test_zensical_tags_index_lists_records_newest_first_under_permalinked_tags(
        zensical_site: Path) -> None:
    """Under Zensical the tags index listed each tag's pages by title (the plugin's sort runs
    under MkDocs only) and its tag headings had no permalink: as under MkDocs now."""
    listings = tag_listings(zensical_site)
    assert len(listings) > 10
    for tag, (heading, links) in listings.items():
        assert _newest_first(links), (tag, links)
        assert f'<a class="headerlink" href="#{tag}" title="Permanent link" ' in heading, heading
        # Named for its section, its sign hidden from the heading's name (as under MkDocs).
        assert 'aria-label="Link to this section: ' in heading, heading
        assert re.search(r'<span aria-hidden="true">(¶|&para;)</span></a></h2>$', heading), heading
    assert sum(len([link for link in links if link.startswith("records/")]) > 2
               for _, links in listings.values()) >= 5


@needs_zensical
def test_zensical_tags_index_orders_years_of_event_post_mortems_as_mkdocs_does(
        tmp_path: Path) -> None:
    """Post-mortems alone, over two years, two in one month, titled so that alphabetical
    order is no order of time: both engines list the plan kind's checklist, then the newest,
    the month's two by title, the oldest."""
    kb = event_kb(tmp_path / "kb", {
        "postmortems/2019-07-the-alder-fair.md":
            event_postmortem("The Alder Fair", "2019-07-10", ["Book the venue early."]),
        "postmortems/2020-01-the-birch-summit.md":
            event_postmortem("The Birch Summit", "2020-01-20", ["Send invitations early."]),
        "postmortems/2019-01-the-cedar-expo.md":
            event_postmortem("The Cedar Expo", "2019-01-15", ["Bring spare badges."]),
        "postmortems/2019-07-an-oak-meetup.md":
            event_postmortem("An Oak Meetup", "2019-07-20", ["Check the projector."]),
    })
    project = make_project(tmp_path / "project", kb)
    expected = ["plan/event", "records/2020-01-the-birch-summit", "records/2019-07-an-oak-meetup",
                "records/2019-07-the-alder-fair", "records/2019-01-the-cedar-expo"]
    for engine in ("zensical", "mkdocs"):
        site = tmp_path / f"site-{engine}"
        result = run_cli("build", "--engine", engine, "--quiet", "--root", str(project),
                         "--as-of", "2020-03-01", "--site-dir", str(site))
        assert result.exit_code == 0, result.output
        heading, links = tag_listings(site)["tag:events-and-trade-shows"]
        assert links == expected, (engine, links)
        assert 'class="headerlink" href="#tag:events-and-trade-shows"' in heading, engine


def test_zensical_tag_listings_follow_a_sort_mkdocs_yml_sets() -> None:
    """The listing's order is Hindsight's unless mkdocs.yml sorts the listings by a key of its
    own (or lays them out another way; listings_sort_reverse reverses it, as under MkDocs);
    its permalink follows the toc extension's."""
    from generator.site.engine import tag_listing

    own = {"plugins": [{"tags": {"listings_sort_by": "material.plugins.tags.item_url"}}]}
    assert tag_listing(own) is None
    reverse = tag_listing({"plugins": [{"tags": {"listings_sort_reverse": True}}]})
    assert reverse is not None and b"dictsort(case_sensitive=true, reverse=true)" in reverse
    assert tag_listing({"plugins": [{"material/tags": {"listings_layout": "mine"}}]}) is None
    plain = tag_listing({"plugins": ["tags"], "markdown_extensions": ["toc", "tables"]})
    assert plain is not None and b"{%- if false and listing.tag" in plain
    signed = tag_listing({"plugins": ["tags"], "markdown_extensions": [
        {"toc": {"permalink": "#", "permalink_title": "Link here"}}]})
    assert signed is not None and b"{%- if true and" in signed
    assert b'title="Link here">#</a>' in signed


def _title(page: Path) -> str:
    text = page.read_text(encoding="utf-8")
    assert text.count("<title>") == 1, page
    return text.split("<title>", 1)[1].split("</title>", 1)[0]


@needs_zensical
def test_zensical_names_the_not_found_page_and_the_home_page_as_mkdocs_does(
        zensical_site: Path) -> None:
    """Under Zensical the home page's tab read "Brightlane - Brightlane — what we learned" and
    the 404 page's the site's name alone: Zensical gives 404.html a page (MkDocs none) and no
    page is_homepage. Both read as under MkDocs now."""
    assert _title(zensical_site / "404.html") == "Page not found - Brightlane — what we learned"
    assert _title(zensical_site / "index.html") == "Brightlane — what we learned"
    assert _title(zensical_site / "guide" / "index.html") == "Guide - Brightlane — what we learned"
    assert _title(zensical_site / "records" / "2026-05-sales" / "index.html") == (
        "Sales retro — May 2026 - Brightlane — what we learned")


@needs_zensical
def test_zensical_names_the_pages_of_a_site_without_directory_urls(tmp_path: Path) -> None:
    """With use_directory_urls: false the home page is index.html and a folder's index page
    is not the home page."""
    project = make_project(tmp_path / "kb", FIXTURES / "corpus")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "use_directory_urls: false\n",
                      encoding="utf-8")
    result = run_cli("build", "--engine", "zensical", "--quiet", "--root", str(project),
                     "--as-of", CORPUS_AS_OF)
    assert result.exit_code == 0, result.output
    site = project / "site"
    assert _title(site / "404.html") == "Page not found - Brightlane — what we learned"
    assert _title(site / "index.html") == "Brightlane — what we learned"
    assert _title(site / "guide" / "index.html") == "Guide - Brightlane — what we learned"
    assert _title(site / "records" / "2026-q2-review.html").startswith("Quarterly review")


JAPANESE_GUIDE = """

## 振り返りの書き方

毎月、数字を持ち寄って話し合う。

## الخلفية

See [how to write one](#振り返りの書き方) and [the background](#الخلفية).
"""


@needs_zensical
def test_zensical_gives_headings_in_any_script_the_ids_mkdocs_gives(tmp_path: Path) -> None:
    """A hand-written page's `## 振り返りの書き方` had no id under Zensical (`_1`), so a link
    to it stopped the strict build ("anchor does not exist"): the derived configuration now
    names the heading slugs the plugin gives MkDocs. Latin headings keep their ids."""
    project = make_project(tmp_path / "kb", FIXTURES / "corpus")
    guide = project / "docs" / "guide" / "writing-a-retro.md"
    guide.write_text(guide.read_text(encoding="utf-8") + JAPANESE_GUIDE, encoding="utf-8")
    result = run_cli("build", "--engine", "zensical", "--quiet", "--root", str(project),
                     "--as-of", CORPUS_AS_OF)
    assert result.exit_code == 0, result.output
    page = (project / "site" / "guide" / "writing-a-retro" / "index.html").read_text(
        encoding="utf-8")
    for heading in ("振り返りの書き方", "الخلفية", "before-the-session"):
        assert f'<h2 id="{heading}" aria-label="' in page, heading
    assert 'id="_1"' not in page and 'id="_2"' not in page


@needs_zensical
def test_a_hand_written_page_that_stops_zensical_is_not_blamed_on_a_record(
        tmp_path: Path) -> None:
    """The error said the issues named "a record's file and line" when the page was a guide
    page of docs/: it names the hand-written page now."""
    project = make_project(tmp_path / "kb", FIXTURES / "corpus")
    guide = project / "docs" / "guide" / "writing-a-retro.md"
    guide.write_text(guide.read_text(encoding="utf-8") + "\nSee [gone](#nowhere).\n",
                     encoding="utf-8")
    result = run_cli("build", "--engine", "zensical", "--quiet", "--root", str(project),
                     "--as-of", CORPUS_AS_OF)
    assert result.exit_code == 1, result.output
    assert "guide/writing-a-retro.md:" in result.output and "anchor does not exist" in result.output
    last = result.output.strip().splitlines()[-1]
    assert last == ("error: Zensical's strict build stopped on the issues above (in "
                    "docs/guide/writing-a-retro.md, written by hand under docs/: fix it there); "
                    "nothing was published"), last
    assert "record" not in last and not (project / "site").exists()


def test_the_zensical_configuration_names_the_heading_slugs_unless_mkdocs_yml_does() -> None:
    from generator.site.engine import with_heading_slugs

    slug = {"slugify": {"object": "generator.records.body.HeadingSlug"}}
    assert with_heading_slugs(["toc", "tables"]) == [{"toc": slug}, "tables"]
    assert with_heading_slugs([{"toc": {"permalink": True}}]) == [
        {"toc": {"permalink": True, **slug}}]
    own = [{"toc": {"slugify": {"object": "pymdownx.slugs.slugify"}}}]
    assert with_heading_slugs(own) == own
    # Both engines use the toc extension whether or not mkdocs.yml lists it.
    assert with_heading_slugs(["tables"]) == ["tables", {"toc": slug}]
    assert with_heading_slugs({"toc": None, "tables": None}) == {"toc": slug, "tables": None}


@needs_zensical
def test_a_site_that_lists_zensical_s_search_keeps_it(tmp_path: Path) -> None:
    """Zensical's own search is off only where mkdocs.yml does not ask for it, as MkDocs
    runs its search only when listed; listed, it indexes the pages beside Pagefind."""
    project = make_project(tmp_path / "kb", FIXTURES / "corpus")
    config = project / "mkdocs.yml"
    assert "\n  - tags\n" in config.read_text(encoding="utf-8")
    config.write_text(config.read_text(encoding="utf-8").replace(
        "\n  - tags\n", "\n  - tags\n  - search\n"), encoding="utf-8")
    result = run_cli("build", "--engine", "zensical", "--quiet", "--root", str(project),
                     "--as-of", CORPUS_AS_OF)
    assert result.exit_code == 0, result.output
    index = json.loads((project / "site" / "search.json").read_text(encoding="utf-8"))
    assert any(item.get("location", "").startswith("records/2026-05-sales/")
               for item in index["items"]), index["items"][:3]
    assert "records/2026-05-sales/" in search_pages(project / "site")


def test_zensical_navigation_lists_each_plan_kind(zensical_site: Path) -> None:
    """Under MkDocs the plugin adds each plan kind's checklist to the navigation; the
    Zensical project's mkdocs.yml lists them itself (every page's sidebar, 404 included)."""
    for page in ("404.html", "index.html"):
        html = (zensical_site / page).read_text(encoding="utf-8")
        for title in ("Campaigns", "Events and trade shows", "Quarter plans"):
            assert f"{title}\n" in html or f">{title}<" in html or title in html, (page, title)
    sidebar = (zensical_site / "404.html").read_text(encoding="utf-8")
    assert sidebar.count("plan/campaign/") >= 1, "no link to the Campaigns checklist"


def test_generate_for_zensical_writes_the_tree_the_zensical_build_uses(
        zensical_site: Path, tmp_path: Path) -> None:
    """`generate --for zensical` is the tree `build --engine zensical` builds (record links
    as .md paths the engine rewrites, edit links in front matter): built by hand with
    Zensical, it has the same working links. The default tree is for MkDocs."""
    project = zensical_site.parent
    out = tmp_path / "tree"
    result = run_cli("generate", "--for", "zensical", "--out", str(out), "--root", str(project),
                     "--as-of", SAMPLE_AS_OF)
    assert result.exit_code == 0, result.output
    built = project / ".hindsight-cache" / "zensical" / "docs"
    for page in ("causes/crm-hygiene.md", "records/2025-10-sales.md", "index.md"):
        assert (out / page).read_bytes() == (built / page).read_bytes(), page
    assert 'edit_url: "https://github.com/brightlane/hindsight/edit/main/retros/' in (
        out / "records" / "2025-10-sales.md").read_text()


@needs_zensical
def test_zensical_builds_a_record_without_tags(tmp_path: Path) -> None:
    # The fixture corpus has a review that cites no cause: its page carries no `tags:` key,
    # which Zensical refuses when empty.
    project = make_project(tmp_path / "kb", FIXTURES / "corpus")
    result = run_cli("build", "--engine", "zensical", "--root", str(project), "--as-of",
                     CORPUS_AS_OF, "--quiet")
    assert result.exit_code == 0, result.output
    page = project / "site" / "records" / "2026-q2-review" / "index.html"
    assert "Quarterly review" in page.read_text(encoding="utf-8")
    source = (project / ".hindsight-cache" / "zensical" / "docs" / "records" /
              "2026-q2-review.md").read_text(encoding="utf-8")
    assert "tags:" not in source.split("\n---\n", 1)[0]


def test_edit_url_goes_into_the_front_matter() -> None:
    page = b'---\ntitle: "X"\n---\n\n# X\n'
    assert with_edit_url(page, "https://e/x.md") == (
        b'---\nedit_url: "https://e/x.md"\ntitle: "X"\n---\n\n# X\n')
    assert with_edit_url(b"# Y\n", None) == b'---\nedit_url: ""\n---\n\n# Y\n'



def test_record_edit_links_follow_the_branch_edit_uri_names(tmp_path: Path) -> None:
    """edit_uri: edit/trunk/docs/ sends the guide's edit links to trunk: records' too (they
    went to main); the plugin's branch option still wins when given."""
    from generator.site.settings import edit_branch, render_options

    assert edit_branch(None, "edit/trunk/docs/") == "trunk"
    assert edit_branch(None, "blob/release-2/docs/") == "release-2"
    assert edit_branch(None, None) == "main" and edit_branch("prod", "edit/trunk/docs/") == "prod"
    project = make_project(tmp_path / "kb", REPO)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("edit_uri: edit/main/docs/",
                                                 "edit_uri: edit/trunk/docs/"))
    options = render_options(project)
    assert options.edit_url("retros/2026-05-sales.md") == (
        "https://github.com/brightlane/hindsight/edit/trunk/retros/2026-05-sales.md")


# --- MkDocs: one validation per build -------------------------------------------------------


def test_a_build_validates_the_records_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Before: the command line validated to print its report, then the plugin validated again
    # (two). Now the plugin is handed the command line's result.
    calls: list[Path] = []
    real = generator.records.validate._check

    def counting(root: Path, *args: object) -> object:
        calls.append(root)
        return real(root, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(generator.records.validate, "_check", counting)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    project = make_project(tmp_path / "kb", FIXTURES / "corpus")
    result = run_cli("build", "--root", str(project), "--as-of", CORPUS_AS_OF,
                     "--site-dir", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "records" / "2026-q2-review" / "index.html").is_file()
    assert len(calls) == 1
    # Progress is for terminals: none of it reaches captured output.
    assert "records validated" not in result.output


def test_a_build_with_errors_names_them_and_builds_nothing(tmp_path: Path) -> None:
    project = make_project(tmp_path / "kb", FIXTURES / "corpus")
    record = project / "retros" / "2026-05-sales.md"
    record.write_text(record.read_text(encoding="utf-8").replace("team: sales", "team: salez"),
                      encoding="utf-8")
    for engine in ("mkdocs", "zensical"):
        result = run_cli("build", "--engine", engine, "--root", str(project), "--as-of",
                         CORPUS_AS_OF)
        assert result.exit_code == RecordError.exit_code == 1  # records, not a usage error
        assert re.search(r"retros/2026-05-sales\.md:\d+:\d+  team  ", result.output), result.output
        assert "nothing was built" in result.output
        assert not (project / "site").exists()


def test_mkdocs_build_shows_the_end_of_life_notice(tmp_path: Path) -> None:
    project = make_project(tmp_path / "kb", FIXTURES / "corpus")
    env = {k: v for k, v in os.environ.items() if k != "NO_MKDOCS_2_WARNING"}
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--root", str(project), "--as-of",
         CORPUS_AS_OF], capture_output=True, text=True, check=False, timeout=600, env=env)
    assert result.returncode == 0, result.stderr
    assert "hindsight build --engine zensical" in result.stderr
    # The date Material for MkDocs 9.8.1's release notes give.
    assert "reaches end of life on May 5, 2027" in " ".join(result.stderr.split())
    # Each warning once (on stderr, with the report): not again from the plugin.
    output = result.stdout + result.stderr
    warnings = [line for line in result.stderr.splitlines() if "  warning: " in line]
    assert warnings and all(output.count(line) == 1 for line in warnings)


def test_the_zensical_project_drops_the_plugin_and_keeps_the_sites_own_overrides(
        tmp_path: Path) -> None:
    project = make_project(tmp_path / "kb", FIXTURES / "corpus")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "mkdocs.yml").write_text(
        config.replace("  custom_dir: overrides\n", "  custom_dir: mytheme\n"),
        encoding="utf-8")
    (project / "mytheme").mkdir()
    (project / "mytheme" / "main.html").write_text("{% extends 'base.html' %}\n")
    result = check(project, dt.date(2026, 7, 20))
    derived = zensical_project(project, dt.date(2026, 7, 20), result, RenderOptions())
    data = yaml.safe_load(derived.read_text(encoding="utf-8"))
    names = [next(iter(p)) if isinstance(p, dict) else p for p in data["plugins"]]
    assert "hindsight" not in names and "tags" in names
    assert data["theme"]["custom_dir"] == "overrides" and data["docs_dir"] == "docs"
    assert (derived.parent / "overrides" / "main.html").read_text() == "{% extends 'base.html' %}\n"
    assert (derived.parent / "overrides" / "partials" / "actions.html").is_file()
    # The hand-written guide and the generated pages side by side.
    assert (derived.parent / "docs" / "guide" / "writing-a-retro.md").is_file()
    assert (derived.parent / "docs" / "records" / "2026-05-sales.md").is_file()


def test_an_engine_that_fails_says_so_without_a_python_traceback(
        capsys: pytest.CaptureFixture[str]) -> None:
    from generator.site.engine import _run_engine

    code = _run_engine([sys.executable, "-c", "print('Warning: anchor does not exist'); "
                        "raise RuntimeError('Aborted because --strict flag is set')"], REPO)
    shown = capsys.readouterr().out
    assert code == 1 and "Warning: anchor does not exist" in shown
    assert "Traceback" not in shown and "RuntimeError" not in shown


@needs_zensical
def test_zensical_honours_fail_on_warnings(tmp_path: Path) -> None:
    """`- hindsight: {fail_on_warnings: true}` fails a MkDocs build on the overdue-action
    warnings; the Zensical build must not publish past them either."""
    project = make_project(tmp_path / "kb", REPO)
    config = project / "mkdocs.yml"
    text = config.read_text()
    assert "\n  - hindsight\n" in text
    config.write_text(text.replace("\n  - hindsight\n", "\n  - hindsight:\n      fail_on_warnings: true\n"))
    result = run_cli("build", "--engine", "zensical", "--root", str(project), "--as-of",
                     SAMPLE_AS_OF)
    assert result.exit_code == 1
    assert "fail_on_warnings is set for the hindsight plugin" in result.output
    assert not (project / "site").exists()


def test_engine_messages_carry_no_colour_codes_into_a_log(tmp_path: Path) -> None:
    """Piped to a file or a CI log, MkDocs' warnings are plain text (they carried escape
    codes: `\\x1b[33mWARNING -`)."""
    project = make_project(tmp_path / "kb", REPO)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace(
        "\n  - hindsight\n", "\n  - hindsight:\n      fail_on_warnings: true\n"))
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--root", str(project), "--as-of",
         SAMPLE_AS_OF], capture_output=True, text=True, check=False, timeout=600)
    assert result.returncode == 1
    assert "WARNING" in result.stderr and "\x1b[" not in result.stdout + result.stderr


def test_quiet_build_leaves_out_the_engines_info_lines(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # Importing the theme in this process (another test may have) sets the variable that
    # hides the notice: this test is about a user's shell, which has not.
    monkeypatch.delenv("NO_MKDOCS_2_WARNING", raising=False)
    project = make_project(tmp_path / "kb", REPO)
    quiet = run_cli("build", "--quiet", "--root", str(project), "--as-of", SAMPLE_AS_OF)
    assert quiet.exit_code == 0, quiet.output
    assert "INFO" not in quiet.output and "Documentation built" not in quiet.output
    assert "notice: MkDocs 1.x" in quiet.output  # the end-of-life notice is not progress


# --- What hindsight build and serve read from mkdocs.yml --------------------------------------


def test_build_dates_the_site_by_the_plugin_s_as_of_as_mkdocs_build_does(tmp_path: Path) -> None:
    # Written unquoted, as YAML reads a date: MkDocs refused it as "not a str".
    project = make_project(tmp_path / "kb", FIXTURES / "corpus")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  - hindsight\n",
                                                 "  - hindsight:\n      as_of: 2026-07-01\n"))
    env = {k: v for k, v in os.environ.items() if k != "HINDSIGHT_AS_OF"}
    env["NO_MKDOCS_2_WARNING"] = "1"
    for command in (["-m", "generator", "build", "--root", str(project), "-q"],
                    ["-m", "mkdocs", "build", "--strict", "-f", str(config)]):
        result = subprocess.run([sys.executable, *command], cwd=project, env=env,
                                capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr
        register = (project / "site" / "actions" / "index.html").read_text()
        assert re.search(r"stands as of <[^>]+>2026-07-01<", register), command
        # The sitemap is dated by it too, not by the day the site was built (so the same
        # commit and as-of date build the same files any day), and so is its gzip.
        sitemap = (project / "site" / "sitemap.xml").read_text()
        assert set(re.findall(r"<lastmod>(.*?)</lastmod>", sitemap)) == {"2026-07-01"}, command
        stamp = int.from_bytes((project / "site" / "sitemap.xml.gz").read_bytes()[4:8], "little")
        assert dt.datetime.fromtimestamp(stamp, dt.UTC).date() == dt.date(2026, 7, 1)


@pytest.mark.parametrize(("change", "says"), [
    (lambda text: text.replace("  - hindsight\n", "  - hindsight:\n      as_of: yesterday\n"),
     "error: as_of of the hindsight plugin in mkdocs.yml must be a date like 2026-06-30 (got "
     "'yesterday')"),
    (lambda text: text.replace("  - hindsight\n", "  - hindsight:\n      root: nowhere\n"),
     "error: the hindsight plugin's root in mkdocs.yml is 'nowhere', but this command builds "
     "the knowledge base at --root"),
    (lambda text: text.replace("  - hindsight\n", ""),
     "error: mkdocs.yml does not list the hindsight plugin: add `- hindsight` under plugins:"),
    (lambda text: text.replace("plugins:\n", "plugins:\n  - [unclosed\n"),
     "error: mkdocs.yml:45:5 is not valid YAML: a list opened with [ here is never closed "
     "(close it with ] on the line it opens, or quote a value that starts with [)"),
    # A plugin option mistyped, or of the wrong type: MkDocs refused them only after every
    # record was validated, as a failed build (exit 1).
    (lambda text: text.replace("  - hindsight\n", "  - hindsight:\n      fail_on_warning: true\n"),
     "error: the hindsight plugin in mkdocs.yml has no option 'fail_on_warning': did you mean "
     "fail_on_warnings?"),
    (lambda text: text.replace("  - hindsight\n", "  - hindsight:\n      fail_on_warnings: maybe\n"),
     "error: fail_on_warnings of the hindsight plugin in mkdocs.yml must be true or false "
     "(got 'maybe')"),
    # Unquoted, a date that is no day of the calendar was a traceback in every command; a
    # date with a time got past the check and failed the build with one.
    (lambda text: text.replace("  - hindsight\n", "  - hindsight:\n      as_of: 2026-06-31\n"),
     "error: mkdocs.yml:48:14 2026-06-31 is not a date: day is out of range for month (check "
     "the day and the month)"),
    (lambda text: text.replace("  - hindsight\n",
                               "  - hindsight:\n      as_of: 2026-06-30T09:00:00\n"),
     "error: as_of of the hindsight plugin in mkdocs.yml must be a date like 2026-06-30, "
     "without a time (got 2026-06-30 09:00:00)"),
    (None, "error: mkdocs.yml not found in "),
])
def test_build_and_serve_refuse_a_mkdocs_yml_they_cannot_build_before_validating(
        tmp_path: Path, change: object, says: str) -> None:
    project = make_project(tmp_path / "kb", FIXTURES / "corpus")
    config = project / "mkdocs.yml"
    if change is None:
        config.unlink()
    else:
        config.write_text(change(config.read_text()))  # type: ignore[operator]
    import socket

    with socket.socket() as probe:  # a free port, so serve gets as far as mkdocs.yml
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    for command in (["build"], ["serve", "--dev-addr", f"127.0.0.1:{port}"]):
        result = run_cli(*command, "--root", str(project), "--as-of", CORPUS_AS_OF)
        assert result.exit_code == 2 and result.output.startswith(says), result.output
        assert "records:" not in result.output and not (project / "site").exists()


def test_a_plugin_mkdocs_cannot_load_is_a_configuration_mistake(tmp_path: Path) -> None:
    """`- tagz` for `- tags`: MkDocs refuses the configuration, which is exit 2 (a mistake in
    the configuration, as the README says), not 1 (the records or the build failed)."""
    project = make_project(tmp_path / "kb", FIXTURES / "corpus")
    config = project / "mkdocs.yml"
    assert "\n  - tags\n" in config.read_text()
    config.write_text(config.read_text().replace("\n  - tags\n", "\n  - tagz\n"))
    result = run_cli("build", "--root", str(project), "--as-of", CORPUS_AS_OF, "--quiet")
    assert result.exit_code == 2, result.output
    assert 'The "tagz" plugin is not installed' in result.output
    assert "Traceback" not in result.output and not (project / "site").exists()


def test_the_options_checked_before_a_build_are_the_plugin_s() -> None:
    from generator.site.plugin import HindsightConfig
    from generator.site.settings import PLUGIN_OPTIONS

    assert set(PLUGIN_OPTIONS) == {name for name, _ in HindsightConfig._schema}


def test_a_mkdocs_yml_with_a_date_no_calendar_has_is_an_error_without_a_traceback(
        tmp_path: Path) -> None:
    """Every command read the unquoted 2026-02-30 under extra: as a traceback. Each now
    stops at its line, exit 2, as the build does: a check that passed it let the pull request
    through while the site's build failed on it."""
    project = make_project(tmp_path / "kb", FIXTURES / "corpus")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text() + "extra_dates:\n  released: 2026-02-30\n")
    for command in (["validate"], ["actions"]):
        result = run_cli(*command, "--root", str(project), "--as-of", CORPUS_AS_OF)
        assert result.exit_code == 2 and "Traceback" not in result.output, result.output
        assert "2026-02-30 is not a date: day is out of range for month" in result.output
    result = run_cli("generate", "--out", str(tmp_path / "out"), "--root", str(project),
                     "--as-of", CORPUS_AS_OF)
    assert result.exit_code == 2, result.output
    assert "2026-02-30 is not a date: day is out of range for month" in result.output
    assert not (tmp_path / "out").exists()


# --- Larkspur's knowledge base under Zensical -----------------------------------------------


def _larkspur(root: Path) -> Path:
    """Larkspur's knowledge base (tests/test_together.py), with what the sample lacks besides:
    a team retired after its one retro, and a team and a cause renamed (their old ids kept as
    `aliases:`, so their old addresses lead on)."""
    import test_together as larkspur

    taxonomy = larkspur.TAXONOMY.replace(
        "  - id: sdr\n    name: SDR Team\n", "  - id: sdr\n    name: SDR Team\n    aliases: [bdr]\n"
    ).replace("  - id: price-pressure\n", "  - id: price-pressure\n    aliases: [discounting]\n"
              ).replace("  - id: cs\n", "  - id: partners\n    name: Partner Team\n"
                        "    retros: monthly\n    retired: 2026-06\n  - id: cs\n")
    assert "aliases: [bdr]" in taxonomy and "aliases: [discounting]" in taxonomy
    assert "retired: 2026-06" in taxonomy
    files = larkspur.records()
    files["retros/2026-05-partners.md"] = larkspur._retro(
        "partners", "2026-05", "2026-06-03", 'indicators:\n  handoff-sla: "20/50"\n',
        "discounting")
    root.mkdir(parents=True)
    (root / "larkspur-taxonomy.yml").write_text(taxonomy, encoding="utf-8")
    return make_kb(root / "kb", files, root / "larkspur-taxonomy.yml")


@pytest.fixture(scope="module")
def larkspur_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Larkspur's site, built once with Zensical."""
    if importlib.util.find_spec("zensical") is None:
        pytest.skip("Zensical is not installed (pip install 'hindsight[zensical]')")
    base = tmp_path_factory.mktemp("larkspur")
    project = make_project(base / "project", _larkspur(base / "records"))
    result = run_cli("build", "--engine", "zensical", "--quiet", "--root", str(project),
                     "--as-of", LARKSPUR_AS_OF)
    assert result.exit_code == 0, result.output
    return project / "site"


LARKSPUR_AS_OF = "2026-11-20"


@needs_zensical
def test_larkspur_under_zensical_links_and_lists_sprint_retros_as_mkdocs_does(
        larkspur_site: Path) -> None:
    """The tags index listed a month's second sprint retro before its first ("SDR Team retro
    — October 2026, sprint 2" above "SDR Team retro — October 2026"): the listing's key put
    "|" after each title, which sorts after the ", sprint 2" a longer title goes on with.
    MkDocs' plugin compares the titles, the shorter first; so does Zensical's listing now."""
    assert broken_links(larkspur_site) == []
    _, links = tag_listings(larkspur_site)["tag:sdr-to-ae-hand-off-gaps"]
    assert links[0] == "causes/handoff-gaps"
    assert links[1:5] == ["records/2026-10-sdr", "records/2026-10-sdr-2",
                          "records/2026-09-sdr", "records/2026-09-sdr-2"], links
    assert _newest_first(links)


@needs_zensical
def test_larkspur_s_sitemap_under_zensical_lists_every_page_and_is_gzipped_too(
        larkspur_site: Path) -> None:
    """Zensical's sitemap lists every page the site has, hand-written and generated, and
    leaves out the 404 page and the pages at a renamed team's and cause's old addresses,
    as MkDocs' does. It gives no page a lastmod (MkDocs gives every page the as-of day).
    MkDocs writes it gzipped beside it too, which the Zensical build lacked: written now,
    stamped with the as-of day as MkDocs stamps it."""
    import gzip

    sitemap = (larkspur_site / "sitemap.xml").read_text(encoding="utf-8")
    listed = set(re.findall(r"<loc>https://brightlane\.github\.io/hindsight/(.*?)</loc>",
                            sitemap))
    pages = {page.relative_to(larkspur_site).as_posix().removesuffix("index.html")
             for page in larkspur_site.rglob("*.html") if "pagefind" not in page.parts}
    moved = {"teams/bdr/", "causes/discounting/"}
    for old in moved:
        assert "has moved</title>" in (larkspur_site / old / "index.html").read_text(
            encoding="utf-8"), old
    assert listed == pages - moved - {"404.html"}, sorted(listed ^ (pages - moved))
    assert {"records/2026-05-partners/", "teams/partners/", "guide/glossary/",
            "teams/sdr/", "causes/price-pressure/"} <= listed
    assert "<lastmod>" not in sitemap
    packed = (larkspur_site / "sitemap.xml.gz").read_bytes()
    assert gzip.decompress(packed).decode("utf-8") == sitemap
    stamp = int.from_bytes(packed[4:8], "little")
    assert dt.datetime.fromtimestamp(stamp, dt.UTC).date() == dt.date(2026, 11, 20)


@needs_zensical
def test_larkspur_s_guide_shows_code_uncoloured_under_zensical_as_under_mkdocs(
        larkspur_site: Path) -> None:
    """mkdocs.yml asks for no code colouring, and MkDocs gives none; Zensical coloured every
    fenced block with Pygments all the same (the guide's `--period 2026-05` had its 2026 in
    red, as a number, and a YAML block's keys in blue). Plain under both engines now."""
    guide = (larkspur_site / "guide" / "writing-a-retro" / "index.html").read_text(
        encoding="utf-8")
    # Larkspur's own team: the guide's examples are in its ids (tests/test_guide_examples.py).
    assert '<code class="language-sh">hindsight new retro --team sdr --period 2026-05' in (
        guide), guide[guide.find("hindsight new retro") - 200:][:400]
    assert '<code class="language-yaml">indicators:' in guide
    assert '<span class="m">' not in guide and '<span class="nt">' not in guide


def test_the_zensical_configuration_leaves_code_uncoloured_unless_mkdocs_yml_colours_it(
        ) -> None:
    from generator.site.engine import with_plain_code

    plain = {"pymdownx.highlight": {"use_pygments": False}}
    assert with_plain_code(["toc", "tables"]) == ["toc", "tables", plain]
    assert with_plain_code({"tables": None}) == {"tables": None, **plain}
    for colours in (["pymdownx.superfences"], [{"pymdownx.highlight": {"linenums": True}}],
                    ["codehilite"], {"pymdownx.extra": None}):
        assert with_plain_code(colours) == colours


@needs_zensical
def test_larkspur_s_pages_under_zensical_carry_what_mkdocs_gives_them(
        larkspur_site: Path) -> None:
    """A sprint retro's page edits its own file and shows its cause as a tag; an indicator
    split by named segments has its charts; the glossary has the company's own term; every
    page has the header's search box; a renamed team's and cause's old addresses lead on."""
    page = larkspur_site / "records" / "2026-06-sdr-2" / "index.html"
    assert _edit_links(page) == [f"{EDIT}retros/2026-06-sdr-2.md"]
    parsed = parse_page(page)
    assert "md-tag" in " ".join(dict(attrs).get("class") or "" for _, attrs in parsed.tags)
    assert 'class="hs-search__input"' in page.read_text(encoding="utf-8")
    indicator = larkspur_site / "indicators" / "meetings-booked" / "index.html"
    charts = [dict(attrs).get("src") or "" for tag, attrs in parse_page(indicator).tags
              if tag == "img"]
    assert any("charts/indicators/meetings-booked/sdr.svg" in src for src in charts), charts
    for src in charts:
        assert indicator.parent.joinpath(src).resolve().is_file(), src
    assert "term-power-user" in parse_page(larkspur_site / "guide" / "glossary" / "index.html").ids
    for old, new in (("teams/bdr", "teams/sdr"), ("causes/discounting", "causes/price-pressure")):
        moved = larkspur_site / old / "index.html"
        href = moved.read_text(encoding="utf-8").split('content="0; url=', 1)[1].split('"')[0]
        assert resolve_link(larkspur_site, moved, href) == (
            larkspur_site / new / "index.html", ""), href
