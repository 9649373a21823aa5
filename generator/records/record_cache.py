"""Record cache: what each record file gave on its own, kept by content hash between runs.

Parsing the YAML, validating the schema and rendering the body of every record is most of the
time of every command at scale. A file's own result (its entry or stub, its problems) depends
only on its bytes, its path, the taxonomy, the Markdown configuration and the generator's code,
so it is stored under ``.hindsight-cache/`` keyed by all of them, and a later run validates only
the files that changed. The rules across records still run on everything, every time.

The cache is derived data: safe to delete, written atomically, and a corrupt, foreign or
outdated file is ignored (and rebuilt), never an error. Only plain data, dates and Hindsight's
own classes are ever read back from it.

Hashing every file on every run costs a read of the whole knowledge base, so each entry also
keeps the file's status as it was when hashed (`load.file_status`: size, modification and change
times in nanoseconds, inode and device). A file whose status is exactly the one stored is
taken to hold the bytes that were hashed; any difference (an edit, a ``touch``, a checkout, a
copy to another folder) makes the content hash decide again, and only the hash decides
whether the cached result is used. Editing a file always moves its change time, which no tool
can set back, so the one change a status cannot reveal is a rewrite within the same tick of
the file system's clock as the status was read. A status is therefore stored only once the
file's times are `SETTLED_NS` older than the run that read them (as git does with its index);
until then the file is hashed on every run. What the shortcut cannot see at all: a file
changed while the system clock was set back to the very same times, or a file system that
does not keep modification and change times (some network and FUSE mounts). There,
``--no-cache`` (or ``HINDSIGHT_NO_CACHE=1``) hashes and validates every file.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

import pydantic

from ..code import code_digest
from ..errors import Problem, Problems
from .body import site_extensions
from .corpus import Entry
from .load import CACHE_DIR, MAX_RECORD_BYTES, TAXONOMY_FILE, StatKey, file_status, read_text
from .site_config import spells_umlauts
from .stub import Stub
from .taxonomy import Taxonomy

CACHE_FILE = "records.pickle"
"""The file under ``.hindsight-cache/`` that holds every record's cached result."""
RECENT_FILE = "records-recent.pickle"
"""The results that differ from `CACHE_FILE`'s, read over it: a run that changed a few files
writes only these, not the whole cache again (tens of megabytes at 10,000 records)."""
_FORMAT = "hindsight-record-cache-2"

SETTLED_NS = 2_000_000_000
"""A file's status is trusted only once its times are this much older than the run that read
it: more than the coarsest clock tick of common file systems (2 s on FAT)."""

NO_CACHE_ENV = "HINDSIGHT_NO_CACHE"
"""Set to 1 to bypass the cache, like ``--no-cache`` (which passes it on to the site engine)."""


def enabled_by_environment() -> bool:
    """False when ``HINDSIGHT_NO_CACHE`` asks to bypass the cache."""
    return os.environ.get(NO_CACHE_ENV, "").lower() not in {"1", "true", "yes"}


_enabled = enabled_by_environment()

Validate = Callable[[Path, list[Path], Taxonomy, Problems], tuple[list[Entry], int, list[Stub]]]


def set_enabled(enabled: bool) -> None:
    """Use the cache (the default) or bypass it for this process (``--no-cache``)."""
    global _enabled
    _enabled = enabled


def enabled() -> bool:
    """Whether record results are read from and written to the cache in this process."""
    return _enabled


COMMITTED_NOTICE = (f"{CACHE_DIR}/ is committed to git: every cache in it is ignored and "
                    "everything is made afresh (cached pages and charts would be published "
                    f"unchecked; it is derived data: git rm -r --cached {CACHE_DIR})")
"""What a build says when the caches are refused because they are committed."""


def committed(root: Path) -> bool:
    """Whether anything under ``.hindsight-cache/`` is committed (or staged) in ``root``.

    Every cache is then ignored: what is in git came from whoever pushed it, and cached
    pages, charts and record bodies are published without being checked again.
    """
    try:
        proc = subprocess.run(["git", "ls-files", "-z", "--", CACHE_DIR], cwd=root,
                              capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False  # no git: nothing can have been committed
    return proc.returncode == 0 and bool(proc.stdout.strip(b"\0"))


def usable(root: Path) -> bool:
    """Whether this run may read and write the caches of the knowledge base at ``root``:
    not bypassed (``--no-cache``) and not committed to git."""
    return _enabled and not committed(root)


@dataclass
class _FileResult:
    """What one record file gave on its own: its problems, and its entry or stub if any."""

    problems: list[Problem] = field(default_factory=list)
    entry: Entry | None = None
    stub: Stub | None = None


@dataclass
class _Memory:
    """Each record file's result as the last run in this process had it, by path: its
    content digest and the very objects (a server's next run takes them as they are)."""

    env: str = ""
    results: dict[str, tuple[str, _FileResult]] = field(default_factory=dict)


_memory: _Memory | None = None


def remember(on: bool = True) -> None:
    """Keep every record file's result in memory from run to run (``hindsight serve``).

    A run then takes an unchanged file's result from the last run's objects instead of
    unpickling it from the cache file: at 10,000 records that was most of a second on every
    save, for objects the server had just let go. It is safe because nothing after the
    per-file stage changes them but the alias resolution, which gives the same result
    whenever it runs again under the same taxonomy (part of the environment digest, whose
    change empties the memory). ``remember(False)`` lets them go.
    """
    global _memory
    _memory = _Memory() if on else None


class _Unpickler(pickle.Unpickler):
    """Reads back only what the cache writes: plain data, dates and the record classes."""

    # Classes already allowed, shared by every load of the process: each record's result is
    # its own pickle, so the same few classes are asked for over a hundred thousand times.
    _allowed: ClassVar[dict[tuple[str, str], type]] = {}

    def find_class(self, module: str, name: str) -> Any:
        known = self._allowed.get((module, name))
        if known is not None:
            return known
        if module in _MODULES_ALLOWED or (module, name) in _CLASSES_ALLOWED:
            found = super().find_class(module, name)
            if isinstance(found, type):
                self._allowed[(module, name)] = found
                return found
        raise pickle.UnpicklingError(f"{module}.{name} is not expected in the record cache")


# Only classes of these modules: data holders whose construction has no side effect.
_MODULES_ALLOWED = {"datetime", "generator.errors", "generator.records.corpus",
                    "generator.records.load", "generator.records.record_cache",
                    "generator.records.schema", "generator.records.stub",
                    "generator.records.yamlpos"}
# And these classes of other modules.
_CLASSES_ALLOWED = {("generator.paths", "BodyLinks")}


def _loads(blob: bytes) -> Any:
    return _Unpickler(io.BytesIO(blob)).load()


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """A hash of the generator's own code and of the libraries whose objects are stored."""
    digest = hashlib.sha256(f"{sys.version}|{pydantic.VERSION}|{code_digest()}".encode())
    return digest.hexdigest()


def environment_digest(root: Path) -> str:
    """A hash of everything besides a file's bytes that decides its result on its own."""
    digest = hashlib.sha256(_code_digest().encode())
    taxonomy = root / TAXONOMY_FILE
    digest.update(taxonomy.read_bytes() if taxonomy.is_file() else b"")
    digest.update(json.dumps(site_extensions(root), sort_keys=True, default=str).encode())
    # A misnamed post-mortem is told the name `new` gives it, German on a German site.
    digest.update(b"de" if spells_umlauts(root) else b"")
    return digest.hexdigest()


_Stored = tuple[str, StatKey | None, bytes]
"""A file's cached result: its content digest, its status when hashed (if settled), the
pickled `_FileResult`."""


def _read_cache(path: Path, env: str) -> dict[str, _Stored]:
    """The cached results by record path, or nothing if the file is missing, corrupt or stale."""
    try:
        with path.open("rb") as handle:  # read as it is unpickled, not whole first
            data = _Unpickler(handle).load()
    except Exception:  # any unreadable cache is simply rebuilt
        return {}
    if not (isinstance(data, dict) and data.get("format") == _FORMAT and data.get("env") == env
            and isinstance(data.get("files"), dict)):
        return {}
    # Entries of another shape are dropped one by one: their files are simply validated again.
    return {rel: hit for rel, hit in data["files"].items() if _well_formed(hit)}


def _well_formed(hit: Any) -> bool:
    return (isinstance(hit, tuple) and len(hit) == 3 and isinstance(hit[0], str)
            and (hit[1] is None or isinstance(hit[1], tuple)) and isinstance(hit[2], bytes))


def _write_cache(path: Path, env: str, files: dict[str, _Stored]) -> None:
    """Replace the cache file atomically; a cache that cannot be written is only slower."""
    payload = pickle.dumps({"format": _FORMAT, "env": env, "files": files},
                           protocol=pickle.HIGHEST_PROTOCOL)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".records-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass


def _settled(key: StatKey | None, started_ns: int) -> StatKey | None:
    """The key, if the file's times are old enough to reveal any later change (else None)."""
    if key is None or max(key[1], key[2]) > started_ns - SETTLED_NS:
        return None
    return key


def _digest_of(root: Path, path: Path) -> str | None:
    """The content digest `load_record` gives this file, or None if it cannot be read cleanly."""
    text = read_text(root, path, Problems(), limit=MAX_RECORD_BYTES)
    if text is None:
        return None
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _cached(blob: bytes) -> _FileResult | None:
    try:
        result = _loads(blob)
    except Exception:  # a damaged entry is validated afresh
        return None
    return result if isinstance(result, _FileResult) else None


def load_and_validate(
    root: Path, paths: list[Path], taxonomy: Taxonomy, problems: Problems, validate: Validate,
    uncached: frozenset[str] = frozenset(),
) -> tuple[list[Entry], int, list[Stub]]:
    """`validate` (the per-record stage) on the files whose results are not cached; the rest
    come from the cache. Returns what `validate` on every file would return, in the same order.
    The files of ``uncached`` (relative paths) are validated every time, and never cached.
    """
    folder = root / CACHE_DIR
    env = environment_digest(root)
    # Taken before any status is read: a file changed after this moment has later times.
    started_ns = time.time_ns()
    base = _read_cache(folder / CACHE_FILE, env)
    recent = _read_cache(folder / RECENT_FILE, env)
    # Every entry stands on its own (a result for the bytes of its digest, a status seen
    # before those bytes were hashed), so reading the recent ones over the rest is safe.
    stored = {**base, **recent}
    rels = _relative(root, paths)
    # Each status is read before the file is hashed, so a change in between shows next run.
    keys = [file_status(path) for path in paths]
    digests = [None if rel in uncached else _digest_for(root, path, stored.get(rel), key)
               for path, rel, key in zip(paths, rels, keys, strict=True)]
    results: dict[str, _FileResult] = {}
    keep: dict[str, _Stored] = {}
    memory = _memory
    if memory is not None and memory.env != env:
        memory.env, memory.results = env, {}
    kept = memory.results if memory is not None else {}
    for rel, digest, key in zip(rels, digests, keys, strict=True):
        hit = stored.get(rel)
        if digest is not None and hit is not None and hit[0] == digest:
            held = kept.get(rel)
            found = held[1] if held is not None and held[0] == digest else _cached(hit[2])
            if found is not None:
                results[rel] = found
                keep[rel] = (digest, _settled(key, started_ns), hit[2])
    misses = [path for path, rel in zip(paths, rels, strict=True) if rel not in results]
    fresh = _validate_misses(root, misses, taxonomy, validate)
    stray: list[Problem] = fresh.pop("", _FileResult()).problems
    miss_digests = dict(zip(rels, zip(digests, keys, strict=True), strict=True))
    for rel, result in fresh.items():
        results[rel] = result
        digest, key = miss_digests.get(rel, (None, None))
        source = result.entry.source if result.entry else result.stub.source if result.stub else None
        if digest is not None and (source is None or source.digest == digest):
            # Serialised now, before the alias resolution changes the models in place: the
            # cache holds what the file gives under any taxonomy of the same digest.
            keep[rel] = (digest, _settled(key, started_ns),
                         pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    if memory is not None:
        # Only results the cache holds too: one whose digest is unknown is validated again.
        memory.results = {rel: (keep[rel][0], results[rel]) for rel in keep}
    entries: list[Entry] = []
    stubs: list[Stub] = []
    loaded = 0
    for rel in rels:
        outcome = results.get(rel)
        if outcome is None:
            continue
        problems.items.extend(outcome.problems)
        if outcome.entry is not None:
            entries.append(outcome.entry)
        if outcome.stub is not None:
            stubs.append(outcome.stub)
        loaded += outcome.entry is not None or outcome.stub is not None
    problems.items.extend(stray)
    _save(folder, env, base, recent, keep)
    return entries, loaded, stubs


def _save(folder: Path, env: str, base: dict[str, _Stored], recent: dict[str, _Stored],
          keep: dict[str, _Stored]) -> None:
    """Write what changed: the few entries that differ from the whole cache on their own, or,
    once they are many, the whole cache again (and no recent file)."""
    differ = {rel: hit for rel, hit in keep.items() if _facts(base.get(rel)) != _facts(hit)}
    gone = len(base.keys() - keep.keys())
    if len(differ) + gone > max(RECENT_MIN, len(keep) // RECENT_SHARE):
        _write_cache(folder / CACHE_FILE, env, keep)
        # If it cannot go, it is read over entries that say the same or are older: harmless.
        with contextlib.suppress(OSError):
            (folder / RECENT_FILE).unlink(missing_ok=True)
    elif {rel: _facts(hit) for rel, hit in differ.items()} != \
            {rel: _facts(hit) for rel, hit in recent.items()}:
        _write_cache(folder / RECENT_FILE, env, differ)


RECENT_MIN = 16
"""`RECENT_FILE` may hold this many entries, or `RECENT_SHARE`'s part of all, whichever is
more, before the whole cache is written again."""
RECENT_SHARE = 16


def _facts(hit: _Stored | None) -> tuple[str, StatKey | None] | None:
    """What an entry says (its digest and status); equal digests mean equal results."""
    return None if hit is None else (hit[0], hit[1])


def _relative(root: Path, paths: list[Path]) -> list[str]:
    """Each path relative to ``root`` with forward slashes, as ``relative_to`` gives it,
    without building a path object per file (ten thousand of them on every run)."""
    prefix = os.path.join(str(root), "") if root.parts else ""
    rels = []
    for path in paths:
        text = str(path)
        if text.startswith(prefix):
            rels.append(text[len(prefix):].replace(os.sep, "/"))
        else:
            rels.append(path.relative_to(root).as_posix())
    return rels


def _digest_for(root: Path, path: Path, hit: _Stored | None, key: StatKey | None) -> str | None:
    """The file's content digest: the stored one if its status is exactly the stored status,
    else read and hashed."""
    if hit is not None and key is not None and hit[1] == key:
        return hit[0]
    return _digest_of(root, path)


def _validate_misses(
    root: Path, misses: list[Path], taxonomy: Taxonomy, validate: Validate
) -> dict[str, _FileResult]:
    """Run the per-record stage on the files not cached; split what it found by file."""
    if not misses:
        return {}
    found = Problems()
    entries, _, stubs = validate(root, misses, taxonomy, found)
    by_file: dict[str, _FileResult] = {
        path.relative_to(root).as_posix(): _FileResult() for path in misses
    }
    for problem in found.items:
        by_file.setdefault(problem.path if problem.path in by_file else "", _FileResult())
        by_file[problem.path if problem.path in by_file else ""].problems.append(problem)
    for entry in entries:
        by_file[entry.path].entry = entry
    for stub in stubs:
        by_file[stub.path].stub = stub
    return by_file
