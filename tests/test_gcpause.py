"""Memory a finished stage let go goes back to the operating system before the search indexer
starts beside the build (`generator.gcpause.give_back`)."""

from __future__ import annotations

import subprocess
import sys

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
