"""The quick paths of the stages before render give what the plain paths give, by hand.

Shaped unlike the analysis fixture: two teams reporting one segmented rate where one month is
missing (a gap in the series) and the second team reports a single month; positions on a
chart's month axis in a leap-year February; a series with a missing reading.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pandas as pd
import pytest

from conftest import make_kb
from generator.analysis.analyze import COLUMNS, add_overall, readings_frame, trends
from generator.analysis.series import Step, reading_row, step_columns, step_figures, steps
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
    rows = [("pipeline-velocity", "sales", "all", v) for v in (90.0, 100.0, math.nan, 80.0)]
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
