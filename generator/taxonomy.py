"""The controlled vocabularies: causes, indicators, teams, plan kinds, reasons, assumption categories.

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


class PlanKind(_Strict):
    """A kind of plan that lessons feed a checklist for."""

    id: Slug
    """The id lessons use under ``applies_to:``."""
    title: Text
    """The checklist page's title, e.g. "Campaigns"."""


class Reason(_Strict):
    """A reason a customer gave for choosing us or not, as deal post-mortems cite it."""

    id: Slug
    """The id deal post-mortems list under ``deal.reasons``, e.g. ``integration-fit``."""
    title: Text
    """A short human title, e.g. "Integration fit"."""
    description: Text | None = None
    """What the reason covers, so two people file the same answer under the same id."""
    aliases: list[Slug] = Field(default_factory=list)
    """Other ids that mean the same reason; they resolve to this one."""


class AssumptionCategory(_Strict):
    """A kind of assumption plans rest on (demand, timeline, channel, pricing…)."""

    id: Slug
    """The id post-mortems give under ``assumptions[].category``, e.g. ``demand``."""
    title: Text
    """A short human title, e.g. "Demand"."""
    description: Text | None = None
    """What belongs in the category."""


SEGMENT_DIMENSIONS = ("segment", "icp-tier")
"""The ``segment_by`` dimensions a deal is filed under (``deal.segment``, ``deal.icp_tier``)."""


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
    reasons: list[Reason] = Field(default_factory=list)
    """Why customers chose us or not: the vocabulary of deal post-mortems' ``reasons``."""
    assumption_categories: list[AssumptionCategory] = Field(default_factory=list)
    """The categories assumptions are filed under, for the calibration ledger."""

    def reason_ids(self) -> dict[str, str]:
        """Every reason id or alias a deal may give, mapped to the canonical reason id."""
        ids = {reason.id: reason.id for reason in self.reasons}
        for reason in self.reasons:
            for alias in reason.aliases:
                ids.setdefault(alias, reason.id)
        return ids

    def reason(self, reason_id: str) -> Reason:
        """The reason with this canonical id."""
        return next(reason for reason in self.reasons if reason.id == reason_id)

    def category(self, category_id: str) -> AssumptionCategory:
        """The assumption category with this id."""
        return next(c for c in self.assumption_categories if c.id == category_id)

    def segment_ids(self, dimension: str) -> list[str]:
        """The segment ids of every indicator split by ``dimension``, in taxonomy order."""
        found: dict[str, None] = {}
        for indicator in self.indicators:
            if indicator.segment_by == dimension:
                found.update(dict.fromkeys(indicator.segments))
        return list(found)

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


def did_you_mean(word: str, choices: list[str] | set[str] | dict[str, str]) -> str:
    """A hint naming the closest known id, or listing a few when nothing is close."""
    options = sorted(choices)
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if close:
        return f"did you mean {close[0]}?"
    shown = ", ".join(options[:8]) + (", …" if len(options) > 8 else "")
    return f"known: {shown}" if options else "the list is empty"
