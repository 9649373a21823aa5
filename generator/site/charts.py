"""Charts stage (matplotlib → SVG): deterministic bytes, cached by the data they show.

Every chart is drawn from a small JSON-able dict, and the dict (with the chart kind and a
style version) is the cache key: a rebuild redraws only the charts whose data changed, which
keeps ``mkdocs serve`` quick. SVGs are byte-stable: fixed hash salt, no dates in metadata,
text kept as text. Colours come from the Okabe–Ito palette (colour-blind safe) on a
transparent background with mid-grey ink, readable in light and dark themes. Each SVG carries
a ``<title>`` and a ``<desc>``; pages put the same text alternative on the image.

The drawing itself lives in `generator.site.drawing`, imported only when a chart must be drawn:
a run that finds every chart in the cache never loads matplotlib. A command that may have to
draw a few charts imports it in a process of its own while the records load (`drawing_ahead`),
so the charts stage does not wait half a second for the import.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import signal
import sys
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from ..gcpause import is_short_lived


@lru_cache(maxsize=1)
def drawing_digest() -> str:
    """What a chart's bytes owe to the code that draws it: the drawing module's source and
    matplotlib's version (read, not imported: matplotlib is imported only to draw)."""
    from importlib.metadata import version

    source = Path(__file__).with_name("drawing.py").read_bytes()
    return hashlib.sha256(source + version("matplotlib").encode()).hexdigest()[:16]
@dataclass(frozen=True)
class Chart:
    """A drawn chart: where it goes, what it shows in words, and its SVG bytes."""

    path: str
    title: str
    alt: str
    svg: bytes

    @property
    def size(self) -> tuple[int, int]:
        """Its drawn width and height in CSS pixels (from the SVG's own, in points): pages
        give them to the image so the browser keeps its room while it loads lazily."""
        head = self.svg[:1024].decode("utf-8", "replace")
        found = _SIZE.search(head)
        if found is None:
            return (0, 0)
        return (round(float(found[1]) * 4 / 3), round(float(found[2]) * 4 / 3))

    @property
    def shown(self) -> tuple[str, str, str, tuple[int, int]]:
        """What a page shows of it: its path, title, text alternative and size (a page's
        fingerprint takes these; the drawing itself is a file of its own)."""
        return (self.path, self.title, self.alt, self.size)


_SIZE = re.compile(r'<svg[^>]*? width="([0-9.]+)pt" height="([0-9.]+)pt"')


@dataclass
class ChartCache:
    """Drawn SVGs by data key, in memory and optionally on disk; counts its hits."""

    folder: Path | None = None
    memory: dict[str, bytes] = field(default_factory=dict)
    hits: int = 0
    drawn: list[tuple[str, float]] = field(default_factory=list)
    """(chart path, seconds) for every chart drawn, not served from the cache."""
    ahead: DrawingAhead | None = None
    """The process that draws this run's few missing charts, if one was started
    (`drawing_ahead`)."""

    def get(self, key: str) -> bytes | None:
        """The cached SVG for ``key``, if any."""
        if key in self.memory:
            return self.memory[key]
        if self.folder is not None:
            path = self.folder / f"{key}.svg"
            if path.is_file():
                data = path.read_bytes()
                self.memory[key] = data
                return data
        return None

    def put(self, key: str, svg: bytes) -> None:
        """Remember a drawn SVG."""
        self.memory[key] = svg
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
            tmp = self.folder / f".{key}.tmp"
            tmp.write_bytes(svg)
            tmp.replace(self.folder / f"{key}.svg")


@dataclass(frozen=True)
class ChartRequest:
    """A chart to draw: where it goes, its kind, the data it shows, and its words."""

    path: str
    kind: str
    data: dict[str, Any]
    title: str
    alt: str
    key_data: dict[str, Any] | None = None
    """What the cache key reads instead of ``data``, when given: all of it, with its longest
    parts as digests (an indicator chart's lines)."""

    @property
    def key(self) -> str:
        """The cache key: a hash of everything that decides the chart's bytes."""
        data = self.data if self.key_data is None else self.key_data
        payload = json.dumps({"kind": self.kind, "v": drawing_digest(), "title": self.title,
                              "alt": self.alt, "data": data}, sort_keys=True, default=str)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


PARALLEL_FROM = 16
"""From this many charts to draw, they are drawn on every CPU."""
AHEAD_TIMEOUT = 120.0
"""Seconds the drawing process (`drawing_ahead`) has to draw fewer than `PARALLEL_FROM`
charts before they are drawn here instead."""


def _job(request: ChartRequest) -> tuple[str, dict[str, Any], str, str]:
    return (request.kind, request.data, request.title, request.alt)


def render_charts(requests: list[ChartRequest], cache: ChartCache) -> list[Chart]:
    """Every requested chart, from the cache where its data is unchanged, else drawn."""
    keys = [request.key for request in requests]
    found = {key: svg for key in set(keys) if (svg := cache.get(key)) is not None}
    missing = list({key: r for key, r in zip(keys, requests, strict=True)
                    if key not in found}.items())
    if not missing:
        cache.hits += len(requests)
        return [Chart(r.path, r.title, r.alt, found[key])
                for key, r in zip(keys, requests, strict=True)]
    jobs = [_job(r) for _, r in missing]
    workers = min(os.cpu_count() or 1, 8)
    few = len(missing) < PARALLEL_FROM or workers == 1
    drawn = cache.ahead.draw(jobs) if few and cache.ahead is not None else None
    if drawn is None:
        from .drawing import draw

        if few:
            drawn = [draw(job) for job in jobs]
        else:
            context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                drawn = list(pool.map(draw, jobs, chunksize=4))
    for (key, request), (svg, seconds) in zip(missing, drawn, strict=True):
        cache.put(key, svg)
        cache.drawn.append((request.path, seconds))
        found[key] = svg
    cache.hits += len(requests) - len(missing)
    return [Chart(r.path, r.title, r.alt, found[key]) for key, r in zip(keys, requests, strict=True)]


class DrawingAhead:
    """A process forked before the records load that imports matplotlib at once and then
    draws the charts it is sent: the import (half a second) runs on another CPU meanwhile."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("fork")
        self._connection, child = context.Pipe()
        self._process = context.Process(target=_draw_sent, args=(child,), daemon=True,
                                        name="hindsight-drawing")
        self._process.start()
        child.close()

    def draw(self, jobs: list[tuple[str, dict[str, Any], str, str]]) -> list[tuple[bytes, float]] | None:
        """Each job's SVG and seconds, drawn there; None if it could not (the caller draws)."""
        try:
            self._connection.send(jobs)
            # A process that cannot answer (stuck, or gone) is not waited for.
            if not self._connection.poll(AHEAD_TIMEOUT):
                return None
            drawn = self._connection.recv()
        except (OSError, EOFError, ValueError):
            return None
        return drawn if isinstance(drawn, list) and len(drawn) == len(jobs) else None

    def stop(self) -> None:
        """End the process (still importing, waiting, or done)."""
        self._connection.close()
        self._process.terminate()
        self._process.join(timeout=10)


def _draw_sent(connection: Connection) -> None:
    """The drawing process: import matplotlib, then draw what is sent until the pipe closes.
    A chart it cannot draw is answered with None: the parent draws it and reports why."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to report
    from .drawing import draw

    while True:
        try:
            jobs = connection.recv()
        except (EOFError, OSError):
            return
        try:
            drawn: list[tuple[bytes, float]] | None = [draw(job) for job in jobs]
        except Exception:
            drawn = None
        connection.send(drawn)


@contextmanager
def drawing_ahead(cache: ChartCache) -> Iterator[None]:
    """Within the block, a chart that must be drawn is drawn by a process that imported
    matplotlib while the block's earlier stages ran, when that can save time: a command that
    runs once (matplotlib not yet imported), a chart cache on disk (so only a few charts are
    missing, if any), two CPUs or more, and ``fork``. The process is stopped at the end."""
    # One thread only: a process forked beside another thread could inherit a lock it holds.
    if not (is_short_lived() and cache.folder is not None and cache.ahead is None
            and sys.platform == "linux" and (os.cpu_count() or 1) > 1
            and threading.active_count() == 1
            and "generator.site.drawing" not in sys.modules):
        yield
        return
    cache.ahead = DrawingAhead()
    try:
        yield
    finally:
        cache.ahead.stop()
        cache.ahead = None


def render_chart(path: str, kind: str, data: dict[str, Any], title: str, alt: str,
                 cache: ChartCache) -> Chart:
    """Draw (or fetch from the cache) one chart."""
    return render_charts([ChartRequest(path, kind, data, title, alt)], cache)[0]


