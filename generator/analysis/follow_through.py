"""Follow-through: how the actions stand as of a date, grouped as the registers show them,
and the share done on time, for any set of actions (everyone's, an owner's, a team's)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..paths import name_order
from ..records.actions import ActionState, status_label
from ..records.schema import Status


def register_groups(states: Iterable[ActionState], as_of: dt.date,
                    labels: dict[int, str] | None = None) -> dict[str, list[ActionState]]:
    """Actions split into the register's groups, each sorted by due date then id.

    ``labels`` is each action's `status_label` by ``id()`` of its state, when the caller
    made them once for every register of the run.
    """
    groups: dict[str, list[ActionState]] = {
        "overdue": [], "open": [], "done-late": [], "done": [], "dropped": []
    }
    for state in sorted(states, key=lambda s: (s.due, s.action.id)):
        label = labels[id(state)] if labels is not None else status_label(state, as_of)
        # Work in progress is still open: it sits with the open actions until done.
        groups["open" if label == "in progress" else label.replace(" ", "-")].append(state)
    return groups


@dataclass
class FollowThrough:
    """Follow-through figures for a set of actions."""

    total: int
    open: int
    """Open and not yet due."""
    overdue: int
    done: int
    done_late: int
    dropped: int
    on_time: int
    due: int
    """Done, or still open past the due date first committed to: the actions that have had
    their chance (moving a missed due date later does not take one back out)."""

    @property
    def rate(self) -> float | None:
        """Done by the first due date, out of the actions done or past their first due."""
        return self.on_time / self.due if self.due else None


ActionFacts = tuple[int, int, int, int, int, int, int]
"""An action's part in follow-through figures: (open and not due, overdue, done, done late,
dropped, done on time, open past its first due date), each 0 or 1."""


def action_facts(state: ActionState, as_of: dt.date) -> ActionFacts:
    """An action's part in follow-through figures as of ``as_of``."""
    overdue = state.is_overdue(as_of)
    done = state.status is Status.DONE
    return (int(state.is_open and not overdue), int(overdue), int(done),
            int(done and state.done_late), int(state.status is Status.DROPPED),
            int(done and state.done_on_time),
            int(state.is_open and state.action.due < as_of))


def follow_through(states: Iterable[ActionState], as_of: dt.date,
            facts: dict[int, ActionFacts] | None = None) -> FollowThrough:
    """Follow-through of ``states``; ``facts`` are their `action_facts` by ``id()``, made once."""
    rows = [facts[id(s)] if facts is not None else action_facts(s, as_of) for s in states]
    totals = [sum(column) for column in zip(*rows, strict=True)] if rows else [0] * 7
    open_, overdue, done, done_late, dropped, on_time, missed_first_due = totals
    return FollowThrough(total=len(rows), open=open_, overdue=overdue, done=done,
                         done_late=done_late, dropped=dropped, on_time=on_time,
                         due=done + missed_first_due)


def follow_through_by(
    states: Iterable[ActionState], key: Callable[[ActionState], str], as_of: dt.date,
    facts: dict[int, ActionFacts] | None = None, label: Callable[[str], str] | None = None,
) -> list[tuple[str, str, FollowThrough]]:
    """Follow-through per group of ``key`` (an owner's slug, a team): (key, label, figures),
    ``label`` naming a group by its key (an owner's slug: the name the site shows; by default
    the key itself), in `name_order` of the labels."""
    groups: dict[str, list[ActionState]] = defaultdict(list)
    for state in states:
        groups[key(state)].append(state)
    named = sorted(((label(name) if label else name, name) for name in groups),
                   key=lambda pair: (*name_order(pair[0]), pair[1]))
    return [(name, shown, follow_through(groups[name], as_of, facts)) for shown, name in named]
