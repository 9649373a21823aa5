"""Indicator analysis against a small hand-computed fixture.

win-rate (a rate, higher is better) has an `enterprise` segment that first appears in March
(from then on the overall combines other segments, so it is a series of its own);
sales-cycle (days, lower is better) rises. Every expected number below was worked out by hand
from the readings in `_READINGS` (see the comments).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import make_kb
from generator.analysis.analyze import analyze, quarter_value, wrong_way
from generator.records.validate import check

_READINGS = {
    "2026-01": '{smb: "10/40"}', "2026-02": '{smb: "12/40"}',
    "2026-03": '{smb: "11/40", enterprise: "2/10"}',
    "2026-04": '{smb: "8/40", enterprise: "3/10"}',
    "2026-05": '{smb: "8/40", enterprise: "1/10"}',
}
_CYCLE = {"2026-01": 40, "2026-02": 42, "2026-03": 45, "2026-04": 44, "2026-05": 50}


def _retro(period: str) -> str:
    year, month = period.split("-")
    held = f"{year}-{int(month) + 1:02d}-03"
    return (f"---\ntype: retro\nperiod: {period}\nteam: sales\nheld: {held}\nfacilitator: A\n"
            f"format: five-whys\nindicators:\n  win-rate: {_READINGS[period]}\n"
            f"  sales-cycle: {{tier-1: {_CYCLE[period]}}}\n---\n")


@pytest.fixture(scope="module")
def trend(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    root = make_kb(tmp_path_factory.mktemp("kb"),
                   {f"retros/{p}-sales.md": _retro(p) for p in _READINGS})
    result = check(Path(root), dt.date(2026, 7, 1))
    assert result.kb is not None and not result.problems.errors
    analysis = analyze(result.kb)
    analysis.taxonomy = result.kb.taxonomy  # type: ignore[attr-defined]
    return analysis


def _row(analysis, indicator: str, segment: str, period: str):  # type: ignore[no-untyped-def]
    t = analysis.trend
    rows = t[(t.indicator == indicator) & (t.segment == segment) & (t.period == period)]
    assert len(rows) == 1
    return rows.iloc[0]


@pytest.mark.parametrize(
    ("segment", "period", "prior", "trailing", "verdict"),
    [
        ("smb", "2026-01", None, None, "new"),
        ("smb", "2026-02", 0.25, None, "new"),           # +5 pp, but one month is no trend
        ("smb", "2026-03", 0.30, 0.275, "mixed"),        # -2.5 pp vs prior, 0 vs mean
        ("smb", "2026-04", 0.275, 0.275, "wrong way"),   # -7.5 pp vs both
        ("smb", "2026-05", 0.20, 0.775 / 3, "mixed"),    # 0 vs prior, worse vs mean
        ("enterprise", "2026-03", None, None, "new"),    # appears mid-series
        ("enterprise", "2026-04", 0.20, None, "new"),
        ("enterprise", "2026-05", 0.30, 0.25, "wrong way"),
        # The overall of smb and enterprise from March is not the overall of smb alone
        # before: it starts a series of its own (a 13/50 = 0.26 against 12/40 = 0.30 would
        # compare two mixes of deals, not two months).
        ("all", "2026-03", None, None, "new"),           # pooled 13/50 = 0.26
        ("all", "2026-04", 0.26, None, "new"),           # pooled 11/50 = 0.22
        ("all", "2026-05", 0.22, 0.24, "wrong way"),     # 9/50 = 0.18: -4 pp, -6 pp vs (.26+.22)/2
    ],
)
def test_win_rate_deltas_and_verdicts(trend, segment: str, period: str, prior: float | None,  # type: ignore[no-untyped-def]
                                      trailing: float | None, verdict: str) -> None:
    row = _row(trend, "win-rate", segment, period)
    if prior is None:
        assert row.prior != row.prior  # NaN: no earlier reading
    else:
        assert row.prior == pytest.approx(prior)
        if trailing is None:
            assert row.trailing_mean != row.trailing_mean  # NaN: no trend yet
        else:
            assert row.trailing_mean == pytest.approx(trailing)
        assert row.vs_prior == pytest.approx(row.value - prior)
    assert row.verdict == verdict


def test_pooled_overall_value_weighs_by_counts(trend) -> None:  # type: ignore[no-untyped-def]
    assert _row(trend, "win-rate", "all", "2026-03").value == pytest.approx(13 / 50)
    assert _row(trend, "win-rate", "all", "2026-04").value == pytest.approx(11 / 50)


@pytest.mark.parametrize(
    ("period", "verdict", "severity"),
    [
        ("2026-02", "new", 0.0),                # up 2 days (5% > 2% noise), but no trend yet
        ("2026-03", "wrong way", -4 / 41),      # vs mean(40, 42) = 41
        ("2026-04", "mixed", -(44 - 127 / 3) / (127 / 3)),  # better vs 45, worse vs 42.33
        ("2026-05", "wrong way", -(50 - 131 / 3) / (131 / 3)),
    ],
)
def test_lower_is_better_indicator(trend, period: str, verdict: str, severity: float) -> None:  # type: ignore[no-untyped-def]
    row = _row(trend, "sales-cycle", "tier-1", period)
    assert row.verdict == verdict
    assert row.severity == pytest.approx(severity)


def test_wrong_way_movers_are_ranked_worst_first(trend) -> None:  # type: ignore[no-untyped-def]
    movers = wrong_way(trend.trend, taxonomy=trend.taxonomy)
    assert [(m.indicator, m.segment) for m in movers] == [
        ("win-rate", "enterprise"),   # -0.15 / 0.25 = -60 %
        ("win-rate", "all"),          # -0.08 / 0.26 = -31 %
        ("sales-cycle", "all"),       # -14.5 %, tie broken by segment name
        ("sales-cycle", "tier-1"),
    ]
    assert movers[0].severity == pytest.approx(-0.6)
    assert all(m.period == "2026-05" for m in movers)


def test_quarter_roll_up_of_monthly_overall_values(trend) -> None:  # type: ignore[no-untyped-def]
    indicator = trend.taxonomy.indicator("win-rate")
    # Rates pool over the months: Σ won ÷ Σ closed, not the mean of the monthly rates.
    assert quarter_value(trend.readings, indicator, "2026-Q1") == pytest.approx((10 + 12 + 13) / 130)
    assert quarter_value(trend.readings, indicator, "2026-Q2") == pytest.approx((11 + 9) / 100)
    assert quarter_value(trend.readings, indicator, "2025-Q4") is None
