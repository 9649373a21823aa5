"""What each chart shows: the data behind every chart of the site, then drawing them.

Data is gathered into plain dicts (the chart cache's key), so a chart is redrawn only when
what it shows changed.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from ..analysis.analyze import ALL, Analysis
from ..analysis.effectiveness import Effectiveness, Verdict
from ..analysis.link import Links
from ..analysis.series import NOISE_RATE, NOISE_RELATIVE, comparable_parts, judge, kept_overall
from ..analysis.takeaway import attainment_takeaway, backlog_takeaway, series_takeaway
from ..gcpause import paused_gc
from ..messages import and_list
from ..paths import chart_of_indicator
from ..records.corpus import Entry, KnowledgeBase
from ..records.formatting import (
    attainment,
    count,
    exact_value,
    format_value,
    goal_met,
    month_name,
    no_ratio_label,
    pct,
    period_name,
    quarter_name,
)
from ..records.schema import Measure, Retro, Review
from ..records.taxonomy import Unit, quarterly_at
from ..records.types import month_of, next_month
from .charts import Chart, ChartCache, ChartRequest, render_charts
from .lines import line_pieces

MAX_CAUSES = 12
"""The causes chart shows the most cited causes only, so it stays readable."""


@dataclass(frozen=True)
class Marker:
    """A mark on an indicator chart, listed under it with a link."""

    kind: str
    """"postmortem" (a numbered dotted line), "action" (a triangle: an action of the chart's
    team done) or "measured" (another team's action, drawn only by the bars of what followed
    it on these readings: its team does not report the indicator)."""
    label: str
    """What the chart shows at the mark: the post-mortem's number, a triangle, or nothing."""
    id: str
    """The post-mortem's record id, or the action's id."""
    date: str
    """When: the event's end, or the day the action was done (ISO)."""
    text: str
    """The post-mortem's title, or the action's title."""
    record: str
    """The record to link to: the post-mortem, or the record that raised the action."""
    followed: Verdict | None = None
    """What followed an action on this chart's readings (None: a post-mortem, or an action
    not judged on them). The list under the chart says it: a bar's colour alone did."""
    segment: str = ALL
    """The segment an action was judged on (its bars are on that segment's panel)."""
    team: str | None = None
    """The team that held a "measured" action when it was done (another team than the
    chart's): the team that raised it, or the one a record handed it to before then."""
    segment_name: str = ""
    """``segment`` as readers see it: its name in taxonomy.yml, else its id."""


class Drawn(NamedTuple):
    """What an indicator chart draws of its overall line, as its words must say it (a chart
    of one reading is a dot, with no line and no mean)."""

    readings: int
    """The overall's readings on the chart."""
    line: bool
    """Whether any two of them are joined by a line (else each is a dot)."""
    mean: bool
    """Whether its trailing 3-month mean is drawn, dashed: two means joined at least (none
    before a series' third reading, and a lone one draws nothing)."""
    panels: int
    """The segment panels under it."""
    quarterly: bool = False
    """Whether its readings are a quarterly team's, one a quarter (its words say quarters)."""
    means: tuple[str, ...] = ()
    """The steps of the trailing means drawn, in order: ("month",), ("quarter",), or, of a
    team that met monthly until its ``quarterly_from``, both."""
    switched: str = ""
    """The quarter a team that met monthly until then began meeting quarterly (``Q3 2026``),
    when the chart shows months before it: its line breaks there."""


@dataclass
class Figures:
    """Every chart of the site, by what it is for."""

    indicators: dict[tuple[str, str], Chart] = field(default_factory=dict)
    """(indicator id, team id) → chart."""
    causes: Chart | None = None
    actions: Chart | None = None
    attainment: dict[str, Chart] = field(default_factory=dict)
    """review record id → chart."""
    markers: dict[tuple[str, str], list[Marker]] = field(default_factory=dict)
    """(indicator id, team id) → the post-mortems and done actions marked on its chart."""
    drawn: dict[tuple[str, str], Drawn] = field(default_factory=dict)
    """(indicator id, team id) → what its chart draws of the overall line (its caption's
    words)."""
    backlog: list[tuple[str, int, int, int]] = field(default_factory=list)
    """The actions chart's figures, a row per month it draws: (``YYYY-MM``, actions opened,
    actions closed, actions open at the month's end). The page gives them as a table: its
    bars' heights were in no text."""

    def all(self) -> list[Chart]:
        """Every chart."""
        charts = [*self.indicators.values(), *self.attainment.values()]
        charts += [c for c in (self.causes, self.actions) if c is not None]
        return sorted(charts, key=lambda c: c.path)


def record_month(entry: Entry) -> str:
    """The month a record speaks for: a retro's period, otherwise the month it was held."""
    return entry.record.period if isinstance(entry.record, Retro) else month_of(entry.date)


def month_range(first: str, last: str) -> list[str]:
    """Every ``YYYY-MM`` from ``first`` to ``last`` inclusive."""
    return list(_month_range(first, last))


@lru_cache(maxsize=256)
def _month_range(first: str, last: str) -> tuple[str, ...]:
    # Hundreds of charts share a few axes: each is counted out once.
    months = [first]
    while months[-1] < last:
        months.append(next_month(months[-1]))
    return tuple(months)


def _position(index: dict[str, int], day: dt.date) -> float | None:
    """A date's x position on a month axis (month index plus the fraction of the month);
    ``index`` is the axis' position of each month (`_month_index`)."""
    at = index.get(month_of(day))
    if at is None:
        return None
    return at + (day.day - 1) / _month_length(day.year, day.month) - 0.5


@lru_cache(maxsize=1024)
def _month_length(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _month_index(months: list[str]) -> dict[str, int]:
    """Each month's position on an axis (a list's ``index`` per point is slow at scale)."""
    return {month: at for at, month in enumerate(months)}


def _clean(value: Any) -> float | None:
    # Plain floats (nearly every value) are checked without pandas: NaN is the one float
    # unequal to itself.
    if type(value) is float:
        return None if value != value else round(value, 6)
    return None if value is None or pd.isna(value) else round(float(value), 6)


def draw_figures(kb: KnowledgeBase, links: Links, analysis: Analysis, cache: ChartCache,
                 effects: Effectiveness | None = None) -> Figures:
    """Gather each chart's data and draw it (or take it from the cache)."""
    # Gathering allocates hundreds of thousands of small objects that all stay alive: the
    # cyclic collector is paused for it (not while drawing, where it keeps memory down).
    with paused_gc():
        figures, requests = _gather(kb, links, analysis, effects)
    # Draw what the cache does not have (in parallel when there is much to draw).
    charts = dict(zip(requests, render_charts(list(requests.values()), cache), strict=True))
    for purpose, chart in charts.items():
        if purpose[0] == "indicator":
            figures.indicators[(purpose[1], purpose[2])] = chart
        elif purpose[0] == "attainment":
            figures.attainment[purpose[1]] = chart
        elif purpose[0] == "causes":
            figures.causes = chart
        else:
            figures.actions = chart
    return figures


def _gather(kb: KnowledgeBase, links: Links, analysis: Analysis,
            effects: Effectiveness | None) -> tuple[Figures, dict[tuple[str, ...], ChartRequest]]:
    """Every chart's request (its data and words), and the markers listed under charts."""
    figures = Figures()
    requests: dict[tuple[str, ...], ChartRequest] = {}
    lines = _indicator_lines(analysis.trend)
    # Done actions by chart, as (day done, id, title, the record that raised it): on the
    # chart of the team that held the action when it was done, the team it was handed to
    # if a record had handed it over by then (on the raising team's, a fix Pipeline
    # Development did after Inbound SDR was merged into it fell after that chart's last
    # month and was marked on no chart at all).
    done_of: dict[tuple[str, str | None], list[tuple[dt.date, str, str, str]]] = {}
    for state in links.actions.values():
        done_day = state.done_date
        if state.action.indicator and done_day is not None:
            done_of.setdefault((state.action.indicator, state.done_team), []).append(
                (done_day, state.id, state.action.title, state.entry.id))
    spans_of = _effect_spans(effects)
    postmortem_entries = kb.postmortems  # a filtered list, made afresh on each call
    titles = {entry.id: entry.title for entry in postmortem_entries}
    team_names: dict[str, str] = {}
    for known in kb.taxonomy.teams:
        team_names.setdefault(known.id, known.name)
    postmortems_of = _postmortems_by_team(postmortem_entries)
    marks_of: dict[tuple[str | None, str, str], list[Marker]] = {}
    quarterly_since = kb.taxonomy.quarterly_since()
    for (ind_id, team), (months, by_segment, changed) in sorted(lines.items()):
        # A team that meets quarterly reads one reading a quarter: its chart's words say so
        # (of a team that met monthly before its quarterly_from, once its latest is a quarter).
        quarterly = quarterly_at(quarterly_since, team, months[-1])
        indicator = kb.taxonomy.indicator(ind_id)
        index = _month_index(months)
        # The panels in the taxonomy's order (its readers' order: smb, mid-market,
        # enterprise), not by id, which put Enterprise before SMB.
        segments = [ALL, *sorted((s for s in by_segment if s != ALL),
                                 key=indicator.segment_key)] \
            if indicator.segment_by else [ALL]
        series = []
        numbers = hashlib.blake2b(digest_size=20)
        values_of_overall: list[float | None] = []
        trailing_of_overall: list[float | None] = []
        for segment in segments:
            line = by_segment.get(segment) or Line(
                [None] * len(months), [None] * len(months),
                np.full(2 * len(months), np.nan).tobytes())
            values, trailing = line.values, line.trailing
            if segment == ALL:
                values_of_overall, trailing_of_overall = values, trailing
            numbers.update(line.numbers)
            series.append({
                "name": segment,
                "label": ("all segments" if indicator.segment_by else indicator.label)
                if segment == ALL else kb.taxonomy.segment_name(indicator.segment_by, segment),
                "values": values,
                "trailing": trailing,
                # Where the overall's segments changed for good, its line breaks (given only
                # then: every other chart, and its cache key, stays as it was).
                **({"breaks": [index[month] for month in changed]}
                   if segment == ALL and changed else {}),
            })
        postmortems = [{"x": at + part - 0.5, "id": record_id, "date": date}
                       for month, part, record_id, date in postmortems_of.get(team, ())
                       if (at := index.get(month)) is not None]
        done_marks = [(x, action_id, day.isoformat(), action_title, record)
                      for day, action_id, action_title, record in sorted(
                          done_of.get((ind_id, team), []))
                      if (x := _position(index, day)) is not None]
        done = [{"x": x, "id": action_id, "date": date}
                for x, action_id, date, _, _ in done_marks]
        team_name = team_names.get(team, str(team))
        spans = _chart_spans(spans_of.get((ind_id, team), []), index, segments)
        unit = indicator.unit
        # The sentence tells the stretch since the overall's segments last changed: the step
        # at the change is other segments, not a move (the table calls that month new).
        told: list[float | None] = list(values_of_overall)
        if changed:
            since = index[changed[-1]]
            told = [None if at < since else value for at, value in enumerate(told)]
        switched = quarterly_since.get(team) if quarterly else None
        monthly_until = None
        if switched and switched in index:
            # A team that met monthly until its quarterly_from: its quarters are told on
            # their own, as its trend table compares them (a quarter is not a month's move).
            # Its months are still drawn: a first quarter is not "its only reading so far".
            monthly_until = next((months[at] for at in range(index[switched] - 1, -1, -1)
                                  if told[at] is not None), None)
            told = [None if at < index[switched] else value for at, value in enumerate(told)]
        title = series_takeaway(f"{indicator.label} for {team_name}", months, told,
                                lambda v, shown=indicator.shown: format_value(v, shown),  # type: ignore[misc]
                                indicator.better.value == "up",
                                partial(judge, rate=unit is Unit.RATE,
                                        up=indicator.better.value == "up"), quarterly,
                                monthly_until)
        # What is drawn, cut into lines as the drawing cuts them: "the overall line with its
        # dashed trailing 3-month mean" was said of a single dot.
        breaks = [index[month] for month in changed]
        # Where its readings are a quarter's on the month axis: all of them, or (a team that
        # met monthly until its quarterly_from) from the first month of that quarter.
        quarters_at = (index.get(switched, 0) if switched else 0) if quarterly else None
        before = bool(quarters_at)  # the chart shows months before its quarters
        # Where the segments changed, named as a month or as a quarter by where it falls.
        changes = [period_name(month, quarters_at is not None and index[month] >= quarters_at)
                   for month in changed]
        pieces = line_pieces(values_of_overall, breaks, quarters_at)
        means = [piece for piece in line_pieces(trailing_of_overall, breaks, quarters_at)
                 if len(piece) > 1]
        drawn = figures.drawn[(ind_id, team)] = Drawn(
            sum(len(piece) for piece in pieces), any(len(piece) > 1 for piece in pieces),
            bool(means), len(segments) - 1, quarterly,
            tuple(dict.fromkeys("quarter" if quarters_at is not None and piece[0] >= quarters_at
                                else "month" for piece in means)),
            quarter_name(str(switched)) if before else "")
        apart = "one a quarter" if quarterly else "months apart"
        kind, shape = (("Line chart", "the overall line") if drawn.line
                       else ("Chart", "the overall reading as a dot") if drawn.readings == 1
                       else ("Dot chart", f"the overall readings as dots, {apart}")
                       if drawn.readings else ("Chart", "no overall reading"))
        step = "quarter" if quarterly else "month"
        first, last = ((quarter_name(months[0]), quarter_name(months[-1])) if quarterly
                       else (months[0], months[-1]))
        by = f"by {step}"
        if switched and months[0] < switched:
            # Its months before its quarterly_from quarter, then its quarters.
            first = months[0]
            by = f"by month, then from {quarter_name(switched)} by quarter,"
        alt = (f"{title} {kind} of {indicator.label} "
               + (f"for {team_name}, {first}" if len(months) == 1 else
                  f"{by} for {team_name}, {first} to {last}")
               + f": {shape}"
               # Of a team that switched, the mean of its months is no 3-quarter mean.
               + (" with its dashed trailing "
                  + ", then ".join(f"3-{each} mean" for each in drawn.means) if drawn.mean else "")
               + (f", broken where its quarters begin ({drawn.switched}): its monthly readings "
                  "and its quarterly ones are not joined" if drawn.switched and drawn.line else "")
               + (f", broken where the segments it combines changed ("
                  f"{and_list(changes)})"
                  if changed else "")
               + (", then one small panel per segment ("
                  + ", ".join(kb.taxonomy.segment_name(indicator.segment_by, segment)
                              for segment in segments[1:]) + ")"
                  if len(segments) > 1 else "")
               # What the chart marks, when it marks anything ("0 completed actions as
               # triangles" described a legend the chart does not have).
               + (f"; {and_list(marked_as)}, listed under the chart" if (marked_as := [
                   *([f"{count(len(postmortems), 'post-mortem')} marked by number"]
                     if postmortems else []),
                   *([f"{count(len(done), 'completed action')} by "
                       + ("a triangle" if len(done) == 1 else "triangles")] if done else [])])
                  else "")
               # Each verdict counted: the bars' colours are no one's only way to tell them.
               + (f"; {count(len(spans), 'action')} with the mean of three readings before "
                  f"and after {'it' if len(spans) == 1 else 'them'} marked, what followed: "
                  + ", ".join(f"{sum(1 for s in spans if s['verdict'] == verdict.slug)} "
                              f"{verdict.value}" for verdict in _BARRED)
                  if spans else "") + ".")
        # A team's post-mortems are marked alike on each of its charts with the same axis.
        marked = marks_of.get((team, months[0], months[-1]))
        if marked is None:
            marked = marks_of[(team, months[0], months[-1])] = [
                Marker("postmortem", str(n), str(p["id"]), str(p["date"]),
                       titles[str(p["id"])], str(p["id"]))
                for n, p in enumerate(postmortems, start=1)]
        figures.markers[(ind_id, team)] = [
            replace(mark, segment_name=kb.taxonomy.segment_name(indicator.segment_by,
                                                                mark.segment))
            if mark.segment != ALL else mark
            for mark in (
                *marked,
                *(Marker("action", "▲", action_id, date, action_title, record,
                         *_followed(effects, action_id, team))
                  for _, action_id, date, action_title, record in done_marks),
                *_measured_elsewhere(effects, spans, {mark[1] for mark in done_marks}))]
        data = {"months": months, "series": series, "postmortems": postmortems, "done": done,
                "effects": spans, "unit": indicator.shown, "title": title,
                # The trend tables' noise threshold (absolute, a part of the figure): the
                # y axis is never so short that a move they call flat fills it.
                "noise": [NOISE_RATE, 0.0] if unit is Unit.RATE else [0.0, NOISE_RELATIVE]}
        if quarters_at is not None:  # only then: every monthly chart's data stays as it was
            data["quarterly_from"] = quarters_at
        if indicator.unit in (Unit.USD, Unit.USD_PER_DAY):  # drawn in another process
            data["currency"] = kb.taxonomy.currency
        # The key reads the lines' numbers from one digest (each line as many numbers as
        # there are months, so their bytes in segment order say which is which).
        keyed = {**data, "series": [{k: v for k, v in line.items()
                                     if k not in ("values", "trailing")} for line in series],
                 "lines": numbers.hexdigest()}
        requests[("indicator", ind_id, team)] = ChartRequest(
            chart_of_indicator(ind_id, team), "indicator", data, title, alt, keyed)

    causes = _causes_chart(links)
    if causes is not None:
        requests[("causes",)] = causes
    actions = _actions_chart(kb, links)
    if actions is not None:
        requests[("actions",)] = actions
        backlog = actions.data
        figures.backlog = list(zip(backlog["months"], backlog["opened"], backlog["closed"],
                                   backlog["backlog"], strict=True))
    for entry in kb.reviews:
        assert isinstance(entry.record, Review)
        # Each row is charted with the figure it is judged on (`ScorecardRow.judged_on`: the
        # computed one where none was typed, or where it agrees with the typed one); one
        # computed from part of the quarter is not judged met or missed.
        rows = analysis.scorecards.get(entry.id, [])
        bars: list[dict[str, Any]] = []
        # Rows with no figure at all (no actual, nothing to compute it from): not charted,
        # but named, so "the goal was met" is not said of a quarter with five. Nor are rows
        # whose typed and computed figures fall either side of the goal: named, and why.
        unjudged: list[str] = []
        disputed: list[tuple[str, str]] = []
        for row in rows:
            judged = row.as_judged
            if row.dispute:
                disputed.append((judged.metric, row.dispute))
                continue
            met = goal_met(judged)
            if met is None:
                unjudged.append(judged.metric)
                continue
            # A goal with no ratio to draw (a lower-is-better goal brought down to 0, a goal
            # of 0, a goal or figure below zero) is a row of its own, its bar empty and its
            # judgement written: "met at 0", "met", "not met".
            a = attainment(judged)
            bars.append(
                {"metric": judged.metric, "attainment": None if a is None else round(a, 6),
                 "met": met,
                 **({"partial": row.figure.partial} if row.so_far and row.figure else {}),
                 # The rest of the quarter will never come in: not judged, and not "yet".
                 **({"ended": row.ended} if row.so_far and row.ended else {}),
                 **({"label": no_ratio_label(judged), "figure": _against(judged, row.unit)}
                    if a is None else {})})
        if bars:
            heading = f"Plan vs actual — {entry.record.period}"
            title = attainment_takeaway(entry.record.period, bars, unjudged, disputed)
            beaten = sum(1 for r in bars if r["met"] and "partial" not in r)
            alt = (f"{title} Bar chart of attainment for {count(len(bars), 'goal')} of "
                   f"{entry.record.period}; {beaten} met or beat their goal. By goal: "
                   + ", ".join(_bar_text(r) for r in bars) + ".")
            requests[("attainment", entry.id)] = ChartRequest(
                f"charts/attainment-{entry.id}.svg", "attainment",
                {"rows": bars, "title": heading}, title, alt)
    return figures, requests


def _against(measure: Measure, unit: str) -> str:
    """A goal's figure next to it, in its unit: "−$3,500 against a goal of −$2,000"."""
    assert measure.actual is not None  # only asked of a row that has a figure
    return f"{exact_value(measure.actual, unit)} against a goal of {exact_value(measure.goal, unit)}"


def _bar_text(row: dict[str, Any]) -> str:
    """One goal of an attainment chart as its text alternative says it: "Win rate 105%",
    "Net burn not met", "Open opportunities 127% (from 2 of 3 months, not judged)"."""
    shown = row["label"] if row["attainment"] is None else pct(row["attainment"])
    partial = f" (from {row['partial']}, not judged)" if "partial" in row else ""
    return f"{row['metric']} {shown}{partial}"


class Line(NamedTuple):
    """One segment's line on an indicator chart's month axis (rounded by `_rounded`)."""

    values: list[float | None]
    """Each month's value, None where the month has no reading."""
    trailing: list[float | None]
    """Each month's trailing mean, None where there is none."""
    numbers: bytes
    """Both as float64 bytes (NaN for None): what the chart's cache key hashes in their place
    (`ChartRequest.key_data`), as writing a quarter of a million numbers out as JSON for the
    keys took longer than gathering them."""


Lines = tuple[list[str], dict[str, Line], list[str]]
"""A chart's months, its lines by segment, and the months its overall's segments changed."""
"""An indicator chart's month axis, and each segment's line on it."""


def _indicator_lines(trend: pd.DataFrame) -> dict[tuple[str, str], Lines]:
    """Every (indicator, team) chart's lines, from the trend table.

    Column-wise: the rows are grouped by series with one NumPy sort and every series' readings
    placed on one month grid by position, rather than row by row in Python (over a hundred
    thousand rows at 10,000 records).
    """
    if trend.empty:
        return {}
    # A missing id (none is expected) is grouped as one more value, not dropped.
    columns = [pd.factorize(trend[name], use_na_sentinel=False)
               for name in ("indicator", "team", "segment")]
    names = [[str(name) for name in uniques] for _, uniques in columns]
    indicators, teams, segments = (codes for codes, _ in columns)
    parts = trend["parts"].to_numpy(dtype=object)
    methods = trend["method"].to_numpy(dtype=object)
    # Overall rows of segments other than the usual set are left out: a gap in the line, no
    # dip. Only overall rows count toward the usual set (`usual_parts` reads them in table
    # order, each series in period order).
    keep = np.ones(len(trend), dtype=bool)
    changes: dict[tuple[str, str], list[str]] = {}  # months a new set of segments begins
    trend_periods = trend["period"].to_numpy(dtype=object)
    if ALL in names[2]:
        overall = np.flatnonzero(segments == names[2].index(ALL))
        rows = list(zip([names[0][code] for code in indicators[overall].tolist()],
                        [names[1][code] for code in teams[overall].tolist()],
                        [comparable_parts(part, method) for part, method in zip(
                            parts[overall].tolist(), methods[overall].tolist(), strict=True)],
                        strict=True))
        kept, starts_set = kept_overall(rows)
        for row, on, begins in zip(overall.tolist(), kept, starts_set, strict=True):
            keep[row] = on
            if begins:
                changes.setdefault((names[0][indicators[row]], names[1][teams[row]]),
                                   []).append(str(trend_periods[row]))
    # Each row's series as one integer; a stable sort keeps each series' rows in table order
    # (a month read twice keeps its last row, as the dict this replaced did).
    codes = (indicators.astype(np.int64) * len(names[1]) + teams) * len(names[2]) + segments
    order = np.flatnonzero(keep)
    if not len(order):
        return {}
    order = order[np.argsort(codes[order], kind="stable")]
    starts = np.flatnonzero(np.diff(codes[order], prepend=-1))
    series_of = np.cumsum(np.diff(codes[order], prepend=codes[order[0]]) != 0)
    # Each row's month as a position on one axis from the first month to the last: a chart's
    # axis is a slice of it.
    month_codes, month_names = pd.factorize(trend["period"], sort=True)
    axis = month_range(str(month_names[0]), str(month_names[-1]))
    index = _month_index(axis)
    at = np.array([index[str(month)] for month in month_names], dtype=np.int64)[month_codes][order]
    grids, cells = [], []
    for name in ("value", "trailing_mean"):
        grid = np.full((len(starts), len(axis)), np.nan)
        grid[series_of, at] = _rounded(trend[name].to_numpy(dtype=np.float64,
                                                            na_value=np.nan))[order]
        grids.append(grid)
        cells.append(grid.astype(object))
        cells[-1][np.isnan(grid)] = None
    firsts = np.minimum.reduceat(at, starts).tolist()
    lasts = np.maximum.reduceat(at, starts).tolist()
    charts: dict[tuple[str, str], list[int]] = {}
    for series, row in enumerate(order[starts].tolist()):
        charts.setdefault((names[0][indicators[row]], names[1][teams[row]]), []).append(series)
    lines: dict[tuple[str, str], Lines] = {}
    for key, members in charts.items():
        first = min(firsts[series] for series in members)
        last = max(lasts[series] for series in members)
        lines[key] = (month_range(axis[first], axis[last]), {
            names[2][segments[order[starts[series]]]]: Line(
                cells[0][series, first:last + 1].tolist(),
                cells[1][series, first:last + 1].tolist(),
                grids[0][series, first:last + 1].tobytes()
                + grids[1][series, first:last + 1].tobytes())
            for series in members}, changes.get(key, []))
    return lines


def _rounded(values: np.ndarray) -> np.ndarray:
    """``values`` rounded to 6 decimals exactly as Python's ``round(value, 6)`` does (the
    charts' data, and so their cache keys, must not change with how they are computed).

    NumPy scales, rounds half to even and divides back: the division of a whole number by
    10⁶ is the double nearest that decimal, as ``round`` gives. The scaling itself is inexact,
    so a value whose scaled form lies within a few units in the last place of a half (where
    NumPy and ``round`` could pick different sides), or that is too large or not finite, is
    rounded by ``round``.
    """
    scaled = values * 1e6
    out: np.ndarray = np.rint(scaled) / 1e6
    with np.errstate(invalid="ignore"):
        unsure = (np.abs(scaled - np.floor(scaled) - 0.5) <= np.abs(scaled) * 2.0 ** -50) \
            | ~(np.abs(scaled) < 2.0 ** 52)
    for at in np.flatnonzero(unsure).tolist():
        value = float(values[at])
        out[at] = value if value != value else round(value, 6)
    return out


def _postmortems_by_team(
        postmortems: list[Entry]) -> dict[str | None, list[tuple[str, float, str, str]]]:
    """Each team's ``postmortems`` in date order, as (the month its event ended, the fraction of
    that month gone at its end, its id, the end date), for the marks on its charts: worked
    out once per team, not once per chart."""
    by_team: dict[str | None, list[Entry]] = {}
    for entry in postmortems:
        by_team.setdefault(entry.team, []).append(entry)
    marks: dict[str | None, list[tuple[str, float, str, str]]] = {}
    for team, entries in by_team.items():
        marks[team] = []
        for entry in sorted(entries, key=lambda e: e.sort_key):
            day = entry.record.event_ended  # type: ignore[union-attr]
            marks[team].append((month_of(day), (day.day - 1) / _month_length(day.year, day.month),
                                entry.id, day.isoformat()))
    return marks


def _column(frame: pd.DataFrame, name: str) -> list[str]:
    """A text column as a list of ``str`` (through a NumPy array: a pandas string array's
    ``tolist`` builds its items one by one)."""
    column = frame[name]
    values: list[Any] = column.to_numpy(dtype=object).tolist()
    if isinstance(column.dtype, pd.StringDtype) and not column.hasnans:
        return values  # already ``str`` every one
    return [str(value) for value in values]


Span = tuple[str, str, str, str, str, float | None, str, str, float | None]
"""A measured action on a chart, before its months are placed on the chart's axis: (id,
segment, verdict slug, first and last month before, their mean, first and last month after,
their mean)."""


def _effect_spans(effects: Effectiveness | None) -> dict[tuple[str, str], list[Span]]:
    """Per (indicator, team) chart, the measured actions' before and after readings, in a
    stable order (by the last month before, then id)."""
    spans: dict[tuple[str, str], list[Span]] = {}
    slugs = {verdict: verdict.slug for verdict in Verdict}
    for item in (effects.measured if effects is not None else []):
        if item.team is None or not item.state.action.indicator:
            continue
        effect = item.effect
        spans.setdefault((item.state.action.indicator, item.team), []).append((
            item.state.id, item.segment, slugs[effect.verdict],
            effect.before[0][0], effect.before[-1][0], _clean(effect.before_mean),
            effect.after[0][0], effect.after[-1][0], _clean(effect.after_mean)))
    for listed in spans.values():
        listed.sort(key=lambda span: (span[4], span[0]))
    return spans


_BARRED = (Verdict.RIGHT, Verdict.NO_CLEAR_CHANGE, Verdict.WRONG)
"""The verdicts a chart draws a bar for, in the order its text alternative counts them."""


def _followed(effects: Effectiveness | None, action_id: str,
              team: str) -> tuple[Verdict | None, str]:
    """What followed an action on ``team``'s readings, and the segment judged (a `Marker`'s
    ``followed`` and ``segment``); no verdict where it was judged on another team's."""
    item = effects.of(action_id) if effects is not None else None
    if item is None or item.team != team:
        return None, ALL
    return item.effect.verdict, item.segment


def _measured_elsewhere(effects: Effectiveness | None, spans: list[dict[str, Any]],
                        drawn: set[str]) -> list[Marker]:
    """The actions a chart draws bars for but no triangle (`Marker` kind "measured"): other
    teams', judged on this team's readings. Listed under the chart too, so every bar is
    named with what followed it. In order of the day done."""
    if effects is None:
        return []
    marks = []
    for span in spans:
        item = effects.of(span["id"])
        done = item.state.done_date if item is not None else None
        if span["id"] in drawn or item is None or done is None:
            continue
        state = item.state
        marks.append(Marker("measured", "", state.id, done.isoformat(),
                            state.action.title, state.entry.id, item.effect.verdict,
                            item.segment, state.done_team))
    return sorted(marks, key=lambda mark: (mark.date, mark.id))


def _chart_spans(spans: list[Span], index: dict[str, int],
                 segments: list[str]) -> list[dict[str, Any]]:
    """The spans of the chart's ``segments``, with months turned into x positions
    (``index``: each month's position on the axis)."""
    return [{"id": span_id, "segment": segment, "verdict": verdict,
             "before": [index[first_before], index[last_before], before_mean],
             "after": [index[first_after], index[last_after], after_mean]}
            for (span_id, segment, verdict, first_before, last_before, before_mean,
                 first_after, last_after, after_mean) in spans
            if segment in segments]


def _causes_chart(links: Links) -> ChartRequest | None:
    ranked = links.causes_ranked()[:MAX_CAUSES]
    if not ranked:
        return None
    # Each citing record's month, worked out once (a record cites several causes).
    month_of_record: dict[int, str] = {}
    for stats in ranked:
        for citation in stats.citations:
            if id(citation.entry) not in month_of_record:
                month_of_record[id(citation.entry)] = record_month(citation.entry)
    cited = list(month_of_record.values())
    months = month_range(min(cited), max(cited))
    causes = []
    for stats in ranked:
        counts = Counter(month_of_record[id(c.entry)] for c in stats.citations)
        causes.append({"title": stats.cause.title, "counts": [counts.get(m, 0) for m in months]})
    heading = "Root causes cited, month by month"
    top = ranked[0]
    latest = max(month_of_record[id(c.entry)] for c in top.citations)
    tied = [s for s in ranked if s.count == top.count]
    if len(tied) > 1:  # "the most cited" would pick one of equals by a tie-break
        names = ", ".join(s.cause.title for s in tied[:-1]) + f" and {tied[-1].cause.title}"
        title = f"{names} are the most cited causes, {top.count} records each."
    else:
        title = (f"{top.cause.title} is the most cited cause: {top.count} "
                 f"record{'s' * (top.count != 1)}, the latest in {month_name(latest)}.")
    alt = (f"{title} Dot chart of the {len(causes)} most cited root causes by month, {months[0]} to "
           f"{months[-1]}" + (f"; the most cited is {top.cause.title} ({top.count} records)."
                              if len(tied) == 1 else "."))
    return ChartRequest("charts/causes.svg", "causes", {"months": months, "causes": causes,
                                                        "title": heading}, title, alt)


def _months_after(month: str, count: int) -> str:
    """The month ``count`` months after ``month`` (YYYY-MM)."""
    year, number = divmod(int(month[:4]) * 12 + int(month[5:7]) - 1 + count, 12)
    return f"{year:04d}-{number + 1:02d}"


def _actions_chart(kb: KnowledgeBase, links: Links) -> ChartRequest | None:
    states = list(links.actions.values())
    if not states:
        return None
    opened_in = [month_of(s.entry.date) for s in states]
    # Each opening and closing in the month its record put it, so a later record (one that
    # calls a dropped action done) never rewrites a month already past; a reopened action
    # counts as opened again in the month of the record that reopened it.
    events = [(month_of(day), opens) for s in states for day, opens in s.openings_and_closings]
    opened = Counter(month for month, opens in events if opens)
    closed = Counter(month for month, opens in events if not opens)
    # Up to the build's month, but no more than a year past the last action opened or closed:
    # an as-of date centuries ahead drew a bar per month (minutes, megabytes) of nothing.
    last = max([*opened, *closed])
    months = month_range(min(opened_in), min(month_of(kb.as_of), _months_after(last, 12)))
    backlog, running = [], 0
    for month in months:
        running += opened.get(month, 0) - closed.get(month, 0)
        backlog.append(running)
    heading = "Actions opened and closed per month"
    title = backlog_takeaway(months, backlog, kb.as_of)
    alt = (f"{title} Bar chart of actions opened and closed per month, {months[0]} to {months[-1]}, "
           f"with the open backlog as a line; {backlog[-1]} open as of {kb.as_of.isoformat()}.")
    return ChartRequest(
        "charts/actions.svg", "actions",
        {"months": months, "opened": [opened.get(m, 0) for m in months],
         "closed": [closed.get(m, 0) for m in months], "backlog": backlog, "title": heading},
        title, alt)
