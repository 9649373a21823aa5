"""Charts stage (matplotlib → SVG): deterministic bytes, cached by the data they show.

Every chart is drawn from a small JSON-able dict, and the dict (with the chart kind and a
style version) is the cache key: a rebuild redraws only the charts whose data changed, which
keeps ``mkdocs serve`` quick. SVGs are byte-stable: fixed hash salt, no dates in metadata,
text kept as text. Colours come from the Okabe–Ito palette (colour-blind safe) on a
transparent background with mid-grey ink, readable in light and dark themes. Each SVG carries
a ``<title>`` and a ``<desc>``; pages put the same text alternative on the image.

The drawing itself lives in `generator.site.drawing`, imported only when a chart must be drawn:
a run that finds every chart in the cache never loads matplotlib.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import re
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any


@lru_cache(maxsize=1)
def drawing_digest() -> str:
    """What a chart's bytes owe to the code that draws it: the drawing module's source, that
    of `generator.site.lines` (where its lines break) and matplotlib's version (read, not
    imported: matplotlib is imported only to draw)."""
    from importlib.metadata import version

    source = b"".join(Path(__file__).with_name(name).read_bytes()
                      for name in ("drawing.py", "lines.py"))
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

    def get(self, key: str) -> bytes | None:
        """The cached SVG for ``key``, if any."""
        if key in self.memory:
            return self.memory[key]
        if self.folder is not None:
            path = self.folder / f"{key}.svg"
            try:
                data = path.read_bytes()
            except OSError:
                return None
            # A file cut short (a crash before the disk had it all) is drawn again, never
            # published: a whole SVG ends with its closing tag.
            if not data.rstrip().endswith(b"</svg>"):
                return None
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
    from .drawing import draw

    workers = min(os.cpu_count() or 1, 8)
    if len(missing) >= PARALLEL_FROM and workers > 1:
        context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            drawn = list(pool.map(draw, [_job(r) for _, r in missing], chunksize=4))
    else:
        drawn = [draw(_job(r)) for _, r in missing]
    for (key, request), (svg, seconds) in zip(missing, drawn, strict=True):
        cache.put(key, svg)
        cache.drawn.append((request.path, seconds))
        found[key] = svg
    cache.hits += len(requests) - len(missing)
    return [Chart(r.path, r.title, r.alt, found[key]) for key, r in zip(keys, requests, strict=True)]


def render_chart(path: str, kind: str, data: dict[str, Any], title: str, alt: str,
                 cache: ChartCache) -> Chart:
    """Draw (or fetch from the cache) one chart."""
    return render_charts([ChartRequest(path, kind, data, title, alt)], cache)[0]


