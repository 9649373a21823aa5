"""What a cached result owes to Hindsight itself: one digest of its code and templates.

The record, page and HTML caches are each keyed by it, so a change to any module or template
that can change what a run produces empties them. The benchmarks (`generator.bench`) produce
nothing a run reads, so editing them keeps every cache.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
"""The package's folder."""
_OUTSIDE = ("bench",)
"""Subpackages that take no part in what a run produces."""


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of every module and template of the package (by path and content)."""
    digest = hashlib.blake2b(digest_size=20)
    for path in sorted(PACKAGE.rglob("*")):
        rel = path.relative_to(PACKAGE)
        if path.suffix in (".py", ".j2") and rel.parts[0] not in _OUTSIDE and path.is_file():
            digest.update(rel.as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()
