"""How each reading compares with the earlier readings of its series, in plain Python.

A series is one indicator of one team in one segment, month after month. Each reading is
compared with the previous reading of the same series and with the mean of its readings in
the three months before it (the trailing 3-month mean; none until there are two, when it would
only repeat the prior reading: a team back from a pause starts its trend anew, not with a mean
of readings a year old), direction-aware: for an indicator where lower
is better (sales-cycle length), a rise is the wrong way. A change smaller than ``NOISE_RATE``
(one percentage point) for rates, or ``NOISE_RELATIVE`` (2 % of the earlier value) for
everything else, counts as flat. A reading *moved the wrong way* when it is worse than both
the prior reading and the trailing mean; it *improved* when it is better than both; it is
*flat* when it is flat against both, and *mixed* otherwise. Until a series has two earlier
readings there is no trend to compare with: its readings are *new*.

`generator.analysis.analyze` computes the same figures over whole columns (NumPy) for its pandas
table, tested equal to these; ``hindsight recall`` reads one team's series straight from here,
without importing pandas.
"""

from __future__ import annotations

import itertools
import math
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from ..records.corpus import Entry, Reading
from ..records.rollup import Combined, combine_figures
from ..records.schema import Retro
from ..records.segments import additive, compared_segments, formula_inputs, nothing_to_measure
from ..records.taxonomy import OVERALL_SEGMENT, Better, Taxonomy, Unit, quarterly_at

ALL = OVERALL_SEGMENT
"""The segment name of a month's overall value (stated, or combined from its segments)."""
NOISE_RATE = 0.01
"""Rates: changes under one percentage point are flat."""
NOISE_RELATIVE = 0.02
"""Other units: changes under 2 % of the earlier value are flat."""
TRAILING = 3
"""How many months before a reading make its trailing mean."""
TRAILING_MIN = 2
"""The fewest earlier readings a trailing mean is made of (one would be the prior reading)."""


def month_number(period: str) -> int:
    """A ``YYYY-MM`` month as a count of months, so months apart is a subtraction."""
    return int(period[:4]) * 12 + int(period[5:7]) - 1


def step_number(period: str, quarterly: bool) -> int:
    """Where a reading stands in its team's cadence, so steps apart is a subtraction: its
    month, or for a team that meets quarterly its quarter (the previous quarter's reading is
    the one step before, and the trailing mean is of the three quarters before)."""
    month = month_number(period)
    return month // 3 if quarterly else month


@dataclass(frozen=True)
class Step:
    """One reading against the earlier readings of its series."""

    prior: float | None
    """The previous reading of the series (None for its first)."""
    trailing_mean: float | None
    """The mean of the readings in the `TRAILING` months before this one (None under
    `TRAILING_MIN`)."""
    vs_prior: float | None
    """This reading minus the prior."""
    vs_trailing: float | None
    """This reading minus the trailing mean."""
    vs_prior_verdict: str | None
    """better, worse or flat against the prior (None when there is none)."""
    vs_trailing_verdict: str | None
    """better, worse or flat against the trailing mean."""
    verdict: str
    """new (under `TRAILING_MIN` earlier readings), wrong way, improved, flat or mixed."""
    severity: float
    """Direction-adjusted relative change vs the trailing mean (more negative is worse)."""


TABLE_COLUMNS = ("period", "team", "indicator", "segment", "value", "numerator", "denominator",
                 "record", "computed", "method", "parts")
"""The columns of a readings-table row, in order (`generator.analysis.quarter.COLUMNS` says
what each holds)."""


def reading_fields(period: str, team: str, reading: Reading, record: str) -> tuple[Any, ...]:
    """One reading of a monthly retro as the first nine cells of its readings-table row (all
    but ``method`` and ``parts``, which only an ``all`` row combined from segments fills)."""
    return (period, team, reading.indicator, reading.segment or ALL, reading.value,
            reading.numerator, reading.denominator, record, reading.computed)


def reading_row(period: str, team: str, reading: Reading, record: str) -> dict[str, object]:
    """One reading of a monthly retro as a row of the readings table."""
    return dict(zip(TABLE_COLUMNS, (*reading_fields(period, team, reading, record), "", ""),
                    strict=True))


def series_key(segment: str, parts: object) -> str:
    """The series a reading belongs to, by its segment: an ``all`` row combined from segments
    by the segments it combined too. A month that leaves a segment out (or adds one) sums or
    pools other things than the months before, so its overall is not compared with theirs:
    two segments of four once showed as a 50 % drop "the wrong way"."""
    return f"{segment} of {parts}" if isinstance(parts, str) and parts else segment


PLAIN_MEAN = "plain mean"
"""How the method of a rate's overall begins when it could not be pooled (no counts)."""


def comparable_parts(parts: object, method: object) -> object:
    """An overall row's segments, as far as which months it is compared with goes: a rate's
    month that could only be averaged (a segment written as a decimal) is not the same figure
    as a pooled one and is kept apart from it. Smb 10/100 and enterprise 9/10 pool to 17.3 %;
    written 0.1 and 0.9 they average to 50 %, and the next pooled month, the same rates
    again, read as a fall of 32.7 points "the wrong way"."""
    if isinstance(parts, str) and parts and isinstance(method, str) \
            and method.startswith(PLAIN_MEAN):
        return f"{parts} ({PLAIN_MEAN})"
    return parts


def usual_parts(rows: Iterable[tuple[str, str, str, object]]) -> dict[tuple[str, str], str]:
    """For rows of (indicator, team, segment, parts) in period order, the segments the overall
    of each indicator and team usually combines: the set most of its months gave (the latest
    of them on a tie). An overall made of other segments (one left out) is not that series'
    value: charts and "did it work" leave it out of the overall line, as trends do."""
    counts: dict[tuple[str, str], dict[str, int]] = {}
    for indicator, team, segment, parts in rows:
        if segment == ALL and isinstance(parts, str) and parts:
            tally = counts.setdefault((indicator, team), {})
            seen = tally.pop(parts, 0)
            tally[parts] = seen + 1  # re-inserted last: the latest set wins a tie
    return {key: max(reversed(list(tally)), key=lambda p: tally[p])
            for key, tally in counts.items()}


KEPT_RUN = 2
"""Months running an overall combines the same other segments before they are a set of its
own (segments changed for good), not one month that left a segment out."""


def kept_overall(rows: Sequence[tuple[str, str, object]]) -> tuple[list[bool], list[bool]]:
    """For the overall rows of (indicator, team, comparable parts) in table order (each
    indicator and team in period order): whether each is on its overall line, and whether it
    starts a new stretch of it.

    On the line: the usual set's months (`usual_parts`), and those of any set given
    `KEPT_RUN` months running (a segment added or dropped for good: a line that ended at the
    change hid every month since). Off it: a month that left a segment out, alone. A stretch
    starts where the set changes: its figures combine other segments than the months before,
    so a chart breaks its line and "did it work" does not compare across it."""
    usual = usual_parts((indicator, team, ALL, part) for indicator, team, part in rows)
    # Runs are counted past the months whose set is given once only (a month that left a
    # segment out does not cut the run of the set around it in two).
    given = Counter(rows)
    repeated = [at for at, row in enumerate(rows) if given[row] > 1]
    length = dict.fromkeys(range(len(rows)), 1)
    for _, group in itertools.groupby(repeated, key=rows.__getitem__):
        members = list(group)
        length.update(dict.fromkeys(members, len(members)))
    kept = [not (isinstance(part, str) and part) or part == usual.get((indicator, team), part)
            or length[at] >= KEPT_RUN for at, (indicator, team, part) in enumerate(rows)]
    starts: list[bool] = []
    last: dict[tuple[str, str], object] = {}
    for (indicator, team, part), on in zip(rows, kept, strict=True):
        key, combined = (indicator, team), isinstance(part, str) and bool(part)
        # (A month that states its overall itself continues the stretch it falls in.)
        starts.append(on and combined and key in last and last[key] != part)
        if on and combined:
            last[key] = part
    return kept, starts


def overall_columns(
    parts: Iterable[tuple[Any, ...]],
    taxonomy: Taxonomy,
) -> list[list[Any]]:
    """The ``all`` row of each month, team and segmented indicator, from its segments' rows,
    as one list per column of `TABLE_COLUMNS` (rows by period, team and indicator).

    ``parts`` are (period, team, indicator, segment, value, numerator, denominator, record,
    computed) of segment rows of segmented indicators. Segments combine as the indicator declares
    (`Indicator.combine`): counts are summed, rates pooled from their counts (a labelled plain
    mean when counts are missing), the rest averaged; ``method`` says how each row was made.
    """
    how = {i.id: i.combine for i in taxonomy.indicators if i.segment_by}
    groups: dict[tuple[Any, ...], list[tuple[Any, ...]]] = {}
    for part in parts:
        groups.setdefault(part[:3], []).append(part)  # by (period, team, indicator)
    rows: list[tuple[Any, ...]] = []
    for key in sorted(groups):
        members = groups[key]
        # Plain lists into the combining, not a `Part` per segment: at 10,000 records the
        # objects cost more than the arithmetic.
        combined = combine_figures([float(m[4]) for m in members],
                                   [_count(m[5]) for m in members],
                                   [_count(m[6]) for m in members], how[key[2]])
        if combined is None:
            continue
        rows.append((*key, ALL, combined.value, combined.numerator, combined.denominator,
                     members[0][7],
                     # A row added without the column (a prep draft) reads NaN: not computed.
                     all(m[8] is True or m[8] == 1 for m in members), combined.method,
                     " ".join(sorted({str(m[3]) for m in members}))))
    if not rows:
        return [[] for _ in TABLE_COLUMNS]
    return [list(column) for column in zip(*rows, strict=True)]


def segments_combined(readings: Sequence[Reading], taxonomy: Taxonomy) -> dict[str, Combined]:
    """Each split indicator's "all" of one record's ``readings``, by indicator id: its
    segments combined as the indicator declares, by `overall_columns` itself, so a record's
    page shows the figure (and the method) its indicator page's "all" row shows for the month.

    An indicator whose segments combine into nothing (``aggregate: none``) has none."""
    split = {i.id for i in taxonomy.indicators if i.segment_by}
    parts = [reading_fields("", "", r, "") for r in readings
             if r.indicator in split and r.segment is not None]
    columns = dict(zip(TABLE_COLUMNS, overall_columns(parts, taxonomy), strict=True))
    return {indicator: Combined(value, numerator, denominator, method)
            for indicator, value, numerator, denominator, method in zip(
                columns["indicator"], columns["value"], columns["numerator"],
                columns["denominator"], columns["method"], strict=True)}


def _count(value: object) -> float | None:
    """A numerator or denominator cell as a number (None for missing or NaN)."""
    if value is None or value != value:  # None, or NaN from a column with gaps
        return None
    return float(value)  # type: ignore[arg-type]


Nothing = dict[tuple[str, str, str], frozenset[str]]
"""(month, team, indicator) → the segments that month's retro wrote with no value: nothing to
measure then (no deals, no events held), so the month is not missing from a quarter's figure."""


def nothing_measured(retros: Iterable[Entry], taxonomy: Taxonomy) -> Nothing:
    """The segments each of ``retros`` wrote with no value (nothing to measure that month), by
    its month, team and split indicator (`generator.records.segments.nothing_to_measure`)."""
    inputs = formula_inputs(taxonomy)
    found: Nothing = {}
    for entry in retros:
        record = entry.record
        if isinstance(record, Retro):
            for ind_id, none in nothing_to_measure(record.indicators, inputs).items():
                found[(record.period, record.team, ind_id)] = none
    return found


def count_segments_with_nothing_to_measure(
    columns: list[list[Any]], nothing: Mapping[tuple[str, str, str], frozenset[str]],
    taxonomy: Taxonomy,
) -> None:
    """Set each overall row's ``parts`` to the segments it is compared as combining
    (`generator.records.segments.compared_segments`), where its record wrote some with no
    value (nothing to measure that month: no deals) and the overall is a total or pooled
    counts. Such a segment adds nothing to either, so the month is compared with the months
    around it as they wrote that segment: with those that gave it, and with those that left it
    out as if it were not written. A mean or median of segments (or a rate only averaged) is
    another figure without it, and starts a series anew as a segment left out does.

    ``columns``: overall rows, one list per column of `TABLE_COLUMNS`, by period, team and
    indicator (as `overall_columns` gives them); ``nothing``: `nothing_measured`."""
    pooled = additive(taxonomy)
    empty = {key: none for key, none in nothing.items() if key[2] in pooled}
    if not empty or not columns[0]:
        return
    at = {name: index for index, name in enumerate(TABLE_COLUMNS)}
    parts, methods = columns[at["parts"]], columns[at["method"]]
    # Each team's months of an indicator, in period order (the rows are by period, team and
    # indicator); only a series with such a month is changed.
    series: dict[tuple[str, str], list[int]] = {}
    for row, (team, ind_id) in enumerate(zip(columns[at["team"]], columns[at["indicator"]],
                                             strict=True)):
        series.setdefault((str(team), str(ind_id)), []).append(row)
    touched = {(team, ind_id) for _, team, ind_id in empty}
    periods = columns[at["period"]]
    for (team, ind_id), rows in series.items():
        if (team, ind_id) not in touched:
            continue
        given = [(frozenset(str(parts[row]).split()),
                  frozenset() if str(methods[row]).startswith(PLAIN_MEAN)
                  else empty.get((str(periods[row]), team, ind_id), frozenset()))
                 for row in rows]
        if not any(none for _, none in given):
            continue
        for row, found in zip(rows, compared_segments(given), strict=True):
            parts[row] = " ".join(sorted(found))


Row = tuple[str, str, str, float, str]
"""A reading as the steps read it: (indicator, team, segment, value, ``YYYY-MM`` period)."""


def steps(rows: Iterable[Row], taxonomy: Taxonomy) -> list[Step]:
    """Each reading against its series, for rows of (indicator, team, segment, value, period)
    in table order (each series in period order)."""
    return [Step(*figures) for figures in step_figures(rows, taxonomy)]


StepFigures = tuple[float | None, float | None, float | None, float | None, str | None,
                    str | None, str, float]
"""A `Step`'s fields in their order, as a plain tuple."""


def step_figures(rows: Iterable[Row], taxonomy: Taxonomy) -> list[StepFigures]:
    """What `steps` gives, as plain tuples of the `Step` fields in order."""
    kinds = {i.id: (i.unit is Unit.RATE, i.better is Better.UP) for i in taxonomy.indicators}
    since = taxonomy.quarterly_since()
    earlier: dict[tuple[str, str, str, bool], list[tuple[float, int]]] = {}
    found = []
    for indicator, team, segment, value, period in rows:
        # A team's quarters (from its quarterly_from on) are a series apart from its months.
        quarterly = quarterly_at(since, team, period)
        before = earlier.setdefault((indicator, team, segment, quarterly), [])
        rate, up = kinds[indicator]
        month = step_number(period, quarterly)
        found.append(_step(value, month, before, rate, up))
        before.append((value, month))
    return found


def step_columns(rows: Iterable[Row],
                 taxonomy: Taxonomy) -> list[list[Any]]:
    """What `steps` gives, one list per `Step` field (in their order): a whole table's steps
    become its columns without an object per reading (a hundred thousand at 10,000 records,
    which would also leave the heap fragmented once freed)."""
    kinds = {i.id: (i.unit is Unit.RATE, i.better is Better.UP) for i in taxonomy.indicators}
    earlier: dict[tuple[str, str, str, bool], list[tuple[float, int]]] = {}
    columns: list[list[Any]] = [[] for _ in fields(Step)]
    appends = [column.append for column in columns]
    since = taxonomy.quarterly_since()
    for indicator, team, segment, value, period in rows:
        quarterly = quarterly_at(since, team, period)
        before = earlier.setdefault((indicator, team, segment, quarterly), [])
        rate, up = kinds[indicator]
        month = step_number(period, quarterly)
        for append, figure in zip(appends, _step(value, month, before, rate, up), strict=True):
            append(figure)
        before.append((value, month))
    return columns


def _step(value: float, month: int, before: Sequence[tuple[float, int]], rate: bool,
          up: bool) -> StepFigures:
    prior = _number(before[-1][0]) if before else None
    # The readings of the three months before (one a month at most; for a team that meets
    # quarterly, `month` counts quarters: the three quarters before): NaN is unequal to itself.
    window = [v for v, m in before[-TRAILING:] if v == v and month - m <= TRAILING]
    trailing = sum(window) / len(window) if len(window) >= TRAILING_MIN else None
    vs_prior = None if prior is None else value - prior
    vs_trailing = None if trailing is None else value - trailing
    p = judge(vs_prior, prior, rate, up)
    t = judge(vs_trailing, trailing, rate, up)
    if p is None or t is None:
        verdict = "new"
    elif p == "worse" and t == "worse":
        verdict = "wrong way"
    elif p == "better" and t == "better":
        verdict = "improved"
    elif p == "flat" and t == "flat":
        verdict = "flat"
    else:  # better or worse against one and not the other: not flat to a reader's eye
        verdict = "mixed"
    severity = 0.0
    if trailing is not None and vs_trailing is not None and abs(trailing) > 0:
        severity = (vs_trailing if up else -vs_trailing) / abs(trailing)
        severity = 0.0 if math.isnan(severity) else severity
    return (prior, trailing, vs_prior, vs_trailing, p, t, verdict, severity)


def usual_variation(values: Sequence[float]) -> float | None:
    """The median absolute change between consecutive readings (None under two readings):
    how much the series moves in an ordinary month."""
    changes = [abs(b - a) for a, b in itertools.pairwise(values)]
    return statistics.median(changes) if changes else None


def beyond_usual(change: float, usual: float | None) -> bool:
    """Whether a change is larger than the usual variation (a change exactly equal to it, up
    to float rounding, is not)."""
    return usual is not None and abs(change) > usual + 1e-12


def _number(value: float) -> float | None:
    return None if math.isnan(value) else value


def judge(change: float | None, base: float | None, rate: bool, up: bool) -> str | None:
    """better / worse / flat (None where there is nothing to compare with)."""
    if change is None or base is None or math.isnan(change) or math.isnan(base):
        return None
    noise = NOISE_RATE if rate else abs(base) * NOISE_RELATIVE
    # "Under" the threshold, up to float rounding: 0.06 − 0.05 is 0.00999…, yet one point.
    if abs(change) < noise - 1e-12 or change == 0:
        return "flat"
    return "better" if (change if up else -change) > 0 else "worse"


def team_rows(
    readings: Iterable[tuple[str, str, str, Sequence[Reading]]], taxonomy: Taxonomy,
    nothing: Mapping[tuple[str, str, str], frozenset[str]],
) -> list[tuple[dict[str, object], Step]]:
    """Every reading of some retros (period, team, record id, readings; in date order) with the
    overall rows of segmented indicators, in table order, each with its step.

    ``nothing``: the segments those retros wrote with no value (`nothing_measured`), which
    an overall is compared as combining as the site's trends compare it
    (`count_segments_with_nothing_to_measure`)."""
    rows = [reading_row(period, team, reading, record)
            for period, team, record, found in readings for reading in found]
    segmented = {i.id for i in taxonomy.indicators if i.segment_by}
    overall = overall_columns(((r["period"], r["team"], r["indicator"], r["segment"],
                                r["value"], r["numerator"], r["denominator"], r["record"],
                                r["computed"])
                               for r in rows
                               if r["indicator"] in segmented and r["segment"] != ALL), taxonomy)
    count_segments_with_nothing_to_measure(overall, nothing, taxonomy)
    rows += [dict(zip(TABLE_COLUMNS, row, strict=True)) for row in zip(*overall, strict=True)]
    rows.sort(key=lambda r: (r["indicator"], r["team"], r["segment"], r["period"]))
    found = steps(((str(r["indicator"]), str(r["team"]),
                    series_key(str(r["segment"]), comparable_parts(r["parts"], r["method"])),
                    float(r["value"]), str(r["period"])) for r in rows),  # type: ignore[arg-type]
                  taxonomy)
    return list(zip(rows, found, strict=True))

