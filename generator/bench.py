"""Benchmarks: figures printed, never asserted.

    python -m generator.bench make-corpus N DIR     write a realistic corpus of N records
    python -m generator.bench run [--sizes 1000,10000] [--mkdocs/--no-mkdocs] [--recall-only]

For each size ``run`` reports the time and peak memory of ``hindsight validate`` (with no
record cache, while the cache is written, and warm; wall and CPU seconds, as the machine may be
shared), of the
generator alone (no MkDocs), of the whole ``mkdocs build``, the generator's share of the
build, each chart's drawing time, a rebuild after one record changed (which charts were
redrawn, and the generator's time with a warm chart cache), and ``hindsight recall`` for that
one changed record (the record cache warm for every other file) and for the newest
post-mortem (loading the knowledge base, then the
answer: linking and recalling). Each step runs in its own process so its peak memory is its
own. After the build it reports the search index (Pagefind: indexing time, the indexer's peak
memory, its size on disk) and a reader's first search in Chromium for the newest post-mortem
by its name (bytes transferred, seconds from the last key to the results, whether it was found).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import click

from .load import CACHE_DIR

AS_OF = "2026-11-23"
REPO = Path(__file__).resolve().parent.parent


def _child(args: list[str], cwd: Path) -> str:
    """Run a command in ``cwd``; return its standard output."""
    env = {**os.environ, "HINDSIGHT_AS_OF": AS_OF, "NO_MKDOCS_2_WARNING": "1",
           "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise click.ClickException(f"{' '.join(args[:3])} failed:\n{proc.stderr[-2000:]}")
    return proc.stdout


def _measure(code: str, cwd: Path) -> dict[str, Any]:
    """Run Python ``code`` in a fresh interpreter that reports its own time and peak memory."""
    wrapper = (
        "import json, resource, sys, time\n"
        "t0 = time.perf_counter()\n"
        f"{code}\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"

        "cpu = sum(u.ru_utime + u.ru_stime for u in (resource.getrusage(resource.RUSAGE_SELF),"
        " resource.getrusage(resource.RUSAGE_CHILDREN)))\n"
        "print('@@' + json.dumps({'seconds': time.perf_counter() - t0, 'peak_mib': peak,"
        " 'cpu': cpu, **globals().get('extra', {})}))\n"
    )
    out = _child([sys.executable, "-c", wrapper], cwd)
    line = next(line for line in out.splitlines() if line.startswith("@@"))
    return dict(json.loads(line[2:]))


VALIDATE = f"""
from pathlib import Path
import datetime as dt
from generator.validate import check
result = check(Path('.'), dt.date.fromisoformat('{AS_OF}'), cache=CACHE)
extra = {{'records': len(result.kb.entries), 'errors': len(result.problems.errors)}}
"""

GENERATE = f"""
from pathlib import Path
import datetime as dt
from generator.charts import ChartCache
from generator.site import build
cache = ChartCache(folder=Path('.hindsight-cache/charts'))
generated = build(Path('.'), dt.date.fromisoformat('{AS_OF}'), cache=cache)
extra = {{'files': len(generated.files), 'drawn': cache.drawn, 'cached': cache.hits,
         'stages': generated.timings}}
"""

MKDOCS = """
import sys
from mkdocs.__main__ import cli
try:
    cli(['build', '--strict', '--quiet'], standalone_mode=False)
except SystemExit as exc:
    if exc.code:
        raise
"""


def _validate_code(cache: bool) -> str:
    """``hindsight validate`` with or without the record cache."""
    return f"CACHE = {cache!r}\n{VALIDATE}"


def _cache_figures(project: Path) -> dict[str, Any]:
    """Validate with no cache, while writing it, and warm; wall and CPU seconds each."""
    (project / CACHE_DIR / "records.pickle").unlink(missing_ok=True)
    figures = {"no_cache": _measure(_validate_code(False), project),
               "writing": _measure(_validate_code(True), project),
               "warm": _measure(_validate_code(True), project)}
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
from generator.cli import _render_options
from generator.gcpause import paused_gc
from generator.link import link
from generator.recall import recall
from generator.recall_render import render_github
from generator.validate import check
start = time.perf_counter()
kb = check(Path('.'), dt.date.fromisoformat('{AS_OF}')).kb
loaded = time.perf_counter()
entry = next(e for e in kb.entries if e.path == {path!r})
with paused_gc():
    links = link(kb)
    linked = time.perf_counter()
    text = render_github(recall(kb, links, [entry], _render_options(Path('.'))))
done = time.perf_counter()
extra = {{'load': loaded - start, 'link': linked - loaded, 'recall': done - linked,
         'answer': done - loaded, 'chars': len(text)}}
"""


def _newest_postmortem(project: Path) -> str:
    return sorted((project / "postmortems").glob("*.md"))[-1].relative_to(project).as_posix()


def run_recall(project: Path, path: str) -> dict[str, Any]:
    """Time ``hindsight recall`` for one record and print the figures."""
    figures = _measure(_recall_code(path), project)
    click.echo(f"  recall, one record ({path}): answer {figures['answer']:.2f} s after loading "
               f"(link {figures['link']:.2f} s, recall {figures['recall']:.2f} s); "
               f"load {figures['load']:.2f} s; {figures['seconds']:.2f} s wall in all, "
               f"{figures['cpu']:.2f} s CPU, peak {figures['peak_mib']:.0f} MiB")
    return figures


def _project(size: int, base: Path) -> Path:
    from .corpus_maker import make_corpus

    project = base / f"kb-{size}"
    written = make_corpus(size, project)
    shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(REPO / "docs", project / "docs")
    shutil.copytree(REPO / "overrides", project / "overrides")
    click.echo(f"  corpus: {written['retros']} retros, {written['reviews']} reviews, "
               f"{written['postmortems']} post-mortems, {written['actions']} actions")
    return project


def _change_one_record(project: Path) -> str:
    record = sorted((project / "retros").glob("*-team-001.md"))[-1]
    text = record.read_text(encoding="utf-8")
    start = text.index("pipeline-velocity: ") + len("pipeline-velocity: ")
    end = text.index("\n", start)
    record.write_text(text[:start] + str(int(text[start:end]) + 1234) + text[end:],
                      encoding="utf-8")
    return record.relative_to(project).as_posix()


def run_size(size: int, base: Path, with_mkdocs: bool) -> dict[str, Any]:
    """Every figure for one corpus size."""
    click.echo(f"N = {size:,}")
    project = _project(size, base)
    figures: dict[str, Any] = {"records": size}
    figures["record_cache"] = _cache_figures(project)
    validate = figures["record_cache"]["no_cache"]
    figures["validate"] = validate
    click.echo(f"  validate:          {validate['seconds']:7.2f} s   peak {validate['peak_mib']:6.0f} MiB"
               f"   ({validate['records']} records, {validate['errors']} errors)")
    cold = _measure(GENERATE, project)
    figures["generator"] = cold
    click.echo(f"  generator alone:   {cold['seconds']:7.2f} s   peak {cold['peak_mib']:6.0f} MiB"
               f"   ({cold['files']} files, {len(cold['drawn'])} charts drawn)")
    for path, seconds in sorted(cold["drawn"], key=lambda d: -d[1])[:8]:
        click.echo(f"    chart {path:<52} {seconds * 1000:7.0f} ms")
    if len(cold["drawn"]) > 8:
        total = sum(s for _, s in cold["drawn"])
        click.echo(f"    … {len(cold['drawn'])} charts, {total:.2f} s in all, "
                   f"{total / len(cold['drawn']) * 1000:.0f} ms each on average")
    warm = _measure(GENERATE, project)
    stages = ", ".join(f"{k} {v:.2f} s" for k, v in warm["stages"].items())
    click.echo(f"  generator, charts cached: {warm['seconds']:7.2f} s   ({stages})")
    if "did-it-work" in warm["stages"]:
        # Effectiveness, win/loss and calibration together: the target is under 1 s.
        click.echo(f"    did it work (effectiveness, win/loss, calibration): "
                   f"{warm['stages']['did-it-work']:.2f} s")
    if with_mkdocs:
        # The steady state: charts are already in the cache, as on every build but the first.
        whole = _measure(MKDOCS, project)
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
    changed = _change_one_record(project)
    after = _measure(GENERATE, project)
    figures["warm"] = warm
    figures["one_change"] = after
    click.echo(f"  rebuild, nothing changed:  {warm['seconds']:7.2f} s   {len(warm['drawn'])} charts redrawn")
    stages = ", ".join(f"{k} {v:.2f} s" for k, v in after["stages"].items())
    click.echo(f"  rebuild, one record changed ({changed}): {after['seconds']:7.2f} s   "
               f"redrawn: {', '.join(p for p, _ in after['drawn']) or 'none'}")
    click.echo(f"    stages after the change: {stages}")
    figures["recall"] = run_recall(project, changed)
    figures["recall_postmortem"] = run_recall(project, _newest_postmortem(project))
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
    """The build's peak memory with the search indexer's process counted (it runs after
    MkDocs, while the build's process still holds its memory)."""
    child = float(index.get("index_peak_mib", 0.0))
    click.echo(f"  build incl. indexing: peak {whole['peak_mib'] + child:6.0f} MiB   "
               f"(MkDocs {whole['peak_mib']:.0f} MiB + indexer {child:.0f} MiB)")


def _chromium() -> str | None:
    """The Chromium to measure searches in (None: none installed)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    return found or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


def first_search(site_dir: Path, query: str) -> dict[str, Any]:
    """Serve the built site, open its home page in Chromium and type ``query`` into the
    search box: the bytes the search transferred (every response after the page loaded, as
    Playwright sees them), the seconds from the last key to the results on screen, and the
    results' addresses (relative to the site)."""
    import functools
    import http.server
    import threading
    import time
    from urllib.parse import urljoin

    from playwright.sync_api import sync_playwright

    chromium = _chromium()
    if chromium is None:
        raise click.ClickException("no Chromium found to measure the search in")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(site_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    sizes: list[int] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=[
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic"])
            page = browser.new_page()
            page.route(lambda u: not u.startswith(url), lambda route: route.abort())
            page.goto(url, wait_until="networkidle")

            def count(request: Any) -> None:
                body = request.sizes()
                sizes.append(int(body["responseBodySize"]) + int(body["responseHeadersSize"]))

            page.on("requestfinished", count)
            box = page.locator("input.hs-search__input")
            box.click()
            box.press_sequentially(query[:-1], delay=30)
            start = time.perf_counter()
            box.press(query[-1])
            page.wait_for_function(
                "q => document.querySelector('[data-hs-search]').dataset.hsQuery === q",
                arg=query, timeout=60000)
            seconds = time.perf_counter() - start
            page.wait_for_load_state("networkidle")
            links = page.locator(".hs-search__list > li a")
            hrefs = [urljoin(url, links.nth(i).get_attribute("href") or "").removeprefix(url)
                     for i in range(links.count())]
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return {"query": query, "bytes": sum(sizes), "requests": len(sizes), "seconds": seconds,
            "results": hrefs}


def first_search_bytes(site_dir: Path, query: str) -> int:
    """The bytes a reader's first search for ``query`` downloads from the built site."""
    return int(first_search(site_dir, query)["bytes"])


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
            "from generator.search_index import index_site\n"
            "r = index_site(Path('site'))\n"
            "extra = {'pages': r.pages, 'index_seconds': r.seconds, 'index_peak_mib': r.peak_mib}")
    figures = _measure(code, project)
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
    whole = _measure(MKDOCS, project)
    click.echo(f"  mkdocs build:      {whole['seconds']:7.2f} s   peak {whole['peak_mib']:6.0f} MiB")
    return {"records": "sample", "mkdocs": whole, "search_index_bytes": _search_index(project),
            "first_search": _first_search(project, _newest_postmortem(project))}


@click.group()
def main() -> None:
    """Benchmarks for Hindsight (figures are printed, not asserted)."""


@main.command("make-corpus")
@click.argument("count", type=click.IntRange(min=10))
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--seed", default=7, show_default=True, help="Random seed.")
def make_corpus_command(count: int, folder: Path, seed: int) -> None:
    """Write a realistic knowledge base of about COUNT records into FOLDER."""
    from .corpus_maker import make_corpus

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
def run(sizes: str, mkdocs: bool, sample: bool, json_out: Path | None, recall_only: bool) -> None:
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
                changed = _change_one_record(project)
                results.append({"records": size, "record_cache": cache_figures,
                                "recall": run_recall(project, changed),
                                "recall_postmortem": run_recall(project, _newest_postmortem(project))})
            else:
                results.append(run_size(size, Path(tmp), mkdocs))
    if json_out:
        json_out.write_text(json.dumps(results, indent=1, default=str))


if __name__ == "__main__":
    main()
