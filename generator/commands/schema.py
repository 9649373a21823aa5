"""``hindsight schema``: the JSON Schema of record front matter, or of taxonomy.yml."""

from __future__ import annotations

import json
from typing import Any

import click

from ..records.field_docs import schema_with_examples
from ..records.schema import MODELS


@click.command()
@click.option("--type", "kind", type=click.Choice(sorted(MODELS)),
              help="One record type (default: all three, chosen by `type:`).")
@click.option("--taxonomy", is_flag=True,
              help="The schema of taxonomy.yml instead: causes, indicators with their "
              "aggregation and formulas, teams, plan kinds, reasons, assumption categories.")
def schema(kind: str | None, taxonomy: bool) -> None:
    """Print the JSON Schema of record front matter (or of taxonomy.yml)."""
    if taxonomy and kind is not None:
        raise click.UsageError("--type and --taxonomy choose different schemas: give one of them")
    if taxonomy:
        from ..records.taxonomy import Taxonomy

        result = schema_with_examples(Taxonomy.model_json_schema(), None)
        result["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        click.echo(json.dumps(result, indent=2, sort_keys=True))
        return
    click.echo(json.dumps(json_schema(kind), indent=2, sort_keys=True))


def json_schema(kind: str | None = None) -> dict[str, Any]:
    """The JSON Schema of one record type, or of all three as a tagged union. It serves
    every knowledge base, so its descriptions name no vocabulary id as an example."""
    if kind is not None:
        one: dict[str, Any] = schema_with_examples(MODELS[kind].model_json_schema(by_alias=True),
                                                   None)
        return one
    from pydantic import TypeAdapter

    from ..records.schema import Record

    result: dict[str, Any] = schema_with_examples(TypeAdapter(Record).json_schema(by_alias=True),
                                                  None)
    result["title"] = "Hindsight record front matter"
    result["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return result
