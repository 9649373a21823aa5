"""The rules across records: ids and action ids unique, references that resolve (related
records, action updates, links in bodies), updates after what they update, and the cadence
of each team's retros."""

from __future__ import annotations

import datetime as dt
import html
import posixpath
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import unquote

from ..errors import Problems
from ..escape import md
from ..messages import and_list
from ..paths import (
    RECORD_LINK,
    RECORD_PAGE_ANCHORS,
    RECORD_SECTIONS,
    BodyLinks,
    body_links,
    company_keys,
    first_name_first,
    owner_slug,
    owner_words,
    umlauts_spelled_out,
)
from .actions import actions_of, needing_owner
from .body import renderer_for
from .corpus import Entry, KnowledgeBase
from .link_places import link_places
from .load import TAXONOMY_FILE
from .naming import postmortem_slug
from .owners import owner_spellings, usual_owner_names, written_owners
from .record_rules import (
    HELD_AFTER_PERIOD_DAYS,
    at,
    period_in_name,
    period_name_warning,
    retro_in_name,
    team_in_name,
    team_name_warning,
)
from .replacing import lesson_choices, replaced_index
from .schema import Postmortem, Retro, Review, Status
from .segments import Given, additive, compared_segments, formula_inputs, nothing_to_measure
from .spelling import did_you_mean_record
from .stub import Stub
from .taxonomy import Taxonomy, Unit, did_you_mean, quarter_end, retired_after, retired_said
from .types import month_of, next_month, period_last_day, quarter_of_month


def check_corpus(kb: KnowledgeBase, problems: Problems, stubs: list[Stub],
                 unread: frozenset[str] = frozenset(), unparsed: bool = False) -> None:
    """Rules that need every record at once, over every record that parsed.

    Records that failed the schema take part as stubs (their ids, team and references), so
    their schema errors do not hide a duplicate id or a broken reference until next run.
    ``unread`` are the ids of record files whose front matter could not be read at all (a
    tab in the YAML): they exist, so no reference to them is an error, and what they say is
    unknown, so no action is said to be missing and no month is said to be missing until
    their own errors are fixed; ``unparsed``: some such file is a record's (not only a file
    whose name is no id), which may have closed any action: none is said to be overdue.
    """
    entries = kb.entries
    by_id: dict[str, list[Entry | Stub]] = defaultdict(list)
    records: list[Entry | Stub] = [*entries, *stubs]
    for record in records:
        by_id[record.id].append(record)
    for record_id, same in by_id.items():
        if len(same) > 1:
            for entry in same:
                others = ", ".join(o.path for o in same if o is not entry)
                problems.error(entry.path, 1, 1, "id", f"record id {record_id!r} is also used by "
                               f"{others}", "rename one of the files; ids are file names")
    known_ids = set(by_id) | unread
    action_places: dict[str, list[tuple[Entry | Stub, int]]] = defaultdict(list)
    for entry in entries:
        for i, action in enumerate(entry.record.actions):
            action_places[action.id].append((entry, i))
    for stub in stubs:
        for i, action_id in stub.actions:
            action_places[action_id].append((stub, i))
    # Ids that differ only in case name one action to a reader (and to an update's hint).
    by_folded: dict[str, list[str]] = defaultdict(list)
    for action_id in action_places:
        by_folded[action_id.casefold()].append(action_id)
    for spellings in (s for s in by_folded.values() if len(s) > 1):
        for action_id in spellings:
            for entry, i in action_places[action_id]:
                others = ", ".join(
                    f"{other!r} at {o.path}:{o.source.doc.position(('actions', j, 'id'))[0]}"
                    for other in spellings if other != action_id
                    for o, j in action_places[other])
                problems.error(*at(entry, ("actions", i, "id")),
                               f"action id {action_id!r} differs only in case from {others}",
                               "action ids must be unique across the knowledge base, whatever "
                               "their case; rename one")
    taken = {action_id.casefold() for action_id in action_places}
    for action_id, places in action_places.items():
        if len(places) > 1:
            _check_duplicate_action(action_id, places, taken, problems)
    _check_owner_spellings(entries, problems)
    _check_owner_forms(entries, problems)
    _check_owner_umlauts(entries, problems)
    _check_competitor_spellings(entries, problems)
    _check_duplicate_postmortems(kb.postmortems, problems)
    _check_left_out_segments(kb.retros, kb.taxonomy, problems)
    _check_copied_readings(kb.retros, kb.taxonomy, problems)
    for stub in stubs:
        _check_stub_references(stub, known_ids, action_places, problems, bool(unread))
    linked = _Linked(kb, {entry.id: entry for entry in entries},
                     {stub.id: stub for stub in stubs},
                     {target for entry in entries for target in entry.record.related}, known_ids)
    for holder in records:
        _check_body_links(holder, linked, problems)
    _check_links_held_later(kb, linked, problems)
    for entry in entries:
        for i, related in enumerate(entry.record.related):
            if related == entry.id:
                problems.error(*at(entry, ("related", i)), "a record cannot relate to itself",
                               "remove it")
            elif related not in known_ids:
                problems.error(*at(entry, ("related", i)), f"no record {related!r} exists",
                               did_you_mean_record(related, known_ids), reference=True)
        _check_replaced_lessons(entry, linked.pages, known_ids, problems)
        for i, update in enumerate(entry.record.action_updates):
            raised = action_places.get(update.id)
            if not raised and unread:
                continue  # it may be raised in a record that could not be read
            if not raised:
                problems.error(*at(entry, ("action_updates", i, "id")),
                               f"no action {update.id!r} exists",
                               did_you_mean(update.id, set(action_places)), reference=True)
                continue
            origin, _ = raised[0]
            if isinstance(origin, Stub):
                continue  # its dates are not known; its own errors are reported already
            if origin is entry:
                problems.error(*at(entry, ("action_updates", i, "id")),
                               "updates an action raised in this same record",
                               "change the action itself instead")
            elif origin.sort_key > entry.sort_key:
                problems.error(*at(entry, ("action_updates", i, "id")),
                               f"updates an action raised later, in {origin.path}",
                               "updates belong in records held after the action was raised")
            elif update.done_on is not None and update.done_on < origin.date:
                problems.error(*at(entry, ("action_updates", i, "done_on")),
                               f"{update.done_on} is before the action was raised "
                               f"({origin.date}, {origin.path})", "check the date")
    _check_closed_again(kb, problems)
    _check_cadence(kb, stubs, problems, months_known=not unread)
    _check_reviews(kb, problems)
    for entry in entries:
        if entry.date > kb.as_of:
            problems.warning(*at(entry, ("held",)),
                             f"{entry.date} is after the build date ({kb.as_of})",
                             "a record is written once it has been held, and the site leaves "
                             "it out until then: check the year, or pass --as-of")
    # A record that failed the schema may have closed or moved an action: only its error
    # is said until it is fixed. One that could not be read at all may have closed any.
    updated_by_stubs = {action_id for stub in stubs for _, action_id in stub.updates}
    for state in actions_of(kb).values() if not unparsed else ():
        # An action raised by a record held after the build date is not yet raised, so not
        # overdue: its record's held date is warned about above. (One closed by such a
        # record is still open as of that day, as the site shows it: `actions_of`.)
        if (state.is_overdue(kb.as_of) and state.raised_on <= kb.as_of
                and state.id not in updated_by_stubs):
            problems.warning(*at(state.entry, ("actions", state.index, "due")),
                             f"action {state.id} is overdue (due {state.due}, owner "
                             f"{state.owner})", "close it, move its due date, or drop it in "
                             "the next record's action_updates")
    # A team retired with actions still open: no retro of it will follow them up, and its
    # owner may have moved on; said where each was raised, as nothing else prompts anyone.
    for state in needing_owner(actions_of(kb).values(), kb.taxonomy, kb.as_of) \
            if not unparsed else ():
        if state.id in updated_by_stubs or state.team is None:
            continue
        team = kb.taxonomy.team(state.team)
        assert team.retired is not None  # `needing_owner` keeps only retired teams' actions
        handed = state.team_handovers
        if handed and retired_after(team.retired, month_of(handed[-1][0].date)):
            continue  # handed to the team after its end: that update's `team:` is the error
        problems.warning(*at(state.entry, ("actions", state.index, "owner")),
                         f"action {state.id} is still open, but its team {state.team} was "
                         f"{retired_said(team.retired)} ({TAXONOMY_FILE}): no retro of "
                         f"{team.name} follows it up now (owner {state.owner}, raised in "
                         f"{state.entry.title}, held {state.entry.date})",
                         f"hand it over in a record's action_updates, e.g. {{id: {state.id}, "
                         f"status: {state.status.value}, team: <the team that took the work "
                         "over>, owner: <who took it over>}, or mark it done or dropped there")


def _check_closed_again(kb: KnowledgeBase, problems: Problems) -> None:
    """A warning where an update marks done an action already done (or dropped one already
    dropped) and says nothing new: no note but the last one given, no other ``done_on``. Most
    often an id copied from another update: the action meant stays open, and the one named
    reads as last changed by this record. A second "done" with a note of its own (a
    confirmation) or with the day it was done says something, and is no warning."""
    closing = (Status.DONE, Status.DROPPED)
    for state in actions_of(kb).values():
        action = state.action
        status, note, done_on = action.status, action.note, action.done_on
        # Where it was closed: the record, the field that says so, and the day it was done.
        closed = (state.entry, ("actions", state.index, "status"), action.done_on)
        for entry, i, update in state.updates:
            here = ("action_updates", i, "status")
            if update.status in closing and update.status is status:
                if update.done_on is not None and update.done_on != done_on:
                    closed = (entry, here, update.done_on)  # the day it was done, corrected
                elif update.note is None or update.note == note:
                    by, field, day = closed
                    where = ":".join(map(str, at(by, field)[:2]))
                    said = (f"done on {day or by.date}" if status is Status.DONE
                            else f"dropped on {by.date}")
                    problems.warning(
                        *at(entry, ("action_updates", i, "id")),
                        f"{update.id} is already {status.value}: it was {said}, as {where} "
                        "says",
                        "an id copied from another update? give the id of the action this "
                        "record closes, or remove this update")
                    # Its "drops … without a note" asked for a note, which would silence
                    # this warning and keep the copied update: this one is said alone.
                    line = at(entry, here)[1]
                    for said_too in [p for p in problems.warnings if p.path == entry.path
                                     and p.line == line
                                     and p.message == f"drops {update.id} without a note "
                                                      "saying why"]:
                        problems.withdraw(said_too)
            elif update.status is Status.DONE and status is Status.DROPPED \
                    and update.note is None:
                # Done after it was dropped, saying nothing: a copied id more often than a
                # change of mind, and it counts the action done late from its first due date.
                by, _, _ = closed
                where = ":".join(map(str, at(by, closed[1])[:2]))
                problems.warning(
                    *at(entry, ("action_updates", i, "id")),
                    f"{update.id} was dropped on {by.date}, as {where} says: marked done "
                    "here, it counts as done late",
                    "an id copied from another update? give the id of the action this record "
                    "closes; if it was done after all, add a note saying so")
                closed = (entry, here, update.done_on)
            elif update.status in closing:
                closed = (entry, here, update.done_on)
            # As `link_actions` applies it: saying "done" again keeps the day it was done.
            if update.status is not Status.DONE:
                done_on = None
            elif update.done_on is not None or status is not Status.DONE:
                done_on = update.done_on
            status = update.status
            note = update.note if update.note is not None else note


def _check_duplicate_postmortems(postmortems: list[Entry], problems: Problems) -> None:
    """Two post-mortems of one event: the same name and end date, or for deals the same
    customer and close date. A copy saved under a second name (``the-sunmere-win`` and
    ``sunmere-win``) passed every check and was counted twice: thirteen deals in the win/loss
    figures, the competitor beaten twice. Said at the later-named file, naming the other.

    Front matter identical to the other's is an error: nothing in it tells the two apart, so
    every figure it gives is counted twice, and no second view of the event can read the same
    word for word. The same event told differently (another team's view, a second deal with
    the customer closed that day) may be meant, so it is a warning."""
    groups: dict[tuple[str, str, dt.date], list[Entry]] = defaultdict(list)
    for entry in postmortems:
        record = entry.record
        assert isinstance(record, Postmortem)
        groups[("name", " ".join(record.name.casefold().split()), record.event_ended)].append(entry)
        if record.deal is not None:
            customer = " ".join(record.deal.customer.casefold().split())
            groups[("customer", customer, record.event_ended)].append(entry)
    said: set[str] = set()
    for (by, _, ended), same in groups.items():
        # The file named as `hindsight new` names it is kept; of the others, the first by name.
        same = sorted(same, key=lambda e: (e.id not in _postmortem_stems(e), e.path))
        for entry in same[1:]:
            if entry.path in said:
                continue
            first = same[0]
            # Compared only here, within a group: dumping every record would slow every run.
            if entry.record.model_dump() == first.record.model_dump():
                said.add(entry.path)
                problems.error(*at(entry, ("name",)),
                               f"a copy of {first.path}: its front matter is the same, so the "
                               "event is counted twice (in win/loss, the checklists, the "
                               "lessons)", f"delete one of the two: this file or {first.path}")
                continue
            record, other = entry.record, first.record
            assert isinstance(record, Postmortem) and isinstance(other, Postmortem)
            said.add(entry.path)
            what = (f"the same name ({record.name!r}) and end date ({ended})" if by == "name"
                    else f"the same customer ({other.deal.customer if other.deal else ''!s}) "
                         f"and close date ({ended})")
            field = ("name",) if by == "name" else ("deal", "customer")
            problems.warning(*at(entry, field),
                             f"has {what} as {first.path}: two post-mortems of one event are "
                             "counted twice", "if it is a copy, delete one; if they are two "
                             "events, tell them apart by name or date")


def _postmortem_stems(entry: Entry) -> set[str]:
    """The record ids `hindsight new` gives a post-mortem: its end month and its name, with
    ä, ö and ü spelled ae, oe and ue as on a German site or without their dots."""
    record = entry.record
    assert isinstance(record, Postmortem)
    return {f"{record.event_ended:%Y-%m}-{postmortem_slug(record.name, record.kind.value, de)}"
            for de in (False, True)}


SegmentMonth = tuple[Entry, bool, list[str], Given]
"""A team's month of one indicator given by segment: its retro, whether the retro writes the
indicator (not only its inputs), the segments it gives in the order written, and those as
`Given`."""


def segment_months(retros: Iterable[Entry],
                   taxonomy: Taxonomy) -> dict[tuple[str | None, str], list[SegmentMonth]]:
    """Each team's months of each indicator it gives by segment, in period order, with the
    segments each gives: as written, valid values or not (a bad value is an error of its
    own, not a segment left out), those a formula computed from the record's inputs, and
    those its inputs had nothing to measure in; the month's overall combines them all. An
    indicator written with a segment, or an indicator, the taxonomy does not know is that
    one's error and takes no part. The left-out segment warning and `hindsight prep`'s
    segments to ask for read these."""
    known = {indicator.id: set(indicator.segments) for indicator in taxonomy.indicators
             if indicator.segment_by}
    ids = {indicator.id for indicator in taxonomy.indicators}
    inputs = formula_inputs(taxonomy)
    months: dict[tuple[str | None, str], list[SegmentMonth]] = {}
    for entry in sorted(retros, key=lambda e: (str(getattr(e.record, "period", "")), e.id)):
        written_all = getattr(entry.record, "indicators", {})
        written: dict[str, list[str]] = {
            indicator: [str(segment) for segment in value]
            for indicator, value in written_all.items() if isinstance(value, dict)}
        mistyped = {indicator for indicator, segments in written.items()
                    if indicator in known and not known[indicator].issuperset(segments)}
        given = {indicator: list(segments) for indicator, segments in written.items()}
        for reading in entry.readings:
            if reading.segment is not None and reading.segment not in given.setdefault(
                    reading.indicator, []):
                given[reading.indicator].append(reading.segment)
        empty = nothing_to_measure(written_all, inputs)
        for indicator, none in empty.items():
            given.setdefault(indicator, []).extend(sorted(none - set(given[indicator])))
        for indicator, segments in given.items():
            if indicator in mistyped or indicator not in ids:
                continue  # a segment or an indicator the taxonomy does not know: its error
            none = empty.get(indicator, frozenset())
            months.setdefault((entry.team, indicator), []).append(
                (entry, indicator in written, segments,
                 (frozenset(segments) - none, none)))
    return months


def compared_months(months: list[SegmentMonth], pooled: bool) -> list[frozenset[str]]:
    """The segments each of a team's months of one indicator (`segment_months`) is compared
    as combining (`generator.records.segments.compared_segments`). ``pooled``: its overall is
    a total or pooled counts (`generator.records.segments.additive`); a mean or median of
    segments is another figure without one with nothing to measure, and is compared as the
    segments with a value say."""
    return compared_segments([(valued, none if pooled else frozenset())
                              for _, _, _, (valued, none) in months])


def _check_left_out_segments(retros: list[Entry], taxonomy: Taxonomy,
                             problems: Problems) -> None:
    """A warning where a team's retro gives fewer segments of an indicator than its last
    retro that gave it: the month's overall then sums or pools something else, and is not
    compared with the months before (`generator.analysis.series.series_key`). A segment the
    team never reports is no warning: only one it stopped giving. A segment written with no
    value (nothing to measure that month) is given, not left out; what the next month is
    compared with is what the analysis compares it with
    (`generator.records.segments.compared_segments`): after a month that left that segment
    out, as if it were not written (June, which gave no enterprise, was warned that it left
    out "enterprise, which 2026-05-sales gave" where May wrote ``enterprise:`` and April had
    left it out). An indicator written with a segment the taxonomy does not know is that
    segment's error alone: it neither warns nor is what the next month is compared with (a
    typo for ``north`` left nothing out)."""
    units = {indicator.id: indicator.unit for indicator in taxonomy.indicators}
    pooled = additive(taxonomy)
    for (_, indicator), found in segment_months(retros, taxonomy).items():
        compared = compared_months(found, indicator in pooled)
        # Who last gave each segment a value: named for a segment left out (a month that
        # wrote it with none did not give it).
        gave: dict[str, Entry] = {}
        for index, (entry, writes, segments, (valued, _)) in enumerate(found):
            # Warned where the record writes the indicator: one computed from inputs that
            # left a segment out is the inputs' warning.
            before = found[index - 1] if index else None
            if before is not None and writes:
                missing = [s for s in before[2] if s in compared[index - 1]
                           and s not in segments]
                if missing:
                    by = and_list(sorted({gave.get(s, before[0]).id for s in missing}))
                    problems.warning(
                        *at(entry, ("indicators", indicator)),
                        f"{indicator} leaves out {and_list(missing)}, which {by} gave: this "
                        f"month's overall combines only {and_list(segments)}, so it is not "
                        "compared with earlier months",
                        _left_out_hint(units[indicator], missing))
            gave.update(dict.fromkeys(valued, entry))


COPIED_READINGS_AT_LEAST = 2
"""The fewest readings a retro must give for giving them unchanged from the team's previous
retro to be warned about: one figure unchanged from a month to the next is common (a count of
0, a steady ratio) and says nothing."""
DRAFT_INDICATORS = 2
"""The most indicators a retro draft offers example readings of
(`generator.commands.skeleton.examples`)."""

Stated = dict[str, dict[str | None, tuple[float, int | None, int | None]]]
"""A retro's stated readings, by indicator, then segment (None: the indicator given whole),
each as written: its value and, for a rate given as counts, its counts."""


def _stated(entry: Entry) -> Stated:
    """The readings ``entry`` states itself (none computed from a formula)."""
    given: Stated = {}
    for r in entry.readings:
        if not r.computed:
            given.setdefault(r.indicator, {})[r.segment] = (r.value, r.numerator, r.denominator)
    return given


def _as_drafted(given: Stated, earlier: Stated, still: set[str]) -> bool:
    """Whether a retro's readings (``given``) are what its draft offered, left as written: the
    readings of `DRAFT_INDICATORS` indicators at most, `COPIED_READINGS_AT_LEAST` at least,
    each indicator's, segment by segment, those of the team's previous retro that gave readings
    (``earlier``), which gave others besides that are still reported (``still``) and that this
    retro leaves out. Equal readings alone are no sign: records hold a team's readings flat
    month after month (Field Sales' six, January to March), and a team whose readings all
    stayed is no copy; a retro that gives only what its draft offered, every figure last
    month's, and none of the team's other indicators, is one left as drafted."""
    readings = sum(len(segments) for segments in given.values())
    return (readings >= COPIED_READINGS_AT_LEAST and len(given) <= DRAFT_INDICATORS
            and any(i not in given for i in earlier if i in still)
            and all(earlier.get(i) == segments for i, segments in given.items()))


def _check_copied_readings(retros: list[Entry], taxonomy: Taxonomy,
                           problems: Problems) -> None:
    """A warning at a retro's ``indicators:`` where its readings are its draft's examples
    left as written (`_as_drafted`): a retro draft offers, commented, the team's latest
    readings of the indicators it gave last, and uncommented and left unchanged it published
    last month's figures as this month's, silently. Only a warning, not refused by the
    pull-request check as a draft's prompt left in is: a prompt is the draft's own words,
    certain to be unwritten, whereas equal readings may be a true repeat, which its author
    could not then merge; the warning names the earlier retro to compare with."""
    by_team: dict[str, list[Entry]] = defaultdict(list)
    for entry in retros:
        if entry.team is not None:
            by_team[entry.team].append(entry)
    for entries in by_team.values():
        before: tuple[Entry, Stated] | None = None
        for entry in sorted(entries, key=lambda e: e.sort_key):
            given = _stated(entry)
            if not given:
                continue  # a sprint retro that gives none: the month's readings are another's
            record = entry.record
            if before is not None and isinstance(record, Retro) \
                    and isinstance(before[0].record, Retro) \
                    and before[0].record.period < record.period:
                earlier, gave = before
                still = {i.id for i in taxonomy.indicators
                         if not retired_after(i.retired, record.period)}
                if _as_drafted(given, gave, still):
                    readings = sum(len(segments) for segments in given.values())
                    step = "quarter" if entry.quarterly else "month"
                    problems.warning(
                        *at(entry, ("indicators",)),
                        f"gives only {and_list(list(given))}, each reading ({readings}) the "
                        f"same as {earlier.path}'s, {earlier.period_name}: its draft's examples "
                        f"left as written, last {step}'s figures would be published as this "
                        f"{step}'s",
                        f"write this {step}'s readings in their place, and those of the "
                        f"team's other indicators ({and_list(sorted(set(gave) - set(given)))}); "
                        "leave this as it is if none of them changed",
                        about=(earlier.path,))
            before = (entry, given)


def _left_out_hint(unit: Unit, missing: list[str]) -> str:
    """What to do about a segment left out: a count has a reading of 0 when there was none;
    a rate, money or days have no reading at all then, which the record says by writing the
    segment with no value (a 0 would be averaged in as a reading of 0). Left out, a month
    with nothing to measure was warned with a hint to leave it so, and failed --strict."""
    if unit is Unit.COUNT:
        return ("give every segment (0 if there was none), or leave this as it is if the "
                "segment is gone for good")
    return (f"give every segment; one with nothing to measure this month (no deals, none "
            f"live) is written with no value, as '{missing[0]}:', not 0, which would count as "
            "a reading of 0; leave this as it is if the segment is gone for good")


def _page_anchors(page: Entry | Stub, kb: KnowledgeBase, pages: dict[str, Entry],
                  related_to: set[str]) -> set[str] | None:
    """The anchors of a record's page (`record.md.j2`): its sections' and its body's headings'.

    A section with an anchor of its own is there when the record has what it shows (related
    records: when it names one, or one names it, under ``related:``). List sections and cause
    headings get the slugs the site's Markdown gives their titles. A record that failed the
    schema (a stub) is read from its front matter as written, so a link to its page is checked
    in the same run as its error; None when its title, the page's first heading, is unknown.
    """
    if isinstance(page, Entry):
        record = page.record
        kind, title, causes = page.type, page.title, [c.cause for c in record.causes]
        filled = {name for name in _SECTION_FIELDS if getattr(record, name, None)}
        related = record.related
        if page.readings:
            filled.add("indicators")
    else:
        if page.kind is None or page.title is None:
            return None
        kind, title, causes = page.kind, page.title, list(page.causes)
        filled = set(page.filled)
        related = [record_id for _, record_id in page.related]
    present = {anchor: anchor.replace("-", "_") in filled for anchor in RECORD_PAGE_ANCHORS}
    present["scorecard"] = kind == "review"
    present["related"] = page.id in related_to or any(r in pages for r in related)
    headings = [title]
    headings += [heading for name, heading in RECORD_SECTIONS[kind] if name in filled]
    # A cause the taxonomy lacks is an error of its own; its heading is not counted on.
    known = kb.taxonomy.cause_ids()
    headings += [kb.taxonomy.cause(known[cause]).title for cause in causes if cause in known]
    made = renderer_for(kb.root).html("\n\n".join(f"## {md(h)}" for h in headings))
    found = {anchor for anchor in RECORD_PAGE_ANCHORS if present[anchor]}
    found |= set(_ID.findall(made)) | set(_ID.findall(page.source.html))
    return found


# A record's fields its page shows a section for (`RECORD_PAGE_ANCHORS`, `RECORD_SECTIONS`),
# but its indicators: those are its readings, once read.
_SECTION_FIELDS = ({anchor.replace("-", "_") for anchor in RECORD_PAGE_ANCHORS}
                   | {name for sections in RECORD_SECTIONS.values() for name, _ in sections}) \
    - {"indicators", "scorecard", "related"}


_ID = re.compile(r'\bid="([^"]+)"')


def _links_of(holder: Entry | Stub) -> BodyLinks:
    """The body's links the rules check: found when the record was validated (and cached
    with it), or now for one that was not (a record that failed the schema)."""
    found = holder.source.links
    return found if found is not None else body_links(holder.source.html)


@dataclass
class _Linked:
    """What a body's links are checked against: the records (a record that failed the schema
    too, its page read from its front matter as written: its error does not hide a link to a
    heading it lacks), and each page's anchors once worked out."""

    kb: KnowledgeBase
    pages: dict[str, Entry]
    """The records that passed, by id."""
    stubs: dict[str, Stub]
    """The records that failed the schema, by id."""
    related_to: set[str]
    """The ids some record names under ``related:``."""
    known_ids: set[str]
    """Every record id, a record's that could not be read too."""
    anchors: dict[str, set[str] | None] = field(default_factory=dict)
    """`_page_anchors` by path (two records with one id are two pages)."""

    def page(self, record_id: str) -> Entry | Stub | None:
        """The record whose page a link to ``record_id`` reaches, if one was read."""
        return self.pages.get(record_id) or self.stubs.get(record_id)

    def anchors_of(self, page: Entry | Stub) -> set[str] | None:
        """`_page_anchors` of ``page``, worked out once."""
        if page.path not in self.anchors:
            self.anchors[page.path] = _page_anchors(page, self.kb, self.pages, self.related_to)
        return self.anchors[page.path]


def _check_body_links(holder: Entry | Stub, linked: _Linked, problems: Problems) -> None:
    """The body's links: to records that exist, to sections their pages have (a strict
    engine stops on a missing one), and to nothing the site does not serve. A record that
    failed the schema is checked too, on what its body publishes (set when it was checked)."""
    links = _links_of(holder)
    _check_record_links(holder, links.records, linked.known_ids, problems)
    for target, anchor in links.anchors:
        page = linked.page(target)
        found = None if page is None else linked.anchors_of(page)
        if found is None or anchor in found:
            continue
        for line, col in _link_positions(holder, _leads_to(target, anchor), f"{target}.md"):
            problems.error(holder.path, line, col, "body",
                           f"links to {target}.md#{anchor}, but its page has no "
                           f"section {anchor!r}", did_you_mean(anchor, found), reference=True)
    if links.others or links.images:
        _check_other_links(holder, links, linked, problems)


def _check_replaced_lessons(entry: Entry, entries: dict[str, Entry], known_ids: set[str],
                            problems: Problems) -> None:
    """Each ``replaces:`` of a lesson names an earlier record and, among its lessons, one."""
    for i, lesson in enumerate(entry.record.lessons):
        if lesson.replaces is None:
            continue
        target_id = lesson.replaces.record
        # `replaces: <id>` is read as `{record: <id>}`: the error goes at what was written.
        place: tuple[str | int, ...] = ("lessons", i, "replaces")
        if (*place, "record") in entry.source.doc.positions:
            place = (*place, "record")
        target = entries.get(target_id)
        if target_id == entry.id:
            problems.error(*at(entry, place), "a lesson cannot replace a lesson of its own record",
                           "edit or delete that lesson instead")
        elif target is None and target_id not in known_ids:
            problems.error(*at(entry, place), f"no record {target_id!r} exists",
                           did_you_mean_record(target_id, known_ids), reference=True)
        elif target is None:
            continue  # a record that could not be read: its lessons are not known
        elif target.date > entry.date:
            problems.error(*at(entry, place),
                           f"{target_id} was held {target.date}, after this record "
                           f"({entry.date}): a lesson replaces an earlier one",
                           "put `replaces:` on the later record's lesson, naming this record")
        else:
            found = replaced_index(lesson, target.record)
            if isinstance(found, str) and not target.record.lessons:
                # No lesson to number or choose: the record named is the mistake.
                problems.error(*at(entry, place), found,
                               "name the record whose lesson this one replaces, or delete "
                               "`replaces:` if this lesson replaces none", reference=True)
            elif isinstance(found, str):
                number = lesson.replaces.lesson is not None
                problems.error(*at(entry, ("lessons", i, "replaces", "lesson") if number
                                   else place), found,
                               "count its lessons from 1" if number
                               else lesson_choices(target_id, target.record), reference=True)


def _check_links_held_later(kb: KnowledgeBase, linked: _Linked, problems: Problems) -> None:
    """A warning at each link and ``related:`` entry of a record the site shows to a record
    held after the build date, which it leaves out (`KnowledgeBase.as_it_stood`): the page
    shows the link as its text only, and the related record not at all, until the site is
    built on or after the day it was held (or its year, typed wrong, is corrected). The record
    itself is warned about at its ``held:``; this says where the site reads differently."""
    later = {entry.id: entry.date for entry in kb.held_later()}
    if not later:
        return
    for entry in kb.entries:
        if entry.date > kb.as_of:
            continue  # left out itself: none of its links is published
        for target in _links_of(entry).records:
            held = later.get(target)
            if held is None or linked.pages.get(target) is None:
                continue
            for line, col in _link_positions(entry, _leads_to(target), f"{target}.md"):
                problems.warning(entry.path, line, col, "body",
                                 f"links to {target}.md, held {held}, after the build date "
                                 f"({kb.as_of}): the page shows the link as its text only "
                                 f"until the site is built on or after {held}",
                                 "check the year of its held date, or link it once it has "
                                 "been held")
        for i, related in enumerate(entry.record.related):
            held = later.get(related)
            if held is not None:
                problems.warning(*at(entry, ("related", i)),
                                 f"{related} is held {held}, after the build date "
                                 f"({kb.as_of}): the page lists it among related records only "
                                 f"once the site is built on or after {held}",
                                 "check the year of its held date, or name it once it has "
                                 "been held")


def _check_other_links(holder: Entry | Stub, links: BodyLinks, linked: _Linked,
                       problems: Problems) -> None:
    """The body's links that are not to another record (`BodyLinks.others`): a link to a
    section of this page must name one it has, and a relative link must be a record's
    (`generator.paths.RECORD_LINK`): engines do not rewrite links in a body's HTML, so
    ``../docs/x.md`` or ``2026-05-SALES.md`` would be dead on the site (and a strict Zensical
    build stops on them). And an image must be published with the site
    (`BodyLinks.images`)."""
    for href in links.others:
        value = html.unescape(href)
        if value.startswith("#"):
            # Not a section of the body itself (`body_links` left those out): one of the page's.
            anchor = unquote(value[1:])
            found = linked.anchors_of(holder)
            if anchor and found is not None and anchor not in found:
                for line, col in _link_positions(holder, value.__eq__, value):
                    problems.error(holder.path, line, col, "body",
                                   f"links to {value}, but this page has no section {anchor!r}",
                                   did_you_mean(anchor, found))
            continue
        stem = posixpath.basename(value.split("#", 1)[0]).removesuffix(".md")
        hint = (f"did you mean {stem.lower()}.md? record ids are lowercase"
                if stem.lower() in linked.known_ids and stem != stem.lower() else
                "link another record by its file name, e.g. 2026-05-sales.md or "
                "../postmortems/2026-06-the-compass-launch.md; anything else by its full "
                "https:// address")
        for line, col in _link_positions(holder, value.__eq__, value):
            problems.error(holder.path, line, col, "body",
                           f"links to {value}, which is not a page of the site", hint,
                           reference=True)
    for src in links.images:
        value = html.unescape(src)
        for line, col in _link_positions(holder, value.__eq__, value):
            problems.error(holder.path, line, col, "body",
                           f"shows the image {value}, which is not published with the site",
                           "the site publishes a record's text, not the files beside it; "
                           "give the image by its full https:// address")


def _check_duplicate_action(action_id: str, places: list[tuple[Entry | Stub, int]],
                            taken: set[str], problems: Problems) -> None:
    """An action id raised more than once: an error at each raise after the first, by held
    date, which keeps the id (as the site's register does), its hint a free id by the custom
    (``SAL-2026-11-1``). Where a raising record's date cannot be read, which came first is
    unknown and every raise is in error."""
    dates = [_held_of(holder) for holder, _ in places]
    first: tuple[Entry | Stub, int] | None = None
    later = places
    if all(day is not None for day in dates):
        order = sorted(range(len(places)),
                       key=lambda k: (str(dates[k]), places[k][0].id, places[k][1]))
        first, later = places[order[0]], [places[k] for k in order[1:]]
    for holder, i in later:
        if first is None:
            others = ", ".join(f"{o.path}:{_action_line(o, j)}"
                               for o, j in places if (o, j) != (holder, i))
            message = f"action id {action_id!r} is also used at {others}"
        else:
            message = (f"action id {action_id!r} is already raised at "
                       f"{first[0].path}:{_action_line(*first)} (held "
                       f"{_held_of(first[0])}), which keeps it")
        free = _free_action_id(action_id, holder, taken)
        taken.add(free.casefold())
        problems.error(*at(holder, ("actions", i, "id")), message,
                       f"give this action an id of its own, e.g. {free}; action ids must be "
                       "unique across the knowledge base")


def _action_line(holder: Entry | Stub, index: int) -> int:
    return holder.source.doc.position(("actions", index, "id"))[0]


def _held_of(holder: Entry | Stub) -> dt.date | None:
    """The date a record was held (a record that failed the schema: where it reads as one)."""
    return holder.date if isinstance(holder, Entry) else holder.held


_CUSTOM_ID = re.compile(r"(?P<prefix>.+?)-(?P<period>\d{4}-(?:\d{2}|[Qq][1-4]))-(?P<n>\d+)")
"""An action id by the custom: the team, the period raised and a number (``SAL-2026-11-1``)."""


def _free_action_id(action_id: str, holder: Entry | Stub, taken: set[str]) -> str:
    """An id no action has, for a duplicate of ``action_id`` raised in ``holder``: by the
    custom, the same prefix with the record's own period and the first free number
    (``SAL-2026-10-1`` copied into November's retro: ``SAL-2026-11-1``); else the id with the
    first free number after it."""
    custom = _CUSTOM_ID.fullmatch(action_id)
    if custom is not None:
        period = custom["period"]
        record = holder.record if isinstance(holder, Entry) else None
        if isinstance(record, Retro | Review):
            period = record.period
        elif isinstance(holder, Stub) and holder.period is not None:
            period = holder.period
        stem = f"{custom['prefix']}-{period}-"
    else:
        numbered = re.fullmatch(r"(?P<stem>.*?-)\d+", action_id)
        stem = numbered["stem"] if numbered else f"{action_id}-"
    n = 1
    while f"{stem}{n}".casefold() in taken:
        n += 1
    return f"{stem}{n}"


def _check_owner_spellings(entries: list[Entry], problems: Problems) -> None:
    """Owners the site counts as one person (one page, one row) but written differently:
    "Ravi Patel" and "ravi patel". The exports keep each spelling, so a tool that groups by
    owner would count two people; each less usual spelling is a warning naming the usual one."""
    spellings = owner_spellings(entries)
    usual = {slug: name for slug, name in usual_owner_names(entries, spellings).items()
             if len(spellings[slug]) > 1}
    if not usual:
        return
    for entry in entries:
        for place, owner in written_owners(entry):
            name = usual.get(owner_slug(owner))
            if name is not None and owner != name:
                times = spellings[owner_slug(owner)][name]
                problems.warning(*at(entry, place),
                                 f"{owner!r} is the same owner as {name!r} (so written "
                                 f"{_times(times)}); the site shows them as one person, the "
                                 "exports as two", f"write it {name!r}")


def _check_owner_forms(entries: list[Entry], problems: Problems) -> None:
    """Owners written "Last, First" or with an initial ("Lindqvist, Sofia", "P. Raman") whom
    another action names in full ("Sofia Lindqvist", "Priya Raman"): the site cannot tell they
    are one person, and shows two owners. Each such spelling is a warning naming the full one.
    Only a name written in full elsewhere is named: an initial alone says nobody's name."""
    spellings = owner_spellings(entries)
    full = {slug: (name, owner_words(name))
            for slug, name in usual_owner_names(entries, spellings).items()}
    full = {slug: (name, words) for slug, (name, words) in full.items()
            if "," not in name and not any(map(_initial, words))}
    looks_like: dict[str, list[str]] = {}
    for slug, counts in spellings.items():
        for written in counts:
            if written in looks_like or ("," not in written
                                         and not any(map(_initial, owner_words(written)))):
                continue
            words = first_name_first(written)
            looks_like[written] = [name for other, (name, whole) in full.items()
                                   if other != slug and _same_person(words, whole)]
    for entry in entries:
        for place, owner in written_owners(entry):
            names = looks_like.get(owner)
            if names:
                problems.warning(*at(entry, place),
                                 f"{owner!r} looks like "
                                 f"{and_list([repr(n) for n in names], 'or')}",
                                 "write it the same way, or the site shows two owners")


def _check_owner_umlauts(entries: list[Entry], problems: Problems) -> None:
    """Owners written with ä, ö or ü by some actions and with ae, oe or ue by others
    ("Jürgen Müller", "Juergen Mueller"): the site shows two owners, since "Mueller" and
    "Muller" are two names of their own and only the umlaut says they are one here. The
    spelling fewer actions use (on a tie, the spelled-out one) is a warning naming the other.
    Without an umlaut form anywhere, "Mueller" and "Muller" are two people and nothing is
    said."""
    spellings = owner_spellings(entries)
    usual = usual_owner_names(entries, spellings)
    spelled_out: dict[str, str] = {}  # the slug of an owner with umlauts, spelled out -> theirs
    for slug, counts in spellings.items():
        for written in counts:
            out = umlauts_spelled_out(written)
            if out is not None and owner_slug(out) != slug:
                spelled_out.setdefault(owner_slug(out), slug)
    other_of: dict[str, str] = {}  # slug -> the owner's other slug, for the less used one
    for ascii_slug, umlaut_slug in spelled_out.items():
        if ascii_slug in spellings:
            ascii_total = sum(spellings[ascii_slug].values())
            umlaut_total = sum(spellings[umlaut_slug].values())
            if ascii_total <= umlaut_total:
                other_of[ascii_slug] = umlaut_slug
            else:
                other_of[umlaut_slug] = ascii_slug
    for entry in entries:
        for place, owner in written_owners(entry):
            other = other_of.get(owner_slug(owner))
            if other is not None:
                name, times = usual[other], sum(spellings[other].values())
                problems.warning(*at(entry, place),
                                 f"{owner!r} looks like {name!r} (so written {_times(times)}), "
                                 "ae, oe and ue being ä, ö and ü", "write it the same way, or "
                                 "the site shows two owners")


def _times(count: int) -> str:
    """"once", "twice", "3 times": how often an owner is written so."""
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def _initial(word: str) -> bool:
    """A word that is one Latin letter ("P" of "P. Raman"), not a one-letter name of a script
    that has them (김, 李)."""
    return len(word) == 1 and unicodedata.name(word, "").startswith("LATIN ")


def _same_person(words: list[str], whole: list[str]) -> bool:
    """Whether ``words`` are ``whole``'s words in order, each itself or its initial."""
    return len(words) == len(whole) and all(
        w == v or (_initial(w) and v.startswith(w)) for w, v in zip(words, whole, strict=True))


def _check_competitor_spellings(entries: list[Entry], problems: Problems) -> None:
    """Competitors the win/loss page counts as one company but written differently ("Tallyo"
    and "Tallyo Inc."): each less usual spelling is a warning naming the usual one."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    # Only a post-mortem has a deal (asking a retro's model for one raises, slowly).
    deals = [(entry, deal.competitor) for entry in entries if isinstance(entry.record, Postmortem)
             and (deal := entry.record.deal) is not None and deal.competitor]
    companies = company_keys(competitor for _, competitor in deals)
    for _, competitor in deals:
        spellings[companies[competitor]][competitor] += 1
    for entry, competitor in deals:
        counts = spellings[companies[competitor]]
        usual = counts.most_common(1)[0][0]  # most_common keeps first-seen order among ties
        if competitor != usual:
            times = counts[usual]
            problems.warning(*at(entry, ("deal", "competitor")),
                             f"{competitor!r} is the same competitor as {usual!r} (so "
                             f"written in {times} deal{'s' * (times != 1)}); the win/loss page "
                             "counts them as one, the exports keep each spelling",
                             f"write it {usual!r}")


def _link_positions(holder: Entry | Stub, leads_there: Callable[[str], bool],
                    written: str) -> list[tuple[int, int]]:
    """Line and column of each link of the body whose target (as published) ``leads_there``:
    each link is its own error, at its own place. A link written in a form `link_places`
    does not read (its target on the next line) is found as the text ``written``, the first
    place it stands whole, else on the body's first line."""
    source = holder.source
    places = [(source.body_line + place.line, place.col)
              for place in link_places(source.body, source.path) if leads_there(place.target)]
    if places:
        return places
    # Whole: not part of a longer name (``2025-01-sales`` in ``2025-01-sales.md``).
    whole = re.compile(r"(?<![\w.-])" + re.escape(written) + r"(?![\w-]|\.\w)")
    for index, line in enumerate(source.body.split("\n")):
        match = whole.search(line)
        if match:
            return [(source.body_line + index, match.start() + 1)]
    return [(source.body_line, 1)]


def _leads_to(target: str, anchor: str | None = None) -> Callable[[str], bool]:
    """Whether a link's published target is the record ``target`` (at its section ``anchor``,
    when given; at any or none otherwise)."""
    def leads_there(written: str) -> bool:
        match = RECORD_LINK.fullmatch(f'href="{html.escape(written, quote=False)}"')
        if match is None or match.group(1) != target:
            return False
        return anchor is None or unquote((match.group(2) or "#")[1:]) == anchor
    return leads_there


def _check_record_links(holder: Entry | Stub, targets: Iterable[str], known_ids: set[str],
                        problems: Problems) -> None:
    """The body's links to other records are published as HTML, where the site engine no
    longer checks them: a missing target would be a dead link nobody is told about."""
    for target in targets:
        if target not in known_ids:
            for line, col in _link_positions(holder, _leads_to(target), f"{target}.md"):
                problems.error(holder.path, line, col, "body",
                               f"links to {target}.md, but no record {target!r} exists",
                               did_you_mean_record(target, known_ids), reference=True)


def _check_stub_references(
    stub: Stub, known_ids: set[str],
    action_places: dict[str, list[tuple[Entry | Stub, int]]], problems: Problems,
    unread: bool = False,
) -> None:
    """The reference checks of a record that failed the schema, on the ids it does give
    (``unread``: some record could not be read, and may raise any action)."""
    for i, related in stub.related:
        if related == stub.id:
            problems.error(*at(stub, ("related", i)), "a record cannot relate to itself",
                           "remove it")
        elif related not in known_ids:
            problems.error(*at(stub, ("related", i)), f"no record {related!r} exists",
                           did_you_mean_record(related, known_ids))
    for i, action_id in stub.updates:
        if action_id not in action_places and not unread:
            problems.error(*at(stub, ("action_updates", i, "id")),
                           f"no action {action_id!r} exists",
                           did_you_mean(action_id, set(action_places)))


def _check_cadence(kb: KnowledgeBase, stubs: list[Stub], problems: Problems,
                   months_known: bool = True) -> None:
    """One retro per team and month; a warning for each month missing between a monthly
    team's retros, and where a monthly team stopped while others went on reporting. A retro
    that failed the schema still holds its month (its error is what to fix), and any retro
    file holds the month and team its name says (one whose period was copied and left as it
    was exists: its period is what to correct); while a record cannot be read at all
    (``months_known`` false), any month may be its, and none is said to be missing.

    Months are missing as of the build date: between retros held by then, and where a team
    stopped while others went on reporting by then. A retro held later (warned at its held
    date) still holds its month, but no gap or stop is judged against it: as of 2027-03-15 a
    retro held in March 2028 did not say that December 2027 went without one."""
    by_team: dict[str, dict[str, list[Entry]]] = defaultdict(lambda: defaultdict(list))
    # The retros held by the build date, by team and month: those gaps are judged between.
    stood: dict[str, dict[str, list[Entry]]] = defaultdict(lambda: defaultdict(list))
    for entry in kb.retros:
        assert isinstance(entry.record, Retro)
        by_team[entry.record.team][entry.record.period].append(entry)
        if entry.date <= kb.as_of:
            stood[entry.record.team][entry.record.period].append(entry)
    held: dict[str, set[str]] = defaultdict(set)
    team_ids = kb.taxonomy.team_ids()
    for stub in stubs:
        if stub.team is not None and stub.period is not None:
            held[team_ids.get(stub.team, stub.team)].add(stub.period)
    # A retro file is that month's, whatever it says inside: a period copied from last month's
    # and left as it was, a team written as its name ("Growth Marketing", which the schema
    # refuses) or a period in words are its errors, not a month missing.
    holders: list[Entry | Stub] = [*kb.retros, *(s for s in stubs if s.kind == "retro")]
    for holder in holders:
        in_name = retro_in_name(holder.id)
        named = team_in_name(holder.id, holder.team, team_ids)
        if in_name is not None and named is not None and named.exact:
            held[named.team].add(in_name[0])
    monthly_teams = {t.id for t in kb.taxonomy.teams if t.holds_monthly}
    quarterly_teams = kb.taxonomy.quarterly_teams()
    sprint_teams = {t.id for t in kb.taxonomy.teams if t.biweekly}
    # The latest month any monthly team reported: the knowledge base's own "now" (not the
    # build date, which may be long after an archive's last month).
    latest = max((max(periods) for team_id, periods in stood.items()
                  if team_id in monthly_teams), default=None)
    for team_id, every in sorted(by_team.items()):
        for period, same in sorted(every.items()):
            if team_id in sprint_teams:
                _check_one_reading_per_month(same, team_id, period, problems)
            else:
                _check_one_per_period(same, "retro", team_id, period, problems, team_ids)
            if len(same) == 1:
                _check_named_team_has_one(same[0], by_team, team_ids, problems)
        periods = stood.get(team_id)
        if team_id in quarterly_teams and months_known and periods:
            # Only its quarters are checked, not the monthly retros before its
            # quarterly_from; its last monthly retro is where the quarters begin (the first
            # quarter's retro is missing after it as after a quarter's).
            first = kb.taxonomy.team(team_id).first_quarterly_month or ""
            quarters = {month: same for month, same in periods.items() if month >= first}
            monthly = [month for month in periods if month < first]
            if monthly:
                quarters[max(monthly)] = periods[max(monthly)]
            if quarters:
                _check_quarters(kb, team_id, quarters,
                                {month for month in held[team_id] if month >= first}, problems)
        if team_id not in monthly_teams or not months_known or not periods:
            continue
        months = sorted(periods)
        # (A month held after the last period is a record's whose period is wrong or could not
        # be read: where the team stopped is not known until it is fixed; or a retro held
        # after the build date: the team did not stop, and the record is warned about.)
        # A retired team's retros end with its last month: none is missing after it.
        retired = kb.taxonomy.team(team_id).retired
        until = latest if retired is None or latest is None else min(latest, retired)
        if not held[team_id] or max(held[team_id]) <= months[-1]:
            _check_stopped(team_id, periods[months[-1]][0], months[-1], until, problems)
        month = months[0]
        previous = month
        while month < months[-1]:
            month = next_month(month)
            if month in periods or month in held[team_id] or retired_after(retired, month):
                previous = month
                continue
            following = next(m for m in months if m > month)
            entry = periods[following][0]
            problems.warning(*at(entry, ("period",)),
                             f"{team_id} has no retro for {month} (between {previous} and "
                             f"{following})", "hold the retro every month, or add the missing "
                             "record")


def _check_quarters(kb: KnowledgeBase, team_id: str, periods: dict[str, list[Entry]],
                    named: set[str], problems: Problems) -> None:
    """A warning for each quarter a team that meets quarterly has no retro of: one between
    its retros, at the next retro's period, and one ended after its last retro whose retro is
    overdue by the build date (held more than `HELD_AFTER_PERIOD_DAYS` after the quarter, it
    would be warned as late), at the last retro's period; none after the team's ``retired:``.
    ``periods`` are the team's retros held by the build date, by month; ``named`` the months
    other retro files hold (by their name, or a record that failed the schema): any month of a
    quarter holds it, a retro dated another month than its quarter's last being its error."""
    retired = kb.taxonomy.team(team_id).retired
    holding = {quarter_end(month) for month in (*periods, *named)}
    # Each quarter's retro (of two, the first; a misdated one holds its quarter all the same).
    retros = {quarter_end(month): same[0] for month, same in sorted(periods.items(), reverse=True)}
    ends = sorted(retros)
    last = ends[-1]
    previous = end = ends[0]
    while True:
        end = quarter_end(next_month(end))
        overdue = period_last_day(end) + dt.timedelta(days=HELD_AFTER_PERIOD_DAYS) < kb.as_of
        if retired_after(retired, end) or (end > last and not overdue):
            return
        if end in holding:
            previous = end
            continue
        quarter, file = quarter_of_month(end), f"retros/{end}-{team_id}.md"
        if end < last:
            following = next(m for m in ends if m > end)
            problems.warning(*at(retros[following], ("period",)),
                             f"{team_id} has no retro for {quarter} (between "
                             f"{quarter_of_month(previous)} and {quarter_of_month(following)})",
                             f"hold the retro every quarter, or add the missing record {file}")
        else:
            problems.warning(*at(retros[last], ("period",)),
                             f"{team_id} has no retro for {quarter} (after this one, of "
                             f"{quarter_of_month(last)}; the quarter ended "
                             f"{period_last_day(end)})",
                             f"add the missing record {file}, or set retired: {last} for the "
                             f"team in {TAXONOMY_FILE} if it was dissolved")


def _check_reviews(kb: KnowledgeBase, problems: Problems) -> None:
    """One review per quarter for the company, and one per quarter for each team that holds
    its own (the reviews list would show the quarter twice, and the next one not at all)."""
    by_scope: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for entry in kb.reviews:
        assert isinstance(entry.record, Review)
        by_scope[(entry.record.team or "", entry.record.period)].append(entry)
    for (team_id, period), same in sorted(by_scope.items()):
        _check_one_per_period(same, "review", team_id or "the company", period, problems)


def _team_in_name(entry: Entry, teams: dict[str, str]) -> tuple[str, str, str] | None:
    """The team a retro's record gives, the other team its file name says, and that team's
    id, when the two differ (``teams``: every id and alias → its team's id)."""
    written = entry.team
    named = team_in_name(entry.id, written, teams) if written is not None else None
    if named is None or written not in teams:
        return None
    return (written, named.said, named.team) if named.team != teams[written] else None


def _check_named_team_has_one(entry: Entry, by_team: dict[str, dict[str, list[Entry]]],
                              teams: dict[str, str], problems: Problems) -> None:
    """A retro named for another team than its own, where that team already has its retro
    of the month (``2026-05-sales-notes.md`` for marketing beside ``2026-05-sales.md``):
    correcting the team would give that team two, so the file's name is what to correct."""
    found = _team_in_name(entry, teams)
    if found is None:
        return
    written, named, canonical = found
    assert isinstance(entry.record, Retro)
    period = entry.record.period
    theirs = by_team.get(canonical, {}).get(period)
    if not theirs:
        return
    problems.withdraw(team_name_warning(entry, written, named, canonical, period))
    problems.warning(*at(entry, ("team",)),
                     f"is {written}, but the file name says {named}, and {canonical} already "
                     f"has a retro for {period}: {', '.join(o.path for o in theirs)}",
                     f"rename the file {period}-{written}.md")


def _check_one_per_period(same: list[Entry], noun: str, scope: str, period: str,
                          problems: Problems, teams: dict[str, str] | None = None) -> None:
    """An error at each of two or more retros (or reviews) of one scope and period: to merge
    them, unless a file's name says another period. Then that file is last period's copied
    and left as it was, and its period is what to correct (the error replaces the warning
    that it disagrees with its file name, whose other fix, renaming the file after its period,
    would take the name the other record has); a file whose name agrees is not blamed. So
    with a retro whose file name says another team of ``teams`` (every id and alias → its
    team's id): its team is what to correct."""
    if len(same) < 2:
        return
    named = {entry.id: period_in_name(entry.id, entry.record) for entry in same}
    misnamed = {record_id for record_id, said in named.items()
                if said is not None and said != period}
    # Another team's retro copied and its team left as it was: the file named for that team is
    # the one to correct, as a file named for another period is.
    other_team = {entry.id: found for entry in same
                  if noun == "retro" and entry.id not in misnamed
                  and (found := _team_in_name(entry, teams or {})) is not None}
    for entry in same:
        others = ", ".join(o.path for o in same if o is not entry)
        said = named[entry.id]
        if said is not None and entry.id in misnamed:
            problems.withdraw(period_name_warning(entry, said, period))
            problems.error(*at(entry, ("period",)),
                           f"is {period}, but the file name says {said}, and {scope} already "
                           f"has a {noun} for {period}: {others}", f"correct period: to {said}")
        elif entry.id in other_team:
            written, named_team, canonical = other_team[entry.id]
            problems.withdraw(team_name_warning(entry, written, named_team, canonical, period))
            problems.error(*at(entry, ("team",)),
                           f"is {written}, but the file name says {named_team}, and {scope} "
                           f"already has a {noun} for {period}: {others}",
                           f"correct team: to {canonical}")
        elif not misnamed and not other_team:
            # A team that meets more often than monthly, or looks back on each campaign, hit
            # this with no word of the cadence or the record that fits it.
            hint = ("one retro per team and month; merge them, or, if "
                    f"{scope} holds more than one retro a month, say retros: biweekly for it "
                    f"in {TAXONOMY_FILE}; a look-back at one campaign or event is a "
                    "post-mortem (hindsight new postmortem)") if noun == "retro" else \
                "one review per quarter, for the company and each team; merge them"
            problems.error(*at(entry, ("period",)),
                           f"{scope} already has a {noun} for {period}: {others}", hint)


def _check_one_reading_per_month(same: list[Entry], team_id: str, period: str,
                                 problems: Problems) -> None:
    """An error at each retro of a team that meets every sprint (``retros: biweekly``) giving
    readings for a month an earlier retro of it gave readings for: its retros of a month are
    many, its readings one month's (compared month by month, as every team's are), so a
    sprint's figures are never compared with the next sprint's as if they were months."""
    given = sorted((entry for entry in same
                    if isinstance(entry.record, Retro) and entry.record.indicators),
                   key=lambda entry: (entry.date, entry.path))
    if not given:
        last = max(same, key=lambda entry: (entry.date, entry.path))
        problems.warning(*at(last, ("period",)), "records no leading-indicator readings",
                         f"add the month's readings under indicators: in one of {team_id}'s "
                         f"retros of {period} so trends can be drawn")
    for entry in given[1:]:
        problems.error(*at(entry, ("indicators",)),
                       f"{team_id} already gives its readings of {period} in {given[0].path}",
                       f"a team that meets every sprint (retros: biweekly) gives a month's "
                       f"readings once, its figures for the whole month: keep them in one of "
                       f"its retros of {period}, and delete indicators: here")


STOPPED_AFTER = 2
"""Months a monthly team may go without a retro that other teams wrote before a warning: one
month behind is a retro not written yet (teams hold them on different days)."""


def _check_stopped(team_id: str, last: Entry, month: str, latest: str | None,
                   problems: Problems) -> None:
    """A warning at a monthly team's last retro when other teams reported `STOPPED_AFTER` or
    more months after it: its trends end there, and the home page no longer lists it."""
    last_month = month
    missing = []
    while latest is not None and month < latest:
        month = next_month(month)
        missing.append(month)
    if len(missing) >= STOPPED_AFTER:
        problems.warning(*at(last, ("period",)),
                         f"{team_id} has no retro after this one: {len(missing)} months "
                         f"({missing[0]} to {missing[-1]}) that other teams reported",
                         "add the missing retros, or set monthly_retros: false for the team "
                         "in taxonomy.yml if it no longer holds them, or retired: "
                         f"{last_month} if it was dissolved")
