"""Did our fixes work? Each done action next to the indicator it aimed at, before and after.

For every done action that names an indicator (and optionally one of its segments), the
raising team's monthly readings of that indicator are split at the month the action was done:

- *before*: the last ``WINDOW`` (three) readings of months before that month;
- *after*: the first ``WINDOW`` readings of months after it (the month itself is left out:
  part of it came before the action, part after);
- each within ``REACH`` (six) months of it: readings further away, after a team paused its
  retros, are not what came before or after the action, and leave it *not measurable*.

The change is the mean of *after* minus the mean of *before*. The indicator's usual variation
is the **median absolute month-to-month change** of the same series over its whole history
(every pair of consecutive readings), and never less than the noise threshold the trend tables
use (one percentage point for rates, 2 % of the *before* mean otherwise): a series that held
still for months would otherwise make any change at all look clear. The verdict:

- *moved the right way*: the change is larger than the usual variation, in the good direction;
- *moved the wrong way*: larger than the usual variation, in the bad direction;
- *no clear change*: no larger than the usual variation;
- *too early to tell*: fewer than three readings after the month it was done, so far (or,
  where the series ended two months or more before the knowledge base's latest month, none
  since its last: its team stopped reporting it); an indicator or a team retired
  (``retired:`` in taxonomy.yml) before the three could come makes it *not measurable*;
- *not measurable*: the action is not done, names no indicator, or there are fewer than three
  readings before (one or two months are not a baseline, and no later reading can add one),
  or fewer than three after but a later one beyond the six months (the team paused: no later
  reading can add one either), or fewer than three after once the six months have passed as
  of the build date, with the days a retro may come after its month (`HELD_AFTER_PERIOD_DAYS`).

The series is the raising record's team's, else the action's own team's, whichever first
reported the indicator before the month the action was done; an action handed over to another
team (``action_updates[].team``) by a record held by the day it was done is the new team's
first (`ActionState.done_team`: the team that held it when it was done; where that team had not
reported the indicator before, the next of them that had, `Assessed.held_by` naming the team
passed over); when none did and
exactly one team did, that team's (a team that starts reporting it later, the action's own included, does
not take the earlier fixes' baseline away); with several, none is picked and the action is
*not measurable*. A verdict says what *followed* the action, never what it caused: other things
changed too.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import statistics
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import pandas as pd

from ..messages import and_list
from ..records.actions import ActionState
from ..records.corpus_rules import STOPPED_AFTER
from ..records.record_rules import HELD_AFTER_PERIOD_DAYS
from ..records.taxonomy import Better, Taxonomy, Unit, quarter_end, retired_said
from ..records.types import month_of, period_last_day
from .analyze import ALL
from .series import NOISE_RATE, NOISE_RELATIVE, beyond_usual, comparable_parts, kept_overall
from .series import usual_variation as series_variation

WINDOW = 3
"""How many readings before and after the action are compared."""
REACH = 2 * WINDOW
"""How many months from the month an action was done its before and after readings may be:
a team that paused for a year has readings, but not of what came just before or after."""


QUARTER = 3
"""Months a reading of a team that meets quarterly (``retros: quarterly``) stands for."""


def _span(step: int) -> str:
    """`REACH` in a series' own steps, as a reason says it: "6 months" or "6 quarters"."""
    return f"{REACH} {'quarters' if step == QUARTER else 'months'}"


class Verdict(StrEnum):
    """What followed a done action, on the indicator it aimed at."""

    RIGHT = "moved the right way"
    NO_CLEAR_CHANGE = "no clear change"
    WRONG = "moved the wrong way"
    TOO_EARLY = "too early to tell"
    NOT_MEASURABLE = "not measurable"

    @property
    def slug(self) -> str:
        """The verdict as an anchor id."""
        return self.value.replace(" ", "-")

    @property
    def measured(self) -> bool:
        """Whether the verdict compares readings before and after (the fixes we can measure)."""
        return self in (Verdict.RIGHT, Verdict.NO_CLEAR_CHANGE, Verdict.WRONG)


Series = Sequence[tuple[str, float]]
"""Monthly readings of one series as ``(YYYY-MM, value)``, in month order."""


@dataclass(frozen=True)
class Effect:
    """The verdict for one action, with the numbers behind it."""

    verdict: Verdict
    why: str = ""
    """For *not measurable* and *too early to tell*: what is missing."""
    before: tuple[tuple[str, float], ...] = ()
    after: tuple[tuple[str, float], ...] = ()
    noise: float | None = None
    """The usual month-to-month variation of the series (at least the noise threshold)."""

    @property
    def before_mean(self) -> float | None:
        """The mean of the readings before."""
        # A list, not a generator: `fmean` counts a generator's items one by one.
        return statistics.fmean([v for _, v in self.before]) if self.before else None

    @property
    def after_mean(self) -> float | None:
        """The mean of the readings after (only once all three exist)."""
        # A list, not a generator: `fmean` counts a generator's items one by one.
        return statistics.fmean([v for _, v in self.after]) if self.after else None

    @property
    def change(self) -> float | None:
        """After minus before."""
        if self.before_mean is None or self.after_mean is None:
            return None
        return self.after_mean - self.before_mean


def usual_variation(series: Series) -> float | None:
    """The median absolute change between consecutive readings (None under two readings)."""
    return series_variation([v for _, v in series])


def judge(series: Series, done_month: str, better: Better, rate: bool = False) -> Effect:
    """The verdict for an action done in ``done_month`` on an indicator's ``series`` (of a
    rate, for the noise threshold, when ``rate``)."""
    return _judge(_Prepared.of(series), done_month, better, rate)


@dataclass(frozen=True)
class _Prepared:
    """A series split into sorted months and values, with its usual variation, computed once
    per series however many actions aimed at it."""

    periods: list[str]
    values: list[float]
    noise: float | None

    @classmethod
    def of(cls, series: Series) -> _Prepared:
        return cls([p for p, _ in series], [v for _, v in series], usual_variation(series))


def _judge(series: _Prepared, done_month: str, better: Better, rate: bool,
           step: int = 1) -> Effect:
    # ``step``: months a reading stands for, 3 for a team that meets quarterly: its readings
    # are quarters, the quarter the action was done in is left out as a month is, and they
    # are reached for over `REACH` quarters (within six months, three were never there).
    if step == QUARTER:
        done_month = quarter_end(done_month)
    reach, span = REACH * step, _span(step)
    # Months are sorted, so the readings before and after are found by bisection.
    cut = bisect.bisect_left(series.periods, done_month)
    start = cut + 1 if cut < len(series.periods) and series.periods[cut] == done_month else cut
    nearest_before = tuple(zip(series.periods[max(0, cut - WINDOW):cut],
                               series.values[max(0, cut - WINDOW):cut], strict=True))
    nearest_after = tuple(zip(series.periods[start:start + WINDOW],
                              series.values[start:start + WINDOW], strict=True))
    # Readings a team gave a year away (it paused) say nothing of what followed the action.
    before = tuple(r for r in nearest_before if _months_from(r[0], done_month) <= reach)
    after = tuple(r for r in nearest_after if _months_from(done_month, r[0]) <= reach)
    if not nearest_before:
        return Effect(Verdict.NOT_MEASURABLE, "no reading before it was done")
    if len(before) < WINDOW:
        why = f"{len(before)} of {WINDOW} readings before it was done"
        if len(before) < len(nearest_before):  # the rest are from before a pause
            earlier = nearest_before[len(nearest_before) - len(before) - 1][0]
            why = (f"{len(before)} of {WINDOW} readings in the {span} before it was "
                   f"done (the one before is from {earlier})")
        return Effect(Verdict.NOT_MEASURABLE, why, before, after)
    floor = NOISE_RATE if rate else abs(sum(v for _, v in before) / len(before)) * NOISE_RELATIVE
    noise = max(series.noise or 0.0, floor)
    if len(after) < WINDOW and len(nearest_after) > len(after):
        # Readings came again, but too late to be what followed it: waiting changes nothing.
        return Effect(Verdict.NOT_MEASURABLE,
                      f"{len(after)} of {WINDOW} readings in the {span} after it was "
                      f"done (the next is from {nearest_after[len(after)][0]})", before, after,
                      noise)
    if len(after) < WINDOW:
        return Effect(Verdict.TOO_EARLY, f"{len(after)} of {WINDOW} readings after so far",
                      before, after, noise)
    change = sum(v for _, v in after) / len(after) - sum(v for _, v in before) / len(before)
    if not beyond_usual(change, noise):
        verdict = Verdict.NO_CLEAR_CHANGE
    elif (change > 0) == (better is Better.UP):
        verdict = Verdict.RIGHT
    else:
        verdict = Verdict.WRONG
    return Effect(verdict, "", before, after, noise)


@dataclass
class Assessed:
    """One action with its effect."""

    state: ActionState
    effect: Effect
    team: str | None
    """The team whose readings were compared."""
    segment: str
    """The segment compared (``all`` unless the action names one)."""
    reported: bool = True
    """Whether ``team`` reports the indicator (its page has a section for the team)."""
    step: int = 1
    """Months a reading of ``team`` stands for: `QUARTER` for a team that meets quarterly,
    whose fix is measured on quarters."""
    held_by: str | None = None
    """The team another team handed it to, which held it when it was done, where ``team`` is
    not that team: it had not reported the indicator before the month it was done, so the
    readings compared are another team's (a page says whose, and why)."""
    held_by_from: str | None = None
    """``held_by``'s first month of the indicator, the month the action was done or later
    (None: it never reported it)."""


@dataclass
class Effectiveness:
    """Every done action that names an indicator, with what followed it."""

    assessed: dict[str, Assessed] = field(default_factory=dict)
    """Action id → its assessment (only actions that name an indicator)."""

    def of(self, action_id: str) -> Assessed | None:
        """The assessment of an action, if it names an indicator."""
        return self.assessed.get(action_id)

    def with_verdict(self, verdict: Verdict) -> list[Assessed]:
        """The assessed actions with this verdict, by done date then id."""
        rows = [a for a in self.assessed.values() if a.effect.verdict is verdict]
        return sorted(rows, key=lambda a: (a.state.done_date or dt.date.min, a.state.id))

    @property
    def handed_over(self) -> list[Assessed]:
        """The done actions a record handed over to another team before they were done,
        judged first on that team's readings (`ActionState.done_team`)."""
        return [a for a in self.assessed.values()
                if a.state.team_handovers and a.state.done_team is not None
                and a.state.done_team != a.state.first_team]

    @property
    def judged_elsewhere(self) -> list[Assessed]:
        """The done actions handed over before they were done but judged on another team's
        readings, as the team that held them then had not reported the indicator before
        (`Assessed.held_by`)."""
        return [a for a in self.assessed.values() if a.held_by is not None]

    @property
    def measured(self) -> list[Assessed]:
        """The fixes we can measure: done, with readings before and three after."""
        return [a for a in self.assessed.values() if a.effect.verdict.measured]

    @property
    def groups(self) -> int:
        """How many separate movements the measured fixes are: fixes of one series (indicator,
        team, segment) done within `WINDOW` months of the first of them (quarters, for a team
        that meets quarterly: its readings are quarters) compare overlapping
        readings (of two done at most two months apart, the later one's before takes in at
        least one of the earlier one's, and its after overlaps the earlier one's after), so
        what followed them is one movement, counted for each. Their before and after are not
        the same: a fix done in October and one done in November compare July–September with
        November–January and August–October with December–February. (Within `WINDOW` of the
        one before chained a busy year's fixes into one, though the first's after and the
        last's are months apart.)"""
        return self.movements(self.measured)

    @staticmethod
    def movements(rows: Sequence[Assessed]) -> int:
        """How many separate movements ``rows`` are, counted as `groups` counts them: on the
        sample, the 16 fixes followed by a move the right way are 5 movements (10 distinct
        pairs of before and after: the hand-off fixes of October, November and December 2025
        compare three overlapping pairs, and are one movement)."""
        months: dict[tuple[str | None, str | None, str], list[int]] = defaultdict(list)
        for a in rows:
            if a.state.done_date is not None:
                months[(a.state.action.indicator, a.team, a.segment)].append(
                    _month_number(a.state.done_date))
        steps: dict[tuple[str | None, str | None, str], int] = {}
        for a in rows:
            steps[(a.state.action.indicator, a.team, a.segment)] = a.step
        count = 0
        for key, done in months.items():
            # A team that meets quarterly compares quarters: fixes within `WINDOW` quarters of
            # the first overlap (three months apart, two fixes of one year were two movements
            # though the second's three quarters before took in the first's quarter).
            step = steps[key]
            first: int | None = None
            for month in sorted(done):
                if first is None or (month - 1) // step - (first - 1) // step >= WINDOW:
                    first, count = month, count + 1
        return count

    def for_states(self, states: Sequence[ActionState]) -> dict[str, dict[Verdict, list[Assessed]]]:
        """Per indicator id, the assessments of these actions grouped by verdict."""
        grouped: dict[str, dict[Verdict, list[Assessed]]] = defaultdict(lambda: defaultdict(list))
        for state in states:
            item = self.assessed.get(state.id)
            # Only done actions have something that followed them.
            if item is not None and state.action.indicator and state.done_date is not None:
                grouped[state.action.indicator][item.effect.verdict].append(item)
        return {k: dict(v) for k, v in sorted(grouped.items())}


def _month_number(day: dt.date) -> int:
    return day.year * 12 + day.month


def series_index(
    readings: pd.DataFrame, indicators: set[str] | None = None,
    stretches: dict[tuple[str, str], list[str]] | None = None,
) -> dict[tuple[str, str, str], list[tuple[str, float]]]:
    """Every series of the readings table (of ``indicators`` only, when given):
    (indicator, team, segment) → month-ordered values. An overall's months are those on its
    line (`generator.analysis.series.kept_overall`); ``stretches``, when given, receives the
    months where an overall's segments changed for good, by (indicator, team)."""
    index: dict[tuple[str, str, str], list[tuple[str, float]]] = {}
    if readings.empty:
        return index
    frame = readings if indicators is None else readings[readings["indicator"].isin(indicators)]
    ordered = frame.sort_values(["indicator", "team", "segment", "period"], kind="stable")
    # Plain lists, not row objects: this runs over every reading of a large knowledge base.
    columns = [ordered[c].astype(str).tolist() for c in ("indicator", "team", "segment", "period")]
    parts = (ordered["parts"].to_numpy(dtype=object).tolist() if "parts" in ordered
             else [""] * len(ordered))
    if "method" in ordered:
        parts = [comparable_parts(part, method) for part, method in zip(
            parts, ordered["method"].to_numpy(dtype=object).tolist(), strict=True)]
    overall = [at for at, segment in enumerate(columns[2]) if segment == ALL]
    kept, starts = kept_overall([(columns[0][at], columns[1][at], parts[at]) for at in overall])
    off = {at for at, on in zip(overall, kept, strict=True) if not on}
    for at, begins in zip(overall, starts, strict=True):
        if begins and stretches is not None:
            stretches.setdefault((columns[0][at], columns[1][at]), []).append(columns[3][at])
    for at, (indicator, team, segment, period, value) in enumerate(zip(
            *columns, ordered["value"].tolist(), strict=True)):
        if at not in off:  # an overall of other segments than its line's, for one month
            index.setdefault((indicator, team, segment), []).append((period, float(value)))
    return index


def _stretch(changes: list[str], done: dt.date | None) -> tuple[str, str]:
    """The months (from, before) of the stretch of an overall that holds the month an action
    was done (or the latest, while not done), given the months its segments changed."""
    month = month_of(done) if done is not None else "9999-99"
    begun = [change for change in changes if change <= month]
    later = [change for change in changes if change > month]
    return (begun[-1] if begun else "", later[0] if later else "9999-99")


def assess(
    states: Sequence[ActionState], readings: pd.DataFrame, taxonomy: Taxonomy,
    as_of: dt.date | None = None,
) -> Effectiveness:
    """The effect of every action that names an indicator, as of the build date ``as_of``
    (without it, a window still short of readings is always waiting for more)."""
    aimed = {s.action.indicator for s in states if s.action.indicator}
    changed: dict[tuple[str, str], list[str]] = {}
    index = series_index(readings, aimed, changed)
    prepared: dict[tuple[tuple[str, str, str], tuple[str, str]], _Prepared] = {}
    # Each reporting team's first month of each indicator.
    first_of: dict[str, dict[str, str]] = defaultdict(dict)
    for (indicator, reporter, _), series in index.items():
        first = series[0][0]
        if first < first_of[indicator].get(reporter, "9999-99"):
            first_of[indicator][reporter] = first
    result = Effectiveness()
    # The knowledge base's latest month: a series that ended `STOPPED_AFTER` months or more
    # before it is not waiting for readings "so far" (its team stopped reporting it), as
    # validation judges a team that stopped.
    latest = str(readings["period"].max()) if len(readings) else ""
    since = taxonomy.quarterly_since()
    for state in sorted(states, key=lambda s: s.id):
        indicator_id = state.action.indicator
        if not indicator_id:
            continue
        segment = state.action.segment or ALL
        # The team it was handed over to before it was done, then the raising record's team,
        # then the action's own: the first that reported the indicator before the month it
        # was done; else the one team that did, if only one. (Read on the raising team's
        # readings, a fix of Inbound SDR's done by Pipeline Development once the SDR team was
        # merged into it waited for readings of a team that had stopped reporting.)
        done_by = state.done_team
        handed = (done_by,) if done_by != state.first_team else ()
        own = [t for t in dict.fromkeys((*handed, state.entry.team, state.first_team)) if t]
        team: str | None = own[0] if own else None
        reporting = first_of.get(indicator_id, {})
        others: list[str] = []
        if state.done_date is not None:
            done_month = month_of(state.done_date)
            # The own teams are looked up first: every team that reported before is listed
            # only when neither did (listing them for each of 17,000 actions took 0.1 s).
            chosen = next((t for t in own if reporting.get(t, done_month) < done_month), None)
            if chosen is not None:
                team = chosen
            else:
                others = sorted(t for t, first in reporting.items() if first < done_month)
                if len(others) == 1:
                    team, others = others[0], []
        key = (indicator_id, team or "", segment)
        # An overall whose segments changed for good is judged within the stretch of months
        # that combined the segments of its done month: the others are other figures.
        stretch = _stretch(changed.get((indicator_id, team or ""), []) if segment == ALL
                           else [], state.done_date)
        # A team that began meeting quarterly (quarterly_from) is judged on the readings of
        # the cadence of the month the fix was done: its quarters, or its months before.
        switch = since.get(team or "")
        by_quarter = switch is not None and (state.done_date is None
                                             or month_of(state.done_date) >= switch)
        if switch:
            stretch = ((max(stretch[0], switch), stretch[1]) if by_quarter
                       else (stretch[0], min(stretch[1], switch)))
        if (key, stretch) not in prepared:
            prepared[(key, stretch)] = _Prepared.of(
                [(p, v) for p, v in index.get(key, []) if stretch[0] <= p < stretch[1]])
        series_of = prepared[(key, stretch)]
        step = QUARTER if by_quarter else 1
        effect = _effect_of(state, series_of, taxonomy, step)
        ended = (_readings_ended(taxonomy, indicator_id, team, effect, state.done_date, as_of,
                                 step) if effect.verdict is Verdict.TOO_EARLY else None)
        if ended is not None:
            # Its readings stopped for good: waiting would wait for ever.
            effect = dataclasses.replace(
                effect, verdict=Verdict.NOT_MEASURABLE,
                why=f"{len(effect.after)} of {WINDOW} readings after, and {ended}")
        elif effect.verdict is Verdict.TOO_EARLY and stretch[1] != "9999-99":
            # No more are coming: the months since combine other segments.
            effect = dataclasses.replace(
                effect, verdict=Verdict.NOT_MEASURABLE,
                why=f"{len(effect.after)} of {WINDOW} readings after, and from "
                    f"{stretch[1]} its overall combines other segments")
        elif (effect.verdict is Verdict.TOO_EARLY and as_of is not None
              and state.done_date is not None
              and as_of > _window_closes(month_of(state.done_date), step)):
            # The months after it are over, and so are their retros' days: waiting for the
            # knowledge base's next month would wait for ever once a team has paused.
            effect = dataclasses.replace(
                effect, verdict=Verdict.NOT_MEASURABLE,
                why=f"{len(effect.after)} of {WINDOW} readings in the {_span(step)} after it "
                    f"was done, to {_window_ends(month_of(state.done_date), step)}: as of "
                    f"{as_of} no more are coming")
        elif effect.verdict is Verdict.TOO_EARLY and latest and series_of.periods:
            last = series_of.periods[-1]
            if _months_from(last, latest) >= STOPPED_AFTER * step:
                effect = dataclasses.replace(effect, why=f"{len(effect.after)} of {WINDOW} "
                                             f"readings after, and none since {last}")
        if others and effect.verdict is Verdict.NOT_MEASURABLE and not effect.before:
            effect = Effect(Verdict.NOT_MEASURABLE, "its team does not report this indicator; "
                            f"{and_list(others)} do, so no one series is its baseline")
        # Handed over, but judged on another team's readings: the team that held it had none
        # before the month it was done. Said beside it, not left to read as that team's.
        held_by = handed[0] if handed and team != handed[0] else None
        result.assessed[state.id] = Assessed(
            state, effect, team, segment, reported=team in reporting, step=step,
            held_by=held_by, held_by_from=reporting.get(held_by) if held_by else None)
    return result


def _readings_ended(taxonomy: Taxonomy, indicator_id: str, team: str | None, effect: Effect,
                    done: dt.date | None, as_of: dt.date | None, step: int = 1) -> str | None:
    """Why the readings an action still waits for will never come, when the indicator, or
    the team whose series it is judged on, was retired (``retired:``) before enough months
    after it: "the indicator was retired after October 2026". None while they still may
    (its last months' retros not yet held)."""
    if done is None:
        return None
    known = {t.id: t.retired for t in taxonomy.teams}
    for noun, retired in (("indicator", taxonomy.indicator(indicator_id).retired),
                          (f"team {team}", known.get(team or ""))):
        if retired is None:
            continue
        since = effect.after[-1][0] if effect.after else month_of(done)
        # The months that can still give a reading end with the retired one; once its retros'
        # days are over too, none can come at all.
        left = max(0, _months_from(since, retired)) // step
        over = as_of is not None and as_of > (period_last_day(retired)
                                               + dt.timedelta(days=HELD_AFTER_PERIOD_DAYS))
        if over or left < WINDOW - len(effect.after):
            return f"the {noun} was {retired_said(retired)}"
    return None


def _months_later(month: str, count: int) -> str:
    """The month ``count`` months after ``month`` (``YYYY-MM``)."""
    year, number = divmod(int(month[:4]) * 12 + int(month[5:7]) - 1 + count, 12)
    return f"{year:04d}-{number + 1:02d}"


def _window_ends(done_month: str, step: int = 1) -> str:
    """The last month of the `REACH` steps after ``done_month`` (for a team that meets
    quarterly, the last month of the sixth quarter after the one it was done in)."""
    start = quarter_end(done_month) if step == QUARTER else done_month
    return _months_later(start, REACH * step)


def _window_closes(done_month: str, step: int = 1) -> dt.date:
    """The last day a reading in the `REACH` months (quarters, ``step`` 3) after
    ``done_month`` can still come: the last of those months' end, and the days its retro may
    be held after it."""
    try:
        return (period_last_day(_window_ends(done_month, step))
                + dt.timedelta(days=HELD_AFTER_PERIOD_DAYS))
    except (ValueError, OverflowError):  # past the last date Python holds: never closes
        return dt.date.max


def _months_from(first: str, last: str) -> int:
    """Months from ``first`` to ``last`` (``YYYY-MM``)."""
    return (int(last[:4]) - int(first[:4])) * 12 + int(last[5:7]) - int(first[5:7])


def effect_of(state: ActionState, series: Series, taxonomy: Taxonomy) -> Effect:
    """The effect of one action on its indicator's series."""
    return _effect_of(state, _Prepared.of(series), taxonomy)


def _effect_of(state: ActionState, series: _Prepared, taxonomy: Taxonomy,
               step: int = 1) -> Effect:
    if not state.action.indicator:
        return Effect(Verdict.NOT_MEASURABLE, "names no indicator")
    done = state.done_date
    if done is None:
        return Effect(Verdict.NOT_MEASURABLE, "not done")
    indicator = taxonomy.indicator(state.action.indicator)
    if not series.periods:
        # Say what is missing: a segment the team does not split by reads differently from an
        # indicator no one reports.
        return Effect(Verdict.NOT_MEASURABLE,
                      "no readings of its segment "
                      f"({taxonomy.segment_name(indicator.segment_by, state.action.segment)})"
                      if state.action.segment else "no readings of its indicator")
    return _judge(series, month_of(done), indicator.better, indicator.unit is Unit.RATE, step)
