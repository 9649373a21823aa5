"""The in-memory knowledge base every later stage reads: validated records and their sources."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .formatting import period_name
from .load import Source
from .schema import Postmortem, Record, Retro, Review
from .taxonomy import Taxonomy


@dataclass(frozen=True)
class Reading:
    """One leading-indicator value from a monthly retro."""

    indicator: str
    segment: str | None
    value: float
    numerator: int | None = None
    """For rates written as counts (``"18/52"``): the count on top."""
    denominator: int | None = None
    """For rates written as counts: the count below."""
    computed: bool = False
    """The record did not state this value: it was computed from the indicator's formula."""
    check: float | None = None
    """For a stated value of a derived indicator: what its formula gives from the record."""


def page_title(kind: str, title: str | None, team: str | None, team_name: str | None,
               period: str, quarterly: bool = False, sprint: str = "") -> str:
    """The title of a retro's or review's page: its ``title:``, else one made of its team
    (``team_name`` from taxonomy.yml, else the id in words) and its period (a retro's
    ``2026-05``, a review's ``2026-Q2``); a retro of a team that meets quarterly
    (``quarterly``) is its quarter's ("EMEA Partners retro — Q2 2026"), one of a team that
    meets every sprint ends with what tells it from the month's others (``sprint``,
    `sprint_mark`: "SDR Team retro — July 2026, sprint 2")."""
    if title:
        return title
    team_words = team_name or (team or "").replace("-", " ").title()
    if kind == "retro":
        return f"{team_words} retro — {period_name(period, quarterly)}{sprint}"
    scope = f"{team_words} " if team else ""
    return f"{scope}Quarterly review — {period}"


def sprint_mark(record_id: str, period: str, team_ids: Collection[str],
                held: dt.date | None) -> str:
    """What an untitled retro of a team that meets every sprint adds to its title, so its
    retros of a month are told apart where they are listed: nothing for the month's first,
    ``<period>-<team>`` (``team_ids``: the team's id and aliases); ", sprint 2" for
    ``<period>-<team>-2``, as `hindsight new retro` names the month's second and titles its
    draft; for a file named otherwise (``2026-07-sdr-wk3``) the day it was held,
    ", held 31 July" (nothing when that is unknown)."""
    for team in team_ids:
        stem = f"{period}-{team}"
        if record_id == stem:
            return ""
        number = record_id.removeprefix(f"{stem}-")
        if number != record_id and number.isascii() and number.isdigit():
            return f", sprint {int(number)}"
    return f", held {held.day} {calendar.month_name[held.month]}" if held else ""


RETRO_CADENCES = ("monthly", "sprint", "quarterly")
"""The cadences a retro is held at (`KnowledgeBase.retro_counts`), in the order pages name
them."""
RETROS_HEADINGS = {"monthly": "Monthly retros", "sprint": "Sprint retros",
                  "quarterly": "Quarterly retros"}
"""The retros list's heading (and its title) when every retro on it is of one cadence."""
RETROS_MIXED = "Retros"
"""Its heading when the list holds retros of more than one cadence."""


def retros_heading(cadences: Collection[str]) -> str:
    """The retros list's heading for retros of ``cadences`` (`KnowledgeBase.retro_cadences`):
    "Monthly retros", "Sprint retros" or "Quarterly retros" when they share one, "Retros"
    when they mix (a sprint team's retros beside a monthly team's are no monthly retros)."""
    if len(cadences) > 1:
        return RETROS_MIXED
    return RETROS_HEADINGS[next(iter(cadences), "monthly")]


@dataclass
class Entry:
    """A record that passed the schema, with where it came from."""

    source: Source
    record: Record
    readings: list[Reading] = field(default_factory=list)
    team_name: str | None = None
    """The team's name from taxonomy.yml ("RevOps"), for a title the record does not give."""
    quarterly: bool = False
    """Whether the record is a retro of a team that meets quarterly (``retros: quarterly``):
    its period is shown as its quarter ("Q2 2026"), not its month."""
    sprint_mark: str = ""
    """What an untitled retro of a team that meets every sprint adds to its title to be told
    from the month's others (`sprint_mark`: ", sprint 2")."""

    @cached_property
    def id(self) -> str:
        """The record id (its file name without ``.md``)."""
        # Cached: every rule across records and every link looks it up, for every record.
        return self.source.id

    @property
    def path(self) -> str:
        """The record's path relative to the knowledge-base root."""
        return self.source.path

    @property
    def type(self) -> str:
        """``retro``, ``review`` or ``postmortem``."""
        return self.record.type

    @property
    def date(self) -> dt.date:
        """The date the record was held."""
        return self.record.date

    @property
    def team(self) -> str | None:
        """The team the record belongs to, if any."""
        return self.record.team

    @property
    def title(self) -> str:
        """The title shown on pages."""
        record = self.record
        if isinstance(record, Postmortem):
            return record.name
        return page_title(record.type, record.title, record.team, self.team_name, record.period,
                          self.quarterly, self.sprint_mark)

    @property
    def period_name(self) -> str:
        """A retro's period as pages show it: ``June 2026``, or ``Q2 2026`` for a team that
        meets quarterly; a review's ``2026-Q2``; "" for a post-mortem."""
        period = getattr(self.record, "period", "")
        if self.type != "retro" or not period:
            return str(period or "")
        return period_name(str(period), self.quarterly)

    @cached_property
    def sort_key(self) -> tuple[dt.date, str]:
        """Date order, ties broken by id, so every listing is deterministic."""
        return (self.date, self.id)


def retro_cadence(entry: Entry, sprint_teams: Collection[str]) -> str:
    """How a retro's team met when it held it (one of `RETRO_CADENCES`): ``quarterly`` for a
    retro of a team meeting quarterly then, ``sprint`` for one of ``sprint_teams`` (the ids
    of the teams holding ``retros: biweekly``), else ``monthly``."""
    return ("quarterly" if entry.quarterly else
            "sprint" if entry.team in sprint_teams else "monthly")


@dataclass
class KnowledgeBase:
    """Every valid record of the knowledge base and its vocabularies."""

    root: Path
    taxonomy: Taxonomy
    entries: list[Entry]
    as_of: dt.date
    derived: dict[str, object] = field(default_factory=dict)
    """Facts computed once from every entry and shared by later stages (e.g. the actions as
    they stand, which validation needs for its overdue warnings and linking needs again)."""

    def as_it_stood(self, keep: Collection[str] = ()) -> KnowledgeBase:
        """The knowledge base as it stood on its as-of day: the records held by then.

        A record held after that day (a build dated between records, or a year typed wrong,
        which validation warns about) had not been written yet: the site built as of that day
        has no page for it, lists it nowhere and counts none of what it says, as the register
        leaves out the actions it raises. Itself when every record was held by then, so what
        was computed from it is kept.

        ``keep``: ids of records kept even when held later, the records `hindsight recall`
        recalls for (a pull request's may be held after a date pinned in mkdocs.yml): what
        they cite is read against the rest as it stood, and their own updates are still not
        given (`generator.records.actions.link_actions`).
        """
        held = [entry for entry in self.entries if entry.date <= self.as_of or entry.id in keep]
        if len(held) == len(self.entries):
            return self
        return KnowledgeBase(root=self.root, taxonomy=self.taxonomy, entries=held,
                             as_of=self.as_of)

    def held_later(self) -> list[Entry]:
        """The records held after the as-of day, in date order (left out by `as_it_stood`)."""
        return [entry for entry in self.entries if entry.date > self.as_of]

    def by_id(self) -> dict[str, Entry]:
        """Entries by record id."""
        return {entry.id: entry for entry in self.entries}

    @property
    def retros(self) -> list[Entry]:
        """Retros in date order."""
        return [e for e in self.entries if isinstance(e.record, Retro)]

    @property
    def retro_counts(self) -> dict[str, int]:
        """How many retros were held at each cadence their teams met at then, in the order
        pages name them: ``monthly`` (also a team with no fixed cadence, whose retros are read
        month by month), ``sprint`` (``retros: biweekly``) and ``quarterly`` (a retro of a team
        meeting quarterly then); a cadence no retro was held at is left out."""
        # Records name their team by its id here: validation resolved the aliases.
        sprint = {team.id for team in self.taxonomy.teams if team.biweekly}
        counts = dict.fromkeys(RETRO_CADENCES, 0)
        for entry in self.retros:
            counts[retro_cadence(entry, sprint)] += 1
        return {cadence: count for cadence, count in counts.items() if count}

    @property
    def retro_cadences(self) -> frozenset[str]:
        """How the retros' teams met when they held them (the keys of `retro_counts`)."""
        return frozenset(self.retro_counts)

    @property
    def reviews(self) -> list[Entry]:
        """Quarterly reviews in date order."""
        return [e for e in self.entries if isinstance(e.record, Review)]

    @property
    def postmortems(self) -> list[Entry]:
        """Named post-mortems in date order."""
        return [e for e in self.entries if isinstance(e.record, Postmortem)]
