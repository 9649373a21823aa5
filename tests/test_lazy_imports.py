"""matplotlib is loaded only when a chart must be drawn: a build that finds every chart in
the cache never imports it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import FIXTURES
from sitetools import make_project

BUILD = """
import datetime as dt, json, sys
from pathlib import Path
from generator.site.charts import ChartCache
from generator.site.build import build
cache = ChartCache(folder=Path(sys.argv[1]))
build(Path('.'), dt.date(2026, 7, 20), cache=cache)
print(json.dumps({"drawn": len(cache.drawn), "hits": cache.hits,
                  "matplotlib": "matplotlib" in sys.modules}))
"""


def _build(project: Path, charts: Path) -> dict[str, object]:
    """A build in a fresh interpreter; what it drew and whether it loaded matplotlib."""
    env = {**os.environ, "HINDSIGHT_NO_CACHE": "1"}
    out = subprocess.run([sys.executable, "-c", BUILD, str(charts)], cwd=project, env=env,
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
