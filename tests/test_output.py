"""Writing the generated tree: files the last write left untouched are kept by their status
(the manifest), without reading them or the bytes they would be replaced with; anything else
is compared byte for byte, as it was before the manifest existed."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.errors import CacheError
from generator.site.output import MARKER, manifest_path, write_tree
from generator.site.tree import GeneratedFiles, Stored, content_digest, store_path

PAGES = {"index.md": b"# Home\n", "records/2026-05-sales.md": b"# May\n\nWon 3 of 10.\n",
         "charts/a.svg": b"<svg/>"}


def _stored(folder: Path, files: dict[str, bytes]) -> GeneratedFiles:
    """The files as a page store holds them: each one's bytes on disk by digest."""
    items = {}
    for path, content in files.items():
        digest = content_digest(content)
        file = store_path(folder, digest)
        os.makedirs(os.path.dirname(file), exist_ok=True)
        Path(file).write_bytes(content)
        items[path] = Stored(file, digest, len(content))
    return GeneratedFiles(items)


def _unreadable(files: dict[str, bytes], store: Path) -> GeneratedFiles:
    """The same digests, pointing at nothing: reading any of them fails."""
    return GeneratedFiles({path: Stored(str(store / "gone" / path.replace("/", "_")),
                                        content_digest(content), len(content))
                           for path, content in files.items()})


def _tree(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def test_an_unchanged_file_is_kept_without_reading_either_copy(tmp_path: Path) -> None:
    root, out = tmp_path / "kb", tmp_path / "out"
    root.mkdir()
    first = write_tree(out, _stored(tmp_path / "store", PAGES), root)
    assert (first.written, first.unchanged) == (3, 0)
    # The manifest lives in the knowledge base's cache: the output holds the pages alone.
    assert manifest_path(root, out).is_file()
    assert set(_tree(out)) == {*PAGES, MARKER}
    # Nothing could be read now, and nothing needs to be.
    again = write_tree(out, _unreadable(PAGES, tmp_path), root)
    assert (again.written, again.unchanged, again.removed) == (0, 3, 0)
    assert {p: c for p, c in _tree(out).items() if p != MARKER} == PAGES


def test_a_file_changed_behind_the_manifests_back_is_compared_and_rewritten(
        tmp_path: Path) -> None:
    root, out = tmp_path / "kb", tmp_path / "out"
    root.mkdir()
    write_tree(out, PAGES, root)
    page = out / "records" / "2026-05-sales.md"
    before = page.stat()
    # Same size, modification time set back: only the change time tells.
    page.write_bytes(b"# May\n\nWon 9 of 10.\n")
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert page.stat().st_mtime_ns == before.st_mtime_ns
    # Its stored bytes cannot be read, so the write must fail rather than keep the edit.
    with pytest.raises(CacheError, match="could not be read"):
        write_tree(out, _unreadable(PAGES, tmp_path), root)
    report = write_tree(out, PAGES, root)
    assert (report.written, report.unchanged) == (1, 2)
    assert page.read_bytes() == PAGES["records/2026-05-sales.md"]


def test_a_changed_page_is_written_and_a_missing_manifest_only_costs_a_comparison(
        tmp_path: Path) -> None:
    root, out = tmp_path / "kb", tmp_path / "out"
    root.mkdir()
    write_tree(out, PAGES, root)
    manifest_path(root, out).unlink()
    changed = {**PAGES, "index.md": b"# Home, changed\n"}
    report = write_tree(out, changed, root)
    assert (report.written, report.unchanged) == (1, 2)
    assert (out / "index.md").read_bytes() == b"# Home, changed\n"
    # Without a manifest (--no-cache) nothing is kept in the cache and bytes decide.
    plain = tmp_path / "plain"
    write_tree(plain, changed, root, manifest=False)
    assert not manifest_path(root, plain).exists()
    assert write_tree(plain, changed, root, manifest=False).unchanged == 3


def test_only_the_most_recently_written_manifests_are_kept(tmp_path: Path) -> None:
    from generator.site.output import KEPT_MANIFESTS

    root = tmp_path / "kb"
    root.mkdir()
    write_tree(tmp_path / "oldest", PAGES, root)
    oldest = manifest_path(root, tmp_path / "oldest")
    os.utime(oldest, ns=(1_600_000_000 * 10**9,) * 2)  # written long ago
    outs = [tmp_path / f"out-{i}" for i in range(KEPT_MANIFESTS)]
    for out in outs:
        write_tree(out, PAGES, root)
    assert not oldest.exists()
    assert sorted(oldest.parent.glob("*.json")) == sorted(manifest_path(root, o) for o in outs)
    # A folder whose manifest was dropped is still written correctly (bytes decide).
    again = write_tree(tmp_path / "oldest", PAGES, root)
    assert (again.written, again.unchanged) == (0, 3)


@pytest.fixture
def mount_point(tmp_path: Path) -> Iterator[Path]:
    """An empty file system of its own, mounted at a folder (a volume a container or a
    nightly job writes the site into)."""
    import shutil
    import subprocess

    folder = tmp_path / "volume"
    folder.mkdir()
    mount = shutil.which("mount")
    made = mount and subprocess.run([mount, "-t", "tmpfs", "-o", "size=64m", "tmpfs",
                                     str(folder)], capture_output=True, check=False)
    if not made or made.returncode != 0:
        pytest.skip("this machine does not let the tests mount a file system (not root)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def test_a_mount_point_is_written_in_place(tmp_path: Path, mount_point: Path) -> None:
    """`generate --out` into a mounted volume failed "Device or resource busy", exit 1: the
    folder was renamed, which a mount point cannot be. Its entries are replaced instead; a
    second write keeps what did not change and removes what is gone."""
    root = tmp_path / "kb"
    root.mkdir()
    first = write_tree(mount_point, _stored(tmp_path / "store", PAGES), root)
    assert (first.written, first.unchanged) == (3, 0)
    assert os.path.ismount(mount_point)
    assert _tree(mount_point) == {**PAGES, MARKER: _tree(mount_point)[MARKER]}
    changed = {**{p: c for p, c in PAGES.items() if p != "charts/a.svg"},
               "index.md": b"# Home, again\n"}
    again = write_tree(mount_point, _stored(tmp_path / "store", changed), root)
    assert (again.written, again.unchanged, again.removed) == (1, 1, 1)
    assert {p: c for p, c in _tree(mount_point).items() if p != MARKER} == changed
    # Nothing of the work is left behind: the volume holds the tree alone.
    assert sorted(p.name for p in mount_point.iterdir()) == sorted(["index.md", "records",
                                                                    MARKER])
