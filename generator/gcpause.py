"""Pause Python's cyclic garbage collector while building large object graphs.

Loading ten thousand records allocates millions of small objects that all stay alive; the
cyclic collector would walk them again and again for nothing (a third of the load time at
10,000 records). Reference counting still frees everything as usual; one collection runs
at the end.

Three kinds of process use it: a command that runs once (`short_lived`: what a stage built is
frozen, never walked again), a server that builds on every save (`serving`: the same, and the
one full collection runs when nothing is being built, `collect_when_idle`), and any other
(tests, library use: each paused block ends with a young collection).
"""

from __future__ import annotations

import gc
import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_short_lived = False
_serving = False
_kept: list[object] = []
_idle: threading.Timer | None = None
_collecting = threading.Lock()
_uncollected = 0


def short_lived() -> None:
    """Declare this process short-lived (one command, then exit).

    What a paused block built is then frozen (``gc.freeze``: never scanned by the collector
    again) instead of collected: a collection would walk every object of the knowledge base
    once more, half a second at 10,000 records, to free nothing the process still needs.
    Reference counting frees everything as usual. Long-lived processes (``serve``) collect.
    """
    global _short_lived
    _short_lived = True


def serving(on: bool = True) -> None:
    """Declare this process a server that builds again on every save (``hindsight serve``).

    What a build made is frozen as in a short-lived process, so no collection during a build
    walks the knowledge base, the page cache and MkDocs' pages (a million objects at 10,000
    records: a second per walk, and a build set off several). Those the next build replaces
    are freed by reference counting; the few in reference cycles (MkDocs' navigation links
    its pages both ways) wait for `collect_when_idle`, which runs once the build is served.
    ``serving(False)`` ends that.
    """
    global _serving
    _serving = on
    if not on:  # back to collecting as any process does: nothing pending, nothing set aside
        _cancel()
        gc.unfreeze()


def collect_when_idle(delay: float) -> threading.Timer:
    """In ``delay`` seconds, unless a build starts first (`building`), collect everything once
    and freeze what is left: the garbage in reference cycles is freed while nobody waits."""
    global _idle
    _cancel()
    _idle = threading.Timer(delay, _collect_now)
    _idle.daemon = True
    _idle.name = "hindsight-idle-collection"
    _idle.start()
    return _idle


UNCOLLECTED_BUILDS = 3
"""Builds a server may run one after another with no idle collection between them (saves as
fast as an editor's autosave): then the next build starts with one, so the garbage in cycles
of earlier builds stays bounded."""


def building() -> None:
    """A build starts: cancel a pending idle collection, and wait for one under way; after
    `UNCOLLECTED_BUILDS` builds without one, collect now."""
    global _uncollected
    _cancel()
    _uncollected += 1
    if _uncollected > UNCOLLECTED_BUILDS:
        _collect_now()


def _cancel() -> None:
    """Cancel a pending idle collection; wait for one under way."""
    if _idle is not None:
        _idle.cancel()
    with _collecting:
        pass


def _collect_now() -> None:
    global _uncollected
    with _collecting:
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        give_back()
        _uncollected = 0


@contextmanager
def paused_gc() -> Iterator[None]:
    """Disable the cyclic collector inside the block (nesting-safe), collect once after."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if _short_lived or _serving:
                gc.freeze()
            else:
                gc.collect(generation=1)
            gc.enable()


@contextmanager
def older_objects_set_aside() -> Iterator[None]:
    """Inside the block the cyclic collector walks only objects made in it.

    For a stage that makes many short-lived objects over a large heap it does not change:
    its garbage is still collected as it goes, but no collection walks the heap built
    before. A short-lived process leaves those objects set aside (frozen) for good, and a
    server until it is idle (`collect_when_idle`).
    """
    gc.freeze()
    try:
        yield
    finally:
        if not (_short_lived or _serving):
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
    drop what was kept until exit, unfreeze, and collect once, so its memory is reused (a
    server collects when it is idle instead: `serving`)."""
    _kept.clear()
    if not _serving:
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
