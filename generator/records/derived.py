"""Derived indicators: values computed from a record's other readings by the taxonomy formula.

Where a monthly retro gives every input of a derived indicator (SQLs and MQLs for MQL→SQL,
won and closed deals for the win rate…), Hindsight computes the value per segment. A value the
record does not state is added, marked as computed; a value it does state is kept and checked:
when the two disagree beyond the precision the stated value was written with, the validator
warns at the stated value's line, naming both numbers. The stated value is what its segment
shows; the inputs' counts are what the month's and the quarter's overall pool.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from . import formula as formulas
from .corpus import Reading
from .rollup import Part, combine, written_tolerance
from .taxonomy import Indicator, Taxonomy, Unit


@dataclass(frozen=True)
class Disagreement:
    """A stated value of a derived indicator that its inputs do not give."""

    indicator: str
    segment: str | None
    stated: float
    computed: float
    inputs: str
    """The formula with the record's input values, e.g. "73 ÷ 231"."""


@dataclass(frozen=True)
class Impossible:
    """A computed rate outside 0..1: the inputs contradict each other."""

    indicator: str
    segment: str | None
    computed: float
    inputs: str
    first_input: str
    """The first input indicator id, where the problem is reported."""


def tolerance(reading: Reading, rate: bool) -> float:
    """How far a stated reading may be from the computed one and still agree (rounding)."""
    return written_tolerance(reading.value, exact=reading.denominator is not None, rate=rate)


def derive(readings: list[Reading], taxonomy: Taxonomy
           ) -> tuple[list[Reading], list[Disagreement], list[Impossible]]:
    """The record's readings with derived values computed (and stated ones checked)."""
    by_key = {(r.indicator, r.segment): r for r in readings}
    indicators = {ind.id: ind for ind in taxonomy.indicators}
    disagreements: list[Disagreement] = []
    impossible: list[Impossible] = []
    for ind in taxonomy.derived_order():
        tree = ind.tree
        assert tree is not None  # derived_order lists derived indicators only
        for segment in (ind.segments if ind.segment_by else [None]):
            inputs = _inputs(ind, segment, by_key, indicators)
            if inputs is None:
                continue
            value = formulas.evaluate(tree, {k: v.value for k, v in inputs.items()})
            if value is None:
                continue
            shown = _shown(tree, inputs)
            if ind.unit is Unit.RATE and not 0 <= value <= 1:
                impossible.append(Impossible(ind.id, segment, value, shown,
                                             formulas.names(tree)[0]))
                continue
            counts = _counts(tree, inputs)
            stated = by_key.get((ind.id, segment))
            if stated is None:
                by_key[(ind.id, segment)] = Reading(ind.id, segment, value, *counts,
                                                    computed=True)
            elif abs(stated.value - value) > tolerance(stated, ind.unit is Unit.RATE):
                disagreements.append(Disagreement(ind.id, segment, stated.value, value, shown))
                # The stated value is kept (and warned); the month's and the quarter's
                # overall pool the inputs' counts, as the input indicators' own totals do:
                # one typo must not turn pooling into a plain mean of the segments.
                numerator, denominator = ((stated.numerator, stated.denominator)
                                          if stated.denominator is not None else counts)
                by_key[(ind.id, segment)] = replace(stated, check=value, numerator=numerator,
                                                    denominator=denominator)
            else:
                # Agrees: keep what was typed, and the counts if it gave none, so it pools.
                numerator, denominator = ((stated.numerator, stated.denominator)
                                          if stated.denominator is not None else counts)
                by_key[(ind.id, segment)] = replace(stated, check=value, numerator=numerator,
                                                    denominator=denominator)
    return list(by_key.values()), disagreements, impossible


def _inputs(ind: Indicator, segment: str | None, by_key: dict[tuple[str, str | None], Reading],
            indicators: dict[str, Indicator]) -> dict[str, Reading] | None:
    """Every input reading of the formula for one segment (None if one is missing)."""
    assert ind.tree is not None
    found: dict[str, Reading] = {}
    for name in formulas.names(ind.tree):
        source = indicators.get(name)
        if source is None:
            return None
        if source.segment_by and segment is None:
            # An overall formula reads a split input as its overall value, combined as declared.
            parts = [r for (i, s), r in by_key.items() if i == name and s is not None]
            total = combine([Part(r.value, r.numerator, r.denominator) for r in parts],
                            source.combine)
            if total is None:
                return None
            found[name] = Reading(name, None, total.value, _int(total.numerator),
                                  _int(total.denominator))
            continue
        reading = by_key.get((name, segment if source.segment_by else None))
        if reading is None:
            return None
        found[name] = reading
    return found


def _int(value: float | None) -> int | None:
    return int(value) if value is not None else None


def _counts(tree: formulas.Node, inputs: dict[str, Reading]) -> tuple[int | None, int | None]:
    """For ``a / b`` of whole numbers: the counts, so the rate can be pooled later."""
    pair = formulas.quotient_of_names(tree)
    if pair is None:
        return None, None
    top, bottom = inputs[pair[0]].value, inputs[pair[1]].value
    if top.is_integer() and bottom.is_integer() and bottom > 0:
        return int(top), int(bottom)
    return None, None


def _shown(tree: formulas.Node, inputs: dict[str, Reading]) -> str:
    """The formula with the record's numbers in place of the ids."""
    return formulas.show(tree, {k: f"{v.value:,.6g}" for k, v in inputs.items()})


def agrees(reading: Reading, unit: Unit) -> bool | None:
    """Whether a stated derived value matches its formula (None: nothing was checked)."""
    rate = unit is Unit.RATE
    if reading.check is None:
        return None
    if formula_counts(reading):
        # The counts are the formula's (`derive` adds them, for pooling): the value typed
        # agrees within the precision it was written with (one typed as these very counts,
        # exactly).
        return abs(reading.value - reading.check) <= written_tolerance(reading.value, rate=rate)
    return abs(reading.check - reading.value) <= tolerance(reading, rate)


def formula_counts(reading: Reading) -> bool:
    """Whether a stated derived value's counts are its formula's inputs, not its own."""
    numerator, denominator, check = reading.numerator, reading.denominator, reading.check
    if check is None or numerator is None or not denominator:
        return False
    return abs(numerator / denominator - check) <= 1e-9


def written_formula(indicator: Indicator, taxonomy: Taxonomy) -> str:
    """A derived indicator's formula in words: "SQLs ÷ MQLs" (empty for a stated one)."""
    if indicator.tree is None:
        return ""
    return formulas.show(indicator.tree, {i.id: i.label for i in taxonomy.indicators})
