"""Analyze stage (pandas): leading indicators over time, the wrong-way movers, scorecards.

One tidy table holds every reading (period × team × indicator × segment). Each reading is
compared with the previous reading of the same series and with the mean of up to three
readings before it (the trailing 3-period mean), direction-aware: for an indicator where lower
is better (sales-cycle length), a rise is the wrong way.

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

import pandas as pd

from ..gcpause import paused_gc
from ..records.actions import ActionState
from ..records.corpus import KnowledgeBase
from ..records.schema import Retro
from ..records.taxonomy import Indicator, Taxonomy
from .quarter import ALL as ALL
from .quarter import COLUMNS as COLUMNS
from .quarter import ScorecardRow, Sources, quarter_figure, scorecard
from .series import NOISE_RATE as NOISE_RATE
from .series import NOISE_RELATIVE as NOISE_RELATIVE
from .series import TRAILING as TRAILING
from .series import overall_rows, reading_row, series_key, step_columns


def readings_frame(kb: KnowledgeBase) -> pd.DataFrame:
    """Every reading of every monthly retro, one row each, plus each month's overall value."""
    rows: list[dict[str, object]] = []
    for entry in kb.retros:
        assert isinstance(entry.record, Retro)
        for reading in entry.readings:
            rows.append(reading_row(entry.record.period, entry.record.team, reading, entry.id))
    frame = pd.DataFrame(rows, columns=COLUMNS)
    # The overall rows from the same dicts: the table is not filtered and read back.
    segmented = {i.id for i in kb.taxonomy.indicators if i.segment_by}
    parts = ((row["period"], row["team"], row["indicator"], row["segment"], row["value"],
              row["numerator"], row["denominator"], row["record"], row["computed"]) for row in rows
             if row["indicator"] in segmented and row["segment"] != ALL)
    return _with_overall(frame, overall_rows(parts, kb.taxonomy))


def add_overall(frame: pd.DataFrame, taxonomy: Taxonomy) -> pd.DataFrame:
    """Add an ``all`` row per month and team for segmented indicators: their overall value
    (`generator.analysis.series.overall_rows`: how segments combine, and the ``method`` column)."""
    segmented = [i.id for i in taxonomy.indicators if i.segment_by]
    parts = frame[frame["indicator"].isin(segmented) & (frame["segment"] != ALL)]
    # Plain loops over column lists: a pandas groupby per group (or iterating pandas arrays
    # item by item) is slow at 10,000 records.
    columns = ["period", "team", "indicator", "segment", "value", "numerator", "denominator",
               "record", "computed"]
    rows = overall_rows(zip(*(parts[c].tolist() for c in columns), strict=True), taxonomy)
    return _with_overall(frame, rows)


def _with_overall(frame: pd.DataFrame, rows: list[dict[str, object]]) -> pd.DataFrame:
    """The readings with their overall rows, in table order (by indicator, team, segment,
    period; stable)."""
    if rows:
        frame = pd.concat([frame, pd.DataFrame(rows, columns=COLUMNS)], ignore_index=True)
    return frame.sort_values(["indicator", "team", "segment", "period"], kind="stable",
                             ignore_index=True)


def _texts(column: pd.Series[Any]) -> list[Any]:
    """A text column's items as a list (through a NumPy array: a pandas string array's
    ``tolist`` builds its items one by one)."""
    return column.to_numpy(dtype=object).tolist()


def trends(frame: pd.DataFrame, taxonomy: Taxonomy) -> pd.DataFrame:
    """Each reading with its prior, trailing mean, changes and verdict (`generator.analysis.series`)."""
    out = frame.copy()
    keys = ["indicator", "team", "segment"]
    texts = [_texts(out[name]) for name in keys]
    # An overall combined from other segments than the months before starts a series anew.
    texts[2] = [series_key(segment, parts)
                for segment, parts in zip(texts[2], _texts(out["parts"]), strict=True)]
    fields = step_columns(zip(*texts, out["value"].astype(float).tolist(), strict=True), taxonomy)

    def column(at: int, dtype: str) -> pd.Series[Any]:
        return pd.Series(fields[at], index=out.index, dtype=dtype)

    out["prior"] = column(0, "float64")
    out["prior_period"] = _prior_periods(out, texts, keys)
    out["trailing_mean"] = column(1, "float64")
    out["vs_prior"] = column(2, "float64")
    out["vs_trailing"] = column(3, "float64")
    out["vs_prior_verdict"] = column(4, "str")
    out["vs_trailing_verdict"] = column(5, "str")
    out["verdict"] = column(6, "str")
    out["severity"] = column(7, "float64")
    return out


def _prior_periods(out: pd.DataFrame, texts: list[list[Any]], keys: list[str]) -> pd.Series[Any]:
    """Each reading's previous period in its series (missing for the first); ``texts`` are
    the series keys (``keys``: indicator, team and the segment's `series_key`) as lists.

    One plain pass (a grouped shift would factorize three columns, and the series key is not
    a column)."""
    last: dict[tuple[Any, ...], Any] = {}
    prior = []
    for indicator, team, segment, period in zip(*texts, _texts(out["period"]), strict=True):
        key = (indicator, team, segment)
        prior.append(last.get(key))
        last[key] = period
    return pd.Series(prior, index=out.index, dtype=out["period"].dtype)


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


def wrong_way(trend: pd.DataFrame, period: str | None = None, team: str | None = None) -> list[Mover]:
    """The wrong-way movers of a period (default: the latest), worst first."""
    rows = trend[trend["verdict"] == "wrong way"]
    if team is not None:
        rows = rows[rows["team"] == team]
    if period is None:
        scope = trend if team is None else trend[trend["team"] == team]
        if scope.empty:
            return []
        period = str(scope["period"].max())
    return _movers(rows[rows["period"] == period])


RECENT_MONTHS = 3
"""How far back a team's latest month may be for its movers to be news: a team that stopped
reporting in July is not what needs attention in November."""


def latest_movers(trend: pd.DataFrame, as_of: dt.date | None = None) -> list[Mover]:
    """The wrong-way movers of each team's latest reported month, worst first; with
    ``as_of``, only of months at most `RECENT_MONTHS` before its month.

    Not the latest month across teams: the first team to report a new month (or a team just
    added) would otherwise hide every other team's movers until they report too.
    """
    if trend.empty:
        return []
    # One comparison over the table, not one filter per team (67 teams at 10,000 records
    # made that 1.4 s).
    latest = trend.groupby("team", sort=False)["period"].transform("max")
    wanted = (trend["verdict"] == "wrong way") & (trend["period"] == latest)
    if as_of is not None:
        month = as_of.year * 12 + as_of.month - 1 - RECENT_MONTHS
        wanted &= trend["period"] >= f"{month // 12:04d}-{month % 12 + 1:02d}"
    return _movers(trend[wanted])


def _movers(rows: pd.DataFrame) -> list[Mover]:
    """``rows`` of the trend table as movers, worst first (ties by indicator, team, segment)."""
    rows = rows.sort_values(["severity", "indicator", "team", "segment"], kind="stable")
    return [
        Mover(str(r["period"]), str(r["team"]), str(r["indicator"]), str(r["segment"]),
              float(r["value"]), float(r["prior"]), float(r["trailing_mean"]),
              float(r["severity"]), str(r["record"]))
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


def analyze(kb: KnowledgeBase, states: Mapping[str, ActionState] | None = None) -> Analysis:
    """Compute the tidy readings table, its trends and every review's computed scorecard.

    ``states`` (the linked actions) feed the action follow-through measure of scorecards.
    The cyclic collector is paused: the readings table allocates a small object per reading
    and per combined figure that all stay alive until the table is built.
    """
    with paused_gc():
        return _analyze(kb, states)


def _analyze(kb: KnowledgeBase, states: Mapping[str, ActionState] | None) -> Analysis:
    frame = readings_frame(kb)
    trend = trends(frame, kb.taxonomy)
    latest = str(frame["period"].max()) if not frame.empty else None
    sources = Sources(frame, states or {})
    cards = {entry.id: scorecard(entry, sources, kb.taxonomy) for entry in kb.reviews}
    return Analysis(readings=frame, trend=trend, latest_period=latest, scorecards=cards)
