"""`hindsight serve --engine zensical`: Zensical's own server over a project folder kept current.

Zensical has no plugin API, so its server cannot generate pages: it serves a project folder
(``.hindsight-cache/zensical-serve/``: the hand-written docs, the generated tree, the derived
``mkdocs.yml``, as `hindsight build --engine zensical` writes them) and rebuilds when a file in
it changes. This module watches the knowledge base instead (records, ``taxonomy.yml``,
``docs/``, ``mkdocs.yml`` and what it inherits), validates and generates again on a save, and
writes into the folder only the files whose bytes changed, in place: Zensical watches its docs
folder, and a folder replaced by renaming (as `write_tree` replaces a tree) is watched no more
(a save after the first went unseen). Records that do not validate are reported and the
folder is left as it was, so the last good site stays served.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib.util
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import click
from watchdog.events import FileSystemEvent, FileSystemEventHandler

from ..errors import ConfigError, HindsightError, Severity
from ..paths import RenderOptions
from ..records import record_cache
from ..records.load import CACHE_DIR, RECORD_FOLDERS, TAXONOMY_FILE
from ..records.site_config import config_files
from ..records.validate import Result, check
from ..site.settings import mkdocs_config
from .engine import engine_env, pass_through, zensical_files
from .serve import _record_count, _sync, watch_commits, watcher
from .tree import GeneratedFiles

ZENSICAL_SERVE_FOLDER = f"{CACHE_DIR}/zensical-serve"
"""The project folder Zensical's server builds and serves (its own, not the build's: a
`hindsight build --engine zensical` meanwhile replaces that one)."""

SETTLE_SECONDS = 0.3
"""After a file event, how long the knowledge base must stay quiet before it is read again:
an editor's save (or a checkout) is a burst of events."""


class ZensicalSession:
    """The project folder Zensical serves, and what was last written into it."""

    def __init__(self, root: Path, as_of: dt.date | None, options: RenderOptions) -> None:
        """``as_of``: the day every build is of, None for the day each one runs."""
        self.root = root.resolve()
        self.folder = self.root / ZENSICAL_SERVE_FOLDER
        self.options = options
        self._as_of = as_of
        self._written: dict[str, str] = {}
        self._warned: set[str] = set()

    @property
    def config(self) -> Path:
        """The derived configuration Zensical reads."""
        return self.folder / "mkdocs.yml"

    def update(self, validated: Result | None = None) -> bool:
        """Validate (or take ``validated``), generate and write what changed into the folder.
        False, with the problems printed and the folder left as it was, where records do not
        validate."""
        day = self._as_of or dt.date.today()
        result = validated or check(self.root, day)
        warnings = {p.format() for p in result.problems.items if p.severity is Severity.WARNING}
        if validated is None:  # the command line printed its report for the first one
            for line in sorted(warnings - self._warned):
                click.echo(line, err=True)
        self._warned = warnings
        if result.kb is None or result.problems.errors:
            for problem in result.problems.sorted():
                if problem.severity is not Severity.WARNING:
                    click.echo(problem.format(), err=True)
            click.echo("hindsight serve: fix the errors above; the last good site is still "
                       "served", err=True)
            return False
        files = zensical_files(self.root, day, result, self.options,
                               notice=not self._written)
        self.folder.mkdir(parents=True, exist_ok=True)
        _, _, self._written = _sync(self.folder, GeneratedFiles(files), self._written)
        return True


class _KnowledgeBaseSaves(FileSystemEventHandler):
    """Calls ``saved`` on a change to a file the site is made from."""

    def __init__(self, root: Path, saved: Callable[[], None]) -> None:
        self.root = root
        self.saved = saved
        docs = str(mkdocs_config(root).get("docs_dir") or "docs")
        self.folders = [os.path.join(root, folder) + os.sep for folder in (*RECORD_FOLDERS, docs)]

    def dispatch(self, event: FileSystemEvent) -> None:
        names = {os.path.abspath(os.fsdecode(p)) for p in (event.src_path, event.dest_path) if p}
        files = {os.path.abspath(self.root / TAXONOMY_FILE)} | {
            os.path.abspath(path) for path in config_files(self.root)}
        if names & files or any(name.startswith(folder) for name in names
                                for folder in self.folders):
            self.saved()


def serve_with_zensical(root: Path, as_of: dt.date | None, options: RenderOptions,
                        dev_addr: str, validated: Result, poll: bool = False) -> int:
    """Write the project folder, then run Zensical's server over it and keep the folder
    current until interrupted (saves noticed by the operating system's file events, or with
    ``poll`` by looking at the files, as `hindsight serve` does)."""
    if importlib.util.find_spec("zensical") is None:
        raise ConfigError("Zensical is not installed: pip install 'hindsight[zensical]'")
    session = ZensicalSession(root, as_of, options)
    record_cache.remember()  # each save's run takes the unchanged records from the last one
    # Stopped by a signal (a service manager's, a terminal closed), the server ends as on
    # Ctrl-C: Zensical's server, a process of its own, ended with it (it went on serving).
    before = signal.signal(signal.SIGTERM, _interrupted)
    try:
        session.update(validated)
        del validated
        return _run(session, dev_addr, poll)
    finally:
        signal.signal(signal.SIGTERM, before)
        record_cache.remember(False)


def _interrupted(signum: int, frame: object) -> None:
    # Once: a second signal (`timeout` sends one to the command and one to its group) would
    # interrupt the shutting down itself.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise KeyboardInterrupt


def _run(session: ZensicalSession, dev_addr: str, poll: bool) -> int:
    saved = threading.Event()
    stop = threading.Event()

    def regenerate() -> None:
        while not stop.is_set():
            if not saved.wait(0.5):
                continue
            # The burst of events a save makes ends before the files are read again.
            while saved.wait(SETTLE_SECONDS):
                saved.clear()
            if stop.is_set():
                return
            try:
                session.update()
            except HindsightError as exc:
                click.echo(f"hindsight serve: {exc}; the last good site is still served",
                           err=True)

    observer = watcher(poll, _record_count(session.root))
    handler = _KnowledgeBaseSaves(session.root, saved.set)
    watched = [(session.root, False)] + [
        (path, True) for path in handler.folders if os.path.isdir(path)]
    watched += [(path.parent, False) for path in config_files(session.root)
                if path.parent != session.root and path.parent.is_dir()]
    for folder, recursive in dict.fromkeys(watched):
        observer.schedule(handler, os.fspath(folder), recursive=recursive)
    watch_commits(session.root, observer, saved.set)
    process = subprocess.Popen(
        [sys.executable, "-m", "zensical", "serve", "-f", str(session.config), "-a", dev_addr],
        cwd=session.folder, env=engine_env(), stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, errors="replace")
    worker = threading.Thread(target=regenerate, name="hindsight-zensical", daemon=True)
    observer.start()
    worker.start()
    try:
        pass_through(process)
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)
        return 0
    finally:
        stop.set()
        saved.set()
        observer.stop()
        if process.poll() is None:
            process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=10)
            if process.poll() is None:
                process.kill()
        worker.join(timeout=10)
