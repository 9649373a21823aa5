"""A team renamed keeps its history: records written under its earlier id (an alias in
taxonomy.yml) are the team's — one series, one team page, its actions — and the command line
takes the earlier id too."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import FIXTURES, make_kb, run_cli
from generator.analysis.analyze import analyze
from generator.analysis.link import link
from generator.records.validate import check
from sitetools import make_project, mkdocs_build


def _retro(period: str, held: str, team: str, velocity: int, actions: str = "") -> str:
    return (f"---\ntype: retro\nperiod: {period}\nteam: {team}\nheld: {held}\nfacilitator: A\n"
            f"format: five-whys\nindicators:\n  pipeline-velocity: {velocity}\n{actions}---\n\n"
            f"# {team} retro {period}\n\nWhat happened.\n")


_ACTION = """actions:
  - id: DG-1
    title: Route webinar leads within a day
    owner: Kim
    due: 2026-03-31
    team: demand-gen
"""


def _taxonomy(tmp_path: Path, aliases: str) -> Path:
    text = (FIXTURES / "taxonomy.yml").read_text(encoding="utf-8").replace(
        "  - id: marketing\n    name: Marketing\n    monthly_retros: true\n",
        f"  - id: marketing\n    name: Marketing\n    monthly_retros: true\n    aliases: {aliases}\n")
    assert "aliases: " + aliases in text
    path = tmp_path / "taxonomy.yml"
    path.write_text(text, encoding="utf-8")
    return path


FILES = {
    "retros/2026-01-demand-gen.md": _retro("2026-01", "2026-02-03", "demand-gen", 40000, _ACTION),
    "retros/2026-02-marketing.md": _retro("2026-02", "2026-03-03", "marketing", 42000),
}


def test_records_under_a_teams_earlier_id_are_the_teams(tmp_path: Path) -> None:
    root = make_kb(tmp_path / "kb", FILES, _taxonomy(tmp_path, "[demand-gen]"))
    result = check(root, dt.date(2026, 4, 1))
    assert result.kb is not None and not result.problems.errors, result.problems.errors
    assert [(e.id, e.team, e.team_name) for e in result.kb.retros] == [
        ("2026-01-demand-gen", "marketing", "Marketing"),
        ("2026-02-marketing", "marketing", "Marketing")]
    # One series across the rename: February is compared with January.
    frame = analyze(result.kb).readings
    velocity = frame[frame["indicator"] == "pipeline-velocity"]
    assert velocity[["period", "team", "value"]].values.tolist() == [
        ["2026-01", "marketing", 40000], ["2026-02", "marketing", 42000]]
    assert link(result.kb).actions["DG-1"].team == "marketing"
    # The command line takes the earlier id for the team it names.
    made = run_cli("new", "retro", "--team", "demand-gen", "--period", "2026-03", "--held",
                   "2026-04-01", "--facilitator", "A", "--root", str(root))
    assert made.exit_code == 0, made.output
    assert made.output.strip().endswith("retros/2026-03-marketing.md")
    assert "team: marketing" in (root / "retros" / "2026-03-marketing.md").read_text()


def test_the_team_page_lists_the_records_of_both_ids(tmp_path: Path) -> None:
    kb = make_kb(tmp_path / "kb", FILES, _taxonomy(tmp_path, "[demand-gen]"))
    project = make_project(tmp_path / "site", kb)
    built = mkdocs_build(project, "2026-04-01")
    assert built.returncode == 0, built.stdout + built.stderr
    page = (project / "site" / "teams" / "marketing" / "index.html").read_text(encoding="utf-8")
    assert "2026-01-demand-gen/" in page and "2026-02-marketing/" in page
    # The earlier id has no team page of its own: its address leads to the team's.
    moved = (project / "site" / "teams" / "demand-gen" / "index.html").read_text(encoding="utf-8")
    assert 'http-equiv="refresh" content="0; url=../../teams/marketing/"' in moved, moved
    assert "data-pagefind-body" not in moved and "2026-01-demand-gen/" not in moved


def test_an_alias_that_is_another_teams_id_is_an_error(tmp_path: Path) -> None:
    root = make_kb(tmp_path / "kb", FILES, _taxonomy(tmp_path, "[demand-gen, sales]"))
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-04-01")
    assert result.exit_code == 1, result.output
    assert "taxonomy.yml:" in result.output
    assert "teams[1].aliases[1]  alias 'sales' is already a team id or another alias (an " \
           "alias may point at one team only)" in result.output, result.output


def test_records_validated_in_parallel_resolve_the_alias_too(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A large knowledge base is validated by worker processes and its records re-created
    from their YAML: the earlier id is resolved there as well (it was kept, and cached)."""
    from generator.records import validate

    monkeypatch.setattr(validate, "PARALLEL_FROM", 1)
    monkeypatch.setattr(validate.os, "cpu_count", lambda: 2)
    root = make_kb(tmp_path / "kb", FILES, _taxonomy(tmp_path, "[demand-gen]"))
    result = check(root, dt.date(2026, 4, 1), cache=False)
    assert result.kb is not None and not result.problems.errors, result.problems.errors
    assert [e.team for e in result.kb.retros] == ["marketing", "marketing"]
    assert result.kb.retros[0].record.actions[0].team == "marketing"


def test_new_and_prep_refuse_a_month_the_team_wrote_under_its_earlier_id(tmp_path: Path) -> None:
    """January is the team's, written as 2026-01-demand-gen.md: neither command writes a second
    retro of that month (validation would then refuse both files)."""
    root = make_kb(tmp_path / "kb", FILES, _taxonomy(tmp_path, "[demand-gen]"))
    before = sorted(p.name for p in (root / "retros").iterdir())
    for command in (["new", "retro", "--held", "2026-02-05", "--facilitator", "A"],
                    ["prep", "--as-of", "2026-02-05"]):
        result = run_cli(*command, "--team", "marketing", "--period", "2026-01",
                         "--root", str(root))
        assert result.exit_code != 0, result.output
        assert "retros/2026-01-demand-gen.md already exists (the same team's retro, under its " \
               "earlier id); not overwriting it" in result.output, result.output
    assert sorted(p.name for p in (root / "retros").iterdir()) == before
