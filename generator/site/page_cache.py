"""Page cache: a generated page is rendered again only when what it shows changed.

Each page that shows a bounded part of the knowledge base (a record, an owner's actions, a
cause, a team, an indicator's readings) gets a fingerprint: a hash of the data its template
reads, down to the content digests of the record files involved. The previous run's output is
reused when the fingerprint matches. Everything global a template can read (the generator's
code and templates, the taxonomy, the site's Markdown extensions, the render options, the
as-of date) is the cache's *stamp*: when it changes, every page is rendered afresh. Pages that
summarise the whole knowledge base are fingerprinted by `PageCache.token_of` the analysis
results they show (the checklists, the calibration ledger, what followed each fix, why deals
were won or lost); the others (the home page, the registers, the indexes) are always rendered.
The machine-readable exports are kept the same way, fingerprinted by their rows
(`generator.site.export.exports`).

The cache lives in ``.hindsight-cache/``: ``pages.pickle`` is its index (each page's
fingerprint and content digest, and the per-record texts fingerprints are made of), and
``pages/`` the pages' bytes, one file per distinct content, named by its digest. A run that
changed a few pages writes only what differs from that index, to ``pages-recent.pickle``
(read over it), not tens of megabytes again; once the differences are many, the whole index
is written again. A run reads the index only; a reused page's bytes stay in the store until
something asks for them (`generator.site.tree`), and only the pages rendered this run are
written. An unreadable or stale index is ignored, a store file no page uses any longer is
deleted, and a damaged one is refused when read.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import enum
import hashlib
import json
import os
import pickle
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from ..code import code_digest
from ..records.actions import ActionState
from ..records.body import site_extensions
from ..records.corpus import Entry
from ..records.load import CACHE_DIR, TAXONOMY_FILE

# The patterns search terms are made with: words cached here must be found the same way.
from .search_terms import _FAMILY_WORD, _HYPHENATED
from .search_terms import _WORD as _WORDS
from .tree import Content, Stored, content_digest, store_path

PAGES_FILE = f"{CACHE_DIR}/pages.pickle"
"""Where the page cache's index is kept, relative to the knowledge base's root."""
RECENT_FILE = f"{CACHE_DIR}/pages-recent.pickle"
"""What differs from `PAGES_FILE`'s index, relative to the root: read over it."""
STORE_FOLDER = f"{CACHE_DIR}/pages"
"""Where the pages' bytes are kept, by content digest, relative to the root."""
_FORMAT = 6
_SECTIONS = ("pages", "words", "reprs", "fragments")
"""The parts of the index: each a mapping, written whole or as the keys that differ."""
RECENT_MIN = 64
"""`RECENT_FILE` may hold this many entries, or `RECENT_SHARE`'s part of all, whichever is
more, before the whole index is written again."""
RECENT_SHARE = 16
_PLAIN = frozenset({str, int, float, bool, dt.date})
_FIELDS: dict[type, tuple[str, ...]] = {}


@dataclass
class PageCache:
    """Rendered pages by path with the fingerprint they were rendered from."""

    folder: Path | None = None
    """The knowledge base's root (None: in memory only, nothing kept between runs)."""
    pages: dict[str, tuple[bytes, Content]] = field(default_factory=dict)
    """Path → (fingerprint, page) from the previous run: the page's bytes, or where the
    store keeps them."""
    words: dict[str, Any] = field(default_factory=dict)
    """Per record content digest: what search terms need from the record on its own."""
    reprs: dict[tuple[str, str, int], str] = field(default_factory=dict)
    """Per (record content digest, part, index): what a record gives on its own, as
    fingerprints include it (made once, not on every run): a digest of the ``repr`` of an
    action, an update or an export row; a cited cause's digest; a record's search terms."""
    fragments: dict[bytes, str] = field(default_factory=dict)
    """Parts of a large file by the digest of what they show (the readings export's rows of
    one indicator and team): a file made again writes only the parts that changed."""
    hits: int = 0
    """Pages reused from the previous run, this run."""
    rendered: list[str] = field(default_factory=list)
    """Paths of the pages rendered this run (new, or their inputs changed)."""
    _stamp: bytes = b""
    _kept: dict[str, tuple[bytes, Content]] = field(default_factory=dict)
    _dirty: bool = False
    _fresh: bool = True
    _previous_stamp: bytes = b""
    _used_words: set[str] = field(default_factory=set)
    _used_reprs: set[tuple[str, str, int]] = field(default_factory=set)
    _used_fragments: set[bytes] = field(default_factory=set)
    _listings: dict[str, bytes] = field(default_factory=dict)
    _actions: dict[int, bytes] = field(default_factory=dict)
    _entry_keys: dict[str, str] = field(default_factory=dict)
    _base: dict[str, dict[Any, Any]] = field(default_factory=dict)
    """The sections of the index as `PAGES_FILE` holds them (empty: none usable)."""
    _generation: str = ""
    """The name `PAGES_FILE` was written under: a recent file applies to that index only."""

    def open(self, stamp: bytes) -> None:
        """Load the previous run's pages if they were made under the same ``stamp``."""
        self._stamp, self._kept, self._dirty, self._used_words = stamp, {}, False, set()
        self._used_reprs, self._listings, self._actions = set(), {}, {}
        self._entry_keys = {}
        self._used_fragments = set()
        self.hits, self.rendered = 0, []
        if self.pages and self._previous_stamp == stamp:
            return  # kept in memory from the previous run in this process (serve)
        self.pages, self.words, self.reprs, self.fragments, self._fresh = {}, {}, {}, {}, True
        if self.folder is None:
            return
        self._base, self._generation = {}, ""
        data = _read_index(self.folder / PAGES_FILE, stamp)
        if data is None:  # a missing, unreadable, foreign or stale cache is simply rebuilt
            return
        self._base = {name: data[name] for name in _SECTIONS}
        self._generation = data["generation"]
        # Copies: the sections change as the run goes, the base stays what the file holds.
        sections: dict[str, dict[Any, Any]] = {name: dict(data[name]) for name in _SECTIONS}
        recent = _read_index(self.folder / RECENT_FILE, stamp)
        if recent is not None and recent["generation"] == self._generation:
            for name, section in sections.items():
                section.update(recent["changed"][name])
                for key in recent["removed"][name]:
                    section.pop(key, None)
        index = sections["pages"]
        self.words, self.reprs = sections["words"], sections["reprs"]
        self.fragments = sections["fragments"]
        store = self.folder / STORE_FOLDER
        self.pages = {path: (key, Stored(store_path(store, digest), digest, size))
                      for path, (key, digest, size) in index.items()}
        self._fresh = False

    def page(self, path: str, fingerprint: bytes, render: Callable[[], bytes]) -> Content:
        """The page at ``path``: the previous output if rendered from the same inputs (its
        bytes read from the store only when asked for)."""
        previous = self.pages.get(path)
        if previous is not None and previous[0] == fingerprint and _present(previous[1]):
            self.hits += 1
            content = previous[1]
        else:
            self.rendered.append(path)
            self._dirty = True
            content = render()
        self._kept[path] = (fingerprint, content)
        return content

    def words_of(self, entry: Entry,
                 texts: Callable[[], list[str]]) -> tuple[dict[str, str], frozenset[str]]:
        """A record's hyphenated words (joined → hyphenated, first spelling first) and its
        lowercased words of four letters or more and forms of "lose" and "win" ("won"), kept
        by the record's content digest."""
        digest = entry.source.digest
        self._used_words.add(digest)
        found: tuple[dict[str, str], frozenset[str]] | None = self.words.get(digest)
        if found is None:
            own: dict[str, str] = {}
            words: set[str] = set()
            for text in texts():
                for match in _HYPHENATED.finditer(text):
                    word = match.group(1).lower()
                    own.setdefault(word.replace("-", ""), word)
                words.update(w.lower() for w in _WORDS.findall(text))
                words.update(w.lower() for w in _FAMILY_WORD.findall(text))
            found = (own, frozenset(words))
            self.words[digest] = found
            self._dirty = True
        return found

    def listing(self, entry: Entry) -> bytes:
        """`listing_token` as a fingerprint, made once per record per run (pages list the
        same records many times over)."""
        token = self._listings.get(entry.path)
        if token is None:
            token = self._listings[entry.path] = fingerprint(listing_token(entry))
        return token

    def part_text(self, entry: Entry, part: str, index: int, make: Callable[[], str]) -> str:
        """The text ``make`` gives for the ``index``-th ``part`` of ``entry`` (a cause it
        cites, as JSON), kept by the record's content digest: made only for a record added
        or edited since the last run."""
        key = (entry.source.digest, part, index)
        self._used_reprs.add(key)
        text = self.reprs.get(key)
        if text is None:
            text = self.reprs[key] = make()
            self._dirty = True
        return text

    def text_of(self, entry: Entry, part: str, make: Callable[[], object]) -> str:
        """A digest of the ``repr`` of what ``make`` returns from ``entry`` alone, kept by the
        record's path and content digest (a renamed or moved record keeps its digest, not its
        id): made only for a record added, edited or moved since the last run."""
        key = (entry.source.digest, f"{part}:{entry.path}", 0)
        self._used_reprs.add(key)
        text = self.reprs.get(key)
        if text is None:
            text = self.reprs[key] = _digest(make())
            self._dirty = True
        return text

    def fragments_of(self, keys: list[bytes],
                     make: Callable[[list[int]], list[str]]) -> list[str]:
        """The text of each part ``keys`` names: kept ones as they are, the others made by
        ``make`` (given their positions in ``keys``) and kept for the next run."""
        self._used_fragments.update(keys)
        missing = [i for i, key in enumerate(keys) if key not in self.fragments]
        if missing:
            self._dirty = True
            for i, text in zip(missing, make(missing), strict=True):
                self.fragments[keys[i]] = text
        return [self.fragments[key] for key in keys]

    def keep_fragments(self, keys: list[bytes]) -> None:
        """Keep the parts ``keys`` name for the next run (their file was reused whole)."""
        self._used_fragments.update(keys)

    def action_token(self, state: ActionState) -> bytes:
        """An action as it stands, as a fingerprint, made once per run: the action as raised
        and each update to it in order (digests of their text, kept by their record's content
        digest), with the path and date of the records that raised and updated it and the
        raising record's team.

        An action's state is computed from exactly these (`link_actions`: the action as
        raised, each update applied in order, by the records' date order; its team is its
        own or its record's), with the taxonomy (in the stamp) resolving aliases: so they
        stand for everything its export row shows, without reading its fields afresh on every
        run. Editing another part of a record that updates it (its notes, say) or a record's
        title leaves the token as it was.
        """
        token = self._actions.get(id(state))
        if token is None:
            entry = state.entry
            # Texts are hex digests, dates ISO, teams reprs: "\0" cannot be confused.
            parts = [self._text(entry, "action", state.index, state.action), str(state.index),
                     self._entry_key(entry), repr(entry.team)]
            for updater, index, update in state.updates:
                parts += (self._text(updater, "update", index, update), str(index),
                          self._entry_key(updater))
            token = self._actions[id(state)] = hashlib.blake2b(
                "\0".join(parts).encode(), digest_size=20).digest()
        return token

    def _text(self, entry: Entry, part: str, index: int, value: object) -> str:
        # `part_text` with `_digest`, inline: this runs for every action and update.
        key = (entry.source.digest, part, index)
        self._used_reprs.add(key)
        text = self.reprs.get(key)
        if text is None:
            text = self.reprs[key] = _digest(value)
            self._dirty = True
        return text

    def _entry_key(self, entry: Entry) -> str:
        """A record's path and date, as an action's token includes them (made once per run)."""
        text = self._entry_keys.get(entry.path)
        if text is None:
            text = self._entry_keys[entry.path] = f"{entry.path}\0{entry.date.isoformat()}"
        return text

    def state_token(self, state: ActionState, effect: str, anchor: str) -> bytes:
        """An action as a table shows it, as a fingerprint: `action_token`, how the records
        that raised and updated it are listed, and what followed it on its indicator
        (``effect``, and ``anchor``: its verdict's section)."""
        return hashlib.blake2b(b"".join((
            self.action_token(state), self.listing(state.entry),
            *[self.listing(e) for e, _, _ in state.updates],
            effect.encode(), b"\0", anchor.encode())), digest_size=20).digest()

    def token_of(self, value: object, state: Callable[[ActionState], object],
                 whole: tuple[type, ...] = ()) -> object:
        """Plain data standing for ``value`` (an analysis result a page shows), for a
        fingerprint: numbers, text and dates as they are; a record by its path and content
        digest (a page may show any of its fields); an action by ``state`` (the caller's
        token of it as tables show it); record parts by their JSON; dataclasses of the
        ``whole`` types (whose ``repr`` shows every field, all plain) by their ``repr``; other
        dataclasses field by field; containers member by member, in order. Any other type
        is refused: a value the fingerprint cannot see would leave a page stale."""
        kind = type(value)
        if value is None or kind in _PLAIN:
            return value
        if kind is list or kind is tuple:
            return [self.token_of(v, state, whole) for v in value]  # type: ignore[attr-defined]
        if kind is dict:
            return [(self.token_of(k, state, whole), self.token_of(v, state, whole))
                    for k, v in value.items()]  # type: ignore[attr-defined]
        if kind is Entry:
            return entry_token(value)  # type: ignore[arg-type]
        if kind is ActionState:
            return state(value)  # type: ignore[arg-type]
        if isinstance(value, BaseModel):  # a record's parts: every field, as JSON (fast)
            return value.model_dump_json()
        if kind in whole:
            return repr(value)
        if isinstance(value, enum.Enum):
            return (kind.__name__, value.value)
        if isinstance(value, (str, int, float, dt.date)):  # numpy numbers, say
            return repr(value)
        if isinstance(value, (frozenset, set)):
            return sorted(repr(self.token_of(v, state, whole)) for v in value)
        names = _FIELDS.get(kind)
        if names is None and dataclasses.is_dataclass(value) and not isinstance(value, type):
            names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(value))
        if names is not None:
            return (kind.__name__, [self.token_of(getattr(value, name), state, whole)
                                    for name in names])
        raise TypeError(f"no fingerprint for {kind.__qualname__}")

    def entries_token(self, entries: Iterable[Entry]) -> list[bytes]:
        """Several records as a page lists them, in its order."""
        return [self.listing(e) for e in entries]

    def save(self) -> None:
        """Keep this run's pages (only those rendered this run or reused) for the next."""
        self._dirty = self._dirty or len(self._kept) != len(self.pages)
        previous, self.pages = self.pages, self._kept
        if len(self._used_words) != len(self.words):
            self._dirty = True
            self.words = {d: w for d, w in self.words.items() if d in self._used_words}
        if len(self._used_reprs) != len(self.reprs):
            self._dirty = True
            self.reprs = {k: r for k, r in self.reprs.items() if k in self._used_reprs}
        if len(self._used_fragments) != len(self.fragments):
            self._dirty = True
            self.fragments = {k: f for k, f in self.fragments.items()
                              if k in self._used_fragments}
        self._previous_stamp = self._stamp
        if self.folder is None or not self._dirty:
            return
        store = self.folder / STORE_FOLDER
        before = {content.digest for _, content in previous.values() if isinstance(content, Stored)}
        # The bytes first, then the index that points at them: an index never names a page
        # whose bytes are not (completely) in the store.
        self.pages = {path: (key, _keep(store, content)) for path, (key, content)
                      in self.pages.items()}
        index = {path: (key, content.digest, content.size) for path, (key, content)
                 in self.pages.items() if isinstance(content, Stored)}
        self._write_index({"pages": index, "words": self.words, "reprs": self.reprs,
                           "fragments": self.fragments})
        used = {digest for _, digest, _ in index.values()}
        if self._fresh:  # made from scratch: whatever else the store holds is stale
            _sweep(store, used)
        else:
            for digest in before - used:
                with contextlib.suppress(OSError):
                    os.unlink(store_path(store, digest))
        self._fresh = False

    def _write_index(self, sections: dict[str, dict[Any, Any]]) -> None:
        """Write what differs from the whole index on disk, or, once that is much (or there
        is no usable index), the whole index again and no recent file."""
        assert self.folder is not None
        changed = {name: {key: value for key, value in section.items()
                          if self._base.get(name, {}).get(key, _MISSING) != value}
                   for name, section in sections.items()}
        removed = {name: sorted(self._base.get(name, {}).keys() - section.keys(), key=repr)
                   for name, section in sections.items()}
        differ = sum(len(part) for part in changed.values()) + \
            sum(len(part) for part in removed.values())
        total = sum(len(section) for section in sections.values())
        recent = self.folder / RECENT_FILE
        if self._base and differ <= max(RECENT_MIN, total // RECENT_SHARE):
            _dump(recent, {"format": _FORMAT, "stamp": self._stamp,
                           "generation": self._generation, "changed": changed,
                           "removed": removed})
            return
        generation = os.urandom(8).hex()
        _dump(self.folder / PAGES_FILE, {"format": _FORMAT, "stamp": self._stamp,
                                         "generation": generation, **sections})
        # A recent file left behind names the old generation: it would be ignored anyway.
        with contextlib.suppress(OSError):
            recent.unlink(missing_ok=True)
        self._base, self._generation = {name: dict(section) for name, section
                                        in sections.items()}, generation


_MISSING = object()


def _dump(target: Path, data: dict[str, Any]) -> None:
    """Replace ``target`` with ``data`` pickled, atomically."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(f".{os.getpid()}.tmp")
    with temporary.open("wb") as handle:
        pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, target)


def _read_index(path: Path, stamp: bytes) -> dict[str, Any] | None:
    """The index (or recent) file at ``path`` if it is one of this format and ``stamp``."""
    try:
        with path.open("rb") as handle:
            data = _PlainUnpickler(handle).load()
    except Exception:  # missing, unreadable or foreign: not used
        return None
    if isinstance(data, dict) and data.get("format") == _FORMAT and \
            data.get("stamp") == stamp and isinstance(data.get("generation"), str):
        return data
    return None


class _PlainUnpickler(pickle.Unpickler):
    """Reads back plain data only (all the index holds): no class is ever looked up, so a
    cache file from elsewhere cannot run code."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"{module}.{name} is not expected in the page cache")


def _present(content: Content) -> bool:
    """Whether a page's bytes are at hand: a store file deleted by hand, or cut short (a crash
    before the disk had it all), is rendered again rather than refused when read."""
    if not isinstance(content, Stored):
        return True
    try:
        return os.stat(content.file).st_size == content.size
    except OSError:
        return False


def _keep(store: Path, content: Content) -> Content:
    """A page's bytes put in the store (once per distinct content), as a `Stored`."""
    if isinstance(content, Stored):
        return content
    digest = content_digest(content)
    file = store_path(store, digest)
    if not os.path.isfile(file):
        os.makedirs(os.path.dirname(file), exist_ok=True)
        temporary = f"{file}.{os.getpid()}.tmp"
        with open(temporary, "wb") as handle:
            handle.write(content)
        os.replace(temporary, file)
    return Stored(file, digest, len(content))


def _sweep(store: Path, used: set[str]) -> None:
    """Delete the store's files no page uses (left by an earlier stamp or an interrupted run)."""
    with contextlib.suppress(OSError), os.scandir(store) as folders:
        for folder in folders:
            if not folder.is_dir(follow_symlinks=False):
                continue
            with os.scandir(folder.path) as files:
                for file in files:
                    if file.name not in used:
                        with contextlib.suppress(OSError):
                            os.unlink(file.path)


def stamp(root: Path, *parts: object) -> bytes:
    """What every page may read: the generator's code and templates, the taxonomy, the site's
    Markdown extensions, ``parts``."""
    digest = hashlib.blake2b(code_digest().encode(), digest_size=20)
    taxonomy = root / TAXONOMY_FILE
    digest.update(taxonomy.read_bytes() if taxonomy.is_file() else b"")
    # Record pages show their bodies as the site's Markdown extensions render them (those of
    # mkdocs.yml and of every file it inherits), and are fingerprinted by their files alone.
    digest.update(json.dumps(site_extensions(root), sort_keys=True, default=str).encode())
    digest.update(repr(parts).encode())
    return digest.digest()


def _digest(value: object) -> str:
    """A digest of ``value``'s ``repr``, as text: what the cache keeps of a record's part (a
    fingerprint needs no more, and the index stays a fraction of the texts' size)."""
    return hashlib.blake2b(repr(value).encode(), digest_size=20).hexdigest()


def fingerprint(*parts: object) -> bytes:
    """A hash of plain data (strings, numbers, tuples, lists, dicts, None).

    Hashed through ``repr``, not pickle: pickle's output depends on which equal objects
    happen to be the same object, so it differs between runs for the same data.
    """
    return hashlib.blake2b(repr(parts).encode(), digest_size=20).digest()


def entry_token(entry: Entry) -> tuple[str, str]:
    """A record as its own page shows it: everything follows from its file's content."""
    return (entry.path, entry.source.digest)


def listing_token(entry: Entry) -> tuple[object, ...]:
    """A record as other pages list it: its title, date and team (and where its page is).

    Finer than the file's content on purpose: editing a record's text renders its own page
    again, not every page that merely links to it.
    """
    return (entry.path, entry.type, entry.title, entry.date, entry.team)
