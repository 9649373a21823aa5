"""The search index under `hindsight serve`: refreshed after each rebuild, in the background.

The development server holds every request until a rebuild is over, so indexing the whole
site inside the rebuild would hold up the very page a save changed by the indexing time.
Instead the rebuild asks for a fresh index and returns; one indexing run at a time works on
a snapshot of the built pages (hard links) and swaps its index in whole, so a search never
sees a half-written index. A save during a run asks for one more run after it.

A build and a run never touch the site at once: the build holds `SearchRefresher.site_lock`,
and a run takes it only while it links its snapshot and while it swaps its index in (the
indexing itself, the long part, needs no lock). Without it a full build emptying the site
raced the snapshot (a page gone between listing and linking) and the swap (MkDocs removing
the folder being renamed).
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import threading
import time
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from ..errors import HindsightError
from .search_index import BUNDLE, index_site

LOGGER = "hindsight.search"
"""The runs' logger. Not under MkDocs' own: a strict build counts every warning and error
logged under "mkdocs" while it runs, and a run's failure, in another thread, belongs to no
build (it would stop the build going on beside it)."""
log = logging.getLogger(LOGGER)

SNAPSHOT_PREFIX = ".hindsight-search-"
"""The name of each run's folder of hard links (beside the site) begins with this."""
REFRESHED = "search index refreshed"
"""What the server logs each time a fresh index is in."""


class SearchRefresher:
    """Runs the indexer in a background thread, one run at a time, the latest request last."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle = threading.Event()
        self._idle.set()
        self._pending: Path | None = None
        self._running = False
        self.runs = 0
        self.site_lock = threading.Lock()
        """Held by whatever writes the site (a build) and by a run while it reads or swaps."""

    def request(self, site_dir: Path) -> None:
        """Index ``site_dir`` again soon (after the run under way, if any)."""
        with self._lock:
            self._pending = site_dir
            self._idle.clear()
            if self._running:
                return
            self._running = True
        threading.Thread(target=self._work, name="hindsight-search-index", daemon=True).start()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until no run is under way or asked for; False if ``timeout`` ran out."""
        return self._idle.wait(timeout)

    def _work(self) -> None:
        while True:
            with self._lock:
                site_dir, self._pending = self._pending, None
                if site_dir is None:
                    self._running = False
                    self._idle.set()
                    return
            try:
                seconds, warnings = refresh(site_dir, self.site_lock)
                self.runs += 1
                log.info(f"{REFRESHED} in {seconds:.1f} s")
                for warning in warnings:
                    log.info(f"search index: warning: {warning}")
            except (HindsightError, OSError) as exc:
                log.error(f"search index not refreshed: {exc}")


def refresh(site_dir: Path, site_lock: AbstractContextManager[object] | None = None,
            ) -> tuple[float, tuple[str, ...]]:
    """Index a snapshot of the built site and swap the new index in whole; return the
    seconds it took and what the indexer warned about. ``site_lock`` is held while the site
    is read and while the index is swapped in."""
    start = time.perf_counter()
    holding = site_lock if site_lock is not None else nullcontext()
    # A server stopped during a run (its thread ends with the process, mid-way) leaves the
    # run's folder behind: the next run clears it. The folder is removed here, not by a
    # finalizer at exit, which would race the thread still filling it and print a traceback.
    for stale in site_dir.parent.glob(f"{SNAPSHOT_PREFIX}*"):
        shutil.rmtree(stale, ignore_errors=True)
    tmp = tempfile.mkdtemp(prefix=SNAPSHOT_PREFIX, dir=site_dir.parent)
    try:
        snapshot = Path(tmp) / "site"
        with holding:
            _link_pages(site_dir, snapshot)
        report = index_site(snapshot)
        current, old = site_dir / BUNDLE, Path(tmp) / "old"
        with holding:
            if current.exists():
                current.rename(old)
            (snapshot / BUNDLE).rename(current)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return time.perf_counter() - start, report.warnings


def _link_pages(site_dir: Path, snapshot: Path) -> None:
    """Hard-link (or copy) every built page into ``snapshot``; a page gone between listing
    and linking is left out (something else is changing the site: it asks for another run)."""
    for path in site_dir.rglob("*.html"):
        rel = path.relative_to(site_dir)
        if rel.parts[0] == BUNDLE:
            continue
        target = snapshot / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, target)
        except FileNotFoundError:
            continue
        except OSError:  # a file system without hard links
            try:
                shutil.copyfile(path, target)
            except FileNotFoundError:
                continue
