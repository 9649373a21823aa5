"""``hindsight recall``: what the rest of the knowledge base already says about a record.

For each record given (a new retro or post-mortem in a pull request, usually):

* each cause it cites: how often and since when others cited it, by which teams, the actions
  raised against it with their status and days overdue, and whether earlier fixes stuck (each
  citation that came after every fix was done, with the fixes done before it as evidence);
* each action it updates: that action's history across records;
* for a post-mortem: the "before you plan" highlights for its plan kind;
* each of its lessons that repeats an earlier lesson (`generator.analysis.similarity`);
* each indicator it reports as moving the wrong way by more than the series' usual
  month-to-month variation: the previous times it did, and the actions raised then to move it.

The answer is a `RecallReport` (pydantic, so the JSON output has a published schema);
`generator.commands.recall_render` writes it as Markdown for people and pull requests.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict

from ..paths import RenderOptions, cause_path, indicator_path, plan_path, record_path
from ..records.actions import ActionState, status_label
from ..records.corpus import Entry, KnowledgeBase
from ..records.schema import Postmortem, Retro
from .link import CauseStats, Links
from .planning import checklist
from .series import beyond_usual, nothing_measured, team_rows, usual_variation
from .similarity import LessonIndex, same_lesson

HIGHLIGHTS = 5
"""How many checklist lessons, failed assumptions and open actions a recall shows."""
LATEST = 5
"""How many of the latest closed actions, recurrences, fixes and earlier indicator moves a
recall lists (the counts are always complete; the linked pages list everything)."""


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)


class RecordRef(_Out):
    """A record, as a link."""

    id: str
    """The record id (its file name without ``.md``)."""
    title: str
    """Its title as shown on the site."""
    date: dt.date
    """The date it was held."""
    url: str | None
    """Its page on the published site (null without ``site_url`` in mkdocs.yml, for a record
    added by the change recalled with ``--changed-since``, not published yet, and for one held
    after the as-of date, which the site leaves out until then)."""


class ActionRef(_Out):
    """An action as it stands on the build date."""

    id: str
    """The action id."""
    title: str
    """What will be done."""
    owner: str
    """Who is accountable."""
    due: dt.date
    """The current due date."""
    first_due: dt.date
    """The due date it was raised with: "done late" counts from it."""
    status: Literal["open", "in-progress", "done", "dropped"]
    """Its status in the records' words, as the site's ``data/actions.json`` gives it."""
    label: Literal["open", "in progress", "overdue", "done", "done late", "dropped"]
    """Where it stands on the build date, as the site shows it."""
    days_overdue: int | None
    """Days past its due date, for an overdue action."""
    done_on: dt.date | None
    """The ``done_on`` date the records give, for a done action that states one."""
    done_date: dt.date | None
    """When it was done, for a done action: its ``done_on``, or else the date of the record
    that reported it done."""
    raised_in: RecordRef
    """The record that raised it (its page lists the action)."""
    team: str | None
    """The team that answers for it now, after any hand-over to another team (``team:`` of
    an update), as the site's ``data/actions.json`` gives it; null for a company-wide one."""
    first_team: str | None
    """The team it was raised for: its own ``team:``, else its record's."""
    done_team: str | None
    """The team that held it when it was done, whose readings the site reads what followed
    it on; null unless done."""


class FixDidNotStick(_Out):
    """A citation of the cause made one cadence or more after its last action was done."""

    record: RecordRef
    """The record that cited the cause again."""
    fixes_done_before: list[ActionRef]
    """The last action against the cause done before that record: the fix that did not stick."""
    days_after_fix: int | None
    """Days from that fix to the record that cited the cause again."""
    fixes_total: int
    """How many actions against the cause were done before that record."""


class CauseRecall(_Out):
    """What the knowledge base knows about a cause the record cites."""

    id: str
    """The cause id."""
    title: str
    """The cause's title."""
    url: str | None
    """The cause's page."""
    cited_elsewhere: int
    """How many other records cite it."""
    first_seen: RecordRef | None
    """The earliest other record citing it."""
    last_seen: RecordRef | None
    """The latest other record citing it."""
    teams: list[str]
    """The teams whose records cite it (names)."""
    company_reviews: int = 0
    """How many of the records citing it are company-wide quarterly reviews (of no team)."""
    actions: list[ActionRef]
    """Actions raised against it by other records: every open one (overdue first), then the
    latest closed ones."""
    closed_actions: int
    """How many actions raised against it by other records are closed (done or dropped)."""
    fix_did_not_stick: list[FixDidNotStick]
    """The latest times it came back after every action against it had been closed."""
    came_back: int
    """How many times it came back after every action against it had been closed."""


class UpdateEvent(_Out):
    """One record's word on an action."""

    record: RecordRef
    """The record."""
    status: str
    """The status it set (``raised`` for the record that raised it)."""
    due: dt.date | None
    """The due date it set, if any."""
    note: str | None
    """What it said."""
    owner: str | None
    """The owner it handed the action to, if it named one (``owner:``); for the record that
    raised it, the owner it was raised with."""
    team: str | None
    """The team it handed the action to, if it named one (``team:``): the team answering for
    it from then on; for the record that raised it, the team it was raised for (null for a
    company-wide action)."""
    team_name: str | None = None
    """``team`` as pages name it (its name in taxonomy.yml)."""
    handed_over: bool = False
    """Whether this update handed the action to another team or owner than it had (an update
    naming the owner or team the action already had hands nothing over)."""


class ActionHistory(_Out):
    """An action this record updates, with every record's word on it."""

    action: ActionRef
    """The action as it stands."""
    history: list[UpdateEvent]
    """Raised, then each update, in date order."""


class LessonRecall(_Out):
    """A lesson of this record learned before in other words."""

    lesson: str
    """This record's lesson."""
    learned_before: list[RecordRef]
    """Earlier records with a near-duplicate lesson, newest first."""
    earlier_wording: list[str]
    """Their wording, in the same order."""


class ChecklistLesson(_Out):
    """A lesson from the plan kind's checklist."""

    lesson: str
    """The newest wording."""
    times: int
    """How many records learned it."""
    last_learned_in: RecordRef
    """The latest record that learned it."""
    learned_in: list[RecordRef]
    """Every record that learned it, newest first (the first is ``last_learned_in``)."""


class ChecklistRecall(_Out):
    """The highlights of the "before you plan" checklist for the post-mortem's plan kind."""

    kind: str
    """The plan kind id."""
    title: str
    """The plan kind's title."""
    url: str | None
    """The checklist page."""
    lessons: list[ChecklistLesson]
    """The most repeated and newest lessons."""
    lessons_total: int
    """How many distinct lessons the checklist holds."""
    failed_assumptions: list[str]
    """The assumptions that did not hold, repeats merged, most repeated then newest first."""
    failed_assumption_times: list[int]
    """How many records each of failed_assumptions did not hold in, in the same order."""
    failed_assumption_records: list[list[RecordRef]]
    """The records each of failed_assumptions did not hold in, newest first, in the same
    order."""
    open_actions: list[ActionRef]
    """Open actions from post-mortems of this kind."""


class PreviousMove(_Out):
    """An earlier month when the indicator moved the wrong way (by more than its usual
    month-to-month change), and what was done then."""

    period: str
    """The month."""
    record: RecordRef
    """The retro that reported it."""
    actions: list[ActionRef]
    """The team's actions aimed at this indicator that month: raised by that retro, or raised
    earlier and still open and the team's on its day (including one handed to it by
    ``team:`` in an update)."""


class IndicatorRecall(_Out):
    """An indicator this record reports as moving the wrong way: worse than last month and the
    trailing mean, by more than its usual month-to-month change."""

    id: str
    """The indicator id."""
    label: str
    """Its label."""
    segment: str
    """The segment (``all`` for the overall value)."""
    segment_label: str
    """The segment as a reader sees it: its name in taxonomy.yml, else its id (``all``)."""
    url: str | None
    """The indicator's page."""
    previous: list[PreviousMove]
    """The latest earlier times it moved the wrong way for this team and segment, newest first."""
    times_before: int
    """How many times it moved the wrong way before, for this team and segment."""


class RecordRecall(_Out):
    """Everything recalled for one record."""

    record: RecordRef
    """The record recalled for."""
    path: str
    """Its file, relative to the knowledge-base root."""
    quiet: bool
    """True when the knowledge base has nothing earlier to say about it."""
    causes: list[CauseRecall]
    """The causes it cites that other records cite or raised actions against."""
    action_updates: list[ActionHistory]
    """The actions it updates."""
    checklist: ChecklistRecall | None
    """For a post-mortem: its plan kind's checklist highlights."""
    repeated_lessons: list[LessonRecall]
    """Its lessons that repeat earlier ones."""
    indicators: list[IndicatorRecall]
    """The indicators it reports as moving the wrong way that did so before."""


class RecallReport(_Out):
    """The answer of ``hindsight recall``."""

    as_of: dt.date
    """The date actions are judged by."""
    records: list[RecordRecall]
    """One entry per record recalled for, in date order."""
    removed: list[str] = []
    """Record files the change deleted (``--changed-since``): nothing is recalled for them."""
    note: str | None = None
    """Why there is nothing to recall (no record changed), or what the records recalled do not
    cover (the taxonomy changed, which bears on every record; the repository's ``.mailmap``
    changed, which names who submitted every record: how many it names differently)."""


def recall(kb: KnowledgeBase, links: Links, entries: list[Entry], options: RenderOptions,
           unpublished: frozenset[str] = frozenset()) -> RecallReport:
    """What the knowledge base already says about each of ``entries``. Records whose paths are
    in ``unpublished`` (added by the change under review) have no page yet: no link to one."""
    context = _Context(kb, links, options, unpublished)
    return RecallReport(as_of=kb.as_of,
                        records=[context.record(e) for e in sorted(entries, key=lambda e: e.sort_key)])


class _Context:
    def __init__(self, kb: KnowledgeBase, links: Links, options: RenderOptions,
                 unpublished: frozenset[str] = frozenset()) -> None:
        self.kb, self.links, self.options = kb, links, options
        self.unpublished = unpublished
        self._lessons: LessonIndex[Entry] | None = None
        self._team_names = {t.id: t.name for t in kb.taxonomy.teams}

    def ref(self, entry: Entry) -> RecordRef:
        # A record recalled for may be held after the as-of day, and the site has no page for
        # it until then (`KnowledgeBase.as_it_stood`): a link to it would be dead.
        unpublished = entry.path in self.unpublished or entry.date > self.kb.as_of
        url = None if unpublished else self.options.page_url(record_path(entry.id))
        return RecordRef(id=entry.id, title=entry.title, date=entry.date, url=url)

    def action(self, state: ActionState) -> ActionRef:
        as_of = self.kb.as_of
        return ActionRef(id=state.id, title=state.action.title, owner=state.owner, due=state.due,
                         first_due=state.action.due,
                         status=state.status.value, label=status_label(state, as_of),
                         days_overdue=state.days_overdue(as_of), done_on=state.done_on,
                         done_date=state.done_date,
                         raised_in=self.ref(state.entry), team=state.team,
                         first_team=state.first_team, done_team=state.done_team)

    def record(self, entry: Entry) -> RecordRecall:
        causes = [c for c in (self._recall_cause(entry, cid) for cid in _cited(entry)) if c]
        updates = [self._recall_action(entry, u.id) for u in entry.record.action_updates
                   if u.id in self.links.actions]
        plan = self._recall_checklist(entry)
        lessons = self._recall_lessons(entry)
        indicators = self._recall_indicators(entry)
        quiet = not (causes or updates or (plan and (plan.lessons or plan.failed_assumptions
                                                      or plan.open_actions))
                     or lessons or indicators)
        return RecordRecall(record=self.ref(entry), path=entry.path, quiet=quiet, causes=causes,
                            action_updates=updates, checklist=plan, repeated_lessons=lessons,
                            indicators=indicators)

    def _recall_cause(self, entry: Entry, cause_id: str) -> CauseRecall | None:
        stats: CauseStats | None = self.links.causes.get(cause_id)
        if stats is None:
            return None
        others = [c for c in stats.citations if c.entry.id != entry.id]
        actions = [a for a in stats.actions if a.entry.id != entry.id]
        if not others and not actions:
            return None
        as_of = self.kb.as_of
        still_open = sorted((a for a in actions if a.is_open),
                            key=lambda a: (not a.is_overdue(as_of), a.due, a.id))
        closed = [a for a in actions if not a.is_open]
        latest_closed = sorted(closed, key=lambda a: (a.raised_on, a.id), reverse=True)[:LATEST]
        recurred = stats.recurred_after_fix
        stuck = []
        for citation in recurred[-LATEST:][::-1]:
            # The cause page's evidence: the last earlier action done before it came back.
            fixes = [a for a in stats.actions
                     if a.done_date is not None and a.done_date < citation.entry.date]
            fixed_by = [citation.fixed_by] if citation.fixed_by is not None else []
            stuck.append(FixDidNotStick(record=self.ref(citation.entry), fixes_total=len(fixes),
                                        fixes_done_before=[self.action(a) for a in fixed_by],
                                        days_after_fix=citation.days_after_fix))
        teams = sorted({c.entry.team for c in others if c.entry.team})
        return CauseRecall(
            id=cause_id, title=stats.cause.title, url=self.options.page_url(cause_path(cause_id)),
            cited_elsewhere=len(others),
            first_seen=self.ref(others[0].entry) if others else None,
            last_seen=self.ref(others[-1].entry) if others else None,
            teams=[self._team_names.get(t, t) for t in teams],
            company_reviews=sum(1 for c in others if c.entry.team is None),
            actions=[self.action(a) for a in still_open + latest_closed],
            closed_actions=len(closed), fix_did_not_stick=stuck, came_back=len(recurred))

    def _recall_action(self, entry: Entry, action_id: str) -> ActionHistory:
        state = self.links.actions[action_id]
        history = [UpdateEvent(record=self.ref(state.entry), status="raised", due=state.action.due,
                               note=state.action.note, owner=state.action.owner,
                               team=state.first_team,
                               team_name=self._team_names.get(state.first_team or "",
                                                              state.first_team))]
        # A hand-over is part of an action's history: the SDR team's update handing its
        # action to the account executives read "in-progress" alone.
        handed = {id(e) for e, _, _ in state.handovers} | {
            id(e) for e, _, _ in state.team_handovers}
        history += [UpdateEvent(record=self.ref(e), status=u.status.value, due=u.due, note=u.note,
                                owner=u.owner, team=u.team,
                                team_name=self._team_names.get(u.team, u.team) if u.team
                                else None, handed_over=id(e) in handed)
                    for e, _, u in state.updates]
        return ActionHistory(action=self.action(state), history=history)

    def _recall_checklist(self, entry: Entry) -> ChecklistRecall | None:
        if not isinstance(entry.record, Postmortem):
            return None
        kind = entry.record.informs
        if kind is None or kind not in self.links.checklists:
            return None
        plan = checklist(self.kb, self.links, kind, exclude=entry.id)
        return ChecklistRecall(
            kind=kind, title=plan.title, url=self.options.page_url(plan_path(kind)),
            # Every record of an item, not the newest alone: "learned 3 times, last in Porto"
            # left the two records before it to be looked up on the site.
            lessons=[ChecklistLesson(lesson=g.text, times=g.count,
                                     last_learned_in=self.ref(g.entries[0]),
                                     learned_in=[self.ref(e) for e in g.entries])
                     for g in plan.lessons[:HIGHLIGHTS]],
            lessons_total=len(plan.lessons),
            failed_assumptions=[g.text for g in plan.assumptions[:HIGHLIGHTS]],
            failed_assumption_times=[g.count for g in plan.assumptions[:HIGHLIGHTS]],
            failed_assumption_records=[[self.ref(e) for e in g.entries]
                                       for g in plan.assumptions[:HIGHLIGHTS]],
            open_actions=[self.action(s) for s in plan.open_actions[:HIGHLIGHTS]])

    def _recall_lessons(self, entry: Entry) -> list[LessonRecall]:
        if not entry.record.lessons:
            return []
        if self._lessons is None:
            self._lessons = LessonIndex()
            for other in self.kb.entries:
                for lesson in other.record.lessons:
                    self._lessons.add(lesson.lesson, other)
        found = []
        for lesson in entry.record.lessons:
            earlier: dict[str, tuple[Entry, str]] = {}
            for _, other in self._lessons.matches(lesson.lesson):
                # Another record held the same day counts as before (a copy of it, or two teams'
                # write-ups of one day): a tie broken by id hid it from one of the two.
                if other.date <= entry.date and other.id != entry.id and other.id not in earlier:
                    earlier[other.id] = (other, next(
                        lsn.lesson for lsn in other.record.lessons
                        if same_lesson(lesson.lesson, lsn.lesson)))
            if earlier:
                ordered = sorted(earlier.values(), key=lambda pair: pair[0].sort_key, reverse=True)
                found.append(LessonRecall(lesson=lesson.lesson,
                                          learned_before=[self.ref(e) for e, _ in ordered],
                                          earlier_wording=[text for _, text in ordered]))
        return found

    def _aimed_at(self, source: Entry, indicator: str, segment: str) -> list[ActionState]:
        """The team's actions aimed at ``indicator`` (its ``segment``, or the whole of it) at
        the time of ``source``: those it raised for itself, and those raised before it, still
        open then and the team's that day (`ActionState.team_on`: one another team handed to
        it by then, a retired team's merged into it, and not one it had handed to another
        team), in raising order."""
        held = source.date
        found = []
        for state in self.links.actions.values():
            action = state.action
            if action.indicator != indicator:
                continue
            if action.segment is not None and segment not in (action.segment, "all"):
                continue
            if state.entry is source:
                if state.first_team == source.team:
                    found.append(state)
                continue
            closed = state.closed_on
            # Whose it was that day, not whose it was raised for: Pipeline Development's
            # October retro, which took Inbound SDR's open action over, said "no action aimed
            # at it" of its own drop in the indicator that action aims at.
            if (state.entry.date < held and (closed is None or closed >= held)
                    and state.team_on(held) == source.team):
                found.append(state)
        return sorted(found, key=lambda s: (s.entry.sort_key, s.index))

    def _recall_indicators(self, entry: Entry) -> list[IndicatorRecall]:
        record = entry.record
        if not isinstance(record, Retro) or not entry.readings:
            return []
        # Only this team's retros: the trend of one team is all a retro reports on. Read from
        # `generator.analysis.series` directly: the same figures as the site's table, without pandas.
        # A month that wrote a segment with no value (nothing to measure) is compared as the
        # site compares it, not as one that left the segment out.
        team = [e for e in self.kb.retros if e.team == record.team]
        rows = team_rows(((e.record.period, str(e.team), e.id, e.readings) for e in team
                          if isinstance(e.record, Retro)), self.kb.taxonomy,
                         nothing_measured(team, self.kb.taxonomy))
        # A move counts when it is larger than the series' usual month-to-month variation (as
        # "did it work" judges fixes), known as of this retro: most months some indicator of a
        # team is a little worse than both last month and the trailing mean, and recalling
        # every such wobble would make the section fire on nearly every retro.
        history: dict[tuple[object, object], list[float]] = {}
        for row, _ in rows:
            if str(row["period"]) <= record.period:
                history.setdefault((row["indicator"], row["segment"]), []).append(
                    float(row["value"]))  # type: ignore[arg-type]
        usual = {key: usual_variation(values) for key, values in history.items()}
        # Worse than last month and than the trailing mean, each by more than that variation.
        wrong = [row for row, step in rows if step.verdict == "wrong way" and all(
            beyond_usual(change or 0.0, usual.get((row["indicator"], row["segment"])))
            for change in (step.vs_prior, step.vs_trailing))]
        severity = {id(row): step.severity for row, step in rows}
        now = [row for row in wrong if row["period"] == record.period]
        by_id = self.kb.by_id()
        found = []
        indicators = {i.id: i for i in self.kb.taxonomy.indicators}

        def worst_first(row: dict[str, object]) -> tuple[float, str, int, str]:
            # Ties (two segments that fell alike) in the taxonomy's order of the indicator's
            # segments, as the site lists them, not by id.
            indicator, segment = str(row["indicator"]), str(row["segment"])
            known = indicators.get(indicator)
            place = known.segment_key(segment)[0] if known is not None else 0
            return severity[id(row)], indicator, place, segment

        for row in sorted(now, key=worst_first):
            indicator, segment = str(row["indicator"]), str(row["segment"])
            earlier = sorted((r for r in wrong if r["indicator"] == indicator
                              and r["segment"] == segment and str(r["period"]) < record.period),
                             key=lambda r: str(r["period"]), reverse=True)
            previous = []
            for before in earlier[:LATEST]:
                source = by_id[str(before["record"])]
                aimed = self._aimed_at(source, indicator, segment)
                previous.append(PreviousMove(period=str(before["period"]), record=self.ref(source),
                                             actions=[self.action(s) for s in aimed]))
            if previous:
                moved = self.kb.taxonomy.indicator(indicator)
                found.append(IndicatorRecall(
                    id=indicator, label=moved.label, segment=segment,
                    segment_label=self.kb.taxonomy.segment_name(moved.segment_by, segment),
                    url=self.options.page_url(indicator_path(indicator)), previous=previous,
                    times_before=len(earlier)))
        return found


def _cited(entry: Entry) -> list[str]:
    return list(dict.fromkeys(c.cause for c in entry.record.causes))
