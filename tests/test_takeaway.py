"""The one sentence each chart says: wording pinned by a golden, numbers worked by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from conftest import make_kb
from generator.analysis.takeaway import attainment_takeaway, backlog_takeaway, series_takeaway
from generator.records.formatting import format_value
from generator.records.taxonomy import Unit
from generator.site.build import build

GOLDEN = Path(__file__).parent / "goldens" / "takeaways.txt"
MONTHS = ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05"]


def _rate(value: float) -> str:
    return format_value(value, Unit.RATE)


def _days(value: float) -> str:
    return format_value(value, Unit.DAYS)


CASES: list[tuple[str, list[float | None], Callable[[float], str], bool | None]] = [
    ("rising, higher is better", [0.20, 0.21, 0.22, 0.24, 0.25], _rate, True),
    ("rising, lower is better", [40, 38, 41, 44, 47], _days, False),
    ("falling three months", [0.30, 0.31, 0.30, 0.29, 0.28], _rate, True),
    ("falling once", [0.30, 0.31, 0.32, 0.33, 0.31], _rate, True),
    ("flat three months", [0.30, 0.2999, 0.25, 0.25, 0.25], _rate, True),
    ("flat once", [0.30, 0.31, 0.32, 0.25, 0.25], _rate, True),
    ("single point", [None, None, 0.275, None, None], _rate, True),
    ("a gap inside the run", [0.20, None, 0.22, 0.24, None], _rate, True),
    ("no direction declared", [10, 12, 14, 16, 18], lambda v: f"{v:.0f}", None),
    ("no readings", [None, None, None, None, None], _rate, True),
]


def test_takeaway_wording_matches_the_golden(golden: Callable[[Path, str], None]) -> None:
    lines = [f"{name}: {series_takeaway('Win rate', MONTHS, values, fmt, better)}"
             for name, values, fmt, better in CASES]
    lines.append("backlog up: " + backlog_takeaway(MONTHS, [2, 5, 4, 6, 9]))
    lines.append("backlog level: " + backlog_takeaway(MONTHS, [2, 5, 4, 6, 5]))
    lines.append("backlog short: " + backlog_takeaway(MONTHS[:2], [1, 1]))
    # Built on 2026-05-01: May has just begun, so the count is as of that day.
    lines.append("backlog as of: " + backlog_takeaway(MONTHS, [2, 5, 4, 6, 9],
                                                      dt.date(2026, 5, 1)))
    lines.append("goals some met: " + attainment_takeaway_("2026-Q1", [
        {"metric": "New ARR", "attainment": 0.9}, {"metric": "Pipeline", "attainment": 1.2},
        {"metric": "NRR", "attainment": 0.97}]))
    lines.append("goals all met: " + attainment_takeaway_("2026-Q1", [
        {"metric": "New ARR", "attainment": 1.05}, {"metric": "Pipeline", "attainment": 1.2}]))
    lines.append("goals one partial: " + attainment_takeaway_("2026-Q3", [
        {"metric": "New ARR", "attainment": 0.56, "partial": "2 of 3 months"},
        {"metric": "Pipeline", "attainment": 1.2}, {"metric": "NRR", "attainment": 0.97}]))
    lines.append("goal one, met: " + attainment_takeaway_("2026-Q1", [
        {"metric": "Pipeline", "attainment": 1.2}]))
    # Nothing met: one goal alone (with others not judged yet), two, three.
    lines.append("goal one judged, not met: " + attainment_takeaway_("2026-Q1", [
        {"metric": "New ARR", "attainment": 0.56, "partial": "2 of 3 months"},
        {"metric": "Follow-through", "attainment": 0.83}]))
    lines.append("goal one, not met: " + attainment_takeaway_("2026-Q1", [
        {"metric": "Follow-through", "attainment": 0.83}]))
    lines.append("goals two, none met: " + attainment_takeaway_("2026-Q1", [
        {"metric": "New ARR", "attainment": 0.9}, {"metric": "NRR", "attainment": 0.97}]))
    lines.append("goals three, none met: " + attainment_takeaway_("2026-Q1", [
        {"metric": "New ARR", "attainment": 0.9}, {"metric": "NRR", "attainment": 0.97},
        {"metric": "Pipeline", "attainment": 0.5}]))
    # A lower-is-better goal brought down to 0 (no churned logo, at most 5): met, no ratio.
    lines.append("goals one at 0: " + attainment_takeaway_("2026-Q1", [
        {"metric": "Churned logos", "attainment": None},
        {"metric": "Refund rate", "attainment": 2.5},
        {"metric": "NRR", "attainment": 0.9}]))
    lines.append("goal only at 0: " + attainment_takeaway_("2026-Q1", [
        {"metric": "Churned logos", "attainment": None}]))
    # A higher-is-better goal of 0 (5 against 0): met, no ratio. Rows with no figure at all
    # are named: "the goal was met" was said of a quarter with five goals.
    lines.append("goal of 0, others with no figure: " + attainment_takeaway_("2026-Q3", [
        {"metric": "Escalations handled", "attainment": None, "label": "met its goal of 0"}],
        ["New ARR", "Win rate"]))
    lines.append("goal just short: " + attainment_takeaway_("2026-Q2", [
        {"metric": "Web MQL to SQL", "attainment": 241 / 2016 / 0.12},
        {"metric": "New ARR", "attainment": 1.1}]))
    lines.append("goals with no figure: " + attainment_takeaway_("2026-Q3", [
        {"metric": "Pipeline", "attainment": 1.2}, {"metric": "NRR", "attainment": 0.9}],
        ["New ARR"]))
    # Goals and figures below zero have no ratio: judged by comparing (a net expansion of
    # −3,000 against a goal of −5,000 beats it; a margin of −3,500 against −2,000 misses).
    lines.append("goals below zero: " + attainment_takeaway_("2026-Q2", [
        {"metric": "Net expansion", "attainment": None, "met": True, "label": "met"},
        {"metric": "Net margin", "attainment": None, "met": False, "label": "not met",
         "figure": "−$3,500 against a goal of −$2,000"},
        {"metric": "New ARR", "attainment": 1.1}]))
    lines.append("goal below zero, missed: " + attainment_takeaway_("2026-Q2", [
        {"metric": "Net margin", "attainment": None, "met": False, "label": "not met",
         "figure": "−$3,500 against a goal of −$2,000"}]))
    # A typed actual and the quarter's figure either side of the goal: not judged, and why.
    lines.append("goal typed and computed either side: " + attainment_takeaway_("2026-Q3", [
        {"metric": "New ARR", "attainment": 0.985}, {"metric": "NRR", "attainment": 1.02}],
        ["Pipeline"], [("Sales cycle", "typed meets the goal, the records do not")]))
    golden(GOLDEN, "\n".join(lines) + "\n")


def attainment_takeaway_(period: str, rows: list[dict[str, object]],
                         unjudged: Sequence[str] = (),
                         disputed: Sequence[tuple[str, str]] = ()) -> str:
    """`attainment_takeaway` of rows given as the chart gives them: ``met`` where a row does
    not say (a ratio of 1 or more; a row with no ratio, "met at 0", unless labelled)."""
    for row in rows:
        ratio = row["attainment"]
        row.setdefault("met", ratio is None or float(ratio) >= 1)  # type: ignore[arg-type]
        if ratio is None:
            row.setdefault("label", "met at 0")
    return attainment_takeaway(period, rows, unjudged, disputed)


def test_a_three_month_fall_names_its_start_and_end() -> None:
    # 0.31 → 0.30 → 0.29 → 0.28: three falls in a row, from February's 31.0% to May's 28.0%.
    text = series_takeaway("Inbound MQL→SQL", MONTHS, [0.30, 0.31, 0.30, 0.29, 0.28], _rate, True)
    assert text == ("Inbound MQL→SQL fell three months running to May 2026, 31.0% → 28.0% — "
                    "worse.")


def test_moves_too_small_to_show_count_as_flat() -> None:
    # 30.00% and 29.99% both show as 30.0%: no move a reader could see.
    text = series_takeaway("X", MONTHS[:2], [0.30, 0.2999], _rate, True)
    assert text == "X held at 30.0% in February 2026, as in January 2026."



def test_a_fall_the_trend_table_calls_flat_is_not_called_worse() -> None:
    """33.3% → 32.6% is −0.7 pp: under the one point a rate must move, so the indicator's
    table calls it flat against the prior month; the chart's sentence (and its text
    alternative) must not call it worse."""
    from functools import partial

    from generator.analysis.series import judge

    text = series_takeaway("Win rate for Sales", MONTHS[:2], [1 / 3, 0.326], _rate, True,
                           partial(judge, rate=True, up=True))
    assert text == ("Win rate for Sales was flat in February 2026, 33.3% → 32.6%: under the "
                    "noise threshold.")
    # Three points are beyond it: then the fall is worse.
    beyond = series_takeaway("Win rate for Sales", MONTHS[:2], [1 / 3, 0.30], _rate, True,
                             partial(judge, rate=True, up=True))
    assert beyond.endswith("33.3% → 30.0% — worse.")
    # Across a month with no reading, the sentence names the month it compares with: "flat
    # in November, 609 → 620" read as against October, which had none.
    gap = series_takeaway("Open opportunities for Sales", ["2026-09", "2026-11"], [609, 620],
                          str, True, lambda change, base: "flat")
    assert gap == ("Open opportunities for Sales was flat from September 2026 to November "
                   "2026, 609 → 620: under the noise threshold.")


def test_a_run_never_counts_a_month_the_trend_table_calls_flat() -> None:
    """23.3% → 29.2% → 30.0%: August rose 5.9 points, September 0.8, under the one point a
    rate must move, so its row says flat: the sentence is about September, not "rose two
    months running"."""
    from functools import partial

    from generator.analysis.series import judge

    flat = partial(judge, rate=True, up=True)
    text = series_takeaway("Win rate for Sales", MONTHS[:3], [0.233, 0.292, 0.300], _rate, True,
                           flat)
    assert text == ("Win rate for Sales was flat in March 2026, 29.2% → 30.0%: under the noise "
                    "threshold.")
    # Moves under the threshold one by one that add up to more are said so, with a verdict.
    creep = series_takeaway("Win rate for Sales", MONTHS[:4], [0.300, 0.308, 0.316, 0.324],
                            _rate, True, flat)
    assert creep == ("Win rate for Sales crept up three months running to April 2026 by moves "
                     "under the noise threshold, 30.0% → 32.4% — better.")
    # Without the table's test, any move that shows is a move.
    assert series_takeaway("W", MONTHS[:3], [0.233, 0.292, 0.300], _rate, True).startswith(
        "W rose two months running to March 2026, 23.3% → 30.0%")


TAXONOMY = """\
company: Acme
causes:
  - id: slow-follow-up
    title: Slow follow-up
    description: Leads wait.
indicators:
  - id: win-rate
    label: Win rate
    unit: rate
    better: up
    quarterly: mean
teams:
  - id: sales
    name: Sales
plan_kinds:
  - id: deal
    title: Deals
"""


def _retro(period: str, held: str, win_rate: str) -> str:
    return f"""---
type: retro
team: sales
period: {period}
held: {held}
facilitator: Ann Lee
format: went-well-didnt
indicators:
  win-rate: {win_rate}
---
Notes.
"""


def test_a_one_segment_decimal_series_gets_its_takeaway_in_the_chart_and_its_title(
        tmp_path: Path) -> None:
    # Rates typed as decimals, one team, no segments: 0.25 → 0.22 → 0.20 → 0.26.
    # The last move is a single rise in April: "rose in April 2026, 20.0% → 26.0%".
    root = make_kb(tmp_path / "kb", {
        "retros/2026-01-sales.md": _retro("2026-01", "2026-02-03", "0.25"),
        "retros/2026-02-sales.md": _retro("2026-02", "2026-03-03", "0.22"),
        "retros/2026-03-sales.md": _retro("2026-03", "2026-04-02", "0.20"),
        "retros/2026-04-sales.md": _retro("2026-04", "2026-05-04", "0.26"),
    }, taxonomy=_taxonomy(tmp_path))
    generated = build(root, dt.date(2026, 5, 10))
    chart = generated.figures.indicators[("win-rate", "sales")]
    expected = "Win rate for Sales rose in April 2026, 20.0% → 26.0% — better."
    assert chart.title == expected
    assert chart.alt.startswith(expected)
    svg = chart.svg.decode()
    assert f"<title>{expected}</title>" in svg
    page = generated.files["indicators/win-rate.md"].decode()
    assert f'<figcaption class="hs-takeaway">{expected}</figcaption>' in page


def _taxonomy(tmp_path: Path) -> Path:
    path = tmp_path / "taxonomy.yml"
    path.write_text(TAXONOMY, encoding="utf-8")
    return path


@pytest.mark.parametrize(("value", "digits", "shown"), [
    (5 / 8, 0, "63%"),          # 62.5: half rounds up (format's half-to-even gave 62%)
    (0.0625, 1, "6.3%"),        # 6.25 at one decimal, up
    (0.2397 / 0.24, 0, "99.9%"),  # a goal 0.1 % short: never shown as 100 %
    (0.9998, 0, "99.98%"),      # two more decimals when one is not enough
    (0.004, 0, "0.4%"),         # above none: never shown as 0 %
    (1.0, 0, "100%"), (0.0, 0, "0%"), (0.4167, 0, "42%"), (1.2, 1, "120.0%"),
])
def test_percentages_round_half_up_and_never_hide_a_shortfall(value: float, digits: int,
                                                               shown: str) -> None:
    from generator.records.formatting import pct

    assert pct(value, digits) == shown


@pytest.mark.parametrize(("change", "unit", "shown"), [
    (-0.0004, Unit.RATE, "±0.0 pp"), (0.0004, Unit.RATE, "±0.0 pp"), (-0.021, Unit.RATE, "−2.1 pp"),
    (-0.3, Unit.USD, "−$0.30"), (-0.001, Unit.USD, "−$0.001"), (1e-12, Unit.USD, "±$0"),
    (1200, Unit.USD, "+$1,200"), (-0.04, Unit.DAYS, "±0 days"),
    (-3, Unit.DAYS, "−3 days"),
])
def test_a_change_too_small_to_show_has_no_sign(change: float, unit: Unit, shown: str) -> None:
    """−0.04 pp rounds to 0.0: "−0.0 pp" in a table reads as a fall that is not there."""
    from generator.records.formatting import format_delta

    assert format_delta(change, unit) == shown


def test_days_and_their_changes_read_to_the_same_tenth() -> None:
    """A mean time to first value of 32.666 days beside its change of +2.34 days read
    "32.67 days" and "+2.3 days": two precisions of one measure. A scorecard goal or actual
    keeps the hundredths it was typed with."""
    from generator.records.formatting import exact_value, format_delta

    assert (format_value(98 / 3, Unit.DAYS), format_delta(2.34, Unit.DAYS)) == (
        "32.7 days", "+2.3 days")
    assert format_value(0.96, Unit.DAYS) == "1 day" and format_value(47.0, Unit.DAYS) == "47 days"
    assert exact_value(39.75, Unit.DAYS) == "39.75 days"


@pytest.mark.parametrize(("text", "shown"), [
    ("Zeta had budget", "Zeta had budget."), ("Done.", "Done."), ("Really?", "Really?"),
    ("「予算あり」。", "「予算あり」。"), ('He said "yes."', 'He said "yes."'), ("", ""),
])
def test_a_statement_followed_by_another_ends_as_a_sentence(text: str, shown: str) -> None:
    """"We assumed: Zeta had budget It did not hold." read as one sentence: a statement
    written without a full stop gets one before the next."""
    from generator.messages import sentence

    assert sentence(text) == shown
