"""Real git repositories for tests, with fixed authors and commit dates."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def git(root: Path, *args: str, author: str = "Test Author", date: str = "2026-01-01T09:00:00+00:00") -> str:
    """Run git in ``root`` with a fixed author, committer and date."""
    email = author.lower().replace(" ", ".") + "@example.com"
    env = {**os.environ, "GIT_AUTHOR_NAME": author, "GIT_AUTHOR_EMAIL": email,
           "GIT_COMMITTER_NAME": author, "GIT_COMMITTER_EMAIL": email,
           "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date,
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


def commit_all(root: Path, message: str, author: str, date: str) -> str:
    """Commit everything in the work tree; returns the commit hash."""
    git(root, "add", "-A", author=author, date=date)
    git(root, "commit", "-q", "-m", message, author=author, date=date)
    return git(root, "rev-parse", "HEAD").strip()
