"""Analyze stage (pandas): leading indicators over time, the wrong-way movers, scorecards.

One tidy table holds every reading (period × team × indicator × segment). Each reading is
compared with the previous reading of the same series and with the mean of its readings in
the three months before it (the trailing 3-month mean), direction-aware: for an indicator
where lower is better (sales-cycle length), a rise is the wrong way.

Noise threshold: a change smaller than ``NOISE_RATE`` (one percentage point) for rates, or
``NOISE_RELATIVE`` (2 % of the earlier value) for everything else, counts as flat. A reading
*moved the wrong way* when it is worse than both the prior reading and the trailing mean;
it *improved* when it is better than both; otherwise it is flat (or mixed).

How segments combine into a month's "all" is `generator.records.rollup`; how months make a quarter's
scorecard figures is `generator.analysis.quarter`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..gcpause import paused_gc
from ..records.actions import ActionState
from ..records.corpus import Entry, KnowledgeBase
from ..records.corpus_rules import STOPPED_AFTER
from ..records.record_rules import HELD_AFTER_PERIOD_DAYS
from ..records.rollup import combine_figures, pooled_method, sum_method
from ..records.schema import Retro
from ..records.taxonomy import (
    Aggregate,
    Better,
    Indicator,
    Taxonomy,
    Unit,
    quarter_end,
    quarterly_at,
)
from ..records.types import next_month, period_last_day
from .quarter import ALL as ALL
from .quarter import COLUMNS as COLUMNS
from .quarter import Nothing, ScorecardRow, Sources, quarter_figure, scorecard
from .series import NOISE_RATE as NOISE_RATE
from .series import NOISE_RELATIVE as NOISE_RELATIVE
from .series import TRAILING as TRAILING
from .series import (
    TRAILING_MIN,
    comparable_parts,
    count_segments_with_nothing_to_measure,
    month_number,
    nothing_measured,
    overall_columns,
    reading_fields,
    series_key,
)


def readings_frame(kb: KnowledgeBase, nothing: Nothing | None = None) -> pd.DataFrame:
    """Every reading of every monthly retro, one row each, plus each month's overall value.

    ``nothing``: the segments its retros wrote with no value
    (`generator.analysis.series.nothing_measured`; found here when not given)."""
    rows: list[tuple[Any, ...]] = []
    for entry in kb.retros:
        assert isinstance(entry.record, Retro)
        period, team, record = entry.record.period, entry.record.team, entry.id
        rows.extend([reading_fields(period, team, reading, record) for reading in entry.readings])
    # A tuple per reading, not a dict: the table is built from its columns.
    frame = _table([*map(list, zip(*rows, strict=True))], len(rows))
    overall = _overall_columns(frame, kb.taxonomy)
    count_segments_with_nothing_to_measure(
        overall, nothing_measured(kb.retros, kb.taxonomy) if nothing is None else nothing,
        kb.taxonomy)
    return _with_overall(frame, overall)


def _overall_columns(frame: pd.DataFrame, taxonomy: Taxonomy) -> list[list[Any]]:
    """What `generator.analysis.series.overall_columns` gives for a readings table of readings
    as written, with the months' sums and pooled counts added up over whole columns: a Python
    call per month, team and indicator was a quarter of a second at 10,000 records.

    Sums are added member by member in table order from 0.0, as Python's ``sum`` adds them,
    so every bit is the same; the other aggregations (means, medians, rates without counts)
    go through `generator.records.rollup.combine_figures` month by month.
    """
    how = {i.id: i.combine for i in taxonomy.indicators if i.segment_by}
    parts = frame[frame["indicator"].isin(list(how)) & (frame["segment"] != ALL)]
    if parts.empty:
        return [[] for _ in COLUMNS]
    # Group numbers in the order of (period, team, indicator), as the plain path sorts them.
    codes = np.zeros(len(parts), dtype=np.int64)
    for name in ("period", "team", "indicator"):
        found, names = pd.factorize(parts[name], sort=True)
        codes = codes * len(names) + found
    order = np.argsort(codes, kind="stable")
    grouped = codes[order]
    starts = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
    sizes = np.diff(np.r_[starts, len(grouped)])
    first = order[starts]  # each group's first member, in the table

    def members(name: str, dtype: Any) -> np.ndarray[Any, Any]:
        return parts[name].to_numpy(dtype=dtype)[order]

    values = members("value", float)
    tops, bottoms = members("numerator", float), members("denominator", float)
    indicators = parts["indicator"].to_numpy(dtype=object)[first]
    aggregate = np.array([how[i] for i in indicators], dtype=object)
    # Counts for every member of a group (a missing count reads NaN in the table).
    counted = np.logical_and.reduceat(~np.isnan(tops) & ~np.isnan(bottoms), starts)
    top, bottom = _sums(tops, starts, sizes), _sums(bottoms, starts, sizes)
    total = _sums(values, starts, sizes)
    summed = aggregate == Aggregate.SUM
    pooled = (aggregate == Aggregate.POOLED) & counted & (bottom > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(pooled, top / bottom, total).tolist()
    numerator = np.where(pooled, top, np.nan).tolist()
    denominator = np.where(pooled, bottom, np.nan).tolist()
    method = [pooled_method("segments", n, d) if was else sum_method("segments")
              for n, d, was in zip(numerator, denominator, pooled.tolist(), strict=True)]
    numerator = [n if n == n else None for n in numerator]  # None, as the plain path gives
    denominator = [d if d == d else None for d in denominator]
    keep = np.ones(len(starts), dtype=bool)
    for at in np.flatnonzero(~summed & ~pooled).tolist():  # the rest, month by month
        span = slice(starts[at], starts[at] + sizes[at])
        combined = combine_figures(
            values[span].tolist(), [_count(t) for t in tops[span].tolist()],
            [_count(b) for b in bottoms[span].tolist()], aggregate[at])
        if combined is None:
            keep[at] = False
            continue
        value[at], method[at] = combined.value, combined.method
        numerator[at], denominator[at] = combined.numerator, combined.denominator
    computed = np.logical_and.reduceat(members("computed", bool), starts)
    segments = _segment_lists(members("segment", object), starts, sizes)
    table = {
        "period": parts["period"].to_numpy(dtype=object)[first].tolist(),
        "team": parts["team"].to_numpy(dtype=object)[first].tolist(),
        "indicator": indicators.tolist(), "segment": [ALL] * len(starts),
        "record": parts["record"].to_numpy(dtype=object)[first].tolist(),
        "computed": computed.tolist(), "parts": segments, "value": value,
        "numerator": numerator, "denominator": denominator, "method": method}
    if keep.all():
        return [table[name] for name in COLUMNS]
    return [[item for item, kept in zip(table[name], keep.tolist(), strict=True) if kept]
            for name in COLUMNS]


def _sums(values: np.ndarray[Any, Any], starts: np.ndarray[Any, Any],
          sizes: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Each group's sum, added member by member from 0.0 as Python's ``sum`` adds (NumPy's
    own sums add in pairs, which can round differently)."""
    total = np.zeros(len(starts))
    for member in range(int(sizes.max(initial=0))):
        has = sizes > member
        total[has] = total[has] + values[starts[has] + member]
    return total


def _segment_lists(segments: np.ndarray[Any, Any], starts: np.ndarray[Any, Any],
                   sizes: np.ndarray[Any, Any]) -> list[str]:
    """Each group's segments, sorted and space-separated (the ``parts`` column).

    Each group's set of segments as a bit mask (segments numbered in sorted order), spelled
    once per distinct set: months mostly report the same segments."""
    codes, names = pd.factorize(segments, sort=True)
    if len(names) >= 63:  # more segments than bits: one group at a time
        return [" ".join(sorted({str(s) for s in segments[start:start + size].tolist()}))
                for start, size in zip(starts.tolist(), sizes.tolist(), strict=True)]
    masks = np.bitwise_or.reduceat(np.left_shift(1, codes.astype(np.int64)), starts)
    distinct, which = np.unique(masks, return_inverse=True)
    spelled = [" ".join(str(name) for bit, name in enumerate(names.tolist()) if mask >> bit & 1)
               for mask in distinct.tolist()]
    return [spelled[i] for i in which.tolist()]


def _count(value: float) -> float | None:
    """A numerator or denominator cell as a number (None for missing, which reads NaN)."""
    return None if value != value else value


def _table(columns: list[list[Any]], length: int) -> pd.DataFrame:
    """A readings table from its columns: all of `COLUMNS`, or all but the empty ``method`` and
    ``parts`` of readings as written (``length`` rows)."""
    if not length:
        return pd.DataFrame([], columns=COLUMNS)
    if len(columns) < len(COLUMNS):
        columns = [*columns, [""] * length, [""] * length]
    return pd.DataFrame(dict(zip(COLUMNS, columns, strict=True)), columns=COLUMNS)


def add_overall(frame: pd.DataFrame, taxonomy: Taxonomy) -> pd.DataFrame:
    """Add an ``all`` row per month and team for segmented indicators: their overall value
    (`generator.analysis.series.overall_columns`: how segments combine, and the ``method``
    column)."""
    segmented = [i.id for i in taxonomy.indicators if i.segment_by]
    parts = frame[frame["indicator"].isin(segmented) & (frame["segment"] != ALL)]
    # Plain loops over column lists: a pandas groupby per group (or iterating pandas arrays
    # item by item) is slow at 10,000 records.
    columns = ["period", "team", "indicator", "segment", "value", "numerator", "denominator",
               "record", "computed"]
    found = overall_columns(zip(*(parts[c].tolist() for c in columns), strict=True), taxonomy)
    return _with_overall(frame, found)


def _with_overall(frame: pd.DataFrame, columns: list[list[Any]]) -> pd.DataFrame:
    """The readings with their overall rows (``columns``, one list per column of `COLUMNS`),
    in table order (by indicator, team, segment, period; stable)."""
    if columns[0]:
        frame = pd.concat([frame, _table(columns, len(columns[0]))], ignore_index=True)
    return frame.sort_values(["indicator", "team", "segment", "period"], kind="stable",
                             ignore_index=True)


def _texts(column: pd.Series[Any]) -> list[Any]:
    """A text column's items as a list (through a NumPy array: a pandas string array's
    ``tolist`` builds its items one by one)."""
    return column.to_numpy(dtype=object).tolist()


def trends(frame: pd.DataFrame, taxonomy: Taxonomy) -> pd.DataFrame:
    """Each reading with its prior, trailing mean, changes and verdict (`generator.analysis.series`).

    The figures of `generator.analysis.series.step_columns`, computed over whole columns with
    NumPy: a Python call per reading was a third of a second at 10,000 records.
    """
    out = frame.copy()
    segments = out["segment"].to_numpy(dtype=object, copy=True)  # changed below
    parts = out["parts"].to_numpy(dtype=object)
    methods = out["method"].to_numpy(dtype=object)
    # An overall combined from other segments than the months before, or only averaged where
    # they were pooled, starts a series anew (only an ``all`` row combined from segments has
    # parts: the rest keep their segment).
    combined = np.flatnonzero(out["parts"].notna().to_numpy() & (out["parts"] != "").to_numpy())
    segments[combined] = [series_key(segments[at], comparable_parts(parts[at], methods[at]))
                          for at in combined.tolist()]
    # Months as numbers, by the few distinct periods (not one parse per reading); a missing
    # period (code -1) reads the sentinel appended last, which no window reaches.
    period_codes, periods = pd.factorize(out["period"])
    far = np.iinfo(np.int64).min // 2
    month = np.array([*(month_number(str(p)) for p in periods), far], dtype=np.int64)[period_codes]
    in_quarters = np.zeros(len(out), dtype=bool)
    since = taxonomy.quarterly_since()
    if since:
        # A team that meets quarterly steps a quarter at a time (`series.step_number`), from
        # its quarterly_from quarter on: its monthly readings before are a series of their
        # own (a quarter's total is not compared with a month's).
        # ("~" sorts after every month: a team that does not meet quarterly never does.)
        firsts = out["team"].map(since).fillna("~").to_numpy(dtype=object)
        in_quarters = (np.asarray(_texts(out["period"].astype(str)), dtype=object) >= firsts
                       ).astype(bool) & (period_codes >= 0)
        month = np.where(in_quarters, month // 3, month)
    series = _Series([out["indicator"], out["team"], segments, in_quarters])
    kinds = {i.id: (i.unit is Unit.RATE, i.better is Better.UP) for i in taxonomy.indicators}
    codes, names = pd.factorize(out["indicator"])
    rate = np.array([kinds[name][0] for name in names], dtype=bool)[codes]
    up = np.array([kinds[name][1] for name in names], dtype=bool)[codes]
    value = out["value"].astype(float).to_numpy(dtype=float)
    prior = series.earlier(value, 1, np.nan)
    # The trailing mean: the readings of the `TRAILING` months before, oldest first, missing
    # ones left out; summed one by one from 0.0 as Python's ``sum`` does, so every bit is the
    # same. (One reading a month: they are among the last `TRAILING` readings.)
    total = np.zeros(len(value))
    count = np.zeros(len(value))
    for back in range(TRAILING, 0, -1):
        earlier = series.earlier(value, back, np.nan)
        months_back = month - series.earlier(month, back, far)
        present = ~np.isnan(earlier) & (months_back <= TRAILING)
        total = total + np.where(present, earlier, 0.0)
        count = count + present
    with np.errstate(divide="ignore", invalid="ignore"):
        trailing = np.where(count >= TRAILING_MIN, total / np.maximum(count, 1), np.nan)
        vs_prior = value - prior
        vs_trailing = value - trailing
        against_prior = _judged(vs_prior, prior, rate, up)
        against_trailing = _judged(vs_trailing, trailing, rate, up)
        severity = np.where(up, vs_trailing, -vs_trailing) / np.abs(trailing)
    severity = np.where((np.abs(trailing) > 0) & ~np.isnan(severity), severity, 0.0)
    verdict = np.where(
        (against_prior == None) | (against_trailing == None), "new",  # noqa: E711 (elementwise)
        np.where((against_prior == "worse") & (against_trailing == "worse"), "wrong way",
                 np.where((against_prior == "better") & (against_trailing == "better"),
                          "improved",
                          np.where((against_prior == "flat") & (against_trailing == "flat"),
                                   "flat", "mixed")))).astype(object)

    def column(figures: np.ndarray[Any, Any], dtype: str) -> pd.Series[Any]:
        return pd.Series(figures, index=out.index, dtype=dtype)

    out["prior"] = column(prior, "float64")
    out["prior_period"] = pd.Series(series.earlier(np.asarray(_texts(out["period"]),
                                                               dtype=object), 1, None),
                                    index=out.index, dtype=out["period"].dtype)
    out["trailing_mean"] = column(trailing, "float64")
    out["vs_prior"] = column(vs_prior, "float64")
    out["vs_trailing"] = column(vs_trailing, "float64")
    out["vs_prior_verdict"] = column(against_prior, "str")
    out["vs_trailing_verdict"] = column(against_trailing, "str")
    out["verdict"] = column(verdict, "str")
    out["severity"] = column(severity, "float64")
    return out


class _Series:
    """The rows of a table grouped into series by key columns, each series in table order.

    One stable sort by the series' number, not a grouped shift: a groupby would factorize the
    key columns again for each shifted column, and the segment's series key is not a column.
    """

    def __init__(self, keys: list[Any]) -> None:
        codes = np.zeros(len(keys[0]), dtype=np.int64)
        for key in keys:
            found, names = pd.factorize(key)
            # Numbered again after each column, so the combined numbers stay below the rows'.
            codes, _ = pd.factorize(codes * len(names) + found)
        self.order = np.argsort(codes, kind="stable")
        grouped = codes[self.order]
        rows = np.arange(len(grouped))
        starts = np.r_[True, grouped[1:] != grouped[:-1]] if len(grouped) else grouped == 0
        self.position = rows - np.maximum.accumulate(np.where(starts, rows, 0))
        """Each row (in series order) as the how-manieth reading of its series, from 0."""

    def earlier(self, column: np.ndarray[Any, Any], back: int,
                missing: Any) -> np.ndarray[Any, Any]:
        """Each row's ``column`` value ``back`` readings earlier in its series (``missing``
        where the series has fewer), in table order."""
        ordered = column[self.order]
        shifted = np.empty_like(ordered)
        shifted[:back] = missing
        shifted[back:] = ordered[:len(ordered) - back]
        shifted[self.position < back] = missing
        found = np.empty_like(ordered)
        found[self.order] = shifted
        return found


def _judged(change: np.ndarray[Any, Any], base: np.ndarray[Any, Any], rate: np.ndarray[Any, Any],
            up: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """`generator.analysis.series.judge` over whole columns: better, worse, flat or None."""
    noise = np.where(rate, NOISE_RATE, np.abs(base) * NOISE_RELATIVE)
    flat = (np.abs(change) < noise - 1e-12) | (change == 0)
    better = np.where(up, change, -change) > 0
    judged = np.where(flat, "flat", np.where(better, "better", "worse")).astype(object)
    judged[np.isnan(change) | np.isnan(base)] = None
    return judged


@dataclass(frozen=True)
class Mover:
    """A reading that moved the wrong way: an agenda item for the retro."""

    period: str
    team: str
    indicator: str
    segment: str
    value: float
    prior: float
    trailing_mean: float
    severity: float
    """Direction-adjusted relative change vs the trailing mean (more negative is worse)."""
    record: str
    prior_period: str = ""
    """The month of the prior reading (not always the month before: a team may pause)."""


def wrong_way(trend: pd.DataFrame, period: str | None = None, team: str | None = None, *,
              taxonomy: Taxonomy) -> list[Mover]:
    """The wrong-way movers of a period (default: the latest), worst first; ties as
    `_movers` breaks them, by ``taxonomy``'s order of segments."""
    rows = trend[trend["verdict"] == "wrong way"]
    if team is not None:
        rows = rows[rows["team"] == team]
    if period is None:
        scope = trend if team is None else trend[trend["team"] == team]
        if scope.empty:
            return []
        period = str(scope["period"].max())
    return _movers(rows[rows["period"] == period], taxonomy)


RECENT_MONTHS = 3
"""How far back a team's latest month may be for its movers to be news: a team that stopped
reporting in July is not what needs attention in November."""


def latest_movers(trend: pd.DataFrame, as_of: dt.date | None = None,
                  quarterly: Mapping[str, str] | None = None, *,
                  taxonomy: Taxonomy) -> list[Mover]:
    """The wrong-way movers of each team's latest reported month, worst first; with
    ``as_of``, only of months at most `RECENT_MONTHS` before its month. A team that meets
    quarterly (``quarterly``: `Taxonomy.quarterly_since`, each such team → the first month
    its retros are quarterly) keeps its latest quarter's movers until its next
    quarter's retro is due: the quarter after ended and the days a retro may be held after
    its period (`HELD_AFTER_PERIOD_DAYS`, when the missing quarter is warned) passed.

    Not the latest month across teams: the first team to report a new month (or a team just
    added) would otherwise hide every other team's movers until they report too. Ties as
    `_movers` breaks them, by ``taxonomy``'s order of segments.
    """
    if trend.empty:
        return []
    # One comparison over the table, not one filter per team (67 teams at 10,000 records
    # made that 1.4 s).
    latest = trend.groupby("team", sort=False)["period"].transform("max")
    movers = trend[(trend["verdict"] == "wrong way") & (trend["period"] == latest)]
    if as_of is not None:
        month = as_of.year * 12 + as_of.month - 1 - RECENT_MONTHS
        recent = movers["period"] >= f"{month // 12:04d}-{month % 12 + 1:02d}"
        if quarterly:
            # A quarter's reading three months old is not stale: the next one is not due
            # yet (2026-Q2's reading stands until 2026-Q3's retro is overdue, 2 December).
            standing = [quarterly_at(quarterly, team, period)
                        and as_of <= period_last_day(quarter_end(next_month(str(period))))
                        + dt.timedelta(days=HELD_AFTER_PERIOD_DAYS)
                        for team, period in zip(movers["team"].tolist(),
                                                movers["period"].tolist(), strict=True)]
            recent |= np.array(standing, dtype=bool)
        movers = movers[recent]
    return _movers(movers, taxonomy)


@dataclass(frozen=True)
class Silence:
    """No team's retro for `STOPPED_AFTER` months or more before the build's month: the
    newest retro, and the months after it that none covers. The figures of the readings end
    with it, though the page says "as of" the build date."""

    newest: Entry
    """The newest retro (by its month; of two, the later held)."""
    months: tuple[str, ...]
    """The months after it, up to the build's month, with no retro of any team."""
    quarters: tuple[str, ...] = ()
    """Where the newest retro is of a team that meets quarterly, the quarters after it that
    had ended by the build's month (``2026-Q4``), none holding a retro: ``months`` are theirs."""


def silence(kb: KnowledgeBase) -> Silence | None:
    """The newest retro when no team has reported for `STOPPED_AFTER` months or more before
    the build date (the month of the build itself is not over, so it is not counted). Each
    team that stops is warned by validation only against the teams still reporting: when
    every team stops, the home page said "Figures as of" the build with months-old readings
    and nothing else to tell the age."""
    retros = [e for e in kb.retros if isinstance(e.record, Retro)]
    if not retros or kb.as_of is None:
        return None
    newest = max(retros, key=lambda e: (getattr(e.record, "period", ""), e.date, e.id))
    first = month_number(str(getattr(newest.record, "period", ""))) + 1
    now = kb.as_of.year * 12 + kb.as_of.month - 1
    if newest.quarterly:
        # A team meeting quarterly holds its next retro after the quarter ends: "no team has
        # one for October to November (2 months)" was said of a quarter not yet over.
        ended = range(first // 3, now // 3)
        quarters = tuple(f"{q // 4:04d}-Q{q % 4 + 1}" for q in ended)
        months = tuple(f"{n // 12:04d}-{n % 12 + 1:02d}"
                       for n in range(first, first + 3 * len(quarters)))
        return Silence(newest, months, quarters) if len(quarters) >= STOPPED_AFTER else None
    months = tuple(f"{n // 12:04d}-{n % 12 + 1:02d}" for n in range(first, now))
    return Silence(newest, months) if len(months) >= STOPPED_AFTER else None


def _movers(rows: pd.DataFrame, taxonomy: Taxonomy) -> list[Mover]:
    """``rows`` of the trend table as movers, worst first (ties by indicator, team, then
    segment in the order ``taxonomy`` lists the indicator's segments, the company's order,
    as the charts and the readings tables show them, not by id)."""
    indicators = {indicator.id: indicator for indicator in taxonomy.indicators}

    def place(indicator: str, segment: str) -> int:
        known = indicators.get(indicator)
        return known.segment_key(segment)[0] if known is not None else 0

    places = [place(str(ind), str(seg))
              for ind, seg in zip(rows["indicator"].tolist(), rows["segment"].tolist(),
                                  strict=True)]
    # The id last: segments the taxonomy does not list share a place and go by id.
    rows = rows.assign(_place=places).sort_values(
        ["severity", "indicator", "team", "_place", "segment"], kind="stable")
    return [
        Mover(str(r["period"]), str(r["team"]), str(r["indicator"]), str(r["segment"]),
              float(r["value"]), float(r["prior"]), float(r["trailing_mean"]),
              float(r["severity"]), str(r["record"]), str(r.get("prior_period") or ""))
        for r in rows.to_dict("records")
    ]


def quarter_value(frame: pd.DataFrame, indicator: Indicator, quarter: str) -> float | None:
    """An indicator's quarterly figure from the monthly overall values (per its aggregation)."""
    figure = quarter_figure(frame, indicator, quarter)
    return figure.value if figure else None


@dataclass
class Analysis:
    """Everything the indicator pages, charts and prep need."""

    readings: pd.DataFrame
    trend: pd.DataFrame
    latest_period: str | None
    scorecards: dict[str, list[ScorecardRow]] = field(default_factory=dict)
    """Review record id → its scorecard rows with what the quarter's months give."""
    nothing: Nothing = field(default_factory=dict)
    """The segments each retro wrote with no value (`nothing_measured`): a quarter's figure
    counts such a month as measured."""


def analyze(kb: KnowledgeBase, states: Mapping[str, ActionState] | None = None) -> Analysis:
    """Compute the tidy readings table, its trends and every review's computed scorecard.

    ``states`` (the linked actions) feed the action follow-through measure of scorecards.
    The cyclic collector is paused: the readings table allocates a small object per reading
    and per combined figure that all stay alive until the table is built.
    """
    with paused_gc():
        return _analyze(kb, states)


def _analyze(kb: KnowledgeBase, states: Mapping[str, ActionState] | None) -> Analysis:
    nothing = nothing_measured(kb.retros, kb.taxonomy)
    frame = readings_frame(kb, nothing)
    trend = trends(frame, kb.taxonomy)
    latest = str(frame["period"].max()) if not frame.empty else None
    sources = Sources(frame, states or {}, nothing)
    cards = {entry.id: scorecard(entry, sources, kb.taxonomy) for entry in kb.reviews}
    return Analysis(readings=frame, trend=trend, latest_period=latest, scorecards=cards,
                    nothing=nothing)
