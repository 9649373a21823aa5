"""The JSON a script reads from ``hindsight validate --format json``, ``hindsight actions
--format json`` and any command asked for JSON that fails: their shapes as pydantic models,
whose JSON Schemas are shipped in ``docs/schemas/`` beside ``recall.schema.json``.

The commands write these objects as plain dicts (`generator.commands.validate`,
`generator.site.export.action_row`, `generator.commands.options`); the models say what they
hold, field by field, and the tests validate the commands' real output against the shipped
files, every object closed (``additionalProperties: false``), so a field a command prints and
the schema lacks, or one the schema promises and the command leaves out, fails them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict
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


SCHEMAS: dict[str, tuple[type[BaseModel], str]] = {
    "validate.schema.json": (ValidateAnswer, "hindsight validate --format json"),
    "actions.schema.json": (ActionsAnswer, "hindsight actions --format json"),
    "error.schema.json": (ErrorAnswer, "a failing command's --format json answer"),
}
"""Each shipped schema's file name in ``docs/schemas/``, its model and its title."""


def json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema shipped as ``docs/schemas/<name>``, as recall's is made."""
    model, title = SCHEMAS[name]
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = title
    return schema
