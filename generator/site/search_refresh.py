"""The search index under `hindsight serve`: refreshed after each rebuild, in the background.

The development server holds every request until a rebuild is over, so indexing the whole
site inside the rebuild would hold up the very page a save changed by the indexing time.
Instead the rebuild asks for a fresh index and returns; one indexing run at a time works on
a snapshot of the built pages (hard links) and swaps its index in whole, so a search never
sees a half-written index. A save during a run asks for one more run after it.

The index a swap replaces is kept beside the site for the next two swaps
(`keep_old_index`), and the server answers from it for its content-hashed files
(`old_index_file`): a page opened before a swap (the server reloads pages after a save's
build, before its refresh is over) holds the old index's entry file and asks for its chunks
and fragments, which were gone, so every search from it failed until it was reloaded.

A build and a run never touch the site at once: the build holds `SearchRefresher.site_lock`,
and a run takes it only while it links its snapshot and while it swaps its index in (the
indexing itself, the long part, needs no lock). Without it a full build emptying the site
raced the snapshot (a page gone between listing and linking) and the swap (MkDocs removing
the folder being renamed).

A site too large for one indexer run (`search_index.PAGES_PER_BUNDLE` pages) is indexed in
bundles the server can refresh one by one: every page that is not a record's in the first
bundle, the record pages spread over the others by a hash of their address (a record keeps
its bundle as records come and go). A save changes a handful of pages (at 10,000 records:
its record's page, its indicator's and team's pages, the indexes), so a run indexes again
only the bundles holding a page whose file changed since the last run, about a sixth of the
site at 10,000 records, and keeps the others as they are. The first run, a run after a full
build (every page written anew) and a run after the number of record bundles changed index
every bundle. A full build empties the site: the served index is kept aside meanwhile and put
back (`kept_through_full_build`), so searches find the old index until the new one is in.
`hindsight build` indexes the published site afresh, in runs of its own
(`search_index.index_site`).

A smaller site is indexed whole, as `hindsight build` indexes it, though bundles would let a
save's refresh index a few hundred pages instead of all: merged bundles do not search as one
index does. Each bundle scores its pages by its own statistics (on a 1,000-record site split
into 11 bundles a two-word query ranked a different top four), and a bundle with no word
beginning with a query word matches a shorter one (a name one page holds, "00124", found
nine pages without it until the search box learnt to drop them): the preview would search
unlike the site it previews.
"""

from __future__ import annotations

import ctypes
import json
import logging
import math
import os
import shutil
import sys
import tempfile
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext, suppress
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import HindsightError
from .search_index import (
    BUNDLE,
    PAGES_PER_BUNDLE,
    index_site,
    indexer,
    link_pages,
    run_indexer,
)

LOGGER = "hindsight.search"
"""The runs' logger. Not under MkDocs' own: a strict build counts every warning and error
logged under "mkdocs" while it runs, and a run's failure, in another thread, belongs to no
build (it would stop the build going on beside it)."""
log = logging.getLogger(LOGGER)

SNAPSHOT_PREFIX = ".hindsight-search-"
"""The name of each run's folder of hard links (beside the site) begins with this."""
KEPT = ".hindsight-kept-index"
"""Beside the site: the served index, kept there while a full build empties the site (not
named as a run's folder: a run starting meanwhile clears those)."""
OLD_INDEXES = ".hindsight-old-indexes"
"""Beside the site: the index folders the last swaps replaced, one folder each, numbered in
the order they were replaced (`keep_old_index`), for the pages opened before a swap."""
KEEP_OLD_INDEXES = 2
"""How many replaced index folders are kept: a page opened before a swap searches with the
index it loaded for this many more swaps (a save each), and the folder holds no more."""
HASHED_SUFFIXES = (".pf_meta", ".pf_index", ".pf_fragment", ".pf_filter")
"""The index files named by their content, which an old index may answer for (`old_index_file`):
the entry file, the scripts and ``bundles.json`` keep their names from index to index."""
REFRESHED = "search index refreshed"
"""What the server logs each time a fresh index is in."""
RECORD_PAGES_PER_BUNDLE = 1000
"""Under the server, record pages per bundle (a site of more than `PAGES_PER_BUNDLE` pages):
a save re-indexes about this many record pages besides the pages that are not records'."""
_RECORDS = "records/"
_MARK = b"data-pagefind-body"

PageStatus = tuple[int, int, int]
"""A built page's size, modification time (ns) and inode: MkDocs rewrites a page in place,
and creating the snapshot's hard link changes the page's change time, so that is left out."""


@dataclass(frozen=True)
class Layout:
    """How a large site is split into bundles under the server."""

    whole_up_to: int = PAGES_PER_BUNDLE
    """A site of up to this many pages is indexed in one run, whole, as `hindsight build`
    indexes it."""
    record_pages: int = RECORD_PAGES_PER_BUNDLE
    """Record pages per bundle beyond the first."""


@dataclass
class Indexed:
    """What the served index was made from, to tell what the next run must index again."""

    record_bundles: int
    """Bundles of record pages (numbered 1 to this; bundle 0 holds the other pages)."""
    pages: dict[str, tuple[PageStatus, bool]] = field(default_factory=dict)
    """Each page (its address in the site) with its status when indexed and whether it
    asked to be indexed (``data-pagefind-body``)."""


@dataclass(frozen=True)
class Refreshed:
    """What one run did."""

    seconds: float
    """Wall seconds, snapshot to swap."""
    warnings: tuple[str, ...]
    """What the indexer warned about, one line each."""
    bundles: tuple[int, int] = (1, 1)
    """Bundles indexed again, of all the index's bundles."""
    indexed: Indexed | None = None
    """What the index is now made from (None: a site indexed whole, or nothing to keep)."""


class SearchRefresher:
    """Runs the indexer in a background thread, one run at a time, the latest request last."""

    def __init__(self, layout: Layout | None = None) -> None:
        self._lock = threading.Lock()
        self._idle = threading.Event()
        self._idle.set()
        self._pending: Path | None = None
        self._running = False
        self._layout = layout or Layout()
        self._indexed: Indexed | None = None
        self.runs = 0
        self.last: Refreshed | None = None
        """What the last run that swapped an index in did."""
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
                done = refresh(site_dir, self.site_lock, self._indexed, self._layout)
            except (HindsightError, OSError) as exc:
                self._indexed = None  # the next run indexes every bundle
                log.error(f"search index not refreshed: {exc}")
                continue
            self._indexed, self.last = done.indexed, done
            self.runs += 1
            again, every = done.bundles
            log.info(f"{REFRESHED} in {done.seconds:.1f} s"
                     + (f" ({again} of {every} bundles indexed again)" if every > 1 else ""))
            for warning in done.warnings:
                log.info(f"search index: warning: {warning}")


@contextmanager
def kept_through_full_build(site_dir: Path) -> Iterator[None]:
    """Keep the served index through a build that empties ``site_dir`` (MkDocs' full build),
    and put it back after, until a run swaps the new one in: searches answered the index's
    files with 404 from the end of every full build until the run was over (a second at a
    few hundred pages). Held under the site lock, as the build is."""
    index = site_dir / BUNDLE
    kept = site_dir.parent / KEPT
    shutil.rmtree(kept, ignore_errors=True)  # left by a server stopped mid-build
    moved = False
    if index.is_dir():
        index.rename(kept)
        moved = True
    try:
        yield
    finally:
        if moved:
            if not index.exists() and site_dir.is_dir():
                kept.rename(index)
            else:
                shutil.rmtree(kept, ignore_errors=True)


def refresh(site_dir: Path, site_lock: AbstractContextManager[object] | None = None,
            indexed: Indexed | None = None, layout: Layout | None = None,
            keep: int = KEEP_OLD_INDEXES) -> Refreshed:
    """Index a snapshot of the built site and swap the new index in whole. ``site_lock`` is
    held while the site is read and while the index is swapped in; ``indexed`` is what the
    index there was made from (by the previous run), so that only the bundles holding pages
    changed since are indexed again; the ``keep`` indexes last replaced are kept beside the
    site (`keep_old_index`)."""
    start = time.perf_counter()
    holding = site_lock if site_lock is not None else nullcontext()
    layout = layout or Layout()
    # A server stopped during a run (its thread ends with the process, mid-way) leaves the
    # run's folder behind: the next run clears it. The folder is removed here, not by a
    # finalizer at exit, which would race the thread still filling it and print a traceback.
    for stale in site_dir.parent.glob(f"{SNAPSHOT_PREFIX}*"):
        shutil.rmtree(stale, ignore_errors=True)
    tmp = Path(tempfile.mkdtemp(prefix=SNAPSHOT_PREFIX, dir=site_dir.parent))
    try:
        with holding:
            pages = _built_pages(site_dir)
            plan = (None if len(pages) <= layout.whole_up_to
                    else _plan(site_dir, pages, indexed, layout))
            if plan is None:
                link_pages(site_dir, tmp / "site", pages)
            else:
                for number in plan.again:
                    link_pages(site_dir, tmp / f"bundle-{number}", plan.members[number])
        if plan is None:  # indexed whole, as `hindsight build` does
            report = index_site(tmp / "site")
            with holding:
                _swap_in(site_dir, tmp / "site" / BUNDLE, tmp, keep)
            return Refreshed(time.perf_counter() - start, report.warnings)
        warnings = _index_bundles(tmp, plan)
        with holding:
            _swap_in(site_dir, _assemble(site_dir, tmp, plan), tmp, keep)
        return Refreshed(time.perf_counter() - start, warnings,
                         (len(plan.again), plan.indexed.record_bundles + 1), plan.indexed)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@dataclass
class _Plan:
    indexed: Indexed
    """What the index will be made from once this run is in."""
    members: dict[int, list[str]]
    """Each bundle's pages that ask to be indexed, by bundle number."""
    again: list[int]
    """The bundles to index again, in order."""


def _built_pages(site_dir: Path) -> dict[str, PageStatus]:
    """Every built page (not the index's own files) with its status now."""
    pages = {}
    for path in site_dir.rglob("*.html"):
        rel = path.relative_to(site_dir).as_posix()
        if rel.startswith(f"{BUNDLE}/"):
            continue
        try:
            status = path.stat()
        except FileNotFoundError:
            continue
        pages[rel] = (status.st_size, status.st_mtime_ns, status.st_ino)
    return pages


def bundle_of(rel: str, record_bundles: int) -> int:
    """The bundle a page is indexed in: 0 for a page that is not a record's, else a record
    bundle picked by a hash of the page's address (the same on every run and machine)."""
    if not rel.startswith(_RECORDS):
        return 0
    return 1 + zlib.crc32(rel.encode("utf-8")) % record_bundles


def _plan(site_dir: Path, pages: dict[str, PageStatus], indexed: Indexed | None,
          layout: Layout) -> _Plan | None:
    """Which bundles hold which pages, and which of them a page changed in since ``indexed``;
    None if the site is to be indexed whole."""
    records = sum(1 for rel in pages if rel.startswith(_RECORDS))
    bundles = max(1, math.ceil(records / layout.record_pages))
    whole = (indexed is None or indexed.record_bundles != bundles
             or not (site_dir / BUNDLE / "bundles.json").is_file())
    before = {} if whole or indexed is None else indexed.pages
    now = Indexed(bundles)
    touched: set[int] = set(range(bundles + 1)) if whole else set()
    for rel in before.keys() - pages.keys():  # a page gone: its bundle loses it
        if before[rel][1]:
            touched.add(bundle_of(rel, bundles))
    members: dict[int, list[str]] = {number: [] for number in range(bundles + 1)}
    for rel in sorted(pages):
        status = pages[rel]
        kept = before.get(rel)
        if kept is not None and kept[0] == status:
            marked = kept[1]
        else:
            try:
                # Only pages that ask to be indexed: a run with none would index pages whole.
                marked = _MARK in (site_dir / rel).read_bytes()
            except FileNotFoundError:
                continue
            # A page no run indexes (MkDocs writes its 404 page on every build) changes none.
            if marked or (kept is not None and kept[1]):
                touched.add(bundle_of(rel, bundles))
        now.pages[rel] = (status, marked)
        if marked:
            members[bundle_of(rel, bundles)].append(rel)
    if not members[0]:
        # No first bundle for the record bundles to merge into (every page outside records/
        # left out of search, by a theme override, say): the site is indexed whole instead.
        return None
    again = sorted(number for number in touched if number == 0 or members[number])
    return _Plan(now, members, again)


def _index_bundles(tmp: Path, plan: _Plan) -> tuple[str, ...]:
    """Index each bundle to index again from its snapshot into ``tmp/out-N``."""
    binary = indexer()
    warnings: dict[str, None] = {}
    for number in plan.again:
        _, _, _, said = run_indexer(binary, tmp / f"bundle-{number}", tmp / f"out-{number}")
        warnings.update(dict.fromkeys(said))
    return tuple(warnings)


def _part(number: int) -> str:
    return f"part-{number + 1}"


def _assemble(site_dir: Path, tmp: Path, plan: _Plan) -> Path:
    """The new index folder: the bundles indexed again, the others linked from the index
    served now."""
    new = tmp / "new"
    current = site_dir / BUNDLE
    again = set(plan.again)
    if 0 in again:
        (tmp / "out-0").rename(new)
    else:
        # Not the list of bundles either: it is written anew below (a link shares its bytes).
        _link_tree(current, new, skip=lambda name: name.startswith("part-")
                   or name == "bundles.json")
    parts = []
    for number in range(1, plan.indexed.record_bundles + 1):
        if not plan.members[number]:
            continue  # no record hashed here: no bundle
        target = new / _part(number)
        if number in again:
            (tmp / f"out-{number}").rename(target)
        else:
            _link_tree(current / _part(number), target)
        parts.append(f"{_part(number)}/")
    (new / "bundles.json").write_text(json.dumps({"merge": parts}), encoding="utf-8")
    return new


def _link_tree(source: Path, target: Path, skip: Callable[[str], bool] | None = None) -> None:
    """Hard-link (or copy) every file under ``source`` to the same place under ``target``;
    top-level entries whose name ``skip`` accepts are left out."""
    target.mkdir(parents=True, exist_ok=True)
    for entry in os.scandir(source):
        if skip is not None and skip(entry.name):
            continue
        there = target / entry.name
        if entry.is_dir(follow_symlinks=False):
            _link_tree(Path(entry.path), there)
            continue
        try:
            os.link(entry.path, there)
        except OSError:  # a file system without hard links
            shutil.copyfile(entry.path, there)


def _swap_in(site_dir: Path, new: Path, tmp: Path, keep: int = 0) -> None:
    """Put ``new`` in place of the served index in one step: the two folders exchanged, so a
    request for an index file finds the old index or the new one, never neither. (Moved out
    then in, a request between the two renames was a 404; where the system cannot exchange
    two folders, that is still how it is done.) The index replaced is kept beside the site
    for ``keep`` swaps (`keep_old_index`), else removed with ``tmp``."""
    current = site_dir / BUNDLE
    if current.is_dir() and exchange(new, current):
        old = new  # the old index is now where the new one was, in ``tmp``
    else:
        old = tmp / "old"
        if current.exists():
            current.rename(old)
        new.rename(current)
    if old.is_dir():
        # Best effort: the new index is in; an old one not kept is removed with ``tmp``.
        with suppress(OSError):
            keep_old_index(site_dir, old, keep)


def keep_old_index(site_dir: Path, old: Path, keep: int = KEEP_OLD_INDEXES) -> None:
    """Keep the index folder ``old``, just replaced, beside ``site_dir`` (in `OLD_INDEXES`),
    and of those kept only the ``keep`` newest.

    A page opened before a swap has the old index's entry file, and asks for the chunks and
    fragments that file names, by their content-hashed names: the swap removed them, and
    every search from that page failed (404) until it was reloaded, though the server
    reloads a page after a save's build, before the refresh that follows swaps the index in.
    The server answers for them from here (`old_index_file`). Numbered, not dated: the order
    of the swaps is what counts, whatever the clock does."""
    folder = site_dir.parent / OLD_INDEXES
    if keep <= 0:
        shutil.rmtree(folder, ignore_errors=True)
        return
    numbers = _kept_numbers(folder)
    folder.mkdir(exist_ok=True)
    old.rename(folder / str((numbers[0] + 1) if numbers else 1))
    for number in _kept_numbers(folder)[keep:]:
        shutil.rmtree(folder / str(number), ignore_errors=True)


def _kept_numbers(folder: Path) -> list[int]:
    """The numbers of the old indexes kept in ``folder``, newest first."""
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return sorted((int(name) for name in names if name.isdigit()), reverse=True)


def old_index_file(site_dir: Path, rel: str) -> Path | None:
    """Where an index file no longer served, ``rel`` its address in the site (normalised,
    ``pagefind/fragment/en_1b75c19.pf_fragment``), is kept from an index replaced lately: the
    newest such index that has it. None for a file not named by its content (the entry file
    and the scripts are the new index's own), or kept nowhere."""
    parts = rel.split("/")
    if len(parts) < 2 or parts[0] != BUNDLE or not rel.endswith(HASHED_SUFFIXES) \
            or any(part in ("", ".", "..") for part in parts):
        return None
    folder = site_dir.parent / OLD_INDEXES
    for number in _kept_numbers(folder):
        path = folder / str(number) / "/".join(parts[1:])
        if path.is_file():
            return path
    return None


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2  # Linux's renameat2 flag
_RENAME_SWAP = 2  # macOS's renamex_np flag


def exchange(first: Path, second: Path) -> bool:
    """Exchange two paths in one atomic step (Linux's ``renameat2`` with RENAME_EXCHANGE,
    macOS's ``renamex_np`` with RENAME_SWAP); False where the system or its file system cannot,
    nothing then changed."""
    names = (os.fsencode(first), os.fsencode(second))
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if sys.platform.startswith("linux"):
            call = libc.renameat2
            call.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                             ctypes.c_uint]
            done = call(_AT_FDCWD, names[0], _AT_FDCWD, names[1], _RENAME_EXCHANGE)
        elif sys.platform == "darwin":
            call = libc.renamex_np
            call.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint]
            done = call(names[0], names[1], _RENAME_SWAP)
        else:
            return False
    except (OSError, AttributeError, TypeError):  # no such call in this C library
        return False
    return int(done) == 0
