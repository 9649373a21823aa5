"""What each chart shows: the data behind every chart of the site, then drawing them.

Data is gathered into plain dicts (the chart cache's key), so a chart is redrawn only when
what it shows changed.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Any

import pandas as pd

from ..analysis.analyze import ALL, Analysis
from ..analysis.effectiveness import Effectiveness, Verdict
from ..analysis.link import Links, closed_on
from ..analysis.series import judge, usual_parts
from ..analysis.takeaway import attainment_takeaway, backlog_takeaway, series_takeaway
from ..gcpause import paused_gc
from ..paths import chart_of_indicator
from ..records.corpus import Entry, KnowledgeBase
from ..records.formatting import attainment, count, format_value, month_name
from ..records.schema import Retro, Review
from ..records.taxonomy import Unit
from ..records.types import month_of, next_month
from .charts import Chart, ChartCache, ChartRequest, render_charts

MAX_CAUSES = 12
"""The causes chart shows the most cited causes only, so it stays readable."""


@dataclass(frozen=True)
class Marker:
    """A mark on an indicator chart, listed under it with a link."""

    kind: str
    """"postmortem" (a numbered dotted line) or "action" (a triangle: an action done)."""
    label: str
    """What the chart shows at the mark: the post-mortem's number, or a triangle."""
    id: str
    """The post-mortem's record id, or the action's id."""
    date: str
    """When: the event's end, or the day the action was done (ISO)."""
    text: str
    """The post-mortem's title, or the action's title."""
    record: str
    """The record to link to: the post-mortem, or the record that raised the action."""


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
    # One pass over the trend table and the actions, indexed for the per-chart loops.
    # Column lists, not rows: iterating a pandas table row by row is slow at scale.
    series_of: dict[tuple[str, str], dict[str, dict[str, tuple[float, float]]]] = {}
    trend = analysis.trend
    keys = [_column(trend, name) for name in ("indicator", "team", "segment")]
    parts = trend["parts"].to_numpy(dtype=object).tolist()
    usual = usual_parts(zip(*keys, parts, strict=True))
    for ind, team_id, segment, part, period, value, trailing in zip(
            *keys, parts, _column(trend, "period"),
            trend["value"].tolist(), trend["trailing_mean"].tolist(), strict=True):
        if segment == ALL and isinstance(part, str) and part \
                and part != usual.get((ind, team_id), part):
            continue  # an overall of other segments than usual: a gap in the line, no dip
        series_of.setdefault((ind, team_id), {}).setdefault(segment, {})[period] = (
            value, trailing)
    done_of: dict[tuple[str, str | None], list[tuple[dt.date, str]]] = {}
    for state in links.actions.values():
        done_day = state.done_date
        if state.action.indicator and done_day is not None:
            done_of.setdefault((state.action.indicator, state.team), []).append(
                (done_day, state.id))
    spans_of = _effect_spans(effects)
    titles = {entry.id: entry.title for entry in kb.postmortems}
    team_names: dict[str, str] = {}
    for known in kb.taxonomy.teams:
        team_names.setdefault(known.id, known.name)
    postmortems_of: dict[str | None, list[Entry]] = {}
    for entry in kb.postmortems:
        postmortems_of.setdefault(entry.team, []).append(entry)
    for (ind_id, team), by_segment in sorted(series_of.items()):
        indicator = kb.taxonomy.indicator(ind_id)
        periods = sorted({p for values in by_segment.values() for p in values})
        months = month_range(periods[0], periods[-1])
        index = _month_index(months)
        segments = [ALL, *sorted(s for s in by_segment if s != ALL)] \
            if indicator.segment_by else [ALL]
        series = []
        for segment in segments:
            values = by_segment.get(segment, {})
            series.append({
                "name": segment,
                "label": ("all segments" if indicator.segment_by else indicator.label)
                if segment == ALL else segment,
                "values": [_clean(values[m][0]) if m in values else None for m in months],
                "trailing": [_clean(values[m][1]) if m in values else None for m in months],
            })
        postmortems = [
            {"x": x, "id": e.id, "date": e.record.event_ended.isoformat()}  # type: ignore[union-attr]
            for e in sorted(postmortems_of.get(team, []), key=lambda e: e.sort_key)
            if (x := _position(index, e.record.event_ended)) is not None  # type: ignore[union-attr]
        ]
        done = [{"x": x, "id": action_id, "date": day.isoformat()}
                for day, action_id in sorted(done_of.get((ind_id, team), []))
                if (x := _position(index, day)) is not None]
        team_name = team_names.get(team, str(team))
        spans = [span for span in _chart_spans(spans_of.get((ind_id, team), []), index)
                 if span["segment"] in segments]
        unit = indicator.unit
        title = series_takeaway(f"{indicator.label} for {team_name}", months,
                                series[0]["values"],  # type: ignore[arg-type]
                                lambda v, unit=unit: format_value(v, unit),  # type: ignore[misc]
                                indicator.better.value == "up",
                                partial(judge, rate=unit is Unit.RATE,
                                        up=indicator.better.value == "up"))
        alt = (f"{title} Line chart of {indicator.label} by month for {team_name}, {months[0]} "
               f"to {months[-1]}: the overall line with its dashed trailing 3-month mean"
               + (f", then one small panel per segment ({', '.join(segments[1:])})"
                  if len(segments) > 1 else "")
               + f"; {count(len(postmortems), 'post-mortem')} marked by number and "
               f"{count(len(done), 'completed action')} as triangles, listed under the chart"
               + (f"; {len(spans)} actions with the mean of three readings before and after "
                  f"them marked, {sum(1 for s in spans if s['verdict'] == Verdict.RIGHT.slug)} "
                  "followed by a move the right way" if spans else "") + ".")
        figures.markers[(ind_id, team)] = [
            *(Marker("postmortem", str(n), str(p["id"]), str(p["date"]),
                     titles[str(p["id"])], str(p["id"]))
              for n, p in enumerate(postmortems, start=1)),
            *(Marker("action", "▲", str(d["id"]), str(d["date"]),
                     links.actions[str(d["id"])].action.title,
                     links.actions[str(d["id"])].entry.id) for d in done)]
        requests[("indicator", ind_id, team)] = ChartRequest(
            chart_of_indicator(ind_id, team), "indicator",
            {"months": months, "series": series, "postmortems": postmortems, "done": done,
             "effects": spans, "unit": indicator.unit.value, "title": title}, title, alt)

    causes = _causes_chart(links)
    if causes is not None:
        requests[("causes",)] = causes
    actions = _actions_chart(kb, links)
    if actions is not None:
        requests[("actions",)] = actions
    for entry in kb.reviews:
        assert isinstance(entry.record, Review)
        # A row with no typed actual is charted with the figure computed for it; one
        # computed from part of the quarter is not judged met or missed.
        computed = {id(row.measure): row.computed
                    for row in analysis.scorecards.get(entry.id, [])}
        from_part = {id(row.measure): row.figure.partial
                   for row in analysis.scorecards.get(entry.id, [])
                   if row.filled_in and row.figure and row.figure.partial}
        bars: list[dict[str, Any]] = [
            {"metric": m.metric, "attainment": round(a, 6),
             **({"partial": from_part[id(m)]} if id(m) in from_part else {})}
            for m in entry.record.scorecard
            if (a := attainment(m, computed.get(id(m)))) is not None
        ]
        if bars:
            heading = f"Plan vs actual — {entry.record.period}"
            title = attainment_takeaway(entry.record.period, bars)
            met = sum(1 for r in bars if r["attainment"] >= 1 and "partial" not in r)
            alt = (f"{title} Bar chart of attainment for {len(bars)} goals of {entry.record.period}; "
                   f"{met} met or beat their goal: "
                   + ", ".join(f"{r['metric']} {r['attainment'] * 100:.0f}%" for r in bars) + ".")
            requests[("attainment", entry.id)] = ChartRequest(
                f"charts/attainment-{entry.id}.svg", "attainment",
                {"rows": bars, "title": heading}, title, alt)
    return figures, requests


def _column(frame: pd.DataFrame, name: str) -> list[str]:
    """A text column as a list of ``str`` (through a NumPy array: a pandas string array's
    ``tolist`` builds its items one by one)."""
    column = frame[name]
    values: list[Any] = column.to_numpy(dtype=object).tolist()
    if isinstance(column.dtype, pd.StringDtype) and not column.hasnans:
        return values  # already ``str`` every one
    return [str(value) for value in values]


def _effect_spans(effects: Effectiveness | None) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Per (indicator, team) chart, the measured actions' before and after readings."""
    spans: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for item in (effects.measured if effects is not None else []):
        if item.team is None or not item.state.action.indicator:
            continue
        effect = item.effect
        spans.setdefault((item.state.action.indicator, item.team), []).append({
            "id": item.state.id, "segment": item.segment, "verdict": effect.verdict.slug,
            "before": [effect.before[0][0], effect.before[-1][0], _clean(effect.before_mean)],
            "after": [effect.after[0][0], effect.after[-1][0], _clean(effect.after_mean)],
        })
    return spans


def _chart_spans(spans: list[dict[str, Any]], index: dict[str, int]) -> list[dict[str, Any]]:
    """The spans with months turned into x positions (``index``: each month's position on
    the axis), in a stable order."""
    placed = []
    for span in sorted(spans, key=lambda s: (s["before"][1], s["id"])):
        before, after = span["before"], span["after"]
        placed.append({**span, "before": [index[before[0]], index[before[1]], before[2]],
                       "after": [index[after[0]], index[after[1]], after[2]]})
    return placed


def _causes_chart(links: Links) -> ChartRequest | None:
    ranked = links.causes_ranked()[:MAX_CAUSES]
    if not ranked:
        return None
    # Each citing record's month, worked out once (a record cites several causes).
    month_of_record = {id(c.entry): record_month(c.entry) for s in ranked for c in s.citations}
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


def _actions_chart(kb: KnowledgeBase, links: Links) -> ChartRequest | None:
    states = list(links.actions.values())
    if not states:
        return None
    first = min(month_of(s.entry.date) for s in states)
    months = month_range(first, month_of(kb.as_of))
    opened = Counter(month_of(s.entry.date) for s in states)
    closed = Counter(month_of(c) for s in states if (c := closed_on(s)) is not None)
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
