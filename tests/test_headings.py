"""Headings in any script get an id: a record's own headings, the sections and cause headings
its page adds, and links to them, in Japanese and Arabic as in English."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import FIXTURES, run_cli
from sitetools import make_project, mkdocs_build

AS_OF = "2026-07-20"


def _project(tmp_path: Path) -> Path:
    project = make_project(tmp_path / "project", FIXTURES / "corpus")
    taxonomy = project / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text().replace("title: ICP drift",
                                                     "title: 理想顧客像のずれ"))
    record = project / "retros" / "2026-05-sales.md"
    record.write_text(record.read_text() + "\n## 背景\n\n平均三日短縮。\n\n## الخلفية\n\n"
                      "نص.\n\n## Why we lost\n\nSee [the background](#背景).\n")
    return project


def test_headings_in_any_script_validate_and_build_with_their_own_ids(tmp_path: Path) -> None:
    project = _project(tmp_path)
    checked = run_cli("validate", "--root", str(project), "--as-of", AS_OF)
    assert checked.exit_code == 0, checked.output
    built = mkdocs_build(project, AS_OF)
    assert built.returncode == 0, built.stderr
    page = (project / "site/records/2026-05-sales/index.html").read_text()
    ids = re.findall(r'<h[1-6][^>]*\bid="([^"]*)"', page)
    # The body's headings and the cause's heading, in their own words; English as before.
    assert {"背景", "الخلفية", "why-we-lost", "理想顧客像のずれ"} <= set(ids), ids
    assert 'href="#背景"' in page
    # A body that writes Arabic reads each paragraph in its own direction, in the built page.
    assert '<p dir="auto">نص.</p>' in page and '<p dir="auto">平均三日短縮。</p>' in page
    # No heading lost its id (the toc extension made "_1" of them, which is refused).
    assert not [i for i in ids if i.startswith("_")]
    assert "#_1" not in page


def test_a_link_to_a_missing_section_in_another_script_is_still_an_error(tmp_path: Path) -> None:
    project = _project(tmp_path)
    record = project / "retros" / "2026-05-sales.md"
    record.write_text(record.read_text().replace("(#背景)", "(#経緯)"))
    checked = run_cli("validate", "--root", str(project), "--as-of", AS_OF)
    assert checked.exit_code == 1
    assert "#経緯" in checked.output


def test_charts_with_text_in_any_script_draw_without_a_warning_per_glyph(tmp_path: Path) -> None:
    """A cause titled in Japanese is charted (the browser draws its text) without matplotlib
    warning about each glyph DejaVu Sans lacks: dozens of lines in a quiet build."""
    import os
    import subprocess
    import sys

    from conftest import REPO

    project = _project(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONWARNINGS": "default"}
    done = subprocess.run([sys.executable, "-m", "generator", "generate", "--out",
                           str(tmp_path / "out"), "--as-of", AS_OF, "--no-cache"],
                          cwd=project, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "missing from font" not in done.stderr
    svg = (tmp_path / "out" / "charts" / "causes.svg").read_text()
    assert "理想顧客像のずれ" in svg
