"""The JSON a script reads from ``hindsight validate --format json``, ``hindsight actions
--format json`` and any command asked for JSON that fails, and the exports the site publishes
under ``data/`` (``records.json``, ``actions.json``, and ``readings.csv``, whose columns are
described as a JSON row's): their shapes as pydantic models, whose JSON Schemas are shipped in
``docs/schemas/`` beside ``recall.schema.json`` and published with the site (``schemas/``).

The commands and the site write these objects as plain dicts (`generator.commands.validate`,
`generator.site.export.action_row`, `generator.site.export.record_row`,
`generator.commands.options`); the models say what they hold, field by field, and the tests
validate the commands' real output and a built site's exports against the shipped files,
every object closed (``additionalProperties: false``), so a field a command or an export
writes and the schema lacks, or one the schema promises and it leaves out, fails them. An
export row's fields are in its CSV's column order.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, RootModel
from pydantic.json_schema import SkipJsonSchema


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)


class ProblemOut(_Out):
    """One problem, located in a file, as the text report's line ``path:line:col  field
    message (hint)`` says it."""

    path: str
    """The file, relative to the knowledge base's root (``retros/2026-05-sales.md``,
    ``taxonomy.yml``); a name's bytes that are not UTF-8 as U+FFFD."""
    line: int
    """The line the problem is at, from 1."""
    col: int
    """The column the problem is at on that line, from 1, in characters."""
    field: str
    """The field at fault, as a path into the front matter (``actions[0].due``,
    ``indicators.win-rate.smb``), or what else is (``body``, ``header``); ``""`` for the
    whole file."""
    message: str
    """What is wrong."""
    hint: str
    """How to fix it; ``""`` where the message says all."""
    severity: Literal["error", "warning"]
    """``error`` fails the command; ``warning`` fails it only with ``--strict``."""
    caused_by: str | None
    """With ``--changed-since REF``: ``REF`` when the problem is in a record the change did
    not touch and the knowledge base did not have it at ``REF`` (the change caused it, as
    the text says with "[caused by this change: not so at REF]"); else null."""


Check = Literal["records", "overdue-actions", "missing-retros", "unknown-action-updates",
                "scorecard-actuals"]
"""The checks an error elsewhere can stop (`generator.records.validate.CHECKS`)."""


class NotRunOut(_Out):
    """Checks that did not run because some files have errors: their warnings are missing
    from the report until those errors are fixed."""

    checks: list[Check]
    """The checks that did not run: ``records`` (the records' fields and the rules across
    records, while taxonomy.yml has errors), ``overdue-actions``, ``missing-retros``,
    ``unknown-action-updates`` (action updates naming no action) and ``scorecard-actuals``
    (a review's scorecard actuals against the quarter's records)."""
    because: list[str]
    """The files whose errors stopped them."""
    message: str
    """The line the text report says: "Not checked while retros/2026-04-marketing.md has
    errors: overdue actions, …"."""


class SummaryOut(_Out):
    """The counts the text report's last lines give."""

    errors: int
    """The errors reported."""
    warnings: int
    """The warnings reported."""
    files: int
    """The files checked (of the paths given, or the change, when the report is limited to
    them)."""
    errors_elsewhere: int
    """Errors in records or hand-written pages the report leaves out (not among the paths
    given, or not touched by the change): they stop the site all the same."""
    records: int | None
    """How many records the site would be built from, those held by ``as_of``; null while
    there are errors anywhere, when no site can be built."""
    held_later: int | None
    """How many more records are held after ``as_of``, left out of the site until then;
    null when ``records`` is."""
    retros: dict[str, int] | None
    """The retros among ``records`` by how their teams met when they held them, as the home
    page counts them: ``monthly``, ``sprint`` (a team holding ``retros: biweekly``) and
    ``quarterly``, a cadence no retro was held at left out; null when ``records`` is."""
    as_of: dt.date | None
    """The date overdue actions are judged by (``--as-of``); null when no knowledge base
    could be read (taxonomy.yml has errors)."""
    not_run: list[NotRunOut]
    """The checks errors stopped, one entry per set of files stopping them; empty when every
    check ran."""


class ValidateAnswer(_Out):
    """What ``hindsight validate --format json`` prints: every problem, the summary and the
    notes. The exit code says the verdict: 1 on errors (or warnings with ``--strict``)."""

    problems: list[ProblemOut]
    """Every problem reported, sorted by file, line and column."""
    summary: SummaryOut
    """The counts."""
    notes: list[str]
    """Lines that are no problem of a record: an id many records name that taxonomy.yml
    lacks (a rename: the one cause of many errors), first; then, with ``--changed-since``,
    what the change does to records it did not touch (an action it reopens, the owners a
    ``.mailmap`` change names differently)."""


class ErrorOut(_Out):
    """Why the command failed."""

    message: str
    """The error, as the command says it on stderr after ``error:``."""
    exit_code: int
    """The command's exit code: 1, or 2 when the knowledge base itself is misconfigured
    (no taxonomy.yml, an ``as_of`` in mkdocs.yml that is no date)."""


def _no_defaults(schema: dict[str, Any]) -> None:
    """Drop each property's ``default``: an optional member of the error answer is left out
    when it does not apply, never printed as null, so a schema saying ``default: null`` of an
    array would mislead."""
    for prop in schema.get("properties", {}).values():
        prop.pop("default", None)


class ErrorAnswer(_Out):
    """What any command asked for JSON (``--format json``) prints on stdout when it fails
    (the message also goes to stderr): never an empty answer a JSON reader fails on. When the
    records' errors are the reason, ``problems`` and ``summary`` say them, as ``validate
    --format json`` gives them. (A mistake click itself catches, an unknown option, stays
    text.)"""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True,
                              json_schema_extra=_no_defaults)

    error: ErrorOut
    """The error's message and the command's exit code."""
    problems: list[ProblemOut] | SkipJsonSchema[None] = None
    """When the knowledge base's errors are the reason: every problem, as ``validate``
    reports it; absent otherwise."""
    summary: SummaryOut | SkipJsonSchema[None] = None
    """When the knowledge base's errors are the reason: the counts, as ``validate`` gives
    them; absent otherwise."""


Status = Literal["open", "in-progress", "done", "dropped"]
Label = Literal["open", "in progress", "overdue", "done", "done late", "dropped"]


class ActionRow(_Out):
    """One action as it stands on ``as_of``: a row of the site's ``data/actions.json``."""

    id: str
    """The action id."""
    title: str
    """What will be done."""
    owner: str
    """Who is accountable now: as the latest hand-over writes it, else as the action does."""
    owner_id: str
    """The owner's id on the site: one for every spelling the site takes as the same person
    (``Zoë Ångström`` and ``zoe angstrom``), as their page is one."""
    first_owner: str
    """The owner it was raised with."""
    team: str | None
    """The team that answers for it now, after any hand-over to another team (``team:`` in
    an update); null for a company-wide one."""
    first_team: str | None
    """The team it was raised for: its own ``team:``, else its record's; null for a
    company-wide one."""
    due: dt.date
    """The current due date."""
    first_due: dt.date
    """The due date it was raised with: "done late" counts from it."""
    status: Status
    """Its status in the records' words."""
    label: Label
    """Where it stands on ``as_of``, as the site shows it."""
    done_on: dt.date | None
    """The ``done_on`` date the records state, for a done action that states one."""
    done_date: dt.date | None
    """When it counts as done: its ``done_on``, else the date of the record that reported it
    done; null unless done."""
    done_by: str | None
    """The id of the record that reported it done; null unless done."""
    closed_on: dt.date | None
    """When it closed, as the register's months count it: its ``done_date``, or the date of
    the record that dropped it, as the first record to close it said; null while open."""
    cause: str | None
    """The cause id it is raised against; null for none."""
    indicator: str | None
    """The indicator id it aims to move; null for none."""
    segment: str | None
    """The segment id of that indicator it aims at; null for none."""
    raised_in: str
    """The id of the record that raised it."""
    raised_on: dt.date
    """The date of that record."""
    status_changed_in: str
    """The id of the record that last changed its status: the raising record, for one no
    update has changed."""
    age_days: int
    """Days from the record that raised it until it closed, or until ``as_of`` while open."""
    days_overdue: int | None
    """Days past its current due date, for an overdue action; else null."""
    days_late: int | None
    """Days after its first due date that it was done, for one done late; else null."""
    note: str | None
    """The latest note written about it, as written (the update's that dropped it says why);
    null for none."""
    note_in: str | None
    """The id of the record that wrote that note; null for none."""
    segment_label: str | None
    """Its ``segment`` as pages show it: the name taxonomy.yml gives it, else the id; null
    without a segment."""
    done_team: str | None
    """The team that held it on its ``done_date``, whose readings the site reads what
    followed it on; null unless done."""
    team_changed_in: str | None
    """The id of the record that last handed it to another team; null for one never handed
    over."""


class ActionsAnswer(_Out):
    """What ``hindsight actions --format json`` prints: the actions the filters keep (open
    ones by default; ``--all`` adds done and dropped ones). What the filters left out is
    said on stderr, so the answer stays data."""

    as_of: dt.date
    """The date the actions stand on (``--as-of``)."""
    actions: list[ActionRow]
    """The actions, in the table's order: by current due date, then id."""


RecordType = Literal["retro", "review", "postmortem"]
PostmortemKind = Literal["campaign", "event", "webinar", "deal-won", "deal-lost", "launch",
                         "pricing", "quarter", "other"]
"""A post-mortem's ``kind`` (`generator.records.schema.PostmortemKind`)."""
Outcome = Literal["win", "loss", "mixed"]
"""A post-mortem's ``outcome`` (`generator.records.schema.Outcome`)."""
Cadence = Literal["monthly", "sprint", "quarterly"]
"""How a retro's team met (`generator.records.corpus.RETRO_CADENCES`)."""


class RecordRow(_Out):
    """One record: a row of the site's ``data/records.json`` (and of ``data/records.csv``,
    the same columns in this order, a null an empty cell, ``true`` written ``True``)."""

    id: str
    """The record id: its file name without ``.md`` (``2026-05-sales``)."""
    type: RecordType
    """``retro``, ``review`` (a quarterly review) or ``postmortem``."""
    title: str
    """The record's title, as its page heads it."""
    team: str | None
    """The team id; null for a quarterly review, which is company-wide."""
    date: dt.date
    """The date it was held."""
    period: str | None
    """The month (``2026-05``) of a retro or the quarter (``2026-Q2``) of a review; null for
    a post-mortem."""
    kind: PostmortemKind | None
    """What a post-mortem looks back on; null for retros and reviews."""
    outcome: Outcome | None
    """How a post-mortem's event turned out against its plan; null for retros and reviews."""
    causes: str
    """The ids of the causes it cites, space-separated, each once; ``""`` for none."""
    actions: str
    """The ids of the actions it raises, space-separated; ``""`` for none."""
    source: str
    """The Markdown file, relative to the knowledge base's root
    (``retros/2026-05-sales.md``)."""
    page: str
    """Where its page is served, relative to the site root (``records/2026-05-sales/``)."""
    url: str | None
    """Its page's full address; null without ``site_url`` in mkdocs.yml."""
    plan_kind: str | None
    """For a post-mortem, the plan kind it informs: its ``plan_kind``, else its kind's
    (``deal`` for ``deal-won`` and ``deal-lost``); null for retros and reviews, and for a
    post-mortem that informs none (``kind: other`` without a ``plan_kind``)."""
    renewal: bool | None
    """Whether that plan kind is of renewals (``renewal: true`` in taxonomy.yml, or a kind
    named so): a deal post-mortem of it is a renewal kept or lost, its ``outcome`` ``win``
    read as kept; null where ``plan_kind`` is."""
    cadence: Cadence | None
    """How a retro's team met when it held it, as the home page counts retros: ``monthly``,
    ``sprint`` (a team holding ``retros: biweekly``) or ``quarterly``; null for reviews and
    post-mortems."""
    gives_readings: bool | None
    """Whether a retro gives indicator readings, the ``record`` of rows of
    ``data/readings.csv``: of a sprint team's retros of a month, the one giving the month's;
    null for reviews and post-mortems."""


Verdict = Literal["new", "wrong way", "improved", "flat", "mixed"]


class ReadingRow(_Out):
    """One reading as the indicator pages show it, with its comparison: a row of the site's
    ``data/readings.csv`` (CSV only), its columns in this order, each cell typed as said
    here (an empty cell is null; ``computed`` is written ``True`` or ``False``). A rate's
    figures are shares between 0 and 1; money and days are in the indicator's unit; figures
    have twelve significant digits, a whole number written as one (``138``)."""

    period: str
    """The month of the reading (``2026-06``); a quarterly team's reading is dated its
    quarter's last month (``2026-09`` for Q3 2026)."""
    team: str
    """The team id."""
    indicator: str
    """The indicator id."""
    segment: str
    """The segment id; ``all`` for an unsegmented indicator, and for the month's overall
    value of a segmented one."""
    value: float
    """The reading."""
    numerator: float | None
    """A rate written as counts (``"30/90"``): its numerator; else null."""
    denominator: float | None
    """A rate written as counts: its denominator; else null."""
    computed: bool
    """Whether it was computed from the indicator's formula rather than given."""
    method: str | None
    """How an overall value combined its segments (``sum of the segments``, ``mean of the
    segments``, ``pooled over the segments: …``); null for a reading given as such."""
    record: str | None
    """The id of the record that gave it; null for none."""
    prior_period: str | None
    """The period of the team's previous reading of it, dated as ``period`` is (a
    quarterly reading's is the previous quarter's); null for a first reading."""
    prior: float | None
    """That previous reading; null for none."""
    trailing_mean: float | None
    """The mean of the previous three periods' readings, when there are enough; else
    null."""
    vs_prior: float | None
    """``value`` less ``prior`` (for a rate, ``-0.013948`` is the page's "−1.4 pp"); null
    without a prior."""
    vs_trailing: float | None
    """``value`` less ``trailing_mean``; null without one."""
    verdict: Verdict
    """``new`` (nothing to compare with yet), ``wrong way`` (worse than both the prior and
    the trailing mean), ``improved`` (better than both), ``flat`` (neither) or ``mixed``."""
    segment_label: str
    """The segment as the pages show it: its name in taxonomy.yml, else its id (``all`` as
    ``all``)."""
    covers: Literal["month", "quarter"]
    """What the period covers: ``month``, or ``quarter`` for a team that meets quarterly,
    from its ``quarterly_from`` quarter on (summing or charting such rows with monthly ones
    reads a quarter as a month)."""
    period_label: str
    """The period as the indicator pages show it: ``2026-09`` for a month, ``Q3 2026`` for a
    quarter."""


class RecordsExport(RootModel[list[RecordRow]]):
    """The site's ``data/records.json``: one row per record, in date order."""


class ActionsExport(RootModel[list[ActionRow]]):
    """The site's ``data/actions.json``: one row per action as it stands on the build date,
    in the order of the records that raised them (``hindsight actions --format json`` gives
    the same rows)."""


class ReadingsExport(RootModel[list[ReadingRow]]):
    """The site's ``data/readings.csv``, its rows as this schema types them: one row per
    reading, and per month's overall ``all`` value of a segmented indicator, each
    indicator's and team's rows together."""


SCHEMAS: dict[str, tuple[type[BaseModel] | type[RootModel[Any]], str]] = {
    "validate.schema.json": (ValidateAnswer, "hindsight validate --format json"),
    "actions.schema.json": (ActionsAnswer, "hindsight actions --format json"),
    "error.schema.json": (ErrorAnswer, "a failing command's --format json answer"),
    "data-records.schema.json": (RecordsExport, "the site's data/records.json"),
    "data-actions.schema.json": (ActionsExport, "the site's data/actions.json"),
    "data-readings.schema.json": (ReadingsExport, "the site's data/readings.csv, a row typed"),
}
"""Each shipped schema's file name in ``docs/schemas/``, its model and its title."""


def json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema shipped as ``docs/schemas/<name>``, as recall's is made."""
    model, title = SCHEMAS[name]
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = title
    return schema
