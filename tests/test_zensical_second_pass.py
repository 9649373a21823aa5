"""Under Zensical a generated page's HTML passes the allowlist a second time, as under MkDocs."""

from __future__ import annotations

import importlib.util
import re
from collections import Counter
from pathlib import Path

import pytest

from conftest import event_kb, run_cli
from sitetools import make_project

needs_zensical = pytest.mark.skipif(
    importlib.util.find_spec("zensical") is None,
    reason="Zensical is not installed (pip install 'hindsight[zensical]'); it could not be "
    "installed from the package index here")

AS_OF = "2026-07-20"
SOURCE = "https://github.com/brightlane/hindsight/edit/main/postmortems/2026-05-expo.md"

# A trade-show post-mortem (no team retros at all) whose body links out in Markdown, in raw
# HTML, and to another record by its file name.
EXPO = """---
type: postmortem
name: Spring Expo
kind: event
outcome: mixed
summary: The booth drew visitors who were not buyers.
team: marketing
event_ended: 2026-05-20
held: 2026-05-25
keeper: Mei Tanaka
lessons:
  - lesson: Qualify booth visitors before the demo.
    applies_to: [event]
---

# What happened

The organiser's [visitor survey](https://expo.example.com/survey) said so, and so did
<a href="https://news.example.org/expo">the trade press</a>. The autumn fair went the same
way: [see it](2026-06-fair.md).
"""

FAIR = """---
type: postmortem
name: Autumn Fair
kind: event
outcome: loss
summary: Nobody came to the booth.
team: marketing
event_ended: 2026-06-10
held: 2026-06-12
keeper: Mei Tanaka
lessons:
  - lesson: Book a stand near the entrance.
    applies_to: [event]
---

Short.
"""


def _project(base: Path, markdown_extensions: bool = True) -> Path:
    kb = event_kb(base / "kb", {"postmortems/2026-05-expo.md": EXPO,
                                "postmortems/2026-06-fair.md": FAIR})
    project = make_project(base / "project", kb)
    if not markdown_extensions:  # Zensical's own Markdown extensions apply then
        config = project / "mkdocs.yml"
        text, count = re.subn(r"\nmarkdown_extensions:\n(?:  .*\n)+", "\n",
                              config.read_text(encoding="utf-8"))
        assert count == 1
        config.write_text(text, encoding="utf-8")
    return project


def _build(project: Path, engine: str) -> Path:
    result = run_cli("build", "--engine", engine, "--quiet", "--root", str(project),
                     "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    return project / "site"


def _content_links(page: Path) -> list[str]:
    """The opening tags of the links in the page's article, but the theme's own (its anchor
    for "Skip to content", its edit button and tags, the page's section list above its
    text)."""
    text = page.read_text(encoding="utf-8")
    article = text[text.index('<article class="md-content__inner'):text.index("</article>")]
    article = re.sub(r'<nav class="hs-jump.*?</nav>', "", article, flags=re.DOTALL)
    return [tag for tag in re.findall(r"<a\b[^>]*>", article)
            if 'id="__skip"' not in tag and "md-content__button" not in tag
            and 'class="md-tag' not in tag]


def _rels(page: Path) -> Counter[str | None]:
    found = [re.search(r'\brel="([^"]*)"', tag) for tag in _content_links(page)]
    return Counter(match.group(1) if match else None for match in found)


GENERATED = ("records/2026-05-expo/index.html", "plan/event/index.html",
             "index.html", "postmortems/index.html", "whats-new/index.html")


@needs_zensical
def test_zensical_gives_generated_links_the_rel_the_mkdocs_plugin_gives(tmp_path: Path) -> None:
    """The plugin passes a generated page's HTML through the sanitizer once more under MkDocs,
    which gives every link rel="noopener noreferrer"; Zensical has no plugin, and a record
    page's link to its source on the git host (and every link the generator writes in
    Markdown) went out without it: a record page had 2 links of 10 with it, the home page
    none. The same pass runs under Zensical now, on generated pages only."""
    zensical = _build(_project(tmp_path / "z"), "zensical")
    mkdocs = _build(_project(tmp_path / "m"), "mkdocs")
    record = "\n".join(_content_links(zensical / GENERATED[0]))
    for href in ("https://expo.example.com/survey", "https://news.example.org/expo", SOURCE):
        assert f'<a href="{href}" rel="noopener noreferrer">' in record, record
    for page in GENERATED:
        assert (zensical / page).is_file(), page
        rels = _rels(zensical / page)
        assert rels == _rels(mkdocs / page), page
        assert set(rels) == {"noopener noreferrer"}, (page, rels)
    # A hand-written page is published as written, under either engine.
    guide = "guide/writing-a-retro/index.html"
    assert _rels(zensical / guide) == _rels(mkdocs / guide) == Counter(
        {None: len(_content_links(mkdocs / guide))})


@needs_zensical
def test_the_second_pass_keeps_zensical_s_own_markdown_extensions(tmp_path: Path) -> None:
    """A mkdocs.yml that lists no Markdown extensions gets Zensical's own (its emoji among
    them): the pass is added to them, not in their place."""
    project = _project(tmp_path, markdown_extensions=False)
    guide = project / "docs" / "guide" / "writing-a-retro.md"
    guide.write_text(guide.read_text(encoding="utf-8") + "\nDone :smile:\n", encoding="utf-8")
    site = _build(project, "zensical")
    assert 'class="twemoji"' in (site / "guide" / "writing-a-retro" / "index.html").read_text(
        encoding="utf-8")
    record = "\n".join(_content_links(site / GENERATED[0]))
    assert f'<a href="{SOURCE}" rel="noopener noreferrer">' in record, record
