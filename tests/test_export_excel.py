"""The CSV exports for Excel: UTF-8 without a byte-order mark by default, with one when the
plugin's ``csv_bom`` says so (Excel reads a CSV without it in the system's code page)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from conftest import REPO, TOKYO_RETRO, make_kb, run_cli

_MKDOCS = """site_name: 東京営業のふりかえり
plugins:
  - search
  - hindsight:{options}
"""
_EXPORTS = ("data/actions.csv", "data/records.csv", "data/readings.csv")


def _generate(tmp_path: Path, options: str) -> Path:
    root = make_kb(tmp_path / "kb", {"retros/2026-05-tokyo-sales.md": TOKYO_RETRO,
                                     "mkdocs.yml": _MKDOCS.format(options=options)},
                   taxonomy=REPO / "tests" / "bad_input" / "full-width-input" / "taxonomy.yml")
    out = tmp_path / "out"
    result = run_cli("generate", "--out", str(out), "--root", str(root), "--as-of",
                     "2026-06-15", "-q")
    assert result.exit_code == 0, result.output
    return out


def test_csv_exports_start_with_a_byte_order_mark_when_the_plugin_says_so(
        tmp_path: Path) -> None:
    # A Tokyo team's actions.csv, double-clicked in Excel on a Japanese Windows, was read as
    # Shift_JIS: 見積りテンプレートを統一する came out as mojibake. With `csv_bom: true` each
    # CSV export starts with UTF-8's byte-order mark, which Excel reads as "this is UTF-8".
    out = _generate(tmp_path, "\n      csv_bom: true")
    for name in _EXPORTS:
        assert (out / name).read_bytes().startswith(b"\xef\xbb\xbf"), name
    rows = list(csv.DictReader(io.StringIO((out / "data/actions.csv").read_text("utf-8-sig"))))
    assert [(row["id"], row["title"], row["owner"]) for row in rows] == [
        ("TKY-2026-05-1", "見積りテンプレートを統一する", "佐藤 花子")]
    assert not (out / "data/actions.json").read_bytes().startswith(b"\xef\xbb\xbf")


@pytest.mark.parametrize("options", ["", "\n      csv_bom: false"], ids=["unset", "false"])
def test_csv_exports_are_plain_utf8_by_default(tmp_path: Path, options: str) -> None:
    # Scripts read the exports as UTF-8: a byte-order mark would be part of their first
    # column's name ("\ufeffid"), so it is opted into.
    out = _generate(tmp_path, options)
    for name in _EXPORTS:
        assert (out / name).read_bytes().startswith(b"period," if "readings" in name
                                                    else b"id,"), name
