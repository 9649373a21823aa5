"""The sample knowledge base changed as a team changes its own over the years: a segment added
to a derived indicator, retros filed under a name that is not their team's, a record renamed
while others still name it. Each is said where it is to be fixed."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import copy_sample, run_cli

AS_OF = "2026-11-20"


def _validate(root: Path) -> tuple[str, int]:
    result = run_cli("validate", "--root", str(root), "--as-of", AS_OF)
    assert "Traceback" not in result.output
    return result.output, result.exit_code


def test_a_segment_added_to_a_derived_indicator_alone_is_an_error_at_the_taxonomy(
    tmp_path: Path,
) -> None:
    root = copy_sample(tmp_path / "kb")
    taxonomy = root / "taxonomy.yml"
    text = taxonomy.read_text()
    # win-rate (deals-won / deals-closed) is the first indicator split by segment.
    taxonomy.write_text(text.replace("segments: [smb, mid-market, enterprise]",
                                     "segments: [smb, mid-market, enterprise, strategic]", 1))
    line = next(n for n, row in enumerate(taxonomy.read_text().splitlines(), 1)
                if "strategic" in row)
    # The first retro to give the new segment, as the taxonomy now asks of the win rate.
    retro = (root / "retros" / "2026-10-sales.md").read_text()
    assert "deals-won" not in retro
    (root / "retros" / "2026-10-sales.md").write_text(retro.replace(
        "  win-rate:\n    smb: \"34/96\"\n    mid-market: \"12/48\"\n    enterprise: \"3/11\"\n",
        "  deals-won: {smb: 34, mid-market: 12, enterprise: 3, strategic: 1}\n"
        "  deals-closed: {smb: 96, mid-market: 48, enterprise: 11, strategic: 2}\n"))
    output, code = _validate(root)
    assert code == 1
    assert (f"taxonomy.yml:{line}:45  indicators[1].segments[3]  'strategic' is no segment of "
            "deals-won or deals-closed, which win-rate is computed from (add strategic to the "
            "segments of deals-won and deals-closed too") in output
    record = re.search(r"retros/2026-10-sales\.md:\d+:\d+  indicators\.deals-won\.strategic  "
                       r"unknown segment 'strategic' \((.*)\)", output)
    assert record is not None
    assert record.group(1) == ("known: enterprise, mid-market, smb. strategic is a segment of "
                               "win-rate, computed from deals-won: add it to the segments of "
                               "deals-won in taxonomy.yml")


def test_the_sample_grown_by_a_segment_everywhere_validates(tmp_path: Path) -> None:
    root = copy_sample(tmp_path / "kb")
    taxonomy = root / "taxonomy.yml"
    # Every indicator split by segment (the win rate and both counts it is computed from).
    taxonomy.write_text(taxonomy.read_text().replace(
        "segments: [smb, mid-market, enterprise]",
        "segments: [smb, mid-market, enterprise, strategic]"))
    output, code = _validate(root)
    assert code == 0, output
    assert "strategic" not in output
