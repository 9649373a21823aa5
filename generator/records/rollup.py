"""How figures combine: segments into an indicator's "all", months into a quarter.

Each indicator declares its aggregation in ``taxonomy.yml`` (or gets the default of its unit):
counts are summed, rates are pooled — Σ numerators ÷ Σ denominators, so a segment of 10 deals
does not weigh like one of 100 — and money, durations and ratios take the mean or median (or,
for months, the last month). Every combined figure carries a sentence saying how it was made,
so a page can show it beside the number.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from .taxonomy import Aggregate

RATE_PRECISION = 0.005
"""The most rounding a rate's written value is taken to hide: half a percentage point."""


def written_tolerance(value: float, exact: bool = False, rate: bool = False) -> float:
    """Half a unit in the last digit ``value`` was written with: how far rounding may move it.

    ``0.32`` stands for anything from 0.315 to 0.325 and ``1970000`` for 1,965,000 to
    1,975,000, but ``1000000`` only for 950,000 to 1,050,000 (two significant digits at
    least); an ``exact`` value (a rate written as counts, ``"73/228"``) allows none. A
    ``rate`` is taken to the percentage point at least: YAML reads ``0.30`` as ``0.3`` and
    ``1.0`` as ``1``, which would otherwise stand for anything within 5 or 50 points.
    """
    if exact:
        return 1e-9
    if rate:
        return min(written_tolerance(value), RATE_PRECISION + 1e-12)
    if value.is_integer():
        whole, zeros = abs(int(value)), 0
        while whole and whole % 10 == 0:
            whole //= 10
            zeros += 1
        # Trailing zeros are rounding only down to two significant digits: "1000000" or
        # "200" alone cannot tell a round figure from a rounded one, and taking them as
        # rounded to their first digit let $1,000,000 "agree" with $1,074,000.
        digits = len(str(abs(int(value))))
        return 0.5 * 10.0 ** max(0, min(zeros, digits - 2))
    decimals = len(repr(value).split("e")[0].partition(".")[2])
    return 0.5 * 10.0 ** -decimals + 1e-12


@dataclass(frozen=True)
class Part:
    """One figure to combine: a segment's reading, or a month's overall value."""

    value: float
    numerator: float | None = None
    denominator: float | None = None


@dataclass(frozen=True)
class Combined:
    """A combined figure and how it was made."""

    value: float
    numerator: float | None
    """Σ numerators, for a rate pooled from counts (else None)."""
    denominator: float | None
    """Σ denominators, for a rate pooled from counts (else None)."""
    method: str
    """How it was combined, in words, e.g. "pooled: Σ numerators ÷ Σ denominators"."""


def combine(parts: Sequence[Part], how: Aggregate, what: str = "segments") -> Combined | None:
    """``parts`` combined by ``how``; ``what`` names them in the method ("segments", "months").

    None when there is nothing to combine or the aggregation is ``none``.
    """
    return combine_figures([p.value for p in parts], [p.numerator for p in parts],
                           [p.denominator for p in parts], how, what)


def combine_figures(values: Sequence[float], numerators: Sequence[float | None],
                    denominators: Sequence[float | None], how: Aggregate,
                    what: str = "segments") -> Combined | None:
    """What `combine` gives for parts given as three parallel lists (their values, numerators
    and denominators): the readings table combines tens of thousands of months' segments, and
    a `Part` object per segment only to take it apart again cost as much as the combining."""
    if not values or how is Aggregate.NONE:
        return None
    if how is Aggregate.SUM:
        return Combined(float(sum(values)), None, None, sum_method(what))
    if how is Aggregate.POOLED:
        if all(n is not None and d is not None
               for n, d in zip(numerators, denominators, strict=True)):
            top = float(sum(n or 0 for n in numerators))
            bottom = float(sum(d or 0 for d in denominators))
            if bottom > 0:
                return Combined(top / bottom, top, bottom, pooled_method(what, top, bottom))
        if len(values) == 1:
            # One part is the whole: nothing to pool, and no mean either. Labelled "plain
            # mean", a month giving one segment as a decimal (`enterprise: 0.96`) read "96.0%
            # plain mean: no counts" on the team page, and was not compared with a pooled one.
            return Combined(values[0], None, None, single_method(what))
        # Without counts for every part a pooled rate cannot be formed; say so, never guess.
        return Combined(statistics.fmean(values), None, None,
                        f"plain mean of the {what} (not pooled: counts not given for each)")
    if how is Aggregate.MEDIAN:
        return Combined(float(statistics.median(values)), None, None, f"median of the {what}")
    if how is Aggregate.LAST:
        return Combined(values[-1], None, None, f"the last of the {what}")
    return Combined(statistics.fmean(values), None, None, f"mean of the {what}")


def single_method(what: str) -> str:
    """The method of a rate given by one of its ``what`` alone, without counts: "the one
    segment given, nothing to pool"."""
    return f"the one {what.removesuffix('s')} given, nothing to pool"


def sum_method(what: str) -> str:
    """The method of a figure summed from its ``what`` (as `combine` says it)."""
    return f"sum of the {what}"


def pooled_method(what: str, top: float, bottom: float) -> str:
    """The method of a rate pooled from the counts of its ``what`` (as `combine` says it)."""
    return f"pooled over the {what}: Σ numerators ÷ Σ denominators ({top:g}/{bottom:g})"
