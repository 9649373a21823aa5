"""The quick paths of the stages before render give what the plain paths give, by hand.

Shaped unlike the analysis fixture: two teams reporting one segmented rate where one month is
missing (a gap in the series) and the second team reports a single month; positions on a
chart's month axis in a leap-year February; a series with a missing reading.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from pathlib import Path

import pandas as pd
import pytest

from conftest import make_kb
from generator.analysis.analyze import (
    COLUMNS,
    _overall_columns,
    _with_overall,
    add_overall,
    readings_frame,
    trends,
)
from generator.analysis.series import (
    Step,
    comparable_parts,
    reading_row,
    series_key,
    step_columns,
    step_figures,
    steps,
)
from generator.records.taxonomy import Aggregate, Better, Indicator, Taxonomy, Unit
from generator.records.validate import check
from generator.site.figures import _month_index, _position, month_range

_RETRO = ("---\ntype: retro\nperiod: {period}\nteam: {team}\nheld: {held}\nfacilitator: A\n"
          "format: five-whys\nindicators:\n  win-rate: {{smb: \"{smb}\", enterprise: \"{ent}\"}}\n"
          "---\n")


@pytest.fixture(scope="module")
def kb(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    # sales: January and March (no February); marketing: February only.
    files = {
        "retros/2026-01-sales.md": _RETRO.format(period="2026-01", team="sales",
                                                 held="2026-02-02", smb="3/10", ent="1/10"),
        "retros/2026-03-sales.md": _RETRO.format(period="2026-03", team="sales",
                                                 held="2026-04-02", smb="6/10", ent="0/10"),
        "retros/2026-02-marketing.md": _RETRO.format(period="2026-02", team="marketing", held="2026-03-02",
                                              smb="5/20", ent="5/20"),
    }
    result = check(Path(make_kb(tmp_path_factory.mktemp("kb"), files)), dt.date(2026, 6, 1),
                   cache=False)
    assert result.kb is not None and not result.problems.errors
    return result.kb


def test_the_readings_table_is_the_one_the_general_path_builds(kb) -> None:  # type: ignore[no-untyped-def]
    rows = [reading_row(e.record.period, e.record.team, r, e.id) for e in kb.retros
            for r in e.readings]
    general = add_overall(pd.DataFrame(rows, columns=COLUMNS), kb.taxonomy)
    quick = readings_frame(kb)
    pd.testing.assert_frame_equal(quick, general, check_exact=True)
    # By hand: the overall win rate pools the counts: sales Jan (3+1)/20 = 0.2,
    # Mar (6+0)/20 = 0.3; marketing Feb (5+5)/40 = 0.25.
    overall = quick[quick["segment"] == "all"]
    assert list(zip(overall["team"], overall["period"], overall["value"], strict=True)) == [
        ("marketing", "2026-02", 0.25), ("sales", "2026-01", 0.2), ("sales", "2026-03", 0.3)]


def test_each_reading_s_prior_period_skips_gaps_and_other_teams(kb) -> None:  # type: ignore[no-untyped-def]
    table = trends(readings_frame(kb), kb.taxonomy)
    found = {(t, s, p): prior for t, s, p, prior in zip(
        table["team"], table["segment"], table["period"], table["prior_period"], strict=True)}
    # sales' March follows its January (February is missing); marketing has one month only.
    assert found[("sales", "all", "2026-03")] == "2026-01"
    assert found[("sales", "smb", "2026-03")] == "2026-01"
    assert pd.isna(found[("sales", "all", "2026-01")])
    assert pd.isna(found[("marketing", "all", "2026-02")])
    assert table["prior_period"].dtype == table["period"].dtype
    grouped = table.groupby(["indicator", "team", "segment"], sort=False)["period"].shift(1)
    pd.testing.assert_series_equal(table["prior_period"], grouped, check_names=False)


def test_step_figures_are_the_fields_of_steps(kb) -> None:  # type: ignore[no-untyped-def]
    # pipeline-velocity (higher is better): 90, 100, NaN (no reading), 80. The missing reading
    # is left out of the trailing mean: 80 vs prior NaN has no verdict against the prior.
    rows = [("pipeline-velocity", "sales", "all", v, f"2026-0{m}")
            for m, v in enumerate((90.0, 100.0, math.nan, 80.0), 1)]
    figures = step_figures(rows, kb.taxonomy)
    # Compared as text: NaN is unequal to itself.
    assert [repr(Step(*f)) for f in figures] == [repr(s) for s in steps(rows, kb.taxonomy)]
    columns = step_columns(rows, kb.taxonomy)
    assert repr(columns) == repr([list(field) for field in zip(*figures, strict=True)])
    assert figures[3][1] == 95.0  # trailing mean of (90, 100, NaN)
    assert figures[3][4] is None and figures[3][5] == "worse"


def test_positions_on_a_month_axis_by_hand() -> None:
    months = month_range("2024-01", "2024-03")
    assert months == ["2024-01", "2024-02", "2024-03"]
    index = _month_index(months)
    # 15 February 2024 (a 29-day month): 1 + 14/29 - 0.5; 1 January: 0 - 0.5.
    assert _position(index, dt.date(2024, 2, 15)) == pytest.approx(1 + 14 / 29 - 0.5)
    assert _position(index, dt.date(2024, 1, 1)) == -0.5
    assert _position(index, dt.date(2024, 4, 1)) is None
    # Each call gives its own list: changing one does not change the next.
    months.append("2024-04")
    assert month_range("2024-01", "2024-03") == ["2024-01", "2024-02", "2024-03"]


def _mixed_table(taxonomy: Taxonomy) -> tuple[pd.DataFrame, Taxonomy]:
    """Readings of one segmented indicator per way of combining (sum, pooled, mean, median)
    and an unsegmented one, over three teams and twelve months (one pausing for four):
    segments left out in some months, missing readings and counts, zero denominators, negative
    zeros and repeated values (changes of exactly nothing, or of the noise threshold)."""
    made = [("deals", Unit.COUNT, Better.UP, Aggregate.SUM),
            ("hit-rate", Unit.RATE, Better.UP, Aggregate.POOLED),
            ("cycle", Unit.DAYS, Better.DOWN, Aggregate.MEAN),
            ("size", Unit.USD, Better.UP, Aggregate.MEDIAN)]
    indicators = [Indicator(id=i, label=i, unit=unit, better=better, segment_by="tier",
                            segments=["a", "b", "c"], aggregate=how)
                  for i, unit, better, how in made]
    indicators.append(Indicator(id="velocity", label="velocity", unit=Unit.USD_PER_DAY,
                                better=Better.UP))
    taxonomy = taxonomy.model_copy(update={"indicators": indicators})
    pick = random.Random(7)
    rows = []
    for team in ("north", "south", "west"):
        for month in range(1, 13):
            period = f"2025-{month:02d}"
            if team == "west" and 4 <= month <= 7:  # a pause: no readings for four months
                continue
            for indicator in indicators:
                segments = ([s for s in ("c", "a", "b") if pick.random() < 0.8]
                            if indicator.segment_by else ["all"])
                for segment in segments:
                    value = pick.choice([math.nan, -0.0, 0.0, 0.5, 0.51, 0.25, 10.0, 10.2,
                                         pick.uniform(0, 1), pick.uniform(-50, 50)])
                    top = pick.choice([None, 0, 3, 7])
                    bottom = pick.choice([None, 0, 10, 20]) if top is not None else None
                    rows.append({"period": period, "team": team, "indicator": indicator.id,
                                 "segment": segment, "value": value, "numerator": top,
                                 "denominator": bottom, "record": f"{period}-{team}",
                                 "computed": pick.random() < 0.3, "method": "", "parts": ""})
    return pd.DataFrame(rows, columns=COLUMNS), taxonomy


def test_whole_column_overall_rows_and_trends_are_the_plain_ones(kb) -> None:  # type: ignore[no-untyped-def]
    frame, taxonomy = _mixed_table(kb.taxonomy)
    # The overall rows: added up over whole columns, and by the plain path (drafts use it).
    plain = add_overall(frame, taxonomy)
    quick = _with_overall(frame, _overall_columns(frame, taxonomy))
    pd.testing.assert_frame_equal(quick, plain, check_exact=True)
    assert repr(quick.to_dict("list")) == repr(plain.to_dict("list"))  # NaN, -0.0 and all
    assert set(plain["method"]) > {"", "sum of the segments", "mean of the segments",
                                   "median of the segments"}
    # The steps: over whole columns, and one reading at a time.
    table = trends(plain, taxonomy)
    keys = [(i, t, series_key(s, comparable_parts(p, m))) for i, t, s, p, m in zip(
        plain["indicator"], plain["team"], plain["segment"], plain["parts"], plain["method"],
        strict=True)]
    columns = step_columns([(*k, float(v), str(p)) for k, v, p in zip(
        keys, plain["value"], plain["period"], strict=True)], taxonomy)
    names = ["prior", "trailing_mean", "vs_prior", "vs_trailing", "vs_prior_verdict",
             "vs_trailing_verdict", "verdict", "severity"]
    for name, figures in zip(names, columns, strict=True):
        dtype = "str" if "verdict" in name else "float64"
        expected = pd.Series(figures, index=plain.index, dtype=dtype, name=name)
        pd.testing.assert_series_equal(table[name], expected, check_exact=True)
        assert repr(table[name].tolist()) == repr(expected.tolist())
    assert {"wrong way", "improved", "flat", "mixed", "new"} <= set(table["verdict"])
    last: dict[tuple[str, str, str], str] = {}
    priors = []
    for key, period in zip(keys, plain["period"], strict=True):
        priors.append(last.get(key))
        last[key] = period
    pd.testing.assert_series_equal(
        table["prior_period"], pd.Series(priors, index=plain.index, dtype=plain["period"].dtype,
                                         name="prior_period"))
