"""matplotlib is loaded only when a chart must be drawn: a build that finds every chart in
the cache never imports it, and a command that may have to draw a few has another process
import it meanwhile."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURES
from sitetools import make_project

BUILD = """
import datetime as dt, hashlib, json, multiprocessing, sys
from pathlib import Path
from generator.gcpause import short_lived
from generator.site.charts import ChartCache
from generator.site.build import build
if sys.argv[2] == "command":
    short_lived()  # as every command but serve runs
cache = ChartCache(folder=Path(sys.argv[1]))
files = build(Path('.'), dt.date(2026, 7, 20), cache=cache).files
print(json.dumps({"drawn": len(cache.drawn), "hits": cache.hits,
                  "matplotlib": "matplotlib" in sys.modules,
                  "children": len(multiprocessing.active_children()),
                  "svgs": {path: hashlib.sha256(svg).hexdigest() for path, _ in cache.drawn
                           if (svg := files[path])}}))
"""


def _build(project: Path, charts: Path, how: str = "library") -> dict[str, object]:
    """A build in a fresh interpreter; what it drew and whether it loaded matplotlib."""
    env = {**os.environ, "HINDSIGHT_NO_CACHE": "1"}
    out = subprocess.run([sys.executable, "-c", BUILD, str(charts), how], cwd=project, env=env,
                         capture_output=True, text=True, check=True, timeout=300).stdout
    result: dict[str, object] = json.loads(out.strip().splitlines()[-1])
    return result


def test_matplotlib_is_imported_only_when_a_chart_is_drawn(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", FIXTURES / "corpus")
    first = _build(project, tmp_path / "charts")
    assert first["drawn"] and first["matplotlib"]  # charts had to be drawn: matplotlib loaded
    again = _build(project, tmp_path / "charts")
    assert again["drawn"] == 0 and again["hits"]
    assert again["matplotlib"] is False


def test_a_command_draws_a_changed_chart_in_a_process_that_imported_matplotlib_meanwhile(
        tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", FIXTURES / "corpus")
    _build(project, tmp_path / "charts")
    record = project / "retros" / "2026-05-marketing.md"
    text = record.read_text(encoding="utf-8")
    assert "pipeline-velocity: 38800" in text
    record.write_text(text.replace("pipeline-velocity: 38800", "pipeline-velocity: 41000"),
                      encoding="utf-8")
    shutil.copytree(tmp_path / "charts", tmp_path / "charts-again")
    command = _build(project, tmp_path / "charts", "command")
    # Drawn, and not here: the command's own process never imported matplotlib.
    assert list(command["svgs"]) == ["charts/indicators/pipeline-velocity/marketing.svg"]
    assert command["matplotlib"] is False
    assert command["children"] == 0  # the drawing process is gone once the build is done
    # The same bytes as drawn in the build's own process.
    alone = _build(project, tmp_path / "charts-again")
    assert alone["matplotlib"] is True and alone["svgs"] == command["svgs"]
