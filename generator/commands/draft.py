"""``hindsight prep``: next month's retro draft with the numbers, the agenda and the carry-over.

The draft holds the month's readings (from a CSV export, when given, read by `metrics_csv`),
the indicators that moved the wrong way against last month and the trailing 3-month mean, the
team's open and overdue actions carried over by id, and the causes cited in the last three
months.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

import pandas as pd

from ..analysis.analyze import ALL, COLUMNS, Mover, add_overall, trends, wrong_way
from ..analysis.link import Links
from ..records.actions import ActionState
from ..records.corpus import KnowledgeBase
from ..records.corpus_rules import compared_months, segment_months
from ..records.derived import derive
from ..records.formatting import format_delta, format_value, period_name
from ..records.schema import Retro, RetroFormat
from ..records.segments import additive
from ..records.types import previous_month
from ..site.figures import record_month
from ..site.render import render_template
from .metrics_csv import AsWritten, MetricsFile
from .skeleton import (
    DEFAULT_RETRO_FORMAT,
    Examples,
    examples,
    latest_written,
    readings_given_said,
    reported_last,
    retro_file,
    retro_title,
    sprint_suffix,
    write_new,
)


@dataclass
class AgendaItem:
    """An indicator that moved the wrong way, with its numbers."""

    label: str
    segment: str
    """The segment as the team reads it: its name in taxonomy.yml, else its id (``all``)."""
    value: str
    prior: str
    """The prior reading, with its month when that is not the month before (after a pause)."""
    trailing: str
    vs_prior: str
    vs_trailing: str


@dataclass(frozen=True)
class GivenReading:
    """One reading an earlier retro of the month gave, as the draft's briefing shows it."""

    label: str
    segment: str
    value: str


@dataclass(frozen=True)
class GivenReadings:
    """The month's readings, given by an earlier retro of the month of a team that meets
    every sprint (``retros: biweekly``): a later sprint's draft shows them, and where they
    were given, instead of asking for them again (a month's readings are given once)."""

    path: str
    """The record that gives them (``retros/2026-09-sdr.md``)."""
    record: str
    """That record's id (``2026-09-sdr``)."""
    title: str
    held: dt.date
    readings: list[GivenReading]


def readings_given(kb: KnowledgeBase, team: str, period: str) -> GivenReadings | None:
    """The readings of ``period`` a retro of ``team``, a team that meets every sprint, gives
    already, or None (no such team, or none of its retros of the month gives readings).

    ``kb`` is the whole knowledge base, not as it stood on its as-of day: a retro held after
    that day gives the month's readings all the same, and a second retro giving them is an
    error whatever the day (`hindsight validate`)."""
    if not kb.taxonomy.meets_by_sprint(team):
        return None
    entry = next((e for e in kb.retros if e.team == team and isinstance(e.record, Retro)
                  and e.record.period == period and e.readings), None)
    if entry is None:
        return None
    shown = []
    for reading in entry.readings:
        indicator = kb.taxonomy.indicator(reading.indicator)
        value = format_value(reading.value, indicator.shown)
        if reading.numerator is not None and reading.denominator is not None:
            value += f" ({reading.numerator}/{reading.denominator})"
        shown.append(GivenReading(indicator.label, reading.segment or ALL, value))
    return GivenReadings(entry.path, entry.id, entry.title, entry.date, shown)


def agenda(kb: KnowledgeBase, readings: pd.DataFrame, team: str, period: str,
           metrics: MetricsFile | None) -> tuple[str, list[AgendaItem], list[AgendaItem]]:
    """The wrong-way movers for the draft: this month's if readings were given, else last's;
    and the readings with no 3-month trend yet (a team's second month, or back after a
    pause) that are worse than the team's last reading, which the movers cannot list: a fall
    of 21 points after eight months away, or a new team's meetings falling from 79 to 40 in
    its second month, read as "no indicator moved the wrong way"."""
    frame = readings
    target = period
    if metrics is not None:
        # What the draft will hold once it is a record: derived indicators computed from the
        # CSV's inputs (SQLs and MQLs give MQL→SQL conversion), as validation computes them.
        given, _, _ = derive(metrics.readings, kb.taxonomy)
        extra = pd.DataFrame([
            {"period": period, "team": team, "indicator": r.indicator,
             "segment": r.segment or ALL, "value": r.value, "numerator": r.numerator,
             "denominator": r.denominator, "record": "draft"} for r in given
        ], columns=COLUMNS)
        base = frame[(frame["segment"] != ALL) | ~frame["indicator"].isin(
            [i.id for i in kb.taxonomy.indicators if i.segment_by])]
        frame = add_overall(pd.concat([base, extra], ignore_index=True), kb.taxonomy)
    else:
        # The team's latest readings: the month's own where an earlier sprint retro of it
        # gave them (`readings_given`), else an earlier month's.
        earlier = frame[(frame["team"] == team) & (frame["period"] <= period)]
        target = str(earlier["period"].max()) if not earlier.empty else period
    table = trends(frame, kb.taxonomy) if not frame.empty else None
    movers: list[Mover] = overall_first(wrong_way(table, target, team, taxonomy=kb.taxonomy)) \
        if table is not None else []
    items = []
    quarterly = kb.taxonomy.quarterly_at(team, target)
    # A quarterly team's prior is its previous quarter's retro: named only when further back.
    step_back = previous_month(previous_month(previous_month(target))) if quarterly \
        else previous_month(target)
    for mover in movers:
        moved = kb.taxonomy.indicator(mover.indicator)
        unit = moved.shown
        prior = format_value(mover.prior, unit)
        if mover.prior_period and mover.prior_period != step_back:
            prior += f" ({period_name(mover.prior_period, quarterly)})"
        items.append(AgendaItem(
            label=moved.label, segment=kb.taxonomy.segment_name(moved.segment_by, mover.segment),
            value=format_value(mover.value, unit), prior=prior,
            trailing=format_value(mover.trailing_mean, unit),
            vs_prior=format_delta(mover.value - mover.prior, unit),
            vs_trailing=format_delta(mover.value - mover.trailing_mean, unit),
        ))
    untrended = []
    if table is not None:
        # "new": too few earlier readings for a trailing mean (TRAILING_MIN), whether the
        # team began a month ago or came back from a pause; the prior may be months back.
        worse = table[(table["period"] == target) & (table["team"] == team)
                      & (table["verdict"] == "new") & (table["vs_prior_verdict"] == "worse")]
        rows = worse.to_dict("records")
        first: dict[str, int] = {}
        for place, row in enumerate(rows):
            first.setdefault(str(row["indicator"]), place)
        # Each indicator's overall first, then its segments in the taxonomy's order, as the
        # site's readings tables list them (by id, "amer, apac, emea", they read unlike them).
        rows.sort(key=lambda row: (first[str(row["indicator"])], kb.taxonomy.indicator(
            str(row["indicator"])).segment_key(str(row["segment"]))))
        for row in rows:
            indicator = kb.taxonomy.indicator(str(row["indicator"]))
            now, last = float(row["value"]), float(row["prior"])
            untrended.append(AgendaItem(
                label=indicator.label,
                segment=kb.taxonomy.segment_name(indicator.segment_by, str(row["segment"])),
                value=format_value(now, indicator.shown),
                prior=f"{format_value(last, indicator.shown)} "
                      f"({period_name(str(row['prior_period']), quarterly)})",
                trailing="–", vs_prior=format_delta(now - last, indicator.shown),
                vs_trailing="–"))
    return target, items, untrended


def overall_first(movers: list[Mover]) -> list[Mover]:
    """One team's ``movers`` (worst first) with each indicator's rows together, its overall
    ``all`` first and its segments after, still worst first: as the site's readings tables
    list an indicator's month, overall then segments. Indicators stay in the order of their
    worst row. Worst first alone put the overall among the segments: "Americas, all, Reply
    rate's all, APAC, EMEA", an indicator's rows split by another's."""
    first: dict[str, int] = {}
    for place, mover in enumerate(movers):
        first.setdefault(mover.indicator, place)
    # Stable: the segments keep their order, worst first, ties by the taxonomy's order.
    return sorted(movers, key=lambda m: (first[m.indicator], m.segment != ALL))


def carried_over(links: Links, team: str) -> list[ActionState]:
    """The actions still open that the team owns, and those its own records raised for
    another team (``team: revops`` in Marketing's post-mortem), oldest due first: the team
    that raised an action reviews it too, and any record may update it. Listed by owner
    alone, Marketing's draft left out the routing fix its roadshow post-mortem gave RevOps
    (46 days overdue), and a team that holds no retros had its actions in no draft. One
    handed to another team (``action_updates[].team``) is that team's alone: the hand-over
    is the raising team letting it go."""
    return sorted((s for s in links.actions.values()
                   if s.is_open and (s.team == team
                                     or (s.entry.team == team and not s.team_handovers))),
                  key=lambda s: (s.due, s.id))


def owned_elsewhere(state: ActionState, team: str, team_names: dict[str, str]) -> str:
    """``owned by RevOps`` for an action carried over into ``team``'s draft that another
    team owns (its own records raised it); empty for the team's own."""
    if state.team is None or state.team == team:
        return ""
    return f"owned by {team_names.get(state.team, state.team)}"


RECURRING = 3
"""How many causes the team did not cite the draft names from the rest of the company: at 40
teams the company cites 80 causes a quarter, and listing all of them (74 "not by this team")
buried the team's own four."""


@dataclass(frozen=True)
class RecentCause:
    """A cause cited in the three months before a retro's month."""

    id: str
    title: str
    own: list[str]
    """The ids of the team's records citing it in those months."""
    others: list[str]
    """The ids of the other records citing it in those months."""
    teams: int
    """How many teams' records cite it in those months (the team's included)."""

    @property
    def total(self) -> int:
        """How many records cite it in those months, company-wide."""
        return len(self.own) + len(self.others)

    @property
    def spread(self) -> str:
        """"15 records of 12 teams": how widely it was cited in those months."""
        records = f"{self.total} record{'s' * (self.total != 1)}"
        if not self.teams:  # only the company's quarterly reviews, which have no team
            return records
        return f"{records} of {self.teams} team{'s' * (self.teams != 1)}"


@dataclass(frozen=True)
class RecentCauses:
    """The causes a retro's draft recalls: the team's own, then a few recurring elsewhere."""

    own: list[RecentCause]
    """The causes the team cited in the three months, those it cited most first, then
    those cited most company-wide."""
    recurring: list[RecentCause]
    """At most `RECURRING` causes the team did not cite that other records cited more than
    once in those months, most cited first."""
    more: int
    """How many other causes were cited in those months and are not listed."""


def recent_causes(kb: KnowledgeBase, links: Links, period: str, team: str) -> RecentCauses:
    """The causes cited in the three months before ``period``: those ``team``'s records
    cited, then the few other records cited most (recurring: more than once), and how many
    more were cited."""
    months = []
    month = period
    for _ in range(3):
        month = previous_month(month)
        months.append(month)
    found = []
    for stats in links.causes_ranked():
        recent = [c.entry for c in stats.citations if record_month(c.entry) in months]
        if recent:
            found.append(RecentCause(
                stats.cause.id, stats.cause.title,
                own=[e.id for e in recent if e.team == team],
                others=[e.id for e in recent if e.team != team],
                teams=len({e.team for e in recent if e.team})))
    own = sorted((c for c in found if c.own), key=lambda c: (-len(c.own), -c.total))
    # Stable sort: equal counts keep the ranking of causes_ranked (all-time count, recency).
    elsewhere = sorted((c for c in found if not c.own and c.total > 1), key=lambda c: -c.total)
    recurring = elsewhere[:RECURRING]
    return RecentCauses(own, recurring, len(found) - len(own) - len(recurring))


def segments_given_last(kb: KnowledgeBase, team: str, period: str) -> dict[str, list[str]]:
    """For each split indicator the team gave before ``period``, the segments its next month
    must give (in the taxonomy's order): those its latest month gave, as validation compares
    the next month with them (`generator.records.corpus_rules.compared_months`).

    A segment that month wrote with no value (``enterprise:``, nothing to measure) is one of
    them only where validation warns when the next month leaves it out: a total or pooled
    counts, after a month that gave the segment. After a month that left it out, or for a
    mean of segments, the month is compared as if it were not written, and an export that
    leaves it out again was refused for a segment validation does not ask for."""
    pooled = additive(kb.taxonomy)
    earlier = [e for e in kb.retros if e.team == team and isinstance(e.record, Retro)
               and e.record.period < period]
    order = {i.id: i.segments for i in kb.taxonomy.indicators}
    wanted: dict[str, list[str]] = {}
    for (_, indicator), months in segment_months(earlier, kb.taxonomy).items():
        compared = compared_months(months, indicator in pooled)[-1]
        wanted[indicator] = [s for s in order[indicator] if s in compared]
    return wanted


def write_draft(kb: KnowledgeBase, links: Links, readings: pd.DataFrame, team: str,
                period: str, held: dt.date, facilitator: str,
                metrics: MetricsFile | None, format: str = DEFAULT_RETRO_FORMAT,
                before: str = "", given: GivenReadings | None = None) -> Path:
    """Render and write ``retros/<period>-<team>.md``; refuses to overwrite.

    ``before`` is the "Before you start" comment block put at the top of the front matter.
    ``given``: the month's readings an earlier retro of it gives (`readings_given`), which
    the draft asks for no more; ``readings`` holds them, even when that retro was held after
    the as-of day.
    """
    target, items, untrended = agenda(kb, readings, team, period, metrics)
    team_name = kb.taxonomy.team(team).name
    team_names = {t.id: t.name for t in kb.taxonomy.teams}
    path = retro_file(kb.root, kb.taxonomy, team, period)
    # A team that meets quarterly reviews a quarter, compared with its previous quarter.
    quarterly = kb.taxonomy.quarterly_at(team, period)
    # Without a CSV the agenda is the team's latest retro, a month's for a team that met
    # monthly before its quarterly_from quarter.
    by_quarter = kb.taxonomy.quarterly_at(team, target)
    month = period_name(period, quarterly)
    from_csv = metrics is not None
    # One title for title: and the body's heading: a later sprint's heading lacked its
    # ", sprint 2".
    sprint = sprint_suffix(path, team, period)
    title = retro_title(team_name, period, quarterly) + sprint
    text = render_template("prep.md.j2",
        team=team, team_name=team_name, period=period, month=month, held=held.isoformat(),
        title=json.dumps(title, ensure_ascii=False), heading=title, sprint=sprint,
        format=format,
        format_fields=RetroFormat(format).fields,
        facilitator=json.dumps(facilitator, ensure_ascii=False),
        indicators=block_yaml(metrics.values) if metrics else "",
        agenda=items, agenda_period=target,
        agenda_month=period_name(target, by_quarter),
        agenda_source=_agenda_source(kb, team, target),
        step="quarter" if quarterly else "month",
        agenda_step="quarter" if by_quarter else "month",
        from_csv=from_csv, untrended=untrended,
        # Without a CSV the agenda is the team's latest retro: name its month, not "this month".
        value_label=("This quarter" if quarterly else "This month") if from_csv
        else period_name(target, by_quarter),
        prior_label=("Last quarter" if quarterly else "Last month") if from_csv
        else "Quarter before" if by_quarter else "Month before",
        actions=carried_over(links, team), as_of=kb.as_of, before=before,
        elsewhere=lambda state: owned_elsewhere(state, team, team_names),
        causes=recent_causes(kb, links, period, team), md=_md,
        example=_with_cause(examples(kb.taxonomy, reported_last(kb.retros, team, period), period,
                                     written=latest_written(kb.retros, team, period),
                                     quarterly=quarterly),
                            links, team),
        earlier_retros=len(_earlier_retros(kb, team, period)), given=given,
        given_said=partial(readings_given_said, held=held),
    )
    return write_new(path, text)


def _with_cause(example: Examples, links: Links, team: str) -> Examples:
    """``example`` with the cause its commented ``causes:`` line names: the one ``team``'s
    records cited most, else the one the knowledge base cited most, else the taxonomy's first
    as before. The taxonomy's first cause is often another team's (Customer Success was shown
    the SDR team's hand-off gaps), and an example is uncommented as often as it is read."""
    ranked = links.causes_ranked()  # most cited first, then most recent, then by id
    own = sorted(((sum(1 for c in stats.citations if c.entry.team == team), i, stats)
                  for i, stats in enumerate(ranked)), key=lambda t: (-t[0], t[1]))
    if own and own[0][0]:
        return replace(example, cause=own[0][2].cause.id)
    if ranked:
        return replace(example, cause=ranked[0].cause.id)
    return example


def _agenda_source(kb: KnowledgeBase, team: str, target: str) -> str:
    """Where the readings of ``target`` that a draft without its own reads its agenda from
    were given, for a team that meets every sprint: the retro giving them, titled as the site
    titles it, "retros/2026-09-bdr-3.md (BDR Pod retro — September 2026, sprint 3, held
    2026-10-02)". Empty for another team, whose retro of the month is its latest retro: a
    sprint team's latest may give no readings, and "the team's latest retro" named no sprint."""
    if not kb.taxonomy.meets_by_sprint(team):
        return ""
    source = next((e for e in kb.retros if e.team == team and isinstance(e.record, Retro)
                   and e.record.period == target and e.readings), None)
    if source is None:
        return ""
    return f"{source.path} ({_md(source.title)}, held {source.date.isoformat()})"


def _earlier_retros(kb: KnowledgeBase, team: str, period: str) -> list[Retro]:
    """The team's retros of the months before ``period``."""
    return [e.record for e in kb.retros if e.team == team and isinstance(e.record, Retro)
            and e.record.period < period]


def block_yaml(values: dict[str, object], indent: int = 2) -> str:
    """Readings as block-style YAML, one per line: numbers plain, counts quoted ("18/52"), a
    segment with nothing to measure with no value."""
    lines = []
    for key, value in values.items():
        if isinstance(value, dict):
            lines.append(f"{' ' * indent}{key}:")
            lines.append(block_yaml(value, indent + 2))
        elif value is None:
            lines.append(f"{' ' * indent}{key}:  # {NO_READING_NOTE}")
        else:
            lines.append(f"{' ' * indent}{key}: {_yaml_scalar(value)}")
    return "\n".join(lines)


NO_READING_NOTE = "nothing to measure this month: no reading"
"""The comment beside a segment the draft writes with no value."""


def _yaml_scalar(value: object) -> str:
    if isinstance(value, AsWritten):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a YAML string


def _md(value: object) -> str:
    from ..escape import md

    return md(value)
