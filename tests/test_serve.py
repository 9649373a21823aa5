"""Serving: `mkdocs serve` with the plugin, and `hindsight serve`, which rebuilds only what a
save changed."""

from __future__ import annotations

import gc
import json
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import FIXTURES, REPO, run_cli
from generator.records.load import TAXONOMY_FILE
from sitetools import make_project, mkdocs_build, own_site_url, search_pages


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
        _stop(server)


def _stop(server: subprocess.Popen[str] | subprocess.Popen[bytes]) -> None:
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()


def _wait_until(what: str, condition: Callable[[], bool], limit: float = 120.0) -> None:
    """Poll ``condition`` until it holds (bounded; fails naming what never happened)."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"{what} never happened")


def _indexed(site: Path, page: str) -> str:
    """The text the search index holds for ``page`` ("" while an index is being swapped in)."""
    try:
        return str(search_pages(site).get(page, {}).get("content", ""))
    except (OSError, EOFError, ValueError):
        return ""


def _searched(site: Path) -> set[str]:
    """The addresses the search index holds, read again if the server swapped a new index in
    while it was being read (a fragment listed, then gone with the old folder)."""
    for _ in range(100):
        try:
            return set(search_pages(site))
        except (OSError, EOFError, ValueError):
            continue
    return set(search_pages(site))


def _rebuilds(log: Path) -> int:
    """How many rebuilds the server has finished (the first build is not counted)."""
    return log.read_text(errors="replace").count("Reloading browsers")


def _hindsight_serve(project: Path, log: Path,
                     *options: str) -> tuple[subprocess.Popen[bytes], str]:
    """`hindsight serve` of ``project`` on a free port, its output in ``log``; the server and
    the address its site is served at."""
    port = _free_port()
    env = {**os.environ, "HINDSIGHT_AS_OF": "2026-07-20", "NO_MKDOCS_2_WARNING": "1"}
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", *options, "--dev-addr",
             f"127.0.0.1:{port}"], cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT)
    return server, f"http://127.0.0.1:{port}{_site_path(project)}"


def test_hindsight_serve_rebuilds_only_what_a_save_changed(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", FIXTURES / "corpus")
    log = tmp_path / "serve.log"
    server, base = _hindsight_serve(project, log)
    folder = project / ".hindsight-cache" / "serve"
    # A post-mortem of another team, which neither links to nor is linked from the record.
    unrelated = [folder / "site" / "records" / "2026-06-northwind-win" / "index.html",
                 folder / "docs" / "records" / "2026-06-northwind-win.md"]
    record = project / "retros" / "2026-05-sales.md"
    original = record.read_text()
    try:
        url = f"{base}records/2026-05-sales/"
        page = _wait_for(url, "ICP drift came back")
        # A record page edits its record; the plan kinds from taxonomy.yml are in the nav.
        assert ('href="https://github.com/brightlane/hindsight/edit/main/retros/'
                '2026-05-sales.md"') in page
        assert '<a href="../../plan/launch/" class="md-nav__link">' in page
        assert "/edit/main/docs/causes" not in (_fetch(f"{base}causes/") or "edit/main/docs/causes")
        before = [path.stat().st_mtime_ns for path in unrelated]
        edited_before = (folder / "site" / "records" / "2026-05-sales" / "index.html").stat()

        tags_before = (folder / "site" / "tags.json").read_bytes()
        assert re.search(r'<a href="[^"]*tags/#tag:icp-drift" class="md-tag', page), page

        record.write_text(original.replace("ICP drift came back", "Edited while serving"))
        _wait_until("the first rebuild", lambda: _rebuilds(log) >= 1)
        edited = _fetch(url) or ""
        assert "Edited while serving" in edited
        # The page built again links its tags to the tags index as a full build does, and
        # the exported tags still list every page (a dirty build saw only the rebuilt one's).
        assert re.search(r'<a href="[^"]*tags/#tag:icp-drift" class="md-tag', edited), edited
        assert (folder / "site" / "tags.json").read_bytes() == tags_before
        assert [path.stat().st_mtime_ns for path in unrelated] == before
        edited_after = (folder / "site" / "records" / "2026-05-sales" / "index.html").stat()
        assert edited_after.st_mtime_ns > edited_before.st_mtime_ns
        # The search index, refreshed in the background after the page was served, holds the
        # saved text and still every page, not only the one rebuilt.
        _wait_until("the refreshed search index",
                    lambda: "Edited while serving" in _indexed(folder / "site", "records/2026-05-sales/"))
        index = search_pages(folder / "site")
        assert "records/2026-06-northwind-win/" in index
        assert "Edited while serving" in index["records/2026-05-sales/"]["content"]
        assert not any("ICP drift came back" in page["content"] for page in index.values())
        # Saved again: the other pages' tags now come from what the server read of them
        # before (their files unchanged), and still every page is in tags.json.
        record.write_text(original.replace("ICP drift came back", "Edited again"))
        again = _wait_for(url, "Edited again")
        assert re.search(r'<a href="[^"]*tags/#tag:icp-drift" class="md-tag', again), again
        assert (folder / "site" / "tags.json").read_bytes() == tags_before

        # A record that does not validate: its error is printed where it is, and the last
        # good site stays served.
        record.write_text(original.replace("held: 2026-06-03", "held: the third of June"))
        _wait_until("the third rebuild", lambda: _rebuilds(log) >= 3)
        assert "retros/2026-05-sales.md:5:7  held  must be a date" in log.read_text()
        stale = _fetch(url) or ""
        assert "Edited again" in stale
        # The browser says so too: every served page opens with the error, where it is.
        assert "Not updated: the last save has 1 error." in stale
        assert "retros/2026-05-sales.md:5:7  held  must be a date" in stale
        assert "the last save has" in (_fetch(f"{base}causes/") or "")

        # A new record: its page is served, the retros index links it (its Markdown changed,
        # so it is rendered again), and so does the tags index (made from every page's tags,
        # it is rendered again whenever a page's tags change).
        (project / "retros" / "2026-06-sales.md").write_text(
            original.replace("period: 2026-05", "period: 2026-06")
            .replace("held: 2026-06-03", "held: 2026-07-02")
            .replace("SAL-2026-05-", "SAL-2026-06-")
            .replace("ICP drift came back", "June brought a new deck"))
        record.write_text(original)
        _wait_for(f"{base}records/2026-06-sales/", "June brought a new deck")
        fixed = _wait_for(f"{base}records/2026-05-sales/", "ICP drift came back")
        assert "the last save has" not in fixed  # once the records validate, the banner goes
        _wait_for(f"{base}retros/", "2026-06-sales/")
        _wait_for(f"{base}tags/", "records/2026-06-sales/")

        # A hand-written page's broken link stops the strict build: the served pages say so,
        # with MkDocs' warning, until a save builds again.
        guide = project / "docs" / "guide" / "commands.md"
        written = guide.read_text()
        guide.write_text(written + "\nSee [nowhere](no-such-page.md).\n")
        stopped = _wait_for(url, "The strict build stopped at 1 warning")
        assert "no-such-page.md" in stopped
        guide.write_text(written)
        _wait_until("the banner to go", lambda: "The strict build stopped" not in (_fetch(url) or "x"))
    finally:
        _stop(server)


def test_a_mkdocs_yml_the_engine_refuses_keeps_the_last_good_site_served(tmp_path: Path) -> None:
    """A plugin's name mistyped (valid YAML, a configuration MkDocs refuses) held every request
    until the file was fixed, with no banner; a mkdocs.yml without the hindsight plugin was
    built, and the last good site thrown away. Both are reported on the pages still served."""
    project = make_project(tmp_path / "project", FIXTURES / "corpus")
    log = tmp_path / "serve.log"
    server, base = _hindsight_serve(project, log)
    config = project / "mkdocs.yml"
    original = config.read_text()
    url = f"{base}records/2026-05-sales/"
    try:
        _wait_for(url, "ICP drift came back")
        config.write_text(original.replace("  - tags\n", "  - tagz\n"))
        refused = _wait_for(url, "Not updated: mkdocs.yml has 1 configuration error.")
        assert "The &#34;tagz&#34; plugin is not installed" in refused or \
            "The &quot;tagz&quot; plugin is not installed" in refused, refused[-3000:]
        assert "ICP drift came back" in refused  # the last good page, answered at once
        config.write_text(original.replace("  - hindsight\n", ""))
        gone = _wait_for(url, "no longer lists the hindsight plugin")
        assert "ICP drift came back" in gone
        assert _fetch(f"{base}causes/icp-drift/") is not None  # the generated pages stay
        config.write_text(original)
        _wait_until("the banner to go", lambda: "Not updated" not in (_fetch(url) or "Not updated"))
        assert "ICP drift came back" in (_fetch(url) or "")
    finally:
        _stop(server)
    assert "Traceback" not in log.read_text()


def test_saving_a_file_mkdocs_yml_inherits_rebuilds_the_site_with_it(tmp_path: Path) -> None:
    """`hindsight serve` watched mkdocs.yml but not the file it inherits, and kept the
    Markdown extensions read from it at start: a base file saved while serving changed no
    page until the server was restarted. Here the base is outside the knowledge base's
    folder, as a company-wide one would be."""
    project = make_project(tmp_path / "project", FIXTURES / "corpus")
    config = project / "mkdocs.yml"
    own, extensions = config.read_text(encoding="utf-8").split("markdown_extensions:\n", 1)
    extensions, rest = extensions.split("\n\n", 1)
    base = tmp_path / "company" / "base.yml"
    base.parent.mkdir()
    base.write_text(f"copyright: Base v1\nmarkdown_extensions:\n{extensions}\n",
                    encoding="utf-8")
    config.write_text(f"INHERIT: ../company/base.yml\n{own}{rest}", encoding="utf-8")
    record = project / "retros" / "2026-05-sales.md"
    record.write_text(record.read_text(encoding="utf-8") +
                      "\nThe query:\n\n```sql\nselect 1;\n```\n", encoding="utf-8")
    log = tmp_path / "serve.log"
    server, base_url = _hindsight_serve(project, log)
    url = f"{base_url}records/2026-05-sales/"
    try:
        page = _wait_for(url, "Base v1")
        assert "<code>sql\nselect 1;</code>" in page  # no fences on this site: inline code
        base.write_text(base.read_text(encoding="utf-8").replace("Base v1", "Base v2")
                        + "  - pymdownx.superfences\n", encoding="utf-8")
        _wait_until("the rebuild", lambda: _rebuilds(log) >= 1)
        page = _fetch(url) or ""
        # Every page shows the base's new footer (a full build), and the record's body is
        # rendered with the extensions the base now lists.
        assert "Base v2" in page and "Base v2" in (_fetch(f"{base_url}causes/") or "")
        assert '<span class="k">select</span>' in page, page[-3000:]
        assert "mkdocs.yml or a file it inherits" in log.read_text()
        # Saved as editors save, by renaming over it: still noticed.
        _save_as_an_editor_does(base, "Base v2", "Base v3")
        _wait_for(url, "Base v3")
    finally:
        _stop(server)
    assert "Traceback" not in log.read_text()


def test_the_generated_folder_holds_exactly_what_was_generated(tmp_path: Path) -> None:
    from generator.site.serve import _sync
    from generator.site.tree import GeneratedFiles

    folder = tmp_path / "docs"
    (folder / "records" / "old").mkdir(parents=True)
    (folder / "records" / "old" / "index.md").write_bytes(b"left by a server before")
    first = GeneratedFiles({"index.md": b"# Home", "records/a.md": b"# A",
                            "records/b/index.md": b"# B"})
    removed, _, digests = _sync(folder, first, {})
    # A first sync finds what an earlier server left and removes what is not generated now.
    assert removed == ["records/old/index.md"] and not (folder / "records" / "old").exists()
    assert {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} == \
        set(first.contents())
    # Later syncs remove what the last one wrote and this one no longer has, and the folders
    # it leaves empty; the rest is not written again.
    before = (folder / "index.md").stat().st_mtime_ns
    second = GeneratedFiles({"index.md": b"# Home", "records/a.md": b"# A, edited"})
    removed, _, digests = _sync(folder, second, digests)
    assert removed == ["records/b/index.md"] and not (folder / "records" / "b").exists()
    assert (folder / "records" / "a.md").read_bytes() == b"# A, edited"
    assert (folder / "index.md").stat().st_mtime_ns == before
    removed, _, _ = _sync(folder, second, digests)
    assert not removed


def test_the_serve_banner_shows_problems_as_text() -> None:
    from generator.site.serve import _with_banner

    page = b'<html><head></head><body dir="ltr"><p>Page</p></body></html>'
    assert _with_banner(page, []) == page
    problem = ("retros/x.md:3:8  title  is plain text but contains an HTML tag "
               "(got '<img src=x onerror=alert(1)>')")
    shown = _with_banner(page, [problem] * 25, "Not updated: the last save has 25 errors.").decode()
    assert shown.startswith('<html><head></head><body dir="ltr"><div class="hs-serve-errors"')
    assert "<img" not in shown and "&lt;img src=x onerror=alert(1)&gt;" in shown
    assert "the last save has 25 errors" in shown and "… and 5 more in the terminal" in shown
    assert shown.endswith("<p>Page</p></body></html>")


def test_a_busy_or_malformed_address_is_a_clear_error_before_any_build(tmp_path: Path) -> None:
    # A copy: a server of the repository's own site, running meanwhile, would be named.
    project = make_project(tmp_path / "project", FIXTURES / "corpus")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_cli("serve", "--dev-addr", f"127.0.0.1:{port}", "--root", str(project))
        assert result.exit_code == 2, result.output
        assert f"cannot serve on 127.0.0.1:{port}: address already in use" in result.output
        # Not "perhaps an earlier hindsight serve": one of this knowledge base is named first.
        assert ("another program is listening on that port, a server of another knowledge "
                f"base perhaps; stop it, or pass a free port, e.g. --dev-addr "
                f"127.0.0.1:{port + 1})") in result.output, result.output
        assert "Traceback" not in result.output and "validated" not in result.output.lower()
    for address in ("localhost", "127.0.0.1:http", "127.0.0.1:70000", "127.0.0.1:８０００"):
        result = run_cli("serve", "--dev-addr", address, "--root", str(REPO))
        assert result.exit_code == 2
        assert f"--dev-addr {address!r} is not HOST:PORT (e.g. 127.0.0.1:8000)" in result.output


def test_the_address_of_a_server_just_stopped_is_free_to_serve_on_again() -> None:
    """A stopped server's connections linger a minute (TIME_WAIT); the server binds over
    them, so the address check must too: a restart right after stopping is not refused."""
    from generator.commands.publish import check_address

    with socket.socket() as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as MkDocs' server
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port)) as client:
            accepted, _ = server.accept()
            accepted.close()  # the server closes first: its side of the port lingers
            client.recv(1)
    lingering = subprocess.run(["ss", "-tan", f"sport = :{port}"], capture_output=True,
                               text=True, check=False).stdout if shutil.which("ss") else ""
    check_address(f"127.0.0.1:{port}")  # no error
    if lingering:
        assert "TIME-WAIT" in lingering, lingering  # the case this test is about


def test_a_server_started_again_builds_only_what_changed_since_the_last_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest,
) -> None:
    import datetime as dt

    from generator.site.serve import Session
    from generator.site.settings import render_options

    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    project = make_project(tmp_path / "project", FIXTURES / "corpus")
    site = project / ".hindsight-cache" / "serve" / "site"
    unrelated = site / "records" / "2026-06-northwind-win" / "index.html"
    edited = site / "records" / "2026-05-sales" / "index.html"
    url = "http://127.0.0.1:8000/hindsight/"

    said: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: said.append(record.getMessage())  # type: ignore[method-assign]
    hindsight_log = logging.getLogger("mkdocs.plugins.hindsight")
    monkeypatch.setattr(hindsight_log, "handlers", [*hindsight_log.handlers, handler])
    # setLevel, not the attribute: it also clears what the logger cached about its level
    # (an earlier quiet build in this process left MkDocs' loggers at WARNING).
    level = hindsight_log.level
    hindsight_log.setLevel(logging.INFO)
    request.addfinalizer(lambda: hindsight_log.setLevel(level))

    # What the last full build said it was built for (an earlier server's search index,
    # refreshed in the background, may log in between).
    reasons: list[str] = []

    def start_and_build(serve_url: str = url) -> list[str]:
        """A new server's first build (a server started again): full or dirty."""
        said.clear()
        session = Session(project, dt.date(2026, 7, 20), render_options(project))
        session.build(serve_url)
        assert session.problems == []
        # A full build says why it is one (it takes minutes at thousands of records).
        why = [m for m in said if m.startswith("hindsight serve: building every page: ")]
        assert len(why) == (session.builds == ["full"]), said
        reasons[:] = why
        # The server stops: its search run ends with it (here, a thread that would go on).
        assert session.refresher.wait(120)
        return session.builds

    assert start_and_build() == ["full"]
    assert "no site kept from a finished build" in reasons[0]
    before = unrelated.stat().st_mtime_ns

    # Started again after a record was edited: only what the edit changed is built.
    record = project / "retros" / "2026-05-sales.md"
    record.write_text(record.read_text().replace("ICP drift came back", "Edited between runs"))
    assert start_and_build() == ["dirty"]
    assert "Edited between runs" in edited.read_text()
    assert unrelated.stat().st_mtime_ns == before

    # What every page shows but no page's Markdown holds: the theme's overrides, the address
    # served at. A change to either builds every page again.
    partial = next((project / "overrides" / "partials").glob("*.html"))
    partial.write_text(partial.read_text() + "\n{# edited #}\n")
    assert start_and_build() == ["full"]
    assert "the theme's overrides" in reasons[0]
    assert unrelated.stat().st_mtime_ns > before
    assert start_and_build() == ["dirty"]
    assert start_and_build("http://127.0.0.1:8001/hindsight/") == ["full"]

    # A build stopped by a warning leaves nothing saying what the site was built from.
    guide = project / "docs" / "guide" / "commands.md"
    written = guide.read_text()
    guide.write_text(written + "\nSee [nowhere](no-such-page.md).\n")
    session = Session(project, dt.date(2026, 7, 20), render_options(project))
    session.build(url)
    assert session.problems and session.builds == []
    guide.write_text(written)
    assert start_and_build() == ["full"]
    assert "no site kept from a finished build" in reasons[0]


def test_a_server_stopped_while_indexing_exits_quietly_and_the_next_run_clears_up(
    tmp_path: Path,
) -> None:
    from generator.site.search_refresh import SNAPSHOT_PREFIX, refresh

    project = make_project(tmp_path / "project", FIXTURES / "corpus")
    assert mkdocs_build(project, "2026-07-20").returncode == 0
    site = project / "site"
    # The process ends while the background run is under way, as when serve is stopped.
    code = ("import sys; from pathlib import Path\n"
            "from generator.site.search_refresh import SearchRefresher\n"
            "refresher = SearchRefresher(); refresher.request(Path(sys.argv[1]))\n"
            "while not list(Path(sys.argv[1]).parent.glob('.hindsight-search-*/site/*')):\n"
            "    pass\n")
    stopped = subprocess.run([sys.executable, "-c", code, str(site)], capture_output=True,
                             text=True, timeout=120, check=False)
    assert stopped.returncode == 0 and "Traceback" not in stopped.stderr, stopped.stderr
    assert list(project.glob(f"{SNAPSHOT_PREFIX}*"))  # left behind mid-way
    refresh(site)
    assert not list(project.glob(f"{SNAPSHOT_PREFIX}*"))
    assert "records/2026-05-sales/" in search_pages(site)


def test_a_build_and_a_search_run_never_touch_the_site_at_once(tmp_path: Path) -> None:
    from generator.site.search_refresh import SNAPSHOT_PREFIX, SearchRefresher, refresh

    project = make_project(tmp_path / "project", FIXTURES / "corpus")
    assert mkdocs_build(project, "2026-07-20").returncode == 0
    site = project / "site"
    old = site / "records" / "2026-05-sales" / "index.html"
    new = site / "records" / "2026-05-sales-again" / "index.html"

    # A build (it holds the lock) empties a folder and writes another, as a full build does,
    # while a run is asked for: the run indexes what the build left, not what it replaced.
    refresher = SearchRefresher()
    with refresher.site_lock:
        refresher.request(site)
        # The run has begun (its folder is made before it reads the site) ...
        deadline = time.monotonic() + 60
        while not list(project.glob(f"{SNAPSHOT_PREFIX}*/")):
            assert time.monotonic() < deadline, "the search run never began"
            time.sleep(0.01)
        # ... and waits: it has linked no page while the build goes on.
        assert not list(project.glob(f"{SNAPSHOT_PREFIX}*/site/**/*.html"))
        new.parent.mkdir()
        shutil.copyfile(old, new)
        shutil.rmtree(old.parent)
    assert refresher.wait(120)
    pages = search_pages(site)
    assert "records/2026-05-sales-again/" in pages and "records/2026-05-sales/" not in pages

    # A page gone between listing and linking (here, a link to nothing) is left out; the
    # rest is indexed and no error stops the run.
    (site / "gone").mkdir()
    (site / "gone" / "index.html").symlink_to(site / "nothing.html")
    refresh(site)
    pages = search_pages(site)
    assert "records/2026-05-sales-again/" in pages and "gone/" not in pages


def test_a_large_site_s_search_index_is_refreshed_bundle_by_bundle(tmp_path: Path) -> None:
    from generator.site.search_refresh import Layout, bundle_of, refresh

    project = make_project(tmp_path / "project", FIXTURES / "corpus")
    assert mkdocs_build(project, "2026-07-20").returncode == 0
    site = project / "site"
    whole = search_pages(site)  # as `hindsight build` indexed it: one run over every page
    records = sorted(url for url in whole if url.startswith("records/") and url != "records/")
    # As it is (far below 2,500 pages), the server indexes it whole, as `hindsight build`
    # does: merged bundles would search unlike the published site.
    assert refresh(site).bundles == (1, 1) and search_pages(site) == whole
    assert json.loads((site / "pagefind" / "bundles.json").read_text()) == {"merge": []}
    # And so is every site `hindsight build` indexes in one run.
    from generator.site.search_index import PAGES_PER_BUNDLE

    assert Layout().whole_up_to == PAGES_PER_BUNDLE
    # The sample's site taken as a large one: past 10 pages, 4 record pages a bundle.
    layout = Layout(whole_up_to=10, record_pages=4)
    bundles = -(-sum(1 for p in site.glob("records/*/index.html")) // 4)

    first = refresh(site, indexed=None, layout=layout)
    assert first.bundles == (bundles + 1, bundles + 1) and first.indexed is not None
    assert search_pages(site) == whole  # the same pages, the same text, whatever the bundles

    def inodes() -> dict[str, int]:
        return {p.relative_to(site / "pagefind").as_posix(): p.stat().st_ino
                for p in (site / "pagefind").rglob("*") if p.is_file()}

    # A save rewrote one record's page: its bundle alone is indexed again.
    page = site / "records" / "2026-05-sales" / "index.html"
    page.write_text(page.read_text().replace("ICP drift came back", "Quuxwing drift came back"))
    own = bundle_of("records/2026-05-sales/index.html", bundles)
    before = inodes()
    second = refresh(site, indexed=first.indexed, layout=layout)
    assert second.bundles == (1, bundles + 1)
    pages = search_pages(site)
    assert "Quuxwing" in pages["records/2026-05-sales/"]["content"]
    assert pages.keys() == whole.keys()
    after = inodes()
    kept = [name for name in after if not name.startswith(f"part-{own + 1}/")
            and name != "bundles.json"]
    # The other bundles' files are the very files served before (linked, not written).
    assert kept and all(after[name] == before[name] for name in kept)
    assert any(after[name] != before.get(name) for name in after
               if name.startswith(f"part-{own + 1}/"))

    # MkDocs writes its 404 page on every build; no run indexes it, so it changes no bundle.
    missing = site / "404.html"
    missing.write_bytes(missing.read_bytes() + b"\n")
    unchanged = refresh(site, indexed=second.indexed, layout=layout)
    assert unchanged.bundles == (0, bundles + 1) and search_pages(site) == pages

    # A record's page gone, and a page that is not a record's changed.
    shutil.rmtree(site / "records" / "2026-06-northwind-win")
    home = site / "index.html"
    home.write_text(home.read_text().replace('data-hs-index="headings">',
                                         'data-hs-index="headings"><h2>Zebulon note</h2>', 1))
    third = refresh(site, indexed=unchanged.indexed, layout=layout)
    gone = bundle_of("records/2026-06-northwind-win/index.html", bundles)
    assert third.bundles == (len({0, gone}), bundles + 1)
    pages = search_pages(site)
    assert "records/2026-06-northwind-win/" not in pages and "Zebulon" in pages[""]["content"]
    assert pages.keys() == whole.keys() - {"records/2026-06-northwind-win/"}
    assert len(records) > bundles > 1

    # A full build empties the site, its index with it: every bundle is indexed again.
    shutil.rmtree(site / "pagefind")
    fourth = refresh(site, indexed=third.indexed, layout=layout)
    assert fourth.bundles[0] == fourth.bundles[1]
    assert search_pages(site).keys() == pages.keys()

    # Every page outside records/ left out of search (a theme override, say): no first bundle
    # for the others to merge into, so the site is indexed whole, its record pages found.
    for built in site.rglob("*.html"):
        if not built.relative_to(site).as_posix().startswith(("records/", "pagefind/")):
            built.write_bytes(built.read_bytes().replace(b"data-pagefind-body", b"data-x"))
    fifth = refresh(site, indexed=fourth.indexed, layout=layout)
    assert fifth.bundles == (1, 1) and fifth.indexed is None
    assert search_pages(site).keys() == {url for url in pages if url.startswith("records/")}


def test_a_failed_search_run_does_not_stop_a_strict_build_beside_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture,
) -> None:
    from mkdocs.utils import CountHandler

    from generator.site.search_refresh import LOGGER, SearchRefresher

    # What a strict MkDocs build counts while it runs: every warning and error under "mkdocs".
    counter = CountHandler()
    counter.setLevel(logging.WARNING)
    logging.getLogger("mkdocs").addHandler(counter)
    try:
        empty = tmp_path / "site"
        empty.mkdir()
        refresher = SearchRefresher()
        with caplog.at_level(logging.INFO, logger=LOGGER):
            refresher.request(empty)  # no built site to index: the run fails
            assert refresher.wait(120)
    finally:
        logging.getLogger("mkdocs").removeHandler(counter)
    failed = [r for r in caplog.records if r.getMessage().startswith("search index not refreshed")]
    assert [r.name for r in failed] == [LOGGER], caplog.text
    assert counter.get_counts() == []


@pytest.mark.parametrize("poll", [False, True], ids=["file-events", "polling"])
def test_saves_are_noticed_and_reading_a_record_or_an_editor_s_scratch_file_are_not(
        tmp_path: Path, poll: bool) -> None:
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers.polling import PollingObserver

    from generator.site.serve import watcher

    # MkDocs polls every file every half second: at 10,000 records one CPU stayed busy while
    # nothing changed. The operating system's events cost nothing; polling is asked for.
    assert not isinstance(watcher(False, 10_000), PollingObserver)
    polled = watcher(True, 10_000)
    assert isinstance(polled, PollingObserver) and polled.timeout == 5.0
    assert watcher(True, 40).timeout == 0.5
    folder = tmp_path / "retros"
    folder.mkdir()
    record = folder / "2026-05-sales.md"
    record.write_text("---\ntype: retro\n---\n")
    seen: list[tuple[str, str]] = []

    class Recorder(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            if not event.is_directory:  # as MkDocs' own handler: a folder's events build nothing
                seen.append((event.event_type, os.path.basename(os.fsdecode(event.src_path))))

    observer = watcher(poll, 1)
    observer.schedule(Recorder(), os.fspath(folder), recursive=True)
    observer.start()
    try:
        # Every build reads the records: were a read a change, each build would start another.
        assert record.read_text().startswith("---")
        # Editors rewrite their scratch files as one types: no build reads them.
        for scratch in (".2026-05-sales.md.swp", "#2026-05-sales.md#", "2026-05-sales.md~"):
            (folder / scratch).write_text("being typed")
        (folder / "2026-06-sales.md").write_text("---\ntype: retro\n---\n")
        _wait_until("the new record noticed", lambda: ("created", "2026-06-sales.md") in seen)
        # The operating system reports events in order: the others would have come first.
        assert [name for _, name in seen if name != "2026-06-sales.md"] == []
    finally:
        observer.stop()
        observer.join()


def _save_as_an_editor_does(path: Path, old: str, new: str) -> None:
    """Write the new text beside the file and rename it over the file, as many editors save
    (a watch on the file itself would lose it at the first such save)."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    temporary = path.with_name(f".{path.name}.swp")
    temporary.write_text(text.replace(old, new), encoding="utf-8")
    os.replace(temporary, path)


@pytest.mark.parametrize("options", [(), ("--poll",)], ids=["file-events", "polling"])
def test_hindsight_serve_notices_saves_made_as_editors_make_them(
        tmp_path: Path, options: tuple[str, ...]) -> None:
    project = make_project(tmp_path / "project", FIXTURES / "corpus")
    log = tmp_path / "serve.log"
    server, base = _hindsight_serve(project, log, *options)
    record = project / "retros" / "2026-05-sales.md"
    url = f"{base}records/2026-05-sales/"
    try:
        _wait_for(url, "ICP drift came back")
        record.write_text(record.read_text().replace("ICP drift came back", "Saved in place"))
        _wait_for(url, "Saved in place")
        # taxonomy.yml saved twice by renaming over it: each save is noticed.
        taxonomy = project / TAXONOMY_FILE
        _save_as_an_editor_does(taxonomy, "title: ICP drift", "title: ICP creep")
        _wait_for(f"{base}causes/icp-drift/", "ICP creep")
        _save_as_an_editor_does(taxonomy, "title: ICP creep", "title: ICP slide")
        _wait_for(f"{base}causes/icp-drift/", "ICP slide")
        _save_as_an_editor_does(record, "Saved in place", "Saved by renaming")
        _wait_for(url, "Saved by renaming")
    finally:
        _stop(server)


def test_a_system_out_of_file_watches_is_a_clear_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from watchdog.observers.polling import PollingObserver

    from generator.site import serve

    class Refused(PollingObserver):
        """An observer that cannot start, as inotify when the system's limit is reached."""

        def start(self) -> None:
            raise OSError(errno.ENOSPC, "inotify watch limit reached")

    monkeypatch.setattr(serve, "watcher", lambda poll, records: Refused())
    # Started as the command line starts it, the server keeps record results from run to run.
    kept: list[bool] = []
    generate = serve.Session.generate

    def noting(session: serve.Session) -> bool:
        from generator.records import record_cache

        kept.append(record_cache._memory is not None)
        return generate(session)

    monkeypatch.setattr(serve.Session, "generate", noting)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    project = make_project(tmp_path / "project", FIXTURES / "corpus")
    handlers = {name: list(logging.getLogger(name).handlers)
                for name in ("mkdocs", "hindsight.search")}
    result = run_cli("serve", "--root", str(project), "--as-of", "2026-07-20",
                     "--dev-addr", f"127.0.0.1:{_free_port()}")
    assert result.exit_code == 2  # as any other setting the server cannot work with
    assert "cannot watch the knowledge base for saves: inotify watch limit reached" in \
        result.output
    assert "hindsight serve --poll" in result.output and "Traceback" not in result.output
    assert kept == [True]  # the first build ran before the watcher was refused
    # This process goes on: its garbage collector is back as it was before the server.
    from generator import gcpause

    assert not gcpause._serving and gc.get_freeze_count() == 0
    # And its loggers: a handler left behind would print every later build's lines twice.
    assert {name: logging.getLogger(name).handlers for name in handlers} == handlers
    # And its record results are no longer kept from run to run.
    from generator.records import record_cache

    assert record_cache._memory is None


def _refused(project: Path, address: str, log: Path) -> str:
    """What `hindsight serve` of ``project`` on ``address`` said when it exited with 2 (fails
    once it serves instead, or after a bounded wait)."""
    env = {**os.environ, "HINDSIGHT_AS_OF": "2026-07-20", "NO_MKDOCS_2_WARNING": "1"}
    with log.open("w") as out:
        server = subprocess.Popen([sys.executable, "-m", "generator", "serve", "--dev-addr",
                                   address], cwd=project, env=env, stdout=out,
                                  stderr=subprocess.STDOUT)
    try:
        _wait_until("the server's exit", lambda: server.poll() is not None
                    or "Serving on" in log.read_text(errors="replace"))
    finally:
        _stop(server)
    said = log.read_text(errors="replace")
    assert server.returncode == 2, said
    return said


def test_a_second_server_of_a_knowledge_base_is_refused_and_the_first_keeps_serving(
        tmp_path: Path) -> None:
    """A second `hindsight serve` of the same knowledge base, on another address, emptied the
    first one's site for its own full build (the first answered 404 for seconds) and from then
    on both built into the same folder, each with its own address in the pages. It is refused,
    naming the server running; a server killed leaves nothing that refuses the next one."""
    project = make_project(tmp_path / "project", FIXTURES / "corpus")
    folder = project / ".hindsight-cache" / "serve"
    first, base = _hindsight_serve(project, tmp_path / "first.log")
    try:
        home = _wait_for(base, "md-content")
        built = {path: path.stat().st_mtime_ns for path in (folder / "site").rglob("*.html")}
        built_from = (folder / "built-from").read_bytes()
        says = (f"error: hindsight serve is already serving this knowledge base at {base} "
                f"(process {first.pid}); open that address, or stop that server")
        # On another address, as the busy port's hint once suggested; and on the same one,
        # which is the knowledge base's server before it is a busy port.
        for address in (f"127.0.0.1:{_free_port()}", urlsplit(base).netloc):
            said = _refused(project, address, tmp_path / "second.log")
            assert says in said and "already in use" not in said, said
            # Refused before validating or building anything.
            assert "Cleaning site directory" not in said and "records:" not in said, said
        # The first server's site is as it built it, and served.
        assert {path: path.stat().st_mtime_ns
                for path in (folder / "site").rglob("*.html")} == built
        assert (folder / "built-from").read_bytes() == built_from
        # (but for the live-reload script's id, which is new for every request)
        assert (_fetch(base) or "").rpartition("<script>")[0] == home.rpartition("<script>")[0]
    finally:
        first.kill()  # as a server killed: the operating system ends it, nothing cleans up
        first.wait(timeout=20)
    # The file it left names it, but it holds nothing: the next server takes it over.
    assert str(first.pid) in (folder / "server.lock").read_text()
    third, base = _hindsight_serve(project, tmp_path / "third.log")
    try:
        _wait_for(base, "md-content")
        assert json.loads((folder / "server.lock").read_text()) == {"pid": third.pid, "url": base}
    finally:
        third.send_signal(signal.SIGINT)  # Ctrl-C: the server stops and lets the folder go
        third.wait(timeout=20)
    assert "Shutting down" in (tmp_path / "third.log").read_text()
    assert not (folder / "server.lock").exists()


def test_an_address_that_is_not_this_machine_s_or_needs_privileges_says_so(
        tmp_path: Path) -> None:
    """Every address the server could not take was said to be used by another server, perhaps
    an earlier hindsight serve: for an address of another machine too, which no server here
    could ever be using."""
    project = make_project(tmp_path / "project", FIXTURES / "corpus")
    # Set aside for documentation (RFC 5737): never an address of this machine. Binding to it
    # fails at once, sending nothing.
    result = run_cli("serve", "--dev-addr", "192.0.2.1:18893", "--root", str(project))
    assert result.exit_code == 2, result.output
    assert ("error: cannot serve on 192.0.2.1:18893: cannot assign requested address "
            "(192.0.2.1 is not an address of this machine; serve on one of its own, e.g. "
            "--dev-addr 127.0.0.1:18893, or 0.0.0.0:18893 to be reached from other machines "
            "too)") in result.output, result.output
    assert "another" not in result.output and "Traceback" not in result.output
    if os.name == "posix" and os.geteuid() != 0:  # the administrator may serve on any port
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", 80))
                privileged = False
            except PermissionError:
                privileged = True
        if privileged:
            result = run_cli("serve", "--dev-addr", "127.0.0.1:80", "--root", str(project))
            assert result.exit_code == 2, result.output
            assert ("cannot serve on 127.0.0.1:80: permission denied (ports below 1024 need "
                    "administrator rights; pass a port from 1024 up, e.g. --dev-addr "
                    "127.0.0.1:8000)") in result.output, result.output


def test_an_ipv6_address_is_served_and_printed_as_a_url(tmp_path: Path) -> None:
    """`--dev-addr [::1]:PORT` printed `Serving on http://::1:PORT/…`, which is no URL (a
    browser or terminal cannot open it), and every page's canonical address was that."""
    try:
        with socket.socket(socket.AF_INET6) as sock:
            sock.bind(("::1", 0))
            port = int(sock.getsockname()[1])
    except OSError:
        pytest.skip("no IPv6 loopback on this machine")
    project = make_project(tmp_path / "project", FIXTURES / "corpus")
    log = tmp_path / "serve.log"
    env = {**os.environ, "HINDSIGHT_AS_OF": "2026-07-20", "NO_MKDOCS_2_WARNING": "1"}
    base = f"http://[::1]:{port}{_site_path(project)}"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--dev-addr", f"[::1]:{port}"],
            cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        page = _wait_for(f"{base}records/2026-05-sales/", "ICP drift came back")
        assert f"Serving on {base}" in log.read_text(), log.read_text()
        assert f'<link rel="canonical" href="{base}records/2026-05-sales/">' in page
        # And a second server names the first by the same URL.
        said = _refused(project, f"[::1]:{_free_port()}", tmp_path / "second.log")
        assert f"already serving this knowledge base at {base} (process {server.pid})" in said
    finally:
        _stop(server)


def _status_and_page(url: str) -> tuple[int, str]:
    """The HTTP status and the page the server answers with, an error page too."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return int(response.status), str(response.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        return int(exc.code), str(exc.read().decode("utf-8"))
    except (urllib.error.URLError, OSError):
        return 0, ""


def test_a_deleted_record_s_address_shows_the_site_s_404_page_until_it_is_back(
        tmp_path: Path) -> None:
    """A deleted record's page was a bare "404 Not Found", no theme and no live reload: the
    tab stayed on it after the file was restored. It is the site's own 404 page now, whose
    live reload brings the page back."""
    project = make_project(tmp_path / "project", FIXTURES / "corpus")
    server, base = _hindsight_serve(project, tmp_path / "serve.log")
    record = project / "postmortems" / "2026-06-northwind-win.md"
    kept = record.read_text()
    url = f"{base}records/2026-06-northwind-win/"
    try:
        _wait_for(url, "Northwind Traders")
        record.unlink()
        _wait_until("the page gone", lambda: _status_and_page(url)[0] == 404)
        status, page = _status_and_page(url)
        # The theme's page, in the site's header, saying what is missing, and its links work
        # from where it is shown (they are the site's addresses, not relative to the record).
        assert status == 404
        assert 'class="md-header' in page and "<h1>404 - Not found</h1>" in page, page[:500]
        assert f'href="{urlsplit(base).path}causes/"' in page, page
        assert "Northwind Traders" not in page
        # Live reload: the tab asks the server whether the site is newer than what it shows.
        found = re.search(r"livereload\((\d+), \d+\);", page)
        assert found, page[-1500:]
        epoch = int(found[1])
        # The other addresses with no page too, outside the site's path as well.
        assert "404 - Not found" in _status_and_page(f"{base}no/such/page/")[1]
        assert "404 - Not found" in _status_and_page(
            f"http://{urlsplit(base).netloc}/favicon.ico")[1]

        record.write_text(kept)
        # The tab's question is answered with a newer site, so it reloads: the page is back.
        poll = f"http://{urlsplit(base).netloc}/livereload/{epoch}/1"
        _wait_until("the tab told of a newer site", lambda: int(_fetch(poll) or 0) > epoch)
        _wait_for(url, "Northwind Traders")
    finally:
        _stop(server)


def test_a_save_that_builds_prints_the_warnings_of_what_it_changed(tmp_path: Path) -> None:
    """A draft saved with its prompts still in it was published with only "Documentation
    built" in the terminal: warnings showed at the start, or when a later save had an error.
    Each save that builds prints the warnings of the files it changed, and counts the rest;
    a quarterly review's typed actual that the quarter's records contradict is among them, as
    `hindsight validate` has it (a save's build did not check scorecards at all)."""
    project = make_project(tmp_path / "project", FIXTURES / "corpus")
    own_site_url(project)
    # June's sales retro completes the quarter, so the review's win rate is checked.
    may = (project / "retros" / "2026-05-sales.md").read_text()
    (project / "retros" / "2026-06-sales.md").write_text(
        may.replace("period: 2026-05", "period: 2026-06").replace("held: 2026-06-03", "held: 2026-07-02")
        .replace("SAL-2026-05-", "SAL-2026-06-").replace("due: 2026-06-10", "due: 2026-07-31")
        .replace("action_updates:\n  - {id: SAL-2026-04-1, status: dropped, note: Replaced by "
                 "the routing change.}\n", ""))
    log = tmp_path / "serve.log"
    server, base = _hindsight_serve(project, log)

    def saved(save: Callable[[], None]) -> str:
        """What the server printed for ``save``, up to the end of the build it started."""
        start, builds = len(log.read_text(errors="replace")), _rebuilds(log)
        save()
        _wait_until("the build after the save", lambda: _rebuilds(log) > builds)
        return log.read_text(errors="replace")[start:]

    draft = "postmortems/2026-07-spring-webinar.md"
    # The prompt is quoted in the warning: "still holds the draft's prompt ('…'), which …".
    prompt = r"warning: still holds the draft's prompt \('[^']*'\), which would be published as written"
    try:
        first = _wait_for(base, "md-content")
        assert "Spring webinar" not in first
        # At the start, every warning, as validate prints them: the two overdue actions.
        assert "0 errors, 2 warnings" in log.read_text()

        # A webinar's post-mortem drafted while serving, its prompts left in.
        def draft_it() -> None:
            result = run_cli("new", "postmortem", "--name", "Spring webinar", "--kind",
                             "webinar", "--plan-kind", "campaign", "--team", "marketing",
                             "--ended", "2026-07-01", "--held", "2026-07-03", "--facilitator",
                             "Mina Cho", "--root", str(project))
            assert result.exit_code == 0, result.output

        said = saved(draft_it)
        assert re.search(rf"^{draft}:\d+:\d+  summary  {prompt}", said, re.M), said
        assert re.search(rf"^{draft}:\d+:\d+  body  {prompt}", said, re.M), said
        assert ("hindsight serve: 2 warnings in what this save changed, above; 2 in files "
                "not saved (hindsight validate lists every one)") in said, said
        assert "overdue" not in said  # counted, not printed again
        # Published as it is: the reason the terminal must say so.
        assert "One or two sentences on what happened in Spring webinar" in (
            _fetch(f"{base}records/2026-07-spring-webinar/") or "")

        # The quarter's review saved with a win rate its records contradict.
        review = project / "retros" / "2026-q2-review.md"
        text = review.read_text()
        assert "goal: 0.35, actual: 0.3434" in text
        said = saved(lambda: review.write_text(
            text.replace("goal: 0.35, actual: 0.3434", "goal: 0.45, actual: 0.5")))
        assert re.search(r"^retros/2026-q2-review.md:\d+:\d+  scorecard\[1\]\.actual  warning: "
                         r"typed 50\.0% meets the goal of 45\.0%; the quarter's records give "
                         r"3\d\.\d%, which does not", said, re.M), said
        assert ("hindsight serve: 1 warning in what this save changed, above; 4 in files "
                "not saved") in said, said
        assert draft not in said

        # The draft's summary written, its body's prompt still there.
        path = project / draft
        said = saved(lambda: path.write_text(path.read_text().replace(
            "One or two sentences on what happened in Spring webinar.",
            "Two hundred signed up and forty came; the replay did better.")))
        assert re.search(rf"^{draft}:\d+:\d+  body  {prompt}", said, re.M), said
        assert "summary  warning" not in said and "scorecard" not in said
        assert ("hindsight serve: 1 warning in what this save changed, above; 3 in files "
                "not saved") in said, said

        # A record without warnings saved: nothing to print but the count.
        june = project / "retros" / "2026-06-sales.md"
        said = saved(lambda: june.write_text(june.read_text().replace(
            "ICP drift came back", "ICP drift stayed")))
        assert ("hindsight serve: no warning in what this save changed; 4 in files not saved "
                "(hindsight validate lists every one)") in said, said
        assert "  warning: " not in said
    finally:
        _stop(server)


@pytest.mark.skipif(os.name != "posix", reason="the lock taken here is flock's")
@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_a_server_still_starting_is_refused_too(tmp_path: Path, engine: str) -> None:
    """A server that has locked the build folder but not yet written its address; a Zensical
    server is refused as well (the two write the same caches), and is not told of a folder
    it does not build in."""
    import fcntl

    project = make_project(tmp_path / "project", FIXTURES / "corpus")
    lock = project / ".hindsight-cache" / "serve" / "server.lock"
    lock.parent.mkdir(parents=True)
    with lock.open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = run_cli("serve", "--dev-addr", f"127.0.0.1:{_free_port()}", "--root",
                         str(project), "--engine", engine)
    assert result.exit_code == 2, result.output
    assert ("error: another hindsight serve of this knowledge base is starting; open its "
            "address once it serves, or stop it first (two servers of one knowledge base "
            "would each write its generated site and caches under .hindsight-cache/ over the "
            "other's)") in result.output
    assert "records:" not in result.output and lock.exists()


def _another_launch(project: Path) -> Path:
    """A post-mortem of a June launch, written beside the April one it is modelled on."""
    apollo = (project / "postmortems" / "2026-04-the-apollo-launch.md").read_text()
    orion = project / "postmortems" / "2026-06-the-orion-launch.md"
    orion.write_text(apollo.replace("The Apollo Launch", "The Orion Launch")
                     .replace("2026-04-30", "2026-06-20").replace("2026-05-05", "2026-06-25")
                     .replace("2026-04-01", "2026-06-01").replace("PM-apollo-1", "PM-orion-1")
                     .replace("due: 2026-05-31", "due: 2026-07-31"))
    return orion


def test_a_commit_made_while_serving_updates_who_submitted_the_record(tmp_path: Path) -> None:
    # A commit changes no record file: the site read "not committed yet" until a record was
    # saved again. A worktree, whose HEAD is in a git directory of its own.
    from gittools import commit_all, git, init

    main = make_project(tmp_path / "main", FIXTURES / "corpus")
    init(main)
    commit_all(main, "The knowledge base", "Ann Early", "2026-06-01T09:00:00+00:00")
    project = tmp_path / "worktree"
    git(main, "worktree", "add", "-q", "-b", "june", str(project))
    orion = _another_launch(project)
    log = tmp_path / "serve.log"
    server, base = _hindsight_serve(project, log)
    try:
        page = f"{base}records/2026-06-the-orion-launch/"
        _wait_for(page, "not committed yet")
        commit_all(project, "The Orion post-mortem", "Orla Committer",
                   "2026-07-02T10:00:00+00:00")
        _wait_for(page, "submitted by Orla Committer")
        _wait_for(f"{base}whats-new/", "Orla Committer")
        # Amended under another name: the page follows the branch again.
        git(project, "commit", "-q", "--amend", "--reset-author", "--no-edit",
            author="Otto Amender", date="2026-07-03T10:00:00+00:00")
        _wait_for(page, "submitted by Otto Amender")
        assert orion.read_text().startswith("---\ntype: postmortem")  # no record touched
    finally:
        _stop(server)


def test_only_a_move_of_the_branch_is_a_commit_to_rebuild_for(tmp_path: Path) -> None:
    # `git add` and `git status` write the index and objects: no rebuild for those, one for
    # the commit. Events arrive in order: once the commit's is seen, the add's were passed.
    from generator.site.serve import watch_commits, watcher
    from gittools import commit_all, git, init

    root = tmp_path / "kb"
    (root / "retros").mkdir(parents=True)
    init(root)
    (root / "retros" / "notes.md").write_text("first\n")
    commit_all(root, "First", "Ann Early", "2026-06-01T09:00:00+00:00")
    moves: list[str] = []
    observer = watcher(poll=False, records=1)
    watch_commits(root, observer, lambda: moves.append(git(root, "rev-parse", "HEAD").strip()))
    observer.start()
    try:
        (root / "retros" / "notes.md").write_text("second\n")
        git(root, "add", "-A")
        git(root, "status")
        head = commit_all(root, "Second", "Ann Early", "2026-06-02T09:00:00+00:00")
        _wait_until("the commit noticed", lambda: bool(moves))
        assert moves == [head]
    finally:
        observer.stop()
        observer.join()


def test_a_server_left_running_past_midnight_builds_as_of_the_new_day(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # No --as-of, no HINDSIGHT_AS_OF, no as_of in mkdocs.yml: each build is of the day it
    # runs. The server's start day was kept, and an action due that day never went overdue.
    import datetime as dt

    from generator.site.serve import Session
    from generator.site.settings import render_options, stated_as_of

    monkeypatch.delenv("HINDSIGHT_AS_OF", raising=False)
    project = make_project(tmp_path / "project", FIXTURES / "corpus")
    assert stated_as_of(project, None) is None
    days = [dt.date(2026, 6, 10)]  # SAL-2026-05-1 is due that day
    session = Session(project, None, render_options(project), today=lambda: days[-1])
    page = session.site / "records" / "2026-05-sales" / "index.html"
    session.build()
    assert session.problems == []
    before = _text(page.read_text())
    assert "Where each stands on 2026-06-10" in before and "day overdue" not in before
    days.append(dt.date(2026, 6, 11))  # midnight passed
    session.build()
    assert session.problems == []
    after = _text(page.read_text())
    assert "Where each stands on 2026-06-11" in after
    assert "Ruiz 2026-06-10 Status: 1 day overdue" in after
    assert session.refresher.wait(120)
    # A day stated stays the day of every build.
    fixed = Session(project, dt.date(2026, 6, 10), render_options(project),
                    today=lambda: days[-1])
    assert fixed.as_of == dt.date(2026, 6, 10)


_CONTOSO_LOSS = """\
---
type: postmortem
name: Contoso loss
kind: deal-lost
outcome: loss
summary: Contoso chose a cheaper tool after our trial stalled.
team: sales
event_ended: 2026-06-02
held: 2026-06-04
keeper: Lee Park
participants: [Lee Park]
deal:
  customer: Contoso
  chose_us: false
  why: The trial stalled in its second week.
  competitor: Ledgerly
  value: 52000
went_well: []
didnt_go_well: [Nobody owned the trial after kickoff]
actions:
  - id: PM-CONTOSO-1
    title: Name a trial owner at kickoff
    owner: Lee Park
    due: 2026-06-11
  - id: PM-CONTOSO-2
    title: Check every trial's usage weekly
    owner: Mia Chen
    due: 2026-06-11
---

# Contoso loss

The trial had no owner.
"""

_SERVE_ON_A_DAY = """\
import datetime as dt
import sys
from pathlib import Path

from generator.site.serve import serve
from generator.site.settings import render_options

root, day_file, address = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]


def today() -> dt.date:
    return dt.date.fromisoformat(day_file.read_text().strip())


sys.exit(serve(root, None, render_options(root), address, today=today, day_check_seconds=0.2))
"""
"""`hindsight serve` with no day stated, its clock the day written in a file: the test moves
the day by writing it."""


def test_a_server_left_running_past_midnight_rebuilds_when_the_day_changes(
        tmp_path: Path) -> None:
    """Each build was of the day it ran, but only a save started one: a server left running
    on a team's screen went on showing yesterday's overdue counts until a record was saved.
    The day moves (no save, no commit) and the served pages follow, the terminal saying why
    it rebuilt."""
    project = make_project(tmp_path / "project", FIXTURES / "corpus")
    # Shaped unlike the sample's records: a lost deal's post-mortem whose two actions, by two
    # owners, fall due on the same day.
    (project / "postmortems" / "2026-06-contoso-loss.md").write_text(_CONTOSO_LOSS)
    day = tmp_path / "today"
    day.write_text("2026-06-10")  # SAL-2026-05-1 is due that day, Contoso's two the next
    log = tmp_path / "serve.log"
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if key != "HINDSIGHT_AS_OF"}
    env.update(NO_MKDOCS_2_WARNING="1", PYTHONPATH=os.pathsep.join(
        [str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])]))
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-c", _SERVE_ON_A_DAY, str(project), str(day),
             f"127.0.0.1:{port}"], cwd=project, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}{_site_path(project)}"
    try:
        home = _text(_wait_for(base, "Overdue actions"))
        assert "Overdue actions 1 " in home, home  # PM-apollo-1 alone
        builds = _rebuilds(log)
        day.write_text("2026-06-12")  # two midnights passed, nothing saved
        _wait_until("the home page of the new day",
                    lambda: "Overdue actions 4 " in _text(_fetch(base) or ""), 60)
        record = _text(_wait_for(f"{base}records/2026-05-sales/", "Where each stands on"))
        assert "Where each stands on 2026-06-12" in record
        assert "Ruiz 2026-06-10 Status: 2 days overdue" in record, record
        said = log.read_text(errors="replace")
        assert said.count("hindsight serve: rebuilding: the day changed") == 1, said
        assert ("hindsight serve: rebuilding: the day changed to 2026-06-12 (the pages were "
                "of 2026-06-10)") in said
        _wait_until("the rebuild finished", lambda: _rebuilds(log) > builds)
        assert _rebuilds(log) == builds + 1  # one rebuild for the new day, not one a look
    finally:
        _stop(server)


def _text(html: str) -> str:
    """A page's words, tags and spacing aside."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_port_taken_during_the_first_build_is_the_same_clear_error(tmp_path: Path) -> None:
    # The address is checked before the first build, which takes half a minute on a large
    # knowledge base; bound after it. A port taken meanwhile ended in a traceback.
    project = make_project(tmp_path / "project", FIXTURES / "corpus")
    log = tmp_path / "serve.log"
    server, base = _hindsight_serve(project, log)
    port = int(urlsplit(base).port or 0)
    try:
        _wait_until("the first build started",
                    lambda: "building every page" in log.read_text(errors="replace"))
        with socket.socket() as taker:
            taker.bind(("127.0.0.1", port))
            taker.listen()
            code = server.wait(timeout=120)
        said = log.read_text(errors="replace")
        assert code == 2, said
        assert f"cannot serve on 127.0.0.1:{port}: address already in use" in said, said
        assert "another program is listening on that port" in said
        assert "Traceback" not in said and "OSError" not in said
    finally:
        _stop(server)


def test_warnings_that_came_with_a_new_day_are_not_said_to_be_the_save_s(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """The first save after midnight printed an action that fell overdue overnight (in a
    record nobody saved) as "1 warning in what this save changed". Such warnings are said to
    come from the new day; a warning the save did make is still the save's."""
    import datetime as dt

    from generator.site.serve import Session
    from generator.site.settings import render_options

    monkeypatch.delenv("HINDSIGHT_AS_OF", raising=False)
    project = make_project(tmp_path / "project", FIXTURES / "corpus")
    days = [dt.date(2026, 6, 10)]  # SAL-2026-05-1 (retros/2026-05-sales.md) is due that day
    session = Session(project, None, render_options(project), today=lambda: days[-1])
    session.build()
    assert session.problems == []
    marketing = project / "retros" / "2026-05-marketing.md"
    text = marketing.read_text()

    def saved(new: str) -> str:
        capsys.readouterr()
        marketing.write_text(new)
        session.build()
        assert session.problems == []
        return capsys.readouterr().err

    # A save the same day: nothing new.
    said = saved(text.replace("Nurture decayed quietly", "Nurture decayed slowly"))
    assert "hindsight serve: no warning in what this save changed; 4 in files not saved" in said
    days.append(dt.date(2026, 6, 11))  # midnight passed
    # The marketing retro saved with its action reopened and due a week ago: overdue by
    # either day, the save's own warning; the sales action, overdue from today, the day's.
    # Records held after the build date are so still (a warning naming the day, standing).
    said = saved(text.replace("due: 2026-06-30", "due: 2026-06-05")
                 .replace("    status: done\n    done_on: 2026-06-04\n", ""))
    assert re.search(r"^retros/2026-05-marketing\.md:\d+:\d+  actions\[0\]\.due  warning: action "
                     r"MKT-2026-05-1 is overdue", said, re.M), said
    assert re.search(r"^retros/2026-05-sales\.md:\d+:\d+  actions\[0\]\.due  warning: action "
                     r"SAL-2026-05-1 is overdue", said, re.M), said
    assert "is after the build date" not in said
    assert ("hindsight serve: 1 warning in what this save changed, above; 1 new with the day, "
            "above (the build is of 2026-06-11, the last was of 2026-06-10); 4 in files not "
            "saved (hindsight validate lists every one)") in said, said
    # The next save the same day: the day's warning stands, printed no more.
    said = saved(marketing.read_text().replace("Nurture decayed quietly", "Nurture decayed"))
    assert "SAL-2026-05-1" not in said
    assert ("hindsight serve: 1 warning in what this save changed, above; 5 in files not "
            "saved") in said, said
    assert session.refresher.wait(120)


def _status(url: str) -> int:
    """The HTTP status the server answers ``url`` with (0 if it does not answer)."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)
    except (urllib.error.URLError, OSError):
        return 0


def test_the_search_index_is_served_throughout_a_full_rebuild(tmp_path: Path) -> None:
    """A full rebuild emptied the site, its search index with it, and the index came back
    only when the background run was over: searches were answered 404 meanwhile (and for an
    instant at every swap, between moving the old index out and the new one in). The index
    files are asked for over and over while a saved taxonomy.yml rebuilds every page and the
    index is made again: each answer is the old index or the new, never a 404."""
    import threading

    project = make_project(tmp_path / "project", FIXTURES / "corpus")
    log = tmp_path / "serve.log"
    server, base = _hindsight_serve(project, log)
    files = ["pagefind/pagefind-entry.json", "pagefind/pagefind.js", "pagefind/bundles.json"]

    def refreshed() -> int:
        return log.read_text(errors="replace").count("search index refreshed")

    answers: list[tuple[str, int]] = []
    stop = threading.Event()

    def ask() -> None:
        while not stop.is_set():
            answers.extend((name, _status(base + name)) for name in files)

    try:
        _wait_until("the first search index", lambda: refreshed() >= 1)
        asking = threading.Thread(target=ask)
        asking.start()
        try:
            _wait_until("the first answers", lambda: len(answers) >= 3)
            builds, runs = _rebuilds(log), refreshed()
            taxonomy = project / "taxonomy.yml"
            taxonomy.write_text(taxonomy.read_text().replace("title: ICP drift",
                                                             "title: ICP creep"))
            _wait_until("the full rebuild", lambda: _rebuilds(log) > builds)
            _wait_until("the index made again", lambda: refreshed() > runs)
            asked = len(answers)
            _wait_until("answers after it", lambda: len(answers) >= asked + 3)
        finally:
            stop.set()
            asking.join(60)
        said = log.read_text(errors="replace")
        assert "building every page" in said, said
        failed = [(name, code) for name, code in answers if code != 200]
        assert not failed, f"{len(failed)} of {len(answers)} answers failed: {failed[:5]}"
        # The new index is in: the cause's new title is found.
        _wait_until("the new title indexed",
                    lambda: "ICP creep" in _indexed(project / ".hindsight-cache" / "serve" /
                                                    "site", "causes/icp-drift/"))
        assert not list((project / ".hindsight-cache" / "serve").glob(".hindsight-kept-*"))
    finally:
        _stop(server)


def _get(url: str) -> tuple[int, bytes]:
    """The HTTP status the server answers ``url`` with, and the body (0 if it does not answer)."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return int(response.status), bytes(response.read())
    except urllib.error.HTTPError as exc:
        return int(exc.code), b""
    except (urllib.error.URLError, OSError):
        return 0, b""


def test_a_page_opened_before_a_search_index_swap_still_searches_after_it(
        tmp_path: Path) -> None:
    """A swap removed the old index's chunks and fragments: a page that had loaded the old
    entry file (the server reloads the page after a save's build, before the refresh swaps
    the new index in) asked for files gone, and every search failed with a 404 until the
    page was reloaded. The last two replaced indexes answer for their content-hashed files;
    the third one back is gone, so the kept files do not grow with every save."""
    project = make_project(tmp_path / "project", FIXTURES / "corpus")
    # Shaped unlike the sample's records: a lost deal's post-mortem with two actions.
    (project / "postmortems" / "2026-06-contoso-loss.md").write_text(_CONTOSO_LOSS)
    saved = project / "postmortems" / "2026-06-contoso-loss.md"
    log = tmp_path / "serve.log"
    server, base = _hindsight_serve(project, log)
    index = project / ".hindsight-cache" / "serve" / "site" / "pagefind"

    def refreshed() -> int:
        return log.read_text(errors="replace").count("search index refreshed")

    def files() -> set[str]:
        """What a page holding the served entry file may ask for: the entry's own meta
        file, and the index's chunks and fragments."""
        entry = json.loads(_get(base + "pagefind/pagefind-entry.json")[1])
        listed = {f"pagefind/pagefind.{entry['languages']['en']['hash']}.pf_meta"}
        for path in index.glob("**/*"):
            if path.suffix in (".pf_index", ".pf_fragment", ".pf_filter"):
                listed.add(f"pagefind/{path.relative_to(index).as_posix()}")
        return listed

    def save(words: str) -> None:
        """Save the post-mortem with new words, and wait for its index to be swapped in."""
        runs = refreshed()
        saved.write_text(re.sub(r"The trial had .*", f"The trial had {words}.",
                                saved.read_text()))
        _wait_until("the index refreshed", lambda: refreshed() > runs)

    try:
        _wait_until("the first search index", lambda: refreshed() >= 1)
        generations = [files()]  # what a page opened now has, its entry loaded
        first = {name: _get(base + name) for name in sorted(generations[0])}
        assert {status for status, _ in first.values()} == {200}
        save("no owner after kickoff")
        generations.append(files())
        gone = generations[0] - generations[1]
        # The post-mortem's fragment, the index chunks holding its words, the meta file.
        assert len(gone) >= 3 and any(name.endswith(".pf_meta") for name in gone), gone
        assert not [name for name in gone if (index.parent / name).exists()]
        # The page opened before the save still gets every file it asks for, as it was.
        assert {name: _get(base + name) for name in sorted(gone)} == \
            {name: first[name] for name in sorted(gone)}
        save("a stalled second week")
        generations.append(files())
        assert {_get(base + name)[0] for name in gone} == {200}  # two swaps back: kept
        save("nobody to call")
        generations.append(files())
        # Three swaps back: the oldest index is gone, only what a later index still has is
        # served; the newer two answer still.
        oldest = generations[0] - generations[1] - generations[2] - generations[3]
        assert oldest and {_get(base + name)[0] for name in oldest} == {404}
        for older in (generations[1], generations[2]):
            assert {_get(base + name)[0] for name in older} == {200}
        from generator.site.search_refresh import KEEP_OLD_INDEXES, OLD_INDEXES

        kept = project / ".hindsight-cache" / "serve" / OLD_INDEXES
        assert len(list(kept.iterdir())) == KEEP_OLD_INDEXES == 2
        # A name an index does not hash (its entry file) is the served index's own, never an
        # old one's; and no address outside the index reaches the kept folders.
        assert json.loads(_get(base + "pagefind/pagefind-entry.json")[1])["languages"]["en"][
            "hash"] in next(name for name in generations[3] if name.endswith(".pf_meta"))
        assert _get(base + "pagefind/../../" + OLD_INDEXES + "/1/pagefind-entry.json")[0] == 404
    finally:
        _stop(server)


def test_a_fresh_search_index_is_swapped_in_by_one_exchange_of_folders(tmp_path: Path) -> None:
    """The swap moved the served index out, then the new one in: a request between the two
    renames found no index. Where the system can (Linux, macOS), the two folders are
    exchanged in one step; the refresh ends with the new index served and no folder left."""
    from generator.site.search_refresh import SNAPSHOT_PREFIX, exchange, refresh

    old, new = tmp_path / "old", tmp_path / "new"
    for folder, text in ((old, "old"), (new, "new")):
        (folder / "part-1").mkdir(parents=True)
        (folder / "pagefind-entry.json").write_text(text)
    if sys.platform.startswith("linux") or sys.platform == "darwin":
        assert exchange(new, old)
        assert (old / "pagefind-entry.json").read_text() == "new"
        assert (new / "pagefind-entry.json").read_text() == "old"
    # A path that is not there: nothing changes, and the caller falls back to renames.
    assert not exchange(tmp_path / "missing", old)
    assert (old / "pagefind-entry.json").exists()

    project = make_project(tmp_path / "project", FIXTURES / "corpus")
    assert mkdocs_build(project, "2026-07-20").returncode == 0
    site = project / "site"
    before = (site / "pagefind").stat().st_ino
    page = site / "records" / "2026-05-sales" / "index.html"
    page.write_text(page.read_text().replace("ICP drift came back", "Quuxwing drift came back"))
    refresh(site)
    assert (site / "pagefind").stat().st_ino != before
    assert "Quuxwing" in search_pages(site)["records/2026-05-sales/"]["content"]
    assert not list(project.glob(f"{SNAPSHOT_PREFIX}*"))


def test_a_record_deleted_or_renamed_rebuilds_only_what_it_changed(tmp_path: Path) -> None:
    """Deleting a record, or renaming it with git mv, rebuilt every page ("building every
    page: a page was removed"): minutes at 10,000 records. It is a dirty build now, which
    does what a full one did of it: the page is gone (404), from the indexes, the tags index
    and search; a renamed record is served at its new address and, once committed, its old
    one leads there; a hand-written page's link to a record deleted still stops the strict
    build. Pages it did not touch keep their files."""
    from gittools import commit_all, git, init

    project = make_project(tmp_path / "project", FIXTURES / "corpus")
    guide = project / "docs" / "guide" / "commands.md"
    guide.write_text(guide.read_text() + "\nAn example: [the Apollo launch]"
                     "(../records/2026-04-the-apollo-launch.md).\n")
    init(project)
    commit_all(project, "The knowledge base", "Ann Early", "2026-06-01T09:00:00+00:00")
    log = tmp_path / "serve.log"
    server, base = _hindsight_serve(project, log)
    site = project / ".hindsight-cache" / "serve" / "site"
    unrelated = site / "records" / "2026-03-sales" / "index.html"
    northwind = f"{base}records/2026-06-northwind-win/"
    try:
        _wait_for(northwind, "Northwind Traders")
        _wait_for(f"{base}tags/", "2026-06-northwind-win/")
        _wait_until("the first search index",
                    lambda: "Northwind" in _indexed(site, "records/2026-06-northwind-win/"))
        untouched = unrelated.stat().st_mtime_ns

        (project / "postmortems" / "2026-06-northwind-win.md").unlink()
        _wait_until("the page gone", lambda: _status(northwind) == 404)
        assert "2026-06-northwind-win" not in (_fetch(f"{base}postmortems/") or "x-2026-06-northwind-win")
        assert "2026-06-northwind-win" not in (_fetch(f"{base}tags/") or "x-2026-06-northwind-win")
        assert not (site / "records" / "2026-06-northwind-win").exists()
        _wait_until("the page gone from search",
                    lambda: "records/2026-06-northwind-win/" not in _searched(site)
                    and "records/2026-05-sales/" in _searched(site))

        git(project, "mv", "retros/2026-05-marketing.md", "retros/2026-05-growth.md")
        growth = _wait_for(f"{base}records/2026-05-growth/", "Nurture decayed quietly")
        assert "retros/2026-05-growth.md" in growth  # its edit link
        _wait_for(f"{base}tags/", "2026-05-growth/")
        commit_all(project, "Marketing is growth now", "Ann Early", "2026-06-02T09:00:00+00:00")
        _wait_for(f"{base}records/2026-05-marketing/", "has moved")
        _wait_until("the renamed page searched at its new address",
                    lambda: "Nurture" in _indexed(site, "records/2026-05-growth/"))
        assert "records/2026-05-marketing/" not in _searched(site)

        said = log.read_text(errors="replace")
        assert said.count("building every page") == 1, said  # the first build alone
        assert unrelated.stat().st_mtime_ns == untouched

        # The record a hand-written page links to, deleted: the link is checked as in a
        # full build, and the strict build stops at it.
        (project / "postmortems" / "2026-04-the-apollo-launch.md").unlink()
        stopped = _wait_for(f"{base}retros/", "The strict build stopped at 1 warning")
        assert "2026-04-the-apollo-launch.md" in stopped, stopped
    finally:
        _stop(server)
