"""The knowledge base's CI keeps its build cache: `publish` saves what main's build made,
`validate` restores it read-only for a pull request's check. Checked the way the runners do it
(the cache's path packed with tar in one clone, unpacked in another at another path, a day
later, after a commit): the pull request's site is byte-identical to one built from nothing,
and what main made is reused, not made again."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import yaml

from conftest import FIXTURES, REPO
from gittools import commit_all, git, init
from sitetools import differing_files, make_project

WORKFLOWS = REPO / ".github" / "workflows"
MAIN_DAY, PR_DAY = "2026-07-20", "2026-07-21"
CACHE_ACTIONS = ("actions/cache@", "actions/cache/restore@", "actions/cache/save@")


def _steps(name: str, job: str) -> list[dict[str, Any]]:
    workflow = yaml.safe_load((WORKFLOWS / name).read_text())
    return list(workflow["jobs"][job]["steps"])


def _step(steps: list[dict[str, Any]], uses: str) -> dict[str, Any]:
    found = [s for s in steps if s.get("uses", "").startswith(uses)]
    assert len(found) == 1, f"expected one {uses} step, found {len(found)}"
    return found[0]


def _index(steps: list[dict[str, Any]], step: dict[str, Any]) -> int:
    return next(i for i, s in enumerate(steps) if s is step)


def _first_hindsight(steps: list[dict[str, Any]]) -> int:
    return next(i for i, s in enumerate(steps) if "hindsight " in s.get("run", ""))


def test_only_publish_saves_the_cache_and_only_after_building_from_nothing() -> None:
    publish = _steps("publish.yml", "build")
    save = _step(publish, "actions/cache/save@")
    build = next(s for s in publish if "hindsight build" in s.get("run", ""))
    # The published site is built before the cache is even touched, and none is restored.
    assert _first_hindsight(publish) == _index(publish, build) < _index(publish, save)
    assert not any(s.get("uses", "").startswith(("actions/cache@", "actions/cache/restore@"))
                   for s in publish)
    # Nothing else saves a cache: a pull request's code must never write one main reads.
    for path in sorted(WORKFLOWS.glob("*.yml")):
        workflow = yaml.safe_load(path.read_text())
        for name, job in workflow["jobs"].items():
            for step in job.get("steps", []):
                uses = step.get("uses", "")
                if uses.startswith(("actions/cache@", "actions/cache/save@")):
                    assert (path.name, name) == ("publish.yml", "build"), (path.name, uses)


def test_validate_restores_mains_cache_read_only_before_any_check() -> None:
    steps = _steps("validate.yml", "validate")
    restore = _step(steps, "actions/cache/restore@")
    assert _index(steps, restore) < _first_hindsight(steps)
    save = _step(_steps("publish.yml", "build"), "actions/cache/save@")
    assert restore["with"]["path"] == save["with"]["path"]
    assert _paths(save)[0] == [".hindsight-cache"]
    # The newest publish of the base commit (publish runs daily too: one key per run), else
    # main's latest cache of this runner's OS.
    base_commit, prefix = restore["with"]["restore-keys"].strip().splitlines()
    assert save["with"]["key"] == prefix + "${{ github.sha }}-${{ github.run_id }}"
    assert restore["with"]["key"] == prefix + "${{ github.event.pull_request.base.sha }}"
    assert base_commit == restore["with"]["key"] + "-"


def _paths(step: dict[str, Any]) -> tuple[list[str], list[str]]:
    """What a cache step keeps: the paths it names, and the ones it leaves out (``!``)."""
    lines = [line.strip() for line in step["with"]["path"].splitlines() if line.strip()]
    return ([line for line in lines if not line.startswith("!")],
            [line[1:] for line in lines if line.startswith("!")])


def _run_step(project: Path, step: dict[str, Any], day: str) -> None:
    """Run a workflow step's hindsight command as written, with this test's Python."""
    argv = shlex.split(step["run"])
    assert argv[0] == ".venv/bin/hindsight", step["run"]
    env = {**os.environ, "HINDSIGHT_AS_OF": day, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("HINDSIGHT_NO_CACHE", None)
    result = subprocess.run([sys.executable, "-m", "generator", *argv[1:]], cwd=project,
                            env=env, capture_output=True, text=True, check=False, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr


def _stamps(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
            for p in folder.rglob("*") if p.is_file()}


def test_a_pull_request_check_with_mains_cache_builds_the_same_site_and_reuses_it(
    tmp_path: Path,
) -> None:
    build_step = next(s for s in _steps("publish.yml", "build")
                      if "hindsight build" in s.get("run", ""))
    check_step = next(s for s in _steps("validate.yml", "validate")
                      if "hindsight build" in s.get("run", ""))
    (cache_path,), left_out = _paths(_step(_steps("publish.yml", "build"),
                                           "actions/cache/save@"))

    # Main: records merged, published (built from nothing), the cache saved as tar packs it.
    main = make_project(tmp_path / "main", FIXTURES / "corpus")
    init(main)
    commit_all(main, "records", "Ana Silva", "2026-06-01T09:00:00+00:00")
    _run_step(main, build_step, MAIN_DAY)
    packed = tmp_path / "cache.tar"
    with tarfile.open(packed, "w") as tar:
        tar.add(main / cache_path, arcname=cache_path,
                filter=lambda member: None if member.name in left_out else member)

    # A pull request the next day, checked out elsewhere: one record edited.
    def pull_request(folder: str) -> Path:
        clone = tmp_path / folder / "kb"
        clone.parent.mkdir()
        git(tmp_path, "clone", "-q", str(main), str(clone))
        record = clone / "retros" / "2026-05-sales.md"
        record.write_text(record.read_text().replace("ICP drift came back",
                                                     "The deck was the culprit"))
        commit_all(clone, "An edit", "Ben Carter", "2026-07-21T09:00:00+00:00")
        return clone

    warm, cold = pull_request("warm"), pull_request("cold")
    with tarfile.open(packed) as tar:
        tar.extractall(warm, filter="data")
    restored = _stamps(warm / cache_path)
    assert restored and not any(path.startswith("generated/") for path in restored)
    _run_step(warm, check_step, PR_DAY)
    _run_step(cold, check_step, PR_DAY)

    assert "The deck was the culprit" in (
        warm / "site" / "records" / "2026-05-sales" / "index.html").read_text()
    assert differing_files(cold / "site", warm / "site") == []
    # Main's work was used, not redone: the HTML of every page the edit and the new day left
    # alone (most of them) is the file restored, untouched (a cache that did not carry over to
    # another clone at another path would have made them all again).
    after = _stamps(warm / cache_path)
    html = [path for path in restored if path.startswith("html/")]
    kept = [path for path in html if after.get(path) == restored[path]]
    assert len(html) > 20 and len(kept) >= 0.5 * len(html), (len(kept), len(html))
