"""What the rules across records can still read from a record that failed the schema.

A schema error must not hide the other problems of the knowledge base (an unknown team, a
duplicate action id, a reference to a record that does not exist): one run reports every
problem. A record whose YAML parsed is kept as a *stub* holding only the values those rules
read, and only where they have the expected shape; the rest is already reported.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..errors import Problems
from .corpus import page_title, sprint_mark
from .load import TAXONOMY_FILE, Source
from .owners import handle_as_owner, record_people, several_owners
from .schema_errors import format_loc
from .taxonomy import DEAL_DIMENSION_SETTINGS, Taxonomy, split_dimensions
from .types import MONTH, QUARTER, SLUG


@dataclass
class Stub:
    """A parsed record that failed the schema: its id and the ids it declares or refers to."""

    source: Source
    team: str | None = None
    related: list[tuple[int, str]] = field(default_factory=list)
    """(position in ``related``, record id)."""
    actions: list[tuple[int, str]] = field(default_factory=list)
    """(position in ``actions``, action id)."""
    updates: list[tuple[int, str]] = field(default_factory=list)
    """(position in ``action_updates``, action id)."""
    period: str | None = None
    """A retro's month (``2026-02``), when it reads as one: the month is held, even if its
    record has an error to fix (so no other record is told it is missing)."""
    kind: str | None = None
    """Its type as checked (``Retro`` is a retro), when it names one."""
    title: str | None = None
    """The title its page would show (`generator.records.corpus.page_title`), when what
    makes it reads as such: its page's first heading."""
    filled: frozenset[str] = frozenset()
    """The fields its page shows a section for that have a value (schema field names:
    ``continue_``), so a link to a section of its page is checked while it has an error."""
    causes: tuple[str, ...] = ()
    """The cause ids it cites (as text), whose titles head its page's causes."""
    held: dt.date | None = None
    """The date it was held, when ``held:`` reads as one (which of two records raising one
    action id came first)."""

    @property
    def id(self) -> str:
        """The record id (its file name without ``.md``)."""
        return self.source.id

    @property
    def path(self) -> str:
        """The record's path relative to the knowledge-base root."""
        return self.source.path


# Ids are read as the schema reads them, without the spaces around them (a full-width one an
# input method left, `2026-04-tokyo-sales　`, is warned about once): read with it, a record
# with another error was also told no record `2026-04-tokyo-sales\u3000` exists.
def _strings(value: Any) -> list[tuple[int, str]]:
    return [(i, v.strip()) for i, v in enumerate(value) if isinstance(v, str)] \
        if isinstance(value, list) else []


def _ids(value: Any) -> list[tuple[int, str]]:
    items = value if isinstance(value, list) else []
    return [(i, item["id"].strip()) for i, item in enumerate(items)
            if isinstance(item, dict) and isinstance(item.get("id"), str)]


def stub_of(source: Source, taxonomy: Taxonomy) -> Stub:
    """The stub of a record whose front matter is a mapping but failed the schema."""
    data: dict[str, Any] = source.doc.value
    team = data.get("team")
    period = data.get("period")
    kind = data.get("type")
    stub = Stub(
        source=source,
        team=team.strip() if isinstance(team, str) and SLUG.fullmatch(team.strip()) else None,
        related=_strings(data.get("related")),
        actions=_ids(data.get("actions")),
        updates=_ids(data.get("action_updates")),
        period=period if kind == "retro" and isinstance(period, str)
        and MONTH.fullmatch(period) else None,
        kind=kind if kind in ("retro", "review", "postmortem") else None,
        # An empty list or mapping shows no section, as in a record that passed.
        filled=frozenset(_FIELD_NAMES.get(key, key) for key, value in data.items()
                         if isinstance(key, str) and value not in (None, "", [], {})),
        causes=_cause_ids(data.get("causes")),
        held=_day(data.get("held")),
    )
    stub.title = _title(stub, data, taxonomy)
    return stub


def _title(stub: Stub, data: dict[str, Any], taxonomy: Taxonomy) -> str | None:
    """The title of the stub's page as a record that passed would have it, or None."""
    given = data.get("name" if stub.kind == "postmortem" else "title")
    if stub.kind == "postmortem" or given:
        return given if isinstance(given, str) and given else None
    period = data.get("period")
    if stub.kind == "retro" and stub.period is not None:
        try:
            dt.date.fromisoformat(f"{stub.period}-01")
        except ValueError:  # 2026-13: its own error; the title it makes is unknown
            return None
    elif stub.kind != "review" or not isinstance(period, str) or not QUARTER.fullmatch(period):
        return None
    team_id = taxonomy.team_ids().get(stub.team or "")
    team = taxonomy.team(team_id) if team_id else None
    mark = ""
    if stub.kind == "retro" and stub.period and team is not None and team.biweekly:
        mark = sprint_mark(stub.id, stub.period, [name for name, of in
                                                  taxonomy.team_ids().items() if of == team.id],
                           stub.held)
    return page_title(stub.kind, None, stub.team, team.name if team else None,
                      stub.period or str(period), stub.kind == "retro" and bool(team and team.quarterly_in(
                          stub.period or str(period))), mark)


def _day(value: Any) -> dt.date | None:
    """``value`` as a date, if it is one or reads as one."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _cause_ids(causes: Any) -> tuple[str, ...]:
    """The cause ids a ``causes:`` list cites as text (``- icp-drift`` is read as
    ``- cause: icp-drift``)."""
    items = causes if isinstance(causes, list) else []
    ids = [item.get("cause") if isinstance(item, dict) else item for item in items]
    return tuple(cause.strip() for cause in ids if isinstance(cause, str))


_FIELD_NAMES = {"continue": "continue_"}
"""Front-matter keys whose schema field has another name (a Python keyword)."""


def check_stub_team(stub: Stub, taxonomy: Taxonomy, problems: Problems) -> None:
    """The unknown-team check, which the schema error would otherwise have hidden."""
    teams = set(taxonomy.team_ids())
    if stub.team is not None and stub.team not in teams:
        line, col = stub.source.doc.position(("team",))
        problems.error(stub.path, line, col, "team", f"unknown team {stub.team!r}",
                       taxonomy.id_hint("team", stub.team))


class Reported:
    """The fields a record's schema errors named (``deal.value``, ``actions[0].owner``): a
    check of another field still runs, so one error hides nothing beside it."""

    def __init__(self, fields: Iterable[str]) -> None:
        self.fields = {field for field in fields if field}

    def touches(self, field: str) -> bool:
        """Whether an error named ``field``, something inside it, or what holds it."""
        return any(named == field or named.startswith((f"{field}.", f"{field}["))
                   or field.startswith((f"{named}.", f"{named}[")) for named in self.fields)


def unreported_items(stub: Stub, field_name: str, reported: Reported,
                     shorthand: str | None = None) -> Iterator[tuple[int, dict[str, Any]]]:
    """The items (mappings) of a list field of a record that failed the schema, but for an
    item an error named as a whole (not a mapping): checked against the taxonomy this run,
    key by key (`Reported.touches`), so fixing the reported ones reveals no second round.
    With ``shorthand``, an item written as text stands for the mapping of that one key (the
    schema reads ``- icp-drift`` under ``causes:`` as ``- cause: icp-drift``)."""
    items = stub.source.doc.value.get(field_name)
    if field_name in reported.fields or not isinstance(items, list):
        return
    for i, item in enumerate(items):
        if shorthand is not None and isinstance(item, str):
            item = {shorthand: item}
        if f"{field_name}[{i}]" not in reported.fields and isinstance(item, dict):
            yield i, item


def check_stub_vocabulary(stub: Stub, taxonomy: Taxonomy, problems: Problems,
                          reported: Reported) -> None:
    """The checks against the taxonomy of causes, actions, lessons, and a post-mortem's plan
    kind, assumptions and deal, for the fields no schema error already named: a missing
    owner, or a deal's value written as words, must not hide a mistyped reason until it is
    fixed."""
    _check_causes_and_actions(stub, taxonomy, problems, reported)
    data: dict[str, Any] = stub.source.doc.value
    kinds = {kind.id for kind in taxonomy.plan_kinds}
    for i, item in unreported_items(stub, "lessons", reported):
        for k, kind in _strings(item.get("applies_to")):
            if kind not in kinds and not reported.touches(f"lessons[{i}].applies_to[{k}]"):
                _unknown(stub, ("lessons", i, "applies_to", k), "plan kind", kind, taxonomy, "",
                         problems)
    if data.get("type") != "postmortem":
        return
    plan_kind = data.get("plan_kind")
    if not reported.touches("plan_kind") and isinstance(plan_kind, str) \
            and plan_kind not in kinds:
        _unknown(stub, ("plan_kind",), "plan kind", plan_kind, taxonomy,
                 f"Plan kinds are added to plan_kinds in {TAXONOMY_FILE}.", problems)
    categories = {c.id for c in taxonomy.assumption_categories}
    for i, item in unreported_items(stub, "assumptions", reported):
        category = item.get("category")
        if isinstance(category, str) and category not in categories \
                and not reported.touches(f"assumptions[{i}].category"):
            _unknown(stub, ("assumptions", i, "category"), "assumption category", category,
                     taxonomy, "New categories are added to assumption_categories in "
                     f"{TAXONOMY_FILE}.", problems)
    deal = data.get("deal")
    if "deal" in reported.fields or not isinstance(deal, dict):
        return
    reasons = set(taxonomy.reason_ids())
    for i, reason in _strings(deal.get("reasons")):
        if reason not in reasons and not reported.touches(f"deal.reasons[{i}]"):
            _unknown(stub, ("deal", "reasons", i), "reason", reason, taxonomy, "New reasons "
                     f"(or aliases) are added to reasons in {TAXONOMY_FILE}.", problems)
    for key in DEAL_DIMENSION_SETTINGS:
        value = deal.get(key)
        unknown = unknown_deal_value(taxonomy, key, value) if isinstance(value, str) else None
        if unknown is not None and not reported.touches(f"deal.{key}"):
            line, col = stub.source.doc.position(("deal", key))
            problems.error(stub.path, line, col, f"deal.{key}", *unknown)


def check_stub_owners(stub: Stub, problems: Problems, reported: Reported) -> None:
    """An action's or hand-over's owner written as a handle (`handle_as_owner`) or as two
    people (`several_owners`), in a record that failed the schema: fixing its other errors
    must not reveal it next run."""
    data: dict[str, Any] = stub.source.doc.value
    people = record_people(data)
    for field_name in ("actions", "action_updates"):
        for i, item in unreported_items(stub, field_name, reported):
            owner = item.get("owner")
            if not isinstance(owner, str) or reported.touches(f"{field_name}[{i}].owner"):
                continue
            line, col = stub.source.doc.position((field_name, i, "owner"))
            handle = handle_as_owner(owner, people)
            if handle is not None:
                problems.error(stub.path, line, col, f"{field_name}[{i}].owner", *handle)
            several = several_owners(owner)
            if several is not None:
                problems.warning(stub.path, line, col, f"{field_name}[{i}].owner", *several)


def unknown_deal_value(taxonomy: Taxonomy, field_name: str, value: str) -> tuple[str, str] | None:
    """The message and hint for a deal's ``segment`` or ``icp_tier`` (``field_name``) that is
    none of the segments of the dimension it names (``deals:`` in the taxonomy); None for one
    that is. The hint names the setting: a company that splits by region learns where
    ``segment`` takes its values from."""
    dimension = taxonomy.deal_dimension(field_name)
    allowed = taxonomy.segment_ids(dimension)
    if value in allowed:
        return None
    setting = f"deals.{DEAL_DIMENSION_SETTINGS[field_name]}"
    message = f"unknown {dimension} {value!r}"
    if allowed:
        return message, taxonomy.segment_hint(dimension, value, allowed, (
            f"deal.{field_name} takes the segments of the indicators split by {dimension}, the "
            f"dimension {setting} in {TAXONOMY_FILE} names."))
    # The other field's dimension is no choice: a deal's two fields name two dimensions.
    other = next(taxonomy.deal_dimension(f) for f in DEAL_DIMENSION_SETTINGS if f != field_name)
    choices = [d for d in split_dimensions(taxonomy.indicators) if d != other]
    if choices:
        return message, (f"no indicator in {TAXONOMY_FILE} is split by {dimension}: name one "
                         f"they are split by ({', '.join(choices)}) as {setting} there, or "
                         f"remove {field_name}:")
    return message, (f"no indicator in {TAXONOMY_FILE} is split by {dimension} (the dimension "
                     f"{setting} names): split one by it, or remove {field_name}:")


def _unknown(stub: Stub, where: tuple[str | int, ...], what: str, value: str,
             taxonomy: Taxonomy, otherwise: str, problems: Problems) -> None:
    """An unknown id at ``where`` in the stub's front matter, as the full check words it."""
    line, col = stub.source.doc.position(where)
    problems.error(stub.path, line, col, format_loc(where), f"unknown {what} {value!r}",
                   taxonomy.id_hint(what, value, otherwise))


def _check_causes_and_actions(stub: Stub, taxonomy: Taxonomy, problems: Problems,
                              reported: Reported) -> None:
    """The unknown-cause, -indicator and -team checks of causes and actions."""
    vocabularies: dict[str, set[str]] = {
        "cause": set(taxonomy.cause_ids()), "indicator": {i.id for i in taxonomy.indicators},
        "team": set(taxonomy.team_ids())}
    for field_name, keys in (("causes", ("cause",)), ("actions", ("cause", "indicator", "team"))):
        shorthand = "cause" if field_name == "causes" else None
        for i, item in unreported_items(stub, field_name, reported, shorthand):
            for key in keys:
                value = item.get(key)
                known = vocabularies[key]
                if isinstance(value, str) and value not in known \
                        and not reported.touches(f"{field_name}[{i}].{key}"):
                    line, col = stub.source.doc.position((field_name, i, key))
                    hint = taxonomy.id_hint(key, value, "New causes are added to taxonomy.yml "
                                            "by pull request." if field_name == "causes" else "")
                    problems.error(stub.path, line, col, f"{field_name}[{i}].{key}",
                                   f"unknown {key} {value!r}", hint)
