"""Link stage: the cross-references the whole corpus is needed for.

Recurring causes, actions as they stand, lessons by plan kind, backlinks between records,
owners and teams. Everything here is derived, deterministic (sorted) and free of I/O.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..gcpause import paused_gc
from ..paths import name_order, owner_slug
from ..records.actions import ActionState, actions_of
from ..records.corpus import Entry, KnowledgeBase
from ..records.owners import usual_owner_names
from ..records.replacing import replacements
from ..records.schema import Assumption, CauseCitation, Lesson, Postmortem
from ..records.taxonomy import Cause


@dataclass
class Citation:
    """One record citing a cause."""

    entry: Entry
    index: int
    citation: CauseCitation
    fixed_by: ActionState | None = None
    """When the cause came back after its fix: the last of its earlier actions to be done
    (this citation's record was held between one cadence and the horizon after it)."""
    returned_after: ActionState | None = None
    """When the cause came back only after the horizon: the last of its earlier actions to be
    done, on the first citation after it (held more than ``fix_horizon_days`` after it was
    done, with none of its actions open). Not "the fix did not stick", which looks no further
    than the horizon, but the cause back all the same: said on its page, or a cause its own
    records call "returning" read as quiet since its fix."""
    also: list[CauseCitation] = field(default_factory=list)
    """The record's further citations of the same cause (two causes merged into one: each
    chain of whys is shown, though the record counts once)."""

    @property
    def after_fix(self) -> bool:
        """Cited again one cadence or more (within the horizon) after its last action was done."""
        return self.fixed_by is not None

    @property
    def days_after_fix(self) -> int | None:
        """Days from the fixing action's done date to this citation's record."""
        done = self.fixed_by.done_date if self.fixed_by else None
        return (self.entry.date - done).days if done else None

    @property
    def days_after_return(self) -> int | None:
        """Days from `returned_after`'s done date to this citation's record."""
        done = self.returned_after.done_date if self.returned_after else None
        return (self.entry.date - done).days if done else None


@dataclass
class CauseStats:
    """Everything known about one root cause across the corpus."""

    cause: Cause
    citations: list[Citation] = field(default_factory=list)
    actions: list[ActionState] = field(default_factory=list)
    cadence_days: int = 30
    """The taxonomy's ``fix_cadence_days``: a citation sooner than this after a fix is the
    same episode, not the cause coming back."""

    @property
    def count(self) -> int:
        """How many records cite it."""
        return len(self.citations)

    @property
    def teams(self) -> list[str]:
        """The teams whose records cite it."""
        return sorted({c.entry.team for c in self.citations if c.entry.team})

    @property
    def company_wide(self) -> int:
        """How many of the records citing it are company-wide (a quarterly review with no
        team): named beside `teams`, which alone read "Sales" beside 10 citations, 2 of
        them the company's reviews."""
        return sum(1 for c in self.citations if not c.entry.team)

    @property
    def first_seen(self) -> Entry | None:
        """The earliest record citing it."""
        return self.citations[0].entry if self.citations else None

    @property
    def last_seen(self) -> Entry | None:
        """The latest record citing it."""
        return self.citations[-1].entry if self.citations else None

    @property
    def recurred_after_fix(self) -> list[Citation]:
        """Citations made after all the actions raised against it were closed."""
        return [c for c in self.citations if c.after_fix]

    @property
    def returned_beyond_horizon(self) -> list[Citation]:
        """Citations that show it back later than the horizon after its last fix was done."""
        return [c for c in self.citations if c.returned_after is not None]

    @property
    def fixed_again(self) -> ActionState | None:
        """After it last came back after a fix: the latest of its actions done since, when no
        record has cited the cause after it was done (a fix tried again that has held so
        far), else None. A fix done since and then cited again has not held: the hand-off
        decay fixed in September and cited in October and November was called fixed."""
        back = self.recurred_after_fix
        if not back:
            return None
        since = back[-1].entry.date
        done = [a for a in self.actions if (d := a.done_date) is not None and d > since]
        if not done:
            return None
        latest = max(done, key=lambda a: (a.done_date, a.id))
        fixed_on = latest.done_date
        assert fixed_on is not None  # chosen among done actions
        # As for the first flag, a record held within a cadence of the fix is the same
        # episode still unfolding; one held later shows the fix has not held.
        if any((c.entry.date - fixed_on).days >= self.cadence_days for c in self.citations):
            return None
        return latest

    @property
    def cited_within_cadence_of_fix(self) -> list[Citation]:
        """The citations after `fixed_again` was done, all within a cadence of it (the same
        episode: they do not undo the fix)."""
        fixed = self.fixed_again
        done = fixed.done_date if fixed else None
        return [c for c in self.citations if done is not None and c.entry.date > done]

    @property
    def still_back(self) -> bool:
        """It came back after a fix, and no fix has been done since: what the home page and
        the causes index flag now (the history stays on the cause's page)."""
        return bool(self.recurred_after_fix) and self.fixed_again is None

    @property
    def open_actions(self) -> list[ActionState]:
        """Its actions still open."""
        return [a for a in self.actions if a.is_open]


@dataclass
class LessonItem:
    """A lesson or a failed assumption, with where it came from, for a plan-kind checklist."""

    entry: Entry
    text: str
    kind: str  # "lesson" or "assumption"
    note: str | None = None
    held: bool = False
    """An assumption that held: not a checklist item, but said beside the same assumption
    where it failed ("did not hold 1 of 2 times (held in The Globex Win)")."""
    replaced_by: Entry | None = None
    """For a lesson a later record's lesson replaces (``replaces:``), the newest such record:
    the lesson leaves the checklist, and so does the same lesson written before it."""


@dataclass
class Links:
    """The cross-links of the whole knowledge base."""

    causes: dict[str, CauseStats]
    actions: dict[str, ActionState]
    backlinks: dict[str, list[Entry]]
    related: dict[str, list[Entry]]
    updates_by_record: dict[str, list[ActionState]]
    checklists: dict[str, list[LessonItem]]
    assumptions: list[tuple[Entry, Assumption]]
    replaced: dict[str, dict[int, list[Entry]]]
    """The lessons later records replaced: record id → lesson index → the records that
    replaced it, in date order."""
    replacing: dict[str, dict[int, Entry]]
    """The lessons that replace an earlier one: record id → lesson index → the record whose
    lesson it replaces."""
    owners: dict[str, list[ActionState]]
    """Each owner's actions by the owner's slug, owners in `name_order` of their names."""
    owner_names: dict[str, str]
    """Each owner's name as the site shows it (the usual spelling), by slug."""

    def causes_ranked(self) -> list[CauseStats]:
        """Cited causes, most cited first, then most recent, then by id."""
        cited = [c for c in self.causes.values() if c.count]
        return sorted(cited, key=lambda c: (-c.count, _neg_date(c.last_seen), c.cause.id))

    def causes_aimed_at(self) -> list[CauseStats]:
        """Causes no record cites yet that open actions aim at, in the taxonomy's order: work
        is under way on them, so they are not unused."""
        return [c for c in self.causes.values() if not c.count and c.open_actions]

    def causes_unused(self) -> list[CauseStats]:
        """Causes no record cites and no open action aims at, in the taxonomy's order."""
        return [c for c in self.causes.values() if not c.count and not c.open_actions]

    def causes_recent(self) -> list[CauseStats]:
        """Cited causes, most recently cited first."""
        cited = [c for c in self.causes.values() if c.count]
        return sorted(cited, key=lambda c: (_neg_date(c.last_seen), -c.count, c.cause.id))


def _neg_date(entry: Entry | None) -> int:
    return -(entry.date.toordinal() if entry else 0)


def closed_on(state: ActionState) -> dt.date | None:
    """When an action was closed, as the register counts it: the close that began its current
    closed stretch (`ActionState.closed_on`)."""
    return state.closed_on


def link(kb: KnowledgeBase) -> Links:
    """Compute every cross-link of the knowledge base.

    The cyclic collector is paused: linking allocates an object per action, citation and
    backlink over an already large heap, and collections would walk all of it to free nothing.
    """
    with paused_gc():
        return _link_all(kb)


def _link_all(kb: KnowledgeBase) -> Links:
    actions = actions_of(kb)
    causes = {cause.id: CauseStats(cause) for cause in kb.taxonomy.causes}
    for entry in kb.entries:  # entries are in date order
        cited: dict[str, Citation] = {}
        for index, citation in enumerate(entry.record.causes):
            # Validation resolved aliases to canonical ids; a cause cited twice by one record
            # (a warning) counts once, at its first citation, which keeps the other's whys.
            if citation.cause in cited:
                cited[citation.cause].also.append(citation)
            elif citation.cause in causes:
                cited[citation.cause] = Citation(entry, index, citation)
                causes[citation.cause].citations.append(cited[citation.cause])
    # Already in the order they were raised (`link_actions` adds them record by record in
    # date order, each record's in its order): no sort needed.
    for state in actions.values():
        if state.cause is not None:
            causes[state.cause].actions.append(state)
    for stats in causes.values():
        _mark_recurrence(stats, kb.taxonomy.fix_cadence_days, kb.taxonomy.fix_horizon_days)

    by_id = kb.by_id()
    # Membership by identity: comparing dataclasses field by field compares whole records.
    backlinks: dict[str, list[Entry]] = defaultdict(list)
    for entry in kb.entries:
        for target in entry.record.related:
            if target in by_id and all(e is not entry for e in backlinks[target]):
                backlinks[target].append(entry)
    related = {
        entry.id: sorted(
            {by_id[t].id: by_id[t] for t in entry.record.related if t in by_id}.values(),
            key=lambda e: e.sort_key,
        ) if entry.record.related else []
        for entry in kb.entries
    }
    updates_by_record: dict[str, list[ActionState]] = defaultdict(list)
    for state in actions.values():
        for update_entry, _, _ in state.updates:
            if all(s is not state for s in updates_by_record[update_entry.id]):
                updates_by_record[update_entry.id].append(state)

    replaced: dict[str, dict[int, list[Entry]]] = defaultdict(dict)
    replacing: dict[str, dict[int, Entry]] = defaultdict(dict)
    for old, old_index, new, new_index in replacements(kb.entries):
        replaced[old.id].setdefault(old_index, []).append(new)
        replacing[new.id][new_index] = old
    checklists: dict[str, list[LessonItem]] = {kind.id: [] for kind in kb.taxonomy.plan_kinds}
    assumptions: list[tuple[Entry, Assumption]] = []
    for entry in kb.entries:
        replaced_here = replaced.get(entry.id, {})
        for index, lesson in enumerate(entry.record.lessons):
            by = replaced_here.get(index)
            newest = max(by, key=lambda e: e.sort_key) if by else None
            for kind in _kinds(lesson):
                if kind in checklists:
                    checklists[kind].append(LessonItem(entry, lesson.lesson, "lesson",
                                                       replaced_by=newest))
        if isinstance(entry.record, Postmortem):
            plan_kind = entry.record.informs
            for assumption in entry.record.assumptions:
                assumptions.append((entry, assumption))
                # Held ones too: one that failed and later held was listed as failed alone.
                # One not known yet (`held: unknown`) is neither: nothing to check against.
                if plan_kind in checklists and assumption.held is not None:
                    checklists[plan_kind].append(
                        LessonItem(entry, assumption.statement, "assumption",
                                   None if assumption.held else assumption.note,
                                   held=assumption.held)
                    )

    owners: dict[str, list[ActionState]] = defaultdict(list)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for state in sorted(actions.values(), key=lambda s: (s.due, s.id)):
        slug = owner_slug(state.owner)
        owners[slug].append(state)
        spellings[slug][state.owner] += 1
    # An owner written two ways is shown as the usual spelling: the one validation's
    # warning asks for, by the same rule (ties included).
    usual = usual_owner_names(kb.entries)
    owner_names = {slug: usual.get(slug) or names.most_common(1)[0][0]
                   for slug, names in spellings.items()}

    return Links(
        causes=causes,
        actions=actions,
        backlinks=dict(backlinks),
        related=related,
        updates_by_record=dict(updates_by_record),
        checklists=checklists,
        assumptions=assumptions,
        replaced=dict(replaced),
        replacing=dict(replacing),
        owners=dict(sorted(owners.items(),
                           key=lambda item: (*name_order(owner_names[item[0]]), item[0]))),
        owner_names=owner_names,
    )


def _kinds(lesson: Lesson) -> list[str]:
    return list(dict.fromkeys(lesson.applies_to))


def _mark_recurrence(stats: CauseStats, cadence_days: int, horizon_days: int) -> None:
    """Flag citations that show a cause came back after its fix, with the evidence.

    A citation counts only when, among the actions raised against the cause before it, at
    least one was done, none was still open when the citing record was held, and that record
    was held at least ``cadence_days`` after the last of them was done: the fix had time to
    work and the cause was cited anyway. Anything sooner is the same episode still unfolding;
    anything later than ``horizon_days`` is a new occurrence of a fix that held for a while:
    the first citation after that fix is marked as its return (``returned_after``), unless
    the fix was already flagged as one that did not stick or no record had cited the cause
    before (an action can aim at a cause first cited only later).
    """
    stats.cadence_days = cadence_days
    # One pass: actions in the order they were raised, against citations in date order.
    actions = sorted(stats.actions, key=lambda a: a.entry.sort_key)
    index = 0
    never_closed = False
    latest_close: dt.date | None = None
    last_done: tuple[dt.date, str, ActionState] | None = None
    noted: set[str] = set()  # the fixes a citation was already flagged against
    # "Back" needs a citation before: an action can aim at a cause no record had cited yet.
    first = stats.citations[0] if stats.citations else None
    for citation in stats.citations:
        while index < len(actions) and actions[index].entry.sort_key < citation.entry.sort_key:
            action = actions[index]
            index += 1
            closed = closed_on(action)
            if closed is None:
                never_closed = True
            elif latest_close is None or closed > latest_close:
                latest_close = closed
            if action.done_date is not None and (
                    last_done is None or (action.done_date, action.id) > last_done[:2]):
                last_done = (action.done_date, action.id, action)
        if last_done is None or never_closed:
            continue  # nothing was fixed yet, or some of the fix is still owed
        if latest_close is not None and latest_close > citation.entry.date:
            continue  # some of the fix was closed only after this record was held
        days = (citation.entry.date - last_done[0]).days
        if cadence_days <= days <= horizon_days:
            citation.fixed_by = last_done[2]
            noted.add(last_done[1])
        elif days > horizon_days and last_done[1] not in noted and citation is not first:
            citation.returned_after = last_done[2]
            noted.add(last_done[1])
