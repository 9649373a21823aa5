"""The JSON Schemas shipped in docs/schemas/ for `hindsight validate --format json`,
`hindsight actions --format json` and the error a failing command prints as JSON: each file is
what its model gives, every object in it is closed and every property described, and the
commands' real output validates against the files (a field a command prints that a schema
lacks fails, as every object is ``additionalProperties: false``).

Records shaped like a marketing team's quarter: a nurture rewrite left overdue, a hand-off fix
handed over to Sales and done there, a bought list dropped with a note."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, get_args

import jsonschema
import pytest

from conftest import FIXTURES, REPO, make_kb, run_cli
from generator.commands.json_answers import SCHEMAS, Check, json_schema
from generator.records.validate import CHECKS
from gittools import commit_all, git, init

FOLDER = REPO / "docs" / "schemas"
AS_OF = "2026-04-20"


def _retro(period: str, held: str, extra: str = "") -> str:
    """A marketing retro of ``period``, held on ``held``."""
    return (f"---\ntype: retro\nperiod: {period}\nteam: marketing\nheld: {held}\n"
            "facilitator: Ines Park\nparticipants: [Ines Park, Omar Diaz]\n"
            "format: went-well-didnt\nindicators:\n  win-rate: {smb: \"3/10\"}\n"
            f"went_well: [Webinar turnout]\n{extra}---\n\nNotes.\n")


RECORDS = {
    "retros/2026-01-marketing.md": _retro("2026-01", "2026-02-03", (
        "actions:\n"
        "  - {id: MKT-1, title: Rewrite the nurture emails, owner: Ines Park, "
        "due: 2026-02-10, cause: nurture-decay}\n"
        "  - {id: MKT-2, title: Fix the hand-off form, owner: Omar Diaz, due: 2026-03-31, "
        "cause: sdr-ae-handoff, indicator: win-rate, segment: smb}\n"
        "  - {id: MKT-3, title: Buy a list of controllers, owner: Ines Park, "
        "due: 2026-02-28}\n")),
    "retros/2026-02-marketing.md": _retro("2026-02", "2026-03-03", (
        "action_updates:\n"
        "  - {id: MKT-2, status: in-progress, team: sales, owner: Sam Okafor, "
        "note: Sales owns the form now.}\n"
        "  - {id: MKT-3, status: dropped, note: The list was stale.}\n")),
    "retros/2026-03-marketing.md": _retro("2026-03", "2026-04-02", (
        "action_updates:\n  - {id: MKT-2, status: done, done_on: 2026-03-20}\n")),
}


def _schema(name: str) -> dict[str, Any]:
    return json.loads((FOLDER / name).read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _valid(data: Any, name: str) -> None:
    """``data`` validates against the shipped ``name``, its dates checked as dates."""
    jsonschema.Draft202012Validator(
        _schema(name), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(data)


def _objects(node: Any) -> Iterator[dict[str, Any]]:
    """Every object schema in ``node``: those with properties."""
    if isinstance(node, dict):
        if "properties" in node:
            yield node
        for value in node.values():
            yield from _objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from _objects(value)


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_each_shipped_schema_is_its_model_s(name: str, golden: Callable[[Path, str], None]) -> None:
    """The file is what the model gives (``--update-goldens`` writes it), a valid 2020-12
    schema whose objects are all closed and whose properties are all described."""
    golden(FOLDER / name, json.dumps(json_schema(name), indent=2, sort_keys=True) + "\n")
    schema = _schema(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    objects = list(_objects(schema))
    assert objects
    for node in objects:
        assert node.get("additionalProperties") is False, node.get("title")
        assert node.get("description"), node.get("title")
        for key, prop in node["properties"].items():
            assert prop.get("description"), (node.get("title"), key)


def test_the_schema_names_every_check_validate_can_stop() -> None:
    assert set(get_args(Check)) == set(CHECKS)


def test_validate_json_validates_clean_with_warnings_and_with_errors(tmp_path: Path) -> None:
    january = "retros/2026-01-marketing.md"
    first = make_kb(tmp_path / "january", {january: RECORDS[january]})
    clean = run_cli("validate", "--root", str(first), "--format", "json", "--as-of",
                    "2026-02-05")
    assert clean.exit_code == 0, clean.output
    data = json.loads(clean.stdout)
    assert data["problems"] == [] and data["summary"]["records"] == 1, data
    _valid(data, "validate.schema.json")

    root = make_kb(tmp_path / "kb", RECORDS)
    args = ("validate", "--root", str(root), "--format", "json")
    # April 20th: MKT-1 overdue since February 10th.
    warned = run_cli(*args, "--as-of", AS_OF)
    assert warned.exit_code == 0, warned.output
    data = json.loads(warned.stdout)
    assert [(p["severity"], p["field"]) for p in data["problems"]] == [
        ("warning", "actions[0].due")], data
    _valid(data, "validate.schema.json")

    # An unreadable April retro: an error, and the checks it stops.
    (root / "retros" / "2026-04-marketing.md").write_text("no front matter here\n")
    failed = run_cli(*args, "--as-of", AS_OF)
    assert failed.exit_code == 1, failed.output
    data = json.loads(failed.stdout)
    assert data["summary"]["errors"] == 1 and data["summary"]["records"] is None
    assert data["summary"]["not_run"][0]["because"] == ["retros/2026-04-marketing.md"]
    _valid(data, "validate.schema.json")
    # A field the command printed that the schema lacks fails, at any depth.
    for wrong in ({**data, "verdict": "failed"},
                  {**data, "summary": {**data["summary"], "checked": 4}},
                  {**data, "problems": [{**data["problems"][0], "rule": "x"}]}):
        with pytest.raises(jsonschema.ValidationError):
            _valid(wrong, "validate.schema.json")


def test_validate_changed_since_json_gives_caused_by_and_notes(tmp_path: Path) -> None:
    """A change deleting the update that dropped MKT-3 reopens it: the January retro, which
    the change did not touch, warns that it is overdue, caused by the change, and a note says
    it is open again."""
    root = tmp_path / "kb"
    init(root)
    shutil.copy(FIXTURES / "taxonomy.yml", root / "taxonomy.yml")
    for path, text in RECORDS.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
    commit_all(root, "Base", "Alice Adams", "2026-04-10T09:00:00+00:00")
    git(root, "checkout", "-q", "-b", "fix")
    february = root / "retros" / "2026-02-marketing.md"
    february.write_text(february.read_text().replace(
        "  - {id: MKT-3, status: dropped, note: The list was stale.}\n", ""))
    commit_all(root, "Undo the drop", "Bob Brown", "2026-04-12T09:00:00+00:00")
    result = run_cli("validate", "--changed-since", "main", "--root", str(root), "--as-of",
                     AS_OF, "--format", "json")
    data = json.loads(result.stdout)
    caused = [p for p in data["problems"] if p["caused_by"]]
    assert [(p["path"], p["caused_by"]) for p in caused] == [
        ("retros/2026-01-marketing.md", "main")], data
    assert any(note.startswith("MKT-3 was dropped at main") for note in data["notes"]), data
    _valid(data, "validate.schema.json")


def test_actions_json_validates_with_done_overdue_dropped_and_handed_over_rows(
        tmp_path: Path) -> None:
    root = make_kb(tmp_path / "kb", RECORDS)
    result = run_cli("actions", "--all", "--format", "json", "--root", str(root), "--as-of",
                     AS_OF)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    rows = {row["id"]: row for row in data["actions"]}
    assert (rows["MKT-1"]["label"], rows["MKT-1"]["days_overdue"]) == ("overdue", 69)
    assert (rows["MKT-2"]["label"], rows["MKT-2"]["team"], rows["MKT-2"]["team_changed_in"],
            rows["MKT-2"]["done_team"], rows["MKT-2"]["done_on"]) == (
        "done", "sales", "2026-02-marketing", "sales", "2026-03-20")
    assert (rows["MKT-3"]["status"], rows["MKT-3"]["note"]) == ("dropped", "The list was stale.")
    _valid(data, "actions.schema.json")
    with pytest.raises(jsonschema.ValidationError):
        _valid({**data, "actions": [{**data["actions"][0], "priority": 1}]},
               "actions.schema.json")
    nothing = run_cli("actions", "--team", "sales", "--overdue", "--format", "json", "--root",
                      str(root), "--as-of", AS_OF)
    assert nothing.exit_code == 0, nothing.output
    assert json.loads(nothing.stdout)["actions"] == []
    _valid(json.loads(nothing.stdout), "actions.schema.json")


def test_a_failing_command_s_json_validates_against_the_error_schema(tmp_path: Path) -> None:
    """With the records' errors as the reason, the error carries their problems and summary;
    otherwise the error alone."""
    root = make_kb(tmp_path / "kb", RECORDS)
    (root / "retros" / "2026-04-marketing.md").write_text("no front matter here\n")
    failed = run_cli("actions", "--format", "json", "--root", str(root), "--as-of", AS_OF)
    assert failed.exit_code == 1, failed.output
    data = json.loads(failed.stdout)
    assert set(data) == {"error", "problems", "summary"}, data
    assert data["problems"][0]["path"] == "retros/2026-04-marketing.md"
    _valid(data, "error.schema.json")

    no_taxonomy = run_cli("actions", "--format", "json", "--root", str(_empty(tmp_path)))
    assert no_taxonomy.exit_code == 2, no_taxonomy.output
    alone = json.loads(no_taxonomy.stdout)
    assert set(alone) == {"error"}, alone
    _valid(alone, "error.schema.json")

    repo = tmp_path / "repo"
    init(repo)
    shutil.copytree(root, repo, dirs_exist_ok=True)
    (repo / "retros" / "2026-04-marketing.md").unlink()
    commit_all(repo, "Base", "Alice Adams", "2026-04-10T09:00:00+00:00")
    unknown = run_cli("validate", "--changed-since", "no-such-ref", "--root", str(repo),
                      "--format", "json")
    assert unknown.exit_code != 0, unknown.output
    _valid(json.loads(unknown.stdout), "error.schema.json")
    with pytest.raises(jsonschema.ValidationError):
        _valid({**data, "error": {**data["error"], "code": "E1"}}, "error.schema.json")


def _empty(tmp_path: Path) -> Path:
    folder = tmp_path / "empty"
    folder.mkdir()
    return folder
