"""A warning where a scorecard's typed actual and the quarter's records fall either side of
its goal.

Such a row is neither met nor missed on its page (`ScorecardRow.dispute`): one of the two
figures is wrong, and only a person can say which. The check needs the quarter figures, so it
runs after validation, over a knowledge base without errors (while a record has errors its
readings are missing from the figures), where `validate` and the build report problems.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..errors import Problems
from ..messages import and_list
from ..records.actions import actions_of
from ..records.corpus import Entry, KnowledgeBase
from ..records.formatting import exact_against, exact_pair, exact_value, unit_after
from ..records.load import TAXONOMY_FILE
from ..records.record_rules import at
from ..records.rollup import written_tolerance
from ..records.schema import Review
from ..records.taxonomy import Indicator, Unit
from .analyze import readings_frame
from .quarter import ScorecardRow, Sources, scorecard
from .series import nothing_measured
from .summary_check import check_plans, check_summaries, claimed

NAMED_RECORDS = 3
"""How many of the records behind a figure the warning names before "and N more"."""


def check_scorecards(kb: KnowledgeBase, problems: Problems,
                     cards: Mapping[str, list[ScorecardRow]] | None = None) -> None:
    """Warn at each scorecard row's typed actual that meets its goal where the quarter's
    figure does not, or the other way round; and where a review's written summary says every
    goal was met while a row missed its own (`check_summaries`), and a post-mortem's text
    against its plan-vs-actual rows (`check_plans`).

    ``cards`` are the scorecards already computed (a build's `Analysis.scorecards`); without
    them, those of the reviews with a typed actual the quarter can check are computed (the
    readings table is built only when there is one).
    """
    checked = [entry for entry in kb.reviews if _checkable(entry)]
    # A review whose summary says every goal was met is judged on its scorecard too.
    claiming = [entry for entry in kb.reviews if claimed(entry) is not None]
    if cards is None and (checked or claiming):
        nothing = nothing_measured(kb.retros, kb.taxonomy)
        sources = Sources(readings_frame(kb, nothing), actions_of(kb), nothing)
        cards = {entry.id: scorecard(entry, sources, kb.taxonomy)
                 for entry in [*checked, *claiming]}
    cards = cards if cards is not None else {}
    check_summaries(kb.reviews, problems, cards)
    check_plans(kb.postmortems, problems)
    indicators = {i.id: i for i in kb.taxonomy.indicators}
    paths = {e.id: e.path for e in kb.entries}
    for entry in checked:
        for index, row in enumerate(cards.get(entry.id, [])):
            # The records the figure comes from: `validate retros/2026-04-sales.md` reports
            # the warning its corrected reading causes in the review too (it said "0 errors,
            # 0 warnings" where the whole check warned).
            about = tuple(sorted({paths[r] for r in (row.figure.records if row.figure else ())
                                  if r in paths and paths[r] != entry.path}))
            if row.dispute:
                problems.warning(*at(entry, ("scorecard", index, "actual")), *_said(row),
                                 about=about)
            total = _a_total(row, indicators)
            if total is not None:
                problems.warning(*at(entry, ("scorecard", index, "actual")), *total,
                                 about=about)


def _checkable(entry: Entry) -> bool:
    """A review with a row that has both a typed actual and something to compute it from."""
    return isinstance(entry.record, Review) and entry.record.checks_actuals


def _a_total(row: ScorecardRow, indicators: Mapping[str, Indicator]) -> tuple[str, str] | None:
    """The warning's message and hint where a row's typed actual is its teams' sum, within the
    precision it was typed with, while its indicator combines them by their mean (MDF spend
    typed €81,516.25, the two teams' total, beside "computed €40,758.13"); None otherwise, and
    where it matches the mean too (one team, or teams of the same figure)."""
    typed, figure = row.measure.actual, row.figure
    indicator = indicators.get(row.measure.indicator or "")
    if typed is None or figure is None or indicator is None or not row.if_summed:
        return None
    tolerance = written_tolerance(float(typed), rate=row.unit == Unit.RATE)
    if abs(figure.value - typed) <= tolerance:
        return None
    change = next((change for change, value in row.if_summed
                   if abs(value - typed) <= tolerance), None)
    if change is None:
        return None
    after = f" {unit_after(row.unit)}" if unit_after(row.unit) else ""
    typed_said = f"{exact_pair(figure.value, typed, row.unit)[1]}{after}"
    computed_said = f"{exact_against(figure.value, (typed, row.measure.goal), row.unit)}{after}"
    how = indicator.combine.value
    part = f" (from {figure.partial})" if figure.partial else ""
    message = (f"typed {typed_said} is the teams' figures added up, but {indicator.id} "
               f"combines teams by their {how}: the records give {computed_said}{part}; the "
               "row sets a total against an average")
    hint = (f"set `{change}` on {indicator.id} in {TAXONOMY_FILE} if its teams' figures add "
            f"up; else type the teams' {how} as the actual")
    return message, hint


def _said(row: ScorecardRow) -> tuple[str, str]:
    """The warning's message and hint: "typed 60 days meets the goal of 64 days; the
    quarter's records give 67.6 days, which does not: …"."""
    figure, typed = row.figure, row.measure.actual
    assert figure is not None and typed is not None  # a dispute has both
    after = f" {unit_after(row.unit)}" if unit_after(row.unit) else ""
    typed_said = f"{exact_pair(figure.value, typed, row.unit)[1]}{after}"
    computed_said = f"{exact_against(figure.value, (typed, row.measure.goal), row.unit)}{after}"
    goal = f"{exact_value(row.measure.goal, row.unit)}{after}"
    typed_meets = row.dispute.startswith("typed meets")
    message = (f"typed {typed_said} {'meets' if typed_meets else 'misses'} the goal of {goal}; "
               f"the quarter's records give {computed_said}, which "
               f"{'does not' if typed_meets else 'meets it'}: the goal is judged neither met "
               "nor missed")
    named = list(figure.records[:NAMED_RECORDS])
    if len(figure.records) > NAMED_RECORDS:
        named.append(f"{len(figure.records) - NAMED_RECORDS} more")
    hint = (f"check the typed actual against the records the figure comes from, "
            f"{and_list(named)}; correct whichever is wrong, or leave actual out to take the "
            "records' figure")
    return message, hint


__all__ = ["NAMED_RECORDS", "check_scorecards"]
