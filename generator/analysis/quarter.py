"""Quarterly reviews computed from their quarter: indicator roll-ups and built-in measures.

A scorecard row that names an indicator (optionally one segment of it) gets the quarter's
figure from the monthly retros of the quarter, combined as the indicator declares; a row that
names a built-in measure (new ARR, action follow-through) gets it computed from the months or
the actions register. The figure stands beside what was typed ("agrees", or "differs", by
how much and which way), fills in a row that has no typed actual, and is what the goal is
judged on where the two agree; a row whose two figures fall either side of its goal is not
judged (`ScorecardRow.dispute`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

import pandas as pd

from ..messages import and_list
from ..records.actions import ActionState
from ..records.corpus import Entry
from ..records.formatting import format_value, goal_met, month_name
from ..records.rollup import Combined, Part, combine, written_tolerance
from ..records.schema import Builtin, Measure, Review, Status
from ..records.taxonomy import OVERALL_SEGMENT, Aggregate, Indicator, Taxonomy, Unit
from ..records.types import months_of_quarter, period_last_day
from .series import TABLE_COLUMNS, Nothing

ALL = OVERALL_SEGMENT
"""The segment name of a segmented indicator's overall (combined) value."""

COLUMNS = list(TABLE_COLUMNS)
"""The readings table. ``computed``: the value came from a formula, not typed; ``method``: how
an ``all`` row combined its segments (empty for a reading as written); ``parts``: the segments
it combined, space-separated (empty for a reading as written)."""


@dataclass(frozen=True)
class QuarterFigure:
    """A figure for a quarter and where it came from."""

    value: float
    method: str
    """How it was computed, in words."""
    records: tuple[str, ...]
    """The records behind it (ids), in date order."""
    partial: str = ""
    """How many of the quarter's months any team reported, when not all ("2 of 3 months"):
    the figure is the quarter so far, not the quarter."""
    counted: str = ""
    """What the figure counts, said beside it where a figure of the same name elsewhere counts
    otherwise: action follow-through's "done, on time or late, 10 of 12; by the first due
    date 9 of 12, 75.0%", the second being the register's rule."""


def _part(row: Mapping[Any, Any]) -> Part:
    def count(value: object) -> float | None:
        ok = isinstance(value, int | float) and value == value
        return float(value) if ok else None  # type: ignore[arg-type]
    return Part(float(row["value"]), count(row["numerator"]), count(row["denominator"]))


def _records(rows: pd.DataFrame, columns: tuple[str, ...]) -> list[dict[str, Any]]:
    """``rows``' ``columns`` as ``to_dict("records")`` gives them (Python values, NaN kept),
    read column by column: pandas' own took 2.5 ms for a month of a few hundred teams, 1.2 s
    of a split indicator's quarters at 10,000 records."""
    return [dict(zip(columns, values, strict=True))
            for values in zip(*(rows[column].tolist() for column in columns), strict=True)]


def quarter_figure(frame: pd.DataFrame, indicator: Indicator, quarter: str,
                   segment: str | None = None, team: str | None = None,
                   nothing: Mapping[tuple[str, str, str], frozenset[str]] | None = None,
                   quarterly: frozenset[str] = frozenset(),
                   names: Mapping[str, str] | None = None,
                   ) -> QuarterFigure | None:
    """An indicator's figure for a quarter, from its monthly values, per its aggregation.

    Several teams may report one indicator: each month first combines the teams the way the
    indicator combines segments, then the months combine as declared for quarters. A month
    whose retro wrote the segment with no value (``nothing``, `Nothing`) had nothing to
    measure: it is in the figure as nothing, not a month missing from it. A team of
    ``quarterly`` (``retros: quarterly``) gives one reading, dated the quarter's last month,
    that is the whole quarter's: its three months are given. ``names``: each team's name by
    id, as the method names the teams (an id not in it is said as written).
    """
    names = names or {}
    how = indicator.quarter
    if how is Aggregate.NONE:
        return None
    months = months_of_quarter(quarter)
    rows = frame[(frame["indicator"] == indicator.id) & (frame["segment"] == (segment or ALL))
                 & (frame["period"].isin(months))]
    if team is not None:
        rows = rows[rows["team"] == team]
    if rows.empty:
        return None
    given, quiet = _months_given(rows, indicator.id, segment, months, nothing or {})
    whole = sorted(t for t, periods in given.items() if t in quarterly and months[-1] in periods)
    for team_id in whole:
        # Its retro is the quarter: "from 1 of 3 months only" waited for two months that a
        # team meeting quarterly never has.
        given[team_id] = set(months)
    if how is Aggregate.LAST and team is None and rows["team"].nunique() > 1:
        return _last_levels(rows, indicator, quarter, given, quiet, nothing, names)
    if whole and len(whole) == len(given):
        return _quarterly_only(rows[rows["period"] == months[-1]], indicator, whole, names)
    monthly: list[Part] = []
    across: dict[str, None] = {}  # how the teams were combined each month, in words
    spread = rows
    if whole and how in (Aggregate.MEAN, Aggregate.MEDIAN):
        # Beside teams that meet monthly, a quarter's reading stands for each of its months in
        # a mean or a median (it is a level, not a month's third); in a sum or pooled counts it
        # counts once, being the quarter's total.
        held = rows[rows["team"].isin(whole) & (rows["period"] == months[-1])]
        spread = pd.concat([rows, *(held.assign(period=month) for month in months[:-1])],
                           ignore_index=True)
    for _, group in spread.groupby("period", sort=True):
        found = _records(group, ("team", "value", "numerator", "denominator"))
        parts = [_part(r) for r in found]
        both = combine(parts, indicator.combine, "teams") if len(parts) > 1 else None
        monthly.append(Part(both.value, both.numerator, both.denominator) if both else parts[0])
        if both is not None:
            across[_across_teams(both.method, found, names)] = None
    combined = combine(monthly, how, "months")
    if combined is None:
        return None
    if across:
        # A company figure is first one per month across the teams: said, since a plain mean
        # weighs a team of 5 deals like one of 50.
        combined = Combined(combined.value, combined.numerator, combined.denominator,
                            f"{combined.method}; each month, the teams' "
                            + " or ".join(across))
    # A month one team did not report is a gap even when another team reported it.
    gaps = {t: len(periods) for t, periods in given.items() if len(periods) < 3}
    # Partial is a quarter with months no team reported: the figure may still change. A team
    # that started or stopped within the quarter is named in the method, not a gap to wait on.
    seen = len(set().union(*given.values()))
    partial = f"{seen} of 3 months" if seen < 3 else ""
    if len(given) > 1 and gaps:
        method = combined.method + "; " + ", ".join(
            f"{names.get(t, t)}: {n} of 3 months reported" for t, n in sorted(gaps.items()))
    else:
        method = combined.method + (f"; {partial} reported" if partial else "")
    method += _nothing_said(quiet, len(given) > 1, names)
    method += "".join(f"; {names.get(t, t)}: its quarterly retro, the whole quarter"
                      for t in whole)
    left_out = _segments_left_out(rows, len(given) > 1, how is Aggregate.LAST, nothing, names)
    return QuarterFigure(combined.value, method + left_out,
                         tuple(sorted(set(rows["record"]))), partial)


@dataclass(frozen=True)
class QuarterRow:
    """One quarter of an indicator's page: the company's figure, as a company review's
    scorecard row naming the indicator computes it, and the quarter before's to compare."""

    quarter: str
    """``YYYY-Qn``."""
    figure: QuarterFigure
    prior: float | None
    """The figure of the quarter just before, when it has one and the two compare (a sum of
    the months so far is not compared with a whole quarter's)."""
    so_far: bool = False
    """Whether the quarter had not ended by the build date: its ``figure.partial`` months are
    the quarter so far, not months left unreported."""
    segments: tuple[tuple[str, QuarterFigure | None], ...] = ()
    """A split indicator's figure for each of its segments, in the taxonomy's order, as a
    review's row naming the segment computes it (None where no month gave the segment)."""


def quarters_of(frame: pd.DataFrame, indicator: Indicator, taxonomy: Taxonomy,
                nothing: Mapping[tuple[str, str, str], frozenset[str]],
                as_of: dt.date | None = None) -> list[QuarterRow]:
    """``indicator``'s figure for every quarter its readings reach, the newest first: every
    team's overall readings combined as a company review computes the quarter (`scorecard`),
    so the figure a planner quotes and the review's agree. Empty when the indicator is not
    rolled up (``quarterly: none``) or has no readings. A quarter that had not ended by
    ``as_of`` is marked so."""
    if indicator.quarter is Aggregate.NONE:
        return []
    rows = frame[frame["indicator"] == indicator.id]
    if rows.empty:
        return []
    periods = rows["period"].astype(str)
    quarters = periods.str[:4] + "-Q" + ((periods.str[5:7].astype(int) - 1) // 3 + 1).astype(str)
    names = {team.id: str(team.name) for team in taxonomy.teams}
    found: list[tuple[str, QuarterFigure]] = []
    split: dict[str, tuple[tuple[str, QuarterFigure | None], ...]] = {}
    for quarter, group in rows.groupby(quarters, sort=True):
        quarterly = taxonomy.quarterly_teams_in(months_of_quarter(str(quarter))[-1])
        figure = quarter_figure(group, indicator, str(quarter), None, None, nothing, quarterly,
                                names)
        if figure is not None:
            found.append((str(quarter), figure))
            # A plan's goal is often a segment's ("enterprise win rate"): each one's quarter.
            split[str(quarter)] = tuple(
                (segment, quarter_figure(group, indicator, str(quarter), segment, None, nothing,
                                         quarterly, names))
                for segment in indicator.segments)
    shown: list[QuarterRow] = []
    for at, (quarter, figure) in enumerate(found):
        before = found[at - 1] if at else None
        adjacent = before is not None and before[0] == previous_quarter(quarter)
        # Two months' sum beside a whole quarter's reads as a fall that is only a month short.
        comparable = adjacent and not (figure.partial and indicator.quarter is Aggregate.SUM)
        ended = period_last_day(months_of_quarter(quarter)[-1])
        shown.append(QuarterRow(quarter, figure,
                                before[1].value if before is not None and comparable else None,
                                so_far=as_of is not None and as_of <= ended,
                                segments=split[quarter]))
    return shown[::-1]


def previous_quarter(quarter: str) -> str:
    """The quarter before ``YYYY-Qn``."""
    year, q = quarter.split("-Q")
    return f"{int(year) - 1}-Q4" if q == "1" else f"{year}-Q{int(q) - 1}"


def _quarterly_only(rows: pd.DataFrame, indicator: Indicator, teams: list[str],
                    names: Mapping[str, str]) -> QuarterFigure | None:
    """A quarter's figure where every team that gave it meets quarterly: each team's one
    reading is its quarter, and the teams combine as the indicator combines them (a total is
    not summed over months it was never split into)."""
    found = rows.sort_values("team", kind="stable").to_dict("records")
    if len(found) == 1:
        return QuarterFigure(float(found[0]["value"]),
                             f"{names.get(teams[0], teams[0])}'s quarterly retro, the whole "
                             "quarter",
                             (str(found[0]["record"]),))
    both = combine([_part(r) for r in found], indicator.combine, "teams")
    if both is None:
        return None
    method = (f"{_across_teams(both.method, found, names)} of the teams' quarterly retros, "
              "each the whole quarter")
    left_out = _segments_left_out(rows, True, names=names)
    return QuarterFigure(both.value, method + left_out, tuple(sorted(set(rows["record"]))))


def _months_given(rows: pd.DataFrame, indicator: str, segment: str | None,
                  months: list[str], nothing: Mapping[tuple[str, str, str], frozenset[str]],
                  ) -> tuple[dict[str, set[str]], dict[str, list[str]]]:
    """The months each team in ``rows`` gave the quarter's figure, with those it wrote the
    segment with no value (for the overall, every segment it wrote: no row); and those months
    alone, by team. A month with nothing to measure is not one to wait for: "from 2 of 3
    months" was said of a segment with no events held in May, and the goal was not judged,
    though no record could be corrected to change it."""
    given = {str(t): {str(p) for p in periods}
             for t, periods in rows.groupby("team")["period"]}
    quiet: dict[str, list[str]] = {}
    for team_id, periods in given.items():
        for month in months:
            none = nothing.get((month, team_id, indicator), frozenset())
            if month not in periods and none and (segment is None or segment in none):
                periods.add(month)
                quiet.setdefault(team_id, []).append(month)
    return given, quiet


def _nothing_said(quiet: Mapping[str, list[str]], teams: bool,
                  names: Mapping[str, str]) -> str:
    """The months with nothing to measure, as a method says them ("; nothing to measure in
    May 2026", "; east: nothing to measure in May 2026")."""
    return "".join(f"; {f'{names.get(t, t)}: ' if teams else ''}nothing to measure in "
                   f"{and_list([month_name(m) for m in sorted(months)])}"
                   for t, months in sorted(quiet.items()))


def _segments_left_out(rows: pd.DataFrame, teams: bool, last_only: bool = False,
                       nothing: Mapping[tuple[str, str, str], frozenset[str]] | None = None,
                       names: Mapping[str, str] | None = None) -> str:
    """Which of a quarter's months combined fewer segments than the team gave in others, as a
    method says it ("; March 2026 without events", "; east: March 2026 without events"): a
    quarter's total of 690 MQLs with a month's events left out reads as the team's total.
    ``last_only``: a level's quarter is each team's last month alone, so only that month is
    said (an earlier month without a segment is not in the figure). A segment a month wrote
    with no value (``nothing``) it did not leave out, nor did it give it: a quarter of April
    and June without enterprise around May's ``enterprise:`` has no month without it, and one
    of January with enterprise, February without it and March's ``enterprise:`` has
    February."""
    said = []
    # Each team's rows in the table's order, read as plain lists: a frame's rows turned into
    # dicts team by team took 2 s a quarter-by-quarter indicator page at 10,000 records.
    by_team: dict[str, list[tuple[str, str, str]]] = {}
    for team_id, period, parts, indicator in zip(
            rows["team"].tolist(), rows["period"].tolist(), rows["parts"].tolist(),
            rows["indicator"].tolist(), strict=True):
        if isinstance(parts, str) and parts:
            by_team.setdefault(str(team_id), []).append((str(period), parts, str(indicator)))
    for team_id in sorted(by_team):
        given: dict[str, tuple[set[str], frozenset[str]]] = {}
        for period, parts, indicator in by_team[team_id]:
            none = (nothing or {}).get((period, team_id, indicator), frozenset())
            given[period] = (set(parts.split()) - none, none)
        every = set().union(*(valued for valued, _ in given.values()))
        used = sorted(given.items())[-1:] if last_only else sorted(given.items())
        for period, (valued, none) in used:
            if not every <= valued | none:
                missing = " and ".join(sorted(every - valued - none))
                named = (names or {}).get(str(team_id), str(team_id))
                said.append(f"{f'{named}: ' if teams else ''}{month_name(period)} without "
                            f"{missing}")
    return "".join(f"; {text}" for text in said)


def _last_levels(rows: pd.DataFrame, indicator: Indicator, quarter: str,
                 given: Mapping[str, set[str]], quiet: Mapping[str, list[str]],
                 nothing: Mapping[tuple[str, str, str], frozenset[str]] | None,
                 names: Mapping[str, str]) -> QuarterFigure | None:
    """A level's quarter (``quarterly: last``) across several teams: each team's last reading
    in the quarter, combined as the indicator combines teams. A team with no reading in the
    quarter's last month still holds its level: the company's open opportunities at the end
    of June are East's 24 and West's 14 of May, 38, not East's 24 alone."""
    last = rows.sort_values("period", kind="stable").groupby("team", sort=True).tail(1)
    found = last.sort_values("team", kind="stable").to_dict("records")
    both = combine([_part(r) for r in found], indicator.combine, "teams")
    if both is None:
        return None
    final = months_of_quarter(quarter)[-1]
    earlier = [f"{names.get(str(r['team']), str(r['team']))}: {month_name(str(r['period']))}"
               for r in found
               if r["period"] != final]
    method = (f"{_across_teams(both.method, found, names)} of each team's last reading in the "
              "quarter"
              + (f" ({', '.join(earlier)})" if earlier else ""))
    seen = len(set().union(*given.values()))
    partial = f"{seen} of 3 months" if seen < 3 else ""
    if partial:
        method += f"; {partial} reported"
    method += _nothing_said(quiet, True, names)
    method += _segments_left_out(rows, True, True, nothing, names)
    return QuarterFigure(both.value, method, tuple(sorted(set(last["record"]))), partial)


def _across_teams(method: str, rows: list[dict[Any, Any]],
                  names: Mapping[str, str]) -> str:
    """How a month's teams were combined, briefly: "sum", "pooled counts", "plain mean (no
    counts from latam)"."""
    if method.startswith("pooled"):
        return "pooled counts"
    if method.startswith("plain mean"):
        missing = sorted({names.get(str(r["team"]), str(r["team"])) for r in rows
                          if _part(r).denominator is None})
        return f"plain mean (no counts from {and_list(missing)})"
    return method.removesuffix(" of the teams")


def new_arr(frame: pd.DataFrame, taxonomy: Taxonomy, quarter: str,
            team: str | None = None) -> QuarterFigure | None:
    """New ARR of a quarter: Σ over its months of deals won × average deal size.

    Per segment when both indicators are split alike (a segment's deals at its own size),
    otherwise the month's overall values. None without ``new_arr:`` in the taxonomy or data.
    A team that meets quarterly gives the quarter's deals and size at once: its three months.
    """
    last = months_of_quarter(quarter)[-1]
    quarterly = taxonomy.quarterly_teams_in(last)
    inputs = taxonomy.new_arr
    if inputs is None:
        return None
    rows = frame[frame["period"].isin(months_of_quarter(quarter))]
    if team is not None:
        rows = rows[rows["team"] == team]
    won = {(r["period"], r["team"], r["segment"]): r["value"]
           for r in rows[rows["indicator"] == inputs.won].to_dict("records")}
    size = {(r["period"], r["team"], r["segment"]): r["value"]
            for r in rows[rows["indicator"] == inputs.deal_size].to_dict("records")}
    total, records, split = 0.0, set(), False
    months: set[str] = set()
    for period, team_id in sorted({(p, t) for p, t, _ in won}):
        segments = {s for p, t, s in won if (p, t) == (period, team_id) and s != ALL}
        paired = [s for s in segments if (period, team_id, s) in size]
        pairs = paired if paired and len(paired) == len(segments) else [ALL]
        if not all((period, team_id, s) in won and (period, team_id, s) in size for s in pairs):
            continue
        total += sum(float(won[(period, team_id, s)]) * float(size[(period, team_id, s)])
                     for s in pairs)
        split = split or pairs != [ALL]
        months.update(months_of_quarter(quarter) if team_id in quarterly and period == last
                      else [period])
        records.update(rows[(rows["period"] == period) & (rows["team"] == team_id)
                            & rows["indicator"].isin([inputs.won, inputs.deal_size])]["record"])
    if not months:
        return None
    partial = f"{len(months)} of 3 months" if len(months) < 3 else ""
    method = (f"Σ over the months of {inputs.won} × {inputs.deal_size}"
              + (", segment by segment" if split else "")
              + (f"; {partial} reported" if partial else ""))
    return QuarterFigure(total, method, tuple(sorted(records)), partial)


def held_early(review: Review) -> dt.date | None:
    """The day a review held before its quarter's last day was held (its follow-through
    counts only the actions due by then); None for one held once the quarter had ended."""
    return review.held if review.held < period_last_day(review.period) else None


def follow_through(states: Iterable[ActionState], review: Review,
                   team: str | None = None) -> QuarterFigure | None:
    """Share of the actions due in the review's quarter that were done by the review date.

    Dropped actions are left out (a decision not to do something is not a miss); an action
    done after the review counts as not done by it. An action is due when it was first due, as
    the register counts lateness: moving a missed due date into the next quarter does not take
    it out of this one. A review held before its quarter's last day counts only the actions
    due by the day it was held: one due later had not yet had its chance (validation warns).
    A team's review counts the actions the team answered for on the day it was held: one
    handed to another team later (``action_updates[].team``) stays in it.
    """
    months = set(months_of_quarter(review.period))
    early = held_early(review) is not None
    due = [s for s in states if s.action.due.strftime("%Y-%m") in months
           and (not early or s.action.due <= review.held)
           and s.status is not Status.DROPPED
           and (team is None or s.team_on(review.held) == team)]
    if not due:
        return None
    done = [s for s in due if (d := s.done_date) is not None and d <= review.held]
    # "On time or late": the register's follow-through (the home page's, an owner's) counts
    # only those done by their first due date. The row names its rule and gives the
    # register's count beside it: 83.3% here read as the home page's 72% gone up, where by
    # the register's rule the quarter was 75%. The goal is still judged on this figure.
    on_time = sum(s.done_on_time for s in due)
    counted = (f"done, on time or late, {len(done)} of {len(due)}; by the first due date "
               f"{on_time} of {len(due)}, {format_value(on_time / len(due), Unit.RATE.value)}")
    early_said = (f"; held before the quarter ended, so only actions due by {review.held} count"
                  if early else "")
    method = (f"{len(done)} of {len(due)} actions first due in {review.period} done by "
              f"{review.held}, on time or late (dropped ones left out{early_said})")
    records = tuple(sorted({s.entry.id for s in due}))
    return QuarterFigure(len(done) / len(due), method, records, counted=counted)


@dataclass(frozen=True)
class ScorecardRow:
    """A scorecard row next to what the quarter gives for it."""

    measure: Measure
    figure: QuarterFigure | None
    """The computed figure (None: the row names nothing computable, or no data)."""
    unit: str
    """The unit values are shown in: the one the indicator is shown in for an indicator row
    (`Indicator.shown`: a ratio declared `shown_as: percent` as a percentage), else the row's."""
    ended: str = ""
    """Why the months its figure lacks will never come, when it is from part of the quarter
    and its indicator (or the review's team) was retired before the quarter ended: "the
    indicator was retired after October 2026". The row is then not judged for good, not
    "yet"."""
    if_summed: tuple[tuple[str, float], ...] = ()
    """For a company row with a typed actual whose indicator combines its teams by their mean
    (or median): what the quarter's figure would be were the teams added up, by the change to
    taxonomy.yml that would make it so (``("aggregate: sum", 81516.25)``): a typed total
    set against the teams' mean is a total read as an average (`check_scorecards`)."""

    @property
    def computed(self) -> float | None:
        """The computed value, if any."""
        return self.figure.value if self.figure else None

    @property
    def actual(self) -> float | None:
        """The typed actual, or the computed one when none was typed."""
        return self.measure.actual if self.measure.actual is not None else self.computed

    @property
    def filled_in(self) -> bool:
        """No actual was typed and the computed one stands in."""
        return self.measure.actual is None and self.computed is not None

    @property
    def so_far(self) -> bool:
        """A figure computed from part of the quarter stands in for no typed actual: the
        quarter so far, shown, but not judged met or missed."""
        return self.filled_in and self.figure is not None and bool(self.figure.partial)

    @property
    def difference(self) -> float | None:
        """Computed minus typed, when both exist."""
        if self.computed is None or self.measure.actual is None:
            return None
        return self.computed - self.measure.actual

    @property
    def agrees(self) -> bool | None:
        """Whether typed and computed agree within the precision the actual was typed with;
        None where there is nothing to compare, or the computed figure covers only part of
        the quarter: two months' New ARR set against the typed quarter's read as the typed
        figure 30 % too high."""
        if self.figure is not None and self.figure.partial:
            return None
        diff = self.difference
        if diff is None or self.measure.actual is None:
            return None
        return abs(diff) <= written_tolerance(float(self.measure.actual),
                                              rate=self.unit == "rate")

    @property
    def judged_on(self) -> float | None:
        """The figure the row's goal is judged against: the computed one where it stands in
        for no typed actual, or where the whole quarter's figure agrees with the typed one
        within rounding, as the precise one ($2,000,000 typed, $1,970,200 computed: 98.5 %,
        missed, though the typed figure meets a goal of $2,000,000); else the typed one."""
        if self.measure.actual is None:
            return self.computed
        if self.agrees and self.figure is not None and not self.figure.partial:
            return self.computed
        return self.measure.actual

    @property
    def as_judged(self) -> Measure:
        """The row's measure with `judged_on` as its actual, as `attainment`, `goal_met` and
        their kin take it."""
        value = self.judged_on
        if value == self.measure.actual:
            return self.measure
        return self.measure.model_copy(update={"actual": value})

    @property
    def dispute(self) -> str:
        """Which side meets the goal, where the typed actual and the whole quarter's figure
        differ beyond rounding and fall on opposite sides of it ("typed meets the goal, the
        records do not"): the row is neither met nor missed until one is corrected. Empty
        otherwise (a figure from part of the quarter may still change: the typed one stands)."""
        if self.agrees is not False or self.figure is None or self.figure.partial:
            return ""
        typed = goal_met(self.measure)
        computed = goal_met(self.measure.model_copy(update={"actual": self.figure.value}))
        if typed is None or computed is None or typed == computed:
            return ""
        return ("typed meets the goal, the records do not" if typed
                else "the records meet the goal, typed does not")

    @property
    def judged(self) -> bool:
        """Whether the goal can be judged met or missed: it has a figure, not one computed
        from part of the quarter standing in for none (the quarter so far), and its typed and
        computed figures do not fall on opposite sides of it (`dispute`)."""
        if self.so_far:
            return False
        return not self.dispute and goal_met(self.as_judged) is not None

    @property
    def met(self) -> bool:
        """Whether the goal was met or beaten, of those `judged`, on `judged_on`."""
        return self.judged and bool(goal_met(self.as_judged))


@dataclass
class Sources:
    """What scorecards are computed from, indexed once for every review of a build."""

    frame: pd.DataFrame
    states: Mapping[str, ActionState]
    nothing: Mapping[tuple[str, str, str], frozenset[str]] = field(default_factory=dict)
    """The segments each month wrote with no value (`Nothing`)."""

    @cached_property
    def by_indicator(self) -> dict[str, pd.DataFrame]:
        """The readings of each indicator (filtering the whole table per row is slow)."""
        return {str(k): g for k, g in self.frame.groupby("indicator", sort=False)}

    @cached_property
    def due_by_quarter(self) -> dict[str, list[ActionState]]:
        """Actions by the quarter they were first due in (as `follow_through` counts them)."""
        quarters: dict[str, list[ActionState]] = {}
        for state in self.states.values():
            first = state.action.due
            key = f"{first.year}-Q{(first.month - 1) // 3 + 1}"
            quarters.setdefault(key, []).append(state)
        return quarters

    def readings(self, indicator: str) -> pd.DataFrame:
        """One indicator's readings (an empty table when it has none)."""
        return self.by_indicator.get(indicator, self.frame.iloc[0:0])


def scorecard(entry: Entry, sources: Sources, taxonomy: Taxonomy) -> list[ScorecardRow]:
    """Every row of a review's scorecard with its computed figure (where it names one)."""
    review = entry.record
    if not isinstance(review, Review):
        return []
    frame = sources.frame
    indicators = {i.id: i for i in taxonomy.indicators}
    # The method names teams as the pages do, by name: "cs's quarterly retro" named the id.
    names = {team.id: str(team.name) for team in taxonomy.teams}
    rows = []
    for measure in review.scorecard:
        figure: QuarterFigure | None = None
        unit = measure.unit
        indicator = indicators.get(measure.indicator or "")
        if indicator is not None:
            unit = indicator.shown  # NRR declared shown_as: percent is 104.0%, not 1.04
            readings = sources.readings(indicator.id)
            own = _team(readings, review.team)
            figure = quarter_figure(readings, indicator, review.period, measure.segment, own,
                                    sources.nothing, taxonomy.quarterly_teams_in(
                                        months_of_quarter(review.period)[-1]), names)
            if figure is not None and review.team is not None and own is None:
                # Said on the row: a team review's figure from every team reads as its own.
                figure = replace(figure, method=f"all teams ({names.get(review.team, review.team)}"
                                 " reports no "
                                 f"{indicator.label} of its own); {figure.method}")
        elif measure.measure is Builtin.NEW_ARR:
            unit = Unit.USD.value
            inputs = taxonomy.new_arr
            parts = ([sources.readings(inputs.won), sources.readings(inputs.deal_size)]
                     if inputs else [frame])
            figure = new_arr(pd.concat(parts), taxonomy, review.period, review.team)
        elif measure.measure is Builtin.ACTION_FOLLOW_THROUGH:
            unit = Unit.RATE.value
            figure = follow_through(sources.due_by_quarter.get(review.period, []), review,
                                    review.team)
        ended = ""
        if indicator is not None and figure is not None and figure.partial:
            ended = taxonomy.retired_by(months_of_quarter(review.period)[-1], indicator.id,
                                        review.team) or ""
        summed: tuple[tuple[str, float], ...] = ()
        if indicator is not None and figure is not None and measure.actual is not None \
                and own is None:
            summed = _if_summed(readings, indicator, review.period, measure.segment,
                                sources.nothing)
        rows.append(ScorecardRow(measure, figure, unit, ended, summed))
    return rows


def _if_summed(readings: pd.DataFrame, indicator: Indicator, quarter: str, segment: str | None,
               nothing: Mapping[tuple[str, str, str], frozenset[str]],
               ) -> tuple[tuple[str, float], ...]:
    """What an indicator combining its teams by their mean or median would give for the
    quarter with them added up, by the change to taxonomy.yml that would make it so: `aggregate:
    sum` (the months added up too, unless `quarterly:` says otherwise), and, where the months
    then combine otherwise than they do now, `aggregate: sum` with the months kept as they are
    (`ScorecardRow.if_summed`). Nothing where teams are already added, or one team reports."""
    if indicator.combine not in (Aggregate.MEAN, Aggregate.MEDIAN) \
            or indicator.unit is Unit.RATE \
            or indicator.quarter in (Aggregate.NONE, Aggregate.LAST) \
            or readings["team"].nunique() < 2:
        return ()
    found: list[tuple[str, float]] = []
    changes: list[tuple[str, Aggregate | None]] = [("aggregate: sum", None)]
    if indicator.quarterly is None and indicator.quarter is not Aggregate.SUM:
        changes.append((f"aggregate: sum and quarterly: {indicator.quarter.value}",
                        indicator.quarter))
    for change, months in changes:
        summing = indicator.model_copy(update={"aggregate": Aggregate.SUM,
                                               "quarterly": months or indicator.quarterly})
        figure = quarter_figure(readings, summing, quarter, segment, None, nothing)
        if figure is not None:
            found.append((change, figure.value))
    return tuple(found)


def _team(readings: pd.DataFrame, team: str | None) -> str | None:
    """A team review reads its own team's readings, when that team reports the indicator."""
    if team is None:
        return None
    return team if (readings["team"] == team).any() else None


__all__ = ["ALL", "COLUMNS", "Nothing", "QuarterFigure", "QuarterRow", "ScorecardRow", "Sources",
           "follow_through", "new_arr", "previous_quarter", "quarter_figure", "quarters_of",
           "scorecard"]
