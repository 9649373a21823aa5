"""Pause Python's cyclic garbage collector while building large object graphs.

Loading ten thousand records allocates millions of small objects that all stay alive; the
cyclic collector would walk them again and again for nothing (a third of the load time at
10,000 records). Reference counting still frees everything as usual; one collection runs
at the end.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_short_lived = False


def short_lived() -> None:
    """Declare this process short-lived (one command, then exit).

    What a paused block built is then frozen (``gc.freeze``: never scanned by the collector
    again) instead of collected: a collection would walk every object of the knowledge base
    once more, half a second at 10,000 records, to free nothing the process still needs.
    Reference counting frees everything as usual. Long-lived processes (``serve``) collect.
    """
    global _short_lived
    _short_lived = True


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
