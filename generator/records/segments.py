"""Which segments a month gave an indicator, for comparing its "all" with other months'.

A segment written with no value (``events:``) had nothing to measure that month (no deals, no
events held): it is no reading and not a 0, yet it was given, not left out. A total or pooled
counts are the same figure with it or without it, so such a month is compared with the months
around it whichever way they wrote that segment: as it was before it when that month gave the
segment, and as if it were not written when that month left it out. Validation's left-out
segment warning (`generator.records.corpus_rules`), the trends, charts and "did it work"
(`generator.analysis.analyze`) and ``hindsight recall``'s indicator moves, both through
`generator.analysis.series.count_segments_with_nothing_to_measure`, read the same sets from
`compared_segments`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .formula import names
from .taxonomy import Aggregate, Taxonomy

Given = tuple[frozenset[str], frozenset[str]]
"""A month's segments of one indicator: those it gave a value, and those it wrote with none."""


def formula_inputs(taxonomy: Taxonomy) -> dict[str, list[str]]:
    """The indicators each split derived indicator reads (``conversion: [sqls, mqls]``)."""
    return {i.id: names(tree) for i in taxonomy.indicators
            if i.segment_by and (tree := i.tree) is not None}


def additive(taxonomy: Taxonomy) -> set[str]:
    """The split indicators whose "all" is a total or pooled counts: one a segment with
    nothing to measure adds nothing to. A mean or median of segments is another figure
    without it, and is compared as the segments with a value say."""
    return {i.id for i in taxonomy.indicators
            if i.segment_by and i.combine in (Aggregate.SUM, Aggregate.POOLED)}


def nothing_to_measure(written: Mapping[str, object],
                       inputs: Mapping[str, list[str]]) -> dict[str, frozenset[str]]:
    """The segments a retro's ``indicators`` (as written) give with no value, by indicator.

    A rate computed from counts (``sqls / mqls``, ``inputs`` from `formula_inputs`) that the
    record does not write has nothing to measure where its inputs had none: the record writes
    the counts with no value, not the rate."""
    empty = {indicator: frozenset(str(s) for s, v in value.items() if v is None)
             for indicator, value in written.items() if isinstance(value, dict)}
    found = {indicator: segments for indicator, segments in empty.items() if segments}
    for indicator, reads in inputs.items():
        if indicator not in written:
            none = frozenset().union(*(empty.get(name, frozenset()) for name in reads))
            if none:
                found[indicator] = none
    return found


def compared_segments(months: Sequence[Given]) -> list[frozenset[str]]:
    """For one team's months of one indicator in period order, each as (segments with a
    value, segments with none), the segments each month's "all" is compared as combining.

    Those with a value, and of those with none the ones the month before gave (the month
    after, for the first): April left enterprise out and May wrote ``enterprise:``, so May
    pools what April pooled and is compared with April, not with March, the last month that
    gave enterprise. After a month that gave the segment, such a month is compared as ever
    (and the month after it, leaving the segment out, is a segment left out).
    (Only for a total or pooled counts: the caller passes no empty segments for another
    figure.)"""
    found: list[frozenset[str]] = []
    for at, (valued, empty) in enumerate(months):
        if found:
            beside = found[-1]
        elif at + 1 < len(months):
            # Its segments with a value: two months of `enterprise:` and none given are
            # compared as if it were not written, not as a segment later left out.
            beside = months[at + 1][0]
        else:
            beside = frozenset()
        found.append(valued | (empty & beside))
    return found


__all__ = ["Given", "additive", "compared_segments", "formula_inputs", "nothing_to_measure"]
