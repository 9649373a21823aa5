"""The generated site: goldens per page kind, determinism, a real strict build, links."""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import jsonschema
import pytest

from conftest import FIXTURES, NORDFJORD, REPO, run_cli
from generator.paths import RenderOptions
from generator.site.build import build
from gittools import commit_all, init
from sitetools import (
    broken_links,
    make_project,
    mkdocs_build,
    parse_page,
    resolve_link,
    search_pages,
    table_rows,
)

CORPUS = FIXTURES / "corpus"
CORPUS_AS_OF = dt.date(2026, 7, 20)
SAMPLE_AS_OF = "2026-11-23"
GOLDENS = Path(__file__).parent / "goldens" / "site"
REPO_URL = "https://github.com/example/kb"
EDIT = f"{REPO_URL}/edit/main/"


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_generated_pages_match_goldens(update_goldens: bool, tmp_path: Path,
                                       golden: Callable[[Path, str], None]) -> None:
    # A real git repository with fixed authors and dates, so provenance is part of the golden.
    root = tmp_path / "kb"
    init(root)
    shutil.copy(CORPUS / "taxonomy.yml", root / "taxonomy.yml")
    shutil.copytree(CORPUS / "retros", root / "retros")
    commit_all(root, "First records", "Ana Writer", "2026-06-05T10:00:00+00:00")
    shutil.copytree(CORPUS / "postmortems", root / "postmortems")
    commit_all(root, "Post-mortems", "Ben Reviewer", "2026-06-14T16:30:00+00:00")
    options = RenderOptions(repo_url=REPO_URL, site_url="https://kb.example.com/")
    files = build(root, CORPUS_AS_OF, options).files
    kinds = {"records/", "causes/", "actions/owners/", "teams/", "plan/", "data/"}
    for prefix in kinds:
        assert any(p.startswith(prefix) for p in files), f"no {prefix} pages generated"
    if update_goldens:
        for old in GOLDENS.rglob("*"):
            if old.is_file() and old.relative_to(GOLDENS).as_posix() not in files:
                old.unlink()
    else:
        assert set(_tree(GOLDENS)) == set(files), "generated file list differs from goldens"
    for path, content in files.items():
        golden(GOLDENS / path, content.decode("utf-8"))


def test_generate_writes_the_build_tree_and_only_what_changed(tmp_path: Path) -> None:
    root = tmp_path / "kb"
    shutil.copytree(CORPUS, root)
    out = tmp_path / "out"
    first = run_cli("generate", "--out", str(out), "--root", str(root), "--as-of", "2026-07-20")
    assert first.exit_code == 0, first.output
    expected = build(root, CORPUS_AS_OF, RenderOptions()).files
    written = _tree(out)
    assert written.pop(".hindsight-generated")
    assert written == expected
    assert f"{len(expected)} files in {out.as_posix()}: {len(expected)} written, 0 unchanged" \
        in first.output
    # The folder is made as any other under the umask (its staging folder was private, 0700,
    # so no web server or other user could read the tree).
    mask = os.umask(0o022)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o777 & ~mask == (out / "records").stat().st_mode & 0o777

    again = run_cli("generate", "--out", str(out), "--root", str(root), "--as-of", "2026-07-20")
    assert f"0 written, {len(expected)} unchanged, 0 removed" in again.output

    (root / "postmortems" / "2026-06-northwind-win.md").unlink()
    third = run_cli("generate", "--out", str(out), "--root", str(root), "--as-of", "2026-07-20")
    assert third.exit_code == 0, third.output
    assert not (out / "records" / "2026-06-northwind-win.md").exists()
    removed = int(re.search(r"(\d+) removed", third.output).group(1))  # type: ignore[union-attr]
    assert removed >= 1


@pytest.mark.parametrize(("target", "says"), [
    (".", "would replace the knowledge base itself"),
    ("retros", "is inside retros/; pick a folder outside the records"),
    ("retros/sub", "is inside retros/; pick a folder outside the records"),
    (".git/generated", "is inside .git/; it is git's own folder"),
    ("docs/generated", "is inside docs/; the site's build reads that folder and would find "
                       "every generated page twice"),
])
def test_generate_refuses_to_write_over_records(tmp_path: Path, target: str, says: str) -> None:
    root = tmp_path / "kb"
    shutil.copytree(CORPUS, root)
    (root / ".git").mkdir()
    before = _tree(root)
    result = run_cli("generate", "--out", str(root / target), "--root", str(root),
                     "--as-of", "2026-07-20")
    assert result.exit_code == 2  # a mistake in the command
    assert f"error: --out {root / target} {says}" in result.output, result.output
    assert _tree(root) == before


def test_generate_refuses_a_folder_it_did_not_write(tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    result = run_cli("generate", "--out", str(out), "--root", str(CORPUS), "--as-of", "2026-07-20")
    assert result.exit_code == 2
    assert "was not written by hindsight generate" in result.output
    assert (out / "notes.txt").read_text() == "keep me"


def test_sample_generated_tree_is_byte_identical_across_runs(tmp_path: Path) -> None:
    # A copy of the sample outside git (the same file dates for both runs), so the test does
    # not depend on how this checkout was cloned.
    kb = tmp_path / "kb"
    kb.mkdir()
    shutil.copy(REPO / "taxonomy.yml", kb)
    shutil.copy(REPO / "mkdocs.yml", kb)
    for folder in ("retros", "postmortems"):
        shutil.copytree(REPO / folder, kb / folder)
    trees = []
    for seed in ("1", "2"):
        out = tmp_path / f"out{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "generator", "generate", "--out", str(out),
                        "--as-of", SAMPLE_AS_OF, "--no-cache", "--root", str(kb)],
                       env=env, check=True, capture_output=True)
        trees.append(_tree(out))
    assert trees[0] == trees[1]
    assert len(trees[0]) > 100
    assert any(path.endswith(".svg") for path in trees[0])


# --- the real sample site --------------------------------------------------------------


SAMPLE_GOLDENS = Path(__file__).parent / "goldens" / "sample"


@pytest.fixture(scope="module")
def sample_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    # The sample's records outside git: the did-it-work pages show no provenance.
    kb = make_project(tmp_path_factory.mktemp("kb"), REPO)
    return build(kb, dt.date.fromisoformat(SAMPLE_AS_OF), RenderOptions()).files


@pytest.mark.parametrize("page", ["postmortems/win-loss.md", "plan/calibration.md",
                                  "actions/effectiveness.md"])
def test_sample_did_it_work_pages_match_goldens(sample_files: dict[str, bytes], page: str,
                                                golden: Callable[[Path, str], None]) -> None:
    golden(SAMPLE_GOLDENS / page, sample_files[page].decode("utf-8"))


def test_the_sample_s_icp_drift_page_says_it_came_back_beyond_the_horizon(
        sample_files: dict[str, bytes]) -> None:
    """QBR-2025-Q4-1 was done 2026-02-10 and the June 2026 retro (held 2026-07-06) cited ICP
    drift again, 146 days later: beyond the 120-day horizon, so no "fix did not stick", but
    the page said nothing of it while the records said "the drift is returning"."""
    page = sample_files["causes/icp-drift.md"].decode("utf-8")
    assert ('[Sales retro — June 2026](../records/2026-06-sales.md) (held <span class="hs-date">'
            '2026-07-06</span>) cited it again 146 days after its last fix was done (beyond the '
            '120 days "the fix did not stick" looks at): `QBR-2025-Q4-1`') in page
    assert "The fix did not stick" not in page
    # The horizon rule for "did not stick" is kept: the home page does not list it there.
    home = sample_files["index.md"].decode("utf-8")
    stuck = home.split("### The fix did not stick", 1)[1].split("\n## ", 1)[0]
    assert "SDR-to-AE hand-off decay" in stuck and "ICP drift" not in stuck


def test_what_followed_a_fix_on_its_record_page_names_the_months_and_the_segment(
        sample_files: dict[str, bytes]) -> None:
    """PM-cfo-connect-1 read "followed by: moved the wrong way, MQL→SQL conversion 25.2% →
    21.0%": all sources pooled, May–July against September–November 2025, said nowhere."""
    page = sample_files["records/2025-06-the-cfo-connect-booth.md"].decode("utf-8")
    assert ("followed by: moved the wrong way, MQL→SQL conversion, all sources: 25.2% "
            "(May–Jul 2025) → 21.0% (Sep–Nov 2025)</a>") in page


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("sample"), REPO)
    result = mkdocs_build(project, SAMPLE_AS_OF)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return project / "site"


def test_sample_site_every_internal_link_resolves(sample_site: Path) -> None:
    assert len(list(sample_site.rglob("*.html"))) > 80
    broken = broken_links(sample_site)
    assert not broken, "\n".join(broken[:20])


@pytest.mark.parametrize(("page", "exports"), [
    ("actions/index.html", ["actions.csv", "actions.json"]),
    ("indicators/index.html", ["readings.csv"]),
    ("retros/index.html", ["records.csv", "records.json"])])
def test_the_exports_are_linked_from_the_pages_they_hold(sample_site: Path, page: str,
                                                         exports: list[str]) -> None:
    """No page linked to data/*.csv or *.json: a leader preparing a review could not find
    the spreadsheet of the register or the readings."""
    html = (sample_site / page).read_text(encoding="utf-8")
    for name in exports:
        assert f'href="../data/{name}"' in html, name
        assert (sample_site / "data" / name).stat().st_size > 1000, name


def test_the_exports_schemas_are_published_and_the_built_exports_meet_them(
        sample_site: Path) -> None:
    """A consumer of ``data/*.json`` finds its JSON Schema on the site itself, under
    ``schemas/``, linked from the guide, and the built site's exports validate against those
    published copies."""
    for export in sorted((sample_site / "data").glob("*.json")):
        published = sample_site / "schemas" / f"data-{export.stem}.schema.json"
        shipped = REPO / "docs" / "schemas" / published.name
        assert published.read_bytes() == shipped.read_bytes(), published.name
        jsonschema.Draft202012Validator(
            json.loads(published.read_text(encoding="utf-8")),
            format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
        ).validate(json.loads(export.read_text(encoding="utf-8")))
    assert (sample_site / "schemas" / "data-readings.schema.json").is_file()
    guide = (sample_site / "guide" / "commands" / "index.html").read_text(encoding="utf-8")
    for name in ("records", "actions", "readings"):
        assert f'href="../../schemas/data-{name}.schema.json"' in guide, name


_NUMBER = re.compile(r"^\d[\d,]*(\.\d+)?%?$")


@pytest.mark.parametrize("page", ["index.html", "causes/index.html", "actions/index.html",
                                  "causes/icp-drift/index.html"])
def test_every_number_on_summary_pages_links_to_its_records(sample_site: Path, page: str) -> None:
    from sitetools import Page

    # A chart's figures under it are the drawing in words (its bars link nowhere either), not
    # counts of records: the register's opened and closed by month.
    info = Page()
    info.feed(re.sub(r'<details class="hs-chart-data">.*?</details>', "",
                     (sample_site / page).read_text(encoding="utf-8"), flags=re.S))
    numbers = [(text, linked) for text, linked in info.cells if _NUMBER.match(text)]
    assert numbers, f"{page} shows no numbers in tables"
    # Every count links to the records it counts; a count of none has nothing to show.
    unlinked = [text for text, linked in numbers if not linked and text != "0"]
    assert not unlinked, f"{page}: numbers without a link: {unlinked}"
    dead_ends = [text for text, linked in numbers if linked and text == "0"]
    assert not dead_ends, f"{page}: counts of none linked to an empty list: {dead_ends}"


def test_number_links_lead_to_record_pages(sample_site: Path) -> None:
    # Following a count on the home page must reach a page that lists records.
    home = sample_site / "index.html"
    info = parse_page(home)
    for href in info.links:
        resolved = resolve_link(sample_site, home, href)
        if resolved and "causes/" in href and resolved[1] == "citations":
            target = parse_page(resolved[0])
            assert any("records/" in link for link in target.links)
            break
    else:
        pytest.fail("the home page has no cause-count links")


def test_record_pages_edit_their_source_file(sample_site: Path) -> None:
    page = next((sample_site / "records").iterdir()) / "index.html"
    html = page.read_text()
    edits = re.findall(r'href="(https://github\.com/brightlane/hindsight/edit/main/[^"]+)"', html)
    assert edits and all(e.split("/edit/main/")[1].startswith(("retros/", "postmortems/"))
                         for e in edits)
    assert "edit/main/docs/records" not in html


def test_the_done_marker_is_left_to_the_words_for_a_screen_reader(sample_site: Path) -> None:
    """Under MkDocs a screen reader read "black up-pointing triangle, 1 action aimed at this
    indicator, done": the page's second sanitizing pass dropped the marker's aria-hidden, which
    Zensical's build kept. Kept under both now (the triangle is the chart's sign, and the
    words say what it marks)."""
    page = (sample_site / "indicators" / "mql-to-sql" / "index.html").read_text(encoding="utf-8")
    assert '<span class="hs-marker hs-marker--done" aria-hidden="true">▲</span> ' in page


def test_sample_site_shows_every_chart_kind(sample_site: Path) -> None:
    shown = {}
    for page, kind in (("indicators/mql-to-sql/index.html", "charts/indicators/"),
                       ("causes/index.html", "causes.svg"), ("actions/index.html", "actions.svg"),
                       ("records/2026-q3-review/index.html", "attainment-")):
        images = [dict(attrs) for tag, attrs in parse_page(sample_site / page).tags if tag == "img"]
        shown[kind] = [image for image in images if kind in (image.get("src") or "")]
        for image in shown[kind]:
            svg = (sample_site / page).parent.joinpath(str(image["src"])).resolve()
            assert svg.is_file()
            # Loaded when scrolled to, in room kept for it: the SVG's own proportions.
            assert image.get("loading") == "lazy"
            box = re.search(r'viewBox="0 0 ([0-9.]+) ([0-9.]+)"', svg.read_text(encoding="utf-8"))
            assert box is not None
            width, height = int(str(image["width"])), int(str(image["height"]))
            assert abs(width / height - float(box[1]) / float(box[2])) < 0.01, (image, box)
            assert width > 300
    assert all(shown.values()), shown


class _Anchored(HTMLParser):
    """Every element's id with the links inside it, and every link with its text."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[tuple[str, str | None]] = []
        self.inside: dict[str, list[str]] = {}
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag not in ("br", "img", "hr", "input", "meta", "link"):
            self.open.append((tag, found.get("id")))
            if found.get("id"):
                self.inside.setdefault(str(found["id"]), [])
        if tag == "a" and found.get("href"):
            href = str(found["href"])
            for _, element_id in self.open:
                if element_id:
                    self.inside[element_id].append(href)
            self._href, self._text = href, ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._href is not None:
            self.links.append((self._text.strip(), self._href))
            self._href = None
        while self.open:
            if self.open.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._href is not None:
            self._text += data


@pytest.mark.parametrize(("page", "least"), [("postmortems/win-loss/index.html", 30),
                                             ("plan/calibration/index.html", 30)])
def test_every_count_on_the_did_it_work_pages_links_to_that_many_records(
        sample_site: Path, page: str, least: int) -> None:
    parser = _Anchored()
    parser.feed((sample_site / page).read_text(encoding="utf-8"))
    followed = 0
    for text, href in parser.links:
        if not re.fullmatch(r"\d+", text) or not href.startswith("#"):
            continue
        behind = [h for h in parser.inside.get(href[1:], []) if "records/" in h]
        assert len(behind) == int(text), f"{page}: {text} links to {href}, {len(behind)} records"
        followed += 1
    assert followed >= least, f"{page}: only {followed} counts followed"


# --- search: what the browser downloads -------------------------------------------------


def _indexed_as(site: Path, page: str) -> dict[str, str]:
    """The attributes of the element a built page hands the search index (empty if none)."""
    found = re.search(r"<div [^>]*data-pagefind-body[^>]*>", (site / page).read_text(encoding="utf-8"))
    return dict(re.findall(r'([\w-]+)="([^"]*)"', found.group(0))) if found else {}


def test_search_index_carries_other_spellings_and_cause_names(sample_site: Path) -> None:
    pages = search_pages(sample_site)
    # This retro writes "hand-off" and never "handoff"; its page carries the joined form.
    source = (REPO / "retros" / "2026-03-sales.md").read_text(encoding="utf-8").lower()
    assert "hand-off" in source and "handoff" not in source.replace("sdr-ae-handoff", "")
    assert "handoff" in pages["records/2026-03-sales/"]["content"]
    # It cites ICP drift: the cause's title and its aliases, as words, are on its page.
    text = pages["records/2025-07-sales/"]["content"]
    assert "ICP drift" in text and "wrong icp" in text and "icp mismatch" in text
    # The Brisa loss gives its reason by an alias ("too-expensive", of "price"): the reason's
    # title, aliases and description are on its page. It says "lost" and "loss", never "lose".
    brisa = pages["records/2025-12-the-brisa-loss/"]["content"]
    assert "⁞ Price ⁞ pricing ⁞ too expensive ⁞ The total price, the discount" in brisa
    assert "⁞ lose ⁞⁞" in brisa
    # Record and cause pages weigh more; lists and reading tables are not in the index.
    assert _indexed_as(sample_site, "records/2025-07-sales/index.html")["data-pagefind-weight"] == "2.0"
    assert _indexed_as(sample_site, "causes/icp-drift/index.html")["data-pagefind-weight"] == "3.0"
    assert not [p for p in pages if p.startswith(("whats-new", "tags", "actions/20"))]
    assert _indexed_as(sample_site, "tags/index.html") == {}
    reading = re.compile(r"[+−]\d+(\.\d)? pp")
    rows = [p for p, d in pages.items() if reading.search(d["content"])]
    assert rows == [], rows


def test_search_indexes_records_by_text_and_aggregate_pages_by_headings(sample_site: Path) -> None:
    pages = search_pages(sample_site)
    assert _indexed_as(sample_site, "records/2026-03-sales/index.html")["data-hs-index"] == "text"
    assert _indexed_as(sample_site, "causes/index.html")["data-hs-index"] == "headings"
    # A cause page: its title, its description and aliases (the lead), its headings; not the
    # numbers table or the list of records citing it.
    cause = pages["causes/icp-drift/"]["content"]
    assert cause.startswith("ICP drift. ")
    assert "Also cited as: wrong-icp, icp-mismatch." in cause
    assert "Cited in" not in cause and "records/" not in cause and "First seen" not in cause
    # The register is indexed by its headings only: no owner's name, no action's words.
    register = pages["actions/"]["content"]
    assert "Daniel Brooks" not in register and "SAL-2026-07-1" not in register
    # A record: its body's words, not the list of related records at its end.
    record = pages["records/2026-06-the-compass-launch/"]["content"]
    assert "NetSuite and QuickBooks sync guides" in record
    assert "Related records" not in record and "Three-Tier Reset —" not in record
    # Its actions by their words, owners and ids; not the tables' column names, which ran
    # together in excerpts ("ActionTitleOwnerDueStatus…"), nor its own title again in every
    # row's "raised in".
    assert "PM-compass-3" in record and "Grace Kim" in record
    assert "Days overdue" not in record and "Raised in" not in record
    assert record.count("The Compass Launch") <= 2, record.count("The Compass Launch")
    # The guide, hand-written, is indexed by its text.
    assert "hindsight new" in pages["guide/writing-a-retro/"]["content"]
    # Nothing outside the article: no navigation, no footer.
    assert "Made with" not in record and "Switch to dark mode" not in record


def test_every_chart_leads_with_its_takeaway(sample_site: Path) -> None:
    import html

    figures = 0
    for page in sorted(sample_site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        for caption, src, alt in re.findall(
                r'<figure class="hs-chart[^"]*"[^>]*>\s*<figcaption class="hs-takeaway">([^<]+)'
                r'</figcaption>\s*<img src="([^"]+)" alt="([^"]+)"', text):
            figures += 1
            svg = (page.parent / src).resolve().read_text(encoding="utf-8")
            title = re.search(r"<title>([^<]+)</title>", svg)
            assert title and html.unescape(title.group(1)) == html.unescape(caption), page
            # The image's alternative goes on from the caption (read once, not twice), and
            # with it says what the chart says: the SVG's own description.
            desc = re.search(r"<desc>([^<]+)</desc>", svg)
            assert not html.unescape(alt).startswith(html.unescape(caption)), page
            assert desc and html.unescape(desc.group(1)) == \
                f"{html.unescape(caption)} {html.unescape(alt)}", page
    # Five indicator charts, the causes and actions charts, six quarterly scorecards.
    assert figures >= 13


def test_the_guide_shows_a_command_s_alternatives_without_a_backslash(sample_site: Path) -> None:
    """Inside a table, Python-Markdown keeps the backslash of a `\\|` in code: the guide
    published `hindsight plan KIND [--format text\\|markdown]`."""
    code = {page.relative_to(sample_site).as_posix(): re.findall(
                r"<code[^>]*>(.*?)</code>", page.read_text(encoding="utf-8"), re.S)
            for page in sorted((sample_site / "guide").rglob("index.html"))}
    assert len(code) >= 5, sorted(code)
    escaped = {page: [c for c in spans if "\\|" in c] for page, spans in code.items()}
    assert not any(escaped.values()), escaped
    assert "hindsight plan KIND [--format text|markdown]" in code["guide/commands/index.html"]


def test_before_you_plan_opens_on_checklists_and_each_kind_is_in_the_nav(sample_site: Path) -> None:
    import yaml

    kinds = [k["id"] for k in yaml.safe_load((REPO / "taxonomy.yml").read_text())["plan_kinds"]]
    nav = re.search(r'<nav class="md-nav md-nav--primary.*</nav>',
                    (sample_site / "causes" / "index.html").read_text(), re.S)
    assert nav, "no navigation"
    assert [k for k in kinds if f'href="../plan/{k}/"' not in nav.group(0)] == []
    page = (sample_site / "plan" / "index.html").read_text()
    # The checklists come first, the counts table last.
    first_checklist = page.index('class="hs-checklist"')
    assert first_checklist < page.index('id="counts"')
    assert "<table" not in page[:first_checklist]


def test_counts_of_one_read_in_the_singular(tmp_path: Path) -> None:
    # A knowledge base just started: one retro, no review, one post-mortem.
    corpus = FIXTURES / "corpus"
    root = tmp_path / "kb"
    shutil.copytree(corpus, root)
    keep = {"2026-03-sales.md", "2026-04-the-apollo-launch.md"}
    for path in [*root.glob("retros/*.md"), *root.glob("postmortems/*.md")]:
        if path.name not in keep:
            path.unlink()
    assert len(list((root / "retros").glob("*.md"))) == 1
    assert len(list((root / "postmortems").glob("*.md"))) == 1
    out = tmp_path / "out"
    result = run_cli("generate", "--out", str(out), "--root", str(root), "--as-of", "2026-07-20")
    assert result.exit_code == 0, result.output
    home = (out / "index.md").read_text()
    assert ("[1](retros/index.md) monthly retro,\n0 quarterly reviews and\n"
            "[1](postmortems/index.md) named post-mortem.") in home
    assert "The organizational memory of Testco's go-to-market teams" in home
    # A company whose name ends in s takes the apostrophe alone.
    taxonomy = root / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text().replace("company: Testco",
                                                     "company: Northwind Metrics"))
    assert run_cli("generate", "--out", str(out), "--root", str(root), "--as-of",
                   "2026-07-20").exit_code == 0
    home = (out / "index.md").read_text()
    assert "The organizational memory of Northwind Metrics' go-to-market teams" in home, home


def test_a_knowledge_base_with_no_records_yet_builds_pages_without_empty_tables(
    tmp_path: Path,
) -> None:
    # The state right after replacing the sample: a taxonomy and no records.
    root = tmp_path / "kb"
    root.mkdir()
    shutil.copy(FIXTURES / "taxonomy.yml", root / "taxonomy.yml")
    out = tmp_path / "out"
    result = run_cli("generate", "--out", str(out), "--root", str(root), "--as-of", "2026-07-20")
    assert result.exit_code == 0, result.output
    assert "No record cites a root cause yet." in (out / "index.md").read_text()
    assert "No record cites a root cause yet." in (out / "causes" / "index.md").read_text()
    # No fix waits to be measured: the page says what it needs, not "can be measured yet".
    fixes = (out / "actions" / "effectiveness.md").read_text()
    assert "No done action names a leading indicator yet" in fixes
    assert "No fix can be measured yet" not in fixes
    # A Markdown table's separator row is always followed by at least one row.
    for page in out.rglob("*.md"):
        lines = page.read_text().split("\n")
        for here, line in enumerate(lines[:-1]):
            if line.startswith("| ---"):
                assert lines[here + 1].startswith("|"), (page.relative_to(out), here)


def test_a_summary_the_body_opens_with_is_shown_once(sample_site: Path) -> None:
    """The Pellham loss's body opens with its summary, word for word: one copy on the page,
    not a Summary box and then the same paragraph. The CFO Connect booth's body does not:
    its page keeps the box."""
    pellham = (sample_site / "records" / "2025-08-the-pellham-loss" / "index.html").read_text()
    booth = (sample_site / "records" / "2025-06-the-cfo-connect-booth" / "index.html").read_text()
    summary = (REPO / "postmortems" / "2025-08-the-pellham-loss.md").read_text().split(
        "summary: ", 1)[1].split("\n", 1)[0].strip('"')[:60]
    article = pellham.split("<article", 1)[1].split("</article>", 1)[0]
    assert article.count(html.escape(summary, quote=False)) == 1, summary
    assert 'class="admonition abstract"' not in article
    assert 'class="admonition abstract"' in booth.split("<article", 1)[1]


def test_a_plan_checklist_s_items_are_read_as_items_not_unnamed_checkboxes(
        tmp_path: Path) -> None:
    """Each item of a Before you plan checklist had a disabled checkbox with no name: a screen
    reader said "checkbox, not checked, unavailable" and nothing of the item. The items are
    list items with a drawn box (class hs-task), an Arabic one reading right to left too, and
    no checkbox is left without a name."""
    root = tmp_path / "kb"
    shutil.copytree(FIXTURES / "corpus", root)
    win = root / "postmortems" / "2026-06-northwind-win.md"
    win.write_text(win.read_text().replace(
        "    applies_to: [deal]\n",
        "    applies_to: [deal]\n  - lesson: أشرك المدير المالي قبل مراجعة الأمان.\n"
        "    applies_to: [deal]\n", 1))
    project = make_project(tmp_path / "site", root)
    built = mkdocs_build(project, "2026-07-20")
    assert built.returncode == 0, built.stdout + built.stderr
    article = (project / "site" / "plan" / "deal" / "index.html").read_text(
        encoding="utf-8").split("<article", 1)[1].split("</article>", 1)[0]
    # The page's items, not its list of sections a phone shows under its title.
    article = re.sub(r'<nav class="hs-jump".*?</nav>', "", article, flags=re.S)
    items = re.findall(r"<li([^>]*)>(.*?)</li>", article, flags=re.S)
    said = {re.sub(r"<[^>]+>", "", text).split(" — ")[0].split(" What happened:")[0]
            .split(" (")[0].strip(): attributes
            for attributes, text in items}
    # The deal lessons of three retros and Northwind's two, and Northwind's failed assumption
    # (Apollo's lesson is for launches and campaigns, its failed assumption a launch's).
    assert said == {
        "Commit deals only with a mutual close plan.": ' class="hs-task"',
        "Onboarding material is part of the ICP; update it with the definition.":
            ' class="hs-task"',
        "Re-check the ICP definition whenever segment focus changes.": ' class="hs-task"',
        "Bring an executive sponsor in before the security review.": ' class="hs-task"',
        "أشرك المدير المالي قبل مراجعة الأمان.": ' class="hs-task" dir="auto"',
        "We assumed: Price would decide the deal.": ' class="hs-task"',
    }, said
    unnamed = [tag for tag in re.findall(r"<input[^>]*>", article)
               if "aria-label" not in tag and "aria-labelledby" not in tag]
    assert unnamed == []
    assert "{" not in re.sub(r"<[^>]+>", "", article)  # no attribute list left as text


def test_a_unit_hindsight_does_not_know_is_shown_after_the_number(tmp_path: Path) -> None:
    """A scorecard row in ``months`` and a plan row in ``hours`` showed bare numbers ("18",
    "36"): a reader could not tell 18 months from 18 days. The record's unit follows the number,
    escaped (it is the record's own text); the units Hindsight writes its own way keep theirs."""
    root = tmp_path / "kb"
    shutil.copytree(FIXTURES / "corpus", root)
    review = root / "retros" / "2026-q2-review.md"
    review.write_text(review.read_text().replace(
        "  - {metric: Sales cycle,",
        "  - {metric: CAC payback, goal: 18, actual: 16.5, unit: months, better: down}\n"
        "  - {metric: Sales cycle,"))
    launch = root / "postmortems" / "2026-04-the-apollo-launch.md"
    launch.write_text(launch.read_text().replace(
        "  - {metric: MQLs,",
        "  - {metric: Setup time, goal: 36, actual: 40, unit: \"hours (h & m)\", better: down}\n"
        "  - {metric: MQLs,"))
    project = make_project(tmp_path / "site", root)
    built = mkdocs_build(project, "2026-07-20")
    assert built.returncode == 0, built.stdout + built.stderr

    def row(page: str, metric: str) -> list[str]:
        text = (project / "site" / "records" / page / "index.html").read_text(encoding="utf-8")
        found = re.search(rf'<tr>\s*<th scope="row">{metric}</th>(.*?)</tr>', text, flags=re.S)
        assert found, metric
        return [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
                for cell in re.findall(r"<td>(.*?)</td>", found.group(1), flags=re.S)]

    assert row("2026-q2-review", "CAC payback")[:2] == ["18 months", "16.5 months"]
    assert row("2026-q2-review", "Sales cycle")[:2] == ["50 days", "49.7 days"]
    assert row("2026-q2-review", "New ARR")[:2] == ["$500,000", "$450,000"]
    assert row("2026-04-the-apollo-launch", "Setup time")[:2] == ["36 hours (h & m)",
                                                                 "40 hours (h & m)"]
    launch_page = (project / "site" / "records" / "2026-04-the-apollo-launch" /
                   "index.html").read_text(encoding="utf-8")
    assert "36 hours (h &amp; m)" in launch_page  # the record's text, escaped


@pytest.mark.parametrize(("sign", "shown"), [("€", "€450,000"), ("CHF", "CHF 450,000"),
                                              ("Fr.", "Fr. 450,000")])
def test_money_is_shown_in_the_taxonomys_currency(tmp_path: Path, sign: str, shown: str) -> None:
    """A European company's figures read "$" everywhere: `currency:` in taxonomy.yml names
    the sign (never a conversion). The review's New ARR of 450000 reads €450,000 (a sign of
    letters gets a space: CHF 450,000), pipeline velocity 42900 a day reads €42,900/day on
    the record page and on the chart's axis, and the indicator page says what the unit is."""
    root = tmp_path / "kb"
    shutil.copytree(FIXTURES / "corpus", root)
    taxonomy = root / "taxonomy.yml"
    taxonomy.write_text(f'currency: "{sign}"\n' + taxonomy.read_text(encoding="utf-8"),
                        encoding="utf-8")
    try:
        generated = build(root, CORPUS_AS_OF)
    finally:
        from generator.records.formatting import use_currency

        use_currency("$")  # the next test's knowledge base has none
    files = generated.files
    review = files["records/2026-q2-review.md"].decode()
    assert f"| {shown} |" in review or f">{shown}<" in review, review[:3000]
    assert "$" not in review.replace("$ref", "")
    april = files["records/2026-04-sales.md"].decode()
    assert money_text(sign, "42,900") + "/day" in april
    page = files["indicators/pipeline-velocity.md"].decode()
    assert f"Unit: money per day, in {sign};" in page
    # Sales' velocity fell from 42,900 to 38,800 a day in May: minus 4,100 against April and
    # minus 2,700 against the mean of March and April (in francs both read "±CHF", no change).
    assert f"−{money_text(sign, '4,100')}" in page, page
    assert f"−{money_text(sign, '2,700')}" in page, page
    assert "±" + money_text(sign, "") not in page
    # Marketing's chart: one reading of 38800, the axis ticked every thousand around it.
    chart = next(c for c in generated.figures.all() if "pipeline-velocity" in c.path
                 and "Marketing" in c.title)
    assert f">{money_text(sign, '38,000')}<" in chart.svg.decode()
    assert "$" not in chart.svg.decode()


def money_text(sign: str, amount: str) -> str:
    """An amount as pages write it in ``sign``."""
    return f"{sign} {amount}" if any(c.isalpha() for c in sign) else f"{sign}{amount}"


@pytest.mark.parametrize("sign", ["[x]", "*", "<i>", "&lt;", "1€", ".", "....", "ر.س", "₪ש"])
def test_a_currency_that_is_not_a_sign_is_refused_at_its_line(tmp_path: Path, sign: str) -> None:
    """The currency stands in every money cell of every page: markup in it would be read as
    Markdown or HTML there (a "[x]450,000" cell), so it is a currency sign or letters."""
    root = tmp_path / "kb"
    shutil.copytree(FIXTURES / "corpus", root)
    taxonomy = root / "taxonomy.yml"
    taxonomy.write_text(f"currency: {json.dumps(sign)}\n" + taxonomy.read_text(encoding="utf-8"),
                        encoding="utf-8")
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-07-20")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "taxonomy.yml:1:11  currency  " in result.output, result.output


def test_the_tags_index_lists_a_tags_records_newest_first(sample_site: Path) -> None:
    """Listed by title, years of a team's retros read "January 2019, January 2020, … July
    2019". Under each tag: its hub pages (a cause, a plan kind) first, then its records by
    their month or quarter, newest first."""
    text = (sample_site / "tags" / "index.html").read_text(encoding="utf-8")
    sections = re.split(r'<h2 id="tag:', text)[1:]
    checked = 0
    for section in sections:
        links = re.findall(r'href="\.\./([^"#]+)/"', section)
        records = [link for link in links if link.startswith("records/")]
        hubs = [link for link in links if not link.startswith("records/")]
        assert links[:len(hubs)] == hubs, links  # hub pages before any record
        periods = [re.match(r"records/(\d{4})-(\d{2}|q[1-4])", r) for r in records]
        months = [int(p.group(1)) * 12 + (int(p.group(2)) if p.group(2).isdigit()
                                          else 3 * int(p.group(2)[1])) for p in periods if p]
        assert months == sorted(months, reverse=True), records
        checked += len(records) > 2
    assert checked >= 5, checked  # tags with three records or more, in order


def test_follow_through_by_team_leads_to_the_actions_it_counts(sample_site: Path) -> None:
    """Every number of the register's follow-through by team led to the bare team page,
    which listed only open actions: "2 actions, 2 done on time" led to a page with none.
    Each now leads to the section of the team's page that lists that many actions."""
    register = (sample_site / "actions" / "index.html").read_text(encoding="utf-8")
    table = register.split('id="by-team"', 1)[1].split("</table>", 1)[0]
    followed = 0
    for page, anchor, count in re.findall(r'<a href="\.\./teams/([^/"]+)/#([a-z-]+)"[^>]*>'
                                          r'(\d+)</a>', table):
        if anchor not in ("open", "overdue", "done", "done-late", "dropped"):
            continue
        team_page = (sample_site / "teams" / page / "index.html").read_text(encoding="utf-8")
        section = team_page.split(f'id="{anchor}"', 1)[1].split("</table>", 1)[0]
        assert section.count("<tr class=") == int(count), (page, anchor, count)
        followed += 1
    assert followed >= 8, table


def test_postmortems_are_listed_under_their_kinds_names_and_other_says_its_plan(
        tmp_path: Path) -> None:
    """Kinds read as words ("Deals lost", not "deal-lost"); a renewal filed under other says
    the plan it informs, linked to that checklist."""
    from conftest import make_kb

    def postmortem(name: str, kind: str, extra: str) -> str:
        return (f"---\ntype: postmortem\nname: {name}\nkind: {kind}\noutcome: loss\n"
                "summary: It went badly.\nteam: sales\nevent_ended: 2026-05-10\n"
                f"held: 2026-05-14\nkeeper: Ana Ruiz\n{extra}---\n\nWhat happened.\n")

    root = make_kb(tmp_path / "kb", {
        "postmortems/2026-05-harbor-renewal.md": postmortem("Harbor renewal", "other",
                                                           "plan_kind: launch\n"),
        "postmortems/2026-05-zeta-lost.md": postmortem(
            "Zeta lost", "deal-lost", "deal: {customer: Zeta, chose_us: false, why: Price}\n"),
    })
    page = build(root, dt.date(2026, 6, 1)).files["postmortems/index.md"].decode()
    rows = table_rows(page)
    assert any(row.startswith("| [Deals lost](#deal-lost) | 0 |") for row in rows), rows
    assert "## Other { #other }" in page and "## Deals lost { #deal-lost }" in page
    (row,) = [row for row in rows if "Harbor renewal" in row]
    assert " · [Launches](../plan/launch/) | loss |" in row, row


def test_the_wrong_way_list_says_how_far_a_move_must_go_to_count(tmp_path: Path) -> None:
    """July to September every reading is 40 % win rate (smb) and $1,000/day velocity; in
    October Sales reads 39.4 % (−0.6 points) and $985 (−1.5 %), Marketing 38.5 % (−1.5 points)
    and $975 (−2.5 %). All four are worse than both the prior month and the 3-month mean, but
    only Marketing's by the noise threshold (1 point for a rate, 2 % otherwise): the home page
    lists Marketing alone, and said only "worse than both", as if Sales' were missing."""
    october = {"sales": ("0.394", "985"), "marketing": ("0.385", "975")}
    files = {}
    for team, (rate, velocity) in october.items():
        for period, held in (("2026-07", "2026-08-03"), ("2026-08", "2026-09-03"),
                             ("2026-09", "2026-10-02"), ("2026-10", "2026-11-03")):
            late = period == "2026-10"
            files[f"retros/{period}-{team}.md"] = (
                f"---\ntype: retro\nperiod: {period}\nteam: {team}\nheld: {held}\n"
                f"facilitator: A\nformat: five-whys\nindicators:\n"
                f"  win-rate: {{smb: {rate if late else '0.40'}}}\n"
                f"  pipeline-velocity: {velocity if late else '1000'}\n---\n")
    root = tmp_path / "kb"
    root.mkdir()
    shutil.copy(FIXTURES / "taxonomy.yml", root / "taxonomy.yml")
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    home = build(root, dt.date(2026, 11, 10)).files["index.md"].decode()
    section = home.split("## Moved the wrong way in October 2026 { #wrong-way "
                         ".hs-search-exclude }", 1)[1].split("\n## ", 1)[0]
    assert section.lstrip().startswith(
        "Leading indicators worse than both the prior month and the trailing 3-month mean, "
        "each by at least the usual noise: 1 [percentage point](guide/glossary.md#pp) (pp) "
        "for a rate, 2 % of the figure compared with otherwise. A smaller move is "
        "[flat](indicators/index.md).\n"), section
    teams = re.findall(r"<span class=\"hs-stack__label\">Team: </span>([^<,]+)", section)
    assert teams and set(teams) == {"Marketing"}, teams
    assert "$975" in section and "38.5%" in section


def test_the_registers_follow_through_tables_count_dropped_actions_in_a_column(
        tmp_path: Path) -> None:
    """Kim Lee owns three Marketing actions: K-1 done on time, K-2 and K-3 dropped. The
    register's Actions column said 3 beside 0 open, 0 overdue, 1 done on time, 0 done late,
    with nowhere the other 2 were; her page and Marketing's show a Dropped column. Dropped
    actions are left out of follow-through: 1 of 1, 100 %."""
    raised = ("actions:\n" + "".join(
        f"  - {{id: K-{n}, title: Fix {n}, owner: Kim Lee, due: 2026-05-31}}\n"
        for n in (1, 2, 3)))
    updates = ("action_updates:\n  - {id: K-1, status: done, done_on: 2026-04-20}\n"
               "  - {id: K-2, status: dropped, note: Overtaken by the new plan.}\n"
               "  - {id: K-3, status: dropped}\n")
    root = tmp_path / "kb"
    (root / "retros").mkdir(parents=True)
    shutil.copy(FIXTURES / "taxonomy.yml", root / "taxonomy.yml")
    for period, held, extra in (("2026-03", "2026-04-03", raised),
                                ("2026-04", "2026-05-04", updates)):
        (root / "retros" / f"{period}-marketing.md").write_text(
            f"---\ntype: retro\nperiod: {period}\nteam: marketing\nheld: {held}\n"
            f"facilitator: A\nformat: five-whys\n{extra}---\n", encoding="utf-8")
    files = build(root, dt.date(2026, 6, 10)).files
    register = files["actions/index.md"].decode()
    owner = "../actions/owners/kim-lee/"
    # Every action in one column: no total beside them (it was the one that did not add up,
    # and a phone has no room for eight columns).
    assert ("<thead><tr><th>Owner</th><th>Open</th><th>Over&shy;due</th><th>Done on time</th>"
            "<th>Done late</th><th>Dropped</th><th>Follow-through</th></tr></thead>") in register
    rows = table_rows(register)
    assert (f"| [Kim Lee]({owner}) | 0 | 0 | [1]({owner}#done) | 0 "
            f"| [2]({owner}#dropped) | [100%]({owner}) |") in rows, rows
    team = "../teams/marketing/"
    assert (f"| [Marketing]({team}) | 0 | 0 | [1]({team}#done) | 0 "
            f"| [2]({team}#dropped) | [100%]({team}#actions) |") in rows, rows
    # The pages the numbers lead to count them the same way, under the same heading.
    page = files["actions/owners/kim-lee.md"].decode()
    assert "| 3 | 0 | 0 | [1](#done) | 0 | [2](#dropped) | 100% |" in page, page
    assert "{ #dropped }" in page


def test_every_page_names_the_atom_feed_for_feed_readers(sample_site: Path,
                                                          tmp_path: Path) -> None:
    """A feed reader given any page's address looks for a <link> whose rel has the word
    "alternate" and type="application/atom+xml" in its head: there was none, so the feed was found by no one
    who did not know its address. Each page's link leads to the one feed.xml at the site's
    root, whatever its depth; a site without site_url, which has no feed, names none."""
    feed = (sample_site / "feed.xml").resolve()
    assert feed.is_file()
    pages = ["index.html", "whats-new/index.html", "records/2026-10-sales/index.html",
             "actions/owners/elena-vasquez/index.html", "guide/commands/index.html"]
    for name in pages:
        page = sample_site / name
        head = page.read_text(encoding="utf-8").split("</head>", 1)[0]
        links = re.findall(r'<link rel="alternate feed" type="application/atom\+xml" href="([^"]+)"'
                           r' title="([^"]+)">', head)
        assert len(links) == 1, (name, head[-600:])
        href, title = links[0]
        assert resolve_link(sample_site, page, href) == (feed, ""), (name, href)
        assert title == "Brightlane — what we learned: new records"
    # Without site_url there is no feed, and no page points at one.
    project = make_project(tmp_path / "nofeed", REPO)
    config = project / "mkdocs.yml"
    config.write_text(re.sub(r"(?m)^site_url:.*\n", "", config.read_text(encoding="utf-8")),
                      encoding="utf-8")
    result = mkdocs_build(project, SAMPLE_AS_OF)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (project / "site" / "feed.xml").exists()
    assert "application/atom+xml" not in (project / "site" / "index.html").read_text()


def test_every_bar_of_what_followed_an_action_is_said_in_words(sample_site: Path) -> None:
    """On Win rate for Sales the bars after 13 actions are coloured by what followed them;
    the text alternative said only "0 followed by a move the right way", and the list under
    the chart named 11 actions without a verdict: 2 moved the wrong way, 11 no clear change,
    and 3 other teams' actions were in no text (WCAG 1.1.1, 1.4.1). Each count and each
    action's verdict is now in words."""
    page = (sample_site / "indicators" / "win-rate" / "index.html").read_text(encoding="utf-8")
    section = page.split('id="sales"', 1)[1].split("</figure>", 1)[0]
    alt = html.unescape(re.search(r'<img src="[^"]*sales\.svg" alt="([^"]+)"', section)[1])
    # SAL-2025-05-1: Apr–Jun 2025 34.0, 34.5, 32.9 → 33.8%; Aug–Oct 30.0, 31.0, 29.9 → 30.3%,
    # and SAL-2025-07-1: 33.2% → 30.8%, down by more than the series' usual variation; the
    # other eleven moved less (PM-castlebridge-1: 31.7% → 30.6%).
    assert alt.endswith("; 13 actions with the mean of three readings before and after them "
                        "marked, what followed: 0 moved the right way, 11 no clear change, "
                        "2 moved the wrong way."), alt
    listed = {}
    for item in re.findall(r"<li><code>(.*?)</li>", section):
        said = re.search(r'what followed: <a href="\.\./\.\./actions/effectiveness/#([a-z-]+)"',
                         item)
        listed[item.split("<", 1)[0]] = said[1] if said else None
    wrong = {"SAL-2025-05-1", "SAL-2025-07-1"}
    unclear = {"SAL-2025-06-1", "SAL-2025-08-1", "QBR-2025-Q2-2", "PM-halvorsen-1",
               "SAL-2026-01-1", "PM-castlebridge-1", "PM-three-tier-2", "SAL-2026-05-1",
               # Marketing's and RevOps' actions, judged on Sales' readings: bars, no triangle.
               "QBR-2025-Q3-1", "QBR-2025-Q4-2", "PM-three-tier-1"}
    assert listed == {**dict.fromkeys(wrong, "moved-the-wrong-way"),
                      **dict.fromkeys(unclear, "no-clear-change"),
                      # done 2026-09-24: October and November read so far, no bar yet
                      "SAL-2026-08-1": "too-early-to-tell"}, listed
    assert "<code>QBR-2025-Q3-1</code> (RevOps) done" in section


def test_the_backlog_chart_s_figures_are_in_a_table_under_it(sample_site: Path) -> None:
    """The register's chart of actions opened and closed per month said in words only "12
    open as of 2026-11-23": each month's bars were in no text (WCAG 1.1.1). A folded table
    under the chart gives them."""
    register = (sample_site / "actions" / "index.html").read_text(encoding="utf-8")
    figure = register.split('<img src="../charts/actions.svg"', 1)[1].split("</figure>", 1)[0]
    folded = re.search(r'<details class="hs-chart-data"><summary>Opened and closed by month'
                       r"</summary>(.*?)</details>", figure, re.S)
    assert folded, figure
    heads = [html.unescape(h) for h in re.findall(r"<th[^>]*>([^<]*)</th>",
                                                    folded[1].split("</thead>")[0])]
    assert heads == ["Month", "Opened", "Closed", "Open at month's end"]
    rows = {month: [int(n) for n in cells] for month, *cells in re.findall(
        r'<tr><th scope="row" class="hs-date">([\d-]+)</th><td class="hs-num">(\d+)</td>'
        r'<td class="hs-num">(\d+)</td><td class="hs-num">(\d+)</td></tr>', folded[1])}
    # A row a month from the first action (May 2025) to the build's month.
    assert len(rows) == 19 and min(rows) == "2025-05" and max(rows) == "2026-11", rows
    # September 2026: MKT-2026-08-1 and -2, SAL-2026-06-1, SAL-2026-08-1 and QBR-2026-Q2-2
    # done; October: the records held then raise 6 (the September retros 1 each, the Q3
    # review 2, Operation Second Look 2) and close none; November: the October retros raise
    # 3, and their updates leave two in progress.
    assert rows["2026-09"][1] == 5 and rows["2026-09"][2] == 3, rows["2026-09"]
    assert rows["2026-10"] == [6, 0, 9] and rows["2026-11"] == [3, 0, 12], rows


def test_home_s_recurring_causes_are_those_cited_more_than_once(tmp_path: Path) -> None:
    """A knowledge base's first month: two retros each citing a cause of their own. Home's
    "Recurring root causes" listed both ("ICP drift — Cited 1"), calling each recurring.
    Once a second record cites ICP drift, it alone is listed."""
    def retro(team: str, period: str, cause: str) -> str:
        return (f"---\ntype: retro\nperiod: {period}\nteam: {team}\nheld: {period}-28\n"
                "facilitator: Ana Silva\nformat: five-whys\nindicators: {}\n"
                f"causes:\n  - cause: {cause}\n    note: It came up.\n---\n\nBody.\n")

    root = tmp_path / "kb"
    (root / "retros").mkdir(parents=True)
    shutil.copy(FIXTURES / "taxonomy.yml", root / "taxonomy.yml")
    (root / "retros" / "2026-10-sales.md").write_text(retro("sales", "2026-10", "icp-drift"))
    (root / "retros" / "2026-10-marketing.md").write_text(
        retro("marketing", "2026-10", "nurture-decay"))

    def causes_section() -> str:
        home = build(root, dt.date(2026, 12, 5)).files["index.md"].decode()
        return home.split("## Recurring root causes", 1)[1].split("\n## ", 1)[0]

    first = causes_section()
    assert "No root cause is cited by more than one record yet (2 are cited once)." in first
    assert "<table" not in first, first
    (root / "retros" / "2026-11-sales.md").write_text(retro("sales", "2026-11", "icp-drift"))
    second = "\n".join(table_rows(causes_section()))
    assert "| [ICP drift](causes/icp-drift/) | [2](causes/icp-drift/#citations) |" in second, \
        second
    assert "Nurture decay" not in second, second


def test_the_record_format_page_gives_examples_from_the_sites_own_taxonomy(
        tmp_path: Path) -> None:
    """Nordfjord's Record format page said "e.g. icp-drift", "e.g. mql-to-sql", "e.g.
    deal-size", "e.g. enterprise": the sample's ids, which its records cannot cite. Its
    examples are its own ids now, and a field whose vocabulary it lacks (assumption
    categories, a new_arr: section) gives none; the JSON Schema, which serves every knowledge
    base, names no vocabulary id at all."""
    root = tmp_path / "kb"
    root.mkdir()
    (root / "taxonomy.yml").write_text(NORDFJORD, encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("generate", "--out", str(out), "--root", str(root), "--as-of", "2026-06-15")
    assert result.exit_code == 0, result.output
    page = (out / "guide" / "record-format.md").read_text(encoding="utf-8")
    rows = {line.split(" | ")[0]: line for line in page.splitlines() if line.startswith("| `")}

    def row(field: str, after: str = "") -> str:
        """The row of ``field``, in the first table after the heading that starts ``after``."""
        table = page.split(f"\n## {after}", 1)[1] if after else page
        return next(line for line in table.splitlines() if line.startswith(f"| `{field}` |"))

    assert "e.g. `slow-first-touch`." in row("cause", "Root cause")
    assert "\\(a cause id, e.g. `slow-first-touch`\\)" in row("cause", "Action (")
    assert "\\(an indicator id, e.g. `meetings-booked`\\)" in row("indicator", "Action (")
    assert "e.g. `INBOUND-SDR-2026-06-1`." in row("id", "Action (")
    assert "e.g. `[campaign, deal]`." in row("applies_to")
    assert "e.g. `[local-support, roi-case]`." in row("reasons")
    assert "which may be a kind of your own, e.g. `partner-program`\\)" in row("plan_kind")
    assert "instead of the overall value, e.g. `dach`." in row("segment", "Plan-vs-actual")
    assert "the dimension they are split by, e.g. `region`." in row("segment_by")
    assert "e.g. `meetings-booked`." in row("id", "Indicator")
    # What Nordfjord has none of: no example, rather than the sample's.
    assert "e.g." not in row("category") and "e.g." not in row("segment", "Deal")
    assert "e.g." not in row("icp_tier") and "e.g." not in row("won")
    assert "e.g." not in row("deal_size") and "e.g." not in row("formula")
    sample = ("icp-drift", "mql-to-sql", "deal-size", "deals-won", "sqls / mqls", "enterprise",
              "tier-1", "integration-fit", "security-readiness", "`demand`", "SAL-", "{e.g.")
    assert not [word for word in sample if word in page], rows

    schema = run_cli("schema").output
    assert not [word for word in (*sample, "partner-program") if word in schema]


def test_the_not_found_page_is_named_for_what_it_says(sample_site: Path) -> None:
    """A browser tab and a screen reader name the 404 page "Page not found", not the site
    alone, which every reader took for the home page."""
    missing = (sample_site / "404.html").read_text(encoding="utf-8")
    title = missing.split("<title>", 1)[1].split("</title>", 1)[0]
    assert title == "Page not found - Brightlane — what we learned", title
    home = (sample_site / "index.html").read_text(encoding="utf-8")
    assert "<title>Brightlane — what we learned</title>" in home
    record = (sample_site / "records" / "2026-05-sales" / "index.html").read_text(
        encoding="utf-8")
    assert record.count("<title>") == 1 and "Page not found" not in record
