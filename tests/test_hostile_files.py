"""Hostile files and paths: links are refused and never followed, oversized files are
refused before rendering, ids cannot climb out of their folders, and nothing is written
outside the output folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hostile import AS_OF, case_root, fails_everywhere

from conftest import FIXTURES, make_kb, run_cli

RETRO = (Path(__file__).parent / "bad_input" / "overdue-action" / "retros" /
         "overdue-action.md").read_text()


def test_symlinked_record_is_refused(tmp_path: Path) -> None:
    fails_everywhere(tmp_path, case_root(tmp_path, "symlink"),
                     "retros/symlink.md:1:1  -  is a symbolic link; links are never followed")


def test_link_to_a_file_outside_is_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("---\ntype: retro\nSECRET-CONTENT: 1\n---\n")
    root = make_kb(tmp_path / "kb", {})
    (root / "retros").mkdir()
    os.symlink(secret, root / "retros" / "leak.md")
    result = run_cli("validate", "--root", str(root), "--as-of", AS_OF)
    assert result.exit_code == 1
    assert "retros/leak.md:1:1  -  is a symbolic link" in result.output
    assert "SECRET" not in result.output


def test_symlinked_folder_is_refused_and_not_followed(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "2026-05-sales.md").write_text(RETRO)
    root = make_kb(tmp_path / "kb", {"retros/2026-04-sales.md": RETRO.replace(
        "period: 2026-05", "period: 2026-04").replace("SAL-2026-05-1", "SAL-2026-04-1")})
    os.symlink(elsewhere, root / "retros" / "team")
    result = run_cli("validate", "--root", str(root), "--as-of", AS_OF)
    assert result.exit_code == 1
    assert "retros/team:1:1  -  is a symbolic link to a folder; it is not followed" in result.output
    assert "2026-05-sales" not in result.output


def test_records_folder_that_is_a_link_is_refused(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "x.md").write_text(RETRO)
    root = make_kb(tmp_path / "kb", {})
    os.symlink(elsewhere, root / "postmortems")
    result = run_cli("validate", "--root", str(root), "--as-of", AS_OF)
    assert result.exit_code == 1
    assert "postmortems:1:1  -  the records folder is a symbolic link" in result.output


def test_oversized_file_is_refused_before_rendering(tmp_path: Path) -> None:
    fails_everywhere(tmp_path, case_root(tmp_path, "oversized-file"),
                     "is 274 KiB, over the 256 KiB limit for a record")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("related: [2026-03-sales]", "related: [../../etc/passwd]",
         "related[0]  must be an id of lowercase ASCII letters (a-z), digits and hyphens"),
        ("related: [2026-03-sales]", "related: [/etc/passwd]",
         "related[0]  must be an id of lowercase ASCII letters (a-z), digits and hyphens"),
        ("  - id: SAL-2026-05-1", "  - id: ../../SAL-1",
         "actions[0].id  must be an id of ASCII letters (A-Z, a-z), digits"),
        ("    cause: icp-drift\n  - id: SAL-2026-05-2", "    cause: ../causes/x\n  - id: SAL-2026-05-2",
         "actions[0].cause  must be an id of lowercase ASCII letters"),
        ("team: sales", "team: ../../tmp", "team  must be an id of lowercase ASCII letters"),
    ],
    ids=["related-dotdot", "related-absolute", "action-id-dotdot", "cause-dotdot", "team-dotdot"],
)
def test_path_like_ids_are_refused(tmp_path: Path, old: str, new: str, message: str) -> None:
    text = (FIXTURES / "corpus" / "retros" / "2026-05-sales.md").read_text()
    assert old in text
    root = make_kb(tmp_path / "kb", {"retros/2026-05-sales.md": text.replace(old, new, 1)})
    fails_everywhere(tmp_path, root, message)


def test_file_names_that_are_not_safe_ids_are_refused(tmp_path: Path) -> None:
    fails_everywhere(tmp_path, case_root(tmp_path, "unsafe-file-name"),
                     'file name "My Retro" is not a safe record id')


def _snapshot(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


def test_generate_writes_only_inside_its_output_folder(tmp_path: Path) -> None:
    # Free text that looks like paths lands only in page text; every file stays under --out.
    import shutil

    root = tmp_path / "kb"
    shutil.copytree(FIXTURES / "corpus", root)
    record = root / "retros" / "2026-05-sales.md"
    text = record.read_text()
    record.write_text(text.replace("owner: Dana Ruiz", "owner: ../../../../tmp/evil").replace(
        "title: Retire the old ICP deck", "title: /etc/passwd ../../x"))
    before = _snapshot(tmp_path)
    out = tmp_path / "out"
    result = run_cli("generate", "--out", str(out), "--root", str(root), "--as-of", AS_OF,
                     "--no-cache")
    assert result.exit_code == 0, result.output
    created = _snapshot(tmp_path) - before
    assert created and all(p == "out" or p.startswith("out/") for p in created), created
    owners = sorted(p.name for p in (out / "actions" / "owners").iterdir())
    assert "tmp-evil.md" in owners
    assert not Path("/tmp/evil.md").exists()


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_a_line_break_in_a_file_name_never_starts_a_line_of_the_report(tmp_path: Path,
                                                                        suffix: str) -> None:
    """A contributor's file named "x⏎::warning file=taxonomy.yml::Approved⏎.txt": the text
    report (`hindsight build` in the pull-request check prints it) showed the name raw, and
    GitHub Actions ran its middle line as a workflow command (a fake annotation, or
    `::stop-commands::` hiding every real one after it). Every problem is one line."""
    root = make_kb(tmp_path / "kb", {"retros/2026-05-sales.md": RETRO})
    name = f"x\n::warning file=taxonomy.yml,line=1::Approved by security\n\t{suffix}"
    (root / "retros" / name).write_text(RETRO.replace("2026-05", "2026-04") if suffix == ".md"
                                        else "hi", encoding="utf-8")
    result = run_cli("validate", "--root", str(root), "--as-of", AS_OF)
    assert "Traceback" not in result.output
    lines = result.output.splitlines()
    assert not [line for line in lines if line.startswith("::")], lines
    assert any("x\\n::warning file=taxonomy.yml,line=1::Approved by security\\n\\t" in line
               for line in lines), lines


def test_a_record_hidden_behind_a_dot_is_said_not_silently_skipped(tmp_path: Path) -> None:
    """`.2026-04-sales.md` was skipped without a word: a pull request could add a record no
    check reads. It is a warning now; an editor's lock file (`.#name.md`) and macOS's
    `._name.md` stay quiet."""
    root = make_kb(tmp_path / "kb", {"retros/2026-05-sales.md": RETRO,
                                     "retros/.2026-04-sales.md": RETRO,
                                     "retros/._2026-05-sales.md": "\x00\x05",
                                     "retros/.#2026-05-sales.md": "lock"})
    result = run_cli("validate", "--root", str(root), "--as-of", AS_OF)
    assert "retros/.2026-04-sales.md:1:1  -  warning: starts with a dot, so it is hidden and " \
           "ignored (rename it without the dot if it is a record)" in result.output, result.output
    assert "._2026" not in result.output and ".#2026" not in result.output
