"""The generated tree: every generated file by path, its bytes in memory or in a page store.

A run that changed one record renders a handful of pages and reuses the other ten thousand.
The reused pages' bytes stay where the previous run put them, in a content-addressed store
(`Stored`), and are read only when something needs them: an output folder that does not hold
them yet, or an engine that is handed the pages in memory. `GeneratedFiles` is the mapping
every consumer reads, with each file's content digest beside it, so a writer can tell an
unchanged file without reading either copy (`generator.site.output.write_tree`).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator, Mapping
from pathlib import Path

from ..errors import CacheError


def content_digest(content: bytes) -> str:
    """The digest a file's bytes are stored and compared by."""
    return hashlib.blake2b(content, digest_size=20).hexdigest()


class Stored:
    """A file's bytes kept in a content-addressed store, read (and checked) when asked."""

    __slots__ = ("digest", "file", "size")

    def __init__(self, file: str, digest: str, size: int) -> None:
        self.file = file
        """Where the bytes are kept."""
        self.digest = digest
        """`content_digest` of the bytes."""
        self.size = size
        """Their length."""

    def read(self) -> bytes:
        """The bytes, checked against their digest: a damaged store is never published."""
        try:
            with open(self.file, "rb") as handle:
                content = handle.read()
        except OSError as exc:
            raise CacheError(f"{self.file} could not be read ({exc.strerror}); run again with "
                             "--no-cache, or delete .hindsight-cache/") from None
        if len(content) != self.size or content_digest(content) != self.digest:
            # Gone, the page is rendered afresh by the next run (`PageCache.page`).
            with contextlib.suppress(OSError):
                os.unlink(self.file)
            raise CacheError(f"{self.file} was damaged (its bytes do not match their digest) "
                             "and is removed; run the command again to render the page afresh")
        return content

    def __repr__(self) -> str:
        return f"Stored({self.digest[:12]}…, {self.size} bytes)"


Content = bytes | Stored
"""A generated file's bytes, or where they are kept."""


class GeneratedFiles(Mapping[str, bytes]):
    """Generated files by path (sorted), each file's bytes read only when asked for.

    A reused page's bytes are read from the page store, which the next run of the same page
    cache may prune: read what must outlive that run before starting it.
    """

    def __init__(self, items: Mapping[str, Content]) -> None:
        self._items: dict[str, Content] = dict(sorted(items.items()))
        self._digests: dict[str, str] = {}

    def __getitem__(self, path: str) -> bytes:
        item = self._items[path]
        return item.read() if isinstance(item, Stored) else item

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, path: object) -> bool:
        return path in self._items

    def digest(self, path: str) -> str:
        """The file's `content_digest`, without reading a stored file."""
        item = self._items[path]
        if isinstance(item, Stored):
            return item.digest
        known = self._digests.get(path)
        if known is None:
            known = self._digests[path] = content_digest(item)
        return known

    def size(self, path: str) -> int:
        """The file's length in bytes, without reading a stored file."""
        item = self._items[path]
        return item.size if isinstance(item, Stored) else len(item)

    def contents(self) -> dict[str, Content]:
        """Every file's bytes or where they are kept, by path (nothing is read)."""
        return dict(self._items)

    def in_memory(self) -> list[str]:
        """The paths whose bytes are in memory (made this run, not reused from the store)."""
        return [path for path, item in self._items.items() if not isinstance(item, Stored)]


def digest_of(files: Mapping[str, bytes], path: str) -> str:
    """A file's content digest from any mapping of files (cheap for `GeneratedFiles`)."""
    if isinstance(files, GeneratedFiles):
        return files.digest(path)
    return content_digest(files[path])


def store_path(folder: Path, digest: str) -> str:
    """Where a content-addressed store keeps the bytes of ``digest``."""
    return os.path.join(folder, digest[:2], digest)
