"""Benchmarks: figures printed, never asserted.

    python -m generator.bench make-corpus N DIR     write a realistic corpus of N records
    python -m generator.bench run [--sizes 1000,10000] [--mkdocs/--no-mkdocs] [--recall-only]
    python -m generator.bench incremental [--sizes 1000,10000] [--kb DIR] [--serve-sizes 1000]

For each size ``run`` reports the time and peak memory of ``hindsight validate`` (with no
record cache, while the cache is written, and warm; wall and CPU seconds, as the machine may be
shared), of the
generator alone (no MkDocs), of the whole ``mkdocs build``, the generator's share of the
build, each chart's drawing time, a rebuild after one record changed (which charts were
redrawn, and the generator's time with a warm chart cache), and ``hindsight recall`` for that
one changed record (the record cache warm for every other file) and for the newest
post-mortem: the installed command end to end (wall and CPU seconds of its process), then
where its time goes (loading the knowledge base, then the answer: linking and recalling).
Each step runs in its own process so its peak memory is its own. After the build it reports
the search index (Pagefind: indexing time, the indexer's peak memory, its size on disk) and a
reader's first search in Chromium for the newest post-mortem by its name (bytes transferred,
seconds from the last key to the results, whether it was found), then the full build against
the same pages as plain prose (interleaved pairs), the generator re-run after one record
changed and, up to ``--serve-up-to`` records, a save under ``hindsight serve``; last, a table
of every size's figures against their targets.

``incremental`` prints the generator re-run after one record changed (a fresh process, every
cache warm: records, charts, pages) and, up to the ``--serve-sizes``, the seconds from saving
one record under ``hindsight serve`` to its page being served updated.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..records.load import CACHE_DIR
from .browser import first_search
from .build import MKDOCS_BUILD
from .incremental import change_one_record, run_incremental, run_serve_save
from .process import AS_OF, REPO, child, measure, run_command

VALIDATE = f"""
from pathlib import Path
import datetime as dt
from generator.records.validate import check
result = check(Path('.'), dt.date.fromisoformat('{AS_OF}'), cache=CACHE)
extra = {{'records': len(result.kb.entries), 'errors': len(result.problems.errors)}}
"""

GENERATE = f"""
from pathlib import Path
import datetime as dt
from generator.site.charts import ChartCache
from generator.site.build import build
cache = ChartCache(folder=Path('.hindsight-cache/charts'))
generated = build(Path('.'), dt.date.fromisoformat('{AS_OF}'), cache=cache)
extra = {{'files': len(generated.files), 'drawn': cache.drawn, 'cached': cache.hits,
         'stages': generated.timings}}
"""


def _validate_code(cache: bool) -> str:
    """``hindsight validate`` with or without the record cache."""
    return f"CACHE = {cache!r}\n{VALIDATE}"


def _cache_figures(project: Path) -> dict[str, Any]:
    """Validate with no cache, while writing it, and warm; wall and CPU seconds each."""
    (project / CACHE_DIR / "records.pickle").unlink(missing_ok=True)
    figures = {"no_cache": measure(_validate_code(False), project),
               "writing": measure(_validate_code(True), project),
               "warm": measure(_validate_code(True), project)}
    labels = {"no_cache": "validate, no cache (--no-cache)",
              "writing": "validate, cold (writing the cache)",
              "warm": "validate, warm (nothing changed)"}
    for key, label in labels.items():
        f = figures[key]
        click.echo(f"  {label:<38} {f['seconds']:6.2f} s wall  {f['cpu']:6.2f} s CPU   "
                   f"peak {f['peak_mib']:5.0f} MiB")
    return figures


def _recall_code(path: str) -> str:
    """Recall for one record, timed in stages: load (validate), then link and recall."""
    return f"""
from pathlib import Path
import datetime as dt
from generator.site.settings import render_options
from generator.gcpause import paused_gc, short_lived
from generator.analysis.link import link
from generator.analysis.recall import recall
from generator.commands.recall_render import render_github
from generator.records.validate import check
short_lived()  # as the command runs: what a paused block built is frozen, not collected
start = time.perf_counter()
kb = check(Path('.'), dt.date.fromisoformat('{AS_OF}')).kb
loaded = time.perf_counter()
entry = next(e for e in kb.entries if e.path == {path!r})
with paused_gc():
    links = link(kb)
    linked = time.perf_counter()
    text = render_github(recall(kb, links, [entry], render_options(Path('.'))))
done = time.perf_counter()
extra = {{'load': loaded - start, 'link': linked - loaded, 'recall': done - linked,
         'answer': done - loaded, 'chars': len(text)}}
"""


def _newest_postmortem(project: Path) -> str:
    return sorted((project / "postmortems").glob("*.md"))[-1].relative_to(project).as_posix()


def run_recall(project: Path, path: str) -> dict[str, Any]:
    """Time ``hindsight recall`` for one record and print the figures.

    The figure is the command itself, end to end in its own process (run first, so after a
    change it is the run that validates the changed record); then, in another process, where
    its time goes: loading, linking, recalling.
    """
    command = run_command(["recall", path], project)
    click.echo(f"  recall, one record ({path}): hindsight recall {command['seconds']:.2f} s "
               f"wall, {command['cpu']:.2f} s CPU, peak {command['peak_mib']:.0f} MiB "
               "(the whole command)")
    figures = measure(_recall_code(path), project)
    click.echo(f"    where it goes: load {figures['load']:.2f} s, then link "
               f"{figures['link']:.2f} s and recall {figures['recall']:.2f} s "
               f"(answer {figures['answer']:.2f} s)")
    figures["command"] = command
    return figures


def _project(size: int, base: Path) -> Path:
    from .corpus import make_corpus

    project = base / f"kb-{size}"
    written = make_corpus(size, project)
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(REPO / "docs", project / "docs")
    shutil.copytree(REPO / "overrides", project / "overrides")
    click.echo(f"  corpus: {written['retros']} retros, {written['reviews']} reviews, "
               f"{written['postmortems']} post-mortems, {written['actions']} actions")
    return project


def run_size(size: int, base: Path, with_mkdocs: bool, runs: int = 3,
             serve_up_to: int = 1000) -> dict[str, Any]:
    """Every figure for one corpus size."""
    click.echo(f"N = {size:,}")
    project = _project(size, base)
    figures: dict[str, Any] = {"records": size}
    figures["record_cache"] = _cache_figures(project)
    validate = figures["record_cache"]["no_cache"]
    figures["validate"] = validate
    click.echo(f"  validate:          {validate['seconds']:7.2f} s   peak {validate['peak_mib']:6.0f} MiB"
               f"   ({validate['records']} records, {validate['errors']} errors)")
    cold = measure(GENERATE, project)
    figures["generator"] = cold
    click.echo(f"  generator alone:   {cold['seconds']:7.2f} s   peak {cold['peak_mib']:6.0f} MiB"
               f"   ({cold['files']} files, {len(cold['drawn'])} charts drawn)")
    for path, seconds in sorted(cold["drawn"], key=lambda d: -d[1])[:8]:
        click.echo(f"    chart {path:<52} {seconds * 1000:7.0f} ms")
    if len(cold["drawn"]) > 8:
        total = sum(s for _, s in cold["drawn"])
        click.echo(f"    … {len(cold['drawn'])} charts, {total:.2f} s in all, "
                   f"{total / len(cold['drawn']) * 1000:.0f} ms each on average")
    warm = measure(GENERATE, project)
    stages = ", ".join(f"{k} {v:.2f} s" for k, v in warm["stages"].items())
    click.echo(f"  generator, charts cached: {warm['seconds']:7.2f} s   ({stages})")
    if "did-it-work" in warm["stages"]:
        # Effectiveness, win/loss and calibration together: the target is under 1 s.
        click.echo(f"    did it work (effectiveness, win/loss, calibration): "
                   f"{warm['stages']['did-it-work']:.2f} s")
    if with_mkdocs:
        # The steady state: charts are already in the cache, as on every build but the first.
        whole = measure(MKDOCS_BUILD, project)
        figures["mkdocs"] = whole
        share = warm["seconds"] / whole["seconds"] if whole["seconds"] else 0.0
        figures["generator_share"] = share
        click.echo(f"  mkdocs build:      {whole['seconds']:7.2f} s   peak {whole['peak_mib']:6.0f} MiB"
                   "   (charts cached)")
        click.echo(f"  generator share:   {share * 100:7.1f} % of the whole build "
                   "(generator with charts cached / mkdocs build)")
        figures["search_index_bytes"] = _search_index(project)
        figures["search_index"] = _index_figures(project)
        _build_peak(whole, figures["search_index"])
        figures["first_search"] = _first_search(project, _newest_postmortem(project))
        figures["heaviest_pages"] = _heaviest_pages(project)
        figures["build"] = _build_figures(project, runs)
    changed = change_one_record(project)
    after = measure(GENERATE, project)
    figures["warm"] = warm
    figures["one_change"] = after
    click.echo(f"  rebuild, nothing changed:  {warm['seconds']:7.2f} s   {len(warm['drawn'])} charts redrawn")
    stages = ", ".join(f"{k} {v:.2f} s" for k, v in after["stages"].items())
    click.echo(f"  rebuild, one record changed ({changed}): {after['seconds']:7.2f} s   "
               f"redrawn: {', '.join(p for p, _ in after['drawn']) or 'none'}")
    click.echo(f"    stages after the change: {stages}")
    figures["recall"] = run_recall(project, changed)
    figures["recall_postmortem"] = run_recall(project, _newest_postmortem(project))
    figures["rerun"] = run_incremental(project)
    if size <= serve_up_to:
        figures["serve_save"] = run_serve_save(project)
    return figures


def _build_figures(project: Path, runs: int) -> dict[str, Any]:
    """The full build against the same pages as plain prose, ``runs`` interleaved pairs."""
    from .build import build_ratio, prose_project

    tree = project.parent / f"{project.name}-generated"
    child([sys.executable, "-c", "from generator.commands.cli import run; run()", "generate",
            "--out", str(tree)], project)
    prose = prose_project(project, tree, project.parent / f"{project.name}-prose")
    return build_ratio(project, prose.parent, measure, _hindsight_build, runs)


def _hindsight_build(project: Path) -> dict[str, Any]:
    """``hindsight build`` as a user runs it: wall and CPU seconds (the search indexer's
    included), its own peak memory, and the most the build's process and the search indexer
    held at one moment (the build samples both while the indexer runs beside it)."""
    import re

    # Not --quiet: the search index's memory figures are in the build's INFO lines (progress
    # lines never show here, the output is not a terminal).
    figures = run_command(["build"], project)
    # MkDocs wraps long log lines at the terminal's width: any space may be a line break.
    indexer = re.search(r"indexer\s+peak\s+(\d+)\s+MiB,\s+(\d+)\s+MiB\s+with", figures["stderr"])
    figures["child_peak_mib"] = float(indexer.group(1)) if indexer else 0.0
    figures["together_mib"] = float(indexer.group(2)) if indexer else 0.0
    return figures


def _search_index(project: Path) -> int:
    """Print and return the size of the search index on disk (Pagefind's bundle: a browser
    fetches only the chunks a query needs, see the first search)."""
    bundle = project / "site" / "pagefind"
    files = [p for p in bundle.rglob("*") if p.is_file()] if bundle.is_dir() else []
    size = sum(p.stat().st_size for p in files)
    click.echo(f"  search index:      {size / 1024 / 1024:7.2f} MiB on disk   ({len(files):,} files, "
               "pagefind/, fetched in chunks)")
    return size


def _build_peak(whole: dict[str, Any], index: dict[str, Any]) -> None:
    """An upper bound of the build's peak memory with the search indexer's process counted:
    the two peaks added, as if they came at the same moment (the table's figure is the
    build's own sampled one, see `generator.bench.build.build_ratio`)."""
    child = float(index.get("index_peak_mib", 0.0))
    click.echo(f"  build incl. indexing: at most {whole['peak_mib'] + child:6.0f} MiB   "
               f"(MkDocs {whole['peak_mib']:.0f} MiB peak + indexer {child:.0f} MiB peak)")


def _first_search(project: Path, postmortem: str) -> dict[str, Any]:
    """Search the built site for a post-mortem by its name; print and return the figures."""
    import frontmatter

    name = str(frontmatter.load(project / postmortem).get("name"))
    expected = f"records/{Path(postmortem).stem}/"
    try:
        found = first_search(project / "site", name)
    except ImportError:
        click.echo("  first search:      skipped (Playwright is not installed)")
        return {}
    found["expected"] = expected
    found["found"] = expected in found["results"]
    click.echo(f"  first search:      {found['bytes'] / 1024:7.0f} KiB in {found['requests']} "
               f"requests, answered {found['seconds']:.2f} s after the last key "
               f"({name!r}: {'found' if found['found'] else 'NOT found'} {expected})")
    return found


def _index_figures(project: Path) -> dict[str, Any]:
    """Index the built site again in its own process: the indexer's time and peak memory."""
    code = ("from pathlib import Path\n"
            "from generator.site.search_index import index_site\n"
            "r = index_site(Path('site'))\n"
            "extra = {'pages': r.pages, 'index_seconds': r.seconds, 'index_peak_mib': r.peak_mib}")
    figures = measure(code, project)
    click.echo(f"  search indexing:   {figures['index_seconds']:7.2f} s   indexer peak "
               f"{figures['index_peak_mib']:6.0f} MiB   ({figures['pages']:,} pages, "
               f"{figures['cpu']:.2f} s CPU)")
    return figures


def run_sample(base: Path) -> dict[str, Any]:
    """Build the repository's own sample site and report its search index."""
    click.echo("Sample knowledge base")
    project = base / "sample"
    project.mkdir(parents=True)
    for name in ("mkdocs.yml", "taxonomy.yml"):
        shutil.copy(REPO / name, project / name)
    for folder in ("docs", "overrides", "retros", "postmortems"):
        shutil.copytree(REPO / folder, project / folder)
    whole = measure(MKDOCS_BUILD, project)
    click.echo(f"  mkdocs build:      {whole['seconds']:7.2f} s   peak {whole['peak_mib']:6.0f} MiB")
    return {"records": "sample", "mkdocs": whole, "search_index_bytes": _search_index(project),
            "first_search": _first_search(project, _newest_postmortem(project))}


def _heaviest_pages(project: Path, count: int = 3) -> list[dict[str, Any]]:
    """Open the ``count`` largest pages of the built site on a phone-sized screen; print and
    return what each transferred (the page, the theme's assets, the charts in view)."""
    from .browser import page_open

    site = project / "site"
    pages = sorted(site.rglob("*.html"), key=lambda p: (-p.stat().st_size, p.as_posix()))[:count]
    opened = []
    for path in pages:
        address = path.relative_to(site).as_posix().removesuffix("index.html")
        try:
            found = page_open(site, address)
        except ImportError:
            click.echo("  heaviest pages:    skipped (Playwright is not installed)")
            return []
        found["html_bytes"] = path.stat().st_size
        click.echo(f"  heaviest page:     {address:<40} {found['html_bytes'] / 1024:7,.0f} KiB "
                   f"HTML; opened at 390 px: {found['bytes'] / 1024:7,.0f} KiB in "
                   f"{found['requests']} requests, {found['seconds']:.2f} s")
        opened.append(found)
    return opened


def _figure(figures: dict[str, Any], *keys: str) -> Any:
    """The figure at ``keys`` in one size's results, or None when it was not measured."""
    value: Any = figures
    for key in keys:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


# The table of targets: each row names a figure, where it sits in one size's results, how it
# is printed, and the target it is held to.
_TABLE: list[tuple[str, tuple[str, ...], Callable[[Any], str], str]] = [
    ("first search downloads", ("first_search", "bytes"), lambda v: f"{v / 1024:,.0f} KiB",
     "≤ 1 MB per query at 10,000"),
    ("one record saved under serve → page updated", ("serve_save", "seconds"),
     lambda v: f"{v:.2f} s", "≤ 2 s at 1,000"),
    ("generator re-run after one record changed", ("rerun", "seconds"),
     lambda v: f"{v:.2f} s", "≤ 1 s at 10,000"),
    ("full build / same pages as plain prose", ("build", "ratio"),
     lambda v: f"{v:.2f}×", "≤ 1.0×"),
    ("peak memory of the whole build", ("build", "peak_mib"),
     lambda v: f"{v:,.0f} MiB", "≤ 1 GiB incl. search"),
]


def _print_table(results: list[dict[str, Any]]) -> None:
    """The figures of every size side by side, against the targets."""
    if not results:
        return
    sizes = [f"{r['records']:,} records" for r in results]
    click.echo("")
    click.echo("| figure | " + " | ".join(sizes) + " | target |")
    click.echo("| --- | " + " | ".join("---" for _ in sizes) + " | --- |")
    for label, keys, fmt, target in _TABLE:
        cells = [fmt(v) if (v := _figure(r, *keys)) is not None else "not measured"
                 for r in results]
        click.echo(f"| {label} | " + " | ".join(cells) + f" | {target} |")


@click.group()
def main() -> None:
    """Benchmarks for Hindsight (figures are printed, not asserted)."""


@main.command("make-corpus")
@click.argument("count", type=click.IntRange(min=10))
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--seed", default=7, show_default=True, help="Random seed.")
def make_corpus_command(count: int, folder: Path, seed: int) -> None:
    """Write a realistic knowledge base of about COUNT records into FOLDER."""
    from .corpus import make_corpus

    if folder.exists() and any(folder.iterdir()):
        raise click.ClickException(f"{folder} is not empty")
    written = make_corpus(count, folder, seed)
    click.echo(json.dumps(written))


@main.command()
@click.option("--sizes", default="1000,10000", show_default=True, help="Corpus sizes.")
@click.option("--mkdocs/--no-mkdocs", default=True, help="Also time the whole mkdocs build.")
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the figures as JSON here.")
@click.option("--recall-only", is_flag=True,
              help="Only time validate (no cache, cold, warm) and hindsight recall for one "
              "changed record with the record cache warm (and for one post-mortem).")
@click.option("--sample/--no-sample", default=True,
              help="Also build the repository's own sample site (its search index size).")
@click.option("--runs", default=3, show_default=True, type=click.IntRange(min=1),
              help="Interleaved pairs of full builds (Hindsight, plain prose) per size.")
@click.option("--serve-up-to", default=1000, show_default=True,
              help="Time a save under hindsight serve at sizes up to this one.")
def run(sizes: str, mkdocs: bool, sample: bool, json_out: Path | None, recall_only: bool,
        runs: int, serve_up_to: int) -> None:
    """Build corpora of each size and print every figure."""
    click.echo(f"Hindsight benchmark, {dt.date.today()}, Python {sys.version.split()[0]}, "
               f"{os.cpu_count()} CPUs")
    results = []
    with tempfile.TemporaryDirectory(prefix="hindsight-bench-") as tmp:
        if mkdocs and sample and not recall_only:
            results.append(run_sample(Path(tmp)))
        for size in (int(s) for s in sizes.split(",")):
            if recall_only:
                click.echo(f"N = {size:,}")
                project = _project(size, Path(tmp))
                cache_figures = _cache_figures(project)
                changed = change_one_record(project)
                results.append({"records": size, "record_cache": cache_figures,
                                "recall": run_recall(project, changed),
                                "recall_postmortem": run_recall(project, _newest_postmortem(project))})
            else:
                results.append(run_size(size, Path(tmp), mkdocs, runs, serve_up_to))
    if not recall_only:
        _print_table([r for r in results if isinstance(r["records"], int)])
    if json_out:
        json_out.write_text(json.dumps(results, indent=1, default=str))


@main.command()
@click.option("--sizes", default="1000,10000", show_default=True, help="Corpus sizes.")
@click.option("--serve-sizes", default="1000", show_default=True,
              help="Time a save under hindsight serve at sizes up to the largest of these "
              "(empty: never).")
@click.option("--kb", "kbs", multiple=True, type=click.Path(file_okay=False, path_type=Path),
              help="Measure a copy of this knowledge base instead of making a corpus "
              "(repeatable; its own mkdocs.yml and docs/ are used if it has them).")
def incremental(sizes: str, serve_sizes: str, kbs: tuple[Path, ...]) -> None:
    """The generator re-run after one record changed, and a save under serve, per size."""
    click.echo(f"Hindsight incremental figures, {dt.date.today()}, Python "
               f"{sys.version.split()[0]}, {os.cpu_count()} CPUs")
    serve_at = {int(s) for s in serve_sizes.split(",") if s}
    with tempfile.TemporaryDirectory(prefix="hindsight-bench-") as tmp:
        projects: list[tuple[int, Path]] = []
        for kb in kbs:
            project = Path(tmp) / kb.name
            shutil.copytree(kb, project, symlinks=True)
            for name, copy in (("mkdocs.yml", shutil.copy), ("docs", shutil.copytree)):
                if not (project / name).exists():
                    copy(REPO / name, project / name)
            records = [p for folder in ("retros", "postmortems") for p in
                       (project / folder).glob("*.md")]
            projects.append((len(records), project))
        if not kbs:
            projects = [(size, _project(size, Path(tmp))) for size in
                        (int(s) for s in sizes.split(",") if s)]
        for size, project in projects:
            click.echo(f"N = {size:,} ({project.name})")
            run_incremental(project)
            if size <= max(serve_at, default=0):
                run_serve_save(project)


if __name__ == "__main__":
    main()
