"""The record schema: monthly retros, quarterly reviews and named post-mortems.

Every model forbids unknown fields (a typo is an error, not silently ignored) and every
field has a docstring: those texts feed ``hindsight schema``, the record-format docs page and
the comments in ``hindsight new`` skeletons. An example of a vocabulary id is marked
``{e.g. <slot>}`` and filled from the knowledge base's own taxonomy
(`generator.records.field_docs`), never written out: the sample's ids are not another
company's.

Vocabulary ids (teams, causes, indicators, plan kinds) are checked against ``taxonomy.yml``
in `generator.records.validate`, where a did-you-mean hint can be given.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema, model_validator

from .types import (
    EMPTY_IF_NONE,
    NO_MAPPING_IF_NONE,
    ActionId,
    Day,
    Flag,
    Held,
    Moment,
    Month,
    Number,
    Quarter,
    Slug,
    Text,
    TextList,
)


class _Strict(BaseModel):
    model_config = ConfigDict(
        extra="forbid", use_attribute_docstrings=True, populate_by_name=False
    )


class Status(StrEnum):
    """Where an action stands."""

    OPEN = "open"
    IN_PROGRESS = "in-progress"
    DONE = "done"
    DROPPED = "dropped"


class RetroFormat(StrEnum):
    """The facilitation format a monthly retro used."""

    STOP_START_CONTINUE = "stop-start-continue"
    FIVE_WHYS = "five-whys"
    GOOD_BAD_UGLY = "good-bad-ugly"
    WENT_WELL_DIDNT = "went-well-didnt"

    @property
    def fields(self) -> tuple[str, ...]:
        """The lists a retro of this format fills in (a draft offers these)."""
        return {"stop-start-continue": ("stop", "start", "continue"),
                "good-bad-ugly": ("good", "bad", "ugly")}.get(
            self.value, ("went_well", "didnt_go_well"))


class PostmortemKind(StrEnum):
    """What a named post-mortem looks back on."""

    CAMPAIGN = "campaign"
    EVENT = "event"
    WEBINAR = "webinar"
    DEAL_WON = "deal-won"
    DEAL_LOST = "deal-lost"
    LAUNCH = "launch"
    PRICING = "pricing"
    QUARTER = "quarter"
    OTHER = "other"

    @property
    def plan_kind(self) -> str | None:
        """The plan kind this post-mortem's lessons inform by default."""
        return {"deal-won": "deal", "deal-lost": "deal", "other": None}.get(self.value, self.value)


class Outcome(StrEnum):
    """How the event turned out against its plan."""

    WIN = "win"
    LOSS = "loss"
    MIXED = "mixed"


class Direction(StrEnum):
    """Which direction of a number is good news."""

    UP = "up"
    DOWN = "down"


class CauseCitation(_Strict):
    """A root cause this record found, with the 5-whys chain that led to it."""

    cause: Slug
    """The cause id from taxonomy.yml (an alias works too){e.g. cause}."""
    whys: TextList
    """The 5-whys chain, from the symptom down to the structural cause (up to five steps)."""
    note: Text | None = None
    """Anything specific to this occurrence of the cause."""

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, data: Any) -> Any:
        # `- icp-drift` is shorthand for `- cause: icp-drift`.
        return {"cause": data} if isinstance(data, str) else data


class Action(_Strict):
    """A change someone committed to. Without an owner and a due date it does not exist."""

    id: ActionId
    """An id unique across the whole knowledge base: by custom the team, the month raised and
    a number{e.g. action_id}."""
    title: Text
    """What will be done, as a short imperative sentence."""
    owner: Text
    """The one person accountable for it (a name, not a team)."""
    due: Day
    """The date it is due, ``YYYY-MM-DD``."""
    status: Status = Status.OPEN
    """``open``, ``in-progress`` (started, still open), ``done`` or ``dropped``."""
    done_on: Day | None = None
    """The date it was done, if known (only with ``done``; without it the action counts as
    done on the date this record was held)."""
    cause: Slug | None = None
    """The root cause it addresses (a cause id{e.g. cause}), if any."""
    indicator: Slug | None = None
    """The leading indicator it should move (an indicator id{e.g. indicator}), if any: once it
    is done, Hindsight compares the raising team's readings before and after."""
    segment: Slug | None = None
    """The segment of that indicator it aims at (one of the indicator's segments{e.g. segment}),
    if any."""
    team: Slug | None = None
    """The team that owns it; defaults to the record's team."""
    note: Text | None = None
    """Context, or why it was dropped."""


class ActionUpdate(_Strict):
    """A later record's update to an action raised earlier, by id."""

    id: ActionId
    """The id of the action being updated."""
    status: Status
    """Its new status: ``open``, ``in-progress``, ``done`` or ``dropped``."""
    done_on: Day | None = None
    """The date it was done, if known (only with ``done``; without it the action counts as
    done on the date of this record: "done by" this record)."""
    due: Day | None = None
    """A new due date, if it was moved."""
    owner: Text | None = None
    """Who is accountable from now on, when the action is handed over (its owner left or
    moved on): from this record's date it shows on their owner page and counts in their
    follow-through, its earlier owner named beside it."""
    team: Slug | None = None
    """The team that answers for it from now on, when it is handed to another team (its team
    was retired or merged into another, or a reorg moved the work): a team id from
    taxonomy.yml, not one retired before this record's month. From this record's date it is
    on that team's page, in its follow-through and its next retro's prep, and no longer
    needs a new owner; its first due date stays, so lateness from before the hand-over
    counts for the team it was handed to, as for an owner."""
    note: Text | None = None
    """What happened."""


class ReplacedLesson(_Strict):
    """Which earlier lesson a lesson replaces: ``replaces: <record id>`` is read as
    ``{record: <record id>}``."""

    record: Slug
    """The id of the record whose lesson this one replaces (its file name without ``.md``)."""
    lesson: int | None = Field(default=None, ge=1)
    """Which of that record's lessons, where it has several for the same plan kinds: 1 for the
    first under its ``lessons:``, 2 for the second…"""


def _record_id_alone(value: Any) -> Any:
    # `replaces: 2026-03-dmexco`, the usual spelling, is the mapping with its record alone.
    return {"record": value} if isinstance(value, str) else value


_REPLACES_SCHEMA = {"anyOf": [ReplacedLesson.model_json_schema()["properties"]["record"],
                              ReplacedLesson.model_json_schema(), {"type": "null"}],
                    "default": None}
"""A record id, or the mapping naming one of its lessons, as `hindsight schema` gives it."""


class Lesson(_Strict):
    """Something learned, written as advice for the next plan of its kind."""

    lesson: Text
    """The lesson as a sentence someone planning can act on."""
    applies_to: list[Slug] = Field(min_length=1)
    """The plan kinds it applies to (ids from taxonomy.yml){e.g. plan_kinds}."""
    replaces: Annotated[ReplacedLesson | None, BeforeValidator(_record_id_alone),
                        WithJsonSchema(_REPLACES_SCHEMA)] = None
    """An earlier record whose lesson this one contradicts or supersedes (its id, the file
    name without ``.md``): that lesson leaves the checklists, and its record's page says it
    was replaced, and by which record. Where that record has several lessons, the one for
    the same plan kinds is meant; if that is still more than one, say which:
    ``{record: <id>, lesson: 2}`` for its second."""



class Assumption(_Strict):
    """A belief the plan rested on, checked after the fact."""

    statement: Text
    """What we assumed, as it was believed at the time."""
    held: Held
    """``true`` if it turned out right, ``false`` if not, ``unknown`` if it is too early to
    tell (a renewal a year out): listed as not known yet, and counted in no calibration and
    on no checklist until a later edit says ``true`` or ``false``."""
    category: Slug | None = None
    """What kind of assumption it was (an id from ``assumption_categories`` in
    taxonomy.yml{e.g. categories}): the calibration ledger counts how often each kind holds."""
    note: Text | None = None
    """What actually happened."""


class TimelineEntry(_Strict):
    """One fact in the order things happened."""

    when: Moment
    """A date ``YYYY-MM-DD`` or a date and time ``YYYY-MM-DD HH:MM``."""
    what: Text
    """What happened."""


class Builtin(StrEnum):
    """A quarter figure Hindsight computes itself for a scorecard row."""

    NEW_ARR = "new-arr"
    ACTION_FOLLOW_THROUGH = "action-follow-through"


BUILTIN_UNITS = {Builtin.NEW_ARR.value: "usd", Builtin.ACTION_FOLLOW_THROUGH.value: "rate"}
"""The unit a scorecard row of each built-in measure is written in."""


class Measure(_Strict):
    """A planned number next to what happened (a plan-vs-actual or scorecard row)."""

    metric: Text
    """What was measured, e.g. "New ARR"."""
    goal: Number
    """What the plan said."""
    actual: Number | None = None
    """What happened. Required, except in a review's scorecard row that names an
    ``indicator`` or a ``measure``: left out, it is filled in from the quarter's months."""
    unit: Text
    """The unit: ``usd`` (money, in the currency taxonomy.yml names under ``currency:``,
    ``$`` unless set{here: currency}; never converted), ``usd_per_day`` (money per day),
    ``count``, ``rate`` (a share, 0–1), ``days`` or ``ratio``, each shown its own way. Any
    other (``months``, ``hours``) is shown after the number as written; money written in a
    currency's name (``eur``), a percentage (``percent``) or a misspelt unit (``day``) is
    warned about."""
    better: Direction = Direction.UP
    """Which direction is good news: ``up`` or ``down``. Left out, it is the indicator's
    (``better:`` in taxonomy.yml) for a row that names an ``indicator``, else ``up``."""
    indicator: Slug | None = None
    """The leading indicator this row aggregates, if any: its monthly readings of the quarter
    roll up here with the indicator's declared aggregation, shown beside ``actual``."""
    segment: Slug | None = None
    """With ``indicator``: one segment of it instead of the overall value{e.g. segment}."""
    measure: Builtin | None = None
    """A figure Hindsight computes from the quarter instead of an indicator: ``new-arr``
    (deals won × average deal size, summed over the quarter's months, with the indicators
    named under ``new_arr:`` in taxonomy.yml) or ``action-follow-through`` (the share of
    actions first due in the quarter that were done by the review date; dropped ones left out)."""


class Deal(_Strict):
    """For deal post-mortems: who the customer was and why they chose us or not."""

    customer: Text
    """The prospect or customer."""
    chose_us: Flag
    """Whether they chose us."""
    why: Text
    """Why they chose us, or did not, in the customer's terms."""
    competitor: Text | None = None
    """The competitor we were up against (or lost to)."""
    reasons: Annotated[list[Slug], EMPTY_IF_NONE] = Field(default_factory=list)
    """The reasons the customer gave, as ids from ``reasons`` in taxonomy.yml (an alias works
    too){e.g. reasons}."""
    segment: Slug | None = None
    """The customer's segment: an id from the segments of the indicators split by the
    dimension ``deals.segment_by`` in taxonomy.yml names (``segment`` unless it names
    another, such as ``region``){e.g. deal_segment}."""
    icp_tier: Slug | None = None
    """The customer's ICP tier: an id from the segments of the indicators split by the
    dimension ``deals.icp_tier_by`` in taxonomy.yml names (``icp-tier`` unless it names
    another){e.g. deal_tier}."""
    value: Number | None = None
    """The deal's annual value, in the currency taxonomy.yml names (US dollars by
    default{here: currency})."""


class _Record(_Strict):
    """What every record has."""

    causes: Annotated[list[CauseCitation], EMPTY_IF_NONE] = Field(default_factory=list)
    """The root causes found, each a cause id with an optional 5-whys chain."""
    actions: Annotated[list[Action], EMPTY_IF_NONE] = Field(default_factory=list)
    """The actions raised, each with an owner and a due date."""
    action_updates: Annotated[list[ActionUpdate], EMPTY_IF_NONE] = Field(default_factory=list)
    """Status updates to actions raised in earlier records."""
    lessons: Annotated[list[Lesson], EMPTY_IF_NONE] = Field(default_factory=list)
    """Lessons for the next plan, each naming the plan kinds it applies to (and, under
    ``replaces:``, an earlier record whose lesson it supersedes)."""
    related: Annotated[list[Slug], EMPTY_IF_NONE] = Field(default_factory=list)
    """Ids (file names without ``.md``) of related records."""


class Retro(_Record):
    """A monthly retro: the team's cadence review of its leading indicators."""

    type: Literal["retro"]
    """Always ``retro``."""
    period: Month
    """The month reviewed, ``YYYY-MM``."""
    team: Slug
    """The team (an id from taxonomy.yml)."""
    title: Text | None = None
    """An optional title; defaults to "<Team> retro — <Month YYYY>"."""
    held: Day
    """The date the retro was held."""
    facilitator: Text
    """Who facilitated."""
    participants: TextList
    """Who took part."""
    format: RetroFormat
    """``stop-start-continue``, ``five-whys``, ``good-bad-ugly`` or ``went-well-didnt``."""
    indicators: Annotated[dict[str, Any], NO_MAPPING_IF_NONE] = Field(default_factory=dict)
    """Leading-indicator readings: ``id: value``, or ``id: {segment: value}``; rates may be
    written as counts, ``"18/52"``. A segment with nothing to measure this month (no deals)
    is written with no value: no reading, not a 0."""
    went_well: TextList
    """What went well."""
    didnt_go_well: TextList
    """What did not go well."""
    good: TextList
    """Good (good/bad/ugly format)."""
    bad: TextList
    """Bad (good/bad/ugly format)."""
    ugly: TextList
    """Ugly: the thorny issues (good/bad/ugly format)."""
    stop: TextList
    """What to stop doing."""
    start: TextList
    """What to start doing."""
    continue_: TextList = Field(default_factory=list, alias="continue")
    """What to keep doing."""

    @property
    def date(self) -> dt.date:
        """The date the record speaks for."""
        return self.held


class Review(_Record):
    """A quarterly business review: plan vs actual, the big lessons, next quarter's priorities."""

    type: Literal["review"]
    """Always ``review``."""
    period: Quarter
    """The quarter reviewed, ``YYYY-Qn``: a calendar quarter (Q1 is January to March of
    ``YYYY``), whatever month the company's fiscal year starts."""
    team: Slug | None = None
    """The team (an id from taxonomy.yml); leave out for a company-wide review."""
    title: Text | None = None
    """An optional title; defaults to "Quarterly review — <quarter>"."""
    held: Day
    """The date the review was held."""
    facilitator: Text
    """Who ran the review."""
    participants: TextList
    """Who took part."""
    scorecard: list[Measure] = Field(min_length=1)
    """Plan vs actual for the quarter's goals (new ARR, pipeline, NRR, CAC…)."""
    priorities: TextList
    """Priority changes for next quarter."""
    external_factors: TextList
    """External and seasonal factors that shaped the quarter."""
    annual_goals: Text | None = None
    """How the quarter ties back to the year's goals."""

    @property
    def date(self) -> dt.date:
        """The date the record speaks for."""
        return self.held

    @property
    def checks_actuals(self) -> bool:
        """Whether a scorecard row has both a typed actual and an indicator or measure the
        quarter's records compute it from (`validate` warns where the two disagree)."""
        return any(m.actual is not None and (m.indicator or m.measure) for m in self.scorecard)


class Postmortem(_Record):
    """A named post-mortem of a campaign, event, deal, launch, pricing change or quarter."""

    type: Literal["postmortem"]
    """Always ``postmortem``."""
    name: Text
    """A memorable name: what people will call it when they look for its lessons."""
    kind: PostmortemKind
    """``campaign``, ``event``, ``webinar``, ``deal-won``, ``deal-lost``, ``launch``,
    ``pricing``, ``quarter`` or ``other``."""
    outcome: Outcome
    """``win``, ``loss`` or ``mixed``: wins deserve post-mortems too. A deal post-mortem's is
    its kind's (``win`` for ``deal-won``, ``loss`` for ``deal-lost``), but for a renewal kept,
    smaller (a downgrade): ``deal-won`` with ``plan_kind`` a plan kind of renewals and
    ``outcome: mixed``, counted on the win/loss page as neither kept nor lost, with its reasons
    and lessons of its own."""
    plan_kind: Slug | None = None
    """The plan kind this post-mortem informs (an id from ``plan_kinds`` in taxonomy.yml, which
    may be a kind of your own{e.g. own_plan_kind}): its checklist, assumption calibration and
    ``held_within_days``. Left out, it follows ``kind``: ``deal-won`` and ``deal-lost`` inform
    ``deal``, ``other`` none, any other kind the plan kind of the same id. A deal post-mortem
    informing a plan kind of renewals (``renewal: true`` on it in taxonomy.yml, or, left out,
    its id or title names them: ``renewal``) is a renewal kept or lost, counted on the
    win/loss page apart from new business."""
    summary: Text
    """Two or three sentences: what happened and what it means."""
    team: Slug
    """The team that ran it (an id from taxonomy.yml)."""
    event_ended: Day
    """The date the campaign, event or deal ended."""
    held: Day
    """The date the post-mortem was held: within its plan kind's ``held_within_days`` of
    ``event_ended`` (by default 7 days for a deal, 14 for a campaign, event, webinar, launch or
    pricing change, 7 otherwise)."""
    keeper: Text
    """The keeper of the post-mortem: who facilitated."""
    participants: TextList
    """Who took part."""
    timeline: Annotated[list[TimelineEntry], EMPTY_IF_NONE] = Field(default_factory=list)
    """The facts in order, agreed before any opinion."""
    plan_vs_actual: Annotated[list[Measure], EMPTY_IF_NONE] = Field(default_factory=list)
    """The numbers the plan promised next to what happened."""
    good: TextList
    """The good."""
    bad: TextList
    """The bad."""
    ugly: TextList
    """The ugly: the thorny issues."""
    went_well: TextList
    """What went well (instead of good/bad/ugly)."""
    didnt_go_well: TextList
    """What did not go well (instead of good/bad/ugly)."""
    assumptions: Annotated[list[Assumption], EMPTY_IF_NONE] = Field(default_factory=list)
    """The assumptions the plan rested on, and whether they held."""
    deal: Deal | None = None
    """For ``deal-won`` and ``deal-lost``: the customer, why they chose us or not, the
    competitor."""
    start: TextList
    """What to start doing next time."""
    stop: TextList
    """What to stop doing next time."""

    @property
    def date(self) -> dt.date:
        """The date the record speaks for."""
        return self.held

    @property
    def informs(self) -> str | None:
        """The plan kind it informs: ``plan_kind``, else the default of its ``kind``."""
        return self.plan_kind or self.kind.plan_kind


Record = Retro | Review | Postmortem
MODELS: dict[str, type[Retro] | type[Review] | type[Postmortem]] = {
    "retro": Retro,
    "review": Review,
    "postmortem": Postmortem,
}
FOLDER_OF_TYPE = {"retro": "retros", "review": "retros", "postmortem": "postmortems"}

# Other words a writer uses for a type, compared in lowercase without spaces, hyphens or
# underscores: `Retro`, `retrospective`, `post-mortem` and `QBR` can mean one type only.
_TYPE_WORDS = {
    "retro": ("retro", "retros", "retrospective", "retrospectives", "monthlyretro",
              "monthlyretrospective"),
    "review": ("review", "reviews", "quarterlyreview", "qbr", "businessreview",
               "quarterlybusinessreview"),
    "postmortem": ("postmortem", "postmortems"),
}
_TYPE_OF_WORD = {word: kind for kind, words in _TYPE_WORDS.items() for word in words}


def intended_type(value: object) -> str | None:
    """The type a ``type:`` value can only mean (``Retro``, ``retrospective``, ``Post-Mortem``),
    or None when it is no type's spelling. The exact spellings are the types themselves."""
    if not isinstance(value, str):
        return None
    word = "".join(ch for ch in value.casefold() if ch not in " \t-_")
    return _TYPE_OF_WORD.get(word)


class Common(_Record):
    """The fields every type of record has, each optional here: a record whose type is unknown
    is still checked on them, so its other errors come in the same run as the type's."""

    team: Slug | None = None
    """The team (an id from taxonomy.yml)."""
    held: Day | None = None
    """The date the record was held."""
    participants: TextList
    """Who took part."""


COMMON_FIELDS = frozenset(Common.model_fields)
"""The front-matter fields whose meaning does not depend on the record's type."""
