"""Charts stage (matplotlib → SVG): deterministic bytes, cached by the data they show.

Every chart is drawn from a small JSON-able dict, and the dict (with the chart kind and a
style version) is the cache key: a rebuild redraws only the charts whose data changed, which
keeps ``mkdocs serve`` quick. SVGs are byte-stable: fixed hash salt, no dates in metadata,
text kept as text. Colours come from the Okabe–Ito palette (colour-blind safe) on a
transparent background with mid-grey ink, readable in light and dark themes. Each SVG carries
a ``<title>`` and a ``<desc>``; pages put the same text alternative on the image.
"""

from __future__ import annotations

import hashlib
import io
import json
import multiprocessing
import os
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import matplotlib
from cycler import cycler

matplotlib.use("Agg")  # no display, ever

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

STYLE_VERSION = "2"
"""Bump when drawing code changes, so cached charts are redrawn."""
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
           "#999999"]
INK = "#8a8f98"  # mid-grey: legible on white and on Material's slate

plt.rcParams.update({
    "svg.hashsalt": "hindsight",
    "svg.fonttype": "none",
    "text.parse_math": False,  # a "$" in a record's text is text, not TeX
    "font.size": 9,
    "font.family": "DejaVu Sans",
    "text.color": INK,
    "axes.labelcolor": INK,
    "axes.edgecolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
    "axes.facecolor": "none",
    "figure.facecolor": "none",
    "savefig.facecolor": "none",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": INK,
    "grid.alpha": 0.25,
    "legend.frameon": False,
    "axes.prop_cycle": cycler(color=PALETTE),
})


@dataclass(frozen=True)
class Chart:
    """A drawn chart: where it goes, what it shows in words, and its SVG bytes."""

    path: str
    title: str
    alt: str
    svg: bytes


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


Drawer = Callable[[dict[str, Any]], Figure]


@dataclass(frozen=True)
class ChartRequest:
    """A chart to draw: where it goes, its kind, the data it shows, and its words."""

    path: str
    kind: str
    data: dict[str, Any]
    title: str
    alt: str

    @property
    def key(self) -> str:
        """The cache key: a hash of everything that decides the chart's bytes."""
        payload = json.dumps({"kind": self.kind, "v": STYLE_VERSION, "title": self.title,
                              "alt": self.alt, "data": self.data}, sort_keys=True, default=str)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


PARALLEL_FROM = 16
"""From this many charts to draw, they are drawn on every CPU."""


def _draw(request: ChartRequest) -> tuple[bytes, float]:
    started = time.perf_counter()
    figure = DRAWERS[request.kind](request.data)
    svg = _svg(figure, request.title, request.alt)
    plt.close(figure)
    return svg, time.perf_counter() - started


def render_charts(requests: list[ChartRequest], cache: ChartCache) -> list[Chart]:
    """Every requested chart, from the cache where its data is unchanged, else drawn."""
    keys = [request.key for request in requests]
    found = {key: svg for key in set(keys) if (svg := cache.get(key)) is not None}
    missing = list({key: r for key, r in zip(keys, requests, strict=True)
                    if key not in found}.items())
    workers = min(os.cpu_count() or 1, 8)
    if len(missing) >= PARALLEL_FROM and workers > 1:
        context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            drawn = list(pool.map(_draw, [r for _, r in missing], chunksize=4))
    else:
        drawn = [_draw(r) for _, r in missing]
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


def _svg(figure: Figure, title: str, alt: str) -> bytes:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight",
                   metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    text = buffer.getvalue()
    # Accessible name and description, as the first children of the root element.
    head, sep, rest = text.partition("<svg ")
    opening, close, body = rest.partition(">")
    labelled = (f'{head}{sep}{opening} role="img" aria-label="{xml_escape(title, {chr(34): "&quot;"})}"'
                f'{close}\n <title>{xml_escape(title)}</title>\n <desc>{xml_escape(alt)}</desc>{body}')
    return labelled.encode("utf-8")


def _month_axis(ax: Any, months: list[str]) -> None:
    step = max(1, len(months) // 9)
    ax.set_xticks(range(0, len(months), step))
    ax.set_xticklabels([m for i, m in enumerate(months) if i % step == 0], rotation=0)
    ax.set_xlim(-0.5, len(months) - 0.5)


def _format_axis(ax: Any, unit: str) -> None:
    from matplotlib.ticker import FuncFormatter

    formats: dict[str, Callable[[float, Any], str]] = {
        "rate": lambda v, _: f"{v * 100:.0f}%",
        "usd": lambda v, _: f"${v:,.0f}",
        "usd_per_day": lambda v, _: f"${v:,.0f}",
        "days": lambda v, _: f"{v:.0f} d",
    }
    if unit in formats:
        ax.yaxis.set_major_formatter(FuncFormatter(formats[unit]))


def _draw_indicator(data: dict[str, Any]) -> Figure:
    months: list[str] = data["months"]
    fig, ax = plt.subplots(figsize=(7.5, 3.4))
    for index, series in enumerate(data["series"]):
        color = PALETTE[index % len(PALETTE)]
        xs = [i for i, v in enumerate(series["values"]) if v is not None]
        ys = [v for v in series["values"] if v is not None]
        width = 2.2 if series["name"] == "all" else 1.4
        ax.plot(xs, ys, marker="o", markersize=3, linewidth=width, color=color,
                label=series["label"])
        trail = [(i, v) for i, v in enumerate(series["trailing"]) if v is not None]
        if trail:
            ax.plot([i for i, _ in trail], [v for _, v in trail], linestyle="--", linewidth=0.9,
                    color=color, alpha=0.7)
    for event in data["postmortems"]:
        ax.axvline(event["x"], color=INK, linestyle=":", linewidth=1)
    if data["postmortems"]:
        ax.plot([], [], color=INK, linestyle=":", label="post-mortem")
    _draw_effect_spans(ax, data.get("effects", []))
    if data["done"]:
        ymin = ax.get_ylim()[0]
        ax.scatter([d["x"] for d in data["done"]], [ymin] * len(data["done"]), marker="^",
                   s=36, color=PALETTE[2], zorder=5, label="action done", clip_on=False)
    ax.plot([], [], color=INK, linestyle="--", linewidth=0.9, label="trailing 3-month mean")
    _month_axis(ax, months)
    _format_axis(ax, data["unit"])
    ax.set_title(data["title"], loc="left", fontsize=10, color=INK)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8)
    return fig


EFFECT_COLORS = {"moved-the-right-way": PALETTE[2], "moved-the-wrong-way": PALETTE[3],
                 "no-clear-change": PALETTE[4]}
"""After-span colours by verdict (bluish green, vermilion, reddish purple)."""


def _draw_effect_spans(ax: Any, spans: list[dict[str, Any]]) -> None:
    """Each measured action: its before mean (a soft grey band) and after mean (by verdict)."""
    if not spans:
        return
    # One call per colour: a busy team's chart can carry hundreds of actions.
    ax.hlines([s["before"][2] for s in spans], [s["before"][0] - 0.3 for s in spans],
              [s["before"][1] + 0.3 for s in spans], colors=INK, linewidth=5, alpha=0.35,
              zorder=4, label="3 readings before an action")
    for verdict, color in EFFECT_COLORS.items():
        rows = [s for s in spans if s["verdict"] == verdict]
        if rows:
            ax.hlines([s["after"][2] for s in rows], [s["after"][0] - 0.3 for s in rows],
                      [s["after"][1] + 0.3 for s in rows], colors=color, linewidth=3,
                      alpha=0.8, zorder=4, label=f"3 after: {verdict.replace('-', ' ')}")


def _draw_causes(data: dict[str, Any]) -> Figure:
    months: list[str] = data["months"]
    causes = data["causes"]
    fig, ax = plt.subplots(figsize=(7.5, 0.9 + 0.32 * max(1, len(causes))))
    for row, cause in enumerate(causes):
        xs = [i for i, n in enumerate(cause["counts"]) if n]
        sizes = [18 + 30 * cause["counts"][i] for i in xs]
        ax.scatter(xs, [row] * len(xs), s=sizes, color=PALETTE[row % len(PALETTE)], zorder=3)
    ax.set_yticks(range(len(causes)))
    ax.set_yticklabels([c["title"] for c in causes])
    ax.set_ylim(len(causes) - 0.5, -0.5)
    _month_axis(ax, months)
    ax.set_title(data["title"], loc="left", fontsize=10, color=INK)
    return fig


def _draw_actions(data: dict[str, Any]) -> Figure:
    months: list[str] = data["months"]
    fig, ax = plt.subplots(figsize=(7.5, 3.2))
    xs = list(range(len(months)))
    ax.bar([x - 0.2 for x in xs], data["opened"], width=0.4, color=PALETTE[0], label="opened")
    ax.bar([x + 0.2 for x in xs], data["closed"], width=0.4, color=PALETTE[2], label="closed")
    ax2 = ax.twinx()
    ax2.plot(xs, data["backlog"], color=PALETTE[3], linewidth=2, label="open backlog")
    ax2.spines["right"].set_visible(True)
    ax2.grid(False)
    ax.set_ylabel("actions per month")
    ax2.set_ylabel("open at month end")
    _month_axis(ax, months)
    handles = ax.get_legend_handles_labels()
    extra = ax2.get_legend_handles_labels()
    ax.legend(handles[0] + extra[0], handles[1] + extra[1], loc="upper left", fontsize=8)
    ax.set_title(data["title"], loc="left", fontsize=10, color=INK)
    return fig


def _draw_attainment(data: dict[str, Any]) -> Figure:
    rows = data["rows"]
    fig, ax = plt.subplots(figsize=(7.0, 0.8 + 0.38 * max(1, len(rows))))
    values = [r["attainment"] * 100 for r in rows]
    colors = [PALETTE[2] if v >= 100 else PALETTE[3] for v in values]
    ax.barh(range(len(rows)), values, color=colors)
    ax.axvline(100, color=INK, linewidth=1)
    for i, v in enumerate(values):
        ax.text(v + 1, i, f"{v:.0f}%", va="center", fontsize=8)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([r["metric"] for r in rows])
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(0, max(120, *(v + 15 for v in values)))
    ax.set_xlabel("attainment (100% = goal met)")
    ax.set_title(data["title"], loc="left", fontsize=10, color=INK)
    return fig


DRAWERS: dict[str, Drawer] = {
    "indicator": _draw_indicator,
    "causes": _draw_causes,
    "actions": _draw_actions,
    "attainment": _draw_attainment,
}
