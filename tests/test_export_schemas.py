"""The site's exports under ``data/`` against the JSON Schemas shipped in docs/schemas/
(``data-records``, ``data-actions``, ``data-readings``): every JSON export of a built site, and
every row of ``data/readings.csv`` read as its schema types it, validates with every object
closed, so a key or column an export gains that its schema does not know fails here.

Built twice: from the sample, and from Larkspur's knowledge base (tests/test_together.py),
shaped unlike it: an SDR team meeting every sprint, Customer Success meeting quarterly from
2026-Q3, rates written as counts in named segments, an action handed to another team, renewals,
and here a fourth team retired after August 2026."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any, get_args

import jsonschema
import pytest
from test_together import AS_OF, TAXONOMY, records_with_partners

from conftest import REPO, generate_into, make_kb
from generator.commands.json_answers import (
    SCHEMAS,
    ActionRow,
    Cadence,
    Outcome,
    PostmortemKind,
    ReadingRow,
    RecordRow,
)
from generator.records.corpus import RETRO_CADENCES
from generator.records.schema import Outcome as RecordOutcome
from generator.records.schema import PostmortemKind as RecordKind
from generator.site.export import ACTION_COLUMNS, READING_COLUMNS, RECORD_COLUMNS

FOLDER = REPO / "docs" / "schemas"
SAMPLE_AS_OF = "2026-11-23"

# Larkspur with a fourth team, retired after August 2026, and its four monthly retros.
RETIRED_TAXONOMY = TAXONOMY.replace(
    "  - id: cs\n",
    "  - id: partners\n    name: Partner Alliances\n    retros: monthly\n"
    "    retired: 2026-08\n  - id: cs\n", 1)
assert "retired: 2026-08" in RETIRED_TAXONOMY


@pytest.fixture(scope="module")
def sample_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's generated ``data/`` folder."""
    return generate_into(REPO, tmp_path_factory.mktemp("sample") / "out", SAMPLE_AS_OF) / "data"


@pytest.fixture(scope="module")
def larkspur_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Larkspur's generated ``data/`` folder, its retired team's records among them."""
    folder = tmp_path_factory.mktemp("larkspur")
    taxonomy = folder / "taxonomy.yml"
    taxonomy.write_text(RETIRED_TAXONOMY, encoding="utf-8")
    root = make_kb(folder / "kb", records_with_partners(), taxonomy)
    return generate_into(root, folder / "out", AS_OF) / "data"


def _validator(name: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((FOLDER / name).read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def _schema_of(export: Path) -> str:
    """The shipped schema of ``data/<name>.<ext>``: ``data-<name>.schema.json``."""
    name = f"data-{export.stem}.schema.json"
    assert name in SCHEMAS, f"{export.name} has no schema in docs/schemas/"
    return name


def _typed_readings(path: Path) -> list[dict[str, Any]]:
    """``data/readings.csv``'s rows as its schema types them: an empty cell null, ``True``
    and ``False`` booleans, a number column's cells numbers; a cell of another form is kept
    as text, for the schema to refuse."""
    properties = json.loads((FOLDER / "data-readings.schema.json").read_text(encoding="utf-8"))[
        "$defs"]["ReadingRow"]["properties"]

    def types(name: str) -> set[str]:
        prop = properties.get(name, {})
        return {prop["type"]} if "type" in prop else {p.get("type") for p in prop["anyOf"]}

    def cell(name: str, text: str) -> Any:
        kinds = types(name)
        if text == "" and "null" in kinds:
            return None
        if "boolean" in kinds and text in ("True", "False"):
            return text == "True"
        if "number" in kinds:
            try:
                return float(text)
            except ValueError:
                return text
        return text

    with path.open(encoding="utf-8", newline="") as handle:
        return [{name: cell(name, text) for name, text in row.items()}
                for row in csv.DictReader(handle)]


def _check(data: Path) -> dict[str, list[dict[str, Any]]]:
    """Every export in ``data`` validated against its schema; the rows by file name."""
    rows: dict[str, list[dict[str, Any]]] = {}
    for export in sorted(data.glob("*.json")):
        rows[export.name] = json.loads(export.read_text(encoding="utf-8"))
        _validator(_schema_of(export)).validate(rows[export.name])
    readings = data / "readings.csv"
    rows[readings.name] = _typed_readings(readings)
    _validator(_schema_of(readings)).validate(rows[readings.name])
    assert set(rows) == {"records.json", "actions.json", "readings.csv"}, sorted(rows)
    return rows


def test_the_sample_s_exports_validate_against_their_schemas(sample_data: Path) -> None:
    rows = _check(sample_data)
    assert {r["type"] for r in rows["records.json"]} == {"retro", "review", "postmortem"}
    assert {r["computed"] for r in rows["readings.csv"]} == {True, False}
    assert len(rows["actions.json"]) > 20


def test_another_company_s_exports_validate_against_their_schemas(larkspur_data: Path) -> None:
    """A quarterly team's readings (covering a quarter), a sprint team's retros, rates
    written as counts, a renewal, a hand-over and a retired team's records all validate."""
    rows = _check(larkspur_data)
    records = {r["id"]: r for r in rows["records.json"]}
    assert {r["cadence"] for r in records.values()} == {"monthly", "sprint", "quarterly", None}
    assert records["2026-08-partners"]["team"] == "partners"
    assert True in {r["renewal"] for r in records.values()}
    readings = rows["readings.csv"]
    assert {r["covers"] for r in readings} == {"month", "quarter"}
    assert any(r["numerator"] is not None for r in readings)
    assert any(r["team"] == "partners" for r in readings)
    assert any(r["team_changed_in"] for r in rows["actions.json"])


@pytest.mark.parametrize("name", ["records.json", "actions.json", "readings.csv"])
def test_a_key_an_export_gains_that_its_schema_does_not_know_fails(larkspur_data: Path,
                                                                   name: str) -> None:
    """As a new column is added to an export: each export's rows, one of them given a key
    more, fail their schema; and a key an export drops fails too."""
    rows = _check(larkspur_data)[name]
    validator = _validator(f"data-{Path(name).stem}.schema.json")
    with pytest.raises(jsonschema.ValidationError, match="Additional properties"):
        validator.validate([*rows[:-1], {**rows[-1], "region": "EMEA"}])
    dropped = {k: v for k, v in rows[0].items() if k != "title" and k != "period"}
    with pytest.raises(jsonschema.ValidationError, match="is a required property"):
        validator.validate([dropped])


@pytest.mark.parametrize(("model", "columns", "export"), [
    (RecordRow, RECORD_COLUMNS, "records.csv"), (ActionRow, ACTION_COLUMNS, "actions.csv"),
    (ReadingRow, READING_COLUMNS, "readings.csv")])
def test_each_schema_lists_its_export_s_columns_in_order(
        larkspur_data: Path, model: type[Any], columns: tuple[str, ...], export: str) -> None:
    """The schema documents the CSV too: its row's fields are the columns the export
    declares and its CSV heads, in that order, so a column added to the export and not to
    the schema fails here as well as in the rows."""
    assert tuple(model.model_fields) == columns
    with (larkspur_data / export).open(encoding="utf-8", newline="") as handle:
        assert tuple(next(csv.reader(handle))) == columns


def test_the_schemas_words_are_the_records_words() -> None:
    assert set(get_args(PostmortemKind)) == {k.value for k in RecordKind}
    assert set(get_args(Outcome)) == {o.value for o in RecordOutcome}
    assert get_args(Cadence) == RETRO_CADENCES
