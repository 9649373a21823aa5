"""The record cache: a warm run gives exactly what a cold run gives, and only changes are redone.

Each test validates a real knowledge base three ways: without the cache, with a cache being
written, and with the cache read back, and compares the whole result: every entry's record
(``model_dump()``), readings, positions and published HTML, and every problem as printed.
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES, HERE, REPO, run_cli
from generator.errors import Problems
from generator.records import record_cache
from generator.records.corpus import Entry
from generator.records.load import CACHE_DIR
from generator.records.stub import Stub
from generator.records.taxonomy import Taxonomy
from generator.records.validate import Result, _load_and_validate, check

AS_OF = dt.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _cache_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with the cache enabled and leaves the process as it found it."""
    monkeypatch.setattr(record_cache, "_enabled", True)
    monkeypatch.delenv(record_cache.NO_CACHE_ENV, raising=False)


def _snapshot(result: Result) -> tuple[Any, ...]:
    assert result.kb is not None
    entries = [(e.path, e.id, e.record.model_dump(), e.readings, e.source.html, e.source.body,
                e.source.body_line, e.source.digest, e.source.doc.positions, e.source.doc.value)
               for e in result.kb.entries]
    return entries, [p.format() for p in result.problems.items], result.files


def _sample(tmp_path: Path) -> Path:
    root = tmp_path / "kb"
    for name in ("retros", "postmortems"):
        shutil.copytree(REPO / name, root / name)
    for name in ("taxonomy.yml", "mkdocs.yml"):
        shutil.copy(REPO / name, root / name)
    # One citation by alias, so the in-place rewrite to canonical ids is exercised.
    retro = root / "retros" / "2025-04-marketing.md"
    text = retro.read_text(encoding="utf-8")
    retro.write_text(text.replace("- cause: event-follow-up-lag", "- cause: follow-up-lag", 1),
                     encoding="utf-8")
    return root


def _bad_tree(tmp_path: Path) -> Path:
    """Every bad-input case that uses the shared taxonomy, side by side in one knowledge base."""
    root = tmp_path / "bad"
    root.mkdir()
    shutil.copy(FIXTURES / "taxonomy.yml", root / "taxonomy.yml")
    for case in sorted(p for p in (HERE / "bad_input").iterdir() if p.is_dir()):
        if (case / "taxonomy.yml").exists() or (case / "COMMAND").exists():
            continue
        for folder in ("retros", "postmortems"):
            if (case / folder).is_dir():
                shutil.copytree(case / folder, root / folder / case.name, symlinks=True)
    return root


# Files refused before they are parsed (a merge conflict left in one among them): never cached.
_UNREADABLE = ["retros/invalid-utf8/invalid-utf8.md",
               "retros/merge-conflict-in-a-fence/2026-04-sales.md",
               "retros/merge-conflict-markers/2026-04-sales.md",
               "retros/merge-conflict-markers/2026-05-sales.md",
               "retros/oversized-file/oversized-file.md", "retros/symlink/symlink.md"]


class _Spy:
    """The per-record stage as validation runs it, noting which files it was given."""

    def __init__(self) -> None:
        self.given: list[str] = []

    def __call__(self, root: Path, paths: list[Path], taxonomy: Taxonomy,
                 problems: Problems) -> tuple[list[Entry], int, list[Stub]]:
        self.given.extend(p.relative_to(root).as_posix() for p in paths)
        return _load_and_validate(root, paths, taxonomy, problems)


def _validated_afresh(root: Path) -> list[str]:
    """The files a cached run still parses and validates."""
    from generator.records.load import find_record_files
    from generator.records.validate import load_taxonomy

    problems = Problems()
    taxonomy = load_taxonomy(root, problems)
    assert taxonomy is not None
    spy = _Spy()
    record_cache.load_and_validate(root, find_record_files(root, problems), taxonomy, problems,
                                   spy)
    return spy.given


@pytest.mark.parametrize("tree", [_sample, _bad_tree], ids=["sample", "bad-records"])
def test_warm_run_is_exactly_the_cold_run(tree: Any, tmp_path: Path) -> None:
    root = tree(tmp_path)
    cold = check(root, AS_OF, cache=False)
    assert not (root / CACHE_DIR).exists()
    writing = check(root, AS_OF, cache=True)
    assert (root / CACHE_DIR / record_cache.CACHE_FILE).is_file()
    warm = check(root, AS_OF, cache=True)
    again = check(root, AS_OF, cache=True)
    assert _snapshot(writing) == _snapshot(cold)
    assert _snapshot(warm) == _snapshot(cold)
    assert _snapshot(again) == _snapshot(cold)
    # Files that cannot be read cleanly are refused before parsing, cheaply, every run.
    assert _validated_afresh(root) == [p for p in _UNREADABLE if (root / p).exists()
                                       or (root / p).is_symlink()]


@pytest.fixture
def remembering() -> Iterator[None]:
    """Results kept in memory from run to run, as under `hindsight serve`, for one test."""
    record_cache.remember()
    yield
    record_cache.remember(False)


def _same_objects(before: Result, after: Result) -> set[str]:
    """The records whose entry ``after`` holds is the very object ``before`` held."""
    assert before.kb is not None and after.kb is not None
    held = {e.path: e for e in before.kb.entries}
    return {e.path for e in after.kb.entries if held.get(e.path) is e}


@pytest.mark.parametrize("tree", [_sample, _bad_tree], ids=["sample", "bad-records"])
def test_a_server_s_next_run_takes_unchanged_records_from_the_last_one(
        tree: Any, tmp_path: Path, remembering: None) -> None:
    root = tree(tmp_path)
    cold = check(root, AS_OF, cache=False)
    first = check(root, AS_OF, cache=True)
    second = check(root, AS_OF, cache=True)
    third = check(root, AS_OF, cache=True)
    assert first.kb is not None and second.kb is not None
    paths = {e.path for e in first.kb.entries}
    # Not unpickled again: the last run's objects, and every result as a fresh run gives it
    # (the alias in the sample's retro resolved a second and a third time, to the same id).
    assert paths and _same_objects(first, second) == _same_objects(second, third) == paths
    assert _snapshot(second) == _snapshot(cold) and _snapshot(third) == _snapshot(cold)

    # A file edited: its own result afresh, the others kept.
    edited = sorted(paths)[0]
    record = root / edited
    record.write_text(record.read_text(encoding="utf-8") + "\nOne more line.\n",
                      encoding="utf-8")
    fourth = check(root, AS_OF, cache=True)
    assert _same_objects(third, fourth) == paths - {edited}
    assert _snapshot(fourth) == _snapshot(check(root, AS_OF, cache=False))

    # The taxonomy changed (it is in every result's key): nothing is kept.
    taxonomy = root / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8") + "# reviewed\n", encoding="utf-8")
    fifth = check(root, AS_OF, cache=True)
    assert _same_objects(fourth, fifth) == set()
    assert _snapshot(fifth) == _snapshot(check(root, AS_OF, cache=False))


def test_without_a_server_each_run_reads_its_own_objects(tmp_path: Path) -> None:
    root = _sample(tmp_path)
    first = check(root, AS_OF, cache=True)
    assert _same_objects(first, check(root, AS_OF, cache=True)) == set()


def test_the_sample_tree_exercises_what_is_cached(tmp_path: Path) -> None:
    warm_root = _sample(tmp_path)
    check(warm_root, AS_OF, cache=True)
    warm = check(warm_root, AS_OF, cache=True)
    assert warm.kb is not None
    retro = next(e for e in warm.kb.entries if e.path == "retros/2025-04-marketing.md")
    assert retro.record.causes[0].cause == "event-follow-up-lag"  # the alias, resolved
    assert any(e.readings for e in warm.kb.entries)
    assert all(e.source.html for e in warm.kb.entries if e.source.body.strip())


def test_bad_records_keep_their_problems_and_stubs(tmp_path: Path) -> None:
    root = _bad_tree(tmp_path)
    cold = check(root, AS_OF, cache=False)
    check(root, AS_OF, cache=True)
    warm = check(root, AS_OF, cache=True)
    assert len(cold.problems.errors) > 20 and cold.problems.warnings
    assert [p.format() for p in warm.problems.sorted()] == \
        [p.format() for p in cold.problems.sorted()]
    # A stub's references still take part in the rules across records when it is cached.
    assert any("is also used" in p.message for p in warm.problems.items)


def test_validate_prints_the_same_bytes_warm_and_cold(tmp_path: Path) -> None:
    root = _bad_tree(tmp_path)
    cold = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15", "--no-cache")
    assert not (root / CACHE_DIR).exists()
    writing = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15")
    warm = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15")
    assert (root / CACHE_DIR / record_cache.CACHE_FILE).is_file()
    assert cold.exit_code == writing.exit_code == warm.exit_code == 1
    assert cold.output == writing.output == warm.output
    assert _validated_afresh(root) == _UNREADABLE


def test_a_changed_file_is_validated_again(tmp_path: Path) -> None:
    root = _sample(tmp_path)
    check(root, AS_OF, cache=True)
    retro = root / "retros" / "2025-04-marketing.md"
    text = retro.read_text(encoding="utf-8")
    team = next(line for line in text.splitlines() if line.startswith("team: "))
    retro.write_text(text.replace(team, "team: nobody-here", 1), encoding="utf-8")
    assert _validated_afresh(root) == ["retros/2025-04-marketing.md"]
    warm = check(root, AS_OF, cache=True)
    cold = check(root, AS_OF, cache=False)
    assert any(p.path == "retros/2025-04-marketing.md" and "unknown team 'nobody-here'" in
               p.message for p in warm.problems.errors)
    assert _snapshot(warm) == _snapshot(cold)
    assert _validated_afresh(root) == []


def test_a_changed_taxonomy_invalidates_every_record(tmp_path: Path) -> None:
    root = _sample(tmp_path)
    check(root, AS_OF, cache=True)
    records = sorted(p.relative_to(root).as_posix() for p in root.glob("*/*.md"))
    taxonomy = root / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8") + "# reviewed\n", encoding="utf-8")
    assert sorted(_validated_afresh(root)) == records


def test_a_changed_markdown_configuration_invalidates_every_record(tmp_path: Path) -> None:
    root = _sample(tmp_path)
    check(root, AS_OF, cache=True)
    (root / "mkdocs.yml").write_text("site_name: x\nmarkdown_extensions: [tables]\n",
                                     encoding="utf-8")
    assert len(_validated_afresh(root)) == len(list(root.glob("*/*.md")))


@pytest.mark.parametrize("content", [
    b"not a pickle at all",
    pickle.dumps({"format": "something else", "env": "", "files": {}}),
    pickle.dumps(Path("/elsewhere")),  # a class the cache never writes
], ids=["garbage", "foreign-format", "foreign-class"])
def test_a_corrupt_or_foreign_cache_is_ignored_and_rebuilt(content: bytes, tmp_path: Path) -> None:
    root = _sample(tmp_path)
    cold = check(root, AS_OF, cache=False)
    cache_file = root / CACHE_DIR / record_cache.CACHE_FILE
    cache_file.parent.mkdir()
    cache_file.write_bytes(content)
    assert _snapshot(check(root, AS_OF, cache=True)) == _snapshot(cold)
    assert cache_file.read_bytes() != content
    assert _validated_afresh(root) == []


def test_a_damaged_record_entry_is_validated_again(tmp_path: Path) -> None:
    root = _sample(tmp_path)
    check(root, AS_OF, cache=True)
    cache_file = root / CACHE_DIR / record_cache.CACHE_FILE
    data = pickle.loads(cache_file.read_bytes())
    digest, key, _ = data["files"]["retros/2025-04-marketing.md"]
    data["files"]["retros/2025-04-marketing.md"] = (digest, key, b"\x80\x05broken")
    cache_file.write_bytes(pickle.dumps(data))
    assert _validated_afresh(root) == ["retros/2025-04-marketing.md"]


def test_no_cache_flag_bypasses_the_cache(tmp_path: Path) -> None:
    root = _sample(tmp_path)
    for command in (["validate"], ["actions"], ["plan", "campaign"]):
        result = run_cli(*command, "--root", str(root), "--as-of", "2026-06-15", "--no-cache")
        assert "Traceback" not in result.output
        assert not (root / CACHE_DIR).exists(), command
    assert run_cli("validate", "--root", str(root), "--as-of", "2026-06-15").exit_code == 0
    assert (root / CACHE_DIR / record_cache.CACHE_FILE).is_file()


# --- the status shortcut: a file is hashed again only when its status moved -----------------


class _Hashed:
    """`_digest_of` as the cache calls it, noting which files it was asked to read and hash."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.given: list[str] = []
        self._real = record_cache._digest_of
        monkeypatch.setattr(record_cache, "_digest_of", self)

    def __call__(self, root: Path, path: Path) -> str | None:
        self.given.append(path.relative_to(root).as_posix())
        return self._real(root, path)

    def take(self) -> list[str]:
        given, self.given = sorted(self.given), []
        return given


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files count as settled at once (their times are before the run), as files written
    more than `SETTLED_NS` before a run do; the tests write their files a moment before."""
    monkeypatch.setattr(record_cache, "SETTLED_NS", 0)


def _records(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.glob("*/*.md"))


def _stored(root: Path) -> dict[str, Any]:
    files: dict[str, Any] = {}
    for name in (record_cache.CACHE_FILE, record_cache.RECENT_FILE):
        path = root / CACHE_DIR / name
        if path.is_file():
            files.update(pickle.loads(path.read_bytes())["files"])
    return files


@pytest.mark.usefixtures("settled")
def test_an_unchanged_file_is_neither_read_nor_validated_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _sample(tmp_path)
    cold = check(root, AS_OF, cache=False)
    hashed = _Hashed(monkeypatch)
    check(root, AS_OF, cache=True)
    assert hashed.take() == _records(root)
    warm = check(root, AS_OF, cache=True)
    assert hashed.take() == []
    assert _snapshot(warm) == _snapshot(cold)


@pytest.mark.usefixtures("settled")
def test_new_content_of_the_same_size_and_modification_time_is_caught(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _sample(tmp_path)
    check(root, AS_OF, cache=True)
    retro = root / "retros" / "2025-04-marketing.md"
    before = retro.stat()
    text = retro.read_text(encoding="utf-8")
    retro.write_text(text.replace('handoff-sla: "69/84"', 'handoff-sla: "61/84"', 1),
                     encoding="utf-8")
    # An editor that keeps the modification time: same size, same time, same inode.
    os.utime(retro, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = retro.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == \
        (before.st_size, before.st_mtime_ns, before.st_ino)
    # Writing moved the change time, which no tool sets back: the file is hashed again.
    assert after.st_ctime_ns != before.st_ctime_ns
    hashed = _Hashed(monkeypatch)
    assert _validated_afresh(root) == ["retros/2025-04-marketing.md"]
    assert hashed.take() == ["retros/2025-04-marketing.md"]
    warm = check(root, AS_OF, cache=True)
    assert warm.kb is not None
    entry = next(e for e in warm.kb.entries if e.path == "retros/2025-04-marketing.md")
    assert [(r.numerator, r.denominator) for r in entry.readings
            if r.indicator == "handoff-sla"] == [(61, 84)]
    assert _snapshot(warm) == _snapshot(check(root, AS_OF, cache=False))


def test_a_file_written_just_now_is_hashed_on_every_run(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Within one tick of the file system's clock a rewrite can keep every time; so the
    # status of a file younger than SETTLED_NS is not stored, and only its hash decides.
    root = _sample(tmp_path)
    check(root, AS_OF, cache=True)
    assert {rel: hit[1] for rel, hit in _stored(root).items()} == \
        dict.fromkeys(_records(root))
    hashed = _Hashed(monkeypatch)
    assert _validated_afresh(root) == []
    assert hashed.take() == _records(root)


@pytest.mark.usefixtures("settled")
def test_a_touched_file_is_hashed_once_and_not_validated(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _sample(tmp_path)
    check(root, AS_OF, cache=True)
    retro = root / "retros" / "2025-04-marketing.md"
    old = retro.stat().st_mtime_ns - 3_600 * 10**9
    os.utime(retro, ns=(old, old))
    hashed = _Hashed(monkeypatch)
    assert _validated_afresh(root) == []
    assert hashed.take() == ["retros/2025-04-marketing.md"]
    # Its new status is stored, so the next run reads nothing.
    assert _validated_afresh(root) == []
    assert hashed.take() == []


@pytest.mark.usefixtures("settled")
def test_a_copied_knowledge_base_is_hashed_again_and_keeps_its_results(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = _sample(tmp_path)
    check(root, AS_OF, cache=True)
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)  # other inodes: no status matches, every hash does
    hashed = _Hashed(monkeypatch)
    assert _validated_afresh(copy) == []
    assert hashed.take() == _records(copy)
    assert _snapshot(check(copy, AS_OF, cache=True)) == \
        _snapshot(check(copy, AS_OF, cache=False))


# --- the recent file: a few changes do not rewrite the whole cache --------------------------


def test_one_changed_file_writes_only_its_own_entry(tmp_path: Path) -> None:
    root = _sample(tmp_path)
    check(root, AS_OF, cache=True)
    whole = root / CACHE_DIR / record_cache.CACHE_FILE
    recent = root / CACHE_DIR / record_cache.RECENT_FILE
    written = whole.read_bytes()
    assert not recent.exists()
    retro = root / "retros" / "2025-04-marketing.md"
    retro.write_text(retro.read_text(encoding="utf-8").replace(
        'handoff-sla: "69/84"', 'handoff-sla: "70/84"', 1), encoding="utf-8")
    warm = check(root, AS_OF, cache=True)
    assert whole.read_bytes() == written
    assert list(pickle.loads(recent.read_bytes())["files"]) == ["retros/2025-04-marketing.md"]
    assert _snapshot(warm) == _snapshot(check(root, AS_OF, cache=False))
    assert _validated_afresh(root) == []
    assert _snapshot(check(root, AS_OF, cache=True)) == _snapshot(warm)
    # Once most files changed, the whole cache is written again and the recent file goes.
    taxonomy = root / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8") + "# reviewed\n", encoding="utf-8")
    check(root, AS_OF, cache=True)
    assert whole.read_bytes() != written
    assert not recent.exists()
    assert _validated_afresh(root) == []


@pytest.mark.parametrize("name", [record_cache.CACHE_FILE, record_cache.RECENT_FILE])
@pytest.mark.parametrize("content", [
    b"\x80\x05broken",
    pickle.dumps(Path("/elsewhere")),
    pickle.dumps({"format": "hindsight-record-cache-1", "env": "", "files": {}}),
], ids=["garbage", "foreign-class", "older-format"])
def test_a_damaged_cache_file_of_either_kind_is_ignored(
        name: str, content: bytes, tmp_path: Path) -> None:
    root = _sample(tmp_path)
    cold = check(root, AS_OF, cache=False)
    check(root, AS_OF, cache=True)
    (root / CACHE_DIR / name).write_bytes(content)
    assert _snapshot(check(root, AS_OF, cache=True)) == _snapshot(cold)


def test_entries_of_another_shape_are_validated_again(tmp_path: Path) -> None:
    root = _sample(tmp_path)
    cold = check(root, AS_OF, cache=False)
    check(root, AS_OF, cache=True)
    cache_file = root / CACHE_DIR / record_cache.CACHE_FILE
    data = pickle.loads(cache_file.read_bytes())
    digest, _, blob = data["files"]["retros/2025-04-marketing.md"]
    data["files"]["retros/2025-04-marketing.md"] = (digest, blob)  # the older shape
    data["files"]["postmortems/2025-08-the-pellham-loss.md"] = "not an entry"
    cache_file.write_bytes(pickle.dumps(data))
    assert _validated_afresh(root) == ["postmortems/2025-08-the-pellham-loss.md",
                                       "retros/2025-04-marketing.md"]
    assert _snapshot(check(root, AS_OF, cache=True)) == _snapshot(cold)


# --- the installed program: the environment switch, and an exit that skips freeing ---------


def _program(root: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """The installed ``hindsight`` program, as a user runs it (not in-process)."""
    script = Path(sys.executable).with_name("hindsight")
    environ = {k: v for k, v in os.environ.items() if k != record_cache.NO_CACHE_ENV}
    return subprocess.run([str(script), *args, "--root", str(root), "--as-of", "2026-06-15"],
                          env={**environ, **env}, capture_output=True, text=True, check=False,
                          timeout=120)


def test_the_environment_switch_bypasses_the_cache(tmp_path: Path) -> None:
    root = _sample(tmp_path)
    bypassed = _program(root, "validate", **{record_cache.NO_CACHE_ENV: "1"})
    assert bypassed.returncode == 0, bypassed.stderr
    assert not (root / CACHE_DIR).exists()
    cached = _program(root, "validate")
    assert cached.returncode == 0
    assert (root / CACHE_DIR / record_cache.CACHE_FILE).is_file()
    assert cached.stdout == bypassed.stdout


def test_the_program_prints_everything_and_exits_with_the_command_s_code(
        tmp_path: Path) -> None:
    # Commands that loaded a knowledge base leave without freeing it: all output must still
    # arrive through the pipe, with the command's own exit code.
    root = _sample(tmp_path)
    record = "retros/2025-04-marketing.md"
    for args in (["recall", str(root / record)], ["recall", str(root / record), "--format",
                                                  "json"], ["validate"]):
        program = _program(root, *args)
        in_process = run_cli(*args, "--root", str(root), "--as-of", "2026-06-15")
        assert (program.returncode, program.stdout) == (in_process.exit_code, in_process.output)
        assert program.returncode == 0 and program.stdout.strip()
    bad = _bad_tree(tmp_path)
    program = _program(bad, "validate")
    in_process = run_cli("validate", "--root", str(bad), "--as-of", "2026-06-15")
    assert program.returncode == in_process.exit_code == 1
    assert program.stdout == in_process.output
    assert "Traceback" not in program.stderr
