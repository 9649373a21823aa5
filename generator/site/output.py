"""Write generated content to a folder: only changed files, stale ones removed, atomically.

The new tree is assembled in a sibling staging folder (unchanged files are hard-linked from
the current output, so their timestamps survive) and swapped in with renames, so an
interrupted run leaves the previous output whole. A marker file proves a folder is ours
before anything in it is ever replaced.

A manifest in the knowledge base's cache (never in the output, which stays byte-identical
from run to run) keeps each file's content digest and its status (size, modification and
change times, inode) as the last write left it. A file whose status is still
exactly that one holds those bytes, so when its digest is the one wanted it is kept without
reading it or the new content (which may sit unread in the page store, `generator.site.tree`).
Any difference in status (an edit, a ``touch``, a copy) makes the bytes decide, as they did
before the manifest existed; a missing or unreadable manifest only costs that comparison.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import posixpath
import shutil
import stat
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import BuildError, ConfigError
from ..records.load import CACHE_DIR, RECORD_FOLDERS, StatKey, file_status
from .settings import mkdocs_config
from .tree import digest_of

MARKER = ".hindsight-generated"
MANIFESTS = f"{CACHE_DIR}/outputs"
"""Where each output folder's manifest is kept, relative to the knowledge base's root: each
written file's content digest and status, as the last write left them."""
_MANIFEST_FORMAT = 1
KEPT_MANIFESTS = 8
"""How many output folders' manifests are kept (the most recently written): each is about a
megabyte at 10,000 records, and every ``--out`` ever used would otherwise leave one behind.
A folder whose manifest was dropped only compares bytes on its next write."""


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
    """Refuse output folders that would put records at risk, that the site's build reads (its
    pages would be there twice), that are git's, or that are not ours (a mistake in the
    command: `ConfigError`)."""
    out_r, root_r = out.resolve(), root.resolve()
    if out_r == root_r or out_r in root_r.parents:
        raise ConfigError(f"--out {out} would replace the knowledge base itself; pick a new "
                          "folder")
    refused = [(folder, "pick a folder outside the records") for folder in RECORD_FOLDERS]
    refused += [(".git", "it is git's own folder; pick another"),
                (_docs_dir(root), "the site's build reads that folder and would find every "
                 "generated page twice; pick a folder outside it")]
    for folder, why in refused:
        inside = root_r / folder
        if out_r == inside or inside in out_r.parents:
            raise ConfigError(f"--out {out} is inside {folder}/; {why}")
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists())):
        raise ConfigError(f"--out {out} exists and was not written by hindsight generate; "
                          "pick an empty or new folder")


def _docs_dir(root: Path) -> str:
    """The hand-written pages' folder mkdocs.yml names (``docs`` by default, or without one)."""
    try:
        return str(mkdocs_config(root).get("docs_dir") or "docs")
    except ConfigError:
        return "docs"


def write_tree(out: Path, files: Mapping[str, bytes], root: Path,
               manifest: bool = True) -> WriteReport:
    """Replace ``out`` with exactly ``files``, rewriting only what changed.

    With ``manifest`` (the default; off with ``--no-cache``), files the last write left
    untouched are recognised by their status, without reading them.
    """
    check_output_folder(out, root)
    out.parent.mkdir(parents=True, exist_ok=True)
    kept_in = manifest_path(root, out) if manifest else None
    known = _read_manifest(kept_in) if kept_in else {}
    # The new tree is made beside the old one and put in its place with two renames; a
    # mount point (a volume a container or a nightly job writes into) cannot be renamed, and
    # its parent is another file system, where the kept files cannot be linked from: there
    # the tree is made inside it, and moved into place entry by entry.
    inside = out.is_dir() and os.path.ismount(out)
    staging = Path(tempfile.mkdtemp(prefix=_STAGING if inside else f".{out.name}.",
                                    dir=out if inside else out.parent))
    # mkdtemp makes it private (0700); the tree is put in its place, readable as any folder
    # made under the umask (a web server or another user read it).
    staging.chmod(0o777 & ~_umask())
    written = unchanged = 0
    digests: dict[str, str] = {}
    # Plain strings and one mkdir per folder: at 10,000 records this loop handles 11,000
    # files on every build, and pathlib's parsing was most of its time.
    made = {""}
    try:
        for path in files:
            rel = _safe_relative(path).as_posix()
            folder = posixpath.dirname(rel)
            if folder not in made:
                os.makedirs(os.path.join(staging, folder), exist_ok=True)
                made.add(folder)
            target = os.path.join(staging, rel)
            current = os.path.join(out, rel)
            digest = digests[rel] = digest_of(files, path)
            if _kept(current, known.get(rel), digest) or _holds(current, files[path]):
                os.link(current, target)
                unchanged += 1
            else:
                Path(target).write_bytes(files[path])
                written += 1
        (staging / MARKER).write_text("Written by `hindsight generate`; replaced on every run.\n")
        removed = len(_relative_files(out, leave_out=staging.name) - set(files) - {MARKER})
        if inside:
            _swap_inside(staging, out)
        else:
            _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if kept_in:
        # Statuses read once the old tree is gone: removing its links to the kept files
        # moved their change times.
        _write_manifest(kept_in, out, digests)
    return WriteReport(written=written, unchanged=unchanged, removed=removed)


def manifest_path(root: Path, out: Path) -> Path:
    """Where the manifest of the output folder ``out`` is kept."""
    name = hashlib.blake2b(str(out.resolve()).encode(), digest_size=10).hexdigest()
    return root / MANIFESTS / f"{name}.json"


def _kept(path: str, entry: tuple[str, StatKey] | None, digest: str) -> bool:
    """Whether ``path`` still holds the bytes of ``digest`` by the manifest (no reading)."""
    return entry is not None and entry[0] == digest and file_status(path) == entry[1]


def _read_manifest(path: Path) -> dict[str, tuple[str, StatKey]]:
    """The last write's digests and statuses by path; nothing if missing or unreadable."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != _MANIFEST_FORMAT:
            return {}
        return {rel: (digest, (size, mtime, ctime, ino, dev))
                for rel, (digest, size, mtime, ctime, ino, dev) in data["files"].items()}
    except (OSError, ValueError, TypeError, AttributeError, KeyError):
        return {}


def _write_manifest(target: Path, out: Path, digests: dict[str, str]) -> None:
    """Keep each file's digest with its status now; a manifest that cannot be written only
    makes the next write compare bytes."""
    files = {}
    for rel, digest in digests.items():
        status = file_status(os.path.join(out, rel))
        if status is not None:
            files[rel] = [digest, *status]
    temporary = target.with_name(f"{target.name}.{os.getpid()}.tmp")
    with contextlib.suppress(OSError):
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(json.dumps({"format": _MANIFEST_FORMAT, "out": str(out.resolve()),
                                         "files": files}, separators=(",", ":")),
                             encoding="utf-8")
        os.replace(temporary, target)
        _prune_manifests(target.parent)


def _prune_manifests(folder: Path) -> None:
    """Keep the `KEPT_MANIFESTS` most recently written manifests; drop the rest."""
    found = []
    for path in folder.glob("*.json"):
        with contextlib.suppress(OSError):  # another run removed it first
            found.append((path.stat().st_mtime_ns, path.name, path))
    for *_, path in sorted(found, reverse=True)[KEPT_MANIFESTS:]:
        path.unlink(missing_ok=True)


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


def _relative_files(folder: Path, leave_out: str = "") -> set[str]:
    """Every file under ``folder``, relative to it, but for those in its top folder
    ``leave_out`` (the new tree, when it is made inside)."""
    found: set[str] = set()
    for here, folders, names in os.walk(folder):
        if here == str(folder) and leave_out in folders:
            folders.remove(leave_out)
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


_STAGING = ".hindsight-staging."
"""How the new tree made inside a mount point, and the old one set aside there, begin."""


def _swap_inside(staging: Path, out: Path) -> None:
    """Put the tree made in ``staging``, a folder inside ``out``, in the place of what ``out``
    held: the old entries are set aside in another folder inside it, the new ones moved up,
    and the old removed (renames within one file system; a reader may meet a half-replaced
    folder for that moment, as ``out`` itself cannot be swapped)."""
    old = Path(tempfile.mkdtemp(prefix=_STAGING, dir=out))
    for entry in os.scandir(out):
        if entry.name not in (staging.name, old.name):
            os.rename(entry.path, old / entry.name)
    for entry in os.scandir(staging):
        os.rename(entry.path, out / entry.name)
    staging.rmdir()
    shutil.rmtree(old, ignore_errors=True)


def _umask() -> int:
    """This process's umask (read by setting it, then put back as it was)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
