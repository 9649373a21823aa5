"""``hindsight new``: write a valid, commented skeleton record, never over an existing file."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ConfigError
from ..records.corpus import Entry, Reading, page_title
from ..records.field_docs import with_examples
from ..records.formatting import period_name
from ..records.load import TAXONOMY_FILE
from ..records.naming import postmortem_slug
from ..records.placeholders import (
    CUSTOMER_PROMPT,
    DEAL_WHY_PROMPT,
    READING_PROMPT,
    annual_goals_example,
    scorecard_example,
    summary_prompt,
)
from ..records.schema import (
    MODELS,
    Assumption,
    Deal,
    Postmortem,
    PostmortemKind,
    Retro,
    RetroFormat,
)
from ..records.taxonomy import (
    Indicator,
    Taxonomy,
    Unit,
    retired_after,
)
from ..records.types import months_of_quarter, previous_month, quarter_of_month
from ..records.units import figure_as_written, reading_as_written

DEFAULT_RETRO_FORMAT = RetroFormat.FIVE_WHYS.value
"""The format ``new retro`` and ``prep`` both write unless told otherwise: a monthly retro runs
5 Whys on the indicators that moved the wrong way."""

if TYPE_CHECKING:
    import jinja2


@cache
def _templates() -> jinja2.Environment:
    """The skeleton templates; built (and Jinja imported) only when a draft is written, not by
    every command the CLI runs."""
    import jinja2

    templates = jinja2.Environment(
        loader=jinja2.PackageLoader("generator", "templates"),
        keep_trailing_newline=True,
        # A line holding only a block tag leaves no blank line in the draft (an example that
        # does not apply left one where it stood).
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # YAML and Markdown, not HTML; values are JSON-quoted where they land
    )
    # A JSON string is a YAML double-quoted string. Jinja's own `tojson` escapes < > & ' for
    # HTML (O'Neil would read O\u0027Neil in the draft); a draft is YAML, so only JSON's
    # escapes apply, and "—" and accents stay readable.
    templates.filters["yaml"] = lambda value: json.dumps(value, ensure_ascii=False)
    return templates


def field_doc(model: str, name: str, taxonomy: Taxonomy | None = None) -> str:
    """A schema field's description on one line (for comments in skeletons), its examples of
    vocabulary ids taken from ``taxonomy`` (none without one)."""
    # Record types by name (``Postmortem``), nested models by class name (``Deal``).
    models = {cls.__name__: cls for cls in (*MODELS.values(), Assumption, Deal)}
    info = models[model].model_fields[name]
    text = with_examples(info.description or "", taxonomy)
    return " ".join(text.replace("``", "").split())


_YEAR = re.compile(r"\d{4}")


def record_file(root: Path, folder: str, stem: str, year: int | str,
                same: Iterable[str] = (), instead: str = "pick another period, team or name"
                ) -> Path:
    """Where a new record ``stem`` goes: ``<folder>/<stem>.md``, or ``<folder>/<year>/…`` when
    the knowledge base keeps that folder's records in year folders (it has one). A record of
    that id anywhere else is refused: record ids are file names, unique across folders. So is
    one of the ``same`` ids (the same team's month under an earlier id of the team). The
    refusal says to edit that file or ``instead``."""
    for name in (stem, *same):
        for other in ("retros", "postmortems"):
            base = root / other
            found = next(base.rglob(f"{name}.md"), None) if base.is_dir() else None
            if found is not None:
                earlier = " (the same team's retro, under its earlier id)" if name != stem else ""
                raise ConfigError(f"{found.relative_to(root).as_posix()} already exists{earlier}; "
                                  f"not overwriting it (edit that file, or {instead})")
    base = root / folder
    by_year = base.is_dir() and any(child.is_dir() and _YEAR.fullmatch(child.name)
                                     for child in base.iterdir())
    return base / str(year) / f"{stem}.md" if by_year else base / f"{stem}.md"


def retro_file(root: Path, taxonomy: Taxonomy | None, team: str, period: str) -> Path:
    """Where a new retro of ``team`` for ``period`` goes (`record_file`): for a team that
    meets every sprint (``retros: biweekly``) whose retro of the month is there already, its
    next, ``<period>-<team>-2.md`` and on; for any other team that retro is refused."""
    stem = f"{period}-{team}"
    same = earlier_ids(taxonomy, team, period)
    if taxonomy is None or not taxonomy.meets_by_sprint(team):
        # A retro is named by its month and team alone: there is no name to pick.
        return record_file(root, "retros", stem, period[:4], same,
                           "pick another period or team; a team that holds more than one "
                           f"retro a month says retros: biweekly in {TAXONOMY_FILE}")
    n = 1
    while True:
        try:
            return record_file(root, "retros", stem if n == 1 else f"{stem}-{n}", period[:4],
                               same if n == 1 else [f"{name}-{n}" for name in same])
        except ConfigError:
            n += 1


def sprint_suffix(path: Path, team: str, period: str) -> str:
    """What a draft's title adds for a sprint team's second retro of a month and on
    (``<period>-<team>-2.md``: ", sprint 2"), so its retros of the month are told apart."""
    found = re.fullmatch(re.escape(f"{period}-{team}") + r"-(\d+)", path.stem)
    return f", sprint {found[1]}" if found else ""


def next_action_number(path: Path, prefix: str) -> int:
    """The first action number free in the month of a new retro at ``path``: 1, or for a
    sprint team's next retro of the month one past those its earlier retros of the month
    (``<period>-<team>[-n].md`` beside it) gave, so a draft's example id is not theirs."""
    stem = path.stem.rsplit("-", 1)[0] if re.search(r"-\d+$", path.stem[8:]) else path.stem
    used = [0]
    for other in path.parent.glob(f"{stem}*.md"):
        if other != path and re.fullmatch(re.escape(stem) + r"(-\d+)?", other.stem):
            text = other.read_text(encoding="utf-8", errors="replace")
            used += [int(n) for n in re.findall(
                rf"\bid:\s*['\"]?{re.escape(prefix)}-(\d+)\b", text)]
    return max(used) + 1


def write_new(path: Path, text: str) -> Path:
    """Create ``path`` with ``text``; refuse, with a clear error, if it already exists. Nothing
    is left behind when it cannot be written."""
    # Encoded before the file is created: text that cannot be written as UTF-8 left a 0-byte
    # record that every command then refused ("has no front matter"), and `new` would not
    # write over.
    data = text.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # "x" mode: the file is created only if it does not exist, atomically.
        handle = path.open("xb")
    except FileExistsError:
        raise ConfigError(f"{path.as_posix()} already exists; not overwriting it "
                          "(edit that file, or pick another period, team or name)") from None
    try:
        with handle:
            handle.write(data)
    except BaseException:
        # A full disk or an interrupt mid-write: no half-written record in its place.
        path.unlink(missing_ok=True)
        raise
    return path


def _render(template: str, taxonomy: Taxonomy | None, **values: object) -> str:
    return _templates().get_template(template).render(
        doc=partial(field_doc, taxonomy=taxonomy), **values)


@dataclass(frozen=True)
class ScorecardExample:
    """A review's commented scorecard row that names one of the knowledge base's indicators."""

    metric: str
    goal: str | None
    """Near the latest reading; None where the knowledge base has none (left to fill in)."""
    unit: str
    indicator: str
    segment: str | None
    """One of the indicator's segments, when it has some."""
    fill: str = "a plain number"
    """How its figures are written (`figure_as_written`), said where the goal is left to fill
    in."""


@dataclass(frozen=True)
class Examples:
    """The ids a draft's commented examples use, from the knowledge base's own taxonomy (an
    example naming another company's indicator or cause fails validation once uncommented).
    Where the taxonomy has no id of a kind, its example is empty and the draft says so."""

    readings: list[str] = field(default_factory=list)
    """Example lines under ``indicators:`` (``id: value``), at most two: each value the team's
    latest reading of it, else `READING_PROMPT`."""
    readings_note: str = ""
    """What the example readings are, where they come from and what to write in their place,
    for the comment above them."""
    indicator: str | None = None
    cause: str | None = None
    plan_kind: str | None = None
    """The taxonomy's first plan kind."""
    scorecard: ScorecardExample | None = None
    """A scorecard row on an indicator (none when the taxonomy has no indicator)."""
    plan_kinds: tuple[str, ...] = ()
    """Up to two plan kinds, for a review's example lesson."""
    lesson: str = ""
    """A review's example lesson, for those plan kinds."""
    assumption_category: str | None = None
    """A post-mortem's example assumption's category (the taxonomy's first)."""
    reasons: tuple[str, ...] = ()
    """Up to two of the reasons a deal may give."""
    deal_segment: str | None = None
    """A segment of the indicators split by the dimension ``deals.segment_by`` names (a
    deal's ``segment:``)."""
    icp_tier: str | None = None
    """A segment of the indicators split by the dimension ``deals.icp_tier_by`` names (a
    deal's ``icp_tier:``)."""
    deal_dimensions: tuple[str, str] = ("segment", "icp-tier")
    """The dimensions a deal's ``segment`` and ``icp_tier`` take their values from."""


Latest = Mapping[tuple[str, str | None], float]
"""The latest reading of each indicator and segment (None: stated unsegmented), as
`latest_readings` gives them."""


def latest_readings(entries: Iterable[Entry], until: str) -> dict[tuple[str, str | None], float]:
    """The latest value the retros among ``entries`` give each indicator and segment for a
    month up to ``until`` (``YYYY-MM``): what a review draft's example goal, and a post-mortem
    draft's example plan-vs-actual row, are taken from."""
    latest: dict[tuple[str, str | None], tuple[str, float]] = {}
    for entry in entries:
        record = entry.record
        if not isinstance(record, Retro) or record.period > until:
            continue
        for reading in entry.readings:
            key = (reading.indicator, reading.segment)
            if key not in latest or record.period > latest[key][0]:
                latest[key] = (record.period, reading.value)
    return {key: value for key, (_, value) in latest.items()}


@dataclass(frozen=True)
class Written:
    """A team's latest reading of one indicator, as a retro draft offers it."""

    period: str
    """The month of the retro that gave it."""
    values: dict[str | None, str]
    """Its value of each segment it gave (None: of the indicator given whole), as YAML
    writes it: a rate given as counts as its counts (``"34/96"``)."""


def _as_written(reading: Reading) -> str:
    """A reading's value as a draft's example writes it."""
    if reading.numerator is not None and reading.denominator is not None:
        return f'"{reading.numerator}/{reading.denominator}"'
    value = reading.value
    return str(int(value)) if value.is_integer() else repr(value)


def latest_written(entries: Iterable[Entry], team: str, period: str) -> dict[str, Written]:
    """``team``'s latest reading of each indicator its retros among ``entries`` gave before
    ``period``, as written: what a retro draft offers as its example readings
    (`examples`). Of one month, each indicator: a segment its latest month left empty is
    not taken from a month before it. Values computed from a formula are left out: the record
    did not give them."""
    found: dict[str, Written] = {}
    for entry in entries:
        record = entry.record
        if entry.team != team or not isinstance(record, Retro) or record.period >= period:
            continue
        given: dict[str, dict[str | None, str]] = {}
        for reading in entry.readings:
            if not reading.computed:
                given.setdefault(reading.indicator, {})[reading.segment] = _as_written(reading)
        for indicator, values in given.items():
            known = found.get(indicator)
            if known is None or record.period > known.period:
                found[indicator] = Written(record.period, values)
            elif record.period == known.period:  # a sprint team's other retro of the month
                known.values.update(values)
    return found


def reported_last(entries: Iterable[Entry], team: str, period: str) -> list[str]:
    """The indicators ``team``'s retros among ``entries`` of its latest month before ``period``
    gave, in the order they gave them (none: it has no retro before it): what a retro draft
    offers as its example readings, `new retro`'s as `prep`'s. Every retro of that month: of
    a team that meets every sprint only one gives the month's readings, and the month's first
    sprint alone, giving none, left the draft's example readings to the taxonomy's first
    indicators, which the team may never report."""
    earlier = [entry.record for entry in entries if entry.team == team
               and isinstance(entry.record, Retro) and entry.record.period < period]
    last = max((retro.period for retro in earlier), default=None)
    return list(dict.fromkeys(indicator for retro in earlier if retro.period == last
                              for indicator in retro.indicators))


def deals_inform(entries: Iterable[Entry]) -> list[str | None]:
    """The plan kind each deal post-mortem among ``entries`` informs (its ``plan_kind``, else
    its kind's): what a review draft's example year's goals speak of (`goals_plan_kind`)."""
    deals = (PostmortemKind.DEAL_WON, PostmortemKind.DEAL_LOST)
    return [entry.record.informs for entry in entries
            if isinstance(entry.record, Postmortem) and entry.record.kind in deals]


def goal_example(indicator: Indicator, stands: float | None) -> str | None:
    """An example goal for ``indicator`` as YAML writes it: near where it ``stands`` (its
    latest reading), rounded as a goal is set. None where it has no reading to go by: the
    taxonomy cannot tell a win rate (near 0.3) from a retention (near 0.9), and a made-up
    number uncommented and left as written would be published as the quarter's goal; the
    draft leaves the goal to fill in (`ScorecardExample.fill`)."""
    if stands is None or not math.isfinite(stands) or stands <= 0:
        return None
    if indicator.unit in (Unit.RATE, Unit.RATIO):
        # Two decimals (0.96, 1.08); a small ratio keeps two significant figures (0.0042).
        return f"{round(stands, 2):g}" if stands >= 0.1 else f"{stands:.2g}"
    if indicator.unit in (Unit.COUNT, Unit.DAYS):
        return str(max(1, round(stands)))
    return str(round(float(f"{stands:.2g}")))  # money: two significant figures, 95000


def examples(taxonomy: Taxonomy | None, reported: Sequence[str] = (),
             month: str | None = None, latest: Latest | None = None,
             written: Mapping[str, Written] | None = None, quarterly: bool = False,
             renewal: bool = False) -> Examples:
    """Examples from ``taxonomy``: its readings from the indicators ``reported`` (a team's
    own, when known), else the first ones; with ``month``, of those still reported then (not
    retired before it); each reading's value the team's latest, ``written``
    (`latest_written`; months named as quarters for a team that meets ``quarterly``), else
    `READING_PROMPT`; the scorecard row's goal near its ``latest`` reading where given, its
    indicator one of renewals for a ``renewal`` (`_scorecard_example`). None of a kind the
    taxonomy lacks (nor any without a taxonomy): a draft names no id the knowledge base does
    not have."""
    if taxonomy is None:
        return Examples()
    readings = []
    current = [indicator for indicator in taxonomy.indicators
               if month is None or not retired_after(indicator.retired, month)]
    by_id = {indicator.id: indicator for indicator in current}
    own = [by_id[i] for i in dict.fromkeys(reported) if i in by_id]
    taken: dict[str, str] = {}  # the month each indicator's example comes from, by label
    prompted: list[Indicator] = []
    for indicator in (own or current)[:2]:
        last = (written or {}).get(indicator.id)
        values = last.values if last is not None else {}
        keys: list[str | None] = list(indicator.segments) if indicator.segment_by else [None]
        if last is not None and any(key in values for key in keys):
            taken[indicator.label] = period_name(last.period, quarterly)
        if any(key not in values for key in keys):
            prompted.append(indicator)
        said = {key: values.get(key, _PROMPT) for key in keys}
        # Every segment: a month that leaves one out is warned about once it compares.
        value = "{" + ", ".join(f"{s}: {v}" for s, v in said.items()) + "}" \
            if indicator.segment_by else said[None]
        readings.append(f"{indicator.id}: {value}")
    return Examples(
        readings=readings,
        readings_note=_readings_note(taken, prompted,
                                     period_name(month, quarterly) if month else None),
        indicator=taxonomy.indicators[0].id if taxonomy.indicators else None,
        cause=taxonomy.causes[0].id if taxonomy.causes else None,
        plan_kind=taxonomy.plan_kinds[0].id if taxonomy.plan_kinds else None,
        scorecard=(_scorecard_example(taxonomy, latest or {}, renewal, own or current)
                   if taxonomy.indicators else None),
        plan_kinds=_lesson_kinds(taxonomy),
        lesson=_lesson(_lesson_kinds(taxonomy)),
        assumption_category=(taxonomy.assumption_categories[0].id
                             if taxonomy.assumption_categories else None),
        reasons=tuple(reason.id for reason in taxonomy.reasons[:2]),
        deal_segment=next(iter(taxonomy.segment_ids(taxonomy.deal_dimension("segment"))), None),
        icp_tier=next(iter(taxonomy.segment_ids(taxonomy.deal_dimension("icp_tier"))), None),
        deal_dimensions=(taxonomy.deal_dimension("segment"), taxonomy.deal_dimension("icp_tier")),
    )


_PROMPT = f'"{READING_PROMPT}"'
"""`READING_PROMPT` as a draft writes it: quoted, as a bare ``?`` in a flow mapping is YAML's
own mark of a key."""


def _readings_note(taken: Mapping[str, str], prompted: Sequence[Indicator],
                   period: str | None) -> str:
    """What a retro draft's example readings are: the team's latest readings (``taken``: the
    month of each indicator's, by its label) to write the period's over, and of the
    ``prompted`` indicators, which the team has no reading to take from, a `READING_PROMPT`
    to write, refused by validation until it is."""
    said = []
    months = list(dict.fromkeys(taken.values()))
    if months:
        which = f"the team's latest readings, of {months[0]}" if len(months) == 1 else (
            "the team's latest reading of each ("
            + "; ".join(f"{label}: {month}" for label, month in taken.items()) + ")")
        instead = f"{period}'s" if period else "the period's"
        said.append(f"The examples are {which}: write {instead} in their place.")
    if prompted:
        how = "; ".join(f"{i.label}, {reading_as_written(i.shown)}" for i in prompted)
        empty = (f" (for a segment with nothing to measure, delete the {_PROMPT}: no reading)"
                 if any(i.segment_by for i in prompted) else "")
        said.append(f'Each {_PROMPT} is a reading to write, refused by validation until it is'
                    f"{empty}: {how}.")
    return " ".join(said)


def _lesson_kinds(taxonomy: Taxonomy) -> tuple[str, ...]:
    """The plan kinds of a review's example lesson (about committing deals): deals and quarter
    plans where the taxonomy has them, else its first two kinds."""
    ids = [kind.id for kind in taxonomy.plan_kinds]
    return tuple(k for k in ("deal", "quarter") if k in ids) or tuple(ids[:2])


_DEAL_LESSON = "Commit deals only with a mutual close plan signed by the buyer."
"""A review's example lesson where the knowledge base plans deals."""
_PLAN_LESSON = "Name the assumptions each plan rests on, and who checks each, before it starts."
"""A review's example lesson for plan kinds of any other work (renewals, escalations): a lesson
about committing new business reads as another company's."""


_OFFER_LESSON = "Validate the offer with five target buyers before building it."
"""A post-mortem draft's example lesson for a plan kind of campaigns, launches or events."""
_RENEWAL_LESSON = "Name a second sponsor at each account a quarter before its renewal is due."
"""A post-mortem draft's example lesson where it informs a plan kind of renewals: a lesson
about building an offer read as another company's under a lost renewal."""


def postmortem_lesson(taxonomy: Taxonomy | None, kind: str | None) -> str:
    """A post-mortem draft's example lesson for the plan kind ``kind`` it applies to: about
    renewals for a plan kind of renewals (`Taxonomy.renewal_kind`), about committing deals for
    deals, else about validating an offer."""
    if taxonomy is not None and taxonomy.renewal_kind(kind):
        return _RENEWAL_LESSON
    return _DEAL_LESSON if kind == "deal" else _OFFER_LESSON


def _lesson(kinds: Sequence[str]) -> str:
    """The example lesson for ``kinds``: about deals where it informs them."""
    return _DEAL_LESSON if "deal" in kinds else _PLAN_LESSON


_RENEWALS = re.compile(r"renew|retention|retain|churn|\b[gn]rr\b")
"""What an indicator's id or label says when it speaks of renewals: gross or net revenue
retention (``grr``, ``nrr``), a renewal rate, logo churn. The taxonomy marks no indicator as
one of renewals (only a plan kind, ``renewal:``), so it is read from its name, as a plan kind
left unmarked is (`PlanKind.renews`)."""


def speaks_of_renewals(indicator: Indicator) -> bool:
    """Whether ``indicator``'s id or label names renewals, retention or churn (`_RENEWALS`)."""
    return _RENEWALS.search(f"{indicator.id} {indicator.label}".casefold()) is not None


def _scorecard_example(taxonomy: Taxonomy, latest: Latest, renewal: bool = False,
                       offered: Sequence[Indicator] = ()) -> ScorecardExample:
    """A segment of a rate, the row a review most often computes; else any indicator; of
    those ``offered`` (the team's own, or those not retired by the period), where given: a
    Customer Success team's own review was offered the company's win rate, and a review of
    2026-Q4 an indicator retired in 2025. For a ``renewal`` (a post-mortem informing a plan
    kind of renewals), chosen the same way among the indicators that speak of renewals
    (`speaks_of_renewals`), where the taxonomy has one: a renewal lost says nothing of a win
    rate. Its goal is near the segment's ``latest`` reading, where there is one."""
    offered = list(offered) or taxonomy.indicators
    renewals = ([i for i in offered if speaks_of_renewals(i)]
                or [i for i in taxonomy.indicators if speaks_of_renewals(i)]) if renewal else []
    pool = renewals or offered
    rates = [i for i in pool if i.unit.value == "rate"]
    chosen = next((i for i in rates if i.segments), rates[0] if rates else pool[0])
    segment = chosen.segments[-1] if chosen.segments else None
    # The metric as the site heads the row: by the segment's name, where it has one.
    said = taxonomy.segment_name(chosen.segment_by, segment) if segment else None
    return ScorecardExample(
        metric=f"{chosen.label} ({said})" if said else chosen.label,
        goal=goal_example(chosen, latest.get((chosen.id, segment))), unit=chosen.unit.value,
        indicator=chosen.id, segment=segment, fill=figure_as_written(chosen.shown))


def retro_title(team_name: str, period: str, quarterly: bool = False) -> str:
    """The title ``new`` and ``prep`` write for a retro: "Sales retro — May 2026", or for a
    team that meets quarterly (``quarterly``) its quarter's: "EMEA Partners retro — Q2 2026"."""
    return page_title("retro", None, None, team_name, period, quarterly)


@dataclass(frozen=True)
class ReadingsGiven:
    """The retro that gives a month's readings already, for a later sprint retro of the
    month's draft (a team that meets every sprint gives them once a month)."""

    path: str
    """The record that gives them (``retros/2026-09-sdr.md``)."""
    held: dt.date


def readings_given_said(path: str, given_held: dt.date, held: dt.date) -> str:
    """Where a month's readings are given, as a later sprint's draft held on ``held`` says it:
    "given already, in retros/2026-09-sdr.md (held 2026-10-01)"; for a sprint held before
    that retro, "given in retros/2026-09-sdr.md (held 2026-10-01, after this one)", as they
    are not given yet on the day it is held."""
    if given_held > held:
        return f"given in {path} (held {given_held.isoformat()}, after this one)"
    return f"given already, in {path} (held {given_held.isoformat()})"


def new_retro(
    root: Path, team: str, period: str, held: dt.date, facilitator: str,
    format: str = DEFAULT_RETRO_FORMAT, team_name: str | None = None,
    taxonomy: Taxonomy | None = None, given: ReadingsGiven | None = None,
    reported: Sequence[str] = (), written: Mapping[str, Written] | None = None,
) -> Path:
    """Write ``retros/<period>-<team>.md`` (``given``: the retro of the month that gives its
    readings already, named where the draft would otherwise offer readings to type;
    ``reported``: the indicators the team gave last (`reported_last`), offered as its example
    readings, else the taxonomy's first; ``written``: the team's latest reading of each
    (`latest_written`), their values)."""
    year, month = period.split("-")
    quarterly = taxonomy is not None and taxonomy.quarterly_at(team, period)
    due = held + dt.timedelta(days=30)
    earlier = previous_month(period)
    prefix = action_id_prefix(root, team, period) or team.upper()
    path = retro_file(root, taxonomy, team, period)
    text = _render(
        "new-retro.md.j2", taxonomy, team=team, period=period, held=held.isoformat(),
        facilitator=facilitator, format=format, format_fields=RetroFormat(format).fields,
        title=retro_title(team_name or team.replace("-", " ").title(), period, quarterly)
        + sprint_suffix(path, team, period),
        step="quarter" if quarterly else "month", quarter=quarter_of_month(period),
        action_prefix=f"{prefix}-{year}-{month}", due_example=due.isoformat(),
        first_action=next_action_number(path, f"{prefix}-{year}-{month}"),
        earlier_prefix=f"{prefix}-{earlier}",
        example=examples(taxonomy, reported, period, written=written, quarterly=quarterly),
        given=given, sprint=taxonomy is not None and taxonomy.meets_by_sprint(team),
        given_said=partial(readings_given_said, held=held),
    )
    return write_new(path, text)


_ACTION_ID = re.compile(r"^\s*-\s*(?:\{\s*)?id:\s*['\"]?([A-Za-z][\w.]*(?:-[\w.]+)*)-(\d{4})-"
                        r"(\d{2})-\w+", re.M)


def action_id_prefix(root: Path, team: str, period: str) -> str | None:
    """What the team's latest retro before ``period`` starts its action ids with, where they
    read ``<prefix>-YYYY-MM-n`` (``CS`` of ``CS-2026-04-1``): a draft's examples then name ids
    as the team writes them, not ``<TEAM>-…``. None when no earlier retro gives one."""
    earlier = sorted((path for path in (root / "retros").rglob(f"*-{team}.md")
                      if path.name == f"{path.name[:7]}-{team}.md" and path.name[:7] < period
                      and re.fullmatch(r"\d{4}-\d{2}", path.name[:7])),
                     key=lambda path: path.name)
    for path in reversed(earlier):
        try:
            found = _ACTION_ID.findall(path.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            continue
        if found:  # the prefix most ids use (an update may name another team's action)
            return str(Counter(prefix for prefix, _, _ in found).most_common(1)[0][0])
    return None


def earlier_ids(taxonomy: Taxonomy | None, team: str, period: str) -> list[str]:
    """The ids the team's retro for ``period`` had under the team's earlier ids (its aliases)."""
    found = next((t for t in taxonomy.teams if t.id == team), None) if taxonomy else None
    return [f"{period}-{alias}" for alias in found.aliases] if found else []


def new_review(
    root: Path, period: str, held: dt.date, facilitator: str, team: str | None = None,
    taxonomy: Taxonomy | None = None, latest: Latest | None = None,
    informed: Sequence[str | None] = (), reported: Sequence[str] = (),
) -> Path:
    """Write ``retros/<period>-review.md`` (``-<team>-review`` for a team's own review); its
    commented examples name ``taxonomy``'s indicators and plan kinds, the scorecard row of
    one the team ``reported`` (a team's review; `reported_last`) and not retired by the
    quarter's end, its goal near its ``latest`` reading (`latest_readings`), the year's goals
    in its own words, of the plan kind the deal post-mortems inform most (``informed``:
    `deals_inform`)."""
    stem = f"{period.lower()}-{team}-review" if team else f"{period.lower()}-review"
    scope = f"{team.replace('-', ' ').title()} quarterly review" if team else "Quarterly review"
    text = _render("new-review.md.j2", taxonomy, period=period, team=team, held=held.isoformat(),
                   facilitator=facilitator, title=f"{scope} — {period}", example=scorecard_example(taxonomy),
                   examples=examples(taxonomy, reported, months_of_quarter(period)[-1],
                                     latest=latest),
                   annual_goals=annual_goals_example(taxonomy, informed),
                   currency=taxonomy.currency if taxonomy is not None else "$")
    return write_new(record_file(root, "retros", stem, period[:4],
                                 instead="pick another quarter or team"), text)


def new_postmortem(
    root: Path, name: str, kind: str, team: str, ended: dt.date, held: dt.date,
    facilitator: str, outcome: str = "mixed", before: str = "", plan_kind: str | None = None,
    slug: str | None = None, taxonomy: Taxonomy | None = None, latest: Latest | None = None,
) -> Path:
    """Write ``postmortems/<YYYY-MM>-<slug>.md`` (``before``: a comment block for its top;
    ``plan_kind``: the plan kind it informs, when not the one ``kind`` implies; ``slug``: the
    file name after the month, by default `postmortem_slug` of the name; ``taxonomy``: what
    its commented examples name; ``latest``: the readings up to the month it ended
    (`latest_readings`), its example plan-vs-actual row's figures near them, as a review
    draft's example goal is)."""
    slug = slug or postmortem_slug(name, kind)
    informs = plan_kind or PostmortemKind(kind).plan_kind
    # A renewal's example plan-vs-actual row is of retention, not of the first rate (a
    # lost renewal's draft offered "Win rate (enterprise)").
    found = examples(taxonomy, latest=latest,
                     renewal=taxonomy is not None and taxonomy.renewal_kind(informs))
    # The example lesson names the plan kind the post-mortem informs where the taxonomy has
    # it, else one it has (``--kind other`` informs none).
    kinds = [k.id for k in taxonomy.plan_kinds] if taxonomy is not None else []
    lesson_kind = informs if informs in kinds else found.plan_kind
    text = _render(
        "new-postmortem.md.j2", taxonomy, name=name, kind=kind, outcome=outcome, team=team,
        ended=ended.isoformat(), held=held.isoformat(), facilitator=facilitator,
        summary=summary_prompt(name), deal_why=DEAL_WHY_PROMPT,
        deal=kind.startswith("deal-"), customer=CUSTOMER_PROMPT,
        lesson_kind=lesson_kind,
        lesson=postmortem_lesson(taxonomy, lesson_kind),
        stated_plan_kind=plan_kind, before=before, example=found,
    )
    return write_new(record_file(root, "postmortems", f"{ended:%Y-%m}-{slug}", ended.year), text)
