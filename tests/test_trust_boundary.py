"""The trust boundary around record text: reserved ids, owner slugs, terminals, generated trees."""

from __future__ import annotations

import hashlib
import inspect
import posixpath
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import FIXTURES, HERE, make_kb, run_cli
from generator import paths
from generator.paths import ID_PAGES, fixed_files, owner_slug

REPO_DOCS = HERE.parent / "docs"

RETRO = (HERE / "bad_input" / "owner-non-latin-names" / "retros" / "2026-05-sales.md").read_text()
LOST_DEAL = """---
type: postmortem
name: The lost deal
kind: other
outcome: loss
summary: A late-stage deal went to a competitor.
team: sales
event_ended: 2026-05-20
held: 2026-05-25
keeper: Ann
causes:
  - {cause: icp-drift, whys: [The account was outside the ICP]}
---

What happened.
"""


def _collisions() -> list[tuple[str, str, str]]:
    """(kind, id, page) for every id whose own page lands on a fixed page, from the page map."""
    found = []
    for kind, path_of in ID_PAGES.items():
        folder = posixpath.dirname(path_of("x"))
        for fixed in fixed_files():
            if fixed.endswith(".md") and posixpath.dirname(fixed) == folder:
                found.append((kind, posixpath.basename(fixed).removesuffix(".md"), fixed))
        found.append((kind, "index", posixpath.join(folder, "index.md")))
    return sorted(set(found))


def test_every_page_made_from_an_id_is_in_the_page_map() -> None:
    # A new `*_path(id)` function must be registered, so its ids are checked for collisions.
    made_from_ids = {name for name, fn in inspect.getmembers(paths, inspect.isfunction)
                     if name.endswith("_path") and name != "owner_path"
                     and len(inspect.signature(fn).parameters) == 1}
    assert made_from_ids == {fn.__name__ for fn in ID_PAGES.values()}


@pytest.mark.parametrize(("year_path", "own_path"), [(paths.cause_year_path, paths.cause_path),
                                                    (paths.owner_year_path, paths.owner_path)])
def test_year_pages_live_in_their_own_folder_where_no_fixed_page_is(
        year_path: Callable[[str, int], str], own_path: Callable[[str], str]) -> None:
    # A busy cause's or owner's year pages are named by a year inside a folder named by the
    # cause or owner: no fixed page lives in such a folder, so no id can make one replace
    # another.
    folder = posixpath.dirname(year_path("x", 2026))
    assert folder == posixpath.splitext(own_path("x"))[0]
    parent = posixpath.dirname(folder) + "/"
    assert not any(posixpath.dirname(fixed).startswith(parent) for fixed in fixed_files())


def test_the_page_map_yields_the_known_collisions() -> None:
    pairs = {(kind, item) for kind, item, _ in _collisions()}
    # Worked out by hand from PAGES: each section's index, and the assumptions ledger.
    assert {("cause", "index"), ("team", "index"), ("plan kind", "assumptions"),
            ("plan kind", "index"), ("indicator", "index"), ("record", "index")} <= pairs


@pytest.mark.parametrize(("kind", "item", "page"), _collisions())
def test_an_id_that_would_replace_a_generated_page_is_a_located_error(
        tmp_path: Path, kind: str, item: str, page: str) -> None:
    root = make_kb(tmp_path / "kb", {})
    taxonomy = (FIXTURES / "taxonomy.yml").read_text()
    if kind == "record":
        (root / "retros").mkdir()
        (root / "retros" / f"{item}.md").write_text(RETRO)
        where = f"retros/{item}.md:1:1  id  "
    else:
        group = {"cause": "causes", "team": "teams", "indicator": "indicators",
                 "plan kind": "plan_kinds"}[kind]
        (root / "taxonomy.yml").write_text(_rename_first(taxonomy, group, item))
        where = f"{group}[0].id  "
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15")
    assert result.exit_code == 1, result.output
    assert where in result.output
    assert f"id '{item}' is reserved: its page would replace the generated page {page}" \
        in result.output


def _rename_first(taxonomy: str, group: str, new_id: str) -> str:
    head, tail = taxonomy.split(f"\n{group}:\n", 1)
    first, rest = tail.split("\n", 1)
    assert first.startswith("  - id: ")
    return f"{head}\n{group}:\n  - id: {new_id}\n{rest}"


def test_characters_that_change_nothing_seen_do_not_split_an_owner() -> None:
    """Variation selectors, Mongolian free variation selectors, Khmer inherent vowels and
    zero-width joiners in a name change nothing a reader sees: one owner, one page."""
    for hidden in ("\ufe0f", "\U000e0100", "\u180b", "\u17b4", "\u200c", "\u200d"):
        assert owner_slug(f"Ольга{hidden}") == owner_slug("Ольга"), repr(hidden)
        assert owner_slug(f"Ann{hidden}a") == owner_slug("Anna"), repr(hidden)


def test_owner_slugs_are_distinct_and_stable_for_any_script() -> None:
    def digest(name: str) -> str:
        return hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]

    assert owner_slug("李雷") == f"owner-{digest('李雷')}"
    assert owner_slug("王芳") == f"owner-{digest('王芳')}"
    assert owner_slug("李雷") != owner_slug("王芳")
    assert owner_slug("Ольга Петрова") != owner_slug("Олег Петров")
    # Latin names read as themselves; accents fold as before.
    assert owner_slug("José Díaz") == "jose-diaz"
    assert owner_slug("Dana Ruiz") == "dana-ruiz"
    # Letters NFKD keeps whole are spelled out, so a German name reads as itself too.
    assert owner_slug("Jürgen Groß") == "jurgen-gross"
    # Mixed names keep their ASCII part and stay distinct. The hash is of the name as owners
    # are compared (case folded), so "LI 李雷" is the same page.
    assert owner_slug("Li 李雷") == owner_slug("LI 李雷") == f"li-{digest('li 李雷')}"
    # `index` would be the owners folder's own page.
    assert owner_slug("Index") == owner_slug("index") == f"index-{digest('index')}"


def test_non_latin_owners_get_their_own_pages(tmp_path: Path) -> None:
    root = make_kb(tmp_path / "kb", {"retros/2026-05-sales.md": RETRO})
    out = tmp_path / "out"
    result = run_cli("generate", "--out", str(out), "--root", str(root), "--as-of", "2026-06-15")
    assert result.exit_code == 0, result.output
    # Each owner's page, beside the index of owners.
    pages = sorted(p.name for p in (out / "actions" / "owners").glob("*.md") if p.name != "index.md")
    assert pages == sorted([f"{owner_slug('李雷')}.md", f"{owner_slug('王芳')}.md"])
    assert "王芳" not in (out / "actions" / "owners" / f"{owner_slug('李雷')}.md").read_text()


def test_generated_tree_embeds_sanitized_body_html(tmp_path: Path) -> None:
    body = "Plain *words* and a [link](https://example.com).\n\n- [x] done\n\n`<script>`"
    record = RETRO.replace("# Sales retro — May 2026\n", f"# Sales retro — May 2026\n\n{body}\n")
    root = make_kb(tmp_path / "kb", {"retros/2026-05-sales.md": record})
    out = tmp_path / "out"
    assert run_cli("generate", "--out", str(out), "--root", str(root),
                   "--as-of", "2026-06-15").exit_code == 0
    page = (out / "records" / "2026-05-sales.md").read_text()
    assert '<div class="hs-body">' in page
    assert '<a href="https://example.com" rel="noopener noreferrer">link</a>' in page
    assert "<code>&lt;script&gt;</code>" in page
    assert "Plain *words*" not in page  # HTML, not Markdown another engine might read otherwise


def test_terminal_never_receives_escape_sequences(tmp_path: Path) -> None:
    root = make_kb(tmp_path / "kb", {"retros/2026-05-sales.md": RETRO})
    (root / "retros" / "notes\x1b[2J\u202e.txt").write_text("not a record")
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15")
    assert "\x1b" not in result.output and "\u202e" not in result.output
    assert "retros/notes\\u001b[2J\\u202e.txt:1:1  -  warning: is not a record" in result.output


def test_extensions_come_from_the_knowledge_bases_mkdocs_yml(tmp_path: Path) -> None:
    # With fenced code enabled by the site, a fenced block is code; without it, it is not.
    body = "```\n<iframe></iframe>\n```"
    record = RETRO.replace("# Sales retro — May 2026\n", f"# Sales retro — May 2026\n\n{body}\n")
    root = make_kb(tmp_path / "kb", {"retros/2026-05-sales.md": record})
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15")
    assert "raw HTML <iframe> is not allowed" in result.output
    (root / "mkdocs.yml").write_text("site_name: x\nmarkdown_extensions:\n  - fenced_code\n")
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15")
    assert result.exit_code == 0, result.output
    shutil.rmtree(root)


def test_a_link_to_another_record_in_a_body_reaches_its_page(tmp_path: Path) -> None:
    from sitetools import make_project, mkdocs_build, parse_page, resolve_link

    # By file name, and by the path that works when the file is read on the git host.
    body = ("See [last month](2026-04-sales.md#indicators) and [the notes](https://example.com).\n\n"
            "Also [the lost deal](../postmortems/2026-05-the-lost-deal.md) and "
            "[April again](./2026-04-sales.md).")
    record = RETRO.replace("# Sales retro — May 2026\n", f"# Sales retro — May 2026\n\n{body}\n")
    april = RETRO.replace("2026-05", "2026-04").replace("2026-06-03", "2026-05-04")
    root = make_kb(tmp_path / "kb", {"retros/2026-05-sales.md": record,
                                     "retros/2026-04-sales.md": april,
                                     "postmortems/2026-05-the-lost-deal.md": LOST_DEAL})
    project = make_project(tmp_path / "site", root)
    result = mkdocs_build(project, "2026-06-15")
    assert result.returncode == 0, result.stdout + result.stderr
    site = project / "site"
    page = site / "records" / "2026-05-sales" / "index.html"
    # The link, written in the body as `2026-04-sales.md#indicators`, reaches April's section.
    reached = [resolve_link(site, page, href) for href in parse_page(page).links
               if "2026-04-sales" in href]
    april = site / "records" / "2026-04-sales" / "index.html"
    assert len(reached) == 2 and all(r is not None and r[0].resolve() == april.resolve()
                                     for r in reached)
    assert sorted(r[1] for r in reached if r is not None) == ["", "indicators"]
    assert april.exists()
    # `../postmortems/…` reaches the post-mortem's page (records are published side by side).
    (lost,) = [resolve_link(site, page, href) for href in parse_page(page).links
               if "the-lost-deal" in href]
    target = site / "records" / "2026-05-the-lost-deal" / "index.html"
    assert lost is not None and lost[0].resolve() == target.resolve() and target.exists()


def test_a_link_to_a_section_must_name_one_the_page_has(tmp_path: Path) -> None:
    from sitetools import make_project, mkdocs_build

    # April has readings, a list section, a cause and a heading of its own; May links to each
    # of their anchors, which validation must accept and the built page must hold.
    april = RETRO.replace("2026-05", "2026-04").replace("2026-06-03", "2026-05-04").replace(
        "actions:\n", "went_well: [Pipeline reviews]\ncauses:\n  - cause: icp-drift\n"
        "actions:\n").replace("The enterprise win rate fell.", "## The numbers\n\nThey fell.")
    anchors = ["indicators", "what-went-well", "icp-drift", "causes", "the-numbers"]
    body = " ".join(f"[{a}](2026-04-sales.md#{a})" for a in anchors)
    record = RETRO.replace("# Sales retro — May 2026\n", f"# Sales retro — May 2026\n\n{body}\n")
    root = make_kb(tmp_path / "kb", {"retros/2026-05-sales.md": record,
                                     "retros/2026-04-sales.md": april})
    checked = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15")
    assert checked.exit_code == 0, checked.output
    project = make_project(tmp_path / "site", root)
    result = mkdocs_build(project, "2026-06-15")
    assert result.returncode == 0, result.stdout + result.stderr
    built = (project / "site" / "records" / "2026-04-sales" / "index.html").read_text()
    assert all(f'id="{a}"' in built for a in anchors), [a for a in anchors if f'id="{a}"' not in built]
    # A section the page does not have is an error at the link, with the closest.
    broken = record.replace("2026-04-sales.md#causes", "2026-04-sales.md#causez").replace(
        "2026-04-sales.md#lessons", "")
    (root / "retros" / "2026-05-sales.md").write_text(broken)
    (root / "retros" / "2026-04-sales.md").write_text(april.replace("went_well: [Pipeline "
                                                                    "reviews]\n", ""))
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15")
    assert result.exit_code == 1
    line = 1 + broken.split("\n").index(body.replace("#causes", "#causez"))
    assert (f"retros/2026-05-sales.md:{line}:" in result.output and "body  links to "
            "2026-04-sales.md#causez, but its page has no section 'causez' (did you mean causes?)"
            in result.output), result.output
    assert "links to 2026-04-sales.md#what-went-well, but its page has no section" in result.output


def test_a_folder_path_link_to_a_missing_record_is_an_error_at_its_line(tmp_path: Path) -> None:
    body = "Like [the lost deal](../postmortems/2026-05-the-lost-dea.md)."
    record = RETRO.replace("# Sales retro — May 2026\n", f"# Sales retro — May 2026\n\n{body}\n")
    root = make_kb(tmp_path / "kb", {"retros/2026-05-sales.md": record,
                                     "postmortems/2026-05-the-lost-deal.md": LOST_DEAL})
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15")
    assert result.exit_code == 1
    line = 1 + record.split("\n").index(body)
    # The column of the file name: "Like [the lost deal](" is 21 characters, "../postmortems/" 15.
    assert (f"retros/2026-05-sales.md:{line}:37  body  links to 2026-05-the-lost-dea.md, but no "
            "record '2026-05-the-lost-dea' exists (did you mean 2026-05-the-lost-deal?)"
            ) in result.output


def test_records_in_sub_folders_link_each_other_by_their_git_host_paths(tmp_path: Path) -> None:
    """A knowledge base kept in year folders links records by their path from the record's own
    folder, as the git host follows them: each such link reaches the record's page; one that
    leads out of the records, or to a record that does not exist, is an error at its line."""
    from sitetools import make_project, mkdocs_build, parse_page, resolve_link

    links = ("[April](../2025/2026-04-sales.md#indicators), [May again](./2026-05-sales.md), "
             "[the deal](../../postmortems/2026-05-the-lost-deal.md)")
    record = RETRO.replace("2026-05", "2026-06").replace("2026-06-03", "2026-07-02").replace(
        "# Sales retro — May 2026\n", f"# Sales retro — June 2026\n\nSee {links}.\n")
    april = RETRO.replace("2026-05", "2026-04").replace("2026-06-03", "2026-05-04")
    files = {"retros/2026/2026-06-sales.md": record, "retros/2026/2026-05-sales.md": RETRO,
             "retros/2025/2026-04-sales.md": april,
             "postmortems/2026-05-the-lost-deal.md": LOST_DEAL}
    root = make_kb(tmp_path / "kb", files)
    checked = run_cli("validate", "--root", str(root), "--as-of", "2026-07-15")
    assert checked.exit_code == 0, checked.output
    project = make_project(tmp_path / "site", root)
    result = mkdocs_build(project, "2026-07-15")
    assert result.returncode == 0, result.stdout + result.stderr
    site = project / "site"
    page = site / "records" / "2026-06-sales" / "index.html"
    reached = {href: resolve_link(site, page, href) for href in parse_page(page).links
               if any(id_ in href for id_ in ("2026-04-sales", "2026-05-sales", "lost-deal"))}
    targets = {(r[0].resolve(), r[1]) for r in reached.values() if r is not None}
    for id_, anchor in (("2026-04-sales", "indicators"), ("2026-05-sales", ""),
                        ("2026-05-the-lost-deal", "")):
        target = (site / "records" / id_ / "index.html").resolve()
        assert target.exists() and (target, anchor) in targets, (id_, reached)
    # Out of the records (a docs page), and to a record that is not there: errors at the link.
    body = "See [the guide](../../docs/guide/x.md) and [March](../2025/2026-03-sales.md)."
    (root / "retros" / "2026" / "2026-06-sales.md").write_text(
        record.replace(f"See {links}.", body))
    checked = run_cli("validate", "--root", str(root), "--as-of", "2026-07-15")
    assert checked.exit_code == 1
    line = 1 + record.replace(f"See {links}.", body).split("\n").index(body)
    assert (f"retros/2026/2026-06-sales.md:{line}:17  body  links to ../../docs/guide/x.md, "
            "which is not a page of the site") in checked.output, checked.output
    assert (f"retros/2026/2026-06-sales.md:{line}:60  body  links to 2026-03-sales.md, but no "
            "record '2026-03-sales' exists") in checked.output, checked.output


def test_each_bad_link_is_an_error_at_itself_and_no_good_link_is(tmp_path: Path) -> None:
    """A body that links April well (by file name, by path to a section) and badly (its id
    without ``.md``, inline, in raw HTML and in a reference definition) gets one error per bad
    link, each where that link's target is written: none on the good links, whose targets
    contain the bad one's text, and none on a code span that only shows a link."""
    lines = ["See [the April retro](2026-04-sales.md) and [April](2026-04-sales) again.",
             "Its [indicators](../retros/2026-04-sales.md#indicators), "
             "not `[a link](2026-04-sales)`.",
             "[Notes][notes] and <a href=\"2026-04-sales\">April</a>; 2026-04-sales in words.",
             "",
             '[notes]: 2026-04-sales "April\'s notes"']
    body = "\n".join(lines)
    record = RETRO.replace("# Sales retro — May 2026\n", f"# Sales retro — May 2026\n\n{body}\n")
    april = RETRO.replace("2026-05", "2026-04").replace("2026-06-03", "2026-05-04")
    root = make_kb(tmp_path / "kb", {"retros/2026-05-sales.md": record,
                                     "retros/2026-04-sales.md": april})
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15",
                     str(root / "retros" / "2026-05-sales.md"))
    assert result.exit_code == 1, result.output
    first = 1 + record.split("\n").index(lines[0])  # the body's lines follow each other
    # Columns: "See [the April retro](2026-04-sales.md) and [April](" is 52 characters,
    # "[Notes][notes] and <a href=\"" 28, "[notes]: " 9.
    message = ("body  links to 2026-04-sales, which is not a page of the site (link another "
               "record by its file name, e.g. 2026-05-sales.md or ../postmortems/2026-06-the-"
               "compass-launch.md; anything else by its full https:// address)")
    assert result.output.splitlines() == [
        f"retros/2026-05-sales.md:{first}:53  {message}",
        f"retros/2026-05-sales.md:{first + 2}:29  {message}",
        f"retros/2026-05-sales.md:{first + 4}:10  {message}",
        "3 errors, 0 warnings; 1 file checked",
    ]


def test_a_link_to_a_section_of_a_record_with_an_error_is_checked_in_the_same_run(
        tmp_path: Path) -> None:
    """April's status typed ``Done`` fails the schema; May's link to a section April's page
    does not have is still reported, against the page April's front matter and body make (its
    title, its readings and actions, its own heading), and so are April's own bad links."""
    april = RETRO.replace("2026-05", "2026-04").replace("2026-06-03", "2026-05-04").replace(
        "    due: 2026-06-30\n", "    due: 2026-06-30\n    status: Done\n").replace(
        "The enterprise win rate fell.",
        "## Pipeline by segment\n\nBack to [May](2026-05-sales) and [up](#pipline-by-segment).")
    anchors = ["sales-retro-april-2026", "indicators", "actions", "pipeline-by-segment"]
    body = " ".join(f"[{a}](2026-04-sales.md#{a})" for a in anchors)
    body += " [its pipeline](2026-04-sales.md#pipeline)."
    record = RETRO.replace("# Sales retro — May 2026\n", f"# Sales retro — May 2026\n\n{body}\n")
    root = make_kb(tmp_path / "kb", {"retros/2026-05-sales.md": record,
                                     "retros/2026-04-sales.md": april})
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15")
    assert result.exit_code == 1, result.output
    may_line = 1 + record.split("\n").index(body)
    april_line = 1 + april.split("\n").index("Back to [May](2026-05-sales) and "
                                             "[up](#pipline-by-segment).")
    status_line = 1 + april.split("\n").index("    status: Done")
    # Columns: the four good links are 65, 41, 35 and 59 characters with a space between
    # (203), " [its pipeline](" 16 more; "Back to [May](" is 14, "Back to [May](2026-05-sales)
    # and [up](" 38.
    assert result.output.splitlines() == [
        f"retros/2026-04-sales.md:{status_line}:13  actions[0].status  must be one of open, "
        "in-progress, done, dropped (got \"Done\") (did you mean done?)",
        f"retros/2026-04-sales.md:{april_line}:15  body  links to 2026-05-sales, which is not "
        "a page of the site (link another record by its file name, e.g. 2026-05-sales.md or "
        "../postmortems/2026-06-the-compass-launch.md; anything else by its full https:// "
        "address)",
        f"retros/2026-04-sales.md:{april_line}:39  body  links to #pipline-by-segment, but "
        "this page has no section 'pipline-by-segment' (did you mean pipeline-by-segment?)",
        f"retros/2026-05-sales.md:{may_line}:220  body  links to 2026-04-sales.md#pipeline, "
        "but its page has no section 'pipeline' (did you mean pipeline-by-segment?)",
        "4 errors, 0 warnings; 2 files checked",
    ]


def test_the_plugin_sanitizes_generated_pages_and_leaves_hand_written_ones(tmp_path: Path) -> None:
    from mkdocs.config import load_config
    from mkdocs.structure.files import File
    from mkdocs.structure.pages import Page

    from generator.site.plugin import HindsightPlugin

    config = load_config(str(HERE.parent / "mkdocs.yml"))
    plugin = HindsightPlugin()
    plugin.generated_paths = {"records/x.md"}
    hostile = '<p onclick="alert(1)">a <a href="java&#10;script:alert(2)">b</a></p><script>alert(3)</script>'

    def content(path: str) -> str | None:
        page = Page(None, File(path, str(tmp_path), str(tmp_path / "site"), True), config)
        return plugin.on_page_content(hostile, page=page, config=config, files=None)  # type: ignore[arg-type]

    assert content("records/x.md") == '<p>a <a rel="noopener noreferrer">b</a></p>'
    assert content("guide/x.md") == hostile  # the site's own pages are the maintainers' to write


def test_published_ids_never_shadow_the_themes_own_elements() -> None:
    from generator.records.sanitize import sanitize

    # Material keeps its settings in #__config; an element of ours with that id would clobber it.
    cleaned = sanitize('<p id="__config">a</p><p id="competition-deal-failed">b</p>'
                       '<h2 id="tag:icp-drift">c</h2>')
    assert 'id="__config"' not in cleaned
    assert 'id="competition-deal-failed"' in cleaned and 'id="tag:icp-drift"' in cleaned


def test_a_heading_taking_a_site_id_is_one_error_and_publishes_no_dead_link(
        tmp_path: Path) -> None:
    # `{: #__nav_2 }` was told twice: its id refused, then "links to #__nav_2, but this page has
    # no section", a link the writer never wrote (the heading's ¶ link kept pointing at the
    # refused id). The header search box's ids were not refused at all.
    body = "## Plan {: #__nav_2 }\n\nText.\n\n## Search {: #hs-search-results }\n\n## Fine\n"
    record = RETRO.replace("# Sales retro — May 2026\n", f"# Sales retro — May 2026\n\n{body}")
    root = make_kb(tmp_path / "kb", {"retros/2026-05-sales.md": record})
    checked = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15")
    assert checked.exit_code == 1
    errors = [line for line in checked.output.splitlines() if "  body  " in line]
    lines = record.split("\n")
    assert errors == [
        f"retros/2026-05-sales.md:{lines.index('## Plan {: #__nav_2 }') + 1}:13  body  the id "
        "__nav_2 on <h2> is the site's own, not a record's (choose another with "
        "{: #another-id }, or write the heading otherwise; ids starting with _ and the search "
        "box's are the site's)",
        f"retros/2026-05-sales.md:{lines.index('## Search {: #hs-search-results }') + 1}:15  "
        "body  the id hs-search-results on <h2> is the site's own, not a record's (choose "
        "another with {: #another-id }, or write the heading otherwise; ids starting with _ "
        "and the search box's are the site's)"], checked.output
    from generator.records.body import renderer_for

    published = renderer_for(root).safe_html(body)
    assert "__nav_2" not in published and "hs-search-results" not in published, published
    assert published.count('class="headerlink"') == 1 and 'href="#fine"' in published


def test_an_image_keeps_only_a_size_in_pixels_and_a_loading_hint() -> None:
    from generator.records.sanitize import sanitize

    kept = sanitize('<img src="a.svg" alt="a" width="482" height="370" loading="lazy">')
    assert kept == ('<img src="a.svg" alt="a" width="482" height="370" loading="lazy" '
                    'referrerpolicy="no-referrer">')
    cleaned = sanitize('<img src="a.svg" width="100%" height="999999" loading="javascript:x">')
    assert cleaned == '<img src="a.svg" referrerpolicy="no-referrer">'


def test_an_image_from_another_host_is_not_told_which_record_was_read(tmp_path: Path) -> None:
    # Images are given by their full address, so each reader's browser fetches them from that
    # host; it was sent the page's address too (which record, which post-mortem was read).
    from sitetools import make_project, mkdocs_build

    body = "Before the launch: ![pipeline](https://pixel.example/p.gif?who=reader)\n"
    record = RETRO.replace("# Sales retro — May 2026\n", f"# Sales retro — May 2026\n\n{body}")
    root = make_kb(tmp_path / "kb", {"retros/2026-05-sales.md": record})
    project = make_project(tmp_path / "site", root)
    result = mkdocs_build(project, "2026-06-15")
    assert result.returncode == 0, result.stdout + result.stderr
    page = (project / "site" / "records" / "2026-05-sales" / "index.html").read_text()
    assert ('<img alt="pipeline" src="https://pixel.example/p.gif?who=reader" '
            'referrerpolicy="no-referrer">') in page
    written = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15")
    assert written.exit_code == 0 and "referrerpolicy" not in written.output, written.output


def test_a_plan_kinds_title_reaches_the_navigation_as_text(tmp_path: Path) -> None:
    """The navigation lists the plan kinds by their titles, which the theme writes into every
    page as HTML: a title is escaped there (markup in it is refused by validation), so
    "Deals < $10k & renewals" reads as written on every page."""
    from sitetools import make_project, mkdocs_build

    project = make_project(tmp_path / "site", FIXTURES / "corpus")
    taxonomy = project / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text().replace(
        "  - id: deal\n    title: Deals", '  - id: deal\n    title: "Deals < $10k & renewals"'))
    built = mkdocs_build(project, "2026-07-20")
    assert built.returncode == 0, built.stderr
    home = (project / "site" / "index.html").read_text()
    assert "Deals &lt; $10k &amp; renewals" in home
    assert "Deals < $10k" not in home


def test_a_link_written_in_a_code_span_stays_text(tmp_path: Path) -> None:
    """`` `<a href="2026-04-sales.md">` `` in a body is code a reader sees as written: it is
    not rewritten to the served address, and April gets no backlink from it."""
    import datetime as dt

    from generator.site.build import build

    body = ('Our template holds `<a href="2026-04-sales.md">` as text.\n\n## Actions\n\n'
            'And `<h2 id="actions">` too.')
    record = RETRO.replace("# Sales retro — May 2026\n", f"# Sales retro — May 2026\n\n{body}\n")
    april = RETRO.replace("2026-05", "2026-04").replace("2026-06-03", "2026-05-04")
    root = make_kb(tmp_path / "kb", {"retros/2026-05-sales.md": record,
                                     "retros/2026-04-sales.md": april})
    generated = build(root, dt.date(2026, 6, 15))
    may = generated.files["records/2026-05-sales.md"].decode()
    assert '<code>&lt;a href="2026-04-sales.md"&gt;</code>' in may
    # The body's own "actions" heading is renamed, its code span is not.
    assert 'id="actions-1"' in may and '<code>&lt;h2 id="actions"&gt;</code>' in may
    assert "2026-05-sales" not in generated.links.backlinks.get("2026-04-sales", [])
    assert not generated.links.backlinks.get("2026-04-sales")


def test_a_body_keeps_its_own_first_heading_and_cannot_take_the_pages_sections(
        tmp_path: Path) -> None:
    """A first heading that is not the record's title is the author's and stays (it was
    dropped); a body's ``## Actions`` or ``{: #actions }`` would be a second ``actions`` id
    on the page, where the register's links to the record's actions land: the body's ids are
    renamed, with its own links to them."""
    import datetime as dt

    from generator.site.build import build

    body = ("# Launch recap\n\nText.\n\n## Actions\n\nSee [our list](#actions).\n\n"
            "## Done on time {: #action-updates }\n\nNothing.\n")
    record = RETRO.replace("# Sales retro — May 2026\n", body)
    root = make_kb(tmp_path / "kb", {"retros/2026-05-sales.md": record})
    page = build(root, dt.date(2026, 6, 15)).files["records/2026-05-sales.md"].decode()
    assert '<h2 id="launch-recap">Launch recap' in page
    assert 'id="actions-1"' in page and 'href="#actions-1"' in page
    assert 'id="action-updates-1"' in page
    assert 'id="actions"' not in page and 'id="action-updates"' not in page
    assert "## Actions raised { #actions }" in page  # the page's own section keeps its id


@pytest.mark.parametrize("link", ["docs/assets-leak", "overrides/leak.txt", "docs"])
def test_a_link_in_the_project_to_files_outside_is_not_published(tmp_path: Path,
                                                                 link: str) -> None:
    """MkDocs follows symbolic links: a link committed under docs/ or the theme's overrides/
    (or docs/ itself as a link) to files of the machine that builds would publish them
    (``overrides/env.txt -> /proc/self/environ``). The build stops and names the file."""
    from sitetools import make_project, mkdocs_build

    outside = tmp_path / "outside"
    if link == "docs":
        shutil.copytree(REPO_DOCS, outside)
    else:
        outside.mkdir()
    (outside / "secret.txt").write_text("OUTSIDE-SECRET")
    project = make_project(tmp_path / "site", FIXTURES / "corpus")
    if link == "docs":
        shutil.rmtree(project / "docs")
    target = outside / "secret.txt" if link.endswith(".txt") else outside
    (project / link).symlink_to(target, target_is_directory=target.is_dir())
    built = mkdocs_build(project, "2026-07-20")
    assert built.returncode == 1
    first = link if link.endswith(".txt") else f"{link}/"
    assert re.search(re.escape(first) + r"\S* is, or lies under, a symbolic link to somewhere "
                     "outside the project", built.stderr), built.stderr
    published = [p for p in (project / "site").rglob("*") if p.is_file()] \
        if (project / "site").exists() else []
    assert not any("OUTSIDE-SECRET" in p.read_text(errors="replace") for p in published)
