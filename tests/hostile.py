"""Shared helpers for the hostile-input families: run a case through validate, the core
build (`hindsight generate`) and a real strict MkDocs build, and check nothing leaked."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from conftest import FIXTURES, run_cli
from sitetools import make_project, mkdocs_build

BAD = Path(__file__).parent / "bad_input"
AS_OF = "2026-06-15"


def case_root(tmp_path: Path, case: str) -> Path:
    """A knowledge base holding one named bad-input fixture."""
    root = tmp_path / "kb"
    shutil.copytree(BAD / case, root, symlinks=True, ignore=shutil.ignore_patterns("expected.txt"))
    shutil.copy(FIXTURES / "taxonomy.yml", root / "taxonomy.yml")
    return root


def tree_hash(folder: Path) -> str:
    """A hash of every path and file under ``folder`` (links by their target text)."""
    digest = hashlib.sha256()
    if not folder.exists():
        return "absent"
    for path in sorted(folder.rglob("*")):
        digest.update(path.relative_to(folder).as_posix().encode())
        if path.is_symlink():
            digest.update(str(path.readlink()).encode())
        elif path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def fails_everywhere(tmp_path: Path, root: Path, message: str) -> None:
    """The case fails validate, generate and a real mkdocs build, each saying ``message``."""
    checked = run_cli("validate", "--root", str(root), "--as-of", AS_OF)
    assert checked.exit_code == 1, checked.output
    assert message in checked.output, checked.output
    assert "Traceback" not in checked.output

    out = tmp_path / "out"
    generated = run_cli("generate", "--out", str(out), "--root", str(root), "--as-of", AS_OF)
    assert generated.exit_code == 1, generated.output
    assert message in generated.output
    assert not out.exists(), "nothing is written when records are invalid"

    project = make_project(tmp_path / "project", root)
    built = mkdocs_build(project, AS_OF)
    assert built.returncode != 0
    assert message in built.stderr, built.stderr
    assert "Traceback" not in built.stderr
    assert not (project / "site" / "index.html").exists()
