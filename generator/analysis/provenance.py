"""Provenance from git: who submitted each record and when, and when it last changed.

One pass over the log (``git log --name-status``, renames followed), never one ``git log``
per file. Outside a git repository, or in a shallow clone, there is no trustworthy history: in
CI (``CI=true``) a shallow clone is an error that names the fix; elsewhere provenance falls
back to file dates and says so.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..records.load import RECORD_FOLDERS, TAXONOMY_FILE


@dataclass(frozen=True)
class Change:
    """A commit that touched a file."""

    author: str
    when: dt.datetime
    commit: str
    """The abbreviated commit hash, or ``""`` for a file date fallback."""


@dataclass
class Provenance:
    """The first and last change of every record file, by path relative to the root."""

    first: dict[str, Change] = field(default_factory=dict)
    last: dict[str, Change] = field(default_factory=dict)
    source: str = "git"
    """``git``, or ``file dates`` when there is no usable history."""
    notice: str | None = None
    """Why provenance is limited, if it is (printed as a warning)."""

    def submitted(self, path: str) -> Change | None:
        """Who first committed the record, and when."""
        return self.first.get(path)

    def changed(self, path: str) -> Change | None:
        """Who last committed a change to the record, and when."""
        return self.last.get(path)


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _file_dates(root: Path, paths: list[str], notice: str) -> Provenance:
    provenance = Provenance(source="file dates", notice=notice)
    for path in paths:
        try:
            stamp = (root / path).lstat().st_mtime
        except OSError:
            continue
        when = dt.datetime.fromtimestamp(stamp, tz=dt.UTC).replace(microsecond=0)
        change = Change(author="unknown", when=when, commit="")
        provenance.first[path] = change
        provenance.last[path] = change
    return provenance


def read_provenance(root: Path, paths: list[str]) -> Provenance:
    """Provenance of ``paths`` (relative to ``root``) from one pass over the git log."""
    import git

    try:
        repo = git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        return _file_dates(root, paths, "not a git repository: record dates come from the "
                           "files, and authors are unknown")
    except git.GitCommandNotFound:  # pragma: no cover - git missing from PATH
        return _file_dates(root, paths, "git is not installed: record dates come from files")
    if repo.git.rev_parse("--is-shallow-repository").strip() == "true":
        if _in_ci():
            raise ConfigError(
                "this is a shallow clone, so who submitted each record cannot be known; "
                "fetch the full history (in GitHub Actions: actions/checkout with "
                "`fetch-depth: 0`)"
            )
        return _file_dates(root, paths, "shallow clone: record dates come from the files; "
                           "run `git fetch --unshallow` for full provenance")
    top = Path(repo.working_tree_dir or root).resolve()
    prefix = root.resolve().relative_to(top).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    scopes = [f"{prefix}{folder}" for folder in RECORD_FOLDERS]
    try:
        # Renames are followed (a record renamed with `git mv` keeps who submitted it), and a
        # merge commit lists the files it changed itself (a record added while resolving a
        # merge), not every file its branch brought in.
        log = repo.git.log("--find-renames", "--name-status", "--diff-merges=dense-combined",
                           "--format=%x00%h%x1f%an%x1f%aI", "--", *scopes)
    except git.GitCommandError:  # an empty repository has no log
        log = ""
    provenance = Provenance()
    renamed: dict[str, str] = {}  # an older name → the record's name now
    for block in log.split("\x00")[1:]:  # newest commit first
        header, _, lines = block.partition("\n")
        commit, author, stamp = header.split("\x1f")
        change = Change(author=author, when=dt.datetime.fromisoformat(stamp), commit=commit)
        for line in lines.split("\n"):
            status, *names = line.split("\t")
            if not names:
                continue
            name = names[-1]
            if status.startswith("R") and len(names) == 2:
                # Older commits name the record by its old name: they count for the new one.
                renamed[names[0]] = renamed.get(name, name)
            name = renamed.get(name, name)
            if not name.startswith(prefix):
                continue
            path = name[len(prefix):]
            provenance.last.setdefault(path, change)
            provenance.first[path] = change  # overwritten until the oldest commit remains
    missing = [p for p in paths if p not in provenance.first]
    if missing:
        fallback = _file_dates(root, missing, "")
        provenance.first.update(fallback.first)
        provenance.last.update(fallback.last)
    return provenance


def changed_since(root: Path, ref: str) -> set[str]:
    """Record files (relative to ``root``) changed since ``ref``, uncommitted work included.

    If ``taxonomy.yml`` changed, every record is affected and ``{"*"}`` is returned.
    """
    repo, prefix, base = _fork_point(root, ref)
    scopes = [f"{prefix}{folder}" for folder in RECORD_FOLDERS] + [f"{prefix}{TAXONOMY_FILE}"]
    names = repo.git.diff("--name-only", "--no-renames", base, "--", *scopes).splitlines()
    names += repo.git.ls_files("--others", "--exclude-standard", "--", *scopes).splitlines()
    changed = {n[len(prefix):] for n in names if n.startswith(prefix)}
    if TAXONOMY_FILE in changed:
        return {"*"}
    return changed


def added_since(root: Path, ref: str) -> set[str]:
    """Record files (relative to ``root``) that ``ref`` does not have: added since, committed
    or not. Their pages are not on the published site yet."""
    repo, prefix, base = _fork_point(root, ref)
    scopes = [f"{prefix}{folder}" for folder in RECORD_FOLDERS]
    names = repo.git.diff("--name-only", "--diff-filter=A", "--no-renames", base, "--",
                          *scopes).splitlines()
    names += repo.git.ls_files("--others", "--exclude-standard", "--", *scopes).splitlines()
    return {n[len(prefix):] for n in names if n.startswith(prefix)}


def _fork_point(root: Path, ref: str) -> tuple[Any, str, str]:
    """The repository, the knowledge base's folder in it (``""`` or ``"kb/"``) and the commit
    where HEAD and ``ref`` part; clear errors where there is no such history."""
    import git

    try:
        repo = git.Repo(root, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise ConfigError("--changed-since needs a git repository") from None
    try:
        repo.git.rev_parse("--verify", "--quiet", f"{ref}^{{commit}}")
    except git.GitCommandError:
        raise ConfigError(f"--changed-since: {ref!r} is not a commit or branch here "
                          "(in CI, fetch it: actions/checkout with `fetch-depth: 0`)") from None
    top = Path(repo.working_tree_dir or root).resolve()
    prefix = root.resolve().relative_to(top).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    try:
        base = repo.git.merge_base(ref, "HEAD").strip()
    except git.GitCommandError:  # both exist, but a shallow history does not reach their fork
        raise ConfigError(f"--changed-since: the history does not reach where HEAD and {ref!r} "
                          "part (a shallow clone; in CI, actions/checkout with `fetch-depth: 0`)"
                          ) from None
    return repo, prefix, base
