"""The record cache: a warm run gives exactly what a cold run gives, and only changes are redone.

Each test validates a real knowledge base three ways: without the cache, with a cache being
written, and with the cache read back, and compares the whole result: every entry's record
(``model_dump()``), readings, positions and published HTML, and every problem as printed.
"""

from __future__ import annotations

import datetime as dt
import pickle
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import FIXTURES, HERE, REPO, run_cli
from generator import record_cache
from generator.corpus import Entry
from generator.errors import Problems
from generator.load import CACHE_DIR
from generator.stub import Stub
from generator.taxonomy import Taxonomy
from generator.validate import Result, _load_and_validate, check

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


_UNREADABLE = ["retros/invalid-utf8/invalid-utf8.md", "retros/oversized-file/oversized-file.md",
               "retros/symlink/symlink.md"]


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
    from generator.load import find_record_files
    from generator.validate import load_taxonomy

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
