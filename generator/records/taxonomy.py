"""The controlled vocabularies: causes, indicators, teams, plan kinds, reasons, assumption categories.

They live in one reviewed file, ``taxonomy.yml``, at the root of the knowledge base. Records
may only use ids from it; an alias of a cause resolves to the cause.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, field_validator

from ..messages import and_list
from ..paths import slugify, umlauts_spelled_out
from . import formula as formulas
from .types import Flag, Month, Quarter, Slug, Text, months_of_quarter


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


class ShownAs(StrEnum):
    """How a ``ratio`` indicator's values are shown (``shown_as:`` in taxonomy.yml)."""

    PERCENT = "percent"  # 1.04 shown as 104.0%, a change of 0.04 as +4.0 pp


RATIO_PERCENT = "ratio_percent"
"""The unit pages, charts and scorecards show a ``ratio`` indicator declared ``shown_as:
percent`` in (`Indicator.shown`): written and checked as a ratio, shown as a percentage. No
record writes it: a row or a taxonomy entry names ``ratio``."""


class Aggregate(StrEnum):
    """How an indicator's segments combine into "all", and its months into a quarter."""

    SUM = "sum"  # counts: the total
    POOLED = "pooled"  # rates: Σ numerators ÷ Σ denominators (a labelled mean without counts)
    MEAN = "mean"
    MEDIAN = "median"
    LAST = "last"  # months only: the quarter's last month
    NONE = "none"  # months only: no quarter figure


class Cadence(StrEnum):
    """How often a team holds its retro (``retros:`` of a team in ``taxonomy.yml``)."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    BIWEEKLY = "biweekly"


def quarter_end(month: str) -> str:
    """The last month of the quarter a ``YYYY-MM`` month falls in (``2026-05`` → 2026-06)."""
    last = (int(month[5:7]) - 1) // 3 * 3 + 3
    return f"{month[:4]}-{last:02d}"


def quarterly_at(since: Mapping[str, str], team_id: object, period: object) -> bool:
    """Whether a retro of ``team_id`` for ``period`` (``YYYY-MM``) is a quarter's, by
    `Taxonomy.quarterly_since` (read once where many readings are asked about)."""
    first = since.get(team_id) if isinstance(team_id, str) else None
    return first is not None and str(period) >= first


OVERALL_SEGMENT = "all"
"""The segment name of a month's overall value of an indicator (stated for an unsegmented one,
combined from the segments of a split one): reserved, so no indicator may list a segment of
that name."""

SEGMENT_AGGREGATES = (Aggregate.SUM, Aggregate.POOLED, Aggregate.MEAN, Aggregate.MEDIAN)
"""The aggregations that can combine segments (``last`` and ``none`` speak of months only)."""


def default_aggregate(unit: Unit) -> Aggregate:
    """The aggregation an indicator gets when its taxonomy entry declares none."""
    return {Unit.COUNT: Aggregate.SUM, Unit.RATE: Aggregate.POOLED}.get(unit, Aggregate.MEAN)


SEGMENT_FORMS = ("(list)", "(mapping)", "(id)", "(named)")
"""The parts an error's location in ``segments`` names for the form it was read as (a list or
a mapping; a list's item an id alone or an id with its name): no field of taxonomy.yml, so
left out where the error is shown (`generator.records.schema_errors`)."""


def _segments_form(value: Any) -> str:
    return SEGMENT_FORMS[1] if isinstance(value, dict) else SEGMENT_FORMS[0]


def _segment_item_form(value: Any) -> str:
    return SEGMENT_FORMS[3] if isinstance(value, dict) else SEGMENT_FORMS[2]


SegmentItem = Annotated[
    Annotated[Slug, Tag(SEGMENT_FORMS[2])]
    | Annotated[dict[Slug, Text], Field(min_length=1, max_length=1), Tag(SEGMENT_FORMS[3])],
    Discriminator(_segment_item_form),
]
"""A segment in a list: its id (``smb``), or its id with the name pages show it by
(``emea-ent: Enterprise EMEA``)."""

Segments = Annotated[
    Annotated[list[SegmentItem], Tag(SEGMENT_FORMS[0])]
    | Annotated[dict[Slug, Text | None], Tag(SEGMENT_FORMS[1])],
    Discriminator(_segments_form),
]
"""An indicator's segments as taxonomy.yml writes them: a list of ids, each with a name or not
(``[smb, mid-market]``, ``- emea-ent: Enterprise EMEA``), or a mapping of ids to names (one
left empty, ``smb:``, has none). The form is chosen by what is written, so an error is told in
the form's terms, not in both."""


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
    """A leading indicator reviewed in monthly retros: how it is measured, how its segments
    and months combine, and (for a derived indicator) the formula it is computed by."""

    id: Slug
    """The id records use under ``indicators:``{e.g. indicator}."""
    label: Text
    """The name shown on pages and charts."""
    unit: Unit
    """How the value is measured: ``rate`` values are shares between 0 and 1, ``usd`` and
    ``usd_per_day`` money in the currency taxonomy.yml names under ``currency:`` (``$``
    unless set{here: currency}), ``ratio`` any other number, which may pass 1 (a percentage
    that passes 100% is a ratio with ``shown_as: percent``)."""
    shown_as: ShownAs | None = None
    """For a ``ratio`` that is a percentage passing 100%, such as net revenue retention:
    ``percent`` shows it as one, as a rate is: 1.04 as 104.0%, its changes in percentage
    points. Records and metrics CSVs still write the decimal, 1.04 (a percentage of 10% or
    more, ``104%``, is read as 1.04); exports keep it, and segments and months combine as any
    ratio's. Left out, a ratio is shown as written, 1.04."""
    better: Better
    """Which direction is good news: ``up`` or ``down``."""
    segment_by: Slug | None = None
    """If readings are split, the dimension they are split by{e.g. dimensions}. A deal's
    ``segment`` and ``icp_tier`` are segments of the indicators split by the dimensions
    ``deals:`` names (``segment`` and ``icp-tier`` unless it names others)."""
    written_segments: Segments = Field(default_factory=list, alias="segments")
    """The allowed segment ids when ``segment_by`` is set, as a list (``[smb, mid-market]``).
    A segment may have a name, which pages, charts and scorecards show instead of its id
    (records and exports keep the id; a metrics CSV may give either): written after its id, as a list's item
    (``- emea-ent: Enterprise EMEA``), or with the segments written as a mapping of ids to
    names (``smb: SMB``; one with nothing after it keeps its id). A name given on one
    indicator is the segment's name on every indicator split by the same dimension; two
    indicators may not name it differently, nor two segments of a dimension alike."""
    aggregate: Aggregate | None = None
    """How segments combine into "all" and months into a quarter: ``sum`` (counts),
    ``pooled`` (rates: Σ numerators ÷ Σ denominators when counts are known, otherwise a
    labelled plain mean), ``mean`` or ``median``. Default: ``sum`` for counts, ``pooled`` for
    rates, ``mean`` for everything else."""
    quarterly: Aggregate | None = None
    """How months combine into a quarter when it differs from ``aggregate``: any of those, or
    ``last`` (the quarter's last month) or ``none`` (no quarter figure). Default: ``aggregate``."""
    formula: str | None = None
    """For a derived indicator: how it is computed from other indicators of the same record,
    with ``*``, ``/``, numbers and parentheses{e.g. formula}. Hindsight computes it
    where a record gives the inputs and warns where a stated value disagrees."""
    description: Text | None = None
    """What the indicator measures and why it leads revenue."""
    retired: Month | None = None
    """The last month the indicator was reported (``YYYY-MM``), once it was retired or
    replaced: its readings, pages and the records citing it stay, but it leaves the latest
    readings and the wrong-way list after that month, a reading of it for a later month is
    a warning, and an action aimed at it no longer waits for readings that will not come."""

    @field_validator("formula")
    @classmethod
    def _parse_formula(cls, text: str | None) -> str | None:
        if text is not None:
            try:
                formulas.parse(text)
            except formulas.FormulaError as exc:  # reported at the field, with the grammar
                raise ValueError(f"{exc}: a formula joins indicator ids and numbers with *, / "
                                 "and parentheses, e.g. sqls / mqls") from None
        return text

    @property
    def segments(self) -> list[str]:
        """The segment ids, in the order written (``segment_by`` set; else none)."""
        written = self.written_segments
        if isinstance(written, dict):
            return list(written)
        return [item if isinstance(item, str) else next(iter(item)) for item in written]

    def segment_key(self, segment: str) -> tuple[int, str]:
        """A sort key putting this indicator's segments in the order taxonomy.yml lists them
        (the company's order: ``smb, mid-market, enterprise``, small to large, not by id):
        the overall ``all`` first, then the listed segments, then any other by id, so an
        order is the same from build to build whatever order the readings came in."""
        if segment == OVERALL_SEGMENT:
            return (-1, "")
        try:
            return (self.segments.index(segment), "")
        except ValueError:
            return (len(self.segments), segment)

    def segment_at(self, place: int) -> tuple[str | int, ...]:
        """Where the segment at ``place`` (in `segments`) stands under ``segments:`` as
        written: its index in a list (``(2,)``), its key in a mapping (``("smb",)``)."""
        written = self.written_segments
        return (list(written)[place],) if isinstance(written, dict) else (place,)

    @property
    def segment_names(self) -> dict[str, str]:
        """The names this indicator gives its segments, by id (a segment written without
        one is left out)."""
        written = self.written_segments
        if isinstance(written, dict):
            return {segment: name for segment, name in written.items() if name is not None}
        return {segment: name for item in written if isinstance(item, dict)
                for segment, name in item.items()}

    @property
    def shown(self) -> str:
        """The unit this indicator's values are shown in: its ``unit``, or `RATIO_PERCENT`
        for a ratio declared ``shown_as: percent``."""
        if self.unit is Unit.RATIO and self.shown_as is ShownAs.PERCENT:
            return RATIO_PERCENT
        return self.unit.value

    @property
    def percent(self) -> bool:
        """Whether this indicator is a ratio shown as a percentage (``shown_as: percent``):
        a reading typed ``104%`` is read as 1.04."""
        return self.shown == RATIO_PERCENT

    @property
    def combine(self) -> Aggregate:
        """How this indicator's segments combine into "all" (declared or by unit)."""
        return self.aggregate or default_aggregate(self.unit)

    @property
    def quarter(self) -> Aggregate:
        """How this indicator's months combine into a quarter."""
        return self.quarterly or self.combine

    @property
    def tree(self) -> formulas.Node | None:
        """The parsed formula of a derived indicator (None for a stated one)."""
        return formulas.parse(self.formula) if self.formula else None


class Team(_Strict):
    """A team that holds retros and owns actions."""

    id: Slug
    """The id records use under ``team:``."""
    name: Text
    """The team's display name."""
    monthly_retros: Flag = False
    """Whether the team holds a monthly retro (a missing month is then a warning)."""
    retros: Cadence | None = None
    """How often the team holds its retro: ``monthly`` (as ``monthly_retros: true``) or
    ``quarterly``: one retro a quarter, its ``period:`` the quarter's last month (``2026-06``
    for April to June), its readings the whole quarter's. A review's scorecard counts it as
    the quarter's three months, a reading is compared with the team's previous quarter, a fix
    is measured on the quarters after it, and a quarter without its retro is a warning (between
    two of its retros, or after its last once the quarter's retro is overdue: 62 days after the
    quarter ended). Left out, the team has no fixed cadence (a retro per campaign, or as
    needed): its retros are read month by month and no month is missing. ``biweekly``: a
    retro every sprint (every two weeks, or more often than monthly), several a month, each
    dated its month (``2026-07-sdr-2.md`` for team sdr's second of July 2026), one of them
    giving the month's readings for the whole month (a second is an error): readings are
    compared month by month, never a sprint's with the next; a missing month is a warning."""
    quarterly_from: Quarter | None = None
    """With ``retros: quarterly``, the first quarter the team met quarterly (``2026-Q3``),
    when it held monthly retros before: its retros of earlier months stay monthly retros, each
    its month's and compared month by month, and from that quarter on it holds one retro a
    quarter, its period the quarter's last month (``2026-09``). Left out, every retro of the
    team is quarterly."""
    aliases: list[Slug] = Field(default_factory=list)
    """Earlier ids of the team (it was renamed): records that use one are this team's, so
    its series, actions and pages carry on across the rename."""
    retired: Month | None = None
    """The last month the team held a retro (``YYYY-MM``), once it was dissolved or split:
    its records, actions and pages stay, but its readings leave the latest readings and the
    wrong-way list after that month, no missing or stopped retro is warned about after it,
    and a retro of it for a later month is a warning (``new retro`` and ``prep`` refuse it)."""


    @property
    def quarterly(self) -> bool:
        """Whether the team holds one retro a quarter (``retros: quarterly``)."""
        return self.retros is Cadence.QUARTERLY

    @property
    def first_quarterly_month(self) -> str | None:
        """The first month (``YYYY-MM``) the team's retros are quarterly from: the first of
        its ``quarterly_from`` quarter, "" when every retro of it is quarterly, None when it
        does not meet quarterly."""
        if not self.quarterly:
            return None
        return months_of_quarter(self.quarterly_from)[0] if self.quarterly_from else ""

    def quarterly_in(self, period: str) -> bool:
        """Whether the team's retro of ``period`` (``YYYY-MM``) is a quarter's: it meets
        quarterly (``retros: quarterly``) and ``period`` is not before ``quarterly_from``."""
        first = self.first_quarterly_month
        return first is not None and period >= first

    @property
    def holds_monthly(self) -> bool:
        """Whether the team holds one retro a month (``monthly_retros: true`` or
        ``retros: monthly``): a missing month is then a warning."""
        return (self.retros in (Cadence.MONTHLY, Cadence.BIWEEKLY)
                or (self.monthly_retros and self.retros is None))

    @property
    def biweekly(self) -> bool:
        """Whether the team holds a retro every sprint (``retros: biweekly``): several a
        month, one of them giving the month's readings."""
        return self.retros is Cadence.BIWEEKLY


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
    renewal: Flag | None = None
    """Whether the plans of this kind are renewals: ``true`` for one named otherwise
    (``retention``, "Keep & grow"), ``false`` for one whose name speaks of renewing but whose
    deals are new business ("Renewal of partner contracts" signing new partners). A deal
    post-mortem informing a plan kind of renewals is a renewal kept or lost, counted on the
    win/loss page apart from new business won or lost. Left out, a plan kind is one of
    renewals when its id or title names them (``renewal``, "Contract renewals")."""

    @property
    def renews(self) -> bool:
        """Whether this plan kind is of renewals: its ``renewal``, or where that is left out,
        whether its id or title names them."""
        if self.renewal is not None:
            return self.renewal
        return "renew" in f"{self.id} {self.title}".casefold()

    @property
    def timeliness_days(self) -> int:
        """The declared ``held_within_days``, or the practice's default for this kind."""
        if self.held_within_days is not None:
            return self.held_within_days
        return HELD_WITHIN_DAYS.get(self.id, HELD_WITHIN_DAYS_OTHERWISE)


class NewArrInputs(_Strict):
    """The indicators the built-in ``new-arr`` scorecard measure multiplies, month by month."""

    won: Slug
    """A ``count`` indicator of the deals won in the month{e.g. won}."""
    deal_size: Slug
    """A ``usd`` indicator of the month's average deal size{e.g. deal_size}."""


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


class DealDimensions(_Strict):
    """Which ``segment_by`` dimension a deal post-mortem's ``segment`` and ``icp_tier`` take
    their values from, and the "Why we win and lose" page counts deals by: each one written
    here must be a dimension some indicator is split by."""

    segment_by: Slug = "segment"
    """The dimension ``deal.segment`` names: its values are the segments of the indicators
    split by it, e.g. ``region`` for ``deal.segment: dach``. Default: ``segment``."""
    icp_tier_by: Slug = "icp-tier"
    """The dimension ``deal.icp_tier`` names, the same way, e.g. ``tier``. Default:
    ``icp-tier``."""


DEAL_DIMENSION_SETTINGS = {"segment": "segment_by", "icp_tier": "icp_tier_by"}
"""A deal's fields filed under a dimension, each with the setting of ``deals:`` naming it."""


def dimension_noun(dimension: str) -> str:
    """A ``segment_by`` dimension as a page says it in a sentence: ``region``, ``ICP tier``."""
    return "ICP tier" if dimension == "icp-tier" else dimension.replace("-", " ")


def dimension_plural(dimension: str) -> str:
    """A ``segment_by`` dimension in the plural, as "all …" says it: ``sources``,
    ``ICP tiers``, ``countries``."""
    noun = dimension_noun(dimension)
    if noun.endswith("y") and noun[-2:-1] not in ("a", "e", "i", "o", "u"):
        return noun[:-1] + "ies"
    if noun.endswith(("s", "x", "z", "ch", "sh")):
        return noun + "es"
    return noun + "s"


def segment_said(indicator: Indicator, segment: str, name: str | None = None) -> str:
    """The segment of ``indicator`` a figure is of, in words: the segment as the taxonomy
    names it (``name``, else its id; `Taxonomy.segment_said` finds the name), "all sources"
    for the overall of an indicator split by source, and "" for one that is not split (there
    is nothing else it could be)."""
    if segment != OVERALL_SEGMENT:
        return name or segment
    return f"all {dimension_plural(indicator.segment_by)}" if indicator.segment_by else ""


def dimension_title(dimension: str) -> str:
    """A ``segment_by`` dimension as a heading or a table column says it: ``Region``."""
    noun = dimension_noun(dimension)
    return noun[:1].upper() + noun[1:]


def retired_after(retired: str | None, month: str) -> bool:
    """Whether something retired after the month ``retired`` (``YYYY-MM``, None: never) is
    retired by ``month``: the month is later than its last."""
    return retired is not None and month > retired


def retired_said(retired: str) -> str:
    """A retired month as pages and messages say it: "retired after October 2026"."""
    # (`formatting.month_name`, which reads this module's units.)
    return f"retired after {dt.date.fromisoformat(retired + '-01'):%B %Y}"


def spelling_key(word: str) -> str:
    """``word`` compared as a person may write it: in any case, a space, ``_`` or ``-``
    between words (``Customer_Success`` → ``customer success``)."""
    return re.sub(r"[\s_-]+", " ", word.strip()).casefold()


def team_named(teams: Sequence[Team], written: str) -> str | None:
    """The id of the team ``written`` names, as a person writes it: by its id, its name or an
    alias, in any case, with a space, ``_`` or ``-`` between words (``Sales``, ``customer
    success``); None when it names none. An id comes before a name, and a name before an
    alias: none takes over an earlier one."""
    found: dict[str, str] = {}
    for spelling in ("id", "name", "aliases"):
        for team in teams:
            written_as = getattr(team, spelling)
            for word in written_as if isinstance(written_as, list) else [written_as]:
                found.setdefault(spelling_key(word), team.id)
    if not written.strip():
        return None
    if spelling_key(written) in found:
        return found[spelling_key(written)]
    # Without the spaces (`서울영업` for `서울 영업`, as owners already match), when that names
    # one team only.
    squeezed = {team_id for key, team_id in found.items() if name_key(key) == name_key(written)}
    return squeezed.pop() if len(squeezed) == 1 else None


def name_key(text: str) -> str:
    """``text`` compared as a name or title, whoever typed it: NFKC (full-width letters and
    digits as the ASCII ones), in any case, without spaces, ``_`` or ``-`` (``東京 営業``,
    ``ＲｅｖＯｐｓ`` and ``Slow event follow-up`` as ``東京営業``, ``revops`` and
    ``sloweventfollowup``)."""
    return re.sub(r"[\s_\-]+", "", unicodedata.normalize("NFKC", text)).casefold()


def one_line(text: str) -> str:
    """``text`` written over several lines, on one: its lines joined by a space, but not
    between two Chinese or Japanese characters, which are written without one (``東京`` and
    ``営業`` make ``東京営業``; ``Enterprise`` and ``EMEA`` ``Enterprise EMEA``, ``서울`` and
    ``영업`` ``서울 영업``, as Korean spaces its words)."""
    joined = ""
    for line in text.split("\n"):
        words = " ".join(line.split())
        if not words:
            continue
        joined += words if not joined or (_unspaced(joined[-1]) and _unspaced(words[0])) \
            else " " + words
    return joined


def _unspaced(char: str) -> bool:
    """Whether ``char`` is of a script written without spaces between words: a wide
    character (a kanji, kana, a full-width sign) that is no Hangul."""
    return unicodedata.east_asian_width(char) in "WF" \
        and not unicodedata.name(char, "").startswith("HANGUL")


VOCABULARIES = {"team": ("teams", "named"), "cause": ("causes", "titled"),
                "indicator": ("indicators", "labelled"), "plan kind": ("plan_kinds", "titled"),
                "reason": ("reasons", "titled"),
                "assumption category": ("assumption_categories", "titled")}
"""Each vocabulary records cite by id: its list in taxonomy.yml, and how its entries are
named there (a team by ``name``, an indicator by ``label``, the others by ``title``)."""


def _with_aliases(items: list[Cause] | list[Reason] | list[Team]) -> dict[str, str]:
    """Every item's id and aliases, each mapped to the item's id (an alias never takes over
    an id, nor an earlier alias)."""
    ids = {item.id: item.id for item in items}
    for item in items:
        for alias in item.aliases:
            ids.setdefault(alias, item.id)
    return ids


class Taxonomy(_Strict):
    """Every controlled vocabulary of the knowledge base."""

    company: Annotated[Text, Field(description="The company the knowledge base belongs to.")]
    causes: list[Cause]
    """The root-cause vocabulary."""
    indicators: list[Indicator]
    """The leading indicators reviewed monthly."""
    teams: list[Team]
    """The teams that write records."""
    plan_kinds: list[PlanKind] = Field(default_factory=list)
    """The kinds of plan lessons apply to, each with its "Before you plan" checklist.
    Optional: a team that writes no plans yet leaves it out (or writes ``plan_kinds: []``);
    its retros, reviews and post-mortems are read as any, but a lesson, which names the plan
    kinds it applies to, and a post-mortem's ``plan_kind`` need one listed here."""
    fix_cadence_days: int = Field(default=30, ge=1, le=366)
    """A cause is flagged "the fix did not stick" only when a record held at least this many
    days after the last of its actions was done cites it again (default 30: one monthly
    cadence, time for a fix to show)."""
    fix_horizon_days: int = Field(default=120, ge=1, le=3660)
    """The flag also needs that record held no more than this many days after the last action
    was done (default 120: four monthly cadences, the quarter in which a fix proves itself). A
    cause back later still counts in the ranking, and its page says it came back (the record,
    and how many days after its last fix was done), as a new occurrence rather than a fix
    that failed."""
    new_arr: NewArrInputs | None = None
    """Where the built-in ``new-arr`` scorecard measure finds deals won and deal size."""
    deals: DealDimensions = Field(default_factory=DealDimensions)
    """Which dimensions a deal's ``segment`` and ``icp_tier`` name (by default ``segment``
    and ``icp-tier``)."""
    currency: Annotated[str, Field(min_length=1, max_length=4)] = "$"
    """The sign money is shown with, before the amount: ``$`` (the default), ``€``, ``£``,
    ``CHF``, ``kr``. The units ``usd`` and ``usd_per_day`` mean money in it (the figures are
    never converted)."""

    @field_validator("glossary", mode="before")
    @classmethod
    def _glossary_left_empty(cls, value: object) -> object:
        # `glossary:` with every term under it commented out is YAML's null: no terms.
        return {} if value is None else value

    @field_validator("plan_kinds", mode="before")
    @classmethod
    def _plan_kinds_left_empty(cls, value: object) -> object:
        # `plan_kinds:` with every kind under it commented out is YAML's null: none yet.
        return [] if value is None else value

    @field_validator("deals", mode="before")
    @classmethod
    def _deals_left_empty(cls, value: object) -> object:
        # `deals:` with every setting under it commented out is YAML's null: the defaults.
        return {} if value is None else value

    @field_validator("currency")
    @classmethod
    def _a_sign(cls, text: str) -> str:
        # A currency sign or letters (a code): it stands in every money cell of every page,
        # so nothing that Markdown or HTML would read as markup (`*`, `[`, `<`, `&`).
        if not all(unicodedata.category(ch) == "Sc" or ch.isalpha() or ch == "."
                   for ch in text) or text.strip(".") == "":
            raise ValueError(f"must be a currency sign or letters, e.g. €, £ or CHF (got "
                             f"{text!r})")
        if any(unicodedata.bidirectional(ch) in ("R", "AL") for ch in text):
            # Right-to-left letters before a number swap the amounts around them on a page
            # ("ر.س 13,900 → ر.س 14,900" read as a fall): the code reads the same everywhere.
            raise ValueError(f"is written right to left ({text!r}), which reorders the amounts "
                             "beside it on a page; write the currency's code instead, e.g. SAR "
                             "or AED")
        return text

    def derived_order(self) -> list[Indicator]:
        """Derived indicators, each after the derived ones it reads (cycles are left out)."""
        return derived_order(self.indicators)
    reasons: list[Reason] = Field(default_factory=list)
    """Why customers chose us or not: the vocabulary of deal post-mortems' ``reasons``."""
    assumption_categories: list[AssumptionCategory] = Field(default_factory=list)
    """The categories assumptions are filed under, for the calibration ledger."""
    glossary: dict[str, Text] = Field(default_factory=dict)
    """The company's own terms, each with its meaning (``PQL: "Product-qualified lead. A
    user whose use of the free plan says they are ready to buy."``, ``Tier-1: "…"``): the
    glossary page lists them all, and a page that ends with the words it uses names each it
    uses, with the first sentence of its meaning. An abbreviation in capitals is found as
    written (``PQLs`` too), any other term in any case (``tier-1``). A term the built-in
    glossary explains (``SQL``) is explained by this meaning instead. A term is at most
    40 characters of plain text on one line; no two may differ by case alone."""

    def reason_ids(self) -> dict[str, str]:
        """Every reason id or alias a deal may give, mapped to the canonical reason id."""
        return _with_aliases(self.reasons)

    def reason(self, reason_id: str) -> Reason:
        """The reason with this canonical id."""
        return next(reason for reason in self.reasons if reason.id == reason_id)

    def category(self, category_id: str) -> AssumptionCategory:
        """The assumption category with this id."""
        return next(c for c in self.assumption_categories if c.id == category_id)

    @property
    def segment_names(self) -> dict[tuple[str, str], str]:
        """Each named segment's name, by its dimension and id (``("region", "emea-ent")`` →
        "Enterprise EMEA"): named on one indicator, a segment has that name on every indicator
        split by the same dimension (the first name given, where two differ: an error)."""
        # Read for every cell of every readings table: kept with the indicators it was read
        # from, so a copy given other indicators (`model_copy(update=...)`, which copies what
        # the instance holds) reads its own.
        kept = self.__dict__.get("_segment_names")
        if kept is None or kept[0] is not self.indicators:
            found: dict[tuple[str, str], str] = {}
            for indicator in self.indicators:
                if indicator.segment_by:
                    for segment, name in indicator.segment_names.items():
                        found.setdefault((indicator.segment_by, segment), name)
            kept = self.__dict__["_segment_names"] = (self.indicators, found)
        names: dict[tuple[str, str], str] = kept[1]
        return names

    def segment_name(self, dimension: str | None, segment: str) -> str:
        """A segment of ``dimension`` as pages show it: its name where taxonomy.yml gives one
        (``Enterprise EMEA``), else its id (``emea-ent``)."""
        return self.segment_names.get((dimension or "", segment), segment)

    def segment_hint(self, dimension: str | None, written: str, choices: Sequence[str],
                     then: str = "") -> str:
        """The hint for ``written`` where a segment id of ``dimension`` belongs but none is: the
        id of the segment it names by its name, in any case or spacing (pages show the name, so
        a record or an export may give it: "write emea-ent: the id of the region named
        Enterprise EMEA"); else the closest of ``choices`` (`did_you_mean`). ``then``, a
        sentence of advice, follows."""
        found = self.segment_named(written, dimension)
        if found is None or found[0] not in choices:
            return did_you_mean(written, set(choices), then)
        return f"{found[2]}. {then}" if then else found[2]

    def segment_named(self, written: str, dimension: str | None = None
                      ) -> tuple[str, str, str] | None:
        """The segment ``written`` names by its name (`name_key`: in any case, spacing or
        width), of ``dimension`` or, without one, of any dimension where that names one id:
        its id, its name and the hint that says so ("write emea-ent: the id of the region
        named Enterprise EMEA"). None when it names none."""
        wanted = name_key(written)
        found = {(of, segment): name for (of, segment), name in self.segment_names.items()
                 if wanted and name_key(name) == wanted and of == (dimension or of)}
        if len({segment for _, segment in found}) != 1:
            return None
        (of, segment), name = next(iter(found.items()))
        return segment, name, f"write {segment}: the id of the {dimension_noun(of)} named {name}"

    def segment_said(self, indicator: Indicator, segment: str) -> str:
        """The segment of ``indicator`` a figure is of, in words (`segment_said`): its name,
        "all sources" for the overall, "" for an indicator not split."""
        return segment_said(indicator, segment,
                            self.segment_names.get((indicator.segment_by or "", segment)))

    def segment_ids(self, dimension: str) -> list[str]:
        """The segment ids of every indicator split by ``dimension``, in taxonomy order."""
        found: dict[str, None] = {}
        for indicator in self.indicators:
            if indicator.segment_by == dimension:
                found.update(dict.fromkeys(indicator.segments))
        return list(found)

    def deal_dimension(self, field_name: str) -> str:
        """The dimension a deal's ``segment`` or ``icp_tier`` (``field_name``) names."""
        return str(getattr(self.deals, DEAL_DIMENSION_SETTINGS[field_name]))

    def cause_ids(self) -> dict[str, str]:
        """Every id or alias a record may cite, mapped to the canonical cause id."""
        return _with_aliases(self.causes)

    def cause(self, cause_id: str) -> Cause:
        """The cause with this canonical id."""
        return next(cause for cause in self.causes if cause.id == cause_id)

    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator with this id."""
        return next(ind for ind in self.indicators if ind.id == indicator_id)

    def team_ids(self) -> dict[str, str]:
        """Every id or alias a record may name a team by, mapped to the team's id."""
        return _with_aliases(self.teams)

    def team_named(self, written: str) -> str | None:
        """The id of the team ``written`` names (`team_named`), or None."""
        return team_named(self.teams, written)

    def id_named(self, vocabulary: str, written: str) -> tuple[str, str] | None:
        """The id of the entry of ``vocabulary`` (a key of `VOCABULARIES`) that ``written``
        names by its name, title or label, an alias or its id typed otherwise (`name_key`:
        ``東京 営業``, ``Slow event follow-up``), with that name; None when it names none, or
        more than one."""
        section, _ = VOCABULARIES[vocabulary]
        wanted = name_key(written)
        found: dict[str, str] = {}
        for entry in getattr(self, section):
            shown = str(getattr(entry, "name", None) or getattr(entry, "title", None)
                        or getattr(entry, "label", entry.id))
            for spelling in (entry.id, shown, *getattr(entry, "aliases", ())):
                if wanted and name_key(spelling) == wanted:
                    found[entry.id] = shown
        return next(iter(found.items())) if len(found) == 1 else None

    def id_hint(self, vocabulary: str, written: str, then: str = "") -> str:
        """The hint for ``written`` where an id of ``vocabulary`` belongs but none is: the id of
        the entry it names (`id_named`: "write tokyo-sales: the id of the team named 東京営業");
        else its spelling as an id when that is one, the closest id when it is close to one,
        or where the ids are listed. ``then``, a sentence of advice, follows."""
        section, named = VOCABULARIES[vocabulary]
        found = self.id_named(vocabulary, written)
        if found is not None:
            hint = f"write {found[0]}: the id of the {vocabulary} {named} {found[1]}"
            return f"{hint}. {then}" if then else hint
        ids: set[str] = {entry.id for entry in getattr(self, section)}
        ids.update(alias for entry in getattr(self, section)
                   for alias in getattr(entry, "aliases", ()))
        spelled = slugify(unicodedata.normalize("NFKC", written))
        if not ids:
            # None listed (`plan_kinds:` left out while a team writes no plans): "the list is
            # empty" named no list. Where to add it says all ``then`` would.
            field = {"named": "name", "labelled": "label"}.get(named, "title")
            return (f"taxonomy.yml lists no {vocabulary} yet: add {spelled or 'it'} to "
                    f"{section} there, with its {field}")
        # `übergabe-lücken` where the taxonomy's id is `uebergabe-luecken`, as German spells
        # ä, ö and ü in an id: the id, not a "did you mean".
        german = umlauts_spelled_out(unicodedata.normalize("NFKC", written))
        for candidate in (spelled, slugify(german) if german is not None else ""):
            if candidate in ids:
                hint = f"as an id it is written {candidate}"
                return f"{hint}. {then}" if then else hint
        if re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", written):
            return did_you_mean(written, ids, then)
        options = sorted(entry.id for entry in getattr(self, section))
        close = difflib.get_close_matches(spelled, options, n=1, cutoff=0.6) if spelled else []
        hint = (self.ids_listed(vocabulary) if not options
                else f"no {vocabulary} in taxonomy.yml has this id, name or alias; "
                + (f"did you mean {close[0]}?" if close else self.ids_listed(vocabulary)))
        return f"{hint}. {then}" if then else hint

    def ids_listed(self, vocabulary: str) -> str:
        """Where the ids of ``vocabulary`` (a key of `VOCABULARIES`) are and the first eight
        of them: "the ids, listed under teams: there, are marketing, sales, …", or
        "taxonomy.yml lists no team under teams:"."""
        section, _ = VOCABULARIES[vocabulary]
        options = sorted(entry.id for entry in getattr(self, section))
        if not options:
            return f"taxonomy.yml lists no {vocabulary} under {section}:"
        listed = ", ".join(options[:8]) + (", …" if len(options) > 8 else "")
        return f"the ids, listed under {section}: there, are {listed}"

    def team(self, team_id: str) -> Team:
        """The team with this id."""
        return next(team for team in self.teams if team.id == team_id)

    def quarterly_teams(self) -> frozenset[str]:
        """The ids of the teams that hold one retro a quarter (``retros: quarterly``), now or
        since their ``quarterly_from`` quarter."""
        return frozenset(team.id for team in self.teams if team.quarterly)

    def quarterly_since(self) -> dict[str, str]:
        """Each team that meets quarterly → the first month its retros are quarterly from
        ("" when all are): `quarterly_at` reads it."""
        return {team.id: team.first_quarterly_month or "" for team in self.teams
                if team.quarterly}

    def quarterly_teams_in(self, period: str) -> frozenset[str]:
        """The ids of the teams whose retro of ``period`` (``YYYY-MM``) is a quarter's."""
        return frozenset(team.id for team in self.teams if team.quarterly_in(period))

    def meets_by_sprint(self, team_id: str | None) -> bool:
        """Whether ``team_id`` (an id or alias) holds a retro every sprint
        (``retros: biweekly``)."""
        canonical = self.team_ids().get(team_id) if team_id is not None else None
        return any(team.id == canonical and team.biweekly for team in self.teams)

    def quarterly_at(self, team_id: str | None, period: str) -> bool:
        """Whether ``team_id``'s retro of ``period`` (``YYYY-MM``) is a quarter's."""
        return quarterly_at(self.quarterly_since(), team_id, period)

    def retired_by(self, month: str, indicator: str | None = None,
                   team: str | None = None) -> str | None:
        """Why readings of ``indicator`` by ``team`` (either may be left out) no longer come
        by ``month`` (``YYYY-MM``): "the indicator was retired after October 2026" or "the
        team was retired after …"; None while both still report."""
        for noun, retired in (
                ("indicator", next((i.retired for i in self.indicators if i.id == indicator),
                                   None)),
                ("team", next((t.retired for t in self.teams if t.id == team), None))):
            if retired is not None and retired_after(retired, month):
                return f"the {noun} was {retired_said(retired)}"
        return None

    def plan_kind(self, kind_id: str) -> PlanKind:
        """The plan kind with this id."""
        return next(kind for kind in self.plan_kinds if kind.id == kind_id)

    def renewal_kind(self, kind_id: str | None) -> bool:
        """Whether the plan kind ``kind_id`` is of renewals (`PlanKind.renews`: its
        ``renewal:``, else its id or title naming them, "Renewals"). A deal post-mortem
        informing one is a renewal kept or lost, counted apart from new business won or
        lost."""
        if kind_id is None:
            return False
        kind = next((k for k in self.plan_kinds if k.id == kind_id), None)
        # A plan kind the taxonomy lacks is an error elsewhere; its id alone is read here.
        return kind.renews if kind is not None else "renew" in kind_id.casefold()

    def held_within_days(self, kind_id: str | None) -> int:
        """Days after the event a post-mortem informing this plan kind should be held by."""
        kind = next((k for k in self.plan_kinds if k.id == kind_id), None)
        if kind is not None:
            return kind.timeliness_days
        return HELD_WITHIN_DAYS.get(kind_id or "", HELD_WITHIN_DAYS_OTHERWISE)


def derived_order(indicators: list[Indicator]) -> list[Indicator]:
    """The derived ones of ``indicators``, each after the derived ones it reads (cycles are
    left out)."""
    by_id = {ind.id: ind for ind in indicators}
    order: list[Indicator] = []
    state: dict[str, int] = {}

    def visit(ind: Indicator) -> bool:
        if ind.tree is None:
            return True
        if ind.id in state:  # 1: being visited (a cycle), 2: ordered, 3: in a cycle
            return state[ind.id] == 2
        state[ind.id] = 1
        ok = all([visit(by_id[n]) for n in formulas.names(ind.tree) if n in by_id])
        state[ind.id] = 2 if ok else 3
        if ok:
            order.append(ind)
        return ok

    for ind in indicators:
        visit(ind)
    return order


def did_you_mean(word: str, choices: list[str] | set[str] | dict[str, str],
                 then: str = "") -> str:
    """A hint naming the closest known id, or listing a few when nothing is close; ``then``,
    a sentence of advice, follows it."""
    options = sorted(choices)
    # The start of one id ("partner" for partner-program) is what was meant, before any id
    # that merely looks alike ("quarter").
    begun = [option for option in options if word and option.startswith(word)] \
        if len(word) >= 3 else []
    close = begun if len(begun) == 1 else difflib.get_close_matches(word, options, n=1,
                                                                    cutoff=0.6)
    if close:
        hint = f"did you mean {close[0]}?"
    else:
        # Cut at 8, the rest counted: "cs-apj, cs-emea, …" hid that 40 teams were known.
        more = len(options) - 8
        shown = ", ".join(options[:8]) + (f" and {more} more" if more > 0 else "")
        hint = f"known: {shown}" if options else "the list is empty"
    if not then:
        return hint
    return hint + (" " if hint.endswith("?") else ". ") + then


def loose_key(word: str) -> str:
    """``word`` compared as a person may type a long name: in any case, without accents
    (NFKD), any dash, punctuation or spacing between words (``Enterprise Sales — Iberia —
    España & Portugal`` → ``enterprise sales iberia espana portugal``)."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", word)
                   if not unicodedata.combining(c))
    return " ".join(re.sub(r"[\W_]+", " ", bare.casefold()).split())


def teams_loosely_named(teams: Sequence[Team], written: str) -> tuple[list[str], bool]:
    """The ids of the teams ``written`` names when `team_named` finds none, and whether it
    names them whole: those whose id, name or an alias is ``written`` as `loose_key` compares
    them (True); failing that, those where it is whole words of one (``iberia``, ``sdr``:
    False). One id named whole is the team; the rest are for the person to choose from."""
    key = loose_key(written)
    if not key:
        return [], False
    spellings = {team.id: [loose_key(w) for w in (team.id, team.name, *team.aliases)]
                 for team in teams}
    whole = [team for team, words in spellings.items() if key in words]
    if whole:
        return whole, True
    return [team for team, words in spellings.items()
            if any(f" {key} " in f" {word} " for word in words)], False


def indicator_problems(indicators: list[Indicator], new_arr: NewArrInputs | None,
                       deals: DealDimensions | None = None
                       ) -> list[tuple[tuple[str | int, ...], str, str]]:
    """Aggregations and formulas that cannot work, ``new_arr`` inputs that are no such
    indicator, and ``deals`` dimensions no indicator is split by: ``(yaml path, message,
    hint)`` each (``indicators``: all of the taxonomy's)."""
    found: list[tuple[tuple[str | int, ...], str, str]] = []
    if deals is not None:
        found += _deal_dimension_problems(indicators, deals)
    by_id = {ind.id: ind for ind in indicators}
    ordered = {ind.id for ind in derived_order(indicators)}
    for index, ind in enumerate(indicators):
        here: tuple[str | int, ...] = ("indicators", index)
        if ind.aggregate is not None and ind.aggregate not in SEGMENT_AGGREGATES:
            found.append(((*here, "aggregate"), f"{ind.aggregate.value} combines months only",
                          f"write it under quarterly: and set aggregate: to "
                          f"{default_aggregate(ind.unit).value} (or leave it out)"))
        for key in ("aggregate", "quarterly"):
            how = getattr(ind, key)
            if how is Aggregate.POOLED and ind.unit is not Unit.RATE:
                found.append(((*here, key), f"pooled combines rates, but the unit is "
                              f"{ind.unit.value}", f"use {default_aggregate(ind.unit).value}"))
            if how is Aggregate.SUM and ind.unit is Unit.RATE:
                found.append(((*here, key), "rates cannot be added up",
                              "use pooled, Σ numerators ÷ Σ denominators, or mean"))
        if ind.shown_as is not None and ind.unit is not Unit.RATIO:
            found.append(((*here, "shown_as"), f"is for a ratio, and the unit is {ind.unit.value}",
                          "a rate is always shown as a percentage: leave shown_as out"
                          if ind.unit is Unit.RATE else
                          "for a percentage that passes 100%, write unit: ratio with "
                          "shown_as: percent; else leave shown_as out"))
        if ind.tree is None:
            continue
        for name in formulas.names(ind.tree):  # each input must exist and split alike
            source = by_id.get(name)
            if source is None:
                found.append(((*here, "formula"), f"unknown indicator {name!r} in the formula",
                              did_you_mean(name, set(by_id))))
            elif name == ind.id:
                found.append(((*here, "formula"), "the formula reads the indicator itself",
                              "a derived indicator is computed from other indicators"))
            elif source.segment_by and ind.segment_by and source.segment_by != ind.segment_by:
                found.append(((*here, "formula"), f"{name} is split by {source.segment_by}, "
                              f"this indicator by {ind.segment_by}",
                              "split both by the same dimension, or leave segment_by out here "
                              "to compute from the overall values"))
        found += _segment_input_problems(ind, here, by_id)
        inputs = formulas.names(ind.tree)
        if ind.id not in ordered and all(n in by_id and n != ind.id for n in inputs):
            loop = ", ".join(n for n in inputs if by_id[n].tree is not None and n not in ordered)
            found.append(((*here, "formula"), f"the formula reads itself back through {loop}",
                          "one indicator in the loop must be stated, not derived"))
    found += _segment_name_problems(indicators)
    if new_arr is not None:
        for key, unit in (("won", Unit.COUNT), ("deal_size", Unit.USD)):
            name = getattr(new_arr, key)
            if name not in by_id:
                found.append((("new_arr", key), f"unknown indicator {name!r}",
                              did_you_mean(name, set(by_id))))
            elif by_id[name].unit is not unit:
                found.append((("new_arr", key), f"{name} is measured in "
                              f"{by_id[name].unit.value}, not {unit.value}",
                              f"name an indicator whose unit is {unit.value}"))
    return found


def _segment_name_problems(indicators: list[Indicator]
                           ) -> list[tuple[tuple[str | int, ...], str, str]]:
    """Segment names that would show two segments alike, or one segment two ways: a name is
    the segment's on every indicator split by its dimension (``smb`` of win-rate and of
    deals-won is one segment), so a second indicator naming it otherwise, or a second segment
    of the dimension with the same name (in any case, spacing or width), is an error at the
    later name."""
    found: list[tuple[tuple[str | int, ...], str, str]] = []
    named: dict[tuple[str, str], tuple[str, str]] = {}  # (dimension, segment) → (name, by)
    alike: dict[tuple[str, str], str] = {}  # (dimension, name_key(name)) → segment
    for index, ind in enumerate(indicators):
        if not ind.segment_by:
            continue
        written = ind.written_segments
        for place, segment in enumerate(ind.segments):
            name = ind.segment_names.get(segment)
            if name is None:
                continue
            here: tuple[str | int, ...] = ("indicators", index, "segments",
                                           *ind.segment_at(place),
                                           *(() if isinstance(written, dict) else (segment,)))
            said = " ".join(name.split())
            if "\n" in name.strip():
                # It heads a table cell, a chart's panel and a deal's "Region: …" line, which a
                # line break would end.
                found.append((here, "runs over several lines",
                              f"write it on one line: {one_line(name)}"))
                continue
            first = named.setdefault((ind.segment_by, segment), (said, ind.id))
            if first[0] != said:
                found.append((here, f"names {segment} {said!r}, but {first[1]} names it "
                              f"{first[0]!r}", f"a segment has one name on every indicator "
                              f"split by {ind.segment_by}: write {first[0]!r} here too, or "
                              "leave the name out here"))
                continue
            other = alike.setdefault((ind.segment_by, name_key(name)), segment)
            if other != segment:
                found.append((here, f"{said!r} is already the name of segment {other}: pages "
                              "would show two segments that read the same",
                              "give each segment its own name"))
    return found


def _segment_input_problems(ind: Indicator, here: tuple[str | int, ...],
                            by_id: dict[str, Indicator]
                            ) -> list[tuple[tuple[str | int, ...], str, str]]:
    """Each segment of a split derived indicator that an input split alike lacks: a segment is
    computed from the same segment of every split input (an input with no segments gives its
    one value to each), so one an input lacks is never computed, and the retros asked to give
    it there fail with an unknown segment. An input may have more segments than it."""
    assert ind.tree is not None
    split_alike = [by_id[name] for name in formulas.names(ind.tree)
                   if name in by_id and name != ind.id and ind.segment_by is not None
                   and by_id[name].segment_by == ind.segment_by]
    found: list[tuple[tuple[str | int, ...], str, str]] = []
    for index, segment in enumerate(ind.segments):
        lacking = [source.id for source in split_alike if segment not in source.segments]
        if lacking:
            found.append(((*here, "segments", *ind.segment_at(index)),
                          f"{segment!r} is no segment of {and_list(lacking, 'or')}, which "
                          f"{ind.id} is computed from", f"add {segment} to the segments of "
                          f"{and_list(lacking)} too, as {ind.id} computes each segment from the "
                          "same segment of its inputs; or remove it here"))
    return found


def split_dimensions(indicators: list[Indicator]) -> list[str]:
    """The dimensions ``indicators`` are split by, in taxonomy order."""
    return list(dict.fromkeys(ind.segment_by for ind in indicators if ind.segment_by))


def _deal_dimension_problems(indicators: list[Indicator], deals: DealDimensions
                             ) -> list[tuple[tuple[str | int, ...], str, str]]:
    """A dimension written under ``deals:`` that no indicator is split by (no deal could give
    a value of it), or one both of a deal's fields would name. A default left out is no
    problem: a knowledge base without segments files no deals by them."""
    found: list[tuple[tuple[str | int, ...], str, str]] = []
    split = split_dimensions(indicators)
    for field_name, setting in DEAL_DIMENSION_SETTINGS.items():
        dimension = getattr(deals, setting)
        if setting not in deals.model_fields_set or dimension in split:
            continue
        # The other field's dimension is no choice: a deal's two fields name two dimensions.
        other = next(getattr(deals, s) for s in DEAL_DIMENSION_SETTINGS.values() if s != setting)
        choices = [d for d in split if d != other]
        found.append((("deals", setting), f"no indicator is split by {dimension!r}",
                      did_you_mean(dimension, choices, f"deal.{field_name} takes the segments "
                                   "of the indicators split by the dimension named here.")
                      if choices else "split an indicator by it (segment_by: and segments:), "
                      "or leave this setting out"))
    if deals.segment_by == deals.icp_tier_by:
        # Only a setting written can make them alike (the defaults differ); point at it.
        setting = "icp_tier_by" if "icp_tier_by" in deals.model_fields_set else "segment_by"
        found.append((("deals", setting), f"{deals.segment_by} is named by both segment_by "
                      "and icp_tier_by", "a deal's segment and ICP tier are two dimensions: "
                      "name another one, or leave this setting out"))
    return found
