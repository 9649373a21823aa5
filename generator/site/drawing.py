"""Drawing charts with matplotlib: each chart kind's figure, and its SVG bytes.

Imported only when a chart is missing from the cache (`generator.site.charts`), so a run whose
charts are all cached never loads matplotlib.
"""

from __future__ import annotations

import io
import textwrap
import time
import warnings
from collections.abc import Callable, Sequence
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import matplotlib
from cycler import cycler

matplotlib.use("Agg")  # no display, ever

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from matplotlib.ticker import Formatter, MaxNLocator

from ..records.formatting import PERCENT_UNITS, money, money_ticks, pct
from .lines import line_pieces

PALETTE = ["#0072B2", "#B87700", "#009A70", "#D55E00", "#BB6397", "#2E8AC2", "#8C8500",
           "#767676"]
"""Okabe and Ito's colour-blind-safe hues, the light ones darkened to 3:1 at least on white
and on the dark scheme's light plate (#f2f3f5): orange #E69F00 was 2.25:1, sky blue 2.31:1,
yellow 1.32:1, grey 2.85:1, reddish purple 2.8:1 on the plate. A mark a reader must see needs
it (WCAG 1.4.11), so none is drawn see-through either."""
FAINT = "#80868F"
"""What a chart shows for reference, behind what it is about (the overall line behind each
segment's, the mean before an action): lighter than the ink, still 3:1 on the plate."""
INK = "#5f6672"
"""Text and axes: 5.8:1 on white. No grey reads at 4.5:1 on both white and Material's slate:
in the dark scheme the page sets a chart on a light plate (`hindsight.css`)."""
EMPHASIS = "#2f8fd8"  # the overall line: a mid blue that reads on white and on slate
SEGMENT = PALETTE[1]  # one segment in its own small panel
NOT_JUDGED = PALETTE[7]
"""A goal not judged yet (its figure from part of the quarter): grey, 4.5:1 on white, neither
the green of met nor the vermilion of missed."""
WIDTH = 4.8
"""Inches. Pages scale charts to their column; at 11 pt on 4.8 in, text stays at least
11 px on a 390 px phone (content about 358 px wide)."""
FONT = 11

# Text is written into the SVG as text (svg.fonttype "none"): the reader's browser draws
# Japanese or Arabic in its own fonts. Matplotlib only measures it with DejaVu Sans and warned
# once per missing glyph, dozens of lines in a quiet build for nothing a reader sees.
warnings.filterwarnings("ignore", message=r"Glyph \d+ .* missing from font", category=UserWarning)

plt.rcParams.update({
    "svg.hashsalt": "hindsight",
    "svg.fonttype": "none",
    "text.parse_math": False,  # a "$" in a record's text is text, not TeX
    "font.size": FONT,
    "axes.titlesize": FONT,
    "xtick.labelsize": FONT,
    "ytick.labelsize": FONT,
    "legend.fontsize": FONT,
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


Drawer = Callable[[dict[str, Any]], Figure]


def draw(job: tuple[str, dict[str, Any], str, str]) -> tuple[bytes, float]:
    """Draw one chart (kind, data, title, alt): its SVG bytes and the seconds it took."""
    kind, data, title, alt = job
    started = time.perf_counter()
    figure = DRAWERS[kind](data)
    svg = _svg(figure, title, alt)
    plt.close(figure)
    return svg, time.perf_counter() - started


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


def _month_axis(ax: Any, months: list[str], labels: int = 4,
                quarterly_from: int | None = None) -> None:
    """Up to ``labels`` ticks on a month axis, labelled ``YYYY-MM``; from position
    ``quarterly_from`` on (a team that meets quarterly) only at its quarters' last months,
    where its readings are, labelled by quarter (``Q2 2026``)."""
    if quarterly_from is None:
        places = list(range(len(months)))
    else:
        places = [at for at, month in enumerate(months)
                  if at < quarterly_from or int(month[5:7]) % 3 == 0]
    step = max(1, -(-len(places) // labels))
    ticks = places[::step]
    ax.set_xticks(ticks)
    ax.set_xticklabels([_quarter(months[i]) if quarterly_from is not None
                        and i >= quarterly_from else months[i] for i in ticks], rotation=0)
    ax.set_xlim(-0.5, len(months) - 0.5)


def _quarter(month: str) -> str:
    """``2026-06`` → ``Q2 2026``, the quarter a quarterly team's reading dated then is of."""
    return f"Q{(int(month[5:7]) - 1) // 3 + 1} {month[:4]}"


def _format_axis(ax: Any, unit: str, sign: str = "$") -> None:
    from matplotlib.ticker import FuncFormatter

    if unit in ("usd", "usd_per_day"):
        ax.yaxis.set_major_formatter(_MoneyFormatter(sign))
        return
    formats: dict[str, Callable[[float, Any], str]] = {
        # A rate, and a ratio shown as a percentage (NRR's 1.04 is 104%), in %.
        **{percent: lambda v, _: f"{round(v * 100, 1):g}%" for percent in PERCENT_UNITS},
        "days": lambda v, _: f"{v:.0f} d",
    }
    if unit in formats:
        ax.yaxis.set_major_formatter(FuncFormatter(formats[unit]))


class _MoneyFormatter(Formatter):
    """Money ticks labelled together (`money_ticks`), with the decimals the axis needs: each
    labelled on its own in whole dollars, an axis from $4.40 to $5.20 read "$5, $5, $5, $5, $4"."""

    def __init__(self, sign: str) -> None:
        self.sign = sign

    def format_ticks(self, values: Any) -> list[str]:
        return money_ticks([float(v) for v in values], self.sign)

    def __call__(self, x: float, pos: int | None = None) -> str:
        return money(x, self.sign)


WHOLE = frozenset({"count", "days"})
"""Units whose axis is labelled in whole numbers (days as "12 d"): their ticks are whole too.
A count's axis read 3.2 and 3.4, and a sales cycle held at 12 days labelled "12 d" five times."""


def _whole_ticks(ax: Any) -> None:
    """Y ticks on whole numbers only, otherwise as matplotlib's default locator puts them."""
    ax.yaxis.set_major_locator(MaxNLocator(nbins="auto", steps=[1, 2, 2.5, 5, 10], integer=True))


def _draw_indicator(data: dict[str, Any]) -> Figure:
    """The overall line, emphasised, over small multiples: one panel per segment, sharing
    the overall panel's axis, each with the overall line faint behind it for reference."""
    months: list[str] = data["months"]
    overall, segments = data["series"][0], data["series"][1:]
    columns = 2
    rows = -(-len(segments) // columns)
    fig = plt.figure(figsize=(WIDTH, 2.8 + 1.9 * rows))
    grid = fig.add_gridspec(1 + rows, columns, height_ratios=[2.8] + [1.9] * rows,
                            hspace=0.75, wspace=0.35)
    ax = fig.add_subplot(grid[0, :])
    breaks = overall.get("breaks", ())
    # A team that meets quarterly: its readings from here on are a quarter's, three months
    # apart, joined quarter to quarter (absent from every monthly chart's data).
    quarters = data.get("quarterly_from")
    _line(ax, overall["values"], color=EMPHASIS, width=2.4, marker=True, breaks=breaks,
          quarterly_from=quarters)
    trail = overall["trailing"]
    if any(v is not None for v in trail):
        _line(ax, trail, color=INK, width=1, style="--", breaks=breaks, quarterly_from=quarters)
    low, high = _widened(ax.get_ylim(), [v for v in [*overall["values"], *trail]
                                         if v is not None], data["noise"], data["unit"])
    stacked = _label_rows([event["x"] for event in data["postmortems"]])
    for number, (event, row) in enumerate(zip(data["postmortems"], stacked, strict=True),
                                          start=1):
        ax.axvline(event["x"], color=INK, linestyle=":", linewidth=1)
        # Numbers of post-mortems a month or two apart stack instead of running together.
        ax.annotate(str(number), (event["x"], high), xytext=(0, 2 + LABEL_STEP * row),
                    textcoords="offset points", ha="center", va="bottom", color=INK)
    spans = data.get("effects", [])
    _draw_effect_spans(ax, [span for span in spans if span.get("segment", "all") == "all"])
    if data["done"]:
        # In ink, not a verdict's colour: the right way's green beside a fix that moved the
        # wrong way read as good news. What followed is the bars' colour alone.
        ax.scatter([d["x"] for d in data["done"]], [low] * len(data["done"]), marker="^",
                   s=40, color=INK, zorder=5, clip_on=False)
    ax.set_ylim(low, high)
    _month_axis(ax, months, quarterly_from=quarters)
    _format_axis(ax, data["unit"], data.get("currency", "$"))
    if data["unit"] in WHOLE:
        _whole_ticks(ax)
    ax.set_title(overall["label"], loc="left", fontweight="bold", color=INK,
                 pad=16 + LABEL_STEP * max(stacked, default=0))
    # The segment panels share one axis (so panels compare at a glance), wide enough for
    # every segment and the overall line drawn faint behind each.
    everything = [v for s in data["series"] for v in s["values"] if v is not None]
    shared: Any = None
    for index, series in enumerate(segments):
        panel = fig.add_subplot(grid[1 + index // columns, index % columns], sharey=shared)
        if shared is None:
            shared = panel
            span = (max(everything) - min(everything)) or abs(max(everything)) or 1.0
            panel.set_ylim(*_widened((min(everything) - 0.08 * span,
                                      max(everything) + 0.08 * span),
                                     everything, data["noise"], data["unit"]))
        _line(panel, overall["values"], color=FAINT, width=1, breaks=breaks, zorder=1,
              quarterly_from=quarters)
        _line(panel, series["values"], color=SEGMENT, width=1.8, marker=True,
              quarterly_from=quarters)
        _month_axis(panel, months, labels=2, quarterly_from=quarters)
        _format_axis(panel, data["unit"], data.get("currency", "$"))
        panel.yaxis.set_major_locator(MaxNLocator(3, integer=data["unit"] in WHOLE))
        # Within its panel: a long name ran over the next panel's title, or past the chart's
        # edge (which widened the chart, and shrank it on the page). The description names
        # every panel in full.
        width = panel.get_position().width * fig.get_figwidth() * 72
        panel.set_title(_fitted(series["label"], width), loc="left", color=INK)
        # An action aimed at one segment is marked on that segment's panel.
        _draw_effect_spans(panel, [span for span in spans if span.get("segment") == series["name"]])
    return fig


NOISE_SPANS = 4
"""The fewest noise thresholds an indicator panel is tall. A move under the threshold is one
its page calls flat: it takes at most a quarter of the panel, where matplotlib fitted the
axis to the readings and a flat $42,833 → $42,500 ran from the panel's top to its bottom."""


def _widened(limits: tuple[float, float], values: list[float], noise: Sequence[float],
             unit: str) -> tuple[float, float]:
    """An indicator panel's y range: ``limits`` (fitted to ``values``), or, when they span
    less than `NOISE_SPANS` noise thresholds, that many about their middle. ``noise`` is the
    threshold as (an absolute part, a part of the largest reading): one percentage point for a
    rate, 2 % of the figure otherwise, as the verdicts judge. Kept at or above zero, and a
    rate at or under 100 %, where the readings are. A count's or a number of days' axis is two
    units tall at least, so its ticks can be whole."""
    low, high = limits
    if not values:
        return low, high
    absolute, relative = noise
    least = NOISE_SPANS * (absolute + relative * max(abs(v) for v in values))
    if unit in WHOLE:
        least = max(least, 2.0)  # room for whole ticks: a lone count of 3 read 2.85 to 3.15
    if high - low >= least:
        return low, high
    middle = (low + high) / 2
    low, high = middle - least / 2, middle + least / 2
    if low < 0 <= min(values):
        low, high = 0.0, least
    elif unit == "rate" and high > 1 >= max(values):
        low, high = 1 - least, 1.0
    return low, high


EFFECT_COLORS = {"moved-the-right-way": PALETTE[2], "moved-the-wrong-way": PALETTE[3],
                 "no-clear-change": PALETTE[4]}
"""After-span colours by verdict (bluish green, vermilion, reddish purple)."""


def _draw_effect_spans(ax: Any, spans: list[dict[str, Any]]) -> None:
    """Each measured action: its before mean (a soft grey band) and after mean (by verdict)."""
    if not spans:
        return
    # One call per colour: a busy team's chart can carry hundreds of actions.
    ax.hlines([s["before"][2] for s in spans], [s["before"][0] - 0.3 for s in spans],
              [s["before"][1] + 0.3 for s in spans], colors=FAINT, linewidth=5,
              zorder=1, gid="before-actions")  # under the lines, which show through no band
    for verdict, color in EFFECT_COLORS.items():
        rows = [s for s in spans if s["verdict"] == verdict]
        if rows:
            ax.hlines([s["after"][2] for s in rows], [s["after"][0] - 0.3 for s in rows],
                      [s["after"][1] + 0.3 for s in rows], colors=color, linewidth=3,
                      zorder=4, gid=f"after-actions-{verdict}")
    # No key on the chart: on a busy panel it covered the lines. The note under the chart
    # names the colours, and the page lists each action with what followed it.


LABEL_STEP = 11
"""Points between two stacked rows of post-mortem numbers (the text is 11 pt)."""


def _label_rows(xs: list[float], gap: float = 2.5) -> list[int]:
    """A row for each label at ``xs`` (in order): the lowest row whose last label is at
    least ``gap`` months to its left, so no two numbers on a row touch."""
    last: list[float] = []
    rows = []
    for x in xs:
        row = next((i for i, seen in enumerate(last) if x - seen >= gap), len(last))
        if row == len(last):
            last.append(x)
        last[row] = x
        rows.append(row)
    return rows


def _wrap(label: str, width: int = 20, lines: int = 2) -> str:
    """A long axis label over at most two short lines, so the chart keeps its width (and its
    text its size) on a phone."""
    wrapped = textwrap.wrap(label, width) or [""]
    if len(wrapped) > lines:
        wrapped = [*wrapped[: lines - 1], textwrap.shorten(" ".join(wrapped[lines - 1:]),
                                                           width, placeholder="…")]
    return "\n".join(wrapped)


def _fitted(label: str, width: float, lines: int = 2) -> str:
    """``label`` over at most ``lines`` lines, each at most ``width`` points wide in the
    chart's font, broken between words where a line has a space (a name in Japanese has
    none), the last line ending in "…" where the rest does not fit."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    font = FontProperties(family=plt.rcParams["font.family"], size=FONT)

    def fits(text: str) -> bool:
        return bool(text_to_path.get_text_width_height_descent(text, font, ismath=False)[0]
                    <= width)

    shown: list[str] = []
    rest = " ".join(label.split())
    while rest and not fits(rest):
        mark = "…" if len(shown) == lines - 1 else ""
        # The most characters that fit with the mark (at least one, so the loop ends).
        low, high = 1, len(rest)
        while low < high:
            middle = (low + high + 1) // 2
            if fits(rest[:middle].rstrip() + mark):
                low = middle
            else:
                high = middle - 1
        space = rest.rfind(" ", 0, low + 1)
        cut = space if space > 0 else low
        shown.append(rest[:cut].rstrip() + mark)
        rest = "" if mark else rest[cut:].lstrip()
    return "\n".join([*shown, rest] if rest else shown)


def _line(ax: Any, values: list[float | None], color: str, width: float, style: str = "-",
          marker: bool = False, alpha: float = 1.0, breaks: Sequence[int] = (),
          zorder: float = 2, quarterly_from: int | None = None) -> None:
    """A line through ``values``, in the pieces `line_pieces` cuts it into."""
    xs: list[float] = []
    ys: list[float] = []
    for piece in line_pieces(values, breaks, quarterly_from):
        if xs:  # matplotlib breaks a line at NaN
            xs.append((piece[0] + xs[-1]) / 2)
            ys.append(float("nan"))
        for x in piece:
            xs.append(x)
            ys.append(values[x])  # type: ignore[arg-type]  # a piece holds readings only
    ax.plot(xs, ys, color=color, linewidth=width, linestyle=style, alpha=alpha, zorder=zorder,
            marker="o" if marker else None, markersize=3.5)


def _draw_causes(data: dict[str, Any]) -> Figure:
    months: list[str] = data["months"]
    causes = data["causes"]
    fig, ax = plt.subplots(figsize=(WIDTH - 1.1, 1.2 + 0.5 * max(1, len(causes))))
    for row, cause in enumerate(causes):
        xs = [i for i, n in enumerate(cause["counts"]) if n]
        sizes = [18 + 30 * cause["counts"][i] for i in xs]
        ax.scatter(xs, [row] * len(xs), s=sizes, color=PALETTE[row % len(PALETTE)], zorder=3)
    ax.set_yticks(range(len(causes)))
    ax.set_yticklabels([_wrap(c["title"]) for c in causes])
    ax.set_ylim(len(causes) - 0.5, -0.5)
    _month_axis(ax, months)
    ax.set_title(data["title"], loc="left", color=INK)
    return fig


def _draw_actions(data: dict[str, Any]) -> Figure:
    months: list[str] = data["months"]
    fig, ax = plt.subplots(figsize=(WIDTH, 3.6))
    xs = list(range(len(months)))
    ax.bar([x - 0.2 for x in xs], data["opened"], width=0.4, color=PALETTE[0], label="opened")
    ax.bar([x + 0.2 for x in xs], data["closed"], width=0.4, color=PALETTE[2], label="closed")
    ax2 = ax.twinx()
    ax2.plot(xs, data["backlog"], color=PALETTE[3], linewidth=2, label="open backlog")
    # From zero, as the bars' axis is: a backlog of 2 sat on the bars' zero line. Up to one
    # at least: a backlog of none all along read 0.00 to 0.05.
    ax2.set_ylim(0, max(ax2.get_ylim()[1], 1))
    # Actions are counted whole: the axes read 0.5 and 1.5 when a month had one or two.
    _whole_ticks(ax)
    _whole_ticks(ax2)
    ax2.spines["right"].set_visible(True)
    ax2.grid(False)
    ax.set_ylabel("actions per month")
    ax2.set_ylabel("open at month end")
    _month_axis(ax, months)
    handles = ax.get_legend_handles_labels()
    extra = ax2.get_legend_handles_labels()
    ax.legend(handles[0] + extra[0], handles[1] + extra[1], loc="upper center",
              bbox_to_anchor=(0.5, -0.12), ncols=3, handlelength=1.2, columnspacing=0.8)
    ax.set_title(data["title"], loc="left", color=INK)
    return fig


def _draw_attainment(data: dict[str, Any]) -> Figure:
    rows = data["rows"]
    height = 1.2 + 0.55 * max(1, len(rows))
    fig, ax = plt.subplots(figsize=(WIDTH - 1.1, height))
    # A goal with no ratio (brought down to 0, a goal of 0, below zero): no bar, its
    # judgement written ("met at 0", "met", "not met").
    values = [0.0 if r["attainment"] is None else r["attainment"] * 100 for r in rows]
    # A figure from part of the quarter ("partial") is neither met nor missed: grey, not the
    # vermilion of a miss, and its label says so, as the table does.
    colors = [NOT_JUDGED if "partial" in r else PALETTE[2] if r["met"] else PALETTE[3]
              for r in rows]
    ax.barh(range(len(rows)), values, color=colors)
    ax.axvline(100, color=INK, linewidth=1)
    for i, (v, r) in enumerate(zip(values, rows, strict=True)):
        # A bar ending just short of the goal would have its label struck through by the
        # goal line: the label starts past the line instead.
        at = 101 if 85 < v < 100 else max(v, 0) + 1
        # As the table and the sentence show it: a goal 0.3 % short is 99.7 %, never 100 %.
        shown = r["label"] if r["attainment"] is None else pct(r["attainment"])
        ax.text(at, i, shown, va="center")
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([_wrap(r["metric"]) for r in rows])
    ax.set_ylim(len(rows) - 0.5, -0.5)
    # A figure below zero against a goal above it (-40 %) draws its bar left of 0.
    ax.set_xlim(min([0.0, *(v - 30 for v in values if v < 0)]),
                max(130, *(v + 30 for v in values)))
    ax.set_xlabel("attainment (100% = goal met)")
    if any("partial" in r for r in rows):
        # Below the chart, not beside the bar: a longer label there widened the chart, and
        # with it shrank every label on a phone.
        from matplotlib.patches import Patch

        # Half an inch under the axes (they take 77 % of the figure's height): past the
        # axis label.
        # "yet" unless no bar's missing months can still come (its indicator retired).
        said = "not judged" if all(r.get("ended") for r in rows if "partial" in r) \
            else "not judged yet"
        ax.legend(handles=[Patch(color=NOT_JUDGED, label=said)],
                  loc="upper left", bbox_to_anchor=(0, -0.5 / (0.77 * height)),
                  frameon=False, handlelength=1.2, borderaxespad=0)
    ax.set_title(data["title"], loc="left", color=INK)
    return fig


DRAWERS: dict[str, Drawer] = {
    "indicator": _draw_indicator,
    "causes": _draw_causes,
    "actions": _draw_actions,
    "attainment": _draw_attainment,
}
