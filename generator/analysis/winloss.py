"""Why we win and lose: deal post-mortems counted by competitor, segment, ICP tier, reason
(pooled, and within each competitor's deals) and quarter, with the lessons from wins next to
the lessons from losses. The segment and the tier are the dimensions the taxonomy's
``deals:`` names (a company may split by region).

A deal post-mortem is a post-mortem of kind ``deal-won`` or ``deal-lost`` with a ``deal:``
section. One informing a plan kind of renewals (`Taxonomy.renewal_kind`: ``plan_kind:
renewal``) is a renewal kept or lost, not new business won or lost: renewals are counted
apart, under their plan kind's title ("Renewals"), so a share won never mixes new logos with
customers kept, and every group of a table is split by them where both are there.

Every count keeps the records behind it, so each number on the page links to a list of
exactly those records. Lessons are listed as the plan checklists list them
(`generator.analysis.checklist`): one lesson written again in other words by several deals is
one item that links each of them, the most repeated first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..paths import company_keys, slugify
from ..records.corpus import Entry, KnowledgeBase
from ..records.replacing import replacements
from ..records.schema import Deal, Postmortem
from ..records.taxonomy import (
    DEAL_DIMENSION_SETTINGS,
    Taxonomy,
    dimension_noun,
    dimension_title,
    split_dimensions,
)
from ..records.types import month_of, quarter_of_month
from .checklist import RankedItem, ranked
from .link import LessonItem

NOT_GIVEN = "not given"
"""The label of the group of deals whose record leaves a dimension out."""
MISSING = ""
"""That group's key: no value a record gives is empty, so a competitor a record names
"not given" is a competitor, not the deals that name none."""


@dataclass
class Tally:
    """Deals won and lost in one group (a competitor, a segment, a reason, a quarter)."""

    key: str
    label: str
    anchor: str
    """The anchor prefix of this group's record lists on the page."""
    won: list[Entry] = field(default_factory=list)
    lost: list[Entry] = field(default_factory=list)
    smaller: list[Entry] = field(default_factory=list)
    """Deals that went our way, smaller (``outcome: mixed`` and ``chose_us: true``: a renewal
    downgraded), counted as neither won nor lost."""
    within: str | None = None
    """The label of the group this one counts within (a reason's competitor), named before
    its own in the lists of records: "Corvex: Executive relationships, lost (2)"."""
    section: str | None = None
    """The id of this group's own part of the page, when it has one (a competitor's reasons):
    its row's header links there."""
    renewal: bool = False
    """Whether its deals are renewals: won is "kept"."""
    both: bool = False
    """Whether it holds new business and renewals alike (all deals, where both are there)."""

    @property
    def won_word(self) -> str:
        """What a deal of the group that went our way is: "won", for renewals "kept"."""
        return "won or kept" if self.both else "kept" if self.renewal else "won"

    @property
    def smaller_word(self) -> str:
        """What a deal of the group that went our way smaller is: "kept, smaller"."""
        return f"{self.won_word}, smaller"

    @property
    def closed(self) -> list[Entry]:
        """Every deal of the group."""
        return sorted(self.won + self.smaller + self.lost, key=lambda e: e.sort_key)

    @property
    def win_rate(self) -> float | None:
        """Won out of won and lost (the smaller ones are neither)."""
        total = len(self.won) + len(self.lost)
        return len(self.won) / total if total else None


@dataclass(frozen=True)
class DealDimension:
    """The dimension a deal's ``segment`` or ``icp_tier`` names (``deals:`` in the taxonomy),
    in the words the page's section on it uses."""

    field: str
    """The deal's field: ``segment`` or ``icp_tier``."""
    setting: str
    """The setting under ``deals:`` that names the dimension: ``segment_by`` or ``icp_tier_by``."""
    dimension: str
    """The dimension, e.g. ``region``."""
    applies: bool
    """Whether some indicator is split by it (without one, no deal can give a value of it)."""
    choices: list[str]
    """The dimensions the setting could name instead (the other field's left out)."""

    @property
    def noun(self) -> str:
        """The dimension in a sentence: ``region``, ``ICP tier``."""
        return dimension_noun(self.dimension)

    @property
    def title(self) -> str:
        """The dimension in a heading or a column: ``Region``."""
        return dimension_title(self.dimension)


@dataclass
class CompetitorReasons:
    """The reasons customers gave in the deals against one competitor."""

    competitor: Tally
    reasons: list[Tally]
    """Most deals first, "not given" last; anchors within the competitor's."""

    @property
    def anchor(self) -> str:
        """The id of the competitor's part of the page. Slugs never hold two hyphens in a row,
        so this is no competitor's or reason's anchor."""
        return f"{self.competitor.anchor}--reasons"


@dataclass
class WinLoss:
    """Every deal post-mortem, counted every way the page shows."""

    deals: Tally
    kinds: list[Tally]
    """The deals by what they are: new business first, then each plan kind of renewals."""
    competitors: list[Tally]
    segment_by: DealDimension
    """What ``segments`` counts the deals by."""
    segments: list[Tally]
    tier_by: DealDimension
    """What ``tiers`` counts the deals by."""
    tiers: list[Tally]
    reasons: list[Tally]
    competitor_reasons: list[CompetitorReasons]
    """The reasons given in each competitor's deals, competitors in `competitors`' order:
    "why do we lose to Corvex" without reading every deal."""
    quarters: list[Tally]
    lessons_won: list[RankedItem]
    """The lessons of won deals, near-duplicates as one item (most repeated, then newest first)."""
    lessons_lost: list[RankedItem]
    """The same for lost deals."""
    lessons_smaller: list[RankedItem] = field(default_factory=list)
    """The same for deals kept (or won) smaller."""

    @property
    def split(self) -> bool:
        """Whether renewals and new business are both there: each table's groups are split
        by them, and no share is given of the two together."""
        return len(self.kinds) > 1

    @property
    def renewals(self) -> bool:
        """Whether every deal is a renewal: the page speaks of renewals kept and lost."""
        return bool(self.kinds) and all(kind.renewal for kind in self.kinds)

    def lessons_of(self, outcome: str) -> str:
        """What the page's heading of lessons from deals of ``outcome`` (``won`` or
        ``smaller``) calls them: by the groups that hold such deals, so a page of new business
        and renewals whose only downgrade is a renewal says "renewals kept smaller", not
        "deals won or kept smaller"."""
        # With none of them, every group could have held one: a page of renewals alone still
        # speaks of renewals kept.
        holding = [kind for kind in self.kinds
                   if (kind.smaller if outcome == "smaller" else kind.won)] or self.kinds
        renewal = any(kind.renewal for kind in holding)
        new_business = any(not kind.renewal for kind in holding)
        if outcome == "smaller":
            return ("deals won or kept smaller" if renewal and new_business
                    else "renewals kept smaller" if renewal else "deals won smaller")
        return ("wins and renewals kept" if renewal and new_business
                else "renewals kept" if renewal else "wins")

    @property
    def noun(self) -> str:
        """What the page's sections call one of its deals: "renewal" where every deal is one,
        else "deal" (new business, or new business and renewals together)."""
        return "renewal" if self.renewals else "deal"

    @property
    def won_word(self) -> str:
        """The column of deals that went our way: "Won", "Kept", or "Won or kept"."""
        if self.renewals:
            return "Kept"
        return "Won or kept" if any(kind.renewal for kind in self.kinds) else "Won"

    def counted_by(self) -> list[str]:
        """The dimensions before the reasons that deals are counted by, as a sentence names
        them: competitor, then the segment's and the tier's that apply."""
        return ["competitor", *(d.noun for d in (self.segment_by, self.tier_by) if d.applies)]

    def tallies(self) -> list[Tally]:
        """Every group a table shows, for the lists of records behind the counts."""
        by_competitor = [t for c in self.competitor_reasons for t in c.reasons
                         if self.reasons_by_competitor()]
        dimensions = (self.competitors, by_competitor, self.segments, self.tiers, self.reasons)
        return [self.deals, *(self.kinds if self.split else []),
                *[t for dimension in dimensions if told(dimension) for t in dimension],
                *self.quarters]

    def reasons_by_competitor(self) -> bool:
        """Whether the page shows the reasons by competitor: some deal names a competitor and
        some deal gives a reason."""
        return told(self.competitors) and told(self.reasons)


def told(tallies: list[Tally]) -> bool:
    """Whether any deal gave this dimension: a table of only "not given" says nothing, so the
    page says that no post-mortem gives it instead."""
    return any(t.key != MISSING for t in tallies)


def deal_entries(kb: KnowledgeBase) -> list[Entry]:
    """The deal post-mortems, in date order."""
    return [e for e in kb.postmortems
            if isinstance(e.record, Postmortem) and e.record.deal is not None]


def deal_kind(entry: Entry, taxonomy: Taxonomy) -> str:
    """The group a deal post-mortem is counted in: the plan kind of renewals it informs, else
    ``deal``, new business."""
    record = entry.record
    assert isinstance(record, Postmortem)
    informs = record.informs
    return informs if informs is not None and taxonomy.renewal_kind(informs) else "deal"


def deal_kinds(deals: Iterable[Entry], taxonomy: Taxonomy) -> list[Tally]:
    """``deals`` by `deal_kind`: new business first, then renewals in the taxonomy's order."""
    titles = {kind.id: kind.title for kind in taxonomy.plan_kinds}
    groups: dict[str, Tally] = {}
    for entry in deals:
        key = deal_kind(entry, taxonomy)
        if key not in groups:
            groups[key] = (Tally(key, "New business", "new-business") if key == "deal" else
                           Tally(key, titles.get(key, key), f"kind-{key}", renewal=True))
        _add(groups[key], entry)
    rank = {kind.id: i for i, kind in enumerate(taxonomy.plan_kinds)}
    return sorted(groups.values(), key=lambda t: (t.key != "deal", rank.get(t.key, len(rank)),
                                                  t.key))


def win_loss(kb: KnowledgeBase) -> WinLoss:
    """Count the deal post-mortems by every dimension the page shows."""
    deals = deal_entries(kb)
    taxonomy = kb.taxonomy
    kinds = deal_kinds(deals, taxonomy)
    renewals = bool(kinds) and all(kind.renewal for kind in kinds)
    everything = Tally("all", "All renewals" if renewals else "All deals", "deals",
                       renewal=renewals, both=len(kinds) > 1)
    for entry in deals:
        _add(everything, entry)
    by_kind = _by_kind(kinds)
    lessons_won: list[LessonItem] = []
    lessons_lost: list[LessonItem] = []
    lessons_smaller: list[LessonItem] = []
    # A lesson a later record replaced leaves these lists as it leaves the checklists.
    replaced: dict[tuple[str, int], Entry] = {}
    for old, index, new, _ in replacements(kb.entries):
        if (old.id, index) not in replaced or new.sort_key > replaced[old.id, index].sort_key:
            replaced[old.id, index] = new
    for entry in deals:
        target = (lessons_smaller if _smaller(entry) else lessons_won if _won(entry)
                  else lessons_lost)
        target.extend(LessonItem(entry, lesson.lesson, "lesson",
                                 replaced_by=replaced.get((entry.id, i)))
                      for i, lesson in enumerate(entry.record.lessons))
    competitors = by_kind(deals, "competitor", lambda e: [_deal(e).competitor or MISSING],
                         lambda k: k, by_count=True)
    result = WinLoss(
        deals=everything,
        kinds=kinds,
        competitors=competitors,
        segment_by=_dimension(taxonomy, "segment"),
        segments=by_kind(deals, "segment", lambda e: [_deal(e).segment or MISSING],
                        _segment_name(taxonomy, "segment"),
                        order=taxonomy.segment_ids(taxonomy.deal_dimension("segment"))),
        tier_by=_dimension(taxonomy, "icp_tier"),
        tiers=by_kind(deals, "tier", lambda e: [_deal(e).icp_tier or MISSING],
                     _segment_name(taxonomy, "icp_tier"),
                     order=taxonomy.segment_ids(taxonomy.deal_dimension("icp_tier"))),
        reasons=by_kind(deals, "reason", lambda e: _deal(e).reasons or [MISSING],
                       _reason_title(taxonomy), by_count=True),
        competitor_reasons=[_competitor_reasons(competitor, taxonomy)
                            for competitor in competitors],
        quarters=by_kind(deals, "quarter",
                         lambda e: [quarter_of_month(month_of(_ended(e)))],
                        lambda k: k),
        lessons_won=ranked(lessons_won, "lesson"),
        lessons_lost=ranked(lessons_lost, "lesson"),
        lessons_smaller=ranked(lessons_smaller, "lesson"),
    )
    if result.reasons_by_competitor():
        for by_competitor in result.competitor_reasons:
            by_competitor.competitor.section = by_competitor.anchor
    return result


def _competitor_reasons(competitor: Tally, taxonomy: Taxonomy) -> CompetitorReasons:
    """The reasons given in one competitor's deals, counted as the pooled reasons are."""
    reasons = _group(competitor.closed, "reason", lambda e: _deal(e).reasons or [MISSING],
                     _reason_title(taxonomy), by_count=True)
    for reason in reasons:
        reason.anchor = f"{competitor.anchor}--{reason.anchor}"
        reason.within = competitor.label
        reason.renewal = competitor.renewal
    return CompetitorReasons(competitor, reasons)


def _by_kind(kinds: list[Tally]) -> Callable[..., list[Tally]]:
    """`_group`, within each of ``kinds`` when there are several (new business, renewals):
    each group's row is then one kind's, "Quantia · Renewals", its anchor the kind's own."""
    def grouped(deals: list[Entry], dimension: str, *args: Any, **kwargs: Any) -> list[Tally]:
        if len(kinds) < 2:
            tallies = _group(deals, dimension, *args, **kwargs)
            for tally in tallies:
                tally.renewal = bool(kinds) and kinds[0].renewal
            return tallies
        result: list[Tally] = []
        for kind in kinds:
            within = {id(entry) for entry in kind.closed}
            for tally in _group([e for e in deals if id(e) in within], dimension,
                                *args, **kwargs):
                tally.label = f"{tally.label} · {kind.label}"
                tally.anchor = f"{kind.anchor}--{tally.anchor}"
                tally.renewal = kind.renewal
                result.append(tally)
        return result
    return grouped


def _dimension(taxonomy: Taxonomy, field_name: str) -> DealDimension:
    """The dimension the deal field ``field_name`` names, and what else it could name."""
    dimension = taxonomy.deal_dimension(field_name)
    other = next(taxonomy.deal_dimension(f) for f in DEAL_DIMENSION_SETTINGS if f != field_name)
    split = split_dimensions(taxonomy.indicators)
    return DealDimension(field_name, DEAL_DIMENSION_SETTINGS[field_name], dimension,
                         applies=dimension in split,
                         choices=[d for d in split if d not in (dimension, other)])


def _deal(entry: Entry) -> Deal:
    # Only deal post-mortems reach here (`deal_entries` filters on the deal section).
    record = entry.record
    assert isinstance(record, Postmortem) and record.deal is not None
    return record.deal


def _ended(entry: Entry) -> dt.date:
    record = entry.record
    assert isinstance(record, Postmortem)
    return record.event_ended


def _won(entry: Entry) -> bool:
    return bool(_deal(entry).chose_us)


def _smaller(entry: Entry) -> bool:
    # A deal that went our way with outcome mixed: a renewal kept, downgraded.
    record = entry.record
    return _won(entry) and isinstance(record, Postmortem) and record.outcome.value == "mixed"


def _add(tally: Tally, entry: Entry) -> None:
    (tally.smaller if _smaller(entry) else tally.won if _won(entry) else tally.lost).append(entry)


def _reason_title(taxonomy: Taxonomy) -> Callable[[str], str]:
    titles = {reason.id: reason.title for reason in taxonomy.reasons}
    return lambda key: titles.get(key, key)


def _segment_name(taxonomy: Taxonomy, field_name: str) -> Callable[[str], str]:
    """A deal's segment or ICP tier (``field_name``) as its row is headed: the segment's name
    in taxonomy.yml, else its id (the row's anchor keeps the id)."""
    dimension = taxonomy.deal_dimension(field_name)
    return lambda key: taxonomy.segment_name(dimension, key)


def _group(
    deals: Iterable[Entry], dimension: str, keys: Callable[[Entry], list[str]],
    label: Callable[[str], str], order: list[str] | None = None, by_count: bool = False,
) -> list[Tally]:
    """Deals grouped by a dimension: taxonomy order, most deals first, or by key."""
    groups: dict[str, Tally] = {}
    deals = list(deals)
    # Free-text names (competitors) group as one company under their first spelling: case,
    # accents, legal forms and ue for ü aside ("Tallyo Inc." is Tallyo), as validation
    # reads them.
    companies = company_keys(key for entry in deals for key in keys(entry) if key != MISSING)
    for entry in deals:
        for key in keys(entry):
            norm = "\0" if key == MISSING else companies[key] or key.strip().casefold()
            if norm not in groups:
                groups[norm] = (Tally(key, NOT_GIVEN, f"{dimension}-not-given") if key == MISSING
                                else Tally(key, label(key), f"{dimension}-{slugify(key) or 'other'}"))
            _add(groups[norm], entry)
    tallies = list(groups.values())
    # Two free-text names can slug alike ("A&B", "A B"): number the later ones' anchors,
    # past any anchor already taken (a competitor may be called "A B 2").
    taken = {tally.anchor for tally in tallies}
    first: set[str] = set()
    for tally in sorted(tallies, key=lambda t: t.key):
        if tally.anchor not in first:
            first.add(tally.anchor)
            continue
        base, n = tally.anchor, 2
        while f"{base}-{n}" in taken:
            n += 1
        tally.anchor = f"{base}-{n}"
        taken.add(tally.anchor)
    if order is not None:
        rank = {k: i for i, k in enumerate(order)}
        return sorted(tallies, key=lambda t: (t.key == MISSING, rank.get(t.key, len(rank)),
                                              t.key))
    if by_count:
        return sorted(tallies, key=lambda t: (t.key == MISSING, -len(t.closed), t.label))
    return sorted(tallies, key=lambda t: t.key)
