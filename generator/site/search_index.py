"""The site's search index: Pagefind run over the built site, after every build.

Pagefind writes a chunked static index into ``<site>/pagefind/``: a reader's browser fetches
only the chunks its query needs (a few hundred KB at ten thousand records), where a Lunr
index is downloaded whole before the first result.

What is indexed is decided by the HTML (the theme override ``partials/content.html`` marks each
page's article with ``data-pagefind-body`` and says whether the page is indexed by its text or
by its headings only); this module only adds the selectors that apply those marks and runs the
indexer. Pagefind runs as its own process (the extended binary the ``pagefind[extended]``
package ships), so its memory is freed as soon as it ends.

Pagefind indexes each page in the language of its ``<html lang>``, which the theme takes from
``theme.language`` in mkdocs.yml. The extended binary is the one that splits Chinese and
Japanese text into words (the standard one keeps a run of those characters as one word, so a
word in the middle of a sentence is never found); on other languages the two index alike.
What the indexer warns about comes back in the report, one line a warning, for the build to
show (each is a way the site's search works worse than a reader expects).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import BuildError

BUNDLE = "pagefind"
"""The folder, inside the built site, that holds the search index and its scripts."""

EXCLUDE_SELECTORS = (
    # Generated lists, tables and charts a search should not land on (the same mark the
    # templates put on reading tables, registers and per-record sections).
    # A class, not only a data attribute: Zensical drops data attributes from page content.
    ".hs-search-exclude",
    "[data-search-exclude]",
    # Aggregate pages (indexes, cause, indicator, team and plan pages) are indexed by their
    # headings and their lead paragraph only: every other top-level block is left out.
    '[data-hs-index="headings"] > :not(h1):not(h2):not(h3):not(h4):not(h5):not(h6)'
    ":not(.hs-lead)",
    # A table's column names (in an excerpt they ran together: "ActionTitleOwnerDue…"), and
    # where each action was raised (its column, and the line under its title): on a record's
    # own page, the record's title again on every row, which excerpts landed on.
    "thead",
    ".hs-stack__label",  # the column's name in each cell of a phone's card
    ".hs-actions td.hs-raised-in",
    ".hs-actions .hs-detail",
    # The permalink sign after each heading, and the edit button.
    ".headerlink",
    # A phone's list of the page's sections under its title: its headings, said again.
    ".hs-jump",
    ".md-content__button",
)
"""CSS selectors whose elements Pagefind leaves out of the index."""


@dataclass(frozen=True)
class IndexReport:
    """What one indexing run did."""

    pages: int
    """HTML pages indexed."""
    seconds: float
    """Wall seconds the indexer ran."""
    peak_mib: float
    """The largest indexer run's peak resident memory, in MiB, sampled while it runs (0 where
    the system does not say)."""
    together_mib: float = 0.0
    """The largest sum of the indexer's and this process's resident memory at one moment,
    in MiB: what the machine held while the index was built after a site build."""
    warnings: tuple[str, ...] = ()
    """What the indexer warned about, one line each, each once (see `indexer_warnings`)."""


REINSTALL = "pip install --force-reinstall 'pagefind[extended]'"
"""How to put the indexer back, in the errors that need it."""


def indexer() -> Path:
    """The extended Pagefind binary shipped by the ``pagefind[extended]`` package (the one
    that splits Chinese and Japanese text into words)."""
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        raise BuildError("the search indexer is not installed: pip install "
                         "'pagefind[extended]'") from None
    try:
        return Path(get_executable())
    except (FileNotFoundError, OSError) as exc:
        raise BuildError(f"the search indexer's binary is missing ({exc}); reinstall it with "
                         f"{REINSTALL}") from None


def index_site(site_dir: Path) -> IndexReport:
    """Index the built site in ``site_dir`` (replacing any previous index); a failure raises
    ``BuildError`` with the indexer's own message.

    Up to ``PAGES_PER_BUNDLE`` indexed pages make one bundle in ``pagefind/``. A larger site
    is indexed in runs of that many pages, one bundle each (``pagefind/part-N/``, listed in
    ``pagefind/bundles.json``), which the search box merges: the indexer holds every word
    of the pages it indexes in memory at once, so this bounds its peak memory whatever the
    size of the site.
    """
    if not (site_dir / "index.html").is_file():
        raise BuildError(f"cannot index the search: {site_dir} holds no built site (index.html)")
    binary = indexer()
    bundle = site_dir / BUNDLE
    # A stale bundle from an earlier build would be served beside the new one.
    if bundle.is_dir():
        shutil.rmtree(bundle)
    elif bundle.exists():
        raise BuildError(f"the search index could not be built: {bundle} is a file, where the "
                         "index goes (rename docs/pagefind)")
    start = time.perf_counter()
    batches = _batches(site_dir)
    pages, peak, together = 0, 0.0, 0.0
    warnings: dict[str, None] = {}  # each once, in the order said (every run says the same)
    for number, batch in enumerate(batches):
        out = bundle if number == 0 else bundle / f"part-{number + 1}"
        if batch is None:  # the whole site in one run
            indexed, used, both, said = run_indexer(binary, site_dir, out)
            pages, peak, together = pages + indexed, max(peak, used), max(together, both)
            warnings.update(dict.fromkeys(said))
            continue
        with tempfile.TemporaryDirectory(prefix=".hindsight-index-", dir=site_dir.parent) as tmp:
            # The batch's pages at their own paths, linked not copied.
            link_pages(site_dir, Path(tmp), [path.relative_to(site_dir).as_posix()
                                             for path in batch])
            indexed, used, both, said = run_indexer(binary, Path(tmp), out)
            pages, peak, together = pages + indexed, max(peak, used), max(together, both)
            warnings.update(dict.fromkeys(said))
    parts = [f"part-{n + 1}/" for n in range(1, len(batches))]
    (bundle / "bundles.json").write_text(json.dumps({"merge": parts}), encoding="utf-8")
    seconds = time.perf_counter() - start
    return IndexReport(pages=pages, seconds=seconds, peak_mib=peak, together_mib=together,
                       warnings=tuple(warnings))


def link_pages(site_dir: Path, into: Path, pages: Iterable[str]) -> None:
    """Hard-link (or copy) ``pages`` (addresses in the built site) to the same places under
    ``into``; a page gone between listing and linking is left out (something else is
    changing the site, as a build beside `hindsight serve`'s refresh: it asks for another)."""
    for rel in pages:
        target = into / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        path = site_dir / rel
        try:
            os.link(path, target)
        except FileNotFoundError:
            continue
        except OSError:  # a file system without hard links
            try:
                shutil.copyfile(path, target)
            except FileNotFoundError:
                continue


PAGES_PER_BUNDLE = 2500
"""Indexed pages per indexer run (and bundle): at about 110 KB of indexer memory per page of
a few hundred words, a run stays near 300 MiB."""


def _batches(site_dir: Path) -> list[list[Path] | None]:
    """The runs to index: ``[None]`` (the whole site at once) up to ``PAGES_PER_BUNDLE``
    pages, else the pages that ask to be indexed (``data-pagefind-body``) in sorted runs."""
    bundle = site_dir / BUNDLE
    pages = [p for p in sorted(site_dir.rglob("*.html")) if bundle not in p.parents]
    if len(pages) <= PAGES_PER_BUNDLE:
        return [None]
    # Every run must hold marked pages only: a run without one would index its pages whole.
    marked = [p for p in pages if b"data-pagefind-body" in p.read_bytes()]
    return [marked[i:i + PAGES_PER_BUNDLE] for i in range(0, len(marked), PAGES_PER_BUNDLE)] or [None]


def run_indexer(binary: Path, site: Path, out: Path) -> tuple[int, float, float, list[str]]:
    """One indexer run over ``site`` into the bundle folder ``out``: the pages it indexed, its
    own peak memory, the largest sum of its and this process's memory, in MiB (sampled), and
    what it warned about."""
    with tempfile.TemporaryDirectory(prefix="hindsight-search-") as work:
        # Pagefind reads its options from pagefind.json in its working folder.
        config = {"site": str(site.resolve()), "exclude_selectors": list(EXCLUDE_SELECTORS),
                  "output_path": str(out.resolve())}
        (Path(work) / "pagefind.json").write_text(json.dumps(config), encoding="utf-8")
        log = Path(work) / "indexer.log"
        try:
            with log.open("wb") as said:
                # --quiet: its warnings and errors, none of its progress lines.
                proc = subprocess.Popen([str(binary), "--quiet"], cwd=work, stdout=said,
                                        stderr=subprocess.STDOUT)
                peak, together = 0.0, 0.0
                while proc.poll() is None:
                    peak = max(peak, _memory_mib(proc.pid, "VmHWM"))
                    together = max(together, _memory_mib(proc.pid, "VmRSS")
                                   + _memory_mib(os.getpid(), "VmRSS"))
                    time.sleep(0.05)
        except OSError as exc:
            raise BuildError(f"the search indexer could not start ({exc}); reinstall it with "
                             f"{REINSTALL}") from None
        output = log.read_text(encoding="utf-8", errors="replace")
    if proc.returncode != 0:
        said_lines = output.strip().splitlines()[-5:]
        raise BuildError("the search index could not be built: " + (" / ".join(said_lines) or
                         f"the indexer exited with status {proc.returncode}"))
    entry = out / "pagefind-entry.json"
    if not entry.is_file():
        raise BuildError(f"the search indexer wrote no index into {out}")
    pages = sum(int(lang.get("page_count", 0)) for lang in
                json.loads(entry.read_text(encoding="utf-8")).get("languages", {}).values())
    return pages, peak, together, indexer_warnings(output)


_WARNING = "⚠"
"""The sign Pagefind starts a warning with; the lines after it, up to a blank line or the
next message, are its sentences."""
_NOT_SEGMENTED = re.compile(r"Indexing (\w+) in non-extended mode")


def indexer_warnings(output: str) -> list[str]:
    """Pagefind's warnings in what it printed (``--quiet``), each joined into one line.

    Its notes ("Note: Pagefind doesn't support stemming for the language ja") are left out:
    they say what a language is, nothing a site could change. The warning that the standard
    binary does not split Chinese or Japanese text into words is said in Hindsight's words,
    with the install that fixes it (Pagefind's own advice names its npm package)."""
    warnings: list[list[str]] = []
    current: list[str] | None = None
    for line in output.splitlines():
        text = line.strip()
        if text.startswith(_WARNING):
            current = [text.removeprefix(_WARNING).strip()]
            warnings.append(current)
        elif not text or text.startswith(("Note:", "Error:", "[")):
            current = None
        elif current is not None:
            current.append(text)
    said: list[str] = []
    for sentences in warnings:
        found = _NOT_SEGMENTED.match(sentences[0])
        if found:
            said.append(f"{found.group(1)} text was indexed without splitting it into words "
                        "(the standard Pagefind binary): a word in the middle of a sentence "
                        "will not be found. Install the extended binary: pip install "
                        "'pagefind[extended]'")
        else:
            said.append(" ".join(sentences))
    return list(dict.fromkeys(said))


def _memory_mib(pid: int, field: str) -> float:
    """A running process's resident memory now (``VmRSS``) or its peak so far (``VmHWM``),
    in MiB; 0 where the system does not say. (The rusage of a child counts the memory of the
    process it was started from, so a large build would be charged to the indexer.)"""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError:
        return 0.0
    line = next((row for row in status.splitlines() if row.startswith(f"{field}:")), "")
    return int(line.split()[1]) / 1024 if line else 0.0


def main(argv: list[str] | None = None) -> int:
    """``python -m generator.site.search_index SITE_DIR``: index a site built by another engine
    from ``hindsight generate --out``; exit 1 with the reason if that fails."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    usage = "usage: python -m generator.site.search_index SITE_DIR"
    if args in (["-h"], ["--help"]):
        print(f"{usage}\n\nIndex the search of a site built from `hindsight generate --out` "
              "by another engine (writes SITE_DIR/pagefind/).")
        return 0
    if len(args) != 1:
        print(usage, file=sys.stderr)
        return 2
    try:
        report = index_site(Path(args[0]))
    except BuildError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for warning in report.warnings:
        print(f"search index: warning: {warning}", file=sys.stderr)
    print(f"search index: {report.pages} pages in {report.seconds:.1f} s ({Path(args[0]) / BUNDLE})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
