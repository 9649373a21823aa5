"""The GitHub workflows users run: linted offline, and their triggers and permissions pinned."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import REPO
from gittools import commit_all, git, init

WORKFLOWS = REPO / ".github" / "workflows"
BIN = Path(sys.executable).parent


def _load(name: str) -> dict[str, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text())
    # PyYAML reads the key `on` as True (YAML 1.1); GitHub reads it as "on".
    if True in data:
        data["on"] = data.pop(True)
    return dict(data)


def _tool(name: str) -> str:
    path = shutil.which(name, path=str(BIN)) or shutil.which(name)
    assert path, f"{name} is a dev dependency; run make install"
    return path


def test_workflows_match_the_official_schema() -> None:
    result = subprocess.run(
        [_tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows",
         *sorted(str(p) for p in WORKFLOWS.glob("*.yml"))],
        capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflows_pass_the_security_linter_offline() -> None:
    result = subprocess.run(
        [_tool("zizmor"), "--offline", "--config", str(REPO / ".github" / "zizmor.yml"),
         str(WORKFLOWS)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_validate_runs_on_pull_requests_read_only_without_secrets() -> None:
    workflow = _load("validate.yml")
    code = "\n".join(line for line in (WORKFLOWS / "validate.yml").read_text().splitlines()
                     if not line.lstrip().startswith("#"))
    assert set(workflow["on"]) == {"pull_request"}
    assert "pull_request_target" not in code
    assert "secrets." not in code
    assert workflow["permissions"] == {"contents": "read"}
    steps = workflow["jobs"]["validate"]["steps"]
    runs = "\n".join(step.get("run", "") for step in steps)
    assert "hindsight validate --changed-since" in runs
    # A knowledge base's pull request is validated and built, not run against Hindsight's
    # own tests: those are written against the sample records it replaces.
    assert "hindsight build" in runs and "make test" not in runs
    checkout = next(s for s in steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    assert any(s.get("uses", "").startswith("actions/upload-artifact@") for s in steps)


def test_publish_deploys_main_with_least_privilege_in_order() -> None:
    workflow = _load("publish.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    # Daily too: the figures are as of the build day, and overdue actions age without merges.
    minute, hour, *every = workflow["on"]["schedule"][0]["cron"].split()
    assert every == ["*", "*", "*"] and minute.isdigit() and hour.isdigit()
    assert workflow["permissions"] == {}
    assert workflow["concurrency"]["cancel-in-progress"] is False
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    checkout = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    uses = [s.get("uses", "") for s in build["steps"] + deploy["steps"]]
    assert any(u.startswith("actions/upload-pages-artifact@") for u in uses)
    assert any(u.startswith("actions/deploy-pages@") for u in uses)
    assert "hindsight build" in "\n".join(s.get("run", "") for s in build["steps"])


def test_pull_request_template_has_the_authors_checklist() -> None:
    text = (REPO / ".github" / "pull_request_template.md").read_text().lower()
    for item in ("owner", "due date", "blameless", "lessons"):
        assert item in text
    assert text.count("- [ ]") >= 4


def test_pre_commit_hook_runs_validate() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "hindsight-validate")
    assert hook["entry"] == "hindsight validate"
    assert hook["language"] == "python" and hook["pass_filenames"] is False
    import re

    for path in ("retros/2026-05-sales.md", "postmortems/x.md", "taxonomy.yml"):
        assert re.search(hook["files"], path)
    assert not re.search(hook["files"], "docs/index.md")


def test_validate_writes_the_recall_to_the_summary_and_an_artifact() -> None:
    steps = _load("validate.yml")["jobs"]["validate"]["steps"]
    recall = next(s for s in steps if "hindsight recall" in s.get("run", ""))
    assert '--changed-since "origin/${BASE_REF}" --format github > recall/comment.md' in recall["run"]
    assert recall["env"]["PR_NUMBER"] == "${{ github.event.pull_request.number }}"
    upload = next(s for s in steps if s.get("with", {}).get("name") == "recall")
    assert upload["uses"].startswith("actions/upload-artifact@") and upload["with"]["path"] == "recall"
    # Recalled before the strict build, so a failing build still leaves the comment its
    # artifact.
    names = [s.get("name", "") for s in steps]
    assert names.index(recall["name"]) < names.index("Build the site (strict)")


# Tracked files a pull request may change without running the suite: one no test reads, and
# the knowledge base's own content (records, taxonomy, site configuration, hand-written docs,
# theme overrides), which a knowledge base made from this template changes in every pull
# request of its own: the suite, written against the sample, would fail there (the
# `validate` workflow checks those changes).
NOT_READ_BY_TESTS = {".gitignore"}
KNOWLEDGE_BASE = ("retros/", "postmortems/", "taxonomy.yml", "mkdocs.yml", "docs/", "overrides/")


def test_hindsights_own_tests_run_whenever_a_file_they_read_changes() -> None:
    # A path filter that misses a file the tests read lets a pull request break them unseen:
    # a workflow edit (or Dependabot's action update) never linted. One that takes in the
    # knowledge base's content runs the sample's tests on every records pull request of a
    # knowledge base made from the template, and fails them.
    workflow = _load("tests.yml")
    assert set(workflow["on"]) == {"pull_request"}
    patterns = workflow["on"]["pull_request"]["paths"]
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True,
                            check=False)
    if listed.returncode != 0:
        pytest.skip("not a git checkout: the tracked files are unknown")
    tracked = {os.fsdecode(p) for p in listed.stdout.split(b"\0") if p}

    def covered(path: str) -> bool:
        return any(path == p or (p.endswith("/**") and path.startswith(p[:-2]))
                   for p in patterns)

    assert all(p.endswith("/**") or "*" not in p for p in patterns), patterns  # as read here
    content = {p for p in tracked if p.startswith(KNOWLEDGE_BASE)}
    assert content and sorted(p for p in tracked - NOT_READ_BY_TESTS - content
                              if not covered(p)) == []
    assert not any(covered(p) for p in NOT_READ_BY_TESTS | content)
    assert workflow["permissions"] == {"contents": "read"}
    runs = "\n".join(s.get("run", "") for s in workflow["jobs"]["tests"]["steps"])
    assert runs.strip() == "make test"


GUARD = ("python3 -I base/generator/commands/comment_guard.py recall/comment.md "
         "base/mkdocs.yml")
"""The one program the comment workflow runs on the artifact: the default branch's sanitiser."""


def test_recall_comment_reads_only_the_artifact_and_writes_only_comments() -> None:
    workflow = _load("recall-comment.yml")
    text = (WORKFLOWS / "recall-comment.yml").read_text()
    code = "\n".join(line.split(" #", 1)[0] for line in text.splitlines()
                     if not line.lstrip().startswith("#"))
    assert workflow["on"] == {"workflow_run": {"workflows": ["validate"], "types": ["completed"]}}
    assert "pull_request_target" not in code and "secrets." not in code
    assert workflow["permissions"] == {}
    (job,) = workflow["jobs"].values()
    assert job["permissions"] == {"actions": "read", "contents": "read", "pull-requests": "write"}
    assert [k for k, v in job["permissions"].items() if v == "write"] == ["pull-requests"]
    assert "github.event.workflow_run.event == 'pull_request'" in job["if"]
    steps = job["steps"]
    uses = [s["uses"] for s in steps if "uses" in s]
    # Checks out the default branch's sanitiser by commit, before the artifact is there, and
    # never the pull request: not its head, not its ref.
    assert [u.split("@")[0] for u in uses] == ["actions/checkout", "actions/download-artifact"]
    checkout = steps[0]["with"]
    assert checkout == {"ref": "${{ github.sha }}", "path": "base", "persist-credentials": False,
                        "sparse-checkout": "generator/commands/comment_guard.py\n"
                                           "mkdocs.yml\n",
                        "sparse-checkout-cone-mode": False}
    assert "workflow_run.head" not in str(checkout) and "pull_request" not in str(checkout)
    download = steps[1]["with"]
    assert download["run-id"] == "${{ github.event.workflow_run.id }}"
    assert download["name"] == "recall" and download["path"] == "recall"
    script = "\n".join(s.get("run", "") for s in steps)
    # Runs nothing the pull request could have written: no interpreter, installer or script
    # from the artifact, which is only read as text, by the default branch's sanitiser under
    # the runner's own Python in isolated mode.
    import re

    assert script.count("python3") == 1 and GUARD in script
    rest = script.replace(GUARD, "")
    for word in ("checkout", "make", "pip", "python", "python3", "hindsight", "bash", "sh",
                 "source", "eval", "chmod", "cat"):
        assert not re.search(rf"(?<![\w-]){word}(?![\w-])", rest), word
    for text in ("./", ".venv", "${{"):
        assert text not in script, text
    assert 'head="$(gh api "repos/${REPO}/pulls/${pr}" --jq .head.sha)"' in script
    assert '[ "$head" != "$HEAD_SHA" ]' in script
    assert "issues/comments/${existing}" in script  # updates the one sticky comment
    assert "-F body=@body.md" in script  # posts only what the sanitiser wrote
    assert steps[-1]["env"]["HEAD_SHA"] == "${{ github.event.workflow_run.head_sha }}"


def _post_body(tmp_path: Path, comment: bytes, site_url: str | None = None) -> str:
    """What the comment step posts for an artifact's ``comment``: its own shell, run with the
    sanitiser and mkdocs.yml where its checkout puts them (``python3``: this interpreter)."""
    steps = _load("recall-comment.yml")["jobs"]["comment"]["steps"]
    script = next(s["run"] for s in steps if "body.md" in s.get("run", ""))
    block = script[script.index("\n{\n") + 1:script.index("} > body.md") + 11]
    (tmp_path / "recall").mkdir()
    (tmp_path / "recall" / "comment.md").write_bytes(comment)
    guard = Path("generator", "commands", "comment_guard.py")
    (tmp_path / "base" / guard.parent).mkdir(parents=True)
    shutil.copy(REPO / guard, tmp_path / "base" / guard)
    if site_url is not None:
        (tmp_path / "base" / "mkdocs.yml").write_text(f"site_name: KB\nsite_url: {site_url}\n")
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "python3").symlink_to(sys.executable)
    env = {**os.environ, "PATH": f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run(["bash", "-c", "set -euo pipefail\nmarker='<!-- hindsight-recall -->'\n"
                    + block], cwd=tmp_path, env=env, check=True)
    return (tmp_path / "body.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", sorted(WORKFLOWS.glob("*.yml")), ids=lambda p: p.name)
def test_every_action_is_pinned_by_commit_sha_with_its_version(path: Path) -> None:
    import re

    uses = [line for line in path.read_text().splitlines() if re.match(r"\s*(- )?uses:", line)]
    assert uses
    for line in uses:
        assert re.search(r"uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$", line), line


def test_zizmor_keeps_its_default_pinning_rule() -> None:
    config = yaml.safe_load((REPO / ".github" / "zizmor.yml").read_text()) or {}
    assert "unpinned-uses" not in (config.get("rules") or {})


def test_dependabot_updates_actions_and_pip() -> None:
    config = yaml.safe_load((REPO / ".github" / "dependabot.yml").read_text())
    assert config["version"] == 2
    ecosystems = {u["package-ecosystem"] for u in config["updates"]}
    assert ecosystems == {"github-actions", "pip"}


def test_publish_installs_only_what_building_needs() -> None:
    steps = _load("publish.yml")["jobs"]["build"]["steps"]
    runs = "\n".join(step.get("run", "") for step in steps)
    assert "pip install --quiet ." in runs
    assert "[dev]" not in runs and "make install" not in runs


def test_a_long_recall_comment_is_cut_at_a_whole_line_and_says_so(tmp_path: Path) -> None:
    # The comment step's own shell, run on a 70,000-byte recall of 100-byte lines.
    line = "- [A record](https://example.com/records/x/) cited it " + "x" * 45 + "\n"
    assert len(line) == 100
    body = _post_body(tmp_path, (line * 700).encode(), "https://example.com/")
    lines = body.splitlines()
    assert lines[0] == "<!-- hindsight-recall -->" and len(body) < 60_200
    assert lines[-1].startswith("*Cut here at 60,000 characters")
    assert all(text == line.rstrip("\n") for text in lines[1:-2])  # no line cut in two
    assert lines[-2] == ""


def test_the_comment_step_posts_a_hostile_recall_as_inert_text(tmp_path: Path) -> None:
    # What a pull request's own code could write into the artifact: pings, HTML, an image, a
    # link elsewhere, bare addresses, a cross-reference, a Mermaid block; and one honest link.
    hostile = (
        b"## What the knowledge base already knows\n\n"
        b"- [ ] Check [Expo](https://kb.example/site/records/expo/#actions) first\n"
        b"cc -@octocat, cc:@github/security, x.@user /@user (@team) ann@example.com\n"
        b"<img src=x onerror=alert(1)> <!-- hindsight-recall --> &#64;octocat &amp; &lt;\n"
        b"![pixel](https://evil.example/p.png) [approve](https://evil.example) "
        b"[up](https://kb.example/site/../other/)\n"
        b"[ref]: https://evil.example\n"
        b"see https\\://evil.example or www.evil.example, fixes other/repo#12\n"
        b"```mermaid\ngraph TD; A-->B\n```\n"
        b"costs $5 to $6\n"
    ) + b"bad byte \xff, \x1b[31mred\xe2\x80\xae\n"
    body = _post_body(tmp_path, hostile, '"https://kb.example/site"  # the site')
    assert body == (
        "<!-- hindsight-recall -->\n"
        "## What the knowledge base already knows\n\n"
        "- [ ] Check [Expo](https://kb.example/site/records/expo/#actions) first\n"
        "cc -@\u2060octocat, cc:@\u2060github/security, x.@\u2060user /@\u2060user (@\u2060team) "
        "ann@\u2060example.com\n"
        "&lt;img src=x onerror=alert(1)> &lt;!-- hindsight-recall --> &amp;#\u206064;octocat "
        "&amp; &lt;\n"
        "!\\[pixel\\](https:\u2060//evil.example/p.png) \\[approve\\](https:\u2060//evil.example) "
        "\\[up\\](https:\u2060//kb.example/site/../other/)\n"
        "\\[ref\\]: https:\u2060//evil.example\n"
        "see https\\:\u2060//evil.example or www\u2060.evil.example, fixes other/repo#\u206012\n"
        "\\```mermaid\ngraph TD; A-->B\n\\```\n"
        "costs \\$5 to \\$6\n"
        "bad byte \ufffd, \ufffd\\[31mred\ufffd\n")


def test_without_a_site_url_the_comment_keeps_no_link(tmp_path: Path) -> None:
    body = _post_body(tmp_path, b"- [Expo](https://kb.example/records/expo/)\n")
    assert body == "<!-- hindsight-recall -->\n- \\[Expo\\](https:\u2060//kb.example/records/expo/)\n"


def test_a_push_that_does_not_validate_updates_the_comment_to_say_so(tmp_path: Path) -> None:
    steps = _load("validate.yml")["jobs"]["validate"]["steps"]
    names = [s.get("name", "") for s in steps]
    say = next(s for s in steps if s.get("name", "").startswith("Say in the comment"))
    upload = next(s for s in steps if s.get("with", {}).get("name") == "recall")
    # It runs only when validation or the recall failed (not the install, which says
    # nothing about the records), and the upload runs anyway.
    validate = next(s for s in steps if s.get("name") == "Validate the changed records")
    recall = next(s for s in steps if s.get("name", "").startswith("Recall what"))
    assert say["if"] == (f"!cancelled() && (steps.{validate['id']}.outcome == 'failure' || "
                         f"steps.{recall['id']}.outcome == 'failure')")
    assert say["env"]["VALIDATED"] == f"${{{{ steps.{validate['id']}.outcome }}}}"
    assert upload["if"].startswith("always()")
    assert names.index("Validate the changed records") < names.index(say["name"]) \
        < names.index(upload["name"]) < names.index("Build the site (strict)")
    # The changed records validate but the recall stops at the knowledge base's errors (in
    # records the pull request did not change): the whole knowledge base is validated, so
    # they are annotated, and the comment says the records have errors, not that they
    # validate.
    whole = next(s for s in steps if s.get("id") == "whole")
    assert whole["run"].splitlines()[-1] == ".venv/bin/hindsight validate --format github"
    assert whole["if"] == (f"steps.{validate['id']}.outcome == 'success' && "
                           f"steps.{recall['id']}.outcome == 'failure'")
    assert say["env"]["WHOLE"] == "${{ steps.whole.outcome }}"
    assert names.index(recall["name"]) < names.index(whole["name"]) < names.index(say["name"])
    for validated, whole_outcome, says in (
            ("failure", "skipped", "The records at abc1234 do not validate"),
            ("success", "failure", "The knowledge base at abc1234 has errors in records this "
                                   "pull request did not change"),
            ("success", "success", "The records at abc1234 validate, but recalling")):
        env = {**os.environ, "PR_NUMBER": "42", "HEAD_SHA": "abc1234", "VALIDATED": validated,
               "WHOLE": whole_outcome}
        subprocess.run(["bash", "-c", "set -euo pipefail\n" + say["run"]], cwd=tmp_path,
                       env=env, check=True)
        comment = (tmp_path / "recall" / "comment.md").read_text()
        assert comment.startswith("## What the knowledge base already knows\n\n")
        assert says in comment
        assert (tmp_path / "recall" / "pull-request").read_text() == "42\n"


def test_a_pull_request_that_changes_no_record_gets_no_new_comment(tmp_path: Path) -> None:
    # validate marks the artifact when the recall says no record changed...
    steps = _load("validate.yml")["jobs"]["validate"]["steps"]
    mark = next(s for s in steps if s.get("name") == "Mark a pull request that changes no record")
    assert mark["if"] == "steps.recall.outputs.changed == 'false'"
    assert mark["run"].strip() == "touch recall/no-record-changed"
    # ...and the comment step, run with a stand-in for `gh` that answers as GitHub would and
    # logs every call, posts nothing then, but still updates a comment posted earlier.
    comment = next(s for s in _load("recall-comment.yml")["jobs"]["comment"]["steps"]
                   if "body.md" in s.get("run", ""))
    (tmp_path / "recall").mkdir()
    (tmp_path / "recall" / "pull-request").write_text("42\n")
    (tmp_path / "recall" / "comment.md").write_text(
        "## What the knowledge base already knows\n\nNo record changed since origin/main.\n")
    guard = Path("generator", "commands", "comment_guard.py")
    (tmp_path / "base" / guard.parent).mkdir(parents=True)
    shutil.copy(REPO / guard, tmp_path / "base" / guard)
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "python3").symlink_to(sys.executable)
    gh = tmp_path / "bin" / "gh"
    gh.write_text('#!/bin/sh\nprintf \'%s\\n\' "$*" >> "$GH_LOG"\n'
                  'case "$*" in\n'
                  '  *pulls/42*) echo abc1234 ;;\n'
                  '  *issues/42/comments*--paginate*|*--paginate*issues/42/comments*)'
                  ' printf \'%s\' "$EXISTING" ;;\n'
                  'esac\n')
    gh.chmod(0o755)

    def run(existing: str, no_change: bool) -> list[str]:
        mark = tmp_path / "recall" / "no-record-changed"
        mark.unlink(missing_ok=True)
        if no_change:
            mark.touch()
        log = tmp_path / "gh.log"
        log.write_text("")
        env = {**os.environ, "PATH": f"{tmp_path / 'bin'}{os.pathsep}{os.environ['PATH']}",
               "GH_LOG": str(log), "EXISTING": existing, "GH_TOKEN": "x", "REPO": "o/r",
               "HEAD_SHA": "abc1234"}
        subprocess.run(["bash", "-c", comment["run"]], cwd=tmp_path, env=env, check=True,
                       capture_output=True)
        return [line.removeprefix("api --method ") for line in log.read_text().splitlines()
                if line.startswith("api --method ")]

    assert run(existing="", no_change=True) == []
    assert run(existing="7", no_change=True) == ["PATCH repos/o/r/issues/comments/7 -F body=@body.md"]
    assert run(existing="", no_change=False) == ["POST repos/o/r/issues/42/comments -F body=@body.md"]


def test_a_pull_request_that_changes_no_record_passes_on_a_base_with_errors(
        tmp_path: Path) -> None:
    # Main has a record error of its own (two pull requests that each validated, merged), and
    # a pull request changes only the README: the check's steps, run as written, pass it, with
    # no comment saying its records fail and no site preview.
    steps = {s.get("name", ""): s for s in _load("validate.yml")["jobs"]["validate"]["steps"]}
    root = tmp_path / "kb"
    root.mkdir()
    for name in ("taxonomy.yml", "mkdocs.yml", "README.md"):
        shutil.copy(REPO / name, root)
    for folder in ("retros", "postmortems"):
        shutil.copytree(REPO / folder, root / folder)
    retro = root / "retros" / "2025-07-sales.md"
    retro.write_text(retro.read_text().replace("- cause: icp-drift", "- cause: icp-drfit", 1))
    init(root)
    commit_all(root, "The knowledge base", "Mia Chen", "2026-11-01T09:00:00+00:00")
    git(root, "update-ref", "refs/remotes/origin/main", "HEAD")
    git(root, "checkout", "-q", "-b", "readme")
    (root / "README.md").write_text("# Our retros\n")
    commit_all(root, "README", "Ann Lee", "2026-11-21T09:00:00+00:00")
    # `make install`'s hindsight, as this test's Python running this checkout's code.
    (root / ".venv" / "bin").mkdir(parents=True)
    hindsight = root / ".venv" / "bin" / "hindsight"
    hindsight.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m generator "$@"\n')
    hindsight.chmod(0o755)
    outputs = tmp_path / "outputs"
    env = {**os.environ, "BASE_REF": "main", "PR_NUMBER": "42", "HINDSIGHT_AS_OF": "2026-12-03",
           "GITHUB_OUTPUT": str(outputs), "GITHUB_STEP_SUMMARY": str(tmp_path / "summary"),
           "NO_MKDOCS_2_WARNING": "1"}

    def run(name: str) -> subprocess.CompletedProcess[str]:
        # As GitHub runs a step's script: bash -e -o pipefail.
        return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c",
                               steps[name]["run"]], cwd=root, env=env, capture_output=True,
                              text=True, check=False, timeout=600)

    for name in ("Validate the changed records", "Recall what the knowledge base already knows"):
        done = run(name)
        assert done.returncode == 0, done.stdout + done.stderr
    # No step failed, so neither the whole knowledge base's errors are listed nor the comment
    # turned into "do not validate" (both run on failure() only); the no-record mark is set.
    assert "steps.recall.outcome == 'failure'" in steps[
        "List the errors of the whole knowledge base"]["if"]
    assert "steps.recall.outcome == 'failure'" in steps[
        "Say in the comment that the records do not validate"]["if"]
    assert outputs.read_text() == "changed=false\n"
    assert (root / "recall" / "comment.md").read_text() == (
        "## What the knowledge base already knows\n\nNo record changed since origin/main.\n")
    assert run("Mark a pull request that changes no record").returncode == 0
    assert (root / "recall" / "no-record-changed").exists()
    # The build stops at main's error, which does not fail the check: the step after it says
    # why there is no preview, and the preview is not uploaded.
    build = steps["Build the site (strict)"]
    judge = steps["Fail the check on a build failure of this pull request's own"]
    assert build["continue-on-error"] is True
    assert judge["if"] == f"steps.{build['id']}.outcome == 'failure'"
    assert steps["Upload the preview"]["if"] == f"steps.{build['id']}.outcome == 'success'"
    done = run(build["name"])
    assert done.returncode == 1 and "unknown cause 'icp-drfit'" in done.stderr, done.stderr
    done = run(judge["name"])
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("::warning title=No site preview::records this pull request "
                                  "did not change have errors the base branch already has")
    # A build that fails while the records validate is the pull request's own: it fails.
    retro.write_text(retro.read_text().replace("- cause: icp-drfit", "- cause: icp-drift", 1))
    done = run(judge["name"])
    assert done.returncode == 1 and done.stdout.startswith("::error title=The site did not build")


def test_a_pull_request_adding_a_valid_record_passes_on_a_base_with_errors(
        tmp_path: Path) -> None:
    # Main has a record error of its own; a pull request adds a valid post-mortem. The recall
    # stopped at main's error and failed the required check, skipping the build, though the
    # workflow (and README) say a pull request changing only valid records is not failed for
    # the base branch's errors. Its steps, run as written: the errors are listed and the
    # comment says why nothing was recalled, and no step that fails the job fails.
    workflow = _load("validate.yml")["jobs"]["validate"]["steps"]
    steps = {s.get("name", ""): s for s in workflow}
    root = tmp_path / "kb"
    init(root)
    shutil.copy(REPO / "tests" / "fixtures" / "corpus" / "taxonomy.yml", root)
    (root / "retros").mkdir()
    corpus = REPO / "tests" / "fixtures" / "corpus"
    (root / "retros" / "2026-03-sales.md").write_text(
        (corpus / "retros" / "2026-03-sales.md").read_text().replace(
            "  - cause: wrong-icp", "  - cause: icp-drfit"))
    commit_all(root, "The knowledge base", "Mia Chen", "2026-05-01T09:00:00+00:00")
    git(root, "update-ref", "refs/remotes/origin/main", "HEAD")
    git(root, "checkout", "-q", "-b", "webinar")
    shutil.copytree(corpus / "postmortems", root / "postmortems")
    commit_all(root, "A post-mortem", "Ann Lee", "2026-05-21T09:00:00+00:00")
    (root / ".venv" / "bin").mkdir(parents=True)
    hindsight = root / ".venv" / "bin" / "hindsight"
    hindsight.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m generator "$@"\n')
    hindsight.chmod(0o755)
    summary = tmp_path / "summary"
    env = {**os.environ, "BASE_REF": "main", "PR_NUMBER": "42", "HEAD_SHA": "abc1234",
           "HINDSIGHT_AS_OF": "2026-06-05", "GITHUB_OUTPUT": str(tmp_path / "outputs"),
           "GITHUB_STEP_SUMMARY": str(summary), "PYTHONPATH": str(REPO)}

    def run(name: str, **more: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c",
                               steps[name]["run"]], cwd=root, env={**env, **more},
                              capture_output=True, text=True, check=False, timeout=600)

    done = run("Validate the changed records")
    assert done.returncode == 0, done.stdout + done.stderr
    recall = steps["Recall what the knowledge base already knows"]
    done = run(recall["name"])
    assert done.returncode == 1 and "icp-drfit" in done.stderr, done.stderr
    # Its failure does not fail the job: the steps after it run on its outcome.
    assert recall["continue-on-error"] is True
    whole = steps["List the errors of the whole knowledge base"]
    assert whole["if"] == "steps.validate.outcome == 'success' && steps.recall.outcome == 'failure'"
    assert whole["continue-on-error"] is True
    done = run(whole["name"])
    assert done.returncode == 1
    assert "::error file=retros/2026-03-sales.md," in done.stdout
    text = summary.read_text()
    assert text.index("## Errors the base branch already has") < text.index(
        "## hindsight validate\n") and "icp-drfit" in text
    say = steps["Say in the comment that the records do not validate"]
    assert not say["if"].startswith(("failure()", "success()")) and "!cancelled()" in say["if"]
    done = run(say["name"], VALIDATED="success", WHOLE="failure")
    assert done.returncode == 0
    assert "has errors in records this pull request did not change" in (
        root / "recall" / "comment.md").read_text()
    # No step before the build failed the job, so it runs (and its judge warns: see the test
    # of a pull request that changes no record); the last step fails the job only when the
    # knowledge base has no error, here skipped.
    names = list(steps)
    last = steps["Fail the check on a recall failure of this pull request's own"]
    assert names.index(last["name"]) == len(names) - 1
    assert last["if"] == ("!cancelled() && steps.recall.outcome == 'failure' && "
                          "steps.whole.outcome == 'success'")
    for name in names[names.index(recall["name"]) + 1:]:
        condition = steps[name].get("if", "")
        # Every step after the recall runs on outcomes, never on the job's failure().
        assert "failure()" not in condition, name
    assert "continue-on-error" not in steps["Validate the changed records"]
    # The comment the build's judge gives is the one the workflow's text promises.
    text = (WORKFLOWS / "validate.yml").read_text()
    assert "no record, or only valid ones, is not failed for them" in text
