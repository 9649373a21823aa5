"""Memory a finished stage let go goes back to the operating system before the search indexer
starts beside the build (`generator.gcpause.give_back`), and a server's collections wait until
it is idle (`generator.gcpause.serving`)."""

from __future__ import annotations

import gc
import subprocess
import sys
import weakref
from collections.abc import Iterator

import pytest

from generator.gcpause import _malloc_trim

# Builds a heap the way a knowledge base does (many small objects, then large buffers the
# allocator keeps), lets it go, and reports resident memory before and after giving it back.
PROBE = """
import gc
from pathlib import Path
from generator.gcpause import give_back

def rss():
    line = next(l for l in Path('/proc/self/status').read_text().splitlines() if l.startswith('VmRSS'))
    return int(line.split()[1]) // 1024

# Many mid-sized buffers interleaved with one small survivor each: freed, they leave the C
# allocator's heap full of holes it keeps rather than returns.
kept, heap = [], []
for i in range(200_000):
    heap.append(bytearray(1000))
    if i % 50 == 0:
        kept.append(bytearray(8))
del heap
gc.collect()
before = rss()
give_back()
print(before, rss())
"""


@pytest.mark.skipif(_malloc_trim() is None, reason="only the GNU C library can hand freed "
                    "memory back (malloc_trim); elsewhere give_back does nothing")
def test_freed_memory_is_given_back_to_the_system() -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                         check=True).stdout
    before, after = (int(v) for v in out.split())
    assert before - after > 100, (before, after)  # about 190 MiB were let go


# --- a server: what a build made stays frozen until the server is idle ----------------------


class _Cycle:
    """An object in a reference cycle: only the cyclic collector frees it."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture
def serving_process() -> Iterator[None]:
    from generator import gcpause

    gcpause.serving()
    try:
        yield
    finally:
        gcpause.serving(False)
        gcpause._uncollected = 0


def test_a_server_keeps_a_build_frozen_and_collects_its_cycles_when_idle(
        serving_process: None) -> None:
    from generator.gcpause import building, collect_when_idle, older_objects_set_aside, paused_gc

    with paused_gc():
        built = [_Cycle() for _ in range(100)]
    frozen = gc.get_freeze_count()
    assert frozen >= 100  # no collection during the next build walks them
    with older_objects_set_aside():
        pass
    assert gc.get_freeze_count() >= frozen  # still set aside when the stage ends
    gone = weakref.ref(built[0])
    del built
    gc.collect()  # a collection during a build does not walk frozen objects
    assert gone() is not None
    # A save before the idle collection cancels it; the next idle one frees the cycles.
    cancelled = collect_when_idle(60.0)
    building()
    cancelled.join(timeout=60)  # a cancelled timer ends at once, without collecting
    assert not cancelled.is_alive() and gone() is not None
    idle = collect_when_idle(0.0)
    idle.join(timeout=60)
    assert gone() is None
    assert gc.get_freeze_count() > 0  # what is still alive is frozen again


def test_elsewhere_a_paused_block_ends_with_a_collection() -> None:
    from generator.gcpause import paused_gc

    with paused_gc():
        built = _Cycle()
    gone = weakref.ref(built)
    del built
    gc.collect()
    assert gone() is None


def test_a_server_saved_to_without_pause_still_collects_every_few_builds(
        serving_process: None) -> None:
    from generator.gcpause import UNCOLLECTED_BUILDS, building, collect_when_idle, paused_gc

    with paused_gc():
        built = _Cycle()
    gone = weakref.ref(built)
    del built
    # An editor's autosave: each build starts before the last one's idle collection.
    for _ in range(UNCOLLECTED_BUILDS):
        building()
        collect_when_idle(60.0)
        assert gone() is not None
    building()  # one build too many without a collection: this one starts with it
    assert gone() is None
