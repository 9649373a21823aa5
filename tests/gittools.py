"""Real git repositories for tests, with fixed authors and commit dates."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def git(root: Path, *args: str, author: str = "Test Author", date: str = "2026-01-01T09:00:00+00:00",
        author_date: str | None = None) -> str:
    """Run git in ``root`` with a fixed author, committer and date (``author_date``, when
    given, is the author's alone: ``date`` stays the committer's)."""
    email = author.lower().replace(" ", ".") + "@example.com"
    env = {**os.environ, "GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": email,
           "GIT_COMMITTER_NAME": author, "GIT_COMMITTER_EMAIL": email,
           "GIT_AUTHOR_DATE": author_date or date, "GIT_COMMITTER_DATE": date,
           "GIT_CONFIG_NOSYSTEM": "1", "HOME": str(root)}
    result = subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True,
                            check=True)
    return result.stdout


def init(root: Path) -> None:
    """A new repository on branch main that ignores ``.hindsight-cache/``, as a knowledge
    base's ``.gitignore`` does (a committed cache is refused)."""
    root.mkdir(parents=True, exist_ok=True)
    git(root, "init", "-q", "-b", "main")
    (root / ".git" / "info").mkdir(parents=True, exist_ok=True)
    with (root / ".git" / "info" / "exclude").open("a", encoding="utf-8") as exclude:
        exclude.write(".hindsight-cache/\n")


def commit_all(root: Path, message: str, author: str, date: str,
               author_date: str | None = None) -> str:
    """Commit everything in the work tree; returns the commit hash."""
    git(root, "add", "-A", author=author, date=date)
    git(root, "commit", "-q", "-m", message, author=author, date=date, author_date=author_date)
    return git(root, "rev-parse", "HEAD").strip()


def commit_raw(root: Path, message: str, ident: bytes, stamp: str) -> str:
    """Commit everything in the work tree as ``ident`` (``Name <email>``, bytes as given: git
    itself turns a name that is not UTF-8 into Latin-1's reading of it) at ``stamp`` (git's
    ``<seconds> <offset>``); returns the commit hash."""
    git(root, "add", "-A")
    tree = git(root, "write-tree").strip()
    parent = git(root, "rev-parse", "HEAD").strip()
    who = ident + b" " + stamp.encode()
    body = (f"tree {tree}\nparent {parent}\n".encode() + b"author " + who + b"\ncommitter "
            + who + b"\n\n" + message.encode() + b"\n")
    commit = subprocess.run(["git", "hash-object", "-t", "commit", "-w", "--stdin"], cwd=root,
                            input=body, capture_output=True, check=True).stdout.decode().strip()
    git(root, "update-ref", "HEAD", commit)
    return commit
