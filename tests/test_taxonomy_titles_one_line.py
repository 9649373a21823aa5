"""A team's name, an indicator's label and every other entry's title in taxonomy.yml go on one
line, as a segment's name does: written as a `|` block over lines, it was accepted, and every
table cell, list line and heading showing it broke or gained a space."""

from __future__ import annotations

from pathlib import Path

from conftest import NORDFJORD, REPO, TOKYO_RETRO, make_kb, run_cli

_TOKYO_TAXONOMY = (REPO / "tests" / "bad_input" / "full-width-input" / "taxonomy.yml").read_text(
    encoding="utf-8")
_MKDOCS = "site_name: 東京営業のふりかえり\nplugins:\n  - search\n  - hindsight\n"


def _tokyo_kb(root: Path, taxonomy: str) -> Path:
    make_kb(root, {"retros/2026-05-tokyo-sales.md": TOKYO_RETRO,
                   "docs/about.md": "# 東京営業について\n", "mkdocs.yml": _MKDOCS})
    (root / "taxonomy.yml").write_text(taxonomy, encoding="utf-8")
    return root


def test_a_team_name_and_an_indicator_label_over_lines_are_refused_and_no_site_is_built(
        tmp_path: Path) -> None:
    """The Tokyo team's name and its win rate's label, each a `|` block of two lines (as an
    editor wrapping a long line may leave them): the site listed the team as "東京 営業" in
    its headings and "東京⏎営業" in its tables. Each is now an error at the value, with the
    name on one line to write (Japanese joined without a space), and the build stops."""
    taxonomy = (_TOKYO_TAXONOMY
                .replace("    name: 東京営業\n", "    name: |\n      東京\n      営業\n", 1)
                .replace("    label: 受注率\n", "    label: |-\n      受注\n      率\n", 1))
    root = _tokyo_kb(tmp_path / "kb", taxonomy)
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15")
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert result.output.splitlines()[:3] == [
        "taxonomy.yml:19:12  indicators[0].label  runs over several lines (write it on one "
        "line: 受注率)",
        "taxonomy.yml:35:11  teams[0].name  runs over several lines (write it on one line: "
        "東京営業)",
        "2 errors, 0 warnings; 1 file checked"], result.output

    built = run_cli("build", "--root", str(root), "--as-of", "2026-06-15")
    assert built.exit_code == 1, built.output
    assert "taxonomy.yml:35:11  teams[0].name  runs over several lines" in built.output
    assert not (root / "site" / "teams" / "tokyo-sales" / "index.html").exists()

    # Written on one line as the hint says, the site builds and the team page heads with it.
    fixed = taxonomy.replace("    name: |\n      東京\n      営業\n", "    name: 東京営業\n", 1) \
        .replace("    label: |-\n      受注\n      率\n", "    label: 受注率\n", 1)
    (root / "taxonomy.yml").write_text(fixed, encoding="utf-8")
    built = run_cli("build", "--root", str(root), "--as-of", "2026-06-15")
    assert built.exit_code == 0, built.output
    page = (root / "site" / "teams" / "tokyo-sales" / "index.html").read_text(encoding="utf-8")
    assert '<h1 id="東京営業">東京営業' in page


def test_every_title_over_lines_is_refused_in_one_run(tmp_path: Path) -> None:
    """Another company's vocabulary in English and Korean: a cause's title, a plan kind's and
    a reason's, written over lines, with a team that has no name at all elsewhere in the same
    file failing the schema: each title is an error in the same run, joined with a space (as
    Korean and English words are written)."""
    taxonomy = (NORDFJORD
                .replace("    title: Slow first touch\n",
                         "    title: >\n      Slow first\n\n      touch\n", 1)
                .replace("    title: Partner programs\n",
                         "    title: |\n      파트너\n      프로그램\n", 1)
                .replace("    title: Local support\n", '    title: "Local\\nsupport"\n', 1)
                .replace("    name: Field sales\n", "", 1))
    root = make_kb(tmp_path / "kb", {})
    (root / "taxonomy.yml").write_text(taxonomy, encoding="utf-8")
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15")
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    lines = [line for line in result.output.splitlines() if line.startswith("taxonomy.yml:")]
    assert "taxonomy.yml:7:12  causes[0].title  runs over several lines (write it on one line: " \
        "Slow first touch)" in lines, lines
    assert "taxonomy.yml:39:12  plan_kinds[2].title  runs over several lines (write it on one " \
        "line: 파트너 프로그램)" in lines, lines
    # A quoted "\n" was refused already, as in any value; it is not told twice.
    assert [line for line in lines if "reasons[0].title" in line] == [
        "taxonomy.yml:44:18  reasons[0].title  contains a line break, which only a `|` block "
        "may hold (a title or a name goes on one line: delete the break; for a note or other "
        "text over several lines, write it as a `|` block)"], lines
    assert any("teams[1].name" in line and "is required" in line for line in lines), lines
