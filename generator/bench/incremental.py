"""The generator re-run after one record changed, and a save under ``hindsight serve``."""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import click

from ..site.search_refresh import REFRESHED
from .process import AS_OF, REPO, measure, run_command


def change_one_record(project: Path) -> str:
    """Change one reading of the first team's newest retro held by the benchmark's build date
    (a later one is left out of the site, so changing it would measure nothing); return its
    path."""
    record, text = next((path, text) for path in
                        sorted((project / "retros").glob("*-team-001.md"), reverse=True)
                        if _held(text := path.read_text(encoding="utf-8")) <= AS_OF)
    start = text.index("pipeline-velocity: ") + len("pipeline-velocity: ")
    end = text.index("\n", start)
    record.write_text(text[:start] + str(int(text[start:end]) + 1234) + text[end:],
                      encoding="utf-8")
    return record.relative_to(project).as_posix()


GENERATE_INCREMENTAL = f"""
from pathlib import Path
import datetime as dt
from generator.site.charts import ChartCache
from generator.site.settings import render_options
from generator.gcpause import short_lived
from generator.site.page_cache import PageCache
from generator.site.build import build
short_lived()  # as the command runs
cache = ChartCache(folder=Path('.hindsight-cache/charts'))
pages = PageCache(folder=Path('.'))
# The options `hindsight generate` renders with: the page cache is kept for those.
generated = build(Path('.'), dt.date.fromisoformat('{AS_OF}'), render_options(Path('.')),
                  cache=cache, pages=pages)
extra = {{'files': len(generated.files), 'rendered': len(pages.rendered), 'reused': pages.hits,
         'drawn': len(cache.drawn), 'stages': generated.timings}}
"""


def _held(text: str) -> str:
    """The ``held:`` date a generated retro's front matter gives (ISO, so it sorts as text)."""
    return text.split("\nheld: ", 1)[1].split("\n", 1)[0].strip()


def run_incremental(project: Path, changes: int = 3) -> dict[str, Any]:
    """The generator re-run after one record changed: ``hindsight generate`` as a user runs it,
    end to end in its own process, with every cache warm (records, charts, pages) and the
    generated tree already written, the median of ``changes`` runs (one change before each:
    single runs on a shared machine vary by a second at 10,000 records); then, after another
    change, where such a run's time goes stage by stage (the generator in a fresh process, as
    the plugin runs it)."""
    command = ["generate", "--out", str(project.parent / f"{project.name}-generated-rerun")]
    for _ in range(2):  # fill the caches and the tree, then a run that finds them all warm
        warm = run_command(command, project)
    runs = []
    for _ in range(changes):
        changed = change_one_record(project)
        runs.append(run_command(command, project))
    after = sorted(runs, key=lambda run: float(run["seconds"]))[len(runs) // 2]
    each = ", ".join(f"{run['seconds']:.2f}" for run in runs)
    change_one_record(project)
    stages = measure(GENERATE_INCREMENTAL, project)
    laps = ", ".join(f"{k} {v:.2f} s" for k, v in stages["stages"].items())
    click.echo(f"  generator re-run, nothing changed:  hindsight generate {warm['seconds']:6.2f} s "
               f"wall  {warm['cpu']:6.2f} s CPU")
    click.echo(f"  generator re-run, one record changed ({changed}): hindsight generate "
               f"{after['seconds']:6.2f} s wall  {after['cpu']:6.2f} s CPU   "
               f"peak {after['peak_mib']:.0f} MiB   (median of {len(runs)}: {each} s)")
    click.echo(f"    where it goes (another change, {stages['seconds']:.2f} s): {laps}; "
               f"{stages['rendered']} pages rendered, {stages['reused']} reused, "
               f"{stages['drawn']} charts drawn")
    # "seconds" and "cpu" as the table of targets reads them (key "rerun").
    return {"seconds": after["seconds"], "cpu": after["cpu"], "peak_mib": after["peak_mib"],
            "runs": [run["seconds"] for run in runs], "warm": warm, "stages": stages,
            "changed": changed}


def served(url: str) -> str:
    """The page at ``url`` ("" when it cannot be fetched)."""
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except OSError:
        return ""


def run_serve_save(project: Path, saves: int = 3, limit: float = 300.0) -> dict[str, Any]:
    """Seconds from saving one record under ``hindsight serve`` to its page served updated,
    the median of ``saves`` saves, each made once the search index of the last is in; then,
    with the server stopped and the record saved once more, seconds from starting it again to
    that page served updated (a restart builds only what changed since the last server)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    env = {**os.environ, "HINDSIGHT_AS_OF": AS_OF, "NO_MKDOCS_2_WARNING": "1",
           "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    record = sorted((project / "retros").glob("*.md"))[-1]
    # The site is served under site_url's path, as MkDocs does.
    from urllib.parse import urlsplit

    site_url = next((line.split(":", 1)[1].strip() for line in (project / "mkdocs.yml")
                     .read_text(encoding="utf-8").splitlines() if line.startswith("site_url:")),
                    "/")
    mount = urlsplit(site_url).path.rstrip("/")
    url = f"http://127.0.0.1:{port}{mount}/records/{record.stem}/"
    log_path = project / "serve.log"
    log_path.write_text("", encoding="utf-8")

    def start() -> subprocess.Popen[bytes]:
        with log_path.open("a") as log:
            return subprocess.Popen([sys.executable, "-m", "generator", "serve", "--dev-addr",
                                     f"127.0.0.1:{port}"], cwd=project, env=env, stdout=log,
                                    stderr=subprocess.STDOUT)

    def refreshed() -> int:  # search index refreshes finished so far (they run after a build)
        return log_path.read_text(encoding="utf-8", errors="replace").count(REFRESHED)

    def wait_for(what: str, condition: Callable[[], bool]) -> float:
        start = time.monotonic()
        while not condition():
            if time.monotonic() - start > limit or server.poll() is not None:
                tail = log_path.read_text(encoding="utf-8", errors="replace")[-2000:]
                raise click.ClickException(f"{what} never happened; the server said:\n{tail}")
            time.sleep(0.05)
        return time.monotonic() - start

    times: list[float] = []
    searchable: list[float] = []
    bundles = ""
    server = start()
    try:
        first = wait_for("hindsight serve's first site", lambda: "<html" in served(url))
        # The steady state: the first build's search index is in before anything is saved.
        wait_for("the first search index", lambda: refreshed() >= 1)
        idle = idle_cpu(server.pid)
        text = record.read_text(encoding="utf-8")
        head, _, body = text.partition("\n---\n")
        for _ in range(saves):
            done = refreshed()
            marker = f"Saved under serve {time.time_ns()}"
            record.write_text(f"{head}\n---\n{marker}\n\n{body}", encoding="utf-8")
            times.append(wait_for("the saved page", partial(shows, url, marker)))
            # From the save to a search index that holds it (refreshed in the background).
            searchable.append(times[-1] + wait_for("the refreshed search index",
                                                   partial(more_than, refreshed, done)))
            bundles = _last_refresh(log_path.read_text(encoding="utf-8", errors="replace"))
        server.terminate()
        server.wait(timeout=30)
        marker = f"Saved while stopped {time.time_ns()}"
        record.write_text(f"{head}\n---\n{marker}\n\n{body}", encoding="utf-8")
        server = start()
        again = wait_for("the page after a restart", partial(shows, url, marker))
    finally:
        server.terminate()
        server.wait(timeout=30)
    seconds = statistics.median(times)
    click.echo(f"  serve: first site in {first:6.2f} s; one record saved → page served updated "
               f"in {seconds:5.2f} s (median of {saves} saves: "
               f"{', '.join(f'{t:.2f}' for t in times)} s); started again after one more "
               f"save → that page served in {again:6.2f} s; while nothing changes it uses "
               + (f"{idle:.1%} of a CPU" if idle is not None else "(CPU not measured here)"))
    click.echo(f"    search finds the saved text {statistics.median(searchable):5.2f} s after the "
               f"save (median of {', '.join(f'{t:.2f}' for t in searchable)} s){bundles}")
    # "seconds" as the table of targets reads it (key "serve_save").
    return {"seconds": seconds, "saves": times, "first": first, "restart": again,
            "idle_cpu": idle, "searchable": searchable}


def _last_refresh(log: str) -> str:
    """How much of the index the server's last refresh made again, as it said (or "")."""
    said = [line for line in log.splitlines() if REFRESHED in line]
    found = re.search(r"\((\d+ of \d+ bundles) indexed again\)", said[-1] if said else "")
    return f"; the last refresh indexed {found.group(1)} again" if found else ""


IDLE_WINDOW = 10.0
"""Seconds an idle server's CPU time is measured over."""


def idle_cpu(pid: int, window: float = IDLE_WINDOW) -> float | None:
    """The share of one CPU the process ``pid`` uses over ``window`` seconds (Linux: from
    ``/proc``; None elsewhere)."""
    def cpu_seconds() -> float | None:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            return None
        # utime and stime, the 14th and 15th fields (the 12th and 13th after the name).
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    before = cpu_seconds()
    if before is None:
        return None
    time.sleep(window)
    after = cpu_seconds()
    return None if after is None else (after - before) / window


def shows(url: str, text: str) -> bool:
    return text in served(url)


def more_than(count: Callable[[], int], before: int) -> bool:
    return count() > before
