"""Analyze stage (pandas): leading indicators over time, the wrong-way movers, scorecards.

One tidy table holds every reading (period × team × indicator × segment). Each reading is
compared with the previous reading of the same series and with the mean of up to three
readings before it (the trailing 3-period mean), direction-aware: for an indicator where lower
is better (sales-cycle length), a rise is the wrong way.

Noise threshold: a change smaller than ``NOISE_RATE`` (one percentage point) for rates, or
``NOISE_RELATIVE`` (2 % of the earlier value) for everything else, counts as flat. A reading
*moved the wrong way* when it is worse than both the prior reading and the trailing mean;
it *improved* when it is better than both; otherwise it is flat (or mixed).

How segments combine into a month's "all" is `generator.rollup`; how months make a quarter's
scorecard figures is `generator.quarter`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .actions import ActionState
from .corpus import KnowledgeBase, Reading
from .gcpause import paused_gc
from .quarter import ALL as ALL
from .quarter import COLUMNS as COLUMNS
from .quarter import ScorecardRow, Sources, quarter_figure, scorecard
from .rollup import Part, combine
from .schema import Retro
from .taxonomy import Better, Indicator, Taxonomy, Unit

NOISE_RATE = 0.01
"""Rates: changes under one percentage point are flat."""
NOISE_RELATIVE = 0.02
"""Other units: changes under 2 % of the earlier value are flat."""
TRAILING = 3
"""How many earlier readings make the trailing mean."""


def readings_frame(kb: KnowledgeBase) -> pd.DataFrame:
    """Every reading of every monthly retro, one row each, plus each month's overall value."""
    rows: list[dict[str, object]] = []
    for entry in kb.retros:
        assert isinstance(entry.record, Retro)
        for reading in entry.readings:
            rows.append(_row(entry.record.period, entry.record.team, reading, entry.id))
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return add_overall(frame, kb.taxonomy)


def _row(period: str, team: str, reading: Reading, record: str) -> dict[str, object]:
    return {
        "period": period, "team": team, "indicator": reading.indicator,
        "segment": reading.segment or ALL, "value": reading.value,
        "numerator": reading.numerator, "denominator": reading.denominator, "record": record,
        "computed": reading.computed, "method": "",
    }


def add_overall(frame: pd.DataFrame, taxonomy: Taxonomy) -> pd.DataFrame:
    """Add an ``all`` row per month and team for segmented indicators: their overall value.

    Segments combine as the indicator declares (`Indicator.combine`): counts are summed, rates
    pooled from their counts (a labelled plain mean when counts are missing), the rest
    averaged. The ``method`` column says how each ``all`` row was made.
    """
    segmented = {i.id: i for i in taxonomy.indicators if i.segment_by}
    parts = frame[frame["indicator"].isin(list(segmented)) & (frame["segment"] != ALL)]
    groups: dict[tuple[str, str, str], list[tuple[Part, str, bool]]] = {}
    # Plain loops over column lists: a pandas groupby per group (or iterating pandas arrays
    # item by item) is slow at 10,000 records.
    columns = ["period", "team", "indicator", "value", "numerator", "denominator", "record",
               "computed"]
    for period, team, ind, value, top, bottom, record, computed in zip(
            *(parts[c].tolist() for c in columns), strict=True):
        groups.setdefault((period, team, ind), []).append(
            # A row added without the column (a prep draft) reads NaN: not computed.
            (Part(float(value), _count(top), _count(bottom)), record, computed is True
             or computed == 1))
    rows = []
    how = {ind_id: ind.combine for ind_id, ind in segmented.items()}
    for (period, team, ind), members in sorted(groups.items()):
        combined = combine([m[0] for m in members], how[ind])
        if combined is None:
            continue
        rows.append({"period": period, "team": team, "indicator": ind, "segment": ALL,
                     "value": combined.value, "numerator": combined.numerator,
                     "denominator": combined.denominator, "record": members[0][1],
                     "computed": all(m[2] for m in members), "method": combined.method})
    if rows:
        frame = pd.concat([frame, pd.DataFrame(rows, columns=COLUMNS)], ignore_index=True)
    return frame.sort_values(["indicator", "team", "segment", "period"], kind="stable",
                             ignore_index=True)


def _count(value: object) -> float | None:
    """A numerator or denominator cell as a number (None for missing or NaN)."""
    if value is None or value != value:  # None, or NaN from a column with gaps
        return None
    return float(value)  # type: ignore[arg-type]


def _judge(change: pd.Series, base: pd.Series, rate: pd.Series, up: pd.Series) -> pd.Series:
    """better / worse / flat per row (None where there is nothing to compare with)."""
    noise = np.where(rate, NOISE_RATE, base.abs() * NOISE_RELATIVE)
    signed = np.where(up, change, -change)
    verdict = np.select(
        [change.isna() | base.isna(), (change.abs() < noise) | (change == 0), signed > 0],
        ["", "flat", "better"], "worse")
    return pd.Series(verdict, index=change.index).replace("", None)


def trends(frame: pd.DataFrame, taxonomy: Taxonomy) -> pd.DataFrame:
    """Each reading with its prior, trailing mean, changes and verdict."""
    indicators = {i.id: i for i in taxonomy.indicators}
    out = frame.copy()
    keys = ["indicator", "team", "segment"]
    grouped = out.groupby(keys, sort=False)["value"]
    out["prior"] = grouped.shift(1)
    out["prior_period"] = out.groupby(keys, sort=False)["period"].shift(1)
    out["trailing_mean"] = grouped.transform(
        lambda s: s.shift(1).rolling(TRAILING, min_periods=1).mean()
    )
    out["vs_prior"] = out["value"] - out["prior"]
    out["vs_trailing"] = out["value"] - out["trailing_mean"]
    rate = out["indicator"].map(lambda i: indicators[i].unit is Unit.RATE).astype(bool)
    up = out["indicator"].map(lambda i: indicators[i].better is Better.UP).astype(bool)
    out["vs_prior_verdict"] = _judge(out["vs_prior"], out["prior"], rate, up)
    out["vs_trailing_verdict"] = _judge(out["vs_trailing"], out["trailing_mean"], rate, up)
    p, t = out["vs_prior_verdict"], out["vs_trailing_verdict"]
    out["verdict"] = np.select(
        [p.isna(), (p == "worse") & (t == "worse"), (p == "better") & (t == "better")],
        ["new", "wrong way", "improved"], "flat")
    signed = np.where(up, out["vs_trailing"], -out["vs_trailing"])
    base = out["trailing_mean"].abs()
    out["severity"] = np.where(base > 0, signed / base.where(base > 0, 1.0), 0.0)
    out["severity"] = out["severity"].fillna(0.0)
    return out


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
    rows = rows[rows["period"] == period].sort_values(
        ["severity", "indicator", "team", "segment"], kind="stable")
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
