"""Analyze stage (pandas): leading indicators over time, the wrong-way movers, quarter roll-ups.

One tidy table holds every reading (period × team × indicator × segment). Each reading is
compared with the previous reading of the same series and with the mean of up to three
readings before it (the trailing 3-period mean), direction-aware: for an indicator where lower
is better (sales-cycle length), a rise is the wrong way.

Noise threshold: a change smaller than ``NOISE_RATE`` (one percentage point) for rates, or
``NOISE_RELATIVE`` (2 % of the earlier value) for everything else, counts as flat. A reading
*moved the wrong way* when it is worse than both the prior reading and the trailing mean;
it *improved* when it is better than both; otherwise it is flat (or mixed).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .corpus import KnowledgeBase, Reading
from .schema import Measure, Retro, Review
from .taxonomy import Aggregate, Better, Indicator, Taxonomy, Unit
from .types import months_of_quarter

NOISE_RATE = 0.01
"""Rates: changes under one percentage point are flat."""
NOISE_RELATIVE = 0.02
"""Other units: changes under 2 % of the earlier value are flat."""
TRAILING = 3
"""How many earlier readings make the trailing mean."""
ALL = "all"
"""The segment name of a segmented indicator's overall (pooled) value."""

COLUMNS = ["period", "team", "indicator", "segment", "value", "numerator", "denominator", "record"]


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
    }


def add_overall(frame: pd.DataFrame, taxonomy: Taxonomy) -> pd.DataFrame:
    """Add an ``all`` row per month for segmented indicators: their overall value.

    Rates given as counts are pooled (sum of numerators over sum of denominators), so a
    small segment does not weigh like a large one; anything else is the plain mean.
    """
    segmented = {i.id: i for i in taxonomy.indicators if i.segment_by}
    parts = frame[frame["indicator"].isin(list(segmented)) & (frame["segment"] != ALL)]
    if not parts.empty:
        grouped = parts.groupby(["period", "team", "indicator"], sort=True)
        agg = grouped.agg(mean=("value", "mean"), numerator=("numerator", "sum"),
                          denominator=("denominator", "sum"), counted=("denominator", "count"),
                          size=("value", "size"), record=("record", "first")).reset_index()
        rate = agg["indicator"].map(lambda i: segmented[i].unit is Unit.RATE)
        pooled = rate & (agg["counted"] == agg["size"])
        # Rates given as counts are pooled; anything else is the plain mean of the segments.
        agg["value"] = agg["mean"].where(~pooled, agg["numerator"] / agg["denominator"])
        agg["numerator"] = agg["numerator"].where(pooled)
        agg["denominator"] = agg["denominator"].where(pooled)
        agg["segment"] = ALL
        frame = pd.concat([frame, agg[COLUMNS]], ignore_index=True)
    return frame.sort_values(["indicator", "team", "segment", "period"], kind="stable",
                             ignore_index=True)


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
    """An indicator's quarterly figure from the monthly overall values (per its aggregate)."""
    if indicator.quarterly is Aggregate.NONE:
        return None
    months = months_of_quarter(quarter)
    rows = frame[(frame["indicator"] == indicator.id) & (frame["segment"] == ALL)
                 & (frame["period"].isin(months))]
    if rows.empty:
        return None
    # Several teams may report one indicator; a quarter figure is per month first.
    monthly = rows.groupby("period", sort=True)["value"].mean()
    if indicator.quarterly is Aggregate.SUM:
        return float(monthly.sum())
    if indicator.quarterly is Aggregate.LAST:
        return float(monthly.iloc[-1])
    return float(monthly.mean())


def rounded(value: float, unit: Unit) -> float:
    """The precision figures are compared at: rates 4 decimals, days 1, money whole."""
    digits = {Unit.RATE: 4, Unit.DAYS: 1, Unit.RATIO: 2}.get(unit, 0)
    return round(value, digits)


@dataclass(frozen=True)
class ScorecardCheck:
    """A scorecard row tied to an indicator, next to what the monthly readings give."""

    measure: Measure
    computed: float | None

    @property
    def agrees(self) -> bool | None:
        """Whether the row's actual matches the monthly readings (None: nothing to compare)."""
        if self.computed is None:
            return None
        unit = Unit(self.measure.unit) if self.measure.unit in Unit.__members__.values() else None
        if unit is None:
            return abs(self.computed - self.measure.actual) < 1e-9
        return rounded(self.computed, unit) == rounded(self.measure.actual, unit)


def scorecard_checks(review: Review, frame: pd.DataFrame, taxonomy: Taxonomy) -> list[ScorecardCheck]:
    """For each scorecard row tied to an indicator, the figure the months give."""
    indicators = {i.id: i for i in taxonomy.indicators}
    checks = []
    for measure in review.scorecard:
        if measure.indicator and measure.indicator in indicators:
            value = quarter_value(frame, indicators[measure.indicator], review.period)
            checks.append(ScorecardCheck(measure, value))
    return checks


@dataclass
class Analysis:
    """Everything the indicator pages, charts and prep need."""

    readings: pd.DataFrame
    trend: pd.DataFrame
    latest_period: str | None


def analyze(kb: KnowledgeBase) -> Analysis:
    """Compute the tidy readings table and its trends."""
    frame = readings_frame(kb)
    trend = trends(frame, kb.taxonomy)
    latest = str(frame["period"].max()) if not frame.empty else None
    return Analysis(readings=frame, trend=trend, latest_period=latest)
