"""Field descriptions with their examples drawn from a knowledge base's own taxonomy.

A schema docstring marks where an example of a vocabulary id goes with ``{e.g. <slot>}``
(``The cause id from taxonomy.yml{e.g. cause}.``). Every reader of the descriptions fills
the marks: ``hindsight new`` drafts and the site's Record format page from the knowledge
base's taxonomy (", e.g. ``slow-first-touch``"), the JSON Schema, which serves every
knowledge base, with nothing. An example written into the docstring itself named the sample's
ids (``icp-drift``, ``enterprise``), which another company's records cannot cite.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .taxonomy import Taxonomy

_SLOT = re.compile(r"\{(e\.g\.|here:) ([a-z_]+)\}")


def _code(ids: list[str]) -> str:
    return ", ".join(f"``{i}``" for i in ids)


def _listed(ids: list[str]) -> str:
    return f"``[{', '.join(ids)}]``" if ids else ""


def _segment(taxonomy: Taxonomy) -> str:
    split = next((i for i in taxonomy.indicators if i.segment_by and i.segments), None)
    return f"``{split.segments[0]}``" if split else ""


def _own_plan_kind(taxonomy: Taxonomy) -> str:
    # A plan kind no post-mortem kind implies shows that plan_kind may name one of your own.
    from .schema import PostmortemKind

    implied = {kind.plan_kind for kind in PostmortemKind}
    own = [kind.id for kind in taxonomy.plan_kinds if kind.id not in implied]
    return _code(own[:1])


def _dimensions(taxonomy: Taxonomy) -> str:
    found = dict.fromkeys(i.segment_by for i in taxonomy.indicators if i.segment_by)
    return _code([d for d in found if d][:3])


def _formula(taxonomy: Taxonomy) -> str:
    # The shortest: an example reads at a glance (a ratio of two counts, not a product of four).
    formulas = [" ".join(i.formula.split()) for i in taxonomy.indicators if i.formula]
    return f"``{min(formulas, key=len)}``" if formulas else ""


EXAMPLES: dict[str, Callable[[Taxonomy], str]] = {
    "cause": lambda t: _code([c.id for c in t.causes][:1]),
    "indicator": lambda t: _code([i.id for i in t.indicators][:1]),
    "segment": _segment,
    "action_id": lambda t: _code([f"{team.id.upper()}-2026-06-1" for team in t.teams][:1]),
    "plan_kinds": lambda t: _listed([k.id for k in t.plan_kinds][:2]),
    "own_plan_kind": _own_plan_kind,
    "categories": lambda t: _code([c.id for c in t.assumption_categories][:2]),
    "reasons": lambda t: _listed([r.id for r in t.reasons][:2]),
    "deal_segment": lambda t: _code(t.segment_ids(t.deal_dimension("segment"))[:1]),
    "deal_tier": lambda t: _code(t.segment_ids(t.deal_dimension("icp_tier"))[:1]),
    "dimensions": _dimensions,
    "formula": _formula,
    "won": lambda t: _code([t.new_arr.won] if t.new_arr else []),
    "deal_size": lambda t: _code([t.new_arr.deal_size] if t.new_arr else []),
    # The default needs no "here": the description says "$ unless set".
    "currency": lambda t: _code([t.currency] if t.currency != "$" else []),
}
"""What each ``{e.g. <slot>}`` (or ``{here: <slot>}``) names, from a taxonomy ("" where it has
no such id)."""


def with_examples(text: str, taxonomy: Taxonomy | None) -> str:
    """``text`` (a field description) with each ``{e.g. <slot>}`` mark filled from
    ``taxonomy``: ", e.g. " and its ids, or nothing where the taxonomy has none or there is no
    taxonomy (the JSON Schema: an example must not pass for an id every site has). A
    ``{here: <slot>}`` mark gives the taxonomy's own setting: ", here ``€``"."""
    def fill(found: re.Match[str]) -> str:
        named = EXAMPLES[found.group(2)]  # looked up even without a taxonomy: a typo fails
        example = named(taxonomy) if taxonomy is not None else ""
        lead = "e.g." if found.group(1) == "e.g." else "here"
        return f", {lead} {example}" if example else ""

    return _SLOT.sub(fill, text)


def schema_with_examples(schema: Any, taxonomy: Taxonomy | None) -> Any:
    """A JSON Schema (as pydantic gives it) whose every ``description`` is `with_examples`."""
    if isinstance(schema, dict):
        return {key: (with_examples(value, taxonomy) if key == "description"
                      and isinstance(value, str) else schema_with_examples(value, taxonomy))
                for key, value in schema.items()}
    if isinstance(schema, list):
        return [schema_with_examples(item, taxonomy) for item in schema]
    return schema
