"""`hindsight serve`: a preview that rebuilds only what a save changed.

The generated tree and the hand-written docs are written as real files into a build folder
under ``.hindsight-cache/serve/``, a file only when its bytes changed (so an unchanged page
keeps its timestamp), and MkDocs builds that folder with its *dirty* build, which renders
again only the pages whose Markdown is newer than their HTML. The generator runs in this
process and keeps its page cache and every record's validated result in memory
(`record_cache.remember`), so a save reads back no unchanged record and renders again only
the pages whose inputs changed.

What a dirty build cannot know is handled here: a change to ``mkdocs.yml``, ``taxonomy.yml``
or the hand-written docs (the navigation, titles and vocabularies every page shows), or a page
the navigation lists that is no longer generated, makes the next build a full one. A page no
longer generated otherwise (a record deleted or renamed) has its built files removed before a
dirty build, which renders the tags index and the hand-written pages again with the pages
that changed (`Session._before_dirty_build`). The build folder outlives the
server: what its last good build was made from (those settings, the theme's overrides, the
versions of the code and libraries, the address served) is kept beside it, so a server started
again builds dirty from the start when none of that changed; the search index is refreshed
in the background after each build, on a large site only its bundles holding pages the build
changed (`generator.site.search_refresh`). Records
that do not validate are reported with their locations and the last good site stays served.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import json
import logging
import os
import posixpath
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from wsgiref.util import FileWrapper

import click
import jinja2
import jinja2.bccache
from mkdocs.config.base import Config
from mkdocs.plugins import BasePlugin, event_priority
from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

from ..errors import BuildError, ConfigError, HindsightError, Problem, Severity
from ..escape import html_text
from ..gcpause import building, collect_when_idle, serving
from ..paths import PAGES, RenderOptions, plan_path, record_path
from ..records import record_cache
from ..records.load import CACHE_DIR, RECORD_FOLDERS, TAXONOMY_FILE
from ..records.site_config import CONFIG_FILE, config_files
from ..records.validate import Result, check
from .build import build as generate
from .charts import ChartCache
from .guide import fill_guide_files
from .html_cache import toolchain_digest
from .page_cache import PageCache
from .plugin import HindsightPlugin, Tree, log
from .search_refresh import LOGGER as SEARCH_LOGGER
from .search_refresh import SearchRefresher, kept_through_full_build, old_index_file
from .settings import plugin_options
from .tree import GeneratedFiles, content_digest

SERVE_FOLDER = f"{CACHE_DIR}/serve"
"""The build folder `hindsight serve` writes (``docs/``) and builds (``site/``) in."""
BUILT_FROM_FILE = "built-from"
"""In the build folder: the digest of what its ``site/`` was last built from, written only
after a good build and removed before any build starts (a server stopped mid-build leaves
none, and the next one builds everything)."""
_IN_NAV = set(PAGES.values())
"""The generated pages the navigation lists (with the plan kinds' checklists)."""
_TAGS_LISTING = b"<!-- material/tags"
"""Where Material's tags plugin puts a listing made from every page's tags."""
LOCK_FILE = "server.lock"
"""In the build folder: held locked by the server building there, and naming it (its process
and address) for a second server, which is refused (`serving_alone`)."""


class Session:
    """One `hindsight serve`: generates, writes what changed, builds dirty where it can."""

    def __init__(self, root: Path, as_of: dt.date | None, options: RenderOptions,
                 validated: Result | None = None,
                 today: Callable[[], dt.date] = dt.date.today) -> None:
        """``as_of``: the day every build is of, or None for the day each build runs, as
        ``today`` gives it (a server runs for days)."""
        self.root = root.resolve()
        self._as_of = as_of
        self._today = today
        self.options = options
        self.folder = self.root / SERVE_FOLDER
        self.docs = self.folder / "docs"
        self.site = self.folder / "site"
        # --no-cache, or a cache committed to git: nothing is read from or kept in
        # .hindsight-cache/ between runs (the pages are still kept in memory between saves).
        keep = record_cache.usable(self.root)
        if record_cache.enabled() and not keep:
            click.echo(f"notice: {record_cache.COMMITTED_NOTICE}", err=True)
        self.pages = PageCache(folder=self.root if keep else None)
        self.charts = ChartCache(folder=self.root / CACHE_DIR / "charts" if keep else None)
        self.tree = Tree()
        self.templates = _TemplateKeeper()
        self.tags = _TagsOfUnbuiltPages()
        self.refresher = SearchRefresher()
        # What the build folder's site was last built from, if a previous server left it.
        self._settings = _read_built_from(self.folder) if keep else b""
        self._keep = keep
        self._stopped = False  # the last build stopped at a warning
        self._changed = ""  # what in the pages makes the next build a full one
        self._validated = validated  # the command line's check, used for the first build
        self.builds: list[str] = []
        """``full`` or ``dirty`` per build that ran, for the curious (and the tests)."""
        self._files: dict[str, str] | None = None
        """Each record file's digest, and taxonomy.yml's, at the last run (None before it):
        the files a save changed are those that differ at the next."""
        self._warned: set[str] = set()
        """The warnings of the last run, as printed."""
        self._day: dt.date | None = None
        """The day the last run was of (None before it)."""
        self._removed: set[str] = set()
        """The build folder's files removed since the last build started."""
        self._retagged = False
        """Whether a page's tags changed since the last build started."""
        self.problems: list[str] = []
        """Why the last save was not built (empty after a good build): every served page
        says so at its top, as the terminal does."""
        self.headline = ""
        """What the banner says above the problems."""

    @property
    def as_of(self) -> dt.date:
        """The day a build starting now is of: the one stated, else today. A server's own
        start day went stale: past midnight, overdue actions were judged by yesterday, and
        after a day and a half a new commit was in its future ("unknown date")."""
        return self._as_of or self._today()

    @property
    def last_day(self) -> dt.date | None:
        """The day the last build was of (None before the first)."""
        return self._day

    def generate(self) -> bool:
        """Validate and generate; write the files that changed. False when records are invalid
        (the problems are printed and the previous files stay). After a save that builds, the
        warnings of the files it changed are printed, and how many others stand."""
        reported = self._validated is not None  # the command line printed its whole report
        day = self.as_of  # one day for the whole build, though it may run past midnight
        result = self._validated or check(self.root, day)
        self._validated = None  # later builds read the records afresh
        if result.kb is None or result.problems.errors:
            self._remember_files(result, day)
            for problem in result.problems.sorted():
                click.echo(problem.format(), err=True)
            click.echo("hindsight serve: fix the errors above; the last good site is still "
                       "served", err=True)
            self.report([p.format() for p in result.problems.sorted()
                         if p in result.problems.errors], "Not updated: the last save has {}.")
            return False
        self.report([])
        generated = generate(self.root, day, self.options, self.charts,
                             validated=result, pages=self.pages)
        checked = {p.format() for p in result.problems.items}  # before the scorecards' below
        if not reported:  # the command line's check had them; this save's build skipped them
            from ..analysis.scorecard_check import check_scorecards

            assert result.kb is not None  # checked above: a valid knowledge base
            check_scorecards(result.kb, result.problems, generated.analysis.scorecards)
        self._say_warnings(result, reported, day, checked)
        assert result.kb is not None  # checked above: a valid knowledge base
        # The guide's examples in this knowledge base's ids, as `build` publishes them.
        hand_written = fill_guide_files(_hand_written(self.root), result.kb.taxonomy)
        for path in generated.files:
            if path in hand_written:
                raise BuildError(f"docs/{path} clashes with a page Hindsight generates; "
                                 "rename or remove the hand-written file")
        files = GeneratedFiles({**hand_written, **generated.files.contents()})
        kb = generated.result.kb
        assert kb is not None  # checked above: a valid knowledge base
        first = not self.tree.files
        listed = _IN_NAV | {path for _, path in self.tree.plan_kinds}
        removed, retagged, digests = _sync(self.docs, files, self.tree.files)
        self.tree = Tree(files=digests, generated=set(generated.files),
                         sources={record_path(e.id): e.path for e in kb.entries},
                         plan_kinds=[(k.title, plan_path(k.id)) for k in kb.taxonomy.plan_kinds],
                         retros_heading=generated.retros_heading)
        # A dirty build renders only the pages whose Markdown changed: a removed page's HTML
        # would stay served, the tags index (made from every page's tags) and a hand-written
        # page's links to the page gone would not be rendered again, and every page shows the
        # navigation. A record deleted or renamed (git mv) rebuilt every page for that: at
        # 10,000 records, minutes. Now the build does what a full one would of it
        # (`_before_dirty_build`); only a page the navigation lists, or a folder a last server
        # left (what it built is not known here), takes a full build.
        in_nav = sorted(set(removed) & listed)
        if (first and (removed or retagged)) or in_nav:
            self._settings = b""
            self._changed = (f"a page the navigation lists was removed ({in_nav[0]})" if in_nav
                             else "a page was removed" if removed
                             else "a page's tags changed (the tags index lists every page's)")
        self._removed.update(removed)
        self._retagged = self._retagged or retagged
        return True

    def _before_dirty_build(self, directory_urls: bool) -> None:
        """Do for a dirty build what a full one does of the pages removed and the tags changed
        since the last build: remove the removed pages' built files (a page now built to the
        same address, a renamed record's redirect, say, replaces its own), and have the tags
        index rendered again, and, after a removal, the hand-written pages (whose links to a
        page gone the strict build must see). Run holding the site lock."""
        built = {_built_path(rel, directory_urls) for rel in self.tree.files}
        for rel in sorted(self._removed - self.tree.files.keys()):
            target = self.site / _built_path(rel, directory_urls)
            if target.relative_to(self.site).as_posix() in built:
                continue
            target.unlink(missing_ok=True)
            for parent in target.parents:  # and the folders it leaves empty
                with contextlib.suppress(OSError):
                    if parent != self.site and not any(parent.iterdir()):
                        parent.rmdir()
                        continue
                break
        again = [PAGES["tags"]]
        for rel in self.tree.files.keys() - self.tree.generated:
            if not rel.endswith(".md"):
                continue
            if self._removed or _TAGS_LISTING in (self.docs / rel).read_bytes():
                again.append(rel)
        for rel in again:  # newer than its HTML: a dirty build renders it again
            with contextlib.suppress(OSError):
                os.utime(self.docs / rel)

    def _remember_files(self, result: Result, day: dt.date) -> dict[str, str]:
        """Note each record file's digest and taxonomy.yml's, this run's warnings and its
        ``day``, for the next run; return what the last run had noted (empty at the first)."""
        before = self._files or {}
        files = {entry.path: entry.source.digest
                 for entry in (result.kb.entries if result.kb is not None else [])}
        with contextlib.suppress(OSError):  # unreadable, it was reported as an error
            files[TAXONOMY_FILE] = content_digest((self.root / TAXONOMY_FILE).read_bytes())
        self._files = files
        self._warned = {p.format() for p in result.problems.items
                        if p.severity is Severity.WARNING}
        self._day = day
        return before

    def _say_warnings(self, result: Result, reported: bool, day: dt.date,
                      checked: set[str]) -> None:
        """Print the warnings of the files this save changed or added, and any warning new
        since the last run (a taxonomy.yml saved can warn in records not saved), then how many
        others stand. A save that built printed no warning at all: a draft saved with its
        prompt still in it was published with only "Documentation built" in the terminal.
        ``reported``: the whole report was printed already (the command line's check);
        ``day``: the day this run is of; ``checked``: the problems validation gave (the
        scorecards' not among them).

        The first run after midnight can warn of what no save did: an action due yesterday is
        overdue today. Those are told apart by validating again as of the last run's day (once
        a day, from the records kept in memory) and said to come from the new day: they were
        counted "in what this save changed", which sent the author to a record they had not
        touched."""
        warned_before, last_day = self._warned, self._day
        first = self._files is None
        before = self._remember_files(result, day)
        if reported or first:
            return
        warnings: list[Problem] = [p for p in result.problems.sorted()
                                   if p.severity is Severity.WARNING]
        if not warnings:
            return
        changed = {path for path, digest in (self._files or {}).items()
                   if before.get(path) != digest}
        moved = last_day is not None and last_day != day
        if moved:
            # A warning that names the build's day ("after the build date (2026-06-10)") reads
            # anew each day: the same warning standing, not a new one.
            then_said = {p.format(): p.format().replace(day.isoformat(), str(last_day))
                         for p in warnings}
            warned_before = warned_before | {now for now, then in then_said.items()
                                             if then in warned_before}
        new = [p for p in warnings if p.format() not in warned_before and p.path not in changed]
        of_the_day: set[str] = set()
        if moved and last_day is not None and any(p.format() in checked for p in new):
            # Validation alone depends on the day (scorecard checks do not): what it gives as
            # of the last run's day, from these same files, no save made.
            then = check(self.root, last_day)
            said_then = {p.format() for p in then.problems.items}
            of_the_day = {p.format() for p in new
                          if p.format() in checked and p.format() not in said_then}
        shown = [p.format() for p in warnings
                 if p.path in changed or p.format() not in warned_before]
        for line in shown:
            click.echo(line, err=True)
        saved = len(shown) - len(of_the_day)
        others = len(warnings) - len(shown)
        here = (f"{saved} warning{'s' * (saved != 1)} in what this save changed, "
                "above") if saved else "no warning in what this save changed"
        if of_the_day:
            here += (f"; {len(of_the_day)} new with the day, above (the build is of "
                     f"{day.isoformat()}, the last was of {last_day})")
        elsewhere = (f"{others} in files not saved (hindsight validate lists every one)"
                     if others else "none in files not saved")
        click.echo(f"hindsight serve: {here}; {elsewhere}", err=True)

    def _why_full(self, previous: bytes, settings: bytes) -> str:
        """Why this build is a full one (``previous``: what the site was built from before)."""
        if not self._keep:
            return "no cache in use (--no-cache, or .hindsight-cache/ committed)"
        if self._stopped:
            return "the last build stopped at a warning"
        if not previous or not self.site.is_dir():
            return "no site kept from a finished build (a first server, or a build stopped)"
        if previous != settings:
            return ("mkdocs.yml or a file it inherits, taxonomy.yml, docs/, the theme's "
                    "overrides, the versions or the address changed")
        return self._changed

    def report(self, problems: list[str], headline: str = "", noun: str = "error") -> None:
        """Keep what the served pages' banner says (``{}`` in ``headline``: how many ``noun``)."""
        count = len(problems)
        self.problems = problems
        self.headline = headline.format(f"{count} {noun}{'s' * (count != 1)}")

    def build(self, serve_url: str | None = None) -> None:
        """Generate, then build the folder: dirty unless the settings changed or pages went.

        A strict build that stops at a warning (a hand-written page's broken link, say) is
        reported like invalid records, the warnings in the banner."""
        from mkdocs.commands.build import build
        from mkdocs.exceptions import Abort

        settings = _settings_digest(self.root, serve_url, self.options)
        previous = self._settings  # what the site was last built from (generate may forget it)
        if plugin_options(self.root) is None:  # a build without it would publish no page
            raise ConfigError(f"{CONFIG_FILE} no longer lists the hindsight plugin: add "
                              "`- hindsight` under plugins:")
        if not self.generate():
            return
        dirty = settings == self._settings and self.site.is_dir()
        if not dirty:  # at thousands of records a full build takes minutes: say why
            log.info(f"hindsight serve: building every page: {self._why_full(previous, settings)}")
        self._stopped = False
        warned = _Warnings()
        logging.getLogger("mkdocs").addHandler(warned)
        try:
            config = self.config()
        except Abort as exc:  # valid YAML, but a configuration MkDocs refuses (a plugin typo)
            logging.getLogger("mkdocs").removeHandler(warned)
            self.report(warned.messages or [str(exc)],
                        "Not updated: mkdocs.yml has {}.", "configuration error")
            click.echo("hindsight serve: mkdocs.yml has the configuration errors above; the "
                       "last good site is still served", err=True)
            return
        if serve_url is not None:
            config.site_url = serve_url
        # Dirty builds are what a session is for; MkDocs' warning about them fails --strict.
        logging.getLogger("mkdocs.commands.build").addFilter(_not_dirty_warning)
        with contextlib.suppress(OSError):  # a folder refusing this refused the docs above
            (self.folder / BUILT_FROM_FILE).unlink(missing_ok=True)
        try:
            # A background search run reads no half-built site; a full build, which empties
            # it, leaves the served index in place for searches until a run replaces it.
            with (self.refresher.site_lock,
                  nullcontext() if dirty else kept_through_full_build(self.site)):
                if dirty and (self._removed or self._retagged):
                    self._before_dirty_build(config.use_directory_urls)
                self._removed, self._retagged = set(), False  # a full build does it all
                build(config, serve_url=serve_url, dirty=dirty)
        except Abort as exc:
            self.report(warned.messages or [str(exc)],
                        "The strict build stopped at {}: pages may be out of date.", "warning")
            self._settings = b""  # the next build starts afresh
            self._stopped = True
            click.echo(f"hindsight serve: {exc} (see the warnings above)", err=True)
            return
        finally:
            logging.getLogger("mkdocs").removeHandler(warned)
        self._settings = settings
        if self._keep:
            with contextlib.suppress(OSError):  # not kept: the next server builds everything
                (self.folder / BUILT_FROM_FILE).write_bytes(settings)
        self.builds.append("dirty" if dirty else "full")

    def config(self) -> Any:
        """The site's own mkdocs.yml, pointed at the build folder, the plugin fed the tree."""
        from mkdocs.config import load_config

        config = load_config(config_file=str(self.root / "mkdocs.yml"), strict=True,
                             docs_dir=str(self.docs), site_dir=str(self.site))
        for plugin in config.plugins.values():
            if isinstance(plugin, HindsightPlugin):
                plugin.served = self.tree
                plugin.search_refresher = self.refresher
        config.plugins["hindsight/template-keeper"] = self.templates
        config.plugins["hindsight/tags-of-unbuilt-pages"] = self.tags
        return config


_SHOWN_PROBLEMS = 20
"""How many problems the banner of a served page lists (the terminal has them all)."""


class _Warnings(logging.Handler):
    """The warnings MkDocs logs during one build, as plain messages."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _with_banner(page: bytes, problems: list[str],
                 headline: str = "Not updated: the last save has errors.") -> bytes:
    """A served page with, at the top of its body, why the last save was not built."""
    if not problems:
        return page
    count = len(problems)
    listed = "\n".join(problems[:_SHOWN_PROBLEMS]) + (
        f"\n… and {count - _SHOWN_PROBLEMS} more in the terminal" if count > _SHOWN_PROBLEMS else "")
    banner = (
        '<div class="hs-serve-errors" role="alert" style="'
        'background:#b71c1c;color:#fff;padding:.6rem 1rem;font:14px/1.4 system-ui,sans-serif">'
        f"<strong>{html_text(headline)}</strong> It updates with the next save that builds."
        '<pre style="white-space:pre-wrap;margin:.4rem 0 0;background:none;color:inherit;'
        f'font:13px/1.4 ui-monospace,monospace">{html_text(listed)}</pre></div>'
    ).encode()
    start = page.find(b"<body")
    end = page.find(b">", start) + 1 if start >= 0 else 0
    return page[:end] + banner + page[end:]


def _hand_written(root: Path) -> dict[str, bytes]:
    """The site's own docs folder, file by file."""
    from .settings import mkdocs_config

    docs = root / str(mkdocs_config(root).get("docs_dir", "docs"))
    files: dict[str, bytes] = {}
    if docs.is_dir():
        for path in sorted(docs.rglob("*")):
            if path.is_file() and not path.is_symlink():
                files[path.relative_to(docs).as_posix()] = path.read_bytes()
    return files


def _settings_digest(root: Path, serve_url: str | None, options: RenderOptions) -> bytes:
    """What every page's HTML depends on beyond its own Markdown: the configuration (nav,
    theme), the taxonomy (plan kinds in the nav), the hand-written docs, the theme's
    overrides, the code and libraries that make the pages, and the address served at."""
    from .settings import mkdocs_config

    digest = hashlib.blake2b(digest_size=20)
    # mkdocs.yml and every file it inherits as written: the merged configuration hashed
    # below reads their !ENV and !!python/name tags as nothing, so a changed tag is only here.
    for path in [*config_files(root), root / TAXONOMY_FILE]:
        # Named by the file's name: where an inherited file is, its INHERIT line says.
        content = path.read_bytes() if path.is_file() else b""
        digest.update(path.name.encode() + b"\0" + content)
    for rel, content in _hand_written(root).items():
        digest.update(rel.encode() + b"\0" + content)
    config = mkdocs_config(root)
    # As read, so a setting inherited from another file (INHERIT:) counts too.
    digest.update(repr(config).encode())
    theme = config.get("theme")
    custom_dir = theme.get("custom_dir") if isinstance(theme, dict) else None
    overrides = root / str(custom_dir) if custom_dir else None
    if overrides is not None and overrides.is_dir():
        for path in sorted(overrides.rglob("*")):
            if path.is_file():
                digest.update(b"overrides/" + path.relative_to(overrides).as_posix().encode()
                              + b"\0" + path.read_bytes())
    digest.update(f"{toolchain_digest()}|{serve_url}|{options!r}".encode())
    return digest.digest()


def _read_built_from(folder: Path) -> bytes:
    """What the build folder's site was last built from (nothing if unknown)."""
    try:
        return (folder / BUILT_FROM_FILE).read_bytes()
    except OSError:
        return b""


def _built_path(rel: str, directory_urls: bool) -> str:
    """Where MkDocs builds the build folder's file ``rel`` in the site: a page's HTML (as
    `mkdocs.structure.files.File` places it), anything else as it is."""
    if not rel.endswith(".md"):
        return rel
    folder, _, name = rel.rpartition("/")
    stem = name[: -len(".md")]
    prefix = f"{folder}/" if folder else ""
    if stem in ("index", "README"):
        return f"{prefix}index.html"
    return f"{prefix}{stem}/index.html" if directory_urls else f"{prefix}{stem}.html"


def _not_dirty_warning(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith("A 'dirty' build")


def _tags(page: bytes) -> bytes:
    """The ``tags:`` list of a page's front matter (empty when it has none)."""
    if not page.startswith(b"---\n"):
        return b""
    front = page[4:page.find(b"\n---\n", 4)]
    start = front.find(b"\ntags:\n")
    if start < 0:
        return b""
    lines = front[start + 7:].split(b"\n")
    return b"\n".join(line for line in lines[:next(
        (i for i, line in enumerate(lines) if not line.startswith(b"  - ")), len(lines))])


def _sync(folder: Path, files: GeneratedFiles,
          previous: dict[str, str]) -> tuple[list[str], bool, dict[str, str]]:
    """Make ``folder`` hold exactly ``files``, writing only those whose bytes changed (by
    their digests, ``previous`` being what the last sync wrote, else by the disk). Returns
    the files removed, whether a written page's tags changed, and every file's digest."""
    removed: list[str] = []
    retagged = False
    if not previous and folder.is_dir():  # the first sync: the folder as a last server left it
        for path in sorted(folder.rglob("*"), reverse=True):
            rel = path.relative_to(folder).as_posix()
            if path.is_file() and rel not in files:
                path.unlink()
                removed.append(rel)
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    else:
        # Later, only what the last sync wrote can be there: walking 11,000 files at 10,000
        # records took a fifth of a second on every save.
        for rel in sorted(previous.keys() - files.keys()):
            target = folder / rel
            target.unlink(missing_ok=True)
            removed.append(rel)
            for parent in target.parents:  # and the folders it leaves empty
                with contextlib.suppress(OSError):
                    if parent != folder and not any(parent.iterdir()):
                        parent.rmdir()
                        continue
                break
    digests: dict[str, str] = {}
    for rel in files:
        digest = digests[rel] = files.digest(rel)
        if previous.get(rel) == digest:
            continue
        target = folder / rel
        old = target.read_bytes() if target.is_file() else None
        if old is not None and rel not in previous and content_digest(old) == digest:
            continue
        content = files[rel]
        retagged = retagged or (rel.endswith(".md") and _tags(content) != _tags(old or b""))
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return removed, retagged, digests


class _CompiledTemplates(jinja2.BytecodeCache):
    """The theme's compiled templates, in memory for the life of the server."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


class _NoOptions(Config):  # type: ignore[no-untyped-call]
    """The template keeper has no options."""


class _TemplateKeeper(BasePlugin[_NoOptions]):  # type: ignore[no-untyped-call]
    """Keeps the theme's compiled templates between the server's builds: each build loads
    the theme afresh, and compiling Material's templates again would cost every save."""

    def __init__(self) -> None:
        super().__init__()
        self.compiled = _CompiledTemplates()

    def on_env(self, env: Any, /, *, config: Any, files: Any) -> Any:
        env.bytecode_cache = self.compiled
        return env


class _TagsOfUnbuiltPages(BasePlugin[_NoOptions]):  # type: ignore[no-untyped-call]
    """Gives Material's tags plugin the tags of the pages a dirty build does not read.

    A dirty build reads only the pages it renders again, so the tags plugin saw only those:
    the tags index's listing was unknown (a rebuilt page's tags lost their links to it) and
    ``tags.json`` was written with the rebuilt pages' tags alone. Every other page's front
    matter is read here (its source and metadata only, no Markdown rendered) before the
    tags plugin builds its listings: from what this server read of it before while the file
    is unchanged (the build folder's files are written only when their bytes change)."""

    def __init__(self) -> None:
        super().__init__()
        self.read: dict[str, tuple[tuple[int, int], str, dict[str, Any]]] = {}
        """Source path → (its mtime and size, its Markdown, its front matter)."""

    def _read(self, page: Any, config: Any) -> None:
        path = page.file.abs_src_path
        try:
            status = os.stat(path)
            stamp = (status.st_mtime_ns, status.st_size)
        except (OSError, TypeError):
            page.read_source(config)
            return
        known = self.read.get(path)
        if known is not None and known[0] == stamp:
            page.markdown, page.meta = known[1], dict(known[2])
            return
        page.read_source(config)
        self.read[path] = (stamp, page.markdown, dict(page.meta))

    @event_priority(150)  # before the tags plugin's own on_env (100)
    def on_env(self, env: Any, /, *, config: Any, files: Any) -> Any:
        from material.plugins.tags.plugin import TagsPlugin  # type: ignore[import-untyped]

        tags = next((p for p in config.plugins.values() if isinstance(p, TagsPlugin)), None)
        if tags is None or not tags.config.enabled:
            return env
        for file in files.documentation_pages():
            page = file.page
            if page is None or page.markdown is not None or not tags.filter(file):
                continue  # read by the build (or not the tags plugin's)
            self._read(page, config)
            tags.mappings.add(page, page.markdown)
            listed = tags.listings.add(page, page.markdown)
            if listed != page.markdown:  # the tags index: its listing is filled into its HTML
                page.markdown = listed
                page.render(config, files)
        # In the order a full build reads the pages (tags.json and the listing follow it).
        found = tags.mappings.data
        tags.mappings.data = {page.url: found[page.url] for page in
                              (file.page for file in files.documentation_pages())
                              if page is not None and page.url in found}
        return env


def served_at(dev_addr: str, options: RenderOptions) -> str:
    """The address the site is served at for ``--dev-addr`` HOST:PORT, under site_url's path
    as MkDocs serves it; an IPv6 host in brackets (MkDocs' own ``http://::1:8000/`` is no
    URL, and it was printed as the address to open and made every page's canonical one)."""
    from mkdocs.livereload import _serve_url

    host, _, port = dev_addr.rpartition(":")
    host = host.strip("[]")  # an IPv6 address is written [::1]:8000
    return _serve_url(f"[{host}]" if ":" in host else host, int(port),
                      urlsplit(options.site_url or "/").path)


def cannot_serve(dev_addr: str, exc: OSError) -> ConfigError:
    """The error for an address the server cannot bind, ``exc`` the system's refusal: said
    the same whether the check before the first build finds it, or the bind after it (a
    port another program took while the first build ran)."""
    host, _, port = dev_addr.rpartition(":")
    host = host.strip("[]")  # an IPv6 address is written [::1]:8000
    reason = exc.strerror or str(exc)
    return ConfigError(f"cannot serve on {dev_addr}: {reason.lower()} "
                       f"({_bind_hint(exc, host, int(port))})")


def _bind_hint(exc: OSError, host: str, port: int) -> str:
    """What to do about an address the server cannot bind, by the system's reason (one hint
    for all of them sent a user whose address was not this machine's to look for a server)."""
    def address(new_host: str, new_port: int) -> str:
        return f"[{new_host}]:{new_port}" if ":" in new_host else f"{new_host}:{new_port}"

    codes = {exc.errno, getattr(exc, "winerror", None)}
    if codes & {errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", None)} - {None}:
        # Not a server of this knowledge base: that one would have been named before this.
        free = port + 1 if port < 65535 else 8000
        return ("another program is listening on that port, a server of another knowledge "
                f"base perhaps; stop it, or pass a free port, e.g. --dev-addr "
                f"{address(host, free)}")
    if codes & {errno.EADDRNOTAVAIL, getattr(errno, "WSAEADDRNOTAVAIL", None)} - {None}:
        return (f"{host} is not an address of this machine; serve on one of its own, e.g. "
                f"--dev-addr {address('127.0.0.1', port)}, or 0.0.0.0:{port} to be reached "
                "from other machines too")
    if codes & {errno.EACCES, getattr(errno, "WSAEACCES", None)} - {None} and port < 1024:
        return (f"ports below 1024 need administrator rights; pass a port from 1024 up, e.g. "
                f"--dev-addr {address(host, 8000)}")
    return (f"the system does not let this program serve there; pass another port, e.g. "
            f"--dev-addr {address(host, 8000 if port != 8000 else 8001)}")


@contextlib.contextmanager
def serving_alone(root: Path, url: str) -> Iterator[None]:
    """Hold the build folder for this server, which serves at ``url``, until it stops.

    Every server of a knowledge base builds in the same folder: a second one emptied the
    first one's site for its own full build (the first answered 404 for seconds), and from
    then on each built over the other's pages, with the other's address in them. A second
    server is refused, naming the first. The lock is the operating system's, on
    `LOCK_FILE`: it goes with the process however it ends, so a file left by a killed
    server holds nothing, and the next server takes it over. On a file system without locks
    the server runs unguarded, as before."""
    path = root.resolve() / SERVE_FOLDER / LOCK_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            held = _lock(fd)
        except OSError:  # no locks here (some network file systems): unguarded
            os.close(fd)
            yield
            return
        if not held:
            holder = _holder(fd)
            os.close(fd)
            # Either engine's: both write the same record, chart and page caches, and a
            # MkDocs server's folder is emptied for a full build another could be serving.
            why = (f"two servers of one knowledge base would each write its generated site "
                   f"and caches under {CACHE_DIR}/ over the other's")
            if holder is None:  # locked, its address not written yet
                raise ConfigError("another hindsight serve of this knowledge base is starting; "
                                  f"open its address once it serves, or stop it first ({why})")
            raise ConfigError(f"hindsight serve is already serving this knowledge base at "
                              f"{holder}; open that address, or stop that server before "
                              f"starting another ({why})")
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except OSError:
            same = False
        if same:
            break
        # The server that held it stopped and removed the file between our open and our
        # lock: this one is locked but no longer there for the next server to find.
        os.close(fd)
    try:
        about = json.dumps({"pid": os.getpid(), "url": url}).encode()
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, about)
        yield
    finally:
        # Removed while still locked: a server that opened it meanwhile sees it gone and
        # opens it again (above). Where an open file cannot be removed (Windows), it stays,
        # unlocked, for the next server to take over.
        with contextlib.suppress(OSError):
            path.unlink()
        os.close(fd)


_WINDOWS_LOCK_AT = 1 << 30
"""Where Windows' byte lock is taken: past what the file holds, which it would make
unreadable to the server refused."""


def _lock(fd: int) -> bool:
    """Lock the open file without waiting: False if another process holds it. An OSError
    where the file system has no locks."""
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _WINDOWS_LOCK_AT, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except PermissionError:
            return False
        return True
    import fcntl

    try:
        # flock, not lockf: its lock belongs to this open file, so a second server started
        # in the same process (a test) is refused as another process's would be.
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _holder(fd: int) -> str | None:
    """Who holds the lock, as the refusal says it: "URL (process PID)"; None while the file
    does not say yet."""
    os.lseek(fd, 0, os.SEEK_SET)
    try:
        about = json.loads(os.read(fd, 4096) or b"{}")
        url, pid = str(about["url"]), int(about["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return f"{url} (process {pid})"


def serve(root: Path, as_of: dt.date | None, options: RenderOptions, dev_addr: str,
          validated: Result | None = None, poll: bool = False,
          today: Callable[[], dt.date] = dt.date.today,
          day_check_seconds: float | None = None) -> int:
    """Build once, then serve and rebuild on every save until interrupted (saves noticed by
    the operating system's file events, or with ``poll`` by `watcher`'s polling). ``as_of``:
    the day every build is of, None for the day each runs, as ``today`` gives it: the site
    is then built again when the day changes (looked at every ``day_check_seconds``, by
    default `DAY_CHECK_SECONDS` and at each midnight, see `watch_the_day`)."""
    from .engine import mkdocs_logging

    logger, handler = mkdocs_logging()
    # The background search runs log beside MkDocs, not under it (`search_refresh.LOGGER`).
    search_log = logging.getLogger(SEARCH_LOGGER)
    search_log.addHandler(handler)
    search_log.setLevel(logging.INFO)
    serving()
    record_cache.remember()  # each save's run takes the unchanged records from the last one
    try:
        return _serve(root, as_of, options, dev_addr, validated, poll, logger, today,
                      day_check_seconds)
    finally:
        # The process may go on (a test, say): its collector, its loggers and its record
        # results as they were (another handler left on MkDocs' logger would print every
        # later line twice).
        record_cache.remember(False)
        serving(False)
        search_log.removeHandler(handler)
        logger.removeHandler(handler)


def _serve(root: Path, as_of: dt.date | None, options: RenderOptions, dev_addr: str,
           validated: Result | None, poll: bool, logger: logging.Logger,
           today: Callable[[], dt.date], day_check_seconds: float | None) -> int:
    from mkdocs.livereload import LiveReloadServer

    session = Session(root, as_of, options, validated, today=today)
    host, _, port = dev_addr.rpartition(":")
    host = host.strip("[]")  # an IPv6 address is written [::1]:8000; the server wants ::1
    mount_path = urlsplit(options.site_url or "/").path
    serve_url = served_at(dev_addr, options)

    watched: set[str] = set()

    def watch_configuration() -> None:
        """Watch mkdocs.yml and every file it inherits, wherever it is: a save of a base file
        changes the site as one of mkdocs.yml does. Asked after each build (the first before
        the server starts), as a save may have made mkdocs.yml inherit a file not watched yet."""
        for path in config_files(session.root):
            name = os.path.abspath(path)
            if name in watched or not path.is_file():
                continue
            try:
                server.watch(name)
            except OSError as exc:  # the system's limit on watches, reached while serving
                click.echo(f"hindsight serve: cannot watch {path} for saves: "
                           f"{exc.strerror or exc}; restart hindsight serve after saving it",
                           err=True)
                continue
            watched.add(name)

    def builder() -> None:
        building()
        try:
            session.build(serve_url)
        except HindsightError as exc:
            click.echo(f"hindsight serve: {exc}; the last good site is still served", err=True)
            session.report([str(exc)], "Not updated: the last save has {}.")
        except Exception as exc:
            # A fault of Hindsight's own (or of its code changed under a running server): the
            # traceback for the terminal, and the pages served as they were, saying so. Left
            # to MkDocs' server, it held every request until a build succeeded.
            logging.getLogger(__name__).exception("hindsight serve: the build failed")
            session.report([f"{type(exc).__name__}: {exc}"],
                           "Not updated: the build failed ({}); if Hindsight was upgraded "
                           "while serving, restart hindsight serve.", "error")
        finally:
            watch_configuration()  # after every build, a failed one too (a base not YAML)
            # Once the browser has the page: a full collection takes a second at 10,000 records.
            collect_when_idle(IDLE_SECONDS)

    session.site.mkdir(parents=True, exist_ok=True)

    class Server(LiveReloadServer):
        """MkDocs' server, whose pages also say when the last save could not be built."""

        # `watcher`'s, not MkDocs' own polling every half second.
        observer: BaseObserver  # type: ignore[assignment]

        def server_bind(self) -> None:
            try:
                super().server_bind()
            except OSError as exc:
                # The address was free before the first build (the command's check), which
                # may take half a minute: a program that took the port meanwhile ended the
                # server in a 30-line traceback. Now the check's own error.
                raise cannot_serve(dev_addr, exc) from None

        def _serve_request(self, environ: dict[str, Any],
                           start_response: Callable[..., Any]) -> Iterable[bytes] | None:
            served: Iterable[bytes] | None = super()._serve_request(
                environ, start_response)
            if served is not None:
                return served
            # Not in the site: a chunk or fragment of a search index a swap replaced, asked for
            # by a page opened before it (`search_refresh.keep_old_index`).
            path = environ["PATH_INFO"].encode("latin-1").decode("utf-8", "ignore")
            if not (path + "/").startswith(self.mount_path):
                return None
            rel = posixpath.normpath("/" + path[len(self.mount_path):]).lstrip("/")
            old = old_index_file(session.site, rel)
            if old is None:
                return None
            try:
                file = open(old, "rb")  # noqa: SIM115 (closed with the response, by the server)
            except OSError:  # removed meanwhile: the oldest kept, its time over
                return None
            start_response("200 OK", [("Content-Type", "application/octet-stream"),
                                      ("Content-Length", str(os.fstat(file.fileno()).st_size))])
            return FileWrapper(file)

        def _inject_js_into_html(self, content: bytes, epoch: int) -> bytes:
            page = super()._inject_js_into_html(content, epoch)  # type: ignore[no-untyped-call]
            return _with_banner(page, session.problems, session.headline)

    server = Server(builder=builder, host=host, port=int(port), root=str(session.site),
                    mount_path=mount_path)
    server.url = serve_url  # what "Serving on" says: with an IPv6 host's brackets

    def not_found(code: int) -> bytes | None:
        """The site's own 404 page, with the live reload and banner every served page has:
        MkDocs' server answered an address with no page (a record deleted, say) with a bare
        "404 Not Found", no theme and no live reload, so a tab on it never came back when the
        file was restored. Read at each request: a build may have changed it."""
        if code != 404:
            return None
        try:
            page = (session.site / "404.html").read_bytes()
        except OSError:  # no site built yet: MkDocs' own words
            return None
        return server._inject_js_into_html(page, server._visible_epoch)

    server.error_handler = not_found
    server.observer = watcher(poll, _record_count(session.root))
    builder()
    for folder in RECORD_FOLDERS:
        if (session.root / folder).is_dir():
            server.watch(os.fspath(session.root / folder))
    docs = session.root / "docs"
    for path in (session.root / TAXONOMY_FILE, docs):
        if path.exists():
            server.watch(os.fspath(path))

    def committed() -> None:
        """A commit moved the branch: rebuild, as a save does (MkDocs' own callback)."""
        with server._rebuild_cond:
            server._want_rebuild = True
            server._rebuild_cond.notify_all()

    watch_commits(session.root, server.observer, committed)
    stop_watching_the_day = threading.Event()
    if as_of is None:  # a day stated is the day of every build: the clock changes nothing
        watch_the_day(session, committed, stop_watching_the_day, day_check_seconds)
    try:
        server.serve()  # type: ignore[no-untyped-call]
    except KeyboardInterrupt:
        logger.info("Shutting down...")
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EMFILE):
            raise
        # The system's limit on file watches or watchers (inotify) is reached.
        raise ConfigError(f"cannot watch the knowledge base for saves: {exc.strerror or exc} "
                          "(raise the system's limit, e.g. fs.inotify.max_user_watches, or run "
                          "hindsight serve --poll to look for changes by polling)") from None
    finally:
        stop_watching_the_day.set()
        server.shutdown()
    return 0


DAY_CHECK_SECONDS = 60.0
"""How often, at the most, a server whose builds are of the day they run looks at the day
(and at each midnight by the system's clock): a wake a minute costs nothing while idle."""


def watch_the_day(session: Session, rebuild: Callable[[], None], stop: threading.Event,
                  every: float | None = None) -> threading.Thread:
    """Call ``rebuild`` when the day ``session`` builds as of (its ``today``) is no longer
    the day its last build was of, saying so in one line, until ``stop`` is set. Looked at
    every ``every`` seconds (`DAY_CHECK_SECONDS` by default) and just after each midnight.

    A build is of the day it runs, but only a save started one: a server left running over
    midnight (a team's shared screen) went on showing yesterday's "overdue by N days",
    relative dates and due-soon lists until someone saved a record."""
    interval = DAY_CHECK_SECONDS if every is None else every

    def watch() -> None:
        asked: dt.date | None = None  # the day a rebuild was last asked for
        while not stop.wait(min(interval, _seconds_to_midnight() + 1.0)):
            built, day = session.last_day, session.as_of
            if built is None or built == day or asked == day:
                continue  # no build yet (the first is under way), or it is of this day
            asked = day
            log.info(f"hindsight serve: rebuilding: the day changed to {day.isoformat()} "
                     f"(the pages were of {built.isoformat()})")
            rebuild()

    thread = threading.Thread(target=watch, name="hindsight-day", daemon=True)
    thread.start()
    return thread


def _seconds_to_midnight() -> float:
    """Seconds until the next midnight by the system's clock (local time, as ``date.today``)."""
    now = dt.datetime.now()
    midnight = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time())
    return max(0.0, (midnight - now).total_seconds())


def git_dirs(root: Path) -> tuple[Path, Path] | None:
    """The git directory of the work tree at ``root`` (a linked worktree's own) and the
    directory its refs are kept in (the main repository's, for a worktree); None outside
    a repository, or without git."""
    import subprocess

    try:
        found = subprocess.run(["git", "rev-parse", "--git-dir", "--git-common-dir"], cwd=root,
                               capture_output=True, text=True, check=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    lines = found.stdout.splitlines()
    if len(lines) != 2:
        return None
    return (root / lines[0]).resolve(), (root / lines[1]).resolve()


def branch_files(git_dir: Path, common: Path) -> set[str]:
    """The files a commit, an amend, a merge or a checkout rewrites: ``HEAD``, the ref it
    names (``refs/heads/main``) and ``packed-refs``, where a ref may be kept instead. Read
    afresh at each change: a checkout makes HEAD name another branch."""
    names = {os.path.join(git_dir, "HEAD"), os.path.join(common, "packed-refs")}
    with contextlib.suppress(OSError, UnicodeDecodeError):
        head = (git_dir / "HEAD").read_text(encoding="utf-8").strip()
        if head.startswith("ref: refs/"):
            names.add(os.path.normpath(os.path.join(common, head.removeprefix("ref: "))))
    return names


class _BranchMoves(FileSystemEventHandler):
    """Calls ``moved`` when one of `branch_files` is written (git writes ``main.lock`` and
    renames it to ``main``), and at nothing else git writes: the index and objects are
    written at every ``git add`` and ``git status``, and would rebuild the site each time."""

    def __init__(self, git_dir: Path, common: Path, moved: Callable[[], None]) -> None:
        self._dirs = (git_dir, common)
        self._moved = moved

    def dispatch(self, event: FileSystemEvent) -> None:
        if event.is_directory:
            return
        wanted = branch_files(*self._dirs)
        paths = {os.path.normpath(os.fsdecode(p)) for p in (event.src_path, event.dest_path) if p}
        if paths & wanted:
            self._moved()


def watch_commits(root: Path, observer: BaseObserver, moved: Callable[[], None]) -> None:
    """Have ``observer`` call ``moved`` when the branch checked out at ``root`` moves (a
    commit, ``git commit --amend``, a merge, a checkout, a pull). Who submitted a record and
    when is read from git at each build, but only saves started one: a record committed
    under a running server said "not committed yet" until a record was saved again. Nothing
    is watched outside a git repository."""
    found = git_dirs(root)
    if found is None:
        return
    git_dir, common = found
    handler = _BranchMoves(git_dir, common, moved)
    # The folders, not the files: a file git replaces by renaming would be watched no more.
    folders = {(git_dir, False), (common, False), (common / "refs", True)}
    for folder, recursive in folders:
        if not folder.is_dir():
            continue
        try:
            observer.schedule(handler, os.fspath(folder), recursive=recursive)
        except OSError as exc:  # the system's limit on watches
            click.echo(f"hindsight serve: cannot watch {folder} for commits: "
                       f"{exc.strerror or exc}; save a record to update who submitted it",
                       err=True)


# Opening or reading a file is not a change: the build itself reads every record, and with
# the operating system's file events a read would start the next build, and so on.
_CHANGES = [FileCreatedEvent, FileModifiedEvent, FileDeletedEvent, FileMovedEvent,
            FileClosedEvent, DirCreatedEvent, DirDeletedEvent, DirMovedEvent]

IDLE_SECONDS = 2.0
"""After a build, seconds before the idle collection (`generator.gcpause.collect_when_idle`):
the browser reloads the page first."""

POLL_SECONDS_PER_1000 = 0.5
"""With ``--poll``, seconds between looks per thousand records (at least half a second): a
look at every file's status costs about 14 ms per thousand records, so polling keeps to a few
percent of one CPU at any size (at 10,000 records, a look every 5 seconds)."""


def editor_scratch(path: str) -> bool:
    """Whether ``path`` names a file editors write beside the one being edited, over and over
    as one types (Vim's ``.name.swp``, Emacs' ``#name#`` and ``name~``, LibreOffice's
    ``.~lock``): no build reads them (records and pages that are hidden are skipped), so
    they start none. A save that renames such a file over the record still does."""
    name = os.path.basename(path)
    return name.startswith((".", "#")) or name.endswith("~")


class _Saves(FileSystemEventHandler):
    """Passes an event on to MkDocs' handler unless it only touches editors' scratch files."""

    def __init__(self, handler: FileSystemEventHandler) -> None:
        self._handler = handler

    def dispatch(self, event: FileSystemEvent) -> None:
        paths = [os.fsdecode(event.src_path), os.fsdecode(event.dest_path)]
        if any(path and not editor_scratch(path) for path in paths):
            self._handler.dispatch(event)


class _ChangesOnly(Observer):  # type: ignore[valid-type,misc]
    """The operating system's file events (inotify, FSEvents, ReadDirectoryChangesW), changes
    only, and not to editors' scratch files: MkDocs' own handler rebuilds on any event."""

    def schedule(self, event_handler: FileSystemEventHandler, path: str, *,
                 recursive: bool = False, event_filter: list[type] | None = None) -> ObservedWatch:
        watch: ObservedWatch = super().schedule(_Saves(event_handler), path,
                                                recursive=recursive, event_filter=_CHANGES)
        return watch


class _PolledSaves(PollingObserver):
    """Polling, for file systems that report no events; editors' scratch files ignored."""

    def schedule(self, event_handler: FileSystemEventHandler, path: str | Path, *,
                 recursive: bool = False, event_filter: list[type[FileSystemEvent]] | None = None,
                 follow_symlink: bool = False) -> ObservedWatch:
        return super().schedule(_Saves(event_handler), path, recursive=recursive,
                                event_filter=event_filter, follow_symlink=follow_symlink)


def watcher(poll: bool, records: int) -> BaseObserver:
    """What notices saves: the operating system's file events, which cost nothing while
    nothing changes; or, with ``poll`` (for file systems that send no events: Docker volumes
    shared with another system, network drives), a look at every file's status every
    `POLL_SECONDS_PER_1000` seconds per thousand records. MkDocs' server polls every half
    second whatever the size (this one did every quarter second): at 10,000 records that kept
    most of a CPU busy while nothing changed, and slowed every build it competed with."""
    if poll:
        return _PolledSaves(timeout=max(0.5, records / 1000 * POLL_SECONDS_PER_1000))
    return _ChangesOnly()


def _record_count(root: Path) -> int:
    return sum(len([name for name in names if name.endswith(".md")])
               for folder in RECORD_FOLDERS for _, _, names in os.walk(root / folder))

