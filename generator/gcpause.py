"""Pause Python's cyclic garbage collector while building large object graphs.

Loading ten thousand records allocates millions of small objects that all stay alive; the
cyclic collector would walk them again and again for nothing (a third of the load time at
10,000 records). Reference counting still frees everything as usual; one collection runs
at the end.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_short_lived = False
_kept: list[object] = []


def short_lived() -> None:
    """Declare this process short-lived (one command, then exit).

    What a paused block built is then frozen (``gc.freeze``: never scanned by the collector
    again) instead of collected: a collection would walk every object of the knowledge base
    once more, half a second at 10,000 records, to free nothing the process still needs.
    Reference counting frees everything as usual. Long-lived processes (``serve``) collect.
    """
    global _short_lived
    _short_lived = True


def is_short_lived() -> bool:
    """Whether `short_lived` declared this process one command that then exits."""
    return _short_lived


@contextmanager
def paused_gc() -> Iterator[None]:
    """Disable the cyclic collector inside the block (nesting-safe), collect once after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if _short_lived:
                gc.freeze()
            else:
                gc.collect(generation=1)
            gc.enable()


@contextmanager
def older_objects_set_aside() -> Iterator[None]:
    """Inside the block the cyclic collector walks only objects made in it.

    For a stage that makes many short-lived objects over a large heap it does not change:
    its garbage is still collected as it goes, but no collection walks the heap built
    before. A short-lived process leaves those objects set aside (frozen) for good.
    """
    gc.freeze()
    try:
        yield
    finally:
        if not _short_lived:
            gc.unfreeze()


def keep_until_exit(value: object) -> None:
    """In a short-lived process, keep ``value`` alive until `exit_now` ends the process.

    Freeing a knowledge base object by object takes a fifth of a second at 10,000 records,
    at the very end of a command that has already printed its answer. Long-lived processes
    free it as usual.
    """
    if _short_lived:
        _kept.append(value)


def release() -> None:
    """A long step that no longer needs the knowledge base follows (the site engine's build):
    drop what was kept until exit, unfreeze, and collect once, so its memory is reused."""
    _kept.clear()
    gc.unfreeze()
    gc.collect()
    give_back()


def give_back() -> None:
    """Return the memory freed so far to the operating system, where the C library allows it.

    Python keeps freed memory for reuse, and so does the C allocator: a process that built
    a large knowledge base stays that large after letting it go. Before another process
    starts beside it (the search indexer), glibc's ``malloc_trim`` hands the free pages back
    (about 100 MiB at 10,000 records). Elsewhere this does nothing.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim: Callable[[int], int] = libc.malloc_trim
    except (OSError, AttributeError):  # not glibc (musl has no malloc_trim)
        return None
    return trim


def exit_now(code: int) -> None:
    """End a short-lived process that kept a knowledge base: flush the output, then leave
    without freeing what it built (the operating system reclaims the memory at once).

    Only reached after the command has finished and every file it wrote is closed; other
    processes, with nothing kept, exit as usual.
    """
    if not _kept:
        sys.exit(code)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be said anyway
            code = code or 1
    os._exit(code)
