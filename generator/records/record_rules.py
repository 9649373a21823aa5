"""The rules one record must meet on its own, beyond its schema: its vocabulary is the
taxonomy's, its dates and actions make sense, and its readings are numbers of the right kind
(their derived values computed and checked)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, NamedTuple

from pydantic import ValidationError

from ..errors import Problem, Problems, Severity
from ..messages import and_list
from . import schema_errors
from .corpus import Entry, Reading
from .derived import derive
from .formatting import quarter_name, told_apart
from .formula import names as formula_names
from .load import TAXONOMY_FILE
from .owners import handle_as_owner, record_people, several_owners, written_owners
from .placeholders import READING_PROMPT, placeholders_left, reading_prompt_left
from .plaintext import markup_in, mixed_script, plain_text_fields
from .schema import BUILTIN_UNITS, Direction, Measure, Postmortem, PostmortemKind, Retro, Review, Status
from .spelling import near_spelling
from .stub import Reported, Stub, unknown_deal_value, unreported_items
from .taxonomy import (
    DEAL_DIMENSION_SETTINGS,
    RATIO_PERCENT,
    Indicator,
    Taxonomy,
    Unit,
    quarter_end,
    retired_after,
    retired_said,
)
from .types import (
    COUNTS,
    TOO_LARGE,
    TOO_LARGE_HINT,
    disguised_number_hint,
    month_of,
    months_of_quarter,
    next_month,
    out_of_range,
    percent_hint,
    percent_of_ratio,
    period_last_day,
    quarter_of_month,
    rate_hint,
    shown,
)
from .units import figure_as_written, unit_slip
from .yamlpos import curly_unwrapped, quoted_number, quoted_number_hint, yaml_quoted

# Counts longer than `COUNTS` takes: too large to be counts.
_LONG_FRACTION = re.compile(r"\s*[0-9]+\s*/\s*[0-9]+\s*")



HELD_AFTER_PERIOD_DAYS = 62
"""A retro or review held more than this many days after its period ended is a warning: it
is probably dated or filed under the wrong period."""


def at(entry: Entry | Stub, path: tuple[str | int, ...]) -> tuple[str, int, int, str]:
    """Where a field of a record is: its file, line, column and the field as problems name it."""
    line, col = entry.source.doc.position(path)
    return entry.path, line, col, schema_errors.format_loc(path)


def check_vocabulary(entry: Entry, taxonomy: Taxonomy, problems: Problems) -> None:
    """Every id the record uses (team, causes, indicators, plan kinds, reasons) is the taxonomy's."""
    record = entry.record
    causes = taxonomy.cause_ids()
    teams = {team.id for team in taxonomy.teams}
    kinds = {kind.id for kind in taxonomy.plan_kinds}
    indicators = {ind.id for ind in taxonomy.indicators}
    if record.team is not None and record.team not in teams:
        problems.error(*at(entry, ("team",)), f"unknown team {record.team!r}",
                       taxonomy.id_hint("team", record.team))
    if isinstance(record, Retro) and record.team is not None:
        _check_team_in_name(entry, record.team, record.period, taxonomy, problems)
    if isinstance(record, Retro):
        _check_retired(entry, record, taxonomy, problems)
        _check_quarter_end(entry, record, taxonomy, problems)
    cited: dict[str, int] = {}  # canonical cause id → its first citation's index
    for i, citation in enumerate(record.causes):
        if citation.cause not in causes:
            problems.error(*at(entry, ("causes", i, "cause")),
                           f"unknown cause {citation.cause!r}",
                           taxonomy.id_hint("cause", citation.cause, "New causes are added to "
                                        f"{TAXONOMY_FILE} by pull request."))
            continue
        first = cited.setdefault(causes[citation.cause], i)
        if first != i:
            # Typically after two causes were merged into one: the record now cites it twice,
            # and every list of its citations would show this record twice.
            earlier = record.causes[first].cause
            written = f" (as {citation.cause})" if citation.cause != causes[citation.cause] else ""
            problems.warning(*at(entry, ("causes", i, "cause")),
                             f"cites {causes[citation.cause]}{written} again: causes[{first}] "
                             f"at line {at(entry, ('causes', first, 'cause'))[1]} already cites "
                             f"it{' as ' + earlier if earlier != causes[citation.cause] else ''}",
                             "keep one citation and list the whys of both under its `whys:`")
    for i, action in enumerate(record.actions):
        if action.cause is not None and action.cause not in causes:
            problems.error(*at(entry, ("actions", i, "cause")), f"unknown cause {action.cause!r}",
                           taxonomy.id_hint("cause", action.cause))
        if action.indicator is not None and action.indicator not in indicators:
            problems.error(*at(entry, ("actions", i, "indicator")),
                           f"unknown indicator {action.indicator!r}",
                           taxonomy.id_hint("indicator", action.indicator))
        if action.team is not None and action.team not in teams:
            problems.error(*at(entry, ("actions", i, "team")), f"unknown team {action.team!r}",
                           taxonomy.id_hint("team", action.team))
        _check_action_segment(entry, i, taxonomy, problems)
    for i, update in enumerate(record.action_updates):
        if update.team is not None:
            _check_handed_to(entry, i, update.team, taxonomy, problems)
    if isinstance(record, Postmortem):
        _check_deal_vocabulary(entry, taxonomy, problems)
        if record.plan_kind is not None and record.plan_kind not in kinds:
            problems.error(*at(entry, ("plan_kind",)), f"unknown plan kind {record.plan_kind!r}",
                           taxonomy.id_hint("plan kind", record.plan_kind, "Plan kinds are added to "
                                        f"plan_kinds in {TAXONOMY_FILE}."))
        implied = record.kind.plan_kind
        if record.plan_kind is None and implied is not None and implied not in kinds:
            # Its lessons and assumptions would reach no checklist, without a word.
            problems.warning(*at(entry, ("kind",)),
                             f"a {record.kind.value} post-mortem informs the plan kind "
                             f"{implied!r}, which {TAXONOMY_FILE} does not have: its lessons "
                             "and assumptions reach no checklist",
                             (f"set plan_kind: to {and_list(sorted(kinds), 'or')}, or add "
                              if kinds else "add ") + f"{implied} to plan_kinds in {TAXONOMY_FILE}")
        categories = {c.id for c in taxonomy.assumption_categories}
        for i, assumption in enumerate(record.assumptions):
            if assumption.category is not None and assumption.category not in categories:
                problems.error(*at(entry, ("assumptions", i, "category")),
                               f"unknown assumption category {assumption.category!r}",
                               taxonomy.id_hint("assumption category", assumption.category, "New categories "
                                            "are added to assumption_categories in "
                                            f"{TAXONOMY_FILE}."))
    for i, lesson in enumerate(record.lessons):
        for k, kind in enumerate(lesson.applies_to):
            if kind not in kinds:
                problems.error(*at(entry, ("lessons", i, "applies_to", k)),
                               f"unknown plan kind {kind!r}", taxonomy.id_hint("plan kind", kind))
    measures = (record.scorecard if isinstance(record, Review)
                else record.plan_vs_actual if isinstance(record, Postmortem) else [])
    field_name = "scorecard" if isinstance(record, Review) else "plan_vs_actual"
    for i, measure in enumerate(measures):
        check_measure(entry, field_name, i, measure, taxonomy, problems)


def check_measure(entry: Entry | Stub, field_name: str, i: int, measure: Measure,
                  taxonomy: Taxonomy, problems: Problems) -> None:
    """One scorecard or plan-vs-actual row against the taxonomy: its indicator, segment, unit
    and direction, a rate's range, and what a row may leave to Hindsight. Run on the rows of
    a record that failed the schema too (`generator.records.stub`), so one run lists them."""
    indicators = {ind.id for ind in taxonomy.indicators}
    if measure.indicator is not None and measure.indicator not in indicators:
        problems.error(*at(entry, (field_name, i, "indicator")),
                       f"unknown indicator {measure.indicator!r}",
                       taxonomy.id_hint("indicator", measure.indicator))
    _check_measure(entry, field_name, i, measure, taxonomy, problems)
    for key in ("goal", "actual"):
        _check_written(entry, (field_name, i, key), getattr(measure, key), measure.unit,
                       problems)
    if measure.unit == "rate":
        for key in ("goal", "actual"):
            value = getattr(measure, key)
            if value is not None and not 0 <= value <= 1:
                problems.error(*at(entry, (field_name, i, key)),
                               f"a rate must be between 0 and 1 (got {value:g})",
                               rate_hint(value))


def check_stub_measures(stub: Stub, taxonomy: Taxonomy, problems: Problems,
                        reported: Reported) -> None:
    """`check_measure` for the rows of a record that failed the schema, each row the schema
    accepts on its own (a row with an error of its own is among those reported)."""
    for field_name in ("scorecard", "plan_vs_actual"):
        for i, row in unreported_items(stub, field_name, reported):
            try:
                measure = Measure.model_validate(row)
            except ValidationError:
                continue  # its errors are among those reported, under the record's head
            check_measure(stub, field_name, i, measure, taxonomy, problems)


def _written_empty(entry: Entry | Stub, path: tuple[str | int, ...]) -> bool:
    """Whether the record writes the field at ``path`` with no value (``actual:``), rather
    than leaving it out."""
    value: object = entry.source.doc.value
    for part in path[:-1]:
        if isinstance(part, int) and isinstance(value, list) and part < len(value):
            value = value[part]
        elif isinstance(part, str) and isinstance(value, dict):
            value = value.get(part)
        else:
            return False
    return isinstance(value, dict) and path[-1] in value and value[path[-1]] is None


def _check_measure(entry: Entry | Stub, field_name: str, i: int, measure: Measure,
                   taxonomy: Taxonomy, problems: Problems) -> None:
    """What a scorecard row may leave to Hindsight, and what a plan-vs-actual row may not."""
    here = (field_name, i)
    computable = field_name == "scorecard" and (measure.indicator or measure.measure)
    if measure.actual is None and not computable and _written_empty(entry, (*here, "actual")):
        # `actual:` with nothing after it, as a post-mortem draft leaves a row's figures to
        # fill in: said at the field, with how to write it.
        problems.error(*at(entry, (*here, "actual")), "is empty: must be a number",
                       f"write what happened, as {figure_as_written(measure.unit)}")
    elif measure.actual is None and not computable:
        hint = ("add actual:, or name an indicator: or a measure: to compute it from the quarter"
                if field_name == "scorecard" else "add actual: with what happened")
        problems.error(*at(entry, (*here, "metric")), "has no actual", hint)
    if measure.measure is not None and field_name != "scorecard":
        problems.error(*at(entry, (*here, "measure")), "built-in measures are computed for "
                       "a quarterly review's scorecard only", "remove measure:")
    if measure.measure is not None and measure.indicator is not None:
        problems.error(*at(entry, (*here, "measure")), "names both an indicator and a measure",
                       "keep one of the two")
    if measure.measure == "new-arr" and taxonomy.new_arr is None:
        problems.error(*at(entry, (*here, "measure")), "new-arr needs to know which "
                       "indicators give deals won and deal size",
                       f"add new_arr: {{won: …, deal_size: …}} to {TAXONOMY_FILE}")
    known = {ind.id: ind for ind in taxonomy.indicators}
    indicator = known.get(measure.indicator or "")
    # The typed and the computed figure are compared, so they must be in the same unit.
    unit = (indicator.unit.value if indicator is not None
            else BUILTIN_UNITS.get(measure.measure or ""))
    if unit is not None and measure.unit != unit:
        problems.error(*at(entry, (*here, "unit")), f"is {measure.unit}, but "
                       f"{measure.indicator or measure.measure} is measured in {unit}",
                       f"set unit: {unit}")
    slip = unit_slip(measure.unit, measure.goal, taxonomy.currency) if unit is None else None
    if slip is not None:  # "eur" read "500,000 eur", not money; "percent" escaped the 0..1 check
        problems.warning(*at(entry, (*here, "unit")), *slip)
    if indicator is not None:
        # Attainment and "goals met" read the row's direction: a row that names an indicator
        # goes the indicator's way (a goal of 1 day for speed-to-lead is met by less).
        wanted = Direction(indicator.better.value)
        if "better" not in measure.model_fields_set:
            measure.better = wanted
        elif measure.better != wanted:
            problems.error(*at(entry, (*here, "better")), f"is {measure.better.value}, but "
                           f"{indicator.id} is better {wanted.value} in {TAXONOMY_FILE}",
                           f"set better: {wanted.value}, or leave better: out")
    if measure.segment is not None:
        if measure.indicator is None:
            problems.error(*at(entry, (*here, "segment")), "a segment needs an indicator:",
                           "add indicator:, or remove segment:")
        elif indicator is not None and measure.segment not in indicator.segments:
            problems.error(*at(entry, (*here, "segment")),
                           f"{measure.indicator} has no segment {measure.segment!r}",
                           taxonomy.segment_hint(indicator.segment_by, measure.segment,
                                                 indicator.segments))


def _check_handed_to(entry: Entry, index: int, team_id: str, taxonomy: Taxonomy,
                     problems: Problems) -> None:
    """An error where an update hands an action (``action_updates[].team``) to a team the
    taxonomy does not have, or to one retired before the record's month: no retro of it would
    follow the action up, so it would need a new owner again at once."""
    where = at(entry, ("action_updates", index, "team"))
    if team_id not in {team.id for team in taxonomy.teams}:
        problems.error(*where, f"unknown team {team_id!r}", taxonomy.id_hint("team", team_id))
        return
    team = taxonomy.team(team_id)
    month = month_of(entry.date)
    if team.retired is not None and retired_after(team.retired, month):
        current = [t.id for t in taxonomy.teams if not retired_after(t.retired, month)]
        shown = current[:6] + (["…"] if len(current) > 6 else [])
        problems.error(*where,
                       f"hands the action to {team_id}, but {TAXONOMY_FILE} says the team was "
                       f"{retired_said(team.retired)}, before this record's month ({month})",
                       "hand it to the team that took its work over"
                       + (f" (current teams: {', '.join(shown)})" if current else "")
                       + f", or correct retired: of {team_id} in {TAXONOMY_FILE}")


def _check_retired(entry: Entry, record: Retro, taxonomy: Taxonomy, problems: Problems) -> None:
    """A warning where a retro's team, or an indicator it gives a reading of, was retired
    before its month: the reading is kept, but pages that list what is current leave it out,
    so it belongs to the team or indicator that took over (or the retirement is wrong). A
    quarterly retro reviews its whole quarter: only one retired before the quarter began."""
    # A team retired in August worked July and August of its Q3: its retro of Q3, dated
    # September, is its last one, not one after its end.
    first, said = ((months_of_quarter(quarter_of_month(record.period))[0],
                    quarter_of_month(record.period)) if entry.quarterly
                   else (record.period, record.period))
    team_id = taxonomy.team_ids().get(record.team or "")
    if team_id is not None:
        team = taxonomy.team(team_id)
        if team.retired is not None and retired_after(team.retired, first):
            problems.warning(*at(entry, ("period",)),
                             f"is a retro of {team_id} for {said}, but {TAXONOMY_FILE} "
                             f"says the team was {retired_said(team.retired)}",
                             "file it under the team that took its work over, or correct "
                             f"retired: of {team_id} in {TAXONOMY_FILE}")
    known = {indicator.id: indicator for indicator in taxonomy.indicators}
    for indicator_id in record.indicators:
        indicator = known.get(indicator_id)
        if indicator is None or indicator.retired is None:
            continue
        if retired_after(indicator.retired, first):
            problems.warning(*at(entry, ("indicators", indicator_id)),
                             f"gives a reading of {indicator_id} for {said}, but "
                             f"{TAXONOMY_FILE} says it was {retired_said(indicator.retired)}",
                             "give the reading under the indicator that "
                             f"replaced it, or correct retired: of {indicator_id} in "
                             f"{TAXONOMY_FILE}")


def _check_quarter_end(entry: Entry, record: Retro, taxonomy: Taxonomy,
                       problems: Problems) -> None:
    """An error where a retro of a team that meets quarterly is dated another month than its
    quarter's last: its readings are the quarter's, and every page reads them as that
    quarter's (the scorecard, the trend against the previous quarter)."""
    team_id = taxonomy.team_ids().get(record.team or "")
    if team_id is None or not taxonomy.team(team_id).quarterly_in(record.period):
        return  # a month before the team's quarterly_from quarter is a monthly retro's
    team = taxonomy.team(team_id)
    end = quarter_end(record.period)
    if end != record.period:
        quarter = quarter_of_month(record.period)
        # A monthly retro of the months the team still met monthly: the quarter after it is
        # the first the team can have met quarterly.
        later = quarter_of_month(next_month(end))
        since = (f"from {team.quarterly_from} (retros: quarterly, quarterly_from: "
                 f"{team.quarterly_from} in {TAXONOMY_FILE})" if team.quarterly_from
                 else f"(retros: quarterly in {TAXONOMY_FILE})")
        problems.error(*at(entry, ("period",)),
                       f"is {record.period}, but {team_id} holds its retros quarterly {since}: "
                       "a retro's period is its quarter's last month",
                       f"correct period: to {end}, the last month of {quarter}; or, if "
                       f"{team_id} still met monthly then, set quarterly_from: for it in "
                       f"{TAXONOMY_FILE} to the first quarter it met quarterly, {later} or "
                       "later")


def _check_action_segment(entry: Entry, i: int, taxonomy: Taxonomy, problems: Problems) -> None:
    """An action's segment must be one of the segments of the indicator it names."""
    action = entry.record.actions[i]
    if action.segment is None:
        return
    known = {ind.id: ind for ind in taxonomy.indicators}
    if action.indicator is None:
        problems.error(*at(entry, ("actions", i, "segment")),
                       "a segment needs the indicator it belongs to",
                       "add indicator: next to segment:, or remove segment:")
    elif action.indicator in known:
        aimed = known[action.indicator]
        if action.segment not in aimed.segments:
            problems.error(*at(entry, ("actions", i, "segment")),
                           f"unknown segment {action.segment!r} of {action.indicator}",
                           taxonomy.segment_hint(aimed.segment_by, action.segment,
                                                 aimed.segments))


def _check_deal_vocabulary(entry: Entry, taxonomy: Taxonomy, problems: Problems) -> None:
    """A deal's reasons, segment and ICP tier come from the taxonomy (the segment and tier
    from the dimensions its ``deals:`` names)."""
    deal = entry.record.deal if isinstance(entry.record, Postmortem) else None
    if deal is None:
        return
    reasons = taxonomy.reason_ids()
    for i, reason in enumerate(deal.reasons):
        if reason not in reasons:
            problems.error(*at(entry, ("deal", "reasons", i)), f"unknown reason {reason!r}",
                           taxonomy.id_hint("reason", reason, "New reasons (or aliases) are added "
                                        f"to reasons in {TAXONOMY_FILE}."))
    for field_name in DEAL_DIMENSION_SETTINGS:
        value = getattr(deal, field_name)
        unknown = unknown_deal_value(taxonomy, field_name, value) if value is not None else None
        if unknown is not None:
            problems.error(*at(entry, ("deal", field_name)), *unknown)


def check_record_rules(entry: Entry, taxonomy: Taxonomy, problems: Problems) -> None:
    """The record's own rules beyond the schema: plain-text titles, dates in order, done actions."""
    record = entry.record
    for path, text in plain_text_fields(record):
        what = markup_in(text)
        if what is not None:
            problems.error(*at(entry, path), f"is plain text but contains {what}",
                           "write the words alone; links and formatting belong in the body")
        elif "\n" in text.strip():
            # A `|` block keeps line breaks that a title, a name or a table cell cannot show.
            problems.error(*at(entry, path), "is a title or a name but runs over several lines",
                           "write it on one line; longer text belongs in the body")
        elif (mixed := mixed_script(text)) is not None:
            word, letters, script = mixed
            problems.warning(*at(entry, path), f"{word!r} mixes scripts: {letters} "
                             f"{'are' if ', ' in letters else 'is'} {script}, the rest of "
                             "the word is not", "retype the word in one script: letters that "
                             "look alike are different characters, so to the site and its "
                             "search it is another name that reads the same")
    for i, action in enumerate(record.actions):
        _check_done(entry, ("actions", i), action.status, action.done_on, problems)
        if action.due < entry.date:
            # Overdue the day it was raised: most often a mistyped year or month (an action
            # moved later is moved by a later record's action_updates, not here).
            problems.warning(*at(entry, ("actions", i, "due")),
                             f"due {action.due} is before this record was held ({entry.date})",
                             "check the date")
    _check_lessons_repeated(entry, problems)
    check_curly_quotes(entry, problems)
    people = record_people(entry.source.doc.value) if isinstance(entry.source.doc.value, dict) \
        else []
    for place, owner in written_owners(entry):
        handle = handle_as_owner(owner, people)
        if handle is not None:
            problems.error(*at(entry, place), *handle)
        several = several_owners(owner)
        if several is not None:
            # A warning: the action is still one, but its owner page names nobody.
            problems.warning(*at(entry, place), *several)
    # A facilitator, keeper or participant written as a handle is shown as written: a
    # warning, as no page or count is split by it.
    named: list[tuple[tuple[str | int, ...], str, str]] = [
        ((key,), value, f"a {key}") for key in ("facilitator", "keeper")
        if isinstance(value := getattr(record, key, None), str)]
    named += [(("participants", i), person, "a participant")
              for i, person in enumerate(record.participants)]
    for where, person, role in named:
        handle = handle_as_owner(person, people, role)
        if handle is not None:
            problems.warning(*at(entry, where), *handle)
    _check_participants_apart(entry, record.participants, problems)
    first_update: dict[str, int] = {}
    for i, update in enumerate(record.action_updates):
        _check_done(entry, ("action_updates", i), update.status, update.done_on, problems)
        if update.status is Status.DROPPED and update.note is None:
            # The register shows the note beside a dropped action: without one, nobody later
            # can tell a decision from an action quietly abandoned.
            problems.warning(*at(entry, ("action_updates", i, "status")),
                             f"drops {update.id} without a note saying why",
                             "add `note:` with the reason, e.g. what replaced it")
        if update.id in first_update:
            # The last would win, and what the first said (a completion) would be lost.
            line = at(entry, ("action_updates", first_update[update.id], "id"))[1]
            problems.error(*at(entry, ("action_updates", i, "id")),
                           f"{update.id} is already updated on line {line} of this record",
                           "give one update per action in a record: the status it ends with")
        first_update.setdefault(update.id, i)
    if isinstance(record, Retro | Review):
        _check_period_in_name(entry, period_in_name(entry.id, record), record.period,
                              problems)
    if isinstance(record, Retro):
        # A quarterly team's retro dated its quarter's last month reviews the whole quarter:
        # held in the quarter's first two months it is early, not before its period began.
        reviewed = retro_reviews(record.period, taxonomy.quarterly_at(record.team, record.period))
        if record.held < reviewed.first_day:
            problems.error(*at(entry, ("held",)),
                           f"is before the {reviewed.noun} it reviews ({reviewed.named}) began"
                           + (f" ({reviewed.first_day})" if reviewed.noun == "quarter" else ""),
                           "check the held date and the period")
        # A sprint retro without readings is one of its month's several: another gives the
        # month's readings (a month none gives them for is warned across records).
        sprint = taxonomy.meets_by_sprint(record.team)
        if not record.indicators and not sprint:
            problems.warning(*at(entry, ("period",)), "records no leading-indicator readings",
                             "add the month's readings under indicators: so trends can be drawn")
    if isinstance(record, Review):
        first_day = dt.date.fromisoformat(f"{months_of_quarter(record.period)[0]}-01")
        if record.held < first_day:
            problems.error(*at(entry, ("held",)),
                           f"is before the quarter it reviews ({record.period}) began",
                           "check the held date and the period")
    if isinstance(record, Retro | Review):
        _check_held_near_period(entry, record, problems, isinstance(record, Retro)
                                and taxonomy.quarterly_at(record.team, record.period),
                                # A sprint retro held within its month reviews its sprint; it
                                # is early only if it gives the month's readings.
                                early=not (isinstance(record, Retro) and not record.indicators
                                           and taxonomy.meets_by_sprint(record.team)))
    for left in placeholders_left(entry, taxonomy):
        where = (entry.path, left.body_line, 1, "body") if left.body_line is not None \
            else at(entry, left.path)
        problems.warning(*where, left.message, left.hint, placeholder=True)
    if isinstance(record, Postmortem):
        _check_deal_agrees(entry, record, taxonomy, problems)
        _check_month_in_name(entry, record.event_ended, problems)
        _check_held_after_event(entry, record.kind.value, record.informs, record.held,
                                record.event_ended, taxonomy, problems)
        is_deal = record.kind.value.startswith("deal-")
        _check_deal_section(entry, record.kind.value, record.deal is not None, problems)
        if record.deal is not None:
            check_deal_value(entry, record.deal.value, problems)
        if is_deal and record.deal is not None:
            won = record.kind.value == "deal-won"
            if record.deal.chose_us != won:
                problems.error(*at(entry, ("deal", "chose_us")),
                               f"says {str(record.deal.chose_us).lower()} but the kind is "
                               f"{record.kind.value}", "make the two agree")


_WIDE_COMMA = re.compile(f"[{schema_errors.WIDE_COMMAS}]")


def _check_participants_apart(entry: Entry, participants: list[str],
                              problems: Problems) -> None:
    """A participant written as several people with the comma a Japanese, Chinese or Korean
    input method types between them (``participants: [山田、佐藤]``): one item to YAML, so
    the record named one person "山田、佐藤". A warning, with the list to write: a name holds
    no such comma, but the page still reads as written."""
    if not any(schema_errors.wide_comma(person) for person in participants):
        return
    names = [name.strip() for person in participants for name in _WIDE_COMMA.split(person)
             if name.strip()]
    for i, person in enumerate(participants):
        comma = schema_errors.wide_comma(person)
        if comma is not None:
            problems.warning(*at(entry, ("participants", i)),
                             f"{person!r} reads as one person: `{comma}` does not separate "
                             "names in YAML", f"write participants: [{', '.join(names)}]")


_LESSON_NOISE = re.compile(r"[\s.!?;:,…。！？]+")


def _check_lessons_repeated(entry: Entry, problems: Problems) -> None:
    """A lesson written twice in one record (ignoring case, spacing and punctuation) is
    warned at the second, naming the first: the checklist shows it once, learned once, so the
    copy says nothing, and is most often a paste meant to be a different lesson."""
    first: dict[str, int] = {}
    for i, lesson in enumerate(entry.record.lessons):
        key = _LESSON_NOISE.sub(" ", lesson.lesson.casefold()).strip()
        if key in first:
            line = at(entry, ("lessons", first[key], "lesson"))[1]
            problems.warning(*at(entry, ("lessons", i, "lesson")),
                             f"repeats lessons[{first[key]}] on line {line} of this record",
                             "delete one of the two, or add the other plan kinds to the first "
                             "one's applies_to")
        first.setdefault(key, i)


def check_curly_quotes(entry: Entry | Stub, problems: Problems,
                       reported: Reported | None = None) -> None:
    """A text value wrapped whole in curly quotes (``title: “Sales retro”``, ``facilitator:
    ‘Aisha Mensah’``, ``participants: [“Daniel Brooks”]``): YAML reads them as part of the
    text, so the site showed them, and “Daniel Brooks” was another person than Daniel Brooks.
    A reading's are told by its own error, and so is any field of a record that failed the
    schema whose error is ``reported`` (a number's or a date's hint names them)."""
    for path, written in entry.source.doc.curly.items():
        if path[0] == "indicators" or (reported is not None
                                       and reported.touches(schema_errors.format_loc(path))):
            continue
        inner = curly_unwrapped(written) or written
        key = f"{path[-1]}: " if isinstance(path[-1], str) else ""
        problems.error(*at(entry, path), f"is wrapped in curly quotes ({written[0]} "
                       f"{written[-1]}), which YAML reads as part of the text",
                       f"write it in straight quotes: {key}{yaml_quoted(inner)}")


def check_deal_value(entry: Entry | Stub, value: float | None, problems: Problems) -> None:
    """A deal's annual value as written: ``12.500`` reads as 12.5 in YAML, so the post-mortem
    said "Annual value: $12" of a twelve-and-a-half-thousand deal, without a word. Asked about
    as a scorecard's money is (`written_figure`), on a record that failed the schema too."""
    _check_written(entry, ("deal", "value"), value, Unit.USD.value, problems)


def _check_team_in_name(entry: Entry | Stub, team: str, period: str, taxonomy: Taxonomy,
                        problems: Problems) -> None:
    """Another team's retro copied and its team left as it was (or the other way round): the
    month would count for the wrong team, and the right one's would be missing. So with a
    file named for another team and more (``2026-05-sales-typo``), or for a team misspelt
    (``2026-05-marketting``): a retro is named for its month and team."""
    known = taxonomy.team_ids()
    # (An unknown team is an error of its own, with the closest id as its hint.)
    named = team_in_name(entry.id, team, known)
    if named is None or team not in known:
        return
    if named.team != known[team]:
        problems.add(team_name_warning(entry, team, named.said, named.team, period))
    elif not named.exact:
        problems.warning(*at(entry, ("team",)),
                         f"is {team}, but the file name says {named.said}, which is no team",
                         f"rename the file {period}-{team}.md: a retro's file is named for its "
                         "month and team")


class NamedTeam(NamedTuple):
    """The team a retro's file name says after its month."""

    said: str
    """As the name writes it: an id or alias (``sales``), or a slip of one (``marketting``)."""
    team: str
    """The id of the team it names."""
    exact: bool
    """Whether ``said`` is the team's id or an alias, not a slip of one."""


def team_in_name(record_id: str, team: str | None, teams: dict[str, str]) -> NamedTeam | None:
    """The team a retro's file name says after its month: the longest id or alias its words
    start with (``2026-05-sales-ops-offsite`` → sales-ops, where both sales and sales-ops are
    teams), else a slip of the keyboard away from one (``marketting``). None when it starts
    with no team, or names the record's ``team`` after it (``2026-05-sales-and-marketing``
    for marketing: a name is free past the team). ``teams``: every id and alias → its team's
    id."""
    found = retro_in_name(record_id)
    if found is None:
        return None
    written = found[1].split("-")
    # A name in capitals is an error of its own (no record id); its team is read all the same.
    words = found[1].lower().split("-")
    own = teams.get(team) if team is not None else None
    for exact in (True, False):
        for count in range(len(words), 0, -1):
            lead = "-".join(words[:count])
            spelled = lead if exact else near_spelling(lead, teams)
            if spelled is None or spelled not in teams:
                continue
            after = words[count:]
            if own is not None and teams[spelled] != own and any(
                    teams.get("-".join(after[i:j])) == own
                    for i in range(len(after)) for j in range(i + 1, len(after) + 1)):
                return None
            return NamedTeam("-".join(written[:count]), teams[spelled], exact)
    return None


def team_name_warning(entry: Entry | Stub, team: str, named: str, canonical: str,
                      period: str) -> Problem:
    """The warning at a retro's team that its file name says another team (``named``, whose
    id is ``canonical``): the rules across records withdraw it where the team written already
    has a retro of that month, as renaming the file after it is then no fix."""
    return Problem(*at(entry, ("team",)), f"is {team}, but the file name says {named}",
                   f"correct team: to {canonical}, or rename the file {period}-{team}.md",
                   Severity.WARNING)


def _check_period_in_name(entry: Entry | Stub, named: str | None, period: str,
                          problems: Problems) -> None:
    """Last month's retro copied and its period left as it was: two records of one month."""
    if named is not None and named != period:
        problems.add(period_name_warning(entry, named, period))


def period_name_warning(entry: Entry | Stub, named: str, period: str) -> Problem:
    """The warning at a retro's or review's period that its file name says another
    (``named``): the rules across records withdraw it where another record already holds that
    period, as renaming the file after its period is then no fix."""
    return Problem(*at(entry, ("period",)), f"is {period}, but the file name says {named}",
                   f"correct period: to {named}, or rename the file after its period",
                   Severity.WARNING)


def _check_month_in_name(entry: Entry | Stub, ended: dt.date, problems: Problems) -> None:
    """A post-mortem whose file name starts with another month than the one its event ended
    in: `hindsight new postmortem` names the file after today's month unless told --ended, and
    the file then sorts and reads as a month the event did not end in."""
    found = _RETRO_NAME.match(entry.id)
    month = f"{ended:%Y-%m}"
    if found is not None and found.group(1) != month:
        renamed = f"{month}-{entry.id[found.end():]}.md"
        problems.warning(*at(entry, ("event_ended",)),
                         f"is {ended}, but the file name says {found.group(1)}",
                         f"rename the file to {renamed}, or correct event_ended:")


def _check_deal_section(entry: Entry | Stub, kind: str, has_deal: bool,
                        problems: Problems) -> None:
    """A deal post-mortem has a deal: section, and only a deal post-mortem has one."""
    is_deal = kind.startswith("deal-")
    if is_deal and not has_deal:
        problems.error(*at(entry, ("kind",)), "a deal post-mortem needs a deal: section",
                       "add deal: with customer, chose_us, why and competitor")
    if not is_deal and has_deal:
        problems.error(*at(entry, ("deal",)), f"only deal post-mortems have a deal: section "
                       f"(this one is a {kind})", "remove it, or set kind: deal-won or deal-lost")


def check_stub_names(stub: Stub, taxonomy: Taxonomy, problems: Problems,
                     reported: Reported) -> None:
    """The checks of a record that failed the schema on what its other fields still say: a
    team or period its file name contradicts, a deal: section on a post-mortem of another
    kind (or none on a deal's): a format mistyped must not hide them until it is fixed."""
    data = stub.source.doc.value
    kind, team, period = data.get("type"), data.get("team"), data.get("period")
    if kind == "retro" and stub.period is not None and not reported.touches("period"):
        found = _RETRO_NAME.match(stub.id)
        _check_period_in_name(stub, found.group(1) if found else None, stub.period, problems)
        if isinstance(team, str) and not reported.touches("team"):
            _check_team_in_name(stub, team, stub.period, taxonomy, problems)
    if kind == "review" and isinstance(period, str) and not reported.touches("period") \
            and re.fullmatch(r"\d{4}-Q[1-4]", period):
        found = _REVIEW_NAME.match(f"{stub.id}-")
        named = f"{found.group(1)}-Q{found.group(2)}" if found else None
        _check_period_in_name(stub, named, period, problems)
    ended = _day(data.get("event_ended"))
    if kind == "postmortem" and ended is not None and not reported.touches("event_ended"):
        _check_month_in_name(stub, ended, problems)
    postmortem_kind = data.get("kind")
    if kind == "postmortem" and postmortem_kind in {k.value for k in PostmortemKind} \
            and not reported.touches("kind") and not reported.touches("deal"):
        _check_deal_section(stub, str(postmortem_kind), data.get("deal") is not None, problems)
    held, plan_kind = _day(data.get("held")), data.get("plan_kind")
    if kind == "postmortem" and postmortem_kind in {k.value for k in PostmortemKind} \
            and held is not None and ended is not None and not reported.touches("held") \
            and not reported.touches("event_ended") and not reported.touches("plan_kind"):
        # Its plan_vs_actual mistyped must not hide that it was held too late.
        informs = plan_kind if isinstance(plan_kind, str) and plan_kind in {
            k.id for k in taxonomy.plan_kinds} else PostmortemKind(postmortem_kind).plan_kind
        _check_held_after_event(stub, str(postmortem_kind), informs, held, ended, taxonomy,
                                problems)


def _check_held_after_event(entry: Entry | Stub, kind: str, informs: str | None,
                            held: dt.date, ended: dt.date, taxonomy: Taxonomy,
                            problems: Problems) -> None:
    """A post-mortem held before its event ended (an error), or long after (a warning)."""
    if held < ended:
        problems.error(*at(entry, ("held",)), f"is before the event ended ({ended})",
                       "a post-mortem is held after the event; check both dates")
        return
    days = (held - ended).days
    within = taxonomy.held_within_days(informs)
    if days > within:
        problems.warning(*at(entry, ("held",)),
                         f"{kind} post-mortem held {days} days after the event ended",
                         f"hold it within {within} days, while memories are fresh; "
                         "held_within_days in taxonomy.yml sets this per plan kind"
                         + ("" if informs else ", and plan_kind: names the one it informs"))


def _day(value: Any) -> dt.date | None:
    """A stub's date as written (``2026-11-28``), or None where it is none (the schema's
    error says so)."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:  # 2026-02-30
        return None


class Reviewed(NamedTuple):
    """What a retro reviews, as its held-date messages name it."""

    noun: str
    """"month", or "quarter" for a quarterly team's retro."""
    named: str
    """The period as said: ``2026-05``, or ``Q3 2026, dated 2026-09``."""
    first_day: dt.date
    """The day it began: the month's first, or the quarter's."""


def retro_reviews(period: str, quarterly: bool) -> Reviewed:
    """What a retro of ``period`` (``YYYY-MM``) reviews: its month, or, for a team that meets
    quarterly (``quarterly``), the quarter whose last month it is dated."""
    if not quarterly:
        return Reviewed("month", period, dt.date.fromisoformat(f"{period}-01"))
    first = months_of_quarter(quarter_of_month(period))[0]
    return Reviewed("quarter", f"{quarter_name(period)}, dated {period}",
                    dt.date.fromisoformat(f"{first}-01"))


def _check_held_near_period(entry: Entry, record: Retro | Review, problems: Problems,
                            quarterly: bool = False, early: bool = True) -> None:
    """A retro or review held long after its period ended is probably misdated or misfiled;
    one held before its period's last day reviews a period not yet over (a quarterly team's
    retro, ``quarterly``, its quarter), unless ``early`` is false (a sprint retro without the
    month's readings)."""
    ended = period_last_day(record.period)
    days = (record.held - ended).days
    if isinstance(record, Retro):
        noun, named, began = retro_reviews(record.period, quarterly)
    else:
        noun, named = "quarter", record.period
        began = dt.date.fromisoformat(f"{months_of_quarter(record.period)[0]}-01")
    if early and began <= record.held < ended:
        # (Held before the period began is an error of its own.)
        # A review's follow-through can only judge the actions due by the day it was held.
        then = (f"its action follow-through counts only the actions due by {record.held}"
                if isinstance(record, Review) else f"a retro held before its {noun} is over "
                "reviews only part of it")
        problems.warning(*at(entry, ("held",)),
                         f"{record.held} is before the {noun} it reviews ({named}) "
                         f"ended ({ended})", f"check the held date and the period; {then}")
    if days > HELD_AFTER_PERIOD_DAYS:
        problems.warning(*at(entry, ("held",)),
                         f"{record.held} is {days} days after the period it reviews "
                         f"({record.period}) ended", "check the held date and the period; "
                         f"a {record.type} is held within {HELD_AFTER_PERIOD_DAYS} days of its "
                         "period's end")


_RETRO_NAME = re.compile(r"(\d{4}-\d{2})-")
_REVIEW_NAME = re.compile(r"(\d{4})-q([1-4])-")


def retro_in_name(record_id: str) -> tuple[str, str] | None:
    """The month and the team a retro's file name says (``2026-05-sales`` → 2026-05, sales;
    the team may be no id the taxonomy knows); None when it starts with no month."""
    found = _RETRO_NAME.match(record_id)
    return (found.group(1), record_id[found.end():]) if found else None


def period_in_name(record_id: str, record: object) -> str | None:
    """The period a retro's or review's file name starts with, as `period:` writes it
    (``2026-05-sales`` → 2026-05, ``2026-q2-review`` → 2026-Q2); None when it starts with none."""
    if isinstance(record, Retro):
        found = _RETRO_NAME.match(record_id)
        return found.group(1) if found else None
    if isinstance(record, Review):
        found = _REVIEW_NAME.match(f"{record_id}-")
        return f"{found.group(1)}-Q{found.group(2)}" if found else None
    return None


def _check_done(
    entry: Entry,
    path: tuple[str | int, ...],
    status: Status,
    done_on: dt.date | None,
    problems: Problems,
) -> None:
    # A done action without done_on is done as of this record's date ("done by" it).
    if status is not Status.DONE and done_on is not None:
        problems.error(*at(entry, (*path, "done_on")), f"is set but the status is {status.value}",
                       "set status: done, or remove done_on")
    if done_on is None or done_on == entry.date:
        return
    said = f"{done_on} is {'after' if done_on > entry.date else 'before'} this record was held " \
           f"({entry.date})"
    if path[0] == "actions":
        # Raised here and done: on the one day both are true. Each of the other hints alone
        # sent the writer from one error to the other.
        problems.error(*at(entry, (*path, "done_on")), said,
                       f"an action raised and done in one record was done the day it was "
                       f"held: write done_on: {entry.date} or leave done_on out; a completion "
                       "after that day goes in a later record's action_updates")
    elif done_on > entry.date:
        problems.error(*at(entry, (*path, "done_on")), said,
                       "a record reports what was done by the day it was held; "
                       "record later completions in a later record's action_updates")


def record_readings(entry: Entry | Stub, indicators: dict[str, Any], taxonomy: Taxonomy,
                    problems: Problems) -> list[Reading]:
    """A retro's readings (its ``indicators`` mapping), each checked against its indicator,
    with derived values computed. ``entry`` may be the stub of a retro that failed the schema
    elsewhere: its readings are still checked, so that error does not hide theirs."""
    known = {ind.id: ind for ind in taxonomy.indicators}
    readings: list[Reading] = []
    for ind_id, raw in indicators.items():
        path: tuple[str | int, ...] = ("indicators", ind_id)
        indicator = known.get(ind_id)
        if indicator is None:
            problems.error(*at(entry, path), f"unknown indicator {ind_id!r}",
                           taxonomy.id_hint("indicator", str(ind_id)))
            continue
        if indicator.segment_by:
            if not isinstance(raw, dict):
                problems.error(*at(entry, path), f"is split by {indicator.segment_by}",
                               f"give one value per {indicator.segment_by}: "
                               + ", ".join(indicator.segments))
                continue
            for segment, value in raw.items():
                seg_path = (*path, segment)
                if segment not in indicator.segments:
                    problems.error(*at(entry, seg_path),
                                   f"unknown {indicator.segment_by} {segment!r}",
                                   taxonomy.segment_hint(
                                       indicator.segment_by, str(segment), indicator.segments,
                                       _segment_of_derived(indicator, str(segment), taxonomy)))
                    continue
                if value is None:
                    # `events:` with no value: nothing to measure there this month (no deals),
                    # so no reading; still a segment given, not one left out.
                    continue
                reading = _reading(entry, seg_path, indicator.unit, value, problems,
                                   indicator.percent, taxonomy.currency)
                if reading is not None:
                    readings.append(Reading(ind_id, segment, *reading))
        else:
            if isinstance(raw, dict):
                problems.error(*at(entry, path), "is not split by segment",
                               "give a single value")
                continue
            reading = _reading(entry, path, indicator.unit, raw, problems, indicator.percent,
                               taxonomy.currency)
            if reading is not None:
                readings.append(Reading(ind_id, None, *reading))
    return _derived_readings(entry, readings, taxonomy, problems)


def _segment_of_derived(indicator: Indicator, segment: str, taxonomy: Taxonomy) -> str:
    """Where a segment an input indicator lacks comes from, when a derived indicator split
    alike that reads it has that segment: taxonomy.yml, not the record, is what to correct
    (``win-rate`` given ``strategic`` while ``deals-won`` was not). Empty otherwise."""
    readers = [ind.id for ind in taxonomy.indicators
               if ind.tree is not None and ind.segment_by == indicator.segment_by
               and segment in ind.segments and indicator.id in formula_names(ind.tree)]
    if not readers:
        return ""
    return (f"{segment} is a segment of {and_list(readers)}, computed from {indicator.id}: "
            f"add it to the segments of {indicator.id} in {TAXONOMY_FILE}")


def _derived_readings(
    entry: Entry | Stub, readings: list[Reading], taxonomy: Taxonomy, problems: Problems
) -> list[Reading]:
    """Compute derived indicators from the record's inputs; warn where a stated one disagrees."""
    units = {ind.id: ind.shown for ind in taxonomy.indicators}
    readings, disagreements, impossible = derive(readings, taxonomy)
    formulas = {ind.id: ind.formula for ind in taxonomy.indicators}
    for d in disagreements:
        path = ("indicators", d.indicator, *([d.segment] if d.segment else []))
        stated, computed = told_apart(d.stated, d.computed, units[d.indicator])
        problems.warning(*at(entry, path),
                         f"states {stated} but {formulas[d.indicator]} gives {computed} "
                         f"({d.inputs})",
                         "correct the stated value or its inputs, or leave the value out "
                         "and let Hindsight compute it")
    for bad in impossible:
        path = ("indicators", bad.first_input, *([bad.segment] if bad.segment else []))
        problems.warning(*at(entry, path),
                         f"{formulas[bad.indicator]} gives {bad.computed:.4g} for "
                         f"{bad.indicator}{f' ({bad.segment})' if bad.segment else ''}, "
                         f"not a rate between 0 and 1 ({bad.inputs})",
                         "check the inputs: the numerator cannot exceed the denominator")
    return readings


def fraction_hint(top: int, bottom: int) -> tuple[str]:
    """The hint for counts that make no rate: a total of 0, or more converted than the total."""
    if bottom == 0:
        return ("the total is 0, so there is no rate this month: write the segment with no "
                "value (nothing to measure), or give the counts the month had",)
    return (f"the first count ({top}) is more than the total ({bottom}): write counts as "
            "converted/total, e.g. \"18/52\"",)


def _reading(
    entry: Entry | Stub, path: tuple[str | int, ...], unit: Unit, raw: Any, problems: Problems,
    percent: bool = False, currency: str = "$",
) -> tuple[float, int | None, int | None] | None:
    """A reading's value (and a rate's counts), or None with its error. ``percent``: the
    indicator is a ratio shown as a percentage, so ``104%`` is 1.04, as its pages show it;
    ``currency``: taxonomy.yml's, which an amount's hint names."""
    if raw == READING_PROMPT:
        # A draft's example reading the team had none to take from, left as written.
        problems.error(*at(entry, path), *reading_prompt_left(
            RATIO_PERCENT if percent else unit.value, len(path) > 2))
        return None
    if percent and percent_of_ratio(raw) is not None:
        raw = percent_of_ratio(raw)
    elif percent and percent_hint(raw) is not None:
        problems.error(*at(entry, path), f"must be a number (got {shown(raw)})",
                       str(percent_hint(raw)))
        return None
    if unit is Unit.RATE and isinstance(raw, str) and COUNTS.fullmatch(raw):
        top, bottom = (int(n) for n in COUNTS.fullmatch(raw).groups())  # type: ignore[union-attr]
        if bottom == 0 or top > bottom:
            problems.error(*at(entry, path), f"{raw!r} is not a rate between 0 and 1",
                           *fraction_hint(top, bottom))
            return None
        return top / bottom, top, bottom
    if unit is Unit.RATE and isinstance(raw, str) and _LONG_FRACTION.fullmatch(raw):
        problems.error(*at(entry, path), TOO_LARGE.format(got=shown(raw)), TOO_LARGE_HINT)
        return None
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        problems.error(*at(entry, path), *_not_a_number(raw, unit, currency))
        return None
    wrong = _figure_problem(raw, unit)
    if wrong is not None:
        problems.error(*at(entry, path), *wrong)
        return None
    value = float(raw)
    if not _check_written(entry, path, value, unit.value, problems,
                          average_hint=fractional_count(value)[1]):
        return None
    return value, None, None


def _figure_problem(raw: int | float, unit: Unit,
                    got: str | None = None) -> tuple[str, str] | None:
    """What is wrong with a reading's number for its unit, as message and hint, if anything:
    too large, a rate outside 0..1, a negative figure (a ratio may be). ``got``: the value as
    the message shows it, when not the number itself (``"23"``, quotes and all)."""
    if out_of_range(raw):
        return TOO_LARGE.format(got=got or shown(raw)), TOO_LARGE_HINT
    value = float(raw)
    if unit is Unit.RATE and not 0 <= value <= 1:
        return f"a rate must be between 0 and 1 (got {got or f'{value:g}'})", rate_hint(value)
    if unit is not Unit.RATIO and value < 0:
        return f"must not be negative (got {got or f'{value:g}'})", "check the sign"
    return None


def _not_a_number(raw: Any, unit: Unit, currency: str = "$") -> tuple[str, str]:
    """The message and hint for a reading that is not a number. A number in quotes
    (``"23"``) that would break the reading's rules without them is told both at once: the
    rule, and its fix without quotes (the quotes alone, dropped, led to the next run's "a
    rate must be between 0 and 1")."""
    number = quoted_number(raw)
    if number is not None:
        wrong = _figure_problem(number, unit, got=shown(raw))
        if wrong is None:
            # A count's figure must be whole (`written_figure`'s one error for a number
            # written plainly): said of the value as written.
            found = written_figure(float(number), unit.value, None,
                                   fractional_count(float(number))[1])
            if found is not None and found[0] is Severity.ERROR:
                wrong = fractional_count(float(number), got=shown(raw))
        if wrong is not None:
            message, hint = wrong
            return message, f"{hint}; write it without quotes"
    return (f"must be a number (got {shown(raw)})",
            schema_errors.typographic_hint(raw) or _number_hint(raw, unit, currency))


def _check_written(entry: Entry | Stub, path: tuple[str | int, ...], value: float | None,
                   unit: str, problems: Problems,
                   average_hint: str = "write the number counted; for an average, write "
                                       "unit: ratio") -> bool:
    """A figure as written in a count, money or days (a reading, a scorecard or plan row),
    checked by `written_figure`. False on an error. ``average_hint`` says where an average's
    unit is given (the row's own, by default)."""
    if value is None:
        return True
    found = written_figure(value, unit, entry.source.doc.dotted.get(path), average_hint)
    if found is None:
        return True
    severity, message, hint = found
    if severity is Severity.ERROR:
        problems.error(*at(entry, path), message, hint)
        return False
    problems.warning(*at(entry, path), message, hint)
    return True


def written_figure(value: float, unit: str, written: str | None, average_hint: str,
                   reader: str = "YAML", about: str = "") -> tuple[Severity, str, str] | None:
    """What is wrong with a figure in a count, money or days, if anything: a count is whole
    (an error), and ``1.200`` is asked about (a warning: it reads as 1.2, and the European
    way of writing twelve hundred is the likelier meaning). ``written``: the text, when it
    is written like that (`yamlpos.looks_dotted`); ``reader``: what reads the point as a
    decimal point (YAML, or a metrics CSV); ``about``: the reading, when the place does not
    say it (a CSV's value column)."""
    if unit not in {u.value for u in _WHOLE_UNITS}:
        return None
    named = f"{written} for {about}" if about else written
    if unit == Unit.COUNT.value and not float(value).is_integer():
        if written is not None:  # 38.800: a thousands separator, most likely
            thousands = int(written.replace(".", "").lstrip("+"))
            return (Severity.ERROR, f"a count must be a whole number ({named} reads as "
                    f"{value:g}: in {reader} the point is a decimal point)",
                    f"if it means {thousands:,}, write {thousands}")
        message, _ = fractional_count(value)
        return Severity.ERROR, message, average_hint
    if written is not None:
        thousands = int(written.replace(".", "").lstrip("+"))
        return (Severity.WARNING,
                f"{named} reads as {value:g}: in {reader} the point is a decimal point",
                f"if it means {thousands:,}, write {thousands}; if {value:g}, write {value:g}")
    return None


_WHOLE_UNITS = {Unit.COUNT, Unit.USD, Unit.USD_PER_DAY, Unit.DAYS}
"""Units whose values are rarely written to three decimals: ``42.500`` there is more likely
forty-two thousand five hundred written the European way than 42.5."""


def fractional_count(value: float, got: str | None = None) -> tuple[str, str]:
    """The message and hint for a count that is not a whole number (``got``: the value as
    the message shows it, when not the number itself)."""
    return (f"a count must be a whole number (got {got or f'{value:g}'})",
            f"write the number counted; for an average, give the indicator unit: ratio in "
            f"{TAXONOMY_FILE}")


_CURRENCY = re.compile(r"[€£¥₹₩₽₺₪]|\b[A-Z]{3}\b|\bkr\b")
"""A currency written with an amount (``€24.000``, ``CHF 900``, ``500 kr``)."""


def _number_hint(raw: Any, unit: Unit, currency: str = "$") -> str:
    """How to write ``raw`` as the plain number a reading needs (``currency``: the one
    taxonomy.yml sets, which the site shows amounts in)."""
    disguised = quoted_number_hint(raw) or disguised_number_hint(
        raw, rate=unit is Unit.RATE, ratio=unit is Unit.RATIO)
    if disguised and unit in (Unit.USD, Unit.USD_PER_DAY) and isinstance(raw, str) \
            and _CURRENCY.search(raw):
        # The number alone loses the currency: the site writes every amount in one. Where
        # taxonomy.yml sets it ("€"), say which: "$ unless set there" read as dollars.
        if currency != "$":
            return f"{disguised}; the site shows amounts in {currency}, {TAXONOMY_FILE}'s `currency:`"
        return (f"{disguised}; the site shows amounts in {TAXONOMY_FILE}'s `currency:` "
                "(\"$\" unless set there)")
    if disguised:
        return disguised
    if unit is Unit.RATE:
        return 'write a rate as a decimal between 0 and 1, or as counts, e.g. "18/52"'
    return "write a plain number"



_DEAL_OUTCOME = {"deal-won": "win", "deal-lost": "loss"}
"""The outcome of a deal post-mortem by its kind (``chose_us`` is checked against the kind
with the deal's other rules)."""


def _check_deal_agrees(entry: Entry, record: Postmortem, taxonomy: Taxonomy,
                       problems: Problems) -> None:
    """A deal won or lost whose outcome says otherwise: the post-mortems index counts it by
    outcome and the win/loss page by its kind, so the site said both. A renewal kept with
    ``outcome: mixed`` is none: it is a renewal kept, smaller (a downgrade)."""
    outcome = _DEAL_OUTCOME.get(record.kind.value)
    if record.kind.value == "deal-won" and record.outcome.value == "mixed" \
            and taxonomy.renewal_kind(record.informs):
        # A renewal kept, smaller (a downgrade): the win/loss page counts it as neither.
        return
    if outcome is not None and record.outcome.value != outcome:
        problems.warning(*at(entry, ("outcome",)),
                         f"is {record.outcome.value}, but the kind is {record.kind.value}",
                         f"a {record.kind.value} post-mortem's outcome is {outcome}; or "
                         "correct the kind")
