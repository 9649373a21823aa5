"""The command line at scale: JSON output, progress only on terminals, shell completion."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import generator.commands.terminal
from conftest import FIXTURES, run_cli
from generator.commands.terminal import TerminalProgress, progress_for
from generator.progress import QUIET
from generator.records.types import parse_as_of
from generator.site.build import build

CORPUS = FIXTURES / "corpus"
AS_OF = "2026-07-20"


def test_validate_json_lists_every_problem_located_and_the_summary(tmp_path: Path) -> None:
    root = tmp_path / "kb"
    shutil.copytree(CORPUS, root)
    record = root / "retros" / "2026-05-sales.md"
    text = record.read_text(encoding="utf-8")
    record.write_text(text.replace("team: sales", "team: salez"), encoding="utf-8")
    line = text.splitlines().index("team: sales") + 1
    result = run_cli("validate", "--format", "json", "--root", str(root), "--as-of", AS_OF)
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    team = [p for p in report["problems"] if p["field"] == "team"]
    assert team == [{"path": "retros/2026-05-sales.md", "line": line, "col": 7, "field": "team",
                     "message": team[0]["message"], "hint": team[0]["hint"],
                     "severity": "error", "caused_by": None}]
    assert "salez" in team[0]["message"] and "sales" in team[0]["hint"]
    summary = report["summary"]
    errors = sum(1 for p in report["problems"] if p["severity"] == "error")
    assert summary == {"errors": errors, "warnings": len(report["problems"]) - errors,
                       "files": 7, "errors_elsewhere": 0, "records": None,
                       "held_later": None, "retros": None, "as_of": AS_OF,
                       "not_run": [{"checks": ["scorecard-actuals"],
                                    "because": ["retros/2026-05-sales.md"],
                                    "message": summary["not_run"][0]["message"]}]}


def test_validate_json_on_clean_records_counts_them() -> None:
    result = run_cli("validate", "--format", "json", "--root", str(CORPUS), "--as-of", AS_OF)
    report = json.loads(result.stdout)
    # 5 retros and reviews, 2 post-mortems: 7 record files.
    assert report["summary"]["errors"] == 0 and report["summary"]["records"] == 7
    assert report["summary"]["held_later"] == 0
    assert report["summary"]["files"] == 7


def test_actions_json_gives_days_overdue_and_late() -> None:
    result = run_cli("actions", "--all", "--format", "json", "--root", str(CORPUS),
                     "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["as_of"] == AS_OF
    rows = {row["id"]: row for row in data["actions"]}
    # Due 2026-06-10, still open on 2026-07-20: 20 days of June and 20 of July.
    assert rows["SAL-2026-05-1"]["days_overdue"] == 40
    assert rows["SAL-2026-05-1"]["status"] == "open"
    assert rows["SAL-2026-05-1"]["label"] == "overdue"
    assert rows["SAL-2026-05-1"]["raised_in"] == "2026-05-sales"
    # Due 2026-04-30, done 2026-05-03: three days late, never overdue now.
    assert rows["SAL-2026-03-2"]["days_late"] == 3
    assert rows["SAL-2026-03-2"]["days_overdue"] is None
    assert rows["SAL-2026-03-2"]["done_on"] == "2026-05-03"
    # The default register (open only) leaves the done ones out.
    open_only = json.loads(run_cli("actions", "--format", "json", "--root", str(CORPUS),
                                   "--as-of", AS_OF).stdout)
    assert "SAL-2026-03-2" not in {row["id"] for row in open_only["actions"]}
    assert "SAL-2026-05-1" in {row["id"] for row in open_only["actions"]}



def test_actions_json_rows_are_the_sites_export_rows() -> None:
    """One vocabulary: `hindsight actions --format json` gives each action exactly as the
    site's data/actions.json does (done_on as stated, done_date as counted, null for n/a)."""
    exported = {r["id"]: r for r in json.loads(
        build(CORPUS, parse_as_of(AS_OF)).files["data/actions.json"])}
    printed = json.loads(run_cli("actions", "--all", "--format", "json", "--root", str(CORPUS),
                                 "--as-of", AS_OF).stdout)["actions"]
    assert printed and all(row == exported[row["id"]] for row in printed)
    assert {row["id"] for row in printed} == set(exported)


def test_record_export_links_the_served_page() -> None:
    generated = build(CORPUS, parse_as_of(AS_OF)).files
    rows = {r["id"]: r for r in json.loads(generated["data/records.json"])}
    # The address the page is served at, relative to the site root; not the Markdown source.
    assert rows["2026-05-sales"]["page"] == "records/2026-05-sales/"
    assert rows["2026-05-sales"]["source"] == "retros/2026-05-sales.md"

class _Recorder:
    def __init__(self) -> None:
        self.stages: list[tuple[str, int, int]] = []

    def stage(self, name: str, done: int, total: int) -> None:
        self.stages.append((name, done, total))


def test_the_pipeline_reports_each_stage() -> None:
    recorder = _Recorder()
    generated = build(CORPUS, parse_as_of(AS_OF), progress=recorder)
    charts = sum(1 for path in generated.files if path.endswith(".svg"))
    pages = sum(1 for path in generated.files if path.endswith(".md"))
    assert recorder.stages == [("records validated", 7, 7), ("charts drawn", charts, charts),
                               ("pages rendered", pages, pages)]
    assert charts > 0 and pages > 7


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_shows_only_on_a_terminal_and_not_when_quiet(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(generator.commands.terminal.sys, "stdout", io.StringIO())
    monkeypatch.setattr(generator.commands.terminal.sys, "stderr", io.StringIO())
    assert progress_for(quiet=False) is QUIET
    terminal = _Terminal()
    monkeypatch.setattr(generator.commands.terminal.sys, "stdout", _Terminal())
    monkeypatch.setattr(generator.commands.terminal.sys, "stderr", terminal)
    assert progress_for(quiet=True) is QUIET
    shown = progress_for(quiet=False)
    assert isinstance(shown, TerminalProgress)
    shown.stage("charts drawn", 3, 12)
    assert "charts drawn 3/12" in re.sub(r"\x1b\[[0-9;]*m", "", terminal.getvalue())


def test_shell_completion_prints_a_script() -> None:
    script = Path(sys.executable).with_name("hindsight")
    env = {**os.environ, "_HINDSIGHT_COMPLETE": "bash_source"}
    result = subprocess.run([str(script)], env=env, capture_output=True, text=True,
                            check=False, timeout=60)
    assert result.returncode == 0
    assert "complete -o nosort -F _hindsight_completion hindsight" in result.stdout
    # And the script answers: completing `hindsight va` offers validate.
    env = {**os.environ, "_HINDSIGHT_COMPLETE": "bash_complete", "COMP_WORDS": "hindsight va",
           "COMP_CWORD": "1"}
    answer = subprocess.run([str(script)], env=env, capture_output=True, text=True,
                            check=False, timeout=60)
    assert "plain,validate" in answer.stdout


@pytest.mark.parametrize("args", [["actions", "--format", "json"], ["plan", "campaign"],
                                  ["recall", "{root}/retros", "--format", "json"]])
def test_with_invalid_records_stdout_stays_clean_and_the_exit_code_is_1(
        tmp_path: Path, args: list[str]) -> None:
    """A script reading `hindsight actions --format json` must get JSON only: the problems
    go to stderr as text (they went to stdout, thousands of lines at scale), and stdout holds
    them as one JSON document with the error; a command printing text prints nothing."""
    root = tmp_path / "kb"
    shutil.copytree(CORPUS, root)
    taxonomy = root / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text().replace("  - id: icp-drift", "  - id: icp-shift"))
    result = run_cli(*(a.format(root=root) for a in args), "--root", str(root), "--as-of", AS_OF)
    assert result.exit_code == 1, result.output
    if "json" in args:
        answer = json.loads(result.stdout)
        assert answer["error"]["exit_code"] == 1
        assert any("unknown cause 'icp-drift'" in p["message"] for p in answer["problems"])
    else:
        assert result.stdout == ""
    assert "unknown cause 'icp-drift'" in result.stderr
    assert "the knowledge base has errors" in result.stderr
