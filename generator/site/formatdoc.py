"""The record-format reference page, generated from the schema's own field descriptions."""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel

from ..escape import cell, md
from ..records.field_docs import with_examples
from ..records.schema import (
    Action,
    ActionUpdate,
    Assumption,
    CauseCitation,
    Deal,
    Lesson,
    Measure,
    Postmortem,
    Retro,
    Review,
    TimelineEntry,
)
from ..records.taxonomy import DealDimensions, Indicator, NewArrInputs, PlanKind, Taxonomy, Team

SECTIONS: list[tuple[str, type[BaseModel]]] = [
    ("Monthly retro (`type: retro`, in `retros/`)", Retro),
    ("Quarterly review (`type: review`, in `retros/`)", Review),
    ("Named post-mortem (`type: postmortem`, in `postmortems/`)", Postmortem),
    ("Action (an item of `actions:`)", Action),
    ("Action update (an item of `action_updates:`)", ActionUpdate),
    ("Root cause (an item of `causes:`)", CauseCitation),
    ("Lesson (an item of `lessons:`)", Lesson),
    ("Assumption (an item of `assumptions:`)", Assumption),
    ("Timeline entry (an item of `timeline:`)", TimelineEntry),
    ("Plan-vs-actual or scorecard row", Measure),
    ("Deal (`deal:` of a deal post-mortem)", Deal),
    ("Indicator (an item of `indicators:` in `taxonomy.yml`)", Indicator),
    ("New ARR inputs (`new_arr:` in `taxonomy.yml`)", NewArrInputs),
    ("Deal dimensions (`deals:` in `taxonomy.yml`)", DealDimensions),
]


def _type_name(spec: dict[str, Any]) -> str:
    if "$ref" in spec:
        return str(spec["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in spec or "oneOf" in spec:
        names = [_type_name(s) for s in spec.get("anyOf", spec.get("oneOf", []))
                 if s.get("type") != "null"]
        return " or ".join(dict.fromkeys(names))
    if "const" in spec:
        return f"`{spec['const']}`"
    if "enum" in spec:
        # As YAML writes them: `true`, not Python's `True`.
        return " \\| ".join(f"`{str(v).lower() if isinstance(v, bool) else v}`"
                             for v in spec["enum"])
    kind = spec.get("type", "any")
    if kind == "array":
        items = spec.get("items", {})
        # A list of items of several forms (a segment's id, or its id with a name) is told
        # by the field's meaning: "list of id or mapping or mapping" read as nonsense.
        return "list" if "oneOf" in items else f"list of {_type_name(items)}"
    if kind == "object":
        return "mapping"
    if spec.get("format") == "date":
        return "date"
    if "pattern" in spec:
        return {"^\\d{4}-\\d{2}$": "month YYYY-MM", "^\\d{4}-Q[1-4]$": "quarter YYYY-Qn"}.get(
            spec["pattern"], "id" if "a-z" in spec["pattern"] else "date or date-time"
        )
    return str(kind)


_LITERAL = re.compile(r"``([^`|]+?)``")


def described(text: str) -> str:
    """A field's docstring for a table cell: plain text escaped, and its ``literal`` spans
    (field names, values) as code, not as the doubled backticks the docstring writes."""
    if not text:
        return cell(text)
    parts = _LITERAL.split(text)
    # split() alternates text and the literals between its double backticks; `md` trims,
    # so the spaces around a literal are put back.
    return "".join(f"`{part}`" if i % 2 else _padded(part) for i, part in enumerate(parts))


def _padded(text: str) -> str:
    if not text.strip():
        return " " if text else ""
    return (" " if text[0].isspace() else "") + md(text) + (" " if text[-1].isspace() else "")


def record_format_page(taxonomy: Taxonomy | None = None) -> bytes:
    """The Markdown of the record-format page; its examples of vocabulary ids are
    ``taxonomy``'s (the site's own), and there are none where it has no such id."""
    lines = [
        "---", "title: Record format", "---", "",
        "# Record format", "",
        "Every record is a Markdown file whose YAML front matter follows these tables. This",
        "page is generated from the schema itself, so it is always current; `hindsight schema`",
        "prints the same fields as JSON Schema, also shipped as `docs/record.schema.json`. Unknown",
        "fields are errors. An id given as an example (*e.g.*) is one of this knowledge base's",
        "own, from its `taxonomy.yml`.", "",
        "The tables after the record's describe `taxonomy.yml` entries that decide how figures",
        "are computed: how an indicator's segments and months combine (counts are summed, rates",
        "pooled as Σ numerators ÷ Σ denominators, money, durations and ratios averaged unless",
        "declared otherwise), the formula of a derived indicator, and which dimensions a",
        "deal's segment and ICP tier name.", "",
    ]
    for heading, model in SECTIONS:
        schema = model.model_json_schema(by_alias=True)
        required = set(schema.get("required", []))
        lines += [f"## {heading}", "", described(" ".join((model.__doc__ or "").split())), "",
                  "| Field | Type | Required | Meaning |", "| --- | --- | --- | --- |"]
        for name, spec in schema.get("properties", {}).items():
            resolved = spec
            if "$ref" in spec and "$defs" in schema:
                resolved = {**spec}
            lines.append(
                f"| `{name}` | {_type_name(resolved)} | {'yes' if name in required else 'no'} | "
                f"{described(with_examples(spec.get('description', ''), taxonomy))} |"
            )
        lines.append("")
    lines += _lifecycle_section()
    return "\n".join(lines).encode("utf-8")


def _lifecycle_section() -> list[str]:
    """How an action's status, dates and days are read, and the taxonomy settings behind the
    signals (fix did not stick, post-mortem timeliness, a team's end), from their own
    descriptions."""
    taxonomy = Taxonomy.model_json_schema()
    plan_kind = PlanKind.model_json_schema()["properties"]
    lines = ["## Action statuses", "",
             "| Status | Meaning |", "| --- | --- |",
             "| `open` | Raised and not started; overdue once past its due date. |",
             "| `in-progress` | Started and still open: it counts as open, and as overdue once "
             "past its due date. |",
             "| `done` | Done on `done_on`; without `done_on`, done as of the date of the record "
             "that reported it (shown as *done by* that record). |",
             "| `dropped` | Abandoned on purpose; left out of follow-through. |", "",
             "*Days overdue* count from the current due date to the build date (`--as-of`); "
             "*days late* from the first due date to the day it was done.", "",
             "## Taxonomy settings for the signals", "",
             "| Setting | Meaning |", "| --- | --- |"]
    for name in ("fix_cadence_days", "fix_horizon_days"):
        lines.append(f"| `{name}` | {cell(taxonomy['properties'][name]['description'])} |")
    team = Team.model_json_schema()["properties"]
    kinds = " ".join(taxonomy["properties"]["plan_kinds"]["description"].split())
    # Optional since a team may write no plans yet: the page says so where its settings are.
    lines += [f"| `plan_kinds` | {described(kinds)} |",
              *(f"| `plan_kinds[].{name}` | "
                f"{described(' '.join(plan_kind[name]['description'].split()))} |"
                for name in ("held_within_days", "renewal")),
              *(f"| `teams[].{name}` | {described(' '.join(team[name]['description'].split()))} |"
                for name in ("retros", "quarterly_from", "retired")),
              ""]
    return lines
