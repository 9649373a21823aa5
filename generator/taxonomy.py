"""The controlled vocabularies: root causes, leading indicators, teams and plan kinds.

They live in one reviewed file, ``taxonomy.yml``, at the root of the knowledge base. Records
may only use ids from it; an alias of a cause resolves to the cause.
"""

from __future__ import annotations

import difflib
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from .types import Slug, Text


class Better(StrEnum):
    """Which direction of change is good news."""

    UP = "up"
    DOWN = "down"


class Unit(StrEnum):
    """How an indicator's value is measured (and so how it is checked and shown)."""

    RATE = "rate"  # a share between 0 and 1, shown as a percentage
    DAYS = "days"
    COUNT = "count"
    USD = "usd"
    USD_PER_DAY = "usd_per_day"
    RATIO = "ratio"


class Aggregate(StrEnum):
    """How monthly readings roll up into a quarter's figure."""

    MEAN = "mean"
    SUM = "sum"
    LAST = "last"
    NONE = "none"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class Cause(_Strict):
    """A structural root cause that records cite by id."""

    id: Slug
    """The id records cite, e.g. ``icp-drift``."""
    title: Text
    """A short human title, e.g. "ICP drift"."""
    description: Text
    """What the cause is and how it shows up, written so a newcomer recognises it."""
    aliases: list[Slug] = Field(default_factory=list)
    """Other ids that mean the same cause; they resolve to this one."""


class Indicator(_Strict):
    """A leading indicator reviewed in monthly retros."""

    id: Slug
    """The id records use under ``indicators:``, e.g. ``mql-to-sql``."""
    label: Text
    """The name shown on pages and charts."""
    unit: Unit
    """How the value is measured; ``rate`` values are shares between 0 and 1."""
    better: Better
    """Which direction is good news: ``up`` or ``down``."""
    segment_by: Slug | None = None
    """The dimension readings are split by (``source``, ``segment``, ``icp-tier``), if any."""
    segments: list[Slug] = Field(default_factory=list)
    """The allowed segment ids when ``segment_by`` is set."""
    quarterly: Aggregate = Aggregate.MEAN
    """How three monthly readings roll up into a quarter (``mean``, ``sum``, ``last``, ``none``)."""
    description: Text | None = None
    """What the indicator measures and why it leads revenue."""


class Team(_Strict):
    """A team that holds retros and owns actions."""

    id: Slug
    """The id records use under ``team:``."""
    name: Text
    """The team's display name."""
    monthly_retros: bool = False
    """Whether the team holds a monthly retro (a missing month is then a warning)."""


HELD_WITHIN_DAYS = {"deal": 7, "campaign": 14, "event": 14, "webinar": 14, "launch": 14,
                    "pricing": 14}
"""The practice's default timeliness per plan kind: a deal post-mortem within a week of the
close, a campaign, event, launch or rollout within two weeks of its end."""
HELD_WITHIN_DAYS_OTHERWISE = 7
"""For other kinds (and post-mortems of kind ``other``): within a week."""


class PlanKind(_Strict):
    """A kind of plan that lessons feed a checklist for."""

    id: Slug
    """The id lessons use under ``applies_to:``."""
    title: Text
    """The checklist page's title, e.g. "Campaigns"."""
    held_within_days: int | None = Field(default=None, ge=0, le=366)
    """How many days after the event ends a post-mortem of this kind should be held (a later
    one is a warning). Defaults: 7 for deals; 14 for campaigns, events, webinars, launches and
    pricing; 7 otherwise."""

    @property
    def timeliness_days(self) -> int:
        """The declared ``held_within_days``, or the practice's default for this kind."""
        if self.held_within_days is not None:
            return self.held_within_days
        return HELD_WITHIN_DAYS.get(self.id, HELD_WITHIN_DAYS_OTHERWISE)


class Taxonomy(_Strict):
    """Every controlled vocabulary of the knowledge base."""

    company: Annotated[Text, Field(description="The company the knowledge base belongs to.")]
    causes: list[Cause]
    """The root-cause vocabulary."""
    indicators: list[Indicator]
    """The leading indicators reviewed monthly."""
    teams: list[Team]
    """The teams that write records."""
    plan_kinds: list[PlanKind]
    """The kinds of plan lessons apply to."""
    fix_cadence_days: int = Field(default=30, ge=1, le=366)
    """A cause is flagged "the fix did not stick" only when a record held at least this many
    days after the last of its actions was done cites it again (default 30: one monthly
    cadence, time for a fix to show)."""
    fix_horizon_days: int = Field(default=120, ge=1, le=3660)
    """The flag also needs that record held no more than this many days after the last action
    was done (default 120: four monthly cadences, the quarter in which a fix proves itself). A
    cause back later still counts as recurrence on its page and in the ranking, as a new
    occurrence rather than a fix that failed."""

    def cause_ids(self) -> dict[str, str]:
        """Every id or alias a record may cite, mapped to the canonical cause id."""
        ids = {cause.id: cause.id for cause in self.causes}
        for cause in self.causes:
            for alias in cause.aliases:
                ids.setdefault(alias, cause.id)
        return ids

    def cause(self, cause_id: str) -> Cause:
        """The cause with this canonical id."""
        return next(cause for cause in self.causes if cause.id == cause_id)

    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator with this id."""
        return next(ind for ind in self.indicators if ind.id == indicator_id)

    def team(self, team_id: str) -> Team:
        """The team with this id."""
        return next(team for team in self.teams if team.id == team_id)

    def plan_kind(self, kind_id: str) -> PlanKind:
        """The plan kind with this id."""
        return next(kind for kind in self.plan_kinds if kind.id == kind_id)

    def held_within_days(self, kind_id: str | None) -> int:
        """Days after the event a post-mortem informing this plan kind should be held by."""
        kind = next((k for k in self.plan_kinds if k.id == kind_id), None)
        if kind is not None:
            return kind.timeliness_days
        return HELD_WITHIN_DAYS.get(kind_id or "", HELD_WITHIN_DAYS_OTHERWISE)


def did_you_mean(word: str, choices: list[str] | set[str] | dict[str, str]) -> str:
    """A hint naming the closest known id, or listing a few when nothing is close."""
    options = sorted(choices)
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]}?"
    shown = ", ".join(options[:8]) + (", …" if len(options) > 8 else "")
    return f"known: {shown}" if options else "the list is empty"
