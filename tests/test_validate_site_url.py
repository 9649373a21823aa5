"""A knowledge base that copied the sample's mkdocs.yml keeps the sample's ``site_url``: every
link ``hindsight plan``, ``prep`` and ``recall`` print then leads to the sample's site.
``validate`` warns at the line that sets it when taxonomy.yml names another company; the
sample itself, and a site that says where it is published, are not warned about.

Nordfjord's knowledge base (`conftest.NORDFJORD`) is shaped unlike the sample: its own
vocabulary, one retro, indicators split by region.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import NORDFJORD, REPO, copy_sample, run_cli

AS_OF = "2026-07-20"
SAMPLE_SITE = "https://brightlane.github.io/hindsight/"
RETRO = ("---\ntype: retro\nperiod: 2026-06\nteam: inbound-sdr\nheld: 2026-07-03\n"
         "facilitator: Ingrid\nformat: five-whys\n"
         "indicators:\n  meetings-booked: {dach: 12, nordics: 9}\n---\n\nNotes.\n")


def _nordfjord(root: Path, mkdocs: str | None = None) -> Path:
    """Nordfjord's knowledge base with the sample's mkdocs.yml (or ``mkdocs``, as text)."""
    (root / "retros").mkdir(parents=True)
    (root / "taxonomy.yml").write_text(NORDFJORD, encoding="utf-8")
    (root / "retros" / "2026-06-inbound-sdr.md").write_text(RETRO, encoding="utf-8")
    if mkdocs is None:
        shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    else:
        (root / "mkdocs.yml").write_text(mkdocs, encoding="utf-8")
    return root


def _site_url_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if "site_url" in line]


def test_the_sample_site_url_under_another_company_is_warned_at_its_line(
        tmp_path: Path) -> None:
    root = _nordfjord(tmp_path / "kb")
    checked = run_cli("validate", "--root", str(root), "--as-of", AS_OF)
    assert checked.exit_code == 0, checked.output  # a warning, not an error
    line = next(n for n, text in enumerate(
        (REPO / "mkdocs.yml").read_text(encoding="utf-8").splitlines(), 1)
        if text.startswith("site_url:"))
    assert _site_url_lines(checked.output) == [
        f"mkdocs.yml:{line}:11  site_url  warning: {SAMPLE_SITE} is the sample's address, not "
        "Nordfjord's (taxonomy.yml's company): every link hindsight plan, prep and recall "
        "print leads to the sample's site (set site_url to where this site is published)"]
    strict = run_cli("validate", "--root", str(root), "--as-of", AS_OF, "--strict")
    assert strict.exit_code != 0, strict.output


def test_the_sample_itself_and_a_site_of_its_own_are_not_warned_about(tmp_path: Path) -> None:
    sample = copy_sample(tmp_path / "sample")
    shutil.copy(REPO / "mkdocs.yml", sample / "mkdocs.yml")
    checked = run_cli("validate", "--root", str(sample), "--as-of", AS_OF)
    assert _site_url_lines(checked.output) == [], checked.output
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    own = _nordfjord(tmp_path / "own", text.replace(
        f"site_url: {SAMPLE_SITE}", "site_url: https://learn.nordfjord.example/"))
    checked = run_cli("validate", "--root", str(own), "--as-of", AS_OF, "--strict")
    assert checked.exit_code == 0, checked.output
    assert _site_url_lines(checked.output) == []


def test_an_inherited_or_quoted_sample_address_is_warned_where_it_is_written(
        tmp_path: Path) -> None:
    """Written quoted and without its last slash in a file mkdocs.yml inherits: the warning
    points at that file's line; a site_url of its own in mkdocs.yml overrides it."""
    root = _nordfjord(tmp_path / "kb", "INHERIT: shared/base.yml\nsite_name: Nordfjord\n")
    (root / "shared").mkdir()
    (root / "shared" / "base.yml").write_text(
        "site_name: Base\n# where the site lives\nsite_url: 'https://Brightlane.github.io/"
        "hindsight'\nplugins:\n  - hindsight\n", encoding="utf-8")
    checked = run_cli("validate", "--root", str(root), "--as-of", AS_OF)
    assert [line.split("  ")[:2] for line in _site_url_lines(checked.output)] == [
        ["shared/base.yml:3:11", "site_url"]], checked.output
    (root / "mkdocs.yml").write_text(
        "INHERIT: shared/base.yml\nsite_name: Nordfjord\n"
        "site_url: https://learn.nordfjord.example/\n", encoding="utf-8")
    checked = run_cli("validate", "--root", str(root), "--as-of", AS_OF)
    assert _site_url_lines(checked.output) == [], checked.output


def test_the_sample_constants_are_the_samples_own(tmp_path: Path) -> None:
    """The address and company the rule knows the sample by are those of the repository's
    own mkdocs.yml and taxonomy.yml."""
    from generator.records.site_rules import SAMPLE_COMPANY, SAMPLE_SITE_URL

    assert f"site_url: {SAMPLE_SITE_URL}\n" in (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert f"\ncompany: {SAMPLE_COMPANY}\n" in (REPO / "taxonomy.yml").read_text(
        encoding="utf-8")
