"""The command line: exit codes, exact output, help text, formats."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from conftest import FIXTURES, REPO, copy_sample, make_kb, run_cli
from generator.commands.cli import main

RETRO = (Path(__file__).parent / "bad_input" / "overdue-action" / "retros" /
         "overdue-action.md").read_text()


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        found.append((f"{prefix}{name}", command))
        if isinstance(command, click.Group):
            found.extend(_commands(command, f"{prefix}{name} "))
    return found


def test_every_command_has_help_and_is_documented() -> None:
    readme = (REPO / "README.md").read_text()
    docs = "\n".join(p.read_text() for p in (REPO / "docs").rglob("*.md"))
    for name, command in _commands(main):
        assert command.help and len(command.help) > 20, f"{name} needs help text"
        assert f"hindsight {name}" in readme + docs, f"`hindsight {name}` is not documented"
        result = run_cli(*name.split(), "--help")
        assert result.exit_code == 0
        # And every option of it, somewhere a user reads.
        for param in command.params:
            for option in getattr(param, "opts", []):
                if option.startswith("--") and option != "--help":
                    assert option in readme + docs, f"`hindsight {name} {option}` is not documented"


def test_validate_strict_fails_on_warnings(tmp_path: Path) -> None:
    root = make_kb(tmp_path, {"retros/2026-05-sales.md": RETRO})
    relaxed = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15")
    assert relaxed.exit_code == 0
    assert "0 errors, 1 warning; 1 file checked" in relaxed.output
    strict = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15", "--strict")
    assert strict.exit_code == 1


def test_as_of_from_environment(tmp_path: Path, monkeypatch: object) -> None:
    root = make_kb(tmp_path, {"retros/2026-05-sales.md": RETRO})
    import os

    os.environ["HINDSIGHT_AS_OF"] = "2026-06-01"
    try:
        result = run_cli("validate", "--root", str(root))
    finally:
        del os.environ["HINDSIGHT_AS_OF"]
    assert "overdue" not in result.output  # due 2026-06-10, not yet overdue on 2026-06-01
    bad = run_cli("validate", "--root", str(root), "--as-of", "June")
    assert bad.exit_code == 2
    assert "--as-of must be a date like 2026-06-30 (got 'June')" in bad.output


def test_github_format_prints_annotations(tmp_path: Path) -> None:
    root = make_kb(tmp_path, {"retros/x.md": RETRO.replace("owner: Dana Ruiz", "owner: ''")})
    result = run_cli("validate", "--root", str(root), "--format", "github", "--as-of", "2026-06-01")
    assert result.exit_code == 1
    assert re.search(r"^::error file=retros/x\.md,line=\d+,col=\d+::actions\[0\]\.owner: "
                     r"must not be empty", result.output, re.M), result.output


def test_paths_limit_the_report_but_not_the_checks(tmp_path: Path) -> None:
    other = RETRO.replace("period: 2026-05", "period: 2026-06").replace(
        "held: 2026-06-03", "held: 2026-07-01").replace("owner: Dana Ruiz", "owner: ''").replace(
        "SAL-2026-05-1", "SAL-2026-06-1")
    root = make_kb(tmp_path, {"retros/2026-05-sales.md": RETRO, "retros/2026-06-sales.md": other})
    only = run_cli("validate", str(root / "retros" / "2026-05-sales.md"), "--root", str(root),
                   "--as-of", "2026-06-15")
    assert only.exit_code == 0, only.output  # the other file's error is not in the selection
    assert "2026-06-sales" not in only.output
    # As the README promises: not failing the check, but counted, since no site is built.
    assert only.output.splitlines()[-2:] == [
        "0 errors, 1 warning; 1 file checked",  # its action is overdue
        "1 more error in records not reported here: no site is built while they stand (run "
        "`hindsight validate` to see them)"], only.output
    whole = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15")
    assert whole.exit_code == 1


def test_a_report_of_some_files_counts_them_while_the_taxonomy_is_broken(
        tmp_path: Path) -> None:
    # With taxonomy.yml in error, "validate retros/2026-05-sales.md" counted 3 files of a
    # report naming two: the whole knowledge base was counted, not what was selected.
    other = RETRO.replace("period: 2026-05", "period: 2026-06").replace(
        "held: 2026-06-03", "held: 2026-07-01").replace("SAL-2026-05-1", "SAL-2026-06-1")
    root = make_kb(tmp_path, {"retros/2026-05-sales.md": RETRO, "retros/2026-06-sales.md": other})
    taxonomy = root / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text().replace("indicators:", "indicatorz:", 1))
    one = run_cli("validate", str(root / "retros" / "2026-05-sales.md"), "--root", str(root),
                  "--as-of", "2026-06-15")
    assert one.exit_code == 1
    named = {line.split(":", 1)[0] for line in one.output.splitlines()[:-2]}
    assert named == {"taxonomy.yml"}, one.output
    # The record selected and taxonomy.yml, the one file its report names.
    assert one.output.splitlines()[-2].endswith("; 2 files checked"), one.output
    assert one.output.splitlines()[-1].startswith("Not checked while taxonomy.yml has errors")
    every = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15")
    assert every.output.splitlines()[-2].endswith("; 3 files checked"), every.output


def test_a_record_outside_the_record_folders_is_refused_not_passed(tmp_path: Path) -> None:
    # A folder name typo moves a record out of the knowledge base: "validate retro/…" said
    # "0 errors … in 0 files" and exited 0 for a record with an owner missing.
    root = make_kb(tmp_path, {"retros/2026-05-sales.md": RETRO})
    (root / "retro").mkdir()
    moved = root / "retro" / "2026-06-sales.md"
    moved.write_text(RETRO.replace("owner: Dana Ruiz", "owner: ''"))
    (root / "README.md").write_text("# Notes\n")
    # A copy of the record folders elsewhere is no knowledge base of its own either.
    (root / "old" / "retros").mkdir(parents=True)
    shutil.copy(moved, root / "old" / "retros" / moved.name)
    for path in (moved, root / "README.md", root / "retro", root / "old"):
        refused = run_cli("validate", str(path), "--root", str(root), "--as-of", "2026-06-15")
        assert refused.exit_code == 2, refused.output
        assert refused.output == (f"error: {path} is not a record: records are the .md files "
                                  "under retros/ and postmortems/ (a file elsewhere is not "
                                  "read; move it into one of them), and taxonomy.yml is the "
                                  "vocabulary\n")
    # A link in retros/ is that link, refused as one (it was taken for the file it points at,
    # outside the record folders); a link outside them to a record is not that record.
    (root / "retros" / "link.md").symlink_to(Path("..") / "retro" / moved.name)
    (root / "toplink.md").symlink_to(Path("retros") / "2026-05-sales.md")
    link = run_cli("validate", str(root / "retros" / "link.md"), "--root", str(root),
                   "--as-of", "2026-06-15")
    assert link.exit_code == 1 and "retros/link.md:1:1  -  is a symbolic link" in link.output
    outside = run_cli("validate", str(root / "toplink.md"), "--root", str(root),
                      "--as-of", "2026-06-15")
    assert outside.exit_code == 2 and "toplink.md is not a record" in outside.output
    (root / "retros" / "link.md").unlink()
    # The knowledge base itself, a record folder and the taxonomy are still checked.
    for path in (root, root / "retros", root / "taxonomy.yml",
                 root / "retros" / "2026-05-sales.md"):
        checked = run_cli("validate", str(path), "--root", str(root), "--as-of", "2026-06-15")
        assert checked.exit_code == 0, (path, checked.output)


def test_generate_and_build_print_the_problems_on_stderr(tmp_path: Path) -> None:
    # As the README says of every command but validate: their stdout stays their own.
    from sitetools import make_project

    root = make_project(tmp_path / "project", make_kb(tmp_path / "kb", {
        "retros/2026-05-sales.md": RETRO.replace("owner: Dana Ruiz", "owner: ''")}))
    for args in (["generate", "--out", str(tmp_path / "out"), "-q"],
                 ["build", "--site-dir", str(tmp_path / "site"), "--quiet"]):
        run = subprocess.run([sys.executable, "-m", "generator", *args, "--root", str(root),
                              "--as-of", "2026-06-15"], capture_output=True, text=True,
                             check=False, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
        assert run.returncode == 1, run.stderr
        assert run.stdout == "", (args[0], run.stdout)
        assert "retros/2026-05-sales.md:" in run.stderr and "owner" in run.stderr, run.stderr


def test_a_failure_asked_for_as_json_is_json_on_stdout(tmp_path: Path) -> None:
    # `hindsight actions --format json | jq` failed on an empty stdout: the reason was only
    # on stderr, as text. Now stdout holds the error, and the records' problems when they
    # are why; stderr still says it in words.
    root = make_kb(tmp_path / "kb", {"retros/2026-05-sales.md": RETRO.replace(
        "owner: Dana Ruiz", "owner: ''")})
    hindsight = [sys.executable, "-m", "generator"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    record = str(root / "retros" / "2026-05-sales.md")
    for args, exit_code in (
            (["actions", "--format", "json", "--root", str(root)], 1),
            (["recall", record, "--format", "json", "--root", str(root)], 1),
            (["validate", "--format", "json", "--root", str(tmp_path)], 2),  # no taxonomy
            (["actions", "--format", "json", "--root", str(root), "--as-of", "2026-13-01"], 2)):
        run = subprocess.run([*hindsight, *args], capture_output=True, text=True, check=False,
                             cwd=REPO, env={**env, "HINDSIGHT_AS_OF": "2026-06-15"})
        assert run.returncode == exit_code, (args, run.stderr)
        answer = json.loads(run.stdout)
        assert answer["error"]["exit_code"] == exit_code
        assert run.stderr.splitlines()[-1] == f"error: {answer['error']['message']}"
        if exit_code == 1:
            (problem,) = [p for p in answer["problems"] if p["severity"] == "error"]
            assert (problem["path"], problem["field"]) == ("retros/2026-05-sales.md",
                                                           "actions[0].owner")
            assert answer["summary"]["errors"] == 1 and answer["summary"]["records"] is None
    # A table asked for stays text: nothing but the words, on stderr.
    table = subprocess.run([*hindsight, "actions", "--root", str(root)], capture_output=True,
                           text=True, check=False, cwd=REPO, env=env)
    assert table.returncode == 1 and table.stdout == ""


def test_a_broken_taxonomy_fails_the_check_of_a_single_record(tmp_path: Path) -> None:
    # With taxonomy.yml broken no record is checked: a report limited to one record must
    # still say why, and fail, not pass a record nobody looked at.
    root = make_kb(tmp_path, {"retros/2026-05-sales.md": RETRO.replace(
        "period: 2026-05", "period: [2026, 5]")})
    taxonomy = root / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text() + "bogus: 1\n")
    only = run_cli("validate", str(root / "retros" / "2026-05-sales.md"), "--root", str(root),
                   "--as-of", "2026-06-15")
    assert only.exit_code == 1, only.output
    assert "taxonomy.yml:" in only.output and "bogus" in only.output
    # generate says where the error is: not "in the records".
    generated = run_cli("generate", "--out", str(tmp_path / "out"), "--root", str(root),
                        "--as-of", "2026-06-15")
    assert generated.exit_code == 1
    assert generated.output.endswith("error: 1 error in taxonomy.yml; run `hindsight validate` "
                                     "for the list\n"), generated.output


def test_missing_taxonomy_is_a_clear_error(tmp_path: Path) -> None:
    result = run_cli("validate", "--root", str(tmp_path))
    assert result.exit_code == 2
    assert result.output.startswith("error: taxonomy.yml not found")


def test_schema_is_json_schema_with_descriptions() -> None:
    result = run_cli("schema")
    assert result.exit_code == 0
    schema = json.loads(result.output)
    defs = schema["$defs"]
    assert {"Retro", "Review", "Postmortem", "Action"} <= set(defs)
    for name, model in defs.items():
        for field, spec in model.get("properties", {}).items():
            assert spec.get("description"), f"{name}.{field} has no description"
    assert defs["Action"]["additionalProperties"] is False
    assert set(defs["Action"]["required"]) >= {"id", "title", "owner", "due"}
    assert "continue" in defs["Retro"]["properties"]
    assert defs["Status"]["enum"] == ["open", "in-progress", "done", "dropped"]
    assert "done_on" not in defs["Action"]["required"]
    assert "done_on" not in defs["ActionUpdate"]["required"]


def test_the_shipped_schema_file_is_what_hindsight_schema_prints() -> None:
    # Tools that read JSON Schema from a file use docs/record.schema.json (also published
    # with the site); regenerate it with `hindsight schema > docs/record.schema.json`.
    shipped = (REPO / "docs" / "record.schema.json").read_text(encoding="utf-8")
    assert shipped == run_cli("schema").output


def test_schema_of_the_taxonomy_documents_aggregation_formulas_and_timeliness() -> None:
    result = run_cli("schema", "--taxonomy")
    assert result.exit_code == 0, result.output
    defs = json.loads(result.output)["$defs"]
    indicator = defs["Indicator"]["properties"]
    assert {"aggregate", "quarterly", "formula"} <= set(indicator)
    assert indicator["formula"]["description"]  # the field's docstring reaches editors
    assert "held_within_days" in defs["PlanKind"]["properties"]
    # Both choices at once: one was silently ignored (the taxonomy's schema printed).
    both = run_cli("schema", "--type", "retro", "--taxonomy")
    assert both.exit_code == 2 and "give one of them" in both.output, both.output


def test_one_shot_commands_freeze_what_a_paused_block_built() -> None:
    # `hindsight` (every command but serve) freezes instead of collecting; a process that
    # lives on (the test runner, `serve`) keeps collecting.
    code = ("import gc\nfrom generator import gcpause\n{setup}"
            "with gcpause.paused_gc():\n    kept = [[] for _ in range(5000)]\n"
            "print(gc.get_freeze_count())\n")
    counts = []
    for setup in ("", "gcpause.short_lived()\n"):
        out = subprocess.run([sys.executable, "-c", code.format(setup=setup)], cwd=REPO,
                             capture_output=True, text=True, check=True).stdout
        counts.append(int(out))
    assert counts[0] == 0 and counts[1] >= 5000


def test_teams_and_plan_kinds_complete_from_the_taxonomy(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from generator.commands.cli import main

    root = make_kb(tmp_path, {"retros/2026-05-sales.md": RETRO})
    monkeypatch.chdir(root)

    def complete(words: str) -> list[str]:
        env = {"_HINDSIGHT_COMPLETE": "bash_complete", "COMP_WORDS": words,
               "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1))}
        result = CliRunner().invoke(main, [], prog_name="hindsight", env=env)
        return [line.split(",", 1)[1] for line in result.output.splitlines()]

    assert complete("hindsight plan ") == ["campaign", "deal", "launch"]
    assert complete("hindsight actions --team m") == ["marketing"]
    assert complete("hindsight prep --team ") == ["sales", "marketing"]


def test_file_names_that_are_not_utf8_or_hold_markup_print_safely(tmp_path: Path) -> None:
    # Ignored files (warnings only) whose names a contributor chose: a byte that is not UTF-8,
    # a backtick and a pipe, a line break. No traceback, no invalid UTF-8, no broken table.
    root = make_kb(tmp_path / "kb", {"retros/2026-05-sales.md": RETRO})
    for name in (b"notes-\xff.txt", b"a`b|c.txt", b"x\n::error::y.txt"):
        (root / "retros" / os.fsdecode(name)).write_text("notes\n")
    summary = tmp_path / "summary.md"
    github = CliRunner().invoke(main, ["validate", "--root", str(root), "--format", "github",
                                       "--as-of", "2026-06-05"],
                                env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert github.exception is None or isinstance(github.exception, SystemExit), github.output
    assert github.exit_code == 0, github.output
    ignored = "is not a record and is ignored (records are Markdown files ending in .md)"
    assert github.output.splitlines()[:3] == [
        f"::warning file=retros/a`b|c.txt,line=1,col=1::{ignored}",
        f"::warning file=retros/notes-\ufffd.txt,line=1,col=1::{ignored}",
        f"::warning file=retros/x%0A%3A%3Aerror%3A%3Ay.txt,line=1,col=1::{ignored}"]
    cell = ignored.replace("(", "\\(").replace(")", "\\)")
    assert summary.read_text(encoding="utf-8") == (
        "## hindsight validate\n\n| | File | Line | Field | Problem |\n| --- | --- | --- | --- | --- |\n"
        f"| ⚠️ | ``retros/a`b\\|c.txt`` | 1 | `-` | {cell} |\n"
        f"| ⚠️ | `retros/notes-\ufffd.txt` | 1 | `-` | {cell} |\n"
        f"| ⚠️ | `retros/x ::error::y.txt` | 1 | `-` | {cell} |\n\n")
    text = run_cli("validate", "--root", str(root), "--as-of", "2026-06-05")
    assert f"retros/notes-\ufffd.txt:1:1  -  warning: {ignored}" in text.output.splitlines()
    report = json.loads(run_cli("validate", "--root", str(root), "--format", "json",
                                "--as-of", "2026-06-05").output)
    assert [p["path"] for p in report["problems"]] == [
        "retros/a`b|c.txt", "retros/notes-\ufffd.txt", "retros/x\n::error::y.txt"]
    gone = root / "retros" / os.fsdecode(b"gone-\xff.md")
    missing = run_cli("validate", str(gone), "--root", str(root))
    assert missing.exit_code == 2
    assert missing.output == f"error: {root}/retros/gone-\ufffd.md does not exist\n"


def test_a_code_cell_shows_any_file_name_as_typed() -> None:
    from generator.escape import code

    assert code("retros/x.md") == "`retros/x.md`"
    assert code("a`b|c") == "``a`b\\|c``"
    assert code("`a``b`") == "``` `a``b` ```"
    assert code(" x\ny\r\nz ") == "`  x y z  `"


def _as_a_user(args: list[str]) -> list[str]:
    """``args`` run without root's power to read and write any file (tests may run as root,
    for whom a file's permissions change nothing)."""
    if os.geteuid() != 0:
        return args
    return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", *args]


@pytest.mark.skipif(os.geteuid() == 0 and not any(
    (Path(p) / "setpriv").is_file() for p in os.environ.get("PATH", "").split(os.pathsep)),
    reason="running as root without setpriv (util-linux) to drop the power to read any file")
def test_files_the_machine_will_not_open_are_named_without_a_traceback(tmp_path: Path) -> None:
    root = make_kb(tmp_path / "kb", {
        "retros/2026-04-sales.md": RETRO,
        "postmortems/2026-04-x.md": "---\ntype: postmortem\n---\n",
    })
    record = root / "retros" / "2026-04-sales.md"
    record.chmod(0)
    (root / "postmortems").chmod(0)
    hindsight = [sys.executable, "-m", "generator"]
    try:
        validate = subprocess.run(_as_a_user([*hindsight, "validate", "--root", str(root),
                                              "--as-of", "2026-06-15"]),
                                  capture_output=True, text=True, check=False, cwd=REPO)
        (root / "postmortems").chmod(0o755)
        (root / "retros").chmod(0o555)  # nothing may be added to it
        new = subprocess.run(_as_a_user([*hindsight, "new", "retro", "--root", str(root),
                                         "--team", "marketing", "--period", "2026-05"]),
                             capture_output=True, text=True, check=False, cwd=REPO)
    finally:
        (root / "postmortems").chmod(0o755)
        (root / "retros").chmod(0o755)
        record.chmod(0o644)
    assert "Traceback" not in validate.stderr + validate.stdout
    assert validate.returncode == 1
    assert ("retros/2026-04-sales.md:1:1  -  cannot be read: Permission denied (check its "
            "permissions: whoever builds the site must be able to read it)" in validate.stdout
            ), validate.stdout
    assert ("postmortems:1:1  -  is a folder that cannot be read: Permission denied (check its "
            "permissions: its records are left out of this run)" in validate.stdout), validate.stdout
    assert "Traceback" not in new.stderr + new.stdout
    assert new.returncode == 1 and new.stderr.startswith("error: ") and \
        "Permission denied (check its permissions and its folder's)" in new.stderr, new.stderr
    assert not (root / "retros" / "2026-05-marketing.md").exists()


def test_a_cache_that_cannot_be_written_says_the_command_runs_without_it(tmp_path: Path) -> None:
    """.hindsight-cache left as a file (or a folder the machine refuses): the error named the
    file, not that --no-cache runs the command anyway."""
    root = tmp_path / "kb"
    shutil.copytree(FIXTURES / "corpus", root, ignore=shutil.ignore_patterns(".hindsight-cache"))
    (root / ".hindsight-cache").write_text("not a folder")
    out = tmp_path / "out"
    refused = run_cli("generate", "--out", str(out), "--root", str(root), "--as-of", "2026-07-20")
    assert refused.exit_code == 1
    assert "Not a directory (the cache, .hindsight-cache, cannot be written: run the command " \
        "with --no-cache, or delete .hindsight-cache: it is made again)" in refused.output
    done = run_cli("generate", "--out", str(out), "--root", str(root), "--as-of", "2026-07-20",
                   "--no-cache")
    assert done.exit_code == 0, done.output


@pytest.mark.parametrize(("typed", "written"), [
    ("Partner & Channel", "Partner & Channel"),  # an & before a space starts no entity
    ("Sales &", "Sales &"),
    ("R&D", "R&amp;D"),  # "&D…;" might be read as one: escaped
    ("&lt;b&gt;", "&amp;lt;b&amp;gt;"),  # an entity typed shows as typed, not as "<b>"
    ("a < b & *c*", "a &lt; b & \\*c\\*"),
])
def test_markdown_text_keeps_an_ampersand_that_can_start_no_entity(typed: str,
                                                                    written: str) -> None:
    """A team called "Partner & Channel" read "Partner &amp; Channel" in drafts, the terminal
    and pasted plans: the & stays where Markdown cannot take it for an entity."""
    from generator.escape import md

    assert md(typed) == written


def test_the_start_of_an_id_is_suggested_before_one_that_looks_alike() -> None:
    """`hindsight plan partner` suggested "quarter" (letters alike) over "partner-program",
    which it begins."""
    from generator.records.taxonomy import did_you_mean

    kinds = {"partner-program", "quarter", "deal", "launch"}
    assert did_you_mean("partner", kinds) == "did you mean partner-program?"
    assert did_you_mean("quartr", kinds) == "did you mean quarter?"  # a typo, as before
    # Two ids begin with it: the closest by letters, as before.
    assert did_you_mean("lau", {"launch", "launch-event"}).startswith("did you mean launch")


def test_every_command_judges_by_the_sites_pinned_date(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """mkdocs.yml pins the site's date (`as_of: 2026-09-01` under the plugin) and the shell
    has HINDSIGHT_AS_OF=2026-12-03: the published site judged overdue actions by September,
    the pull-request check and `hindsight actions` by December. Every command now reads the
    pinned date, as the site does; `--as-of` still wins."""
    from sitetools import make_project

    project = make_project(tmp_path / "kb", REPO)
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - hindsight\n", "  - hindsight:\n      as_of: 2026-09-01\n", 1), encoding="utf-8")
    monkeypatch.setenv("HINDSIGHT_AS_OF", "2026-12-03")

    def overdue(*extra: str) -> list[str]:
        result = run_cli("validate", "--root", str(project), "--format", "json", *extra)
        assert result.exit_code == 0, result.output
        return sorted(p["message"] for p in json.loads(result.stdout)["problems"]
                      if "is overdue" in p["message"])

    assert overdue() == overdue("--as-of", "2026-09-01")
    assert overdue() != overdue("--as-of", "2026-12-03")
    listed = run_cli("actions", "--root", str(project), "--format", "json")
    assert json.loads(listed.stdout)["as_of"] == "2026-09-01", listed.output
    listed = run_cli("actions", "--root", str(project), "--format", "json", "--as-of",
                     "2026-10-01")
    assert json.loads(listed.stdout)["as_of"] == "2026-10-01", listed.output


@pytest.mark.parametrize(("as_of", "says"), [
    ("2026-11-31", "mkdocs.yml:48:14 2026-11-31 is not a date: day is out of range for month "
                   "(check the day and the month)"),
    ('"November 2026"', "as_of of the hindsight plugin in mkdocs.yml must be a date like "
                        "2026-06-30 (got 'November 2026')"),
])
def test_every_command_refuses_a_pinned_date_that_is_no_date(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, as_of: str, says: str) -> None:
    """`as_of: 2026-11-31` in mkdocs.yml failed the nightly build, while validate, actions,
    plan, recall and prep ignored it and judged by HINDSIGHT_AS_OF or today, exit 0: the
    pull-request check passed. Each now stops on it as the build does, even with --as-of."""
    from sitetools import make_project

    project = make_project(tmp_path / "kb", make_kb(tmp_path / "records", {
        "retros/2026-05-sales.md": RETRO}))
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  - hindsight\n", f"  - hindsight:\n      as_of: {as_of}\n", 1), encoding="utf-8")
    monkeypatch.setenv("HINDSIGHT_AS_OF", "2026-06-15")
    record = str(project / "retros" / "2026-05-sales.md")
    for args in (["validate"], ["validate", "--as-of", "2026-06-15"], ["actions"],
                 ["plan", "campaign"], ["recall", record],
                 ["prep", "--team", "sales", "--period", "2026-06", "--facilitator", "Ana"],
                 ["generate", "--out", str(tmp_path / "out")]):
        result = run_cli(*args, "--root", str(project))
        assert result.exit_code == 2, (args, result.output)
        assert result.output == f"error: {says}\n", (args, result.output)
    assert not (project / "retros" / "2026-06-sales.md").exists()
    as_json = run_cli("validate", "--format", "json", "--root", str(project))
    assert json.loads(as_json.stdout)["error"] == {"message": says, "exit_code": 2}


def _marketing_retro(period: str, held: str, extra: str = "") -> str:
    return (f"---\ntype: retro\nperiod: {period}\nteam: marketing\nheld: {held}\n"
            "facilitator: Ines Park\nparticipants: [Ines Park, Omar Diaz]\n"
            "format: went-well-didnt\nindicators:\n  win-rate: {smb: \"3/10\"}\n"
            f"went_well: [Webinar turnout]\n{extra}---\n\nNotes.\n")


def test_validate_says_which_checks_an_unreadable_record_stops(tmp_path: Path) -> None:
    """One record file that cannot be read may close any action and hold any month, so the
    overdue and missing-month warnings wait for it, and a record with errors leaves its
    readings out of the quarter's figures, so the scorecard check waits too. They vanished
    without a word (the sample's warnings went from 11 to 2); the summary now names the
    checks that did not run and the file that stopped them, in text and JSON."""
    root = make_kb(tmp_path / "kb", {
        # January raises an action due in February; February has no retro.
        "retros/2026-01-marketing.md": _marketing_retro("2026-01", "2026-02-03", (
            "actions:\n  - {id: MKT-1, title: Rewrite the nurture emails, owner: Ines Park, "
            "due: 2026-02-10}\n")),
        "retros/2026-03-marketing.md": _marketing_retro("2026-03", "2026-04-02"),
        "retros/2026-q1-review.md": (
            "---\ntype: review\nperiod: 2026-Q1\nheld: 2026-04-08\nfacilitator: Omar Diaz\n"
            "participants: [Omar Diaz]\nscorecard:\n  - {metric: Win rate, goal: 0.25, "
            "actual: 0.3, unit: rate, better: up, indicator: win-rate}\npriorities: [Focus]\n"
            "external_factors: [None]\n---\n\nThe quarter.\n"),
    })
    args = ("validate", "--root", str(root), "--as-of", "2026-04-20")
    clean = run_cli(*args, "--format", "json")
    report = json.loads(clean.stdout)
    assert [p["message"] for p in report["problems"]] == [
        "action MKT-1 is overdue (due 2026-02-10, owner Ines Park)",
        "marketing has no retro for 2026-02 (between 2026-01 and 2026-03)"]
    assert report["summary"]["not_run"] == []

    (root / "retros" / "2026-04-marketing.md").write_text("no front matter here\n")
    text = run_cli(*args)
    assert text.exit_code == 1
    assert text.output.splitlines()[1:] == [
        "1 error, 0 warnings; 4 files checked",
        "Not checked while retros/2026-04-marketing.md has errors: overdue actions, months "
        "without a retro, action updates naming no action and scorecard actuals against the "
        "quarter's records"]
    summary = json.loads(run_cli(*args, "--format", "json").stdout)["summary"]
    assert (summary["errors"], summary["warnings"]) == (1, 0)
    assert summary["not_run"] == [{
        "checks": ["overdue-actions", "missing-retros", "unknown-action-updates",
                   "scorecard-actuals"],
        "because": ["retros/2026-04-marketing.md"],
        "message": text.output.splitlines()[2]}]


def test_validate_says_records_wait_for_the_taxonomy(tmp_path: Path) -> None:
    """A taxonomy.yml that fails its schema stops every check of the records (they are checked
    against it): the summary says so, rather than report their problems as none."""
    root = make_kb(tmp_path / "kb", {"retros/2026-05-sales.md": RETRO})
    taxonomy = root / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text().replace("company: Testco\n", ""))
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        "Not checked while taxonomy.yml has errors: the records' fields and the rules across "
        "records")


@pytest.mark.parametrize("args", [["validate"], ["validate", "--format", "json"],
                                  ["actions", "--all"], ["actions", "--format", "json"],
                                  ["plan", "campaign"]],
                         ids=["validate", "validate-json", "actions", "actions-json", "plan"])
def test_a_reader_that_goes_away_ends_the_command_as_sigpipe_would(
        tmp_path: Path, args: list[str]) -> None:
    """`hindsight validate | head -1` on a valid knowledge base exited 1, the code for records
    with errors, when head closed the pipe. Now it ends quietly with 141 (128 + SIGPIPE), as
    `yes | head -1` does: a reader gone is no error in the records."""
    root = copy_sample(tmp_path / "kb")
    assert run_cli("validate", "--root", str(root), "--as-of", "2026-12-01").exit_code == 0
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first line: deterministic, as head's race is not
    try:
        run = subprocess.run([sys.executable, "-m", "generator", *args, "--root", str(root),
                              "--as-of", "2026-12-01"], stdout=write, stderr=subprocess.PIPE,
                             check=False, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    finally:
        os.close(write)
    assert run.returncode == 141, run.stderr
    assert run.stderr == b"", run.stderr  # no traceback, no "Exception ignored"

