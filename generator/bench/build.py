"""The whole-build figures of the benchmark: Hindsight against the same pages as plain prose.

The baseline is what a team would build without Hindsight: the very pages Hindsight
generates (same paths, same words, same hand-written guide, same theme and search), written
as plain Markdown prose — headings and paragraphs, no tables, no links, no plugin — built by
MkDocs alone and given the same search index (Pagefind) afterwards. Both builds run in fresh
processes, interleaved (H, P, H, P, …) so a busy machine slows both alike, with every cache
warm as on any build but a knowledge base's first; the ratio reported is the median of the
per-pair ratios.
"""

from __future__ import annotations

import html
import re
import statistics
from pathlib import Path
from typing import Any

import click
import yaml

from ..site.output import write_tree

_TAG = re.compile(r"<[^>]+>")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"[|*`_>]+|^\s*[-+]\s+|^\s*\d+\.\s+|\{[^}]*\}\s*$")


def as_prose(page: str) -> str:
    """A generated page's words as plain Markdown prose: headings kept, the rest paragraphs.

    Front matter, HTML tags, table pipes, emphasis and link targets are dropped; each run of
    non-blank lines becomes one paragraph, so the engine parses the same words without tables.
    """
    if page.startswith("---\n"):
        end = page.find("\n---\n", 4)
        page = page[end + 5:] if end >= 0 else page
    blocks: list[str] = []
    paragraph: list[str] = []
    for line in page.splitlines():
        heading = re.match(r"(#{1,6})\s+(.*)", line)
        text = " ".join(html.unescape(_MARKUP.sub(" ", _LINK.sub(r"\1", _TAG.sub(" ", line))))
                        .split())
        if heading or not text or set(text) <= set("-: "):
            if paragraph:
                blocks.append(" ".join(paragraph))
                paragraph = []
            if heading:
                title = " ".join(_MARKUP.sub(" ", _TAG.sub(" ", heading.group(2))).split())
                blocks.append(f"{heading.group(1)} {html.unescape(title) or 'Section'}")
            continue
        paragraph.append(text)
    if paragraph:
        blocks.append(" ".join(paragraph))
    # Escape what Markdown would read as markup or raw HTML in the remaining words.
    return "\n\n".join(b if b.startswith("#") else b.replace("<", "&lt;") for b in blocks) + "\n"


def prose_project(project: Path, generated: Path, out: Path) -> Path:
    """Write the plain-prose twin of ``project`` into ``out``; return its mkdocs.yml.

    ``generated`` holds the tree ``hindsight generate`` wrote for the project.
    """
    files: dict[str, bytes] = {}
    docs = project / "docs"
    for path in sorted(docs.rglob("*")):
        if path.is_file():
            files[f"docs/{path.relative_to(docs).as_posix()}"] = path.read_bytes()
    theme = (yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8")) or {}).get("theme")
    custom = theme.get("custom_dir") if isinstance(theme, dict) else None
    if isinstance(custom, str) and (project / custom).is_dir():  # the same theme overrides
        for path in sorted((project / custom).rglob("*")):
            if path.is_file():
                files[f"{custom}/{path.relative_to(project / custom).as_posix()}"] = path.read_bytes()
    for path in sorted(generated.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        rel = path.relative_to(generated).as_posix()
        content = path.read_bytes()
        if rel.endswith(".md"):
            content = as_prose(content.decode("utf-8")).encode()
        files[f"docs/{rel}"] = content
    config = yaml.safe_load((project / "mkdocs.yml").read_text(encoding="utf-8"))
    config["plugins"] = [p for p in config.get("plugins") or []
                         if p != "hindsight" and not (isinstance(p, dict) and "hindsight" in p)]
    # The generated pages are reached through indexes, not the nav, as in Hindsight's site.
    config.setdefault("validation", {})["omitted_files"] = "info"
    files["mkdocs.yml"] = yaml.safe_dump(config, sort_keys=False, allow_unicode=True).encode()
    write_tree(out, files, project)
    return out / "mkdocs.yml"


MKDOCS_BUILD = """
from mkdocs.__main__ import cli
try:
    cli(['build', '--strict', '--quiet'], standalone_mode=False)
except SystemExit as exc:
    if exc.code:
        raise
"""
"""A strict, quiet ``mkdocs build`` of the current folder, as code for a fresh interpreter."""

PROSE_BUILD = MKDOCS_BUILD + """
from pathlib import Path
from generator.site.search_index import index_site
report = index_site(Path('site'))  # the same search as Hindsight's site
extra = {'child_peak_mib': report.peak_mib}
"""


def build_ratio(project: Path, prose: Path, measure: Any, hindsight_build: Any,
                runs: int = 3) -> dict[str, Any]:
    """Time ``runs`` interleaved pairs of full builds; print and return the figures.

    ``measure(code, cwd)`` runs Python code in a fresh process and ``hindsight_build(project)``
    runs ``hindsight build``; each returns wall and CPU seconds and peak memory (the
    benchmark's own measuring functions).
    """
    pairs = []
    for _ in range(runs):
        ours = hindsight_build(project)
        plain = measure(PROSE_BUILD, prose)
        pairs.append({"hindsight": ours, "prose": plain, "ratio": ours["seconds"] / plain["seconds"],
                      "cpu_ratio": ours["cpu"] / plain["cpu"]})
    ratio = statistics.median(p["ratio"] for p in pairs)
    cpu_ratio = statistics.median(p["cpu_ratio"] for p in pairs)
    # The build's own peak, or the most it and the search indexer beside it held at one
    # moment (sampled by the build while the indexer runs), whichever is larger.
    peak = max(max(p["hindsight"]["peak_mib"], p["hindsight"].get("together_mib", 0.0))
               for p in pairs)
    for i, p in enumerate(pairs, 1):
        click.echo(f"    pair {i}: hindsight build {p['hindsight']['seconds']:6.2f} s "
                   f"({p['hindsight']['cpu']:.2f} s CPU), plain prose {p['prose']['seconds']:6.2f} s "
                   f"({p['prose']['cpu']:.2f} s CPU): {p['ratio']:.2f}×")
    click.echo(f"  full build / plain prose: {ratio:.2f}× wall, {cpu_ratio:.2f}× CPU "
               f"(median of {runs} interleaved pairs; caches warm)")
    click.echo(f"  peak memory of the whole build: {peak:.0f} MiB (the build's process alone "
               f"{max(p['hindsight']['peak_mib'] for p in pairs):.0f} MiB; with the indexer "
               f"beside it {max(p['hindsight'].get('together_mib', 0.0) for p in pairs):.0f} MiB)")
    return {"pairs": pairs, "ratio": ratio, "cpu_ratio": cpu_ratio, "peak_mib": peak}

