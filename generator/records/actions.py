"""Actions as they stand on the as-of day: each raised action with every later update held
by then applied in order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..paths import owner_slug
from .corpus import Entry, KnowledgeBase
from .schema import Action, ActionUpdate, Status
from .taxonomy import Taxonomy, retired_after
from .types import month_of


@dataclass(frozen=True)
class ActionNote:
    """A note written about an action: its own (``note:`` where it was raised), or one an
    update gave (``action_updates[].note``: what happened, or why it was dropped)."""

    entry: Entry
    """The record that wrote it."""
    status: Status
    """The status that record gave the action (as raised, for its own note)."""
    text: str
    """The note as written."""
    own: bool
    """Whether it is the action's own note, written where it was raised."""

    @property
    def line(self) -> str:
        """The note on one line, as a table cell shows it (a ``|`` block keeps its breaks)."""
        return " ".join(self.text.split())


@dataclass
class ActionState:
    """An action with its current status, after every update by later records."""

    action: Action
    entry: Entry
    """The record that raised it."""
    index: int
    """Its position in that record's ``actions`` list."""
    team: str | None
    """The team that answers for it now: the team the latest update handed it to
    (``action_updates[].team``), else its own ``team:``, else its record's."""
    cause: str | None
    """The canonical cause id it addresses (validation resolved aliases)."""
    status: Status
    done_on: dt.date | None
    due: dt.date
    """The current due date (an update may have moved it)."""
    updates: list[tuple[Entry, int, ActionUpdate]] = field(default_factory=list)

    @property
    def id(self) -> str:
        """The action id."""
        return self.action.id

    @property
    def owner(self) -> str:
        """The accountable person now: the owner the latest hand-over named
        (``action_updates[].owner``), else the owner it was raised with."""
        for _, _, update in reversed(self.updates):
            if update.owner is not None:
                return update.owner
        return self.action.owner

    @property
    def handovers(self) -> list[tuple[Entry, str, str]]:
        """Each hand-over to another person, in date order: the record that made it, the
        owner before and the owner after (an update naming the owner it already had, in any
        spelling the site counts as one person, hands nothing over)."""
        handovers = []
        owner = self.action.owner
        for entry, _, update in self.updates:
            if update.owner is not None and owner_slug(update.owner) != owner_slug(owner):
                handovers.append((entry, owner, update.owner))
            owner = update.owner or owner
        return handovers

    @property
    def first_team(self) -> str | None:
        """The team it was raised for: its own ``team:``, else its record's."""
        return self.action.team or self.entry.team

    @property
    def team_handovers(self) -> list[tuple[Entry, str | None, str]]:
        """Each hand-over to another team, in date order: the record that made it, the team
        before and the team after (an update naming the team it already had hands nothing
        over)."""
        handovers = []
        team = self.first_team
        for entry, _, update in self.updates:
            if update.team is not None and update.team != team:
                handovers.append((entry, team, update.team))
                team = update.team
        return handovers

    def team_on(self, day: dt.date) -> str | None:
        """The team that answered for it on ``day``: as raised, then as each update held by
        that day handed it over."""
        team = self.first_team
        for entry, _, update in self.updates:
            if entry.date > day:
                break
            team = update.team or team
        return team

    @property
    def done_team(self) -> str | None:
        """The team that answered for it when it was done (`team_on` its `done_date`), None
        unless done. What followed it is read on this team's readings: handed to another team
        by a record held by the day it was done, the work was that team's by then, and so are
        the readings that show what followed it; done before the record that handed it over,
        it was the earlier team's."""
        done = self.done_date
        return None if done is None else self.team_on(done)

    @property
    def status_changed_in(self) -> Entry:
        """The record whose update last changed the status (the raising record if none did).

        An update that keeps the status (moves the due date, says ``in-progress`` again, adds
        a note) is not a change: the register's *Status changed* would move on every one.
        """
        changed, status = self.entry, self.action.status
        for entry, _, update in self.updates:
            if update.status is not status:
                changed, status = entry, update.status
        return changed

    @property
    def updated_in(self) -> Entry:
        """The latest record about it: the last to update it, else the raising record."""
        return self.updates[-1][0] if self.updates else self.entry

    @property
    def notes(self) -> list[ActionNote]:
        """Every note written about it, in date order: its own, then each update's."""
        own = self.action.note
        notes = [ActionNote(self.entry, self.action.status, own, True)] if own else []
        notes += [ActionNote(entry, update.status, update.note, False)
                  for entry, _, update in self.updates if update.note]
        return notes

    @property
    def note(self) -> ActionNote | None:
        """The latest note written about it, if any (the exports' ``note``)."""
        notes = self.notes
        return notes[-1] if notes else None

    def note_by(self, entry: Entry) -> ActionNote | None:
        """The note ``entry`` wrote about it: its own where it was raised, else the note of
        that record's update; None if it wrote none."""
        return next((n for n in self.notes if n.entry is entry), None)

    @property
    def drop_reason(self) -> ActionNote | None:
        """Why a dropped action was dropped: the note of the record that dropped it (or of a
        later one that dropped it again); None if it is not dropped or none says why."""
        if self.status is not Status.DROPPED:
            return None
        # Back through the updates that keep it dropped: a note from before it was dropped
        # (an in-progress update's) says nothing of why.
        for entry, _, update in reversed(self.updates):
            if update.status is not Status.DROPPED:
                return None
            if update.note:
                return ActionNote(entry, update.status, update.note, False)
        note = self.action.note  # raised as dropped
        return ActionNote(self.entry, self.action.status, note, True) if note else None

    @property
    def is_open(self) -> bool:
        """Not yet closed: ``open`` or ``in-progress`` (started work is still owed)."""
        return self.status in (Status.OPEN, Status.IN_PROGRESS)

    def is_overdue(self, as_of: dt.date) -> bool:
        """Still open (or in progress) after its current due date."""
        return self.is_open and self.due < as_of

    @property
    def done_by(self) -> Entry | None:
        """The record that reported a done action without a ``done_on`` date, else None.

        Such an action is done *as of* that record's date: the records prove no more.
        """
        if self.status is not Status.DONE or self.done_on is not None:
            return None
        return self._first_to_say(Status.DONE)

    @property
    def dropped_by(self) -> Entry | None:
        """The record that dropped a dropped action, else None: the first of the records in a
        row that say dropped (one dropping it again, with a note of its own, adds the note
        but does not move when it was dropped), or the raising record if raised dropped."""
        if self.status is not Status.DROPPED:
            return None
        return self._first_to_say(Status.DROPPED)

    def _first_to_say(self, status: Status) -> Entry:
        """The first of the latest records in a row whose updates say ``status`` (the action's
        own, so the raising record when every update says it, or there is none)."""
        first = self.entry
        for entry, _, update in reversed(self.updates):
            if update.status is not status:
                return first
            first = entry  # an earlier record already said it
        return first

    @property
    def closed_on(self) -> dt.date | None:
        """When it was closed, as the register's months count it (`openings_and_closings`):
        the close that began its current closed stretch, by the first record to close it, on
        that update's ``done_on`` (else the record's date) or on the date of the record that
        dropped it; None while it is open.

        A record that closes it while it is closed (calls a dropped action done, drops it
        again, gives a done action a ``done_on``) changes its status and `done_date`, not
        when it was closed: an action dropped in June and called done in September closed
        in June, as the register's June counts it (the exports said September). Reopened
        and closed again, it closed when it was closed again."""
        if self.is_open:
            return None
        day, opens = self.openings_and_closings[-1]
        return None if opens else day

    @property
    def openings_and_closings(self) -> list[tuple[dt.date, bool]]:
        """Each day it was opened (True) or closed (False), in the order its records say so,
        as the register counts them month by month: opened on the date of the record that
        raised it; closed by the first record to close it, on that update's ``done_on``
        (else the record's date) or on the date of the record that dropped it; opened again
        on the date of a record that reopens it, and closed again when one closes it.

        A record that closes it while it is closed (done after it was dropped, dropped again,
        done again with a ``done_on``) opens and closes nothing: its close stays in the month
        it was first closed: counted by the latest record, an action dropped in June and
        called done in September left June's closed count and backlog (as of August, June
        read 2 closed, 5 open; as of September, 1 and 6). `closed_on` is the same close.
        """
        events = [(self.entry.date, True)]
        action = self.action
        is_open = action.status in (Status.OPEN, Status.IN_PROGRESS)
        if not is_open:  # raised closed
            day = action.done_on if action.status is Status.DONE and action.done_on else None
            events.append((day or self.entry.date, False))
        for entry, _, update in self.updates:
            opens = update.status in (Status.OPEN, Status.IN_PROGRESS)
            if opens and not is_open:
                events.append((entry.date, True))
            elif not opens and is_open:
                day = update.done_on if update.status is Status.DONE else None
                events.append((day or entry.date, False))
            is_open = opens
        return events

    @property
    def done_date(self) -> dt.date | None:
        """When a done action was done: its ``done_on``, or the date of the record that
        reported it done; None unless done."""
        if self.status is not Status.DONE:
            return None
        if self.done_on is not None:
            return self.done_on
        reporter = self.done_by
        return reporter.date if reporter is not None else None

    @property
    def done_on_time(self) -> bool:
        """Provably done no later than the due date first committed to.

        Without a ``done_on`` the records only prove it was done by the reporting record's
        date, so it counts as on time only when that record was held by the due date.
        """
        done = self.done_date
        return done is not None and done <= self.action.due

    @property
    def done_late(self) -> bool:
        """Done, but not provably by the due date first committed to."""
        return self.status is Status.DONE and not self.done_on_time

    @property
    def raised_on(self) -> dt.date:
        """The date the action was raised: the date its record was held."""
        return self.entry.date

    def days_overdue(self, as_of: dt.date) -> int | None:
        """Days past the current due date as of ``as_of``, for an overdue action; else None."""
        return (as_of - self.due).days if self.is_overdue(as_of) else None

    @property
    def days_late(self) -> int | None:
        """Days after the first committed due date that a done-late action was done; else None.

        For an action done by a record (no ``done_on``) this counts to that record's date.
        """
        done = self.done_date
        if done is None or done <= self.action.due:
            return None
        return (done - self.action.due).days

    def days_open(self, as_of: dt.date) -> int:
        """Days from the record that raised it until it closed (done, or dropped by a
        record), or until ``as_of`` while it is open."""
        closed = self.closed_on
        end = as_of if closed is None else min(closed, as_of)
        return max(0, (end - self.entry.date).days)


def link_actions(entries: list[Entry], as_of: dt.date | None = None) -> dict[str, ActionState]:
    """Every action by id, with later records' updates applied in date order.

    The first record to raise an id wins (a duplicate is a validation error already). An
    update by a record held after ``as_of`` is not applied: as of that day the action had not
    been closed, dropped or re-dated yet (an action done on 2026-10-20 per a retro held
    2026-10-28 is open, or overdue, as of 2026-10-01).
    """
    states: dict[str, ActionState] = {}
    ordered = sorted(entries, key=lambda e: e.sort_key)
    for entry in ordered:
        for index, action in enumerate(entry.record.actions):
            if action.id in states:
                continue
            states[action.id] = ActionState(
                action=action,
                entry=entry,
                index=index,
                team=action.team or entry.team,
                cause=action.cause,
                status=action.status,
                done_on=action.done_on,
                due=action.due,
            )
    for entry in ordered:
        if as_of is not None and entry.date > as_of:
            break  # in date order: every record from here on was held after as_of
        for index, update in enumerate(entry.record.action_updates):
            state = states.get(update.id)
            if state is None or entry.sort_key < state.entry.sort_key:
                continue
            state.updates.append((entry, index, update))
            was_done = state.status is Status.DONE
            state.status = update.status
            if update.status is not Status.DONE:
                state.done_on = None
            elif update.done_on is not None or not was_done:
                # Saying "done" again (say, with a note) does not move when it was done.
                state.done_on = update.done_on
            if update.due is not None:
                state.due = update.due
            if update.team is not None:
                state.team = update.team
    return states


def status_label(state: ActionState, as_of: dt.date) -> str:
    """open, in progress, overdue, done, done late or dropped."""
    if state.is_overdue(as_of):
        return "overdue"
    if state.status is Status.DONE:
        return "done late" if state.done_late else "done"
    if state.status is Status.IN_PROGRESS:
        return "in progress"
    return state.status.value


def needing_owner(states: Iterable[ActionState], taxonomy: Taxonomy,
                  as_of: dt.date) -> list[ActionState]:
    """The open actions (raised by ``as_of``) of a team retired by then (``retired:`` in
    taxonomy.yml, before the month of ``as_of``) that no record since its last month handed
    over: the team holds no more retros, so nothing follows them up. In the order raised.

    A hand-over to another owner by a record held in or after the team's last month is the
    action taken up (its new owner answers for it), as is closing or dropping it; one handed
    to a current team (``action_updates[].team``) is that team's, and not listed."""
    retired = {team.id: team.retired for team in taxonomy.teams if team.retired is not None}
    if not retired:
        return []
    month = month_of(as_of)
    found = []
    for state in states:
        last = retired.get(state.team or "")
        if (last is None or not state.is_open or state.raised_on > as_of
                or not retired_after(last, month)):
            continue
        if any(month_of(entry.date) >= last for entry, _, _ in state.handovers):
            continue
        found.append(state)
    return sorted(found, key=lambda s: (s.entry.sort_key, s.index))


def actions_of(kb: KnowledgeBase) -> dict[str, ActionState]:
    """Every action as it stands on the knowledge base's as-of day, computed once per
    knowledge base (`link_actions`)."""
    states = kb.derived.get("actions")
    if states is None:
        states = kb.derived["actions"] = link_actions(kb.entries, kb.as_of)
    return states  # type: ignore[return-value]
