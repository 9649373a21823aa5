"""Properties of roll-ups over generated knowledge bases (Hypothesis).

Readings are drawn at random — rates as decimals, as counts or both, any subset of segments,
one to three months, money readings or none — and the properties hold for every one:
a knowledge base that validates also generates; a ``sum`` indicator's "all" is the sum of its
segments; a pooled rate lies between its smallest and largest segment rate; a quarter figure
is the declared aggregation of its months (worked out here independently of the code).
"""

from __future__ import annotations

import datetime as dt
import statistics
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_rollup import retro, review

from conftest import FIXTURES, make_kb
from generator.analysis.analyze import analyze
from generator.records.validate import check
from generator.site.build import build

TAXONOMY = FIXTURES / "taxonomy-plain.yml"
AS_OF = dt.date(2026, 7, 20)
MONTHS = ["2026-01", "2026-02", "2026-03"]


def _approx(value: float) -> Any:
    return pytest.approx(value, rel=1e-12, abs=1e-12)


@st.composite
def _rate(draw: st.DrawFn) -> tuple[str, float, int | None, int | None]:
    """A rate as written, its value, and its counts when written as counts."""
    if draw(st.booleans()):
        bottom = draw(st.integers(1, 200))
        top = draw(st.integers(0, bottom))
        return f'"{top}/{bottom}"', top / bottom, top, bottom
    value = draw(st.integers(0, 1000)) / 1000
    return f"{value}", value, None, None


@st.composite
def _month(draw: st.DrawFn) -> dict[str, Any]:
    sources = draw(st.lists(st.sampled_from(["web", "events", "partners"]), min_size=1,
                            max_size=3, unique=True))
    segments = draw(st.lists(st.sampled_from(["smb", "enterprise"]), min_size=1, max_size=2,
                             unique=True))
    return {
        "mqls": {s: draw(st.integers(0, 5000)) for s in sources},
        "win-rate": {s: draw(_rate()) for s in segments},
        "deal-size": draw(st.one_of(st.none(), st.integers(1000, 90000))),
    }


_MONTHS = st.lists(_month(), min_size=1, max_size=3)


def _files(months: list[dict[str, Any]]) -> dict[str, str]:
    files = {}
    for period, month in zip(MONTHS, months, strict=False):
        lines = "  mqls: {" + ", ".join(f"{k}: {v}" for k, v in month["mqls"].items()) + "}\n"
        lines += "  win-rate: {" + ", ".join(f"{k}: {v[0]}" for k, v in
                                            month["win-rate"].items()) + "}\n"
        if month["deal-size"] is not None:
            lines += f"  deal-size: {month['deal-size']}\n"
        files[f"retros/{period}-growth.md"] = retro(period, lines)
    files["retros/2026-q1-review.md"] = review(
        "2026-Q1", "2026-04-10",
        "  - {metric: MQLs, goal: 1, unit: count, indicator: mqls}\n"
        "  - {metric: Win rate, goal: 0.3, unit: rate, indicator: win-rate}\n"
        "  - {metric: Deal size, goal: 1, unit: usd, indicator: deal-size}\n")
    return files


@given(_MONTHS)
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_every_knowledge_base_that_validates_also_generates(months: list[dict[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = make_kb(Path(tmp), _files(months), TAXONOMY)
        assert not check(root, AS_OF).problems.errors
        files = build(root, AS_OF).files
        assert "records/2026-q1-review.md" in files


@given(_MONTHS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_roll_ups_follow_the_declared_aggregation(months: list[dict[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = make_kb(Path(tmp), _files(months), TAXONOMY)
        result = check(root, AS_OF)
        assert result.kb is not None and not result.problems.errors
        analysis = analyze(result.kb)
    frame = analysis.readings
    overall = frame[frame.segment == "all"]
    for period, month in zip(MONTHS, months, strict=False):
        here = overall[overall.period == period].set_index("indicator")
        # sum: "all" is the sum of the segments.
        assert here.loc["mqls", "value"] == sum(month["mqls"].values())
        # pooled (or its labelled fallback): between the smallest and largest segment rate.
        rates = [v[1] for v in month["win-rate"].values()]
        assert min(rates) - 1e-12 <= here.loc["win-rate", "value"] <= max(rates) + 1e-12
    cards = {row.measure.metric: row.computed for row in analysis.scorecards["2026-q1-review"]}
    # A quarter figure is the declared aggregation of its months, computed here by hand.
    assert cards["MQLs"] == sum(sum(m["mqls"].values()) for m in months)
    rates = [list(m["win-rate"].values()) for m in months]
    if all(r[2] is not None for month in rates for r in month):
        pooled = sum(r[2] for m in rates for r in m) / sum(r[3] for m in rates for r in m)
        assert cards["Win rate"] == _approx(pooled)
    else:
        monthly = [overall[(overall.period == p) & (overall.indicator == "win-rate")].iloc[0].value
                   for p in MONTHS[:len(months)]]
        assert cards["Win rate"] == _approx(statistics.fmean(monthly))
    sizes = [m["deal-size"] for m in months if m["deal-size"] is not None]
    assert cards["Deal size"] == (_approx(statistics.fmean(sizes)) if sizes else None)
