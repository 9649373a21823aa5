"""A warning where a review's written summary says every goal was met while its scorecard
shows a goal missed, or a post-mortem's text says so while its plan-vs-actual rows show one.

A review's text is read before its scorecard: "we hit every target" above a scorecard with two
missed rows tells a new reader the quarter went to plan; a post-mortem that "beat every plan
line" above two plan lines short tells them the campaign went to plan. Only the plain claim is caught (every
target or goal hit, met or beaten, all targets met, the quarter or "we" on plan), in a sentence
that does not hedge it ("not", "almost", "except", "needs to"): a row's own "NRR 110% on plan"
is no claim about the others.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from ..errors import Problems
from ..messages import and_list
from ..records.corpus import Entry
from ..records.formatting import goal_met
from ..records.record_rules import at
from ..records.schema import Postmortem, Review
from .quarter import ScorecardRow

_GOALS = r"(?:targets?|goals?|plan\s+lines?|numbers?|kpis?|okrs?)"
_OWNER = r"(?:(?:of\s+)?(?:our|the|its|their|this\s+quarter's)\s+)?"
_CLAIM = re.compile(
    r"\b(?:"
    # "we hit every target", "beat all of our goals", "met each plan line"
    rf"(?:hit|met|beat|made|reached|achieved|exceeded|smashed)\s+(?:every|each|all)\s+"
    rf"{_OWNER}(?:\w+\s+)?{_GOALS}"
    # "all targets met", "every goal was hit", "all of our targets were beaten"
    rf"|(?:all|every)\s+{_OWNER}(?:\w+\s+)?{_GOALS}\s+(?:(?:were|was)\s+)?"
    r"(?:met|hit|reached|achieved|beaten|exceeded)"
    # "we were on plan", "the quarter came in on plan", "on plan across the board"
    r"|(?:we|we're|we\s+are|we\s+were|everything|the\s+quarter|the\s+team)\s+"
    r"(?:(?:is|was|were|are|came\s+in|landed|finished|ended|stayed)\s+)?"
    r"(?:(?:right|fully|exactly|squarely)\s+)?on\s+plan"
    r"|on\s+plan\s+across\s+the\s+board"
    r")\b",
    re.IGNORECASE)
"""The claims that every goal was met."""
_HEDGE = re.compile(
    r"\b(?:not|never|nearly|almost|except|apart\s+from|other\s+than|save\s+for|missed|short|"
    r"but\s+(?:one|two|three|the)|if|unless|would|will|should|could|must|needs?|"
    r"to\s+(?:hit|meet|beat|make|reach|achieve|exceed|be))\b|n't\b",
    re.IGNORECASE)
"""Words that make a sentence no plain claim: a negation, an exception, a plan or a wish."""
_SENTENCE_END = re.compile(r"[.!?;](?:\s|$)")


@dataclass(frozen=True)
class Claim:
    """Where a text claims every goal was met."""

    line: int
    """The line in the text, from 0."""
    col: int
    """The column of the claim on its line, from 1."""
    words: str
    """The claim as written, its spacing made single."""


def claims(text: str) -> Iterator[Claim]:
    """Each plain claim in ``text`` that every goal was met (none in a hedged sentence)."""
    for match in _CLAIM.finditer(text):
        start = max((m.end() for m in _SENTENCE_END.finditer(text, 0, match.start())),
                    default=0)
        end_match = _SENTENCE_END.search(text, match.end())
        end = end_match.start() if end_match else len(text)
        if _HEDGE.search(text, start, end):
            continue
        line = text.count("\n", 0, match.start())
        col = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
        yield Claim(line, col, " ".join(match.group(0).split()))


def claimed(entry: Entry) -> Claim | None:
    """The first claim that every goal was met in a review's written text, or None."""
    if not isinstance(entry.record, Review):
        return None
    return next(claims(entry.source.body), None)


def check_summaries(reviews: Sequence[Entry], problems: Problems,
                    cards: Mapping[str, list[ScorecardRow]]) -> None:
    """Warn at the claim where a review's text says every goal was met while rows of its
    scorecard, as its page judges them (``cards``), missed theirs; the warning names them."""
    for entry in reviews:
        claim = claimed(entry)
        if claim is None:
            continue
        missed = [row.measure.metric for row in cards.get(entry.id, [])
                  if row.judged and not row.met]
        if missed:
            problems.warning(
                entry.path, entry.source.body_line + claim.line, claim.col, "body",
                _said(claim, missed, "scorecard"),
                "say which goals were missed (readers take the summary for the quarter), or "
                "correct the scorecard")


def check_plans(postmortems: Sequence[Entry], problems: Problems) -> None:
    """Warn where a post-mortem's ``summary:`` or written text says every goal was met while
    rows of its ``plan_vs_actual`` missed theirs, at the first such claim of each (the summary
    at its field: it is shown above the page's text, and on its lists); the warning names the
    rows. A row is judged as the page judges it (a goal with no actual is not)."""
    for entry in postmortems:
        record = entry.record
        if not isinstance(record, Postmortem):
            continue
        missed = [row.metric for row in record.plan_vs_actual if goal_met(row) is False]
        if not missed:
            continue
        hint = ("say which plan lines were missed (readers take the summary for the outcome), "
                "or correct plan_vs_actual")
        summary = next(claims(record.summary), None)
        if summary is not None:
            problems.warning(*at(entry, ("summary",)),
                             _said(summary, missed, "plan-vs-actual"), hint)
        body = next(claims(entry.source.body), None)
        if body is not None:
            problems.warning(entry.path, entry.source.body_line + body.line, body.col, "body",
                             _said(body, missed, "plan-vs-actual"), hint)


def _said(claim: Claim, missed: Sequence[str], rows: str) -> str:
    """The warning's message: 'says "hit every target", but 2 scorecard rows missed their
    goal: "Meetings booked" and "Time to first call"'."""
    one = len(missed) == 1
    named = and_list([f'"{metric}"' for metric in missed])
    return (f'says "{claim.words}", but {len(missed)} {rows} {"row" if one else "rows"} '
            f"missed {'its' if one else 'their'} goal: {named}")


__all__ = ["Claim", "check_plans", "check_summaries", "claimed", "claims"]
