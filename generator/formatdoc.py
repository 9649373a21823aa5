"""The record-format reference page, generated from the schema's own field descriptions."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from .escape import cell, md
from .schema import (
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
from .taxonomy import Indicator, NewArrInputs

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
]


def _type_name(spec: dict[str, Any]) -> str:
    if "$ref" in spec:
        return str(spec["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in spec:
        names = [_type_name(s) for s in spec["anyOf"] if s.get("type") != "null"]
        return " or ".join(names)
    if "const" in spec:
        return f"`{spec['const']}`"
    if "enum" in spec:
        return " \\| ".join(f"`{v}`" for v in spec["enum"])
    kind = spec.get("type", "any")
    if kind == "array":
        return f"list of {_type_name(spec.get('items', {}))}"
    if kind == "object":
        return "mapping"
    if spec.get("format") == "date":
        return "date"
    if "pattern" in spec:
        return {"^\\d{4}-\\d{2}$": "month YYYY-MM", "^\\d{4}-Q[1-4]$": "quarter YYYY-Qn"}.get(
            spec["pattern"], "id" if "a-z" in spec["pattern"] else "date or date-time"
        )
    return str(kind)


def record_format_page() -> bytes:
    """The Markdown of the record-format page."""
    lines = [
        "---", "title: Record format", "---", "",
        "# Record format", "",
        "Every record is a Markdown file whose YAML front matter follows these tables. This",
        "page is generated from the schema itself, so it is always current; `hindsight schema`",
        "prints the same as JSON Schema for editor completion. Unknown fields are errors.", "",
        "The last two tables describe `taxonomy.yml` entries that decide how figures are",
        "computed: how an indicator's segments and months combine (counts are summed, rates",
        "pooled as Σ numerators ÷ Σ denominators, money, durations and ratios averaged unless",
        "declared otherwise), and the formula of a derived indicator.", "",
    ]
    for heading, model in SECTIONS:
        schema = model.model_json_schema(by_alias=True)
        required = set(schema.get("required", []))
        lines += [f"## {heading}", "", md(" ".join((model.__doc__ or "").split())), "",
                  "| Field | Type | Required | Meaning |", "| --- | --- | --- | --- |"]
        for name, spec in schema.get("properties", {}).items():
            resolved = spec
            if "$ref" in spec and "$defs" in schema:
                resolved = {**spec}
            lines.append(
                f"| `{name}` | {_type_name(resolved)} | {'yes' if name in required else 'no'} | "
                f"{cell(spec.get('description', ''))} |"
            )
        lines.append("")
    return "\n".join(lines).encode("utf-8")
