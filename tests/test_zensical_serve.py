"""`hindsight serve --engine zensical`: Zensical's server, the generated tree kept current."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from test_serve import _fetch, _free_port
from test_zensical_second_pass import EXPO as LINKED_EXPO

from conftest import event_kb
from sitetools import make_project

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("zensical") is None,
    reason="Zensical is not installed (pip install 'hindsight[zensical]'); it could not be "
    "installed from the package index here")

# The trade-show post-mortem the second pass's test builds, its body one line to change.
EXPO = LINKED_EXPO.split("# What happened")[0] + "# What happened\n\nMost visitors were students.\n"


def _wait_for(what: str, found: Callable[[], bool], limit: float = 90.0) -> None:
    """Poll ``found`` until it is true (bounded; fails naming what never happened)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if found():
            return
        time.sleep(0.25)
    raise AssertionError(f"{what} never happened")


def _shows(url: str, text: str) -> bool:
    page = _fetch(url)
    return page is not None and text in page


def test_serve_with_zensical_shows_a_save_and_keeps_the_last_good_site(tmp_path: Path) -> None:
    """`hindsight serve` ran MkDocs only: a team that builds with Zensical could not preview
    its records as it wrote them. With --engine zensical a save of a post-mortem or of
    taxonomy.yml shows in the served page; a save that does not validate is reported as under
    MkDocs and the page stays as it was; stopping the server stops Zensical's with it."""
    kb = event_kb(tmp_path / "kb", {"postmortems/2026-05-expo.md": EXPO})
    project = make_project(tmp_path / "project", kb)
    port = _free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "HINDSIGHT_AS_OF": "2026-07-20"}
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--engine", "zensical", "--dev-addr",
             f"127.0.0.1:{port}"], cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/hindsight/"
    page = f"{base}records/2026-05-expo/"

    def said() -> str:
        return log.read_text(encoding="utf-8", errors="replace")

    try:
        _wait_for("the first page", lambda: _shows(page, "Most visitors were students."))
        record = project / "postmortems" / "2026-05-expo.md"
        record.write_text(EXPO.replace("Most visitors were students.",
                                       "Most visitors were competitors."), encoding="utf-8")
        _wait_for("the saved text", lambda: _shows(page, "Most visitors were competitors."))

        record.write_text(EXPO.replace("outcome: mixed", "outcome: soso").replace(
            "Most visitors were students.", "Never published."), encoding="utf-8")
        _wait_for("the error reported", lambda: "the last good site is still served" in said())
        assert "postmortems/2026-05-expo.md:5:10  outcome  must be one of" in said(), said()
        served = _fetch(page)
        assert served is not None and "Most visitors were competitors." in served
        assert "Never published." not in served

        record.write_text(EXPO.replace("Most visitors were students.", "Fixed and saved."),
                          encoding="utf-8")
        _wait_for("the fixed save", lambda: _shows(page, "Fixed and saved."))

        taxonomy = project / "taxonomy.yml"
        text = taxonomy.read_text(encoding="utf-8")
        assert "title: Events and trade shows" in text
        taxonomy.write_text(text.replace("title: Events and trade shows",
                                         "title: Fairs and expos"), encoding="utf-8")
        _wait_for("the taxonomy saved", lambda: _shows(f"{base}plan/event/", "Fairs and expos"))

        # A hand-written page, and mkdocs.yml (read into the configuration Zensical reads).
        guide = project / "docs" / "guide" / "writing-a-retro.md"
        guide.write_text(guide.read_text(encoding="utf-8") + "\nSaved while serving.\n",
                         encoding="utf-8")
        _wait_for("the guide saved",
                  lambda: _shows(f"{base}guide/writing-a-retro/", "Saved while serving."))
        config = project / "mkdocs.yml"
        text = config.read_text(encoding="utf-8")
        assert text.startswith("site_name: ")
        config.write_text(text.replace("site_name: ", "site_name: Expo Desk — ", 1),
                          encoding="utf-8")
        _wait_for("mkdocs.yml saved", lambda: _shows(page, "Expo Desk — "))
        assert "Traceback" not in said(), said()
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    # Zensical's server, a process of its own, ended with it.
    _wait_for("the address free again", lambda: _fetch(base) is None, limit=20)
