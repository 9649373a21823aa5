"""Write generated content to a folder: only changed files, stale ones removed, atomically.

The new tree is assembled in a sibling staging folder (unchanged files are hard-linked from
the current output, so their timestamps survive) and swapped in with renames, so an
interrupted run leaves the previous output whole. A marker file proves a folder is ours
before anything in it is ever replaced.
"""

from __future__ import annotations

import os
import posixpath
import shutil
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .errors import BuildError
from .load import RECORD_FOLDERS

MARKER = ".hindsight-generated"


@dataclass
class WriteReport:
    """What a write changed."""

    written: int
    unchanged: int
    removed: int


def _safe_relative(path: str) -> PurePosixPath:
    rel = PurePosixPath(path)
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise BuildError(f"refusing to write {path!r}: outside the output folder")
    return rel


def check_output_folder(out: Path, root: Path) -> None:
    """Refuse output folders that would put records at risk or that are not ours."""
    out_r, root_r = out.resolve(), root.resolve()
    protected = [root_r / folder for folder in RECORD_FOLDERS]
    if out_r == root_r or out_r in root_r.parents:
        raise BuildError(f"--out {out} would replace the knowledge base itself; pick a new folder")
    for folder in protected:
        if out_r == folder or folder in out_r.parents:
            raise BuildError(f"--out {out} is inside {folder.name}/; pick a folder outside the records")
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        raise BuildError(f"--out {out} exists and was not written by hindsight generate; "
                         "pick an empty or new folder")


def write_tree(out: Path, files: dict[str, bytes], root: Path) -> WriteReport:
    """Replace ``out`` with exactly ``files``, rewriting only what changed."""
    check_output_folder(out, root)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    written = unchanged = 0
    # Plain strings and one mkdir per folder: at 10,000 records this loop handles 11,000
    # files on every build, and pathlib's parsing was most of its time.
    made = {""}
    try:
        for path, content in files.items():
            rel = _safe_relative(path).as_posix()
            folder = posixpath.dirname(rel)
            if folder not in made:
                os.makedirs(os.path.join(staging, folder), exist_ok=True)
                made.add(folder)
            target = os.path.join(staging, rel)
            current = os.path.join(out, rel)
            if _holds(current, content):
                os.link(current, target)
                unchanged += 1
            else:
                Path(target).write_bytes(content)
                written += 1
        (staging / MARKER).write_text("Written by `hindsight generate`; replaced on every run.\n")
        removed = len(_relative_files(out) - set(files) - {MARKER})
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return WriteReport(written=written, unchanged=unchanged, removed=removed)


def _holds(path: str, content: bytes) -> bool:
    """Whether ``path`` is a regular file (not a link) holding exactly ``content``."""
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return False
        with open(path, "rb") as file:
            # A different size answers without reading the file.
            if os.fstat(file.fileno()).st_size != len(content):
                return False
            return file.read() == content
    except OSError:
        return False


def _relative_files(folder: Path) -> set[str]:
    found: set[str] = set()
    for here, _, names in os.walk(folder):
        rel = os.path.relpath(here, folder)
        for name in names:
            found.add(name if rel == "." else posixpath.join(rel.replace(os.sep, "/"), name))
    return found


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        staging.rename(out)
        return
    backup = out.with_name(f".{out.name}.old")
    if backup.exists():
        shutil.rmtree(backup)
    out.rename(backup)
    staging.rename(out)
    shutil.rmtree(backup, ignore_errors=True)
