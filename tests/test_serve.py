"""`mkdocs serve` watches the records: editing one changes the served page."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from conftest import FIXTURES
from sitetools import make_project


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, OSError):
        return None


def _wait_for(url: str, needle: str, limit: float = 90.0) -> str:
    """Poll until the served page contains ``needle`` (bounded; fails with what it saw)."""
    deadline = time.monotonic() + limit
    last = None
    while time.monotonic() < deadline:
        last = _fetch(url)
        if last is not None and needle in last:
            return last
        time.sleep(0.25)
    raise AssertionError(f"{needle!r} never appeared at {url}; last page: {str(last)[:300]}")


def _site_path(project: Path) -> str:
    for line in (project / "mkdocs.yml").read_text().splitlines():
        if line.startswith("site_url:"):
            path = urlsplit(line.split(":", 1)[1].strip()).path
            return path if path.endswith("/") else path + "/"
    return "/"


def test_editing_a_record_changes_the_served_page(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", FIXTURES / "corpus")
    port = _free_port()
    env = {**os.environ, "HINDSIGHT_AS_OF": "2026-07-20", "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    # mkdocs serve mounts the site under site_url's path.
    base = f"http://127.0.0.1:{port}{_site_path(project)}"
    try:
        url = f"{base}records/2026-05-sales/"
        _wait_for(url, "ICP drift came back")
        record = project / "retros" / "2026-05-sales.md"
        record.write_text(record.read_text().replace(
            "ICP drift came back", "Edited while serving: the deck was the culprit"))
        _wait_for(url, "Edited while serving: the deck was the culprit")

        taxonomy = project / "taxonomy.yml"
        taxonomy.write_text(taxonomy.read_text().replace("title: ICP drift", "title: ICP creep"))
        _wait_for(f"{base}causes/icp-drift/", "ICP creep")
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
